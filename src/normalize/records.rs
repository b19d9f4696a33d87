//! A period's records, held in chunks that can be let go one at a time.
//!
//! Dedup builds the accounts in the order of their first records, so that
//! once the accounts whose first record lies before a chunk's end are
//! built, nothing reads that chunk again: it goes, and the records and the
//! accounts are never held whole at once (at 8M rows they take 520 and
//! 440 MB).

use std::collections::VecDeque;
use std::ops::{Index, IndexMut};

use rayon::prelude::*;

use super::Record;

/// Records a chunk holds (4.5 MB of them; 64 in tests, so that small
/// inputs cross chunks): index `i` is in chunk `i >> CHUNK_BITS`.
const CHUNK_BITS: u32 = if cfg!(test) { 6 } else { 16 };
pub(crate) const CHUNK: usize = 1 << CHUNK_BITS;

/// Records in the order read. Indexing a record that was let go
/// (`release_before`) panics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    /// Every chunk holds `CHUNK` records but the last, or none once let go.
    chunks: Vec<Vec<Record>>,
    len: usize,
}

impl Records {
    /// The records of `batches`, one batch after another, each batch
    /// freed once it is copied. The chunks are filled a few at a time on
    /// all threads.
    pub fn from_batches(batches: Vec<Vec<Record>>) -> Records {
        let len: usize = batches.iter().map(Vec::len).sum();
        let mut batches: VecDeque<Vec<Record>> = batches.into_iter().collect();
        // Records of the first batch already copied.
        let mut taken = 0;
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        let wave = rayon::current_num_threads() * 2;
        while chunks.len() * CHUNK < len {
            // Each chunk of the wave as the pieces of batches it takes:
            // (batch, start, end), batches counted from the first held.
            let mut plans: Vec<Vec<(usize, usize, usize)>> = Vec::with_capacity(wave);
            let (mut batch, mut at) = (0, taken);
            let mut filled = chunks.len() * CHUNK;
            while plans.len() < wave && filled < len {
                let size = CHUNK.min(len - filled);
                let mut plan = Vec::new();
                let mut wanted = size;
                while wanted > 0 {
                    let n = (batches[batch].len() - at).min(wanted);
                    if n > 0 {
                        plan.push((batch, at, at + n));
                    }
                    (at, wanted) = (at + n, wanted - n);
                    if at == batches[batch].len() {
                        (batch, at) = (batch + 1, 0);
                    }
                }
                plans.push(plan);
                filled += size;
            }
            let held = &batches;
            chunks.par_extend(plans.into_par_iter().map(|plan| {
                let mut chunk = Vec::with_capacity(CHUNK);
                for (batch, start, end) in plan {
                    chunk.extend_from_slice(&held[batch][start..end]);
                }
                chunk
            }));
            // The batches copied whole go.
            batches.drain(..batch);
            taken = at;
        }
        Records { chunks, len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The records in order. Panics at a chunk let go.
    pub fn iter(&self) -> impl Iterator<Item = &Record> + Clone + '_ {
        (0..self.len).map(move |i| &self[i])
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Record> {
        self.chunks.iter_mut().flatten()
    }

    /// The records in order, on all threads. Panics at a chunk let go.
    pub fn par_iter(&self) -> impl IndexedParallelIterator<Item = &Record> + '_ {
        (0..self.len).into_par_iter().map(move |i| &self[i])
    }

    /// Lets go of every chunk that ends at or before record `end`: their
    /// records must not be read again.
    pub fn release_before(&mut self, end: usize) {
        let before = (end / CHUNK).min(self.chunks.len());
        for chunk in &mut self.chunks[..before] {
            *chunk = Vec::new();
        }
    }
}

impl From<Vec<Record>> for Records {
    fn from(records: Vec<Record>) -> Records {
        Records::from_batches(vec![records])
    }
}

impl Index<usize> for Records {
    type Output = Record;

    #[inline]
    fn index(&self, i: usize) -> &Record {
        &self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }
}

impl IndexMut<usize> for Records {
    fn index_mut(&mut self, i: usize) -> &mut Record {
        &mut self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Batches of every size, empty ones among them, crossing the chunks'
    /// ends and waves of chunks: the records come out in order, each
    /// chunk full but the last.
    #[test]
    fn batches_become_chunks_in_order() {
        let sizes = [0, 1, CHUNK - 1, 0, 2, CHUNK, 3 * CHUNK + 5, 17, 0];
        let mut line = 0;
        let batches: Vec<Vec<Record>> = sizes
            .iter()
            .map(|&n| {
                (0..n)
                    .map(|_| {
                        line += 1;
                        Record::blank(line)
                    })
                    .collect()
            })
            .collect();
        let records = Records::from_batches(batches);
        assert_eq!(records.len(), line as usize);
        for (i, r) in records.iter().enumerate() {
            assert_eq!(r.origin.line, i as u32 + 1);
        }
        let lines: Vec<u32> = records.par_iter().map(|r| r.origin.line).collect();
        assert_eq!(lines, (1..=line).collect::<Vec<_>>());
        let (last, full) = records.chunks.split_last().unwrap();
        assert!(full.iter().all(|c| c.len() == CHUNK));
        assert_eq!(last.len(), line as usize % CHUNK);
        assert!(Records::from_batches(vec![Vec::new(), Vec::new()]).is_empty());
    }

    #[test]
    fn records_let_go_are_not_read() {
        let mut records = Records::from(
            (0..2 * CHUNK as u32 + 3)
                .map(Record::blank)
                .collect::<Vec<_>>(),
        );
        records.release_before(CHUNK + 7);
        assert_eq!(records.len(), 2 * CHUNK + 3);
        let mut all_gone = records.clone();
        all_gone.release_before(usize::MAX);
        assert_eq!(records[CHUNK].origin.line, CHUNK as u32);
        let read = std::panic::catch_unwind(|| records[CHUNK - 1].origin);
        assert!(read.is_err(), "a record let go was read");
    }
}
