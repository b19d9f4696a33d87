//! Tera filters that turn figures and data into report text.
//!
//! Numbers are shown the Chinese way (`40,924`, `15.0%`, `超过3.6万`), with
//! English counterparts of the words for the English edition (`2.1 times`,
//! `more than 36,000`, `the end of June 2014`), and are rounded on their
//! decimal representation, so a share stored as the binary
//! float nearest 0.8465 still shows as `84.7%`. Text from the data goes
//! through `md`, which escapes everything Markdown or HTML could read as
//! markup: a name like `[x](javascript:…)` must stay a name.

use std::collections::HashMap;

use tera::{Error, Result, Tera, Value};

/// Shown for a figure that does not exist (no baseline, no data).
pub(crate) const MISSING: &str = "—";

/// Decimal places used to fix a float before rounding it: enough to keep
/// every digit a share or growth carries, few enough to wash out the binary
/// representation error (0.8465 is stored as 0.84649999999999997…).
const FIX_PLACES: u32 = 12;

/// Registers every report filter on `tera`.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_filter("md", md_filter);
    tera.register_filter("count", count_filter);
    tera.register_filter("pct", pct_filter);
    tera.register_filter("growth", growth_filter);
    tera.register_filter("ratio", ratio_filter);
    tera.register_filter("wan_floor", wan_floor_filter);
    tera.register_filter("wan_round", wan_round_filter);
    tera.register_filter("period", period_filter);
    tera.register_filter("period_end", period_end_filter);
    tera.register_filter("decimal", decimal_filter);
    tera.register_filter("ratio_en", ratio_en_filter);
    tera.register_filter("thousands_floor", thousands_floor_filter);
    tera.register_filter("period_en", period_en_filter);
    tera.register_filter("period_end_en", period_end_en_filter);
    tera.register_filter("humanize", humanize_filter);
    tera.register_filter("css_string", css_string_filter);
}

/// `x` rounded half away from zero to `places` decimals, as a sign and an
/// integer count of 10^-places units; `None` when not finite or too large.
pub(crate) fn round_half_away(x: f64, places: u32) -> Option<(bool, u128)> {
    if !x.is_finite() || places > FIX_PLACES {
        return None;
    }
    let fixed = format!("{:.*}", FIX_PLACES as usize, x.abs());
    let (whole, frac) = fixed.split_once('.')?;
    let units: u128 = format!("{whole}{frac}").parse().ok()?;
    let unit = 10u128.pow(FIX_PLACES - places);
    let mut rounded = units / unit;
    if (units % unit) * 2 >= unit {
        rounded += 1;
    }
    Some((x < 0.0 && rounded != 0, rounded))
}

/// `1234567` → `1,234,567`.
pub(crate) fn group_thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rounded magnitude with one decimal: 1194 → `119.4`, with separators.
fn one_decimal(tenths: u128) -> String {
    format!("{}.{}", group_thousands(tenths / 10), tenths % 10)
}

/// A count with separators; floats are rounded to the nearest whole.
pub(crate) fn format_count(x: f64) -> Option<String> {
    let (negative, whole) = round_half_away(x, 0)?;
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{}", group_thousands(whole)))
}

/// A share as a percentage with one decimal: 0.8465 → `84.7%`.
pub(crate) fn format_pct(share: f64) -> Option<String> {
    let (negative, tenths) = round_half_away(share, 3)?;
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{}%", one_decimal(tenths)))
}

/// A growth rate with its sign: 1.193 → `+119.3%`, 0 → `0.0%`.
pub(crate) fn format_growth(rate: f64) -> Option<String> {
    let (negative, tenths) = round_half_away(rate, 3)?;
    let sign = match (negative, tenths) {
        (true, _) => "-",
        (false, 0) => "",
        (false, _) => "+",
    };
    Some(format!("{sign}{}%", one_decimal(tenths)))
}

/// A multiple with one decimal: 2.06 → `2.1倍`.
pub(crate) fn format_ratio(ratio: f64) -> Option<String> {
    let (negative, tenths) = round_half_away(ratio, 1)?;
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{}倍", one_decimal(tenths)))
}

