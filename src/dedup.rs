//! Dedup: records become accounts (docs/CONTRACT.md §4).
//!
//! Records are linked by five rules, strongest first: equal original id,
//! equal WeChat id, equal match-name within a province (and city, where both
//! know it), equal match-name in the province an unplaced record's county
//! short names point to, and match-names equal but for 发布. Each rule runs over the records sorted by their content, never
//! by file or line, so the accounts do not depend on file order, row order
//! or thread count. A link that would join two different original ids, or two
//! different WeChat ids, is refused and logged: once for each account a group
//! of equal keys keeps apart, not once per pair, so that thousands of records
//! sharing a name (each with its own id) give thousands of conflicts, not
//! millions. Each account then takes every field from the highest-priority
//! source that has it.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::DomainId;
use crate::geo::Province;
use crate::normalize::{
    AccountType, Basis, Count, Date, Decided, Level, Origin, OriginalId, Record, Records, Strings,
    Sym,
};

/// The rule that linked a record into its account.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Rule {
    OriginalId,
    WechatId,
    MatchName,
    /// Equal match-names, one record placed by a hint (`link_hinted`).
    PlaceHint,
    /// Match-names equal but for a trailing 发布 (`link_name_stems`).
    NameStem,
}

impl Rule {
    pub fn slug(self) -> &'static str {
        self.into()
    }
}

/// A link refused because it would join two different ids: `right`'s
/// account was kept apart from the group's accounts, the first of which to
/// refuse it was `left`'s.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub rule: Rule,
    pub left: Origin,
    pub right: Origin,
    pub reason: String,
}

/// One account: its records and its surviving field values, whose text is
/// in the period's `Strings`.
#[derive(Debug, Clone)]
pub struct Account {
    pub key: AccountKey,
    /// Where its records are in `Linked::members` (`Linked::records_of`).
    pub members: Members,
    pub wechat_id: Option<Sym>,
    pub name: Sym,
    pub entity: Option<Sym>,
    /// `None` for central accounts and for those nothing placed.
    pub province: Option<Decided<Province>>,
    pub level: Decided<Level>,
    pub domain: Decided<DomainId>,
    pub account_type: AccountType,
    pub followers: Option<Count>,
    pub registered_at: Option<Date>,
    /// The first city among its records in survivorship order (the
    /// province pages count accounts by it). It fills what was padding:
    /// an account takes 64 bytes with or without it.
    pub city: Option<Sym>,
}

impl Account {
    /// Its original id, which its key holds.
    pub fn original_id(&self) -> Option<OriginalId> {
        self.key.original_id()
    }
}

/// An account's stable key (docs/CONTRACT.md §4): its original id
/// (`gh_…`), else `wx:` and its WeChat id, else `name:`, the province code,
/// city and match-name; `#2`, `#3` … follow a key that accounts kept apart
/// share. The usual key, an original id, is held as the id, without text;
/// so is an id that accounts kept apart share. The key holds the account's
/// original id, and is 16 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountKey {
    Id(OriginalId),
    /// The id of the second, third … account that has it, and which: 2, 3 …
    IdAgain(OriginalId, u32),
    /// Boxed twice: a thin pointer.
    Text(Box<Box<str>>),
}

/// Room for any key an id makes: `gh_`, 12 hex digits, `#` and a `u32`.
pub type KeyBuf = [u8; 26];

impl AccountKey {
    /// A key of text (`wx:…`, `name:…`, or such a key and `#2`).
    pub fn text(text: String) -> AccountKey {
        AccountKey::Text(Box::new(text.into_boxed_str()))
    }

    /// The key as text; an id's is written into `buf`.
    pub fn as_str<'a>(&'a self, buf: &'a mut KeyBuf) -> &'a str {
        let (id, again) = match self {
            AccountKey::Text(text) => return text,
            AccountKey::Id(id) => (*id, None),
            AccountKey::IdAgain(id, run) => (*id, Some(*run)),
        };
        let head = buf.first_chunk_mut().expect("a key buffer holds an id");
        let mut len = id.text(head).len();
        if let Some(run) = again {
            let mut digits = itoa::Buffer::new();
            let digits = digits.format(run).as_bytes();
            buf[len] = b'#';
            buf[len + 1..len + 1 + digits.len()].copy_from_slice(digits);
            len += 1 + digits.len();
        }
        std::str::from_utf8(&buf[..len]).unwrap_or_default()
    }

    /// The account's original id, which an id key is.
    pub fn original_id(&self) -> Option<OriginalId> {
        match self {
            AccountKey::Id(id) | AccountKey::IdAgain(id, _) => Some(*id),
            AccountKey::Text(_) => None,
        }
    }
}

impl std::fmt::Display for AccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str(&mut KeyBuf::default()))
    }
}

/// The order of the keys' text.
impl Ord for AccountKey {
    fn cmp(&self, other: &AccountKey) -> Ordering {
        match (self, other) {
            // `gh_` and 12 lower-case hex digits: as text, as numbers.
            (AccountKey::Id(a), AccountKey::Id(b)) => a.cmp(b),
            _ => self
                .as_str(&mut KeyBuf::default())
                .cmp(other.as_str(&mut KeyBuf::default())),
        }
    }
}

impl PartialOrd for AccountKey {
    fn partial_cmp(&self, other: &AccountKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// An account's records: `len` indices from `start` in `Linked::members`,
/// in survivorship order. One array of every account's records takes 8
/// bytes an account; a `Vec` each took 24 and an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Members {
    pub start: u32,
    pub len: u32,
}

impl Members {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

impl Account {
    /// Mainland accounts and central ones; Hong Kong, Macau and Taiwan are not.
    pub fn in_scope(&self) -> bool {
        self.province.is_none_or(|p| p.value().in_scope())
    }
}

/// The result of linking one period's records.
pub struct Linked {
    /// Accounts in key order.
    pub accounts: Vec<Account>,
    /// Every account's records (indices into the period's records), each
    /// account's together in survivorship order.
    pub members: Vec<u32>,
    /// For each record, the rule that first linked it to another record.
    pub rules: Vec<Option<Rule>>,
    pub conflicts: Vec<Conflict>,
    /// Name links refused because the two sides name different cities.
    pub city_mismatches: u64,
}

impl Linked {
    /// An account's records, highest source priority first.
    pub fn records_of(&self, account: &Account) -> &[u32] {
        &self.members[account.members.range()]
    }
}

/// Links records into accounts. `file_rank[f]` orders the period's files by
/// source priority (lower wins); ties go by line. The records' symbols must
/// be sorted (`Strings::sorted`): records are ordered by content through them.
pub fn link(records: &Records, strings: &Strings, file_rank: &[u32]) -> Linked {
    let groups = group(records, strings, file_rank);
    let mut accounts = Vec::with_capacity(groups.len());
    accounts.par_extend(
        (0..groups.len())
            .into_par_iter()
            .map(|k| groups.account(k, records, strings)),
    );
    sort_by_key(&mut accounts, |a| {
        &records[groups.members[a.members.start as usize] as usize]
    });
    groups.into_linked(accounts)
}

/// `link`, letting the records go as their accounts are built: the
/// accounts are built in the order of their first records, a round of
/// records at a time, and once the accounts whose first record lies before
/// a round's end are built, no account reads those records again. Of them
/// only the first record of each account whose key another account may
/// share is kept, to order such accounts as `link` does.
pub fn link_releasing(mut records: Records, strings: &Strings, file_rank: &[u32]) -> Linked {
    let groups = group(&records, strings, file_rank);
    let tied = groups.shared_identities(&records);
    let mut accounts = Vec::with_capacity(groups.len());
    // The first record of each account that may share its key, by where
    // the account's members start.
    let mut heads: Vec<(u32, Record)> = Vec::new();
    let mut built = 0;
    while built < groups.len() {
        let end = (groups.first_record(built) / ROUND + 1) * ROUND;
        // Accounts are formed in the order of their first records.
        let (mut low, mut high) = (built, groups.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match groups.first_record(mid) < end {
                true => low = mid + 1,
                false => high = mid,
            }
        }
        let (round, records_now) = (built..low, &records);
        accounts.par_extend(
            round
                .clone()
                .into_par_iter()
                .map(|k| groups.account(k, records_now, strings)),
        );
        if !tied.is_empty() {
            heads.extend(
                round
                    .filter(|&k| tied.contains(&key_identity(records_now, groups.records_of(k))))
                    .map(|k| {
                        (
                            groups.starts[k],
                            records_now[groups.records_of(k)[0] as usize],
                        )
                    }),
            );
        }
        records.release_before(end);
        built = low;
    }
    drop(records);
    sort_by_key(&mut accounts, |a| {
        let at = heads
            .binary_search_by_key(&a.members.start, |&(start, _)| start)
            .expect("an account whose key another shares keeps its first record");
        &heads[at].1
    });
    groups.into_linked(accounts)
}

/// Records `link_releasing` builds the accounts of at a time: a multiple
/// of the records' chunks.
const ROUND: usize = 4 * crate::normalize::records::CHUNK;

/// Records linked, grouped into accounts that are not yet built.
struct Groups {
    /// Every account's records, each account's together in survivorship
    /// order, the accounts in the order of their first records.
    members: Vec<u32>,
    /// Where each account's records start in `members`, and their end.
    starts: Vec<u32>,
    rules: Vec<Option<Rule>>,
    conflicts: Vec<Conflict>,
    city_mismatches: u64,
}

impl Groups {
    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn span(&self, k: usize) -> Members {
        Members {
            start: self.starts[k],
            len: self.starts[k + 1] - self.starts[k],
        }
    }

