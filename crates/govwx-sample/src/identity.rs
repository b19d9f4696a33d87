//! Platform ids: the `gh_` original id every account has and the alias
//! (微信号) its operators chose. Both are unique and never change.

use std::collections::BTreeSet;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Pinyin syllables that aliases are made of.
const SYLLABLES: &[&str] = &[
    "an", "bai", "bei", "chang", "cheng", "da", "dong", "fu", "gang", "guang", "hai", "he", "hu",
    "jiang", "jing", "kang", "li", "lin", "long", "min", "nan", "ning", "ping", "qing", "shan",
    "shen", "shi", "tai", "tian", "wei", "wen", "xi", "xin", "yang", "yun", "zhen", "zhong",
    "zhou",
];
const TOPICS: &[&str] = &[
    "police", "jj", "ga", "fb", "health", "wsj", "gov", "news", "fy", "jcy", "tw",
];

/// The ids handed out so far.
#[derive(Default)]
pub(crate) struct Ids {
    original: BTreeSet<String>,
    wechat: BTreeSet<String>,
}

impl Ids {
    /// A new (original id, wechat id) pair.
    pub fn draw(&mut self, rng: &mut ChaCha8Rng) -> (String, String) {
        loop {
            let original = format!("gh_{:012x}", rng.gen::<u64>() & 0xffff_ffff_ffff);
            let wechat = alias(rng);
            if !self.original.contains(&original) && !self.wechat.contains(&wechat) {
                self.original.insert(original.clone());
                self.wechat.insert(wechat.clone());
                return (original, wechat);
            }
        }
    }
}

/// `pingannan`, `szgafb`, `gd_police_0123`: the shapes aliases take.
fn alias(rng: &mut ChaCha8Rng) -> String {
    let syllable = |rng: &mut ChaCha8Rng| *SYLLABLES.choose(rng).expect("syllables");
    match rng.gen_range(0..3) {
        0 => (0..rng.gen_range(2..=4)).map(|_| syllable(rng)).collect(),
        1 => {
            let initials: String = (0..rng.gen_range(4..=6))
                .map(|_| &syllable(rng)[..1])
                .collect();
            format!("{initials}{}", rng.gen_range(0..100))
        }
        _ => {
            let place: String = (0..2).map(|_| &syllable(rng)[..1]).collect();
            let topic = TOPICS.choose(rng).expect("topics");
            format!("{place}_{topic}_{:04}", rng.gen_range(0..10_000))
        }
    }
}
