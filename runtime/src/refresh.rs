//! Access tokens from an OAuth refresh token: refreshed ahead of expiry and after a
//! rejection, once for all concurrent callers, within Zoho's refresh limit.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use http::HeaderValue;
use http::header::{ACCEPT, CONTENT_TYPE};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

use crate::endpoint::api_origin;
use crate::{AccessToken, Error, RedirectError, StoredToken, TokenSource, TokenStore};

/// Refresh this long before expiry unless told otherwise.
const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);
/// Zoho's access tokens live an hour; assumed when an answer omits `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(60 * 60);
/// No token is trusted for longer than this, whatever `expires_in` says.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Zoho allows this many refreshes ...
const MAX_REFRESHES: usize = 10;
/// ... per refresh token in this rolling window.
const REFRESH_WINDOW: Duration = Duration::from_secs(10 * 60);
/// After a failed refresh, callers get its error for this long instead of refreshing.
const COOL_DOWN: Duration = Duration::from_secs(1);
/// The whole token request, answer included.
const REFRESH_TIMEOUT: Duration = Duration::from_secs(30);
/// Connect timeout of token requests unless a client builder gave its own.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A token answer is a few hundred bytes; more is not read.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// A [`TokenSource`] that gets access tokens with an OAuth refresh token
/// (`POST {accounts}/oauth/v2/token`, `grant_type=refresh_token`).
///
/// - A token is reused until [`refresh_ahead`](Self::refresh_ahead) before it expires
///   (at most half its lifetime before, so short-lived tokens are still used).
/// - However many requests find the token stale at once, exactly one refresh is in
///   flight; the others wait for it and share its result.
/// - When Zoho rejects a token (401 `INVALID_TOKEN`), that token is refreshed, once
///   however many requests were rejected with it.
/// - Never more than 10 refreshes in a rolling 10 minutes (Zoho's limit per refresh
///   token): past that, [`Error::Auth`] says when the next one is allowed. A failed
///   refresh is not repeated for a second; callers meanwhile get its error.
/// - With a [`store`](Self::store), the token is loaded from it on first use and saved
///   to it after every refresh, so a restart does not need a refresh. A failure to save
///   is logged as a warning and otherwise ignored.
/// - The answer's `api_domain` is remembered and used as the origin of
///   [servers that follow it](crate::Server::follows_api_domain).
/// - Token requests carry the refresh token and the client secret, so they go through an
///   HTTP client of their own that follows no redirect: a redirect is an
///   [`Error::Redirect`] naming the origin it pointed to, and nothing is sent there. The
///   answer is read up to 64 KiB.
///
/// `Debug` shows the client id and the accounts server, never the secret or a token.
///
/// ```no_run
/// # fn demo() -> Result<(), zoho_runtime::BuildError> {
/// use zoho_runtime::{Client, FileTokenStore, RefreshToken};
///
/// let tokens = RefreshToken::new("1000.CLIENTID", "client-secret", "1000.refresh")
///     .accounts_url("https://accounts.zoho.eu")
///     .store(FileTokenStore::new("zoho-token.json"));
/// let client = Client::builder().base_url("https://www.zohoapis.eu").token_source(tokens).build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct RefreshToken {
    client_id: String,
    client_secret: SecretString,
    refresh_token: SecretString,
    accounts_url: Option<String>,
    /// The client's data centre's accounts server, set when a client is built.
    default_accounts_url: OnceLock<&'static str>,
    /// The connect timeout of the client builder that attached this source.
    connect_timeout: OnceLock<Duration>,
    /// Built on first use; never follows a redirect.
    http: OnceLock<reqwest::Client>,
    store: Option<Arc<dyn TokenStore>>,
    refresh_ahead: Duration,
    state: Mutex<State>,
    /// Held by the one caller that loads or refreshes; the others queue on it.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    current: Option<Current>,
    api_domain: Option<String>,
    /// Whether the store was read.
    loaded: bool,
    /// When each refresh of the last [`REFRESH_WINDOW`] started.
    refreshes: VecDeque<Instant>,
    /// The last refresh's failure, while it cools down.
    failure: Option<(Instant, Refusal)>,
}

/// Why a refresh failed, kept to answer the callers of the cool-down with.
#[derive(Clone)]
enum Refusal {
    /// A message without secrets, for [`Error::Auth`].
    Message(String),
    /// The accounts server redirected the token request.
    Redirect(RedirectError),
}

