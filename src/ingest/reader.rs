//! Reading one text table: bytes in, rows with their line numbers out.
//!
//! This is the one place where formats and encodings are told apart. Lines
//! are counted here, not by the csv crate (which counts only `\n`): `\n`,
//! `\r\n` and a lone `\r` each end one line, and a row's line is the line on
//! which it starts, so quoted fields with line breaks keep later rows right.

use std::collections::VecDeque;
use std::io::{self, Read};

use encoding_rs::GB18030;

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

/// Opens a fresh stream of a file's (decompressed) bytes; detection reads it
/// once and parsing once more, so neither holds the whole file.
pub type Opener<'a> = dyn Fn() -> io::Result<Box<dyn Read + Send + 'a>> + 'a;

/// Detects a stream's encoding as `decode` does, reading it to the end
/// without keeping it: a BOM decides; otherwise the whole stream must be
/// UTF-8, else GB18030 without a malformed sequence or a NUL.
pub fn detect(open: &Opener<'_>) -> Result<Encoding, String> {
    let io_error = |e: io::Error| format!("cannot be read: {e}");
    let mut stream = open().map_err(io_error)?;
    let mut head = [0u8; 3];
    let got = read_up_to(&mut stream, &mut head).map_err(io_error)?;
    let encoding = match &head[..got] {
        [0xFF, 0xFE, ..] => Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => Encoding::Utf16Be,
        [0xEF, 0xBB, 0xBF] => {
            return match is_utf8(&mut stream).map_err(io_error)? {
                true => Ok(Encoding::Utf8Bom),
                false => Err("invalid UTF-8 after a UTF-8 byte-order mark".to_owned()),
            }
        }
        _ => Encoding::Utf8,
    };
    if encoding != Encoding::Utf8 {
        std::io::copy(&mut stream, &mut io::sink()).map_err(io_error)?;
        return Ok(encoding);
    }
    if is_utf8(&mut (&head[..got]).chain(stream)).map_err(io_error)? {
        return Ok(Encoding::Utf8);
    }
    match is_gb18030(open().map_err(io_error)?).map_err(io_error)? {
        true => Ok(Encoding::Gb18030),
        false => Err("neither UTF-8 nor GBK/GB18030 text (binary or corrupt bytes)".to_owned()),
    }
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

/// Whether a stream is valid UTF-8, chunk by chunk.
fn is_utf8(stream: &mut dyn Read) -> io::Result<bool> {
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0;
    loop {
        let n = stream.read(&mut buf[carry..])?;
        if n == 0 {
            return Ok(carry == 0);
        }
        let len = carry + n;
        carry = match std::str::from_utf8(&buf[..len]) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_some() => return Ok(false),
            Err(e) => {
                // A sequence cut by the chunk's end: keep it for the next.
                buf.copy_within(e.valid_up_to()..len, 0);
                len - e.valid_up_to()
            }
        };
    }
}

/// Whether a stream is GB18030 without malformed sequences or NULs.
fn is_gb18030(mut stream: Box<dyn Read + Send + '_>) -> io::Result<bool> {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut buf = vec![0u8; 1 << 16];
    let mut text = String::new();
    loop {
        let n = stream.read(&mut buf)?;
        let last = n == 0;
        text.clear();
        text.reserve(
            decoder
                .max_utf8_buffer_length_without_replacement(n)
                .unwrap_or(4 * n + 16),
        );
        let (result, _) = decoder.decode_to_string_without_replacement(&buf[..n], &mut text, last);
        if matches!(result, encoding_rs::DecoderResult::Malformed(..)) || text.contains('\0') {
            return Ok(false);
        }
        if last {
            return Ok(true);
        }
    }
}

/// The stream as UTF-8 bytes, without a byte-order mark.
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

