//! Composite operations: one method for two calls. Its arguments are its first step's, so the
//! first step's argument changes name it too (see `operations`); here, the composite itself.

use indexmap::IndexMap;

use super::api::ApiPair;
use super::matching::{Matching, reordered};
use super::shared::{entries, names};
use super::{Changes, Ctx, at, code};
use crate::load::model::{CompositeDef, FeedDef, ScalarValue};
use crate::path;
use crate::tools::diff::rules::Rule;

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    pair: &ApiPair<'_>,
    base: &IndexMap<String, CompositeDef>,
    head: &IndexMap<String, CompositeDef>,
) {
    let label = ctx.label();
    let names_of = &pair.names;
    let matching = Matching::by_name(entries(base), entries(head));
    for (name, _) in &matching.removed {
        out.base(
            &ctx.in_operation(name),
            Rule::OperationRemoved,
            &path!["composites", *name],
            format!("composite operation {} of {label} was removed", code(name)),
            format!("removes {}", names_of.operation_items(name)),
        );
    }
    for (name, _) in &matching.added {
        out.head(
            &ctx.in_operation(name),
            Rule::OperationAdded,
            &path!["composites", *name],
            format!("composite operation {} of {label} was added", code(name)),
            format!("adds {}", names_of.operation_items(name)),
        );
    }
    for matched in &matching.same {
        let name = matched.head_name;
        let ctx = ctx.in_operation(name);
        let label = ctx.label();
        let CompositeDef {
            summary: base_summary,
            doc: base_doc,
            source: base_source,
            first: base_first,
            then: base_then,
            feed: base_feed,
            notes: base_notes,
            unconfirmed: base_unconfirmed,
            provenance: base_provenance,
        } = matched.base;
        let CompositeDef {
            summary: head_summary,
            doc: head_doc,
            source: head_source,
            first: head_first,
            then: head_then,
            feed: head_feed,
            notes: head_notes,
            unconfirmed: head_unconfirmed,
            provenance: head_provenance,
        } = matched.head;
        let here = path!["composites", name];
        let method = names_of.method(name);
        let docs = format!("rustdoc of {method}");
        out.text(
            &ctx,
            Rule::DocChanged,
            &at(&here, &["summary"]),
            &format!("the summary of composite {label}"),
            Some(base_summary),
            Some(head_summary),
            &docs,
        );
        out.text(
            &ctx,
            Rule::DocChanged,
            &at(&here, &["doc"]),
            &format!("the doc of composite {label}"),
            base_doc.as_deref(),
            head_doc.as_deref(),
            &docs,
        );
        out.text(
            &ctx,
            Rule::SourceChanged,
            &at(&here, &["source"]),
            &format!("the source of composite {label}"),
            Some(base_source),
            Some(head_source),
            &docs,
        );
        out.notes(
            &ctx,
            &at(&here, &["notes"]),
            &format!("the notes of composite {label}"),
            base_notes,
            head_notes,
            &docs,
        );
        out.text(
            &ctx,
            Rule::NoteChanged,
            &at(&here, &["unconfirmed"]),
            &format!("what is unconfirmed of composite {label}"),
            base_unconfirmed.as_deref(),
            head_unconfirmed.as_deref(),
            &docs,
        );
        out.provenance_list(
            &ctx,
            &at(&here, &["provenance"]),
            &format!("the provenance of composite {label}"),
            base_provenance,
            head_provenance,
        );
        if (base_first, base_then) != (head_first, head_then) {
            out.head(
                &ctx,
                Rule::CompositeStepsChanged,
                &at(
                    &here,
                    &[if base_first != head_first {
                        "first"
                    } else {
                        "then"
                    }],
                ),
                format!(
                    "the steps of composite {label} changed from {} then {} to {} then {}",
                    code(base_first),
                    code(base_then),
                    code(head_first),
                    code(head_then)
                ),
                format!(
                    "{method} takes the arguments of {} and answers what {} answers",
                    names_of.method(head_first),
                    names_of.method(head_then)
                ),
            );
        }
        feed(
            out,
            &ctx,
            &at(&here, &["feed"]),
            &method,
            head_then,
            base_feed,
            head_feed,
        );
    }
    if reordered(&names(base), &names(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["composites"],
            format!("the composite operations of {label} were reordered"),
            "none: operations are generated in name order",
        );
    }
}

fn feed(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    here: &[crate::load::yaml::Segment],
    method: &str,
    then: &str,
    base: &FeedDef,
    head: &FeedDef,
) {
    let FeedDef {
        list: base_list,
        copy: base_copy,
        set: base_set,
    } = base;
    let FeedDef {
        list: head_list,
        copy: head_copy,
        set: head_set,
    } = head;
    let label = ctx.label();
    let api = format!("{method} sends another body to `{then}`");
    if base_list != head_list {
        out.head(
            ctx,
            Rule::CompositeFeedChanged,
            &at(here, &["list"]),
            format!(
                "composite {label} now fills {} instead of {}",
                code(head_list),
                code(base_list)
            ),
            api.clone(),
        );
    }
    if base_copy != head_copy {
        out.head(
            ctx,
            Rule::CompositeFeedChanged,
            &at(here, &["copy"]),
            format!(
                "composite {label} now copies [{}] instead of [{}]",
                head_copy.join(", "),
                base_copy.join(", ")
            ),
            api.clone(),
        );
    }
    if base_set != head_set {
        let shown = |set: &IndexMap<String, ScalarValue>| {
            set.iter()
                .map(|(key, value)| match value {
                    ScalarValue::Integer(number) => format!("{key}: {number}"),
                    ScalarValue::String(text) => format!("{key}: {text:?}"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.head(
            ctx,
            Rule::CompositeFeedChanged,
            &at(here, &["set"]),
            format!(
                "composite {label} now sets {{{}}} instead of {{{}}}",
                shown(head_set),
                shown(base_set)
            ),
            api,
        );
    }
}
