//! The ground truth written beside the sample: what every account really is
//! and what every data line of every file is, so the pipeline's output can
//! be scored line by line and figure by figure.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

use super::figures::Figures;
use super::model::{Account, Period};
use super::writer::{csv_line, RowTruth, SourceFile};
use govwx::config::Settings;

/// `accounts.csv`: one row per true account per period it exists in, with
/// its activity (reads per follower per month, full precision) where it has
/// one; 2013 has no activity.
pub(crate) fn accounts_csv(
    accounts: &[Account],
    settings: &Settings,
    activity: &BTreeMap<String, f64>,
) -> String {
    let header = "period,account,original_id,wechat_id,name,province_code,level,domain,account_type,followers,in_scope,activity";
    let mut text = format!("{header}\n");
    for period in Period::ALL {
        for account in accounts.iter().filter(|a| a.exists_in(period)) {
            let followers =
                account.followers[period.index()].expect("the account exists in the period");
            let cells = [
                period.name().to_owned(),
                account.id.clone(),
                account.original_id.clone(),
                account.wechat_id.clone(),
                account.name.clone(),
                account
                    .province
                    .map_or(String::new(), |c| format!("{c:02}")),
                account.level.slug().to_owned(),
                settings.domain(account.domain).slug.clone(),
                account.account_type.slug().to_owned(),
                followers.to_string(),
                account.in_scope.to_string(),
                match period {
                    Period::Y2014 => activity
                        .get(&account.id)
                        .map_or(String::new(), f64::to_string),
                    Period::Y2013 => String::new(),
                },
            ];
            text.push_str(&csv_line(&cells));
            text.push('\n');
        }
    }
    text
}

/// `records.csv`: one row per data line written, pointing at its line, with
/// the kind of its file (`registry` or `activity`).
pub(crate) fn records_csv(files: &[SourceFile]) -> String {
    let mut text = String::from("period,file,line,status,account,reason,kind\n");
    for file in files {
        let period = file
            .path
            .split('/')
            .next()
            .expect("paths start with the period");
        for record in &file.records {
            let (status, account, reason) = match &record.truth {
                RowTruth::Account(id) => ("account", id.as_str(), ""),
                RowTruth::Reject(reason) => ("reject", "", *reason),
                RowTruth::Totals => ("totals", "", ""),
            };
            let cells = [
                period,
                &file.path,
                &record.line.to_string(),
                status,
                account,
                reason,
                file.kind.name(),
            ]
            .map(str::to_owned);
            text.push_str(&csv_line(&cells));
            text.push('\n');
        }
    }
    text
}

/// Writes the three truth files into `dir`.
pub(crate) fn write(
    dir: &Path,
    accounts: &[Account],
    files: &[SourceFile],
    figures: &Figures,
    settings: &Settings,
) -> Result<()> {
    let empty = BTreeMap::new();
    let activity = figures
        .periods
        .get(Period::Y2014.name())
        .and_then(|p| p.activity.as_ref())
        .map_or(&empty, |a| &a.by_account);
    let accounts = accounts_csv(accounts, settings, activity);
    govwx::fs::write(&dir.join("accounts.csv"), accounts)?;
    govwx::fs::write(&dir.join("records.csv"), records_csv(files))?;
    let json = serde_json::to_string_pretty(figures)
        .context("failed to serialise the sample's figures")?;
    govwx::fs::write(&dir.join("figures.json"), json + "\n")
}
