//! The text of a period's records, each distinct string stored once.
//!
//! Names, entities and places repeat across the sources of a period (an
//! account is listed by the platform and by its province; a city is named by
//! thousands of records), so records hold a 4-byte `Sym` instead of owned
//! strings. Each file is read with its own `Interner`; the period's tables
//! are then merged and sorted, so that once `Strings::sorted` has run, the
//! order of symbols is the order of their strings, and dedup can sort and
//! group records by content with integer comparisons.

use std::hash::BuildHasher;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use hashbrown::{DefaultHashBuilder, HashTable};
use rayon::prelude::*;

/// A string of a period's `Strings`. `Option<Sym>` takes 4 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(NonZeroU32);

impl Sym {
    fn new(index: usize) -> Sym {
        let index = u32::try_from(index + 1).expect("fewer than 2^32 distinct strings");
        Sym(NonZeroU32::new(index).expect("index + 1 is not 0"))
    }

    /// The symbol at a position, for tests that need symbols without text.
    #[cfg(test)]
    pub(crate) fn at(index: usize) -> Sym {
        Sym::new(index)
    }

    /// Position in its table: dense, from 0.
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// The most text, lengths included, one table holds: where each string
/// starts is a `u32`.
pub const MAX_TEXT: usize = u32::MAX as usize;

/// Bytes of text `Strings::concat` copies between two takebacks of the
/// freed tables: at 8M rows, about 550 MB of text in nine waves.
const CONCAT_WAVE: usize = 64 << 20;

/// Distinct strings, stored end to end, each after its length: a table
/// holds 4 bytes a string where it is (a start and an end took 8), and
/// the length, one byte for a string under 128 bytes, lies in the cache
/// line of the text it comes before.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    /// Each string as its length in LEB128 (7 bits a byte, low first, the
    /// top bit set on all but the last byte), then its UTF-8 bytes.
    text: Vec<u8>,
    /// Where each string's length starts in `text`.
    starts: Vec<u32>,
}

impl Strings {
    pub fn get(&self, sym: Sym) -> &str {
        self.text_of(self.starts[sym.index()])
    }

