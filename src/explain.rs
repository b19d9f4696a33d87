//! `govwx explain`: how one account was formed, record by record.
//!
//! It runs the same stages as a report (ingest, normalize, dedup, activity)
//! for one period and prints, for each account the query names, its records
//! (file:line) in survivorship order, the rule that linked each, the source
//! of every surviving field, and what decided its province, level and
//! domain. Nothing is written.

use std::fmt::Write as _;

use anyhow::Result;

use crate::activity::AccountActivity;
use crate::config::Settings;
use crate::dedup::{Account, KeyBuf, Provenance};
use crate::normalize::{Basis, Decided, Record};
use crate::period::PeriodData;
use crate::text;

/// Accounts shown in full; more matches are listed by key only.
const SHOWN: usize = 5;

/// The accounts of a period that a query names: an account key, an original
/// or WeChat id, or a name (equal match-name first, else containing it).
pub fn find<'a>(data: &'a PeriodData, query: &str) -> Vec<&'a Account> {
    let query = text::clean(query).to_lowercase();
    let wanted = text::match_name(&query);
    let records = |a: &'a Account| {
        data.linked
            .records_of(a)
            .iter()
            .map(|&i| &data.records[i as usize])
    };
    let text = |sym| data.strings.get(sym);
    let exact: Vec<&Account> = data
        .linked
        .accounts
        .iter()
        .filter(|a| {
            a.key.as_str(&mut KeyBuf::default()) == query
                || a.original_id().is_some_and(|id| id.to_string() == query)
                || a.wechat_id.map(text) == Some(query.as_str())
                || (!wanted.is_empty()
                    && records(a).any(|r| r.match_name.map(text) == Some(&wanted)))
        })
        .collect();
    if !exact.is_empty() || wanted.is_empty() {
        return exact;
    }
    data.linked
        .accounts
        .iter()
        .filter(|a| records(a).any(|r| r.match_name.is_some_and(|m| text(m).contains(&*wanted))))
        .collect()
}

/// The explanation of every account the query names, as text.
pub fn explain(data: &PeriodData, settings: &Settings, query: &str) -> Result<String> {
    let found = find(data, query);
    let mut out = String::new();
    if found.is_empty() {
        anyhow::bail!("no account of period `{}` matches `{query}`; try an original id, a WeChat id or part of a name", data.name);
    }
    writeln!(
        out,
        "{} account(s) of period {} match `{query}`",
        found.len(),
        data.name
    )?;
    for account in found.iter().take(SHOWN) {
        out.push('\n');
        describe(&mut out, data, settings, account)?;
    }
    if found.len() > SHOWN {
        let rest: Vec<String> = found[SHOWN..].iter().map(|a| a.key.to_string()).collect();
        writeln!(out, "\nand {} more: {}", rest.len(), rest.join(", "))?;
    }
    Ok(out)
}

fn describe(
    out: &mut String,
    data: &PeriodData,
    settings: &Settings,
    account: &Account,
) -> Result<()> {
    let members: Vec<&Record> = data
        .linked
        .records_of(account)
        .iter()
        .map(|&i| &data.records[i as usize])
        .collect();
    let place = |r: &Record| {
        format!(
            "{}:{}",
            data.files[r.origin.file as usize].path, r.origin.line
        )
    };
    let text = |sym| data.strings.get(sym);
    let scope = if account.in_scope() {
        ""
    } else {
        " (out of scope: Hong Kong, Macau or Taiwan)"
    };
    writeln!(
        out,
        "account {} — {}{scope}",
        account.key,
        text(account.name)
    )?;
    writeln!(out, "  records, highest source priority first:")?;
    for (position, &index) in data.linked.records_of(account).iter().enumerate() {
        let record = &data.records[index as usize];
        let rule = match data.linked.rules[index as usize] {
            Some(rule) => format!("linked by {}", rule.slug()),
            None => "on its own".to_owned(),
        };
        writeln!(
            out,
            "    {}. {}  {rule}  name `{}`{}",
            position + 1,
            place(record),
            text(record.name),
            ids(data, record)
        )?;
    }
    writeln!(out, "  fields, as survivorship chose them:")?;
    let from = Provenance::of(
        &data.records,
        &data.strings,
        data.linked.records_of(account),
    );
    let source =
        |position: Option<usize>| position.map_or("none".to_owned(), |p| place(members[p]));
    writeln!(
        out,
        "    name          {}  ← {}",
        text(account.name),
        source(from.name)
    )?;
    if let Some(id) = account.original_id() {
        writeln!(
            out,
            "    original id   {id}  ← {}",
            source(from.original_id)
        )?;
    }
    if let Some(id) = account.wechat_id.map(text) {
        writeln!(out, "    WeChat id     {id}  ← {}", source(from.wechat_id))?;
    }
    if let Some(entity) = account.entity.map(text) {
        writeln!(out, "    entity        {entity}  ← {}", source(from.entity))?;
    }
    let followers = account
        .followers
        .map_or("unknown".to_owned(), |f| f.to_string());
    writeln!(
        out,
        "    followers     {followers}  ← {}",
        source(from.followers)
    )?;
    writeln!(
        out,
        "    account type  {}  ← {}",
        account.account_type.label(),
        source(from.account_type)
    )?;
    if let Some(date) = account.registered_at {
        writeln!(
            out,
            "    registered    {date}  ← {}",
            source(from.registered_at)
        )?;
    }
    let decided_at = |position: Option<usize>| position.map(|p| (members[p], place(members[p])));
    decided(
        out,
        settings,
        "province",
        decided_at(from.province).and_then(|(r, at)| Some((r.province?, at))),
        |p| format!("{} ({:02})", p.short(), p.code()),
    )?;
    if account.province.is_none() && account.level.value() == crate::normalize::Level::Central {
        writeln!(out, "      (central accounts have no province)")?;
    }
    decided(
        out,
        settings,
        "level",
        decided_at(from.level).map(|(r, at)| (r.level, at)),
        |l| l.slug().to_owned(),
    )?;
    let domain = |d: u16| format!("{} ({})", settings.domain(d).slug, settings.domain(d).label);
    decided(
        out,
        settings,
        "domain",
        decided_at(from.domain).map(|(r, at)| (r.domain, at)),
        domain,
    )?;
    activity(out, data, account)?;
    conflicts(out, data, account, &place)
}

