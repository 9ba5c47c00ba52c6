//! The other ways to upload (in-memory bytes, a reader, a link) and the module path
//! segments whose API names differ from their display names.

use bytes::Bytes;
use zoho_attachments::FilePart;
use zoho_attachments::crm::{v2_1, v8};

use crate::support::{
    assert_authorized, assert_request_line, assert_same_bytes, client, multipart_parts, part_names,
    pseudo_random_bytes, recorder_with_sample,
};

#[tokio::test]
async fn v8_bytes_upload_to_price_books_sends_the_given_name_and_bytes() {
    let recorder = recorder_with_sample("crm", "v8", "upload_attachment").await;
    let content = pseudo_random_bytes(200_003, 3);

    let result = client(&recorder)
        .crm_v8()
        .upload_attachment(
            v8::Module::PriceBooks,
            "4150868000000225013",
            v8::Upload::bytes("price list 2025.csv", content.clone()),
        )
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "POST",
        "/crm/v8/Price_Books/4150868000000225013/Attachments",
    );
    assert_authorized(&sent);
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["file"]);
    assert_eq!(parts[0].file_name.as_deref(), Some("price list 2025.csv"));
    assert_eq!(parts[0].content_type.as_deref(), Some("text/csv"));
    assert_same_bytes(&parts[0].data, &content, "uploaded bytes");
    assert_eq!(
        result.data[0]
            .details
            .as_ref()
            .and_then(|details| details.id.as_deref()),
        Some("4150868000005277036")
    );
}

#[tokio::test]
async fn v8_link_to_appointments_sends_url_and_title_as_text_parts_only() {
    let recorder = recorder_with_sample("crm", "v8", "upload_attachment").await;

    client(&recorder)
        .crm_v8()
        .upload_attachment(
            v8::Module::Appointments,
            "4150868000000225013",
            v8::Upload::link("https://www.zohocorp.com/?a=1&b=2").title("Zoho Corp — home"),
        )
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "POST",
        "/crm/v8/Appointments__s/4150868000000225013/Attachments",
    );
    assert_eq!(sent.query, None, "the link goes in the form, not the query");
    assert_authorized(&sent);
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["attachmentUrl", "title"]);
    assert!(
        parts.iter().all(|part| part.file_name.is_none()),
        "a link sends no file: {parts:?}"
    );
    assert_eq!(parts[0].text(), "https://www.zohocorp.com/?a=1&b=2");
    assert_eq!(parts[1].text(), "Zoho Corp — home");
}

#[tokio::test]
async fn v2_1_link_without_title_sends_only_the_url() {
    let recorder = recorder_with_sample("crm", "v2.1", "upload_attachment").await;

    let result = client(&recorder)
        .crm_v2_1()
        .upload_attachment(
            v2_1::Module::Leads,
            "1000000231009",
            v2_1::Upload::link("https://www.zohocorp.com"),
        )
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(&sent, "POST", "/crm/v2.1/Leads/1000000231009/Attachments");
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["attachmentUrl"]);
    assert_eq!(parts[0].file_name, None);
    assert_eq!(parts[0].text(), "https://www.zohocorp.com");
    assert_eq!(result.data[0].code.as_deref(), Some("SUCCESS"));
}

#[tokio::test]
async fn v8_reader_upload_to_a_custom_module_uses_its_api_name() {
    let recorder = recorder_with_sample("crm", "v8", "upload_attachment").await;
    let content = Bytes::from(pseudo_random_bytes(100_000, 5));
    let reader = std::io::Cursor::new(content.clone());
    let length = u64::try_from(content.len()).expect("fits");

    client(&recorder)
        .crm_v8()
        .upload_attachment(
            v8::Module::custom("Shipments__c"),
            "4150868000000225013",
            v8::Upload::file(
                FilePart::reader("manifest.json", reader, Some(length))
                    .content_type("application/json"),
            ),
        )
        .send()
        .await
        .expect("the sample decodes");

    let sent = recorder.only_request();
    assert_request_line(
        &sent,
        "POST",
        "/crm/v8/Shipments__c/4150868000000225013/Attachments",
    );
    let parts = multipart_parts(&sent).await;
    assert_eq!(part_names(&parts), ["file"]);
    assert_eq!(parts[0].file_name.as_deref(), Some("manifest.json"));
    assert_eq!(parts[0].content_type.as_deref(), Some("application/json"));
    assert_same_bytes(&parts[0].data, &content, "uploaded reader content");
}

#[tokio::test]
async fn v2_1_custom_module_and_price_books_use_their_api_names() {
    let recorder = recorder_with_sample("crm", "v2.1", "upload_attachment").await;
    let client = client(&recorder);

    for module in [v2_1::Module::PriceBooks, v2_1::Module::custom("Projects_X")] {
        client
            .crm_v2_1()
            .upload_attachment(module, "42", v2_1::Upload::bytes("a.txt", "hello"))
            .send()
            .await
            .expect("the sample decodes");
    }

    let paths: Vec<String> = recorder
        .requests()
        .into_iter()
        .map(|sent| sent.path)
        .collect();
    assert_eq!(
        paths,
        [
            "/crm/v2.1/Price_Books/42/Attachments",
            "/crm/v2.1/Projects_X/42/Attachments"
        ]
    );
}
