//! Ingest: finds the period folders and their files, recognises each file's
//! header, and hands every row after it to the caller as a `RawRecord`,
//! accounting for each one (docs/CONTRACT.md §2, §7).
//!
//! Every non-blank row after the header is a record, and each record ends
//! exactly one way: accepted, rejected with a `RowError`, or recognised as a
//! totals line. Rows are streamed to the caller, never collected raw.

mod guard;
pub mod header;
mod limits;
pub mod period;
pub mod reader;
pub mod workbook;

use std::collections::{BTreeMap, VecDeque};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

pub use header::{Column, FileKind, Schema, Spellings};
pub use limits::Limits;

/// What reading a file takes from the configuration: the `[limits]`, and
/// the header spellings `[columns]` adds.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    pub limits: &'a Limits,
    pub spellings: &'a Spellings,
}

impl<'a> Reading<'a> {
    /// The limits given, and the built-in spellings alone.
    pub fn with_limits(limits: &'a Limits) -> Reading<'a> {
        static NONE: Spellings = Spellings::none();
        Reading {
            limits,
            spellings: &NONE,
        }
    }
}
pub use period::{discover, Input, Period};

use crate::fs;
use reader::Encoding;

/// One input file of a period.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Path relative to the input folder, with `/` separators.
    pub relative: String,
}

/// A row handed to the normaliser: its place and its cells by column.
pub struct RawRecord<'a> {
    /// Index of the file within its period.
    pub file: u32,
    pub line: u32,
    pub schema: &'a Schema,
    cells: &'a csv::StringRecord,
}

impl<'a> RawRecord<'a> {
    /// A record of `cells` under `schema`, for tests outside ingest.
    #[cfg(test)]
    pub(crate) fn of(schema: &'a Schema, cells: &'a csv::StringRecord) -> RawRecord<'a> {
        RawRecord {
            file: 0,
            line: 2,
            schema,
            cells,
        }
    }

    /// The cell of a column, when the header has it and the cell is not blank.
    pub fn get(&self, column: Column) -> Option<&'a str> {
        let cell = self.cells.get(self.schema.position(column)?)?;
        (!crate::text::is_blank(cell)).then_some(cell)
    }

    /// What one count of a column is worth, from its header's unit note
    /// (`粉丝数（万）`: 10,000); 1 when the header names none.
    pub fn unit(&self, column: Column) -> u64 {
        self.schema.unit(column)
    }
}

/// Why a record was rejected, as a stable category.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::IntoStaticStr,
    strum::EnumMessage,
    strum::VariantArray,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RejectKind {
    #[strum(message = "列数不符")]
    FieldCount,
    #[strum(message = "没有名称和ID")]
    NoIdentity,
    #[strum(message = "数字无法识别")]
    BadNumber,
    #[strum(message = "日期无法识别")]
    BadDate,
    #[strum(message = "找不到对应账号")]
    UnknownAccount,
    #[strum(message = "名称对应多个账号")]
    AmbiguousAccount,
    /// An activity row whose id and name name two different accounts.
    #[strum(message = "ID与名称指向不同账号")]
    ConflictingAccount,
    /// Bytes that are not text in the file's encoding.
    #[strum(message = "编码错误")]
    Encoding,
    /// A quote opened and not closed within `limits.max_quoted_lines`.
    #[strum(message = "引号未闭合")]
    UnclosedQuote,
    /// A line or cell larger than `[limits]` allows.
    #[strum(message = "超出长度限制")]
    Limit,
    /// A fault inside govwx or a library while reading the row: reported,
    /// never a crash.
    #[strum(message = "读取时内部错误")]
    Internal,
}

impl RejectKind {
    pub const ALL: &'static [RejectKind] = <RejectKind as strum::VariantArray>::VARIANTS;

    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The Chinese name the report's appendix gives it.
    pub fn label(self) -> &'static str {
        strum::EnumMessage::get_message(&self).expect("every reason has a label")
    }
}

/// A record-level failure: a value, collected and reported, never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub kind: RejectKind,
    /// The canonical column at fault, if one is.
    pub field: Option<Column>,
    pub detail: String,
}

impl RowError {
    pub fn new(kind: RejectKind, field: Option<Column>, detail: impl Into<String>) -> RowError {
        RowError {
            kind,
            field,
            detail: detail.into(),
        }
    }
}

/// A rejected record, as written to `quality/rejects.csv`.
#[derive(Debug, Clone)]
pub struct Reject {
    /// File label: relative path, plus `#Sheet` for later workbook sheets.
    pub file: String,
    pub line: u32,
    pub reason: String,
    pub kind: RejectKind,
    pub raw: String,
}

/// What reading one file (or sheet) gave: its counts and its verdict.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct FileReport {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    pub encoding: Option<&'static str>,
    pub kind: Option<FileKind>,
    /// The columns its header mapped, in header order (for `-v`).
    #[serde(skip)]
    pub columns: Vec<&'static str>,
    /// Why the file was skipped, if it was.
    pub skipped: Option<String>,
    pub header_line: Option<u32>,
    pub extra_columns: Vec<String>,
    pub records_read: u64,
    pub records_accepted: u64,
    pub records_rejected: u64,
    /// Totals lines and repeated header lines (two exports pasted into
    /// one file), which are counted among the totals lines too.
    pub totals_lines: u64,
    /// Of the totals lines, those that repeat the header.
    pub header_repeats: u64,
    pub blank_lines: u64,
    #[serde(skip)]
    pub rejects: Vec<Reject>,
    /// For a table set aside for a later pass: what this pass read of it.
    #[serde(skip)]
    pub resume: Option<Resume>,
}

/// About how many bytes of a text file's lines are parsed and visited
/// together, apart from the rest (`reader::Chunk`).
const CHUNK_BYTES: usize = if cfg!(test) { 200 } else { 1 << 17 };

/// How far below the top a header may sit (title lines, blank lines).
const HEADER_SEARCH_ROWS: usize = 30;