    /// The string whose length starts at `start`.
    fn text_of(&self, start: u32) -> &str {
        let (len, at) = read_len(&self.text, start as usize);
        let bytes = &self.text[at..at + len];
        // SAFETY: `starts` holds only where `push` wrote a length, and
        // after each length `push` wrote the bytes of a `&str` of that
        // length; `concat` and `sorted` move whole strings and their
        // starts together. So `bytes` is a whole `str`, valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// The symbol of `text`, if the table holds it: a binary search, so
    /// the table must be sorted (`Strings::sorted`).
    pub fn find(&self, text: &str) -> Option<Sym> {
        let at = self
            .starts
            .partition_point(|&start| self.text_of(start) < text);
        let found = self
            .starts
            .get(at)
            .is_some_and(|&start| self.text_of(start) == text);
        found.then(|| Sym::new(at))
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The bytes of its text, lengths included.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    fn push(&mut self, s: &str) -> Sym {
        let start = u32::try_from(self.text.len()).expect("under 4 GiB of distinct text");
        write_len(&mut self.text, s.len());
        self.text.extend_from_slice(s.as_bytes());
        u32::try_from(self.text.len()).expect("under 4 GiB of distinct text");
        self.starts.push(start);
        Sym::new(self.starts.len() - 1)
    }

    /// Where the string of `sym` starts in `text`, after its length, and
    /// its length.
    fn body(&self, sym: Sym) -> (usize, usize) {
        let (len, at) = read_len(&self.text, self.starts[sym.index()] as usize);
        (at, len)
    }

    /// The strings of several tables, one after the other: the symbols of
    /// the second table follow the first's, and so on. Strings may repeat.
    /// The tables are copied on all threads, each to its place (on one,
    /// the copy of 137 MB of text at 2M rows took 0.14 s, mostly first
    /// touches of the new pages), `CONCAT_WAVE` bytes of them at a time:
    /// after each wave, every thread takes back the tables freed in its
    /// memory (`parallel::release_freed`), so that the new text and the
    /// old are never both held whole.
    pub fn concat(tables: Vec<Strings>) -> Strings {
        Self::concat_in_waves(tables, CONCAT_WAVE)
    }

    fn concat_in_waves(tables: Vec<Strings>, wave_bytes: usize) -> Strings {
        let text_len: usize = tables.iter().map(|t| t.text.len()).sum();
        let count: usize = tables.iter().map(Strings::len).sum();
        assert!(
            text_len <= MAX_TEXT,
            "callers check the text fits (`merge_batches`)"
        );
        // Neither is zeroed: memory the allocator had used before would be
        // written whole at once, beside the tables still held.
        let mut text: Vec<u8> = Vec::with_capacity(text_len);
        let mut starts: Vec<u32> = Vec::with_capacity(count);
        // Each table with its places in `text` and `starts`, and where its
        // text starts.
        let mut places = Vec::with_capacity(tables.len());
        let mut text_free = &mut text.spare_capacity_mut()[..text_len];
        let mut starts_free = &mut starts.spare_capacity_mut()[..count];
        let mut base = 0;
        for table in tables {
            let (text_to, rest) = std::mem::take(&mut text_free).split_at_mut(table.text.len());
            text_free = rest;
            let (starts_to, rest) = std::mem::take(&mut starts_free).split_at_mut(table.len());
            starts_free = rest;
            let at = base;
            base += text_to.len() as u32;
            places.push((table, text_to, starts_to, at));
        }
        let mut places = places.into_iter();
        loop {
            // The next tables, until they hold `wave_bytes` of text.
            let (mut wave, mut bytes) = (Vec::new(), 0);
            while bytes < wave_bytes {
                let Some(place) = places.next() else { break };
                bytes += place.0.text.len();
                wave.push(place);
            }
            if wave.is_empty() {
                break;
            }
            // Each table is copied to its places, and dropped.
            wave.into_par_iter()
                .for_each(|(table, text_to, starts_to, base)| {
                    for (slot, &byte) in text_to.iter_mut().zip(&table.text) {
                        slot.write(byte);
                    }
                    for (slot, &start) in starts_to.iter_mut().zip(&table.starts) {
                        slot.write(base + start);
                    }
                });
            if places.len() > 0 {
                crate::parallel::release_freed();
            }
        }
        // SAFETY: the places cut the first `text_len` bytes of `text` and
        // the first `count` slots of `starts` into consecutive pieces, one
        // for each table and as long as its text and its starts, and every
        // piece was written whole above.
        unsafe {
            text.set_len(text_len);
            starts.set_len(count);
        }
        Strings { text, starts }
    }

    /// The distinct strings, with symbols in ascending order of their text,
    /// and for each old symbol its new one: equal strings get the same. The
    /// text itself is not moved.
    pub fn sorted(self) -> (Strings, Vec<Sym>) {
        self.sorted_in_parts(PART)
    }

    /// `sorted`, a part of the strings at a time: each part holds the
    /// strings whose first chunks lie in a range, and the parts follow one
    /// another in the order of their ranges, so that only one part's
    /// 16-byte sort entries are held at once (for all 31M strings of the
    /// 8M-row benchmark they took 470 MB). Once a part is numbered, each of
    /// its strings' old starts is overwritten with its new symbol: the old
    /// starts become the renaming, and are never held beside it.
    fn sorted_in_parts(mut self, part_size: usize) -> (Strings, Vec<Sym>) {
        let n = self.len();
        let splitters = self.splitters(n.div_ceil(part_size).clamp(1, 256));
        // Each string's part, when there is more than one.
        let part_of: Vec<u8> = match splitters.is_empty() {
            true => Vec::new(),
            false => (0..n)
                .into_par_iter()
                .map(|i| splitters.partition_point(|&s| s <= self.first_chunk(i)) as u8)
                .collect(),
        };
        // (With one part, `part_of` is empty: every string is in it.)
        let in_part = |part: usize| {
            let part_of = &part_of;
            move |i: &usize| part_of.get(*i).is_none_or(|&p| usize::from(p) == part)
        };
        // Sized for every string, touched only as far as they are distinct.
        let mut starts = Vec::with_capacity(n);
        for part in 0..=splitters.len() {
            // Read before any of the part's starts is overwritten.
            let mut order: Vec<Entry> = crate::parallel::gather(
                n,
                |strings| strings.filter(in_part(part)).count(),
                |strings| {
                    strings.filter(in_part(part)).map(|i| {
                        let text = self.get(Sym::new(i)).as_bytes();
                        let len = u32::try_from(text.len()).expect("under 4 GiB of text");
                        Entry::new(chunk(text, 0), Sym::new(i), len)
                    })
                },
            );
            self.sort_part(&mut order);
            number(&order, &mut starts, atomic(&mut self.starts));
        }
        let Strings {
            text,
            starts: renamed,
        } = self;
        // In place: a `Sym` is a `u32` that is not 0.
        let renamed = renamed
            .into_iter()
            .map(|sym| Sym(NonZeroU32::new(sym).expect("every string renamed")))
            .collect();
        (Strings { text, starts }, renamed)
    }

    /// The first chunk of string `i`.
    fn first_chunk(&self, i: usize) -> u64 {
        chunk(self.get(Sym::new(i)).as_bytes(), 0)
    }

    /// First chunks that cut the strings into about `parts` parts of about
    /// equal size, from a sample: strings of equal first chunks fall in one
    /// part, however many they are.
    fn splitters(&self, parts: usize) -> Vec<u64> {
        let step = (self.len() / (parts * 256)).max(1);
        let sample = (0..self.len())
            .step_by(step)
            .map(|i| self.first_chunk(i))
            .collect();
        crate::parallel::splitters(sample, parts)
    }

    /// Sorts a part's entries by their text, marks each that equals the
    /// one before it, and sets each entry's key to its string's start.
    fn sort_part(&self, order: &mut [Entry]) {
        order.par_sort_unstable_by_key(|e| e.rank(0));
        // Strings that share their first 8 bytes are ordered by the next 8,
        // and so on: a run's text is read once a level, not once a
        // comparison (names share long prefixes: 广东省深圳市…).
        pieces_at_runs(order, rayon::current_num_threads() * 8)
            .into_par_iter()
            .for_each(|piece| self.settle_piece(piece));
        // Sorted, each entry's chunk has served: it takes the string's
        // start instead, on all threads, so that numbering reads no start
        // at random.
        order
            .par_iter_mut()
            .for_each(|e| e.key = u64::from(self.starts[e.sym.index()]));
    }

    /// Settles each run of a piece sorted by first chunks. Each run's text
    /// is a cache miss (its start, then its bytes), so the starts of the
    /// runs a few ahead, and the text of those nearer, are fetched before
    /// they are needed: the misses overlap instead of waiting one on another.
    fn settle_piece(&self, piece: &mut [Entry]) {
        const AHEAD: usize = 16;
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        while at < piece.len() {
            let rank = piece[at].rank(0);
            let len = piece[at..].iter().take_while(|e| e.rank(0) == rank).count();
            if len > 1 {
                runs.push((at, at + len));
            }
            at += len;
        }
        for (i, &(start, end)) in runs.iter().enumerate() {
            if let Some(&(s, e)) = runs.get(i + AHEAD) {
                piece[s..e]
                    .iter()
                    .for_each(|e| prefetch(&self.starts[e.sym.index()]));
            }
            if let Some(&(s, e)) = runs.get(i + AHEAD / 2) {
                for entry in &piece[s..e] {
                    let from = self.starts[entry.sym.index()] as usize;
                    prefetch(self.text.as_ptr().wrapping_add(from + 1 + CHUNK));
                }
            }
            self.settle(&mut piece[start..end], 0);
        }
    }

    /// Orders a run of strings equal up to the end of their chunk at byte
    /// `known` (their `key`), and marks each that equals the one before it.
    fn settle(&self, run: &mut [Entry], known: usize) {
        // (start, end, known) of the runs left; a stack, not recursion: a
        // hostile file's long equal prefixes would be thousands deep.
        let mut todo = Vec::new();
        let mut next = Some((0, run.len(), known));
        while let Some((start, end, known)) = next.take().or_else(|| todo.pop()) {
            let run = &mut run[start..end];
            if run.len() < 2 {
                continue;
            }
            if run[0].rank(known).1 < CHUNK as u32 {
                // Every string ended within the chunk, equal: one string.
                run[1..].iter_mut().for_each(Entry::mark_same);
                continue;
            }
            let known = known + CHUNK;
            let tail = |e: &Entry| &self.get(e.sym).as_bytes()[known..];
            if run.len() <= SMALL_RUN {
                // A few strings: compared whole, once each read.
                run.sort_unstable_by(|a, b| tail(a).cmp(tail(b)));
                for i in 1..run.len() {
                    if tail(&run[i - 1]) == tail(&run[i]) {
                        run[i].mark_same();
                    }
                }
                continue;
            }
            for entry in run.iter_mut() {
                entry.key = chunk(self.get(entry.sym).as_bytes(), known);
            }
            run.sort_unstable_by_key(|e| e.rank(known));
            let mut at = 0;
            while at < run.len() {
                let rank = run[at].rank(known);
                let len = run[at..]
                    .iter()
                    .take_while(|e| e.rank(known) == rank)
                    .count();
                todo.push((start + at, start + at + len, known));
                at += len;
            }
        }
    }

    /// Gives back spare capacity, by a copy when it is more than half of
    /// what is used: an allocator may keep a block shrunk by less than half
    /// where it is (mimalloc does), spare capacity and all.
    fn shrink_to_fit(&mut self) {
        fn shrink<T: Copy>(v: &mut Vec<T>) {
            if v.capacity() - v.len() > v.len() / 2 {
                *v = v.as_slice().to_vec();
            }
        }
        shrink(&mut self.text);
        shrink(&mut self.starts);
    }
}

/// Numbers a sorted part: appends to `starts` the start of each distinct
/// string, and writes each string's new symbol to `renamed` at its old
/// one. Pieces of the part are numbered on all threads: each piece's first
/// new symbol is the count of distinct strings before it, and a piece that
/// starts with a string equal to the one before it goes on with that
/// string's symbol. (A part never starts with the string that ended the
/// part before: their first chunks differ.)
fn number(order: &[Entry], starts: &mut Vec<u32>, renamed: &[AtomicU32]) {
    let pieces: Vec<&[Entry]> = order
        .chunks(
            order
                .len()
                .div_ceil(rayon::current_num_threads() * 4)
                .max(1 << 12),
        )
        .collect();
    let distinct_in: Vec<usize> = pieces
        .par_iter()
        .map(|piece| piece.iter().filter(|e| !e.same_as_previous()).count())
        .collect();
    let first = starts.len();
    starts.resize(first + distinct_in.iter().sum::<usize>(), 0);
    let mut outputs = Vec::with_capacity(pieces.len());
    let (mut rest, mut before) = (&mut starts[first..], first);
    for &distinct in &distinct_in {
        let (own, after) = rest.split_at_mut(distinct);
        outputs.push((own, before));
        (rest, before) = (after, before + distinct);
    }
    // Written once each, at random: atomics let the pieces write apart.
    pieces
        .into_par_iter()
        .zip(outputs)
        .for_each(|(piece, (starts, before))| {
            let mut distinct = 0;
            for entry in piece {
                if !entry.same_as_previous() {
                    starts[distinct] = entry.key as u32;
                    distinct += 1;
                }
                // `Sym::new(before + distinct - 1)`, the last distinct string's.
                let sym = u32::try_from(before + distinct).expect("fewer than 2^32 strings");
                renamed[entry.sym.index()].store(sym, Ordering::Relaxed);
            }
        });
}

/// `slots`, to be written from several threads.
fn atomic(slots: &mut [u32]) -> &[AtomicU32] {
    // SAFETY: `AtomicU32` has the size, alignment and bit validity of
    // `u32` (what `AtomicU32::from_mut_slice` relies on), and the
    // exclusive borrow keeps the slots from being read or written but
    // through the atomics while they live.
    unsafe { &*(slots as *mut [u32] as *const [AtomicU32]) }
}

/// Strings sorted at a time, at most, unless more share a first chunk:
/// their sort entries take 64 MiB (64 strings in tests, so that every
/// test that sorts strings sorts them in parts).
const PART: usize = if cfg!(test) { 1 << 6 } else { 1 << 22 };

/// Bytes of a string compared at a time when sorting.
const CHUNK: usize = 8;

/// Runs of strings this short are sorted by comparing their text.
const SMALL_RUN: usize = 16;

/// The 8 bytes of `text` from `at` as a big-endian integer, zero-padded:
/// integers compare as the bytes do.
fn chunk(text: &[u8], at: usize) -> u64 {
    let rest = text.get(at..).unwrap_or_default();
    let n = rest.len().min(CHUNK);
    let mut bytes = [0u8; CHUNK];
    bytes[..n].copy_from_slice(&rest[..n]);
    u64::from_be_bytes(bytes)
}

/// `order`, sorted by first chunks, cut into about `count` pieces at the
/// ends of runs, so that no run is cut.
fn pieces_at_runs(order: &mut [Entry], count: usize) -> Vec<&mut [Entry]> {
    let size = (order.len() / count.max(1)).max(1 << 12);
    let mut pieces = Vec::with_capacity(count + 1);
    let mut rest = order;
    while !rest.is_empty() {
        let mut cut = size.min(rest.len());
        while cut < rest.len() && rest[cut].rank(0) == rest[cut - 1].rank(0) {
            cut += 1;
        }
        let (piece, after) = rest.split_at_mut(cut);
        pieces.push(piece);
        rest = after;
    }
    pieces
}

/// Asks for the cache line at `at` to be loaded, without waiting for it.
#[inline]
fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it never faults, whatever the address,
    // and reads nothing into the program.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(at.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// A string being sorted: a chunk of its text, its symbol and its length.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u64,
    sym: Sym,
    /// The length, and above it a bit set once the string is known to
    /// equal the one before it in the order.
    len: u32,
}

const SAME: u32 = 1 << 31;

impl Entry {
    fn new(key: u64, sym: Sym, len: u32) -> Entry {
        assert!(len < SAME, "a string of under 2 GiB");
        Entry { key, sym, len }
    }

