//! Concatenation on all threads, for the pipeline's largest copies: a
//! period's records out of its batches, and the batches' string tables
//! into one. Copied on one thread, each took a tenth of a second or more at
//! 2M rows, most of it first touches of the new vector's pages.

use std::mem::MaybeUninit;
use std::ops::Range;

use rayon::prelude::*;

/// The items of `parts`, the parts one after another: each `(len, part)`
/// gives `len` items through `items(part)`, which runs on any thread. A
/// part that gives another number of items is a bug, and panics.
pub(crate) fn concat<P, I>(parts: Vec<(usize, P)>, items: impl Fn(P) -> I + Sync) -> Vec<I::Item>
where
    P: Send,
    I: Iterator,
    I::Item: Send,
{
    let total = parts.iter().map(|(len, _)| len).sum();
    let mut all = Vec::with_capacity(total);
    // Each part with its place in `all`, one after another.
    let mut places: Vec<(&mut [MaybeUninit<I::Item>], P)> = Vec::with_capacity(parts.len());
    let mut free = &mut all.spare_capacity_mut()[..total];
    for (len, part) in parts {
        let (place, rest) = std::mem::take(&mut free).split_at_mut(len);
        free = rest;
        places.push((place, part));
    }
    places.into_par_iter().for_each(|(place, part)| {
        let mut items = items(part);
        for slot in place.iter_mut() {
            slot.write(items.next().expect("a part gives as many items as it says"));
        }
        assert!(
            items.next().is_none(),
            "a part gives as many items as it says"
        );
    });
    // SAFETY: the places cut the first `total` slots into consecutive
    // pieces, and every slot of every piece was written above; had a part
    // given too few items, its thread would have panicked before this line.
    unsafe { all.set_len(total) };
    all
}

/// Has the allocator of every thread of the pool, and of this one, take
/// back at once the blocks that other threads freed in its memory, and
/// give emptied pages back to the system. mimalloc, the binary's
/// allocator, defers such a free until the owning thread allocates again
/// or collects: while threads copy a large structure into a new one and
/// free the old one's parts, the old could stay resident until the copy
/// ended. At 8M rows, the string tables' 550 MB were held twice in about
/// one run of five (read registry's peak 1,781 MB against 1,375).
/// Elsewhere (the tests' allocator) this costs a visit to each thread.
pub(crate) fn release_freed() {
    let collect = || {
        // SAFETY: `mi_collect` takes no pointer and may be called by any
        // thread at any time; it acts on the calling thread's own heap.
        unsafe { libmimalloc_sys::mi_collect(false) }
    };
    rayon::broadcast(|_| collect());
    collect();
}

/// Of positions `0..len`, the items that `items(block)` gives for each
/// block of them, in order, in one vector sized once, on all threads:
/// `count(block)` must say how many items `items(block)` gives. A pass
/// that picks a part of many items (a range of keys) costs the memory of
/// that part alone.
pub(crate) fn gather<T, I>(
    len: usize,
    count: impl Fn(Range<usize>) -> usize + Sync,
    items: impl Fn(Range<usize>) -> I + Sync,
) -> Vec<T>
where
    I: Iterator<Item = T>,
    T: Send,
{
    let block = len.div_ceil(rayon::current_num_threads() * 8).max(1 << 14);
    let blocks: Vec<Range<usize>> = (0..len)
        .step_by(block)
        .map(|first| first..(first + block).min(len))
        .collect();
    let parts = blocks
        .into_par_iter()
        .map(|block| (count(block.clone()), block))
        .collect();
    concat(parts, items)
}

/// Values that cut `sample`'s values into about `parts` parts of about
/// equal size, ascending: a value's part is how many of them are at most
/// it (`partition_point`), so that equal values fall in one part, however
/// many they are.
pub(crate) fn splitters(mut sample: Vec<u64>, parts: usize) -> Vec<u64> {
    if parts < 2 || sample.is_empty() {
        return Vec::new();
    }
    sample.sort_unstable();
    let mut splitters: Vec<u64> = (1..parts)
        .map(|k| sample[k * sample.len() / parts])
        .collect();
    splitters.dedup();
    splitters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_one_after_another_in_order() {
        let parts: Vec<(usize, Vec<String>)> = (0..50)
            .map(|p| {
                let part: Vec<String> = (0..p % 7).map(|i| format!("{p}.{i}")).collect();
                (part.len(), part)
            })
            .collect();
        let expected: Vec<String> = parts.iter().flat_map(|(_, p)| p.clone()).collect();
        assert_eq!(concat(parts, Vec::into_iter), expected);
    }

    #[test]
    #[should_panic(expected = "as many items")]
    fn a_part_short_of_items_panics() {
        concat(vec![(2, vec![1]), (1, vec![2])], Vec::into_iter);
    }

    #[test]
    #[should_panic(expected = "as many items")]
    fn a_part_with_items_to_spare_panics() {
        concat(vec![(1, vec![1, 2])], Vec::into_iter);
    }

    #[test]
    fn gathered_items_come_in_order_of_their_positions() {
        let len = 100_000;
        let wanted = |i: &usize| i % 7 == 3 || i % 11 == 0;
        let gathered = gather(
            len,
            |block| block.filter(wanted).count(),
            |block| block.filter(wanted).map(|i| i * 2),
        );
        let expected: Vec<usize> = (0..len).filter(wanted).map(|i| i * 2).collect();
        assert_eq!(gathered, expected);
        assert!(gather(0, |b| b.len(), |b| b).is_empty());
    }
}
