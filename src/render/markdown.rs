//! Markdown to HTML for `report.html`.
//!
//! Data reaches the Markdown already escaped by the `md` filter; this is the
//! second line of defence, for templates that forget it. Raw HTML is shown as
//! text rather than passed through, and links whose scheme could run code
//! (`javascript:`, `vbscript:`, `data:`) lose their target.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// Renders CommonMark with tables to an HTML fragment.
pub(crate) fn to_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(neutralise);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
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
