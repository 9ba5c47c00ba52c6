//! The spec as written: serde types for `spec/shared.yaml` and one file per product/version.
//!
//! These types mirror the YAML one to one (`deny_unknown_fields` everywhere, so a misspelt key is
//! an error, not silently ignored). Values that are little languages (type expressions, path and
//! scope templates) are parsed as they load ([`Parsed`]). The types hold no Rust naming and no
//! resolved references: that is the job of `validate` and `ir`. `spec/README.md` documents the
//! format for maintainers.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::parsed::{Parsed, PathTemplate, ResponseType, ScopeTemplate};
use super::type_expr::TypeExpr;

/// `spec/shared.yaml`: facts every product and version refers to, written once.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedSpec {
    /// Metadata of the generated crate.
    #[serde(rename = "crate")]
    pub crate_info: CrateInfo,
    /// Products, keyed by the identifier product files use (`crm`).
    pub products: IndexMap<String, ProductDef>,
    /// Zoho data centres, keyed by a short lower-case id (`us`, `eu`).
    pub data_centers: IndexMap<String, DataCenterDef>,
    /// Environments of an organisation (production, sandbox, developer), keyed by id; exactly
    /// one is the default, whose hosts are a host set's `origins`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub environments: IndexMap<String, EnvironmentDef>,
    /// Named sets of API origins, one per data centre (`zohoapis`).
    pub hosts: IndexMap<String, HostSetDef>,
    /// How requests are authorised.
    pub auth: AuthDef,
    /// The JSON body Zoho answers with when a call fails.
    pub error_envelope: EnvelopeDef,
    /// Every error code the product files may use, with its usual HTTP status.
    pub errors: IndexMap<String, SharedErrorDef>,
}

/// Metadata of the generated crate.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrateInfo {
    /// Package name (`zoho-attachments`).
    #[schemars(pattern(r"^[A-Za-z][A-Za-z0-9_-]*$"))]
    pub name: String,
    /// Package version; bump it when the public API changes.
    pub version: String,
    /// One-line package description.
    pub description: String,
    /// Crate-level documentation (Markdown).
    pub doc: String,
}

/// A Zoho product (CRM, Bigin, Contracts).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductDef {
    /// Display name (`Zoho CRM`).
    pub name: String,
    /// Module documentation (Markdown).
    pub doc: String,
    /// The product's developer documentation.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
}

/// A Zoho data centre.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataCenterDef {
    /// Display name (`Europe`).
    pub name: String,
    /// The accounts server that issues and refreshes tokens there.
    pub accounts: String,
    /// Where this fact was published.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// An environment of a Zoho organisation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentDef {
    /// Display name (`Sandbox`).
    pub name: String,
    /// What it is, for the generated docs.
    pub doc: String,
    /// Where it is documented.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// Whether it is the one whose hosts are the host sets' `origins`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
}

/// A named set of origins, one per data centre.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostSetDef {
    /// What these hosts serve.
    pub doc: String,
    /// Where this fact was published.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// Origin (`https://www.zohoapis.eu`) per data-centre id.
    pub origins: IndexMap<String, String>,
    /// Whether a refreshed token's `api_domain` replaces these origins.
    #[serde(default, skip_serializing_if = "is_false")]
    pub follows_api_domain: bool,
    /// Origins of non-default environments: environment id → data-centre id → origin.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub environments: IndexMap<String, IndexMap<String, String>>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// How requests are authorised.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthDef {
    /// Header name (`Authorization`).
    pub header: String,
    /// Scheme written before the token (`Zoho-oauthtoken`).
    pub scheme: String,
    /// Explanation for the generated docs.
    pub doc: String,
    /// Where this fact was published.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
}

/// The JSON body of a failed call.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeDef {
    /// Explanation for the generated docs.
    pub doc: String,
    /// Where this fact was published.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// Its keys.
    pub keys: IndexMap<String, KeyDef>,
}

