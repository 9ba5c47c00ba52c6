//! CRM v8 "Upload an Attachment" with every form of body a user can send: a file from a
//! path, from memory or from a reader, a link with or without a title, and the `From`
//! conversions that let a `FilePart` or an `UploadLink` stand where an `Upload` is expected.

use std::io::Cursor;
use std::path::PathBuf;

use zoho_attachments::crm::v8::{Module, Upload, UploadAttachment, UploadLink, UploadResult};
use zoho_attachments::{Client, FilePart};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("1000.test")
        .build()
        .expect("a loopback base URL and a token are enough to build a client")
}

/// Which alternative an upload is; `Upload` is non-exhaustive, so a wildcard is required.
fn kind(upload: &Upload) -> &'static str {
    match upload {
        Upload::File(_) => "file",
        Upload::Link(_) => "link",
        _ => "other",
    }
}

/// Streams an open file, as an application would (its errors boxed); type-checked by
/// `main`, never run (nothing listens on port 9).
async fn upload_open_file(client: Client, path: PathBuf) -> Result<UploadResult, BoxError> {
    let file = tokio::fs::File::open(&path).await?;
    let length = file.metadata().await?.len();
    let part = FilePart::reader("report.pdf", file, Some(length)).content_type("application/pdf");
    let done = client
        .crm_v8()
        .upload_attachment(Module::Deals, "4876876000000376008", Upload::file(part))
        .send()
        .await?;
    Ok(done)
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

    // A file: from a path (streamed at send time), from memory, or from any reader.
    let from_path = Upload::path("report.pdf");
    let from_bytes = Upload::bytes("notes.txt", &b"hello"[..]);
    let from_part = Upload::file(FilePart::path("report.pdf").file_name("Q3 report.pdf"));
    let from_reader = Upload::file(FilePart::reader(
        "log.txt",
        Cursor::new(vec![0_u8; 42]),
        Some(42),
    ));
    for upload in [&from_path, &from_bytes, &from_part, &from_reader] {
        assert_eq!(kind(upload), "file");
    }

    // A link, with or without a title; `Upload::link` returns an `UploadLink`.
    let link: UploadLink = Upload::link("https://www.zohocorp.com");
    let titled = Upload::link("https://www.zohocorp.com").title("Zoho");
    assert_eq!(kind(&Upload::from(titled)), "link");
    let as_upload: Upload = link.into();
    assert_eq!(kind(&as_upload), "link");

    // A `FilePart` converts into an `Upload` too.
    let converted: Upload = FilePart::bytes("data.csv", "a,b\n1,2\n")
        .content_type("text/csv")
        .into();
    assert_eq!(kind(&converted), "file");

    // Every form is accepted by the operation; the body parameter takes `impl Into<Upload>`.
    let requests: [UploadAttachment; 8] = [
        crm.upload_attachment(Module::Leads, "1", from_path),
        crm.upload_attachment(Module::Accounts, "2", from_bytes),
        crm.upload_attachment(Module::Contacts, "3", from_part),
        crm.upload_attachment(Module::Appointments, "4", from_reader),
        crm.upload_attachment(Module::Services, "5", as_upload),
        crm.upload_attachment(
            Module::Notes,
            "6",
            Upload::link("https://example.com").title("Example"),
        ),
        crm.upload_attachment(Module::custom("Foo__c"), "7", FilePart::bytes("a.txt", "a")),
        crm.upload_attachment(Module::Invoices, String::from("8"), converted),
    ];
    for request in requests {
        assert_spawnable(request.send());
    }

    // The scopes to ask the user to consent to.
    assert_eq!(
        UploadAttachment::REQUIRED_SCOPES.to_string(),
        "(ZohoCRM.modules.ALL or ZohoCRM.modules.{module}.{operation}) \
         and ZohoCRM.modules.attachments.{operation}, \
         where {operation} is one of ALL, WRITE, CREATE",
    );
    assert_eq!(
        UploadAttachment::minimal_scopes(&Module::Appointments),
        [
            "ZohoCRM.modules.appointments.CREATE",
            "ZohoCRM.modules.attachments.CREATE"
        ],
    );

    // Reading the typed answer, including a key this crate does not know.
    let done: UploadResult = serde_json::from_str(
        r#"{"data": [{
            "code": "SUCCESS",
            "details": {"id": "4876876000001021001", "Created_By": {"name": "Patricia", "id": "1"}},
            "message": "attachment uploaded successfully",
            "status": "success",
            "trace": "abc"
        }]}"#,
    )
    .expect("a v8 answer decodes");
    let result = &done.data[0];
    assert_eq!(result.code.as_deref(), Some("SUCCESS"));
    let details = result.details.as_ref().expect("the sample has details");
    assert_eq!(details.id.as_deref(), Some("4876876000001021001"));
    assert_eq!(
        details
            .created_by
            .as_ref()
            .and_then(|user| user.name.as_deref()),
        Some("Patricia")
    );
    assert_eq!(result.extra["trace"], "abc");

    assert_spawnable(upload_open_file(client, PathBuf::from("report.pdf")));
}
