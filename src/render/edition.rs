//! The report's editions: the Chinese white paper and its English edition,
//! rendered from the same figures.
//!
//! Each edition has its own template (`report.md.tera`,
//! `report.en.md.tera`) and receives the same context: the English one gets
//! a copy of the figures whose labels and names are the English ones
//! (`label_en`, `name_en` of `metrics.json`), so its template reads `label`
//! and `name` like the Chinese one.

use super::markdown::Captions;
use crate::ingest::period::Dataset;
use crate::metrics::{LeadingProvinces, Metrics};

/// One language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edition {
    Chinese,
    English,
}

impl Edition {
    pub(crate) const ALL: [Edition; 2] = [Edition::Chinese, Edition::English];

    /// The report template of this edition.
    pub(crate) fn template(self) -> &'static str {
        match self {
            Edition::Chinese => super::templates::REPORT_MD,
            Edition::English => super::templates::REPORT_EN_MD,
        }
    }

    /// File name of the report without its extension: `report`, `report.en`.
    pub(crate) fn stem(self) -> &'static str {
        match self {
            Edition::Chinese => "report",
            Edition::English => "report.en",
        }
    }

    /// The other edition, which each links to.
    pub(crate) fn other(self) -> Edition {
        match self {
            Edition::Chinese => Edition::English,
            Edition::English => Edition::Chinese,
        }
    }

    /// `lang` of the HTML page.
    pub(crate) fn html_lang(self) -> &'static str {
        match self {
            Edition::Chinese => "zh-CN",
            Edition::English => "en",
        }
    }

    /// The edition's own name, as a link to it reads.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Edition::Chinese => "中文版",
            Edition::English => "English edition",
        }
    }

    /// The heading of the table of contents.
    pub(crate) fn contents(self) -> &'static str {
        match self {
            Edition::Chinese => "目录",
            Edition::English => "Contents",
        }
    }

    /// How this edition numbers its charts and tables and credits their
    /// data: `dataset.source`, else its title, else the period's data
    /// (`dataset` as `figures` gives it, in the edition's language).
    pub(crate) fn captions(self, dataset: &Dataset, period: &str) -> Captions {
        let given = [&dataset.source, &dataset.title]
            .into_iter()
            .flatten()
            .map(|text| text.trim())
            .find(|text| !text.is_empty());
        match self {
            Edition::Chinese => Captions {
                figure: "图",
                table: "表",
                gap: "\u{3000}",
                source: match given {
                    Some(text) => format!("数据来源：{text}"),
                    None => format!(
                        "数据来源：{}的输入数据",
                        super::filters::format_period(period)
                    ),
                },
            },
            Edition::English => Captions {
                figure: "Figure ",
                table: "Table ",
                gap: ": ",
                source: match given {
                    Some(text) => format!("Source: {text}"),
                    None => format!(
                        "Source: input data for {}",
                        super::filters::format_period_en(period)
                    ),
                },
            },
        }
    }

    /// The figures as this edition shows them.
    pub(crate) fn figures(self, metrics: &Metrics) -> std::borrow::Cow<'_, Metrics> {
        match self {
            Edition::Chinese => std::borrow::Cow::Borrowed(metrics),
            Edition::English => std::borrow::Cow::Owned(english(metrics)),
        }
    }
}

/// A copy of the figures with every label and name in English. The full
/// ranking (`tables/influence.csv`, not read by templates) is left out.
fn english(m: &Metrics) -> Metrics {
    let province_en = |name: &str| {
        m.provinces
            .iter()
            .find(|p| p.name == name)
            .map_or_else(|| name.to_owned(), |p| p.name_en.clone())
    };
    let mut en = Metrics {
        schema_version: m.schema_version,
        period: m.period.clone(),
        baseline_period: m.baseline_period.clone(),
        generated_on: m.generated_on.clone(),
        dataset: m.dataset.clone(),
        totals: m.totals.clone(),
        provinces: m.provinces.clone(),
        regions: m.regions.clone(),
        leading_provinces: m.leading_provinces.as_ref().map(|l| LeadingProvinces {
            first: province_en(&l.first),
            second: province_en(&l.second),
            third: province_en(&l.third),
            ..l.clone()
        }),
        levels: m.levels.clone(),
        provincial_municipal_share: m.provincial_municipal_share,
        domains: m.domains.clone(),
        top_two_domains_share: m.top_two_domains_share,
        account_types: m.account_types.clone(),
        followers: m.followers.clone(),
        activity: m.activity.clone(),
        matrix: m.matrix.clone(),
        influence: m.influence.clone(),
        ranking: Vec::new(),
        series: m.series.clone(),
        leading: m.leading.clone(),
        leading_rule: m.leading_rule,
        // The province pages are in Chinese only.
        province_profiles: Vec::new(),
        quality: m.quality.clone(),
        quality_gates: m.quality_gates.clone(),
    };
    let d = &mut en.dataset;
    d.title = d.title_en.clone();
    d.subtitle = d.subtitle_en.clone();
    d.publisher = d.publisher_en.clone();
    d.date = d.date_en.clone();
    d.description = d.description_en.clone();
    d.source = d.source_en.clone();
    for p in &mut en.provinces {
        p.name.clone_from(&p.name_en);
        p.region_label.clone_from(&p.region_label_en);
    }
    for r in &mut en.regions {
        r.label.clone_from(&r.label_en);
    }
    for l in &mut en.levels {
        l.label.clone_from(&l.label_en);
    }
    for d in &mut en.domains {
        d.label.clone_from(&d.label_en);
    }
    for t in &mut en.account_types {
        t.label.clone_from(&t.label_en);
    }
    let influence = &mut en.influence;
    let rows = influence.top.iter_mut().chain(
        influence
            .top_by_domain
            .iter_mut()
            .flat_map(|t| &mut t.accounts),
    );
    for r in rows {
        r.province.clone_from(&r.province_en);
        r.domain_label.clone_from(&r.domain_label_en);
    }
    for t in &mut influence.top_by_domain {
        t.label.clone_from(&t.label_en);
    }
    for s in influence
        .by_level
        .iter_mut()
        .chain(&mut influence.by_domain)
    {
        s.label.clone_from(&s.label_en);
    }
    let leading = &mut en.leading;
    for a in leading.by_followers.iter_mut().chain(&mut leading.by_reads) {
        a.province.clone_from(&a.province_en);
        a.domain_label.clone_from(&a.domain_label_en);
    }
    for point in &mut en.series {
        for c in point.account_types.iter_mut().chain(&mut point.levels) {
            c.label.clone_from(&c.label_en);
        }
    }
    en
}
