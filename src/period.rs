//! One period's data: its files read, their records normalised and linked
//! into accounts, and its activity rows matched to them. `process_period`
//! builds it; metrics, the audit files and `explain` read it.

use anyhow::Result;
use rayon::prelude::*;
use tracing::{info, warn};

use crate::config::Settings;
use crate::dedup::{self, Account};
use crate::ingest::{self, FileKind, Period};
use crate::timing::timed_value;
use crate::{activity, normalize, NoInput};

/// One period, read, normalised and linked: what metrics are computed from.
pub struct PeriodData {
    pub name: String,
    /// Per input file (or sheet), in path order.
    pub files: Vec<ingest::FileReport>,
    /// The records, in the order read, when kept (`Keep::Records`); else
    /// empty: dedup lets them go as it builds the accounts, and a report
    /// needs of them only what the fields below keep.
    pub records: normalize::Records,
    /// Each record's origin, in record order: what the audit files cite.
    pub origins: Origins,
    /// Records whose original id was given but is not one.
    pub invalid_original_ids: u64,
    /// Records whose registered date was given but is not a date.
    pub bad_registered_dates: u64,
    /// The text the records and accounts refer to.
    pub strings: normalize::Strings,
    pub linked: dedup::Linked,
    /// Activity of each account, in `linked.accounts` order.
    pub activity: activity::PeriodActivity,
}

/// What a period keeps of its records once it is linked. A record is 68
/// bytes (136 MB at 2M rows); a report needs only their origins (4 bytes
/// and a run per file) and two counts, taken before dedup, which then lets
/// the records go as it builds the accounts (`dedup::link_releasing`); the
/// accounts keep their cities. `explain` prints the records whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Records,
    Origins,
}

impl PeriodData {
    /// A period from its parts: `records` is empty unless they are kept.
    fn new(
        name: String,
        files: Vec<ingest::FileReport>,
        taken: Taken,
        records: normalize::Records,
        strings: normalize::Strings,
        linked: dedup::Linked,
        activity: activity::PeriodActivity,
    ) -> PeriodData {
        PeriodData {
            name,
            files,
            origins: taken.origins,
            invalid_original_ids: taken.invalid_original_ids,
            bad_registered_dates: taken.bad_registered_dates,
            records,
            strings,
            linked,
            activity,
        }
    }

    /// In-scope accounts (mainland and central).
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.linked.accounts.iter().filter(|a| a.in_scope())
    }
}

/// What a report needs of the records once they are linked, taken before
/// dedup lets them go.
struct Taken {
    origins: Origins,
    invalid_original_ids: u64,
    bad_registered_dates: u64,
}

impl Taken {
    fn of(records: &normalize::Records) -> Taken {
        let count = |has: fn(&normalize::Record) -> bool| {
            records.par_iter().filter(|&r| has(r)).count() as u64
        };
        Taken {
            origins: Origins::of(records),
            invalid_original_ids: count(|r| r.invalid_original_id),
            bad_registered_dates: count(|r| r.bad_registered_at),
        }
    }
}

/// Each record's origin, held as its line and the runs of records that
/// share a file: 4 bytes a record where an `Origin` takes 8. Records come
/// file by file, so there is a run per file; any order would still be told
/// right, with more runs.
pub struct Origins {
    lines: Vec<u32>,
    /// Each run's first record and its file, in record order.
    runs: Vec<(u32, u32)>,
}

impl Origins {
    pub fn of(records: &normalize::Records) -> Origins {
        let lines = records.par_iter().map(|r| r.origin.line).collect();
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for (i, record) in records.iter().enumerate() {
            if runs
                .last()
                .is_none_or(|&(_, file)| file != record.origin.file)
            {
                runs.push((i as u32, record.origin.file));
            }
        }
        Origins { lines, runs }
    }

    /// The origin of record `i`.
    pub fn get(&self, i: u32) -> normalize::Origin {
        let run = self.runs.partition_point(|&(first, _)| first <= i) - 1;
        normalize::Origin {
            file: self.runs[run].1,
            line: self.lines[i as usize],
        }
    }
}

