//! Whole-stage tests: a small hand-made `Metrics`, with hostile strings where
//! data reaches markup or spreadsheets, rendered through the built-in
//! templates.

use std::collections::BTreeMap;

use super::*;
use crate::geo::Region;
use crate::influence::{Agreement, Disagreement, DomainTop, Influence, Ranked, Spread, Unranked};
use crate::ingest::period::Dataset;
use crate::metrics::{
    AccountTypeRow, Activity, CityRow, DomainRow, Followers, Leading, LeadingAccount,
    LeadingProvinces, LevelRow, ProvinceProfile, ProvinceRow, Quadrant, Quality, ReadsRule,
    RegionRow, SeriesCount, SeriesPoint, SkippedEntry, Totals, UnknownColumn, UnknownColumns,
    CENTRAL, SCHEMA_VERSION,
};
use crate::normalize::{AccountType, Level};

const SCRIPT: &str = "<script>alert(1)</script>";
const LINK: &str = "[x](javascript:alert(1))";
const FORMULA: &str = "=cmd|' /C calc'!A0";
const PIPES: &str = "{{ tera }} | pipes |";

/// A province row; its English name is the one of `data/labels/en.toml`,
/// or `name` for a code it does not know.
fn province(rank: u32, code: &str, name: &str, accounts: u64, share: f64) -> ProvinceRow {
    let name_en = code
        .parse()
        .ok()
        .and_then(crate::geo::Province::from_code)
        .map_or(name, |p| crate::labels::english().province(p));
    ProvinceRow {
        code: code.to_string(),
        name: name.to_string(),
        name_en: name_en.to_string(),
        region: Region::East,
        region_label: "东部".to_string(),
        region_label_en: "East".to_string(),
        accounts,
        share,
        rank,
    }
}

fn level(slug: &str, label: &str, accounts: u64) -> LevelRow {
    let level = *Level::ALL
        .iter()
        .find(|l| l.slug() == slug)
        .expect("a level");
    LevelRow {
        level,
        label: label.to_string(),
        label_en: crate::labels::english().level(level).to_string(),
        accounts,
        share: accounts as f64 / 40_924.0,
    }
}

fn domain(
    rank: u32,
    slug: &str,
    [label, label_en]: [&str; 2],
    accounts: u64,
    quadrant: Option<&str>,
) -> DomainRow {
    DomainRow {
        domain: slug.to_string(),
        label: label.to_string(),
        label_en: label_en.to_string(),
        accounts,
        share: accounts as f64 / 40_924.0,
        rank,
        activity: quadrant.map(|_| 0.8465),
        quadrant: quadrant.map(|q| {
            *Quadrant::ALL
                .iter()
                .find(|x| x.slug() == q)
                .expect("a quadrant")
        }),
    }
}

fn account_type(slug: &str, label: &str, accounts: u64, baseline: u64) -> AccountTypeRow {
    let account_type = *AccountType::ALL
        .iter()
        .find(|t| t.slug() == slug)
        .expect("a type");
    AccountTypeRow {
        account_type,
        label: label.to_string(),
        label_en: crate::labels::english()
            .account_type(account_type)
            .to_string(),
        accounts,
        share: accounts as f64 / 40_924.0,
        baseline_accounts: Some(baseline),
        yoy_growth: Some((accounts as f64 - baseline as f64) / baseline as f64),
    }
}

fn quality() -> Quality {
    Quality {
        files_read: 12,
        files_skipped: 1,
        skipped: vec![SkippedEntry {
            path: format!("2014/{SCRIPT}.csv"),
            reason: "not a data file".to_string(),
        }],
        unknown_columns: vec![UnknownColumns {
            file: "2014/a.csv".to_string(),
            columns: vec![UnknownColumn::new(LINK), UnknownColumn::new("粉丝量")],
        }],
        records_read: 52_000,
        records_accepted: 51_000,
        records_rejected: 990,
        rejected_by_reason: BTreeMap::from([
            ("bad_number".to_string(), 600),
            (LINK.to_string(), 390),
        ]),
        totals_lines: 10,
        header_repeats: 2,
        blank_lines: 7,
        fields_inferred: BTreeMap::from([("province".to_string(), 3_210)]),
        fields_dropped: BTreeMap::new(),
        invalid_original_ids: 45,
        records_merged: 10_076,
        conflicts: 3,
        accounts_out_of_scope: 120,
    }
}

/// 40,000 accounts by order of magnitude of followers, as in
/// `sample_metrics`.
pub(crate) fn sample_histogram() -> Vec<crate::metrics::FollowerBin> {
    let counts = [300, 200, 1_500, 5_000, 14_000, 15_000, 3_500, 500];
    counts
        .iter()
        .enumerate()
        .map(|(i, &accounts)| crate::metrics::FollowerBin {
            from: if i == 0 { 0 } else { 10_u64.pow(i as u32 - 1) },
            to: (i + 1 < counts.len()).then(|| 10_u64.pow(i as u32)),
            accounts,
        })
        .collect()
}

