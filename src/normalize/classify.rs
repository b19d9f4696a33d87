//! Deciding a record's province, level and domain: from its own columns
//! when they say, otherwise inferred from the city, county, entity and name,
//! and marked with the basis that decided (docs/CONTRACT.md §3).

use serde::Serialize;

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

/// A value and the basis that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decided<T> {
    pub value: T,
    pub basis: Basis,
}

/// Texts of one record that may name places or domains, cleaned.
pub struct Clues<'a> {
    /// The place-name search the texts are read through.
    pub places: &'a Gazetteer,
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
            .map(move |(text, basis)| (gazetteer.locate(text), basis))
    }
}

/// The province when no column gave one: the first clue, in order of trust,
/// that places the record in exactly one province.
pub fn infer_province(clues: &Clues<'_>) -> Option<Decided<Province>> {
    clues
        .located()
        .find_map(|(l, basis)| l.province.map(|value| Decided { value, basis }))
}

/// The level when no column gave one (docs/CONTRACT.md §3): the most specific locality
/// the entity (else the name) names; central keywords when it names none.
pub fn infer_level(clues: &Clues<'_>, settings: &Settings) -> Decided<Level> {
    let gazetteer = clues.places;
    for (text, basis) in clues.texts() {
        let locality = gazetteer.locate(text);
        let level = if locality.township {
            Some(Level::Township)
        } else {
            match locality.kind {
                Some(PlaceKind::County) => Some(Level::County),
                Some(PlaceKind::City) => Some(Level::Municipal),
                Some(PlaceKind::Province) => Some(Level::Provincial),
                None if settings.central_keywords.iter().any(|k| k.matches(text)) => {
                    Some(Level::Central)
                }
                None => None,
            }
        };
        if let Some(value) = level {
            return Decided { value, basis };
        }
    }
    Decided {
        value: Level::Unknown,
        basis: Basis::Fallback,
    }
}

/// The domain: a domain column naming a domain wins; then the entity, the
/// name, and a free-form domain column, through the ordered keyword rules.
pub fn decide_domain(
    column: Option<&str>,
    clues: &Clues<'_>,
    settings: &Settings,
) -> Decided<DomainId> {
    if let Some(value) = column.and_then(|c| settings.domain_by_name(c)) {
        return Decided {
            value,
            basis: Basis::Column,
        };
    }
    clues
        .texts()
        .chain(column.map(|c| (c, Basis::DomainColumn)))
        .find_map(|(text, basis)| {
            settings
                .match_domain(text)
                .map(|value| Decided { value, basis })
        })
        .unwrap_or(Decided {
            value: settings.other_domain,
            basis: Basis::Fallback,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clues<'a>(entity: Option<&'a str>, name: Option<&'a str>) -> Clues<'a> {
        Clues {
            places: Gazetteer::get(),
            city: None,
            county: None,
            entity,
            name,
        }
    }

    #[test]
    fn levels_follow_the_most_specific_locality() {
        let s = Settings::builtin();
        let level = |e: &str| infer_level(&clues(Some(e), None), &s).value;
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
            s.domain(decide_domain(col, &clues(e, n), &s).value)
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
            city: Some("深圳"),
            county: None,
            entity: None,
            name: None,
        };
        assert_eq!(
            infer_province(&c).map(|d| (d.value, d.basis)),
            Some((Province(44), Basis::City))
        );
        let c = clues(Some("中华人民共和国外交部"), Some("外交小灵通"));
        assert_eq!(infer_province(&c), None);
    }
}
