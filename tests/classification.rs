//! Level and province where no column gives them: central bodies from the
//! central list, counties named without their city, and the clue that
//! decided each, as `quality/accounts.csv` shows them.

mod common;

use std::collections::BTreeMap;

/// Runs a period `2014` holding one registry and returns each account's
/// row of `quality/accounts.csv`, by name.
fn accounts(registry: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input");
    govwx::fs::write(&input.join("2014/registry.csv"), registry).expect("write fixture");
    let output = common::run(&input, dir.path());
    common::csv_rows(&output.join("quality/accounts.csv"))
        .into_iter()
        .map(|row| (row["name"].clone(), row))
        .collect()
}

#[test]
fn central_bodies_are_central_with_no_province_and_provincial_ones_stay_provincial() {
    let rows = accounts(
        "名称,原始ID,省份,认证主体\n\
         最高人民法院服务,gh_000000000001,北京,最高人民法院\n\
         最高检发布,gh_000000000002,,\n\
         团中央青年之声,gh_000000000003,,\n\
         广东检察,gh_000000000004,,广东省人民检察院\n\
         公安部门服务,gh_000000000005,,\n\
         深圳交警,gh_000000000006,广东,深圳市公安局交通警察支队\n",
    );
    let level = |name: &str| {
        (
            rows[name]["level"].as_str(),
            rows[name]["province"].as_str(),
        )
    };
    // The list wins over a province column that names the body's seat.
    assert_eq!(level("最高人民法院服务"), ("central", ""));
    assert_eq!(
        rows["最高人民法院服务"]["level_clue"],
        "最高人民法院 → central list"
    );
    assert_eq!(level("最高检发布"), ("central", ""));
    assert_eq!(rows["最高检发布"]["level_basis"], "name");
    assert_eq!(level("团中央青年之声"), ("central", ""));
    assert_eq!(level("广东检察"), ("provincial", "广东"));
    assert_eq!(rows["广东检察"]["level_clue"], "广东省 → division tables");
    // A department of any level is not a ministry.
    assert_eq!(level("公安部门服务").0, "unknown");
    assert_eq!(level("深圳交警"), ("municipal", "广东"));
    assert_eq!(rows["深圳交警"]["domain_clue"], "公安 → keyword of police");
}

#[test]
fn counties_named_alone_are_read_within_the_province() {
    let rows = accounts(
        "名称,原始ID,省份,认证主体\n\
         朝阳法院,gh_000000000001,北京,朝阳区人民法院\n\
         鼓楼公积金,gh_000000000002,江苏,鼓楼区住房公积金管理中心\n\
         普陀招生,gh_000000000003,,普陀区招生考试院\n\
         城区检察,gh_000000000004,广东,城区人民检察院\n\
         城区交警,gh_000000000005,,城区交警大队\n\
         罗湖法院,gh_000000000006,,罗湖区人民法院\n",
    );
    let placed = |name: &str| {
        (
            rows[name]["level"].as_str(),
            rows[name]["province"].as_str(),
        )
    };
    // One 朝阳区 in Beijing: the county, and the clue names it.
    assert_eq!(placed("朝阳法院"), ("county", "北京"));
    assert_eq!(
        rows["朝阳法院"]["level_clue"],
        "朝阳区 (北京) → division tables"
    );
    // Two 鼓楼区 in Jiangsu: a county all the same.
    assert_eq!(placed("鼓楼公积金"), ("county", "江苏"));
    // 普陀区 is in Shanghai and in Zhejiang: a county, in no province.
    assert_eq!(placed("普陀招生"), ("county", ""));
    // 城区 names Guangdong's 汕尾市城区 only where the province is known.
    assert_eq!(placed("城区检察"), ("county", "广东"));
    assert_eq!(placed("城区交警").0, "unknown");
    // A county name unique nationally places the record by itself.
    assert_eq!(placed("罗湖法院"), ("county", "广东"));
}

#[test]
fn a_county_short_name_says_where_to_look_for_an_unplaced_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input");
    let write = |path: &str, text: &str| {
        govwx::fs::write(&input.join(path), text).expect("write fixture");
    };
    write(
        "2014/platform.csv",
        "名称,原始ID,省份,认证主体\n\
         丰顺刑警,gh_000000000001,广东,梅州市丰顺县公安局刑事侦查大队\n\
         鼓楼公积金,gh_000000000002,江苏,鼓楼区住房公积金管理中心\n",
    );
    // A list with no province column: 丰顺 (丰顺县) is only in Guangdong,
    // where an account of that name is; 黄浦 is in Shanghai, which has no
    // such account; 鼓楼 is a district in several provinces.
    write(
        "2014/thirdparty.csv",
        "公众号名称,粉丝数\n丰顺刑警,100\n黄浦人民医院,200\n鼓楼公积金,300\n",
    );
    let output = common::run(&input, dir.path());
    let accounts = common::csv_rows(&output.join("quality/accounts.csv"));
    let by_name = |name: &str| {
        accounts
            .iter()
            .filter(|a| a["name"] == name)
            .map(|a| (a["records"].as_str(), a["province"].as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(by_name("丰顺刑警"), [("2", "广东")]);
    assert_eq!(by_name("黄浦人民医院"), [("1", "")]);
    let mut gulou = by_name("鼓楼公积金");
    gulou.sort();
    assert_eq!(gulou, [("1", ""), ("1", "江苏")]);
    let rules: Vec<String> = common::csv_rows(&output.join("quality/clusters.csv"))
        .into_iter()
        .map(|r| r["rule"].clone())
        .collect();
    assert!(rules.iter().any(|r| r == "place_hint"), "{rules:?}");
}
