//! Helpers shared by the integration tests: whole runs in temporary folders.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use govwx::RunOptions;

/// Runs the pipeline on `input` into `<dir>/output` and returns the output folder.
pub fn run(input: &Path, dir: &Path) -> PathBuf {
    let output = dir.join("output");
    govwx::run(&options(input, &output)).expect("the run succeeds");
    output
}

pub fn options(input: &Path, output: &Path) -> RunOptions {
    RunOptions {
        input: input.to_owned(),
        output: output.to_owned(),
        period: None,
        baseline: None,
        config: None,
        templates: None,
        source_date_epoch: None,
        pdf: None,
    }
}

pub fn json(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

/// Rows of a CSV file (BOM stripped) as header-keyed maps.
pub fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// Every file below `root`, relative path → bytes.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// A path in the repository: the workspace root, which holds `Cargo.lock`
/// (these helpers serve the generator's crate too).
pub fn repo(path: &str) -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .unwrap_or(here);
    root.join(path)
}

/// Clears the names of the leading accounts, national and per province.
/// An account's name is its first record's in source order (docs/CONTRACT.md
/// §4), so inputs that list the same records in another order, or spell a
/// name differently in one copy, may name an account differently while every
/// figure stays the same.
pub fn without_leading_names(metrics: &mut serde_json::Value) {
    let unnamed = |leading: &mut serde_json::Value| {
        for list in ["by_followers", "by_reads"] {
            for account in leading[list].as_array_mut().expect("a list") {
                account["name"] = serde_json::Value::Null;
            }
        }
    };
    unnamed(&mut metrics["leading"]);
    for profile in metrics["province_profiles"]
        .as_array_mut()
        .expect("profiles")
    {
        unnamed(&mut profile["leading"]);
    }
}
