//! Deciding a record's province, level and domain: from its own columns
//! when they say, otherwise inferred from the city, county, entity and name,
//! and marked with the basis that decided (docs/CONTRACT.md §3).

use std::marker::PhantomData;
use std::num::NonZeroU32;

use serde::Serialize;
use strum::VariantArray;

use crate::central::CentralBodies;
use crate::config::{DomainId, Settings};
use crate::gazetteer::{Gazetteer, Locality, PlaceKind};
use crate::geo::Province;

/// Administrative level of the operating body.
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
pub enum Level {
    #[strum(message = "中央")]
    Central,
    #[strum(message = "省级")]
    Provincial,
    #[strum(message = "地市级")]
    Municipal,
    #[strum(message = "区县级")]
    County,
    #[strum(message = "乡镇（街道）")]
    Township,
    #[strum(message = "未知")]
    Unknown,
}

impl Level {
    pub const ALL: &'static [Level] = <Level as strum::VariantArray>::VARIANTS;

    pub fn slug(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        strum::EnumMessage::get_message(&self).expect("every variant has a label")
    }

    /// Reads a level column; `None` when the value names no level.
    pub fn parse_column(text: &str) -> Option<Level> {
        let lower = text.to_ascii_lowercase();
        let level = match lower.as_str() {
            "中央" | "中央级" | "国家级" | "国家" | "部委" | "central" | "national" => {
                Level::Central
            }
            "省" | "省级" | "省部级" | "省直" | "provincial" | "province" => {
                Level::Provincial
            }
            "市" | "市级" | "地市" | "地市级" | "地级" | "municipal" | "prefecture" | "city" => {
                Level::Municipal
            }
            "县" | "县级" | "区县" | "区县级" | "县区" | "county" | "district" => {
                Level::County
            }
            "乡镇" | "乡" | "镇" | "街道" | "乡镇级" | "乡镇(街道)" | "township" | "town" => {
                Level::Township
            }
            _ => return None,
        };
        Some(level)
    }
}

/// What decided an inferred or read value.
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
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Basis {
    /// The record's own column for this field.
    Column,
    City,
    County,
    Entity,
    Name,
    /// A free-form domain column read through the keyword rules.
    DomainColumn,
    /// Nothing decided; the fallback value.
    Fallback,
}

impl Basis {
    pub fn slug(self) -> &'static str {
        self.into()
    }

    pub fn is_inferred(self) -> bool {
        self != Basis::Column
    }
}

/// A value, the basis that decided it, and what in that basis did, in 32
/// bits: the value's code plus one in the top eight, the basis in the next
/// three, the clue in the low 21. Records and accounts hold three each, so
/// that each byte here is some 30 MB at 8M rows; `Option<Decided<T>>` takes
/// 4 bytes too. The bits order as (value, basis, clue) do.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decided<T> {
    bits: NonZeroU32,
    value: PhantomData<T>,
}

/// A value a `Decided` holds: one of at most 255 codes, which order as the
/// values do.
pub trait Decidable: Copy {
    fn code(self) -> u8;
    fn from_code(code: u8) -> Self;
}

impl Decidable for Province {
    fn code(self) -> u8 {
        self.0
    }

    fn from_code(code: u8) -> Province {
        Province(code)
    }
}

impl Decidable for Level {
    fn code(self) -> u8 {
        self as u8
    }

    fn from_code(code: u8) -> Level {
        Level::ALL[usize::from(code)]
    }
}

/// A domain's index: `Settings` holds at most `MAX_DOMAINS`.
impl Decidable for DomainId {
    fn code(self) -> u8 {
        u8::try_from(self).expect("at most MAX_DOMAINS domains")
    }

    fn from_code(code: u8) -> DomainId {
        DomainId::from(code)
    }
}

impl<T: Decidable> Decided<T> {
    /// A value decided with no clue to name (a column, the fallback).
    pub fn new(value: T, basis: Basis) -> Decided<T> {
        Decided::clued(value, basis, Clue::NONE)
    }

