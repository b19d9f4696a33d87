//! File-system calls that name their path in every error.

use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

/// Bytes read from input files by this process, through `Tallied` readers
/// (every read of the data path goes through one): how a test proves that
/// each input byte is read once.
pub static BYTES_READ: AtomicU64 = AtomicU64::new(0);

/// What a `Tallied` reader has passed: how many bytes, their SHA-256, and
/// the first `keep` of them, kept so that a later pass can read on from
/// where this one stopped instead of from the start.
pub struct Tally {
    bytes: u64,
    /// The reader has reached the end of the file.
    eof: bool,
    hasher: Sha256,
    kept: Vec<u8>,
    keep: usize,
}

impl Tally {
    pub fn new(keep: usize) -> Arc<Mutex<Tally>> {
        Arc::new(Mutex::new(Tally {
            bytes: 0,
            eof: false,
            hasher: Sha256::new(),
            kept: Vec::new(),
            keep,
        }))
    }

    /// Size and hex SHA-256 of the file, once the reader reached its end.
    pub fn digest(&self) -> Option<(u64, String)> {
        self.eof.then(|| self.so_far())
    }

    /// Size and hex SHA-256 of what passed.
    fn so_far(&self) -> (u64, String) {
        (self.bytes, hex(&self.hasher.clone().finalize()))
    }

    /// The bytes kept, and the hash so far, when they are all that passed.
    pub fn resumable(&self) -> Option<(Vec<u8>, Sha256)> {
        (self.kept.len() as u64 == self.bytes).then(|| (self.kept.clone(), self.hasher.clone()))
    }

    /// A tally that has already passed `kept`, hashed as `hasher`.
    pub fn resumed(kept: usize, hasher: Sha256) -> Arc<Mutex<Tally>> {
        Arc::new(Mutex::new(Tally {
            bytes: kept as u64,
            eof: false,
            hasher,
            kept: Vec::new(),
            keep: 0,
        }))
    }
}

/// A reader that counts, hashes and (up to its tally's `keep`) keeps what
/// it passes, and adds to `BYTES_READ`.
pub struct Tallied<R> {
    inner: R,
    tally: Arc<Mutex<Tally>>,
}

impl<R> Tallied<R> {
    pub fn new(inner: R, tally: Arc<Mutex<Tally>>) -> Tallied<R> {
        Tallied { inner, tally }
    }
}

impl<R: Read> Read for Tallied<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        BYTES_READ.fetch_add(n as u64, Ordering::Relaxed);
        let mut tally = self.tally.lock().unwrap_or_else(PoisonError::into_inner);
        tally.eof |= n == 0 && !buf.is_empty();
        tally.bytes += n as u64;
        tally.hasher.update(&buf[..n]);
        let room = tally.keep.saturating_sub(tally.kept.len()).min(n);
        tally.kept.extend_from_slice(&buf[..room]);
        Ok(n)
    }
}

/// A whole input file, counted in `BYTES_READ`.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let read = || -> io::Result<Vec<u8>> {
        let bytes = std::fs::read(path)?;
        BYTES_READ.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(bytes)
    };
    read().with_context(|| format!("failed to read `{}`", path.display()))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("failed to read `{}`", path.display()))
}

/// Writes a file, creating its parent folders.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, contents).with_context(|| format!("failed to write `{}`", path.display()))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("failed to create folder `{}`", path.display()))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path)
        .with_context(|| format!("failed to remove folder `{}`", path.display()))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).with_context(|| {
        format!(
            "failed to rename `{}` to `{}`",
            from.display(),
            to.display()
        )
    })
}

/// Whether `dir` is a folder a govwx run published: it holds a
/// `manifest.json` with govwx's version in it. Publishing replaces only
/// such a folder, and reading the input never enters one.
pub fn is_govwx_output(dir: &Path) -> bool {
    let Ok(bytes) = std::fs::read(dir.join("manifest.json")) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|v| v.get("govwx_version").is_some_and(|v| v.is_string()))
}

/// Size and lower-case hex SHA-256 of a file, read as a stream.
pub fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("failed to read `{}`", path.display()))?;
    let tally = Tally::new(0);
    std::io::copy(&mut Tallied::new(file, tally.clone()), &mut io::sink())
        .with_context(|| format!("failed to read `{}`", path.display()))?;
    let digest = tally
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .so_far();
    Ok(digest)
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex: the one encoder of every digest govwx writes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        write!(out, "{b:02x}").expect("writing to a String cannot fail");
    }
    out
}
