//! Names in the name-only activity sheet: which accounts a name can safely
//! stand for, and the rows the pipeline must reject because their account
//! cannot be told (unknown or ambiguous name) or their values cannot be read.
//!
//! Names are compared by the contract's match-name (`naming::match_name`,
//! the generator's own reading of it), against every account of 2014, in
//! scope or not: a row the truth calls matched names exactly one account.

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::activity_exports::{month_cell, Line};
use super::messy;
use super::model::{Account, Period};
use super::writer::RowTruth;
use crate::naming::match_name;

/// Who goes by a match-name: province, name, in scope.
type Owner = (Option<u8>, String, bool);

/// The accounts of 2014 by match-name.
pub(crate) struct NameIndex {
    owners: BTreeMap<String, Vec<Owner>>,
}

impl NameIndex {
    pub fn new(accounts: &[Account]) -> NameIndex {
        let mut owners: BTreeMap<String, Vec<Owner>> = BTreeMap::new();
        for account in accounts.iter().filter(|a| a.exists_in(Period::Y2014)) {
            owners.entry(match_name(&account.name)).or_default().push((
                account.province,
                account.name.clone(),
                account.in_scope,
            ));
        }
        NameIndex { owners }
    }

    /// Whether exactly one account of 2014 goes by this name.
    pub fn is_unique(&self, name: &str) -> bool {
        self.owners
            .get(&match_name(name))
            .is_some_and(|o| o.len() == 1)
    }

    /// The name, decorated now and then in a way the match-name strips.
    pub fn decorated(&self, rng: &mut ChaCha8Rng, name: &str) -> String {
        let decorated = messy::decorated_name(rng, name, 0.3);
        match match_name(&decorated) == match_name(name) {
            true => decorated,
            false => name.to_owned(),
        }
    }

    /// A name that two in-scope accounts of different provinces share, if
    /// any (the first in match-name order).
    pub fn ambiguous(&self) -> Option<String> {
        self.owners.values().find_map(|owners| {
            let placed: Vec<&Owner> = owners.iter().filter(|o| o.2 && o.0.is_some()).collect();
            let first = placed.first()?;
            placed
                .iter()
                .any(|o| o.0 != first.0)
                .then(|| first.1.clone())
        })
    }

    /// A plausible name that no account of 2014 goes by.
    pub fn unknown(&self) -> String {
        (1..)
            .map(|n| format!("浙江政务服务测试号{n}"))
            .find(|name| !self.owners.contains_key(&match_name(name)))
            .expect("some numbered name is free")
    }
}

/// Adds the rows Zhejiang's sheet must have rejected: an unknown name, an
/// ambiguous one (when the sample has one), an unparseable month and
/// unparseable reads (damaged copies of good rows), anywhere in the sheet.
pub(crate) fn inject_rejects(rng: &mut ChaCha8Rng, names: &NameIndex, lines: &mut Vec<Line>) {
    let good: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].read.is_some())
        .collect();
    let mut broken = Vec::new();
    if let Some(&i) = good.choose(rng) {
        let mut cells = lines[i].cells.clone();
        cells[1] = format!("{}年13月", super::activity::YEAR);
        broken.push((cells, "unparseable month"));
    }
    if let Some(&i) = good.choose(rng) {
        let mut cells = lines[i].cells.clone();
        cells[3] = "--".to_owned();
        broken.push((cells, "unparseable reads"));
    }
    let mut named = |name: String| {
        let month = super::activity::MONTHS[rng.gen_range(0..3)];
        let reads = rng.gen_range(500..20_000_u64);
        let cells = [month_cell(rng, month), "12".to_owned(), reads.to_string()];
        let mut row = vec![name];
        row.extend(cells);
        row.push((reads / 50).to_string());
        row
    };
    broken.push((named(names.unknown()), "unknown account"));
    if let Some(name) = names.ambiguous() {
        broken.push((named(name), "ambiguous account"));
    }
    for (cells, reason) in broken {
        let at = rng.gen_range(0..=lines.len());
        let truth = RowTruth::Reject(reason);
        let read = None;
        lines.insert(at, Line { cells, truth, read });
    }
}
