//! CRM v8 "Download an Attachment": the answer is a file (`Download`), or `None` when Zoho
//! answers 204. Each way of reading it is used as an application would: into memory, as a
//! stream, to a chosen path, or into a folder under a safe name; the futures can be spawned.

use std::path::PathBuf;

use futures::StreamExt;
use zoho_attachments::crm::v8::{self, DownloadAttachment, Module};
use zoho_attachments::runtime::Bytes;
use zoho_attachments::{Client, Download, Error, ServiceError};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("1000.test")
        .build()
        .expect("a loopback base URL and a token are enough to build a client")
}

/// The file's name and bytes, or `None` when Zoho has no such attachment.
async fn in_memory(
    client: Client,
    record_id: String,
    attachment_id: String,
) -> Result<Option<(String, Bytes)>, BoxError> {
    let answer: Option<Download> = client
        .crm_v8()
        .download_attachment(Module::Leads, record_id, attachment_id)
        .send()
        .await?;
    match answer {
        Some(file) => {
            let name = file
                .safe_file_name()
                .unwrap_or_else(|| "download".to_owned());
            let bytes: Bytes = file.bytes().await?;
            Ok(Some((name, bytes)))
        }
        None => Ok(None),
    }
}

/// Counts the bytes of a large file chunk by chunk, in constant memory; 0 when absent.
async fn streamed_length(client: Client, attachment_id: String) -> Result<u64, BoxError> {
    let Some(file) = client
        .crm_v8()
        .download_attachment(Module::Deals, "4876876000000376008", attachment_id)
        .send()
        .await?
    else {
        return Ok(0);
    };
    let mut chunks = file.into_stream();
    let mut length: u64 = 0;
    while let Some(chunk) = chunks.next().await {
        length += u64::try_from(chunk?.len())?;
    }
    Ok(length)
}

/// Saves the file at `path` (replacing it); the number of bytes written, if there was a file.
async fn to_path(
    client: Client,
    module: Module,
    attachment_id: String,
    path: PathBuf,
) -> Result<Option<u64>, BoxError> {
    let answer = client
        .crm_v8()
        .download_attachment(module, "4876876000000376008", attachment_id)
        .send()
        .await?;
    if let Some(file) = answer {
        let written: u64 = file.save_to(&path).await?;
        return Ok(Some(written));
    }
    Ok(None)
}

/// Saves the file in `folder` under the name Zoho gave, made safe; what was saved, and where.
async fn into_folder(
    client: Client,
    attachment_id: String,
    folder: PathBuf,
) -> Result<Option<(String, PathBuf)>, BoxError> {
    let request: DownloadAttachment =
        client
            .crm_v8()
            .download_attachment(Module::custom("Foo__c"), "7", attachment_id);
    Ok(match request.send().await? {
        Some(file) => {
            let what = describe(&file);
            Some((what, file.save_in(&folder).await?))
        }
        None => None,
    })
}

/// The file's metadata, read before deciding how to read its body.
fn describe(file: &Download) -> String {
    format!(
        "{} ({}, {} bytes, HTTP {})",
        file.file_name().unwrap_or("no name"),
        file.content_type().unwrap_or("no type"),
        file.content_length()
            .map_or_else(|| "?".to_owned(), |length| length.to_string()),
        file.status(),
    )
}

/// What to tell the user about a failed download.
fn explain(error: &v8::DownloadAttachmentError) -> &'static str {
    use v8::DownloadAttachmentError as E;
    match error {
        E::DownloadNotAllowed(_) => "a link attachment has no file to download",
        E::TooManyRequests(_) => "try again later",
        E::InvalidModule(_) | E::InvalidData(_) | E::InvalidRequest(_) => "check the IDs",
        E::Unhandled(_) => "Zoho answered an undocumented error",
        E::Request(_) => "no answer",
        _ => "unknown",
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

fn service(status: u16, code: &str) -> Error {
    Error::Service(ServiceError::new(
        status,
        code,
        "from the test",
        serde_json::Value::Null,
    ))
}

fn main() {
    let client = client();

    let request = client.crm_v8().download_attachment(Module::Leads, "1", "2");
    assert_spawnable(request.send());

    // Downloading needs the module's scope and the attachments scope, READ at least.
    assert_eq!(
        DownloadAttachment::minimal_scopes(&Module::SalesOrders),
        [
            "ZohoCRM.modules.salesorders.READ",
            "ZohoCRM.modules.attachments.READ"
        ],
    );
    assert!(!DownloadAttachment::REQUIRED_SCOPES.is_satisfied_by(
        Some("leads"),
        &[
            "ZohoCRM.modules.leads.READ",
            "ZohoCRM.modules.attachments.CREATE"
        ],
    ));

    let link = v8::DownloadAttachmentError::from(service(400, "DOWNLOAD_NOT_ALLOWED"));
    assert_eq!(explain(&link), "a link attachment has no file to download");
    assert_eq!(link.code(), Some("DOWNLOAD_NOT_ALLOWED"));
    let throttled = v8::DownloadAttachmentError::from(service(429, "TOO_MANY_REQUESTS"));
    assert_eq!(explain(&throttled), "try again later");
    assert!(throttled.is_retryable());
    // A failure while saving is the runtime's error, not the operation's.
    let saving = v8::DownloadAttachmentError::from(Error::IncompleteBody {
        expected: 10,
        received: 5,
    });
    assert_eq!(explain(&saving), "no answer");

    assert_spawnable(in_memory(client.clone(), "1".to_owned(), "2".to_owned()));
    assert_spawnable(streamed_length(client.clone(), "2".to_owned()));
    assert_spawnable(to_path(
        client.clone(),
        Module::Contacts,
        "2".to_owned(),
        PathBuf::from("out/report.pdf"),
    ));
    assert_spawnable(into_folder(client, "2".to_owned(), PathBuf::from("out")));
}
