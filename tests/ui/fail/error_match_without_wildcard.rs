// Rule: an operation's error enum is `#[non_exhaustive]`: matching every variant it has
// today is not enough, a wildcard arm is required (Zoho may document new codes).

use zoho_attachments::crm::v8::UploadAttachmentError;

fn describe(error: &UploadAttachmentError) -> &'static str {
    match error {
        UploadAttachmentError::InvalidModule(_) => "invalid module",
        UploadAttachmentError::InvalidRequest(_) => "invalid request",
        UploadAttachmentError::InvalidData(_) => "invalid data",
        UploadAttachmentError::AuthorizationFailed(_) => "authorization failed",
        UploadAttachmentError::AuthenticationFailure(_) => "authentication failure",
        UploadAttachmentError::OauthScopeMismatch(_) => "scope mismatch",
        UploadAttachmentError::NoPermission(_) => "no permission",
        UploadAttachmentError::InvalidUrlPattern(_) => "invalid URL pattern",
        UploadAttachmentError::InternalError(_) => "internal error",
        UploadAttachmentError::FileSizeMoreThanAllowedSize(_) => "file too large",
        UploadAttachmentError::TooManyRequests(_) => "too many requests",
        UploadAttachmentError::Unhandled(_) => "unhandled",
        UploadAttachmentError::Request(_) => "request",
    }
}

fn main() {}
