//! Configuration and validation of a client.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use crate::client::Config;
use crate::endpoint::Origin;
use crate::{
    BuildError, Client, Environment, RefreshToken, Region, RetryPolicy, StaticToken, TokenSource,
};

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_USER_AGENT: &str = concat!("zoho-runtime/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`], or any type made from one.
///
/// Generic over what it builds so a generated crate's own client newtype can offer
/// `Client::builder() -> ClientBuilder<Client>` through `impl From<zoho_runtime::Client>`.
pub struct ClientBuilder<C = Client> {
    region: Option<Region>,
    environment: Option<Environment>,
    base_url: Option<String>,
    tokens: Option<Arc<dyn TokenSource>>,
    /// The token source again when it is a [`RefreshToken`], which learns the data
    /// centre's accounts server and the HTTP client at build time.
    refresh: Option<Arc<RefreshToken>>,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    read_timeout: Duration,
    timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    user_agent: Option<String>,
    // `fn() -> C`: the builder neither owns nor shares a `C`, so it stays Send + Sync.
    _builds: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        Self {
            region: self.region,
            environment: self.environment,
            base_url: self.base_url.clone(),
            tokens: self.tokens.clone(),
            refresh: self.refresh.clone(),
            http: self.http.clone(),
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            timeout: self.timeout,
            retry_policy: self.retry_policy.clone(),
            user_agent: self.user_agent.clone(),
            _builds: PhantomData,
        }
    }
}

/// Secrets are redacted: the token source shows its own redacted `Debug`, and a base
/// URL's user info is hidden.
impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region.map(|region| region.id))
            .field(
                "environment",
                &self.environment.map(|environment| environment.id),
            )
            .field("base_url", &self.base_url.as_deref().map(redacted_url))
            .field("token_source", &self.tokens)
            .field("custom_http_client", &self.http.is_some())
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry_policy)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl<C: From<Client>> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder with defaults: 10 s connect timeout, 60 s read timeout, no timeout
    /// for the whole operation, [`RetryPolicy::new`], and the user agent
    /// `zoho-runtime/<version>`.
    pub fn new() -> Self {
        Self {
            region: None,
            environment: None,
            base_url: None,
            tokens: None,
            refresh: None,
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            timeout: None,
            retry_policy: RetryPolicy::new(),
            user_agent: None,
            _builds: PhantomData,
        }
    }

    /// The data centre whose hosts requests go to.
    pub fn data_center(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The environment (sandbox, developer) whose hosts requests go to; production by default.
    /// An operation whose product documents no host for the environment in the data centre
    /// fails with [`Error::InvalidInput`](crate::Error::InvalidInput) rather than reaching
    /// production.
    pub fn environment(mut self, environment: impl Into<Environment>) -> Self {
        self.environment = Some(environment.into());
        self
    }

    /// Sends every request to this origin instead of the data centre's host, for tests
    /// and proxies, e.g. `"http://127.0.0.1:4000"`. A path part is kept and the server
    /// prefix appended to it: `"http://proxy/zoho"` gives `"http://proxy/zoho/crm/v7/..."`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses a fixed access token ([`StaticToken`]).
    pub fn access_token(self, token: impl Into<String>) -> Self {
        self.token_source(StaticToken::new(token))
    }

    /// Where access tokens come from.
    ///
    /// A [`RefreshToken`] (or an `Arc` of one) without an
    /// [`accounts_url`](RefreshToken::accounts_url) refreshes at the
    /// [data centre](Self::data_center)'s accounts server, through this client's
    /// HTTP client.
    pub fn token_source(mut self, source: impl TokenSource + 'static) -> Self {
        let mut slot = Some(source);
        let any: &mut dyn Any = &mut slot;
        let refresh = if let Some(refresh) = any.downcast_mut::<Option<RefreshToken>>() {
            refresh.take().map(Arc::new)
        } else if let Some(refresh) = any.downcast_mut::<Option<Arc<RefreshToken>>>() {
            refresh.take()
        } else {
            None
        };
        self.tokens = match (&refresh, slot) {
            (Some(refresh), _) => Some(refresh.clone()),
            (None, Some(source)) => Some(Arc::new(source)),
            (None, None) => None,
        };
        self.refresh = refresh;
        self
    }

    /// Shorthand for [`token_source`](Self::token_source) with a [`RefreshToken`] that
    /// refreshes at the data centre's accounts server.
    pub fn refresh_token(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        self.token_source(RefreshToken::new(client_id, client_secret, refresh_token))
    }

    /// How failed requests are retried (default [`RetryPolicy::new`]); a call can
    /// override it ([`CallOptions::retry_policy`](crate::CallOptions::retry_policy)).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Uses this HTTP client instead of building one. The user agent, the read timeout
    /// and the operation timeout still apply (the runtime enforces them); the connect
    /// timeout does not, as it belongs to the client.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Limit for establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Limit for a stall: the longest time in which nothing moves, neither an upload
    /// chunk handed to the connection nor an answer byte coming in (default 60 s). A
    /// slow but steady transfer never hits it; a server that stops answering does. One
    /// attempt that hits it counts as a transient failure and may be retried.
    ///
    /// The wait for the answer starts when the last upload chunk has been handed to the
    /// connection; on a very slow link, the operating system's send buffer may still be
    /// draining then, so keep this well above the time that buffer takes to drain.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Limit for a whole operation: every attempt, the waits between them, and reading
    /// a JSON answer (default: none). A file answer
    /// ([`Response::into_download`](crate::Response::into_download)) is read at the
    /// caller's pace after the operation returns and is not limited by it; the read
    /// timeout catches a stalled download. A call can override it
    /// ([`CallOptions::timeout`](crate::CallOptions::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `zoho-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError::NoDataCenter`] without a data centre or base URL;
    /// [`BuildError::InvalidBaseUrl`] unless the base URL is absolute http(s) without
    /// user info, query or fragment; [`BuildError::NoTokenSource`];
    /// [`BuildError::InvalidUserAgent`]; [`BuildError::HttpClient`] if the HTTP client
    /// cannot be built.
    pub fn build(self) -> Result<C, BuildError> {
        let origin = match (self.base_url, self.region) {
            (Some(url), _) => Origin::BaseUrl(normalize_base_url(&url)?),
            (None, Some(region)) => Origin::DataCenter(region, self.environment),
            (None, None) => return Err(BuildError::NoDataCenter),
        };
        let tokens = self.tokens.ok_or(BuildError::NoTokenSource)?;
        let user_agent = HeaderValue::try_from(
            self.user_agent
                .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned()),
        )
        .map_err(|_| BuildError::InvalidUserAgent)?;
        let (http, connect_timeout) = match self.http {
            Some(http) => (http, None),
            None => (
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .build()
                    .map_err(BuildError::HttpClient)?,
                Some(self.connect_timeout),
            ),
        };
        if let Some(refresh) = &self.refresh {
            refresh.attach(self.region.map(|region| region.accounts_url), &http);
        }
        Ok(C::from(Client::from_config(Config {
            http,
            origin,
            tokens,
            user_agent,
            connect_timeout,
            read_timeout: self.read_timeout,
            timeout: self.timeout,
            retry_policy: self.retry_policy,
        })))
    }
}

