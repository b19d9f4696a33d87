//! The high messiness setting (`govwx-sample --messiness high`): the rows the
//! standard setting drew, roughened further the ways real exports are, so
//! that some records cannot be linked under docs/CONTRACT.md §4 and the pipeline's
//! accuracy can be measured against the truth.
//!
//! What changes, per export: more missing original ids and WeChat ids; name
//! variants an analyst sees (traditional characters, a bare 官方 suffix,
//! full-width letters and ideographic spaces, an added or dropped 发布); the
//! entity's full name used as the account name (深圳市罗湖区人民法院 for
//! 罗湖法院); empty province columns; and county names shared across
//! provinces (鼓楼区, 朝阳区) given without their city. A variant is never
//! one that another account of the province is called: real collisions of
//! that kind would be a different test (of conflicts), not of accuracy.
//!
//! The terse setting (`--messiness terse`) is the high setting with every
//! entity cell written short (a district's body without its city, a central
//! body without 中华人民共和国) and no level cell: each record's level must be
//! read from those texts.
//!
//! The setting draws from its own stream, after the standard draws, so the
//! standard sample does not depend on it.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::layout::{Column, Layout, Source};
use super::model::{Account, Level};
use crate::naming::match_name;
use crate::variants::traditional;

/// Seed offset of the high setting's stream ("high").
pub(crate) const STREAM: u64 = 0x6869_6768;

/// How often each kind of mess hits a row of one export.
struct Rates {
    drop_original_id: f64,
    drop_wechat_id: f64,
    /// A variant that keeps the match-name.
    variant: f64,
    /// The entity's full name instead of the account's.
    entity_name: f64,
    /// 发布 added or dropped: a different match-name.
    publish: f64,
    drop_province: f64,
    /// The city cell, when the county's name is shared.
    drop_city: f64,
}

impl Rates {
    fn of(source: Source) -> Rates {
        match source {
            Source::Platform => Rates {
                drop_original_id: 0.0,
                drop_wechat_id: 0.15,
                variant: 0.04,
                entity_name: 0.01,
                publish: 0.0,
                drop_province: 0.05,
                drop_city: 0.5,
            },
            Source::Provincial => Rates {
                drop_original_id: 0.4,
                drop_wechat_id: 0.4,
                variant: 0.15,
                entity_name: 0.03,
                publish: 0.005,
                drop_province: 0.1,
                drop_city: 0.6,
            },
            Source::ThirdParty => Rates {
                drop_original_id: 0.0,
                drop_wechat_id: 0.3,
                variant: 0.15,
                entity_name: 0.04,
                publish: 0.005,
                drop_province: 0.08,
                drop_city: 0.0,
            },
        }
    }
}

/// The high setting's state: its stream and the names already given out.
pub(crate) struct Mess<'a> {
    rng: ChaCha8Rng,
    accounts: &'a [Account],
    by_id: HashMap<&'a str, usize>,
    /// (province code or 0, the pipeline's match-name) → the account it names.
    names: HashMap<(u8, String), usize>,
    /// Entities are written tersely (the terse setting).
    terse: bool,
}

impl<'a> Mess<'a> {
    pub fn new(rng: ChaCha8Rng, accounts: &'a [Account], terse: bool) -> Mess<'a> {
        let by_id = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let names = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (name_key(a, &a.name), i))
            .collect();
        Mess {
            rng,
            accounts,
            by_id,
            names,
            terse,
        }
    }

    /// The account's entity as this setting writes it.
    fn entity(&self, account: &Account) -> String {
        match self.terse {
            true => terse_entity(account),
            false => account.entity.clone(),
        }
    }

    /// Roughens the cells of one row of the account with truth id `id`.
    pub fn roughen(&mut self, layout: &Layout, cells: &mut [String], id: &str) {
        let Some(&index) = self.by_id.get(id) else {
            return;
        };
        let account = &self.accounts[index];
        let rates = Rates::of(layout.source);
        let mut clear = |rng: &mut ChaCha8Rng, column: Column, chance: f64| {
            if let Some(i) = layout.position(column) {
                if chance > 0.0 && rng.gen_bool(chance) {
                    cells[i].clear();
                }
            }
        };
        clear(&mut self.rng, Column::OriginalId, rates.drop_original_id);
        clear(&mut self.rng, Column::WechatId, rates.drop_wechat_id);
        if account.in_scope && account.province.is_some() {
            clear(&mut self.rng, Column::Province, rates.drop_province);
        }
        if account.county.is_some_and(is_shared_county) {
            clear(&mut self.rng, Column::City, rates.drop_city);
        }
        if self.terse {
            // No export says the level: it is read from the terse texts.
            if let Some(i) = layout.position(Column::Level) {
                cells[i].clear();
            }
            if let Some(i) = layout
                .position(Column::Entity)
                .filter(|&i| !cells[i].is_empty())
            {
                cells[i] = terse_entity(account);
            }
        }
        if let Some(i) = layout.position(Column::Name) {
            if let Some(name) = self.name_variant(index, &rates) {
                cells[i] = name;
            }
        }
    }

