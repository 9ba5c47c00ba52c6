//! Request bodies: multipart uploads (exactly one alternative, as `oneOf`) and JSON bodies.

use serde_json::{Map, Value, json};

use super::schemas::{reference, with_note};
use crate::ir::{Api, Body, BodyVariant, Operation, OperationBody, Part, TypeItem};

/// The `requestBody` of an operation, when it sends one.
pub fn request_body(api: &Api, operation: &Operation) -> Option<Value> {
    match operation.body.as_ref()? {
        OperationBody::Json(name) => {
            let doc = match api.types.get(name) {
                Some(TypeItem::Object(object)) => object.doc.trim_end().to_owned(),
                _ => name.clone(),
            };
            Some(json!({
                "description": doc,
                "required": true,
                "content": { "application/json": { "schema": reference(name) } },
            }))
        }
        OperationBody::Multipart(name) => api.bodies.get(name).map(multipart),
    }
}

/// A multipart body: one object schema per alternative, each refusing the other alternatives'
/// parts, so a body with the parts of two (a file and a link) matches neither and fails `oneOf`.
/// Parts no alternative names are left open: the pages do not say Zoho refuses them.
fn multipart(body: &Body) -> Value {
    let alternatives: Vec<Value> = body
        .variants
        .iter()
        .map(|variant| alternative(body, variant))
        .collect();
    let mut description = with_note(&body.doc, body.note.as_deref());
    description.push_str("\n\nExactly one of: ");
    description.push_str(
        &body
            .variants
            .iter()
            .map(|variant| format!("`{}` ({})", variant.constructor, variant.doc.trim_end()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    description.push('.');
    let mut schema = Map::new();
    schema.insert("oneOf".into(), Value::Array(alternatives));
    if let Some(max) = body.max_bytes {
        description.push_str(&format!("\n\nThe whole body may be at most {max} bytes."));
        schema.insert("x-max-bytes".into(), json!(max));
    }
    let encoding: Map<String, Value> = body
        .variants
        .iter()
        .flat_map(|variant| &variant.parts)
        .filter(|part| part.file)
        .map(|part| {
            (
                part.wire.clone(),
                json!({ "contentType": "application/octet-stream" }),
            )
        })
        .collect();
    let mut media = Map::new();
    media.insert("schema".into(), Value::Object(schema));
    if !encoding.is_empty() {
        media.insert("encoding".into(), Value::Object(encoding));
    }
    json!({
        "description": description,
        "required": true,
        "content": { "multipart/form-data": Value::Object(media) },
    })
}

fn alternative(body: &Body, variant: &BodyVariant) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in &variant.parts {
        properties.insert(part.wire.clone(), part_schema(part));
        if part.required {
            required.push(json!(part.wire));
        }
    }
    // The other alternatives' parts may not be sent with this one (`false`: no value is valid).
    for other in body
        .variants
        .iter()
        .filter(|other| other.variant != variant.variant)
    {
        for part in &other.parts {
            if !properties.contains_key(&part.wire) {
                properties.insert(part.wire.clone(), Value::Bool(false));
            }
        }
    }
    let mut schema = Map::new();
    schema.insert("title".into(), json!(variant.constructor));
    schema.insert("description".into(), json!(variant.doc.trim_end()));
    schema.insert("type".into(), json!("object"));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("properties".into(), Value::Object(properties));
    Value::Object(schema)
}

fn part_schema(part: &Part) -> Value {
    let mut schema = Map::new();
    let mut doc = with_note(&part.doc, part.note.as_deref());
    if part.file {
        // OpenAPI 3.1 writes file content as a string with a media type; `format: binary`
        // is 3.0's spelling, kept for the tools that still read it.
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
        schema.insert("contentMediaType".into(), json!("application/octet-stream"));
        if let Some(max) = part.max_bytes {
            doc.push_str(&format!("\n\nAt most {max} bytes."));
            schema.insert("x-max-bytes".into(), json!(max));
        }
    } else {
        schema.insert("type".into(), json!("string"));
        if let Some(value) = &part.fixed {
            schema.insert("const".into(), json!(value));
        }
        if let Some(min) = part.min_length {
            schema.insert("minLength".into(), json!(min));
        }
        if let Some(max) = part.max_length {
            schema.insert("maxLength".into(), json!(max));
        }
    }
    schema.insert("description".into(), json!(doc));
    Value::Object(schema)
}
