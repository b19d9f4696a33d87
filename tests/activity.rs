//! Activity files: rows matched by id or by a unique name, the rest rejected
//! with a reason; account and domain activity as docs/CONTRACT.md §5 defines them.

mod common;

use std::path::Path;

fn write(root: &Path, path: &str, text: &str) {
    govwx::fs::write(&root.join(path), text).expect("write fixture");
}

const REGISTRY: &str = "\
名称,原始ID,省份,粉丝数,认证主体
平安深圳,gh_000000000001,广东,1000,深圳市公安局
广州交警,gh_000000000002,广东,2000,广州市公安局交通警察支队
平安杭州,gh_000000000003,浙江,0,杭州市公安局
健康深圳,gh_000000000004,广东,500,深圳市卫生和计划生育委员会
城区发布,gh_000000000005,广东,100,汕尾市城区人民政府新闻办公室
城区发布,gh_000000000006,山西,100,大同市城区人民政府新闻办公室
健康广州,gh_000000000007,广东,400,广州市卫生和计划生育委员会
";

const ACTIVITY: &str = "\
2014年第四季度阅读统计
原始ID,公众号名称,统计月份,发文数,阅读数,点赞数
gh_000000000001,,2014-10,10,500,5
gh_000000000001,,2014年11月,10,1500,5
,【广州交警】官方微信,201410,3,10万+,1
gh_000000000003,,2014-10,1,50,0
,健康深圳,2014-12,1,0,0
,城区发布,2014-12,1,10,0
,无此账号,2014-12,1,10,0
gh_000000000001,,2014-13,1,10,0
gh_000000000001,,2014-12,1,很多,0
合计,,,,,
";

#[test]
fn rows_are_matched_by_id_or_unique_name_and_measured() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "input/2014/registry.csv", REGISTRY);
    write(dir.path(), "input/2014/activity/q4.csv", ACTIVITY);
    let output = common::run(&dir.path().join("input"), dir.path());
    let m = common::json(&output.join("metrics.json"));
    let a = &m["activity"];
    assert_eq!(
        a["rows_matched"],
        4 + 1,
        "four by id or unique name, plus the dormant one"
    );
    assert_eq!(
        a["months"],
        serde_json::json!(["2014-10", "2014-11", "2014-12"])
    );
    // 平安深圳: (0.5 + 1.5) / 2 = 1.0; 广州交警: 100001 / 2000; 健康深圳: 0 (dormant).
    assert_eq!(a["accounts_with_activity"], 3);
    assert_eq!(
        a["accounts_without_followers"], 1,
        "平安杭州 has 0 followers"
    );
    assert_eq!(a["accounts_without_rows"], 3, "two 城区发布 and 健康广州");
    assert_eq!(a["dormant"], 1);
    let domain = |slug: &str| {
        m["domains"]
            .as_array()
            .expect("domains")
            .iter()
            .find(|d| d["domain"] == slug)
            .expect("domain")
            .clone()
    };
    assert_eq!(
        domain("police")["activity"].as_f64(),
        Some((1.0 + 100_001.0 / 2000.0) / 2.0)
    );
    assert_eq!(
        domain("health")["activity"].as_f64(),
        Some(0.0),
        "健康广州 has no rows, so only 0 counts"
    );
    let rejects = common::csv_rows(&output.join("quality/rejects.csv"));
    let reasons: Vec<(&str, &str)> = rejects
        .iter()
        .map(|r| (r["line"].as_str(), r["reason"].as_str()))
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons[0].0 == "8" && reasons[0].1.contains("several accounts"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].0 == "9" && reasons[1].1.contains("无此账号"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].0 == "10" && reasons[2].1.starts_with("month:"),
        "{reasons:?}"
    );
    assert!(
        reasons[3].0 == "11" && reasons[3].1.starts_with("reads:"),
        "{reasons:?}"
    );
    let manifest = common::json(&output.join("manifest.json"));
    let file = manifest["periods"][0]["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == "2014/activity/q4.csv")
        .expect("activity file listed")
        .clone();
    assert_eq!(
        (file["kind"].as_str(), file["records_read"].as_u64()),
        (Some("activity"), Some(10))
    );
    assert_eq!(
        (
            file["records_accepted"].as_u64(),
            file["records_rejected"].as_u64()
        ),
        (Some(5), Some(4))
    );
    assert_eq!(file["totals_lines"], 1);
}
