//! The intermediate representation: what will become Rust, with every name chosen and every
//! reference resolved.
//!
//! Lowering runs only on a validated spec. Emitters read this and nothing else: they never see
//! YAML, and they never decide a name (that is `ident`'s job, applied here). Items are kept in
//! `BTreeMap`s keyed by name so the output order never depends on file or hash order; object
//! fields keep page order, because that is the order reviewers compare with the page.

use std::collections::BTreeMap;

use crate::ident;
use crate::spec::LoadedSpec;
use crate::spec::model::{
    ApiSpec, CompositeDef, EmptyYield, ErrorDef, KeyDef, MultipartDef, OperationDef, ParamLocation,
    ScalarValue, SharedSpec, TypeDef,
};
use crate::spec::parsed::{PathSegment, PathTemplate, ResponseType};
use crate::spec::type_expr::TypeExpr;

/// The whole generated crate.
#[derive(Debug, Clone)]
pub struct Crate {
    /// Package metadata and crate docs.
    pub name: String,
    /// Package version.
    pub version: String,
    /// One-line package description.
    pub description: String,
    /// Crate-level documentation.
    pub doc: String,
    /// How requests are authorised (for docs).
    pub auth_doc: String,
    /// Data centres, in spec order.
    pub data_centers: Vec<DataCenter>,
    /// Environments, in spec order (empty when the spec names none).
    pub environments: Vec<Environment>,
    /// Every error code of `shared.yaml`, in spec order.
    pub error_codes: Vec<ErrorCode>,
    /// Products by id.
    pub products: BTreeMap<String, Product>,
}

/// A data centre.
#[derive(Debug, Clone)]
pub struct DataCenter {
    /// Short id (`eu`).
    pub id: String,
    /// Variant name (`Eu`).
    pub variant: String,
    /// Display name.
    pub name: String,
    /// Accounts server URL.
    pub accounts: String,
}

/// An error code as `shared.yaml` lists it, across pages.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// The code (`INVALID_MODULE`).
    pub code: String,
    /// Its usual HTTP status.
    pub status: u16,
    /// Other statuses some page gives it.
    pub other_statuses: Vec<u16>,
    /// What it means.
    pub doc: String,
}

/// An environment of an organisation.
#[derive(Debug, Clone)]
pub struct Environment {
    /// Id (`sandbox`).
    pub id: String,
    /// Variant name (`Sandbox`).
    pub variant: String,
    /// Display name.
    pub name: String,
    /// Docs.
    pub doc: String,
    /// Whether its hosts are the default origins.
    pub default: bool,
}

/// A product and its versions.
#[derive(Debug, Clone)]
pub struct Product {
    /// Id and module name (`crm`).
    pub id: String,
    /// Display name (`Zoho CRM`).
    pub name: String,
    /// Module docs.
    pub doc: String,
    /// Developer documentation.
    pub source: String,
    /// Versions by module name (`v2_1`).
    pub apis: BTreeMap<String, Api>,
}

/// One product version: one Rust module.
#[derive(Debug, Clone)]
pub struct Api {
    /// Product id (`crm`).
    pub product: String,
    /// Product display name (`Zoho CRM`).
    pub product_name: String,
    /// Version as Zoho writes it (`v2.1`).
    pub version: String,
    /// Module name (`v2_1`).
    pub module: String,
    /// Entry-point type (`CrmV2_1`).
    pub entry_type: String,
    /// Accessor on the client (`crm_v2_1`).
    pub accessor: String,
    /// Title.
    pub title: String,
    /// Module docs.
    pub doc: String,
    /// Documentation page.
    pub source: String,
    /// The spec file it comes from (`crm-v2.1.yaml`).
    pub spec_file: String,
    /// Path prefix (`/crm/v2.1`).
    pub prefix: String,
    /// Origins per data-centre id, in data-centre order.
    pub origins: Vec<(String, String)>,
    /// Data centres without a documented host (for docs).
    pub missing_data_centers: Vec<String>,
    /// Whether a token's `api_domain` replaces the origins.
    pub follows_api_domain: bool,
    /// Origins of non-default environments: (environment, data centre, origin).
    pub environment_origins: Vec<(String, String, String)>,
    /// The module enumeration, when the version has modules.
    pub modules: Option<ModuleEnum>,
    /// Named subsets of the modules, by enum name.
    pub module_sets: BTreeMap<String, ModuleSet>,
    /// Named types by name.
    pub types: BTreeMap<String, TypeItem>,
    /// Request bodies by type name.
    pub bodies: BTreeMap<String, Body>,
    /// Operations by name.
    pub operations: BTreeMap<String, Operation>,
    /// Composite operations by name.
    pub composites: BTreeMap<String, Composite>,
    /// Remarks on the whole file.
    pub notes: Vec<String>,
}

