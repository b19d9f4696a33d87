//! Activity: monthly activity rows are matched to the period's accounts, and
//! each account's activity is measured (docs/CONTRACT.md §2.2, §5).
//!
//! Activity files are read after dedup, because a row names its account by
//! original id, or by a name that must belong to exactly one account of the
//! period; a row that names no account, or an ambiguous one, is rejected as
//! it is read, like any other bad record. So is a row whose month lies
//! outside the period, and one whose id and name name two different
//! accounts: crediting either would be a guess.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::hash::BuildHasher;

use foldhash::{HashMap, HashMapExt};
use hashbrown::hash_table::{Entry, HashTable};
use rayon::prelude::*;

use crate::dedup::Linked;
use crate::ingest::period::PeriodName;
use crate::ingest::{self, Column, Period, RawRecord, RejectKind, RowError};
use crate::normalize::values::CAPPED_COUNT;
use crate::normalize::{
    self, ActivityRecord, Influence, Origin, OriginalId, Records, Strings, Sym,
};

/// What the activity rows say about one account.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountActivity {
    /// No activity rows.
    NoRows,
    /// Rows, but no followers figure above 0 to divide by.
    NoFollowers,
    /// Mean over its months of reads / followers; `dormant` when all reads are 0.
    Measured {
        value: f64,
        months: u32,
        dormant: bool,
    },
}

/// Activity of every account of a period, in account order.
#[derive(Debug, Clone)]
pub struct PeriodActivity {
    /// Each account's, in account order; empty when no row matched an
    /// account (then every account has `NoRows`: see `of`).
    pub accounts: Vec<AccountActivity>,
    /// Each account's reads, in account order; empty like `accounts`.
    pub reads: Vec<Reads>,
    /// Distinct months read, sorted.
    pub months: Vec<(u16, u8)>,
    pub rows_matched: u64,
    /// The WCI inputs of each (account, month) that has them, from the
    /// highest-priority row that has them, sorted by account and month.
    pub influence: Vec<InfluenceMonth>,
}

/// One account's WCI inputs for one month, or for the span of a row that
/// covers a whole period (`inputs.through`) (`crate::influence`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfluenceMonth {
    pub account: u32,
    pub month: (u16, u8),
    pub reads: u64,
    pub origin: Origin,
    pub inputs: Box<Influence>,
}

/// An account's monthly reads over the months it has rows for: what the
/// leading-accounts lists rank by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    /// Sum over its months.
    pub total: u64,
    /// Months with a row.
    pub months: u32,
    /// Months with reads above 0.
    pub active_months: u32,
    /// Some month's count was capped by its export (`10万+`): the total is
    /// a lower bound.
    pub capped: bool,
}

impl Reads {
    fn of(reads: &[u64]) -> Reads {
        Reads {
            total: reads.iter().sum(),
            months: reads.len() as u32,
            active_months: reads.iter().filter(|&&r| r > 0).count() as u32,
            capped: reads.contains(&CAPPED_COUNT),
        }
    }

    /// Mean reads per month with a row; `None` without rows.
    pub fn per_month(&self) -> Option<f64> {
        (self.months > 0).then(|| self.total as f64 / f64::from(self.months))
    }
}

impl PeriodActivity {
    /// The activity of the account at `index` of the period's accounts.
    pub fn of(&self, index: usize) -> &AccountActivity {
        self.accounts.get(index).unwrap_or(&AccountActivity::NoRows)
    }

    /// The reads of the account at `index`; zero months without rows.
    pub fn reads_of(&self, index: usize) -> Reads {
        self.reads.get(index).copied().unwrap_or_default()
    }
}

impl InfluenceMonth {
    /// The inputs of `row`, which must have some, taken out of it.
    fn take(account: u32, row: &mut MatchedRow) -> InfluenceMonth {
        InfluenceMonth {
            account,
            month: row.month,
            reads: row.reads,
            origin: row.origin,
            inputs: row.influence.take().expect("a row with inputs"),
        }
    }
}

