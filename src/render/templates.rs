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
//!
//! Tera has no recursion limit: a macro that calls itself, or a template
//! that includes itself, recurses until the stack overflows, which aborts
//! the process with no message. So such templates are refused at load time
//! (a usage error naming the template and the macro), even a recursion that
//! would have stopped: render loops over the figures instead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use tera::ast::{Expr, ExprVal, Node};
use tera::{Context, Tera};

use super::filters;

/// The Markdown report; data in it is escaped by the `md` filter.
pub(crate) const REPORT_MD: &str = "report.md.tera";
/// The English edition of the report.
pub(crate) const REPORT_EN_MD: &str = "report.en.md.tera";
/// A province's page, and the index of the province pages.
pub(crate) const PROVINCE_MD: &str = "province.md.tera";
pub(crate) const PROVINCES_MD: &str = "provinces.md.tera";
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
    (
        REPORT_EN_MD,
        include_str!("../../templates/report.en.md.tera"),
    ),
    (
        PROVINCE_MD,
        include_str!("../../templates/province.md.tera"),
    ),
    (
        PROVINCES_MD,
        include_str!("../../templates/provinces.md.tera"),
    ),
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
        crate::fs::hex(&hasher.finalize())
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
        tera.register_function("caption", caption_function);
        tera.autoescape_on(HTML_SUFFIXES.to_vec());
        // All at once, so that `extends` and `include` resolve whatever the order.
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .context("failed to parse the report templates; fix the template the error names")?;
        refuse_recursion(&tera)?;
        Ok(Templates { tera, sources })
    }
}

/// A template's own text (outside its macros), or one of its macros.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Callable {
    template: String,
    /// `None` for the template's own text.
    macro_name: Option<String>,
}

impl std::fmt::Display for Callable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.macro_name {
            Some(name) => write!(f, "macro `{name}` of `{}`", self.template),
            None => write!(f, "template `{}`", self.template),
        }
    }
}

/// Refuses templates whose macros call themselves, directly or through
/// others, and templates that include themselves: Tera would recurse until
/// the stack overflows.
fn refuse_recursion(tera: &Tera) -> Result<()> {
    let mut calls: BTreeMap<Callable, BTreeSet<Callable>> = BTreeMap::new();
    let names: BTreeSet<&str> = tera.get_template_names().collect();
    for &name in &names {
        let template = tera
            .get_template(name)
            .expect("the name was just listed by Tera");
        let namespaces: BTreeMap<&str, &str> = template
            .imported_macro_files
            .iter()
            .map(|(file, namespace)| (namespace.as_str(), file.as_str()))
            .collect();
        let mut reach = |from: Callable, nodes: &[Node]| {
            let mut found = Vec::new();
            walk_nodes(nodes, &mut found);
            let callees = found.into_iter().filter_map(|target| match target {
                Target::Macro(namespace, macro_name) => {
                    let file = match namespace.as_str() {
                        "self" => name,
                        other => namespaces.get(other).copied()?,
                    };
                    Some(Callable {
                        template: file.to_owned(),
                        macro_name: Some(macro_name),
                    })
                }
                Target::Include(file) => names.contains(file.as_str()).then_some(Callable {
                    template: file,
                    macro_name: None,
                }),
            });
            calls.entry(from).or_default().extend(callees);
        };
        let own = Callable {
            template: name.to_owned(),
            macro_name: None,
        };
        reach(own, &template.ast);
        for (macro_name, definition) in &template.macros {
            let callable = Callable {
                template: name.to_owned(),
                macro_name: Some(macro_name.clone()),
            };
            reach(callable, &definition.body);
        }
    }
    match find_cycle(&calls) {
        Some(cycle) => {
            let through: Vec<String> = cycle[1..].iter().map(|c| c.to_string()).collect();
            let how = match through.is_empty() {
                true => String::new(),
                false => format!(" through {}", through.join(", ")),
            };
            let verb = match cycle[0].macro_name {
                Some(_) => "calls itself",
                None => "includes itself",
            };
            anyhow::bail!(
                "{}{how}: {verb}, and Tera would recurse until the stack overflows; \
                 loop over the data instead",
                cycle[0]
            )
        }
        None => Ok(()),
    }
}

/// The first cycle of the call graph, in name order, from a member of it.
fn find_cycle(calls: &BTreeMap<Callable, BTreeSet<Callable>>) -> Option<Vec<Callable>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&Callable, Mark> = BTreeMap::new();
    for start in calls.keys() {
        if marks.contains_key(start) {
            continue;
        }
        // Depth-first without recursion: the path and each step's callees.
        let mut path: Vec<(&Callable, Vec<&Callable>)> = Vec::new();
        let callees = |c: &Callable| -> Vec<&Callable> {
            calls
                .get(c)
                .map_or_else(Vec::new, |s| s.iter().rev().collect())
        };
        marks.insert(start, Mark::Open);
        path.push((start, callees(start)));
        while let Some((_, pending)) = path.last_mut() {
            match pending.pop() {
                Some(next) => match marks.get(next) {
                    Some(Mark::Open) => {
                        let at = path
                            .iter()
                            .position(|(c, _)| *c == next)
                            .expect("an open callable is on the path");
                        return Some(path[at..].iter().map(|(c, _)| (*c).clone()).collect());
                    }
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(next, Mark::Open);
                        path.push((next, callees(next)));
                    }
                },
                None => {
                    let (done, _) = path.pop().expect("the path is not empty");
                    marks.insert(done, Mark::Done);
                }
            }
        }
    }
    None
}

