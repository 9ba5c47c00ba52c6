//! The wire log (`builder().record_wire(path)`, `--record FILE`): what each request carried,
//! as one JSON line per request, for comparing two clients' requests for the same operation
//! (tests/sdk/ compares this client's with Zoho's Python SDK's). It keeps what decides how
//! Zoho reads a request (method, path, query, the authorization scheme, the content type, the
//! body's parts) and leaves out what identifies a client or a connection (user agent, host,
//! lengths, the token itself).

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::Request;
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use http::HeaderMap;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Map, Value, json};

/// Bodies up to this size are described; a longer one is passed on untouched and logged as
/// `{"kind": "too_large"}`.
const CAPTURE_LIMIT: usize = 16 * 1024 * 1024;
/// Part contents up to this size are logged as text when they are UTF-8; longer ones (and
/// binary ones) by their size only.
const TEXT_LIMIT: usize = 1024;
/// Headers left out: they identify the client, the connection or the body's length (the
/// body is described apart), or are logged apart (`authorization`, `content-type`).
const IGNORED_HEADERS: &[&str] = &[
    "accept-encoding",
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "host",
    "transfer-encoding",
    "user-agent",
];

/// An open wire log; lines are written whole, one request at a time.
#[derive(Debug)]
pub(crate) struct WireLog {
    file: Mutex<File>,
}

/// What a request carried, before its answer is known.
pub(crate) struct Captured {
    entry: Map<String, Value>,
}

impl WireLog {
    /// Creates (or truncates) the log at `path`.
    pub(crate) fn create(path: &Path) -> io::Result<Self> {
        Ok(Self {
            file: Mutex::new(File::create(path)?),
        })
    }

    /// Reads the request's body (up to [`CAPTURE_LIMIT`]) to describe it, and gives back a
    /// request with the same body for the pipeline.
    pub(crate) async fn capture(request: Request) -> (Request, Captured) {
        let (parts, body) = request.into_parts();
        let mut stream = body.into_data_stream();
        let mut read = BytesMut::new();
        let mut failed = None;
        let mut complete = true;
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(chunk) => {
                    read.extend_from_slice(&chunk);
                    if read.len() > CAPTURE_LIMIT {
                        complete = false;
                        break;
                    }
                }
                Err(err) => {
                    failed = Some(err);
                    break;
                }
            }
        }
        let read = read.freeze();
        let body_entry = if failed.is_some() {
            json!({"kind": "unreadable"})
        } else if complete {
            describe_body(&parts.headers, &read).await
        } else {
            json!({"kind": "too_large"})
        };
        let mut entry = Map::new();
        entry.insert("method".into(), json!(parts.method.as_str()));
        entry.insert("path".into(), json!(parts.uri.path()));
        entry.insert("query".into(), query_pairs(parts.uri.query()));
        entry.insert(
            "authorization".into(),
            json!(authorization_scheme(&parts.headers)),
        );
        entry.insert(
            "content_type".into(),
            json!(media_type(&parts.headers).map(str::to_owned)),
        );
        entry.insert("headers".into(), other_headers(&parts.headers));
        entry.insert("body".into(), body_entry);

        // The same bytes, then whatever was not read (or the read error), in order.
        let head = futures::stream::iter(std::iter::once(Ok::<Bytes, axum::Error>(read)));
        let tail = futures::stream::iter(failed.map(Err));
        let body = Body::from_stream(head.chain(tail).chain(stream));
        (Request::from_parts(parts, body), Captured { entry })
    }

    /// Writes the line of a captured request, with what it was answered.
    pub(crate) fn write(&self, captured: Captured, operation: Option<&str>, status: u16) {
        let mut entry = captured.entry;
        entry.insert("operation".into(), json!(operation));
        entry.insert("status".into(), json!(status));
        let mut line = Value::Object(entry).to_string();
        line.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(err) = file.write_all(line.as_bytes()).and_then(|()| file.flush()) {
            tracing::warn!(%err, "the wire log could not be written");
        }
    }
}

/// The query as `[name, value]` pairs, decoded, in the order sent.
fn query_pairs(query: Option<&str>) -> Value {
    let pairs: Vec<Value> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(name, value)| json!([name, value]))
        .collect();
    Value::Array(pairs)
}

/// `Zoho-oauthtoken` of `Authorization: Zoho-oauthtoken 1000.abc`; never the token.
fn authorization_scheme(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    value.split_whitespace().next().map(str::to_owned)
}

