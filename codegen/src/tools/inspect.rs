//! `inspect --json`: the validated model as JSON, for scripts and reviewers.
//!
//! It is the spec as decoded (every operation, parameter, module, scope, response key and error
//! row), plus what each item becomes in Rust, so a reviewer can see both sides at once.

use serde_json::{Map, Value, json};

use crate::Generated;
use crate::ir::ResponseKind;

/// The model of a generated spec.
pub fn model(generated: &Generated) -> Value {
    let apis: Vec<Value> = generated
        .spec
        .apis
        .iter()
        .map(|file| {
            let mut api = serde_json::to_value(&file.spec).unwrap_or(Value::Null);
            let lowered = generated
                .krate
                .products
                .get(&file.spec.product)
                .and_then(|product| {
                    product
                        .apis
                        .values()
                        .find(|api| api.version == file.spec.version)
                });
            if let (Value::Object(object), Some(lowered)) = (&mut api, lowered) {
                let mut ordered = Map::new();
                ordered.insert("file".into(), json!(file.display_path));
                ordered.insert(
                    "rust".into(),
                    json!({
                        "module": format!("{}::{}", lowered.product, lowered.module),
                        "entry_type": lowered.entry_type,
                        "accessor": lowered.accessor,
                        "origins": lowered.origins.iter().map(|(id, origin)| json!({"data_center": id, "origin": origin})).collect::<Vec<_>>(),
                    }),
                );
                if let Some(Value::Object(operations)) = object.get_mut("operations") {
                    for (name, operation) in operations.iter_mut() {
                        if let (Value::Object(operation), Some(op)) =
                            (operation, lowered.operations.get(name))
                        {
                            operation.insert(
                                "rust".into(),
                                json!({
                                    "method": op.name,
                                    "builder": op.builder,
                                    "error": op.error,
                                    "response": match &op.response.kind {
                                        ResponseKind::Object(name) => name.clone(),
                                        ResponseKind::List(name) => format!("Vec<{name}>"),
                                        ResponseKind::Binary { .. } => "zoho_runtime::Download".to_owned(),
                                    },
                                    "arguments": op.required_args().map(|param| param.rust.clone()).collect::<Vec<_>>(),
                                    "error_variants": op.errors.iter().map(|error| json!({"code": error.code, "variant": error.variant})).collect::<Vec<_>>(),
                                }),
                            );
                        }
                    }
                }
                if let Some(Value::Object(composites)) = object.get_mut("composites") {
                    for (name, composite) in composites.iter_mut() {
                        if let (Value::Object(composite), Some(lowered)) =
                            (composite, lowered.composites.get(name))
                        {
                            composite.insert(
                                "rust".into(),
                                json!({
                                    "method": lowered.name,
                                    "builder": lowered.builder,
                                    "error": lowered.error,
                                }),
                            );
                        }
                    }
                }
                ordered.extend(std::mem::take(object));
                *object = ordered;
            }
            api
        })
        .collect();
    json!({
        "shared": generated.spec.shared.spec,
        "operation_count": generated.operation_count(),
        "apis": apis,
    })
}

/// One line per operation, grouped by product version.
pub fn summary(generated: &Generated) -> String {
    let mut out = String::new();
    for product in generated.krate.products.values() {
        for api in product.apis.values() {
            out.push_str(&format!(
                "{} ({}::{}, spec/{})\n",
                api.title, api.product, api.module, api.spec_file
            ));
            for op in api.operations.values() {
                out.push_str(&format!(
                    "  {:<24} {:<6} {}{}  errors: {}\n",
                    op.name,
                    op.method,
                    api.prefix,
                    op.path_template,
                    op.errors
                        .iter()
                        .map(|error| error.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    out
}
