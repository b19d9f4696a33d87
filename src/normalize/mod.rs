//! Normalise: a raw record's cells become a typed `Record` (docs/CONTRACT.md §3), or the
//! record is rejected with the field and the reason.
//!
//! Text is NFKC-cleaned, ids are checked and packed, counts and dates are
//! parsed, and province, level and domain are read from their columns or
//! inferred, each marked with the basis that decided it.

pub mod classify;
pub mod records;
pub mod strings;
pub mod values;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

pub use classify::{Basis, Clue, ClueKind, Decidable, Decided, Level};
pub use records::Records;
pub use strings::{Interner, Strings, Sym};
pub use values::{Count, Date, OriginalId};

use crate::config::{DomainId, Settings};
use crate::gazetteer::Gazetteer;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[cfg(test)]
impl Record {
    /// A record on `line` of file 0 with a name (symbol 0) and nothing
    /// else, decided by nothing: for tests to fill in what they need.
    pub(crate) fn blank(line: u32) -> Record {
        Record {
            origin: Origin { file: 0, line },
            original_id: None,
            wechat_id: None,
            name: Sym::at(0),
            match_name: None,
            entity: None,
            entity_key: None,
            province: None,
            city: None,
            county: None,
            level: Decided::new(Level::Unknown, Basis::Fallback),
            domain: Decided::new(0, Basis::Fallback),
            account_type: AccountType::Unknown,
            followers: None,
            registered_at: None,
            invalid_original_id: false,
            bad_registered_at: false,
        }
    }
}

/// One table of every batch's strings, sorted: equal strings from several
/// batches become one, and symbols compare as their text. `batches` holds
/// each batch's table and the records that refer to it; the records are
/// moved to the merged table, and come back in one `Records`.
pub fn merge_batches(
    batches: Vec<(Strings, Vec<Record>)>,
) -> Result<(Strings, Records), TextTooLarge> {
    let (tables, mut records): (Vec<Strings>, Vec<Vec<Record>>) = batches.into_iter().unzip();
    text_fits(tables.iter().map(Strings::text_bytes).sum())?;
    let sizes: Vec<usize> = tables.iter().map(Strings::len).collect();
    let (strings, renamed) = Strings::concat(tables).sorted();
    let mut pieces = Vec::with_capacity(sizes.len());
    let mut rest = &renamed[..];
    for size in sizes {
        let (names, after) = rest.split_at(size);
        pieces.push(names);
        rest = after;
    }
    records
        .par_iter_mut()
        .zip(pieces)
        .for_each(|(batch, renamed)| batch.iter_mut().for_each(|r| r.rename(renamed)));
    drop(renamed);
    Ok((strings, Records::from_batches(records)))
}

/// More distinct text in one period than a string table can address.
#[derive(Debug, thiserror::Error)]
#[error(
    "the registry files hold {bytes} bytes of distinct text (names, entities, ids, places), \
     more than the {max} one period can hold",
    max = strings::MAX_TEXT
)]
pub struct TextTooLarge {
    bytes: usize,
}

