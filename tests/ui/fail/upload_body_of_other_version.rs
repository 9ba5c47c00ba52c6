// Rule: each version has its own `Upload` type, so a v8 body cannot be sent with the
// v2.1 operation.

use zoho_attachments::Client;
use zoho_attachments::crm::{v2_1, v8};

fn upload(client: &Client, record_id: &str) {
    let _request = client.crm_v2_1().upload_attachment(
        v2_1::Module::Leads,
        record_id,
        v8::Upload::path("report.pdf"),
    );
}

fn main() {}
