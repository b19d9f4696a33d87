//! What the templates receive: every figure of `Metrics` at the top level,
//! plus the few look-ups that are awkward to write in Tera.
//!
//! Everything here is derived from the figures alone, so a template that
//! uses it stays as deterministic as the figures. `templates/README.md`
//! lists every variable; keep it in step with this file.

use std::collections::BTreeMap;

use serde::Serialize;

use super::edition::Edition;
use crate::geo::Region;
use crate::metrics::{AccountTypeRow, Metrics, ProvinceRow, Quadrant};
use crate::normalize::AccountType;
use crate::normalize::Level;

/// The template context, serialised into a `tera::Context`.
#[derive(Serialize)]
pub(crate) struct ReportContext<'a> {
    #[serde(flatten)]
    metrics: &'a Metrics,
    /// `dataset.title`, or `政务微信发展报告（{period}）` (`dataset.title_en`,
    /// or `Government WeChat Accounts ({period})` in English).
    title: String,
    /// Which edition this is, and the other one.
    edition: EditionInfo,
    /// Share of each level, every level present (0 when it has no accounts).
    level_share: BTreeMap<&'static str, f64>,
    /// The service-account row (服务号), when there is one.
    service: Option<&'a AccountTypeRow>,
    /// The edition's name of each maturity quadrant, by slug.
    quadrant_labels: BTreeMap<&'static str, &'static str>,
    /// The edition's name of each reject reason and appendix field code
    /// the figures use (`bad_date`: 日期无法识别).
    quality_labels: BTreeMap<&'a str, &'a str>,
    /// The ten largest and ten smallest provinces by region, when there are
    /// at least twenty provinces (so the two groups do not overlap).
    ranks: Option<RankSummary<'a>>,
}

/// The edition's language and the link to the other edition.
#[derive(Serialize)]
pub(crate) struct EditionInfo {
    /// `zh` or `en`.
    lang: &'static str,
    /// `lang` of the HTML page: `zh-CN`, `en`.
    html_lang: &'static str,
    /// The heading of the table of contents.
    contents: &'static str,
    /// The report's own file name without extension: `report`, `report.en`.
    stem: &'static str,
    /// The other edition's file name without extension, and its name.
    other_stem: &'static str,
    other_name: &'static str,
}

impl EditionInfo {
    pub(crate) fn of(edition: Edition) -> EditionInfo {
        EditionInfo {
            lang: match edition {
                Edition::Chinese => "zh",
                Edition::English => "en",
            },
            html_lang: edition.html_lang(),
            contents: edition.contents(),
            stem: edition.stem(),
            other_stem: edition.other().stem(),
            other_name: edition.other().name(),
        }
    }
}

/// Who is at the top and at the bottom of the province ranking.
#[derive(Serialize)]
struct RankSummary<'a> {
    /// Eastern provinces among the first ten.
    top_east: usize,
    /// The first ten's provinces outside the east, in rank order.
    top_others: Vec<&'a str>,
    /// Western provinces among the last ten.
    bottom_west: usize,
}

impl<'a> ReportContext<'a> {
    /// The context of `edition`, whose figures `metrics` are
    /// (`Edition::figures`).
    pub(crate) fn new(metrics: &'a Metrics, edition: Edition) -> ReportContext<'a> {
        let title = match metrics.dataset.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => title.to_string(),
            _ => match edition {
                Edition::Chinese => format!("政务微信发展报告（{}）", metrics.period),
                Edition::English => {
                    format!("Government WeChat Accounts ({})", metrics.period)
                }
            },
        };
        let en = crate::labels::english();
        let mut level_share: BTreeMap<&str, f64> =
            Level::ALL.iter().map(|l| (l.slug(), 0.0)).collect();
        for row in &metrics.levels {
            if let Some(share) = level_share.get_mut(row.level.slug()) {
                *share = row.share;
            }
        }
        ReportContext {
            metrics,
            title,
            edition: EditionInfo::of(edition),
            level_share,
            service: metrics
                .account_types
                .iter()
                .find(|t| t.account_type == AccountType::Service),
            quadrant_labels: Quadrant::ALL
                .iter()
                .map(|&q| {
                    let label = match edition {
                        Edition::Chinese => q.label(),
                        Edition::English => en.quadrant(q),
                    };
                    (q.slug(), label)
                })
                .collect(),
            quality_labels: {
                let q = &metrics.quality;
                q.rejected_by_reason
                    .keys()
                    .chain(q.fields_inferred.keys())
                    .chain(q.fields_dropped.keys())
                    .map(|code| {
                        let label = match edition {
                            Edition::Chinese => crate::labels::quality_zh(code),
                            Edition::English => en.quality(code),
                        };
                        (code.as_str(), label)
                    })
                    .collect()
            },
            ranks: rank_summary(&metrics.provinces),
        }
    }
}

fn rank_summary(provinces: &[ProvinceRow]) -> Option<RankSummary<'_>> {
    if provinces.len() < 20 {
        return None;
    }
    let top = &provinces[..10];
    let bottom = &provinces[provinces.len() - 10..];
    Some(RankSummary {
        top_east: top.iter().filter(|p| p.region == Region::East).count(),
        top_others: top
            .iter()
            .filter(|p| p.region != Region::East)
            .map(|p| p.name.as_str())
            .collect(),
        bottom_west: bottom.iter().filter(|p| p.region == Region::West).count(),
    })
}
