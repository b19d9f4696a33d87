//! Render: figures in, report files out.
//!
//! This stage turns a [`Metrics`] value into the files of the output tree:
//! the white paper in Markdown and as one self-contained HTML page, every
//! figure as `metrics.json`, and the lists as CSV tables. It is pure (same
//! figures, same bytes: no clock, no hash-map order) and writes nothing
//! itself; the caller publishes the files. Data never becomes markup: text
//! is escaped for Markdown by the templates' `md` filter and again guarded
//! when the Markdown becomes HTML.

mod filters;
mod markdown;
mod tables;
mod templates;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::metrics::{AccountTypeRow, Metrics};

pub use tables::{csv_bytes, Cell};
pub use templates::Templates;

/// One file of the output tree, relative path with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes below the output folder: `report.md`, `tables/levels.csv`.
    pub path: String,
    /// The file's exact contents.
    pub bytes: Vec<u8>,
}

/// report.md, report.html, metrics.json and tables/*.csv for these figures.
pub fn render_report(metrics: &Metrics, templates: &Templates) -> Result<Vec<OutputFile>> {
    let mut context = tera::Context::from_serialize(ReportContext::new(metrics))
        .context("failed to prepare the figures for the templates")?;
    let report_md = trim_blank_lines(&templates.render(templates::REPORT_MD, &context)?);
    context.insert("body", &markdown::to_html(&report_md));
    let report_html = trim_blank_lines(&templates.render(templates::LAYOUT_HTML, &context)?);

    let mut files = vec![
        file("report.md", report_md.into_bytes()),
        file("report.html", report_html.into_bytes()),
        file("metrics.json", metrics_json(metrics)?),
    ];
    files.extend(tables::metric_tables(metrics));
    Ok(files)
}

fn file(path: &str, bytes: Vec<u8>) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes,
    }
}

/// `metrics.json`: pretty-printed, with a trailing newline.
fn metrics_json(metrics: &Metrics) -> Result<Vec<u8>> {
    let mut json = serde_json::to_vec_pretty(metrics).context("failed to serialise the metrics")?;
    json.push(b'\n');
    Ok(json)
}

/// Templates start and end however their authors (and the comment at their
/// top) left them; files start with their first line and end with one `\n`.
fn trim_blank_lines(text: &str) -> String {
    let start: usize = text
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty())
        .map(str::len)
        .sum();
    let mut tidy = text[start..].trim_end().to_string();
    tidy.push('\n');
    tidy
}

/// What the templates receive: every field of `Metrics` at the top level,
/// plus a few look-ups that Tera cannot do conveniently.
#[derive(Serialize)]
struct ReportContext<'a> {
    #[serde(flatten)]
    metrics: &'a Metrics,
    /// `dataset.title`, or `政务微信发展报告（{period}）`.
    title: String,
    /// Share of each level, every level present (0 when it has no accounts).
    level_share: BTreeMap<&'static str, f64>,
    /// The service-account row (服务号), when there is one.
    service: Option<&'a AccountTypeRow>,
    /// Chinese name of each maturity quadrant, by slug.
    quadrant_labels: BTreeMap<&'static str, &'static str>,
}

const LEVELS: [&str; 6] = [
    "central",
    "provincial",
    "municipal",
    "county",
    "township",
    "unknown",
];

const QUADRANTS: [(&str, &str); 4] = [
    ("active", "活跃"),
    ("potential", "潜力"),
    ("undeveloped", "待开发"),
    ("to_promote", "待推广"),
];

impl<'a> ReportContext<'a> {
    fn new(metrics: &'a Metrics) -> ReportContext<'a> {
        let title = match metrics.dataset.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => title.to_string(),
            _ => format!("政务微信发展报告（{}）", metrics.period),
        };
        let mut level_share: BTreeMap<_, _> = LEVELS.iter().map(|&l| (l, 0.0)).collect();
        for row in &metrics.levels {
            if let Some(&level) = LEVELS.iter().find(|&&l| l == row.level) {
                level_share.insert(level, row.share);
            }
        }
        ReportContext {
            metrics,
            title,
            level_share,
            service: metrics
                .account_types
                .iter()
                .find(|t| t.account_type == "service"),
            quadrant_labels: QUADRANTS.into_iter().collect(),
        }
    }
}
