//! Metrics: every figure of the report, computed from the accounts of the
//! subject period (and of the baseline), and serialised as `metrics.json`.
//!
//! Shares are unrounded fractions of the in-scope accounts of the period;
//! rounding happens only when the report shows them. Every list is in a
//! stable order with stable tie-breaks, so identical input gives identical
//! bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::activity::AccountActivity;
use crate::config::{MatrixSettings, Settings};
use crate::dedup::Account;
use crate::geo::{Province, Region, RegionScheme};
use crate::ingest::period::Dataset;
use crate::normalize::{AccountType, Basis, Level};
use crate::period::PeriodData;

mod leading;
mod profiles;
mod series;

pub use leading::{Leading, LeadingAccount, ReadsRule};
pub use profiles::{CityRow, ProvinceProfile, CENTRAL};
pub use series::{PeriodCounts, SeriesCount, SeriesPoint};

/// Bumped when a key is renamed or removed.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Schema of `metrics.json`, from the types that write it
/// (`schema/metrics.schema.json` holds it; a test keeps the two equal).
pub fn schema() -> String {
    let schema = schemars::schema_for!(Metrics);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Metrics {
    pub schema_version: u32,
    pub period: String,
    pub baseline_period: Option<String>,
    /// `YYYY-MM-DD` from `SOURCE_DATE_EPOCH`, or null: no clock time is used.
    pub generated_on: Option<String>,
    pub dataset: Dataset,
    pub totals: Totals,
    pub provinces: Vec<ProvinceRow>,
    pub regions: Vec<RegionRow>,
    /// The two largest provinces against the third.
    pub leading_provinces: Option<LeadingProvinces>,
    pub levels: Vec<LevelRow>,
    /// Provincial + municipal share (the published 84.7%).
    pub provincial_municipal_share: f64,
    pub domains: Vec<DomainRow>,
    /// The two largest domains' combined share (police + health: 36.7%).
    pub top_two_domains_share: f64,
    pub account_types: Vec<AccountTypeRow>,
    pub followers: Followers,
    /// User activity from the monthly activity exports.
    pub activity: Activity,
    /// The maturity matrix (成熟矩阵); null when too few domains qualify.
    pub matrix: Option<Matrix>,
    /// WCI rankings (影响力排行), from the activity exports' WCI inputs.
    pub influence: crate::influence::Influence,
    /// Every ranked account, best first (`tables/influence.csv`).
    #[serde(skip)]
    #[schemars(skip)]
    pub ranking: Vec<crate::influence::RankedAccount>,
    /// Accounts per period over every period of the subject's kind in the
    /// input up to the subject, oldest first (one point with one period).
    pub series: Vec<SeriesPoint>,
    /// The ten accounts with the most followers and the ten with the most
    /// reads per month.
    pub leading: Leading,
    /// Who may lead by reads.
    pub leading_rule: ReadsRule,
    /// Each covered province's figures, in `provinces` order, then the
    /// central accounts' (`code` `central`).
    pub province_profiles: Vec<ProvinceProfile>,
    pub quality: Quality,
    /// Quality gates (config `[gates]`) this report hit; set by the run.
    pub quality_gates: Vec<QualityGate>,
}

/// A quality gate the report hit, as the report states it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct QualityGate {
    /// `rejected_share`, `accounts` or `change`.
    pub gate: String,
    pub limit: f64,
    pub value: f64,
    pub message: String,
}

/// Activity of the period's accounts: reads per follower per month.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Activity {
    /// Months that activity rows were read for (`2014-10`), sorted.
    pub months: Vec<String>,
    /// Activity rows matched to an account.
    pub rows_matched: u64,
    /// Accounts with an activity value.
    pub accounts_with_activity: u64,
    /// Accounts without activity rows.
    pub accounts_without_rows: u64,
    /// Accounts with rows but no followers figure above 0.
    pub accounts_without_followers: u64,
    /// Accounts whose reads are 0 in every month they have rows for.
    pub dormant: u64,
    /// Dormant accounts over accounts with an activity value.
    pub dormant_share: Option<f64>,
    /// Median activity over accounts with a value.
    pub median: Option<f64>,
}

