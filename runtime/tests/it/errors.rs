//! How answers and failures are classified.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::Deserialize;
use zoho_runtime::{AccessToken, BoxFuture, Client, Error, Request, TimeoutKind, TokenSource};

use crate::support::{LIST, Reply, TOKEN, TestServer, client_for};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Listing {
    data: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
    #[serde(rename = "Size", deserialize_with = "zoho_runtime::de::lenient_i64")]
    size: i64,
}

async fn send_to(reply: Reply) -> Result<zoho_runtime::Response, Error> {
    let server = TestServer::start(reply).await;
    server
        .client()
        .send(&LIST, Request::new("/files".into()))
        .await
}

async fn decode_listing(reply: Reply) -> Error {
    let response = send_to(reply).await.expect("a 2xx answer");
    response
        .json::<Listing>()
        .await
        .expect_err("a decode failure")
}

#[tokio::test]
async fn top_level_envelope_is_a_service_error() {
    let err = send_to(Reply::json(
        400,
        r#"{"code":"INVALID_MODULE","details":{"api_name":"Leadz"},"message":"the module name given seems to be invalid","status":"error"}"#,
    ))
    .await
    .expect_err("an error");

    let service = err.service().expect("a service error");
    assert_eq!(service.http_status(), 400);
    assert_eq!(service.code(), "INVALID_MODULE");
    assert_eq!(
        service.message(),
        "the module name given seems to be invalid"
    );
    assert_eq!(service.details()["api_name"], "Leadz");
    assert_eq!(err.http_status(), Some(400));
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "INVALID_MODULE (HTTP 400): the module name given seems to be invalid"
    );
}

#[tokio::test]
async fn envelope_inside_data_is_a_service_error() {
    let err = send_to(Reply::json(
        404,
        r#"{"data":[{"code":"INVALID_DATA","details":{},"message":"the related id given seems to be invalid","status":"error"}]}"#,
    ))
    .await
    .expect_err("an error");
    let service = err.service().expect("a service error");
    assert_eq!(service.code(), "INVALID_DATA");
    assert_eq!(service.http_status(), 404);
}

