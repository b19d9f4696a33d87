//! Whole-sample tests: one default sample is generated once per test run
//! and checked for determinism, calibration, unique match-names and truth
//! lines that point at the right rows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::naming::match_name;
use super::*;
use govwx::geo::Province;

pub(super) struct Generated {
    _dir: tempfile::TempDir,
    pub out: PathBuf,
    pub truth: PathBuf,
    summary: SampleSummary,
}

fn generate_into(dir: &Path) -> (PathBuf, PathBuf, SampleSummary) {
    let (out, truth) = (dir.join("input"), dir.join("truth"));
    let opts = SampleOptions {
        out: out.clone(),
        truth: truth.clone(),
        seed: DEFAULT_SEED,
        ..Default::default()
    };
    let summary = generate(&opts).expect("the default sample generates");
    (out, truth, summary)
}

pub(super) fn sample() -> &'static Generated {
    static SAMPLE: OnceLock<Generated> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let (out, truth, summary) = generate_into(dir.path());
        Generated {
            _dir: dir,
            out,
            truth,
            summary,
        }
    })
}

/// Every file below `root`, relative path → bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub(super) fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The cells of a line of a CSV or TSV file.
pub(super) fn parse_line(line: &str) -> Vec<String> {
    match line.contains('\t') {
        true => line.split('\t').map(str::to_owned).collect(),
        false => csv_rows(line).into_iter().next().unwrap_or_default(),
    }
}

/// A file of the sample as text, gunzipped if need be.
pub(super) fn sample_text(file: &str) -> String {
    let bytes = std::fs::read(sample().out.join(file)).unwrap();
    if !file.ends_with(".gz") {
        return String::from_utf8(bytes).unwrap();
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
        .unwrap();
    text
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (out, truth, _) = generate_into(dir.path());
    assert_eq!(tree(&out), tree(&sample().out));
    assert_eq!(tree(&truth), tree(&sample().truth));
}

#[test]
fn published_figures_hold_in_the_truth() {
    let text = std::fs::read_to_string(sample().truth.join("figures.json")).unwrap();
    let figures: serde_json::Value = serde_json::from_str(&text).unwrap();
    let y2014 = &figures["periods"]["2014"];
    assert_eq!(y2014["accounts"], 40_924);
    assert_eq!(y2014["provinces"]["44"], 6_139);
    assert_eq!(y2014["provinces"]["33"], 6_057);
    assert_eq!(y2014["provincial_municipal"], 34_663);
    assert_eq!(y2014["domains"]["police"], 7_860);
    assert_eq!(y2014["domains"]["health"], 7_164);
    assert_eq!(y2014["account_types"]["service"], 12_277);
    assert_eq!(y2014["out_of_scope"], 6);
    assert_eq!(figures["periods"]["2013"]["account_types"]["enterprise"], 0);
    assert!(figures["service_growth"].as_f64().unwrap() > 1.0);
    let s = &sample().summary;
    assert_eq!((s.accounts_2014, s.files), (40_924, 1 + 2 * 33 + 3));
    assert!(s.accounts_2013 > 20_000 && s.accounts_2013 < s.accounts_2014);
}

#[test]
fn match_names_are_unique_per_province_across_periods() {
    let text = std::fs::read_to_string(sample().truth.join("accounts.csv")).unwrap();
    let mut owners: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for row in csv_rows(&text).into_iter().skip(1) {
        owners
            .entry((row[5].clone(), match_name(&row[4])))
            .or_default()
            .insert(row[1].clone());
    }
    let shared: Vec<_> = owners.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(shared.is_empty(), "{shared:?}");
}

/// The ids, match-name and province of each truth account, by id and period.
fn truth_accounts() -> BTreeMap<(String, String), Vec<String>> {
    let text = std::fs::read_to_string(sample().truth.join("accounts.csv")).unwrap();
    csv_rows(&text)
        .into_iter()
        .skip(1)
        .map(|r| ((r[0].clone(), r[1].clone()), r))
        .collect()
}

/// Every data line is listed, and every listed line is that record: an
/// account's line carries its original id, its alias, or its match-name
/// with its province, so it links under docs/CONTRACT.md §4 (an activity line: its
/// original id or its match-name).
#[test]
fn records_point_at_their_lines_and_link_to_their_accounts() {
    let accounts = truth_accounts();
    let records = std::fs::read_to_string(sample().truth.join("records.csv")).unwrap();
    let mut listed: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in csv_rows(&records).into_iter().skip(1) {
        let (period, file, line, status) =
            (&row[0], &row[1], row[2].parse::<usize>().unwrap(), &row[3]);
        let lines = files
            .entry(file.clone())
            .or_insert_with(|| sample_text(file).lines().map(str::to_owned).collect());
        let cells = parse_line(&lines[line - 1]);
        listed.entry(file.clone()).or_default().insert(line);
        match status.as_str() {
            "totals" => assert_eq!(cells[0], "合计"),
            "reject" => assert!(!row[5].is_empty()),
            _ => {
                let truth = &accounts[&(period.clone(), row[4].clone())];
                let activity = row[6] == "activity";
                assert!(
                    links(&cells, truth, activity),
                    "{file}:{line} does not link to {}",
                    row[4]
                );
            }
        }
    }
    for (file, lines) in &files {
        let header = lines.iter().position(|l| l.contains([',', '\t'])).unwrap();
        let data: BTreeSet<usize> = (header + 2..=lines.len()).collect();
        assert_eq!(&listed[file], &data, "{file}");
    }
}

fn links(cells: &[String], truth: &[String], activity: bool) -> bool {
    let norm = |c: &String| c.trim().to_ascii_lowercase();
    let has_id = cells
        .iter()
        .any(|c| norm(c) == truth[2] || norm(c) == truth[3]);
    let province = Province::from_code(truth[5].parse().unwrap_or(0));
    let named = cells.iter().any(|c| match_name(c) == match_name(&truth[4]));
    let placed = cells
        .iter()
        .any(|c| province.is_some() && Province::parse_column(c) == province);
    has_id || (named && (placed || activity))
}

#[test]
fn sample_stays_small() {
    let bytes: usize = tree(&sample().out).values().map(Vec::len).sum();
    assert!(bytes < 14 * 1024 * 1024, "{bytes} bytes");
}

#[test]
fn refuses_a_full_out_and_a_truth_inside_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("input");
    std::fs::create_dir_all(&out).unwrap();
    let inside = SampleOptions {
        out: out.clone(),
        truth: out.join("truth"),
        seed: 1,
        ..Default::default()
    };
    assert!(format!("{:#}", generate(&inside).err().unwrap()).contains("inside"));
    let sneaky = SampleOptions {
        out: out.clone(),
        truth: dir.path().join("x/../input/t"),
        seed: 1,
        ..Default::default()
    };
    assert!(generate(&sneaky).is_err());
    std::fs::write(out.join("a.csv"), "x").unwrap();
    let full = SampleOptions {
        out,
        truth: dir.path().join("truth"),
        seed: 1,
        ..Default::default()
    };
    assert!(format!("{:#}", generate(&full).err().unwrap()).contains("not empty"));
}
