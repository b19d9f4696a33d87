//! A tile-grid map: the 31 provinces as equal squares placed roughly where
//! they lie, shaded by account count, with 台湾, 香港 and 澳门 as grey tiles
//! marked 未纳入统计 (their accounts are out of scope, §3), and the chart
//! labelled a schematic (示意图): a map of China that leaves them out is not
//! publishable.
//!
//! Equal tiles let small provinces (上海, 天津) read as clearly as large ones,
//! and need no boundary data, which would also raise the question of whose
//! boundaries to draw.

use super::{n, text_width, xml, Svg, INK, MUTED};
use crate::metrics::Metrics;
use crate::render::filters::{format_count, MISSING};

const TILE: f64 = 74.0;
const GAP: f64 = 4.0;
const LEFT: f64 = 10.0;
const TOP: f64 = 10.0;

/// (GB/T 2260 code, column, row): west to east, north to south.
const GRID: [(&str, u8, u8); 31] = [
    ("15", 4, 0),
    ("23", 6, 0),
    ("65", 0, 1),
    ("62", 1, 1),
    ("64", 2, 1),
    ("14", 3, 1),
    ("13", 4, 1),
    ("11", 5, 1),
    ("22", 6, 1),
    ("54", 0, 2),
    ("63", 1, 2),
    ("61", 2, 2),
    ("41", 3, 2),
    ("37", 4, 2),
    ("12", 5, 2),
    ("21", 6, 2),
    ("51", 1, 3),
    ("50", 2, 3),
    ("42", 3, 3),
    ("34", 4, 3),
    ("32", 5, 3),
    ("31", 6, 3),
    ("53", 1, 4),
    ("52", 2, 4),
    ("43", 3, 4),
    ("36", 4, 4),
    ("33", 5, 4),
    ("45", 2, 5),
    ("44", 3, 5),
    ("35", 4, 5),
    ("46", 3, 6),
];

/// 台湾, 香港 and 澳门: (name, column, row), drawn grey.
const OUT_OF_SCOPE: [(&str, u8, u8); 3] = [("台湾", 5, 5), ("澳门", 2, 6), ("香港", 4, 6)];
/// The fill of a tile outside the statistics.
const OUT_OF_SCOPE_FILL: &str = "#e5e7eb";

/// Light to dark: five steps of the accent.
const SHADES: [&str; 5] = ["#fde7e4", "#f6b6ac", "#e8766a", "#c23b2e", "#7f1d15"];

/// Which of the five shades a count gets: square-root scale to the largest,
/// so the long tail stays distinguishable.
fn shade(accounts: u64, max: u64) -> usize {
    if max == 0 || accounts == 0 {
        return 0;
    }
    let ratio = (accounts as f64 / max as f64).sqrt();
    ((ratio * 5.0).ceil() as usize).clamp(1, 5) - 1
}

/// The tile map of provinces; provinces without accounts are left pale.
pub(super) fn provinces(m: &Metrics) -> String {
    let width = LEFT * 2.0 + 7.0 * TILE + 6.0 * GAP;
    let height = TOP + 7.0 * (TILE + GAP) + 40.0;
    let mut svg = Svg::new("province_map", width, height);
    let max = m.provinces.iter().map(|p| p.accounts).max().unwrap_or(0);
    for &(code, col, row) in &GRID {
        let found = m.provinces.iter().find(|p| p.code == code);
        let (name, accounts) = match found {
            Some(p) => (p.name.as_str(), Some(p.accounts)),
            None => (short_name(code), None),
        };
        let x = LEFT + f64::from(col) * (TILE + GAP);
        let y = TOP + f64::from(row) * (TILE + GAP);
        let step = accounts.map_or(0, |a| shade(a, max));
        svg.rect(x, y, TILE, TILE, SHADES[step]);
        let fill = if step >= 3 { "#ffffff" } else { INK };
        let size = if text_width(name, 15.0) > TILE - 8.0 {
            12.0
        } else {
            15.0
        };
        let label = format!(r#"text-anchor="middle" font-size="{size}" fill="{fill}""#);
        svg.text(x + TILE / 2.0, y + 32.0, &label, name);
        let figure = accounts.map_or_else(|| MISSING.to_string(), count);
        let small = format!(r#"text-anchor="middle" font-size="12" fill="{fill}""#);
        svg.text(x + TILE / 2.0, y + 54.0, &small, &figure);
    }
    for &(name, col, row) in &OUT_OF_SCOPE {
        let x = LEFT + f64::from(col) * (TILE + GAP);
        let y = TOP + f64::from(row) * (TILE + GAP);
        svg.rect(x, y, TILE, TILE, OUT_OF_SCOPE_FILL);
        let label = format!(r#"text-anchor="middle" font-size="15" fill="{INK}""#);
        svg.text(x + TILE / 2.0, y + 32.0, &label, name);
        let small = format!(r#"text-anchor="middle" font-size="11" fill="{MUTED}""#);
        svg.text(x + TILE / 2.0, y + 54.0, &small, "未纳入统计");
    }
    // In the empty north-west corner of the grid.
    let corner = format!(r#"font-size="13" fill="{MUTED}""#);
    svg.text(
        LEFT,
        TOP + 14.0,
        &corner,
        "示意图（方格位置仅示意相对方位）",
    );
    scale_legend(&mut svg, max, height - 30.0);
    let desc = format!(
        "示意图：31个省（自治区、直辖市）按大致地理位置排成方格，颜色越深账号越多；最多的省份有{}个账号。台湾、香港、澳门以灰色方格表示，未纳入统计。",
        count(max)
    );
    svg.finish("政务微信账号的地域分布（方格示意图）", &desc)
}

/// The short name of a province by code, for a tile without accounts.
fn short_name(code: &str) -> &'static str {
    code.parse()
        .ok()
        .and_then(crate::geo::Province::from_code)
        .map_or("", |p| p.short())
}

fn count(x: u64) -> String {
    format_count(x as f64).unwrap_or_else(|| MISSING.to_string())
}

/// The five shades with the upper count each stands for.
fn scale_legend(svg: &mut Svg, max: u64, y: f64) {
    let muted = format!(r#"font-size="12" fill="{MUTED}""#);
    svg.text(LEFT, y + 14.0, &muted, "账号数");
    let mut x = LEFT + 52.0;
    for (i, colour) in SHADES.iter().enumerate() {
        let upper = (max as f64) * ((i + 1) as f64 / 5.0).powi(2);
        svg.rect(x, y + 2.0, 18.0, 16.0, colour);
        let text = format!("≤{}", count(upper.round() as u64));
        svg.push(&format!(
            r#"<text x="{}" y="{}" font-size="12" fill="{MUTED}">{}</text>"#,
            n(x + 22.0),
            n(y + 15.0),
            xml(&text)
        ));
        x += 22.0 + text_width(&text, 12.0) + 14.0;
    }
}
