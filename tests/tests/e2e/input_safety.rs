//! Arguments cannot reach another resource, and bad ones are refused before anything is sent.

use zoho_attachments::contracts::v1 as contracts;
use zoho_attachments::crm::{v7, v8};
use zoho_runtime::Error;
use zoho_tests::recorder::{Method, Recorder, Reply};

use crate::support::{client, recorder_with_sample, sample_response};

/// A recorder for tests in which nothing should arrive; any request gets a 500.
async fn recorder_expecting_nothing() -> Recorder {
    Recorder::start(Reply::json(
        500,
        r#"{"code":"INTERNAL_ERROR","message":"no request was expected"}"#,
    ))
    .await
}

#[tokio::test]
async fn reserved_characters_in_a_record_id_stay_in_one_path_segment() {
    let recorder = recorder_with_sample("crm", "v7", "list_attachments").await;

    client(&recorder)
        .crm_v7()
        .list_attachments(v7::Module::Leads, "a/b?c=d#e f%", ["id"])
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_eq!(
        sent.path,
        "/crm/v7/Leads/a%2Fb%3Fc%3Dd%23e%20f%25/Attachments"
    );
    // Nothing of the id leaked into the query.
    assert_eq!(sent.query_pairs(), [("fields".to_owned(), "id".to_owned())]);
}

#[tokio::test]
async fn reserved_characters_in_a_contract_name_and_an_upload_id_are_encoded() {
    let recorder = recorder_with_sample("contracts", "v1", "list_attachments").await;
    // Answered with its own sample only if the id arrives encoded as expected.
    recorder.on(
        Method::POST,
        "/crm/v8/Leads/1%202%2F3/Attachments",
        Reply::json(200, sample_response("crm", "v8", "upload_attachment")),
    );
    let client = client(&recorder);

    client
        .contracts_v1()
        .list_attachments("../admin?x=1")
        .send()
        .await
        .expect("the sample decodes");
    client
        .crm_v8()
        .upload_attachment(v8::Module::Leads, "1 2/3", v8::Upload::bytes("a", "a"))
        .send()
        .await
        .expect("the upload sample decodes");

    let requests = recorder.requests();
    let lines: Vec<String> = requests.iter().map(|sent| sent.request_line()).collect();
    assert_eq!(
        lines,
        [
            "GET /api/v1/contracts/..%2Fadmin%3Fx%3D1/attachments",
            "POST /crm/v8/Leads/1%202%2F3/Attachments"
        ]
    );
}

#[tokio::test]
async fn dot_dot_and_empty_record_ids_are_refused_before_sending() {
    let recorder = recorder_expecting_nothing().await;
    let client = client(&recorder);

    for record_id in ["..", ".", ""] {
        let error = client
            .crm_v7()
            .list_attachments(v7::Module::Leads, record_id, ["id"])
            .send()
            .await
            .expect_err("refused");
        assert!(
            matches!(
                error,
                v7::ListAttachmentsError::Request(Error::InvalidInput {
                    parameter: "record_id",
                    ..
                })
            ),
            "{record_id:?}: {error:?}"
        );

        let error = client
            .crm_v8()
            .upload_attachment(v8::Module::Leads, record_id, v8::Upload::bytes("a", "a"))
            .send()
            .await
            .expect_err("refused");
        assert!(
            matches!(
                error,
                v8::UploadAttachmentError::Request(Error::InvalidInput {
                    parameter: "record_id",
                    ..
                })
            ),
            "{record_id:?}: {error:?}"
        );
    }

    let error = client
        .contracts_v1()
        .list_attachments("..")
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            contracts::ListAttachmentsError::Request(Error::InvalidInput {
                parameter: "contract_api_name",
                ..
            })
        ),
        "{error:?}"
    );

    assert_eq!(recorder.requests().len(), 0, "nothing may reach the server");
}

#[tokio::test]
async fn empty_fields_and_fields_with_commas_are_refused_before_sending() {
    let recorder = recorder_expecting_nothing().await;
    let client = client(&recorder);

    let empty = client
        .crm_v7()
        .list_attachments(v7::Module::Leads, "1", Vec::<String>::new())
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            &empty,
            v7::ListAttachmentsError::Request(Error::InvalidInput {
                parameter: "fields",
                ..
            })
        ),
        "{empty:?}"
    );

    let comma = client
        .crm_v7()
        .list_attachments(v7::Module::Leads, "1", ["id", "Owner,File_Name"])
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            &comma,
            v7::ListAttachmentsError::Request(Error::InvalidInput {
                parameter: "fields",
                ..
            })
        ),
        "{comma:?}"
    );
    assert!(
        comma.to_string().contains("Owner,File_Name"),
        "the message names the bad value: {comma}"
    );

    assert_eq!(recorder.requests().len(), 0, "nothing may reach the server");
}

#[tokio::test]
async fn upload_from_a_missing_path_is_an_io_error_naming_it_and_sends_nothing() {
    let recorder = recorder_expecting_nothing().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let missing = dir.path().join("never-written.pdf");

    let error = client(&recorder)
        .crm_v8()
        .upload_attachment(v8::Module::Leads, "1", v8::Upload::path(&missing))
        .send()
        .await
        .expect_err("a missing file cannot be uploaded");

    match &error {
        v8::UploadAttachmentError::Request(Error::Io { path, source }) => {
            assert_eq!(path.as_deref(), Some(missing.as_path()));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
    assert!(
        error.to_string().contains(&*missing.to_string_lossy()),
        "the message names the file: {error}"
    );
    assert!(!error.is_retryable());
    assert_eq!(recorder.requests().len(), 0, "nothing may reach the server");
}
