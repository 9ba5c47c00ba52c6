// Rule: CRM v8 downloads answer `Option<Download>` (Zoho answers 204 when there is nothing):
// the `None` case must be handled before the file can be saved.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::Module;

async fn save(
    client: &Client,
    record_id: &str,
    attachment_id: &str,
) -> Result<u64, Box<dyn std::error::Error>> {
    let file = client
        .crm_v8()
        .download_attachment(Module::Leads, record_id, attachment_id)
        .send()
        .await?;
    Ok(file.save_to("report.pdf").await?)
}

fn main() {}
