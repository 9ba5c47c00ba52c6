//! Read (stall) and whole-operation timeouts against servers that stall on purpose.
//! Limits are short and servers stall far longer, so results do not depend on speed.

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use futures::stream::{self, StreamExt};
use zoho_runtime::{CallOptions, Client, ClientBuilder, Error, Request, RetryPolicy, TimeoutKind};

use crate::support::{LIST, Reply, TOKEN, TestServer, fast_retries, serve};

/// Far longer than any limit below.
const STALL: Duration = Duration::from_secs(30);
const SHORT: Duration = Duration::from_millis(300);

fn builder(url: &str) -> ClientBuilder<Client> {
    Client::builder()
        .base_url(url)
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
}

async fn list(client: &Client) -> Result<zoho_runtime::Response, Error> {
    client.send(&LIST, Request::new("/files".into())).await
}

fn timeout_kind(result: Result<impl std::fmt::Debug, Error>) -> TimeoutKind {
    match result {
        Err(Error::Timeout(timed_out)) => timed_out.kind(),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

/// Answers at once with headers and the start of a body, then sends nothing more.
async fn stalling_body_server() -> String {
    let app = Router::new().fallback(|| async {
        let start = stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"{\"data\":["))]);
        Body::from_stream(start.chain(stream::pending()))
    });
    serve(app).await
}

#[tokio::test]
async fn a_server_that_does_not_answer_hits_the_read_timeout() {
    let server = TestServer::start(Reply::json(200, "{}").after(STALL)).await;
    let client = builder(&server.url).read_timeout(SHORT).build().unwrap();
    assert_eq!(timeout_kind(list(&client).await), TimeoutKind::Read);
}

#[tokio::test]
async fn an_attempt_that_timed_out_is_retried() {
    let server = TestServer::script(vec![
        Reply::json(200, "{}").after(STALL),
        Reply::json(200, "{}"),
    ])
    .await;
    let client = builder(&server.url)
        .read_timeout(SHORT)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    list(&client).await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_body_that_stalls_hits_the_read_timeout() {
    let url = stalling_body_server().await;
    let client = builder(&url).read_timeout(SHORT).build().unwrap();

    let json = list(&client)
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await;
    assert_eq!(timeout_kind(json), TimeoutKind::Read);

    let download = list(&client).await.unwrap().into_download().bytes().await;
    assert_eq!(timeout_kind(download), TimeoutKind::Read);
}

#[tokio::test]
async fn a_slow_server_hits_the_operation_timeout() {
    let server = TestServer::start(Reply::json(200, "{}").after(STALL)).await;
    let client = builder(&server.url).timeout(SHORT).build().unwrap();
    assert_eq!(timeout_kind(list(&client).await), TimeoutKind::Operation);
}

#[tokio::test]
async fn the_operation_timeout_covers_reading_the_json_answer() {
    let url = stalling_body_server().await;
    // The read timeout alone would wait far longer.
    let client = builder(&url).timeout(SHORT).build().unwrap();
    let response = list(&client).await.unwrap();
    let json = response.json::<serde_json::Value>().await;
    assert_eq!(timeout_kind(json), TimeoutKind::Operation);
}

#[tokio::test]
async fn a_call_can_set_its_own_operation_timeout() {
    let server = TestServer::start(Reply::json(200, "{}").after(STALL)).await;
    let client = builder(&server.url).build().unwrap();
    let mut options = CallOptions::default();
    options.timeout(SHORT);
    let result = client
        .send_with(&LIST, Request::new("/files".into()), &options)
        .await;
    match result {
        Err(Error::Timeout(timed_out)) => {
            assert_eq!(timed_out.kind(), TimeoutKind::Operation);
            assert_eq!(timed_out.limit(), Some(SHORT));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn the_operation_timeout_bounds_retries_too() {
    let server = TestServer::start(Reply::with_type(503, None, "")).await;
    let policy = RetryPolicy::new()
        .max_attempts(1000)
        .initial_backoff(Duration::from_millis(50))
        .max_backoff(Duration::from_millis(50))
        .jitter(false);
    let client = builder(&server.url)
        .retry_policy(policy)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = tokio::time::timeout(STALL, list(&client))
        .await
        .expect("the operation timeout ends the retries")
        .expect_err("always unavailable");
    // Either the last 503 (no wait fits any more) or the deadline itself.
    assert!(
        err.http_status() == Some(503) || matches!(err, Error::Timeout(_)),
        "{err:?}"
    );
    assert!(server.requests().len() <= 11);
}

/// An operation that answers with a file, bounded by the transfer timeout, not the call one.
static DOWNLOAD: zoho_runtime::OperationInfo = zoho_runtime::OperationInfo {
    product: "crm",
    version: "v7",
    name: "download_attachment",
    method: zoho_runtime::Method::GET,
    server: LIST.server,
    kind: zoho_runtime::OperationKind::DownloadsFile,
    item_status: None,
};

#[test]
fn calls_are_limited_to_30_s_and_transfers_only_by_the_read_timeout_by_default() {
    let client = builder("http://127.0.0.1:9").build().unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains("timeout: Some(30s)"), "{shown}");
    assert!(shown.contains("transfer_timeout: None"), "{shown}");
    assert!(shown.contains("read_timeout: 60s"), "{shown}");
}

#[tokio::test]
async fn transfers_are_bounded_by_the_transfer_timeout_not_the_call_one() {
    let server = TestServer::start(Reply::json(200, "{}").after(Duration::from_millis(600))).await;
    let client = builder(&server.url).timeout(SHORT).build().unwrap();
    let download = client
        .send(&DOWNLOAD, Request::new("/file".into()))
        .await
        .expect("a transfer is not held to the 300 ms call limit");
    assert_eq!(download.status(), 200);
    assert_eq!(timeout_kind(list(&client).await), TimeoutKind::Operation);

    let bounded = builder(&server.url)
        .transfer_timeout(SHORT)
        .build()
        .unwrap();
    let result = bounded.send(&DOWNLOAD, Request::new("/file".into())).await;
    assert_eq!(timeout_kind(result), TimeoutKind::Operation);
}
