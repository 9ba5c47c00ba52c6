//! The name checks know every name the generated code takes for itself.
//!
//! `ir::check` refuses a spec name that lands on a name of the generator's own (a builder's
//! `send`, an error enum's `Unhandled`), using the lists in `zoho_codegen::ir::names`. Those
//! lists are only right while they hold every such name: an emitter that starts printing a new
//! method, field or item without listing it reopens the door to specs that are accepted and do
//! not compile. This test reads the crates the real spec and the golden fixture generate, scope
//! by scope, and requires each name there to be either one the IR decided from the spec or one
//! the lists reserve for that scope.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::ext::IdentExt;
use zoho_codegen::ident;
use zoho_codegen::ir::names::{self, Reserved};
use zoho_codegen::ir::{Api, OperationBody, TypeItem, VariantShape};

fn spec_folders() -> [PathBuf; 2] {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("../spec"),
        manifest.join("fixtures/golden/spec"),
    ]
}

/// An identifier as written, without a raw prefix: what two names must not share.
fn bare(ident: &syn::Ident) -> String {
    ident.unraw().to_string()
}

/// An IR name as the generated code spells it (`self` is `self_`), without a raw prefix.
fn spelled(name: &str) -> String {
    let spelling = ident::spelling(name);
    spelling.strip_prefix("r#").unwrap_or(&spelling).to_owned()
}

/// The names the generated code declares in each scope, by the scope's Rust path.
#[derive(Default)]
struct Declared {
    /// Type → its named fields.
    fields: BTreeMap<String, BTreeSet<String>>,
    /// Type → its associated functions and constants (inherent impls only).
    functions: BTreeMap<String, BTreeSet<String>>,
    /// Enum → its variants.
    variants: BTreeMap<String, BTreeSet<String>>,
    /// Items of the module (types, functions, statics, constants; `mod`s apart).
    items: BTreeSet<String>,
    /// Modules declared with `mod`.
    modules: BTreeSet<String>,
}

impl Declared {
    /// The functions and constants of `name`'s impls.
    fn functions(&self, name: &str) -> Option<BTreeSet<String>> {
        self.functions.get(name).cloned()
    }

    /// The fields of struct `name` and the functions and constants of its impls: one scope
    /// where fields are named after the setters that set them.
    fn members(&self, name: &str) -> Option<BTreeSet<String>> {
        let fields = self.fields.get(name)?;
        let functions = self.functions.get(name).into_iter().flatten();
        Some(fields.iter().chain(functions).cloned().collect())
    }

