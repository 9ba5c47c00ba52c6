//! Access tokens the fake issues, and the accounts server's token endpoint.

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
}

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
    pub(crate) lifetime: Duration,
    pub(crate) credentials: RefreshCredentials,
    pub(crate) refreshes: u64,
}

impl Tokens {
    pub(crate) fn new(lifetime: Duration, credentials: RefreshCredentials) -> Self {
        Self {
            issued: HashMap::new(),
            lifetime,
            credentials,
            refreshes: 0,
        }
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
        self.issued
            .insert(token.clone(), Issued { scopes, expires_at });
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

    /// Answers a token request (`application/x-www-form-urlencoded` in the query or body).
    pub(crate) fn token_request(
        &mut self,
        form: &HashMap<String, String>,
        base_url: &str,
    ) -> Value {
        let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
        if field("grant_type") != "refresh_token" {
            return json!({"error": "unsupported_grant_type"});
        }
        let credentials = &self.credentials;
        if field("client_id") != credentials.client_id
            || field("client_secret") != credentials.client_secret
            || field("refresh_token") != credentials.refresh_token
        {
            return json!({"error": "invalid_code"});
        }
        self.refreshes += 1;
        let token = self.issue(Scopes::All, false);
        json!({
            "access_token": token,
            "expires_in": self.lifetime.as_secs(),
            "api_domain": base_url,
            "token_type": "Bearer",
        })
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
}
