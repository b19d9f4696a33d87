//! Charts: inline SVG drawn by Rust from the figures, never from template text.
//!
//! Analysts' tools draw charts with JavaScript and their output changes from
//! run to run. These are plain SVG strings: a fixed `viewBox`, ids derived
//! from the chart's name, coordinates written with fixed decimals, and every
//! text from the data XML-escaped. Each chart carries a `<title>` and a
//! `<desc>` for screen readers; the table it was drawn from sits beside it in
//! the report. Label widths are measured by character class (a CJK character
//! is one em wide), so Chinese labels get the room they need without a font
//! file. Each edition gets its own charts: the English one draws the English
//! names its figures carry, and every fixed word in English (`t`).

mod bars;
mod followers;
mod map;
mod matrix;
mod palette;
mod shapes;
mod trend;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::edition::Edition;
use crate::metrics::Metrics;

/// Names of the charts, in report order; the template places each by name.
pub(crate) const NAMES: [&str; 8] = [
    "provinces",
    "province_map",
    "levels",
    "domains",
    "account_types",
    "matrix",
    "followers",
    "trend",
];

/// Every chart of `edition`, as SVG markup by name; `m` are the figures as
/// that edition shows them (`Edition::figures`).
pub(crate) fn all(m: &Metrics, edition: Edition) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("provinces", bars::provinces(m, edition)),
        ("province_map", map::provinces(m, edition)),
        ("levels", shapes::levels(m, edition)),
        ("domains", bars::domains(m, edition)),
        ("account_types", bars::account_types(m, edition)),
        ("matrix", matrix::matrix(m, edition)),
        ("followers", followers::followers(m, edition)),
        ("trend", trend::trend(m, edition)),
    ])
}

/// A fixed string of a chart in the edition's language.
pub(crate) fn t(edition: Edition, zh: &'static str, en: &'static str) -> &'static str {
    match edition {
        Edition::Chinese => zh,
        Edition::English => en,
    }
}

/// A figure with a note in brackets: `6,139（15.0%）`, `6,139 (15.0%)`.
pub(crate) fn bracketed(edition: Edition, figure: &str, note: &str) -> String {
    match edition {
        Edition::Chinese => format!("{figure}（{note}）"),
        Edition::English => format!("{figure} ({note})"),
    }
}

pub(crate) use palette::{GRID, INK, MUTED};

/// Escapes text for SVG (XML) character data and attribute values.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !c.is_control()) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Width of `text` at `size` px, by character class, the widest of the
/// fonts the page may draw it in: DejaVu Sans (where a Latin font of the
/// stack is missing, as on most Linux systems) and the CJK fonts, whose
/// Latin letters are narrower but whose punctuation (“”…，) is one em.
/// Errs wide, so labels fit whichever font is found.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text.chars().map(char_width).sum();
    ems * size
}

/// Width of `c` in ems; see `text_width`.
fn char_width(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'I' | '\'' => 0.3,
        ' ' | '.' | ',' | ':' | ';' | '|' | '/' | '\\' => 0.34,
        'f' | 't' | '!' | '"' => 0.41,
        'r' | '(' | ')' | '[' | ']' | '-' => 0.42,
        'c' | 's' | 'z' | '?' => 0.55,
        'J' | 'k' | 'v' | 'x' | 'y' | '_' | '*' | '`' => 0.6,
        'a' | 'e' | 'o' => 0.62,
        '0'..='9' | '{' | '}' | '$' => 0.64,
        'A' | 'B' | 'E' | 'F' | 'K' | 'L' | 'P' | 'R' | 'S' | 'T' | 'V' | 'X' | 'Y' | 'Z' => 0.74,
        'C' | 'D' | 'G' | 'H' | 'N' | 'O' | 'Q' | 'U' | '&' => 0.79,
        'M' | '#' | '+' | '<' | '=' | '>' | '^' | '~' => 0.87,
        'm' | 'w' | 'W' | '%' | '@' => 1.0,
        c if c.is_ascii_lowercase() => 0.64,
        c if c.is_ascii() => 0.87,
        _ => 1.0,
    }
}

/// How much wider bold text is drawn than `text_width` says.
pub(crate) const BOLD: f64 = 1.1;

/// `text` cut short with `…` to fit `room` at `size` px; unchanged when
/// it fits.
pub(crate) fn shorten(text: &str, room: f64, size: f64) -> String {
    if text_width(text, size) <= room {
        return text.to_string();
    }
    let mut cut = String::new();
    for c in text.chars() {
        if text_width(&format!("{cut}{c}…"), size) > room {
            break;
        }
        cut.push(c);
    }
    format!("{}…", cut.trim_end())
}

