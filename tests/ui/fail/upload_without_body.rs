// Rule: an upload is a file or a link, never neither: `upload_attachment` requires a body.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::Module;

fn upload(client: &Client, record_id: &str) {
    let _request = client.crm_v8().upload_attachment(Module::Leads, record_id);
}

fn main() {}
