//! Checks on a workbook's structure before calamine reads it, so that no
//! declared size, repeat count or cell position can make it allocate more
//! than `[limits]` allows, loop forever, or abort the process. A panic is
//! caught around calamine anyway (`workbook`); an allocation failure or an
//! endless loop cannot be, so these are refused up front.
//!
//! Each check follows what calamine 0.32 itself trusts: the compound-file
//! header, sector chains and stream sizes of `.xls` (`cfb.rs`), the cell
//! positions and DIMENSIONS records of its BIFF streams (`xls.rs`), the
//! repeat counts of `.ods` (`ods.rs`), and the declared sizes of the parts
//! of zip-based workbooks.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::ingest::Limits;

/// Refuses a workbook whose structure would exceed a limit or is broken in
/// a way calamine cannot survive; `Ok` leaves the rest to calamine.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    if bytes.starts_with(&CFB_SIGNATURE) {
        return check_xls(bytes, limits);
    }
    if bytes.starts_with(b"PK") {
        return check_zip(bytes, limits);
    }
    Ok(())
}

const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// A compound file (`.xls`) as calamine walks it: sector `i` starts at
/// `(i + 1) * size`, after the header sector.
struct Cfb<'a> {
    bytes: &'a [u8],
    size: usize,
    /// The highest sector id calamine accepts.
    max_id: u32,
}

impl<'a> Cfb<'a> {
    fn sector(&self, id: u32) -> Result<&'a [u8], String> {
        if id > self.max_id {
            return Err(broken("a sector beyond the end of the file"));
        }
        let start = (id as usize + 1) * self.size;
        let end = (start + self.size).min(self.bytes.len());
        Ok(self.bytes.get(start..end).unwrap_or_default())
    }

    /// The bytes of a chain of sectors, refusing loops and ids past the
    /// table, as calamine would otherwise grow without end or panic.
    fn chain(
        &self,
        start: u32,
        table: &[u32],
        sector: impl Fn(u32) -> Result<&'a [u8], String>,
        len: usize,
    ) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != END_OF_CHAIN {
            steps += 1;
            if steps > table.len() + 1 {
                return Err(broken("a sector chain that loops"));
            }
            bytes.extend_from_slice(sector(id)?);
            id = *table
                .get(id as usize)
                .ok_or_else(|| broken("a sector chain that leaves the allocation table"))?;
        }
        if len > 0 {
            bytes.truncate(len);
        }
        Ok(bytes)
    }
}

fn broken(what: &str) -> String {
    format!("a broken .xls file: {what}")
}

fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let header = |at| u32_at(bytes, at).ok_or_else(|| broken("a truncated header"));
    let size = match u16_at(bytes, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        // calamine refuses other sector sizes with an error of its own.
        _ => return Ok(()),
    };
    if bytes.len() < size {
        return Err(broken("a truncated header"));
    }
    let file = bytes.len() as u64;
    let (dir_len, fat_len) = (header(40)?, header(44)?);
    let (dir_start, mini_fat_start) = (header(48)?, header(60)?);
    let (mini_fat_len, difat_start) = (header(64)?, header(68)?);
    // calamine reserves room for these from the header's word alone.
    let declared = [
        (u64::from(dir_len) * size as u64, "directory"),
        (u64::from(fat_len) * 4, "allocation table"),
        (
            u64::from(mini_fat_len) * size as u64,
            "mini allocation table",
        ),
        (u64::from(header(62)?) * 4, "allocation table index"),
    ];
    for (bytes_declared, what) in declared {
        if bytes_declared > file.max(1 << 20) * 64 {
            return Err(broken(&format!("a {what} larger than the file could hold")));
        }
    }
    let cfb = Cfb {
        bytes,
        size,
        max_id: (bytes.len() / size) as u32,
    };
    let mut difat: Vec<u32> = bytes[76..512]
        .chunks_exact(4)
        .filter_map(|c| u32_at(c, 0))
        .collect();
    let mut id = difat_start;
    let mut steps = 0;
    while id < RESERVED {
        steps += 1;
        if steps > cfb.max_id as usize + 1 {
            return Err(broken("an allocation table index that loops"));
        }
        difat.extend(cfb.sector(id)?.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
        id = difat.pop().unwrap_or(END_OF_CHAIN);
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFAT_SECTOR) {
        fat.extend(cfb.sector(id)?.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
    }
    let regular = |id| cfb.sector(id);
    let directory = cfb.chain(dir_start, &fat, regular, 0)?;
    if directory.is_empty() || directory.len() % 128 != 0 {
        return Err(broken("a truncated directory"));
    }
    let entries: Vec<(String, u32, u64)> = directory
        .chunks_exact(128)
        .map(|entry| {
            let name: Vec<u16> = entry[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|&c| c != 0)
                .collect();
            let start = u32_at(entry, 116).unwrap_or(END_OF_CHAIN);
            let len = match size {
                512 => u64::from(u32_at(entry, 120).unwrap_or(0)),
                _ => u64_at(entry, 120).unwrap_or(0),
            };
            (String::from_utf16_lossy(&name), start, len)
        })
        .collect();
    let Some((_, root_start, root_len)) = entries.first().cloned() else {
        return Ok(());
    };
    for (name, _, len) in &entries {
        if *len > file || *len > limits.max_decompressed_bytes {
            return Err(broken(&format!(
                "stream `{name}` declares {len} bytes, more than the file holds"
            )));
        }
    }
    let (mini_fat, mini_stream) = if mini_fat_len > 0 {
        let mini_stream = cfb.chain(root_start, &fat, regular, root_len as usize)?;
        let mini_fat: Vec<u32> = cfb
            .chain(mini_fat_start, &fat, regular, mini_fat_len as usize * size)?
            .chunks_exact(4)
            .filter_map(|c| u32_at(c, 0))
            .collect();
        (mini_fat, mini_stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let max_mini = cfb.max_id.saturating_mul(8);
    let mini = |id: u32| -> Result<&[u8], String> {
        if id > max_mini {
            return Err(broken("a mini sector beyond the end of the file"));
        }
        let start = (id as usize * 64).min(mini_stream.len());
        let end = (start + 64).min(mini_stream.len());
        Ok(&mini_stream[start..end])
    };
    for name in ["Workbook", "Book"] {
        let Some((_, start, len)) = entries.iter().find(|(n, _, _)| n == name) else {
            continue;
        };
        let stream = match *len < 4096 {
            true => cfb.chain(*start, &mini_fat, mini, *len as usize)?,
            false => cfb.chain(*start, &fat, regular, *len as usize)?,
        };
        return check_biff(&stream, limits);
    }
    Ok(())
}

/// The cells calamine would lay out densely for each sheet of a BIFF
/// workbook stream: the box around every cell position, and what a
/// DIMENSIONS record asks it to reserve.
fn check_biff(stream: &[u8], limits: &Limits) -> Result<(), String> {
    // Sheets start where BOUNDSHEET records say; calamine reads each from
    // there to its EOF record.
    let mut starts = vec![];
    for_each_record(stream, 0, |typ, data| {
        if typ == 0x0085 {
            starts.extend(u32_at(data, 0));
        }
        typ != 0x000A
    });
    for start in starts {
        let mut area = CellBox::default();
        let mut reserved = 0u64;
        for_each_record(stream, start as usize, |typ, data| {
            let at = |offset| u16_at(data, offset).map(u32::from);
            match typ {
                0x0200 => reserved = reserved.max(dimensions_cells(data)),
                0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(row), Some(col)) = (at(0), at(2)) {
                        area.add(row, col);
                    }
                }
                0x00BD => {
                    if let (Some(row), Some(first), Some(last)) =
                        (at(0), at(2), data.len().checked_sub(2).and_then(at))
                    {
                        area.add(row, first);
                        area.add(row, last.max(first));
                    }
                }
                _ => {}
            }
            typ != 0x000A
        });
        let cells = area.cells().max(reserved);
        if cells > limits.max_cells_per_sheet {
            return Err(format!(
                "a sheet would hold {cells} cells, more than `max_cells_per_sheet` ({}) in `[limits]`",
                limits.max_cells_per_sheet
            ));
        }
    }
    Ok(())
}

/// Walks BIFF records from `at` while `visit` says to go on.
fn for_each_record(stream: &[u8], mut at: usize, mut visit: impl FnMut(u16, &[u8]) -> bool) {
    while let (Some(typ), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let Some(data) = stream.get(at + 4..at + 4 + usize::from(len)) else {
            return;
        };
        if !visit(typ, data) {
            return;
        }
        at += 4 + usize::from(len);
    }
}

/// The cells calamine reserves for a DIMENSIONS record, with its own
/// wrapping arithmetic (an end before the start wraps to billions).
fn dimensions_cells(data: &[u8]) -> u64 {
    let read = |at| u16_at(data, at).map(u32::from).unwrap_or(0);
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (read(0), read(2), read(4), read(6)),
        14 => (
            u32_at(data, 0).unwrap_or(0),
            u32_at(data, 4).unwrap_or(0),
            read(8),
            read(10),
        ),
        _ => return 0,
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    let (end_row, end_col) = match last_row >= 1 && last_col >= 1 {
        true => (last_row - 1, last_col - 1),
        false => (first_row, first_col),
    };
    let rows = end_row.wrapping_sub(first_row).wrapping_add(1) as u64;
    let cols = end_col.wrapping_sub(first_col).wrapping_add(1) as u64;
    rows.saturating_mul(cols)
}

/// The smallest box around some cell positions.
#[derive(Default)]
struct CellBox(Option<(u32, u32, u32, u32)>);

impl CellBox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// Zip-based workbooks (`.xlsx`, `.ods`): no part may declare more than
/// `max_decompressed_bytes`, and an `.ods` may not repeat its cells past
/// `max_cells_per_sheet`.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    // A zip that cannot be opened is calamine's to refuse, with its reason.
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for index in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(index) else {
            continue;
        };
        if part.size() > limits.max_decompressed_bytes {
            return Err(format!(
                "part `{}` unpacks to {} bytes, more than `max_decompressed_bytes` ({}) in `[limits]`",
                part.name(),
                part.size(),
                limits.max_decompressed_bytes
            ));
        }
    }
    let is_ods = archive
        .by_name("mimetype")
        .ok()
        .and_then(|mut part| {
            let mut text = String::new();
            part.by_ref().take(100).read_to_string(&mut text).ok()?;
            Some(text.contains("opendocument.spreadsheet"))
        })
        .unwrap_or(false);
    if !is_ods {
        return Ok(());
    }
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    check_ods_repeats(content.take(limits.max_decompressed_bytes), limits)
}

