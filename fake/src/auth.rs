//! Access tokens the fake issues, and the accounts server: the token endpoint (refresh and
//! grant-code exchange), the consent page (which consents at once) and revocation.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http::HeaderMap;
use http::header::AUTHORIZATION;
use serde_json::{Value, json};
use zoho_runtime::ScopeRule;

use crate::errors::ZohoError;

/// What a token may do.
#[derive(Debug, Clone)]
pub(crate) enum Scopes {
    /// Every scope (the token printed at start-up).
    All,
    /// Exactly these.
    Only(Vec<String>),
}

impl Scopes {
    pub(crate) fn allow(&self, rule: &ScopeRule, module_scope: Option<&str>) -> bool {
        match self {
            Scopes::All => true,
            Scopes::Only(granted) => rule.is_satisfied_by(module_scope, granted),
        }
    }
}

#[derive(Debug)]
struct Issued {
    scopes: Scopes,
    expires_at: Instant,
    /// The refresh token that minted it, revoked with it.
    refresh_token: Option<String>,
}

/// A grant code not yet exchanged.
#[derive(Debug)]
struct Grant {
    scopes: Scopes,
    expires_at: Instant,
    /// The redirect URI it was requested with; the exchange must name the same. `None` for a
    /// self client's code.
    redirect_uri: Option<String>,
    /// `access_type=offline`: the exchange also gives a refresh token.
    offline: bool,
}

/// Zoho's self-client codes live 3 minutes by default and up to 10; the fake's live 10.
pub(crate) const SELF_CLIENT_CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// "An authorization code ... valid for 2 minutes" (Zoho's authorization request page).
const REDIRECT_CODE_LIFETIME: Duration = Duration::from_secs(2 * 60);

/// Credentials the token endpoint accepts for `grant_type=refresh_token`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshCredentials {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret`.
    pub client_secret: String,
    /// `refresh_token`.
    pub refresh_token: String,
}

