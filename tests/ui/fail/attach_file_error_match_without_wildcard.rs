// Rule: the composite's `AttachFileError` is `#[non_exhaustive]` like every error enum:
// matching both steps it has today is not enough, a wildcard arm is required.

use zoho_attachments::contracts::v1::AttachFileError;

fn step(error: &AttachFileError) -> &'static str {
    match error {
        AttachFileError::UploadFile(_) => "upload_file",
        AttachFileError::AddAttachments(_) => "add_attachments",
    }
}

fn main() {}
