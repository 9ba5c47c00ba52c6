// Rule: JSON request bodies are `#[non_exhaustive]` and built with their constructor and
// setters (`NewContractAttachment::new().link_url(..)`), never with a struct literal.

use zoho_attachments::contracts::v1::NewContractAttachment;

fn main() {
    let _entry = NewContractAttachment {
        link_url: Some("https://www.zoho.com".to_owned()),
        ..Default::default()
    };
}