/// Fixed, so scripts can rely on them: `1000.FAKEZOHOCLIENTID`, `fake-zoho-client-secret`,
/// `1000.fake-zoho-refresh-token`.
impl Default for RefreshCredentials {
    fn default() -> Self {
        Self {
            client_id: "1000.FAKEZOHOCLIENTID".to_owned(),
            client_secret: "fake-zoho-client-secret".to_owned(),
            refresh_token: "1000.fake-zoho-refresh-token".to_owned(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Tokens {
    issued: HashMap<String, Issued>,
    /// Refresh tokens not revoked, with the scopes they grant: the configured one, and those
    /// grant-code exchanges issued.
    refresh_tokens: HashMap<String, Scopes>,
    grants: HashMap<String, Grant>,
    pub(crate) lifetime: Duration,
    pub(crate) credentials: RefreshCredentials,
    pub(crate) refreshes: u64,
    /// The consent page answers `error=access_denied`, as when the user declines.
    pub(crate) decline_consent: bool,
}

/// How the consent page answers.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Consent {
    /// Redirect the browser here (`redirect_uri` with the code or the error).
    Redirect(String),
    /// Refuse without redirecting: the request names no client or redirect URI to trust.
    Refuse(Value),
}

impl Tokens {
    pub(crate) fn new(lifetime: Duration, credentials: RefreshCredentials) -> Self {
        let refresh_tokens = HashMap::from([(credentials.refresh_token.clone(), Scopes::All)]);
        Self {
            issued: HashMap::new(),
            refresh_tokens,
            grants: HashMap::new(),
            lifetime,
            credentials,
            refreshes: 0,
            decline_consent: false,
        }
    }

    /// A self client's grant code for `scopes`, as the API console's "Generate Code" gives.
    pub(crate) fn grant_code(&mut self, scopes: Scopes, lifetime: Duration) -> String {
        let code = new_token();
        self.grants.insert(
            code.clone(),
            Grant {
                scopes,
                expires_at: Instant::now() + lifetime,
                redirect_uri: None,
                offline: true,
            },
        );
        code
    }

    /// The consent page (`GET /oauth/v2/auth`): a user who consents at once (or declines,
    /// with [`decline_consent`](Self::decline_consent)).
    pub(crate) fn consent(&mut self, query: &HashMap<String, String>, base_url: &str) -> Consent {
        let field = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
        if field("client_id") != self.credentials.client_id {
            return Consent::Refuse(json!({"error": "invalid_client"}));
        }
        let redirect_uri = field("redirect_uri");
        let Ok(mut target) = url::Url::parse(redirect_uri) else {
            return Consent::Refuse(json!({"error": "invalid_redirect_uri"}));
        };
        if !matches!(target.scheme(), "http" | "https") {
            return Consent::Refuse(json!({"error": "invalid_redirect_uri"}));
        }
        let scopes: Vec<String> = field("scope")
            .split(',')
            .map(str::trim)
            .filter(|scope| !scope.is_empty())
            .map(str::to_owned)
            .collect();
        let error = if field("response_type") != "code" {
            Some("unsupported_response_type")
        } else if scopes.is_empty() {
            Some("invalid_scope")
        } else if self.decline_consent {
            Some("access_denied")
        } else {
            None
        };
        {
            let mut pairs = target.query_pairs_mut();
            match error {
                Some(error) => {
                    pairs.append_pair("error", error);
                }
                None => {
                    let code = new_token();
                    self.grants.insert(
                        code.clone(),
                        Grant {
                            scopes: Scopes::Only(scopes),
                            expires_at: Instant::now() + REDIRECT_CODE_LIFETIME,
                            redirect_uri: Some(redirect_uri.to_owned()),
                            offline: field("access_type") == "offline",
                        },
                    );
                    pairs.append_pair("code", &code);
                }
            }
            if let Some(state) = query.get("state") {
                pairs.append_pair("state", state);
            }
            pairs
                .append_pair("location", "us")
                .append_pair("accounts-server", base_url);
        }
        Consent::Redirect(target.into())
    }

    /// Revokes `refresh_token` and every access token it minted; `false` when unknown.
    pub(crate) fn revoke(&mut self, refresh_token: &str) -> bool {
        if self.refresh_tokens.remove(refresh_token).is_none() {
            return false;
        }
        self.issued
            .retain(|_, issued| issued.refresh_token.as_deref() != Some(refresh_token));
        true
    }

    /// A new token valid for `lifetime` from now (a past instant when `expired`).
    pub(crate) fn issue(&mut self, scopes: Scopes, expired: bool) -> String {
        let token = new_token();
        let now = Instant::now();
        let expires_at = if expired {
            now.checked_sub(Duration::from_secs(1)).unwrap_or(now)
        } else {
            now + self.lifetime
        };
        self.issued.insert(
            token.clone(),
            Issued {
                scopes,
                expires_at,
                refresh_token: None,
            },
        );
        token
    }

    /// The scopes of the token in `Authorization: Zoho-oauthtoken <token>`.
    pub(crate) fn authorize(&self, headers: &HeaderMap) -> Result<Scopes, AuthFailure> {
        let token = headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                let (scheme, token) = value.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("Zoho-oauthtoken")
                    .then(|| token.trim())
            })
            .filter(|token| !token.is_empty())
            .ok_or(AuthFailure::Missing)?;
        let issued = self.issued.get(token).ok_or(AuthFailure::Invalid)?;
        if issued.expires_at <= Instant::now() {
            return Err(AuthFailure::Invalid);
        }
        Ok(issued.scopes.clone())
    }

    /// Answers a token request (`application/x-www-form-urlencoded` in the query or body):
    /// `grant_type=refresh_token` or `authorization_code`.
    pub(crate) fn token_request(
        &mut self,
        form: &HashMap<String, String>,
        base_url: &str,
    ) -> Value {
        let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
        let client_ok = field("client_id") == self.credentials.client_id
            && field("client_secret") == self.credentials.client_secret;
        // The scopes of the new access token, the refresh token it belongs to, and whether
        // that refresh token is new (and so part of the answer).
        let (scopes, minted_by, new_refresh_token) = match field("grant_type") {
            "refresh_token" => {
                let refresh_token = field("refresh_token");
                match self.refresh_tokens.get(refresh_token) {
                    Some(scopes) if client_ok => {
                        (scopes.clone(), Some(refresh_token.to_owned()), false)
                    }
                    _ => return json!({"error": "invalid_code"}),
                }
            }
            "authorization_code" => {
                if !client_ok {
                    return json!({"error": "invalid_client"});
                }
                // A code works once, whatever the outcome.
                let Some(grant) = self.grants.remove(field("code")) else {
                    return json!({"error": "invalid_code"});
                };
                let redirect_ok = grant
                    .redirect_uri
                    .as_deref()
                    .is_none_or(|uri| uri == field("redirect_uri"));
                if grant.expires_at <= Instant::now() || !redirect_ok {
                    return json!({"error": "invalid_code"});
                }
                if grant.offline {
                    let refresh_token = new_token();
                    self.refresh_tokens
                        .insert(refresh_token.clone(), grant.scopes.clone());
                    (grant.scopes, Some(refresh_token), true)
                } else {
                    (grant.scopes, None, false)
                }
            }
            _ => return json!({"error": "unsupported_grant_type"}),
        };
        self.refreshes += 1;
        let token = self.issue(scopes, false);
        if let Some(issued) = self.issued.get_mut(&token) {
            issued.refresh_token.clone_from(&minted_by);
        }
        let mut answer = json!({
            "access_token": token,
            "expires_in": self.lifetime.as_secs(),
            "api_domain": base_url,
            "token_type": "Bearer",
        });
        if let Some(refresh_token) = minted_by.filter(|_| new_refresh_token) {
            answer["refresh_token"] = refresh_token.into();
        }
        answer
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    /// No `Authorization` header, or not `Zoho-oauthtoken <token>`.
    Missing,
    /// A token this server never issued, or one that expired.
    Invalid,
}

impl AuthFailure {
    pub(crate) fn into_error(self, op: &zoho_attachments::model::Operation) -> ZohoError {
        match self {
            AuthFailure::Missing => {
                ZohoError::for_op(op, "AUTHENTICATION_FAILURE", None, json!({}))
            }
            AuthFailure::Invalid => ZohoError::for_op(op, "INVALID_TOKEN", None, json!({})),
        }
    }
}

/// `1000.<32 hex>.<32 hex>`, the shape of Zoho's access tokens.
pub(crate) fn new_token() -> String {
    format!("1000.{}.{}", random_hex(32), random_hex(32))
}

/// Hex digits that differ between calls and processes (no cryptographic strength needed).
pub(crate) fn random_hex(len: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn credentials() -> RefreshCredentials {
        RefreshCredentials {
            client_id: "id".into(),
            client_secret: "secret".into(),
            refresh_token: "refresh".into(),
        }
    }

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn tokens_are_checked_by_scheme_value_and_expiry() {
        let mut tokens = Tokens::new(Duration::from_secs(60), credentials());
        let good = tokens.issue(Scopes::All, false);
        let old = tokens.issue(Scopes::All, true);
        assert!(
            tokens
                .authorize(&headers(&format!("Zoho-oauthtoken {good}")))
                .is_ok()
        );
        assert!(
            tokens
                .authorize(&headers(&format!("zoho-oauthtoken {good}")))
                .is_ok()
        );
        assert_eq!(
            tokens
                .authorize(&headers(&format!("Bearer {good}")))
                .unwrap_err(),
            AuthFailure::Missing
        );
        assert_eq!(
            tokens.authorize(&HeaderMap::new()).unwrap_err(),
            AuthFailure::Missing
        );
        assert_eq!(
            tokens.authorize(&headers("Zoho-oauthtoken ")).unwrap_err(),
            AuthFailure::Missing
        );
        assert_eq!(
            tokens
                .authorize(&headers(&format!("Zoho-oauthtoken {old}")))
                .unwrap_err(),
            AuthFailure::Invalid
        );
        assert_eq!(
            tokens
                .authorize(&headers("Zoho-oauthtoken 1000.nope"))
                .unwrap_err(),
            AuthFailure::Invalid
        );
    }

    #[test]
    fn token_shape_is_zohos() {
        let token = new_token();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts[0], "1000");
        assert_eq!(parts[1].len(), 32);
        assert_eq!(parts[2].len(), 32);
        assert_ne!(new_token(), token);
    }

    #[test]
    fn refresh_needs_all_three_credentials() {
        let mut tokens = Tokens::new(Duration::from_secs(60), credentials());
        let form = |secret: &str| {
            HashMap::from([
                ("grant_type".to_owned(), "refresh_token".to_owned()),
                ("client_id".to_owned(), "id".to_owned()),
                ("client_secret".to_owned(), secret.to_owned()),
                ("refresh_token".to_owned(), "refresh".to_owned()),
            ])
        };
        assert_eq!(
            tokens.token_request(&form("wrong"), "http://x"),
            json!({"error": "invalid_code"})
        );
        assert_eq!(tokens.refreshes, 0);
        let answer = tokens.token_request(&form("secret"), "http://x");
        assert_eq!(answer["api_domain"], "http://x");
        assert_eq!(answer["expires_in"], 60);
        assert_eq!(tokens.refreshes, 1);
        let token = answer["access_token"].as_str().unwrap();
        assert!(
            tokens
                .authorize(&headers(&format!("Zoho-oauthtoken {token}")))
                .is_ok()
        );
    }

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn consent_redirects_with_a_code_bound_to_its_redirect_uri() {
        let mut tokens = Tokens::new(Duration::from_secs(60), credentials());
        let consent = tokens.consent(
            &query(&[
                ("client_id", "id"),
                ("response_type", "code"),
                ("redirect_uri", "http://127.0.0.1:1/cb"),
                ("scope", "ZohoCRM.modules.leads.READ"),
                ("access_type", "offline"),
                ("state", "s1"),
            ]),
            "http://fake",
        );
        let Consent::Redirect(location) = consent else {
            panic!("expected a redirect, got {consent:?}");
        };
        let url = url::Url::parse(&location).unwrap();
        let pairs: HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs["state"], "s1");
        assert_eq!(pairs["accounts-server"], "http://fake");
        let exchange = |tokens: &mut Tokens, redirect_uri: &str| {
            tokens.token_request(
                &query(&[
                    ("grant_type", "authorization_code"),
                    ("client_id", "id"),
                    ("client_secret", "secret"),
                    ("code", &pairs["code"]),
                    ("redirect_uri", redirect_uri),
                ]),
                "http://fake",
            )
        };
        let answer = exchange(&mut tokens, "http://127.0.0.1:1/cb");
        let refresh = answer["refresh_token"].as_str().expect("a refresh token");
        assert!(tokens.refresh_tokens.contains_key(refresh));
        // Once only.
        assert_eq!(
            exchange(&mut tokens, "http://127.0.0.1:1/cb"),
            json!({"error": "invalid_code"})
        );
    }

