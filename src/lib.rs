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
pub mod config;
pub mod dedup;
pub mod divisions;
pub mod explain;
pub mod fs;
pub mod gazetteer;
pub mod geo;
pub mod ingest;
pub mod metrics;
pub mod normalize;
pub mod progress;
pub mod publish;
pub mod render;

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use rayon::prelude::*;
use tracing::{info, warn};

use config::Settings;
use ingest::{FileKind, Input, Period};
use metrics::PeriodData;
use progress::Progress;
use publish::gates;
use publish::stamp::{self, Fingerprint, InputFile, RunRecord};
pub use publish::{GateHit, GatesKept, Locked};
use render::OutputFile;

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
    /// 0, or 3 when a gate set to publish was hit (SPEC §7).
    pub exit_code: u8,
    /// Data-quality figures of the subject period (`check` prints them).
    pub quality: Option<metrics::Quality>,
}

/// Runs the whole pipeline and publishes the report, without progress bars.
pub fn run(options: &RunOptions) -> Result<RunSummary> {
    run_with(options, &RunControl::default())
}

/// Runs the whole pipeline and publishes the report (SPEC §7): under the
/// output's lock, after removing what interrupted runs left, and only when
/// something changed since the published report (or `force`). A hit gate
/// set to keep the previous report gives a [`GatesKept`] error.
pub fn run_with(options: &RunOptions, control: &RunControl) -> Result<RunSummary> {
    publish::check_output(&options.output, &options.input)?;
    let setup = Setup::load(options)?;
    let (subject, baseline) = choose_periods(&setup.input, options)?;
    let _lock = publish::OutputLock::acquire(&options.output)?;
    for path in publish::clean_leftovers(&options.output)? {
        info!("removed `{}`, left by an interrupted run", path.display());
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
    let inputs = timed("fingerprint", || stamp::input_files(&options.input))?;
    let mut analysis = analyse(subject, baseline, &setup, &control.progress)?;
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
    let written = write_files(&staging, &analysis, &periods, &setup, &control.progress)?;
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
    timed("publish", || staging.publish(&manifest, started))?;
    Ok(analysis.summary(options, RunStatus::Published, record.gates_hit))
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
    let data = process_period(period, &setup.settings, &|| {})?;
    explain::explain(&data, &setup.settings, query).map_err(|e| UsageError(format!("{e:#}")).into())
}

struct Setup {
    settings: Settings,
    templates: render::Templates,
    input: Input,
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
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            inputs,
        }
    }
}

/// The periods read and the figures computed from them.
struct Analysis {
    subject: PeriodData,
    baseline: Option<PeriodData>,
    metrics: metrics::Metrics,
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
        let data = process_period(period, &setup.settings, &|| bar.inc(1));
        bar.finish();
        data
    };
    let subject = timed("ingest+normalize+dedup", || read(subject))?;
    let baseline = match baseline {
        Some(period) => Some(timed("baseline", || read(period))?),
        None => None,
    };
    let mut metrics = timed("metrics", || {
        Ok(metrics::compute(
            &subject,
            baseline.as_ref(),
            &setup.input.dataset,
            &setup.settings,
            generated_on(),
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
        metrics,
    })
}

/// The report files, in memory. `check` renders only these: the quality
/// files have nothing to validate and are only ever written.
fn render_report(analysis: &Analysis, setup: &Setup) -> Result<Vec<OutputFile>> {
    render::render_report(&analysis.metrics, &setup.templates)
}

/// Renders the report and the quality files into `staging`, the quality
/// files written row by row to their file while the report is rendered;
/// the paths and sizes of all. The manifest is the caller's.
fn write_files(
    staging: &publish::Staging,
    analysis: &Analysis,
    periods: &[&PeriodData],
    setup: &Setup,
    progress: &Progress,
) -> Result<Vec<stamp::OutputEntry>> {
    let quality = audit::quality_files(periods, &setup.settings);
    let bar = progress.stage("render", None);
    let on_file = || bar.tick();
    let written = timed("render", || {
        let (report, quality) = rayon::join(
            || staging.write(&render_report(analysis, setup)?, &on_file),
            || staging.stream(&quality, &on_file),
        );
        Ok([report?, quality?].concat())
    });
    bar.finish_and_clear();
    written
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
        None => ingest::period::year_before(&subject.name)
            .and_then(|name| input.periods.iter().find(|p| p.name == name)),
    };
    Ok((subject, baseline))
}