/// `(year, month)`.
type Month = (u16, u8);

/// A row's source rank and line: lower wins.
type Priority = (u32, u32);

/// One activity row matched to its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedRow {
    pub account: u32,
    pub origin: Origin,
    pub month: (u16, u8),
    pub reads: u64,
    pub influence: Option<Box<Influence>>,
}

/// Measures each account's activity from its matched rows. `source_rank`
/// orders sources for the rare (account, month) read twice: the
/// highest-priority row wins.
pub fn measure(mut rows: Vec<MatchedRow>, linked: &Linked, source_rank: &[u32]) -> PeriodActivity {
    if rows.is_empty() {
        // No table, or no row matched: nothing to hold per account.
        return PeriodActivity {
            accounts: Vec::new(),
            reads: Vec::new(),
            months: Vec::new(),
            rows_matched: 0,
            influence: Vec::new(),
        };
    }
    // Sorted by (account, month, priority), the first row of each (account,
    // month) is the one that counts, and an account's months come in order:
    // a sorted vector does the work of a map over all rows at a fraction of
    // its memory. The key is unique (a source has one row per line), so the
    // unstable sort is deterministic.
    rows.par_sort_unstable_by_key(|row| {
        let priority: Priority = (source_rank[row.origin.file as usize], row.origin.line);
        (row.account, row.month, priority)
    });
    let mut months: BTreeSet<Month> = BTreeSet::new();
    let mut reads = Vec::new();
    let mut influence = Vec::new();
    let rows_matched = rows.len() as u64;
    let mut by_account = rows.chunk_by_mut(|a, b| a.account == b.account).peekable();
    let mut account_reads = Vec::with_capacity(linked.accounts.len());
    let accounts = (0..)
        .zip(&linked.accounts)
        .map(|(index, account)| {
            reads.clear();
            if let Some(own) = by_account.next_if(|own| own[0].account == index) {
                // A row for a whole period gives WCI inputs, never a
                // month's reads; the best such row stands for the account's
                // inputs over its span.
                let whole =
                    |r: &MatchedRow| r.influence.as_ref().is_some_and(|i| i.through.is_some());
                let spanning = own
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| whole(r))
                    .min_by_key(|(_, r)| (source_rank[r.origin.file as usize], r.origin.line))
                    .map(|(at, _)| at);
                for month in own.chunk_by_mut(|a, b| a.month == b.month) {
                    if let Some(row) = month.iter().find(|r| !whole(r)) {
                        months.insert(row.month);
                        reads.push(row.reads);
                    }
                    // The WCI inputs come from the best row that has them,
                    // which need not be the row whose reads count.
                    let inputs = month
                        .iter_mut()
                        .find(|r| r.influence.is_some() && !whole(r));
                    if let Some(row) = inputs.filter(|_| spanning.is_none()) {
                        influence.push(InfluenceMonth::take(index, row));
                    }
                }
                if let Some(at) = spanning {
                    influence.push(InfluenceMonth::take(index, &mut own[at]));
                }
            }
            account_reads.push(Reads::of(&reads));
            account_activity(account.followers.map(u64::from), &reads)
        })
        .collect();
    PeriodActivity {
        accounts,
        reads: account_reads,
        months: months.into_iter().collect(),
        rows_matched,
        influence,
    }
}

fn account_activity(followers: Option<u64>, reads: &[u64]) -> AccountActivity {
    match followers {
        _ if reads.is_empty() => AccountActivity::NoRows,
        Some(f) if f > 0 => {
            let mean = reads.iter().map(|&r| r as f64 / f as f64).sum::<f64>() / reads.len() as f64;
            AccountActivity::Measured {
                value: mean,
                months: reads.len() as u32,
                dormant: reads.iter().all(|&r| r == 0),
            }
        }
        _ => AccountActivity::NoFollowers,
    }
}

