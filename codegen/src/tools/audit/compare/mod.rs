//! Compares one page operation with its spec operation, fact by fact.
//!
//! Texts are compared as [`comparable`] makes them (white space, Markdown escapes and emphasis,
//! case and a final full stop do not count); sample responses as JSON values; scopes as groups
//! of alternatives, whatever their order; lists (modules, operation types, parameters, keys,
//! errors) entry by entry, so that one changed entry is one finding. Only what the spec
//! transcribes from the page is compared: `note`, `provenance` and facts the spec marks
//! `undocumented` are not the page's.

mod errors;
mod fields;

use serde_json::Value;

use super::matching::{Target, rest_of, same_route};
use super::{Fact, Finding, Kind, SpecPlace};
use crate::load::LoadedSpec;
use crate::load::model::Departure;
use crate::load::type_expr::TypeExpr;
use crate::load::yaml::Segment;
use crate::tools::page::OperationFacts;
use crate::tools::page::clean::{comparable, squash};

/// Every difference between `page` and `target`, sorted by page line.
pub fn compare(spec: &LoadedSpec, page: &OperationFacts, target: &Target<'_>) -> Vec<Finding> {
    let mut ctx = Ctx {
        spec,
        target: *target,
        findings: Vec::new(),
    };
    ctx.purpose(page);
    ctx.endpoints(page);
    ctx.request_url(page);
    ctx.modules(page);
    ctx.scope(page);
    ctx.operation_types(page);
    fields::parameters(&mut ctx, page);
    fields::keys(&mut ctx, page);
    errors::errors(&mut ctx, page);
    ctx.sample_request(page);
    ctx.sample_response(page);
    ctx.stale_acknowledgements(page);
    let mut findings = ctx.findings;
    findings.sort_by_key(|finding| finding.page_line.unwrap_or(usize::MAX));
    findings
}

/// What a comparison needs, and what it found.
pub(super) struct Ctx<'a> {
    spec: &'a LoadedSpec,
    target: Target<'a>,
    findings: Vec<Finding>,
}

/// A finding before it is placed: `acknowledged` is decided from the spec entry's marks.
pub(super) struct Draft<'m> {
    kind: Kind,
    fact: Fact,
    subject: String,
    aspect: Departure,
    page_line: Option<usize>,
    spec_path: Vec<Segment>,
    message: String,
    /// The `acknowledged:` of the spec entry the finding is about, when there is one.
    marks: &'m [Departure],
}

impl<'a> Ctx<'a> {
    /// A path inside the operation.
    fn op_path(&self, rest: &[&str]) -> Vec<Segment> {
        let mut path = vec![Segment::from("operations"), Segment::from(self.target.name)];
        path.extend(rest.iter().map(|key| Segment::from(*key)));
        path
    }

    fn add(&mut self, draft: Draft<'_>) {
        let file = self.target.file;
        let subject_id = if draft.subject.is_empty() {
            draft.fact.id().to_owned()
        } else {
            format!("{} {}", draft.fact.id(), draft.subject)
        };
        // An operation-level mark names the fact (`sample-response`) or the fact and its
        // subject (`module-name notes`).
        let by_operation = self
            .target
            .op
            .acknowledged
            .iter()
            .any(|mark| *mark == subject_id || *mark == draft.fact.id());
        let acknowledged = by_operation || draft.marks.contains(&draft.aspect);
        self.findings.push(Finding {
            kind: draft.kind,
            fact: draft.fact,
            subject: draft.subject,
            aspect: draft.aspect,
            page_line: draft.page_line,
            spec: SpecPlace {
                file: file.display_path.clone(),
                location: file.map.value(&draft.spec_path),
            },
            message: draft.message,
            acknowledged,
        });
    }

