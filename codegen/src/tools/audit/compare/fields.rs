//! Parameters and form-data fields against the spec's query parameters and multipart parts;
//! response keys against the keys of the types the answer is made of, value tables against
//! enumerations.

use std::collections::HashSet;

use super::{Ctx, Draft, same_type, words};
use crate::load::model::{Departure, KeyDef, ScalarValue, TypeDef};
use crate::load::type_expr::TypeExpr;
use crate::load::yaml::Segment;
use crate::tools::audit::{Fact, Kind};
use crate::tools::page::{Field, OperationFacts};

/// An input of the spec: a query parameter or a multipart part.
struct Input<'a> {
    name: &'a str,
    ty: Option<&'a TypeExpr>,
    required: bool,
    doc: &'a str,
    marks: &'a [Departure],
    path: Vec<Segment>,
}

pub(super) fn parameters(ctx: &mut Ctx<'_>, page: &OperationFacts) {
    let op = ctx.target.op;
    let mut inputs: Vec<Input<'_>> = Vec::new();
    for (name, param) in &op.params {
        if param.location == crate::load::model::ParamLocation::Query {
            inputs.push(Input {
                name,
                ty: param.ty.get(),
                required: param.required,
                doc: &param.doc,
                marks: &param.acknowledged,
                path: ctx.op_path(&["params", name]),
            });
        }
    }
    if let Some(multipart) = op.body.as_ref().and_then(|body| body.multipart.as_ref()) {
        for (alternative, variant) in &multipart.one_of {
            for (name, part) in &variant.parts {
                if part.value.is_some() || inputs.iter().any(|input| input.name == name) {
                    continue;
                }
                inputs.push(Input {
                    name,
                    ty: part.ty.get(),
                    required: part.required,
                    doc: &part.doc,
                    marks: &part.acknowledged,
                    path: ctx.op_path(&["body", "multipart", "one_of", alternative, "parts", name]),
                });
            }
        }
    }
    let sections: Vec<&crate::tools::page::Listed<Field>> = [&page.parameters, &page.form_data]
        .into_iter()
        .flatten()
        .collect();
    let section_line = sections.first().map_or(page.line, |section| section.line);
    let fields: Vec<&Field> = sections.iter().flat_map(|section| &section.items).collect();
    let types = &ctx.target.file.spec.types;
    for field in &fields {
        let Some(input) = inputs.iter().find(|input| input.name == field.name) else {
            let path = ctx.op_path(&["params"]);
            ctx.add(Draft {
                kind: Kind::OnPageOnly,
                fact: Fact::Parameter,
                subject: field.name.clone(),
                aspect: Departure::Absent,
                page_line: Some(field.line),
                spec_path: path,
                message: format!(
                    "the page lists parameter `{}`{}, the spec's operation does not take it",
                    field.name,
                    field
                        .ty
                        .as_deref()
                        .map(|ty| format!(" ({ty})"))
                        .unwrap_or_default()
                ),
                marks: &[],
            });
            continue;
        };
        if let (Some(page_ty), Some(spec_ty)) = (&field.ty, input.ty)
            && !same_type(page_ty, spec_ty, types)
        {
            ctx.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Parameter,
                subject: field.name.clone(),
                aspect: Departure::Type,
                page_line: Some(field.line),
                spec_path: with(&input.path, "type"),
                message: format!(
                    "parameter `{}` is {page_ty} on the page, {} in the spec",
                    field.name,
                    type_text(spec_ty)
                ),
                marks: input.marks,
            });
        }
        if let Some(required) = field.required
            && required != input.required
        {
            ctx.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Parameter,
                subject: field.name.clone(),
                aspect: Departure::Required,
                page_line: Some(field.line),
                spec_path: input.path.clone(),
                message: format!(
                    "parameter `{}` is {} on the page, {} in the spec",
                    field.name,
                    mandatory(required),
                    mandatory(input.required)
                ),
                marks: input.marks,
            });
        }
        if !field.doc.is_empty() && !words(input.doc).contains(&words(&field.doc)) {
            ctx.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Parameter,
                subject: field.name.clone(),
                aspect: Departure::Text,
                page_line: Some(field.line),
                spec_path: with(&input.path, "doc"),
                message: format!(
                    "parameter `{}`: \"{}\" on the page, \"{}\" in the spec",
                    field.name, field.doc, input.doc
                ),
                marks: input.marks,
            });
        }
    }
    for input in &inputs {
        if !fields.iter().any(|field| field.name == input.name) {
            ctx.add(Draft {
                kind: Kind::InSpecOnly,
                fact: Fact::Parameter,
                subject: input.name.to_owned(),
                aspect: Departure::Absent,
                page_line: Some(section_line),
                spec_path: input.path.clone(),
                message: format!(
                    "the spec's operation takes `{}`, which the page's parameters do not list",
                    input.name
                ),
                marks: input.marks,
            });
        }
    }
}

