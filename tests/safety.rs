//! What govwx refuses and skips so that no one's data is lost or misread:
//! outputs it does not own, file-system faults under the input, period
//! folders in every spelling, unwritable standard output, and files
//! replaced behind the fingerprint's back.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

const REGISTRY: &str = "名称,原始ID,省份,粉丝数\n深圳发布,gh_0123456789ab,广东,36000\n平安深圳,gh_0123456789ac,广东,1000\n";

fn write(root: &Path, path: &str, text: &str) {
    govwx::fs::write(&root.join(path), text).expect("write fixture");
}

fn govwx(args: &[&str], cwd: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_govwx"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("spawn govwx");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Everything below `root` but what govwx keeps beside an output
/// (`.NAME.lock`), relative path → bytes.
fn snapshot(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut tree = common::tree(root);
    tree.retain(|path, _| !path.ends_with(".lock"));
    tree
}

#[test]
fn an_output_that_is_or_holds_the_input_is_refused_and_nothing_is_touched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "proj/input/2014/a.csv", REGISTRY);
    write(root, "proj/notes.txt", "mine");
    let before = snapshot(root);
    for output in [
        "proj",
        "proj/input",
        "proj/input/2014",
        "proj/input/2014/new",
        "proj/./input",
        "proj/x/../input",
    ] {
        for command in ["run", "check"] {
            let (code, stderr) = govwx(
                &[command, "--input", "proj/input", "--output", output],
                root,
            );
            assert_eq!(code, 2, "{command} --output {output}: {stderr}");
            assert!(stderr.contains("--output"), "says what to do: {stderr}");
            assert_eq!(snapshot(root), before, "{command} --output {output}");
        }
    }
    // Through a symlink, too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("proj/input"), root.join("link")).expect("symlink");
        let (code, stderr) = govwx(&["run", "--input", "proj/input", "--output", "link"], root);
        assert_eq!(code, 2, "{stderr}");
        assert!(root.join("proj/input/2014/a.csv").exists());
    }
}

#[test]
fn a_folder_govwx_did_not_write_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "input/2014/a.csv", REGISTRY);
    write(root, "www/html/index.html", "<h1>someone's site</h1>");
    write(root, "www/html/manifest.json", "{\"name\": \"not govwx\"}");
    let before = snapshot(root);
    let (code, stderr) = govwx(&["run", "--input", "input", "--output", "www/html"], root);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`www/html`"), "{stderr}");
    assert_eq!(snapshot(root), before);

    // An empty folder, and then govwx's own output, are fine.
    std::fs::create_dir_all(root.join("empty")).expect("mkdir");
    let (code, stderr) = govwx(&["run", "--input", "input", "--output", "empty"], root);
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = govwx(
        &["run", "--force", "--input", "input", "--output", "empty"],
        root,
    );
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn an_output_that_is_a_file_is_refused_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "input/2014/a.csv", REGISTRY);
    write(root, "out", "a file of someone's");
    let before = snapshot(root);
    for _ in 0..2 {
        let (code, stderr) = govwx(&["run", "--input", "input", "--output", "out"], root);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("is a file"), "{stderr}");
    }
    assert_eq!(snapshot(root), before, "the file stays, nothing beside it");
}

