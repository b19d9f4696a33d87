//! A profile of each province, and of the central accounts: the figures of
//! its own page (`provinces/<code>.html`), each computed the way the national
//! figure is, over the province's accounts.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::leading::{leading, Leading, ReadsRule};
use super::{
    activity_summary, domain_rows, followers, growth, level_rows, ranks, type_rows, AccountTypeRow,
    DomainRow, Followers, LevelRow, Matrix, ProvinceRow, Quadrant,
};
use crate::config::Settings;
use crate::dedup::Account;
use crate::geo::{Province, Region, RegionScheme};
use crate::normalize::{Level, Sym};
use crate::period::PeriodData;

/// The `code` of the central accounts' profile.
pub const CENTRAL: &str = "central";

/// One province's figures (or the central accounts').
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ProvinceProfile {
    /// Two-digit division code (`44`), or `central`.
    pub code: String,
    /// Short name (`广东`), or `中央部委`.
    pub name: String,
    pub name_en: String,
    /// Null for the central accounts.
    pub region: Option<Region>,
    pub region_label: Option<String>,
    pub region_label_en: Option<String>,
    pub accounts: u64,
    /// Of all in-scope accounts of the country.
    pub share: f64,
    /// Rank among the provinces by accounts; null for the central accounts.
    pub rank: Option<u32>,
    /// How many provinces are ranked.
    pub provinces_ranked: u64,
    pub baseline_accounts: Option<u64>,
    pub yoy_growth: Option<f64>,
    /// Shares of the province's own accounts.
    pub levels: Vec<LevelRow>,
    /// Shares of the province's own accounts; `activity` is the median of
    /// the province's accounts in the domain, and `quadrant` its place
    /// against the national splits (`ProvinceProfile` docs in
    /// docs/CONTRACT.md: the count split is scaled to the province's size).
    pub domains: Vec<DomainRow>,
    pub account_types: Vec<AccountTypeRow>,
    pub followers: Followers,
    /// Accounts with an activity value, and their median.
    pub accounts_with_activity: u64,
    pub activity_median: Option<f64>,
    /// Prefecture-level cities by accounts, most first.
    pub cities: Vec<CityRow>,
    /// Accounts whose records name no city.
    pub city_unknown: u64,
    pub leading: Leading,
}

/// A city of a province's page.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CityRow {
    pub rank: u32,
    /// Full name as the division tables give it (`广州市`).
    pub name: String,
    pub accounts: u64,
    /// Of the province's accounts.
    pub share: f64,
}

/// Which page an account belongs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Page {
    Province(Province),
    Central,
}

fn page_of(account: &Account) -> Option<Page> {
    match account.province {
        Some(p) => Some(Page::Province(p.value())),
        None if account.level.value() == Level::Central => Some(Page::Central),
        None => None,
    }
}

/// Every province's profile, in the order of `provinces` (the ranking),
/// then the central accounts' when there are any.
#[allow(clippy::too_many_arguments)]
pub(super) fn profiles(
    subject: &PeriodData,
    members: &[u32],
    baseline: Option<&[&Account]>,
    provinces: &[ProvinceRow],
    matrix: Option<&Matrix>,
    rule: ReadsRule,
    scheme: RegionScheme,
    settings: &Settings,
) -> Vec<ProvinceProfile> {
    let total = members.len() as u64;
    let mut groups: BTreeMap<Page, Vec<u32>> = BTreeMap::new();
    for &i in members {
        if let Some(page) = page_of(&subject.linked.accounts[i as usize]) {
            groups.entry(page).or_default().push(i);
        }
    }
    let mut baseline_groups: BTreeMap<Page, Vec<&Account>> = BTreeMap::new();
    for &account in baseline.unwrap_or_default() {
        if let Some(page) = page_of(account) {
            baseline_groups.entry(page).or_default().push(account);
        }
    }
    let en = crate::labels::english();
    let pages = provinces
        .iter()
        .filter_map(|row| {
            let code: u8 = row.code.parse().ok()?;
            Some(Page::Province(Province(code)))
        })
        .chain(groups.contains_key(&Page::Central).then_some(Page::Central))
        .collect::<Vec<Page>>();
    // Each page on a thread; collected in the order of `pages`.
    pages
        .into_par_iter()
        .filter_map(|page| {
            let group = groups.get(&page)?;
            let base = baseline.map(|_| baseline_groups.get(&page).map_or(&[][..], Vec::as_slice));
            let mut profile = profile(subject, group, base, total, matrix, rule, settings);
            match page {
                Page::Province(p) => {
                    let row = provinces
                        .iter()
                        .find(|r| r.code == format!("{:02}", p.code()));
                    let region = p.region(scheme);
                    profile.code = format!("{:02}", p.code());
                    profile.name = p.short().to_owned();
                    profile.name_en = en.province(p).to_owned();
                    profile.region = Some(region);
                    profile.region_label = Some(region.label().to_owned());
                    profile.region_label_en = Some(en.region(region).to_owned());
                    profile.rank = row.map(|r| r.rank);
                    profile.provinces_ranked = provinces.len() as u64;
                }
                Page::Central => {
                    profile.code = CENTRAL.to_owned();
                    profile.name = "中央部委".to_owned();
                    profile.name_en = "Central government".to_owned();
                    profile.provinces_ranked = provinces.len() as u64;
                }
            }
            Some(profile)
        })
        .collect()
}

