//! English names of what the report labels in Chinese (`data/labels/en.toml`),
//! for the English edition and the `*_en` labels of `metrics.json`.
//!
//! The names are data, compiled in and parsed once; a test holds the table
//! complete for every province, region, level, account type and quadrant.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::geo::{Province, Region};
use crate::metrics::Quadrant;
use crate::normalize::{AccountType, Level};

const EN_TOML: &str = include_str!("../data/labels/en.toml");

/// One language's names, by slug (provinces by two-digit code).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    provinces: BTreeMap<String, String>,
    regions: BTreeMap<String, String>,
    levels: BTreeMap<String, String>,
    account_types: BTreeMap<String, String>,
    quadrants: BTreeMap<String, String>,
    domains: BTreeMap<String, String>,
    /// Reject reasons and the fields of the data-quality appendix.
    quality: BTreeMap<String, String>,
}

/// The English names, parsed once per process.
pub fn english() -> &'static Labels {
    static EN: OnceLock<Labels> = OnceLock::new();
    EN.get_or_init(|| toml::from_str(EN_TOML).expect("data/labels/en.toml parses (tested)"))
}

impl Labels {
    /// A province's name (Guangdong, Inner Mongolia).
    pub fn province(&self, province: Province) -> &str {
        let code = format!("{:02}", province.code());
        self.provinces
            .get(&code)
            .map_or_else(|| province.short(), String::as_str)
    }

    pub fn region(&self, region: Region) -> &str {
        lookup(&self.regions, region.slug())
    }

    pub fn level(&self, level: Level) -> &str {
        lookup(&self.levels, level.slug())
    }

    pub fn account_type(&self, account_type: AccountType) -> &str {
        lookup(&self.account_types, account_type.slug())
    }

    pub fn quadrant(&self, quadrant: Quadrant) -> &str {
        lookup(&self.quadrants, quadrant.slug())
    }

    /// A domain's name by slug; the slug itself for a domain the table
    /// does not know (a user's own, without `label_en` in its config).
    pub fn domain<'a>(&'a self, slug: &'a str) -> &'a str {
        lookup(&self.domains, slug)
    }
}

impl Labels {
    /// A reject reason's or an appendix field's name, by its code.
    pub fn quality<'a>(&'a self, code: &'a str) -> &'a str {
        lookup(&self.quality, code)
    }
}

/// The Chinese name of a reject reason or an appendix field, by its code;
/// the code itself for one the report does not know.
pub fn quality_zh(code: &str) -> &str {
    if let Some(kind) = crate::ingest::RejectKind::ALL
        .iter()
        .find(|k| k.name() == code)
    {
        return kind.label();
    }
    match code {
        "province" => "省份",
        "level" => "行政级别",
        "domain" => "职能领域",
        "registered_at" => "注册日期",
        other => other,
    }
}

fn lookup<'a>(table: &'a BTreeMap<String, String>, slug: &'a str) -> &'a str {
    table.get(slug).map_or(slug, String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_the_report_uses_has_an_english_one() {
        let en = english();
        for info in crate::geo::PROVINCES {
            let (code, province) = (info.code, Province(info.code));
            assert!(
                en.provinces.contains_key(&format!("{code:02}")),
                "no English name for {}",
                province.short()
            );
        }
        for region in [
            Region::East,
            Region::Central,
            Region::West,
            Region::Northeast,
        ] {
            assert!(en.regions.contains_key(region.slug()), "{region:?}");
        }
        for level in Level::ALL {
            assert!(en.levels.contains_key(level.slug()), "{level:?}");
        }
        for t in AccountType::ALL {
            assert!(en.account_types.contains_key(t.slug()), "{t:?}");
        }
        for q in Quadrant::ALL {
            assert!(en.quadrants.contains_key(q.slug()), "{q:?}");
        }
        let builtin = crate::config::Settings::builtin();
        for domain in &builtin.domains {
            assert!(
                en.domains.contains_key(&domain.slug),
                "no English name for domain `{}`",
                domain.slug
            );
        }
        for kind in crate::ingest::RejectKind::ALL {
            assert!(en.quality.contains_key(kind.name()), "{kind:?}");
            assert_ne!(quality_zh(kind.name()), kind.name(), "{kind:?}");
        }
        for field in ["province", "level", "domain", "registered_at"] {
            assert!(en.quality.contains_key(field), "{field}");
            assert_ne!(quality_zh(field), field);
        }
        assert_eq!(en.province(Province(44)), "Guangdong");
        assert_eq!(en.province(Province(15)), "Inner Mongolia");
    }

    #[test]
    fn an_unknown_domain_is_named_by_its_slug() {
        assert_eq!(english().domain("harbour_office"), "harbour_office");
    }
}
