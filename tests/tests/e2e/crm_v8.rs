//! CRM v8 beyond uploads: listing with every parameter, downloading, deleting one or
//! several attachments, and record photos.

use std::convert::Infallible;

use bytes::Bytes;
use serde_json::json;
use zoho_attachments::Tolerant;
use zoho_attachments::crm::v8;
use zoho_tests::recorder::{Body, Method, Recorder, Reply};

use crate::support::{
    assert_authorized, assert_no_body, assert_request_line, assert_same_bytes, client,
    multipart_parts, part_names, pseudo_random_bytes,
};

/// The record and attachment of the v8 Delete an Attachment page's sample request.
const RECORD_ID: &str = "2883756000000261075";
const ATTACHMENT_ID: &str = "2883756000000261017";

/// The record of the v8 photo pages' sample requests.
const PHOTO_RECORD_ID: &str = "3000000038009";

/// No v8 list sample could be read; this answer has the v7 sample's shape, a link entry
/// with the keys of Zoho's OpenAPI schema, and the page tokens of v8 paging.
const LIST_ANSWER: &str = r#"{
  "data": [
    {
      "Owner": {"name": "Patricia Boyle", "id": "4150868000000225013", "email": "patricia.boyle@zohocorp.com"},
      "Modified_Time": "2024-11-05T09:14:22+05:30",
      "File_Name": "Q3 forecast.pdf",
      "Created_Time": "2024-11-05T09:14:22+05:30",
      "Size": "482113",
      "Parent_Id": {"name": "Zylker renewal", "id": "2883756000000261075"},
      "$editable": true,
      "$file_id": "iewimc754be98ef89473fbf474139d65f758a",
      "$type": "Attachment",
      "$se_module": "Deals",
      "$state": "save",
      "$link_url": null,
      "$attachment_type": 1,
      "$sharing_permission": "Public",
      "id": "2883756000000261017"
    },
    {
      "File_Name": "Zylker pricing page",
      "Size": 0,
      "$link_url": "https://www.zylker.com/pricing",
      "$attachment_type": 2,
      "id": "2883756000000261021"
    }
  ],
  "info": {
    "per_page": 2,
    "next_page_token": "c8582e7a0d4f4b2e9c1f",
    "count": 2,
    "page": 2,
    "previous_page_token": "a0b1c2d3e4f5a6b7c8d9",
    "page_token_expiry": "2024-11-06T09:14:22+05:30",
    "more_records": true
  }
}"#;

/// `content` as a body of `chunk`-byte pieces, each sent as its own frame.
fn chunked(content: &Bytes, chunk: usize) -> Body {
    let pieces: Vec<Result<Bytes, Infallible>> = (0..content.len())
        .step_by(chunk)
        .map(|start| Ok(content.slice(start..(start + chunk).min(content.len()))))
        .collect();
    Body::from_stream(futures::stream::iter(pieces))
}

/// A 200 answer carrying `content` as a PDF in 65 521-byte chunks (a prime, so no chunk
/// lines up with the client's reads), with its length and an RFC 8187 file name.
fn pdf_reply(content: Bytes) -> Reply {
    let length = content.len().to_string();
    Reply::new(200, Some("application/pdf"), "")
        .header("Content-Length", length)
        .header(
            "Content-Disposition",
            "attachment; filename*=UTF-8''Q3%20forecast%20%E2%82%AC.pdf",
        )
        .body_with(move || chunked(&content, 65_521))
}

