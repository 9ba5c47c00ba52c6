//! Zoho Contracts beyond listing: uploading a file, adding attachments (JSON), the
//! two-call `attach_file`, downloading and deleting.

use bytes::Bytes;
use serde_json::{Value, json};
use zoho_attachments::Tolerant;
use zoho_attachments::contracts::v1::{
    self as contracts, AddAttachmentsRequest, AttachFileError, AttachmentType,
    NewContractAttachment,
};
use zoho_tests::recorder::{Method, RecordedRequest, Recorder, Reply};

use crate::support::{
    assert_authorized, assert_no_body, assert_request_line, assert_same_bytes, client,
    multipart_parts, part_names, pseudo_random_bytes, sample_response,
};

/// The contract of the pages' samples.
const CONTRACT: &str = "msa-with-zenith-dynamics";
const UPLOAD_PATH: &str = "/api/v1/contracts/msa-with-zenith-dynamics/upload";
const ATTACHMENTS_PATH: &str = "/api/v1/contracts/msa-with-zenith-dynamics/attachments";

/// An "add attachments" answer holding entry `index` of the "Get All Attachments"
/// sample (0: the file, 1: the link). The Add Link page's keys are those entries' keys;
/// its own sample response could not be read.
fn added_answer(index: usize) -> String {
    let list: Value = serde_json::from_str(&sample_response("contracts", "v1", "list_attachments"))
        .expect("the list sample is JSON");
    json!({ "contractattachments": [list["contractattachments"][index].clone()] }).to_string()
}

/// The body of `sent`, checked to be typed JSON, parsed.
#[track_caller]
fn json_body(sent: &RecordedRequest) -> Value {
    assert_eq!(sent.header("content-type"), Some("application/json"));
    serde_json::from_slice(&sent.body).expect("the body is JSON")
}

/// A recorder answering the upload with its sample and the attachments call with the
/// sample list's file entry.
async fn attach_recorder() -> Recorder {
    let recorder = Recorder::start(Reply::json(
        500,
        r#"{"code":"INTERNAL_ERROR","message":"no route"}"#,
    ))
    .await;
    recorder.on(
        Method::POST,
        UPLOAD_PATH,
        Reply::json(200, sample_response("contracts", "v1", "upload_file")),
    );
    recorder.on(
        Method::POST,
        ATTACHMENTS_PATH,
        Reply::json(200, added_answer(0)),
    );
    recorder
}

/// Checks the upload request: the file as `content`, then the fixed `module=attachment`.
async fn assert_upload_request(sent: &RecordedRequest, file_name: &str, content: &[u8]) {
    assert_request_line(sent, "POST", UPLOAD_PATH);
    assert_eq!(sent.query, None);
    assert_authorized(sent);
    let parts = multipart_parts(sent).await;
    assert_eq!(part_names(&parts), ["content", "module"]);
    assert_eq!(parts[0].file_name.as_deref(), Some(file_name));
    assert_eq!(parts[0].content_type.as_deref(), Some("application/pdf"));
    assert_same_bytes(&parts[0].data, content, "uploaded content");
    assert_eq!(parts[1].file_name, None, "`module` is a text part");
    assert_eq!(parts[1].text(), "attachment");
}

#[tokio::test]
async fn upload_file_sends_content_and_module_and_decodes_the_sample() {
    let recorder = attach_recorder().await;
    let content = pseudo_random_bytes(681_082, 31);

    let uploaded = client(&recorder)
        .contracts_v1()
        .upload_file(
            CONTRACT,
            contracts::FileUpload::bytes("contract-attachment.pdf", content.clone()),
        )
        .send()
        .await
        .expect("the sample decodes");

    assert_upload_request(
        &recorder.only_request(),
        "contract-attachment.pdf",
        &content,
    )
    .await;
    let [file] = uploaded.as_slice() else {
        panic!("expected one uploaded file, got {uploaded:?}");
    };
    assert_eq!(file.path.as_deref(), Some("A8aP0on9J6gN"));
    assert_eq!(file.file_name.as_deref(), Some("contract-attachment.pdf"));
    assert_eq!(file.size, Some(681_082));
    assert_eq!(
        file.uploads.as_deref(),
        Some("9aa9c78837974a04951cd304d15d294e")
    );
}

