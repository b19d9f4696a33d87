//! Normalise: a raw record's cells become a typed `Record` (docs/CONTRACT.md §3), or the
//! record is rejected with the field and the reason.
//!
//! Text is NFKC-cleaned, ids are checked and packed, counts and dates are
//! parsed, and province, level and domain are read from their columns or
//! inferred, each marked with the basis that decided it.

pub mod classify;
pub mod strings;
pub mod values;

use std::borrow::Cow;

use serde::Serialize;

pub use classify::{Basis, Clue, ClueKind, Decided, Level};
pub use strings::{Interner, Strings, Sym};
pub use values::{Count, Date, OriginalId};

use crate::config::{DomainId, Settings};
use crate::geo::Province;
use rayon::prelude::*;

use crate::ingest::{Column, RawRecord, RejectKind, RowError};
use crate::text;
use classify::Clues;

/// Where a record came from: its file within the period, and its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: u32,
    pub line: u32,
}

/// 订阅号, 服务号, 企业号.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumMessage,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AccountType {
    #[strum(message = "订阅号")]
    Subscription,
    #[strum(message = "服务号")]
    Service,
    #[strum(message = "企业号")]
    Enterprise,
    #[strum(message = "未知")]
    Unknown,
}

impl AccountType {
    pub const ALL: &'static [AccountType] = <AccountType as strum::VariantArray>::VARIANTS;

    pub fn slug(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        strum::EnumMessage::get_message(&self).expect("every variant has a label")
    }

    fn parse(text: &str) -> AccountType {
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "订阅号" | "订阅" | "subscription" | "subscription account" => {
                AccountType::Subscription
            }
            "服务号" | "服务" | "service" | "service account" => AccountType::Service,
            "企业号" | "企业" | "企业微信" | "enterprise" | "enterprise account" => {
                AccountType::Enterprise
            }
            _ => AccountType::Unknown,
        }
    }
}

/// One registry record, normalised. Its text is in the period's `Strings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub origin: Origin,
    pub original_id: Option<OriginalId>,
    /// Lower-cased alias.
    pub wechat_id: Option<Sym>,
    /// Cleaned display name; empty when the record has only an id.
    pub name: Sym,
    /// The linking key of docs/CONTRACT.md §4; `None` when the name has no letters.
    pub match_name: Option<Sym>,
    pub entity: Option<Sym>,
    /// The entity's match-name, when not empty: an entity's full name used
    /// as an account name links to it.
    pub entity_key: Option<Sym>,
    pub province: Option<Decided<Province>>,
    /// The prefecture-level city's full name when the tables know it.
    pub city: Option<Sym>,
    pub county: Option<Sym>,
    pub level: Decided<Level>,
    pub domain: Decided<DomainId>,
    pub account_type: AccountType,
    /// At most `MAX_FOLLOWERS`.
    pub followers: Option<Count>,
    pub registered_at: Option<Date>,
    /// An original id was given but is not `gh_` + 12 hex digits.
    pub invalid_original_id: bool,
    /// A registered date was given but is not a date: it feeds no figure,
    /// so it is dropped (and counted) rather than the record rejected.
    pub bad_registered_at: bool,
}

/// One table of every batch's strings, sorted: equal strings from several
/// batches become one, and symbols compare as their text. `batches` holds
/// each batch's table and how many of `records` (in order) refer to it;
/// the records are moved to the merged table.
pub fn merge_batches(batches: Vec<(Strings, usize)>, records: &mut [Record]) -> Strings {
    let sizes: Vec<(usize, usize)> = batches.iter().map(|(t, n)| (t.len(), *n)).collect();
    let all = Strings::concat(batches.into_iter().map(|(t, _)| t).collect());
    let (strings, renamed) = all.sorted();
    let mut pieces = Vec::with_capacity(sizes.len());
    let (mut rest, mut renamed_rest) = (records, &renamed[..]);
    for (strings_in_batch, records_in_batch) in sizes {
        let (piece, after) = rest.split_at_mut(records_in_batch);
        let (names, names_after) = renamed_rest.split_at(strings_in_batch);
        pieces.push((piece, names));
        (rest, renamed_rest) = (after, names_after);
    }
    pieces
        .into_par_iter()
        .for_each(|(piece, renamed)| piece.iter_mut().for_each(|r| r.rename(renamed)));
    strings
}

