//! The report as people see it: the bundled sample's report.md as a reviewed
//! snapshot, byte-identical output whatever the thread count, the date from
//! `SOURCE_DATE_EPOCH`, hostile data kept as text, templates overridden by
//! file and by block, and screenshots in a real browser when one is here.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const HOSTILE: [&str; 5] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "| pipes |",
    "{{ tera }}",
];

/// Runs the `govwx` binary with a clean environment for the variables that
/// change output, plus `env`; returns the output folder.
fn run_binary(input: &Path, dir: &Path, env: &[(&str, &str)], extra: &[&str]) -> PathBuf {
    let output = dir.join("output");
    let mut command = Command::new(env!("CARGO_BIN_EXE_govwx"));
    command
        .args(["--quiet", "run", "--input"])
        .arg(input)
        .arg("--output")
        .arg(&output)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RAYON_NUM_THREADS");
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command.status().expect("govwx runs");
    assert!(status.success(), "govwx run failed: {status}");
    output
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn sample_report_md_is_the_reviewed_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_binary(&common::repo("input"), dir.path(), &[], &[]);
    let md = read(&output.join("report.md"));
    assert!(!md.contains("<svg"), "report.md must carry tables, not SVG");
    insta::assert_snapshot!("sample_report_md", md);
}

#[test]
fn sample_report_en_md_is_the_reviewed_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_binary(&common::repo("input"), dir.path(), &[], &[]);
    let md = read(&output.join("report.en.md"));
    assert!(
        !md.contains("<svg"),
        "report.en.md must carry tables, not SVG"
    );
    insta::assert_snapshot!("sample_report_en_md", md);
}

#[test]
fn output_is_byte_identical_with_one_thread_or_two() {
    let input = common::repo("input");
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let a = run_binary(&input, one.path(), &[("RAYON_NUM_THREADS", "1")], &[]);
    let b = run_binary(&input, two.path(), &[("RAYON_NUM_THREADS", "2")], &[]);
    let (a, b) = (common::tree(&a), common::tree(&b));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "`{path}` differs between 1 and 2 threads"
        );
    }
    for page in [
        "report.html",
        "report.en.html",
        "provinces/index.html",
        "provinces/44.html",
        "provinces/central.html",
        "tables/matrix.csv",
    ] {
        assert!(a.contains_key(page), "{page}");
    }
}

/// The relative links of a page: `href="…"` in HTML, `](…)` in Markdown.
fn links(path: &str, text: &str) -> Vec<String> {
    let (open, close) = if path.ends_with(".html") {
        ("href=\"", '"')
    } else {
        ("](", ')')
    };
    text.split(open)
        .skip(1)
        .map(|rest| rest[..rest.find(close).expect("a closing mark")].to_owned())
        .filter(|target| !target.starts_with('#'))
        .collect()
}

#[test]
fn every_page_links_only_to_files_of_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_binary(&common::repo("input"), dir.path(), &[], &[]);
    let tree = common::tree(&output);
    let pages: Vec<&String> = tree
        .keys()
        .filter(|p| p.ends_with(".html") || p.ends_with(".md"))
        .collect();
    // Both editions, the index, 31 provinces and the central accounts.
    assert_eq!(
        pages.iter().filter(|p| p.starts_with("provinces/")).count(),
        2 * 33
    );
    for page in pages {
        let text = String::from_utf8(tree[page].clone()).unwrap();
        let folder = Path::new(page).parent().unwrap();
        let found = links(page, &text);
        assert!(!found.is_empty(), "{page} links nowhere");
        for target in found {
            assert!(!target.contains(':'), "{page} links out: {target}");
            let mut resolved = folder.to_path_buf();
            for part in target.split('/') {
                match part {
                    ".." => assert!(resolved.pop(), "{page}: {target} leaves the output"),
                    part => resolved.push(part),
                }
            }
            let resolved = resolved.to_str().unwrap().replace('\\', "/");
            assert!(
                tree.contains_key(&resolved),
                "{page} links to missing {target}"
            );
        }
    }
    // Each edition links to the other.
    assert!(read(&output.join("report.html")).contains("href=\"report.en.html\""));
    assert!(read(&output.join("report.en.html")).contains("href=\"report.html\""));
    assert!(read(&output.join("report.md")).contains("](provinces/44.md)"));
}