#[test]
fn unwritable_standard_output_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2014/a.csv", REGISTRY);
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not on this system
    };
    let out = Command::new(env!("CARGO_BIN_EXE_govwx"))
        .args(["check", "--input", "input", "--output", "out"])
        .current_dir(dir.path())
        .stdout(full)
        .output()
        .expect("spawn govwx");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("standard output"), "{stderr}");

    // Logs and errors to a full standard error are lost, not a panic.
    for args in [
        &["check", "--input", "input", "--output", "out"][..],
        &["run", "--input", "missing"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let status = Command::new(env!("CARGO_BIN_EXE_govwx"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(full)
            .status()
            .expect("spawn govwx");
        assert!(matches!(status.code(), Some(0 | 2)), "{args:?}: {status:?}");
    }
}

#[test]
fn period_folders_in_chinese_are_periods_not_one_merged_current() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2013年/a.csv", REGISTRY);
    write(dir.path(), "input/2014年/a.csv", REGISTRY);
    write(
        dir.path(),
        "input/2014年/b.csv",
        "名称,原始ID,省份\n广州公安,gh_0123456789ad,广东\n",
    );
    let output = common::run(&dir.path().join("input"), dir.path());
    let metrics = common::json(&output.join("metrics.json"));
    assert_eq!(metrics["period"], "2014");
    assert_eq!(metrics["baseline_period"], "2013");
    assert_eq!(
        metrics["totals"]["accounts"], 3,
        "2014 alone, not both years"
    );
    let report = std::fs::read_to_string(output.join("report.md")).expect("report");
    assert!(
        !report.contains("current"),
        "the report is not titled `current`"
    );

    let mut options = common::options(&dir.path().join("input"), &dir.path().join("out2"));
    options.period = Some("2013年".into());
    let summary = govwx::run(&options).expect("--period in the folder's spelling");
    assert_eq!(summary.period, "2013");
}

#[test]
fn a_folder_that_looks_like_a_period_but_is_not_stops_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2014/a.csv", REGISTRY);
    write(dir.path(), "input/2014年度汇总/a.csv", REGISTRY);
    let (code, stderr) = govwx(&["run"], dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`2014年度汇总`"), "{stderr}");
    assert!(!dir.path().join("output").exists());
}

#[cfg(unix)]
#[test]
fn dangling_links_loops_and_odd_names_are_skipped_and_the_run_goes_on() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "input/2014/a.csv", REGISTRY);
    std::os::unix::fs::symlink("gone.csv", root.join("input/2014/dangling.csv")).expect("link");
    std::os::unix::fs::symlink("..", root.join("input/2014/loop")).expect("link");
    let odd = std::ffi::OsStr::from_bytes(b"\xff\xfe.csv");
    std::fs::write(root.join("input/2014").join(odd), REGISTRY).expect("write");
    let (code, stderr) = govwx(&["run"], root);
    assert_eq!(code, 0, "{stderr}");
    for named in ["dangling.csv", "loop", "UTF-8"] {
        assert!(stderr.contains(named), "{named}: {stderr}");
    }
    let manifest = common::json(&root.join("output/manifest.json"));
    assert_eq!(
        manifest["skipped"].as_array().map(Vec::len),
        Some(3),
        "{manifest}"
    );
    // The fingerprint walks the same way: the next run is up to date.
    let (code, stderr) = govwx(&["run"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("up to date"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn the_walk_of_the_input_never_enters_a_published_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "input/2014/a.csv", REGISTRY);
    let (code, stderr) = govwx(&["run"], root);
    assert_eq!(code, 0, "{stderr}");
    std::os::unix::fs::symlink(root.join("output"), root.join("input/2014/report")).expect("link");
    let (code, stderr) = govwx(&["run", "--force"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("`2014/report`"), "{stderr}");
    let manifest = common::json(&root.join("output/manifest.json"));
    let files = manifest["periods"][0]["files"]
        .as_array()
        .expect("files")
        .len();
    assert_eq!(files, 1, "{manifest}");
}

#[test]
fn unused_columns_and_skipped_files_are_named_in_the_report_and_by_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "input/2014/a.csv",
        "名称,原始ID,省份,粉丝量,Remark\n深圳发布,gh_0123456789ab,广东,36000,深圳市政府\n",
    );
    write(root, "input/2014/notes.docx", "not data");
    write(root, "input/2014/summary.csv", "省份,账号数\n广东,1\n");
    let out = Command::new(env!("CARGO_BIN_EXE_govwx"))
        .args(["check"])
        .current_dir(root)
        .output()
        .expect("spawn govwx");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for named in [
        "`粉丝量`",
        "`Remark`",
        "`2014/notes.docx`",
        "`2014/summary.csv`",
    ] {
        assert!(stdout.contains(named), "{named}: {stdout}");
    }
    let output = common::run(&root.join("input"), root);
    let report = std::fs::read_to_string(output.join("report.md")).expect("report");
    for named in ["粉丝量", "Remark", "2014/notes.docx", "2014/summary.csv"] {
        assert!(report.contains(named), "{named} in the appendix");
    }
}
