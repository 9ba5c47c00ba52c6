//! Every operation, answered with its documented sample response: the request that goes
//! over the wire and the typed values a user reads back.

use zoho_attachments::Tolerant;
use zoho_attachments::bigin::v1 as bigin;
use zoho_attachments::contracts::v1::{self as contracts, AttachmentStatus, AttachmentType};
use zoho_attachments::crm::{v2_1, v7, v8};

use crate::support::{
    assert_authorized, assert_no_body, assert_request_line, assert_same_bytes, client,
    multipart_parts, part_names, pseudo_random_bytes, recorder_with_sample,
};

/// The record id of the pages' samples.
const RECORD_ID: &str = "4876876000000376008";

#[tokio::test]
async fn crm_v7_list_attachments_sends_fields_and_decodes_the_sample() {
    let recorder = recorder_with_sample("crm", "v7", "list_attachments").await;

    let list = client(&recorder)
        .crm_v7()
        .list_attachments(v7::Module::Leads, RECORD_ID, ["id", "File_Name"])
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/crm/v7/Leads/4876876000000376008/Attachments",
    );
    assert_eq!(
        sent.query_pairs(),
        [("fields".to_owned(), "id,File_Name".to_owned())]
    );
    // Literal commas, as the page's sample request sends them.
    assert_eq!(sent.query.as_deref(), Some("fields=id,File_Name"));
    assert_authorized(&sent);
    assert_no_body(&sent);

    assert_eq!(list.data.len(), 2);
    let first = &list.data[0];
    assert_eq!(first.file_name.as_deref(), Some("Image.jpg"));
    assert_eq!(first.id.as_deref(), Some("4876876000001021001"));
    assert_eq!(
        first.parent_id, None,
        "the sample sends \"Parent_Id\": null"
    );
    assert_eq!(
        first
            .created_time
            .as_ref()
            .and_then(Tolerant::value)
            .map(|time| time.to_rfc3339())
            .as_deref(),
        Some("2022-04-21T10:27:41+05:30"),
        "the account's UTC offset is kept"
    );
    let owner = first.owner.as_ref().expect("an owner");
    assert_eq!(owner.name.as_deref(), Some("Patricia Boyle"));
    assert_eq!(owner.email.as_deref(), Some("patricia.boyle@zohocorp.com"));
    assert_eq!(list.data[1].file_name.as_deref(), Some("in23er.png"));

    assert_eq!(list.info.more_records, Some(false));
    assert_eq!(list.info.count, Some(2));
    assert_eq!(list.info.per_page, Some(200));
    assert_eq!(list.info.next_page_token, None);
}

#[tokio::test]
async fn crm_v8_upload_attachment_streams_a_file_from_disk_byte_for_byte() {
    let recorder = recorder_with_sample("crm", "v8", "upload_attachment").await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("Quarterly report.pdf");
    // A few MiB, not a multiple of the 64 KiB read chunk, so every chunk boundary counts.
    let content = pseudo_random_bytes(3 * 1024 * 1024 + 12_345, 8);
    std::fs::write(&path, &content).expect("the file is written");

    let result = client(&recorder)
        .crm_v8()
        .upload_attachment(v8::Module::Leads, RECORD_ID, v8::Upload::path(&path))
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "POST",
        "/crm/v8/Leads/4876876000000376008/Attachments",
    );
    assert_eq!(sent.query, None, "an upload sends no query");
    assert_authorized(&sent);
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["file"]);
    assert_eq!(parts[0].file_name.as_deref(), Some("Quarterly report.pdf"));
    assert_eq!(parts[0].content_type.as_deref(), Some("application/pdf"));
    assert_same_bytes(&parts[0].data, &content, "uploaded file");

    assert_eq!(result.data.len(), 1);
    let outcome = &result.data[0];
    assert_eq!(outcome.code.as_deref(), Some("SUCCESS"));
    assert_eq!(outcome.status.as_deref(), Some("success"));
    let details = outcome
        .details
        .as_ref()
        .expect("details of the new attachment");
    assert_eq!(details.id.as_deref(), Some("4150868000005277036"));
    assert_eq!(
        details
            .created_by
            .as_ref()
            .and_then(|user| user.name.as_deref()),
        Some("Patricia Boyle")
    );
}

