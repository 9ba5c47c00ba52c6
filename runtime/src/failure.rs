//! Turns a non-2xx answer into an [`Error`].

use std::time::Duration;

use http::header::CONTENT_TYPE;

use crate::error::snippet;
use crate::timeout::next_chunk;
use crate::{Error, ServiceError};

/// An error envelope is small; a larger body (say, a proxy's error page for a huge
/// upload) is only needed for its snippet, so reading stops here.
const MAX_ERROR_BODY: usize = 1024 * 1024;

/// [`Error::Service`] when the body is a Zoho error envelope, else [`Error::UnexpectedStatus`].
/// Waits at most `read_timeout` for each chunk of the body.
pub(crate) async fn into_error(response: reqwest::Response, read_timeout: Duration) -> Error {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let body = read_capped(response, MAX_ERROR_BODY, read_timeout).await;
    classify(status, content_type, &body)
}

pub(crate) fn classify(status: u16, content_type: Option<String>, body: &[u8]) -> Error {
    match ServiceError::from_body(status, body) {
        Some(service) => Error::Service(service),
        None => Error::UnexpectedStatus {
            status,
            content_type,
            snippet: snippet(body),
        },
    }
}

/// Reads up to `cap` bytes. A failure or stall part-way keeps what arrived: the
/// status is already known and is the more useful fact.
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
    read_timeout: Duration,
) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < cap {
        match next_chunk(&mut response, read_timeout).await {
            Ok(Some(chunk)) => {
                let room = cap - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_becomes_service_error() {
        let err = classify(
            400,
            Some("application/json".into()),
            br#"{"code":"INVALID_MODULE","details":{},"message":"bad","status":"error"}"#,
        );
        assert_eq!(
            err.service().map(ServiceError::code),
            Some("INVALID_MODULE")
        );
        assert_eq!(err.http_status(), Some(400));
    }

    #[test]
    fn anything_else_becomes_unexpected_status() {
        let err = classify(
            502,
            Some("text/html".into()),
            b"<html><h1>502 Bad Gateway</h1></html>",
        );
        match err {
            Error::UnexpectedStatus {
                status,
                content_type,
                snippet,
            } => {
                assert_eq!(status, 502);
                assert_eq!(content_type.as_deref(), Some("text/html"));
                assert!(snippet.contains("502 Bad Gateway"));
            }
            other => panic!("expected UnexpectedStatus, got {other:?}"),
        }
    }
}
