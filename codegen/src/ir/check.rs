//! Name checks on the IR's final names: what the generated code will really spell.
//!
//! A spec name can be fine as YAML and still break the crate once it is Rust: two keys that
//! differ only in case become one field, `self` and `self_` become the same identifier, an
//! operation called `new` lands on the entry point's constructor, a product called `type` or
//! `model` names a module the crate cannot have. These checks run after lowering, on the names
//! the emitters will print (case conversion, keyword escaping and `rust_name` applied), scope by
//! scope, against the names the generated code takes for itself ([`names`]). Each problem is
//! reported at the spec entry that produced the name, so the maintainer knows what to rename.

use std::collections::BTreeMap;
use std::fmt::Display;

use super::data::*;
use super::names::{self, Reserved};
use crate::diag::{Code, Diagnostic};
use crate::ident;
use crate::load::LoadedSpec;
use crate::load::yaml::{Segment, SourceMap};

/// What the maintainer can do about a clash: the hint of its diagnostic.
#[derive(Clone, Copy)]
enum Fix {
    /// A key, parameter or part: its Rust name can be set apart from its wire name.
    RustName,
    /// A name the spec cannot override.
    Rename,
    /// Something more specific.
    Say(&'static str),
}

impl Fix {
    /// The hint, for a clash with another spec entry or with the generated code.
    fn hint(self, with_generated: bool) -> &'static str {
        match (self, with_generated) {
            (Fix::RustName, false) => "set `rust_name:` on one of them",
            (Fix::RustName, true) => "set `rust_name:` on it",
            (Fix::Rename, _) => "rename it in the spec",
            (Fix::Say(hint), _) => hint,
        }
    }
}