impl Refusal {
    fn to_error(&self) -> Error {
        match self {
            Refusal::Message(message) => Error::Auth(message.clone()),
            Refusal::Redirect(redirect) => Error::Redirect(redirect.clone()),
        }
    }
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal::Message(message)
    }
}

impl From<&str> for Refusal {
    fn from(message: &str) -> Self {
        Refusal::Message(message.to_owned())
    }
}

struct Current {
    token: AccessToken,
    refresh_at: SystemTime,
    /// Rejected by Zoho: refresh before using it again.
    stale: bool,
}

/// What the accounts server answered.
struct Answer {
    access_token: AccessToken,
    lifetime: Duration,
    api_domain: Option<String>,
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("client_id", &self.client_id)
            .field("accounts_url", &self.accounts())
            .finish_non_exhaustive()
    }
}

impl RefreshToken {
    /// A source refreshing with `refresh_token`, issued to the client `client_id`
    /// with `client_secret` (from the Zoho API console).
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            refresh_token: SecretString::from(refresh_token.into()),
            accounts_url: None,
            default_accounts_url: OnceLock::new(),
            connect_timeout: OnceLock::new(),
            http: OnceLock::new(),
            store: None,
            refresh_ahead: DEFAULT_REFRESH_AHEAD,
            state: Mutex::new(State::default()),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The accounts server (e.g. `https://accounts.zoho.eu`). Default: the client's
    /// data centre's, set by [`ClientBuilder`](crate::ClientBuilder).
    pub fn accounts_url(mut self, url: impl Into<String>) -> Self {
        self.accounts_url = Some(url.into());
        self
    }

    /// Loads the token from `store` on first use and saves every refreshed one to it.
    pub fn store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Refresh this long before expiry (default 5 minutes; Zoho tokens live 1 hour).
    /// A token that lives less than twice this long is refreshed at half its life.
    pub fn refresh_ahead(mut self, ahead: Duration) -> Self {
        self.refresh_ahead = ahead;
        self
    }

    /// Called by the client builder: the data centre's accounts server (used unless
    /// one was set) and the connect timeout to refresh with. The first client wins.
    pub(crate) fn attach(&self, accounts_url: Option<&'static str>, connect_timeout: Duration) {
        if let Some(url) = accounts_url {
            let _ = self.default_accounts_url.set(url);
        }
        let _ = self.connect_timeout.set(connect_timeout);
    }

    fn accounts(&self) -> Option<&str> {
        self.accounts_url
            .as_deref()
            .or_else(|| self.default_accounts_url.get().copied())
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current token if it is neither due for refresh nor rejected.
    fn usable(&self) -> Option<AccessToken> {
        let state = self.state();
        let current = state.current.as_ref()?;
        (!current.stale && SystemTime::now() < current.refresh_at).then(|| current.token.clone())
    }

    async fn load(&self) {
        let loaded = match &self.store {
            Some(store) => store.load().await,
            None => Ok(None),
        };
        let mut state = self.state();
        state.loaded = true;
        match loaded {
            Ok(Some(stored)) if state.current.is_none() => {
                tracing::debug!("loaded the stored access token");
                state.current = Some(Current {
                    token: stored.access_token,
                    refresh_at: stored
                        .expires_at
                        .checked_sub(self.refresh_ahead)
                        .unwrap_or(UNIX_EPOCH),
                    stale: false,
                });
                state.api_domain = stored.api_domain.as_deref().and_then(api_origin);
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "could not load the stored access token; refreshing instead");
            }
        }
    }

    /// Refreshes, within the limits; the caller holds `refreshing`.
    async fn refresh(&self) -> Result<AccessToken, Error> {
        self.claim_refresh().map_err(|refusal| refusal.to_error())?;
        tracing::debug!(
            accounts_url = self.accounts(),
            "refreshing the access token"
        );
        let answer = match self.request_token().await {
            Ok(answer) => answer,
            Err(refusal) => {
                let error = refusal.to_error();
                tracing::warn!(reason = %error, "refreshing the access token failed");
                self.state().failure = Some((Instant::now(), refusal));
                return Err(error);
            }
        };
        let now = SystemTime::now();
        let expires_at = now.checked_add(answer.lifetime).unwrap_or(now);
        let ahead = self.refresh_ahead.min(answer.lifetime / 2);
        let api_domain = answer.api_domain.as_deref().and_then(|raw| {
            let origin = api_origin(raw);
            if origin.is_none() {
                tracing::warn!("ignoring the token answer's api_domain: not an https origin");
            }
            origin
        });
        let stored_api_domain = {
            let mut state = self.state();
            state.current = Some(Current {
                token: answer.access_token.clone(),
                refresh_at: expires_at.checked_sub(ahead).unwrap_or(now),
                stale: false,
            });
            state.failure = None;
            if api_domain.is_some() {
                state.api_domain = api_domain;
            }
            state.api_domain.clone()
        };
        tracing::info!(
            expires_in_s = answer.lifetime.as_secs(),
            "refreshed the access token"
        );
        if let Some(store) = &self.store {
            let stored = StoredToken {
                access_token: answer.access_token.clone(),
                expires_at,
                api_domain: stored_api_domain,
            };
            if let Err(error) = store.save(&stored).await {
                tracing::warn!(%error, "could not save the refreshed access token; going on without");
            }
        }
        Ok(answer.access_token)
    }