/// The names in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the folder is listed")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn list_sends_every_parameter_in_order_and_decodes_paging_and_links() {
    let recorder = Recorder::start(Reply::json(200, LIST_ANSWER)).await;

    let list = client(&recorder)
        .crm_v8()
        .list_attachments(
            v8::Module::Deals,
            RECORD_ID,
            ["id", "File_Name", "Size", "$link_url"],
        )
        .ids(["2883756000000261017", "2883756000000261021"])
        .page(2)
        .per_page(2)
        .page_token("c8582e7a0d4f4b2e9c1f==")
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/crm/v8/Deals/2883756000000261075/Attachments",
    );
    // Lists keep literal commas; `$` and `=` are escaped.
    assert_eq!(
        sent.query.as_deref(),
        Some(
            "fields=id,File_Name,Size,%24link_url&ids=2883756000000261017,2883756000000261021\
             &page=2&per_page=2&page_token=c8582e7a0d4f4b2e9c1f%3D%3D"
        )
    );
    assert_eq!(
        sent.query_pairs(),
        [
            ("fields", "id,File_Name,Size,$link_url"),
            ("ids", "2883756000000261017,2883756000000261021"),
            ("page", "2"),
            ("per_page", "2"),
            ("page_token", "c8582e7a0d4f4b2e9c1f=="),
        ]
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
    );
    assert_authorized(&sent);
    assert_no_body(&sent);

    let [file, link] = list.data.as_slice() else {
        panic!("expected a file and a link, got {:?}", list.data);
    };
    assert_eq!(file.file_name.as_deref(), Some("Q3 forecast.pdf"));
    assert_eq!(
        file.size,
        Some(Tolerant::Value(482_113)),
        "\"Size\" arrives as a string"
    );
    assert_eq!(file.attachment_type, Some(1));
    assert_eq!(file.link_url, None);
    assert_eq!(file.sharing_permission.as_deref(), Some("Public"));
    assert_eq!(
        file.parent_id
            .as_ref()
            .and_then(|parent| parent.id.as_deref()),
        Some(RECORD_ID)
    );
    assert_eq!(
        file.owner.as_ref().and_then(|owner| owner.email.as_deref()),
        Some("patricia.boyle@zohocorp.com")
    );
    assert_eq!(
        link.link_url.as_deref(),
        Some("https://www.zylker.com/pricing")
    );
    assert_eq!(link.attachment_type, Some(2));
    assert_eq!(link.id.as_deref(), Some("2883756000000261021"));

    assert_eq!(list.info.page, Some(2));
    assert_eq!(list.info.per_page, Some(2));
    assert_eq!(list.info.count, Some(2));
    assert_eq!(list.info.more_records, Some(true));
    assert_eq!(
        list.info.next_page_token.as_deref(),
        Some("c8582e7a0d4f4b2e9c1f")
    );
    assert_eq!(
        list.info.previous_page_token.as_deref(),
        Some("a0b1c2d3e4f5a6b7c8d9")
    );
    assert_eq!(
        list.info.page_token_expiry.as_deref(),
        Some("2024-11-06T09:14:22+05:30")
    );
}

/// One attachment with a timestamp in another format and a size sent as a word, beside one Zoho
/// sends as documented.
const ODD_VALUES_ANSWER: &str = r#"{
  "data": [
    {
      "File_Name": "odd.pdf",
      "Created_Time": "05/11/2024 09:14",
      "Modified_Time": 1730778262000,
      "Size": "about 2 MB",
      "id": "2883756000000261017"
    },
    {
      "File_Name": "plain.pdf",
      "Created_Time": "2024-11-05T09:14:22+05:30",
      "Size": 1024,
      "id": "2883756000000261021"
    }
  ],
  "info": {"per_page": 200, "count": 2, "page": 1, "more_records": false}
}"#;

#[tokio::test]
async fn values_a_tolerant_field_cannot_read_are_kept_raw_and_the_rest_of_the_list_arrives() {
    let recorder = Recorder::start(Reply::json(200, ODD_VALUES_ANSWER)).await;

    let list = client(&recorder)
        .crm_v8()
        .list_attachments(v8::Module::Deals, RECORD_ID, ["id", "File_Name"])
        .send()
        .await
        .expect("an odd timestamp or size does not fail the list");

    let [odd, plain] = list.data.as_slice() else {
        panic!("expected two attachments, got {:?}", list.data);
    };
    assert_eq!(odd.id.as_deref(), Some("2883756000000261017"));
    assert_eq!(
        odd.created_time.as_ref().and_then(Tolerant::raw),
        Some(&json!("05/11/2024 09:14"))
    );
    assert_eq!(
        odd.modified_time.as_ref().and_then(Tolerant::raw),
        Some(&json!(1_730_778_262_000_i64))
    );
    assert_eq!(
        odd.size.as_ref().and_then(Tolerant::raw),
        Some(&json!("about 2 MB"))
    );
    // Encoded again, the attachment says what Zoho sent.
    let encoded = serde_json::to_value(odd).expect("encodes");
    assert_eq!(encoded["Created_Time"], json!("05/11/2024 09:14"));
    assert_eq!(encoded["Size"], json!("about 2 MB"));

    assert_eq!(plain.size, Some(Tolerant::Value(1024)));
    assert_eq!(
        plain
            .created_time
            .as_ref()
            .and_then(Tolerant::value)
            .map(|time| time.to_rfc3339())
            .as_deref(),
        Some("2024-11-05T09:14:22+05:30")
    );
}

