//! The spec's limits, checked by the client before anything is sent, and their bounds
//! accepted.

use std::path::{Path, PathBuf};

use zoho_attachments::contracts::v1 as contracts;
use zoho_attachments::crm::v8;
use zoho_runtime::Error;
use zoho_tests::recorder::{Recorder, Reply};

use crate::support::{client, multipart_parts, part_names, sample_response};

/// 100 MiB, the v8 upload and Contracts file limit.
const ATTACHMENT_LIMIT: u64 = 104_857_600;
/// 10 MiB, the v8 photo limit.
const PHOTO_LIMIT: u64 = 10_485_760;

/// A recorder for tests in which nothing should arrive; any request gets a 500.
async fn recorder_expecting_nothing() -> Recorder {
    Recorder::start(Reply::json(
        500,
        r#"{"code":"INTERNAL_ERROR","message":"no request was expected"}"#,
    ))
    .await
}

/// A sparse file of `len` bytes: it takes (almost) no disk space.
fn sparse_file(dir: &Path, name: &str, len: u64) -> PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path)
        .and_then(|file| file.set_len(len))
        .expect("the sparse file is made");
    path
}

/// Asserts `error` is a size error over `limit` for `size` bytes of the file `name`,
/// and that its message names the limit.
#[track_caller]
fn assert_too_large(error: &Error, name: &str, size: u64, limit: u64) {
    match error {
        Error::TooLarge {
            what,
            size: actual,
            limit: actual_limit,
        } => {
            assert_eq!((*actual, *actual_limit), (size, limit), "{error}");
            assert!(what.contains(name), "names the file: {what}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(
        error.to_string().contains(&limit.to_string()),
        "the message names the limit: {error}"
    );
}

#[tokio::test]
async fn files_over_their_limits_are_refused_before_sending() {
    let recorder = recorder_expecting_nothing().await;
    let client = client(&recorder);
    let dir = tempfile::tempdir().expect("a temp dir");
    let big = sparse_file(dir.path(), "big.bin", ATTACHMENT_LIMIT + 1);
    let big_photo = sparse_file(dir.path(), "big.png", PHOTO_LIMIT + 1);

    let upload = client
        .crm_v8()
        .upload_attachment(v8::Module::Leads, "1", v8::Upload::path(&big))
        .send()
        .await
        .expect_err("over 100 MiB");
    let v8::UploadAttachmentError::Request(error) = &upload else {
        panic!("expected a request error, got {upload:?}");
    };
    assert_too_large(error, "big.bin", ATTACHMENT_LIMIT + 1, ATTACHMENT_LIMIT);
    assert!(!upload.is_retryable());

    let contract_upload = client
        .contracts_v1()
        .upload_file("msa", contracts::FileUpload::path(&big))
        .send()
        .await
        .expect_err("over 100 MiB");
    let contracts::UploadFileError::Request(error) = &contract_upload else {
        panic!("expected a request error, got {contract_upload:?}");
    };
    assert_too_large(error, "big.bin", ATTACHMENT_LIMIT + 1, ATTACHMENT_LIMIT);

    let attach = client
        .contracts_v1()
        .attach_file("msa", contracts::FileUpload::path(&big))
        .send()
        .await
        .expect_err("over 100 MiB");
    let contracts::AttachFileError::UploadFile(contracts::UploadFileError::Request(error)) =
        &attach
    else {
        panic!("expected the upload step's request error, got {attach:?}");
    };
    assert_too_large(error, "big.bin", ATTACHMENT_LIMIT + 1, ATTACHMENT_LIMIT);

    let photo = client
        .crm_v8()
        .upload_photo(
            v8::PhotoUploadModule::Leads,
            "1",
            v8::PhotoUpload::path(&big_photo),
        )
        .send()
        .await
        .expect_err("over 10 MiB");
    let v8::UploadPhotoError::Request(error) = &photo else {
        panic!("expected a request error, got {photo:?}");
    };
    assert_too_large(error, "big.png", PHOTO_LIMIT + 1, PHOTO_LIMIT);

    assert_eq!(recorder.requests().len(), 0, "nothing may reach the server");
}

/// The parameter an upload error names, when it is invalid input.
fn invalid_parameter(error: &v8::UploadAttachmentError) -> Option<&'static str> {
    match error {
        v8::UploadAttachmentError::Request(Error::InvalidInput { parameter, .. }) => {
            Some(parameter)
        }
        _ => None,
    }
}

#[tokio::test]
async fn text_lengths_and_per_page_out_of_bounds_are_refused_before_sending() {
    let recorder = recorder_expecting_nothing().await;
    let client = client(&recorder);
    let link = |title: Option<String>, url: String| {
        let link = v8::Upload::link(url);
        let upload: v8::Upload = match title {
            Some(title) => link.title(title).into(),
            None => link.into(),
        };
        client
            .crm_v8()
            .upload_attachment(v8::Module::Leads, "1", upload)
            .send()
    };
    let url = "https://www.zylker.com/".to_owned();

    let long_title = link(Some("t".repeat(256)), url.clone())
        .await
        .expect_err("256 characters");
    assert_eq!(
        invalid_parameter(&long_title),
        Some("title"),
        "{long_title:?}"
    );
    assert!(
        long_title.to_string().contains("255"),
        "the message gives the bound: {long_title}"
    );
    let empty_title = link(Some(String::new()), url.clone())
        .await
        .expect_err("0 characters");
    assert_eq!(
        invalid_parameter(&empty_title),
        Some("title"),
        "{empty_title:?}"
    );
    let long_url = format!("{url}?q={}", "a".repeat(3001 - url.len() - 3));
    assert_eq!(long_url.chars().count(), 3001);
    let long_url = link(None, long_url).await.expect_err("3001 characters");
    assert_eq!(
        invalid_parameter(&long_url),
        Some("attachment_url"),
        "{long_url:?}"
    );

    let per_page = client
        .crm_v8()
        .list_attachments(v8::Module::Leads, "1", ["id"])
        .per_page(201)
        .send()
        .await
        .expect_err("over 200");
    assert!(
        matches!(
            &per_page,
            v8::ListAttachmentsError::Request(Error::InvalidInput {
                parameter: "per_page",
                ..
            })
        ),
        "{per_page:?}"
    );
    assert!(per_page.to_string().contains("201"), "{per_page}");

    assert_eq!(recorder.requests().len(), 0, "nothing may reach the server");
}

#[tokio::test]
async fn bounds_are_inclusive_and_lengths_count_characters_not_bytes() {
    let recorder = Recorder::start(Reply::json(
        200,
        sample_response("crm", "v8", "upload_attachment"),
    ))
    .await;
    recorder.on(
        zoho_tests::recorder::Method::GET,
        "/crm/v8/Leads/1/Attachments",
        Reply::new(204, None, ""),
    );
    let client = client(&recorder);
    // 255 characters, 765 bytes.
    let title = "€".repeat(255);
    let url = format!("https://www.zylker.com/?q={}", "a".repeat(3000 - 26));
    assert_eq!(url.chars().count(), 3000);

    client
        .crm_v8()
        .upload_attachment(
            v8::Module::Leads,
            "1",
            v8::Upload::link(url.clone()).title(title.clone()),
        )
        .send()
        .await
        .expect("255 characters and a 3000-character URL are allowed");
    client
        .crm_v8()
        .upload_attachment(v8::Module::Leads, "1", v8::Upload::link("x").title("t"))
        .send()
        .await
        .expect("a 1-character title is allowed");
    client
        .crm_v8()
        .list_attachments(v8::Module::Leads, "1", ["id"])
        .per_page(200)
        .send()
        .await
        .expect("200 per page is allowed");

    let requests = recorder.requests();
    assert_eq!(requests.len(), 3);
    let parts = multipart_parts(&requests[0]).await;
    assert_eq!(part_names(&parts), ["attachmentUrl", "title"]);
    assert_eq!(parts[0].text(), url);
    assert_eq!(parts[1].text(), title);
    assert_eq!(parts[1].data.len(), 765);
    assert_eq!(requests[2].query.as_deref(), Some("fields=id&per_page=200"));
}

#[tokio::test]
async fn a_photo_of_exactly_10_mib_is_sent_whole() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"code":"SUCCESS","details":{},"message":"photo uploaded successfully","status":"success"}"#,
    ))
    .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let photo = sparse_file(dir.path(), "exact.png", PHOTO_LIMIT);

    client(&recorder)
        .crm_v8()
        .upload_photo(
            v8::PhotoUploadModule::Contacts,
            "1",
            v8::PhotoUpload::path(&photo),
        )
        .send()
        .await
        .expect("exactly the limit is allowed");

    let parts = multipart_parts(&recorder.only_request()).await;
    assert_eq!(part_names(&parts), ["file"]);
    assert_eq!(parts[0].data.len() as u64, PHOTO_LIMIT);
    assert!(
        parts[0].data.iter().all(|&byte| byte == 0),
        "a sparse file reads as zeros"
    );
}