/// Reads, normalises and links one period, then reads its activity rows
/// against the accounts. Files are read in parallel; results keep path order
/// whatever the thread count. `on_file` is called as each registry file is
/// read (for progress). The records are kept as `keep` says.
pub fn process_period(
    period: &Period,
    settings: &Settings,
    on_file: &(dyn Fn() + Sync),
    keep: Keep,
) -> Result<PeriodData> {
    let (mut files, records, strings) = timed_value("read registry", || {
        // Each batch's strings, in the order of the batches.
        let mut tables: Vec<normalize::Strings> = Vec::new();
        let (files, batches) = read_sources(
            &period.files,
            &[],
            &[FileKind::Registry],
            settings.reading(),
            on_file,
            &Registry(settings),
            |batch| tables.push(batch.strings.finish()),
        );
        assert_eq!(tables.len(), batches.len(), "a string table for each batch");
        let (strings, records) =
            normalize::merge_batches(tables.into_iter().zip(batches).collect())
                .map_err(|e| anyhow::anyhow!("period `{}`: {e}", period.name))?;
        Ok::<_, anyhow::Error>((files, records, strings))
    })?;
    if records.is_empty() {
        // Say why each file gave nothing: that is what the user must fix.
        let reasons: String = files
            .iter()
            .map(|f| match &f.skipped {
                Some(reason) => format!("\n  `{}`: skipped: {reason}", f.path),
                None => format!(
                    "\n  `{}`: {} records read, none accepted",
                    f.path, f.records_read
                ),
            })
            .collect();
        return Err(NoInput(format!(
            "period `{}` has no usable registry records ({} files); nothing to report{reasons}",
            period.name,
            files.len()
        ))
        .into());
    }
    let source_paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let source_rank = source_ranks(&source_paths, settings);
    // What is read of the records after dedup, taken before it lets them
    // go: their origins and counts, and the activity index's names.
    let taken = Taken::of(&records);
    let names = match files.iter().any(|f| f.kind == Some(FileKind::Activity)) {
        true => activity::record_names(&records),
        false => Vec::new(),
    };
    let (linked, records) = timed_value("dedup", || match keep {
        Keep::Records => (dedup::link(&records, &strings, &source_rank), records),
        Keep::Origins => (
            dedup::link_releasing(records, &strings, &source_rank),
            normalize::Records::default(),
        ),
    });
    let activity = timed_value("read activity", || {
        read_activity(
            period,
            settings.reading(),
            &mut files,
            &names,
            &strings,
            &linked,
            &source_rank,
        )
    });
    drop(names);
    info!(
        "period {}: {} sources, {} records, {} accounts, {} conflicts, {} activity rows",
        period.name,
        files.len(),
        records.len(),
        linked.accounts.len(),
        linked.conflicts.len(),
        activity.rows_matched
    );
    for file in &files {
        let kind = file.kind.map_or("-", FileKind::name);
        info!(
            "`{}`: {}, {kind}, header on line {}, columns {}; {} rows read, {} accepted, {} rejected",
            file.path,
            file.encoding.unwrap_or("workbook"),
            file.header_line.map_or("-".to_owned(), |l| l.to_string()),
            file.columns.join(", "),
            file.records_read,
            file.records_accepted,
            file.records_rejected
        );
    }
    for file in files.iter().filter(|f| f.skipped.is_some()) {
        warn!(
            "skipped `{}`: {}",
            file.path,
            file.skipped.as_deref().unwrap_or_default()
        );
    }
    for file in &files {
        for column in &file.extra_columns {
            match ingest::header::suggest(column) {
                Some((spelling, known)) => warn!(
                    "`{}`: column `{column}` is not read (did you mean `{spelling}`, {}?)",
                    file.path,
                    known.name()
                ),
                None => warn!("`{}`: column `{column}` is not read", file.path),
            }
        }
    }
    Ok(PeriodData::new(
        period.name.clone(),
        files,
        taken,
        records,
        strings,
        linked,
        activity,
    ))
}

/// A value read from a source, whose origin names its sheet.
trait Sourced {
    fn origin_mut(&mut self) -> &mut normalize::Origin;
}

impl Sourced for normalize::Record {
    fn origin_mut(&mut self) -> &mut normalize::Origin {
        &mut self.origin
    }
}

impl Sourced for activity::MatchedRow {
    fn origin_mut(&mut self) -> &mut normalize::Origin {
        &mut self.origin
    }
}

/// Registry records, each batch's text interned apart.
struct Registry<'a>(&'a Settings);

