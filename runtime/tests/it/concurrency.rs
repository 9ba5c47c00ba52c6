//! A client with a concurrency limit keeps at most that many calls in flight, downloads
//! included until their bodies are read, and lowers it when Zoho answers that there are
//! too many.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use futures::future::join_all;
use zoho_runtime::{Client, Request, RetryPolicy};

use crate::support::{LIST, TOKEN, serve};

const TOO_MANY: &str = r#"{"code":"TOO_MANY_REQUESTS","details":{},"message":"concurrency limit exceeded","status":"error"}"#;

/// Counts the calls in flight; answers 429 when more than `allowed` are, as Zoho does
/// beyond an organisation's concurrency limit.
struct Counter {
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    refused: AtomicUsize,
    allowed: usize,
}

async fn server(allowed: usize, hold: Duration) -> (String, Arc<Counter>) {
    let counter = Arc::new(Counter {
        in_flight: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
        refused: AtomicUsize::new(0),
        allowed,
    });
    let shared = counter.clone();
    let app = Router::new().fallback(move || {
        let counter = shared.clone();
        async move {
            let now = counter.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            counter.peak.fetch_max(now, Ordering::SeqCst);
            let response = if now > counter.allowed {
                counter.refused.fetch_add(1, Ordering::SeqCst);
                (StatusCode::TOO_MANY_REQUESTS, TOO_MANY).into_response()
            } else {
                tokio::time::sleep(hold).await;
                (StatusCode::OK, r#"{"data":[]}"#).into_response()
            };
            counter.in_flight.fetch_sub(1, Ordering::SeqCst);
            response
        }
    });
    (serve(app).await, counter)
}

fn client(url: &str, max: usize) -> Client {
    Client::builder()
        .base_url(url)
        .access_token(TOKEN)
        .max_concurrency(max)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(8)
                .initial_backoff(Duration::from_millis(20))
                .max_backoff(Duration::from_millis(200)),
        )
        .build()
        .expect("a client")
}

async fn list_all(client: &Client, calls: usize) -> usize {
    let results = join_all((0..calls).map(|_| async {
        client
            .send(&LIST, Request::new("/files".into()))
            .await?
            .bytes()
            .await
    }))
    .await;
    results.iter().filter(|result| result.is_ok()).count()
}

#[tokio::test]
async fn at_most_max_calls_are_in_flight() {
    let (url, counter) = server(100, Duration::from_millis(50)).await;
    let client = client(&url, 3);

    assert_eq!(list_all(&client, 24).await, 24);

    assert_eq!(counter.peak.load(Ordering::SeqCst), 3);
    assert_eq!(client.concurrency(), Some(3));
}

#[tokio::test]
async fn too_many_requests_lowers_the_limit_and_every_call_still_succeeds() {
    // Zoho allows 2; the client starts at 8.
    let (url, counter) = server(2, Duration::from_millis(30)).await;
    let client = client(&url, 8);

    assert_eq!(list_all(&client, 40).await, 40);

    let refused = counter.refused.load(Ordering::SeqCst);
    assert!(
        refused > 0,
        "the fake never refused: the test proves nothing"
    );
    // Halving on the first burst takes 8 to 4 to 2: a few bursts of refusals, not one per
    // call and retry.
    assert!(refused < 40, "{refused} refusals for 40 calls");
    assert!(client.concurrency().expect("a limit") <= 8);
}

#[tokio::test]
async fn a_download_keeps_its_place_until_its_body_is_dropped() {
    let (url, counter) = server(100, Duration::ZERO).await;
    let client = client(&url, 1);

    let first = client
        .send(&LIST, Request::new("/file".into()))
        .await
        .expect("a 200")
        .into_download();
    // The only place is taken by the unread download.
    let second = tokio::time::timeout(
        Duration::from_millis(300),
        client.send(&LIST, Request::new("/file".into())),
    )
    .await;
    assert!(
        second.is_err(),
        "a second call went out while the first was unread"
    );
    drop(first);
    client
        .send(&LIST, Request::new("/file".into()))
        .await
        .expect("the place is free again");
    assert_eq!(counter.peak.load(Ordering::SeqCst), 1);
}
