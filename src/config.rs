//! Configuration, parsed once and strictly, then compiled into ready-to-run
//! settings before any row is read.
//!
//! `config/govwx.toml` is compiled into the binary and is the whole default;
//! a user's file replaces it. No stage re-validates what is checked here.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::gazetteer::Gazetteer;
use crate::geo::RegionScheme;
pub use crate::ingest::Limits;
use crate::ingest::Spellings;
use crate::normalize::Clue;

/// The shipped configuration, also written out by `govwx init`.
pub const DEFAULT_CONFIG: &str = include_str!("../config/govwx.toml");

/// The configuration file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default_period: String,
    region_scheme: RegionScheme,
    #[serde(default)]
    source_priority: Vec<String>,
    levels: LevelRules,
    matrix: MatrixSettings,
    domains: Vec<DomainRule>,
    /// A file without `[gates]` gets the built-in gates.
    #[serde(default = "Gates::builtin")]
    gates: Gates,
    /// A file without `[limits]` gets the built-in limits.
    #[serde(default)]
    limits: Limits,
    /// Header spellings beyond the built-in ones: `粉丝量 = "followers"`.
    #[serde(default)]
    columns: BTreeMap<String, String>,
}

/// A user's configuration file: every key optional, checked against the
/// built-in keys before it is merged, so that a mistake is reported with the
/// line and column where it was written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read only to check the file; the merge works on its table.
struct ConfigPatch {
    default_period: Option<String>,
    region_scheme: Option<RegionScheme>,
    source_priority: Option<Vec<String>>,
    source_priority_extend: Option<Vec<String>>,
    levels: Option<LevelsPatch>,
    matrix: Option<MatrixPatch>,
    domains: Option<Vec<DomainRule>>,
    domains_extend: Option<Vec<DomainRule>>,
    gates: Option<toml::Table>,
    limits: Option<Limits>,
    columns: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct LevelsPatch {
    central: Option<Vec<String>>,
    central_extend: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MatrixPatch {
    min_accounts: Option<u64>,
    count_split: Option<f64>,
    activity_split: Option<f64>,
}

/// The configuration in effect when `text` is merged over the built-in one,
/// as TOML (`govwx config` prints it). Scalars and lists replace the
/// built-in value; `[levels]`, `[matrix]`, `[limits]` and `[columns]` merge
/// key by key; `[gates]` replaces the built-in gates whole (a gate left out
/// is off). Rule lists extend instead of replacing under an `_extend` key:
/// `domains_extend` adds domain rules before `other`, `levels.central_extend`
/// adds central keywords, `source_priority_extend` adds patterns last.
pub fn effective(text: &str, origin: &str) -> Result<String> {
    let invalid = || format!("invalid configuration in `{origin}`");
    toml::from_str::<ConfigPatch>(text).with_context(invalid)?;
    let mut user: toml::Table = text.parse().with_context(invalid)?;
    let mut merged: toml::Table = DEFAULT_CONFIG
        .parse()
        .expect("the shipped config is valid TOML");
    let domains_extend = user.remove("domains_extend");
    let priority_extend = user.remove("source_priority_extend");
    for (key, value) in user {
        match (merged.get_mut(&key), value) {
            (Some(toml::Value::Table(base)), toml::Value::Table(patch))
                if matches!(key.as_str(), "levels" | "matrix" | "limits" | "columns") =>
            {
                for (name, value) in patch {
                    match name.strip_suffix("_extend").filter(|_| key == "levels") {
                        Some(list) => extend(base, list, value),
                        None => {
                            base.insert(name, value);
                        }
                    }
                }
            }
            (_, value) => {
                merged.insert(key, value);
            }
        }
    }
    if let Some(value) = priority_extend {
        extend(&mut merged, "source_priority", value);
    }
    if let Some(toml::Value::Array(added)) = domains_extend {
        let Some(toml::Value::Array(domains)) = merged.get_mut("domains") else {
            bail!("`{origin}`: `domains_extend` needs a `domains` list to extend");
        };
        let other = domains
            .iter()
            .position(|d| d.get("slug").and_then(toml::Value::as_str) == Some("other"))
            .unwrap_or(domains.len());
        domains.splice(other..other, added);
    }
    toml::to_string(&merged).with_context(invalid)
}

/// Appends `value`'s items to the list `table[key]`.
fn extend(table: &mut toml::Table, key: &str, value: toml::Value) {
    let toml::Value::Array(added) = value else {
        return;
    };
    match table.get_mut(key) {
        Some(toml::Value::Array(list)) => list.extend(added),
        _ => {
            table.insert(key.to_owned(), toml::Value::Array(added));
        }
    }
}

/// The quality gates of `[gates]`: checks on a run's figures that decide
/// whether its report is published (docs/CONTRACT.md §7, exit codes 3 and 4). A gate
/// left out of a `[gates]` table is off.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gates {
    /// Most records of the subject period that may be rejected, as a
    /// fraction of the records read.
    #[serde(default)]
    pub rejected_share: Option<MaxGate>,
    /// Fewest in-scope accounts the report may count.
    #[serde(default)]
    pub accounts: Option<MinGate>,
    /// Largest relative change in accounts against the report now published.
    #[serde(default)]
    pub change: Option<MaxGate>,
}

impl Gates {
    /// The gates of the shipped `config/govwx.toml` (a test keeps them equal).
    pub fn builtin() -> Gates {
        Gates {
            rejected_share: Some(MaxGate {
                max: 0.25,
                on_hit: OnHit::Publish,
            }),
            accounts: Some(MinGate {
                min: 1,
                on_hit: OnHit::Keep,
            }),
            change: Some(MaxGate {
                max: 0.5,
                on_hit: OnHit::Keep,
            }),
        }
    }

