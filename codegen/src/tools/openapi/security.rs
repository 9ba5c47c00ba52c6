//! OAuth 2: one `authorizationCode` scheme per data centre (each has its own accounts server),
//! the concrete scopes each operation needs, and its scope rule in words.
//!
//! The spec writes scopes as templates (`ZohoCRM.modules.{module}.{operation}`), which OpenAPI
//! cannot: its scopes are plain names. So `{operation}` is replaced by each operation type the
//! page lists and `{module}` by the scope name of each module the operation accepts: every
//! scope is listed in the schemes, and every choice of one scope per group of the rule becomes
//! a security requirement, a group offering a scope for every module represented by that one
//! (see [`requirements`]).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ir::{Api, Crate, DataCenter, MODULE_ENUM, ModuleVariant, Operation, ParamInput};
use crate::load::LoadedSpec;

/// The name of the scheme of data centre `dc`: `zoho_eu`.
fn scheme_name(dc: &str) -> String {
    format!("zoho_{dc}")
}

/// The data centres the version is served in, in spec order: each gets a scheme, since a token
/// is issued by the accounts server of the organisation's data centre.
fn served<'a>(krate: &'a Crate, api: &Api) -> Vec<&'a DataCenter> {
    krate
        .data_centers
        .iter()
        .filter(|dc| {
            api.origins.iter().any(|(id, _)| id == &dc.id)
                || api
                    .environment_origins
                    .iter()
                    .any(|(_, id, _)| id == &dc.id)
        })
        .collect()
}

/// `components/securitySchemes`.
pub fn schemes(spec: &LoadedSpec, krate: &Crate, api: &Api) -> Value {
    let scopes = all_scopes(api);
    let auth = &spec.shared.spec.auth;
    let mut schemes = Map::new();
    for dc in served(krate, api) {
        let accounts = dc.accounts.trim_end_matches('/');
        schemes.insert(
            scheme_name(&dc.id),
            json!({
                "type": "oauth2",
                "description": format!(
                    "OAuth 2.0 at the accounts server of {} (data centre `{}`). {} The header's \
                     scheme is `{}`, not `Bearer` (source: {}).",
                    dc.name, dc.id, auth.doc.trim_end(), auth.scheme, auth.source
                ),
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": format!("{accounts}/oauth/v2/auth"),
                        "tokenUrl": format!("{accounts}/oauth/v2/token"),
                        "refreshUrl": format!("{accounts}/oauth/v2/token"),
                        "scopes": scopes,
                    },
                },
            }),
        );
    }
    Value::Object(schemes)
}

/// Every concrete scope any operation of the version accepts, with what it grants.
fn all_scopes(api: &Api) -> Value {
    let mut scopes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for operation in api.operations.values() {
        let modules = accepted_modules(api, operation);
        let typed: Vec<(&str, &str)> = if operation.scopes.operations.is_empty() {
            vec![("", operation.summary.as_str())]
        } else {
            operation
                .scopes
                .operations
                .iter()
                .map(|(name, doc)| (name.as_str(), doc.as_str()))
                .collect()
        };
        for (op_type, grants) in typed {
            for group in &operation.scopes.groups {
                for template in group {
                    for (scope, module) in expand(template, op_type, &modules) {
                        let grants = match module {
                            Some(module) => format!("{} ({module})", grants.trim_end_matches('.')),
                            None => grants.to_owned(),
                        };
                        let known = scopes.entry(scope).or_default();
                        if !known.contains(&grants) {
                            known.push(grants);
                        }
                    }
                }
            }
        }
    }
    Value::Object(
        scopes
            .into_iter()
            .map(|(scope, grants)| (scope, json!(grants.join("; "))))
            .collect(),
    )
}

/// The modules an operation's module parameter takes (none when it has no module parameter).
fn accepted_modules<'a>(api: &'a Api, operation: &Operation) -> Vec<&'a ModuleVariant> {
    let Some(ParamInput::Module(set)) = operation.module_param().map(|param| &param.input) else {
        return Vec::new();
    };
    let (variants, custom) = if set == MODULE_ENUM {
        match &api.modules {
            Some(modules) => (&modules.variants[..], modules.custom.as_ref()),
            None => (&[][..], None),
        }
    } else {
        match api.module_sets.get(set) {
            Some(found) => (&found.variants[..], found.custom.as_ref()),
            None => (&[][..], None),
        }
    };
    variants.iter().chain(custom).collect()
}

