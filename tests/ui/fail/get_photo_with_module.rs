// Rule: `get_photo` takes a `PhotoModule`, not any `Module`: a module without photos cannot
// reach it, and a `Module` the program holds must be converted with `PhotoModule::try_from`.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::Module;

fn photo(client: &Client, record_id: &str) {
    let _request = client.crm_v8().get_photo(Module::Deals, record_id);
}

fn main() {}
