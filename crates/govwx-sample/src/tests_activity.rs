//! Activity tests: the activity rows, read back from the written files the
//! way docs/CONTRACT.md §5 says the pipeline reads them, give the truth's activity values
//! and the published maturity matrix; name-only rows name exactly one
//! account; the activity draw is deterministic and needs nothing of the
//! registry's random stream.

use std::collections::{BTreeMap, BTreeSet};

use super::matrix::median;
use super::naming::match_name;
use super::tests::{csv_rows, parse_line, sample, sample_text};
use super::DEFAULT_SEED;
use govwx::normalize::values::{parse_count, parse_month};

type Row = Vec<String>;

fn truth_rows(name: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(sample().truth.join(name)).unwrap();
    csv_rows(&text).into_iter().skip(1).collect()
}

/// In-scope and out-of-scope accounts of 2014, by truth id.
fn accounts_2014() -> BTreeMap<String, Row> {
    let rows = truth_rows("accounts.csv").into_iter();
    rows.filter(|r| r[0] == "2014")
        .map(|r| (r[1].clone(), r))
        .collect()
}

/// The data lines of 2014's records, by kind, as (record row, cells).
///
/// The WCI ranking export, laid out otherwise, is left out: it repeats the
/// platform's reads and is checked against its own truth.
fn records_2014(kind: &str) -> Vec<(Row, Row)> {
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows = truth_rows("records.csv").into_iter();
    rows.filter(|r| r[0] == "2014" && r[6] == kind && r[1] != super::ranking::RANKING_PATH)
        .map(|r| {
            let lines = files
                .entry(r[1].clone())
                .or_insert_with(|| sample_text(&r[1]).lines().map(str::to_owned).collect());
            let cells = parse_line(&lines[r[2].parse::<usize>().unwrap() - 1]);
            (r, cells)
        })
        .collect()
}

/// Match-name → accounts, over the name cell of every accepted 2014
/// registry record: what the pipeline matches name-only rows against.
fn registry_names() -> BTreeMap<String, BTreeSet<String>> {
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut headers: BTreeMap<String, usize> = BTreeMap::new();
    for (record, cells) in records_2014("registry") {
        let at = *headers.entry(record[1].clone()).or_insert_with(|| {
            let text = sample_text(&record[1]);
            let header = text.lines().find(|l| l.contains(',')).unwrap();
            let header = parse_line(header);
            let names = ["name", "名称", "公众号名称", "账号名称"];
            header
                .iter()
                .position(|h| names.contains(&h.as_str()))
                .unwrap()
        });
        if record[3] == "account" && !cells[at].is_empty() {
            let key = match_name(&cells[at]);
            names.entry(key).or_default().insert(record[4].clone());
        }
    }
    names
}

#[test]
fn name_only_rows_name_exactly_one_account() {
    let names = registry_names();
    let accounts = accounts_2014();
    let mut reasons = BTreeSet::new();
    for (record, cells) in records_2014("activity") {
        if cells[0].starts_with("gh_") || record[3] == "totals" {
            continue;
        }
        let owners = names.get(&match_name(&cells[0]));
        match (record[3].as_str(), record[5].as_str()) {
            ("account", _) => assert_eq!(owners, Some(&BTreeSet::from([record[4].clone()]))),
            (_, "unknown account") => assert_eq!(owners, None, "{cells:?}"),
            (_, "ambiguous account") => {
                let owners = owners.unwrap();
                let provinces: BTreeSet<&String> = owners.iter().map(|a| &accounts[a][5]).collect();
                assert!(provinces.len() > 1, "{cells:?}");
            }
            _ => assert_eq!(owners.map(BTreeSet::len), Some(1), "{cells:?}"),
        }
        reasons.insert(record[5].clone());
    }
    let expected = [
        "",
        "ambiguous account",
        "unknown account",
        "unparseable month",
        "unparseable reads",
    ];
    assert_eq!(reasons, expected.map(str::to_owned).into());
}

/// Reads per account, read back from the files: by original id, else by
/// unique match-name; rejected rows must fail one of those steps.
fn read_back() -> BTreeMap<String, Vec<(u8, u64)>> {
    let names = registry_names();
    let accounts = accounts_2014();
    let ids: BTreeMap<&String, &String> = accounts.values().map(|r| (&r[2], &r[1])).collect();
    let mut reads: BTreeMap<String, Vec<(u8, u64)>> = BTreeMap::new();
    for (record, cells) in records_2014("activity") {
        let account = match ids.get(&cells[0]) {
            Some(id) => Some((*id).clone()),
            None => names
                .get(&match_name(&cells[0]))
                .filter(|o| o.len() == 1)
                .and_then(|o| o.first().cloned()),
        };
        let (month, count) = (parse_month(&cells[1]), parse_count(&cells[3]));
        match (record[3].as_str(), account, month, count) {
            ("account", Some(a), Some((2014, m @ 10..=12)), Some(n)) if a == record[4] => {
                reads.entry(a).or_default().push((m, n));
            }
            ("reject", a, m, n) => assert!(a.is_none() || m.is_none() || n.is_none()),
            ("totals", ..) => assert_eq!(cells[0], "合计"),
            _ => panic!("{record:?} does not read back: {cells:?}"),
        }
    }
    reads
}

