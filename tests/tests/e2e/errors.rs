//! Failed answers as a user meets them: through each operation's generated error enum.

use serde_json::json;
use zoho_attachments::bigin::v1 as bigin;
use zoho_attachments::contracts::v1 as contracts;
use zoho_attachments::crm::{v2_1, v7, v8};
use zoho_runtime::Error;
use zoho_tests::recorder::{Recorder, Reply};

use crate::support::{client, sample_response};

const INVALID_MODULE: &str = r#"{"code":"INVALID_MODULE","details":{},"message":"the module name given seems to be invalid","status":"error"}"#;

#[tokio::test]
async fn documented_code_becomes_its_variant_with_code_message_and_status() {
    let recorder = Recorder::start(Reply::json(400, INVALID_MODULE)).await;

    let error = client(&recorder)
        .crm_v7()
        .list_attachments(v7::Module::custom("Nope"), "1", ["id"])
        .send()
        .await
        .expect_err("a 400 envelope is an error");

    assert!(
        matches!(error, v7::ListAttachmentsError::InvalidModule(_)),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("INVALID_MODULE"));
    assert_eq!(
        error.message(),
        Some("the module name given seems to be invalid")
    );
    assert_eq!(error.http_status(), Some(400));
    assert!(!error.is_retryable(), "a 400 will not change on retry");
    assert_eq!(
        error.service_error().map(|service| service.details()),
        Some(&json!({}))
    );
    assert_eq!(recorder.requests().len(), 1);
}

#[tokio::test]
async fn envelope_inside_data_becomes_its_variant() {
    let recorder = Recorder::start(Reply::json(
        400,
        r#"{"data":[{"code":"INVALID_DATA","details":{"api_name":"file"},"message":"Both attachment content and attachment link provided.","status":"error"}]}"#,
    ))
    .await;

    let error = client(&recorder)
        .crm_v8()
        .upload_attachment(
            v8::Module::Leads,
            "1",
            v8::Upload::link("https://www.zohocorp.com"),
        )
        .send()
        .await
        .expect_err("a 400 envelope is an error");

    assert!(
        matches!(error, v8::UploadAttachmentError::InvalidData(_)),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("INVALID_DATA"));
    assert_eq!(
        error.message(),
        Some("Both attachment content and attachment link provided.")
    );
    assert_eq!(error.http_status(), Some(400));
    assert_eq!(
        error.service_error().map(|service| service.details()),
        Some(&json!({"api_name": "file"}))
    );
}

#[tokio::test]
async fn undocumented_code_is_unhandled_and_keeps_code_message_and_details() {
    let recorder = Recorder::start(Reply::json(
        400,
        r#"{"code":"SOMETHING_NEW","details":{"hint":"new in 2031","limit":3},"message":"a code no page lists","status":"error"}"#,
    ))
    .await;

    let error = client(&recorder)
        .bigin_v1()
        .list_attachments(bigin::Module::Deals, "1")
        .send()
        .await
        .expect_err("a 400 envelope is an error");

    assert!(
        matches!(error, bigin::ListAttachmentsError::Unhandled(_)),
        "expected Unhandled, got {error:?}"
    );
    // `Unhandled` is opaque: its code and the rest of Zoho's answer are read on the enum.
    let service = error.service_error().expect("Zoho's answer is kept whole");
    assert_eq!(service.code(), "SOMETHING_NEW");
    assert_eq!(service.message(), "a code no page lists");
    assert_eq!(
        service.details(),
        &json!({"hint": "new in 2031", "limit": 3})
    );
    assert_eq!(service.http_status(), 400);
    assert_eq!(error.code(), Some("SOMETHING_NEW"));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn internal_error_is_its_variant_and_retryable() {
    let recorder = Recorder::start(Reply::json(
        500,
        r#"{"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}"#,
    ))
    .await;

    let error = client(&recorder)
        .crm_v2_1()
        .upload_attachment(v2_1::Module::Leads, "1", v2_1::Upload::bytes("a.txt", "a"))
        .send()
        .await
        .expect_err("a 500 envelope is an error");

    assert!(
        matches!(error, v2_1::UploadAttachmentError::InternalError(_)),
        "{error:?}"
    );
    assert_eq!(error.http_status(), Some(500));
    assert!(error.is_retryable(), "a 500 may succeed later");
}

#[tokio::test]
async fn gateway_html_page_is_unexpected_status_and_retryable() {
    let recorder = Recorder::start(Reply::html(
        502,
        "<html><head><title>502 Bad Gateway</title></head><body>upstream down</body></html>",
    ))
    .await;

    let error = client(&recorder)
        .contracts_v1()
        .list_attachments("msa-with-zenith-dynamics")
        .send()
        .await
        .expect_err("a 502 is an error");

    assert!(
        matches!(
            &error,
            contracts::ListAttachmentsError::Request(Error::UnexpectedStatus { status: 502, content_type: Some(content_type), snippet })
                if content_type.starts_with("text/html") && snippet.contains("502 Bad Gateway")
        ),
        "{error:?}"
    );
    assert_eq!(error.code(), None, "no Zoho code in an HTML page");
    assert_eq!(error.http_status(), Some(502));
    assert!(error.is_retryable(), "a gateway failure may pass");
}

#[tokio::test]
async fn truncated_json_in_a_200_is_a_decode_error() {
    let sample = sample_response("crm", "v7", "list_attachments");
    let truncated = &sample[..sample.len() / 2];
    let recorder = Recorder::start(Reply::json(200, truncated.to_owned())).await;

    let error = client(&recorder)
        .crm_v7()
        .list_attachments(v7::Module::Leads, "4876876000000376008", ["id"])
        .send()
        .await
        .expect_err("half a document does not decode");

    assert!(
        matches!(
            &error,
            v7::ListAttachmentsError::Request(Error::Decode { status: 200, snippet, .. })
                if snippet.starts_with("{")
        ),
        "{error:?}"
    );
    assert_eq!(error.http_status(), Some(200));
    assert!(!error.is_retryable(), "the same body would come back");
}

#[tokio::test]
async fn a_wrong_shape_in_a_200_names_the_json_path() {
    // `data` must be a list of attachments.
    let recorder = Recorder::start(Reply::json(200, r#"{"data":{"id":"1"},"info":{}}"#)).await;

    let error = client(&recorder)
        .bigin_v1()
        .list_attachments(bigin::Module::Contacts, "1")
        .send()
        .await
        .expect_err("an object where a list belongs does not decode");

    match &error {
        bigin::ListAttachmentsError::Request(Error::Decode { path, .. }) => {
            assert_eq!(path, "data");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
