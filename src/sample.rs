//! The synthetic sample generator. (Placeholder API; replaced by the sample branch.)
use std::path::PathBuf;
pub struct SampleOptions {
    pub out: PathBuf,
    pub truth: PathBuf,
    pub seed: u64,
}
pub const DEFAULT_SEED: u64 = 2015;
pub struct SampleSummary {
    pub files: usize,
    pub rows: usize,
    pub accounts_2014: usize,
    pub accounts_2013: usize,
}
pub fn generate(_opts: &SampleOptions) -> anyhow::Result<SampleSummary> {
    anyhow::bail!("not yet")
}
