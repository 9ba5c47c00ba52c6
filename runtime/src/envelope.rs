//! Zoho's error envelope: the [`ServiceError`] type and how it is found in a body.

use std::fmt;

use serde_json::{Map, Value};

use crate::error::is_retryable_status;

/// Zoho's error envelope, decoded.
///
/// Zoho sends it either at the top level
/// (`{"code":"INVALID_MODULE","details":{},"message":"...","status":"error"}`)
/// or as the first element of `{"data":[{...}]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    http_status: u16,
    code: String,
    message: String,
    // Boxed: `Value` is large and would make every `Result<_, Error>` large.
    details: Box<Value>,
}

impl ServiceError {
    /// Creates an error as if Zoho had answered `http_status` with this envelope.
    pub fn new(
        http_status: u16,
        code: impl Into<String>,
        message: impl Into<String>,
        details: Value,
    ) -> Self {
        Self {
            http_status,
            code: code.into(),
            message: message.into(),
            details: Box::new(details),
        }
    }

    /// The HTTP status of the answer.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// Zoho's error code, e.g. `INVALID_MODULE`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Zoho's human-readable message (empty when Zoho sent none).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Zoho's `details` object; JSON `null` when Zoho sent none.
    pub fn details(&self) -> &Value {
        &self.details
    }

    /// Whether the answer was 429 (rate limited) or 5xx.
    pub fn is_retryable(&self) -> bool {
        is_retryable_status(self.http_status)
    }

    /// Finds an envelope in a non-2xx body; `None` when the body is not one.
    pub(crate) fn from_body(http_status: u16, body: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let envelope = envelope_object(&value)?;
        let code = code_of(envelope)?;
        Some(Self::with_code(http_status, code, envelope))
    }

    /// The error of one failed item of a successful answer: its envelope keys, and for a
    /// code its `code` or, when it names none, the status value that marked it failed.
    pub(crate) fn from_item(http_status: u16, item: &Map<String, Value>, status: &str) -> Self {
        let code = code_of(item).unwrap_or_else(|| status.to_owned());
        Self::with_code(http_status, code, item)
    }

    fn with_code(http_status: u16, code: String, envelope: &Map<String, Value>) -> Self {
        let message = match envelope.get("message") {
            Some(Value::String(text)) => text.clone(),
            None | Some(Value::Null) => String::new(),
            Some(other) => other.to_string(),
        };
        let details = envelope.get("details").cloned().unwrap_or(Value::Null);
        Self::new(http_status, code, message, details)
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.http_status)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// The object holding `code`: the top level, or else `data[0]`.
fn envelope_object(value: &Value) -> Option<&Map<String, Value>> {
    let top = value.as_object()?;
    if code_of(top).is_some() {
        return Some(top);
    }
    let first = top.get("data")?.as_array()?.first()?.as_object()?;
    code_of(first).map(|_| first)
}

/// The error code; some Zoho products send it as a number, so that is accepted too.
fn code_of(object: &Map<String, Value>) -> Option<String> {
    match object.get("code")? {
        Value::String(code) if !code.is_empty() => Some(code.clone()),
        Value::Number(code) => Some(code.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn top_level_envelope() {
        let body = br#"{"code":"INVALID_MODULE","details":{"resource_path_index":0},"message":"the module name given seems to be invalid","status":"error"}"#;
        let err = ServiceError::from_body(400, body).expect("an envelope");
        assert_eq!(err.code(), "INVALID_MODULE");
        assert_eq!(err.message(), "the module name given seems to be invalid");
        assert_eq!(err.details(), &json!({"resource_path_index": 0}));
        assert_eq!(
            err.to_string(),
            "INVALID_MODULE (HTTP 400): the module name given seems to be invalid"
        );
    }

    #[test]
    fn envelope_inside_data() {
        let body = br#"{"data":[{"code":"INVALID_DATA","message":"the id given seems to be invalid","status":"error"}]}"#;
        let err = ServiceError::from_body(400, body).expect("an envelope");
        assert_eq!(err.code(), "INVALID_DATA");
        assert_eq!(err.details(), &Value::Null);
    }

    #[test]
    fn numeric_codes_are_kept_as_text() {
        let err = ServiceError::from_body(403, br#"{"code":57,"message":"not authorised"}"#)
            .expect("an envelope");
        assert_eq!(err.code(), "57");
    }

    #[test]
    fn other_bodies_are_not_envelopes() {
        for body in [
            &b"<html>502 Bad Gateway</html>"[..],
            b"",
            b"null",
            b"[]",
            b"{\"data\":[]}",
            b"{\"data\":[1]}",
            b"{\"code\":\"\"}",
            b"{\"code\":null}",
            b"{\"message\":\"no code\"}",
            b"{\"code\":\"TRUNC",
        ] {
            assert_eq!(ServiceError::from_body(500, body), None, "{body:?}");
        }
    }

    #[test]
    fn retryable_follows_status() {
        assert!(ServiceError::new(429, "TOO_MANY_REQUESTS", "", Value::Null).is_retryable());
        assert!(ServiceError::new(500, "INTERNAL_ERROR", "", Value::Null).is_retryable());
        assert!(!ServiceError::new(400, "INVALID_DATA", "", Value::Null).is_retryable());
    }
}
