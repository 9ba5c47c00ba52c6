//! Requests to a data centre's accounts (OAuth) server: refreshing a token, exchanging a grant
//! code, revoking a refresh token. They carry the client secret or a refresh token, so they
//! share one careful path: an HTTP client that follows no redirect, a bounded answer, and
//! messages that never quote what the server sent.

use std::sync::OnceLock;
use std::time::Duration;

use http::HeaderValue;
use http::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{Map, Value};
use url::Url;

use crate::auth::Secret;
use crate::{AccessToken, Error, RedirectError};

/// Zoho's access tokens live an hour; assumed when an answer omits `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(60 * 60);
/// No token is trusted for longer than this, whatever `expires_in` says.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// The whole request, answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Connect timeout unless a client builder gave its own.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A token answer is a few hundred bytes; more is not read.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Why a request to the accounts server failed, without secrets.
#[derive(Clone, Debug)]
pub(crate) enum Refusal {
    /// A message for [`Error::Auth`].
    Message(String),
    /// The accounts server redirected the request.
    Redirect(RedirectError),
}

impl Refusal {
    pub(crate) fn to_error(&self) -> Error {
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

/// The HTTP client of accounts requests: one of their own, built on first use, that follows
/// no redirect (a client given to the builder for API calls may follow them).
#[derive(Default)]
pub(crate) struct AccountsHttp {
    connect_timeout: OnceLock<Duration>,
    http: OnceLock<reqwest::Client>,
}

impl AccountsHttp {
    /// Connect with this timeout (the first call wins; 10 s when never called).
    pub(crate) fn set_connect_timeout(&self, timeout: Duration) {
        let _ = self.connect_timeout.set(timeout);
    }

    fn client(&self) -> Result<reqwest::Client, Refusal> {
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

    /// `POST {accounts}{path}?{query}` with `form` as an `application/x-www-form-urlencoded`
    /// body (where Zoho's token page asks for its parameters, "for security reasons"): the HTTP
    /// status and the answer, read up to 64 KiB.
    pub(crate) async fn post(
        &self,
        accounts: &str,
        path: &str,
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<(u16, Vec<u8>), Refusal> {
        let mut url = endpoint(accounts, path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        // What a redirect error may name: never the query, which can hold a token.
        let mut requested = url.clone();
        requested.set_query(None);
        let http = self.client()?;
        // Serialised before any await: the serializer is not `Send`.
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
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
            .body(body)
            .timeout(REQUEST_TIMEOUT)
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
        let mut answer = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if answer.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(Refusal::Message(format!(
                    "the accounts server's answer is over {} KiB; a token answer is a few \
                     hundred bytes",
                    MAX_ANSWER_BYTES / 1024
                )));
            }
            answer.extend_from_slice(&chunk);
        }
        Ok((status.as_u16(), answer))
    }
}

/// `{accounts}{path}`, when `accounts` is an absolute http(s) URL.
pub(crate) fn endpoint(accounts: &str, path: &str) -> Result<Url, Refusal> {
    Url::parse(&format!("{}{path}", accounts.trim_end_matches('/')))
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
        .ok_or_else(|| Refusal::from("the accounts server is not an absolute http(s) URL"))
}

/// What the accounts server answered a token request with.
pub(crate) struct TokenAnswer {
    pub(crate) access_token: AccessToken,
    pub(crate) lifetime: Duration,
    pub(crate) api_domain: Option<String>,
    /// Only in answers to a grant-code exchange with `access_type=offline`.
    pub(crate) refresh_token: Option<Secret>,
}

/// Reads `{"access_token", "expires_in", "api_domain", "token_type"[, "refresh_token"]}` or
/// `{"error": "..."}`; `action` completes "the accounts server refused to ...". The message of
/// an error never quotes the body.
pub(crate) fn parse_token_answer(
    status: u16,
    body: &[u8],
    action: &str,
) -> Result<TokenAnswer, String> {
    let answer = json_answer(status, body, action)?;
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
    let refresh_token = match answer.get("refresh_token") {
        None | Some(Value::Null) => None,
        Some(Value::String(token)) if !token.trim().is_empty() => Some(Secret::new(token.clone())),
        Some(_) => return Err("the accounts server's answer has an invalid refresh_token".into()),
    };
    Ok(TokenAnswer {
        access_token,
        lifetime: Duration::from_secs(seconds).min(MAX_LIFETIME),
        api_domain: answer
            .get("api_domain")
            .and_then(Value::as_str)
            .map(str::to_owned),
        refresh_token,
    })
}

/// Reads an answer that only says whether it worked (revocation): a 2xx without `error`.
pub(crate) fn parse_plain_answer(status: u16, body: &[u8], action: &str) -> Result<(), String> {
    if body.iter().all(u8::is_ascii_whitespace) && (200..300).contains(&status) {
        return Ok(());
    }
    json_answer(status, body, action).map(drop)
}

/// The answer as a JSON object, or why it is a failure: an `error` code, a non-2xx status, or
/// something that is not JSON.
fn json_answer(status: u16, body: &[u8], action: &str) -> Result<Map<String, Value>, String> {
    let http_error = || format!("the accounts server answered HTTP {status}");
    let Ok(Value::Object(answer)) = serde_json::from_slice::<Value>(body) else {
        return Err(if (200..300).contains(&status) {
            "the accounts server's answer is not a JSON object".to_owned()
        } else {
            http_error()
        });
    };
    // Zoho's accounts server answers 200 with `{"error": ...}` too.
    if let Some(code) = answer.get("error") {
        return Err(format!(
            "the accounts server refused to {action}: {}",
            error_code(code)
        ));
    }
    if !(200..300).contains(&status) {
        return Err(http_error());
    }
    Ok(answer)
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

    const REFRESH: &str = "refresh the token";

    #[test]
    fn a_token_answer_is_read() {
        let answer = parse_token_answer(
            200,
            br#"{"access_token":"1000.abc","expires_in":3600,"api_domain":"https://www.zohoapis.eu","token_type":"Bearer"}"#,
            REFRESH,
        )
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(answer.access_token.expose(), "1000.abc");
        assert_eq!(answer.lifetime, Duration::from_secs(3600));
        assert_eq!(
            answer.api_domain.as_deref(),
            Some("https://www.zohoapis.eu")
        );
        assert!(answer.refresh_token.is_none());

        let lenient =
            parse_token_answer(200, br#"{"access_token":"t","expires_in":"120"}"#, REFRESH)
                .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(lenient.lifetime, Duration::from_secs(120));
        let huge = parse_token_answer(
            200,
            br#"{"access_token":"t","expires_in":99999999999}"#,
            REFRESH,
        )
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(huge.lifetime, MAX_LIFETIME);
    }

    #[test]
    fn a_grant_answer_carries_the_refresh_token() {
        let answer = parse_token_answer(
            200,
            br#"{"access_token":"1000.a","refresh_token":"1000.r","expires_in":3600}"#,
            "exchange the grant code",
        )
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            answer.refresh_token.as_ref().map(Secret::expose),
            Some("1000.r")
        );
        let bad = parse_token_answer(
            200,
            br#"{"access_token":"1000.a","refresh_token":7}"#,
            "exchange the grant code",
        );
        assert!(bad.is_err());
    }

    #[test]
    fn failures_name_the_error_code_but_never_the_body() {
        let refused = parse_token_answer(200, br#"{"error":"invalid_code"}"#, REFRESH).err();
        assert_eq!(
            refused.as_deref(),
            Some("the accounts server refused to refresh the token: invalid_code")
        );
        let hostile = parse_token_answer(400, b"{\"error\":\"bad\\r\\nX-Evil: 1\"}", REFRESH).err();
        assert_eq!(
            hostile.as_deref(),
            Some("the accounts server refused to refresh the token: badX-Evil1")
        );
        for (status, body) in [
            (500, &b"<html>secret-ish page</html>"[..]),
            (200, b"not json 1000.leaked"),
            (200, br#"{"access_token":"","expires_in":3600}"#),
            (200, br#"{"access_token":"1000.leaked","expires_in":-1}"#),
            (
                200,
                br#"{"access_token":"1000.leaked","refresh_token":["1000.leaked"]}"#,
            ),
        ] {
            let message = parse_token_answer(status, body, REFRESH)
                .err()
                .expect("a failure");
            assert!(
                !message.contains("leaked") && !message.contains("secret"),
                "{message}"
            );
        }
    }

    #[test]
    fn a_plain_answer_succeeds_only_without_an_error() {
        assert!(parse_plain_answer(200, b"", "revoke").is_ok());
        assert!(parse_plain_answer(200, br#"{"status":"success"}"#, "revoke").is_ok());
        assert_eq!(
            parse_plain_answer(200, br#"{"error":"invalid_token"}"#, "revoke the token").err(),
            Some("the accounts server refused to revoke the token: invalid_token".to_owned())
        );
        assert_eq!(
            parse_plain_answer(400, b"", "revoke").err(),
            Some("the accounts server answered HTTP 400".to_owned())
        );
    }

    #[test]
    fn the_endpoint_must_be_an_absolute_http_url() {
        assert_eq!(
            endpoint("https://accounts.zoho.eu/", "/oauth/v2/token")
                .ok()
                .map(String::from),
            Some("https://accounts.zoho.eu/oauth/v2/token".to_owned())
        );
        for bad in [
            "accounts.zoho.eu",
            "file:///etc",
            "ftp://accounts.zoho.eu",
            "",
        ] {
            assert!(endpoint(bad, "/oauth/v2/token").is_err(), "{bad}");
        }
    }
}
