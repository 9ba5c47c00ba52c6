//! CRM v8 "Delete an Attachment" and "Delete Attachments": one ID, or several from any
//! iterable of strings; the per-attachment results of the answer, the scopes and the errors.

use zoho_attachments::crm::v8::{self, DeleteAttachment, DeleteAttachments, DeleteResult, Module};
use zoho_attachments::{Client, Error, ServiceError};

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("1000.test")
        .build()
        .expect("a loopback base URL and a token are enough to build a client")
}

/// The IDs Zoho did not delete, from a result per attachment.
fn not_deleted(result: &DeleteResult) -> Vec<String> {
    result
        .data
        .iter()
        .filter(|entry| entry.status.as_deref() != Some("success"))
        .filter_map(|entry| entry.details.as_ref()?.id.clone())
        .collect()
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

/// Deletes one attachment; `Ok(false)` when Zoho says its ID is not valid.
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
        Ok(result) => Ok(not_deleted(&result).is_empty()),
        Err(v8::DeleteAttachmentError::Unhandled(service)) if service.code() == "INVALID_DATA" => {
            Ok(false)
        }
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

    // One result per attachment: a failure among successes is found.
    let result: DeleteResult = serde_json::from_str(
        r#"{"data": [
            {"code": "SUCCESS", "details": {"id": "11"}, "message": "record deleted", "status": "success"},
            {"code": "INVALID_DATA", "details": {"id": "12"}, "message": "the id given seems to be invalid", "status": "error"}
        ]}"#,
    )
    .expect("a v8 delete answer decodes");
    assert_eq!(not_deleted(&result), ["12"]);
    assert_eq!(result.data[1].code.as_deref(), Some("INVALID_DATA"));

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
    assert!(matches!(one, v8::DeleteAttachmentError::Unhandled(_)));

    assert_spawnable(delete_temporary(client.clone(), "1".to_owned()));
    assert_spawnable(delete_one(client, "1".to_owned(), "2".to_owned()));
}
