//! The audit trail beside the report: every rejected record, every record of
//! every merged account with the rule that linked it, every refused link,
//! and the manifest of inputs and their counts (docs/CONTRACT.md §6).
//!
//! These files explain the figures record by record; like the report, they
//! are byte-identical for identical inputs.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::config::Settings;
use crate::dedup::{Account, KeyBuf};
use crate::ingest::{FileReport, Input};
use crate::normalize::{Clue, Origin, Sym};
use crate::period::PeriodData;
use crate::publish::stamp::RunRecord;
use crate::render::{rows_in_parallel, Cell, CsvWriter, OutputFile, StreamedFile, Templates};

/// `quality/accounts.csv`, `quality/rejects.csv`, `quality/clusters.csv` and
/// `quality/conflicts.csv`, for the periods read (oldest first). They grow
/// with the input (one row per account and per merged record), so they are
/// written row by row to their file rather than built in memory.
pub fn quality_files<'a>(
    periods: &'a [&'a PeriodData],
    settings: &'a Settings,
) -> Vec<StreamedFile<'a>> {
    vec![
        streamed("quality/accounts.csv", move |out| {
            accounts(periods, settings, out)
        }),
        streamed("quality/rejects.csv", move |out| rejects(periods, out)),
        streamed("quality/clusters.csv", move |out| clusters(periods, out)),
        streamed("quality/conflicts.csv", move |out| conflicts(periods, out)),
    ]
}

fn streamed<'a>(
    path: &'static str,
    write: impl Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a,
) -> StreamedFile<'a> {
    StreamedFile {
        path,
        write: Box::new(write),
    }
}

fn rejects(periods: &[&PeriodData], out: &mut dyn Write) -> io::Result<()> {
    let mut csv = CsvWriter::new(out, &["period", "file", "line", "reason", "raw"])?;
    for p in periods {
        for r in p.files.iter().flat_map(|f| &f.rejects) {
            csv.row(&[
                Cell::Text(&p.name),
                Cell::Text(&r.file),
                Cell::Int(r.line.into()),
                Cell::Text(&r.reason),
                Cell::Text(&r.raw),
            ])?;
        }
    }
    csv.finish().map(drop)
}

const ACCOUNTS_HEADER: [&str; 22] = [
    "period",
    "account_key",
    "name",
    "original_id",
    "wechat_id",
    "entity",
    "province_code",
    "province",
    "province_basis",
    "province_clue",
    "level",
    "level_basis",
    "level_clue",
    "domain",
    "domain_basis",
    "domain_clue",
    "account_type",
    "followers",
    "records",
    "in_scope",
    "file",
    "line",
];

/// Every account with its surviving values and what decided the inferred
/// ones (basis, and the place, list entry or keyword: the clue); `file` and
/// `line` name its highest-priority record.
///
/// The largest file (one row per account of both periods), so its rows are
/// rendered on all threads; the few distinct clues are described once.
fn accounts(periods: &[&PeriodData], settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    let out = CsvWriter::new(out, &ACCOUNTS_HEADER)?.finish()?;
    for p in periods {
        let mut clues: Clues = Clues::default();
        for a in &p.linked.accounts {
            let decided = [
                a.province.map(|d| d.clue()),
                Some(a.level.clue()),
                Some(a.domain.clue()),
            ];
            for clue in decided.into_iter().flatten() {
                clues.entry(clue).or_insert_with(|| clue.describe(settings));
            }
        }
        rows_in_parallel(out, &p.linked.accounts, |csv, piece| {
            piece.chunks(GATHERED).try_for_each(|block| {
                gather(p, block).try_for_each(|(account, gathered)| {
                    account_row(csv, p, account, gathered, settings, &clues)
                })
            })
        })?;
    }
    Ok(())
}

/// Accounts of a block whose rows gather what they read first.
const GATHERED: usize = 128;

/// What an account's row reads outside the account: its first record's
/// origin, its name, WeChat id and entity.
struct Gathered<'a> {
    origin: Origin,
    texts: [&'a str; 3],
}

