//! Naming accounts so that the pipeline can recover what the generator knows.
//!
//! An account's entity must classify to its true domain under the config's
//! first-match-wins rules, name exactly the locality of its level and no
//! other, and its name must not contradict the domain. Names must also be
//! unique per province after match-name normalisation, or two accounts would
//! merge. `Namer` draws candidates from the catalogue and keeps the first that
//! passes every check; ordinal units (第三中学) guarantee it finds one.

use std::collections::BTreeSet;

use anyhow::{bail, Result};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use unicode_normalization::UnicodeNormalization;

use super::catalogue::{units, Unit, CENTRAL_UNITS, LOCAL_UNITS, TOWNSHIP_UNITS};
use super::model::Level;
use super::places::{short_name, Gazetteer, PlaceKind};
use govwx::config::{DomainId, Settings};
use govwx::geo::Province;

/// Decorations the pipeline strips from names before comparing them.
/// The decorations rule (3) ignores, longest first so that 官方微信 goes
/// whole before 官方 could split it.
const DECORATIONS: &[&str] = &[
    "官方微信号",
    "官方微信",
    "微信公众号",
    "官方公众号",
    "公众号",
    "官微",
    "官方",
];
const ATTEMPTS: usize = 400;

/// The normalised name that rule (3) of the linking rules compares, as the
/// generator reads the contract (docs/CONTRACT.md): NFKC, the traditional
/// forms the generator writes read as simplified, decorations removed
/// (a name that is only a decoration keeps it), brackets, punctuation and
/// whitespace removed, ASCII lower-cased. Written apart from the product's
/// normaliser, so that the truth it labels checks that code, not repeats it.
pub(crate) fn match_name(name: &str) -> String {
    let mut text: String = name.nfkc().map(crate::variants::simplified).collect();
    for decoration in DECORATIONS {
        if text.len() > decoration.len() {
            text = text.replace(decoration, "");
        }
    }
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Where and what an account is, as the generator chose it.
pub(crate) struct Identity {
    pub entity: String,
    pub name: String,
    pub city: Option<&'static str>,
    pub county: Option<&'static str>,
}

/// A locality an entity can be built on.
struct Locality {
    full: String,
    short: String,
    city: Option<&'static str>,
    county: Option<&'static str>,
    is_street: bool,
}

/// Hands out entities and names, remembering those taken.
pub(crate) struct Namer<'a> {
    gazetteer: &'a Gazetteer,
    settings: &'a Settings,
    /// (province code or 0 for central, match-name).
    names: BTreeSet<(u8, String)>,
    entities: BTreeSet<String>,
}