fn ids(data: &PeriodData, record: &Record) -> String {
    let mut text = String::new();
    if let Some(id) = record.original_id {
        text.push_str(&format!(" id {id}"));
    }
    if let Some(id) = record.wechat_id {
        text.push_str(&format!(" wx {}", data.strings.get(id)));
    }
    text
}

/// A decided field: its surviving value, the record that gave it (as
/// `Provenance` recorded), and what decided it there.
fn decided<T: crate::normalize::Decidable>(
    out: &mut String,
    settings: &Settings,
    field: &str,
    chosen: Option<(Decided<T>, String)>,
    show: impl Fn(T) -> String,
) -> Result<()> {
    match chosen {
        Some((d, at)) => {
            let clue = match d.clue().describe(settings) {
                clue if clue.is_empty() => clue,
                clue => format!(" ({clue})"),
            };
            writeln!(
                out,
                "    {field:<13} {}  ← {}{clue} of {at}",
                show(d.value()),
                basis_text(d.basis())
            )?
        }
        None => writeln!(out, "    {field:<13} unknown  ← nothing decided it")?,
    }
    Ok(())
}

fn basis_text(basis: Basis) -> &'static str {
    match basis {
        Basis::Column => "its own column",
        Basis::City => "inferred from the city column",
        Basis::County => "inferred from the county column",
        Basis::Entity => "inferred from the entity",
        Basis::Name => "inferred from the name",
        Basis::DomainColumn => "keyword rules on the free-form domain column",
        Basis::Fallback => "the fallback",
    }
}

fn activity(out: &mut String, data: &PeriodData, account: &Account) -> Result<()> {
    let index = data
        .linked
        .accounts
        .iter()
        .position(|a| std::ptr::eq(a, account));
    let text = match index.map(|i| data.activity.of(i)) {
        Some(AccountActivity::Measured {
            value,
            months,
            dormant,
        }) => {
            let dormant = if *dormant { ", dormant" } else { "" };
            format!("{value:.3} reads per follower per month over {months} month(s){dormant}")
        }
        Some(AccountActivity::NoFollowers) => {
            "activity rows, but no followers figure above 0".to_owned()
        }
        _ => "no activity rows".to_owned(),
    };
    writeln!(out, "    activity      {text}")?;
    Ok(())
}

fn conflicts(
    out: &mut String,
    data: &PeriodData,
    account: &Account,
    place: &dyn Fn(&Record) -> String,
) -> Result<()> {
    let origins: Vec<_> = data
        .linked
        .records_of(account)
        .iter()
        .map(|&i| data.records[i as usize].origin)
        .collect();
    let refused = data
        .linked
        .conflicts
        .iter()
        .filter(|c| origins.contains(&c.left) || origins.contains(&c.right));
    for conflict in refused {
        let at = |o: crate::normalize::Origin| {
            data.records
                .iter()
                .find(|r| r.origin == o)
                .map_or_else(String::new, place)
        };
        writeln!(
            out,
            "  refused link ({}): {} and {}: {}",
            conflict.rule.slug(),
            at(conflict.left),
            at(conflict.right),
            conflict.reason
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::tests::spec;
    use crate::period::tests::period_data;

    #[test]
    fn explain_prints_the_source_survivorship_chose_for_each_field() {
        // The WeChat id and followers come from the second file's record,
        // the id and name from the first's.
        let mut second = spec(7, Some(5), Some("wx-a"), "甲");
        second.file = 1;
        second.followers = Some(42);
        let data = period_data(&[spec(3, Some(5), None, "甲"), second]);
        let out = explain(&data, &Settings::builtin(), "gh_000000000005").expect("found");
        let line = |field: &str| {
            out.lines()
                .find(|l| l.trim_start().starts_with(field))
                .unwrap_or_else(|| panic!("no `{field}` in {out}"))
                .to_owned()
        };
        assert!(line("name").ends_with("← 2014/a.csv:3"), "{out}");
        assert!(line("WeChat id").ends_with("← 2014/b.csv:7"), "{out}");
        assert!(line("followers").contains("42  ← 2014/b.csv:7"), "{out}");
        assert!(line("account type").ends_with("← none"), "{out}");
        assert!(
            line("level").contains("inferred from the name of 2014/a.csv:3"),
            "{out}"
        );
        assert!(
            line("domain").contains("unknown  ← nothing decided it"),
            "{out}"
        );
    }

    #[test]
    fn a_query_that_names_nothing_is_an_error() {
        let data = period_data(&[spec(3, Some(5), None, "甲")]);
        assert!(explain(&data, &Settings::builtin(), "乙乙乙").is_err());
    }
}