    fn records_of(&self, k: usize) -> &[u32] {
        &self.members[self.span(k).range()]
    }

    /// Account `k`, built from its records.
    fn account(&self, k: usize, records: &Records, strings: &Strings) -> Account {
        survive(records, strings, self.records_of(k), self.span(k))
    }

    /// The first record of account `k` in the order read: its root.
    fn first_record(&self, k: usize) -> usize {
        self.records_of(k).iter().min().map_or(0, |&i| i as usize)
    }

    /// The key identities (`key_identity`) that more than one account has.
    fn shared_identities(&self, records: &Records) -> HashSet<u64> {
        let mut identities: Vec<u64> = (0..self.len())
            .into_par_iter()
            .map(|k| key_identity(records, self.records_of(k)))
            .collect();
        identities.par_sort_unstable();
        identities
            .windows(2)
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| pair[0])
            .collect()
    }

    fn into_linked(self, mut accounts: Vec<Account>) -> Linked {
        disambiguate_keys(&mut accounts);
        Linked {
            accounts,
            members: self.members,
            rules: self.rules,
            conflicts: self.conflicts,
            city_mismatches: self.city_mismatches,
        }
    }
}

/// Runs the rules over the records and groups them into accounts.
fn group(records: &Records, strings: &Strings, file_rank: &[u32]) -> Groups {
    group_in_parts(records, strings, file_rank, PART_KEYS)
}

/// `group`, each rule holding about `part_keys` keys at a time.
fn group_in_parts(
    records: &Records,
    strings: &Strings,
    file_rank: &[u32],
    part_keys: usize,
) -> Groups {
    let mut forest = Forest::new(records, strings);
    forest.part_keys = part_keys;
    let record = |i: u32| &records[i as usize];
    link_rule(&mut forest, Rule::OriginalId, |i| {
        [record(i).original_id.map(|id| GroupKey::Id(id.digits()))]
    });
    link_rule(&mut forest, Rule::WechatId, |i| {
        [record(i).wechat_id.map(GroupKey::Text)]
    });
    // An entity's full name used as an account name (深圳市公安局) names that
    // entity's account only when the entity runs a single one: then the name
    // links to the entity's records, else it links nothing.
    let entities = EntityNames::new(records, strings);
    let copies = CopyClasses::new(records, |r| {
        r.match_name.is_some_and(|m| entities.is_shared(m))
    });
    link_rule(&mut forest, Rule::MatchName, |i| {
        let r = record(i);
        let Some(province) = name_province(r) else {
            return [None, None];
        };
        // A shared entity's name says nothing about which account: only
        // exact copies of such a record link to each other.
        let by_name = r.match_name.map(|name| match entities.is_shared(name) {
            false => GroupKey::Place(province, name),
            true => GroupKey::Copy(copies.of(i)),
        });
        let by_entity = entities
            .single_account(i)
            .map(|entity| GroupKey::Place(province, entity));
        [by_name, by_entity]
    });
    drop(copies);
    link_hinted(&mut forest, &entities);
    drop(entities);
    link_name_stems(&mut forest);
    // Each record beside its account's root: sorted, the accounts' members
    // lie together, in record order.
    let mut by_root: Vec<(u32, u32)> = (0..records.len() as u32)
        .map(|index| (forest.find(index), index))
        .collect();
    // The forest's links are all in `by_root` now: its memory goes before
    // the accounts are built.
    let (rules, conflicts, city_mismatches) =
        (forest.rules, forest.conflicts, forest.city_mismatches);
    drop((forest.parent, forest.state));
    by_root.par_sort_unstable();
    // Each account's records, in survivorship order.
    by_root
        .par_chunk_by_mut(|a, b| a.0 == b.0)
        .for_each(|group| {
            group.sort_by_key(|&(_, i)| {
                let origin = records[i as usize].origin;
                (file_rank[origin.file as usize], origin.line)
            })
        });
    // Where each account's records start: an indexed list, so that the
    // accounts are collected straight into one vector of their size. (The
    // records number under 2^32: their indices are `u32`.)
    let starts: Vec<u32> = (0..by_root.len() as u32)
        .filter(|&i| i == 0 || by_root[i as usize - 1].0 != by_root[i as usize].0)
        .chain([by_root.len() as u32])
        .collect();
    let members: Vec<u32> = by_root.par_iter().map(|&(_, index)| index).collect();
    drop(by_root);
    Groups {
        members,
        starts,
        rules,
        conflicts,
        city_mismatches,
    }
}

/// The province a record's name links within: its code, 0 for a central
/// account (central accounts have no province and do link by name), `None`
/// when nothing placed it. Two records nothing placed are not known to
/// share a province (鼓楼公安 is in several): their names link nothing.
fn name_province(r: &Record) -> Option<u8> {
    match (r.province, r.level.value()) {
        (Some(p), _) => Some(p.value().code()),
        (None, Level::Central) => Some(0),
        (None, _) => None,
    }
}

/// A record nothing placed (a third-party list with no province column)
/// whose name hints at one province through a county's short name
/// (丰顺刑警: 丰顺县, Guangdong) links by match-name to the records of that
/// name in that province. The hint only says where to look: with no record
/// of the same name there, the record stays as it was, unplaced.
fn link_hinted(forest: &mut Forest<'_>, entities: &EntityNames<'_>) {
    let (records, strings) = (forest.records, forest.strings);
    let gazetteer = crate::gazetteer::Gazetteer::get();
    let hints: Vec<Option<(u8, Sym)>> = records
        .par_iter()
        .map(|r| {
            let name = r.match_name.filter(|&m| !entities.is_shared(m))?;
            if name_province(r).is_some() {
                return None;
            }
            let province = gazetteer.hinted_province(strings.get(name))?;
            Some((province.code(), name))
        })
        .collect();
    let wanted: BTreeSet<(u8, Sym)> = hints.iter().flatten().copied().collect();
    if wanted.is_empty() {
        return;
    }
    link_rule(forest, Rule::PlaceHint, |i| {
        let r = &records[i as usize];
        let key = match (r.province, hints[i as usize]) {
            (None, hinted) => hinted,
            (Some(p), _) => r
                .match_name
                .map(|name| (p.value().code(), name))
                .filter(|key| wanted.contains(key)),
        };
        [key.map(|(province, name)| GroupKey::Place(province, name))]
    });
}

/// The last name rule: 发布 is optional (深圳交警 and 深圳交警发布 are one
/// account) where that makes no collision. Within a province (as
/// `name_province` gives it), the records whose match-name is a stem and those whose match-name is the
/// stem and 发布 link only when the earlier rules left each side one
/// account: two accounts of the bare name, or of the 发布 name, say that
/// the province really uses both, and nothing is joined. Ids still refuse a
/// link, silently: two ids mean two accounts, not a conflict to report.
fn link_name_stems(forest: &mut Forest<'_>) {
    const SUFFIX: &str = "发布";
    let (records, strings) = (forest.records, forest.strings);
    /// A match-name's stem: without 发布, keeping two characters.
    fn stem(name: &str) -> Option<&str> {
        name.strip_suffix(SUFFIX)
            .filter(|stem| stem.chars().count() >= 2)
    }
    // (province, stem, record) of the few names that end in 发布: the one
    // pass that reads each record's name.
    let suffixed: Vec<(u8, &str, u32)> = (0..records.len() as u32)
        .into_par_iter()
        .filter_map(|i| {
            let record = &records[i as usize];
            let stem = stem(strings.get(record.match_name?))?;
            Some((name_province(record)?, stem, i))
        })
        .collect();
    if suffixed.is_empty() {
        return;
    }
    // Each stem as a symbol: a bare name is a stem when its symbol is the
    // stem's (the table holds each text once). A stem no record has as its
    // name links nothing, and neither does a stem that ends in 发布 itself:
    // a record of that name is keyed by its own stem.
    let symbols: HashMap<&str, Option<Sym>> = suffixed
        .iter()
        .map(|&(_, text, _)| (text, strings.find(text)))
        .collect();
    let mut keyed: Vec<(u8, Sym, bool, u32)> = suffixed
        .iter()
        .filter_map(|&(province, text, i)| Some((province, symbols[text]?, true, i)))
        .collect();
    let bare: HashSet<(u8, Sym)> = keyed
        .iter()
        .map(|&(province, sym, _, _)| (province, sym))
        .filter(|&(_, sym)| stem(strings.get(sym)).is_none())
        .collect();
    keyed.par_extend((0..records.len() as u32).into_par_iter().filter_map(|i| {
        let record = &records[i as usize];
        let key = (name_province(record)?, record.match_name?);
        bare.contains(&key).then_some((key.0, key.1, false, i))
    }));
    keyed.par_sort_unstable();
    for group in keyed.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if group.iter().all(|m| m.2) || group.iter().all(|m| !m.2) {
            continue;
        }
        let mut sides: [BTreeSet<u32>; 2] = [BTreeSet::new(), BTreeSet::new()];
        let mut entities: [BTreeSet<Sym>; 2] = [BTreeSet::new(), BTreeSet::new()];
        for &(_, _, suffixed, record) in group {
            sides[usize::from(suffixed)].insert(forest.find(record));
            entities[usize::from(suffixed)].extend(records[record as usize].entity_key);
        }
        // Two bodies named alike (吉林法院, 吉林省高级人民法院; 吉林法院发布,
        // 吉林市中级人民法院) are two accounts.
        let [bare_entities, suffixed_entities] = &entities;
        if !bare_entities.is_empty()
            && !suffixed_entities.is_empty()
            && bare_entities.is_disjoint(suffixed_entities)
        {
            continue;
        }
        if let ([bare], [suffixed]) = (
            sides[0].iter().collect::<Vec<_>>().as_slice(),
            sides[1].iter().collect::<Vec<_>>().as_slice(),
        ) {
            forest.union(**bare, **suffixed, Rule::NameStem);
        }
    }
}