/// What reading does with each record: accepts it (returns a value) or
/// rejects it. A table's records are visited in batches (up to `BATCH`
/// rows, or the rows of a chunk of a text file's lines), several at once
/// when there are threads to spare; each batch has a
/// `State` of its own (an interner, say), handed back with its values.
pub trait Visitor: Sync {
    type State: Send;
    type Value: Send;
    /// The state of a batch of `rows` rows, whose cells hold `bytes` bytes.
    fn new_state(&self, rows: usize, bytes: usize) -> Self::State;
    fn visit(&self, state: &mut Self::State, raw: &RawRecord<'_>) -> Result<Self::Value, RowError>;
    /// Visits the rows of a batch that are records (not blank, not totals,
    /// of the right width), in row order, pushing one result for each onto
    /// `out`. By default each is visited alone; a visitor whose rows each
    /// wait on a cache miss can look them all up first, so that the misses
    /// overlap. A panic here is contained: the batch's records are then
    /// visited again one by one, and the one that panics is rejected.
    fn visit_rows(
        &self,
        state: &mut Self::State,
        raws: &[RawRecord<'_>],
        out: &mut Vec<Result<Self::Value, RowError>>,
    ) {
        out.extend(raws.iter().map(|raw| visit_contained(self, state, raw)));
    }
    /// Called when a batch's rows have all been visited, before its state
    /// is kept with its values.
    fn end_batch(&self, _state: &mut Self::State) {}
}

/// A function of the record alone is a visitor without state.
impl<T: Send, F: Fn(&RawRecord<'_>) -> Result<T, RowError> + Sync> Visitor for F {
    type State = ();
    type Value = T;
    fn new_state(&self, _rows: usize, _bytes: usize) {}
    fn visit(&self, (): &mut (), raw: &RawRecord<'_>) -> Result<T, RowError> {
        self(raw)
    }
}

/// Rows parsed by the reading thread and visited together, on one
/// thread, with one state: a workbook's sheet, or a text file's first rows
/// (a text file's chunks are batches of their own, `CHUNK_BYTES` long).
pub const BATCH: usize = 8192;

/// A table's accepted values, batch by batch in row order, each with its state.
pub type Batches<V> = Vec<(<V as Visitor>::State, Vec<<V as Visitor>::Value>)>;

/// What one file gave: a report and the accepted values per sheet (one
/// "sheet" for a text file). A file that cannot be read at all gives one
/// report that says why it was skipped.
pub type FileResult<V> = Vec<(FileReport, Batches<V>)>;

/// What a pass read of a table it set aside for a later pass (a table of
/// a kind it does not read), so that the later pass reads on from there
/// instead of reading the file again.
#[derive(Clone)]
pub enum Resume {
    /// A text file's first bytes, which were all that the pass read, and
    /// their hash so far.
    Text {
        kept: std::sync::Arc<Vec<u8>>,
        hasher: sha2::Sha256,
    },
    /// A workbook, read whole.
    Workbook(std::sync::Arc<Vec<u8>>),
}

impl std::fmt::Debug for Resume {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Resume::Text { kept, .. } => write!(f, "Resume::Text({} bytes)", kept.len()),
            Resume::Workbook(bytes) => write!(f, "Resume::Workbook({} bytes)", bytes.len()),
        }
    }
}

/// How much of a text file a pass keeps, should its table be set aside:
/// enough for title lines, the header and the lines read ahead to choose
/// the encoding. A pass that read more leaves the later pass to read the
/// file from the start.
const KEEP_FOR_LATER: usize = 2 << 20;

/// Reads one file, handing each record of a table of one of the `kinds` to
/// the visitor. Tables of other kinds are set aside: their report says so
/// and carries a `Resume`. Files that cannot be read are reported as
/// skipped. The `RawRecord::file` the visitor sees is the sheet's index
/// within the file.
///
/// Each byte is read from disk once: one pass hashes, decodes and parses
/// (`fs::BYTES_READ` counts them). `resume`, from the pass that set the
/// file aside, continues that pass's read. Only a text file whose encoding
/// turns out, at its end, to differ from the one its first non-ASCII lines
/// suggested is read twice.
pub fn read_file<V: Visitor>(
    file: &SourceFile,
    kinds: &[FileKind],
    reading: Reading<'_>,
    visit: &V,
    resume: Option<&Resume>,
) -> FileResult<V> {
    let report = FileReport {
        path: file.relative.clone(),
        ..FileReport::default()
    };
    if is_workbook(&report.path) {
        let bytes = match resume {
            Some(Resume::Workbook(bytes)) => Ok(bytes.clone()),
            _ => fs::read(&file.path).map(std::sync::Arc::new),
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(error) => return skipped::<V>(report, format!("{error:#}")),
        };
        let mut read = read_bytes(report, &*bytes, kinds, reading, visit);
        if read.iter().any(|(r, _)| is_set_aside(r, kinds)) {
            read[0].0.resume = Some(Resume::Workbook(bytes));
        }
        return read;
    }
    let gzipped = is_gzipped(&report.path);
    let (tally, kept) = match resume {
        Some(Resume::Text { kept, hasher }) => (
            fs::Tally::resumed(kept.len(), hasher.clone()),
            Some(kept.clone()),
        ),
        _ => (fs::Tally::new(KEEP_FOR_LATER), None),
    };
    let open = || -> std::io::Result<Box<dyn Read + Send>> {
        use std::io::{Seek, SeekFrom};
        let mut disk = std::fs::File::open(&file.path)?;
        let stream: Box<dyn Read + Send> = match &kept {
            Some(kept) => {
                disk.seek(SeekFrom::Start(kept.len() as u64))?;
                let head = std::io::Cursor::new(kept.to_vec());
                Box::new(head.chain(fs::Tallied::new(disk, tally.clone())))
            }
            None => Box::new(fs::Tallied::new(disk, tally.clone())),
        };
        Ok(gunzip(gzipped, stream))
    };
    // Counted, but not hashed again.
    let reopen = || -> std::io::Result<Box<dyn Read + Send>> {
        let disk = std::fs::File::open(&file.path)?;
        Ok(gunzip(gzipped, fs::Tallied::new(disk, fs::Tally::new(0))))
    };
    let mut read = match open() {
        Ok(stream) => read_text(report, stream, &reopen, kinds, reading, visit),
        Err(error) => return skipped::<V>(report, format!("cannot be read: {error}")),
    };
    let tally = tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let report = &mut read[0].0;
    if is_set_aside(report, kinds) {
        report.resume = tally.resumable().map(|(kept, hasher)| Resume::Text {
            kept: std::sync::Arc::new(kept),
            hasher,
        });
    } else {
        // A file whose read stopped early (it broke, or unpacked past the
        // limit) is hashed whole for the manifest.
        let digest = tally
            .digest()
            .map_or_else(|| fs::sha256_file(&file.path).ok(), Some);
        if let Some((bytes, sha256)) = digest {
            (report.bytes, report.sha256) = (bytes, sha256);
        }
    }
    read
}

