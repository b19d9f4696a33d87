//! Running unattended (docs/CONTRACT.md §7): killed runs leave the previous output
//! intact, overlapping runs are refused, stale locks are recovered, every
//! exit code, and unchanged runs stop at once.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

const REGISTRY: &str = "名称,原始ID,微信号,省份,粉丝数,认证主体\n深圳发布,gh_0123456789ab,szfb,广东,3.6万,深圳市人民政府新闻办公室\n平安深圳,,,广东省,1000,深圳市公安局\n外交小灵通,gh_aaaaaaaaaaaa,,,100,中华人民共和国外交部\n坏行,,,广东,abc,\n";

fn govwx(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govwx"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("spawn govwx")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(root: &Path, path: &str, text: &str) {
    govwx::fs::write(&root.join(path), text).expect("write fixture");
}

/// The shipped config with its `[gates]` replaced by `gates`.
fn config_with_gates(root: &Path, gates: &str) -> PathBuf {
    let base = govwx::config::DEFAULT_CONFIG
        .split("\n[gates")
        .next()
        .expect("text before the gates");
    let path = root.join(format!("gates-{}.toml", gates.len()));
    govwx::fs::write(&path, format!("{base}\n[gates]\n{gates}\n")).expect("write config");
    path
}

/// Names beside the output that a run may leave (there should be none).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output"))
        .collect()
}

fn staging_exists(dir: &Path) -> bool {
    leftovers(dir)
        .iter()
        .any(|n| n.starts_with(".output.staging"))
}

fn kill(mut child: Child) {
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
}

#[test]
fn a_killed_run_leaves_the_previous_output_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "small/2014/a.csv", REGISTRY);
    let no_gates = config_with_gates(root, "");
    let config = no_gates.to_str().expect("utf-8 path");
    let big = common::repo("input");
    let big = big.to_str().expect("utf-8 path");
    // The new report, built undisturbed elsewhere, and how long that takes.
    let clock = Instant::now();
    let out = govwx(
        &["run", "--input", big, "--output", "new", "--config", config],
        root,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let duration = clock.elapsed();
    let new = common::tree(&root.join("new"));
    let out = govwx(&["run", "--input", "small", "--config", config], root);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let old = common::tree(&root.join("output"));
    assert_ne!(old, new);

    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_govwx"))
            .args(["run", "--quiet", "--input", big, "--config", config])
            .current_dir(root)
            .spawn()
            .expect("spawn govwx")
    };
    // Killed while writing the new tree: as soon as its staging folder shows.
    let mut while_writing = 0;
    for _ in 0..3 {
        let mut child = spawn();
        let deadline = Instant::now() + duration * 5;
        while !staging_exists(root) && Instant::now() < deadline {
            if child.try_wait().expect("poll").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        while_writing += usize::from(staging_exists(root));
        kill(child);
        let after = common::tree(&root.join("output"));
        assert!(
            after == old,
            "a run killed while writing changed the output"
        );
    }
    assert!(while_writing > 0, "no run was caught while writing");
    // Killed at other moments: the output is the old tree or the new, whole.
    for fraction in [0.05, 0.3, 0.6, 0.9, 0.97, 1.0] {
        let child = spawn();
        std::thread::sleep(duration.mul_f64(fraction));
        kill(child);
        let after = common::tree(&root.join("output"));
        assert!(
            after == old || after == new,
            "mixed output after a kill at {fraction}"
        );
    }
    // The next run cleans up what the killed ones left and publishes.
    let out = govwx(
        &["run", "--input", big, "--config", config, "--force"],
        root,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(common::tree(&root.join("output")) == new);
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

#[test]
fn a_second_run_is_refused_while_the_lock_is_held() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2014/a.csv", REGISTRY);
    let lock = govwx::publish::OutputLock::acquire(&dir.path().join("output")).expect("lock");
    let clock = Instant::now();
    let out = govwx(&["run"], dir.path());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(clock.elapsed() < Duration::from_secs(5), "it fails fast");
    let message = stderr(&out);
    assert!(
        message.contains(&format!("pid {}", std::process::id())),
        "{message}"
    );
    assert!(
        message.contains("started 20") && message.contains("UTC"),
        "{message}"
    );
    assert!(!dir.path().join("output").exists());
    drop(lock);
    let out = govwx(&["run"], dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_stale_lock_and_leftovers_of_a_killed_run_are_recovered() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2014/a.csv", REGISTRY);
    write(
        dir.path(),
        ".output.lock",
        "pid 4194303, started 2014-12-31 23:59:59 UTC\n",
    );
    write(dir.path(), ".output.staging-4194303/report.md", "half");
    write(dir.path(), ".output.previous/report.md", "old");
    let out = govwx(&["run"], dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("left by an interrupted run"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("output/report.md").exists());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn every_exit_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "input/2014/a.csv", REGISTRY);
    let strict_publish =
        config_with_gates(root, "rejected_share = { max = 0.1, on_hit = \"publish\" }");
    let strict_keep = config_with_gates(root, "accounts = { min = 100, on_hit = \"keep\" }");
    let bad = config_with_gates(root, "accounts = { min = 100, on_hit = \"shrug\" }");
    let arg = |p: &PathBuf| p.to_str().expect("utf-8 path").to_owned();

    // 2: a configuration error, for `check` and `run`, nothing written.
    for command in ["check", "run"] {
        let out = govwx(&[command, "--config", &arg(&bad)], root);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains("gates"), "{}", stderr(&out));
    }
    // 4 with nothing to keep: nothing published.
    let out = govwx(&["run", "--config", &arg(&strict_keep)], root);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(!root.join("output").exists());
    // 0: published.
    let out = govwx(&["run"], root);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let published = common::tree(&root.join("output"));
    // 4: the previous report is kept, byte for byte; `check` says the same.
    let out = govwx(&["run", "--config", &arg(&strict_keep)], root);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("kept the previous report"),
        "{}",
        stderr(&out)
    );
    assert!(common::tree(&root.join("output")) == published);
    let out = govwx(&["check", "--config", &arg(&strict_keep)], root);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    // 3: published, and the manifest says which gate was hit.
    let out = govwx(&["check", "--config", &arg(&strict_publish)], root);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("`rejected_share` hit"));
    let out = govwx(&["run", "--config", &arg(&strict_publish)], root);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let manifest = common::json(&root.join("output/manifest.json"));
    assert_eq!(manifest["run"]["exit_code"], 3);
    assert_eq!(manifest["run"]["gates_hit"][0]["gate"], "rejected_share");
    let metrics = common::json(&root.join("output/metrics.json"));
    assert_eq!(metrics["quality_gates"][0]["gate"], "rejected_share");
    let report = std::fs::read_to_string(root.join("output/report.md")).expect("report.md");
    assert!(
        report.contains("质量门槛"),
        "the report says a gate was hit"
    );
    // 1: no usable input, and `check` wrote nothing.
    write(root, "junk/2014/a.csv", "省份,账号数\n广东,1\n");
    let out = govwx(&["check", "--input", "junk", "--output", "elsewhere"], root);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let out = govwx(&["check", "--output", "elsewhere"], root);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("records: 4 read, 3 accepted, 1 rejected")
    );
    assert!(!root.join("elsewhere").exists());
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
}