impl Record {
    /// Moves the record's symbols to another table: `renamed[old.index()]`.
    pub fn rename(&mut self, renamed: &[Sym]) {
        let new = |sym: &mut Sym| *sym = renamed[sym.index()];
        new(&mut self.name);
        for sym in [
            &mut self.match_name,
            &mut self.wechat_id,
            &mut self.entity,
            &mut self.entity_key,
            &mut self.city,
            &mut self.county,
        ]
        .into_iter()
        .flatten()
        {
            new(sym);
        }
    }
}

/// More followers than WeChat has users: no account has them, so such a
/// count is a broken cell (`18446744073709551615`), not a figure to sum.
pub const MAX_FOLLOWERS: u64 = 1_500_000_000;
// Records and accounts hold followers as a `Count`.
const _: () = assert!(MAX_FOLLOWERS < u32::MAX as u64);

/// Reads of one account in one month: 10^11 is some seventy reads a day by
/// every WeChat user. Likes are bounded the same way.
pub const MAX_MONTHLY_READS: u64 = 100_000_000_000;

/// Articles of one account in one month: far above what any account can
/// publish (a daily push holds at most eight).
pub const MAX_MONTHLY_ARTICLES: u64 = 1_000_000;

/// A cell, cleaned; `None` when it is blank or holds an Excel error
/// literal (`#N/A`, `#VALUE!`): those are no value, and never a name.
fn clean_cell<'a>(raw: &RawRecord<'a>, column: Column) -> Option<Cow<'a, str>> {
    raw.get(column)
        .map(text::clean)
        .filter(|t| !t.is_empty() && !text::is_excel_error(t))
}

/// Reads a count cell of `column`, in the unit its header names, at most
/// `bound`; `None` when the cell is empty.
fn count_cell(raw: &RawRecord<'_>, column: Column, bound: u64) -> Result<Option<u64>, RowError> {
    let Some(text) = clean_cell(raw, column) else {
        return Ok(None);
    };
    let unit = raw.unit(column);
    let bad = |detail: String| RowError::new(RejectKind::BadNumber, Some(column), detail);
    match values::read_count(&text, unit) {
        Ok(n) if n <= bound => Ok(Some(n)),
        Ok(_) | Err(values::CountError::TooLarge) => Err(bad(format!(
            "`{text}` is above {}, more than any account can have",
            thousands(bound)
        ))),
        Err(values::CountError::UnitTwice) => Err(bad(format!(
            "`{text}` names a unit in a column whose header already counts in units of {}: \
             write the number alone",
            thousands(unit)
        ))),
        Err(values::CountError::NotACount) => Err(bad(format!("`{text}` is not a count"))),
    }
}

