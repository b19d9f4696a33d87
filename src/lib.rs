//! govwx: raw exports about China's government WeChat accounts in, an annual
//! white paper out.
//!
//! The pipeline, in the order data flows: `ingest` (files → raw records) →
//! `normalize` (raw records → records) → `dedup` (records → accounts) →
//! `metrics` (accounts → figures) → `render` (figures → files) → `publish`
//! (files → `output/`, atomically). `run` below calls them in that order and
//! logs each stage's time.

pub mod activity;
pub mod audit;
pub mod central;
pub mod config;
pub mod dedup;
pub mod divisions;
pub mod explain;
pub mod fs;
pub mod gazetteer;
pub mod geo;
pub mod influence;
pub mod ingest;
pub mod labels;
pub mod metrics;
pub mod normalize;
mod parallel;
pub mod pdf;
pub mod period;
pub mod progress;
pub mod publish;
pub mod render;
pub mod text;
mod timing;
pub mod wci;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
use tracing::{info, warn};

use config::Settings;
use ingest::{Input, Period};
use period::{process_period, Keep, PeriodData};
use progress::Progress;
use publish::gates;
use publish::stamp::{self, Fingerprint, InputFile, RunRecord};
pub use publish::{GateHit, GatesKept, Locked};
use render::OutputFile;
use timing::timed;

/// A mistake in how govwx was called or configured: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// No usable input: exit code 1, nothing published.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoInput(pub String);

/// What `govwx run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub input: PathBuf,
    pub output: PathBuf,
    pub period: Option<String>,
    pub baseline: Option<String>,
    pub config: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// `SOURCE_DATE_EPOCH` (seconds), as the caller read it: the report's
    /// date. The library reads no environment of its own.
    pub source_date_epoch: Option<String>,
    /// `--pdf`: the Chromium to print `report.pdf` and `report.en.pdf`
    /// with, found by the caller ([`pdf::find_chromium`]) before the run.
    pub pdf: Option<PathBuf>,
}

/// How a run behaves beyond what it reads and writes.
#[derive(Clone, Default)]
pub struct RunControl {
    /// Rebuild even when the output is up to date with its inputs.
    pub force: bool,
    /// Where stages show their progress (hidden by default).
    pub progress: Progress,
}

/// What became of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// A new report was published.
    Published,
    /// Nothing had changed since the report in the output was built.
    UpToDate,
    /// `govwx check`: everything was read and validated, nothing written.
    Checked,
}

/// What a run did, for the final summary line and the exit code.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub period: String,
    pub accounts: u64,
    pub records_read: u64,
    pub records_rejected: u64,
    pub output: PathBuf,
    pub status: RunStatus,
    /// Quality gates the report hit; for `UpToDate`, those recorded.
    pub gates_hit: Vec<GateHit>,
    /// 0, or 3 when a gate set to publish was hit (docs/CONTRACT.md §7).
    pub exit_code: u8,
    /// Data-quality figures of the subject period (`check` prints them).
    pub quality: Option<metrics::Quality>,
}

/// Runs the whole pipeline and publishes the report, without progress bars.
pub fn run(options: &RunOptions) -> Result<RunSummary> {
    run_with(options, &RunControl::default())
}

