//! Headers read as they are written: columns govwx does not know are named
//! (with the close spelling it does know), a file's kind is scored from its
//! whole header, totals and repeated header lines are told from accounts,
//! and empty header cells at the end are ignored.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

fn write(root: &Path, path: &str, text: &str) {
    govwx::fs::write(&root.join(path), text).expect("write fixture");
}

/// Runs `govwx run` on `<root>/input` into `<root>/output`: exit code,
/// stderr, and the metrics it published.
fn run(root: &Path) -> (i32, String, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_govwx"))
        .args(["run", "--input", "input", "--output", "output"])
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .expect("spawn govwx");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 3, "exit {code}: {stderr}");
    (
        code,
        stderr,
        common::json(&root.join("output/metrics.json")),
    )
}

const REGISTRY: &str = "\
名称,原始ID,省份,粉丝数
平安深圳,gh_000000000001,广东,1000
广州交警,gh_000000000002,广东,2000
平安杭州,gh_000000000003,浙江,3000
";

#[test]
fn unknown_columns_are_named_with_a_suggestion_on_stderr_in_the_appendix_and_in_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "input/2014/a.csv",
        "名称,原始ID,省份,粉丝量,开通日期,Organization\n\
         平安深圳,gh_000000000001,广东,1000,2014-01-01,深圳市公安局\n",
    );
    let (_, stderr, m) = run(root);
    assert!(
        stderr.contains("column `粉丝量` is not read (did you mean `粉丝数`"),
        "{stderr}"
    );
    assert!(stderr.contains("column `开通日期` is not read"), "{stderr}");
    let unknown = &m["quality"]["unknown_columns"][0];
    assert_eq!(unknown["file"], "2014/a.csv");
    let headers: Vec<&str> = unknown["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["header"].as_str().expect("header"))
        .collect();
    assert_eq!(headers, ["粉丝量", "开通日期"], "Organization is an entity");
    assert_eq!(unknown["columns"][0]["suggestion"], "粉丝数");
    let report = std::fs::read_to_string(root.join("output/report.md")).expect("report");
    assert!(
        report.contains("粉丝量（是否应为“粉丝数”？）"),
        "appendix names it"
    );
    let check = Command::new(env!("CARGO_BIN_EXE_govwx"))
        .args(["check", "--input", "input", "--output", "elsewhere"])
        .current_dir(root)
        .output()
        .expect("spawn govwx");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("`粉丝量` (did you mean `粉丝数`?)"),
        "{stdout}"
    );
}

#[test]
fn activity_spellings_make_an_activity_table_and_a_registry_with_reads_stays_a_registry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    // A registry that also carries a month and reads: its accounts count.
    write(
        root,
        "input/2014/registry.csv",
        "名称,原始ID,省份,城市,粉丝数,月份,阅读数\n\
         平安深圳,gh_000000000001,广东,深圳,1000,2014-12,10\n\
         广州交警,gh_000000000002,广东,广州,2000,2014-12,20\n\
         平安杭州,gh_000000000003,浙江,杭州,3000,2014-12,30\n",
    );
    let mut n = 0;
    for (month, reads) in [
        ("统计日期", "阅读量"),
        ("日期", "总阅读量"),
        ("统计月", "图文阅读数"),
    ] {
        n += 1;
        write(
            root,
            &format!("input/2014/activity{n}.csv"),
            &format!("原始ID,{month},{reads}\ngh_000000000001,2014-12,100\n"),
        );
    }
    write(
        root,
        "input/2014/activity4.csv",
        "原始ID,统计月份,阅读次数\ngh_000000000002,2014-11,50\n",
    );
    let (_, _, m) = run(root);
    assert_eq!(
        m["totals"]["accounts"], 3,
        "no activity row became an account"
    );
    let files = m["quality"]["files_read"].as_u64().expect("files");
    assert_eq!(files, 5);
    assert_eq!(m["activity"]["rows_matched"], 4);
    let manifest = common::json(&root.join("output/manifest.json"));
    let kinds: Vec<(String, String)> = manifest["periods"][0]["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["kind"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("2014/registry.csv".into(), "registry".into())),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|(_, k)| k == "activity").count(),
        4,
        "{kinds:?}"
    );
}

#[test]
fn a_header_of_both_kinds_in_equal_measure_is_skipped_with_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "input/2014/a.csv", REGISTRY);
    write(
        root,
        "input/2014/b.csv",
        "名称,省份,粉丝数,月份,阅读数\n深圳发布,广东,1,2014-12,5\n",
    );
    let (_, stderr, m) = run(root);
    let skipped = &m["quality"]["skipped"][0];
    assert_eq!(skipped["path"], "2014/b.csv");
    let reason = skipped["reason"].as_str().expect("reason");
    assert!(reason.contains("kind cannot be told"), "{reason}");
    assert!(stderr.contains("2014/b.csv"), "{stderr}");
    assert_eq!(m["totals"]["accounts"], 3);
}

#[test]
fn subtotals_in_any_early_cell_and_repeated_headers_are_not_accounts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "input/2014/a.csv",
        "省份,名称,原始ID,粉丝数\n\
         广东,平安深圳,gh_000000000001,1000\n\
         广东,小计,,1000\n\
         广东省小计,,,1000\n\
         省份,名称,原始ID,粉丝数\n\
         浙江,平安杭州,gh_000000000003,3000\n\
         浙江,合 计,,3000\n\
         全国,总计,,4000\n",
    );
    let (_, _, m) = run(root);
    let q = &m["quality"];
    assert_eq!(m["totals"]["accounts"], 2);
    assert_eq!(q["records_read"], 7);
    assert_eq!(q["records_accepted"], 2);
    assert_eq!(q["records_rejected"], 0);
    assert_eq!(q["totals_lines"], 5, "four totals and one repeated header");
    assert_eq!(q["header_repeats"], 1);
    let report = std::fs::read_to_string(root.join("output/report.md")).expect("report");
    assert!(report.contains("其中重复的表头行1条"));
}

