//! Source files as the sample writes them: lines of CSV cells, remembered
//! with what each data line is, then encoded.
//!
//! Every line is kept apart so the ground truth can point at it: a record's
//! line is the 1-based line of the file it starts on, title, blank and header
//! lines included. No cell holds a line break, so a record is one line. The
//! encoding is chosen per file; today every file is UTF-8 without BOM, and a
//! source can later ask for GBK, a BOM or a workbook here without the
//! exports changing.

/// How a file's text becomes bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8 without BOM, `\n` line ends.
    Utf8,
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
    lines: Vec<String>,
    pub records: Vec<RecordLine>,
}

impl SourceFile {
    pub fn new(path: String) -> SourceFile {
        SourceFile {
            path,
            encoding: Encoding::Utf8,
            lines: Vec::new(),
            records: Vec::new(),
        }
    }

    /// A line that is not a record: a title, a blank line or the header.
    pub fn push_plain(&mut self, cells: &[String]) {
        self.lines.push(csv_line(cells));
    }

    /// A data line; returns its line number.
    pub fn push_record(&mut self, cells: &[String], truth: RowTruth) -> usize {
        self.lines.push(csv_line(cells));
        let line = self.lines.len();
        self.records.push(RecordLine { line, truth });
        line
    }

    /// The file's bytes in its encoding.
    pub fn encode(&self) -> Vec<u8> {
        match self.encoding {
            Encoding::Utf8 => {
                let mut text = String::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
                for line in &self.lines {
                    text.push_str(line);
                    text.push('\n');
                }
                text.into_bytes()
            }
        }
    }
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
}