/// Reads, normalises and links one period, then reads its activity rows
/// against the accounts. Files are read in parallel; results keep path order
/// whatever the thread count. `on_file` is called as each registry file is
/// read (for progress).
pub fn process_period(
    period: &Period,
    settings: &Settings,
    on_file: &(dyn Fn() + Sync),
) -> Result<PeriodData> {
    let (mut files, records, strings) = timed_value("read registry", || {
        // Each batch's strings, and how many records refer to them.
        let mut tables: Vec<(normalize::Strings, usize)> = Vec::new();
        let (files, mut records) = read_sources(
            &period.files,
            &[FileKind::Registry],
            &settings.limits,
            on_file,
            &Registry(settings),
            |strings, records| tables.push((strings.finish(), records.len())),
        );
        // One table of every batch's strings, sorted: equal strings from
        // several batches become one, and symbols compare as their text.
        let sizes: Vec<(usize, usize)> = tables.iter().map(|(t, n)| (t.len(), *n)).collect();
        let all = normalize::Strings::concat(tables.into_iter().map(|(t, _)| t).collect());
        let (strings, renamed) = all.sorted();
        let mut pieces = Vec::with_capacity(sizes.len());
        let (mut rest, mut renamed_rest) = (&mut records[..], &renamed[..]);
        for (strings_in_batch, records_in_batch) in sizes {
            let (piece, after) = rest.split_at_mut(records_in_batch);
            let (names, names_after) = renamed_rest.split_at(strings_in_batch);
            pieces.push((piece, names));
            (rest, renamed_rest) = (after, names_after);
        }
        pieces
            .into_par_iter()
            .for_each(|(piece, renamed)| piece.iter_mut().for_each(|r| r.rename(renamed)));
        (files, records, strings)
    });
    if records.is_empty() {
        // Say why each file gave nothing: that is what the user must fix.
        let reasons: String = files
            .iter()
            .map(|f| match &f.skipped {
                Some(reason) => format!("\n  `{}`: skipped: {reason}", f.path),
                None => format!(
                    "\n  `{}`: {} records read, none accepted",
                    f.path, f.records_read
                ),
            })
            .collect();
        return Err(NoInput(format!(
            "period `{}` has no usable registry records ({} files); nothing to report{reasons}",
            period.name,
            files.len()
        ))
        .into());
    }
    let source_paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let source_rank = source_ranks(&source_paths, settings);
    let linked = timed_value("dedup", || dedup::link(&records, &strings, &source_rank));
    let activity = timed_value("read activity", || {
        read_activity(
            period,
            &settings.limits,
            &mut files,
            &records,
            &strings,
            &linked,
            &source_rank,
        )
    });
    info!(
        "period {}: {} sources, {} records, {} accounts, {} conflicts, {} activity rows",
        period.name,
        files.len(),
        records.len(),
        linked.accounts.len(),
        linked.conflicts.len(),
        activity.rows_matched
    );
    for file in files.iter().filter(|f| f.skipped.is_some()) {
        warn!(
            "skipped `{}`: {}",
            file.path,
            file.skipped.as_deref().unwrap_or_default()
        );
    }
    for file in &files {
        for column in &file.extra_columns {
            match ingest::header::suggest(column) {
                Some((spelling, known)) => warn!(
                    "`{}`: column `{column}` is not read (did you mean `{spelling}`, {}?)",
                    file.path,
                    known.name()
                ),
                None => warn!("`{}`: column `{column}` is not read", file.path),
            }
        }
    }
    Ok(PeriodData {
        name: period.name.clone(),
        files,
        records,
        strings,
        linked,
        activity,
    })
}

/// A value read from a source, whose origin names its sheet.
trait Sourced {
    fn origin_mut(&mut self) -> &mut normalize::Origin;
}

impl Sourced for normalize::Record {
    fn origin_mut(&mut self) -> &mut normalize::Origin {
        &mut self.origin
    }
}

impl Sourced for activity::MatchedRow {
    fn origin_mut(&mut self) -> &mut normalize::Origin {
        &mut self.origin
    }
}

