//! Markdown to HTML for `report.html`.
//!
//! Data reaches the Markdown already escaped by the `md` filter; this is the
//! second line of defence, for templates that forget it. Raw HTML is shown as
//! text rather than passed through, and links whose scheme could run code
//! (`javascript:`, `vbscript:`, `data:`) lose their target.
//!
//! Charts are not pushed through Markdown. The template marks where each
//! goes with a line of its own holding only `<!--govwx:chart:NAME-->`, which
//! data cannot forge (the `md` filter escapes `<`). The Markdown between
//! markers is rendered on its own and the SVG drawn in Rust is put between.
//!
//! Captions work the same way: `{{ caption(title=…) }}` writes a line
//! `<!--govwx:caption:TITLE-->` (the title HTML-escaped) before a table or a
//! chart marker. Each page numbers its captioned charts (图1, 图2, …) and
//! tables (表1, …) in order, puts the caption in the `<figcaption>` or
//! `<caption>`, and follows each with its 数据来源 line; `report.md` gets the
//! table captions and source lines as paragraphs (its charts are dropped).

use std::collections::BTreeMap;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::filters::md_escape;

/// Start and end of a chart marker line; the chart's name goes between.
const MARKER: (&str, &str) = ("<!--govwx:chart:", "-->");

/// The marker line for chart `name`.
pub(crate) fn chart_marker(name: &str) -> String {
    format!("{}{name}{}", MARKER.0, MARKER.1)
}

/// The chart named by `line`, when the line is a chart marker.
fn marker_name(line: &str) -> Option<&str> {
    line.trim().strip_prefix(MARKER.0)?.strip_suffix(MARKER.1)
}

/// Start and end of a caption marker line; the title, HTML-escaped, goes
/// between.
const CAPTION: (&str, &str) = ("<!--govwx:caption:", "-->");

/// The marker line for a caption of the table or chart that follows. The
/// title is HTML-escaped, and control characters (line breaks) become
/// spaces, so it stays one line and can never close the comment early or
/// put markup on the page.
pub(crate) fn caption_marker(title: &str) -> String {
    let mut escaped = String::with_capacity(title.len() + CAPTION.0.len() + 3);
    escaped.push_str(CAPTION.0);
    for c in title.trim().chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '-' => escaped.push_str("&#45;"),
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped.push_str(CAPTION.1);
    escaped
}

/// The escaped title of a caption marker line.
fn caption_title(line: &str) -> Option<&str> {
    line.trim().strip_prefix(CAPTION.0)?.strip_suffix(CAPTION.1)
}

/// The plain text of an escaped caption title.
fn unescape(title: &str) -> String {
    title
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#45;", "-")
        .replace("&amp;", "&")
}

/// How one edition numbers and credits its charts and tables.
#[derive(Debug, Clone)]
pub(crate) struct Captions {
    /// `图`, `Figure `.
    pub figure: &'static str,
    /// `表`, `Table `.
    pub table: &'static str,
    /// Between the number and the title: a full-width space, `: `.
    pub gap: &'static str,
    /// The source line under each, as plain text (`数据来源：…`).
    pub source: String,
}

impl Captions {
    fn numbered(&self, word: &str, n: usize, title: &str) -> String {
        format!("{word}{n}{}{title}", self.gap)
    }
}

/// The line after `lines[i]` that is not blank.
fn next_filled<'a>(lines: &[&'a str], i: usize) -> Option<&'a str> {
    lines[i + 1..]
        .iter()
        .copied()
        .find(|l| !l.trim().is_empty())
}

