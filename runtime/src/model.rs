//! The shapes of a generated crate's `model`: every product version and operation as data.
//!
//! A generated crate's `model` module holds statics of these types (`APIS`, `ERROR_CODES`):
//! what its typed API knows (paths, parameters, modules, scopes, limits, answers, error
//! codes, samples), for tools that must agree with it, above all the fake Zoho server. The
//! types live here, written once, and the generator writes only the data.
//!
//! The structs are not `#[non_exhaustive]`, because the generated crate builds them as
//! statics; read them, and leave building them to the generator: a later runtime may add
//! fields.

/// One product version.
#[derive(Debug)]
pub struct Api {
    /// Product id (`crm`).
    pub product: &'static str,
    /// Version as Zoho writes it (`v2.1`).
    pub version: &'static str,
    /// Title.
    pub title: &'static str,
    /// Path prefix (`/crm/v8`).
    pub prefix: &'static str,
    /// Whether a token's `api_domain` replaces the origins.
    pub follows_api_domain: bool,
    /// Origin per data-centre id.
    pub origins: &'static [(&'static str, &'static str)],
    /// The modules, in page order.
    pub modules: &'static [Module],
    /// Named subsets of the modules.
    pub module_sets: &'static [ModuleSet],
    /// The operations, by name order.
    pub operations: &'static [Operation],
}

/// A module records can belong to.
#[derive(Debug)]
pub struct Module {
    /// Display name.
    pub display: &'static str,
    /// API name (path segment); `None` for the entry that stands for any custom module.
    pub api_name: Option<&'static str>,
    /// Scope name.
    pub scope: &'static str,
}

/// A named subset of a version's modules.
#[derive(Debug)]
pub struct ModuleSet {
    /// Its name (`PhotoModule`).
    pub name: &'static str,
    /// Display names of its modules.
    pub modules: &'static [&'static str],
}

/// One operation.
#[derive(Debug)]
pub struct Operation {
    /// snake_case name.
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template after the prefix.
    pub path: &'static str,
    /// Path and query parameters.
    pub params: &'static [Param],
    /// Request body.
    pub body: Body,
    /// Scopes it needs.
    pub scopes: crate::ScopeRule,
    /// What a success answers.
    pub response: Response,
    /// How a list answer pages, when the page says.
    pub paging: Option<Paging>,
    /// What the call does to Zoho's records, when the spec says.
    pub effect: Option<Effect>,
    /// Documented error codes, one per row of the page.
    pub errors: &'static [ErrorRow],
    /// The page's sample response, if any.
    pub sample_response: Option<&'static str>,
    /// The documentation page.
    pub source: &'static str,
}

/// How a list answer pages.
#[derive(Debug)]
pub struct Paging {
    /// The answer key holding one page's items (`data`).
    pub items: &'static str,
    /// The query parameter asking for a page number (`page`).
    pub page_param: Option<&'static str>,
    /// The query parameter continuing from a page token (`page_token`); answers then carry
    /// `next_page_token`.
    pub token_param: Option<&'static str>,
}

/// What an operation does to Zoho's records, from its page's Purpose: what a stand-in for
/// Zoho has to do to answer it. Attachments belong to a record of a module (CRM, Bigin) or to a
/// contract (Contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Lists the attachments.
    ListAttachments,
    /// Attaches one file or link.
    AddAttachment,
    /// Answers one attachment's file content.
    DownloadAttachment,
    /// Deletes the attachment named in the path.
    DeleteAttachment,
    /// Deletes the attachments named in a query parameter, answering per item.
    DeleteAttachments,
    /// Answers the record's photo.
    GetPhoto,
    /// Sets the record's photo, replacing any.
    PutPhoto,
    /// Deletes the record's photo.
    DeletePhoto,
    /// Stages a file, answering a reference for a later call to attach.
    StageFile,
    /// Attaches staged files and links named in a JSON body.
    AddStaged,
}

/// A path or query parameter.
#[derive(Debug)]
pub struct Param {
    /// Wire name.
    pub name: &'static str,
    /// In the path (else the query).
    pub in_path: bool,
    /// What it holds.
    pub kind: ParamKind,
    /// Required.
    pub required: bool,
    /// Smallest accepted integer.
    pub minimum: Option<i64>,
    /// Largest accepted integer.
    pub maximum: Option<i64>,
}

/// What a parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamKind {
    /// Text. (Not named `String`: a public item of that name would make rustc spell out
    /// `std::string::String` in every error message users of this crate see.)
    Text,
    /// An integer.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// Comma-separated values.
    List,
    /// A module API name, of all modules or of the named set.
    Module(Option<&'static str>),
}

/// A request body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    Empty,
    /// multipart/form-data: exactly one alternative.
    Multipart {
        /// The alternatives.
        alternatives: &'static [Alternative],
        /// Largest accepted sum of the parts' sizes.
        max_bytes: Option<u64>,
    },
    /// A JSON object.
    Json,
}

/// One alternative of a multipart body.
#[derive(Debug)]
pub struct Alternative {
    /// Its name (`file`, `link`).
    pub name: &'static str,
    /// Its parts.
    pub parts: &'static [Part],
}

/// A part of a multipart body.
#[derive(Debug)]
pub struct Part {
    /// Form field name.
    pub name: &'static str,
    /// A file (else text).
    pub file: bool,
    /// Must be sent.
    pub required: bool,
    /// Always this value.
    pub fixed: Option<&'static str>,
    /// Largest accepted file size.
    pub max_bytes: Option<u64>,
    /// Fewest accepted characters.
    pub min_length: Option<usize>,
    /// Most accepted characters.
    pub max_length: Option<usize>,
}

/// What a success answers.
#[derive(Debug)]
pub struct Response {
    /// Success status.
    pub status: u16,
    /// The body.
    pub kind: ResponseKind,
    /// A success status without a body.
    pub empty_status: Option<u16>,
    /// Where the answer reports each item's outcome, when it does.
    pub item_status: Option<crate::ItemStatus>,
    /// For a call on several items: the query parameter naming them.
    pub per_item: Option<&'static str>,
}

/// The body of a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseKind {
    /// A JSON object.
    Object,
    /// A JSON array.
    List,
    /// File content.
    Binary,
}

/// One row of a page's error table.
#[derive(Debug)]
pub struct ErrorRow {
    /// The code.
    pub code: &'static str,
    /// Its HTTP status.
    pub status: u16,
    /// The message, when the page has one.
    pub message: Option<&'static str>,
}

/// An error code as Zoho uses it across pages (`shared.yaml`'s `errors`).
#[derive(Debug)]
pub struct ErrorCode {
    /// The code (`INVALID_MODULE`).
    pub code: &'static str,
    /// The HTTP status the pages give it.
    pub status: u16,
    /// Other statuses some page gives it.
    pub other_statuses: &'static [u16],
    /// What it means, in general.
    pub doc: &'static str,
}
