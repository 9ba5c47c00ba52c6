//! Handling an operation's error as a user would: match the documented codes a program
//! cares about, keep unknown codes (`Unhandled`) apart from failures before Zoho answered
//! (`Request`), end with a wildcard (the enums are non-exhaustive), and use the accessors.

use std::error::Error as _;

use serde_json::json;
use zoho_attachments::crm::{v2_1, v7, v8};
use zoho_attachments::{Error, ServiceError, bigin, contracts};

/// What a program does about a failed v7 list.
fn advice(error: &v7::ListAttachmentsError) -> String {
    use v7::ListAttachmentsError as E;
    match error {
        E::InvalidModule(_) => "check the module".to_owned(),
        E::OauthScopeMismatch(service) | E::NoPermission(service) => {
            format!("ask for consent again ({})", service.code())
        }
        E::InternalError(_) => "retry later".to_owned(),
        E::Unhandled(_) => format!("unknown code {}", error.code().unwrap_or_default()),
        E::Request(Error::InvalidInput { parameter, .. }) => format!("fix `{parameter}`"),
        E::Request(other) => format!("no answer: {other}"),
        _ => "report it".to_owned(),
    }
}

fn service(status: u16, code: &str) -> Error {
    Error::Service(ServiceError::new(
        status,
        code,
        "from the test",
        json!({"api_name": "Leads"}),
    ))
}

fn main() {
    let invalid_module = v7::ListAttachmentsError::from(service(400, "INVALID_MODULE"));
    assert!(matches!(
        invalid_module,
        v7::ListAttachmentsError::InvalidModule(_)
    ));
    assert_eq!(advice(&invalid_module), "check the module");
    assert_eq!(invalid_module.code(), Some("INVALID_MODULE"));
    assert_eq!(invalid_module.message(), Some("from the test"));
    assert_eq!(invalid_module.http_status(), Some(400));
    assert!(!invalid_module.is_retryable());
    assert_eq!(
        invalid_module
            .service_error()
            .map(|service| service.details()["api_name"].clone()),
        Some(json!("Leads")),
    );

    let scope = v7::ListAttachmentsError::from(service(401, "OAUTH_SCOPE_MISMATCH"));
    assert_eq!(
        advice(&scope),
        "ask for consent again (OAUTH_SCOPE_MISMATCH)"
    );

    // A code the page does not list is kept whole.
    let unknown = v7::ListAttachmentsError::from(service(429, "TOO_MANY_REQUESTS"));
    assert!(matches!(unknown, v7::ListAttachmentsError::Unhandled(_)));
    assert_eq!(advice(&unknown), "unknown code TOO_MANY_REQUESTS");
    assert!(unknown.is_retryable());

    // A failure before Zoho answered carries no code.
    let invalid_input = v7::ListAttachmentsError::from(Error::InvalidInput {
        parameter: "fields",
        reason: "needs at least one value".to_owned(),
    });
    assert_eq!(advice(&invalid_input), "fix `fields`");
    assert_eq!(invalid_input.code(), None);
    assert_eq!(invalid_input.http_status(), None);
    assert!(invalid_input.service_error().is_none());

    // Every operation's error enum works the same way, and is a std error.
    let upload_v8 = v8::UploadAttachmentError::from(service(400, "INVALID_DATA"));
    assert!(matches!(
        upload_v8,
        v8::UploadAttachmentError::InvalidData(_)
    ));
    let upload_v2_1 = v2_1::UploadAttachmentError::from(service(405, "INVALID_REQUEST_METHOD"));
    assert!(matches!(
        upload_v2_1,
        v2_1::UploadAttachmentError::InvalidRequestMethod(_)
    ));
    let bigin = bigin::v1::ListAttachmentsError::from(service(500, "INTERNAL_ERROR"));
    assert!(matches!(
        bigin,
        bigin::v1::ListAttachmentsError::InternalError(_)
    ));
    assert!(bigin.is_retryable());
    let contracts = contracts::v1::ListAttachmentsError::from(service(403, "NO_PERMISSION"));
    assert!(matches!(
        contracts,
        contracts::v1::ListAttachmentsError::NoPermission(_)
    ));

    // They box into `dyn Error + Send + Sync` (for `?` in application code) and print
    // Zoho's code, status and message.
    let boxed: Vec<Box<dyn std::error::Error + Send + Sync>> = vec![
        Box::new(upload_v8),
        Box::new(upload_v2_1),
        Box::new(bigin),
        Box::new(contracts),
    ];
    let printed: Vec<String> = boxed.iter().map(ToString::to_string).collect();
    assert_eq!(
        printed,
        [
            "INVALID_DATA (HTTP 400): from the test",
            "INVALID_REQUEST_METHOD (HTTP 405): from the test",
            "INTERNAL_ERROR (HTTP 500): from the test",
            "NO_PERMISSION (HTTP 403): from the test",
        ],
    );
    assert_eq!(
        invalid_input.to_string(),
        "invalid `fields`: needs at least one value"
    );
    assert!(invalid_input.source().is_none());
}
