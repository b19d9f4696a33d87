//! What a report was built from, recorded in `manifest.json`, so that a run
//! on unchanged inputs can stop at once (`govwx run` says "up to date").
//!
//! The record is content only (sizes and sha256 of every file below the
//! input folder, the config and template hashes, the version and the
//! options), so the manifest stays byte-identical for identical inputs. The
//! cheap check uses file times without storing them: `manifest.json` gets
//! the time its run started reading (less a margin) as its mtime, and an
//! input file of the recorded size whose inode last changed before that is
//! taken as unchanged; any other is hashed and compared. The change time
//! (ctime), not the modification time: a file copied in with `cp -p` or
//! unpacked from an archive keeps an old modification time.

use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::gates::GateHit;
use crate::fs;
use crate::ingest::period::{walk, WalkedFile};

/// How long before its start a run's inputs must have last changed to be
/// trusted by their time: covers coarse file-system clocks (FAT: 2 s).
const MTIME_MARGIN: Duration = Duration::from_secs(2);

/// Everything a report depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fingerprint {
    pub govwx_version: String,
    pub config_sha256: String,
    pub templates_sha256: String,
    pub period: Option<String>,
    pub baseline: Option<String>,
    pub source_date_epoch: Option<String>,
    /// `--pdf`: the report was also printed to PDF. Left out of the
    /// manifest when false, as manifests written before the option.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pdf: bool,
    /// Every file below the input folder, in path order.
    pub inputs: Vec<InputFile>,
}

/// One input file's size and content hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// One published file and its size, to tell the output is intact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutputEntry {
    pub path: String,
    pub bytes: u64,
}

/// The `run` section of `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
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

/// The input files below `root` with their sizes and times, in path order,
/// walked as `ingest` walks them (entries it cannot read are left out
/// here, and reported by ingest).
fn listing(root: &Path) -> Vec<WalkedFile> {
    walk(root, root).0
}

/// Sizes and hashes of every file below `root`. `read` gives the size and
/// hash of the files the run has read already, by relative path: only the
/// others (the files of periods not read, `dataset.toml`) are read here, in
/// parallel.
pub fn input_files(
    root: &Path,
    read: &std::collections::HashMap<&str, (u64, &str)>,
) -> Result<Vec<InputFile>> {
    listing(root)
        .into_par_iter()
        .map(|file| {
            let known = read
                .get(file.relative.as_str())
                .filter(|(bytes, _)| *bytes == file.metadata.len());
            let sha256 = match known {
                Some((_, sha256)) => (*sha256).to_owned(),
                None => fs::sha256_file(&file.path)?.1,
            };
            Ok(InputFile {
                sha256,
                bytes: file.metadata.len(),
                path: file.relative,
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

/// Same paths, same sizes, and for files changed since `built`, same hash.
fn inputs_unchanged(root: &Path, recorded: &[InputFile], built: SystemTime) -> bool {
    let now = listing(root);
    if now.len() != recorded.len() {
        return false;
    }
    now.par_iter().zip(recorded).all(|(file, old)| {
        if file.relative != old.path || file.metadata.len() != old.bytes {
            return false;
        }
        if changed_at(&file.metadata).is_some_and(|t| t < built) {
            return true;
        }
        fs::sha256_file(&file.path).is_ok_and(|(_, sha256)| sha256 == old.sha256)
    })
}

/// When a file's content or name last changed, as far as a user cannot
/// set it: the inode's change time, which `cp -p`, `touch -d`, `unzip` and
/// `tar x` move to now even as they set an old modification time, and
/// which a rename updates. `None` where the system does not tell; the file
/// is then hashed.
#[cfg(unix)]
fn changed_at(metadata: &std::fs::Metadata) -> Option<SystemTime> {
    use std::os::unix::fs::MetadataExt;
    let seconds = u64::try_from(metadata.ctime()).ok()?;
    let nanos = u32::try_from(metadata.ctime_nsec()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::new(seconds, nanos))
}

#[cfg(not(unix))]
fn changed_at(_metadata: &std::fs::Metadata) -> Option<SystemTime> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_trusted_by_time_and_checked_by_hash() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(&dir.path().join("2014/a.csv"), "abc").expect("write");
        let recorded = input_files(dir.path(), &Default::default()).expect("hash");
        let later = SystemTime::now() + Duration::from_secs(60);
        assert!(inputs_unchanged(dir.path(), &recorded, later));
        fs::write(&dir.path().join("2014/a.csv"), "abd").expect("write");
        assert!(
            inputs_unchanged(dir.path(), &recorded, later),
            "trusted by time: same size, older than the manifest"
        );
        let earlier = SystemTime::now() - Duration::from_secs(60);
        assert!(!inputs_unchanged(dir.path(), &recorded, earlier), "hashed");
        // A corrected file of the same size with an older modification
        // time (`cp -p`, unzip) is still a change.
        let recorded = input_files(dir.path(), &Default::default()).expect("hash");
        let built = SystemTime::now();
        std::thread::sleep(Duration::from_millis(20));
        let corrected = dir.path().join("corrected.csv");
        fs::write(&corrected, "xyz").expect("write");
        let old_time = SystemTime::now() - Duration::from_secs(86_400);
        std::fs::File::options()
            .write(true)
            .open(&corrected)
            .and_then(|f| f.set_modified(old_time))
            .expect("set mtime");
        fs::rename(&corrected, &dir.path().join("2014/a.csv")).expect("rename");
        assert!(
            !inputs_unchanged(dir.path(), &recorded, built),
            "replaced with an old modification time"
        );
        fs::write(&dir.path().join("2014/b.csv"), "").expect("write");
        assert!(
            !inputs_unchanged(dir.path(), &recorded, later),
            "a new file"
        );
    }
}