/// The modules of a version.
#[derive(Debug, Clone)]
pub struct ModuleEnum {
    /// Built-in modules, page order.
    pub variants: Vec<ModuleVariant>,
    /// The custom-module entry, if the page lists one.
    pub custom: Option<ModuleVariant>,
}

/// One module.
#[derive(Debug, Clone)]
pub struct ModuleVariant {
    /// Variant name (`PriceBooks`).
    pub variant: String,
    /// Display name (`Price Books`).
    pub display: String,
    /// API name (`Price_Books`); empty for the custom entry.
    pub api_name: String,
    /// Scope name (`pricebooks`).
    pub scope: String,
    /// Remark.
    pub note: Option<String>,
}

/// A subset of a version's modules, with an enum of its own.
#[derive(Debug, Clone)]
pub struct ModuleSet {
    /// Enum name (`PhotoModule`).
    pub name: String,
    /// Docs.
    pub doc: String,
    /// Where the subset is documented.
    pub source: String,
    /// Remark.
    pub note: Option<String>,
    /// Its built-in modules, in the order the spec lists them.
    pub variants: Vec<ModuleVariant>,
    /// The custom-module entry, when the set includes it.
    pub custom: Option<ModuleVariant>,
}

/// A named type.
#[derive(Debug, Clone)]
pub enum TypeItem {
    /// A JSON object.
    Object(ObjectType),
    /// An enumeration.
    Enum(EnumType),
}

/// A JSON object type.
#[derive(Debug, Clone)]
pub struct ObjectType {
    /// Type name.
    pub name: String,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
    /// Fields, page order.
    pub fields: Vec<Field>,
    /// Whether every field has a default (so the type can derive `Default`).
    pub defaultable: bool,
    /// Whether no field holds a float, even through other types (so it can derive `Eq`).
    pub total_eq: bool,
    /// Whether it is sent in a JSON body, directly or inside another type (so users build it).
    pub request: bool,
}

/// A field of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Key on the wire.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// Value type.
    pub ty: TypeExpr,
    /// Always present.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Seen only in the sample.
    pub undocumented: bool,
    /// The value a request type's constructor sets.
    pub default: Option<ScalarValue>,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// An enumeration with a catch-all for values the crate does not know.
#[derive(Debug, Clone)]
pub struct EnumType {
    /// Type name.
    pub name: String,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
    /// Integer values (else strings).
    pub integer: bool,
    /// The known values.
    pub values: Vec<EnumValue>,
}

/// A known enumeration value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// On the wire.
    pub value: ScalarValue,
    /// Variant name.
    pub variant: String,
    /// Docs.
    pub doc: String,
}

/// A multipart request body: exactly one of several alternatives.
#[derive(Debug, Clone)]
pub struct Body {
    /// Type name (`Upload`).
    pub name: String,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
    /// The alternatives, spec order.
    pub variants: Vec<BodyVariant>,
    /// The largest accepted sum of the parts' sizes.
    pub max_bytes: Option<u64>,
}

/// One alternative of a body.
#[derive(Debug, Clone)]
pub struct BodyVariant {
    /// Constructor name (`link`).
    pub constructor: String,
    /// Variant name (`Link`).
    pub variant: String,
    /// Docs.
    pub doc: String,
    /// Its parts, send order, fixed ones included.
    pub parts: Vec<Part>,
    /// How it holds its inputs.
    pub shape: VariantShape,
}

impl BodyVariant {
    /// The parts the caller supplies (not the fixed ones).
    pub fn inputs(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(|part| part.fixed.is_none())
    }
}

