//! Writing a period's accounts as the exports the pipeline will read: the
//! platform's list, one submission per province, a third-party list, and a
//! few broken rows.
//!
//! Coverage overlaps so that every account appears in the platform list or
//! its province's submission (often both), and every record links to its
//! account under docs/CONTRACT.md §4: platform rows carry the original id, submissions
//! and the third-party list always carry the province and a name whose
//! match-name is the account's. Broken rows copy a good row of the same
//! file, so they are never an account's only record.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::high::Mess;
use super::layout::{Column, Layout, Source};
use super::messy;
use super::model::{Account, Period};
use super::writer::{RowTruth, SourceFile};
use govwx::config::Settings;
use govwx::geo::Province;

/// Broken rows per period, spread over its files.
const REJECTS_PER_PERIOD: usize = 30;
/// Third-party lists cap followers here and write `10万+` above it.
const CAPPED_ABOVE: u64 = 100_000;

/// A data row before it is placed in its file.
struct Row {
    cells: Vec<String>,
    truth: RowTruth,
    followers: u64,
}

/// A file being assembled: where it goes, its columns, its rows.
struct Draft {
    path: String,
    title: Option<String>,
    blank_after_title: bool,
    layout: Layout,
    rows: Vec<Row>,
}

/// Where an account of the period is listed.
struct Coverage {
    platform: bool,
    provincial: bool,
    third_party: bool,
}

/// Every source file of `period`; `mess` roughens the account rows further
/// (the high setting) without drawing from `rng`.
pub(crate) fn period_files(
    rng: &mut ChaCha8Rng,
    settings: &Settings,
    accounts: &[Account],
    period: Period,
    mess: Option<&mut Mess<'_>>,
) -> Vec<SourceFile> {
    let year = period.name();
    let mut platform = draft(format!("{year}/platform.csv"), None, Layout::platform());
    let mut third_party = draft(
        format!("{year}/thirdparty/list.csv"),
        None,
        Layout::third_party(),
    );
    let mut provinces: Vec<(u8, Draft)> = Province::mainland()
        .map(|p| {
            let title = format!("{}政务微信账号统计表（{year}年12月）", p.full());
            let mut d = draft(
                format!("{year}/provinces/{}.csv", p.info().latin[0]),
                Some(title),
                Layout::provincial(rng),
            );
            d.blank_after_title = rng.gen_bool(0.5);
            (p.0, d)
        })
        .collect();
    for account in accounts.iter().filter(|a| a.exists_in(period)) {
        let coverage = coverage(rng, account, period);
        if coverage.platform {
            platform
                .rows
                .push(row(rng, settings, &platform.layout, account, period));
        }
        if let (true, Some(code)) = (coverage.provincial, account.province) {
            let (_, d) = provinces
                .iter_mut()
                .find(|(c, _)| *c == code)
                .expect("a draft per mainland province");
            d.rows.push(row(rng, settings, &d.layout, account, period));
        }
        if coverage.third_party {
            third_party
                .rows
                .push(row(rng, settings, &third_party.layout, account, period));
        }
    }
    platform
        .rows
        .sort_by_key(|r| (r.cells[11].clone(), r.cells[0].clone()));
    third_party.rows.sort_by(|a, b| {
        b.followers
            .cmp(&a.followers)
            .then(a.cells[0].cmp(&b.cells[0]))
    });
    let mut drafts: Vec<Draft> = vec![platform];
    for (_, mut d) in provinces {
        d.rows.shuffle(rng);
        drafts.push(d);
    }
    drafts.push(third_party);
    inject_rejects(rng, &mut drafts);
    if let Some(mess) = mess {
        for draft in &mut drafts {
            for row in &mut draft.rows {
                if let RowTruth::Account(id) = &row.truth {
                    mess.roughen(&draft.layout, &mut row.cells, id);
                }
            }
        }
    }
    drafts.into_iter().map(assemble).collect()
}

fn draft(path: String, title: Option<String>, layout: Layout) -> Draft {
    Draft {
        path,
        title,
        blank_after_title: false,
        layout,
        rows: Vec::new(),
    }
}

/// Central and out-of-scope accounts are on the platform only; the others
/// in the platform list, their submission, or both.
fn coverage(rng: &mut ChaCha8Rng, account: &Account, period: Period) -> Coverage {
    let (both, third_party) = match period {
        Period::Y2013 => (0.10, 0.10),
        Period::Y2014 => (0.20, 0.15),
    };
    if account.province.is_none() || !account.in_scope {
        return Coverage {
            platform: true,
            provincial: false,
            third_party: false,
        };
    }
    let draw: f64 = rng.gen();
    let platform_only = (1.0 - both) / 2.0;
    Coverage {
        platform: draw < platform_only + both,
        provincial: draw >= platform_only,
        third_party: rng.gen_bool(third_party),
    }
}

fn row(
    rng: &mut ChaCha8Rng,
    settings: &Settings,
    layout: &Layout,
    account: &Account,
    period: Period,
) -> Row {
    let followers =
        account.followers[period.index()].expect("rows are written for existing accounts");
    let cells = layout
        .columns
        .iter()
        .map(|(column, _)| cell(rng, settings, layout.source, *column, account, followers))
        .collect();
    Row {
        cells,
        truth: RowTruth::Account(account.id.clone()),
        followers,
    }
}

