//! Typed values from cleaned cells: counts (`36,000`, `3.6万`, `1.2w`,
//! `10万+`), dates (`2014-03-05`, `2014/3/5`, `2014年3月5日`, `20140305`, Excel
//! serials), months, ids and account types (docs/CONTRACT.md §2.1, §2.2).
//!
//! Every parser here is total: any text gives a value or a reason, never a
//! panic. Text is only split at ASCII bytes found by search (always a char
//! boundary), and counts use checked arithmetic. Cells reach these parsers
//! through `text::clean`, so full-width digits are ASCII by then; digits of
//! other scripts (Arabic-Indic `٣`) are not read as numbers.

use serde::Serialize;
use std::num::{NonZeroU32, NonZeroU8};

/// A read count capped by a third-party export (`10万+`) is stored as this.
pub const CAPPED_COUNT: u64 = 100_001;

/// Why a count cell was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountError {
    /// Not a number in any form exports write.
    NotACount,
    /// The cell names a unit (`3.6万`, `10万+`) in a column whose header
    /// already names one (`粉丝数（万）`): 3.6万 of 万 is not meant, and
    /// which one is cannot be told.
    UnitTwice,
    /// Larger than any count can be (beyond `u64`).
    TooLarge,
}

/// Parses a non-negative count. `None` means the text is not a count.
pub fn parse_count(text: &str) -> Option<u64> {
    read_count(text, 1).ok()
}

/// Reads a count in a column whose header says each count is worth `unit`
/// (`粉丝数（万）`: 10,000, so `3.6` is 36,000; 1 when the header names
/// none), with exact decimal maths. A cell that names its own unit in such
/// a column is refused as ambiguous rather than guessed.
pub fn read_count(text: &str, unit: u64) -> Result<u64, CountError> {
    // Most counts are plain digits, which every rule below leaves as they
    // are: parse them without building the compact copy.
    if unit == 1 && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| CountError::TooLarge);
    }
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    let compact = compact.trim_end_matches(['人', '个', '次', '篇']);
    if compact.is_empty() {
        return Err(CountError::NotACount);
    }
    let capped = compact == "10万+" || compact.eq_ignore_ascii_case("10w+") || compact == "100000+";
    let (number, scale) = if let Some(n) = compact.strip_suffix('万') {
        (n, 10_000)
    } else if let Some(n) = compact.strip_suffix(['w', 'W']) {
        (n, 10_000)
    } else if let Some(n) = compact.strip_suffix(['k', 'K', '千']) {
        (n, 1_000)
    } else {
        (compact, 1)
    };
    if (capped || scale != 1) && unit != 1 {
        return Err(CountError::UnitTwice);
    }
    if capped {
        return Ok(CAPPED_COUNT);
    }
    let scale = if scale == 1 { unit } else { scale };
    scaled_decimal(number, scale)
}

/// A non-negative decimal (`823.45`, `1,006.9`) in thousandths, at most
/// `max`; `None` when the text is not one.
pub fn read_decimal_milli(text: &str, max: u64) -> Option<u64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    scaled_decimal(&compact, 1000)
        .ok()
        .filter(|&milli| milli <= max.saturating_mul(1000))
}

/// `digits[.digits]` times `scale`, rounded half up to a whole number.
fn scaled_decimal(number: &str, scale: u64) -> Result<u64, CountError> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Err(CountError::NotACount);
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CountError::NotACount);
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| CountError::TooLarge)?
    };
    let mut value = whole.checked_mul(scale).ok_or(CountError::TooLarge)?;
    // Each fractional digit is worth scale / 10^k; keep exact integer maths.
    let mut unit = u128::from(scale) * 10; // in tenths of a unit
    let mut remainder_tenths: u128 = 0;
    for digit in fraction.bytes().take(18) {
        unit /= 10;
        remainder_tenths += u128::from(digit - b'0') * unit;
    }
    let whole_units = u64::try_from(remainder_tenths / 10).map_err(|_| CountError::TooLarge)?;
    value = value.checked_add(whole_units).ok_or(CountError::TooLarge)?;
    if remainder_tenths % 10 >= 5 {
        value = value.checked_add(1).ok_or(CountError::TooLarge)?;
    }
    Ok(value)
}

