//! Cells in; a record or a reason out, never a panic. The input is split
//! into cells at NUL and line ends at `\x01`, under a registry header and
//! an activity header with every column govwx reads, and each row is
//! normalised through the same path a file's rows take.
#![no_main]

use govwx::config::Settings;
use govwx::ingest::{read_bytes, FileKind, FileReport, RawRecord};
use govwx::normalize;
use libfuzzer_sys::fuzz_target;

const REGISTRY: &str = "原始ID,微信号,名称,认证主体,省份,城市,区县,级别,领域,账号类型,粉丝数（万）,注册时间";
const ACTIVITY: &str = "原始ID,名称,统计月份,发文数,阅读数,点赞数";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let settings = Settings::builtin();
    // Cells are quoted, so any text (delimiters, quotes, line ends) is one cell.
    let rows: String = text
        .split('\x01')
        .map(|row| {
            let cells: Vec<String> = row.split('\0').map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            cells.join(",") + "\n"
        })
        .collect();
    for (header, kind) in [(REGISTRY, FileKind::Registry), (ACTIVITY, FileKind::Activity)] {
        let bytes = format!("{header}\n{rows}").into_bytes();
        let report = FileReport { path: "2014/f.csv".to_owned(), ..FileReport::default() };
        let visit = |raw: &RawRecord<'_>| match raw.schema.kind {
            FileKind::Registry => normalize::registry_record(raw, &settings, &mut normalize::Interner::default()).map(|_| ()),
            FileKind::Activity => normalize::activity_record(raw).map(|_| ()),
        };
        for (report, _) in read_bytes(report, bytes, &[kind], settings.reading(), &visit) {
            assert_eq!(report.records_read, report.records_accepted + report.records_rejected + report.totals_lines);
            // A panic inside the normaliser is caught per row; here it is a bug.
            assert!(report.rejects.iter().all(|r| r.kind != govwx::ingest::RejectKind::Internal), "{:?}", report.rejects);
        }
    }
});