/// A table of a kind this pass does not read, left for another pass.
fn is_set_aside(report: &FileReport, kinds: &[FileKind]) -> bool {
    report.kind.is_some_and(|kind| !kinds.contains(&kind))
}

/// `read_file` on bytes already in memory; `report.path` names the file and
/// its extension tells the format (`.gz` is looked through).
pub fn read_bytes<V: Visitor>(
    mut report: FileReport,
    bytes: impl AsRef<[u8]>,
    kinds: &[FileKind],
    reading: Reading<'_>,
    visit: &V,
) -> FileResult<V> {
    let bytes = bytes.as_ref();
    report.bytes = bytes.len() as u64;
    report.sha256 = fs::sha256_hex(bytes);
    let gzipped = is_gzipped(&report.path);
    if is_workbook(&report.path) {
        let mut unpacked = Vec::new();
        let limit = reading.limits.max_decompressed_bytes;
        return match gunzip(gzipped, bytes)
            .take(limit.saturating_add(1))
            .read_to_end(&mut unpacked)
        {
            Ok(_) if unpacked.len() as u64 > limit => skipped::<V>(
                report,
                format!("unpacks to more than `max_decompressed_bytes` ({limit}) in `[limits]`"),
            ),
            Ok(_) => read_workbook(unpacked, report, kinds, reading, visit),
            Err(error) => skipped::<V>(report, format!("broken gzip data: {error}")),
        };
    }
    let open = || -> std::io::Result<Box<dyn Read + Send + '_>> { Ok(gunzip(gzipped, bytes)) };
    read_text(report, gunzip(gzipped, bytes), &open, kinds, reading, visit)
}

/// Reads a text table from `stream`, choosing its encoding as it goes;
/// when the whole file turns out to be in another encoding than the one
/// chosen, reads it again from `reopen` in that one. A panic on the way
/// (in the gzip decoder, say, or in govwx's own parser) skips the file
/// with its message, as one in the workbook reader does: one file never
/// stops the run.
fn read_text<'s, V: Visitor>(
    report: FileReport,
    stream: Box<dyn Read + Send + 's>,
    reopen: &reader::Opener<'s>,
    kinds: &[FileKind],
    reading: Reading<'_>,
    visit: &V,
) -> FileResult<V> {
    let unread = report.clone();
    contain(|| read_text_table(report, stream, reopen, kinds, reading, visit)).unwrap_or_else(
        |panic| {
            skipped::<V>(
                unread,
                format!("reading this file failed ({panic}); please report it, with the file"),
            )
        },
    )
}

fn read_text_table<'s, V: Visitor>(
    report: FileReport,
    stream: Box<dyn Read + Send + 's>,
    reopen: &reader::Opener<'s>,
    kinds: &[FileKind],
    reading: Reading<'_>,
    visit: &V,
) -> FileResult<V> {
    let gzipped = is_gzipped(&report.path);
    let failed = |reason: String| match gzipped && !reason.contains("max_decompressed_bytes") {
        true => format!("broken gzip data, or {reason}"),
        false => reason,
    };
    let (mut read, verdict) = parse_text(report.clone(), stream, None, kinds, reading, visit);
    let verdict = match verdict {
        reader::Verdict::ReadAgainAs(encoding) => match reopen() {
            Ok(stream) => {
                let again = parse_text(
                    report.clone(),
                    stream,
                    Some(encoding),
                    kinds,
                    reading,
                    visit,
                );
                read = again.0;
                match again.1 {
                    // Forced, and still not agreeing: the file changed
                    // between the reads; what the second read gave stands.
                    reader::Verdict::ReadAgainAs(_) => {
                        read.0.encoding = Some(encoding.name());
                        reader::Verdict::Read(encoding)
                    }
                    verdict => verdict,
                }
            }
            Err(error) => reader::Verdict::Unreadable(format!("cannot be read: {error}")),
        },
        verdict => verdict,
    };
    match verdict {
        // Nothing of an unreadable file counts: not its rows, not its
        // rejects, whatever the pass saw before it knew.
        reader::Verdict::Unreadable(reason) => skipped::<V>(report, failed(reason)),
        _ => vec![read],
    }
}

/// One pass over a text table. The first 64 KiB tell a byte-order mark and
/// the delimiter; the encoding is `forced`, else chosen as the lines come.
/// A table set aside for another pass is left unread after its header;
/// any other is read to its end, rows or not, for its verdict.
fn parse_text<V: Visitor>(
    mut report: FileReport,
    mut stream: Box<dyn Read + Send + '_>,
    forced: Option<Encoding>,
    kinds: &[FileKind],
    reading: Reading<'_>,
    visit: &V,
) -> ((FileReport, Batches<V>), reader::Verdict) {
    let limits = reading.limits;
    let unpacked_limit = is_gzipped(&report.path).then_some(limits.max_decompressed_bytes);
    let head = match reader::read_head(&mut stream, 1 << 16) {
        Ok(head) => head,
        Err(error) => {
            let verdict = reader::Verdict::Unreadable(format!("cannot be read: {error}"));
            return ((report, Vec::new()), verdict);
        }
    };
    let bom = reader::bom(&head);
    let delimiter = match extension(Path::new(&report.path)).as_str() {
        "tsv" => b'\t',
        _ => reader::sniff_head(&head),
    };
    let stream = std::io::Cursor::new(head).chain(stream);
    // UTF-16 is decoded as a stream (its line ends are two bytes); other
    // text is decoded line by line, so that a bad line costs only its row.
    let (mut rows, utf16): (reader::TextRows<Box<dyn Read + Send + '_>>, _) = match bom {
        Some(encoding @ (Encoding::Utf16Le | Encoding::Utf16Be)) => (
            reader::TextRows::new(
                reader::decoded(Box::new(stream), encoding),
                delimiter,
                Some(Encoding::Utf8),
                limits,
            ),
            Some(encoding),
        ),
        bom => (
            reader::TextRows::new(
                Box::new(stream) as Box<dyn Read + Send>,
                delimiter,
                bom.or(forced),
                limits,
            ),
            None,
        ),
    };
    rows = rows.with_max_bytes(unpacked_limit).with_chunks(CHUNK_BYTES);
    let accepted = read_table(
        &mut rows,
        delimiter,
        0,
        kinds,
        &mut report,
        reading.spellings,
        visit,
    );
    if is_set_aside(&report, kinds) {
        return ((report, accepted), reader::Verdict::Read(Encoding::Utf8));
    }
    rows.drain();
    report.blank_lines += u64::from(rows.trailing_blank_lines);
    let verdict = match (rows.verdict(), utf16) {
        (reader::Verdict::Read(_), Some(encoding)) => reader::Verdict::Read(encoding),
        (verdict, _) => verdict,
    };
    if let reader::Verdict::Read(encoding) = verdict {
        report.encoding = Some(encoding.name());
    }
    ((report, accepted), verdict)
}

