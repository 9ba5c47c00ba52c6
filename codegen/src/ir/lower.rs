//! Lowering: a validated spec becomes the IR.
//!
//! Every Rust name is chosen here, by `ident`'s rules, and every Rust type by
//! [`RustType`]'s and [`ParamInput`]'s mappings; what the spec wrote is kept only where the
//! generated code sends or shows it (wire names, docs).

use std::collections::{BTreeMap, BTreeSet};

use super::data::*;
use super::names::FILE_SHORTCUTS;
use super::rust_type::{ParamInput, PartInput, RustType, Scalar};
use crate::ident;
use crate::load::LoadedSpec;
use crate::load::model::{
    ApiSpec, CompositeDef, ErrorDef, KeyDef, MultipartDef, OperationDef, ParamLocation,
    ScalarValue, SharedSpec, TypeDef,
};
use crate::load::parsed::{PathSegment, PathTemplate, ResponseType};
use crate::load::type_expr::TypeExpr;
use crate::path;

/// Lowers a validated spec. Fails only if the spec was not validated (a generator bug).
pub fn lower(spec: &LoadedSpec) -> Result<Crate, String> {
    let shared = &spec.shared.spec;
    let mut products: BTreeMap<String, Product> = BTreeMap::new();
    for file in &spec.apis {
        let api = lower_api(shared, &file.file_name, &file.spec)?;
        let product_def = shared
            .products
            .get(&file.spec.product)
            .ok_or_else(|| format!("unknown product `{}`", file.spec.product))?;
        products
            .entry(file.spec.product.clone())
            .or_insert_with(|| Product {
                id: file.spec.product.clone(),
                name: product_def.name.clone(),
                doc: product_def.doc.clone(),
                source: product_def.source.clone(),
                apis: BTreeMap::new(),
                site: Site(path!["products", &file.spec.product]),
            })
            .apis
            .insert(api.module.clone(), api);
    }
    Ok(Crate {
        name: shared.crate_info.name.clone(),
        lib_name: ident::lib_name(&shared.crate_info.name),
        version: shared.crate_info.version.clone(),
        description: shared.crate_info.description.clone(),
        doc: shared.crate_info.doc.clone(),
        auth_doc: shared.auth.doc.clone(),
        error_codes: shared
            .errors
            .iter()
            .map(|(code, def)| ErrorCode {
                code: code.clone(),
                status: def.status,
                other_statuses: def.other_statuses.clone(),
                doc: def.doc.clone(),
            })
            .collect(),
        environments: shared
            .environments
            .iter()
            .map(|(id, def)| Environment {
                id: id.clone(),
                variant: ident::camel(id),
                name: def.name.clone(),
                doc: def.doc.clone(),
                default: def.default,
                site: Site(path!["environments", id]),
            })
            .collect(),
        data_centers: shared
            .data_centers
            .iter()
            .map(|(id, def)| DataCenter {
                id: id.clone(),
                variant: ident::camel(id),
                name: def.name.clone(),
                accounts: def.accounts.clone(),
                site: Site(path!["data_centers", id]),
            })
            .collect(),
        products,
    })
}

