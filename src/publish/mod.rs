//! Publish: the rendered files become `output/` in one step (SPEC §7).
//!
//! The new tree is written in full to `.NAME.staging-PID` beside the output
//! folder, never inside it, synced, then swapped in whole (`swap`), so a
//! reader sees the old report or the new one and a run that fails or is
//! killed leaves the previous report untouched. A lock beside the output
//! (`lock`) keeps two runs from interleaving; whatever a killed run left
//! beside the output is removed by the next run that holds the lock. The
//! `gates` decide whether a report is published at all, and the `stamp` in
//! its manifest lets an unchanged run stop at once.

pub mod gates;
pub mod lock;
pub mod stamp;
pub mod swap;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};

use crate::fs;
use crate::render::OutputFile;

pub use gates::{GateHit, GatesKept};
pub use lock::{Locked, OutputLock};

/// Writes `files` into a fresh tree beside `output` and swaps it in whole.
///
/// The caller holds the [`OutputLock`]. `started` is when the run began
/// reading its inputs; it becomes the manifest's time (see `stamp`).
/// `on_file` is called once per file written.
pub fn publish(
    output: &Path,
    files: &[OutputFile],
    started: SystemTime,
    on_file: &dyn Fn(),
) -> Result<()> {
    let staging = sibling(output, &format!("staging-{}", std::process::id()))?;
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    for file in files {
        fs::write(&staging.join(&file.path), &file.bytes)?;
        on_file();
    }
    let manifest = staging.join("manifest.json");
    if manifest.exists() {
        stamp::set_manifest_time(&manifest, started)?;
    }
    sync_tree(&staging, files)?;
    swap::swap_in(&staging, output)?;
    // `staging` now holds the previous report, if there was one.
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    Ok(())
}

/// Flushes the new files to disk before the swap, so a power cut after it
/// cannot leave the output folder naming files that were never written.
fn sync_tree(staging: &Path, files: &[OutputFile]) -> Result<()> {
    for file in files {
        let path = staging.join(&file.path);
        std::fs::File::open(&path)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("failed to sync `{}`", path.display()))?;
    }
    Ok(())
}

/// Removes what killed or failed runs left beside `output`: staging trees
/// (`.NAME.staging-PID`, holding a half-written new report or an old one set
/// aside) and `.NAME.previous`. Only call this while holding the lock, so no
/// live run's staging tree is removed.
pub fn clean_leftovers(output: &Path) -> Result<Vec<PathBuf>> {
    let staging = sibling(output, "staging")?;
    let prefix = staging
        .file_name()
        .expect("a sibling has a file name")
        .to_string_lossy()
        .into_owned();
    let previous = sibling(output, "previous")?;
    let parent = staging.parent().expect("a sibling has a parent");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(Vec::new());
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(&prefix) || path == previous {
            remove_any(&path)?;
            removed.push(path);
        }
    }
    removed.sort();
    Ok(removed)
}

fn remove_any(path: &Path) -> Result<()> {
    if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path).with_context(|| format!("failed to remove `{}`", path.display()))
    }
}

/// `.NAME.SUFFIX` in the output's parent folder.
pub(crate) fn sibling(output: &Path, suffix: &str) -> Result<PathBuf> {
    let name = output
        .file_name()
        .with_context(|| format!("output path `{}` has no folder name", output.display()))?;
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let output = dir.path().join("output");
        for leftover in [".output.staging-123/a.txt", ".output.previous/b.txt"] {
            fs::write(&dir.path().join(leftover), "x").expect("write");
        }
        fs::write(&dir.path().join(".output.lock"), "pid 1").expect("write");
        fs::write(&dir.path().join("output/keep.txt"), "x").expect("write");
        let removed = clean_leftovers(&output).expect("clean");
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert!(
            dir.path().join(".output.lock").exists(),
            "the lock is not a leftover"
        );
        assert!(output.join("keep.txt").exists());
    }
}
