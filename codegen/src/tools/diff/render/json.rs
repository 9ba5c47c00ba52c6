//! A stable JSON object for tools. Its shape (`"format": "zoho-codegen-diff/1"`):
//!
//! ```json
//! {
//!   "format": "zoho-codegen-diff/1",
//!   "base": { "label": "origin/main", "revision": "origin/main", "crate_version": "0.1.0" },
//!   "head": { "label": "HEAD", "revision": "HEAD", "crate_version": "0.2.0" },
//!   "changes": [
//!     { "rule": "key-removed", "level": "breaking", "product": "crm", "version": "v8",
//!       "operation": null, "side": "base", "file": "spec/crm-v8.yaml", "line": 12, "column": 7,
//!       "message": "...", "api": "..." }
//!   ],
//!   "summary": {
//!     "total": 1, "breaking": 1, "possibly_breaking": 0, "info": 0,
//!     "semver": { "bump": "major", "base_version": "0.1.0", "head_version": "0.2.0",
//!                 "required_version": "0.2.0", "satisfied": true, "reason": "...",
//!                 "warning": null }
//!   }
//! }
//! ```
//!
//! `file` is a path in the repository for a revision, the path as given for a folder; `side`
//! says which spec `line` and `column` are in (BASE for removals). Fields are never removed or
//! renamed within a format version.

use serde_json::{Value, json};

use crate::tools::diff::{Level, Report, SideLabel};

/// The `format` field.
pub const FORMAT: &str = "zoho-codegen-diff/1";

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|change| {
            json!({
                "rule": change.rule.id(),
                "level": change.level().as_str(),
                "product": change.product,
                "version": change.version,
                "operation": change.operation,
                "side": change.at.side.as_str(),
                "file": change.at.file,
                "line": change.at.location.map(|at| at.line),
                "column": change.at.location.map(|at| at.column),
                "message": change.message,
                "api": change.api,
            })
        })
        .collect();
    let verdict = &report.verdict;
    let side = |label: &SideLabel, version: &str| json!({ "label": label.label, "revision": label.revision, "crate_version": version });
    let value = json!({
        "format": FORMAT,
        "base": side(&report.base, &verdict.base_version),
        "head": side(&report.head, &verdict.head_version),
        "changes": changes,
        "summary": {
            "total": report.changes.len(),
            "breaking": report.count(Level::Breaking),
            "possibly_breaking": report.count(Level::PossiblyBreaking),
            "info": report.count(Level::Info),
            "semver": {
                "bump": verdict.bump.as_str(),
                "base_version": verdict.base_version,
                "head_version": verdict.head_version,
                "required_version": verdict.required.map(|version| version.to_string()),
                "satisfied": verdict.satisfied,
                "reason": verdict.reason,
                "warning": verdict.warning(),
            },
        },
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}