#[tokio::test]
async fn rate_limit_envelope_is_retryable() {
    let err = send_to(Reply::json(
        429,
        r#"{"code":"TOO_MANY_REQUESTS","message":"too many requests","status":"error"}"#,
    ))
    .await
    .expect_err("an error");
    assert_eq!(err.service().map(|s| s.code()), Some("TOO_MANY_REQUESTS"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn html_gateway_page_is_an_unexpected_status_with_a_snippet() {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "x".repeat(5000)
    );
    let err = send_to(Reply::with_type(502, Some("text/html"), &page))
        .await
        .expect_err("an error");
    match &err {
        Error::UnexpectedStatus {
            status,
            content_type,
            snippet,
        } => {
            assert_eq!(*status, 502);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(snippet.starts_with("<html><head><title>502 Bad Gateway"));
            assert!(snippet.chars().count() <= 201, "snippet is not short");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.http_status(), Some(502));
}

#[tokio::test]
async fn error_status_with_empty_body_is_an_unexpected_status() {
    let err = send_to(Reply::with_type(500, None, ""))
        .await
        .expect_err("an error");
    assert!(matches!(
        err,
        Error::UnexpectedStatus {
            status: 500,
            content_type: None,
            ..
        }
    ));
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_path_and_snippet() {
    let err = decode_listing(Reply::json(
        200,
        r#"{"data":[{"id":"1","Size":10},{"id":"2","Si"#,
    ))
    .await;
    match err {
        Error::Decode {
            status,
            path,
            message,
            snippet,
        } => {
            assert_eq!(status, 200);
            assert!(path.starts_with("data[1]"), "path {path}");
            assert!(message.contains("EOF"), "message {message}");
            assert!(
                snippet.starts_with(r#"{"data":[{"id":"1""#),
                "snippet {snippet}"
            );
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_shape_json_is_a_decode_error_naming_the_path() {
    let err = decode_listing(Reply::json(
        200,
        r#"{"data":[{"id":"1","Size":10},{"id":"2","Size":"large"}]}"#,
    ))
    .await;
    match err {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "data[1].Size");
            assert!(message.contains("large"), "message {message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn html_with_success_status_is_a_decode_error() {
    let err = decode_listing(Reply::with_type(
        200,
        Some("text/html"),
        "<html>Service under maintenance</html>",
    ))
    .await;
    assert!(
        matches!(err, Error::Decode { status: 200, ref snippet, .. } if snippet.contains("maintenance"))
    );
}

#[tokio::test]
async fn empty_success_body_is_a_decode_error_not_a_panic() {
    let err = decode_listing(Reply::with_type(204, None, "")).await;
    match err {
        Error::Decode {
            status, message, ..
        } => {
            assert_eq!(status, 204);
            assert!(message.contains("empty"), "message {message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind and release a port so that nothing listens on it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);

    let err = client_for(&url)
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect_err("an error");
    assert!(matches!(err, Error::Transport(_)), "got {err:?}");
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn slow_server_and_short_timeout_is_a_timeout_error() {
    let server = TestServer::start(Reply::json(200, "{}").after(Duration::from_secs(5))).await;
    let client = Client::builder()
        .base_url(&server.url)
        .access_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect_err("an error");
    match &err {
        Error::Timeout(timed_out) => {
            assert_eq!(timed_out.kind(), TimeoutKind::Operation);
            assert_eq!(timed_out.limit(), Some(Duration::from_millis(200)));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "the request timed out");
    assert_eq!(
        std::error::Error::source(&err).map(ToString::to_string),
        Some("the operation took longer than its timeout (0.2 s)".to_owned())
    );
}

/// Counts how often it was told its token was rejected.
#[derive(Debug, Default)]
struct CountingSource {
    rejected: AtomicUsize,
}

impl TokenSource for CountingSource {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async { Ok(AccessToken::new(TOKEN)) })
    }

    fn rejected(&self, token: &AccessToken) -> BoxFuture<'_, ()> {
        assert_eq!(token.expose(), TOKEN);
        self.rejected.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {})
    }
}

/// How often the source was told of a rejection, and how many requests were sent.
async fn rejections_after(reply: Reply) -> (usize, usize) {
    let server = TestServer::start(reply).await;
    let source = Arc::new(CountingSource::default());
    let client = Client::builder()
        .base_url(&server.url)
        .token_source(source.clone())
        .build()
        .unwrap();
    let _ = client.send(&LIST, Request::new("/files".into())).await;
    (
        source.rejected.load(Ordering::SeqCst),
        server.requests().len(),
    )
}

#[tokio::test]
async fn invalid_token_answer_tells_the_token_source() {
    let invalid =
        r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#;
    // The source gives the same token again, so sending again would be pointless.
    assert_eq!(rejections_after(Reply::json(401, invalid)).await, (1, 1));

    let no_permission =
        r#"{"code":"NO_PERMISSION","details":{},"message":"permission denied","status":"error"}"#;
    assert_eq!(
        rejections_after(Reply::json(403, no_permission)).await,
        (0, 1)
    );
    assert_eq!(rejections_after(Reply::json(200, "{}")).await, (0, 1));
}

#[derive(Debug)]
struct FailingSource;

impl TokenSource for FailingSource {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async { Err(Error::Auth("refresh token revoked".into())) })
    }
}

#[tokio::test]
async fn token_source_failure_is_an_auth_error_and_nothing_is_sent() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let client = Client::builder()
        .base_url(&server.url)
        .token_source(FailingSource)
        .build()
        .unwrap();
    let err = client
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect_err("an error");
    assert!(matches!(err, Error::Auth(ref message) if message == "refresh token revoked"));
    assert!(!err.is_retryable());
    assert!(server.requests().is_empty());
}
