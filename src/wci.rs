//! The WeChat Communication Index (微信传播指数, WCI) of 清博指数 (gsdata),
//! the index every Chinese ranking of government accounts uses, in the two
//! published forms whose inputs exports carry.
//!
//! **WCI V2.0** (the form of 2014-era rankings): a reading index weighted
//! 80% and a like index weighted 20%. Each is 40% total, 45% per article and
//! 15% highest article, each value normalised as ln(x + 1). The weighted sum
//! is squared and multiplied by 10:
//!
//! ```text
//! WCI = {0.8·[0.40 ln(R+1) + 0.45 ln(R/n+1) + 0.15 ln(Rmax+1)]
//!      + 0.2·[0.40 ln(Z+1) + 0.45 ln(Z/n+1) + 0.15 ln(Zmax+1)]}² × 10
//! ```
//!
//! R is total reads, Z total likes, n articles, and Rmax and Zmax the
//! highest reads and likes of one article. The published worked example
//! (R 10,000, R/n 100, Rmax 300, Z 4,000, Z/n 40, Zmax 60) gives 411.49.
//!
//! **WCI V14.2**: overall reach O (60%), per-article reach A (20%), headline
//! reach H (10%) and peak reach P (10%). Each weighs reads 70%, 在看 9%,
//! likes 6% and shares 15%. Reads enter as ln(x + 1), the others as
//! ln(10x + 1), and the weighted sum is squared and multiplied by 12:
//!
//! ```text
//! O = 0.70 ln(R/d+1) + 0.09 ln(10Z/d+1) + 0.06 ln(10L/d+1) + 0.15 ln(10RE/d+1)
//! A = the same over n articles; H = over the headline totals per day
//!     (Rt/d …); P = over the highest values (Rmax …)
//! WCI = (0.6 O + 0.2 A + 0.1 H + 0.1 P)² × 1.2 × 10
//! ```
//!
//! Here Z is 在看 and L is likes, and d is the days of the period.
//!
//! Where an input is missing the index is not computed: nothing is invented.

use serde::Serialize;

/// A published form of the index.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::IntoStaticStr,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Formula {
    /// WCI V2.0: reads and likes, total, per article and highest.
    V2_0,
    /// WCI V14.2: reads, 在看, likes and shares; overall, per article,
    /// headline and peak.
    V14_2,
    /// The WCI column of the export, as published.
    Published,
}

impl Formula {
    pub fn slug(self) -> &'static str {
        self.into()
    }

    /// The name and version, as the report and `metrics.json` cite it.
    pub fn citation(self) -> &'static str {
        match self {
            Formula::V2_0 => "清博指数 微信传播指数 WCI V2.0",
            Formula::V14_2 => "清博指数 微信传播指数 WCI V14.2",
            Formula::Published => "清博指数 微信传播指数 WCI, as published in the export",
        }
    }
}

/// The inputs of V2.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadsAndLikes {
    pub reads: f64,
    pub articles: f64,
    pub max_reads: f64,
    pub likes: f64,
    pub max_likes: f64,
}

/// WCI V2.0; `None` without articles (per-article values are undefined).
pub fn v2_0(x: &ReadsAndLikes) -> Option<f64> {
    if x.articles <= 0.0 {
        return None;
    }
    let ln = |v: f64| (v.max(0.0) + 1.0).ln();
    let index = |total: f64, highest: f64| {
        0.40 * ln(total) + 0.45 * ln(total / x.articles) + 0.15 * ln(highest)
    };
    let sum = 0.8 * index(x.reads, x.max_reads) + 0.2 * index(x.likes, x.max_likes);
    Some(sum * sum * 10.0)
}

/// Reads, 在看, likes and shares of one kind (totals, headline totals or
/// highest values).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reach {
    pub reads: f64,
    pub looks: f64,
    pub likes: f64,
    pub shares: f64,
}