    fn validate(&self, origin: &str) -> Result<()> {
        let share = self.rejected_share.as_ref().map(|g| g.max);
        if share.is_some_and(|max| !(0.0..=1.0).contains(&max)) {
            bail!("`gates.rejected_share.max` in `{origin}` must be a fraction from 0 to 1");
        }
        let change = self.change.as_ref().map(|g| g.max);
        if change.is_some_and(|max| !(max.is_finite() && max >= 0.0)) {
            bail!("`gates.change.max` in `{origin}` must be a fraction of 0 or more (0.5 = ±50%)");
        }
        Ok(())
    }
}

/// A gate hit when a figure rises above `max`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaxGate {
    pub max: f64,
    pub on_hit: OnHit,
}

/// A gate hit when a count falls below `min`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinGate {
    pub min: u64,
    pub on_hit: OnHit,
}

/// What a hit gate does to the run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OnHit {
    /// Publish the new report anyway; exit code 3.
    Publish,
    /// Keep the report now published; exit code 4.
    Keep,
}

/// How the maturity matrix places domains (docs/CONTRACT.md §5).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixSettings {
    /// Domains with fewer accounts are not placed.
    pub min_accounts: u64,
    /// Fixed split on the count axis; the median over placed domains when absent.
    #[serde(default)]
    pub count_split: Option<f64>,
    /// Fixed split on the activity axis; the median when absent.
    #[serde(default)]
    pub activity_split: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelRules {
    central: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainRule {
    slug: String,
    label: String,
    /// The English edition's name; else `data/labels/en.toml`'s, else the slug.
    label_en: Option<String>,
    keywords: Vec<String>,
}

/// A keyword compiled from its `^word` / `word$` / `word` form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keyword {
    Contains(String),
    Prefix(String),
    Suffix(String),
}

impl Keyword {
    fn parse(text: &str) -> Result<Keyword> {
        let keyword = if let Some(rest) = text.strip_prefix('^') {
            Keyword::Prefix(rest.to_owned())
        } else if let Some(rest) = text.strip_suffix('$') {
            Keyword::Suffix(rest.to_owned())
        } else {
            Keyword::Contains(text.to_owned())
        };
        match &keyword {
            Keyword::Contains(w) | Keyword::Prefix(w) | Keyword::Suffix(w) if w.is_empty() => {
                bail!("empty keyword `{text}`")
            }
            _ => Ok(keyword),
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        match self {
            Keyword::Contains(w) => text.contains(w.as_str()),
            Keyword::Prefix(w) => text.starts_with(w.as_str()),
            Keyword::Suffix(w) => text.ends_with(w.as_str()),
        }
    }
}

/// As the config writes it: `公安`, `^中国`, `部$`.
impl std::fmt::Display for Keyword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Keyword::Contains(w) => write!(f, "{w}"),
            Keyword::Prefix(w) => write!(f, "^{w}"),
            Keyword::Suffix(w) => write!(f, "{w}$"),
        }
    }
}

