//! An audit [`Report`] as text, Markdown, JSON or GitHub workflow commands, the formats of
//! `diff` (`--format`), with diff's escaping of Markdown cells and workflow commands.

use serde_json::{Value, json};

use super::command::Format;
use super::{Finding, Matched, PageAudit, Report, aspect_id};
use crate::tools::diff::render::github::{data, property};
use crate::tools::diff::render::markdown::cell;

/// The `format` field of the JSON report.
pub const FORMAT: &str = "zoho-codegen-audit/1";

/// The report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => json_report(report),
        Format::Github => github(report),
    }
}

/// `PAGE:LINE`.
fn page_place(page: &PageAudit, finding: &Finding) -> String {
    match finding.page_line {
        Some(line) => format!("{}:{line}", page.page),
        None => page.page.clone(),
    }
}

fn heading(page: &PageAudit, matched: &Matched) -> String {
    format!(
        "{} ({}): {} {} {}, found by {}",
        page.page,
        page.format.map(|f| f.to_string()).unwrap_or_default(),
        matched.product,
        matched.version,
        matched.operation,
        matched.by
    )
}

/// `differs error.status`, with `acknowledged` in front when the spec marks it.
fn label(finding: &Finding) -> String {
    format!(
        "{}{} {}.{}",
        if finding.acknowledged {
            "acknowledged "
        } else {
            ""
        },
        finding.kind,
        finding.fact.id(),
        aspect_id(finding.aspect)
    )
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    for page in &report.pages {
        // A page that could not be audited is said on the error stream.
        for matched in &page.operations {
            out.push_str(&heading(page, matched));
            out.push('\n');
            for finding in report.shown(matched) {
                out.push_str(&format!(
                    "  {} {} {} {}\n",
                    label(finding),
                    page_place(page, finding),
                    finding.spec,
                    finding.message
                ));
            }
        }
    }
    out.push_str(&report.summary());
    out.push('\n');
    out
}

fn markdown(report: &Report) -> String {
    let mut out = format!("## Spec audit: {}\n", report.summary());
    for page in &report.pages {
        if let Some(problem) = &page.problem {
            out.push_str(&format!(
                "\n### `{}`\n\n**Not audited:** {}\n",
                cell(&page.page),
                cell(problem)
            ));
            continue;
        }
        for matched in &page.operations {
            out.push_str(&format!(
                "\n### `{}`: {} {} `{}`\n\n",
                cell(&page.page),
                matched.product,
                matched.version,
                matched.operation
            ));
            let shown: Vec<&Finding> = report.shown(matched).collect();
            if shown.is_empty() {
                out.push_str("The page agrees with the spec.\n");
                continue;
            }
            out.push_str(
                "| difference | fact | page | spec | what |\n| --- | --- | --- | --- | --- |\n",
            );
            for finding in shown {
                out.push_str(&format!(
                    "| {}{} | `{}.{}` | `{}` | `{}` | {} |\n",
                    if finding.acknowledged {
                        "acknowledged "
                    } else {
                        ""
                    },
                    finding.kind,
                    finding.fact.id(),
                    aspect_id(finding.aspect),
                    cell(&page_place(page, finding)),
                    cell(&finding.spec.to_string()),
                    cell(&finding.message)
                ));
            }
        }
    }
    out
}

fn json_report(report: &Report) -> String {
    let pages: Vec<Value> = report
        .pages
        .iter()
        .map(|page| {
            let operations: Vec<Value> = page
                .operations
                .iter()
                .map(|matched| {
                    let findings: Vec<Value> = report
                        .shown(matched)
                        .map(|finding| {
                            json!({
                                "kind": finding.kind.as_str(),
                                "fact": finding.fact.id(),
                                "aspect": aspect_id(finding.aspect),
                                "subject": finding.subject,
                                "page_line": finding.page_line,
                                "spec_file": finding.spec.file,
                                "spec_line": finding.spec.location.map(|at| at.line),
                                "spec_column": finding.spec.location.map(|at| at.column),
                                "message": finding.message,
                                "acknowledged": finding.acknowledged,
                            })
                        })
                        .collect();
                    json!({
                        "product": matched.product,
                        "version": matched.version,
                        "operation": matched.operation,
                        "found_by": matched.by,
                        "page_line": matched.page_line,
                        "findings": findings,
                    })
                })
                .collect();
            json!({
                "page": page.page,
                "format": page.format,
                "problem": page.problem,
                "operations": operations,
            })
        })
        .collect();
    let value = json!({
        "format": FORMAT,
        "pages": pages,
        "summary": {
            "differences": report.unacknowledged(),
            "acknowledged": report.acknowledged(),
            "unaudited_pages": report.problems(),
            "text": report.summary(),
        },
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// Annotations on the spec's files (the pages need not be in the repository): differences are
/// errors, acknowledged ones notices; a page that could not be audited is an error on it.
fn github(report: &Report) -> String {
    let mut out = String::new();
    for page in &report.pages {
        if let Some(problem) = &page.problem {
            out.push_str(&format!(
                "::error file={},title={}::{}\n",
                property(&page.page),
                property("zoho-codegen audit"),
                data(problem)
            ));
            continue;
        }
        for matched in &page.operations {
            for finding in report.shown(matched) {
                let mut properties = vec![format!("file={}", property(&finding.spec.file))];
                if let Some(at) = finding.spec.location {
                    properties.push(format!("line={}", at.line));
                    properties.push(format!("col={}", at.column));
                }
                properties.push(format!(
                    "title={}",
                    property(&format!("audit {}", label(finding)))
                ));
                out.push_str(&format!(
                    "::{} {}::{}\n",
                    if finding.acknowledged {
                        "notice"
                    } else {
                        "error"
                    },
                    properties.join(","),
                    data(&format!(
                        "{} ({} {}: {})",
                        finding.message,
                        matched.name(),
                        "page",
                        page_place(page, finding)
                    ))
                ));
            }
        }
    }
    out.push_str(&format!(
        "::notice title={}::{}\n",
        property("zoho-codegen audit"),
        data(&report.summary())
    ));
    out
}