/// A key the answer can hold: its type's name, its name, its definition.
struct Reachable<'a> {
    owner: &'a str,
    name: &'a str,
    key: &'a KeyDef,
}

pub(super) fn keys(ctx: &mut Ctx<'_>, page: &OperationFacts) {
    let file = ctx.target.file;
    let types = &file.spec.types;
    let Some(root) = ctx.target.op.response.json_type().and_then(named) else {
        return;
    };
    // Breadth first, so that a name the page lists once is the outermost key of that name.
    let mut reachable: Vec<Reachable<'_>> = Vec::new();
    let mut queue = vec![root];
    let mut seen: HashSet<&str> = HashSet::new();
    while !queue.is_empty() {
        let mut next = Vec::new();
        for owner in queue {
            if !seen.insert(owner) {
                continue;
            }
            let Some((owner, def)) = types.get_key_value(owner) else {
                continue;
            };
            for (name, key) in def.keys.iter().flatten() {
                reachable.push(Reachable { owner, name, key });
                if let Some(inner) = key.ty.get().and_then(named) {
                    next.push(inner);
                }
            }
        }
        queue = next;
    }
    let key_path = |owner: &str, name: &str| {
        vec![
            Segment::from("types"),
            Segment::from(owner),
            Segment::from("keys"),
            Segment::from(name),
        ]
    };
    let listed = page.response_keys.as_ref();
    let fields: &[Field] = listed.map_or(&[], |listed| &listed.items);
    let mut matched: Vec<bool> = vec![false; reachable.len()];
    for field in fields {
        // Under its parent's type when the page nests it, else the first of that name.
        let parent_type = field.parent.as_deref().and_then(|parent| {
            reachable
                .iter()
                .find(|r| r.name == parent)
                .and_then(|r| r.key.ty.get().and_then(named))
        });
        let found = (0..reachable.len())
            .filter(|&at| !matched[at] && reachable[at].name == field.name)
            .min_by_key(|&at| parent_type.is_some_and(|ty| reachable[at].owner != ty));
        let Some(at) = found else {
            ctx.add(Draft {
                kind: Kind::OnPageOnly,
                fact: Fact::Key,
                subject: field.name.clone(),
                aspect: Departure::Absent,
                page_line: Some(field.line),
                spec_path: vec![Segment::from("types"), Segment::from(root)],
                message: format!(
                    "the page describes response key `{}`, no type of the answer has it",
                    field.name
                ),
                marks: &[],
            });
            continue;
        };
        matched[at] = true;
        let Reachable { owner, name, key } = reachable[at];
        if let (Some(page_ty), Some(spec_ty)) = (&field.ty, key.ty.get())
            && !same_type(page_ty, spec_ty, types)
        {
            ctx.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Key,
                subject: name.to_owned(),
                aspect: Departure::Type,
                page_line: Some(field.line),
                spec_path: with(&key_path(owner, name), "type"),
                message: format!(
                    "key `{name}` of {owner} is {page_ty} on the page, {} in the spec",
                    type_text(spec_ty)
                ),
                marks: &key.acknowledged,
            });
        }
        if !field.doc.is_empty() && !words(&key.doc).contains(&words(&field.doc)) {
            ctx.add(Draft {
                kind: Kind::Differs,
                fact: Fact::Key,
                subject: name.to_owned(),
                aspect: Departure::Text,
                page_line: Some(field.line),
                spec_path: with(&key_path(owner, name), "doc"),
                message: format!(
                    "key `{name}` of {owner}: \"{}\" on the page, \"{}\" in the spec",
                    field.doc, key.doc
                ),
                marks: &key.acknowledged,
            });
        }
        if !field.values.is_empty() {
            values(ctx, field, key, &key_path(owner, name));
        }
    }
    for (at, reachable) in reachable.iter().enumerate() {
        if matched[at] || reachable.key.undocumented {
            continue;
        }
        ctx.add(Draft {
            kind: Kind::InSpecOnly,
            fact: Fact::Key,
            subject: reachable.name.to_owned(),
            aspect: Departure::Absent,
            page_line: Some(listed.map_or(page.line, |listed| listed.line)),
            spec_path: key_path(reachable.owner, reachable.name),
            message: format!(
                "the spec documents key `{}` of {} as the page's, but the page's response keys do not list it (mark it `undocumented: true` if it is only in the sample)",
                reachable.name, reachable.owner
            ),
            marks: &reachable.key.acknowledged,
        });
    }
}