/// A multiple with one decimal, in English: 2.06 → `2.1 times`.
pub(crate) fn format_ratio_en(ratio: f64) -> Option<String> {
    let (negative, tenths) = round_half_away(ratio, 1)?;
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{} times", one_decimal(tenths)))
}

/// A plain number with `places` decimals (at most 6), rounded half away
/// from zero: `decimal(0.12345, 2)` → `0.12`.
pub(crate) fn format_decimal(x: f64, places: u32) -> Option<String> {
    let places = places.min(6);
    let (negative, units) = round_half_away(x, places)?;
    let sign = if negative { "-" } else { "" };
    let scale = 10u128.pow(places);
    let whole = group_thousands(units / scale);
    match places {
        0 => Some(format!("{sign}{whole}")),
        _ => Some(format!(
            "{sign}{whole}.{:0width$}",
            units % scale,
            width = places as usize
        )),
    }
}

/// A large figure rounded down, for sentences that say 超过 ("over"):
/// 36,412.3 → `3.6万`, 40,000 → `4万`, 2.3亿 likewise; below 1万 in full.
pub(crate) fn format_wan_floor(x: f64) -> Option<String> {
    if !(0.0..1e30).contains(&x) {
        return None;
    }
    let whole = x.floor() as u128;
    let (unit, size) = match whole {
        0..=9_999 => return Some(group_thousands(whole)),
        10_000..=99_999_999 => ("万", 10_000),
        _ => ("亿", 100_000_000),
    };
    let tenths = whole / (size / 10);
    let text = match tenths % 10 {
        0 => group_thousands(tenths / 10),
        _ => one_decimal(tenths),
    };
    Some(format!("{text}{unit}"))
}

/// A large figure in 万 or 亿 to one decimal, rounded half away from zero,
/// for sentences that say "about" (约): 1,456,492,000 → `14.6亿`,
/// 218,647 → `21.9万`; below 10,000 in full.
pub(crate) fn format_wan_round(x: f64) -> Option<String> {
    if !(0.0..1e30).contains(&x) {
        return None;
    }
    let (unit, size) = match x {
        x if x < 10_000.0 => return format_count(x),
        x if x < 99_995_000.0 => ("万", 10_000.0),
        _ => ("亿", 100_000_000.0),
    };
    let (_, tenths) = round_half_away(x / size, 1)?;
    let text = match tenths % 10 {
        0 => group_thousands(tenths / 10),
        _ => one_decimal(tenths),
    };
    Some(format!("{text}{unit}"))
}

/// A large figure rounded down, for English sentences that say "more
/// than": below 10,000 in full (9,999), then to thousands (36,412.3 →
/// `36,000`), from a million in millions with one decimal (1,475,600 →
/// `1.4 million`, 2,000,000 → `2 million`), from a billion in billions.
pub(crate) fn format_thousands_floor(x: f64) -> Option<String> {
    if !(0.0..1e30).contains(&x) {
        return None;
    }
    let whole = x.floor() as u128;
    let (unit, size) = match whole {
        0..=9_999 => return Some(group_thousands(whole)),
        10_000..=999_999 => return Some(group_thousands(whole / 1_000 * 1_000)),
        1_000_000..=999_999_999 => ("million", 1_000_000),
        _ => ("billion", 1_000_000_000),
    };
    let tenths = whole / (size / 10);
    let text = match tenths % 10 {
        0 => group_thousands(tenths / 10),
        _ => one_decimal(tenths),
    };
    Some(format!("{text} {unit}"))
}

/// A slug as words: `bad_date` → `Bad date`, `province` → `Province`.
pub(crate) fn humanize(slug: &str) -> String {
    let words = slug.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a period name stands for: a year, a half, a quarter or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Year,
    Half(u8),
    Quarter(u8),
    Month(u8),
}