    /// A variant of the account's name, unless it would name another
    /// account of the province.
    fn name_variant(&mut self, index: usize, rates: &Rates) -> Option<String> {
        let account = &self.accounts[index];
        let name = account.name.as_str();
        let variant = if self.rng.gen_bool(rates.publish) {
            publish_variant(name)?
        } else if self.rng.gen_bool(rates.entity_name) {
            self.entity(account)
        } else if self.rng.gen_bool(rates.variant) {
            match self.rng.gen_range(0..3) {
                0 => traditional(name),
                1 => format!("{name}官方"),
                _ => wide(name),
            }
        } else {
            return None;
        };
        let key = name_key(account, &variant);
        match self.names.get(&key) {
            Some(&other) if other != index => None,
            _ => {
                self.names.insert(key, index);
                Some(variant)
            }
        }
    }
}

/// An entity as people shorten it: a district's body without its city
/// (深圳市罗湖区人民法院 → 罗湖区人民法院), a central body without
/// 中华人民共和国 when what remains is still its usual name (公安部,
/// 最高人民法院, not 海事局).
fn terse_entity(account: &Account) -> String {
    let entity = account.entity.as_str();
    let shortened = match (account.level, account.city, account.county) {
        (Level::Central, _, _) => entity.strip_prefix("中华人民共和国").filter(|rest| {
            rest.starts_with("最高") || rest.starts_with("国家") || rest.contains('部')
        }),
        (Level::County, Some(city), Some(county)) if county.ends_with('区') => entity
            .strip_prefix(city)
            .filter(|rest| rest.starts_with(county)),
        _ => None,
    };
    shortened.unwrap_or(entity).to_owned()
}

/// The key two names must share to be linked within a province.
fn name_key(account: &Account, name: &str) -> (u8, String) {
    (account.province.unwrap_or(0), match_name(name))
}

/// A county name that names several counties: without its city or province
/// it places nothing.
fn is_shared_county(county: &str) -> bool {
    static SHARED: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let tables = govwx::divisions::Divisions::get();
            let mut seen = HashSet::new();
            let mut shared = HashSet::new();
            for area in &tables.areas {
                if !seen.insert(area.name.as_str()) {
                    shared.insert(area.name.as_str());
                }
            }
            shared
        })
        .contains(county)
}

/// 深圳法院 ↔ 深圳法院发布, when the shorter name keeps three characters.
fn publish_variant(name: &str) -> Option<String> {
    match name.strip_suffix("发布") {
        Some(stem) if stem.chars().count() >= 3 => Some(stem.to_owned()),
        Some(_) => None,
        None => Some(format!("{name}发布")),
    }
}

/// Full-width letters and digits, and an ideographic space after the
/// second character, as a name typed with a Chinese input method.
fn wide(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 2 {
            out.push('\u{3000}');
        }
        out.push(match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            c => c,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_keep_the_match_name() {
        for name in ["深圳交警", "健康深圳", "深圳110", "罗湖法院发布"] {
            let key = match_name(name);
            for variant in [traditional(name), format!("{name}官方"), wide(name)] {
                assert_eq!(match_name(&variant), key, "{variant}");
            }
        }
        assert_eq!(traditional("深圳卫计委"), "深圳衛計委");
    }

    #[test]
    fn publish_variants_change_it() {
        assert_eq!(publish_variant("罗湖法院发布").as_deref(), Some("罗湖法院"));
        assert_eq!(publish_variant("深圳发布"), None);
        assert_eq!(publish_variant("深圳交警").as_deref(), Some("深圳交警发布"));
    }

    fn account(
        level: Level,
        city: Option<&'static str>,
        county: Option<&'static str>,
        entity: &str,
    ) -> Account {
        Account {
            id: "A1".to_owned(),
            province: Some(44),
            city,
            county,
            level,
            domain: 0,
            entity: entity.to_owned(),
            name: "x".to_owned(),
            original_id: String::new(),
            wechat_id: String::new(),
            account_type: crate::model::AccountType::Subscription,
            registered_at: crate::model::Date {
                year: 2014,
                month: 1,
                day: 1,
            },
            followers: [None, None],
            in_scope: true,
        }
    }

    #[test]
    fn terse_entities_drop_the_city_of_a_district_and_the_state_of_a_central_body() {
        let terse = |a: Account| terse_entity(&a);
        assert_eq!(
            terse(account(
                Level::County,
                Some("深圳市"),
                Some("罗湖区"),
                "深圳市罗湖区人民法院"
            )),
            "罗湖区人民法院"
        );
        assert_eq!(
            terse(account(
                Level::County,
                Some("苏州市"),
                Some("昆山市"),
                "苏州市昆山市公安局"
            )),
            "苏州市昆山市公安局"
        );
        assert_eq!(
            terse(account(
                Level::Central,
                None,
                None,
                "中华人民共和国最高人民法院"
            )),
            "最高人民法院"
        );
        assert_eq!(
            terse(account(
                Level::Central,
                None,
                None,
                "中华人民共和国公安部第3研究所"
            )),
            "公安部第3研究所"
        );
        assert_eq!(
            terse(account(Level::Central, None, None, "中华人民共和国海事局")),
            "中华人民共和国海事局"
        );
        assert_eq!(
            terse(account(
                Level::Municipal,
                Some("深圳市"),
                None,
                "深圳市公安局"
            )),
            "深圳市公安局"
        );
    }

    #[test]
    fn shared_counties() {
        assert!(is_shared_county("鼓楼区"));
        assert!(is_shared_county("朝阳区"));
        assert!(!is_shared_county("罗湖区"));
    }
}