fn lower_api(shared: &SharedSpec, spec_file: &str, api: &ApiSpec) -> Result<Api, String> {
    let hosts = shared
        .hosts
        .get(&api.server.hosts)
        .ok_or_else(|| format!("unknown host set `{}`", api.server.hosts))?;
    let wanted: Vec<&String> = match &api.server.data_centers {
        Some(list) => list.iter().collect(),
        None => hosts.origins.keys().collect(),
    };
    // Data-centre order, not file order, so tables read the same everywhere.
    let origins = shared
        .data_centers
        .keys()
        .filter(|id| wanted.contains(id))
        .filter_map(|id| hosts.origins.get(id).map(|url| (id.clone(), url.clone())))
        .collect::<Vec<_>>();
    let missing_data_centers = shared
        .data_centers
        .iter()
        .filter(|(id, _)| !origins.iter().any(|(have, _)| have == *id))
        .map(|(_, def)| def.name.clone())
        .collect();

    let modules = (!api.modules.is_empty()).then(|| {
        let mut variants = Vec::new();
        let mut custom = None;
        for (display, def) in &api.modules {
            let variant = ModuleVariant {
                variant: ident::camel(display),
                display: display.clone(),
                api_name: def.api_name.clone().unwrap_or_default(),
                scope: def.scope.clone(),
                note: def.note.clone(),
                site: Site(path!["modules", display]),
            };
            if def.custom {
                custom = Some(variant);
            } else {
                variants.push(variant);
            }
        }
        ModuleEnum { variants, custom }
    });

    let module_sets = api
        .module_sets
        .iter()
        .map(|(name, set)| {
            let variants = set
                .modules
                .iter()
                .filter_map(|display| {
                    modules
                        .as_ref()?
                        .variants
                        .iter()
                        .find(|module| &module.display == display)
                        .cloned()
                })
                .collect();
            let custom = modules
                .as_ref()
                .and_then(|modules| modules.custom.as_ref())
                .filter(|custom| set.modules.contains(&custom.display))
                .cloned();
            let lowered = ModuleSet {
                name: name.clone(),
                doc: set.doc.clone(),
                source: set.source.clone(),
                note: set.note.clone(),
                variants,
                custom,
                site: Site(path!["module_sets", name]),
            };
            (name.clone(), lowered)
        })
        .collect();

    let mut types = BTreeMap::new();
    for (name, def) in &api.types {
        types.insert(name.clone(), lower_type(name, def)?);
    }
    box_recursive_fields(&mut types);
    mark_derivable(&mut types);
    let json_bodies = api
        .operations
        .values()
        .filter_map(|op| Some(op.body.as_ref()?.json.as_ref()?.type_name()?.to_owned()));
    mark_requests(&mut types, json_bodies);

    let mut bodies = BTreeMap::new();
    let mut operations = BTreeMap::new();
    for (name, def) in &api.operations {
        if let Some(multipart) = def.body.as_ref().and_then(|body| body.multipart.as_ref()) {
            let lowered = lower_body(name, multipart);
            bodies.insert(lowered.name.clone(), lowered);
        }
        let mut operation = lower_operation(api, name, def)?;
        if let Some(paging) = &def.paging {
            operation.paging = Some(lower_paging(name, paging, &operation, &types)?);
        }
        if let Some(outcomes) = &def.response.outcomes {
            operation.response.outcomes = Some(lower_outcomes(name, outcomes, &operation, &types)?);
        }
        let uploads_a_file = operation.body.as_ref().is_some_and(|body| {
            bodies.get(body.type_name()).is_some_and(|body: &Body| {
                body.variants
                    .iter()
                    .any(|variant| variant.parts.iter().any(|part| part.file))
            })
        });
        operation.kind = if uploads_a_file {
            OperationKind::UploadsFile
        } else if matches!(operation.response.kind, ResponseKind::Binary { .. }) {
            OperationKind::DownloadsFile
        } else {
            OperationKind::Call
        };
        operations.insert(name.clone(), operation);
    }
    let composites = api
        .composites
        .iter()
        .map(|(name, def)| Ok((name.clone(), lower_composite(name, def, api, &types)?)))
        .collect::<Result<BTreeMap<_, _>, String>>()?;

    Ok(Api {
        product: api.product.clone(),
        product_name: shared
            .products
            .get(&api.product)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        version: api.version.clone(),
        module: ident::version_module(&api.version),
        entry_type: ident::api_type(&api.product, &api.version),
        accessor: ident::api_accessor(&api.product, &api.version),
        title: api.title.clone(),
        doc: api.doc.clone(),
        source: api.source.clone(),
        spec_file: spec_file.to_owned(),
        prefix: api.server.prefix.clone(),
        origins,
        missing_data_centers,
        follows_api_domain: hosts.follows_api_domain,
        environment_origins: hosts
            .environments
            .iter()
            .filter(|(environment, _)| api.server.environments.contains(environment))
            .flat_map(|(environment, origins)| {
                origins
                    .iter()
                    .filter(|(center, _)| wanted.contains(center))
                    .map(move |(center, origin)| {
                        (environment.clone(), center.clone(), origin.clone())
                    })
            })
            .collect(),
        modules,
        module_sets,
        types,
        bodies,
        operations,
        composites,
        notes: api.notes.clone(),
    })
}

/// Marks the object types sent in JSON bodies, and the types inside them, as request types.
fn mark_requests(types: &mut BTreeMap<String, TypeItem>, roots: impl Iterator<Item = String>) {
    let mut pending: Vec<String> = roots.collect();
    while let Some(name) = pending.pop() {
        if let Some(TypeItem::Object(object)) = types.get_mut(&name)
            && !object.request
        {
            object.request = true;
            pending.extend(
                object
                    .fields
                    .iter()
                    .filter_map(|field| field.value.named().map(str::to_owned)),
            );
        }
    }
}

