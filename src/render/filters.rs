//! Tera filters that turn figures and data into report text.
//!
//! Numbers are shown the Chinese way (`40,924`, `15.0%`, `超过3.6万`) and are
//! rounded on their decimal representation, so a share stored as the binary
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
    tera.register_filter("period", period_filter);
    tera.register_filter("period_end", period_end_filter);
    tera.register_filter("decimal", decimal_filter);
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

/// A period name in Chinese: `2014` → `2014年`, `2014H1` → `2014年上半年`,
/// `2014Q3` → `2014年第三季度`, `2014-06` → `2014年6月`; others unchanged.
pub(crate) fn format_period(period: &str) -> String {
    let Some(year) = period
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
    else {
        return period.to_string();
    };
    let suffix = match &period[4..] {
        "" => String::new(),
        "H1" => "上半年".to_string(),
        "H2" => "下半年".to_string(),
        "Q1" => "第一季度".to_string(),
        "Q2" => "第二季度".to_string(),
        "Q3" => "第三季度".to_string(),
        "Q4" => "第四季度".to_string(),
        rest => match rest.strip_prefix('-').and_then(|m| m.parse::<u8>().ok()) {
            Some(month @ 1..=12) if rest.len() == 3 => format!("{month}月"),
            _ => return period.to_string(),
        },
    };
    format!("{year}年{suffix}")
}

/// The end of a period, for 截至…: `2014` → `2014年底`, `2014H1` →
/// `2014年6月底`, `2014Q3` → `2014年9月底`, `2014-06` → `2014年6月底`;
/// names of no known kind become `本期末`.
pub(crate) fn format_period_end(period: &str) -> String {
    let year = period
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
    let month = match period.get(4..) {
        Some("" | "H2" | "Q4") => Some(12),
        Some("H1" | "Q2") => Some(6),
        Some("Q1") => Some(3),
        Some("Q3") => Some(9),
        Some(rest) if rest.len() == 3 => rest
            .strip_prefix('-')
            .and_then(|m| m.parse::<u8>().ok())
            .filter(|m| (1..=12).contains(m)),
        _ => None,
    };
    match (year, month, period.len()) {
        (Some(year), Some(12), 4..=6) => format!("{year}年底"),
        (Some(year), Some(month), _) => format!("{year}年{month}月底"),
        _ => "本期末".to_string(),
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
