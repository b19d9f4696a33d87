//! Charts drawn from hand-built figures: stable, accessible, escaped, and
//! with a clear empty state for the maturity matrix.

use std::collections::BTreeMap;

use super::*;
use crate::metrics::Matrix;
use crate::render::edition::Edition;
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
    let charts = all(&m, Edition::Chinese);
    assert_eq!(charts.len(), NAMES.len());
    assert_eq!(charts, all(&m, Edition::Chinese));
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
    let mut m = with_matrix();
    // Descriptions name the largest province and domain in full; bars cut
    // long names short.
    m.provinces[0].name = HOSTILE[1].to_string();
    let charts = all(&m, Edition::Chinese);
    let text: String = charts.values().cloned().collect();
    for raw in ["<script", "<img", "<x", "</script"] {
        assert!(!text.contains(raw), "{raw:?} reached the SVG unescaped");
    }
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(text.contains(">[x](javascript:"));
    assert!(text.contains(">{{ tera }}<"));
}

#[test]
fn matrix_draws_medians_and_labels() {
    let svg = &all(&with_matrix(), Edition::Chinese)["matrix"];
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
    let svg = &all(&sample_metrics(), Edition::Chinese)["province_map"];
    for name in ["台湾", "香港", "澳门"] {
        assert!(svg.contains(name), "{name}");
    }
    // On two lines on each of the three tiles, and in the description.
    assert_eq!(svg.matches(">未纳入<").count(), 3, "{svg}");
    assert_eq!(svg.matches(">统计<").count(), 3, "{svg}");
    assert!(svg.contains("未纳入统计"), "{svg}");
    assert!(svg.contains("示意图"));
    // 31 provinces and 3 grey tiles, plus the legend's five swatches.
    assert_eq!(svg.matches("<rect").count(), 31 + 3 + 5, "{svg}");
}

#[test]
fn a_domain_outside_the_matrix_is_grey_and_no_quadrant_is() {
    let mut m = with_matrix();
    m.domains[0].quadrant = None;
    let svg = &all(&m, Edition::Chinese)["domains"];
    assert!(svg.contains("未列入矩阵"), "{svg}");
    let quadrants: Vec<&str> = crate::metrics::Quadrant::ALL
        .iter()
        .map(|&q| super::palette::quadrant_colour(Some(q)))
        .collect();
    let grey = super::palette::quadrant_colour(None);
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
    let svg = &all(&m, Edition::Chinese)["matrix"];
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
    let charts = all(&m, Edition::Chinese);
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

/// The charts of the English edition for figures `m`.
fn english(m: &Metrics) -> BTreeMap<&'static str, String> {
    all(&Edition::English.figures(m), Edition::English)
}

