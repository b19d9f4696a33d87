//! The stage log: each stage's wall time, and where the system tells them,
//! the CPU time of all threads (on a shared machine the steadier of the two)
//! and the peak memory so far.

use std::time::Instant;

use anyhow::Result;
use tracing::info;

pub(crate) fn timed<T>(stage: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    timed_value(stage, f)
}

/// Runs `f` and logs its time as a stage's: wall time, and where the system
/// tells them, the CPU time of all threads (on a shared machine the steadier
/// of the two) and the peak memory so far.
pub(crate) fn timed_value<T>(stage: &str, f: impl FnOnce() -> T) -> T {
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
