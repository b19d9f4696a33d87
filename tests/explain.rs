//! `govwx explain` answers for any account of the sample: every record of
//! the account is listed with its place, and every field with its source.

mod common;

use govwx::config::Settings;

#[test]
fn every_sampled_account_is_explained_with_all_its_records() {
    let settings = Settings::builtin();
    let input = govwx::ingest::discover(&common::repo("input"), "current").expect("input");
    let period = input.periods.last().expect("a period");
    let data =
        govwx::period::process_period(period, &settings, &|| {}, govwx::period::Keep::Records)
            .expect("the period reads");
    let mut explained = 0;
    for account in data.linked.accounts.iter().step_by(997) {
        let text =
            govwx::explain::explain(&data, &settings, &account.key.to_string()).expect("explained");
        assert!(
            text.contains(&format!("account {} — ", account.key)),
            "{text}"
        );
        for &index in data.linked.records_of(account) {
            let record = &data.records[index as usize];
            let place = format!(
                "{}:{}",
                data.files[record.origin.file as usize].path, record.origin.line
            );
            assert!(text.contains(&place), "{place} missing from:\n{text}");
        }
        for field in ["province", "level", "domain", "followers"] {
            assert!(
                text.contains(&format!("    {field}")),
                "{field} missing from:\n{text}"
            );
        }
        explained += 1;
    }
    assert!(explained > 40);
}

#[test]
fn names_find_accounts_and_unknown_queries_say_what_to_try() {
    let settings = Settings::builtin();
    let input = govwx::ingest::discover(&common::repo("input"), "current").expect("input");
    let data = govwx::period::process_period(
        input.periods.last().expect("period"),
        &settings,
        &|| {},
        govwx::period::Keep::Records,
    )
    .expect("read");
    let text = govwx::explain::explain(&data, &settings, "【永嘉县公安局特警大队】")
        .expect("found by name");
    assert!(text.contains("linked by match_name"), "{text}");
    assert!(text.contains("2014/provinces/zhejiang.csv:970"), "{text}");
    let error = govwx::explain::explain(&data, &settings, "不存在的账号名称").unwrap_err();
    assert!(format!("{error}").contains("try an original id"), "{error}");
}
