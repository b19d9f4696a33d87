//! Influence: each account's WCI for the subject period (`crate::wci`), the
//! national ranking, the index by level and domain, and how the computed
//! index agrees with the one an export publishes.
//!
//! The period has one formula, so that the ranking compares like with
//! like: V14.2 when some account's rows carry all its inputs, else V2.0,
//! else the WCI the export publishes (the mean of an account's monthly
//! values). An account whose rows lack an input of that formula in some
//! month is not ranked; nothing is invented for it.

use rayon::prelude::*;
use serde::Serialize;

use crate::activity::InfluenceMonth;
use crate::config::Settings;
use crate::dedup::Account;
use crate::normalize::{Influence as Cells, Input, Level};
use crate::period::PeriodData;
use crate::wci::{self, Formula, Reach, ReadsAndLikes, V14Inputs};

/// How many accounts `metrics.json` lists.
pub const TOP: usize = 50;

/// The influence figures of a period.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Influence {
    /// The formula used, `None` when no account could be given an index.
    pub formula: Option<Formula>,
    /// Name and version of the formula, as cited.
    pub citation: Option<String>,
    /// Accounts whose rows carry any WCI input.
    pub accounts_with_inputs: u64,
    pub accounts_ranked: u64,
    /// Why accounts with inputs are not ranked (the input they lack), or
    /// why there is no ranking at all.
    pub unranked: Vec<Unranked>,
    /// The national ranking's head.
    pub top: Vec<Ranked>,
    /// The first five of each domain, domains in config order.
    pub top_by_domain: Vec<DomainTop>,
    pub by_level: Vec<Spread>,
    pub by_domain: Vec<Spread>,
    /// The computed index against the published one, month by month.
    pub agreement: Option<Agreement>,
}

/// Accounts left out of the ranking, and why.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Unranked {
    pub reason: String,
    pub accounts: u64,
}

/// The head of one domain's ranking.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DomainTop {
    pub domain: String,
    pub label: String,
    pub label_en: String,
    pub accounts: Vec<Ranked>,
}

/// One ranked account.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Ranked {
    pub rank: u64,
    /// Index into the period's accounts (not serialised).
    #[serde(skip)]
    pub account: u32,
    pub name: String,
    pub original_id: Option<String>,
    pub entity: Option<String>,
    pub province: Option<String>,
    pub province_en: Option<String>,
    pub level: Level,
    pub domain: String,
    pub domain_label: String,
    pub domain_label_en: String,
    pub wci: f64,
    pub months: u32,
    pub reads: u64,
    pub articles: Option<u64>,
    pub max_reads: Option<u64>,
    pub likes: Option<u64>,
    pub max_likes: Option<u64>,
}

/// One ranked account, without its text. The full ranking
/// (`tables/influence.csv`) holds every ranked account, hundreds of
/// thousands at scale; its text is written from the period's accounts as
/// the table is, not held as nine strings a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankedAccount {
    pub rank: u64,
    /// Index into the period's accounts.
    pub account: u32,
    /// As published: two decimals.
    pub wci: f64,
    pub months: u32,
    pub reads: u64,
    pub articles: Option<u64>,
    pub max_reads: Option<u64>,
    pub likes: Option<u64>,
    pub max_likes: Option<u64>,
}

/// The index within one level or domain.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Spread {
    /// Level or domain slug.
    pub key: String,
    pub label: String,
    pub label_en: String,
    pub accounts: u64,
    pub median: f64,
    /// The 90th percentile: the top decile starts here.
    pub p90: f64,
}

/// Computed against published, one (account, month) at a time.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Agreement {
    pub compared: u64,
    pub within_1_percent: u64,
    /// The largest relative differences beyond 1%, worst first (at most 10).
    pub worst: Vec<Disagreement>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Disagreement {
    pub name: String,
    pub month: String,
    pub published: f64,
    pub computed: f64,
    pub file: String,
    pub line: u32,
}