    /// An operation's `acknowledged:` entry that acknowledges no difference is stale (the page
    /// was fixed) or misspelt: either way the spec claims a departure the page does not show.
    fn stale_acknowledgements(&mut self, page: &OperationFacts) {
        let op = self.target.op;
        for (index, mark) in op.acknowledged.iter().enumerate() {
            let used = self.findings.iter().any(|finding| {
                finding.acknowledged && (finding.id() == *mark || finding.fact.id() == mark)
            });
            if used {
                continue;
            }
            let mut path = self.op_path(&["acknowledged"]);
            path.push(Segment::Index(index));
            self.add(Draft {
                kind: Kind::InSpecOnly,
                fact: Fact::Acknowledged,
                subject: mark.clone(),
                aspect: Departure::Absent,
                page_line: Some(page.line),
                spec_path: path,
                message: format!(
                    "the operation acknowledges `{mark}`, but the page shows no such difference: \
                     remove it from `acknowledged` (or correct its spelling)"
                ),
                marks: &[],
            });
        }
    }

    fn purpose(&mut self, page: &OperationFacts) {
        let Some(purpose) = &page.purpose else {
            return;
        };
        let op = self.target.op;
        let spec_text = words(&format!(
            "{} {}",
            op.summary,
            op.doc.as_deref().unwrap_or_default()
        ));
        let missing: Vec<&str> = sentences(&purpose.value)
            .filter(|sentence| !spec_text.contains(&words(sentence)))
            .collect();
        if !missing.is_empty() {
            self.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Purpose,
                subject: String::new(),
                aspect: Departure::Text,
                page_line: Some(purpose.line),
                spec_path: self.op_path(&["summary"]),
                message: format!(
                    "the page's purpose says \"{}\", which the operation's summary and doc do not",
                    missing.join(" ")
                ),
                marks: &[],
            });
        }
    }

    fn endpoints(&mut self, page: &OperationFacts) {
        let op = self.target.op;
        for endpoint in &page.endpoints {
            let endpoint_ = &endpoint.value;
            if endpoint_.method == op.method && endpoint_.path == op.path.text() {
                continue;
            }
            let (path, what) = if endpoint_.method != op.method {
                (
                    "method",
                    format!(
                        "method {} on the page, {} in the spec",
                        endpoint_.method, op.method
                    ),
                )
            } else {
                (
                    "path",
                    format!(
                        "path `{}` on the page, `{}` in the spec",
                        endpoint_.path,
                        op.path.text()
                    ),
                )
            };
            self.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Endpoint,
                subject: String::new(),
                aspect: Departure::Path,
                page_line: Some(endpoint.line),
                spec_path: self.op_path(&[path]),
                message: what,
                marks: &[],
            });
        }
    }

    fn request_url(&mut self, page: &OperationFacts) {
        let file = self.target.file;
        let section = page
            .sections
            .iter()
            .find(|s| s.value == crate::tools::page::facts::Section::RequestUrl);
        let Some(url) = &page.request_url else {
            if let Some(section) = section {
                self.add(Draft {
                    kind: Kind::InSpecOnly,
                    fact: Fact::RequestUrl,
                    subject: String::new(),
                    aspect: Departure::Absent,
                    page_line: Some(section.line),
                    spec_path: vec![Segment::from("server"), Segment::from("prefix")],
                    message: format!(
                        "the page's Request URL section is empty; the spec serves the operation at `{}{}`",
                        file.spec.server.prefix,
                        self.target.op.path.text()
                    ),
                    marks: &[],
                });
            }
            return;
        };
        let fits = rest_of(self.spec, file, &url.value)
            .is_some_and(|rest| same_route(&rest, self.target.op.path.text()));
        if !fits {
            self.add(Draft {
                kind: Kind::Differs,
                fact: Fact::RequestUrl,
                subject: String::new(),
                aspect: Departure::Path,
                page_line: Some(url.line),
                spec_path: vec![Segment::from("server"), Segment::from("prefix")],
                message: format!(
                    "the page's request URL `{}` is not on the hosts `{}` under `{}{}`",
                    url.value,
                    file.spec.server.hosts,
                    file.spec.server.prefix,
                    self.target.op.path.text()
                ),
                marks: &[],
            });
        }
    }

    /// Supported modules and possible module names, when the operation takes a module.
    fn modules(&mut self, page: &OperationFacts) {
        let op = self.target.op;
        let file = self.target.file;
        let Some(param) = op
            .params
            .values()
            .find(|param| param.ty.get() == Some(&TypeExpr::Module))
        else {
            return;
        };
        let names: Vec<&String> = match &param.set {
            Some(set) => match file.spec.module_sets.get(set) {
                Some(set) => set.modules.iter().collect(),
                None => return,
            },
            None => file.spec.modules.keys().collect(),
        };
        let modules: Vec<(&String, &crate::load::model::ModuleDef)> = names
            .into_iter()
            .filter_map(|name| file.spec.modules.get_key_value(name))
            .collect();
        let key_path = |name: &str| vec![Segment::from("modules"), Segment::from(name)];
        let scope_path = |name: &str| {
            vec![
                Segment::from("modules"),
                Segment::from(name),
                Segment::from("scope"),
            ]
        };
        // Display names.
        if let Some(listed) = &page.modules {
            for module in &listed.items {
                if !modules
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case(&module.value))
                {
                    self.add(Draft {
                        kind: Kind::OnPageOnly,
                        fact: Fact::Module,
                        subject: module.value.clone(),
                        aspect: Departure::Absent,
                        page_line: Some(module.line),
                        spec_path: vec![Segment::from("modules")],
                        message: format!(
                            "the page supports module `{}`, the spec's modules do not have it",
                            module.value
                        ),
                        marks: &[],
                    });
                }
            }
            for (name, module) in &modules {
                if !listed
                    .items
                    .iter()
                    .any(|m| m.value.eq_ignore_ascii_case(name))
                {
                    self.add(Draft {
                        kind: Kind::InSpecOnly,
                        fact: Fact::Module,
                        subject: (*name).clone(),
                        aspect: Departure::Absent,
                        page_line: Some(listed.line),
                        spec_path: key_path(name),
                        message: format!(
                            "the spec has module `{name}`, the page's supported modules do not"
                        ),
                        marks: &module.acknowledged,
                    });
                }
            }
        }
        if let Some(listed) = &page.module_names {
            for module in &listed.items {
                if !modules
                    .iter()
                    .any(|(_, def)| def.scope.eq_ignore_ascii_case(&module.value))
                {
                    self.add(Draft {
                        kind: Kind::OnPageOnly,
                        fact: Fact::ModuleName,
                        subject: module.value.clone(),
                        aspect: Departure::Absent,
                        page_line: Some(module.line),
                        spec_path: vec![Segment::from("modules")],
                        message: format!(
                            "the page lists module name `{}`, no module of the spec has that scope",
                            module.value
                        ),
                        marks: &[],
                    });
                }
            }
            for (name, module) in &modules {
                if !listed
                    .items
                    .iter()
                    .any(|m| m.value.eq_ignore_ascii_case(&module.scope))
                {
                    self.add(Draft {
                        kind: Kind::InSpecOnly,
                        fact: Fact::ModuleName,
                        subject: module.scope.clone(),
                        aspect: Departure::Absent,
                        page_line: Some(listed.line),
                        spec_path: scope_path(name),
                        message: format!(
                            "the spec's module `{name}` has scope name `{}`, which the page's possible module names do not list",
                            module.scope
                        ),
                        marks: &module.acknowledged,
                    });
                }
            }
        }
    }

    fn scope(&mut self, page: &OperationFacts) {
        let scopes = &self.target.op.scopes;
        let spec_groups: Vec<Vec<String>> = scopes
            .all_of
            .iter()
            .map(|group| group.any_of.iter().map(|s| scope_key(s.text())).collect())
            .collect();
        let spec_text = render_groups(&spec_groups);
        let Some(scope) = &page.scope else {
            let line = page
                .sections
                .iter()
                .find(|s| s.value == crate::tools::page::facts::Section::Scope)
                .map(|s| s.line);
            self.add(Draft {
                kind: Kind::InSpecOnly,
                fact: Fact::Scope,
                subject: String::new(),
                aspect: Departure::Absent,
                page_line: line.or(Some(page.line)),
                spec_path: self.op_path(&["scopes", "all_of"]),
                message: format!("the page states no scope; the spec requires {spec_text}"),
                marks: &scopes.acknowledged,
            });
            return;
        };
        let page_groups: Vec<Vec<String>> = scope
            .value
            .all_of
            .iter()
            .map(|group| group.iter().map(|s| scope_key(s)).collect())
            .collect();
        if normalised(&page_groups) != normalised(&spec_groups) {
            self.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Scope,
                subject: String::new(),
                aspect: Departure::Text,
                page_line: Some(scope.line),
                spec_path: self.op_path(&["scopes", "all_of"]),
                message: format!(
                    "the page requires {}; the spec requires {spec_text}",
                    render_groups(&page_groups)
                ),
                marks: &scopes.acknowledged,
            });
        }
    }

    fn operation_types(&mut self, page: &OperationFacts) {
        let scopes = &self.target.op.scopes;
        let Some(listed) = &page.operation_types else {
            return;
        };
        for (index, kind) in listed.items.iter().enumerate() {
            let found = scopes.operations.iter().position(|op| op.name == kind.name);
            match found {
                None => self.add(Draft {
                    kind: Kind::OnPageOnly,
                    fact: Fact::OperationType,
                    subject: kind.name.clone(),
                    aspect: Departure::Absent,
                    page_line: Some(kind.line),
                    spec_path: self.op_path(&["scopes", "operations"]),
                    message: format!(
                        "the page lists operation type `{}` ({}), the spec does not",
                        kind.name, kind.doc
                    ),
                    marks: &scopes.acknowledged,
                }),
                Some(at) => {
                    let def = &scopes.operations[at];
                    let mut path = self.op_path(&["scopes", "operations"]);
                    path.push(Segment::Index(at));
                    if comparable(&def.doc) != comparable(&kind.doc) {
                        path.push(Segment::from("doc"));
                        self.add(Draft {
                            kind: Kind::Differs,
                            fact: Fact::OperationType,
                            subject: kind.name.clone(),
                            aspect: Departure::Text,
                            page_line: Some(kind.line),
                            spec_path: path,
                            message: format!(
                                "operation type `{}`: \"{}\" on the page, \"{}\" in the spec",
                                kind.name, kind.doc, def.doc
                            ),
                            marks: &scopes.acknowledged,
                        });
                    } else if at != index {
                        self.add(Draft {
                            kind: Kind::Differs,
                            fact: Fact::OperationType,
                            subject: kind.name.clone(),
                            aspect: Departure::Text,
                            page_line: Some(kind.line),
                            spec_path: path,
                            message: format!(
                                "operation type `{}` is listed at place {} on the page, {} in the spec (the last is the narrowest)",
                                kind.name,
                                index + 1,
                                at + 1
                            ),
                            marks: &scopes.acknowledged,
                        });
                    }
                }
            }
        }
        for (at, def) in scopes.operations.iter().enumerate() {
            if !listed.items.iter().any(|kind| kind.name == def.name) {
                let mut path = self.op_path(&["scopes", "operations"]);
                path.push(Segment::Index(at));
                self.add(Draft {
                    kind: Kind::InSpecOnly,
                    fact: Fact::OperationType,
                    subject: def.name.clone(),
                    aspect: Departure::Absent,
                    page_line: Some(listed.line),
                    spec_path: path,
                    message: format!(
                        "the spec lists operation type `{}`, the page does not",
                        def.name
                    ),
                    marks: &scopes.acknowledged,
                });
            }
        }
    }

    fn sample_request(&mut self, page: &OperationFacts) {
        let spec = self.target.op.sample_request.as_deref();
        match (&page.sample_request, spec) {
            (Some(sample), Some(spec)) if squash(&sample.value) != squash(spec) => {
                self.add(Draft {
                    kind: Kind::Differs,
                    fact: Fact::SampleRequest,
                    subject: String::new(),
                    aspect: Departure::Text,
                    page_line: Some(sample.line),
                    spec_path: self.op_path(&["sample_request"]),
                    message: format!(
                        "the sample request differs: {}",
                        first_difference(&squash(&sample.value), &squash(spec))
                    ),
                    marks: &[],
                });
            }
            (Some(sample), None) => self.add(Draft {
                kind: Kind::OnPageOnly,
                fact: Fact::SampleRequest,
                subject: String::new(),
                aspect: Departure::Absent,
                page_line: Some(sample.line),
                spec_path: self.op_path(&[]),
                message: "the page has a sample request, the spec has none".to_owned(),
                marks: &[],
            }),
            _ => {}
        }
    }

    fn sample_response(&mut self, page: &OperationFacts) {
        let op = self.target.op;
        let Some(sample) = &page.sample_response else {
            return;
        };
        let Some(spec_text) = op.sample_response.as_deref() else {
            self.add(Draft {
                kind: Kind::OnPageOnly,
                fact: Fact::SampleResponse,
                subject: String::new(),
                aspect: Departure::Absent,
                page_line: Some(sample.line),
                spec_path: self.op_path(&[]),
                message: "the page has a sample response, the spec has none".to_owned(),
                marks: &[],
            });
            return;
        };
        let message = match &sample.json {
            Some(page_json) => {
                let spec_json: Option<Value> = serde_json::from_str(spec_text).ok();
                match spec_json {
                    Some(spec_json) => json_difference("", page_json, &spec_json),
                    None => Some("the spec's sample response is not JSON".to_owned()),
                }
            }
            // A printed sample that is not JSON is transcribed verbatim beside its repair.
            None => match op.sample_response_verbatim.as_deref() {
                Some(verbatim) if squash(verbatim) == squash(&sample.text) => None,
                Some(verbatim) => Some(format!(
                    "the page's sample (not JSON) differs from `sample_response_verbatim`: {}",
                    first_difference(&squash(&sample.text), &squash(verbatim))
                )),
                None => Some(
                    "the page's sample response is not JSON, and the spec keeps no \
                     `sample_response_verbatim` of it"
                        .to_owned(),
                ),
            },
        };
        if let Some(message) = message {
            let path = if sample.json.is_none() && op.sample_response_verbatim.is_some() {
                "sample_response_verbatim"
            } else {
                "sample_response"
            };
            self.add(Draft {
                kind: Kind::Differs,
                fact: Fact::SampleResponse,
                subject: String::new(),
                aspect: Departure::Text,
                page_line: Some(sample.line),
                spec_path: self.op_path(&[path]),
                message,
                marks: &[],
            });
        }
    }
}

