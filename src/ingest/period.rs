//! Period folders (SPEC §2): `2014`, `2014H1`, `2014Q3` or `2014-06`, one
//! kind per input folder, and the files below each, in sorted order.

use std::path::Path;

use anyhow::{Context, Result};
use walkdir::WalkDir;

use super::SourceFile;
use crate::metrics::Dataset;
use crate::UsageError;

/// Extensions govwx reads (each also gzipped).
const DATA_EXTENSIONS: &[&str] = &["csv", "tsv", "txt", "xlsx", "xls", "ods"];

/// The input folder, discovered.
#[derive(Debug)]
pub struct Input {
    pub dataset: Dataset,
    /// Periods from oldest to newest.
    pub periods: Vec<Period>,
    /// Files and folders that are not data, relative paths, for the summary.
    pub ignored: Vec<String>,
}

/// One period and its files.
#[derive(Debug, Clone)]
pub struct Period {
    pub name: String,
    pub files: Vec<SourceFile>,
}

/// The form of a period folder's name, and its position in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PeriodName {
    Year(u16),
    Half(u16, u8),
    Quarter(u16, u8),
    Month(u16, u8),
}

impl PeriodName {
    fn parse(name: &str) -> Option<PeriodName> {
        let year: u16 = name
            .get(..4)?
            .parse()
            .ok()
            .filter(|y| (1900..=2999).contains(y))?;
        let rest = &name[4..];
        let number = |s: &str, max: u8| s.parse::<u8>().ok().filter(|n| (1..=max).contains(n));
        match rest.as_bytes() {
            [] => Some(PeriodName::Year(year)),
            [b'H', _] => number(&rest[1..], 2).map(|h| PeriodName::Half(year, h)),
            [b'Q', _] => number(&rest[1..], 4).map(|q| PeriodName::Quarter(year, q)),
            [b'-', _, _] => number(&rest[1..], 12).map(|m| PeriodName::Month(year, m)),
            _ => None,
        }
    }

    fn kind(self) -> &'static str {
        match self {
            PeriodName::Year(_) => "year",
            PeriodName::Half(..) => "half",
            PeriodName::Quarter(..) => "quarter",
            PeriodName::Month(..) => "month",
        }
    }
}

/// The same period one year earlier: `2014H1` → `2013H1`.
pub fn year_before(name: &str) -> Option<String> {
    PeriodName::parse(name)?;
    let year: u16 = name[..4].parse().ok()?;
    Some(format!("{}{}", year - 1, &name[4..]))
}

/// Finds the periods of an input folder and their data files.
pub fn discover(root: &Path, default_period: &str) -> Result<Input> {
    if !root.is_dir() {
        return Err(UsageError(format!(
            "input folder `{}` does not exist; pass `--input DIR` or create `input/`",
            root.display()
        ))
        .into());
    }
    let dataset = read_dataset(root)?;
    let mut named: Vec<(PeriodName, String)> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for entry in sorted_entries(root)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        match PeriodName::parse(&name) {
            Some(period) if entry.path().is_dir() => named.push((period, name)),
            _ if name == "dataset.toml" => {}
            _ => others.push(name),
        }
    }
    if named.is_empty() {
        let files = data_files(root, root)?;
        let (files, ignored) = files;
        let period = Period {
            name: default_period.to_owned(),
            files,
        };
        return Ok(Input {
            dataset,
            periods: vec![period],
            ignored,
        });
    }
    let kinds: Vec<&str> = named.iter().map(|(p, _)| p.kind()).collect();
    if kinds.iter().any(|k| *k != kinds[0]) {
        return Err(UsageError(format!(
            "input folder `{}` mixes period kinds ({}); keep one kind (years, halves, quarters or months) per input folder",
            root.display(),
            kinds.join(", ")
        ))
        .into());
    }
    named.sort();
    let mut ignored = others;
    let mut periods = Vec::with_capacity(named.len());
    for (_, name) in named {
        let (files, skipped) = data_files(root, &root.join(&name))?;
        ignored.extend(skipped);
        periods.push(Period { name, files });
    }
    Ok(Input {
        dataset,
        periods,
        ignored,
    })
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .and_then(|it| it.collect::<std::io::Result<Vec<_>>>())
        .with_context(|| format!("failed to list `{}`", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

/// Data files below `dir`, sorted by path, and the other files found there.
fn data_files(root: &Path, dir: &Path) -> Result<(Vec<SourceFile>, Vec<String>)> {
    let mut files = Vec::new();
    let mut ignored = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name().follow_links(true) {
        let entry = entry.with_context(|| format!("failed to list `{}`", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = relative_path(root, entry.path());
        let name = entry.file_name().to_string_lossy();
        if relative == "dataset.toml" || name.starts_with('.') {
            continue;
        }
        if DATA_EXTENSIONS.contains(&super::extension(entry.path()).as_str()) {
            files.push(SourceFile {
                path: entry.path().to_owned(),
                relative,
            });
        } else {
            ignored.push(relative);
        }
    }
    Ok((files, ignored))
}

/// `path` relative to `root`, with `/` separators.
fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_dataset(root: &Path) -> Result<Dataset> {
    let path = root.join("dataset.toml");
    if !path.exists() {
        return Ok(Dataset::default());
    }
    let text = crate::fs::read_to_string(&path)?;
    toml::from_str(&text)
        .map_err(|e| UsageError(format!("invalid `{}`: {e}", path.display())).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_names() {
        assert_eq!(PeriodName::parse("2014"), Some(PeriodName::Year(2014)));
        assert_eq!(PeriodName::parse("2014H2"), Some(PeriodName::Half(2014, 2)));
        assert_eq!(
            PeriodName::parse("2014Q3"),
            Some(PeriodName::Quarter(2014, 3))
        );
        assert_eq!(
            PeriodName::parse("2014-06"),
            Some(PeriodName::Month(2014, 6))
        );
        for bad in ["2014Q5", "2014-13", "201", "abcd", "2014H", "2014-6"] {
            assert_eq!(PeriodName::parse(bad), None, "{bad}");
        }
        assert_eq!(year_before("2014Q3").as_deref(), Some("2013Q3"));
        assert!(PeriodName::parse("2013-12") < PeriodName::parse("2014-01"));
    }

    #[test]
    fn periods_and_files_are_found_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        for path in [
            "2014/b.csv",
            "2014/a/z.tsv",
            "2013/x.csv",
            "2014/notes.md",
            "misc/y.csv",
        ] {
            crate::fs::write(&dir.path().join(path), "x").expect("write");
        }
        let input = discover(dir.path(), "current").expect("discover");
        let names: Vec<&str> = input.periods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["2013", "2014"]);
        let files: Vec<&str> = input.periods[1]
            .files
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        assert_eq!(files, ["2014/a/z.tsv", "2014/b.csv"]);
        assert_eq!(input.ignored, ["misc", "2014/notes.md"]);
    }

    #[test]
    fn mixed_period_kinds_are_a_usage_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::fs::write(&dir.path().join("2014/a.csv"), "x").expect("write");
        crate::fs::write(&dir.path().join("2014Q1/a.csv"), "x").expect("write");
        let err = discover(dir.path(), "current").unwrap_err();
        assert!(err.downcast_ref::<UsageError>().is_some());
    }
}
