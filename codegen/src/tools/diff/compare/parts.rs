//! The parts of one multipart alternative: required inputs are constructor arguments, optional
//! ones methods of the alternative's struct, fixed ones (`value`) no input at all.

use indexmap::IndexMap;

use super::matching::{Matched, Matching, reordered};
use super::rust::{part_name, part_type};
use super::shared::{entries, names};
use super::{Changes, Ctx, at, code, limits};
use crate::load::model::PartDef;
use crate::load::parsed::Parsed;
use crate::load::type_expr::TypeExpr;
use crate::load::yaml::Segment;
use crate::tools::diff::rules::Rule;

/// The parts of one alternative: required inputs are constructor arguments, optional ones
/// methods of the alternative's struct, fixed ones no input at all.
pub(super) struct Parts<'a> {
    /// "alternative `link` of body `Upload` of crm v8 `upload_attachment`".
    pub what: &'a str,
    /// The alternative's path in HEAD.
    pub here: &'a [Segment],
    /// `` `crm::v8::Upload::link` ``.
    pub constructor: &'a str,
    /// The alternative's struct, whose methods set optional parts, when it has one.
    pub setters: Option<String>,
}

impl Parts<'_> {
    /// Where an input part shows in the code: "argument `url: ...` of `Upload::link`".
    fn role(&self, wire: &str, part: &PartDef) -> String {
        self.role_with(wire, part, "of")
    }

    /// The same, for an addition: "argument `url: ...` to `Upload::link`".
    fn role_added(&self, wire: &str, part: &PartDef) -> String {
        self.role_with(wire, part, "to")
    }

    fn role_with(&self, wire: &str, part: &PartDef, preposition: &str) -> String {
        let rust = part_name(wire, part);
        match (&self.setters, part.required) {
            (Some(owner), false) => format!("method `{owner}::{rust}`"),
            _ => format!(
                "argument `{rust}: {}` {preposition} {}",
                part_type(part),
                self.constructor
            ),
        }
    }

    pub fn compare(
        &self,
        out: &mut Changes,
        ctx: &Ctx<'_>,
        base: &IndexMap<String, PartDef>,
        head: &IndexMap<String, PartDef>,
    ) {
        let what = self.what;
        let part_path = |wire: &str| at(self.here, &["parts", wire]);
        let mut matching = Matching::by_name(entries(base), entries(head));
        let moved = matching.renames(|wire, part| Some(part_name(wire, part)));
        for (wire, part) in &matching.removed {
            match &part.value {
                Some(value) => out.base(
                    ctx,
                    Rule::FixedValueChanged,
                    &part_path(wire),
                    format!(
                        "{what} no longer sends part {} = {}",
                        code(wire),
                        code(value)
                    ),
                    format!("none in signatures: {} stops sending it", self.constructor),
                ),
                None => out.base(
                    ctx,
                    Rule::PartRemoved,
                    &part_path(wire),
                    format!("part {} of {what} was removed", code(wire)),
                    format!("removes {}", self.role(wire, part)),
                ),
            }
        }
        for (wire, part) in &matching.added {
            let path = part_path(wire);
            match (&part.value, part.required) {
                (Some(value), _) => out.head(
                    ctx,
                    Rule::FixedValueChanged,
                    &path,
                    format!(
                        "{what} now always sends part {} = {}",
                        code(wire),
                        code(value)
                    ),
                    format!("none in signatures: {} sends it", self.constructor),
                ),
                (None, true) => out.head(
                    ctx,
                    Rule::RequiredPartAdded,
                    &path,
                    format!("required part {} was added to {what}", code(wire)),
                    format!("adds a required {}", self.role_added(wire, part)),
                ),
                (None, false) => out.head(
                    ctx,
                    Rule::OptionalPartAdded,
                    &path,
                    format!("optional part {} was added to {what}", code(wire)),
                    format!("adds {}", self.role_added(wire, part)),
                ),
            }
        }
        for renamed in &moved {
            out.head(
                ctx,
                Rule::WireNameChanged,
                &part_path(renamed.head_name),
                format!(
                    "part {} of {what} is now sent as {}",
                    code(renamed.base_name),
                    code(renamed.head_name)
                ),
                format!(
                    "{} stays; the form field changes",
                    self.role(renamed.head_name, renamed.head)
                ),
            );
        }
        for matched in matching.same.iter().chain(&moved) {
            self.compare_part(out, ctx, &part_path(matched.head_name), matched);
        }
        let inputs = |map: &IndexMap<String, PartDef>| -> Vec<String> {
            map.iter()
                .filter(|(_, part)| part.value.is_none() && part.required)
                .map(|(wire, _)| wire.clone())
                .collect()
        };
        let to_head = |wire: &str| {
            matching
                .same
                .iter()
                .chain(&moved)
                .find(|m| m.base_name == wire)
                .map(|m| m.head_name.to_owned())
        };
        let base_inputs: Vec<String> = inputs(base)
            .iter()
            .filter_map(|wire| to_head(wire))
            .collect();
        let head_inputs: Vec<String> = inputs(head)
            .into_iter()
            .filter(|wire| base_inputs.contains(wire))
            .collect();
        let base_inputs: Vec<String> = base_inputs
            .into_iter()
            .filter(|wire| head_inputs.contains(wire))
            .collect();
        if base_inputs != head_inputs {
            out.head(
                ctx,
                Rule::ArgumentOrderChanged,
                &at(self.here, &["parts"]),
                format!("the required parts of {what} are in another order"),
                format!(
                    "{} takes ({}) instead of ({})",
                    self.constructor,
                    rust_names(&head_inputs, head),
                    rust_names(&base_inputs, head)
                ),
            );
        } else if reordered(&names(base), &names(head)) {
            out.head(
                ctx,
                Rule::OrderChanged,
                &at(self.here, &["parts"]),
                format!("the parts of {what} were reordered"),
                "the order the parts are sent",
            );
        }
    }

    fn compare_part(
        &self,
        out: &mut Changes,
        ctx: &Ctx<'_>,
        here: &[Segment],
        matched: &Matched<'_, PartDef>,
    ) {
        let PartDef {
            ty: base_ty,
            required: base_required,
            doc: base_doc,
            value: base_value,
            max_bytes: base_max_bytes,
            min_length: base_min_length,
            max_length: base_max_length,
            rust_name: _,
            note: base_note,
            provenance: base_provenance,
            // Audit's marks, not the crate's: nothing to report.
            acknowledged: _,
        } = matched.base;
        let PartDef {
            ty: head_ty,
            required: head_required,
            doc: head_doc,
            value: head_value,
            max_bytes: head_max_bytes,
            min_length: head_min_length,
            max_length: head_max_length,
            rust_name: _,
            note: head_note,
            provenance: head_provenance,
            // Audit's marks, not the crate's: nothing to report.
            acknowledged: _,
        } = matched.head;
        let wire = matched.head_name;
        let what = format!("part {} of {}", code(wire), self.what);
        let (before, after) = (
            self.role(matched.base_name, matched.base),
            self.role(wire, matched.head),
        );
        match (base_value, head_value) {
            (None, Some(value)) => out.head(
                ctx,
                Rule::PartFixedChanged,
                &at(here, &["value"]),
                format!("{what} is now fixed to {}", code(value)),
                format!("removes {before}"),
            ),
            // An optional input is a new method, and code keeps compiling; but calls that do
            // not use it stop sending the value.
            (Some(old), None) if self.setters.is_some() && !*head_required => out.head(
                ctx,
                Rule::FixedValueChanged,
                &at(here, &["value"]),
                format!(
                    "{what} is no longer fixed to {}: it is sent only when set",
                    code(old)
                ),
                format!(
                    "adds {}; {} no longer sends {} = {} unless it is set",
                    self.role_added(wire, matched.head),
                    self.constructor,
                    code(wire),
                    code(old)
                ),
            ),
            (Some(_), None) => out.head(
                ctx,
                Rule::PartFixedChanged,
                &at(here, &["value"]),
                format!("{what} is no longer fixed"),
                format!("adds {}", self.role_added(wire, matched.head)),
            ),
            (Some(old), Some(new)) if old != new => out.head(
                ctx,
                Rule::FixedValueChanged,
                &at(here, &["value"]),
                format!(
                    "the fixed value of {what} changed from {} to {}",
                    code(old),
                    code(new)
                ),
                format!(
                    "none in signatures: {} sends {}",
                    self.constructor,
                    code(new)
                ),
            ),
            _ => {}
        }
        let is_input = base_value.is_none() && head_value.is_none();
        if base_ty != head_ty {
            let kind = |ty: &Parsed<TypeExpr>| match ty.get() {
                Some(TypeExpr::File) => "a file".to_owned(),
                Some(TypeExpr::String) => "text".to_owned(),
                _ => code(ty.text()),
            };
            let api = if is_input {
                format!("{before} becomes {after}")
            } else {
                format!(
                    "none in signatures: {} sends it as {}",
                    self.constructor,
                    kind(head_ty)
                )
            };
            out.head(
                ctx,
                Rule::PartTypeChanged,
                &at(here, &["type"]),
                format!("{what} changed from {} to {}", kind(base_ty), kind(head_ty)),
                api,
            );
        } else if is_input && base_required != head_required {
            let (rule, now) = if *head_required {
                (Rule::PartBecameRequired, "required")
            } else {
                (Rule::PartBecameOptional, "optional")
            };
            out.head(
                ctx,
                rule,
                &at(here, &["required"]),
                format!("{what} became {now}"),
                format!("{before} becomes {after}"),
            );
        } else if is_input {
            let (old, new) = (
                part_name(matched.base_name, matched.base),
                part_name(wire, matched.head),
            );
            if old != new {
                let rule = if *head_required || self.setters.is_none() {
                    Rule::ArgumentRenamed
                } else {
                    Rule::SetterRenamed
                };
                out.head(
                    ctx,
                    rule,
                    &at(here, &["rust_name"]),
                    format!(
                        "the Rust name of {what} changed from {} to {}",
                        code(&old),
                        code(&new)
                    ),
                    format!("{before} becomes {after}"),
                );
            }
        }
        let subject = format!("`{}` values", part_name(wire, matched.head));
        limits::compare(
            out,
            ctx,
            &at(here, &["max_bytes"]),
            &format!("the size limit of {what}"),
            limits::Bound::Max,
            " bytes",
            base_max_bytes.map(i128::from),
            head_max_bytes.map(i128::from),
            &subject,
        );
        let length = |value: &Option<usize>| value.and_then(|value| i128::try_from(value).ok());
        limits::compare(
            out,
            ctx,
            &at(here, &["min_length"]),
            &format!("the minimum length of {what}"),
            limits::Bound::Min,
            " characters",
            length(base_min_length),
            length(head_min_length),
            &subject,
        );
        limits::compare(
            out,
            ctx,
            &at(here, &["max_length"]),
            &format!("the maximum length of {what}"),
            limits::Bound::Max,
            " characters",
            length(base_max_length),
            length(head_max_length),
            &subject,
        );
        let docs = format!("rustdoc of {}", self.constructor);
        out.texts(
            ctx,
            here,
            &what,
            &docs,
            &[
                ("doc", Some(base_doc), Some(head_doc)),
                ("note", base_note.as_deref(), head_note.as_deref()),
            ],
        );
        out.provenance(
            ctx,
            &at(here, &["provenance"]),
            &format!("the provenance of {what}"),
            base_provenance.as_deref(),
            head_provenance.as_deref(),
        );
    }
}

fn rust_names(wires: &[String], parts: &IndexMap<String, PartDef>) -> String {
    wires
        .iter()
        .map(|wire| {
            parts
                .get(wire)
                .map_or_else(|| wire.clone(), |part| part_name(wire, part))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
