//! The measured child's side of the bulk benchmark: every attachment of a manifest through
//! the generated client, each saved into one folder under the name the server gave, as a
//! backup tool would. Downloads are submitted eight times faster than they may run and
//! the client paces them with `max_concurrency`, as the README shows.

use std::path::Path;

use futures::{StreamExt, stream};
use zoho_attachments::crm::v8;

use zoho_attachments::Client;

use super::files::parse_manifest;
use crate::client::{Result, runtime};

/// Downloads every `record attachment` of the manifest at `manifest` into `dir` through
/// one client (one connection pool) that keeps `concurrency` calls in flight
/// (`max_concurrency`). Stops at the first failure, naming the attachment.
pub fn download_all(
    base_url: &str,
    token: &str,
    manifest: &Path,
    dir: &Path,
    concurrency: usize,
) -> Result<()> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|err| format!("cannot read {}: {err}", manifest.display()))?;
    let jobs = parse_manifest(&text)?;
    runtime()?.block_on(async {
        let crm = Client::builder()
            .base_url(base_url)
            .access_token(token)
            .max_concurrency(concurrency)
            .build()?
            .crm_v8();
        // Waiting downloads cost a few KiB each; the client sends `concurrency` at a time.
        let submitted = concurrency.saturating_mul(8).max(1);
        let mut downloads = stream::iter(jobs)
            .map(|(record, id)| {
                let request = crm.download_attachment(v8::Module::Leads, &record, &id);
                async move {
                    let failed = |err: &dyn std::fmt::Display| {
                        format!("record {record}, attachment {id}: {err}")
                    };
                    let download = request
                        .send()
                        .await
                        .map_err(|err| failed(&err))?
                        .ok_or_else(|| failed(&"answered 204: no such attachment"))?;
                    download.save_in(dir).await.map_err(|err| failed(&err))?;
                    Ok::<(), String>(())
                }
            })
            .buffer_unordered(submitted);
        while let Some(done) = downloads.next().await {
            done?;
        }
        Ok(())
    })
}
