//! Bigin v2: each operation's request and decoded answer. The v2 pages' samples could not
//! be read, so the answers follow the shapes the spec assumes (Bigin v1's list, CRM's
//! action results).

use bytes::Bytes;
use serde_json::json;
use zoho_attachments::Tolerant;
use zoho_attachments::bigin::v2;
use zoho_tests::recorder::{Recorder, Reply};

use crate::support::{
    assert_authorized, assert_no_body, assert_request_line, assert_same_bytes, client,
    multipart_parts, part_names, pseudo_random_bytes,
};

const RECORD_ID: &str = "4150868000002728001";

/// Bigin v1's sample entry, as v2 is assumed to answer it.
const LIST_ANSWER: &str = r#"{
  "data": [
    {
      "Owner": {"name": "Patricia Boyle", "id": "4150868000000225013", "email": "patricia.b@zylker.com"},
      "Modified_Time": "2020-07-24T18:12:43+05:30",
      "File_Name": "Screen Shot 2020-07-21 at 11.27.04 PM.png",
      "Created_Time": "2020-07-24T18:12:43+05:30",
      "Size": "362207",
      "Parent_Id": {"name": "Zylker", "id": "4150868000002728001"},
      "$editable": true,
      "$file_id": "iewimc754be98ef89473fbf474139d65f758a",
      "$type": "Attachment",
      "$se_module": "Accounts",
      "$state": "save",
      "id": "4150868000002728012",
      "$link_url": null
    }
  ],
  "info": {"per_page": 200, "count": 1, "page": 1, "more_records": false}
}"#;

const UPLOADED: &str = r#"{"data":[{"code":"SUCCESS","details":{"Modified_Time":"2024-03-01T10:00:00+05:30","Created_Time":"2024-03-01T10:00:00+05:30","id":"4150868000005277036"},"message":"attachment uploaded successfully","status":"success"}]}"#;

#[tokio::test]
async fn list_uses_each_modules_api_name_and_decodes_the_entries() {
    let recorder = Recorder::start(Reply::json(200, LIST_ANSWER)).await;
    let client = client(&recorder);

    let list = client
        .bigin_v2()
        .list_attachments(v2::Module::Companies, RECORD_ID)
        .send()
        .await
        .expect("the answer decodes");
    for module in v2::Module::BUILT_IN {
        client
            .bigin_v2()
            .list_attachments(*module, "1")
            .send()
            .await
            .expect("the answer decodes");
    }

    let requests = recorder.requests();
    assert_request_line(
        &requests[0],
        "GET",
        "/bigin/v2/Accounts/4150868000002728001/Attachments",
    );
    assert_eq!(requests[0].query, None, "`fields` is sent only when set");
    assert_authorized(&requests[0]);
    assert_no_body(&requests[0]);
    let paths: Vec<&str> = requests[1..]
        .iter()
        .map(|sent| sent.path.as_str())
        .collect();
    // The spec's module table: Companies is `Accounts` in the API.
    assert_eq!(
        paths,
        [
            "/bigin/v2/Contacts/1/Attachments",
            "/bigin/v2/Pipelines/1/Attachments",
            "/bigin/v2/Accounts/1/Attachments",
            "/bigin/v2/Products/1/Attachments",
            "/bigin/v2/Tasks/1/Attachments",
            "/bigin/v2/Events/1/Attachments",
            "/bigin/v2/Notes/1/Attachments",
        ]
    );

    let [attachment] = list.data.as_slice() else {
        panic!("expected one attachment, got {:?}", list.data);
    };
    assert_eq!(attachment.id.as_deref(), Some("4150868000002728012"));
    assert_eq!(attachment.size, Some(Tolerant::Value(362_207)));
    assert_eq!(attachment.se_module.as_deref(), Some("Accounts"));
    assert_eq!(attachment.editable, Some(true));
    assert_eq!(attachment.link_url, None);
    assert_eq!(
        attachment
            .modified_time
            .as_ref()
            .and_then(Tolerant::value)
            .map(|time| time.to_rfc3339())
            .as_deref(),
        Some("2020-07-24T18:12:43+05:30")
    );
    let info = list.info.as_ref().expect("paging information");
    assert_eq!((info.page, info.count), (Some(1), Some(1)));
    assert_eq!(info.more_records, Some(false));
}