#[test]
fn english_charts_speak_english() {
    let mut m = with_matrix();
    // A name for each tile, as the English figures carry them.
    m.provinces = crate::geo::Province::mainland()
        .enumerate()
        .map(|(i, p)| crate::metrics::ProvinceRow {
            code: format!("{:02}", p.code()),
            name: p.short().to_string(),
            name_en: crate::labels::english().province(p).to_string(),
            region: crate::geo::Region::East,
            region_label: "东部".to_string(),
            region_label_en: "East".to_string(),
            accounts: 100 * (i as u64 + 1),
            share: 0.01,
            rank: i as u32 + 1,
        })
        .collect();
    let charts = english(&m);
    assert_eq!(charts.len(), NAMES.len());
    assert_eq!(charts, english(&m));
    for (name, svg) in &charts {
        let cjk = crate::render::tests::cjk_runs(svg);
        assert!(cjk.is_empty(), "{name}: {cjk:?} in\n{svg}");
    }
    for (name, expected) in [
        (
            "provinces",
            "<title id=\"chart-provinces-title\">Government WeChat accounts by province</title>",
        ),
        ("provinces", ">Guangdong<"),
        ("province_map", ">Schematic: positions are approximate<"),
        ("province_map", ">Heilong-<"),
        ("province_map", ">jiang<"),
        ("province_map", ">Inner<"),
        ("province_map", ">Mongolia<"),
        ("province_map", ">Hong<"),
        ("province_map", ">Kong<"),
        ("province_map", ">Accounts<"),
        ("levels", ">Provincial<"),
        ("levels", ">9,000 (22.0%)<"),
        ("domains", ">Police<"),
        ("domains", ">To promote<"),
        ("account_types", ">12,324 (30.1%, +119.3% year on year)<"),
        ("account_types", ">2013<"),
        ("matrix", ">Median 5,000 accounts<"),
        ("matrix", ">Median 0.250<"),
        ("matrix", ">Undeveloped<"),
        ("matrix", ">User activity (linear scale) →<"),
        ("matrix", ">Number of accounts (log scale) →<"),
        ("followers", ">Median 8,000<"),
        ("followers", ">Mean 36,412<"),
        ("followers", ">90th percentile 90,000<"),
    ] {
        assert!(
            charts[name].contains(expected),
            "{name}: no {expected:?} in\n{}",
            charts[name]
        );
    }
    let map = &charts["province_map"];
    assert_eq!(map.matches(">excluded<").count(), 3, "{map}");
    for name in ["Taiwan", "Hong Kong", "Macao"] {
        assert!(map.contains(name), "{name}");
    }
    assert_eq!(map.matches("<rect").count(), 31 + 3 + 5, "{map}");
    let mut empty = sample_metrics();
    empty.matrix = None;
    empty.followers.mean = None;
    let charts = english(&empty);
    assert!(charts["matrix"].contains(">No activity data yet<"));
    assert!(charts["followers"].contains(">No follower counts in this period<"));
    assert!(
        crate::render::tests::cjk_runs(&charts.values().cloned().collect::<String>()).is_empty()
    );
}

/// Each `<text>` of `svg` (rotated ones aside) as (x, anchor, font size,
/// text), entities decoded.
fn texts(svg: &str) -> Vec<(f64, &str, f64, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = tag[start..].find('"')?;
        Some(tag[start..start + len].to_string())
    };
    let mut out = Vec::new();
    for piece in svg.split("<text").skip(1) {
        let (tag, rest) = piece.split_once('>').expect("a tag");
        if tag.contains("transform") {
            continue;
        }
        let text = rest.split("</text>").next().unwrap_or_default();
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        let x: f64 = attr(tag, "x").and_then(|x| x.parse().ok()).expect("x");
        let anchor = match attr(tag, "text-anchor").as_deref() {
            Some("middle") => "middle",
            Some("end") => "end",
            _ => "start",
        };
        let size = attr(tag, "font-size").map_or(13.0, |s| s.parse().expect("a size"));
        out.push((x, anchor, size, text));
    }
    out
}

#[test]
fn every_label_fits_in_its_chart_in_both_editions() {
    let m = with_matrix();
    for (edition, charts) in [
        ("Chinese", all(&m, Edition::Chinese)),
        ("English", english(&m)),
    ] {
        for (name, svg) in &charts {
            let width: f64 = svg
                .split("width=\"")
                .nth(1)
                .and_then(|w| w.split('"').next())
                .and_then(|w| w.parse().ok())
                .expect("a width");
            for (x, anchor, size, text) in texts(svg) {
                let w = text_width(&text, size);
                let (left, right) = match anchor {
                    "middle" => (x - w / 2.0, x + w / 2.0),
                    "end" => (x - w, x),
                    _ => (x, x + w),
                };
                assert!(
                    left >= -0.5 && right <= width + 0.5,
                    "{edition} {name}: {text:?} spans {left:.1}..{right:.1} of {width}"
                );
            }
        }
    }
}

