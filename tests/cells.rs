//! Safe on anyone's data: no cell crashes a run, and no cell is guessed
//! silently. Each test runs the whole pipeline on a small input folder that
//! holds one kind of hostile cell, and checks that the run finishes, that a
//! bad cell rejects its row with a reason naming the field, and that the
//! figures are what the cells say.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

fn write(root: &Path, path: &str, text: &str) {
    govwx::fs::write(&root.join(path), text).expect("write fixture");
}

/// A period folder `2014` with a registry and the given extra files.
fn run_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        write(dir.path(), &format!("input/{path}"), text);
    }
    let output = common::run(&dir.path().join("input"), dir.path());
    (dir, output)
}

/// `reason` of each rejected row, by line.
fn rejects(output: &Path) -> BTreeMap<u32, String> {
    common::csv_rows(&output.join("quality/rejects.csv"))
        .into_iter()
        .map(|r| (r["line"].parse().expect("line"), r["reason"].clone()))
        .collect()
}

fn accounts(output: &Path) -> Vec<BTreeMap<String, String>> {
    common::csv_rows(&output.join("quality/accounts.csv"))
}

const REGISTRY: &str = "\
名称,原始ID,省份,粉丝数,认证主体
平安深圳,gh_000000000001,广东,1000,深圳市公安局
广州交警,gh_000000000002,广东,2000,广州市公安局交通警察支队
健康深圳,gh_000000000004,广东,500,深圳市卫生和计划生育委员会
";

/// Finding 4: months with a dash of another width, or in another order,
/// used to panic inside a multi-byte character.
#[test]
fn months_of_every_shape_never_panic() {
    let months = [
        "12月2014",
        "2014–12",
        "2014—12",
        "2014−12",
        "2014〜12",
        "2014。12",
        "2014月12",
        "２０１４－１２",
        "٢٠١٤-١٢",
        "2014\u{202E}-12",
    ];
    let mut activity = String::from("原始ID,公众号名称,统计月份,发文数,阅读数,点赞数\n");
    for month in months {
        activity.push_str(&format!("gh_000000000001,,{month},1,100,1\n"));
    }
    let (_dir, output) = run_with(&[
        ("2014/registry.csv", REGISTRY),
        ("2014/activity.csv", &activity),
    ]);
    let rejects = rejects(&output);
    // Lines 3, 4, 5 (dashes), 9 (full width, which NFKC makes ASCII) and
    // 11 (an invisible control) are read as 2014-12; the rest are rejected,
    // naming the month.
    let rejected: Vec<u32> = rejects.keys().copied().collect();
    assert_eq!(rejected, [2, 6, 7, 8, 10], "{rejects:?}");
    for reason in rejects.values() {
        assert!(reason.starts_with("month: "), "{reason}");
    }
    let m = common::json(&output.join("metrics.json"));
    assert_eq!(m["activity"]["months"], serde_json::json!(["2014-12"]));
    // `check` and `explain` read the same cells.
    let dir = output.parent().expect("the run's folder");
    let options = common::options(&dir.join("input"), &dir.join("checked"));
    // Five rejects of thirteen records hit the rejected-share gate: exit 3.
    let checked = govwx::check(&options, &govwx::RunControl::default()).expect("check runs");
    assert_eq!(checked.exit_code, 3);
    let explained = govwx::explain(&options, "平安深圳").expect("explain runs");
    assert!(explained.contains("gh_000000000001"), "{explained}");
}