    pub fn clued(value: T, basis: Basis, clue: Clue) -> Decided<T> {
        let code = u32::from(value.code()) + 1;
        assert!(code <= 0xff, "a value's code is under 255");
        let bits = code << 24 | (basis as u32) << Clue::BITS | clue.0;
        Decided {
            bits: NonZeroU32::new(bits).expect("the code is at least 1"),
            value: PhantomData,
        }
    }

    pub fn value(self) -> T {
        T::from_code((self.bits.get() >> 24) as u8 - 1)
    }
}

// A basis is 3 bits of a `Decided`.
const _: () = assert!(Basis::VARIANTS.len() <= 8);

impl<T> Decided<T> {
    pub fn basis(self) -> Basis {
        Basis::VARIANTS[(self.bits.get() >> Clue::BITS & 0b111) as usize]
    }

    pub fn clue(self) -> Clue {
        Clue(self.bits.get() & ((1 << Clue::BITS) - 1))
    }
}

impl<T: Decidable + std::fmt::Debug> std::fmt::Debug for Decided<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decided")
            .field("value", &self.value())
            .field("basis", &self.basis())
            .field("clue", &self.clue())
            .finish()
    }
}

/// What in a text decided a value: a place of the division tables, a body
/// of the central list, a central keyword or a domain keyword. Packed in 21
/// bits (the kind in the top three, an index below), to fit a `Decided`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Clue(u32);

/// A clue, unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClueKind {
    /// A place of the gazetteer, by index.
    Place(u32),
    /// A body of the central list, by index.
    CentralBody(u16),
    /// A keyword of `levels.central`, by index.
    CentralKeyword(u32),
    /// A domain keyword, by its index over all domains' keywords.
    DomainKeyword(u32),
}

impl Clue {
    pub const NONE: Clue = Clue(0);
    const BITS: u32 = 21;
    /// The largest index a clue holds: the gazetteer's places and the
    /// settings' keywords number no more (`Gazetteer::build` and
    /// `Settings::parse` check).
    pub const MAX_INDEX: u32 = (1 << 18) - 1;

    pub fn of(kind: ClueKind) -> Clue {
        let (tag, index) = match kind {
            ClueKind::Place(i) => (1, i),
            ClueKind::CentralBody(i) => (2, u32::from(i)),
            ClueKind::CentralKeyword(i) => (3, i),
            ClueKind::DomainKeyword(i) => (4, i),
        };
        assert!(index <= Clue::MAX_INDEX, "a clue's index is under 2^18");
        Clue(tag << 18 | index)
    }

    pub fn kind(self) -> Option<ClueKind> {
        let index = self.0 & Clue::MAX_INDEX;
        match self.0 >> 18 {
            1 => Some(ClueKind::Place(index)),
            2 => Some(ClueKind::CentralBody(index as u16)),
            3 => Some(ClueKind::CentralKeyword(index)),
            4 => Some(ClueKind::DomainKeyword(index)),
            _ => None,
        }
    }

    /// What decided, for an analyst tuning the rules: `最高人民法院 →
    /// central list`, `公安 → keyword of police`, `鼓楼区 (江苏) → division
    /// tables`; empty when a column or the fallback decided.
    pub fn describe(self, settings: &Settings) -> String {
        match self.kind() {
            None => String::new(),
            Some(ClueKind::Place(id)) => {
                let place = settings.places.place(id);
                match place.kind {
                    PlaceKind::Province => format!("{} → division tables", place.name),
                    _ => format!(
                        "{} ({}) → division tables",
                        place.name,
                        place.province.short()
                    ),
                }
            }
            Some(ClueKind::CentralBody(i)) => {
                format!("{} → central list", CentralBodies::get().body(i).name)
            }
            Some(ClueKind::CentralKeyword(i)) => settings
                .central_keywords
                .get(i as usize)
                .map_or_else(String::new, |k| format!("{k} → central keyword")),
            Some(ClueKind::DomainKeyword(i)) => settings
                .domain_keyword(i as usize)
                .map_or_else(String::new, |(domain, k)| {
                    format!("{k} → keyword of {}", settings.domain(domain).slug)
                }),
        }
    }
}

