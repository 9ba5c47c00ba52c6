//! Non-Rust files of the generated crate, rendered with askama: README.md and Cargo.toml.

use askama::Template;

use crate::ir::{Crate, Operation, ResponseKind};

/// `README.md`: what the crate offers, with a table of every operation.
#[derive(Template)]
#[template(path = "readme.md", escape = "none")]
struct Readme {
    name: String,
    version: String,
    description: String,
    operation_count: usize,
    example: String,
    sections: Vec<Section>,
}

/// One product version.
struct Section {
    title: String,
    module_path: String,
    accessor: String,
    prefix: String,
    served: String,
    spec_file: String,
    rows: Vec<Row>,
    /// Calls no source confirms: name and why, in table order.
    unconfirmed: Vec<(String, String)>,
}

/// One operation.
struct Row {
    operation: String,
    request: String,
    answer: String,
    scopes: String,
    errors: String,
    page: String,
    source: String,
}

/// `Cargo.toml`, with every value already a TOML string.
#[derive(Template)]
#[template(path = "cargo.toml", escape = "none")]
struct Manifest {
    name: String,
    version: String,
    description: String,
}

/// Renders `README.md`.
pub fn readme(krate: &Crate) -> Result<String, String> {
    let sections: Vec<Section> = krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
        .map(|api| Section {
            unconfirmed: api
                .operations
                .values()
                .filter_map(|op| Some((op.name.clone(), op.unconfirmed.clone()?)))
                .chain(api.composites.values().filter_map(|composite| {
                    Some((composite.name.clone(), composite.unconfirmed.clone()?))
                }))
                .map(|(name, why)| (name, one_line(&why)))
                .collect(),
            title: api.title.clone(),
            module_path: format!("{}::{}", api.product, api.module),
            accessor: api.accessor.clone(),
            prefix: api.prefix.clone(),
            served: api
                .origins
                .iter()
                .map(|(id, _)| id.to_uppercase())
                .collect::<Vec<_>>()
                .join(", "),
            spec_file: api.spec_file.clone(),
            rows: api
                .operations
                .values()
                .map(|op| Row {
                    operation: operation_cell(&op.name, op.unconfirmed.is_some()),
                    request: format!("`{} {}{}`", op.method, api.prefix, op.path_template),
                    answer: answer_cell(op),
                    scopes: scopes_cell(op),
                    errors: op
                        .errors
                        .iter()
                        .map(|error| {
                            let statuses: Vec<String> =
                                error.statuses.iter().map(u16::to_string).collect();
                            format!("`{}` {}", error.code, statuses.join("/"))
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    page: page_name(&op.source),
                    source: op.source.clone(),
                })
                .chain(api.composites.values().map(|composite| {
                    Row {
                        operation: operation_cell(&composite.name, composite.unconfirmed.is_some()),
                        request: format!("`{}`, then `{}`", composite.first, composite.then),
                        answer: api
                            .operations
                            .get(&composite.then)
                            .map(answer_cell)
                            .unwrap_or_default(),
                        scopes: "those of both steps".to_owned(),
                        errors: "those of both steps".to_owned(),
                        page: page_name(&composite.source),
                        source: composite.source.clone(),
                    }
                }))
                .collect(),
        })
        .collect();
    Readme {
        name: krate.name.clone(),
        version: krate.version.clone(),
        description: krate.description.clone(),
        operation_count: sections.iter().map(|section| section.rows.len()).sum(),
        example: super::example::readme(krate),
        sections,
    }
    .render()
    .map_err(|error| format!("README.md: {error}"))
}

/// Renders `Cargo.toml`.
pub fn manifest(krate: &Crate) -> Result<String, String> {
    Manifest {
        name: toml_string(&krate.name),
        version: toml_string(&krate.version),
        description: toml_string(&krate.description),
    }
    .render()
    .map_err(|error| format!("Cargo.toml: {error}"))
}

/// An operation's name for a table cell, flagged when no source confirms it.
fn operation_cell(name: &str, unconfirmed: bool) -> String {
    if unconfirmed {
        format!("`{name}` (**unconfirmed**)")
    } else {
        format!("`{name}`")
    }
}

/// Spec text on one Markdown line: line breaks of a folded or literal block become spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a success answers, for a table cell.
fn answer_cell(op: &Operation) -> String {
    let mut cell = match &op.response.kind {
        ResponseKind::Object(name) => format!("`{name}`"),
        ResponseKind::List(name) => format!("list of `{name}`"),
        ResponseKind::Binary { .. } => "file".to_owned(),
    };
    if let Some(empty) = &op.response.empty {
        cell.push_str(&format!(", nothing on {}", empty.status));
    }
    cell
}

/// "(A or B) and C; {operation}: ALL, READ" in Markdown, for a table cell.
fn scopes_cell(op: &Operation) -> String {
    let groups: Vec<String> = op
        .scopes
        .groups
        .iter()
        .map(|group| {
            let alternatives = group
                .iter()
                .map(|scope| format!("`{scope}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            // Parenthesised when combined with another group, so "and" cannot be misread.
            if group.len() > 1 && op.scopes.groups.len() > 1 {
                format!("({alternatives})")
            } else {
                alternatives
            }
        })
        .collect();
    let mut cell = groups.join(" **and** ");
    if op
        .scopes
        .groups
        .iter()
        .flatten()
        .any(|scope| scope.contains("{operation}"))
    {
        let names: Vec<&str> = op
            .scopes
            .operations
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        cell.push_str(&format!("; `{{operation}}`: {}", names.join(", ")));
    }
    cell
}

/// The last path segment of a page URL, as link text.
fn page_name(url: &str) -> String {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(url)
        .to_owned()
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }

    #[test]
    fn page_names_are_the_last_segment() {
        assert_eq!(
            page_name("https://www.zoho.com/crm/developer/docs/api/v7/get-attachments.html"),
            "get-attachments.html"
        );
    }
}
