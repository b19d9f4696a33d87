//! The calibrated figures, recomputed from the true accounts, and the check
//! that they are the published ones.
//!
//! `generate` refuses to write a sample that misses a target, so a change to
//! the quotas, the naming or the drawing that breaks calibration fails
//! loudly instead of shipping a sample whose report no longer matches the
//! white paper. The figures are also written to `figures.json` in the truth.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde::Serialize;

use super::matrix::ActivityFigures;
use super::model::{Account, AccountType, Level, Period};
use super::quotas;
use govwx::config::Settings;
use govwx::geo::{Province, Region};

/// Figures of one period, over its in-scope accounts.
#[derive(Debug, Serialize)]
pub(crate) struct PeriodFigures {
    pub accounts: usize,
    pub out_of_scope: usize,
    pub central: usize,
    pub provinces_covered: usize,
    /// Accounts per 2-digit province code.
    pub provinces: BTreeMap<String, usize>,
    pub levels: BTreeMap<&'static str, usize>,
    pub provincial_municipal: usize,
    pub domains: BTreeMap<String, usize>,
    pub account_types: BTreeMap<&'static str, usize>,
    pub followers_total: u64,
    pub followers_mean: f64,
    /// Activity and the maturity matrix; 2014 only (2013 has no activity
    /// exports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<ActivityFigures>,
}

/// Figures of both periods.
#[derive(Debug, Serialize)]
pub(crate) struct Figures {
    pub seed: u64,
    pub periods: BTreeMap<&'static str, PeriodFigures>,
    /// Year-over-year growth of service accounts, 2013 → 2014.
    pub service_growth: f64,
}

impl Figures {
    pub fn compute(accounts: &[Account], settings: &Settings, seed: u64) -> Figures {
        let periods: BTreeMap<&'static str, PeriodFigures> = Period::ALL
            .iter()
            .map(|&p| (p.name(), PeriodFigures::compute(accounts, settings, p)))
            .collect();
        let service = |p: &str| periods[p].account_types["service"] as f64;
        let service_growth = (service("2014") - service("2013")) / service("2013");
        Figures {
            seed,
            periods,
            service_growth,
        }
    }

    /// Every calibration target, all failures listed at once.
    pub fn check(&self) -> Result<()> {
        let mut failures = check_2014(&self.periods["2014"]);
        let (y2013, y2014) = (&self.periods["2013"], &self.periods["2014"]);
        let service = y2013.account_types["service"];
        let (low, high) = quotas::SERVICE_2013_RANGE;
        expect(
            &mut failures,
            (low..=high).contains(&service),
            format!("2013 service accounts {service} outside {low}..={high}"),
        );
        expect(
            &mut failures,
            self.service_growth > 1.0,
            format!(
                "service growth {:.3} is not above 100%",
                self.service_growth
            ),
        );
        expect(
            &mut failures,
            y2013.account_types["enterprise"] == 0,
            "2013 has enterprise accounts".into(),
        );
        expect(
            &mut failures,
            y2013.accounts < y2014.accounts,
            "2013 is not smaller than 2014".into(),
        );
        expect(
            &mut failures,
            y2013.followers_mean < y2014.followers_mean,
            "2013 followers are not lower".into(),
        );
        if !failures.is_empty() {
            bail!(
                "the sample misses its calibration:\n  {}",
                failures.join("\n  ")
            );
        }
        Ok(())
    }
}

impl PeriodFigures {
    fn compute(accounts: &[Account], settings: &Settings, period: Period) -> PeriodFigures {
        let existing: Vec<&Account> = accounts.iter().filter(|a| a.exists_in(period)).collect();
        let in_scope: Vec<&Account> = existing.iter().copied().filter(|a| a.in_scope).collect();
        let mut provinces = BTreeMap::new();
        let mut levels: BTreeMap<&'static str, usize> =
            Level::ALL.iter().map(|l| (l.slug(), 0)).collect();
        let mut domains: BTreeMap<String, usize> = settings
            .domains
            .iter()
            .map(|d| (d.slug.clone(), 0))
            .collect();
        let mut account_types: BTreeMap<&'static str, usize> =
            AccountType::ALL.iter().map(|t| (t.slug(), 0)).collect();
        for account in &in_scope {
            if let Some(code) = account.province {
                *provinces.entry(format!("{code:02}")).or_insert(0) += 1;
            }
            *levels.entry(account.level.slug()).or_insert(0) += 1;
            *domains
                .entry(settings.domain(account.domain).slug.clone())
                .or_insert(0) += 1;
            *account_types
                .entry(account.account_type.slug())
                .or_insert(0) += 1;
        }
        let followers_total: u64 = in_scope
            .iter()
            .map(|a| a.followers[period.index()].unwrap_or(0))
            .sum();
        PeriodFigures {
            accounts: in_scope.len(),
            out_of_scope: existing.len() - in_scope.len(),
            central: levels["central"],
            provinces_covered: provinces.len(),
            provincial_municipal: levels["provincial"] + levels["municipal"],
            provinces,
            levels,
            domains,
            account_types,
            followers_total,
            followers_mean: followers_total as f64 / in_scope.len().max(1) as f64,
            activity: None,
        }
    }

