//! Whole-stage tests: a small hand-made `Metrics`, with hostile strings where
//! data reaches markup or spreadsheets, rendered through the built-in
//! templates.

use std::collections::BTreeMap;

use super::*;
use crate::metrics::{
    Dataset, DomainRow, Followers, LeadingProvinces, LevelRow, ProvinceRow, Quality, RegionRow,
    Totals, SCHEMA_VERSION,
};

const SCRIPT: &str = "<script>alert(1)</script>";
const LINK: &str = "[x](javascript:alert(1))";
const FORMULA: &str = "=cmd|' /C calc'!A0";

fn province(rank: u32, code: &str, name: &str, accounts: u64, share: f64) -> ProvinceRow {
    ProvinceRow {
        code: code.to_string(),
        name: name.to_string(),
        region: "east".to_string(),
        region_label: "东部".to_string(),
        accounts,
        share,
        rank,
    }
}

fn level(level: &str, label: &str, accounts: u64) -> LevelRow {
    LevelRow {
        level: level.to_string(),
        label: label.to_string(),
        accounts,
        share: accounts as f64 / 40_924.0,
    }
}

fn domain(rank: u32, slug: &str, label: &str, accounts: u64, quadrant: Option<&str>) -> DomainRow {
    DomainRow {
        domain: slug.to_string(),
        label: label.to_string(),
        accounts,
        share: accounts as f64 / 40_924.0,
        rank,
        activity: quadrant.map(|_| 0.8465),
        quadrant: quadrant.map(str::to_string),
    }
}

fn account_type(slug: &str, label: &str, accounts: u64, baseline: u64) -> AccountTypeRow {
    AccountTypeRow {
        account_type: slug.to_string(),
        label: label.to_string(),
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
        records_read: 52_000,
        records_accepted: 51_000,
        records_rejected: 990,
        rejected_by_reason: BTreeMap::from([
            ("bad_followers".to_string(), 600),
            (LINK.to_string(), 390),
        ]),
        totals_lines: 10,
        blank_lines: 7,
        fields_inferred: BTreeMap::from([("province".to_string(), 3_210)]),
        invalid_original_ids: 45,
        records_merged: 10_076,
        conflicts: 3,
        accounts_out_of_scope: 120,
    }
}

/// Figures shaped like the published 2014 ones, with hostile names mixed in.
pub(super) fn sample_metrics() -> Metrics {
    Metrics {
        schema_version: SCHEMA_VERSION,
        period: "2014".to_string(),
        baseline_period: Some("2013".to_string()),
        generated_on: Some("2015-04-20".to_string()),
        dataset: Dataset {
            title: None,
            description: Some("由 govwx sample 生成 {{ tera }}".to_string()),
            synthetic: true,
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
                region: "east".to_string(),
                label: "东部".to_string(),
                provinces: 10,
                accounts: 22_000,
                share: 22_000.0 / 40_924.0,
            },
            RegionRow {
                region: "west".to_string(),
                label: "西部".to_string(),
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
        quality: quality(),
    }
}

fn render(metrics: &Metrics) -> Vec<OutputFile> {
    render_report(metrics, &Templates::builtin().unwrap()).unwrap()
}

fn text(files: &[OutputFile], path: &str) -> String {
    let file = files.iter().find(|f| f.path == path).unwrap();
    String::from_utf8(file.bytes.clone()).unwrap()
}

#[test]
fn dump_for_review() {
    let files = render(&sample_metrics());
    std::fs::write("/tmp/govwx-render-report.md", text(&files, "report.md")).unwrap();
    std::fs::write("/tmp/govwx-render-report.html", text(&files, "report.html")).unwrap();
}