/// The first and last month of a period (`2014`, `2014H1`, `2014Q3`,
/// `2014-06`); `None` for a period without a name in time (`current`),
/// whose months are not known and so not checked.
fn months_of(period: Option<PeriodName>) -> Option<(Month, Month)> {
    period.map(PeriodName::months)
}

/// Lookups from a row's id or name to an account of the period.
pub struct AccountIndex<'a> {
    by_id: HashMap<OriginalId, u32>,
    by_name: NameIndex<'a>,
    linked: &'a Linked,
    /// The period's name and its first and last month, when the name says.
    period: &'a str,
    months: Option<(Month, Month)>,
}

impl<'a> AccountIndex<'a> {
    /// Builds both lookups at once, one per thread: each is a pass over all
    /// records with a cache miss per insert. Rows are checked against the
    /// months of `period` (named `2014`, `2014H1`, `2014Q3`, `2014-06`, or
    /// with no months: `current`).
    pub fn new(
        names: &[Option<Sym>],
        strings: &'a Strings,
        linked: &'a Linked,
        period: &'a Period,
    ) -> AccountIndex<'a> {
        let (by_id, by_name) = rayon::join(
            || id_index(linked),
            || NameIndex::new(names, strings, linked),
        );
        AccountIndex {
            by_id,
            by_name,
            linked,
            period: &period.name,
            months: months_of(period.when),
        }
    }

    /// The row's account: by original id, else by a name that belongs to
    /// exactly one account; otherwise the row is rejected. A row whose id
    /// names one account and whose name names exactly one other is
    /// rejected too, and so is a row of a month outside the period.
    pub fn resolve(&self, row: ActivityRecord<'_>) -> Result<MatchedRow, RowError> {
        let found = self.account_of(row.original_id);
        self.resolve_found(row, found)
    }

    /// The account an original id names, if any.
    fn account_of(&self, id: Option<OriginalId>) -> Option<u32> {
        self.by_id.get(&id?).copied()
    }

    /// `resolve`, with the account of the row's id (`found`) looked up.
    fn resolve_found(
        &self,
        mut row: ActivityRecord<'_>,
        found: Option<u32>,
    ) -> Result<MatchedRow, RowError> {
        if let Some((first, last)) = self.months {
            let through = row.influence.as_ref().and_then(|i| i.through);
            if let Some((year, month)) = through.filter(|t| !(first..=last).contains(t)) {
                return Err(RowError::new(
                    RejectKind::BadDate,
                    Some(Column::Month),
                    format!(
                        "the row's span ends in {year:04}-{month:02}, outside period {}",
                        self.period
                    ),
                ));
            }
            if !(first..=last).contains(&row.month) {
                let (year, month) = row.month;
                return Err(RowError::new(
                    RejectKind::BadDate,
                    Some(Column::Month),
                    format!(
                        "month {year:04}-{month:02} is outside period {}",
                        self.period
                    ),
                ));
            }
        }
        let (origin, month, reads) = (row.origin, row.month, row.reads);
        let influence = row.influence.take();
        let matched = move |account: u32| MatchedRow {
            account,
            origin,
            month,
            reads,
            influence,
        };
        if let Some((id, account)) = row.original_id.zip(found) {
            if let Some(name) = self.names_another(&row, account) {
                return Err(RowError::new(
                    RejectKind::ConflictingAccount,
                    Some(Column::Name),
                    format!(
                        "original id `{id}` names one account and `{name}` another; \
                         fix the row's id or name"
                    ),
                ));
            }
            return Ok(matched(account));
        }
        // Only now, with no id to go by, is the name keyed.
        let match_name = row.match_name();
        let field = Some(if match_name.is_some() {
            Column::Name
        } else {
            Column::OriginalId
        });
        let (kind, detail) = match match_name
            .as_deref()
            .map(|name| (name, self.by_name.get(name)))
        {
            Some((name, Some(Some(account)))) => {
                match (
                    row.original_id,
                    self.linked.accounts[account as usize].original_id(),
                ) {
                    // The row's id is of no account, and the name's account
                    // holds another: crediting it would go against the id.
                    (Some(id), Some(held)) => (
                        RejectKind::ConflictingAccount,
                        format!(
                            "original id `{id}` belongs to no account of the period, and `{name}` \
                         is the account of original id `{held}`; fix the row's id or name"
                        ),
                    ),
                    _ => return Ok(matched(account)),
                }
            }
            Some((name, Some(None))) => (
                RejectKind::AmbiguousAccount,
                format!("`{name}` names several accounts of the period; give the original id"),
            ),
            Some((name, None)) => (
                RejectKind::UnknownAccount,
                format!("no account of the period is named `{name}`"),
            ),
            None => (
                RejectKind::UnknownAccount,
                format!(
                    "original id `{}` belongs to no account of the period",
                    row.original_id.map(|id| id.to_string()).unwrap_or_default()
                ),
            ),
        };
        Err(RowError::new(kind, field, detail))
    }
}

