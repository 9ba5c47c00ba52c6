//! Retries: what is retried, how long the client waits, and when it gives up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zoho_runtime::{
    Bytes, CallOptions, Client, Error, FilePart, Multipart, Request, Response, RetryPolicy,
};

use crate::support::{Captured, LIST, Reply, TOKEN, TestServer, UPLOAD, fast_retries, parts};

const TOO_MANY: &str =
    r#"{"code":"TOO_MANY_REQUESTS","details":{},"message":"too many requests","status":"error"}"#;
const UNAVAILABLE: &str = "<html>503 Service Unavailable</html>";
const OK: &str = r#"{"data":[]}"#;

fn unavailable() -> Reply {
    Reply::with_type(503, Some("text/html"), UNAVAILABLE)
}

fn client(url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(url)
        .access_token(TOKEN)
        .retry_policy(policy)
        .build()
        .unwrap()
}

async fn list(client: &Client) -> Result<Response, Error> {
    client.send(&LIST, Request::new("/files".into())).await
}

/// Fails the test instead of hanging if the client waits when it must not.
async fn promptly<T>(work: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), work)
        .await
        .expect("the client waited instead of giving up")
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_succeeds() {
    let server = TestServer::script(vec![
        Reply::json(429, TOO_MANY).header("retry-after", "1"),
        Reply::json(200, OK),
    ])
    .await;
    // The backoff alone would be a millisecond: any longer wait is Retry-After's.
    let started = Instant::now();
    list(&client(&server.url, fast_retries())).await.unwrap();

    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_time_left_returns_the_429_at_once() {
    let in_an_hour =
        chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + Duration::from_secs(3600))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
    for retry_after in ["120".to_owned(), in_an_hour] {
        let server = TestServer::start(
            Reply::json(429, TOO_MANY).header("retry-after", retry_after.clone()),
        )
        .await;
        let policy = fast_retries().max_elapsed(Duration::from_secs(5));
        let err = promptly(list(&client(&server.url, policy)))
            .await
            .expect_err("rate limited");

        assert_eq!(
            err.service().map(|service| service.code()),
            Some("TOO_MANY_REQUESTS"),
            "{retry_after}"
        );
        assert_eq!(server.requests().len(), 1, "{retry_after}");
    }
}

#[tokio::test]
async fn a_burst_of_503s_then_200_succeeds_and_a_json_post_is_resent_whole() {
    let server = TestServer::script(vec![unavailable(), unavailable(), Reply::json(200, OK)]).await;
    let body = Bytes::from_static(br#"{"data":[{"File_Name":"a.txt"}]}"#);
    client(&server.url, fast_retries())
        .send(&UPLOAD, Request::new("/files".into()).json(body.clone()))
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|request| request.body == body));
}

