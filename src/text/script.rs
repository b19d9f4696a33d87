//! Traditional characters that government account names are sometimes
//! typed in (衛生 for 卫生, 發布 for 发布), and their simplified forms, so
//! that 深圳衛計委 and 深圳卫计委 compare equal when names are matched.
//!
//! The table covers the characters of official account names and common
//! place names; each traditional character here is never itself a
//! simplified character, so mapping it cannot change a simplified name.

use std::ops::RangeInclusive;

/// The CJK unified ideographs block, which holds every character of the table.
const IDEOGRAPHS: RangeInclusive<u32> = 0x4E00..=0x9FFF;

/// (traditional, simplified), sorted by the traditional character.
pub static TRADITIONAL: &[(char, char)] = &[
    ('佈', '布'),
    ('偵', '侦'),
    ('傳', '传'),
    ('傷', '伤'),
    ('儀', '仪'),
    ('優', '优'),
    ('創', '创'),
    ('劃', '划'),
    ('動', '动'),
    ('務', '务'),
    ('勞', '劳'),
    ('區', '区'),
    ('協', '协'),
    ('員', '员'),
    ('國', '国'),
    ('園', '园'),
    ('圖', '图'),
    ('團', '团'),
    ('執', '执'),
    ('報', '报'),
    ('場', '场'),
    ('塢', '坞'),
    ('壩', '坝'),
    ('壽', '寿'),
    ('婦', '妇'),
    ('學', '学'),
    ('實', '实'),
    ('寧', '宁'),
    ('審', '审'),
    ('寫', '写'),
    ('寬', '宽'),
    ('寶', '宝'),
    ('對', '对'),
    ('導', '导'),
    ('岡', '冈'),
    ('島', '岛'),
    ('嶺', '岭'),
    ('嶼', '屿'),
    ('嶽', '岳'),
    ('師', '师'),
    ('幹', '干'),
    ('廈', '厦'),
    ('廟', '庙'),
    ('廠', '厂'),
    ('廣', '广'),
    ('廳', '厅'),
    ('張', '张'),
    ('愛', '爱'),
    ('態', '态'),
    ('慶', '庆'),
    ('應', '应'),
    ('戰', '战'),
    ('戶', '户'),
    ('揚', '扬'),
    ('撫', '抚'),
    ('擊', '击'),
    ('擔', '担'),
    ('時', '时'),
    ('晉', '晋'),
    ('書', '书'),
    ('會', '会'),
    ('東', '东'),
    ('楊', '杨'),
    ('業', '业'),
    ('極', '极'),
    ('樂', '乐'),
    ('樓', '楼'),
    ('橋', '桥'),
    ('檔', '档'),
    ('檢', '检'),
    ('權', '权'),
    ('歲', '岁'),
    ('歷', '历'),
    ('殘', '残'),
    ('殯', '殡'),
    ('氣', '气'),
    ('況', '况'),
    ('淨', '净'),
    ('測', '测'),
    ('溝', '沟'),
    ('溫', '温'),
    ('滄', '沧'),
    ('滬', '沪'),
    ('滿', '满'),
    ('漁', '渔'),
    ('漢', '汉'),
    ('澤', '泽'),
    ('濟', '济'),
    ('濰', '潍'),
    ('濱', '滨'),
    ('瀋', '沈'),
    ('灘', '滩'),
    ('灣', '湾'),
    ('災', '灾'),
    ('烏', '乌'),
    ('煙', '烟'),
    ('熱', '热'),
    ('營', '营'),
    ('獻', '献'),
    ('環', '环'),
    ('瓊', '琼'),
    ('畢', '毕'),
    ('畫', '画'),
    ('療', '疗'),
    ('發', '发'),
    ('監', '监'),
    ('禮', '礼'),
    ('稅', '税'),
    ('積', '积'),
    ('筆', '笔'),
    ('糧', '粮'),
    ('紀', '纪'),
    ('紅', '红'),
    ('級', '级'),
    ('紹', '绍'),
    ('組', '组'),
    ('統', '统'),
    ('經', '经'),
    ('綜', '综'),
    ('綠', '绿'),
    ('網', '网'),
    ('線', '线'),
    ('縣', '县'),
    ('織', '织'),
    ('義', '义'),
    ('聯', '联'),
    ('聲', '声'),
    ('腦', '脑'),
    ('臨', '临'),
    ('臺', '台'),
    ('興', '兴'),
    ('舊', '旧'),
    ('華', '华'),
    ('萊', '莱'),
    ('蕪', '芜'),
    ('蕭', '萧'),
    ('藝', '艺'),
    ('藥', '药'),
    ('蘇', '苏'),
    ('蘭', '兰'),
    ('處', '处'),
    ('術', '术'),
    ('衛', '卫'),
    ('衝', '冲'),
    ('視', '视'),
    ('計', '计'),
    ('訊', '讯'),
    ('記', '记'),
    ('訪', '访'),
    ('試', '试'),
    ('誌', '志'),
    ('課', '课'),
    ('調', '调'),
    ('證', '证'),
    ('議', '议'),
    ('護', '护'),
    ('讀', '读'),
    ('讓', '让'),
    ('豐', '丰'),
    ('貪', '贪'),
    ('貴', '贵'),
    ('賀', '贺'),
    ('賂', '赂'),
    ('賄', '贿'),
    ('資', '资'),
    ('賓', '宾'),
    ('質', '质'),
    ('贛', '赣'),
    ('車', '车'),
    ('軍', '军'),
    ('輸', '输'),
    ('農', '农'),
    ('這', '这'),
    ('遊', '游'),
    ('運', '运'),
    ('遠', '远'),
    ('遷', '迁'),
    ('遼', '辽'),
    ('邊', '边'),
    ('鄉', '乡'),
    ('鄖', '郧'),
    ('鄧', '邓'),
    ('鄭', '郑'),
    ('鄰', '邻'),
    ('鄲', '郸'),
    ('醫', '医'),
    ('銀', '银'),
    ('錄', '录'),
    ('錦', '锦'),
    ('錫', '锡'),
    ('鎮', '镇'),
    ('鐘', '钟'),
    ('鐵', '铁'),
    ('長', '长'),
    ('門', '门'),
    ('開', '开'),
    ('間', '间'),
    ('閘', '闸'),
    ('閩', '闽'),
    ('關', '关'),
    ('陝', '陕'),
    ('陣', '阵'),
    ('陳', '陈'),
    ('陸', '陆'),
    ('陽', '阳'),
    ('隊', '队'),
    ('隨', '随'),
    ('險', '险'),
    ('雙', '双'),
    ('雞', '鸡'),
    ('離', '离'),
    ('雲', '云'),
    ('電', '电'),
    ('頭', '头'),
    ('題', '题'),
    ('願', '愿'),
    ('類', '类'),
    ('風', '风'),
    ('飛', '飞'),
    ('養', '养'),
    ('餘', '余'),
    ('館', '馆'),
    ('驗', '验'),
    ('驛', '驿'),
    ('體', '体'),
    ('魯', '鲁'),
    ('鳳', '凤'),
    ('鶴', '鹤'),
    ('麗', '丽'),
    ('黃', '黄'),
    ('點', '点'),
    ('黨', '党'),
    ('齊', '齐'),
    ('龍', '龙'),
];

