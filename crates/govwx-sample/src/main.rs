//! `govwx-sample`: writes the synthetic exports for 2013 and 2014 and their
//! ground truth. The bundled `input/` is `govwx-sample --out input --truth
//! DIR` with the default seed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use govwx_sample::{Messiness, SampleOptions, DEFAULT_SEED};

/// Generate the synthetic sample: messy exports for 2013 and 2014, and
/// their ground truth.
#[derive(Parser)]
#[command(name = "govwx-sample", version, about)]
struct Cli {
    /// Folder to write the exports to (must be empty or absent).
    #[arg(long)]
    out: PathBuf,
    /// Folder for the ground truth (outside `--out`).
    #[arg(long)]
    truth: PathBuf,
    /// Random seed; the bundled `input/` uses the default.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// How messy the exports are: `standard` (fully linkable, the bundled
    /// `input/`) or `high` (not fully linkable, for measuring accuracy
    /// against the truth).
    #[arg(long, value_enum, default_value_t = Messiness::Standard)]
    messiness: Messiness,
    /// Replicate the drawn accounts this many times under fresh ids and
    /// names (for benchmarks: 36 gives about 2,000,000 registry rows).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    scale: u32,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let options = SampleOptions {
        out: cli.out.clone(),
        truth: cli.truth,
        seed: cli.seed,
        messiness: cli.messiness,
    };
    match govwx_sample::generate_scaled(&options, cli.scale) {
        Ok(summary) => {
            if !cli.quiet {
                eprintln!(
                    "sample: {} files, {} rows, {} accounts in 2014; written to `{}` in {:.2}s",
                    summary.files,
                    summary.rows,
                    summary.accounts_2014,
                    cli.out.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
