//! The `govwx` command: parses the command line, calls the library, prints
//! the error chain and one summary line, and chooses the exit code (docs/CONTRACT.md §7).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

/// mimalloc: the pipeline allocates and frees millions of small strings
/// (cells, names, keys), where glibc malloc showed ~15% of the profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Has mimalloc give freed memory back to the system at once, instead of a
/// second later (its default). The pipeline frees a stage's data in bulk
/// (the batch string tables as they are merged, the union-find before the
/// accounts are built) just before it allocates the next stage's, and the
/// memory kept for that second was a fifth of the peak: on 2M registry
/// rows, 910 → 727 MB, for about 10% more time, in page faults
/// (BENCHMARKS.md).
fn release_freed_memory_at_once() {
    use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};
    // `mi_option_purge_delay` in the `mimalloc.h` of the mimalloc the crate
    // builds (3.x); the bindings name only the stable options. Set only
    // where the option has purge_delay's default there, 1000 ms, so that
    // a renumbering in another mimalloc leaves the allocator as it is.
    const PURGE_DELAY: mi_option_t = 15;
    // SAFETY: reads and sets one allocator option by value; no pointer
    // crosses the boundary, and mimalloc allows it at any time.
    unsafe {
        if mi_option_get(PURGE_DELAY) == 1000 {
            mi_option_set(PURGE_DELAY, 0);
        }
    }
}
use govwx::progress::Progress;
use govwx::{
    GatesKept, Locked, NoInput, RunControl, RunOptions, RunStatus, RunSummary, UsageError,
};

/// Turn raw exports about China's government WeChat accounts (政务微信) into
/// an annual white paper: Markdown, a self-contained HTML page and tables.
///
/// Exit codes: 0 published (or already up to date), all quality gates
/// passed; 1 failure, nothing published (no usable input, I/O error, another
/// run holds the output); 2 usage or configuration error; 3 published but a
/// quality gate was hit; 4 a quality gate was hit and the previous report
/// was kept.
#[derive(Parser)]
#[command(name = "govwx", version, about, long_about)]
struct Cli {
    /// Log only errors, and print the summary line only when the exit code
    /// is not 0 (for cron).
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Log more: -v each stage's time and memory, each file's encoding,
    /// kind, header and columns, and the periods found; -vv debug; -vvv trace.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read the input folder, build the report and publish it to the output folder.
    ///
    /// The input holds one folder per period (2014, 2014H1, 2014Q3 or
    /// 2014-06) with CSV exports at any depth; the newest period is the
    /// report's subject and the same period a year earlier its baseline.
    /// When nothing changed since the published report, says so and repeats
    /// that run's exit code.
    Run {
        #[command(flatten)]
        report: ReportArgs,
        /// Rebuild even when the output is up to date.
        #[arg(long)]
        force: bool,
        /// Also print report.pdf and report.en.pdf (A4) with headless
        /// Chromium: `$CHROMIUM` if set, else `chromium`, `chromium-browser`
        /// or `google-chrome` on PATH. Without it, exit 2 before anything is
        /// read.
        #[arg(long)]
        pdf: bool,
        /// `json`: print one JSON object on stdout (status, exit code,
        /// counts, gates, warnings) for CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Read and validate everything (inputs, config, templates), print the
    /// data-quality summary and the quality gates, and write nothing.
    Check {
        #[command(flatten)]
        report: ReportArgs,
        /// `json`: print one JSON object on stdout instead of the summary.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show how one account was formed: its records (file:line) in source
    /// priority, the rule that linked each, the source of every field, and
    /// what decided its province, level and domain.
    Explain {
        /// An account key, original id, WeChat id or name (or part of one).
        query: String,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Print the configuration in effect: the built-in one, or `--config
    /// FILE` merged over it.
    Config {
        /// A configuration file holding only what it changes.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// List every column govwx reads from registry and activity tables:
    /// what it holds, whether it is required, and every accepted header.
    Columns,
    /// Write the built-in templates and configuration into a folder, for
    /// editing; then pass `--templates DIR --config DIR/govwx.toml`.
    Init {
        /// Folder to write to; existing files are never overwritten.
        #[arg(default_value = "govwx-custom")]
        dir: PathBuf,
    },
}

/// How `run` and `check` report on stdout.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people: `check` prints the data-quality summary.
    Text,
    /// One JSON object, for CI.
    Json,
}

/// What `run` and `check` read and where the report goes.
#[derive(Args)]
struct ReportArgs {
    /// Folder of raw exports.
    #[arg(long, default_value = "input")]
    input: PathBuf,
    /// Folder to publish the report to; replaced whole, atomically.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// Period to report on (default: the newest).
    #[arg(long)]
    period: Option<String>,
    /// Period to compare with (default: the same period a year earlier).
    #[arg(long)]
    baseline: Option<String>,
    /// Configuration file replacing the built-in rules (TOML).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Folder of templates overriding the built-in ones, file by file.
    #[arg(long)]
    templates: Option<PathBuf>,
}

impl ReportArgs {
    fn options(self) -> RunOptions {
        RunOptions {
            input: self.input,
            output: self.output,
            period: self.period,
            baseline: self.baseline,
            config: self.config,
            templates: self.templates,
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            pdf: None,
        }
    }
}

fn main() -> ExitCode {
    release_freed_memory_at_once();
    // A panic govwx contains (inside calamine, say) is reported as the
    // reason a file or row was skipped; printing it as a crash as well
    // would alarm whoever reads a cron job's mail.
    let report_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !govwx::ingest::panic_is_contained() {
            report_panic(info);
        }
    }));
    let cli = Cli::parse();
    let json = matches!(
        cli.command,
        Command::Run {
            format: Format::Json,
            ..
        } | Command::Check {
            format: Format::Json,
            ..
        }
    );
    let progress = Progress::on_stderr(!cli.quiet);
    init_logging(&cli, &progress);
    let started = Instant::now();
    match execute(cli.command, progress.clone()) {
        Ok((code, message)) => {
            if (!cli.quiet || code != 0) && !message.is_empty() {
                let seconds = started.elapsed().as_secs_f64();
                progress.eprintln(&message.replace("{time}", &format!("{seconds:.2}s")));
            }
            ExitCode::from(code)
        }
        Err(error) => {
            progress.eprintln(&format!("error: {error:#}"));
            let code = exit_code(&error);
            if json {
                let object = serde_json::json!({
                    "status": "error",
                    "exit_code": code,
                    "error": format!("{error:#}"),
                });
                let _ = print_out(&format!("{object}\n"));
            }
            ExitCode::from(code)
        }
    }
}

