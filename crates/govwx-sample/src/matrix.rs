//! The true activity and maturity matrix of 2014, recomputed from the
//! activity rows as written (reads capped at 100001 where an export says
//! `10万+`), exactly as docs/CONTRACT.md §5 defines them, and the check that the
//! published zones hold.
//!
//! `generate` refuses to write a sample whose matrix misses the published
//! one, so retuning the activity targets or the follower draw cannot ship a
//! sample whose report contradicts the white paper.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde::Serialize;

use super::activity::{MONTHS, YEAR};
use super::activity_exports::ReadRow;
use super::model::{Account, Period};
use govwx::config::Settings;

/// Domains with fewer accounts are not placed in the matrix.
pub(crate) const MIN_ACCOUNTS: usize = 10;

/// A zone of the maturity matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Quadrant {
    Active,
    Potential,
    Undeveloped,
    ToPromote,
}

/// The zones as published (SEED-FIGURES.md); other domains may fall anywhere.
const PUBLISHED: [(&str, Quadrant); 12] = [
    ("police", Quadrant::Active),
    ("health", Quadrant::Active),
    ("publicity", Quadrant::Active),
    ("transport", Quadrant::Potential),
    ("tourism", Quadrant::Potential),
    ("culture", Quadrant::Potential),
    ("education", Quadrant::Potential),
    ("housing_fund", Quadrant::Undeveloped),
    ("food_drug", Quadrant::Undeveloped),
    ("tax", Quadrant::Undeveloped),
    ("youth_league", Quadrant::ToPromote),
    ("hr_social", Quadrant::ToPromote),
];

/// One domain's activity.
#[derive(Debug, Serialize)]
pub(crate) struct DomainActivity {
    /// In-scope accounts of the domain.
    pub accounts: usize,
    pub with_activity: usize,
    pub dormant: usize,
    /// Median of its accounts' activity values.
    pub activity: Option<f64>,
}

/// The matrix: splits and each eligible domain's zone.
#[derive(Debug, Serialize)]
pub(crate) struct MatrixFigures {
    pub min_accounts: usize,
    /// Median account count over eligible domains; equal counts as high.
    pub count_split: f64,
    /// Median domain activity over eligible domains; equal counts as high.
    pub activity_split: f64,
    pub quadrants: BTreeMap<String, Quadrant>,
}

/// Activity of the in-scope 2014 accounts, for `figures.json`.
#[derive(Debug, Serialize)]
pub(crate) struct ActivityFigures {
    pub months: Vec<String>,
    /// Accepted activity rows.
    pub rows: usize,
    pub accounts_with_activity: usize,
    pub accounts_without_rows: usize,
    /// Accounts with rows but no followers figure above 0.
    pub accounts_without_followers: usize,
    /// Accounts with a value whose reads are 0 in every month.
    pub dormant: usize,
    /// Median over accounts with a value.
    pub median: Option<f64>,
    pub domains: BTreeMap<String, DomainActivity>,
    pub matrix: MatrixFigures,
    /// Activity by truth account id, for `accounts.csv`.
    #[serde(skip)]
    pub by_account: BTreeMap<String, f64>,
}

impl ActivityFigures {
    /// Recomputes every activity figure from the accepted rows.
    pub fn compute(accounts: &[Account], settings: &Settings, rows: &[ReadRow]) -> Self {
        let mut reads: BTreeMap<usize, Vec<(u32, u64)>> = BTreeMap::new();
        for row in rows {
            reads
                .entry(row.account)
                .or_default()
                .push((row.month, row.reads));
        }
        let mut figures = ActivityFigures::empty(rows.len());
        let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (index, account) in accounts.iter().enumerate() {
            let Some(followers) = account.followers[Period::Y2014.index()] else {
                continue;
            };
            if !account.in_scope {
                continue;
            }
            let slug = settings.domain(account.domain).slug.clone();
            let domain = figures
                .domains
                .entry(slug.clone())
                .or_insert(DomainActivity {
                    accounts: 0,
                    with_activity: 0,
                    dormant: 0,
                    activity: None,
                });
            domain.accounts += 1;
            let Some(months) = reads.get_mut(&index) else {
                figures.accounts_without_rows += 1;
                continue;
            };
            let Some(value) = account_activity(months, followers) else {
                figures.accounts_without_followers += 1;
                continue;
            };
            let dormant = months.iter().all(|(_, r)| *r == 0);
            domain.with_activity += 1;
            domain.dormant += usize::from(dormant);
            figures.dormant += usize::from(dormant);
            figures.by_account.insert(account.id.clone(), value);
            values.entry(slug).or_default().push(value);
        }
        figures.finish(values);
        figures
    }

