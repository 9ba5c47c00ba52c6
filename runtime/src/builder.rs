//! Configuration and validation of a client.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use crate::client::Config;
use crate::concurrency::Limiter;
use crate::endpoint::Origin;
use crate::{
    BuildError, Client, Environment, RefreshToken, Region, RetryPolicy, StaticToken, TokenSource,
    redirect,
};

const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// Lists and deletions answer in a second or two; this leaves room for the retries.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// A full page of 200 attachments is about 200 KiB of JSON: forty of them fit.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;
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
    transfer_timeout: Option<Duration>,
    max_response_bytes: u64,
    max_concurrency: Option<usize>,
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
            transfer_timeout: self.transfer_timeout,
            max_response_bytes: self.max_response_bytes,
            max_concurrency: self.max_concurrency,
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
            .field("transfer_timeout", &self.transfer_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_concurrency", &self.max_concurrency)
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
    /// A builder with defaults: 10 s connect timeout, 60 s read timeout, 30 s for a
    /// whole call that moves no file and no overall limit for file transfers,
    /// [`RetryPolicy::new`], answers read into memory capped at 8 MiB, no concurrency
    /// limit, and the user agent `zoho-runtime/<version>`.
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
            timeout: Some(DEFAULT_TIMEOUT),
            transfer_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_concurrency: None,
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

    /// Uses this HTTP client for API calls instead of building one (for a proxy, say).
    /// The user agent, the read timeout and the operation timeout still apply (the
    /// runtime enforces them); the connect timeout does not, as it belongs to the client.
    ///
    /// Its redirect policy applies too. The one the runtime builds follows redirects only
    /// within the request's origin; whatever this client follows, an answer that comes
    /// from another origin than the request's is refused with
    /// [`Error::Redirect`](crate::Error::Redirect), and reqwest never sends
    /// `Authorization` to another host. Build it with
    /// `redirect(reqwest::redirect::Policy::none())` to follow none, and after
    /// [`ensure_crypto_provider`](crate::ensure_crypto_provider). Token requests of a
    /// [`RefreshToken`] never use it: they go through a client of their own that follows
    /// no redirect.
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

    /// Limit for a whole call that moves no file (a list, a deletion, a link, a JSON
    /// body; [`OperationKind::Call`](crate::OperationKind::Call)): every attempt, the
    /// waits between them, and reading the answer. Default 30 s. A call can override it
    /// ([`CallOptions::timeout`](crate::CallOptions::timeout)); `Duration::MAX` means no
    /// limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Limit for a whole file transfer (an upload, or a download until its answer's
    /// headers arrive). Default: none, since a large file on a slow link takes long;
    /// the read timeout still stops a transfer that stalls. A file answer
    /// ([`Response::into_download`](crate::Response::into_download)) is read at the
    /// caller's pace after the operation returns and is not limited by either. A call
    /// can override it ([`CallOptions::timeout`](crate::CallOptions::timeout)).
    pub fn transfer_timeout(mut self, timeout: Duration) -> Self {
        self.transfer_timeout = Some(timeout);
        self
    }

    /// The most bytes of a successful answer read into memory: a JSON answer, or
    /// [`Response::bytes`](crate::Response::bytes). Default 8 MiB, forty times a full
    /// page of 200 attachments. A longer answer (announced by `Content-Length`, or found
    /// while reading) is [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge),
    /// and reading stops there. File downloads streamed to disk are not limited; see
    /// [`Download::bytes`](crate::Download::bytes) for those read into memory.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Keeps at most `max` calls of this client (and its clones) in flight at once, for
    /// many transfers at a time: a call waits for a place before it is sent, and a
    /// download keeps its place until its body is read or dropped.
    ///
    /// Zoho caps the calls an organisation may have in flight (CRM: 5 on the Free edition
    /// up to 25 on Ultimate, 10 for some heavy APIs) and answers `429 TOO_MANY_REQUESTS`
    /// beyond it. On such an answer the client halves the places (not below one) and the
    /// call is retried as its [`RetryPolicy`] says; every success then adds about one
    /// place per window of successful calls, up to `max` again. Default: no limit.
    /// `0` is taken as `1`.
    pub fn max_concurrency(mut self, max: usize) -> Self {
        self.max_concurrency = Some(max);
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
    /// [`BuildError::InvalidUserAgent`]; [`BuildError::NoCryptoProvider`] when there is no
    /// TLS provider (see the crate's features); [`BuildError::HttpClient`] if the HTTP client
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
        crate::tls::ensure_crypto_provider()?;
        let (http, connect_timeout) = match self.http {
            Some(http) => (http, None),
            None => (
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .redirect(redirect::api_policy())
                    .referer(false)
                    .build()
                    .map_err(BuildError::HttpClient)?,
                Some(self.connect_timeout),
            ),
        };
        if let Some(refresh) = &self.refresh {
            refresh.attach(
                self.region.map(|region| region.accounts_url),
                self.connect_timeout,
            );
        }
        Ok(C::from(Client::from_config(Config {
            http,
            origin,
            tokens,
            user_agent,
            connect_timeout,
            read_timeout: self.read_timeout,
            timeout: self.timeout,
            transfer_timeout: self.transfer_timeout,
            max_response_bytes: self.max_response_bytes,
            limiter: self.max_concurrency.map(Limiter::new),
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
