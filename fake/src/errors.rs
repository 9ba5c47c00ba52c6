//! Zoho's error envelope, with statuses and messages read from the spec's error rows.
//!
//! Rules, in order:
//! - status: the operation's own row for the code (the one whose message matches the hint,
//!   when a hint is given), else the spec's shared table (`model::ERROR_CODES`), else
//!   [`unlisted_status`] for the few codes no page in our sources documents (`INVALID_TOKEN`);
//! - message: the operation page's message for the code (matching the hint, when given),
//!   else, for a code about the credentials ([`CREDENTIAL_CODES`]), the message a page of the
//!   same product version gives, else a generic one from [`generic_message`]. Other messages are
//!   never borrowed from another page: an `INVALID_DATA` row about record IDs must not explain a
//!   too-long title;
//! - code: a malformed request (`REQUIRED_PARAM_MISSING`, `INVALID_REQUEST`, `INVALID_DATA`) is
//!   answered with a code the operation's page lists ([`page_code`]): clients and the OpenAPI
//!   documents know an operation's errors from its page, and Zoho's pages differ in which of the
//!   three they use (CRM v8's "Delete Attachments" answers a missing `ids` INVALID_REQUEST).

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::{Value, json};
use zoho_attachments::model::{APIS, Api, ErrorRow, Operation, error_code};

/// A Zoho-style failure, ready to be sent.
#[derive(Debug, Clone)]
pub(crate) struct ZohoError {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) message: String,
    // Boxed: a `Value` map is large and every handler returns `Result<_, ZohoError>`.
    pub(crate) details: Box<Value>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Whether the message is the page's own (else it is generic and may be replaced).
    from_page: bool,
}

impl ZohoError {
    /// The error `code` as the page of `op` documents it.
    pub(crate) fn for_op(op: &Operation, code: &str, hint: Option<&str>, details: Value) -> Self {
        let error = match page_code(op, code) {
            Some(listed) => build(op.errors.iter(), listed, Some("\0"), details)
                .or_message(generic_message(code)),
            None => build(op.errors.iter(), code, hint, details),
        };
        match sibling_message(op, &error) {
            Some(message) => error.or_message(message),
            None => error,
        }
    }

    /// The error `code` with the status the page gives it but a generic message: for a
    /// reason none of the page's rows for that code describes (the page's `INVALID_DATA`
    /// row about a file-and-link conflict must not explain a too-long title).
    pub(crate) fn status_only(op: &Operation, code: &str, details: Value) -> Self {
        let listed = page_code(op, code);
        // No message contains NUL, so no row is picked for its message.
        let error = build(
            op.errors.iter(),
            listed.unwrap_or(code),
            Some("\0"),
            details,
        );
        match listed {
            Some(_) => error.or_message(generic_message(code)),
            None => error,
        }
    }

    /// The error `code` as any page of the product version documents it (for requests that
    /// matched no operation, such as an unknown path).
    pub(crate) fn for_api(api: &Api, code: &str, details: Value) -> Self {
        build(
            api.operations.iter().flat_map(|op| op.errors.iter()),
            code,
            None,
            details,
        )
    }

    /// An error no page documents (or a request outside every product).
    pub(crate) fn generic(code: &str, details: Value) -> Self {
        build(std::iter::empty(), code, None, details)
    }

    /// Replaces a generic message with one about this request; a page's message is kept.
    pub(crate) fn or_message(mut self, message: impl Into<String>) -> Self {
        if !self.from_page {
            self.message = message.into();
        }
        self
    }

    /// Overrides the status (a 5xx fault answers `INTERNAL_ERROR` with its own status).
    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub(crate) fn body(&self) -> Value {
        json!({
            "code": self.code,
            "details": self.details,
            "message": self.message,
            "status": "error",
        })
    }
}

impl IntoResponse for ZohoError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = Response::builder()
            .status(status)
            .header(CONTENT_TYPE, "application/json;charset=UTF-8")
            .body(Body::from(self.body().to_string()))
            .expect("a valid response");
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}

