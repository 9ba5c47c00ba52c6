//! Which failures are retried, one test per class: transient ones (a connection closed or
//! refused, a timeout, 5xx, 429) are; those that would fail the same way again (a redirect
//! loop, oversized or malformed headers, TLS and certificate failures, unknown hosts,
//! undecodable answers, 4xx) are not.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zoho_runtime::{Client, Error, Request, RetryPolicy, TransportKind};

use crate::support::{LIST, Reply, TOKEN, TestServer};

const OK: &str = r#"{"data":[]}"#;

/// Retries after a fixed 3 s: a failure that comes back sooner was not retried.
fn slow_retries() -> RetryPolicy {
    RetryPolicy::new()
        .initial_backoff(Duration::from_secs(3))
        .jitter(false)
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .access_token(TOKEN)
        .retry_policy(slow_retries())
        .build()
        .expect("a client")
}

/// Sends one listing and returns its error, failing the test if it took long enough to
/// have been retried.
async fn not_retried(url: &str) -> Error {
    let started = Instant::now();
    let error = client(url)
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect_err("the call fails");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "waited {:?}: the failure was retried ({error:?})",
        started.elapsed()
    );
    assert!(!error.is_retryable(), "{error:?}");
    error
}

fn transport_kind(error: &Error) -> TransportKind {
    match error {
        Error::Transport(transport) => transport.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// A raw TCP server: each connection gets the next of `answers` written after the
/// request head arrives (the last one repeats); `None` closes the connection instead.
async fn raw_server(answers: Vec<Option<Vec<u8>>>) -> (String, Arc<AtomicUsize>) {
    raw_server_with(answers, true).await
}

/// As [`raw_server`]; without `wait_for_head`, answers as soon as a client connects (a TLS
/// client's hello has no HTTP head to wait for).
async fn raw_server_with(
    answers: Vec<Option<Vec<u8>>>,
    wait_for_head: bool,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let answer = answers[n.min(answers.len() - 1)].clone();
            tokio::spawn(answer_once(socket, answer, wait_for_head));
        }
    });
    (address.to_string(), connections)
}

async fn answer_once(mut socket: TcpStream, answer: Option<Vec<u8>>, wait_for_head: bool) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while wait_for_head && !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    if let Some(answer) = answer {
        let _ = socket.write_all(&answer).await;
        let _ = socket.shutdown().await;
    }
}

fn http_ok() -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{OK}",
        OK.len()
    )
    .into_bytes()
}

#[tokio::test]
async fn a_connection_closed_before_the_answer_is_retried() {
    let (address, connections) = raw_server(vec![None, Some(http_ok())]).await;
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .access_token(TOKEN)
        .retry_policy(crate::support::fast_retries())
        .build()
        .expect("a client");

    let response = client
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect("the second attempt succeeds");

    assert_eq!(response.status(), 200);
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_connection_is_transient() {
    // Bound and dropped: nothing listens there any more.
    let address = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port")
        .local_addr()
        .expect("an address");
    let error = Client::builder()
        .base_url(format!("http://{address}"))
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client")
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect_err("nothing listens");
    assert_eq!(transport_kind(&error), TransportKind::Connect);
    assert!(error.is_retryable());
}

#[tokio::test]
async fn oversized_headers_are_not_retried() {
    let mut answer = b"HTTP/1.1 200 OK\r\nx-huge: ".to_vec();
    answer.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    answer.extend_from_slice(b"\r\ncontent-length: 0\r\n\r\n");
    let (address, connections) = raw_server(vec![Some(answer)]).await;

    let error = not_retried(&format!("http://{address}")).await;

    assert_eq!(transport_kind(&error), TransportKind::Protocol);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_malformed_status_line_is_not_retried() {
    let (address, connections) =
        raw_server(vec![Some(b"HTTP/1.1 twohundred OK\r\n\r\n".to_vec())]).await;

    let error = not_retried(&format!("http://{address}")).await;

    assert_eq!(transport_kind(&error), TransportKind::Protocol);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failed_tls_handshake_is_not_retried() {
    // Plain HTTP where the client expects TLS: rustls rejects the first record.
    let (address, connections) = raw_server_with(
        vec![Some(b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec())],
        false,
    )
    .await;

    let error = not_retried(&format!("https://{address}")).await;

    assert_eq!(transport_kind(&error), TransportKind::Tls);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_unknown_host_is_not_retried() {
    // `.invalid` never resolves (RFC 2606).
    let error = not_retried("http://zoho-runtime-test.invalid").await;

    assert_eq!(transport_kind(&error), TransportKind::UnknownHost);
}

#[tokio::test]
async fn an_undecodable_answer_is_not_retried() {
    let server = TestServer::start(Reply::json(200, r#"{"data": [tru"#)).await;
    let started = Instant::now();
    let error = client(&server.url)
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect("a 200")
        .json::<serde_json::Value>()
        .await
        .expect_err("not JSON");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_4xx_answer_is_not_retried() {
    let server = TestServer::start(Reply::json(
        400,
        r#"{"code":"INVALID_DATA","details":{},"message":"bad","status":"error"}"#,
    ))
    .await;

    let error = not_retried(&server.url).await;

    assert_eq!(
        error.service().map(|service| service.code()),
        Some("INVALID_DATA")
    );
    assert_eq!(server.requests().len(), 1);
}

/// A TLS server for `localhost` whose certificate is self-signed, so no client trusts it;
/// counts the handshakes it was asked for.
async fn untrusted_tls_server() -> (String, Arc<AtomicUsize>) {
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::PrivatePkcs8KeyDer;

    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
        .expect("a self-signed certificate");
    let key = PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key.into())
        .expect("a server configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("an address").port();
    let handshakes = Arc::new(AtomicUsize::new(0));
    let counter = handshakes.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            // The client gives up on the certificate; the handshake fails on both sides.
            tokio::spawn(async move { drop(acceptor.accept(socket).await) });
        }
    });
    (format!("https://localhost:{port}"), handshakes)
}

#[tokio::test]
async fn an_untrusted_certificate_is_not_retried() {
    let (url, handshakes) = untrusted_tls_server().await;

    let error = not_retried(&url).await;

    assert_eq!(transport_kind(&error), TransportKind::Tls);
    let chain = format!("{:?}", std::error::Error::source(&error)).to_ascii_lowercase();
    assert!(chain.contains("certificate"), "{chain}");
    assert_eq!(handshakes.load(Ordering::SeqCst), 1);
}
