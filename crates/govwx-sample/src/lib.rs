//! The synthetic sample generator: `govwx-sample` writes the bundled input
//! folder, messy like real exports, and the ground truth beside it.
//!
//! The published figures of the 2015 white paper hold by construction: true
//! accounts are drawn to exact quotas first (`quotas`, `population`), named
//! so the pipeline can recover their place, level and domain (`naming`),
//! then written as overlapping, inconsistently formatted exports
//! (`exports`, `messy`) that link back under the dedup rules of docs/CONTRACT.md §4.
//! `figures` recomputes the calibration from the truth and refuses to write
//! a sample that misses it.

mod activity;
mod activity_exports;
mod activity_names;
mod catalogue;
mod exports;
mod figures;
mod high;
mod identity;
mod layout;
mod matrix;
mod messy;
mod model;
mod naming;
mod places;
mod population;
mod quotas;
mod ranking;
mod scale;
mod truth;
mod variants;
mod writer;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use govwx::config::Settings;

/// The seed of the bundled sample.
pub const DEFAULT_SEED: u64 = 2015;

/// Where `govwx-sample` writes, and with which seed.
#[derive(Debug, Clone, Default)]
pub struct SampleOptions {
    /// The input folder to create; must not exist or be empty.
    pub out: PathBuf,
    /// The ground-truth folder; must not be inside `out`.
    pub truth: PathBuf,
    pub seed: u64,
    /// How messy the exports are; `Standard` is the bundled sample.
    pub messiness: Messiness,
}

/// How messy the generated exports are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Messiness {
    /// Messy but fully linkable under docs/CONTRACT.md §4: the pipeline reproduces the
    /// published figures exactly (the bundled `input/`).
    #[default]
    Standard,
    /// Not fully linkable: more name variants and missing ids, entity names
    /// as account names, empty province columns, county names shared across
    /// provinces without their city. Measures accuracy (`high`).
    High,
    /// The high setting, with entities written the short way people write
    /// them (a district without its city: 鼓楼区公安分局; a central body
    /// without 中华人民共和国: 最高人民法院) and no level cells, so that
    /// every level is inferred from those texts (`terse`).
    Terse,
}

/// What was written.
pub struct SampleSummary {
    /// Files written into `out`.
    pub files: usize,
    /// Data rows written (accounts, rejects and totals lines).
    pub rows: usize,
    /// In-scope accounts of 2014.
    pub accounts_2014: usize,
    /// In-scope accounts of 2013.
    pub accounts_2013: usize,
}

/// Generates the sample into `opts.out` and its ground truth into
/// `opts.truth`; the same seed always gives the same bytes.
pub fn generate(opts: &SampleOptions) -> Result<SampleSummary> {
    generate_scaled(opts, 1)
}

/// `generate` with the drawn accounts replicated `scale` times under fresh
/// ids and names (for benchmarks; scale 1 is the sample itself). The
/// published figures are checked on the drawn accounts; a scaled sample
/// holds them as shares, and its truth gives its own counts.
pub fn generate_scaled(opts: &SampleOptions, scale: u32) -> Result<SampleSummary> {
    check_destinations(&opts.out, &opts.truth)?;
    let settings = Settings::builtin();
    let gazetteer = places::Gazetteer::load();
    let mut namer = naming::Namer::new(&gazetteer, &settings);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let accounts = population::draw(&mut rng, &settings, &mut namer)?;
    let mut figures = figures::Figures::compute(&accounts, &settings, opts.seed);
    figures.check()?;
    let accounts = scale::replicate(accounts, scale, opts.seed, &settings)?;
    if scale > 1 {
        figures = figures::Figures::compute(&accounts, &settings, opts.seed);
    }
    // The high and terse settings roughen the drawn rows with a stream of its own, so
    // the standard draws, and the bundled sample, never change with it.
    let mut mess = (opts.messiness != Messiness::Standard).then(|| {
        high::Mess::new(
            ChaCha8Rng::seed_from_u64(opts.seed ^ high::STREAM),
            &accounts,
            opts.messiness == Messiness::Terse,
        )
    });
    let mut files = Vec::new();
    for period in model::Period::ALL {
        files.extend(exports::period_files(
            &mut rng,
            &settings,
            &accounts,
            period,
            mess.as_mut(),
        ));
    }
    let known_ids = registry_ids(&files, model::Period::Y2014.name());
    let (activity_files, activity, wci) =
        activity_sample(opts.seed, &settings, &accounts, &known_ids, scale == 1)?;
    files.extend(activity_files);
    if let Some(y2014) = figures.periods.get_mut(model::Period::Y2014.name()) {
        y2014.activity = Some(activity);
    }
    govwx::fs::write(&opts.out.join("dataset.toml"), dataset_toml(opts.seed)?)?;
    for file in &files {
        govwx::fs::write(&opts.out.join(&file.path), file.encode())?;
    }
    truth::write(&opts.truth, &accounts, &files, &figures, &settings)?;
    let mut influence = String::from("original_id,wci\n");
    for (id, value) in &wci {
        influence.push_str(&format!("{id},{value:.6}\n"));
    }
    govwx::fs::write(&opts.truth.join("influence.csv"), influence)?;
    Ok(SampleSummary {
        files: files.len() + 1,
        rows: files.iter().map(|f| f.records.len()).sum(),
        accounts_2014: figures.periods["2014"].accounts,
        accounts_2013: figures.periods["2013"].accounts,
    })
}

