//! Monthly activity of the 2014 accounts: how many articles each published
//! and how often they were read, in the last quarter of 2014.
//!
//! The maturity matrix of the white paper (docs/CONTRACT.md §5) places domains by their
//! median reads per follower per month, so each domain gets a target level
//! here: the published zones (active, potential, undeveloped, to promote)
//! follow from the targets with clear margins, and `matrix` checks them on
//! the rows actually written. Activity draws from a stream of its own, so the
//! registry files stay byte-identical whatever is drawn here. The 2013
//! period has no activity exports, which keeps the bundled input small.

use anyhow::{Context, Result};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::model::{Account, Period};
use govwx::config::Settings;

/// Mixed into the sample's seed for the activity stream ("activity").
pub(crate) const STREAM: u64 = 0x6163_7469_7669_7479;
/// The months with activity rows: October to December 2014.
pub(crate) const MONTHS: [u32; 3] = [10, 11, 12];
/// The year of `MONTHS`.
pub(crate) const YEAR: i32 = 2014;
/// Exports write `10万+` above this many reads, and it reads back as 100001.
pub(crate) const CAPPED_ABOVE: u64 = 100_000;
const SHARE_WITH_ROWS: f64 = 0.85;
const SHARE_DORMANT: f64 = 0.02;
/// Spread (log scale) of accounts around their domain's level, and of
/// months around their account's level.
const ACCOUNT_SIGMA: f64 = 0.45;
const MONTH_SIGMA: f64 = 0.15;

/// Target median reads per follower per month, by domain. Seven published
/// high-activity domains sit at 1.2 and above, five published low ones at
/// 0.4 and below; the seven domains the paper does not place fill the middle
/// (three above, four below the split), so the split falls between 0.65 and
/// 0.85 and no published domain is near it.
const TARGET_LEVELS: [(&str, f64); 20] = [
    ("publicity", 1.8),
    ("transport", 1.7),
    ("police", 1.6),
    ("tourism", 1.5),
    ("education", 1.4),
    ("health", 1.3),
    ("culture", 1.2),
    ("weather", 0.95),
    ("court", 0.9),
    ("civil_affairs", 0.85),
    ("family_planning", 0.65),
    ("environment", 0.6),
    ("procuratorate", 0.6),
    ("justice", 0.55),
    ("other", 0.5),
    ("youth_league", 0.4),
    ("hr_social", 0.35),
    ("housing_fund", 0.3),
    ("tax", 0.3),
    ("food_drug", 0.25),
];

/// One month of one account, as true figures (reads before any cap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MonthRow {
    pub month: u32,
    pub articles: u64,
    pub reads: u64,
    pub likes: u64,
}

/// The activity rows of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccountRows {
    /// Index into the sample's accounts.
    pub account: usize,
    pub months: Vec<MonthRow>,
}

/// The reads figure a reader gets back from an export: capped at 100001.
pub(crate) fn as_read(reads: u64) -> u64 {
    reads.min(CAPPED_ABOVE + 1)
}

/// Draws the rows of about 85% of the in-scope 2014 accounts, a few of them
/// dormant (no reads at all), in account order.
pub(crate) fn draw(
    rng: &mut ChaCha8Rng,
    settings: &Settings,
    accounts: &[Account],
) -> Result<Vec<AccountRows>> {
    let mut rows = Vec::new();
    for (index, account) in accounts.iter().enumerate() {
        if !account.in_scope || !rng.gen_bool(SHARE_WITH_ROWS) {
            continue;
        }
        let Some(followers) = account.followers[Period::Y2014.index()] else {
            continue;
        };
        let slug = &settings.domain(account.domain).slug;
        let target = target_level(slug)?;
        let dormant = rng.gen_bool(SHARE_DORMANT);
        let level = target * (ACCOUNT_SIGMA * normal(rng)).exp();
        let articles = rng.gen_range(3..=30_u64);
        let months = first_month(account)..=MONTHS[2];
        let months = months
            .map(|month| match dormant {
                true => MonthRow {
                    month,
                    articles: 0,
                    reads: 0,
                    likes: 0,
                },
                false => month_row(rng, month, followers, level, articles),
            })
            .collect();
        rows.push(AccountRows {
            account: index,
            months,
        });
    }
    Ok(rows)
}

fn target_level(slug: &str) -> Result<f64> {
    TARGET_LEVELS
        .iter()
        .find(|(s, _)| *s == slug)
        .map(|(_, level)| *level)
        .with_context(|| format!("no activity target for domain `{slug}`"))
}

/// Accounts opened during the quarter have rows from their first month.
fn first_month(account: &Account) -> u32 {
    let opened = account.registered_at;
    match opened.year == YEAR && opened.month > MONTHS[0] {
        true => opened.month,
        false => MONTHS[0],
    }
}

fn month_row(
    rng: &mut ChaCha8Rng,
    month: u32,
    followers: u64,
    level: f64,
    articles: u64,
) -> MonthRow {
    let level = level * (MONTH_SIGMA * normal(rng)).exp();
    let reads = (followers as f64 * level).round() as u64;
    let articles = (articles as f64 * rng.gen_range(0.7..1.3)).round().max(1.0) as u64;
    let likes = (reads as f64 * rng.gen_range(0.005..0.03)).round() as u64;
    MonthRow {
        month,
        articles,
        reads,
        likes,
    }
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>();
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_has_a_target_and_the_cap_reads_as_100001() {
        let settings = Settings::builtin();
        for domain in &settings.domains {
            assert!(target_level(&domain.slug).is_ok(), "{}", domain.slug);
        }
        assert_eq!(as_read(100_000), 100_000);
        assert_eq!(as_read(100_001), 100_001);
        assert_eq!(as_read(2_500_000), 100_001);
        assert_eq!(
            govwx::normalize::values::parse_count("10万+"),
            Some(as_read(u64::MAX))
        );
    }
}
