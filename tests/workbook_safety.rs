//! Workbooks are untrusted input to a library that allocates what a file
//! declares: a damaged `.xls`, a lone cell at XFD1048576, repeat counts in
//! an `.ods` or a gzipped bomb must cost a reason, never the run. Excel's
//! own cells read as an export would hold them: error cells are empty and
//! date cells are dates.

use std::io::Write;

use govwx::config::{Limits, Settings};
use govwx::ingest::{read_bytes, Column, FileKind, FileReport, RawRecord, RejectKind, RowError};
use govwx::normalize;

/// What one table of a file gave: skipped reason, records read, accepted
/// values, reject reasons.
struct Table {
    skipped: Option<String>,
    read: u64,
    accepted: Vec<Vec<Option<String>>>,
    rejects: Vec<String>,
}

/// Reads `bytes` as the file `name`, keeping the name, id and month cells
/// of every accepted record.
fn read(name: &str, bytes: Vec<u8>, kinds: &[FileKind], limits: &Limits) -> Vec<Table> {
    let report = FileReport {
        path: format!("2014/{name}"),
        ..FileReport::default()
    };
    let visit = |raw: &RawRecord<'_>| -> Result<Vec<Option<String>>, RowError> {
        Ok([Column::Name, Column::OriginalId, Column::Month]
            .into_iter()
            .map(|c| raw.get(c).map(str::to_owned))
            .collect())
    };
    read_bytes(
        report,
        bytes,
        kinds,
        govwx::ingest::Reading::with_limits(limits),
        &visit,
    )
    .into_iter()
    .map(|(report, batches)| {
        assert_eq!(
            report.records_read,
            report.records_accepted + report.records_rejected + report.totals_lines
        );
        Table {
            skipped: report.skipped.clone(),
            read: report.records_read,
            accepted: batches.into_iter().flat_map(|((), v)| v).collect(),
            rejects: report.rejects.iter().map(|r| r.reason.clone()).collect(),
        }
    })
    .collect()
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/ingest/mixed/2014/provinces/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

const REGISTRY: &[FileKind] = &[FileKind::Registry];

/// A zip archive of the given parts, stored.
fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        writer.start_file(*name, options).expect("start part");
        writer.write_all(text.as_bytes()).expect("write part");
    }
    writer.finish().expect("finish zip").into_inner()
}

/// A one-sheet `.xlsx` whose sheet XML holds `cells` (`<c>` elements in
/// `<row>`s); style 1 is a date format.
fn xlsx(rows: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        ),
        (
            "xl/styles.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#,
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

fn text(at: &str, value: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>"#)
}

fn header_and_one_account() -> String {
    format!(
        r#"<row r="1">{}{}{}</row><row r="2">{}{}{}</row>"#,
        text("A1", "名称"),
        text("B1", "原始ID"),
        text("C1", "省份"),
        text("A2", "深圳发布"),
        text("B2", "gh_000000000001"),
        text("C2", "广东"),
    )
}

#[test]
fn a_lone_cell_at_the_last_column_and_row_does_not_make_a_dense_sheet() {
    let rows = format!(
        r#"{}<row r="1048576">{}</row>"#,
        header_and_one_account(),
        text("XFD1048576", "x")
    );
    let tables = read("bomb.xlsx", xlsx(&rows), REGISTRY, &Limits::default());
    assert_eq!(tables.len(), 1);
    let table = &tables[0];
    assert_eq!(table.skipped, None);
    assert_eq!(table.read, 2, "the account and the stray cell's row");
    assert_eq!(table.accepted.len(), 1);
    assert_eq!(
        table.rejects.len(),
        1,
        "the stray cell is outside the header"
    );
    assert_eq!(table.accepted[0][0].as_deref(), Some("深圳发布"));
}

#[test]
fn a_sheet_past_the_cell_limit_is_skipped_naming_the_limit() {
    let mut rows = header_and_one_account();
    for row in 3..40 {
        rows.push_str(&format!(
            r#"<row r="{row}">{}</row>"#,
            text(&format!("Z{row}"), "x")
        ));
    }
    let limits = Limits {
        max_cells_per_sheet: 100,
        ..Limits::default()
    };
    let tables = read("wide.xlsx", xlsx(&rows), REGISTRY, &limits);
    let reason = tables[0].skipped.as_deref().expect("skipped");
    assert!(reason.contains("max_cells_per_sheet"), "{reason}");
}

#[test]
fn a_cell_past_the_byte_limit_rejects_its_row() {
    let rows = format!(
        r#"{}<row r="3">{}{}</row>"#,
        header_and_one_account(),
        text("A3", &"长".repeat(100)),
        text("B3", "gh_000000000002")
    );
    let limits = Limits {
        max_cell_bytes: 64,
        ..Limits::default()
    };
    let tables = read("long.xlsx", xlsx(&rows), REGISTRY, &limits);
    assert_eq!(tables[0].accepted.len(), 1);
    assert_eq!(tables[0].rejects.len(), 1);
    assert!(tables[0].rejects[0].contains("max_cell_bytes"));
}

#[test]
fn excel_error_cells_are_empty_and_date_cells_are_months() {
    let rows = format!(
        r#"<row r="1">{}{}{}{}</row>
           <row r="2"><c r="A2" t="e"><v>#N/A</v></c>{}<c r="C2" s="1"><v>41974</v></c></row>
           <row r="3"><c r="A3" t="e"><v>#N/A</v></c>{}<c r="C3" s="1"><v>41944.5</v></c></row>"#,
        text("A1", "名称"),
        text("B1", "原始ID"),
        text("C1", "统计月份"),
        text("D1", "阅读数"),
        text("B2", "gh_000000000001"),
        text("B3", "gh_000000000002"),
    );
    let tables = read(
        "activity.xlsx",
        xlsx(&rows),
        &[FileKind::Activity],
        &Limits::default(),
    );
    let table = &tables[0];
    assert_eq!(table.skipped, None);
    let cells: Vec<_> = table
        .accepted
        .iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect();
    assert_eq!(
        cells,
        vec![
            (None, Some("2014-12-01".to_owned())),
            (None, Some("2014-11-01 12:00:00".to_owned())),
        ],
        "#N/A is no name; date cells are dates"
    );
    for month in ["2014-12-01", "2014-11-01 12:00:00"] {
        assert_eq!(
            normalize::values::parse_month(month).map(|m| m.0),
            Some(2014)
        );
    }
}

/// An `.ods` whose one filled row repeats its cells to the sheet's edges.
fn ods(row: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>名称</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>省份</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>粉丝数</text:p></table:table-cell></table:table-row>{row}<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
        ("content.xml", &content),
    ])
}

