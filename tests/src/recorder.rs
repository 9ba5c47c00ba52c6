//! A recording loopback HTTP server for end-to-end tests of the generated client.
//!
//! [`Recorder::start`] binds `127.0.0.1:0` *before* it spawns the server task, so the
//! server accepts connections as soon as `start` returns: no sleeps, no retries. Every
//! request that reaches it is recorded whole ([`RecordedRequest`]: method, raw path, raw
//! query, headers, body bytes) and answered with a canned [`Reply`]: the default one, or
//! the one registered for that method and path with [`Recorder::on`]. A reply can carry
//! extra headers ([`Reply::header`]) and a body made afresh for each request, e.g. one
//! streamed in chunks ([`Reply::body_with`]).
//!
//! ```no_run
//! use zoho_tests::recorder::{Recorder, Reply};
//!
//! # async fn demo() {
//! let recorder = Recorder::start(Reply::json(200, r#"{"data":[]}"#)).await;
//! // ... point a client at `recorder.base_url()` and send a request ...
//! let sent = recorder.only_request();
//! assert_eq!(sent.path, "/crm/v7/Leads/1/Attachments");
//! assert_eq!(sent.query_pairs(), [("fields".to_owned(), "id".to_owned())]);
//! # }
//! ```
//!
//! The server never panics on what a client sends: a body that breaks off is recorded
//! with [`RecordedRequest::body_error`], and requests that are not valid HTTP are
//! answered by hyper itself and never reach the recorder. Dropping the [`Recorder`]
//! shuts the server down; [`Recorder::shutdown`] does so and waits until it has stopped.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The method type of [`RecordedRequest::method`] and [`Recorder::on`], re-exported so tests
/// need not name `axum`.
pub use axum::http::Method;

/// The body type [`Reply::body_with`] makes, re-exported so tests need not name `axum`:
/// `Body::from_stream(..)` gives a body sent chunk by chunk.
pub use axum::body::Body;

/// Makes a fresh body for each request answered (see [`Reply::body_with`]).
type MakeBody = Arc<dyn Fn() -> Body + Send + Sync>;

/// A canned answer: status, optional content type, extra headers, body.
#[derive(Clone)]
pub struct Reply {
    status: StatusCode,
    content_type: Option<HeaderValue>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
    make_body: Option<MakeBody>,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("body_with", &self.make_body.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

impl Reply {
    /// An answer with `status`, the given content type (none when `None`) and `body`.
    ///
    /// # Panics
    ///
    /// When `status` is not a valid HTTP status or `content_type` is not a valid header
    /// value: a mistake in the test itself, reported where the reply is made.
    pub fn new(status: u16, content_type: Option<&str>, body: impl Into<Bytes>) -> Self {
        let status = StatusCode::from_u16(status)
            .unwrap_or_else(|_| panic!("{status} is not a valid HTTP status"));
        let content_type = content_type.map(|value| {
            HeaderValue::from_str(value)
                .unwrap_or_else(|_| panic!("{value:?} is not a valid content type"))
        });
        Self {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
            make_body: None,
        }
    }

    /// Adds the header `name: value` to the answer (after any added before, so a name
    /// can be given twice). `value` is raw bytes: a test may send what a lax server
    /// would, e.g. UTF-8 in a `Content-Disposition`. A `Content-Length` given here is
    /// the one sent, whatever the body's size, which lets a test announce a length.
    ///
    /// # Panics
    ///
    /// When `name` is not a valid header name or `value` contains CR, LF or NUL: a
    /// mistake in the test itself.
    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        let value = value.as_ref();
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("{name:?} is not a valid header name"));
        let header_value = HeaderValue::from_bytes(value)
            .unwrap_or_else(|_| panic!("{value:?} is not a valid value for {name}"));
        self.headers.push((header_name, header_value));
        self
    }

    /// Answers with the body `make` returns, called once per request, instead of the
    /// fixed one: e.g. `Body::from_stream(..)` for a body sent in chunks. Such a body
    /// has no length of its own; give one with [`header`](Self::header)
    /// (`Content-Length`) or it is sent with chunked transfer encoding.
    pub fn body_with(mut self, make: impl Fn() -> Body + Send + Sync + 'static) -> Self {
        self.make_body = Some(Arc::new(make));
        self
    }

