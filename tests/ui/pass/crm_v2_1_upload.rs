//! CRM v2.1 "Upload an Attachment" with every form of body: a file from a path, from
//! memory or from a reader, a link with or without a title, and the `From` conversions.

use std::io::Cursor;

use zoho_attachments::crm::v2_1::{
    self, Module, Upload, UploadAttachment, UploadLink, UploadResult,
};
use zoho_attachments::{Client, DataCenter, FilePart};

/// The whole call; type-checked by `main`, never run.
async fn attach_link(
    client: Client,
    record_id: String,
) -> Result<Option<String>, v2_1::UploadAttachmentError> {
    let done = client
        .crm_v2_1()
        .upload_attachment(
            Module::Leads,
            record_id,
            Upload::link("https://www.zohocorp.com").title("Zoho"),
        )
        .send()
        .await?;
    Ok(done
        .data
        .into_iter()
        .next()
        .and_then(|result| result.details)
        .and_then(|details| details.id))
}

/// Compiles only if `future` meets `tokio::spawn`'s bounds; it is dropped, never polled.
fn assert_spawnable<F>(future: F)
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    drop(future);
}

fn main() {
    // A data centre instead of a base URL: nothing is contacted until a request is sent.
    let client = Client::builder()
        .data_center(DataCenter::In)
        .access_token("1000.test")
        .build()
        .expect("a data centre and a token are enough to build a client");
    let crm = client.crm_v2_1();

    let link: UploadLink = Upload::link("https://www.zohocorp.com");
    let requests: [UploadAttachment; 8] = [
        crm.upload_attachment(Module::Leads, "1", Upload::path("report.pdf")),
        crm.upload_attachment(
            Module::Accounts,
            "2",
            Upload::bytes("notes.txt", vec![1_u8, 2, 3]),
        ),
        crm.upload_attachment(
            Module::Contacts,
            "3",
            Upload::file(FilePart::path("report.pdf")),
        ),
        crm.upload_attachment(
            Module::Deals,
            "4",
            Upload::file(FilePart::reader(
                "log.txt",
                Cursor::new(b"log".to_vec()),
                None,
            )),
        ),
        crm.upload_attachment(Module::Quotes, "5", link),
        crm.upload_attachment(
            Module::Notes,
            "6",
            Upload::link("https://example.com").title("Example"),
        ),
        crm.upload_attachment(Module::custom("Foo__c"), "7", FilePart::bytes("a.txt", "a")),
        crm.upload_attachment(
            Module::SalesOrders,
            "8",
            Upload::from(FilePart::path("a.png").content_type("image/png")),
        ),
    ];
    for request in requests {
        assert_spawnable(request.send());
    }

    assert_eq!(
        UploadAttachment::minimal_scopes(&Module::SalesOrders),
        [
            "ZohoCRM.modules.salesorders.CREATE",
            "ZohoCRM.modules.attachments.CREATE"
        ],
    );
    assert!(UploadAttachment::REQUIRED_SCOPES.is_satisfied_by(
        Some(Module::Leads.scope_name()),
        &["ZohoCRM.modules.ALL", "ZohoCRM.modules.attachments.WRITE"],
    ));

    let done: UploadResult = serde_json::from_str(
        r#"{"data": [{"code": "SUCCESS", "details": {"id": "42"}, "status": "success"}]}"#,
    )
    .expect("a v2.1 answer decodes");
    assert_eq!(
        done.data[0]
            .details
            .as_ref()
            .and_then(|details| details.id.as_deref()),
        Some("42")
    );
    assert!(done.extra.is_empty());

    assert_spawnable(attach_link(client, "4876876000000376008".to_owned()));
}
