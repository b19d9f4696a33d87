//! Typed values from cleaned cells: counts (`36,000`, `3.6万`, `1.2w`,
//! `10万+`), dates (`2014-03-05`, `2014/3/5`, `2014年3月5日`, `20140305`, Excel
//! serials), months, ids and account types (SPEC §2.1, §2.2).

use serde::Serialize;

/// A read count capped by a third-party export (`10万+`) is stored as this.
pub const CAPPED_COUNT: u64 = 100_001;

/// Parses a non-negative count. `None` means the text is not a count.
pub fn parse_count(text: &str) -> Option<u64> {
    // Most counts are plain digits, which every rule below leaves as they
    // are: parse them without building the compact copy.
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    let compact = compact.trim_end_matches(['人', '个', '次', '篇']);
    if compact.is_empty() {
        return None;
    }
    if compact == "10万+" || compact.eq_ignore_ascii_case("10w+") || compact == "100000+" {
        return Some(CAPPED_COUNT);
    }
    let (number, scale) = if let Some(n) = compact.strip_suffix('万') {
        (n, 10_000)
    } else if let Some(n) = compact.strip_suffix(['w', 'W']) {
        (n, 10_000)
    } else if let Some(n) = compact.strip_suffix(['k', 'K', '千']) {
        (n, 1_000)
    } else {
        (compact, 1)
    };
    scaled_decimal(number, scale)
}

/// `digits[.digits]` times `scale`, rounded half up to a whole number.
fn scaled_decimal(number: &str, scale: u64) -> Option<u64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut value = whole.checked_mul(scale)?;
    // Each fractional digit is worth scale / 10^k; keep exact integer maths.
    let mut unit = scale as u128 * 10; // in tenths of a unit
    let mut remainder_tenths: u128 = 0;
    for digit in fraction.bytes().take(18) {
        unit /= 10;
        remainder_tenths += u128::from(digit - b'0') * unit;
    }
    value = value.checked_add(u64::try_from(remainder_tenths / 10).ok()?)?;
    if remainder_tenths % 10 >= 5 {
        value = value.checked_add(1)?;
    }
    Some(value)
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1900..=2999).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Days since 1970-01-01 → date (civil-from-days, proleptic Gregorian).
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, month as u8, day as u8)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Excel's serial day 25569 is 1970-01-01 (serials count from 1899-12-30).
const EXCEL_UNIX_EPOCH: i64 = 25_569;

/// Parses a date in any of the export forms; a time after it is ignored.
pub fn parse_date(text: &str) -> Option<Date> {
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    if date_part.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !date_part.is_empty() {
        return parse_compact_or_serial(date_part);
    }
    let parts: Vec<&str> = date_part
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => None,
    }
}

fn parse_compact_or_serial(digits: &str) -> Option<Date> {
    if digits.len() == 8 && !digits.contains('.') {
        return Date::new(
            digits[..4].parse().ok()?,
            digits[4..6].parse().ok()?,
            digits[6..].parse().ok()?,
        );
    }
    let serial: f64 = digits.parse().ok()?;
    // Excel serials for 1900–2999; the fraction is a time of day.
    if !(1.0..1_000_000.0).contains(&serial) || digits.len() > 12 {
        return None;
    }
    Date::from_days(serial.floor() as i64 - EXCEL_UNIX_EPOCH)
}

/// A statistics month: `2014-12`, `2014/12`, `2014年12月`, `201412`.
pub fn parse_month(text: &str) -> Option<(u16, u8)> {
    let separated = text.contains(['-', '/', '年', '.']);
    let (year, month) = if separated {
        let mut parts = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty());
        (parts.next()?, parts.next()?)
    } else if text.bytes().filter(u8::is_ascii_digit).count() == 6 {
        (&text[..4], &text[4..6])
    } else {
        return None;
    };
    let (year, month): (u16, u8) = (year.parse().ok()?, month.parse().ok()?);
    ((1900..=2999).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

/// An original id `gh_` + 12 hex digits, packed into an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OriginalId(pub u64);

impl OriginalId {
    /// Reads a cleaned cell; case and surrounding space do not matter.
    pub fn parse(text: &str) -> Option<OriginalId> {
        let text = text.trim();
        let hex = text
            .get(..3)
            .filter(|p| p.eq_ignore_ascii_case("gh_"))
            .and(text.get(3..))?;
        if hex.len() != 12 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(hex, 16).ok().map(OriginalId)
    }
}

impl std::fmt::Display for OriginalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "gh_{:012x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_every_form() {
        for (text, value) in [
            ("36000", 36000),
            ("36,000", 36000),
            ("3.6万", 36000),
            ("3.6213万", 36213),
            ("1.2w", 12000),
            ("1.2W", 12000),
            ("10万+", CAPPED_COUNT),
            ("0", 0),
            ("12 345人", 12345),
            ("0.00005万", 1),
        ] {
            assert_eq!(parse_count(text), Some(value), "{text}");
        }
        for text in [
            "abc",
            "-5",
            "3.6.1万",
            "万",
            "",
            "1e5",
            "99999999999999999999",
        ] {
            assert_eq!(parse_count(text), None, "{text}");
        }
    }

    #[test]
    fn dates_in_every_form() {
        let d = Date::new(2014, 3, 5);
        for text in [
            "2014-03-05",
            "2014/3/5",
            "2014年3月5日",
            "20140305",
            "41703",
            "2014-03-05 10:22:01",
            "41703.5",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
        for text in ["2014-13-45", "2014-02-30", "abc", "05/03/2014", ""] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(
            Date::from_days(0).map(|d| d.to_string()).as_deref(),
            Some("1970-01-01")
        );
    }

    #[test]
    fn months_in_every_form() {
        for text in ["2014-12", "2014年12月", "201412", "2014/12"] {
            assert_eq!(parse_month(text), Some((2014, 12)), "{text}");
        }
        assert_eq!(parse_month("2014-13"), None);
        assert_eq!(parse_month("12月"), None);
    }

    #[test]
    fn original_ids_pack_and_print() {
        let id = OriginalId::parse(" GH_0123456789AB ").expect("valid");
        assert_eq!(id.to_string(), "gh_0123456789ab");
        assert_eq!(OriginalId::parse("gh_0123"), None);
        assert_eq!(OriginalId::parse("gh_0123456789ag"), None);
    }
}
