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

    /// Position in its table: dense, from 0.
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// Distinct strings, stored end to end.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    text: String,
    /// Where each string ends in `text`; it starts where the previous ends.
    ends: Vec<u32>,
}

impl Strings {
    pub fn get(&self, sym: Sym) -> &str {
        let i = sym.index();
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes of text in all.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    fn push(&mut self, s: &str) -> Sym {
        self.text.push_str(s);
        let end = u32::try_from(self.text.len()).expect("under 4 GiB of distinct text");
        self.ends.push(end);
        Sym::new(self.ends.len() - 1)
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(Sym::new(i)))
    }

    /// The same strings in ascending order, and for each old symbol its new one.
    pub fn sorted(&self) -> (Strings, Vec<Sym>) {
        let mut order: Vec<(&str, Sym)> = (0..self.len())
            .map(|i| (self.get(Sym::new(i)), Sym::new(i)))
            .collect();
        // Strings are distinct, so an unstable sort gives the one order.
        order.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut sorted = Strings {
            text: String::with_capacity(self.text.len()),
            ends: Vec::with_capacity(self.len()),
        };
        let mut renamed = vec![Sym::new(0); self.len()];
        for (text, old) in order {
            renamed[old.index()] = sorted.push(text);
        }
        (sorted, renamed)
    }
}

/// Builds a `Strings`, giving equal strings the same symbol.
#[derive(Default)]
pub struct Interner {
    strings: Strings,
    /// Each string's symbol and place in `strings.text`, so that a probe
    /// compares text without looking up where the string is.
    table: HashTable<(Sym, u32, u32)>,
    hasher: DefaultHashBuilder,
}

impl Interner {
    /// An interner for about `strings` strings of `bytes` bytes in all.
    pub fn with_capacity(strings: usize, bytes: usize) -> Interner {
        Interner {
            strings: Strings {
                text: String::with_capacity(bytes),
                ends: Vec::with_capacity(strings),
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
        let hash = hasher.hash_one(s);
        if let Some(&(sym, _, _)) = table.find(hash, |entry| text(entry) == s) {
            return sym;
        }
        let start = strings.text.len() as u32;
        let sym = strings.push(s);
        let entry = (sym, start, strings.text.len() as u32);
        table.insert_unique(hash, entry, |&(_, start, end)| {
            hasher.hash_one(&strings.text[start as usize..end as usize])
        });
        sym
    }

    /// Takes in another table's strings; returns each one's symbol here.
    pub fn absorb(&mut self, other: &Strings) -> Vec<Sym> {
        other.iter().map(|s| self.intern(s)).collect()
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
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

    proptest! {
        #[test]
        fn merged_and_sorted_symbols_compare_as_their_strings(
            files in proptest::collection::vec(proptest::collection::vec("[a-c甲乙]{0,3}", 0..8), 1..4)
        ) {
            let mut merged = Interner::default();
            let mut symbols = Vec::new();
            for file in &files {
                let mut local = Interner::default();
                let syms: Vec<Sym> = file.iter().map(|s| local.intern(s)).collect();
                let renamed = merged.absorb(&local.finish());
                symbols.extend(syms.into_iter().map(|s| renamed[s.index()]));
            }
            let (strings, renamed) = merged.finish().sorted();
            let symbols: Vec<Sym> = symbols.into_iter().map(|s| renamed[s.index()]).collect();
            let texts: Vec<&String> = files.iter().flatten().collect();
            for (i, &a) in symbols.iter().enumerate() {
                prop_assert_eq!(strings.get(a), texts[i].as_str());
                for (j, &b) in symbols.iter().enumerate() {
                    prop_assert_eq!(a.cmp(&b), texts[i].cmp(texts[j]));
                }
            }
        }
    }
}
