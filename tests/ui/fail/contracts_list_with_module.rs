// Rule: Zoho Contracts lists the attachments of a contract, named by its API name; it has
// no modules, so a CRM module is not accepted.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::Module;

fn list(client: &Client) {
    let _request = client.contracts_v1().list_attachments(Module::Leads);
}

fn main() {}