impl ingest::Visitor for Registry<'_> {
    type State = normalize::Batch;
    type Value = normalize::Record;

    fn new_state(&self, rows: usize, bytes: usize) -> normalize::Batch {
        normalize::Batch::for_rows(rows, bytes)
    }

    fn visit(
        &self,
        batch: &mut normalize::Batch,
        raw: &ingest::RawRecord<'_>,
    ) -> std::result::Result<normalize::Record, ingest::RowError> {
        normalize::registry_record(raw, self.0, batch)
    }

    fn end_batch(&self, batch: &mut normalize::Batch) {
        // Its strings are kept until every file is read.
        batch.finish();
    }
}

/// Reads files in parallel. Returns one report per source (a text file, or
/// a workbook sheet) in path order, and the accepted values batch by batch,
/// in order, each value's `origin.file` set to its source's index in that
/// list. `absorb` takes each batch's state, in order.
fn read_sources<V>(
    files: &[ingest::SourceFile],
    resumes: &[Option<ingest::Resume>],
    kinds: &[FileKind],
    reading: ingest::Reading<'_>,
    on_file: &(dyn Fn() + Sync),
    visitor: &V,
    mut absorb: impl FnMut(V::State),
) -> (Vec<ingest::FileReport>, Vec<Vec<V::Value>>)
where
    V: ingest::Visitor,
    V::Value: Sourced,
{
    let read: Vec<_> = files
        .par_iter()
        .enumerate()
        .map(|(i, file)| {
            let resume = resumes.get(i).and_then(Option::as_ref);
            let read = ingest::read_file(file, kinds, reading, visitor, resume);
            on_file();
            read
        })
        .collect();
    let mut reports = Vec::with_capacity(read.len());
    // Each batch's values, and the index of its source.
    let mut batches = Vec::new();
    for (report, read) in read.into_iter().flatten() {
        let source = reports.len() as u32;
        for (state, batch) in read {
            absorb(state);
            batches.push((source, batch));
        }
        reports.push(report);
    }
    batches.par_iter_mut().for_each(|(source, batch)| {
        batch.iter_mut().for_each(|v| v.origin_mut().file = *source);
    });
    let batches = batches.into_iter().map(|(_, batch)| batch).collect();
    (reports, batches)
}

/// Reads the activity tables that the registry pass recognised and set
/// aside, matching each row to an account; their reports replace the
/// set-aside ones.
fn read_activity(
    period: &Period,
    reading: ingest::Reading<'_>,
    files: &mut [ingest::FileReport],
    names: &[Option<normalize::Sym>],
    strings: &normalize::Strings,
    linked: &dedup::Linked,
    source_rank: &[u32],
) -> activity::PeriodActivity {
    let set_aside = |file: &ingest::SourceFile| {
        files
            .iter()
            .any(|f| f.kind == Some(FileKind::Activity) && is_source_of(&f.path, file))
    };
    let wanted: Vec<ingest::SourceFile> = period
        .files
        .iter()
        .filter(|f| set_aside(f))
        .cloned()
        .collect();
    // What the registry pass read of each: read on from there.
    let resumes: Vec<Option<ingest::Resume>> = wanted
        .iter()
        .map(|file| {
            files
                .iter_mut()
                .find(|f| f.path == file.relative)
                .and_then(|f| f.resume.take())
        })
        .collect();
    if wanted.is_empty() {
        // No activity table: the account indexes would cost a pass over
        // every record for nothing.
        return activity::measure(Vec::new(), linked, source_rank);
    }
    let index = activity::AccountIndex::new(names, strings, linked, period);
    let (reports, batches) = read_sources(
        &wanted,
        &resumes,
        &[FileKind::Activity],
        reading,
        &|| {},
        &activity::Matcher(&index),
        |()| {},
    );
    // Into one vector sized once, each batch freed as it is moved.
    let batches = batches.into_iter().map(|b| (b.len(), b)).collect();
    let mut rows = crate::parallel::concat(batches, Vec::into_iter);
    let renumber = adopt_activity_reports(files, reports);
    rows.retain_mut(|row| match renumber[row.origin.file as usize] {
        Some(source) => {
            row.origin.file = source;
            true
        }
        None => false,
    });
    activity::measure(rows, linked, source_rank)
}

