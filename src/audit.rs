//! The audit trail beside the report: every rejected record, every record of
//! every merged account with the rule that linked it, every refused link,
//! and the manifest of inputs and their counts (SPEC §6).
//!
//! These files explain the figures record by record; like the report, they
//! are byte-identical for identical inputs.

use serde::Serialize;

use crate::config::Settings;
use crate::ingest::{FileReport, Input};
use crate::metrics::PeriodData;
use crate::normalize::Origin;
use crate::publish::stamp::RunRecord;
use crate::render::{csv_bytes, Cell, OutputFile, Templates};

/// `quality/accounts.csv`, `quality/rejects.csv`, `quality/clusters.csv` and
/// `quality/conflicts.csv`, for the periods read (oldest first).
pub fn quality_files(periods: &[&PeriodData], settings: &Settings) -> Vec<OutputFile> {
    vec![
        OutputFile {
            path: "quality/accounts.csv".into(),
            bytes: accounts(periods, settings),
        },
        OutputFile {
            path: "quality/rejects.csv".into(),
            bytes: rejects(periods),
        },
        OutputFile {
            path: "quality/clusters.csv".into(),
            bytes: clusters(periods),
        },
        OutputFile {
            path: "quality/conflicts.csv".into(),
            bytes: conflicts(periods),
        },
    ]
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn rejects(periods: &[&PeriodData]) -> Vec<u8> {
    let rows = periods.iter().flat_map(|p| {
        p.files.iter().flat_map(|f| &f.rejects).map(|r| {
            vec![
                text(&p.name),
                text(&r.file),
                Cell::Int(r.line.into()),
                text(&r.reason),
                text(&r.raw),
            ]
        })
    });
    csv_bytes(&["period", "file", "line", "reason", "raw"], rows)
}

/// Every account with its surviving values and what decided the inferred
/// ones; `file` and `line` name its highest-priority record.
fn accounts(periods: &[&PeriodData], settings: &Settings) -> Vec<u8> {
    let basis = |b: crate::normalize::Basis| text(b.slug());
    let rows = periods.iter().flat_map(|p| {
        p.linked.accounts.iter().map(move |a| {
            let [file, line] = origin_cells(p, p.records[a.records[0] as usize].origin);
            let province = a.province.map(|d| d.value);
            vec![
                text(&p.name),
                text(&a.key),
                text(p.strings.get(a.name)),
                text(a.original_id.map(|id| id.to_string()).unwrap_or_default()),
                text(a.wechat_id.map_or("", |s| p.strings.get(s))),
                text(a.entity.map_or("", |s| p.strings.get(s))),
                text(
                    province
                        .map(|p| format!("{:02}", p.code()))
                        .unwrap_or_default(),
                ),
                text(province.map_or("", |p| p.short())),
                a.province.map_or(Cell::Empty, |d| basis(d.basis)),
                text(a.level.value.slug()),
                basis(a.level.basis),
                text(&settings.domain(a.domain.value).slug),
                basis(a.domain.basis),
                text(a.account_type.slug()),
                a.followers.map_or(Cell::Empty, Cell::Int),
                Cell::Int(a.records.len() as u64),
                text(if a.in_scope() { "true" } else { "false" }),
                file,
                line,
            ]
        })
    });
    let header = [
        "period",
        "account_key",
        "name",
        "original_id",
        "wechat_id",
        "entity",
        "province_code",
        "province",
        "province_basis",
        "level",
        "level_basis",
        "domain",
        "domain_basis",
        "account_type",
        "followers",
        "records",
        "in_scope",
        "file",
        "line",
    ];
    csv_bytes(&header, rows)
}

fn origin_cells(period: &PeriodData, origin: Origin) -> [Cell; 2] {
    [
        text(&period.files[origin.file as usize].path),
        Cell::Int(origin.line.into()),
    ]
}

fn clusters(periods: &[&PeriodData]) -> Vec<u8> {
    let rows = periods.iter().flat_map(|p| {
        p.linked
            .accounts
            .iter()
            .filter(|a| a.records.len() > 1)
            .flat_map(move |account| {
                let mut members = account.records.clone();
                members.sort_by_key(|&i| {
                    let origin = p.records[i as usize].origin;
                    (&p.files[origin.file as usize].path, origin.line)
                });
                members.into_iter().map(move |i| {
                    let rule = p.linked.rules[i as usize].map_or("", |r| r.slug());
                    let [file, line] = origin_cells(p, p.records[i as usize].origin);
                    vec![text(&p.name), text(&account.key), file, line, text(rule)]
                })
            })
    });
    csv_bytes(&["period", "account_key", "file", "line", "rule"], rows)
}

fn conflicts(periods: &[&PeriodData]) -> Vec<u8> {
    let rows = periods.iter().flat_map(|p| {
        p.linked.conflicts.iter().map(|c| {
            let [left_file, left_line] = origin_cells(p, c.left);
            let [right_file, right_line] = origin_cells(p, c.right);
            vec![
                text(&p.name),
                text(c.rule.slug()),
                left_file,
                left_line,
                right_file,
                right_line,
                text(&c.reason),
            ]
        })
    });
    csv_bytes(
        &[
            "period",
            "rule",
            "file",
            "line",
            "other_file",
            "other_line",
            "reason",
        ],
        rows,
    )
}

#[derive(Serialize)]
struct Manifest<'a> {
    govwx_version: &'static str,
    config_sha256: &'a str,
    templates_sha256: String,
    periods: Vec<ManifestPeriod<'a>>,
    /// Files in the input folder that are not data, listed and not read.
    ignored: &'a [String],
    /// What the report was built from, the gates it hit and its exit code,
    /// so an unchanged run can stop at once (`publish::stamp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<&'a RunRecord>,
}

#[derive(Serialize)]
struct ManifestPeriod<'a> {
    period: &'a str,
    accounts: usize,
    files: &'a [FileReport],
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
        ignored: &input.ignored,
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
