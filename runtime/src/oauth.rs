//! The first-time OAuth flows: from an app registered in Zoho's API console to a refresh token
//! kept in a [`TokenStore`], and back (revocation).
//!
//! Zoho's pages: the authorization request
//! (<https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html>), the grant-code
//! exchange (<https://www.zoho.com/crm/developer/docs/api/v4/access-refresh.html>), how long
//! codes and tokens live (<https://www.zoho.com/crm/developer/docs/api/v7/token-validity.html>),
//! revocation (<https://www.zoho.com/accounts/protocol/oauth/revoke-refresh-token.html>) and
//! data centres (<https://www.zoho.com/accounts/protocol/oauth/multi-dc.html>).

use std::fmt;
use std::time::SystemTime;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::accounts::{AccountsHttp, endpoint, parse_plain_answer, parse_token_answer};
use crate::refresh::TOKEN_PATH;
use crate::{AccessToken, Error, RefreshToken, Region, Secret, StoredToken, TokenStore};

/// Where the user is asked to consent.
const AUTHORIZATION_PATH: &str = "/oauth/v2/auth";
/// Where a refresh token is revoked.
const REVOKE_PATH: &str = "/oauth/v2/token/revoke";

/// An app registered in Zoho's API console (its client ID and secret), for the flows that
/// happen once, before a [`RefreshToken`] can take over:
///
/// - **Self client** (scripts and servers acting for one user): the API console's "Generate
///   Code" tab gives a grant code for the scopes you name; [`exchange_grant_code`] turns it
///   into a refresh token.
/// - **Authorization code** (apps acting for users): send the user to
///   [`authorization_url`], let Zoho redirect them back to your `redirect_uri`, read the
///   redirect with [`AuthorizationCallback::parse`] and [`exchange_callback`].
///
/// Either way the [`GrantedTokens`] are [saved](GrantedTokens::save) in a [`TokenStore`], and
/// [`token_source`](Self::token_source) refreshes from that store from then on.
/// [`revoke`](Self::revoke) ends a refresh token's life.
///
/// Requests go to the data centre's accounts server only, through an HTTP client that follows
/// no redirect; answers are read up to 64 KiB and errors never quote them. `Debug` shows the
/// client ID and accounts server, never the secret.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use zoho_runtime::{Client, FileTokenStore, OAuthApp, Region};
///
/// let eu = Region { id: "eu", name: "Europe", accounts_url: "https://accounts.zoho.eu" };
/// let app = OAuthApp::new("1000.CLIENTID", "client-secret", eu);
/// // The grant code from the API console's Self Client, valid for a few minutes.
/// let granted = app.exchange_grant_code("1000.grant.code", None).await?;
/// let store = Arc::new(FileTokenStore::new("zoho-token.json"));
/// granted.save(store.as_ref()).await?;
/// // From now on (in this run or the next), tokens are refreshed from the store.
/// let client = Client::builder().data_center(eu).token_source(app.token_source(store)).build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
///
/// [`exchange_grant_code`]: Self::exchange_grant_code
/// [`authorization_url`]: Self::authorization_url
/// [`exchange_callback`]: Self::exchange_callback
pub struct OAuthApp {
    client_id: String,
    client_secret: SecretString,
    accounts_url: String,
    http: AccountsHttp,
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("accounts_url", &self.accounts_url)
            .finish_non_exhaustive()
    }
}

