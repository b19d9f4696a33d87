//! Drawing the true accounts: every 2014 account with its province, level,
//! domain, type and followers, then the 2013 snapshot, the accounts that
//! closed in 2014, and the few out-of-scope accounts of Hong Kong, Macau and
//! Taiwan.
//!
//! Counts come from `quotas` and hold exactly; randomness only decides which
//! account gets what, so the published figures hold for every seed.

use anyhow::{Context, Result};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::identity::Ids;
use super::model::{Account, AccountType, Date, Level};
use super::naming::Namer;
use super::quotas::{
    self, CLOSED_2013, DOMAIN_COUNTS, EXISTING_2013, LEVEL_COUNTS, PROVINCE_COUNTS,
};
use govwx::config::{DomainId, Settings};

/// An account's place in the quotas, before it is named.
#[derive(Clone, Copy)]
struct Slot {
    province: Option<u8>,
    level: Level,
    domain: DomainId,
}

/// Hong Kong, Macau and Taiwan accounts: (code, entity, name). Counted and
/// excluded by the pipeline, as the published report did.
const OUT_OF_SCOPE: [(u8, &str, &str); 6] = [
    (81, "香港特别行政区政府新闻处", "香港政府新闻网"),
    (81, "香港旅游发展局", "香港旅游"),
    (82, "澳门特别行政区政府旅游局", "澳门旅游"),
    (82, "澳门特别行政区政府新闻局", "澳门政府资讯"),
    (71, "台北故宫博物院", "台北故宫"),
    (71, "台湾观光协会", "台湾观光"),
];

/// Draws every true account of both periods.
pub(crate) fn draw(
    rng: &mut ChaCha8Rng,
    settings: &Settings,
    namer: &mut Namer,
) -> Result<Vec<Account>> {
    let slots = assign_domains(rng, settings, level_slots())?;
    let mut ids = Ids::default();
    let mut accounts = Vec::with_capacity(slots.len() + 400);
    for slot in &slots {
        accounts.push(new_account(
            rng,
            namer,
            &mut ids,
            *slot,
            AccountType::Subscription,
        )?);
    }
    assign_types(rng, &mut accounts);
    assign_followers(rng, &mut accounts);
    open_in_2013(rng, &mut accounts);
    accounts.extend(closed_accounts(rng, namer, &mut ids, &slots)?);
    accounts.extend(out_of_scope(rng, settings, namer, &mut ids)?);
    for (i, account) in accounts.iter_mut().enumerate() {
        account.id = format!("A{:05}", i + 1);
    }
    Ok(accounts)
}

/// One slot per 2014 account: central first, then provinces in code order.
fn level_slots() -> Vec<Slot> {
    let mut slots = vec![
        Slot {
            province: None,
            level: Level::Central,
            domain: 0
        };
        quotas::CENTRAL_2014
    ];
    let mut by_province: Vec<(u8, [usize; 4])> = PROVINCE_COUNTS
        .iter()
        .map(|p| p.0)
        .zip(quotas::levels_by_province())
        .collect();
    by_province.sort();
    for (code, levels) in by_province {
        for (&(level, _), &n) in LEVEL_COUNTS[1..].iter().zip(&levels) {
            slots.extend((0..n).map(|_| Slot {
                province: Some(code),
                level,
                domain: 0,
            }));
        }
    }
    slots
}

/// Deals out the domain quotas like cards, level by level: each slot draws a
/// domain with weight (cards left × affinity of its level). The municipal
/// level comes last and takes any domain, so every quota is used exactly.
fn assign_domains(
    rng: &mut ChaCha8Rng,
    settings: &Settings,
    mut slots: Vec<Slot>,
) -> Result<Vec<Slot>> {
    let mut left: Vec<(DomainId, f64)> = Vec::new();
    for (slug, n) in DOMAIN_COUNTS {
        let id = settings
            .domain_by_name(slug)
            .with_context(|| format!("config lacks domain `{slug}`"))?;
        left.push((id, n as f64));
    }
    for level in [
        Level::Central,
        Level::Township,
        Level::County,
        Level::Provincial,
        Level::Municipal,
    ] {
        for slot in slots.iter_mut().filter(|s| s.level == level) {
            let weights: Vec<f64> = DOMAIN_COUNTS
                .iter()
                .zip(&left)
                .map(|((slug, _), (_, n))| n * quotas::domain_affinity(level, slug))
                .collect();
            let pick = quotas::weighted_index(rng, &weights);
            left[pick].1 -= 1.0;
            slot.domain = left[pick].0;
        }
    }
    Ok(slots)
}

fn new_account(
    rng: &mut ChaCha8Rng,
    namer: &mut Namer,
    ids: &mut Ids,
    slot: Slot,
    account_type: AccountType,
) -> Result<Account> {
    let identity = namer.name(rng, slot.province, slot.level, slot.domain)?;
    let (original_id, wechat_id) = ids.draw(rng);
    Ok(Account {
        id: String::new(),
        province: slot.province,
        city: identity.city,
        county: identity.county,
        level: slot.level,
        domain: slot.domain,
        entity: identity.entity,
        name: identity.name,
        original_id,
        wechat_id,
        account_type,
        registered_at: Date {
            year: 2014,
            month: 1,
            day: 1,
        },
        followers: [None, None],
        in_scope: true,
    })
}

