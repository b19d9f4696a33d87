//! Every colour the charts use, by what it means.
//!
//! One palette per meaning, so that a colour says the same thing in every
//! chart: blue is accounts (darker for more, or for the subject period
//! against the baseline); regions, maturity quadrants and account types
//! have hues of their own; grey is only ever "other", "unknown" or "not
//! counted". The categorical palettes come from colour-blind-safe sets
//! (Okabe–Ito for regions; ColorBrewer's PuOr and BrBG ends for the
//! quadrants, whose hue says the activity and whose lightness the number of
//! accounts; Paul Tol's for account types) and stay apart under protan,
//! deutan and tritan vision (the tests simulate it). Text colours are
//! chosen for a contrast of at least 4.5:1 (WCAG AA) on what they are
//! drawn on.

use crate::geo::Region;
use crate::metrics::Quadrant;

/// Text, secondary text, grid lines and the page behind every chart.
pub(crate) const INK: &str = "#1f2328";
pub(crate) const MUTED: &str = "#57606a";
pub(crate) const GRID: &str = "#d0d7de";
pub(crate) const PAPER: &str = "#ffffff";

/// Accounts, light to dark: the map's five shades for more accounts. The
/// third of them and lighter take dark text, the two darkest white.
pub(crate) const ACCOUNT_SHADES: [&str; 5] =
    ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"];
/// Accounts of the subject period where a chart draws one series (levels,
/// followers, account types).
pub(crate) const ACCOUNTS: &str = ACCOUNT_SHADES[3];
/// Accounts of the baseline period beside the subject's.
pub(crate) const BASELINE: &str = ACCOUNT_SHADES[1];
/// The outline of the level profile: a pale wash of the accounts blue.
pub(crate) const ACCOUNTS_WASH: &str = "#e5eefa";

/// Other, unknown and not counted: the only greys. `OTHER` for marks
/// (bars, segments, dots), `OTHER_LIGHT` for areas that carry text.
pub(crate) const OTHER: &str = "#808080";
pub(crate) const OTHER_LIGHT: &str = "#e3e3e3";

/// Regions (Okabe–Ito), four-region and three-region schemes alike.
pub(crate) const REGIONS: [(Region, &str); 4] = [
    (Region::East, "#d55e00"),
    (Region::Central, "#e69f00"),
    (Region::West, "#009e73"),
    (Region::Northeast, "#cc79a7"),
];

/// Maturity quadrants: purple for high activity, brown for low; dark for
/// many accounts, light for few.
pub(crate) const QUADRANTS: [(Quadrant, &str); 4] = [
    (Quadrant::Active, "#5e3c99"),
    (Quadrant::Potential, "#b2abd2"),
    (Quadrant::ToPromote, "#8c510a"),
    (Quadrant::Undeveloped, "#dfc27d"),
];

/// Account types by key (Paul Tol's colour-blind-safe sets); a type
/// without one of these keys is `OTHER`.
pub(crate) const ACCOUNT_TYPES: [(&str, &str); 3] = [
    ("subscription", "#882255"),
    ("service", "#f0e442"),
    ("enterprise", "#ee8866"),
];

/// Colour of a region.
pub(crate) fn region_colour(region: Region) -> &'static str {
    REGIONS
        .iter()
        .find(|(r, _)| *r == region)
        .map_or(OTHER, |(_, colour)| colour)
}

/// Colour of a maturity quadrant; grey for a domain outside the matrix
/// (其他, or too few accounts).
pub(crate) fn quadrant_colour(quadrant: Option<Quadrant>) -> &'static str {
    QUADRANTS
        .iter()
        .find(|(q, _)| Some(*q) == quadrant)
        .map_or(OTHER, |(_, colour)| colour)
}

/// Colour of an account type by key; grey for any other.
pub(crate) fn account_type_colour(key: &str) -> &'static str {
    ACCOUNT_TYPES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(OTHER, |(_, colour)| colour)
}

/// The text colour for `background`: `INK` or white, whichever contrasts
/// more.
pub(crate) fn text_on(background: &str) -> &'static str {
    if contrast(INK, background) >= contrast(PAPER, background) {
        INK
    } else {
        PAPER
    }
}

/// The WCAG contrast ratio of two `#rrggbb` colours (1 to 21); 1 for a
/// colour that does not parse.
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    match (luminance(a), luminance(b)) {
        (Some(a), Some(b)) => (a.max(b) + 0.05) / (a.min(b) + 0.05),
        _ => 1.0,
    }
}

/// WCAG relative luminance of `#rrggbb`.
pub(crate) fn luminance(colour: &str) -> Option<f64> {
    let [r, g, b] = rgb(colour)?;
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    Some(0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b))
}

/// The red, green and blue of `#rrggbb`.
pub(crate) fn rgb(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6)?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
pub(super) mod tests;
