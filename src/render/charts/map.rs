//! A tile-grid map: the 31 provinces as equal squares placed roughly where
//! they lie, shaded by account count, with 台湾, 香港 and 澳门 as grey tiles
//! marked 未纳入统计 (their accounts are out of scope, §3), and the chart
//! labelled a schematic (示意图): a map of China that leaves them out is not
//! publishable.
//!
//! Equal tiles let small provinces (上海, 天津) read as clearly as large ones,
//! and need no boundary data, which would also raise the question of whose
//! boundaries to draw.
//!
//! A name too wide for its tile is drawn smaller, then on two lines (at a
//! space, between two pinyin syllables with a hyphen: Heilong-jiang, or
//! between two CJK characters), and only then cut short with `…`.

use super::palette::{text_on, ACCOUNT_SHADES, OTHER_LIGHT};
use super::{n, shorten, t, text_width, wrap, Svg, MUTED};
use crate::geo::Province;
use crate::metrics::Metrics;
use crate::render::edition::Edition;
use crate::render::filters::{format_count, MISSING};

/// Seven tiles and six gaps across 440 units, so that text of 12.75 units
/// is 10 px when the map is 346 px wide on a phone.
pub(super) const TILE: f64 = 61.0;
pub(super) const GAP: f64 = 2.0;
const EDGE: f64 = 0.5;
const WIDTH: f64 = 2.0 * EDGE + 7.0 * TILE + 6.0 * GAP;
/// Every text of the map but the larger names.
pub(super) const SIZE: f64 = 12.75;

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

/// 台湾, 香港 and 澳门: (GB/T 2260 code, column, row), drawn grey.
const OUT_OF_SCOPE: [(&str, u8, u8); 3] = [("71", 5, 5), ("82", 2, 6), ("81", 4, 6)];

/// Room for a name on a tile, and the font sizes tried, largest first.
pub(super) const LABEL_ROOM: f64 = TILE - 1.0;
const LABEL_SIZES: [f64; 4] = [15.0, 14.0, 13.0, SIZE];

/// Which of the five shades a count gets: square-root scale to the largest,
/// so the long tail stays distinguishable.
fn shade(accounts: u64, max: u64) -> usize {
    if max == 0 || accounts == 0 {
        return 0;
    }
    let ratio = (accounts as f64 / max as f64).sqrt();
    ((ratio * 5.0).ceil() as usize).clamp(1, 5) - 1
}

/// The top-left corner of the tile at `col`, `row`.
fn corner(col: u8, row: u8) -> (f64, f64) {
    (
        EDGE + f64::from(col) * (TILE + GAP),
        EDGE + f64::from(row) * (TILE + GAP),
    )
}