/// An error code as Zoho uses it across pages.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedErrorDef {
    /// The HTTP status the pages give for this code.
    pub status: u16,
    /// Other statuses some page gives it (explained in `note` or `provenance`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_statuses: Vec<u16>,
    /// What the code means, in general.
    pub doc: String,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// One product/version file, e.g. `spec/crm-v7.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiSpec {
    /// Product identifier, a key of `products` in `shared.yaml`.
    pub product: String,
    /// API version as Zoho writes it (`v2.1`).
    #[schemars(pattern(r"^v[0-9]+(\.[0-9]+)?$"))]
    pub version: String,
    /// Title for the generated module docs.
    pub title: String,
    /// Module documentation (Markdown).
    pub doc: String,
    /// The page this version's family is documented on.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// Where the version is served.
    pub server: ServerDef,
    /// Modules (by display name) whose records can carry attachments.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub modules: IndexMap<String, ModuleDef>,
    /// Named subsets of `modules`, for operations that accept only some of them.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub module_sets: IndexMap<String, ModuleSetDef>,
    /// Named response and value types.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub types: IndexMap<String, TypeDef>,
    /// The operations, keyed by their snake_case name (required; the loader checks presence).
    #[serde(default)]
    #[schemars(required, extend("propertyNames" = { "pattern": SNAKE_CASE }, "minProperties" = 1))]
    pub operations: IndexMap<String, OperationDef>,
    /// Operations made of two of the above, keyed by their snake_case name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": SNAKE_CASE }))]
    pub composites: IndexMap<String, CompositeDef>,
    /// What users need to know, one remark each: quirks that change how to call the API or
    /// read its answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// For maintainers, never printed into the generated crate, one remark each: where facts
    /// were read, what could not be read, which pages or files they came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<String>,
}

/// Where a product/version is served.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerDef {
    /// A key of `hosts` in `shared.yaml`.
    pub hosts: String,
    /// Path prefix before every operation path (`/crm/v7`).
    pub prefix: String,
    /// The data centres this version is documented for; all of the host set's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_centers: Option<Vec<String>>,
    /// The non-default environments this product has, among the host set's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// A module that records can belong to.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleDef {
    /// The API name used as path segment (`Price_Books`); absent for the custom-module entry,
    /// whose API name the caller supplies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_name: Option<String>,
    /// The lower-case name used in scopes (`pricebooks`).
    pub scope: String,
    /// Marks the entry that stands for any custom module.
    #[serde(default, skip_serializing_if = "is_false")]
    pub custom: bool,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// What of this entry knowingly departs from its page (the reason is in `provenance`,
    /// `note` or `recovered_from`): `zoho-codegen audit` reports those differences only with
    /// `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Departure>,
}

/// A named subset of a version's modules.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleSetDef {
    /// What the subset is.
    pub doc: String,
    /// Where the subset is documented.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// Display names, each a key of `modules`.
    pub modules: Vec<String>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// A named type: an object with `keys`, or an enumeration with `values`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Documentation, from the page where possible.
    pub doc: String,
    /// The object's keys, in page order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<IndexMap<String, KeyDef>>,
    /// The enumeration's values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<EnumValueDef>>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// What of this entry knowingly departs from its page (the reason is in `provenance`,
    /// `note` or `recovered_from`): `zoho-codegen audit` reports those differences only with
    /// `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Departure>,
}

/// A key of a JSON object.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyDef {
    /// Type expression: `string`, `integer`, `number`, `boolean`, `datetime`, `object`,
    /// `list<T>` or a type name.
    #[serde(rename = "type")]
    pub ty: Parsed<TypeExpr>,
    /// Description, from the page where possible.
    pub doc: String,
    /// The key is always present in an answer.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The value may be JSON `null`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// The key appears in the sample but not in the page's key table.
    #[serde(default, skip_serializing_if = "is_false")]
    pub undocumented: bool,
    /// A value the documented type cannot read (a timestamp in another format, a number sent as
    /// a word) is kept as it came instead of failing the whole answer: the field is a
    /// `zoho_runtime::Tolerant`. For scalar keys of answers only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tolerant: bool,
    /// Overrides the Rust field name derived from the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// In request types, the value the constructor sets (so it is not an argument).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ScalarValue>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// What of this entry knowingly departs from its page (the reason is in `provenance`,
    /// `note` or `recovered_from`): `zoho-codegen audit` reports those differences only with
    /// `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Departure>,
}

/// One value of an enumeration.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValueDef {
    /// The value on the wire.
    pub value: ScalarValue,
    /// The Rust variant name (UpperCamelCase).
    pub name: String,
    /// Description, from the page.
    pub doc: String,
}