fn profile(
    subject: &PeriodData,
    members: &[u32],
    baseline: Option<&[&Account]>,
    national_total: u64,
    matrix: Option<&Matrix>,
    rule: ReadsRule,
    settings: &Settings,
) -> ProvinceProfile {
    let accounts: Vec<&Account> = members
        .iter()
        .map(|&i| &subject.linked.accounts[i as usize])
        .collect();
    let n = accounts.len() as u64;
    let share = |k: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let mut domains = domain_rows(&accounts, settings, &share);
    let activity = activity_summary(subject, members, &mut domains, settings);
    if let Some(matrix) = matrix {
        place_against(
            &mut domains,
            matrix,
            n as f64 / national_total.max(1) as f64,
        );
    }
    let (cities, city_unknown) = cities(subject, members);
    ProvinceProfile {
        code: String::new(),
        name: String::new(),
        name_en: String::new(),
        region: None,
        region_label: None,
        region_label_en: None,
        accounts: n,
        share: n as f64 / national_total.max(1) as f64,
        rank: None,
        provinces_ranked: 0,
        baseline_accounts: baseline.map(|b| b.len() as u64),
        yoy_growth: baseline.and_then(|b| growth(n, b.len() as u64)),
        levels: level_rows(&accounts, &share),
        domains,
        account_types: type_rows(&accounts, baseline, &share),
        followers: followers(&accounts),
        accounts_with_activity: activity.accounts_with_activity,
        activity_median: activity.median,
        cities,
        city_unknown,
        leading: leading(subject, members, rule, settings),
    }
}

/// Places a province's domains against the national matrix: activity
/// against the national activity split, accounts against the national
/// count split scaled by the province's share of all accounts (a province
/// with 15% of the accounts is "high" in a domain from 15% of the split).
/// Eligible as nationally: not `other`, at least `min_accounts` accounts,
/// an activity value.
fn place_against(domains: &mut [DomainRow], matrix: &Matrix, scale: f64) {
    let count_split = matrix.count_split * scale;
    for row in domains.iter_mut() {
        row.quadrant = None;
        let Some(activity) = row.activity else {
            continue;
        };
        if row.domain == "other" || row.accounts < matrix.min_accounts {
            continue;
        }
        let high_count = row.accounts as f64 >= count_split;
        let high_activity = activity >= matrix.activity_split;
        row.quadrant = Some(match (high_count, high_activity) {
            (true, true) => Quadrant::Active,
            (false, true) => Quadrant::Potential,
            (false, false) => Quadrant::Undeveloped,
            (true, false) => Quadrant::ToPromote,
        });
    }
}

/// The cities of a province's accounts, most accounts first (ties by
/// name), and how many accounts name none. An account's city is the first
/// city among its records in survivorship order.
fn cities(subject: &PeriodData, members: &[u32]) -> (Vec<CityRow>, u64) {
    // Counted by symbol, whose order is the order of the names (the
    // period's strings are sorted): no name is read until the rows are made.
    let mut counts: foldhash::HashMap<Sym, u64> = foldhash::HashMap::default();
    let mut unknown = 0;
    for &account in members {
        match subject.linked.accounts[account as usize].city {
            Some(sym) => *counts.entry(sym).or_default() += 1,
            None => unknown += 1,
        }
    }
    let n = members.len().max(1) as f64;
    let mut sorted: Vec<(Sym, u64)> = counts.into_iter().collect();
    sorted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let ranks = ranks(sorted.iter().map(|(_, k)| *k));
    let rows = sorted
        .into_iter()
        .zip(ranks)
        .map(|((city, accounts), rank)| CityRow {
            rank,
            name: subject.strings.get(city).to_owned(),
            accounts,
            share: accounts as f64 / n,
        })
        .collect();
    (rows, unknown)
}