fn cell(
    rng: &mut ChaCha8Rng,
    settings: &Settings,
    source: Source,
    column: Column,
    account: &Account,
    followers: u64,
) -> String {
    use Source::*;
    let optional =
        |rng: &mut ChaCha8Rng, id: &str, missing: f64, messy: bool| match rng.gen_bool(missing) {
            true => String::new(),
            false if messy => messy::id(rng, id),
            false => id.to_owned(),
        };
    match (column, source) {
        (Column::OriginalId, Platform) => account.original_id.clone(),
        (Column::OriginalId, _) => optional(rng, &account.original_id, 0.4, true),
        (Column::WechatId, Platform) => optional(rng, &account.wechat_id, 0.08, false),
        (Column::WechatId, _) => optional(rng, &account.wechat_id, 0.2, true),
        (Column::Name, Platform) => account.name.clone(),
        (Column::Name, Provincial) => messy::decorated_name(rng, &account.name, 0.3),
        (Column::Name, ThirdParty) => messy::decorated_name(rng, &account.name, 0.25),
        (Column::Entity, _) => account.entity.clone(),
        (Column::Province, Platform) => account
            .province
            .map_or(String::new(), |p| Province(p).full().to_owned()),
        (Column::Province, ThirdParty) => account
            .province
            .map_or(String::new(), |p| Province(p).short().to_owned()),
        (Column::Province, Provincial) => messy::province(
            rng,
            account
                .province
                .expect("submissions list provincial accounts"),
        ),
        (Column::City, _) => account.city.unwrap_or_default().to_owned(),
        (Column::County, _) => account.county.unwrap_or_default().to_owned(),
        (Column::Level, Platform) => account.level.slug().to_owned(),
        (Column::Level, _) => account.level.chinese().to_owned(),
        (Column::Domain, Platform) => settings.domain(account.domain).label.clone(),
        (Column::Domain, _) => messy::domain(rng, settings, account.domain),
        (Column::AccountType, _) => account.account_type.chinese().to_owned(),
        (Column::Followers, Platform) => followers.to_string(),
        (Column::Followers, Provincial) => messy::followers(rng, followers),
        (Column::Followers, ThirdParty) if followers > CAPPED_ABOVE => "10万+".to_owned(),
        (Column::Followers, ThirdParty) => followers.to_string(),
        (Column::RegisteredAt, Platform) => messy::iso_date(account.registered_at),
        (Column::RegisteredAt, _) => messy::date(rng, account.registered_at),
    }
}

/// Broken rows the pipeline must reject: each a damaged copy of a good row
/// of the same file, placed anywhere in it.
fn inject_rejects(rng: &mut ChaCha8Rng, drafts: &mut [Draft]) {
    for i in 0..REJECTS_PER_PERIOD {
        let draft = drafts.choose_mut(rng).expect("a period has files");
        let good: Vec<usize> = (0..draft.rows.len())
            .filter(|&r| matches!(draft.rows[r].truth, RowTruth::Account(_)))
            .collect();
        let Some(&good) = good.choose(rng) else {
            continue;
        };
        let (cells, reason) = damage(rng, &draft.layout, draft.rows[good].cells.clone(), i % 4);
        let at = rng.gen_range(0..=draft.rows.len());
        draft.rows.insert(
            at,
            Row {
                cells,
                truth: RowTruth::Reject(reason),
                followers: 0,
            },
        );
    }
}

fn damage(
    rng: &mut ChaCha8Rng,
    layout: &Layout,
    mut cells: Vec<String>,
    kind: usize,
) -> (Vec<String>, &'static str) {
    let followers = layout
        .position(Column::Followers)
        .expect("every export has followers");
    match (kind, layout.position(Column::RegisteredAt)) {
        (0, _) if rng.gen_bool(0.5) => {
            cells.truncate(cells.len() / 2);
            (cells, "too few fields")
        }
        (0, _) => {
            cells.extend(["备注".to_owned(), "重复报送".to_owned()]);
            (cells, "too many fields")
        }
        (1, _) => {
            for column in [Column::Name, Column::OriginalId] {
                if let Some(i) = layout.position(column) {
                    cells[i].clear();
                }
            }
            (cells, "no name and no original id")
        }
        // Files with a registered date once had it broken here, but a bad
        // date feeds no figure and no longer rejects a record: the same
        // rows now carry a follower count no account can have.
        (3, Some(_)) => {
            cells[followers] = u64::MAX.to_string();
            (cells, "impossible followers")
        }
        _ => {
            cells[followers] = "abc".to_owned();
            (cells, "unparseable followers")
        }
    }
}

/// Lays a draft out as a file: title, blank line, header, rows, totals.
fn assemble(draft: Draft) -> SourceFile {
    let mut file = SourceFile::new(draft.path);
    if let Some(title) = draft.title {
        file.push_plain(&[title]);
        if draft.blank_after_title {
            file.push_plain(&[]);
        }
    }
    file.push_plain(&draft.layout.header());
    let accounts = draft
        .rows
        .iter()
        .filter(|r| matches!(r.truth, RowTruth::Account(_)))
        .count();
    let followers: u64 = draft.rows.iter().map(|r| r.followers).sum();
    for row in draft.rows {
        file.push_record(&row.cells, row.truth);
    }
    if draft.layout.source == Source::Provincial {
        let mut totals = vec![String::new(); draft.layout.columns.len()];
        totals[0] = "合计".to_owned();
        totals[1] = accounts.to_string();
        totals[draft
            .layout
            .position(Column::Followers)
            .expect("followers column")] = followers.to_string();
        file.push_record(&totals, RowTruth::Totals);
    }
    file
}