#[tokio::test]
async fn list_answered_204_is_an_empty_list() {
    let recorder = Recorder::start(Reply::new(204, None, "")).await;

    let list = client(&recorder)
        .crm_v8()
        .list_attachments(v8::Module::Leads, RECORD_ID, ["id"])
        .send()
        .await
        .expect("a 204 is a success");

    assert_eq!(list, v8::AttachmentList::default());
    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/crm/v8/Leads/2883756000000261075/Attachments",
    );
    assert_eq!(sent.query.as_deref(), Some("fields=id"));
}

#[tokio::test]
async fn download_of_6_mib_in_chunks_is_saved_byte_for_byte_with_save_to() {
    let content = Bytes::from(pseudo_random_bytes(6 * 1024 * 1024, 86));
    let recorder = Recorder::start(pdf_reply(content.clone())).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("forecast.pdf");

    let download = client(&recorder)
        .crm_v8()
        .download_attachment(v8::Module::Leads, RECORD_ID, ATTACHMENT_ID)
        .send()
        .await
        .expect("the answer arrives")
        .expect("a 200 carries a file");

    assert_eq!(download.file_name(), Some("Q3 forecast €.pdf"));
    assert_eq!(
        download.safe_file_name().as_deref(),
        Some("Q3 forecast €.pdf")
    );
    assert_eq!(download.content_type(), Some("application/pdf"));
    assert_eq!(download.content_length(), Some(6 * 1024 * 1024));
    let written = download.save_to(&path).await.expect("the file is saved");

    assert_eq!(written, 6 * 1024 * 1024);
    let saved = std::fs::read(&path).expect("the saved file is read");
    assert_same_bytes(&saved, &content, "saved download");
    assert_eq!(
        names_in(dir.path()),
        ["forecast.pdf"],
        "no temporary file is left beside it"
    );

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/crm/v8/Leads/2883756000000261075/Attachments/2883756000000261017",
    );
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    assert_no_body(&sent);
}

#[tokio::test]
async fn download_read_with_bytes_is_the_whole_file() {
    let content = Bytes::from(pseudo_random_bytes(6 * 1024 * 1024, 87));
    let recorder = Recorder::start(pdf_reply(content.clone())).await;

    let download = client(&recorder)
        .crm_v8()
        .download_attachment(v8::Module::custom("Shipments__c"), "42", "43")
        .send()
        .await
        .expect("the answer arrives")
        .expect("a 200 carries a file");
    let bytes = download.bytes().await.expect("the body is read");

    assert_same_bytes(&bytes, &content, "downloaded bytes");
    assert_request_line(
        &recorder.only_request(),
        "GET",
        "/crm/v8/Shipments__c/42/Attachments/43",
    );
}

#[tokio::test]
async fn download_answered_204_is_none() {
    let recorder = Recorder::start(Reply::new(204, None, "")).await;

    let download = client(&recorder)
        .crm_v8()
        .download_attachment(v8::Module::Contacts, RECORD_ID, "999")
        .send()
        .await
        .expect("a 204 is a success");

    assert!(download.is_none(), "{download:?}");
    assert_request_line(
        &recorder.only_request(),
        "GET",
        "/crm/v8/Contacts/2883756000000261075/Attachments/999",
    );
}