    fn read(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Struct(item) => {
                    self.items.insert(bare(&item.ident));
                    let fields = self.fields.entry(bare(&item.ident)).or_default();
                    if let syn::Fields::Named(named) = &item.fields {
                        fields.extend(
                            named
                                .named
                                .iter()
                                .filter_map(|f| f.ident.as_ref())
                                .map(bare),
                        );
                    }
                }
                syn::Item::Enum(item) => {
                    self.items.insert(bare(&item.ident));
                    self.variants
                        .entry(bare(&item.ident))
                        .or_default()
                        .extend(item.variants.iter().map(|v| bare(&v.ident)));
                }
                syn::Item::Fn(item) => {
                    self.items.insert(bare(&item.sig.ident));
                }
                syn::Item::Static(item) => {
                    self.items.insert(bare(&item.ident));
                }
                syn::Item::Const(item) => {
                    self.items.insert(bare(&item.ident));
                }
                syn::Item::Type(item) => {
                    self.items.insert(bare(&item.ident));
                }
                syn::Item::Mod(item) => {
                    self.modules.insert(bare(&item.ident));
                    if let Some((_, inner)) = &item.content {
                        self.read(inner);
                    }
                }
                syn::Item::Impl(item) if item.trait_.is_none() => {
                    let syn::Type::Path(path) = &*item.self_ty else {
                        continue;
                    };
                    let Some(last) = path.path.segments.last() else {
                        continue;
                    };
                    let members = self.functions.entry(bare(&last.ident)).or_default();
                    for member in &item.items {
                        match member {
                            syn::ImplItem::Fn(function) => {
                                members.insert(bare(&function.sig.ident));
                            }
                            syn::ImplItem::Const(constant) => {
                                members.insert(bare(&constant.ident));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Reads the generated files whose path starts with `prefix` (and is not deeper, if `flat`).
fn declared(files: &[zoho_codegen::emit::OutputFile], prefix: &str, flat: bool) -> Declared {
    let mut declared = Declared::default();
    for file in files {
        let Some(rest) = file.path.strip_prefix(prefix) else {
            continue;
        };
        if !rest.ends_with(".rs") || (flat && rest.contains('/')) {
            continue;
        }
        let parsed = syn::parse_file(&file.contents)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", file.path));
        declared.read(&parsed.items);
    }
    declared
}

/// Collects the names of `found` that are neither decided by the IR nor reserved.
fn unexplained(
    problems: &mut Vec<String>,
    scope: &str,
    found: Option<BTreeSet<String>>,
    decided: impl IntoIterator<Item = String>,
    reserved: &[Reserved],
) {
    let known: BTreeSet<String> = decided
        .into_iter()
        .map(|name| spelled(&name))
        .chain(reserved.iter().map(|(name, _)| spelled(name)))
        .collect();
    let Some(found) = found else {
        problems.push(format!("{scope}: not found in the generated code"));
        return;
    };
    for name in found.difference(&known) {
        problems.push(format!(
            "{scope}: `{name}` is neither a spec name nor listed in `ir::names`"
        ));
    }
}

fn check_api(api: &Api, files: &[zoho_codegen::emit::OutputFile], problems: &mut Vec<String>) {
    let folder = format!("src/{}/{}/", api.product, api.module);
    let module = declared(files, &folder, true);
    let scope = |what: &str| format!("{}::{} {what}", api.product, api.module);

    // The version module's items.
    let mut items: Vec<String> = vec![api.entry_type.clone(), names::SERVER_STATIC.to_owned()];
    if let Some(modules) = &api.modules {
        items.push(names::MODULE_ENUM.to_owned());
        if modules.custom.is_some() {
            items.push(names::CUSTOM_MODULE.to_owned());
        }
    }
    items.extend(api.module_sets.keys().cloned());
    items.extend(api.types.values().map(|item| item.name().to_owned()));
    for body in api.bodies.values() {
        items.push(body.name.clone());
        for variant in &body.variants {
            if let VariantShape::Struct { name } = &variant.shape {
                items.push(name.clone());
            }
        }
    }
    for op in api.operations.values() {
        items.extend([op.builder.clone(), op.error.clone(), op.info.clone()]);
    }
    for composite in api.composites.values() {
        items.extend([composite.builder.clone(), composite.error.clone()]);
    }
    unexplained(
        problems,
        &scope("module items"),
        Some(module.items.clone()),
        items,
        &[],
    );

    // The entry point's methods.
    let methods = api.operations.keys().chain(api.composites.keys()).cloned();
    unexplained(
        problems,
        &scope("entry point methods"),
        module.functions(&api.entry_type),
        methods,
        names::ENTRY_METHODS,
    );

    for op in api.operations.values() {
        let params = op.path_params.iter().chain(&op.query_params);
        let mut reserved = names::BUILDER_MEMBERS.to_vec();
        if op.body.is_some() {
            reserved.push(names::BODY_MEMBER);
        }
        unexplained(
            problems,
            &scope(&format!("builder `{}`", op.builder)),
            module.members(&op.builder),
            params.map(|param| param.rust.clone()),
            &reserved,
        );
        unexplained(
            problems,
            &scope(&format!("error enum `{}`", op.error)),
            module.variants.get(&op.error).cloned(),
            op.errors.iter().map(|error| error.variant.clone()),
            names::ERROR_VARIANTS,
        );
        if let Some(OperationBody::Multipart(name)) = &op.body {
            let body = &api.bodies[name];
            let constructors = body.variants.iter().map(|v| v.constructor.clone());
            let shortcuts: Vec<String> = if body.file_shortcuts {
                names::FILE_SHORTCUTS
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect()
            } else {
                Vec::new()
            };
            unexplained(
                problems,
                &scope(&format!("body `{name}` functions")),
                module.functions(name),
                constructors.chain(shortcuts),
                names::BODY_FUNCTIONS,
            );
            unexplained(
                problems,
                &scope(&format!("body `{name}` variants")),
                module.variants.get(name).cloned(),
                body.variants.iter().map(|v| v.variant.clone()),
                &[],
            );
            for variant in &body.variants {
                if let VariantShape::Struct { name } = &variant.shape {
                    unexplained(
                        problems,
                        &scope(&format!("alternative `{name}`")),
                        module.members(name),
                        variant.inputs().map(|part| part.rust.clone()),
                        names::ALTERNATIVE_MEMBERS,
                    );
                }
            }
        }
    }
    for composite in api.composites.values() {
        unexplained(
            problems,
            &scope(&format!("composite builder `{}`", composite.builder)),
            module.members(&composite.builder),
            [],
            names::COMPOSITE_MEMBERS,
        );
        unexplained(
            problems,
            &scope(&format!("composite error enum `{}`", composite.error)),
            module.variants.get(&composite.error).cloned(),
            [
                composite.first_variant.clone(),
                composite.then_variant.clone(),
            ],
            &[],
        );
    }
    for item in api.types.values() {
        match item {
            TypeItem::Object(object) => {
                let mut reserved = names::OBJECT_FIELDS.to_vec();
                if object.request {
                    reserved.extend(names::REQUEST_OBJECT_METHODS);
                }
                unexplained(
                    problems,
                    &scope(&format!("object `{}`", object.name)),
                    module.members(&object.name),
                    object.fields.iter().map(|field| field.rust.clone()),
                    &reserved,
                );
            }
            TypeItem::Enum(enumeration) => unexplained(
                problems,
                &scope(&format!("enumeration `{}`", enumeration.name)),
                module.variants.get(&enumeration.name).cloned(),
                enumeration.values.iter().map(|value| value.variant.clone()),
                names::ENUM_VARIANTS,
            ),
        }
    }
}

#[test]
fn every_generated_name_is_from_the_spec_or_reserved_in_ir_names() {
    for folder in spec_folders() {
        let generated = zoho_codegen::generate(&folder)
            .unwrap_or_else(|problems| panic!("{} is rejected: {problems:?}", folder.display()));
        let files = &generated.files;
        let krate = &generated.krate;
        let mut problems = Vec::new();

        let root = declared(files, "src/", true);
        let crate_modules: Vec<String> = krate.products.keys().cloned().collect();
        unexplained(
            &mut problems,
            "crate root modules",
            Some(root.modules.clone()),
            crate_modules,
            names::CRATE_MODULES,
        );
        let accessors = krate
            .products
            .values()
            .flat_map(|product| product.apis.values())
            .map(|api| api.accessor.clone());
        unexplained(
            &mut problems,
            "Client methods",
            root.functions("Client"),
            accessors,
            names::CLIENT_METHODS,
        );
        let samples = declared(files, "tests/", true);
        let tests = krate
            .products
            .values()
            .flat_map(|product| product.apis.values())
            .flat_map(|api| api.operations.values())
            .filter(|op| op.sample_response.is_some())
            .map(|op| op.sample_test.clone());
        unexplained(
            &mut problems,
            "sample test functions",
            Some(samples.items.clone()),
            tests,
            names::SAMPLE_FUNCTIONS,
        );
        for product in krate.products.values() {
            for api in product.apis.values() {
                check_api(api, files, &mut problems);
            }
        }
        assert!(
            problems.is_empty(),
            "{}: the generated code uses names the checks of `ir::check` do not know:\n{}",
            folder.display(),
            problems.join("\n")
        );
    }
}