/// A text's words for containment tests: [`comparable`], without full stops and commas.
fn words(text: &str) -> String {
    comparable(text).replace(['.', ','], "")
}

/// The sentences of a text.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(". ")
        .map(str::trim)
        .filter(|sentence| !sentence.is_empty())
}

/// A scope as compared: the page's placeholder names made the spec's.
fn scope_key(scope: &str) -> String {
    scope
        .replace("{module_name}", "{module}")
        .replace("{operation_type}", "{operation}")
}

fn normalised(groups: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = groups
        .iter()
        .map(|group| {
            let mut group = group.clone();
            group.sort();
            group.dedup();
            group
        })
        .collect();
    groups.sort();
    groups
}

fn render_groups(groups: &[Vec<String>]) -> String {
    groups
        .iter()
        .map(|group| format!("({})", group.join(" or ")))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Where two texts first differ, with a little context.
fn first_difference(page: &str, spec: &str) -> String {
    let common = page
        .char_indices()
        .zip(spec.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((at, c), _)| at + c.len_utf8());
    let snippet = |text: &str| -> String {
        let start = text[..common.min(text.len())]
            .char_indices()
            .rev()
            .nth(20)
            .map_or(0, |(at, _)| at);
        text[start..].chars().take(60).collect()
    };
    format!(
        "the page has \"{}\", the spec \"{}\"",
        snippet(page),
        snippet(spec)
    )
}

/// The first place two JSON values differ, as `data[0].File_Name: ...`.
fn json_difference(at: &str, page: &Value, spec: &Value) -> Option<String> {
    match (page, spec) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match b.get(key) {
                    Some(other) => {
                        if let Some(found) = json_difference(&here, value, other) {
                            return Some(found);
                        }
                    }
                    None => {
                        return Some(format!(
                            "`{here}` is in the page's sample response, not in the spec's"
                        ));
                    }
                }
            }
            b.keys().find(|key| !a.contains_key(*key)).map(|key| {
                let here = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                format!("`{here}` is in the spec's sample response, not in the page's")
            })
        }
        (Value::Array(a), Value::Array(b)) => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                if let Some(found) = json_difference(&format!("{at}[{index}]"), x, y) {
                    return Some(found);
                }
            }
            (a.len() != b.len()).then(|| {
                format!(
                    "`{at}` has {} items in the page's sample response, {} in the spec's",
                    a.len(),
                    b.len()
                )
            })
        }
        _ if page == spec => None,
        _ => Some(format!(
            "`{at}` is {page} in the page's sample response, {spec} in the spec's"
        )),
    }
}

