//! Bytes in; records or row errors out, never a panic. The first byte picks
//! the format the bytes are read as; every sheet must reconcile:
//! records read = accepted + rejected + totals lines.
#![no_main]

use govwx::config::Settings;
use govwx::ingest::{read_bytes, FileKind, FileReport};
use govwx::normalize;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 6] = ["f.csv", "f.tsv", "f.txt", "f.csv.gz", "f.xlsx", "f.ods"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let settings = Settings::builtin();
    let report = FileReport { path: NAMES[usize::from(pick) % NAMES.len()].to_owned(), ..FileReport::default() };
    let kinds = [FileKind::Registry, FileKind::Activity];
    let visit = |raw: &govwx::ingest::RawRecord<'_>| match raw.schema.kind {
        FileKind::Registry => normalize::registry_record(raw, &settings, &mut normalize::Interner::default()).map(|_| ()),
        FileKind::Activity => normalize::activity_record(raw).map(|_| ()),
    };
    for (report, batches) in read_bytes(report, bytes.to_vec(), &kinds, &settings.limits, &visit) {
        let accepted: Vec<()> = batches.into_iter().flat_map(|((), values)| values).collect();
        assert_eq!(report.records_read, report.records_accepted + report.records_rejected + report.totals_lines);
        assert_eq!(report.records_accepted as usize, accepted.len());
        assert_eq!(report.records_rejected as usize, report.rejects.len());
    }
});
