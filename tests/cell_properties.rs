//! Every parser of a cell is total: rows of arbitrary Unicode (CJK, dashes
//! and punctuation of every width, digits of several scripts, controls,
//! Excel error literals) go through the reader and the normaliser, and each
//! row is accepted or rejected with a reason naming its field, never a
//! panic.

use govwx::config::{Limits, Settings};
use govwx::ingest::{read_bytes, FileKind, FileReport, RawRecord, Reading};
use govwx::normalize::{activity_record, registry_record, Batch};
use proptest::prelude::*;

/// Text of the kinds export cells hold, mixed.
fn cell() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[0-9]{1,8}",
        "[٠-٩۰-۹０-９]{1,4}",
        "[-–—−〜~。.．/年月日万千wWk+,，:： ()（）【】]",
        "[\u{4E00}-\u{9FFF}]{1,3}",
        "(廣東|广 东|粤|Guangdong|深圳|鼓楼区|公安局|发布|官方微信)",
        "gh_[0-9a-fA-F]{0,14}",
        "(#N/A|#VALUE!|#REF!|NULL|N/A|-|无|10万\\+|2014\\.1|12月2014)",
        "[\u{0}-\u{1F}\u{7F}-\u{9F}\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}]",
        "\\PC{1,3}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(pieces, 0..5).prop_map(|p| p.concat())
}

fn csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).expect("write to memory");
    for row in rows {
        writer.write_record(row).expect("write to memory");
    }
    writer.into_inner().expect("flush to memory")
}

/// Reads `bytes` as one file and checks its books balance; returns the
/// records read.
fn read<T: Send>(
    bytes: Vec<u8>,
    kind: FileKind,
    visit: &(dyn Fn(&RawRecord<'_>) -> Result<T, String> + Sync),
) -> Result<u64, TestCaseError> {
    let mut read = 0;
    let report = FileReport {
        path: "2014/cells.csv".to_owned(),
        ..FileReport::default()
    };
    let visitor = |raw: &RawRecord<'_>| {
        visit(raw).map_err(|reason| {
            govwx::ingest::RowError::new(govwx::ingest::RejectKind::BadNumber, None, reason)
        })
    };
    for (report, _) in read_bytes(
        report,
        bytes,
        &[kind],
        Reading::with_limits(&Limits::default()),
        &visitor,
    ) {
        prop_assert_eq!(
            report.records_read,
            report.records_accepted + report.records_rejected + report.totals_lines
        );
        for reject in &report.rejects {
            prop_assert!(!reject.reason.is_empty());
        }
        read += report.records_read;
    }
    Ok(read)
}

fn registry_visit(
    settings: &Settings,
) -> impl Fn(&RawRecord<'_>) -> Result<(), String> + Sync + '_ {
    move |raw: &RawRecord<'_>| {
        let mut batch = Batch::with_capacity(16);
        registry_record(raw, settings, &mut batch)
            .map(|_| ())
            .map_err(|e| e.detail)
    }
}

fn activity_visit(raw: &RawRecord<'_>) -> Result<(), String> {
    activity_record(raw)
        .map(|row| {
            let (year, month) = row.month;
            assert!((1900..=2999).contains(&year) && (1..=12).contains(&month));
            let _ = row.match_name();
        })
        .map_err(|e| e.detail)
}

#[test]
fn good_rows_are_read_through_the_same_path() {
    let settings = Settings::builtin();
    let row =
        "平安深圳,gh_000000000001,szga,深圳市公安局,廣東,深圳市,,市级,公安,订阅号,3.6,2014.03.05";
    let registry = csv(&REGISTRY, &[row.split(',').map(str::to_owned).collect()]);
    let report = FileReport {
        path: "2014/cells.csv".to_owned(),
        ..FileReport::default()
    };
    let visit = |raw: &RawRecord<'_>| {
        let mut batch = Batch::with_capacity(16);
        registry_record(raw, &settings, &mut batch)
    };
    let files = read_bytes(
        report,
        registry,
        &[FileKind::Registry],
        Reading::with_limits(&Limits::default()),
        &visit,
    );
    let records: Vec<_> = files
        .into_iter()
        .flat_map(|(_, batches)| batches)
        .flat_map(|(_, records)| records)
        .collect();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].followers.map(u64::from), Some(36_000));
    assert_eq!(
        records[0].registered_at.map(|d| d.to_string()).as_deref(),
        Some("2014-03-05")
    );
    assert_eq!(records[0].province.map(|p| p.value().short()), Some("广东"));
}

const REGISTRY: [&str; 12] = [
    "名称",
    "原始ID",
    "微信号",
    "认证主体",
    "省份",
    "城市",
    "区县",
    "级别",
    "领域",
    "账号类型",
    "粉丝数（万）",
    "注册时间",
];

const ACTIVITY: [&str; 6] = [
    "原始ID",
    "公众号名称",
    "统计月份",
    "发文数",
    "阅读数",
    "点赞数",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn registry_rows_of_any_text_are_accepted_or_rejected(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), REGISTRY.len()), 1..4)
    ) {
        let settings = Settings::builtin();
        let read = read(csv(&REGISTRY, &rows), FileKind::Registry, &registry_visit(&settings))?;
        prop_assert!(read <= rows.len() as u64);
    }

    #[test]
    fn activity_rows_of_any_text_are_accepted_or_rejected(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), ACTIVITY.len()), 1..4)
    ) {
        let read = read(csv(&ACTIVITY, &rows), FileKind::Activity, &activity_visit)?;
        prop_assert!(read <= rows.len() as u64);
    }
}

proptest! {
    /// A WeChat id is kept lower-cased, whether or not it is plain ASCII:
    /// `SZGA`, `szga` and `ＳＺＧＡ` are one id.
    #[test]
    fn a_wechat_id_is_kept_lower_cased(id in "[A-Za-zΣÉⅫＡ-Ｚ][A-Za-z0-9_\\-σΣÉéⅫＡ-Ｚ]{0,9}") {
        let settings = Settings::builtin();
        let row = format!("平安深圳,gh_000000000001,{id},深圳市公安局,广东,深圳市,,市级,公安,订阅号,3.6,2014.03.05");
        let registry = csv(&REGISTRY, &[row.split(',').map(str::to_owned).collect()]);
        let visit = |raw: &RawRecord<'_>| {
            let mut batch = Batch::with_capacity(16);
            let record = registry_record(raw, &settings, &mut batch)?;
            let strings = batch.strings.finish();
            Ok(record.wechat_id.map(|sym| strings.get(sym).to_owned()))
        };
        let report = FileReport { path: "2014/ids.csv".to_owned(), ..FileReport::default() };
        let kept: Vec<Option<String>> = read_bytes(report, registry, &[FileKind::Registry], Reading::with_limits(&Limits::default()), &visit)
            .into_iter()
            .flat_map(|(_, batches)| batches)
            .flat_map(|(_, ids)| ids)
            .collect();
        prop_assert_eq!(kept, vec![Some(govwx::text::clean(&id).to_lowercase())]);
    }
}
