//! Bigin v2 attachments: list (no `fields`), upload a file or a link, download (always a
//! file: v2 documents no empty answer, so no `Option`), delete; its own module set with
//! Pipelines, and no documented error codes.

use std::path::PathBuf;

use zoho_attachments::bigin::v2::{
    self, ActionResults, AttachmentList, DeleteAttachment, DownloadAttachment, ListAttachments,
    Module, Upload, UploadAttachment,
};
use zoho_attachments::{Client, DataCenter, Download, Error, FilePart, ServiceError};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Downloads every file attached to a record into `folder` (links have nothing to
/// download); the paths written. Type-checked by `main`, never run.
async fn download_all(
    client: Client,
    module: Module,
    record_id: String,
    folder: PathBuf,
) -> Result<Vec<PathBuf>, BoxError> {
    let bigin = client.bigin_v2();
    let list: AttachmentList = bigin
        .list_attachments(module, record_id.as_str())
        .send()
        .await?;
    let mut saved = Vec::new();
    for attachment in list.data {
        let (Some(id), None) = (attachment.id, attachment.link_url) else {
            continue;
        };
        // `None`: Bigin answered 204, the attachment is gone since the list.
        let file: Option<Download> = bigin
            .download_attachment(module, record_id.as_str(), id)
            .send()
            .await?;
        if let Some(file) = file {
            saved.push(file.save_in(&folder).await?);
        }
    }
    Ok(saved)
}

/// Attaches a link, then deletes it again; the ID it had.
async fn attach_and_remove(client: Client, record_id: String) -> Result<Option<String>, BoxError> {
    let bigin = client.bigin_v2();
    let added: ActionResults = bigin
        .upload_attachment(
            Module::Pipelines,
            record_id.as_str(),
            Upload::link("https://www.bigin.com"),
        )
        .send()
        .await?;
    let id = added
        .data
        .into_iter()
        .next()
        .and_then(|result| result.details)
        .and_then(|details| details.get("id")?.as_str().map(str::to_owned));
    if let Some(id) = &id {
        bigin
            .delete_attachment(Module::Pipelines, record_id, id.as_str())
            .send()
            .await?;
    }
    Ok(id)
}

/// Which alternative an upload is; `Upload` is non-exhaustive, so a wildcard is required.
fn kind(upload: &Upload) -> &'static str {
    match upload {
        Upload::File(_) => "file",
        Upload::Link(_) => "link",
        _ => "other",
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
    let client = Client::builder()
        .data_center(DataCenter::Eu)
        .access_token("1000.test")
        .build()
        .expect("a data centre and a token are enough to build a client");
    let bigin = client.bigin_v2();

    // v2's modules, with Companies under its API name `Accounts`; all are `Copy`.
    let names: Vec<&str> = Module::BUILT_IN.iter().map(Module::api_name).collect();
    assert_eq!(
        names,
        [
            "Contacts",
            "Pipelines",
            "Accounts",
            "Products",
            "Tasks",
            "Events",
            "Notes"
        ]
    );
    assert_eq!(Module::from_api_name("Accounts"), Some(Module::Companies));
    assert_eq!(Module::from_api_name("Deals"), None);
    assert_eq!(Module::Pipelines.scope_name(), "pipelines");

    for module in Module::BUILT_IN {
        let list: ListAttachments = bigin.list_attachments(*module, "1");
        assert_spawnable(list.send());
        let download: DownloadAttachment = bigin.download_attachment(*module, "1", "2");
        assert_spawnable(download.send());
        let delete: DeleteAttachment = bigin.delete_attachment(*module, "1", "2");
        assert_spawnable(delete.send());
    }

    // A file (from a path, memory, a reader or a `FilePart`) or a link.
    let bodies = [
        Upload::path("contract.pdf"),
        Upload::bytes("notes.txt", "hello"),
        Upload::file(FilePart::path("scan.png").content_type("image/png")),
        Upload::from(FilePart::bytes("a.csv", "a,b")),
        Upload::link("https://www.bigin.com"),
    ];
    let kinds: Vec<&str> = bodies.iter().map(kind).collect();
    assert_eq!(kinds, ["file", "file", "file", "file", "link"]);
    for body in bodies {
        let request: UploadAttachment = bigin.upload_attachment(Module::Companies, "1", body);
        assert_spawnable(request.send());
    }
    assert_spawnable(
        bigin
            .upload_attachment(Module::Notes, "1", FilePart::path("a.txt"))
            .send(),
    );

    // Each operation asks for the module's scope and the attachments scope.
    assert_eq!(
        ListAttachments::minimal_scopes(&Module::Pipelines),
        [
            "ZohoBigin.modules.pipelines.READ",
            "ZohoBigin.modules.attachments.READ"
        ],
    );
    assert_eq!(
        UploadAttachment::minimal_scopes(&Module::Companies),
        [
            "ZohoBigin.modules.accounts.CREATE",
            "ZohoBigin.modules.attachments.CREATE"
        ],
    );
    assert_eq!(
        DeleteAttachment::minimal_scopes(&Module::Tasks),
        [
            "ZohoBigin.modules.tasks.DELETE",
            "ZohoBigin.modules.attachments.DELETE"
        ],
    );
    assert_eq!(
        DownloadAttachment::REQUIRED_SCOPES,
        ListAttachments::REQUIRED_SCOPES
    );

    // The v2 pages list no error codes: every Zoho error is kept whole in `Unhandled`, whose
    // code is read on the enum.
    let error = v2::ListAttachmentsError::from(Error::Service(ServiceError::new(
        400,
        "INVALID_MODULE",
        "the module name given seems to be invalid",
        serde_json::Value::Null,
    )));
    assert!(matches!(&error, v2::ListAttachmentsError::Unhandled(_)));
    assert_eq!(error.code(), Some("INVALID_MODULE"));

    // `info` may be absent from a list.
    let list: AttachmentList =
        serde_json::from_str(r#"{"data": [{"id": "1", "File_Name": "a.png"}]}"#)
            .expect("a Bigin v2 list decodes");
    assert_eq!(list.data[0].file_name.as_deref(), Some("a.png"));
    assert!(list.info.is_none());
    let done: ActionResults = serde_json::from_str(
        r#"{"data": [{"code": "SUCCESS", "details": {"id": "42"}, "message": "attachment uploaded successfully", "status": "success"}]}"#,
    )
    .expect("a Bigin v2 action answer decodes");
    assert_eq!(done.data[0].status.as_deref(), Some("success"));

    assert_spawnable(download_all(
        client.clone(),
        Module::Contacts,
        "1".to_owned(),
        PathBuf::from("out"),
    ));
    assert_spawnable(attach_and_remove(client, "1".to_owned()));
}
