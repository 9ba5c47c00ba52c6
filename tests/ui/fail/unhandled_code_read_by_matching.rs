// Rule: `Unhandled` is opaque. A program reads an undocumented code with `code()` on the error
// enum, which keeps answering the same when the code is documented later and moves to a
// variant of its own; it cannot match `Unhandled` on the code inside it.

use zoho_attachments::crm::v7::ListAttachmentsError;

fn is_rate_limit(error: &ListAttachmentsError) -> bool {
    match error {
        ListAttachmentsError::Unhandled(unhandled) => unhandled.code() == "TOO_MANY_REQUESTS",
        _ => false,
    }
}

fn main() {
    let _ = is_rate_limit;
}