/// A period name read as its year and span: `2014`, `2014H1`, `2014Q3`,
/// `2014-06`; `None` for a name of no known kind (`current`, `2014-13`).
fn parse_period(period: &str) -> Option<(&str, Span)> {
    let year = period
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?;
    let span = match &period[4..] {
        "" => Span::Year,
        "H1" => Span::Half(1),
        "H2" => Span::Half(2),
        "Q1" => Span::Quarter(1),
        "Q2" => Span::Quarter(2),
        "Q3" => Span::Quarter(3),
        "Q4" => Span::Quarter(4),
        rest => match rest.strip_prefix('-').and_then(|m| m.parse::<u8>().ok()) {
            Some(month @ 1..=12) if rest.len() == 3 => Span::Month(month),
            _ => return None,
        },
    };
    Some((year, span))
}

/// The year of a period and the month it ends with, for 截至 / "at the end
/// of"; the flag is true when that end is the year's end and the name is a
/// year, a half or a quarter (`2014-12` names its month: 2014年12月底).
fn period_end(period: &str) -> Option<(&str, u8, bool)> {
    let (year, span) = parse_period(period)?;
    let month = match span {
        Span::Year => 12,
        Span::Half(h) => 6 * h,
        Span::Quarter(q) => 3 * q,
        Span::Month(m) => m,
    };
    let year_end = month == 12 && !matches!(span, Span::Month(_));
    Some((year, month, year_end))
}

/// A period name in Chinese: `2014` → `2014年`, `2014H1` → `2014年上半年`,
/// `2014Q3` → `2014年第三季度`, `2014-06` → `2014年6月`; others unchanged.
pub(crate) fn format_period(period: &str) -> String {
    let Some((year, span)) = parse_period(period) else {
        return period.to_string();
    };
    let suffix = match span {
        Span::Year => String::new(),
        Span::Half(1) => "上半年".to_string(),
        Span::Half(_) => "下半年".to_string(),
        Span::Quarter(q) => {
            let numeral = ["一", "二", "三", "四"][usize::from(q - 1)];
            format!("第{numeral}季度")
        }
        Span::Month(month) => format!("{month}月"),
    };
    format!("{year}年{suffix}")
}

/// The end of a period, for 截至…: `2014` → `2014年底`, `2014H1` →
/// `2014年6月底`, `2014Q3` → `2014年9月底`, `2014-06` → `2014年6月底`;
/// names of no known kind become `本期末`.
pub(crate) fn format_period_end(period: &str) -> String {
    match period_end(period) {
        Some((year, _, true)) => format!("{year}年底"),
        Some((year, month, false)) => format!("{year}年{month}月底"),
        None => "本期末".to_string(),
    }
}

/// English month names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(month: u8) -> &'static str {
    MONTHS[usize::from(month.clamp(1, 12) - 1)]
}

/// A period name in English: `2014` → `2014`, `2014H1` → `the first half
/// of 2014`, `2014Q3` → `Q3 2014`, `2014-06` → `June 2014`; others
/// unchanged, as `format_period` leaves them.
pub(crate) fn format_period_en(period: &str) -> String {
    let Some((year, span)) = parse_period(period) else {
        return period.to_string();
    };
    match span {
        Span::Year => year.to_string(),
        Span::Half(1) => format!("the first half of {year}"),
        Span::Half(_) => format!("the second half of {year}"),
        Span::Quarter(q) => format!("Q{q} {year}"),
        Span::Month(month) => format!("{} {year}", month_name(month)),
    }
}

/// The end of a period, for "at …": `2014` → `the end of 2014`, `2014H1`
/// → `the end of June 2014`, `2014Q3` → `the end of September 2014`,
/// `2014-12` → `the end of December 2014`; names of no known kind become
/// `the end of the period` (as `format_period_end` gives 本期末).
pub(crate) fn format_period_end_en(period: &str) -> String {
    match period_end(period) {
        Some((year, _, true)) => format!("the end of {year}"),
        Some((year, month, false)) => format!("the end of {} {year}", month_name(month)),
        None => "the end of the period".to_string(),
    }
}

/// Characters escaped wherever they appear: Markdown's inline syntax,
/// table pipes, Tera's braces and HTML's significant characters.
const ALWAYS_ESCAPED: &str = "\\`*_[]<>|{}#!~&\"'$";