/// Texts of one record that may name places or domains, cleaned.
pub struct Clues<'a> {
    /// The place-name search the texts are read through.
    pub places: &'a Gazetteer,
    /// The record's province, once known: it decides a county name that
    /// several provinces share (鼓楼区) when the level is read.
    pub province: Option<Province>,
    pub city: Option<&'a str>,
    pub county: Option<&'a str>,
    pub entity: Option<&'a str>,
    pub name: Option<&'a str>,
}

impl Clues<'_> {
    /// Free texts in order of trust, each with its basis.
    fn texts(&self) -> impl Iterator<Item = (&str, Basis)> {
        [(self.entity, Basis::Entity), (self.name, Basis::Name)]
            .into_iter()
            .filter_map(|(t, b)| t.map(|t| (t, b)))
    }

    fn located(&self) -> impl Iterator<Item = (Locality, Basis)> + '_ {
        let gazetteer = self.places;
        [(self.county, Basis::County), (self.city, Basis::City)]
            .into_iter()
            .filter_map(|(t, b)| t.map(|t| (t, b)))
            .chain(self.texts())
            .map(move |(text, basis)| (gazetteer.locate(text, None), basis))
    }
}

/// The province when no column gave one: the first clue, in order of trust,
/// that places the record in exactly one province.
pub fn infer_province(clues: &Clues<'_>) -> Option<Decided<Province>> {
    clues.located().find_map(|(l, basis)| {
        l.province.map(|value| {
            let clue = l.place.map_or(Clue::NONE, |p| Clue::of(ClueKind::Place(p)));
            Decided::clued(value, basis, clue)
        })
    })
}

/// The level when no column gave one (docs/CONTRACT.md §3): the most
/// specific locality the entity (else the name) names, a county name shared
/// by several provinces read within the record's province; when it names
/// no place, a body of the central list, else a central keyword.
pub fn infer_level(clues: &Clues<'_>, settings: &Settings) -> Decided<Level> {
    let gazetteer = clues.places;
    for (text, basis) in clues.texts() {
        let locality = gazetteer.locate(text, clues.province);
        let at = locality
            .place
            .map_or(Clue::NONE, |p| Clue::of(ClueKind::Place(p)));
        let level = if locality.township {
            Some((Level::Township, at))
        } else {
            match locality.kind {
                Some(PlaceKind::County) => Some((Level::County, at)),
                Some(PlaceKind::City) => Some((Level::Municipal, at)),
                Some(PlaceKind::Province) => Some((Level::Provincial, at)),
                None => central(text, settings).map(|clue| (Level::Central, clue)),
            }
        };
        if let Some((value, clue)) = level {
            return Decided::clued(value, basis, clue);
        }
    }
    Decided::new(Level::Unknown, Basis::Fallback)
}

/// What marks a text that names no place as a central body's: a body of
/// the central list, else a central keyword.
fn central(text: &str, settings: &Settings) -> Option<Clue> {
    if let Some(body) = CentralBodies::get().find(text) {
        return Some(Clue::of(ClueKind::CentralBody(body)));
    }
    settings
        .central_keywords
        .iter()
        .position(|k| k.matches(text))
        .map(|i| Clue::of(ClueKind::CentralKeyword(i as u32)))
}

