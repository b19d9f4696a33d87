//! Render: figures in, report files out.
//!
//! This stage turns a [`Metrics`] value into the files of the output tree:
//! the white paper in Markdown and as one self-contained HTML page, every
//! figure as `metrics.json`, and the lists as CSV tables. It is pure (same
//! figures, same bytes: no clock, no hash-map order) and writes nothing
//! itself; the caller publishes the files. Data never becomes markup: text
//! is escaped for Markdown by the templates' `md` filter and again guarded
//! when the Markdown becomes HTML.

mod charts;
mod context;
mod defaults;
mod edition;
mod filters;
mod markdown;
mod provinces;
mod tables;
mod templates;

#[cfg(test)]
mod tests;

use std::io::Write;

use anyhow::{Context as _, Result};

use crate::metrics::Metrics;

pub use defaults::write_defaults;
pub(crate) use tables::influence_table;
pub use tables::{csv_bytes, rows_in_parallel, Cell, CsvWriter};
pub use templates::Templates;

use context::ReportContext;
use edition::Edition;

/// One file of the output tree, relative path with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes below the output folder: `report.md`, `tables/levels.csv`.
    pub path: String,
    /// The file's exact contents.
    pub bytes: Vec<u8>,
}

/// A file of the output tree too large to hold in memory (the audit files:
/// 100+ MB at scale), written by `write` straight to its place.
pub struct StreamedFile<'a> {
    /// Where the file goes below the output folder: `quality/accounts.csv`.
    pub path: &'static str,
    /// Writes the file's exact contents; the writer buffers.
    #[allow(clippy::type_complexity)]
    pub write: Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + Send + Sync + 'a>,
}

/// Every edition of the report (`report.md`, `report.html`,
/// `report.en.md`, `report.en.html`), the province pages
/// (`provinces/*.md`, `provinces/*.html`), metrics.json and tables/*.csv
/// for these figures, but for the WCI ranking's table, which
/// `influence_table` streams from the period's accounts.
pub fn render_report(metrics: &Metrics, templates: &Templates) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for edition in Edition::ALL {
        files.extend(render_edition(metrics, edition, templates)?);
    }
    files.extend(provinces::render_provinces(metrics, templates)?);
    files.push(file("metrics.json", metrics_json(metrics)?));
    files.extend(tables::metric_tables(metrics));
    Ok(files)
}

/// One edition's report. Its template is rendered twice: with `target =
/// "md"` for the Markdown file, whose chart markers are dropped (each
/// chart's table is already in place), and with `target = "html"`, whose
/// Markdown becomes the page body with each marker replaced by the chart's
/// SVG, drawn in Rust.
fn render_edition(
    metrics: &Metrics,
    edition: Edition,
    templates: &Templates,
) -> Result<[OutputFile; 2]> {
    let figures = edition.figures(metrics);
    let mut context = tera::Context::from_serialize(ReportContext::new(&figures, edition))
        .context("failed to prepare the figures for the templates")?;
    context.insert("target", "md");
    let captions = edition.captions(&figures.dataset, &figures.period);
    let report_md =
        markdown::to_markdown(&templates.render(edition.template(), &context)?, &captions);
    let report_md = trim_blank_lines(&report_md);
    context.insert("target", "html");
    let html_md = templates.render(edition.template(), &context)?;
    let page = markdown::to_page(&html_md, &charts::all(&figures, edition), &captions);
    context.insert("head", &page.head);
    context.insert("body", &page.body);
    context.insert("toc", &page.toc);
    // Printed, the report's head (title, notices, key findings) is its
    // cover page; a province page has none.
    context.insert("cover", &true);
    let report_html = trim_blank_lines(&templates.render(templates::LAYOUT_HTML, &context)?);
    let stem = edition.stem();
    Ok([
        file(&format!("{stem}.md"), report_md.into_bytes()),
        file(&format!("{stem}.html"), report_html.into_bytes()),
    ])
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
/// top) left them, and blocks leave blank lines around them: files start
/// with their first line, have no run of blank lines (a Markdown no-op
/// outside code blocks, which the report has none of) and end with one `\n`.
fn trim_blank_lines(text: &str) -> String {
    let mut tidy = String::with_capacity(text.len());
    let mut blank_run = true;
    for line in text.trim_end().split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if !(blank && blank_run) {
            tidy.push_str(if blank { "\n" } else { line });
        }
        blank_run = blank;
    }
    tidy.push('\n');
    tidy
}
