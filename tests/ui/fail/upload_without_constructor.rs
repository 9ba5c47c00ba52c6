// Rule: an upload is a file or a link, never neither: there is no empty `Upload`; one is
// made only by `Upload::file`, `Upload::path`, `Upload::bytes` or `Upload::link`.

use zoho_attachments::crm::v8::Upload;

fn main() {
    let _upload = Upload::default();
}