/// An enumeration value: all values of one enumeration have the same kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ScalarValue {
    /// A JSON integer.
    Integer(i64),
    /// A JSON string.
    String(String),
}

/// One operation (one endpoint and method).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationDef {
    /// One line, from the page's Purpose.
    pub summary: String,
    /// Further documentation (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The page this operation is documented on.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// HTTP method.
    #[schemars(extend("enum" = ["GET", "POST", "PUT", "PATCH", "DELETE"]))]
    pub method: String,
    /// Path template after the server prefix, e.g. `/{module_api_name}/{record_id}/Attachments`.
    #[schemars(pattern(r"^/"))]
    pub path: Parsed<PathTemplate>,
    /// What the call does to the records it names, as the page's Purpose says. Tools that act
    /// like Zoho (the fake server) dispatch on it; the client's API does not depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<Effect>,
    /// Path and query parameters, keyed by their wire name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub params: IndexMap<String, ParamDef>,
    /// Request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyDef>,
    /// OAuth scopes the call needs.
    pub scopes: ScopesDef,
    /// The successful answer.
    pub response: ResponseDef,
    /// How to walk the pages of a list answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<PagingDef>,
    /// The page's "Possible Errors", one entry per row, in page order.
    pub errors: Vec<ErrorDef>,
    /// The page's sample request (curl), verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_request: Option<String>,
    /// The page's sample response, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_response: Option<String>,
    /// The sample response exactly as printed, when the printed copy is not valid JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_response_verbatim: Option<String>,
    /// What users need to know, one remark each: quirks that change how to call the API or
    /// read its answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why the call itself is unconfirmed, for users: what no Zoho page read confirms (its
    /// keys, scopes or shape). Printed as an `# Unconfirmed` section of its docs and flagged in
    /// `generated/README.md`; absent once a source confirms the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
    /// For maintainers, never printed into the generated crate, one remark each: where facts
    /// were read, what could not be read, which pages or files they came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<String>,
    /// Facts of the page that the spec knowingly leaves out or departs from where no entry of
    /// the spec holds them, named as `zoho-codegen audit` names them (`module-name notes`,
    /// `request-url`, `sample-response`); the reason is in `provenance`. `audit` reports them
    /// only with `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<String>,
}

/// A path or query parameter.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamDef {
    /// Where the parameter goes.
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// Type expression: `string`, `integer`, `boolean`, `list<string>` or `module`.
    #[serde(rename = "type")]
    pub ty: Parsed<TypeExpr>,
    /// The call fails without it (path parameters always are).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Description, from the page.
    pub doc: String,
    /// For `type: module`, a key of `module_sets` restricting the accepted modules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    /// For integers, the smallest accepted value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// For integers, the largest accepted value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    /// Overrides the Rust argument name derived from the wire name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// What of this entry knowingly departs from its page (the reason is in `provenance`,
    /// `note` or `recovered_from`): `zoho-codegen audit` reports those differences only with
    /// `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Departure>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    /// A segment of the path template.
    Path,
    /// The query string.
    Query,
}

/// A request body: exactly one of `multipart` or `json`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyDef {
    /// A `multipart/form-data` body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multipart: Option<MultipartDef>,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<JsonBodyDef>,
}

/// A JSON request body.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonBodyDef {
    /// An object type under `types:`.
    #[serde(rename = "type")]
    pub ty: Parsed<TypeExpr>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// A `multipart/form-data` body made of exactly one of several alternatives.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultipartDef {
    /// Name of the generated Rust type (`Upload`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Documentation of the body.
    pub doc: String,
    /// The alternatives, keyed by a snake_case name; exactly one is sent.
    pub one_of: IndexMap<String, VariantDef>,
    /// The largest accepted sum of the parts' sizes, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// One alternative of a multipart body.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantDef {
    /// Documentation of the alternative.
    pub doc: String,
    /// Its parts, keyed by form field name, in the order they are sent.
    pub parts: IndexMap<String, PartDef>,
}

