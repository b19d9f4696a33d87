//! The calibration targets: how many accounts of each province, level,
//! domain and type the 2014 snapshot holds, and how the levels and domains
//! spread over provinces and levels.
//!
//! The published figures are fixed here, once; `population` draws accounts
//! so that these counts hold exactly and `figures` checks that they do.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::model::Level;

/// In-scope accounts at the end of 2014 (published).
pub(crate) const TOTAL_2014: usize = 40_924;
/// Central accounts (no province), inside the total.
pub(crate) const CENTRAL_2014: usize = 350;
/// Provincial + municipal accounts (published: 84.7%).
pub(crate) const PROVINCIAL_MUNICIPAL_2014: usize = 34_663;
/// Service accounts (published: 30%).
pub(crate) const SERVICE_2014: usize = 12_277;
/// Enterprise accounts (企业号, new in September 2014).
pub(crate) const ENTERPRISE_2014: usize = 600;
/// Accounts of 2014 that already existed in 2013, by type (subscription,
/// service); none were enterprise accounts.
pub(crate) const EXISTING_2013: [usize; 2] = [20_950, 5_650];
/// Accounts of 2013 that closed before the end of 2014, by type.
pub(crate) const CLOSED_2013: [usize; 2] = [150, 150];
/// The published mean followers is "over 36,000"; the sample aims here.
pub(crate) const FOLLOWERS_MEAN: f64 = 36_500.0;
/// Accepted range of the mean over the in-scope 2014 accounts.
pub(crate) const FOLLOWERS_MEAN_RANGE: (f64, f64) = (36_100.0, 36_900.0);
/// Accepted range of 2013 service accounts: 2014 grows more than 100%.
pub(crate) const SERVICE_2013_RANGE: (usize, usize) = (5_700, 6_000);

/// Accounts per province in 2014, largest first. Guangdong 15.0% and
/// Zhejiang 14.8% (6,057) as published; Jiangsu third at less than half of
/// the two; Henan, Sichuan and Shanxi in the top ten; six western provinces
/// in the bottom ten.
pub(crate) const PROVINCE_COUNTS: [(u8, usize); 31] = [
    (44, 6_139),
    (33, 6_057),
    (32, 2_900),
    (41, 1_900),
    (37, 1_878),
    (51, 1_750),
    (11, 1_600),
    (35, 1_450),
    (14, 1_350),
    (31, 1_300),
    (42, 1_200),
    (43, 1_150),
    (13, 1_100),
    (34, 1_050),
    (21, 980),
    (50, 920),
    (61, 880),
    (36, 840),
    (45, 800),
    (53, 760),
    (52, 720),
    (12, 650),
    (23, 600),
    (22, 540),
    (15, 480),
    (46, 420),
    (62, 380),
    (65, 300),
    (64, 210),
    (63, 150),
    (54, 120),
];

/// Accounts per level in 2014: a waist drum, thin at both ends.
pub(crate) const LEVEL_COUNTS: [(Level, usize); 5] = [
    (Level::Central, CENTRAL_2014),
    (Level::Provincial, 9_663),
    (Level::Municipal, 25_000),
    (Level::County, 4_311),
    (Level::Township, 1_600),
];

/// Accounts per domain slug in 2014. Police and health as published
/// (36.7% together), publicity third. The ten largest of the matrix domains
/// are the published active and to-promote ones plus five mid-sized
/// domains; transport, tourism, culture and education stay below them so
/// the matrix can place them as "potential".
pub(crate) const DOMAIN_COUNTS: [(&str, usize); 20] = [
    ("police", 7_860),
    ("health", 7_164),
    ("publicity", 4_700),
    ("youth_league", 2_300),
    ("hr_social", 2_200),
    ("family_planning", 1_900),
    ("court", 1_700),
    ("procuratorate", 1_650),
    ("civil_affairs", 1_600),
    ("justice", 1_550),
    ("transport", 1_500),
    ("education", 1_400),
    ("culture", 1_300),
    ("tourism", 1_100),
    ("environment", 900),
    ("weather", 640),
    ("housing_fund", 380),
    ("food_drug", 320),
    ("tax", 260),
    ("other", 500),
];

/// The four municipalities: their bureaus are provincial, their districts
/// county level, and they have no prefecture-level cities.
pub(crate) fn is_municipality(code: u8) -> bool {
    matches!(code, 11 | 12 | 31 | 50)
}