#[tokio::test]
async fn upload_of_a_file_to_pipelines_sends_one_file_part() {
    let recorder = Recorder::start(Reply::json(200, UPLOADED)).await;
    let content = pseudo_random_bytes(300_007, 22);

    let result = client(&recorder)
        .bigin_v2()
        .upload_attachment(
            v2::Module::Pipelines,
            RECORD_ID,
            v2::Upload::bytes("deal terms.docx", content.clone()),
        )
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "POST",
        "/bigin/v2/Pipelines/4150868000002728001/Attachments",
    );
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["file"]);
    assert_eq!(parts[0].file_name.as_deref(), Some("deal terms.docx"));
    assert_same_bytes(&parts[0].data, &content, "uploaded file");

    let [outcome] = result.data.as_slice() else {
        panic!("expected one outcome, got {:?}", result.data);
    };
    assert_eq!(outcome.code.as_deref(), Some("SUCCESS"));
    assert_eq!(
        outcome.message.as_deref(),
        Some("attachment uploaded successfully")
    );
    assert_eq!(
        outcome
            .details
            .as_ref()
            .and_then(|details| details.get("id")),
        Some(&json!("4150868000005277036"))
    );
}

#[tokio::test]
async fn upload_of_a_link_to_contacts_sends_only_the_url() {
    let recorder = Recorder::start(Reply::json(200, UPLOADED)).await;

    client(&recorder)
        .bigin_v2()
        .upload_attachment(
            v2::Module::Contacts,
            RECORD_ID,
            v2::Upload::link("https://www.zylker.com/brochure?lang=en&v=2"),
        )
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "POST",
        "/bigin/v2/Contacts/4150868000002728001/Attachments",
    );
    assert_eq!(sent.query, None, "the link goes in the form");
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["attachmentUrl"]);
    assert_eq!(parts[0].file_name, None);
    assert_eq!(
        parts[0].text(),
        "https://www.zylker.com/brochure?lang=en&v=2"
    );
}

#[tokio::test]
async fn list_sends_fields_comma_separated_when_set() {
    let recorder = Recorder::start(Reply::json(200, LIST_ANSWER)).await;

    client(&recorder)
        .bigin_v2()
        .list_attachments(v2::Module::Contacts, RECORD_ID)
        .fields(["id", "File_Name", "Created_Time"])
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/bigin/v2/Contacts/4150868000002728001/Attachments",
    );
    assert_eq!(
        sent.query_pairs(),
        [("fields".to_owned(), "id,File_Name,Created_Time".to_owned())]
    );
}

#[tokio::test]
async fn download_from_products_is_the_file_with_its_name() {
    let content = Bytes::from(pseudo_random_bytes(250_000, 23));
    let recorder = Recorder::start(Reply::new(200, Some("image/jpeg"), content.clone()).header(
        "Content-Disposition",
        "attachment; filename=\"catalogue 2024.jpg\"",
    ))
    .await;

    // Bigin answers 204 for an unknown ID (its status-code page), so the download is optional.
    let download: zoho_attachments::Download = client(&recorder)
        .bigin_v2()
        .download_attachment(v2::Module::Products, RECORD_ID, "4150868000002728012")
        .send()
        .await
        .expect("the answer arrives")
        .expect("a file, not the empty answer");

    assert_eq!(download.file_name(), Some("catalogue 2024.jpg"));
    assert_eq!(download.content_type(), Some("image/jpeg"));
    assert_eq!(download.content_length(), Some(250_000));
    assert_same_bytes(&download.bytes().await.expect("read"), &content, "download");
    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/bigin/v2/Products/4150868000002728001/Attachments/4150868000002728012",
    );
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    assert_no_body(&sent);
}

#[tokio::test]
async fn delete_from_tasks_sends_delete_and_decodes_the_result() {
    let recorder = Recorder::start(Reply::json(
        200,
        r#"{"data":[{"code":"SUCCESS","details":{"id":"4150868000002728012"},"message":"record deleted","status":"success"}]}"#,
    ))
    .await;

    let result = client(&recorder)
        .bigin_v2()
        .delete_attachment(v2::Module::Tasks, RECORD_ID, "4150868000002728012")
        .send()
        .await
        .expect("the answer decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "DELETE",
        "/bigin/v2/Tasks/4150868000002728001/Attachments/4150868000002728012",
    );
    assert_eq!(sent.query, None);
    assert_authorized(&sent);
    assert_no_body(&sent);
    assert_eq!(result.data.len(), 1);
    assert_eq!(result.data[0].status.as_deref(), Some("success"));
    assert_eq!(
        result.data[0]
            .details
            .as_ref()
            .and_then(|details| details.get("id")),
        Some(&json!("4150868000002728012"))
    );
}
