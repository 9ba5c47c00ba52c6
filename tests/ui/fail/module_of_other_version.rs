// Rule: each version has its own `Module` type, so a module of v8 cannot be passed to a
// v7 operation (their supported modules may differ).

use zoho_attachments::Client;
use zoho_attachments::crm::v8;

fn list(client: &Client, record_id: &str) {
    let _request = client
        .crm_v7()
        .list_attachments(v8::Module::Leads, record_id, ["id"]);
}

fn main() {}