#[tokio::test]
async fn more_503s_than_attempts_return_the_503() {
    let server = TestServer::start(unavailable()).await;
    let err = list(&client(&server.url, fast_retries().max_attempts(3)))
        .await
        .expect_err("always unavailable");

    assert_eq!(err.http_status(), Some(503));
    // Retryable as far as the error goes: it was the attempts that ran out.
    assert!(err.is_retryable());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn errors_that_will_not_change_are_not_retried() {
    let invalid = r#"{"code":"INVALID_DATA","details":{},"message":"bad id","status":"error"}"#;
    let scope =
        r#"{"code":"OAUTH_SCOPE_MISMATCH","details":{},"message":"no scope","status":"error"}"#;
    for (status, body) in [(400, invalid), (401, scope), (404, invalid)] {
        let server = TestServer::start(Reply::json(status, body)).await;
        let err = list(&client(&server.url, fast_retries()))
            .await
            .expect_err("an error");
        assert!(!err.is_retryable());
        assert_eq!(server.requests().len(), 1, "HTTP {status}");
    }
}

#[tokio::test]
async fn retries_stop_at_max_elapsed() {
    let server = TestServer::start(unavailable()).await;
    let policy = RetryPolicy::new()
        .max_attempts(1000)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(100))
        .jitter(false)
        .max_elapsed(Duration::from_secs(1));
    let err = promptly(list(&client(&server.url, policy)))
        .await
        .expect_err("always unavailable");

    assert_eq!(err.http_status(), Some(503));
    // Waits of 100 ms within one second: at most ten retries after the first attempt.
    let attempts = server.requests().len();
    assert!((2..=11).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn call_options_override_the_clients_retry_policy() {
    let script = || TestServer::script(vec![unavailable(), Reply::json(200, OK)]);
    let server = script().await;
    let never = client(&server.url, RetryPolicy::none());
    assert!(list(&never).await.is_err());
    assert_eq!(server.requests().len(), 1);

    let server = script().await;
    let never = client(&server.url, RetryPolicy::none());
    let mut options = CallOptions::default();
    options.retry_policy(fast_retries());
    never
        .send_with(&LIST, Request::new("/files".into()), &options)
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

/// A server that hangs up in the middle of the first upload and answers later ones.
struct HangUpOnce {
    url: String,
    connections: Arc<AtomicUsize>,
    complete: Arc<Mutex<Vec<Captured>>>,
}

impl HangUpOnce {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let complete = Arc::new(Mutex::new(Vec::new()));
        let (count, received) = (connections.clone(), complete.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let first = count.fetch_add(1, Ordering::SeqCst) == 0;
                let received = received.clone();
                tokio::spawn(async move { serve_upload(socket, first, received).await });
            }
        });
        Self {
            url,
            connections,
            complete,
        }
    }
}

/// Reads one request; on the first connection hangs up after 64 KiB of its body.
async fn serve_upload(mut socket: TcpStream, hang_up: bool, received: Arc<Mutex<Vec<Captured>>>) {
    let mut data = Vec::new();
    let mut buf = vec![0; 64 * 1024];
    let head_end = loop {
        if let Some(end) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut headers = HeaderMap::new();
    for line in head.lines().skip(1).filter(|line| !line.is_empty()) {
        let (name, value) = line.split_once(':').unwrap();
        headers.insert(
            HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
            HeaderValue::from_str(value.trim()).unwrap(),
        );
    }
    let length: usize = headers["content-length"].to_str().unwrap().parse().unwrap();
    let wanted = if hang_up { 64 * 1024 } else { length };
    while data.len() - head_end < wanted {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    if hang_up {
        // Dropped with unread input: the client sees the connection reset mid-upload.
        return;
    }
    received.lock().unwrap().push(Captured {
        method: Method::POST,
        uri: head.split(' ').nth(1).unwrap_or_default().to_owned(),
        headers,
        body: Bytes::copy_from_slice(&data[head_end..head_end + length]),
    });
    let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    let _ = socket.write_all(answer.as_bytes()).await;
    let _ = socket.shutdown().await;
}

/// Content that is not all one byte, so misplaced chunks would show.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn an_upload_from_a_path_cut_off_mid_way_is_sent_again_whole() {
    let server = HangUpOnce::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    let data = content(1024 * 1024 + 3);
    std::fs::write(&path, &data).unwrap();

    let form = Multipart::new().file("file", FilePart::path(&path));
    client(&server.url, fast_retries())
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
        .unwrap();

    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
    let complete = server.complete.lock().unwrap().clone();
    assert_eq!(complete.len(), 1);
    let parts = parts(&complete[0]).await;
    assert_eq!(parts.len(), 1);
    assert!(
        parts[0].data == data,
        "the second upload differs from the file"
    );
}

#[tokio::test]
async fn an_upload_from_a_reader_cut_off_mid_way_is_not_retried() {
    let server = HangUpOnce::start().await;
    let data = content(1024 * 1024 + 3);
    let length = data.len() as u64;
    let reader = std::io::Cursor::new(data);

    let form = Multipart::new().file("file", FilePart::reader("big.bin", reader, Some(length)));
    let err = client(&server.url, fast_retries())
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
        .expect_err("the connection was cut");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    assert!(server.complete.lock().unwrap().is_empty());
}