/// Every name problem of a lowered spec, located in the spec; empty when the crate's names
/// are all distinct identifiers.
pub fn check(krate: &Crate, spec: &LoadedSpec) -> Vec<Diagnostic> {
    let shared = Place {
        file: &spec.shared.display_path,
        map: &spec.shared.map,
    };
    let files: BTreeMap<&str, Place<'_>> = spec
        .apis
        .iter()
        .map(|file| {
            let place = Place {
                file: &file.display_path,
                map: &file.map,
            };
            (file.file_name.as_str(), place)
        })
        .collect();
    let apis: Vec<(&Api, Place<'_>)> = krate
        .products
        .values()
        .flat_map(|product| product.apis.values())
        .filter_map(|api| Some((api, *files.get(api.spec_file.as_str())?)))
        .collect();
    let mut out = Vec::new();
    check_crate(krate, shared, &apis, &mut out);
    for (api, place) in apis {
        check_api(api, place, &mut out);
    }
    out
}

/// The crate root, `Client`, the data centres and environments, and the sample tests.
fn check_crate(
    krate: &Crate,
    shared: Place<'_>,
    apis: &[(&Api, Place<'_>)],
    out: &mut Vec<Diagnostic>,
) {
    let mut modules = Scope::new(shared, names::CRATE_MODULES);
    for product in krate.products.values() {
        if ident::is_keyword(&product.id) {
            out.push(
                shared
                    .at(
                        &product.site,
                        Code::BadName,
                        format!(
                            "product id `{}` is a Rust keyword; it names the product's module and folder",
                            product.id
                        ),
                    )
                    .with_hint("choose another id"),
            );
            continue;
        }
        let what = format!("product `{}`", product.id);
        modules.claim(
            out,
            &product.id,
            what,
            &product.site,
            Fix::Say("choose another id"),
        );
    }
    let mut centers = Scope::new(shared, &[]);
    for center in &krate.data_centers {
        let what = format!("data centre `{}`", center.id);
        centers.claim(out, &center.variant, what, &center.site, Fix::Rename);
    }
    let mut environments = Scope::new(shared, &[]);
    for environment in &krate.environments {
        let what = format!("environment `{}`", environment.id);
        environments.claim(
            out,
            &environment.variant,
            what,
            &environment.site,
            Fix::Rename,
        );
    }
    // The accessors and the sample tests come from the version files, one scope across them.
    let mut accessors = Scope::new(shared, names::CLIENT_METHODS);
    let mut tests = Scope::new(shared, names::SAMPLE_FUNCTIONS);
    for (api, place) in apis {
        let version = format!("{} {}", api.product, api.version);
        let at = || At::Value(Site::of(&["version"]));
        accessors.claim_in(out, *place, &api.accessor, &version, at(), Fix::Rename);
        for op in api.operations.values() {
            if op.sample_response.is_some() {
                let what = format!("the sample test of `{}` in {version}", op.name);
                tests.claim_in(out, *place, &op.sample_test, what, &op.site, Fix::Rename);
            }
        }
    }
}

/// One version module: its items, the entry point's methods, and every type's members.
fn check_api(api: &Api, place: Place<'_>, out: &mut Vec<Diagnostic>) {
    let version = At::Value(Site::of(&["version"]));
    let mut items = Scope::new(place, &[]);
    items.claim(
        out,
        &api.entry_type,
        "the version's entry point",
        version,
        Fix::Rename,
    );
    if let Some(modules) = &api.modules {
        let at = Site::of(&["modules"]);
        items.claim(
            out,
            names::MODULE_ENUM,
            "the module enumeration",
            &at,
            Fix::Rename,
        );
        if modules.custom.is_some() {
            items.claim(
                out,
                names::CUSTOM_MODULE,
                "the custom-module name",
                &at,
                Fix::Rename,
            );
        }
        let mut variants = Scope::new(place, &[]);
        for module in modules.variants.iter().chain(&modules.custom) {
            let what = format!("module `{}`", module.display);
            variants.claim(out, &module.variant, what, &module.site, Fix::Rename);
        }
    }
    for set in api.module_sets.values() {
        items.claim(
            out,
            &set.name,
            format!("module set `{}`", set.name),
            &set.site,
            Fix::Rename,
        );
    }
    for item in api.types.values() {
        let what = format!("type `{}`", item.name());
        items.claim(out, item.name(), what, item.site(), Fix::Rename);
        match item {
            TypeItem::Object(object) => check_object(object, place, out),
            TypeItem::Enum(enumeration) => check_enum(enumeration, place, out),
        }
    }
    for body in api.bodies.values() {
        check_body(body, place, &mut items, out);
    }

    let mut methods = Scope::new(place, names::ENTRY_METHODS);
    let mut statics = Scope::new(place, &[(names::SERVER_STATIC, "the version's server")]);
    for op in api.operations.values() {
        let what = format!("operation `{}`", op.name);
        items.claim(out, &op.builder, &what, &op.site, Fix::Rename);
        let errors = format!("the errors of operation `{}`", op.name);
        items.claim(out, &op.error, errors, &op.site, Fix::Rename);
        // Each operation declares its own body type; two declaring one name collide.
        if let Some(OperationBody::Multipart(name)) = &op.body
            && api
                .bodies
                .get(name)
                .is_some_and(|body| body.operation != op.name)
        {
            let what = format!("the body of operation `{}`", op.name);
            let at = At::Value(op.site.within(&["body", "multipart", "type"]));
            items.claim(out, name, what, at, Fix::Rename);
        }
        not_a_keyword(out, place, &op.name, &what, &op.site);
        methods.claim(out, &op.name, &what, &op.site, Fix::Rename);
        statics.claim(out, &op.info, &what, &op.site, Fix::Rename);
        check_operation(op, place, out);
    }
    for composite in api.composites.values() {
        let what = format!("composite operation `{}`", composite.name);
        items.claim(out, &composite.builder, &what, &composite.site, Fix::Rename);
        let errors = format!("the errors of composite operation `{}`", composite.name);
        items.claim(out, &composite.error, errors, &composite.site, Fix::Rename);
        not_a_keyword(out, place, &composite.name, &what, &composite.site);
        methods.claim(out, &composite.name, &what, &composite.site, Fix::Rename);
        let mut steps = Scope::new(place, &[]);
        for (variant, key) in [
            (&composite.first_variant, "first"),
            (&composite.then_variant, "then"),
        ] {
            let at = At::Value(composite.site.within(&[key]));
            let what = format!("the `{key}` step of `{}`", composite.name);
            steps.claim(
                out,
                variant,
                what,
                at,
                Fix::Say("a composite's two steps must differ"),
            );
        }
    }
}

/// An operation's name is the spec's own choice and names a method users call: a keyword
/// would make it `r#type` (or `self_`), which reads badly and which rustdoc cannot link to.
fn not_a_keyword(out: &mut Vec<Diagnostic>, place: Place<'_>, name: &str, what: &str, site: &Site) {
    if ident::is_keyword(name) {
        out.push(
            place
                .at(
                    site,
                    Code::BadName,
                    format!(
                        "{what} is a Rust keyword; its method would be spelt `{}`",
                        ident::spelling(name)
                    ),
                )
                .with_hint("choose another snake_case name"),
        );
    }
}

fn check_object(object: &ObjectType, place: Place<'_>, out: &mut Vec<Diagnostic>) {
    let mut fields = Scope::new(place, names::OBJECT_FIELDS);
    if object.request {
        // A request object's setters are named after its keys, beside its constructor.
        for name in names::REQUEST_OBJECT_METHODS {
            fields.reserve(*name);
        }
    }
    for field in &object.fields {
        let what = format!("key `{}`", field.wire);
        fields.claim_member(out, &field.rust, what, &field.site);
        if object.request && field.tolerant() {
            // Users build request types: a value to send has nothing raw to keep.
            out.push(
                place
                    .at(
                        &field.site.within(&["tolerant"]),
                        Code::BadType,
                        format!(
                            "key `{}` of `{}` cannot be tolerant: the type is sent in a request body",
                            field.wire, object.name
                        ),
                    )
                    .with_hint("only keys of answers keep a raw value"),
            );
        }
    }
}

fn check_enum(enumeration: &EnumType, place: Place<'_>, out: &mut Vec<Diagnostic>) {
    let mut variants = Scope::new(place, names::ENUM_VARIANTS);
    for value in &enumeration.values {
        let what = format!("the value {} of `{}`", value.value, enumeration.name);
        let at = At::Value(value.site.within(&["name"]));
        variants.claim(out, &value.variant, what, at, Fix::Rename);
    }
}

fn check_body(body: &Body, place: Place<'_>, items: &mut Scope<'_>, out: &mut Vec<Diagnostic>) {
    let what = format!("body type `{}`", body.name);
    items.claim(out, &body.name, what, &body.site, Fix::Rename);
    let mut variants = Scope::new(place, &[]);
    let mut functions = Scope::new(place, names::BODY_FUNCTIONS);
    for variant in &body.variants {
        let what = format!("alternative `{}`", variant.constructor);
        variants.claim(out, &variant.variant, &what, &variant.site, Fix::Rename);
        functions.claim(out, &variant.constructor, &what, &variant.site, Fix::Rename);
        // A struct alternative's parts are its fields and setters; a single part is the
        // constructor's argument. Either way their names are Rust names.
        let mut members = match &variant.shape {
            VariantShape::Struct { name } => {
                items.claim(out, name, &what, &variant.site, Fix::Rename);
                Scope::new(place, names::ALTERNATIVE_MEMBERS)
            }
            VariantShape::Single(_) => Scope::new(place, &[]),
        };
        for part in variant.inputs() {
            let what = format!("part `{}`", part.wire);
            members.claim_member(out, &part.rust, what, &part.site);
        }
    }
}

/// The request builder's fields and methods and the entry method's arguments, which share
/// the parameters' names; and the error enum's variants.
fn check_operation(op: &Operation, place: Place<'_>, out: &mut Vec<Diagnostic>) {
    let mut members = Scope::new(place, names::BUILDER_MEMBERS);
    if op.body.is_some() {
        members.reserve(names::BODY_MEMBER);
    }
    for param in op.path_params.iter().chain(&op.query_params) {
        let what = format!("parameter `{}`", param.wire);
        members.claim_member(out, &param.rust, what, &param.site);
    }
    let mut variants = Scope::new(place, names::ERROR_VARIANTS);
    for error in &op.errors {
        let what = format!("error code `{}`", error.code);
        let at = At::Value(error.site.within(&["code"]));
        variants.claim(out, &error.variant, what, at, Fix::Rename);
    }
}

impl Site {
    /// The site of a top-level entry of a file.
    fn of(keys: &[&str]) -> Site {
        Site::default().within(keys)
    }

    /// The site of an entry inside this one.
    fn within(&self, keys: &[&str]) -> Site {
        let mut path = self.0.clone();
        path.extend(keys.iter().map(|key| Segment::from(*key)));
        Site(path)
    }
}

/// Where a diagnostic points: at an entry's key (the entry names the thing: a field, an
/// operation), or at a scalar's value (the value is the name: an error code, a version).
enum At<'a> {
    Key(&'a Site),
    Value(Site),
}

impl<'a> From<&'a Site> for At<'a> {
    fn from(site: &'a Site) -> Self {
        At::Key(site)
    }
}

/// A spec file, to locate diagnostics in.
#[derive(Clone, Copy)]
struct Place<'s> {
    file: &'s str,
    map: &'s SourceMap,
}

impl Place<'_> {
    fn at<'a>(&self, at: impl Into<At<'a>>, code: Code, message: String) -> Diagnostic {
        let location = match at.into() {
            At::Key(site) => self.map.key(&site.0),
            At::Value(site) => self.map.value(&site.0),
        };
        Diagnostic::new(self.file.to_owned(), location, code, message)
    }
}