#[tokio::test]
async fn add_attachments_sends_the_link_body_exactly() {
    let recorder = Recorder::start(Reply::json(200, added_answer(1))).await;
    // The Add Link page's sample input.
    let body = AddAttachmentsRequest::new(vec![
        NewContractAttachment::new()
            .sequence_number(1)
            .link_name("google")
            .link_url("google.com")
            .attachment_type(AttachmentType::Link),
    ]);

    let added = client(&recorder)
        .contracts_v1()
        .add_attachments(CONTRACT, body)
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(&sent, "POST", ATTACHMENTS_PATH);
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    assert_eq!(
        json_body(&sent),
        json!({"contractAttachments": [
            {"sequenceNumber": 1, "linkName": "google", "linkURL": "google.com", "attachmentType": 2}
        ]})
    );

    let [link] = added.contractattachments.as_slice() else {
        panic!("expected one entry, got {:?}", added.contractattachments);
    };
    assert_eq!(link.attachment_type, Some(AttachmentType::Link));
    assert_eq!(
        link.contract_attachment_id.as_deref(),
        Some("3000000272521")
    );
    assert_eq!(link.link_name.as_deref(), Some("link.com"));
    assert_eq!(link.link_url.as_deref(), Some("google.com"));
}

#[tokio::test]
async fn attach_file_uploads_then_adds_the_uploaded_references_as_a_file() {
    let recorder = attach_recorder().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("signed MSA.pdf");
    let content = pseudo_random_bytes(1_234_567, 32);
    std::fs::write(&path, &content).expect("the file is written");

    let added = client(&recorder)
        .contracts_v1()
        .attach_file(CONTRACT, contracts::FileUpload::path(&path))
        .send()
        .await
        .expect("both calls succeed");

    let requests = recorder.requests();
    let lines: Vec<String> = requests.iter().map(|sent| sent.request_line()).collect();
    assert_eq!(
        lines,
        [
            format!("POST {UPLOAD_PATH}"),
            format!("POST {ATTACHMENTS_PATH}")
        ],
        "the upload, then the attachments call"
    );
    assert_upload_request(&requests[0], "signed MSA.pdf", &content).await;
    assert_authorized(&requests[1]);
    // The four keys of the upload's sample answer, copied, and the File type.
    assert_eq!(
        json_body(&requests[1]),
        json!({"contractAttachments": [{
            "path": "A8aP0on9J6gN",
            "fileName": "contract-attachment.pdf",
            "size": 681082,
            "uploads": "9aa9c78837974a04951cd304d15d294e",
            "attachmentType": 1
        }]})
    );

    let [file] = added.contractattachments.as_slice() else {
        panic!("expected one entry, got {:?}", added.contractattachments);
    };
    assert_eq!(file.attachment_type, Some(AttachmentType::File));
    assert_eq!(
        file.file.as_ref().and_then(|details| details.size.clone()),
        Some(Tolerant::Value(994_505))
    );
}

