//! The GB/T 2260 division tables, compiled in, and the place-name search
//! that infers a record's province, city and level from free text.
//!
//! Full names of provinces, cities and counties are trusted anywhere in a
//! text; short city names (深圳 for 深圳市) too, unless they collide with a
//! province's name (吉林, 海南). Short county names (罗湖 for 罗湖区) are
//! trusted only in a county column, and one-character province abbreviations
//! only in a province column (`geo`). A name shared by several places (朝阳区)
//! decides nothing by itself: it is resolved through the other places the
//! text names, or left unknown, never guessed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::divisions::Divisions;
use crate::geo::Province;

/// How specific a place is; the order is from broad to narrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlaceKind {
    Province,
    City,
    County,
}

/// One division of the tables.
#[derive(Debug, Clone)]
pub struct Place {
    pub kind: PlaceKind,
    pub province: Province,
    /// Index of the prefecture-level city in `Gazetteer::places`, if any.
    pub city: Option<u32>,
    pub name: &'static str,
}

/// What a free text says about where its body sits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locality {
    pub province: Option<Province>,
    /// Full name of the prefecture-level city.
    pub city: Option<&'static str>,
    /// The most specific kind of place named; `None` when none is.
    pub kind: Option<PlaceKind>,
    /// The text names a township (乡, 镇, 街道).
    pub township: bool,
    /// The most specific place named, by index (`Gazetteer::place`).
    pub place: Option<u32>,
}

pub struct Gazetteer {
    places: Vec<Place>,
    /// Free-text search over trusted names; each pattern's places.
    matcher: AhoCorasick,
    pattern_places: Vec<Vec<u32>>,
    /// Exact lookups for city and county columns, full and short names.
    column_names: HashMap<&'static str, Vec<u32>>,
    /// Short county names (黄浦, 丰顺) and the provinces that have them: too
    /// weak to place a text, a hint of where to look (`hinted_province`).
    hint_matcher: AhoCorasick,
    hint_provinces: Vec<Vec<Province>>,
}

/// Generic county names that would match inside unrelated text.
const GENERIC_COUNTIES: &[&str] = &[
    "城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "新区", "中区",
];

/// Placeholder rows of the tables, which are structure, not places.
const PLACEHOLDERS: &[&str] = &[
    "市辖区",
    "县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
];

/// Ethnic names that follow a prefecture's own name in 自治州 titles.
const ETHNIC: &[&str] = &[
    "朝鲜族",
    "土家族",
    "苗族",
    "藏族",
    "羌族",
    "彝族",
    "壮族",
    "回族",
    "蒙古",
    "哈尼族",
    "傣族",
    "景颇族",
    "傈僳族",
    "白族",
    "布依族",
    "侗族",
    "哈萨克",
    "柯尔克孜",
];

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .finish_non_exhaustive()
    }
}