/// Whether one table can hold `bytes` of text, with their lengths.
fn text_fits(bytes: usize) -> Result<(), TextTooLarge> {
    match bytes <= strings::MAX_TEXT {
        true => Ok(()),
        false => Err(TextTooLarge { bytes }),
    }
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

/// A text cell, cleaned; `None` also when it says there is no value
/// (`NULL`, `N/A`, `-`, `无`): no name, id, place or type is read from it.
fn text_cell<'a>(raw: &RawRecord<'a>, column: Column) -> Option<Cow<'a, str>> {
    clean_cell(raw, column).filter(|t| !text::is_placeholder(t))
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
    batch: &mut Batch,
) -> Result<Record, RowError> {
    let cell = |column: Column| text_cell(raw, column);
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
    let (city, county) = (cell(Column::City), cell(Column::County));
    let columns = batch.columns_decide(raw, settings);
    let (place, level, domain) = match columns {
        ColumnDecisions {
            place: Some(place),
            level: Some(level),
            domain: Some(domain),
            ..
        } => (place, level, domain),
        _ => {
            // Places and domains are searched in the texts as if typed
            // plainly (鄂  州律协, 嘉峪關血站, 廣東); the record keeps them
            // as written.
            let plain_name = text::plain(&name);
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
            // Not decided by its column: the province is inferred.
            let mut place = columns.place.unwrap_or_else(|| {
                let province = classify::infer_province(&clues);
                Place::within(province, clues.city, settings.places)
            });
            clues.province = place.province.map(|p| p.value());
            let level = columns
                .level
                .unwrap_or_else(|| classify::infer_level(&clues, settings));
            // A body of the central list is central wherever an export
            // files it: it has no province (a province column saying 北京
            // is its seat).
            if matches!(level.clue().kind(), Some(ClueKind::CentralBody(_))) {
                place = Place {
                    province: None,
                    city: None,
                };
            }
            let domain = columns.domain.unwrap_or_else(|| {
                let column = cell(Column::Domain);
                classify::decide_domain(column.as_deref(), &clues, settings)
            });
            (place, level, domain)
        }
    };
    let strings = &mut batch.strings;
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
        account_type: columns.account_type,
        // At most `MAX_FOLLOWERS` (`count_cell`), so it fits.
        followers: followers.and_then(|f| Count::new(u32::try_from(f).ok()?)),
        registered_at,
        invalid_original_id: original_text.is_some() && original_id.is_none(),
        bad_registered_at: registered_text.is_some() && registered_at.is_none(),
    })
}

/// A batch of registry records being read: the strings they intern, and
/// what their columns decided, by the cells that decided it.
pub struct Batch {
    pub strings: Interner,
    decided: HashMap<Box<[u8]>, ColumnDecisions, foldhash::fast::RandomState>,
    /// The key of the record being read, in a buffer used again.
    key: Vec<u8>,
}

/// The columns whose cells decide a record's place, level, domain and type
/// by themselves, when they do.
const DECIDING: [Column; 5] = [
    Column::Province,
    Column::City,
    Column::Level,
    Column::Domain,
    Column::AccountType,
];

/// The longest key (the deciding cells with their lengths) kept.
const MAX_DECIDING_KEY: usize = 512;

impl Batch {
    /// A batch of about `records` records.
    pub fn with_capacity(records: usize) -> Batch {
        // About four new strings of some 30 bytes per record.
        Batch::for_rows(records, 200 * records)
    }

    /// A batch of `rows` rows whose cells hold `bytes` bytes. What it
    /// interns (names, entities, WeChat ids, places, match-names; each
    /// string once) is about half of its cells' bytes: 72 bytes a row of
    /// 142 in a platform export of random names, less where names repeat.
    pub fn for_rows(rows: usize, bytes: usize) -> Batch {
        Batch {
            strings: Interner::with_capacity(4 * rows, bytes * 5 / 8),
            decided: HashMap::default(),
            key: Vec::new(),
        }
    }

    /// What the record's columns decide, worked out once per distinct
    /// combination of their cells: an export repeats a few hundred of
    /// them over all its rows (the province, city, level, domain and type
    /// of its accounts), so that only the names are read row by row.
    fn columns_decide(&mut self, raw: &RawRecord<'_>, settings: &Settings) -> ColumnDecisions {
        self.key.clear();
        for column in DECIDING {
            match raw.get(column) {
                None => self.key.push(0),
                Some(cell) => {
                    self.key.push(1);
                    self.key
                        .extend_from_slice(&(cell.len() as u64).to_le_bytes());
                    self.key.extend_from_slice(cell.as_bytes());
                }
            }
        }
        if let Some(&decided) = self.decided.get(self.key.as_slice()) {
            return decided;
        }
        let decided = ColumnDecisions::of(raw, settings);
        // Cells this long are no province, level or type anyone repeats:
        // kept, they would hold a copy of every such row's cells.
        if self.key.len() <= MAX_DECIDING_KEY {
            self.decided.insert(self.key.as_slice().into(), decided);
        }
        decided
    }