/// Registry records, each batch's text interned apart.
struct Registry<'a>(&'a Settings);

impl ingest::Visitor for Registry<'_> {
    type State = normalize::Interner;
    type Value = normalize::Record;

    fn new_state(&self) -> normalize::Interner {
        // About four new strings of some 30 bytes per record.
        normalize::Interner::with_capacity(4 * ingest::BATCH, 128 * ingest::BATCH)
    }

    fn visit(
        &self,
        strings: &mut normalize::Interner,
        raw: &ingest::RawRecord<'_>,
    ) -> std::result::Result<normalize::Record, ingest::RowError> {
        normalize::registry_record(raw, self.0, strings)
    }

    fn end_batch(&self, strings: &mut normalize::Interner) {
        // Kept until every file is read: without the table and spare room.
        strings.compact();
    }
}

/// Reads files in parallel. Returns one report per source (a text file, or
/// a workbook sheet) in path order, and the accepted values, whose
/// `origin.file` is set to their source's index in that list. `absorb` takes
/// each batch's state and values, in order.
fn read_sources<V>(
    files: &[ingest::SourceFile],
    kinds: &[FileKind],
    limits: &config::Limits,
    on_file: &(dyn Fn() + Sync),
    visitor: &V,
    mut absorb: impl FnMut(V::State, &mut [V::Value]),
) -> (Vec<ingest::FileReport>, Vec<V::Value>)
where
    V: ingest::Visitor,
    V::Value: Sourced,
{
    let read: Vec<_> = files
        .par_iter()
        .map(|file| {
            let read = ingest::read_file(file, kinds, limits, visitor);
            on_file();
            read
        })
        .collect();
    // Sized once: growing by doubling would copy the values again and, for
    // a while, hold up to twice their memory beside the batches.
    let total = read
        .iter()
        .flatten()
        .flat_map(|(_, batches)| batches)
        .map(|(_, values)| values.len())
        .sum();
    let mut reports = Vec::with_capacity(read.len());
    let mut values = Vec::with_capacity(total);
    for (report, batches) in read.into_iter().flatten() {
        let source = reports.len() as u32;
        for (state, batch) in batches {
            let first = values.len();
            values.extend(batch.into_iter().map(|mut value| {
                value.origin_mut().file = source;
                value
            }));
            absorb(state, &mut values[first..]);
        }
        reports.push(report);
    }
    (reports, values)
}

/// Reads the activity tables that the registry pass recognised and set
/// aside, matching each row to an account; their reports replace the
/// set-aside ones.
fn read_activity(
    period: &Period,
    limits: &config::Limits,
    files: &mut [ingest::FileReport],
    records: &[normalize::Record],
    strings: &normalize::Strings,
    linked: &dedup::Linked,
    source_rank: &[u32],
) -> activity::PeriodActivity {
    let set_aside = |file: &ingest::SourceFile| {
        files
            .iter()
            .any(|f| f.kind == Some(FileKind::Activity.name()) && is_source_of(&f.path, file))
    };
    let wanted: Vec<ingest::SourceFile> = period
        .files
        .iter()
        .filter(|f| set_aside(f))
        .cloned()
        .collect();
    let index = activity::AccountIndex::new(records, strings, linked, &period.name);
    let (reports, mut rows) = read_sources(
        &wanted,
        &[FileKind::Activity],
        limits,
        &|| {},
        &|raw: &ingest::RawRecord<'_>| {
            normalize::activity_record(raw).and_then(|row| index.resolve(row))
        },
        |(), _| {},
    );
    let renumber = adopt_activity_reports(files, reports);
    rows.retain_mut(|row| match renumber[row.origin.file as usize] {
        Some(source) => {
            row.origin.file = source;
            true
        }
        None => false,
    });
    activity::measure(rows, linked, source_rank)
}

