//! Enumerations: `#[non_exhaustive]` enums with an `Unknown` variant, one variant per value.
//! Values are matched by their wire value, then a variant that kept its name is a changed value.

use super::matching::{Matching, reordered};
use super::{Changes, Ctx, at, at_index, code};
use crate::load::model::{EnumValueDef, ScalarValue};
use crate::load::yaml::Segment;
use crate::path;
use crate::tools::diff::rules::Rule;

/// `` `2` ``, `` `"text"` `` or `none`.
pub(super) fn scalar(value: Option<&ScalarValue>) -> String {
    match value {
        Some(ScalarValue::Integer(number)) => code(number),
        Some(ScalarValue::String(text)) => code(format!("{text:?}")),
        None => "none".to_owned(),
    }
}

pub(super) fn values(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    rust: &str,
    name: &str,
    base: &[EnumValueDef],
    head: &[EnumValueDef],
) {
    let label = ctx.label();
    let integer = |values: &[EnumValueDef]| {
        values
            .first()
            .map(|value| matches!(value.value, ScalarValue::Integer(_)))
    };
    if let (Some(was), Some(is)) = (integer(base), integer(head))
        && was != is
    {
        let kind = |integer: bool| if integer { "integer" } else { "string" };
        out.head(
            ctx,
            Rule::EnumKindChanged,
            &path!["types", name, "values"],
            format!(
                "the values of enumeration {} of {label} changed from {}s to {}s",
                code(name),
                kind(was),
                kind(is)
            ),
            format!(
                "`{rust}::value` returns `{}` instead of `{}`, and `from_value` takes it",
                if is { "i64" } else { "&str" },
                if was { "i64" } else { "&str" }
            ),
        );
        return;
    }
    let wire = |value: &EnumValueDef| scalar(Some(&value.value));
    let keyed = |values: &[EnumValueDef]| -> Vec<String> { values.iter().map(wire).collect() };
    let (base_keys, head_keys) = (keyed(base), keyed(head));
    let mut matching = Matching::by_name(
        base_keys.iter().map(String::as_str).zip(base),
        head_keys.iter().map(String::as_str).zip(head),
    );
    // A variant keeps its name when only its wire value changes.
    let moved = matching.renames(|_, value| Some(value.name.clone()));
    let index_in = |values: &[EnumValueDef], value: &EnumValueDef| {
        values
            .iter()
            .position(|candidate| std::ptr::eq(candidate, value))
            .unwrap_or_default()
    };
    let value_path = |index: usize| at_index(&path!["types", name], "values", index);
    for (_, value) in &matching.removed {
        out.base(
            ctx,
            Rule::EnumValueRemoved,
            &value_path(index_in(base, value)),
            format!(
                "value {} ({}) of enumeration {} of {label} was removed",
                wire(value),
                code(&value.name),
                code(name)
            ),
            format!(
                "removes variant `{rust}::{}` (the value now arrives as `Unknown`)",
                value.name
            ),
        );
    }
    for (_, value) in &matching.added {
        out.head(
            ctx,
            Rule::EnumValueAdded,
            &value_path(index_in(head, value)),
            format!(
                "value {} ({}) was added to enumeration {} of {label}",
                wire(value),
                code(&value.name),
                code(name)
            ),
            format!(
                "adds variant `{rust}::{}` (the enum is `#[non_exhaustive]`: not breaking)",
                value.name
            ),
        );
    }
    for matched in &moved {
        let (old, new) = (matched.base, matched.head);
        let here = value_path(index_in(head, new));
        out.head(
            ctx,
            Rule::EnumValueChanged,
            &at(&here, &["value"]),
            format!(
                "the value of variant {} of enumeration {} of {label} changed from {} to {}",
                code(&new.name),
                code(name),
                wire(old),
                wire(new)
            ),
            format!(
                "`{rust}::{}` is sent and recognised as {}",
                new.name,
                wire(new)
            ),
        );
        compare_value_doc(out, ctx, &here, name, old, new);
    }
    for matched in &matching.same {
        let (old, new) = (matched.base, matched.head);
        let here = value_path(index_in(head, new));
        let EnumValueDef {
            value: _,
            name: old_name,
            doc: _,
        } = old;
        if *old_name != new.name {
            out.head(
                ctx,
                Rule::EnumVariantRenamed,
                &at(&here, &["name"]),
                format!(
                    "variant {} of enumeration {} of {label} was renamed to {}",
                    code(old_name),
                    code(name),
                    code(&new.name)
                ),
                format!(
                    "renames variant `{rust}::{old_name}` to `{rust}::{}`",
                    new.name
                ),
            );
        }
        compare_value_doc(out, ctx, &here, name, old, new);
    }
    let order = |values: &[EnumValueDef]| {
        values
            .iter()
            .map(|value| value.name.clone())
            .collect::<Vec<_>>()
    };
    if reordered(&order(base), &order(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["types", name, "values"],
            format!(
                "the values of enumeration {} of {label} were reordered",
                code(name)
            ),
            format!("the order of the variants of `{rust}`"),
        );
    }
}

fn compare_value_doc(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    here: &[Segment],
    name: &str,
    base: &EnumValueDef,
    head: &EnumValueDef,
) {
    out.text(
        ctx,
        Rule::DocChanged,
        &at(here, &["doc"]),
        &format!(
            "the doc of value {} of enumeration {} of {}",
            code(&head.name),
            code(name),
            ctx.label()
        ),
        Some(&base.doc),
        Some(&head.doc),
        "rustdoc of the variant",
    );
}
