// Rule: response types are `#[non_exhaustive]`: code outside the crate cannot build one
// with a struct literal, so adding a key to the spec is not a breaking change.

use zoho_attachments::crm::v7::Attachment;

fn main() {
    let _attachment = Attachment {
        file_name: Some("Image.jpg".to_owned()),
        ..Default::default()
    };
}
