//! "Possible Errors" row by row. Rows are paired in page order by their longest common run of
//! rows that agree in code (or whose code the page lost) and in message or resolution; rows
//! left between two pairs are paired in order when both sides left as many, so that a changed
//! code, status or text is one finding, and an added or removed row is one finding too.

use super::{Ctx, Draft, words};
use crate::load::model::{Departure, ErrorDef};
use crate::load::yaml::Segment;
use crate::tools::audit::{Fact, Kind};
use crate::tools::page::{ErrorRow, OperationFacts};

pub(super) fn errors(ctx: &mut Ctx<'_>, page: &OperationFacts) {
    let spec = &ctx.target.op.errors;
    let Some(listed) = &page.errors else {
        for (at, row) in spec.iter().enumerate() {
            let path = ctx.op_path(&["errors"]);
            ctx.add(Draft {
                kind: Kind::InSpecOnly,
                fact: Fact::Error,
                subject: row.code.clone(),
                aspect: Departure::Absent,
                page_line: Some(page.line),
                spec_path: indexed(path, at),
                message: format!(
                    "the spec lists error {} ({}), the page has no Possible Errors",
                    row.code, row.status
                ),
                marks: &row.acknowledged,
            });
        }
        return;
    };
    let rows = &listed.items;
    for pair in align(rows, spec) {
        match pair {
            (Some(page_row), Some(at)) => compare_rows(ctx, &rows[page_row], &spec[at], at),
            (Some(page_row), None) => {
                let row = &rows[page_row];
                let path = ctx.op_path(&["errors"]);
                ctx.add(Draft {
                    kind: Kind::OnPageOnly,
                    fact: Fact::Error,
                    subject: row.code.clone().unwrap_or_default(),
                    aspect: Departure::Absent,
                    page_line: Some(row.line),
                    spec_path: path,
                    message: format!("the page lists error {}, the spec does not", describe(row)),
                    marks: &[],
                });
            }
            (None, Some(at)) => {
                let row = &spec[at];
                let path = indexed(ctx.op_path(&["errors"]), at);
                ctx.add(Draft {
                    kind: Kind::InSpecOnly,
                    fact: Fact::Error,
                    subject: row.code.clone(),
                    aspect: Departure::Absent,
                    page_line: Some(listed.line),
                    spec_path: path,
                    message: format!(
                        "the spec lists error {} {}{}, the page does not",
                        row.code,
                        row.status,
                        row.message
                            .as_deref()
                            .map(|message| format!(" \"{message}\""))
                            .unwrap_or_default()
                    ),
                    marks: &row.acknowledged,
                });
            }
            (None, None) => {}
        }
    }
}

/// Pairs of (page row, spec row) in order; `None` on one side for an unpaired row.
fn align(page: &[ErrorRow], spec: &[ErrorDef]) -> Vec<(Option<usize>, Option<usize>)> {
    let (n, m) = (page.len(), spec.len());
    // Longest common subsequence of rows that are the same row.
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if same_row(&page[i], &spec[j]) {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let mut anchors = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if same_row(&page[i], &spec[j]) && table[i][j] == table[i + 1][j + 1] + 1 {
            anchors.push((i, j));
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    anchors.push((n, m));
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (anchor_i, anchor_j) in anchors {
        let page_gap = anchor_i - i;
        let spec_gap = anchor_j - j;
        if page_gap == spec_gap {
            pairs.extend((0..page_gap).map(|k| (Some(i + k), Some(j + k))));
        } else {
            pairs.extend((i..anchor_i).map(|k| (Some(k), None)));
            pairs.extend((j..anchor_j).map(|k| (None, Some(k))));
        }
        if anchor_i < n {
            pairs.push((Some(anchor_i), Some(anchor_j)));
        }
        i = anchor_i + 1;
        j = anchor_j + 1;
    }
    pairs
}

fn same_row(page: &ErrorRow, spec: &ErrorDef) -> bool {
    let code = page.code.as_ref().is_none_or(|code| *code == spec.code);
    let text = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => words(a) == words(b),
        _ => false,
    };
    code && (text(&page.message, &spec.message) || text(&page.resolution, &spec.resolution))
}

fn compare_rows(ctx: &mut Ctx<'_>, page: &ErrorRow, spec: &ErrorDef, at: usize) {
    let here = indexed(ctx.op_path(&["errors"]), at);
    let field = |key: &str| {
        let mut path = here.clone();
        path.push(Segment::from(key));
        path
    };
    let mut found: Vec<(Departure, Vec<Segment>, String)> = Vec::new();
    match &page.code {
        Some(code) if *code != spec.code => found.push((
            Departure::Code,
            field("code"),
            format!("error code {code} on the page, {} in the spec", spec.code),
        )),
        None => found.push((
            Departure::Code,
            field("code"),
            format!(
                "the page's row gives no error code; the spec has {}",
                spec.code
            ),
        )),
        Some(_) => {}
    }
    match page.status {
        Some(status) if status != spec.status => found.push((
            Departure::Status,
            field("status"),
            format!(
                "error {}: HTTP {status} on the page, {} in the spec",
                spec.code, spec.status
            ),
        )),
        None => found.push((
            Departure::Status,
            field("status"),
            format!(
                "the page's row gives no HTTP status; the spec has {} for {}",
                spec.status, spec.code
            ),
        )),
        Some(_) => {}
    }
    for (key, page_text, spec_text) in [
        ("message", &page.message, &spec.message),
        ("resolution", &page.resolution, &spec.resolution),
    ] {
        let same = match (page_text, spec_text) {
            (Some(a), Some(b)) => words(a) == words(b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            found.push((
                Departure::Text,
                field(key),
                format!(
                    "error {} {key}: {} on the page, {} in the spec",
                    spec.code,
                    quoted(page_text),
                    quoted(spec_text)
                ),
            ));
        }
    }
    for (aspect, path, message) in found {
        ctx.add(Draft {
            kind: Kind::Differs,
            fact: Fact::Error,
            subject: spec.code.clone(),
            aspect,
            page_line: Some(page.line),
            spec_path: path,
            message,
            marks: &spec.acknowledged,
        });
    }
}

fn quoted(text: &Option<String>) -> String {
    text.as_deref()
        .map_or_else(|| "none".to_owned(), |text| format!("\"{text}\""))
}

fn describe(row: &ErrorRow) -> String {
    let mut text = match (&row.code, row.status) {
        (Some(code), Some(status)) => format!("{code} {status}"),
        (Some(code), None) => code.clone(),
        _ => "(without a code)".to_owned(),
    };
    if let Some(message) = &row.message {
        text.push_str(&format!(" \"{message}\""));
    }
    text
}

fn indexed(mut path: Vec<Segment>, at: usize) -> Vec<Segment> {
    path.push(Segment::Index(at));
    path
}