/// One Rust scope: the names taken in it, and by what.
struct Scope<'s> {
    place: Place<'s>,
    taken: BTreeMap<String, Taker>,
}

/// What holds a name.
enum Taker {
    /// The generated code, for this role.
    Generated(&'static str),
    /// A spec entry, as described.
    Spec(String),
}

impl<'s> Scope<'s> {
    fn new(place: Place<'s>, reserved: &[Reserved]) -> Self {
        let mut scope = Scope {
            place,
            taken: BTreeMap::new(),
        };
        for name in reserved {
            scope.reserve(*name);
        }
        scope
    }

    fn reserve(&mut self, (name, role): Reserved) {
        self.taken
            .insert(ident::spelling(name), Taker::Generated(role));
    }

    /// Claims `name` for `what`, written at `site` of this scope's file; reports it when it is
    /// no identifier or its spelling is taken.
    fn claim<'a>(
        &mut self,
        out: &mut Vec<Diagnostic>,
        name: &str,
        what: impl Display,
        at: impl Into<At<'a>>,
        fix: Fix,
    ) {
        let place = self.place;
        self.claim_in(out, place, name, what, at, fix);
    }

    /// [`claim`](Self::claim) for a field, argument or method named after a key, parameter
    /// or part: its name (from `rust_name:` or the wire name) must also be snake_case.
    fn claim_member(
        &mut self,
        out: &mut Vec<Diagnostic>,
        name: &str,
        what: impl Display,
        site: &Site,
    ) {
        let bare = name.strip_prefix("r#").unwrap_or(name);
        if !ident::is_identifier(bare) || !passes_snake_case_lint(bare) {
            out.push(
                self.place
                    .at(
                        At::Value(site.within(&["rust_name"])),
                        Code::BadName,
                        format!("{what} becomes `{name}`, which is not a snake_case Rust name"),
                    )
                    .with_hint("set `rust_name:` to a snake_case name"),
            );
            return;
        }
        self.claim(out, name, what, site, Fix::RustName);
    }

