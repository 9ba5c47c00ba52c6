// Rule: `get_photo` and `delete_photo` take a `PhotoModule`, the modules whose records have a
// photo (the Delete a Photo page lists Leads, Contacts, Accounts, Products, Vendors and custom
// modules); Deals is not one of them, so `PhotoModule::Deals` does not exist.

use zoho_attachments::Client;
use zoho_attachments::crm::v8::PhotoModule;

fn photo(client: &Client, record_id: &str) {
    let _request = client.crm_v8().get_photo(PhotoModule::Deals, record_id);
}

fn main() {}