impl OAuthApp {
    /// The app `client_id` with `client_secret`, registered in the API console of
    /// `data_center` (a generated `DataCenter` converts into a [`Region`]). Its requests go to
    /// that data centre's accounts server.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        data_center: impl Into<Region>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            accounts_url: data_center.into().accounts_url.to_owned(),
            http: AccountsHttp::default(),
        }
    }

    /// Another accounts server than the data centre's (a test server, such as `zoho-fake`'s).
    pub fn accounts_url(mut self, url: impl Into<String>) -> Self {
        self.accounts_url = url.into();
        self
    }

    /// The app's client ID.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The page to send the user to (in a browser) to consent to `request`'s scopes. Zoho then
    /// redirects the browser to the request's `redirect_uri` with a grant code, valid for two
    /// minutes, to [`exchange_callback`](Self::exchange_callback).
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when the accounts server is not an absolute http(s) URL.
    pub fn authorization_url(&self, request: &AuthorizationRequest) -> Result<Url, Error> {
        let mut url = endpoint(&self.accounts_url, AUTHORIZATION_PATH)
            .map_err(|refusal| refusal.to_error())?;
        url.query_pairs_mut()
            .append_pair("scope", &request.scopes.join(","))
            .append_pair("client_id", &self.client_id)
            .append_pair("response_type", "code")
            .append_pair(
                "access_type",
                if request.offline { "offline" } else { "online" },
            )
            .append_pair("redirect_uri", &request.redirect_uri)
            .append_pair("state", &request.state);
        if request.consent {
            url.query_pairs_mut().append_pair("prompt", "consent");
        }
        Ok(url)
    }

    /// Exchanges a grant code for tokens (`grant_type=authorization_code`). `redirect_uri` is
    /// the one the code was requested with; a self client's code has none.
    ///
    /// A grant code works once and expires within minutes (three by default for a self
    /// client): on `invalid_code`, generate a new one.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] naming Zoho's error code (`invalid_code`, `invalid_client`...) or what
    /// was wrong with the answer; [`Error::Redirect`] when the accounts server redirected.
    pub async fn exchange_grant_code(
        &self,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> Result<GrantedTokens, Error> {
        if code.trim().is_empty() {
            return Err(Error::Auth("the grant code is empty".to_owned()));
        }
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
            ("code", code.trim()),
        ];
        if let Some(redirect_uri) = redirect_uri {
            form.push(("redirect_uri", redirect_uri));
        }
        let (status, body) = self
            .http
            .post(&self.accounts_url, TOKEN_PATH, &[], &form)
            .await
            .map_err(|refusal| refusal.to_error())?;
        let answer =
            parse_token_answer(status, &body, "exchange the grant code").map_err(Error::Auth)?;
        let now = SystemTime::now();
        tracing::info!(
            refresh_token = answer.refresh_token.is_some(),
            "exchanged a grant code for tokens"
        );
        Ok(GrantedTokens {
            tokens: StoredToken {
                access_token: answer.access_token,
                expires_at: now.checked_add(answer.lifetime).unwrap_or(now),
                api_domain: answer.api_domain,
                refresh_token: answer.refresh_token,
            },
        })
    }

    /// Exchanges the grant code of the redirect that answered `request`.
    ///
    /// Before anything is sent, the callback must carry the request's `state` (else it may be
    /// forged), and the accounts server it names, when it names one, must be this app's: the
    /// client secret only ever goes to the data centre the app was built for. A user whose
    /// account lives in another data centre gets an error naming that server; build the app
    /// for the data centre whose `accounts_url` it is.
    ///
    /// # Errors
    ///
    /// As [`exchange_grant_code`](Self::exchange_grant_code), and [`Error::Auth`] for a state or
    /// accounts server that does not match.
    pub async fn exchange_callback(
        &self,
        request: &AuthorizationRequest,
        callback: &AuthorizationCallback,
    ) -> Result<GrantedTokens, Error> {
        if callback.state.as_deref() != Some(request.state.as_str()) {
            return Err(Error::Auth(
                "the redirect's state is not the authorization request's: it may be forged, \
                 or answer another request"
                    .to_owned(),
            ));
        }
        if let Some(server) = &callback.accounts_server
            && !same_origin(server, &self.accounts_url)
        {
            return Err(Error::Auth(format!(
                "the user's account is served by the accounts server {}, not {}: build the \
                 OAuthApp for that data centre",
                printable(server),
                self.accounts_url
            )));
        }
        self.exchange_grant_code(callback.code.expose(), Some(&request.redirect_uri))
            .await
    }

    /// Revokes `refresh_token`, and with it every access token it issued.
    ///
    /// The token travels in the query string, as Zoho's page documents the call, to the
    /// accounts server only (no redirect is followed).
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] naming Zoho's error code, or the HTTP status (Zoho answers 400 for a
    /// token it does not know); [`Error::Redirect`] when the accounts server redirected.
    pub async fn revoke(&self, refresh_token: &Secret) -> Result<(), Error> {
        let query = [("token", refresh_token.expose())];
        let (status, body) = self
            .http
            .post(&self.accounts_url, REVOKE_PATH, &query, &[])
            .await
            .map_err(|refusal| refusal.to_error())?;
        parse_plain_answer(status, &body, "revoke the refresh token").map_err(Error::Auth)?;
        tracing::info!("revoked a refresh token");
        Ok(())
    }

    /// A [`RefreshToken`] of this app whose refresh token is the one `store` holds (saved there
    /// by [`GrantedTokens::save`]), refreshing at this app's accounts server.
    pub fn token_source(&self, store: impl TokenStore + 'static) -> RefreshToken {
        RefreshToken::from_store(
            self.client_id.clone(),
            self.client_secret.expose_secret(),
            store,
        )
        .accounts_url(self.accounts_url.clone())
    }
}

