//! Writing the drawn activity as the exports the pipeline will read: the
//! platform's quarterly export (gzipped TSV, rows keyed by original id) and
//! Zhejiang's own statistics sheet (CSV, Chinese headers, rows keyed by name
//! only, a title line, a totals line and a few broken rows).
//!
//! A name-only row names its account by match-name across every account of
//! 2014, so only accounts whose match-name is unique there go to Zhejiang's
//! sheet; the rest of the province's accounts are in the platform export.
//! Every account's rows are in one file, each (account, month) once.

use std::collections::BTreeSet;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::activity::{as_read, AccountRows, MonthRow, CAPPED_ABOVE, YEAR};
use super::activity_names::NameIndex;
use super::messy;
use super::model::Account;
use super::writer::{RowTruth, SourceFile};

/// Zhejiang, whose office sends its own sheet.
const ZHEJIANG: u8 = 33;
/// Share of Zhejiang's eligible accounts listed in its sheet.
const ZHEJIANG_SHARE: f64 = 0.4;
pub(crate) const PLATFORM_PATH: &str = "2014/activity/platform-2014Q4.tsv.gz";
pub(crate) const ZHEJIANG_PATH: &str = "2014/activity/zhejiang-2014Q4.csv";

/// An accepted row as the pipeline reads it: reads already capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReadRow {
    pub account: usize,
    pub month: u32,
    pub reads: u64,
}

/// The activity files and what their accepted rows say.
pub(crate) struct ActivityExports {
    pub files: Vec<SourceFile>,
    pub rows: Vec<ReadRow>,
}

/// A data row before it is placed: cells, truth and what it reads as
/// (nothing for a row the pipeline must reject).
pub(crate) struct Line {
    pub cells: Vec<String>,
    pub truth: RowTruth,
    pub read: Option<ReadRow>,
}

/// Splits the accounts' rows over the two files and writes them.
/// Accounts whose original id no 2014 registry record shows get no platform
/// rows: the pipeline could not tell whose they are.
pub(crate) fn write(
    rng: &mut ChaCha8Rng,
    accounts: &[Account],
    drawn: &[AccountRows],
    known_ids: &BTreeSet<String>,
) -> ActivityExports {
    let names = NameIndex::new(accounts);
    let (mut platform, mut zhejiang) = (Vec::new(), Vec::new());
    for rows in drawn {
        let account = &accounts[rows.account];
        let named = account.province == Some(ZHEJIANG) && names.is_unique(&account.name);
        if named && rng.gen_bool(ZHEJIANG_SHARE) {
            zhejiang.extend(zhejiang_lines(rng, &names, account, rows));
        } else if known_ids.contains(&account.original_id) {
            platform.extend(rows.months.iter().map(|m| platform_line(account, rows, m)));
        }
    }
    platform.sort_by(|a, b| (&a.cells[1], &a.cells[0]).cmp(&(&b.cells[1], &b.cells[0])));
    zhejiang.shuffle(rng);
    super::activity_names::inject_rejects(rng, &names, &mut zhejiang);
    let rows = platform.iter().chain(&zhejiang).filter_map(|l| l.read);
    let rows: Vec<ReadRow> = rows.collect();
    let files = vec![assemble_platform(platform), assemble_zhejiang(zhejiang)];
    ActivityExports { files, rows }
}

fn read_row(rows: &AccountRows, month: &MonthRow) -> ReadRow {
    ReadRow {
        account: rows.account,
        month: month.month,
        reads: as_read(month.reads),
    }
}

fn platform_line(account: &Account, rows: &AccountRows, month: &MonthRow) -> Line {
    let cells = vec![
        account.original_id.clone(),
        format!("{YEAR}-{:02}", month.month),
        month.articles.to_string(),
        capped(month.reads, |n| n.to_string()),
        month.likes.to_string(),
    ];
    Line {
        cells,
        truth: RowTruth::Account(account.id.clone()),
        read: Some(read_row(rows, month)),
    }
}

fn zhejiang_lines(
    rng: &mut ChaCha8Rng,
    names: &NameIndex,
    account: &Account,
    rows: &AccountRows,
) -> Vec<Line> {
    let mut lines = Vec::new();
    for month in &rows.months {
        let cells = vec![
            names.decorated(rng, &account.name),
            month_cell(rng, month.month),
            month.articles.to_string(),
            capped(month.reads, |n| messy::followers(rng, n)),
            month.likes.to_string(),
        ];
        lines.push(Line {
            cells,
            truth: RowTruth::Account(account.id.clone()),
            read: Some(read_row(rows, month)),
        });
    }
    lines
}

/// `2014年10月` or `201410`.
pub(crate) fn month_cell(rng: &mut ChaCha8Rng, month: u32) -> String {
    match rng.gen_bool(0.5) {
        true => format!("{YEAR}年{month}月"),
        false => format!("{YEAR}{month:02}"),
    }
}

/// Reads as exports write them: `10万+` above the cap.
fn capped(reads: u64, mut spell: impl FnMut(u64) -> String) -> String {
    match reads > CAPPED_ABOVE {
        true => "10万+".to_owned(),
        false => spell(reads),
    }
}

fn assemble_platform(lines: Vec<Line>) -> SourceFile {
    let mut file = SourceFile::activity(PLATFORM_PATH.to_owned(), true);
    let header = ["original_id", "month", "articles", "reads", "likes"];
    file.push_plain(&header.map(str::to_owned));
    for line in lines {
        file.push_record(&line.cells, line.truth);
    }
    file
}

fn assemble_zhejiang(lines: Vec<Line>) -> SourceFile {
    let mut file = SourceFile::activity(ZHEJIANG_PATH.to_owned(), false);
    file.push_plain(&["浙江省政务微信公众号运营数据统计表（2014年第四季度）".to_owned()]);
    let header = ["公众号名称", "统计月份", "发文数", "阅读数", "点赞数"];
    file.push_plain(&header.map(str::to_owned));
    let mut sums = [0_u64; 3];
    for line in lines {
        if let Some(read) = line.read {
            sums[1] += read.reads;
            for (sum, at) in [(0, 2), (2, 4)] {
                sums[sum] += line.cells[at].parse::<u64>().unwrap_or(0);
            }
        }
        file.push_record(&line.cells, line.truth);
    }
    let mut totals = vec!["合计".to_owned(), String::new()];
    totals.extend(sums.iter().map(u64::to_string));
    file.push_record(&totals, RowTruth::Totals);
    file
}
