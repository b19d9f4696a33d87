//! Edits of the PDF the browser printed, made in place.
//!
//! Chromium's PDF carries two things that depend on where and when it was
//! printed rather than on the report: the clock in its dates, and the
//! staging folder in its links to the other files of the output. The dates
//! are overwritten at the same length; the links are shortened, and the
//! byte offsets of the cross-reference table moved to match. Nothing else
//! of the file is parsed or written again.

/// `SOURCE_DATE_EPOCH` as a PDF date in UTC, `D:YYYYMMDDHHmmSS+00'00'`,
/// the form Chromium (Skia) writes.
pub(super) fn pdf_date(source_date_epoch: &str) -> Option<String> {
    let seconds: i64 = source_date_epoch.trim().parse().ok()?;
    let day = crate::normalize::Date::from_days(seconds.div_euclid(86_400))?;
    let of_day = seconds.rem_euclid(86_400);
    let date = day.to_string().replace('-', "");
    Some(format!(
        "D:{date}{:02}{:02}{:02}+00'00'",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    ))
}

/// Chromium ignores `SOURCE_DATE_EPOCH` and dates the PDF (`/CreationDate`
/// and `/ModDate` of its info dictionary) with the clock. Those dates are
/// set to `date`, only where the old one has the same length; a date of
/// another form is left as the browser wrote it. Whether anything changed.
pub(super) fn set_dates(pdf: &mut [u8], date: &str) -> bool {
    let mut changed = false;
    for key in [&b"/CreationDate ("[..], &b"/ModDate ("[..]] {
        let Some(at) = find(pdf, key, 0) else {
            continue;
        };
        let start = at + key.len();
        let Some(length) = pdf[start..].iter().position(|&b| b == b')') else {
            continue;
        };
        let old = &mut pdf[start..start + length];
        if old.len() == date.len() && old.starts_with(b"D:") && old != date.as_bytes() {
            old.copy_from_slice(date.as_bytes());
            changed = true;
        }
    }
    changed
}

/// Makes every link that starts with `base` (the `file://` URL of the
/// printed page's folder, ending in `/`) relative to that folder:
/// `file:///…/.output.staging-123/provinces/44.html` becomes
/// `provinces/44.html`, which a viewer resolves beside the PDF, as a
/// browser does the HTML's own link. The prefix is cut out, and the
/// cross-reference table's offsets and `startxref` moved to match, so the
/// bytes do not depend on where the output was built. `None` when no link
/// starts with `base`, or when the file ends in a cross-reference table of
/// another kind than the classic one Chromium writes (then the links stay
/// as they are).
pub(super) fn relative_links(pdf: &[u8], base: &[u8]) -> Option<Vec<u8>> {
    const URI: &[u8] = b"/URI (";
    if base.is_empty() {
        return None;
    }
    let mut cuts = Vec::new();
    let mut from = 0;
    while let Some(at) = find(pdf, URI, from) {
        let start = at + URI.len();
        if pdf[start..].starts_with(base) {
            cuts.push(start);
        }
        from = start;
    }
    let (xref, number) = xref_position(pdf)?;
    if cuts.last().is_none_or(|&last| last + base.len() > xref) {
        return None;
    }
    // An offset's new value: less the prefixes cut before it.
    let moved = |offset: usize| offset - cuts.partition_point(|&c| c < offset) * base.len();
    let mut out = Vec::with_capacity(pdf.len());
    let mut kept = 0;
    for &cut in &cuts {
        out.extend_from_slice(&pdf[kept..cut]);
        kept = cut + base.len();
    }
    out.extend_from_slice(&pdf[kept..number.start]);
    out.extend_from_slice(moved(xref).to_string().as_bytes());
    out.extend_from_slice(&pdf[number.end..]);
    move_xref_entries(&mut out[moved(xref)..], moved)?;
    Some(out)
}

/// The offset `startxref` gives, where that offset points at a classic
/// `xref` table, and the span of its digits.
fn xref_position(pdf: &[u8]) -> Option<(usize, std::ops::Range<usize>)> {
    const KEY: &[u8] = b"startxref";
    let at = pdf.windows(KEY.len()).rposition(|w| w == KEY)? + KEY.len();
    let start = at + pdf[at..].iter().position(|b| b.is_ascii_digit())?;
    let length = pdf[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let digits = std::str::from_utf8(&pdf[start..start + length]).ok()?;
    let xref: usize = digits.parse().ok()?;
    pdf.get(xref..)?
        .starts_with(b"xref")
        .then_some((xref, start..start + length))
}

/// Rewrites, through `moved`, the offset of every object in use in the
/// classic cross-reference table `table` starts with: subsections of a
/// `first count` line and `count` entries of 20 bytes (`0000012345 00000 n`
/// and an end of line), up to `trailer`. Each offset keeps its ten digits.
fn move_xref_entries(table: &mut [u8], moved: impl Fn(usize) -> usize) -> Option<()> {
    let mut at = b"xref".len();
    loop {
        while table.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        if table[at..].starts_with(b"trailer") {
            return Some(());
        }
        let line_end = at + table[at..].iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&table[at..line_end]).ok()?;
        let mut words = header.split_whitespace();
        let (_first, count): (usize, usize) =
            (words.next()?.parse().ok()?, words.next()?.parse().ok()?);
        at = line_end + 1;
        for _ in 0..count {
            let entry = table.get_mut(at..at + 20)?;
            let offset: usize = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
            match entry[17] {
                b'n' => {
                    let new = format!("{:010}", moved(offset));
                    entry[..10].copy_from_slice(new.as_bytes());
                }
                b'f' => {}
                _ => return None,
            }
            at += 20;
        }
    }
}