/// The delimiter of a stream of UTF-8 bytes, from its first 64 KiB.
pub fn sniff_stream(stream: Box<dyn Read + Send + '_>) -> io::Result<u8> {
    let mut head = Vec::with_capacity(1 << 16);
    stream.take(1 << 16).read_to_end(&mut head)?;
    Ok(sniff_delimiter(&String::from_utf8_lossy(&head)))
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

/// Line ends seen in a stream, as byte spans: `\r\n` is one span.
type Spans = VecDeque<(u64, u64)>;

/// Passes bytes through to the csv parser, noting every line end, so that
/// rows get their lines without the text being held.
struct LineCounter<R> {
    inner: R,
    offset: u64,
    /// A `\r` whose span waits for the next byte (`\r\n` or a lone `\r`).
    pending_cr: Option<u64>,
    spans: Spans,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let spans = &mut self.spans;
        if n == 0 {
            if let Some(cr) = self.pending_cr.take() {
                spans.push_back((cr, cr + 1));
            }
            return Ok(0);
        }
        let data = &buf[..n];
        // A `\r` that ended the last read pairs with a `\n` that starts this one.
        let mut next = 0;
        if let Some(cr) = self.pending_cr.take() {
            if data[0] == b'\n' {
                spans.push_back((cr, cr + 2));
                next = 1;
            } else {
                spans.push_back((cr, cr + 1));
            }
        }
        // Jumps from line end to line end (memchr), not byte by byte.
        while let Some(found) = memchr::memchr2(b'\r', b'\n', &data[next..]) {
            let i = next + found;
            let at = self.offset + i as u64;
            next = i + 1;
            match (data[i], data.get(i + 1)) {
                (b'\n', _) => spans.push_back((at, at + 1)),
                (_, Some(b'\n')) => {
                    spans.push_back((at, at + 2));
                    next = i + 2;
                }
                (_, Some(_)) => spans.push_back((at, at + 1)),
                (_, None) => self.pending_cr = Some(at),
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// The rows of a delimited text stream, in order.
pub struct TextRows<R: Read> {
    /// The parser, over a counter that keeps the line ends it has passed.
    reader: csv::Reader<LineCounter<R>>,
    /// Where the last row ended, and the line there.
    cursor: u64,
    line: u32,
    /// The last row's own line end has not been seen yet.
    need_terminator: bool,
    /// Trailing blank lines after the last row, known once exhausted.
    pub trailing_blank_lines: u32,
    /// Exhausted: later calls return `None` and keep the count above.
    finished: bool,
    /// The last row's bytes and fields: the next row's cells are allocated
    /// at that size, instead of growing from nothing.
    last_size: (usize, usize),
}

impl<R: Read> TextRows<R> {
    pub fn new(stream: R, delimiter: u8) -> TextRows<R> {
        let counter = LineCounter {
            inner: stream,
            offset: 0,
            pending_cr: None,
            spans: Spans::new(),
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(counter);
        TextRows {
            reader,
            cursor: 0,
            line: 1,
            need_terminator: false,
            trailing_blank_lines: 0,
            finished: false,
            last_size: (0, 0),
        }
    }

    /// Passes the line ends before the next row: the rest of the last row's
    /// end, then blank lines. Returns how many blank lines there were.
    fn skip_to_next_row(&mut self) -> u32 {
        let spans = &mut self.reader.get_mut().spans;
        while let Some(&(_, end)) = spans.front().filter(|(start, _)| *start < self.cursor) {
            spans.pop_front();
            self.line += 1;
            self.cursor = self.cursor.max(end);
            self.need_terminator = false;
        }
        let mut blank = 0;
        while let Some(&(_, end)) = spans.front().filter(|(start, _)| *start == self.cursor) {
            spans.pop_front();
            self.line += 1;
            self.cursor = end;
            if std::mem::take(&mut self.need_terminator) {
                continue;
            }
            blank += 1;
        }
        blank
    }

    /// Passes the line ends inside the row just read, up to `end`.
    fn pass_row(&mut self, end: u64) {
        let spans = &mut self.reader.get_mut().spans;
        self.need_terminator = true;
        while let Some(&(_, span_end)) = spans.front().filter(|(start, _)| *start < end) {
            spans.pop_front();
            self.line += 1;
            if span_end >= end {
                self.need_terminator = false;
            }
            self.cursor = self.cursor.max(span_end);
        }
        self.cursor = self.cursor.max(end);
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
        let (bytes, fields) = self.last_size;
        let mut cells = csv::StringRecord::with_capacity(bytes, fields);
        // The csv crate skips empty lines silently and tolerates bad quoting;
        // the stream is UTF-8 by now, so it fails only on I/O (a file changed
        // since its encoding was checked), which ends the table.
        let read = self.reader.read_record(&mut cells).unwrap_or_else(|error| {
            tracing::warn!("stopped reading a table at line {}: {error}", self.line);
            false
        });
        let blank = self.skip_to_next_row();
        if !read {
            self.trailing_blank_lines = blank;
            self.finished = true;
            return None;
        }
        self.last_size = (cells.as_byte_record().as_slice().len(), cells.len());
        let row = Row {
            line: self.line,
            blank_lines_before: blank,
            cells,
            problem: None,
        };
        self.pass_row(self.reader.position().byte());
        Some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u32, u32, Vec<String>)> {
        TextRows::new(text.as_bytes(), b',')
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
            let cut: Vec<_> = TextRows::new(Trickle(text.as_bytes(), step), b',')
                .map(|r| (r.line, r.blank_lines_before, r.cells.iter().map(str::to_owned).collect::<Vec<_>>()))
                .collect();
            proptest::prop_assert_eq!(whole, cut);
        }
    }

    #[test]
    fn trailing_blank_lines_are_counted() {
        let mut it = TextRows::new(&b"a,b\n\n\n"[..], b',');
        assert_eq!(it.by_ref().count(), 1);
        assert_eq!(it.trailing_blank_lines, 2);
        assert!(it.next().is_none());
        assert_eq!(it.trailing_blank_lines, 2, "asking again keeps the count");
    }

    fn detected(bytes: &[u8]) -> Result<Encoding, String> {
        let open = || -> io::Result<Box<dyn Read + Send + '_>> { Ok(Box::new(bytes)) };
        detect(&open)
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
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("标题\na\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b\n1;2\n"), b';');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3"), b'|');
        assert_eq!(sniff_delimiter("a,b\n1,2"), b',');
    }
}