#[test]
fn three_periods_give_a_trend_section_and_a_series() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    let sample = common::repo("input");
    for (path, bytes) in common::tree(&sample) {
        let mut targets = vec![path.clone()];
        if let Some(rest) = path.strip_prefix("2013/") {
            targets.push(format!("2012/{rest}"));
        }
        for target in targets {
            let at = input.join(&target);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(at, &bytes).unwrap();
        }
    }
    let output = run_binary(&input, dir.path(), &[], &[]);
    let metrics = common::json(&output.join("metrics.json"));
    let series = metrics["series"].as_array().unwrap();
    let periods: Vec<&str> = series
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2012", "2013", "2014"]);
    // 2012 is a copy of 2013: the same accounts, then no growth.
    assert_eq!(series[0]["accounts"], series[1]["accounts"]);
    assert_eq!(series[1]["growth"], 0.0);
    assert_eq!(series[2]["accounts"], metrics["totals"]["accounts"]);
    assert_eq!(series[2]["growth"], metrics["totals"]["yoy_growth"]);
    let md = read(&output.join("report.md"));
    assert!(md.contains("### 历年趋势"), "{md}");
    assert!(md.contains("| 2012年 | 26,900 | — |"), "{md}");
    assert!(read(&output.join("report.html")).contains("id=\"chart-trend\""));
    // The bundled two periods: the growth only, no trend section.
    let two = run_binary(&sample, &dir.path().join("two"), &[], &[]);
    assert!(!read(&two.join("report.md")).contains("历年趋势"));
    assert_eq!(
        common::json(&two.join("metrics.json"))["series"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn source_date_epoch_is_the_generation_date() {
    let input = common::repo("tests/fixtures/ingest/clean");
    let dated = tempfile::tempdir().unwrap();
    let out = run_binary(
        &input,
        dated.path(),
        &[("SOURCE_DATE_EPOCH", "1429488000")],
        &[],
    );
    assert!(read(&out.join("report.md")).contains("生成日期：2015-04-20"));
    assert!(read(&out.join("report.html")).contains("生成日期：2015-04-20"));
    assert!(read(&out.join("report.en.md")).contains("; generated on 2015-04-20."));
    assert!(read(&out.join("report.en.html")).contains("; generated on 2015-04-20."));
    let undated = tempfile::tempdir().unwrap();
    let out = run_binary(&input, undated.path(), &[], &[]);
    assert!(!read(&out.join("report.md")).contains("生成日期"));
}

/// A one-period input whose dataset title, description and account names
/// are hostile.
fn hostile_input(dir: &Path) -> PathBuf {
    let input = dir.join("input");
    std::fs::create_dir_all(input.join("2014")).unwrap();
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let dataset = format!(
        "title = \"{0}\"\ndescription = \"{1}\"\ntitle_en = \"{0}\"\ndescription_en = \"{1}\"\n",
        quote(HOSTILE[0]),
        quote(&HOSTILE[1..].join(" / "))
    );
    std::fs::write(input.join("dataset.toml"), dataset).unwrap();
    let mut csv = String::from("账号名称,原始ID,省份,账号类型,粉丝数\n");
    for (i, name) in HOSTILE.iter().enumerate() {
        csv.push_str(&format!(
            "\"{}\",gh_00000000000{i},广东,订阅号,{}\n",
            name.replace('"', "\"\""),
            1000 * (i + 1)
        ));
    }
    std::fs::write(input.join("2014/registry.csv"), csv).unwrap();
    input
}

#[test]
fn hostile_text_stays_text_in_markdown_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_binary(&hostile_input(dir.path()), dir.path(), &[], &[]);
    let md = read(&output.join("report.md"));
    for escaped in [
        "# \\<script\\>alert(1)\\</script\\>\n",
        "\\<img src=x onerror=alert(1)\\>",
        "\\[x\\](javascript:alert(1))",
        "\\| pipes \\|",
        "\\{\\{ tera \\}\\}",
    ] {
        assert!(md.contains(escaped), "missing {escaped:?} in\n{md}");
    }
    let html = read(&output.join("report.html"));
    for shown in [
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
        "&lt;img src=x onerror=alert(1)&gt;",
        "[x](javascript:alert(1))",
        "| pipes |",
        "{{ tera }}",
    ] {
        assert!(html.contains(shown), "missing {shown:?} in\n{html}");
    }
    for absent in ["<script", "<img", "href=\"javascript"] {
        assert!(!html.contains(absent), "{absent:?} in\n{html}");
    }
    // Every other page: the English edition and the province pages, where
    // the names reach the leading-accounts tables.
    for page in [
        "report.en.html",
        "provinces/index.html",
        "provinces/44.html",
    ] {
        let html = read(&output.join(page));
        for absent in ["<script", "<img", "href=\"javascript"] {
            assert!(!html.contains(absent), "{absent:?} in {page}:\n{html}");
        }
    }
    let province = read(&output.join("provinces/44.html"));
    for shown in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "{{ tera }}",
        "| pipes |",
    ] {
        assert!(province.contains(shown), "missing {shown:?} in\n{province}");
    }
    let english = read(&output.join("report.en.md"));
    assert!(
        english.contains("\\<img src=x onerror=alert(1)\\>"),
        "{english}"
    );
    // The English edition, from the English title and description.
    let md = read(&output.join("report.en.md"));
    for escaped in [
        "# \\<script\\>alert(1)\\</script\\>\n",
        "\\<img src=x onerror=alert(1)\\>",
        "\\[x\\](javascript:alert(1))",
        "\\| pipes \\|",
        "\\{\\{ tera \\}\\}",
    ] {
        assert!(md.contains(escaped), "missing {escaped:?} in\n{md}");
    }
    assert!(
        !md.contains("<script>") && !md.contains("alert(1)>"),
        "{md}"
    );
    let html = read(&output.join("report.en.html"));
    for shown in [
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
        "&lt;img src=x onerror=alert(1)&gt;",
        "[x](javascript:alert(1))",
        "| pipes |",
        "{{ tera }}",
    ] {
        assert!(html.contains(shown), "missing {shown:?} in\n{html}");
    }
    for absent in ["<script", "<img", "href=\"javascript"] {
        assert!(!html.contains(absent), "{absent:?} in\n{html}");
    }
}

