//! An operation's "Possible Errors": the rows of one code become one variant of its
//! `#[non_exhaustive]` error enum, chosen by code.
//!
//! A code that disappears takes its variant with it: a `match` arm naming the variant stops
//! compiling, so that is breaking even though the enum is `#[non_exhaustive]` (which only
//! protects against additions).

use indexmap::IndexMap;

use super::matching::{Matching, reordered};
use super::operations::OperationPair;
use super::{Changes, Ctx, at, at_index, code};
use crate::ident;
use crate::ir::RowOrigin;
use crate::load::model::ErrorDef;
use crate::tools::diff::rules::Rule;

/// Rows by code, in order of first appearance, each with its index in the list.
fn by_code(rows: &[ErrorDef]) -> IndexMap<&str, Vec<(usize, &ErrorDef)>> {
    let mut codes: IndexMap<&str, Vec<(usize, &ErrorDef)>> = IndexMap::new();
    for (index, row) in rows.iter().enumerate() {
        codes
            .entry(row.code.as_str())
            .or_default()
            .push((index, row));
    }
    codes
}

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    base: &[ErrorDef],
    head: &[ErrorDef],
) {
    let label = ctx.label();
    let error_enum = op.names.error_enum(op.name);
    let variant = |error: &str| {
        format!(
            "`{}::{}`",
            error_enum.trim_matches('`'),
            ident::camel(error)
        )
    };
    let row_path = |index: usize| at_index(&op.here, "errors", index);
    let (old, new) = (by_code(base), by_code(head));
    let matching = Matching::by_name(
        old.iter().map(|(c, rows)| (*c, rows)),
        new.iter().map(|(c, rows)| (*c, rows)),
    );
    for (error, rows) in &matching.removed {
        out.base(
            ctx,
            Rule::ErrorCodeRemoved,
            &row_path(rows.first().map_or(0, |(index, _)| *index)),
            format!("error code {} is no longer listed for {label}", code(error)),
            format!("removes variant {} (matches naming it stop compiling; the code now arrives as `Unhandled`)", variant(error)),
        );
    }
    for (error, rows) in &matching.added {
        out.head(
            ctx,
            Rule::ErrorCodeAdded,
            &row_path(rows.first().map_or(0, |(index, _)| *index)),
            format!("error code {} is now listed for {label}", code(error)),
            format!("adds variant {} (the enum is `#[non_exhaustive]`: not breaking; the code used to arrive as the opaque `Unhandled`, and `code()` reads it the same)", variant(error)),
        );
    }
    for matched in &matching.same {
        let error = matched.head_name;
        let docs = format!("rustdoc of {}", variant(error));
        for (index, _) in matched.base.iter().skip(matched.head.len()) {
            out.base(
                ctx,
                Rule::ErrorRowsChanged,
                &row_path(*index),
                format!("error code {} of {label} lost a row", code(error)),
                docs.clone(),
            );
        }
        for (index, _) in matched.head.iter().skip(matched.base.len()) {
            out.head(
                ctx,
                Rule::ErrorRowsChanged,
                &row_path(*index),
                format!("error code {} of {label} gained a row", code(error)),
                docs.clone(),
            );
        }
        for ((_, old), (index, new)) in matched.base.iter().zip(matched.head.iter()) {
            compare_row(
                out,
                ctx,
                &row_path(*index),
                &format!("error code {} of {label}", code(error)),
                &docs,
                old,
                new,
            );
        }
    }
    let (old_codes, new_codes): (Vec<&str>, Vec<&str>) =
        (old.keys().copied().collect(), new.keys().copied().collect());
    if reordered(&old_codes, &new_codes) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &op.at(&["errors"]),
            format!("the error codes of {label} were reordered"),
            format!("the order of the variants of {error_enum}"),
        );
    }
}

fn compare_row(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    here: &[crate::load::yaml::Segment],
    what: &str,
    docs: &str,
    base: &ErrorDef,
    head: &ErrorDef,
) {
    let ErrorDef {
        code: _,
        status: base_status,
        message: base_message,
        resolution: base_resolution,
        recovered_from: base_recovered,
        note: base_note,
        provenance: base_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = base;
    let ErrorDef {
        code: _,
        status: head_status,
        message: head_message,
        resolution: head_resolution,
        recovered_from: head_recovered,
        note: head_note,
        provenance: head_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = head;
    if base_status != head_status {
        out.head(
            ctx,
            Rule::ErrorStatusChanged,
            &at(here, &["status"]),
            format!("the status of {what} changed from {base_status} to {head_status}"),
            format!("{docs}: the variant is chosen by code"),
        );
    }
    out.texts(
        ctx,
        here,
        what,
        docs,
        &[
            ("message", base_message.as_deref(), head_message.as_deref()),
            (
                "resolution",
                base_resolution.as_deref(),
                head_resolution.as_deref(),
            ),
        ],
    );
    out.provenance(
        ctx,
        &at(here, &["recovered_from"]),
        &format!("the `recovered_from` of {what}"),
        base_recovered.as_deref(),
        head_recovered.as_deref(),
    );
    // The row's docs say what kind of source gave it (and its address), read from
    // `recovered_from`: a change of that is a change of rustdoc, not only of provenance.
    let base_origin = RowOrigin::of(base_recovered.as_deref());
    let head_origin = RowOrigin::of(head_recovered.as_deref());
    if base_origin != head_origin {
        out.head(
            ctx,
            Rule::DocChanged,
            &at(here, &["recovered_from"]),
            format!("where {what} comes from, as its docs say, changed"),
            docs.to_owned(),
        );
    }
    out.text(
        ctx,
        Rule::NoteChanged,
        &at(here, &["note"]),
        &format!("the note of {what}"),
        base_note.as_deref(),
        head_note.as_deref(),
        docs,
    );
    out.provenance(
        ctx,
        &at(here, &["provenance"]),
        &format!("the provenance of {what}"),
        base_provenance.as_deref(),
        head_provenance.as_deref(),
    );
}