/// Where `needle` first occurs in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rewritten_in_place_when_the_length_is_kept() {
        let date = pdf_date("1429488000").expect("a date");
        assert_eq!(date, "D:20150420000000+00'00'");
        assert_eq!(
            pdf_date("1429531199").as_deref(),
            Some("D:20150420115959+00'00'")
        );
        assert_eq!(pdf_date("soon"), None);
        let original = b"<</Producer (Skia/PDF m156)\n/CreationDate (D:20261204082132+00'00')\n/ModDate (D:20261204082132+00'00')>>".to_vec();
        let mut pdf = original.clone();
        assert!(set_dates(&mut pdf, &date));
        assert_eq!(pdf.len(), original.len());
        let text = String::from_utf8(pdf).unwrap();
        assert!(
            text.contains("/CreationDate (D:20150420000000+00'00')"),
            "{text}"
        );
        assert!(
            text.contains("/ModDate (D:20150420000000+00'00')"),
            "{text}"
        );
        let mut other = b"/CreationDate (D:2026)".to_vec();
        assert!(
            !set_dates(&mut other, &date),
            "another length is left alone"
        );
    }

    /// A small PDF of `objects` (the text between `N 0 obj` and `endobj`),
    /// with its classic cross-reference table, as Chromium writes one.
    fn pdf_of(objects: &[&str]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<</Size {} /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    /// Every object the table lists starts where it says, and `startxref`
    /// points at the table.
    fn assert_offsets_hold(pdf: &[u8], objects: usize) {
        let (xref, _) = xref_position(pdf).expect("startxref leads to the table");
        let table = std::str::from_utf8(&pdf[xref..]).unwrap();
        for (n, line) in table.lines().skip(3).take(objects).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                pdf[offset..].starts_with(format!("{} 0 obj", n + 1).as_bytes()),
                "object {} is not at {offset}",
                n + 1
            );
        }
    }

    #[test]
    fn links_into_the_page_folder_become_relative_and_the_offsets_follow() {
        let base = "file:///tmp/.out.staging-77/";
        let objects = [
            "<</Type /Catalog>>".to_owned(),
            format!("<</A <</S /URI /URI ({base}provinces/44.html)>>>>"),
            "<</A <</S /URI /URI (https://example.org/)>>>>".to_owned(),
            format!("<</A <</S /URI /URI ({base}report.en.html)>>>>"),
            "<</A <</S /URI /URI (file:///tmp/other/x.html)>>>>".to_owned(),
            "<</Length 0>>\nstream\n\nendstream".to_owned(),
        ];
        let objects: Vec<&str> = objects.iter().map(String::as_str).collect();
        let original = pdf_of(&objects);
        assert_offsets_hold(&original, objects.len());
        let relative = relative_links(&original, base.as_bytes()).expect("two links");
        assert_eq!(relative.len(), original.len() - 2 * base.len());
        assert_offsets_hold(&relative, objects.len());
        let text = String::from_utf8(relative.clone()).unwrap();
        assert!(text.contains("/URI (provinces/44.html)"), "{text}");
        assert!(text.contains("/URI (report.en.html)"), "{text}");
        assert!(text.contains("/URI (https://example.org/)"), "{text}");
        assert!(text.contains("/URI (file:///tmp/other/x.html)"), "{text}");
        // Built anywhere else, the same page gives the same bytes.
        let elsewhere = "file:///srv/www/a%20longer%20path/.output.staging-4242/";
        let moved = pdf_of(
            &objects
                .iter()
                .map(|o| o.replace(base, elsewhere))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        assert_eq!(relative_links(&moved, elsewhere.as_bytes()), Some(relative));
    }

    #[test]
    fn a_page_without_such_links_or_a_known_table_is_left_alone() {
        let plain = pdf_of(&["<</A <</S /URI /URI (https://example.org/)>>>>"]);
        assert_eq!(relative_links(&plain, b"file:///tmp/x/"), None);
        assert_eq!(relative_links(&plain, b""), None);
        // No classic table at the end (a cross-reference stream, or none).
        let linked = pdf_of(&["<</A <</S /URI /URI (file:///tmp/x/a.html)>>>>"]);
        let cut = linked.windows(4).position(|w| w == b"xref").unwrap();
        let mut stream = linked[..cut].to_vec();
        stream.extend_from_slice(b"startxref\n9\n%%EOF\n");
        assert_eq!(relative_links(&stream, b"file:///tmp/x/"), None);
        assert_eq!(
            relative_links(b"/URI (file:///tmp/x/a.html)", b"file:///tmp/x/"),
            None
        );
        let mut garbled = linked.clone();
        let entry = garbled.windows(7).rposition(|w| w == b"00000 n").unwrap();
        garbled[entry + 6] = b'x';
        assert_eq!(relative_links(&garbled, b"file:///tmp/x/"), None);
    }
}
