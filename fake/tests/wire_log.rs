//! The wire log (`record_wire`, `--record`): one JSON line per request with what it carried,
//! the body passed on untouched, a link taken in both of Zoho's shapes.

mod common;

use common::{file_form, request, send};
use reqwest::Method;
use serde_json::{Value, json};
use zoho_fake::FakeZoho;

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[tokio::test]
async fn every_request_is_logged_with_its_parts_and_answer() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("wire.jsonl");
    let zoho = FakeZoho::builder().record_wire(&log).start().await;
    let path = "/crm/v8/Leads/1/Attachments";

    let file = request(&zoho, Method::POST, path).multipart(file_form("file", "a.txt", b"hello"));
    assert_eq!(send(file).await.0, 200);
    // A link as form-data, as Zoho's pages show it, and as query parameters with no body, as
    // Zoho's OpenAPI file declares it and its SDKs send it.
    let form = reqwest::multipart::Form::new()
        .text("attachmentUrl", "https://www.zohocorp.com")
        .text("title", "Zoho");
    let link = request(&zoho, Method::POST, path).multipart(form);
    assert_eq!(send(link).await.0, 200);
    let by_query = request(
        &zoho,
        Method::POST,
        &format!("{path}?attachmentUrl=https%3A%2F%2Fwww.zoho.com&title=Zoho%20CRM"),
    );
    assert_eq!(send(by_query).await.0, 200);
    let listed = request(&zoho, Method::GET, &format!("{path}?fields=id,File_Name"));
    let (status, body) = send(listed).await;
    assert_eq!(status, 200);
    // The body the log read reached the handler whole.
    assert_eq!(body["data"].as_array().unwrap().len(), 3);
    let bad = request(
        &zoho,
        Method::GET,
        "/crm/v8/Widgets/1/Attachments?fields=id",
    );
    assert_eq!(send(bad).await.0, 400);

    let logged = lines(&log);
    assert_eq!(logged.len(), 5);
    assert_eq!(logged[0]["authorization"], "Zoho-oauthtoken");
    assert_eq!(logged[0]["content_type"], "multipart/form-data");
    assert_eq!(
        logged[0]["body"],
        json!({"kind": "multipart", "parts": [{
            "name": "file", "filename": "a.txt", "content_type": null,
            "size": 5, "text": "hello",
        }]})
    );
    assert_eq!(logged[0]["operation"], "upload_attachment");
    assert_eq!(logged[0]["status"], 200);
    let names: Vec<&Value> = logged[1]["body"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|part| &part["name"])
        .collect();
    assert_eq!(names, ["attachmentUrl", "title"]);
    assert_eq!(
        logged[2]["query"],
        json!([
            ["attachmentUrl", "https://www.zoho.com"],
            ["title", "Zoho CRM"]
        ])
    );
    assert_eq!(logged[2]["body"], json!({"kind": "none"}));
    assert_eq!(logged[3]["query"], json!([["fields", "id,File_Name"]]));
    assert_eq!(logged[4]["status"], 400);
    assert!(
        !std::fs::read_to_string(&log)
            .unwrap()
            .contains(zoho.token()),
        "the token is never logged"
    );
}
