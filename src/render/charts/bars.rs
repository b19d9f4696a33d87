//! Horizontal bar charts: provinces and domains ranked, account types
//! against their baseline.

use super::palette::{quadrant_colour, region_colour, ACCOUNTS, BASELINE, OTHER};
use super::{bracketed, legend, shorten, t, text_width, Svg, BOLD, GRID, MUTED};
use crate::metrics::{Metrics, Quadrant};
use crate::render::edition::Edition;
use crate::render::filters::{
    format_count, format_growth, format_pct, format_period, format_period_en, MISSING,
};

/// 440 wide with 13-unit text: about 10 px text on a phone.
pub(super) const WIDTH: f64 = 440.0;
const ROW: f64 = 20.0;
const BAR: f64 = 13.0;
const SIZE: f64 = 13.0;
/// The widest a bar's name is drawn; a longer one is cut short with `…`
/// (the table beside the chart has it in full).
const LABEL_ROOM: f64 = 130.0;

/// One bar of a ranked chart.
struct Bar {
    label: String,
    value: f64,
    note: String,
    colour: &'static str,
}

fn count(x: u64) -> String {
    format_count(x as f64).unwrap_or_else(|| MISSING.to_string())
}

fn pct(x: f64) -> String {
    format_pct(x).unwrap_or_else(|| MISSING.to_string())
}

/// Provinces by account count, coloured by region.
pub(super) fn provinces(m: &Metrics, ed: Edition) -> String {
    let bars: Vec<Bar> = m
        .provinces
        .iter()
        .map(|p| Bar {
            label: p.name.clone(),
            value: p.accounts as f64,
            note: bracketed(ed, &count(p.accounts), &pct(p.share)),
            colour: region_colour(p.region),
        })
        .collect();
    let legend: Vec<(String, &str)> = m
        .regions
        .iter()
        .map(|r| (r.label.clone(), region_colour(r.region)))
        .collect();
    let desc = match (m.provinces.first(), ed) {
        (Some(p), Edition::Chinese) => format!(
            "{}个省份按账号数从多到少排列，{}最多，{}个；颜色表示所属区域。",
            m.provinces.len(),
            p.name,
            count(p.accounts)
        ),
        (Some(p), Edition::English) => format!(
            "{} provinces in order of their number of accounts, most first: {} has the most, {}. The colour shows the region.",
            m.provinces.len(),
            p.name,
            count(p.accounts)
        ),
        (None, _) => t(
            ed,
            "本期没有可归入省份的账号。",
            "No account of this period could be placed in a province.",
        )
        .to_string(),
    };
    let title = t(
        ed,
        "各省（自治区、直辖市）政务微信账号数",
        "Government WeChat accounts by province",
    );
    ranked("provinces", &bars, &legend).finish(title, &desc)
}

/// Domains by account count, coloured by maturity quadrant where placed.
pub(super) fn domains(m: &Metrics, ed: Edition) -> String {
    let en = crate::labels::english();
    let bars: Vec<Bar> = m
        .domains
        .iter()
        .map(|d| Bar {
            label: d.label.clone(),
            value: d.accounts as f64,
            note: bracketed(ed, &count(d.accounts), &pct(d.share)),
            colour: quadrant_colour(d.quadrant),
        })
        .collect();
    let placed = m.domains.iter().any(|d| d.quadrant.is_some());
    let unplaced = m.domains.iter().any(|d| d.quadrant.is_none());
    let legend: Vec<(String, &str)> = match placed {
        true => Quadrant::ALL
            .iter()
            .map(|&q| {
                let label = t(ed, q.label(), en.quadrant(q));
                (label.to_string(), quadrant_colour(Some(q)))
            })
            .chain(unplaced.then(|| {
                let label = t(ed, "未列入矩阵", "Not in the matrix");
                (label.to_string(), OTHER)
            }))
            .collect(),
        false => Vec::new(),
    };
    let desc = match (m.domains.first(), ed) {
        (Some(d), Edition::Chinese) => format!(
            "{}个职能领域按账号数从多到少排列，{}最多，{}个。",
            m.domains.len(),
            d.label,
            count(d.accounts)
        ),
        (Some(d), Edition::English) => format!(
            "{} functional domains in order of their number of accounts, most first: {} has the most, {}.",
            m.domains.len(),
            d.label,
            count(d.accounts)
        ),
        (None, _) => t(ed, "本期没有账号。", "There are no accounts in this period.").to_string(),
    };
    let title = t(
        ed,
        "各职能领域政务微信账号数",
        "Government WeChat accounts by functional domain",
    );
    ranked("domains", &bars, &legend).finish(title, &desc)
}

