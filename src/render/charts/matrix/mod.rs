//! The maturity matrix (成熟矩阵): domains placed by account count (log
//! scale) and by user activity (linear), split at the medians into four
//! zones, each domain's name placed clear of the others (`place`).

mod place;

use place::{place_labels, Placed, Rect, DOT};

use super::palette::quadrant_colour;
use super::{fill, n, shorten, t, text_width, wrap, xml, Svg, BOLD, GRID, INK, MUTED};
use crate::metrics::{DomainRow, Matrix, Metrics, Quadrant};
use crate::render::edition::Edition;
use crate::render::filters::{format_count, format_decimal};

pub(super) const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 432.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 472.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 372.0;
/// Every text of the chart: 14 user units, about 10 px on a phone.
const SIZE: f64 = 14.0;
/// The widest a domain's name is drawn beside its dot, on one line or two.
const LABEL_ROOM: f64 = 130.0;
/// The step between the lines of a name.
const LINE: f64 = 1.15 * SIZE;
/// The side of a zone's colour key.
const KEY: f64 = 10.0;

/// The quadrant chart, or a framed "no activity data" notice.
pub(super) fn matrix(m: &Metrics, ed: Edition) -> String {
    draw(m, ed).0
}

/// The layout of the matrix of `m`; none without one.
#[cfg(test)]
pub(super) fn layout(m: &Metrics, ed: Edition) -> Option<Layout> {
    draw(m, ed).1
}