/// Checks a base URL and drops any trailing slash, so the server prefix can be appended.
fn normalize_base_url(raw: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        reason: reason.to_owned(),
    };
    // The parse error is not shown: it is generic and the URL may hold credentials.
    let url = Url::parse(raw).map_err(|_| invalid("not an absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not contain user info; credentials go in the token source",
        ));
    }
    if url.query().is_some() {
        return Err(invalid("must not have a query"));
    }
    if url.fragment().is_some() {
        return Err(invalid("must not have a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A base URL for `Debug`, user info removed (it is only rejected at build time).
fn redacted_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(url) if url.username().is_empty() && url.password().is_none() => url.into(),
        Ok(mut url) => {
            // Both only fail for URLs that cannot carry user info, which these can.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            format!("{url} (user info redacted)")
        }
        Err(_) => "<not a valid URL>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalized() {
        for (raw, expected) in [
            ("http://127.0.0.1:4000", "http://127.0.0.1:4000"),
            ("http://127.0.0.1:4000/", "http://127.0.0.1:4000"),
            ("https://proxy.local/zoho/", "https://proxy.local/zoho"),
            ("HTTPS://Proxy.Local/zoho", "https://proxy.local/zoho"),
        ] {
            assert_eq!(
                normalize_base_url(raw).ok().as_deref(),
                Some(expected),
                "{raw}"
            );
        }
    }

    #[test]
    fn bad_base_urls_are_rejected_without_echoing_them() {
        for raw in [
            "127.0.0.1:4000",
            "/relative",
            "ftp://host",
            "http://user:hunter2@host",
            "http://host/?a=1",
            "http://host/#frag",
            "not a url",
        ] {
            match normalize_base_url(raw) {
                Err(err @ BuildError::InvalidBaseUrl { .. }) => {
                    assert!(!err.to_string().contains("hunter2"), "{raw}");
                }
                other => panic!("{raw} gave {other:?}"),
            }
        }
    }

    #[test]
    fn debug_redacts_base_url_user_info() {
        let builder = Client::builder().base_url("http://user:hunter2@proxy.local/zoho");
        let text = format!("{builder:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("proxy.local"), "{text}");
    }
}
