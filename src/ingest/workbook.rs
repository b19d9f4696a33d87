//! Workbooks (`.xlsx`, `.xls`, `.ods`) through calamine: each sheet becomes
//! rows numbered as the spreadsheet shows them.
//!
//! A workbook is untrusted input to a library that allocates what the file
//! declares, so `guard` checks its structure against `[limits]` first, and
//! calamine runs under `contain` (`catch_unwind`): a panic inside it skips the file (or
//! the sheet) with a reason, never the run. `.xlsx` sheets are streamed
//! cell by cell and kept sparse, so a lone cell at XFD1048576 costs one
//! cell, not a dense range of 17 billion.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, DataRef, Reader, Sheets};

use super::reader::Row;
use super::{contain, guard, RejectKind, RowError};
use crate::ingest::Limits;

/// One sheet's rows, in order, or why the sheet cannot be read.
pub struct Sheet {
    pub name: String,
    pub rows: Result<Vec<Row>, String>,
}

/// Reads every sheet of a workbook held in memory.
pub fn read_sheets(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<Sheet>, String> {
    guard::check(&bytes, limits)?;
    let contained = contain(|| {
        let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| format!("not a readable workbook: {e}"))?;
        let names = workbook.sheet_names();
        let sheets = names
            .into_iter()
            .map(|name| {
                let rows = contain(|| read_sheet(&mut workbook, &name, limits))
                    .unwrap_or_else(|panic| Err(failed(&panic)));
                Sheet { name, rows }
            })
            .collect();
        Ok(sheets)
    });
    contained.unwrap_or_else(|panic| Err(failed(&panic)))
}

fn failed(panic: &str) -> String {
    format!("the workbook reader failed on this file ({panic}); it is probably damaged")
}

fn read_sheet(
    workbook: &mut Sheets<Cursor<Vec<u8>>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<Row>, String> {
    let unreadable = |e: &dyn std::fmt::Display| format!("sheet `{name}` cannot be read: {e}");
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    match workbook {
        Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx
                .worksheet_cells_reader(name)
                .map_err(|e| unreadable(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                let (row, column) = cell.get_position();
                let text = cell_ref_text(cell.get_value());
                if !text.is_empty() {
                    cells.push((row, column, text));
                }
                if cells.len() as u64 > limits.max_cells_per_sheet {
                    return Err(too_many(name, limits));
                }
            }
        }
        _ => {
            let range = workbook.worksheet_range(name).map_err(|e| unreadable(&e))?;
            let (first_row, first_column) = range.start().unwrap_or((0, 0));
            for (row, column, cell) in range.used_cells() {
                let text = cell_text(cell);
                if !text.is_empty() {
                    cells.push((first_row + row as u32, first_column + column as u32, text));
                }
            }
        }
    }
    rows_of(name, cells, limits)
}

fn too_many(name: &str, limits: &Limits) -> String {
    format!(
        "sheet `{name}` holds more than `max_cells_per_sheet` ({}) cells in `[limits]`",
        limits.max_cells_per_sheet
    )
}

/// Sparse cells as rows: rows without a cell are not held but counted as
/// blank lines; every held row is as wide as the widest (a spreadsheet row
/// has no short form, so its empty cells at the end are still cells), and
/// rows times width must stay within `max_cells_per_sheet`. Rows are
/// numbered as Excel shows them. A row holding a cell over `max_cell_bytes`
/// carries that problem.
fn rows_of(
    name: &str,
    mut cells: Vec<(u32, u32, String)>,
    limits: &Limits,
) -> Result<Vec<Row>, String> {
    cells.sort_unstable_by_key(|(row, column, _)| (*row, *column));
    let width = cells
        .iter()
        .map(|(_, column, _)| *column as usize + 1)
        .max()
        .unwrap_or(0);
    let mut held_rows = cells.iter().map(|(row, _, _)| *row).collect::<Vec<_>>();
    held_rows.dedup();
    if (held_rows.len() as u64).saturating_mul(width as u64) > limits.max_cells_per_sheet {
        return Err(too_many(name, limits));
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut previous: Option<u32> = None;
    let mut cells = cells.into_iter().peekable();
    while let Some(&(row, _, _)) = cells.peek() {
        let mut record = csv::StringRecord::new();
        let mut problem = None;
        while let Some((_, column, text)) = cells.next_if(|(r, _, _)| *r == row) {
            while record.len() < column as usize {
                record.push_field("");
            }
            if text.len() > limits.max_cell_bytes {
                problem = Some(RowError::new(
                    RejectKind::Limit,
                    None,
                    format!(
                        "a cell of {} bytes, more than `max_cell_bytes` ({}) in `[limits]`",
                        text.len(),
                        limits.max_cell_bytes
                    ),
                ));
                record.push_field("");
            } else if record.len() == column as usize {
                record.push_field(&text);
            }
        }
        while record.len() < width {
            record.push_field("");
        }
        let blank = previous.map_or(0, |p| row.saturating_sub(p).saturating_sub(1));
        rows.push(Row {
            line: row.saturating_add(1),
            blank_lines_before: blank,
            cells: record,
            problem,
        });
        previous = Some(row);
    }
    Ok(rows)
}

/// A cell as the text an export would have held: error cells (`#N/A`) are
/// empty, dates are ISO dates (`2014-12-01`, with the time when it is not
/// midnight), whole floats lose their `.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => date_text(d),
    }
}

fn cell_ref_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => date_text(d),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// An Excel date as ISO text; a serial outside Excel's calendar (before
/// 1900 or after 9999) stays a number, which the parsers refuse.
fn date_text(date: &calamine::ExcelDateTime) -> String {
    let serial = date.as_f64();
    if date.is_duration() || !(1.0..2_958_466.0).contains(&serial) {
        return float_text(serial);
    }
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    match (hour, minute, second) {
        (0, 0, 0) => format!("{year:04}-{month:02}-{day:02}"),
        _ => format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"),
    }
}