/// `report.md` and the province pages' Markdown: chart marker lines are
/// dropped (each chart's table is in place), together with the blank line
/// that followed each and the caption before each; a table's caption
/// becomes its numbered title in bold (`**表1　…**`) and its source line
/// follows the table.
pub(crate) fn to_markdown(markdown: &str, captions: &Captions) -> String {
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len());
    let mut skip_blank = false;
    let mut tables = 0;
    let mut in_captioned_table = false;
    for (i, line) in lines.iter().enumerate() {
        if in_captioned_table && !line.trim_start().starts_with('|') {
            in_captioned_table = false;
            out.push_str(&format!("\n{}\n\n", md_escape(&captions.source)));
        }
        if marker_name(line).is_some() {
            skip_blank = true;
            continue;
        }
        if let Some(title) = caption_title(line) {
            let title = md_escape(&unescape(title));
            match next_filled(&lines, i) {
                Some(next) if marker_name(next).is_some() => {}
                Some(next) if next.trim_start().starts_with('|') => {
                    tables += 1;
                    let caption = captions.numbered(captions.table, tables, &title);
                    out.push_str(&format!("**{caption}**\n\n"));
                    in_captioned_table = true;
                }
                // Before neither: the title alone, so nothing is lost.
                _ => out.push_str(&format!("{title}\n\n")),
            }
            skip_blank = true;
            continue;
        }
        if skip_blank && line.trim().is_empty() {
            continue;
        }
        skip_blank = false;
        out.push_str(line);
    }
    if in_captioned_table {
        out.push_str(&format!("\n{}\n", md_escape(&captions.source)));
    }
    out
}

/// One entry of the page's table of contents.
#[derive(Debug, Serialize)]
pub(crate) struct TocEntry {
    /// The heading's `id`: `sec-1`, `sec-2`, … in document order.
    pub id: String,
    /// 2 or 3.
    pub level: u8,
    /// The heading as plain text (escaped by the layout).
    pub text: String,
}

/// The report as an HTML fragment, and its headings for a table of contents.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// Everything up to the first h2 or h3 (title and notices), so the
    /// table of contents can follow it.
    pub head: String,
    /// The rest of the report.
    pub body: String,
    pub toc: Vec<TocEntry>,
    /// Captioned charts and tables so far, for their numbers.
    figures: usize,
    tables: usize,
}

/// Renders the html-target Markdown, putting each chart where its marker is,
/// in a `<figure>` with its numbered caption and source line when a caption
/// marker comes before it. A marker naming no chart is dropped, with its
/// caption.
pub(crate) fn to_page(
    markdown: &str,
    charts: &BTreeMap<&str, String>,
    captions: &Captions,
) -> Page {
    let mut page = Page::default();
    let mut segment = String::new();
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut figure_title: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(title) = caption_title(line) {
            if next_filled(&lines, i).is_some_and(|next| marker_name(next).is_some()) {
                figure_title = Some(title);
                continue;
            }
        }
        let Some(name) = marker_name(line) else {
            segment.push_str(line);
            continue;
        };
        push_markdown(&mut page, &segment, captions);
        segment.clear();
        let title = figure_title.take();
        if let Some(svg) = charts.get(name) {
            page.body.push_str("<figure class=\"chart\">\n");
            if let Some(title) = title {
                page.figures += 1;
                let caption = captions.numbered(captions.figure, page.figures, title);
                page.body
                    .push_str(&format!("<figcaption>{caption}</figcaption>\n"));
            }
            page.body.push_str(svg);
            if title.is_some() {
                page.body.push_str(&format!(
                    "\n<p class=\"source\">{}</p>",
                    html_escape(&captions.source)
                ));
            }
            page.body.push_str("\n</figure>\n");
        }
    }
    push_markdown(&mut page, &segment, captions);
    if page.toc.is_empty() {
        page.head = std::mem::take(&mut page.body);
    } else if let Some(at) = ["h2", "h3"]
        .iter()
        .find_map(|h| page.body.find(&format!("<{h} id=\"{}\"", page.toc[0].id)))
    {
        page.head = page.body[..at].to_string();
        page.body.replace_range(..at, "");
    }
    page
}

/// Renders CommonMark with tables to an HTML fragment.
#[cfg(test)]
pub(crate) fn to_html(markdown: &str) -> String {
    let mut page = Page::default();
    push_markdown(&mut page, markdown, &test_captions());
    page.body
}