/// What a template's text may call into.
enum Target {
    /// `namespace::name(...)`.
    Macro(String, String),
    /// `{% include "name" %}`.
    Include(String),
}

/// Collects the macro calls and includes of `nodes`, not descending into
/// macro definitions (each is walked on its own).
fn walk_nodes(nodes: &[Node], found: &mut Vec<Target>) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => walk_expr(expr, found),
            Node::Include(_, files, _) => {
                found.extend(files.iter().map(|f| Target::Include(f.clone())));
            }
            Node::Set(_, set) => walk_expr(&set.value, found),
            Node::FilterSection(_, section, _) => {
                section
                    .filter
                    .args
                    .values()
                    .for_each(|e| walk_expr(e, found));
                walk_nodes(&section.body, found);
            }
            Node::Block(_, block, _) => walk_nodes(&block.body, found),
            Node::Forloop(_, forloop, _) => {
                walk_expr(&forloop.container, found);
                walk_nodes(&forloop.body, found);
                if let Some(body) = &forloop.empty_body {
                    walk_nodes(body, found);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    walk_expr(condition, found);
                    walk_nodes(body, found);
                }
                if let Some((_, body)) = &branches.otherwise {
                    walk_nodes(body, found);
                }
            }
            Node::MacroDefinition(..)
            | Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

fn walk_expr(expr: &Expr, found: &mut Vec<Target>) {
    for filter in &expr.filters {
        filter.args.values().for_each(|e| walk_expr(e, found));
    }
    walk_value(&expr.val, found);
}

fn walk_value(value: &ExprVal, found: &mut Vec<Target>) {
    match value {
        ExprVal::MacroCall(call) => {
            found.push(Target::Macro(call.namespace.clone(), call.name.clone()));
            call.args.values().for_each(|e| walk_expr(e, found));
        }
        ExprVal::Math(math) => {
            walk_expr(&math.lhs, found);
            walk_expr(&math.rhs, found);
        }
        ExprVal::Logic(logic) => {
            walk_expr(&logic.lhs, found);
            walk_expr(&logic.rhs, found);
        }
        ExprVal::In(within) => {
            walk_expr(&within.lhs, found);
            walk_expr(&within.rhs, found);
        }
        ExprVal::Test(test) => test.args.iter().for_each(|e| walk_expr(e, found)),
        ExprVal::FunctionCall(call) => call.args.values().for_each(|e| walk_expr(e, found)),
        ExprVal::Array(items) => items.iter().for_each(|e| walk_expr(e, found)),
        ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| walk_value(v, found)),
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
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

/// `{{ caption(title="各省政务微信账号数") }}`, on the line before a table
/// or a chart: the marker line the renderer turns into the numbered
/// caption (表1, 图1) and the source line. The title is text, never markup.
fn caption_function(
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let title = args
        .get("title")
        .and_then(tera::Value::as_str)
        .ok_or_else(|| {
            tera::Error::msg(
                "function `caption` needs a text `title`, e.g. caption(title=\"各省政务微信账号数\")",
            )
        })?;
    Ok(tera::Value::String(super::markdown::caption_marker(title)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with(user: &[(&str, &str)]) -> Result<Templates> {
        let mut sources = builtin_sources();
        sources.extend(user.iter().map(|(n, t)| (n.to_string(), t.to_string())));
        Templates::from_sources(sources)
    }

    #[test]
    fn recursive_macros_and_includes_are_refused() {
        let direct = "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}";
        let error = with(&[("m.tera", direct)]).err().expect("refused");
        let message = format!("{error:#}");
        assert!(message.contains("macro `f` of `m.tera`"), "{message}");
        assert!(message.contains("calls itself"), "{message}");

        let guarded =
            "{% macro f(n) %}{% if n > 0 %}{{ self::f(n=n - 1) | safe }}{% endif %}{% endmacro f %}";
        assert!(with(&[("m.tera", guarded)]).is_err());

        let looped = "{% include \"b.tera\" %}";
        let error = with(&[("a.tera", looped), ("b.tera", "{% include \"a.tera\" %}")])
            .err()
            .expect("refused");
        assert!(format!("{error:#}").contains("includes itself"));
    }

    #[test]
    fn macros_calling_other_macros_are_fine() {
        let helpers =
            "{% macro a() %}{{ self::b() }}{% endmacro a %}{% macro b() %}b{% endmacro b %}";
        let user = "{% import \"h.tera\" as h %}{{ h::a() }}";
        let templates = with(&[("h.tera", helpers), ("u.tera", user)]).expect("no recursion");
        let text = templates
            .render("u.tera", &Context::new())
            .expect("renders");
        assert_eq!(text, "b");
    }
}
