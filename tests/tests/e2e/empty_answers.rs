//! Every empty answer a source documents, end to end: zoho-fake answers `204` with no body
//! where the spec's `empty:` says so, and the client turns it into an empty list or `None`
//! instead of failing on a body that is not JSON or not a file.
//!
//! Documented: CRM v8's list, download and photo (Zoho's OpenAPI files), and Bigin v2's list
//! and download (Bigin v2's status-code page: "204 No Content, GET: the resource does not
//! exist").

use zoho_attachments::{bigin::v2 as bigin, crm::v8};
use zoho_fake::{FakeZoho, Parent};

use crate::support::fake_client as client;

const RECORD: &str = "4876876000000376008";
const UNKNOWN_ATTACHMENT: &str = "4876876000000999999";

/// The status the fake answered the only request it received.
fn only_status(zoho: &FakeZoho) -> u16 {
    let requests = zoho.requests();
    assert_eq!(requests.len(), 1, "one request: {requests:?}");
    requests[0].status
}

#[tokio::test]
async fn crm_v8_list_of_a_record_without_attachments_is_empty() {
    let zoho = FakeZoho::start().await;

    let list = client(&zoho)
        .crm_v8()
        .list_attachments(v8::Module::Leads, RECORD, ["id", "File_Name"])
        .send()
        .await
        .expect("an empty list is a success");

    assert_eq!(only_status(&zoho), 204);
    assert!(list.data.is_empty());
    assert_eq!(list, v8::AttachmentList::default());
}

#[tokio::test]
async fn crm_v8_list_stream_of_a_record_without_attachments_ends_at_once() {
    use futures::TryStreamExt;
    let zoho = FakeZoho::start().await;

    let all: Vec<v8::Attachment> = client(&zoho)
        .crm_v8()
        .list_attachments(v8::Module::Deals, RECORD, ["id"])
        .into_stream()
        .try_collect()
        .await
        .expect("an empty stream");

    assert!(all.is_empty());
    assert_eq!(only_status(&zoho), 204);
}

#[tokio::test]
async fn crm_v8_download_of_an_unknown_attachment_is_none() {
    let zoho = FakeZoho::start().await;
    // A file on the record, so that only the attachment ID is unknown.
    zoho.add_file(&Parent::crm("Leads", RECORD), "kept.pdf", &b"%PDF-1.7"[..]);

    let download = client(&zoho)
        .crm_v8()
        .download_attachment(v8::Module::Leads, RECORD, UNKNOWN_ATTACHMENT)
        .send()
        .await
        .expect("nothing to download is a success");

    assert!(download.is_none());
    assert_eq!(only_status(&zoho), 204);
}

#[tokio::test]
async fn crm_v8_photo_of_a_record_without_one_is_none() {
    let zoho = FakeZoho::start().await;

    let photo = client(&zoho)
        .crm_v8()
        .get_photo(v8::PhotoModule::Contacts, RECORD)
        .send()
        .await
        .expect("no photo is a success");

    assert!(photo.is_none());
    assert_eq!(only_status(&zoho), 204);
}

#[tokio::test]
async fn bigin_v2_list_of_a_record_without_attachments_is_empty() {
    let zoho = FakeZoho::start().await;

    let list = client(&zoho)
        .bigin_v2()
        .list_attachments(bigin::Module::Companies, RECORD)
        .send()
        .await
        .expect("an empty list is a success");

    assert_eq!(only_status(&zoho), 204);
    assert_eq!(list, bigin::AttachmentList::default());
}

#[tokio::test]
async fn bigin_v2_download_of_an_unknown_attachment_is_none() {
    let zoho = FakeZoho::start().await;
    zoho.add_file(&Parent::bigin("Contacts", RECORD), "kept.txt", &b"kept"[..]);

    let download = client(&zoho)
        .bigin_v2()
        .download_attachment(bigin::Module::Contacts, RECORD, UNKNOWN_ATTACHMENT)
        .send()
        .await
        .expect("nothing to download is a success");

    assert!(download.is_none());
    assert_eq!(only_status(&zoho), 204);
}

#[tokio::test]
async fn bigin_v2_list_after_the_last_delete_is_empty_again() {
    let zoho = FakeZoho::start().await;
    let parent = Parent::bigin("Pipelines", RECORD);
    let id = zoho.add_file(&parent, "only.txt", &b"only"[..]);
    let client = client(&zoho);

    let before = client
        .bigin_v2()
        .list_attachments(bigin::Module::Pipelines, RECORD)
        .send()
        .await
        .expect("a list");
    client
        .bigin_v2()
        .delete_attachment(bigin::Module::Pipelines, RECORD, &id)
        .send()
        .await
        .expect("deleted");
    let after = client
        .bigin_v2()
        .list_attachments(bigin::Module::Pipelines, RECORD)
        .send()
        .await
        .expect("an empty list is a success");

    assert_eq!(before.data.len(), 1);
    assert_eq!(before.data[0].id.as_deref(), Some(id.as_str()));
    assert!(after.data.is_empty());
    let statuses: Vec<u16> = zoho
        .requests()
        .iter()
        .map(|request| request.status)
        .collect();
    assert_eq!(statuses, [200, 200, 204]);
}
