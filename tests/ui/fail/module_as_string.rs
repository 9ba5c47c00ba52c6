// Rule: a module is typed, not a string: a misspelt or unsupported module name cannot
// reach the request (custom modules go through `Module::custom`).

use zoho_attachments::Client;

fn list(client: &Client, record_id: &str) {
    let _request = client.crm_v7().list_attachments("Leads", record_id, ["id"]);
}

fn main() {}