/// One account's months of inputs, summed.
#[derive(Debug, Clone, Copy, Default)]
struct Summed {
    months: u32,
    days: u32,
    reads: u64,
    articles: Option<u64>,
    likes: Option<u64>,
    max_reads: Option<u64>,
    max_likes: Option<u64>,
    looks: Option<u64>,
    shares: Option<u64>,
    headline: [Option<u64>; 4],
    max_looks: Option<u64>,
    max_shares: Option<u64>,
    published_milli: Option<u64>,
}

impl Summed {
    fn of(months: &[InfluenceMonth]) -> Summed {
        let first = Summed::month(&months[0]);
        months[1..]
            .iter()
            .fold(first, |acc, m| acc.add(&Summed::month(m)))
    }

    fn month(m: &InfluenceMonth) -> Summed {
        let c: &Cells = &m.inputs;
        let get = |input| c.get(input);
        Summed {
            months: 1,
            days: days_between(m.month, c.through.unwrap_or(m.month)),
            reads: m.reads,
            articles: get(Input::Articles),
            likes: get(Input::Likes),
            max_reads: get(Input::MaxReads),
            max_likes: get(Input::MaxLikes),
            looks: get(Input::Looks),
            shares: get(Input::Shares),
            headline: [
                get(Input::HeadlineReads),
                get(Input::HeadlineLooks),
                get(Input::HeadlineLikes),
                get(Input::HeadlineShares),
            ],
            max_looks: get(Input::MaxLooks),
            max_shares: get(Input::MaxShares),
            published_milli: get(Input::WciMilli),
        }
    }

    /// Both together: totals add, highest values take the larger, and a
    /// value missing from either month is missing.
    fn add(self, o: &Summed) -> Summed {
        let sum = |a: Option<u64>, b: Option<u64>| a.zip(b).map(|(a, b)| a.saturating_add(b));
        let max = |a: Option<u64>, b: Option<u64>| a.zip(b).map(|(a, b)| a.max(b));
        Summed {
            months: self.months + o.months,
            days: self.days + o.days,
            reads: self.reads.saturating_add(o.reads),
            articles: sum(self.articles, o.articles),
            likes: sum(self.likes, o.likes),
            max_reads: max(self.max_reads, o.max_reads),
            max_likes: max(self.max_likes, o.max_likes),
            looks: sum(self.looks, o.looks),
            shares: sum(self.shares, o.shares),
            headline: std::array::from_fn(|i| sum(self.headline[i], o.headline[i])),
            max_looks: max(self.max_looks, o.max_looks),
            max_shares: max(self.max_shares, o.max_shares),
            published_milli: sum(self.published_milli, o.published_milli),
        }
    }

    /// The index by `formula`, or the first input it lacks.
    fn wci(&self, formula: Formula) -> Result<f64, &'static str> {
        let need = |v: Option<u64>, what: &'static str| v.map(|v| v as f64).ok_or(what);
        match formula {
            Formula::V2_0 => {
                let x = ReadsAndLikes {
                    reads: self.reads as f64,
                    articles: need(self.articles, "articles")?,
                    max_reads: need(self.max_reads, "highest reads (最高阅读数)")?,
                    likes: need(self.likes, "likes")?,
                    max_likes: need(self.max_likes, "highest likes (最高点赞数)")?,
                };
                wci::v2_0(&x).ok_or("articles above 0")
            }
            Formula::V14_2 => {
                let h = self.headline;
                let x = V14Inputs {
                    total: Reach {
                        reads: self.reads as f64,
                        looks: need(self.looks, "在看")?,
                        likes: need(self.likes, "likes")?,
                        shares: need(self.shares, "shares")?,
                    },
                    headline: Reach {
                        reads: need(h[0], "headline reads")?,
                        looks: need(h[1], "headline 在看")?,
                        likes: need(h[2], "headline likes")?,
                        shares: need(h[3], "headline shares")?,
                    },
                    highest: Reach {
                        reads: need(self.max_reads, "highest reads (最高阅读数)")?,
                        looks: need(self.max_looks, "highest 在看")?,
                        likes: need(self.max_likes, "highest likes (最高点赞数)")?,
                        shares: need(self.max_shares, "highest shares")?,
                    },
                    articles: need(self.articles, "articles")?,
                    days: f64::from(self.days),
                };
                wci::v14_2(&x).ok_or("articles above 0")
            }
            Formula::Published => self
                .published_milli
                .map(|milli| milli as f64 / 1000.0 / f64::from(self.months))
                .ok_or("a published WCI"),
        }
    }
}

