//! The `govwx` command: parses the command line, calls the library, prints
//! the error chain and chooses the exit code (SPEC §7).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use govwx::{sample, NoInput, RunOptions, UsageError};

/// Turn raw exports about China's government WeChat accounts (政务微信) into
/// an annual white paper: Markdown, a self-contained HTML page and tables.
///
/// Exit codes: 0 published; 1 failure, nothing published; 2 usage or
/// configuration error; 3 published but a quality gate was hit; 4 a quality
/// gate was hit and the previous report was kept.
#[derive(Parser)]
#[command(name = "govwx", version, about, long_about)]
struct Cli {
    /// Log only errors (for cron).
    #[arg(long, short, global = true)]
    quiet: bool,
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
    Run {
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
    },
    /// Generate the synthetic sample: messy exports for 2013 and 2014, and
    /// their ground truth.
    Sample {
        /// Folder to write the exports to (must be empty or absent).
        #[arg(long)]
        out: PathBuf,
        /// Folder for the ground truth (outside `--out`).
        #[arg(long)]
        truth: PathBuf,
        /// Random seed; the bundled `input/` uses the default.
        #[arg(long, default_value_t = sample::DEFAULT_SEED)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = if cli.quiet {
        tracing::Level::ERROR
    } else {
        tracing::Level::INFO
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .without_time()
        .init();
    let started = Instant::now();
    match execute(cli.command) {
        Ok(message) => {
            if !cli.quiet {
                eprintln!("{message} in {:.1}s", started.elapsed().as_secs_f64());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            exit_code(&error)
        }
    }
}

fn execute(command: Command) -> anyhow::Result<String> {
    match command {
        Command::Run {
            input,
            output,
            period,
            baseline,
            config,
            templates,
        } => {
            let summary = govwx::run(&RunOptions {
                input,
                output,
                period,
                baseline,
                config,
                templates,
            })?;
            Ok(format!(
                "period {}: {} accounts, {} records rejected; published to `{}`",
                summary.period,
                summary.accounts,
                summary.records_rejected,
                summary.output.display()
            ))
        }
        Command::Sample { out, truth, seed } => {
            let summary = sample::generate(&sample::SampleOptions {
                out: out.clone(),
                truth,
                seed,
            })?;
            Ok(format!(
                "sample: {} files, {} rows, {} accounts in 2014; written to `{}`",
                summary.files,
                summary.rows,
                summary.accounts_2014,
                out.display()
            ))
        }
    }
}

fn exit_code(error: &anyhow::Error) -> ExitCode {
    if error.downcast_ref::<UsageError>().is_some() {
        ExitCode::from(2)
    } else {
        let _ = error.downcast_ref::<NoInput>();
        ExitCode::from(1)
    }
}
