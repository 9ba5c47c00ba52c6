//! Named types: objects become `#[non_exhaustive]` structs (with `new` and setters when sent in
//! a JSON body), enumerations `#[non_exhaustive]` enums with an `Unknown` variant.

use indexmap::IndexMap;

use super::api::ApiPair;
use super::enums::{self, scalar};
use super::matching::{Matching, reordered};
use super::rust::{canonical, field_name, field_type, is_optional};
use super::shared::{entries, names};
use super::{Changes, Ctx, at, code};
use crate::ir;
use crate::load::model::{KeyDef, TypeDef};
use crate::load::yaml::Segment;
use crate::path;
use crate::tools::diff::rules::Rule;

pub(super) fn compare(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    pair: &ApiPair<'_>,
    base: &IndexMap<String, TypeDef>,
    head: &IndexMap<String, TypeDef>,
) {
    let label = ctx.label();
    let matching = Matching::by_name(entries(base), entries(head));
    for (name, def) in &matching.removed {
        out.base(
            ctx,
            Rule::TypeRemoved,
            &path!["types", *name],
            format!("type {} of {label} was removed", code(name)),
            format!("removes {} `{}`", kind(def), pair.names.item(name)),
        );
    }
    for (name, def) in &matching.added {
        out.head(
            ctx,
            Rule::TypeAdded,
            &path!["types", *name],
            format!("type {} of {label} was added", code(name)),
            format!("adds {} `{}`", kind(def), pair.names.item(name)),
        );
    }
    for matched in &matching.same {
        compare_type(
            out,
            ctx,
            pair,
            matched.head_name,
            matched.base,
            matched.head,
        );
    }
    if reordered(&names(base), &names(head)) {
        out.head(
            ctx,
            Rule::OrderChanged,
            &path!["types"],
            format!("the types of {label} were reordered"),
            "none: types are generated in name order",
        );
    }
}

fn kind(def: &TypeDef) -> &'static str {
    if def.values.is_some() {
        "enum"
    } else {
        "struct"
    }
}

fn compare_type(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    pair: &ApiPair<'_>,
    name: &str,
    base: &TypeDef,
    head: &TypeDef,
) {
    let TypeDef {
        doc: base_doc,
        keys: base_keys,
        values: base_values,
        note: base_note,
        provenance: base_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = base;
    let TypeDef {
        doc: head_doc,
        keys: head_keys,
        values: head_values,
        note: head_note,
        provenance: head_provenance,
        // Audit's marks, not the crate's: nothing to report.
        acknowledged: _,
    } = head;
    let label = ctx.label();
    let here = path!["types", name];
    let rust = pair.names.item(name);
    let docs = format!("rustdoc of `{rust}`");
    out.texts(
        ctx,
        &here,
        &format!("type {} of {label}", code(name)),
        &docs,
        &[
            ("doc", Some(base_doc), Some(head_doc)),
            ("note", base_note.as_deref(), head_note.as_deref()),
        ],
    );
    out.provenance(
        ctx,
        &at(&here, &["provenance"]),
        &format!("the provenance of type {} of {label}", code(name)),
        base_provenance.as_deref(),
        head_provenance.as_deref(),
    );
    if kind(base) != kind(head) {
        out.head(
            ctx,
            Rule::TypeKindChanged,
            &here,
            format!(
                "type {} of {label} changed from {} to {}",
                code(name),
                article(kind_word(base)),
                article(kind_word(head))
            ),
            format!(
                "`{rust}` changes from {} to {}",
                article(kind(base)),
                article(kind(head))
            ),
        );
        return;
    }
    let no_keys = IndexMap::new();
    let no_values = Vec::new();
    if kind(head) == "enum" {
        let (base_values, head_values) = (
            base_values.as_ref().unwrap_or(&no_values),
            head_values.as_ref().unwrap_or(&no_values),
        );
        enums::values(out, ctx, &rust, name, base_values, head_values);
        return;
    }
    let objects = (object(pair.base_ir, name), object(pair.head_ir, name));
    let keys = Keys {
        name,
        rust: &rust,
        base_request: objects.0.is_some_and(|object| object.request),
        head_request: objects.1.is_some_and(|object| object.request),
        base_object: objects.0,
        head_object: objects.1,
    };
    keys.compare(
        out,
        ctx,
        base_keys.as_ref().unwrap_or(&no_keys),
        head_keys.as_ref().unwrap_or(&no_keys),
    );
    if let (Some(base_object), Some(head_object)) = objects {
        derives(out, ctx, &here, &rust, base_object, head_object);
    }
}

fn article(kind: &str) -> String {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {kind}")
    } else {
        format!("a {kind}")
    }
}

