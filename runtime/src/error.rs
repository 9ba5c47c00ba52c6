//! The runtime's error types.
//!
//! Display strings describe only their own level; the cause is reachable through
//! [`std::error::Error::source`], so error reporters do not print it twice.

use std::path::PathBuf;
use std::time::Duration;

use crate::{RedirectError, ServiceError, TimedOut, TransportError};

/// Everything that can go wrong below the generated per-operation error enums.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Zoho answered with its error envelope (`{"code": ..., "message": ...}`).
    #[error(transparent)]
    Service(ServiceError),

    /// An argument was rejected before anything was sent.
    #[error("invalid `{parameter}`: {reason}")]
    InvalidInput {
        /// The parameter (or setting) that was rejected.
        parameter: &'static str,
        /// Why it was rejected.
        reason: String,
    },

    /// A local I/O failure, for example opening a file to upload.
    #[error("{}", io_message(path.as_ref()))]
    Io {
        /// The file involved, when there is one.
        path: Option<PathBuf>,
        /// The underlying I/O error.
        source: std::io::Error,
    },

    /// The request could not be sent or its answer not received (connection refused or
    /// reset, unknown host, TLS failure, malformed answer, broken upload stream, ...);
    /// [`TransportError::kind`] says which, and whether a retry can help.
    #[error(transparent)]
    Transport(TransportError),

    /// A redirect the client would not follow: to another origin, a loop, or any redirect of
    /// a token request. Nothing was sent to the redirect's target.
    #[error(transparent)]
    Redirect(RedirectError),

    /// A successful answer read into memory (JSON, or [`Download::bytes`]) was larger than
    /// the limit ([`ClientBuilder::max_response_bytes`]). Reading stopped at the limit.
    ///
    /// [`Download::bytes`]: crate::Download::bytes
    /// [`ClientBuilder::max_response_bytes`]: crate::ClientBuilder::max_response_bytes
    #[error(
        "the answer is larger than the limit of {limit} bytes for an answer read into memory{}",
        announced.map(|length| format!(" (Content-Length: {length})")).unwrap_or_default()
    )]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The `Content-Length` the server announced, when it sent one.
        announced: Option<u64>,
    },

    /// A time limit was passed: connecting, a stalled read, or the whole operation;
    /// [`TimedOut::kind`] says which.
    #[error("the request timed out")]
    Timeout(#[source] TimedOut),

    /// A successful answer whose body is not what the operation expects
    /// (HTML, truncated JSON, a field of the wrong type, ...).
    #[error(
        "could not decode the HTTP {status} answer at `{path}`: {message} (body starts with {snippet:?})"
    )]
    Decode {
        /// HTTP status of the answer.
        status: u16,
        /// JSON path of the problem, e.g. `data[0].Size` (`.` for the whole body).
        path: String,
        /// What the decoder expected.
        message: String,
        /// The first characters of the body (lossy UTF-8).
        snippet: String,
    },

    /// A non-2xx answer without a Zoho error envelope, e.g. a gateway's HTML page.
    #[error("HTTP {status} without a Zoho error body ({}): body starts with {snippet:?}", content_type.as_deref().unwrap_or("no content type"))]
    UnexpectedStatus {
        /// HTTP status of the answer.
        status: u16,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// The first characters of the body (lossy UTF-8).
        snippet: String,
    },

    /// The token source could not provide an access token. The text never contains a token.
    #[error("could not get an access token: {0}")]
    Auth(String),

    /// A size limit was passed: a file part's ([`Multipart::file_with_limit`]) or the
    /// whole body's ([`Multipart::max_bytes`]).
    ///
    /// When the size was known before sending, nothing was sent. A reader of unknown
    /// length is cut off as soon as it passes the limit; `size` is then the number of
    /// bytes read so far, so the content is at least that large.
    ///
    /// [`Multipart::file_with_limit`]: crate::Multipart::file_with_limit
    /// [`Multipart::max_bytes`]: crate::Multipart::max_bytes
    #[error("{what} is {size} bytes, over the limit of {limit}")]
    TooLarge {
        /// What was too large, e.g. ``file part `file` (report.pdf)`` or `request body`.
        what: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },

    /// An answer's body ended cleanly but before the length its `Content-Length`
    /// announced. (A connection that drops mid-body is [`Error::Transport`].)
    #[error("the answer's body ended after {received} of the {expected} bytes announced")]
    IncompleteBody {
        /// The `Content-Length` the server sent.
        expected: u64,
        /// The bytes that arrived.
        received: u64,
    },

    /// Paging could not go on without looping: a page repeated a page token seen
    /// before, or a page number did not advance. The pages already yielded are valid.
    #[error("paging stopped: {reason}")]
    Paging {
        /// What the page said that would have made paging loop.
        reason: String,
    },
}

fn io_message(path: Option<&PathBuf>) -> String {
    match path {
        Some(path) => format!("I/O error on `{}`", path.display()),
        None => "I/O error".to_owned(),
    }
}