impl<'a> Namer<'a> {
    pub fn new(gazetteer: &'a Gazetteer, settings: &'a Settings) -> Namer<'a> {
        Namer {
            gazetteer,
            settings,
            names: BTreeSet::new(),
            entities: BTreeSet::new(),
        }
    }

    /// Reserves a hand-made name, failing if it is taken.
    pub fn reserve(&mut self, province: Option<u8>, entity: &str, name: &str) -> Result<()> {
        let key = (province.unwrap_or(0), match_name(name));
        if !self.entities.insert(entity.to_owned()) || !self.names.insert(key) {
            bail!("sample name `{name}` ({entity}) is not unique");
        }
        Ok(())
    }

    /// Names a new account of `domain` at `level` in `province`.
    pub fn name(
        &mut self,
        rng: &mut ChaCha8Rng,
        province: Option<u8>,
        level: Level,
        domain: DomainId,
    ) -> Result<Identity> {
        let slug = self.settings.domain(domain).slug.clone();
        let table = match level {
            Level::Central => CENTRAL_UNITS,
            Level::Township => TOWNSHIP_UNITS,
            _ => LOCAL_UNITS,
        };
        let all = units(table, &slug);
        let fixed: Vec<&Unit> = all.iter().filter(|u| !u.entity.contains("{n}")).collect();
        for attempt in 0..ATTEMPTS {
            let unit = match fixed.choose(rng) {
                Some(unit) if attempt < 8 => *unit,
                _ => all
                    .choose(rng)
                    .expect("every domain has units at its levels"),
            };
            let ordinal = chinese_ordinal(rng.gen_range(1..=(10 + attempt).min(99)));
            let locality = self.locality(rng, province, level);
            let entity = fill_entity(unit.entity, &locality, level, &ordinal, province);
            if !self.entity_fits(&entity, province, level, domain, &locality) {
                continue;
            }
            let names = unit
                .names
                .iter()
                .map(|t| fill_name(t, &locality.short, &ordinal));
            for name in names.chain([entity.clone()]) {
                let key = (province.unwrap_or(0), match_name(&name));
                if self.name_fits(&name, province, domain) && !self.names.contains(&key) {
                    self.names.insert(key);
                    self.entities.insert(entity.clone());
                    let (city, county) = (locality.city, locality.county);
                    return Ok(Identity {
                        entity,
                        name,
                        city,
                        county,
                    });
                }
            }
        }
        bail!("could not name a {slug} account at level {level:?} in province {province:?}")
    }

    fn locality(&self, rng: &mut ChaCha8Rng, province: Option<u8>, level: Level) -> Locality {
        let Some(code) = province else {
            return Locality {
                full: String::new(),
                short: String::new(),
                city: None,
                county: None,
                is_street: false,
            };
        };
        let places = self.gazetteer.places(code);
        let province = Province(code);
        let whole = |full: String, short: &str| Locality {
            short: short.to_owned(),
            full,
            city: None,
            county: None,
            is_street: false,
        };
        match level {
            Level::Central | Level::Provincial => {
                whole(province.full().to_owned(), province.short())
            }
            Level::Municipal => {
                let city = *places
                    .cities
                    .choose(rng)
                    .expect("every province has cities");
                Locality {
                    city: Some(city),
                    ..whole(city.to_owned(), short_name(city))
                }
            }
            Level::County => {
                let county = places
                    .counties
                    .choose(rng)
                    .expect("every province has counties");
                let full = match county.city {
                    Some(city) if county.name.ends_with('区') || rng.gen_bool(0.3) => {
                        format!("{city}{}", county.name)
                    }
                    None if county.name.ends_with('区') => {
                        format!("{}{}", province.full(), county.name)
                    }
                    _ => county.name.to_owned(),
                };
                Locality {
                    city: county.city,
                    county: Some(county.name),
                    ..whole(full, short_name(county.name))
                }
            }
            Level::Township => {
                let township = places
                    .townships
                    .choose(rng)
                    .expect("every province has townships");
                let county = &places.counties[township.county];
                Locality {
                    full: format!("{}{}", county.name, township.name),
                    short: short_name(township.name).to_owned(),
                    city: county.city,
                    county: Some(county.name),
                    is_street: township.name.ends_with("街道"),
                }
            }
        }
    }

    /// The entity classifies to `domain`, names the right places and no
    /// other, and is new.
    fn entity_fits(
        &self,
        entity: &str,
        province: Option<u8>,
        level: Level,
        domain: DomainId,
        locality: &Locality,
    ) -> bool {
        let domain_ok = match self.settings.match_domain(entity) {
            Some(d) => d == domain,
            None => domain == self.settings.other_domain,
        };
        let has_township_marker = ["镇", "乡", "街道"].iter().any(|m| entity.contains(m));
        let level_ok = match level {
            Level::Central => self
                .settings
                .central_keywords
                .iter()
                .any(|k| k.matches(entity)),
            Level::Township => has_township_marker,
            _ => !has_township_marker,
        };
        domain_ok
            && level_ok
            && !self.entities.contains(entity)
            && self.places_fit(entity, province, level, locality)
    }

    fn places_fit(
        &self,
        text: &str,
        province: Option<u8>,
        level: Level,
        locality: &Locality,
    ) -> bool {
        self.gazetteer
            .named_places(text)
            .iter()
            .all(|&(kind, found)| match kind {
                PlaceKind::Province => {
                    province.is_some() && Province::parse_column(found).map(|p| p.0) == province
                }
                PlaceKind::City => level >= Level::Municipal && locality.city == Some(found),
                PlaceKind::County => level >= Level::County && locality.county == Some(found),
            })
    }

    /// The name does not contradict the domain nor point at another province.
    fn name_fits(&self, name: &str, province: Option<u8>, domain: DomainId) -> bool {
        let domain_ok = match self.settings.match_domain(name) {
            Some(d) => d == domain,
            None => true,
        };
        let places_ok = self
            .gazetteer
            .named_places(name)
            .iter()
            .all(|&(kind, found)| {
                kind != PlaceKind::Province
                    || (province.is_some()
                        && Province::parse_column(found).map(|p| p.0) == province)
            });
        domain_ok && places_ok && !match_name(name).is_empty()
    }
}

/// Fills an entity template; the locality is prefixed unless placed by `{L}`.
fn fill_entity(
    template: &str,
    locality: &Locality,
    level: Level,
    ordinal: &str,
    province: Option<u8>,
) -> String {
    let municipality = matches!(province, Some(11 | 12 | 31 | 50));
    let (dept, corps, court) = match level {
        Level::Provincial if municipality => ("局", "总队", "高级人民法院"),
        Level::Provincial => ("厅", "总队", "高级人民法院"),
        Level::Municipal => ("局", "支队", "中级人民法院"),
        _ => ("局", "大队", "人民法院"),
    };
    let mut text = template
        .replace("{dept}", dept)
        .replace("{corps}", corps)
        .replace("{court}", court)
        .replace("{n}", ordinal);
    let government = if locality.is_street {
        "办事处"
    } else {
        "政府"
    };
    text = text.replace("{gov}", government);
    if text.contains("{L}") {
        text.replace("{L}", &locality.full)
    } else {
        format!("{}{text}", locality.full)
    }
}

fn fill_name(template: &str, short: &str, ordinal: &str) -> String {
    template.replace("{S}", short).replace("{n}", ordinal)
}

/// 1 → 一, 12 → 十二, 40 → 四十, 99 → 九十九.
pub(crate) fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (n / 10, n % 10) {
        (0, unit) => DIGITS[unit].to_owned(),
        (1, unit) => format!("十{}", DIGITS[unit]),
        (tens, unit) => format!("{}十{}", DIGITS[tens], DIGITS[unit]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_names_drop_decoration_width_and_punctuation() {
        assert_eq!(match_name("【深圳交警】"), "深圳交警");
        assert_eq!(match_name("深圳交警官方微信"), "深圳交警");
        assert_eq!(match_name("（深圳  交警）"), "深圳交警");
        assert_eq!(match_name("深圳１１０"), "深圳110");
        assert_eq!(match_name("ABC公众号"), "abc");
    }

    #[test]
    fn ordinals() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(40), "四十");
        assert_eq!(chinese_ordinal(99), "九十九");
    }
}
