// Rule: a file answer is a `Download` (bytes to read, stream or save), not a decoded JSON
// answer: it has no `data` field.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::Module;

async fn first(client: &Client, record_id: &str, attachment_id: &str) {
    let answer = client
        .crm_v8()
        .download_attachment(Module::Leads, record_id, attachment_id)
        .send()
        .await;
    if let Ok(Some(file)) = answer {
        let _entries = file.data;
    }
}

fn main() {}