#[test]
fn a_tile_name_fits_its_tile() {
    use super::map::{fit_name, schematic, GAP, LABEL_ROOM, SIZE, TILE};
    let cases: [(&str, &[&str], f64); 12] = [
        ("广东", &["广东"], 15.0),
        ("黑龙江", &["黑龙江"], 15.0),
        ("Jilin", &["Jilin"], 15.0),
        ("Hebei", &["Hebei"], 15.0),
        ("Beijing", &["Beijing"], 15.0),
        ("Chongqing", &["Chong-", "qing"], 15.0),
        ("Shandong", &["Shan-", "dong"], 15.0),
        ("Guangdong", &["Guang-", "dong"], 15.0),
        ("Inner Mongolia", &["Inner", "Mongolia"], 13.0),
        ("Heilongjiang", &["Heilong-", "jiang"], 13.0),
        ("新疆维吾尔自治区", &["新疆维吾", "尔自治区"], 15.0),
        ("", &[""], 15.0),
    ];
    for (name, lines, size) in cases {
        assert_eq!(
            fit_name(name),
            (lines.iter().map(|l| l.to_string()).collect(), size),
            "{name}"
        );
    }
    let (lines, size) = fit_name("Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww");
    assert_eq!(size, SIZE);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].ends_with('…'), "{lines:?}");
    for name in [
        "Inner Mongolia",
        "Heilongjiang",
        "Hong Kong",
        "Xinjiang Uygur Autonomous Region",
        "Guangxi Zhuang Autonomous Region",
        "内蒙古自治区",
        "<script>alert(1)</script>",
        "Ünterwäldnerischhausen",
        "a b c d e f g h i j k l m n o p",
    ] {
        let (lines, size) = fit_name(name);
        assert!(!lines.is_empty() && lines.len() <= 2, "{name}: {lines:?}");
        for l in &lines {
            assert!(text_width(l, size) <= LABEL_ROOM, "{name}: {l:?} at {size}");
        }
    }
    // The note in the map's empty corner stays within its four empty tiles,
    // on two lines at most.
    let corner = 4.0 * TILE + 3.0 * GAP;
    for edition in [Edition::Chinese, Edition::English] {
        let lines = wrap(schematic(edition), corner, SIZE);
        assert!(lines.len() <= 2, "{edition:?}: {lines:?}");
        assert!(lines.iter().all(|l| !l.ends_with('…')), "{lines:?}");
    }
}

/// A `<text>` of a chart: where it is drawn, how, and what it says.
#[derive(Debug)]
pub(super) struct Text {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) anchor: String,
    pub(super) size: f64,
    pub(super) bold: bool,
    /// Turned a quarter left (`rotate(-90 …)`), reading upwards.
    pub(super) upright: bool,
    /// Its own fill, or the chart's (`INK`).
    pub(super) fill: String,
    pub(super) text: String,
}

impl Text {
    /// The box the text covers, estimated with `text_width`: from a little
    /// above the cap height to below the baseline.
    pub(super) fn extent(&self) -> (f64, f64, f64, f64) {
        let w = text_width(&self.text, self.size) * if self.bold { BOLD } else { 1.0 };
        let (start, end) = match self.anchor.as_str() {
            "middle" => (-w / 2.0, w / 2.0),
            "end" => (-w, 0.0),
            _ => (0.0, w),
        };
        let (above, below) = (0.9 * self.size, 0.25 * self.size);
        match self.upright {
            // Reading upwards: the text runs from y - start to y - end.
            true => (self.x - above, self.y - end, self.x + below, self.y - start),
            false => (self.x + start, self.y - above, self.x + end, self.y + below),
        }
    }
}

/// The value of attribute `name` in the tag text `tag`.
pub(super) fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

/// The width and height of `svg`'s viewBox.
pub(super) fn view_box(svg: &str) -> (f64, f64) {
    let tag = svg.split('>').next().unwrap_or_default();
    let values: Vec<f64> = attr(tag, "viewBox")
        .expect("a viewBox")
        .split(' ')
        .map(|v| v.parse().expect("a number"))
        .collect();
    (values[2], values[3])
}

