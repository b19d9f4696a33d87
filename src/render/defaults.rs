//! `govwx init`: the built-in templates and config, written out for editing.
//!
//! A provincial office starts from the defaults rather than from a blank
//! page. Nothing that exists is overwritten: a second `init` in the same
//! folder, or one over edited files, fails before writing anything.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::templates::BUILTIN;

/// The file name the built-in config is written to.
const CONFIG_NAME: &str = "govwx.toml";

/// Writes the built-in templates and `govwx.toml` into `dir` (created when
/// missing) and returns the paths written, in a fixed order.
///
/// Fails, writing nothing, when any of the files already exists.
pub fn write_defaults(dir: &Path) -> Result<Vec<PathBuf>> {
    let files: Vec<(PathBuf, &str)> = BUILTIN
        .iter()
        .map(|&(name, text)| (dir.join(name), text))
        .chain([(dir.join(CONFIG_NAME), crate::config::DEFAULT_CONFIG)])
        .collect();
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| format!("`{}`", path.display()))
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already exist; move them away or choose another folder",
            existing.join(", ")
        );
    }
    crate::fs::create_dir_all(dir)?;
    for (path, text) in &files {
        crate::fs::write(path, text)?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_templates_and_config_once() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("mine");
        let written = write_defaults(&target).unwrap();
        let names: Vec<_> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "layout.html.tera",
                "report.md.tera",
                "report.en.md.tera",
                "province.md.tera",
                "provinces.md.tera",
                "govwx.toml"
            ]
        );
        let config = std::fs::read_to_string(target.join("govwx.toml")).unwrap();
        assert_eq!(config, crate::config::DEFAULT_CONFIG);
        // The written templates load as overrides and change nothing.
        let loaded = super::super::Templates::load(Some(&target)).unwrap();
        let builtin = super::super::Templates::builtin().unwrap();
        assert_eq!(loaded.fingerprint(), builtin.fingerprint());

        std::fs::write(target.join("report.md.tera"), "edited").unwrap();
        let err = write_defaults(&target).unwrap_err();
        assert!(format!("{err:#}").contains("already exist"), "{err:#}");
        let kept = std::fs::read_to_string(target.join("report.md.tera")).unwrap();
        assert_eq!(kept, "edited");
    }
}
