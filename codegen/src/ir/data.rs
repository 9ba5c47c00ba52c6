//! The IR's data: what will become Rust, every name and type decided.

use std::collections::BTreeMap;

use super::rust_type::{ParamInput, RustType, Scalar};
use crate::load::yaml::Segment;

/// The whole generated crate.
#[derive(Debug, Clone)]
pub struct Crate {
    /// The package name (`zoho-attachments`).
    pub name: String,
    /// The crate's name in Rust paths (`zoho_attachments`).
    pub lib_name: String,
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
    /// Where it is in `shared.yaml`.
    pub site: Site,
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
    /// Where it is in `shared.yaml`.
    pub site: Site,
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
    /// Where it is in `shared.yaml`.
    pub site: Site,
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
    /// Where it is in the spec.
    pub site: Site,
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
    /// Where it is in the spec.
    pub site: Site,
}

/// A named type.
#[derive(Debug, Clone)]
pub enum TypeItem {
    /// A JSON object.
    Object(ObjectType),
    /// An enumeration.
    Enum(EnumType),
}

impl TypeItem {
    /// Its Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeItem::Object(object) => &object.name,
            TypeItem::Enum(enumeration) => &enumeration.name,
        }
    }

    /// Where it is in the spec.
    pub fn site(&self) -> &Site {
        match self {
            TypeItem::Object(object) => &object.site,
            TypeItem::Enum(enumeration) => &enumeration.site,
        }
    }
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
    /// Where it is in the spec.
    pub site: Site,
}

/// A field of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Key on the wire.
    pub wire: String,
    /// Rust field name.
    pub rust: String,
    /// The type of its value (`Box<T>` when `T` contains this field's type).
    pub value: RustType,
    /// Always present.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Seen only in the sample.
    pub undocumented: bool,
    /// The value a request type's constructor sets.
    pub default: Option<Scalar>,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
    /// Where it is in the spec.
    pub site: Site,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// Whether a value it cannot read is kept raw (its value is a `Tolerant`).
    pub fn tolerant(&self) -> bool {
        matches!(self.value, RustType::Tolerant(_))
    }

    /// The Rust type of the field: its value, in an `Option` when it may be absent or null.
    pub fn rust_type(&self) -> RustType {
        if self.optional() {
            self.value.clone().optional()
        } else {
            self.value.clone()
        }
    }
}

/// Where an item of the IR was written in the spec: the path of its entry in the file of its
/// product version (or in `shared.yaml`), so that a problem with its Rust name is reported
/// where a maintainer can fix it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site(pub Vec<Segment>);

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
    /// Where it is in the spec.
    pub site: Site,
}

/// A known enumeration value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// On the wire.
    pub value: Scalar,
    /// Variant name.
    pub variant: String,
    /// Docs.
    pub doc: String,
    /// Where it is in the spec.
    pub site: Site,
}

