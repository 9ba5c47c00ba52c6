//! The facts of a page, read from its blocks: what the spec transcribes, each with the page
//! line it was read on.
//!
//! Sections are found by their titles (`Purpose`, `Possible Errors`...), whatever the format
//! made of them (a heading, or a line standing alone). A `Purpose` starts an operation, so a
//! page describing several operations gives several; a damaged copy whose first headings were
//! lost still gives one, from its first known section, with the paragraph before it as its
//! purpose. Whatever a section holds that cannot be read is left out rather than guessed: a
//! field without a known type has no type, an error row whose code was lost has no code.

use serde::Serialize;
use serde_json::Value;

use super::block::{Block, BlockKind};
use super::clean::{split_error_label, split_field_label, split_prose_list, squash};
use super::detect::Format;

/// A value and the page line it was read on (from 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Located<T> {
    /// The page line.
    pub line: usize,
    /// The value.
    pub value: T,
}

/// The entries of a section, with the line of the section's title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed<T> {
    /// The line of the section's title.
    pub line: usize,
    /// Its entries, in page order.
    pub items: Vec<T>,
}

/// Everything read from one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageFacts {
    /// The format the page was read as.
    pub format: Format,
    /// Every link address on the page.
    pub links: Vec<Located<String>>,
    /// The operations the page describes, in page order.
    pub operations: Vec<OperationFacts>,
}

/// One operation of a page.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OperationFacts {
    /// The line its description starts on.
    pub line: usize,
    /// Its heading (`Get list of Attachments`), when the page has one.
    pub title: Option<Located<String>>,
    /// The Purpose section's text.
    pub purpose: Option<Located<String>>,
    /// The Endpoints section: method and path, with the address each links to.
    pub endpoints: Vec<Located<Endpoint>>,
    /// The Request URL as written (`{api-domain}/crm/{version}/...` or a full URL).
    pub request_url: Option<Located<String>>,
    /// "Supported modules": display names.
    pub modules: Option<Listed<Located<String>>>,
    /// "Possible module names": the names scopes use.
    pub module_names: Option<Listed<Located<String>>>,
    /// The Scope section, with its and/or structure.
    pub scope: Option<Located<ScopeExpr>>,
    /// "Possible operation types".
    pub operation_types: Option<Listed<OperationType>>,
    /// "Parameters".
    pub parameters: Option<Listed<Field>>,
    /// "Input form-data".
    pub form_data: Option<Listed<Field>>,
    /// "Response JSON Keys", nested keys after their parent with a greater `depth` where the
    /// page nests them.
    pub response_keys: Option<Listed<Field>>,
    /// "Possible Errors", one row per message (a code listed twice stays twice).
    pub errors: Option<Listed<ErrorRow>>,
    /// The curl sample of "Sample Request" (the first sample when none is curl).
    pub sample_request: Option<Located<String>>,
    /// "Sample Response".
    pub sample_response: Option<SampleResponse>,
    /// The titles of the sections found, in page order.
    pub sections: Vec<Located<Section>>,
}

/// An endpoint: `GET /{module_api_name}/{record_id}/Attachments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// The HTTP method.
    pub method: String,
    /// The path, relative to the version's prefix.
    pub path: String,
    /// The page the endpoint links to, when it does.
    pub link: Option<String>,
}

/// A scope rule: every group must be satisfied, by any one of its scopes. `scope=` prefixes
/// are dropped; placeholders are kept as written (`{module_name}`, `{operation_type}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeExpr {
    /// The groups, in page order.
    pub all_of: Vec<Vec<String>>,
}

/// A row of "Possible operation types": `READ - Get attachment data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationType {
    /// The page line.
    pub line: usize,
    /// The name (`READ`).
    pub name: String,
    /// What it grants.
    pub doc: String,
}

/// A parameter, form-data field or response key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The page line of its label.
    pub line: usize,
    /// Its name.
    pub name: String,
    /// Its type as the page writes it (`string`, `JSON object`), when the label ends in one.
    pub ty: Option<String>,
    /// Whether the page says `mandatory` (true) or `optional` (false).
    pub required: Option<bool>,
    /// Its description.
    pub doc: String,
    /// How deep the page nests it (0 at the top of its section).
    pub depth: usize,
    /// The field it is nested in, for nested lists.
    pub parent: Option<String>,
    /// Its value table (`Value` / `Description`), when it has one.
    pub values: Vec<ValueRow>,
}

