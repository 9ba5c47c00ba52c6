//! The default format: one line per change, its API effect indented below, then a summary.
//!
//! ```text
//! breaking param-became-required spec/crm-v8.yaml:12:5 parameter `fields` of crm v8 `list_attachments` became required
//!   api: builder method `crm::v8::ListAttachments::fields` (taking `...`) becomes argument `fields: ...` of `CrmV8::list_attachments`
//! ```

use crate::tools::diff::Report;

/// The report as plain text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for change in &report.changes {
        out.push_str(&format!(
            "{} {} {} {}\n  api: {}\n",
            change.level(),
            change.rule,
            report.display(&change.at),
            change.message,
            change.api
        ));
    }
    if !report.changes.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!("{}\n", report.counts()));
    out.push_str(&format!("semver: {}\n", report.verdict.summary()));
    if let Some(warning) = report.verdict.warning() {
        out.push_str(&format!("warning: {warning}\n"));
    }
    out
}
