//! Access tokens and where they come from.

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::Error;

/// Where access tokens come from.
///
/// The client asks for a token before every request, so a source may cache,
/// refresh ahead of expiry, or share one refresh between concurrent callers.
///
/// The `Debug` output of an implementation must not contain a token or any other secret:
/// the client's `Debug` includes it.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// The token to use now.
    ///
    /// Failures should be [`Error::Auth`] with a message that contains no secret.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>>;

    /// Told when Zoho rejected `token` (HTTP 401 `INVALID_TOKEN`); a refreshing source
    /// refreshes so that the next [`token`](TokenSource::token) call returns a fresh one.
    /// By default nothing happens.
    fn rejected(&self, _token: &AccessToken) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }

    /// The API origin that the last token answer named (Zoho's `api_domain`, e.g.
    /// `https://www.zohoapis.eu`), if any. Requests to a [`Server`](crate::Server) that
    /// [follows it](crate::Server::follows_api_domain) go there. By default `None`.
    ///
    /// Only `https` origins (or `http` to a loopback address) are used; anything else
    /// is ignored.
    fn api_domain(&self) -> Option<String> {
        None
    }
}

/// Lets one source be shared by several clients.
impl<T: TokenSource + ?Sized> TokenSource for Arc<T> {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        (**self).token()
    }

    fn rejected(&self, token: &AccessToken) -> BoxFuture<'_, ()> {
        (**self).rejected(token)
    }

    fn api_domain(&self) -> Option<String> {
        (**self).api_domain()
    }
}

/// An OAuth access token. `Debug` and `Display` never show its value.
#[derive(Clone)]
pub struct AccessToken(SecretString);

impl AccessToken {
    /// Wraps a token value.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }

    /// The token value, for sending it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Whether both hold the same value (without making `AccessToken` `PartialEq`,
    /// which would invite comparing secrets in tests' assertion messages).
    pub(crate) fn same_as(&self, other: &AccessToken) -> bool {
        self.expose() == other.expose()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

/// A long-lived OAuth secret: a refresh token. `Debug` and `Display` never show its value.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret value.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(SecretString::from(secret.into()))
    }

    /// The value, for sending or storing it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A fixed access token, for scripts and tests; it is never refreshed.
#[derive(Debug, Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// Wraps a token value.
    pub fn new(token: impl Into<String>) -> Self {
        Self(AccessToken::new(token))
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// `Zoho-oauthtoken <token>`, marked sensitive so HTTP/2 never indexes it and
/// debug output of the header map hides it.
pub(crate) fn authorization_header(token: &AccessToken) -> Result<HeaderValue, Error> {
    let value = token.expose();
    if value.trim().is_empty() {
        return Err(Error::Auth("the access token is empty".to_owned()));
    }
    // The conversion error is dropped on purpose: it could echo the token.
    let mut header = HeaderValue::try_from(format!("Zoho-oauthtoken {value}")).map_err(|_| {
        Error::Auth("the access token contains characters not allowed in an HTTP header".into())
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "1000.9f8e7d6c5b4a";

    #[test]
    fn debug_and_display_hide_the_token() {
        let token = AccessToken::new(SECRET);
        assert!(!format!("{token:?}").contains(SECRET));
        assert!(!format!("{token}").contains(SECRET));
        assert!(!format!("{:?}", StaticToken::new(SECRET)).contains(SECRET));
        assert_eq!(token.expose(), SECRET);
    }

    #[test]
    fn header_has_zoho_scheme_and_is_sensitive() {
        let header = authorization_header(&AccessToken::new(SECRET)).expect("a header");
        assert_eq!(
            header.to_str().ok(),
            Some("Zoho-oauthtoken 1000.9f8e7d6c5b4a")
        );
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains(SECRET));
    }

    #[test]
    fn unusable_tokens_give_auth_errors_without_the_token() {
        for bad in ["", "  ", "abc\r\nX-Evil: 1"] {
            match authorization_header(&AccessToken::new(bad)) {
                Err(Error::Auth(message)) => assert!(!message.contains("X-Evil")),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn static_token_returns_its_token_and_shares_through_arc() {
        let source = Arc::new(StaticToken::new(SECRET));
        let token = source.token().await.expect("a token");
        assert_eq!(token.expose(), SECRET);
        source.rejected(&token).await;
        assert_eq!(source.token().await.expect("a token").expose(), SECRET);
    }
}