fn kind_word(def: &TypeDef) -> &'static str {
    if def.values.is_some() {
        "enumeration"
    } else {
        "object"
    }
}

fn object<'a>(api: Option<&'a ir::Api>, name: &str) -> Option<&'a ir::ObjectType> {
    match api?.types.get(name)? {
        ir::TypeItem::Object(object) => Some(object),
        ir::TypeItem::Enum(_) => None,
    }
}

/// What lowering derives for a struct: `Default`, `Eq`, and `new` with setters.
fn derives(
    out: &mut Changes,
    ctx: &Ctx<'_>,
    here: &[Segment],
    rust: &str,
    base: &ir::ObjectType,
    head: &ir::ObjectType,
) {
    let label = ctx.label();
    let name = &head.name;
    for (derive, before, after) in [
        ("Default", base.defaultable, head.defaultable),
        ("Eq", base.total_eq, head.total_eq),
    ] {
        match (before, after) {
            (true, false) => out.head(
                ctx,
                Rule::DeriveRemoved,
                here,
                format!(
                    "type {} of {label} no longer implements `{derive}`",
                    code(name)
                ),
                format!("removes `impl {derive} for {rust}`"),
            ),
            (false, true) => out.head(
                ctx,
                Rule::DeriveAdded,
                here,
                format!("type {} of {label} now implements `{derive}`", code(name)),
                format!("adds `impl {derive} for {rust}`"),
            ),
            _ => {}
        }
    }
    match (base.request, head.request) {
        (true, false) => out.head(
            ctx,
            Rule::ConstructorRemoved,
            here,
            format!(
                "type {} of {label} is no longer sent in a request body",
                code(name)
            ),
            format!("removes `{rust}::new` and its setters"),
        ),
        (false, true) => out.head(
            ctx,
            Rule::ConstructorAdded,
            here,
            format!(
                "type {} of {label} is now sent in a request body",
                code(name)
            ),
            format!("adds `{rust}::new` and a setter per optional key"),
        ),
        _ => {}
    }
}

/// The keys of one object type, and whether users build it (a request type).
struct Keys<'a> {
    name: &'a str,
    rust: &'a str,
    base_request: bool,
    head_request: bool,
    /// The lowered type on each side, whose fields have the Rust types the crate uses.
    base_object: Option<&'a ir::ObjectType>,
    head_object: Option<&'a ir::ObjectType>,
}

