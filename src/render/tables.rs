//! Machine-readable tables: one CSV per list of figures in `Metrics`.
//!
//! The files are for spreadsheets as much as for scripts, so they are UTF-8
//! with a BOM (Excel on Chinese Windows reads them right), and a text cell
//! that a spreadsheet would run as a formula is written as text. Shares stay
//! unrounded, as in `metrics.json`.

use std::borrow::Cow;
use std::io::{self, Write};

use rayon::prelude::*;

use crate::config::Settings;
use crate::metrics::{Metrics, Quadrant};
use crate::normalize::Sym;
use crate::period::PeriodData;

use super::{OutputFile, StreamedFile};

/// A CSV cell: text is made formula-safe, numbers are written as they are.
/// Text is borrowed, so a row costs no allocation (the audit files have
/// millions of rows).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text; a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` before it.
    Text(&'a str),
    /// A whole number, written in full without separators.
    Int(u64),
    /// Written in the shortest form that reads back as the same float;
    /// empty when not finite.
    Float(f64),
    /// No value (a null figure).
    Empty,
}

impl<'a> Cell<'a> {
    fn text(s: &'a str) -> Cell<'a> {
        Cell::Text(s)
    }

    fn opt_float(x: Option<f64>) -> Cell<'a> {
        x.map_or(Cell::Empty, Cell::Float)
    }

    fn opt_text(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Empty, Cell::text)
    }
}

/// Prefixes `'` to text a spreadsheet would read as a formula (OWASP's list:
/// `=`, `+`, `-`, `@`, and tab or carriage return).
fn formula_safe(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Writes CSV tables: UTF-8 with BOM, `\n` line ends, header then rows
/// (the metric tables, and the quality files straight to their file).
///
/// Fields are quoted as the csv crate's `QuoteStyle::Necessary` quotes
/// them (a comma, quote, CR or LF in the field; a quote inside is doubled;
/// a row of one empty field is `""`), written straight into a buffer: the
/// audit files have tens of millions of fields.
pub struct CsvWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
}

/// Bytes buffered before they are written out.
const BUFFER: usize = 64 * 1024;

impl<W: Write> CsvWriter<W> {
    /// Starts a table on `out`: the BOM and the header row.
    pub fn new(out: W, header: &[&str]) -> io::Result<CsvWriter<W>> {
        let mut csv = Self::rows_only(out);
        csv.buf.extend_from_slice("\u{feff}".as_bytes());
        let header: Vec<Cell> = header.iter().map(|h| Cell::Text(h)).collect();
        csv.row(&header)?;
        Ok(csv)
    }

    /// Continues a table on `out`: rows only, no BOM or header.
    fn rows_only(out: W) -> CsvWriter<W> {
        Self::rows_into(out, Vec::with_capacity(BUFFER + 1024))
    }

    /// Rows only, buffered in `buf`, a finished writer's buffer, cleared.
    fn rows_into(out: W, mut buf: Vec<u8>) -> CsvWriter<W> {
        buf.clear();
        CsvWriter { out, buf }
    }

    /// Writes one row, formatting numbers on the stack.
    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        let mut int = itoa::Buffer::new();
        let mut float: String;
        let mut one_empty = cells.len() == 1;
        for (at, cell) in cells.iter().enumerate() {
            if at > 0 {
                self.buf.push(b',');
            }
            let text: &str = match cell {
                Cell::Text(s) => match formula_safe(s) {
                    Cow::Borrowed(s) => s,
                    Cow::Owned(s) => {
                        float = s;
                        &float
                    }
                },
                Cell::Int(n) => int.format(*n),
                Cell::Float(x) if x.is_finite() => {
                    float = x.to_string();
                    &float
                }
                Cell::Float(_) | Cell::Empty => "",
            };
            one_empty &= text.is_empty();
            self.field(text.as_bytes());
        }
        if one_empty {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.end_row()
    }