#[cfg(test)]
pub(crate) fn test_captions() -> Captions {
    Captions {
        figure: "图",
        table: "表",
        gap: "\u{3000}",
        source: "数据来源：<测试>".to_string(),
    }
}

/// `text` escaped for the page.
fn html_escape(text: &str) -> String {
    super::charts::xml(text)
}

/// Appends one stretch of Markdown to the page, numbering its h2 and h3 and
/// its captioned tables.
fn push_markdown(page: &mut Page, markdown: &str, captions: &Captions) {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut pending: Option<String> = None;
    let mut captioned_table = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            // Only a template writes `<!--govwx:`: the `md` filter escapes
            // every `<` of the data.
            Event::Html(ref raw) if caption_title(raw).is_some() => {
                pending = caption_title(raw).map(str::to_owned);
            }
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => events.push(event),
            Event::Start(Tag::Table(_)) => {
                events.push(event);
                if let Some(title) = pending.take() {
                    page.tables += 1;
                    let caption = captions.numbered(captions.table, page.tables, &title);
                    events.push(Event::Html(format!("<caption>{caption}</caption>").into()));
                    captioned_table = true;
                }
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                if std::mem::take(&mut captioned_table) {
                    let source = html_escape(&captions.source);
                    let line = format!("<p class=\"source\">{source}</p>\n");
                    events.push(Event::Html(line.into()));
                }
            }
            Event::Start(_) if pending.is_some() => {
                // A caption before neither a table nor a chart: its title as
                // a paragraph of its own, so nothing is lost.
                let title = pending.take().unwrap_or_default();
                events.push(Event::Html(format!("<p>{title}</p>\n").into()));
                events.push(neutralise(event));
            }
            other => events.push(neutralise(other)),
        }
    }
    if let Some(title) = pending.take() {
        events.push(Event::Html(format!("<p>{title}</p>\n").into()));
    }
    let mut open: Option<usize> = None;
    for event in &mut events {
        match event {
            Event::Start(Tag::Heading { level, id, .. })
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) =>
            {
                let anchor = format!("sec-{}", page.toc.len() + 1);
                *id = Some(CowStr::from(anchor.clone()));
                let depth = if *level == HeadingLevel::H2 { 2 } else { 3 };
                page.toc.push(TocEntry {
                    id: anchor,
                    level: depth,
                    text: String::new(),
                });
                open = Some(page.toc.len() - 1);
            }
            Event::End(TagEnd::Heading(_)) => open = None,
            Event::Text(text) | Event::Code(text) => {
                if let Some(i) = open {
                    page.toc[i].text.push_str(text);
                }
            }
            _ => {}
        }
    }
    let mut fragment = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut fragment, events.into_iter());
    // Header cells name their column for screen readers. Data never writes
    // `<th` (its `<` is escaped), so only the renderer's cells match.
    let fragment = fragment
        .replace("<th>", "<th scope=\"col\">")
        .replace("<th style=", "<th scope=\"col\" style=");
    page.body.push_str(&fragment);
}