/// Keeps the activity pass's report for each sheet it read as activity, in
/// place of the registry pass's, and says where each of its reports went.
/// A file that changed between the two passes (a sheet that only one pass
/// saw, or that changed kind) is not half-read: its activity rows are
/// dropped and the file is reported as skipped, with why.
fn adopt_activity_reports(
    files: &mut [ingest::FileReport],
    reports: Vec<ingest::FileReport>,
) -> Vec<Option<u32>> {
    const CHANGED: &str =
        "the file changed while govwx read it (its sheets differ between the two passes): not read; run again";
    let mut renumber = Vec::with_capacity(reports.len());
    for report in reports {
        let source = files.iter().position(|f| f.path == report.path);
        let adopted = match source {
            Some(source) if report.kind == Some(FileKind::Activity.name()) => {
                files[source] = report;
                Some(source as u32)
            }
            Some(_) => None,
            None => {
                // A sheet the first pass never saw: mark its file's first
                // sheet (the workbook itself) as skipped.
                let file = report.path.split('#').next().unwrap_or_default();
                if let Some(first) = files.iter_mut().find(|f| f.path == file) {
                    first.skipped = Some(CHANGED.to_owned());
                }
                None
            }
        };
        if adopted.is_none() {
            if let Some(source) = source {
                files[source].skipped = Some(CHANGED.to_owned());
            }
        }
        renumber.push(adopted);
    }
    renumber
}

/// Whether a source label (`a.xlsx`, `a.xlsx#Sheet2`) is a sheet of `file`.
fn is_source_of(label: &str, file: &ingest::SourceFile) -> bool {
    label
        .strip_prefix(file.relative.as_str())
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
}

/// Each source's position in priority: config patterns first, then path
/// (sheets of one workbook keep their order).
fn source_ranks(paths: &[&str], settings: &Settings) -> Vec<u32> {
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by_key(|&i| (settings.source_rank(paths[i]), paths[i], i));
    let mut rank = vec![0; order.len()];
    for (position, &source) in order.iter().enumerate() {
        rank[source] = position as u32;
    }
    rank
}

/// The report's date from `SOURCE_DATE_EPOCH`; no clock time otherwise.
fn generated_on() -> Option<String> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    normalize::Date::from_days(seconds.div_euclid(86_400)).map(|d| d.to_string())
}

fn timed<T>(stage: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    timed_value(stage, f)
}

/// Runs `f` and logs its time as a stage's: wall time, and where the system
/// tells them, the CPU time of all threads (on a shared machine the steadier
/// of the two) and the peak memory so far.
fn timed_value<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let (start, cpu_start) = (Instant::now(), process_cpu_seconds());
    let result = f();
    let wall = start.elapsed().as_secs_f64();
    match (cpu_start, process_cpu_seconds(), peak_rss_mb()) {
        (Some(a), Some(b), Some(peak)) => {
            info!(
                "stage {stage}: {wall:.3}s (cpu {:.3}s, peak rss {peak} MB)",
                b - a
            )
        }
        _ => info!("stage {stage}: {wall:.3}s"),
    }
    result
}

#[cfg(target_os = "linux")]
fn process_cpu_seconds() -> Option<f64> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Some(t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9)
}

/// The process's peak resident memory so far (`VmHWM`), in MB.
#[cfg(target_os = "linux")]
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[cfg(not(target_os = "linux"))]
fn process_cpu_seconds() -> Option<f64> {
    None
}

#[cfg(not(target_os = "linux"))]
fn peak_rss_mb() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(path: &str, kind: Option<FileKind>) -> ingest::FileReport {
        ingest::FileReport {
            path: path.to_owned(),
            kind: kind.map(FileKind::name),
            records_read: 3,
            ..ingest::FileReport::default()
        }
    }

    #[test]
    fn a_workbook_that_changes_between_the_passes_is_skipped_not_a_panic() {
        let mut files = vec![
            report("2014/a.csv", Some(FileKind::Registry)),
            report("2014/b.xlsx", Some(FileKind::Activity)),
            report("2014/c.xlsx", Some(FileKind::Activity)),
        ];
        let second = vec![
            report("2014/b.xlsx", Some(FileKind::Activity)),
            // Renamed since the first pass: a sheet it never saw.
            report("2014/c.xlsx#New", Some(FileKind::Activity)),
            // Once activity, now registry.
            report("2014/c.xlsx", Some(FileKind::Registry)),
        ];
        let renumber = adopt_activity_reports(&mut files, second);
        assert_eq!(renumber, [Some(1), None, None]);
        assert!(files[1].skipped.is_none());
        assert!(files[2]
            .skipped
            .as_deref()
            .is_some_and(|r| r.contains("changed")));
        assert!(files[0].skipped.is_none());
    }
}