    /// A JSON answer, typed `application/json;charset=UTF-8` as Zoho sends it.
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        Self::new(status, Some("application/json;charset=UTF-8"), body)
    }

    /// An HTML answer, such as a gateway's error page.
    pub fn html(status: u16, body: impl Into<Bytes>) -> Self {
        Self::new(status, Some("text/html; charset=utf-8"), body)
    }

    /// The HTTP status this reply answers with.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    fn to_response(&self) -> Response {
        let mut response = match &self.make_body {
            Some(make) => (self.status, make()).into_response(),
            None => (self.status, self.body.clone()).into_response(),
        };
        // `Bytes` makes axum add `application/octet-stream`; the reply decides instead.
        match &self.content_type {
            Some(value) => response.headers_mut().insert(CONTENT_TYPE, value.clone()),
            None => response.headers_mut().remove(CONTENT_TYPE),
        };
        // Replaces what axum set (such as `Content-Length`), then keeps repeats.
        for (name, _) in &self.headers {
            response.headers_mut().remove(name);
        }
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
        response
    }
}

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The request method.
    pub method: Method,
    /// The path exactly as sent, still percent-encoded (`/crm/v7/Leads/a%2Fb/Attachments`).
    pub path: String,
    /// The query exactly as sent, without the `?`; `None` when the target had no `?`.
    pub query: Option<String>,
    /// Every header, in arrival order for repeated names.
    pub headers: HeaderMap,
    /// The whole body (empty when there was none).
    pub body: Bytes,
    /// Why the body could not be read to its end (the client broke off), if it could not;
    /// `body` is then empty.
    pub body_error: Option<String>,
}

