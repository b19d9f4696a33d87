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

mod patch;

/// The names Chromium goes by on PATH, in the order they are tried.
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// Headless and offline: no sandbox (CI containers), no GPU, no network of
/// the browser's own, no first-run or sync work. The screenshot and layout
/// checks start Chromium with the same flags.
pub const HEADLESS_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

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
/// (the page's `@page` rules draw them). The browser writes each link to
/// another file of the output as an absolute `file://` URL into the staging
/// folder, which is gone once the output is published: those links are made
/// relative again ([`patch::relative_links`]). When `source_date_epoch` is
/// given, the PDF's creation and modification dates are set to it
/// ([`patch::set_dates`]). So the same report prints to the same bytes,
/// wherever the output folder is.
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
        .args(HEADLESS_FLAGS)
        .args([
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
    let folder = html.parent().unwrap_or(Path::new("/"));
    let mut base = file_url(folder);
    if !base.ends_with('/') {
        base.push('/');
    }
    let mut changed = source_date_epoch
        .and_then(patch::pdf_date)
        .is_some_and(|date| patch::set_dates(&mut bytes, &date));
    if let Some(relative) = patch::relative_links(&bytes, base.as_bytes()) {
        bytes = relative;
        changed = true;
    }
    if changed {
        std::fs::write(pdf, &bytes)
            .with_context(|| format!("failed to write `{}`", pdf.display()))?;
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
fn file_url(path: &Path) -> String {
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
    url
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
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/报告#1.html")),
            "file:///tmp/a%20b/%E6%8A%A5%E5%91%8A%231.html"
        );
    }
}