/// A bit per ideograph, set for those the table maps: names are mostly
/// simplified ideographs, and the bit says at once that the table need not
/// be searched. Built when the program is compiled.
static IN_TABLE: [u64; IDEOGRAPH_WORDS] = {
    let mut bits = [0u64; IDEOGRAPH_WORDS];
    let mut i = 0;
    while i < TRADITIONAL.len() {
        let at = (TRADITIONAL[i].0 as u32 - *IDEOGRAPHS.start()) as usize;
        bits[at / 64] |= 1 << (at % 64);
        i += 1;
    }
    bits
};
const IDEOGRAPH_WORDS: usize =
    ((*IDEOGRAPHS.end() - *IDEOGRAPHS.start() + 1) as usize).div_ceil(64);

/// The simplified form of `c` when the table knows it, else `c`.
pub(crate) fn simplified(c: char) -> char {
    if !IDEOGRAPHS.contains(&(c as u32)) {
        return c;
    }
    let at = (c as u32 - IDEOGRAPHS.start()) as usize;
    if IN_TABLE[at / 64] & (1 << (at % 64)) == 0 {
        return c;
    }
    TRADITIONAL
        .binary_search_by_key(&c, |&(t, _)| t)
        .map_or(c, |at| TRADITIONAL[at].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_maps_only_traditional_characters() {
        assert!(TRADITIONAL.windows(2).all(|w| w[0].0 < w[1].0));
        for &(traditional, simplified) in TRADITIONAL {
            assert!(IDEOGRAPHS.contains(&(traditional as u32)));
            assert_ne!(traditional, simplified);
            assert!(
                TRADITIONAL.iter().all(|&(_, s)| s != traditional),
                "{traditional} is also a simplified character"
            );
        }
    }

    #[test]
    fn the_bitset_agrees_with_the_table() {
        for c in IDEOGRAPHS.filter_map(char::from_u32) {
            let searched = TRADITIONAL
                .binary_search_by_key(&c, |&(t, _)| t)
                .map_or(c, |at| TRADITIONAL[at].1);
            assert_eq!(simplified(c), searched, "{c}");
        }
    }

    #[test]
    fn traditional_names_read_as_simplified() {
        let read = |s: &str| s.chars().map(simplified).collect::<String>();
        assert_eq!(read("深圳衛計委"), "深圳卫计委");
        assert_eq!(read("廣東發佈"), "广东发布");
        assert_eq!(read("深圳交警 ABC"), "深圳交警 ABC");
    }
}