    /// Orders strings equal before byte `at`, with `key` their chunk from
    /// there: by the chunk, then by how much of it is text, so that a
    /// string that ends sorts before a longer one padded with the same
    /// bytes (`ab` < `ab\0`).
    fn rank(&self, at: usize) -> (u64, u32) {
        let left = (self.len & !SAME).saturating_sub(at as u32);
        (self.key, left.min(CHUNK as u32))
    }

    fn mark_same(&mut self) {
        self.len |= SAME;
    }

    fn same_as_previous(&self) -> bool {
        self.len & SAME != 0
    }
}

/// Writes `len` in LEB128: 7 bits a byte, low bits first, the top bit set
/// on every byte but the last.
fn write_len(text: &mut Vec<u8>, mut len: usize) {
    while len >= 0x80 {
        text.push(len as u8 | 0x80);
        len >>= 7;
    }
    text.push(len as u8);
}

/// The length written at `at` by `write_len`, and where the string after
/// it starts.
#[inline]
fn read_len(text: &[u8], mut at: usize) -> (usize, usize) {
    let (mut len, mut shift) = (0, 0);
    loop {
        let byte = text[at];
        at += 1;
        len |= usize::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return (len, at);
        }
        shift += 7;
    }
}

/// Builds a `Strings`, giving equal strings the same symbol.
#[derive(Default)]
pub struct Interner {
    strings: Strings,
    /// Each string's symbol and where its bytes start (after its length)
    /// and end in `strings.text`, so that a probe compares text without
    /// looking up where the string is.
    table: HashTable<(Sym, u32, u32)>,
    hasher: DefaultHashBuilder,
}