/// Keeps the activity pass's report for each sheet it read as activity, in
/// place of the registry pass's, and says where each of its reports went.
/// A file that changed between the two passes (a sheet that only one pass
/// saw, or that changed kind) is not half-read: its activity rows are
/// dropped and the file is reported as skipped, with why.
fn adopt_activity_reports(
    files: &mut [ingest::FileReport],
    reports: Vec<ingest::FileReport>,
) -> Vec<Option<u32>> {
    const CHANGED: &str =
        "the file changed while govwx read it (its sheets differ between the two passes): not read; run again";
    let mut renumber = Vec::with_capacity(reports.len());
    for report in reports {
        let source = files.iter().position(|f| f.path == report.path);
        let adopted = match source {
            Some(source) if report.kind == Some(FileKind::Activity) => {
                files[source] = report;
                Some(source as u32)
            }
            Some(_) => None,
            None => {
                // A sheet the first pass never saw: mark its file's first
                // sheet (the workbook itself) as skipped.
                let file = report.path.split('#').next().unwrap_or_default();
                if let Some(first) = files.iter_mut().find(|f| f.path == file) {
                    first.skipped = Some(CHANGED.to_owned());
                }
                None
            }
        };
        if adopted.is_none() {
            if let Some(source) = source {
                files[source].skipped = Some(CHANGED.to_owned());
            }
        }
        renumber.push(adopted);
    }
    renumber
}

/// Whether a source label (`a.xlsx`, `a.xlsx#Sheet2`) is a sheet of `file`.
fn is_source_of(label: &str, file: &ingest::SourceFile) -> bool {
    label
        .strip_prefix(file.relative.as_str())
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
}

/// Each source's position in priority: config patterns first, then path
/// (sheets of one workbook keep their order).
fn source_ranks(paths: &[&str], settings: &Settings) -> Vec<u32> {
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by_key(|&i| (settings.source_rank(paths[i]), paths[i], i));
    let mut rank = vec![0; order.len()];
    for (position, &source) in order.iter().enumerate() {
        rank[source] = position as u32;
    }
    rank
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dedup::tests::{build, spec, Spec};
    use proptest::prelude::*;

    proptest! {
        /// Records from files in any order, runs of one file or files
        /// interleaved: each record's origin reads back as it was.
        #[test]
        fn origins_read_back_whatever_the_order_of_files(
            files in proptest::collection::vec(0u32..4, 1..60),
        ) {
            let specs: Vec<Spec> = files
                .iter()
                .enumerate()
                .map(|(i, &file)| Spec { file, ..spec(i as u32 + 2, None, None, "甲") })
                .collect();
            let (records, _) = build(&specs);
            let origins = Origins::of(&records);
            for (i, record) in records.iter().enumerate() {
                prop_assert_eq!(origins.get(i as u32), record.origin);
            }
        }
    }

    /// A period of records from `specs`, linked, from files `a.csv` (0) and
    /// `b.csv` (1), without activity rows.
    pub(crate) fn period_data(specs: &[Spec]) -> PeriodData {
        let (records, strings) = build(specs);
        let linked = dedup::link(&records, &strings, &[0, 1]);
        let activity = activity::measure(Vec::new(), &linked, &[0, 1]);
        let files = ["2014/a.csv", "2014/b.csv"]
            .map(|path| ingest::FileReport {
                path: path.to_owned(),
                ..ingest::FileReport::default()
            })
            .to_vec();
        PeriodData::new(
            "2014".to_owned(),
            files,
            Taken::of(&records),
            records,
            strings,
            linked,
            activity,
        )
    }

    fn report(path: &str, kind: Option<FileKind>) -> ingest::FileReport {
        ingest::FileReport {
            path: path.to_owned(),
            kind,
            records_read: 3,
            ..ingest::FileReport::default()
        }
    }

    #[test]
    fn a_workbook_that_changes_between_the_passes_is_skipped_not_a_panic() {
        let mut files = vec![
            report("2014/a.csv", Some(FileKind::Registry)),
            report("2014/b.xlsx", Some(FileKind::Activity)),
            report("2014/c.xlsx", Some(FileKind::Activity)),
        ];
        let second = vec![
            report("2014/b.xlsx", Some(FileKind::Activity)),
            // Renamed since the first pass: a sheet it never saw.
            report("2014/c.xlsx#New", Some(FileKind::Activity)),
            // Once activity, now registry.
            report("2014/c.xlsx", Some(FileKind::Registry)),
        ];
        let renumber = adopt_activity_reports(&mut files, second);
        assert_eq!(renumber, [Some(1), None, None]);
        assert!(files[1].skipped.is_none());
        assert!(files[2]
            .skipped
            .as_deref()
            .is_some_and(|r| r.contains("changed")));
        assert!(files[0].skipped.is_none());
    }
}