    /// Counts a refresh about to start, or says why none may start now.
    fn claim_refresh(&self) -> Result<(), Refusal> {
        let mut state = self.state();
        let now = Instant::now();
        if let Some((at, refusal)) = &state.failure
            && now.duration_since(*at) < COOL_DOWN
        {
            return Err(refusal.clone());
        }
        while state
            .refreshes
            .front()
            .is_some_and(|started| now.duration_since(*started) >= REFRESH_WINDOW)
        {
            state.refreshes.pop_front();
        }
        if state.refreshes.len() >= MAX_REFRESHES
            && let Some(oldest) = state.refreshes.front()
        {
            let wait = REFRESH_WINDOW.saturating_sub(now.duration_since(*oldest));
            return Err(Refusal::Message(format!(
                "the access token was refreshed {MAX_REFRESHES} times in the last 10 minutes, \
                 Zoho's limit per refresh token; the next refresh is allowed in {} s",
                wait.as_secs().max(1)
            )));
        }
        state.refreshes.push_back(now);
        Ok(())
    }

    /// One token request. Errors are messages without secrets.
    async fn request_token(&self) -> Result<Answer, Refusal> {
        let accounts = self.accounts().ok_or(
            "no accounts server: set RefreshToken::accounts_url or the client's data centre",
        )?;
        let url = Url::parse(&format!(
            "{}/oauth/v2/token",
            accounts.trim_end_matches('/')
        ))
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or("the accounts server is not an absolute http(s) URL")?;
        let requested = url.clone();
        let http = self.http_client()?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("refresh_token", self.refresh_token.expose_secret())
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret())
            .finish();
        let unreachable = |err: reqwest::Error| {
            if err.is_timeout() {
                format!("the accounts server {accounts} did not answer in time")
            } else {
                format!("could not reach the accounts server {accounts}")
            }
        };
        let mut response = http
            .post(url)
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .body(form)
            .timeout(REFRESH_TIMEOUT)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        if status.is_redirection() {
            return Err(Refusal::Redirect(RedirectError::token_answer(
                status.as_u16(),
                &requested,
                response.headers(),
            )));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(Refusal::Message(format!(
                    "the accounts server's answer is over {} KiB; a token answer is a few \
                     hundred bytes",
                    MAX_ANSWER_BYTES / 1024
                )));
            }
            body.extend_from_slice(&chunk);
        }
        parse_answer(status.as_u16(), &body).map_err(Refusal::Message)
    }

    /// The HTTP client of token requests: one of their own that follows no redirect (a
    /// client given to the builder for API calls may follow them).
    fn http_client(&self) -> Result<reqwest::Client, Refusal> {
        if let Some(http) = self.http.get() {
            return Ok(http.clone());
        }
        if crate::tls::ensure_crypto_provider().is_err() {
            return Err(Refusal::from(
                "no TLS crypto provider to build an HTTP client with",
            ));
        }
        let built = reqwest::Client::builder()
            .connect_timeout(
                self.connect_timeout
                    .get()
                    .copied()
                    .unwrap_or(CONNECT_TIMEOUT),
            )
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map_err(|_| Refusal::from("could not build an HTTP client"))?;
        Ok(self.http.get_or_init(|| built).clone())
    }
}

impl TokenSource for RefreshToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, Error>> {
        Box::pin(async move {
            if let Some(token) = self.usable() {
                return Ok(token);
            }
            let _turn = self.refreshing.lock().await;
            if !self.state().loaded {
                self.load().await;
            }
            // Whoever held the lock before may have refreshed already.
            if let Some(token) = self.usable() {
                return Ok(token);
            }
            self.refresh().await
        })
    }

    fn rejected(&self, token: &AccessToken) -> BoxFuture<'_, ()> {
        let mut state = self.state();
        if let Some(current) = &mut state.current
            && current.token.same_as(token)
            && !current.stale
        {
            tracing::debug!("the access token was rejected; it will be refreshed");
            current.stale = true;
        }
        Box::pin(async {})
    }

    fn api_domain(&self) -> Option<String> {
        self.state().api_domain.clone()
    }
}