fn init_logging(cli: &Cli, progress: &Progress) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::INFO,
        (false, 2) => tracing::Level::DEBUG,
        (false, _) => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt()
        .with_writer(progress.log_writer())
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(level)
        .with_target(false)
        .without_time()
        .init();
}

/// Runs the command; gives the exit code and the summary line, in which
/// `{time}` stands for the elapsed time.
fn execute(command: Command, progress: Progress) -> anyhow::Result<(u8, String)> {
    match command {
        Command::Run {
            report,
            force,
            pdf,
            format,
        } => {
            let control = RunControl { force, progress };
            let mut options = report.options();
            if pdf {
                // Before anything is read: no browser, no run.
                let chromium = std::env::var_os("CHROMIUM");
                let path = std::env::var_os("PATH");
                options.pdf = Some(govwx::pdf::find_chromium(
                    chromium.as_deref(),
                    path.as_deref(),
                )?);
            }
            let summary = govwx::run_with(&options, &control)?;
            report_warnings(&summary, &options.input, format)?;
            Ok((summary.exit_code, summary_line(&summary)))
        }
        Command::Check { report, format } => {
            let control = RunControl {
                force: false,
                progress,
            };
            let options = report.options();
            let summary = govwx::check(&options, &control)?;
            if format == Format::Text {
                print_out(&quality_summary(&summary))?;
            }
            report_warnings(&summary, &options.input, format)?;
            Ok((summary.exit_code, summary_line(&summary)))
        }
        Command::Explain { query, report } => {
            print_out(&govwx::explain(&report.options(), &query)?)?;
            Ok((0, "explained in {time}".to_owned()))
        }
        Command::Config { config } => {
            let text = match config {
                Some(path) => {
                    let text = govwx::fs::read_to_string(&path)?;
                    let origin = path.display().to_string();
                    govwx::config::effective(&text, &origin)
                        .and_then(|effective| {
                            govwx::config::Settings::parse(&effective, &origin).map(|_| effective)
                        })
                        .map_err(|e| govwx::UsageError(format!("{e:#}")))?
                }
                None => govwx::config::DEFAULT_CONFIG.to_owned(),
            };
            print_out(&text)?;
            Ok((0, String::new()))
        }
        Command::Columns => {
            print_out(&govwx::ingest::header::columns_table())?;
            Ok((0, String::new()))
        }
        Command::Init { dir } => {
            let written = govwx::render::write_defaults(&dir)?;
            let listing: String = written
                .iter()
                .map(|path| format!("{}\n", path.display()))
                .collect();
            print_out(&listing)?;
            let message = format!(
                "wrote {} files to `{}`; use them with `govwx run --templates {} --config {}`",
                written.len(),
                dir.display(),
                dir.display(),
                dir.join("govwx.toml").display()
            );
            Ok((0, message))
        }
    }
}

