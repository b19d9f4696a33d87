//! Reading one text table: bytes in, rows with their line numbers out.
//!
//! This is the one place where formats and encodings are told apart. The
//! stream is cut into physical lines (`\n`, `\r\n` and a lone `\r` each end
//! one), each decoded on its own and then split into fields, so a bad byte,
//! an absurdly long line or a stray quote costs its own row and not the
//! rows after it. A row's line is the line on which it starts, so quoted
//! fields with line breaks keep later rows right.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Read};

use encoding_rs::GB18030;

use super::{RejectKind, RowError};
use crate::ingest::Limits;

/// The text encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// Picks the field delimiter among comma, tab, semicolon and `|`: the one
/// that splits the most of the first lines into the same number of fields.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let score = |delimiter: u8| {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == delimiter).count())
            .collect();
        let modal = counts
            .iter()
            .copied()
            .filter(|&c| c > 0)
            .max_by_key(|c| (counts.iter().filter(|&&x| x == *c).count(), *c));
        modal.map_or(0, |m| counts.iter().filter(|&&x| x == m).count() * 1000 + m)
    };
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|&d| (score(d), d == b','))
        .unwrap_or(b',')
}

/// Opens a fresh stream of a file's (decompressed) bytes: for the rare
/// second read of a file whose encoding the first read chose wrongly.
pub type Opener<'a> = dyn Fn() -> io::Result<Box<dyn Read + Send + 'a>> + 'a;

/// Lines that may fail to decode and the file is still read in its
/// encoding, one in ten of those with other than ASCII: a UTF-8 export
/// with a few cells pasted from a GBK one keeps its good rows, and those
/// rows are rejected one by one.
const BAD_LINES_TOLERATED: u64 = 10;

/// Non-ASCII lines looked at (or bytes, whichever comes first) before a
/// file's encoding is chosen. The choice is checked against the whole file
/// when it has been read (`TextRows::verdict`).
const DECIDE_AFTER_LINES: u64 = 256;
const DECIDE_AFTER_BYTES: usize = 1 << 20;

/// What a file's lines say of its encoding. Each line is tried as UTF-8,
/// then as GB18030; the file is in the encoding that nearly all of its
/// non-ASCII lines decode in (see `BAD_LINES_TOLERATED`).
#[derive(Debug, Default, Clone, Copy)]
struct Evidence {
    non_ascii: u64,
    not_utf8: u64,
    not_gb18030: u64,
    /// A NUL byte in an ASCII line: binary, not GB18030 text.
    nul: bool,
}

impl Evidence {
    /// Counts one raw line.
    fn add(&mut self, line: &[u8]) {
        if line.is_ascii() {
            self.nul |= memchr::memchr(0, line).is_some();
            return;
        }
        let utf8 = utf8_valid_up_to(line) == line.len();
        self.add_non_ascii(utf8, || {
            GB18030.decode_without_bom_handling_and_without_replacement(line)
        });
    }

    /// Adds what other lines of the same stream said.
    fn merge(&mut self, other: &Evidence) {
        self.non_ascii += other.non_ascii;
        self.not_utf8 += other.not_utf8;
        self.not_gb18030 += other.not_gb18030;
        self.nul |= other.nul;
    }

    /// Counts a non-ASCII line, valid UTF-8 or not; `gb18030` decodes it,
    /// and is called only for a line that is not UTF-8.
    fn add_non_ascii<'a>(&mut self, utf8: bool, gb18030: impl FnOnce() -> Option<Cow<'a, str>>) {
        self.non_ascii += 1;
        // Only lines that fail as UTF-8 are tried as GB18030: when UTF-8
        // loses, the few lines valid in it matter little either way.
        if !utf8 {
            self.not_utf8 += 1;
            match gb18030() {
                Some(text) if !text.contains('\0') => {}
                _ => self.not_gb18030 += 1,
            }
        }
    }

    /// The encoding these lines are in; `bom` when the file starts with a
    /// UTF-8 byte-order mark.
    fn verdict(&self, bom: bool) -> Result<Encoding, String> {
        let tolerable = |bad: u64| bad * BAD_LINES_TOLERATED <= self.non_ascii;
        match bom {
            true if tolerable(self.not_utf8) => Ok(Encoding::Utf8Bom),
            true => Err("invalid UTF-8 after a UTF-8 byte-order mark".to_owned()),
            // Text in another encoding is hardly ever valid UTF-8, while
            // UTF-8 often passes as GB18030: UTF-8 is tried first.
            false if tolerable(self.not_utf8) => Ok(Encoding::Utf8),
            false if !self.nul && tolerable(self.not_gb18030) => Ok(Encoding::Gb18030),
            false => Err("neither UTF-8 nor GBK/GB18030 text (binary or corrupt bytes)".to_owned()),
        }
    }
}

/// A byte-order mark at the start of `head`: UTF-16 (read as a decoded
/// stream) or UTF-8.
pub fn bom(head: &[u8]) -> Option<Encoding> {
    match head {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16Be),
        [0xEF, 0xBB, 0xBF, ..] => Some(Encoding::Utf8Bom),
        _ => None,
    }
}

/// The delimiter of a file from its first bytes (`head`, cut anywhere),
/// decoded as the byte-order mark says, else as UTF-8 when they are, else
/// as GB18030.
pub fn sniff_head(head: &[u8]) -> u8 {
    let text = match bom(head) {
        Some(Encoding::Utf16Le) => {
            encoding_rs::UTF_16LE
                .decode_without_bom_handling(&head[2..])
                .0
        }
        Some(Encoding::Utf16Be) => {
            encoding_rs::UTF_16BE
                .decode_without_bom_handling(&head[2..])
                .0
        }
        _ => {
            let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
            match std::str::from_utf8(head) {
                Ok(text) => Cow::Borrowed(text),
                // Cut inside the last character.
                Err(e) if e.error_len().is_none() => {
                    String::from_utf8_lossy(&head[..e.valid_up_to()])
                }
                Err(_) => GB18030.decode_without_bom_handling(head).0,
            }
        }
    };
    sniff_delimiter(&text)
}

/// Up to `max` bytes from the start of a stream.
pub fn read_head(stream: &mut dyn Read, max: usize) -> io::Result<Vec<u8>> {
    let mut head = vec![0; max];
    let got = read_up_to(stream, &mut head)?;
    head.truncate(got);
    Ok(head)
}

fn read_up_to(stream: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match stream.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The stream as UTF-8 bytes, without a byte-order mark: for reading
/// UTF-16 (whose line ends are not single bytes).
pub fn decoded<'a>(
    stream: Box<dyn Read + Send + 'a>,
    encoding: Encoding,
) -> Box<dyn Read + Send + 'a> {
    let forced = match encoding {
        Encoding::Gb18030 => Some(GB18030),
        _ => None,
    };
    // BOM sniffing handles UTF-16 and strips a UTF-8 BOM; without a BOM and
    // without a forced encoding, UTF-8 passes through unchanged.
    Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(forced)
            .build(stream),
    )
}

/// One row of a table, with the line it starts on and how many blank lines
/// came directly before it.
pub struct Row {
    pub line: u32,
    pub blank_lines_before: u32,
    pub cells: csv::StringRecord,
    /// Why the row cannot be read as cells (bytes that are not text, a
    /// runaway quote, a limit): the row is rejected with this, unvisited.
    pub problem: Option<super::RowError>,
}