/// Reads `{"access_token", "expires_in", "api_domain", "token_type"}` or
/// `{"error": "..."}`. The message of an error never quotes the body.
fn parse_answer(status: u16, body: &[u8]) -> Result<Answer, String> {
    let http_error = || format!("the accounts server answered HTTP {status}");
    let Ok(Value::Object(answer)) = serde_json::from_slice::<Value>(body) else {
        return Err(if (200..300).contains(&status) {
            "the accounts server's answer is not a JSON object".to_owned()
        } else {
            http_error()
        });
    };
    if let Some(code) = answer.get("error") {
        return Err(format!(
            "the accounts server refused to refresh the token: {}",
            error_code(code)
        ));
    }
    if !(200..300).contains(&status) {
        return Err(http_error());
    }
    let access_token = match answer.get("access_token") {
        Some(Value::String(token)) if !token.trim().is_empty() => AccessToken::new(token.clone()),
        _ => return Err("the accounts server's answer has no access_token".to_owned()),
    };
    let seconds = match answer.get("expires_in") {
        None | Some(Value::Null) => Some(DEFAULT_LIFETIME.as_secs()),
        Some(Value::Number(seconds)) => seconds.as_u64(),
        Some(Value::String(seconds)) => seconds.trim().parse().ok(),
        Some(_) => None,
    }
    .ok_or("the accounts server's answer has an invalid expires_in")?;
    Ok(Answer {
        access_token,
        lifetime: Duration::from_secs(seconds).min(MAX_LIFETIME),
        api_domain: answer
            .get("api_domain")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// The error code as a short, printable word: it ends up in logs and messages.
fn error_code(code: &Value) -> String {
    let cleaned: String = code
        .as_str()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .take(64)
        .collect();
    if cleaned.is_empty() {
        "an unnamed error".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_answer_is_read() {
        let answer = parse_answer(
            200,
            br#"{"access_token":"1000.abc","expires_in":3600,"api_domain":"https://www.zohoapis.eu","token_type":"Bearer"}"#,
        )
        .expect("an answer");
        assert_eq!(answer.access_token.expose(), "1000.abc");
        assert_eq!(answer.lifetime, Duration::from_secs(3600));
        assert_eq!(
            answer.api_domain.as_deref(),
            Some("https://www.zohoapis.eu")
        );

        let lenient =
            parse_answer(200, br#"{"access_token":"t","expires_in":"120"}"#).expect("an answer");
        assert_eq!(lenient.lifetime, Duration::from_secs(120));
        let huge = parse_answer(200, br#"{"access_token":"t","expires_in":99999999999}"#)
            .expect("an answer");
        assert_eq!(huge.lifetime, MAX_LIFETIME);
    }

    #[test]
    fn failures_name_the_error_code_but_never_the_body() {
        let refused = parse_answer(200, br#"{"error":"invalid_code"}"#).err();
        assert_eq!(
            refused.as_deref(),
            Some("the accounts server refused to refresh the token: invalid_code")
        );
        let hostile = parse_answer(400, b"{\"error\":\"bad\\r\\nX-Evil: 1\"}").err();
        assert_eq!(
            hostile.as_deref(),
            Some("the accounts server refused to refresh the token: badX-Evil1")
        );
        for (status, body) in [
            (500, &b"<html>secret-ish page</html>"[..]),
            (200, b"not json 1000.leaked"),
            (200, br#"{"access_token":"","expires_in":3600}"#),
            (200, br#"{"access_token":"1000.leaked","expires_in":-1}"#),
        ] {
            let message = parse_answer(status, body).err().expect("a failure");
            assert!(
                !message.contains("leaked") && !message.contains("secret"),
                "{message}"
            );
        }
    }

    #[test]
    fn debug_shows_the_client_id_and_accounts_server_only() {
        let source = RefreshToken::new("1000.CLIENT", "the-secret", "1000.the-refresh-token")
            .accounts_url("https://accounts.zoho.eu");
        let text = format!("{source:?}");
        assert!(text.contains("1000.CLIENT"), "{text}");
        assert!(text.contains("https://accounts.zoho.eu"), "{text}");
        assert!(!text.contains("the-secret"), "{text}");
        assert!(!text.contains("the-refresh-token"), "{text}");
    }
}
