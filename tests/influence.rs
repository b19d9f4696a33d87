//! The WCI ranking from activity exports: the published V2.0 example
//! through the whole pipeline, accounts that lack an input, a published
//! WCI alone, and a cell that is no index.

mod common;

use std::path::PathBuf;

const REGISTRY: &str = "名称,原始ID,省份,粉丝数,认证主体\n\
    平安深圳,gh_000000000001,广东,1000,深圳市公安局\n\
    广州交警,gh_000000000002,广东,2000,广州市公安局交通警察支队\n\
    健康深圳,gh_000000000003,广东,500,深圳市卫生和计划生育委员会\n";

fn run(activity: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input");
    govwx::fs::write(&input.join("2014/registry.csv"), REGISTRY).expect("write");
    govwx::fs::write(&input.join("2014/activity/wci.csv"), activity).expect("write");
    let output = common::run(&input, dir.path());
    (dir, output)
}

#[test]
fn the_published_example_ranks_first_and_an_account_without_highest_reads_is_not_ranked() {
    // 平安深圳: the published WCI V2.0 example (R 10,000, n 100, Rmax 300,
    // Z 4,000, Zmax 60) in one month: 411.49. 广州交警: half of it in each
    // of two months, the same sums and maxima: the same index. 健康深圳: no
    // highest reads in December.
    let (_dir, output) = run(
        "原始ID,统计月份,发文数,总阅读数,最高阅读数,点赞数,最高点赞数,WCI\n\
         gh_000000000001,2014-12,100,10000,300,4000,60,411.49\n\
         gh_000000000002,2014-11,50,5000,300,2000,60,\n\
         gh_000000000002,2014-12,50,5000,250,2000,40,\n\
         gh_000000000003,2014-11,10,800,200,30,9,\n\
         gh_000000000003,2014-12,10,900,,30,9,\n",
    );
    let metrics = common::json(&output.join("metrics.json"));
    let influence = &metrics["influence"];
    assert_eq!(influence["formula"], "v2_0");
    assert_eq!(influence["accounts_ranked"], 2);
    assert_eq!(influence["unranked"][0]["accounts"], 1);
    assert!(influence["unranked"][0]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("最高阅读数")));
    let rows = common::csv_rows(&output.join("tables/influence.csv"));
    let wci = |id: &str| -> f64 {
        rows.iter()
            .find(|r| r["original_id"] == id)
            .expect("ranked")["wci"]
            .parse()
            .expect("a number")
    };
    assert!((wci("gh_000000000001") - 411.49).abs() < 0.005);
    assert!((wci("gh_000000000002") - 411.49).abs() < 0.005);
    // The published 411.49 agrees with the computed one.
    assert_eq!(influence["agreement"]["compared"], 1);
    assert_eq!(influence["agreement"]["within_1_percent"], 1);
    let report = std::fs::read_to_string(output.join("report.md")).expect("report.md");
    assert!(report.contains("## 八、影响力排行"));
    assert!(report.contains("WCI V2.0"));
}

#[test]
fn a_published_wci_alone_is_used_as_published() {
    let (_dir, output) = run("原始ID,统计月份,总阅读数,WCI\n\
         gh_000000000001,2014-11,10000,400\n\
         gh_000000000001,2014-12,10000,500\n\
         gh_000000000002,2014-12,500,123.4\n");
    let influence = &common::json(&output.join("metrics.json"))["influence"];
    assert_eq!(influence["formula"], "published");
    assert_eq!(influence["top"][0]["name"], "平安深圳");
    assert_eq!(influence["top"][0]["wci"], 450.0);
    assert!(influence["agreement"].is_null());
}

#[test]
fn a_cell_that_is_no_index_rejects_its_row_naming_the_field() {
    let (_dir, output) = run("原始ID,统计月份,总阅读数,WCI\n\
         gh_000000000001,2014-12,10000,很高\n\
         gh_000000000002,2014-12,500,-3\n");
    let rejects = common::csv_rows(&output.join("quality/rejects.csv"));
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    assert!(
        rejects.iter().all(|r| r["reason"].contains("wci")),
        "{rejects:?}"
    );
    let influence = &common::json(&output.join("metrics.json"))["influence"];
    assert!(influence["formula"].is_null());
}

#[test]
fn without_inputs_there_is_no_ranking_and_the_report_says_why() {
    let (_dir, output) = run("原始ID,统计月份,总阅读数\ngh_000000000001,2014-12,10000\n");
    let influence = &common::json(&output.join("metrics.json"))["influence"];
    assert!(influence["formula"].is_null());
    assert_eq!(influence["accounts_ranked"], 0);
    let report = std::fs::read_to_string(output.join("report.md")).expect("report.md");
    assert!(report.contains("暂不排行"), "{report}");
}