/// Whether the page's type for a value (`string`, `JSON object`...) says what the spec's does.
pub(super) fn same_type(
    page: &str,
    spec: &TypeExpr,
    types: &indexmap::IndexMap<String, crate::load::model::TypeDef>,
) -> bool {
    let page = page.to_lowercase().replace(' ', "");
    let enum_kind = |name: &str| {
        types
            .get(name)
            .and_then(|def| def.values.as_ref())
            .and_then(|values| {
                values
                    .first()
                    .map(|value| matches!(value.value, crate::load::model::ScalarValue::Integer(_)))
            })
    };
    match spec {
        TypeExpr::String => page == "string",
        TypeExpr::DateTime => matches!(page.as_str(), "string" | "datetime" | "date-time" | "date"),
        TypeExpr::Integer => matches!(page.as_str(), "integer" | "long"),
        TypeExpr::Number => matches!(page.as_str(), "number" | "double" | "float"),
        TypeExpr::Boolean => page == "boolean",
        TypeExpr::Object => matches!(page.as_str(), "jsonobject" | "object" | "json"),
        TypeExpr::List(_) => matches!(page.as_str(), "jsonarray" | "array"),
        TypeExpr::File => page == "file",
        TypeExpr::Module => page == "string",
        TypeExpr::Named(name) => match enum_kind(name) {
            Some(true) => matches!(page.as_str(), "integer" | "long"),
            Some(false) => page == "string",
            None => matches!(page.as_str(), "jsonobject" | "object" | "json"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_differences_name_the_first_path() {
        let page: Value =
            serde_json::json!({"data": [{"a": 1, "b": "x"}], "info": {"more": false}});
        let spec: Value =
            serde_json::json!({"data": [{"a": 1, "b": "y"}], "info": {"more": false}});
        assert_eq!(
            json_difference("", &page, &spec).as_deref(),
            Some("`data[0].b` is \"x\" in the page's sample response, \"y\" in the spec's")
        );
        assert_eq!(json_difference("", &page, &page), None);
    }

    #[test]
    fn purpose_sentences_are_found_in_summary_and_doc() {
        let spec = words("Attach a file. The Upload API allows you to attach a file, or a link.");
        assert!(spec.contains(&words(
            "The Upload API allows you to attach a file or a link."
        )));
        assert_eq!(
            sentences("One thing. Another thing.").collect::<Vec<_>>(),
            ["One thing.", "Another thing."]
        );
    }
}