/// A key's value table against the enumeration it is typed with.
fn values(ctx: &mut Ctx<'_>, field: &Field, key: &KeyDef, key_path: &[Segment]) {
    let types = &ctx.target.file.spec.types;
    let enumeration = key
        .ty
        .get()
        .and_then(named)
        .and_then(|name| types.get_key_value(name))
        .and_then(|(name, def): (&String, &TypeDef)| def.values.as_ref().map(|v| (name, def, v)));
    let Some((type_name, def, spec_values)) = enumeration else {
        ctx.add(Draft {
            kind: Kind::OnPageOnly,
            fact: Fact::Value,
            subject: field.name.clone(),
            aspect: Departure::Values,
            page_line: field.values.first().map(|row| row.line),
            spec_path: with(key_path, "type"),
            message: format!(
                "the page gives key `{}` a value table ({}); the spec's type is not an enumeration",
                field.name,
                field
                    .values
                    .iter()
                    .map(|row| format!("{} {}", row.value, row.doc))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            marks: &key.acknowledged,
        });
        return;
    };
    let value_path = |at: usize| {
        vec![
            Segment::from("types"),
            Segment::from(type_name.as_str()),
            Segment::from("values"),
            Segment::Index(at),
        ]
    };
    let text = |value: &ScalarValue| match value {
        ScalarValue::Integer(number) => number.to_string(),
        ScalarValue::String(text) => text.clone(),
    };
    for row in &field.values {
        match spec_values
            .iter()
            .position(|value| text(&value.value) == row.value)
        {
            None => ctx.add(Draft {
                kind: Kind::OnPageOnly,
                fact: Fact::Value,
                subject: format!("{} {}", field.name, row.value),
                aspect: Departure::Absent,
                page_line: Some(row.line),
                spec_path: vec![
                    Segment::from("types"),
                    Segment::from(type_name.as_str()),
                    Segment::from("values"),
                ],
                message: format!(
                    "the page gives `{}` the value {} ({}), {type_name} does not have it",
                    field.name, row.value, row.doc
                ),
                marks: &def.acknowledged,
            }),
            Some(at) => {
                let spec = &spec_values[at];
                if words(&spec.doc) != words(&row.doc) {
                    ctx.add(Draft {
                        kind: Kind::Differs,
                        fact: Fact::Value,
                        subject: format!("{} {}", field.name, row.value),
                        aspect: Departure::Text,
                        page_line: Some(row.line),
                        spec_path: with(&value_path(at), "doc"),
                        message: format!(
                            "value {} of `{}`: \"{}\" on the page, \"{}\" in the spec",
                            row.value, field.name, row.doc, spec.doc
                        ),
                        marks: &def.acknowledged,
                    });
                }
            }
        }
    }
    for (at, value) in spec_values.iter().enumerate() {
        let value_text = text(&value.value);
        if !field.values.iter().any(|row| row.value == value_text) {
            ctx.add(Draft {
                kind: Kind::InSpecOnly,
                fact: Fact::Value,
                subject: format!("{} {value_text}", field.name),
                aspect: Departure::Absent,
                page_line: field.values.first().map(|row| row.line),
                spec_path: value_path(at),
                message: format!(
                    "{type_name} has the value {value_text} ({}), the page's table for `{}` does not",
                    value.doc, field.name
                ),
                marks: &def.acknowledged,
            });
        }
    }
}

/// The object type a type expression names, directly or as a list's items.
fn named(ty: &TypeExpr) -> Option<&str> {
    match ty {
        TypeExpr::Named(name) => Some(name),
        TypeExpr::List(inner) => named(inner),
        _ => None,
    }
}

fn with(path: &[Segment], key: &str) -> Vec<Segment> {
    let mut path = path.to_vec();
    path.push(Segment::from(key));
    path
}

fn mandatory(required: bool) -> &'static str {
    if required { "mandatory" } else { "optional" }
}

fn type_text(ty: &TypeExpr) -> String {
    ty.to_string()
}
