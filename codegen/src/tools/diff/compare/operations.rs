//! Operations: each is a method on the version's entry type, a request builder and an error
//! enum. Matched by name, then a rename by method and path.

use indexmap::IndexMap;

use super::api::ApiPair;
use super::matching::{Matching, reordered};
use super::rust::Names;
use super::shared::{entries, names};
use super::{Changes, Ctx, at, body, code, errors, params, response, scopes};
use crate::ir;
use crate::load::model::{ApiSpec, Effect, OperationDef};
use crate::load::parsed::{Parsed, PathTemplate};
use crate::load::yaml::Segment;
use crate::path;
use crate::tools::diff::rules::Rule;

/// One operation on both sides, and what its changes are described with.
pub(super) struct OperationPair<'a> {
    /// Its name in HEAD.
    pub name: &'a str,
    pub base: &'a OperationDef,
    pub head: &'a OperationDef,
    pub names: &'a Names,
    /// The methods that take this operation's arguments: its own, and composites it starts.
    pub owners: String,
    /// `["operations", name]` in HEAD.
    pub here: Vec<Segment>,
    pub base_ir: Option<&'a ir::Api>,
    pub head_ir: Option<&'a ir::Api>,
}

impl OperationPair<'_> {
    /// A path inside the operation.
    pub fn at(&self, rest: &[&str]) -> Vec<Segment> {
        at(&self.here, rest)
    }
}

/// `` `CrmV8::upload_file` `` and the composites that take its arguments.
fn owners(names: &Names, name: &str, spec: &ApiSpec) -> String {
    let mut owners = names.method(name);
    let composites: Vec<String> = spec
        .composites
        .iter()
        .filter(|(_, composite)| composite.first == name)
        .map(|(composite, _)| names.method(composite))
        .collect();
    if !composites.is_empty() {
        owners.push_str(&format!(
            " (and {}, which takes its arguments)",
            composites.join(", ")
        ));
    }
    owners
}

/// Method and path with placeholders blanked, to recognise a renamed operation.
pub(super) fn route(operation: &OperationDef) -> (String, String) {
    (
        operation.method.to_uppercase(),
        blank_placeholders(&operation.path),
    )
}

/// `/{a}/x/{b}` → `/{}/x/{}` (a malformed path as written).
pub(super) fn blank_placeholders(path: &Parsed<PathTemplate>) -> String {
    path.get()
        .map_or_else(|| path.text().to_owned(), PathTemplate::route)
}

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    pair: &ApiPair<'_>,
    base: &IndexMap<String, OperationDef>,
    head: &IndexMap<String, OperationDef>,
) {
    let label = ctx.label();
    let names = &pair.names;
    let mut matching = Matching::by_name(entries(base), entries(head));
    let renamed = matching.renames(|_, operation| Some(route(operation)));
    for (name, _) in &matching.removed {
        out.base(
            &ctx.in_operation(name),
            Rule::OperationRemoved,
            &path!["operations", *name],
            format!("operation {} of {label} was removed", code(name)),
            format!("removes {}", names.operation_items(name)),
        );
    }
    for (name, _) in &matching.added {
        out.head(
            &ctx.in_operation(name),
            Rule::OperationAdded,
            &path!["operations", *name],
            format!("operation {} of {label} was added", code(name)),
            format!("adds {}", names.operation_items(name)),
        );
    }
    for moved in &renamed {
        out.head(
            &ctx.in_operation(moved.head_name),
            Rule::OperationRenamed,
            &path!["operations", moved.head_name],
            format!(
                "operation {} of {label} was renamed to {}",
                code(moved.base_name),
                code(moved.head_name)
            ),
            format!(
                "renames method {} to {}, request builder {} to {} and error enum {} to {}",
                names.method(moved.base_name),
                names.method(moved.head_name),
                names.builder(moved.base_name),
                names.builder(moved.head_name),
                names.error_enum(moved.base_name),
                names.error_enum(moved.head_name)
            ),
        );
    }
    for matched in matching.same.iter().chain(&renamed) {
        let operation = OperationPair {
            name: matched.head_name,
            base: matched.base,
            head: matched.head,
            names,
            owners: owners(names, matched.head_name, pair.head),
            here: path!["operations", matched.head_name],
            base_ir: pair.base_ir,
            head_ir: pair.head_ir,
        };
        compare_operation(out, &ctx.in_operation(matched.head_name), &operation);
    }
    if reordered(&names_of(base), &names_of(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["operations"],
            format!("the operations of {label} were reordered"),
            "none: operations are generated in name order",
        );
    }
}

fn names_of(map: &IndexMap<String, OperationDef>) -> Vec<&str> {
    names(map)
}