/// All domain keywords in one Aho-Corasick automaton: one pass over a text
/// finds every keyword in it, and the lowest domain whose keyword holds
/// (anywhere, at the start, or at the end) wins, as a rule-by-rule search
/// in config order would decide.
#[derive(Debug, Clone)]
struct DomainMatcher {
    automaton: Option<aho_corasick::AhoCorasick>,
    /// For each pattern: its domain and its keyword's kind.
    patterns: Vec<(DomainId, Keyword)>,
}

impl DomainMatcher {
    fn new(domains: &[Domain]) -> DomainMatcher {
        let patterns: Vec<(DomainId, Keyword)> = domains
            .iter()
            .enumerate()
            .flat_map(|(d, domain)| {
                domain
                    .keywords
                    .iter()
                    .map(move |k| (d as DomainId, k.clone()))
            })
            .collect();
        let words = patterns.iter().map(|(_, k)| match k {
            Keyword::Contains(w) | Keyword::Prefix(w) | Keyword::Suffix(w) => w.as_str(),
        });
        let automaton = aho_corasick::AhoCorasick::new(words).ok();
        DomainMatcher {
            automaton,
            patterns,
        }
    }

    /// The lowest domain whose keyword holds, and that keyword's index
    /// (the first of that domain's keywords that holds).
    fn first_match(&self, text: &str) -> Option<(DomainId, usize)> {
        let automaton = self.automaton.as_ref()?;
        automaton
            .find_overlapping_iter(text)
            .filter(|m| match &self.patterns[m.pattern().as_usize()].1 {
                Keyword::Contains(_) => true,
                Keyword::Prefix(_) => m.start() == 0,
                Keyword::Suffix(_) => m.end() == text.len(),
            })
            .map(|m| {
                (
                    self.patterns[m.pattern().as_usize()].0,
                    m.pattern().as_usize(),
                )
            })
            .min()
    }
}

/// Index of a domain in `Settings::domains`; the order of the config file.
pub type DomainId = u16;

/// Records and accounts hold a domain in 8 bits (`Decided`).
pub const MAX_DOMAINS: usize = 255;

/// A functional domain, ready to match.
#[derive(Debug, Clone)]
pub struct Domain {
    pub slug: String,
    pub label: String,
    /// Its name in the English edition.
    pub label_en: String,
    pub keywords: Vec<Keyword>,
}

/// Everything the stages need, validated.
#[derive(Debug, Clone)]
pub struct Settings {
    pub default_period: String,
    pub region_scheme: RegionScheme,
    /// Source-priority patterns, compiled; earlier wins.
    pub source_priority: SourcePriority,
    pub central_keywords: Vec<Keyword>,
    pub matrix: MatrixSettings,
    pub domains: Vec<Domain>,
    /// Every domain keyword in one automaton, so a text is searched once.
    domain_matcher: DomainMatcher,
    /// The fallback domain (`other`), always present.
    pub other_domain: DomainId,
    /// Quality gates deciding whether a report is published.
    pub gates: Gates,
    /// Bounds on what one input file may make govwx hold or parse.
    pub limits: Limits,
    /// Header spellings `[columns]` adds.
    pub spellings: Spellings,
    /// A hash of the configuration text, for the manifest.
    pub config_sha256: String,
    /// The place-name search over the compiled-in division tables: reference
    /// data handed to the stages with the rules, never looked up by them.
    pub places: &'static Gazetteer,
}

