//! Followers: a histogram of accounts by order of magnitude of their
//! followers on a log axis, which shows the long tail, with the median,
//! the mean and the 90th percentile marked clear of each other's names.

use super::palette::{ACCOUNTS, PAPER};
use super::{n, t, text_width, Svg, GRID, INK, MUTED};
use crate::metrics::Metrics;
use crate::render::edition::Edition;
use crate::render::filters::{format_count, format_decimal, MISSING};

/// Width of the followers chart, and the size of every text in it: 13 user
/// units are about 10 px when the chart is 346 px wide on a phone.
pub(super) const FOLLOWERS_WIDTH: f64 = 440.0;
const SIZE: f64 = 13.0;
/// The rotated axis title's room left of the tick values.
const TITLE_ROOM: f64 = 22.0;
const PLOT_RIGHT: f64 = 432.0;
const PLOT_TOP: f64 = 70.0;
const PLOT_BOTTOM: f64 = 218.0;
/// Baseline of the lowest row of marker names, and the step between rows.
const ROW0: f64 = PLOT_TOP - 10.0;
const ROW_STEP: f64 = 19.0;
/// The gap between the "0" band and the first order of magnitude.
const BREAK: f64 = 6.0;

/// Followers: a histogram of accounts by order of magnitude of their
/// followers (log axis), with the median, the mean and the 90th percentile
/// marked; a mean far right of the median shows a long tail.
pub(super) fn followers(m: &Metrics, ed: Edition) -> String {
    let f = &m.followers;
    let height = PLOT_BOTTOM + 56.0;
    let mut svg = Svg::new("followers", FOLLOWERS_WIDTH, height);
    let (Some(mean), Some(median), Some(p90), false) =
        (f.mean, f.median, f.p90, f.histogram.is_empty())
    else {
        let attrs = format!(r#"text-anchor="middle" font-size="15" fill="{MUTED}""#);
        let none = t(
            ed,
            "本期没有粉丝数记录",
            "No follower counts in this period",
        );
        svg.text(FOLLOWERS_WIDTH / 2.0, 80.0, &attrs, none);
        let desc = t(
            ed,
            "本期没有粉丝数记录，无法绘制分布。",
            "There are no follower counts in this period, so there is no distribution to draw.",
        );
        return svg.finish(title(ed), desc);
    };
    let bins = &f.histogram;
    let most = bins.iter().map(|b| b.accounts).max().unwrap_or(0) as f64;
    let (values, decimals) = super::matrix::linear_ticks(most * 1.05);
    let tick_text = |v: f64| format_decimal(v, decimals).unwrap_or_default();
    // The plot starts right of the widest count on its axis.
    let widest = values
        .iter()
        .map(|&v| text_width(&tick_text(v), SIZE))
        .fold(0.0, f64::max);
    let plot_left = TITLE_ROOM + widest + 8.0;
    let band = (PLOT_RIGHT - plot_left - BREAK) / bins.len() as f64;
    // 0 has a band of its own; from 1 up, one band per power of ten.
    let x = |v: f64| {
        if v < 1.0 {
            plot_left + band / 2.0
        } else {
            plot_left + band + BREAK + v.log10() * band
        }
    };
    let band_start = |i: usize| match i {
        0 => plot_left,
        i => plot_left + BREAK + band * i as f64,
    };
    let top = values.last().copied().unwrap_or(0.0).max(most).max(1.0);
    let y = |v: f64| PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * v / top;
    let grid = format!(r#"stroke="{GRID}" stroke-width="0.6""#);
    let muted_end = format!(r#"text-anchor="end" font-size="{SIZE}" fill="{MUTED}""#);
    for v in &values {
        svg.line((plot_left, y(*v)), (PLOT_RIGHT, y(*v)), &grid);
        svg.text(plot_left - 6.0, y(*v) + 4.5, &muted_end, &tick_text(*v));
    }
    for (i, bin) in bins.iter().enumerate() {
        let h = PLOT_BOTTOM - y(bin.accounts as f64);
        svg.rect(
            band_start(i) + 1.0,
            PLOT_BOTTOM - h,
            band - 2.0,
            h,
            ACCOUNTS,
        );
    }
    let axis = format!(r#"stroke="{INK}" stroke-width="0.8""#);
    svg.line(
        (plot_left, PLOT_BOTTOM),
        (plot_left + band, PLOT_BOTTOM),
        &axis,
    );
    svg.line(
        (plot_left + band + BREAK, PLOT_BOTTOM),
        (PLOT_RIGHT, PLOT_BOTTOM),
        &axis,
    );
    // Ticks: "0" under its band, then each power of ten at its boundary;
    // a value that would crowd the one before it is left out.
    let centred = format!(r#"text-anchor="middle" font-size="{SIZE}" fill="{MUTED}""#);
    let mut ticks = vec![(plot_left + band / 2.0, "0".to_string())];
    for i in 1..=bins.len() {
        let v = 10_f64.powi(i as i32 - 1);
        ticks.push((x(v), power_of_ten(i as u32 - 1, ed)));
    }
    let mut right_end = f64::MIN;
    for (tx, text) in ticks {
        let w = text_width(&text, SIZE);
        let (left, right) = (tx - w / 2.0, tx + w / 2.0);
        if left < right_end + 5.0 || right > FOLLOWERS_WIDTH || left < 0.0 {
            continue;
        }
        right_end = right;
        svg.line((tx, PLOT_BOTTOM), (tx, PLOT_BOTTOM + 5.0), &axis);
        svg.text(tx, PLOT_BOTTOM + 20.0, &centred, &text);
    }
    let across = t(
        ed,
        "粉丝数（对数刻度，每格为十倍）",
        "Followers (log scale, each band ten times the last)",
    );
    svg.text(
        (plot_left + PLOT_RIGHT) / 2.0,
        PLOT_BOTTOM + 44.0,
        &centred,
        across,
    );
    let mid = (PLOT_TOP + PLOT_BOTTOM) / 2.0;
    svg.push(&format!(
        r#"<text x="15" y="{}" transform="rotate(-90 15 {})" text-anchor="middle" font-size="{SIZE}" fill="{MUTED}">{}</text>"#,
        n(mid),
        n(mid),
        super::xml(t(ed, "账号数", "Accounts"))
    ));
    let label = |v: f64| format_count(v).unwrap_or_else(|| MISSING.to_string());
    let p90 = p90 as f64;
    let marks = [
        (median, t(ed, "中位数", "Median"), ""),
        (mean, t(ed, "平均数", "Mean"), "6 3"),
        (p90, t(ed, "90%分位数", "90th percentile"), "2 2"),
    ]
    .map(|(value, name, dash)| (x(value), format!("{name} {}", label(value)), dash));
    let xs = marks.each_ref().map(|(mx, _, _)| *mx);
    let widths = marks.each_ref().map(|(_, text, _)| text_width(text, SIZE));
    let layout = marker_layout(&xs, &widths);
    for ((mx, text, dash), (row, rect)) in marks.iter().zip(&layout) {
        let baseline = ROW0 - ROW_STEP * f64::from(*row);
        // A white edge sets the line apart from the bars it crosses.
        let halo = format!(r#"stroke="{PAPER}" stroke-width="4""#);
        svg.line((*mx, PLOT_BOTTOM), (*mx, baseline - 5.0), &halo);
        let stroke = format!(r#"stroke="{INK}" stroke-width="1.6" stroke-dasharray="{dash}""#);
        svg.line((*mx, PLOT_BOTTOM), (*mx, baseline - 5.0), &stroke);
        svg.text(rect.0, baseline, &format!(r#"font-size="{SIZE}""#), text);
    }
    let (accounts, median, p90, mean) = (
        label(f.accounts as f64),
        label(median),
        label(p90),
        label(mean),
    );
    let fullest = bins
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.accounts.cmp(&b.accounts).then(j.cmp(i)));
    let peak = fullest.map(|(_, b)| (b.from, b.to, label(b.accounts as f64)));
    let desc = match (ed, peak) {
        (Edition::Chinese, Some((from, to, n))) => format!(
            "{accounts}个有粉丝数的账号按粉丝数的数量级分组（对数刻度），粉丝数{}的账号最多，{n}个；半数不超过{median}，90%不超过{p90}，平均数为{mean}。",
            range_words(from, to, ed)
        ),
        (_, Some((from, to, n))) => format!(
            "The {accounts} accounts with a follower count grouped by order of magnitude (log scale): most have {} followers ({n}); half have at most {median} followers and 90% at most {p90}; the mean is {mean}.",
            range_words(from, to, ed)
        ),
        (_, None) => String::new(),
    };
    svg.finish(title(ed), &desc)
}

/// 10 to the `e` as the axis writes it: 1, 10, 100, 1,000, then 1万, 10万 …
/// 1亿 in Chinese, 10k, 100k, 1M … 1B in English.
fn power_of_ten(e: u32, ed: Edition) -> String {
    let v = 10_u128.pow(e);
    let plain = |v: u128| format_count(v as f64).unwrap_or_default();
    match ed {
        Edition::Chinese if e >= 8 => format!("{}亿", plain(v / 100_000_000)),
        Edition::Chinese if e >= 4 => format!("{}万", plain(v / 10_000)),
        Edition::English if e >= 9 => format!("{}B", plain(v / 1_000_000_000)),
        Edition::English if e >= 6 => format!("{}M", plain(v / 1_000_000)),
        Edition::English if e >= 4 => format!("{}k", plain(v / 1_000)),
        _ => plain(v),
    }
}

/// A bin's range in words: `1,000至9,999`, `1,000 to 9,999`, `至少100万`.
fn range_words(from: u64, to: Option<u64>, ed: Edition) -> String {
    let count = |v: u64| format_count(v as f64).unwrap_or_default();
    match (to, ed) {
        (Some(1), Edition::Chinese) => "为0".to_string(),
        (Some(1), Edition::English) => "no".to_string(),
        (Some(to), Edition::Chinese) => format!("在{}至{}之间", count(from), count(to - 1)),
        (Some(to), Edition::English) => format!("{} to {}", count(from), count(to - 1)),
        (None, Edition::Chinese) => format!("不少于{}", count(from)),
        (None, Edition::English) => format!("at least {}", count(from)),
    }
}

/// Where the names of the marker lines at `xs` (of widths `widths`) go: a
/// row above the plot (0 the lowest) and the text's left and right ends,
/// beside its line, 4 units off. A line rises to the middle of its row, so
/// a name must keep clear of the lines that rise to its row or higher, of
/// the names in its row and of the chart's edges. Of every choice of rows
/// and sides the first with the fewest rows wins.
pub(super) fn marker_layout(xs: &[f64; 3], widths: &[f64; 3]) -> [(u8, (f64, f64)); 3] {
    let span = |x: f64, w: f64, right: bool| match right {
        true => (x + 4.0, x + 4.0 + w),
        false => (x - 4.0 - w, x - 4.0),
    };
    let valid = |rows: [u8; 3], sides: [bool; 3]| {
        (0..3).all(|i| {
            let (a, b) = span(xs[i], widths[i], sides[i]);
            a >= 0.0
                && b <= FOLLOWERS_WIDTH
                && (0..3).all(|j| {
                    if i == j {
                        return true;
                    }
                    let line_clear = rows[j] < rows[i] || xs[j] < a - 2.0 || xs[j] > b + 2.0;
                    let (c, d) = span(xs[j], widths[j], sides[j]);
                    let names_clear = rows[j] != rows[i] || d + 6.0 <= a || b + 6.0 <= c;
                    line_clear && names_clear
                })
        })
    };
    let mut best: Option<([u8; 3], [bool; 3])> = None;
    let cost = |rows: [u8; 3]| (rows.iter().max().copied(), rows.iter().sum::<u8>());
    for code in 0..216_u32 {
        let rows = [0, 1, 2].map(|k| ((code / 6_u32.pow(k)) % 3) as u8);
        let sides = [0, 1, 2].map(|k| (code / 6_u32.pow(k)) / 3 % 2 == 0);
        if valid(rows, sides) && best.is_none_or(|(r, _)| cost(rows) < cost(r)) {
            best = Some((rows, sides));
        }
    }
    // No choice is clear only when a name is wider than both sides of its
    // line; then one row each, on the roomier side.
    let (rows, sides) = best.unwrap_or(([0, 1, 2], xs.map(|x| x < FOLLOWERS_WIDTH / 2.0)));
    [0, 1, 2].map(|i| (rows[i], span(xs[i], widths[i], sides[i])))
}
/// The title of the followers chart.
fn title(ed: Edition) -> &'static str {
    t(ed, "账号粉丝数分布", "Followers per account")
}

#[cfg(test)]
mod tests;
