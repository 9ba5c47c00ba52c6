// Rule: Contracts `add_attachments` sends a JSON body (`AddAttachmentsRequest`); a file goes
// through `upload_file` (or `attach_file`), so the multipart `FileUpload` is not accepted.

use zoho_attachments::Client;
use zoho_attachments::contracts::v1::FileUpload;

fn add(client: &Client) {
    let _request = client
        .contracts_v1()
        .add_attachments("msa-with-zenith-dynamics", FileUpload::path("scan.pdf"));
}

fn main() {}