    /// Done with the batch: its strings are kept, compacted, until every
    /// file is read; what its columns decided goes.
    pub fn finish(&mut self) {
        self.strings.compact();
        self.decided = HashMap::default();
    }
}

/// What a record's province, city, level, domain and type cells decide by
/// themselves; `None` where the column does not decide, and the record's
/// texts are searched instead.
#[derive(Debug, Clone, Copy)]
struct ColumnDecisions {
    /// The province from its column, and the city completed within it.
    place: Option<Place>,
    level: Option<Decided<Level>>,
    domain: Option<Decided<DomainId>>,
    account_type: AccountType,
}

impl ColumnDecisions {
    fn of(raw: &RawRecord<'_>, settings: &Settings) -> ColumnDecisions {
        let cell = |column: Column| text_cell(raw, column);
        let place = cell(Column::Province)
            .and_then(|p| Place::column(&p, settings.places))
            .map(|province| {
                let city = cell(Column::City);
                let plain_city = city.as_deref().map(text::plain);
                let province = Some(Decided::new(province, Basis::Column));
                Place::within(province, plain_city.as_deref(), settings.places)
            });
        let level = cell(Column::Level)
            .as_deref()
            .and_then(Level::parse_column)
            .map(|value| Decided::new(value, Basis::Column));
        let domain = cell(Column::Domain)
            .as_deref()
            .and_then(|c| settings.domain_by_name(c))
            .map(|value| Decided::new(value, Basis::Column));
        ColumnDecisions {
            place,
            level,
            domain,
            account_type: cell(Column::AccountType)
                .map_or(AccountType::Unknown, |t| AccountType::parse(&t)),
        }
    }
}

/// The place of a record: its province, and its city's full name when the
/// division tables know the city.
#[derive(Debug, Clone, Copy)]
struct Place {
    province: Option<Decided<Province>>,
    city: Option<&'static str>,
}

impl Place {
    /// The province a province column names. The column is read in its
    /// plain form too: `廣東` and `广 东` are 广东.
    fn column(province: &str, gazetteer: &Gazetteer) -> Option<Province> {
        // As written first: the plain form joins the words of
        // `Inner Mongolia Autonomous Region`.
        let plain = text::plain(province);
        Province::parse_column(province)
            .or_else(|| Province::parse_column(&plain))
            .or_else(|| gazetteer.locate(&plain, None).province)
    }

    /// A record's province, and its city column's name completed within
    /// that province.
    fn within(
        province: Option<Decided<Province>>,
        plain_city: Option<&str>,
        gazetteer: &Gazetteer,
    ) -> Place {
        let known = province.map(|p| p.value());
        let city = plain_city
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

    /// A period's text up to what a `u32` start addresses is merged; a
    /// byte more is an error that says how much there was, not a panic.
    #[test]
    fn text_beyond_what_a_table_addresses_is_an_error() {
        assert!(text_fits(0).is_ok());
        assert!(text_fits(strings::MAX_TEXT).is_ok());
        let error = text_fits(strings::MAX_TEXT + 1).expect_err("too large");
        assert!(
            error
                .to_string()
                .contains("4294967296 bytes of distinct text"),
            "{error}"
        );
        assert!(merge_batches(Vec::new()).is_ok_and(|(s, r)| s.is_empty() && r.is_empty()));
    }

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
        for text in ["廣東", "广 东", "廣東省", "Inner Mongolia", "内 蒙 古"] {
            assert!(Place::column(text, Gazetteer::get()).is_some(), "{text}");
        }
        assert_eq!(
            Place::column("廣東", Gazetteer::get()).map(|p| p.short()),
            Some("广东")
        );
    }

    /// A city cell longer than the longest key a batch keeps.
    const LONG_CITY: &str = "深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市深圳市";

    const _: () = assert!(LONG_CITY.len() > MAX_DECIDING_KEY);

    /// What a record's columns and texts decided, with its city as text.
    type Decisions = (
        Option<Decided<Province>>,
        Option<String>,
        Decided<Level>,
        Decided<DomainId>,
        AccountType,
    );

