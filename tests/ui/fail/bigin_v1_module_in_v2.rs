// Rule: each version has its own `Module` type, so a Bigin v1 module cannot be passed to a
// Bigin v2 operation (their module lists differ: v2 has Pipelines, v1 has Deals).

use zoho_attachments::Client;
use zoho_attachments::bigin::v1;

fn list(client: &Client, record_id: &str) {
    let _request = client
        .bigin_v2()
        .list_attachments(v1::Module::Contacts, record_id);
}

fn main() {}