fn build<'a>(
    page_rows: impl Iterator<Item = &'a ErrorRow> + Clone,
    code: &str,
    hint: Option<&str>,
    details: Value,
) -> ZohoError {
    let mine: Vec<&ErrorRow> = page_rows.filter(|row| row.code == code).collect();
    let hinted = hint.and_then(|hint| {
        mine.iter().copied().find(|row| {
            row.message
                .is_some_and(|message| contains_ignore_case(message, hint))
        })
    });
    let status = hinted
        .or_else(|| mine.first().copied())
        .map(|row| row.status)
        .or_else(|| model_status(code))
        .unwrap_or_else(|| unlisted_status(code));
    let page_message = match hint {
        Some(_) => hinted.and_then(|row| row.message),
        None => mine.iter().find_map(|row| row.message),
    };
    ZohoError {
        status,
        code: code.to_owned(),
        message: page_message
            .unwrap_or_else(|| generic_message(code))
            .to_owned(),
        details: Box::new(details),
        headers: Vec::new(),
        from_page: page_message.is_some(),
    }
}

/// The codes of a malformed request, each with the codes that stand in for it, in order, on a
/// page that does not list it.
const MALFORMED: &[(&str, &[&str])] = &[
    // Zoho's OpenAPI file answers a missing mandatory parameter with INVALID_REQUEST
    // (`MandatoryParamError`).
    ("REQUIRED_PARAM_MISSING", &["INVALID_REQUEST"]),
    ("INVALID_REQUEST", &["INVALID_DATA"]),
    ("INVALID_DATA", &["INVALID_REQUEST"]),
];

/// The code `op`'s page lists in place of `code`, when the page does not list `code` itself and
/// `code` says the request is malformed; `None` to answer `code` as it is.
fn page_code(op: &Operation, code: &str) -> Option<&'static str> {
    let lists = |wanted: &str| op.errors.iter().any(|row| row.code == wanted);
    if lists(code) {
        return None;
    }
    let (_, stand_ins) = MALFORMED.iter().find(|(malformed, _)| *malformed == code)?;
    stand_ins.iter().copied().find(|stand_in| lists(stand_in))
}

/// Codes about the credentials, not the operation: a page of the same product version that
/// gives a message for one gives the message every call of that version answers.
const CREDENTIAL_CODES: &[&str] = &["AUTHENTICATION_FAILURE", "INVALID_TOKEN"];

/// For an error about the credentials whose own page gives no message, the message another
/// page of the same product version gives (CRM v8's upload page is the only one with
/// AUTHENTICATION_FAILURE's: "You have not authorized the API call with valid access token.").
fn sibling_message(op: &Operation, error: &ZohoError) -> Option<&'static str> {
    if error.from_page || !CREDENTIAL_CODES.contains(&error.code.as_str()) {
        return None;
    }
    let api = APIS.iter().find(|api| {
        api.operations
            .iter()
            .any(|sibling| std::ptr::eq(sibling, op))
    })?;
    api.operations
        .iter()
        .flat_map(|sibling| sibling.errors.iter())
        .filter(|row| row.code == error.code)
        .find_map(|row| row.message)
}

/// The status the spec's shared error table gives `code`.
pub(crate) fn model_status(code: &str) -> Option<u16> {
    error_code(code).map(|known| known.status)
}

/// The code the model uses for a too-large body: the operation's own 413 row, else one of
/// its product version's, else any in the model.
pub(crate) fn too_large_code(api: &Api, op: &Operation) -> &'static str {
    let is_413 = |row: &&ErrorRow| row.status == 413;
    op.errors
        .iter()
        .find(is_413)
        .or_else(|| {
            api.operations
                .iter()
                .flat_map(|op| op.errors.iter())
                .find(is_413)
        })
        .or_else(|| all_rows().find(is_413))
        .map(|row| row.code)
        .unwrap_or("FILE_SIZE_MORE_THAN_ALLOWED_SIZE")
}

fn all_rows() -> impl Iterator<Item = &'static ErrorRow> {
    APIS.iter()
        .flat_map(|api| api.operations.iter())
        .flat_map(|op| op.errors.iter())
}

fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// A generic message for a code whose page gives none for the reason at hand.
fn generic_message(code: &str) -> &'static str {
    match code {
        "AUTHENTICATION_FAILURE" => "Authentication failed",
        "INVALID_TOKEN" => "invalid oauth token",
        "OAUTH_SCOPE_MISMATCH" => "Unauthorized",
        "INVALID_MODULE" => "the module name given seems to be invalid",
        "INVALID_URL_PATTERN" => "Please check if the URL trying to access is a correct one",
        "INVALID_REQUEST_METHOD" => "The http request method type is not a valid one",
        "REQUIRED_PARAM_MISSING" => "One of the expected parameter is missing",
        "INVALID_REQUEST" => "the request is not valid",
        "INVALID_DATA" => "invalid data",
        "DOWNLOAD_NOT_ALLOWED" => "a link attachment cannot be downloaded",
        "FILE_SIZE_MORE_THAN_ALLOWED_SIZE" | "FILE_SIZE_EXCEEDS" => {
            "Please check if the file size is in the correct range"
        }
        "TOO_MANY_REQUESTS" => "Too many requests; try again later",
        "INTERNAL_ERROR" => "Internal Server Error",
        "DISCRETE_PAGINATION_LIMIT_EXCEEDED" => {
            "only the first 2000 records can be fetched with `page`; use `page_token` to fetch more"
        }
        "NOT_IMPLEMENTED" => "the fake Zoho server does not implement this operation",
        _ => "the request failed",
    }
}

/// Statuses of the codes the fake sends that no page in our sources documents, so the spec
/// (and `model::ERROR_CODES`) cannot have them; every other status comes from the model.
fn unlisted_status(code: &str) -> u16 {
    match code {
        // What the runtime reacts to by refreshing; Zoho sends it for invalid or expired tokens.
        "INVALID_TOKEN" => 401,
        "NOT_IMPLEMENTED" => 501,
        _ => 400,
    }
}

#[cfg(test)]
mod tests {
    use zoho_attachments::model::api;

    use super::*;

