//! The maturity matrix (成熟矩阵): domains placed by account count and by
//! user activity, split at the medians into four zones.

use super::bars::quadrant_colour;
use super::{n, shorten, t, text_width, xml, Svg, GRID, INK, MUTED};
use crate::metrics::{DomainRow, Matrix, Metrics, Quadrant};
use crate::render::edition::Edition;
use crate::render::filters::{format_count, format_decimal};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 440.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 620.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 390.0;
/// The widest a domain's name is drawn beside its dot.
const LABEL_ROOM: f64 = 120.0;

/// The quadrant chart, or a framed "no activity data" notice.
pub(super) fn matrix(m: &Metrics, ed: Edition) -> String {
    let mut svg = Svg::new("matrix", WIDTH, HEIGHT);
    frame(&mut svg, ed);
    let placed: Vec<&DomainRow> = match &m.matrix {
        Some(matrix) => m
            .domains
            .iter()
            .filter(|d| matrix.domains.contains(&d.domain) && d.activity.is_some())
            .collect(),
        None => Vec::new(),
    };
    let (Some(matrix), false) = (&m.matrix, placed.is_empty()) else {
        let attrs = format!(r#"text-anchor="middle" font-size="16" fill="{MUTED}""#);
        let mid = (TOP + BOTTOM) / 2.0;
        let none = t(ed, "暂无活跃度数据", "No activity data yet");
        svg.text((LEFT + RIGHT) / 2.0, mid - 8.0, &attrs, none);
        let small = format!(r#"text-anchor="middle" font-size="12" fill="{MUTED}""#);
        let why = t(
            ed,
            "成熟矩阵需要月度活跃度（阅读数）导出，本期没有可用数据",
            "The matrix needs monthly activity (reads) exports; this period has none",
        );
        svg.text((LEFT + RIGHT) / 2.0, mid + 16.0, &small, why);
        let desc = t(
            ed,
            "本期没有活跃度数据，成熟矩阵为空。",
            "There is no activity data in this period, so the maturity matrix is empty.",
        );
        return svg.finish(t(ed, "成熟矩阵", "Maturity matrix"), desc);
    };
    let scale = Scale::new(&placed, matrix);
    medians(&mut svg, &scale, matrix, ed);
    points(&mut svg, &scale, &placed);
    let (count_split, activity_split) = (
        format_count(matrix.count_split).unwrap_or_default(),
        format_decimal(matrix.activity_split, 3).unwrap_or_default(),
    );
    let desc = match ed {
        Edition::Chinese => format!(
            "{}个领域按账号数（横轴，对数刻度）和活跃度（纵轴）定位，虚线为两轴的中位数（{count_split}个，{activity_split}），分出活跃、潜力、待开发、待推广四个区域。",
            placed.len(),
        ),
        Edition::English => {
            let en = crate::labels::english();
            let zones: Vec<&str> = Quadrant::ALL.iter().map(|&q| en.quadrant(q)).collect();
            format!(
                "{} domains placed by number of accounts (horizontal, log scale) and activity (vertical); the dashed lines are the medians of both ({count_split} accounts, {activity_split}), which divide four zones: {}.",
                placed.len(),
                zones.join(", ")
            )
        }
    };
    let title = t(
        ed,
        "成熟矩阵：账号数量与用户活跃度",
        "Maturity matrix: number of accounts and user activity",
    );
    svg.finish(title, &desc)
}

/// Axes, axis titles and the zone names in the corners.
fn frame(svg: &mut Svg, ed: Edition) {
    let axis = format!(r#"stroke="{INK}" stroke-width="0.8""#);
    svg.line((LEFT, BOTTOM), (RIGHT, BOTTOM), &axis);
    svg.line((LEFT, TOP), (LEFT, BOTTOM), &axis);
    let muted = format!(r#"font-size="12" fill="{MUTED}""#);
    let centred = format!(r#"text-anchor="middle" {muted}"#);
    let across = t(ed, "账号数量 →", "Number of accounts →");
    svg.text((LEFT + RIGHT) / 2.0, HEIGHT - 12.0, &centred, across);
    svg.push(&format!(
        r#"<text x="16" y="{}" transform="rotate(-90 16 {})" text-anchor="middle" {muted}>{}</text>"#,
        n((TOP + BOTTOM) / 2.0),
        n((TOP + BOTTOM) / 2.0),
        xml(t(ed, "用户活跃度 →", "User activity →"))
    ));
    let zone = |quadrant| {
        format!(
            r#"font-size="15" font-weight="bold" fill="{}" fill-opacity="0.55""#,
            quadrant_colour(Some(quadrant))
        )
    };
    let en = crate::labels::english();
    let name = |quadrant: Quadrant| t(ed, quadrant.label(), en.quadrant(quadrant));
    let potential = Quadrant::Potential;
    svg.text(LEFT + 8.0, TOP + 18.0, &zone(potential), name(potential));
    let end = format!(r#"text-anchor="end" {}"#, zone(Quadrant::Active));
    svg.text(RIGHT - 6.0, TOP + 18.0, &end, name(Quadrant::Active));
    let undeveloped = Quadrant::Undeveloped;
    svg.text(
        LEFT + 8.0,
        BOTTOM - 8.0,
        &zone(undeveloped),
        name(undeveloped),
    );
    let end = format!(r#"text-anchor="end" {}"#, zone(Quadrant::ToPromote));
    svg.text(RIGHT - 6.0, BOTTOM - 8.0, &end, name(Quadrant::ToPromote));
}

/// Maps counts (log scale) and activity (linear) to the plot area.
struct Scale {
    log_min: f64,
    log_max: f64,
    top: f64,
}

impl Scale {
    fn new(placed: &[&DomainRow], matrix: &Matrix) -> Scale {
        let counts = placed.iter().map(|d| d.accounts.max(1) as f64);
        let lo = counts.clone().fold(matrix.count_split.max(1.0), f64::min);
        let hi = counts.fold(matrix.count_split.max(1.0), f64::max);
        let acts = placed.iter().filter_map(|d| d.activity);
        let top = acts.fold(matrix.activity_split, f64::max) * 1.12;
        Scale {
            log_min: (lo / 1.3).log10(),
            log_max: (hi * 1.3).log10(),
            top: if top > 0.0 { top } else { 1.0 },
        }
    }

    fn x(&self, count: f64) -> f64 {
        let span = (self.log_max - self.log_min).max(1e-9);
        LEFT + 24.0 + (RIGHT - LEFT - 48.0) * (count.max(1.0).log10() - self.log_min) / span
    }

    fn y(&self, activity: f64) -> f64 {
        BOTTOM - 24.0 - (BOTTOM - TOP - 48.0) * activity / self.top
    }
}

/// The two median lines, labelled.
fn medians(svg: &mut Svg, scale: &Scale, matrix: &Matrix, ed: Edition) {
    let dash = format!(r#"stroke="{GRID}" stroke-width="1.5" stroke-dasharray="6 4""#);
    let x = scale.x(matrix.count_split);
    let y = scale.y(matrix.activity_split);
    svg.line((x, TOP), (x, BOTTOM), &dash);
    svg.line((LEFT, y), (RIGHT, y), &dash);
    let muted = format!(r#"font-size="11" fill="{MUTED}""#);
    let split = format_count(matrix.count_split).unwrap_or_default();
    let count = match ed {
        Edition::Chinese => format!("中位数 {split}个"),
        Edition::English => format!("Median {split} accounts"),
    };
    if x + 4.0 + text_width(&count, 11.0) <= WIDTH {
        svg.text(x + 4.0, BOTTOM - 26.0, &muted, &count);
    } else {
        let before = format!(r#"text-anchor="end" {muted}"#);
        svg.text(x - 4.0, BOTTOM - 26.0, &before, &count);
    }
    let act = format!(
        "{} {}",
        t(ed, "中位数", "Median"),
        format_decimal(matrix.activity_split, 3).unwrap_or_default()
    );
    svg.text(LEFT + 4.0, y - 4.0, &muted, &act);
}

/// One dot per domain with its label, nudged down when labels would overlap.
fn points(svg: &mut Svg, scale: &Scale, placed: &[&DomainRow]) {
    let mut sorted: Vec<&&DomainRow> = placed.iter().collect();
    sorted.sort_by(|a, b| {
        let ay = scale.y(a.activity.unwrap_or(0.0));
        let by = scale.y(b.activity.unwrap_or(0.0));
        ay.total_cmp(&by).then_with(|| a.domain.cmp(&b.domain))
    });
    let mut boxes: Vec<(f64, f64, f64)> = Vec::new();
    for d in sorted {
        let (px, py) = (
            scale.x(d.accounts as f64),
            scale.y(d.activity.unwrap_or(0.0)),
        );
        let colour = quadrant_colour(d.quadrant);
        svg.push(&format!(
            r#"<circle cx="{}" cy="{}" r="5" fill="{colour}"/>"#,
            n(px),
            n(py)
        ));
        // A long name (English ones can be) is cut short: the table
        // beside the chart has it in full.
        let label = shorten(&d.label, LABEL_ROOM, 12.0);
        let w = text_width(&label, 12.0);
        let left_side = px + 8.0 + w > RIGHT;
        let x0 = if left_side { px - 8.0 - w } else { px + 8.0 };
        let mut ly = py + 4.0;
        while boxes
            .iter()
            .any(|&(bx, bw, by)| (ly - by).abs() < 13.0 && x0 < bx + bw && bx < x0 + w)
        {
            ly += 13.0;
        }
        boxes.push((x0, w, ly));
        svg.text(x0, ly, r#"font-size="12""#, &label);
    }
}
