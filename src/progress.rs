//! Progress bars for people at a terminal, and nothing for cron or CI.
//!
//! One bar (or spinner) per stage on stderr, drawn only when stderr is a
//! terminal and the run is not `--quiet`. Log lines go through
//! [`LogWriter`], which hides the bars while it prints, so the two never
//! tear each other.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where a run shows its progress; cheap to clone.
#[derive(Clone)]
pub struct Progress {
    bars: MultiProgress,
}

impl Default for Progress {
    /// Hidden: for tests, libraries, and runs that are not watched.
    fn default() -> Progress {
        Progress::hidden()
    }
}

impl Progress {
    /// Bars that draw nothing.
    pub fn hidden() -> Progress {
        Progress {
            bars: MultiProgress::with_draw_target(ProgressDrawTarget::hidden()),
        }
    }

    /// Bars on stderr when it is a terminal and `show`, else hidden.
    pub fn on_stderr(show: bool) -> Progress {
        if show && std::io::stderr().is_terminal() {
            Progress {
                bars: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            }
        } else {
            Progress::hidden()
        }
    }

    /// A bar for a stage of `total` steps, or a spinner when the total is
    /// unknown. Finish it with [`ProgressBar::finish`].
    pub fn stage(&self, name: &str, total: Option<u64>) -> ProgressBar {
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template("{prefix:>9} [{bar:30}] {pos}/{len} {msg}")
                    .expect("the template is valid")
                    .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{prefix:>9} {spinner} {elapsed}")
                    .expect("the template is valid"),
            ),
        };
        let bar = self.bars.add(bar.with_prefix(name.to_owned()));
        if total.is_none() {
            bar.enable_steady_tick(Duration::from_millis(100));
        }
        bar
    }

    /// Prints a line on stderr below the bars.
    pub fn eprintln(&self, line: &str) {
        // Not `eprintln!`, which panics when stderr cannot be written.
        self.bars.suspend(|| {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "{line}");
        });
    }

    /// A `tracing` writer that prints to stderr around the bars.
    pub fn log_writer(&self) -> LogWriter {
        LogWriter {
            bars: self.bars.clone(),
        }
    }
}

/// Writes log lines to stderr with the bars hidden for the moment.
#[derive(Clone)]
pub struct LogWriter {
    bars: MultiProgress,
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // A log line that cannot be written is lost, not an error: the
        // subscriber would report it with `eprintln!`, which panics.
        let _ = self.bars.suspend(|| std::io::stderr().write_all(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> LogWriter {
        self.clone()
    }
}