fn skipped<V: Visitor>(mut report: FileReport, reason: String) -> FileResult<V> {
    report.skipped = Some(reason);
    vec![(report, Vec::new())]
}

fn is_workbook(path: &str) -> bool {
    matches!(extension(Path::new(path)).as_str(), "xlsx" | "xls" | "ods")
}

fn is_gzipped(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".gz")
}

/// The stream, decompressed when `gzipped`.
fn gunzip<'a>(gzipped: bool, stream: impl Read + Send + 'a) -> Box<dyn Read + Send + 'a> {
    match gzipped {
        true => Box::new(flate2::read::MultiGzDecoder::new(stream)),
        false => Box::new(stream),
    }
}

fn read_workbook<V: Visitor>(
    bytes: Vec<u8>,
    report: FileReport,
    kinds: &[FileKind],
    reading: Reading<'_>,
    visit: &V,
) -> FileResult<V> {
    let sheets = match workbook::read_sheets(bytes, reading.limits) {
        Ok(sheets) if !sheets.is_empty() => sheets,
        Ok(_) => {
            return vec![(
                FileReport {
                    skipped: Some("a workbook without sheets".into()),
                    ..report
                },
                Vec::new(),
            )]
        }
        Err(reason) => {
            return vec![(
                FileReport {
                    skipped: Some(reason),
                    ..report
                },
                Vec::new(),
            )]
        }
    };
    sheets
        .into_iter()
        .enumerate()
        .map(|(index, sheet)| {
            let mut sheet_report = FileReport {
                path: if index == 0 {
                    report.path.clone()
                } else {
                    format!("{}#{}", report.path, sheet.name)
                },
                // Size and hash belong to the file, reported once with its first sheet.
                bytes: if index == 0 { report.bytes } else { 0 },
                sha256: if index == 0 {
                    report.sha256.clone()
                } else {
                    String::new()
                },
                encoding: Some("workbook"),
                ..FileReport::default()
            };
            let rows = match sheet.rows {
                Ok(rows) => rows,
                Err(reason) => {
                    sheet_report.skipped = Some(reason);
                    return (sheet_report, Vec::new());
                }
            };
            let accepted = read_table(
                &mut rows.into_iter(),
                b',',
                index as u32,
                kinds,
                &mut sheet_report,
                reading.spellings,
                visit,
            );
            (sheet_report, accepted)
        })
        .collect()
}

fn read_table<V: Visitor>(
    rows: &mut impl reader::RowSource,
    delimiter: u8,
    sheet: u32,
    kinds: &[FileKind],
    report: &mut FileReport,
    spellings: &Spellings,
    visit: &V,
) -> Batches<V> {
    let (schema, header_line) = match find_header(rows, spellings) {
        Some((Ok(schema), line)) => (schema, line),
        Some((Err(reason), line)) => {
            report.header_line = Some(line);
            report.skipped = Some(reason);
            return Vec::new();
        }
        None => {
            report.skipped = Some(format!(
                "no recognised header in the first {HEADER_SEARCH_ROWS} rows (not a registry or activity table)"
            ));
            return Vec::new();
        }
    };
    report.kind = Some(schema.kind);
    report.header_line = Some(header_line);
    report.columns = schema.columns().map(Column::name).collect();
    if !kinds.contains(&schema.kind) {
        report.skipped = Some(format!(
            "{} tables are not read in this step",
            schema.kind.name()
        ));
        return Vec::new();
    }
    report.extra_columns = schema.extra_columns.clone();
    let table = Table {
        schema: &schema,
        sheet,
        delimiter,
    };
    // This thread cuts a text file's lines into chunks, or parses a
    // batch of rows where it cannot (a workbook, or lines held to choose
    // the encoding), and queues each to be parsed and visited on whichever
    // thread is free: a chunk's rows are visited where they were parsed,
    // while their cells are in that core's cache. When more wait than
    // there are threads, it takes one itself: no thread waits at a
    // barrier, and what is held stays bounded. They are accounted for in
    // row order as they come back (a chunk after a row the one before it
    // left open read again first), and their rows are used again.
    let pipeline = Pipeline::<V>::new();
    let waiting_at_most = rayon::current_num_threads();
    let mut batches = Vec::new();
    let mut accounting = Accounting {
        next: 0,
        open: None,
    };
    rayon::scope(|scope| {
        for index in 0.. {
            let work = match rows.cut_chunk() {
                Some(chunk) => Work::Chunk(chunk),
                None => {
                    let (rows_of_batch, blank_lines) = next_batch(rows);
                    report.blank_lines += blank_lines;
                    if rows_of_batch.is_empty() {
                        break;
                    }
                    Work::Rows(rows_of_batch)
                }
            };
            pipeline.queue(index, work);
            scope.spawn(|_| pipeline.visit_next(&table, visit));
            while pipeline.waiting() > waiting_at_most {
                pipeline.visit_next(&table, visit);
            }
            pipeline.account(&mut accounting, &table, visit, report, &mut batches, rows);
        }
    });
    pipeline.account(&mut accounting, &table, visit, report, &mut batches, rows);
    if let Some(rest) = accounting.open.take().and_then(reader::ChunkEnd::rest) {
        // No chunk came after a row left open: the stream broke there.
        let done = table.visit_work(Work::Chunk(rest), visit);
        accounting.take(done, &table, report, &mut batches, rows);
    }
    batches
}