/// Turns events that would put markup or script into the page into text.
fn neutralise(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// `url`, or `#` when its scheme can run code.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_scheme = url.contains(':');
    match scheme.as_str() {
        "javascript" | "vbscript" | "data" if has_scheme => CowStr::Borrowed("#"),
        _ => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_becomes_text() {
        let html = to_html("a <b>bold</b>\n\n<script>alert(1)</script>\n");
        assert_eq!(
            html,
            "<p>a &lt;b&gt;bold&lt;/b&gt;</p>\n&lt;script&gt;alert(1)&lt;/script&gt;\n"
        );
    }

    #[test]
    fn script_links_lose_their_target() {
        let html = to_html("[x](javascript:alert(1)) [y](https://example.org/)");
        assert_eq!(
            html,
            "<p><a href=\"#\">x</a> <a href=\"https://example.org/\">y</a></p>\n"
        );
    }

    #[test]
    fn tables_align_numbers_right() {
        let html = to_html("| 省份 | 账号数 |\n|---|---:|\n| 广东 | 6,139 |\n");
        assert!(
            html.contains("<td style=\"text-align: right\">6,139</td>"),
            "{html}"
        );
    }

    const HOSTILE: &str = "广东</caption><script>alert(1)</script> --> <!-- & \"x\"\n**bold**";

    #[test]
    fn captions_number_tables_and_charts_in_order() {
        let captions = test_captions();
        let md = format!(
            "{}\n| a | b |\n|---|---:|\n| x | 1 |\n\ntext\n\n{}\n{}\n\n{}\n| c |\n|---|\n| y |\n",
            caption_marker("各省账号数"),
            caption_marker("分布图"),
            chart_marker("levels"),
            caption_marker("第二张表"),
        );
        let charts = BTreeMap::from([("levels", "<svg></svg>".to_string())]);
        let page = to_page(&md, &charts, &captions);
        let html = page.head + &page.body;
        let expected = [
            "<table><caption>表1\u{3000}各省账号数</caption><thead><tr><th scope=\"col\">a</th><th scope=\"col\" style=\"text-align: right\">b</th>",
            "</table>\n<p class=\"source\">数据来源：&lt;测试&gt;</p>\n<p>text</p>",
            "<figure class=\"chart\">\n<figcaption>图1\u{3000}分布图</figcaption>\n<svg></svg>\n<p class=\"source\">数据来源：&lt;测试&gt;</p>\n</figure>",
            "<caption>表2\u{3000}第二张表</caption>",
        ];
        let mut from = 0;
        for part in expected {
            let at = html[from..]
                .find(part)
                .unwrap_or_else(|| panic!("missing {part:?} after byte {from} in\n{html}"));
            from += at + part.len();
        }
        assert!(!html.contains("govwx:"), "{html}");

        let md = to_markdown(&md, &captions);
        assert_eq!(
            md,
            "**表1\u{3000}各省账号数**\n\n| a | b |\n|---|---:|\n| x | 1 |\n\n数据来源：\\<测试\\>\n\n\ntext\n\n**表2\u{3000}第二张表**\n\n| c |\n|---|\n| y |\n\n数据来源：\\<测试\\>\n"
        );
    }

    #[test]
    fn a_caption_is_text_whatever_its_title() {
        let marker = caption_marker(HOSTILE);
        assert_eq!(marker.lines().count(), 1, "{marker}");
        assert_eq!(marker.matches("-->").count(), 1, "{marker}");
        let captions = test_captions();
        let md = format!("{marker}\n| a |\n|---|\n| 1 |\n");
        let page = to_page(&md, &BTreeMap::new(), &captions);
        let html = page.head + &page.body;
        assert!(
            html.contains("<caption>表1\u{3000}广东&lt;/caption&gt;&lt;script&gt;alert(1)&lt;/script&gt; &#45;&#45;&gt; &lt;!&#45;&#45; &amp; &quot;x&quot; **bold**</caption>"),
            "{html}"
        );
        let md = to_markdown(&md, &captions);
        assert!(
            md.starts_with("**表1\u{3000}广东\\</caption\\>\\<script\\>alert(1)\\</script\\> --\\> \\<\\!-- \\& \\\"x\\\" \\*\\*bold\\*\\***\n\n| a |"),
            "{md}"
        );
    }

    #[test]
    fn a_caption_before_neither_table_nor_chart_keeps_its_title() {
        let captions = test_captions();
        let md = format!("{}\n\nJust a paragraph.\n", caption_marker("孤立的标题"));
        let page = to_page(&md, &BTreeMap::new(), &captions);
        let html = page.head + &page.body;
        assert_eq!(html, "<p>孤立的标题</p>\n<p>Just a paragraph.</p>\n");
        assert_eq!(
            to_markdown(&md, &captions),
            "孤立的标题\n\nJust a paragraph.\n"
        );
        // A chart the page does not draw takes its caption with it.
        let md = format!(
            "{}\n{}\n",
            caption_marker("没有的图"),
            chart_marker("trend")
        );
        let page = to_page(&md, &BTreeMap::new(), &captions);
        assert_eq!(page.head + &page.body, "");
    }
}