/// Writes `text` to standard output. A reader that went away (`govwx check
/// | head`) is not an error; any other failure to write is, by name, rather
/// than the panic of `print!`.
fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("failed to write to standard output"))
        }
        _ => Ok(()),
    }
}

/// `period 2014: 40924 accounts, 30 records rejected, 1.10s; published to `output``.
fn summary_line(summary: &RunSummary) -> String {
    let output = summary.output.display();
    let outcome = match summary.status {
        RunStatus::Published => format!("published to `{output}`"),
        RunStatus::UpToDate => format!("up to date, `{output}` unchanged (`--force` rebuilds)"),
        RunStatus::Checked => "checked, nothing written".to_owned(),
    };
    let mut line = format!(
        "period {}: {} accounts, {} records rejected, {{time}}; {outcome}",
        summary.period, summary.accounts, summary.records_rejected
    );
    if !summary.gates_hit.is_empty() {
        let names: Vec<String> = summary
            .gates_hit
            .iter()
            .map(|h| format!("`{}`", h.gate))
            .collect();
        line.push_str(&format!(
            "; quality gates hit: {} (exit {})",
            names.join(", "),
            summary.exit_code
        ));
    }
    line
}

/// The data-quality summary `govwx check` prints on stdout.
fn quality_summary(summary: &RunSummary) -> String {
    let Some(q) = &summary.quality else {
        return String::new();
    };
    let by_reason = |map: &std::collections::BTreeMap<String, u64>| {
        let parts: Vec<String> = map.iter().map(|(k, v)| format!("{k} {v}")).collect();
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    };
    let mut text = format!(
        "period {}: {} accounts in scope, {} out of scope\n\
         files: {} read, {} skipped\n\
         records: {} read, {} accepted, {} rejected, {} totals lines ({} repeated headers), {} blank lines\n\
         rejected by reason: {}\n\
         fields inferred: {}\n\
         fields dropped (unreadable, record kept): {}\n\
         records merged: {}, conflicts refused: {}, invalid original ids: {}\n",
        summary.period,
        summary.accounts,
        q.accounts_out_of_scope,
        q.files_read,
        q.files_skipped,
        q.records_read,
        q.records_accepted,
        q.records_rejected,
        q.totals_lines,
        q.header_repeats,
        q.blank_lines,
        by_reason(&q.rejected_by_reason),
        by_reason(&q.fields_inferred),
        by_reason(&q.fields_dropped),
        q.records_merged,
        q.conflicts,
        q.invalid_original_ids,
    );
    for entry in &q.skipped {
        text.push_str(&format!("skipped `{}`: {}\n", entry.path, entry.reason));
    }
    for table in &q.unknown_columns {
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| match &c.suggestion {
                Some(s) => format!("`{}` (did you mean `{s}`?)", c.header),
                None => format!("`{}`", c.header),
            })
            .collect();
        text.push_str(&format!(
            "unused columns in `{}`: {}\n",
            table.file,
            columns.join(", ")
        ));
    }
    if summary.gates_hit.is_empty() {
        text.push_str("quality gates: all passed\n");
    }
    for hit in &summary.gates_hit {
        text.push_str(&format!(
            "quality gate `{}` hit: {}\n",
            hit.gate, hit.message
        ));
    }
    text
}

