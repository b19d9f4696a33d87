//! Swapping a finished tree in for the output folder in one step.
//!
//! On Linux, `renameat2(RENAME_EXCHANGE)` exchanges the two folders
//! atomically: a reader (a web server) sees the old tree or the new one,
//! never a mix or nothing, and `output/` stays a plain folder. The first
//! run has nothing to exchange with and renames the staging folder into
//! place, which is atomic too. Where the exchange is not supported (another
//! system, or a file system without it), two renames are used: the output
//! path is missing for an instant between them, but never holds a mix.

use std::path::Path;

use anyhow::Result;

use crate::fs;

/// Makes `staging` the `output` folder; the previous output, if any, ends
/// up at `staging` for the caller to remove.
pub fn swap_in(staging: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    if exchange(staging, output)? {
        return Ok(());
    }
    let aside = super::sibling(output, "previous")?;
    fs::rename(output, &aside)?;
    fs::rename(staging, output)?;
    fs::rename(&aside, staging)
}

/// Exchanges two paths atomically; `false` when the system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(std::io::Error::from(e)).map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "failed to exchange `{}` with `{}`",
                a.display(),
                b.display()
            ))
        }),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapping_exchanges_whole_trees() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (staging, output) = (dir.path().join(".out.staging"), dir.path().join("out"));
        fs::write(&staging.join("new.txt"), "new").expect("write");
        swap_in(&staging, &output).expect("first swap");
        assert!(output.join("new.txt").exists() && !staging.exists());
        fs::write(&staging.join("newer.txt"), "newer").expect("write");
        swap_in(&staging, &output).expect("second swap");
        assert!(output.join("newer.txt").exists() && !output.join("new.txt").exists());
        assert!(
            staging.join("new.txt").exists(),
            "the old tree is set aside"
        );
    }
}
