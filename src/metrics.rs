//! Metrics: every figure of the report, computed from the accounts of the
//! subject period (and of the baseline), and serialised as `metrics.json`.
//!
//! Shares are unrounded fractions of the in-scope accounts of the period;
//! rounding happens only when the report shows them. Every list is in a
//! stable order with stable tie-breaks, so identical input gives identical
//! bytes.

use std::collections::BTreeMap;

use serde::Serialize;

/// Bumped when a key is renamed or removed.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
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
    pub quality: Quality,
}

/// What the input folder says about itself (`input/dataset.toml`).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// True for generated data: the report says so prominently.
    #[serde(default)]
    pub synthetic: bool,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct ProvinceRow {
    /// 2-digit GB/T 2260 code, as text ("44").
    pub code: String,
    /// Short name (广东).
    pub name: String,
    /// Region slug (east, central, west, northeast).
    pub region: String,
    pub region_label: String,
    pub accounts: u64,
    pub share: f64,
    /// 1 for the largest; equal counts share a rank.
    pub rank: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionRow {
    pub region: String,
    pub label: String,
    pub provinces: u64,
    pub accounts: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct LevelRow {
    /// central, provincial, municipal, county, township or unknown.
    pub level: String,
    pub label: String,
    pub accounts: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainRow {
    /// Stable ASCII slug from the config.
    pub domain: String,
    pub label: String,
    pub accounts: u64,
    pub share: f64,
    pub rank: u32,
    /// Median account activity (reads per follower per month); null without data.
    pub activity: Option<f64>,
    /// active, potential, undeveloped or to_promote; null when not placed.
    pub quadrant: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountTypeRow {
    /// subscription, service, enterprise or unknown.
    #[serde(rename = "type")]
    pub account_type: String,
    pub label: String,
    pub accounts: u64,
    pub share: f64,
    pub baseline_accounts: Option<u64>,
    /// (subject − baseline) / baseline; null when the baseline is 0 or absent.
    pub yoy_growth: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Followers {
    /// Accounts with a followers figure; the statistics are over these.
    pub accounts: u64,
    pub mean: Option<f64>,
    /// Middle value; the mean of the two middle values for an even count.
    pub median: Option<f64>,
    /// Nearest rank: the value at rank ⌈0.9·n⌉ of the sorted values.
    pub p90: Option<u64>,
    pub total: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    pub files_read: u64,
    pub files_skipped: u64,
    pub records_read: u64,
    pub records_accepted: u64,
    pub records_rejected: u64,
    pub rejected_by_reason: BTreeMap<String, u64>,
    pub totals_lines: u64,
    pub blank_lines: u64,
    /// Fields filled by inference, by field name.
    pub fields_inferred: BTreeMap<String, u64>,
    pub invalid_original_ids: u64,
    /// Records folded into another record's account.
    pub records_merged: u64,
    pub conflicts: u64,
    pub accounts_out_of_scope: u64,
}