impl RecordedRequest {
    /// The value of header `name` (case-insensitive), if present and visible ASCII.
    /// With several values, the first.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Every value of header `name`, lossily decoded, in arrival order.
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect()
    }

    /// The query decoded as `application/x-www-form-urlencoded` pairs, in order:
    /// `fields=id%2CFile_Name` gives `[("fields", "id,File_Name")]`. Empty without a query.
    /// Never fails: bad escapes are kept as written and invalid UTF-8 is replaced.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let Some(query) = &self.query else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (form_decode(name), form_decode(value))
            })
            .collect()
    }

    /// The request line's method and target, e.g. `GET /crm/v7/Leads/1/Attachments?fields=id`.
    pub fn request_line(&self) -> String {
        match &self.query {
            Some(query) => format!("{} {}?{}", self.method, self.path, query),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// Decodes one form-urlencoded component: `+` is a space, `%XX` a byte.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' => {
                let escaped = bytes
                    .get(index + 1..index + 3)
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                if let Some(byte) = escaped {
                    out.push(byte);
                    index += 2;
                } else {
                    out.push(b'%');
                }
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the handler shares with the test.
struct Shared {
    default: Mutex<Reply>,
    routes: Mutex<Vec<(Method, String, Reply)>>,
    requests: Mutex<Vec<RecordedRequest>>,
}

/// Locks, ignoring poisoning: a test that panicked while holding a lock must not make
/// the server (or the next assertion) panic too.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running recording server; see the [module documentation](self).
pub struct Recorder {
    address: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("address", &self.address)
            .field("requests", &lock(&self.shared.requests).len())
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Binds `127.0.0.1:0`, then serves on a spawned task, answering every request with
    /// `default` unless [`on`](Self::on) says otherwise.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound (the test cannot run at all then).
    pub async fn start(default: Reply) -> Self {
        let shared = Arc::new(Shared {
            default: Mutex::new(default),
            routes: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
        });
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let app = Router::new()
            .fallback(record_and_reply)
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            // Either a send or the sender being dropped means stop.
            let signal = async move {
                let _ = stopped.await;
            };
            // An accept error ends serving; the test then sees a transport error.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await;
        });
        Self {
            address,
            shared,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The origin to give a client: `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Answers `method` requests for exactly `path` (raw, as sent, without the query)
    /// with `reply` from now on. A later registration for the same method and path wins.
    pub fn on(&self, method: Method, path: impl Into<String>, reply: Reply) -> &Self {
        let path = path.into();
        let mut routes = lock(&self.shared.routes);
        routes.retain(|(m, p, _)| !(*m == method && *p == path));
        routes.push((method, path, reply));
        self
    }

    /// Replaces the answer given to requests no [`on`](Self::on) route matches.
    pub fn set_default(&self, reply: Reply) {
        *lock(&self.shared.default) = reply;
    }

    /// Every request received so far, in the order they were fully received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// The single request received so far.
    ///
    /// # Panics
    ///
    /// Unless exactly one request was received; the message lists their request lines.
    pub fn only_request(&self) -> RecordedRequest {
        let mut requests = self.requests();
        if requests.len() != 1 {
            let lines: Vec<String> = requests.iter().map(RecordedRequest::request_line).collect();
            panic!(
                "expected exactly one request, the server received {}: {lines:#?}",
                requests.len()
            );
        }
        requests.remove(0)
    }

    /// Stops accepting, lets open connections finish, and waits until the server task
    /// has ended; after this, connecting to [`address`](Self::address) is refused.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Signals the server to stop; it finishes on its own task (a `Drop` cannot wait).
impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn record_and_reply(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let (body, body_error) = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => (bytes, None),
        Err(error) => (Bytes::new(), Some(error.to_string())),
    };
    let path = parts.uri.path().to_owned();
    let recorded = RecordedRequest {
        method: parts.method,
        query: parts.uri.query().map(str::to_owned),
        path,
        headers: parts.headers,
        body,
        body_error,
    };
    let reply = lock(&shared.routes)
        .iter()
        .find(|(method, path, _)| *method == recorded.method && *path == recorded.path)
        .map(|(_, _, reply)| reply.clone())
        .unwrap_or_else(|| lock(&shared.default).clone());
    lock(&shared.requests).push(recorded);
    reply.to_response()
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    /// Sends raw bytes on a fresh connection and reads the whole answer.
    async fn raw_exchange(recorder: &Recorder, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(recorder.address())
            .await
            .expect("connect");
        stream.write_all(request).await.expect("write");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("read");
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test]
    async fn records_method_raw_path_query_headers_and_body() {
        let recorder = Recorder::start(Reply::json(201, r#"{"ok":true}"#)).await;
        let answer = raw_exchange(
            &recorder,
            b"POST /crm/v7/Leads/a%2Fb%20c/Attachments?fields=id%2CFile_Name&x=a+b HTTP/1.1\r\n\
              Host: x\r\nX-Twice: 1\r\nX-Twice: 2\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
        assert!(answer.ends_with(r#"{"ok":true}"#), "{answer}");
        assert!(
            answer
                .to_ascii_lowercase()
                .contains("content-type: application/json;charset=utf-8"),
            "{answer}"
        );

        let sent = recorder.only_request();
        assert_eq!(sent.method, Method::POST);
        assert_eq!(sent.path, "/crm/v7/Leads/a%2Fb%20c/Attachments");
        assert_eq!(sent.query.as_deref(), Some("fields=id%2CFile_Name&x=a+b"));
        assert_eq!(
            sent.query_pairs(),
            [
                ("fields".to_owned(), "id,File_Name".to_owned()),
                ("x".to_owned(), "a b".to_owned())
            ]
        );
        assert_eq!(sent.header("x-twice"), Some("1"));
        assert_eq!(sent.header_all("X-Twice"), ["1", "2"]);
        assert_eq!(sent.body, "hello");
        assert_eq!(sent.body_error, None);
    }

    #[tokio::test]
    async fn routes_by_method_and_path_and_falls_back_to_the_default() {
        let recorder = Recorder::start(Reply::new(404, None, "nothing here")).await;
        recorder.on(Method::GET, "/a", Reply::json(200, "{}"));
        recorder.on(
            Method::GET,
            "/a",
            Reply::html(502, "<html>later wins</html>"),
        );

        let routed = raw_exchange(
            &recorder,
            b"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        let other_method = raw_exchange(
            &recorder,
            b"DELETE /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(routed.starts_with("HTTP/1.1 502"), "{routed}");
        assert!(routed.ends_with("later wins</html>"), "{routed}");
        assert!(other_method.starts_with("HTTP/1.1 404"), "{other_method}");
        assert!(
            !other_method.to_ascii_lowercase().contains("content-type"),
            "a reply without a content type sends none: {other_method}"
        );
        assert_eq!(recorder.requests().len(), 2);
        assert_eq!(recorder.requests()[0].query, None);
    }

    #[tokio::test]
    async fn odd_requests_do_not_stop_the_server() {
        let recorder = Recorder::start(Reply::json(200, "{}")).await;
        // Bad escapes, non-UTF-8 header bytes, a body that breaks off, and garbage.
        let bad_escape = raw_exchange(
            &recorder,
            b"GET /%zz?q=%e2%28&%=%%+ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(bad_escape.starts_with("HTTP/1.1 200"), "{bad_escape}");
        let odd_header = raw_exchange(
            &recorder,
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Bytes: \xff\xfe\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(odd_header.starts_with("HTTP/1.1 200"), "{odd_header}");
        {
            let mut stream = TcpStream::connect(recorder.address())
                .await
                .expect("connect");
            stream
                .write_all(b"POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part")
                .await
                .expect("write");
            stream.shutdown().await.expect("half-close");
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer).await;
        }
        let garbage = raw_exchange(&recorder, b"\x00\x01 not http\r\n\r\n").await;
        assert!(!garbage.starts_with("HTTP/1.1 200"), "{garbage}");

        // Still serving, and what could be recorded was.
        let after = raw_exchange(
            &recorder,
            b"GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert!(after.starts_with("HTTP/1.1 200"), "{after}");
        let requests = recorder.requests();
        let paths: Vec<&str> = requests
            .iter()
            .map(|request| request.path.as_str())
            .collect();
        assert_eq!(paths, ["/%zz", "/", "/cut", "/after"]);
        assert_eq!(
            requests[0].query_pairs()[0],
            ("q".to_owned(), "\u{fffd}(".to_owned())
        );
        assert_eq!(
            requests[0].query_pairs()[1],
            ("%".to_owned(), "%% ".to_owned())
        );
        assert_eq!(requests[1].header("x-bytes"), None);
        assert_eq!(requests[1].header_all("x-bytes"), ["\u{fffd}\u{fffd}"]);
        assert!(requests[2].body_error.is_some(), "{:?}", requests[2]);
    }

    #[tokio::test]
    async fn extra_headers_are_sent_and_replace_what_axum_sets() {
        let recorder = Recorder::start(
            Reply::new(200, Some("application/pdf"), "%PDF-1.7")
                .header(
                    "Content-Disposition",
                    "attachment; filename=\"r\u{e9}sum\u{e9}.pdf\"",
                )
                .header("X-Twice", "1")
                .header("X-Twice", "2")
                .header("Content-Length", "8"),
        )
        .await;
        let answer = raw_exchange(
            &recorder,
            b"GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        let lower = answer.to_ascii_lowercase();
        assert!(
            answer.contains("attachment; filename=\"r\u{e9}sum\u{e9}.pdf\""),
            "raw UTF-8 is sent as given: {answer}"
        );
        assert!(lower.contains("x-twice: 1\r\nx-twice: 2\r\n"), "{answer}");
        assert_eq!(lower.matches("content-length:").count(), 1, "{answer}");
        assert!(answer.ends_with("\r\n\r\n%PDF-1.7"), "{answer}");
    }

    #[tokio::test]
    async fn a_streamed_body_is_made_per_request_and_sent_whole() {
        let chunks = ["first ", "second ", "third"];
        let recorder = Recorder::start(
            Reply::new(200, Some("text/plain"), "ignored")
                .header("Content-Length", "18")
                .body_with(move || {
                    let chunks = chunks.map(|chunk| Ok::<_, std::io::Error>(Bytes::from(chunk)));
                    Body::from_stream(futures::stream::iter(chunks))
                }),
        )
        .await;
        for _ in 0..2 {
            let answer = raw_exchange(
                &recorder,
                b"GET /s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            )
            .await;
            let lower = answer.to_ascii_lowercase();
            assert!(lower.contains("content-length: 18\r\n"), "{answer}");
            assert!(!lower.contains("transfer-encoding"), "{answer}");
            assert!(answer.ends_with("\r\n\r\nfirst second third"), "{answer}");
        }
    }

    #[tokio::test]
    async fn shutdown_closes_the_port() {
        let recorder = Recorder::start(Reply::json(200, "{}")).await;
        let address = recorder.address();
        recorder.shutdown().await;
        assert!(TcpStream::connect(address).await.is_err());
    }
}
