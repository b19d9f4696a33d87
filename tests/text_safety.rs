//! Text files as they arrive: a stray quote, a few cells in another
//! encoding, a line or a cell or a gzip stream of absurd size each cost
//! their row (or the file, with a reason), never the rows around them.

use std::io::Write;

use govwx::config::Limits;
use govwx::ingest::{read_bytes, Column, FileKind, FileReport, RawRecord, RejectKind, RowError};
use proptest::prelude::*;

/// One read of `bytes` as `name`: the names accepted, the rejects as
/// (line, kind, reason), and why the file was skipped.
struct Read {
    names: Vec<String>,
    rejects: Vec<(u32, RejectKind, String)>,
    skipped: Option<String>,
}

fn read(name: &str, bytes: Vec<u8>, limits: &Limits) -> Read {
    let report = FileReport {
        path: format!("2014/{name}"),
        ..FileReport::default()
    };
    let visit = |raw: &RawRecord<'_>| -> Result<String, RowError> {
        raw.get(Column::Name)
            .map(str::to_owned)
            .ok_or_else(|| RowError::new(RejectKind::NoIdentity, Some(Column::Name), "no name"))
    };
    let mut tables = read_bytes(
        report,
        bytes,
        &[FileKind::Registry],
        govwx::ingest::Reading::with_limits(limits),
        &visit,
    );
    assert_eq!(tables.len(), 1);
    let (report, batches) = tables.remove(0);
    assert_eq!(
        report.records_read,
        report.records_accepted + report.records_rejected + report.totals_lines
    );
    Read {
        names: batches.into_iter().flat_map(|((), v)| v).collect(),
        rejects: report
            .rejects
            .iter()
            .map(|r| (r.line, r.kind, r.reason.clone()))
            .collect(),
        skipped: report.skipped,
    }
}

const HEADER: &str = "名称,原始ID,省份,粉丝数\n";

fn good_rows(n: usize) -> String {
    (0..n)
        .map(|i| format!("账号{i},gh_{i:012x},广东,{i}\n"))
        .collect()
}

#[test]
fn a_stray_quote_costs_its_line_and_the_rows_after_it_are_read() {
    let text = format!(
        "{HEADER}\"平安深圳,gh_000000000001,广东,1\n{}",
        good_rows(1000)
    );
    let got = read("a.csv", text.into_bytes(), &Limits::default());
    assert_eq!(got.names.len(), 1000);
    assert_eq!(got.names[0], "账号0");
    assert_eq!(got.rejects.len(), 1);
    let (line, kind, reason) = &got.rejects[0];
    assert_eq!((*line, *kind), (2, RejectKind::UnclosedQuote));
    assert!(reason.contains("max_quoted_lines"), "{reason}");
}

#[test]
fn quoted_fields_still_span_lines_within_the_limit() {
    let text = format!(
        "{HEADER}\"多\n行\",gh_000000000001,广东,1\n{}",
        good_rows(3)
    );
    let got = read("a.csv", text.into_bytes(), &Limits::default());
    assert_eq!(got.names, ["多\n行", "账号0", "账号1", "账号2"]);
    assert!(got.rejects.is_empty());
    let limits = Limits {
        max_quoted_lines: 1,
        ..Limits::default()
    };
    let text = format!(
        "{HEADER}\"三\n行\n长\",gh_000000000001,广东,1\n{}",
        good_rows(2)
    );
    let got = read("a.csv", text.into_bytes(), &limits);
    assert_eq!(got.rejects[0].1, RejectKind::UnclosedQuote);
    assert_eq!(got.rejects[0].0, 2);
    assert!(got
        .names
        .ends_with(&["账号0".to_owned(), "账号1".to_owned()]));
}

#[test]
fn a_file_that_ends_inside_a_quote_keeps_its_other_rows() {
    let text = format!("{HEADER}{}\"截断,gh_0000000000ff,广东,1", good_rows(5));
    let got = read("a.csv", text.into_bytes(), &Limits::default());
    assert_eq!(got.names.len(), 5);
    assert_eq!(got.rejects.len(), 1);
    assert_eq!(got.rejects[0].1, RejectKind::UnclosedQuote);
    assert_eq!(got.rejects[0].0, 7);
}