/// Reads activity rows and matches each to its account. A batch's rows
/// are normalised first and their ids then looked up together: each lookup
/// is a cache miss or two in a table of every account's id, and looked up
/// one after another they overlap, where a row at a time each waited on
/// the last.
pub struct Matcher<'a>(pub &'a AccountIndex<'a>);

impl ingest::Visitor for Matcher<'_> {
    type State = ();
    type Value = MatchedRow;

    fn new_state(&self, _rows: usize, _bytes: usize) {}

    fn visit(&self, (): &mut (), raw: &RawRecord<'_>) -> Result<MatchedRow, RowError> {
        normalize::activity_record(raw).and_then(|row| self.0.resolve(row))
    }

    fn visit_rows(
        &self,
        (): &mut (),
        raws: &[RawRecord<'_>],
        out: &mut Vec<Result<MatchedRow, RowError>>,
    ) {
        let rows: Vec<_> = raws.iter().map(normalize::activity_record).collect();
        let found: Vec<Option<u32>> = rows
            .iter()
            .map(|row| self.0.account_of(row.as_ref().ok()?.original_id))
            .collect();
        out.extend(
            rows.into_iter()
                .zip(found)
                .map(|(row, found)| row.and_then(|row| self.0.resolve_found(row, found))),
        );
    }
}

impl AccountIndex<'_> {
    /// The row's match-name when it belongs to exactly one account, and
    /// that is not `account`. A name that is unknown, or shared by several
    /// accounts, says nothing against the id.
    fn names_another<'r>(&self, row: &'r ActivityRecord<'_>, account: u32) -> Option<Cow<'r, str>> {
        let name = row.match_name()?;
        match self.by_name.get(name.as_ref()) {
            Some(Some(other)) if other != account => Some(name),
            _ => None,
        }
    }
}

/// Each account's index and the index of each of its records.
fn account_indices(linked: &Linked) -> impl Iterator<Item = (u32, u32)> + use<'_> {
    (0..)
        .zip(&linked.accounts)
        .flat_map(move |(index, account)| {
            linked
                .records_of(account)
                .iter()
                .map(move |&record| (index, record))
        })
}

/// Original id → account. An account's records hold no id but its own
/// (dedup never joins two), so the accounts alone give every record's id;
/// of accounts kept apart that share an id, the last in account order.
/// Sized for the accounts with an id, not for every record: half the
/// table, and fewer cache and TLB misses on each probe.
fn id_index(linked: &Linked) -> HashMap<OriginalId, u32> {
    let with_id = linked.accounts.iter().filter(|a| a.original_id().is_some());
    let mut by_id = HashMap::with_capacity(with_id.count());
    for (index, account) in (0..).zip(&linked.accounts) {
        if let Some(id) = account.original_id() {
            by_id.insert(id, index);
        }
    }
    by_id
}

/// Match-name → its one account, or several. An entry is the name's
/// symbol and the account (`SEVERAL` when accounts share the name): 8
/// bytes, where a `&str` key and an `Option<u32>` took 24. Entries are
/// found by the hash of the name's text and told apart by comparing it.
struct NameIndex<'a> {
    strings: &'a Strings,
    table: HashTable<(Sym, u32)>,
    hasher: foldhash::fast::RandomState,
}