impl Interner {
    /// An interner for about `strings` strings of `bytes` bytes in all.
    pub fn with_capacity(strings: usize, bytes: usize) -> Interner {
        Interner {
            strings: Strings {
                // Room for lengths of one byte, as most are.
                text: Vec::with_capacity(bytes + strings),
                starts: Vec::with_capacity(strings),
            },
            table: HashTable::with_capacity(strings),
            hasher: DefaultHashBuilder::default(),
        }
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        let Interner {
            strings,
            table,
            hasher,
        } = self;
        let text = |&(_, start, end): &(Sym, u32, u32)| &strings.text[start as usize..end as usize];
        // Hashed as bytes here and when the table grows (`&str` and `&[u8]`
        // hash differently).
        let hash = hasher.hash_one(s.as_bytes());
        if let Some(&(sym, _, _)) = table.find(hash, |entry| text(entry) == s.as_bytes()) {
            return sym;
        }
        let sym = strings.push(s);
        let (start, len) = strings.body(sym);
        let entry = (sym, start as u32, (start + len) as u32);
        table.insert_unique(hash, entry, |&(_, start, end)| {
            hasher.hash_one(&strings.text[start as usize..end as usize])
        });
        sym
    }

    /// Keeps the strings and drops the lookup table, with spare capacity:
    /// for an interner whose strings are kept a while before use.
    pub fn compact(&mut self) {
        self.table = HashTable::new();
        self.strings.shrink_to_fit();
    }