#[test]
fn one_gbk_cell_in_a_utf8_file_rejects_its_row_only() {
    let mut bytes = format!("{HEADER}{}", good_rows(20)).into_bytes();
    let (gbk, _, _) = encoding_rs::GBK.encode("广州交警");
    bytes.extend_from_slice(&gbk);
    bytes.extend_from_slice(b",gh_0000000000ff,\xB9\xE3\xB6\xAB,1\n");
    bytes.extend_from_slice("最后一个,gh_0000000000fe,广东,1\n".as_bytes());
    let got = read("a.csv", bytes, &Limits::default());
    assert_eq!(got.names.len(), 21, "every UTF-8 row is read");
    assert_eq!(got.names[0], "账号0", "names are not mojibake");
    assert_eq!(got.names[20], "最后一个");
    assert_eq!(got.rejects.len(), 1);
    assert_eq!(
        (got.rejects[0].0, got.rejects[0].1),
        (22, RejectKind::Encoding)
    );
    assert!(got.rejects[0].2.contains("UTF-8"), "{}", got.rejects[0].2);
}

#[test]
fn a_gbk_file_with_one_malformed_row_keeps_the_others() {
    let text = format!("{HEADER}{}", good_rows(20));
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let mut bytes = gbk.into_owned();
    // A lead byte followed by a byte no GBK character has.
    bytes.extend_from_slice(b"\x81\x7F\xB0,gh_0000000000ff,x,1\n");
    let (tail, _, _) = encoding_rs::GBK.encode("最后一个,gh_0000000000fe,广东,1\n");
    bytes.extend_from_slice(&tail);
    let got = read("a.csv", bytes, &Limits::default());
    assert_eq!(got.names.len(), 21);
    assert_eq!(got.names[0], "账号0");
    assert_eq!(got.rejects.len(), 1);
    assert_eq!(got.rejects[0].1, RejectKind::Encoding);
}

#[test]
fn lines_and_cells_past_the_limits_are_rejected_naming_them() {
    let limits = Limits {
        max_line_bytes: 200,
        max_cell_bytes: 60,
        ..Limits::default()
    };
    let long_line = format!("{},gh_0000000000ff,广东,1\n", "x".repeat(10_000));
    let long_cell = format!("{},gh_0000000000fe,广东,1\n", "长".repeat(30));
    let text = format!("{HEADER}账号a,gh_000000000001,广东,1\n{long_line}{long_cell}账号b,gh_000000000002,广东,1\n");
    let got = read("a.csv", text.into_bytes(), &limits);
    assert_eq!(got.names, ["账号a", "账号b"]);
    let rejects: Vec<(u32, RejectKind)> = got.rejects.iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(rejects, [(3, RejectKind::Limit), (4, RejectKind::Limit)]);
    assert!(got.rejects[0].2.contains("max_line_bytes"));
    assert!(got.rejects[1].2.contains("max_cell_bytes"));
    // A quote opened in a line cut at the limit does not swallow the next.
    let text = format!(
        "{HEADER}\"{}\",gh_0000000000ff,广东,1\n账号c,gh_000000000003,广东,1\n",
        "x".repeat(10_000)
    );
    let got = read("a.csv", text.into_bytes(), &limits);
    assert_eq!(got.names, ["账号c"]);
    assert_eq!(got.rejects[0].1, RejectKind::Limit);
}

#[test]
fn a_gzip_stream_past_the_unpacked_limit_is_skipped_naming_it() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(HEADER.as_bytes()).expect("gzip");
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).expect("gzip");
    }
    let bytes = gz.finish().expect("gzip");
    assert!(bytes.len() < 1 << 20, "a small file");
    let limits = Limits {
        max_decompressed_bytes: 16 << 20,
        ..Limits::default()
    };
    let got = read("bomb.csv.gz", bytes, &limits);
    let reason = got.skipped.expect("skipped");
    assert!(reason.contains("max_decompressed_bytes"), "{reason}");
}

proptest! {
    #[test]
    fn any_bytes_read_to_rows_or_reasons(
        body in proptest::collection::vec(
            prop_oneof![
                Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b'a'),
                Just(0xB9u8), Just(0xE3u8), Just(0xFFu8), any::<u8>()
            ],
            0..300,
        ),
        tiny in any::<bool>(),
    ) {
        let limits = match tiny {
            true => Limits {
                max_cell_bytes: 8,
                max_line_bytes: 16,
                max_quoted_lines: 2,
                max_decompressed_bytes: 64,
                ..Limits::default()
            },
            false => Limits::default(),
        };
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        // `read` checks read = accepted + rejected + totals.
        let _ = read("a.csv", bytes, &limits);
    }
}
