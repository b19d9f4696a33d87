//! The lock beside the output folder that keeps two runs from interleaving.
//!
//! An advisory `flock` (through `fs4`) on `.NAME.lock`: the kernel drops it
//! when its holder exits or is killed, so a lock file left by a killed run
//! never blocks the next one. The file holds the holder's pid and start time
//! for the message a refused run prints.

use std::fs::{File, OpenOptions};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use fs4::{FileExt, TryLockError};

use super::sibling;

/// Another run holds the output: exit code 1, nothing published.
#[derive(Debug, thiserror::Error)]
#[error("another govwx run holds `{path}` ({holder}); wait for it to finish, or stop that process")]
pub struct Locked {
    /// The lock file.
    pub path: String,
    /// Who holds it, as its lock file says: `pid N, started T`.
    pub holder: String,
}

/// The held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock of `output` without waiting, or fails with [`Locked`].
    pub fn acquire(output: &Path) -> Result<OutputLock> {
        let path = sibling(output, "lock")?;
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        // A holder removes the file as it lets go; if we opened that file
        // just before, our lock is on a name nobody sees, so try again.
        for _ in 0..10 {
            let file = open(&path)?;
            match FileExt::try_lock(&file) {
                Ok(()) if names_file(&path, &file) => {
                    let mut lock = OutputLock { file, path };
                    lock.write_holder()?;
                    return Ok(lock);
                }
                Ok(()) => continue,
                Err(TryLockError::WouldBlock) => {
                    return Err(Locked {
                        path: path.display().to_string(),
                        holder: holder(&path),
                    }
                    .into())
                }
                Err(TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("failed to lock `{}`", path.display()))
                }
            }
        }
        anyhow::bail!(
            "could not take the lock `{}`: it keeps being replaced; is another run looping?",
            path.display()
        )
    }

    fn write_holder(&mut self) -> Result<()> {
        let started = utc_timestamp(SystemTime::now());
        let text = format!("pid {}, started {started}\n", std::process::id());
        self.file
            .set_len(0)
            .and_then(|()| self.file.rewind())
            .and_then(|()| self.file.write_all(text.as_bytes()))
            .with_context(|| format!("failed to write lock `{}`", self.path.display()))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so no run can lock it in between.
        let _ = std::fs::remove_file(&self.path);
    }
}

fn open(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("failed to open lock `{}`", path.display()))
}

/// Whether `path` still names the open `file` (same device and inode).
#[cfg(unix)]
fn names_file(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn names_file(path: &Path, _file: &File) -> bool {
    path.exists()
}

/// The holder's own words from the lock file; it writes them right after
/// locking, so an empty file is read once more after a moment.
fn holder(path: &Path) -> String {
    for attempt in 0..3 {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if !text.trim().is_empty() {
            return text.trim().to_owned();
        }
        if attempt < 2 {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    "pid unknown".to_owned()
}

/// `2014-12-31 23:59:59 UTC`, without a date crate.
pub(crate) fn utc_timestamp(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let date = crate::normalize::Date::from_days(seconds.div_euclid(86_400))
        .map_or_else(|| "?".to_owned(), |d| d.to_string());
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{date} {:02}:{:02}:{:02} UTC",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_naming_the_holder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let output = dir.path().join("output");
        let held = OutputLock::acquire(&output).expect("first lock");
        let err = OutputLock::acquire(&output).unwrap_err();
        let locked = err.downcast_ref::<Locked>().expect("a Locked error");
        assert!(
            locked
                .holder
                .contains(&format!("pid {}", std::process::id())),
            "{locked}"
        );
        drop(held);
        assert!(!dir.path().join(".output.lock").exists());
        OutputLock::acquire(&output).expect("free again");
    }

    #[test]
    fn timestamps_are_utc() {
        let t = UNIX_EPOCH + Duration::from_secs(1_419_033_600 + 3_723);
        assert_eq!(utc_timestamp(t), "2014-12-20 01:02:03 UTC");
    }
}