/// How a physical line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Lf,
    CrLf,
    Cr,
    /// The end of the stream, without a line end.
    Eof,
}

impl End {
    fn text(self) -> &'static str {
        match self {
            End::Lf => "\n",
            End::CrLf => "\r\n",
            End::Cr => "\r",
            End::Eof => "",
        }
    }
}

/// Physical lines of a byte stream: `\n`, `\r\n` and a lone `\r` each end
/// one. A line longer than `max` is cut to `max` bytes and said to be too
/// long; the rest of it is passed over, never held.
struct Lines<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    max: usize,
    consumed: u64,
}

/// What `Lines` read besides the line's bytes.
#[derive(Debug, Clone, Copy)]
struct LineEnd {
    end: End,
    too_long: bool,
}

impl<R: Read> Lines<R> {
    fn new(inner: R, max: usize) -> Lines<R> {
        Lines {
            inner,
            buf: vec![0; 1 << 16],
            start: 0,
            end: 0,
            eof: false,
            max,
            consumed: 0,
        }
    }

    /// Lines of bytes already read whole.
    fn whole(bytes: Vec<u8>, max: usize) -> Lines<io::Empty> {
        Lines {
            inner: io::empty(),
            end: bytes.len(),
            buf: bytes,
            start: 0,
            eof: true,
            max,
            consumed: 0,
        }
    }

