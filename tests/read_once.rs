//! Each input byte is read from disk once: one pass hashes, decodes and
//! parses each file, a table set aside by the registry pass (activity) is
//! read on from where that pass stopped, and the fingerprint takes the
//! hashes the read made. The reader counts every byte it passes
//! (`govwx::fs::BYTES_READ`); this file holds one test, so that no other run
//! in the process adds to the count.

mod common;

use std::path::Path;
use std::sync::atomic::Ordering;

use govwx::fs::BYTES_READ;

fn copy_tree(from: &Path, to: &Path) -> u64 {
    let mut bytes = 0;
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("below"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            bytes += std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    bytes
}

#[test]
fn every_input_byte_is_read_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input");
    // The bundled sample (GBK and UTF-8 text, gzipped TSV and CSV activity
    // tables set aside by the registry pass), with workbooks, UTF-16, other
    // delimiters and a broken file beside it.
    let mut total = copy_tree(&common::repo("input"), &input);
    total += copy_tree(
        &common::repo("tests/fixtures/ingest/mixed/2014"),
        &input.join("2014/mixed"),
    );
    total += copy_tree(
        &common::repo("tests/fixtures/ingest/broken/2014"),
        &input.join("2014/broken"),
    );
    let before = BYTES_READ.load(Ordering::SeqCst);
    let output = dir.path().join("output");
    let summary = govwx::run_with(
        &common::options(&input, &output),
        &govwx::RunControl {
            force: true,
            ..Default::default()
        },
    )
    .expect("the run succeeds");
    assert_eq!(summary.status, govwx::RunStatus::Published);
    let read = BYTES_READ.load(Ordering::SeqCst) - before;
    assert_eq!(
        read, total,
        "bytes read from the input ({read}) against its size ({total})"
    );
    // The hashes the fingerprint took from the read are the files' own.
    let manifest = common::json(&output.join("manifest.json"));
    let inputs = manifest["run"]["fingerprint"]["inputs"]
        .as_array()
        .expect("inputs");
    assert!(inputs.len() > 70);
    for file in inputs {
        let path = input.join(file["path"].as_str().expect("path"));
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(
            file["sha256"].as_str(),
            Some(govwx::fs::sha256_hex(&bytes).as_str()),
            "{}",
            path.display()
        );
    }
}
