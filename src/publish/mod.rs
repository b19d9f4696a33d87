//! Publish: the rendered files become `output/` in one step (docs/CONTRACT.md §7).
//!
//! The new tree is written in full to `.NAME.staging-PID` beside the output
//! folder, never inside it ([`Staging`]), each file synced, then swapped in
//! whole (`swap`), so a
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

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::thread::ScopedJoinHandle;
use std::time::SystemTime;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::fs;
use crate::render::{OutputFile, StreamedFile};
use crate::UsageError;

pub use gates::{GateHit, GatesKept};
pub use lock::{Locked, OutputLock};
use stamp::OutputEntry;

/// The new tree, written file by file beside the output folder and swapped
/// in whole by [`Staging::publish`]. Large files are written straight into
/// it, so no second copy of them is held in memory.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
}

impl Staging {
    /// Starts an empty tree beside `output`. The caller holds the
    /// [`OutputLock`] until [`Staging::publish`]; a tree left by a failed or
    /// killed run is removed by the next run's [`clean_leftovers`].
    pub fn create(output: &Path) -> Result<Staging> {
        let dir = sibling(output, &format!("staging-{}", std::process::id()))?;
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
        })
    }

    /// Writes `files` into the tree, in parallel; their paths and sizes in
    /// the same order. `on_file` is called once per file written.
    pub fn write(
        &self,
        files: &[OutputFile],
        on_file: &(dyn Fn() + Sync),
    ) -> Result<Vec<OutputEntry>> {
        each_in_parallel(files, on_file, |f| {
            self.write_synced(&f.path, &|out| out.write_all(&f.bytes))
        })
    }

    /// Writes streamed files into the tree, in parallel, as [`Staging::write`].
    pub fn stream(
        &self,
        files: &[StreamedFile],
        on_file: &(dyn Fn() + Sync),
    ) -> Result<Vec<OutputEntry>> {
        each_in_parallel(files, on_file, |f| self.write_synced(f.path, &*f.write))
    }

    /// Where `path` (relative, as in [`OutputFile::path`]) is in the tree,
    /// to read a file written there.
    pub fn path_of(&self, path: &str) -> PathBuf {
        self.dir.join(path)
    }

    /// Has `make` write the file `path` of the tree (another program, such
    /// as the browser printing a PDF, writes it to the path `make` is
    /// given), then syncs it; its path and size, as [`Staging::write`].
    pub fn produce(
        &self,
        path: &str,
        make: impl FnOnce(&Path) -> Result<()>,
    ) -> Result<OutputEntry> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        make(&full)?;
        let file =
            File::open(&full).with_context(|| format!("failed to open `{}`", full.display()))?;
        let bytes = file
            .metadata()
            .with_context(|| format!("failed to read `{}`", full.display()))?
            .len();
        sync(&file, &full)?;
        Ok(OutputEntry {
            path: path.to_string(),
            bytes,
        })
    }

    /// Writes `manifest`, dated `started` (when the run began reading its
    /// inputs, see `stamp`), and swaps the tree in for the output folder.
    pub fn publish(self, manifest: &OutputFile, started: SystemTime) -> Result<()> {
        let path = self.dir.join(&manifest.path);
        let (file, _) = self.create_file(&manifest.path, &|out| out.write_all(&manifest.bytes))?;
        stamp::set_manifest_time(&file, &path, started)?;
        sync(&file, &path)?;
        swap::swap_in(&self.dir, &self.output)?;
        // `dir` now holds the previous report, if there was one.
        if self.dir.exists() {
            fs::remove_dir_all(&self.dir)?;
        }
        Ok(())
    }

    /// Writes and syncs one file; its path and size.
    fn write_synced(
        &self,
        path: &str,
        write: &dyn Fn(&mut dyn Write) -> io::Result<()>,
    ) -> Result<OutputEntry> {
        let (file, bytes) = self.create_file(path, write)?;
        sync(&file, &self.dir.join(path))?;
        Ok(OutputEntry {
            path: path.to_string(),
            bytes,
        })
    }

    /// Creates `path` below the tree and fills it with what `write` writes
    /// (unbuffered: callers write large blocks); the open file and its size.
    fn create_file(
        &self,
        path: &str,
        write: &dyn Fn(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(File, u64)> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        let failed = || format!("failed to write `{}`", full.display());
        let file = File::create(&full).with_context(failed)?;
        let bytes = std::thread::scope(|scope| {
            let mut out = Counted {
                file: &file,
                bytes: 0,
                synced_at: 0,
                scope,
                writeback: None,
            };
            let written = write(&mut out);
            let bytes = out.bytes;
            written.and(out.end_writeback()).map(|()| bytes)
        })
        .with_context(failed)?;
        Ok((file, bytes))
    }
}

