// Rule: an upload is a file or a link, never both. `title` belongs to the link
// alternative only, so a file upload has no `title` to set.

use zoho_attachments::crm::v8::Upload;

fn main() {
    let _upload = Upload::path("report.pdf").title("Q3 report");
}