fn exit_code(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<UsageError>().is_some() {
        2
    } else if error.downcast_ref::<GatesKept>().is_some() {
        4
    } else {
        // `Locked`, `NoInput` and I/O errors alike: nothing was published.
        let _ = (
            error.downcast_ref::<Locked>(),
            error.downcast_ref::<NoInput>(),
        );
        1
    }
}

/// A warning for machines: what went wrong, and where when a file is to
/// blame.
#[derive(serde::Serialize)]
struct Warning {
    file: Option<String>,
    line: Option<u32>,
    message: String,
}

/// The warnings of a finished run: files and sheets skipped, columns not
/// read, quality gates hit.
fn warnings(summary: &RunSummary) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(q) = &summary.quality {
        for entry in &q.skipped {
            out.push(Warning {
                file: Some(entry.path.clone()),
                line: None,
                message: format!("skipped: {}", entry.reason),
            });
        }
        for table in &q.unknown_columns {
            for column in &table.columns {
                let hint = match &column.suggestion {
                    Some(s) => format!(" (did you mean `{s}`?)"),
                    None => String::new(),
                };
                out.push(Warning {
                    file: Some(table.file.clone()),
                    line: None,
                    message: format!("column `{}` is not read{hint}", column.header),
                });
            }
        }
    }
    for hit in &summary.gates_hit {
        out.push(Warning {
            file: None,
            line: None,
            message: format!("quality gate `{}` hit: {}", hit.gate, hit.message),
        });
    }
    out
}

/// With `--format json`, one JSON object on stdout (warning files relative
/// to the input folder); under GitHub Actions (`GITHUB_ACTIONS=true`), each
/// warning also as a `::warning` annotation on stderr, its file joined to
/// `input` so that it is relative to where govwx was run.
fn report_warnings(summary: &RunSummary, input: &Path, format: Format) -> anyhow::Result<()> {
    let warnings = warnings(summary);
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for w in &warnings {
            let file = w.file.as_ref().map(|f| {
                let path = input.join(f.split('#').next().unwrap_or(f));
                path.to_string_lossy().replace('\\', "/")
            });
            eprintln!("{}", annotation(&file, w));
        }
    }
    if format == Format::Json {
        let status = match summary.status {
            RunStatus::Published => "published",
            RunStatus::UpToDate => "up_to_date",
            RunStatus::Checked => "checked",
        };
        let q = summary.quality.as_ref();
        let gates: Vec<serde_json::Value> = summary
            .gates_hit
            .iter()
            .map(|h| {
                serde_json::json!({
                    "gate": h.gate, "limit": h.limit, "value": h.value, "message": h.message,
                })
            })
            .collect();
        let object = serde_json::json!({
            "status": status,
            "exit_code": summary.exit_code,
            "period": summary.period,
            "accounts": summary.accounts,
            "records_read": q.map(|q| q.records_read),
            "records_accepted": q.map(|q| q.records_accepted),
            "records_rejected": summary.records_rejected,
            "output": summary.output.display().to_string(),
            "gates_hit": gates,
            "warnings": warnings,
        });
        print_out(&format!("{object}\n"))?;
    }
    Ok(())
}

/// A GitHub Actions workflow command for one warning, its data escaped as
/// the runner expects.
fn annotation(file: &Option<String>, w: &Warning) -> String {
    let data = |text: &str| {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |text: &str| data(text).replace(':', "%3A").replace(',', "%2C");
    let mut place = Vec::new();
    if let Some(file) = file {
        place.push(format!("file={}", property(file)));
    }
    if let Some(line) = w.line {
        place.push(format!("line={line}"));
    }
    match place.is_empty() {
        true => format!("::warning::{}", data(&w.message)),
        false => format!("::warning {}::{}", place.join(","), data(&w.message)),
    }
}