impl Gazetteer {
    /// The tables, built once per process.
    pub fn get() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(Gazetteer::build)
    }

    fn build() -> Gazetteer {
        let mut places = Vec::new();
        let mut text_names: Vec<(Cow<'static, str>, u32)> = Vec::new();
        let mut column_names: HashMap<&'static str, Vec<u32>> = HashMap::new();
        for (name, province) in Province::text_names() {
            let id = places.len() as u32;
            places.push(Place {
                kind: PlaceKind::Province,
                province,
                city: None,
                name,
            });
            text_names.push((name.into(), id));
        }
        let province_shorts: Vec<&str> = Province::text_names().map(|(n, _)| n).collect();
        let mut city_ids: HashMap<&str, u32> = HashMap::new();
        let tables = Divisions::get();
        for row in &tables.cities {
            let (code, name) = (row.code.as_str(), row.name.as_str());
            let Some(province) = Province::from_code(row.province) else {
                continue;
            };
            if PLACEHOLDERS.contains(&name) {
                continue;
            }
            let id = places.len() as u32;
            places.push(Place {
                kind: PlaceKind::City,
                province,
                city: Some(id),
                name,
            });
            city_ids.insert(code, id);
            text_names.push((name.into(), id));
            column_names.entry(name).or_default().push(id);
            if let Some(short) = short_city_name(name).filter(|s| !province_shorts.contains(s)) {
                text_names.push((short.into(), id));
                column_names.entry(short).or_default().push(id);
            }
        }
        for row in &tables.areas {
            let (name, city_code) = (row.name.as_str(), row.city.as_str());
            let Some(province) = Province::from_code(row.province) else {
                continue;
            };
            if PLACEHOLDERS.contains(&name) {
                continue;
            }
            let id = places.len() as u32;
            let city = city_ids.get(city_code).copied();
            // Cities without counties (东莞市, 中山市) list themselves again
            // as a county; that row is the city, not a second place.
            if city.is_some_and(|c| places[c as usize].name == name) {
                continue;
            }
            places.push(Place {
                kind: PlaceKind::County,
                province,
                city,
                name,
            });
            if !GENERIC_COUNTIES.contains(&name) {
                text_names.push((name.into(), id));
            } else if let Some(city) = city {
                // 城区 alone means nothing; 汕尾市城区 names one county.
                let city_name = places[city as usize].name;
                text_names.push((format!("{city_name}{name}").into(), id));
            }
            column_names.entry(name).or_default().push(id);
            if let Some(short) = short_county_name(name) {
                column_names.entry(short).or_default().push(id);
            }
        }
        let mut hints: HashMap<&'static str, Vec<Province>> = HashMap::new();
        for place in places.iter().filter(|p| p.kind == PlaceKind::County) {
            if let Some(short) = short_county_name(place.name) {
                hints.entry(short).or_default().push(place.province);
            }
        }
        let mut hints: Vec<(&'static str, Vec<Province>)> = hints.into_iter().collect();
        hints.sort_unstable();
        let hint_matcher = AhoCorasick::new(hints.iter().map(|(name, _)| *name))
            .expect("county short names form a valid automaton");
        let hint_provinces = hints.into_iter().map(|(_, p)| p).collect();
        share_city_shorts(&places, &mut text_names);
        let mut by_pattern: HashMap<Cow<'static, str>, Vec<u32>> = HashMap::new();
        for (name, id) in text_names {
            by_pattern.entry(name).or_default().push(id);
        }
        let mut patterns: Vec<(Cow<'static, str>, Vec<u32>)> = by_pattern.into_iter().collect();
        patterns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(name, _)| name.as_ref()))
            .expect("place names form a valid automaton");
        let pattern_places = patterns.into_iter().map(|(_, ids)| ids).collect();
        // A clue names a place by its index in 18 bits: the bundled tables
        // hold fewer, and a test builds them.
        assert!(places.len() <= crate::normalize::Clue::MAX_INDEX as usize + 1);
        Gazetteer {
            places,
            matcher,
            pattern_places,
            column_names,
            hint_matcher,
            hint_provinces,
        }
    }

    pub fn place(&self, id: u32) -> &Place {
        &self.places[id as usize]
    }

    /// Reads a city column: a prefecture-level city's full or short name,
    /// within `province` when it is known. Returns the city's full name.
    pub fn city_column(&self, text: &str, province: Option<Province>) -> Option<&Place> {
        self.unique_column_match(text, province, PlaceKind::City)
    }

    /// Reads a county column: full or short name, within the province and
    /// city when known.
    pub fn county_column(
        &self,
        text: &str,
        province: Option<Province>,
        city: Option<&str>,
    ) -> Option<&Place> {
        let candidates: Vec<&Place> = self
            .column_names
            .get(text)?
            .iter()
            .map(|&id| self.place(id))
            .filter(|p| p.kind == PlaceKind::County)
            .filter(|p| province.is_none_or(|pr| p.province == pr))
            .filter(|p| city.is_none_or(|c| p.city.map(|id| self.place(id).name) == Some(c)))
            .collect();
        match candidates.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    fn unique_column_match(
        &self,
        text: &str,
        province: Option<Province>,
        kind: PlaceKind,
    ) -> Option<&Place> {
        let mut found = self
            .column_names
            .get(text)?
            .iter()
            .map(|&id| self.place(id))
            .filter(|p| p.kind == kind && province.is_none_or(|pr| p.province == pr));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The one province the county short names in `text` point to (丰顺刑警:
    /// 丰顺 is 丰顺县, Guangdong), when every one found points there. Short
    /// names are ordinary words too (平安 is also a district of Qinghai), so
    /// this never places a record: dedup only looks there for an account of
    /// the same name.
    pub fn hinted_province(&self, text: &str) -> Option<Province> {
        let mut found = self
            .hint_matcher
            .find_overlapping_iter(text)
            .flat_map(|m| self.hint_provinces[m.pattern().as_usize()].iter().copied());
        let first = found.next()?;
        found.all(|p| p == first).then_some(first)
    }

    /// Finds the places a free text names and what they say together. A
    /// name several places share (鼓楼区) counts when the text's other places
    /// leave one of them, or else when one of them lies `within` the
    /// province the record is already known to be in.
    pub fn locate(&self, text: &str, within: Option<Province>) -> Locality {
        let mut decisive: Vec<(&Place, u32)> = Vec::new();
        let mut ambiguous: Vec<&[u32]> = Vec::new();
        let mut spans = Vec::new();
        for found in self.matcher.find_iter(text) {
            spans.push((found.start(), found.end()));
            match self.pattern_places[found.pattern().as_usize()].as_slice() {
                &[one] => decisive.push((self.place(one), one)),
                ids => ambiguous.push(ids),
            }
        }
        // 城区, 郊区 and the like name a county only at the start of a text
        // and only in a province that has one (山西's 城区 are counties of
        // several cities): never alone, where they are ordinary words.
        if let Some(province) = within {
            let generic = GENERIC_COUNTIES
                .iter()
                .filter(|g| text.starts_with(*g) && !spans.iter().any(|&(s, _)| s == 0))
                .filter_map(|g| self.column_names.get(g))
                .find(|ids| ids.iter().any(|&id| self.place(id).province == province));
            ambiguous.extend(generic.map(Vec::as_slice));
        }
        let township = names_township(text, &spans);
        self.resolve(decisive, ambiguous, within, township)
    }

    fn resolve<'g>(
        &'g self,
        mut decisive: Vec<(&'g Place, u32)>,
        ambiguous: Vec<&[u32]>,
        within: Option<Province>,
        township: bool,
    ) -> Locality {
        // Names still shared by several places after the text's other
        // places and the province have had their say.
        let mut unresolved: Vec<Vec<(&Place, u32)>> = Vec::new();
        for options in ambiguous {
            let options = options.iter().map(|&id| (self.place(id), id));
            let fitting: Vec<(&Place, u32)> = options
                .clone()
                .filter(|(p, _)| decisive.iter().any(|(d, _)| self.contains(d, p)))
                .collect();
            let fitting = match (fitting.as_slice(), within) {
                ([], Some(province)) => options.filter(|(p, _)| p.province == province).collect(),
                ([], None) => options.collect(),
                _ => fitting,
            };
            match fitting.as_slice() {
                [one] => decisive.push(*one),
                [] => {}
                _ => unresolved.push(fitting),
            }
        }
        let place = decisive
            .iter()
            .enumerate()
            .max_by_key(|&(i, (p, _))| (p.kind, std::cmp::Reverse(i)))
            .map(|(_, &(_, id))| id);
        let decisive: Vec<&Place> = decisive.into_iter().map(|(p, _)| p).collect();
        let mut provinces: Vec<Province> = decisive.iter().map(|p| p.province).collect();
        provinces.dedup();
        provinces.sort_unstable();
        provinces.dedup();
        let province = match provinces.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        let mut cities: Vec<&'static str> = decisive
            .iter()
            .filter_map(|p| p.city.map(|id| self.place(id).name))
            .collect();
        cities.sort_unstable();
        cities.dedup();
        let city = match (province, cities.as_slice()) {
            (Some(_), [one]) => Some(*one),
            _ => None,
        };
        // A shared name still says what kind of place it is when all its
        // places are of one kind (鼓楼区 is a county wherever it is), and,
        // once the province is known, they all lie in it.
        let shared_kind = unresolved
            .iter()
            .filter(|options| {
                options.iter().all(|(p, _)| {
                    p.kind == options[0].0.kind && province.is_none_or(|pr| p.province == pr)
                })
            })
            .map(|options| options[0].0.kind)
            .max();
        let kind = match (province, decisive.is_empty()) {
            (Some(_), _) => decisive.iter().map(|p| p.kind).chain(shared_kind).max(),
            (None, true) => shared_kind,
            (None, false) => None,
        };
        Locality {
            province,
            city,
            kind,
            township,
            place: province.and(place),
        }
    }

    /// Whether place `outer` contains (or is) place `inner`.
    fn contains(&self, outer: &Place, inner: &Place) -> bool {
        match outer.kind {
            PlaceKind::Province => outer.province == inner.province,
            PlaceKind::City => outer.city.is_some() && outer.city == inner.city,
            PlaceKind::County => std::ptr::eq(outer, inner),
        }
    }
}

/// A city's short name that is also the short name of a county elsewhere
/// (资阳: 资阳市 in Sichuan, 资阳区 in Hunan's 益阳市) may mean either: the
/// county joins the pattern's places, so the name alone decides nothing and
/// a second place in the text must resolve it.
fn share_city_shorts(places: &[Place], text_names: &mut Vec<(Cow<'static, str>, u32)>) {
    let city_shorts: HashMap<String, u32> = text_names
        .iter()
        .filter(|(name, id)| {
            let place = &places[*id as usize];
            place.kind == PlaceKind::City && place.name != name.as_ref()
        })
        .map(|(name, id)| (name.to_string(), *id))
        .collect();
    for (id, place) in places.iter().enumerate() {
        if place.kind != PlaceKind::County {
            continue;
        }
        let Some(short) = short_county_name(place.name) else {
            continue;
        };
        if let Some(&city) = city_shorts.get(short) {
            if place.city != Some(city) {
                text_names.push((short.into(), id as u32));
            }
        }
    }
}

/// A township marker (镇, 乡, 街道) after a name, outside any place name
/// (镇江市 is a city) and outside compounds like 城乡 and 乡村.
fn names_township(text: &str, place_spans: &[(usize, usize)]) -> bool {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars.iter().enumerate().any(|(i, &(at, c))| {
        if i == 0 || place_spans.iter().any(|&(s, e)| at >= s && at < e) {
            return false;
        }
        let previous = chars[i - 1].1;
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let named = is_han(previous);
        match c {
            '镇' => named,
            '乡' => named && previous != '城' && next != Some('村') && next != Some('镇'),
            '街' => named && next == Some('道'),
            _ => false,
        }
    })
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn short_city_name(full: &'static str) -> Option<&'static str> {
    let base = if let Some(stem) = full.strip_suffix("自治州") {
        ETHNIC
            .iter()
            .filter_map(|e| stem.find(e))
            .min()
            .map_or(stem, |at| &stem[..at])
    } else {
        full.strip_suffix("地区")
            .or_else(|| full.strip_suffix('盟'))
            .or_else(|| full.strip_suffix('市'))
            .unwrap_or(full)
    };
    (base != full && base.chars().count() >= 2).then_some(base)
}

fn short_county_name(full: &'static str) -> Option<&'static str> {
    let base = ["自治县", "自治旗", "区", "县", "市", "旗"]
        .iter()
        .find_map(|suffix| full.strip_suffix(suffix))?;
    let base = ETHNIC
        .iter()
        .filter_map(|e| base.find(e))
        .min()
        .map_or(base, |at| &base[..at]);
    (base.chars().count() >= 2).then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(text: &str) -> Locality {
        Gazetteer::get().locate(text, None)
    }

    #[test]
    fn the_most_specific_place_decides() {
        let l = locate("深圳市罗湖区人民法院");
        assert_eq!(
            (l.province, l.city, l.kind),
            (Some(Province(44)), Some("深圳市"), Some(PlaceKind::County))
        );
        assert_eq!(locate("深圳市公安局").kind, Some(PlaceKind::City));
        assert_eq!(locate("深圳交警").city, Some("深圳市"));
        assert_eq!(locate("广东省公安厅").kind, Some(PlaceKind::Province));
        assert_eq!(locate("北京市公安局").kind, Some(PlaceKind::Province));
        assert_eq!(locate("昆山市公安局").kind, Some(PlaceKind::County));
        assert_eq!(locate("中山市急救中心").kind, Some(PlaceKind::City));
        assert_eq!(locate("汕尾市城区环境保护局").kind, Some(PlaceKind::County));
        assert_eq!(locate("城区环境保护局").kind, None);
        assert_eq!(locate("东莞市第四人民医院").city, Some("东莞市"));
        assert_eq!(locate("中华人民共和国外交部"), Locality::default());
    }

    #[test]
    fn shared_county_names_need_a_second_place() {
        assert_eq!(locate("朝阳区人民法院").province, None);
        assert_eq!(locate("北京市朝阳区人民法院").province, Some(Province(11)));
        assert_eq!(locate("长春市朝阳区人民法院").province, Some(Province(22)));
        // 资阳 is 资阳市 (Sichuan) or 资阳区 (Hunan): only a second place decides.
        assert_eq!(locate("资阳公积金").province, None);
        assert_eq!(locate("四川资阳公积金").province, Some(Province(51)));
        assert_eq!(
            locate("资阳市住房公积金管理中心").province,
            Some(Province(51))
        );
        assert_eq!(locate("深圳交警").province, Some(Province(44)));
    }

    #[test]
    fn a_shared_county_is_read_within_the_known_province() {
        let g = Gazetteer::get();
        let jiangsu = Some(Province(32));
        // Two 鼓楼区 in Jiangsu (南京, 徐州): a county of Jiangsu, city unknown.
        let l = g.locate("鼓楼区住房公积金管理中心", jiangsu);
        assert_eq!((l.province, l.kind), (None, Some(PlaceKind::County)));
        // One 朝阳区 in Beijing: placed.
        let l = g.locate("朝阳区人民法院", Some(Province(11)));
        assert_eq!(
            (l.province, l.city, l.kind),
            (Some(Province(11)), None, Some(PlaceKind::County))
        );
        assert!(l.place.is_some_and(|p| g.place(p).name == "朝阳区"));
        // Alone, still a county, but nowhere in particular.
        let l = locate("朝阳区人民法院");
        assert_eq!(
            (l.province, l.kind, l.place),
            (None, Some(PlaceKind::County), None)
        );
        // 资阳 is a city or a county: nothing.
        assert_eq!(locate("资阳公积金").kind, None);
        // 城区 counts at the start of a text in a province that has one.
        let l = g.locate("城区人民检察院", Some(Province(44)));
        assert_eq!(
            (l.province, l.kind),
            (Some(Province(44)), Some(PlaceKind::County))
        );
        assert_eq!(g.locate("城区人民检察院", None).kind, None);
        assert_eq!(g.locate("主城区管理局", Some(Province(44))).kind, None);
    }

    #[test]
    fn county_short_names_hint_at_one_province() {
        let g = Gazetteer::get();
        assert_eq!(g.hinted_province("丰顺刑警"), Some(Province(44)));
        assert_eq!(g.hinted_province("黄浦人民医院"), Some(Province(31)));
        // 鼓楼 is a district in several provinces; 平安 (Qinghai) and 顺德
        // (Guangdong) point two ways: no hint.
        assert_eq!(g.hinted_province("鼓楼药检"), None);
        assert_eq!(g.hinted_province("平安顺德"), None);
        assert_eq!(g.hinted_province("深圳交警"), None);
        assert_eq!(g.hinted_province(""), None);
    }

    #[test]
    fn township_markers() {
        assert!(locate("新塘镇人民政府").township);
        assert!(locate("罗湖区东门街道办事处").township);
        assert!(!locate("镇江市公安局").township);
        assert!(!locate("深圳市城乡建设局").township);
        assert!(!locate("乡村振兴局").township);
    }

    #[test]
    fn column_lookups() {
        let g = Gazetteer::get();
        assert_eq!(g.city_column("深圳", None).map(|p| p.name), Some("深圳市"));
        assert_eq!(
            g.city_column("延边", None).map(|p| p.name),
            Some("延边朝鲜族自治州")
        );
        assert_eq!(
            g.county_column("罗湖", Some(Province(44)), None)
                .map(|p| p.name),
            Some("罗湖区")
        );
        assert!(g.county_column("朝阳区", None, None).is_none());
        assert_eq!(g.city_column("吉林", None).map(|p| p.name), None);
        assert_eq!(
            g.city_column("吉林市", None).map(|p| p.name),
            Some("吉林市")
        );
    }
}