    /// Reads each row as a record of `schema` with `batch`, or why it was
    /// rejected.
    fn decide(
        schema: &crate::ingest::Schema,
        rows: &[Vec<&str>],
        batch: &mut Batch,
    ) -> Vec<Result<Record, String>> {
        let settings = Settings::builtin();
        rows.iter()
            .map(|row| {
                let cells = csv::StringRecord::from(row.clone());
                let raw = RawRecord::of(schema, &cells);
                registry_record(&raw, &settings, batch).map_err(|e| e.detail)
            })
            .collect()
    }

    /// What each record decided, its city as text.
    fn decisions(
        read: Vec<Result<Record, String>>,
        strings: &Strings,
    ) -> Vec<Result<Decisions, String>> {
        read.into_iter()
            .map(|r| {
                r.map(|r| {
                    let city = r.city.map(|c| strings.get(c).to_owned());
                    (r.province, city, r.level, r.domain, r.account_type)
                })
            })
            .collect()
    }

    /// A batch keeps one entry per distinct combination of short deciding
    /// cells, and none for rows whose cells are too long to be repeated.
    #[test]
    fn a_batch_keeps_what_short_cells_decide() {
        let schema = crate::ingest::Schema::recognise(
            ["name", "province", "city", "level", "domain"],
            &crate::ingest::Spellings::default(),
        )
        .expect("a header")
        .expect("a registry header");
        let row = |name, city| vec![name, "广东", city, "市级", "公安"];
        let mut batch = Batch::with_capacity(4);
        let read = decide(
            &schema,
            &[
                row("深圳交警", "深圳"),
                row("深圳公安", "深圳"),
                row("南山公安", LONG_CITY),
            ],
            &mut batch,
        );
        assert!(read.iter().all(Result::is_ok), "{read:?}");
        assert_eq!(batch.decided.len(), 1);
    }

    proptest! {
        /// A batch works out what the place, level, domain and type
        /// columns decide once per distinct combination of their cells;
        /// every record still gets what it would get read alone, whether
        /// the columns decide (城区 completed within 广东 or 山西) or the
        /// texts do (an empty or unknown column, a placeholder, the
        /// central list).
        #[test]
        fn records_sharing_column_cells_decide_as_read_alone(
            rows in prop::collection::vec(
                (
                    prop::sample::select(vec!["", "广东", "山西", "廣東", "Guangdong", "N/A", "火星"]),
                    prop::sample::select(vec!["", "城区", "深圳", "朝阳区", "-", LONG_CITY]),
                    prop::sample::select(vec!["", "市级", "county", "未知"]),
                    prop::sample::select(vec!["", "公安", "医疗卫生", "其他部门"]),
                    prop::sample::select(vec!["", "服务号", "订阅号", "无"]),
                    prop::sample::select(vec!["深圳交警", "朝阳公安", "最高人民法院", "平安", ""]),
                    prop::sample::select(vec!["", "深圳市公安局交通警察支队", "北京市朝阳区卫生局", "国务院新闻办公室"]),
                ),
                1..40,
            )
        ) {
            let schema = crate::ingest::Schema::recognise(
                ["original_id", "name", "entity", "province", "city", "level", "domain", "account_type"],
                &crate::ingest::Spellings::default(),
            )
            .expect("a header")
            .expect("a registry header");
            let rows: Vec<Vec<&str>> = rows
                .iter()
                .enumerate()
                .map(|(i, &(province, city, level, domain, kind, name, entity))| {
                    let id = if i % 3 == 0 { "gh_0123456789ab" } else { "" };
                    vec![id, name, entity, province, city, level, domain, kind]
                })
                .collect();
            let mut batch = Batch::with_capacity(rows.len());
            let together = decide(&schema, &rows, &mut batch);
            let together = decisions(together, &batch.strings.finish());
            let alone: Vec<_> = rows
                .iter()
                .flat_map(|row| {
                    let mut batch = Batch::with_capacity(1);
                    let read = decide(&schema, std::slice::from_ref(row), &mut batch);
                    decisions(read, &batch.strings.finish())
                })
                .collect();
            prop_assert_eq!(together, alone);
        }
    }
}