/// Up to `BATCH` rows to visit, in order, and the blank lines passed on the
/// way. What each row is (a record, a totals line, a repeated header, a row
/// of empty cells) is decided when it is visited, on every thread: the
/// reading thread does no more than parse.
fn next_batch(rows: &mut impl Iterator<Item = reader::Row>) -> (Vec<reader::Row>, u64) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut blank_lines = 0;
    for row in rows {
        blank_lines += u64::from(row.blank_lines_before);
        batch.push(row);
        if batch.len() == BATCH {
            break;
        }
    }
    (batch, blank_lines)
}

/// What the reading thread queues to be visited: rows it parsed, or a
/// chunk of lines to parse first.
enum Work {
    Rows(Vec<reader::Row>),
    Chunk(reader::Chunk),
}

/// A visited batch, and for a chunk, how its parse ended.
type Done<V> = (VisitedBatch<V>, Option<reader::ChunkEnd>);

/// Work of a table between the reading thread and its accounting: that
/// waiting to be visited, oldest first, and that visited, by index.
struct Pipeline<V: Visitor> {
    waiting: Mutex<VecDeque<(usize, Work)>>,
    visited: Mutex<BTreeMap<usize, Done<V>>>,
}

/// Where the accounting of a table's work stands: the index to account
/// for next, and the end of a chunk that left a row open.
struct Accounting {
    next: usize,
    open: Option<reader::ChunkEnd>,
}

impl Accounting {
    /// Accounts for one visited batch, in row order, and keeps what its
    /// chunk said of the encoding and of a row left open.
    fn take<V: Visitor>(
        &mut self,
        (visited, end): Done<V>,
        table: &Table<'_>,
        report: &mut FileReport,
        batches: &mut Batches<V>,
        rows: &mut impl reader::RowSource,
    ) {
        if let Some(end) = end {
            rows.absorb(&end);
            let before: u64 = visited
                .rows
                .iter()
                .map(|row| u64::from(row.blank_lines_before))
                .sum();
            report.blank_lines += before + u64::from(end.blank_lines);
            match end.is_open() {
                true => self.open = Some(end),
                false => rows.reuse(reader::Chunk::of(end)),
            }
        }
        rows.recycle(table.account(visited, report, batches));
    }
}

impl<V: Visitor> Pipeline<V> {
    fn new() -> Self {
        Pipeline {
            waiting: Mutex::default(),
            visited: Mutex::default(),
        }
    }

    fn queue(&self, index: usize, work: Work) {
        lock(&self.waiting).push_back((index, work));
    }

    fn waiting(&self) -> usize {
        lock(&self.waiting).len()
    }

    /// Visits the oldest waiting work, if any is left: each queued one
    /// has one task, and this thread may have taken it already.
    fn visit_next(&self, table: &Table<'_>, visit: &V) {
        let Some((index, work)) = lock(&self.waiting).pop_front() else {
            return;
        };
        let done = table.visit_work(work, visit);
        lock(&self.visited).insert(index, done);
    }

    /// Accounts for the visited work that comes next in row order, and
    /// hands its rows back to be used again. A chunk after one that left
    /// a row open is parsed and visited again from that row, here: what
    /// its first parse gave is dropped.
    fn account(
        &self,
        accounting: &mut Accounting,
        table: &Table<'_>,
        visit: &V,
        report: &mut FileReport,
        batches: &mut Batches<V>,
        rows: &mut impl reader::RowSource,
    ) {
        loop {
            let Some(mut done) = lock(&self.visited).remove(&accounting.next) else {
                return;
            };
            if let Some(before) = accounting.open.take() {
                match done.1.take() {
                    Some(end) => {
                        let again = before.then(reader::Chunk::of(end));
                        done = table.visit_work(Work::Chunk(again), visit);
                    }
                    // Not a chunk: the stream broke after the one before.
                    None => {
                        if let Some(rest) = before.rest() {
                            let rest = table.visit_work(Work::Chunk(rest), visit);
                            accounting.take(rest, table, report, batches, rows);
                        }
                    }
                }
            }
            accounting.take(done, table, report, batches, rows);
            accounting.next += 1;
        }
    }
}

/// The data behind a mutex whose holder panicked is still whole here: each
/// holder only inserts or removes one entry.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What a visited row not accepted turned out to be.
enum NotAccepted {
    Rejected(RowError),
    /// Every cell empty: counted as a blank line, not as a record.
    Blank,
    /// A totals line (`合计`), or the header repeated (counted as both).
    Totals {
        header_repeat: bool,
    },
}

/// A table being read: what its rows need to become records.
struct Table<'a> {
    schema: &'a Schema,
    sheet: u32,
    delimiter: u8,
}

