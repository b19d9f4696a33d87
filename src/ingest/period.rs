//! Period folders (docs/CONTRACT.md §2) and the files below each, in sorted order.
//!
//! A period folder is named as a year (`2014`, `2014年`), a half (`2014H1`,
//! `2014年上半年`), a quarter (`2014Q3`, `2014q3`, `2014-Q3`, `2014年第三季度`)
//! or a month (`2014-06`, `2014年6月`); one input folder holds one kind. Each
//! period goes by its canonical name (`2014`, `2014H1`, `2014Q3`, `2014-06`)
//! whatever its folder's spelling. A subfolder that starts like a period but
//! does not parse stops the run, as does one period spelled twice; only an
//! input without subfolders is one period of its own.
//!
//! The walk is per entry, as ripgrep's is: a dangling link, a link loop, an
//! unreadable folder or a name that is not UTF-8 is skipped with a reason,
//! and the rest is read.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use walkdir::WalkDir;

use super::SourceFile;
use crate::text::clean;
use crate::UsageError;

/// Extensions govwx reads (each also gzipped).
const DATA_EXTENSIONS: &[&str] = &["csv", "tsv", "txt", "xlsx", "xls", "ods"];

/// The input folder, discovered.
#[derive(Debug)]
pub struct Input {
    pub dataset: Dataset,
    /// Periods from oldest to newest.
    pub periods: Vec<Period>,
    /// Files and folders not read, with why, for the summary and the report.
    pub skipped: Vec<SkippedPath>,
}

/// A file or folder below the input that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SkippedPath {
    /// Relative to the input folder, with `/` separators (lossy when the
    /// name is not UTF-8).
    pub path: String,
    pub reason: String,
}