/// Accounts are in key order, so the record and the strings a row reads
/// lie at random places in memory: each is a cache miss, and one row's
/// loads depend on each other (the member list, then the record; the
/// string's span, then its text). Gathering them for a block in passes of
/// independent loads lets the processor wait for many misses at once.
fn gather<'p, 'a>(
    p: &'p PeriodData,
    block: &'a [Account],
) -> impl Iterator<Item = (&'a Account, Gathered<'p>)> {
    let first: Vec<u32> = block.iter().map(|a| p.linked.records_of(a)[0]).collect();
    let origins: Vec<Origin> = first.iter().map(|&i| p.origins.get(i)).collect();
    let text = |sym: Option<Sym>| sym.map_or("", |s| p.strings.get(s));
    let texts: Vec<[&str; 3]> = block
        .iter()
        .map(|a| [p.strings.get(a.name), text(a.wechat_id), text(a.entity)])
        .collect();
    // Touch each text's first byte, so that writing the rows finds it cached.
    let touched = texts.iter().flatten().fold(0u8, |acc, t| {
        acc ^ t.as_bytes().first().copied().unwrap_or(0)
    });
    std::hint::black_box(touched);
    block
        .iter()
        .zip(origins.into_iter().zip(texts))
        .map(|(a, (origin, texts))| (a, Gathered { origin, texts }))
}

/// Each distinct clue's description, looked up three times an account.
type Clues = HashMap<Clue, String, foldhash::fast::RandomState>;

fn account_row<W: Write>(
    csv: &mut CsvWriter<W>,
    p: &PeriodData,
    a: &Account,
    gathered: Gathered<'_>,
    settings: &Settings,
    clues: &Clues,
) -> io::Result<()> {
    let basis = |b: crate::normalize::Basis| Cell::Text(b.slug());
    let clue = |c: Clue| Cell::Text(clues.get(&c).map_or("", String::as_str));
    let [file, line] = origin_cells(p, gathered.origin);
    let [name, wechat_id, entity] = gathered.texts;
    let province = a.province.map(|d| d.value());
    let (mut id, mut code, mut key) = ([0; 15], [0; 2], KeyBuf::default());
    csv.row(&[
        Cell::Text(&p.name),
        Cell::Text(a.key.as_str(&mut key)),
        Cell::Text(name),
        Cell::Text(a.original_id().map_or("", |v| v.text(&mut id))),
        Cell::Text(wechat_id),
        Cell::Text(entity),
        Cell::Text(province.map_or("", |v| two_digits(&mut code, v.code()))),
        Cell::Text(province.map_or("", |p| p.short())),
        a.province.map_or(Cell::Empty, |d| basis(d.basis())),
        a.province.map_or(Cell::Empty, |d| clue(d.clue())),
        Cell::Text(a.level.value().slug()),
        basis(a.level.basis()),
        clue(a.level.clue()),
        Cell::Text(&settings.domain(a.domain.value()).slug),
        basis(a.domain.basis()),
        clue(a.domain.clue()),
        Cell::Text(a.account_type.slug()),
        a.followers.map_or(Cell::Empty, |f| Cell::Int(f.into())),
        Cell::Int(a.members.len.into()),
        Cell::Text(if a.in_scope() { "true" } else { "false" }),
        file,
        line,
    ])
}

/// A province code (two digits) as text in `buf`.
fn two_digits(buf: &mut [u8; 2], code: u8) -> &str {
    *buf = [b'0' + code / 10 % 10, b'0' + code % 10];
    std::str::from_utf8(buf).unwrap_or_default()
}

fn origin_cells(period: &PeriodData, origin: Origin) -> [Cell<'_>; 2] {
    [
        Cell::Text(&period.files[origin.file as usize].path),
        Cell::Int(origin.line.into()),
    ]
}

fn clusters(periods: &[&PeriodData], out: &mut dyn Write) -> io::Result<()> {
    let header = ["period", "account_key", "file", "line", "rule"];
    let mut csv = CsvWriter::new(out, &header)?;
    let (mut members, mut key) = (Vec::new(), KeyBuf::default());
    for p in periods {
        for account in p.linked.accounts.iter().filter(|a| a.members.len > 1) {
            members.clear();
            members.extend_from_slice(p.linked.records_of(account));
            members.sort_by_key(|&i| {
                let origin = p.origins.get(i);
                (&p.files[origin.file as usize].path, origin.line)
            });
            for &i in &members {
                let rule = p.linked.rules[i as usize].map_or("", |r| r.slug());
                let [file, line] = origin_cells(p, p.origins.get(i));
                csv.row(&[
                    Cell::Text(&p.name),
                    Cell::Text(account.key.as_str(&mut key)),
                    file,
                    line,
                    Cell::Text(rule),
                ])?;
            }
        }
    }
    csv.finish().map(drop)
}

