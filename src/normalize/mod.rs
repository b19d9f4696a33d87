//! Normalise: a raw record's cells become a typed `Record` (SPEC §3), or the
//! record is rejected with the field and the reason.
//!
//! Text is NFKC-cleaned, ids are checked and packed, counts and dates are
//! parsed, and province, level and domain are read from their columns or
//! inferred, each marked with the basis that decided it.

pub mod classify;
pub(crate) mod script;
pub mod strings;
pub mod text;
pub mod values;

use std::borrow::Cow;

use serde::Serialize;

pub use classify::{Basis, Decided, Level};
pub use strings::{Interner, Strings, Sym};
pub use values::{Date, OriginalId};

use crate::config::{DomainId, Settings};
use crate::gazetteer::Gazetteer;
use crate::geo::Province;
use crate::ingest::{Column, RawRecord, RejectKind, RowError};
use classify::Clues;

/// Where a record came from: its file within the period, and its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: u32,
    pub line: u32,
}

/// 订阅号, 服务号, 企业号.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Subscription,
    Service,
    Enterprise,
    Unknown,
}

impl AccountType {
    pub const ALL: [AccountType; 4] = [
        AccountType::Subscription,
        AccountType::Service,
        AccountType::Enterprise,
        AccountType::Unknown,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            AccountType::Subscription => "subscription",
            AccountType::Service => "service",
            AccountType::Enterprise => "enterprise",
            AccountType::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountType::Subscription => "订阅号",
            AccountType::Service => "服务号",
            AccountType::Enterprise => "企业号",
            AccountType::Unknown => "未知",
        }
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
    /// The linking key of SPEC §4; `None` when the name has no letters.
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
    pub followers: Option<u64>,
    pub registered_at: Option<Date>,
    /// An original id was given but is not `gh_` + 12 hex digits.
    pub invalid_original_id: bool,
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

/// Normalises one registry record, or says why it cannot be accepted.
pub fn registry_record(
    raw: &RawRecord<'_>,
    settings: &Settings,
    strings: &mut Interner,
) -> Result<Record, RowError> {
    let cell = |c: Column| raw.get(c).map(text::clean).filter(|t| !t.is_empty());
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
    let followers = match cell(Column::Followers) {
        Some(text) => Some(values::parse_count(&text).ok_or_else(|| {
            RowError::new(
                RejectKind::BadNumber,
                Some(Column::Followers),
                format!("`{text}` is not a count"),
            )
        })?),
        None => None,
    };
    let registered_at = match cell(Column::RegisteredAt) {
        Some(text) => Some(values::parse_date(&text).ok_or_else(|| {
            RowError::new(
                RejectKind::BadDate,
                Some(Column::RegisteredAt),
                format!("`{text}` is not a date"),
            )
        })?),
        None => None,
    };
    let entity = cell(Column::Entity);
    // Places and domains are searched in the name as if typed plainly
    // (鄂  州律协, 嘉峪關血站); the record keeps the name as written.
    let plain_name = text::plain(&name);
    let (city, county) = (cell(Column::City), cell(Column::County));
    let clues = Clues {
        city: city.as_deref(),
        county: county.as_deref(),
        entity: entity.as_deref(),
        name: Some(&plain_name),
    };
    let place = Place::read(cell(Column::Province).as_deref(), &clues);
    let level = match cell(Column::Level).as_deref().and_then(Level::parse_column) {
        Some(value) => Decided {
            value,
            basis: Basis::Column,
        },
        None => classify::infer_level(&clues, settings),
    };
    let domain = classify::decide_domain(cell(Column::Domain).as_deref(), &clues, settings);
    let wechat_id = cell(Column::WechatId).map(|w| strings.intern(&w.to_lowercase()));
    let entity_key = entity
        .as_deref()
        .map(text::match_name)
        .filter(|k| !k.is_empty());
    Ok(Record {
        origin: Origin {
            file: raw.file,
            line: raw.line,
        },
        original_id,
        wechat_id,
        match_name: Some(text::match_name(&name))
            .filter(|m| !m.is_empty())
            .map(|m| strings.intern(&m)),
        name: strings.intern(&name),
        entity: entity.as_deref().map(|e| strings.intern(e)),
        entity_key: entity_key.map(|k| strings.intern(&k)),
        province: place.province,
        city: place.city.map(|c| strings.intern(c)),
        county: county.as_deref().map(|c| strings.intern(c)),
        level,
        domain,
        account_type: cell(Column::AccountType)
            .map_or(AccountType::Unknown, |t| AccountType::parse(&t)),
        followers,
        registered_at,
        invalid_original_id: original_text.is_some() && original_id.is_none(),
    })
}

/// The place of a record: its province, and its city's full name.
struct Place<'a> {
    province: Option<Decided<Province>>,
    city: Option<&'a str>,
}

impl<'a> Place<'a> {
    /// Reads the province column, else infers the province from the clues;
    /// completes the city column's name within that province.
    fn read(province: Option<&str>, clues: &Clues<'a>) -> Place<'a> {
        let gazetteer = Gazetteer::get();
        let column = province
            .and_then(|p| Province::parse_column(p).or_else(|| gazetteer.locate(p).province));
        let province = match column {
            Some(value) => Some(Decided {
                value,
                basis: Basis::Column,
            }),
            None => classify::infer_province(clues),
        };
        let known = province.map(|p| p.value);
        let city = clues
            .city
            .map(|c| gazetteer.city_column(c, known).map_or(c, |p| p.name));
        Place { province, city }
    }
}

/// One monthly activity row, normalised; matched to its account later.
///
/// It borrows the row's name cell: most rows carry an original id that
/// resolves, and their name is then never cleaned or keyed.
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

/// The match-name of a name cell; `None` when nothing of it is left.
fn name_key(cell: &str) -> Option<String> {
    Some(text::match_name(&text::clean(cell))).filter(|m| !m.is_empty())
}

/// Normalises one activity row, or says why it cannot be accepted.
pub fn activity_record<'a>(raw: &RawRecord<'a>) -> Result<ActivityRecord<'a>, RowError> {
    let cell = |c: Column| raw.get(c).map(text::clean).filter(|t| !t.is_empty());
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
    let month = match cell(Column::Month) {
        Some(text) => values::parse_month(&text).ok_or_else(|| {
            RowError::new(
                RejectKind::BadDate,
                Some(Column::Month),
                format!("`{text}` is not a month"),
            )
        })?,
        None => {
            return Err(RowError::new(
                RejectKind::BadDate,
                Some(Column::Month),
                "no month",
            ))
        }
    };
    let count = |column: Column| -> Result<Option<u64>, RowError> {
        match cell(column) {
            Some(text) => values::parse_count(&text).map(Some).ok_or_else(|| {
                RowError::new(
                    RejectKind::BadNumber,
                    Some(column),
                    format!("`{text}` is not a count"),
                )
            }),
            None => Ok(None),
        }
    };
    let reads = count(Column::Reads)?.ok_or_else(|| {
        RowError::new(
            RejectKind::BadNumber,
            Some(Column::Reads),
            "no reads figure",
        )
    })?;
    Ok(ActivityRecord {
        origin: Origin {
            file: raw.file,
            line: raw.line,
        },
        original_id,
        name,
        keyed,
        month,
        articles: count(Column::Articles)?,
        reads,
        likes: count(Column::Likes)?,
    })
}