    /// Bytes passed so far.
    fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Keeps the unread bytes and reads more after them; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        // At the end nothing moves: a chunk's bytes stay where they are.
        if self.eof {
            return Ok(false);
        }
        self.shift();
        let had = self.end;
        self.fill_to(had + 1)?;
        Ok(self.end > had)
    }

    /// Moves the unread bytes to the start of the buffer.
    fn shift(&mut self) {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
    }

    /// Whether the stream ends where `start` is: known only once a read
    /// says so.
    fn at_end(&mut self) -> io::Result<bool> {
        self.fill_to(1)?;
        Ok(self.start == self.end)
    }

    /// The next line's bytes into `line`, without its end; `None` at the
    /// end of the stream.
    fn next_into(&mut self, line: &mut Vec<u8>) -> io::Result<Option<LineEnd>> {
        line.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let data = &self.buf[self.start..self.end];
            let found = memchr::memchr2(b'\r', b'\n', data);
            let take = found.unwrap_or(data.len());
            let room = self.max.saturating_sub(line.len());
            too_long |= take > room;
            line.extend_from_slice(&data[..take.min(room)]);
            any |= take > 0;
            self.consumed += take as u64;
            self.start += take;
            let Some(_) = found else {
                if !self.fill()? {
                    return Ok(any.then_some(LineEnd {
                        end: End::Eof,
                        too_long,
                    }));
                }
                continue;
            };
            let end = match self.buf[self.start] {
                b'\n' => End::Lf,
                _ if self.start + 1 < self.end => match self.buf[self.start + 1] {
                    b'\n' => End::CrLf,
                    _ => End::Cr,
                },
                // A `\r` at the end of what is buffered: look at the next byte.
                _ => match self.fill()? {
                    true if self.buf[self.start + 1] == b'\n' => End::CrLf,
                    _ => End::Cr,
                },
            };
            let len = if end == End::CrLf { 2 } else { 1 };
            self.start += len;
            self.consumed += len as u64;
            return Ok(Some(LineEnd { end, too_long }));
        }
    }

    /// Reads until `want` bytes are buffered after `start`, or to the end;
    /// the buffer grows as the bytes come, never ahead of them.
    fn fill_to(&mut self, want: usize) -> io::Result<()> {
        if self.buf.len() - self.start < want {
            self.shift();
        }
        while !self.eof && self.end - self.start < want {
            if self.end == self.buf.len() {
                let grown = (self.buf.len() * 2).clamp(self.end + 1, self.start + want);
                self.buf.resize(grown, 0);
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The next whole lines, about `target` bytes of them, as they are in
    /// the stream: its bytes, how many lines they hold, and whether they
    /// end the stream. The cut is after a line end whose kind is known
    /// (never between `\r` and `\n`). A line too long to fit is taken as
    /// one line, cut as `next_into` would cut it: its first `max + 1` bytes
    /// and its end, the rest passed over. `None` at the end.
    ///
    /// The bytes are the buffer they were read into, handed over whole;
    /// `spare`, a buffer handed over before and done with, takes its place.
    fn next_lines(&mut self, target: usize, spare: Option<Vec<u8>>) -> io::Result<Option<Taken>> {
        let target = target.max(1);
        self.shift();
        self.fill_to(target + 1)?;
        let avail = &self.buf[self.start..self.end];
        if avail.is_empty() {
            return Ok(None);
        }
        let cut = match (self.eof && avail.len() <= target, cut_before(avail, target)) {
            (true, _) => avail.len(),
            (false, Some(cut)) => cut,
            (false, None) => {
                // One line of `target` bytes or more: taken whole when it
                // fits in `max` (and its end), else cut.
                self.fill_to(self.max.saturating_add(3))?;
                let avail = &self.buf[self.start..self.end];
                match first_line_end(avail, self.eof) {
                    Some(cut) => cut,
                    None if self.eof => avail.len(),
                    None => return self.too_long_line().map(Some),
                }
            }
        };
        // The bytes after the cut move to the spare, which becomes the buffer.
        let mut next = spare.unwrap_or_default();
        let rest = self.end - cut;
        if next.len() < self.buf.len().max(rest) {
            next.resize(self.buf.len().max(rest), 0);
        }
        next[..rest].copy_from_slice(&self.buf[cut..self.end]);
        let mut bytes = std::mem::replace(&mut self.buf, next);
        bytes.truncate(cut);
        self.end = rest;
        self.consumed += cut as u64;
        let last = self.at_end()?;
        Ok(Some(Taken {
            lines: count_lines(&bytes),
            bytes,
            last,
        }))
    }

    /// A line longer than `max` bytes at `start`: its first `max + 1` bytes
    /// and its end, the bytes between passed over.
    fn too_long_line(&mut self) -> io::Result<Taken> {
        let mut bytes = self.buf[self.start..self.start + self.max + 1].to_vec();
        self.start += bytes.len();
        self.consumed += bytes.len() as u64;
        let ended = self.next_into(&mut Vec::new())?;
        if let Some(ended) = ended {
            bytes.extend_from_slice(ended.end.text().as_bytes());
        }
        let last = self.at_end()?;
        Ok(Taken {
            bytes,
            lines: 1,
            last,
        })
    }
}

/// Lines taken whole from a stream, to be read apart from it.
struct Taken {
    bytes: Vec<u8>,
    lines: u32,
    last: bool,
}

/// Where to cut `bytes` (more than `target` of them) after the last line
/// end in their first `target`, once the byte after a `\r` is known.
fn cut_before(bytes: &[u8], target: usize) -> Option<usize> {
    let mut window = &bytes[..target.min(bytes.len())];
    while let Some(at) = memchr::memrchr2(b'\r', b'\n', window) {
        match after_line_end(bytes, at) {
            Some(cut) => return Some(cut),
            None => window = &window[..at],
        }
    }
    None
}

/// The end of the first line of `bytes`, its line end included, when its
/// kind is known (`eof`: nothing follows the bytes).
fn first_line_end(bytes: &[u8], eof: bool) -> Option<usize> {
    let at = memchr::memchr2(b'\r', b'\n', bytes)?;
    after_line_end(bytes, at).or(eof.then_some(at + 1))
}

/// Where the line end at `at` (a `\r` or `\n`) ends; `None` for a `\r`
/// that is the last byte, which a `\n` may still follow.
fn after_line_end(bytes: &[u8], at: usize) -> Option<usize> {
    match (bytes[at], bytes.get(at + 1)) {
        (b'\n', _) => Some(at + 1),
        (_, Some(b'\n')) => Some(at + 2),
        (_, Some(_)) => Some(at + 1),
        (_, None) => None,
    }
}

/// The lines in `bytes` as `Lines` counts them: each `\n`, `\r\n` and lone
/// `\r` ends one, and bytes after the last end make one more.
fn count_lines(bytes: &[u8]) -> u32 {
    let ends = match memchr::memchr(b'\r', bytes) {
        None => memchr::memchr_iter(b'\n', bytes).count(),
        Some(_) => memchr::memchr2_iter(b'\r', b'\n', bytes)
            .filter(|&at| !(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n')))
            .count(),
    };
    let tail = !matches!(bytes.last(), None | Some(b'\n' | b'\r'));
    u32::try_from(ends + usize::from(tail)).unwrap_or(u32::MAX)
}

/// A physical line, decoded, as the parser takes it.
struct Line {
    number: u32,
    /// Where the line starts in the stream.
    offset: u64,
    /// The text, or why it is no text in the file's encoding.
    text: Result<String, Undecodable>,
    end: End,
    too_long: bool,
    /// What the lines before this one said of the encoding, and the one
    /// chosen then: what a row starting here and read again from here
    /// must not count twice.
    before: (Evidence, Option<Encoding>),
}

/// A line that is not text in its file's encoding.
#[derive(Debug)]
struct Undecodable {
    /// Which bytes are not, for the reject's reason.
    reason: String,
    /// The line with each bad sequence replaced by U+FFFD, for the
    /// reject's raw text. Both decoders keep every ASCII byte, so its
    /// delimiters and quotes are where the file has them.
    lossy: String,
}

impl Line {
    fn is_blank(&self) -> bool {
        matches!(&self.text, Ok(t) if t.is_empty()) && !self.too_long
    }
}

/// The rows of a delimited text stream, in order. Fields follow RFC 4180
/// as Excel writes it: a field that starts with `"` is quoted, `""` inside
/// it is a quote, and it may span lines; a quote elsewhere is text. A
/// quoted field still open after `max_quoted_lines` lines, or at the end,
/// had a stray quote: the row on its first line is rejected and reading
/// goes on from the next line, so one stray quote costs one row.
pub struct TextRows<R: Read> {
    lines: Lines<R>,
    /// How each line is decoded; `None` until the first line that is not
    /// ASCII (ASCII reads the same in every encoding read here).
    encoding: Option<Encoding>,
    /// The stream starts with a UTF-8 byte-order mark.
    bom: bool,
    /// What every line read so far says of the encoding.
    evidence: Evidence,
    /// Raw lines read ahead to choose the encoding, not yet decoded, with
    /// where each starts.
    ahead: VecDeque<(Vec<u8>, LineEnd, u64)>,
    delimiter: u8,
    limits: Limits,
    /// More (decompressed) bytes than this end the stream as too big.
    max_bytes: Option<u64>,
    /// Why the stream ended early: a read error or `max_bytes`.
    failed: Option<String>,
    /// Lines read ahead and given back after a stray quote.
    pending: VecDeque<Line>,
    /// The next line's number.
    next_line: u32,
    bytes: Vec<u8>,
    /// Trailing blank lines after the last row, known once exhausted.
    pub trailing_blank_lines: u32,
    finished: bool,
    /// The last row's bytes and fields, to size the next one.
    last_size: (usize, usize),
    /// Records of rows already visited, cleared and used again: a row
    /// costs no allocation once the first waves have passed.
    spare: Vec<csv::StringRecord>,
    /// About how many bytes of lines `cut_chunk` cuts; 0: none.
    chunk_bytes: usize,
    /// The stream is a chunk that ends before the file does: a row still
    /// open at its end is left to be read again with the lines after it.
    partial: bool,
    /// Such a row: where its first line starts, and its number.
    open: Option<(u64, u32)>,
    /// Chunks read apart chose other encodings than this one, or than
    /// each other.
    disagree: bool,
    /// The buffers of chunks parsed, to read the next ones into.
    spare_chunks: Vec<Vec<u8>>,
}

/// Where the rows of a table come from; rows handed back after their visit
/// may have their storage used again.
pub trait RowSource: Iterator<Item = Row> + Send {
    fn recycle(&mut self, _rows: Vec<Row>) {}
    /// The next lines to parse apart, when the source cuts chunks.
    fn cut_chunk(&mut self) -> Option<Chunk> {
        None
    }
    /// Takes in how a chunk's parse ended.
    fn absorb(&mut self, _end: &ChunkEnd) {}
    /// Takes back a chunk parsed and done with.
    fn reuse(&mut self, _chunk: Chunk) {}
}

impl RowSource for std::vec::IntoIter<Row> {}

impl<R: Read + Send> RowSource for TextRows<R> {
    fn recycle(&mut self, rows: Vec<Row>) {
        let room = MAX_SPARE.saturating_sub(self.spare.len());
        self.spare
            .extend(rows.into_iter().map(|row| row.cells).take(room));
    }

    fn cut_chunk(&mut self) -> Option<Chunk> {
        TextRows::cut_chunk(self)
    }

    fn absorb(&mut self, end: &ChunkEnd) {
        TextRows::absorb(self, end);
    }

    fn reuse(&mut self, chunk: Chunk) {
        TextRows::reuse(self, chunk);
    }
}

/// Spare records kept: two waves' worth on many threads.
const MAX_SPARE: usize = 1 << 16;

/// Spare chunk buffers kept.
const MAX_SPARE_CHUNKS: usize = 8;

/// What reading a whole stream found of its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its lines were read in the encoding the whole stream is in.
    Read(Encoding),
    /// The encoding chosen from the first non-ASCII lines is not the one
    /// the whole stream is in: it must be read again in this one.
    ReadAgainAs(Encoding),
    /// Not text in one encoding, or the stream broke or was too big.
    Unreadable(String),
}

impl<R: Read> TextRows<R> {
    /// Rows of `stream`, whose lines are in `encoding`, or, when `None`,
    /// in the encoding that its first non-ASCII lines are in. UTF-16 must
    /// have been decoded to UTF-8 already; a UTF-8 byte-order mark is
    /// skipped.
    pub fn new(
        stream: R,
        delimiter: u8,
        encoding: Option<Encoding>,
        limits: &Limits,
    ) -> TextRows<R> {
        TextRows::of_lines(
            Lines::new(stream, limits.max_line_bytes),
            delimiter,
            encoding,
            limits,
        )
    }

    fn of_lines(
        lines: Lines<R>,
        delimiter: u8,
        encoding: Option<Encoding>,
        limits: &Limits,
    ) -> TextRows<R> {
        TextRows {
            lines,
            encoding,
            bom: encoding == Some(Encoding::Utf8Bom),
            evidence: Evidence::default(),
            ahead: VecDeque::new(),
            delimiter,
            limits: limits.clone(),
            max_bytes: None,
            failed: None,
            pending: VecDeque::new(),
            next_line: 1,
            bytes: Vec::new(),
            trailing_blank_lines: 0,
            finished: false,
            last_size: (0, 0),
            spare: Vec::new(),
            chunk_bytes: 0,
            partial: false,
            open: None,
            disagree: false,
            spare_chunks: Vec::new(),
        }
    }

    /// Lets `cut_chunk` cut chunks of about `bytes` bytes.
    pub fn with_chunks(mut self, bytes: usize) -> TextRows<R> {
        self.chunk_bytes = bytes;
        self
    }

    /// Ends the stream, as unreadable, after `max` bytes.
    pub fn with_max_bytes(mut self, max: Option<u64>) -> TextRows<R> {
        self.max_bytes = max;
        self
    }

    /// Reads what is left of the stream without parsing it, so that its
    /// encoding is known (and whatever counts its bytes has seen them all).
    pub fn drain(&mut self) {
        while self.pending.pop_front().is_some() {}
        while self.next_line().is_some() {}
        self.finished = true;
    }

    /// Once the stream is exhausted (or drained): the encoding its lines
    /// were read in, whether the whole stream agrees, or why it cannot be
    /// read.
    pub fn verdict(&self) -> Verdict {
        if let Some(reason) = &self.failed {
            return Verdict::Unreadable(reason.clone());
        }
        match self.evidence.verdict(self.bom) {
            Err(reason) => Verdict::Unreadable(reason),
            // An all-ASCII stream reads alike in any of them.
            Ok(whole) if !self.disagree && self.encoding.is_none_or(|chosen| chosen == whole) => {
                Verdict::Read(whole)
            }
            Ok(whole) => Verdict::ReadAgainAs(whole),
        }
    }

    /// The next raw line into `into`, from the stream.
    fn pull(&mut self, into: &mut Vec<u8>) -> Option<LineEnd> {
        if self.failed.is_some() {
            return None;
        }
        let ended = self.lines.next_into(into);
        self.checked(ended)
    }

    /// What a read of the stream gave, or `None` when it failed or passed
    /// `max_bytes`, with the reason kept for the verdict.
    fn checked<T>(&mut self, read: io::Result<Option<T>>) -> Option<T> {
        match read {
            Ok(read) => {
                if let Some(max) = self.max_bytes.filter(|max| self.lines.consumed() > *max) {
                    self.failed = Some(format!(
                        "unpacks to more than `max_decompressed_bytes` ({max}) in `[limits]`"
                    ));
                    return None;
                }
                read
            }
            Err(error) => {
                self.failed = Some(format!("cannot be read: {error}"));
                None
            }
        }
    }

    /// The next whole lines of the stream as a chunk to parse apart (see
    /// `Chunk`), when chunks are on and nothing is held between lines and
    /// rows; `None` at the end, or to read the stream row by row.
    pub fn cut_chunk(&mut self) -> Option<Chunk> {
        let between_rows = self.pending.is_empty() && self.ahead.is_empty();
        if self.chunk_bytes == 0 || self.finished || self.failed.is_some() || !between_rows {
            return None;
        }
        let taken = self
            .lines
            .next_lines(self.chunk_bytes, self.spare_chunks.pop());
        let taken = self.checked(taken)?;
        let first_line = self.next_line;
        self.next_line = self.next_line.saturating_add(taken.lines);
        let spare = self
            .spare
            .split_off(self.spare.len().saturating_sub(taken.lines as usize));
        Some(Chunk {
            bytes: taken.bytes,
            first_line,
            last: taken.last,
            encoding: self.encoding,
            delimiter: self.delimiter,
            limits: self.limits.clone(),
            spare,
        })
    }

    /// Keeps a parsed chunk's buffer to read a later one into.
    pub fn reuse(&mut self, chunk: Chunk) {
        if self.spare_chunks.len() < MAX_SPARE_CHUNKS {
            self.spare_chunks.push(chunk.bytes);
        }
    }

    /// Takes in what a chunk read apart found of the encoding.
    pub fn absorb(&mut self, end: &ChunkEnd) {
        self.evidence.merge(&end.evidence);
        match (self.encoding, end.encoding) {
            (None, chosen) => self.encoding = chosen,
            (Some(ours), Some(theirs)) if ours != theirs => self.disagree = true,
            _ => {}
        }
    }

    /// Chooses the encoding from the current line (in `bytes`, not ASCII)
    /// and the non-ASCII lines after it, which are kept to be read next.
    fn choose_encoding(&mut self) {
        let mut sample = Evidence::default();
        sample.add(&self.bytes);
        let mut looked = self.bytes.len();
        while sample.non_ascii < DECIDE_AFTER_LINES && looked < DECIDE_AFTER_BYTES {
            let mut line = Vec::new();
            let offset = self.lines.consumed();
            let Some(end) = self.pull(&mut line) else {
                break;
            };
            looked += line.len();
            sample.add(&line);
            self.ahead.push_back((line, end, offset));
        }
        // Neither: read as UTF-8; the verdict then says why the file
        // cannot be read.
        self.encoding = Some(sample.verdict(self.bom).unwrap_or(Encoding::Utf8));
    }

    fn next_line(&mut self) -> Option<Line> {
        if let Some(line) = self.pending.pop_front() {
            return Some(line);
        }
        let (ended, offset) = match self.ahead.pop_front() {
            Some((bytes, ended, offset)) => {
                self.bytes = bytes;
                (ended, offset)
            }
            None => {
                let offset = self.lines.consumed();
                let mut bytes = std::mem::take(&mut self.bytes);
                let ended = self.pull(&mut bytes);
                self.bytes = bytes;
                (ended?, offset)
            }
        };
        let number = self.next_line;
        self.next_line = self.next_line.saturating_add(1);
        let before = (self.evidence, self.encoding);
        let ascii = self.bytes.is_ascii();
        if ascii {
            self.evidence.nul |= memchr::memchr(0, &self.bytes).is_some();
        } else if self.encoding.is_none() {
            self.choose_encoding();
        }
        // The line's buffer becomes its text, without a copy, when it is
        // UTF-8 (checked once); the next line reads into a buffer handed
        // back by `recycle`, or into this one when it is not text.
        let mut raw = std::mem::take(&mut self.bytes);
        if number == 1 && self.bom && raw.starts_with(b"\xEF\xBB\xBF") {
            raw.drain(..3);
        }
        // Not UTF-8: the bytes, and where the first bad one is.
        let valid = if ascii {
            raw.len()
        } else {
            utf8_valid_up_to(&raw)
        };
        let utf8: Result<String, (Vec<u8>, usize)> = if valid == raw.len() {
            // SAFETY: the bytes were just checked to be UTF-8 (ASCII is).
            Ok(unsafe { String::from_utf8_unchecked(raw) })
        } else {
            Err((raw, valid))
        };
        let mut gb18030 = None;
        if !ascii {
            self.evidence.add_non_ascii(utf8.is_ok(), || {
                let decoded =
                    GB18030.decode_without_bom_handling_and_without_replacement(bytes_of(&utf8));
                gb18030 = Some(decoded.clone().map(Cow::into_owned));
                decoded
            });
        }
        let text = match (self.encoding, utf8) {
            (Some(Encoding::Gb18030), utf8) if !ascii => {
                let text = gb18030.unwrap_or_else(|| {
                    GB18030
                        .decode_without_bom_handling_and_without_replacement(bytes_of(&utf8))
                        .map(Cow::into_owned)
                });
                let text = text.ok_or_else(|| Undecodable {
                    reason: "bytes that are not GBK/GB18030 text".to_owned(),
                    lossy: GB18030
                        .decode_without_bom_handling(bytes_of(&utf8))
                        .0
                        .into_owned(),
                });
                // The raw line's buffer is the next line's, UTF-8 or not.
                self.bytes = match utf8 {
                    Ok(raw) => raw.into_bytes(),
                    Err((raw, _)) => raw,
                };
                text
            }
            (_, Ok(text)) => Ok(text),
            (_, Err((raw, at))) => {
                let bad = Undecodable {
                    reason: format!("bytes that are not UTF-8 text at byte {}", at + 1),
                    lossy: String::from_utf8_lossy(&raw).into_owned(),
                };
                self.bytes = raw;
                Err(bad)
            }
        };
        Some(Line {
            number,
            offset,
            text,
            end: ended.end,
            too_long: ended.too_long,
            before,
        })
    }
}

/// How many of `bytes` are valid UTF-8 from the start: encoding_rs checks
/// with SIMD, several times faster than `str::from_utf8` on ideographs.
fn utf8_valid_up_to(bytes: &[u8]) -> usize {
    encoding_rs::Encoding::utf8_valid_up_to(bytes)
}

/// A line's bytes, whether they were UTF-8 or not.
fn bytes_of(line: &Result<String, (Vec<u8>, usize)>) -> &[u8] {
    match line {
        Ok(text) => text.as_bytes(),
        Err((raw, _)) => raw,
    }
}

/// Whole lines cut from a text stream by `TextRows::cut_chunk`, to be
/// parsed apart from it, on any thread, from where a row starts. That
/// holds when the chunk before ended its last row; when it left a quoted
/// field open at its end instead (`ChunkEnd::open`), this chunk is read
/// again after that row's lines (`ChunkEnd::then`), and what its first parse
/// gave is dropped. A row is thus read as a read of the whole stream reads
/// it, wherever the cuts fall.
pub struct Chunk {
    bytes: Vec<u8>,
    first_line: u32,
    /// The chunk ends the stream: a quote still open at its end is stray.
    last: bool,
    encoding: Option<Encoding>,
    delimiter: u8,
    limits: Limits,
    spare: Vec<csv::StringRecord>,
}

/// How parsing a chunk ended, besides its rows.
pub struct ChunkEnd {
    evidence: Evidence,
    encoding: Option<Encoding>,
    /// Blank lines after the chunk's last row.
    pub blank_lines: u32,
    /// A row left open at the end: where its first line starts in the
    /// chunk, and its number.
    open: Option<(usize, u32)>,
    /// The chunk itself, to be read again after such a row.
    chunk: Chunk,
}

impl ChunkEnd {
    /// Whether a row was left open at the end, for the next chunk to take.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

impl Chunk {
    /// The chunk's rows, and how it ended.
    pub fn parse(self) -> (Vec<Row>, ChunkEnd) {
        let Chunk {
            bytes,
            first_line,
            last,
            encoding,
            delimiter,
            limits,
            spare,
        } = self;
        let lines = Lines::<io::Empty>::whole(bytes, limits.max_line_bytes);
        let mut text = TextRows::of_lines(lines, delimiter, encoding, &limits);
        text.next_line = first_line;
        text.partial = !last;
        text.spare = spare;
        let rows: Vec<Row> = text.by_ref().collect();
        let end = ChunkEnd {
            evidence: text.evidence,
            encoding: text.encoding,
            blank_lines: text.trailing_blank_lines,
            open: text
                .open
                .map(|(offset, line)| (usize::try_from(offset).unwrap_or(usize::MAX), line)),
            chunk: Chunk {
                bytes: text.lines.buf,
                first_line,
                last,
                encoding,
                delimiter,
                limits,
                spare: Vec::new(),
            },
        };
        (rows, end)
    }

    /// The chunk once parsed, given back by how it ended.
    pub fn of(end: ChunkEnd) -> Chunk {
        end.chunk
    }
}

impl ChunkEnd {
    /// The chunk after this one, read on from the row this one left open:
    /// that row's lines, then the next chunk's; the next chunk alone when
    /// no row was left open.
    pub fn then(self, next: Chunk) -> Chunk {
        let Some(mut joined) = self.rest() else {
            return next;
        };
        joined.bytes.extend_from_slice(&next.bytes);
        joined.last = next.last;
        joined.encoding = joined.encoding.or(next.encoding);
        joined.spare = next.spare;
        joined
    }

    /// The lines of the row left open, as the end of the stream: for when
    /// no chunk follows (the stream broke after this one).
    pub fn rest(self) -> Option<Chunk> {
        let (offset, line) = self.open?;
        let mut bytes = self.chunk.bytes;
        bytes.drain(..offset.min(bytes.len()));
        Some(Chunk {
            bytes,
            first_line: line,
            last: true,
            encoding: self.encoding.or(self.chunk.encoding),
            ..self.chunk
        })
    }
}

/// A row being parsed across its lines.
struct Parse {
    cells: csv::StringRecord,
    field: String,
    in_quotes: bool,
    problem: Option<RowError>,
}

impl Parse {
    /// Parses one line into the row; true when the row ends with it.
    fn line(&mut self, text: &str, delimiter: u8, max_cell: usize) -> bool {
        let bytes = text.as_bytes();
        let mut at = 0;
        let mut field_start = !self.in_quotes && self.field.is_empty();
        loop {
            if self.in_quotes {
                match memchr::memchr(b'"', &bytes[at..]) {
                    None => {
                        self.push(&text[at..], max_cell);
                        return false;
                    }
                    Some(q) => {
                        self.push(&text[at..at + q], max_cell);
                        at += q + 1;
                        if bytes.get(at) == Some(&b'"') {
                            self.push("\"", max_cell);
                            at += 1;
                        } else {
                            self.in_quotes = false;
                        }
                    }
                }
                continue;
            }
            if field_start && bytes.get(at) == Some(&b'"') {
                self.in_quotes = true;
                field_start = false;
                at += 1;
                continue;
            }
            let (cell, ends) = match memchr::memchr(delimiter, &bytes[at..]) {
                Some(d) => (&text[at..at + d], false),
                None => (&text[at..], true),
            };
            if self.field.is_empty() && cell.len() <= max_cell {
                // Most fields: straight into the record, copied once.
                self.cells.push_field(cell);
            } else {
                self.push(cell, max_cell);
                self.end_field();
            }
            if ends {
                return true;
            }
            at += cell.len() + 1;
            field_start = true;
        }
    }

    fn push(&mut self, text: &str, max_cell: usize) {
        if self.field.len() + text.len() > max_cell {
            self.problem.get_or_insert_with(|| {
                RowError::new(
                    RejectKind::Limit,
                    None,
                    format!("a cell longer than `max_cell_bytes` ({max_cell}) in `[limits]`"),
                )
            });
            return;
        }
        self.field.push_str(text);
    }

    fn end_field(&mut self) {
        self.cells.push_field(&self.field);
        self.field.clear();
    }
}

/// Once exhausted, stays so: a reader may ask again, as the last wave does.
impl<R: Read> std::iter::FusedIterator for TextRows<R> {}

impl<R: Read> Iterator for TextRows<R> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.finished {
            return None;
        }
        let mut blank = 0;
        let first = loop {
            match self.next_line() {
                None => {
                    self.trailing_blank_lines = blank;
                    self.finished = true;
                    return None;
                }
                Some(line) if line.is_blank() => blank += 1,
                Some(line) => break line,
            }
        };
        let (bytes, fields) = self.last_size;
        let mut parse = Parse {
            cells: match self.spare.pop() {
                Some(mut cells) => {
                    cells.clear();
                    cells
                }
                None => csv::StringRecord::with_capacity(bytes, fields),
            },
            field: String::new(),
            in_quotes: false,
            problem: None,
        };
        // A line cut at `max_line_bytes` ends its row: what a quote in it
        // would have spanned is unknowable.
        let mut complete = self.feed(&mut parse, &first) || first.too_long;
        let mut last_end = first.end;
        let mut held: Vec<Line> = Vec::new();
        let mut ran_out = false;
        while !complete {
            // An open quote: the field goes on with the line's end.
            parse.push(last_end.text(), self.limits.max_cell_bytes);
            if held.len() >= self.limits.max_quoted_lines as usize {
                break;
            }
            let Some(next) = self.next_line() else {
                ran_out = true;
                break;
            };
            complete = self.feed(&mut parse, &next);
            last_end = next.end;
            held.push(next);
        }
        if !complete && ran_out && self.partial {
            // The quote may close in the lines after the chunk: the row is
            // read again from its first line with them, and what its lines
            // said of the encoding is said again then. Some of them may
            // have been counted before this row began, read ahead after a
            // stray quote.
            (self.evidence, self.encoding) = first.before;
            self.open = Some((first.offset, first.number));
            self.trailing_blank_lines = blank;
            self.finished = true;
            return None;
        }
        if !complete {
            // Never closed: the quote on the first line was stray. Only that
            // line is rejected; the lines after it are read again as rows.
            for line in held.into_iter().rev() {
                self.pending.push_front(line);
            }
            let mut cells = csv::StringRecord::new();
            if let Ok(text) = &first.text {
                text.split(char::from(self.delimiter))
                    .for_each(|cell| cells.push_field(cell));
            }
            return Some(Row {
                line: first.number,
                blank_lines_before: blank,
                cells,
                problem: Some(RowError::new(
                    RejectKind::UnclosedQuote,
                    None,
                    format!(
                        "a quote opened on this line is not closed within `max_quoted_lines` ({}) in `[limits]`, or not at all; only this line is rejected",
                        self.limits.max_quoted_lines
                    ),
                )),
            });
        }
        self.last_size = (
            parse.cells.as_byte_record().as_slice().len(),
            parse.cells.len(),
        );
        let line = first.number;
        self.recycle(first);
        Some(Row {
            line,
            blank_lines_before: blank,
            cells: parse.cells,
            problem: parse.problem,
        })
    }
}

impl<R: Read> TextRows<R> {
    /// Keeps a parsed line's text as the buffer the next line is read into.
    fn recycle(&mut self, line: Line) {
        if let Ok(text) = line.text {
            if text.capacity() > self.bytes.capacity() {
                self.bytes = text.into_bytes();
            }
        }
    }

    /// Parses one line into the row, noting a line past the limit or not in
    /// the file's encoding; true when the row ends with it.
    fn feed(&self, parse: &mut Parse, line: &Line) -> bool {
        if line.too_long {
            parse.problem.get_or_insert_with(|| {
                RowError::new(
                    RejectKind::Limit,
                    None,
                    format!(
                        "a line longer than `max_line_bytes` ({}) in `[limits]`",
                        self.limits.max_line_bytes
                    ),
                )
            });
        }
        match &line.text {
            Ok(text) => parse.line(text, self.delimiter, self.limits.max_cell_bytes),
            Err(bad) => {
                parse.problem.get_or_insert_with(|| {
                    RowError::new(RejectKind::Encoding, None, bad.reason.clone())
                });
                // The row ends here unless a quote is open, whatever the
                // line's quotes are: the line is parsed only to show it in
                // the reject, as far as its lossy text shows it.
                if parse.in_quotes {
                    parse.push(&bad.lossy, self.limits.max_cell_bytes);
                    return false;
                }
                if !parse.line(&bad.lossy, self.delimiter, self.limits.max_cell_bytes) {
                    parse.in_quotes = false;
                    parse.end_field();
                }
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u32, u32, Vec<String>)> {
        TextRows::new(
            text.as_bytes(),
            b',',
            Some(Encoding::Utf8),
            &Limits::default(),
        )
        .map(|r| {
            (
                r.line,
                r.blank_lines_before,
                r.cells.iter().map(str::to_owned).collect(),
            )
        })
        .collect()
    }

    #[test]
    fn lines_are_counted_for_every_line_ending() {
        let text = "title\r\n\r\na,b\rc,d\n\n\"x\ny\",z\r\ne,f";
        let got = rows(text);
        let lines: Vec<(u32, u32)> = got.iter().map(|(l, b, _)| (*l, *b)).collect();
        assert_eq!(lines, vec![(1, 0), (3, 1), (4, 0), (6, 1), (8, 0)]);
        assert_eq!(got[3].2, vec!["x\ny".to_owned(), "z".to_owned()]);
    }

    /// Hands out its bytes a few at a time, as a slow stream would.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_do_not_depend_on_how_the_stream_is_cut(
            text in "[a,\"\r\n]{0,40}",
            step in 1usize..4,
        ) {
            let whole = rows(&text);
            let cut: Vec<_> = TextRows::new(Trickle(text.as_bytes(), step), b',', Some(Encoding::Utf8), &Limits::default())
                .map(|r| (r.line, r.blank_lines_before, r.cells.iter().map(str::to_owned).collect::<Vec<_>>()))
                .collect();
            proptest::prop_assert_eq!(whole, cut);
        }
    }

    proptest::proptest! {
        /// The SIMD check finds the first bad byte where the standard
        /// library does: text of any script with bytes cut out or put in.
        #[test]
        fn a_line_is_utf8_up_to_where_std_says(
            text in "\\PC{0,24}",
            cut in 0usize..80,
            noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3),
        ) {
            let mut bytes = text.into_bytes();
            let at = cut.min(bytes.len());
            bytes.splice(at..at, noise);
            let std = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
            proptest::prop_assert_eq!(utf8_valid_up_to(&bytes), std);
        }
    }

    /// A row as the tests compare it: its line, cells and problem.
    type Seen = (u32, Vec<String>, Option<(RejectKind, String)>);

    fn seen(row: &Row) -> Seen {
        (
            row.line,
            row.cells.iter().map(str::to_owned).collect(),
            row.problem.as_ref().map(|p| (p.kind, p.detail.clone())),
        )
    }

    /// A whole read of `text`: its rows, its blank lines, its verdict.
    fn serial(
        text: &[u8],
        encoding: Option<Encoding>,
        limits: &Limits,
    ) -> (Vec<Seen>, u64, Verdict) {
        let mut rows = TextRows::new(text, b',', encoding, limits);
        let mut blank = 0;
        let seen = rows
            .by_ref()
            .inspect(|row| blank += u64::from(row.blank_lines_before))
            .map(|row| seen(&row))
            .collect();
        rows.drain();
        (
            seen,
            blank + u64::from(rows.trailing_blank_lines),
            rows.verdict(),
        )
    }

    /// `text` read as a table is read in chunks: its first `head` rows one
    /// by one, then chunks of about `size` bytes, parsed ahead apart (as
    /// threads would), then taken in order, a chunk after an open row read
    /// again.
    fn chunked(
        text: &[u8],
        encoding: Option<Encoding>,
        limits: &Limits,
        head: usize,
        size: usize,
    ) -> (Vec<Seen>, u64, Verdict) {
        let mut rows = TextRows::new(text, b',', encoding, limits).with_chunks(size);
        let mut blank = 0;
        let mut out: Vec<Seen> = Vec::new();
        for row in rows.by_ref().take(head) {
            blank += u64::from(row.blank_lines_before);
            out.push(seen(&row));
        }
        // Three chunks parsed ahead of the one taken, their buffers used
        // again once taken.
        let mut parsed = VecDeque::new();
        let mut open: Option<ChunkEnd> = None;
        loop {
            while parsed.len() < 3 {
                let Some(chunk) = rows.cut_chunk() else {
                    break;
                };
                parsed.push_back(chunk.parse());
            }
            let Some((mut got, mut end)) = parsed.pop_front() else {
                break;
            };
            if let Some(before) = open.take() {
                (got, end) = before.then(Chunk::of(end)).parse();
            }
            rows.absorb(&end);
            blank += u64::from(end.blank_lines);
            for row in &got {
                blank += u64::from(row.blank_lines_before);
                out.push(seen(row));
            }
            match end.is_open() {
                true => open = Some(end),
                false => rows.reuse(Chunk::of(end)),
            }
        }
        assert!(open.is_none(), "the last chunk leaves no row open");
        for row in rows.by_ref() {
            blank += u64::from(row.blank_lines_before);
            out.push(seen(&row));
        }
        rows.drain();
        (
            out,
            blank + u64::from(rows.trailing_blank_lines),
            rows.verdict(),
        )
    }

    /// What a read gives once a wrong choice of encoding is read again in
    /// the whole stream's, as `read_text` does. Chunks choose their own
    /// when none was chosen before them, and may be read again where a
    /// whole read was not; the rows that stand are the same.
    fn settled(
        encoding: Option<Encoding>,
        once: impl Fn(Option<Encoding>) -> (Vec<Seen>, u64, Verdict),
    ) -> (Vec<Seen>, u64, Verdict) {
        let mut read = once(encoding);
        if let Verdict::ReadAgainAs(whole) = read.2 {
            read = once(Some(whole));
            if let Verdict::ReadAgainAs(_) = read.2 {
                read.2 = Verdict::Read(whole);
            }
        }
        match read.2 {
            // Nothing of an unreadable file counts.
            Verdict::Unreadable(_) => (Vec::new(), 0, read.2),
            _ => read,
        }
    }

    /// Bytes of a text table from pieces that stress the cuts: quotes, the
    /// three line ends, a delimiter, non-ASCII text and a byte that is not.
    fn table_bytes(pieces: &[usize]) -> Vec<u8> {
        const PIECES: [&[u8]; 9] = [
            b"a",
            b",",
            b"\"",
            b"\r",
            b"\n",
            b"\r\n",
            "\u{5e7f}".as_bytes(),
            b"\xff",
            b"bb",
        ];
        pieces
            .iter()
            .flat_map(|&p| PIECES[p % PIECES.len()])
            .copied()
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn rows_do_not_depend_on_where_chunks_are_cut(
            pieces in proptest::collection::vec(0usize..9, 0..80),
            head in 0usize..3,
            size in 1usize..24,
            choose in proptest::bool::ANY,
        ) {
            let text = table_bytes(&pieces);
            let limits = Limits {
                max_cell_bytes: 6,
                max_line_bytes: 9,
                max_quoted_lines: 3,
                ..Limits::default()
            };
            let encoding = (!choose).then_some(Encoding::Utf8);
            proptest::prop_assert_eq!(
                settled(encoding, |e| chunked(&text, e, &limits, head, size)),
                settled(encoding, |e| serial(&text, e, &limits))
            );
        }
    }

    /// A row left open at a chunk's end, whose first line had been read
    /// ahead after a stray quote: its lines say what they say of the
    /// encoding once. Counted twice, nine non-ASCII lines with one bad
    /// passed as ten, and the file was read where a whole read refuses it.
    #[test]
    fn lines_read_again_are_counted_once() {
        let pieces = [
            6, 3, 6, 1, 2, 3, 3, 0, 2, 1, 2, 3, 6, 3, 7, 3, 0, 0, 6, 3, 6, 3, 6, 3, 6, 3, 6,
        ];
        let text = table_bytes(&pieces);
        let limits = Limits {
            max_cell_bytes: 6,
            max_line_bytes: 9,
            max_quoted_lines: 3,
            ..Limits::default()
        };
        let encoding = Some(Encoding::Utf8);
        let whole = serial(&text, encoding, &limits);
        assert!(matches!(whole.2, Verdict::Unreadable(_)), "{whole:?}");
        for size in 1..text.len() + 2 {
            assert_eq!(
                chunked(&text, encoding, &limits, 0, size).2,
                whole.2,
                "cut every {size} bytes"
            );
        }
    }

    #[test]
    fn a_quoted_field_across_a_cut_is_read_whole() {
        let text = "id,name\n1,\"a\nb\nc\"\n2,x\n3,\"open\n4,y\n5,z\n";
        let limits = Limits::default();
        for size in 1..text.len() + 2 {
            let (got, _, _) = chunked(text.as_bytes(), Some(Encoding::Utf8), &limits, 1, size);
            assert_eq!(
                got,
                serial(text.as_bytes(), Some(Encoding::Utf8), &limits).0,
                "cut every {size} bytes"
            );
            assert_eq!(got[1].1, vec!["1".to_owned(), "a\nb\nc".to_owned()]);
        }
    }

    #[test]
    fn trailing_blank_lines_are_counted() {
        let mut it = TextRows::new(
            &b"a,b\n\n\n"[..],
            b',',
            Some(Encoding::Utf8),
            &Limits::default(),
        );
        assert_eq!(it.by_ref().count(), 1);
        assert_eq!(it.trailing_blank_lines, 2);
        assert!(it.next().is_none());
        assert_eq!(it.trailing_blank_lines, 2, "asking again keeps the count");
    }

    /// The encoding a whole read of `bytes` settles on.
    fn detected(bytes: &[u8]) -> Result<Encoding, String> {
        if let Some(utf16 @ (Encoding::Utf16Le | Encoding::Utf16Be)) = bom(bytes) {
            return Ok(utf16);
        }
        let mut rows = TextRows::new(bytes, b',', bom(bytes), &Limits::default());
        rows.drain();
        match rows.verdict() {
            Verdict::Read(encoding) | Verdict::ReadAgainAs(encoding) => Ok(encoding),
            Verdict::Unreadable(reason) => Err(reason),
        }
    }

    fn text(bytes: &[u8]) -> String {
        let encoding = detected(bytes).expect("detected");
        let mut text = String::new();
        decoded(Box::new(bytes), encoding)
            .read_to_string(&mut text)
            .expect("decodes");
        text
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(detected("名称".as_bytes()), Ok(Encoding::Utf8));
        assert_eq!(detected(b"\xEF\xBB\xBFa"), Ok(Encoding::Utf8Bom));
        assert_eq!(text(b"\xEF\xBB\xBFa"), "a");
        let (gbk, _, _) = encoding_rs::GBK.encode("广东省公安厅");
        assert_eq!(detected(&gbk), Ok(Encoding::Gb18030));
        assert_eq!(text(&gbk), "广东省公安厅");
        assert_eq!(detected(b"\xFF\xFEa\x00"), Ok(Encoding::Utf16Le));
        assert!(detected(b"\x00\x01\xFF\xFF\x80").is_err());
    }

    #[test]
    fn the_encoding_is_chosen_from_the_first_lines_and_checked_against_the_whole() {
        let (gbk, _, _) = encoding_rs::GBK.encode("广东省公安厅,深圳\n");
        // GBK from the first line: read as GB18030 in one pass.
        let text = [b"id,name\n".as_slice(), &gbk.repeat(300)].concat();
        let mut rows = TextRows::new(&text[..], b',', None, &Limits::default());
        assert_eq!(rows.nth(1).unwrap().cells.get(0), Some("广东省公安厅"));
        rows.drain();
        assert_eq!(rows.verdict(), Verdict::Read(Encoding::Gb18030));
        // 300 UTF-8 lines, then 5,000 GBK ones: the first lines chose UTF-8,
        // the whole file is GB18030, and says it must be read again.
        let utf8 = "广东省公安厅,深圳\n".repeat(300);
        let text = [utf8.as_bytes(), &gbk.repeat(5000)].concat();
        let mut rows = TextRows::new(&text[..], b',', None, &Limits::default());
        let rejected = rows.by_ref().filter(|r| r.problem.is_some()).count();
        assert_eq!(rejected, 5000, "read as UTF-8, the GBK lines fail");
        assert_eq!(rows.verdict(), Verdict::ReadAgainAs(Encoding::Gb18030));
        // All ASCII: nothing to choose.
        let mut rows = TextRows::new(&b"a,b\n1,2\n"[..], b',', None, &Limits::default());
        rows.drain();
        assert_eq!(rows.verdict(), Verdict::Read(Encoding::Utf8));
    }

    #[test]
    fn a_line_not_in_the_files_encoding_is_a_row_with_a_problem_and_no_more() {
        // A UTF-8 file with a byte-order mark, one line cut inside a
        // character: that row names the first bad byte, and the rows
        // around it read as usual.
        let mut text = b"\xEF\xBB\xBFid,name\n".to_vec();
        text.extend("1,深圳发布\n".repeat(300).as_bytes());
        text.extend(b"2,\xE6\xB7\n");
        text.extend("3,广州公安\n".as_bytes());
        let rows: Vec<Row> =
            TextRows::new(&text[..], b',', bom(&text), &Limits::default()).collect();
        assert_eq!(rows.len(), 303);
        assert_eq!(
            rows[0].cells.get(0),
            Some("id"),
            "the byte-order mark is not text"
        );
        let bad = &rows[301];
        assert_eq!(bad.line, 302);
        let problem = bad.problem.as_ref().expect("the bad line is a problem");
        assert_eq!(problem.kind, RejectKind::Encoding);
        assert_eq!(problem.detail, "bytes that are not UTF-8 text at byte 3");
        assert_eq!(
            bad.cells.iter().collect::<Vec<_>>(),
            ["2", "\u{FFFD}"],
            "the cells as far as they show"
        );
        assert!(rows
            .iter()
            .enumerate()
            .all(|(i, r)| (i == 301) == r.problem.is_some()));
        assert_eq!(rows[302].cells.get(1), Some("广州公安"));
    }

    #[test]
    fn an_undecodable_line_keeps_its_rows_boundaries_and_shows_its_cells() {
        let cells = |text: &[u8], encoding| {
            TextRows::new(text, b',', Some(encoding), &Limits::default())
                .map(|r| {
                    let cells: Vec<String> = r.cells.iter().map(str::to_owned).collect();
                    (r.line, cells, r.problem.map(|p| p.kind))
                })
                .collect::<Vec<_>>()
        };
        let bad = Some(RejectKind::Encoding);
        let owned = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        // Quotes and delimiters in a bad line split it as in a good one.
        assert_eq!(
            cells(b"1,\"a,\xff\",x\n2,y\n", Encoding::Utf8),
            [
                (1, owned(&["1", "a,\u{FFFD}", "x"]), bad),
                (2, owned(&["2", "y"]), None)
            ]
        );
        // A quote it opens and never closes ends the row with the line, as
        // a bad line always did.
        assert_eq!(
            cells(b"1,\"a\xff\n2,y\n", Encoding::Utf8),
            [
                (1, owned(&["1", "a\u{FFFD}"]), bad),
                (2, owned(&["2", "y"]), None)
            ]
        );
        // Inside a quoted field the bad line is part of the field, and the
        // row goes on to the quote's end.
        assert_eq!(
            cells(b"1,\"a\n\xff\"\nb\",x\n2,y\n", Encoding::Utf8),
            [
                (1, owned(&["1", "a\n\u{FFFD}\"\nb", "x"]), bad),
                (4, owned(&["2", "y"]), None)
            ]
        );
        // GB18030: a lead byte before a delimiter is bad alone; the
        // delimiter stays one.
        assert_eq!(
            cells(b"\xB9\xE3,\x81,x\n", Encoding::Gb18030),
            [(1, owned(&["广", "\u{FFFD}", "x"]), bad)]
        );
    }

    #[test]
    fn a_stream_past_its_limit_or_broken_is_unreadable() {
        let text = "a,b\n".repeat(100);
        let mut rows =
            TextRows::new(text.as_bytes(), b',', None, &Limits::default()).with_max_bytes(Some(50));
        rows.drain();
        assert!(
            matches!(rows.verdict(), Verdict::Unreadable(r) if r.contains("max_decompressed_bytes"))
        );
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        let mut rows = TextRows::new(Broken, b',', None, &Limits::default());
        assert!(rows.next().is_none());
        assert!(matches!(rows.verdict(), Verdict::Unreadable(r) if r.contains("disk gone")));
    }

    #[test]
    fn delimiters_are_sniffed_from_the_head() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称;省份\n广东;深圳\n");
        assert_eq!(sniff_head(&gbk), b';');
        assert_eq!(sniff_head("\u{feff}名称\t省份\n1\t2\n".as_bytes()), b'\t');
        // Cut inside a character.
        assert_eq!(sniff_head(&"名称|省份\n广东|深".as_bytes()[..20]), b'|');
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("标题\na\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b\n1;2\n"), b';');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3"), b'|');
        assert_eq!(sniff_delimiter("a,b\n1,2"), b',');
    }
}