#[test]
fn activity_read_back_gives_the_truth_and_the_published_zones() {
    let accounts = accounts_2014();
    let mut by_domain: BTreeMap<String, (usize, Vec<f64>)> = BTreeMap::new();
    let mut reads = read_back();
    let (mut dormant, mut without) = (0, 0);
    for (id, row) in accounts.iter().filter(|(_, r)| r[10] == "true") {
        let domain = by_domain.entry(row[7].clone()).or_default();
        domain.0 += 1;
        let Some(months) = reads.get_mut(id) else {
            assert_eq!(row[11], "", "{id} has no rows and no activity");
            without += 1;
            continue;
        };
        months.sort();
        let unique: BTreeSet<u8> = months.iter().map(|m| m.0).collect();
        assert_eq!(unique.len(), months.len(), "{id}: one row per month");
        let followers: f64 = row[9].parse().unwrap();
        let sum: f64 = months.iter().map(|m| m.1 as f64 / followers).sum();
        let value = sum / months.len() as f64;
        assert_eq!(row[11].parse::<f64>().unwrap(), value, "{id}");
        dormant += usize::from(value == 0.0);
        domain.1.push(value);
    }
    let with = accounts.values().filter(|r| !r[11].is_empty()).count();
    // 85% are drawn with rows; those whose original id no 2014 registry
    // record shows lose their platform rows, leaving about 72%.
    assert!((0.68..0.78).contains(&(with as f64 / (with + without) as f64)));
    assert!((0.01..0.03).contains(&(dormant as f64 / with as f64)));
    check_matrix(&by_domain);
}

fn check_matrix(by_domain: &BTreeMap<String, (usize, Vec<f64>)>) {
    let text = std::fs::read_to_string(sample().truth.join("figures.json")).unwrap();
    let figures: serde_json::Value = serde_json::from_str(&text).unwrap();
    let activity = &figures["periods"]["2014"]["activity"];
    let eligible: Vec<(&String, f64, f64)> = by_domain
        .iter()
        .filter(|(slug, (n, _))| *n >= 10 && slug.as_str() != "other")
        .map(|(slug, (n, v))| (slug, *n as f64, median(v.clone()).unwrap()))
        .collect();
    let count_split = median(eligible.iter().map(|e| e.1).collect()).unwrap();
    let activity_split = median(eligible.iter().map(|e| e.2).collect()).unwrap();
    // serde_json parses floats to within an ulp; the file holds them exactly.
    let close = |json: &serde_json::Value, value: f64| {
        let read = json.as_f64().unwrap();
        assert!(
            (read - value).abs() <= 1e-12 * value.abs(),
            "{read} != {value}"
        );
    };
    close(&activity["matrix"]["count_split"], count_split);
    close(&activity["matrix"]["activity_split"], activity_split);
    let zone = |count: f64, value: f64| match (count >= count_split, value >= activity_split) {
        (true, true) => "active",
        (false, true) => "potential",
        (false, false) => "undeveloped",
        (true, false) => "to_promote",
    };
    let zones: BTreeMap<&str, &str> = eligible
        .iter()
        .map(|(slug, n, v)| (slug.as_str(), zone(*n, *v)))
        .collect();
    for (slug, _, value) in &eligible {
        close(&activity["domains"][slug.as_str()]["activity"], *value);
        assert_eq!(
            activity["matrix"]["quadrants"][slug.as_str()],
            zones[slug.as_str()]
        );
    }
    let published = [
        ("active", &["police", "health", "publicity"][..]),
        (
            "potential",
            &["transport", "tourism", "culture", "education"],
        ),
        ("undeveloped", &["housing_fund", "food_drug", "tax"]),
        ("to_promote", &["youth_league", "hr_social"]),
    ];
    for (zone, slugs) in published {
        for slug in slugs {
            assert_eq!(zones[slug], zone, "{slug}");
        }
    }
}

#[test]
fn activity_is_deterministic_and_its_gzip_has_no_clock() {
    let settings = govwx::config::Settings::builtin();
    let gazetteer = super::places::Gazetteer::load();
    let mut namer = super::naming::Namer::new(&gazetteer, &settings);
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(DEFAULT_SEED);
    let accounts = super::population::draw(&mut rng, &settings, &mut namer).unwrap();
    let registry: Vec<super::writer::SourceFile> = super::model::Period::ALL
        .into_iter()
        .flat_map(|period| {
            super::exports::period_files(&mut rng, &settings, &accounts, period, None)
        })
        .collect();
    let known = super::registry_ids(&registry, "2014");
    let run = || super::activity_sample(DEFAULT_SEED, &settings, &accounts, &known, true).unwrap();
    let ((a, fa, wa), (b, fb, wb)) = (run(), run());
    assert_eq!(wa, wb);
    let bytes = |files: &[super::writer::SourceFile]| files.iter().map(|f| f.encode()).collect();
    let (ba, bb): (Vec<Vec<u8>>, Vec<Vec<u8>>) = (bytes(&a), bytes(&b));
    assert_eq!(ba, bb);
    assert_eq!(fa.by_account, fb.by_account);
    assert_eq!(&ba[0][..2], &[0x1f, 0x8b], "the platform export is gzipped");
    assert_eq!(&ba[0][4..8], &[0, 0, 0, 0], "gzip mtime is 0");
    let written = std::fs::read(sample().out.join(&a[0].path)).unwrap();
    assert_eq!(written, ba[0], "generate writes the same bytes");
}