impl SkippedPath {
    fn new(path: impl Into<String>, reason: impl Into<String>) -> SkippedPath {
        SkippedPath {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// One period and its files.
#[derive(Debug, Clone)]
pub struct Period {
    /// Canonical: `2014`, `2014H1`, `2014Q3`, `2014-06`, or the configured
    /// name of an input without period folders.
    pub name: String,
    /// The name as a span of time, parsed once; `None` for an input without
    /// period folders, whose months are not known.
    pub when: Option<PeriodName>,
    /// The folder's own name (`2014年`), for messages.
    pub folder: String,
    pub files: Vec<SourceFile>,
}

/// The form of a period folder's name, and its position in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeriodName {
    Year(u16),
    Half(u16, u8),
    Quarter(u16, u8),
    Month(u16, u8),
}

impl PeriodName {
    /// Reads a folder name in any of the spellings above (full-width
    /// characters and letter case do not matter); `None` for anything else.
    pub fn parse(name: &str) -> Option<PeriodName> {
        let name = clean(name).to_ascii_uppercase();
        let digits = name.bytes().take_while(u8::is_ascii_digit).count();
        let number = |s: &str, max: u8| s.parse::<u8>().ok().filter(|n| (1..=max).contains(n));
        let year = |s: &str| s.parse::<u16>().ok().filter(|y| (1900..=2999).contains(y));
        match (digits, name.len()) {
            // `201406`, as a statistics month is often written.
            (6, 6) => {
                return Some(PeriodName::Month(
                    year(&name[..4])?,
                    number(&name[4..], 12)?,
                ))
            }
            (4, _) => {}
            _ => return None,
        }
        let year = year(&name[..4])?;
        let rest = name[4..].trim_start_matches(['年', '-', '_', ' ']);
        if rest.is_empty() {
            // `2014-` and `2014_` are not periods; `2014年` is.
            return (name.len() == 4 || name[4..] == *"年").then_some(PeriodName::Year(year));
        }
        if let Some(h) = rest.strip_prefix('H') {
            return number(h, 2).map(|h| PeriodName::Half(year, h));
        }
        if let Some(q) = rest.strip_prefix('Q') {
            return number(q, 4).map(|q| PeriodName::Quarter(year, q));
        }
        match rest {
            "上半年" => return Some(PeriodName::Half(year, 1)),
            "下半年" => return Some(PeriodName::Half(year, 2)),
            _ => {}
        }
        if let Some(quarter) = rest.strip_prefix('第').unwrap_or(rest).strip_suffix("季度") {
            let q = match quarter {
                "一" | "1" => 1,
                "二" | "2" => 2,
                "三" | "3" => 3,
                "四" | "4" => 4,
                _ => return None,
            };
            return Some(PeriodName::Quarter(year, q));
        }
        // A month: `2014-06`, `2014-6`, `2014年6月`, `201406`.
        let month = rest.strip_suffix('月').unwrap_or(rest);
        if (1..=2).contains(&month.len()) && month.bytes().all(|b| b.is_ascii_digit()) {
            return number(month, 12).map(|m| PeriodName::Month(year, m));
        }
        None
    }

    fn kind(self) -> &'static str {
        match self {
            PeriodName::Year(_) => "year",
            PeriodName::Half(..) => "half",
            PeriodName::Quarter(..) => "quarter",
            PeriodName::Month(..) => "month",
        }
    }

    /// The first and last month the period covers, `(year, month)`.
    pub fn months(self) -> ((u16, u8), (u16, u8)) {
        match self {
            PeriodName::Year(y) => ((y, 1), (y, 12)),
            PeriodName::Half(y, h) => ((y, 6 * h - 5), (y, 6 * h)),
            PeriodName::Quarter(y, q) => ((y, 3 * q - 2), (y, 3 * q)),
            PeriodName::Month(y, m) => ((y, m), (y, m)),
        }
    }

    fn year(self) -> u16 {
        match self {
            PeriodName::Year(y)
            | PeriodName::Half(y, _)
            | PeriodName::Quarter(y, _)
            | PeriodName::Month(y, _) => y,
        }
    }

    fn with_year(self, year: u16) -> PeriodName {
        match self {
            PeriodName::Year(_) => PeriodName::Year(year),
            PeriodName::Half(_, h) => PeriodName::Half(year, h),
            PeriodName::Quarter(_, q) => PeriodName::Quarter(year, q),
            PeriodName::Month(_, m) => PeriodName::Month(year, m),
        }
    }
}

impl std::fmt::Display for PeriodName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeriodName::Year(y) => write!(f, "{y}"),
            PeriodName::Half(y, h) => write!(f, "{y}H{h}"),
            PeriodName::Quarter(y, q) => write!(f, "{y}Q{q}"),
            PeriodName::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

/// The canonical name of a period as a user may type it (`--period 2014年`),
/// or the text itself when it is no period name.
pub fn canonical(name: &str) -> String {
    PeriodName::parse(name).map_or_else(|| name.to_owned(), |p| p.to_string())
}

/// The same period one year earlier: `2014H1` → `2013H1`.
pub fn year_before(period: PeriodName) -> Option<PeriodName> {
    let year = period.year().checked_sub(1).filter(|y| *y >= 1900)?;
    Some(period.with_year(year))
}

/// Finds the periods of an input folder and their data files.
pub fn discover(root: &Path, default_period: &str) -> Result<Input> {
    if !root.is_dir() {
        let what = if root.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(UsageError(format!(
            "input folder `{}` {what}; pass `--input DIR` with the folder of exports, or create `input/`",
            root.display()
        ))
        .into());
    }
    let dataset = read_dataset(root)?;
    let mut named: Vec<(PeriodName, String)> = Vec::new();
    let mut unparsed: Vec<String> = Vec::new();
    let mut folders: Vec<String> = Vec::new();
    let mut skipped: Vec<SkippedPath> = Vec::new();
    let mut top_files: Vec<String> = Vec::new();
    for entry in sorted_entries(root)? {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            let name = entry.file_name().to_string_lossy().into_owned();
            skipped.push(SkippedPath::new(name, NOT_UTF8));
            continue;
        };
        if name == "dataset.toml" {
            continue;
        }
        if name.starts_with('.') {
            skipped.push(SkippedPath::new(name, HIDDEN));
            continue;
        }
        // Through a symlink, as the walk below follows them.
        if !entry.path().is_dir() {
            top_files.push(name);
            continue;
        }
        match PeriodName::parse(&name) {
            Some(period) => named.push((period, name)),
            None if looks_like_period(&name) => unparsed.push(name),
            None => folders.push(name),
        }
    }
    if !unparsed.is_empty() {
        return Err(UsageError(format!(
            "input folder `{}` has folders that look like periods but are not: {}; name periods as a year (2014, 2014年), a half (2014H1, 2014年上半年), a quarter (2014Q3, 2014年第三季度) or a month (2014-06, 2014年6月), or rename the folders",
            root.display(),
            quoted(&unparsed)
        ))
        .into());
    }
    if named.is_empty() {
        if !folders.is_empty() {
            return Err(UsageError(format!(
                "input folder `{}` has subfolders ({}) but no period folders; put each period's files in a folder named for it (2014, 2014年, 2014Q3, 2014-06), or put the files directly in the input folder",
                root.display(),
                quoted(&folders)
            ))
            .into());
        }
        let (files, more) = data_files(root, root);
        skipped.retain(|s| !s.reason.starts_with(HIDDEN));
        skipped.extend(more);
        let period = Period {
            name: default_period.to_owned(),
            when: None,
            folder: String::new(),
            files,
        };
        return Ok(Input {
            dataset,
            periods: vec![period],
            skipped,
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
    if let Some(pair) = named.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(UsageError(format!(
            "folders `{}` and `{}` of `{}` are the same period {}; merge them into one folder",
            pair[0].1,
            pair[1].1,
            root.display(),
            pair[0].0
        ))
        .into());
    }
    for folder in folders {
        skipped.push(SkippedPath::new(
            folder,
            "not a period folder (2014, 2014年, 2014Q3, 2014-06): not read",
        ));
    }
    for file in top_files {
        skipped.push(SkippedPath::new(
            file,
            "a file beside the period folders: not read; move it into its period's folder",
        ));
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let mut periods = Vec::with_capacity(named.len());
    for (period, folder) in named {
        let (files, more) = data_files(root, &root.join(&folder));
        skipped.extend(more);
        periods.push(Period {
            name: period.to_string(),
            when: Some(period),
            folder,
            files,
        });
    }
    Ok(Input {
        dataset,
        periods,
        skipped,
    })
}

const OUTPUT: &str =
    "a report govwx published (it holds govwx's `manifest.json`): not read as input";

const HIDDEN: &str = "hidden (its name starts with `.`): not read";

const NOT_UTF8: &str =
    "its name is not valid UTF-8 text, which the audit files cannot name; rename it";

/// A name that starts as a period does (four digits) but may not be one.
fn looks_like_period(name: &str) -> bool {
    let name = clean(name);
    name.len() >= 4 && name.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .and_then(|it| it.collect::<std::io::Result<Vec<_>>>())
        .with_context(|| format!("failed to list `{}`", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

/// A regular file below a folder, as the walk found it.
#[derive(Debug, Clone)]
pub struct WalkedFile {
    pub path: PathBuf,
    /// Relative to the walk's root, with `/` separators.
    pub relative: String,
    pub metadata: std::fs::Metadata,
}

/// Every regular file below `dir` (through symlinks), sorted by path, and
/// the entries that could not be walked, each with why. Hidden entries
/// (`.name`) and folders govwx published are passed over, and listed.
pub fn walk(root: &Path, dir: &Path) -> (Vec<WalkedFile>, Vec<SkippedPath>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let passed_over = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let reason = if e.file_name().to_string_lossy().starts_with('.') {
                HIDDEN
            } else if e.file_type().is_dir() && crate::fs::is_govwx_output(e.path()) {
                OUTPUT
            } else {
                return true;
            };
            passed_over.borrow_mut().push((e.path().to_owned(), reason));
            false
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| relative_path(root, dir), |p| relative_path(root, p));
                skipped.push(SkippedPath::new(path, walk_error(&error)));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = relative_path(root, entry.path());
        if entry
            .path()
            .strip_prefix(root)
            .map_or(true, |p| p.to_str().is_none())
        {
            skipped.push(SkippedPath::new(relative, NOT_UTF8));
            continue;
        }
        if !entry.file_type().is_file() {
            skipped.push(SkippedPath::new(
                relative,
                "not a regular file (a device, socket or pipe): not read",
            ));
            continue;
        }
        match entry.metadata() {
            Ok(metadata) => files.push(WalkedFile {
                path: entry.path().to_owned(),
                relative,
                metadata,
            }),
            Err(error) => skipped.push(SkippedPath::new(relative, walk_error(&error))),
        }
    }
    for (path, reason) in passed_over.into_inner() {
        skipped.push(SkippedPath::new(relative_path(root, &path), reason));
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    (files, skipped)
}

/// Why an entry could not be walked, in a user's words.
fn walk_error(error: &walkdir::Error) -> String {
    if let Some(ancestor) = error.loop_ancestor() {
        return format!(
            "a symbolic link back to `{}`, which would loop: not followed",
            ancestor.display()
        );
    }
    match error.io_error().map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => {
            "a symbolic link to nothing (dangling): not read".to_owned()
        }
        Some(std::io::ErrorKind::PermissionDenied) => {
            "permission denied: not read; give govwx read access to read it".to_owned()
        }
        _ => format!("cannot be read: {error}"),
    }
}

/// Data files below `dir`, sorted by path, and what else was found there.
fn data_files(root: &Path, dir: &Path) -> (Vec<SourceFile>, Vec<SkippedPath>) {
    let (walked, mut skipped) = walk(root, dir);
    let mut files = Vec::new();
    for file in walked {
        if file.relative == "dataset.toml" {
            continue;
        }
        if DATA_EXTENSIONS.contains(&super::extension(&file.path).as_str()) {
            files.push(SourceFile {
                path: file.path,
                relative: file.relative,
            });
        } else {
            skipped.push(SkippedPath::new(
                file.relative,
                "not a data file (.csv, .tsv, .txt, .xlsx, .xls, .ods, or gzipped text): not read",
            ));
        }
    }
    (files, skipped)
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

/// What the input folder says about itself (`input/dataset.toml`).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    #[serde(default)]
    pub title: Option<String>,
    /// A line under the title (`2014年度报告`).
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Who publishes the report (`腾讯研究院`).
    #[serde(default)]
    pub publisher: Option<String>,
    /// The publication date as the cover prints it (`2015年4月`); the
    /// report's own date is `SOURCE_DATE_EPOCH`'s.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Where the data comes from, as the 数据来源 line under every chart
    /// and table says it (`各省网信办报送数据`); the title when absent.
    #[serde(default)]
    pub source: Option<String>,
    /// The English edition's title, subtitle, publisher, date,
    /// description and source; an edition without its own leaves the line out (the
    /// title falls back to a generic one).
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default)]
    pub subtitle_en: Option<String>,
    #[serde(default)]
    pub publisher_en: Option<String>,
    #[serde(default)]
    pub date_en: Option<String>,
    #[serde(default)]
    pub description_en: Option<String>,
    #[serde(default)]
    pub source_en: Option<String>,
    /// True for generated data: the report says so prominently.
    #[serde(default)]
    pub synthetic: bool,
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
        for bad in [
            "2014Q5",
            "2014-13",
            "201",
            "abcd",
            "2014H",
            "2014-",
            "20145",
            "2014年13月",
            "2014年第五季度",
            "2014年中",
            "2014backup",
            "2014-06-01",
            "12014",
            "2014Q",
        ] {
            assert_eq!(PeriodName::parse(bad), None, "{bad}");
        }
        let before = |name| {
            PeriodName::parse(name)
                .and_then(year_before)
                .map(|p| p.to_string())
        };
        assert_eq!(before("2014Q3").as_deref(), Some("2013Q3"));
        assert_eq!(before("2014年第三季度").as_deref(), Some("2013Q3"));
        assert_eq!(before("1900"), None);
        assert!(PeriodName::parse("2013-12") < PeriodName::parse("2014-01"));
    }

    #[test]
    fn period_names_in_every_spelling() {
        use PeriodName::*;
        for (name, period) in [
            ("2014年", Year(2014)),
            ("２０１４年", Year(2014)),
            ("2014h1", Half(2014, 1)),
            ("2014-H2", Half(2014, 2)),
            ("2014年上半年", Half(2014, 1)),
            ("2014年下半年", Half(2014, 2)),
            ("2014q4", Quarter(2014, 4)),
            ("2014-Q4", Quarter(2014, 4)),
            ("2014年第四季度", Quarter(2014, 4)),
            ("2014年第三季度", Quarter(2014, 3)),
            ("2014年第1季度", Quarter(2014, 1)),
            ("2014年6月", Month(2014, 6)),
            ("2014年06月", Month(2014, 6)),
            ("2014-6", Month(2014, 6)),
            ("201406", Month(2014, 6)),
        ] {
            assert_eq!(PeriodName::parse(name), Some(period), "{name}");
        }
        assert_eq!(canonical("2014年第三季度"), "2014Q3");
        assert_eq!(canonical("2014年6月"), "2014-06");
        assert_eq!(canonical("current"), "current");
        assert_eq!(Half(2014, 2).months(), ((2014, 7), (2014, 12)));
        assert_eq!(Quarter(2014, 4).months(), ((2014, 10), (2014, 12)));
    }

    proptest::proptest! {
        #[test]
        fn any_folder_name_parses_or_not_without_panicking(name in "\\PC{0,12}") {
            if let Some(period) = PeriodName::parse(&name) {
                proptest::prop_assert_eq!(PeriodName::parse(&period.to_string()), Some(period));
            }
        }
    }

    fn folder_error(paths: &[&str]) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        for path in paths {
            crate::fs::write(&dir.path().join(path), "x").expect("write");
        }
        let err = discover(dir.path(), "current").unwrap_err();
        assert!(err.downcast_ref::<UsageError>().is_some(), "{err:#}");
        format!("{err:#}")
    }