/// The tile map of provinces; provinces without accounts are left pale.
pub(super) fn provinces(m: &Metrics, ed: Edition) -> String {
    let mut svg = Svg::new("province_map", WIDTH, WIDTH);
    let max = m.provinces.iter().map(|p| p.accounts).max().unwrap_or(0);
    let tiles: Vec<(&str, Option<u64>)> = GRID
        .iter()
        .map(
            |&(code, _, _)| match m.provinces.iter().find(|p| p.code == code) {
                Some(p) => (p.name.as_str(), Some(p.accounts)),
                None => (tile_name(code, ed), None),
            },
        )
        .collect();
    let out_of_scope = OUT_OF_SCOPE.map(|(code, _, _)| tile_name(code, ed));
    let names = tiles
        .iter()
        .map(|(name, _)| *name)
        .chain(out_of_scope.iter().copied());
    let mut fitted = fit_names(names).into_iter();
    for (&(code, col, row), &(_, accounts)) in GRID.iter().zip(&tiles) {
        let (x, y) = corner(col, row);
        let fill = ACCOUNT_SHADES[accounts.map_or(0, |a| shade(a, max))];
        // A province with accounts links to its page (`provinces/<code>.html`).
        if accounts.is_some() {
            svg.push(&format!(r#"<a href="provinces/{code}.html">"#));
        }
        svg.rect(x, y, TILE, TILE, fill);
        let ink = text_on(fill);
        let (names, size) = fitted.next().unwrap_or_default();
        let mut lines: Vec<(String, f64, &str)> =
            names.into_iter().map(|l| (l, size, ink)).collect();
        let figure = accounts.map_or_else(|| MISSING.to_string(), count);
        lines.push((figure, SIZE, ink));
        stack(&mut svg, (x, y), &lines);
        if accounts.is_some() {
            svg.push("</a>");
        }
    }
    for &(_, col, row) in &OUT_OF_SCOPE {
        let (x, y) = corner(col, row);
        // Grey and outlined with dashes: set apart from the palest shade.
        svg.push(&format!(
            r#"<rect x="{}" y="{}" width="{side}" height="{side}" fill="{OTHER_LIGHT}" stroke="{MUTED}" stroke-width="0.8" stroke-dasharray="3 2"/>"#,
            n(x + 0.4),
            n(y + 0.4),
            side = n(TILE - 0.8),
        ));
        let (names, size) = fitted.next().unwrap_or_default();
        let mut lines: Vec<(String, f64, &str)> =
            names.into_iter().map(|l| (l, size, super::INK)).collect();
        let status = t(ed, "未纳入统计", OUT_OF_SCOPE_EN);
        lines.extend(
            wrap(status, LABEL_ROOM, SIZE)
                .into_iter()
                .map(|l| (l, SIZE, MUTED)),
        );
        stack(&mut svg, (x, y), &lines);
    }
    // In the empty north-west corner of the grid: four tiles wide.
    let muted = format!(r#"font-size="{SIZE}" fill="{MUTED}""#);
    let room = 4.0 * TILE + 3.0 * GAP;
    for (i, line) in wrap(schematic(ed), room, SIZE).iter().enumerate() {
        svg.text(EDGE, EDGE + 14.0 + 16.0 * i as f64, &muted, line);
    }
    scale_legend(&mut svg, max, ed);
    let desc = match ed {
        Edition::Chinese => format!(
            "示意图：31个省（自治区、直辖市）按大致地理位置排成方格，颜色越深账号越多；最多的省份有{}个账号。台湾、香港、澳门以灰色方格表示，未纳入统计。",
            count(max)
        ),
        Edition::English => format!(
            "Schematic map: the 31 provinces, autonomous regions and municipalities as tiles placed roughly where they lie, darker for more accounts; the province with the most has {} accounts. Taiwan, Hong Kong and Macao are shown as grey tiles and are not included in the statistics.",
            count(max)
        ),
    };
    let title = t(
        ed,
        "政务微信账号的地域分布（方格示意图）",
        "Where government WeChat accounts are (tile schematic)",
    );
    svg.finish(title, &desc)
}

/// Draws `lines` (text, size, fill) centred on the tile at `(x, y)`, one
/// under the other, the block centred from top to bottom.
fn stack(svg: &mut Svg, (x, y): (f64, f64), lines: &[(String, f64, &str)]) {
    let step = |size: f64| 1.2 * size;
    let height: f64 = lines.iter().map(|(_, size, _)| step(*size)).sum();
    let mut top = y + (TILE - height) / 2.0;
    for (text, size, fill) in lines {
        let attrs = format!(r#"text-anchor="middle" font-size="{size}" fill="{fill}""#);
        // The baseline sits 0.9 em below the top of a line, as `text_width`'s
        // boxes do, with the rest of the step under it.
        svg.text(x + TILE / 2.0, top + 0.92 * size, &attrs, text);
        top += step(*size);
    }
}

/// What an out-of-scope tile says in English (未纳入统计).
const OUT_OF_SCOPE_EN: &str = "excluded";

/// The note in the map's empty north-west corner.
pub(super) fn schematic(ed: Edition) -> &'static str {
    t(
        ed,
        "示意图（方格位置仅示意相对方位）",
        "Schematic: positions are approximate",
    )
}

/// The name of a province by code, for a tile without a row of figures:
/// its short name (广东), or its English name.
fn tile_name(code: &str, ed: Edition) -> &'static str {
    let Some(province) = code.parse().ok().and_then(Province::from_code) else {
        return "";
    };
    match ed {
        Edition::Chinese => province.short(),
        Edition::English => crate::labels::english().province(province),
    }
}

/// A name as a tile shows it: one or two lines and their font size, the
/// largest of `LABEL_SIZES` at which every line fits in `LABEL_ROOM`. One
/// line is kept while it fits at some size; then two, broken where
/// `break_points` allows and as evenly as can be; then one line at the
/// smallest size, cut short with `…`.
pub(super) fn fit_name(name: &str) -> (Vec<String>, f64) {
    fit_name_at(name, &LABEL_SIZES)
}

/// `fit_name` trying only `sizes`, largest first (the last is the fallback).
fn fit_name_at(name: &str, sizes: &[f64]) -> (Vec<String>, f64) {
    let fits = |lines: &[String]| {
        sizes
            .iter()
            .copied()
            .find(|&size| lines.iter().all(|l| text_width(l, size) <= LABEL_ROOM))
    };
    let one = vec![name.to_string()];
    if let Some(size) = fits(&one) {
        return (one, size);
    }
    let widest = |lines: &[String]| lines.iter().map(|l| text_width(l, 1.0)).fold(0.0, f64::max);
    let best = break_points(name)
        .into_iter()
        .min_by(|a, b| widest(a).total_cmp(&widest(b)));
    if let Some(size) = best.as_deref().and_then(fits) {
        return (best.unwrap_or_default(), size);
    }
    let smallest = sizes.last().copied().unwrap_or(SIZE);
    (vec![shorten(name, LABEL_ROOM, smallest)], smallest)
}

/// Every tile's name at one size, the largest at which every name fits
/// (`fit_name`), so that the map reads evenly.
fn fit_names<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Vec<(Vec<String>, f64)> {
    let size = names
        .clone()
        .map(|name| fit_name(name).1)
        .fold(LABEL_SIZES[0], f64::min);
    names.map(|name| fit_name_at(name, &[size])).collect()
}

/// Every way to put `name` on two lines: at a space; in a word of Latin
/// letters before a consonant that starts a syllable (a consonant followed
/// by a vowel, at least two letters into the word and leaving two), the
/// first line ending in a hyphen; between two characters that are not
/// Latin letters (CJK names break anywhere). A name of more than 40
/// characters is not broken: it is cut short whatever its lines.
fn break_points(name: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = name.chars().take(41).collect();
    if chars.len() > 40 {
        return Vec::new();
    }
    let vowel = |c: char| "aeiouüAEIOUÜ".contains(c);
    let letter = |c: char| c.is_ascii_alphabetic() || "üÜ".contains(c);
    let mut splits = Vec::new();
    for i in 1..chars.len() {
        let (before, after) = (chars[..i].iter(), chars[i..].iter());
        let first: String = before.collect();
        let second: String = after.collect();
        let (prev, here) = (chars[i - 1], chars[i]);
        if here == ' ' {
            splits.push(vec![
                first.trim_end().to_string(),
                second.trim().to_string(),
            ]);
        } else if letter(prev) && letter(here) {
            let word_start = chars[..i]
                .iter()
                .rposition(|&c| !letter(c))
                .map_or(0, |p| p + 1);
            let word_end = chars[i..]
                .iter()
                .position(|&c| !letter(c))
                .map_or(chars.len(), |p| i + p);
            let syllable = !vowel(here) && chars.get(i + 1).is_some_and(|&c| vowel(c));
            if syllable && i - word_start >= 2 && word_end - i >= 2 {
                splits.push(vec![format!("{first}-"), second]);
            }
        } else if !letter(prev) && !letter(here) && prev != ' ' {
            splits.push(vec![first, second]);
        }
    }
    splits.retain(|lines| lines.iter().all(|l| !l.is_empty()));
    splits
}

fn count(x: u64) -> String {
    format_count(x as f64).unwrap_or_else(|| MISSING.to_string())
}

/// The five shades with the upper count each stands for, one under the
/// other in the grid's empty south-west corner (two tiles by two).
fn scale_legend(svg: &mut Svg, max: u64, ed: Edition) {
    let (x, y) = corner(0, 5);
    let muted = format!(r#"font-size="{SIZE}" fill="{MUTED}""#);
    svg.text(x, y + 13.0, &muted, t(ed, "账号数", "Accounts"));
    for (i, colour) in ACCOUNT_SHADES.iter().enumerate() {
        let upper = (max as f64) * ((i + 1) as f64 / 5.0).powi(2);
        let top = y + 20.0 + 19.0 * i as f64;
        svg.rect(x, top, 16.0, 15.0, colour);
        let text = format!("≤{}", count(upper.round() as u64));
        svg.text(x + 21.0, top + 12.5, &muted, &text);
    }
}
