//! GitHub-flavoured Markdown for a pull-request comment: a headline with the counts and the
//! semver verdict, then one table per product version and operation, breaking changes first.

use crate::tools::diff::{Change, Level, Report};

/// The report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let headline = if report.changes.is_empty() {
        "none".to_owned()
    } else {
        format!(
            "{} breaking, {} possibly breaking, {} info",
            report.count(Level::Breaking),
            report.count(Level::PossiblyBreaking),
            report.count(Level::Info)
        )
    };
    out.push_str(&format!("## Spec changes: {headline}\n\n"));
    out.push_str(&format!(
        "Comparing BASE `{}` with HEAD `{}`.\n\n",
        cell(&report.base.label),
        cell(&report.head.label)
    ));
    out.push_str(&format!("**Semver:** {}.\n", report.verdict.summary()));
    if let Some(warning) = report.verdict.warning() {
        out.push_str(&format!("\n> [!WARNING]\n> {warning}\n"));
    }
    if report.changes.is_empty() {
        out.push_str("\nNo changes between the two specs.\n");
        return out;
    }
    // Changes are sorted by product, version and operation, so groups are runs.
    let mut groups: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in &report.changes {
        let title = title(change);
        match groups.last_mut() {
            Some((last, members)) if *last == title => members.push(change),
            _ => groups.push((title, vec![change])),
        }
    }
    for (title, mut changes) in groups {
        changes.sort_by_key(|change| std::cmp::Reverse(change.level()));
        out.push_str(&format!("\n{title}\n\n"));
        out.push_str(
            "| level | rule | change | public API | where |\n| --- | --- | --- | --- | --- |\n",
        );
        for change in changes {
            let level = match change.level() {
                Level::Breaking => "**breaking**".to_owned(),
                other => other.to_string(),
            };
            out.push_str(&format!(
                "| {level} | `{}` | {} | {} | `{}` |\n",
                change.rule,
                cell(&change.message),
                cell(&change.api),
                cell(&report.display(&change.at))
            ));
        }
    }
    out
}

/// `### crm v8` for a version, `#### crm v8 `op`` for an operation, `### Shared` otherwise.
fn title(change: &Change) -> String {
    match (&change.product, &change.version, &change.operation) {
        (Some(product), Some(version), Some(operation)) => {
            format!("#### {product} {version} `{operation}`")
        }
        (Some(product), Some(version), None) => format!("### {product} {version}"),
        _ => "### Shared (the crate and shared.yaml)".to_owned(),
    }
}

/// Text safe in a table cell: no pipes, no line breaks.
pub fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}
