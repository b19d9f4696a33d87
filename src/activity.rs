//! Activity: monthly activity rows are matched to the period's accounts, and
//! each account's activity is measured (SPEC §2.2, §5).
//!
//! Activity files are read after dedup, because a row names its account by
//! original id, or by a name that must belong to exactly one account of the
//! period; a row that names no account, or an ambiguous one, is rejected as
//! it is read, like any other bad record.

use std::collections::{BTreeMap, HashMap};

use crate::dedup::Linked;
use crate::ingest::{Column, RejectKind, RowError};
use crate::normalize::{ActivityRecord, Origin, OriginalId, Record, Strings};

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
    pub accounts: Vec<AccountActivity>,
    /// Distinct months read, sorted.
    pub months: Vec<(u16, u8)>,
    pub rows_matched: u64,
}

/// `(year, month)`.
type Month = (u16, u8);

/// A row's source rank and line: lower wins.
type Priority = (u32, u32);

/// One activity row matched to its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchedRow {
    pub account: u32,
    pub origin: Origin,
    pub month: (u16, u8),
    pub reads: u64,
}

/// Measures each account's activity from its matched rows. `source_rank`
/// orders sources for the rare (account, month) read twice: the
/// highest-priority row wins.
pub fn measure(rows: &[MatchedRow], linked: &Linked, source_rank: &[u32]) -> PeriodActivity {
    // (account, month) → ((source rank, line), reads).
    let mut chosen: BTreeMap<(u32, Month), (Priority, u64)> = BTreeMap::new();
    for row in rows {
        let priority = (source_rank[row.origin.file as usize], row.origin.line);
        let entry = chosen
            .entry((row.account, row.month))
            .or_insert((priority, row.reads));
        if priority < entry.0 {
            *entry = (priority, row.reads);
        }
    }
    let mut months: Vec<(u16, u8)> = chosen.keys().map(|(_, m)| *m).collect();
    months.sort_unstable();
    months.dedup();
    let mut reads: Vec<Vec<u64>> = vec![Vec::new(); linked.accounts.len()];
    for ((account, _), (_, value)) in chosen {
        reads[account as usize].push(value);
    }
    let accounts = linked
        .accounts
        .iter()
        .zip(reads)
        .map(|(account, reads)| account_activity(account.followers, &reads))
        .collect();
    PeriodActivity {
        accounts,
        months,
        rows_matched: rows.len() as u64,
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

/// Lookups from a row's id or name to an account of the period.
pub struct AccountIndex<'a> {
    by_id: HashMap<OriginalId, u32>,
    /// `None` when the name belongs to several accounts.
    by_name: HashMap<&'a str, Option<u32>>,
}

impl<'a> AccountIndex<'a> {
    pub fn new(records: &[Record], strings: &'a Strings, linked: &Linked) -> AccountIndex<'a> {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<&str, Option<u32>> = HashMap::new();
        for (account_index, account) in linked.accounts.iter().enumerate() {
            let account_index = account_index as u32;
            for &record in &account.records {
                let record = &records[record as usize];
                if let Some(id) = record.original_id {
                    by_id.insert(id, account_index);
                }
                if let Some(match_name) = record.match_name.map(|m| strings.get(m)) {
                    let slot = by_name.entry(match_name).or_insert(Some(account_index));
                    if *slot != Some(account_index) {
                        *slot = None;
                    }
                }
            }
        }
        AccountIndex { by_id, by_name }
    }

    /// The row's account: by original id, else by a name that belongs to
    /// exactly one account; otherwise the row is rejected.
    pub fn resolve(&self, row: ActivityRecord) -> Result<MatchedRow, RowError> {
        let matched = |account: u32| MatchedRow {
            account,
            origin: row.origin,
            month: row.month,
            reads: row.reads,
        };
        if let Some(&account) = row.original_id.and_then(|id| self.by_id.get(&id)) {
            return Ok(matched(account));
        }
        let field = Some(if row.match_name.is_some() {
            Column::Name
        } else {
            Column::OriginalId
        });
        let (kind, detail) = match row
            .match_name
            .as_deref()
            .map(|name| (name, self.by_name.get(name)))
        {
            Some((_, Some(Some(account)))) => return Ok(matched(*account)),
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