    /// [`claim`](Self::claim) for a name written in another file of the spec folder (a
    /// version's accessor, in a scope of the crate root).
    fn claim_in<'a>(
        &mut self,
        out: &mut Vec<Diagnostic>,
        place: Place<'_>,
        name: &str,
        what: impl Display,
        at: impl Into<At<'a>>,
        fix: Fix,
    ) {
        let at = at.into();
        if !ident::is_identifier(name) {
            out.push(
                place
                    .at(
                        at,
                        Code::BadName,
                        format!("{what} does not make a Rust name (got `{name}`)"),
                    )
                    .with_hint(fix.hint(false)),
            );
            return;
        }
        let spelling = ident::spelling(name);
        let (problem, with_generated) = match self.taken.get(&spelling) {
            None => {
                self.taken.insert(spelling, Taker::Spec(what.to_string()));
                return;
            }
            Some(Taker::Generated(role)) => (
                format!("{what} becomes `{spelling}`, which is {role}"),
                true,
            ),
            Some(Taker::Spec(first)) => (
                format!("{first} and {what} both become `{spelling}`"),
                false,
            ),
        };
        out.push(
            place
                .at(at, Code::NameCollision, problem)
                .with_hint(fix.hint(with_generated)),
        );
    }
}

/// Whether rustc's `non_snake_case` lint accepts `name`: no capital, and no two underscores in
/// a row once leading and trailing ones are set aside.
fn passes_snake_case_lint(name: &str) -> bool {
    let inner = name.trim_matches('_');
    !inner.contains("__") && !inner.chars().any(char::is_uppercase)
}