/// The chart and, when it has one, its layout.
fn draw(m: &Metrics, ed: Edition) -> (String, Option<Layout>) {
    let mut svg = Svg::new("matrix", WIDTH, HEIGHT);
    let placed: Vec<&DomainRow> = match &m.matrix {
        Some(matrix) => m
            .domains
            .iter()
            .filter(|d| matrix.domains.contains(&d.domain) && d.activity.is_some())
            .collect(),
        None => Vec::new(),
    };
    let (Some(matrix), false) = (&m.matrix, placed.is_empty()) else {
        frame(&mut svg, ed);
        let attrs = format!(r#"text-anchor="middle" font-size="16" fill="{MUTED}""#);
        let mid = (TOP + BOTTOM) / 2.0;
        let none = t(ed, "暂无活跃度数据", "No activity data yet");
        svg.text((LEFT + RIGHT) / 2.0, mid - 10.0, &attrs, none);
        let small = format!(r#"text-anchor="middle" font-size="{SIZE}" fill="{MUTED}""#);
        let why = t(
            ed,
            "成熟矩阵需要月度活跃度（阅读数）导出",
            "The matrix needs monthly activity (reads)",
        );
        svg.text((LEFT + RIGHT) / 2.0, mid + 14.0, &small, why);
        let why = t(ed, "本期没有可用数据", "exports; this period has none");
        svg.text((LEFT + RIGHT) / 2.0, mid + 34.0, &small, why);
        let desc = t(
            ed,
            "本期没有活跃度数据，成熟矩阵为空。",
            "There is no activity data in this period, so the maturity matrix is empty.",
        );
        return (svg.finish(t(ed, "成熟矩阵", "Maturity matrix"), desc), None);
    };
    let scale = Scale::new(&placed, matrix);
    let mut fixed = frame(&mut svg, ed);
    ticks(&mut svg, &scale);
    fixed.extend(medians(&mut svg, &scale, matrix, ed));
    let layout = points(&mut svg, &scale, &placed, fixed);
    let (count_split, activity_split) = (
        format_count(matrix.count_split).unwrap_or_default(),
        format_decimal(matrix.activity_split, 3).unwrap_or_default(),
    );
    let desc = match ed {
        Edition::Chinese => format!(
            "{}个领域按账号数（横轴，对数刻度）和活跃度（纵轴，线性刻度）定位，虚线为两轴的中位数（{count_split}个，{activity_split}），分出活跃、潜力、待开发、待推广四个区域。",
            placed.len(),
        ),
        Edition::English => {
            let en = crate::labels::english();
            let zones: Vec<&str> = Quadrant::ALL.iter().map(|&q| en.quadrant(q)).collect();
            format!(
                "{} domains placed by number of accounts (horizontal, log scale) and activity (vertical, linear scale); the dashed lines are the medians of both ({count_split} accounts, {activity_split}), which divide four zones: {}.",
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
    (svg.finish(title, &desc), Some(layout))
}

/// Axes, axis titles with their scales, and the zone names in the corners;
/// returns the boxes of the zone names.
fn frame(svg: &mut Svg, ed: Edition) -> Vec<Rect> {
    let axis = format!(r#"stroke="{INK}" stroke-width="0.8""#);
    svg.line((LEFT, BOTTOM), (RIGHT, BOTTOM), &axis);
    svg.line((LEFT, TOP), (LEFT, BOTTOM), &axis);
    let muted = format!(r#"font-size="{SIZE}" fill="{MUTED}""#);
    let centred = format!(r#"text-anchor="middle" {muted}"#);
    let across = t(
        ed,
        "账号数量（对数刻度）→",
        "Number of accounts (log scale) →",
    );
    svg.text((LEFT + RIGHT) / 2.0, HEIGHT - 8.0, &centred, across);
    let up = t(
        ed,
        "用户活跃度（线性刻度）→",
        "User activity (linear scale) →",
    );
    svg.push(&format!(
        r#"<text x="16" y="{}" transform="rotate(-90 16 {})" text-anchor="middle" {muted}>{}</text>"#,
        n((TOP + BOTTOM) / 2.0),
        n((TOP + BOTTOM) / 2.0),
        xml(up)
    ));
    // Each zone's name in bold ink after a square of the zone's colour (a
    // square, not a dot: it is a key, not a domain); the ink reads on white.
    let size = 15.0;
    let bold = format!(r#"font-size="{size}" font-weight="bold""#);
    let en = crate::labels::english();
    let name = |quadrant: Quadrant| t(ed, quadrant.label(), en.quadrant(quadrant));
    let mut boxes = Vec::new();
    let corners = [
        (Quadrant::Potential, TOP + 18.0, false),
        (Quadrant::Active, TOP + 18.0, true),
        (Quadrant::Undeveloped, BOTTOM - 8.0, false),
        (Quadrant::ToPromote, BOTTOM - 8.0, true),
    ];
    for (quadrant, y, right) in corners {
        let text = name(quadrant);
        let w = KEY + 5.0 + text_width(text, size) * BOLD;
        let x = if right { RIGHT - 6.0 - w } else { LEFT + 8.0 };
        svg.push(&format!(
            r#"<rect x="{}" y="{}" width="{KEY}" height="{KEY}" fill="{}" stroke="{INK}" stroke-width="0.8"/>"#,
            n(x),
            n(y - 0.35 * size - KEY / 2.0),
            quadrant_colour(Some(quadrant))
        ));
        svg.text(x + KEY + 5.0, y, &bold, text);
        boxes.push(Rect::new(x, y - 0.9 * size, w, 1.15 * size));
    }
    boxes
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
        let acts = placed
            .iter()
            .filter_map(|d| d.activity)
            .filter(|a| a.is_finite());
        let top = acts.fold(matrix.activity_split, f64::max) * 1.12;
        Scale {
            log_min: (lo / 1.3).log10(),
            log_max: (hi * 1.3).log10(),
            top: if top > 0.0 && top.is_finite() {
                top
            } else {
                1.0
            },
        }
    }

    fn x(&self, count: f64) -> f64 {
        let span = (self.log_max - self.log_min).max(1e-9);
        LEFT + 24.0 + (RIGHT - LEFT - 48.0) * (count.max(1.0).log10() - self.log_min) / span
    }

    fn y(&self, activity: f64) -> f64 {
        let activity = if activity.is_finite() { activity } else { 0.0 };
        BOTTOM - 24.0 - (BOTTOM - TOP - 48.0) * activity.clamp(0.0, self.top) / self.top
    }
}

/// Tick values of the count axis between `lo` and `hi`: the powers of ten
/// when at least two fall inside, else the 1-2-5 steps.
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = (lo.max(1.0), hi.max(1.0));
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let within = |v: &f64| *v >= lo && *v <= hi;
    let powers: Vec<f64> = (first..=last)
        .map(|e| 10_f64.powi(e))
        .filter(within)
        .collect();
    if powers.len() >= 2 {
        return powers;
    }
    (first..=last)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10_f64.powi(e)))
        .filter(within)
        .collect()
}

/// Every multiple 1 to 9 of a power of ten between `lo` and `hi`.
fn minor_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = (lo.max(1.0), hi.max(1.0));
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    (first..=last)
        .flat_map(|e| (1..10).map(move |m| f64::from(m) * 10_f64.powi(e)))
        .filter(|v| *v >= lo && *v <= hi)
        .collect()
}

/// Tick values of a linear axis from 0 to `top`: steps of 1, 2 or 5 times a
/// power of ten, four or five of them; and the decimals they need.
pub(super) fn linear_ticks(top: f64) -> (Vec<f64>, u32) {
    if top <= 0.0 || !top.is_finite() {
        return (vec![0.0], 0);
    }
    let rough = top / 4.0;
    let power = 10_f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= rough)
        .unwrap_or(10.0 * power);
    let decimals = (-step.log10().floor()).max(0.0) as u32;
    let count = (top / step + 1e-9).floor() as u32;
    ((0..=count).map(|i| f64::from(i) * step).collect(), decimals)
}

/// Ticks with their values on both axes.
fn ticks(svg: &mut Svg, scale: &Scale) {
    let mark = format!(r#"stroke="{INK}" stroke-width="0.8""#);
    let label = format!(r#"text-anchor="middle" font-size="{SIZE}" fill="{MUTED}""#);
    let lo = 10_f64.powf(scale.log_min);
    let hi = 10_f64.powf(scale.log_max);
    // Unlabelled marks at 2, 3, … 9 times each power of ten show that the
    // axis is logarithmic.
    let labelled = log_ticks(lo, hi);
    let minor = format!(r#"stroke="{INK}" stroke-width="0.5""#);
    for v in minor_ticks(lo, hi) {
        if !labelled.contains(&v) {
            let x = scale.x(v);
            svg.line((x, BOTTOM), (x, BOTTOM + 3.0), &minor);
        }
    }
    let mut right_end = f64::MIN;
    for v in labelled {
        let x = scale.x(v);
        let text = format_count(v).unwrap_or_default();
        let w = text_width(&text, SIZE);
        if x - w / 2.0 < right_end + 6.0 || x + w / 2.0 > WIDTH {
            continue;
        }
        right_end = x + w / 2.0;
        svg.line((x, BOTTOM), (x, BOTTOM + 5.0), &mark);
        svg.text(x, BOTTOM + 20.0, &label, &text);
    }
    let label = format!(r#"text-anchor="end" font-size="{SIZE}" fill="{MUTED}""#);
    let (values, decimals) = linear_ticks(scale.top);
    for v in values {
        let y = scale.y(v);
        if y < TOP {
            continue;
        }
        svg.line((LEFT - 5.0, y), (LEFT, y), &mark);
        let text = format_decimal(v, decimals).unwrap_or_default();
        svg.text(LEFT - 8.0, y + 5.0, &label, &text);
    }
}

/// The two median lines, labelled; returns the boxes of the labels.
fn medians(svg: &mut Svg, scale: &Scale, matrix: &Matrix, ed: Edition) -> Vec<Rect> {
    let dash = format!(r#"stroke="{GRID}" stroke-width="1.5" stroke-dasharray="6 4""#);
    let x = scale.x(matrix.count_split);
    let y = scale.y(matrix.activity_split);
    svg.line((x, TOP), (x, BOTTOM), &dash);
    svg.line((LEFT, y), (RIGHT, y), &dash);
    let muted = format!(r#"font-size="{SIZE}" fill="{MUTED}""#);
    let split = format_count(matrix.count_split).unwrap_or_default();
    let count = match ed {
        Edition::Chinese => format!("中位数 {split}个"),
        Edition::English => format!("Median {split} accounts"),
    };
    let w = text_width(&count, SIZE);
    let base = BOTTOM - 28.0;
    let x0 = if x + 4.0 + w <= RIGHT {
        x + 4.0
    } else {
        x - 4.0 - w
    };
    svg.text(x0, base, &muted, &count);
    let act = format!(
        "{} {}",
        t(ed, "中位数", "Median"),
        format_decimal(matrix.activity_split, 3).unwrap_or_default()
    );
    svg.text(LEFT + 4.0, y - 4.0, &muted, &act);
    vec![
        text_box(x0, base, &count),
        text_box(LEFT + 4.0, y - 4.0, &act),
    ]
}

/// The matrix as drawn: each domain's dot and name, and what the names
/// keep clear of.
#[derive(Debug)]
#[cfg_attr(not(test), expect(dead_code, reason = "the tests read the layout"))]
pub(super) struct Layout {
    pub(super) dots: Vec<(f64, f64)>,
    /// Each name's lines and where they went.
    pub(super) names: Vec<(Vec<String>, Placed)>,
    /// The zone names, the median labels.
    pub(super) fixed: Vec<Rect>,
    pub(super) bounds: Rect,
}

/// A domain's name on one line, or two where it is too wide for one; what
/// two lines cannot hold is cut short with `…` (the table beside the chart
/// has it in full).
fn name_lines(label: &str) -> Vec<String> {
    // No name needs more characters than two lines hold.
    let label: String = label.chars().take(64).collect();
    let lines = wrap(&label, LABEL_ROOM, SIZE);
    if lines.len() <= 2 {
        return lines;
    }
    // Filled from the start, the second line cut where it ends.
    let lines = fill(&label, LABEL_ROOM, SIZE);
    let rest = format!("{}…", lines[1]);
    vec![
        shorten(&lines[0], LABEL_ROOM, SIZE),
        shorten(&rest, LABEL_ROOM, SIZE),
    ]
}

/// One dot per domain and its name, placed by `place_labels` in a fixed
/// order: top to bottom, then left to right, then by slug.
fn points(svg: &mut Svg, scale: &Scale, placed: &[&DomainRow], fixed: Vec<Rect>) -> Layout {
    let at = |d: &DomainRow| {
        (
            scale.x(d.accounts as f64),
            scale.y(d.activity.unwrap_or(0.0)),
        )
    };
    let mut sorted: Vec<&DomainRow> = placed.to_vec();
    sorted.sort_by(|a, b| {
        let (pa, pb) = (at(a), at(b));
        (pa.1.total_cmp(&pb.1))
            .then(pa.0.total_cmp(&pb.0))
            .then_with(|| a.domain.cmp(&b.domain))
    });
    let dots: Vec<(f64, f64)> = sorted.iter().map(|d| at(d)).collect();
    let lines: Vec<Vec<String>> = sorted.iter().map(|d| name_lines(&d.label)).collect();
    let sizes: Vec<(f64, f64)> = lines
        .iter()
        .map(|l| {
            let w = l.iter().map(|l| text_width(l, SIZE)).fold(0.0, f64::max);
            (w, LINE * l.len() as f64)
        })
        .collect();
    let bounds = Rect {
        x0: LEFT + 1.0,
        y0: TOP,
        x1: RIGHT,
        y1: BOTTOM - 1.0,
    };
    let places = place_labels(&dots, &sizes, &fixed, bounds);
    let leader = format!(r#"stroke="{MUTED}" stroke-width="0.8""#);
    for (d, &p) in sorted.iter().zip(&dots) {
        dot(svg, p, quadrant_colour(d.quadrant));
    }
    for ((place, lines), &p) in places.iter().zip(&lines).zip(&dots) {
        if let Some((a, b)) = place.leader {
            svg.line(a, b, &leader);
        }
        // Lines flush towards the dot: right-aligned left of it, centred
        // above or below it.
        let r = place.rect;
        let (x, anchor) = if r.x1 <= p.0 {
            (r.x1, r#" text-anchor="end""#)
        } else if r.x0 >= p.0 {
            (r.x0, "")
        } else {
            ((r.x0 + r.x1) / 2.0, r#" text-anchor="middle""#)
        };
        let attrs = format!(r#"font-size="{SIZE}"{anchor}"#);
        for (i, line) in lines.iter().enumerate() {
            svg.text(x, r.y0 + 0.9 * SIZE + LINE * i as f64, &attrs, line);
        }
    }
    Layout {
        dots,
        names: lines.into_iter().zip(places).collect(),
        fixed,
        bounds,
    }
}

/// The box of a text drawn at `(x, baseline)`, `text-anchor` start.
fn text_box(x: f64, baseline: f64, text: &str) -> Rect {
    Rect::new(x, baseline - 0.9 * SIZE, text_width(text, SIZE), LINE)
}

/// A dot of `colour` at `p`, outlined in ink so that the light colours
/// stand out from the white plot.
fn dot(svg: &mut Svg, p: (f64, f64), colour: &str) {
    svg.push(&format!(
        r#"<circle cx="{}" cy="{}" r="{DOT}" fill="{colour}" stroke="{INK}" stroke-width="0.8"/>"#,
        n(p.0),
        n(p.1),
    ));
}

#[cfg(test)]
mod tests;