/// Every `<text>` of `svg`, entities decoded; a font size or fill not on
/// the text is the one of the `<svg>` element.
pub(crate) fn all_texts(svg: &str) -> Vec<Text> {
    let mut out = Vec::new();
    for piece in svg.split("<text").skip(1) {
        let (tag, rest) = piece.split_once('>').expect("a tag");
        let text = rest.split("</text>").next().unwrap_or_default();
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        let number = |name| attr(tag, name).and_then(|v| v.parse().ok());
        out.push(Text {
            x: number("x").expect("x"),
            y: number("y").expect("y"),
            anchor: attr(tag, "text-anchor").unwrap_or_else(|| "start".to_string()),
            size: number("font-size").unwrap_or(13.0),
            bold: attr(tag, "font-weight").is_some_and(|w| w == "bold"),
            upright: attr(tag, "transform").is_some_and(|t| t.starts_with("rotate(-90")),
            fill: attr(tag, "fill").unwrap_or_else(|| INK.to_string()),
            text,
        });
    }
    out
}

/// Figures like the bundled sample's, with every chart drawn: the matrix,
/// the follower histogram and a trend of three periods.
pub(super) fn sample_like() -> Metrics {
    let mut m = with_matrix();
    let labels = ["公安", "医疗卫生", "党政", "交通", "共青团"];
    for (d, label) in m.domains.iter_mut().zip(labels) {
        d.label = label.to_string();
    }
    m
}

/// Whether two boxes (left, top, right, bottom) overlap.
fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

#[test]
fn no_text_of_a_chart_covers_another() {
    for (name, svg) in every_chart() {
        let texts = all_texts(&svg);
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                assert!(
                    !overlap(a.extent(), b.extent()),
                    "{name}: {:?} and {:?} overlap: {:?} {:?}",
                    a.text,
                    b.text,
                    a.extent(),
                    b.extent()
                );
            }
        }
    }
}

#[test]
fn every_chart_fits_a_phone_with_legible_text() {
    for (name, svg) in every_chart() {
        let (width, height) = view_box(&svg);
        let phone = PHONE_PX / width;
        for text in all_texts(&svg) {
            assert!(
                text.size * phone >= MIN_PHONE_PX - 1e-9,
                "{name}: {:?} is {:.1} px on a phone",
                text.text,
                text.size * phone
            );
            let (x0, y0, x1, y1) = text.extent();
            assert!(
                x0 >= -0.5 && y0 >= -0.5 && x1 <= width + 0.5 && y1 <= height + 0.5,
                "{name}: {:?} spans ({x0:.1}, {y0:.1})–({x1:.1}, {y1:.1}) of {width} × {height}",
                text.text
            );
        }
    }
}

/// The filled rectangles of `svg` before byte `end`, in drawing order:
/// (left, top, right, bottom, fill).
fn rects_before(svg: &str, end: usize) -> Vec<(f64, f64, f64, f64, String)> {
    let mut out = Vec::new();
    for (at, _) in svg[..end].match_indices("<rect") {
        let tag = svg[at..].split('>').next().unwrap_or_default();
        let number = |name| attr(tag, name).and_then(|v| v.parse::<f64>().ok());
        if let (Some(x), Some(y), Some(w), Some(h), Some(fill)) = (
            number("x"),
            number("y"),
            number("width"),
            number("height"),
            attr(tag, "fill"),
        ) {
            out.push((x, y, x + w, y + h, fill));
        }
    }
    out
}

