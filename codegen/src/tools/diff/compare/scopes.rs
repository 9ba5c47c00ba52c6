//! Scope rules: every group must be satisfied by one of its scopes. A rule demands more when a
//! group of HEAD is not implied by a group of BASE (none of BASE's groups is a subset of it).

use std::collections::BTreeSet;

use super::matching::reordered;
use super::operations::OperationPair;
use super::{Changes, Ctx, at, at_index, code};
use crate::load::model::{ScopeGroupDef, ScopeOperationDef, ScopesDef};
use crate::tools::diff::rules::Rule;

type Group<'a> = BTreeSet<&'a str>;

fn groups(all_of: &[ScopeGroupDef]) -> Vec<Group<'_>> {
    all_of
        .iter()
        .map(|group| {
            let ScopeGroupDef { any_of } = group;
            any_of.iter().map(|scope| scope.text()).collect()
        })
        .collect()
}

fn listed(group: &Group<'_>) -> String {
    group.iter().map(code).collect::<Vec<_>>().join(", ")
}

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    base: &ScopesDef,
    head: &ScopesDef,
) {
    let ScopesDef {
        all_of: base_all_of,
        operations: base_operations,
        note: base_note,
        provenance: base_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = base;
    let ScopesDef {
        all_of: head_all_of,
        operations: head_operations,
        note: head_note,
        provenance: head_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = head;
    let label = ctx.label();
    let here = op.at(&["scopes"]);
    let constant = format!(
        "`{}::REQUIRED_SCOPES`",
        op.names.builder(op.name).trim_matches('`')
    );
    let (old, new) = (groups(base_all_of), groups(head_all_of));
    let mut found = false;
    for (index, group) in new.iter().enumerate() {
        if old.iter().any(|before| before.is_subset(group)) {
            continue;
        }
        found = true;
        let message = match old.iter().find(|before| group.is_subset(before)) {
            Some(before) => format!(
                "{label} now needs one of {} where one of {} was enough",
                listed(group),
                listed(before)
            ),
            None => format!("{label} now also needs one of {}", listed(group)),
        };
        out.head(
            ctx,
            Rule::ScopeRequirementAdded,
            &at_index(&here, "all_of", index),
            message,
            format!("{constant} and `minimal_scopes` change; tokens without it are refused (OAUTH_SCOPE_MISMATCH)"),
        );
    }
    for (index, group) in old.iter().enumerate() {
        if new.iter().any(|after| after.is_subset(group)) {
            continue;
        }
        found = true;
        let message = match new.iter().find(|after| group.is_subset(after)) {
            Some(after) => format!(
                "{label} now accepts one of {} where it needed one of {}",
                listed(after),
                listed(group)
            ),
            None => format!("{label} no longer needs one of {}", listed(group)),
        };
        out.base(
            ctx,
            Rule::ScopeRequirementRelaxed,
            &at_index(&here, "all_of", index),
            message,
            format!("{constant} changes; fewer scopes suffice"),
        );
    }
    if !found
        && base_all_of
            .iter()
            .map(|g| &g.any_of)
            .ne(head_all_of.iter().map(|g| &g.any_of))
    {
        out.head(
            ctx,
            Rule::OrderChanged,
            &at(&here, &["all_of"]),
            format!("the scope groups of {label} were reordered"),
            format!("the order of {constant}'s groups"),
        );
    }
    operations(out, ctx, &here, &constant, base_operations, head_operations);
    out.text(
        ctx,
        Rule::NoteChanged,
        &at(&here, &["note"]),
        &format!("the scope note of {label}"),
        base_note.as_deref(),
        head_note.as_deref(),
        &format!("rustdoc of {constant}"),
    );
    out.provenance(
        ctx,
        &at(&here, &["provenance"]),
        &format!("the scope provenance of {label}"),
        base_provenance.as_deref(),
        head_provenance.as_deref(),
    );
}

/// The operation types `{operation}` stands for, broadest first; `minimal_scopes` takes the last.
fn operations(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    here: &[crate::load::yaml::Segment],
    constant: &str,
    base: &[ScopeOperationDef],
    head: &[ScopeOperationDef],
) {
    let label = ctx.label();
    let (old, new): (Vec<&str>, Vec<&str>) = (
        base.iter().map(operation_name).collect(),
        head.iter().map(operation_name).collect(),
    );
    for (index, name) in old.iter().enumerate() {
        if !new.contains(name) {
            out.base(
                ctx,
                Rule::ScopeRequirementAdded,
                &at_index(here, "operations", index),
                format!(
                    "{label} no longer accepts the operation type {} in its scopes",
                    code(name)
                ),
                format!(
                    "{constant} changes; tokens whose scopes grant only {} are refused",
                    code(name)
                ),
            );
        }
    }
    for (index, name) in new.iter().enumerate() {
        if !old.contains(name) {
            out.head(
                ctx,
                Rule::ScopeRequirementRelaxed,
                &at_index(here, "operations", index),
                format!(
                    "{label} now accepts the operation type {} in its scopes",
                    code(name)
                ),
                format!("{constant} changes; scopes granting {} suffice", code(name)),
            );
        }
    }
    match (old.last(), new.last()) {
        (Some(before), Some(after)) if before != after => out.head(
            ctx,
            Rule::MinimalScopesChanged,
            &at(here, &["operations"]),
            format!(
                "the narrowest operation type of {label} changed from {} to {}",
                code(before),
                code(after)
            ),
            format!(
                "`minimal_scopes` asks for {} scopes instead of {}",
                code(after),
                code(before)
            ),
        ),
        _ => {
            if reordered(&old, &new) {
                out.head(
                    ctx,
                    Rule::OrderChanged,
                    &at(here, &["operations"]),
                    format!("the operation types of {label} were reordered"),
                    format!("the order of {constant}'s operation types"),
                );
            }
        }
    }
    for (index, after) in head.iter().enumerate() {
        if let Some(before) = base.iter().find(|op| op.name == after.name) {
            out.text(
                ctx,
                Rule::DocChanged,
                &at(&at_index(here, "operations", index), &["doc"]),
                &format!("the doc of operation type {} of {label}", code(&after.name)),
                Some(&before.doc),
                Some(&after.doc),
                &format!("rustdoc of {constant}"),
            );
        }
    }
}

fn operation_name(operation: &ScopeOperationDef) -> &str {
    let ScopeOperationDef { name, doc: _ } = operation;
    name
}
