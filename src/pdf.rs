//! `govwx run --pdf`: the report pages printed to PDF by headless Chromium.
//!
//! govwx draws no PDF itself: the page's `@media print` CSS (A4, a cover,
//! page numbers and a running header in `@page` margin boxes) is the print
//! layout, and Chromium, the browser the screenshot check uses, prints the
//! staged `report.html` as any reader's browser would. The browser is found
//! before anything is read ([`find_chromium`]), so a machine without it
//! stops at once with exit code 2 and publishes nothing.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::UsageError;

/// The names Chromium goes by on PATH, in the order they are tried.
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// How long one page may take to print before the browser is stopped.
const PRINT_TIMEOUT: Duration = Duration::from_secs(180);

/// The browser `--pdf` prints with. `chromium_var` is `$CHROMIUM` and
/// `path_var` is `$PATH`, as the caller read them: when `CHROMIUM` is set
/// it alone is tried (a path, or a name looked up on PATH), otherwise
/// `chromium`, `chromium-browser` and `google-chrome` on PATH. Not found is
/// a [`UsageError`] naming what to install.
pub fn find_chromium(
    chromium_var: Option<&OsStr>,
    path_var: Option<&OsStr>,
) -> Result<PathBuf, UsageError> {
    let chosen = chromium_var.filter(|v| !v.is_empty());
    let candidates: Vec<&OsStr> = match chosen {
        Some(name) => vec![name],
        None => BROWSERS.iter().map(OsStr::new).collect(),
    };
    for candidate in &candidates {
        if let Some(found) = locate(candidate, path_var) {
            return Ok(found);
        }
    }
    Err(UsageError(match chosen {
        Some(name) => format!(
            "`--pdf` prints the report with Chromium, but `CHROMIUM` names `{}`, which is not an executable file; point `CHROMIUM` at Chromium, or unset it to look for `chromium` on PATH",
            Path::new(name).display()
        ),
        None => "`--pdf` prints the report with Chromium, and none was found (`chromium`, `chromium-browser` or `google-chrome` on PATH); install it (Debian: `apt-get install chromium fonts-noto-cjk`), set `CHROMIUM` to its path, or run without `--pdf`".to_owned(),
    }))
}

/// `name` as an executable file: itself when it holds a `/`, else the
/// first match in the folders of `path_var`.
fn locate(name: &OsStr, path_var: Option<&OsStr>) -> Option<PathBuf> {
    let name = Path::new(name);
    if name.components().count() > 1 || name.is_absolute() {
        return is_executable(name).then(|| name.to_path_buf());
    }
    std::env::split_paths(path_var?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|path| is_executable(path))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Prints the page `html` to `pdf` with `chromium`, headless and offline
/// (the flags `scripts/screenshot.sh` uses: no network of the browser's
/// own, a throw-away profile), without the browser's own header and footer
/// (the page's `@page` rules draw them). When `source_date_epoch` is given,
/// the PDF's creation and modification dates are set to it
/// ([`set_dates`]), so that the same report prints to the same bytes.
pub fn print(
    chromium: &Path,
    html: &Path,
    pdf: &Path,
    source_date_epoch: Option<&str>,
) -> Result<()> {
    let profile = tempfile::Builder::new()
        .prefix("govwx-chromium-")
        .tempdir()
        .context("failed to create a profile folder for Chromium")?;
    let html = std::path::absolute(html)
        .with_context(|| format!("failed to resolve `{}`", html.display()))?;
    let mut print_to = OsString::from("--print-to-pdf=");
    print_to.push(pdf.as_os_str());
    let mut profile_arg = OsString::from("--user-data-dir=");
    profile_arg.push(profile.path().as_os_str());
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Chromium 112 and later; older ones know the second.
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
        ])
        .arg(profile_arg)
        .arg(print_to)
        .arg(file_url(&html))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("failed to start Chromium (`{}`)", chromium.display()))?;
    // The browser logs freely on stderr (D-Bus, GPU): read it as it comes,
    // so a full pipe never stalls it, and show it only when printing fails.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().context("failed to wait for Chromium")? {
            break Some(status);
        }
        if started.elapsed() > PRINT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = reader.join().unwrap_or_default();
    let shown = || tail(&log, 12);
    match status {
        None => bail!(
            "Chromium took more than {} s to print `{}`, and was stopped{}",
            PRINT_TIMEOUT.as_secs(),
            html.display(),
            shown()
        ),
        Some(status) if !status.success() => {
            bail!(
                "Chromium failed to print `{}` ({status}){}",
                html.display(),
                shown()
            )
        }
        Some(_) => {}
    }
    let mut bytes = std::fs::read(pdf)
        .ok()
        .filter(|b| b.starts_with(b"%PDF-"))
        .with_context(|| {
            format!(
                "Chromium wrote no PDF for `{}` at `{}`{}",
                html.display(),
                pdf.display(),
                shown()
            )
        })?;
    if let Some(date) = source_date_epoch.and_then(pdf_date) {
        if set_dates(&mut bytes, &date) {
            std::fs::write(pdf, &bytes)
                .with_context(|| format!("failed to write `{}`", pdf.display()))?;
        }
    }
    Ok(())
}

/// The last `lines` lines of the browser's log, for an error message.
fn tail(log: &str, lines: usize) -> String {
    let kept: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    if kept.is_empty() {
        return String::new();
    }
    let from = kept.len().saturating_sub(lines);
    format!("; it said:\n{}", kept[from..].join("\n"))
}

/// `file://` and the absolute path, each byte outside the unreserved
/// characters and `/` percent-encoded (spaces, `#`, `%`, non-ASCII names).
fn file_url(path: &Path) -> OsString {
    let raw = path.to_string_lossy();
    let mut url = String::from("file://");
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                url.push(byte as char)
            }
            b'\\' => url.push('/'),
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url.into()
}

/// `SOURCE_DATE_EPOCH` as a PDF date in UTC, `D:YYYYMMDDHHmmSS+00'00'`,
/// the form Chromium (Skia) writes.
fn pdf_date(source_date_epoch: &str) -> Option<String> {
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
/// rewritten in place to `date`, and only where the old string has the
/// same length, so that no byte offset (the cross-reference table's)
/// moves; a date of another form is left as the browser wrote it. Whether
/// anything changed.
fn set_dates(pdf: &mut [u8], date: &str) -> bool {
    let mut changed = false;
    for key in [&b"/CreationDate ("[..], &b"/ModDate ("[..]] {
        let Some(at) = find(pdf, key) else { continue };
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

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_set_in_the_environment_is_the_only_one_tried() {
        let missing = find_chromium(
            Some(OsStr::new("/nonexistent/chromium")),
            Some(OsStr::new("/usr/bin:/bin")),
        );
        let message = missing.expect_err("not there").0;
        assert!(
            message.contains("CHROMIUM") && message.contains("/nonexistent/chromium"),
            "{message}"
        );
        let none = find_chromium(None, Some(OsStr::new("")))
            .expect_err("empty PATH")
            .0;
        assert!(none.contains("install"), "{none}");
        assert_eq!(
            find_chromium(
                Some(OsStr::new("sh")),
                Some(OsStr::new("/nonexistent:/bin"))
            )
            .ok(),
            Some(PathBuf::from("/bin/sh"))
        );
    }

    #[test]
    fn dates_are_rewritten_in_place_when_the_length_is_kept() {
        let date = pdf_date("1429488000").expect("a date");
        assert_eq!(date, "D:20150420000000+00'00'");
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

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/报告#1.html")),
            OsString::from("file:///tmp/a%20b/%E6%8A%A5%E5%91%8A%231.html")
        );
    }
}