/// One row of a value table: `1` / `File`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueRow {
    /// The page line.
    pub line: usize,
    /// The value as written.
    pub value: String,
    /// Its description.
    pub doc: String,
}

/// One row of "Possible Errors".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorRow {
    /// The page line.
    pub line: usize,
    /// The code, unless the page lost it.
    pub code: Option<String>,
    /// The HTTP status, unless the page lost it.
    pub status: Option<u16>,
    /// The message.
    pub message: Option<String>,
    /// The resolution, without its `Resolution:` label.
    pub resolution: Option<String>,
}

/// "Sample Response": the text as printed and, when it is JSON, its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleResponse {
    /// The page line.
    pub line: usize,
    /// The text as printed (without `Copied`).
    pub text: String,
    /// The JSON value, when the text is valid JSON.
    pub json: Option<Value>,
}

/// The sections of Zoho's operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// What the operation does.
    Purpose,
    /// Method and path.
    Endpoints,
    /// A title over the request's sections.
    RequestDetails,
    /// The request URL.
    RequestUrl,
    /// Supported modules.
    SupportedModules,
    /// The authorization header.
    Header,
    /// The scopes.
    Scope,
    /// Possible module names.
    ModuleNames,
    /// Possible operation types.
    OperationTypes,
    /// Parameters.
    Parameters,
    /// Input form-data.
    FormData,
    /// A note.
    Note,
    /// The sample request.
    SampleRequest,
    /// Response JSON keys.
    ResponseKeys,
    /// Possible errors.
    Errors,
    /// The sample response.
    SampleResponse,
    /// A section the spec does not transcribe from the page (input JSON keys, sample input).
    Other,
}

/// The section a line names, when it is the title of one.
pub fn section_of(line: &str) -> Option<Section> {
    let title = squash(line);
    let title = title.trim_end_matches(':').to_lowercase();
    Some(match title.as_str() {
        "purpose" => Section::Purpose,
        "endpoint" | "endpoints" => Section::Endpoints,
        "request details" => Section::RequestDetails,
        "request url" | "request urls" => Section::RequestUrl,
        "supported module" | "supported modules" => Section::SupportedModules,
        "header" | "headers" | "authorization" => Section::Header,
        "scope" | "scopes" => Section::Scope,
        "possible module names" => Section::ModuleNames,
        "possible operation types" => Section::OperationTypes,
        "parameters" | "query parameters" => Section::Parameters,
        "input form-data" | "input form data" | "form-data" => Section::FormData,
        "note" | "notes" => Section::Note,
        "sample request" => Section::SampleRequest,
        "response json keys" | "response keys" => Section::ResponseKeys,
        "possible errors" => Section::Errors,
        "sample response" => Section::SampleResponse,
        "input json keys" | "input json" | "sample input" => Section::Other,
        _ => return None,
    })
}

/// Sections that only Zoho's operation pages have; an operation needs two of them, so that a
/// page that merely has a "Parameters" heading is not taken for one.
fn is_core(section: Section) -> bool {
    !matches!(
        section,
        Section::RequestDetails | Section::Header | Section::Note | Section::Other
    )
}