/// The scopes a template stands for with `{operation}` = `op_type`, one per module when it
/// names `{module}`, with the module's display name.
fn expand(
    template: &str,
    op_type: &str,
    modules: &[&ModuleVariant],
) -> Vec<(String, Option<String>)> {
    let template = template.replace("{operation}", op_type);
    if !template.contains("{module}") {
        return vec![(template, None)];
    }
    modules
        .iter()
        .map(|module| {
            (
                template.replace("{module}", &module.scope),
                Some(module.display.clone()),
            )
        })
        .collect()
}

/// The operation's `security`, for each data centre's scheme: every choice of one scope per
/// group, groups judged on their own (one may be met with `ALL`, another with `READ`), as Zoho
/// and `zoho_runtime::ScopeRule` judge them.
///
/// A group that offers a scope for every module (`ZohoCRM.modules.ALL`) is represented by it:
/// spelling out each module's own scope as well would repeat every requirement once per module
/// and data centre (some 800 per operation for CRM). Those scopes are in the scheme's list and
/// the operation's description. A group with module scopes only is expanded per module.
pub fn requirements(krate: &Crate, api: &Api, operation: &Operation) -> Value {
    let modules = accepted_modules(api, operation);
    let groups = &operation.scopes.groups;
    let module_free =
        |group: &Vec<String>| group.iter().any(|template| !template.contains("{module}"));
    let module_choices: Vec<Option<&ModuleVariant>> = if groups.iter().all(module_free) {
        vec![None]
    } else {
        modules.iter().copied().map(Some).collect()
    };
    let mut sets: Vec<Vec<String>> = Vec::new();
    for module in module_choices {
        let mut choices: Vec<Vec<String>> = vec![Vec::new()];
        for group in groups {
            let keep_module_scopes = !module_free(group);
            let mut alternatives: Vec<String> = Vec::new();
            for template in group {
                if template.contains("{module}") && !keep_module_scopes {
                    continue;
                }
                for op_type in op_types(operation) {
                    for (scope, _) in expand(template, op_type, module.as_slice()) {
                        if !alternatives.contains(&scope) {
                            alternatives.push(scope);
                        }
                    }
                }
            }
            choices = choices
                .into_iter()
                .flat_map(|chosen| {
                    alternatives.iter().map(move |scope| {
                        let mut next = chosen.clone();
                        if !next.contains(scope) {
                            next.push(scope.clone());
                        }
                        next
                    })
                })
                .collect();
        }
        for choice in choices {
            if !sets.contains(&choice) {
                sets.push(choice);
            }
        }
    }
    let mut requirements = Vec::new();
    for dc in served(krate, api) {
        for set in &sets {
            requirements.push(json!({ scheme_name(&dc.id): set }));
        }
    }
    Value::Array(requirements)
}

/// What `{operation}` stands for: the page's operation types, or nothing to replace when it
/// lists none (the templates then have no `{operation}`).
fn op_types(operation: &Operation) -> Vec<&str> {
    if operation.scopes.operations.is_empty() {
        vec![""]
    } else {
        operation
            .scopes
            .operations
            .iter()
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

/// The scope rule as the spec writes it, in a sentence for the operation's description.
pub fn rule_in_words(krate: &Crate, api: &Api, operation: &Operation) -> String {
    let scopes = &operation.scopes;
    let groups: Vec<String> = scopes
        .groups
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|template| format!("`{template}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .collect();
    let mut text = format!("Scopes: {}", groups.join(", and "));
    let op_types: Vec<String> = scopes
        .operations
        .iter()
        .map(|(name, doc)| format!("`{name}` ({doc})"))
        .collect();
    let names_operation = scopes
        .groups
        .iter()
        .flatten()
        .any(|template| template.contains("{operation}"));
    if names_operation && !op_types.is_empty() {
        text.push_str(&format!(
            ", where `{{operation}}` is one of {}",
            op_types.join(", ")
        ));
    }
    let modules = accepted_modules(api, operation);
    let names_module = scopes
        .groups
        .iter()
        .flatten()
        .any(|template| template.contains("{module}"));
    if names_module && !modules.is_empty() {
        text.push_str(&format!(
            " and `{{module}}` the module's scope name ({})",
            modules
                .iter()
                .map(|module| format!("`{}` for {}", module.scope, module.display))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push('.');
    if scopes.groups.len() > 1 && scopes.operations.len() > 1 {
        text.push_str(" Each group is met on its own: one may be met with `ALL`, another with a narrower type.");
    }
    if names_module {
        text.push_str(
            " Where a group also offers a scope for every module, `security` names that one; \
             the module's own scope serves as well, for that module's records.",
        );
    }
    if served(krate, api).len() > 1 {
        text.push_str(
            " Every data centre's scheme has the same requirements; a token comes from the \
             accounts server of the organisation's data centre.",
        );
    }
    if let Some(note) = &scopes.note {
        text.push_str(&format!(" Note: {}", note.trim_end()));
    }
    text
}