    /// A count as a share with one decimal, half away from zero (15.0).
    fn percent(&self, count: usize) -> f64 {
        (count as f64 * 1000.0 / self.accounts as f64).round() / 10.0
    }

    fn province(&self, code: u8) -> usize {
        self.provinces
            .get(&format!("{code:02}"))
            .copied()
            .unwrap_or(0)
    }
}

fn expect(failures: &mut Vec<String>, ok: bool, failure: String) {
    if !ok {
        failures.push(failure);
    }
}

/// The published figures for the end of 2014.
fn check_2014(f: &PeriodFigures) -> Vec<String> {
    let mut failures = Vec::new();
    let e = &mut failures;
    expect(
        e,
        f.accounts == quotas::TOTAL_2014,
        format!("{} accounts, not 40,924", f.accounts),
    );
    expect(
        e,
        f.out_of_scope == 6,
        format!("{} out-of-scope accounts, not 6", f.out_of_scope),
    );
    expect(
        e,
        f.provinces_covered == 31,
        format!("{} provinces covered", f.provinces_covered),
    );
    expect(
        e,
        f.provinces.values().all(|&n| n >= 100),
        "a province has fewer than 100 accounts".into(),
    );
    let (gd, zj, js) = (f.province(44), f.province(33), f.province(32));
    expect(
        e,
        gd == 6_139 && f.percent(gd) == 15.0,
        format!("Guangdong {gd}, not 6,139 (15.0%)"),
    );
    expect(
        e,
        zj == 6_057 && f.percent(zj) == 14.8,
        format!("Zhejiang {zj}, not 6,057 (14.8%)"),
    );
    expect(
        e,
        gd + zj > 2 * js,
        "Guangdong + Zhejiang not above twice Jiangsu".into(),
    );
    let ranked = ranked_provinces(f);
    expect(e, ranked[2] == 32, "Jiangsu is not third".into());
    let top: Vec<u8> = ranked[..10].to_vec();
    expect(
        e,
        [41, 51, 14].iter().all(|c| top.contains(c)),
        "top ten lacks Henan, Sichuan or Shanxi".into(),
    );
    let region = |c: &u8| Province(*c).info().region4;
    expect(
        e,
        top.iter().filter(|c| region(c) == Region::East).count() >= 6,
        "top ten is not mostly eastern".into(),
    );
    let west_bottom = ranked[21..]
        .iter()
        .filter(|c| region(c) == Region::West)
        .count();
    expect(
        e,
        west_bottom == 6,
        format!("{west_bottom} western provinces in the bottom ten, not 6"),
    );
    expect(
        e,
        f.provincial_municipal == quotas::PROVINCIAL_MUNICIPAL_2014
            && f.percent(f.provincial_municipal) == 84.7,
        format!(
            "provincial + municipal {}, not 34,663 (84.7%)",
            f.provincial_municipal
        ),
    );
    let l = &f.levels;
    let ends = l["central"].max(l["county"]).max(l["township"]);
    expect(
        e,
        ends < l["provincial"].min(l["municipal"]),
        "levels are not waist-drum shaped".into(),
    );
    expect(
        e,
        l["central"] >= 300 && l["central"] <= 400,
        format!("{} central accounts", l["central"]),
    );
    failures.extend(check_domains_and_types(f));
    failures
}

fn check_domains_and_types(f: &PeriodFigures) -> Vec<String> {
    let mut failures = Vec::new();
    let e = &mut failures;
    let d = &f.domains;
    expect(
        e,
        d["police"] == 7_860 && d["health"] == 7_164,
        "police or health off the published count".into(),
    );
    expect(
        e,
        f.percent(d["police"] + d["health"]) == 36.7,
        "police + health is not 36.7%".into(),
    );
    let mut by_size: Vec<(&String, &usize)> =
        d.iter().filter(|(s, _)| s.as_str() != "other").collect();
    by_size.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    expect(
        e,
        by_size[2].0 == "publicity",
        "publicity is not the third domain".into(),
    );
    expect(
        e,
        d.values().all(|&n| n >= 150),
        "a domain has fewer than 150 accounts".into(),
    );
    let types = &f.account_types;
    expect(
        e,
        types["service"] == quotas::SERVICE_2014 && f.percent(types["service"]) == 30.0,
        "service accounts not 12,277 (30.0%)".into(),
    );
    let (low, high) = quotas::FOLLOWERS_MEAN_RANGE;
    expect(
        e,
        f.followers_mean >= low && f.followers_mean <= high,
        format!(
            "followers mean {:.1} outside {low}..{high}",
            f.followers_mean
        ),
    );
    failures
}

/// Province codes by accounts, largest first, ties by code.
fn ranked_provinces(f: &PeriodFigures) -> Vec<u8> {
    let mut ranked: Vec<(usize, u8)> = Province::mainland()
        .map(|p| (f.province(p.0), p.0))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, code)| code).collect()
}