#[test]
fn ods_repeats_past_the_cell_limit_are_refused_and_ordinary_trailing_repeats_are_not() {
    let account = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>深圳发布</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>广东</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    let tables = read("ok.ods", ods(account), REGISTRY, &Limits::default());
    assert_eq!(
        tables[0].skipped, None,
        "LibreOffice's trailing repeats are free"
    );
    assert_eq!(tables[0].accepted.len(), 1);
    let bomb = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>深圳发布</text:p></table:table-cell></table:table-row>"#;
    let tables = read("bomb.ods", ods(bomb), REGISTRY, &Limits::default());
    let reason = tables[0].skipped.as_deref().expect("skipped");
    assert!(reason.contains("max_cells_per_sheet"), "{reason}");
    assert!(tables[0].accepted.is_empty());
}

#[test]
fn a_gzipped_workbook_past_the_unpacked_limit_is_skipped() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&xlsx(&header_and_one_account()))
        .expect("gzip");
    let bytes = gz.finish().expect("gzip");
    let limits = Limits {
        max_decompressed_bytes: 100,
        ..Limits::default()
    };
    let tables = read("a.xlsx.gz", bytes.clone(), REGISTRY, &limits);
    let reason = tables[0].skipped.as_deref().expect("skipped");
    assert!(reason.contains("max_decompressed_bytes"), "{reason}");
    let tables = read("a.xlsx.gz", bytes, REGISTRY, &Limits::default());
    assert_eq!(tables[0].accepted.len(), 1);
}

#[test]
fn a_truncated_xls_is_skipped_with_a_reason_not_a_crash() {
    let whole = fixture("old.xls");
    let tables = read("old.xls", whole.clone(), REGISTRY, &Limits::default());
    assert!(
        tables.iter().any(|t| !t.accepted.is_empty()),
        "the whole file reads"
    );
    for cut in [4096, 1024, 600, whole.len() / 2, whole.len() - 1] {
        let tables = read(
            "cut.xls",
            whole[..cut].to_vec(),
            REGISTRY,
            &Limits::default(),
        );
        assert!(!tables.is_empty(), "cut at {cut}: reported");
    }
}

/// Every byte of the file's structure (header, allocation tables,
/// directory and the start of the workbook stream) flipped to values that
/// break sizes and chains: each read ends in records or a reason.
#[test]
fn flipped_bytes_in_an_xls_never_crash_or_exhaust_memory() {
    let whole = fixture("old.xls");
    let settings = Settings::builtin();
    let mut skipped = 0;
    for at in 0..whole.len().min(3072) {
        for value in [0x00, 0x01, 0x7F, 0xFE, 0xFF] {
            if whole[at] == value {
                continue;
            }
            let mut bytes = whole.clone();
            bytes[at] = value;
            let tables = read("flip.xls", bytes, REGISTRY, &settings.limits);
            skipped += tables.iter().filter(|t| t.skipped.is_some()).count();
        }
    }
    assert!(skipped > 0, "some flips break the file and are reported");
}

