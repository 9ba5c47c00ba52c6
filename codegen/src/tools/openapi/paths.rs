//! `paths`: every operation at its path, with its path and query parameters.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::schemas::with_note;
use super::{bodies, responses, security};
use crate::ir::{Api, Crate, MODULE_ENUM, Operation, Param, ParamInput};

/// The operations by path (sorted), each path's methods in HTTP's usual order.
pub fn paths(krate: &Crate, api: &Api) -> Value {
    let mut by_path: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in api.operations.values() {
        by_path
            .entry(operation.path_template.as_str())
            .or_default()
            .push(operation);
    }
    let mut paths = Map::new();
    for (path, mut operations) in by_path {
        operations.sort_by_key(|operation| method_rank(&operation.method));
        let mut item = Map::new();
        for operation in operations {
            item.insert(
                operation.method.to_ascii_lowercase(),
                self::operation(krate, api, operation),
            );
        }
        paths.insert(path.to_owned(), Value::Object(item));
    }
    Value::Object(paths)
}

fn method_rank(method: &str) -> usize {
    ["GET", "PUT", "POST", "PATCH", "DELETE"]
        .iter()
        .position(|known| known.eq_ignore_ascii_case(method))
        .unwrap_or(usize::MAX)
}

fn operation(krate: &Crate, api: &Api, operation: &Operation) -> Value {
    let mut object = Map::new();
    object.insert("operationId".into(), json!(operation.name));
    object.insert("summary".into(), json!(operation.summary));
    object.insert(
        "description".into(),
        json!(description(krate, api, operation)),
    );
    object.insert(
        "externalDocs".into(),
        json!({ "description": "Zoho's page for this operation", "url": operation.source }),
    );
    let parameters: Vec<Value> = operation
        .path_params
        .iter()
        .map(|param| parameter(api, param, "path"))
        .chain(
            operation
                .query_params
                .iter()
                .map(|param| parameter(api, param, "query")),
        )
        .collect();
    if !parameters.is_empty() {
        object.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = bodies::request_body(api, operation) {
        object.insert("requestBody".into(), body);
    }
    object.insert("responses".into(), responses::responses(operation));
    object.insert(
        "security".into(),
        security::requirements(krate, api, operation),
    );
    if let Some(sample) = &operation.sample_request {
        object.insert(
            "x-codeSamples".into(),
            json!([{ "lang": "Shell", "label": "curl (from Zoho's page)", "source": sample }]),
        );
    }
    Value::Object(object)
}

/// The operation's docs, its remarks, and its scope rule in words.
fn description(krate: &Crate, api: &Api, operation: &Operation) -> String {
    let mut text = operation
        .doc
        .as_deref()
        .unwrap_or(&operation.summary)
        .trim_end()
        .to_owned();
    for note in &operation.notes {
        text.push_str("\n\nNote: ");
        text.push_str(note.trim_end());
    }
    text.push_str("\n\n");
    text.push_str(&security::rule_in_words(krate, api, operation));
    text
}

fn parameter(api: &Api, param: &Param, location: &str) -> Value {
    let mut object = Map::new();
    object.insert("name".into(), json!(param.wire));
    object.insert("in".into(), json!(location));
    object.insert(
        "description".into(),
        json!(with_note(&param.doc, param.note.as_deref())),
    );
    object.insert("required".into(), json!(param.required));
    let mut schema = match &param.input {
        ParamInput::Text => json!({ "type": "string" }),
        ParamInput::Integer => json!({ "type": "integer" }),
        ParamInput::Boolean => json!({ "type": "boolean" }),
        ParamInput::Module(set) => module_schema(api, set),
        // A list sent with no value (`ids=`) names nothing, so a list given has a value.
        ParamInput::TextList => json!({
            "type": "array",
            "minItems": 1,
            "items": { "type": "string" },
        }),
        ParamInput::IntegerList => json!({
            "type": "array",
            "minItems": 1,
            "items": { "type": "integer" },
        }),
    };
    if let Value::Object(map) = &mut schema {
        if let Some(minimum) = param.minimum {
            map.insert("minimum".into(), json!(minimum));
        }
        if let Some(maximum) = param.maximum {
            map.insert("maximum".into(), json!(maximum));
        }
    }
    if matches!(param.input, ParamInput::TextList | ParamInput::IntegerList) {
        // Zoho takes several values comma-separated in one parameter: `fields=id,File_Name`.
        object.insert("style".into(), json!("form"));
        object.insert("explode".into(), json!(false));
    }
    object.insert("schema".into(), schema);
    Value::Object(object)
}

/// The API names a module parameter takes: the version's modules or a set of them, and any
/// other name where the page accepts custom modules (whose API names the organisation chooses).
fn module_schema(api: &Api, set: &str) -> Value {
    let (variants, custom, doc) = if set == MODULE_ENUM {
        match &api.modules {
            Some(modules) => (modules.variants.as_slice(), modules.custom.as_ref(), None),
            None => (&[][..], None, None),
        }
    } else {
        match api.module_sets.get(set) {
            Some(found) => (
                found.variants.as_slice(),
                found.custom.as_ref(),
                Some(found.doc.as_str()),
            ),
            None => (&[][..], None, None),
        }
    };
    let names: Vec<Value> = variants
        .iter()
        .map(|variant| json!(variant.api_name))
        .collect();
    let mut listed = variants
        .iter()
        .map(|variant| format!("`{}` ({})", variant.api_name, variant.display))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(doc) = doc {
        listed = format!("{} {listed}", doc.trim_end());
    }
    let known = json!({ "type": "string", "enum": names, "description": listed });
    match custom {
        Some(custom) => json!({
            "anyOf": [
                known,
                {
                    "type": "string",
                    "minLength": 1,
                    "description": with_note(
                        &format!("The API name of a custom module (scope name `{}`).", custom.scope),
                        custom.note.as_deref(),
                    ),
                },
            ],
        }),
        None => known,
    }
}
