// Rule: CRM v7 "Get list of Attachments" requires `fields` (the page marks it mandatory),
// so a call without it does not compile.

use zoho_attachments::Client;
use zoho_attachments::crm::v7::Module;

fn list(client: &Client, record_id: &str) {
    let _request = client.crm_v7().list_attachments(Module::Leads, record_id);
}

fn main() {}
