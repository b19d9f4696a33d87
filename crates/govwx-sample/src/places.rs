//! The places accounts belong to: cities, counties and townships of each
//! province, from the GB/T 2260 tables the product reads (`govwx::divisions`)
//! and, for townships, the streets table beside them.
//!
//! The generator names real places so that the pipeline can place an account
//! from its entity alone, through the same tables. Placeholder rows (市辖区,
//! 省直辖县级行政区划, 县) and development zones are not places, and counties
//! that share their city's name (东莞市) are left out because an entity naming
//! them could not tell the county from the city.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use govwx::divisions::{self, Divisions};
use serde::Deserialize;

/// Townships are the generator's alone: the product does not compile them in.
const STREETS: &str = include_str!("../../../data/divisions/streets.csv");

/// A row of `streets.csv`.
#[derive(Deserialize)]
struct Street {
    name: String,
    #[serde(rename = "areaCode")]
    area: String,
}

const PLACEHOLDERS: &[&str] = &["市辖区", "省直辖县级行政区划", "县"];
const NOT_COUNTIES: &[&str] = &["开发区", "管理区", "高新", "园区", "新区", "工业区"];

/// A county-level division and the city above it, if any.
#[derive(Debug, Clone)]
pub(crate) struct County {
    pub name: &'static str,
    /// Prefecture-level city; `None` under a municipality or directly under
    /// the province (仙桃市).
    pub city: Option<&'static str>,
}

/// A township (乡, 镇, 街道) and its county.
#[derive(Debug, Clone)]
pub(crate) struct Township {
    pub name: &'static str,
    pub county: usize,
}

/// The places of one province.
#[derive(Debug, Default)]
pub(crate) struct ProvincePlaces {
    pub cities: Vec<&'static str>,
    pub counties: Vec<County>,
    pub townships: Vec<Township>,
}

/// Every place of the mainland, by province code, plus a matcher that finds
/// the places an entity names.
pub(crate) struct Gazetteer {
    pub provinces: BTreeMap<u8, ProvincePlaces>,
    matcher: AhoCorasick,
    /// Kind of each matcher pattern, in pattern order.
    kinds: Vec<PlaceKind>,
}

/// What a place name found in an entity denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlaceKind {
    Province,
    City,
    County,
}

impl Gazetteer {
    /// Reads the compiled-in tables.
    pub fn load() -> Gazetteer {
        let tables = Divisions::get();
        let mut provinces: BTreeMap<u8, ProvincePlaces> = BTreeMap::new();
        let mut city_names: BTreeMap<&str, &'static str> = BTreeMap::new();
        for row in &tables.cities {
            city_names.insert(&row.code, &row.name);
            if !PLACEHOLDERS.contains(&row.name.as_str()) {
                provinces
                    .entry(row.province)
                    .or_default()
                    .cities
                    .push(&row.name);
            }
        }
        let mut county_index: BTreeMap<&str, (u8, usize)> = BTreeMap::new();
        for row in &tables.areas {
            let name = row.name.as_str();
            let city = city_names
                .get(row.city.as_str())
                .copied()
                .filter(|c| !PLACEHOLDERS.contains(c));
            if city == Some(name) || NOT_COUNTIES.iter().any(|w| name.contains(w)) {
                continue;
            }
            let places = provinces.entry(row.province).or_default();
            county_index.insert(&row.code, (row.province, places.counties.len()));
            places.counties.push(County { name, city });
        }
        static STREETS_TABLE: OnceLock<Vec<Street>> = OnceLock::new();
        for row in STREETS_TABLE.get_or_init(|| divisions::rows(STREETS)) {
            let is_township = ["街道", "镇", "乡"].iter().any(|m| row.name.ends_with(m));
            if let (true, Some(&(province, county))) =
                (is_township, county_index.get(row.area.as_str()))
            {
                let places = provinces.get_mut(&province).expect("county was indexed");
                places.townships.push(Township {
                    name: &row.name,
                    county,
                });
            }
        }
        let (matcher, kinds) = place_matcher(&provinces);
        Gazetteer {
            provinces,
            matcher,
            kinds,
        }
    }

    pub fn places(&self, province: u8) -> &ProvincePlaces {
        static EMPTY: ProvincePlaces = ProvincePlaces {
            cities: Vec::new(),
            counties: Vec::new(),
            townships: Vec::new(),
        };
        self.provinces.get(&province).unwrap_or(&EMPTY)
    }

    /// Every place name found in `text` (overlapping), with its kind.
    pub fn named_places<'t>(&self, text: &'t str) -> Vec<(PlaceKind, &'t str)> {
        self.matcher
            .find_overlapping_iter(text)
            .map(|m| {
                (
                    self.kinds[m.pattern().as_usize()],
                    &text[m.start()..m.end()],
                )
            })
            .collect()
    }
}

/// Province full and short names, city names and county names, deduplicated.
fn place_matcher(provinces: &BTreeMap<u8, ProvincePlaces>) -> (AhoCorasick, Vec<PlaceKind>) {
    let mut names: BTreeMap<&str, PlaceKind> = BTreeMap::new();
    for places in provinces.values() {
        for county in &places.counties {
            names.insert(county.name, PlaceKind::County);
        }
        for city in &places.cities {
            names.insert(city, PlaceKind::City);
        }
    }
    for (name, _) in govwx::geo::Province::text_names() {
        names.insert(name, PlaceKind::Province);
    }
    let kinds = names.values().copied().collect();
    let matcher = AhoCorasick::new(names.keys()).expect("place names build a matcher");
    (matcher, kinds)
}

/// The name a place goes by in account names: 深圳市 → 深圳, 罗湖区 → 罗湖,
/// 延边朝鲜族自治州 → 延边. Two-character names keep their suffix (城区).
pub(crate) fn short_name(name: &str) -> &str {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    if let Some(pos) = name.find("族乡").or_else(|| name.find("自治")) {
        let cut = name[..pos].char_indices().nth(2).map_or(pos, |(i, _)| i);
        return &name[..cut];
    }
    if chars.len() <= 2 {
        return name;
    }
    for suffix in [
        "自治区",
        "特别行政区",
        "街道",
        "地区",
        "省",
        "市",
        "区",
        "县",
        "镇",
        "乡",
        "旗",
        "盟",
    ] {
        if let Some(stem) = name.strip_suffix(suffix) {
            if stem.chars().count() >= 2 {
                return stem;
            }
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_read_without_placeholders() {
        let g = Gazetteer::load();
        let gd = g.places(44);
        assert!(gd.cities.contains(&"深圳市"));
        assert!(!g.places(11).cities.contains(&"市辖区"));
        assert!(gd
            .counties
            .iter()
            .any(|c| c.name == "罗湖区" && c.city == Some("深圳市")));
        assert!(!gd.counties.iter().any(|c| c.name == "东莞市"));
        assert!(gd.townships.len() > 1000);
        assert_eq!(g.provinces.len(), 31);
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("深圳市"), "深圳");
        assert_eq!(short_name("延边朝鲜族自治州"), "延边");
        assert_eq!(short_name("城区"), "城区");
        assert_eq!(short_name("东门街道"), "东门");
        assert_eq!(short_name("广东省"), "广东");
        assert_eq!(short_name("伊犁哈萨克自治州"), "伊犁");
        assert_eq!(short_name("布嘎回族乡"), "布嘎");
    }
}