/// How an alternative holds its inputs.
#[derive(Debug, Clone)]
pub enum VariantShape {
    /// One required input: the variant holds its value directly.
    Single(Part),
    /// Several inputs: the variant holds a struct with a builder for the optional ones.
    Struct {
        /// The struct's name (`UploadLink`).
        name: String,
    },
}

/// A part of a multipart body.
#[derive(Debug, Clone)]
pub struct Part {
    /// Form field name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// A file, or text.
    pub file: bool,
    /// Must be sent.
    pub required: bool,
    /// Sent with this value always; not an input.
    pub fixed: Option<String>,
    /// Largest accepted file size.
    pub max_bytes: Option<u64>,
    /// Fewest accepted characters.
    pub min_length: Option<usize>,
    /// Most accepted characters.
    pub max_length: Option<usize>,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationBody {
    /// A multipart body, by its type name.
    Multipart(String),
    /// A JSON body of an object type, by name.
    Json(String),
}

impl OperationBody {
    /// The Rust type of the body.
    pub fn type_name(&self) -> &str {
        match self {
            OperationBody::Multipart(name) | OperationBody::Json(name) => name,
        }
    }
}

/// What a successful call answers.
#[derive(Debug, Clone)]
pub struct Response {
    /// The success status.
    pub status: u16,
    /// What the body holds.
    pub kind: ResponseKind,
    /// A success status without a body.
    pub empty: Option<Empty>,
    /// Where the answer reports each item's outcome, when it does.
    pub outcomes: Option<Outcomes>,
}

/// Where a successful answer reports the outcome of each item (Zoho's per-item status).
#[derive(Debug, Clone)]
pub struct Outcomes {
    /// The wire key of the list of outcomes; `None` when the answer is the one outcome.
    pub list: Option<String>,
    /// The wire key of an outcome's status.
    pub key: String,
    /// The status value of a success.
    pub success: String,
    /// For a call on several items, what `send` returns one outcome of per item.
    pub per_item: Option<PerItem>,
}

/// A call on several items: `send` returns an outcome per item.
#[derive(Debug, Clone)]
pub struct PerItem {
    /// The Rust name of the query parameter naming the items.
    pub param: String,
    /// Its wire name.
    pub wire: String,
    /// The Rust type of one item's outcome.
    pub item_type: String,
}

/// What an operation moves, which decides its default time limit in the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// No file: lists, deletions, links, JSON bodies.
    Call,
    /// A multipart body with a file part.
    UploadsFile,
    /// A file answer.
    DownloadsFile,
}

impl OperationKind {
    /// The runtime's `OperationKind` variant.
    pub fn variant(self) -> &'static str {
        match self {
            OperationKind::Call => "Call",
            OperationKind::UploadsFile => "UploadsFile",
            OperationKind::DownloadsFile => "DownloadsFile",
        }
    }
}

/// The body of a successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseKind {
    /// A JSON object of this type.
    Object(String),
    /// A JSON array of objects of this type.
    List(String),
    /// File content.
    Binary {
        /// The content types the page lists.
        content_types: Vec<String>,
    },
}

/// How a list operation pages, in Rust names.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The answer field holding the items.
    pub items: Field,
    /// The item type.
    pub item_type: String,
    /// The answer field holding the paging facts.
    pub info: Field,
    /// `more_records` in the facts.
    pub more_records: Field,
    /// `page` in the facts, when paging by number.
    pub page: Option<Field>,
    /// `next_page_token` in the facts, when paging by token.
    pub next_page_token: Option<Field>,
    /// The page-number parameter's Rust name.
    pub page_param: Option<String>,
    /// The page-token parameter's Rust name.
    pub token_param: Option<String>,
}

/// A success status without a body.
#[derive(Debug, Clone)]
pub struct Empty {
    /// The status.
    pub status: u16,
    /// What the call returns for it.
    pub yields: EmptyYield,
    /// What it means.
    pub doc: String,
}

