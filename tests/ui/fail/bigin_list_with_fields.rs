// Rule: Bigin v1 "Get list of Attachments" documents no `fields` parameter (unlike CRM v7),
// so its operation takes a module and a record ID only.

use zoho_attachments::Client;
use zoho_attachments::bigin::v1::Module;

fn list(client: &Client, record_id: &str) {
    let _request = client
        .bigin_v1()
        .list_attachments(Module::Contacts, record_id, ["id"]);
}

fn main() {}
