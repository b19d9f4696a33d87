//! A chart whose shape is the message: the "waist drum" of levels.

use super::palette::{ACCOUNTS, ACCOUNTS_WASH, OTHER};
use super::{bracketed, n, shorten, t, text_width, Svg, GRID, INK, MUTED};
use crate::metrics::Metrics;
use crate::normalize::Level;
use crate::render::edition::Edition;
use crate::render::filters::{format_count, format_pct};

/// The level profile: 440 wide with text of 13 units or more, about 10 px
/// on a phone.
const WIDTH: f64 = 440.0;
/// The widest a level's name is drawn.
const LABEL_ROOM: f64 = 120.0;

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
    // Level names come from the labels file; a long one is cut short.
    let labels: Vec<String> = rows
        .iter()
        .map(|l| shorten(&l.label, LABEL_ROOM, 14.0))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, 14.0))
        .fold(0.0, f64::max)
        + 14.0;
    let notes: Vec<String> = rows
        .iter()
        .map(|l| {
            bracketed(
                ed,
                &format_count(l.accounts as f64).unwrap_or_default(),
                &format_pct(l.share).unwrap_or_default(),
            )
        })
        .collect();
    let note_w = notes
        .iter()
        .map(|note| text_width(note, 13.0) + 12.0)
        .fold(0.0, f64::max);
    let half_room = (WIDTH - label_w - note_w) / 2.0;
    let centre = label_w + half_room;
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
        r#"<polygon points="{points}" fill="{ACCOUNTS_WASH}" stroke="{GRID}" stroke-dasharray="3 3"/>"#
    ));
    for (i, l) in rows.iter().enumerate() {
        let y = 8.0 + row_h * i as f64;
        let w = half(l.share);
        // Accounts whose level is unknown are "other": grey.
        let fill = match l.level {
            Level::Unknown => OTHER,
            _ => ACCOUNTS,
        };
        svg.rect(centre - w, y + 8.0, w * 2.0, row_h - 16.0, fill);
        svg.text(
            label_w - 10.0,
            y + 25.0,
            r#"text-anchor="end" font-size="14""#,
            &labels[i],
        );
        let attrs = format!(r#"fill="{MUTED}""#);
        svg.text(centre + half_room + 8.0, y + 25.0, &attrs, &notes[i]);
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
