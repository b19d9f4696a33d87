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

/// Distinct strings, stored end to end.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    text: String,
    /// Where each string starts and ends in `text`.
    spans: Vec<(u32, u32)>,
}

impl Strings {
    pub fn get(&self, sym: Sym) -> &str {
        let (start, end) = self.spans[sym.index()];
        &self.text[start as usize..end as usize]
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn push(&mut self, s: &str) -> Sym {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        let end = u32::try_from(self.text.len()).expect("under 4 GiB of distinct text");
        self.spans.push((start, end));
        Sym::new(self.spans.len() - 1)
    }

    /// The strings of several tables, one after the other: the symbols of
    /// the second table follow the first's, and so on. Strings may repeat.
    pub fn concat(tables: Vec<Strings>) -> Strings {
        let text_len = tables.iter().map(|t| t.text.len()).sum();
        let mut all = Strings {
            text: String::with_capacity(text_len),
            spans: Vec::with_capacity(tables.iter().map(Strings::len).sum()),
        };
        for table in tables {
            let base = u32::try_from(all.text.len()).expect("under 4 GiB of text");
            all.text.push_str(&table.text);
            all.spans.extend(
                table
                    .spans
                    .iter()
                    .map(|&(start, end)| (base + start, base + end)),
            );
        }
        all
    }

    /// The distinct strings, with symbols in ascending order of their text,
    /// and for each old symbol its new one: equal strings get the same. The
    /// text itself is not moved.
    pub fn sorted(self) -> (Strings, Vec<Sym>) {
        // Most comparisons are settled by the first 8 bytes as an integer
        // (zero-padded, so a shorter string still sorts first); the rest
        // compare the text.
        let prefix = |s: &str| {
            let mut bytes = [0u8; 8];
            let n = s.len().min(8);
            bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
            u64::from_be_bytes(bytes)
        };
        let mut order: Vec<(u64, Sym)> = (0..self.len())
            .map(|i| (prefix(self.get(Sym::new(i))), Sym::new(i)))
            .collect();
        // Equal strings end up side by side, in any order: they become one.
        order.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| self.get(a.1).cmp(self.get(b.1)))
        });
        let mut renamed = vec![Sym::new(0); self.len()];
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(self.len());
        let mut last: Option<(u64, Sym)> = None;
        for &(prefix, old) in &order {
            // Strings of different prefixes differ: their text is not read.
            let same = last.is_some_and(|(p, s)| p == prefix && self.get(s) == self.get(old));
            if !same {
                spans.push(self.spans[old.index()]);
                last = Some((prefix, old));
            }
            renamed[old.index()] = Sym::new(spans.len() - 1);
        }
        let sorted = Strings {
            text: self.text,
            spans,
        };
        (sorted, renamed)
    }

    /// Gives back spare capacity.
    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
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
                spans: Vec::with_capacity(strings),
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
        let sym = strings.push(s);
        let (start, end) = strings.spans[sym.index()];
        let entry = (sym, start, end);
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
            let (strings, renamed) = Strings::concat(tables).sorted();
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
