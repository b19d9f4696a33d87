//! The trend over every period of the input of the subject's kind (every
//! year up to the subject year, say): one point per period, oldest first.

use serde::Serialize;

use super::growth;
use crate::dedup::Account;
use crate::normalize::{AccountType, Level};
use crate::period::PeriodData;

/// One period of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SeriesPoint {
    pub period: String,
    /// In-scope accounts.
    pub accounts: u64,
    /// Against the point before; null for the first and after an empty one.
    pub growth: Option<f64>,
    /// Accounts of each type present in any point, in type order.
    pub account_types: Vec<SeriesCount>,
    /// Accounts of each level present in any point, in level order.
    pub levels: Vec<SeriesCount>,
}

/// Accounts of one type or level in one period.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SeriesCount {
    /// The type's or level's slug.
    pub key: String,
    pub label: String,
    pub label_en: String,
    pub accounts: u64,
    /// Against the point before; null for the first and after 0.
    pub growth: Option<f64>,
}

/// A period's counts, before the points are put side by side.
#[derive(Debug, Clone)]
pub struct PeriodCounts {
    period: String,
    accounts: u64,
    types: Vec<u64>,
    levels: Vec<u64>,
}

impl PeriodCounts {
    /// The counts of a period's in-scope accounts.
    pub fn of(data: &PeriodData) -> PeriodCounts {
        let mut counts = PeriodCounts {
            period: data.name.clone(),
            accounts: 0,
            types: vec![0; AccountType::ALL.len()],
            levels: vec![0; Level::ALL.len()],
        };
        for account in data.accounts() {
            counts.add(account);
        }
        counts
    }

    fn add(&mut self, account: &Account) {
        self.accounts += 1;
        let t = AccountType::ALL
            .iter()
            .position(|&t| t == account.account_type);
        let l = Level::ALL.iter().position(|&l| l == account.level.value());
        self.types[t.expect("every type is in ALL")] += 1;
        self.levels[l.expect("every level is in ALL")] += 1;
    }
}

/// The trend over `periods`, oldest first.
pub fn series(periods: &[PeriodCounts]) -> Vec<SeriesPoint> {
    let en = crate::labels::english();
    let present =
        |of: fn(&PeriodCounts) -> &Vec<u64>, k: usize| periods.iter().any(|p| of(p)[k] > 0);
    periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let before = i.checked_sub(1).map(|b| &periods[b]);
            let change = |now: u64, then: Option<u64>| then.and_then(|t| growth(now, t));
            SeriesPoint {
                period: p.period.clone(),
                accounts: p.accounts,
                growth: change(p.accounts, before.map(|b| b.accounts)),
                account_types: (0..AccountType::ALL.len())
                    .filter(|&k| present(|p| &p.types, k))
                    .map(|k| {
                        let t = AccountType::ALL[k];
                        SeriesCount {
                            key: t.slug().to_owned(),
                            label: t.label().to_owned(),
                            label_en: en.account_type(t).to_owned(),
                            accounts: p.types[k],
                            growth: change(p.types[k], before.map(|b| b.types[k])),
                        }
                    })
                    .collect(),
                levels: (0..Level::ALL.len())
                    .filter(|&k| present(|p| &p.levels, k))
                    .map(|k| {
                        let l = Level::ALL[k];
                        SeriesCount {
                            key: l.slug().to_owned(),
                            label: l.label().to_owned(),
                            label_en: en.level(l).to_owned(),
                            accounts: p.levels[k],
                            growth: change(p.levels[k], before.map(|b| b.levels[k])),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(period: &str, types: [u64; 4], levels: [u64; 6]) -> PeriodCounts {
        PeriodCounts {
            period: period.to_owned(),
            accounts: types.iter().sum(),
            types: types.to_vec(),
            levels: levels.to_vec(),
        }
    }

    #[test]
    fn growth_is_against_the_point_before_and_absent_types_are_left_out() {
        let points = series(&[
            counts("2012", [10, 0, 0, 0], [0, 5, 5, 0, 0, 0]),
            counts("2013", [15, 5, 0, 0], [0, 10, 10, 0, 0, 0]),
            counts("2014", [30, 10, 0, 0], [0, 20, 20, 0, 0, 0]),
        ]);
        assert_eq!(points.len(), 3);
        assert_eq!(points[0].growth, None);
        assert_eq!(points[1].growth, Some(1.0));
        assert_eq!(points[2].growth, Some(1.0));
        let keys: Vec<&str> = points[2]
            .account_types
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(keys, ["subscription", "service"]);
        assert_eq!(points[0].account_types[1].accounts, 0);
        // Growth from 0 is not a number.
        assert_eq!(points[1].account_types[1].growth, None);
        assert_eq!(points[2].account_types[1].growth, Some(1.0));
        let levels: Vec<&str> = points[0].levels.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(levels, ["provincial", "municipal"]);
    }
}