/// What to ask the user to consent to: [`OAuthApp::authorization_url`].
///
/// By default it asks for a refresh token (`access_type=offline`) and for consent every time
/// (`prompt=consent`), since Zoho gives a refresh token only on consent; and it carries a
/// random `state` (128 bits from the operating system) that the redirect must bring back.
#[derive(Clone)]
pub struct AuthorizationRequest {
    scopes: Vec<String>,
    redirect_uri: String,
    state: String,
    offline: bool,
    consent: bool,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("scopes", &self.scopes)
            .field("redirect_uri", &self.redirect_uri)
            .field("offline", &self.offline)
            .field("consent", &self.consent)
            .finish_non_exhaustive()
    }
}

impl AuthorizationRequest {
    /// Consent to `scopes` (such as an operation's `minimal_scopes`), answered at
    /// `redirect_uri`, which must be one the app registered.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when no scope is given, or the operating system gives no randomness
    /// for the state.
    pub fn new<S: Into<String>>(
        redirect_uri: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Result<Self, Error> {
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        if scopes.iter().all(|scope| scope.trim().is_empty()) {
            return Err(Error::Auth(
                "an authorization request needs at least one scope".to_owned(),
            ));
        }
        Ok(Self {
            scopes,
            redirect_uri: redirect_uri.into(),
            state: random_state()?,
            offline: true,
            consent: true,
        })
    }

    /// Only an access token, valid an hour, without a refresh token (`access_type=online`).
    pub fn online(mut self) -> Self {
        self.offline = false;
        self
    }

    /// Whether to ask for consent even when the user gave it before (default `true`). Without
    /// it, Zoho gives a refresh token only the first time.
    pub fn prompt_consent(mut self, consent: bool) -> Self {
        self.consent = consent;
        self
    }

    /// A state of your own instead of the random one: it must be unguessable.
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = state.into();
        self
    }

    /// The state the redirect must carry back.
    pub fn state_value(&self) -> &str {
        &self.state
    }

    /// Where Zoho redirects the browser.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The scopes asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
}

/// 128 random bits, hex.
fn random_state() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| {
        Error::Auth("the operating system gave no randomness for the OAuth state".to_owned())
    })?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// What Zoho's redirect to the app's `redirect_uri` carries: the grant code, the state, and
/// the user's data centre (`location`, `accounts-server`).
#[derive(Clone)]
pub struct AuthorizationCallback {
    code: Secret,
    state: Option<String>,
    location: Option<String>,
    accounts_server: Option<String>,
}

impl fmt::Debug for AuthorizationCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCallback")
            .field("code", &"***")
            .field("state", &self.state)
            .field("location", &self.location)
            .field("accounts_server", &self.accounts_server)
            .finish()
    }
}