    fn field(&mut self, field: &[u8]) {
        if !field
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        {
            self.buf.extend_from_slice(field);
            return;
        }
        self.buf.push(b'"');
        for part in field.split_inclusive(|&b| b == b'"') {
            self.buf.extend_from_slice(part);
            if part.ends_with(b"\"") {
                self.buf.push(b'"');
            }
        }
        self.buf.push(b'"');
    }

    fn end_row(&mut self) -> io::Result<()> {
        self.buf.push(b'\n');
        if self.buf.len() >= BUFFER {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Flushes the table and gives the writer back.
    pub fn finish(self) -> io::Result<W> {
        self.finish_with_buffer().map(|(out, _)| out)
    }

    /// Flushes the table and gives back the writer and the buffer.
    fn finish_with_buffer(mut self) -> io::Result<(W, Vec<u8>)> {
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok((self.out, self.buf))
    }
}

/// Items rendered per piece by [`rows_in_parallel`]: a few hundred KB.
const PIECE: usize = 2048;

/// Writes the rows of `items` to `out`, which has the table's header: the
/// same bytes as row by row, but `rows` renders pieces of a few hundred
/// items, a batch of pieces on all threads, then writes them in order. A
/// batch is a few MB, so memory does not grow with the table; each batch
/// renders into the buffers of the one before, which grew to their size
/// once (grown afresh for every piece, they were a tenth of the table's
/// time, in copies and page faults).
pub fn rows_in_parallel<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    rows: impl Fn(&mut CsvWriter<Vec<u8>>, &[T]) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let batch = PIECE * 4 * rayon::current_num_threads();
    // Each piece's bytes and its writer's buffer.
    let mut spare: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for batch in items.chunks(batch) {
        let pieces: Vec<_> = batch
            .chunks(PIECE)
            .map(|piece| (piece, spare.pop().unwrap_or_default()))
            .collect();
        let written = pieces
            .into_par_iter()
            .map(|(piece, (mut bytes, buf))| {
                bytes.clear();
                let mut csv = CsvWriter::rows_into(bytes, buf);
                rows(&mut csv, piece)?;
                csv.finish_with_buffer()
            })
            .collect::<io::Result<Vec<_>>>()?;
        written
            .iter()
            .try_for_each(|(bytes, _)| out.write_all(bytes))?;
        spare = written;
    }
    Ok(())
}

/// A whole table in memory (the small metric tables).
pub fn csv_bytes<'a>(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell<'a>>>) -> Vec<u8> {
    let write = || {
        let mut writer = CsvWriter::new(Vec::new(), header)?;
        rows.into_iter().try_for_each(|row| writer.row(&row))?;
        writer.finish()
    };
    write().expect("writing CSV into memory cannot fail")
}

/// `tables/*.csv` for these figures, in a fixed order.
pub(crate) fn metric_tables(m: &Metrics) -> Vec<OutputFile> {
    let file = |name: &str, bytes| OutputFile {
        path: format!("tables/{name}.csv"),
        bytes,
    };
    vec![
        file("provinces", provinces(m)),
        file("regions", regions(m)),
        file("levels", levels(m)),
        file("domains", domains(m)),
        file("account_types", account_types(m)),
        file("matrix", matrix(m)),
    ]
}

/// `tables/influence.csv`: the WCI ranking, every ranked account, with
/// the inputs summed over the months of the period (empty inputs where the
/// formula needs none). Written row by row from the subject's accounts,
/// like the audit files: at scale it holds hundreds of thousands of rows.
pub(crate) fn influence_table<'a>(
    m: &'a Metrics,
    subject: &'a PeriodData,
    settings: &'a Settings,
) -> StreamedFile<'a> {
    StreamedFile {
        path: "tables/influence.csv",
        write: Box::new(move |out| influence(m, subject, settings, out)),
    }
}

