//! `responses`: the success answer (JSON, a file or nothing) and, per documented HTTP status,
//! the error envelope with the codes the page lists for it.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::schemas::{ERROR_ENVELOPE, reference};
use crate::ir::{ErrorRow, ErrorVariant, Operation, ResponseKind};

/// Every answer of `operation`, by status.
pub fn responses(operation: &Operation) -> Value {
    let mut by_status: BTreeMap<u16, Value> = BTreeMap::new();
    let response = &operation.response;
    by_status.insert(response.status, success(operation));
    if let Some(empty) = &response.empty {
        by_status.insert(empty.status, json!({ "description": empty.doc.trim_end() }));
    }
    for (status, rows) in errors_by_status(&operation.errors) {
        by_status.insert(status, error_response(status, &rows));
    }
    Value::Object(
        by_status
            .into_iter()
            .map(|(status, value)| (status.to_string(), value))
            .collect(),
    )
}

fn success(operation: &Operation) -> Value {
    let response = &operation.response;
    let mut description = String::from("Success.");
    if let Some(outcomes) = &response.outcomes {
        let place = match &outcomes.list {
            Some(list) => format!("each item of `{list}`"),
            None => "the answer".to_owned(),
        };
        description.push_str(&format!(
            " The status does not mean every item succeeded: {place} reports its own outcome in \
             `{}`, `{}` on success; any other value is a failure carrying the error envelope's \
             keys, with one of this operation's error codes.",
            outcomes.key, outcomes.success
        ));
        if let Some(per) = &outcomes.per_item {
            description.push_str(&format!(
                " There is one outcome per value of `{}`.",
                per.wire
            ));
        }
    }
    let json_media = |schema: Value| {
        let mut media = Map::new();
        media.insert("schema".into(), schema);
        if let Some(example) = operation
            .sample_response
            .as_deref()
            .and_then(|sample| serde_json::from_str::<Value>(sample).ok())
        {
            media.insert("example".into(), example);
        }
        json!({ "application/json": Value::Object(media) })
    };
    let content = match &response.kind {
        ResponseKind::Object(name) => json_media(reference(name)),
        ResponseKind::List(name) => {
            json_media(json!({ "type": "array", "items": reference(name) }))
        }
        ResponseKind::Binary { content_types } => {
            description
                .push_str(" The body is the file's content; `Content-Disposition` names the file.");
            let types: Vec<&str> = if content_types.is_empty() {
                vec!["application/octet-stream"]
            } else {
                content_types.iter().map(String::as_str).collect()
            };
            Value::Object(
                types
                    .into_iter()
                    .map(|media_type| {
                        (
                            media_type.to_owned(),
                            json!({ "schema": {
                                "type": "string",
                                "format": "binary",
                                "contentMediaType": media_type,
                            } }),
                        )
                    })
                    .collect(),
            )
        }
    };
    let mut object = Map::new();
    object.insert("description".into(), json!(description));
    if matches!(response.kind, ResponseKind::Binary { .. }) {
        object.insert(
            "headers".into(),
            json!({ "Content-Disposition": {
                "description": "`attachment` with the file's name.",
                "schema": { "type": "string" },
            } }),
        );
    }
    object.insert("content".into(), content);
    Value::Object(object)
}

/// The page's error rows grouped by status, each with its code, in page order.
fn errors_by_status(errors: &[ErrorVariant]) -> BTreeMap<u16, Vec<(&str, &ErrorRow)>> {
    let mut by_status: BTreeMap<u16, Vec<(&str, &ErrorRow)>> = BTreeMap::new();
    for error in errors {
        for row in &error.rows {
            by_status
                .entry(row.status)
                .or_default()
                .push((error.code.as_str(), row));
        }
    }
    by_status
}

/// The answer for one error status: the envelope, its `code` one of those the page lists for
/// this status, sent at the top level or as the first item of `data`, as CRM does both.
fn error_response(status: u16, rows: &[(&str, &ErrorRow)]) -> Value {
    let mut codes: Vec<&str> = Vec::new();
    for (code, _) in rows {
        if !codes.contains(code) {
            codes.push(code);
        }
    }
    let envelope = json!({
        "allOf": [reference(ERROR_ENVELOPE)],
        "properties": { "code": { "enum": codes } },
    });
    let schema = json!({
        "anyOf": [
            envelope,
            {
                "type": "object",
                "required": ["data"],
                "properties": { "data": { "type": "array", "minItems": 1, "items": envelope } },
            },
        ],
    });
    let mut description = format!("Error (HTTP {status}), as the page lists it:");
    let mut examples = Map::new();
    for (code, row) in rows {
        description.push_str(&format!("\n- `{code}`"));
        if let Some(message) = &row.message {
            description.push_str(&format!(": {}", sentence(message)));
        }
        if let Some(resolution) = &row.resolution {
            description.push_str(&format!(" Resolution: {}", sentence(resolution)));
        }
        if let Some(note) = &row.note {
            description.push_str(&format!(" Note: {}", sentence(note)));
        }
        // An example needs a message; rows whose source gives none are in the enum only.
        if let Some(message) = &row.message {
            let mut key = (*code).to_owned();
            let mut n = 2;
            while examples.contains_key(&key) {
                key = format!("{code}_{n}");
                n += 1;
            }
            let mut example = Map::new();
            example.insert("summary".into(), json!(message.trim_end()));
            if let Some(resolution) = &row.resolution {
                example.insert("description".into(), json!(resolution.trim_end()));
            }
            example.insert(
                "value".into(),
                json!({ "code": code, "details": {}, "message": message.trim_end(), "status": "error" }),
            );
            examples.insert(key, Value::Object(example));
        }
    }
    let mut media = Map::new();
    media.insert("schema".into(), schema);
    if !examples.is_empty() {
        media.insert("examples".into(), Value::Object(examples));
    }
    json!({
        "description": description,
        "content": { "application/json": Value::Object(media) },
    })
}

/// `text` ending with a full stop, so that the next sentence of a row does not run into it.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', ')']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}
