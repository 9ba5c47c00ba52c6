//! Semantic checks on a decoded spec: every problem, each located, none fatal to the search.
//!
//! Decoding (in `load`) already guarantees the shape; this pass checks meaning: references
//! resolve, templates agree with their parameters, names survive the trip to Rust, and what the
//! pages say about one error code agrees with itself and with `shared.yaml`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::load::model::{ApiSpec, KeyDef, OperationDef, ParamLocation, ScalarValue, SharedSpec};
use crate::load::parsed::{Parsed, ResponseType};
use crate::load::{LoadedSpec, SpecFile};

use crate::diag::{Code, Diagnostic, suggestion};
use crate::ident;
use crate::load::type_expr::{TypeContext, TypeExpr, is_type_name};
use crate::load::yaml::Segment;
use crate::path;

mod sample;
mod text;

/// HTTP methods Zoho's APIs use.
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Checks the whole spec; an empty result means the generator may proceed.
pub fn validate(spec: &LoadedSpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    text::check(&spec.shared, &mut out);
    check_shared(&spec.shared, &mut out);
    let mut seen: HashMap<(String, String), &str> = HashMap::new();
    for file in &spec.apis {
        let key = (file.spec.product.clone(), file.spec.version.clone());
        if let Some(first) = seen.insert(key, &file.display_path) {
            out.push(
                file.at(
                    &path!["version"],
                    Code::DuplicateApi,
                    format!(
                        "{} {} is already described by {first}",
                        file.spec.product, file.spec.version
                    ),
                )
                .with_hint("keep one file per product and version"),
            );
        }
        text::check(file, &mut out);
        ApiChecker {
            shared: &spec.shared.spec,
            file,
            out: &mut out,
        }
        .check();
    }
    out
}

fn check_shared(file: &SpecFile<SharedSpec>, out: &mut Vec<Diagnostic>) {
    let shared = &file.spec;
    if !ident::is_package_name(&shared.crate_info.name) {
        out.push(
            file.at(
                &path!["crate", "name"],
                Code::BadName,
                format!(
                    "`{}` is not a package name the generated code can use",
                    shared.crate_info.name
                ),
            )
            .with_hint("a letter, then letters, digits, `-` or `_`; not a Rust keyword"),
        );
    }
    if !is_semver(&shared.crate_info.version) {
        out.push(file.at(
            &path!["crate", "version"],
            Code::InvalidValue,
            format!("`{}` is not a semantic version", shared.crate_info.version),
        ));
    }
    for (id, product) in &shared.products {
        if !ident::is_snake(id) {
            out.push(file.at_key(
                &path!["products", id],
                Code::BadName,
                format!("product id `{id}` must be snake_case"),
            ));
        }
        url(file, &path!["products", id, "source"], &product.source, out);
    }
    for (id, center) in &shared.data_centers {
        if !id.chars().all(|c| c.is_ascii_lowercase()) || id.is_empty() {
            out.push(file.at_key(
                &path!["data_centers", id],
                Code::BadName,
                format!("data-centre id `{id}` must be lower-case letters"),
            ));
        }
        origin(
            file,
            &path!["data_centers", id, "accounts"],
            &center.accounts,
            out,
        );
        url(
            file,
            &path!["data_centers", id, "source"],
            &center.source,
            out,
        );
    }
    for (name, hosts) in &shared.hosts {
        url(file, &path!["hosts", name, "source"], &hosts.source, out);
        for (center, value) in &hosts.origins {
            if !shared.data_centers.contains_key(center) {
                out.push(unknown(
                    file.at_key(
                        &path!["hosts", name, "origins", center],
                        Code::UnknownReference,
                        format!("data centre `{center}` is not defined under `data_centers`"),
                    ),
                    center,
                    shared.data_centers.keys(),
                ));
            }
            origin(file, &path!["hosts", name, "origins", center], value, out);
        }
    }
    let defaults = shared
        .environments
        .values()
        .filter(|environment| environment.default)
        .count();
    if !shared.environments.is_empty() && defaults != 1 {
        out.push(file.at_key(
            &path!["environments"],
            Code::InvalidValue,
            format!("exactly one environment must be `default: true` (found {defaults})"),
        ));
    }
    for (id, environment) in &shared.environments {
        if !ident::is_snake(id) {
            out.push(file.at_key(
                &path!["environments", id],
                Code::BadName,
                format!("environment id `{id}` must be snake_case"),
            ));
        }
        url(
            file,
            &path!["environments", id, "source"],
            &environment.source,
            out,
        );
    }
    for (name, hosts) in &shared.hosts {
        for (environment, origins) in &hosts.environments {
            let at = path!["hosts", name, "environments", environment];
            match shared.environments.get(environment) {
                None => out.push(unknown(
                    file.at_key(
                        &at,
                        Code::UnknownReference,
                        format!("environment `{environment}` is not defined under `environments`"),
                    ),
                    environment,
                    shared.environments.keys(),
                )),
                Some(def) if def.default => out.push(file.at_key(
                    &at,
                    Code::InvalidValue,
                    format!("`{environment}` is the default environment: its hosts are `origins`"),
                )),
                Some(_) => {}
            }
            for (center, value) in origins {
                let mut center_at = at.clone();
                center_at.push(Segment::from(center.as_str()));
                if !shared.data_centers.contains_key(center) {
                    out.push(unknown(
                        file.at_key(
                            &center_at,
                            Code::UnknownReference,
                            format!("data centre `{center}` is not defined under `data_centers`"),
                        ),
                        center,
                        shared.data_centers.keys(),
                    ));
                }
                origin(file, &center_at, value, out);
            }
        }
    }
    url(file, &path!["auth", "source"], &shared.auth.source, out);
    url(
        file,
        &path!["error_envelope", "source"],
        &shared.error_envelope.source,
        out,
    );
    for (key, def) in &shared.error_envelope.keys {
        let at = path!["error_envelope", "keys", key, "type"];
        match (def.ty.get(), def.ty.error()) {
            (Some(TypeExpr::Named(name)), _) => out.push(file.at(
                &at,
                Code::BadType,
                format!("the envelope can only use built-in types, not `{name}`"),
            )),
            (_, Some(message)) => out.push(file.at(&at, Code::BadType, message)),
            _ => {}
        }
    }
    for (code, error) in &shared.errors {
        if !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            out.push(file.at_key(
                &path!["errors", code],
                Code::BadName,
                format!("error code `{code}` must be UPPER_SNAKE_CASE"),
            ));
        }
        if !(400..=599).contains(&error.status) {
            out.push(file.at(
                &path!["errors", code, "status"],
                Code::ErrorStatus,
                format!("HTTP status {} is not an error status", error.status),
            ));
        }
    }
}

