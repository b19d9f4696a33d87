//! Text normalisation, shared by every stage that reads a cell (header
//! recognition in `ingest`, values in `normalize`): Unicode NFKC (full-width to half-width), trimmed,
//! whitespace collapsed, zero-width, bidirectional and control characters
//! dropped.
//!
//! Most cells are plain ASCII or CJK ideographs, which NFKC leaves alone, so
//! those take a borrowed fast path that allocates nothing.

pub mod script;

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Normalises one cell. Idempotent: `clean(clean(x)) == clean(x)`.
pub fn clean(text: &str) -> Cow<'_, str> {
    if is_already_clean(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    // Invisible characters go before NFKC, so that dropping one cannot
    // bring two characters together that NFKC would then compose.
    for c in text.chars().filter(|&c| !is_dropped(c)).nfkc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// True when NFKC, trimming and collapsing would change nothing: printable
/// ASCII and CJK unified ideographs only, single inner spaces, no edge space.
/// Read a byte at a time: an ideograph of U+4E00..=U+9FFF is the three
/// bytes `E4 B8..BF xx` to `E9 xx xx` (`text` is UTF-8, so the bytes after
/// a lead byte are continuation bytes).
pub(crate) fn is_already_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut at = 0;
    let mut previous_space = false;
    while let Some(&b) = bytes.get(at) {
        at += match b {
            b' ' if previous_space => return false,
            b' '..=b'~' => 1,
            0xE4 if bytes.get(at + 1).is_some_and(|&next| next >= 0xB8) => 3,
            0xE5..=0xE9 => 3,
            _ => return false,
        };
        previous_space = b == b' ';
    }
    true
}

/// True when `cell` is empty or only whitespace. Most cells start with a
/// character that is not a space, which settles it without trimming.
pub fn is_blank(cell: &str) -> bool {
    match cell.chars().next() {
        None => true,
        Some(c) if !c.is_whitespace() => false,
        Some(_) => cell.trim().is_empty(),
    }
}

/// Invisible characters: zero-width ones, controls, and the bidirectional
/// marks, embeddings, overrides and isolates, which would reorder the text
/// around a name on the published page.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00AD}'
    ) || (c.is_control() && !c.is_whitespace())
}

/// The text Excel writes for a formula's error (`#N/A`, `#VALUE!`, ...) when
/// a workbook is saved as CSV: no value, so the cell counts as empty.
pub fn is_excel_error(clean_cell: &str) -> bool {
    matches!(
        clean_cell,
        "#N/A" | "#VALUE!" | "#REF!" | "#DIV/0!" | "#NAME?" | "#NULL!" | "#NUM!" | "#GETTING_DATA"
    )
}

/// Whether a text cell says there is no value (`NULL`, `N/A`, `-`, `无`):
/// such a cell is empty. Above all, a record so named has no name and links
/// to nothing by one, and two records with the WeChat id `-` are not one
/// account: otherwise thousands of unrelated `NULL` rows of a province would
/// share a name.
pub fn is_placeholder(clean_cell: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "null",
        "nil",
        "none",
        "n/a",
        "nan",
        "#n/a",
        "undefined",
        "-",
        "--",
        "—",
        "/",
        "?",
        "无",
        "空",
        "暂无",
        "未知",
        "不详",
    ];
    clean_cell.len() <= 12
        && PLACEHOLDERS
            .iter()
            .any(|p| clean_cell.eq_ignore_ascii_case(p))
}

/// The key under which names are compared for linking (docs/CONTRACT.md §4): the
/// normalised name without decoration (官方微信, 官微, a bare 官方, brackets,
/// punctuation, spaces), in simplified characters, ASCII lower-cased.
pub fn match_name(clean_name: &str) -> Cow<'_, str> {
    let simplified = || {
        clean_name
            .chars()
            .map(script::simplified)
            .collect::<String>()
    };
    // Every decoration holds 官 or 公众号; most names hold neither, and skip
    // the searches and copies. Many are their own key: borrowed.
    if !clean_name.contains('官') && !clean_name.contains("公众号") {
        if clean_name.chars().all(is_own_key) {
            return Cow::Borrowed(clean_name);
        }
        return Cow::Owned(key_chars(clean_name.chars().map(script::simplified)));
    }
    let mut stripped = simplified();
    for decoration in [
        "官方微信号",
        "官方微信",
        "微信公众号",
        "官方公众号",
        "公众号",
        "官微",
        "官方",
    ] {
        if stripped.len() > decoration.len() {
            stripped = stripped.replace(decoration, "");
        }
    }
    Cow::Owned(key_chars(stripped.chars()))
}

/// A character a match-name keeps as it is: a lower-case ASCII letter or
/// digit, or a simplified common ideograph.
fn is_own_key(c: char) -> bool {
    match c {
        'a'..='z' | '0'..='9' => true,
        '\u{4E00}'..='\u{9FFF}' => script::simplified(c) == c,
        _ => false,
    }
}

/// The alphanumeric characters of `text`, ASCII lower-cased.
fn key_chars(text: impl Iterator<Item = char>) -> String {
    // Names are mostly ASCII and common ideographs, whose answer is known
    // without the Unicode tables.
    let alphanumeric = |c: &char| match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '\u{4E00}'..='\u{9FFF}' => true,
        c if c.is_ascii() => false,
        c => c.is_alphanumeric(),
    };
    text.filter(alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A cleaned text as searched for places and domain keywords: without
/// spaces, in simplified characters (深圳 交警, 深圳衛計委 read as 深圳交警,
/// 深圳卫计委). Borrowed when already plain.
pub fn plain(clean_text: &str) -> Cow<'_, str> {
    let is_plain = |c: char| c != ' ' && script::simplified(c) == c;
    if clean_text.chars().all(is_plain) {
        return Cow::Borrowed(clean_text);
    }
    Cow::Owned(
        clean_text
            .chars()
            .filter(|&c| c != ' ')
            .map(script::simplified)
            .collect(),
    )
}

