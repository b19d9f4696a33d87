//! Whole runs on small fixture folders: exit codes, accounting of every
//! record, determinism and publishing.

mod common;

use std::path::Path;
use std::process::Command;

fn govwx(args: &[&str], cwd: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_govwx"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("spawn govwx");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(root: &Path, path: &str, text: &str) {
    govwx::fs::write(&root.join(path), text).expect("write fixture");
}

const REGISTRY: &str = "政务微信账号表\n\n名称,原始ID,微信号,省份,粉丝数,认证主体\n深圳发布,gh_0123456789ab,szfb,广东,3.6万,深圳市人民政府新闻办公室\n【深圳发布】官方微信,,,粤,36000,\n平安深圳,,,广东省,1000,深圳市公安局\n外交小灵通,gh_aaaaaaaaaaaa,,,100,中华人民共和国外交部\n坏行,,,广东,abc,\n合计,,,,\n";

#[test]
fn exit_codes_follow_the_spec() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let (code, stderr) = govwx(&["run", "--input", "missing"], root);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`missing`"), "{stderr}");

    write(root, "junk/2014/a.csv", "省份,账号数\n广东,1\n");
    let (code, stderr) = govwx(&["run", "--input", "junk", "--output", "out"], root);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !root.join("out").exists(),
        "nothing is published on failure"
    );

    write(root, "good/2014/a.csv", REGISTRY);
    let (code, stderr) = govwx(
        &[
            "run", "--input", "good", "--output", "out", "--period", "2099",
        ],
        root,
    );
    assert_eq!(code, 2, "{stderr}");
    let (code, stderr) = govwx(
        &["run", "--input", "good", "--output", "out", "--quiet"],
        root,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.is_empty(),
        "--quiet prints nothing on success: {stderr}"
    );
    assert!(root.join("out/report.html").exists());
}

#[test]
fn every_record_is_accepted_rejected_or_a_totals_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2014/a.csv", REGISTRY);
    let output = common::run(&dir.path().join("input"), dir.path());
    let metrics = common::json(&output.join("metrics.json"));
    let q = &metrics["quality"];
    assert_eq!(q["records_read"], 6);
    assert_eq!(q["records_accepted"], 4);
    assert_eq!(q["records_rejected"], 1);
    assert_eq!(q["totals_lines"], 1);
    assert_eq!(
        q["blank_lines"], 0,
        "the blank line above the header is not in the table"
    );
    assert_eq!(
        metrics["totals"]["accounts"], 3,
        "深圳发布 twice is one account"
    );
    let rejects = common::csv_rows(&output.join("quality/rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["file"], "2014/a.csv");
    assert_eq!(rejects[0]["line"], "8");
    assert!(
        rejects[0]["reason"].starts_with("followers:"),
        "{:?}",
        rejects[0]
    );
    let clusters = common::csv_rows(&output.join("quality/clusters.csv"));
    let lines: Vec<&str> = clusters.iter().map(|r| r["line"].as_str()).collect();
    assert_eq!(lines, ["4", "5"]);
    assert!(clusters
        .iter()
        .all(|r| r["account_key"] == "gh_0123456789ab" && r["rule"] == "match_name"));
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2013/a.csv", REGISTRY);
    write(dir.path(), "input/2014/b.csv", REGISTRY);
    write(
        dir.path(),
        "input/2014/c/d.csv",
        &REGISTRY.replace("平安深圳", "深圳交警"),
    );
    let input = dir.path().join("input");
    let mut trees = Vec::new();
    for threads in [1, 2, 1] {
        let out = dir.path().join(format!("out{}", trees.len()));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| govwx::run(&common::options(&input, &out)))
            .expect("run");
        trees.push(common::tree(&out));
    }
    assert!(trees[0].len() > 8);
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
}

#[test]
fn a_new_run_replaces_the_whole_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2014/a.csv", REGISTRY);
    let output = common::run(&dir.path().join("input"), dir.path());
    write(dir.path(), "output/stale.txt", "from an older run");
    write(dir.path(), "input/2014/b.csv", REGISTRY);
    let output_again = common::run(&dir.path().join("input"), dir.path());
    assert_eq!(output, output_again);
    assert!(!output.join("stale.txt").exists());
    assert!(output.join("manifest.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