/// Exactly the published number of service accounts, and the enterprise
/// accounts, among the 2014 accounts.
fn assign_types(rng: &mut ChaCha8Rng, accounts: &mut [Account]) {
    let mut order: Vec<usize> = (0..accounts.len()).collect();
    order.shuffle(rng);
    let (service, rest) = order.split_at(quotas::SERVICE_2014);
    for &i in service {
        accounts[i].account_type = AccountType::Service;
    }
    for &i in &rest[..quotas::ENTERPRISE_2014] {
        accounts[i].account_type = AccountType::Enterprise;
    }
}

/// A heavy-tailed follower count: log-normal, larger for higher levels.
pub(crate) fn raw_followers(rng: &mut ChaCha8Rng, level: Level) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>();
    let u2: f64 = rng.gen();
    let normal = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    let factor = match level {
        Level::Central => 4.0,
        Level::Provincial => 1.6,
        Level::Municipal => 1.0,
        Level::County => 0.6,
        Level::Township => 0.3,
    };
    factor * (9.2 + 1.5 * normal).exp().min(3.0e6)
}

/// 2014 followers, scaled so that their mean is the calibrated one.
fn assign_followers(rng: &mut ChaCha8Rng, accounts: &mut [Account]) {
    let raw: Vec<f64> = accounts
        .iter()
        .map(|a| raw_followers(rng, a.level))
        .collect();
    let scale = quotas::FOLLOWERS_MEAN * raw.len() as f64 / raw.iter().sum::<f64>();
    for (account, raw) in accounts.iter_mut().zip(raw) {
        account.followers[1] = Some(((raw * scale).round() as u64).max(1));
        account.registered_at = random_date(rng, (2014, 1, 1), (2014, 12, 31));
        if account.account_type == AccountType::Enterprise {
            account.registered_at = random_date(rng, (2014, 9, 18), (2014, 12, 31));
        }
    }
}

/// Picks which 2014 accounts already existed in 2013, with fewer followers.
fn open_in_2013(rng: &mut ChaCha8Rng, accounts: &mut [Account]) {
    for (account_type, n) in [AccountType::Subscription, AccountType::Service]
        .into_iter()
        .zip(EXISTING_2013)
    {
        let mut of_type: Vec<usize> = (0..accounts.len())
            .filter(|&i| accounts[i].account_type == account_type)
            .collect();
        of_type.shuffle(rng);
        for &i in &of_type[..n] {
            let account = &mut accounts[i];
            account.followers[0] = account.followers[1].map(|f| shrink_to_2013(rng, f));
            account.registered_at = random_date(rng, (2012, 8, 20), (2013, 12, 31));
        }
    }
}

fn shrink_to_2013(rng: &mut ChaCha8Rng, followers: u64) -> u64 {
    ((followers as f64 * rng.gen_range(0.35..0.85)).round() as u64).max(1)
}

/// Accounts of 2013 that closed during 2014, shaped like random 2014 ones.
fn closed_accounts(
    rng: &mut ChaCha8Rng,
    namer: &mut Namer,
    ids: &mut Ids,
    slots: &[Slot],
) -> Result<Vec<Account>> {
    let mut closed = Vec::new();
    for (account_type, n) in [AccountType::Subscription, AccountType::Service]
        .into_iter()
        .zip(CLOSED_2013)
    {
        for _ in 0..n {
            let slot = *slots.choose(rng).expect("slots are not empty");
            let mut account = new_account(rng, namer, ids, slot, account_type)?;
            let followers = (raw_followers(rng, slot.level) * 0.5).round() as u64;
            account.followers = [Some(followers.max(1)), None];
            account.registered_at = random_date(rng, (2012, 8, 20), (2013, 10, 31));
            closed.push(account);
        }
    }
    Ok(closed)
}

fn out_of_scope(
    rng: &mut ChaCha8Rng,
    settings: &Settings,
    namer: &mut Namer,
    ids: &mut Ids,
) -> Result<Vec<Account>> {
    let mut accounts = Vec::new();
    for (i, (code, entity, name)) in OUT_OF_SCOPE.into_iter().enumerate() {
        namer.reserve(Some(code), entity, name)?;
        let (original_id, wechat_id) = ids.draw(rng);
        let followers = (raw_followers(rng, Level::Provincial)).round() as u64;
        accounts.push(Account {
            id: String::new(),
            province: Some(code),
            city: None,
            county: None,
            level: Level::Provincial,
            domain: settings
                .match_domain(entity)
                .unwrap_or(settings.other_domain),
            entity: entity.to_owned(),
            name: name.to_owned(),
            original_id,
            wechat_id,
            account_type: AccountType::Subscription,
            registered_at: random_date(rng, (2013, 3, 1), (2013, 12, 31)),
            followers: [
                (i % 2 == 0).then_some(followers / 2 + 1),
                Some(followers + 1),
            ],
            in_scope: false,
        });
    }
    Ok(accounts)
}

fn random_date(rng: &mut ChaCha8Rng, from: (i32, u32, u32), to: (i32, u32, u32)) -> Date {
    let day = |(year, month, day)| Date { year, month, day }.days();
    Date::from_days(rng.gen_range(day(from)..=day(to)))
}