/// `1500000000` as `1,500,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Normalises one registry record, or says why it cannot be accepted.
pub fn registry_record(
    raw: &RawRecord<'_>,
    settings: &Settings,
    strings: &mut Interner,
) -> Result<Record, RowError> {
    // A text cell that says there is no value (`NULL`, `N/A`, `-`, `无`) is
    // empty: no name, id, place or type is read from it.
    let cell = |c: Column| clean_cell(raw, c).filter(|t| !text::is_placeholder(t));
    let original_text = cell(Column::OriginalId);
    let original_id = original_text.as_deref().and_then(OriginalId::parse);
    // Borrowed when the cell is already clean: the text is interned anyway.
    let name = cell(Column::Name).unwrap_or_default();
    if name.is_empty() && original_id.is_none() {
        let detail = match original_text {
            Some(id) => format!("no name, and original id `{id}` is not `gh_` + 12 hex digits"),
            None => "no name and no original id".to_owned(),
        };
        return Err(RowError::new(
            RejectKind::NoIdentity,
            Some(Column::Name),
            detail,
        ));
    }
    let followers = count_cell(raw, Column::Followers, MAX_FOLLOWERS)?;
    // `-` or `N/A` in a date column is a date that could not be read: the
    // record keeps no date, and the dropped value is counted.
    let registered_text = clean_cell(raw, Column::RegisteredAt);
    let registered_at = registered_text.as_deref().and_then(values::parse_date);
    let entity = cell(Column::Entity);
    // Places and domains are searched in the texts as if typed plainly
    // (鄂  州律协, 嘉峪關血站, 廣東); the record keeps them as written.
    let plain_name = text::plain(&name);
    let (city, county) = (cell(Column::City), cell(Column::County));
    let plain_city = city.as_deref().map(text::plain);
    let plain_county = county.as_deref().map(text::plain);
    let plain_entity = entity.as_deref().map(text::plain);
    let mut clues = Clues {
        places: settings.places,
        province: None,
        city: plain_city.as_deref(),
        county: plain_county.as_deref(),
        entity: plain_entity.as_deref(),
        name: Some(&plain_name),
    };
    let mut place = Place::read(cell(Column::Province).as_deref(), &clues);
    clues.province = place.province.map(|p| p.value);
    let level = match cell(Column::Level).as_deref().and_then(Level::parse_column) {
        Some(value) => Decided::new(value, Basis::Column),
        None => classify::infer_level(&clues, settings),
    };
    // A body of the central list is central wherever an export files it:
    // it has no province (a province column saying 北京 is its seat).
    if matches!(level.clue.kind(), Some(ClueKind::CentralBody(_))) {
        place = Place {
            province: None,
            city: None,
        };
    }
    let domain = classify::decide_domain(cell(Column::Domain).as_deref(), &clues, settings);
    // Lower-cased; most ids are lower-case ASCII already, kept as they are.
    let wechat_id = cell(Column::WechatId).map(|w| {
        match w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            true => strings.intern(&w.to_lowercase()),
            false => strings.intern(&w),
        }
    });
    // A match-name is often the text itself: it is interned only once.
    let interned_key = |strings: &mut Interner, text: &str, sym: Sym| {
        Some(text::match_name(text))
            .filter(|key| !key.is_empty())
            .map(|key| match key == text {
                true => sym,
                false => strings.intern(&key),
            })
    };
    let name_sym = strings.intern(&name);
    let match_name = interned_key(strings, &name, name_sym);
    let entity_sym = entity.as_deref().map(|e| strings.intern(e));
    let entity_key = entity
        .as_deref()
        .zip(entity_sym)
        .and_then(|(e, sym)| interned_key(strings, e, sym));
    Ok(Record {
        origin: Origin {
            file: raw.file,
            line: raw.line,
        },
        original_id,
        wechat_id,
        match_name,
        name: name_sym,
        entity: entity_sym,
        entity_key,
        province: place.province,
        // The city as the tables name it, else as the column wrote it.
        city: place.city.or(city.as_deref()).map(|c| strings.intern(c)),
        county: county.as_deref().map(|c| strings.intern(c)),
        level,
        domain,
        account_type: cell(Column::AccountType)
            .map_or(AccountType::Unknown, |t| AccountType::parse(&t)),
        // At most `MAX_FOLLOWERS` (`count_cell`), so it fits.
        followers: followers.and_then(|f| Count::new(u32::try_from(f).ok()?)),
        registered_at,
        invalid_original_id: original_text.is_some() && original_id.is_none(),
        bad_registered_at: registered_text.is_some() && registered_at.is_none(),
    })
}

/// The place of a record: its province, and its city's full name when the
/// division tables know the city.
struct Place {
    province: Option<Decided<Province>>,
    city: Option<&'static str>,
}

impl Place {
    /// Reads the province column, else infers the province from the clues;
    /// completes the city column's name within that province. The column is
    /// read in its plain form: `廣東` and `广 东` are 广东.
    fn read(province: Option<&str>, clues: &Clues<'_>) -> Place {
        let gazetteer = clues.places;
        let column = province.and_then(|p| {
            // As written first: the plain form joins the words of
            // `Inner Mongolia Autonomous Region`.
            let plain = text::plain(p);
            Province::parse_column(p)
                .or_else(|| Province::parse_column(&plain))
                .or_else(|| gazetteer.locate(&plain, None).province)
        });
        let province = match column {
            Some(value) => Some(Decided::new(value, Basis::Column)),
            None => classify::infer_province(clues),
        };
        let known = province.map(|p| p.value);
        let city = clues
            .city
            .and_then(|c| gazetteer.city_column(c, known))
            .map(|p| p.name);
        Place { province, city }
    }
}

/// One monthly activity row, normalised; matched to its account later.
///
/// It borrows the row's name cell: most rows carry an original id that
/// resolves, and their name, when they have one, is keyed only to check
/// that it names no other account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord<'a> {
    pub origin: Origin,
    pub original_id: Option<OriginalId>,
    /// The account name cell, as read.
    name: Option<&'a str>,
    /// Its match-name, worked out already when the row has no valid
    /// original id (it is then the row's only identity).
    keyed: Option<String>,
    /// `(year, month)`.
    pub month: (u16, u8),
    pub articles: Option<u64>,
    pub reads: u64,
    pub likes: Option<u64>,
    /// The inputs of the WCI beyond reads (`crate::wci`), when the row has
    /// any of them: boxed, because most activity tables have none.
    pub influence: Option<Box<Influence>>,
}

