//! `govwx-sample --scale F`: the drawn accounts, replicated into F copies,
//! for benchmarks at the size of a national platform's exports.
//!
//! Copy 0 is the drawn population itself, so scale 1 writes today's sample
//! byte for byte. Every further copy gets fresh ids, aliases, names and
//! entities that stay unique (so dedup still has work and the ground truth
//! still holds), and keeps everything the pipeline infers from the names:
//! the copy tag goes before any suffix keyword the name ends with (`XX发布`,
//! `…部`), and after any prefix keyword (those sit at the start, which the
//! tag never touches), so place, level and domain are read as before.

use std::collections::BTreeSet;

use anyhow::{bail, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::Account;
use govwx::config::{Keyword, Settings};

/// The random stream the copies' ids are drawn from, apart from the sample's.
const STREAM: u64 = 0x5CA1_E000_0000_0001;

/// The accounts followed by `scale - 1` renamed copies of them.
pub(crate) fn replicate(
    accounts: Vec<Account>,
    scale: u32,
    seed: u64,
    settings: &Settings,
) -> Result<Vec<Account>> {
    if scale <= 1 {
        return Ok(accounts);
    }
    let suffixes = suffix_keywords(settings);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STREAM);
    let mut original: BTreeSet<String> = accounts.iter().map(|a| a.original_id.clone()).collect();
    let mut wechat: BTreeSet<String> = accounts.iter().map(|a| a.wechat_id.clone()).collect();
    let mut all = Vec::with_capacity(accounts.len() * scale as usize);
    for copy in 1..scale {
        for account in &accounts {
            let tag = format!("x{copy}");
            let mut twin = account.clone();
            twin.id = format!("{}{tag}", account.id);
            twin.original_id = fresh_original_id(&mut rng, &mut original);
            twin.wechat_id = format!("{}_c{copy}", account.wechat_id);
            if !wechat.insert(twin.wechat_id.clone()) {
                bail!("alias `{}` drawn twice at scale {scale}", twin.wechat_id);
            }
            twin.name = tagged(&account.name, &tag, &suffixes);
            twin.entity = tagged(&account.entity, &tag, &suffixes);
            all.push(twin);
        }
    }
    let mut accounts = accounts;
    accounts.append(&mut all);
    Ok(accounts)
}

/// Every suffix keyword of the domain and level rules, longest first.
fn suffix_keywords(settings: &Settings) -> Vec<String> {
    let mut words: Vec<String> = settings
        .domains
        .iter()
        .flat_map(|d| d.keywords.iter())
        .chain(&settings.central_keywords)
        .filter_map(|k| match k {
            Keyword::Suffix(w) => Some(w.clone()),
            _ => None,
        })
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.dedup();
    words
}

/// `text` with `tag` inserted before the longest suffix keyword it ends
/// with, or at its end.
fn tagged(text: &str, tag: &str, suffixes: &[String]) -> String {
    let cut = suffixes
        .iter()
        .find(|w| text.len() > w.len() && text.ends_with(w.as_str()))
        .map_or(text.len(), |w| text.len() - w.len());
    format!("{}{tag}{}", &text[..cut], &text[cut..])
}

/// A `gh_` id no account has yet.
fn fresh_original_id(rng: &mut ChaCha8Rng, taken: &mut BTreeSet<String>) -> String {
    loop {
        let id = format!("gh_{:012x}", rng.gen::<u64>() & 0xffff_ffff_ffff);
        if taken.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_keep_suffix_keywords_at_the_end() {
        let suffixes = vec!["发布".to_owned(), "部".to_owned()];
        assert_eq!(tagged("深圳发布", "x2", &suffixes), "深圳x2发布");
        assert_eq!(tagged("公安部", "x2", &suffixes), "公安x2部");
        assert_eq!(tagged("平安深圳", "x2", &suffixes), "平安深圳x2");
        assert_eq!(tagged("发布", "x2", &suffixes), "发布x2");
    }
}
