// Rule: an upload is a file or a link, never both. A link upload has no way to add a
// file to it.

use zoho_attachments::FilePart;
use zoho_attachments::crm::v8::Upload;

fn main() {
    let _upload = Upload::link("https://www.zohocorp.com").file(FilePart::path("report.pdf"));
}