/// One WCI input of an activity row (`Influence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Articles,
    Likes,
    HeadlineReads,
    MaxReads,
    MaxLikes,
    Looks,
    Shares,
    HeadlineLooks,
    HeadlineLikes,
    HeadlineShares,
    MaxLooks,
    MaxShares,
    Posts,
    /// The WCI the export publishes, in thousandths.
    WciMilli,
}

/// One month's WCI inputs of an activity row, as far as its table has them:
/// 14 counts and which of them the row gives, in 120 bytes (a struct of
/// `Option<u64>` would take twice that, for every row of a ranking export).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Influence {
    values: [u64; 14],
    present: u16,
    /// For a row that covers a whole period (`2014`, `2014年第四季度`)
    /// rather than a month: its last month. The row's `month` is its first;
    /// it gives WCI inputs only, never a month's reads.
    pub through: Option<(u16, u8)>,
}

impl Influence {
    pub fn get(&self, input: Input) -> Option<u64> {
        let at = input as usize;
        (self.present & (1 << at) != 0).then(|| self.values[at])
    }

    pub fn set(&mut self, input: Input, value: Option<u64>) {
        let at = input as usize;
        match value {
            Some(v) => {
                self.values[at] = v;
                self.present |= 1 << at;
            }
            None => {
                self.values[at] = 0;
                self.present &= !(1 << at);
            }
        }
    }

    /// Whether the row gives an input beyond articles and likes, which
    /// every activity table may have.
    fn beyond_counts(&self) -> bool {
        self.present & !((1 << Input::Articles as u16) | (1 << Input::Likes as u16)) != 0
    }
}

impl ActivityRecord<'_> {
    /// Match-name of the row's account name, when it gives one.
    pub fn match_name(&self) -> Option<Cow<'_, str>> {
        match &self.keyed {
            Some(key) => Some(Cow::Borrowed(key)),
            None => self.name.and_then(name_key).map(Cow::Owned),
        }
    }
}

/// The match-name of a name cell; `None` when nothing of it is left, or
/// when the cell holds no name (`NULL`, `#N/A`).
fn name_key(cell: &str) -> Option<String> {
    let clean = text::clean(cell);
    if text::is_placeholder(&clean) || text::is_excel_error(&clean) {
        return None;
    }
    Some(text::match_name(&clean).into_owned()).filter(|m| !m.is_empty())
}

/// Normalises one activity row, or says why it cannot be accepted.
pub fn activity_record<'a>(raw: &RawRecord<'a>) -> Result<ActivityRecord<'a>, RowError> {
    let cell = |c: Column| clean_cell(raw, c);
    let original_id = cell(Column::OriginalId)
        .as_deref()
        .and_then(OriginalId::parse);
    let name = raw.get(Column::Name);
    let keyed = match original_id {
        Some(_) => None,
        None => Some(name.and_then(name_key).ok_or_else(|| {
            RowError::new(
                RejectKind::NoIdentity,
                Some(Column::OriginalId),
                "no valid original id and no name: the row names no account",
            )
        })?),
    };
    let bad_month =
        |detail: String| RowError::new(RejectKind::BadDate, Some(Column::Month), detail);
    // A ranking export may give one row for a whole period (2014年第四季度)
    // instead of each month: its WCI inputs count, its reads are no month's.
    // `span` is the last month of such a row's period.
    let (month, span) = match cell(Column::Month) {
        None => return Err(bad_month("no month".to_owned())),
        Some(text) => match values::read_month(&text) {
            Ok(month) => (month, None),
            Err(e) => match crate::ingest::period::PeriodName::parse(&text) {
                Some(period) => {
                    let (first, last) = period.months();
                    (first, Some(last))
                }
                None => {
                    return Err(match e {
                        values::MonthError::Ambiguous => bad_month(format!(
                            "`{text}` is ambiguous: a month saved as a number loses October's zero \
                             (`2014.10` becomes `2014.1`); write the month with two digits"
                        )),
                        values::MonthError::NotAMonth => bad_month(format!(
                            "`{text}` is not a month; write it as `2014-12` or `2014年12月`"
                        )),
                    })
                }
            },
        },
    };
    let reads = count_cell(raw, Column::Reads, MAX_MONTHLY_READS)?.ok_or_else(|| {
        RowError::new(
            RejectKind::BadNumber,
            Some(Column::Reads),
            "no reads figure",
        )
    })?;
    let articles = match count_cell(raw, Column::Articles, MAX_MONTHLY_ARTICLES)? {
        Some(n) => Some(n),
        // 平均阅读数 gives the articles when no count does: R / (R/n).
        None => count_cell(raw, Column::AverageReads, MAX_MONTHLY_READS)?
            .filter(|&average| average > 0)
            .map(|average| (reads as f64 / average as f64).round() as u64),
    };
    let likes = count_cell(raw, Column::Likes, MAX_MONTHLY_READS)?;
    Ok(ActivityRecord {
        origin: Origin {
            file: raw.file,
            line: raw.line,
        },
        original_id,
        name,
        keyed,
        month,
        articles,
        reads,
        likes,
        influence: match (influence_cells(raw, articles, likes)?, span) {
            (Some(mut cells), Some(last)) => {
                cells.through = Some(last);
                Some(cells)
            }
            // A whole period's row without WCI inputs says nothing govwx
            // reads: it is no month.
            (None, Some(_)) => {
                return Err(RowError::new(
                    RejectKind::BadDate,
                    Some(Column::Month),
                    "a row for a whole period counts only with WCI inputs (最高阅读数, WCI …); \
                     monthly reads need a month such as `2014-12`",
                ))
            }
            (cells, None) => cells,
        },
    })
}

