//! Quality gates: checks on a run's figures that decide whether its report
//! replaces the one now published (docs/CONTRACT.md §7, exit codes 3 and 4).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::{Gates, OnHit};

/// The figures the gates look at.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    pub records_read: u64,
    pub records_rejected: u64,
    pub accounts: u64,
    /// In-scope accounts of the report now published, if there is one.
    pub previous_accounts: Option<u64>,
}

/// A gate that a run hit, as `manifest.json` records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GateHit {
    /// `rejected_share`, `accounts` or `change`.
    pub gate: String,
    pub limit: f64,
    pub value: f64,
    pub on_hit: OnHit,
    /// One sentence for people.
    pub message: String,
}

/// Every gate of `gates` that `figures` hit, in config order.
pub fn evaluate(gates: &Gates, figures: &Figures) -> Vec<GateHit> {
    let mut hits = Vec::new();
    if let Some(gate) = &gates.rejected_share {
        let share = if figures.records_read == 0 {
            0.0
        } else {
            figures.records_rejected as f64 / figures.records_read as f64
        };
        if share > gate.max {
            hits.push(GateHit {
                gate: "rejected_share".into(),
                limit: gate.max,
                value: share,
                on_hit: gate.on_hit,
                message: format!(
                    "{} of {} records rejected ({:.1}%), above the limit of {:.1}%",
                    figures.records_rejected,
                    figures.records_read,
                    share * 100.0,
                    gate.max * 100.0
                ),
            });
        }
    }
    if let Some(gate) = &gates.accounts {
        if figures.accounts < gate.min {
            hits.push(GateHit {
                gate: "accounts".into(),
                limit: gate.min as f64,
                value: figures.accounts as f64,
                on_hit: gate.on_hit,
                message: format!("{} accounts, fewer than {}", figures.accounts, gate.min),
            });
        }
    }
    if let (Some(gate), Some(previous)) = (&gates.change, figures.previous_accounts) {
        let change = relative_change(previous, figures.accounts);
        if previous > 0 && change > gate.max {
            hits.push(GateHit {
                gate: "change".into(),
                limit: gate.max,
                value: change,
                on_hit: gate.on_hit,
                message: format!(
                    "{} accounts against {previous} in the published report ({:.1}% change), above the limit of {:.1}%",
                    figures.accounts,
                    change * 100.0,
                    gate.max * 100.0
                ),
            });
        }
    }
    hits
}

fn relative_change(previous: u64, now: u64) -> f64 {
    (now as f64 - previous as f64).abs() / previous as f64
}

/// The exit code for a run that hit `hits` (docs/CONTRACT.md §7): 0, 3 or 4.
pub fn exit_code(hits: &[GateHit]) -> u8 {
    if hits.is_empty() {
        0
    } else if hits.iter().any(|h| h.on_hit == OnHit::Keep) {
        4
    } else {
        3
    }
}

/// In-scope accounts of the report published in `output`, from its
/// `metrics.json`; `None` when there is none or it cannot be read.
pub fn published_accounts(output: &Path) -> Option<u64> {
    let text = std::fs::read(output.join("metrics.json")).ok()?;
    let metrics: serde_json::Value = serde_json::from_slice(&text).ok()?;
    metrics["totals"]["accounts"].as_u64()
}

/// A gate set to keep the previous report was hit: exit code 4.
#[derive(Debug, thiserror::Error)]
#[error("{}", kept_message(.hits, .kept))]
pub struct GatesKept {
    pub hits: Vec<GateHit>,
    /// Whether a previous report was there to keep.
    pub kept: bool,
}

fn kept_message(hits: &[GateHit], kept: &bool) -> String {
    let what: Vec<String> = hits
        .iter()
        .map(|h| format!("`{}`: {}", h.gate, h.message))
        .collect();
    let outcome = if *kept {
        "kept the previous report"
    } else {
        "published nothing (there was no previous report)"
    };
    format!(
        "quality gate hit ({}); {outcome}: check the input, or change `[gates]` in the config",
        what.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(read: u64, rejected: u64, accounts: u64, previous: Option<u64>) -> Figures {
        Figures {
            records_read: read,
            records_rejected: rejected,
            accounts,
            previous_accounts: previous,
        }
    }

    #[test]
    fn builtin_gates_pass_ordinary_runs() {
        let gates = Gates::builtin();
        assert!(evaluate(&gates, &figures(100, 20, 50, None)).is_empty());
        assert!(evaluate(&gates, &figures(100, 0, 50, Some(40))).is_empty());
    }

    #[test]
    fn each_gate_can_be_hit() {
        let gates = Gates::builtin();
        let hits = evaluate(&gates, &figures(100, 30, 0, Some(10)));
        let names: Vec<&str> = hits.iter().map(|h| h.gate.as_str()).collect();
        assert_eq!(names, ["rejected_share", "accounts", "change"]);
        assert_eq!(exit_code(&hits), 4);
        assert_eq!(exit_code(&hits[..1]), 3);
        assert_eq!(exit_code(&[]), 0);
    }
}