/// Entities that run several accounts: whose records carry two or more
/// account names other than the entity's own.
struct EntityNames<'r> {
    records: &'r Records,
    /// By symbol, a bit each: whether the string is the match-name of such
    /// an entity.
    shared: Vec<u64>,
}

impl<'r> EntityNames<'r> {
    fn new(records: &'r Records, strings: &Strings) -> EntityNames<'r> {
        // By entity: 0 for no account name yet, the first name's symbol
        // (a `u32` not 0), or `SEVERAL`. Zeroed, its untouched pages take
        // no memory.
        const SEVERAL: u32 = u32::MAX;
        let mut names = vec![0u32; strings.len()];
        for record in records.iter() {
            let Some(key) = record.entity_key else {
                continue;
            };
            let Some(name) = record.match_name.filter(|&name| name != key) else {
                continue;
            };
            let name = name.index() as u32 + 1;
            let seen = &mut names[key.index()];
            *seen = match *seen {
                0 => name,
                first if first == name => first,
                _ => SEVERAL,
            };
        }
        let mut shared = vec![0u64; strings.len().div_ceil(64)];
        for (i, _) in names.iter().enumerate().filter(|&(_, &n)| n == SEVERAL) {
            shared[i / 64] |= 1 << (i % 64);
        }
        EntityNames { records, shared }
    }

    fn is_shared(&self, match_name: Sym) -> bool {
        let i = match_name.index();
        self.shared[i / 64] >> (i % 64) & 1 == 1
    }

    /// The entity match-name of a record whose entity runs a single account.
    fn single_account(&self, record: u32) -> Option<Sym> {
        self.records[record as usize]
            .entity_key
            .filter(|&k| !self.is_shared(k))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Id(u64),
    Text(Sym),
    Place(u8, Sym),
    /// Records equal in content (see `CopyClasses`).
    Copy(u32),
}

impl GroupKey {
    /// The key as one number, ordered as the keys are: the variant in the
    /// top two bits above at most 48 bits of value (never `u64::MAX`).
    fn packed(self) -> u64 {
        let (variant, value) = match self {
            GroupKey::Id(digits) => (0, digits),
            GroupKey::Text(text) => (1, text.index() as u64),
            GroupKey::Place(province, name) => (2, u64::from(province) << 32 | name.index() as u64),
            GroupKey::Copy(class) => (3, u64::from(class)),
        };
        debug_assert!(value < 1 << 48, "an id has 48 bits, a symbol 32");
        variant << 62 | value
    }
}

/// For each record that `wanted` picks, a class shared by exactly its
/// copies (records of equal content): the index of one of them. Held for
/// the picked records alone, by record (few records are picked).
struct CopyClasses(Vec<(u32, u32)>);

impl CopyClasses {
    fn new(records: &Records, wanted: impl Fn(&Record) -> bool + Sync) -> CopyClasses {
        let mut picked: Vec<u32> = (0..records.len() as u32)
            .into_par_iter()
            .filter(|&i| wanted(&records[i as usize]))
            .collect();
        picked
            .par_sort_unstable_by(|&a, &b| content_cmp(&records[a as usize], &records[b as usize]));
        let mut classes: Vec<(u32, u32)> = picked
            .chunk_by(|&a, &b| {
                content_cmp(&records[a as usize], &records[b as usize]) == Ordering::Equal
            })
            .flat_map(|run| run.iter().map(|&member| (member, run[0])))
            .collect();
        classes.par_sort_unstable();
        CopyClasses(classes)
    }

    /// The class of a record `wanted` picked.
    fn of(&self, record: u32) -> u32 {
        let at = self
            .0
            .binary_search_by_key(&record, |&(member, _)| member)
            .expect("a picked record has a class");
        self.0[at].1
    }
}

/// Applies one rule: within each group of equal keys, in content order,
/// each record joins the first earlier account it may join. A record that
/// joins none because ids differ is logged once, against the first account
/// that refused it: the log grows with the records, never with their pairs.
/// `keys` gives each record its `N` keys, or fewer.
fn link_rule<const N: usize>(
    forest: &mut Forest<'_>,
    rule: Rule,
    keys: impl Fn(u32) -> [Option<GroupKey>; N] + Sync,
) {
    let n = forest.records.len();
    let packed = |i: usize| keys(i as u32).map(|key| key.map(GroupKey::packed));
    // A sample of the keys: about how many there are, and where to cut
    // them into parts of about `PART_KEYS`, linked one after another in
    // key order, so that only one part's keys are held at once (at 8M
    // rows, the 16M keys of the match-name rule took 256 MB).
    let step = (n / (1 << 16)).max(1);
    let sample: Vec<u64> = (0..n).step_by(step).flat_map(packed).flatten().collect();
    let parts = (sample.len() * step)
        .div_ceil(forest.part_keys)
        .clamp(1, 255);
    let splitters = crate::parallel::splitters(sample, parts);
    // With more than one part, each record's keys' parts (`u8::MAX` for
    // none), so that a part's pass makes the keys of its records alone.
    let part_of: Vec<[u8; N]> = match splitters.is_empty() {
        true => Vec::new(),
        false => (0..n)
            .into_par_iter()
            .map(|i| {
                packed(i).map(|key| {
                    key.map_or(u8::MAX, |key| {
                        splitters.partition_point(|&s| s <= key) as u8
                    })
                })
            })
            .collect(),
    };
    for part in 0..=splitters.len() {
        let mut keyed = match part_of.is_empty() {
            true => all_keys(n, &packed),
            false => {
                let (part, part_of) = (part as u8, &part_of);
                let count = |i: usize| part_of[i].iter().filter(|&&p| p == part).count();
                crate::parallel::gather(
                    n,
                    |block| block.map(count).sum(),
                    |block| {
                        block.filter(|&i| count(i) > 0).flat_map(|i| {
                            let keys = packed(i);
                            (0..N)
                                .filter(move |&slot| part_of[i][slot] == part)
                                .map(move |slot| (keys[slot].expect("a key in a part"), i as u32))
                        })
                    },
                )
            }
        };
        keyed.par_sort_unstable();
        link_keyed(forest, rule, &mut keyed);
    }
}

/// Keys of a rule held at a time, about: 64 MB of them (64 keys in
/// tests, so that every test of linking links in parts).
const PART_KEYS: usize = if cfg!(test) { 1 << 6 } else { 1 << 22 };

/// Every key `packed` gives records `0..n`, beside its record: `N` slots a
/// record, collected in place on all threads (a filtered collect is joined
/// on one), and the empty ones then dropped in one pass.
fn all_keys<const N: usize>(
    n: usize,
    packed: &(impl Fn(usize) -> [Option<u64>; N] + Sync),
) -> Vec<(u64, u32)> {
    const EMPTY: u64 = u64::MAX;
    let mut keyed: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .map(|i| packed(i).map(|key| (key.unwrap_or(EMPTY), i as u32)))
        .collect::<Vec<[(u64, u32); N]>>()
        .into_flattened();
    keyed.retain(|&(key, _)| key != EMPTY);
    keyed
}

/// Links the groups of equal keys of `keyed`, sorted, in key order.
fn link_keyed(forest: &mut Forest<'_>, rule: Rule, keyed: &mut [(u64, u32)]) {
    let records = forest.records;
    // Most groups have one member, which links nothing. The others are
    // found and put in content order on all threads: records of equal
    // content are interchangeable, so file and row order never matter.
    let groups: Vec<&mut [(u64, u32)]> = keyed
        .par_chunk_by_mut(|a, b| a.0 == b.0)
        .filter(|group| group.len() >= 2)
        .map(|group| {
            group.sort_unstable_by(|a, b| {
                content_cmp(&records[a.1 as usize], &records[b.1 as usize])
            });
            group
        })
        .collect();
    // Linked in key order, one group after another.
    let mut roots = Vec::with_capacity(SCANNED_GROUP);
    for group in groups {
        let members = group.iter().map(|&(_, member)| member);
        match group.len() {
            ..=SCANNED_GROUP => link_group_by_scan(forest, rule, members, &mut roots),
            _ => link_group(forest, rule, members),
        }
    }
}

/// Groups of up to this many records are linked by `link_group_by_scan`:
/// nearly all groups are this small, and for them trying every account
/// costs less than building `link_group`'s index.
const SCANNED_GROUP: usize = 16;

/// Links one group's members in order: each joins the first account of the
/// group it may join (trying every account the group has formed so far),
/// else starts one, logged against the first account that refused it for
/// its ids. This is the rule's definition; `link_group` gives the same
/// without trying every pair. `roots` is scratch space, kept across groups.
fn link_group_by_scan(
    forest: &mut Forest<'_>,
    rule: Rule,
    members: impl Iterator<Item = u32>,
    roots: &mut Vec<u32>,
) {
    roots.clear();
    for member in members {
        let mut refused_by = None;
        let mut joined = false;
        for &root in roots.iter() {
            match forest.union(root, member, rule) {
                Link::Joined => {
                    joined = true;
                    break;
                }
                Link::Clash => {
                    refused_by.get_or_insert(root);
                }
                Link::OtherCity => {}
            }
        }
        if !joined {
            if let Some(root) = refused_by {
                forest.log_conflict(root, member, rule);
            }
            roots.push(forest.find(member));
        }
        // A join may have merged two of the group's accounts: each is
        // named by its current root. One left at two positions answers the
        // same at both, so the first decides.
        roots.iter_mut().for_each(|r| *r = forest.find(*r));
        roots.dedup();
    }
}

/// What `link_group_by_scan` does, for large groups: accounts that hold a
/// different id than the member refuse it for sure, so only the others are
/// tried (`GroupRoots::plan`): a group of thousands of records with as many
/// ids costs about a lookup per record, not a link attempt per pair. The
/// outcome is that of trying every account in order.
fn link_group(forest: &mut Forest<'_>, rule: Rule, members: impl Iterator<Item = u32>) {
    let mut roots = GroupRoots::default();
    for member in members {
        let holds = forest.holds(member);
        let own = forest.find(member);
        let (candidates, refuses_first) = roots.plan(&holds);
        let mut first_clash = None;
        let mut joined = None;
        for position in candidates {
            match forest.union(roots.root(position), member, rule) {
                Link::Joined => {
                    joined = Some(position);
                    break;
                }
                Link::Clash => {
                    first_clash.get_or_insert(position);
                }
                Link::OtherCity => {}
            }
        }
        match joined {
            Some(position) => roots.joined(forest, position, own),
            None => {
                if let Some(witness) = first_clash.into_iter().chain(refuses_first).min() {
                    forest.log_conflict(roots.root(witness), member, rule);
                }
                roots.push(forest, own);
            }
        }
    }
}

/// The accounts a group has formed so far, by position (the order they
/// were formed in), indexed by the ids they hold.
#[derive(Default)]
struct GroupRoots {
    /// The root record of each position; `None` once merged into another.
    roots: Vec<Option<u32>>,
    /// The ids each live position is indexed under.
    indexed: Vec<(Option<OriginalId>, Option<Sym>)>,
    live: BTreeSet<usize>,
    without_original_id: BTreeSet<usize>,
    by_original_id: HashMap<OriginalId, BTreeSet<usize>>,
    without_wechat_id: BTreeSet<usize>,
    by_wechat_id: HashMap<Sym, BTreeSet<usize>>,
    /// Live positions holding an original id (a WeChat id), with it.
    original_ids: BTreeMap<usize, OriginalId>,
    wechat_ids: BTreeMap<usize, Sym>,
    /// The position of each live root record.
    position_of: HashMap<u32, usize>,
}

type Positions<'g> = Box<dyn Iterator<Item = usize> + 'g>;

impl GroupRoots {
    fn root(&self, position: usize) -> u32 {
        self.roots[position].expect("only live positions are handed out")
    }

    /// The positions an account holding `holds` may join, in order, and the
    /// first position left out (one that refuses it for a different id).
    /// By its original id or by its WeChat id, whichever leaves fewer.
    fn plan(&self, holds: &Holds) -> (Positions<'_>, Option<usize>) {
        let size = |without: &BTreeSet<usize>, same: Option<&BTreeSet<usize>>| {
            without.len() + same.map_or(0, BTreeSet::len)
        };
        let by_original_id = holds.original_id.map(|id| {
            let n = size(&self.without_original_id, self.by_original_id.get(&id));
            (n, id)
        });
        let by_wechat_id = holds.wechat_id.map(|id| {
            let n = size(&self.without_wechat_id, self.by_wechat_id.get(&id));
            (n, id)
        });
        match (by_original_id, by_wechat_id) {
            (Some((n, id)), wechat) if wechat.is_none_or(|(m, _)| n <= m) => keyed_plan(
                &self.without_original_id,
                &self.by_original_id,
                &self.original_ids,
                id,
            ),
            (_, Some((_, id))) => keyed_plan(
                &self.without_wechat_id,
                &self.by_wechat_id,
                &self.wechat_ids,
                id,
            ),
            (_, None) => (Box::new(self.live.iter().copied()), None),
        }
    }

    /// A new account of the group, whose root is `record`.
    fn push(&mut self, forest: &mut Forest<'_>, record: u32) {
        let root = forest.find(record);
        let position = self.roots.len();
        self.roots.push(Some(root));
        self.indexed.push((None, None));
        self.index(position, &forest.state[root as usize]);
        self.position_of.insert(root, position);
    }

    /// The member whose root was `own` joined the account at `position`:
    /// that account may hold new ids, and the member's own account, if it
    /// was one of the group's, is now the same one.
    fn joined(&mut self, forest: &mut Forest<'_>, position: usize, own: u32) {
        if let Some(&merged) = self.position_of.get(&own) {
            if merged != position {
                self.unindex(merged);
                self.roots[merged] = None;
            }
        }
        let old_root = self.root(position);
        self.position_of.remove(&old_root);
        self.position_of.remove(&own);
        let root = forest.find(old_root);
        self.roots[position] = Some(root);
        self.position_of.insert(root, position);
        self.unindex(position);
        self.index(position, &forest.state[root as usize]);
    }

    fn index(&mut self, position: usize, holds: &Holds) {
        self.live.insert(position);
        match holds.original_id {
            Some(id) => {
                self.by_original_id.entry(id).or_default().insert(position);
                self.original_ids.insert(position, id);
            }
            None => {
                self.without_original_id.insert(position);
            }
        }
        match holds.wechat_id {
            Some(id) => {
                self.by_wechat_id.entry(id).or_default().insert(position);
                self.wechat_ids.insert(position, id);
            }
            None => {
                self.without_wechat_id.insert(position);
            }
        }
        self.indexed[position] = (holds.original_id, holds.wechat_id);
    }

    fn unindex(&mut self, position: usize) {
        self.live.remove(&position);
        let (original_id, wechat_id) = self.indexed[position];
        match original_id {
            Some(id) => {
                if let Some(set) = self.by_original_id.get_mut(&id) {
                    set.remove(&position);
                }
                self.original_ids.remove(&position);
            }
            None => {
                self.without_original_id.remove(&position);
            }
        }
        match wechat_id {
            Some(id) => {
                if let Some(set) = self.by_wechat_id.get_mut(&id) {
                    set.remove(&position);
                }
                self.wechat_ids.remove(&position);
            }
            None => {
                self.without_wechat_id.remove(&position);
            }
        }
    }
}

/// The positions without an id of a kind and those holding `id`, in order,
/// and the first position holding another.
fn keyed_plan<'g, K: Copy + Eq + std::hash::Hash>(
    without: &'g BTreeSet<usize>,
    by_id: &'g HashMap<K, BTreeSet<usize>>,
    held: &'g BTreeMap<usize, K>,
    id: K,
) -> (Positions<'g>, Option<usize>) {
    let left_out = held
        .iter()
        .find(|&(_, &other)| other != id)
        .map(|(&position, _)| position);
    let same = by_id.get(&id).into_iter().flatten().copied();
    (merged(without.iter().copied(), same), left_out)
}

/// Two ascending sequences of distinct positions, as one ascending sequence.
fn merged<'g>(
    a: impl Iterator<Item = usize> + 'g,
    b: impl Iterator<Item = usize> + 'g,
) -> Positions<'g> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    Box::new(std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if x <= y => a.next(),
        (Some(_), Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, _) => b.next(),
    }))
}