impl Keys<'_> {
    fn compare(
        &self,
        out: &mut Changes,
        ctx: &Ctx<'_>,
        base: &IndexMap<String, KeyDef>,
        head: &IndexMap<String, KeyDef>,
    ) {
        let label = ctx.label();
        let (name, rust) = (self.name, self.rust);
        let key_path = |wire: &str| path!["types", name, "keys", wire];
        let mut matching = Matching::by_name(entries(base), entries(head));
        // A key read from another wire name keeps its Rust field.
        let moved = matching.renames(|wire, key| Some(field_name(wire, key)));
        for (wire, key) in &matching.removed {
            let field = field_name(wire, key);
            let mut api = format!("removes field `{rust}::{field}`");
            if self.base_request {
                api.push_str(&if is_optional(key) {
                    format!(" and its setter `{rust}::{field}`")
                } else {
                    format!(" and argument `{field}` of `{rust}::new`")
                });
            }
            out.base(
                ctx,
                Rule::KeyRemoved,
                &key_path(wire),
                format!(
                    "key {} of type {} of {label} was removed",
                    code(wire),
                    code(name)
                ),
                api,
            );
        }
        for (wire, key) in &matching.added {
            let field = field_name(wire, key);
            let ty = field_type(self.head_object, wire, key);
            if self.head_request && !is_optional(key) {
                out.head(
                    ctx,
                    Rule::RequiredKeyAdded,
                    &key_path(wire),
                    format!("required key {} was added to type {} of {label}, sent in requests", code(wire), code(name)),
                    format!("adds field `{rust}::{field}: {ty}` and a required argument `{field}` to `{rust}::new`"),
                );
                continue;
            }
            let mut api = format!(
                "adds field `{rust}::{field}: {ty}` (the struct is `#[non_exhaustive]`: not breaking)"
            );
            if self.head_request {
                api.push_str(&format!(" and setter `{rust}::{field}`"));
            }
            out.head(
                ctx,
                Rule::KeyAdded,
                &key_path(wire),
                format!(
                    "key {} was added to type {} of {label}",
                    code(wire),
                    code(name)
                ),
                api,
            );
        }
        for matched in &moved {
            let field = field_name(matched.head_name, matched.head);
            out.head(
                ctx,
                Rule::WireNameChanged,
                &key_path(matched.head_name),
                format!(
                    "key {} of type {} of {label} is now {}",
                    code(matched.base_name),
                    code(name),
                    code(matched.head_name)
                ),
                format!(
                    "field `{rust}::{field}` stays, read from and written to {}",
                    code(matched.head_name)
                ),
            );
        }
        for matched in matching.same.iter().chain(&moved) {
            self.compare_key(
                out,
                ctx,
                &key_path(matched.head_name),
                (matched.base_name, matched.base),
                (matched.head_name, matched.head),
            );
        }
        if reordered(&names(base), &names(head)) {
            out.head(
                ctx,
                Rule::OrderChanged,
                &path!["types", name, "keys"],
                format!("the keys of type {} of {label} were reordered", code(name)),
                format!("the field order of `{rust}` and the order its keys are encoded"),
            );
        }
    }

    fn compare_key(
        &self,
        out: &mut Changes,
        ctx: &Ctx<'_>,
        here: &[Segment],
        (base_wire, base): (&str, &KeyDef),
        (wire, head): (&str, &KeyDef),
    ) {
        let KeyDef {
            ty: base_ty,
            doc: base_doc,
            required: base_required,
            nullable: base_nullable,
            undocumented: base_undocumented,
            tolerant: base_tolerant,
            rust_name: _,
            default: base_default,
            note: base_note,
            provenance: base_provenance,
            // Audit's marks, not the crate's: nothing to report.
            acknowledged: _,
        } = base;
        let KeyDef {
            ty: head_ty,
            doc: head_doc,
            required: head_required,
            nullable: head_nullable,
            undocumented: head_undocumented,
            tolerant: head_tolerant,
            rust_name: _,
            default: head_default,
            note: head_note,
            provenance: head_provenance,
            // Audit's marks, not the crate's: nothing to report.
            acknowledged: _,
        } = head;
        let label = ctx.label();
        let (name, rust) = (self.name, self.rust);
        let what = format!("key {} of type {} of {label}", code(wire), code(name));
        let (old_field, field) = (field_name(base_wire, base), field_name(wire, head));
        if old_field != field {
            out.head(
                ctx,
                Rule::KeyRenamed,
                &at(here, &["rust_name"]),
                format!(
                    "the Rust name of {what} changed from {} to {}",
                    code(&old_field),
                    code(&field)
                ),
                format!("renames field `{rust}::{old_field}` to `{rust}::{field}`"),
            );
        }
        let (old_type, new_type) = (
            field_type(self.base_object, base_wire, base),
            field_type(self.head_object, wire, head),
        );
        let constructor = self.constructor_change(&field, is_optional(base), is_optional(head));
        if canonical(base_ty) != canonical(head_ty) {
            out.head(
                ctx,
                Rule::KeyTypeChanged,
                &at(here, &["type"]),
                format!(
                    "the type of {what} changed from {} to {}",
                    code(canonical(base_ty)),
                    code(canonical(head_ty))
                ),
                format!(
                    "changes field `{rust}::{field}` from `{old_type}` to `{new_type}`{constructor}"
                ),
            );
        } else if base_tolerant != head_tolerant {
            let now = if *head_tolerant {
                "became tolerant: a value it cannot read is kept raw"
            } else {
                "is no longer tolerant: a value it cannot read fails the answer"
            };
            out.head(
                ctx,
                Rule::KeyToleranceChanged,
                &at(here, &["tolerant"]),
                format!("{what} {now}"),
                format!(
                    "changes field `{rust}::{field}` from `{old_type}` to `{new_type}`{constructor}"
                ),
            );
        } else if is_optional(base) != is_optional(head) {
            let (rule, now, key) = match (is_optional(head), base_required != head_required) {
                (true, true) => (Rule::KeyBecameOptional, "optional", "required"),
                (true, false) => (Rule::KeyBecameOptional, "nullable", "nullable"),
                (false, _) => (
                    Rule::KeyBecameRequired,
                    "required and not nullable",
                    "required",
                ),
            };
            out.head(
                ctx,
                rule,
                &at(here, &[key]),
                format!("{what} became {now}"),
                format!(
                    "changes field `{rust}::{field}` from `{old_type}` to `{new_type}`{constructor}"
                ),
            );
        } else if (base_required, base_nullable) != (head_required, head_nullable) {
            let mut now = Vec::new();
            if base_required != head_required {
                now.push(if *head_required {
                    "became required"
                } else {
                    "became optional"
                });
            }
            if base_nullable != head_nullable {
                now.push(if *head_nullable {
                    "became nullable"
                } else {
                    "is no longer nullable"
                });
            }
            out.head(
                ctx,
                Rule::KeyPresenceChanged,
                &at(
                    here,
                    &[if base_required != head_required {
                        "required"
                    } else {
                        "nullable"
                    }],
                ),
                format!("{what} {}", now.join(" and ")),
                format!("none: field `{rust}::{field}` stays `{new_type}`"),
            );
        }
        if base_default != head_default {
            out.head(
                ctx,
                Rule::FixedValueChanged,
                &at(here, &["default"]),
                format!(
                    "the default of {what} changed from {} to {}",
                    scalar(base_default.as_ref()),
                    scalar(head_default.as_ref())
                ),
                match head_default {
                    Some(value) => {
                        format!("`{rust}::new` sets `{field}` to {}", scalar(Some(value)))
                    }
                    None => format!("`{rust}::new` no longer sets `{field}`"),
                },
            );
        }
        let docs = format!("rustdoc of `{rust}::{field}`");
        out.text(
            ctx,
            Rule::DocChanged,
            &at(here, &["doc"]),
            &format!("the doc of {what}"),
            Some(base_doc),
            Some(head_doc),
            &docs,
        );
        if base_undocumented != head_undocumented {
            let now = if *head_undocumented {
                "is no longer"
            } else {
                "is now"
            };
            out.head(
                ctx,
                Rule::DocChanged,
                &at(here, &["undocumented"]),
                format!("{what} {now} in the page's key table"),
                docs.clone(),
            );
        }
        out.text(
            ctx,
            Rule::NoteChanged,
            &at(here, &["note"]),
            &format!("the note of {what}"),
            base_note.as_deref(),
            head_note.as_deref(),
            &docs,
        );
        out.provenance(
            ctx,
            &at(here, &["provenance"]),
            &format!("the provenance of {what}"),
            base_provenance.as_deref(),
            head_provenance.as_deref(),
        );
    }

    /// What an `Option` change of a field does to the constructor of a request type.
    fn constructor_change(&self, field: &str, was_optional: bool, is_optional: bool) -> String {
        let rust = self.rust;
        match (
            self.base_request && self.head_request,
            was_optional,
            is_optional,
        ) {
            (true, false, true) => format!(
                "; `{rust}::new` loses argument `{field}` and a setter `{rust}::{field}` appears"
            ),
            (true, true, false) => format!(
                "; setter `{rust}::{field}` disappears and `{rust}::new` gains argument `{field}`"
            ),
            _ => String::new(),
        }
    }
}
