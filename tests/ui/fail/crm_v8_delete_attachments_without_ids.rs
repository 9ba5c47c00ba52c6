// Rule: "Delete Attachments" deletes the attachments named by `ids`, which it requires: a
// call without them (which could read as "delete every attachment") does not compile.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::Module;

fn delete(client: &Client, record_id: &str) {
    let _request = client.crm_v8().delete_attachments(Module::Leads, record_id);
}

fn main() {}
