//! Zoho Contracts v1 beyond listing: `upload_file` (multipart), `add_attachments` (a JSON
//! body built with constructors: a link entry, or the references of uploaded files), the
//! composite `attach_file` and its `AttachFileError`, `download_attachment` and
//! `delete_attachment`, and the scopes of each, the composite's being two rules.

use std::error::Error as _;
use std::path::PathBuf;

use serde_json::json;
use zoho_attachments::contracts::v1::{
    AddAttachments, AddAttachmentsRequest, AddedAttachments, AttachFile, AttachFileError,
    AttachmentType, DeleteAttachment, DeletedAttachment, DownloadAttachment, FileUpload,
    NewContractAttachment, UploadFile, UploadFileError, UploadedFile,
};
use zoho_attachments::{Client, DataCenter, Download, Error, FilePart, ServiceError};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A link entry for `add_attachments`, as the Add Link page's sample input sends it.
fn link(position: i64, name: &str, url: &str) -> NewContractAttachment {
    NewContractAttachment::new()
        .sequence_number(position)
        .link_name(name)
        .link_url(url)
        .attachment_type(AttachmentType::Link)
}

/// The entry that attaches a file uploaded by `upload_file` (what `attach_file` sends).
fn uploaded(file: UploadedFile) -> NewContractAttachment {
    let mut entry = NewContractAttachment::new().attachment_type(AttachmentType::File);
    if let Some(path) = file.path {
        entry = entry.path(path);
    }
    if let Some(name) = file.file_name {
        entry = entry.file_name(name);
    }
    if let Some(size) = file.size {
        entry = entry.size(size);
    }
    if let Some(uploads) = file.uploads {
        entry = entry.uploads(uploads);
    }
    entry
}

/// Uploads several files, then attaches them all in one call (the page: "include all
/// relevant IDs when calling the Attachments API"); the new attachments' IDs.
async fn attach_several(
    client: Client,
    contract: String,
    paths: Vec<PathBuf>,
) -> Result<Vec<String>, BoxError> {
    let contracts = client.contracts_v1();
    let mut entries = Vec::new();
    for path in paths {
        let files: Vec<UploadedFile> = contracts
            .upload_file(contract.as_str(), FileUpload::path(path))
            .send()
            .await?;
        entries.extend(files.into_iter().map(uploaded));
    }
    let added: AddedAttachments = contracts
        .add_attachments(contract, AddAttachmentsRequest::new(entries))
        .send()
        .await?;
    Ok(added
        .contractattachments
        .into_iter()
        .filter_map(|attachment| attachment.contract_attachment_id)
        .collect())
}

/// Both calls at once; says which step failed.
async fn attach_one(client: Client, contract: String, path: PathBuf) -> Result<usize, String> {
    let request: AttachFile = client
        .contracts_v1()
        .attach_file(contract, FileUpload::path(path));
    match request.send().await {
        Ok(added) => Ok(added.contractattachments.len()),
        Err(error) => Err(advice(&error)),
    }
}

/// Downloads an attached file to `path`, then deletes the attachment.
async fn archive(
    client: Client,
    contract: String,
    attachment_id: String,
    path: PathBuf,
) -> Result<Option<String>, BoxError> {
    let contracts = client.contracts_v1();
    let file: Download = contracts
        .download_attachment(contract.as_str(), attachment_id.as_str())
        .send()
        .await?;
    file.save_to(&path).await?;
    let deleted: DeletedAttachment = contracts
        .delete_attachment(contract, attachment_id)
        .send()
        .await?;
    Ok(deleted.result)
}