/// The activity files, their true figures, and each ranked account's true
/// WCI (original id, index).
type ActivitySample = (
    Vec<writer::SourceFile>,
    matrix::ActivityFigures,
    Vec<(String, f64)>,
);

/// The 2014 activity exports and their true figures, drawn from a stream of
/// their own so the registry files do not change with them; fails when the
/// published maturity matrix does not hold (when `check`).
fn activity_sample(
    seed: u64,
    settings: &Settings,
    accounts: &[model::Account],
    known_ids: &BTreeSet<String>,
    check: bool,
) -> Result<ActivitySample> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ activity::STREAM);
    let drawn = activity::draw(&mut rng, settings, accounts)?;
    let mut exports = activity_exports::write(&mut rng, accounts, &drawn, known_ids);
    let figures = matrix::ActivityFigures::compute(accounts, settings, &exports.rows);
    if check {
        figures.check()?;
    }
    // The ranking repeats the platform's reads: the figures above hold.
    let ranking = ranking::write(seed, accounts, &drawn, known_ids);
    exports.files.push(ranking.file);
    Ok((exports.files, figures, ranking.truth))
}

/// The original ids that a period's registry files show (lower-cased): an
/// activity row keyed by any other id names no account the pipeline knows.
fn registry_ids(files: &[writer::SourceFile], period: &str) -> BTreeSet<String> {
    let prefix = format!("{period}/");
    files
        .iter()
        .filter(|f| f.path.starts_with(&prefix))
        .flat_map(|f| f.text_lines())
        .flat_map(|line| {
            line.split(',')
                .map(str::trim)
                .map(|cell| cell.trim_matches('"').trim())
        })
        .filter(|cell| cell.len() == 15 && cell[..3].eq_ignore_ascii_case("gh_"))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// `dataset.toml`: what the input folder says about itself.
#[derive(Serialize)]
struct Dataset {
    title: String,
    description: String,
    title_en: String,
    description_en: String,
    synthetic: bool,
}

fn dataset_toml(seed: u64) -> Result<String> {
    let dataset = Dataset {
        title: "政务微信账号样例数据（合成，2013—2014年）".to_owned(),
        description: format!(
            "本数据为合成数据，由 `govwx-sample --seed {seed}` 生成，并非真实账号。\
             数据按2015年4月发布的《“互联网+”微信政务民生白皮书》公布的2014年底数字校准：\
             政务微信账号40,924个，覆盖内地全部31个省份，广东占15.0%、浙江占14.8%，\
             省级和地市级合计占84.7%，公安7,860个、医疗卫生7,164个，服务号占30%，平均粉丝超过3.6万。\
             白皮书未公布2013年的同口径数字，2013年快照由生成器设定，使服务号同比增长超过100%。\
             月度运营数据（发文数、阅读数、点赞数）只有2014年第四季度（10—12月），\
             用于成熟矩阵的活跃度；2013年没有运营数据，以控制样例数据的体积。"
        ),
        title_en: "Government WeChat accounts: sample data (synthetic, 2013-2014)".to_owned(),
        description_en: format!(
            "Synthetic data made by `govwx-sample --seed {seed}`, not real accounts. \
             It is calibrated to the end-2014 figures published in the white paper on \
             WeChat government and public services of April 2015: 40,924 government \
             WeChat accounts in all 31 mainland provinces, Guangdong 15.0% and Zhejiang \
             14.8%, provincial and municipal departments 84.7% together, police 7,860 and \
             health 7,164, service accounts 30%, more than 36,000 followers on average. \
             The white paper gave no comparable figures for 2013: the generator sets the \
             2013 snapshot so that service accounts grow by more than 100%. Monthly \
             activity (articles, reads, likes) covers only the fourth quarter of 2014 \
             (October to December) and gives the maturity matrix its activity; 2013 has \
             none, to keep the sample small."
        ),
        synthetic: true,
    };
    toml::to_string(&dataset).context("failed to serialise `dataset.toml`")
}

/// Refuses an `out` that holds anything, and a `truth` inside `out`: the
/// truth must never be read as input.
fn check_destinations(out: &Path, truth: &Path) -> Result<()> {
    if out.exists() {
        let mut entries = std::fs::read_dir(out)
            .with_context(|| format!("`{}` exists and is not a readable folder", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "`{}` is not empty: choose a new folder for the sample",
                out.display()
            );
        }
    }
    let (out_abs, truth_abs) = (absolute(out)?, absolute(truth)?);
    if truth_abs.starts_with(&out_abs) {
        bail!(
            "the truth folder `{}` is inside the sample folder `{}`: put it beside it",
            truth.display(),
            out.display()
        );
    }
    Ok(())
}

/// An absolute path with `.` and `..` resolved lexically.
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = std::path::absolute(path)
        .with_context(|| format!("failed to resolve `{}`", path.display()))?;
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_activity;