/// Checks one product/version file against itself and `shared.yaml`.
struct ApiChecker<'a> {
    shared: &'a SharedSpec,
    file: &'a SpecFile<ApiSpec>,
    out: &'a mut Vec<Diagnostic>,
}

impl ApiChecker<'_> {
    fn api(&self) -> &ApiSpec {
        &self.file.spec
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    fn check(mut self) {
        self.check_header();
        self.check_modules();
        self.check_types();
        self.check_module_sets();
        self.check_composites();
        let mut routes: HashMap<(String, String), String> = HashMap::new();
        let operations: Vec<_> = self.api().operations.keys().cloned().collect();
        for name in operations {
            let operation = &self.file.spec.operations[&name];
            // A malformed path is reported on its own; it has no route to compare.
            let route = operation
                .path
                .get()
                .map(|path| (operation.method.clone(), path.route()));
            if let Some(route) = route
                && let Some(first) = routes.insert(route, name.clone())
            {
                let diagnostic = self.file.at(
                    &path!["operations", &name, "path"],
                    Code::DuplicateRoute,
                    format!(
                        "`{} {}` is already operation `{first}`",
                        operation.method, operation.path
                    ),
                );
                self.push(diagnostic);
            }
            self.check_operation(&name, operation);
        }
    }

    fn check_header(&mut self) {
        let api = &self.file.spec;
        let file = self.file;
        if !self.shared.products.contains_key(&api.product) {
            let diagnostic = unknown(
                file.at(
                    &path!["product"],
                    Code::UnknownReference,
                    format!("product `{}` is not defined in shared.yaml", api.product),
                ),
                &api.product,
                self.shared.products.keys(),
            );
            self.push(diagnostic);
        }
        if !is_version(&api.version) {
            self.push(
                file.at(
                    &path!["version"],
                    Code::BadVersion,
                    format!("`{}` is not a version like `v8` or `v2.1`", api.version),
                )
                .with_hint("write the version as Zoho's URLs do"),
            );
        }
        url(file, &path!["source"], &api.source, self.out);
        if !api.server.prefix.starts_with('/') || api.server.prefix.ends_with('/') {
            self.push(file.at(
                &path!["server", "prefix"],
                Code::PathTemplate,
                format!(
                    "the prefix `{}` must start with `/` and not end with one",
                    api.server.prefix
                ),
            ));
        }
        match self.shared.hosts.get(&api.server.hosts) {
            None => {
                let diagnostic = unknown(
                    file.at(
                        &path!["server", "hosts"],
                        Code::UnknownReference,
                        format!(
                            "host set `{}` is not defined in shared.yaml",
                            api.server.hosts
                        ),
                    ),
                    &api.server.hosts,
                    self.shared.hosts.keys(),
                );
                self.push(diagnostic);
            }
            Some(hosts) => {
                for (index, environment) in api.server.environments.iter().enumerate() {
                    if !hosts.environments.contains_key(environment) {
                        let diagnostic = unknown(
                            file.at(
                                &path!["server", "environments", index],
                                Code::UnknownReference,
                                format!(
                                    "host set `{}` has no origins for environment `{environment}`",
                                    api.server.hosts
                                ),
                            ),
                            environment,
                            hosts.environments.keys(),
                        );
                        self.push(diagnostic);
                    }
                }
                for (index, center) in api.server.data_centers.iter().flatten().enumerate() {
                    if !hosts.origins.contains_key(center) {
                        let diagnostic = unknown(
                            file.at(
                                &path!["server", "data_centers", index],
                                Code::UnknownReference,
                                format!(
                                    "host set `{}` has no origin for data centre `{center}`",
                                    api.server.hosts
                                ),
                            ),
                            center,
                            hosts.origins.keys(),
                        );
                        self.push(diagnostic);
                    }
                }
            }
        }
    }

    fn check_modules(&mut self) {
        let file = self.file;
        let mut custom: Option<&str> = None;
        // An answer names its module by API name; two modules sharing one could not be told
        // apart (in `Module` or in any module set).
        let mut api_names: BTreeMap<&str, &str> = BTreeMap::new();
        for (display, module) in &file.spec.modules {
            let at = path!["modules", display];
            if module.scope.is_empty()
                || !module
                    .scope
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                self.push(file.at(
                    &path!["modules", display, "scope"],
                    Code::Module,
                    format!(
                        "scope name `{}` must be lower-case, as in the page's \"Possible module names\"",
                        module.scope
                    ),
                ));
            }
            match (&module.api_name, module.custom) {
                (Some(_), true) => self.push(file.at(
                    &path!["modules", display, "api_name"],
                    Code::Module,
                    "the custom-module entry takes its API name from the caller; remove `api_name`",
                )),
                (None, false) => self.push(
                    file.at_key(
                        &at,
                        Code::MissingKey,
                        format!("module `{display}` needs an `api_name` (its path segment)"),
                    )
                    .with_hint("or mark it `custom: true` if it stands for any custom module"),
                ),
                (Some(api_name), false) => {
                    if !api_name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
                        || api_name.is_empty()
                    {
                        self.push(file.at(
                            &path!["modules", display, "api_name"],
                            Code::Module,
                            format!("API name `{api_name}` must be letters, digits and `_`"),
                        ));
                    }
                    if let Some(first) = api_names.insert(api_name, display) {
                        self.push(
                            file.at(
                                &path!["modules", display, "api_name"],
                                Code::Module,
                                format!(
                                    "API name `{api_name}` is already module `{first}`'s; an \
                                     answer naming it could not say which module it means"
                                ),
                            )
                            .with_hint("each module has its own API name, as on the page"),
                        );
                    }
                }
                (None, true) => {
                    if let Some(first) = custom.replace(display) {
                        self.push(file.at_key(
                            &at,
                            Code::Module,
                            format!("`{first}` is already the custom-module entry"),
                        ));
                    }
                }
            }
        }
    }

    fn check_types(&mut self) {
        let file = self.file;
        for (name, def) in &file.spec.types {
            let at = path!["types", name];
            if !is_type_name(name) {
                self.push(file.at_key(
                    &at,
                    Code::BadName,
                    format!("type name `{name}` must be CamelCase"),
                ));
            }
            match (&def.keys, &def.values) {
                (Some(keys), None) => self.check_keys(&at, keys),
                (None, Some(values)) => self.check_values(name, values),
                _ => self.push(
                    file.at_key(
                        &at,
                        Code::InvalidValue,
                        format!("type `{name}` needs exactly one of `keys` (an object) or `values` (an enumeration)"),
                    ),
                ),
            }
        }
    }

    fn check_keys(&mut self, at: &[Segment], keys: &indexmap::IndexMap<String, KeyDef>) {
        let file = self.file;
        for (key, def) in keys {
            let mut key_at = at.to_vec();
            key_at.extend(path!["keys", key]);
            let mut type_at = key_at.clone();
            type_at.push(Segment::from("type"));
            self.check_type(&type_at, &def.ty, TypeContext::Key);
            if let Some(default) = &def.default {
                let mut default_at = key_at.clone();
                default_at.push(Segment::from("default"));
                if let Some(problem) = self.default_problem(&def.ty, default) {
                    self.push(file.at(&default_at, Code::InvalidValue, problem));
                }
            }
        }
    }

    fn check_values(&mut self, name: &str, values: &[crate::load::model::EnumValueDef]) {
        let file = self.file;
        if values.is_empty() {
            self.push(file.at(
                &path!["types", name, "values"],
                Code::EnumValues,
                format!("enumeration `{name}` has no values"),
            ));
            return;
        }
        let mut seen_values = BTreeSet::new();
        let integers = matches!(values[0].value, ScalarValue::Integer(_));
        for (index, value) in values.iter().enumerate() {
            let at = path!["types", name, "values", index];
            if matches!(value.value, ScalarValue::Integer(_)) != integers {
                self.push(file.at(
                    &at,
                    Code::EnumValues,
                    "all values of an enumeration must be integers, or all strings",
                ));
            }
            if !seen_values.insert(format!("{:?}", value.value)) {
                self.push(file.at(&at, Code::EnumValues, "this value is listed twice"));
            }
            if !is_type_name(&value.name) {
                self.push(file.at(
                    &path!["types", name, "values", index, "name"],
                    Code::BadName,
                    format!("variant name `{}` must be CamelCase", value.name),
                ));
            }
        }
    }

    /// Why `value` cannot be the default of a key of type `ty`, if it cannot.
    fn default_problem(&self, ty: &Parsed<TypeExpr>, value: &ScalarValue) -> Option<String> {
        let expr = ty.get()?;
        let fits = match (expr, value) {
            (TypeExpr::Integer, ScalarValue::Integer(_))
            | (TypeExpr::String, ScalarValue::String(_)) => true,
            (TypeExpr::Named(name), value) => self
                .file
                .spec
                .types
                .get(name.as_str())
                .and_then(|def| def.values.as_ref())
                .is_some_and(|values| values.iter().any(|known| &known.value == value)),
            _ => false,
        };
        (!fits).then(|| {
            format!("a default must be an integer or string of the key's type, or a known value of its enumeration; `{ty}` does not take {value:?}")
        })
    }

    fn check_module_sets(&mut self) {
        let file = self.file;
        for (name, set) in &file.spec.module_sets {
            if !is_type_name(name) {
                self.push(file.at_key(
                    &path!["module_sets", name],
                    Code::BadName,
                    format!("module set name `{name}` must be CamelCase"),
                ));
            }
            url(
                file,
                &path!["module_sets", name, "source"],
                &set.source,
                self.out,
            );
            if set.modules.is_empty() {
                self.push(file.at(
                    &path!["module_sets", name, "modules"],
                    Code::Module,
                    "a module set needs at least one module",
                ));
            }
            let mut seen = std::collections::HashSet::new();
            for (index, module) in set.modules.iter().enumerate() {
                // Each module becomes a variant of the set's enum.
                if !seen.insert(module) {
                    self.push(file.at(
                        &path!["module_sets", name, "modules", index],
                        Code::Module,
                        format!("module `{module}` is listed twice in this set"),
                    ));
                }
                if !file.spec.modules.contains_key(module) {
                    let diagnostic = unknown(
                        file.at(
                            &path!["module_sets", name, "modules", index],
                            Code::UnknownReference,
                            format!("module `{module}` is not listed under `modules`"),
                        ),
                        module,
                        file.spec.modules.keys(),
                    );
                    self.push(diagnostic);
                }
            }
        }
    }

    fn check_composites(&mut self) {
        let file = self.file;
        for (name, composite) in &file.spec.composites {
            let at = |key: &str| path!["composites", name, key];
            if !ident::is_snake(name) {
                self.push(file.at_key(
                    &path!["composites", name],
                    Code::BadName,
                    format!("composite name `{name}` must be snake_case"),
                ));
            }
            url(file, &at("source"), &composite.source, self.out);
            let mut step = |key: &str, op: &str| -> Option<&OperationDef> {
                let found = file.spec.operations.get(op);
                if found.is_none() {
                    let diagnostic = unknown(
                        file.at(
                            &at(key),
                            Code::UnknownReference,
                            format!("operation `{op}` is not defined under `operations`"),
                        ),
                        op,
                        file.spec.operations.keys(),
                    );
                    self.out.push(diagnostic);
                }
                found
            };
            let first = step("first", &composite.first);
            let then = step("then", &composite.then);
            let (Some(first), Some(then)) = (first, then) else {
                continue;
            };
            // The second step takes the first step's path parameters, by name.
            let first_params: BTreeSet<&String> = first
                .params
                .iter()
                .filter(|(_, param)| param.location == ParamLocation::Path)
                .map(|(wire, _)| wire)
                .collect();
            for (wire, param) in &then.params {
                if param.location == ParamLocation::Path && !first_params.contains(wire) {
                    self.push(file.at(
                        &at("then"),
                        Code::InvalidValue,
                        format!(
                            "`{}` has path parameter `{wire}`, which `{}` does not take",
                            composite.then, composite.first
                        ),
                    ));
                } else if param.location == ParamLocation::Query && param.required {
                    self.push(file.at(
                        &at("then"),
                        Code::InvalidValue,
                        format!(
                            "`{}` requires query parameter `{wire}`, which a composite cannot supply",
                            composite.then
                        ),
                    ));
                }
            }
            // What one item of the first answer is.
            let item = match first.response.ty.get() {
                Some(ResponseType::Json(TypeExpr::List(inner))) => inner.named().map(str::to_owned),
                Some(ResponseType::Json(TypeExpr::Named(name))) => Some(name.clone()),
                _ => None,
            };
            let Some(item_keys) = item
                .as_deref()
                .and_then(|name| file.spec.types.get(name))
                .and_then(|def| def.keys.as_ref())
            else {
                self.push(file.at(
                    &at("first"),
                    Code::BadType,
                    format!(
                        "`{}` must answer with an object or a list of objects",
                        composite.first
                    ),
                ));
                continue;
            };
            // Where the entries go in the second body.
            let body_keys = then
                .body
                .as_ref()
                .and_then(|body| body.json.as_ref())
                .and_then(|json| file.spec.types.get(json.type_name()?))
                .and_then(|def| def.keys.as_ref());
            let Some(body_keys) = body_keys else {
                self.push(file.at(
                    &at("then"),
                    Code::BadType,
                    format!(
                        "`{}` must take a JSON body of an object type",
                        composite.then
                    ),
                ));
                continue;
            };
            let feed_at = |key: &str| path!["composites", name, "feed", key];
            let entry_keys = match body_keys
                .get(&composite.feed.list)
                .and_then(|key| key.ty.get())
            {
                Some(TypeExpr::List(inner)) => inner
                    .named()
                    .and_then(|entry| file.spec.types.get(entry))
                    .and_then(|def| def.keys.as_ref()),
                _ => None,
            };
            let Some(entry_keys) = entry_keys else {
                self.push(file.at(
                    &feed_at("list"),
                    Code::BadType,
                    format!(
                        "`{}` must be a key of `{}`'s body holding a list of objects",
                        composite.feed.list, composite.then
                    ),
                ));
                continue;
            };
            for (index, key) in composite.feed.copy.iter().enumerate() {
                let copy_at = path!["composites", name, "feed", "copy", index];
                match (item_keys.get(key), entry_keys.get(key)) {
                    (Some(from), Some(to)) if from.ty == to.ty => {}
                    (Some(from), Some(to)) => self.push(file.at(
                        &copy_at,
                        Code::BadType,
                        format!(
                            "`{key}` is `{}` in the answer but `{}` in the entry",
                            from.ty, to.ty
                        ),
                    )),
                    _ => self.push(file.at(
                        &copy_at,
                        Code::UnknownReference,
                        format!("`{key}` must be a key of both the answer item and the entry"),
                    )),
                }
            }
            for (key, value) in &composite.feed.set {
                let set_at = path!["composites", name, "feed", "set", key];
                match entry_keys.get(key) {
                    None => self.push(file.at_key(
                        &set_at,
                        Code::UnknownReference,
                        format!("`{key}` is not a key of the entry"),
                    )),
                    Some(def) => {
                        if let Some(problem) = self.default_problem(&def.ty, value) {
                            self.push(file.at(&set_at, Code::InvalidValue, problem));
                        }
                    }
                }
            }
        }
    }

    fn check_operation(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let at = path!["operations", name];
        if !ident::is_snake(name) {
            self.push(file.at_key(
                &at,
                Code::BadName,
                format!("operation name `{name}` must be snake_case"),
            ));
        }
        url(
            file,
            &path!["operations", name, "source"],
            &operation.source,
            self.out,
        );
        if !METHODS.contains(&operation.method.as_str()) {
            let diagnostic = unknown(
                file.at(
                    &path!["operations", name, "method"],
                    Code::BadMethod,
                    format!("`{}` is not an HTTP method Zoho uses", operation.method),
                ),
                &operation.method,
                METHODS.iter().copied(),
            );
            self.push(diagnostic);
        }
        let uses_module = self.check_params(name, operation);
        self.check_body(name, operation);
        self.check_scopes(name, operation, uses_module);
        self.check_response(name, operation);
        self.check_outcomes(name, operation);
        self.check_paging(name, operation);
        self.check_errors(name, operation);
        if let Some(sample) = &operation.sample_response {
            match serde_json::from_str::<serde_json::Value>(sample) {
                Ok(_) => self.check_sample_shape(name, &operation.response.ty, sample),
                Err(error) => self.report_sample_json(name, sample, &error),
            }
        }
    }

    /// Reports a sample that is not JSON, placed inside the YAML block that holds it.
    fn report_sample_json(&mut self, name: &str, sample: &str, error: &serde_json::Error) {
        let file = self.file;
        let at = path!["operations", name, "sample_response"];
        // Point into the sample itself when it is a block scalar, as samples are.
        let (line, column) = line_and_column(sample, json_error_offset(sample, error));
        let location = file
            .map
            .inside_block(&at, line, column)
            .or_else(|| file.map.value(&at));
        self.push(
            Diagnostic::new(
                file.display_path.clone(),
                location,
                Code::SampleJson,
                format!(
                    "the sample response is not valid JSON: {}",
                    crate::load::yaml::strip_location_suffix(&error.to_string())
                ),
            )
            .with_hint(
                "keep the page's broken copy in `sample_response_verbatim` and a repaired one here, with a note",
            ),
        );
    }

    /// Reports where the page's sample answer departs from the declared response type.
    fn check_sample_shape(
        &mut self,
        name: &str,
        response_type: &Parsed<ResponseType>,
        sample: &str,
    ) {
        let Some(expected) = response_type.get().and_then(ResponseType::json) else {
            return; // `binary`, or a type already reported as malformed
        };
        let file = self.file;
        let at = path!["operations", name, "sample_response"];
        for mismatch in sample::check(&file.spec.types, expected, sample) {
            let location = mismatch
                .offset
                .map(|offset| line_and_column(sample, offset))
                .and_then(|(line, column)| file.map.inside_block(&at, line, column))
                .or_else(|| file.map.value(&at));
            let subject = if mismatch.path.is_empty() {
                "the sample response".to_owned()
            } else {
                format!("the sample's `{}`", mismatch.path)
            };
            self.push(
                Diagnostic::new(
                    file.display_path.clone(),
                    location,
                    Code::SampleShape,
                    format!("{subject} {}", mismatch.message),
                )
                .with_hint(format!(
                    "fix the transcription, or the type `{response_type}`; if the page itself \
                     disagrees, keep its sample and add a note"
                )),
            );
        }
    }

    /// Checks parameters against the path template; returns whether a module parameter exists.
    fn check_params(&mut self, name: &str, operation: &OperationDef) -> bool {
        let file = self.file;
        let template_at = path!["operations", name, "path"];
        // A template that does not parse says nothing about which parameters it holds, so the
        // cross-checks below are skipped rather than reported as false mismatches.
        let parsed: Option<Vec<&str>> = match (operation.path.get(), operation.path.error()) {
            (Some(template), _) => Some(template.params().collect()),
            (None, message) => {
                self.push(file.at(
                    &template_at,
                    Code::PathTemplate,
                    message.unwrap_or("malformed path"),
                ));
                None
            }
        };
        let template_ok = parsed.is_some();
        let placeholders = parsed.unwrap_or_default();
        let mut seen = BTreeSet::new();
        for placeholder in &placeholders {
            if !seen.insert(placeholder) {
                self.push(file.at(
                    &template_at,
                    Code::PathTemplate,
                    format!("`{{{placeholder}}}` appears twice in the path"),
                ));
            }
            match operation.params.get(*placeholder) {
                Some(param) if param.location == ParamLocation::Path => {}
                Some(_) => self.push(file.at(
                    &path!["operations", name, "params", *placeholder, "in"],
                    Code::PathTemplate,
                    format!("`{placeholder}` is in the path template but declared `in: query`"),
                )),
                None => {
                    let declared = operation
                        .params
                        .iter()
                        .filter(|(_, p)| p.location == ParamLocation::Path)
                        .map(|(n, _)| n.as_str());
                    let diagnostic = file.at(
                        &template_at,
                        Code::PathTemplate,
                        format!(
                            "path parameter `{{{placeholder}}}` is not declared under `params`"
                        ),
                    );
                    let diagnostic = match suggestion(placeholder, declared) {
                        Some(hint) => diagnostic.with_hint(hint),
                        None => diagnostic.with_hint(format!(
                            "add `{placeholder}: {{ in: path, type: string, doc: ... }}`"
                        )),
                    };
                    self.push(diagnostic);
                }
            }
        }

        let mut uses_module = false;
        for (param_name, param) in &operation.params {
            let at = path!["operations", name, "params", param_name];
            let context = match param.location {
                ParamLocation::Path => {
                    if template_ok && !placeholders.iter().any(|p| p == param_name) {
                        self.push(
                            file.at_key(
                                &at,
                                Code::PathTemplate,
                                format!(
                                    "path parameter `{param_name}` does not appear in the path `{}`",
                                    operation.path
                                ),
                            )
                            .with_hint(format!("add `{{{param_name}}}` to the path, or remove it")),
                        );
                    }
                    TypeContext::PathParam
                }
                ParamLocation::Query => TypeContext::QueryParam,
            };
            let mut type_at = at.clone();
            type_at.push(Segment::from("type"));
            let ty = self.check_type(&type_at, &param.ty, context);
            let field = |key: &str| {
                let mut path = at.clone();
                path.push(Segment::from(key));
                path
            };
            if let Some(set) = &param.set {
                if ty != Some(&TypeExpr::Module) {
                    self.push(file.at_key(
                        &field("set"),
                        Code::Module,
                        "`set` restricts a `type: module` parameter only",
                    ));
                } else if !file.spec.module_sets.contains_key(set) {
                    let diagnostic = unknown(
                        file.at(
                            &field("set"),
                            Code::UnknownReference,
                            format!("module set `{set}` is not defined under `module_sets`"),
                        ),
                        set,
                        file.spec.module_sets.keys(),
                    );
                    self.push(diagnostic);
                }
            }
            for (key, bound) in [("minimum", param.minimum), ("maximum", param.maximum)] {
                if bound.is_some() && ty.is_some() && ty != Some(&TypeExpr::Integer) {
                    self.push(file.at_key(
                        &field(key),
                        Code::BadType,
                        format!("`{key}` applies to integer parameters"),
                    ));
                }
            }
            if let (Some(min), Some(max)) = (param.minimum, param.maximum)
                && min > max
            {
                self.push(file.at(
                    &field("minimum"),
                    Code::InvalidValue,
                    format!("`minimum` {min} is above `maximum` {max}"),
                ));
            }
            if let Some(TypeExpr::Module) = ty {
                if uses_module {
                    self.push(file.at(
                        &type_at,
                        Code::Module,
                        "an operation can have only one module parameter",
                    ));
                }
                uses_module = true;
                if file.spec.modules.is_empty() {
                    self.push(
                        file.at(
                            &type_at,
                            Code::Module,
                            "`type: module` needs the file's `modules:` list, which is empty",
                        )
                        .with_hint("list the page's supported modules under `modules:`"),
                    );
                }
            }
        }
        uses_module
    }

    fn check_body(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let Some(body) = &operation.body else {
            return;
        };
        if operation.method == "GET" || operation.method == "DELETE" {
            self.push(file.at(
                &path!["operations", name, "body"],
                Code::Multipart,
                format!("a {} request has no body", operation.method),
            ));
        }
        match (&body.multipart, &body.json) {
            (Some(multipart), None) => self.check_multipart(name, multipart),
            (None, Some(json)) => {
                let at = path!["operations", name, "body", "json", "type"];
                if let Some(TypeExpr::Named(type_name)) =
                    self.check_type(&at, &json.ty, TypeContext::Key)
                    && !self.is_object(type_name)
                {
                    self.push(file.at(
                        &at,
                        Code::BadType,
                        format!(
                            "a JSON body must be an object type (with `keys`), not `{type_name}`"
                        ),
                    ));
                }
            }
            _ => self.push(file.at_key(
                &path!["operations", name, "body"],
                Code::Multipart,
                "a body is exactly one of `multipart` or `json`",
            )),
        }
    }

    fn check_multipart(&mut self, name: &str, multipart: &crate::load::model::MultipartDef) {
        let file = self.file;
        let at = path!["operations", name, "body", "multipart"];
        if !is_type_name(&multipart.type_name) {
            self.push(file.at(
                &path!["operations", name, "body", "multipart", "type"],
                Code::BadName,
                format!("body type `{}` must be CamelCase", multipart.type_name),
            ));
        }
        if multipart.one_of.is_empty() {
            self.push(file.at(
                &at,
                Code::Multipart,
                "`one_of` needs at least one alternative",
            ));
        }
        if multipart.max_bytes == Some(0) {
            self.push(file.at(
                &path!["operations", name, "body", "multipart", "max_bytes"],
                Code::InvalidValue,
                "a size limit of 0 bytes accepts nothing",
            ));
        }
        for (variant, def) in &multipart.one_of {
            let variant_at = path!["operations", name, "body", "multipart", "one_of", variant];
            if !ident::is_snake(variant) {
                self.push(file.at_key(
                    &variant_at,
                    Code::BadName,
                    format!("alternative name `{variant}` must be snake_case"),
                ));
            }
            if !def
                .parts
                .values()
                .any(|part| part.required && part.value.is_none())
            {
                self.push(file.at_key(
                    &variant_at,
                    Code::Multipart,
                    format!("alternative `{variant}` needs at least one required part that is an input (not a fixed `value`)"),
                ));
            }
            for (part, part_def) in &def.parts {
                let part_at = path![
                    "operations",
                    name,
                    "body",
                    "multipart",
                    "one_of",
                    variant,
                    "parts",
                    part
                ];
                let field = |key: &str| {
                    let mut at = part_at.clone();
                    at.push(Segment::from(key));
                    at
                };
                let ty = self.check_type(&field("type"), &part_def.ty, TypeContext::Part);
                let is_file = ty == Some(&TypeExpr::File);
                if is_file && !part_def.required {
                    self.push(file.at(
                        &field("type"),
                        Code::Multipart,
                        "a file part must be required in its alternative",
                    ));
                }
                if is_file {
                    for (key, present) in [
                        ("value", part_def.value.is_some()),
                        ("min_length", part_def.min_length.is_some()),
                        ("max_length", part_def.max_length.is_some()),
                    ] {
                        if present {
                            self.push(file.at_key(
                                &field(key),
                                Code::Multipart,
                                format!("`{key}` applies to text parts, not files"),
                            ));
                        }
                    }
                } else if ty.is_some() && part_def.max_bytes.is_some() {
                    self.push(file.at_key(
                        &field("max_bytes"),
                        Code::Multipart,
                        "`max_bytes` applies to file parts; limit text with `max_length`",
                    ));
                }
                if part_def.max_bytes == Some(0) {
                    self.push(file.at(
                        &field("max_bytes"),
                        Code::InvalidValue,
                        "a size limit of 0 bytes accepts nothing",
                    ));
                }
                if let (Some(min), Some(max)) = (part_def.min_length, part_def.max_length)
                    && min > max
                {
                    self.push(file.at(
                        &field("min_length"),
                        Code::InvalidValue,
                        format!("`min_length` {min} is above `max_length` {max}"),
                    ));
                }
                if part_def.value.is_some() && !part_def.required {
                    self.push(file.at_key(
                        &field("value"),
                        Code::Multipart,
                        "a part with a fixed `value` is always sent; remove `required: false`",
                    ));
                }
            }
        }
    }

    /// Whether `name` is an object type of this file.
    fn is_object(&self, name: &str) -> bool {
        self.file
            .spec
            .types
            .get(name)
            .is_some_and(|def| def.keys.is_some())
    }

    fn check_scopes(&mut self, name: &str, operation: &OperationDef, uses_module: bool) {
        let file = self.file;
        let scopes = &operation.scopes;
        if scopes.all_of.is_empty() {
            self.push(file.at(
                &path!["operations", name, "scopes", "all_of"],
                Code::ScopeTemplate,
                "`all_of` needs at least one group",
            ));
        }
        let mut names = BTreeSet::new();
        for (index, op) in scopes.operations.iter().enumerate() {
            if op.name.is_empty() || !op.name.chars().all(|c| c.is_ascii_uppercase()) {
                self.push(file.at(
                    &path!["operations", name, "scopes", "operations", index, "name"],
                    Code::ScopeTemplate,
                    format!("operation type `{}` must be upper-case letters", op.name),
                ));
            }
            if !names.insert(&op.name) {
                self.push(file.at(
                    &path!["operations", name, "scopes", "operations", index],
                    Code::ScopeTemplate,
                    format!("operation type `{}` is listed twice", op.name),
                ));
            }
        }
        for (group, def) in scopes.all_of.iter().enumerate() {
            if def.any_of.is_empty() {
                self.push(file.at(
                    &path!["operations", name, "scopes", "all_of", group],
                    Code::ScopeTemplate,
                    "`any_of` needs at least one scope",
                ));
            }
            for (index, template) in def.any_of.iter().enumerate() {
                let at = path![
                    "operations",
                    name,
                    "scopes",
                    "all_of",
                    group,
                    "any_of",
                    index
                ];
                match (template.get(), template.error()) {
                    (None, message) => self.push(file.at(
                        &at,
                        Code::ScopeTemplate,
                        message.unwrap_or("malformed scope"),
                    )),
                    (Some(found), _) => {
                        for placeholder in found.placeholders() {
                            match placeholder {
                                "module" if !uses_module => self.push(
                                    file.at(
                                        &at,
                                        Code::ScopeTemplate,
                                        format!(
                                            "`{template}` uses {{module}} but the operation has no module parameter"
                                        ),
                                    ),
                                ),
                                "operation" if scopes.operations.is_empty() => self.push(
                                    file.at(
                                        &at,
                                        Code::ScopeTemplate,
                                        format!(
                                            "`{template}` uses {{operation}} but `operations` is empty"
                                        ),
                                    ),
                                ),
                                "module" | "operation" => {}
                                other => {
                                    let diagnostic = file.at(
                                        &at,
                                        Code::ScopeTemplate,
                                        format!("unknown placeholder `{{{other}}}` in `{template}`"),
                                    );
                                    let diagnostic = match suggestion(other, ["module", "operation"]) {
                                        Some(hint) => diagnostic.with_hint(hint),
                                        None => diagnostic
                                            .with_hint("scope templates know {module} and {operation}"),
                                    };
                                    self.push(diagnostic);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn check_response(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let response = &operation.response;
        let at = path!["operations", name, "response", "type"];
        if !(200..=299).contains(&response.status) {
            self.push(file.at(
                &path!["operations", name, "response", "status"],
                Code::InvalidValue,
                format!(
                    "a successful answer has a 2xx status, not {}",
                    response.status
                ),
            ));
        }
        let binary = response.ty.get() == Some(&ResponseType::Binary);
        let mut object = false;
        let json = match (response.ty.get(), response.ty.error()) {
            (Some(ResponseType::Json(expr)), _) => self.check_expr(&at, expr, TypeContext::Key),
            (_, Some(message)) => {
                self.push(file.at(&at, Code::BadType, message));
                None
            }
            _ => None,
        };
        if !binary {
            match json {
                Some(TypeExpr::Named(type_name)) => {
                    object = self.is_object(type_name);
                    if !object {
                        self.push(file.at(
                            &at,
                            Code::BadType,
                            format!(
                                "the response type `{type_name}` must be an object (with `keys`)"
                            ),
                        ));
                    }
                }
                Some(TypeExpr::List(inner)) if matches!(**inner, TypeExpr::Named(_)) => {}
                Some(_) => self.push(file.at(
                    &at,
                    Code::BadType,
                    "the response type must be an object type, `list<Type>` or `binary`",
                )),
                None => {}
            }
        }
        if !binary && !response.content_types.is_empty() {
            self.push(file.at_key(
                &path!["operations", name, "response", "content_types"],
                Code::BadType,
                "`content_types` describes `binary` answers only",
            ));
        }
        if let Some(empty) = &response.empty {
            let empty_at = |key: &str| path!["operations", name, "response", "empty", key];
            if !(200..=299).contains(&empty.status) || empty.status == response.status {
                self.push(file.at(
                    &empty_at("status"),
                    Code::InvalidValue,
                    format!(
                        "an empty success needs a 2xx status other than {}, not {}",
                        response.status, empty.status
                    ),
                ));
            }
            if empty.yields == crate::load::model::EmptyYield::Default && !object {
                self.push(file.at(
                    &empty_at("yields"),
                    Code::BadType,
                    "`yields: default` needs an object response type; use `none`",
                ));
            }
        }
    }

    /// `outcomes` must name keys the answer's types have: the list of outcomes (when given)
    /// holding objects, and the status key of each, a string; `per` a required list
    /// parameter of the query.
    fn check_outcomes(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let Some(outcomes) = &operation.response.outcomes else {
            return;
        };
        let at = |key: &str| path!["operations", name, "response", "outcomes", key];
        let keys_of = |type_name: &str| {
            file.spec
                .types
                .get(type_name)
                .and_then(|def| def.keys.as_ref())
        };
        let answer = operation
            .response
            .object_type()
            .and_then(|answer| keys_of(answer).map(|keys| (answer.to_owned(), keys)));
        let Some((answer, answer_keys)) = answer else {
            self.push(file.at_key(
                &path!["operations", name, "response", "outcomes"],
                Code::BadType,
                "outcomes need an object answer",
            ));
            return;
        };
        let item = match &outcomes.list {
            None => Some((answer, answer_keys)),
            Some(list) => {
                let item = answer_keys
                    .get(list)
                    .and_then(|key| key.ty.get())
                    .and_then(|ty| match ty {
                        TypeExpr::List(inner) => inner.named().map(str::to_owned),
                        _ => None,
                    })
                    .and_then(|item| keys_of(&item).map(|keys| (item, keys)));
                if item.is_none() {
                    self.push(file.at(
                        &at("list"),
                        Code::BadType,
                        format!("`{list}` must be a key of `{answer}` holding a list of objects"),
                    ));
                }
                item
            }
        };
        if let Some((item, item_keys)) = item
            && item_keys
                .get(&outcomes.key)
                .is_none_or(|key| key.ty.get() != Some(&TypeExpr::String))
        {
            self.push(file.at(
                &at("key"),
                Code::BadType,
                format!("`{}` must be a string key of `{item}`", outcomes.key),
            ));
        }
        non_empty(file, &at("success"), &outcomes.success, self.out);
        if let Some(per) = &outcomes.per {
            let ok = operation.params.get(per).is_some_and(|def| {
                def.location == ParamLocation::Query
                    && def.required
                    && matches!(
                        def.ty.get(),
                        Some(TypeExpr::List(inner))
                            if matches!(**inner, TypeExpr::String | TypeExpr::Integer)
                    )
            });
            if !ok {
                self.push(file.at(
                    &at("per"),
                    Code::BadType,
                    format!("`{per}` must be a required list query parameter of the operation"),
                ));
            }
            if outcomes.list.is_none() {
                self.push(file.at_key(
                    &at("per"),
                    Code::BadType,
                    "`per` needs a `list` of outcomes, one per item",
                ));
            }
            // `send` then answers outcomes, which neither pages nor has an empty value.
            if operation.paging.is_some() || operation.response.empty.is_some() {
                self.push(file.at_key(
                    &at("per"),
                    Code::BadType,
                    "`per` cannot be combined with `paging` or an `empty` success",
                ));
            }
        }
    }

    fn check_paging(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let Some(paging) = &operation.paging else {
            return;
        };
        let at = |key: &str| path!["operations", name, "paging", key];
        let answer = operation
            .response
            .object_type()
            .and_then(|answer| file.spec.types.get(answer))
            .and_then(|def| def.keys.as_ref());
        let Some(answer) = answer else {
            self.push(file.at_key(
                &path!["operations", name, "paging"],
                Code::BadType,
                "paging needs an object answer with item and info keys",
            ));
            return;
        };
        match answer.get(&paging.items).and_then(|key| key.ty.get()) {
            Some(TypeExpr::List(inner)) if inner.named().is_some() => {}
            _ => self.push(file.at(
                &at("items"),
                Code::BadType,
                format!(
                    "`{}` must be a key of the answer holding a list of objects",
                    paging.items
                ),
            )),
        }
        let info = answer
            .get(&paging.info)
            .and_then(|key| key.ty.get())
            .and_then(|ty| ty.named())
            .and_then(|info| file.spec.types.get(info))
            .and_then(|def| def.keys.as_ref());
        match info {
            None => self.push(file.at(
                &at("info"),
                Code::BadType,
                format!(
                    "`{}` must be a key of the answer holding an object",
                    paging.info
                ),
            )),
            Some(info) => {
                let wants = [
                    ("more_records", TypeExpr::Boolean, true),
                    ("page", TypeExpr::Integer, paging.page_param.is_some()),
                    (
                        "next_page_token",
                        TypeExpr::String,
                        paging.token_param.is_some(),
                    ),
                ];
                for (key, ty, needed) in wants {
                    if needed && info.get(key).is_none_or(|def| def.ty.get() != Some(&ty)) {
                        self.push(file.at(
                            &at("info"),
                            Code::BadType,
                            format!("the info object needs `{key}` of type {ty} to page"),
                        ));
                    }
                }
            }
        }
        for (key, param, ty) in [
            ("page_param", &paging.page_param, TypeExpr::Integer),
            ("token_param", &paging.token_param, TypeExpr::String),
        ] {
            let Some(param) = param else { continue };
            let ok = operation.params.get(param).is_some_and(|def| {
                def.location == ParamLocation::Query && !def.required && def.ty.get() == Some(&ty)
            });
            if !ok {
                self.push(file.at(
                    &at(key),
                    Code::BadType,
                    format!("`{param}` must be an optional {ty} query parameter of the operation"),
                ));
            }
        }
        if paging.page_param.is_none() && paging.token_param.is_none() {
            self.push(file.at_key(
                &path!["operations", name, "paging"],
                Code::BadType,
                "paging needs `page_param`, `token_param` or both",
            ));
        }
    }

    fn check_errors(&mut self, name: &str, operation: &OperationDef) {
        let file = self.file;
        let mut statuses: BTreeMap<&str, (u16, usize)> = BTreeMap::new();
        for (index, error) in operation.errors.iter().enumerate() {
            match self.shared.errors.get(&error.code) {
                None => {
                    let diagnostic = unknown(
                        file.at(
                            &path!["operations", name, "errors", index, "code"],
                            Code::UnknownReference,
                            format!("error code `{}` is not listed in shared.yaml", error.code),
                        ),
                        &error.code,
                        self.shared.errors.keys(),
                    );
                    self.push(diagnostic);
                }
                Some(shared)
                    if shared.status != error.status
                        && !shared.other_statuses.contains(&error.status) =>
                {
                    self.push(
                        file.at(
                            &path!["operations", name, "errors", index, "status"],
                            Code::ErrorStatus,
                            format!(
                                "`{}` is HTTP {} here but HTTP {} in shared.yaml",
                                error.code, error.status, shared.status
                            ),
                        )
                        .with_hint("if the page really differs, keep its status and explain in a note in shared.yaml"),
                    );
                }
                Some(_) => {}
            }
            // Two statuses for one code are a typo unless shared.yaml documents both.
            let documented = |status: u16| {
                self.shared.errors.get(&error.code).is_some_and(|shared| {
                    shared.status == status || shared.other_statuses.contains(&status)
                })
            };
            match statuses.get(error.code.as_str()) {
                Some((status, first))
                    if *status != error.status
                        && !(documented(*status) && documented(error.status)) =>
                {
                    let earlier = file
                        .map
                        .key(&path!["operations", name, "errors", *first])
                        .map_or_else(
                            || format!("in row {} of `errors`", first + 1),
                            |at| format!("in its row at line {}", at.line),
                        );
                    self.push(file.at(
                        &path!["operations", name, "errors", index, "status"],
                        Code::ErrorStatus,
                        format!(
                            "`{}` is HTTP {} here but HTTP {status} {earlier}",
                            error.code, error.status
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    statuses.insert(&error.code, (error.status, index));
                }
            }
        }
    }

    /// Reports a malformed or unresolved type expression; returns it when usable.
    fn check_type<'t>(
        &mut self,
        at: &[Segment],
        ty: &'t Parsed<TypeExpr>,
        context: TypeContext,
    ) -> Option<&'t TypeExpr> {
        match (ty.get(), ty.error()) {
            (Some(expr), _) => self.check_expr(at, expr, context),
            (None, message) => {
                let file = self.file;
                self.push(file.at(at, Code::BadType, message.unwrap_or("malformed type")));
                None
            }
        }
    }

    /// Reports a type expression not allowed in `context`, or naming an undefined type;
    /// returns it when usable.
    fn check_expr<'t>(
        &mut self,
        at: &[Segment],
        expr: &'t TypeExpr,
        context: TypeContext,
    ) -> Option<&'t TypeExpr> {
        let file = self.file;
        if let Err(message) = expr.check_context(context) {
            self.push(file.at(at, Code::BadType, message));
            return None;
        }
        if let Some(name) = expr.named()
            && !file.spec.types.contains_key(name)
        {
            let diagnostic = unknown(
                file.at(
                    at,
                    Code::UnknownReference,
                    format!("type `{name}` is not defined under `types`"),
                ),
                name,
                file.spec.types.keys(),
            );
            self.push(diagnostic);
            return None;
        }
        Some(expr)
    }
}

/// The 1-based line and column (in characters) of a byte offset of `text`.
/// The byte offset in `sample` of a serde_json error. serde_json counts columns in bytes, puts
/// an error at a line break at column 0 of the next line, and places "end of input" past the
/// last line: the first is taken back to the break itself, and every offset is clamped to the
/// last character that is not blank, so a sample cut short is reported on its own last line,
/// not on the YAML key after it.
fn json_error_offset(sample: &str, error: &serde_json::Error) -> usize {
    let last = sample
        .trim_end()
        .char_indices()
        .next_back()
        .map_or(0, |(at, _)| at);
    let line_start: usize = sample
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = match error.column() {
        0 => line_start.saturating_sub(1),
        column => line_start + column - 1,
    };
    let mut offset = offset.min(last);
    while !sample.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// A required text that is not prose (prose is checked by [`text`], wherever it is).
fn non_empty<T>(file: &SpecFile<T>, at: &[Segment], text: &str, out: &mut Vec<Diagnostic>) {
    if text.trim().is_empty() {
        out.push(file.at(
            at,
            Code::EmptyDoc,
            "this text is empty; every public item of the generated crate is documented from it",
        ));
    }
}

/// A `source:` link: an absolute https URL of plain characters. It is printed as the target
/// of a Markdown link, so a parenthesis, bracket, angle bracket, quote, space or non-ASCII
/// character could end the link early and smuggle Markdown of its own into rustdoc: those must
/// be percent-encoded, as a browser's address bar copies them.
fn url<T>(file: &SpecFile<T>, at: &[Segment], text: &str, out: &mut Vec<Diagnostic>) {
    if let Err(problem) = url_problem(text) {
        let diagnostic = file.at(
            at,
            Code::BadUrl,
            format!("`{text}` is not a plain https URL: {problem}"),
        );
        out.push(if problem.contains("URL character") {
            diagnostic.with_hint("percent-encode it, as a browser copies an address (`(` is `%28`)")
        } else {
            diagnostic
        });
    }
}

fn url_problem(text: &str) -> Result<(), String> {
    let Some(rest) = text.strip_prefix("https://") else {
        return Err("it does not start with `https://`".to_owned());
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(host_end);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if host.is_empty() || !host.split('.').all(label_ok) {
        return Err(format!("`{authority}` is not a host name"));
    }
    if port.is_some_and(|port| port.is_empty() || !port.chars().all(|c| c.is_ascii_digit())) {
        return Err(format!("`{authority}` has no valid port"));
    }
    let bytes = tail.as_bytes();
    for (index, c) in tail.char_indices() {
        let plain = c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | '~'
                    | ':'
                    | '/'
                    | '?'
                    | '#'
                    | '@'
                    | '!'
                    | '$'
                    | '&'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
            );
        let escape = c == '%'
            && bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit);
        if !plain && !escape {
            let shown = if c.is_whitespace() || c.is_control() {
                format!("U+{:04X}", c as u32)
            } else {
                format!("`{c}`")
            };
            return Err(format!(
                "{shown} at character {} is not a plain URL character",
                "https://".len() + authority.chars().count() + tail[..index].chars().count() + 1
            ));
        }
    }
    Ok(())
}

/// An origin is scheme and host only.
fn origin<T>(file: &SpecFile<T>, at: &[Segment], text: &str, out: &mut Vec<Diagnostic>) {
    let ok = text.strip_prefix("https://").is_some_and(|host| {
        !host.is_empty() && !host.contains(['/', '?', '#']) && !host.contains(char::is_whitespace)
    });
    if !ok {
        out.push(file.at(
            at,
            Code::BadUrl,
            format!(
                "`{text}` is not an origin like `https://www.zohoapis.com` (no path, no slash)"
            ),
        ));
    }
}

fn unknown<'a, I, S>(diagnostic: Diagnostic, word: &str, candidates: I) -> Diagnostic
where
    I: IntoIterator<Item = S>,
    S: AsRef<str> + 'a,
{
    let candidates: Vec<S> = candidates.into_iter().collect();
    match suggestion(word, candidates.iter().map(AsRef::as_ref)) {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

fn is_version(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.split('.');
    let major = parts.next().is_some_and(is_number);
    let minor = parts.next().is_none_or(is_number);
    major && minor && parts.next().is_none()
}

fn is_semver(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3 && parts.iter().all(|part| is_number(part))
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("v2.1"));
        assert!(is_version("v8"));
        assert!(!is_version("8"));
        assert!(!is_version("v2.1.3"));
        assert!(!is_version("v"));
    }

    #[test]
    fn urls_are_plain_https_addresses() {
        for good in [
            "https://www.zoho.com/crm/developer/docs/api/v8/get-attachments.html",
            "https://www.bigin.com/developer/docs/apis/v2/?a=1&b=%28x%29#frag",
            "https://localhost:8443/x",
        ] {
            assert_eq!(url_problem(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("http://www.zoho.com/", "does not start"),
            ("https://", "not a host name"),
            (
                "https://www.zoho.com/a) [click](https://evil.example",
                "`)` at character 23",
            ),
            ("https://www.zoho.com/a b", "U+0020"),
            ("https://www.zoho.com/<x>", "`<`"),
            ("https://www.zoho.com/é", "`é`"),
            ("https://www.zoho.com/%zz", "`%`"),
            ("https://evil.example@www.zoho.com/", "not a host name"),
            ("https://www.zoho.com:/", "no valid port"),
        ] {
            let problem = url_problem(bad).expect_err(bad);
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }
}
