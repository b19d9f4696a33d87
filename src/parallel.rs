//! Concatenation on all threads, for the pipeline's largest copies: a
//! period's records out of its batches, and the batches' string tables
//! into one. Copied on one thread, each took a tenth of a second or more at
//! 2M rows, most of it first touches of the new vector's pages.

use std::mem::MaybeUninit;

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
}