/// One part of a multipart body.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartDef {
    /// `file` or `string`.
    #[serde(rename = "type")]
    pub ty: Parsed<TypeExpr>,
    /// The part must be sent with this alternative.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    /// Description, from the page.
    pub doc: String,
    /// For text parts: sent with this value always; not an input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For file parts: the largest accepted size, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// For text parts: the fewest accepted characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// For text parts: the most accepted characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Overrides the Rust name derived from the field name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// What of this entry knowingly departs from its page (the reason is in `provenance`,
    /// `note` or `recovered_from`): `zoho-codegen audit` reports those differences only with
    /// `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Departure>,
}

/// The scopes an operation needs: every group must be satisfied, and any one scope of a group
/// satisfies it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopesDef {
    /// The groups.
    pub all_of: Vec<ScopeGroupDef>,
    /// The operation types `{operation}` stands for, broadest first, as the page lists them.
    pub operations: Vec<ScopeOperationDef>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// What of this entry knowingly departs from its page (the reason is in `provenance`,
    /// `note` or `recovered_from`): `zoho-codegen audit` reports those differences only with
    /// `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Departure>,
}

/// A group of alternative scopes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeGroupDef {
    /// Scope templates; `{module}` and `{operation}` are substituted.
    pub any_of: Vec<Parsed<ScopeTemplate>>,
}

/// An operation type of a scope (`READ`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeOperationDef {
    /// As written in the scope.
    pub name: String,
    /// What it grants, from the page.
    pub doc: String,
}

/// The successful answer of an operation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    /// HTTP status of a success.
    pub status: u16,
    /// An object type name, `list<Name>` for a JSON array, or `binary` for file content.
    #[serde(rename = "type")]
    pub ty: Parsed<ResponseType>,
    /// For `binary`: the content types the page lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_types: Vec<String>,
    /// A success status that carries no body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty: Option<EmptyDef>,
    /// Where a successful answer reports the outcome of each item it acted on, when it does:
    /// an item whose status is not success is an error, whatever the HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<OutcomesDef>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

impl HostSetDef {
    /// Whether `origin` (`https://www.zohoapis.eu`) is one of the set's, in any environment.
    pub fn serves(&self, origin: &str) -> bool {
        self.origins.values().any(|known| known == origin)
            || self
                .environments
                .values()
                .any(|origins| origins.values().any(|known| known == origin))
    }
}

impl ResponseDef {
    /// The JSON type of the answer, unless it is a file (or malformed).
    pub fn json_type(&self) -> Option<&TypeExpr> {
        self.ty.get().and_then(ResponseType::json)
    }

    /// The object type the answer is, when it is one.
    pub fn object_type(&self) -> Option<&str> {
        match self.json_type() {
            Some(TypeExpr::Named(name)) => Some(name),
            _ => None,
        }
    }
}

impl JsonBodyDef {
    /// The type the body is, when it names one.
    pub fn type_name(&self) -> Option<&str> {
        match self.ty.get() {
            Some(TypeExpr::Named(name)) => Some(name),
            _ => None,
        }
    }
}

/// Zoho's per-item status in a successful answer (`{"data":[{"status":"error","code":...}]}`).
/// A failed item's code, message and details are read from its own keys of the error
/// envelope's names (`code`, `message`, `details`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomesDef {
    /// The answer key holding one outcome per item (`data`); omitted when the answer itself
    /// is the one outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// The outcome's key that says how it went (`status`).
    pub key: String,
    /// That key's value for an item that succeeded (`success`, compared ignoring case); any
    /// other value is a failure.
    pub success: String,
    /// For a call on several items: the required list query parameter naming them (`ids`).
    /// `send` then returns one outcome per item instead of failing on the first failed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// How a list operation pages: which answer keys hold the items and the paging facts, and which
/// query parameters ask for a page. The facts object has Zoho's keys `more_records`, `page` and
/// `next_page_token`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PagingDef {
    /// The answer key holding one page's items (`data`).
    pub items: String,
    /// The answer key holding the paging facts (`info`).
    pub info: String,
    /// The integer query parameter that asks for a page number (`page`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_param: Option<String>,
    /// The string query parameter that continues with a page token (`page_token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_param: Option<String>,
}

/// A success status without a body, and what the call returns for it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmptyDef {
    /// The status (204).
    pub status: u16,
    /// `none`: the call returns an `Option`, `None` here; `default`: an empty value.
    pub yields: EmptyYield,
    /// What the status means, from the page.
    pub doc: String,
}

