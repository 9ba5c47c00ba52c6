//! The measured child's side: one transfer through the generated client, written as an
//! application would (`#[tokio::main]`'s default multi-thread runtime, default builder).

use std::error::Error;
use std::path::Path;

use zoho_attachments::Client;
use zoho_attachments::crm::v8;

pub(crate) type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The token the benchmark's own server accepts.
const BENCH_TOKEN: &str = "bench";

/// A client built as an application would: the default builder, one access token.
pub(crate) fn client(base_url: &str, token: &str) -> Result<Client> {
    Ok(Client::builder()
        .base_url(base_url)
        .access_token(token)
        .build()?)
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    // What `#[tokio::main]` builds.
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Uploads `file` as an attachment of Leads record 1 and checks the answer says so.
pub fn upload(base_url: &str, file: &Path) -> Result<()> {
    runtime()?.block_on(async {
        let answer = client(base_url, BENCH_TOKEN)?
            .crm_v8()
            .upload_attachment(v8::Module::Leads, "1", v8::Upload::path(file))
            .send()
            .await?;
        match answer.data.as_slice() {
            [result] if result.code.as_deref() == Some("SUCCESS") => Ok(()),
            _ => Err(format!("not a success: {answer:?}").into()),
        }
    })
}

/// Downloads attachment 2 of Leads record 1 to `to`.
pub fn download(base_url: &str, to: &Path) -> Result<()> {
    runtime()?.block_on(async {
        let download = client(base_url, BENCH_TOKEN)?
            .crm_v8()
            .download_attachment(v8::Module::Leads, "1", "2")
            .send()
            .await?
            .ok_or("the server answered 204: no attachment")?;
        download.save_to(to).await?;
        Ok(())
    })
}