/// What calamine allocates for each table of an `.ods`: every cell up to a
/// row's last non-empty one, repeats included, and then the box from the
/// first to the last non-empty row. Empty cells and rows at the end (which
/// LibreOffice repeats to the sheet's edge) cost nothing. A cell written
/// with content or a value counts as non-empty.
fn check_ods_repeats(content: impl Read, limits: &Limits) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut table = OdsTable::default();
    let too_many = |cells: u64| {
        format!(
            "a sheet would hold {cells} cells once its repeats are expanded, more than `max_cells_per_sheet` ({}) in `[limits]`",
            limits.max_cells_per_sheet
        )
    };
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            // Broken XML is calamine's to refuse.
            Err(_) => return Ok(()),
        };
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"table:table" => {
                table = OdsTable::default();
            }
            Event::Start(ref e) if e.name().as_ref() == b"table:table-row" => {
                table.start_row(repeats(e, b"table:number-rows-repeated"));
            }
            Event::End(ref e) if e.name().as_ref() == b"table:table-row" => table.end_row(),
            Event::Start(ref e) | Event::Empty(ref e)
                if matches!(
                    e.name().as_ref(),
                    b"table:table-cell" | b"table:covered-table-cell"
                ) =>
            {
                let filled = matches!(event, Event::Start(_))
                    || e.attributes().flatten().any(|a| {
                        matches!(
                            a.key.as_ref(),
                            b"office:value"
                                | b"office:string-value"
                                | b"office:date-value"
                                | b"office:time-value"
                                | b"office:boolean-value"
                                | b"table:formula"
                        )
                    });
                table.cell(repeats(e, b"table:number-columns-repeated"), filled);
            }
            Event::End(ref e) if e.name().as_ref() == b"table:table" => {
                let cells = table.cells();
                if cells > limits.max_cells_per_sheet {
                    return Err(too_many(cells));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        if table.pushed > limits.max_cells_per_sheet {
            return Err(too_many(table.pushed));
        }
    }
}

fn repeats(element: &BytesStart<'_>, name: &[u8]) -> u64 {
    element
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse().ok())
        .unwrap_or(1)
}

/// One `.ods` table as calamine lays it out.
#[derive(Default)]
struct OdsTable {
    /// Cells pushed while reading rows.
    pushed: u64,
    /// The row being read: its repeats, its width so far, its width up to
    /// its last non-empty cell.
    row: (u64, u64, u64),
    /// Rows (with repeats) from the first non-empty row to the last, and
    /// the pending empty ones after the last; the widest non-empty row.
    span: u64,
    pending: u64,
    widest: u64,
    seen_filled: bool,
}

impl OdsTable {
    fn start_row(&mut self, repeats: u64) {
        self.row = (repeats, 0, 0);
    }

    fn cell(&mut self, repeats: u64, filled: bool) {
        let (_, width, used) = &mut self.row;
        *width = width.saturating_add(repeats);
        if filled {
            self.pushed = self.pushed.saturating_add(width.saturating_sub(*used));
            *used = *width;
        }
    }

    fn end_row(&mut self) {
        let (repeats, _, used) = self.row;
        if used == 0 {
            if self.seen_filled {
                self.pending = self.pending.saturating_add(repeats);
            }
            return;
        }
        self.seen_filled = true;
        self.widest = self.widest.max(used);
        self.span = self
            .span
            .saturating_add(self.pending)
            .saturating_add(repeats);
        self.pending = 0;
    }

    fn cells(&self) -> u64 {
        self.span.saturating_mul(self.widest).max(self.pushed)
    }
}
