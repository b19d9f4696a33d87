//! `[limits]`: bounds on what one input file may make govwx hold or parse.

use anyhow::{bail, Result};
use serde::Deserialize;

/// How much of one input file govwx will hold or parse, from `[limits]`.
/// Past a limit the row or the file is rejected with a reason naming the
/// limit, so a hostile or broken file cannot exhaust memory or time.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Cells one workbook sheet may hold, counting the empty cells between
    /// the first and the last used one.
    pub max_cells_per_sheet: u64,
    /// Bytes one cell may hold.
    pub max_cell_bytes: usize,
    /// Bytes one line of a text file may hold.
    pub max_line_bytes: usize,
    /// Lines one quoted field may span before its quote is taken as stray.
    pub max_quoted_lines: u32,
    /// Bytes a file may unpack to (gzip, and the parts of xlsx and ods).
    pub max_decompressed_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_cells_per_sheet: 20_000_000,
            max_cell_bytes: 128 * 1024,
            max_line_bytes: 1024 * 1024,
            max_quoted_lines: 50,
            max_decompressed_bytes: 4 << 30,
        }
    }
}

impl Limits {
    pub(crate) fn validate(&self, origin: &str) -> Result<()> {
        if self.max_cells_per_sheet == 0
            || self.max_cell_bytes == 0
            || self.max_line_bytes == 0
            || self.max_quoted_lines == 0
            || self.max_decompressed_bytes == 0
        {
            bail!("every limit in `[limits]` of `{origin}` must be at least 1");
        }
        Ok(())
    }
}