/// Days from the start of month `first` to the end of month `last`.
fn days_between(first: (u16, u8), last: (u16, u8)) -> u32 {
    let mut days = 0;
    let mut at = first;
    while at <= last {
        days += days_in(at);
        at = match at {
            (y, 12) => (y + 1, 1),
            (y, m) => (y, m + 1),
        };
    }
    days
}

/// Days of a calendar month.
fn days_in((year, month): (u16, u8)) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// The period's influence figures, and every ranked account, best first.
pub fn measure(data: &PeriodData, settings: &Settings) -> (Influence, Vec<RankedAccount>) {
    let rows = &data.activity.influence;
    // Summed on all threads, in account order: each month's inputs are
    // boxed, a cache miss apiece.
    let sums: Vec<(u32, Summed)> = rows
        .par_chunk_by(|a, b| a.account == b.account)
        .filter(|g| data.linked.accounts[g[0].account as usize].in_scope())
        .map(|g| (g[0].account, Summed::of(g)))
        .collect();
    let formula = [Formula::V14_2, Formula::V2_0, Formula::Published]
        .into_iter()
        .find(|&f| sums.iter().any(|(_, s)| s.wci(f).is_ok()));
    let mut influence = Influence {
        formula,
        citation: formula.map(|f| f.citation().to_owned()),
        accounts_with_inputs: sums.len() as u64,
        ..Influence::default()
    };
    let Some(formula) = formula else {
        if !sums.is_empty() {
            influence.unranked.push(Unranked {
                reason: "no account's rows carry every input of a WCI formula, nor a published WCI"
                    .to_owned(),
                accounts: sums.len() as u64,
            });
        }
        return (influence, Vec::new());
    };
    // Each ranked account's index as published (two decimals), account
    // and sums; the rows' text is made once they are in order.
    let mut order: Vec<(f64, u32, &Summed)> = Vec::with_capacity(sums.len());
    let mut unranked: std::collections::BTreeMap<&str, u64> = Default::default();
    for (account, summed) in &sums {
        match summed.wci(formula) {
            Ok(wci) => order.push((published(wci), *account, summed)),
            Err(missing) => *unranked.entry(missing).or_default() += 1,
        }
    }
    // Highest first; ties by name, then account key, for a stable order.
    // Names compare as their symbols do (the period's strings are sorted),
    // and keys are unique, so no two accounts tie.
    let account = |index: u32| &data.linked.accounts[index as usize];
    order.par_sort_unstable_by(|(a_wci, a, _), (b_wci, b, _)| {
        b_wci
            .total_cmp(a_wci)
            .then_with(|| account(*a).name.cmp(&account(*b).name))
            .then_with(|| account(*a).key.cmp(&account(*b).key))
    });
    let ranked: Vec<RankedAccount> = order
        .par_iter()
        .enumerate()
        .map(|(i, &(wci, account, s))| RankedAccount {
            rank: i as u64 + 1,
            account,
            wci,
            months: s.months,
            reads: s.reads,
            articles: s.articles,
            max_reads: s.max_reads,
            likes: s.likes,
            max_likes: s.max_likes,
        })
        .collect();
    influence.accounts_ranked = ranked.len() as u64;
    influence.unranked = unranked
        .into_iter()
        .map(|(missing, accounts)| Unranked {
            reason: format!("{missing} missing in at least one month"),
            accounts,
        })
        .collect();
    let row = |r: &RankedAccount| ranked_row(data, settings, r);
    influence.top = ranked.iter().take(TOP).map(row).collect();
    influence.top_by_domain = (0..)
        .zip(&settings.domains)
        .map(|(id, d)| DomainTop {
            domain: d.slug.clone(),
            label: d.label.clone(),
            label_en: d.label_en.clone(),
            accounts: ranked
                .iter()
                .filter(|r| account(r.account).domain.value() == id)
                .take(5)
                .map(row)
                .collect(),
        })
        .filter(|t| !t.accounts.is_empty())
        .collect();
    let en = crate::labels::english();
    influence.by_level = spreads(&ranked, |r| {
        let level = account(r.account).level.value();
        (level.slug(), level.label(), en.level(level))
    });
    influence.by_domain = spreads(&ranked, |r| {
        let d = settings.domain(account(r.account).domain.value());
        (d.slug.as_str(), d.label.as_str(), d.label_en.as_str())
    });
    influence.agreement = agreement(data, formula);
    (influence, ranked)
}

