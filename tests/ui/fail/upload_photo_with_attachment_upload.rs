// Rule: `upload_photo` takes a `PhotoUpload` (an image file, at most 10 MB), not the
// attachment body `Upload` (a file of up to 100 MB or a link).

use zoho_attachments::Client;
use zoho_attachments::crm::v8::{PhotoUploadModule, Upload};

fn upload(client: &Client, record_id: &str) {
    let _request = client.crm_v8().upload_photo(
        PhotoUploadModule::Leads,
        record_id,
        Upload::path("photo.png"),
    );
}

fn main() {}
