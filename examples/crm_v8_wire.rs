//! Every CRM v8 attachment and photo operation, once each, against one server: the run that
//! tests/sdk/ compares, request by request, with the same run made by Zoho's Python SDK
//! (tests/sdk/sdk_wire.py), both against a `zoho-fake --record FILE` of their own. The steps
//! and their inputs are the same in both files; keep them so.
//!
//! ```text
//! cargo run -p zoho-fake -- --record rust.jsonl > fake.env &
//! export $(grep '^ZOHO_' fake.env | xargs)
//! cargo run --example crm_v8_wire -- --base-url "$ZOHO_BASE_URL" \
//!     --access-token "$ZOHO_ACCESS_TOKEN" --files DIR   # DIR holds report.txt and photo.png
//! ```

use std::path::PathBuf;

use clap::Parser;
use zoho_attachments::Client;
use zoho_attachments::crm::v8;

/// Runs every CRM v8 attachment and photo operation once, as tests/sdk/sdk_wire.py does.
#[derive(Debug, Parser)]
#[command(name = "crm_v8_wire")]
struct Args {
    /// The server's base URL (zoho-fake's `ZOHO_BASE_URL`).
    #[arg(long)]
    base_url: String,
    /// An access token with every scope (zoho-fake's `ZOHO_ACCESS_TOKEN`).
    #[arg(long)]
    access_token: String,
    /// A folder holding `report.txt` (the file to attach) and `photo.png` (the record photo).
    #[arg(long)]
    files: PathBuf,
}

/// The record every step works on (the SDK takes record IDs as integers).
const RECORD: &str = "4876876000000376008";
const LINK_URL: &str = "https://www.zohocorp.com";
const LINK_TITLE: &str = "Zoho Corporation";
const FIELDS: [&str; 4] = ["id", "File_Name", "Size", "$link_url"];

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let client = Client::builder()
        .base_url(&args.base_url)
        .access_token(args.access_token)
        .build()?;
    let crm = client.crm_v8();
    let module = || v8::Module::Leads;

    // 1. A file, 2. a link.
    let file = crm
        .upload_attachment(
            module(),
            RECORD,
            v8::Upload::path(args.files.join("report.txt")),
        )
        .send()
        .await?;
    let file_id = uploaded_id(&file)?;
    let link = crm
        .upload_attachment(
            module(),
            RECORD,
            v8::Upload::link(LINK_URL).title(LINK_TITLE),
        )
        .send()
        .await?;
    let link_id = uploaded_id(&link)?;

    // 3. The list, one page of ten.
    let page = crm
        .list_attachments(module(), RECORD, FIELDS)
        .page(1)
        .per_page(10)
        .send()
        .await?;
    check(page.data.len() == 2, "the list holds the file and the link")?;

    // 4. The file's content.
    let download = crm
        .download_attachment(module(), RECORD, &file_id)
        .send()
        .await?
        .ok_or("the uploaded file was not found")?;
    let expected = std::fs::read(args.files.join("report.txt"))?;
    check(
        download.bytes().await?[..] == expected[..],
        "the download is the upload",
    )?;

    // 5. One deletion, 6. a deletion of several.
    crm.delete_attachment(module(), RECORD, &link_id)
        .send()
        .await?;
    let outcomes = crm
        .delete_attachments(module(), RECORD, [file_id.as_str()])
        .send()
        .await?;
    check(outcomes.failed().next().is_none(), "every ID was deleted")?;

    // 7. The record's photo: upload, get, delete.
    let photo = args.files.join("photo.png");
    crm.upload_photo(
        v8::PhotoUploadModule::Leads,
        RECORD,
        v8::PhotoUpload::path(&photo),
    )
    .send()
    .await?;
    let got = crm
        .get_photo(v8::PhotoModule::Leads, RECORD)
        .send()
        .await?
        .ok_or("the uploaded photo was not found")?;
    check(
        got.bytes().await?[..] == std::fs::read(&photo)?[..],
        "the photo is the upload",
    )?;
    crm.delete_photo(v8::PhotoModule::Leads, RECORD)
        .send()
        .await?;
    println!("crm_v8_wire: 9 operations done");
    Ok(())
}

fn uploaded_id(result: &v8::UploadResult) -> Result<String, String> {
    result
        .data
        .first()
        .and_then(|outcome| outcome.details.as_ref())
        .and_then(|details| details.id.clone())
        .ok_or_else(|| "the upload answered no ID".to_owned())
}

fn check(holds: bool, what: &str) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(format!("expected: {what}"))
    }
}
