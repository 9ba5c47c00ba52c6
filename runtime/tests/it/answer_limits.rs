//! Answers read into memory are capped: a huge JSON answer or in-memory download is a typed
//! error that names the cap, read no further than the cap.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::header;
use axum::response::IntoResponse;
use bytes::Bytes;
use futures::stream;
use zoho_runtime::{Client, DEFAULT_MAX_IN_MEMORY, Error, Request};

use crate::support::{LIST, TOKEN, fast_retries, serve};

const MIB: u64 = 1024 * 1024;

/// A server answering `total` bytes of a JSON list in 64 KiB chunks, counting what it sent;
/// with `announce`, the length is in `Content-Length`.
async fn huge_answer(total: u64, announce: bool) -> (String, Arc<AtomicU64>) {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let app = Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let chunks = total.div_ceil(chunk.len() as u64);
            let body = stream::iter((0..chunks).map(move |_| {
                counter.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                Ok::<_, std::io::Error>(chunk.clone())
            }));
            let mut response = Body::from_stream(body).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
            if announce {
                headers.insert(header::CONTENT_LENGTH, (chunks * 64 * 1024).into());
            }
            response
        }
    });
    (serve(app).await, sent)
}

fn client(url: &str, limit: Option<u64>) -> Client {
    let mut builder = Client::builder()
        .base_url(url)
        .access_token(TOKEN)
        .retry_policy(fast_retries());
    if let Some(limit) = limit {
        builder = builder.max_response_bytes(limit);
    }
    builder.build().expect("a client")
}

async fn listing(client: &Client) -> Result<serde_json::Value, Error> {
    client
        .send(&LIST, Request::new("/files".into()))
        .await?
        .json()
        .await
}

#[tokio::test]
async fn a_200_mb_answer_stops_at_the_default_cap() {
    let (url, sent) = huge_answer(200 * MIB, false).await;

    let error = listing(&client(&url, None)).await.expect_err("too large");

    match error {
        Error::ResponseTooLarge { limit, announced } => {
            assert_eq!(limit, 8 * MIB);
            assert_eq!(announced, None);
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    // The server streams ahead into socket buffers, but nowhere near the whole answer.
    assert!(
        sent.load(Ordering::SeqCst) < 64 * MIB,
        "the answer was read on"
    );
}

#[tokio::test]
async fn an_announced_length_over_the_cap_is_refused_before_reading() {
    let (url, _) = huge_answer(4 * MIB, true).await;

    let error = listing(&client(&url, Some(MIB)))
        .await
        .expect_err("too large");

    assert!(
        matches!(error, Error::ResponseTooLarge { limit, announced: Some(announced) }
            if limit == MIB && announced == 4 * MIB),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("1048576"), "{error}");
}

#[tokio::test]
async fn an_answer_within_the_cap_is_read_whole() {
    let (url, _) = huge_answer(MIB, false).await;
    let error = listing(&client(&url, Some(2 * MIB)))
        .await
        .expect_err("spaces are not JSON");
    // Read to the end, then found empty: the cap did not cut it.
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

// Any attachment Zoho accepts (100 MB at most) fits in memory by default.
const _: () = assert!(DEFAULT_MAX_IN_MEMORY > 100 * 1000 * 1000);

#[tokio::test]
async fn an_in_memory_download_is_capped_too() {
    let (url, _) = huge_answer(4 * MIB, false).await;
    let download = client(&url, None)
        .send(&LIST, Request::new("/file".into()))
        .await
        .expect("a 200")
        .into_download();

    let error = download.bytes_limited(MIB).await.expect_err("too large");

    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == MIB),
        "{error:?}"
    );
}
