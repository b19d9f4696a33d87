//! The report templates: built in, and replaceable one by one.
//!
//! The built-in templates are compiled into the binary, so `govwx run` needs
//! nothing but itself. A provincial office that wants its own wording points
//! at a folder: every `*.tera` file there replaces the built-in of the same
//! name or adds a partial the others can include; the rest stay built in.
//! Everything is parsed once, up front, so a broken template stops the run
//! before any input is read.
//!
//! As in zola, a user can also replace a single `{% block %}`: every
//! built-in is registered a second time as `builtin/<name>`, so an override
//! can start with `{% extends "builtin/report.md.tera" %}` and redefine only
//! the blocks it wants.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use tera::{Context, Tera};

use super::filters;

/// The Markdown report; data in it is escaped by the `md` filter.
pub(crate) const REPORT_MD: &str = "report.md.tera";
/// The HTML page around the rendered report; autoescaped.
pub(crate) const LAYOUT_HTML: &str = "layout.html.tera";

/// Template names Tera escapes for HTML: the built-in layout and any HTML
/// partial a user adds.
const HTML_SUFFIXES: &[&str] = &[".html.tera", ".htm.tera", ".html", ".htm"];

/// Prefix under which the built-ins stay reachable for `extends`.
const BUILTIN_PREFIX: &str = "builtin/";

/// The built-in templates, by file name, as compiled in.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (
        LAYOUT_HTML,
        include_str!("../../templates/layout.html.tera"),
    ),
    (REPORT_MD, include_str!("../../templates/report.md.tera")),
];

/// The report templates: built-in ones compiled in with include_str!, each
/// replaceable by a same-named file in a user's template folder.
pub struct Templates {
    tera: Tera,
    /// Every template's text by name, for the fingerprint.
    sources: BTreeMap<String, String>,
}

impl Templates {
    /// The built-in templates only.
    pub fn builtin() -> Result<Templates> {
        Templates::from_sources(builtin_sources())
    }

    /// Built-ins, overridden file by file by `dir/<name>` when present.
    ///
    /// Other `*.tera` files at the top of `dir` are added too, so overrides
    /// can include or extend partials of their own.
    pub fn load(dir: Option<&Path>) -> Result<Templates> {
        let mut sources = builtin_sources();
        if let Some(dir) = dir {
            sources.extend(user_sources(dir)?);
        }
        Templates::from_sources(sources)
    }

    /// sha256 over the template texts in name order, for the manifest.
    ///
    /// Each name and text is followed by a NUL, so moving text from one
    /// template to the next changes the fingerprint.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, text) in &self.sources {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Renders one template, naming it in the error.
    pub(crate) fn render(&self, name: &str, context: &Context) -> Result<String> {
        self.tera
            .render(name, context)
            .with_context(|| format!("failed to render template `{name}`"))
    }

    fn from_sources(sources: BTreeMap<String, String>) -> Result<Templates> {
        let mut tera = Tera::default();
        filters::register(&mut tera);
        tera.register_function("chart", chart_function);
        tera.autoescape_on(HTML_SUFFIXES.to_vec());
        // All at once, so that `extends` and `include` resolve whatever the order.
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .context("failed to parse the report templates; fix the template the error names")?;
        Ok(Templates { tera, sources })
    }
}

fn builtin_sources() -> BTreeMap<String, String> {
    BUILTIN
        .iter()
        .flat_map(|(name, text)| {
            [
                (name.to_string(), text.to_string()),
                (format!("{BUILTIN_PREFIX}{name}"), text.to_string()),
            ]
        })
        .collect()
}

/// `{{ chart(name="provinces") }}`: the marker line where that chart goes.
/// The chart itself is drawn in Rust from the figures; an unknown name is an
/// error, so a typo in a template is caught at the first run.
fn chart_function(
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let name = args
        .get("name")
        .and_then(tera::Value::as_str)
        .ok_or_else(|| {
            tera::Error::msg("function `chart` needs `name`, e.g. chart(name=\"levels\")")
        })?;
    if !super::charts::NAMES.contains(&name) {
        let known = super::charts::NAMES.join(", ");
        return Err(tera::Error::msg(format!(
            "function `chart`: no chart `{name}`; the charts are {known}"
        )));
    }
    Ok(tera::Value::String(super::markdown::chart_marker(name)))
}

/// The `*.tera` files at the top of `dir`, by file name.
fn user_sources(dir: &Path) -> Result<BTreeMap<String, String>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("failed to read template folder `{}`", dir.display()))?;
    let mut sources = BTreeMap::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("failed to read template folder `{}`", dir.display()))?;
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.ends_with(".tera") && path.is_file() {
            sources.insert(name.to_string(), crate::fs::read_to_string(&path)?);
        }
    }
    Ok(sources)
}