/// A run that fails before the swap removes its tree at once; a killed one
/// leaves it to the next run's [`clean_leftovers`].
impl Drop for Staging {
    fn drop(&mut self) {
        if self.dir.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Flushes a new file to disk before the swap, so a power cut after it
/// cannot leave the output folder naming files that were never written.
fn sync(file: &File, path: &Path) -> Result<()> {
    file.sync_all()
        .with_context(|| format!("failed to sync `{}`", path.display()))
}

/// A file that counts what is written to it, for the run record's sizes.
/// Every `WRITEBACK_EVERY` bytes, a helper thread syncs what is written so
/// far while the rest is written, so that the sync before the swap waits
/// for the last part only: `quality/accounts.csv` (375 MB at 2M rows)
/// took 0.12 s to sync once written whole.
struct Counted<'scope, 'env> {
    file: &'env File,
    bytes: u64,
    /// `bytes` when the helper was last asked to sync.
    synced_at: u64,
    scope: &'scope std::thread::Scope<'scope, 'env>,
    /// Asks the helper to sync, and the helper, once the file is large
    /// enough to have one.
    writeback: Option<(SyncSender<()>, ScopedJoinHandle<'scope, io::Result<()>>)>,
}

/// Bytes written between two syncs of a large file's written part.
const WRITEBACK_EVERY: u64 = 32 << 20;

impl Counted<'_, '_> {
    /// Stops the helper; the error of its first failed sync. A file's
    /// writeback error is reported once to the open file, so the sync
    /// before the swap would not see it again.
    fn end_writeback(self) -> io::Result<()> {
        let Some((ask, helper)) = self.writeback else {
            return Ok(());
        };
        drop(ask);
        helper
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the thread syncing the file panicked")))
    }
}

impl Write for Counted<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = (&mut &*self.file).write(buf)?;
        self.bytes += n as u64;
        if self.bytes - self.synced_at >= WRITEBACK_EVERY {
            self.synced_at = self.bytes;
            let file = self.file;
            let (ask, _) = self.writeback.get_or_insert_with(|| {
                let (ask, asked) = std::sync::mpsc::sync_channel(1);
                // Stops at its first failed sync, which `end_writeback` reports.
                let helper = self
                    .scope
                    .spawn(move || asked.iter().try_for_each(|()| file.sync_data()));
                (ask, helper)
            });
            // The helper still syncing, and asked again (or stopped by a
            // failed sync): the next sync covers this part too.
            let _ = ask.try_send(());
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&mut &*self.file).flush()
    }
}

/// Writes each file with `write`, in parallel, calling `on_file` after each;
/// the entries in the files' order.
fn each_in_parallel<T: Sync>(
    files: &[T],
    on_file: &(dyn Fn() + Sync),
    write: impl Fn(&T) -> Result<OutputEntry> + Sync,
) -> Result<Vec<OutputEntry>> {
    files
        .par_iter()
        .map(|f| {
            let written = write(f);
            on_file();
            written
        })
        .collect()
}

/// Refuses an output folder that is not govwx's to replace (docs/CONTRACT.md §7): one
/// that equals, contains or lies inside the input, that is not a folder, or
/// that is a non-empty folder without a govwx `manifest.json`. Checked
/// before anything is touched, so a refused run changes nothing.
pub fn check_output(output: &Path, input: &Path) -> Result<()> {
    let refuse = |why: String| -> Result<()> { Err(UsageError(why).into()) };
    let shown = output.display();
    if output.file_name().is_none() {
        return refuse(format!(
            "output `{shown}` does not name a folder; pass `--output DIR` with a folder name, such as `output`"
        ));
    }
    let (out, inp) = (resolved(output), resolved(input));
    if out == inp {
        return refuse(format!(
            "output `{shown}` is the input folder; govwx replaces its output whole, so pass `--output` a folder of its own, such as `output` beside the input"
        ));
    }
    if inp.starts_with(&out) {
        return refuse(format!(
            "output `{shown}` contains the input `{}`; govwx replaces its output whole, so pass `--output` a folder beside the input, not above it",
            input.display()
        ));
    }
    if out.starts_with(&inp) {
        return refuse(format!(
            "output `{shown}` lies inside the input `{}`; the report would be read as input next time, so pass `--output` a folder outside it",
            input.display()
        ));
    }
    let metadata = match std::fs::symlink_metadata(output) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(e).with_context(|| format!("failed to read `{shown}`"));
        }
    };
    // Through a symlink to the folder it names.
    let is_dir = metadata.is_dir() || (metadata.is_symlink() && output.is_dir());
    if !is_dir {
        return refuse(format!(
            "output `{shown}` is a file, not a folder; govwx publishes a folder there, so remove the file or pass another `--output`"
        ));
    }
    let empty = std::fs::read_dir(output)
        .with_context(|| format!("failed to list `{shown}`"))?
        .next()
        .is_none();
    if !empty && !fs::is_govwx_output(output) {
        return refuse(format!(
            "output `{shown}` holds files govwx did not write (it has no govwx `manifest.json`) and would be replaced whole; pass `--output` an empty or new folder, or remove its contents yourself"
        ));
    }
    Ok(())
}

/// `path` made absolute with symlinks resolved, as far as it exists; the
/// rest, not yet created, appended with `.` and `..` applied.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
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

    /// A file written in many pieces, past several writebacks: its size is
    /// counted, its bytes are what was written, and the write ends (the
    /// helper thread that syncs its written part stops with it).
    #[test]
    fn a_large_streamed_file_is_written_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let staging = Staging::create(&dir.path().join("output")).expect("staging");
        let piece: Vec<u8> = (0..=250u8).cycle().take(1 << 20).collect();
        let pieces = (5 * WRITEBACK_EVERY / 2).div_ceil(piece.len() as u64);
        let write = |out: &mut dyn Write| (0..pieces).try_for_each(|_| out.write_all(&piece));
        let entry = staging
            .write_synced("quality/big.csv", &write)
            .expect("written");
        let expected = pieces * piece.len() as u64;
        assert_eq!(entry.bytes, expected);
        let written = fs::read(&staging.path_of("quality/big.csv")).expect("read back");
        assert_eq!(written.len() as u64, expected);
        assert!(written.chunks(piece.len()).all(|chunk| chunk == piece));
    }
}