/// A domain's place in the maturity matrix, by account count and activity
/// against the splits (a value equal to a split counts as high).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    strum::IntoStaticStr,
    strum::EnumMessage,
    strum::VariantArray,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Quadrant {
    /// High count, high activity.
    #[strum(message = "活跃")]
    Active,
    /// Low count, high activity.
    #[strum(message = "潜力")]
    Potential,
    /// Low count, low activity.
    #[strum(message = "待开发")]
    Undeveloped,
    /// High count, low activity.
    #[strum(message = "待推广")]
    ToPromote,
}

impl Quadrant {
    pub const ALL: &'static [Quadrant] = <Quadrant as strum::VariantArray>::VARIANTS;

    pub fn slug(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        strum::EnumMessage::get_message(&self).expect("every quadrant has a label")
    }
}

/// The maturity matrix: eligible domains placed by account count (x) and
/// activity (y), split at the medians over those domains.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Matrix {
    /// Domains with fewer accounts are not placed.
    pub min_accounts: u64,
    /// Split on the count axis; a count equal to it counts as high.
    pub count_split: f64,
    /// Split on the activity axis; a value equal to it counts as high.
    pub activity_split: f64,
    /// Slugs of the placed domains, in `domains` order.
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Totals {
    /// In-scope accounts of the period: every share's denominator.
    pub accounts: u64,
    pub provinces_covered: u64,
    /// Central (national) accounts, which have no province.
    pub central: u64,
    /// Non-central accounts that nothing placed in a province.
    pub province_unknown: u64,
    /// Accounts of Hong Kong, Macau and Taiwan: counted and excluded.
    pub out_of_scope: u64,
    pub baseline_accounts: Option<u64>,
    pub yoy_growth: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ProvinceRow {
    /// 2-digit GB/T 2260 code, as text ("44").
    pub code: String,
    /// Short name (广东).
    pub name: String,
    /// Its English name (Guangdong, Inner Mongolia).
    pub name_en: String,
    pub region: Region,
    pub region_label: String,
    pub region_label_en: String,
    pub accounts: u64,
    pub share: f64,
    /// 1 for the largest; equal counts share a rank.
    pub rank: u32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RegionRow {
    pub region: Region,
    pub label: String,
    pub label_en: String,
    pub provinces: u64,
    pub accounts: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LeadingProvinces {
    pub first: String,
    pub second: String,
    pub third: String,
    pub combined_accounts: u64,
    pub combined_share: f64,
    pub third_accounts: u64,
    /// Combined count over the third's count; null when the third has none.
    pub ratio_to_third: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LevelRow {
    pub level: Level,
    pub label: String,
    pub label_en: String,
    pub accounts: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DomainRow {
    /// Stable ASCII slug from the config.
    pub domain: String,
    pub label: String,
    pub label_en: String,
    pub accounts: u64,
    pub share: f64,
    pub rank: u32,
    /// Median account activity (reads per follower per month); null without data.
    pub activity: Option<f64>,
    /// Null when the domain is not placed.
    pub quadrant: Option<Quadrant>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AccountTypeRow {
    #[serde(rename = "type")]
    pub account_type: AccountType,
    pub label: String,
    pub label_en: String,
    pub accounts: u64,
    pub share: f64,
    pub baseline_accounts: Option<u64>,
    /// (subject − baseline) / baseline; null when the baseline is 0 or absent.
    pub yoy_growth: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Followers {
    /// Accounts with a followers figure; the statistics are over these.
    pub accounts: u64,
    pub mean: Option<f64>,
    /// Middle value; the mean of the two middle values for an even count.
    pub median: Option<f64>,
    /// Nearest rank: the value at rank ⌈0.9·n⌉ of the sorted values.
    pub p90: Option<u64>,
    pub total: u64,
    /// Accounts per order of magnitude of followers: 0, 1–9, 10–99, …, up to
    /// the bin of the largest count; empty without follower counts.
    pub histogram: Vec<FollowerBin>,
}

/// Accounts whose followers are at least `from` and below `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FollowerBin {
    pub from: u64,
    /// Exclusive; null for the last bin, which holds the largest count.
    pub to: Option<u64>,
    pub accounts: u64,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Quality {
    pub files_read: u64,
    pub files_skipped: u64,
    /// Files, folders and sheets not read, each with why: those below the
    /// input folder and the subject period's.
    pub skipped: Vec<SkippedEntry>,
    /// Header cells of the subject period's tables that name no column
    /// govwx reads, per table.
    pub unknown_columns: Vec<UnknownColumns>,
    pub records_read: u64,
    pub records_accepted: u64,
    pub records_rejected: u64,
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// Totals lines, counting repeated header lines among them.
    pub totals_lines: u64,
    /// Of the totals lines, those that repeat their table's header.
    pub header_repeats: u64,
    pub blank_lines: u64,
    /// Fields filled by inference, by field name.
    pub fields_inferred: BTreeMap<String, u64>,
    /// Values of fields that feed no figure, dropped because they could not
    /// be read (the record is kept), by field name: `registered_at`.
    pub fields_dropped: BTreeMap<String, u64>,
    pub invalid_original_ids: u64,
    /// Records folded into another record's account.
    pub records_merged: u64,
    pub conflicts: u64,
    pub accounts_out_of_scope: u64,
}

/// A file, folder or sheet that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SkippedEntry {
    pub path: String,
    pub reason: String,
}

/// The header cells of one table that name no column govwx reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct UnknownColumns {
    pub file: String,
    pub columns: Vec<UnknownColumn>,
}

/// A header cell as written, and the known spelling it is close to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct UnknownColumn {
    pub header: String,
    /// A known spelling one or two edits away (`粉丝量`: `粉丝数`).
    pub suggestion: Option<String>,
}

impl UnknownColumn {
    pub fn new(header: &str) -> UnknownColumn {
        UnknownColumn {
            header: header.to_owned(),
            suggestion: crate::ingest::header::suggest(header).map(|(s, _)| s.to_owned()),
        }
    }
}

/// Computes every figure for the subject period against its baseline;
/// `trend` holds the counts of every period of the series, the subject's
/// last.
pub fn compute(
    subject: &PeriodData,
    baseline: Option<&PeriodData>,
    trend: &[PeriodCounts],
    dataset: &Dataset,
    settings: &Settings,
    generated_on: Option<String>,
) -> Metrics {
    let members = in_scope(subject);
    let accounts: Vec<&Account> = members
        .iter()
        .map(|&i| &subject.linked.accounts[i as usize])
        .collect();
    let total = accounts.len() as u64;
    let share = |n: u64| {
        if total == 0 {
            0.0
        } else {
            n as f64 / total as f64
        }
    };
    let provinces = province_rows(&accounts, settings.region_scheme, &share);
    let levels = level_rows(&accounts, &share);
    let mut domains = domain_rows(&accounts, settings, &share);
    let activity = activity_summary(subject, &members, &mut domains, settings);
    let matrix = place_domains(&mut domains, &settings.matrix);
    let level_count = |l: Level| {
        levels
            .iter()
            .find(|r| r.level == l)
            .map_or(0, |r| r.accounts)
    };
    let baseline_accounts: Option<Vec<&Account>> = baseline.map(|b| b.accounts().collect());
    let baseline_total = baseline_accounts.as_ref().map(|b| b.len() as u64);
    let leading_rule = ReadsRule::new(subject.activity.months.len() as u32);
    // The province pages' figures beside the national ones that remain.
    let (
        province_profiles,
        ((influence, ranking), (account_types, followers, leading_accounts, quality)),
    ) = rayon::join(
        || {
            profiles::profiles(
                subject,
                &members,
                baseline_accounts.as_deref(),
                &provinces,
                matrix.as_ref(),
                leading_rule,
                settings.region_scheme,
                settings,
            )
        },
        || {
            (
                crate::influence::measure(subject, settings),
                (
                    type_rows(&accounts, baseline_accounts.as_deref(), &share),
                    followers(&accounts),
                    leading::leading(subject, &members, leading_rule, settings),
                    quality(subject, &accounts),
                ),
            )
        },
    );
    Metrics {
        schema_version: SCHEMA_VERSION,
        period: subject.name.clone(),
        baseline_period: baseline.map(|b| b.name.clone()),
        generated_on,
        dataset: dataset.clone(),
        totals: Totals {
            accounts: total,
            provinces_covered: provinces.len() as u64,
            central: level_count(Level::Central),
            province_unknown: accounts
                .iter()
                .filter(|a| a.province.is_none() && a.level.value() != Level::Central)
                .count() as u64,
            out_of_scope: (subject.linked.accounts.len() - accounts.len()) as u64,
            baseline_accounts: baseline_total,
            yoy_growth: baseline_total.and_then(|b| growth(total, b)),
        },
        regions: region_rows(&provinces, settings.region_scheme, &share),
        leading_provinces: leading(&provinces),
        provincial_municipal_share: share(
            level_count(Level::Provincial) + level_count(Level::Municipal),
        ),
        top_two_domains_share: domains
            .iter()
            .filter(|d| d.domain != "other")
            .take(2)
            .map(|d| d.share)
            .sum(),
        provinces,
        levels,
        domains,
        account_types,
        followers,
        activity,
        matrix,
        influence,
        ranking,
        series: series::series(trend),
        leading: leading_accounts,
        leading_rule,
        province_profiles,
        quality,
        quality_gates: Vec::new(),
    }
}

/// (subject − baseline) / baseline; `None` when the baseline is 0.
fn growth(subject: u64, baseline: u64) -> Option<f64> {
    (baseline > 0).then(|| (subject as f64 - baseline as f64) / baseline as f64)
}

/// Competition ranks (1, 2, 2, 4) for counts already sorted descending.
fn ranks(counts: impl Iterator<Item = u64>) -> Vec<u32> {
    let mut ranks = Vec::new();
    let mut previous = None;
    for (i, count) in counts.enumerate() {
        let rank = match (previous, ranks.last()) {
            (Some(p), Some(&r)) if p == count => r,
            _ => i as u32 + 1,
        };
        ranks.push(rank);
        previous = Some(count);
    }
    ranks
}

fn province_rows(
    accounts: &[&Account],
    scheme: RegionScheme,
    share: &dyn Fn(u64) -> f64,
) -> Vec<ProvinceRow> {
    let mut counts: BTreeMap<Province, u64> = BTreeMap::new();
    for account in accounts {
        if let Some(p) = account.province {
            *counts.entry(p.value()).or_default() += 1;
        }
    }
    let mut sorted: Vec<(Province, u64)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let ranks = ranks(sorted.iter().map(|(_, n)| *n));
    sorted
        .into_iter()
        .zip(ranks)
        .map(|((province, accounts), rank)| {
            let region = province.region(scheme);
            let en = crate::labels::english();
            ProvinceRow {
                code: format!("{:02}", province.code()),
                name: province.short().to_owned(),
                name_en: en.province(province).to_owned(),
                region,
                region_label: region.label().to_owned(),
                region_label_en: en.region(region).to_owned(),
                accounts,
                share: share(accounts),
                rank,
            }
        })
        .collect()
}

fn region_rows(
    provinces: &[ProvinceRow],
    scheme: RegionScheme,
    share: &dyn Fn(u64) -> f64,
) -> Vec<RegionRow> {
    let regions: &[Region] = match scheme {
        RegionScheme::Four => &[
            Region::East,
            Region::Central,
            Region::West,
            Region::Northeast,
        ],
        RegionScheme::Three => &[Region::East, Region::Central, Region::West],
    };
    regions
        .iter()
        .map(|region| {
            let members = provinces.iter().filter(|p| p.region == *region);
            let (covered, accounts) = members.fold((0, 0), |(c, n), p| (c + 1, n + p.accounts));
            RegionRow {
                region: *region,
                label: region.label().to_owned(),
                label_en: crate::labels::english().region(*region).to_owned(),
                provinces: covered,
                accounts,
                share: share(accounts),
            }
        })
        .collect()
}

fn leading(provinces: &[ProvinceRow]) -> Option<LeadingProvinces> {
    let [first, second, third, ..] = provinces else {
        return None;
    };
    let combined = first.accounts + second.accounts;
    Some(LeadingProvinces {
        first: first.name.clone(),
        second: second.name.clone(),
        third: third.name.clone(),
        combined_accounts: combined,
        combined_share: first.share + second.share,
        third_accounts: third.accounts,
        ratio_to_third: (third.accounts > 0).then(|| combined as f64 / third.accounts as f64),
    })
}

fn level_rows(accounts: &[&Account], share: &dyn Fn(u64) -> f64) -> Vec<LevelRow> {
    let counts = tally(accounts, Level::ALL, |a| a.level.value());
    Level::ALL
        .iter()
        .copied()
        .zip(counts)
        .filter(|&(level, n)| level != Level::Unknown || n > 0)
        .map(|(level, n)| LevelRow {
            level,
            label: level.label().to_owned(),
            label_en: crate::labels::english().level(level).to_owned(),
            accounts: n,
            share: share(n),
        })
        .collect()
}

/// How many accounts have each of `values`, in their order: one pass over
/// the accounts, whatever the number of values.
fn tally<T: Copy + PartialEq>(
    accounts: &[&Account],
    values: &[T],
    of: impl Fn(&Account) -> T,
) -> Vec<u64> {
    let mut counts = vec![0; values.len()];
    for account in accounts {
        let value = of(account);
        if let Some(at) = values.iter().position(|&v| v == value) {
            counts[at] += 1;
        }
    }
    counts
}

fn domain_rows(
    accounts: &[&Account],
    settings: &Settings,
    share: &dyn Fn(u64) -> f64,
) -> Vec<DomainRow> {
    let mut counts = vec![0u64; settings.domains.len()];
    for account in accounts {
        counts[usize::from(account.domain.value())] += 1;
    }
    let other = usize::from(settings.other_domain);
    let mut order: Vec<usize> = (0..counts.len()).filter(|&d| counts[d] > 0).collect();
    order.sort_by_key(|&d| (d == other, std::cmp::Reverse(counts[d]), d));
    let ranks = ranks(order.iter().map(|&d| counts[d]));
    order
        .into_iter()
        .zip(ranks)
        .map(|(d, rank)| DomainRow {
            domain: settings.domains[d].slug.clone(),
            label: settings.domains[d].label.clone(),
            label_en: settings.domains[d].label_en.clone(),
            accounts: counts[d],
            share: share(counts[d]),
            rank,
            activity: None,
            quadrant: None,
        })
        .collect()
}

fn type_rows(
    accounts: &[&Account],
    baseline: Option<&[&Account]>,
    share: &dyn Fn(u64) -> f64,
) -> Vec<AccountTypeRow> {
    let count = |accounts: &[&Account]| tally(accounts, AccountType::ALL, |a| a.account_type);
    let counts = count(accounts);
    let base_counts = baseline.map(count);
    AccountType::ALL
        .iter()
        .enumerate()
        .map(|(i, &t)| (t, counts[i], base_counts.as_ref().map(|b| b[i])))
        .filter(|&(t, n, base)| t != AccountType::Unknown || n > 0 || base.unwrap_or(0) > 0)
        .map(|(t, n, base)| AccountTypeRow {
            account_type: t,
            label: t.label().to_owned(),
            label_en: crate::labels::english().account_type(t).to_owned(),
            accounts: n,
            share: share(n),
            baseline_accounts: base,
            yoy_growth: base.and_then(|b| growth(n, b)),
        })
        .collect()
}

fn followers(accounts: &[&Account]) -> Followers {
    let mut values: Vec<u64> = accounts
        .iter()
        .filter_map(|a| a.followers.map(u64::from))
        .collect();
    values.sort_unstable();
    let n = values.len();
    // Each count is bounded when read, but the sum of many is kept in u128
    // so that no input can wrap it; the total saturates when shown.
    let total: u128 = values.iter().map(|&v| u128::from(v)).sum();
    Followers {
        accounts: n as u64,
        mean: (n > 0).then(|| total as f64 / n as f64),
        median: median(&values),
        p90: nearest_rank(&values, 0.9),
        total: u64::try_from(total).unwrap_or(u64::MAX),
        histogram: follower_bins(&values),
    }
}

/// Bins of sorted `values` by order of magnitude: 0, 1–9, 10–99, … up to
/// the bin of the largest value, which is open-ended (`to` null). Every bin
/// up to that one is listed, empty ones too.
fn follower_bins(values: &[u64]) -> Vec<FollowerBin> {
    let Some(&largest) = values.last() else {
        return Vec::new();
    };
    let mut bins = Vec::new();
    let (mut from, mut to) = (0_u64, 1_u64);
    loop {
        let last = largest < to;
        let end = match last {
            true => values.len(),
            false => values.partition_point(|&v| v < to),
        };
        let start = values.partition_point(|&v| v < from);
        bins.push(FollowerBin {
            from,
            to: (!last).then_some(to),
            accounts: (end - start) as u64,
        });
        if last {
            return bins;
        }
        from = to;
        match to.checked_mul(10) {
            Some(next) => to = next,
            None => {
                bins.push(FollowerBin {
                    from,
                    to: None,
                    accounts: (values.len() - values.partition_point(|&v| v < from)) as u64,
                });
                return bins;
            }
        }
    }
}

/// Summarises in-scope accounts' activity and sets each domain's activity:
/// the median of its accounts' values.
fn activity_summary(
    subject: &PeriodData,
    members: &[u32],
    domains: &mut [DomainRow],
    settings: &Settings,
) -> Activity {
    let mut summary = Activity {
        months: subject
            .activity
            .months
            .iter()
            .map(|(y, m)| format!("{y:04}-{m:02}"))
            .collect(),
        rows_matched: subject.activity.rows_matched,
        ..Activity::default()
    };
    let mut by_domain: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut all = Vec::new();
    let pairs = members.iter().map(|&i| {
        let i = i as usize;
        (&subject.linked.accounts[i], subject.activity.of(i))
    });
    for (account, activity) in pairs {
        match *activity {
            AccountActivity::NoRows => summary.accounts_without_rows += 1,
            AccountActivity::NoFollowers => summary.accounts_without_followers += 1,
            AccountActivity::Measured { value, dormant, .. } => {
                summary.accounts_with_activity += 1;
                summary.dormant += u64::from(dormant);
                all.push(value);
                by_domain
                    .entry(&settings.domain(account.domain.value()).slug)
                    .or_default()
                    .push(value);
            }
        }
    }
    for row in domains.iter_mut() {
        row.activity = by_domain
            .get_mut(row.domain.as_str())
            .and_then(|values| median_f64(values));
    }
    summary.median = median_f64(&mut all);
    summary.dormant_share = (summary.accounts_with_activity > 0)
        .then(|| summary.dormant as f64 / summary.accounts_with_activity as f64);
    summary
}

/// Indices of the period's in-scope accounts (mainland and central).
pub(crate) fn in_scope(data: &PeriodData) -> Vec<u32> {
    (0..)
        .zip(&data.linked.accounts)
        .filter(|(_, a)| a.in_scope())
        .map(|(i, _)| i)
        .collect()
}

/// Places eligible domains in the maturity matrix (docs/CONTRACT.md §5): not `other`, at
/// least `min_accounts` accounts, with an activity value. A value equal to a
/// split counts as high.
fn place_domains(domains: &mut [DomainRow], settings: &MatrixSettings) -> Option<Matrix> {
    let eligible = |d: &DomainRow| {
        d.domain != "other" && d.accounts >= settings.min_accounts && d.activity.is_some()
    };
    let mut counts: Vec<f64> = domains
        .iter()
        .filter(|d| eligible(d))
        .map(|d| d.accounts as f64)
        .collect();
    let mut activities: Vec<f64> = domains
        .iter()
        .filter(|d| eligible(d))
        .filter_map(|d| d.activity)
        .collect();
    if counts.len() < 2 {
        return None;
    }
    let count_split = settings.count_split.or_else(|| median_f64(&mut counts))?;
    let activity_split = settings
        .activity_split
        .or_else(|| median_f64(&mut activities))?;
    let mut placed = Vec::new();
    for row in domains.iter_mut().filter(|d| eligible(d)) {
        let high_count = row.accounts as f64 >= count_split;
        let high_activity = row.activity.is_some_and(|a| a >= activity_split);
        let quadrant = match (high_count, high_activity) {
            (true, true) => Quadrant::Active,
            (false, true) => Quadrant::Potential,
            (false, false) => Quadrant::Undeveloped,
            (true, false) => Quadrant::ToPromote,
        };
        row.quadrant = Some(quadrant);
        placed.push(row.domain.clone());
    }
    Some(Matrix {
        min_accounts: settings.min_accounts,
        count_split,
        activity_split,
        domains: placed,
    })
}

/// The median of values (mean of the two middle ones for an even count).
pub fn median_f64(values: &mut [f64]) -> Option<f64> {
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// The middle value of sorted values; the mean of the two middle ones for an
/// even count.
pub fn median(sorted: &[u64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// The value at rank ⌈p·n⌉ (1-based) of sorted values.
pub fn nearest_rank(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

fn quality(subject: &PeriodData, accounts: &[&Account]) -> Quality {
    let mut q = Quality::default();
    for file in &subject.files {
        match &file.skipped {
            Some(reason) => {
                q.files_skipped += 1;
                q.skipped.push(SkippedEntry {
                    path: file.path.clone(),
                    reason: reason.clone(),
                });
            }
            None => q.files_read += 1,
        }
        if !file.extra_columns.is_empty() {
            q.unknown_columns.push(UnknownColumns {
                file: file.path.clone(),
                columns: file
                    .extra_columns
                    .iter()
                    .map(|c| UnknownColumn::new(c))
                    .collect(),
            });
        }
        q.records_read += file.records_read;
        q.records_accepted += file.records_accepted;
        q.records_rejected += file.records_rejected;
        q.totals_lines += file.totals_lines;
        q.header_repeats += file.header_repeats;
        q.blank_lines += file.blank_lines;
        for reject in &file.rejects {
            *q.rejected_by_reason
                .entry(reject.kind.name().to_owned())
                .or_default() += 1;
        }
    }
    let inferred = |b: Basis| b.is_inferred() && b != Basis::Fallback;
    for account in accounts {
        for (field, basis) in [
            ("province", account.province.map(|p| p.basis())),
            ("level", Some(account.level.basis())),
            ("domain", Some(account.domain.basis())),
        ] {
            if basis.is_some_and(inferred) {
                *q.fields_inferred.entry(field.to_owned()).or_default() += 1;
            }
        }
    }
    q.invalid_original_ids = subject.invalid_original_ids;
    let bad_dates = subject.bad_registered_dates;
    if bad_dates > 0 {
        q.fields_dropped
            .insert("registered_at".to_owned(), bad_dates);
    }
    q.records_merged = subject
        .linked
        .accounts
        .iter()
        .map(|a| u64::from(a.members.len) - 1)
        .sum();
    q.conflicts = subject.linked.conflicts.len() as u64;
    q.accounts_out_of_scope = (subject.linked.accounts.len() - accounts.len()) as u64;
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_and_median() {
        let values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(nearest_rank(&values, 0.9), Some(9));
        assert_eq!(nearest_rank(&values[..7], 0.9), Some(7));
        assert_eq!(nearest_rank(&[5], 0.9), Some(5));
        assert_eq!(median(&values), Some(5.5));
        assert_eq!(median(&values[..3]), Some(2.0));
        assert_eq!(median(&[]), None);
    }

    fn domain(slug: &str, accounts: u64, activity: Option<f64>) -> DomainRow {
        DomainRow {
            domain: slug.into(),
            label: slug.into(),
            label_en: slug.into(),
            accounts,
            share: 0.0,
            rank: 0,
            activity,
            quadrant: None,
        }
    }

    #[test]
    fn the_matrix_splits_at_the_medians_and_ties_count_as_high() {
        let mut domains = vec![
            domain("a", 100, Some(0.5)),
            domain("b", 50, Some(0.2)),
            domain("c", 20, Some(0.4)),
            domain("d", 10, Some(0.1)),
            domain("e", 9, Some(0.9)),
            domain("other", 500, Some(0.9)),
            domain("f", 30, None),
        ];
        let settings = MatrixSettings {
            min_accounts: 10,
            count_split: None,
            activity_split: None,
        };
        let matrix = place_domains(&mut domains, &settings).expect("four eligible domains");
        assert_eq!(
            (matrix.count_split, matrix.activity_split),
            (35.0, 0.30000000000000004)
        );
        let quadrants: Vec<Option<&str>> = domains
            .iter()
            .map(|d| d.quadrant.map(Quadrant::slug))
            .collect();
        assert_eq!(
            quadrants,
            [
                Some("active"),
                Some("to_promote"),
                Some("potential"),
                Some("undeveloped"),
                None,
                None,
                None
            ]
        );
        let mut three = vec![
            domain("a", 30, Some(0.5)),
            domain("b", 20, Some(0.2)),
            domain("c", 10, Some(0.3)),
        ];
        let matrix = place_domains(&mut three, &settings).expect("three eligible");
        assert_eq!((matrix.count_split, matrix.activity_split), (20.0, 0.3));
        assert_eq!(
            three[1].quadrant.map(Quadrant::slug),
            Some("to_promote"),
            "a count equal to the split is high"
        );
        assert_eq!(
            three[2].quadrant.map(Quadrant::slug),
            Some("potential"),
            "an activity equal to the split is high"
        );
    }

    #[test]
    fn competition_ranks() {
        assert_eq!(ranks([9, 5, 5, 2].into_iter()), vec![1, 2, 2, 4]);
    }

    fn account_with(followers: u32, strings: &mut crate::normalize::Interner) -> Account {
        Account {
            key: crate::dedup::AccountKey::text(String::new()),
            members: crate::dedup::Members { start: 0, len: 1 },
            wechat_id: None,
            name: strings.intern("x"),
            entity: None,
            province: None,
            level: crate::normalize::Decided::new(Level::Central, Basis::Column),
            domain: crate::normalize::Decided::new(0, Basis::Column),
            account_type: AccountType::Unknown,
            followers: crate::normalize::Count::new(followers),
            registered_at: None,
            city: None,
        }
    }

    #[test]
    fn follower_sums_are_exact_past_four_bytes() {
        // The largest count an account holds.
        let big = u32::MAX - 1;
        let mut strings = crate::normalize::Interner::with_capacity(1, 1);
        let accounts: Vec<Account> = [big, big, 1]
            .into_iter()
            .map(|f| account_with(f, &mut strings))
            .collect();
        let refs: Vec<&Account> = accounts.iter().collect();
        let f = followers(&refs);
        assert_eq!(f.total, 2 * u64::from(big) + 1, "summed in 8 bytes");
        let (mean, median) = (f.mean.expect("mean"), f.median.expect("median"));
        assert_eq!(median, f64::from(big));
        assert!((mean - (2.0 * f64::from(big) + 1.0) / 3.0).abs() < 1.0);
    }

    #[test]
    fn follower_bins_go_by_powers_of_ten_up_to_the_largest() {
        let bin = |from, to, accounts| FollowerBin { from, to, accounts };
        assert!(follower_bins(&[]).is_empty());
        assert_eq!(follower_bins(&[0, 0]), vec![bin(0, None, 2)]);
        assert_eq!(
            follower_bins(&[0, 1, 9, 10, 99, 100, 250, 999]),
            vec![
                bin(0, Some(1), 1),
                bin(1, Some(10), 2),
                bin(10, Some(100), 2),
                bin(100, None, 3)
            ]
        );
        assert_eq!(
            follower_bins(&[5, 12_000]),
            vec![
                bin(0, Some(1), 0),
                bin(1, Some(10), 1),
                bin(10, Some(100), 0),
                bin(100, Some(1_000), 0),
                bin(1_000, Some(10_000), 0),
                bin(10_000, None, 1)
            ]
        );
        let big = follower_bins(&[u64::MAX]);
        assert_eq!(big.last(), Some(&bin(10_000_000_000_000_000_000, None, 1)));
        assert_eq!(big.iter().map(|b| b.accounts).sum::<u64>(), 1);
    }

    #[test]
    fn growth_is_null_without_a_baseline() {
        assert_eq!(growth(12, 6), Some(1.0));
        assert_eq!(growth(5, 0), None);
    }
}