impl Settings {
    /// What reading an input file takes from these settings.
    pub fn reading(&self) -> crate::ingest::Reading<'_> {
        crate::ingest::Reading {
            limits: &self.limits,
            spellings: &self.spellings,
        }
    }

    /// The built-in defaults.
    pub fn builtin() -> Settings {
        Settings::parse(DEFAULT_CONFIG, "built-in config")
            .expect("the shipped config is checked by a test")
    }

    /// Reads a user's configuration file, which holds only what it changes,
    /// merges it over the built-in one (`effective`), and compiles the result.
    pub fn load(path: &Path) -> Result<Settings> {
        let text = crate::fs::read_to_string(path)?;
        let origin = path.display().to_string();
        Settings::parse(&effective(&text, &origin)?, &origin)
    }

    /// Parses and compiles configuration text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Settings> {
        let file: ConfigFile =
            toml::from_str(text).with_context(|| format!("invalid configuration in `{origin}`"))?;
        let compile = |words: &[String]| -> Result<Vec<Keyword>> {
            words.iter().map(|w| Keyword::parse(w)).collect()
        };
        let mut domains = Vec::with_capacity(file.domains.len());
        for rule in &file.domains {
            if !rule
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                || rule.slug.is_empty()
            {
                bail!(
                    "domain slug `{}` in `{origin}` must be lowercase ASCII, digits or `_`",
                    rule.slug
                );
            }
            if domains.iter().any(|d: &Domain| d.slug == rule.slug) {
                bail!("domain `{}` is defined twice in `{origin}`", rule.slug);
            }
            let keywords = compile(&rule.keywords)
                .with_context(|| format!("in domain `{}` of `{origin}`", rule.slug))?;
            domains.push(Domain {
                slug: rule.slug.clone(),
                label: rule.label.clone(),
                label_en: match &rule.label_en {
                    Some(label) => label.clone(),
                    None => crate::labels::english().domain(&rule.slug).to_owned(),
                },
                keywords,
            });
        }
        let other_domain = domains
            .iter()
            .position(|d| d.slug == "other")
            .with_context(|| format!("`{origin}` must define a domain with slug `other`"))?;
        if domains.len() > MAX_DOMAINS {
            bail!(
                "`{origin}` defines {} domains; at most {MAX_DOMAINS} are supported",
                domains.len()
            );
        }
        let domain_keywords: usize = domains.iter().map(|d| d.keywords.len()).sum();
        let most = Clue::MAX_INDEX as usize + 1;
        if domain_keywords > most || file.levels.central.len() > most {
            bail!("`{origin}` lists more than {most} domain or central keywords");
        }
        file.gates.validate(origin)?;
        file.limits.validate(origin)?;
        let source_priority = SourcePriority::new(&file.source_priority)
            .with_context(|| format!("in `source_priority` of `{origin}`"))?;
        Ok(Settings {
            default_period: file.default_period,
            region_scheme: file.region_scheme,
            source_priority,
            central_keywords: compile(&file.levels.central).context("in `levels.central`")?,
            matrix: file.matrix,
            domain_matcher: DomainMatcher::new(&domains),
            domains,
            other_domain: other_domain as DomainId,
            gates: file.gates,
            limits: file.limits,
            spellings: Spellings::new(file.columns.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .map_err(|e| anyhow::anyhow!("{e} (in `{origin}`)"))?,
            config_sha256: crate::fs::sha256_hex(text.as_bytes()),
            places: Gazetteer::get(),
        })
    }

    /// The first domain whose keywords match `text`, in config order.
    pub fn match_domain(&self, text: &str) -> Option<DomainId> {
        self.match_domain_keyword(text).map(|(domain, _)| domain)
    }

    /// `match_domain`, with the index of the keyword that decided (see
    /// `domain_keyword`).
    pub fn match_domain_keyword(&self, text: &str) -> Option<(DomainId, usize)> {
        self.domain_matcher.first_match(text)
    }

    /// A domain keyword by its index over every domain's keywords, in
    /// config order.
    pub fn domain_keyword(&self, index: usize) -> Option<(DomainId, &Keyword)> {
        self.domain_matcher
            .patterns
            .get(index)
            .map(|(d, k)| (*d, k))
    }

    /// A domain named by its slug or label (as a domain column may hold it).
    pub fn domain_by_name(&self, text: &str) -> Option<DomainId> {
        self.domains
            .iter()
            .position(|d| d.slug.eq_ignore_ascii_case(text) || d.label == text)
            .map(|i| i as DomainId)
    }

    pub fn domain(&self, id: DomainId) -> &Domain {
        &self.domains[usize::from(id)]
    }

    /// Rank of a file path in the source priority: lower wins.
    pub fn source_rank(&self, relative_path: &str) -> usize {
        self.source_priority.rank(relative_path)
    }
}

/// The source-priority patterns, compiled into one matcher: `*` matches
/// within a path segment, `**` across segments (`**/provinces/*`), as
/// `globset` reads them (also `?`, `[abc]` and `{a,b}`). Matching takes time
/// linear in the path whatever the pattern, unlike backtracking over `*`.
#[derive(Debug, Clone)]
pub struct SourcePriority {
    patterns: globset::GlobSet,
}