#[test]
fn a_custom_template_replaces_one_block() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("report.md.tera"),
        "{% extends \"builtin/report.md.tera\" %}\n\
         {% block total %}\n## 一、总量（本省版）\n\n共{{ totals.accounts | count }}个账号。\n{% endblock total %}\n",
    )
    .unwrap();
    std::fs::write(
        templates.join("report.en.md.tera"),
        "{% extends \"builtin/report.en.md.tera\" %}\n\
         {% block total %}\n## 1. Total (provincial edition)\n\n{{ totals.accounts | count }} accounts.\n{% endblock total %}\n",
    )
    .unwrap();
    std::fs::write(
        templates.join("layout.html.tera"),
        "{% extends \"builtin/layout.html.tera\" %}{% block toc %}<p>自定义目录</p>{% endblock toc %}",
    )
    .unwrap();
    let input = common::repo("tests/fixtures/ingest/clean");
    let templates_arg = templates.to_str().unwrap();
    let out = run_binary(&input, dir.path(), &[], &["--templates", templates_arg]);
    let md = read(&out.join("report.md"));
    assert!(md.contains("## 一、总量（本省版）\n\n共"), "{md}");
    assert!(!md.contains("全国政务微信总量达"), "{md}");
    assert!(
        md.contains("## 二、地域分布"),
        "other blocks stay built in:\n{md}"
    );
    let html = read(&out.join("report.html"));
    assert!(html.contains("<p>自定义目录</p>") && !html.contains("<nav class=\"toc\""));
    assert!(html.contains("<svg id=\"chart-provinces\""), "charts stay");
    let en = read(&out.join("report.en.md"));
    assert!(en.contains("## 1. Total (provincial edition)\n\n"), "{en}");
    assert!(
        !en.contains("government WeChat accounts nationwide"),
        "{en}"
    );
    assert!(
        en.contains("## 2. Geographical distribution"),
        "other blocks stay built in:\n{en}"
    );
    let html = read(&out.join("report.en.html"));
    assert!(
        html.contains("<h2 id=\"sec-1\">1. Total (provincial edition)</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<p>自定义目录</p>"),
        "the layout serves both editions"
    );
}

