//! A user's template whose macro calls itself would recurse until the
//! stack overflows, which aborts the process: it is refused when the
//! templates are loaded, naming the template and the macro. (A file of its
//! own: before the check, this test aborted the whole test binary.)

mod common;

#[test]
fn a_recursive_macro_is_a_usage_error_not_an_abort() {
    let dir = tempfile::tempdir().expect("tempdir");
    let templates = dir.path().join("templates");
    govwx::fs::write(
        &templates.join("report.md.tera"),
        "{% import \"helpers.tera\" as h %}{{ h::ping(n=1) }}\n",
    )
    .expect("write");
    govwx::fs::write(
        &templates.join("helpers.tera"),
        "{% macro ping(n) %}{{ self::pong(n=n) }}{% endmacro ping %}\
         {% macro pong(n) %}{{ self::ping(n=n) }}{% endmacro pong %}",
    )
    .expect("write");
    let input = dir.path().join("input");
    govwx::fs::write(
        &input.join("2014/registry.csv"),
        "名称,原始ID,省份,粉丝数\n平安深圳,gh_000000000001,广东,1000\n",
    )
    .expect("write");
    let mut options = common::options(&input, &dir.path().join("output"));
    options.templates = Some(templates);
    let error = govwx::run(&options).expect_err("a recursive macro is refused");
    let message = format!("{error:#}");
    assert!(
        message.contains("helpers.tera") && message.contains("ping"),
        "{message}"
    );
    assert!(!dir.path().join("output").exists(), "nothing is published");
}