impl Table<'_> {
    /// Parses a chunk's rows, if that is the work, and visits them.
    fn visit_work<V: Visitor>(&self, work: Work, visit: &V) -> Done<V> {
        match work {
            Work::Rows(rows) => (self.visit_batch(rows, visit), None),
            Work::Chunk(chunk) => {
                let (rows, end) = chunk.parse();
                (self.visit_batch(rows, visit), Some(end))
            }
        }
    }

    /// Visits one batch of rows: its state, its accepted values, and what
    /// each other row turned out to be, with the row's position in it.
    fn visit_batch<V: Visitor>(&self, rows: Vec<reader::Row>, visit: &V) -> VisitedBatch<V> {
        let bytes = rows
            .iter()
            .map(|row| row.cells.as_byte_record().as_slice().len())
            .sum();
        let mut state = visit.new_state(rows.len(), bytes);
        let mut others = Vec::new();
        // The rows that are records, and where each is in the batch.
        let (mut records, mut at) = (
            Vec::with_capacity(rows.len()),
            Vec::with_capacity(rows.len()),
        );
        for (position, row) in rows.iter().enumerate() {
            match self.record_of(row) {
                Ok(raw) => {
                    records.push(raw);
                    at.push(position);
                }
                Err(other) => others.push((position, other)),
            }
        }
        let mut results = Vec::with_capacity(records.len());
        if contain(|| visit.visit_rows(&mut state, &records, &mut results)).is_err() {
            // Visited again one by one, to reject the record that panics.
            results.clear();
            results.extend(
                records
                    .iter()
                    .map(|raw| visit_contained(visit, &mut state, raw)),
            );
        }
        let mut accepted = Vec::with_capacity(results.len());
        let not_records = others.len();
        for (position, result) in at.into_iter().zip(results) {
            match result {
                Ok(value) => accepted.push(value),
                Err(error) => others.push((position, NotAccepted::Rejected(error))),
            }
        }
        if not_records > 0 && others.len() > not_records {
            // Both lists are in row order: merged, the report keeps it.
            others.sort_by_key(|&(position, _)| position);
        }
        visit.end_batch(&mut state);
        VisitedBatch {
            rows,
            state,
            accepted,
            others,
        }
    }

    /// A row as a record to visit, or what else it turned out to be.
    fn record_of<'r>(&'r self, row: &'r reader::Row) -> Result<RawRecord<'r>, NotAccepted> {
        let raw = RawRecord {
            file: self.sheet,
            line: row.line,
            schema: self.schema,
            cells: &row.cells,
        };
        if let Some(problem) = &row.problem {
            return Err(NotAccepted::Rejected(problem.clone()));
        }
        // Every record is counted as read; a repeated header counts as a
        // totals line too, so that read = accepted + rejected + totals
        // still holds.
        if row.cells.iter().all(crate::text::is_blank) {
            return Err(NotAccepted::Blank);
        }
        if self.schema.is_repeated_by(row.cells.iter()) {
            return Err(NotAccepted::Totals {
                header_repeat: true,
            });
        }
        if header::is_totals_line(row.cells.iter()) {
            return Err(NotAccepted::Totals {
                header_repeat: false,
            });
        }
        check_width(self.schema, &row.cells)
            .map(|()| raw)
            .map_err(NotAccepted::Rejected)
    }

    /// Accounts for each row of a visited batch in order: its accepted
    /// values kept as they are (not moved value by value), the other rows
    /// counted or rejected in the report; the rows, to be used again.
    fn account<V: Visitor>(
        &self,
        visited: VisitedBatch<V>,
        report: &mut FileReport,
        batches: &mut Batches<V>,
    ) -> Vec<reader::Row> {
        let VisitedBatch {
            rows,
            state,
            accepted,
            others,
        } = visited;
        report.records_read += accepted.len() as u64;
        report.records_accepted += accepted.len() as u64;
        for (at, result) in others {
            let row = &rows[at];
            match result {
                NotAccepted::Blank => report.blank_lines += 1,
                NotAccepted::Totals { header_repeat } => {
                    report.records_read += 1;
                    report.totals_lines += 1;
                    report.header_repeats += u64::from(header_repeat);
                }
                NotAccepted::Rejected(error) => {
                    report.records_read += 1;
                    report.records_rejected += 1;
                    let reject = reject(&report.path, row.line, &row.cells, self.delimiter, error);
                    report.rejects.push(reject);
                }
            }
        }
        batches.push((state, accepted));
        rows
    }
}

/// Visits one record; a panic in the visitor rejects that record as an
/// internal fault instead of ending the run. The batch's state may keep
/// what the visitor added before it panicked (an interned string that no
/// record refers to, say), which changes no figure.
fn visit_contained<V: Visitor + ?Sized>(
    visit: &V,
    state: &mut V::State,
    raw: &RawRecord<'_>,
) -> Result<V::Value, RowError> {
    contain(|| visit.visit(state, raw)).unwrap_or_else(|panic| {
        Err(RowError::new(
            RejectKind::Internal,
            None,
            format!("internal fault while reading this row: {panic}"),
        ))
    })
}