/// Escapes data for Markdown so that it can only ever be text.
///
/// Whitespace runs (newlines included) become one space and control
/// characters are dropped, so data cannot start a block; a leading list,
/// heading-underline or ordered-list marker is escaped as well.
pub(crate) fn md_escape(text: &str) -> String {
    let collapsed = text
        .split_whitespace()
        .map(|word| word.replace(|c: char| c.is_control(), ""))
        .collect::<Vec<_>>()
        .join(" ");
    let digits = collapsed.bytes().take_while(u8::is_ascii_digit).count();
    let list_marker = match collapsed.as_bytes().get(digits) {
        Some(b'.' | b')') if digits > 0 => Some(digits),
        Some(b'-' | b'+' | b'=') if digits == 0 => Some(0),
        _ => None,
    };
    let mut out = String::with_capacity(collapsed.len() + 8);
    for (i, c) in collapsed.char_indices() {
        if ALWAYS_ESCAPED.contains(c) || Some(i) == list_marker {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn number_arg(value: &Value, filter: &str) -> Result<Option<f64>> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| Error::msg(format!("filter `{filter}`: `{n}` is not a number"))),
        other => Err(Error::msg(format!(
            "filter `{filter}` expects a number or null, got `{other}`"
        ))),
    }
}

/// Applies a number format, showing `—` for null.
fn number_filter(value: &Value, filter: &str, format: fn(f64) -> Option<String>) -> Result<Value> {
    let Some(x) = number_arg(value, filter)? else {
        return Ok(Value::String(MISSING.to_string()));
    };
    format(x)
        .map(Value::String)
        .ok_or_else(|| Error::msg(format!("filter `{filter}` cannot show `{x}`")))
}

fn count_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    if let Some(n) = value.as_u64() {
        return Ok(Value::String(group_thousands(n.into())));
    }
    number_filter(value, "count", format_count)
}

fn pct_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    number_filter(value, "pct", format_pct)
}

fn growth_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    number_filter(value, "growth", format_growth)
}

fn ratio_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    number_filter(value, "ratio", format_ratio)
}

fn wan_floor_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    number_filter(value, "wan_floor", format_wan_floor)
}

fn wan_round_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    number_filter(value, "wan_round", format_wan_round)
}

fn period_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::String(period) => Ok(Value::String(format_period(period))),
        other => Err(Error::msg(format!(
            "filter `period` expects a string, got `{other}`"
        ))),
    }
}

fn period_end_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::String(period) => Ok(Value::String(format_period_end(period))),
        other => Err(Error::msg(format!(
            "filter `period_end` expects a string, got `{other}`"
        ))),
    }
}

fn ratio_en_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    number_filter(value, "ratio_en", format_ratio_en)
}

fn thousands_floor_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    number_filter(value, "thousands_floor", format_thousands_floor)
}

fn period_en_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::String(period) => Ok(Value::String(format_period_en(period))),
        other => Err(Error::msg(format!(
            "filter `period_en` expects a string, got `{other}`"
        ))),
    }
}

fn period_end_en_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::String(period) => Ok(Value::String(format_period_end_en(period))),
        other => Err(Error::msg(format!(
            "filter `period_end_en` expects a string, got `{other}`"
        ))),
    }
}

fn humanize_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::String(slug) => Ok(Value::String(humanize(slug))),
        other => Err(Error::msg(format!(
            "filter `humanize` expects a string, got `{other}`"
        ))),
    }
}

fn css_string_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    match value {
        Value::String(text) => Ok(Value::String(css_string(text))),
        other => Err(Error::msg(format!(
            "filter `css_string` expects a string, got `{other}`"
        ))),
    }
}

/// `text` as a quoted CSS string (for `content:` in the page's style, such
/// as the printed page's running header). Quotes, backslashes, `<`, `>`,
/// `&` and control characters become CSS escapes (`\3c `), so no text can
/// end the string or the `<style>` element, and nothing is left for HTML
/// escaping to garble: the result is marked `safe` in the template.
fn css_string(text: &str) -> String {
    let mut css = String::with_capacity(text.len() + 2);
    css.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\'' | '\\' | '<' | '>' | '&') || c.is_control() {
            css.push_str(&format!("\\{:x} ", u32::from(c)));
        } else {
            css.push(c);
        }
    }
    css.push('"');
    css
}

