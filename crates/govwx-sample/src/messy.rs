//! The ways exports spell the same value: the mess the pipeline normalises.
//!
//! Every variant here reads back to the exact true value under docs/CONTRACT.md §2–§3
//! (followers in 万 only when exact, names decorated only in ways the
//! match-name strips), so the mess costs the pipeline work, never accuracy.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::model::Date;
use govwx::config::{DomainId, Settings};
use govwx::geo::Province;

/// Free-form domain column values seen in submissions, by slug. Each reads
/// back to its domain by label or by the keyword rules (checked by a test).
const DOMAIN_VARIANTS: &[(&str, &[&str])] = &[
    ("police", &["政法-公安", "公安", "公安交警"]),
    ("health", &["卫生", "卫计", "医疗"]),
    ("publicity", &["政务", "党委政府", "宣传"]),
    ("youth_league", &["团委", "共青团系统"]),
    ("hr_social", &["人社", "社会保障"]),
    ("transport", &["交通", "交通运输"]),
    ("tourism", &["旅游"]),
    ("culture", &["文化", "文广"]),
    ("education", &["教育"]),
    ("court", &["政法-法院", "法院"]),
    ("procuratorate", &["政法-检察", "检察"]),
    ("justice", &["政法-司法", "司法行政"]),
    ("family_planning", &["计生", "人口和计划生育"]),
    ("housing_fund", &["住房公积金"]),
    ("food_drug", &["食药", "食品药品监管"]),
    ("tax", &["国税", "地税", "税务"]),
    ("weather", &["气象"]),
    ("environment", &["环保", "环境保护"]),
    ("civil_affairs", &["民政"]),
    ("other", &["其他"]),
];

/// `36213`, `36,213`, `3.6213万` or `3.6213w`: always the exact number.
pub(crate) fn followers(rng: &mut ChaCha8Rng, n: u64) -> String {
    match rng.gen_range(0..20) {
        0..=7 => n.to_string(),
        8..=13 => grouped(n),
        14..=17 if n >= 10_000 => format!("{}万", ten_thousands(n)),
        18..=19 if n >= 10_000 => format!("{}w", ten_thousands(n)),
        _ => n.to_string(),
    }
}

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 36213 → `3.6213`, 360000 → `36`: exact, trailing zeros stripped.
fn ten_thousands(n: u64) -> String {
    let fraction = format!("{:04}", n % 10_000);
    let fraction = fraction.trim_end_matches('0');
    match fraction {
        "" => (n / 10_000).to_string(),
        f => format!("{}.{f}", n / 10_000),
    }
}

/// `2014/3/5`, `2014年3月5日`, `20140305`, `2014-03-05` or an Excel serial.
pub(crate) fn date(rng: &mut ChaCha8Rng, d: Date) -> String {
    match rng.gen_range(0..5) {
        0 => format!("{}/{}/{}", d.year, d.month, d.day),
        1 => format!("{}年{}月{}日", d.year, d.month, d.day),
        2 => format!("{}{:02}{:02}", d.year, d.month, d.day),
        3 => d.excel_serial().to_string(),
        _ => iso_date(d),
    }
}

pub(crate) fn iso_date(d: Date) -> String {
    format!("{}-{:02}-{:02}", d.year, d.month, d.day)
}

/// A name as someone typed it into a list: bracketed, suffixed with 官方微信,
/// full-width, or with doubled spaces; unchanged most of the time.
pub(crate) fn decorated_name(rng: &mut ChaCha8Rng, name: &str, chance: f64) -> String {
    if !rng.gen_bool(chance) {
        return name.to_owned();
    }
    match rng.gen_range(0..6) {
        0 => format!("【{name}】"),
        1 => format!("{name}官方微信"),
        2 => format!("{name}官微"),
        3 => format!("（{name}）"),
        4 if name.chars().any(|c| c.is_ascii_alphanumeric()) => full_width(name),
        _ => doubled_space(rng, name),
    }
}

fn full_width(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).expect("full-width forms exist"),
            c => c,
        })
        .collect()
}

fn doubled_space(rng: &mut ChaCha8Rng, name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 2 {
        return name.to_owned();
    }
    let at = rng.gen_range(1..chars.len());
    let (head, tail) = chars.split_at(at);
    format!(
        "{}  {}",
        head.iter().collect::<String>(),
        tail.iter().collect::<String>()
    )
}

/// A province column value: 广东省, 广东, 粤, Guangdong or guangdong.
pub(crate) fn province(rng: &mut ChaCha8Rng, code: u8) -> String {
    let info = Province(code).info();
    let latin = info.latin[0];
    match rng.gen_range(0..5) {
        0 => info.full.to_owned(),
        1 => info.short.to_owned(),
        2 => info.abbrev[0].to_owned(),
        3 => capitalised(latin),
        _ => latin.to_owned(),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// A free-form domain column: the label, a variant, or nothing.
pub(crate) fn domain(rng: &mut ChaCha8Rng, settings: &Settings, id: DomainId) -> String {
    let domain = settings.domain(id);
    match rng.gen_range(0..10) {
        0..=4 => domain.label.clone(),
        5..=7 => domain_variants(&domain.slug)
            .choose(rng)
            .map_or_else(|| domain.label.clone(), |v| (*v).to_owned()),
        _ => String::new(),
    }
}

fn domain_variants(slug: &str) -> &'static [&'static str] {
    DOMAIN_VARIANTS
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or(&[], |(_, v)| v)
}

/// An id as an export may hold it: upper-cased or padded now and then.
pub(crate) fn id(rng: &mut ChaCha8Rng, id: &str) -> String {
    match rng.gen_range(0..20) {
        0 | 1 => id.to_ascii_uppercase(),
        2 => format!(" {id} "),
        _ => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::match_name;
    use rand::SeedableRng;

    #[test]
    fn follower_forms_are_exact() {
        assert_eq!(ten_thousands(36_213), "3.6213");
        assert_eq!(ten_thousands(360_000), "36");
        assert_eq!(ten_thousands(12_000), "1.2");
        assert_eq!(grouped(36_213), "36,213");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn decorations_keep_the_match_name() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for name in ["深圳交警", "深圳110", "平安A"] {
            for _ in 0..50 {
                assert_eq!(
                    match_name(&decorated_name(&mut rng, name, 1.0)),
                    match_name(name)
                );
            }
        }
    }

    #[test]
    fn domain_variants_read_back() {
        let settings = Settings::builtin();
        for (slug, variants) in DOMAIN_VARIANTS {
            let id = settings.domain_by_name(slug).expect("slug in config");
            for v in *variants {
                let read = settings
                    .domain_by_name(v)
                    .or_else(|| settings.match_domain(v));
                assert_eq!(read, Some(id), "{v}");
            }
        }
    }

    #[test]
    fn province_spellings_parse() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for code in Province::mainland().map(|p| p.0) {
            for _ in 0..10 {
                assert_eq!(
                    Province::parse_column(&province(&mut rng, code)),
                    Some(Province(code))
                );
            }
        }
    }
}