/// PNG width and height from the IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is no PNG",
        path.display()
    );
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

/// Ignored by default, so a machine without a browser reports it as
/// ignored rather than passed; `.ci/run` runs it (`--ignored`) whenever
/// Chromium is installed, and then a missing screenshot fails.
#[test]
#[ignore = "needs Chromium and fonts-noto-cjk: cargo test --test report -- --ignored"]
fn screenshots_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_binary(&common::repo("input"), dir.path(), &[], &[]);
    // Both editions, a province page and the index of the pages.
    for page in [
        "report.html",
        "report.en.html",
        "provinces/44.html",
        "provinces/index.html",
    ] {
        let shots = dir.path().join("shots").join(page.replace('/', "-"));
        let status = Command::new(common::repo("scripts/screenshot.sh"))
            .arg(output.join(page))
            .arg(&shots)
            .env("DESKTOP_SIZE", "1280,2000")
            .env("PHONE_SIZE", "390,2000")
            .status()
            .expect("the screenshot script runs");
        assert_ne!(
            status.code(),
            Some(77),
            "no chromium: install chromium and fonts-noto-cjk, or do not pass --ignored"
        );
        assert!(
            status.success(),
            "screenshot script failed on {page}: {status}"
        );
        assert_eq!(png_size(&shots.join("desktop.png")), (1280, 2000), "{page}");
        assert_eq!(png_size(&shots.join("phone.png")), (390, 2000), "{page}");
    }
}

/// What the page measures in a 390 px wide Chromium: the viewport's width,
/// the page's scroll width, the elements whose box leaves the viewport, and
/// the chart texts that leave their SVG (and so are cut off).
#[derive(Debug, serde::Deserialize)]
struct PhoneLayout {
    viewport: f64,
    scroll_width: f64,
    outside: Vec<String>,
    clipped: Vec<String>,
    charts: usize,
    /// Texts below WCAG AA contrast against their background.
    low_contrast: Vec<String>,
}

