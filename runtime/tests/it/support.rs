//! A loopback HTTP server that records what it receives and answers as told.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use zoho_runtime::{Client, OperationInfo, OperationKind, Region, RetryPolicy, Server};

pub const TOKEN: &str = "1000.test-token-4f1c9a7e";

pub const US: Region = Region {
    id: "us",
    name: "United States",
    accounts_url: "https://accounts.zoho.com",
};

pub const AU: Region = Region {
    id: "au",
    name: "Australia",
    accounts_url: "https://accounts.zoho.com.au",
};

/// Origins are never used by tests that set a base URL.
static CRM: Server = Server {
    prefix: "/crm/v7",
    origins: &[("us", "https://www.zohoapis.com")],
    follows_api_domain: false,
    environments: &[],
};

pub static LIST: OperationInfo = OperationInfo {
    product: "crm",
    version: "v7",
    name: "list_attachments",
    method: Method::GET,
    server: &CRM,
    kind: OperationKind::Call,
    item_status: None,
};

pub static UPLOAD: OperationInfo = OperationInfo {
    product: "crm",
    version: "v7",
    name: "upload_attachment",
    method: Method::POST,
    server: &CRM,
    kind: OperationKind::UploadsFile,
    item_status: None,
};

/// An operation whose only documented host (for `us`) is `origin`.
pub fn operation_served_at(origin: &str) -> &'static OperationInfo {
    let origin: &'static str = Box::leak(origin.to_owned().into_boxed_str());
    let origins: &'static [(&'static str, &'static str)] = Box::leak(Box::new([("us", origin)]));
    let server: &'static Server = Box::leak(Box::new(Server {
        prefix: "/crm/v7",
        origins,
        follows_api_domain: false,
        environments: &[],
    }));
    Box::leak(Box::new(OperationInfo {
        product: "crm",
        version: "v7",
        name: "list_attachments",
        method: Method::GET,
        server,
        kind: OperationKind::Call,
        item_status: None,
    }))
}

/// What one request looked like on arrival.
#[derive(Clone, Debug)]
pub struct Captured {
    pub method: Method,
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// The answer the server gives to a request.
#[derive(Clone)]
pub struct Reply {
    status: u16,
    content_type: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
    body: Bytes,
    delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self::with_type(status, Some("application/json;charset=UTF-8"), body)
    }

    pub fn with_type(status: u16, content_type: Option<&'static str>, body: &str) -> Self {
        Self {
            status,
            content_type,
            headers: Vec::new(),
            body: Bytes::from(body.to_owned()),
            delay: Duration::ZERO,
        }
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

struct Shared {
    /// Answers in order; the last one is repeated.
    replies: Vec<Reply>,
    captured: Mutex<Vec<Captured>>,
}

pub struct TestServer {
    pub url: String,
    shared: Arc<Shared>,
}

impl TestServer {
    /// Answers every request with `reply`.
    pub async fn start(reply: Reply) -> Self {
        Self::script(vec![reply]).await
    }

    /// Answers the n-th request with `replies[n]`, and all after the last with the last.
    pub async fn script(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty(), "a script needs a reply");
        let shared = Arc::new(Shared {
            replies,
            captured: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .fallback(record_and_reply)
            .layer(DefaultBodyLimit::disable())
            .with_state(shared.clone());
        let url = serve(app).await;
        Self { url, shared }
    }

    pub fn requests(&self) -> Vec<Captured> {
        self.shared.captured.lock().unwrap().clone()
    }

    pub fn only_request(&self) -> Captured {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.into_iter().next().unwrap()
    }

    /// A client sending to this server with [`TOKEN`].
    pub fn client(&self) -> Client {
        client_for(&self.url)
    }
}

async fn record_and_reply(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = {
        let mut captured = shared.captured.lock().unwrap();
        captured.push(Captured {
            method,
            uri: uri.to_string(),
            headers,
            body,
        });
        shared.replies[(captured.len() - 1).min(shared.replies.len() - 1)].clone()
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    match reply.content_type {
        Some(content_type) => response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type)),
        None => response.headers_mut().remove(CONTENT_TYPE),
    };
    for (name, value) in reply.headers {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_str(&value).unwrap());
    }
    response
}

/// Serves `app` on a loopback port (bound before returning) and gives its URL.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// The default number of attempts, with backoffs short enough for tests.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A client sending to `url` with [`TOKEN`], retrying quickly.
pub fn client_for(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .access_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// One decoded multipart part.
#[derive(Debug, PartialEq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// Parses a captured multipart body the way a server would.
pub async fn parts(request: &Captured) -> Vec<Part> {
    let http_request = axum::http::Request::builder()
        .header(CONTENT_TYPE, request.header("content-type").unwrap())
        .body(Body::from(request.body.clone()))
        .unwrap();
    let mut multipart = Multipart::from_request(http_request, &()).await.unwrap();
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        parts.push(Part {
            name: field.name().unwrap_or_default().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            content_type: field.content_type().map(str::to_owned),
            data: field.bytes().await.unwrap(),
        });
    }
    parts
}
