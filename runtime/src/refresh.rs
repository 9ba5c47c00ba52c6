//! Access tokens from an OAuth refresh token: refreshed ahead of expiry and after a
//! rejection, once for all concurrent callers, within Zoho's refresh limit.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};

use crate::accounts::{AccountsHttp, Refusal, TokenAnswer, parse_token_answer};
use crate::auth::Secret;
use crate::endpoint::api_origin;
use crate::{AccessToken, Error, StoredToken, TokenSource, TokenStore};

/// Where the accounts server answers token requests.
pub(crate) const TOKEN_PATH: &str = "/oauth/v2/token";

/// Refresh this long before expiry unless told otherwise.
const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);
/// Zoho allows this many refreshes ...
const MAX_REFRESHES: usize = 10;
/// ... per refresh token in this rolling window.
const REFRESH_WINDOW: Duration = Duration::from_secs(10 * 60);
/// After a failed refresh, callers get its error for this long instead of refreshing.
const COOL_DOWN: Duration = Duration::from_secs(1);

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
///   is logged as a warning and otherwise ignored. [`from_store`](Self::from_store) also
///   takes the refresh token from the store, where a
///   [grant-code exchange](crate::OAuthApp::exchange_grant_code) saved it.
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
    /// Given by the caller; `None` for [`from_store`](Self::from_store), whose refresh token
    /// is read into [`State::stored_refresh_token`].
    refresh_token: Option<Secret>,
    accounts_url: Option<String>,
    /// The client's data centre's accounts server, set when a client is built.
    default_accounts_url: OnceLock<&'static str>,
    http: AccountsHttp,
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
    /// The store's refresh token, for a source made by [`RefreshToken::from_store`].
    stored_refresh_token: Option<Secret>,
    /// When each refresh of the last [`REFRESH_WINDOW`] started.
    refreshes: VecDeque<Instant>,
    /// The last refresh's failure, while it cools down.
    failure: Option<(Instant, Refusal)>,
}

struct Current {
    token: AccessToken,
    refresh_at: SystemTime,
    /// Rejected by Zoho: refresh before using it again.
    stale: bool,
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
        Self::with_refresh_token(
            client_id.into(),
            client_secret.into(),
            Some(Secret::new(refresh_token)),
        )
    }

    /// A source whose refresh token is the one `store` holds, as
    /// [`OAuthApp::exchange_grant_code`](crate::OAuthApp::exchange_grant_code) saved it; the
    /// store also keeps the access tokens, as with [`store`](Self::store).
    ///
    /// When the store holds no refresh token, getting a token fails with [`Error::Auth`]
    /// saying so.
    pub fn from_store(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        store: impl TokenStore + 'static,
    ) -> Self {
        Self::with_refresh_token(client_id.into(), client_secret.into(), None).store(store)
    }

    fn with_refresh_token(
        client_id: String,
        client_secret: String,
        refresh_token: Option<Secret>,
    ) -> Self {
        Self {
            client_id,
            client_secret: SecretString::from(client_secret),
            refresh_token,
            accounts_url: None,
            default_accounts_url: OnceLock::new(),
            http: AccountsHttp::default(),
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
        self.http.set_connect_timeout(connect_timeout);
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
            Ok(Some(stored)) => {
                if state.stored_refresh_token.is_none() {
                    state.stored_refresh_token = stored.refresh_token;
                }
                if state.current.is_none() {
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
            }
            Ok(None) => {}
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
            // A refresh token the caller gave stays out of the store; one read from it stays in.
            let refresh_token = self.state().stored_refresh_token.clone();
            let stored = StoredToken {
                access_token: answer.access_token.clone(),
                expires_at,
                api_domain: stored_api_domain,
                refresh_token,
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
    async fn request_token(&self) -> Result<TokenAnswer, Refusal> {
        let accounts = self.accounts().ok_or(
            "no accounts server: set RefreshToken::accounts_url or the client's data centre",
        )?;
        let stored = self.state().stored_refresh_token.clone();
        let refresh_token = match (&self.refresh_token, &stored) {
            (Some(given), _) => given.expose(),
            (None, Some(stored)) => stored.expose(),
            (None, None) => {
                return Err(Refusal::from(
                    "the token store holds no refresh token: exchange a grant code first \
                     (OAuthApp::exchange_grant_code)",
                ));
            }
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &self.client_id),
            ("client_secret", self.client_secret.expose_secret()),
        ];
        let (status, body) = self.http.post(accounts, TOKEN_PATH, &[], &form).await?;
        parse_token_answer(status, &body, "refresh the token").map_err(Refusal::Message)
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

#[cfg(test)]
mod tests {
    use super::*;

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