/// What became of one attempted link.
enum Link {
    Joined,
    /// Refused: the accounts hold different ids.
    Clash,
    /// Refused: a name link between different cities.
    OtherCity,
}

/// Two different ids that a link would have joined.
#[derive(Clone, Copy)]
enum Clash {
    OriginalIds(OriginalId, OriginalId),
    WechatIds(Sym, Sym),
}

/// Union-find over records, each root carrying the ids and city its account
/// already holds, so conflicting links can be refused.
struct Forest<'r> {
    records: &'r Records,
    strings: &'r Strings,
    parent: Vec<u32>,
    state: Vec<Holds>,
    rules: Vec<Option<Rule>>,
    conflicts: Vec<Conflict>,
    city_mismatches: u64,
    /// About how many keys a rule holds at a time (`PART_KEYS`).
    part_keys: usize,
}

/// What an account holds that a link must agree with: 16 bytes a record.
/// The account is named by its root, which is also the record that
/// conflict messages cite.
#[derive(Clone, Copy)]
struct Holds {
    original_id: Option<OriginalId>,
    wechat_id: Option<Sym>,
    city: City,
}

/// The city an account's records name: none, one, or several (4 bytes: 0,
/// the city's symbol, or `u32::MAX`, which no symbol reaches: the
/// strings' text is under 4 GiB, and each distinct string but the empty
/// one takes two bytes of it or more, its length and its text).
#[derive(Clone, Copy, PartialEq)]
struct City(u32);