    fn empty(rows: usize) -> ActivityFigures {
        ActivityFigures {
            months: MONTHS.iter().map(|m| format!("{YEAR}-{m:02}")).collect(),
            rows,
            accounts_with_activity: 0,
            accounts_without_rows: 0,
            accounts_without_followers: 0,
            dormant: 0,
            median: None,
            domains: BTreeMap::new(),
            matrix: MatrixFigures {
                min_accounts: MIN_ACCOUNTS,
                count_split: 0.0,
                activity_split: 0.0,
                quadrants: BTreeMap::new(),
            },
            by_account: BTreeMap::new(),
        }
    }

    /// Domain medians, the overall median and the matrix.
    fn finish(&mut self, values: BTreeMap<String, Vec<f64>>) {
        self.accounts_with_activity = self.by_account.len();
        self.median = median(self.by_account.values().copied().collect());
        for (slug, values) in values {
            if let Some(domain) = self.domains.get_mut(&slug) {
                domain.activity = median(values);
            }
        }
        let eligible: Vec<(&String, f64, f64)> = self
            .domains
            .iter()
            .filter(|(slug, _)| !["other", "unknown"].contains(&slug.as_str()))
            .filter(|(_, d)| d.accounts >= MIN_ACCOUNTS)
            .filter_map(|(slug, d)| Some((slug, d.accounts as f64, d.activity?)))
            .collect();
        let count_split = median(eligible.iter().map(|e| e.1).collect()).unwrap_or(0.0);
        let activity_split = median(eligible.iter().map(|e| e.2).collect()).unwrap_or(0.0);
        let quadrants = eligible
            .iter()
            .map(|&(slug, count, activity)| {
                let zone = match (count >= count_split, activity >= activity_split) {
                    (true, true) => Quadrant::Active,
                    (false, true) => Quadrant::Potential,
                    (false, false) => Quadrant::Undeveloped,
                    (true, false) => Quadrant::ToPromote,
                };
                (slug.clone(), zone)
            })
            .collect();
        self.matrix.count_split = count_split;
        self.matrix.activity_split = activity_split;
        self.matrix.quadrants = quadrants;
    }

    /// The published zones, all failures listed at once.
    pub fn check(&self) -> Result<()> {
        let mut failures = Vec::new();
        for (slug, zone) in PUBLISHED {
            let placed = self.matrix.quadrants.get(slug);
            if placed != Some(&zone) {
                let activity = self.domains.get(slug).and_then(|d| d.activity);
                failures.push(format!(
                    "{slug} is {placed:?}, not {zone:?} (activity {activity:?}, split {})",
                    self.matrix.activity_split
                ));
            }
        }
        if !failures.is_empty() {
            bail!(
                "the sample's maturity matrix misses the published zones:\n  {}",
                failures.join("\n  ")
            );
        }
        Ok(())
    }
}

/// Mean over the account's months of reads / followers, summed in month
/// order; none without followers above 0.
fn account_activity(months: &mut [(u32, u64)], followers: u64) -> Option<f64> {
    if followers == 0 || months.is_empty() {
        return None;
    }
    months.sort_unstable();
    let sum: f64 = months
        .iter()
        .map(|(_, reads)| *reads as f64 / followers as f64)
        .sum();
    Some(sum / months.len() as f64)
}

/// The median; the mean of the two middle values for an even count.
pub(crate) fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_account_activity() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        let mut months = vec![(12, 300), (10, 100)];
        assert_eq!(account_activity(&mut months, 100), Some(2.0));
        assert_eq!(account_activity(&mut months, 0), None);
        assert_eq!(account_activity(&mut [(10, 0)], 5), Some(0.0));
    }
}