/// What each text of `svg` is drawn on: the last rectangle drawn before
/// it that holds the middle of its box, or the white page.
fn text_on_backgrounds(svg: &str) -> Vec<(Text, String)> {
    let starts: Vec<usize> = svg.match_indices("<text").map(|(at, _)| at).collect();
    all_texts(svg)
        .into_iter()
        .zip(starts)
        .map(|(text, at)| {
            let (x0, y0, x1, y1) = text.extent();
            let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            let background = rects_before(svg, at)
                .into_iter()
                .rev()
                .find(|r| r.0 <= cx && cx <= r.2 && r.1 <= cy && cy <= r.3)
                .map_or_else(|| palette::PAPER.to_string(), |r| r.4);
            (text, background)
        })
        .collect()
}

/// Every chart of both editions on the sample-like figures, and on figures
/// without a matrix, follower counts or a trend.
fn every_chart() -> Vec<(String, String)> {
    let m = sample_like();
    let mut empty = sample_like();
    empty.matrix = None;
    empty.followers.mean = None;
    empty.series.clear();
    // Every name from the data or the labels files far too long.
    let mut long = sample_like();
    let name = |i: usize| format!("{i}很长的名字 and a very long name{}", "长".repeat(200));
    for (i, p) in long.provinces.iter_mut().enumerate() {
        p.name = name(i);
    }
    for (i, r) in long.regions.iter_mut().enumerate() {
        r.label = name(i);
    }
    for (i, l) in long.levels.iter_mut().enumerate() {
        l.label = name(i);
    }
    for (i, d) in long.domains.iter_mut().enumerate() {
        d.label = name(i);
    }
    for (i, t) in long.account_types.iter_mut().enumerate() {
        t.label = name(i);
    }
    for point in &mut long.series {
        for (i, c) in point.account_types.iter_mut().enumerate() {
            c.label = name(i);
        }
    }
    [
        ("zh", all(&m, Edition::Chinese)),
        ("en", english(&m)),
        ("zh, empty", all(&empty, Edition::Chinese)),
        ("en, empty", english(&empty)),
        ("zh, long names", all(&long, Edition::Chinese)),
    ]
    .into_iter()
    .flat_map(|(edition, charts)| {
        charts
            .into_iter()
            .map(move |(name, svg)| (format!("{edition} {name}"), svg))
    })
    .collect()
}

#[test]
fn every_text_contrasts_with_what_it_is_drawn_on() {
    let mut pairs = std::collections::BTreeSet::new();
    for (name, svg) in every_chart() {
        let (width, _) = view_box(&svg);
        let phone = PHONE_PX / width;
        for (text, background) in text_on_backgrounds(&svg) {
            let ratio = palette::contrast(&text.fill, &background);
            // WCAG's large text: 24 px, or 18.66 px bold (as on a phone).
            let px = text.size * phone;
            let large = px >= 24.0 || (text.bold && px >= 18.66);
            let needed = if large { 3.0 } else { 4.5 };
            assert!(
                ratio >= needed,
                "{name}: {:?} in {} on {background} is {ratio:.2}:1",
                text.text,
                text.fill
            );
            pairs.insert((text.fill, background));
        }
    }
    // Ink and muted text on the page and on the grey tiles, ink on the
    // map's light shades and white on its dark ones: the backgrounds were
    // found.
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    for expected in [
        pair(INK, palette::PAPER),
        pair(MUTED, palette::PAPER),
        pair(MUTED, palette::OTHER_LIGHT),
        pair(INK, palette::ACCOUNT_SHADES[0]),
        pair(palette::PAPER, palette::ACCOUNT_SHADES[4]),
    ] {
        assert!(pairs.contains(&expected), "{expected:?} not in {pairs:?}");
    }
}

#[test]
fn charts_draw_only_with_the_palettes() {
    let known = palette::tests::known_colours();
    for (name, svg) in every_chart() {
        for attr in ["fill=\"", "stroke=\""] {
            for (at, _) in svg.match_indices(attr) {
                let value = svg[at + attr.len()..].split('"').next().unwrap_or_default();
                if value == "none" {
                    continue;
                }
                assert!(known.contains(&value), "{name}: {value} is in no palette");
            }
        }
    }
}
