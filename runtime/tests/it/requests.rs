//! What goes on the wire, and where.

use serde::Deserialize;
use zoho_runtime::{BuildError, Bytes, Client, ClientBuilder, Error, Request, encode_path_segment};

use crate::support::{AU, LIST, Reply, TOKEN, TestServer, UPLOAD, US, operation_served_at};

#[derive(Debug, Deserialize)]
struct Listing {
    data: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    #[serde(rename = "Size", deserialize_with = "zoho_runtime::de::lenient_i64")]
    size: i64,
}

#[tokio::test]
async fn get_sends_method_path_query_and_headers_as_built() {
    let server = TestServer::start(Reply::json(
        200,
        r#"{"data":[{"id":"42","Size":"362207"}],"info":{"more_records":false}}"#,
    ))
    .await;
    let path = format!(
        "/Leads/{}/Attachments",
        encode_path_segment("record_id", "12/3 ü").unwrap()
    );
    let request = Request::new(path)
        .query("fields", "id,File_Name")
        .query("page", "2")
        .query("q", "a b&c=d");

    let response = server.client().send(&LIST, request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/json;charset=UTF-8"
    );
    let listing: Listing = response.json().await.unwrap();
    assert_eq!(listing.data[0].id, "42");
    assert_eq!(listing.data[0].size, 362_207);

    let sent = server.only_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.uri,
        "/crm/v7/Leads/12%2F3%20%C3%BC/Attachments?fields=id,File_Name&page=2&q=a%20b%26c%3Dd"
    );
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Zoho-oauthtoken {TOKEN}").as_str())
    );
    assert_eq!(
        sent.header("user-agent"),
        Some(concat!("zoho-runtime/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(sent.header("content-type"), None);
    assert!(sent.body.is_empty());
}

#[tokio::test]
async fn json_body_is_sent_verbatim_with_its_content_type() {
    let server = TestServer::start(Reply::json(201, r#"{"data":[]}"#)).await;
    let body = Bytes::from_static(br#"{"data":[{"File_Name":"a.pdf"}]}"#);

    let response = server
        .client()
        .send(&UPLOAD, Request::new("/files".into()).json(body.clone()))
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    let sent = server.only_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.uri, "/crm/v7/files");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.body, body);
}

#[tokio::test]
async fn user_agent_can_be_replaced() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = Client::builder()
        .base_url(&server.url)
        .access_token(TOKEN)
        .user_agent("my-app/2.1")
        .build()
        .unwrap();
    client
        .send(&LIST, Request::new("/files".into()))
        .await
        .unwrap();
    assert_eq!(
        server.only_request().header("user-agent"),
        Some("my-app/2.1")
    );
}

#[tokio::test]
async fn base_url_path_is_kept_before_the_server_prefix() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = Client::builder()
        .base_url(format!("{}/zoho/", server.url))
        .access_token(TOKEN)
        .build()
        .unwrap();
    client
        .send(&LIST, Request::new("/files".into()).query("id", "1"))
        .await
        .unwrap();
    assert_eq!(server.only_request().uri, "/zoho/crm/v7/files?id=1");
}

#[tokio::test]
async fn data_centre_origin_is_used_when_there_is_no_base_url() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let op = operation_served_at(&server.url);
    let client = Client::builder()
        .data_center(US)
        .access_token(TOKEN)
        .build()
        .unwrap();
    client
        .send(op, Request::new("/files".into()))
        .await
        .unwrap();
    assert_eq!(server.only_request().uri, "/crm/v7/files");
}

#[tokio::test]
async fn data_centre_without_a_host_fails_before_sending() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let op = operation_served_at(&server.url);
    let client = Client::builder()
        .data_center(AU)
        .access_token(TOKEN)
        .build()
        .unwrap();
    match client.send(op, Request::new("/files".into())).await {
        Err(Error::InvalidInput { parameter, reason }) => {
            assert_eq!(parameter, "data_center");
            assert_eq!(reason, "crm v7 has no documented host for Australia");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

/// The generated crate wraps the runtime client in its own type.
struct GeneratedClient(Client);

impl From<Client> for GeneratedClient {
    fn from(client: Client) -> Self {
        Self(client)
    }
}

#[tokio::test]
async fn builder_builds_a_wrapping_client_type() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let wrapped: GeneratedClient = ClientBuilder::<GeneratedClient>::default()
        .base_url(&server.url)
        .access_token(TOKEN)
        .build()
        .unwrap();
    wrapped
        .0
        .send(&LIST, Request::new("/files".into()))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn send_future_and_client_can_cross_threads() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<Client>();
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token(TOKEN)
        .build()
        .unwrap();
    let future = client.send(&LIST, Request::new("/files".into()));
    assert_send(&future);
}

#[test]
fn build_rejects_incomplete_or_invalid_settings() {
    assert!(matches!(
        Client::builder().access_token(TOKEN).build(),
        Err(BuildError::NoDataCenter)
    ));
    assert!(matches!(
        Client::builder().data_center(US).build(),
        Err(BuildError::NoTokenSource)
    ));
    assert!(matches!(
        Client::builder()
            .base_url("localhost:4000")
            .access_token(TOKEN)
            .build(),
        Err(BuildError::InvalidBaseUrl { .. })
    ));
    assert!(matches!(
        Client::builder()
            .base_url("http://127.0.0.1:4000/?debug=1")
            .access_token(TOKEN)
            .build(),
        Err(BuildError::InvalidBaseUrl { .. })
    ));
    assert!(matches!(
        Client::builder()
            .data_center(US)
            .access_token(TOKEN)
            .user_agent("bad\r\nagent")
            .build(),
        Err(BuildError::InvalidUserAgent)
    ));
}
