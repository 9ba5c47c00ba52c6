//! The loopback server: just the two Zoho CRM v8 operations the benchmark uses, streaming
//! in both directions so that it never holds a file in memory.

use std::convert::Infallible;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::stream;

use crate::pattern::Pattern;

/// What `curl -H` and the client's `access_token("bench")` both send.
pub const AUTHORIZATION: &str = "Zoho-oauthtoken bench";

/// The name downloads carry in `Content-Disposition`.
pub const DOWNLOAD_NAME: &str = "bench-download.bin";

/// Size of the body chunks the server sends.
const SEND_CHUNK: usize = 64 * 1024;

/// The v8 upload success answer.
const UPLOAD_SUCCESS: &str = r#"{"data":[{"code":"SUCCESS","details":{"id":"1"},"message":"attachment uploaded successfully","status":"success"}]}"#;

/// One form part of a received upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedPart {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: u64,
}

struct Shared {
    pattern: Pattern,
    download_size: AtomicU64,
    /// The parts of the last upload read to its end.
    last_upload: Mutex<Option<Vec<ReceivedPart>>>,
}

/// A running server; it stops with the runtime it was started on.
pub struct Server {
    base_url: String,
    shared: Arc<Shared>,
}

impl Server {
    /// Binds 127.0.0.1 on a free port, then serves on the current runtime.
    pub async fn start(pattern: Pattern) -> io::Result<Self> {
        let shared = Arc::new(Shared {
            pattern,
            download_size: AtomicU64::new(0),
            last_upload: Mutex::new(None),
        });
        let app = Router::new()
            .route("/crm/v8/{module}/{record}/Attachments", post(upload))
            .route(
                "/crm/v8/{module}/{record}/Attachments/{attachment}",
                get(download),
            )
            // Uploads are streamed and discarded, whatever their size.
            .layer(DefaultBodyLimit::disable())
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(Self { base_url, shared })
    }

    /// `http://127.0.0.1:PORT`, the origin to give the client and curl.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How many bytes the next downloads answer with.
    pub fn set_download_size(&self, size: u64) {
        self.shared.download_size.store(size, Ordering::SeqCst);
    }

    /// The parts of the last complete upload since the previous call, if any.
    pub fn take_upload(&self) -> Option<Vec<ReceivedPart>> {
        self.shared
            .last_upload
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .is_some_and(|value| value == AUTHORIZATION)
}

fn json(status: StatusCode, body: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn unauthorized() -> Response {
    json(
        StatusCode::UNAUTHORIZED,
        r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#,
    )
}

/// `POST /crm/v8/{module}/{record}/Attachments`: reads every part to its end, counting
/// bytes and keeping none.
async fn upload(
    State(shared): State<Arc<Shared>>,
    Path((_module, _record)): Path<(String, String)>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let mut parts = Vec::new();
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return (err.status(), err.body_text()).into_response(),
        };
        let mut part = ReceivedPart {
            name: field.name().unwrap_or_default().to_owned(),
            file_name: field.file_name().map(str::to_owned),
            bytes: 0,
        };
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => part.bytes += chunk.len() as u64,
                Ok(None) => break,
                Err(err) => return (err.status(), err.body_text()).into_response(),
            }
        }
        parts.push(part);
    }
    *shared
        .last_upload
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(parts);
    json(StatusCode::OK, UPLOAD_SUCCESS)
}

/// `GET /crm/v8/{module}/{record}/Attachments/{id}`: the pattern, generated as it is
/// sent, with `Content-Length` and a file name.
async fn download(
    State(shared): State<Arc<Shared>>,
    Path((_module, _record, _attachment)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&headers) {
        return unauthorized();
    }
    let size = shared.download_size.load(Ordering::SeqCst);
    let pattern = shared.pattern.clone();
    let chunks = stream::unfold(0u64, move |offset| {
        let len = (size - offset).min(SEND_CHUNK as u64) as usize;
        let chunk = (len > 0).then(|| {
            let chunk = pattern.slice(offset, len);
            (Ok::<_, Infallible>(chunk), offset + len as u64)
        });
        std::future::ready(chunk)
    });
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{DOWNLOAD_NAME}\""),
            ),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}