#[tokio::test]
async fn attach_file_whose_second_call_fails_says_so() {
    let recorder = attach_recorder().await;
    recorder.on(
        Method::POST,
        ATTACHMENTS_PATH,
        Reply::json(
            400,
            r#"{"code":"INVALID_DATA","details":{"api_name":"uploads"},"message":"invalid upload reference","status":"error"}"#,
        ),
    );

    let error = client(&recorder)
        .contracts_v1()
        .attach_file(
            CONTRACT,
            contracts::FileUpload::bytes("contract-attachment.pdf", "%PDF-1.7"),
        )
        .send()
        .await
        .expect_err("the second call fails");

    assert!(
        matches!(
            error,
            AttachFileError::AddAttachments(contracts::AddAttachmentsError::Unhandled(_))
        ),
        "expected the add_attachments step's error, got {error:?}"
    );
    let service = error.service_error().expect("Zoho's answer is kept whole");
    assert_eq!(service.code(), "INVALID_DATA");
    assert_eq!(service.details(), &json!({"api_name": "uploads"}));
    assert_eq!(error.code(), Some("INVALID_DATA"));
    assert_eq!(error.message(), Some("invalid upload reference"));
    assert_eq!(error.http_status(), Some(400));
    assert!(!error.is_retryable());
    assert!(
        error.to_string().contains("add_attachments"),
        "the message names the step: {error}"
    );
    let paths: Vec<String> = recorder
        .requests()
        .into_iter()
        .map(|sent| sent.path)
        .collect();
    assert_eq!(paths, [UPLOAD_PATH, ATTACHMENTS_PATH]);
}

#[tokio::test]
async fn attach_file_whose_upload_fails_stops_after_one_request() {
    let recorder = attach_recorder().await;
    recorder.on(
        Method::POST,
        UPLOAD_PATH,
        Reply::json(
            401,
            r#"{"code":"OAUTH_SCOPE_MISMATCH","details":{},"message":"Unauthorized","status":"error"}"#,
        ),
    );

    let error = client(&recorder)
        .contracts_v1()
        .attach_file(
            CONTRACT,
            contracts::FileUpload::bytes("contract-attachment.pdf", "%PDF-1.7"),
        )
        .send()
        .await
        .expect_err("the upload fails");

    assert!(
        matches!(
            &error,
            AttachFileError::UploadFile(contracts::UploadFileError::Unhandled(_))
        ),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("OAUTH_SCOPE_MISMATCH"));
    assert_eq!(error.http_status(), Some(401));
    assert!(
        error.to_string().contains("upload_file"),
        "the message names the step: {error}"
    );
    assert_request_line(&recorder.only_request(), "POST", UPLOAD_PATH);
}

#[tokio::test]
async fn download_is_saved_in_a_folder_under_the_servers_name() {
    let content = Bytes::from(pseudo_random_bytes(994_505, 33));
    let recorder = Recorder::start(Reply::new(200, Some("image/jpeg"), content.clone()).header(
        "Content-Disposition",
        "attachment; filename=\"20240109_174829.jpg\"",
    ))
    .await;
    let dir = tempfile::tempdir().expect("a temp dir");

    let download = client(&recorder)
        .contracts_v1()
        .download_attachment(CONTRACT, "3000000272567")
        .send()
        .await
        .expect("the answer arrives");
    let saved = download
        .save_in(dir.path())
        .await
        .expect("the file is saved");

    assert_eq!(saved, dir.path().join("20240109_174829.jpg"));
    assert_same_bytes(
        &std::fs::read(&saved).expect("read back"),
        &content,
        "saved download",
    );
    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/api/v1/contracts/msa-with-zenith-dynamics/attachments/3000000272567",
    );
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    assert_no_body(&sent);
}

#[tokio::test]
async fn delete_sends_the_sample_request_and_decodes_the_sample() {
    let recorder = Recorder::start(Reply::json(
        200,
        sample_response("contracts", "v1", "delete_attachment"),
    ))
    .await;

    let deleted = client(&recorder)
        .contracts_v1()
        .delete_attachment(CONTRACT, "3000000272521")
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "DELETE",
        "/api/v1/contracts/msa-with-zenith-dynamics/attachments/3000000272521",
    );
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    assert_no_body(&sent);
    assert_eq!(deleted.result.as_deref(), Some("Success"));
    assert_eq!(deleted.attachment_id.as_deref(), Some("3000000272567"));
}
