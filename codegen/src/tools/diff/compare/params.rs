//! Path and query parameters: path parameters and required query parameters are arguments of
//! the method (template order, then spec order); optional ones are builder methods.

use indexmap::IndexMap;

use super::matching::{Matched, Matching};
use super::operations::OperationPair;
use super::rust::{argument_type, canonical, is_argument, param_name};
use super::shared::entries;
use super::{Changes, Ctx, at, code, limits};
use crate::load::model::{ParamDef, ParamLocation};
use crate::load::parsed::{Parsed, PathTemplate};
use crate::load::type_expr::TypeExpr;
use crate::tools::diff::rules::Rule;

/// A parameter's place in the generated code, for messages: "argument `x: T` of `CrmV8::op`".
fn role(op: &OperationPair<'_>, wire: &str, param: &ParamDef) -> String {
    role_with(op, wire, param, "of")
}

/// The same, for an addition: "argument `x: T` to `CrmV8::op`".
fn role_added(op: &OperationPair<'_>, wire: &str, param: &ParamDef) -> String {
    role_with(op, wire, param, "to")
}

fn role_with(op: &OperationPair<'_>, wire: &str, param: &ParamDef, preposition: &str) -> String {
    let rust = param_name(wire, param);
    if is_argument(param) {
        format!(
            "argument `{rust}: {}` {preposition} {}",
            argument_type(param),
            op.owners
        )
    } else {
        format!(
            "builder method {} (taking `{}`)",
            op.names.setter(op.name, &rust),
            argument_type(param)
        )
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
    }
}

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    (base_path, base): (&Parsed<PathTemplate>, &IndexMap<String, ParamDef>),
    (head_path, head): (&Parsed<PathTemplate>, &IndexMap<String, ParamDef>),
) {
    let label = ctx.label();
    let placeholders = |path: &Parsed<PathTemplate>| -> Vec<String> {
        path.get()
            .map(|template| template.params().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let base_placeholders = placeholders(base_path);
    let head_placeholders = placeholders(head_path);
    let param_path = |wire: &str| op.at(&["params", wire]);
    let mut matching = Matching::by_name(entries(base), entries(head));
    // A path parameter renamed in place keeps its position; a query parameter sent under
    // another name keeps its Rust name.
    let moved = matching.renames(|wire, param| match param.location {
        ParamLocation::Path => base_placeholders
            .iter()
            .position(|name| name == wire)
            .or_else(|| head_placeholders.iter().position(|name| name == wire))
            .map(|index| format!("path {index}")),
        ParamLocation::Query => Some(format!("query {}", param_name(wire, param))),
    });
    for (wire, param) in &matching.removed {
        out.base(
            ctx,
            Rule::ParamRemoved,
            &param_path(wire),
            format!(
                "{} parameter {} of {label} was removed",
                location_word(param.location),
                code(wire)
            ),
            format!("removes {}", role(op, wire, param)),
        );
    }
    for (wire, param) in &matching.added {
        let (rule, kind) = if is_argument(param) {
            (Rule::RequiredParamAdded, "required")
        } else {
            (Rule::OptionalParamAdded, "optional")
        };
        out.head(
            ctx,
            rule,
            &param_path(wire),
            format!(
                "{kind} {} parameter {} was added to {label}",
                location_word(param.location),
                code(wire)
            ),
            format!(
                "adds {}{}",
                if is_argument(param) {
                    "a required "
                } else {
                    ""
                },
                role_added(op, wire, param)
            ),
        );
    }
    for renamed in &moved {
        let (old, new) = (renamed.base_name, renamed.head_name);
        if renamed.head.location == ParamLocation::Path {
            out.head(
                ctx,
                Rule::PathParamRenamed,
                &param_path(new),
                format!(
                    "path parameter {} of {label} is now {}",
                    code(old),
                    code(new)
                ),
                "none: the URL and the method's signature are the same",
            );
        } else {
            out.head(
                ctx,
                Rule::WireNameChanged,
                &param_path(new),
                format!(
                    "query parameter {} of {label} is now sent as {}",
                    code(old),
                    code(new)
                ),
                format!(
                    "{} stays; the query string changes",
                    role(op, new, renamed.head)
                ),
            );
        }
    }
    for matched in matching.same.iter().chain(&moved) {
        compare_param(out, ctx, op, matched);
    }
    argument_order(
        out,
        ctx,
        op,
        (&base_placeholders, base),
        (&head_placeholders, head),
        matching.same.iter().chain(&moved),
    );
}

fn compare_param(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    matched: &Matched<'_, ParamDef>,
) {
    let ParamDef {
        location: base_location,
        ty: base_ty,
        required: _,
        doc: base_doc,
        set: base_set,
        minimum: base_minimum,
        maximum: base_maximum,
        rust_name: _,
        note: base_note,
        provenance: base_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = matched.base;
    let ParamDef {
        location: head_location,
        ty: head_ty,
        required: _,
        doc: head_doc,
        set: head_set,
        minimum: head_minimum,
        maximum: head_maximum,
        rust_name: _,
        note: head_note,
        provenance: head_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = matched.head;
    let label = ctx.label();
    let wire = matched.head_name;
    let here = op.at(&["params", wire]);
    let what = format!("parameter {} of {label}", code(wire));
    let (before, after) = (
        role(op, matched.base_name, matched.base),
        role(op, wire, matched.head),
    );
    if base_location != head_location {
        out.head(
            ctx,
            Rule::ParamLocationChanged,
            &at(&here, &["in"]),
            format!(
                "{what} moved from the {} to the {}",
                location_word(*base_location),
                location_word(*head_location)
            ),
            if before == after {
                format!(
                    "{after} stays, sent in the {} now",
                    location_word(*head_location)
                )
            } else {
                format!("{before} becomes {after}")
            },
        );
    } else if is_argument(matched.base) != is_argument(matched.head) {
        let (rule, now) = if is_argument(matched.head) {
            (Rule::ParamBecameRequired, "required")
        } else {
            (Rule::ParamBecameOptional, "optional")
        };
        out.head(
            ctx,
            rule,
            &at(&here, &["required"]),
            format!("{what} became {now}"),
            format!("{before} becomes {after}"),
        );
    } else if (canonical(base_ty), base_set) != (canonical(head_ty), head_set) {
        let spelt = |ty: &Parsed<TypeExpr>, set: &Option<String>| match set {
            Some(set) => format!("{} (set {})", code(canonical(ty)), code(set)),
            None => code(canonical(ty)),
        };
        out.head(
            ctx,
            Rule::ParamTypeChanged,
            &at(&here, &[if base_set != head_set { "set" } else { "type" }]),
            format!(
                "the type of {what} changed from {} to {}",
                spelt(base_ty, base_set),
                spelt(head_ty, head_set)
            ),
            format!("{before} becomes {after}"),
        );
    } else {
        let (old, new) = (
            param_name(matched.base_name, matched.base),
            param_name(wire, matched.head),
        );
        if old != new {
            if is_argument(matched.head) {
                out.head(
                    ctx,
                    Rule::ArgumentRenamed,
                    &at(&here, &["rust_name"]),
                    format!(
                        "the Rust name of {what} changed from {} to {}",
                        code(&old),
                        code(&new)
                    ),
                    format!(
                        "argument `{old}` of {} is now `{new}` (callers do not name arguments)",
                        op.owners
                    ),
                );
            } else {
                out.head(
                    ctx,
                    Rule::SetterRenamed,
                    &at(&here, &["rust_name"]),
                    format!(
                        "the Rust name of {what} changed from {} to {}",
                        code(&old),
                        code(&new)
                    ),
                    format!(
                        "renames builder method {} to {}",
                        op.names.setter(op.name, &old),
                        op.names.setter(op.name, &new)
                    ),
                );
            }
        }
    }
    let subject = format!("values of `{}`", param_name(wire, matched.head));
    limits::compare(
        out,
        ctx,
        &at(&here, &["minimum"]),
        &format!("the minimum of {what}"),
        limits::Bound::Min,
        "",
        base_minimum.map(i128::from),
        head_minimum.map(i128::from),
        &subject,
    );
    limits::compare(
        out,
        ctx,
        &at(&here, &["maximum"]),
        &format!("the maximum of {what}"),
        limits::Bound::Max,
        "",
        base_maximum.map(i128::from),
        head_maximum.map(i128::from),
        &subject,
    );
    let docs = format!("rustdoc of {}", op.owners);
    out.texts(
        ctx,
        &here,
        &what,
        &docs,
        &[
            ("doc", Some(base_doc), Some(head_doc)),
            ("note", base_note.as_deref(), head_note.as_deref()),
        ],
    );
    out.provenance(
        ctx,
        &at(&here, &["provenance"]),
        &format!("the provenance of {what}"),
        base_provenance.as_deref(),
        head_provenance.as_deref(),
    );
}

/// The method's arguments in order: path parameters (template order), then required query
/// parameters (spec order).
fn arguments<'a>(
    placeholders: &'a [String],
    params: &'a IndexMap<String, ParamDef>,
) -> Vec<&'a str> {
    let mut list: Vec<&str> = placeholders.iter().map(String::as_str).collect();
    list.extend(
        params
            .iter()
            .filter(|(_, param)| param.location == ParamLocation::Query && param.required)
            .map(|(wire, _)| wire.as_str()),
    );
    list
}

fn argument_order<'m>(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    (base_placeholders, base): (&[String], &IndexMap<String, ParamDef>),
    (head_placeholders, head): (&[String], &IndexMap<String, ParamDef>),
    matched: impl Iterator<Item = &'m Matched<'m, ParamDef>>,
) {
    let pairs: Vec<(&str, &str)> = matched.map(|m| (m.base_name, m.head_name)).collect();
    let to_head = |wire: &str| pairs.iter().find(|(b, _)| *b == wire).map(|(_, h)| *h);
    let base_args: Vec<&str> = arguments(base_placeholders, base)
        .into_iter()
        .filter_map(to_head)
        .collect();
    let head_args: Vec<&str> = arguments(head_placeholders, head)
        .into_iter()
        .filter(|wire| base_args.contains(wire))
        .collect();
    let base_args: Vec<&str> = base_args
        .into_iter()
        .filter(|wire| head_args.contains(wire))
        .collect();
    let rust = |list: &[&str], params: &IndexMap<String, ParamDef>| -> String {
        list.iter()
            .map(|wire| {
                params
                    .get(*wire)
                    .map_or_else(|| (*wire).to_owned(), |param| param_name(wire, param))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let label = ctx.label();
    if base_args != head_args {
        out.head(
            ctx,
            Rule::ArgumentOrderChanged,
            &op.at(&["params"]),
            format!("the required parameters of {label} are in another order"),
            format!(
                "{} takes ({}) instead of ({})",
                op.owners,
                rust(&head_args, head),
                rust(&base_args, head)
            ),
        );
        return;
    }
    let base_order: Vec<&str> = base.keys().filter_map(|wire| to_head(wire)).collect();
    let head_order: Vec<&str> = head
        .keys()
        .map(String::as_str)
        .filter(|wire| base_order.contains(wire))
        .collect();
    if base_order != head_order {
        out.head(
            ctx,
            Rule::OrderChanged,
            &op.at(&["params"]),
            format!("the parameters of {label} were reordered"),
            format!(
                "the order of the builder methods of {} and of the query string",
                op.names.builder(op.name)
            ),
        );
    }
}
