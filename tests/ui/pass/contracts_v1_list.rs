//! Zoho Contracts v1 "Get all attachments": the contract's API name is the only argument,
//! and numeric codes in the answer decode into enums that keep unknown values.

use zoho_attachments::contracts::v1::{
    self, AttachmentStatus, AttachmentType, ContractAttachmentList, ListAttachments,
};
use zoho_attachments::{Client, DataCenter, Tolerant};

/// The whole call; type-checked by `main`, never run.
async fn links(client: Client, contract: String) -> Result<Vec<String>, v1::ListAttachmentsError> {
    let list = client
        .contracts_v1()
        .list_attachments(contract)
        .send()
        .await?;
    Ok(list
        .contractattachments
        .into_iter()
        .filter(|attachment| attachment.attachment_type == Some(AttachmentType::Link))
        .filter_map(|attachment| attachment.link_url)
        .collect())
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
    let client = Client::builder()
        .data_center(DataCenter::Us)
        .access_token("1000.test")
        .build()
        .expect("a data centre and a token are enough to build a client");

    let request: ListAttachments = client
        .contracts_v1()
        .list_attachments("msa-with-zenith-dynamics");
    assert_spawnable(request.send());
    assert_spawnable(
        client
            .contracts_v1()
            .list_attachments(String::from("nda-2025"))
            .send(),
    );

    // Contracts scopes name no module.
    assert_eq!(
        ListAttachments::minimal_scopes(),
        ["contracts.contracts.READ"]
    );
    assert_eq!(
        ListAttachments::REQUIRED_SCOPES.to_string(),
        "contracts.contracts.READ or contracts.contracts.ALL",
    );

    let list: ContractAttachmentList = serde_json::from_str(
        r#"{"contractattachments": [
            {"contractAttachmentId": "1", "attachmentType": 1, "status": 1,
             "file": {"FileId": 3000000272561, "name": "scan", "Extension": "jpg", "size": 994505}},
            {"contractAttachmentId": "2", "attachmentType": 2, "status": 7,
             "linkName": "Zoho", "linkURL": "https://www.zoho.com"}
        ]}"#,
    )
    .expect("a Contracts answer decodes");
    let [file, link] = &list.contractattachments[..] else {
        panic!("two attachments were sent");
    };
    assert_eq!(file.attachment_type, Some(AttachmentType::File));
    assert_eq!(file.status, Some(AttachmentStatus::Active));
    let content = file.file.as_ref().expect("the file entry has a file");
    assert_eq!(content.extension.as_deref(), Some("jpg"));
    assert_eq!(content.size, Some(Tolerant::Value(994_505)));
    assert_eq!(link.link_url.as_deref(), Some("https://www.zoho.com"));
    assert_eq!(link.status, Some(AttachmentStatus::Unknown(7)));

    assert_spawnable(links(client, "msa-with-zenith-dynamics".to_owned()));
}