fn influence(
    m: &Metrics,
    subject: &PeriodData,
    settings: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    let header = [
        "rank",
        "name",
        "original_id",
        "entity",
        "province",
        "level",
        "domain",
        "wci",
        "formula",
        "months",
        "reads",
        "articles",
        "max_reads",
        "likes",
        "max_likes",
    ];
    let formula = m.influence.formula.map_or("", |f| f.slug());
    let opt = |v: Option<u64>| v.map_or(Cell::Empty, Cell::Int);
    let text = |sym: Option<Sym>| sym.map_or("", |s| subject.strings.get(s));
    let mut csv = CsvWriter::new(out, &header)?;
    let mut id = [0; 15];
    for r in &m.ranking {
        let a = &subject.linked.accounts[r.account as usize];
        let original_id = a.original_id().map_or("", |i| i.text(&mut id));
        csv.row(&[
            Cell::Int(r.rank),
            Cell::text(text(Some(a.name))),
            Cell::text(original_id),
            Cell::text(text(a.entity)),
            Cell::text(a.province.map_or("", |p| p.value().short())),
            Cell::text(a.level.value().slug()),
            Cell::text(&settings.domain(a.domain.value()).slug),
            Cell::Float(r.wci),
            Cell::text(formula),
            Cell::Int(u64::from(r.months)),
            Cell::Int(r.reads),
            opt(r.articles),
            opt(r.max_reads),
            opt(r.likes),
            opt(r.max_likes),
        ])?;
    }
    csv.finish().map(drop)
}

fn provinces(m: &Metrics) -> Vec<u8> {
    let header = [
        "rank",
        "code",
        "name",
        "region",
        "region_label",
        "accounts",
        "share",
    ];
    csv_bytes(
        &header,
        m.provinces.iter().map(|p| {
            vec![
                Cell::Int(p.rank.into()),
                Cell::text(&p.code),
                Cell::text(&p.name),
                Cell::text(p.region.slug()),
                Cell::text(&p.region_label),
                Cell::Int(p.accounts),
                Cell::Float(p.share),
            ]
        }),
    )
}

fn regions(m: &Metrics) -> Vec<u8> {
    let header = ["region", "label", "provinces", "accounts", "share"];
    csv_bytes(
        &header,
        m.regions.iter().map(|r| {
            vec![
                Cell::text(r.region.slug()),
                Cell::text(&r.label),
                Cell::Int(r.provinces),
                Cell::Int(r.accounts),
                Cell::Float(r.share),
            ]
        }),
    )
}

fn levels(m: &Metrics) -> Vec<u8> {
    let header = ["level", "label", "accounts", "share"];
    csv_bytes(
        &header,
        m.levels.iter().map(|l| {
            vec![
                Cell::text(l.level.slug()),
                Cell::text(&l.label),
                Cell::Int(l.accounts),
                Cell::Float(l.share),
            ]
        }),
    )
}

fn domains(m: &Metrics) -> Vec<u8> {
    let header = [
        "rank", "domain", "label", "accounts", "share", "activity", "quadrant",
    ];
    csv_bytes(
        &header,
        m.domains.iter().map(|d| {
            vec![
                Cell::Int(d.rank.into()),
                Cell::text(&d.domain),
                Cell::text(&d.label),
                Cell::Int(d.accounts),
                Cell::Float(d.share),
                Cell::opt_float(d.activity),
                Cell::opt_text(d.quadrant.map(Quadrant::slug)),
            ]
        }),
    )
}

fn account_types(m: &Metrics) -> Vec<u8> {
    let header = [
        "type",
        "label",
        "accounts",
        "share",
        "baseline_accounts",
        "yoy_growth",
    ];
    csv_bytes(
        &header,
        m.account_types.iter().map(|t| {
            vec![
                Cell::text(t.account_type.slug()),
                Cell::text(&t.label),
                Cell::Int(t.accounts),
                Cell::Float(t.share),
                t.baseline_accounts.map_or(Cell::Empty, Cell::Int),
                Cell::opt_float(t.yoy_growth),
            ]
        }),
    )
}