/// The row's WCI inputs beyond reads; `None` when it has none of them.
fn influence_cells(
    raw: &RawRecord<'_>,
    articles: Option<u64>,
    likes: Option<u64>,
) -> Result<Option<Box<Influence>>, RowError> {
    let count = |c: Column| count_cell(raw, c, MAX_MONTHLY_READS);
    let wci_milli = match clean_cell(raw, Column::Wci) {
        None => None,
        Some(text) => Some(values::read_decimal_milli(&text, 100_000).ok_or_else(|| {
            RowError::new(
                RejectKind::BadNumber,
                Some(Column::Wci),
                format!("`{text}` is not an index value (a number from 0 to 100,000)"),
            )
        })?),
    };
    let mut cells = Influence::default();
    cells.set(Input::Articles, articles);
    cells.set(Input::Likes, likes);
    for (input, column) in [
        (Input::HeadlineReads, Column::HeadlineReads),
        (Input::MaxReads, Column::MaxReads),
        (Input::MaxLikes, Column::MaxLikes),
        (Input::Looks, Column::Looks),
        (Input::Shares, Column::Shares),
        (Input::HeadlineLooks, Column::HeadlineLooks),
        (Input::HeadlineLikes, Column::HeadlineLikes),
        (Input::HeadlineShares, Column::HeadlineShares),
        (Input::MaxLooks, Column::MaxLooks),
        (Input::MaxShares, Column::MaxShares),
        (Input::Posts, Column::Posts),
    ] {
        cells.set(input, count(column)?);
    }
    cells.set(Input::WciMilli, wci_milli);
    Ok(cells.beyond_counts().then(|| Box::new(cells)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use proptest::prelude::*;

    proptest! {
        /// The parsers of place, level and type cells, and the text keys,
        /// take any text: a value or nothing, never a panic.
        #[test]
        fn place_level_and_type_parsers_are_total(
            raw in "(\\PC|[\u{0}-\u{1F}\u{202A}-\u{202E}０-９٠-٩–—〜。]|廣東|广 东|省|市|区|县|镇|乡|街道|Guangdong|Inner Mongolia){0,12}"
        ) {
            for text in [raw.as_str(), &text::clean(&raw)] {
                let _ = Province::parse_column(text);
                let _ = Level::parse_column(text);
                let _ = AccountType::parse(text);
                let gazetteer = Gazetteer::get();
                let _ = gazetteer.locate(text, None);
                let _ = gazetteer.locate(text, Some(Province(11)));
                let _ = crate::central::CentralBodies::get().find(text);
                let _ = gazetteer.city_column(text, None);
                let _ = gazetteer.county_column(text, None, Some(text));
                let _ = (text::match_name(text), text::plain(text), text::header_key(text));
                let _ = name_key(text);
            }
        }
    }

    #[test]
    fn traditional_and_spaced_provinces_are_read() {
        let clues = Clues {
            places: Gazetteer::get(),
            province: None,
            city: None,
            county: None,
            entity: None,
            name: None,
        };
        for text in ["廣東", "广 东", "廣東省", "Inner Mongolia", "内 蒙 古"] {
            let place = Place::read(Some(text), &clues);
            assert_eq!(
                place.province.map(|p| p.basis),
                Some(Basis::Column),
                "{text}"
            );
        }
        assert_eq!(
            Place::read(Some("廣東"), &clues)
                .province
                .map(|p| p.value.short()),
            Some("广东")
        );
    }
}