/// An operation made of two: the first's answer feeds the second's JSON body.
#[derive(Debug, Clone)]
pub struct Composite {
    /// snake_case name, the entry-point method.
    pub name: String,
    /// Builder type.
    pub builder: String,
    /// Error enum.
    pub error: String,
    /// One line.
    pub summary: String,
    /// More docs.
    pub doc: Option<String>,
    /// Documentation page.
    pub source: String,
    /// Remarks.
    pub notes: Vec<String>,
    /// The first operation's name.
    pub first: String,
    /// The second operation's name.
    pub then: String,
    /// The field of the second body that receives the entries.
    pub list_field: String,
    /// Whether that field is an `Option`.
    pub list_optional: bool,
    /// The entry type.
    pub entry_type: String,
    /// Fields copied from each answer item into its entry.
    pub copy: Vec<CopiedField>,
    /// Entry fields set to fixed values.
    pub set: Vec<FixedField>,
}

/// A field copied from an answer item into an entry.
#[derive(Debug, Clone)]
pub struct CopiedField {
    /// The Rust field name (the same key on both sides).
    pub rust: String,
    /// The item's value must be wrapped in `Some` (required there, optional in the entry).
    pub wrap: bool,
}

/// An entry field set to a fixed value.
#[derive(Debug, Clone)]
pub struct FixedField {
    /// The Rust field name.
    pub rust: String,
    /// Its type.
    pub ty: TypeExpr,
    /// The value.
    pub value: ScalarValue,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// An operation: a builder type, an entry-point method, an error enum.
#[derive(Debug, Clone)]
pub struct Operation {
    /// snake_case name, the entry-point method.
    pub name: String,
    /// Builder type (`ListAttachments`).
    pub builder: String,
    /// Error enum (`ListAttachmentsError`).
    pub error: String,
    /// One line.
    pub summary: String,
    /// More docs.
    pub doc: Option<String>,
    /// Remarks.
    pub notes: Vec<String>,
    /// Documentation page.
    pub source: String,
    /// HTTP method.
    pub method: String,
    /// The path template as written.
    pub path_template: String,
    /// The path, split into literal text and parameters.
    pub path: Vec<PathPiece>,
    /// Path parameters, template order.
    pub path_params: Vec<Param>,
    /// Query parameters, spec order.
    pub query_params: Vec<Param>,
    /// Request body, if any.
    pub body: Option<OperationBody>,
    /// Whether it uploads or downloads a file.
    pub kind: OperationKind,
    /// Scopes.
    pub scopes: Scopes,
    /// What a success answers.
    pub response: Response,
    /// How to walk its pages, for list operations that page.
    pub paging: Option<Paging>,
    /// Documented errors, one per code, page order of first appearance.
    pub errors: Vec<ErrorVariant>,
    /// Sample response JSON.
    pub sample_response: Option<String>,
    /// Sample request, verbatim.
    pub sample_request: Option<String>,
}

impl Operation {
    /// The module parameter, if the operation has one.
    pub fn module_param(&self) -> Option<&Param> {
        self.path_params
            .iter()
            .find(|param| param.ty == TypeExpr::Module)
    }