thread_local! {
    /// How many `contain` calls this thread is inside.
    static CONTAINING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs `f`; a panic inside it becomes its message, to be reported as a
/// reason for the row or file it was reading.
pub(crate) fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CONTAINING.with(|c| c.set(c.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(c.get() - 1));
    result.map_err(|panic| panic_text(&*panic))
}

/// Whether a panic now would be contained and reported as a reason: a
/// panic hook can then stay quiet instead of printing a crash report for
/// what is only a skipped file or row.
pub fn panic_is_contained() -> bool {
    CONTAINING.with(|c| c.get() > 0)
}

/// The message a panic carried, if it was text.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// One batch of visited rows: the rows, the batch's state, its accepted
/// values, and the other rows.
struct VisitedBatch<V: Visitor> {
    rows: Vec<reader::Row>,
    state: V::State,
    accepted: Vec<V::Value>,
    /// The rows not accepted, by position in the batch, in order.
    others: Vec<(usize, NotAccepted)>,
}

fn find_header(
    rows: &mut impl Iterator<Item = reader::Row>,
    spellings: &Spellings,
) -> Option<(Result<Schema, String>, u32)> {
    rows.by_ref()
        .take(HEADER_SEARCH_ROWS)
        // A line that is not text in the file's encoding shows its cells
        // lossily, for its reject: they name no column.
        .filter(|row| {
            row.problem
                .as_ref()
                .is_none_or(|p| p.kind != RejectKind::Encoding)
        })
        .find_map(|row| Schema::recognise(row.cells.iter(), spellings).map(|s| (s, row.line)))
}

/// A record must have the header's width; extra cells are tolerated only when
/// empty (trailing delimiters), since anything else would be a guess.
fn check_width(schema: &Schema, cells: &csv::StringRecord) -> Result<(), RowError> {
    let found = cells.len();
    let extra_filled = cells
        .iter()
        .skip(schema.width)
        .any(|c| !crate::text::is_blank(c));
    if found < schema.width || extra_filled {
        return Err(RowError::new(
            RejectKind::FieldCount,
            None,
            format!(
                "expected {} fields as in the header, found {found}",
                schema.width
            ),
        ));
    }
    Ok(())
}

fn reject(
    file: &str,
    line: u32,
    cells: &csv::StringRecord,
    delimiter: u8,
    error: RowError,
) -> Reject {
    let reason = match error.field {
        Some(field) => format!("{}: {}", field.name(), error.detail),
        None => error.detail,
    };
    Reject {
        file: file.to_owned(),
        line,
        reason,
        kind: error.kind,
        raw: raw_line(cells, delimiter),
    }
}

/// The record as it stood in the file, re-joined for the audit.
fn raw_line(cells: &csv::StringRecord, delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(cells);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches(['\r', '\n'])
        .to_owned()
}

/// The lower-cased extension, looking through `.gz`.
pub fn extension(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (FileReport, Vec<(u32, String)>) {
        read_raw(text.as_bytes())
    }

    fn read_raw(bytes: &[u8]) -> (FileReport, Vec<(u32, String)>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.csv");
        std::fs::write(&path, bytes).expect("write");
        let file = SourceFile {
            path,
            relative: "2014/t.csv".into(),
        };
        let visit = |raw: &RawRecord<'_>| match raw.get(Column::Name) {
            Some(name) if name != "bad" => {
                // Holds its batch back, so that later batches end first.
                if name.starts_with("slow") {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Ok((raw.line, name.to_owned()))
            }
            _ => Err(RowError::new(
                RejectKind::NoIdentity,
                Some(Column::Name),
                "missing",
            )),
        };
        let mut results = read_file(
            &file,
            &[FileKind::Registry],
            Reading::with_limits(&Limits::default()),
            &visit,
            None,
        );
        assert_eq!(results.len(), 1, "a text file is one table");
        let (report, batches) = results.remove(0);
        (report, batches.into_iter().flat_map(|((), v)| v).collect())
    }

    #[test]
    fn a_panic_while_reading_a_text_file_skips_that_file_alone() {
        // A stream that panics at its end, as a decoder's bug would, after
        // chunks of the file were queued for other threads.
        struct Panics(std::io::Cursor<Vec<u8>>);
        impl Read for Panics {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.read(buf)? {
                    0 => panic!("a decoder's bug"),
                    n => Ok(n),
                }
            }
        }
        let text = format!("名称,省份\n{}", "深圳发布,广东\n".repeat(200_000));
        let stream = || -> Box<dyn Read + Send> {
            Box::new(Panics(std::io::Cursor::new(text.clone().into_bytes())))
        };
        let reopen = || Ok(stream());
        let report = FileReport {
            path: "2014/t.csv".into(),
            ..FileReport::default()
        };
        let visit = |raw: &RawRecord<'_>| Ok::<_, RowError>(raw.line);
        let results = read_text(
            report,
            stream(),
            &reopen,
            &[FileKind::Registry],
            Reading::with_limits(&Limits::default()),
            &visit,
        );
        assert_eq!(results.len(), 1);
        let (report, batches) = &results[0];
        assert_eq!(
            report.skipped.as_deref(),
            Some("reading this file failed (a decoder's bug); please report it, with the file")
        );
        assert!(batches.is_empty(), "nothing of it counts");
        assert_eq!((report.records_read, report.rejects.len()), (0, 0));
        // The next file reads as ever.
        let (report, accepted) = read("名称,省份\n深圳发布,广东\n");
        assert_eq!((report.skipped, accepted.len()), (None, 1));
    }

    #[test]
    fn a_gzip_file_broken_after_its_first_rows_counts_nothing() {
        let text = format!("名称,省份\n{}", "深圳发布,广东\n".repeat(20_000));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, text.as_bytes()).expect("in memory");
        let gz = gz.finish().expect("in memory");
        let cut = &gz[..gz.len() / 2];
        let report = FileReport {
            path: "2014/t.csv.gz".into(),
            ..FileReport::default()
        };
        let visit = |raw: &RawRecord<'_>| Ok::<_, RowError>(raw.line);
        let read = read_bytes(
            report,
            cut,
            &[FileKind::Registry],
            Reading::with_limits(&Limits::default()),
            &visit,
        );
        let (report, batches) = &read[0];
        assert!(
            report
                .skipped
                .as_deref()
                .is_some_and(|r| r.starts_with("broken gzip data")),
            "{report:?}"
        );
        assert_eq!(
            (
                report.records_read,
                report.records_accepted,
                report.rejects.len()
            ),
            (0, 0, 0)
        );
        assert!(batches.is_empty());
        assert_eq!(report.bytes, cut.len() as u64);
    }

    #[test]
    fn a_file_whose_encoding_changes_after_its_first_lines_is_read_again_whole() {
        // 300 names in UTF-8 choose UTF-8; the 5,000 GBK ones after them
        // make the file GB18030, which it is then read in from the start.
        let utf8 = "深圳发布,广东\n".repeat(300);
        let gbk_names = "广州公安,广东\n".repeat(5000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_names);
        let text = ["name,province\n".as_bytes(), utf8.as_bytes(), &gbk].concat();
        let (report, rows) = read_raw(&text);
        assert_eq!(report.skipped, None, "{report:?}");
        assert_eq!(report.encoding, Some("gb18030"));
        assert_eq!(report.records_read, 5300);
        assert_eq!(rows.len(), 5300, "no row lost to the first choice");
        assert_eq!(rows[5299], (5301, "广州公安".to_owned()));
        assert_eq!(report.bytes, text.len() as u64);
        assert_eq!(report.sha256, fs::sha256_hex(&text));
    }

    #[test]
    fn batches_keep_row_order_on_any_number_of_threads() {
        // More batches than threads wait for; every other batch starts with
        // a slow row, so that batches are visited out of order.
        let rows = 9 * BATCH + 5;
        let name = |i: usize| match i {
            _ if i % 1000 == 7 => "bad".to_owned(),
            _ if i % (2 * BATCH) == 0 => format!("slow{i}"),
            _ => format!("n{i}"),
        };
        let mut text = String::from("名称,省份\n");
        for i in 0..rows {
            text.push_str(&format!("{},广东\n", name(i)));
        }
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool");
            let (report, accepted) = pool.install(|| read(&text));
            let bad: Vec<u32> = (0..rows as u32)
                .filter(|i| i % 1000 == 7)
                .map(|i| i + 2)
                .collect();
            let good: Vec<(u32, String)> = (0..rows)
                .filter(|i| i % 1000 != 7)
                .map(|i| (i as u32 + 2, name(i)))
                .collect();
            assert_eq!(accepted, good, "{threads} threads");
            assert_eq!(
                report.rejects.iter().map(|r| r.line).collect::<Vec<_>>(),
                bad
            );
            assert_eq!(report.records_read, rows as u64);
            assert_eq!(report.records_rejected, bad.len() as u64);
        }
    }

    /// A table read from `rows` by `read_table`: its report as `Debug`
    /// text (counts and rejects with their lines and raw text), and the
    /// names accepted with their lines.
    fn read_rows(rows: &mut impl reader::RowSource) -> (String, Vec<(u32, String)>) {
        let visit = |raw: &RawRecord<'_>| match raw.get(Column::Name) {
            Some(name) if name != "bad" => Ok((raw.line, name.to_owned())),
            _ => Err(RowError::new(
                RejectKind::NoIdentity,
                Some(Column::Name),
                "missing",
            )),
        };
        let mut report = FileReport::default();
        let batches = read_table(
            rows,
            b',',
            0,
            &[FileKind::Registry],
            &mut report,
            &Spellings::none(),
            &visit,
        );
        let accepted = batches.into_iter().flat_map(|((), v)| v).collect();
        (format!("{report:?}"), accepted)
    }

    #[test]
    fn a_table_reads_the_same_in_chunks_of_any_size() {
        // Quoted names across lines (some longer than a chunk), a stray
        // quote, blank lines, totals, rejects and CR LF line ends, in a
        // GBK file whose header chooses the encoding.
        let mut text = String::from("标题\r\n\r\n名称,省份,粉丝数\r\n");
        for i in 0..400 {
            match i % 37 {
                3 => text.push_str(&format!(
                    "\"多\r\n行{i}\r\n{}\",广东,{i}\r\n",
                    "长".repeat(i)
                )),
                11 => text.push_str(&format!("\"未闭合{i},广东,1\r\n")),
                17 => text.push_str("\r\n\r\n"),
                23 => text.push_str("合计,,6\r\n"),
                29 => text.push_str("bad,广东,2\r\n"),
                _ => text.push_str(&format!("深圳{i},广东,{i}\r\n")),
            }
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let rows = |chunks: usize| {
            reader::TextRows::new(&gbk[..], b',', None, &Limits::default()).with_chunks(chunks)
        };
        let whole = read_rows(&mut rows(0));
        assert!(whole
            .1
            .iter()
            .any(|(_, name)| name.starts_with("多\r\n行3")));
        assert!(whole.0.contains("UnclosedQuote"), "{}", whole.0);
        for chunks in [1, 7, 64, 200, 1000, 5000, 1 << 20] {
            assert_eq!(
                read_rows(&mut rows(chunks)),
                whole,
                "chunks of {chunks} bytes"
            );
        }
    }

    #[test]
    fn every_record_is_accounted_for() {
        let text = "全省政务微信统计表\n\n名称,省份,粉丝数\n深圳发布,广东,1\n,,\nbad,广东,2\n\"多\n行\",广东,3\n深圳交警,广东\n合计,,6\n\n";
        let (report, accepted) = read(text);
        assert_eq!(report.header_line, Some(3));
        assert_eq!(
            accepted,
            vec![(4, "深圳发布".to_owned()), (7, "多\n行".to_owned())]
        );
        assert_eq!(report.records_read, 5);
        assert_eq!(report.records_accepted, 2);
        assert_eq!(report.records_rejected, 2);
        assert_eq!(report.totals_lines, 1);
        assert_eq!(report.blank_lines, 2);
        let lines: Vec<u32> = report.rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![6, 9]);
        assert_eq!(
            report.rejects[1].reason,
            "expected 3 fields as in the header, found 2"
        );
        assert_eq!(report.rejects[0].raw, "bad,广东,2");
    }

    #[test]
    fn a_line_not_in_the_files_encoding_is_rejected_and_shown() {
        // A UTF-8 export with a cell pasted from a GBK one (`广东` in GBK),
        // under a line like a header but for a bad byte: that line is no
        // header, the bad row is rejected with its line and byte, and its
        // raw text shows what it can, each bad sequence as U+FFFD.
        let mut text = b"\xE5\x90\x8D\xE7\xA7\xB0,\xE7\x9C\x81\xE4\xBB\xBD,\xE7\xB2\x89\xE4\xB8\x9D\xE6\x95\xB0,\xFF\n\xE5\x90\x8D\xE7\xA7\xB0,\xE7\x9C\x81\xE4\xBB\xBD,\xE7\xB2\x89\xE4\xB8\x9D\xE6\x95\xB0\n".to_vec();
        text.extend("深圳发布,广东,1\n".repeat(20).as_bytes());
        text.extend(b"\"\xB9\xE3,\xB6\xAB\",\xB9\xE3\xB6\xAB,2\n");
        text.extend("深圳交警,广东,3\n".as_bytes());
        let (report, accepted) = read_raw(&text);
        assert_eq!(report.header_line, Some(2));
        assert_eq!(accepted.len(), 21);
        assert_eq!(report.records_rejected, 1);
        let reject = &report.rejects[0];
        assert_eq!(reject.line, 23);
        assert_eq!(reject.kind, RejectKind::Encoding);
        assert_eq!(reject.reason, "bytes that are not UTF-8 text at byte 2");
        assert_eq!(
            reject.raw, "\"\u{FFFD}\u{FFFD},\u{FFFD}\u{FFFD}\",\u{FFFD}\u{3DAB},2",
            "E3 B6 AB happens to be UTF-8"
        );
    }

    #[test]
    fn contained_panics_become_reasons_and_are_known_as_contained() {
        assert!(!panic_is_contained());
        assert_eq!(contain(panic_is_contained), Ok(true));
        assert_eq!(contain(|| contain(|| 1)), Ok(Ok(1)));
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let caught = contain(|| -> u8 { panic!("a bug in a parser") });
        std::panic::set_hook(quiet);
        assert_eq!(caught, Err("a bug in a parser".to_owned()));
        assert!(!panic_is_contained(), "the count is restored after a panic");
    }

    #[test]
    fn unknown_shapes_are_skipped() {
        let (report, accepted) = read("省份,账号数\n广东,6139\n");
        assert!(report.skipped.is_some());
        assert!(accepted.is_empty());
    }
}
