//! Request bodies: the method's last argument `body: impl Into<Body>`. A multipart body is a
//! `#[non_exhaustive]` enum with a constructor per alternative; an alternative with one required
//! input holds it, one with several gets a struct with a method per optional part (see `parts`).

use super::matching::{Matched, Matching, reordered};
use super::operations::OperationPair;
use super::parts::Parts;
use super::shared::{entries, names};
use super::{Changes, Ctx, at, code, limits};
use crate::ident;
use crate::ir;
use crate::load::model::{BodyDef, JsonBodyDef, MultipartDef, VariantDef};
use crate::load::yaml::Segment;
use crate::tools::diff::rules::Rule;

/// What a body is, for messages: `multipart `Upload``.
fn describe(body: &BodyDef) -> (&'static str, &str) {
    match (&body.multipart, &body.json) {
        (Some(multipart), _) => ("multipart", &multipart.type_name),
        (None, Some(json)) => ("JSON", json.ty.text()),
        (None, None) => ("empty", ""),
    }
}

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    base: Option<&BodyDef>,
    head: Option<&BodyDef>,
) {
    let label = ctx.label();
    let here = op.at(&["body"]);
    let argument = |ty: &str| format!("`body: impl Into<{}>`", op.names.item(ty));
    match (base, head) {
        (None, None) => {}
        (Some(base), None) => {
            let (_, ty) = describe(base);
            out.base(
                ctx,
                Rule::BodyRemoved,
                &here,
                format!("{label} no longer sends a request body"),
                format!("removes argument {} from {}", argument(ty), op.owners),
            );
        }
        (None, Some(head)) => {
            let (kind, ty) = describe(head);
            let mut api = format!("adds a required argument {} to {}", argument(ty), op.owners);
            if kind == "multipart" {
                api.push_str(&format!(
                    "; {} no longer implements `Clone`",
                    op.names.builder(op.name)
                ));
            }
            out.head(
                ctx,
                Rule::BodyAdded,
                &here,
                format!("{label} now sends a {kind} request body ({})", code(ty)),
                api,
            );
        }
        (Some(base), Some(head)) => {
            let BodyDef {
                multipart: base_multipart,
                json: base_json,
            } = base;
            let BodyDef {
                multipart: head_multipart,
                json: head_json,
            } = head;
            let ((old_kind, old_type), (new_kind, new_type)) = (describe(base), describe(head));
            if (old_kind, old_type) != (new_kind, new_type) {
                let mut api = format!(
                    "argument `body` of {} takes `impl Into<{}>` instead of `impl Into<{}>`",
                    op.owners,
                    op.names.item(new_type),
                    op.names.item(old_type)
                );
                if old_kind != new_kind && new_kind == "multipart" {
                    api.push_str(&format!(
                        "; {} no longer implements `Clone`",
                        op.names.builder(op.name)
                    ));
                }
                out.head(
                    ctx,
                    Rule::BodyTypeChanged,
                    &here,
                    format!(
                        "the request body of {label} changed from {old_kind} {} to {new_kind} {}",
                        code(old_type),
                        code(new_type)
                    ),
                    api,
                );
            }
            if let (Some(base), Some(head)) = (base_multipart, head_multipart) {
                multipart(out, ctx, op, base, head);
            }
            if let (Some(base), Some(head)) = (base_json, head_json) {
                let JsonBodyDef {
                    ty: _,
                    note: base_note,
                    provenance: base_provenance,
                } = base;
                let JsonBodyDef {
                    ty: _,
                    note: head_note,
                    provenance: head_provenance,
                } = head;
                out.text(
                    ctx,
                    Rule::NoteChanged,
                    &at(&here, &["json", "note"]),
                    &format!("the note of the JSON body of {label}"),
                    base_note.as_deref(),
                    head_note.as_deref(),
                    &format!("rustdoc of {}", op.owners),
                );
                out.provenance(
                    ctx,
                    &at(&here, &["json", "provenance"]),
                    &format!("the provenance of the JSON body of {label}"),
                    base_provenance.as_deref(),
                    head_provenance.as_deref(),
                );
            }
        }
    }
}

/// How an alternative holds its inputs, as lowering decided.
fn shape<'a>(
    api: Option<&'a ir::Api>,
    body: &str,
    alternative: &str,
) -> Option<&'a ir::VariantShape> {
    api?.bodies
        .get(body)?
        .variants
        .iter()
        .find(|variant| variant.constructor == alternative)
        .map(|variant| &variant.shape)
}

/// The struct of an alternative with one, when it has one.
fn struct_name(shape: Option<&ir::VariantShape>) -> Option<&str> {
    match shape? {
        ir::VariantShape::Struct { name } => Some(name),
        ir::VariantShape::Single(_) => None,
    }
}

