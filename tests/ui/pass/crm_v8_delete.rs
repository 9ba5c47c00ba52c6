//! CRM v8 "Delete an Attachment" and "Delete Attachments": one ID, or several from any
//! iterable of strings; one outcome per ID for several, the scopes and the errors.

use zoho_attachments::crm::v8::{
    self, ActionResult, DeleteAttachment, DeleteAttachments, DeleteAttachmentsError, Module,
};
use zoho_attachments::runtime::Outcomes;
use zoho_attachments::{Client, Error, ServiceError};

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("1000.test")
        .build()
        .expect("a loopback base URL and a token are enough to build a client")
}

/// The IDs Zoho did not delete, from an outcome per attachment.
fn not_deleted(outcomes: &Outcomes<ActionResult, DeleteAttachmentsError>) -> Vec<String> {
    outcomes.failed().map(|(id, _)| id.to_owned()).collect()
}

/// Deletes every attachment of a record whose name ends with `.tmp`, in one call;
/// type-checked by `main`, never run (nothing listens on port 9).
async fn delete_temporary(
    client: Client,
    record_id: String,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    let crm = client.crm_v8();
    let list = crm
        .list_attachments(Module::Leads, record_id.as_str(), ["id", "File_Name"])
        .send()
        .await?;
    let ids: Vec<String> = list
        .data
        .into_iter()
        .filter(|file| {
            file.file_name
                .as_deref()
                .is_some_and(|name| name.to_ascii_lowercase().ends_with(".tmp"))
        })
        .filter_map(|file| file.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let result = crm
        .delete_attachments(Module::Leads, record_id, ids)
        .send()
        .await?;
    Ok(not_deleted(&result))
}

/// Deletes one attachment; `Ok(false)` when Zoho says its ID is not valid (in an error
/// answer, or in the item of a success answer: both are the same variant).
async fn delete_one(
    client: Client,
    record_id: String,
    attachment_id: String,
) -> Result<bool, v8::DeleteAttachmentError> {
    match client
        .crm_v8()
        .delete_attachment(Module::Contacts, record_id, attachment_id)
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(v8::DeleteAttachmentError::InvalidData(_)) => Ok(false),
        Err(other) => Err(other),
    }
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
    let crm = client.crm_v8();

    let one: DeleteAttachment = crm.delete_attachment(Module::Deals, "1", "2");
    assert_spawnable(one.send());
    let owned = crm.delete_attachment(
        Module::custom("Foo__c"),
        String::from("1"),
        String::from("2"),
    );
    assert_spawnable(owned.send());

    // Several IDs from an array, a `Vec<String>`, or an iterator.
    let from_vec: Vec<String> = vec!["11".to_owned(), "12".to_owned()];
    let requests: [DeleteAttachments; 3] = [
        crm.delete_attachments(Module::Leads, "1", ["11", "12", "13"]),
        crm.delete_attachments(Module::Accounts, "2", from_vec),
        crm.delete_attachments(Module::Quotes, "3", (20..23).map(|id| id.to_string())),
    ];
    for request in requests {
        assert_spawnable(request.send());
    }

    // Deleting needs DELETE (or ALL) on the module and on attachments.
    assert_eq!(
        DeleteAttachments::minimal_scopes(&Module::Quotes),
        [
            "ZohoCRM.modules.quotes.DELETE",
            "ZohoCRM.modules.attachments.DELETE"
        ],
    );
    assert_eq!(
        DeleteAttachment::REQUIRED_SCOPES.to_string(),
        "(ZohoCRM.modules.ALL or ZohoCRM.modules.{module}.{operation}) \
         and ZohoCRM.modules.attachments.{operation}, \
         where {operation} is one of ALL, DELETE",
    );
    assert_eq!(
        DeleteAttachment::REQUIRED_SCOPES,
        DeleteAttachments::REQUIRED_SCOPES
    );

    // Each operation keeps its own page's error codes.
    let invalid = Error::Service(ServiceError::new(
        400,
        "INVALID_DATA",
        "the id given seems to be invalid",
        serde_json::Value::Null,
    ));
    let several = v8::DeleteAttachmentsError::from(invalid);
    assert!(matches!(
        several,
        v8::DeleteAttachmentsError::InvalidData(_)
    ));
    let one = v8::DeleteAttachmentError::from(Error::Service(ServiceError::new(
        400,
        "INVALID_DATA",
        "the id given seems to be invalid",
        serde_json::Value::Null,
    )));
    assert!(matches!(one, v8::DeleteAttachmentError::InvalidData(_)));

    assert_spawnable(delete_temporary(client.clone(), "1".to_owned()));
    assert_spawnable(delete_one(client, "1".to_owned(), "2".to_owned()));
}