    /// Arguments of the entry-point method, in order: path parameters, required query
    /// parameters.
    pub fn required_args(&self) -> impl Iterator<Item = &Param> {
        self.path_params
            .iter()
            .chain(self.query_params.iter().filter(|param| param.required))
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    /// Text sent as written.
    Literal(String),
    /// A path parameter, by its index in `path_params`.
    Param(usize),
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Type.
    pub ty: TypeExpr,
    /// Required (path parameters always).
    pub required: bool,
    /// For module parameters, the module set restricting them.
    pub set: Option<String>,
    /// Smallest accepted integer.
    pub minimum: Option<i64>,
    /// Largest accepted integer.
    pub maximum: Option<i64>,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
}

/// Scope requirements.
#[derive(Debug, Clone)]
pub struct Scopes {
    /// Groups of alternatives; every group must be satisfied.
    pub groups: Vec<Vec<String>>,
    /// Operation types with docs, broadest first.
    pub operations: Vec<(String, String)>,
    /// Remark.
    pub note: Option<String>,
}

/// One documented error code of an operation.
#[derive(Debug, Clone)]
pub struct ErrorVariant {
    /// The code (`INVALID_MODULE`).
    pub code: String,
    /// Variant name (`InvalidModule`).
    pub variant: String,
    /// HTTP statuses, in page order (usually one).
    pub statuses: Vec<u16>,
    /// The page's rows for this code.
    pub rows: Vec<ErrorRow>,
}

/// One row of a page's error table.
#[derive(Debug, Clone)]
pub struct ErrorRow {
    /// The row's HTTP status.
    pub status: u16,
    /// Message, if the page kept it.
    pub message: Option<String>,
    /// Resolution, when the source gives one.
    pub resolution: Option<String>,
    /// Where a lost code was recovered from.
    pub recovered_from: Option<String>,
    /// Remark.
    pub note: Option<String>,
}

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
            })
            .apis
            .insert(api.module.clone(), api);
    }
    Ok(Crate {
        name: shared.crate_info.name.clone(),
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
            };
            (name.clone(), lowered)
        })
        .collect();

    let mut types = BTreeMap::new();
    for (name, def) in &api.types {
        types.insert(name.clone(), lower_type(name, def)?);
    }
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
            let lowered = lower_body(multipart);
            bodies.insert(lowered.name.clone(), lowered);
        }
        let mut operation = lower_operation(name, def)?;
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
                    .filter_map(|field| field.ty.named().map(str::to_owned)),
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
    let entry_type = match &list.ty {
        TypeExpr::List(inner) => inner.named().map(str::to_owned),
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
                ty: field.ty,
                value: value.clone(),
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
        first: def.first.clone(),
        then: def.then.clone(),
        list_field: list.rust.clone(),
        list_optional: list.optional(),
        entry_type,
        copy,
        set,
    })
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
                .map(|value| EnumValue {
                    value: value.value.clone(),
                    variant: value.name.clone(),
                    doc: value.doc.clone(),
                })
                .collect(),
        }));
    }
    let keys = def
        .keys
        .as_ref()
        .ok_or_else(|| format!("type `{name}` has neither keys nor values"))?;
    let fields = keys
        .iter()
        .map(|(wire, key)| lower_field(wire, key))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TypeItem::Object(ObjectType {
        name: name.to_owned(),
        doc: def.doc.clone(),
        note: def.note.clone(),
        fields,
        defaultable: true,
        total_eq: true,
        request: false,
    }))
}