impl AuthorizationCallback {
    /// Reads the redirect: the whole URL (`https://app.example/cb?code=...`), a request target
    /// (`/cb?code=...`) or just its query (`code=...&state=...`).
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when the user declined (`error=access_denied`) or Zoho sent another
    /// `error`, or the redirect carries no code.
    pub fn parse(redirect: &str) -> Result<Self, Error> {
        let query = match redirect.split_once('?') {
            Some((_, query)) => query,
            None if redirect.contains('=') => redirect,
            None => "",
        };
        let query = query.split('#').next().unwrap_or_default();
        let mut callback = Self {
            code: Secret::new(String::new()),
            state: None,
            location: None,
            accounts_server: None,
        };
        let mut error = None;
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "code" => callback.code = Secret::new(value.into_owned()),
                "state" => callback.state = Some(value.into_owned()),
                "location" => callback.location = Some(value.into_owned()),
                "accounts-server" => callback.accounts_server = Some(value.into_owned()),
                "error" => error = Some(value.into_owned()),
                _ => {}
            }
        }
        if let Some(error) = error {
            return Err(Error::Auth(format!(
                "Zoho did not grant access: {}",
                printable(&error)
            )));
        }
        if callback.code.expose().trim().is_empty() {
            return Err(Error::Auth(
                "the redirect carries no grant code (`code`)".to_owned(),
            ));
        }
        Ok(callback)
    }

    /// The grant code.
    pub fn code(&self) -> &Secret {
        &self.code
    }

    /// The state it carried back, if any.
    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }

    /// The user's data centre as Zoho names it (`us`, `eu`, `in`...), if given.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The accounts server of the user's data centre (`https://accounts.zoho.eu`), if given.
    /// Untrusted until matched against a known data centre's: see
    /// [`OAuthApp::exchange_callback`].
    pub fn accounts_server(&self) -> Option<&str> {
        self.accounts_server.as_deref()
    }
}

/// The tokens a grant code was exchanged for. `Debug` redacts them.
#[derive(Clone, Debug)]
pub struct GrantedTokens {
    /// As a store keeps them; the refresh token is in it when Zoho gave one.
    tokens: StoredToken,
}

impl GrantedTokens {
    /// The access token, valid an hour.
    pub fn access_token(&self) -> &AccessToken {
        &self.tokens.access_token
    }

    /// When the access token expires.
    pub fn expires_at(&self) -> SystemTime {
        self.tokens.expires_at
    }

    /// The API origin of the user's data centre (`api_domain`), if the answer named one.
    pub fn api_domain(&self) -> Option<&str> {
        self.tokens.api_domain.as_deref()
    }

    /// The refresh token: given for `access_type=offline` (always for a self client's code),
    /// the first time the user consents or whenever consent is prompted.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.tokens.refresh_token.as_ref()
    }

    /// Keeps the tokens in `store`, refresh token included, for
    /// [`OAuthApp::token_source`] or [`RefreshToken::from_store`].
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when the answer carried no refresh token (nothing worth keeping: ask
    /// again with `access_type=offline` and `prompt=consent`), or the store's own error.
    pub async fn save(&self, store: &dyn TokenStore) -> Result<(), Error> {
        if self.tokens.refresh_token.is_none() {
            return Err(Error::Auth(
                "Zoho gave no refresh token: ask for access_type=offline with prompt=consent"
                    .to_owned(),
            ));
        }
        store.save(&self.tokens).await
    }

    /// As a [`TokenStore`] keeps them.
    pub fn to_stored(&self) -> StoredToken {
        self.tokens.clone()
    }
}

/// Whether two URLs name the same scheme, host and port.
fn same_origin(a: &str, b: &str) -> bool {
    match (Url::parse(a), Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin() && a.origin().is_tuple(),
        _ => false,
    }
}