#[tokio::test]
async fn delete_one_attachment_sends_delete_and_decodes_its_id() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"data":[{"code":"SUCCESS","details":{"id":"2883756000000261017"},"message":"record deleted","status":"success"}]}"#,
    ))
    .await;

    let result = client(&recorder)
        .crm_v8()
        .delete_attachment(v8::Module::Leads, RECORD_ID, ATTACHMENT_ID)
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    // The page's sample request.
    assert_request_line(
        &sent,
        "DELETE",
        "/crm/v8/Leads/2883756000000261075/Attachments/2883756000000261017",
    );
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    assert_no_body(&sent);

    let [outcome] = result.data.as_slice() else {
        panic!("expected one outcome, got {:?}", result.data);
    };
    assert_eq!(outcome.code.as_deref(), Some("SUCCESS"));
    assert_eq!(outcome.status.as_deref(), Some("success"));
    assert_eq!(outcome.message.as_deref(), Some("record deleted"));
    assert_eq!(
        outcome
            .details
            .as_ref()
            .and_then(|details| details.id.as_deref()),
        Some(ATTACHMENT_ID)
    );
}

#[tokio::test]
async fn delete_several_sends_the_ids_with_literal_commas() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"data":[
            {"code":"SUCCESS","details":{"id":"2883756000000261017"},"message":"record deleted","status":"success"},
            {"code":"SUCCESS","details":{"id":"2883756000000261021"},"message":"record deleted","status":"success"},
            {"code":"SUCCESS","details":{"id":"2883756000000261025"},"message":"record deleted","status":"success"}
        ]}"#,
    ))
    .await;
    let ids = [
        "2883756000000261017",
        "2883756000000261021",
        "2883756000000261025",
    ];

    let result = client(&recorder)
        .crm_v8()
        .delete_attachments(v8::Module::PriceBooks, RECORD_ID, ids)
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "DELETE",
        "/crm/v8/Price_Books/2883756000000261075/Attachments",
    );
    assert_eq!(
        sent.query.as_deref(),
        Some("ids=2883756000000261017,2883756000000261021,2883756000000261025")
    );
    assert_authorized(&sent);
    assert_no_body(&sent);

    assert!(result.all_succeeded());
    let deleted: Vec<&str> = result
        .succeeded()
        .filter_map(|(id, outcome)| {
            assert_eq!(outcome.details.as_ref()?.id.as_deref(), Some(id));
            Some(id)
        })
        .collect();
    assert_eq!(deleted, ids);
}

#[tokio::test]
async fn delete_attachments_reports_each_id_some_deleted_some_not() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"data":[
            {"code":"SUCCESS","details":{"id":"2883756000000261017"},"message":"record deleted","status":"success"},
            {"code":"INVALID_DATA","details":{"id":"2883756000000261021"},"message":"the id given seems to be invalid","status":"error"}
        ]}"#,
    ))
    .await;

    let outcomes = client(&recorder)
        .crm_v8()
        .delete_attachments(
            v8::Module::Leads,
            RECORD_ID,
            ["2883756000000261017", "2883756000000261021"],
        )
        .send()
        .await
        .expect("the call itself succeeds");

    assert!(!outcomes.all_succeeded());
    let failed: Vec<_> = outcomes.failed().collect();
    assert_eq!(failed.len(), 1);
    let (id, error) = failed[0];
    assert_eq!(id, "2883756000000261021");
    assert!(
        matches!(error, v8::DeleteAttachmentsError::InvalidData(e) if e.message() == "the id given seems to be invalid"),
        "{error:?}"
    );
    assert_eq!(outcomes.succeeded().count(), 1);
    assert!(outcomes.into_result().is_err());
}

#[tokio::test]
async fn an_upload_answered_200_with_a_failed_item_is_its_documented_error() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"data":[{"code":"INVALID_DATA","details":{},"message":"the attachment is not valid","status":"error"}]}"#,
    ))
    .await;

    let error = client(&recorder)
        .crm_v8()
        .upload_attachment(
            v8::Module::Leads,
            RECORD_ID,
            v8::Upload::bytes("a.txt", "hello"),
        )
        .send()
        .await
        .expect_err("the item failed");

    assert!(
        matches!(&error, v8::UploadAttachmentError::InvalidData(e) if e.http_status() == 200),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("INVALID_DATA"));
    assert_eq!(
        recorder.requests().len(),
        1,
        "a failed item is not sent again"
    );
}