/// A multipart request body: exactly one of several alternatives.
#[derive(Debug, Clone)]
pub struct Body {
    /// Type name (`Upload`).
    pub name: String,
    /// The operation that declares it.
    pub operation: String,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
    /// The alternatives, spec order.
    pub variants: Vec<BodyVariant>,
    /// The largest accepted sum of the parts' sizes.
    pub max_bytes: Option<u64>,
    /// The one alternative that is just a file, which `From<FilePart>` makes.
    pub file_variant: Option<String>,
    /// Whether the body also has the `path` and `bytes` shortcuts to that alternative (not
    /// when an alternative takes one of those names).
    pub file_shortcuts: bool,
    /// Where it is in the spec (`operations.<op>.body.multipart`).
    pub site: Site,
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
    /// Where it is in the spec.
    pub site: Site,
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
    /// Where it is in the spec.
    pub site: Site,
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
    /// The page-number query parameter.
    pub page_param: Option<Param>,
    /// The page-token query parameter.
    pub token_param: Option<Param>,
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

/// What a call returns for a success without a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmptyYield {
    /// `None` (the call returns an `Option`).
    None,
    /// The answer type's empty value (`Default::default()`).
    Default,
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
    /// Why the composite is unconfirmed, when it is.
    pub unconfirmed: Option<String>,
    /// The first operation's name.
    pub first: String,
    /// The second operation's name.
    pub then: String,
    /// The error variant of a failed first step (`ListAttachments`).
    pub first_variant: String,
    /// The error variant of a failed second step.
    pub then_variant: String,
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
    /// Where it is in the spec.
    pub site: Site,
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
    /// The type of its value.
    pub value_type: RustType,
    /// The value.
    pub value: Scalar,
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
    /// The static describing it to the runtime (`LIST_ATTACHMENTS`).
    pub info: String,
    /// The generated test of its sample answer (`crm_v8_list_attachments_sample_round_trips`).
    pub sample_test: String,
    /// One line.
    pub summary: String,
    /// More docs.
    pub doc: Option<String>,
    /// Remarks.
    pub notes: Vec<String>,
    /// Why the call is unconfirmed, when no source confirms it.
    pub unconfirmed: Option<String>,
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
    /// What it does to Zoho's records: the `zoho_runtime::model::Effect` variant, when the spec
    /// says.
    pub effect: Option<String>,
    /// Documented errors, one per code, page order of first appearance.
    pub errors: Vec<ErrorVariant>,
    /// Sample response JSON.
    pub sample_response: Option<String>,
    /// Sample request, verbatim.
    pub sample_request: Option<String>,
    /// Where it is in the spec.
    pub site: Site,
}

impl Operation {
    /// The module parameter, if the operation has one.
    pub fn module_param(&self) -> Option<&Param> {
        self.path_params
            .iter()
            .find(|param| matches!(param.input, ParamInput::Module(_)))
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
    /// What it takes.
    pub input: ParamInput,
    /// Required (path parameters always).
    pub required: bool,
    /// Smallest accepted integer.
    pub minimum: Option<i64>,
    /// Largest accepted integer.
    pub maximum: Option<i64>,
    /// Docs.
    pub doc: String,
    /// Remark.
    pub note: Option<String>,
    /// Where it is in the spec.
    pub site: Site,
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
    /// Where its first row is in the spec.
    pub site: Site,
}

/// One row of a page's error table.
#[derive(Debug, Clone)]
pub struct ErrorRow {
    /// The row's HTTP status.
    pub status: u16,
    /// Message, when the row's source gives one.
    pub message: Option<String>,
    /// Resolution, when the source gives one.
    pub resolution: Option<String>,
    /// Remark for users.
    pub note: Option<String>,
    /// Whether the row is on the operation's page, and if not, what kind of source gave it.
    pub origin: RowOrigin,
}

/// Where an error row comes from, as users are told it (the spec's `recovered_from` keeps the
/// details for maintainers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOrigin {
    /// On the operation's own page.
    Page,
    /// Not on the page: recovered from this public address (another Zoho page, Zoho's
    /// OpenAPI files).
    Address(String),
    /// Not on the page: the same row of a sibling operation's page (another spec file).
    Sibling,
    /// Not on any public page found: the project's research notes.
    Unpublished,
}

impl RowOrigin {
    /// Reads a row's `recovered_from`: its first public address, else a sibling spec file
    /// named first (`crm-v7.yaml list_attachments`), else the research notes.
    pub fn of(recovered_from: Option<&str>) -> Self {
        let Some(text) = recovered_from else {
            return RowOrigin::Page;
        };
        if let Some(start) = text.find("https://") {
            let rest = &text[start..];
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')']);
            return RowOrigin::Address(url.to_owned());
        }
        let first_word = text.split_whitespace().next().unwrap_or_default();
        if first_word.ends_with(".yaml") {
            RowOrigin::Sibling
        } else {
            RowOrigin::Unpublished
        }
    }
}