#[test]
fn a_row_naming_an_account_by_id_is_never_a_totals_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "input/2014/a.csv",
        "名称,原始ID,省份,粉丝数\n合计发布,gh_000000000001,广东,1000\n",
    );
    let (_, _, m) = run(root);
    assert_eq!(m["totals"]["accounts"], 1);
    assert_eq!(m["quality"]["totals_lines"], 0);
}

#[test]
fn empty_header_cells_at_the_end_are_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "input/2014/a.csv",
        "名称,原始ID,省份,粉丝数,,,\n\
         平安深圳,gh_000000000001,广东,1000\n\
         广州交警,gh_000000000002,广东,2000,,,\n\
         平安杭州,gh_000000000003,浙江,3000,,\n",
    );
    let (_, _, m) = run(root);
    assert_eq!(m["quality"]["records_rejected"], 0);
    assert_eq!(m["totals"]["accounts"], 3);
    assert_eq!(m["followers"]["total"], 6000);
}

/// The README's column table is what `govwx columns` prints, which is built
/// from the code that reads headers: a spelling added or removed there
/// fails here until the README is regenerated.
#[test]
fn the_readme_lists_the_columns_as_the_code_reads_them() {
    let readme = std::fs::read_to_string(common::repo("README.md")).expect("README.md");
    let start = readme
        .find("<!-- columns:")
        .and_then(|at| readme[at..].find('\n').map(|end| at + end + 1))
        .expect("the README has a columns section");
    let end = readme[start..]
        .find("<!-- /columns -->")
        .map(|len| start + len)
        .expect("the columns section ends");
    let table = govwx::ingest::header::columns_table();
    assert!(
        readme[start..end] == table,
        "README's columns section differs from `govwx columns`; replace it with:\n{table}"
    );
    let printed = Command::new(env!("CARGO_BIN_EXE_govwx"))
        .arg("columns")
        .output()
        .expect("govwx runs");
    assert!(printed.status.success());
    assert_eq!(String::from_utf8_lossy(&printed.stdout), table);
}

/// Every spelling the table lists is read as its column, in a header of
/// its kind.
#[test]
fn every_listed_spelling_is_recognised() {
    use govwx::ingest::{Column, FileKind, Schema};
    for kind in [FileKind::Registry, FileKind::Activity] {
        for column in Column::of_kind(kind) {
            for spelling in column.aliases() {
                let header: Vec<&str> = match (kind, column) {
                    (FileKind::Registry, Column::Name) => vec![spelling, "省份"],
                    (FileKind::Registry, _) => vec!["名称", spelling, "省份"],
                    (FileKind::Activity, Column::Month) => vec!["名称", spelling, "阅读数"],
                    (FileKind::Activity, Column::Reads) => vec!["名称", "月份", spelling],
                    (FileKind::Activity, Column::Name) => vec![spelling, "月份", "阅读数"],
                    (FileKind::Activity, _) => vec!["名称", "月份", "阅读数", spelling],
                };
                let schema = Schema::recognise(header.iter().copied(), &Default::default())
                    .and_then(Result::ok)
                    .unwrap_or_else(|| panic!("{header:?} is no header"));
                assert_eq!(schema.kind, kind, "{header:?}");
                assert!(
                    schema.position(column).is_some(),
                    "`{spelling}` is not read as `{}`",
                    column.name()
                );
            }
        }
    }
}

/// `[columns]` in the config adds a spelling: a column govwx did not know
/// is read, and a spelling that names no column stops the run (exit 2)
/// naming the entry.
#[test]
fn the_config_adds_header_spellings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "input/2014/a.csv",
        "名称,原始ID,省份,粉丝量\n平安深圳,gh_000000000001,广东,1000\n广州交警,gh_000000000002,广东,2000\n",
    );
    let followers = |root: &Path, config: Option<&str>| {
        let mut args = vec!["run", "--force", "--input", "input", "--output", "output"];
        if let Some(text) = config {
            write(root, "govwx.toml", text);
            args.extend(["--config", "govwx.toml"]);
        }
        let out = Command::new(env!("CARGO_BIN_EXE_govwx"))
            .args(&args)
            .current_dir(root)
            .stdin(Stdio::null())
            .output()
            .expect("spawn govwx");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stderr)
    };
    let (code, stderr) = followers(root, None);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("column `粉丝量` is not read"), "{stderr}");
    assert_eq!(
        common::json(&root.join("output/metrics.json"))["followers"]["total"],
        0
    );
    let builtin = govwx::config::DEFAULT_CONFIG;
    let (code, stderr) = followers(
        root,
        Some(&format!(
            "{builtin}\n[columns]\n\"粉丝量\" = \"followers\"\n"
        )),
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("粉丝量"), "{stderr}");
    assert_eq!(
        common::json(&root.join("output/metrics.json"))["followers"]["total"],
        3000
    );
    let (code, stderr) = followers(
        root,
        Some(&format!(
            "{builtin}\n[columns]\n\"粉丝量\" = \"follower\"\n"
        )),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`粉丝量 = \"follower\"` names no column"),
        "{stderr}"
    );
    let (code, stderr) = followers(
        root,
        Some(&format!("{builtin}\n[columns]\n\"名称\" = \"province\"\n")),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("already names `name`"), "{stderr}");
}
