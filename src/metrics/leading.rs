//! The leading accounts: the ten with the most followers and the ten with
//! the most reads per month, nationally and in each province.

use serde::Serialize;

use crate::config::Settings;
use crate::period::PeriodData;

/// How many accounts each list holds.
pub const LEADING: usize = 10;

/// The accounts that lead a group (the country, a province) by followers
/// and by reads.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Leading {
    /// Most followers first; ties in account-key order.
    pub by_followers: Vec<LeadingAccount>,
    /// Most reads per month first, among accounts with reads in at least
    /// `min_active_months` months; ties (capped months make many) by
    /// followers, most first, then in account-key order.
    pub by_reads: Vec<LeadingAccount>,
}

/// Who may lead by reads: reads above 0 in at least half the months the
/// activity data covers (at least one), so that one busy month does not
/// make a leader.
#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct ReadsRule {
    /// Months the activity data covers.
    pub months: u32,
    pub min_active_months: u32,
}

impl ReadsRule {
    pub fn new(months: u32) -> ReadsRule {
        ReadsRule {
            months,
            min_active_months: months.div_ceil(2).max(1),
        }
    }
}

/// One leading account.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LeadingAccount {
    pub rank: u32,
    pub name: String,
    pub original_id: Option<String>,
    pub entity: Option<String>,
    /// Short name, as `provinces[].name`; null for central accounts.
    pub province: Option<String>,
    pub province_en: Option<String>,
    /// Two-digit division code (the province page's file name).
    pub province_code: Option<String>,
    pub domain: String,
    pub domain_label: String,
    pub domain_label_en: String,
    pub followers: Option<u64>,
    /// Mean reads over the months with a row, rounded to a whole read.
    pub reads_per_month: Option<u64>,
    /// Months with reads above 0.
    pub active_months: u32,
    /// Some month's count was capped by its export (`10万+`), so
    /// `reads_per_month` is a lower bound.
    pub reads_capped: bool,
}

/// The leading accounts among `members` (indices into the period's
/// accounts, in key order).
pub fn leading(
    data: &PeriodData,
    members: &[u32],
    rule: ReadsRule,
    settings: &Settings,
) -> Leading {
    let accounts = &data.linked.accounts;
    let followers = |i: u32| accounts[i as usize].followers.map_or(-1.0, f64::from);
    let by_followers = top(members.iter().filter_map(|&i| {
        accounts[i as usize]
            .followers
            .map(|f| ((f64::from(f), 0.0), i))
    }));
    let by_reads = top(members.iter().filter_map(|&i| {
        let reads = data.activity.reads_of(i as usize);
        let per_month = reads.per_month()?;
        (reads.active_months >= rule.min_active_months).then(|| ((per_month, followers(i)), i))
    }));
    let row = |(rank, &i): (usize, &u32)| leading_account(data, i, rank as u32 + 1, settings);
    Leading {
        by_followers: by_followers.iter().enumerate().map(row).collect(),
        by_reads: by_reads.iter().enumerate().map(row).collect(),
    }
}

/// A score and a second score that breaks its ties.
type Score = (f64, f64);

/// Whether `a` ranks before `b`: higher scores first, ties by index.
fn before(a: &(Score, u32), b: &(Score, u32)) -> std::cmp::Ordering {
    (b.0 .0.total_cmp(&a.0 .0))
        .then(b.0 .1.total_cmp(&a.0 .1))
        .then(a.1.cmp(&b.1))
}

/// The `LEADING` highest scores, highest first, ties by index (key order).
fn top(scored: impl Iterator<Item = (Score, u32)>) -> Vec<u32> {
    // A sorted buffer of at most LEADING + 1: a few comparisons per account.
    let mut best: Vec<(Score, u32)> = Vec::with_capacity(LEADING + 1);
    for candidate in scored {
        if best.len() == LEADING && before(best.last().expect("full"), &candidate).is_lt() {
            continue;
        }
        let at = best.partition_point(|b| before(b, &candidate).is_lt());
        best.insert(at, candidate);
        best.truncate(LEADING);
    }
    best.into_iter().map(|(_, i)| i).collect()
}

fn leading_account(
    data: &PeriodData,
    index: u32,
    rank: u32,
    settings: &Settings,
) -> LeadingAccount {
    let account = &data.linked.accounts[index as usize];
    let text = |sym| data.strings.get(sym).to_owned();
    let reads = data.activity.reads_of(index as usize);
    let domain = settings.domain(account.domain.value());
    let province = account.province.map(|p| p.value());
    LeadingAccount {
        rank,
        name: text(account.name),
        original_id: account.original_id().map(|id| id.to_string()),
        entity: account.entity.map(text),
        province: province.map(|p| p.short().to_owned()),
        province_en: province.map(|p| crate::labels::english().province(p).to_owned()),
        province_code: province.map(|p| format!("{:02}", p.code())),
        domain: domain.slug.clone(),
        domain_label: domain.label.clone(),
        domain_label_en: domain.label_en.clone(),
        followers: account.followers.map(u64::from),
        reads_per_month: reads.per_month().map(|r| r.round() as u64),
        active_months: reads.active_months,
        reads_capped: reads.capped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_ten_are_the_highest_with_ties_in_index_order() {
        let scores: Vec<(Score, u32)> = (0..100u32)
            .map(|i| ((f64::from(i % 7), f64::from(i % 3)), i))
            .collect();
        let mut expected = scores.clone();
        // A full sort, the plain way: what the bounded buffer must agree with.
        expected.sort_by(before);
        let expected: Vec<u32> = expected.iter().take(LEADING).map(|s| s.1).collect();
        assert_eq!(top(scores.iter().copied()), expected);
        assert_eq!(top(scores.iter().rev().copied()), expected);
        assert_eq!(top(std::iter::empty()), Vec::<u32>::new());
        assert_eq!(top([((1.0, 0.0), 5), ((2.0, 0.0), 3)].into_iter()), [3, 5]);
        // The second score breaks ties of the first, before the index does.
        assert_eq!(top([((1.0, 0.0), 1), ((1.0, 9.0), 3)].into_iter()), [3, 1]);
    }

    #[test]
    fn half_the_months_make_a_leader() {
        assert_eq!(ReadsRule::new(3).min_active_months, 2);
        assert_eq!(ReadsRule::new(12).min_active_months, 6);
        assert_eq!(ReadsRule::new(1).min_active_months, 1);
        assert_eq!(ReadsRule::new(0).min_active_months, 1);
    }
}