/// A header cell reduced for alias lookup: cleaned, lower-cased, without
/// spaces, underscores, hyphens or brackets' unit notes.
pub fn header_key(cell: &str) -> String {
    let cleaned = clean(cell);
    let without_note = match cleaned.find(['(', '（']) {
        Some(at) if at > 0 => &cleaned[..at],
        _ => &cleaned,
    };
    without_note
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | ':'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ideographs_fast_path_agrees_with_unicode() {
        assert!(('\u{4E00}'..='\u{9FFF}').all(|c| c.is_alphanumeric()));
        assert_eq!(match_name("深圳·ABC(发布)ÉΩ"), "深圳abc发布ÉΩ");
    }

    #[test]
    fn full_width_and_invisible_characters_are_normalised() {
        assert_eq!(
            clean("  深圳ＡＢＣ１２３　发布\u{200B} "),
            "深圳ABC123 发布"
        );
        assert_eq!(clean("a\t\tb"), "a b");
        assert!(matches!(clean("深圳发布 gh_abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn bidirectional_controls_are_dropped() {
        assert_eq!(clean("\u{202E}发布深圳\u{202C}"), "发布深圳");
        assert_eq!(
            clean("平安\u{2066}杭州\u{2069}\u{200E}\u{200F}\u{061C}"),
            "平安杭州"
        );
    }

    #[test]
    fn placeholders_and_excel_errors() {
        for cell in ["NULL", "null", "N/A", "-", "无", "#N/A", "None"] {
            assert!(is_placeholder(cell), "{cell}");
        }
        for cell in [
            "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
        ] {
            assert!(is_excel_error(cell), "{cell}");
        }
        assert!(!is_placeholder("无锡发布"));
        assert!(!is_excel_error("#1"));
    }

    #[test]
    fn match_name_drops_decoration() {
        assert_eq!(match_name(&clean("【深圳发布】")), "深圳发布");
        assert_eq!(match_name(&clean("深圳发布官方微信")), "深圳发布");
        assert_eq!(match_name(&clean("深圳 发布（官微）")), "深圳发布");
        assert_eq!(match_name(&clean("Ｓｚ Police")), "szpolice");
        assert_eq!(match_name("官微"), "官微");
        assert_eq!(match_name("深圳交警官方"), "深圳交警");
        assert_eq!(match_name("深圳衛計委"), "深圳卫计委");
        assert_eq!(match_name("官方"), "官方");
    }

    #[test]
    fn plain_text_for_place_search() {
        assert_eq!(plain("鄂 州律协"), "鄂州律协");
        assert_eq!(plain("嘉峪關血站"), "嘉峪关血站");
        assert!(matches!(plain("深圳交警"), Cow::Borrowed(_)));
    }

    #[test]
    fn header_keys() {
        assert_eq!(header_key(" 原始 ID "), "原始id");
        assert_eq!(header_key("粉丝数（人）"), "粉丝数");
        assert_eq!(header_key("Original_ID"), "originalid");
    }

    proptest! {
        #[test]
        fn cleaning_twice_changes_nothing(s in "(\\PC|[\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{061C}\u{0}-\u{1F}]){0,40}") {
            let once = clean(&s).into_owned();
            let twice = clean(&once).into_owned();
            prop_assert_eq!(twice, once);
        }

        #[test]
        fn fast_path_agrees_with_full_normalisation(s in "[ -~\u{4E00}-\u{4E20}　Ａ]{0,30}") {
            let fast = clean(&s).into_owned();
            let full: String = s.nfkc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(fast, full);
        }

        #[test]
        fn clean_text_is_told_byte_by_byte_as_char_by_char(
            s in "([ -~]|[\u{3000}-\u{4F00}\u{9F00}-\u{A0FF}\u{80}-\u{7FF}\u{10000}-\u{10010}]|[\u{4DFF}\u{4E00}\u{9FFF}\u{A000}\u{3FFF}\u{4000}]){0,12}",
        ) {
            let by_char = !s.starts_with(' ')
                && !s.ends_with(' ')
                && !s.contains("  ")
                && s.chars().all(|c| matches!(c, ' '..='~' | '\u{4E00}'..='\u{9FFF}'));
            prop_assert_eq!(is_already_clean(&s), by_char);
        }

        #[test]
        fn blank_is_empty_after_trimming(s in "[ \t\u{3000}\u{A0}a深]{0,6}") {
            prop_assert_eq!(is_blank(&s), s.trim().is_empty());
        }

        /// A name borrowed as its own match-name is what the full key gives.
        #[test]
        fn a_name_that_is_its_own_key_keys_as_the_full_path_does(
            s in "[a-zA-Z0-9 ·\u{4E00}-\u{4E20}衛計國廣東官公众号ÉΩ]{0,20}",
        ) {
            let key = match_name(&s);
            if !s.contains('官') && !s.contains("公众号") {
                prop_assert_eq!(key.as_ref(), key_chars(s.chars().map(script::simplified)));
            }
        }
    }
}