impl Error {
    /// Whether the failure is transient: a 429 or 5xx answer, a timeout, a connection that
    /// could not be made or broke ([`TransportKind::is_transient`]), or a body cut short.
    ///
    /// Not transient: 4xx answers, refused redirects, unknown hosts, TLS failures, answers
    /// that are not valid HTTP or cannot be decoded, answers over a size limit.
    ///
    /// [`TransportKind::is_transient`]: crate::TransportKind::is_transient
    ///
    /// The client's retry loop retries exactly these (when the request is safe to send
    /// again and the [`RetryPolicy`](crate::RetryPolicy)'s attempts and time allow);
    /// everything else is returned at once.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(service) => service.is_retryable(),
            Error::UnexpectedStatus { status, .. } => is_retryable_status(*status),
            Error::Timeout(_) | Error::IncompleteBody { .. } => true,
            Error::Transport(transport) => transport.is_transient(),
            Error::Redirect(_)
            | Error::ResponseTooLarge { .. }
            | Error::InvalidInput { .. }
            | Error::Io { .. }
            | Error::Decode { .. }
            | Error::Auth(_)
            | Error::TooLarge { .. }
            | Error::Paging { .. } => false,
        }
    }

    /// The HTTP status of the answer, when one arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Service(service) => Some(service.http_status()),
            Error::Decode { status, .. } | Error::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The Zoho error envelope, if this is [`Error::Service`].
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(service) => Some(service),
            _ => None,
        }
    }

    /// Sorts a reqwest failure into [`Error::Timeout`], [`Error::Redirect`] or
    /// [`Error::Transport`].
    pub(crate) fn from_reqwest(source: reqwest::Error) -> Self {
        Self::from_reqwest_with(source, None)
    }

    /// As [`from_reqwest`](Self::from_reqwest), naming the configured connect timeout.
    pub(crate) fn from_reqwest_with(source: reqwest::Error, connect: Option<Duration>) -> Self {
        if source.is_timeout() {
            Error::Timeout(TimedOut::from_reqwest(source, connect))
        } else if let Some(refused) = RedirectError::from_reqwest(&source) {
            Error::Redirect(refused)
        } else {
            Error::Transport(TransportError::new(source))
        }
    }
}

/// 429 (rate limited) and 5xx are worth retrying; other statuses will not change.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// Errors from [`ClientBuilder::build`](crate::ClientBuilder::build).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Neither a data centre nor a base URL was given, so there is nowhere to send requests.
    #[error("no data centre and no base URL given; call `data_center` or `base_url`")]
    NoDataCenter,

    /// The base URL is unusable. The URL itself is not repeated, as it may hold credentials.
    #[error("invalid base URL: {reason}")]
    InvalidBaseUrl {
        /// What is wrong with it.
        reason: String,
    },

    /// No access token and no token source were given.
    #[error("no access token or token source given; call `access_token` or `token_source`")]
    NoTokenSource,

    /// The user agent contains characters not allowed in an HTTP header.
    #[error("the user agent is not a valid HTTP header value")]
    InvalidUserAgent,

    /// The HTTP client could not be built (for example, TLS setup failed).
    #[error("could not build the HTTP client")]
    HttpClient(#[source] reqwest::Error),

    /// zoho-runtime was built without its `ring` and `aws-lc-rs` features, and the application
    /// installed no rustls crypto provider before building the client.
    #[error(
        "no TLS crypto provider: enable zoho-runtime's `ring` or `aws-lc-rs` feature, or call \
         `rustls::crypto::CryptoProvider::install_default` before building the client"
    )]
    NoCryptoProvider,
}

/// How many characters of a body an error keeps.
const SNIPPET_CHARS: usize = 200;

/// The first [`SNIPPET_CHARS`] characters of `body`, lossily decoded, with `…` when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    // A UTF-8 character is at most 4 bytes, so this head always holds enough characters,
    // and a huge body is never copied.
    let head = &body[..body.len().min(SNIPPET_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(SNIPPET_CHARS).collect();
    if chars.next().is_some() || head.len() < body.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_keeps_short_bodies_whole() {
        assert_eq!(
            snippet(b"<html>Bad Gateway</html>"),
            "<html>Bad Gateway</html>"
        );
        assert_eq!(snippet(b""), "");
    }

    #[test]
    fn snippet_cuts_long_bodies_on_character_boundaries() {
        let body = "é".repeat(500);
        let cut = snippet(body.as_bytes());
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.starts_with("éé"));
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn snippet_survives_invalid_utf8() {
        let cut = snippet(&[0xff, 0xfe, b'o', b'k']);
        assert!(cut.ends_with("ok"));
    }

    #[test]
    fn retryable_statuses() {
        assert!(is_retryable_status(429));
        assert!(is_retryable_status(500));
        assert!(is_retryable_status(503));
        assert!(!is_retryable_status(400));
        assert!(!is_retryable_status(401));
        assert!(!is_retryable_status(404));
    }

    #[test]
    fn unexpected_status_is_retryable_only_when_transient() {
        let gateway = Error::UnexpectedStatus {
            status: 502,
            content_type: Some("text/html".into()),
            snippet: String::new(),
        };
        let not_found = Error::UnexpectedStatus {
            status: 404,
            content_type: None,
            snippet: String::new(),
        };
        assert!(gateway.is_retryable());
        assert!(!not_found.is_retryable());
        assert_eq!(gateway.http_status(), Some(502));
    }

    #[test]
    fn io_error_names_the_path() {
        let err = Error::Io {
            path: Some(PathBuf::from("/tmp/missing.pdf")),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert!(err.to_string().contains("/tmp/missing.pdf"));
        assert!(std::error::Error::source(&err).is_some());
    }
}
