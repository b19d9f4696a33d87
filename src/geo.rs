//! Provinces and regions: the small hand-made table every stage shares.
//!
//! The 31 provincial-level divisions of the mainland, with every form their
//! names take in exports (full, short, one-character abbreviation, pinyin and
//! English) and their region, plus Hong Kong, Macau and Taiwan, which are
//! recognised so they can be counted and excluded. Cities and counties live
//! in the division tables of `gazetteer`.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// A provincial-level division, identified by its 2-digit GB/T 2260 code.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct Province(pub u8);

/// Statistical region of a province.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumMessage,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Region {
    #[strum(message = "东部")]
    East,
    #[strum(message = "中部")]
    Central,
    #[strum(message = "西部")]
    West,
    #[strum(message = "东北")]
    Northeast,
}

/// Which regional division the report uses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RegionScheme {
    /// The National Bureau of Statistics' four regions (东部 10, 中部 6, 西部 12, 东北 3).
    #[default]
    Four,
    /// The older three regions (东部 11, 中部 8, 西部 12).
    Three,
}

impl Region {
    pub fn label(self) -> &'static str {
        strum::EnumMessage::get_message(&self).expect("every variant has a label")
    }

    pub fn slug(self) -> &'static str {
        self.into()
    }
}

/// One row of the province table.
pub struct ProvinceInfo {
    pub code: u8,
    /// Full official name: 广东省, 广西壮族自治区, 北京市.
    pub full: &'static str,
    /// Short name: 广东, 广西, 北京.
    pub short: &'static str,
    /// One-character abbreviations, trusted only in a province column.
    pub abbrev: &'static [&'static str],
    /// Pinyin and English spellings, compared case-insensitively.
    pub latin: &'static [&'static str],
    /// Region in the four-region scheme.
    pub region4: Region,
    /// Region in the three-region scheme.
    pub region3: Region,
    /// Mainland provinces are in scope; Hong Kong, Macau and Taiwan are not.
    pub in_scope: bool,
}

use Region::{Central as C, East as E, Northeast as NE, West as W};

macro_rules! p {
    ($code:expr, $full:expr, $short:expr, [$($ab:expr),*], [$($la:expr),*], $r4:expr, $r3:expr) => {
        ProvinceInfo { code: $code, full: $full, short: $short, abbrev: &[$($ab),*],
            latin: &[$($la),*], region4: $r4, region3: $r3, in_scope: true }
    };
}

