//! Reading one text table: bytes in, rows with their line numbers out.
//!
//! This is the one place where formats and encodings are told apart. Lines
//! are counted here, not by the csv crate (which counts only `\n`): `\n`,
//! `\r\n` and a lone `\r` each end one line, and a row's line is the line on
//! which it starts, so quoted fields with line breaks keep later rows right.

use std::borrow::Cow;

use encoding_rs::{Encoding as Codec, GB18030, UTF_16BE, UTF_16LE};

/// The text encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// Detects the encoding and decodes: a BOM decides; otherwise valid UTF-8 is
/// UTF-8, and anything else is read as GB18030 (a superset of GBK, which Excel
/// writes on Chinese Windows). Fails when GB18030 finds malformed bytes too.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|t| (Cow::Borrowed(t), Encoding::Utf8Bom))
            .map_err(|e| format!("invalid UTF-8 after a UTF-8 byte-order mark: {e}"));
    }
    let utf16: Option<(&'static Codec, Encoding)> = match bytes {
        [0xFF, 0xFE, ..] => Some((UTF_16LE, Encoding::Utf16Le)),
        [0xFE, 0xFF, ..] => Some((UTF_16BE, Encoding::Utf16Be)),
        _ => None,
    };
    if let Some((codec, encoding)) = utf16 {
        let (text, malformed) = codec.decode_without_bom_handling(&bytes[2..]);
        if malformed {
            return Err(format!("malformed {} text", encoding.name()));
        }
        return Ok((text, encoding));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(text), Encoding::Utf8));
    }
    let (text, malformed) = GB18030.decode_without_bom_handling(bytes);
    if malformed || text.contains('\0') {
        return Err("neither UTF-8 nor GBK/GB18030 text (binary or corrupt bytes)".to_owned());
    }
    Ok((text, Encoding::Gb18030))
}

/// Picks the field delimiter among comma, tab, semicolon and `|`: the one
/// that splits the most of the first lines into the same number of fields.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let score = |delimiter: u8| {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == delimiter).count())
            .collect();
        let modal = counts
            .iter()
            .copied()
            .filter(|&c| c > 0)
            .max_by_key(|c| (counts.iter().filter(|&&x| x == *c).count(), *c));
        modal.map_or(0, |m| counts.iter().filter(|&&x| x == m).count() * 1000 + m)
    };
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|&d| (score(d), d == b','))
        .unwrap_or(b',')
}

/// One row of a table, with the line it starts on and how many blank lines
/// came directly before it.
pub struct Row {
    pub line: u32,
    pub blank_lines_before: u32,
    pub cells: csv::StringRecord,
}

/// The rows of a delimited text, in order.
pub struct TextRows<'t> {
    text: &'t [u8],
    reader: csv::Reader<&'t [u8]>,
    /// Byte offset up to which lines have been counted, and the line there.
    counted_to: usize,
    line: u32,
    /// Trailing blank lines after the last row, known once exhausted.
    pub trailing_blank_lines: u32,
}

impl<'t> TextRows<'t> {
    pub fn new(text: &'t str, delimiter: u8) -> TextRows<'t> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        TextRows {
            text: text.as_bytes(),
            reader,
            counted_to: 0,
            line: 1,
            trailing_blank_lines: 0,
        }
    }

    /// Advances the line count to byte `to`, returning the line ends passed.
    fn advance(&mut self, to: usize) -> u32 {
        let ends = count_line_ends(self.text, self.counted_to, to);
        self.counted_to = to;
        self.line += ends;
        ends
    }
}

impl Iterator for TextRows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        let mut cells = csv::StringRecord::new();
        // The csv crate skips empty lines silently and tolerates bad quoting;
        // on input that is valid UTF-8 it only fails on I/O, which a slice has not.
        let read = self.reader.read_record(&mut cells).unwrap_or(false);
        let previous_end = self.counted_to;
        let start_search = previous_end;
        let start = self.text[start_search..]
            .iter()
            .position(|&b| b != b'\n' && b != b'\r')
            .map_or(self.text.len(), |p| start_search + p);
        let ends = self.advance(start);
        // The first of those line ends closes the previous row (none before the first row).
        let closes_previous =
            u32::from(previous_end > 0 && ends > 0 && !ends_line(self.text, previous_end));
        let blank = ends.saturating_sub(closes_previous);
        if !read {
            self.trailing_blank_lines = blank;
            return None;
        }
        let row = Row {
            line: self.line,
            blank_lines_before: blank,
            cells,
        };
        let end = (self.reader.position().byte() as usize).min(self.text.len());
        self.advance(end);
        Some(row)
    }
}

/// Whether the byte before `at` already ended a line (so the row read up to
/// `at` included its own terminator).
fn ends_line(text: &[u8], at: usize) -> bool {
    at > 0 && matches!(text[at - 1], b'\n' | b'\r')
}

/// Line ends in `text[from..to]`: `\n`, `\r\n` (once) and a lone `\r`.
fn count_line_ends(text: &[u8], from: usize, to: usize) -> u32 {
    let mut ends = 0;
    for i in from..to {
        match text[i] {
            b'\r' => ends += 1,
            b'\n' if i == 0 || text[i - 1] != b'\r' => ends += 1,
            _ => {}
        }
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u32, u32, Vec<String>)> {
        TextRows::new(text, b',')
            .map(|r| {
                (
                    r.line,
                    r.blank_lines_before,
                    r.cells.iter().map(str::to_owned).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn lines_are_counted_for_every_line_ending() {
        let text = "title\r\n\r\na,b\rc,d\n\n\"x\ny\",z\r\ne,f";
        let got = rows(text);
        let lines: Vec<(u32, u32)> = got.iter().map(|(l, b, _)| (*l, *b)).collect();
        assert_eq!(lines, vec![(1, 0), (3, 1), (4, 0), (6, 1), (8, 0)]);
        assert_eq!(got[3].2, vec!["x\ny".to_owned(), "z".to_owned()]);
    }

    #[test]
    fn trailing_blank_lines_are_counted() {
        let mut it = TextRows::new("a,b\n\n\n", b',');
        assert_eq!(it.by_ref().count(), 1);
        assert_eq!(it.trailing_blank_lines, 2);
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(decode("名称".as_bytes()).unwrap().1, Encoding::Utf8);
        assert_eq!(
            decode(b"\xEF\xBB\xBFa").unwrap(),
            (Cow::Borrowed("a"), Encoding::Utf8Bom)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("广东省公安厅");
        assert_eq!(
            decode(&gbk).unwrap(),
            (Cow::Owned("广东省公安厅".to_owned()), Encoding::Gb18030)
        );
        assert_eq!(decode(b"\xFF\xFEa\x00").unwrap().1, Encoding::Utf16Le);
        assert!(decode(b"\x00\x01\xFF\xFF\x80").is_err());
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("标题\na\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b\n1;2\n"), b';');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3"), b'|');
        assert_eq!(sniff_delimiter("a,b\n1,2"), b',');
    }
}
