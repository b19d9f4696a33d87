//! What a report was built from, recorded in `manifest.json`, so that a run
//! on unchanged inputs can stop at once (`govwx run` says "up to date").
//!
//! The record is content only (sizes and sha256 of every file below the
//! input folder, the config and template hashes, the version and the
//! options), so the manifest stays byte-identical for identical inputs. The
//! cheap check uses file times without storing them: `manifest.json` gets
//! the time its run started reading (less a margin) as its mtime, and an
//! input file of the recorded size that is older than that is taken as
//! unchanged; any other is hashed and compared.

use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::gates::GateHit;
use crate::fs;

/// How long before its start a run's inputs must have last changed to be
/// trusted by their time: covers coarse file-system clocks (FAT: 2 s).
const MTIME_MARGIN: Duration = Duration::from_secs(2);

/// Everything a report depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub govwx_version: String,
    pub config_sha256: String,
    pub templates_sha256: String,
    pub period: Option<String>,
    pub baseline: Option<String>,
    pub source_date_epoch: Option<String>,
    /// Every file below the input folder, in path order.
    pub inputs: Vec<InputFile>,
}

/// One input file's size and content hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// One published file and its size, to tell the output is intact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputEntry {
    pub path: String,
    pub bytes: u64,
}

/// The `run` section of `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRecord {
    pub fingerprint: Fingerprint,
    pub period: String,
    pub accounts: u64,
    pub records_rejected: u64,
    /// Gates the report hit (none: all passed).
    pub gates_hit: Vec<GateHit>,
    /// The exit code of the run that published it, repeated when up to date.
    pub exit_code: u8,
    /// The other files of the output, with their sizes.
    pub outputs: Vec<OutputEntry>,
}

impl RunRecord {
    /// The output entries of the files written, in path order, for the record.
    pub fn entries(mut written: Vec<OutputEntry>) -> Vec<OutputEntry> {
        written.sort_by(|a, b| a.path.cmp(&b.path));
        written
    }
}

/// The input files below `root` with their sizes and times, in path order.
fn listing(root: &Path) -> Result<Vec<(String, std::fs::Metadata)>> {
    let mut files = Vec::new();
    // Through symlinks, as `ingest::discover` reads them.
    for entry in walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .follow_links(true)
    {
        let entry = entry.with_context(|| format!("failed to list `{}`", root.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(root)
            .expect("walkdir yields paths below its root")
            .to_string_lossy()
            .replace('\\', "/");
        let metadata = entry
            .metadata()
            .with_context(|| format!("failed to read `{}`", entry.path().display()))?;
        files.push((relative, metadata));
    }
    Ok(files)
}

/// Sizes and hashes of every file below `root`, hashed in parallel.
pub fn input_files(root: &Path) -> Result<Vec<InputFile>> {
    listing(root)?
        .into_par_iter()
        .map(|(path, metadata)| {
            let (_, sha256) = fs::sha256_file(&root.join(&path))?;
            Ok(InputFile {
                sha256,
                bytes: metadata.len(),
                path,
            })
        })
        .collect()
}

/// Marks `manifest` (open for writing, at `path`) as written by a run that
/// started reading at `started`.
pub fn set_manifest_time(manifest: &std::fs::File, path: &Path, started: SystemTime) -> Result<()> {
    let time = started.checked_sub(MTIME_MARGIN).unwrap_or(started);
    manifest
        .set_modified(time)
        .with_context(|| format!("failed to set the time of `{}`", path.display()))
}

/// The record of the report in `output` when it was built from exactly
/// `expected` (inputs aside) and the files of `input`, and is intact.
pub fn up_to_date(output: &Path, input: &Path, expected: &Fingerprint) -> Option<RunRecord> {
    let manifest = output.join("manifest.json");
    let built = std::fs::metadata(&manifest).ok()?.modified().ok()?;
    let text = std::fs::read(&manifest).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let record: RunRecord = serde_json::from_value(value.get("run")?.clone()).ok()?;
    let recorded = &record.fingerprint;
    let same_settings = Fingerprint {
        inputs: Vec::new(),
        ..recorded.clone()
    } == Fingerprint {
        inputs: Vec::new(),
        ..expected.clone()
    };
    let intact = record.outputs.iter().all(|entry| {
        std::fs::metadata(output.join(&entry.path)).is_ok_and(|m| m.len() == entry.bytes)
    });
    (same_settings && intact && inputs_unchanged(input, &recorded.inputs, built)).then_some(record)
}

/// Same paths, same sizes, and for files not older than `built`, same hash.
fn inputs_unchanged(root: &Path, recorded: &[InputFile], built: SystemTime) -> bool {
    let Ok(now) = listing(root) else {
        return false;
    };
    if now.len() != recorded.len() {
        return false;
    }
    now.par_iter().zip(recorded).all(|((path, metadata), old)| {
        if *path != old.path || metadata.len() != old.bytes {
            return false;
        }
        if metadata.modified().is_ok_and(|m| m < built) {
            return true;
        }
        fs::sha256_file(&root.join(path)).is_ok_and(|(_, sha256)| sha256 == old.sha256)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_trusted_by_time_and_checked_by_hash() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(&dir.path().join("2014/a.csv"), "abc").expect("write");
        let recorded = input_files(dir.path()).expect("hash");
        let later = SystemTime::now() + Duration::from_secs(60);
        assert!(inputs_unchanged(dir.path(), &recorded, later));
        fs::write(&dir.path().join("2014/a.csv"), "abd").expect("write");
        assert!(
            inputs_unchanged(dir.path(), &recorded, later),
            "trusted by time: same size, older than the manifest"
        );
        let earlier = SystemTime::now() - Duration::from_secs(60);
        assert!(!inputs_unchanged(dir.path(), &recorded, earlier), "hashed");
        fs::write(&dir.path().join("2014/b.csv"), "").expect("write");
        assert!(
            !inputs_unchanged(dir.path(), &recorded, later),
            "a new file"
        );
    }
}