/// Reads the facts of a page's blocks.
pub fn read(format: Format, blocks: &[Block]) -> PageFacts {
    let links = blocks
        .iter()
        .flat_map(|block| {
            block.links.iter().map(|link| Located {
                line: block.line,
                value: link.clone(),
            })
        })
        .collect();
    let mut operations: Vec<OperationFacts> = Vec::new();
    let mut loose: Vec<&Block> = Vec::new();
    let mut open: Option<(Section, usize, Vec<&Block>)> = None;
    for block in blocks {
        let title = match block.kind {
            BlockKind::Heading | BlockKind::Paragraph if !block.text.contains('\n') => {
                section_of(&block.text)
            }
            _ => None,
        };
        let Some(section) = title else {
            match &mut open {
                Some((_, _, members)) => members.push(block),
                None => loose.push(block),
            }
            continue;
        };
        // The heading just before `Purpose` names the next operation, not the last section.
        let mut heading = None;
        if section == Section::Purpose {
            let before = match &mut open {
                Some((_, _, members)) => members,
                None => &mut loose,
            };
            if before.last().is_some_and(|last| is_title(last)) {
                heading = before.pop();
            }
        }
        if let (Some((done, line, members)), Some(operation)) = (open.take(), operations.last_mut())
        {
            fill(operation, done, line, &members);
        }
        if section == Section::Purpose || operations.is_empty() {
            let mut operation = OperationFacts {
                line: heading.map_or(block.line, |heading| heading.line),
                title: heading.map(|heading| Located {
                    line: heading.line,
                    value: squash(&heading.text),
                }),
                ..OperationFacts::default()
            };
            if section != Section::Purpose {
                // A copy that lost its headings: the text before the first section is the
                // operation's purpose, as on every page of this layout.
                operation.purpose = loose
                    .iter()
                    .rev()
                    .find(|block| block.kind == BlockKind::Paragraph)
                    .map(|block| Located {
                        line: block.line,
                        value: squash(&block.text),
                    });
            }
            operations.push(operation);
            loose.clear();
        }
        if let Some(operation) = operations.last_mut() {
            operation.sections.push(Located {
                line: block.line,
                value: section,
            });
        }
        open = Some((section, block.line, Vec::new()));
    }
    if let (Some((done, line, members)), Some(operation)) = (open.take(), operations.last_mut()) {
        fill(operation, done, line, &members);
    }
    operations.retain(|operation| {
        let mut core: Vec<Section> = operation
            .sections
            .iter()
            .map(|section| section.value)
            .filter(|section| is_core(*section))
            .collect();
        core.dedup();
        core.len() >= 2
    });
    PageFacts {
        format,
        links,
        operations,
    }
}

fn is_title(block: &Block) -> bool {
    match block.kind {
        BlockKind::Heading => true,
        BlockKind::Paragraph => !block.text.contains('\n') && block.text.len() <= 80,
        _ => false,
    }
}

/// Reads one section's blocks into the operation.
fn fill(operation: &mut OperationFacts, section: Section, line: usize, blocks: &[&Block]) {
    match section {
        Section::Purpose => operation.purpose = purpose(blocks),
        Section::Endpoints => operation.endpoints = endpoints(blocks),
        Section::RequestUrl => operation.request_url = first_line(blocks),
        Section::SupportedModules => operation.modules = Some(prose_list(line, blocks)),
        Section::ModuleNames => operation.module_names = Some(prose_list(line, blocks)),
        Section::Scope => operation.scope = scope(blocks),
        Section::OperationTypes => {
            operation.operation_types = Some(Listed {
                line,
                items: operation_types(blocks),
            });
        }
        Section::Parameters => operation.parameters = Some(fields(line, blocks)),
        Section::FormData => operation.form_data = Some(fields(line, blocks)),
        Section::ResponseKeys => operation.response_keys = Some(fields(line, blocks)),
        Section::Errors => operation.errors = Some(errors(line, blocks)),
        Section::SampleRequest => operation.sample_request = sample_request(blocks),
        Section::SampleResponse => operation.sample_response = sample_response(blocks),
        Section::RequestDetails | Section::Header | Section::Note | Section::Other => {}
    }
}

fn text_blocks<'a>(blocks: &'a [&'a Block]) -> impl Iterator<Item = &'a Block> {
    blocks.iter().copied().filter(|block| {
        matches!(
            block.kind,
            BlockKind::Paragraph | BlockKind::Item | BlockKind::Heading
        )
    })
}

fn purpose(blocks: &[&Block]) -> Option<Located<String>> {
    let mut line = None;
    let mut text = String::new();
    for block in text_blocks(blocks) {
        let squashed = squash(&block.text);
        if squashed.is_empty() {
            continue;
        }
        line.get_or_insert(block.line);
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&squashed);
    }
    line.map(|line| Located { line, value: text })
}

