//! Source files as the sample writes them: lines of CSV cells, remembered
//! with what each data line is, then encoded.
//!
//! Every line is kept apart so the ground truth can point at it: a record's
//! line is the 1-based line of the file it starts on, title, blank and header
//! lines included. No cell holds a line break, so a record is one line. The
//! encoding and the separator are chosen per file: registry files are
//! comma-separated UTF-8, the platform's activity export is gzipped TSV (with
//! a fixed gzip mtime, so the bytes never depend on the clock), and a source
//! can later ask for GBK, a BOM or a workbook here without the exports
//! changing.

use std::io::Write;

use govwx::ingest::FileKind;

/// How a file's text becomes bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8 without BOM, `\n` line ends.
    Utf8,
    /// The same text, gzipped with mtime 0 and no file name.
    Utf8Gzip,
}

/// How cells are joined into a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// RFC 4180 CSV, quoted where needed.
    Comma,
    /// Tab-separated; cells never hold a tab or a line break.
    Tab,
}

/// What a data line of a source file is, for `records.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowTruth {
    /// A record of the account with this truth id.
    Account(String),
    /// A record the pipeline must reject, and why.
    Reject(&'static str),
    /// The totals line at the bottom of a submission.
    Totals,
}

/// One data line's truth and where it is.
#[derive(Debug, Clone)]
pub(crate) struct RecordLine {
    pub line: usize,
    pub truth: RowTruth,
}

/// A file of the input folder, being written.
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// Path relative to the input folder, `/`-separated.
    pub path: String,
    pub encoding: Encoding,
    pub separator: Separator,
    /// Which kind of file (docs/CONTRACT.md §2) a source is, for `records.csv`.
    pub kind: FileKind,
    lines: Vec<String>,
    pub records: Vec<RecordLine>,
}

impl SourceFile {
    /// The file's lines as written (title, header, data and totals lines).
    pub fn text_lines(&self) -> &[String] {
        &self.lines
    }

    pub fn new(path: String) -> SourceFile {
        SourceFile {
            path,
            encoding: Encoding::Utf8,
            separator: Separator::Comma,
            kind: FileKind::Registry,
            lines: Vec::new(),
            records: Vec::new(),
        }
    }

    /// An activity export: comma-separated, or gzipped TSV.
    pub fn activity(path: String, gzipped_tsv: bool) -> SourceFile {
        let mut file = SourceFile::new(path);
        file.kind = FileKind::Activity;
        if gzipped_tsv {
            file.encoding = Encoding::Utf8Gzip;
            file.separator = Separator::Tab;
        }
        file
    }

    fn line(&self, cells: &[String]) -> String {
        match self.separator {
            Separator::Comma => csv_line(cells),
            Separator::Tab => cells.join("\t"),
        }
    }

    /// A line that is not a record: a title, a blank line or the header.
    pub fn push_plain(&mut self, cells: &[String]) {
        let line = self.line(cells);
        self.lines.push(line);
    }

    /// A data line; returns its line number.
    pub fn push_record(&mut self, cells: &[String], truth: RowTruth) -> usize {
        let line = self.line(cells);
        self.lines.push(line);
        let line = self.lines.len();
        self.records.push(RecordLine { line, truth });
        line
    }

    /// The file's bytes in its encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut text = String::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        match self.encoding {
            Encoding::Utf8 => text.into_bytes(),
            Encoding::Utf8Gzip => gzip(text.as_bytes()),
        }
    }
}

/// Gzip with a fixed header (mtime 0, no name), so equal text gives equal bytes.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bytes)
        .expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// Cells joined by commas, quoted where a reader would otherwise split or
/// trim them (RFC 4180).
pub(crate) fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells.iter().map(|c| quote(c)).collect();
    quoted.join(",")
}

fn quote(cell: &str) -> String {
    let needs =
        cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ');
    if needs {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_know_their_lines_and_cells_are_quoted() {
        let mut file = SourceFile::new("2014/x.csv".into());
        file.push_plain(&["标题".into()]);
        file.push_plain(&[]);
        file.push_plain(&["a".into(), "b".into()]);
        let line = file.push_record(&["36,213".into(), "x\"y".into()], RowTruth::Totals);
        assert_eq!(line, 4);
        assert_eq!(
            String::from_utf8(file.encode()).unwrap(),
            "标题\n\na,b\n\"36,213\",\"x\"\"y\"\n"
        );
    }

    #[test]
    fn gzipped_tsv_is_deterministic_and_reads_back() {
        let write = || {
            let mut file = SourceFile::activity("2014/a.tsv.gz".into(), true);
            file.push_plain(&["original_id".into(), "reads".into()]);
            file.push_record(
                &["gh_0123456789ab".into(), "10万+".into()],
                RowTruth::Totals,
            );
            file.encode()
        };
        let (a, b) = (write(), write());
        assert_eq!(a, b);
        assert_eq!(&a[4..8], &[0, 0, 0, 0], "mtime is 0");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&a[..]), &mut text)
            .unwrap();
        assert_eq!(text, "original_id\treads\ngh_0123456789ab\t10万+\n");
    }
}