/// Each record's match-name, in record order: what `AccountIndex` reads of
/// the records, taken before dedup lets them go.
pub fn record_names(records: &Records) -> Vec<Option<Sym>> {
    records.par_iter().map(|r| r.match_name).collect()
}

/// The account of a name that several accounts share.
const SEVERAL: u32 = u32::MAX;

impl<'a> NameIndex<'a> {
    /// Records are visited in their own order, each with its account: their
    /// names' text then lies in the order it was read, and only the table
    /// is probed at random (in account order, every record and every name
    /// was a cache miss). Sized for every record, so that it never rehashes.
    fn new(names: &[Option<Sym>], strings: &'a Strings, linked: &Linked) -> NameIndex<'a> {
        let mut account_of = vec![0u32; names.len()];
        for (account, record) in account_indices(linked) {
            account_of[record as usize] = account;
        }
        let hasher = foldhash::fast::RandomState::default();
        let hash = |sym: Sym| hasher.hash_one(strings.get(sym));
        let mut table = HashTable::with_capacity(names.len());
        for (&name, &account) in names.iter().zip(&account_of) {
            let Some(name) = name else {
                continue;
            };
            // Equal symbols are equal text: the period's strings hold each
            // text once.
            match table.entry(hash(name), |&(sym, _)| sym == name, |&(sym, _)| hash(sym)) {
                Entry::Occupied(mut entry) => {
                    let slot: &mut (Sym, u32) = entry.get_mut();
                    if slot.1 != account {
                        slot.1 = SEVERAL;
                    }
                }
                Entry::Vacant(entry) => {
                    entry.insert((name, account));
                }
            }
        }
        NameIndex {
            strings,
            table,
            hasher,
        }
    }

    /// `Some(Some(account))` for a name of one account, `Some(None)` for
    /// a name several accounts share, `None` for a name of none.
    fn get(&self, name: &str) -> Option<Option<u32>> {
        let hash = self.hasher.hash_one(name);
        let &(_, account) = self
            .table
            .find(hash, |&(sym, _)| self.strings.get(sym) == name)?;
        Some((account != SEVERAL).then_some(account))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_months_of_a_period_follow_from_its_name() {
        let months = |name| months_of(PeriodName::parse(name));
        assert_eq!(months("2014"), Some(((2014, 1), (2014, 12))));
        assert_eq!(months("2014H1"), Some(((2014, 1), (2014, 6))));
        assert_eq!(months("2014H2"), Some(((2014, 7), (2014, 12))));
        assert_eq!(months("2014Q3"), Some(((2014, 7), (2014, 9))));
        assert_eq!(months("2014-06"), Some(((2014, 6), (2014, 6))));
        for name in ["current", "2014H3", "2014Q0", "2014-13", "20", ""] {
            assert_eq!(months(name), None, "{name}");
        }
    }

    proptest::proptest! {
        /// The indexes answer as maps built from every record would: an id
        /// gives the last account (in account order) with a record of it,
        /// a name its one account, or several.
        #[test]
        fn the_indexes_answer_as_maps_of_every_record(
            drawn in proptest::collection::vec((0u64..5, 0usize..4, 0usize..5), 1..30),
        ) {
            use crate::dedup::tests::{build, spec};
            const WECHAT: [Option<&str>; 4] = [None, Some("a"), Some("b"), Some("c")];
            const NAMES: [&str; 5] = ["", "平安深圳", "深圳交警", "城区发布", "健康深圳"];
            let specs: Vec<_> = (1..)
                .zip(&drawn)
                .map(|(line, &(id, wechat, name))| {
                    spec(line, (id > 0).then_some(id), WECHAT[wechat], NAMES[name])
                })
                .collect();
            let (records, strings) = build(&specs);
            let linked = crate::dedup::link(&records, &strings, &[0]);
            let mut ids = std::collections::HashMap::new();
            let mut names = std::collections::HashMap::new();
            for (account, record) in account_indices(&linked) {
                let record = &records[record as usize];
                if let Some(id) = record.original_id {
                    ids.insert(id, account);
                }
                if let Some(name) = record.match_name {
                    let slot = names.entry(strings.get(name)).or_insert(Some(account));
                    if *slot != Some(account) {
                        *slot = None;
                    }
                }
            }
            let by_id = id_index(&linked);
            let by_name = NameIndex::new(&record_names(&records), &strings, &linked);
            for id in (1..5).map(OriginalId::new) {
                proptest::prop_assert_eq!(by_id.get(&id), ids.get(&id), "{}", id);
            }
            for name in NAMES {
                proptest::prop_assert_eq!(by_name.get(name), names.get(name).copied(), "{}", name);
            }
        }
    }

    /// Three accounts: 1 with 1,000 followers, 2 with none, 3 with 500.
    fn three_accounts() -> (Records, Linked) {
        use crate::dedup::tests::{build, spec};
        let mut specs = [
            spec(1, Some(1), None, "甲"),
            spec(2, Some(2), None, "乙"),
            spec(3, Some(3), None, "丙"),
        ];
        specs[0].followers = Some(1_000);
        specs[2].followers = Some(500);
        let (records, strings) = build(&specs);
        let linked = crate::dedup::link(&records, &strings, &[0, 1]);
        (records, linked)
    }

    fn row(account: u32, file: u32, line: u32, month: u8, reads: u64) -> MatchedRow {
        MatchedRow {
            account,
            origin: Origin { file, line },
            month: (2014, month),
            reads,
            influence: None,
        }
    }

    #[test]
    fn activity_is_the_mean_of_monthly_reads_per_follower_and_a_month_counts_once() {
        let (_, linked) = three_accounts();
        let rows = vec![
            // Account 0, October read twice: the higher-priority source
            // (file 0) counts, wherever it comes in the input.
            row(0, 1, 5, 10, 9_000),
            row(0, 0, 7, 10, 1_000),
            row(0, 0, 8, 11, 3_000),
            // Account 1 has rows but no followers.
            row(1, 0, 9, 10, 50),
            // Account 2 read nothing in either month: dormant.
            row(2, 0, 10, 10, 0),
            row(2, 0, 11, 12, 0),
        ];
        let activity = measure(rows, &linked, &[0, 1]);
        assert_eq!(activity.rows_matched, 6);
        assert_eq!(activity.months, [(2014, 10), (2014, 11), (2014, 12)]);
        match activity.accounts[0] {
            AccountActivity::Measured {
                value,
                months,
                dormant,
            } => {
                assert!(
                    (value - 2.0).abs() < 1e-12,
                    "(1 + 3) / 2, not with 9: {value}"
                );
                assert_eq!((months, dormant), (2, false));
            }
            ref other => panic!("{other:?}"),
        }
        assert!(matches!(activity.accounts[1], AccountActivity::NoFollowers));
        assert!(matches!(
            activity.accounts[2],
            AccountActivity::Measured { value, months: 2, dormant: true } if value == 0.0
        ));
    }

    #[test]
    fn a_period_without_rows_holds_nothing_per_account() {
        let (_, linked) = three_accounts();
        let activity = measure(Vec::new(), &linked, &[0]);
        assert!(activity.accounts.is_empty());
        assert!((0..3).all(|i| matches!(activity.of(i), AccountActivity::NoRows)));
    }

    #[test]
    fn an_account_without_rows_has_no_activity() {
        let (_, linked) = three_accounts();
        let activity = measure(vec![row(2, 0, 1, 10, 100)], &linked, &[0]);
        assert!(matches!(activity.of(0), AccountActivity::NoRows));
        assert!(matches!(activity.of(1), AccountActivity::NoRows));
        assert!(matches!(
            activity.accounts[2],
            AccountActivity::Measured { months: 1, .. }
        ));
    }
}
