//! Whole-stage tests: a small hand-made `Metrics`, with hostile strings where
//! data reaches markup or spreadsheets, rendered through the built-in
//! templates.

use std::collections::BTreeMap;

use super::*;
use crate::geo::Region;
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

fn province(rank: u32, code: &str, name: &str, accounts: u64, share: f64) -> ProvinceRow {
    ProvinceRow {
        code: code.to_string(),
        name: name.to_string(),
        name_en: name.to_string(),
        region: Region::East,
        region_label: "东部".to_string(),
        region_label_en: "East".to_string(),
        accounts,
        share,
        rank,
    }
}

fn level(level: &str, label: &str, accounts: u64) -> LevelRow {
    LevelRow {
        level: *Level::ALL
            .iter()
            .find(|l| l.slug() == level)
            .expect("a level"),
        label: label.to_string(),
        label_en: label.to_string(),
        accounts,
        share: accounts as f64 / 40_924.0,
    }
}

fn domain(rank: u32, slug: &str, label: &str, accounts: u64, quadrant: Option<&str>) -> DomainRow {
    DomainRow {
        domain: slug.to_string(),
        label: label.to_string(),
        label_en: label.to_string(),
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
    AccountTypeRow {
        account_type: *AccountType::ALL
            .iter()
            .find(|t| t.slug() == slug)
            .expect("a type"),
        label: label.to_string(),
        label_en: label.to_string(),
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
            ("bad_followers".to_string(), 600),
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
            domain(1, "police", "公安", 7_860, Some("active")),
            domain(2, "health", "医疗卫生", 7_164, Some("active")),
            domain(3, "party", "党政", 5_000, Some("active")),
            domain(4, "hostile", SCRIPT, 12, Some("potential")),
            domain(5, "other", "{{ tera }} | pipes |", 11, None),
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
    let count = |key: &str, label: &str, accounts: u64| SeriesCount {
        key: key.to_string(),
        label: label.to_string(),
        label_en: label.to_string(),
        accounts,
        growth: None,
    };
    SeriesPoint {
        period: period.to_string(),
        accounts,
        growth,
        account_types: vec![
            count("subscription", "订阅号", accounts * 7 / 10),
            count("service", SCRIPT, accounts - accounts * 7 / 10),
        ],
        levels: vec![count("provincial", "省级", accounts)],
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
            domain(1, "police", "公安", accounts / 2, Some("active")),
            domain(2, "hostile", SCRIPT, accounts / 2, None),
        ],
        account_types: vec![account_type("service", "服务号", accounts, accounts / 2)],
        followers: Followers {
            accounts,
            mean: Some(30_000.0),
            median: Some(9_000.0),
            p90: Some(80_000),
            total: accounts * 30_000,
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

const PATHS: [&str; 18] = [
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
    "tables/influence.csv",
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
        "广东、浙江两省之和超过位居第三的江苏（2,900个）一倍，为其4.2倍。",
        "省级和地市级部门的账号合计占84.7%，中央部委占1.5%，区县级及以下占13.8%。",
        "呈“腰鼓型”分布",
        "两者合计占36.7%",
        "增长119.3%，增幅超过一倍",
        "平均每个账号的粉丝数超过3.6万，中位数为8,000，90%分位数为90,000",
        "| 1 | [广东](provinces/44.md) | 东部 | 6,139 | 15.0% |\n",
        "| 服务号 | 12,324 | 30.1% | 5,620 | +119.3% |\n",
        "| 合并的记录 | 10,076 |\n",
        "| bad\\_followers | 600 |\n",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
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
}

#[test]
fn hostile_data_stays_text_in_markdown() {
    let md = text(&render(&sample_metrics()), "report.md");
    assert!(
        md.contains("| 4 | \\<script\\>alert(1)\\</script\\> | 12 |"),
        "{md}"
    );
    assert!(
        md.contains("| \\[x\\](javascript:alert(1)) | 390 |"),
        "{md}"
    );
    assert!(
        md.contains("| \\{\\{ tera \\}\\} \\| pipes \\| | 11 |"),
        "{md}"
    );
    assert!(
        md.contains("由 govwx sample 生成 \\{\\{ tera \\}\\}"),
        "{md}"
    );
    assert!(
        md.contains("| 2014/\\<script\\>alert(1)\\</script\\>.csv | not a data file |"),
        "{md}"
    );
    assert!(
        md.contains("| 2014/a.csv | \\[x\\](javascript:alert(1))、粉丝量（是否应为“粉丝数”？） |"),
        "{md}"
    );
    assert!(!md.contains("<script>"));
}

#[test]
fn hostile_data_stays_text_in_html() {
    let html = text(&render(&sample_metrics()), "report.html");
    assert!(
        html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
        "{html}"
    );
    assert!(html.contains("<td>[x](javascript:alert(1))</td>"), "{html}");
    assert!(html.contains("<td>{{ tera }} | pipes |</td>"), "{html}");
    assert!(html.contains("<td>=cmd|' /C calc'!A0</td>"), "{html}");
    for absent in [
        "<script", "<img", "src=", "http://", "https://", "@import", "url(",
    ] {
        assert!(!html.contains(absent), "{absent:?} in\n{html}");
    }
    // The only links are the table of contents' own anchors and the
    // templates' relative links to files of the output tree.
    assert_only_own_links(&html);
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
            "<main>\n<h1>自定义 40,924 &lt;script&gt;alert(1)&lt;/script&gt;</h1>\n\n</main>"
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
    };
    m.quality = Quality::default();
    let md = text(&render(&m), "report.md");
    assert!(md.contains("本期数据没有粉丝数记录。"), "{md}");
    assert!(
        md.contains("| 范围外账号（港澳台） | 0 |\n\n## 附录二"),
        "{md}"
    );
    assert!(
        md.ends_with("\n\n---\n\n本报告由 govwx 根据2014年的数据自动生成。\n"),
        "{md}"
    );
    assert!(!md.contains("\n\n\n"), "{md}");
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
        "月均阅读数前2名（3个月中至少2个月有阅读的账号）：",
        "| 1 | \\=cmd\\|\\' /C calc\\'\\!A0 |",
        "≥100,001 |",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
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
        md.contains("月均阅读数前2名（3个月中至少2个月有阅读的账号）"),
        "{md}"
    );
    assert!(md.contains("| ≥100,001 |\n"), "{md}");
    assert!(md.contains("| 50,000 |\n"), "{md}");
    assert!(md.contains("注：“≥”表示"), "{md}");
}