#[test]
fn a_row_for_the_whole_period_gives_inputs_but_no_months_reads() {
    let (_dir, output) = run(
        "原始ID,统计月份,发文数,总阅读数,最高阅读数,点赞数,最高点赞数\n\
         gh_000000000001,2014年第四季度,100,10000,300,4000,60\n\
         gh_000000000001,2014-12,30,2500,,,\n\
         gh_000000000002,2014,,9000,,,\n",
    );
    let metrics = common::json(&output.join("metrics.json"));
    let top = &metrics["influence"]["top"];
    assert_eq!(top.as_array().map(Vec::len), Some(1));
    assert!((top[0]["wci"].as_f64().expect("wci") - 411.49).abs() < 0.005);
    // The monthly row alone gives the activity: one month, December.
    assert_eq!(
        metrics["activity"]["months"],
        serde_json::json!(["2014-12"])
    );
    assert_eq!(metrics["activity"]["accounts_with_activity"], 1);
    // A whole-period row without WCI inputs is no month: rejected, naming it.
    let rejects = common::csv_rows(&output.join("quality/rejects.csv"));
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(rejects[0]["reason"].contains("month"), "{rejects:?}");
}

#[test]
fn accounts_of_one_index_rank_by_name_then_by_key() {
    // Three accounts at 100.00 and one at 200.00. Two share a name (their
    // ids keep them apart) and are ordered by key; 健康深圳 sorts before
    // 平安深圳 by its text, though it is listed between them.
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input");
    let registry = "名称,原始ID,省份,粉丝数\n\
        平安深圳,gh_000000000009,广东,1\n\
        健康深圳,gh_000000000008,广东,1\n\
        平安深圳,gh_000000000007,广东,1\n\
        广州交警,gh_000000000006,广东,1\n";
    let activity = "原始ID,统计月份,总阅读数,WCI\n\
        gh_000000000009,2014-12,10,100\n\
        gh_000000000008,2014-12,10,100.001\n\
        gh_000000000007,2014-12,10,99.999\n\
        gh_000000000006,2014-12,10,200\n";
    govwx::fs::write(&input.join("2014/registry.csv"), registry).expect("write");
    govwx::fs::write(&input.join("2014/activity/wci.csv"), activity).expect("write");
    let output = common::run(&input, dir.path());
    let rows = common::csv_rows(&output.join("tables/influence.csv"));
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["rank"].as_str(), r["original_id"].as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("1", "gh_000000000006"),
            ("2", "gh_000000000008"),
            ("3", "gh_000000000007"),
            ("4", "gh_000000000009"),
        ]
    );
}

/// Months whose published WCI is more than 1% from the computed one are
/// listed worst first; an out-of-scope account's months are not compared.
#[test]
fn published_indexes_beyond_one_percent_are_listed_worst_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input");
    let registry = format!("{REGISTRY}香港警务,gh_000000000004,香港,1000,香港警务处\n");
    govwx::fs::write(&input.join("2014/registry.csv"), &registry).expect("write");
    // Each row the published V2.0 example (411.49 computed), published as
    // 411.49, 500 (17.7% off), 420 (2.0% off) and, out of scope, 1,000.
    govwx::fs::write(
        &input.join("2014/activity/wci.csv"),
        "原始ID,统计月份,发文数,总阅读数,最高阅读数,点赞数,最高点赞数,WCI\n\
         gh_000000000001,2014-12,100,10000,300,4000,60,411.49\n\
         gh_000000000002,2014-12,100,10000,300,4000,60,420\n\
         gh_000000000001,2014-11,100,10000,300,4000,60,500\n\
         gh_000000000004,2014-12,100,10000,300,4000,60,1000\n",
    )
    .expect("write");
    let output = common::run(&input, dir.path());
    let agreement = &common::json(&output.join("metrics.json"))["influence"]["agreement"];
    assert_eq!(agreement["compared"], 3, "the out-of-scope month is not");
    assert_eq!(agreement["within_1_percent"], 1);
    let worst: Vec<(&str, &str, u64, f64)> = agreement["worst"]
        .as_array()
        .expect("worst")
        .iter()
        .map(|w| {
            (
                w["name"].as_str().expect("name"),
                w["month"].as_str().expect("month"),
                w["line"].as_u64().expect("line"),
                w["published"].as_f64().expect("published"),
            )
        })
        .collect();
    assert_eq!(
        worst,
        [
            ("平安深圳", "2014-11", 4, 500.0),
            ("广州交警", "2014-12", 3, 420.0)
        ]
    );
    let computed = agreement["worst"][0]["computed"]
        .as_f64()
        .expect("computed");
    assert!((computed - 411.49).abs() < 0.005, "{computed}");
}
