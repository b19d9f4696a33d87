//! Charts drawn from hand-built figures: stable, accessible, escaped, and
//! with a clear empty state for the maturity matrix.

use super::*;
use crate::metrics::Matrix;
use crate::render::tests::sample_metrics;

const HOSTILE: [&str; 5] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "| pipes |",
    "{{ tera }}",
];

/// Figures with a maturity matrix, and hostile domain labels.
fn with_matrix() -> Metrics {
    let mut m = sample_metrics();
    for (i, d) in m.domains.iter_mut().enumerate() {
        d.activity = Some(0.1 * (i + 1) as f64);
        d.label = HOSTILE[i % HOSTILE.len()].to_string();
    }
    m.matrix = Some(Matrix {
        min_accounts: 10,
        count_split: 5_000.0,
        activity_split: 0.25,
        domains: m.domains.iter().map(|d| d.domain.clone()).collect(),
    });
    m
}

#[test]
fn every_chart_is_stable_and_accessible() {
    let m = with_matrix();
    let charts = all(&m);
    assert_eq!(charts.len(), NAMES.len());
    assert_eq!(charts, all(&m));
    for name in NAMES {
        let svg = &charts[name];
        let id = format!("chart-{}", name.replace('_', "-"));
        assert!(
            svg.starts_with(&format!("<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 ")),
            "{svg}"
        );
        assert!(
            svg.contains(&format!("<title id=\"{id}-title\">")),
            "{name}"
        );
        assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")), "{name}");
        assert!(svg.ends_with("</svg>"), "{name}");
        assert!(
            !svg.contains("NaN") && !svg.contains("inf"),
            "{name}: {svg}"
        );
    }
}

#[test]
fn data_in_charts_is_escaped() {
    let charts = all(&with_matrix());
    let text: String = charts.values().cloned().collect();
    for raw in ["<script", "<img", "<x", "</script"] {
        assert!(!text.contains(raw), "{raw:?} reached the SVG unescaped");
    }
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(text.contains(">[x](javascript:alert(1))<"));
    assert!(text.contains(">{{ tera }}<"));
}

#[test]
fn matrix_draws_medians_and_labels() {
    let svg = &all(&with_matrix())["matrix"];
    assert!(svg.contains("中位数 5,000个"), "{svg}");
    assert!(svg.contains("中位数 0.250"), "{svg}");
    assert_eq!(svg.matches("<circle").count(), 5, "{svg}");
    for zone in ["潜力", "活跃", "待开发", "待推广"] {
        assert!(svg.contains(zone), "{zone}");
    }
    assert!(!svg.contains("暂无活跃度数据"));
}

#[test]
fn the_map_is_a_schematic_that_shows_taiwan_hong_kong_and_macau() {
    let svg = &all(&sample_metrics())["province_map"];
    for name in ["台湾", "香港", "澳门"] {
        assert!(svg.contains(name), "{name}");
    }
    assert_eq!(
        svg.matches("未纳入统计").count(),
        3 + 1,
        "three tiles and the description"
    );
    assert!(svg.contains("示意图"));
    // 31 provinces and 3 grey tiles, plus the legend's five swatches.
    assert_eq!(svg.matches("<rect").count(), 31 + 3 + 5, "{svg}");
}

#[test]
fn a_domain_outside_the_matrix_is_grey_and_no_quadrant_is() {
    let mut m = with_matrix();
    m.domains[0].quadrant = None;
    let svg = &all(&m)["domains"];
    assert!(svg.contains("未列入矩阵"), "{svg}");
    let quadrants: Vec<&str> = crate::metrics::Quadrant::ALL
        .iter()
        .map(|&q| super::bars::quadrant_colour(Some(q)))
        .collect();
    let grey = super::bars::quadrant_colour(None);
    assert!(!quadrants.contains(&grey));
    let mut distinct = quadrants.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), quadrants.len(), "one colour per quadrant");
    assert!(svg.contains(grey), "{svg}");
}

#[test]
fn matrix_without_activity_says_so() {
    let mut m = sample_metrics();
    m.matrix = None;
    let svg = &all(&m)["matrix"];
    assert!(svg.contains("暂无活跃度数据"), "{svg}");
    assert!(!svg.contains("<circle"), "{svg}");
}

#[test]
fn empty_figures_still_draw() {
    let mut m = sample_metrics();
    m.provinces.clear();
    m.domains.clear();
    m.levels.clear();
    m.account_types.clear();
    m.followers.mean = None;
    let charts = all(&m);
    assert!(charts["followers"].contains("本期没有粉丝数记录"));
    assert!(
        charts["province_map"].contains("广东"),
        "tiles keep their names"
    );
}

#[test]
fn text_width_counts_cjk_as_one_em() {
    assert_eq!(text_width("黑龙江", 10.0), 30.0);
    assert!(text_width("6,139", 10.0) < 30.0);
    assert_eq!(xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    assert_eq!(n(-0.01), "0.0");
}
