//! Redirects: which ones are followed, and the error for the others.
//!
//! A Zoho API answer is only trusted from the origin the request went to, and credentials
//! only go there: API requests follow redirects within their origin (at most
//! [`MAX_REDIRECTS`] in a row), and token requests follow none, since their body carries the
//! refresh token and the client secret.

use std::error::Error as StdError;
use std::fmt;

use http::HeaderMap;
use http::header::LOCATION;
use url::Url;

/// The most redirects followed in a row; a longer chain is taken for a loop.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Why a redirect was not followed; see [`RedirectError::kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RedirectKind {
    /// To another origin (scheme, host or port) than the request's: the answer would not be
    /// Zoho's, and the credential must not follow it.
    OffOrigin,
    /// More than 10 redirects in a row, which is taken for a loop.
    TooMany,
    /// A token request was redirected: token requests follow no redirect, as their body
    /// carries the refresh token and the client secret.
    TokenRequest,
    /// A redirect within the origin that could not be followed: no usable `Location`, or a
    /// streamed upload body that cannot be sent a second time.
    NotFollowed,
}

/// A redirect the client refused to follow. Never retried: the server would say the same.
///
/// It names where the redirect pointed by origin only (`https://host:port`), never by path
/// or query, which may carry secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectError {
    kind: RedirectKind,
    status: Option<u16>,
    target: Option<String>,
}

impl RedirectError {
    /// Why the redirect was not followed.
    pub fn kind(&self) -> RedirectKind {
        self.kind
    }

    /// The redirect's HTTP status (`301`, `302`, `307`...), when the client saw it.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The origin the redirect pointed to (`https://evil.example`), when it named one.
    pub fn target_origin(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// A redirect answer (`status`, with its `Location` header) to an API request for
    /// `from` that the client did not follow: [`RedirectKind::OffOrigin`] when it points to
    /// another origin, else [`RedirectKind::NotFollowed`].
    pub(crate) fn api_answer(status: u16, from: &Url, headers: &HeaderMap) -> Self {
        let target = location(from, headers);
        let kind = match &target {
            Some(target) if !same_origin(from, target) => RedirectKind::OffOrigin,
            _ => RedirectKind::NotFollowed,
        };
        Self::pointing(kind, status, target.as_ref())
    }

    /// A redirect answer to a token request for `from`, which follows none.
    pub(crate) fn token_answer(status: u16, from: &Url, headers: &HeaderMap) -> Self {
        let target = location(from, headers);
        Self::pointing(RedirectKind::TokenRequest, status, target.as_ref())
    }

    fn pointing(kind: RedirectKind, status: u16, target: Option<&Url>) -> Self {
        Self {
            kind,
            status: Some(status),
            target: target.map(origin_of),
        }
    }

    /// An answer that arrived from `answered`, another origin than the request's (an HTTP
    /// client given to the builder followed a redirect off the origin).
    pub(crate) fn answered_from(answered: &Url) -> Self {
        Self {
            kind: RedirectKind::OffOrigin,
            status: None,
            target: Some(origin_of(answered)),
        }
    }

    fn too_many(target: &Url) -> Self {
        Self {
            kind: RedirectKind::TooMany,
            status: None,
            target: Some(origin_of(target)),
        }
    }

    /// The refused redirect inside a reqwest error raised by [`api_policy`], if it is one.
    pub(crate) fn from_reqwest(error: &reqwest::Error) -> Option<Self> {
        let mut source = error.source();
        while let Some(cause) = source {
            if let Some(refused) = cause.downcast_ref::<RedirectError>() {
                return Some(refused.clone());
            }
            source = cause.source();
        }
        None
    }
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            RedirectKind::OffOrigin => f.write_str("refused a redirect to another origin")?,
            RedirectKind::TooMany => write!(
                f,
                "stopped after {MAX_REDIRECTS} redirects in a row (a redirect loop)"
            )?,
            RedirectKind::TokenRequest => {
                f.write_str("the token request was redirected; token requests follow no redirect")?;
            }
            RedirectKind::NotFollowed => f.write_str("a redirect could not be followed")?,
        }
        match (&self.status, &self.target) {
            (Some(status), Some(target)) => write!(f, " (HTTP {status} to {target})"),
            (Some(status), None) => write!(f, " (HTTP {status})"),
            (None, Some(target)) => write!(f, " ({target})"),
            (None, None) => Ok(()),
        }
    }
}

impl StdError for RedirectError {}

/// The policy of the HTTP client the runtime builds for API requests: follow redirects
/// within the first URL's origin, at most [`MAX_REDIRECTS`] of them; stop at one to another
/// origin (the client then reports it as [`RedirectKind::OffOrigin`]).
pub(crate) fn api_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        match first {
            Some(first) if !same_origin(&first, attempt.url()) => attempt.stop(),
            _ if attempt.previous().len() > MAX_REDIRECTS => {
                let error = RedirectError::too_many(attempt.url());
                attempt.error(error)
            }
            _ => attempt.follow(),
        }
    })
}

/// `Location`, resolved against the URL it answered.
fn location(from: &Url, headers: &HeaderMap) -> Option<Url> {
    let raw = headers.get(LOCATION)?.to_str().ok()?;
    from.join(raw.trim()).ok()
}

/// Same scheme, host and port (the port a scheme implies included).
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `scheme://host[:port]`, nothing else of the URL.
fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn url(raw: &str) -> Url {
        Url::parse(raw).expect("a URL")
    }

    fn redirect_to(location: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(location).expect("a header"));
        headers
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let zoho = url("https://www.zohoapis.com/crm/v8/Leads");
        assert!(same_origin(
            &zoho,
            &url("https://www.zohoapis.com:443/other")
        ));
        assert!(!same_origin(&zoho, &url("http://www.zohoapis.com/crm")));
        assert!(!same_origin(
            &zoho,
            &url("https://www.zohoapis.com:8443/crm")
        ));
        assert!(!same_origin(&zoho, &url("https://evil.example/crm")));
    }

    #[test]
    fn a_refused_redirect_names_the_target_origin_only() {
        let from = url("https://www.zohoapis.com/crm/v8/Leads/1/Attachments");
        let refused = RedirectError::api_answer(
            307,
            &from,
            &redirect_to("https://evil.example:8443/steal?token=1000.secret"),
        );
        assert_eq!(refused.kind(), RedirectKind::OffOrigin);
        assert_eq!(refused.status(), Some(307));
        assert_eq!(refused.target_origin(), Some("https://evil.example:8443"));
        let text = refused.to_string();
        assert!(
            !text.contains("secret") && !text.contains("steal"),
            "{text}"
        );
    }

    #[test]
    fn a_relative_location_stays_on_the_origin() {
        let from = url("https://www.zohoapis.com/crm/v8/Leads");
        let refused = RedirectError::api_answer(308, &from, &redirect_to("/x"));
        assert_eq!(refused.kind(), RedirectKind::NotFollowed);
        assert_eq!(refused.target_origin(), Some("https://www.zohoapis.com"));

        let missing = RedirectError::api_answer(302, &from, &HeaderMap::new());
        assert_eq!(missing.target_origin(), None);
        assert_eq!(
            missing.to_string(),
            "a redirect could not be followed (HTTP 302)"
        );

        let token = RedirectError::token_answer(307, &from, &redirect_to("/oauth/v2/token"));
        assert_eq!(token.kind(), RedirectKind::TokenRequest);
    }
}