/// Figures shaped like the published 2014 ones, with hostile names mixed in.
pub(crate) fn sample_metrics() -> Metrics {
    Metrics {
        schema_version: SCHEMA_VERSION,
        period: "2014".to_string(),
        baseline_period: Some("2013".to_string()),
        generated_on: Some("2015-04-20".to_string()),
        dataset: Dataset {
            title: None,
            description: Some("由 govwx sample 生成 {{ tera }}".to_string()),
            description_en: Some("Made by govwx sample {{ tera }}".to_string()),
            synthetic: true,
            ..Dataset::default()
        },
        totals: Totals {
            accounts: 40_924,
            provinces_covered: 31,
            central: 600,
            province_unknown: 24,
            out_of_scope: 120,
            baseline_accounts: Some(18_660),
            yoy_growth: Some(40_924.0 / 18_660.0 - 1.0),
        },
        provinces: vec![
            province(1, "44", "广东", 6_139, 0.15004),
            province(2, "33", "浙江", 6_057, 6_057.0 / 40_924.0),
            province(3, "32", "江苏", 2_900, 2_900.0 / 40_924.0),
            province(4, "99", FORMULA, 5, 5.0 / 40_924.0),
        ],
        regions: vec![
            RegionRow {
                region: Region::East,
                label: "东部".to_string(),
                label_en: "East".to_string(),
                provinces: 10,
                accounts: 22_000,
                share: 22_000.0 / 40_924.0,
            },
            RegionRow {
                region: Region::West,
                label: "西部".to_string(),
                label_en: "West".to_string(),
                provinces: 12,
                accounts: 9_000,
                share: 9_000.0 / 40_924.0,
            },
        ],
        leading_provinces: Some(LeadingProvinces {
            first: "广东".to_string(),
            second: "浙江".to_string(),
            third: "江苏".to_string(),
            combined_accounts: 12_196,
            combined_share: 12_196.0 / 40_924.0,
            third_accounts: 2_900,
            ratio_to_third: Some(12_196.0 / 2_900.0),
        }),
        levels: vec![
            level("central", "中央", 600),
            level("provincial", "省级", 9_000),
            level("municipal", "地市级", 25_664),
            level("county", "县级", 5_000),
            level("township", "乡镇", 660),
        ],
        provincial_municipal_share: 0.8465,
        domains: vec![
            domain(1, "police", ["公安", "Police"], 7_860, Some("active")),
            domain(2, "health", ["医疗卫生", "Health"], 7_164, Some("active")),
            domain(
                3,
                "party",
                ["党政", "Party and government"],
                5_000,
                Some("active"),
            ),
            domain(4, "hostile", [SCRIPT, SCRIPT], 12, Some("potential")),
            domain(5, "other", [PIPES, PIPES], 11, None),
        ],
        top_two_domains_share: 0.367,
        account_types: vec![
            account_type("subscription", "订阅号", 28_600, 15_000),
            account_type("service", "服务号", 12_324, 5_620),
        ],
        followers: Followers {
            accounts: 40_000,
            mean: Some(36_412.3),
            median: Some(8_000.0),
            p90: Some(90_000),
            total: 1_456_492_000,
            histogram: sample_histogram(),
        },
        activity: Activity::default(),
        matrix: None,
        influence: Default::default(),
        ranking: Vec::new(),
        series: vec![
            point("2012", 9_000, None),
            point("2013", 18_660, Some(18_660.0 / 9_000.0 - 1.0)),
            point("2014", 40_924, Some(40_924.0 / 18_660.0 - 1.0)),
        ],
        leading: leading(),
        leading_rule: ReadsRule::new(3),
        province_profiles: vec![
            profile("44", "广东", 6_139),
            profile(CENTRAL, "中央部委", 600),
        ],
        quality: quality(),
        quality_gates: Vec::new(),
    }
}

fn point(period: &str, accounts: u64, growth: Option<f64>) -> SeriesPoint {
    let count = |key: &str, [label, label_en]: [&str; 2], accounts: u64| SeriesCount {
        key: key.to_string(),
        label: label.to_string(),
        label_en: label_en.to_string(),
        accounts,
        growth: None,
    };
    SeriesPoint {
        period: period.to_string(),
        accounts,
        growth,
        account_types: vec![
            count(
                "subscription",
                ["订阅号", "Subscription"],
                accounts * 7 / 10,
            ),
            count("service", [SCRIPT, SCRIPT], accounts - accounts * 7 / 10),
        ],
        levels: vec![count("provincial", ["省级", "Provincial"], accounts)],
    }
}

/// Leading accounts named with markup, links and formulas.
fn leading() -> Leading {
    let account = |rank: u32, name: &str, capped: bool| LeadingAccount {
        rank,
        name: name.to_string(),
        original_id: Some("gh_0123456789ab".to_string()),
        entity: Some(LINK.to_string()),
        province: Some("广东".to_string()),
        province_en: Some("Guangdong".to_string()),
        province_code: Some("44".to_string()),
        domain: "police".to_string(),
        domain_label: "公安".to_string(),
        domain_label_en: "Police".to_string(),
        followers: Some(5_000_000 / u64::from(rank)),
        reads_per_month: Some(if capped { 100_001 } else { 50_000 }),
        active_months: 3,
        reads_capped: capped,
    };
    Leading {
        by_followers: vec![account(1, SCRIPT, false), account(2, "{{ tera }}", false)],
        by_reads: vec![account(1, FORMULA, true), account(2, "`code` *em*", false)],
    }
}

fn profile(code: &str, name: &str, accounts: u64) -> ProvinceProfile {
    ProvinceProfile {
        code: code.to_string(),
        name: name.to_string(),
        name_en: name.to_string(),
        region: (code != CENTRAL).then_some(Region::East),
        region_label: (code != CENTRAL).then(|| "东部".to_string()),
        region_label_en: (code != CENTRAL).then(|| "East".to_string()),
        accounts,
        share: accounts as f64 / 40_924.0,
        rank: (code != CENTRAL).then_some(1),
        provinces_ranked: 31,
        baseline_accounts: Some(accounts / 2),
        yoy_growth: Some(1.0),
        levels: vec![level("provincial", "省级", accounts)],
        domains: vec![
            domain(
                1,
                "police",
                ["公安", "Police"],
                accounts / 2,
                Some("active"),
            ),
            domain(2, "hostile", [SCRIPT, SCRIPT], accounts / 2, None),
        ],
        account_types: vec![account_type("service", "服务号", accounts, accounts / 2)],
        followers: Followers {
            accounts,
            mean: Some(30_000.0),
            median: Some(9_000.0),
            p90: Some(80_000),
            total: accounts * 30_000,
            histogram: Vec::new(),
        },
        accounts_with_activity: accounts / 2,
        activity_median: Some(0.9),
        cities: vec![
            CityRow {
                rank: 1,
                name: "广州市".to_string(),
                accounts: accounts / 3,
                share: 1.0 / 3.0,
            },
            CityRow {
                rank: 2,
                name: SCRIPT.to_string(),
                accounts: 3,
                share: 3.0 / accounts as f64,
            },
        ],
        city_unknown: 10,
        leading: leading(),
    }
}

fn render(metrics: &Metrics) -> Vec<OutputFile> {
    render_report(metrics, &Templates::builtin().unwrap()).unwrap()
}