impl City {
    const UNKNOWN: City = City(0);
    const MIXED: City = City(u32::MAX);

    fn known(city: Sym) -> City {
        City(city.index() as u32 + 1)
    }
}

impl<'r> Forest<'r> {
    fn new(records: &'r Records, strings: &'r Strings) -> Forest<'r> {
        let state = records
            .par_iter()
            .map(|r| Holds {
                original_id: r.original_id,
                wechat_id: r.wechat_id,
                city: r.city.map_or(City::UNKNOWN, City::known),
            })
            .collect();
        Forest {
            records,
            strings,
            parent: (0..records.len() as u32).collect(),
            state,
            rules: vec![None; records.len()],
            conflicts: Vec::new(),
            city_mismatches: 0,
            part_keys: PART_KEYS,
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    /// Joins the accounts of `a` and `b` unless that would join different
    /// ids or, for name links, different cities. Nothing is logged here: a
    /// group logs once what it kept apart (`link_rule`).
    fn union(&mut self, a: u32, b: u32, rule: Rule) -> Link {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return Link::Joined;
        }
        let (ha, hb) = (self.state[ra as usize], self.state[rb as usize]);
        if id_clash(&ha, &hb).is_some() {
            return Link::Clash;
        }
        let city = match (ha.city, hb.city) {
            (City::UNKNOWN, other) | (other, City::UNKNOWN) => other,
            (x, y) if x == y && x != City::MIXED => x,
            _ if matches!(rule, Rule::MatchName | Rule::PlaceHint | Rule::NameStem) => {
                self.city_mismatches += 1;
                return Link::OtherCity;
            }
            _ => City::MIXED,
        };
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child as usize] = root;
        self.state[root as usize] = Holds {
            original_id: ha.original_id.or(hb.original_id),
            wechat_id: ha.wechat_id.or(hb.wechat_id),
            city,
        };
        for record in [a, b] {
            self.rules[record as usize].get_or_insert(rule);
        }
        Link::Joined
    }

    /// What the account of `x` holds.
    fn holds(&mut self, x: u32) -> Holds {
        let root = self.find(x);
        self.state[root as usize]
    }

    /// Logs that `member`'s account was kept apart from `root`'s, which
    /// holds a different id.
    fn log_conflict(&mut self, root: u32, member: u32, rule: Rule) {
        let (ra, rb) = (self.find(root), self.find(member));
        let Some(clash) = id_clash(&self.state[ra as usize], &self.state[rb as usize]) else {
            return;
        };
        let (left, right) = (
            self.records[ra as usize].origin,
            self.records[rb as usize].origin,
        );
        let reason = match clash {
            Clash::OriginalIds(x, y) => format!("different original ids `{x}` and `{y}`"),
            Clash::WechatIds(x, y) => format!(
                "different WeChat ids `{}` and `{}`",
                self.strings.get(x),
                self.strings.get(y)
            ),
        };
        self.conflicts.push(Conflict {
            rule,
            left,
            right,
            reason,
        });
    }
}

fn id_clash(a: &Holds, b: &Holds) -> Option<Clash> {
    match (a.original_id, b.original_id) {
        (Some(x), Some(y)) if x != y => return Some(Clash::OriginalIds(x, y)),
        _ => {}
    }
    match (a.wechat_id, b.wechat_id) {
        (Some(x), Some(y)) if x != y => Some(Clash::WechatIds(x, y)),
        _ => None,
    }
}

/// Orders records by content only (never by origin); symbols compare as
/// their strings once sorted.
fn content_cmp(a: &Record, b: &Record) -> Ordering {
    (
        a.original_id,
        a.wechat_id,
        a.province,
        a.city,
        a.match_name,
        a.name,
        a.entity,
    )
        .cmp(&(
            b.original_id,
            b.wechat_id,
            b.province,
            b.city,
            b.match_name,
            b.name,
            b.entity,
        ))
        .then_with(|| {
            (
                a.county,
                a.level,
                a.domain,
                a.account_type,
                a.followers,
                a.registered_at,
            )
                .cmp(&(
                    b.county,
                    b.level,
                    b.domain,
                    b.account_type,
                    b.followers,
                    b.registered_at,
                ))
        })
}

/// Which member gave each field of an account: positions in the account's
/// `records` (survivorship order), `None` where no member had the field.
/// Survivorship is this choice; `explain` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Provenance {
    pub name: Option<usize>,
    pub original_id: Option<usize>,
    pub wechat_id: Option<usize>,
    pub entity: Option<usize>,
    /// `None` for central accounts, which have no province.
    pub province: Option<usize>,
    pub level: Option<usize>,
    pub domain: Option<usize>,
    pub account_type: Option<usize>,
    pub followers: Option<usize>,
    pub registered_at: Option<usize>,
}

impl Provenance {
    /// The survivorship rules, over members sorted by source priority: each
    /// field from the first member that read it from a column, else the
    /// first that inferred it; the other fields from the first member that
    /// has them.
    pub fn of(records: &Records, strings: &Strings, members: &[u32]) -> Provenance {
        let all = || members.iter().map(|&i| &records[i as usize]);
        let first = |has: &dyn Fn(&Record) -> bool| all().position(has);
        let level = pick_position(all().map(|r| Some(r.level))).map(|(i, _)| i);
        let level_value = records[members[level.unwrap_or(0)] as usize].level.value();
        Provenance {
            // A record with a match-name has a name (the match-name is made
            // from its letters): only the others' text is looked at, each a
            // cache miss.
            name: first(&|r| r.match_name.is_some() || !strings.get(r.name).is_empty()),
            original_id: first(&|r| r.original_id.is_some()),
            wechat_id: first(&|r| r.wechat_id.is_some()),
            entity: first(&|r| r.entity.is_some()),
            province: match level_value {
                Level::Central => None,
                _ => pick_position(all().map(|r| r.province)).map(|(i, _)| i),
            },
            level,
            domain: pick_position(all().map(|r| Some(r.domain))).map(|(i, _)| i),
            account_type: first(&|r| r.account_type != AccountType::Unknown),
            followers: first(&|r| r.followers.is_some()),
            registered_at: first(&|r| r.registered_at.is_some()),
        }
    }
}

/// Builds an account from its members, sorted by source priority, as its
/// `Provenance` says; a field no member decided takes the first member's
/// fallback (level, domain) or is empty.
fn survive(records: &Records, strings: &Strings, members: &[u32], span: Members) -> Account {
    let from = Provenance::of(records, strings, members);
    let head = &records[members[0] as usize];
    let at = |position: Option<usize>| position.map(|p| &records[members[p] as usize]);
    let original_id = at(from.original_id).and_then(|r| r.original_id);
    let wechat_id = at(from.wechat_id).and_then(|r| r.wechat_id);
    let province = at(from.province).and_then(|r| r.province);
    let city = members.iter().find_map(|&i| records[i as usize].city);
    let key = account_key(
        original_id,
        wechat_id.map(|w| strings.get(w)),
        province.map(|p| p.value()),
        city.map_or("", |c| strings.get(c)),
        records,
        strings,
        members,
    );
    Account {
        key,
        members: span,
        wechat_id,
        name: at(from.name).unwrap_or(head).name,
        entity: at(from.entity).and_then(|r| r.entity),
        province,
        level: at(from.level).unwrap_or(head).level,
        domain: at(from.domain).unwrap_or(head).domain,
        account_type: at(from.account_type).map_or(AccountType::Unknown, |r| r.account_type),
        followers: at(from.followers).and_then(|r| r.followers),
        registered_at: at(from.registered_at).and_then(|r| r.registered_at),
        city,
    }
}

/// Survivorship of a decided field: the position (in survivorship order) and
/// value of the first member that read it from a column, else of the first
/// that inferred it.
fn pick_position<T: Copy>(
    values: impl Iterator<Item = Option<Decided<T>>> + Clone,
) -> Option<(usize, Decided<T>)> {
    let known = || {
        values
            .clone()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
    };
    known()
        .find(|(_, d)| d.basis() == Basis::Column)
        .or_else(|| known().find(|(_, d)| d.basis() != Basis::Fallback))
}

/// A stable key from content: the original id, else the WeChat id, else the
/// province, city and match-name.
fn account_key(
    original_id: Option<OriginalId>,
    wechat_id: Option<&str>,
    province: Option<Province>,
    city: &str,
    records: &Records,
    strings: &Strings,
    members: &[u32],
) -> AccountKey {
    if let Some(id) = original_id {
        return AccountKey::Id(id);
    }
    if let Some(id) = wechat_id {
        return AccountKey::text(format!("wx:{id}"));
    }
    let name = members
        .iter()
        .find_map(|&i| records[i as usize].match_name)
        .map_or("", |s| strings.get(s));
    let province = province.map_or(0, |p| p.code());
    AccountKey::text(format!("name:{province}:{city}:{name}"))
}