/// Runs the whole pipeline and publishes the report (docs/CONTRACT.md §7): under the
/// output's lock, after removing what interrupted runs left, and only when
/// something changed since the published report (or `force`). A hit gate
/// set to keep the previous report gives a [`GatesKept`] error.
pub fn run_with(options: &RunOptions, control: &RunControl) -> Result<RunSummary> {
    publish::check_output(&options.output, &options.input)?;
    let setup = Setup::load(options)?;
    let (subject, baseline) = choose_periods(&setup.input, options)?;
    let _lock = publish::OutputLock::acquire(&options.output)?;
    for path in publish::clean_leftovers(&options.output)? {
        warn!("removed `{}`, left by an interrupted run", path.display());
    }
    let started = SystemTime::now();
    let expected = setup.fingerprint(options, Vec::new());
    if !control.force {
        if let Some(record) = stamp::up_to_date(&options.output, &options.input, &expected) {
            info!(
                "`{}` is up to date with its inputs",
                options.output.display()
            );
            return Ok(up_to_date_summary(record, options));
        }
    }
    let mut analysis = analyse(subject, baseline, &setup, &control.progress)?;
    let inputs = timed("fingerprint", || {
        // The files read are hashed as they were read.
        let trend = analysis
            .trend_files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes, f.sha256.as_str()));
        let read = analysis
            .periods()
            .into_iter()
            .flat_map(|p| &p.files)
            .map(|f| (f.path.as_str(), f.bytes, f.sha256.as_str()))
            .chain(trend)
            .filter(|(_, _, sha256)| !sha256.is_empty())
            .map(|(path, bytes, sha256)| (path, (bytes, sha256)))
            .collect();
        stamp::input_files(&options.input, &read)
    })?;
    let gates_hit = gates_for(&analysis, &setup.settings, &options.output);
    analysis.metrics.quality_gates = gates_hit
        .iter()
        .map(|hit| metrics::QualityGate {
            gate: hit.gate.clone(),
            limit: hit.limit,
            value: hit.value,
            message: hit.message.clone(),
        })
        .collect();
    if gates::exit_code(&gates_hit) == 4 {
        let kept = options.output.join("manifest.json").exists();
        return Err(GatesKept {
            hits: gates_hit,
            kept,
        }
        .into());
    }
    let periods = analysis.periods();
    let staging = publish::Staging::create(&options.output)?;
    let mut written = write_files(&staging, &analysis, &periods, &setup, &control.progress)?;
    if let Some(chromium) = &options.pdf {
        written.extend(timed("pdf", || {
            print_pdfs(&staging, chromium, options.source_date_epoch.as_deref())
        })?);
    }
    let record = RunRecord {
        fingerprint: setup.fingerprint(options, inputs),
        period: analysis.metrics.period.clone(),
        accounts: analysis.metrics.totals.accounts,
        records_rejected: analysis.metrics.quality.records_rejected,
        exit_code: gates::exit_code(&gates_hit),
        gates_hit,
        outputs: RunRecord::entries(written),
    };
    let manifest = audit::manifest(
        &periods,
        &setup.input,
        &setup.settings,
        &setup.templates,
        Some(&record),
    );
    let summary = analysis.summary(options, RunStatus::Published, record.gates_hit);
    drop(periods);
    // The periods' records, strings and accounts (hundreds of MB) are freed
    // while the previous report is removed: both wait on the kernel.
    let (published, ()) = rayon::join(
        || timed("publish", || staging.publish(&manifest, started)),
        move || drop(analysis),
    );
    published?;
    Ok(summary)
}

/// `govwx check`: reads and validates everything a run would (inputs,
/// config, templates, the gates against the published report) and writes
/// nothing. Takes no lock.
pub fn check(options: &RunOptions, control: &RunControl) -> Result<RunSummary> {
    publish::check_output(&options.output, &options.input)?;
    let setup = Setup::load(options)?;
    let (subject, baseline) = choose_periods(&setup.input, options)?;
    let analysis = analyse(subject, baseline, &setup, &control.progress)?;
    timed("render", || render_report(&analysis, &setup))?;
    let gates_hit = gates_for(&analysis, &setup.settings, &options.output);
    Ok(analysis.summary(options, RunStatus::Checked, gates_hit))
}

/// The configuration, templates and input layout of a run, each checked.
/// How the accounts a query names were formed, for the report's subject
/// period (or `options.period`); see `explain`.
pub fn explain(options: &RunOptions, query: &str) -> Result<String> {
    let setup = Setup::load(options)?;
    let (period, _) = choose_periods(&setup.input, options)?;
    let data = process_period(period, &setup.settings, &|| {}, Keep::Records)?;
    explain::explain(&data, &setup.settings, query).map_err(|e| UsageError(format!("{e:#}")).into())
}

struct Setup {
    settings: Settings,
    templates: render::Templates,
    input: Input,
    source_date_epoch: Option<String>,
}

impl Setup {
    fn load(options: &RunOptions) -> Result<Setup> {
        let settings = match &options.config {
            Some(path) => Settings::load(path).map_err(|e| UsageError(format!("{e:#}")))?,
            None => Settings::builtin(),
        };
        let templates = render::Templates::load(options.templates.as_deref())
            .map_err(|e| UsageError(format!("{e:#}")))?;
        let input = timed("discover", || {
            ingest::discover(&options.input, &settings.default_period)
        })?;
        for skipped in &input.skipped {
            warn!("skipped `{}`: {}", skipped.path, skipped.reason);
        }
        Ok(Setup {
            settings,
            templates,
            input,
            source_date_epoch: options.source_date_epoch.clone(),
        })
    }