fn decimal_filter(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let places = match args.get("places") {
        None => 2,
        Some(p) => p
            .as_u64()
            .and_then(|p| u32::try_from(p).ok())
            .ok_or_else(|| Error::msg("filter `decimal`: `places` must be a whole number"))?,
    };
    let Some(x) = number_arg(value, "decimal")? else {
        return Ok(Value::String(MISSING.to_string()));
    };
    format_decimal(x, places)
        .map(Value::String)
        .ok_or_else(|| Error::msg(format!("filter `decimal` cannot show `{x}`")))
}

fn md_filter(value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => {
            return Err(Error::msg(format!(
                "filter `md` expects text, got `{other}`"
            )))
        }
    };
    Ok(Value::String(md_escape(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_end_the_string_or_the_style_element() {
        assert_eq!(css_string("政务微信（2014年）"), "\"政务微信（2014年）\"");
        assert_eq!(
            css_string("a\"b\\c</style>&\n"),
            "\"a\\22 b\\5c c\\3c /style\\3e \\26 \\a \""
        );
    }

    #[test]
    fn pct_rounds_half_away_from_zero_on_decimals() {
        assert_eq!(format_pct(0.15004).unwrap(), "15.0%");
        assert_eq!(format_pct(0.8465).unwrap(), "84.7%");
        assert_eq!(format_pct(0.0005).unwrap(), "0.1%");
        assert_eq!(format_pct(0.9995).unwrap(), "100.0%");
        assert_eq!(format_pct(0.00049).unwrap(), "0.0%");
        assert_eq!(format_pct(0.367).unwrap(), "36.7%");
        assert_eq!(format_pct(1.0).unwrap(), "100.0%");
        assert_eq!(format_pct(0.0).unwrap(), "0.0%");
        assert_eq!(format_pct(f64::NAN), None);
    }

    #[test]
    fn count_groups_thousands() {
        assert_eq!(group_thousands(40_924), "40,924");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(0), "0");
        assert_eq!(format_count(36_412.5).unwrap(), "36,413");
        assert_eq!(format_count(-2_500.0).unwrap(), "-2,500");
    }

    #[test]
    fn wan_floor_rounds_down() {
        assert_eq!(format_wan_floor(36_412.3).unwrap(), "3.6万");
        assert_eq!(format_wan_floor(36_999.9).unwrap(), "3.6万");
        assert_eq!(format_wan_floor(40_000.0).unwrap(), "4万");
        assert_eq!(format_wan_floor(9_999.9).unwrap(), "9,999");
        assert_eq!(format_wan_floor(1_475_000_000.0).unwrap(), "14.7亿");
        assert_eq!(format_wan_floor(-1.0), None);
    }

    #[test]
    fn wan_round_rounds_half_away() {
        assert_eq!(format_wan_round(1_456_492_000.0).unwrap(), "14.6亿");
        assert_eq!(format_wan_round(1_494_999_999.0).unwrap(), "14.9亿");
        assert_eq!(format_wan_round(218_647_345.0).unwrap(), "2.2亿");
        assert_eq!(format_wan_round(36_450.0).unwrap(), "3.6万");
        assert_eq!(format_wan_round(36_550.0).unwrap(), "3.7万");
        assert_eq!(format_wan_round(40_000.0).unwrap(), "4万");
        // Just below 1亿 rounds up to it, not to "10,000万".
        assert_eq!(format_wan_round(99_996_000.0).unwrap(), "1亿");
        assert_eq!(format_wan_round(99_994_000.0).unwrap(), "9,999.4万");
        assert_eq!(format_wan_round(9_999.0).unwrap(), "9,999");
        assert_eq!(format_wan_round(-1.0), None);
        assert_eq!(format_wan_round(f64::NAN), None);
    }

    #[test]
    fn growth_and_ratio_carry_sign_and_unit() {
        assert_eq!(format_growth(1.193).unwrap(), "+119.3%");
        assert_eq!(format_growth(-0.0525).unwrap(), "-5.3%");
        assert_eq!(format_growth(0.0).unwrap(), "0.0%");
        assert_eq!(format_growth(12.5).unwrap(), "+1,250.0%");
        assert_eq!(format_ratio(2.06).unwrap(), "2.1倍");
        assert_eq!(format_ratio(2.05).unwrap(), "2.1倍");
    }

    #[test]
    fn decimal_pads_and_rounds() {
        assert_eq!(format_decimal(0.12345, 2).unwrap(), "0.12");
        assert_eq!(format_decimal(0.125, 2).unwrap(), "0.13");
        assert_eq!(format_decimal(0.05, 3).unwrap(), "0.050");
        assert_eq!(format_decimal(1234.5, 0).unwrap(), "1,235");
    }

    #[test]
    fn null_shows_a_dash() {
        let none = HashMap::new();
        assert_eq!(growth_filter(&Value::Null, &none).unwrap(), "—");
        assert_eq!(ratio_filter(&Value::Null, &none).unwrap(), "—");
        assert_eq!(
            count_filter(&Value::from(40_924u64), &none).unwrap(),
            "40,924"
        );
        assert!(pct_filter(&Value::from("x"), &none).is_err());
    }

    #[test]
    fn periods_read_in_chinese() {
        assert_eq!(format_period("2014"), "2014年");
        assert_eq!(format_period("2014H1"), "2014年上半年");
        assert_eq!(format_period("2014Q3"), "2014年第三季度");
        assert_eq!(format_period("2014-06"), "2014年6月");
        assert_eq!(format_period("2014-13"), "2014-13");
        assert_eq!(format_period("current"), "current");
        assert_eq!(format_period_end("2014"), "2014年底");
        assert_eq!(format_period_end("2014H1"), "2014年6月底");
        assert_eq!(format_period_end("2014H2"), "2014年底");
        assert_eq!(format_period_end("2014Q3"), "2014年9月底");
        assert_eq!(format_period_end("2014Q4"), "2014年底");
        assert_eq!(format_period_end("2014-06"), "2014年6月底");
        assert_eq!(format_period_end("2014-12"), "2014年12月底");
        assert_eq!(format_period_end("2014-13"), "本期末");
        assert_eq!(format_period_end("current"), "本期末");
    }

    #[test]
    fn periods_read_in_english() {
        assert_eq!(format_period_en("2014"), "2014");
        assert_eq!(format_period_en("2014H1"), "the first half of 2014");
        assert_eq!(format_period_en("2014H2"), "the second half of 2014");
        assert_eq!(format_period_en("2014Q1"), "Q1 2014");
        assert_eq!(format_period_en("2014Q3"), "Q3 2014");
        assert_eq!(format_period_en("2014-06"), "June 2014");
        assert_eq!(format_period_en("2014-12"), "December 2014");
        assert_eq!(format_period_end_en("2014"), "the end of 2014");
        assert_eq!(format_period_end_en("2014H1"), "the end of June 2014");
        assert_eq!(format_period_end_en("2014H2"), "the end of 2014");
        assert_eq!(format_period_end_en("2014Q1"), "the end of March 2014");
        assert_eq!(format_period_end_en("2014Q3"), "the end of September 2014");
        assert_eq!(format_period_end_en("2014Q4"), "the end of 2014");
        assert_eq!(format_period_end_en("2014-06"), "the end of June 2014");
        assert_eq!(format_period_end_en("2014-12"), "the end of December 2014");
    }

    #[test]
    fn odd_period_names_fare_alike_in_both_languages() {
        // Not a period name: `period` and `period_en` leave it as it is,
        // `period_end` and `period_end_en` speak of the period's end.
        for odd in [
            "",
            "current",
            "2014-13",
            "2014-00",
            "2014-6",
            "2014H3",
            "2014Q5",
            "14",
            "二〇一四",
            "2014年",
            "２０１４",
            "2014-06x",
        ] {
            assert_eq!(format_period(odd), odd);
            assert_eq!(format_period_en(odd), odd);
            assert_eq!(format_period_end(odd), "本期末", "{odd:?}");
            assert_eq!(
                format_period_end_en(odd),
                "the end of the period",
                "{odd:?}"
            );
        }
        let none = HashMap::new();
        for filter in [
            period_filter,
            period_en_filter,
            period_end_filter,
            period_end_en_filter,
        ] {
            assert!(filter(&Value::from(2014), &none).is_err());
            assert!(filter(&Value::Null, &none).is_err());
        }
        assert_eq!(
            period_end_en_filter(&Value::from("2014Q2"), &none).unwrap(),
            "the end of June 2014"
        );
        assert_eq!(
            period_en_filter(&Value::from("2014-01"), &none).unwrap(),
            "January 2014"
        );
    }

    #[test]
    fn thousands_floor_rounds_down() {
        assert_eq!(format_thousands_floor(36_412.3).unwrap(), "36,000");
        assert_eq!(format_thousands_floor(36_999.9).unwrap(), "36,000");
        assert_eq!(format_thousands_floor(40_000.0).unwrap(), "40,000");
        assert_eq!(format_thousands_floor(9_999.9).unwrap(), "9,999");
        assert_eq!(format_thousands_floor(0.4).unwrap(), "0");
        assert_eq!(format_thousands_floor(999_999.0).unwrap(), "999,000");
        assert_eq!(format_thousands_floor(1_475_600.0).unwrap(), "1.4 million");
        assert_eq!(format_thousands_floor(2_000_000.0).unwrap(), "2 million");
        assert_eq!(
            format_thousands_floor(1_493_726_024.0).unwrap(),
            "1.4 billion"
        );
        assert_eq!(format_thousands_floor(-1.0), None);
        assert_eq!(format_thousands_floor(f64::NAN), None);
        assert_eq!(format_thousands_floor(f64::INFINITY), None);
        // Like wan_floor: null is a dash, a negative or a text an error.
        let none = HashMap::new();
        for filter in [wan_floor_filter, thousands_floor_filter] {
            assert_eq!(filter(&Value::Null, &none).unwrap(), "—");
            assert!(filter(&Value::from(-5.0), &none).is_err());
            assert!(filter(&Value::from("36412"), &none).is_err());
        }
        assert_eq!(
            thousands_floor_filter(&Value::from(36_500u64), &none).unwrap(),
            "36,000"
        );
    }

    #[test]
    fn ratio_in_english() {
        assert_eq!(format_ratio_en(2.06).unwrap(), "2.1 times");
        assert_eq!(format_ratio_en(12_196.0 / 2_900.0).unwrap(), "4.2 times");
        assert_eq!(format_ratio_en(1_234.56).unwrap(), "1,234.6 times");
        assert_eq!(format_ratio_en(f64::NAN), None);
        let none = HashMap::new();
        assert_eq!(ratio_en_filter(&Value::Null, &none).unwrap(), "—");
        assert!(ratio_en_filter(&Value::from("2"), &none).is_err());
    }

    #[test]
    fn slugs_read_as_words() {
        assert_eq!(humanize("bad_date"), "Bad date");
        assert_eq!(humanize("no_identity"), "No identity");
        assert_eq!(humanize("province"), "Province");
        assert_eq!(humanize(""), "");
        assert_eq!(humanize("_x__y_"), " x  y ");
        assert_eq!(humanize("ärger_1"), "Ärger 1");
        assert_eq!(humanize("粉丝_量"), "粉丝 量");
        // Markup stays for `md` to escape.
        assert_eq!(
            humanize("[x](javascript:alert(1))"),
            "[x](javascript:alert(1))"
        );
        let none = HashMap::new();
        assert_eq!(
            humanize_filter(&Value::from("field_count"), &none).unwrap(),
            "Field count"
        );
        assert!(humanize_filter(&Value::from(3), &none).is_err());
        assert!(humanize_filter(&Value::Null, &none).is_err());
    }

    #[test]
    fn md_escape_leaves_no_markup() {
        assert_eq!(
            md_escape("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(
            md_escape("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(md_escape("| pipes |"), "\\| pipes \\|");
        assert_eq!(md_escape("{{ tera }}"), "\\{\\{ tera \\}\\}");
        assert_eq!(md_escape("a\n# b\u{0}c"), "a \\# bc");
        assert_eq!(md_escape("1. first"), "1\\. first");
        assert_eq!(md_escape("- item"), "\\- item");
        assert_eq!(md_escape("2014-12 广东"), "2014-12 广东");
    }
}
