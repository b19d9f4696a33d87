//! The central bodies (`data/central/organs.csv`; see its README for the
//! source): the State Council's ministries, commissions and agencies, the
//! supreme court and procuratorate, the central Party organs and the
//! national mass organisations, each with its usual other names and short
//! forms (最高法, 国资委, 团中央). A text that names one and no place is a
//! central body's (docs/CONTRACT.md §3); 广东省人民检察院 names a province
//! first, so it stays provincial.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

const ORGANS_CSV: &str = include_str!("../data/central/organs.csv");

/// One row of `organs.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    /// The body's full name.
    pub name: String,
    /// Other names and short forms, `;`-separated.
    pub also: String,
    /// Which list it is on (`state_council_ministries`, `party`, …).
    pub group: String,
}

/// The bodies and a search over every name they go by.
pub struct CentralBodies {
    bodies: Vec<Body>,
    matcher: AhoCorasick,
    /// For each pattern, its body's index.
    pattern_body: Vec<u16>,
    /// For each pattern, whether it ends in 部 (and so is not a body before
    /// 门: 公安部门 is any police department).
    ends_in_bu: Vec<bool>,
}

impl std::fmt::Debug for CentralBodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CentralBodies")
            .field("bodies", &self.bodies.len())
            .finish_non_exhaustive()
    }
}

impl CentralBodies {
    /// The compiled-in list, built once per process.
    pub fn get() -> &'static CentralBodies {
        static BODIES: OnceLock<CentralBodies> = OnceLock::new();
        BODIES.get_or_init(|| CentralBodies::new(crate::divisions::rows(ORGANS_CSV)))
    }

    fn new(bodies: Vec<Body>) -> CentralBodies {
        let mut patterns: Vec<(&str, u16)> = Vec::new();
        for (index, body) in bodies.iter().enumerate() {
            let index = u16::try_from(index).expect("fewer than 65,536 central bodies");
            patterns.push((body.name.as_str(), index));
            for other in body
                .also
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                patterns.push((other, index));
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(p, _)| *p))
            .expect("central body names form a valid automaton");
        let ends_in_bu = patterns.iter().map(|(p, _)| p.ends_with('部')).collect();
        let pattern_body = patterns.into_iter().map(|(_, b)| b).collect();
        CentralBodies {
            bodies,
            matcher,
            pattern_body,
            ends_in_bu,
        }
    }

    /// The first central body `text` names, by its index.
    pub fn find(&self, text: &str) -> Option<u16> {
        self.matcher.find_iter(text).find_map(|found| {
            let pattern = found.pattern().as_usize();
            let department = self.ends_in_bu[pattern] && text[found.end()..].starts_with('门');
            (!department).then_some(self.pattern_body[pattern])
        })
    }

    pub fn body(&self, index: u16) -> &Body {
        &self.bodies[usize::from(index)]
    }

    /// Every body, in file order.
    pub fn bodies(&self) -> &[Body] {
        &self.bodies
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str) -> Option<&'static str> {
        let bodies = CentralBodies::get();
        bodies.find(text).map(|i| bodies.body(i).name.as_str())
    }

    #[test]
    fn full_names_short_forms_and_old_names_are_found() {
        assert_eq!(named("最高人民法院服务"), Some("最高人民法院"));
        assert_eq!(named("最高检发布"), Some("最高人民检察院"));
        assert_eq!(named("国务院国资委"), Some("国务院国有资产监督管理委员会"));
        assert_eq!(named("国家发改委"), Some("国家发展和改革委员会"));
        // Bare forms every level uses are not on the list: 县发改委 is no
        // ministry.
        assert_eq!(named("县发改委"), None);
        assert_eq!(named("国资委"), None);
        assert_eq!(named("团中央"), Some("中国共产主义青年团中央委员会"));
        assert_eq!(named("全国妇联"), Some("中华全国妇女联合会"));
        assert_eq!(named("公安部第一研究所"), Some("公安部"));
        assert_eq!(
            named("国家卫生和计划生育委员会"),
            Some("国家卫生和计划生育委员会")
        );
    }

    #[test]
    fn a_department_is_not_a_ministry_and_plain_words_are_nothing() {
        assert_eq!(named("公安部门服务"), None);
        assert_eq!(named("教育部门"), None);
        assert_eq!(named("深圳交警"), None);
        assert_eq!(named(""), None);
        // 教育部 after 公安部门 is still found.
        assert_eq!(named("公安部门与教育部"), Some("教育部"));
    }

    #[test]
    fn every_row_has_a_name_and_a_known_group() {
        let bodies = CentralBodies::get().bodies();
        assert!(bodies.len() > 100);
        for body in bodies {
            assert!(!body.name.trim().is_empty());
            assert!(
                [
                    "national_organs",
                    "party",
                    "state_council",
                    "state_council_ministries",
                    "state_council_special",
                    "state_council_agencies",
                    "state_council_offices",
                    "state_council_institutions",
                    "mass_organisations",
                ]
                .contains(&body.group.as_str()),
                "{}: {}",
                body.name,
                body.group
            );
        }
    }
}
