//! Laws of the pipeline, checked on random arrangements of a messy pool of
//! records: file and row order, the split into files and the thread count
//! do not change the accounts or any figure; an exact copy of a record
//! changes no figure outside `quality`.

use std::collections::BTreeMap;
use std::path::Path;

mod common;

use govwx::config::Settings;
use govwx::ingest::period::Dataset;
use govwx::ingest::{Period, SourceFile};
use govwx::metrics::{compute, PeriodCounts};
use proptest::prelude::*;
use serde_json::Value;

const HEADER: &str = "名称,原始ID,微信号,省份,城市,认证主体,粉丝数,账号类型";

/// Records of a dozen accounts, with the variants and traps dedup must get
/// right: decorations, missing ids, ids conflicting under one name, the same
/// name in two provinces and two cities, an entity's name used as a name.
/// Records of one account never disagree on a value they both give: where
/// they do, source priority (path, then line) decides by design, and moving
/// rows between files would rightly change the figures.
const POOL: &[&str] = &[
    "深圳发布,gh_000000000001,szfb,广东,深圳,深圳市人民政府新闻办公室,36000,订阅号",
    "【深圳发布】,,,粤,,,36000,",
    "深圳发布官方微信,,SZFB,Guangdong,深圳市,,,订阅号",
    "平安深圳,gh_000000000002,,广东省,深圳,深圳市公安局,120000,服务号",
    "深圳交警,gh_000000000003,szjj,广东,深圳,深圳市公安局,90000,服务号",
    "深圳市公安局,,,广东,深圳,,500,",
    "城区发布,gh_000000000004,,广东,汕尾,汕尾市城区人民政府新闻办公室,100,订阅号",
    "城区发布,gh_000000000005,,山西,大同,大同市城区人民政府新闻办公室,200,订阅号",
    "城区发布,,,广东,,,100,",
    "健康杭州,gh_000000000006,jkhz,浙江,杭州,杭州市卫生和计划生育委员会,8000,订阅号",
    "健康杭州,gh_000000000007,,浙江,杭州,杭州市卫生和计划生育委员会,9000,订阅号",
    "健康 杭州,,jkhz,浙江,,,8000,",
    "鼓楼发布,,,江苏,南京,南京市鼓楼区人民政府新闻办公室,300,订阅号",
    "鼓楼发布,,,江苏,徐州,徐州市鼓楼区人民政府新闻办公室,400,订阅号",
    "鼓楼发布,,,江苏,,,300,",
    "外交小灵通,gh_000000000008,,,,中华人民共和国外交部,500000,订阅号",
    "外交小灵通,,wjxlt,,,中华人民共和国外交部,,",
    ",gh_000000000009,,浙江,宁波,宁波市公安局,1000,服务号",
    "宁波警方,GH_000000000009,,浙江,宁波,,1000,",
    "香港发布,gh_00000000000a,,香港,,,100,订阅号",
];

fn write_period(dir: &Path, files: &[Vec<&str>]) -> Period {
    let mut sources = Vec::new();
    for (i, rows) in files.iter().enumerate() {
        let relative = format!("2014/part{i}.csv");
        let text = std::iter::once(HEADER)
            .chain(rows.iter().copied())
            .collect::<Vec<_>>()
            .join("\n");
        govwx::fs::write(&dir.join(&relative), text).expect("write");
        sources.push(SourceFile {
            path: dir.join(&relative),
            relative,
        });
    }
    Period {
        name: "2014".into(),
        when: govwx::ingest::period::PeriodName::parse("2014"),
        folder: "2014".into(),
        files: sources,
    }
}

/// The accounts as sets of their records' text, and the figures outside `quality`.
fn outcome(files: &[Vec<&str>], threads: usize) -> (Vec<Vec<String>>, Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let period = write_period(dir.path(), files);
    let settings = Settings::builtin();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let data = pool
        .install(|| {
            govwx::period::process_period(&period, &settings, &|| {}, govwx::period::Keep::Origins)
        })
        .expect("reads");
    let text: BTreeMap<(u32, u32), &str> = files
        .iter()
        .enumerate()
        .flat_map(|(f, rows)| {
            rows.iter()
                .enumerate()
                .map(move |(l, row)| ((f as u32, l as u32 + 2), *row))
        })
        .collect();
    let mut accounts: Vec<Vec<String>> = data
        .linked
        .accounts
        .iter()
        .map(|a| {
            let mut rows: Vec<String> = data
                .linked
                .records_of(a)
                .iter()
                .map(|&i| {
                    let o = data.origins.get(i);
                    text[&(o.file, o.line)].to_owned()
                })
                .collect();
            rows.sort();
            rows
        })
        .collect();
    accounts.sort();
    let trend = [PeriodCounts::of(&data)];
    let metrics = compute(&data, None, &trend, &Dataset::default(), &settings, None);
    let mut metrics = serde_json::to_value(metrics).expect("json");
    metrics.as_object_mut().expect("object").remove("quality");
    common::without_leading_names(&mut metrics);
    (accounts, metrics)
}

/// A shuffled arrangement of the pool over one to three files.
fn arrangement() -> impl Strategy<Value = Vec<Vec<&'static str>>> {
    (
        Just(POOL.to_vec()).prop_shuffle(),
        proptest::collection::vec(0..3usize, POOL.len()),
    )
        .prop_map(|(rows, file_of)| {
            let mut files = vec![Vec::new(); 3];
            for (row, file) in rows.into_iter().zip(file_of) {
                files[file].push(row);
            }
            files.retain(|f| !f.is_empty());
            files
        })
}

fn reference() -> &'static (Vec<Vec<String>>, Value) {
    static REFERENCE: std::sync::OnceLock<(Vec<Vec<String>>, Value)> = std::sync::OnceLock::new();
    REFERENCE.get_or_init(|| outcome(&[POOL.to_vec()], 1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn order_files_and_threads_change_nothing(files in arrangement(), threads in 1..=2usize) {
        let (accounts, metrics) = outcome(&files, threads);
        prop_assert_eq!(&accounts, &reference().0);
        prop_assert_eq!(&metrics, &reference().1);
    }

    #[test]
    fn an_exact_copy_of_a_record_changes_no_figure(files in arrangement(), copy in 0..POOL.len()) {
        let mut files = files;
        files.push(vec![POOL[copy]]);
        let (_, metrics) = outcome(&files, 2);
        prop_assert_eq!(&metrics, &reference().1);
    }
}

#[test]
fn the_pool_exercises_the_traps() {
    let (accounts, metrics) = reference();
    // 深圳市公安局 runs two accounts, so the record named after it links to neither.
    assert!(accounts
        .iter()
        .any(|a| a == &vec!["深圳市公安局,,,广东,深圳,,500,".to_owned()]));
    // Two 健康杭州 with different original ids stay apart; the id-less copy joins one by WeChat id.
    let health: Vec<_> = accounts
        .iter()
        .filter(|a| a.iter().any(|r| r.starts_with("健康")))
        .collect();
    assert_eq!(health.len(), 2, "{health:?}");
    // 鼓楼发布 of 南京 and of 徐州 stay apart; the city-less one joins neither... or one: never both.
    let gulou: Vec<_> = accounts
        .iter()
        .filter(|a| a.iter().any(|r| r.starts_with("鼓楼")))
        .collect();
    assert!(
        gulou.len() >= 2 && gulou.iter().all(|a| a.len() <= 2),
        "{gulou:?}"
    );
    assert_eq!(metrics["totals"]["out_of_scope"], 1);
}
