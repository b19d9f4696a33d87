//! `--format json` and GitHub Actions annotations: what a CI job reads.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn govwx(dir: &Path, args: &[&str], github: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_govwx"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("GITHUB_ACTIONS");
    if github {
        command.env("GITHUB_ACTIONS", "true");
    }
    command.output().expect("govwx runs")
}

fn json(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON object on one line: {text}"
    );
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn run_and_check_print_one_json_object_with_counts_and_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    govwx::fs::write(
        &dir.path().join("input/2014/a.csv"),
        "名称,原始ID,省份,粉丝量\n平安深圳,gh_000000000001,广东,1000\n广州交警,gh_000000000002,广东,x\n,,,\n合计,,,\n",
    )
    .expect("fixture");
    let out = govwx(dir.path(), &["run", "--format", "json"], false);
    assert_eq!(out.status.code(), Some(0));
    let run = json(&out);
    assert_eq!(run["status"], "published");
    assert_eq!(run["exit_code"], 0);
    assert_eq!(run["period"], "2014");
    assert_eq!(run["accounts"], 2);
    assert_eq!(run["records_read"], 3);
    assert_eq!(run["records_accepted"], 2);
    assert_eq!(run["records_rejected"], 0);
    assert_eq!(run["warnings"][0]["file"], "2014/a.csv");
    assert_eq!(
        run["warnings"][0]["message"],
        "column `粉丝量` is not read (did you mean `粉丝数`?)"
    );
    let out = govwx(dir.path(), &["check", "--format", "json"], true);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["status"], "checked");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("::warning file=input/2014/a.csv::column `粉丝量` is not read"),
        "{stderr}"
    );
    let out = govwx(dir.path(), &["run", "--format", "json"], false);
    assert_eq!(json(&out)["status"], "up_to_date");
}

#[test]
fn a_failed_run_prints_its_error_as_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = govwx(
        dir.path(),
        &["run", "--format", "json", "--input", "missing"],
        false,
    );
    assert_eq!(out.status.code(), Some(2));
    let error = json(&out);
    assert_eq!(error["status"], "error");
    assert_eq!(error["exit_code"], 2);
    assert!(error["error"]
        .as_str()
        .is_some_and(|e| e.contains("`missing`")));
}
