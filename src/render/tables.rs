//! Machine-readable tables: one CSV per list of figures in `Metrics`.
//!
//! The files are for spreadsheets as much as for scripts, so they are UTF-8
//! with a BOM (Excel on Chinese Windows reads them right), and a text cell
//! that a spreadsheet would run as a formula is written as text. Shares stay
//! unrounded, as in `metrics.json`.

use crate::metrics::Metrics;

use super::OutputFile;

/// A CSV cell: text is made formula-safe, numbers are written as they are.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text; a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` before it.
    Text(String),
    /// A whole number, written in full without separators.
    Int(u64),
    /// Written in the shortest form that reads back as the same float;
    /// empty when not finite.
    Float(f64),
    /// No value (a null figure).
    Empty,
}

impl Cell {
    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn opt_float(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Float)
    }

    fn opt_text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }

    /// The cell's text as written to the file.
    fn field(&self) -> String {
        match self {
            Cell::Text(s) => formula_safe(s),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x) if x.is_finite() => x.to_string(),
            Cell::Float(_) | Cell::Empty => String::new(),
        }
    }
}

/// Prefixes `'` to text a spreadsheet would read as a formula (OWASP's list:
/// `=`, `+`, `-`, `@`, and tab or carriage return).
fn formula_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// UTF-8 with BOM, `\n` line ends, header then rows (used also for quality/*.csv).
pub fn csv_bytes(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    // Flexible: a row of another length is the caller's to get right, not a
    // reason to lose the file; then only I/O can fail, and a Vec cannot.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(&mut out);
    writer
        .write_record(header)
        .and_then(|()| {
            rows.into_iter()
                .try_for_each(|row| writer.write_record(row.iter().map(Cell::field)))
        })
        .and_then(|()| writer.flush().map_err(csv::Error::from))
        .expect("writing CSV into memory cannot fail");
    drop(writer);
    out
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
                Cell::text(&p.region),
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
                Cell::text(&r.region),
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
                Cell::text(&l.level),
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
                Cell::opt_text(d.quadrant.as_deref()),
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
                Cell::text(&t.account_type),
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
        let quadrant = d.quadrant.as_deref()?;
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