    pub fn finish(self) -> Strings {
        self.strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_compacted_interner_keeps_at_most_half_again_what_it_holds() {
        let mut interner = Interner::with_capacity(1000, 100_000);
        for i in 0..50 {
            interner.intern(&format!("深圳发布{i}"));
        }
        let before = interner.strings.clone();
        interner.compact();
        let Strings { text, starts } = &interner.strings;
        assert!(
            text.capacity() <= text.len() * 3 / 2,
            "{} of {}",
            text.capacity(),
            text.len()
        );
        assert!(starts.capacity() <= starts.len() * 3 / 2);
        assert_eq!((text, starts), (&before.text, &before.starts));
    }

    #[test]
    fn equal_strings_share_a_symbol() {
        let mut interner = Interner::default();
        let a = interner.intern("深圳发布");
        let b = interner.intern("");
        assert_eq!(interner.intern("深圳发布"), a);
        assert_ne!(a, b);
        let strings = interner.finish();
        assert_eq!((strings.get(a), strings.get(b)), ("深圳发布", ""));
        assert_eq!(std::mem::size_of::<Option<Sym>>(), 4);
    }

    /// Lengths that take one, two and three bytes to write, at and across
    /// the edges (127, 128, 16,383, 16,384): each string reads back whole,
    /// before and after the table is merged and sorted.
    #[test]
    fn strings_of_every_length_width_read_back() {
        let lengths = [0, 1, 2, 127, 128, 129, 300, 16_383, 16_384, 70_000];
        let texts: Vec<String> = lengths
            .iter()
            .flat_map(|&n| ["甲".repeat(n / 3) + &"a".repeat(n % 3), "b".repeat(n)])
            .collect();
        let mut interner = Interner::default();
        let symbols: Vec<Sym> = texts.iter().map(|t| interner.intern(t)).collect();
        for (sym, text) in symbols.iter().zip(&texts) {
            assert_eq!(interner.intern(text), *sym);
        }
        let strings = interner.finish();
        for (sym, text) in symbols.iter().zip(&texts) {
            assert_eq!(strings.get(*sym), text);
        }
        let (sorted, renamed) = Strings::concat(vec![strings.clone(), strings]).sorted();
        for (sym, text) in symbols.iter().zip(&texts) {
            assert_eq!(sorted.get(renamed[sym.index()]), text);
            assert_eq!(sorted.find(text), Some(renamed[sym.index()]));
        }
    }

    /// More strings than one piece holds, in runs long enough to cross
    /// where the pieces would be cut: the pieces end only where runs end,
    /// and the whole table sorts as one.
    #[test]
    fn a_table_of_many_pieces_sorts_as_one() {
        let prefixes = ["广东省深圳市", "abcdefgh", "a", "广东省"];
        let texts: Vec<String> = (0u64..20_000)
            .map(|i| {
                let mixed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                let prefix = prefixes[(mixed % 4) as usize];
                format!("{prefix}{}", mixed % 3_000)
            })
            .collect();
        let mut interned = Strings::default();
        let symbols: Vec<Sym> = texts.iter().map(|t| interned.push(t)).collect();
        let mut order: Vec<Entry> = (0..interned.len())
            .map(|i| {
                let text = interned.get(Sym::new(i)).as_bytes();
                Entry::new(chunk(text, 0), Sym::new(i), text.len() as u32)
            })
            .collect();
        order.sort_unstable_by_key(|e| e.rank(0));
        let pieces = pieces_at_runs(&mut order, 3);
        assert!(pieces.len() >= 2, "{} pieces", pieces.len());
        for pair in pieces.windows(2) {
            let (last, first) = (pair[0].last().unwrap(), pair[1][0]);
            assert_ne!(last.rank(0), first.rank(0), "a run cut in two");
        }
        assert_eq!(pieces.iter().map(|p| p.len()).sum::<usize>(), texts.len());
        let (sorted, renamed) = interned.sorted();
        let table: Vec<&str> = (0..sorted.len()).map(|i| sorted.get(Sym::new(i))).collect();
        assert!(table.windows(2).all(|w| w[0] < w[1]));
        let mut distinct = texts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(table, distinct);
        for (sym, text) in symbols.iter().zip(&texts) {
            assert_eq!(sorted.get(renamed[sym.index()]), text);
        }
    }

    /// Tables copied a few at a time, waves of 1 byte to all of them, with
    /// empty tables among them: the same strings, in the same order, as
    /// copied in one wave, and each table's symbols follow the last's.
    #[test]
    fn tables_copied_in_waves_are_copied_as_in_one() {
        let tables: Vec<Strings> = (0..40)
            .map(|t| {
                let mut table = Strings::default();
                for i in 0..(t * 7) % 23 {
                    table.push(&format!("{t}表{i}"));
                }
                table
            })
            .collect();
        let texts: Vec<String> = tables
            .iter()
            .flat_map(|t| (0..t.len()).map(|i| t.get(Sym::new(i)).to_owned()))
            .collect();
        assert!(tables.iter().any(Strings::is_empty));
        for wave in [1, 5, 64, 500, usize::MAX] {
            let all = Strings::concat_in_waves(tables.clone(), wave);
            let got: Vec<&str> = (0..all.len()).map(|i| all.get(Sym::new(i))).collect();
            assert_eq!(got, texts, "waves of {wave} bytes");
        }
    }

    /// Strings sorted a part at a time give the table and the renaming of
    /// strings sorted whole: parts in order, none overlapping another, each
    /// numbered on from the last, with strings repeated across parts and
    /// a first chunk that a thousand strings share (one part holds them
    /// all, larger than asked).
    #[test]
    fn strings_sorted_in_parts_are_sorted_as_one() {
        let texts: Vec<String> = (0u64..12_000)
            .map(|i| {
                let mixed = (i % 9_000).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                match mixed % 5 {
                    0 => format!("广东省深圳市{}", mixed % 1_000),
                    1 => format!("wx{mixed:08}"),
                    _ => format!(
                        "{}名",
                        char::from_u32(0x4E00 + (mixed % 20_000) as u32).unwrap()
                    ),
                }
            })
            .collect();
        let mut interned = Strings::default();
        let symbols: Vec<Sym> = texts.iter().map(|t| interned.push(t)).collect();
        assert!(interned.splitters(40).len() > 20, "too few parts to test");
        let (whole, whole_renamed) = interned.clone().sorted_in_parts(usize::MAX);
        let (parts, renamed) = interned.sorted_in_parts(300);
        assert_eq!(renamed, whole_renamed);
        let table = |s: &Strings| {
            (0..s.len())
                .map(|i| s.get(Sym::new(i)).to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(table(&parts), table(&whole));
        let mut distinct = texts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(table(&parts), distinct);
        for (sym, text) in symbols.iter().zip(&texts) {
            assert_eq!(parts.get(renamed[sym.index()]), text);
        }
    }

    /// Each string three times, so that pieces numbered apart start inside
    /// runs of equal strings (4,096 is not a multiple of 3): a string
    /// keeps one symbol across the pieces, and symbols count up by one.
    #[test]
    fn a_string_repeated_across_pieces_keeps_one_symbol() {
        let texts: Vec<String> = (0..15_000).map(|i| format!("名{:05}", i / 3)).collect();
        let mut interned = Strings::default();
        let symbols: Vec<Sym> = texts.iter().map(|t| interned.push(t)).collect();
        let (sorted, renamed) = interned.sorted();
        assert_eq!(sorted.len(), 5_000);
        for (i, (sym, text)) in symbols.iter().zip(&texts).enumerate() {
            assert_eq!(renamed[sym.index()], Sym::new(i / 3), "{text}");
            assert_eq!(sorted.get(renamed[sym.index()]), text);
        }
    }

    proptest! {
        /// Strings sharing long prefixes, ending at and across the 8-byte
        /// chunks, with NUL bytes (a padded chunk must not make `ab` equal
        /// `ab\0`): the table is strictly ascending and each symbol keeps
        /// its text.
        #[test]
        fn sorted_strings_ascend_and_keep_their_text(
            texts in proptest::collection::vec("(广东省深圳市|abcdefgh){0,3}[a\\x00]{0,9}", 0..200),
            part_size in 1usize..300,
        ) {
            let mut interned = Strings::default();
            let symbols: Vec<Sym> = texts.iter().map(|t| interned.push(t)).collect();
            let (sorted, renamed) = interned.sorted_in_parts(part_size);
            let table: Vec<&str> = (0..sorted.len()).map(|i| sorted.get(Sym::new(i))).collect();
            prop_assert!(table.windows(2).all(|w| w[0] < w[1]), "not strictly ascending: {:?}", table);
            for (sym, text) in symbols.iter().zip(&texts) {
                prop_assert_eq!(sorted.get(renamed[sym.index()]), text.as_str());
            }
        }

        /// `find` gives a text's symbol in a sorted table, and nothing for
        /// a text the table does not hold.
        #[test]
        fn a_sorted_table_finds_its_texts(
            texts in proptest::collection::vec("[ab甲]{0,4}", 0..40),
            sought in "[ab甲]{0,4}",
        ) {
            let mut interned = Strings::default();
            let symbols: Vec<Sym> = texts.iter().map(|t| interned.push(t)).collect();
            let (sorted, renamed) = interned.sorted();
            for (sym, text) in symbols.iter().zip(&texts) {
                prop_assert_eq!(sorted.find(text), Some(renamed[sym.index()]));
            }
            let held = texts.contains(&sought);
            prop_assert_eq!(sorted.find(&sought).map(|s| sorted.get(s)), held.then_some(sought.as_str()));
        }

        #[test]
        fn merged_and_sorted_symbols_compare_as_their_strings(
            files in proptest::collection::vec(proptest::collection::vec("[a-c甲乙]{0,3}", 0..8), 1..4),
            part_size in 1usize..20,
        ) {
            let mut tables = Vec::new();
            let mut symbols = Vec::new();
            let mut base = 0;
            for file in &files {
                let mut local = Interner::default();
                symbols.extend(file.iter().map(|s| base + local.intern(s).index()));
                let table = local.finish();
                base += table.len();
                tables.push(table);
            }
            let (strings, renamed) = Strings::concat(tables).sorted_in_parts(part_size);
            let symbols: Vec<Sym> = symbols.into_iter().map(|s| renamed[s]).collect();
            let texts: Vec<&String> = files.iter().flatten().collect();
            let mut distinct = texts.clone();
            distinct.sort();
            distinct.dedup();
            prop_assert_eq!(strings.len(), distinct.len());
            for (i, &a) in symbols.iter().enumerate() {
                prop_assert_eq!(strings.get(a), texts[i].as_str());
                for (j, &b) in symbols.iter().enumerate() {
                    prop_assert_eq!(a.cmp(&b), texts[i].cmp(texts[j]));
                }
            }
        }
    }
}