/// A calendar date. The month is never 0, so that `Option<Date>` is 4
/// bytes, as `Date` is: records and accounts hold one each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: NonZeroU8,
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
        let month = NonZeroU8::new(month)?;
        ((1900..=2999).contains(&year) && (1..=days).contains(&day)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Days since 1970-01-01 → date (civil-from-days, proleptic Gregorian).
    pub fn from_days(days: i64) -> Option<Date> {
        // Far outside 1900–2999 the arithmetic below could overflow; such
        // days are no date of ours anyway.
        if !(-100_000..=500_000).contains(&days) {
            return None;
        }
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A follower count: 32 bits, but never `u32::MAX`, held inverted so that
/// `Option<Count>` is 4 bytes, as `Count` is. Records and accounts hold one
/// each; `MAX_FOLLOWERS` is far below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Count(NonZeroU32);

impl Count {
    /// `None` for `u32::MAX`, the one value not held.
    pub fn new(value: u32) -> Option<Count> {
        NonZeroU32::new(!value).map(Count)
    }

    pub fn get(self) -> u32 {
        !self.0.get()
    }
}

impl Ord for Count {
    fn cmp(&self, other: &Count) -> std::cmp::Ordering {
        self.get().cmp(&other.get())
    }
}

impl PartialOrd for Count {
    fn partial_cmp(&self, other: &Count) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl From<Count> for u64 {
    fn from(count: Count) -> u64 {
        u64::from(count.get())
    }
}

impl From<Count> for f64 {
    fn from(count: Count) -> f64 {
        f64::from(count.get())
    }
}

/// Excel's serial day 25569 is 1970-01-01 (serials count from 1899-12-30).
const EXCEL_UNIX_EPOCH: i64 = 25_569;

/// The Excel serials read as dates: 1990-01-01 to 2100-12-31. A plain
/// number outside them (`2014`, `201403`) is not taken for a date: it is
/// far likelier a year or a year-month than a day in 1905 or 2451.
const EXCEL_SERIALS: std::ops::RangeInclusive<i64> = 32_874..=73_051;

/// Dashes that exports put between a year and a month or day: the ASCII
/// hyphen-minus and its typographic look-alikes (en and em dash, minus).
/// The wave dash `〜` is not one: it marks a range.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a date in any of the export forms (`2014-03-05`, `2014/3/5`,
/// `2014.03.05`, `2014年3月5日`, `20140305`, an Excel serial such as `41703`);
/// a time after it is ignored.
pub fn parse_date(text: &str) -> Option<Date> {
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    if date_part.is_empty() {
        return None;
    }
    let dots = date_part.bytes().filter(|&b| b == b'.').count();
    if dots <= 1 && date_part.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return parse_compact_or_serial(date_part);
    }
    let separator = |c: char| matches!(c, '/' | '.' | '年' | '月' | '日') || is_dash(c);
    let mut parts = date_part.split(separator).filter(|p| !p.is_empty());
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let short = |p: &str| all_digits(p) && p.len() <= 2;
    if parts.next().is_some()
        || year.len() != 4
        || !all_digits(year)
        || !short(month)
        || !short(day)
    {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// `20140305`, or an Excel serial with an optional time fraction.
fn parse_compact_or_serial(number: &str) -> Option<Date> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.len() == 8 && whole.len() == number.len() {
        // All ASCII digits, so these slices fall on char boundaries.
        return Date::new(
            whole[..4].parse().ok()?,
            whole[4..6].parse().ok()?,
            whole[6..].parse().ok()?,
        );
    }
    if whole.len() != 5 || !all_digits(whole) || (number.contains('.') && !all_digits(fraction)) {
        return None;
    }
    let serial: i64 = whole.parse().ok()?;
    if !EXCEL_SERIALS.contains(&serial) {
        return None;
    }
    Date::from_days(serial - EXCEL_UNIX_EPOCH)
}

/// Why a month cell was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthError {
    /// Not a month in any form exports write.
    NotAMonth,
    /// `2014.1`: a month column saved as a number loses October's zero, so
    /// one digit after the dot may be January or October.
    Ambiguous,
}

/// A statistics month: `2014-12`, `2014/12`, `2014.12`, `2014年12月`,
/// `201412`. `None` when the text is not one; see `read_month`.
pub fn parse_month(text: &str) -> Option<(u16, u8)> {
    read_month(text).ok()
}

/// Reads a statistics month, or says why not.
///
/// The year comes first, as four digits: `12月2014` and `12/2014` are not
/// read (a month-first form is rare in Chinese exports, and `12-2014` could
/// as well be a range). Between year and month: `-` (or a typographic dash:
/// `–`, `—`, `−`), `/`, `.` or `年` (then `月` after the month, optional).
/// A full date (`2014-12-01`) reads as its month. `2014.1` is refused as
/// ambiguous (`2014.01` and `2014.10` are fine); `2014〜12`, `2014。12` and
/// `2014月12` are not months.
pub fn read_month(text: &str) -> Result<(u16, u8), MonthError> {
    use MonthError::NotAMonth;
    let text = text.trim();
    // A time after a date (`2014-12-01 00:00:00`) says nothing of the month.
    let text = match text.split_once(' ') {
        Some((date, time)) if time.contains(':') => date,
        _ => text,
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if all_digits(&compact) {
        // All ASCII digits, so these slices fall on char boundaries.
        return match compact.len() {
            6 => checked_month(&compact[..4], &compact[4..]),
            _ => Err(NotAMonth),
        };
    }
    let year_end = compact
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(compact.len());
    let (year, rest) = compact.split_at(year_end);
    let mut chars = rest.chars();
    let separator = chars.next().ok_or(NotAMonth)?;
    let rest = chars.as_str();
    let month_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (month, tail) = rest.split_at(month_end);
    if year.len() != 4 || !(1..=2).contains(&month.len()) {
        return Err(NotAMonth);
    }
    let day = match separator {
        '年' if matches!(tail, "" | "月" | "月份") => None,
        '年' => return Err(NotAMonth),
        '.' | '/' => tail.strip_prefix(separator),
        c if is_dash(c) => tail.strip_prefix(is_dash),
        _ => return Err(NotAMonth),
    };
    if separator == '.' && month.len() == 1 && tail.is_empty() {
        return Err(MonthError::Ambiguous);
    }
    let (year_month, day) = (checked_month(year, month)?, day);
    match day {
        None if separator == '年' || tail.is_empty() => Ok(year_month),
        Some(day) if all_digits(day) && day.len() <= 2 => {
            let day: u8 = day.parse().map_err(|_| NotAMonth)?;
            Date::new(year_month.0, year_month.1, day)
                .map(|_| year_month)
                .ok_or(NotAMonth)
        }
        _ => Err(NotAMonth),
    }
}

/// Four-digit year and one- or two-digit month, in range.
fn checked_month(year: &str, month: &str) -> Result<(u16, u8), MonthError> {
    let year: u16 = year.parse().map_err(|_| MonthError::NotAMonth)?;
    let month: u8 = month.parse().map_err(|_| MonthError::NotAMonth)?;
    ((1900..=2999).contains(&year) && (1..=12).contains(&month))
        .then_some((year, month))
        .ok_or(MonthError::NotAMonth)
}

/// An original id `gh_` + 12 hex digits, packed into two 32-bit halves:
/// the top 16 of the 48 bits of the digits under a set top bit, then the
/// low 32. An `Option<OriginalId>` takes 8 bytes, aligned to 4, so that a
/// record (which holds one among 4-byte fields) has no padding to 8. Ids
/// order as their digits do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OriginalId {
    high: std::num::NonZeroU32,
    low: u32,
}

impl OriginalId {
    const MARK: u32 = 1 << 31;

    /// The id of these 48 bits (higher bits are dropped).
    pub fn new(digits: u64) -> OriginalId {
        let high = (digits >> 32) as u32 & 0xffff | Self::MARK;
        OriginalId {
            high: std::num::NonZeroU32::new(high).unwrap_or(std::num::NonZeroU32::MIN),
            low: digits as u32,
        }
    }

    /// The 48 bits of its 12 hex digits.
    pub fn digits(self) -> u64 {
        u64::from(self.high.get() & !Self::MARK) << 32 | u64::from(self.low)
    }

    /// The id as text (`gh_` and 12 lower-case hex digits), written into
    /// `buf`: for the audit's millions of cells, without formatting.
    pub fn text(self, buf: &mut [u8; 15]) -> &str {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        buf[..3].copy_from_slice(b"gh_");
        for (i, digit) in buf[3..].iter_mut().enumerate() {
            *digit = HEX[(self.digits() >> (44 - 4 * i) & 0xf) as usize];
        }
        std::str::from_utf8(buf).unwrap_or_default()
    }

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
        u64::from_str_radix(hex, 16).ok().map(OriginalId::new)
    }
}

impl std::fmt::Display for OriginalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "gh_{:012x}", self.digits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            "+5",
        ] {
            assert_eq!(parse_count(text), None, "{text}");
        }
        assert_eq!(
            read_count("99999999999999999999", 1),
            Err(CountError::TooLarge)
        );
    }

    #[test]
    fn counts_in_a_column_with_a_unit_are_exact() {
        assert_eq!(read_count("3.6", 10_000), Ok(36_000));
        assert_eq!(read_count("3.62135", 10_000), Ok(36_214));
        assert_eq!(read_count("12", 10_000), Ok(120_000));
        assert_eq!(read_count("1.5", 1_000), Ok(1_500));
        assert_eq!(read_count("3.6", 1), Ok(4));
        for text in ["3.6万", "10万+", "2k", "1.2w"] {
            assert_eq!(
                read_count(text, 10_000),
                Err(CountError::UnitTwice),
                "{text}"
            );
        }
        assert_eq!(
            read_count("18446744073709551615", 10_000),
            Err(CountError::TooLarge)
        );
    }

    #[test]
    fn dates_in_every_form() {
        let d = Date::new(2014, 3, 5);
        for text in [
            "2014-03-05",
            "2014/3/5",
            "2014.03.05",
            "2014.3.5",
            "2014–03–05",
            "2014年3月5日",
            "20140305",
            "41703",
            "2014-03-05 10:22:01",
            "41703.5",
        ] {
            assert_eq!(parse_date(text), d, "{text}");
        }
        for text in [
            "2014-13-45",
            "2014-02-30",
            "abc",
            "05/03/2014",
            "",
            "2014",
            "201403",
            "2014-03",
            "-",
            "N/A",
            "1.5",
            "99999",
            "2014.03.05.01",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(
            Date::from_days(0).map(|d| d.to_string()).as_deref(),
            Some("1970-01-01")
        );
        assert_eq!(Date::from_days(i64::MAX), None);
        assert_eq!(Date::from_days(i64::MIN), None);
    }

    #[test]
    fn months_in_every_form() {
        for text in [
            "2014-12",
            "2014年12月",
            "201412",
            "2014/12",
            "2014.12",
            "2014–12",
            "2014—12",
            "2014−12",
            "2014-12-01",
            "2014-12-01 00:00:00",
            "2014 年 12 月",
        ] {
            assert_eq!(parse_month(text), Some((2014, 12)), "{text}");
        }
        assert_eq!(parse_month("2014.01"), Some((2014, 1)));
        assert_eq!(parse_month("2014-1"), Some((2014, 1)));
        assert_eq!(parse_month("2014年1月"), Some((2014, 1)));
        for text in [
            "2014-13",
            "12月",
            "12月2014",
            "2014〜12",
            "2014。12",
            "2014月12",
            "2014年13月",
            "2014-12-32",
            "12/2014",
            "2014",
            "",
        ] {
            assert_eq!(read_month(text), Err(MonthError::NotAMonth), "{text}");
        }
        assert_eq!(read_month("2014.1"), Err(MonthError::Ambiguous));
    }

    #[test]
    fn original_ids_pack_and_print() {
        let id = OriginalId::parse(" GH_0123456789AB ").expect("valid");
        assert_eq!(id.to_string(), "gh_0123456789ab");
        assert_eq!(OriginalId::parse("gh_0123"), None);
        assert_eq!(OriginalId::parse("gh_0123456789ag"), None);
        assert_eq!(OriginalId::parse("gh_０１２３４５６７８９ａｂ"), None);
        assert_eq!(OriginalId::parse("g\u{e9}_0123456789ab"), None);
    }

    /// Text of the kinds cells hold: digits of several scripts, CJK, the
    /// punctuation and dashes exports use, controls, and anything else.
    fn cell() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            "[0-9]{1,8}",
            "[٠-٩۰-۹０-９]{1,4}",
            "[-–—−〜。./年月日万千wWk+,，: ]",
            "[\u{4E00}-\u{9FFF}]{1,2}",
            "gh_[0-9a-fA-F]{0,14}",
            "[\u{0}-\u{1F}\u{7F}-\u{9F}\u{200B}-\u{202E}]",
            "\\PC{1,3}",
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(pieces, 0..6).prop_map(|p| p.concat())
    }

    proptest! {
        /// A count holds every value but `u32::MAX`, and orders as its value.
        #[test]
        fn a_count_is_its_value(
            a in prop_oneof![Just(0u32), Just(u32::MAX - 1), Just(u32::MAX), any::<u32>()],
            b in any::<u32>(),
        ) {
            let (ca, cb) = (Count::new(a), Count::new(b));
            prop_assert_eq!(ca.map(Count::get), (a != u32::MAX).then_some(a));
            if let (Some(ca), Some(cb)) = (ca, cb) {
                prop_assert_eq!(ca.cmp(&cb), a.cmp(&b));
                prop_assert_eq!(u64::from(ca), u64::from(a));
                prop_assert_eq!(ca.to_string(), a.to_string());
            }
        }

        #[test]
        fn every_parser_is_total(text in cell(), unit in prop_oneof![Just(1u64), Just(1_000), Just(10_000)]) {
            let _ = read_count(&text, unit);
            let _ = parse_count(&text);
            if let Some(date) = parse_date(&text) {
                prop_assert!(Date::new(date.year, date.month.get(), date.day).is_some());
            }
            if let Ok((year, month)) = read_month(&text) {
                prop_assert!((1900..=2999).contains(&year) && (1..=12).contains(&month));
            }
            if let Some(id) = OriginalId::parse(&text) {
                prop_assert!(id.digits() < 1 << 48);
            }
        }

        #[test]
        fn an_id_reads_back_from_its_text_and_orders_as_it(
            a in 0u64..1 << 48,
            b in 0u64..1 << 48,
            same_high in any::<bool>(),
        ) {
            // Ids that share their high half too, so that the low halves decide.
            let b = if same_high { a & !0xffff_ffff | b & 0xffff_ffff } else { b };
            prop_assert_eq!((OriginalId::new(a).digits(), OriginalId::new(b).digits()), (a, b));
            let (a, b) = (OriginalId::new(a), OriginalId::new(b));
            let (mut x, mut y) = ([0; 15], [0; 15]);
            let (ta, tb) = (a.text(&mut x).to_owned(), b.text(&mut y).to_owned());
            prop_assert_eq!(&ta, &a.to_string());
            prop_assert_eq!(OriginalId::parse(&ta), Some(a));
            prop_assert_eq!(a.cmp(&b), ta.cmp(&tb));
        }

        #[test]
        fn cleaned_cells_parse_as_their_raw_form_would(text in cell()) {
            let clean = super::super::text::clean(&text);
            let _ = (read_count(&clean, 10_000), parse_date(&clean), read_month(&clean), OriginalId::parse(&clean));
        }

        #[test]
        fn plain_counts_read_back(n in any::<u64>()) {
            prop_assert_eq!(read_count(&n.to_string(), 1), Ok(n));
        }
    }
}
