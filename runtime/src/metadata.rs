//! What every operation's error can tell, whatever its variants.
//!
//! Each generated operation has its own error enum: one variant per error code its page
//! documents, [`Unhandled`] for any other code, and `Request` for a failure before Zoho
//! answered. Code that handles errors generically (logging, metrics, retries) should not have
//! to match every enum: [`ProvideErrorMetadata`], as in the AWS SDK for Rust, reads the code,
//! message and status of any of them. A generated enum implements it by saying which
//! [`ErrorSource`] a variant holds; everything else is derived here, once.

use std::error::Error as StdError;
use std::fmt;

use crate::{Error, ServiceError};

/// What a failed call's error holds: Zoho's error answer, or a failure before it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ErrorSource<'a> {
    /// Zoho answered with an error code.
    Service(&'a ServiceError),
    /// The call failed before Zoho answered with a code (invalid input, transport, timeout,
    /// an answer that could not be decoded...).
    Request(&'a Error),
}

impl<'a> ErrorSource<'a> {
    /// Zoho's error answer, when there was one.
    pub fn service_error(self) -> Option<&'a ServiceError> {
        match self {
            ErrorSource::Service(error) => Some(error),
            ErrorSource::Request(Error::Service(error)) => Some(error),
            ErrorSource::Request(_) => None,
        }
    }

    /// The error as a standard error, for `Display` and `source`.
    fn as_error(self) -> &'a (dyn StdError + 'static) {
        match self {
            ErrorSource::Service(error) => error,
            ErrorSource::Request(error) => error,
        }
    }
}

impl fmt::Display for ErrorSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_error(), f)
    }
}

/// The code, message and status of an operation's error, whichever variant it is.
///
/// Every generated error enum implements it (and has the same methods of its own, so no
/// import is needed to call them). Prefer [`code`](Self::code) to matching [`Unhandled`]:
/// when a code is documented later it gets a variant of its own, and `code()` keeps
/// answering the same.
pub trait ProvideErrorMetadata {
    /// What the error holds; the other methods read it.
    fn error_source(&self) -> ErrorSource<'_>;

    /// The Zoho error code, when Zoho answered with one.
    fn code(&self) -> Option<&str> {
        self.service_error().map(ServiceError::code)
    }

    /// Zoho's message, when Zoho answered with an error code.
    fn message(&self) -> Option<&str> {
        self.service_error().map(ServiceError::message)
    }

    /// The HTTP status of Zoho's answer, when there was one.
    fn http_status(&self) -> Option<u16> {
        match self.error_source() {
            ErrorSource::Service(error) => Some(error.http_status()),
            ErrorSource::Request(error) => error.http_status(),
        }
    }

    /// Whether trying again later may succeed: rate limits, server errors, timeouts and
    /// dropped connections.
    fn is_retryable(&self) -> bool {
        match self.error_source() {
            ErrorSource::Service(error) => error.is_retryable(),
            ErrorSource::Request(error) => error.is_retryable(),
        }
    }

    /// Zoho's whole error answer, when there was one.
    fn service_error(&self) -> Option<&ServiceError> {
        self.error_source().service_error()
    }
}

/// A Zoho error code the operation's page does not document.
///
/// Opaque on purpose, as in the AWS SDK for Rust: read its code and message through the
/// error enum ([`ProvideErrorMetadata`]), not by matching this variant on a code. When the
/// code is documented later it moves to a variant of its own, which breaks no one who asks
/// `code()`.
#[derive(Debug)]
pub struct Unhandled(ServiceError);

impl From<ServiceError> for Unhandled {
    fn from(error: ServiceError) -> Self {
        Unhandled(error)
    }
}

impl Unhandled {
    /// What it holds, for the enum's [`ProvideErrorMetadata::error_source`].
    pub fn error_source(&self) -> ErrorSource<'_> {
        ErrorSource::Service(&self.0)
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl StdError for Unhandled {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

/// `Display` for a generated error enum: what its source says.
pub fn display_error<E: ProvideErrorMetadata + ?Sized>(
    error: &E,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    fmt::Display::fmt(&error.error_source(), f)
}

/// `Error::source` for a generated error enum: the source's own source, so a reporter that
/// prints the chain does not print the same line twice.
pub fn error_source_of<E: ProvideErrorMetadata + ?Sized>(
    error: &E,
) -> Option<&(dyn StdError + 'static)> {
    error.error_source().as_error().source()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// An enum shaped like a generated one.
    #[derive(Debug)]
    enum ListError {
        InvalidModule(ServiceError),
        Unhandled(Unhandled),
        Request(Error),
    }

    impl ProvideErrorMetadata for ListError {
        fn error_source(&self) -> ErrorSource<'_> {
            match self {
                ListError::InvalidModule(error) => ErrorSource::Service(error),
                ListError::Unhandled(error) => error.error_source(),
                ListError::Request(error) => ErrorSource::Request(error),
            }
        }
    }

    impl fmt::Display for ListError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            display_error(self, f)
        }
    }

    impl StdError for ListError {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            error_source_of(self)
        }
    }

    fn service(status: u16, code: &str) -> ServiceError {
        ServiceError::new(status, code, "why", json!({}))
    }

    #[test]
    fn a_documented_and_an_unhandled_code_read_alike() {
        for error in [
            ListError::InvalidModule(service(400, "INVALID_MODULE")),
            ListError::Unhandled(service(400, "INVALID_MODULE").into()),
        ] {
            assert_eq!(error.code(), Some("INVALID_MODULE"));
            assert_eq!(error.message(), Some("why"));
            assert_eq!(error.http_status(), Some(400));
            assert!(!error.is_retryable());
            assert_eq!(error.to_string(), "INVALID_MODULE (HTTP 400): why");
        }
        let limited = ListError::Unhandled(service(429, "TOO_MANY_REQUESTS").into());
        assert!(limited.is_retryable());
    }

    #[test]
    fn a_request_failure_has_no_code_and_keeps_its_chain() {
        let error = ListError::Request(Error::InvalidInput {
            parameter: "per_page",
            reason: "at most 200".into(),
        });
        assert_eq!(error.code(), None);
        assert_eq!(error.http_status(), None);
        assert_eq!(error.to_string(), "invalid `per_page`: at most 200");
        assert!(error.source().is_none());
    }
}