    #[test]
    fn chinese_and_lower_case_period_folders_are_periods() {
        let dir = tempfile::tempdir().expect("tempdir");
        for path in ["2013年/a.csv", "2014年/b.csv", "2014年/provinces/gd.csv"] {
            crate::fs::write(&dir.path().join(path), "x").expect("write");
        }
        let input = discover(dir.path(), "current").expect("discover");
        let names: Vec<&str> = input.periods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["2013", "2014"], "not one period called `current`");
        assert_eq!(input.periods[1].folder, "2014年");
        let files: Vec<&str> = input.periods[1]
            .files
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        assert_eq!(files, ["2014年/b.csv", "2014年/provinces/gd.csv"]);

        let dir = tempfile::tempdir().expect("tempdir");
        for path in ["2014q4/a.csv", "2014-Q3/b.csv", "2013q4/c.csv"] {
            crate::fs::write(&dir.path().join(path), "x").expect("write");
        }
        let input = discover(dir.path(), "current").expect("discover");
        let names: Vec<&str> = input.periods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["2013Q4", "2014Q3", "2014Q4"]);
    }

    #[test]
    fn folders_that_look_like_periods_but_are_not_stop_the_run() {
        let message = folder_error(&["2014/a.csv", "2014-backup/a.csv", "2015年度/b.csv"]);
        assert!(
            message.contains("`2014-backup`") && message.contains("`2015年度`"),
            "{message}"
        );
        let message = folder_error(&["2014/a.csv", "2014年/b.csv"]);
        assert!(message.contains("same period 2014"), "{message}");
        let message = folder_error(&["exports/a.csv", "b.csv"]);
        assert!(message.contains("`exports`"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn file_system_faults_are_skipped_entry_by_entry() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        crate::fs::write(&root.join("2014/a.csv"), "x").expect("write");
        std::os::unix::fs::symlink("nowhere.csv", root.join("2014/dangling.csv")).expect("link");
        std::os::unix::fs::symlink("..", root.join("2014/loop")).expect("link");
        let odd = std::ffi::OsStr::from_bytes(b"b\xff.csv");
        std::fs::write(root.join("2014").join(odd), "x").expect("write");
        let input = discover(root, "current").expect("the run goes on");
        let files: Vec<&str> = input.periods[0]
            .files
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        assert_eq!(files, ["2014/a.csv"]);
        let reasons: Vec<(&str, &str)> = input
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(
            reasons
                .iter()
                .any(|(p, r)| *p == "2014/b\u{FFFD}.csv" && r.contains("UTF-8")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|(p, r)| *p == "2014/dangling.csv" && r.contains("dangling")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|(p, r)| *p == "2014/loop" && r.contains("loop")),
            "{reasons:?}"
        );
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
        let skipped: Vec<&str> = input.skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(skipped, ["misc", "2014/notes.md"]);
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