fn first_line(blocks: &[&Block]) -> Option<Located<String>> {
    blocks
        .iter()
        .filter(|block| matches!(block.kind, BlockKind::Paragraph | BlockKind::Code))
        .flat_map(|block| block.lines())
        .map(|(line, text)| (line, squash(text)))
        .find(|(_, text)| !text.is_empty())
        .map(|(line, value)| Located { line, value })
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

fn endpoints(blocks: &[&Block]) -> Vec<Located<Endpoint>> {
    let mut found = Vec::new();
    for block in text_blocks(blocks) {
        for (line, text) in block.lines() {
            let text = squash(text);
            let Some((method, path)) = text.split_once(' ') else {
                continue;
            };
            let path = path.trim();
            if METHODS.contains(&method) && path.starts_with('/') {
                found.push(Located {
                    line,
                    value: Endpoint {
                        method: method.to_owned(),
                        path: path.to_owned(),
                        link: block.links.first().cloned(),
                    },
                });
            }
        }
    }
    found
}

/// The section's first paragraph as a list: what follows it is another section whose title
/// a damaged copy lost (the header's `Authorization: ...`).
fn prose_list(line: usize, blocks: &[&Block]) -> Listed<Located<String>> {
    let mut items = Vec::new();
    if let Some(block) = text_blocks(blocks).next() {
        for (line, text) in block.lines() {
            items.extend(
                split_prose_list(text)
                    .into_iter()
                    .map(|value| Located { line, value }),
            );
        }
    }
    Listed { line, items }
}

fn scope(blocks: &[&Block]) -> Option<Located<ScopeExpr>> {
    let mut line = None;
    let mut all_of: Vec<Vec<String>> = vec![Vec::new()];
    for block in text_blocks(blocks) {
        for (at, text) in block.lines() {
            let text = text
                .replace("(or)", "\n(or)\n")
                .replace("(and)", "\n(and)\n");
            for term in text.split(['\n', ',']) {
                let term = squash(term);
                let term = term.trim_matches('*').trim();
                match term {
                    "" | "(or)" => {}
                    "(and)" => all_of.push(Vec::new()),
                    _ => {
                        let scope = term.strip_prefix("scope=").unwrap_or(term).trim();
                        if !scope.is_empty() {
                            line.get_or_insert(at);
                            if let Some(group) = all_of.last_mut() {
                                group.push(scope.to_owned());
                            }
                        }
                    }
                }
            }
        }
    }
    all_of.retain(|group| !group.is_empty());
    line.map(|line| Located {
        line,
        value: ScopeExpr { all_of },
    })
}

fn operation_types(blocks: &[&Block]) -> Vec<OperationType> {
    let mut found = Vec::new();
    for block in text_blocks(blocks) {
        for (line, text) in block.lines() {
            let text = squash(text);
            let split = text
                .split_once(" - ")
                .or_else(|| text.split_once(" – "))
                .or_else(|| text.split_once(" — "));
            if let Some((name, doc)) = split {
                let name = name.trim();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                    found.push(OperationType {
                        line,
                        name: name.to_owned(),
                        doc: doc.trim().to_owned(),
                    });
                }
            }
        }
    }
    found
}

fn fields(line: usize, blocks: &[&Block]) -> Listed<Field> {
    let mut items: Vec<Field> = Vec::new();
    // The open value table belongs to the last field.
    let mut in_table = false;
    for block in blocks {
        match block.kind {
            BlockKind::Item => {
                let mut lines = block.lines();
                let Some((at, label)) = lines.next() else {
                    continue;
                };
                let (name, ty, required) = split_field_label(label);
                let parent = items
                    .iter()
                    .rev()
                    .find(|field| field.depth + 1 == block.depth)
                    .filter(|_| block.depth > 0)
                    .map(|field| field.name.clone());
                items.push(Field {
                    line: at,
                    name,
                    ty,
                    required,
                    doc: String::new(),
                    depth: block.depth,
                    parent,
                    values: Vec::new(),
                });
                in_table = false;
                if let Some(field) = items.last_mut() {
                    for (at, text) in lines {
                        describe(field, at, text, &mut in_table);
                    }
                }
            }
            BlockKind::Paragraph => {
                if let Some(field) = items.last_mut() {
                    for (at, text) in block.lines() {
                        describe(field, at, text, &mut in_table);
                    }
                }
            }
            BlockKind::Row => {
                let cells: Vec<&str> = block.text.split('\t').map(str::trim).collect();
                let Some(field) = items.last_mut() else {
                    continue;
                };
                if is_value_header(&cells.concat()) {
                    in_table = true;
                } else if in_table && cells.len() >= 2 {
                    field.values.push(ValueRow {
                        line: block.line,
                        value: cells[0].to_owned(),
                        doc: cells[1..].join(" "),
                    });
                }
            }
            BlockKind::Heading | BlockKind::Code => {}
        }
    }
    Listed { line, items }
}

fn is_value_header(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.eq_ignore_ascii_case("valuedescription")
}