/// `text` on as few lines as fit `room` at `size` px, as even as they can
/// be: broken after a space or beside a CJK character, a line still too
/// wide cut short with `…`. Meant for the charts' fixed words; data is
/// shortened, not wrapped.
pub(crate) fn wrap(text: &str, room: f64, size: f64) -> Vec<String> {
    let lines = fill(text, room, size);
    // The narrowest room that needs no more lines gives the evenest ones.
    let mut best = lines.clone();
    let mut narrower = room - 1.0;
    while narrower > 0.0 {
        let tried = fill(text, narrower, size);
        if tried.len() > lines.len() || tried.iter().any(|l| text_width(l, size) > narrower) {
            break;
        }
        best = tried;
        narrower -= 1.0;
    }
    best.iter().map(|l| shorten(l, room, size)).collect()
}

/// `text` broken greedily into lines of at most `room` where it can be
/// (see `wrap`); a line is wider only when one unit is.
pub(crate) fn fill(text: &str, room: f64, size: f64) -> Vec<String> {
    // Units a line may break after: a word with its trailing spaces, or one
    // character that is not ASCII.
    let mut units: Vec<String> = Vec::new();
    let mut open = false;
    for c in text.chars() {
        match units.last_mut() {
            Some(unit) if open && c.is_ascii() => unit.push(c),
            _ => units.push(c.to_string()),
        }
        open = c.is_ascii() && c != ' ';
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for unit in units {
        let longer = format!("{line}{unit}");
        if line.trim().is_empty() || text_width(longer.trim_end(), size) <= room {
            line = longer;
        } else {
            lines.push(line.trim_end().to_string());
            line = unit.trim_start().to_string();
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The width of a chart on a phone: a 390 px screen less the page's
/// margins. Every text of every chart is drawn at least `MIN_PHONE_PX`
/// there: a chart `w` wide uses fonts of at least `MIN_PHONE_PX × w /
/// PHONE_PX` user units (checked by the tests).
#[cfg(test)]
pub(crate) const PHONE_PX: f64 = 346.0;
#[cfg(test)]
pub(crate) const MIN_PHONE_PX: f64 = 10.0;

/// Draws a legend of colour swatches from `top`, wrapping to a new row
/// where the next item would pass `width`; returns its height (0 without
/// items).
pub(crate) fn legend(svg: &mut Svg, items: &[(String, &str)], top: f64, width: f64) -> f64 {
    let size = 13.0;
    let (mut x, mut y) = (0.0, top);
    for (label, colour) in items {
        // A name from the data may be longer than the chart is wide.
        let label = shorten(label, width - 17.0, size);
        let w = 17.0 + text_width(&label, size);
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += 22.0;
        }
        svg.rect(x, y + 6.0, 12.0, 12.0, colour);
        svg.text(x + 17.0, y + 16.5, "", &label);
        x += w + 18.0;
    }
    if items.is_empty() {
        0.0
    } else {
        y - top + 30.0
    }
}

/// A number for SVG coordinates: one decimal, no `-0.0`.
pub(crate) fn n(x: f64) -> String {
    let text = format!("{:.1}", x);
    match text.as_str() {
        "-0.0" => "0.0".to_string(),
        _ => text,
    }
}

/// An SVG being drawn: its name (for ids), size and body.
pub(crate) struct Svg {
    name: &'static str,
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// A blank drawing `width` × `height` user units.
    pub(crate) fn new(name: &'static str, width: f64, height: f64) -> Svg {
        Svg {
            name,
            width,
            height,
            body: String::new(),
        }
    }

    /// Appends raw SVG markup the chart code built (data already escaped).
    pub(crate) fn push(&mut self, markup: &str) {
        self.body.push_str(markup);
        self.body.push('\n');
    }

    /// A text element; `text` is escaped here.
    pub(crate) fn text(&mut self, x: f64, y: f64, attrs: &str, text: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" {attrs}>{}</text>"#,
            n(x),
            n(y),
            xml(text)
        );
    }

    /// A filled rectangle.
    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        );
    }

    /// A straight line.
    pub(crate) fn line(&mut self, from: (f64, f64), to: (f64, f64), attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {attrs}/>"#,
            n(from.0),
            n(from.1),
            n(to.0),
            n(to.1)
        );
    }

    /// The finished element, with an accessible title and description.
    pub(crate) fn finish(self, title: &str, desc: &str) -> String {
        let id = format!("chart-{}", self.name.replace('_', "-"));
        format!(
            "<svg id=\"{id}\" class=\"chart\" \
             viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\" font-size=\"13\" fill=\"{INK}\">\n\
             <title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n\
             {body}</svg>",
            w = n(self.width),
            h = n(self.height),
            title = xml(title),
            desc = xml(desc),
            body = self.body,
        )
    }
}

#[cfg(test)]
mod tests;