/// A ranked bar chart: label, bar scaled to the largest value, note.
fn ranked(name: &'static str, bars: &[Bar], items: &[(String, &str)]) -> Svg {
    let labels: Vec<String> = bars
        .iter()
        .map(|b| shorten(&b.label, LABEL_ROOM, SIZE))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, SIZE))
        .fold(0.0, f64::max)
        + 10.0;
    let note_w = bars
        .iter()
        .map(|b| text_width(&b.note, SIZE))
        .fold(0.0, f64::max)
        + 8.0;
    // The legend's rows are counted by drawing it on a scratch chart.
    let top = legend(&mut Svg::new(name, WIDTH, 0.0), items, 0.0, WIDTH).max(4.0);
    let height = top + ROW * bars.len().max(1) as f64 + 4.0;
    let mut svg = Svg::new(name, WIDTH, height);
    legend(&mut svg, items, 0.0, WIDTH);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let room = WIDTH - label_w - note_w;
    for (i, (bar, label)) in bars.iter().zip(&labels).enumerate() {
        let y = top + ROW * i as f64;
        let w = if max > 0.0 {
            room * bar.value / max
        } else {
            0.0
        };
        svg.text(label_w - 8.0, y + 14.0, r#"text-anchor="end""#, label);
        svg.rect(label_w, y + 3.5, w, BAR, bar.colour);
        let attrs = format!(r#"fill="{MUTED}""#);
        svg.text(label_w + w + 5.0, y + 14.0, &attrs, &bar.note);
    }
    let axis = format!(r#"stroke="{GRID}""#);
    svg.line((label_w, top), (label_w, height - 4.0), &axis);
    svg
}

/// Account types: the baseline and the subject period side by side, with
/// each type's share and year-over-year growth.
pub(super) fn account_types(m: &Metrics, ed: Edition) -> String {
    // Each type's name on a line of its own, its bars below at full width.
    let has_base = m.baseline_period.is_some();
    let per_type = if has_base { 62.0 } else { 44.0 };
    let period = |p: &str| match ed {
        Edition::Chinese => format_period(p),
        Edition::English => legend_period(p),
    };
    let mut items = vec![(period(&m.period), ACCOUNTS)];
    if let Some(base) = &m.baseline_period {
        items.insert(0, (period(base), BASELINE));
    }
    let top = legend(
        &mut Svg::new("account_types", WIDTH, 0.0),
        &items,
        0.0,
        WIDTH,
    ) + 4.0;
    let height = top + per_type * m.account_types.len().max(1) as f64;
    let mut svg = Svg::new("account_types", WIDTH, height);
    legend(&mut svg, &items, 0.0, WIDTH);
    let max = m
        .account_types
        .iter()
        .map(|t| t.accounts.max(t.baseline_accounts.unwrap_or(0)))
        .max()
        .unwrap_or(0) as f64;
    let notes: Vec<String> = m
        .account_types
        .iter()
        .map(|t| {
            let growth = t
                .yoy_growth
                .and_then(format_growth)
                .map(|g| match ed {
                    Edition::Chinese => format!("，同比{g}"),
                    Edition::English => format!(", {g} year on year"),
                })
                .unwrap_or_default();
            bracketed(ed, &count(t.accounts), &format!("{}{growth}", pct(t.share)))
        })
        .collect();
    // Room for the widest note after its bar, and never less than 120.
    let note_w = notes
        .iter()
        .map(|note| text_width(note, SIZE) + 10.0)
        .fold(120.0, f64::max);
    let room = WIDTH - note_w;
    let scale = |v: u64| {
        if max > 0.0 {
            room * v as f64 / max
        } else {
            0.0
        }
    };
    let note_attrs = format!(r#"fill="{MUTED}""#);
    for (i, (t, note)) in m.account_types.iter().zip(&notes).enumerate() {
        let y = top + per_type * i as f64;
        let name = shorten(&t.label, WIDTH / BOLD, SIZE);
        svg.text(0.0, y + 14.0, r#"font-weight="bold""#, &name);
        let mut bar_y = y + 20.0;
        if has_base {
            let base = t.baseline_accounts.unwrap_or(0);
            svg.rect(0.0, bar_y + 3.0, scale(base), BAR, BASELINE);
            let x = scale(base) + 5.0;
            svg.text(x, bar_y + 14.0, &note_attrs, &count(base));
            bar_y += 18.0;
        }
        svg.rect(0.0, bar_y + 3.0, scale(t.accounts), BAR, ACCOUNTS);
        svg.text(scale(t.accounts) + 5.0, bar_y + 14.0, "", note);
    }
    let desc = match ed {
        Edition::Chinese => format!(
            "各类账号{}的数量{}。",
            format_period(&m.period),
            if has_base {
                "与基期对比，并标注占比和同比增长"
            } else {
                "和占比"
            }
        ),
        Edition::English => format!(
            "The number of accounts of each type in {}{}.",
            format_period_en(&m.period),
            if has_base {
                " against the baseline period, with each type's share and year-on-year growth"
            } else {
                ", with each type's share"
            }
        ),
    };
    svg.finish(
        t(
            ed,
            "账号类型与同比增长",
            "Account types and year-on-year growth",
        ),
        &desc,
    )
}

/// A period as a legend names it: `2014`, `First half of 2014`, `Q3 2014`.
fn legend_period(period: &str) -> String {
    let words = format_period_en(period);
    let words = words.strip_prefix("the ").unwrap_or(&words);
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
