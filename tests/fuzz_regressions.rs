//! Every input the fuzzers (`fuzz/`) found a crash with, replayed through
//! the same checks as the targets: no panic, no abort, every sheet
//! reconciled, no row rejected as an internal fault. The inputs are kept in
//! `tests/fixtures/fuzz/<target>/`, one file each, as the fuzzer wrote them.

use govwx::config::{Limits, Settings};
use govwx::ingest::{read_bytes, FileKind, FileReport, RawRecord, RejectKind};
use govwx::normalize;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = format!(
        "{}/tests/fixtures/fuzz/{target}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            path.is_file() && !name.is_some_and(|n| n.starts_with('.'))
        })
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read fixture");
            (path.display().to_string(), bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

/// Reads `bytes` as `name` with `limits`, checking what the targets check.
fn replay(origin: &str, name: &str, bytes: Vec<u8>, kinds: &[FileKind], limits: &Limits) {
    let settings = Settings::builtin();
    let visit = |raw: &RawRecord<'_>| match raw.schema.kind {
        FileKind::Registry => {
            normalize::registry_record(raw, &settings, &mut normalize::Batch::with_capacity(1))
                .map(|_| ())
        }
        FileKind::Activity => normalize::activity_record(raw).map(|_| ()),
    };
    let report = FileReport {
        path: name.to_owned(),
        ..FileReport::default()
    };
    for (report, batches) in read_bytes(
        report,
        bytes,
        kinds,
        govwx::ingest::Reading::with_limits(limits),
        &visit,
    ) {
        let accepted: usize = batches.iter().map(|((), values)| values.len()).sum();
        assert_eq!(
            report.records_read,
            report.records_accepted + report.records_rejected + report.totals_lines,
            "{origin}"
        );
        assert_eq!(report.records_accepted as usize, accepted, "{origin}");
        assert!(
            report
                .rejects
                .iter()
                .all(|r| r.kind != RejectKind::Internal),
            "{origin}: {:?}",
            report.rejects
        );
    }
}

#[test]
fn reader_crashes_stay_fixed() {
    const NAMES: [&str; 8] = [
        "f.csv",
        "f.tsv",
        "f.txt",
        "f.csv.gz",
        "f.xlsx",
        "f.ods",
        "f.xls",
        "f.xlsx.gz",
    ];
    for (origin, data) in inputs("reader") {
        let Some((&pick, bytes)) = data.split_first() else {
            continue;
        };
        let limits = match pick & 0x80 {
            0 => Limits::default(),
            _ => Limits {
                max_cells_per_sheet: 4096,
                max_cell_bytes: 64,
                max_line_bytes: 256,
                max_quoted_lines: 2,
                max_decompressed_bytes: 1 << 16,
            },
        };
        let name = NAMES[usize::from(pick & 0x7F) % NAMES.len()];
        let kinds = [FileKind::Registry, FileKind::Activity];
        replay(&origin, name, bytes.to_vec(), &kinds, &limits);
    }
}

#[test]
fn normalize_crashes_stay_fixed() {
    const REGISTRY: &str =
        "原始ID,微信号,名称,认证主体,省份,城市,区县,级别,领域,账号类型,粉丝数（万）,注册时间";
    const ACTIVITY: &str = "原始ID,名称,统计月份,发文数,阅读数,点赞数";
    for (origin, data) in inputs("normalize") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let rows: String = text
            .split('\x01')
            .map(|row| {
                let cells: Vec<String> = row
                    .split('\0')
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect();
                cells.join(",") + "\n"
            })
            .collect();
        for (header, kind) in [
            (REGISTRY, FileKind::Registry),
            (ACTIVITY, FileKind::Activity),
        ] {
            let bytes = format!("{header}\n{rows}").into_bytes();
            replay(&origin, "2014/f.csv", bytes, &[kind], &Limits::default());
        }
    }
}