    fn op(product: &str, version: &str, name: &str) -> &'static Operation {
        api(product, version)
            .and_then(|api| api.operations.iter().find(|op| op.name == name))
            .expect("operation in the model")
    }

    #[test]
    fn credential_errors_take_a_message_from_a_page_of_the_same_version() {
        let crm_v8 = api("crm", "v8").expect("crm v8 in the model");
        let given = |op: &Operation| {
            op.errors
                .iter()
                .filter(|row| row.code == "AUTHENTICATION_FAILURE")
                .find_map(|row| row.message)
        };
        let message = crm_v8
            .operations
            .iter()
            .find_map(given)
            .expect("a CRM v8 page gives AUTHENTICATION_FAILURE a message");
        let without = crm_v8
            .operations
            .iter()
            .find(|op| given(op).is_none())
            .expect("a CRM v8 page without one");
        let err = ZohoError::for_op(without, "AUTHENTICATION_FAILURE", None, json!({}));
        assert_eq!(err.status, 401);
        assert_eq!(err.message, message);
        // Another version's pages are not borrowed from.
        let v7 = op("crm", "v7", "list_attachments");
        assert!(given(v7).is_none());
        let err = ZohoError::for_op(v7, "AUTHENTICATION_FAILURE", None, json!({}));
        assert_eq!(err.message, generic_message("AUTHENTICATION_FAILURE"));
        // Nor are an operation's own errors (its module, its data) explained by another page.
        let list = op("crm", "v8", "list_attachments");
        let err = ZohoError::for_op(list, "DOWNLOAD_NOT_ALLOWED", None, json!({}));
        assert_eq!(err.message, generic_message("DOWNLOAD_NOT_ALLOWED"));
    }

    #[test]
    fn page_message_and_status_are_used() {
        let err = ZohoError::for_op(
            op("crm", "v8", "upload_attachment"),
            "INVALID_DATA",
            Some("both"),
            json!({}),
        );
        assert_eq!(err.status, 400);
        assert!(
            err.message
                .starts_with("Both attachment content and attachment link")
        );
    }

    #[test]
    fn hint_picks_among_rows_of_one_code() {
        let upload = op("crm", "v8", "upload_attachment");
        let none = ZohoError::for_op(upload, "INVALID_REQUEST", Some("multipart"), json!({}));
        let many = ZohoError::for_op(upload, "INVALID_REQUEST", Some("more than one"), json!({}));
        assert_eq!(
            none.message,
            "You have not added the Multipart Form Data in the request."
        );
        assert_eq!(
            many.message,
            "You have added more than one file or link in the input."
        );
    }

    #[test]
    fn unmatched_hint_falls_back_to_a_generic_message_not_another_rows() {
        // v2.1's only INVALID_DATA row is about the record ID; it must not explain a
        // file-and-link conflict.
        let err = ZohoError::for_op(
            op("crm", "v2.1", "upload_attachment"),
            "INVALID_DATA",
            Some("both"),
            json!({}),
        );
        assert_eq!(err.status, 400);
        assert_eq!(err.message, "invalid data");
    }

    #[test]
    fn status_only_keeps_the_status_and_not_an_unrelated_message() {
        let upload = op("crm", "v8", "upload_attachment");
        let err = ZohoError::status_only(upload, "INVALID_DATA", json!({"param_name": "title"}))
            .or_message("`title` must have at least 1 characters");
        assert_eq!(err.status, 400);
        assert_eq!(err.message, "`title` must have at least 1 characters");
        let photo = op("crm", "v8", "upload_photo");
        assert_eq!(
            ZohoError::status_only(photo, "INVALID_DATA", json!({})).status,
            400
        );
    }

    #[test]
    fn status_comes_from_another_page_when_this_page_lacks_the_code() {
        let err = ZohoError::for_op(
            op("bigin", "v2", "download_attachment"),
            "DOWNLOAD_NOT_ALLOWED",
            None,
            json!({}),
        );
        assert_eq!(err.status, model_status("DOWNLOAD_NOT_ALLOWED").unwrap());
    }

    #[test]
    fn a_malformed_request_gets_a_code_its_page_lists() {
        // "Upload an Attachment" lists INVALID_REQUEST, not REQUIRED_PARAM_MISSING.
        let upload = op("crm", "v8", "upload_attachment");
        let err = ZohoError::for_op(
            upload,
            "REQUIRED_PARAM_MISSING",
            None,
            json!({"param_name": "file"}),
        );
        assert_eq!((err.status, err.code.as_str()), (400, "INVALID_REQUEST"));
        assert_eq!(err.message, "One of the expected parameter is missing");
        // "Upload a Photo" lists neither; INVALID_DATA, with its 400 row's status.
        let photo = op("crm", "v8", "upload_photo");
        let err = ZohoError::status_only(photo, "INVALID_REQUEST", json!({}));
        assert_eq!((err.status, err.code.as_str()), (400, "INVALID_DATA"));
        // A page that lists the code keeps it.
        let list = op("crm", "v8", "list_attachments");
        let err = ZohoError::for_op(list, "REQUIRED_PARAM_MISSING", None, json!({}));
        assert_eq!(err.code, "REQUIRED_PARAM_MISSING");
        // Codes of other kinds are never replaced.
        let err = ZohoError::for_op(photo, "INVALID_MODULE", None, json!({}));
        assert_eq!(err.code, "INVALID_MODULE");
    }

    #[test]
    fn too_large_codes_follow_the_pages() {
        let crm = api("crm", "v8").unwrap();
        assert_eq!(
            too_large_code(crm, op("crm", "v8", "upload_attachment")),
            "FILE_SIZE_MORE_THAN_ALLOWED_SIZE"
        );
        assert_eq!(
            too_large_code(crm, op("crm", "v8", "upload_photo")),
            "FILE_SIZE_EXCEEDS"
        );
    }

    #[test]
    fn envelope_shape() {
        let err = ZohoError::generic("INVALID_TOKEN", json!({}));
        assert_eq!(
            err.body(),
            json!({"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"})
        );
        assert_eq!(err.status, 401);
    }
}