    /// What the report depends on, with `inputs` as given.
    fn fingerprint(&self, options: &RunOptions, inputs: Vec<InputFile>) -> Fingerprint {
        Fingerprint {
            govwx_version: env!("CARGO_PKG_VERSION").to_owned(),
            config_sha256: self.settings.config_sha256.clone(),
            templates_sha256: self.templates.fingerprint(),
            period: options.period.clone(),
            baseline: options.baseline.clone(),
            source_date_epoch: options.source_date_epoch.clone(),
            pdf: options.pdf.is_some(),
            inputs,
        }
    }
}

/// The periods read and the figures computed from them.
struct Analysis {
    subject: PeriodData,
    baseline: Option<PeriodData>,
    /// The files of the trend's other periods, hashed as they were read.
    trend_files: Vec<ReadFile>,
    metrics: metrics::Metrics,
}

/// A file read for the trend only.
struct ReadFile {
    path: String,
    bytes: u64,
    sha256: String,
}

impl Analysis {
    /// The periods read, oldest first.
    fn periods(&self) -> Vec<&PeriodData> {
        self.baseline.iter().chain([&self.subject]).collect()
    }

    fn summary(
        &self,
        options: &RunOptions,
        status: RunStatus,
        gates_hit: Vec<GateHit>,
    ) -> RunSummary {
        RunSummary {
            period: self.metrics.period.clone(),
            accounts: self.metrics.totals.accounts,
            records_read: self.metrics.quality.records_read,
            records_rejected: self.metrics.quality.records_rejected,
            output: options.output.clone(),
            status,
            exit_code: gates::exit_code(&gates_hit),
            gates_hit,
            quality: Some(self.metrics.quality.clone()),
        }
    }
}

fn analyse(
    subject: &Period,
    baseline: Option<&Period>,
    setup: &Setup,
    progress: &Progress,
) -> Result<Analysis> {
    let read = |period: &Period| {
        let bar = progress.stage(&period.name, Some(period.files.len() as u64));
        let data = process_period(period, &setup.settings, &|| bar.inc(1), Keep::Origins);
        bar.finish();
        data
    };
    let subject_period = subject;
    let subject = timed("ingest+normalize+dedup", || read(subject))?;
    let baseline_period = baseline;
    let baseline = match baseline {
        Some(period) => Some(timed("baseline", || read(period))?),
        None => None,
    };
    // The trend: every period of the subject's kind up to the subject. The
    // subject and baseline are counted as read; any other is read, counted
    // and dropped, keeping only the hashes of its files.
    let mut trend = Vec::new();
    let mut trend_files = Vec::new();
    for period in trend_periods(&setup.input, subject_period) {
        let counts = if period.name == subject.name {
            metrics::PeriodCounts::of(&subject)
        } else if let Some(b) = baseline
            .as_ref()
            .filter(|_| baseline_period.is_some_and(|b| b.name == period.name))
        {
            metrics::PeriodCounts::of(b)
        } else {
            let data = timed("trend", || read(period))?;
            trend_files.extend(data.files.iter().map(|f| ReadFile {
                path: f.path.clone(),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
            }));
            metrics::PeriodCounts::of(&data)
        };
        trend.push(counts);
    }
    let mut metrics = timed("metrics", || {
        Ok(metrics::compute(
            &subject,
            baseline.as_ref(),
            &trend,
            &setup.input.dataset,
            &setup.settings,
            generated_on(setup.source_date_epoch.as_deref()),
        ))
    })?;
    // What discovery passed over below the input folder comes first.
    let discovered = setup.input.skipped.iter().map(|s| metrics::SkippedEntry {
        path: s.path.clone(),
        reason: s.reason.clone(),
    });
    let skipped = std::mem::take(&mut metrics.quality.skipped);
    metrics.quality.skipped = discovered.chain(skipped).collect();
    Ok(Analysis {
        subject,
        baseline,
        trend_files,
        metrics,
    })
}

/// The periods of the trend: those of the subject's kind (years for a
/// year) up to the subject, oldest first; only the subject for a period
/// without a name in time.
fn trend_periods<'a>(input: &'a Input, subject: &'a Period) -> Vec<&'a Period> {
    let Some(when) = subject.when else {
        return vec![subject];
    };
    let mut periods: Vec<&Period> = input
        .periods
        .iter()
        .filter(|p| {
            p.when.is_some_and(|w| {
                std::mem::discriminant(&w) == std::mem::discriminant(&when) && w <= when
            })
        })
        .collect();
    periods.sort_by_key(|p| p.when);
    periods
}

/// The report files, in memory. `check` renders only these: the quality
/// files have nothing to validate and are only ever written.
fn render_report(analysis: &Analysis, setup: &Setup) -> Result<Vec<OutputFile>> {
    render::render_report(&analysis.metrics, &setup.templates)
}