impl SourcePriority {
    /// Compiles the patterns; one that is not a glob is an error naming it.
    pub fn new(patterns: &[String]) -> Result<SourcePriority> {
        let mut set = globset::GlobSetBuilder::new();
        for pattern in patterns {
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .with_context(|| format!("invalid path pattern `{pattern}`"))?;
            set.add(glob);
        }
        let patterns = set.build().context("failed to compile the path patterns")?;
        Ok(SourcePriority { patterns })
    }

    /// The position of the first pattern `path` matches; the number of
    /// patterns when it matches none.
    pub fn rank(&self, path: &str) -> usize {
        self.patterns
            .matches(path)
            .first()
            .copied()
            .unwrap_or(self.patterns.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_compiles() {
        let settings = Settings::builtin();
        assert_eq!(settings.domain(settings.other_domain).slug, "other");
        assert!(settings.domains.len() >= 20);
    }

    #[test]
    fn naming_habits_classify_as_the_spec_says() {
        let s = Settings::builtin();
        let slug = |t: &str| s.match_domain(t).map(|d| s.domain(d).slug.as_str());
        assert_eq!(slug("深圳交警"), Some("police"));
        assert_eq!(slug("平安深圳"), Some("police"));
        assert_eq!(slug("深圳市交通运输委员会"), Some("transport"));
        assert_eq!(slug("深圳市卫生和计划生育委员会"), Some("health"));
        assert_eq!(slug("健康深圳"), Some("health"));
        assert_eq!(slug("共青团深圳市委"), Some("youth_league"));
        assert_eq!(slug("深圳共青团"), Some("youth_league"));
        assert_eq!(slug("深圳发布"), Some("publicity"));
        assert_eq!(slug("深圳市人口和计划生育委员会"), Some("family_planning"));
        assert_eq!(slug("深圳市住房公积金管理中心"), Some("housing_fund"));
        assert_eq!(slug("深圳市人民政府新闻办公室"), Some("publicity"));
        assert_eq!(slug("深圳市民政局"), Some("civil_affairs"));
        assert_eq!(slug("随便看看"), None);
    }

    #[test]
    fn one_pass_matching_agrees_with_rule_by_rule_matching() {
        let s = Settings::builtin();
        let rule_by_rule = |text: &str| {
            s.domains
                .iter()
                .position(|d| d.keywords.iter().any(|k| k.matches(text)))
                .map(|i| i as DomainId)
        };
        for text in [
            "深圳交警",
            "平安深圳",
            "深圳市交通运输委员会",
            "深圳市卫生和计划生育委员会",
            "健康深圳",
            "共青团深圳市委",
            "深圳发布",
            "发布深圳",
            "游深圳",
            "深圳游",
            "深圳市人民政府新闻办公室",
            "深圳市民政局",
            "民政",
            "随便看看",
            "",
            "平安",
            "深圳市公安局交通警察支队文化站",
        ] {
            assert_eq!(s.match_domain(text), rule_by_rule(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_agrees_on_any_mix_of_keywords(parts in proptest::collection::vec(0usize..400, 0..5)) {
            let s = Settings::builtin();
            let words: Vec<String> = s
                .domains
                .iter()
                .flat_map(|d| d.keywords.iter())
                .map(|k| match k {
                    Keyword::Contains(w) | Keyword::Prefix(w) | Keyword::Suffix(w) => w.clone(),
                })
                .chain(["深圳", "市", "局", "X"].map(String::from))
                .collect();
            let text: String = parts.iter().map(|&i| words[i % words.len()].as_str()).collect();
            let rule_by_rule =
                s.domains.iter().position(|d| d.keywords.iter().any(|k| k.matches(&text))).map(|i| i as DomainId);
            proptest::prop_assert_eq!(s.match_domain(&text), rule_by_rule, "{}", text);
        }
    }

    /// Records hold a domain in 8 bits: a file with more domains is refused
    /// by name, not cut short.
    #[test]
    fn at_most_max_domains_are_read() {
        let builtin = Settings::builtin().domains.len();
        let with = |extra: usize| {
            let mut text = DEFAULT_CONFIG.to_owned();
            for i in 0..extra {
                text.push_str(&format!(
                    "\n[[domains]]\nslug = \"extra_{i}\"\nlabel = \"额外{i}\"\nkeywords = [\"额外{i}号\"]\n"
                ));
            }
            Settings::parse(&text, "x.toml")
        };
        let most = with(MAX_DOMAINS - builtin).expect("255 domains");
        assert_eq!(most.domains.len(), MAX_DOMAINS);
        let last = (MAX_DOMAINS - 1) as DomainId;
        assert_eq!(
            most.match_domain(&format!("额外{}号", MAX_DOMAINS - builtin - 1)),
            Some(last)
        );
        let err = with(MAX_DOMAINS - builtin + 1).unwrap_err();
        assert!(format!("{err:#}").contains("at most 255"), "{err:#}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = DEFAULT_CONFIG.replace("region_scheme", "region_schema");
        let err = Settings::parse(&text, "x.toml").unwrap_err();
        assert!(format!("{err:#}").contains("x.toml"), "{err:#}");
    }

    #[test]
    fn builtin_gates_equal_the_shipped_file() {
        assert!(
            DEFAULT_CONFIG.contains("[gates"),
            "the shipped file spells the gates out"
        );
        assert_eq!(Settings::builtin().gates, Gates::builtin());
        let without = DEFAULT_CONFIG
            .split("\n[gates")
            .next()
            .expect("text before the gates");
        let settings = Settings::parse(without, "x.toml").expect("parses without gates");
        assert_eq!(settings.gates, Gates::builtin());
    }

    #[test]
    fn builtin_limits_equal_the_shipped_file() {
        assert!(DEFAULT_CONFIG.contains("\n[limits]"));
        assert_eq!(Settings::builtin().limits, Limits::default());
        let without = DEFAULT_CONFIG
            .split("\n[limits]")
            .next()
            .expect("text before the limits");
        let settings = Settings::parse(without, "x.toml").expect("parses without limits");
        assert_eq!(settings.limits, Limits::default());
        let zero = DEFAULT_CONFIG.replace("max_quoted_lines = 50", "max_quoted_lines = 0");
        assert!(Settings::parse(&zero, "x.toml").is_err());
        let partial = format!("{without}\n[limits]\nmax_cell_bytes = 10\n");
        let settings = Settings::parse(&partial, "x.toml").expect("a partial table");
        assert_eq!(settings.limits.max_cell_bytes, 10);
        assert_eq!(
            settings.limits.max_line_bytes,
            Limits::default().max_line_bytes
        );
    }

    #[test]
    fn gates_are_parsed_strictly() {
        let bad = DEFAULT_CONFIG.replace("on_hit = \"keep\"", "on_hit = \"ignore\"");
        assert!(Settings::parse(&bad, "x.toml").is_err());
        let bad = DEFAULT_CONFIG.replace("max = 0.25", "max = 1.5");
        let err = Settings::parse(&bad, "x.toml").unwrap_err();
        assert!(
            format!("{err:#}").contains("gates.rejected_share.max"),
            "{err:#}"
        );
        let bad = DEFAULT_CONFIG.replace("min = 1", "minimum = 1");
        assert!(Settings::parse(&bad, "x.toml").is_err());
    }

    fn matches(pattern: &str, path: &str) -> bool {
        let priority = SourcePriority::new(&[pattern.to_owned()]).expect("a valid pattern");
        priority.rank(path) == 0
    }

    #[test]
    fn path_patterns() {
        assert!(matches("*/platform.csv", "2014/platform.csv"));
        assert!(matches("**/provinces/*", "2014/a/provinces/gd.csv"));
        assert!(!matches("*/platform.csv", "2014/x/platform.csv"));
        assert!(matches("**/*.xlsx", "zj.xlsx"));
        assert!(matches("2014/*gd*", "2014/a-gd-b.csv"));
        assert!(!matches("2014/*", "2014/a/b.csv"));
    }

    #[test]
    fn many_stars_match_in_linear_time() {
        let pattern = format!("2014/{}b", "*a".repeat(40));
        let path = format!("2014/{}.csv", "a".repeat(200));
        let started = std::time::Instant::now();
        assert!(!matches(&pattern, &path));
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn the_first_matching_pattern_ranks_a_path() {
        let patterns = ["**/platform.csv", "2014/provinces/*"].map(str::to_owned);
        let priority = SourcePriority::new(&patterns).expect("valid");
        assert_eq!(priority.rank("2014/platform.csv"), 0);
        assert_eq!(priority.rank("2014/provinces/gd.csv"), 1);
        assert_eq!(priority.rank("2014/thirdparty/list.csv"), 2);
        let error = SourcePriority::new(&["a/[b".to_owned()]).expect_err("unclosed class");
        assert!(format!("{error:#}").contains("`a/[b`"));
    }
}