/// A value from a redirect, safe to print in a message: printable ASCII, bounded.
fn printable(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(100)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eu() -> Region {
        Region {
            id: "eu",
            name: "Europe",
            accounts_url: "https://accounts.zoho.eu",
        }
    }

    #[test]
    fn the_authorization_url_asks_for_a_refresh_token_with_the_state() {
        let app = OAuthApp::new("1000.ID", "secret", eu());
        let request = AuthorizationRequest::new(
            "http://127.0.0.1:8765/callback",
            [
                "ZohoCRM.modules.leads.READ",
                "ZohoCRM.modules.attachments.READ",
            ],
        )
        .expect("a request");
        let url = app.authorization_url(&request).expect("a URL");
        assert_eq!(
            url.origin().ascii_serialization(),
            "https://accounts.zoho.eu"
        );
        assert_eq!(url.path(), "/oauth/v2/auth");
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |name: &str| {
            query
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(
            get("scope"),
            Some("ZohoCRM.modules.leads.READ,ZohoCRM.modules.attachments.READ")
        );
        assert_eq!(get("client_id"), Some("1000.ID"));
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("access_type"), Some("offline"));
        assert_eq!(get("prompt"), Some("consent"));
        assert_eq!(get("redirect_uri"), Some("http://127.0.0.1:8765/callback"));
        assert_eq!(get("state"), Some(request.state_value()));
        assert_eq!(request.state_value().len(), 32);
        assert!(!url.as_str().contains("secret"));

        let online = request.clone().online().prompt_consent(false);
        let url = app.authorization_url(&online).expect("a URL");
        assert!(url.as_str().contains("access_type=online"));
        assert!(!url.as_str().contains("prompt="));
    }

    #[test]
    fn states_are_random_and_scopes_required() {
        let a = AuthorizationRequest::new("http://x", ["s"]).expect("a request");
        let b = AuthorizationRequest::new("http://x", ["s"]).expect("a request");
        assert_ne!(a.state_value(), b.state_value());
        assert!(AuthorizationRequest::new("http://x", Vec::<String>::new()).is_err());
        assert!(AuthorizationRequest::new("http://x", [" "]).is_err());
    }

    #[test]
    fn a_callback_is_read_from_a_url_a_target_or_a_query() {
        for redirect in [
            "http://127.0.0.1:8765/callback?state=abc&code=1000.c0de&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu",
            "/callback?state=abc&code=1000.c0de&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu#frag",
            "state=abc&code=1000.c0de&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu",
        ] {
            let callback = AuthorizationCallback::parse(redirect).expect("a callback");
            assert_eq!(callback.code().expose(), "1000.c0de");
            assert_eq!(callback.state(), Some("abc"));
            assert_eq!(callback.location(), Some("eu"));
            assert_eq!(callback.accounts_server(), Some("https://accounts.zoho.eu"));
            assert!(!format!("{callback:?}").contains("c0de"));
        }
    }

    #[test]
    fn a_declined_or_empty_callback_is_an_error() {
        let declined = AuthorizationCallback::parse("/cb?error=access_denied&state=abc");
        assert_eq!(
            declined.err().map(|error| error.to_string()),
            Some(Error::Auth("Zoho did not grant access: access_denied".to_owned()).to_string())
        );
        assert!(AuthorizationCallback::parse("/cb?state=abc").is_err());
        assert!(AuthorizationCallback::parse("/cb").is_err());
        assert!(AuthorizationCallback::parse("").is_err());
        let hostile = AuthorizationCallback::parse("/cb?error=%0d%0aX-Evil:%201")
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(
            !hostile.contains('\n') && !hostile.contains('\r'),
            "{hostile}"
        );
    }

    #[test]
    fn origins_compare_by_scheme_host_and_port() {
        assert!(same_origin(
            "https://accounts.zoho.eu",
            "https://accounts.zoho.eu/"
        ));
        assert!(!same_origin(
            "https://accounts.zoho.eu",
            "https://accounts.zoho.com"
        ));
        assert!(!same_origin(
            "http://accounts.zoho.eu",
            "https://accounts.zoho.eu"
        ));
        assert!(!same_origin(
            "https://accounts.zoho.eu.evil",
            "https://accounts.zoho.eu"
        ));
        assert!(!same_origin("not a url", "not a url"));
    }

    #[test]
    fn debug_shows_no_secret() {
        let app = OAuthApp::new("1000.ID", "the-secret", eu());
        let text = format!("{app:?}");
        assert!(
            text.contains("1000.ID") && text.contains("accounts.zoho.eu"),
            "{text}"
        );
        assert!(!text.contains("the-secret"), "{text}");
        let granted = GrantedTokens {
            tokens: StoredToken {
                access_token: AccessToken::new("1000.access"),
                expires_at: SystemTime::UNIX_EPOCH,
                api_domain: None,
                refresh_token: Some(Secret::new("1000.refresh")),
            },
        };
        let text = format!("{granted:?}");
        assert!(
            !text.contains("1000.access") && !text.contains("1000.refresh"),
            "{text}"
        );
    }
}