#[test]
fn an_unchanged_run_is_up_to_date_and_repeats_its_exit_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "input/2014/a.csv", REGISTRY);
    let strict = config_with_gates(root, "rejected_share = { max = 0.1, on_hit = \"publish\" }");
    let config = strict.to_str().expect("utf-8 path");
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--config", config];
        args.extend(extra);
        let out = govwx(&args, root);
        (code(&out), stderr(&out))
    };
    let up_to_date = |message: &str| message.contains("up to date");
    let (status, message) = run(&[]);
    assert_eq!(status, 3, "{message}");
    assert!(!up_to_date(&message), "{message}");
    let (status, message) = run(&[]);
    assert_eq!((status, up_to_date(&message)), (3, true), "{message}");
    // The same bytes written again: newer, hashed, still up to date.
    std::thread::sleep(Duration::from_millis(10));
    write(root, "input/2014/a.csv", REGISTRY);
    let (_, message) = run(&[]);
    assert!(up_to_date(&message), "{message}");
    // `--force`, a changed input, a damaged output and new options rebuild.
    let (_, message) = run(&["--force"]);
    assert!(!up_to_date(&message), "{message}");
    write(root, "input/2014/a.csv", &REGISTRY.replace("1000", "2000"));
    let (_, message) = run(&[]);
    assert!(!up_to_date(&message), "{message}");
    std::fs::remove_file(root.join("output/report.html")).expect("remove");
    let (_, message) = run(&[]);
    assert!(!up_to_date(&message), "{message}");
    assert!(root.join("output/report.html").exists());
    write(root, "input/2014/notes.txt", "a new file");
    let (_, message) = run(&[]);
    assert!(!up_to_date(&message), "{message}");
    let (_, message) = run(&["--period", "2014"]);
    assert!(!up_to_date(&message), "{message}");
}

#[cfg(unix)]
#[test]
fn a_changed_file_behind_a_symlink_is_not_up_to_date() {
    // The pipeline reads through symlinks, so the fingerprint must too.
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "elsewhere/a.csv", REGISTRY);
    std::fs::create_dir_all(root.join("input/2014")).expect("mkdir");
    std::os::unix::fs::symlink(root.join("elsewhere/a.csv"), root.join("input/2014/a.csv"))
        .expect("symlink");
    let out = govwx(&["run"], root);
    assert!(!stderr(&out).contains("up to date"), "{}", stderr(&out));
    std::thread::sleep(Duration::from_millis(10));
    write(root, "elsewhere/a.csv", &REGISTRY.replace("1000", "2000"));
    let out = govwx(&["run"], root);
    assert!(!stderr(&out).contains("up to date"), "{}", stderr(&out));
}
