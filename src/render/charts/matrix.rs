//! The maturity matrix (成熟矩阵): domains placed by account count (log
//! scale) and by user activity (linear), split at the medians into four
//! zones.
//!
//! Each domain's name is placed by `place_labels`: the first position
//! around its dot (right, left, above, below, then the diagonals) whose box
//! overlaps no other name, no dot and no fixed text, stays inside the plot
//! and is nearer its own dot than any other; failing that, further out on
//! rings around the dot, joined to it by a thin leader line. The order is
//! fixed and nothing is random, so the same figures give the same chart.

use super::bars::quadrant_colour;
use super::{n, shorten, t, text_width, xml, Svg, GRID, INK, MUTED};
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
/// The widest a domain's name is drawn beside its dot.
const LABEL_ROOM: f64 = 112.0;
/// Radius of a dot.
const DOT: f64 = 5.0;

/// The colour of a zone's name: the zone's colour, darkened where needed
/// for a contrast of at least 4.5:1 on the white plot.
pub(super) fn zone_text_colour(quadrant: Quadrant) -> &'static str {
    match quadrant {
        Quadrant::Active => "#9b1c12",
        Quadrant::Potential => "#8a4b0f",
        Quadrant::Undeveloped => "#5a4379",
        Quadrant::ToPromote => "#24506f",
    }
}

/// The quadrant chart, or a framed "no activity data" notice.
pub(super) fn matrix(m: &Metrics, ed: Edition) -> String {
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
        return svg.finish(t(ed, "成熟矩阵", "Maturity matrix"), desc);
    };
    let scale = Scale::new(&placed, matrix);
    let mut fixed = frame(&mut svg, ed);
    ticks(&mut svg, &scale);
    fixed.extend(medians(&mut svg, &scale, matrix, ed));
    points(&mut svg, &scale, &placed, &fixed);
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
    svg.finish(title, &desc)
}

/// An axis-aligned box in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

impl Rect {
    fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        }
    }

    /// The box of a text drawn at `(x, baseline)`, `text-anchor` start.
    fn of_text(x: f64, baseline: f64, text: &str, size: f64) -> Rect {
        Rect::new(x, baseline - 0.9 * size, text_width(text, size), 1.1 * size)
    }

    /// The box of a dot at `p`.
    fn of_dot(p: (f64, f64)) -> Rect {
        Rect::new(p.0 - DOT, p.1 - DOT, 2.0 * DOT, 2.0 * DOT)
    }

    pub(super) fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    fn within(&self, bounds: &Rect) -> bool {
        self.x0 >= bounds.x0 && self.x1 <= bounds.x1 && self.y0 >= bounds.y0 && self.y1 <= bounds.y1
    }

    /// The point of the box nearest `p`.
    pub(super) fn nearest(&self, p: (f64, f64)) -> (f64, f64) {
        (p.0.clamp(self.x0, self.x1), p.1.clamp(self.y0, self.y1))
    }

    /// Distance from `p` to the box (0 inside).
    pub(super) fn distance(&self, p: (f64, f64)) -> f64 {
        let q = self.nearest(p);
        (q.0 - p.0).hypot(q.1 - p.1)
    }

    /// Whether the segment `a`–`b` passes through the box (sampled finely
    /// enough for labels and dots).
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        (0..=40).any(|i| {
            let f = f64::from(i) / 40.0;
            let p = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
            p.0 > self.x0 && p.0 < self.x1 && p.1 > self.y0 && p.1 < self.y1
        })
    }
}

/// A domain's name as placed: its box (text drawn at `x0`, baseline
/// `y0 + 0.9 × SIZE`) and, when it stands away from its dot, the leader
/// line from the dot's edge to the box.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed {
    pub(super) rect: Rect,
    pub(super) leader: Option<((f64, f64), (f64, f64))>,
}

/// Where a box of `w` × `h` goes when it stands `d` from `p` in the
/// direction `(dx, dy)` (screen coordinates, y down): beside, above, below
/// or diagonally off the point.
fn beside(p: (f64, f64), (dx, dy): (f64, f64), d: f64, w: f64, h: f64) -> Rect {
    let (ax, ay) = (p.0 + dx * d, p.1 + dy * d);
    let x = if dx > 0.3 {
        ax
    } else if dx < -0.3 {
        ax - w
    } else {
        ax - w / 2.0
    };
    let y = if dy > 0.3 {
        ay
    } else if dy < -0.3 {
        ay - h
    } else {
        ay - h / 2.0
    };
    Rect::new(x, y, w, h)
}