fn text(files: &[OutputFile], path: &str) -> String {
    let file = files.iter().find(|f| f.path == path).unwrap();
    String::from_utf8(file.bytes.clone()).unwrap()
}

const PATHS: [&str; 17] = [
    "report.md",
    "report.html",
    "report.en.md",
    "report.en.html",
    "provinces/index.md",
    "provinces/index.html",
    "provinces/44.md",
    "provinces/44.html",
    "provinces/central.md",
    "provinces/central.html",
    "metrics.json",
    "tables/provinces.csv",
    "tables/regions.csv",
    "tables/levels.csv",
    "tables/domains.csv",
    "tables/account_types.csv",
    "tables/matrix.csv",
];

#[test]
fn renders_every_file_deterministically() {
    let first = render(&sample_metrics());
    let second = render(&sample_metrics());
    let paths: Vec<&str> = first.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, PATHS);
    assert_eq!(first, second);
}

#[test]
fn sentences_follow_the_figures() {
    let md = text(&render(&sample_metrics()), "report.md");
    for expected in [
        "# 政务微信发展报告（2014）\n",
        "> **注意：本报告使用的是合成数据",
        "统计期：2014年；对比基期：2013年；生成日期：2015-04-20。",
        "截至2014年底，全国政务微信总量达40,924个，覆盖全国31个省、自治区、直辖市，较2013年底的18,660个增长119.3%。",
        "广东（6,139个，占15.0%）和浙江（6,057个，占14.8%）位居前两位",
        "两省合计12,196个，占全国的29.8%，是位居第三的江苏（2,900个）的4.2倍。",
        "省级和地市级部门的账号合计占84.7%，中央部委占1.5%，区县级及以下占13.8%。",
        "呈“腰鼓型”分布",
        "两者合计占36.7%",
        "增长119.3%，增幅超过一倍",
        "平均每个账号的粉丝数超过3.6万，中位数为8,000，90%分位数为90,000",
        "| 1 | [广东](provinces/44.md) | 东部 | 6,139 | 15.0% |\n",
        "| 服务号 | 12,324 | 30.1% | 5,620 | +119.3% |\n",
        "| 合并的记录 | 10,076 |\n",
        "| 数字无法识别 | 600 |\n",
        "| 省份 | 3,210 |\n",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
}

#[test]
fn english_sentences_follow_the_figures() {
    let md = text(&render(&sample_metrics()), "report.en.md");
    for expected in [
        "# Government WeChat Accounts (2014)\n",
        "\n[中文版](report.md)\n",
        "> **Note: this report uses synthetic data, not real statistics",
        "> - At the end of 2014 there were **40,924** government WeChat accounts, in all 31 provinces, autonomous regions and municipalities, up 119.3% on the end of 2013.\n",
        "> - Guangdong (15.0%) and Zhejiang (14.8%) have the most accounts.\n",
        "> - The Police and Health domains together account for **36.7%**.\n",
        "> - Service accounts numbered 12,324, 30.1% of the total, more than twice as many as at the end of 2013.\n",
        "> - “Active” domains, with many accounts and high activity: Police, Health and Party and government.\n",
        "Made by govwx sample \\{\\{ tera \\}\\}",
        "Reporting period: 2014; baseline period: 2013; generated on 2015-04-20.",
        "At the end of 2014 there were 40,924 government WeChat accounts nationwide, in all 31 provinces, autonomous regions and municipalities, up 119.3% from 18,660 at the end of 2013. Of these, 600 belong to central ministries and the bodies directly under them, and a further 24 local accounts could not be placed in a province. The 120 accounts in Hong Kong, Macao and Taiwan are outside the scope of the statistics.\n",
        "By province, Guangdong (6,139 accounts, 15.0%) and Zhejiang (6,057 accounts, 14.8%) rank first and second, with 12,196 accounts between them, 29.8% of the national total, 4.2 times as many as third-placed Jiangsu (2,900). By region, the East region has the most accounts, 53.8% of the total.\n",
        "accounts of provincial and municipal departments together make up 84.7%, central ministries 1.5% and the county level and below 13.8%.",
        "a “waist drum” distribution.",
        "By functional domain, Police (7,860) and Health (7,164) have the most accounts, 36.7% together; Party and government (5,000) is third.",
        "At the end of 2014 the accounts by type were: Subscription, 28,600 (69.9%); Service, 12,324 (30.1%). Service accounts grew by 119.3% from 5,620 at the end of 2013, more than doubling.\n",
        "Of the 40,000 accounts with a follower count, the average account has more than 36,000 followers; the median is 8,000, the 90th percentile 90,000 and the total 1,456,492,000. The mean is more than twice the median: followers are concentrated in a few accounts.\n",
        "In this period 12 files were read (1 skipped), with 52,000 records: 51,000 accepted, 990 rejected and 10 total rows; 10,076 records were merged by deduplication into accounts of other records.",
        "| 1 | [Guangdong](provinces/44.md) | East | 6,139 | 15.0% |\n",
        "| Provincial | 9,000 | 22.0% |\n",
        "| 3 | Party and government | 5,000 | 12.2% | 0.847 | Active |\n",
        "| Service | 12,324 | 30.1% | 5,620 | +119.3% |\n",
        "| Total rows | 10 (of which 2 repeated header rows) |\n",
        "| Records merged | 10,076 |\n",
        "| Number not readable | 600 |\n",
        "| Province | 3,210 |\n",
        "- **Potential** (few accounts, high activity): \\<script\\>alert(1)\\</script\\>\n",
        "- **Undeveloped** (few accounts, low activity): none\n",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
}

#[test]
fn each_edition_links_to_the_other() {
    let files = render(&sample_metrics());
    assert!(text(&files, "report.md").contains("\n[English edition](report.en.md)\n"));
    assert!(text(&files, "report.en.md").contains("\n[中文版](report.md)\n"));
    let html = text(&files, "report.html");
    assert!(
        html.contains("<a href=\"report.en.html\">English edition</a>"),
        "{html}"
    );
    let html = text(&files, "report.en.html");
    assert!(
        html.contains("<a href=\"report.html\">中文版</a>"),
        "{html}"
    );
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"),
        "{html}"
    );
    assert!(
        html.contains("<nav class=\"toc\" aria-label=\"Contents\">"),
        "{html}"
    );
    assert!(
        html.contains("<title>Government WeChat Accounts (2014)</title>"),
        "{html}"
    );
    // Latin fonts first (a CJK font draws “quotes” full-width), CJK ones
    // still there for names the data gives in Chinese.
    assert!(
        html.contains("font-family: -apple-system, \"Segoe UI\", \"Helvetica Neue\", Arial, \"Noto Sans\", \"Liberation Sans\", \"DejaVu Sans\", \"PingFang SC\""),
        "{html}"
    );
    assert!(text(&files, "report.html").contains("font-family: \"PingFang SC\""));
}

#[test]
fn english_periods_read_as_words() {
    let mut m = sample_metrics();
    m.period = "2014H1".to_string();
    m.baseline_period = Some("2013Q4".to_string());
    let md = text(&render(&m), "report.en.md");
    for expected in [
        "At the end of June 2014 there were 40,924 government WeChat accounts nationwide",
        "up 119.3% from 18,660 at the end of 2013.",
        "Reporting period: the first half of 2014; baseline period: Q4 2013;",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    m.period = "current".to_string();
    let md = text(&render(&m), "report.en.md");
    assert!(
        md.contains("At the end of the period there were 40,924"),
        "{md}"
    );
    assert!(md.contains("Reporting period: current;"), "{md}");
}

/// Every run of CJK characters (ideographs, CJK and full-width punctuation,
/// kana, hangul) in `text`.
pub(crate) fn cjk_runs(text: &str) -> Vec<String> {
    let cjk = |c: char| {
        matches!(c,
            '\u{1100}'..='\u{11ff}'
            | '\u{2e80}'..='\u{9fff}'
            | '\u{a960}'..='\u{a97f}'
            | '\u{ac00}'..='\u{d7ff}'
            | '\u{f900}'..='\u{faff}'
            | '\u{fe30}'..='\u{fe4f}'
            | '\u{ff00}'..='\u{ffef}'
            | '\u{20000}'..='\u{3ffff}')
    };
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if cjk(c) {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Figures for the English edition with every fixed text in play: a
/// maturity matrix, an influence ranking, quality gates, files skipped.
fn busy_metrics() -> Metrics {
    let mut m = sample_metrics();
    m.matrix = Some(crate::metrics::Matrix {
        min_accounts: 10,
        count_split: 5_000.0,
        activity_split: 0.5,
        domains: m.domains.iter().map(|d| d.domain.clone()).collect(),
    });
    m.quality_gates = vec![crate::metrics::QualityGate {
        gate: "accounts".to_string(),
        limit: 50_000.0,
        value: 40_924.0,
        message: "40924 accounts, fewer than 50000".to_string(),
    }];
    m.quality.fields_dropped = BTreeMap::from([("registered_at".to_string(), 4)]);
    m.influence = influence();
    m
}

/// One ranked account: names of province and domain in both languages.
fn ranked(rank: u64, name: &str, province: Option<[&str; 2]>, domain: [&str; 3]) -> Ranked {
    Ranked {
        rank,
        account: 0,
        name: name.to_string(),
        original_id: None,
        entity: Some(format!("{name} office")),
        province: province.map(|[zh, _]| zh.to_string()),
        province_en: province.map(|[_, en]| en.to_string()),
        level: Level::Provincial,
        domain: domain[0].to_string(),
        domain_label: domain[1].to_string(),
        domain_label_en: domain[2].to_string(),
        wci: 1_300.0 - rank as f64,
        months: 3,
        reads: 1_000_000,
        articles: Some(90),
        max_reads: Some(100_001),
        likes: Some(5_000),
        max_likes: Some(900),
    }
}

fn spread(key: &str, [label, label_en]: [&str; 2], median: f64) -> Spread {
    Spread {
        key: key.to_string(),
        label: label.to_string(),
        label_en: label_en.to_string(),
        accounts: 40,
        median,
        p90: median * 1.5,
    }
}

/// An influence ranking with hostile account names.
fn influence() -> Influence {
    let police = ["police", "公安", "Police"];
    let health = ["health", "医疗卫生", "Health"];
    let top = vec![
        ranked(1, SCRIPT, Some(["广东", "Guangdong"]), police),
        ranked(2, LINK, None, health),
        ranked(3, "Hangzhou Police", Some(["浙江", "Zhejiang"]), police),
    ];
    Influence {
        formula: Some(crate::wci::Formula::V2_0),
        citation: Some(crate::wci::Formula::V2_0.citation().to_string()),
        accounts_with_inputs: 5,
        accounts_ranked: 3,
        unranked: vec![Unranked {
            reason: "likes".to_string(),
            accounts: 2,
        }],
        top_by_domain: vec![
            DomainTop {
                domain: "police".to_string(),
                label: "公安".to_string(),
                label_en: "Police".to_string(),
                accounts: vec![top[0].clone(), top[2].clone()],
            },
            DomainTop {
                domain: "health".to_string(),
                label: "医疗卫生".to_string(),
                label_en: "Health".to_string(),
                accounts: vec![top[1].clone()],
            },
        ],
        top,
        by_level: vec![
            spread("provincial", ["省级", "Provincial"], 700.0),
            spread("township", ["乡镇", "Township"], 400.0),
        ],
        by_domain: vec![
            spread("police", ["公安", "Police"], 650.0),
            spread("health", ["医疗卫生", "Health"], 380.0),
        ],
        agreement: Some(Agreement {
            compared: 30,
            within_1_percent: 28,
            worst: vec![
                Disagreement {
                    name: FORMULA.to_string(),
                    month: "2014-11".to_string(),
                    published: 1_000.0,
                    computed: 1_100.0,
                    file: "2014/activity/a.csv".to_string(),
                    line: 7,
                },
                Disagreement {
                    name: "Hangzhou Police".to_string(),
                    month: "2014-12".to_string(),
                    published: 900.0,
                    computed: 950.0,
                    file: "2014/activity/a.csv".to_string(),
                    line: 9,
                },
            ],
        }),
    }
}

#[test]
fn the_english_influence_section_reads_in_english() {
    let md = text(&render(&busy_metrics()), "report.en.md");
    for expected in [
        "> - By WCI, the most influential account is \\<script\\>alert(1)\\</script\\> (1,299.00).\n",
        "By WCI V2.0 (the Qingbo WeChat Communication Index), 3 accounts are ranked for influence (a further 2 accounts are not ranked because some months lack fields the formula needs; the missing fields are listed under influence.unranked in metrics.json).\n",
        "The top account is \\<script\\>alert(1)\\</script\\> (Guangdong, Police), with a WCI of 1,299.00. By level, Provincial accounts have the highest median WCI (700.00) and Township accounts the lowest (400.00). By domain, Police has the highest median (650.00) and Health the lowest (380.00).\n",
        "| 2 | \\[x\\](javascript:alert(1)) | \\[x\\](javascript:alert(1)) office | — | Health | 1,298.00 |\n",
        "| Police | 1 | \\<script\\>alert(1)\\</script\\> | Guangdong | 1,299.00 |\n|  | 3 | Hangzhou Police | Zhejiang | 1,297.00 |\n",
        "| Township | 40 | 400.00 | 600.00 |\n",
        "Checked against the monthly WCI published in the export: of 30 account-months, 28 are within 1% of the value the formula gives; the largest differences are \\=cmd\\|\\' /C calc\\'\\!A0 (2014-11, published 1,000.00, computed 1,100.00) and Hangzhou Police (2014-12, published 900.00, computed 950.00).\n",
        "| WCI check: account-months within 1% of the published value / account-months checked | 28 / 30 |\n",
        "> **Data quality warning: the data for this period fails 1 quality gate; quote the figures concerned with caution.**\n> - 40924 accounts, fewer than 50000\n",
        "| Registration date | 4 |\n",
        "- **Potential** (few accounts, high activity): \\<script\\>alert(1)\\</script\\>\n",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
}

#[test]
fn the_english_edition_has_no_chinese_but_the_data_names() {
    // The fixture's only Chinese data in the English edition: a column
    // header of an input file and the header suggested for it. 中文版 is the
    // link to the Chinese edition, in its own language.
    let allowed = ["粉丝量", "粉丝数", "中文版"];
    for m in [sample_metrics(), busy_metrics()] {
        let files = render(&m);
        for path in ["report.en.md", "report.en.html"] {
            let report = text(&files, path);
            let runs = cjk_runs(&report);
            let foreign: Vec<&String> = runs
                .iter()
                .filter(|r| !allowed.contains(&r.as_str()))
                .collect();
            assert!(foreign.is_empty(), "{path}: {foreign:?} in\n{report}");
            assert!(runs.iter().any(|r| r == "中文版"), "{path}");
        }
        // The check can fail: the Chinese edition is full of CJK.
        assert!(cjk_runs(&text(&files, "report.html")).len() > 100);
    }
}

#[test]
fn comparative_sentences_need_support() {
    let mut m = sample_metrics();
    if let Some(lead) = m.leading_provinces.as_mut() {
        lead.third_accounts = 6_500;
        lead.ratio_to_third = Some(12_196.0 / 6_500.0);
    }
    m.levels = vec![
        level("county", "县级", 30_000),
        level("municipal", "地市级", 9_000),
    ];
    m.account_types[1].yoy_growth = Some(0.5);
    m.followers.median = Some(30_000.0);
    let md = text(&render(&m), "report.md");
    assert!(
        md.contains("，是位居第三的江苏（6,500个）的1.9倍。"),
        "{md}"
    );
    for absent in ["一倍，", "腰鼓", "超过一倍", "中位数的两倍", "排名前十"] {
        assert!(!md.contains(absent), "{absent:?} should be gone:\n{md}");
    }
    assert!(md.contains("增长50.0%。"), "{md}");
    let md = text(&render(&m), "report.en.md");
    assert!(
        md.contains(", 1.9 times as many as third-placed Jiangsu (6,500)."),
        "{md}"
    );
    for absent in [
        "more than twice",
        "waist drum",
        "more than doubling",
        "twice the median",
        "top ten",
    ] {
        assert!(!md.contains(absent), "{absent:?} should be gone:\n{md}");
    }
    assert!(
        md.contains("Service accounts grew by 50.0% from 5,620 at the end of 2013.\n"),
        "{md}"
    );
}

#[test]
fn missing_baseline_drops_growth() {
    let mut m = sample_metrics();
    m.baseline_period = None;
    m.totals.baseline_accounts = None;
    m.totals.yoy_growth = None;
    for t in &mut m.account_types {
        t.baseline_accounts = None;
        t.yoy_growth = None;
    }
    let md = text(&render(&m), "report.md");
    assert!(md.contains("覆盖全国31个省、自治区、直辖市。其中"), "{md}");
    assert!(md.contains("| 服务号 | 12,324 | 30.1% | — | — |\n"), "{md}");
    assert!(!md.contains("对比基期"), "{md}");
    let md = text(&render(&m), "report.en.md");
    assert!(
        md.contains("autonomous regions and municipalities. Of these"),
        "{md}"
    );
    assert!(
        md.contains("| Service | 12,324 | 30.1% | — | — |\n"),
        "{md}"
    );
    assert!(!md.contains("baseline period:"), "{md}");
    assert!(!md.contains("on the end of"), "{md}");
}

#[test]
fn hostile_data_stays_text_in_markdown() {
    let files = render(&busy_metrics());
    let md = text(&files, "report.md");
    let en = text(&files, "report.en.md");
    for (md, description, columns) in [
        (
            &md,
            "由 govwx sample 生成 \\{\\{ tera \\}\\}",
            "| 2014/a.csv | \\[x\\](javascript:alert(1))、粉丝量（是否应为“粉丝数”？） |",
        ),
        (
            &en,
            "Made by govwx sample \\{\\{ tera \\}\\}",
            "| 2014/a.csv | \\[x\\](javascript:alert(1)), 粉丝量 (did you mean “粉丝数”?) |",
        ),
    ] {
        for expected in [
            "| 4 | \\<script\\>alert(1)\\</script\\> | 12 |",
            "| \\[x\\](javascript:alert(1)) | 390 |",
            "| \\{\\{ tera \\}\\} \\| pipes \\| | 11 |",
            "| 4 | [\\=cmd\\|\\' /C calc\\'\\!A0](provinces/99.md) | ",
            "| 2014/\\<script\\>alert(1)\\</script\\>.csv | not a data file |",
            "| 1 | \\<script\\>alert(1)\\</script\\> | \\<script\\>alert(1)\\</script\\> office | ",
            "| 2 | \\[x\\](javascript:alert(1)) | \\[x\\](javascript:alert(1)) office | — | ",
            description,
            columns,
        ] {
            assert!(md.contains(expected), "missing {expected:?} in\n{md}");
        }
        assert!(!md.contains("<script>"), "{md}");
        assert!(!md.contains("x](javascript"), "{md}");
    }
}

#[test]
fn hostile_data_stays_text_in_html() {
    let files = render(&busy_metrics());
    for (path, other) in [
        ("report.html", "report.en.html"),
        ("report.en.html", "report.html"),
    ] {
        let html = text(&files, path);
        for shown in [
            "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>",
            "<td>[x](javascript:alert(1))</td>",
            "<td>{{ tera }} | pipes |</td>",
            "<td>=cmd|' /C calc'!A0</td>",
            "<td>&lt;script&gt;alert(1)&lt;/script&gt; office</td>",
            "<td>[x](javascript:alert(1)) office</td>",
        ] {
            assert!(html.contains(shown), "{path}: missing {shown:?} in\n{html}");
        }
        for absent in [
            "<script", "<img", "src=", "http://", "https://", "@import", "url(",
        ] {
            assert!(!html.contains(absent), "{absent:?} in {path}\n{html}");
        }
        // The only links are the table of contents' own anchors and the
        // templates' relative links to files of the output tree, the other
        // edition among them.
        assert_only_own_links(&html);
        assert!(html.contains(&format!("href=\"{other}\"")), "{path}");
    }
}

/// Every `href` is an anchor of the page or a relative path to an output
/// file (`provinces/44.html`, `../metrics.json`): no scheme, no host.
pub(crate) fn assert_only_own_links(html: &str) {
    for link in html.split("href=\"").skip(1) {
        let target = &link[..link.find('"').expect("a closing quote")];
        let anchor = target
            .strip_prefix("#sec-")
            .is_some_and(|id| !id.is_empty());
        let relative = target.trim_start_matches("../").split('/').all(|part| {
            !part.is_empty()
                && part != ".."
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        }) && [".html", ".json", ".csv"]
            .iter()
            .any(|ext| target.ends_with(ext));
        assert!(anchor || relative, "link to {target:?}");
    }
}

#[test]
fn hostile_title_is_escaped_in_both_reports() {
    let mut m = sample_metrics();
    m.dataset.title = Some("<b>白皮书</b> & [y](z)".to_string());
    m.dataset.title_en = Some("<b>White paper</b> & [y](z)".to_string());
    m.dataset.synthetic = false;
    let files = render(&m);
    let md = text(&files, "report.md");
    assert!(
        md.starts_with("# \\<b\\>白皮书\\</b\\> \\& \\[y\\](z)\n"),
        "{md}"
    );
    assert!(!md.contains("合成数据"));
    let html = text(&files, "report.html");
    assert!(
        html.contains("<title>&lt;b&gt;白皮书&lt;&#x2F;b&gt; &amp; [y](z)</title>"),
        "{html}"
    );
    assert!(
        html.contains("<h1>&lt;b&gt;白皮书&lt;/b&gt; &amp; [y](z)</h1>"),
        "{html}"
    );
    let md = text(&files, "report.en.md");
    assert!(
        md.starts_with("# \\<b\\>White paper\\</b\\> \\& \\[y\\](z)\n"),
        "{md}"
    );
    assert!(!md.contains("synthetic data"));
    let html = text(&files, "report.en.html");
    assert!(
        html.contains("<title>&lt;b&gt;White paper&lt;&#x2F;b&gt; &amp; [y](z)</title>"),
        "{html}"
    );
    assert!(
        html.contains("<h1>&lt;b&gt;White paper&lt;/b&gt; &amp; [y](z)</h1>"),
        "{html}"
    );
}

#[test]
fn html_page_is_self_contained() {
    let html = text(&render(&sample_metrics()), "report.html");
    assert!(html
        .starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"));
    assert!(html.contains("\"PingFang SC\""));
    assert!(html.contains("@media print"));
    assert!(html.ends_with("</main>\n</body>\n</html>\n"));
}

#[test]
fn tables_are_bom_csv_with_formula_safe_text() {
    let files = render(&sample_metrics());
    let provinces = text(&files, "tables/provinces.csv");
    assert!(provinces.starts_with("\u{feff}rank,code,name,region,region_label,accounts,share\n1,44,广东,east,东部,6139,0.15004\n"), "{provinces}");
    assert!(
        provinces.contains("\n4,99,'=cmd|' /C calc'!A0,east,东部,5,0.000122"),
        "{provinces}"
    );
    let matrix = text(&files, "tables/matrix.csv");
    assert_eq!(
        matrix,
        "\u{feff}domain,label,accounts,activity,quadrant\n\
         police,公安,7860,0.8465,active\n\
         health,医疗卫生,7164,0.8465,active\n\
         party,党政,5000,0.8465,active\n\
         hostile,<script>alert(1)</script>,12,0.8465,potential\n"
    );
    let types = text(&files, "tables/account_types.csv");
    assert!(types.contains("\nservice,服务号,12324,"), "{types}");
}

#[test]
fn matrix_is_header_only_without_quadrants() {
    let mut m = sample_metrics();
    for d in &mut m.domains {
        d.quadrant = None;
    }
    let files = render(&m);
    assert_eq!(
        text(&files, "tables/matrix.csv"),
        "\u{feff}domain,label,accounts,activity,quadrant\n"
    );
    assert!(text(&files, "report.md").contains("暂未形成成熟矩阵"));
}

#[test]
fn metrics_json_is_pretty_with_trailing_newline() {
    let json = text(&render(&sample_metrics()), "metrics.json");
    assert!(
        json.starts_with("{\n  \"schema_version\": 1,\n  \"period\": \"2014\",\n"),
        "{json}"
    );
    assert!(json.ends_with("}\n"));
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(back["account_types"][1]["type"], "service");
}

#[test]
fn override_folder_replaces_a_builtin_template() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.md.tera"),
        "# 自定义 {{ totals.accounts | count }} {% include \"note.md.tera\" %}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("note.md.tera"),
        "{{ domains.3.label | md }}",
    )
    .unwrap();
    let templates = Templates::load(Some(dir.path())).unwrap();
    let files = render_report(&sample_metrics(), &templates).unwrap();
    assert_eq!(
        text(&files, "report.md"),
        "# 自定义 40,924 \\<script\\>alert(1)\\</script\\>\n"
    );
    let html = text(&files, "report.html");
    assert!(
        html.contains(
            "<main>\n<header class=\"cover\">\n<h1>自定义 40,924 &lt;script&gt;alert(1)&lt;/script&gt;</h1>\n\n</header>\n\n</main>"
        ),
        "{html}"
    );
    let builtin = Templates::builtin().unwrap();
    assert_ne!(templates.fingerprint(), builtin.fingerprint());
    assert_eq!(
        builtin.fingerprint(),
        Templates::load(None).unwrap().fingerprint()
    );
    assert_eq!(builtin.fingerprint().len(), 64);
}

#[test]
fn broken_override_is_reported_at_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("layout.html.tera"), "{{ body ").unwrap();
    let err = Templates::load(Some(dir.path())).err().unwrap();
    assert!(format!("{err:#}").contains("layout.html.tera"), "{err:#}");
    let missing = dir.path().join("nope");
    let err = Templates::load(Some(&missing)).err().unwrap();
    assert!(
        format!("{err:#}").contains("failed to read template folder"),
        "{err:#}"
    );
}

#[test]
fn empty_period_still_renders() {
    let mut m = sample_metrics();
    m.totals = Totals {
        accounts: 0,
        provinces_covered: 0,
        central: 0,
        province_unknown: 0,
        out_of_scope: 0,
        baseline_accounts: None,
        yoy_growth: None,
    };
    m.baseline_period = None;
    m.generated_on = None;
    m.provinces.clear();
    m.regions.clear();
    m.leading_provinces = None;
    m.levels.clear();
    m.provincial_municipal_share = 0.0;
    m.domains.clear();
    m.top_two_domains_share = 0.0;
    m.account_types.clear();
    m.followers = Followers {
        accounts: 0,
        mean: None,
        median: None,
        p90: None,
        total: 0,
        histogram: Vec::new(),
    };
    m.quality = Quality::default();
    let md = text(&render(&m), "report.md");
    assert!(md.contains("本期数据没有粉丝数记录。"), "{md}");
    assert!(
        md.contains("| 范围外账号（港澳台） | 0 |\n\n数据来源：2014年的输入数据\n\n## 附录二"),
        "{md}"
    );
    assert!(
        md.ends_with("\n- [English edition](report.en.md)\n"),
        "{md}"
    );
    assert!(!md.contains("\n\n\n"), "{md}");
    let md = text(&render(&m), "report.en.md");
    for expected in [
        "> - At the end of 2014 there were **0** government WeChat accounts, in 0 provinces (including autonomous regions and municipalities).\n",
        "At the end of 2014 there were 0 government WeChat accounts nationwide, in 0 provinces (including autonomous regions and municipalities). Of these, 0 belong to central ministries and the bodies directly under them.\n",
        "The data for this period has no follower counts.",
        "In this period 0 files were read (0 skipped), with 0 records: 0 accepted, 0 rejected and 0 total rows; 0 records were merged",
        "| Accounts out of scope (Hong Kong, Macao, Taiwan) | 0 |\n\nSource: input data for 2014\n\n## Appendix 2",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    assert!(md.ends_with("\n- [中文版](report.md)\n"), "{md}");
    assert!(!md.contains("\n\n\n"), "{md}");
    m.totals.provinces_covered = 1;
    m.quality.files_read = 1;
    let md = text(&render(&m), "report.en.md");
    assert!(md.contains(", in 1 province (including"), "{md}");
    assert!(md.contains("In this period 1 file was read"), "{md}");
}

#[test]
fn the_report_opens_with_title_publisher_date_and_the_findings() {
    let mut m = sample_metrics();
    m.dataset.subtitle = Some("2014年度报告".to_owned());
    m.dataset.publisher = Some("某研究院 <b>".to_owned());
    m.dataset.date = Some("2015年4月".to_owned());
    let files = render(&m);
    let md = String::from_utf8(files[0].bytes.clone()).expect("utf-8");
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {md}"))
    };
    // Title, subtitle, publisher and date, the findings, then the sections.
    assert!(at("**2014年度报告**") < at("某研究院"));
    assert!(at("某研究院") < at("2015年4月"));
    assert!(at("2015年4月") < at("核心发现"));
    assert!(at("核心发现") < at("## 一、总量"));
    assert!(md.contains("政务微信账号**40,924个**"), "{md}");
    // Data stays text.
    assert!(!md.contains("<b>"), "{md}");
}

#[test]
fn province_pages_say_their_own_figures() {
    let files = render(&sample_metrics());
    let md = text(&files, "provinces/44.md");
    for expected in [
        "# 广东政务微信发展概况（2014年）\n",
        "[全国报告](../report.md) · [各省概况](index.md)",
        "广东共有政务微信账号6,139个，占全国的15.0%，在31个省份中居第1位，较2013年底的3,069个增长100.0%（全国增长119.3%）。",
        "| 1 | 广州市 | 2,046 | 33.3% |\n",
        "月均阅读数排行只计3个月中至少2个月有阅读的账号。",
        "**表7　广东月均阅读数前2名的账号**\n\n| 排名 |",
        "| 1 | \\=cmd\\|\\' /C calc\\'\\!A0 |",
        "≥100,001 |",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    // The map's tiles link to the pages, in both editions.
    for report in ["report.html", "report.en.html"] {
        let html = text(&files, report);
        assert!(html.contains("<a href=\"provinces/44.html\">"), "{report}");
        // No page for a province without accounts.
        assert!(!html.contains("href=\"provinces/54.html\""), "{report}");
    }
    let central = text(&files, "provinces/central.md");
    assert!(
        central.contains("中央部委及直属机构共有政务微信账号600个"),
        "{central}"
    );
    assert!(!central.contains("城市分布"), "{central}");
    let index = text(&files, "provinces/index.md");
    assert!(
        index.contains("| 1 | [广东](44.md) | 东部 | 6,139 | 15.0% | +100.0% |"),
        "{index}"
    );
    assert!(
        index.contains("| — | [中央部委](central.md) | — | 600 |"),
        "{index}"
    );
}

#[test]
fn hostile_data_stays_text_on_province_pages() {
    let files = render(&sample_metrics());
    let md = text(&files, "provinces/44.md");
    assert!(
        md.contains("| 2 | \\<script\\>alert(1)\\</script\\> | 3 |"),
        "{md}"
    );
    assert!(md.contains("| \\[x\\](javascript:alert(1)) |"), "{md}");
    assert!(md.contains("\\{\\{ tera \\}\\}"), "{md}");
    for page in [
        "provinces/44.html",
        "provinces/central.html",
        "provinces/index.html",
    ] {
        let html = text(&files, page);
        assert!(!html.contains("<script"), "{page}");
        assert!(!html.contains("javascript:alert(1)\""), "{page}");
        assert_only_own_links(&html);
    }
    let html = text(&files, "provinces/44.html");
    assert!(
        html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
        "{html}"
    );
    assert!(html.contains("<td>{{ tera }}</td>"), "{html}");
}

#[test]
fn the_trend_section_needs_three_periods() {
    let m = sample_metrics();
    let md = text(&render(&m), "report.md");
    assert!(md.contains("### 历年趋势"), "{md}");
    assert!(
        md.contains("2012年至2014年的3个统计期中，政务微信账号由9,000个增至40,924个，为2012年的4.5倍；增长最快的是2014年（+119.3%）。"),
        "{md}"
    );
    assert!(
        md.contains("| 2013年 | 18,660 | +107.3% | 13,062 | 5,598 |\n"),
        "{md}"
    );
    let en = text(&render(&m), "report.en.md");
    assert!(
        en.contains("Over the 3 periods from 2012 to 2014, the number of government WeChat accounts rose from 9,000 to 40,924, 4.5 times as many as in 2012; growth was fastest in 2014 (+119.3%)."),
        "{en}"
    );
    let html = text(&render(&m), "report.html");
    assert!(html.contains("<svg id=\"chart-trend\""), "{html}");
    // The series' labels come from the data: escaped in the chart too.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let mut two = sample_metrics();
    two.series.remove(0);
    let md = text(&render(&two), "report.md");
    assert!(!md.contains("历年趋势"), "{md}");
    assert!(!text(&render(&two), "report.html").contains("chart-trend"));
}

#[test]
fn the_leading_accounts_are_listed_with_the_rule_and_the_cap() {
    let md = text(&render(&sample_metrics()), "report.md");
    assert!(md.contains("## 九、领先账号"), "{md}");
    assert!(
        md.contains("| 1 | \\<script\\>alert(1)\\</script\\> | \\[x\\](javascript:alert(1)) | [广东](provinces/44.md) | 公安 | 5,000,000 |"),
        "{md}"
    );
    assert!(
        md.contains(
            "月均阅读数排行只计3个月中至少2个月有阅读的账号。\n\n**表12　月均阅读数前2名的账号**\n"
        ),
        "{md}"
    );
    assert!(md.contains("| ≥100,001 |\n"), "{md}");
    assert!(md.contains("| 50,000 |\n"), "{md}");
    assert!(md.contains("注：“≥”表示"), "{md}");
}

#[test]
fn the_english_report_opens_like_the_chinese_one() {
    let mut m = sample_metrics();
    m.dataset.title_en = Some("Government WeChat, 2014".to_owned());
    m.dataset.subtitle_en = Some("Annual report".to_owned());
    m.dataset.publisher_en = Some("An institute <b>".to_owned());
    m.dataset.date_en = Some("April 2015".to_owned());
    m.dataset.subtitle = Some("2014年度报告".to_owned());
    let md = text(&render(&m), "report.en.md");
    assert!(
        md.starts_with(
            "# Government WeChat, 2014\n\n**Annual report**\n\nAn institute \\<b\\> · April 2015\n\n[中文版](report.md)\n\n> **Note: this report uses synthetic data"
        ),
        "{md}"
    );
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {md}"))
    };
    assert!(at("> **Key findings**") < at("## 1. Total"));
    assert!(!md.contains("2014年度报告"), "{md}");
}

#[test]
fn the_report_says_what_activity_covers() {
    let mut m = sample_metrics();
    m.activity = Activity {
        months: vec!["2014-10".into(), "2014-11".into(), "2014-12".into()],
        rows_matched: 88_000,
        accounts_with_activity: 29_599,
        accounts_without_rows: 11_300,
        accounts_without_followers: 25,
        dormant: 599,
        dormant_share: Some(599.0 / 29_599.0),
        median: Some(0.8),
    };
    let files = render(&m);
    let md = text(&files, "report.md");
    assert!(
        md.contains("本期的月度运营数据覆盖2014年10月至2014年12月（3个月），40,924个账号中有29,599个（72.3%）可以计算活跃度，11,300个没有运营数据，25个有运营数据但没有粉丝数；可以计算的账号中，599个各月阅读数均为0。"),
        "{md}"
    );
    let md = text(&files, "report.en.md");
    assert!(
        md.contains("This period’s monthly data covers October 2014 to December 2014 (3 months): 29,599 of the 40,924 accounts (72.3%) have an activity value, 11,300 have no monthly data, 25 have monthly data but no follower count; of those with a value, 599 had no reads in any month."),
        "{md}"
    );
    // Without monthly data the paragraph is absent, not a sentence of zeros.
    m.activity = Activity::default();
    let md = text(&render(&m), "report.md");
    assert!(!md.contains("月度运营数据覆盖"), "{md}");
}
