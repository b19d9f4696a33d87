//! Workbooks (`.xlsx`, `.xls`, `.ods`) through calamine: each sheet becomes
//! rows numbered as the spreadsheet shows them.
//!
//! calamine's ranges start at the first used cell, so the row offset of that
//! cell is added back; a row's line is the row number a user sees in Excel.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::reader::Row;

/// One sheet's rows, in order.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

/// Reads every sheet of a workbook held in memory.
pub fn read_sheets(bytes: Vec<u8>) -> Result<Vec<Sheet>, String> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = workbook.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| format!("sheet `{name}` cannot be read: {e}"))?;
        let first_row = range.start().map_or(0, |(row, _)| row);
        // A column offset is filled with empty cells so positions match the header's.
        let first_column = range.start().map_or(0, |(_, column)| column) as usize;
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut record = csv::StringRecord::new();
                (0..first_column).for_each(|_| record.push_field(""));
                cells
                    .iter()
                    .for_each(|cell| record.push_field(&cell_text(cell)));
                Row {
                    line: first_row + i as u32 + 1,
                    blank_lines_before: 0,
                    cells: record,
                    problem: None,
                }
            })
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// A cell as the text an export would have held. Dates become Excel serial
/// numbers, which the date parser reads; whole floats lose their `.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let serial = d.as_f64();
            if serial.fract() == 0.0 {
                format!("{}", serial as i64)
            } else {
                serial.to_string()
            }
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}
