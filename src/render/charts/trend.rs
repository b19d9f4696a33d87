//! The trend: accounts per period, one stacked bar per period split by
//! account type, drawn only when the input holds more than two periods.

use super::palette::account_type_colour;
use super::{legend, t, text_width, Svg, GRID, MUTED};
use crate::metrics::Metrics;
use crate::render::edition::Edition;
use crate::render::filters::{
    format_count, format_growth, format_period, format_period_en, MISSING,
};

/// 440 wide with 13-unit text: about 10 px text on a phone.
const WIDTH: f64 = 440.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;
const SIZE: f64 = 13.0;

/// Accounts per period of `m.series`, stacked by type.
pub(super) fn trend(m: &Metrics, edition: Edition) -> String {
    let english = edition == Edition::English;
    let text = |zh: &'static str, en: &'static str| t(edition, zh, en);
    let period = |p: &str| match edition {
        Edition::Chinese => format_period(p),
        Edition::English => format_period_en(p),
    };
    let Some(last) = m.series.last() else {
        let svg = Svg::new("trend", WIDTH, 40.0);
        return svg.finish(text("历年账号数", "Accounts by period"), "");
    };
    // The legend: every type of the series, in type order.
    let items: Vec<(String, &str)> = last
        .account_types
        .iter()
        .map(|c| (c.label.clone(), account_type_colour(&c.key)))
        .collect();
    let top = legend(&mut Svg::new("trend", WIDTH, 0.0), &items, 0.0, WIDTH).max(30.0) + 2.0;
    let mut svg = Svg::new("trend", WIDTH, top + 8.0 + ROW * m.series.len() as f64);
    legend(&mut svg, &items, 0.0, WIDTH);
    let labels: Vec<String> = m.series.iter().map(|p| period(&p.period)).collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, SIZE))
        .fold(30.0, f64::max)
        + 10.0;
    let notes: Vec<String> = m
        .series
        .iter()
        .map(|p| {
            let total = format_count(p.accounts as f64).unwrap_or_else(|| MISSING.to_string());
            match p.growth.and_then(format_growth) {
                Some(g) => format!("{total} ({g})"),
                None => total,
            }
        })
        .collect();
    let note_w = notes
        .iter()
        .map(|n| text_width(n, SIZE))
        .fold(0.0, f64::max)
        + 8.0;
    let room = (WIDTH - label_w - note_w).max(40.0);
    let max = m
        .series
        .iter()
        .map(|p| p.accounts)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let note_attrs = format!(r#"fill="{MUTED}""#);
    for (i, (point, (label, note))) in m.series.iter().zip(labels.iter().zip(&notes)).enumerate() {
        let y = top + ROW * i as f64;
        svg.text(label_w - 8.0, y + 13.0, r#"text-anchor="end""#, label);
        let mut x = label_w;
        for c in &point.account_types {
            let w = room * c.accounts as f64 / max;
            svg.rect(x, y + 1.0, w, BAR, account_type_colour(&c.key));
            x += w;
        }
        svg.text(x + 5.0, y + 13.0, &note_attrs, note);
    }
    let axis = format!(r#"stroke="{GRID}""#);
    svg.line(
        (label_w, top - 4.0),
        (label_w, top + ROW * m.series.len() as f64),
        &axis,
    );
    let first = &m.series[0];
    let desc = if english {
        format!(
            "Accounts in each of {} periods from {} to {}, split by account type: {} at first, {} at last.",
            m.series.len(),
            format_period_en(&first.period),
            format_period_en(&last.period),
            notes[0],
            notes[notes.len() - 1]
        )
    } else {
        format!(
            "{}至{}共{}个统计期的账号数，按账号类型分段：由{}个增至{}个。",
            format_period(&first.period),
            format_period(&last.period),
            m.series.len(),
            format_count(first.accounts as f64).unwrap_or_default(),
            format_count(last.accounts as f64).unwrap_or_default()
        )
    };
    svg.finish(
        text("历年政务微信账号数", "Government WeChat accounts by period"),
        &desc,
    )
}
