// Rule: a request builder does nothing until sent; dropping one unsent is flagged by the
// `unused_must_use` lint (denied here so that the warning fails the build).

#![deny(unused_must_use)]

use zoho_attachments::Client;
use zoho_attachments::crm::v7::Module;

fn list(client: &Client, record_id: &str) {
    client
        .crm_v7()
        .list_attachments(Module::Leads, record_id, ["id"]);
}

fn main() {}