/// Adds a line written under a field: a value table's header or row, or description.
fn describe(field: &mut Field, line: usize, text: &str, in_table: &mut bool) {
    let text = squash(text);
    if text.is_empty() {
        return;
    }
    if is_value_header(&text) {
        *in_table = true;
        return;
    }
    if *in_table {
        // Renderings glue a row's cells (`1File`): a number, then its description.
        let digits = text
            .char_indices()
            .find(|&(at, c)| !(c.is_ascii_digit() || (at == 0 && c == '-')))
            .map_or(text.len(), |(at, _)| at);
        if digits > 0 && digits < text.len() && text[..digits].parse::<i64>().is_ok() {
            field.values.push(ValueRow {
                line,
                value: text[..digits].to_owned(),
                doc: text[digits..].trim().to_owned(),
            });
            return;
        }
        *in_table = false;
    }
    if !field.doc.is_empty() {
        field.doc.push(' ');
    }
    field.doc.push_str(&text);
}

fn errors(line: usize, blocks: &[&Block]) -> Listed<ErrorRow> {
    let mut rows: Vec<ErrorRow> = Vec::new();
    // The code and status of the last labelled row, which nested rows share.
    let mut label: Option<(String, u16)> = None;
    let mut label_row: Option<usize> = None;
    for block in text_blocks(blocks) {
        let mut lines = block.lines().peekable();
        let Some(&(at, first)) = lines.peek() else {
            continue;
        };
        if let Some((code, status)) = split_error_label(first) {
            lines.next();
            label = Some((code.clone(), status));
            label_row = Some(rows.len());
            rows.push(row(at, Some(code), Some(status)));
        } else if block.kind == BlockKind::Item && block.depth > 0 && label.is_some() {
            // A nested row of the labelled one: it replaces the label's row if that has no
            // text of its own.
            if let Some(index) = label_row.take()
                && rows
                    .get(index)
                    .is_some_and(|row| row.message.is_none() && row.resolution.is_none())
            {
                rows.truncate(index);
            }
            let (code, status) = label.clone().unzip();
            rows.push(row(at, code, status));
        }
        for (at, text) in lines {
            let text = squash(text);
            if text.is_empty() {
                continue;
            }
            let resolution = text
                .get(..11)
                .filter(|head| head.eq_ignore_ascii_case("resolution:"))
                .map(|_| text[11..].trim().to_owned());
            let needs_new = match (&resolution, rows.last()) {
                (_, None) => true,
                (Some(_), Some(last)) => last.resolution.is_some(),
                (None, Some(last)) => last.resolution.is_some(),
            };
            if needs_new {
                rows.push(row(at, None, None));
                label_row = None;
            }
            let Some(last) = rows.last_mut() else {
                continue;
            };
            match resolution {
                Some(resolution) => last.resolution = Some(resolution),
                None => match &mut last.message {
                    Some(message) => {
                        message.push(' ');
                        message.push_str(&text);
                    }
                    None => last.message = Some(text),
                },
            }
        }
    }
    Listed { line, items: rows }
}

fn row(line: usize, code: Option<String>, status: Option<u16>) -> ErrorRow {
    ErrorRow {
        line,
        code,
        status,
        message: None,
        resolution: None,
    }
}

fn sample_request(blocks: &[&Block]) -> Option<Located<String>> {
    let code = || blocks.iter().filter(|block| block.kind == BlockKind::Code);
    code()
        .find(|block| block.text.trim_start().starts_with("curl"))
        .or_else(|| code().next())
        .map(|block| Located {
            line: block.line,
            value: block.text.clone(),
        })
}

fn sample_response(blocks: &[&Block]) -> Option<SampleResponse> {
    let (line, text) = match blocks.iter().find(|block| block.kind == BlockKind::Code) {
        Some(block) => (block.line, block.text.clone()),
        None => {
            // A copy that lost its code markup: the sample is the section's text.
            let first = text_blocks(blocks).next()?;
            let text: Vec<&str> = text_blocks(blocks)
                .map(|block| block.text.as_str())
                .collect();
            (first.line, text.join("\n"))
        }
    };
    if let Ok(json) = serde_json::from_str(text.trim()) {
        return Some(SampleResponse {
            line,
            text,
            json: Some(json),
        });
    }
    // Scraped copies end some lines of a sample with a Markdown line-break backslash (`[\`,
    // `},\`) that is no part of it: without them, the sample is JSON again.
    let repaired: Vec<&str> = text
        .lines()
        .map(|line| line.strip_suffix('\\').unwrap_or(line))
        .collect();
    let repaired = repaired.join("\n");
    let json = serde_json::from_str(repaired.trim()).ok();
    let text = if json.is_some() { repaired } else { text };
    Some(SampleResponse { line, text, json })
}