#[tokio::test]
async fn crm_v2_1_upload_attachment_streams_a_file_from_disk_byte_for_byte() {
    let recorder = recorder_with_sample("crm", "v2.1", "upload_attachment").await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("contract-scan.bin");
    let content = pseudo_random_bytes(2 * 1024 * 1024 + 77, 21);
    std::fs::write(&path, &content).expect("the file is written");

    let result = client(&recorder)
        .crm_v2_1()
        .upload_attachment(
            v2_1::Module::Contacts,
            "1000000231009",
            v2_1::Upload::path(&path),
        )
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "POST",
        "/crm/v2.1/Contacts/1000000231009/Attachments",
    );
    assert_eq!(sent.query, None, "an upload sends no query");
    assert_authorized(&sent);
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["file"]);
    assert_eq!(parts[0].file_name.as_deref(), Some("contract-scan.bin"));
    assert_eq!(
        parts[0].content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_same_bytes(&parts[0].data, &content, "uploaded file");

    let details = result.data[0]
        .details
        .as_ref()
        .expect("details of the new attachment");
    assert_eq!(details.id.as_deref(), Some("4150868000005277036"));
    assert_eq!(
        details
            .modified_time
            .as_ref()
            .and_then(Tolerant::value)
            .map(|time| time.to_rfc3339())
            .as_deref(),
        Some("2021-05-03T18:03:00+05:30")
    );
}

#[tokio::test]
async fn bigin_v1_list_attachments_uses_the_api_name_and_decodes_lenient_sizes() {
    let recorder = recorder_with_sample("bigin", "v1", "list_attachments").await;

    // Bigin's Companies module is `Accounts` in the API.
    let list = client(&recorder)
        .bigin_v1()
        .list_attachments(bigin::Module::Companies, "1000000231009")
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(&sent, "GET", "/bigin/v1/Accounts/1000000231009/Attachments");
    assert_eq!(sent.query, None, "Bigin v1 documents no query parameters");
    assert_authorized(&sent);
    assert_no_body(&sent);

    assert_eq!(list.data.len(), 1);
    let attachment = &list.data[0];
    assert_eq!(
        attachment.size,
        Some(Tolerant::Value(362_207)),
        "the sample sends \"Size\": \"362207\""
    );
    assert_eq!(attachment.editable, Some(true));
    assert_eq!(
        attachment.file_name.as_deref(),
        Some("Screen Shot 2020-07-21 at 11.27.04 PM.png")
    );
    assert_eq!(
        attachment
            .parent_id
            .as_ref()
            .and_then(|parent| parent.id.as_deref()),
        Some("4150868000002728001")
    );
    assert_eq!(attachment.se_module.as_deref(), Some("Contacts"));
    assert_eq!(attachment.link_url, None);
    assert_eq!(list.info.more_records, Some(false));
}

#[tokio::test]
async fn contracts_v1_list_attachments_decodes_files_and_links() {
    let recorder = recorder_with_sample("contracts", "v1", "list_attachments").await;

    let list = client(&recorder)
        .contracts_v1()
        .list_attachments("msa-with-zenith-dynamics")
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "GET",
        "/api/v1/contracts/msa-with-zenith-dynamics/attachments",
    );
    assert_eq!(sent.query, None, "Contracts documents no query parameters");
    assert_authorized(&sent);
    assert_no_body(&sent);

    let [file, link] = list.contractattachments.as_slice() else {
        panic!(
            "expected a file and a link, got {:?}",
            list.contractattachments
        );
    };
    assert_eq!(file.attachment_type, Some(AttachmentType::File));
    assert_eq!(link.attachment_type, Some(AttachmentType::Link));
    assert_eq!(file.status, Some(AttachmentStatus::Active));
    assert_eq!(
        file.added_by.as_ref().and_then(|user| user.id),
        Some(3_000_000_131_411),
        "the sample sends the user id as a string"
    );
    let details: &contracts::ContractFile = file.file.as_ref().expect("a file entry has a file");
    assert_eq!(details.name.as_deref(), Some("20240109_174829"));
    assert_eq!(details.size, Some(Tolerant::Value(994_505)));
    assert_eq!(link.file, None);
    assert_eq!(link.link_url.as_deref(), Some("google.com"));
    assert_eq!(link.link_name.as_deref(), Some("link.com"));
}