/// Every provincial-level division, mainland first, in code order.
pub static PROVINCES: &[ProvinceInfo] = &[
    p!(11, "北京市", "北京", ["京"], ["beijing", "peking"], E, E),
    p!(12, "天津市", "天津", ["津"], ["tianjin"], E, E),
    p!(13, "河北省", "河北", ["冀"], ["hebei"], E, E),
    p!(14, "山西省", "山西", ["晋"], ["shanxi"], C, C),
    p!(
        15,
        "内蒙古自治区",
        "内蒙古",
        ["蒙"],
        ["neimenggu", "nei mongol", "inner mongolia"],
        W,
        W
    ),
    p!(21, "辽宁省", "辽宁", ["辽"], ["liaoning"], NE, E),
    p!(22, "吉林省", "吉林", ["吉"], ["jilin"], NE, C),
    p!(23, "黑龙江省", "黑龙江", ["黑"], ["heilongjiang"], NE, C),
    p!(31, "上海市", "上海", ["沪"], ["shanghai"], E, E),
    p!(32, "江苏省", "江苏", ["苏"], ["jiangsu"], E, E),
    p!(33, "浙江省", "浙江", ["浙"], ["zhejiang"], E, E),
    p!(34, "安徽省", "安徽", ["皖"], ["anhui"], C, C),
    p!(35, "福建省", "福建", ["闽"], ["fujian"], E, E),
    p!(36, "江西省", "江西", ["赣"], ["jiangxi"], C, C),
    p!(37, "山东省", "山东", ["鲁"], ["shandong"], E, E),
    p!(41, "河南省", "河南", ["豫"], ["henan"], C, C),
    p!(42, "湖北省", "湖北", ["鄂"], ["hubei"], C, C),
    p!(43, "湖南省", "湖南", ["湘"], ["hunan"], C, C),
    p!(44, "广东省", "广东", ["粤"], ["guangdong", "canton"], E, E),
    p!(45, "广西壮族自治区", "广西", ["桂"], ["guangxi"], W, W),
    p!(46, "海南省", "海南", ["琼"], ["hainan"], E, E),
    p!(50, "重庆市", "重庆", ["渝"], ["chongqing"], W, W),
    p!(
        51,
        "四川省",
        "四川",
        ["川", "蜀"],
        ["sichuan", "szechuan"],
        W,
        W
    ),
    p!(52, "贵州省", "贵州", ["贵", "黔"], ["guizhou"], W, W),
    p!(53, "云南省", "云南", ["云", "滇"], ["yunnan"], W, W),
    p!(54, "西藏自治区", "西藏", ["藏"], ["xizang", "tibet"], W, W),
    p!(61, "陕西省", "陕西", ["陕", "秦"], ["shaanxi"], W, W),
    p!(62, "甘肃省", "甘肃", ["甘", "陇"], ["gansu"], W, W),
    p!(63, "青海省", "青海", ["青"], ["qinghai"], W, W),
    p!(64, "宁夏回族自治区", "宁夏", ["宁"], ["ningxia"], W, W),
    p!(65, "新疆维吾尔自治区", "新疆", ["新"], ["xinjiang"], W, W),
    ProvinceInfo {
        code: 71,
        full: "台湾省",
        short: "台湾",
        abbrev: &["台"],
        latin: &["taiwan"],
        region4: E,
        region3: E,
        in_scope: false,
    },
    ProvinceInfo {
        code: 81,
        full: "香港特别行政区",
        short: "香港",
        abbrev: &["港"],
        latin: &["hong kong", "hongkong", "xianggang"],
        region4: E,
        region3: E,
        in_scope: false,
    },
    ProvinceInfo {
        code: 82,
        full: "澳门特别行政区",
        short: "澳门",
        abbrev: &["澳"],
        latin: &["macau", "macao", "aomen"],
        region4: E,
        region3: E,
        in_scope: false,
    },
];

/// Common wrong or older forms seen in exports, mapped to the province code.
static VARIANTS: &[(&str, u8)] = &[
    ("北京省", 11),
    ("天津省", 12),
    ("上海省", 31),
    ("重庆省", 50),
    ("内蒙", 15),
    ("内蒙古省", 15),
    ("广西省", 45),
    ("广西自治区", 45),
    ("西藏省", 54),
    ("宁夏省", 64),
    ("宁夏自治区", 64),
    ("新疆省", 65),
    ("新疆自治区", 65),
    ("香港特区", 81),
    ("澳门特区", 82),
    ("中国台湾", 71),
    ("台湾地区", 71),
];

/// Number of mainland provincial-level divisions.
pub const MAINLAND_PROVINCES: usize = 31;

impl Province {
    pub fn info(self) -> &'static ProvinceInfo {
        PROVINCES
            .iter()
            .find(|p| p.code == self.0)
            .expect("a Province is only built from a code in PROVINCES")
    }

    pub fn code(self) -> u8 {
        self.0
    }

    pub fn short(self) -> &'static str {
        self.info().short
    }

    pub fn full(self) -> &'static str {
        self.info().full
    }

    pub fn in_scope(self) -> bool {
        self.info().in_scope
    }

    pub fn region(self, scheme: RegionScheme) -> Region {
        match scheme {
            RegionScheme::Four => self.info().region4,
            RegionScheme::Three => self.info().region3,
        }
    }

    pub fn from_code(code: u8) -> Option<Province> {
        PROVINCES
            .iter()
            .any(|p| p.code == code)
            .then_some(Province(code))
    }

    /// The mainland provinces, in code order.
    pub fn mainland() -> impl Iterator<Item = Province> {
        PROVINCES
            .iter()
            .filter(|p| p.in_scope)
            .map(|p| Province(p.code))
    }

    /// Reads a province column's value: full, short, abbreviated, pinyin or
    /// English, or a known wrong form. The text must already be normalised
    /// (NFKC, trimmed). Returns `None` for anything else.
    pub fn parse_column(text: &str) -> Option<Province> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let names = ColumnNames::get();
        if let Some(&code) = names.exact.get(text) {
            return Some(Province(code));
        }
        // Only text with Latin letters can have a Latin key.
        if !text.bytes().any(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        names
            .latin
            .get(&latin_key(text))
            .map(|&code| Province(code))
    }

    /// Every name of the province that may be trusted inside free text (full
    /// and short names, and wrong forms; never the one-character abbreviation).
    pub fn text_names() -> impl Iterator<Item = (&'static str, Province)> {
        PROVINCES
            .iter()
            .flat_map(|p| [(p.full, Province(p.code)), (p.short, Province(p.code))])
            .chain(VARIANTS.iter().map(|&(v, c)| (v, Province(c))))
    }
}