fn conflicts(periods: &[&PeriodData], out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "period",
        "rule",
        "file",
        "line",
        "other_file",
        "other_line",
        "reason",
    ];
    let mut csv = CsvWriter::new(out, &header)?;
    for p in periods {
        for c in &p.linked.conflicts {
            let [left_file, left_line] = origin_cells(p, c.left);
            let [right_file, right_line] = origin_cells(p, c.right);
            csv.row(&[
                Cell::Text(&p.name),
                Cell::Text(c.rule.slug()),
                left_file,
                left_line,
                right_file,
                right_line,
                Cell::Text(&c.reason),
            ])?;
        }
    }
    csv.finish().map(drop)
}

#[derive(Serialize, schemars::JsonSchema)]
struct Manifest<'a> {
    govwx_version: &'static str,
    config_sha256: &'a str,
    templates_sha256: String,
    periods: Vec<ManifestPeriod<'a>>,
    /// Files in the input folder that are not data, listed and not read.
    skipped: &'a [crate::ingest::period::SkippedPath],
    /// What the report was built from, the gates it hit and its exit code,
    /// so an unchanged run can stop at once (`publish::stamp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<&'a RunRecord>,
}

#[derive(Serialize, schemars::JsonSchema)]
struct ManifestPeriod<'a> {
    period: &'a str,
    accounts: usize,
    files: &'a [FileReport],
}

/// The JSON Schema of `manifest.json`, from the types that write it
/// (`schema/manifest.schema.json` holds it; a test keeps the two equal).
pub fn manifest_schema() -> String {
    let schema = schemars::schema_for!(Manifest<'static>);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

/// `manifest.json`: inputs with their counts, config and template hashes,
/// and the `run` record of the publishing run.
pub fn manifest(
    periods: &[&PeriodData],
    input: &Input,
    settings: &Settings,
    templates: &Templates,
    run: Option<&RunRecord>,
) -> OutputFile {
    let manifest = Manifest {
        govwx_version: env!("CARGO_PKG_VERSION"),
        config_sha256: &settings.config_sha256,
        templates_sha256: templates.fingerprint(),
        periods: periods
            .iter()
            .map(|p| ManifestPeriod {
                period: &p.name,
                accounts: p.linked.accounts.len(),
                files: &p.files,
            })
            .collect(),
        skipped: &input.skipped,
        run,
    };
    let mut bytes =
        serde_json::to_vec_pretty(&manifest).expect("the manifest serialises: plain data");
    bytes.push(b'\n');
    OutputFile {
        path: "manifest.json".into(),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::tests::spec;
    use crate::period::tests::period_data;

    fn text(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).expect("writes to memory");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn clusters_list_every_record_of_accounts_of_two_or_more_with_its_rule() {
        let mut second = spec(3, None, Some("wx-a"), "甲");
        second.file = 1;
        let data = period_data(&[
            spec(9, Some(5), Some("wx-a"), "甲"),
            second,
            spec(4, Some(6), None, "乙"),
        ]);
        let csv = text(|out| clusters(&[&data], out));
        let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            rows,
            [
                "period,account_key,file,line,rule",
                "2014,gh_000000000005,2014/a.csv,9,wechat_id",
                "2014,gh_000000000005,2014/b.csv,3,wechat_id",
            ],
            "both sides of the link carry its rule; the single-record account 乙 is not listed"
        );
    }

    #[test]
    fn conflicts_name_both_sides_and_the_rule_refused() {
        let data = period_data(&[spec(1, Some(1), None, "甲"), spec(2, Some(2), None, "甲")]);
        let csv = text(|out| conflicts(&[&data], out));
        let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(rows.len(), 2, "{csv}");
        assert!(rows[1].starts_with("2014,match_name,"), "{csv}");
        assert!(
            rows[1].contains("2014/a.csv,1") && rows[1].contains("2014/a.csv,2"),
            "{csv}"
        );
    }
}