/// Finding 9: thousands of records sharing a name (or a placeholder for
/// one) in a province, each with its own id, used to log a conflict per
/// pair: a quadratic `conflicts.csv`.
#[test]
fn conflicts_are_linear_in_the_records_and_different_ids_never_merge() {
    const N: usize = 1000;
    let mut registry = String::from("名称,原始ID,微信号,省份,粉丝数\n");
    for i in 0..N {
        registry.push_str(&format!("城区发布,gh_{:012x},,广东,{i}\n", i + 1));
        registry.push_str(&format!("NULL,gh_{:012x},-,广东,{i}\n", N + i + 1));
    }
    let (_dir, output) = run_with(&[("2014/registry.csv", &registry)]);
    let conflicts = common::csv_rows(&output.join("quality/conflicts.csv"));
    assert!(
        conflicts.len() <= N,
        "{} conflict rows for {N} records of one name",
        conflicts.len()
    );
    assert!(
        conflicts.iter().all(|c| c["rule"] == "match_name"),
        "placeholder names and WeChat ids link nothing, so only 城区发布 conflicts"
    );
    let accounts = accounts(&output);
    assert_eq!(accounts.len(), 2 * N, "different original ids never merge");
    assert!(
        accounts.iter().all(|a| a["name"] != "NULL"),
        "`NULL` is no name"
    );
    let m = common::json(&output.join("metrics.json"));
    assert_eq!(m["quality"]["conflicts"], conflicts.len());
}

/// Finding 20: Excel error literals are empty cells, never names.
#[test]
fn excel_error_literals_are_empty_cells() {
    let registry = "\
名称,原始ID,省份,粉丝数,注册时间
#N/A,gh_00000000000a,广东,100,#VALUE!
#N/A,gh_00000000000b,广东,#REF!,2014-03-05
#NAME?,gh_00000000000c,广东,#N/A,#DIV/0!
#N/A,#N/A,广东,100,2014-03-05
";
    let (_dir, output) = run_with(&[("2014/registry.csv", registry)]);
    let accounts = accounts(&output);
    assert_eq!(accounts.len(), 3, "three ids, never merged by `#N/A`");
    assert!(
        accounts.iter().all(|a| a["name"].is_empty()),
        "{accounts:?}"
    );
    let conflicts = common::csv_rows(&output.join("quality/conflicts.csv"));
    assert!(conflicts.is_empty(), "`#N/A` links nothing: {conflicts:?}");
    let rejects = rejects(&output);
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[&5], "name: no name and no original id");
}

/// Finding 16: a header's unit note (`粉丝数（万）`) scales its counts exactly;
/// counts beyond any account's reach are rejected naming the bound.
#[test]
fn counts_follow_the_unit_of_their_header_and_stay_in_bounds() {
    let registry = "\
名称,原始ID,省份,粉丝数（万）,认证主体
平安深圳,gh_000000000001,广东,3.6,深圳市公安局
广州交警,gh_000000000002,广东,0.25,广州市公安局交通警察支队
健康深圳,gh_000000000004,广东,1.5万,深圳市卫生和计划生育委员会
";
    let activity = "\
原始ID,公众号名称,统计月份,发文数,阅读数(万),点赞数
gh_000000000001,,2014-12,1,3.6,1
gh_000000000002,,2014-12,1,20000000,1
";
    let (_dir, output) = run_with(&[
        ("2014/registry.csv", registry),
        ("2014/activity/q4.csv", activity),
    ]);
    let m = common::json(&output.join("metrics.json"));
    assert_eq!(m["followers"]["total"], 36_000 + 2_500);
    // 平安深圳: 36,000 reads over 36,000 followers.
    assert_eq!(m["activity"]["median"], 1.0);
    let rejects = rejects(&output);
    assert!(
        rejects[&4].starts_with("followers: ") && rejects[&4].contains("1.5万"),
        "{rejects:?}"
    );
    assert!(
        rejects
            .values()
            .any(|r| r.starts_with("reads: ") && r.contains("100,000,000,000")),
        "{rejects:?}"
    );
}

/// Finding 18: followers of `u64::MAX` twice used to wrap the total.
#[test]
fn impossible_follower_counts_are_rejected_not_summed() {
    let registry = "\
名称,原始ID,省份,粉丝数
甲,gh_000000000001,广东,18446744073709551615
乙,gh_000000000002,广东,18446744073709551615
丙,gh_000000000003,广东,1600000000
丁,gh_000000000004,广东,1500000000
戊,gh_000000000005,广东,100
";
    let (_dir, output) = run_with(&[("2014/registry.csv", registry)]);
    let rejects = rejects(&output);
    assert_eq!(rejects.keys().copied().collect::<Vec<_>>(), [2, 3, 4]);
    assert!(
        rejects
            .values()
            .all(|r| r.starts_with("followers: ") && r.contains("1,500,000,000")),
        "{rejects:?}"
    );
    let m = common::json(&output.join("metrics.json"));
    assert_eq!(m["followers"]["total"], 1_500_000_100u64);
    let (mean, median) = (
        m["followers"]["mean"].as_f64().expect("mean"),
        m["followers"]["median"].as_f64().expect("median"),
    );
    assert!(mean >= median, "mean {mean} below median {median}");
}

