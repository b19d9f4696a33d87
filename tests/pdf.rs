//! `govwx run --pdf`: without Chromium the run stops with exit 2 and
//! touches nothing; with it, the bundled sample prints to at most ten A4
//! pages, a cover and then numbered pages under a running title, dated from
//! `SOURCE_DATE_EPOCH`, the same bytes from run to run, and the rest of the
//! output exactly as without the option. The printing tests are ignored by
//! default, so a machine without a browser reports them as ignored rather
//! than passed; `.ci/run` runs them (`--ignored`) wherever Chromium is, and
//! then a missing browser or poppler-utils fails them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2015-04-20 00:00:00 UTC.
const EPOCH: &str = "1429488000";

/// The most pages the bundled sample's report may print to (issue 14).
const MAX_PAGES: usize = 10;

/// The same for its English edition, whose text runs about 15% longer
/// (9.2 pages of content against 8.1 when last measured): it prints to 10
/// now; the limit only catches a layout that has come apart.
const MAX_PAGES_EN: usize = 12;

/// `govwx --quiet run` from `input` into `output`, dated [`EPOCH`], with
/// the variables that change output cleared; more arguments after.
fn govwx(input: &Path, output: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_govwx"));
    command
        .args(["--quiet", "run", "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env_remove("RAYON_NUM_THREADS");
    command
}

fn output_of(command: &mut Command) -> Output {
    command.output().expect("govwx runs")
}

/// Runs the bundled sample into `output` (with `--pdf` when asked) and
/// returns the output folder; a missing browser fails with what to install.
fn sample(output: PathBuf, pdf: bool) -> PathBuf {
    let extra: &[&str] = if pdf { &["--pdf"] } else { &[] };
    let out = output_of(&mut govwx(&common::repo("input"), &output, extra));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(2),
        "no Chromium: install chromium and fonts-noto-cjk (or set CHROMIUM), or do not pass --ignored\n{stderr}"
    );
    assert!(out.status.success(), "govwx run failed: {stderr}");
    output
}

/// The names in `dir`, to see that a refused run leaves nothing beside the
/// output (no staging folder).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn without_chromium_the_run_stops_with_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::repo("tests/fixtures/ingest/clean");
    // A PATH with no browser on it.
    let bare = dir.path().join("bare-path");
    std::fs::create_dir(&bare).unwrap();
    let existing = dir.path().join("existing");
    let out = output_of(&mut govwx(&input, &existing, &[]));
    assert!(out.status.success(), "the run without --pdf succeeds");
    let before = common::tree(&existing);
    let beside = names(dir.path());

    for output in [dir.path().join("fresh"), existing.clone()] {
        for chromium in [Some("/nonexistent/chromium"), None] {
            let mut command = govwx(&input, &output, &["--pdf"]);
            command.env("PATH", &bare);
            match chromium {
                Some(path) => command.env("CHROMIUM", path),
                None => command.env_remove("CHROMIUM"),
            };
            let out = output_of(&mut command);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{chromium:?}: {stderr}");
            assert!(stderr.contains("Chromium"), "{stderr}");
            match chromium {
                Some(path) => assert!(
                    stderr.contains("CHROMIUM") && stderr.contains(path),
                    "{stderr}"
                ),
                None => assert!(stderr.contains("install"), "{stderr}"),
            }
            assert!(
                !dir.path().join("fresh").exists(),
                "no output folder is created"
            );
            assert!(
                common::tree(&existing) == before,
                "the existing output is unchanged"
            );
            assert_eq!(names(dir.path()), beside, "nothing is left beside it");
        }
    }
}

/// Runs a poppler-utils program; its standard output.
fn poppler(program: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(pdf)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[]
        })
        .output()
        .unwrap_or_else(|e| panic!("`{program}` does not run ({e}): install poppler-utils"));
    // poppler repairs a damaged file (a cross-reference table whose
    // offsets are off) but says so on stderr: a clean file is silent.
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{program} {args:?} {} failed or complained: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler writes UTF-8")
}

/// `Key:   value` lines of pdfinfo.
fn info(pdf: &Path, args: &[&str]) -> BTreeMap<String, String> {
    poppler("pdfinfo", args, pdf)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// Text without any whitespace, so a title pdftotext wraps or spaces
/// still matches.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `line` is a page number: `3 / 9`, or a bare `3` (pdftotext's
/// layout may drop the spaces).
fn is_page_number(line: &str) -> bool {
    let line = compact(line);
    let (a, b) = line.split_once('/').unwrap_or((&line, "0"));
    [a, b]
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|c| c.is_ascii_digit()))
}

