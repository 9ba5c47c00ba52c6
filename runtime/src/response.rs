//! A successful answer and the decoding of its body.

use std::fmt;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use crate::error::snippet;
use crate::timeout::{Deadline, next_chunk};
use crate::{Download, Error};

/// The most that [`Response::bytes`] reserves up front, whatever `Content-Length` says.
const MAX_PREALLOCATION: u64 = 16 * 1024 * 1024;

/// A successful (2xx) answer whose body has not been read yet.
pub struct Response {
    inner: reqwest::Response,
    read_timeout: Duration,
    /// The operation's deadline, which reading a body in memory still counts against.
    deadline: Option<Deadline>,
}

/// Status and content type only: headers may carry cookies.
impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status())
            .field("content_type", &self.headers().get(CONTENT_TYPE))
            .finish_non_exhaustive()
    }
}

impl Response {
    pub(crate) fn new(inner: reqwest::Response, read_timeout: Duration) -> Self {
        Self {
            inner,
            read_timeout,
            deadline: None,
        }
    }

    pub(crate) fn with_deadline(mut self, deadline: Option<Deadline>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.inner.status().as_u16()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// Reads the whole body, within the read timeout between chunks and what remains of
    /// the operation's timeout.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the body cannot be read; [`Error::Timeout`] when a
    /// time limit passes.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let Self {
            mut inner,
            read_timeout,
            deadline,
        } = self;
        Deadline::run(deadline, async move {
            let expected = inner
                .headers()
                .get(CONTENT_LENGTH)
                .and_then(|value| value.to_str().ok()?.parse::<u64>().ok())
                .unwrap_or(0);
            let capacity = usize::try_from(expected.min(MAX_PREALLOCATION)).unwrap_or(0);
            let mut body = BytesMut::with_capacity(capacity);
            while let Some(chunk) = next_chunk(&mut inner, read_timeout).await? {
                body.extend_from_slice(&chunk);
            }
            Ok(body.freeze())
        })
        .await
    }

    /// The body as a file download (the operation's answer is file content, not JSON).
    ///
    /// A download is read at the caller's pace, so the operation's timeout does not
    /// apply to it; the read timeout does, between chunks.
    pub fn into_download(self) -> Download {
        Download::new(self.inner, self.read_timeout)
    }

    /// Reads the body and decodes it as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is empty, not JSON, or not of the expected shape;
    /// it names the JSON path of the problem and quotes the start of the body.
    /// [`Error::Transport`] when the body cannot be read; [`Error::Timeout`] when a
    /// time limit passes (see [`bytes`](Self::bytes)).
    pub async fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let status = self.status();
        let body = self.bytes().await?;
        decode_json(status, &body)
    }
}

/// Decodes `body`, reporting the JSON path of any problem.
pub(crate) fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    let decode_error = |path: String, message: String| Error::Decode {
        status,
        path,
        message,
        snippet: snippet(body),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error(
            ".".to_owned(),
            "the response body was empty; expected JSON".to_owned(),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| decode_error(err.path().to_string(), err.inner().to_string()))?;
    // Trailing garbage means the body is not the document we think it is.
    deserializer
        .end()
        .map_err(|err| decode_error(".".to_owned(), err.to_string()))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Page {
        data: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    struct Item {
        #[serde(rename = "Size")]
        #[allow(dead_code)]
        size: i64,
    }

    fn decode_err(body: &[u8]) -> (String, String, String) {
        match decode_json::<Page>(200, body) {
            Err(Error::Decode {
                status,
                path,
                message,
                snippet,
            }) => {
                assert_eq!(status, 200);
                (path, message, snippet)
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }

    #[test]
    fn decodes_good_json() {
        let page: Page = decode_json(200, br#"{"data":[{"Size":1},{"Size":2}]}"#).expect("decoded");
        assert_eq!(page.data.len(), 2);
    }

    #[test]
    fn wrong_shape_names_the_json_path() {
        let (path, message, _) = decode_err(br#"{"data":[{"Size":1},{"Size":"big"}]}"#);
        assert_eq!(path, "data[1].Size");
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn empty_body_says_so() {
        for body in [&b""[..], b"  \r\n"] {
            let (path, message, _) = decode_err(body);
            assert_eq!(path, ".");
            assert!(message.contains("empty"), "{message}");
        }
    }

    #[test]
    fn html_and_trailing_garbage_are_decode_errors_with_snippets() {
        let (_, _, snippet) = decode_err(b"<html><body>Maintenance</body></html>");
        assert!(snippet.starts_with("<html>"));
        let (path, _, _) = decode_err(br#"{"data":[]} trailing"#);
        assert_eq!(path, ".");
    }
}