/// Finding 19: `2014.1` may be October; a month outside the period is not
/// the period's; a row whose id and name name two accounts is refused.
#[test]
fn activity_rows_are_refused_when_their_month_or_account_is_in_doubt() {
    let activity = "\
原始ID,公众号名称,统计月份,发文数,阅读数,点赞数
gh_000000000001,,2014.1,1,100,1
gh_000000000001,,2014.10,1,100,1
gh_000000000001,,2041-12,1,100,1
gh_000000000001,广州交警,2014-11,1,100,1
gh_000000000001,平安深圳,2014-12,1,100,1
gh_000000000001,无此账号,2014-09,1,100,1
gh_00000000abcd,广州交警,2014-11,1,100,1
";
    let (_dir, output) = run_with(&[
        ("2014/registry.csv", REGISTRY),
        ("2014/activity/q4.csv", activity),
    ]);
    let rejects = rejects(&output);
    assert_eq!(
        rejects.keys().copied().collect::<Vec<_>>(),
        [2, 4, 5, 8],
        "{rejects:?}"
    );
    assert!(
        rejects[&2].starts_with("month: ") && rejects[&2].contains("ambiguous"),
        "{}",
        rejects[&2]
    );
    assert!(
        rejects[&4].contains("month 2041-12 is outside period 2014"),
        "{}",
        rejects[&4]
    );
    assert!(
        rejects[&5].contains("gh_000000000001") && rejects[&5].contains("广州交警"),
        "{}",
        rejects[&5]
    );
    let m = common::json(&output.join("metrics.json"));
    assert_eq!(
        m["activity"]["months"],
        serde_json::json!(["2014-09", "2014-10", "2014-12"])
    );
    assert!(
        rejects[&8].contains("gh_00000000abcd") && rejects[&8].contains("gh_000000000002"),
        "{}",
        rejects[&8]
    );
    assert_eq!(m["quality"]["rejected_by_reason"]["conflicting_account"], 2);
}

/// Finding 22: a registered date feeds no figure, so a bad one is dropped
/// and counted, never the reason to lose an account; plain years and
/// year-months are not Excel serials.
#[test]
fn a_bad_registered_date_drops_the_date_not_the_account() {
    let registry = "\
名称,原始ID,省份,粉丝数,注册时间
甲,gh_000000000001,广东,100,2014.03.05
乙,gh_000000000002,广东,100,-
丙,gh_000000000003,广东,100,N/A
丁,gh_000000000004,广东,100,2014
戊,gh_000000000005,广东,100,201403
己,gh_000000000006,广东,100,41703
";
    let activity = "\
原始ID,公众号名称,统计月份,发文数,阅读数,点赞数
gh_000000000002,,2014-12,1,100,1
";
    let (_dir, output) = run_with(&[
        ("2014/registry.csv", registry),
        ("2014/activity/q4.csv", activity),
    ]);
    assert!(rejects(&output).is_empty(), "{:?}", rejects(&output));
    let m = common::json(&output.join("metrics.json"));
    assert_eq!(m["totals"]["accounts"], 6);
    assert_eq!(m["activity"]["rows_matched"], 1);
    assert_eq!(m["quality"]["fields_dropped"]["registered_at"], 4);
}