/// An edition's PDF as the issue asks for it: A4, at most `max_pages`,
/// dated [`EPOCH`]; page 1 the cover (the title, no number), the contents
/// on page 2, and every later page numbered `n / pages` under the title;
/// its links to the other files relative, as the HTML's; and a file
/// poppler reads without a complaint.
fn check_pdf(pdf: &Path, title: &str, contents: &str, link: &str, max_pages: usize) {
    let what = pdf.display();
    let summary = info(pdf, &["-isodates"]);
    let pages: usize = summary["Pages"].parse().expect("a page count");
    assert!(
        (2..=max_pages).contains(&pages),
        "{what}: {pages} pages, at most {max_pages} wanted"
    );
    for date in ["CreationDate", "ModDate"] {
        assert!(
            summary[date].starts_with("2015-04-20T00:00:00"),
            "{what}: {date} is {}, not SOURCE_DATE_EPOCH",
            summary[date]
        );
    }
    let last = pages.to_string();
    let sizes = info(pdf, &["-f", "1", "-l", &last]);
    for page in 1..=pages {
        let size = &sizes[&format!("Page {page:>4} size")];
        let numbers: Vec<f64> = size
            .split_whitespace()
            .filter_map(|word| word.parse().ok())
            .collect();
        assert!(
            numbers.len() == 2
                && (numbers[0] - 595.0).abs() <= 1.0
                && (numbers[1] - 842.0).abs() <= 1.0,
            "{what}: page {page} is {size}, not A4"
        );
    }
    let title = compact(title);
    for page in 1..=pages {
        let n = page.to_string();
        // In layout mode, top to bottom: the running header is the first
        // line of a page and its number the last.
        let text = poppler("pdftotext", &["-layout", "-f", &n, "-l", &n], pdf);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let (first, last) = (lines.first().copied(), lines.last().copied());
        if page == 1 {
            assert!(
                compact(&text).contains(&title),
                "{what}: the cover lacks the title {title}:\n{text}"
            );
            assert!(
                !lines.iter().any(|line| is_page_number(line)),
                "{what}: the cover is numbered:\n{text}"
            );
            assert!(
                !text.contains(contents),
                "{what}: the contents are on the cover, not after it"
            );
            continue;
        }
        assert_eq!(
            last.map(compact),
            Some(format!("{page}/{pages}")),
            "{what}: page {page} does not end with its number:\n{text}"
        );
        assert_eq!(
            first.map(compact).as_ref(),
            Some(&title),
            "{what}: page {page} does not open with the title:\n{text}"
        );
        if page == 2 {
            assert!(text.contains(contents), "{what}: page 2 lacks the contents");
        }
    }
    let urls = poppler("pdfinfo", &["-url"], pdf);
    assert!(
        !urls.contains("file:"),
        "{what}: a link leads into the folder it was printed in:\n{urls}"
    );
    assert!(
        urls.lines().any(|line| line.trim_end().ends_with(link)),
        "{what}: no link to {link}:\n{urls}"
    );
}

#[test]
#[ignore = "needs Chromium, fonts-noto-cjk and poppler-utils: cargo test --release --test pdf -- --ignored"]
fn the_sample_prints_to_numbered_a4_pages_and_the_rest_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let plain = sample(dir.path().join("plain"), false);
    let printed = sample(dir.path().join("printed"), true);
    let (plain_files, printed_files) = (common::tree(&plain), common::tree(&printed));
    for (path, bytes) in &plain_files {
        if path != "manifest.json" {
            assert!(
                printed_files.get(path) == Some(bytes),
                "`{path}` differs with --pdf"
            );
        }
    }
    let added: Vec<&String> = printed_files
        .keys()
        .filter(|path| !plain_files.contains_key(*path))
        .collect();
    assert_eq!(added, ["report.en.pdf", "report.pdf"]);
    let manifest = common::json(&printed.join("manifest.json"));
    let outputs = manifest["run"]["outputs"].as_array().expect("outputs");
    for pdf in ["report.pdf", "report.en.pdf"] {
        let entry = outputs
            .iter()
            .find(|o| o["path"] == pdf)
            .unwrap_or_else(|| panic!("the manifest does not list {pdf}"));
        assert_eq!(entry["bytes"], printed_files[pdf].len(), "{pdf}");
    }
    assert_eq!(manifest["run"]["fingerprint"]["pdf"], true);

    let dataset: toml::Value =
        toml::from_str(&std::fs::read_to_string(common::repo("input/dataset.toml")).unwrap())
            .expect("dataset.toml");
    let title = |key: &str| dataset[key].as_str().expect("a title").to_owned();
    check_pdf(
        &printed.join("report.pdf"),
        &title("title"),
        "目录",
        "report.en.html",
        MAX_PAGES,
    );
    check_pdf(
        &printed.join("report.en.pdf"),
        &title("title_en"),
        "Contents",
        "report.html",
        MAX_PAGES_EN,
    );
}

/// Chromium writes the same PDF for the same page, but for two things
/// govwx sets: the dates (from `SOURCE_DATE_EPOCH`) and the links to the
/// output's other files (made relative, so the staging folder's name, with
/// its process id, is not in them). Two runs into folders of different
/// names must then print the very same bytes.
#[test]
#[ignore = "needs Chromium and fonts-noto-cjk: cargo test --release --test pdf -- --ignored"]
fn two_prints_of_the_sample_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let first = sample(dir.path().join("first"), true);
    let second = sample(dir.path().join("second-run"), true);
    for pdf in ["report.pdf", "report.en.pdf"] {
        let (a, b) = (
            std::fs::read(first.join(pdf)).unwrap(),
            std::fs::read(second.join(pdf)).unwrap(),
        );
        let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        assert!(
            a == b,
            "{pdf}: {} and {} bytes, {differing} of them differ",
            a.len(),
            b.len()
        );
    }
}
