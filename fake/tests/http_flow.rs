//! The flow a `curl` user goes through, with plain HTTP (no generated client): upload a file
//! (`-F file=@...`), list it, download the same bytes with the right headers, delete it.

mod common;

use common::{assert_error, file_form, request, sample_bytes, send};
use reqwest::Method;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::{Value, json};
use zoho_fake::FakeZoho;

/// Upload, list, download and delete one file under `attachments` (a CRM or Bigin
/// `.../{module}/{record}/Attachments` path).
async fn crm_style_round_trip(zoho: &FakeZoho, attachments: &str, list_query: &str) -> String {
    let content = sample_bytes(70_000);
    let form = file_form("file", "Q3 report €.pdf", &content);
    let (status, uploaded) = send(request(zoho, Method::POST, attachments).multipart(form)).await;
    assert_eq!(status, 200, "{uploaded}");
    assert_eq!(uploaded["data"][0]["code"], "SUCCESS");
    assert_eq!(uploaded["data"][0]["status"], "success");
    let id = uploaded["data"][0]["details"]["id"]
        .as_str()
        .expect("an ID")
        .to_owned();
    assert_eq!(id.len(), 19, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_digit()), "{id}");

    let (status, listed) = send(request(
        zoho,
        Method::GET,
        &format!("{attachments}{list_query}"),
    ))
    .await;
    assert_eq!(status, 200, "{listed}");
    let entry = &listed["data"][0];
    assert_eq!(entry["id"], id.as_str());
    assert_eq!(entry["File_Name"], "Q3 report €.pdf");
    assert_eq!(entry["Size"], "70000");
    assert_eq!(listed["info"]["count"], 1);
    assert_eq!(listed["info"]["more_records"], false);

    let download = request(zoho, Method::GET, &format!("{attachments}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let header = |name| {
        download
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    assert_eq!(header(CONTENT_TYPE).as_deref(), Some("application/pdf"));
    assert_eq!(header(CONTENT_LENGTH).as_deref(), Some("70000"));
    assert_eq!(
        header(CONTENT_DISPOSITION).as_deref(),
        Some(
            "attachment; filename=\"Q3 report _.pdf\"; filename*=UTF-8''Q3%20report%20%E2%82%AC.pdf"
        )
    );
    assert_eq!(download.bytes().await.unwrap(), content);

    let (status, deleted) = send(request(
        zoho,
        Method::DELETE,
        &format!("{attachments}/{id}"),
    ))
    .await;
    assert_eq!(status, 200, "{deleted}");
    assert_eq!(deleted["data"][0]["code"], "SUCCESS");
    assert_eq!(deleted["data"][0]["details"]["id"], id.as_str());

    // Gone from the record: a second delete names the ID it does not know.
    let again = send(request(
        zoho,
        Method::DELETE,
        &format!("{attachments}/{id}"),
    ))
    .await;
    let body = assert_error(&again, 400, "INVALID_DATA");
    assert_eq!(body["details"]["id"], id.as_str());
    id
}

#[tokio::test]
async fn crm_v8_file_round_trip() {
    let zoho = FakeZoho::start().await;
    let attachments = "/crm/v8/Leads/4876876000000376008/Attachments";
    crm_style_round_trip(&zoho, attachments, "?fields=id,File_Name,Size").await;
    // CRM v8 answers an empty list with 204 and no body, as its OpenAPI file says.
    let (status, body) = send(request(
        &zoho,
        Method::GET,
        &format!("{attachments}?fields=id"),
    ))
    .await;
    assert_eq!((status, body), (204, Value::Null));
}

#[tokio::test]
async fn bigin_v2_file_round_trip() {
    let zoho = FakeZoho::start().await;
    let attachments = "/bigin/v2/Contacts/3652397000000624001/Attachments";
    crm_style_round_trip(&zoho, attachments, "").await;
    // Bigin v2 answers a GET with nothing to return 204 (its status-code page), as CRM v8 does.
    let (status, body) = send(request(&zoho, Method::GET, attachments)).await;
    assert_eq!((status, body), (204, Value::Null));
}

#[tokio::test]
async fn crm_link_is_listed_as_a_link_and_cannot_be_downloaded() {
    let zoho = FakeZoho::start().await;
    let attachments = "/crm/v8/Deals/1/Attachments";
    let form = reqwest::multipart::Form::new()
        .text("attachmentUrl", "https://www.zohocorp.com")
        .text("title", "Zoho Corp");
    let (status, uploaded) = send(request(&zoho, Method::POST, attachments).multipart(form)).await;
    assert_eq!(status, 200, "{uploaded}");
    let id = uploaded["data"][0]["details"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (_, listed) = send(request(
        &zoho,
        Method::GET,
        &format!("{attachments}?fields=id,File_Name,$link_url"),
    ))
    .await;
    assert_eq!(
        listed["data"][0],
        json!({"id": id, "File_Name": "Zoho Corp", "$link_url": "https://www.zohocorp.com"})
    );
    let answer = send(request(&zoho, Method::GET, &format!("{attachments}/{id}"))).await;
    assert_error(&answer, 400, "DOWNLOAD_NOT_ALLOWED");
}

/// Zoho's OpenAPI file declares a link's `attachmentUrl` and `title` as query parameters, and
/// Zoho's SDKs send them so, with no body: the fake takes that shape as the form's.
#[tokio::test]
async fn a_link_sent_as_query_parameters_without_a_body_is_attached() {
    let zoho = FakeZoho::start().await;
    let attachments = "/crm/v8/Deals/2/Attachments";
    let query = format!(
        "{attachments}?attachmentUrl=https%3A%2F%2Fwww.zohocorp.com%2Fa%3Fb%3D1&title=Zoho%20Corp"
    );
    let (status, uploaded) = send(request(&zoho, Method::POST, &query)).await;
    assert_eq!(status, 200, "{uploaded}");
    assert_eq!(uploaded["data"][0]["code"], "SUCCESS");
    let (_, listed) = send(request(
        &zoho,
        Method::GET,
        &format!("{attachments}?fields=File_Name,$link_url"),
    ))
    .await;
    assert_eq!(
        listed["data"][0],
        json!({"File_Name": "Zoho Corp", "$link_url": "https://www.zohocorp.com/a?b=1"})
    );

    // The same limits as in a form, and the same errors without the link.
    let long_title = format!(
        "{attachments}?attachmentUrl=https%3A%2F%2Fa.example&title={}",
        "t".repeat(256)
    );
    let answer = send(request(&zoho, Method::POST, &long_title)).await;
    let body = assert_error(&answer, 400, "INVALID_DATA");
    assert_eq!(
        body["details"],
        json!({"param_name": "title", "maximum_length": 255})
    );
    let untitled_only = format!("{attachments}?title=T");
    let answer = send(request(&zoho, Method::POST, &untitled_only)).await;
    // The upload page lists INVALID_REQUEST, not REQUIRED_PARAM_MISSING.
    let body = assert_error(&answer, 400, "INVALID_REQUEST");
    assert_eq!(body["details"]["param_name"], "attachmentUrl");
    let nothing = send(request(&zoho, Method::POST, attachments)).await;
    assert_error(&nothing, 400, "INVALID_REQUEST");
}

#[tokio::test]
async fn crm_versions_share_one_store_and_bigin_has_its_own() {
    let zoho = FakeZoho::start().await;
    let form = file_form("file", "v2.1.txt", b"from v2.1");
    let (status, _) =
        send(request(&zoho, Method::POST, "/crm/v2.1/Leads/7/Attachments").multipart(form)).await;
    assert_eq!(status, 200);
    let (_, v7) = send(request(
        &zoho,
        Method::GET,
        "/crm/v7/Leads/7/Attachments?fields=File_Name",
    ))
    .await;
    assert_eq!(v7["data"], json!([{"File_Name": "v2.1.txt"}]));
    let (_, bigin) = send(request(&zoho, Method::GET, "/bigin/v1/Leads/7/Attachments")).await;
    // Leads is not a Bigin module at all.
    assert_eq!(bigin["code"], "INVALID_MODULE");
    // Bigin's store is its own: the record has no attachments there (204, no body).
    let (status, bigin) = send(request(
        &zoho,
        Method::GET,
        "/bigin/v2/Contacts/7/Attachments",
    ))
    .await;
    assert_eq!((status, bigin), (204, Value::Null));
}

#[tokio::test]
async fn contracts_upload_then_add_then_list_download_delete() {
    let zoho = FakeZoho::start().await;
    let contract = "/api/v1/contracts/msa-with-zenith-dynamics";
    let content = sample_bytes(12_345);
    let form = file_form("content", "signed contract.pdf", &content).text("module", "attachment");
    let (status, uploaded) =
        send(request(&zoho, Method::POST, &format!("{contract}/upload")).multipart(form)).await;
    assert_eq!(status, 200, "{uploaded}");
    let reference = uploaded[0].clone();
    assert_eq!(reference["fileName"], "signed contract.pdf");
    assert_eq!(reference["size"], 12_345);

    // Uploaded, not attached yet.
    let (_, listed) = send(request(
        &zoho,
        Method::GET,
        &format!("{contract}/attachments"),
    ))
    .await;
    assert_eq!(listed["contractattachments"], json!([]));

    let mut entry = reference.clone();
    entry["attachmentType"] = json!(1);
    let body = json!({"contractAttachments": [entry]});
    let (status, added) = send(
        request(&zoho, Method::POST, &format!("{contract}/attachments"))
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string()),
    )
    .await;
    assert_eq!(status, 200, "{added}");
    let attachment = added["contractattachments"][0].clone();
    assert_eq!(attachment["attachmentType"], 1);
    assert_eq!(attachment["file"]["name"], "signed contract");
    assert_eq!(attachment["file"]["Extension"], "pdf");
    assert_eq!(attachment["file"]["size"], 12_345);
    let contract_attachment_id = attachment["contractAttachmentId"]
        .as_str()
        .unwrap()
        .to_owned();
    let attachment_id = attachment["attachmentId"].as_str().unwrap().to_owned();

    let (_, listed) = send(request(
        &zoho,
        Method::GET,
        &format!("{contract}/attachments"),
    ))
    .await;
    assert_eq!(listed["contractattachments"], json!([attachment]));

    // The page leaves open which ID the path takes; both work.
    for id in [&contract_attachment_id, &attachment_id] {
        let download = request(&zoho, Method::GET, &format!("{contract}/attachments/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers()[CONTENT_TYPE], "application/pdf");
        assert_eq!(
            download.headers()[CONTENT_DISPOSITION],
            "attachment; filename=\"signed contract.pdf\"; filename*=UTF-8''signed%20contract.pdf"
        );
        assert_eq!(download.bytes().await.unwrap(), content);
    }

    // The reference was used up: adding it again is refused.
    let again = send(
        request(&zoho, Method::POST, &format!("{contract}/attachments")).body(body.to_string()),
    )
    .await;
    assert_error(&again, 400, "INVALID_DATA");

    let (status, deleted) = send(request(
        &zoho,
        Method::DELETE,
        &format!("{contract}/attachments/{contract_attachment_id}"),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        deleted,
        json!({"Type": "Success", "attachmentId": attachment_id})
    );
    let (_, listed) = send(request(
        &zoho,
        Method::GET,
        &format!("{contract}/attachments"),
    ))
    .await;
    assert_eq!(listed["contractattachments"], json!([]));
}

#[tokio::test]
async fn contracts_links_are_added_listed_and_not_downloadable() {
    let zoho = FakeZoho::start().await;
    let contract = "/api/v1/contracts/nda-acme";
    let body = json!({"contractAttachments": [
        {"sequenceNumber": 1, "linkName": "google", "linkURL": "google.com", "attachmentType": 2}
    ]});
    let (status, added) = send(
        request(&zoho, Method::POST, &format!("{contract}/attachments")).body(body.to_string()),
    )
    .await;
    assert_eq!(status, 200, "{added}");
    let link = &added["contractattachments"][0];
    assert_eq!(link["linkName"], "google");
    assert_eq!(link["linkURL"], "google.com");
    assert!(link.get("file").is_none());
    let id = link["contractAttachmentId"].as_str().unwrap();
    let answer = send(request(
        &zoho,
        Method::GET,
        &format!("{contract}/attachments/{id}"),
    ))
    .await;
    assert_error(&answer, 400, "DOWNLOAD_NOT_ALLOWED");
    // Another contract has its own attachments.
    let (_, other) = send(request(
        &zoho,
        Method::GET,
        "/api/v1/contracts/other/attachments",
    ))
    .await;
    assert_eq!(other["contractattachments"], json!([]));
}

#[tokio::test]
async fn photos_belong_to_one_record() {
    let zoho = FakeZoho::start().await;
    let png = b"\x89PNG\r\n\x1a\nnot really";
    let form = file_form("file", "face.png", png);
    let (status, body) =
        send(request(&zoho, Method::POST, "/crm/v8/Contacts/5/photo").multipart(form)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["code"], "SUCCESS");

    let photo = request(&zoho, Method::GET, "/crm/v8/Contacts/5/photo")
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()[CONTENT_TYPE], "image/png");
    assert_eq!(photo.bytes().await.unwrap(), &png[..]);
    let other = request(&zoho, Method::GET, "/crm/v8/Contacts/6/photo")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 204);

    let (status, _) = send(request(&zoho, Method::DELETE, "/crm/v8/Contacts/5/photo")).await;
    assert_eq!(status, 200);
    let gone = request(&zoho, Method::GET, "/crm/v8/Contacts/5/photo")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
}

#[tokio::test]
async fn deleting_several_attachments_reports_each_id() {
    let zoho = FakeZoho::start().await;
    let parent = zoho_fake::Parent::crm("Leads", "9");
    let first = zoho.add_file(&parent, "a.txt", "a");
    let second = zoho.add_file(&parent, "b.txt", "b");
    let path = format!("/crm/v8/Leads/9/Attachments?ids={first},404,{second}");
    let (status, body) = send(request(&zoho, Method::DELETE, &path)).await;
    assert_eq!(status, 200, "{body}");
    let codes: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SUCCESS", "INVALID_DATA", "SUCCESS"]);
    assert!(zoho.attachments(&parent).is_empty());
    // Nothing left to delete: the call as a whole fails.
    let answer = send(request(&zoho, Method::DELETE, &path)).await;
    assert_eq!(answer.0, 400);
    assert_eq!(answer.1["data"][0]["code"], "INVALID_DATA");
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let zoho = FakeZoho::start().await;
    let addr = zoho.local_addr();
    let (status, _) = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id",
    ))
    .await;
    assert_eq!(status, 204);
    zoho.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening"
    );
}

#[tokio::test]
async fn a_storage_directory_keeps_attachments_across_servers() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let zoho = FakeZoho::builder().storage_dir(dir.path()).start().await;
        let form = file_form("file", "kept.bin", &sample_bytes(3000));
        let (_, uploaded) =
            send(request(&zoho, Method::POST, "/bigin/v2/Products/3/Attachments").multipart(form))
                .await;
        uploaded["data"][0]["details"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let zoho = FakeZoho::builder().storage_dir(dir.path()).start().await;
    let download = request(
        &zoho,
        Method::GET,
        &format!("/bigin/v2/Products/3/Attachments/{id}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap(), sample_bytes(3000));
}
