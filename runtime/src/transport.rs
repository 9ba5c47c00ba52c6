//! Connection-level failures, sorted into the classes that decide whether a retry can help.

use std::error::Error as StdError;
use std::fmt;
use std::io;

/// What went wrong below HTTP; see [`TransportError::kind`].
///
/// The classes follow smithy-rs (the AWS SDK for Rust): a failure that another attempt can
/// cure (the connection was refused, reset or closed early) is transient and retried; one
/// that would fail the same way again (a host name that does not resolve, a TLS or
/// certificate failure, an answer that is not valid HTTP) is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made: refused, unreachable, or reset while connecting.
    /// Transient.
    Connect,
    /// The connection broke after it was made: reset, closed before the whole answer
    /// arrived, or the upload stream failed. Transient.
    Interrupted,
    /// The host name did not resolve. Not retried: the name will not appear by itself.
    UnknownHost,
    /// The TLS handshake failed: an untrusted or invalid certificate, or a peer that does
    /// not speak TLS. Not retried: it would fail the same way.
    Tls,
    /// The answer is not valid HTTP: a malformed status line, invalid headers, or headers
    /// larger than the client accepts. Not retried.
    Protocol,
    /// The request could not be built (an invalid header value, say). Not retried.
    Request,
}

impl TransportKind {
    /// Whether another attempt may succeed.
    pub fn is_transient(self) -> bool {
        matches!(self, TransportKind::Connect | TransportKind::Interrupted)
    }

    fn describe(self) -> &'static str {
        match self {
            TransportKind::Connect => "could not connect to the server",
            TransportKind::Interrupted => "the connection failed before a complete answer arrived",
            TransportKind::UnknownHost => "the server's host name could not be resolved",
            TransportKind::Tls => "the TLS handshake failed (certificate or protocol)",
            TransportKind::Protocol => {
                "the answer is not valid HTTP (malformed, or its headers are too large)"
            }
            TransportKind::Request => "the request could not be built",
        }
    }
}

/// A failure to send a request or to receive its answer, with its class.
///
/// `Display` names the class only; the HTTP library's error, reachable through
/// [`source`](std::error::Error::source), says more.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportKind,
    source: reqwest::Error,
}

impl TransportError {
    /// Sorts `source` into its class.
    pub(crate) fn new(source: reqwest::Error) -> Self {
        Self {
            kind: classify(&source),
            source,
        }
    }

    /// The class of the failure.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Whether another attempt may succeed ([`TransportKind::is_transient`]).
    pub fn is_transient(&self) -> bool {
        self.kind.is_transient()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.describe())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// Reads the class off the error chain. reqwest says which phase failed (building,
/// connecting, name resolution); hyper's error says whether the answer was malformed; an
/// `io::Error` of kind `InvalidData` below a connect failure is TLS giving up (rustls
/// reports its failures, certificate ones included, that way).
fn classify(error: &reqwest::Error) -> TransportKind {
    if error.is_builder() {
        return TransportKind::Request;
    }
    if error.is_dns() {
        return TransportKind::UnknownHost;
    }
    let connect = error.is_connect();
    let mut malformed = false;
    let mut tls = false;
    visit_causes(error, &mut |cause| {
        if cause
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_parse)
        {
            malformed = true;
        }
        if cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::InvalidData)
        {
            tls = connect;
        }
    });
    if malformed {
        TransportKind::Protocol
    } else if tls {
        TransportKind::Tls
    } else if connect {
        TransportKind::Connect
    } else {
        TransportKind::Interrupted
    }
}

/// Calls `visit` on every cause below `error`. `io::Error::source` skips the error an
/// `io::Error` wraps (it returns that error's own source), so wrapped errors are visited
/// through `get_ref` as well.
fn visit_causes(
    error: &(dyn StdError + 'static),
    visit: &mut dyn FnMut(&(dyn StdError + 'static)),
) {
    let mut next = error.source();
    while let Some(cause) = next {
        visit(cause);
        if let Some(wrapped) = cause
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
        {
            let wrapped: &(dyn StdError + 'static) = wrapped;
            visit(wrapped);
            visit_causes(wrapped, visit);
        }
        next = cause.source();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_connect_and_interrupted_are_transient() {
        for (kind, transient) in [
            (TransportKind::Connect, true),
            (TransportKind::Interrupted, true),
            (TransportKind::UnknownHost, false),
            (TransportKind::Tls, false),
            (TransportKind::Protocol, false),
            (TransportKind::Request, false),
        ] {
            assert_eq!(kind.is_transient(), transient, "{kind:?}");
        }
    }

    #[tokio::test]
    async fn a_request_that_cannot_be_built_is_not_transient() {
        assert!(crate::tls::ensure_crypto_provider().is_ok());
        let client = reqwest::Client::new();
        let error = client
            .get("http://127.0.0.1:1/")
            .header("x-bad", "line\nbreak")
            .send()
            .await
            .expect_err("an invalid header cannot be sent");
        let error = TransportError::new(error);
        assert_eq!(error.kind(), TransportKind::Request);
        assert!(!error.is_transient());
    }
}