/// What an account's key is made of, as one number, chosen as `survive`
/// and `account_key` choose it: the first member's original id, else the
/// first member's WeChat id, else the first member's match-name. Accounts
/// of equal keys have equal identities; not always the converse, for a
/// name key's province and city are left out.
fn key_identity(records: &Records, members: &[u32]) -> u64 {
    let all = || members.iter().map(|&i| &records[i as usize]);
    if let Some(id) = all().find_map(|r| r.original_id) {
        // 48 bits.
        return id.digits();
    }
    if let Some(wechat_id) = all().find_map(|r| r.wechat_id) {
        return 1 << 62 | wechat_id.index() as u64;
    }
    let name = all().find_map(|r| r.match_name);
    2 << 62 | name.map_or(1 << 32, |name| name.index() as u64)
}

/// Orders accounts by key, then by their first record's content, in place:
/// a sort of (key prefix, index) pairs and a permutation by rank held 20
/// bytes an account beside them (some 140 MB at 8M rows, the run's peak),
/// and was no faster. Most keys are ids, and an id is its own prefix; two
/// accounts themselves are compared only when their prefixes are equal.
/// Accounts equal in key and first record (an unplaced, id-less account
/// listed twice and kept apart) keep the order they were formed in, the
/// order of their members: the sort is unstable, the result not. `head`
/// gives an account's first record, which is read only for accounts of
/// equal key.
fn sort_by_key<'r>(accounts: &mut [Account], head: impl Fn(&Account) -> &'r Record + Sync) {
    accounts.par_sort_unstable_by(|a, b| {
        key_prefix(&a.key).cmp(&key_prefix(&b.key)).then_with(|| {
            a.key
                .cmp(&b.key)
                .then_with(|| content_cmp(head(a), head(b)))
                .then(a.members.start.cmp(&b.members.start))
        })
    });
}

/// A number that orders keys as their text does wherever two numbers
/// differ: an id's 48 bits (`gh_` sorts before the `name:` and `wx:` of
/// text keys), else the top bit and the text's first seven bytes.
fn key_prefix(key: &AccountKey) -> u64 {
    match key {
        // `gh_` and 12 hex digits order as the digits; `#2` only follows.
        AccountKey::Id(id) | AccountKey::IdAgain(id, _) => id.digits(),
        AccountKey::Text(text) => {
            let mut head = [0u8; 8];
            let n = text.len().min(7);
            head[1..=n].copy_from_slice(&text.as_bytes()[..n]);
            1 << 63 | u64::from_be_bytes(head)
        }
    }
}