/// What an operation does, from its page's Purpose: the behaviour a stand-in for Zoho must
/// reproduce. Attachments hang off a record (CRM, Bigin) or a contract (Contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// A GET answering the attachments of a record or contract as JSON.
    ListAttachments,
    /// A POST or PUT of one file or link, as multipart, answering JSON.
    AddAttachment,
    /// A GET answering one attachment's content as a file.
    DownloadAttachment,
    /// A DELETE of the attachment the path names, answering JSON.
    DeleteAttachment,
    /// A DELETE of the attachments a query parameter names, answering per item
    /// (`response.outcomes.per`).
    DeleteAttachments,
    /// A GET answering a record's photo as a file.
    GetPhoto,
    /// A POST or PUT of a record's photo, as multipart, replacing any.
    PutPhoto,
    /// A DELETE of a record's photo, answering JSON.
    DeletePhoto,
    /// A POST or PUT of a file, as multipart, kept for a later call that attaches it.
    StageFile,
    /// A POST or PUT whose JSON body attaches staged files and links.
    AddStaged,
}

impl Effect {
    /// The value as the spec writes it (`list_attachments`).
    pub fn spelling(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// What a call returns for a success without a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EmptyYield {
    /// `None`.
    None,
    /// The type's empty value.
    Default,
}

/// An operation made of two operations of the same file: the first's answer feeds the second's
/// JSON body.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompositeDef {
    /// One line.
    pub summary: String,
    /// Further documentation (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The page that describes the two calls.
    #[schemars(pattern(r"^https://\S+$"))]
    pub source: String,
    /// The first operation; its inputs are the composite's inputs.
    pub first: String,
    /// The second operation, called with the same path parameters.
    pub then: String,
    /// How the second body is built from the first answer.
    pub feed: FeedDef,
    /// What users need to know, one remark each: quirks that change how to call the API or
    /// read its answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why the composite is unconfirmed, for users (as an operation's `unconfirmed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unconfirmed: Option<String>,
    /// For maintainers, never printed into the generated crate, one remark each: where facts
    /// were read, what could not be read, which pages or files they came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<String>,
}

/// How one answer becomes the next request's body.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedDef {
    /// The key of the second body that receives one entry per item of the first answer.
    pub list: String,
    /// Keys copied from each answer item into its entry (same key, same type on both sides).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copy: Vec<String>,
    /// Keys of the entry set to fixed values.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub set: IndexMap<String, ScalarValue>,
}

/// One row of a page's "Possible Errors".
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// Error code, a key of `errors` in `shared.yaml`.
    pub code: String,
    /// HTTP status given on the page.
    pub status: u16,
    /// The message, as on the page (absent when the page lost it or the row's source gives
    /// none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The resolution, as on the page (absent when the row's source gives none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Where the row comes from when it is not on the page as printed: a sibling page that
    /// recovers a lost code, Zoho's OpenAPI files, another Zoho page. Provenance: never printed
    /// into the generated crate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered_from: Option<String>,
    /// What users need to know: a quirk that changes how to call the API or read its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For maintainers, never printed into the generated crate: where a fact was read, what
    /// could not be read, which page or file it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// What of this entry knowingly departs from its page (the reason is in `provenance`,
    /// `note` or `recovered_from`): `zoho-codegen audit` reports those differences only with
    /// `--all`. Changes nothing in the generated crate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Departure>,
}

/// A fact of a spec entry that knowingly differs from the page it was transcribed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Departure {
    /// The entry is not on the page (taken from another source).
    Absent,
    /// Its type is not the page's.
    Type,
    /// Whether it is required is not what the page says.
    Required,
    /// Its HTTP status is not on the page, or is another.
    Status,
    /// Its error code is not on the page, or is another.
    Code,
    /// Its text (doc, message, resolution) is not the page's.
    Text,
    /// Its enumeration values are not the page's value table.
    Values,
    /// Its method, path or host is not the page's.
    Path,
}

/// What `ident::is_snake` accepts, for editors: lower-case words joined by single underscores.
const SNAKE_CASE: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn is_false(value: &bool) -> bool {
    !*value
}