/// `multipart/form-data` of `multipart/form-data; boundary=...`, lower case.
fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    value.split(';').next().map(str::trim)
}

fn other_headers(headers: &HeaderMap) -> Value {
    let mut kept: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !IGNORED_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    kept.sort();
    Value::Object(
        kept.into_iter()
            .map(|(name, value)| (name, Value::String(value)))
            .collect(),
    )
}

async fn describe_body(headers: &HeaderMap, body: &Bytes) -> Value {
    if body.is_empty() {
        return json!({"kind": "none"});
    }
    let media = media_type(headers).map(str::to_ascii_lowercase);
    match media.as_deref() {
        Some("multipart/form-data") => describe_multipart(headers, body.clone()).await,
        Some(media) if media == "application/json" || media.ends_with("+json") => {
            match serde_json::from_slice::<Value>(body) {
                Ok(value) => json!({"kind": "json", "value": value}),
                Err(_) => json!({"kind": "invalid_json", "size": body.len()}),
            }
        }
        Some("application/x-www-form-urlencoded") => json!({
            "kind": "form",
            "fields": query_pairs(std::str::from_utf8(body).ok()),
        }),
        _ => json!({"kind": "other", "size": body.len()}),
    }
}

/// Each part's name, file name, content type and content (text up to [`TEXT_LIMIT`], else
/// its size), in the order sent.
async fn describe_multipart(headers: &HeaderMap, body: Bytes) -> Value {
    let Some(boundary) = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| multer::parse_boundary(value).ok())
    else {
        return json!({"kind": "invalid_multipart", "size": body.len()});
    };
    let stream = futures::stream::iter(std::iter::once(Ok::<Bytes, io::Error>(body.clone())));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return json!({"kind": "invalid_multipart", "size": body.len()}),
        };
        let name = field.name().map(str::to_owned);
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let Ok(content) = field.bytes().await else {
            return json!({"kind": "invalid_multipart", "size": body.len()});
        };
        let text = (content.len() <= TEXT_LIMIT)
            .then(|| std::str::from_utf8(&content).ok())
            .flatten();
        parts.push(json!({
            "name": name,
            "filename": file_name,
            "content_type": content_type,
            "size": content.len(),
            "text": text,
        }));
    }
    json!({"kind": "multipart", "parts": parts})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(content_type: &str, body: &'static [u8]) -> Request {
        Request::builder()
            .method("POST")
            .uri("/crm/v8/Leads/1/Attachments?title=A%20b&x=1")
            .header(AUTHORIZATION, "Zoho-oauthtoken 1000.secret")
            .header(CONTENT_TYPE, content_type)
            .header("user-agent", "test")
            .header("x-extra", "kept")
            .body(Body::from(body))
            .unwrap()
    }

    #[tokio::test]
    async fn describes_multipart_parts_and_passes_the_body_on() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
Content-Type: text/plain\r\n\r\nhello\r\n--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nT\r\n--B--\r\n";
        let (request, captured) =
            WireLog::capture(request("multipart/form-data; boundary=B", body)).await;
        let entry = Value::Object(captured.entry);
        assert_eq!(entry["authorization"], "Zoho-oauthtoken");
        assert_eq!(entry["content_type"], "multipart/form-data");
        assert_eq!(entry["query"], json!([["title", "A b"], ["x", "1"]]));
        assert_eq!(entry["headers"], json!({"x-extra": "kept"}));
        assert_eq!(
            entry["body"]["parts"],
            json!([
                {"name": "file", "filename": "a.txt", "content_type": "text/plain", "size": 5, "text": "hello"},
                {"name": "title", "filename": null, "content_type": null, "size": 1, "text": "T"},
            ])
        );
        assert!(
            !entry.to_string().contains("secret"),
            "the token is never logged"
        );
        let passed = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(&passed[..], &body[..]);
    }

    #[tokio::test]
    async fn describes_json_and_empty_bodies() {
        let (_, captured) = WireLog::capture(request("application/json", b"{\"a\":[1]}")).await;
        assert_eq!(
            captured.entry["body"],
            json!({"kind": "json", "value": {"a": [1]}})
        );
        let (_, captured) = WireLog::capture(request("text/plain", b"")).await;
        assert_eq!(captured.entry["body"], json!({"kind": "none"}));
    }
}
