//! The province pages: `provinces/<code>.md` and `.html` for every province
//! with accounts and for the central accounts, and `provinces/index.*`
//! listing them. Each page's figures are its profile in `metrics.json`
//! (`province_profiles`), beside the national figures it is compared with.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::Serialize;

use super::context::EditionInfo;
use super::edition::Edition;
use super::markdown::{self, Captions};
use super::templates::{self, Templates};
use super::{file, trim_blank_lines, OutputFile};
use crate::ingest::period::Dataset;
use crate::metrics::{Followers, Matrix, Metrics, ProvinceProfile, Quadrant, ReadsRule};

/// What a province page receives (templates/README.md, "Province pages").
#[derive(Serialize)]
struct PageContext<'a> {
    title: String,
    period: &'a str,
    baseline_period: Option<&'a str>,
    generated_on: Option<&'a str>,
    dataset: &'a Dataset,
    edition: EditionInfo,
    /// The page's province (`pages` on the index).
    #[serde(skip_serializing_if = "Option::is_none")]
    province: Option<&'a ProvinceProfile>,
    /// Every page, on the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pages: Option<&'a [ProvinceProfile]>,
    national: National<'a>,
    quadrant_labels: BTreeMap<&'static str, &'static str>,
    leading_rule: ReadsRule,
}

/// The national figures a province is set against.
#[derive(Serialize)]
struct National<'a> {
    accounts: u64,
    baseline_accounts: Option<u64>,
    yoy_growth: Option<f64>,
    followers: &'a Followers,
    activity_median: Option<f64>,
    /// Share of each level and domain by slug.
    level_share: BTreeMap<&'static str, f64>,
    domain_share: BTreeMap<&'a str, f64>,
    matrix: Option<&'a Matrix>,
}

/// Every province page and the index, Markdown and HTML.
pub(crate) fn render_provinces(m: &Metrics, templates: &Templates) -> Result<Vec<OutputFile>> {
    let national = National {
        accounts: m.totals.accounts,
        baseline_accounts: m.totals.baseline_accounts,
        yoy_growth: m.totals.yoy_growth,
        followers: &m.followers,
        activity_median: m.activity.median,
        level_share: m.levels.iter().map(|l| (l.level.slug(), l.share)).collect(),
        domain_share: m
            .domains
            .iter()
            .map(|d| (d.domain.as_str(), d.share))
            .collect(),
        matrix: m.matrix.as_ref(),
    };
    let mut context = PageContext {
        title: String::new(),
        period: &m.period,
        baseline_period: m.baseline_period.as_deref(),
        generated_on: m.generated_on.as_deref(),
        dataset: &m.dataset,
        edition: EditionInfo::of(Edition::Chinese),
        province: None,
        pages: Some(&m.province_profiles),
        national,
        quadrant_labels: Quadrant::ALL
            .iter()
            .map(|q| (q.slug(), q.label()))
            .collect(),
        leading_rule: m.leading_rule,
    };
    let captions = Edition::Chinese.captions(&m.dataset, &m.period);
    let mut files = Vec::with_capacity(2 * m.province_profiles.len() + 2);
    context.title = format!("各省政务微信发展概况（{}）", m.period);
    files.extend(page(
        &context,
        &captions,
        templates::PROVINCES_MD,
        "index",
        templates,
    )?);
    context.pages = None;
    for profile in &m.province_profiles {
        context.title = format!("{}政务微信发展概况（{}）", profile.name, m.period);
        context.province = Some(profile);
        files.extend(page(
            &context,
            &captions,
            templates::PROVINCE_MD,
            &profile.code,
            templates,
        )?);
    }
    Ok(files)
}

/// `provinces/<stem>.md` and `.html` from `template`.
fn page(
    context: &PageContext,
    captions: &Captions,
    template: &str,
    stem: &str,
    templates: &Templates,
) -> Result<[OutputFile; 2]> {
    let mut context = tera::Context::from_serialize(context)
        .context("failed to prepare a province page's figures for the templates")?;
    context.insert("target", "md");
    let md = markdown::to_markdown(&templates.render(template, &context)?, captions);
    let md = trim_blank_lines(&md);
    context.insert("target", "html");
    let html_md = templates.render(template, &context)?;
    let page = markdown::to_page(&html_md, &BTreeMap::new(), captions);
    context.insert("head", &page.head);
    context.insert("body", &page.body);
    context.insert("toc", &page.toc);
    let html = trim_blank_lines(&templates.render(templates::LAYOUT_HTML, &context)?);
    Ok([
        file(&format!("provinces/{stem}.md"), md.into_bytes()),
        file(&format!("provinces/{stem}.html"), html.into_bytes()),
    ])
}
