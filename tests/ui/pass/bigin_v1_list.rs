//! Bigin v1 "Get list of Attachments": a module and a record ID, no `fields`; Bigin's
//! Companies module is sent under its API name `Accounts`.

use zoho_attachments::bigin::v1::{self, AttachmentList, ListAttachments, Module};
use zoho_attachments::{Client, DataCenter};

/// The whole call; type-checked by `main`, never run.
async fn count(client: Client) -> Result<usize, v1::ListAttachmentsError> {
    let list = client
        .bigin_v1()
        .list_attachments(Module::Companies, "4150868000002728001")
        .send()
        .await?;
    Ok(list.data.len())
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
        .data_center(DataCenter::Au)
        .access_token("1000.test")
        .build()
        .expect("a data centre and a token are enough to build a client");
    let bigin = client.bigin_v1();

    for module in Module::BUILT_IN {
        let request: ListAttachments = bigin.list_attachments(*module, "4150868000002728001");
        assert_spawnable(request.send());
    }
    assert_eq!(Module::Companies.api_name(), "Accounts");
    assert_eq!(Module::Companies.display_name(), "Companies");
    assert_eq!(Module::from_api_name("Accounts"), Some(Module::Companies));
    assert_eq!(Module::from_api_name("Leads"), None);

    assert_eq!(
        ListAttachments::minimal_scopes(&Module::Companies),
        [
            "ZohoBigin.modules.accounts.READ",
            "ZohoBigin.modules.attachments.READ"
        ],
    );
    assert!(
        ListAttachments::REQUIRED_SCOPES
            .to_string()
            .starts_with("(ZohoBigin.modules.ALL or ")
    );

    let list: AttachmentList = serde_json::from_str(
        r#"{
            "data": [{
                "id": "1", "File_Name": "a.png", "$type": "Attachment",
                "$link_url": null, "$new": true
            }],
            "info": {"per_page": 200, "count": 1, "page": 1, "more_records": false}
        }"#,
    )
    .expect("a Bigin answer decodes");
    let attachment = &list.data[0];
    assert_eq!(attachment.r#type.as_deref(), Some("Attachment"));
    assert_eq!(attachment.link_url, None);
    assert_eq!(attachment.extra["$new"], true);
    assert_eq!(list.info.count, Some(1));

    assert_spawnable(count(client));
}