/// The inputs of V14.2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct V14Inputs {
    pub total: Reach,
    pub headline: Reach,
    pub highest: Reach,
    pub articles: f64,
    pub days: f64,
}

/// WCI V14.2; `None` without articles or days.
pub fn v14_2(x: &V14Inputs) -> Option<f64> {
    if x.articles <= 0.0 || x.days <= 0.0 {
        return None;
    }
    let ln = |v: f64| (v.max(0.0) + 1.0).ln();
    let reach = |r: &Reach, per: f64| {
        0.70 * ln(r.reads / per)
            + 0.09 * ln(10.0 * r.looks / per)
            + 0.06 * ln(10.0 * r.likes / per)
            + 0.15 * ln(10.0 * r.shares / per)
    };
    let sum = 0.6 * reach(&x.total, x.days)
        + 0.2 * reach(&x.total, x.articles)
        + 0.1 * reach(&x.headline, x.days)
        + 0.1 * reach(&x.highest, 1.0);
    Some(sum * sum * 1.2 * 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_v2_example() {
        // 清博指数's worked example of WCI V2.0.
        let wci = v2_0(&ReadsAndLikes {
            reads: 10_000.0,
            articles: 100.0,
            max_reads: 300.0,
            likes: 4_000.0,
            max_likes: 60.0,
        })
        .expect("articles given");
        assert!((wci - 411.4875079).abs() < 1e-6, "{wci}");
        assert_eq!(
            v2_0(&ReadsAndLikes {
                articles: 0.0,
                ..ReadsAndLikes {
                    reads: 1.0,
                    articles: 1.0,
                    max_reads: 1.0,
                    likes: 1.0,
                    max_likes: 1.0
                }
            }),
            None
        );
    }

    #[test]
    fn v14_2_by_its_published_steps() {
        // One month (d = 30) of 60 articles, 12 of them headlines.
        let x = V14Inputs {
            total: Reach {
                reads: 600_000.0,
                looks: 3_000.0,
                likes: 6_000.0,
                shares: 9_000.0,
            },
            headline: Reach {
                reads: 300_000.0,
                looks: 1_500.0,
                likes: 3_000.0,
                shares: 4_500.0,
            },
            highest: Reach {
                reads: 100_001.0,
                looks: 500.0,
                likes: 900.0,
                shares: 1_200.0,
            },
            articles: 60.0,
            days: 30.0,
        };
        // The published steps, one sub-index at a time.
        let o = 0.70 * (20_000.0f64 + 1.0).ln()
            + 0.09 * (1_000.0f64 + 1.0).ln()
            + 0.06 * (2_000.0f64 + 1.0).ln()
            + 0.15 * (3_000.0f64 + 1.0).ln();
        let a = 0.70 * (10_000.0f64 + 1.0).ln()
            + 0.09 * (500.0f64 + 1.0).ln()
            + 0.06 * (1_000.0f64 + 1.0).ln()
            + 0.15 * (1_500.0f64 + 1.0).ln();
        let h = 0.70 * (10_000.0f64 + 1.0).ln()
            + 0.09 * (500.0f64 + 1.0).ln()
            + 0.06 * (1_000.0f64 + 1.0).ln()
            + 0.15 * (1_500.0f64 + 1.0).ln();
        let p = 0.70 * (100_001.0f64 + 1.0).ln()
            + 0.09 * (5_000.0f64 + 1.0).ln()
            + 0.06 * (9_000.0f64 + 1.0).ln()
            + 0.15 * (12_000.0f64 + 1.0).ln();
        let expected = (0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p).powi(2) * 12.0;
        let wci = v14_2(&x).expect("inputs given");
        assert!((wci - expected).abs() < 1e-9, "{wci} vs {expected}");
        assert!((wci - 1006.9595).abs() < 1e-4, "{wci}");
        assert_eq!(v14_2(&V14Inputs { days: 0.0, ..x }), None);
    }
}
