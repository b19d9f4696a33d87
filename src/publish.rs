//! Publish: the rendered files become `output/` in one step (SPEC §7).
//!
//! The new tree is written beside the output folder, never inside it, then
//! swapped in by renames, so a run that fails leaves the previous report
//! untouched. A lock file beside the output keeps two runs from interleaving.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::fs;
use crate::render::OutputFile;

/// Writes `files` into a fresh tree and swaps it in as `output`.
pub fn publish(output: &Path, files: &[OutputFile]) -> Result<()> {
    let _lock = Lock::acquire(output)?;
    let staging = sibling(output, "staging")?;
    let previous = sibling(output, "previous")?;
    for stale in [&staging, &previous] {
        if stale.exists() {
            fs::remove_dir_all(stale)?;
        }
    }
    for file in files {
        fs::write(&staging.join(&file.path), &file.bytes)?;
    }
    if output.exists() {
        fs::rename(output, &previous)?;
    }
    fs::rename(&staging, output)?;
    if previous.exists() {
        fs::remove_dir_all(&previous)?;
    }
    Ok(())
}

/// `.NAME.SUFFIX` in the output's parent folder.
fn sibling(output: &Path, suffix: &str) -> Result<PathBuf> {
    let name = output
        .file_name()
        .with_context(|| format!("output path `{}` has no folder name", output.display()))?;
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// A lock file holding the pid of the run that owns the output.
struct Lock(PathBuf);

impl Lock {
    fn acquire(output: &Path) -> Result<Lock> {
        let path = sibling(output, "lock")?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    writeln!(file, "{}", std::process::id())
                        .with_context(|| format!("failed to write lock `{}`", path.display()))?;
                    return Ok(Lock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let pid = holder.trim();
                    if !pid.is_empty() && Path::new("/proc").join(pid).exists() {
                        bail!(
                            "another govwx run (pid {pid}) holds `{}`; wait for it to finish",
                            path.display()
                        );
                    }
                    // The holder is gone: a stale lock from a killed run.
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("failed to create lock `{}`", path.display()))
                }
            }
        }
        bail!("could not take the lock `{}`", path.display())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