fn lower_composite(
    name: &str,
    def: &CompositeDef,
    api: &ApiSpec,
    types: &BTreeMap<String, TypeItem>,
) -> Result<Composite, String> {
    let then = api
        .operations
        .get(&def.then)
        .ok_or_else(|| format!("composite `{name}`: unknown operation `{}`", def.then))?;
    let body = then
        .body
        .as_ref()
        .and_then(|body| body.json.as_ref())
        .ok_or_else(|| format!("composite `{name}`: `{}` has no JSON body", def.then))?;
    let object = |type_name: &str| match types.get(type_name) {
        Some(TypeItem::Object(object)) => Ok(object),
        _ => Err(format!(
            "composite `{name}`: `{type_name}` is not an object type"
        )),
    };
    let body_name = body
        .type_name()
        .ok_or_else(|| format!("composite `{name}`: `{}`'s body names no type", def.then))?;
    let body_type = object(body_name)?;
    let list = body_type
        .fields
        .iter()
        .find(|field| field.wire == def.feed.list)
        .ok_or_else(|| format!("composite `{name}`: no key `{}`", def.feed.list))?;
    let entry_type = match &list.value {
        RustType::Vec(inner) => inner.named().map(str::to_owned),
        _ => None,
    }
    .ok_or_else(|| {
        format!(
            "composite `{name}`: `{}` is not a list of objects",
            def.feed.list
        )
    })?;
    let entry = object(&entry_type)?;
    // A composite builds its entries and body from their defaults, filling in the rest.
    if !entry.defaultable || !body_type.defaultable {
        return Err(format!(
            "composite `{name}`: `{entry_type}` and `{body_name}` must have only optional keys besides those it fills"
        ));
    }
    let field_of = |object: &ObjectType, wire: &str| {
        object
            .fields
            .iter()
            .find(|field| field.wire == wire)
            .cloned()
            .ok_or_else(|| format!("composite `{name}`: `{}` has no key `{wire}`", object.name))
    };
    let first = api
        .operations
        .get(&def.first)
        .ok_or_else(|| format!("composite `{name}`: unknown operation `{}`", def.first))?;
    let item_type = match first.response.json_type() {
        Some(TypeExpr::List(inner)) => inner.named().map(str::to_owned),
        Some(TypeExpr::Named(item)) => Some(item.clone()),
        _ => None,
    }
    .ok_or_else(|| format!("composite `{name}`: `{}` answers no objects", def.first))?;
    let item = object(&item_type)?;
    let copy = def
        .feed
        .copy
        .iter()
        .map(|wire| {
            let from = field_of(item, wire)?;
            let to = field_of(entry, wire)?;
            if from.optional() && !to.optional() {
                return Err(format!(
                    "composite `{name}`: `{wire}` may be absent in the answer but is required in the entry"
                ));
            }
            Ok(CopiedField {
                wrap: !from.optional() && to.optional(),
                rust: to.rust,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let set = def
        .feed
        .set
        .iter()
        .map(|(wire, value)| {
            field_of(entry, wire).map(|field| FixedField {
                optional: field.optional(),
                rust: field.rust,
                value_type: field.value,
                value: scalar(value),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Composite {
        name: name.to_owned(),
        builder: ident::builder_type(name),
        error: ident::error_type(name),
        summary: def.summary.clone(),
        doc: def.doc.clone(),
        source: def.source.clone(),
        notes: def.notes.clone(),
        unconfirmed: def.unconfirmed.clone(),
        first: def.first.clone(),
        then: def.then.clone(),
        first_variant: ident::camel(&def.first),
        then_variant: ident::camel(&def.then),
        list_field: list.rust.clone(),
        list_optional: list.optional(),
        entry_type,
        copy,
        set,
        site: Site(path!["composites", name]),
    })
}

fn scalar(value: &ScalarValue) -> Scalar {
    match value {
        ScalarValue::Integer(number) => Scalar::Integer(*number),
        ScalarValue::String(text) => Scalar::String(text.clone()),
    }
}

fn lower_type(name: &str, def: &TypeDef) -> Result<TypeItem, String> {
    if let Some(values) = &def.values {
        return Ok(TypeItem::Enum(EnumType {
            name: name.to_owned(),
            doc: def.doc.clone(),
            note: def.note.clone(),
            integer: matches!(
                values.first().map(|v| &v.value),
                Some(ScalarValue::Integer(_))
            ),
            values: values
                .iter()
                .enumerate()
                .map(|(index, value)| EnumValue {
                    value: scalar(&value.value),
                    variant: value.name.clone(),
                    doc: value.doc.clone(),
                    site: Site(path!["types", name, "values", index]),
                })
                .collect(),
            site: Site(path!["types", name]),
        }));
    }
    let keys = def
        .keys
        .as_ref()
        .ok_or_else(|| format!("type `{name}` has neither keys nor values"))?;
    let fields = keys
        .iter()
        .map(|(wire, key)| lower_field(name, wire, key))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TypeItem::Object(ObjectType {
        name: name.to_owned(),
        doc: def.doc.clone(),
        note: def.note.clone(),
        fields,
        defaultable: true,
        total_eq: true,
        request: false,
        site: Site(path!["types", name]),
    }))
}

fn lower_field(type_name: &str, wire: &str, key: &KeyDef) -> Result<Field, String> {
    let expr = key.ty.valid()?;
    Ok(Field {
        wire: wire.to_owned(),
        rust: ident::member(wire, key.rust_name.as_deref()),
        value: RustType::of_value(expr)
            .map(|value| {
                if key.tolerant {
                    value.tolerant()
                } else {
                    value
                }
            })
            .ok_or_else(|| format!("`{expr}` is no JSON value (key `{wire}`)"))?,
        required: key.required,
        nullable: key.nullable,
        undocumented: key.undocumented,
        default: key.default.as_ref().map(scalar),
        doc: key.doc.clone(),
        note: key.note.clone(),
        site: Site(path!["types", type_name, "keys", wire]),
    })
}

/// Puts in a `Box` each field through which its type contains itself (directly, or through
/// other types held inline, not in a `Vec`): such a struct would have an infinite size.
fn box_recursive_fields(types: &mut BTreeMap<String, TypeItem>) {
    // What each object holds inline, by name.
    let inline: BTreeMap<String, Vec<String>> = types
        .iter()
        .filter_map(|(name, item)| match item {
            TypeItem::Object(object) => Some((
                name.clone(),
                object
                    .fields
                    .iter()
                    .filter_map(|field| field.value.inline_named().map(str::to_owned))
                    .collect(),
            )),
            TypeItem::Enum(_) => None,
        })
        .collect();
    let reaches = |from: &str, target: &str| {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from.to_owned()];
        while let Some(name) = pending.pop() {
            if name == target {
                return true;
            }
            if seen.insert(name.clone())
                && let Some(held) = inline.get(&name)
            {
                pending.extend(held.iter().cloned());
            }
        }
        false
    };
    for (name, item) in types.iter_mut() {
        let TypeItem::Object(object) = item else {
            continue;
        };
        for field in &mut object.fields {
            if field
                .value
                .inline_named()
                .is_some_and(|held| reaches(held, name))
            {
                field.value = RustType::Boxed(Box::new(field.value.clone()));
            }
        }
    }
}

/// Which derives each object can have, found by a fixed point because types refer to each
/// other. An object derives `Default` when each required field's type has a default; enumerations
/// have none (no value is a sensible default), and that spreads to objects that require them. An
/// object derives `Eq` when no field holds a float, directly or through another object.
fn mark_derivable(types: &mut BTreeMap<String, TypeItem>) {
    loop {
        let snapshot: BTreeMap<String, (bool, bool)> = types
            .iter()
            .map(|(name, item)| {
                let flags = match item {
                    TypeItem::Object(object) => (object.defaultable, object.total_eq),
                    TypeItem::Enum(_) => (false, true),
                };
                (name.clone(), flags)
            })
            .collect();
        let mut changed = false;
        for item in types.values_mut() {
            if let TypeItem::Object(object) = item {
                let defaultable = object
                    .fields
                    .iter()
                    .all(|field| field.optional() || has_default(&field.value, &snapshot));
                let total_eq = object
                    .fields
                    .iter()
                    .all(|field| is_total_eq(&field.value, &snapshot));
                if (defaultable, total_eq) != (object.defaultable, object.total_eq) {
                    object.defaultable &= defaultable;
                    object.total_eq &= total_eq;
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

fn has_default(ty: &RustType, named: &BTreeMap<String, (bool, bool)>) -> bool {
    match ty {
        RustType::Named(name) => named.get(name).is_some_and(|flags| flags.0),
        RustType::Boxed(inner) => has_default(inner, named),
        RustType::DateTime | RustType::Tolerant(_) => false,
        _ => true,
    }
}

fn is_total_eq(ty: &RustType, named: &BTreeMap<String, (bool, bool)>) -> bool {
    match ty {
        RustType::Number => false,
        RustType::Vec(inner)
        | RustType::Boxed(inner)
        | RustType::Option(inner)
        | RustType::Tolerant(inner) => is_total_eq(inner, named),
        RustType::Named(name) => named.get(name).is_none_or(|flags| flags.1),
        _ => true,
    }
}

fn lower_body(operation: &str, multipart: &MultipartDef) -> Body {
    let at = path!["operations", operation, "body", "multipart"];
    let within = |rest: Vec<crate::load::yaml::Segment>| {
        let mut path = at.clone();
        path.extend(rest);
        Site(path)
    };
    let variants: Vec<BodyVariant> = multipart
        .one_of
        .iter()
        .map(|(name, variant)| {
            let parts: Vec<Part> = variant
                .parts
                .iter()
                .map(|(wire, part)| Part {
                    site: within(path!["one_of", name, "parts", wire]),
                    wire: wire.clone(),
                    rust: ident::member(wire, part.rust_name.as_deref()),
                    file: part.ty.get().and_then(PartInput::of) == Some(PartInput::File),
                    required: part.required,
                    fixed: part.value.clone(),
                    max_bytes: part.max_bytes,
                    min_length: part.min_length,
                    max_length: part.max_length,
                    doc: part.doc.clone(),
                    note: part.note.clone(),
                })
                .collect();
            let inputs: Vec<&Part> = parts.iter().filter(|part| part.fixed.is_none()).collect();
            let shape = match inputs.as_slice() {
                [only] if only.required => VariantShape::Single((*only).clone()),
                _ => VariantShape::Struct {
                    name: ident::variant_struct(&multipart.type_name, name),
                },
            };
            BodyVariant {
                constructor: name.clone(),
                variant: ident::camel(name),
                doc: variant.doc.clone(),
                parts,
                shape,
                site: within(path!["one_of", name]),
            }
        })
        .collect();
    // `From<FilePart>` and the `path`/`bytes` shortcuts are for the common case of exactly
    // one alternative that is just a file; the shortcuts give way to an alternative so named.
    let mut file_variants = variants
        .iter()
        .filter(|variant| matches!(&variant.shape, VariantShape::Single(part) if part.file));
    let file_variant = match (file_variants.next(), file_variants.next()) {
        (Some(only), None) => Some(only.variant.clone()),
        _ => None,
    };
    let file_shortcuts = file_variant.is_some()
        && !variants
            .iter()
            .any(|variant| FILE_SHORTCUTS.contains(&variant.constructor.as_str()));
    Body {
        name: multipart.type_name.clone(),
        operation: operation.to_owned(),
        doc: multipart.doc.clone(),
        note: multipart.note.clone(),
        max_bytes: multipart.max_bytes,
        file_variant,
        file_shortcuts,
        site: within(path!["type"]),
        variants,
    }
}

fn lower_operation(api: &ApiSpec, name: &str, def: &OperationDef) -> Result<Operation, String> {
    let template = def.path.valid()?;
    let placeholders: Vec<&str> = template.params().collect();
    let param = |wire: &str| -> Result<Param, String> {
        let spec = def
            .params
            .get(wire)
            .ok_or_else(|| format!("parameter `{wire}` is not declared"))?;
        let expr = spec.ty.valid()?;
        Ok(Param {
            wire: wire.to_owned(),
            rust: ident::member(wire, spec.rust_name.as_deref()),
            input: ParamInput::of(expr, spec.set.as_deref())
                .ok_or_else(|| format!("parameter `{wire}` cannot be `{expr}`"))?,
            required: spec.required || spec.location == ParamLocation::Path,
            minimum: spec.minimum,
            maximum: spec.maximum,
            doc: spec.doc.clone(),
            note: spec.note.clone(),
            site: Site(path!["operations", name, "params", wire]),
        })
    };
    let path_params = placeholders
        .iter()
        .map(|wire| param(wire))
        .collect::<Result<Vec<_>, _>>()?;
    let query_params = def
        .params
        .iter()
        .filter(|(_, spec)| spec.location == ParamLocation::Query)
        .map(|(wire, _)| param(wire))
        .collect::<Result<Vec<_>, _>>()?;

    Ok(Operation {
        name: name.to_owned(),
        builder: ident::builder_type(name),
        error: ident::error_type(name),
        info: ident::operation_static(name),
        sample_test: ident::sample_test(&api.product, &api.version, name),
        summary: def.summary.clone(),
        doc: def.doc.clone(),
        notes: def.notes.clone(),
        unconfirmed: def.unconfirmed.clone(),
        source: def.source.clone(),
        method: def.method.clone(),
        path_template: def.path.text().to_owned(),
        path: split_path(template),
        path_params,
        query_params,
        body: def
            .body
            .as_ref()
            .and_then(|body| match (&body.multipart, &body.json) {
                (Some(multipart), _) => Some(OperationBody::Multipart(multipart.type_name.clone())),
                (None, Some(json)) => json
                    .type_name()
                    .map(|name| OperationBody::Json(name.to_owned())),
                (None, None) => None,
            }),
        kind: OperationKind::Call,
        scopes: Scopes {
            groups: def
                .scopes
                .all_of
                .iter()
                .map(|group| {
                    group
                        .any_of
                        .iter()
                        .map(|scope| scope.text().to_owned())
                        .collect()
                })
                .collect(),
            operations: def
                .scopes
                .operations
                .iter()
                .map(|op| (op.name.clone(), op.doc.clone()))
                .collect(),
            note: def.scopes.note.clone(),
        },
        response: lower_response(&def.response)?,
        paging: None,
        // The spec's effects and `zoho_runtime::model::Effect` have the same variant names.
        effect: def.effect.map(|effect| format!("{effect:?}")),
        errors: group_errors(name, &def.errors),
        sample_response: def.sample_response.clone(),
        sample_request: def.sample_request.clone(),
        site: Site(path!["operations", name]),
    })
}

fn lower_paging(
    name: &str,
    def: &crate::load::model::PagingDef,
    operation: &Operation,
    types: &BTreeMap<String, TypeItem>,
) -> Result<Paging, String> {
    let object = |type_name: &str| match types.get(type_name) {
        Some(TypeItem::Object(object)) => Ok(object),
        _ => Err(format!(
            "`{name}` paging: `{type_name}` is not an object type"
        )),
    };
    let field = |object: &ObjectType, wire: &str| {
        object
            .fields
            .iter()
            .find(|field| field.wire == wire)
            .cloned()
            .ok_or_else(|| format!("`{name}` paging: `{}` has no key `{wire}`", object.name))
    };
    let ResponseKind::Object(answer) = &operation.response.kind else {
        return Err(format!("`{name}` paging: the answer is not an object"));
    };
    let answer = object(answer)?;
    let items = field(answer, &def.items)?;
    let item_type = items
        .value
        .named()
        .ok_or_else(|| format!("`{name}` paging: `{}` holds no objects", def.items))?
        .to_owned();
    let info = field(answer, &def.info)?;
    let info_type = object(
        info.value
            .named()
            .ok_or_else(|| format!("`{name}` paging: `{}` is not an object", def.info))?,
    )?;
    let param = |wire: &Option<String>| {
        wire.as_ref().map(|wire| {
            operation
                .query_params
                .iter()
                .find(|param| &param.wire == wire)
                .cloned()
                .ok_or_else(|| format!("`{name}` paging: no query parameter `{wire}`"))
        })
    };
    Ok(Paging {
        more_records: field(info_type, "more_records")?,
        page: def
            .page_param
            .as_ref()
            .map(|_| field(info_type, "page"))
            .transpose()?,
        next_page_token: def
            .token_param
            .as_ref()
            .map(|_| field(info_type, "next_page_token"))
            .transpose()?,
        page_param: param(&def.page_param).transpose()?,
        token_param: param(&def.token_param).transpose()?,
        items,
        item_type,
        info,
    })
}

fn lower_outcomes(
    name: &str,
    def: &crate::load::model::OutcomesDef,
    operation: &Operation,
    types: &BTreeMap<String, TypeItem>,
) -> Result<Outcomes, String> {
    let per_item = match &def.per {
        None => None,
        Some(per) => {
            let param = operation
                .query_params
                .iter()
                .find(|param| &param.wire == per)
                .ok_or_else(|| format!("`{name}` outcomes: no query parameter `{per}`"))?;
            let ResponseKind::Object(answer) = &operation.response.kind else {
                return Err(format!("`{name}` outcomes: the answer is not an object"));
            };
            let Some(TypeItem::Object(answer)) = types.get(answer) else {
                return Err(format!(
                    "`{name}` outcomes: `{answer}` is not an object type"
                ));
            };
            let list = def
                .list
                .as_ref()
                .ok_or_else(|| format!("`{name}` outcomes: `per` without `list`"))?;
            let item_type = answer
                .fields
                .iter()
                .find(|field| &field.wire == list)
                .and_then(|field| field.value.named())
                .ok_or_else(|| format!("`{name}` outcomes: `{list}` holds no objects"))?;
            Some(PerItem {
                param: param.rust.clone(),
                wire: param.wire.clone(),
                item_type: item_type.to_owned(),
            })
        }
    };
    Ok(Outcomes {
        list: def.list.clone(),
        key: def.key.clone(),
        success: def.success.clone(),
        per_item,
    })
}

fn lower_response(def: &crate::load::model::ResponseDef) -> Result<Response, String> {
    let kind = match def.ty.valid()? {
        ResponseType::Binary => ResponseKind::Binary {
            content_types: def.content_types.clone(),
        },
        ResponseType::Json(TypeExpr::Named(name)) => ResponseKind::Object(name.clone()),
        ResponseType::Json(TypeExpr::List(inner)) => ResponseKind::List(
            inner
                .named()
                .ok_or_else(|| format!("`{}` is not a list of a named type", def.ty))?
                .to_owned(),
        ),
        ResponseType::Json(other) => return Err(format!("`{other}` cannot be a response type")),
    };
    Ok(Response {
        status: def.status,
        kind,
        empty: def.empty.as_ref().map(|empty| Empty {
            status: empty.status,
            yields: match empty.yields {
                crate::load::model::EmptyYield::None => EmptyYield::None,
                crate::load::model::EmptyYield::Default => EmptyYield::Default,
            },
            doc: empty.doc.clone(),
        }),
        outcomes: None,
    })
}

/// Splits `/{a}/x/{b}` into literal text and parameters; the n-th placeholder is
/// `Param(n)`, matching the order of `path_params`.
fn split_path(template: &PathTemplate) -> Vec<PathPiece> {
    let mut pieces: Vec<PathPiece> = Vec::new();
    let mut literal = String::new();
    let mut index = 0;
    for segment in template.segments() {
        literal.push('/');
        match segment {
            PathSegment::Literal(text) => literal.push_str(text),
            PathSegment::Param(_) => {
                pieces.push(PathPiece::Literal(std::mem::take(&mut literal)));
                pieces.push(PathPiece::Param(index));
                index += 1;
            }
        }
    }
    if !literal.is_empty() {
        pieces.push(PathPiece::Literal(literal));
    }
    pieces
}

/// One variant per code; the page's rows for a code stay together, in page order.
fn group_errors(operation: &str, rows: &[ErrorDef]) -> Vec<ErrorVariant> {
    let mut variants: Vec<ErrorVariant> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let lowered = ErrorRow {
            status: row.status,
            message: row.message.clone(),
            resolution: row.resolution.clone(),
            note: row.note.clone(),
            origin: RowOrigin::of(row.recovered_from.as_deref()),
        };
        match variants.iter_mut().find(|variant| variant.code == row.code) {
            Some(variant) => {
                if !variant.statuses.contains(&row.status) {
                    variant.statuses.push(row.status);
                }
                variant.rows.push(lowered);
            }
            None => variants.push(ErrorVariant {
                code: row.code.clone(),
                variant: ident::camel(&row.code),
                statuses: vec![row.status],
                rows: vec![lowered],
                site: Site(path!["operations", operation, "errors", index]),
            }),
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_literals_and_params() {
        let template: crate::load::parsed::Parsed<PathTemplate> =
            crate::load::parsed::Parsed::new("/{module_api_name}/{record_id}/Attachments");
        assert_eq!(
            split_path(template.valid().expect("a template")),
            vec![
                PathPiece::Literal("/".into()),
                PathPiece::Param(0),
                PathPiece::Literal("/".into()),
                PathPiece::Param(1),
                PathPiece::Literal("/Attachments".into()),
            ]
        );
    }

    fn object(name: &str, fields: Vec<(&str, RustType, bool)>) -> (String, TypeItem) {
        let fields = fields
            .into_iter()
            .map(|(wire, value, required)| Field {
                wire: wire.into(),
                rust: wire.into(),
                value,
                required,
                nullable: false,
                undocumented: false,
                default: None,
                doc: "d".into(),
                note: None,
                site: Site::default(),
            })
            .collect();
        let object = ObjectType {
            name: name.into(),
            doc: "d".into(),
            note: None,
            fields,
            defaultable: true,
            total_eq: true,
            request: false,
            site: Site::default(),
        };
        (name.into(), TypeItem::Object(object))
    }

    fn named(name: &str) -> RustType {
        RustType::Named(name.into())
    }

    #[test]
    fn derives_follow_references_between_types() {
        let mut types: BTreeMap<String, TypeItem> = [
            object("Inner", vec![("x", RustType::Number, false)]),
            object(
                "Outer",
                vec![("inner", RustType::Vec(Box::new(named("Inner"))), false)],
            ),
            object("Outermost", vec![("outer", named("Outer"), true)]),
            object("Plain", vec![("when", RustType::DateTime, true)]),
        ]
        .into_iter()
        .collect();
        mark_derivable(&mut types);
        let flags = |name: &str| match &types[name] {
            TypeItem::Object(object) => (object.defaultable, object.total_eq),
            TypeItem::Enum(_) => unreachable!("only objects here"),
        };
        assert_eq!(flags("Inner"), (true, false));
        assert_eq!(flags("Outer"), (true, false));
        assert_eq!(flags("Outermost"), (true, false));
        assert_eq!(flags("Plain"), (false, true));
    }

    #[test]
    fn row_origins_say_what_kind_of_source_gave_a_row() {
        assert_eq!(RowOrigin::of(None), RowOrigin::Page);
        assert_eq!(
            RowOrigin::of(Some(
                "https://github.com/zoho/crm-oas/blob/45dff2c/v8.0/attachments.json (`ErrorResponse`)"
            )),
            RowOrigin::Address(
                "https://github.com/zoho/crm-oas/blob/45dff2c/v8.0/attachments.json".into()
            )
        );
        assert_eq!(
            RowOrigin::of(Some(
                "Zoho's OpenAPI file (https://example.com/a.json, schema `x`)"
            )),
            RowOrigin::Address("https://example.com/a.json".into())
        );
        assert_eq!(
            RowOrigin::of(Some("crm-v7.yaml list_attachments (same message)")),
            RowOrigin::Sibling
        );
        // Naming a spec file later does not make the research notes a sibling page.
        assert_eq!(
            RowOrigin::of(Some(
                "the project's research notes; see CODE in shared.yaml"
            )),
            RowOrigin::Unpublished
        );
    }

    #[test]
    fn errors_group_by_code_in_page_order() {
        let row = |code: &str, message: &str| ErrorDef {
            code: code.into(),
            status: 400,
            message: Some(message.into()),
            resolution: Some("r".into()),
            recovered_from: None,
            note: None,
            provenance: None,
            acknowledged: Vec::new(),
        };
        let grouped = group_errors(
            "op",
            &[
                row("INVALID_MODULE", "a"),
                row("NO_PERMISSION", "b"),
                row("INVALID_MODULE", "c"),
            ],
        );
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].variant, "InvalidModule");
        assert_eq!(grouped[0].rows.len(), 2);
        assert_eq!(grouped[1].code, "NO_PERMISSION");
    }

    #[test]
    fn a_type_that_contains_itself_holds_itself_in_a_box() {
        let fields = |types: &BTreeMap<String, TypeItem>, name: &str| match &types[name] {
            TypeItem::Object(object) => object
                .fields
                .iter()
                .map(|field| field.value.to_string())
                .collect::<Vec<_>>(),
            TypeItem::Enum(_) => unreachable!("only objects here"),
        };
        let mut types: BTreeMap<String, TypeItem> = [
            object("Node", vec![("parent", named("Node"), false)]),
            object(
                "Tree",
                vec![("children", RustType::Vec(Box::new(named("Tree"))), false)],
            ),
            object("A", vec![("b", named("B"), false)]),
            object("B", vec![("a", named("A"), true)]),
            object("Leaf", vec![("node", named("Node"), false)]),
        ]
        .into_iter()
        .collect();
        box_recursive_fields(&mut types);
        assert_eq!(fields(&types, "Node"), ["Box<Node>"]);
        // A `Vec` has a size of its own: nothing to box.
        assert_eq!(fields(&types, "Tree"), ["Vec<Tree>"]);
        assert_eq!(fields(&types, "A"), ["Box<B>"]);
        assert_eq!(fields(&types, "B"), ["Box<A>"]);
        assert_eq!(fields(&types, "Leaf"), ["Node"]);
    }
}