/// An index as the ranking publishes it: to two decimals.
fn published(wci: f64) -> f64 {
    (wci * 100.0).round() / 100.0
}

/// A ranked account's row with its text, for the heads of the ranking.
fn ranked_row(data: &PeriodData, settings: &Settings, r: &RankedAccount) -> Ranked {
    let account: &Account = &data.linked.accounts[r.account as usize];
    let text = |sym| data.strings.get(sym).to_owned();
    Ranked {
        rank: r.rank,
        account: r.account,
        name: text(account.name),
        original_id: account.original_id().map(|id| id.to_string()),
        entity: account.entity.map(text),
        province: account.province.map(|p| p.value().short().to_owned()),
        province_en: account
            .province
            .map(|p| crate::labels::english().province(p.value()).to_owned()),
        level: account.level.value(),
        domain: settings.domain(account.domain.value()).slug.clone(),
        domain_label: settings.domain(account.domain.value()).label.clone(),
        domain_label_en: settings.domain(account.domain.value()).label_en.clone(),
        wci: r.wci,
        months: r.months,
        reads: r.reads,
        articles: r.articles,
        max_reads: r.max_reads,
        likes: r.likes,
        max_likes: r.max_likes,
    }
}

/// Median and 90th percentile of each group with at least one account, in
/// order of median, highest first.
fn spreads<'r>(
    ranked: &[RankedAccount],
    group: impl Fn(&RankedAccount) -> (&'r str, &'r str, &'r str),
) -> Vec<Spread> {
    let mut by: std::collections::BTreeMap<(&str, &str, &str), Vec<f64>> = Default::default();
    for r in ranked {
        by.entry(group(r)).or_default().push(r.wci);
    }
    let mut spreads: Vec<Spread> = by
        .into_iter()
        .map(|((key, label, label_en), mut values)| {
            let (key, label, label_en) = (key.to_owned(), label.to_owned(), label_en.to_owned());
            values.sort_by(f64::total_cmp);
            Spread {
                key,
                label,
                label_en,
                accounts: values.len() as u64,
                median: quantile(&values, 0.5),
                p90: quantile(&values, 0.9),
            }
        })
        .collect();
    spreads.sort_by(|a, b| {
        b.median
            .total_cmp(&a.median)
            .then_with(|| a.key.cmp(&b.key))
    });
    spreads
}

/// The `q` quantile of sorted values, linear between ranks, to 2 decimals.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let at = q * (sorted.len() - 1) as f64;
    let (low, high) = (at.floor() as usize, at.ceil() as usize);
    let value = sorted[low] + (sorted[high] - sorted[low]) * (at - low as f64);
    (value * 100.0).round() / 100.0
}