/// Keys shared by several accounts (id-less ones refused a link) get `#2`, `#3`.
/// Accounts come sorted by key, so equal keys are neighbours.
fn disambiguate_keys(accounts: &mut [Account]) {
    let mut run = 1;
    let mut previous: Option<AccountKey> = None;
    for account in accounts.iter_mut() {
        match &previous {
            Some(key) if *key == account.key => {
                run += 1;
                account.key = match key {
                    AccountKey::Id(id) => AccountKey::IdAgain(*id, run),
                    _ => AccountKey::text(format!("{key}#{run}")),
                };
            }
            _ => {
                run = 1;
                previous = Some(account.key.clone());
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::normalize::Interner;
    use proptest::prelude::*;

    /// Records that share a name and differ in ids and city, each id or
    /// city drawn from a small pool (or absent).
    fn records(drawn: &[(u8, u8, u8)]) -> (Records, Strings) {
        let mut interner = Interner::with_capacity(8, 64);
        let name = interner.intern("城区发布");
        let wechat: Vec<Sym> = (0..3).map(|i| interner.intern(&format!("wx{i}"))).collect();
        let cities: Vec<Sym> = ["汕尾市", "大同市"].map(|c| interner.intern(c)).to_vec();
        let decided = |basis| Decided::new(Level::Municipal, basis);
        let records = (0..)
            .zip(drawn)
            .map(|(line, &(original, wechat_id, city))| Record {
                original_id: (original > 0).then_some(OriginalId::new(u64::from(original))),
                wechat_id: wechat.get(usize::from(wechat_id)).copied(),
                name,
                match_name: Some(name),
                city: cities.get(usize::from(city)).copied(),
                level: decided(Basis::Column),
                ..Record::blank(line)
            })
            .collect::<Vec<_>>();
        (records.into(), interner.finish())
    }

    /// Accounts as sets of records, and the log, of one forest.
    fn outcome(forest: &mut Forest<'_>) -> (Vec<u32>, Vec<(u32, u32, String)>, u64) {
        let n = forest.records.len() as u32;
        let accounts = (0..n).map(|i| forest.find(i)).collect();
        let log = forest
            .conflicts
            .iter()
            .map(|c| (c.left.line, c.right.line, c.reason.clone()))
            .collect();
        (accounts, log, forest.city_mismatches)
    }

    /// A run holds a record per input row and nearly as many accounts: at
    /// 8M rows each byte of either is some 15 MB of the peak.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn records_and_accounts_stay_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<Option<Count>>(), 4);
        assert_eq!(size_of::<Option<Date>>(), 4);
        assert_eq!(size_of::<Option<Decided<Province>>>(), 4);
        assert_eq!(size_of::<Option<OriginalId>>(), 8);
        assert!(size_of::<Record>() <= 68, "{}", size_of::<Record>());
        assert!(size_of::<Holds>() <= 16, "{}", size_of::<Holds>());
        assert!(size_of::<Account>() <= 64, "{}", size_of::<Account>());
    }

    proptest! {
        #[test]
        fn indexed_group_linking_equals_trying_every_account(
            drawn in proptest::collection::vec((0u8..4, 0u8..4, 0u8..3), 1..40),
            links in proptest::collection::vec((0usize..40, 0usize..40), 0..10),
            order in proptest::collection::vec(any::<u32>(), 40),
        ) {
            let (records, strings) = records(&drawn);
            let n = records.len();
            let mut members: Vec<u32> = (0..n as u32).collect();
            members.sort_by_key(|&i| order[i as usize]);
            let mut by_scan = Forest::new(&records, &strings);
            let mut indexed = Forest::new(&records, &strings);
            for forest in [&mut by_scan, &mut indexed] {
                // Earlier rules' links, so that members arrive already joined.
                for &(a, b) in &links {
                    let _ = forest.union((a % n) as u32, (b % n) as u32, Rule::WechatId);
                }
            }
            link_group_by_scan(&mut by_scan, Rule::MatchName, members.iter().copied(), &mut Vec::new());
            link_group(&mut indexed, Rule::MatchName, members.iter().copied());
            prop_assert_eq!(outcome(&mut indexed), outcome(&mut by_scan));
        }
    }

    fn account_keys() -> impl Strategy<Value = AccountKey> {
        prop_oneof![
            any::<u64>().prop_map(|d| AccountKey::Id(OriginalId::new(d))),
            (any::<u64>(), 2..u32::MAX)
                .prop_map(|(d, run)| AccountKey::IdAgain(OriginalId::new(d), run)),
            "wx:[a-z0-9_-]{0,12}".prop_map(AccountKey::text),
            "name:[0-9]{1,2}:\\PC{0,4}:\\PC{0,6}".prop_map(AccountKey::text),
            "name:[0-9]{1,2}:\\PC{0,2}:[a-z]{0,3}#[2-9]".prop_map(AccountKey::text),
        ]
    }

    fn group_keys() -> impl Strategy<Value = GroupKey> {
        // Small values often, so that keys of different variants share one.
        let value = |max: u64| prop_oneof![0..4u64, 0..max];
        let sym = move || value(u64::from(u32::MAX) - 1).prop_map(|i| Sym::at(i as usize));
        prop_oneof![
            value(1 << 48).prop_map(GroupKey::Id),
            sym().prop_map(GroupKey::Text),
            (value(255), sym()).prop_map(|(p, s)| GroupKey::Place(p as u8, s)),
            value(u64::from(u32::MAX)).prop_map(|c| GroupKey::Copy(c as u32)),
        ]
    }

    proptest! {
        #[test]
        fn a_key_prefix_orders_as_the_key_where_two_differ(
            a in account_keys(),
            b in account_keys(),
        ) {
            let (pa, pb) = (key_prefix(&a), key_prefix(&b));
            if pa != pb {
                prop_assert_eq!(pa.cmp(&pb), a.cmp(&b), "{} {}", a, b);
            }
        }

        #[test]
        fn an_id_again_reads_as_the_id_and_its_number(digits in any::<u64>(), run in 2..=u32::MAX) {
            let id = OriginalId::new(digits);
            let again = AccountKey::IdAgain(id, run);
            prop_assert_eq!(again.to_string(), format!("{}#{run}", AccountKey::Id(id)));
            prop_assert_eq!(again.original_id(), Some(id));
        }

        #[test]
        fn packed_group_keys_order_and_equal_as_the_keys(a in group_keys(), b in group_keys()) {
            prop_assert_eq!(a.packed().cmp(&b.packed()), a.cmp(&b));
            prop_assert_eq!(a.packed() == b.packed(), a == b);
            prop_assert_ne!(a.packed(), u64::MAX, "link_rule's empty slot");
        }
    }

    #[test]
    fn a_group_of_three_ids_forms_three_accounts_and_logs_two() {
        let drawn: Vec<(u8, u8, u8)> = (0..200).map(|i| (i as u8 % 3 + 1, 0, 0)).collect();
        let (records, strings) = records(&drawn);
        let mut forest = Forest::new(&records, &strings);
        link_group(&mut forest, Rule::MatchName, 0..records.len() as u32);
        let accounts: BTreeSet<u32> = (0..200).map(|i| forest.find(i)).collect();
        assert_eq!(accounts.len(), 3, "one account per original id");
        assert_eq!(
            forest.conflicts.len(),
            2,
            "two accounts kept apart, each logged once"
        );
    }

    /// A record of province 44 for the rule tests: ids and name as given.
    pub(crate) struct Spec {
        pub file: u32,
        pub line: u32,
        pub original_id: Option<u64>,
        pub wechat_id: Option<&'static str>,
        pub name: &'static str,
        pub followers: Option<u64>,
        pub level: Decided<Level>,
        /// The entity, whose match-name is taken to be itself.
        pub entity: Option<&'static str>,
    }

    pub(crate) fn spec(
        line: u32,
        original_id: Option<u64>,
        wechat_id: Option<&'static str>,
        name: &'static str,
    ) -> Spec {
        Spec {
            file: 0,
            line,
            original_id,
            wechat_id,
            name,
            followers: None,
            level: Decided::new(Level::Municipal, Basis::Name),
            entity: None,
        }
    }

    /// Records from specs, their strings sorted as `link` needs.
    pub(crate) fn build(specs: &[Spec]) -> (Records, Strings) {
        let mut interner = Interner::with_capacity(16, 256);
        let records: Vec<Record> = specs
            .iter()
            .map(|s| {
                let name = interner.intern(s.name);
                Record {
                    origin: Origin {
                        file: s.file,
                        line: s.line,
                    },
                    original_id: s.original_id.map(OriginalId::new),
                    wechat_id: s.wechat_id.map(|w| interner.intern(w)),
                    name,
                    // The name stands for its match-name; an empty name has none.
                    match_name: (!s.name.is_empty()).then_some(name),
                    entity: s.entity.map(|e| interner.intern(e)),
                    entity_key: s.entity.map(|e| interner.intern(e)),
                    province: Some(Decided::new(
                        Province::from_code(44).expect("广东"),
                        Basis::Column,
                    )),
                    level: s.level,
                    followers: s.followers.map(|f| {
                        let f = u32::try_from(f).ok().and_then(Count::new);
                        f.expect("a test's followers fit")
                    }),
                    ..Record::blank(s.line)
                }
            })
            .collect();
        let (strings, records) =
            crate::normalize::merge_batches(vec![(interner.finish(), records)])
                .expect("a test's text fits");
        (records, strings)
    }

    #[test]
    fn accounts_kept_apart_that_share_an_id_keep_it_and_number_their_keys() {
        let (records, strings) = build(&[
            spec(1, Some(0xabc), Some("a"), "深圳交警"),
            spec(2, Some(0xabc), Some("b"), "深圳交警"),
            spec(3, Some(0xabc), Some("c"), "深圳交警"),
            spec(4, None, Some("d"), "深圳交警"),
        ]);
        let linked = link(&records, &strings, &[0]);
        let keys: Vec<String> = linked.accounts.iter().map(|a| a.key.to_string()).collect();
        assert_eq!(
            keys,
            [
                "gh_000000000abc",
                "gh_000000000abc#2",
                "gh_000000000abc#3",
                "wx:d"
            ]
        );
        let ids: Vec<Option<OriginalId>> =
            linked.accounts.iter().map(Account::original_id).collect();
        let id = Some(OriginalId::new(0xabc));
        assert_eq!(ids, [id, id, id, None]);
    }

    #[test]
    fn fabu_is_optional_only_where_nothing_collides() {
        let run = |specs: &[Spec]| {
            let (records, strings) = build(specs);
            let linked = link(&records, &strings, &[0]);
            let stems = linked
                .rules
                .iter()
                .filter(|r| **r == Some(Rule::NameStem))
                .count();
            (partition(&linked, &records), linked.conflicts.len(), stems)
        };
        let with = |entity, s: Spec| Spec {
            entity: Some(entity),
            ..s
        };
        // The bare name and its 发布 form, nothing else: one account.
        let (accounts, conflicts, stems) = run(&[
            spec(1, None, None, "深圳交警"),
            spec(2, None, None, "深圳交警发布"),
        ]);
        assert_eq!((accounts, conflicts), (vec![vec![1, 2]], 0));
        assert!(stems > 0);
        // Two ids are two accounts, and no conflict is reported for it.
        let (accounts, conflicts, _) = run(&[
            spec(1, Some(1), None, "深圳交警"),
            spec(2, Some(2), None, "深圳交警发布"),
        ]);
        assert_eq!((accounts, conflicts), (vec![vec![1], vec![2]], 0));
        // Two accounts of the bare name: which one the 发布 record is, nothing says.
        let (accounts, _, _) = run(&[
            spec(1, Some(1), None, "深圳交警"),
            spec(2, Some(2), None, "深圳交警"),
            spec(3, None, None, "深圳交警发布"),
        ]);
        assert_eq!(accounts, vec![vec![1], vec![2], vec![3]]);
        // Different bodies named alike are two accounts; the same body, one.
        let (accounts, _, _) = run(&[
            with("吉林省高级人民法院", spec(1, None, None, "吉林法院")),
            with("吉林市中级人民法院", spec(2, None, None, "吉林法院发布")),
        ]);
        assert_eq!(accounts, vec![vec![1], vec![2]]);
        let (accounts, _, _) = run(&[
            with("吉林省高级人民法院", spec(1, None, None, "吉林法院")),
            with("吉林省高级人民法院", spec(2, None, None, "吉林法院发布")),
        ]);
        assert_eq!(accounts, vec![vec![1, 2]]);
        // A name suffixed twice stems once: 深圳交警发布发布 is not the 发布
        // form of 深圳交警发布, itself the 发布 form of 深圳交警.
        let (accounts, _, _) = run(&[
            spec(1, None, None, "深圳交警"),
            spec(2, None, None, "深圳交警发布"),
            spec(3, None, None, "深圳交警发布发布"),
        ]);
        assert_eq!(accounts, vec![vec![1, 2], vec![3]]);
        // A one-character stem is no name: 粤 and 粤发布 stay apart.
        let (accounts, _, _) = run(&[spec(1, None, None, "粤"), spec(2, None, None, "粤发布")]);
        assert_eq!(accounts, vec![vec![1], vec![2]]);
    }

    /// Each account as the sorted lines of its records, sorted.
    fn partition(linked: &Linked, records: &Records) -> Vec<Vec<u32>> {
        let mut accounts: Vec<Vec<u32>> = linked
            .accounts
            .iter()
            .map(|a| {
                let mut lines: Vec<u32> = linked
                    .records_of(a)
                    .iter()
                    .map(|&i| records[i as usize].origin.line)
                    .collect();
                lines.sort_unstable();
                lines
            })
            .collect();
        accounts.sort();
        accounts
    }

    #[test]
    fn links_are_transitive_across_rules() {
        // 1 and 2 share an original id, 2 and 3 a WeChat id, 3 and 4 a
        // match-name: one account, each record linked by its own rule.
        let (records, strings) = build(&[
            spec(1, Some(7), None, "甲"),
            spec(2, Some(7), Some("wx-a"), "乙"),
            spec(3, None, Some("wx-a"), "丙"),
            spec(4, None, None, "丙"),
            spec(5, None, None, "丁"),
        ]);
        let linked = link(&records, &strings, &[0]);
        assert_eq!(partition(&linked, &records), [vec![1, 2, 3, 4], vec![5]]);
        assert_eq!(linked.rules[0], Some(Rule::OriginalId));
        assert_eq!(linked.rules[2], Some(Rule::WechatId));
        assert_eq!(linked.rules[3], Some(Rule::MatchName));
        assert_eq!(linked.rules[4], None);
        assert!(linked.conflicts.is_empty());
    }

    #[test]
    fn two_original_ids_are_never_linked_by_a_weaker_rule() {
        // Same name and WeChat id, different original ids: cannot-link.
        let (records, strings) = build(&[
            spec(1, Some(1), Some("wx-a"), "甲"),
            spec(2, Some(2), Some("wx-a"), "甲"),
            spec(3, None, None, "甲"),
        ]);
        let linked = link(&records, &strings, &[0]);
        let accounts = partition(&linked, &records);
        assert_eq!(accounts.len(), 2, "{accounts:?}");
        assert!(accounts.iter().any(|a| a.contains(&1) != a.contains(&2)));
        assert!(!linked.conflicts.is_empty(), "the refused link is logged");
        assert!(linked.conflicts.iter().all(|c| c.rule != Rule::OriginalId));
    }

    #[test]
    fn survivorship_takes_each_field_from_the_best_source_and_says_which() {
        let mut low = spec(1, Some(9), None, "甲");
        low.file = 1;
        low.followers = Some(100);
        low.level = Decided::new(Level::County, Basis::Column);
        let mut high = spec(2, Some(9), Some("wx-b"), "甲");
        high.followers = Some(200);
        let (records, strings) = build(&[low, high]);
        // File 0 outranks file 1.
        let linked = link(&records, &strings, &[0, 1]);
        let account = &linked.accounts[0];
        let members = linked.records_of(account);
        let from = Provenance::of(&records, &strings, members);
        let line =
            |position: Option<usize>| position.map(|p| records[members[p] as usize].origin.line);
        assert_eq!(account.followers, Count::new(200));
        assert_eq!(line(from.followers), Some(2), "the higher-priority source");
        // A level read from a column beats one inferred, whatever the source.
        assert_eq!(account.level.value(), Level::County);
        assert_eq!(line(from.level), Some(1));
        assert_eq!(line(from.wechat_id), Some(2));
        assert_eq!(from.registered_at, None);
    }

    #[test]
    fn the_name_comes_from_the_first_member_that_has_one_letters_or_not() {
        // File 0 outranks file 1: the record with only an id comes first.
        let bare = spec(1, Some(9), None, "");
        let mut symbols = spec(2, Some(9), None, "★★");
        symbols.file = 1;
        let (mut records, strings) = build(&[bare, symbols]);
        // ★★ has no letters, so no match-name.
        records[1].match_name = None;
        let linked = link(&records, &strings, &[0, 1]);
        let account = &linked.accounts[0];
        let members = linked.records_of(account);
        let from = Provenance::of(&records, &strings, members);
        let line = from.name.map(|p| records[members[p] as usize].origin.line);
        assert_eq!(line, Some(2));
        assert_eq!(strings.get(account.name), "★★");
    }

    proptest! {
        /// Records in many chunks (64 a chunk in tests), of few ids, WeChat
        /// ids and names, some unplaced, from two files: accounts that
        /// share keys, kept apart by their ids or unplaced, across rounds.
        /// Letting the records go as their accounts are built gives what
        /// keeping them gives, accounts, keys and order alike.
        #[test]
        fn releasing_records_links_as_keeping_them(
            drawn in proptest::collection::vec((0u64..4, 0usize..4, 0usize..5, 0u32..2, any::<bool>()), 0..700),
        ) {
            const WECHAT: [Option<&str>; 4] = [None, Some("a"), Some("b"), Some("c")];
            const NAMES: [&str; 5] = ["", "平安深圳", "深圳交警", "城区发布", "健康深圳"];
            let specs: Vec<Spec> = (1..)
                .zip(&drawn)
                .map(|(line, &(id, wechat, name, file, _))| Spec {
                    file,
                    ..spec(line, (id > 0).then_some(id), WECHAT[wechat], NAMES[name])
                })
                .collect();
            let (mut records, strings) = build(&specs);
            for (record, &(.., placed)) in records.iter_mut().zip(&drawn) {
                if !placed {
                    record.province = None;
                }
            }
            let kept = link(&records, &strings, &[1, 0]);
            let released = link_releasing(records, &strings, &[1, 0]);
            prop_assert_eq!(format!("{:?}", released.accounts), format!("{:?}", kept.accounts));
            prop_assert_eq!(released.members, kept.members);
            prop_assert_eq!(released.rules, kept.rules);
            prop_assert_eq!(format!("{:?}", released.conflicts), format!("{:?}", kept.conflicts));
        }
    }

    proptest! {
        /// Rules that hold their keys a part at a time link as rules that
        /// hold them all: the same accounts, rules and conflicts, logged
        /// in the same order (groups are linked in key order, part after
        /// part).
        #[test]
        fn rules_link_in_parts_as_in_one(
            drawn in proptest::collection::vec((0u64..4, 0usize..4, 0usize..5, any::<bool>()), 0..400),
            part_keys in 1usize..100,
        ) {
            const WECHAT: [Option<&str>; 4] = [None, Some("a"), Some("b"), Some("c")];
            const NAMES: [&str; 5] = ["", "平安深圳", "深圳交警", "城区发布", "健康深圳"];
            let specs: Vec<Spec> = (1..)
                .zip(&drawn)
                .map(|(line, &(id, wechat, name, _))| {
                    spec(line, (id > 0).then_some(id), WECHAT[wechat], NAMES[name])
                })
                .collect();
            let (mut records, strings) = build(&specs);
            for (record, &(.., placed)) in records.iter_mut().zip(&drawn) {
                if !placed {
                    record.province = None;
                }
            }
            let whole = group_in_parts(&records, &strings, &[0], usize::MAX);
            let parts = group_in_parts(&records, &strings, &[0], part_keys);
            prop_assert_eq!(parts.members, whole.members);
            prop_assert_eq!(parts.starts, whole.starts);
            prop_assert_eq!(parts.rules, whole.rules);
            prop_assert_eq!(format!("{:?}", parts.conflicts), format!("{:?}", whole.conflicts));
        }
    }

    /// An entity with two account names is shared: its full name used as
    /// a name links only exact copies of a record (3 and 4, not 5); an
    /// entity with one account lends it its full name (6 and 7). Many
    /// strings sort before the entities, so that their symbols lie past
    /// the first words of the shared-entity bits.
    #[test]
    fn an_entity_name_links_to_a_single_account_and_only_copies_of_a_shared_one() {
        let mut specs = vec![
            Spec {
                entity: Some("深圳市公安局"),
                ..spec(1, Some(1), None, "平安深圳")
            },
            Spec {
                entity: Some("深圳市公安局"),
                ..spec(2, Some(2), None, "深圳交警")
            },
            spec(3, None, None, "深圳市公安局"),
            spec(4, None, None, "深圳市公安局"),
            Spec {
                followers: Some(500),
                ..spec(5, None, None, "深圳市公安局")
            },
            Spec {
                entity: Some("宁波市公安局"),
                ..spec(6, Some(9), None, "宁波警方")
            },
            spec(7, None, None, "宁波市公安局"),
        ];
        for line in 8..300 {
            let name: &'static str = format!("一{line:04}").leak();
            specs.push(spec(line, Some(u64::from(line) + 100), None, name));
        }
        let (records, strings) = build(&specs);
        let shenzhen = strings.find("深圳市公安局").expect("interned");
        assert!(
            shenzhen.index() > 200,
            "the entity's symbol is past the first words"
        );
        let linked = link(&records, &strings, &[0]);
        let accounts = partition(&linked, &records);
        let mut expected = vec![vec![1], vec![2], vec![3, 4], vec![5], vec![6, 7]];
        expected.extend((8..300).map(|line| vec![line]));
        expected.sort();
        assert_eq!(accounts, expected);
    }

    #[test]
    fn accounts_alike_in_key_and_content_keep_their_order() {
        // Unplaced, id-less accounts listed many times, in a scrambled
        // order: nothing links the copies, so each name gives about 1,000
        // accounts alike but for their lines, which the sort must not
        // reorder among themselves.
        let names = ["丙", "甲", "乙"];
        let specs: Vec<Spec> = (0..3000u32)
            .map(|line| spec(line, None, None, names[(line * 7919 % 3001 % 3) as usize]))
            .collect();
        let (mut records, strings) = build(&specs);
        records.iter_mut().for_each(|r| r.province = None);
        let linked = link(&records, &strings, &[0]);
        assert_eq!(linked.accounts.len(), 3000);
        for group in linked.accounts.chunk_by(|a, b| {
            records[linked.records_of(a)[0] as usize].name
                == records[linked.records_of(b)[0] as usize].name
        }) {
            let lines: Vec<u32> = group
                .iter()
                .map(|a| records[linked.records_of(a)[0] as usize].origin.line)
                .collect();
            assert!(lines.is_sorted(), "in the order they were formed");
        }
    }

    proptest! {
        #[test]
        fn accounts_do_not_depend_on_record_order(
            drawn in proptest::collection::vec((0u8..4, 0u8..4, 0u8..3), 1..30),
            order in proptest::collection::vec(any::<u32>(), 30),
        ) {
            let names = ["甲", "乙", "丙"];
            let wechat = [None, Some("wx-a"), Some("wx-b"), Some("wx-c")];
            let specs = |lines: &[usize]| -> Vec<Spec> {
                lines
                    .iter()
                    .map(|&i| {
                        let (id, wx, name) = drawn[i];
                        spec(i as u32, (id > 0).then_some(u64::from(id)), wechat[usize::from(wx)], names[usize::from(name)])
                    })
                    .collect()
            };
            let forward: Vec<usize> = (0..drawn.len()).collect();
            let mut shuffled = forward.clone();
            shuffled.sort_by_key(|&i| order[i]);
            let (a, sa) = build(&specs(&forward));
            let (b, sb) = build(&specs(&shuffled));
            let (la, lb) = (link(&a, &sa, &[0]), link(&b, &sb, &[0]));
            prop_assert_eq!(partition(&la, &a), partition(&lb, &b));
            let keys = |l: &Linked| l.accounts.iter().map(|x| x.key.clone()).collect::<Vec<_>>();
            prop_assert_eq!(keys(&la), keys(&lb));
            prop_assert_eq!(la.conflicts.len(), lb.conflicts.len());
        }
    }
}
