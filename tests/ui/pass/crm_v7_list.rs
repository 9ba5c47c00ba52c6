//! CRM v7 "Get list of Attachments" as a user calls it: `fields` from any iterable of
//! strings, built-in and custom modules, the scopes to ask for, and the typed answer.

use zoho_attachments::{Client, Tolerant};
use zoho_attachments::crm::v7::{self, AttachmentList, ListAttachments, Module};

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("1000.test")
        .build()
        .expect("a loopback base URL and a token are enough to build a client")
}

/// The whole call; type-checked by `main`, never run (nothing listens on port 9).
async fn file_names(client: Client) -> Result<Vec<String>, v7::ListAttachmentsError> {
    let list = client
        .crm_v7()
        .list_attachments(Module::Leads, "4876876000000376008", ["id", "File_Name"])
        .send()
        .await?;
    Ok(list
        .data
        .into_iter()
        .filter_map(|attachment| attachment.file_name)
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
    let client = client();
    let crm = client.crm_v7();

    // `fields` from an array of `&str`, a `Vec<String>` and an iterator.
    let from_array: ListAttachments = crm.list_attachments(Module::Leads, "1", ["id", "File_Name"]);
    let wanted: Vec<String> = vec!["id".to_owned(), "Size".to_owned()];
    let from_vec = crm.list_attachments(Module::Contacts, String::from("2"), wanted);
    let from_iter = crm.list_attachments(
        Module::PriceBooks,
        "3",
        ["Owner", "Parent_Id", "Modified_By"]
            .iter()
            .map(|field| field.to_lowercase()),
    );
    // Each request future can be spawned onto another task.
    assert_spawnable(from_array.send());
    assert_spawnable(from_vec.send());
    assert_spawnable(from_iter.send());

    // An organisation's own module, by the API name its settings show.
    let custom = Module::custom("Foo__c");
    assert_eq!(custom.api_name(), "Foo__c");
    assert_eq!(custom.scope_name(), "custom");
    assert_spawnable(crm.list_attachments(custom.clone(), "4", ["id"]).send());
    // A built-in API name is never a custom module: it keeps its own scope name.
    assert_eq!(Module::custom("Leads"), Module::Leads);
    assert_eq!(Module::custom("Leads").scope_name(), "leads");
    assert!(matches!(&custom, Module::Custom(name) if name.api_name() == "Foo__c"));

    // Built-in modules keep Zoho's API names.
    assert_eq!(Module::PriceBooks.api_name(), "Price_Books");
    assert_eq!(
        Module::from_api_name("Appointments__s"),
        Some(Module::Appointments)
    );

    // The scopes to ask the user to consent to.
    assert_eq!(
        ListAttachments::REQUIRED_SCOPES.to_string(),
        "(ZohoCRM.modules.ALL or ZohoCRM.modules.{module}.{operation}) \
         and ZohoCRM.modules.attachments.{operation}, where {operation} is one of ALL, READ",
    );
    assert_eq!(
        ListAttachments::minimal_scopes(&Module::Leads),
        [
            "ZohoCRM.modules.leads.READ",
            "ZohoCRM.modules.attachments.READ"
        ],
    );
    assert_eq!(
        ListAttachments::minimal_scopes(&custom),
        [
            "ZohoCRM.modules.custom.READ",
            "ZohoCRM.modules.attachments.READ"
        ],
    );

    // Reading the typed answer, including a key this crate does not know.
    let list: AttachmentList = serde_json::from_str(
        r#"{
            "data": [{"id": "9", "File_Name": "Image.jpg", "Size": "362207", "$x_new": 1}],
            "info": {"per_page": 200, "count": 1, "page": 1, "more_records": false}
        }"#,
    )
    .expect("a v7 answer decodes");
    let attachment = &list.data[0];
    assert_eq!(attachment.file_name.as_deref(), Some("Image.jpg"));
    assert_eq!(attachment.size, Some(Tolerant::Value(362_207)));
    assert_eq!(attachment.extra["$x_new"], 1);
    assert_eq!(list.info.more_records, Some(false));

    assert_spawnable(file_names(client));
}
