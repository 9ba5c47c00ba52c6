//! The version's types as JSON Schema (draft 2020-12, OpenAPI 3.1's dialect), under
//! `components/schemas`, plus Zoho's error envelope.

use serde_json::{Map, Value, json};

use crate::ir::{Api, EnumType, Field, ObjectType, RustType, Scalar, TypeItem};
use crate::load::LoadedSpec;

/// The name of the error envelope's schema. Not CamelCase-unique by construction, so it carries
/// an underscore no spec type name can have.
pub const ERROR_ENVELOPE: &str = "Zoho_ErrorEnvelope";

/// A `$ref` to a schema of `components/schemas`.
pub fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Every type of the version, by name, then the error envelope.
pub fn components(spec: &LoadedSpec, api: &Api) -> Value {
    let mut schemas = Map::new();
    for item in api.types.values() {
        let schema = match item {
            TypeItem::Object(object) => object_schema(object),
            TypeItem::Enum(enumeration) => enum_schema(enumeration),
        };
        schemas.insert(item.name().to_owned(), schema);
    }
    schemas.insert(ERROR_ENVELOPE.to_owned(), envelope(spec));
    Value::Object(schemas)
}

/// The envelope of `shared.yaml`: the keys every failed call answers with.
fn envelope(spec: &LoadedSpec) -> Value {
    let def = &spec.shared.spec.error_envelope;
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (key, key_def) in &def.keys {
        let value = key_def
            .ty
            .get()
            .and_then(RustType::of_value)
            .map_or_else(|| json!({}), |ty| value_schema(&ty, Integers::Strict));
        properties.insert(key.clone(), with_description(value, &key_def.doc));
        if key_def.required {
            required.push(json!(key));
        }
    }
    json!({
        "type": "object",
        "description": format!("{} (source: {})", def.doc.trim_end(), def.source),
        "required": required,
        "properties": properties,
    })
}

/// How integers are read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Integers {
    /// A JSON integer: what a request sends.
    Strict,
    /// A JSON integer or a string of digits: Zoho answers some numbers as strings, and the
    /// client accepts both.
    OrDigits,
}

fn object_schema(object: &ObjectType) -> Value {
    let integers = if object.request {
        Integers::Strict
    } else {
        Integers::OrDigits
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in &object.fields {
        properties.insert(field.wire.clone(), field_schema(field, integers));
        if field.required {
            required.push(json!(field.wire));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert(
        "description".into(),
        json!(with_note(&object.doc, object.note.as_deref())),
    );
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("properties".into(), Value::Object(properties));
    Value::Object(schema)
}

fn field_schema(field: &Field, integers: Integers) -> Value {
    let mut schema = value_schema(&field.value, integers);
    if field.nullable {
        schema = json!({ "anyOf": [schema, { "type": "null" }] });
    }
    let mut doc = with_note(&field.doc, field.note.as_deref());
    if field.undocumented {
        doc.push_str(" (In the page's sample or Zoho's OpenAPI file, not in its key table.)");
    }
    let mut schema = with_description(schema, &doc);
    if let (Some(default), Value::Object(map)) = (&field.default, &mut schema) {
        map.insert("default".into(), scalar(default));
    }
    schema
}

fn enum_schema(enumeration: &EnumType) -> Value {
    let mut doc = with_note(&enumeration.doc, enumeration.note.as_deref());
    for value in &enumeration.values {
        doc.push_str(&format!("\n- `{}`: {}", plain(&value.value), value.doc));
    }
    json!({
        "type": if enumeration.integer { "integer" } else { "string" },
        "description": doc,
        "enum": enumeration.values.iter().map(|value| scalar(&value.value)).collect::<Vec<_>>(),
    })
}

/// The schema of a JSON value of Rust type `ty`.
pub fn value_schema(ty: &RustType, integers: Integers) -> Value {
    match ty {
        RustType::String => json!({ "type": "string" }),
        RustType::Integer => match integers {
            Integers::Strict => json!({ "type": "integer" }),
            // `pattern` applies to strings only, so an integer stays any integer.
            Integers::OrDigits => json!({ "type": ["integer", "string"], "pattern": "^-?[0-9]+$" }),
        },
        RustType::Number => json!({ "type": "number" }),
        RustType::Bool => json!({ "type": "boolean" }),
        RustType::DateTime => json!({ "type": "string", "format": "date-time" }),
        RustType::JsonObject => json!({ "type": "object" }),
        RustType::Vec(inner) => json!({ "type": "array", "items": value_schema(inner, integers) }),
        RustType::Named(name) => reference(name),
        // What Zoho documents; the client's tolerance of other values is its own affair.
        RustType::Boxed(inner) | RustType::Tolerant(inner) => value_schema(inner, integers),
        RustType::Option(inner) => {
            json!({ "anyOf": [value_schema(inner, integers), { "type": "null" }] })
        }
    }
}

/// `schema` with a `description` (beside a `$ref` too, which OpenAPI 3.1 allows).
pub fn with_description(schema: Value, description: &str) -> Value {
    match schema {
        Value::Object(mut map) => {
            map.insert("description".into(), json!(description.trim_end()));
            Value::Object(map)
        }
        other => other,
    }
}

/// A doc with its remark for users after it.
pub fn with_note(doc: &str, note: Option<&str>) -> String {
    match note {
        Some(note) => format!("{}\n\nNote: {}", doc.trim_end(), note.trim_end()),
        None => doc.trim_end().to_owned(),
    }
}

/// A spec scalar as JSON.
pub fn scalar(value: &Scalar) -> Value {
    match value {
        Scalar::Integer(number) => json!(number),
        Scalar::String(text) => json!(text),
    }
}

/// A spec scalar as text, without quotes.
fn plain(value: &Scalar) -> String {
    match value {
        Scalar::Integer(number) => number.to_string(),
        Scalar::String(text) => text.clone(),
    }
}