/// The domain: a domain column naming a domain wins; then the entity, the
/// name, and a free-form domain column, through the ordered keyword rules.
pub fn decide_domain(
    column: Option<&str>,
    clues: &Clues<'_>,
    settings: &Settings,
) -> Decided<DomainId> {
    if let Some(value) = column.and_then(|c| settings.domain_by_name(c)) {
        return Decided::new(value, Basis::Column);
    }
    clues
        .texts()
        .chain(column.map(|c| (c, Basis::DomainColumn)))
        .find_map(|(text, basis)| {
            settings.match_domain_keyword(text).map(|(value, keyword)| {
                let clue = Clue::of(ClueKind::DomainKeyword(keyword as u32));
                Decided::clued(value, basis, clue)
            })
        })
        .unwrap_or(Decided::new(settings.other_domain, Basis::Fallback))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cmp::Ordering;

    fn clue_kinds() -> impl Strategy<Value = Option<ClueKind>> {
        let index = 0..=Clue::MAX_INDEX;
        prop_oneof![
            Just(None),
            index.clone().prop_map(|i| Some(ClueKind::Place(i))),
            any::<u16>().prop_map(|i| Some(ClueKind::CentralBody(i))),
            index
                .clone()
                .prop_map(|i| Some(ClueKind::CentralKeyword(i))),
            index.prop_map(|i| Some(ClueKind::DomainKeyword(i))),
        ]
    }

    fn decided() -> impl Strategy<Value = (u16, Basis, Clue)> {
        (
            0..crate::config::MAX_DOMAINS as u16,
            proptest::sample::select(Basis::VARIANTS),
            clue_kinds(),
        )
            .prop_map(|(v, b, k)| (v, b, k.map_or(Clue::NONE, Clue::of)))
    }

    proptest! {
        /// A `Decided` gives back what it was made of, and orders and
        /// equals as (value, basis, clue) do: records are sorted by it.
        #[test]
        fn a_decided_keeps_and_orders_its_parts(a in decided(), b in decided()) {
            let make = |(v, basis, clue): (u16, Basis, Clue)| Decided::clued(v, basis, clue);
            let (da, db) = (make(a), make(b));
            prop_assert_eq!((da.value(), da.basis(), da.clue()), a);
            prop_assert_eq!(da.clue().kind(), a.2.kind());
            prop_assert_eq!(da.cmp(&db), a.cmp(&b));
            prop_assert_eq!(Some(da).cmp(&None), Ordering::Greater);
        }
    }

    #[test]
    fn every_province_and_level_fits() {
        for &level in Level::ALL {
            assert_eq!(Decided::new(level, Basis::Name).value(), level);
        }
        for code in [0, 11, 82, 254] {
            let province = Province(code);
            assert_eq!(Decided::new(province, Basis::City).value(), province);
        }
    }

    fn clues<'a>(entity: Option<&'a str>, name: Option<&'a str>) -> Clues<'a> {
        Clues {
            places: Gazetteer::get(),
            province: None,
            city: None,
            county: None,
            entity,
            name,
        }
    }

    #[test]
    fn levels_follow_the_most_specific_locality() {
        let s = Settings::builtin();
        let level = |e: &str| infer_level(&clues(Some(e), None), &s).value();
        assert_eq!(level("北京市公安局"), Level::Provincial);
        assert_eq!(level("广东省卫生和计划生育委员会"), Level::Provincial);
        assert_eq!(level("深圳市公安局"), Level::Municipal);
        assert_eq!(level("昆山市公安局"), Level::County);
        assert_eq!(level("深圳市罗湖区人民法院"), Level::County);
        assert_eq!(level("罗湖区东门街道办事处"), Level::Township);
        assert_eq!(level("中华人民共和国外交部"), Level::Central);
        assert_eq!(level("国家税务总局"), Level::Central);
        assert_eq!(level("某某协会"), Level::Unknown);
    }

    #[test]
    fn entity_outranks_name_and_name_outranks_free_domain_column() {
        let s = Settings::builtin();
        let slug = |col: Option<&str>, e: Option<&str>, n: Option<&str>| {
            s.domain(decide_domain(col, &clues(e, n), &s).value())
                .slug
                .clone()
        };
        assert_eq!(slug(None, Some("深圳市公安局"), Some("深圳发布")), "police");
        assert_eq!(slug(None, None, Some("深圳发布")), "publicity");
        assert_eq!(slug(Some("政法系统"), None, Some("平安深圳")), "police");
        assert_eq!(slug(Some("卫生"), None, Some("某某")), "health");
        assert_eq!(slug(Some("公安"), Some("深圳市卫生局"), None), "police");
        assert_eq!(slug(None, None, Some("某某")), "other");
    }

    #[test]
    fn province_from_the_clues() {
        let c = Clues {
            places: Gazetteer::get(),
            province: None,
            city: Some("深圳"),
            county: None,
            entity: None,
            name: None,
        };
        assert_eq!(
            infer_province(&c).map(|d| (d.value(), d.basis())),
            Some((Province(44), Basis::City))
        );
        let c = clues(Some("中华人民共和国外交部"), Some("外交小灵通"));
        assert_eq!(infer_province(&c), None);
    }
}