/// The maturity matrix: only the domains that were placed in a quadrant.
fn matrix(m: &Metrics) -> Vec<u8> {
    let header = ["domain", "label", "accounts", "activity", "quadrant"];
    let placed = m.domains.iter().filter_map(|d| {
        let quadrant = d.quadrant?.slug();
        Some(vec![
            Cell::text(&d.domain),
            Cell::text(&d.label),
            Cell::Int(d.accounts),
            Cell::opt_float(d.activity),
            Cell::text(quadrant),
        ])
    });
    csv_bytes(&header, placed)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The writer quotes as the csv crate does, byte for byte.
        #[test]
        fn rows_are_written_as_the_csv_crate_writes_them(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a,\"\r\n 深'=]{0,6}", 1..5),
                0..6,
            )
        ) {
            let mut ours = CsvWriter::new(Vec::new(), &["a", "b"]).expect("in memory");
            let mut theirs = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .flexible(true)
                .from_writer("\u{feff}".as_bytes().to_vec());
            theirs.write_record(["a", "b"]).expect("in memory");
            for row in &rows {
                let cells: Vec<Cell> = row.iter().map(|s| Cell::Text(s)).collect();
                ours.row(&cells).expect("in memory");
                let safe: Vec<Cow<str>> = row.iter().map(|s| formula_safe(s)).collect();
                theirs.write_record(safe.iter().map(|s| s.as_ref())).expect("in memory");
            }
            let theirs = theirs.into_inner().expect("flushed");
            proptest::prop_assert_eq!(
                String::from_utf8(ours.finish().expect("in memory")).expect("UTF-8"),
                String::from_utf8(theirs).expect("UTF-8")
            );
        }
    }

    /// Pieces on all threads, over batches whose buffers are used again
    /// (the last batch smaller): the bytes of writing row by row.
    #[test]
    fn rows_in_parallel_are_the_rows_written_one_by_one() {
        let batch = PIECE * 4 * rayon::current_num_threads();
        let items: Vec<u64> = (0..(2 * batch + PIECE + 7) as u64).collect();
        // Rows of different lengths, some quoted, so that a buffer used
        // again holds more than the next piece needs.
        let render = |csv: &mut CsvWriter<Vec<u8>>, piece: &[u64]| {
            piece.iter().try_for_each(|&i| {
                let text = "名,\"".repeat((i % 13) as usize);
                csv.row(&[Cell::Int(i), Cell::Text(&text)])
            })
        };
        let mut parallel = Vec::new();
        rows_in_parallel(&mut parallel, &items, render).expect("in memory");
        let mut one_by_one = CsvWriter::rows_only(Vec::new());
        render(&mut one_by_one, &items).expect("in memory");
        assert!(parallel == one_by_one.finish().expect("in memory"));
    }

    #[test]
    fn csv_has_bom_newlines_and_formula_safe_text() {
        let bytes = csv_bytes(
            &["name", "accounts", "share", "note"],
            vec![
                vec![
                    Cell::text("=cmd|' /C calc'!A0"),
                    Cell::Int(6_139),
                    Cell::Float(0.15004),
                    Cell::Empty,
                ],
                vec![
                    Cell::text("@SUM(A1)"),
                    Cell::Int(0),
                    Cell::Float(-0.5),
                    Cell::text("-1+2"),
                ],
                vec![
                    Cell::text("a,\"b\""),
                    Cell::Int(1),
                    Cell::Float(f64::NAN),
                    Cell::text("+x"),
                ],
            ],
        );
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}name,accounts,share,note\n\
             '=cmd|' /C calc'!A0,6139,0.15004,\n\
             '@SUM(A1),0,-0.5,'-1+2\n\
             \"a,\"\"b\"\"\",1,,'+x\n"
        );
    }

    #[test]
    fn header_only_when_no_rows() {
        let bytes = csv_bytes(&["domain", "quadrant"], Vec::<Vec<Cell>>::new());
        assert_eq!(bytes, "\u{feff}domain,quadrant\n".as_bytes());
    }
}