/// What a program does when `attach_file` fails: the first step created nothing, the second
/// leaves an uploaded file behind.
fn advice(error: &AttachFileError) -> String {
    match error {
        AttachFileError::UploadFile(UploadFileError::Request(Error::TooLarge { .. })) => {
            "the file is too large".to_owned()
        }
        AttachFileError::UploadFile(_) => format!("nothing was uploaded: {error}"),
        AttachFileError::AddAttachments(inner) => {
            format!("uploaded but not attached ({:?})", inner.code())
        }
        _ => "report it".to_owned(),
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
    let client = Client::builder()
        .data_center(DataCenter::Us)
        .access_token("1000.test")
        .build()
        .expect("a data centre and a token are enough to build a client");
    let contracts = client.contracts_v1();
    let contract = "msa-with-zenith-dynamics";

    // The Add Link body, built with constructors, is the page's sample input.
    let body = AddAttachmentsRequest::new([link(1, "google", "google.com")]);
    assert_eq!(
        serde_json::to_value(&body).expect("a body encodes"),
        json!({"contractAttachments": [
            {"sequenceNumber": 1, "linkName": "google", "linkURL": "google.com", "attachmentType": 2}
        ]}),
    );
    let request: AddAttachments = contracts.add_attachments(contract, body);
    assert_spawnable(request.send());
    assert_spawnable(
        contracts
            .add_attachments(
                String::from(contract),
                AddAttachmentsRequest::new(vec![
                    link(1, "Zoho", "https://www.zoho.com"),
                    link(2, "Bigin", "https://www.bigin.com"),
                ]),
            )
            .send(),
    );

    // The upload answer's references go into a file entry unchanged.
    let files: Vec<UploadedFile> = serde_json::from_str(
        r#"[{"path": "A8aP0on9J6gN", "fileName": "contract-attachment.pdf",
             "size": 681082, "uploads": "9aa9c78837974a04951cd304d15d294e"}]"#,
    )
    .expect("the upload sample decodes");
    let entries: Vec<NewContractAttachment> = files.into_iter().map(uploaded).collect();
    assert_eq!(
        serde_json::to_value(AddAttachmentsRequest::new(entries)).expect("a body encodes"),
        json!({"contractAttachments": [{
            "attachmentType": 1, "path": "A8aP0on9J6gN", "fileName": "contract-attachment.pdf",
            "size": 681_082, "uploads": "9aa9c78837974a04951cd304d15d294e"
        }]}),
    );

    // A file to upload, from a path, memory or a `FilePart`.
    let uploads: [UploadFile; 3] = [
        contracts.upload_file(contract, FileUpload::path("scan.pdf")),
        contracts.upload_file(contract, FileUpload::bytes("terms.txt", "terms")),
        contracts.upload_file(contract, FilePart::path("nda.pdf").file_name("NDA.pdf")),
    ];
    for request in uploads {
        assert_spawnable(request.send());
    }
    let attach: AttachFile = contracts.attach_file(contract, FileUpload::path("scan.pdf"));
    assert_spawnable(attach.send());
    let download: DownloadAttachment = contracts.download_attachment(contract, "3000000272567");
    assert_spawnable(download.send());
    let delete: DeleteAttachment = contracts.delete_attachment(contract, "3000000272521");
    assert_spawnable(delete.send());

    // The composite needs both steps' scopes: two rules, each to satisfy.
    assert_eq!(
        AttachFile::REQUIRED_SCOPES,
        [UploadFile::REQUIRED_SCOPES, AddAttachments::REQUIRED_SCOPES]
    );
    assert!(
        AttachFile::REQUIRED_SCOPES
            .iter()
            .all(|rule| rule.is_satisfied_by(None, &["contracts.contracts.ALL"]))
    );
    assert!(
        !AttachFile::REQUIRED_SCOPES
            .iter()
            .all(|rule| rule.is_satisfied_by(None, &["contracts.contracts.READ"]))
    );
    // Both steps need the same scope, asked for once.
    assert_eq!(AttachFile::minimal_scopes(), ["contracts.contracts.CREATE"]);
    assert_eq!(
        DeleteAttachment::minimal_scopes(),
        ["contracts.contracts.DELETE"]
    );
    assert_eq!(
        DownloadAttachment::REQUIRED_SCOPES.to_string(),
        "contracts.contracts.READ or contracts.contracts.ALL"
    );

    // Which step failed, and Zoho's answer to it.
    let first = AttachFileError::UploadFile(UploadFileError::from(service(400, "INVALID_FILE")));
    assert_eq!(
        advice(&first),
        "nothing was uploaded: attach_file: the first call, upload_file, failed"
    );
    assert_eq!(first.code(), Some("INVALID_FILE"));
    assert_eq!(first.http_status(), Some(400));
    assert_eq!(
        first.source().map(ToString::to_string),
        Some("INVALID_FILE (HTTP 400): from the test".to_owned()),
    );
    let too_large = AttachFileError::UploadFile(UploadFileError::from(Error::TooLarge {
        what: "file part `content` (scan.pdf)".to_owned(),
        size: 104_857_601,
        limit: 104_857_600,
    }));
    assert_eq!(advice(&too_large), "the file is too large");
    assert_eq!(too_large.code(), None);
    let second = AttachFileError::AddAttachments(service(500, "INTERNAL_ERROR").into());
    assert_eq!(
        advice(&second),
        "uploaded but not attached (Some(\"INTERNAL_ERROR\"))"
    );
    assert!(second.is_retryable());
    assert_eq!(
        second.to_string(),
        "attach_file: the second call, add_attachments, failed"
    );

    let deleted: DeletedAttachment =
        serde_json::from_str(r#"{"Type":"Success","attachmentId":"3000000272567"}"#)
            .expect("the delete sample decodes");
    assert_eq!(deleted.result.as_deref(), Some("Success"));
    assert_eq!(deleted.attachment_id.as_deref(), Some("3000000272567"));

    assert_spawnable(attach_several(
        client.clone(),
        contract.to_owned(),
        vec![PathBuf::from("a.pdf"), PathBuf::from("b.pdf")],
    ));
    assert_spawnable(attach_one(
        client.clone(),
        contract.to_owned(),
        PathBuf::from("a.pdf"),
    ));
    assert_spawnable(archive(
        client,
        contract.to_owned(),
        "3000000272567".to_owned(),
        PathBuf::from("out/a.pdf"),
    ));
}