/// How much more (or less) likely a domain is at a level than overall: the
/// county level and below concentrate on family planning, police,
/// transport, publicity and tourism; central bodies are mostly ministries.
pub(crate) fn domain_affinity(level: Level, slug: &str) -> f64 {
    match (level, slug) {
        (Level::Central, "other") => 12.0,
        (Level::Central, "police" | "health" | "publicity") => 0.3,
        (Level::Central, _) => 2.0,
        (Level::Township, "court" | "procuratorate" | "weather" | "housing_fund") => 0.0,
        (Level::Township, "family_planning") => 5.0,
        (Level::Township, "publicity") => 3.0,
        (Level::Township | Level::County, "police" | "transport" | "tourism") => 2.0,
        (Level::County, "family_planning" | "publicity") => 3.0,
        _ => 1.0,
    }
}

/// Splits `total` by `weights` into integers that sum to `total` (largest
/// remainder, ties to the earlier weight).
pub(crate) fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let missing = total - counts.iter().sum::<usize>();
    for &i in order.iter().take(missing) {
        counts[i] += 1;
    }
    counts
}

/// Levels of each province's accounts, in `PROVINCE_COUNTS` order, indexed
/// like `LEVEL_COUNTS` without central. Column sums equal `LEVEL_COUNTS`.
pub(crate) fn levels_by_province() -> Vec<[usize; 4]> {
    const MUNICIPALITY_SHARES: [f64; 4] = [0.75, 0.0, 0.20, 0.05];
    let target: Vec<usize> = LEVEL_COUNTS[1..].iter().map(|&(_, n)| n).collect();
    let mut rows: Vec<[usize; 4]> = Vec::new();
    let municipal_sum =
        |rows: &[[usize; 4]], l: usize| -> usize { rows.iter().map(|r| r[l]).sum() };
    let municipalities: Vec<[usize; 4]> = PROVINCE_COUNTS
        .iter()
        .filter(|(code, _)| is_municipality(*code))
        .map(|&(_, n)| to_row(&apportion(n, &MUNICIPALITY_SHARES)))
        .collect();
    let rest: Vec<f64> = (0..4)
        .map(|l| (target[l] - municipal_sum(&municipalities, l)) as f64)
        .collect();
    let mut municipalities = municipalities.into_iter();
    for &(code, n) in &PROVINCE_COUNTS {
        rows.push(match is_municipality(code) {
            true => municipalities.next().expect("one row per municipality"),
            false => to_row(&apportion(n, &rest)),
        });
    }
    balance_columns(&mut rows, &target);
    rows
}

fn to_row(counts: &[usize]) -> [usize; 4] {
    [counts[0], counts[1], counts[2], counts[3]]
}

/// Moves accounts between levels inside the largest province until every
/// level's total is its target; rounding leaves each off by a few only.
fn balance_columns(rows: &mut [[usize; 4]], target: &[usize]) {
    loop {
        let sums: Vec<usize> = (0..4).map(|l| rows.iter().map(|r| r[l]).sum()).collect();
        let surplus = (0..4).find(|&l| sums[l] > target[l]);
        let deficit = (0..4).find(|&l| sums[l] < target[l]);
        let (Some(from), Some(to)) = (surplus, deficit) else {
            return;
        };
        rows[0][from] -= 1;
        rows[0][to] += 1;
    }
}

/// Draws an index with probability proportional to `weights`.
pub(crate) fn weighted_index(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut point = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if point < *w {
            return i;
        }
        point -= w;
    }
    weights
        .iter()
        .rposition(|w| *w > 0.0)
        .expect("some weight is positive")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_add_up() {
        let provinces: usize = PROVINCE_COUNTS.iter().map(|p| p.1).sum();
        assert_eq!(provinces + CENTRAL_2014, TOTAL_2014);
        assert_eq!(LEVEL_COUNTS.iter().map(|l| l.1).sum::<usize>(), TOTAL_2014);
        assert_eq!(DOMAIN_COUNTS.iter().map(|d| d.1).sum::<usize>(), TOTAL_2014);
        assert_eq!(
            LEVEL_COUNTS[1].1 + LEVEL_COUNTS[2].1,
            PROVINCIAL_MUNICIPAL_2014
        );
    }

    #[test]
    fn level_table_has_exact_rows_and_columns() {
        let rows = levels_by_province();
        for (row, (code, n)) in rows.iter().zip(PROVINCE_COUNTS) {
            assert_eq!(row.iter().sum::<usize>(), n);
            assert!(!is_municipality(code) || row[1] == 0);
        }
        for l in 0..4 {
            assert_eq!(
                rows.iter().map(|r| r[l]).sum::<usize>(),
                LEVEL_COUNTS[l + 1].1
            );
        }
    }
}