/// Every form a province column may take, built once: a province column is
/// read for every record, and most exports spell it one of a few ways.
struct ColumnNames {
    /// Wrong forms, full, short and abbreviated names, as written.
    exact: HashMap<&'static str, u8>,
    /// Pinyin and English names by their `latin_key`.
    latin: HashMap<String, u8>,
}

impl ColumnNames {
    fn get() -> &'static ColumnNames {
        static NAMES: LazyLock<ColumnNames> = LazyLock::new(|| {
            // The first province to claim a form keeps it, as a search of
            // the table in order would find it.
            let mut exact = HashMap::new();
            let mut latin = HashMap::new();
            for &(variant, code) in VARIANTS {
                exact.entry(variant).or_insert(code);
            }
            for p in PROVINCES {
                for name in [p.full, p.short].iter().chain(p.abbrev) {
                    exact.entry(*name).or_insert(p.code);
                }
                for name in p.latin {
                    latin.entry(latin_key(name)).or_insert(p.code);
                }
            }
            ColumnNames { exact, latin }
        });
        &NAMES
    }
}

/// Lower-cased ASCII letters only: "Inner Mongolia", "inner-mongolia" and
/// "INNERMONGOLIA" compare equal; "Guangdong Province" loses its suffix.
fn latin_key(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let trimmed = lower
        .trim_end_matches("province")
        .trim_end_matches("municipality")
        .trim_end_matches("autonomous region")
        .trim_end_matches("sar")
        .trim();
    trimmed
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_31_mainland_provinces_in_the_published_regions() {
        let mainland: Vec<_> = Province::mainland().collect();
        assert_eq!(mainland.len(), MAINLAND_PROVINCES);
        let count = |r| {
            mainland
                .iter()
                .filter(|p| p.region(RegionScheme::Four) == r)
                .count()
        };
        assert_eq!((count(Region::East), count(Region::Central)), (10, 6));
        assert_eq!((count(Region::West), count(Region::Northeast)), (12, 3));
        let count3 = |r| {
            mainland
                .iter()
                .filter(|p| p.region(RegionScheme::Three) == r)
                .count()
        };
        assert_eq!(
            (
                count3(Region::East),
                count3(Region::Central),
                count3(Region::West)
            ),
            (11, 8, 12)
        );
    }

    #[test]
    fn every_spelling_of_a_province_is_read() {
        for text in [
            "广东省",
            "广东",
            "粤",
            "Guangdong",
            "GUANGDONG",
            "guangdong province",
        ] {
            assert_eq!(Province::parse_column(text), Some(Province(44)), "{text}");
        }
        assert_eq!(Province::parse_column("Shanxi"), Some(Province(14)));
        assert_eq!(Province::parse_column("Shaanxi"), Some(Province(61)));
        assert_eq!(Province::parse_column("山西"), Some(Province(14)));
        assert_eq!(Province::parse_column("陕西省"), Some(Province(61)));
        assert_eq!(Province::parse_column("内蒙"), Some(Province(15)));
        assert_eq!(Province::parse_column("Inner Mongolia"), Some(Province(15)));
        assert_eq!(Province::parse_column("广西省"), Some(Province(45)));
        assert_eq!(Province::parse_column("Hong Kong"), Some(Province(81)));
        assert!(!Province(81).in_scope());
        assert_eq!(Province::parse_column("火星"), None);
        assert_eq!(Province::parse_column(""), None);
    }
}