/// Loads `page` in a 390 × 2000 px frame of headless Chromium (whose window
/// is never narrower than 500 px) with a measuring script added (in a copy,
/// with the page's no-script policy removed); the frame posts the
/// measurements to the wrapping page, whose dumped DOM holds them.
fn measure_on_a_phone(page: &Path) -> PhoneLayout {
    const PROBE: &str = r#"<script>
const vw = document.documentElement.clientWidth;
const describe = (el, r) => `${el.tagName.toLowerCase()} ${Math.round(r.left)}..${Math.round(r.right)} "${(el.textContent || '').trim().slice(0, 30)}"`;
const outside = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  if (r.left < -0.5 || r.right > vw + 0.5) outside.push(describe(el, r));
}
// Text can run out of a box that fits (a long unbreakable line).
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node; (node = walker.nextNode()); ) {
  const range = document.createRange();
  range.selectNodeContents(node);
  const r = range.getBoundingClientRect();
  if (r.width > 0 && (r.left < -0.5 || r.right > vw + 0.5)) outside.push(describe(node.parentElement, r));
}
const clipped = [];
const charts = document.querySelectorAll('figure.chart svg');
for (const svg of charts) {
  const box = svg.getBoundingClientRect();
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) clipped.push(describe(t, r));
  }
}
// WCAG 2 contrast of each text outside the charts (whose colours the
// chart tests check) against the first opaque background behind it.
const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const low_contrast = [];
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('svg') || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
  const style = getComputedStyle(el);
  let bg = null;
  for (let at = el; at && !bg; at = at.parentElement) {
    const c = rgb(getComputedStyle(at).backgroundColor);
    if (c.length === 3 || c[3] === 1) bg = c.slice(0, 3);
  }
  bg = bg || [255, 255, 255];
  const [a, b] = [lum(rgb(style.color).slice(0, 3)), lum(bg)].sort((x, y) => y - x);
  const ratio = (a + 0.05) / (b + 0.05);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
  const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < needed) low_contrast.push(`${describe(el, el.getBoundingClientRect())} ${style.color} on rgb(${bg}) ${ratio.toFixed(2)}`);
}
parent.postMessage(JSON.stringify({viewport: vw, scroll_width: document.documentElement.scrollWidth, outside, clipped, charts: charts.length, low_contrast}), '*');
</script>"#;
    const FRAME: &str = r#"<!DOCTYPE html><html><body style="margin:0"><iframe src="PAGE" style="width:390px;height:2000px;border:0;display:block"></iframe><script>addEventListener('message', e => document.body.setAttribute('data-layout', e.data));</script></body></html>"#;
    let html = read(page);
    let csp_start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("the page has its policy");
    let csp_end = csp_start + html[csp_start..].find('>').unwrap() + 1;
    let probed = format!("{}{}", &html[..csp_start], &html[csp_end..])
        .replace("</body>", &format!("{PROBE}\n</body>"));
    // Beside the page, so its relative links stay as they are.
    let copy = page.with_extension("probe.html");
    std::fs::write(&copy, probed).unwrap();
    let frame = page.with_extension("frame.html");
    let copy_name = copy.file_name().unwrap().to_str().unwrap();
    std::fs::write(&frame, FRAME.replace("PAGE", copy_name)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let browser = govwx::pdf::find_chromium(
        std::env::var_os("CHROMIUM").as_deref(),
        std::env::var_os("PATH").as_deref(),
    )
    .unwrap_or_else(|e| panic!("{}; or do not pass --ignored", e.0));
    let out = Command::new(browser)
        .args(govwx::pdf::HEADLESS_FLAGS)
        .args([
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--window-size=390,2000",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", frame.display()))
        .output()
        .expect("chromium runs");
    std::fs::remove_file(&copy).unwrap();
    std::fs::remove_file(&frame).unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom
        .find("data-layout=\"")
        .unwrap_or_else(|| panic!("no measurements in the DOM of {page:?}: {dom:.500}"))
        + "data-layout=\"".len();
    let end = start + dom[start..].find('"').unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
#[ignore = "needs chromium and fonts-noto-cjk; .ci/run passes --ignored where they are"]
fn every_page_fits_a_phone_and_its_text_is_legible() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_binary(&common::repo("input"), dir.path(), &[], &[]);
    for (page, charts) in [
        ("report.html", 7),
        ("report.en.html", 7),
        ("provinces/44.html", 0),
        ("provinces/index.html", 0),
    ] {
        let layout = measure_on_a_phone(&output.join(page));
        assert_eq!(layout.viewport, 390.0, "{page}: {layout:?}");
        assert!(
            layout.scroll_width <= layout.viewport,
            "{page} scrolls sideways: {layout:?}"
        );
        assert!(
            layout.outside.is_empty(),
            "{page}: elements wider than the phone: {:#?}",
            layout.outside
        );
        assert!(
            layout.clipped.is_empty(),
            "{page}: chart texts cut off: {:#?}",
            layout.clipped
        );
        assert!(layout.charts >= charts, "{page}: {layout:?}");
        assert!(
            layout.low_contrast.is_empty(),
            "{page}: text below WCAG AA contrast: {:#?}",
            layout.low_contrast
        );
    }
}