fn lower_field(wire: &str, key: &KeyDef) -> Result<Field, String> {
    Ok(Field {
        wire: wire.to_owned(),
        rust: ident::member(wire, key.rust_name.as_deref()),
        ty: key.ty.valid()?.clone(),
        required: key.required,
        nullable: key.nullable,
        undocumented: key.undocumented,
        default: key.default.clone(),
        doc: key.doc.clone(),
        note: key.note.clone(),
    })
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
                    .all(|field| field.optional() || has_default(&field.ty, &snapshot));
                let total_eq = object
                    .fields
                    .iter()
                    .all(|field| is_total_eq(&field.ty, &snapshot));
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

fn has_default(ty: &TypeExpr, named: &BTreeMap<String, (bool, bool)>) -> bool {
    match ty {
        TypeExpr::Named(name) => named.get(name).is_some_and(|flags| flags.0),
        TypeExpr::DateTime => false,
        _ => true,
    }
}

fn is_total_eq(ty: &TypeExpr, named: &BTreeMap<String, (bool, bool)>) -> bool {
    match ty {
        TypeExpr::Number => false,
        TypeExpr::List(inner) => is_total_eq(inner, named),
        TypeExpr::Named(name) => named.get(name).is_none_or(|flags| flags.1),
        _ => true,
    }
}

fn lower_body(multipart: &MultipartDef) -> Body {
    Body {
        name: multipart.type_name.clone(),
        doc: multipart.doc.clone(),
        note: multipart.note.clone(),
        max_bytes: multipart.max_bytes,
        variants: multipart
            .one_of
            .iter()
            .map(|(name, variant)| {
                let parts: Vec<Part> = variant
                    .parts
                    .iter()
                    .map(|(wire, part)| Part {
                        wire: wire.clone(),
                        rust: ident::member(wire, part.rust_name.as_deref()),
                        file: part.ty.get() == Some(&TypeExpr::File),
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
                }
            })
            .collect(),
    }
}

fn lower_operation(name: &str, def: &OperationDef) -> Result<Operation, String> {
    let template = def.path.valid()?;
    let placeholders: Vec<&str> = template.params().collect();
    let param = |wire: &str| -> Result<Param, String> {
        let spec = def
            .params
            .get(wire)
            .ok_or_else(|| format!("parameter `{wire}` is not declared"))?;
        Ok(Param {
            wire: wire.to_owned(),
            rust: ident::member(wire, spec.rust_name.as_deref()),
            ty: spec.ty.valid()?.clone(),
            required: spec.required || spec.location == ParamLocation::Path,
            set: spec.set.clone(),
            minimum: spec.minimum,
            maximum: spec.maximum,
            doc: spec.doc.clone(),
            note: spec.note.clone(),
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
        summary: def.summary.clone(),
        doc: def.doc.clone(),
        notes: def.notes.clone(),
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
        errors: group_errors(&def.errors),
        sample_response: def.sample_response.clone(),
        sample_request: def.sample_request.clone(),
    })
}

fn lower_paging(
    name: &str,
    def: &crate::spec::model::PagingDef,
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
        .ty
        .named()
        .ok_or_else(|| format!("`{name}` paging: `{}` holds no objects", def.items))?
        .to_owned();
    let info = field(answer, &def.info)?;
    let info_type = object(
        info.ty
            .named()
            .ok_or_else(|| format!("`{name}` paging: `{}` is not an object", def.info))?,
    )?;
    let param = |wire: &Option<String>| {
        wire.as_ref().map(|wire| {
            operation
                .query_params
                .iter()
                .find(|param| &param.wire == wire)
                .map(|param| param.rust.clone())
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
    def: &crate::spec::model::OutcomesDef,
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
                .and_then(|field| field.ty.named())
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

fn lower_response(def: &crate::spec::model::ResponseDef) -> Result<Response, String> {
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
            yields: empty.yields,
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
fn group_errors(rows: &[ErrorDef]) -> Vec<ErrorVariant> {
    let mut variants: Vec<ErrorVariant> = Vec::new();
    for row in rows {
        let lowered = ErrorRow {
            status: row.status,
            message: row.message.clone(),
            resolution: row.resolution.clone(),
            recovered_from: row.recovered_from.clone(),
            note: row.note.clone(),
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
        let template: crate::spec::parsed::Parsed<PathTemplate> =
            crate::spec::parsed::Parsed::new("/{module_api_name}/{record_id}/Attachments");
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

    fn object(name: &str, fields: Vec<(&str, TypeExpr, bool)>) -> (String, TypeItem) {
        let fields = fields
            .into_iter()
            .map(|(wire, ty, required)| Field {
                wire: wire.into(),
                rust: wire.into(),
                ty,
                required,
                nullable: false,
                undocumented: false,
                default: None,
                doc: "d".into(),
                note: None,
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
        };
        (name.into(), TypeItem::Object(object))
    }

    #[test]
    fn derives_follow_references_between_types() {
        let named = |name: &str| TypeExpr::Named(name.into());
        let mut types: BTreeMap<String, TypeItem> = [
            object("Inner", vec![("x", TypeExpr::Number, false)]),
            object(
                "Outer",
                vec![("inner", TypeExpr::List(Box::new(named("Inner"))), false)],
            ),
            object("Outermost", vec![("outer", named("Outer"), true)]),
            object("Plain", vec![("when", TypeExpr::DateTime, true)]),
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
    fn errors_group_by_code_in_page_order() {
        let row = |code: &str, message: &str| ErrorDef {
            code: code.into(),
            status: 400,
            message: Some(message.into()),
            resolution: Some("r".into()),
            recovered_from: None,
            note: None,
        };
        let grouped = group_errors(&[
            row("INVALID_MODULE", "a"),
            row("NO_PERMISSION", "b"),
            row("INVALID_MODULE", "c"),
        ]);
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].variant, "InvalidModule");
        assert_eq!(grouped[0].rows.len(), 2);
        assert_eq!(grouped[1].code, "NO_PERMISSION");
    }
}
