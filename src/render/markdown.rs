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

use std::collections::BTreeMap;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

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

/// `report.md` keeps tables in place of charts: marker lines are dropped,
/// together with the blank line that followed each.
pub(crate) fn strip_chart_markers(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut skip_blank = false;
    for line in markdown.split_inclusive('\n') {
        if marker_name(line).is_some() {
            skip_blank = true;
            continue;
        }
        if skip_blank && line.trim().is_empty() {
            continue;
        }
        skip_blank = false;
        out.push_str(line);
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
}

/// Renders the html-target Markdown, putting each chart where its marker is.
/// A marker naming no chart is dropped.
pub(crate) fn to_page(markdown: &str, charts: &BTreeMap<&str, String>) -> Page {
    let mut page = Page::default();
    let mut segment = String::new();
    for line in markdown.split_inclusive('\n') {
        let Some(name) = marker_name(line) else {
            segment.push_str(line);
            continue;
        };
        push_markdown(&mut page, &segment);
        segment.clear();
        if let Some(svg) = charts.get(name) {
            page.body.push_str("<figure class=\"chart\">\n");
            page.body.push_str(svg);
            page.body.push_str("\n</figure>\n");
        }
    }
    push_markdown(&mut page, &segment);
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
    push_markdown(&mut page, markdown);
    page.body
}

/// Appends one stretch of Markdown to the page, numbering its h2 and h3.
fn push_markdown(page: &mut Page, markdown: &str) {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .map(neutralise)
        .collect();
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
    html::push_html(&mut page.body, events.into_iter());
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
}