    #[test]
    fn consent_refuses_unknown_clients_and_reports_bad_requests_to_the_app() {
        let mut tokens = Tokens::new(Duration::from_secs(60), credentials());
        let unknown = tokens.consent(
            &query(&[("client_id", "other"), ("redirect_uri", "http://x/cb")]),
            "http://fake",
        );
        assert_eq!(unknown, Consent::Refuse(json!({"error": "invalid_client"})));
        let no_uri = tokens.consent(&query(&[("client_id", "id")]), "http://fake");
        assert_eq!(
            no_uri,
            Consent::Refuse(json!({"error": "invalid_redirect_uri"}))
        );
        let no_scope = tokens.consent(
            &query(&[
                ("client_id", "id"),
                ("response_type", "code"),
                ("redirect_uri", "http://x/cb"),
            ]),
            "http://fake",
        );
        assert!(
            matches!(&no_scope, Consent::Redirect(to) if to.contains("error=invalid_scope")),
            "{no_scope:?}"
        );
    }

    #[test]
    fn revoking_a_refresh_token_ends_its_access_tokens() {
        let mut tokens = Tokens::new(Duration::from_secs(60), credentials());
        let answer = tokens.token_request(
            &query(&[
                ("grant_type", "refresh_token"),
                ("client_id", "id"),
                ("client_secret", "secret"),
                ("refresh_token", "refresh"),
            ]),
            "http://x",
        );
        let access = answer["access_token"].as_str().unwrap().to_owned();
        let other = tokens.issue(Scopes::All, false);
        assert!(tokens.revoke("refresh"));
        assert!(!tokens.revoke("refresh"));
        let header = |token: &str| headers(&format!("Zoho-oauthtoken {token}"));
        assert_eq!(
            tokens.authorize(&header(&access)).unwrap_err(),
            AuthFailure::Invalid
        );
        assert!(tokens.authorize(&header(&other)).is_ok());
    }
}