/// Finding 24: bidirectional controls would reorder the published page;
/// traditional and spaced province names are the province.
#[test]
fn names_lose_bidi_controls_and_provinces_read_in_any_script() {
    let registry = "\
名称,原始ID,省份,粉丝数
\u{202E}发布深圳\u{202C},gh_000000000001,廣東,100
平安\u{2066}杭州\u{2069},gh_000000000002,浙 江,100
健康\u{200F}广州,gh_000000000003,广 东,100
";
    let (_dir, output) = run_with(&[("2014/registry.csv", registry)]);
    let accounts = accounts(&output);
    let by_name: BTreeMap<&str, &str> = accounts
        .iter()
        .map(|a| (a["name"].as_str(), a["province"].as_str()))
        .collect();
    assert_eq!(
        by_name,
        BTreeMap::from([
            ("发布深圳", "广东"),
            ("平安杭州", "浙江"),
            ("健康广州", "广东")
        ])
    );
    assert!(accounts.iter().all(|a| a["province_basis"] == "column"));
    let report = std::fs::read_to_string(output.join("report.html")).expect("report");
    assert!(!report.contains('\u{202E}'));
}

/// Finding 25: a source-priority pattern with many `*` used to take
/// exponential time; a pattern that is not a glob is a config error.
#[test]
fn source_priority_patterns_match_in_linear_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = format!("2014/{}.csv", "a".repeat(60));
    write(dir.path(), &format!("input/{long}"), REGISTRY);
    // With one source there is nothing to rank.
    write(dir.path(), "input/2014/b.csv", REGISTRY);
    let pattern = format!("2014/{}b", "*a".repeat(30));
    let config = std::fs::read_to_string(common::repo("config/govwx.toml"))
        .expect("config")
        .replace(
            "source_priority = []",
            &format!("source_priority = [\"{pattern}\", \"**/*.csv\"]"),
        );
    write(dir.path(), "govwx.toml", &config);
    let mut options = common::options(&dir.path().join("input"), &dir.path().join("output"));
    options.config = Some(dir.path().join("govwx.toml"));
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(govwx::run(&options).map(|s| s.exit_code));
    });
    let result = finished
        .recv_timeout(Duration::from_secs(60))
        .expect("the run finishes in time");
    assert_eq!(result.expect("the run succeeds"), 0);

    let broken = std::fs::read_to_string(common::repo("config/govwx.toml"))
        .expect("config")
        .replace(
            "source_priority = []",
            "source_priority = [\"2014/[a.csv\"]",
        );
    let error = govwx::config::Settings::parse(&broken, "test.toml")
        .expect_err("an unclosed class is no pattern");
    let message = format!("{error:#}");
    assert!(message.contains("2014/[a.csv"), "{message}");
}

/// A report drops its records once the period is linked and keeps what the
/// figures need of them: each account's city (the first its records name,
/// in survivorship order), and how many ids and dates were given but bad.
#[test]
fn what_a_report_keeps_of_its_records_gives_the_cities_and_the_bad_cells() {
    let registry = "\
名称,原始ID,省份,城市,粉丝数,注册时间
深圳公安,gh_000000000001,广东,深圳,100,2014-03-05
深圳公安,gh_000000000001,广东,,100,2014-03-05
广州交警,gh_000000000002,广东,,100,2014-03-05
广州交警,gh_000000000002,广东,广州,100,2014-03-05
珠海发布,gh_00000000zzzz,广东,珠海,100,not a date
深圳税务,gh_000000000004,广东,深圳,100,2014-13-45
汕头发布,gh_000000000005,广东,,100,2014-03-05
";
    let (_dir, output) = run_with(&[("2014/registry.csv", registry)]);
    let m = common::json(&output.join("metrics.json"));
    let guangdong = m["province_profiles"]
        .as_array()
        .expect("profiles")
        .iter()
        .find(|p| p["code"] == "44")
        .expect("广东")
        .clone();
    let cities: Vec<(String, u64)> = guangdong["cities"]
        .as_array()
        .expect("cities")
        .iter()
        .map(|c| {
            let name = c["name"].as_str().expect("name").to_owned();
            (name, c["accounts"].as_u64().expect("accounts"))
        })
        .collect();
    let names: Vec<(&str, u64)> = cities.iter().map(|(n, k)| (n.as_str(), *k)).collect();
    assert_eq!(
        names,
        [("深圳市", 2), ("广州市", 1), ("珠海市", 1)],
        "广州交警's city comes from its second record"
    );
    assert_eq!(guangdong["city_unknown"], 1, "汕头发布 names none");
    assert_eq!(m["quality"]["invalid_original_ids"], 1);
    assert_eq!(m["quality"]["fields_dropped"]["registered_at"], 2);
}