#[test]
fn a_panic_inside_the_visitor_rejects_only_that_row() {
    let tables = {
        let report = FileReport {
            path: "2014/a.csv".to_owned(),
            ..FileReport::default()
        };
        let visit = |raw: &RawRecord<'_>| -> Result<(), RowError> {
            match raw.get(Column::Name) {
                Some("boom") => panic!("a bug in a cell parser"),
                _ => Ok(()),
            }
        };
        let bytes = "名称,省份\n深圳发布,广东\nboom,广东\n平安深圳,广东\n"
            .as_bytes()
            .to_vec();
        read_bytes(
            report,
            bytes,
            REGISTRY,
            govwx::ingest::Reading::with_limits(&Limits::default()),
            &visit,
        )
    };
    let (report, _) = &tables[0];
    assert_eq!(report.records_accepted, 2);
    assert_eq!(report.rejects.len(), 1);
    assert_eq!(report.rejects[0].kind, RejectKind::Internal);
    assert_eq!(report.rejects[0].line, 3);
    assert!(report.rejects[0].reason.contains("a bug in a cell parser"));
}

/// A visitor that visits a batch's records together (as activity rows
/// are, to overlap their lookups): each value says which way it was made.
/// `boom` panics either way; `bad` is refused.
struct Together;

impl govwx::ingest::Visitor for Together {
    type State = ();
    type Value = String;

    fn new_state(&self, _rows: usize, _bytes: usize) {}

    fn visit(&self, (): &mut (), raw: &RawRecord<'_>) -> Result<String, RowError> {
        Together::value(raw, "alone")
    }

    fn visit_rows(
        &self,
        (): &mut (),
        raws: &[RawRecord<'_>],
        out: &mut Vec<Result<String, RowError>>,
    ) {
        out.extend(raws.iter().map(|raw| Together::value(raw, "together")));
    }
}

impl Together {
    fn value(raw: &RawRecord<'_>, how: &str) -> Result<String, RowError> {
        match raw.get(Column::Name) {
            Some("boom") => panic!("a bug in a batch visitor"),
            Some("bad") => Err(RowError::new(RejectKind::BadNumber, None, "refused")),
            name => Ok(format!("{how}:{}", name.unwrap_or_default())),
        }
    }

    fn read(text: &str) -> (FileReport, Vec<String>) {
        let report = FileReport {
            path: "2014/a.csv".to_owned(),
            ..FileReport::default()
        };
        let limits = Limits::default();
        let reading = govwx::ingest::Reading::with_limits(&limits);
        let mut tables = read_bytes(report, text.as_bytes(), REGISTRY, reading, &Together);
        let (report, batches) = tables.remove(0);
        let values = batches.into_iter().flat_map(|(_, values)| values).collect();
        (report, values)
    }
}

#[test]
fn records_visited_together_keep_their_order_and_their_reasons() {
    let (report, values) =
        Together::read("名称,省份\n深圳发布,广东\n\nbad,广东\n合计,\n平安深圳,广东\n多,广东,余\n");
    assert_eq!(values, ["together:深圳发布", "together:平安深圳"]);
    assert_eq!((report.blank_lines, report.totals_lines), (1, 1));
    let rejects: Vec<(u32, RejectKind)> = report.rejects.iter().map(|r| (r.line, r.kind)).collect();
    assert_eq!(
        rejects,
        [(4, RejectKind::BadNumber), (7, RejectKind::FieldCount)],
        "in line order, the visitor's and the reader's"
    );
}

#[test]
fn a_panic_while_visiting_together_rejects_only_that_row() {
    let (report, values) =
        Together::read("名称,省份\n深圳发布,广东\nboom,广东\n\nbad,广东\n平安深圳,广东\n");
    assert_eq!(values, ["alone:深圳发布", "alone:平安深圳"]);
    let rejects: Vec<(u32, RejectKind)> = report.rejects.iter().map(|r| (r.line, r.kind)).collect();
    assert_eq!(
        rejects,
        [(3, RejectKind::Internal), (5, RejectKind::BadNumber)],
        "in line order"
    );
    assert!(report.rejects[0]
        .reason
        .contains("a bug in a batch visitor"));
    assert_eq!(report.records_accepted, 2);
    assert_eq!(report.blank_lines, 1);
}
