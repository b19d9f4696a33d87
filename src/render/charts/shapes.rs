//! Charts whose shape is the message: the "waist-drum" of levels and the
//! skew of followers.

use super::{bracketed, n, t, text_width, Svg, ACCENT, GRID, INK, MUTED};
use crate::metrics::Metrics;
use crate::normalize::Level;
use crate::render::edition::Edition;
use crate::render::filters::{format_count, format_pct, MISSING};

const WIDTH: f64 = 640.0;

/// The level profile: one bar per level centred on the axis, widest where
/// most accounts are, so a middle-heavy distribution looks like a drum.
pub(super) fn levels(m: &Metrics, ed: Edition) -> String {
    // Levels from the top of the state down, as the drum is drawn.
    let rows: Vec<_> = Level::ALL
        .iter()
        .filter_map(|level| m.levels.iter().find(|l| l.level == *level))
        .filter(|l| l.level != Level::Unknown || l.accounts > 0)
        .collect();
    let row_h = 40.0;
    let height = 16.0 + row_h * rows.len().max(1) as f64;
    let mut svg = Svg::new("levels", WIDTH, height);
    let label_w = rows
        .iter()
        .map(|l| text_width(&l.label, 14.0))
        .fold(0.0, f64::max)
        + 14.0;
    let centre = label_w + (WIDTH - label_w - 130.0) / 2.0;
    let half_room = (WIDTH - label_w - 130.0) / 2.0;
    let max = rows.iter().map(|l| l.share).fold(0.0, f64::max);
    let half = |share: f64| {
        if max > 0.0 {
            half_room * share / max
        } else {
            0.0
        }
    };
    let mut outline_left = Vec::new();
    let mut outline_right = Vec::new();
    for (i, l) in rows.iter().enumerate() {
        let mid = 8.0 + row_h * (i as f64 + 0.5);
        outline_left.push(format!("{},{}", n(centre - half(l.share)), n(mid)));
        outline_right.push(format!("{},{}", n(centre + half(l.share)), n(mid)));
    }
    outline_right.reverse();
    let points = [outline_left, outline_right].concat().join(" ");
    svg.push(&format!(
        r##"<polygon points="{points}" fill="#fbe9e7" stroke="{GRID}" stroke-dasharray="3 3"/>"##
    ));
    for (i, l) in rows.iter().enumerate() {
        let y = 8.0 + row_h * i as f64;
        let w = half(l.share);
        svg.rect(centre - w, y + 8.0, w * 2.0, row_h - 16.0, ACCENT);
        svg.text(
            label_w - 10.0,
            y + 25.0,
            r#"text-anchor="end" font-size="14""#,
            &l.label,
        );
        let note = bracketed(
            ed,
            &format_count(l.accounts as f64).unwrap_or_default(),
            &format_pct(l.share).unwrap_or_default(),
        );
        let attrs = format!(r#"font-size="12" fill="{MUTED}""#);
        svg.text(centre + half_room + 8.0, y + 25.0, &attrs, &note);
    }
    let axis = format!(r#"stroke="{INK}" stroke-width="0.5""#);
    svg.line((centre, 4.0), (centre, height - 4.0), &axis);
    let share = format_pct(m.provincial_municipal_share).unwrap_or_default();
    let desc = match ed {
        Edition::Chinese => format!(
            "自上而下为中央、省级、地市级、区县级和乡镇各级账号，条形宽度与占比成正比；省级和地市级合计占{share}。"
        ),
        Edition::English => format!(
            "Accounts by level from the top down: central, provincial, municipal, county and township; each bar's width is proportional to the level's share. Provincial and municipal accounts together make up {share}."
        ),
    };
    let title = t(
        ed,
        "各行政级别账号分布（“腰鼓型”）",
        "Accounts by administrative level (the “waist drum”)",
    );
    svg.finish(title, &desc)
}

/// Followers: where the median, the mean and the 90th percentile fall on one
/// scale; a mean far right of the median shows a long tail.
pub(super) fn followers(m: &Metrics, ed: Edition) -> String {
    let f = &m.followers;
    let mut svg = Svg::new("followers", WIDTH, 150.0);
    let (Some(mean), Some(median), Some(p90)) = (f.mean, f.median, f.p90) else {
        let attrs = format!(r#"text-anchor="middle" font-size="15" fill="{MUTED}""#);
        let none = t(
            ed,
            "本期没有粉丝数记录",
            "No follower counts in this period",
        );
        svg.text(WIDTH / 2.0, 80.0, &attrs, none);
        let desc = t(
            ed,
            "本期没有粉丝数记录，无法绘制分布。",
            "There are no follower counts in this period, so there is no distribution to draw.",
        );
        return svg.finish(title(ed), desc);
    };
    let p90 = p90 as f64;
    let top = mean.max(p90).max(median) * 1.12;
    let (left, right) = (20.0, WIDTH - 20.0);
    let x = |v: f64| {
        if top > 0.0 {
            left + (right - left) * v / top
        } else {
            left
        }
    };
    svg.rect(left, 58.0, x(p90) - left, 26.0, "#f6b6ac");
    svg.rect(left, 58.0, x(median) - left, 26.0, ACCENT);
    let tick = format!(r#"stroke="{INK}" stroke-width="1.5""#);
    let label = |v: f64| format_count(v).unwrap_or_else(|| MISSING.to_string());
    let marks = [
        (median, t(ed, "中位数", "Median"), 100.0),
        (mean, t(ed, "平均数", "Mean"), 42.0),
        (p90, t(ed, "90%分位数", "90th percentile"), 100.0),
    ]
    .map(|(value, name, y)| (value, format!("{name} {}", label(value)), y));
    for (value, text, text_y) in &marks {
        let mx = x(*value);
        svg.line((mx, 50.0), (mx, 92.0), &tick);
        let anchor = anchor_for(mx, text_width(text, 12.0), left, right);
        svg.text(mx, *text_y, &format!(r#"{anchor} font-size="12""#), text);
    }
    let axis = format!(r#"stroke="{GRID}""#);
    svg.line((left, 84.0), (right, 84.0), &axis);
    let note = t(
        ed,
        "深色：粉丝数最少的一半账号；浅色：最少的90%账号",
        "Dark: the half of accounts with the fewest followers; light: the 90% with the fewest",
    );
    svg.text(
        left,
        132.0,
        &format!(r#"font-size="12" fill="{MUTED}""#),
        note,
    );
    let (accounts, median, p90, mean) = (
        label(f.accounts as f64),
        label(median),
        label(p90),
        label(mean),
    );
    let desc = match ed {
        Edition::Chinese => format!(
            "{accounts}个有粉丝数的账号中，半数不超过{median}，90%不超过{p90}，平均数为{mean}。"
        ),
        Edition::English => format!(
            "Of the {accounts} accounts with a follower count, half have at most {median} followers and 90% at most {p90}; the mean is {mean}."
        ),
    };
    svg.finish(title(ed), &desc)
}

/// The title of the followers chart.
fn title(ed: Edition) -> &'static str {
    t(ed, "账号粉丝数分布", "Followers per account")
}

/// Keeps a label centred on its mark, unless that would cut it at an edge.
fn anchor_for(x: f64, width: f64, left: f64, right: f64) -> &'static str {
    if x - width / 2.0 < left {
        r#"text-anchor="start""#
    } else if x + width / 2.0 > right {
        r#"text-anchor="end""#
    } else {
        r#"text-anchor="middle""#
    }
}
