//! Bytes in; records or row errors out, never a panic. The first byte picks
//! the format the bytes are read as (its high bit: tiny limits, so that
//! every limit is reached); every sheet must reconcile:
//! records read = accepted + rejected + totals lines.
#![no_main]

use govwx::config::{Limits, Settings};
use govwx::ingest::{read_bytes, FileKind, FileReport};
use govwx::normalize;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "f.csv", "f.tsv", "f.txt", "f.csv.gz", "f.xlsx", "f.ods", "f.xls", "f.xlsx.gz",
];

fuzz_target!(|data: &[u8]| {
    // govwx contains a panic inside calamine (the file is skipped with a
    // reason); libFuzzer's hook would abort on it. A panic that escapes is
    // still caught by libFuzzer and reported.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Some((&pick, bytes)) = data.split_first() else { return };
    let settings = Settings::builtin();
    let limits = match pick & 0x80 {
        0 => settings.limits.clone(),
        _ => Limits {
            max_cells_per_sheet: 4096,
            max_cell_bytes: 64,
            max_line_bytes: 256,
            max_quoted_lines: 2,
            max_decompressed_bytes: 1 << 16,
        },
    };
    let name = NAMES[usize::from(pick & 0x7F) % NAMES.len()];
    let report = FileReport { path: name.to_owned(), ..FileReport::default() };
    let kinds = [FileKind::Registry, FileKind::Activity];
    let visit = |raw: &govwx::ingest::RawRecord<'_>| match raw.schema.kind {
        FileKind::Registry => normalize::registry_record(raw, &settings, &mut normalize::Interner::default()).map(|_| ()),
        FileKind::Activity => normalize::activity_record(raw).map(|_| ()),
    };
    for (report, batches) in read_bytes(report, bytes.to_vec(), &kinds, govwx::ingest::Reading::with_limits(&limits), &visit) {
        let accepted: Vec<()> = batches.into_iter().flat_map(|((), values)| values).collect();
        assert_eq!(report.records_read, report.records_accepted + report.records_rejected + report.totals_lines);
        assert_eq!(report.records_accepted as usize, accepted.len());
        assert_eq!(report.records_rejected as usize, report.rejects.len());
        // A panic inside the normaliser is caught per row; here it is a bug.
        assert!(report.rejects.iter().all(|r| r.kind != govwx::ingest::RejectKind::Internal), "{:?}", report.rejects);
    }
});
