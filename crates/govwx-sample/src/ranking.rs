//! A third-party ranking export (清博指数 style) of the activity already
//! drawn: for some of the platform's accounts, each month's articles,
//! reads, headline reads, reads per article, highest reads, likes, highest
//! likes and the month's published WCI V2.0. Its reads are the platform's,
//! so the activity figures do not change; the pipeline ranks accounts from
//! it. The truth gives each listed account's WCI V2.0 over its months,
//! computed here independently of the pipeline.
//!
//! Drawn from a stream of its own, so no other file changes with it.

use std::collections::BTreeSet;

use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::activity::{as_read, AccountRows, CAPPED_ABOVE, YEAR};
use super::model::Account;
use super::writer::{RowTruth, SourceFile};

pub(crate) const RANKING_PATH: &str = "2014/activity/qingbo-wci-2014Q4.csv";
/// Seed offset of the ranking's stream ("wci").
const STREAM: u64 = 0x0077_6369;
/// Share of the platform's accounts the ranking lists.
const LISTED: f64 = 0.3;

/// The export and each listed account's true WCI over the period.
pub(crate) struct Ranking {
    pub file: SourceFile,
    /// (original id, WCI V2.0 over the account's months).
    pub truth: Vec<(String, f64)>,
}

/// One month's inputs, as the pipeline reads them (reads capped at 100001).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Month {
    articles: u64,
    reads: u64,
    max_reads: u64,
    likes: u64,
    max_likes: u64,
}

/// WCI V2.0 (清博指数): {0.8·[0.4 ln(R+1) + 0.45 ln(R/n+1) + 0.15 ln(Rmax+1)]
/// + 0.2·[the same of likes]}² × 10.
fn wci_v2(m: &Month) -> f64 {
    let ln = |x: f64| (x + 1.0).ln();
    let n = m.articles as f64;
    let part = |total: u64, highest: u64| {
        0.4 * ln(total as f64) + 0.45 * ln(total as f64 / n) + 0.15 * ln(highest as f64)
    };
    let sum = 0.8 * part(m.reads, m.max_reads) + 0.2 * part(m.likes, m.max_likes);
    10.0 * sum * sum
}

pub(crate) fn write(
    seed: u64,
    accounts: &[Account],
    drawn: &[AccountRows],
    known_ids: &BTreeSet<String>,
) -> Ranking {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STREAM);
    let mut file = SourceFile::activity(RANKING_PATH.to_owned(), false);
    file.push_plain(&["政务微信传播力月度排行（2014年第四季度，WCI V2.0）".to_owned()]);
    let header = [
        "公众号名称",
        "原始ID",
        "统计月份",
        "发文数",
        "总阅读数",
        "头条阅读数",
        "平均阅读数",
        "最高阅读数",
        "点赞数",
        "最高点赞数",
        "WCI",
    ];
    file.push_plain(&header.map(str::to_owned));
    let mut truth = Vec::new();
    for rows in drawn {
        let account = &accounts[rows.account];
        let eligible =
            known_ids.contains(&account.original_id) && rows.months.iter().all(|m| m.articles > 0);
        if !eligible || !rng.gen_bool(LISTED) {
            continue;
        }
        let mut months = Vec::new();
        for m in &rows.months {
            // The most-read article: one to four times the average, never
            // more than the month's reads; likes alike.
            let highest = |rng: &mut ChaCha8Rng, total: u64| {
                let average = total as f64 / m.articles as f64;
                ((average * rng.gen_range(1.0..4.0)).ceil() as u64).min(total)
            };
            let (max_reads, max_likes) = (highest(&mut rng, m.reads), highest(&mut rng, m.likes));
            let headline = (m.reads as f64 * rng.gen_range(0.4..0.7)).round() as u64;
            let read = Month {
                articles: m.articles,
                reads: as_read(m.reads),
                max_reads: as_read(max_reads),
                likes: m.likes,
                max_likes,
            };
            let capped = |n: u64| match n > CAPPED_ABOVE {
                true => "10万+".to_owned(),
                false => n.to_string(),
            };
            let cells = vec![
                account.name.clone(),
                account.original_id.clone(),
                format!("{YEAR}-{:02}", m.month),
                m.articles.to_string(),
                capped(m.reads),
                capped(headline),
                (m.reads / m.articles).to_string(),
                capped(max_reads),
                m.likes.to_string(),
                max_likes.to_string(),
                format!("{:.2}", wci_v2(&read)),
            ];
            file.push_record(&cells, RowTruth::Account(account.id.clone()));
            months.push(read);
        }
        if let Some(first) = months.first().copied() {
            let period = months[1..].iter().fold(first, |a, m| Month {
                articles: a.articles + m.articles,
                reads: a.reads + m.reads,
                max_reads: a.max_reads.max(m.max_reads),
                likes: a.likes + m.likes,
                max_likes: a.max_likes.max(m.max_likes),
            });
            truth.push((account.original_id.clone(), wci_v2(&period)));
        }
    }
    Ranking { file, truth }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_example() {
        let m = Month {
            articles: 100,
            reads: 10_000,
            max_reads: 300,
            likes: 4_000,
            max_likes: 60,
        };
        assert!((wci_v2(&m) - 411.4875).abs() < 1e-3);
    }
}