fn multipart(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    op: &OperationPair<'_>,
    base: &MultipartDef,
    head: &MultipartDef,
) {
    let MultipartDef {
        type_name: base_type,
        doc: base_doc,
        one_of: base_alternatives,
        max_bytes: base_max,
        note: base_note,
        provenance: base_provenance,
    } = base;
    let MultipartDef {
        type_name: head_type,
        doc: head_doc,
        one_of: head_alternatives,
        max_bytes: head_max,
        note: head_note,
        provenance: head_provenance,
    } = head;
    let label = ctx.label();
    let here = op.at(&["body", "multipart"]);
    let body = op.names.item(head_type);
    let what = format!("body {} of {label}", code(head_type));
    let docs = format!("rustdoc of `{body}`");
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
    limits::compare(
        out,
        ctx,
        &at(&here, &["max_bytes"]),
        &format!("the size limit of {what}"),
        limits::Bound::Max,
        " bytes",
        base_max.map(i128::from),
        head_max.map(i128::from),
        &format!("`{body}` bodies"),
    );

    let alternatives = Alternatives {
        op,
        here: &here,
        body: &body,
        what: &what,
        base_type,
        head_type,
    };
    let matching = Matching::by_name(entries(base_alternatives), entries(head_alternatives));
    for (name, _) in &matching.removed {
        let mut api = format!(
            "removes constructor `{body}::{name}` and variant `{body}::{}`",
            ident::camel(name)
        );
        if let Some(name) = struct_name(shape(op.base_ir, base_type, name)) {
            api.push_str(&format!(", and struct `{}`", op.names.item(name)));
        }
        out.base(
            ctx,
            Rule::BodyAlternativeRemoved,
            &alternatives.path(name),
            format!("alternative {} of {what} was removed", code(name)),
            api,
        );
    }
    for (name, _) in &matching.added {
        out.head(
            ctx,
            Rule::BodyAlternativeAdded,
            &alternatives.path(name),
            format!("alternative {} was added to {what}", code(name)),
            format!("adds constructor `{body}::{name}` and variant `{body}::{}` (the enum is `#[non_exhaustive]`: not breaking)", ident::camel(name)),
        );
    }
    for matched in &matching.same {
        alternatives.compare(out, ctx, matched);
    }
    if reordered(&names(base_alternatives), &names(head_alternatives)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &at(&here, &["one_of"]),
            format!("the alternatives of {what} were reordered"),
            format!("the order of the variants of `{body}`"),
        );
    }
}

/// The alternatives of one multipart body.
struct Alternatives<'a> {
    op: &'a OperationPair<'a>,
    here: &'a [Segment],
    body: &'a str,
    what: &'a str,
    base_type: &'a str,
    head_type: &'a str,
}

impl Alternatives<'_> {
    fn path(&self, name: &str) -> Vec<Segment> {
        at(self.here, &["one_of", name])
    }

    fn compare(&self, out: &mut Changes, ctx: &Ctx<'_>, matched: &Matched<'_, VariantDef>) {
        let VariantDef {
            doc: base_doc,
            parts: base_parts,
        } = matched.base;
        let VariantDef {
            doc: head_doc,
            parts: head_parts,
        } = matched.head;
        let name = matched.head_name;
        let here = self.path(name);
        let body = self.body;
        let constructor = format!("`{body}::{name}`");
        let what = format!("alternative {} of {}", code(name), self.what);
        out.text(
            ctx,
            Rule::DocChanged,
            &at(&here, &["doc"]),
            &format!("the doc of {what}"),
            Some(base_doc),
            Some(head_doc),
            &format!("rustdoc of {constructor}"),
        );
        let (base_shape, head_shape) = (
            shape(self.op.base_ir, self.base_type, name),
            shape(self.op.head_ir, self.head_type, name),
        );
        let (old_struct, new_struct) = (struct_name(base_shape), struct_name(head_shape));
        if base_shape.is_some()
            && head_shape.is_some()
            && old_struct.is_some() != new_struct.is_some()
        {
            let returns = |name: Option<&str>| {
                name.map_or_else(
                    || format!("`{body}`"),
                    |name| format!("`{}`", self.op.names.item(name)),
                )
            };
            let now = if new_struct.is_some() {
                "now has a struct of its own"
            } else {
                "now holds its only input"
            };
            out.head(
                ctx,
                Rule::BodyAlternativeShapeChanged,
                &here,
                format!("{what} {now}"),
                format!(
                    "{constructor} returns {} instead of {}",
                    returns(new_struct),
                    returns(old_struct)
                ),
            );
        }
        let parts = Parts {
            what: &what,
            here: &here,
            constructor: &constructor,
            setters: new_struct
                .or(old_struct)
                .map(|name| self.op.names.item(name)),
        };
        parts.compare(out, ctx, base_parts, head_parts);
    }
}