#[tokio::test]
async fn get_photo_gives_the_image_or_none_on_204() {
    let image = Bytes::from([&b"\x89PNG\r\n\x1a\n"[..], &pseudo_random_bytes(40_000, 4)].concat());
    let recorder = Recorder::start(Reply::new(200, Some("image/png"), image.clone())).await;
    recorder.on(
        Method::GET,
        "/crm/v8/Vehicles__c/7/photo",
        Reply::new(204, None, ""),
    );
    let client = client(&recorder);

    let photo = client
        .crm_v8()
        .get_photo(v8::PhotoModule::Contacts, PHOTO_RECORD_ID)
        .send()
        .await
        .expect("the answer arrives")
        .expect("a 200 carries the photo");
    assert_eq!(photo.content_type(), Some("image/png"));
    assert_eq!(photo.file_name(), None, "no Content-Disposition was sent");
    assert_same_bytes(&photo.bytes().await.expect("read"), &image, "photo");

    let none = client
        .crm_v8()
        .get_photo(custom_photo_module("Vehicles__c"), "7")
        .send()
        .await
        .expect("a 204 is a success");
    assert!(none.is_none(), "{none:?}");

    let requests = recorder.requests();
    let lines: Vec<String> = requests.iter().map(|sent| sent.request_line()).collect();
    assert_eq!(
        lines,
        [
            "GET /crm/v8/Contacts/3000000038009/photo",
            "GET /crm/v8/Vehicles__c/7/photo"
        ]
    );
    for sent in &requests {
        assert_authorized(sent);
        assert_no_body(sent);
    }
}

#[tokio::test]
async fn upload_photo_sends_one_file_part_and_restrict_triggers() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"code":"SUCCESS","details":{},"message":"photo uploaded successfully","status":"success"}"#,
    ))
    .await;
    let image = Bytes::from([&b"\x89PNG\r\n\x1a\n"[..], &pseudo_random_bytes(150_001, 9)].concat());

    // Deals accept an uploaded photo, though not in the download and delete set.
    let result = client(&recorder)
        .crm_v8()
        .upload_photo(
            v8::PhotoUploadModule::Deals,
            PHOTO_RECORD_ID,
            v8::PhotoUpload::bytes("img1.png", image.clone()),
        )
        .restrict_triggers("workflow")
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(&sent, "POST", "/crm/v8/Deals/3000000038009/photo");
    assert_eq!(sent.query.as_deref(), Some("restrict_triggers=workflow"));
    assert_authorized(&sent);
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["file"]);
    assert_eq!(parts[0].file_name.as_deref(), Some("img1.png"));
    assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
    assert_same_bytes(&parts[0].data, &image, "uploaded photo");

    assert_eq!(result.code.as_deref(), Some("SUCCESS"));
    assert_eq!(result.status.as_deref(), Some("success"));
    assert_eq!(
        result.message.as_deref(),
        Some("photo uploaded successfully")
    );
    assert_eq!(result.details, Some(serde_json::Map::new()));
}

#[tokio::test]
async fn delete_photo_of_a_custom_module_uses_its_api_name() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"code":"SUCCESS","details":{"id":"3000000038009"},"message":"Photo deleted","status":"success"}"#,
    ))
    .await;
    let client = client(&recorder);

    let result = client
        .crm_v8()
        .delete_photo(custom_photo_module("Vehicles__c"), PHOTO_RECORD_ID)
        .send()
        .await
        .expect("the answer decodes");
    client
        .crm_v8()
        .delete_photo(v8::PhotoModule::Leads, PHOTO_RECORD_ID)
        .send()
        .await
        .expect("the answer decodes");

    let requests = recorder.requests();
    let lines: Vec<String> = requests.iter().map(|sent| sent.request_line()).collect();
    assert_eq!(
        lines,
        [
            "DELETE /crm/v8/Vehicles__c/3000000038009/photo",
            // The page's sample request.
            "DELETE /crm/v8/Leads/3000000038009/photo"
        ]
    );
    for sent in &requests {
        assert_authorized(sent);
        assert_no_body(sent);
    }
    assert_eq!(result.code.as_deref(), Some("SUCCESS"));
    assert_eq!(result.message.as_deref(), Some("Photo deleted"));
    assert_eq!(
        result
            .details
            .and_then(|details| details.get("id").cloned()),
        Some(json!("3000000038009"))
    );
}

/// A custom module as the photo operations take it: through `Module::custom`.
fn custom_photo_module(api_name: &str) -> v8::PhotoModule {
    v8::PhotoModule::try_from(v8::Module::custom(api_name)).expect("photos take custom modules")
}
