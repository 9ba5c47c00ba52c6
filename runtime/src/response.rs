//! A successful answer and the decoding of its body.

use std::fmt;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use crate::concurrency::Slot;
use crate::error::snippet;
use crate::outcome::decode_outcomes;
use crate::timeout::{Deadline, next_chunk};
use crate::{Download, Error, ItemStatus, Outcomes};

/// The most that [`Response::bytes`] reserves up front, whatever `Content-Length` says.
const MAX_PREALLOCATION: u64 = 16 * 1024 * 1024;

/// How an answer's body may be read: the longest wait for a chunk, and the most bytes
/// kept in memory.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReadLimits {
    pub(crate) read_timeout: Duration,
    pub(crate) max_bytes: u64,
}

/// A successful (2xx) answer whose body has not been read yet.
pub struct Response {
    inner: reqwest::Response,
    limits: ReadLimits,
    item_status: Option<ItemStatus>,
    /// The call's place under the client's concurrency limit, held until the body is read.
    slot: Option<Slot>,
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
    pub(crate) fn new(
        inner: reqwest::Response,
        limits: ReadLimits,
        item_status: Option<ItemStatus>,
        slot: Option<Slot>,
    ) -> Self {
        Self {
            inner,
            limits,
            item_status,
            slot,
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

    /// Reads the whole body, within the read timeout between chunks, what remains of
    /// the operation's timeout, and the client's
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes).
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the body cannot be read; [`Error::Timeout`] when a
    /// time limit passes; [`Error::ResponseTooLarge`] when the body is longer than the
    /// limit (announced, or found while reading, which then stops).
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let Self {
            inner,
            limits,
            slot,
            deadline,
            ..
        } = self;
        let body = Deadline::run(deadline, read_capped(inner, limits)).await;
        drop(slot);
        body
    }

    /// The body as a file download (the operation's answer is file content, not JSON).
    ///
    /// A download is read at the caller's pace, so the operation's timeout does not
    /// apply to it; the read timeout does, between chunks.
    pub fn into_download(self) -> Download {
        Download::new(self.inner, self.limits.read_timeout, self.slot)
    }

    /// Reads the body and decodes it as JSON.
    ///
    /// When the operation's answer reports an outcome per item
    /// ([`OperationInfo::item_status`](crate::OperationInfo::item_status)), an item that
    /// failed makes the whole call fail with that item's error, whatever the HTTP status.
    ///
    /// # Errors
    ///
    /// [`Error::Service`] for a failed item (its code, message and details, with the
    /// answer's HTTP status). [`Error::Decode`] when the body is empty, not JSON, or not
    /// of the expected shape; it names the JSON path of the problem and quotes the start
    /// of the body. The errors of [`bytes`](Self::bytes) when the body cannot be read.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let status = self.status();
        let item_status = self.item_status;
        let body = self.bytes().await?;
        match item_status {
            Some(rule) => decode_checked(&rule, status, &body),
            None => decode_json(status, &body),
        }
    }

    /// Reads the body of a call on several items (`ids`, in the order sent) and decodes
    /// it into one outcome per item, each a `T` or that item's error.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not JSON or has no list of outcomes where the
    /// operation's [`item_status`](crate::OperationInfo::item_status) says; an ID the
    /// answer says nothing about gets that error as its outcome instead. The errors of
    /// [`bytes`](Self::bytes) when the body cannot be read.
    pub async fn outcomes<T: DeserializeOwned>(
        self,
        ids: &[impl ToString],
    ) -> Result<Outcomes<T, Error>, Error> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let status = self.status();
        let Some(rule) = self.item_status else {
            return Err(Error::InvalidInput {
                parameter: "ids",
                reason: "this operation's answer reports no outcome per item".to_owned(),
            });
        };
        let body = self.bytes().await?;
        decode_outcomes(&rule, status, &body, &ids)
    }
}

/// Reads at most `limits.max_bytes` of `response`, refusing a longer one before reading it
/// when `Content-Length` announces it.
async fn read_capped(mut response: reqwest::Response, limits: ReadLimits) -> Result<Bytes, Error> {
    let limit = limits.max_bytes;
    let announced = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok());
    let too_large = |announced| Error::ResponseTooLarge { limit, announced };
    if announced.is_some_and(|length| length > limit) {
        return Err(too_large(announced));
    }
    let capacity = announced.unwrap_or(0).min(MAX_PREALLOCATION).min(limit);
    let mut body = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = next_chunk(&mut response, limits.read_timeout).await? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large(announced));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Decodes `body` after checking each item's outcome, so a failed item is reported as
/// itself rather than as a decoding problem of a success type.
fn decode_checked<T: DeserializeOwned>(
    rule: &ItemStatus,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let answer: serde_json::Value = decode_json(status, body)?;
    if let Some(failure) = rule.first_failure(status, &answer) {
        return Err(Error::Service(failure));
    }
    serde_path_to_error::deserialize(answer).map_err(|err| Error::Decode {
        status,
        path: err.path().to_string(),
        message: err.inner().to_string(),
        snippet: snippet(body),
    })
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