/// Places the names `widths` (box widths, in the order given) of the dots
/// at `dots`: see the module's comment. `fixed` are boxes of other text to
/// keep clear of, `bounds` the plot.
pub(super) fn place_labels(
    dots: &[(f64, f64)],
    widths: &[f64],
    fixed: &[Rect],
    bounds: Rect,
) -> Vec<Placed> {
    let h = 1.1 * SIZE;
    let dot_boxes: Vec<Rect> = dots.iter().map(|&p| Rect::of_dot(p)).collect();
    let diagonal = std::f64::consts::FRAC_1_SQRT_2;
    let near: [(f64, f64); 8] = [
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.0, -1.0),
        (0.0, 1.0),
        (diagonal, -diagonal),
        (-diagonal, -diagonal),
        (diagonal, diagonal),
        (-diagonal, diagonal),
    ];
    // Sixteen directions for the rings further out, right first, turning
    // both ways at once so that neither side is favoured.
    let mut around = vec![(1.0, 0.0)];
    for i in 1..8 {
        let a = f64::from(i) * std::f64::consts::PI / 8.0;
        around.push((a.cos(), -a.sin()));
        around.push((a.cos(), a.sin()));
    }
    around.push((-1.0, 0.0));
    let mut placed: Vec<Placed> = Vec::new();
    for (i, (&p, &w)) in dots.iter().zip(widths).enumerate() {
        let clear = |rect: &Rect, placed: &[Placed]| {
            let pad = Rect {
                x0: rect.x0 - 1.0,
                y0: rect.y0 - 1.0,
                x1: rect.x1 + 1.0,
                y1: rect.y1 + 1.0,
            };
            rect.within(&bounds)
                && !fixed.iter().any(|f| f.overlaps(&pad))
                && !dot_boxes.iter().any(|d| d.overlaps(&pad))
                && !placed.iter().any(|o| {
                    o.rect.overlaps(&pad) || o.leader.is_some_and(|(a, b)| pad.crossed_by(a, b))
                })
        };
        let own = rect_distance_ok(i, dots);
        let mut choice = near
            .iter()
            .map(|&dir| beside(p, dir, DOT + 3.0, w, h))
            .find(|rect| clear(rect, &placed) && own(rect))
            .map(|rect| Placed { rect, leader: None });
        for ring in 1..=12 {
            if choice.is_some() {
                break;
            }
            let d = DOT + 3.0 + 14.0 * f64::from(ring);
            choice = around.iter().find_map(|&dir| {
                let rect = beside(p, dir, d, w, h);
                let end = rect.nearest(p);
                let len = (end.0 - p.0).hypot(end.1 - p.1).max(1e-9);
                let start = (
                    p.0 + (end.0 - p.0) * DOT / len,
                    p.1 + (end.1 - p.1) * DOT / len,
                );
                let crosses = dot_boxes
                    .iter()
                    .enumerate()
                    .any(|(j, b)| j != i && b.crossed_by(start, end))
                    || placed.iter().any(|o| o.rect.crossed_by(start, end))
                    || fixed.iter().any(|f| f.crossed_by(start, end));
                (clear(&rect, &placed) && !crosses).then_some(Placed {
                    rect,
                    leader: Some((start, end)),
                })
            });
        }
        // Nowhere free (only with more names than the plot can hold): to
        // the right of the dot, clamped into the plot.
        let choice = choice.unwrap_or_else(|| {
            let rect = beside(p, (1.0, 0.0), DOT + 3.0, w, h);
            let dx = (bounds.x1 - rect.x1).min(0.0);
            Placed {
                rect: Rect::new(rect.x0 + dx, rect.y0, w, h),
                leader: None,
            }
        });
        placed.push(choice);
    }
    placed
}

/// Whether a box is nearer dot `i` than any other dot.
fn rect_distance_ok(i: usize, dots: &[(f64, f64)]) -> impl Fn(&Rect) -> bool + '_ {
    move |rect: &Rect| {
        let own = rect.distance(dots[i]);
        dots.iter()
            .enumerate()
            .all(|(j, &q)| j == i || rect.distance(q) > own + 1.0)
    }
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
    let up = t(ed, "用户活跃度（线性刻度）→", "User activity (linear) →");
    svg.push(&format!(
        r#"<text x="16" y="{}" transform="rotate(-90 16 {})" text-anchor="middle" {muted}>{}</text>"#,
        n((TOP + BOTTOM) / 2.0),
        n((TOP + BOTTOM) / 2.0),
        xml(up)
    ));
    let size = 15.0;
    let zone = |quadrant| {
        format!(
            r#"font-size="{size}" font-weight="bold" fill="{}""#,
            zone_text_colour(quadrant)
        )
    };
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
        // Bold text is drawn a little wider than `text_width` says.
        let w = text_width(text, size) * 1.08;
        let x = if right { RIGHT - 6.0 - w } else { LEFT + 8.0 };
        svg.text(x, y, &zone(quadrant), text);
        boxes.push(Rect::new(x, y - 0.9 * size, w, 1.1 * size));
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
    let mut right_end = f64::MIN;
    for v in log_ticks(lo, hi) {
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
        Rect::of_text(x0, base, &count, SIZE),
        Rect::of_text(LEFT + 4.0, y - 4.0, &act, SIZE),
    ]
}

/// One dot per domain and its name, placed by `place_labels` in a fixed
/// order: top to bottom, then left to right, then by slug.
fn points(svg: &mut Svg, scale: &Scale, placed: &[&DomainRow], fixed: &[Rect]) {
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
    // A long name (English ones can be) is cut short: the table beside the
    // chart has it in full.
    let labels: Vec<String> = sorted
        .iter()
        .map(|d| shorten(&d.label, LABEL_ROOM, SIZE))
        .collect();
    let widths: Vec<f64> = labels.iter().map(|l| text_width(l, SIZE)).collect();
    let bounds = Rect {
        x0: LEFT + 1.0,
        y0: TOP,
        x1: RIGHT,
        y1: BOTTOM - 1.0,
    };
    let places = place_labels(&dots, &widths, fixed, bounds);
    let leader = format!(r#"stroke="{MUTED}" stroke-width="0.8""#);
    for (d, &(px, py)) in sorted.iter().zip(&dots) {
        svg.push(&format!(
            r#"<circle cx="{}" cy="{}" r="{DOT}" fill="{}"/>"#,
            n(px),
            n(py),
            quadrant_colour(d.quadrant)
        ));
    }
    for (place, label) in places.iter().zip(&labels) {
        if let Some((a, b)) = place.leader {
            svg.line(a, b, &leader);
        }
        let attrs = format!(r#"font-size="{SIZE}""#);
        svg.text(place.rect.x0, place.rect.y0 + 0.9 * SIZE, &attrs, label);
    }
}