/// Renders the report, the quality files and the WCI ranking into
/// `staging`, the quality files and the ranking written row by row to
/// their file while the report is rendered; the paths and sizes of all.
/// The manifest is the caller's.
fn write_files(
    staging: &publish::Staging,
    analysis: &Analysis,
    periods: &[&PeriodData],
    setup: &Setup,
    progress: &Progress,
) -> Result<Vec<stamp::OutputEntry>> {
    let mut streamed = audit::quality_files(periods, &setup.settings);
    streamed.push(render::influence_table(
        &analysis.metrics,
        &analysis.subject,
        &setup.settings,
    ));
    let bar = progress.stage("render", None);
    let on_file = || bar.tick();
    let written = timed("render", || {
        let (report, quality) = rayon::join(
            || staging.write(&render_report(analysis, setup)?, &on_file),
            || staging.stream(&streamed, &on_file),
        );
        Ok([report?, quality?].concat())
    });
    bar.finish_and_clear();
    written
}

/// The pages printed by `--pdf`: each edition of the report, from its
/// staged HTML to a PDF beside it.
const PDF_PAGES: [(&str, &str); 2] = [
    ("report.html", "report.pdf"),
    ("report.en.html", "report.en.pdf"),
];

/// Prints the staged report pages to PDF with `chromium`, one after the
/// other (each browser uses the cores it finds); the PDFs' paths and sizes.
fn print_pdfs(
    staging: &publish::Staging,
    chromium: &Path,
    source_date_epoch: Option<&str>,
) -> Result<Vec<stamp::OutputEntry>> {
    PDF_PAGES
        .iter()
        .map(|(html, pdf)| {
            let page = staging.path_of(html);
            staging.produce(pdf, |to| pdf::print(chromium, &page, to, source_date_epoch))
        })
        .collect()
}

/// The gates the analysed report hits, against the report in `output`.
fn gates_for(analysis: &Analysis, settings: &Settings, output: &Path) -> Vec<GateHit> {
    let quality = &analysis.metrics.quality;
    let hits = gates::evaluate(
        &settings.gates,
        &gates::Figures {
            records_read: quality.records_read,
            records_rejected: quality.records_rejected,
            accounts: analysis.metrics.totals.accounts,
            previous_accounts: gates::published_accounts(output),
        },
    );
    for hit in &hits {
        warn!("quality gate `{}` hit: {}", hit.gate, hit.message);
    }
    hits
}

fn up_to_date_summary(record: RunRecord, options: &RunOptions) -> RunSummary {
    RunSummary {
        period: record.period,
        accounts: record.accounts,
        records_read: 0,
        records_rejected: record.records_rejected,
        output: options.output.clone(),
        status: RunStatus::UpToDate,
        exit_code: record.exit_code,
        gates_hit: record.gates_hit,
        quality: None,
    }
}

/// The subject period (`--period`, else the newest) and its baseline
/// (`--baseline`, else the same period a year earlier when it exists).
fn choose_periods<'a>(
    input: &'a Input,
    options: &RunOptions,
) -> Result<(&'a Period, Option<&'a Period>)> {
    let find = |name: &str| {
        let name = ingest::period::canonical(name);
        input
            .periods
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = input.periods.iter().map(|p| p.name.as_str()).collect();
                UsageError(format!(
                    "no period `{name}` in the input; it has: {}",
                    known.join(", ")
                ))
            })
    };
    let subject = match &options.period {
        Some(name) => find(name)?,
        None => input.periods.last().context("the input has no periods")?,
    };
    let baseline = match &options.baseline {
        Some(name) => Some(find(name)?),
        None => subject
            .when
            .and_then(ingest::period::year_before)
            .and_then(|before| input.periods.iter().find(|p| p.when == Some(before))),
    };
    let names: Vec<&str> = input.periods.iter().map(|p| p.name.as_str()).collect();
    info!(
        "periods found: {}; subject {}, baseline {}",
        names.join(", "),
        subject.name,
        baseline.map_or("none", |b| b.name.as_str())
    );
    Ok((subject, baseline))
}

/// The report's date from `SOURCE_DATE_EPOCH`; no clock time otherwise.
fn generated_on(source_date_epoch: Option<&str>) -> Option<String> {
    let seconds: i64 = source_date_epoch?.trim().parse().ok()?;
    normalize::Date::from_days(seconds.div_euclid(86_400)).map(|d| d.to_string())
}
