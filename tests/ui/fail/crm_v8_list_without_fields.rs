// Rule: CRM v8 "Get list of Attachments" requires `fields` (the page marks it mandatory);
// the optional parameters (`ids`, `page`, `per_page`, `page_token`) cannot stand in for it.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::Module;

fn list(client: &Client, record_id: &str) {
    let _request = client
        .crm_v8()
        .list_attachments(Module::Leads, record_id)
        .ids(["4876876000001021001"]);
}

fn main() {}