/// Each (account, month) that has both a published WCI and the formula's
/// inputs: the month's index computed against the published one.
fn agreement(data: &PeriodData, formula: Formula) -> Option<Agreement> {
    if formula == Formula::Published {
        return None;
    }
    /// Months compared, months within 1%, and (relative difference,
    /// published, computed, the row) of those beyond it: only those, so
    /// that a large export that agrees costs no text.
    type Checked<'a> = (u64, u64, Vec<(f64, f64, f64, &'a InfluenceMonth)>);
    fn check<'a>(formula: Formula, checked: Checked<'a>, m: &'a InfluenceMonth) -> Checked<'a> {
        let (compared, within, mut beyond) = checked;
        let month = Summed::month(m);
        let (Some(published), Ok(computed)) = (month.published_milli, month.wci(formula)) else {
            return (compared, within, beyond);
        };
        let published = published as f64 / 1000.0;
        let relative = (computed - published).abs() / published.abs().max(f64::EPSILON);
        // Not `relative > 0.01`: a difference that is not a number is beyond.
        if relative <= 0.01 {
            return (compared + 1, within + 1, beyond);
        }
        beyond.push((relative, published, computed, m));
        (compared + 1, within, beyond)
    }
    // The months of in-scope accounts, those that `measure` summed, on all
    // threads; `beyond` is sorted below into an order of its own.
    let (compared, within, mut beyond) = data
        .activity
        .influence
        .par_iter()
        .filter(|m| data.linked.accounts[m.account as usize].in_scope())
        .fold(Checked::default, |checked, m| check(formula, checked, m))
        .reduce(Checked::default, |(c1, w1, mut b1), (c2, w2, b2)| {
            b1.extend(b2);
            (c1 + c2, w1 + w2, b1)
        });
    if compared == 0 {
        return None;
    }
    beyond.sort_by(|a, b| {
        b.0.total_cmp(&a.0).then_with(|| {
            (a.3.origin.file, a.3.origin.line).cmp(&(b.3.origin.file, b.3.origin.line))
        })
    });
    let worst = beyond
        .into_iter()
        .take(10)
        .map(|(_, published, computed, m)| Disagreement {
            name: data
                .strings
                .get(data.linked.accounts[m.account as usize].name)
                .to_owned(),
            month: format!("{:04}-{:02}", m.month.0, m.month.1),
            published,
            computed: (computed * 100.0).round() / 100.0,
            file: data
                .files
                .get(m.origin.file as usize)
                .map_or_else(String::new, |f| f.path.clone()),
            line: m.origin.line,
        })
        .collect();
    Some(Agreement {
        compared,
        within_1_percent: within,
        worst,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_add_up_and_a_missing_input_stays_missing() {
        let month = |reads, max_reads: Option<u64>| InfluenceMonth {
            account: 0,
            month: (2014, 2),
            reads,
            origin: crate::normalize::Origin { file: 0, line: 1 },
            inputs: Box::new({
                let mut cells = Cells::default();
                cells.set(Input::Articles, Some(10));
                cells.set(Input::Likes, Some(40));
                cells.set(Input::MaxReads, max_reads);
                cells.set(Input::MaxLikes, Some(6));
                cells
            }),
        };
        let s = Summed::of(&[month(1000, Some(300)), month(500, Some(200))]);
        assert_eq!(
            (s.reads, s.articles, s.likes, s.max_reads, s.days),
            (1500, Some(20), Some(80), Some(300), 56)
        );
        assert!(s.wci(Formula::V2_0).is_ok());
        assert_eq!(s.wci(Formula::V14_2), Err("在看"));
        let gap = Summed::of(&[month(1000, Some(300)), month(500, None)]);
        assert_eq!(gap.wci(Formula::V2_0), Err("highest reads (最高阅读数)"));
        assert_eq!(days_in((2016, 2)), 29);
        assert_eq!(days_between((2014, 10), (2014, 12)), 92);
        assert_eq!(days_between((2014, 1), (2014, 12)), 365);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
    }
}