fn compare_operation(out: &mut Changes, ctx: &Ctx<'_>, op: &OperationPair<'_>) {
    let OperationDef {
        summary: base_summary,
        doc: base_doc,
        source: base_source,
        method: base_method,
        path: base_path,
        effect: base_effect,
        params: base_params,
        body: base_body,
        scopes: base_scopes,
        response: base_response,
        paging: base_paging,
        errors: base_errors,
        sample_request: base_sample_request,
        sample_response: base_sample_response,
        sample_response_verbatim: base_sample_verbatim,
        notes: base_notes,
        unconfirmed: base_unconfirmed,
        provenance: base_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = op.base;
    let OperationDef {
        summary: head_summary,
        doc: head_doc,
        source: head_source,
        method: head_method,
        path: head_path,
        effect: head_effect,
        params: head_params,
        body: head_body,
        scopes: head_scopes,
        response: head_response,
        paging: head_paging,
        errors: head_errors,
        sample_request: head_sample_request,
        sample_response: head_sample_response,
        sample_response_verbatim: head_sample_verbatim,
        notes: head_notes,
        unconfirmed: head_unconfirmed,
        provenance: head_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = op.head;
    let label = ctx.label();
    let method = op.names.method(op.name);
    let docs = format!("rustdoc of {method} and {}", op.names.builder(op.name));
    out.texts(
        ctx,
        &op.at(&[]),
        &label,
        &docs,
        &[
            ("summary", Some(base_summary), Some(head_summary)),
            ("doc", base_doc.as_deref(), head_doc.as_deref()),
            ("source", Some(base_source), Some(head_source)),
        ],
    );
    out.notes(
        ctx,
        &op.at(&["notes"]),
        &format!("the notes of {label}"),
        base_notes,
        head_notes,
        &docs,
    );
    out.text(
        ctx,
        Rule::NoteChanged,
        &op.at(&["unconfirmed"]),
        &format!("what is unconfirmed of {label}"),
        base_unconfirmed.as_deref(),
        head_unconfirmed.as_deref(),
        &docs,
    );
    out.provenance_list(
        ctx,
        &op.at(&["provenance"]),
        &format!("the provenance of {label}"),
        base_provenance,
        head_provenance,
    );
    out.text(
        ctx,
        Rule::SampleChanged,
        &op.at(&["sample_request"]),
        &format!("the sample request of {label}"),
        base_sample_request.as_deref(),
        head_sample_request.as_deref(),
        &format!("rustdoc of {method}"),
    );
    out.text(
        ctx,
        Rule::SampleChanged,
        &op.at(&["sample_response"]),
        &format!("the sample response of {label}"),
        base_sample_response.as_deref(),
        head_sample_response.as_deref(),
        "`zoho_attachments::model`'s sample and the fake server's answer",
    );
    out.text(
        ctx,
        Rule::SampleChanged,
        &op.at(&["sample_response_verbatim"]),
        &format!("the verbatim sample response of {label}"),
        base_sample_verbatim.as_deref(),
        head_sample_verbatim.as_deref(),
        "none: documentation of the spec only",
    );

    if !base_method.eq_ignore_ascii_case(head_method) {
        out.head(
            ctx,
            Rule::MethodChanged,
            &op.at(&["method"]),
            format!("the method of {label} changed from {base_method} to {head_method}"),
            format!("{method} keeps its signature but sends {head_method}"),
        );
    }
    if blank_placeholders(base_path) != blank_placeholders(head_path) {
        out.head(
            ctx,
            Rule::PathChanged,
            &op.at(&["path"]),
            format!(
                "the path of {label} changed from {} to {}",
                code(base_path.text()),
                code(head_path.text())
            ),
            format!(
                "{method} keeps its signature but calls {}",
                code(head_path.text())
            ),
        );
    }
    if base_effect != head_effect {
        let effect = |effect: &Option<Effect>| match effect {
            Some(effect) => code(effect.spelling()),
            None => "none".to_owned(),
        };
        out.head(
            ctx,
            Rule::EffectChanged,
            &op.at(&["effect"]),
            format!(
                "the effect of {label} changed from {} to {}",
                effect(base_effect),
                effect(head_effect)
            ),
            "`zoho_attachments::model`'s `effect` and what the fake server does",
        );
    }
    params::compare(
        out,
        ctx,
        op,
        (base_path, base_params),
        (head_path, head_params),
    );
    body::compare(out, ctx, op, base_body.as_ref(), head_body.as_ref());
    scopes::compare(out, ctx, op, base_scopes, head_scopes);
    response::compare(out, ctx, op, base_response, head_response);
    response::compare_paging(out, ctx, op, base_paging.as_ref(), head_paging.as_ref());
    errors::compare(out, ctx, op, base_errors, head_errors);
}
