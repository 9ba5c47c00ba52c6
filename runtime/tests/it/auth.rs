//! Refresh-token auth against a fake accounts server and API that misbehave on purpose.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures::future::join_all;
use zoho_runtime::{
    AccessToken, BoxFuture, Client, Error, FilePart, MemoryTokenStore, Method, Multipart,
    OperationInfo, OperationKind, RefreshToken, Region, Request, Secret, Server, StoredToken,
    TokenStore,
};

use crate::support::{LIST, UPLOAD, fast_retries, serve};

const CLIENT_ID: &str = "1000.CLIENT-ID-77";
const CLIENT_SECRET: &str = "client-secret-5e3f";
const REFRESH: &str = "1000.refresh-token-a9b8";

const INVALID_TOKEN: &str =
    r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#;

/// A fake Zoho: an accounts server issuing `1000.issued-N` tokens at
/// `/oauth/v2/token`, and an API everywhere else that accepts only tokens it issued
/// and has not revoked.
#[derive(Default)]
struct Fake {
    token_hits: AtomicUsize,
    /// The form bodies of the token requests.
    token_forms: Mutex<Vec<String>>,
    expires_in: Mutex<u64>,
    api_domain: Mutex<Option<String>>,
    /// Answer token requests with this JSON and status instead of a token.
    token_failure: Mutex<Option<(u16, String)>>,
    /// Delay of each token answer, to let concurrent callers pile up.
    token_delay: Mutex<Duration>,
    issued: Mutex<HashSet<String>>,
    revoked: Mutex<HashSet<String>>,
    reject_all: Mutex<bool>,
    /// Rejected requests wait here until this many have arrived.
    rejection_barrier: Mutex<Option<Arc<tokio::sync::Barrier>>>,
    /// The token of every API request, in arrival order.
    api_tokens: Mutex<Vec<String>>,
}

impl Fake {
    async fn start() -> (String, Arc<Fake>) {
        let fake = Arc::new(Fake {
            expires_in: Mutex::new(3600),
            ..Fake::default()
        });
        let app = Router::new()
            .route("/oauth/v2/token", post(issue))
            .fallback(api)
            .with_state(fake.clone());
        (serve(app).await, fake)
    }

    fn token_hits(&self) -> usize {
        self.token_hits.load(Ordering::SeqCst)
    }

    fn api_tokens(&self) -> Vec<String> {
        self.api_tokens.lock().unwrap().clone()
    }

    /// Accepts `token` as if it had issued it.
    fn accept(&self, token: &str) {
        self.issued.lock().unwrap().insert(token.to_owned());
    }

    fn revoke(&self, token: &str) {
        self.revoked.lock().unwrap().insert(token.to_owned());
    }
}

async fn issue(State(fake): State<Arc<Fake>>, body: String) -> Response {
    let n = fake.token_hits.fetch_add(1, Ordering::SeqCst) + 1;
    fake.token_forms.lock().unwrap().push(body);
    let delay = *fake.token_delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some((status, body)) = fake.token_failure.lock().unwrap().clone() {
        return (StatusCode::from_u16(status).unwrap(), body).into_response();
    }
    let token = format!("1000.issued-{n}");
    fake.accept(&token);
    let mut answer = serde_json::json!({
        "access_token": token,
        "expires_in": *fake.expires_in.lock().unwrap(),
        "token_type": "Bearer",
    });
    if let Some(domain) = fake.api_domain.lock().unwrap().clone() {
        answer["api_domain"] = domain.into();
    }
    axum::Json(answer).into_response()
}

async fn api(State(fake): State<Arc<Fake>>, headers: HeaderMap) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Zoho-oauthtoken "))
        .unwrap_or_default()
        .to_owned();
    fake.api_tokens.lock().unwrap().push(token.clone());
    let valid = fake.issued.lock().unwrap().contains(&token)
        && !fake.revoked.lock().unwrap().contains(&token)
        && !*fake.reject_all.lock().unwrap();
    if valid {
        return (StatusCode::OK, r#"{"data":[]}"#).into_response();
    }
    let barrier = fake.rejection_barrier.lock().unwrap().clone();
    if let Some(barrier) = barrier {
        barrier.wait().await;
    }
    (StatusCode::UNAUTHORIZED, INVALID_TOKEN).into_response()
}

fn refresh_token(url: &str) -> RefreshToken {
    RefreshToken::new(CLIENT_ID, CLIENT_SECRET, REFRESH).accounts_url(url)
}

fn client(url: &str, source: RefreshToken) -> Client {
    Client::builder()
        .base_url(url)
        .token_source(source)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

async fn list(client: &Client) -> Result<zoho_runtime::Response, Error> {
    client.send(&LIST, Request::new("/files".into())).await
}

/// A store holding a token that expires `from_now` from now.
async fn store_with(token: &str, expires_at: SystemTime) -> Arc<MemoryTokenStore> {
    let store = Arc::new(MemoryTokenStore::default());
    store
        .save(&StoredToken {
            access_token: AccessToken::new(token),
            expires_at,
            api_domain: None,
            refresh_token: None,
        })
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn refresh_posts_the_form_zoho_documents() {
    let (url, fake) = Fake::start().await;
    list(&client(&url, refresh_token(&url))).await.unwrap();

    let forms = fake.token_forms.lock().unwrap().clone();
    let fields: HashSet<(String, String)> = url::form_urlencoded::parse(forms[0].as_bytes())
        .into_owned()
        .collect();
    let expected: HashSet<(String, String)> = [
        ("grant_type", "refresh_token"),
        ("refresh_token", REFRESH),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    assert_eq!(fields, expected);
    assert_eq!(fake.api_tokens(), ["1000.issued-1"]);
}

#[tokio::test]
async fn sixty_four_concurrent_calls_with_an_expired_token_share_one_refresh() {
    let (url, fake) = Fake::start().await;
    // Slow enough that every call finds the refresh still in flight.
    *fake.token_delay.lock().unwrap() = Duration::from_millis(200);
    let expired = SystemTime::now() - Duration::from_secs(60);
    let source = refresh_token(&url).store(store_with("1000.expired", expired).await);
    let client = client(&url, source);

    let calls = (0..64).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { list(&client).await })
    });
    let results = join_all(calls).await;

    assert!(results.iter().all(|result| matches!(result, Ok(Ok(_)))));
    assert_eq!(fake.token_hits(), 1);
    let tokens = fake.api_tokens();
    assert_eq!(tokens.len(), 64);
    assert!(
        tokens.iter().all(|token| token == "1000.issued-1"),
        "{tokens:?}"
    );
}

#[tokio::test]
async fn a_revoked_token_is_refreshed_once_and_the_request_retried() {
    let (url, fake) = Fake::start().await;
    let client = client(&url, refresh_token(&url));
    list(&client).await.unwrap();

    fake.revoke("1000.issued-1");
    list(&client).await.unwrap();

    assert_eq!(fake.token_hits(), 2);
    assert_eq!(
        fake.api_tokens(),
        ["1000.issued-1", "1000.issued-1", "1000.issued-2"]
    );
}

#[tokio::test]
async fn twenty_concurrent_rejections_of_one_token_cause_one_refresh() {
    let (url, fake) = Fake::start().await;
    let client = client(&url, refresh_token(&url));
    list(&client).await.unwrap();

    fake.revoke("1000.issued-1");
    // No 401 is answered before all twenty requests carry the revoked token.
    *fake.rejection_barrier.lock().unwrap() = Some(Arc::new(tokio::sync::Barrier::new(20)));
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { list(&client).await })
    });
    let results = join_all(calls).await;

    assert!(results.iter().all(|result| matches!(result, Ok(Ok(_)))));
    assert_eq!(fake.token_hits(), 2);
    let tokens = fake.api_tokens();
    assert_eq!(tokens.len(), 1 + 20 + 20);
    let retried = &tokens[21..];
    assert!(
        retried.iter().all(|token| token == "1000.issued-2"),
        "{tokens:?}"
    );
}

#[tokio::test]
async fn a_token_close_to_expiry_is_refreshed_before_it_is_used() {
    let (url, fake) = Fake::start().await;
    fake.accept("1000.expiring");
    // Valid for another minute: inside the default five-minute refresh margin.
    let expiring = SystemTime::now() + Duration::from_secs(60);
    let source = refresh_token(&url).store(store_with("1000.expiring", expiring).await);
    list(&client(&url, source)).await.unwrap();

    assert_eq!(fake.token_hits(), 1);
    assert_eq!(fake.api_tokens(), ["1000.issued-1"]);
}

#[tokio::test]
async fn a_token_far_from_expiry_is_used_without_refreshing() {
    let (url, fake) = Fake::start().await;
    fake.accept("1000.stored");
    let later = SystemTime::now() + Duration::from_secs(3600);
    let source = refresh_token(&url).store(store_with("1000.stored", later).await);
    let client = client(&url, source);
    list(&client).await.unwrap();
    list(&client).await.unwrap();

    assert_eq!(fake.token_hits(), 0);
    assert_eq!(fake.api_tokens(), ["1000.stored", "1000.stored"]);
}

#[tokio::test]
async fn a_short_lived_token_is_still_reused_until_half_its_life() {
    let (url, fake) = Fake::start().await;
    // Two minutes: shorter than the refresh margin, which must not mean "always stale".
    *fake.expires_in.lock().unwrap() = 120;
    let client = client(&url, refresh_token(&url));
    for _ in 0..3 {
        list(&client).await.unwrap();
    }
    assert_eq!(fake.token_hits(), 1);
}

#[tokio::test]
async fn tokens_the_api_keeps_rejecting_stop_after_ten_refreshes() {
    let (url, fake) = Fake::start().await;
    *fake.reject_all.lock().unwrap() = true;
    let client = client(&url, refresh_token(&url));

    let mut errors = Vec::new();
    for _ in 0..30 {
        errors.push(list(&client).await.expect_err("every token is rejected"));
    }

    assert_eq!(fake.token_hits(), 10);
    // Each refreshed token was tried once; nothing looped.
    assert_eq!(fake.api_tokens().len(), 10);
    assert!(
        errors[..5]
            .iter()
            .all(|err| err.service().is_some_and(|s| s.code() == "INVALID_TOKEN")),
        "{errors:?}"
    );
    match errors.last() {
        Some(Error::Auth(message)) => {
            assert!(
                message.contains("10 times in the last 10 minutes"),
                "{message}"
            );
            assert!(
                message.contains("the next refresh is allowed in"),
                "{message}"
            );
        }
        other => panic!("expected Auth, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failed_refresh_names_the_error_and_is_not_repeated_at_once() {
    let (url, fake) = Fake::start().await;
    *fake.token_failure.lock().unwrap() = Some((200, r#"{"error":"invalid_client"}"#.to_owned()));
    let client = client(&url, refresh_token(&url));

    let first = list(&client).await.expect_err("the refresh fails");
    let second = list(&client).await.expect_err("the refresh fails");

    for err in [&first, &second] {
        match err {
            Error::Auth(message) => {
                assert!(message.ends_with("invalid_client"), "{message}");
                assert!(!message.contains(CLIENT_SECRET) && !message.contains(REFRESH));
            }
            other => panic!("expected Auth, got {other:?}"),
        }
    }
    assert_eq!(
        fake.token_hits(),
        1,
        "the second call must not refresh again"
    );
    assert!(fake.api_tokens().is_empty());
}

#[tokio::test]
async fn an_accounts_server_error_page_is_an_auth_error_naming_the_status() {
    let (url, fake) = Fake::start().await;
    *fake.token_failure.lock().unwrap() = Some((502, "<html>Bad Gateway</html>".to_owned()));
    match list(&client(&url, refresh_token(&url))).await {
        Err(Error::Auth(message)) => {
            assert_eq!(message, "the accounts server answered HTTP 502");
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert!(fake.api_tokens().is_empty());
}

#[tokio::test]
async fn a_refreshed_token_is_saved_and_the_next_run_starts_from_it() {
    let (url, fake) = Fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");

    let first_run = refresh_token(&url).store(zoho_runtime::FileTokenStore::new(&path));
    list(&client(&url, first_run)).await.unwrap();
    let second_run = refresh_token(&url).store(zoho_runtime::FileTokenStore::new(&path));
    list(&client(&url, second_run)).await.unwrap();

    assert_eq!(fake.token_hits(), 1);
    assert_eq!(fake.api_tokens(), ["1000.issued-1", "1000.issued-1"]);
}

#[tokio::test]
async fn a_refresh_token_given_by_the_caller_is_never_written_to_the_store() {
    let (url, _fake) = Fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    let source = refresh_token(&url).store(zoho_runtime::FileTokenStore::new(&path));
    list(&client(&url, source)).await.unwrap();

    let file = std::fs::read_to_string(&path).unwrap();
    assert!(file.contains("1000.issued-1"), "{file}");
    assert!(!file.contains(REFRESH), "{file}");
}

#[tokio::test]
async fn a_source_from_a_store_refreshes_with_the_stored_refresh_token_and_keeps_it() {
    let (url, fake) = Fake::start().await;
    let store = Arc::new(MemoryTokenStore::default());
    store
        .save(&StoredToken {
            access_token: AccessToken::new("1000.expired"),
            expires_at: SystemTime::UNIX_EPOCH,
            api_domain: None,
            refresh_token: Some(Secret::new("1000.stored-refresh")),
        })
        .await
        .unwrap();
    let source =
        RefreshToken::from_store(CLIENT_ID, CLIENT_SECRET, store.clone()).accounts_url(&url);
    list(&client(&url, source)).await.unwrap();

    let form = fake.token_forms.lock().unwrap()[0].clone();
    assert!(form.contains("refresh_token=1000.stored-refresh"), "{form}");
    let saved = store.load().await.unwrap().expect("a saved token");
    assert_eq!(saved.access_token.expose(), "1000.issued-1");
    assert_eq!(
        saved.refresh_token.as_ref().map(Secret::expose),
        Some("1000.stored-refresh")
    );
}

#[tokio::test]
async fn a_source_from_an_empty_store_says_to_exchange_a_grant_code() {
    let (url, fake) = Fake::start().await;
    let source = RefreshToken::from_store(CLIENT_ID, CLIENT_SECRET, MemoryTokenStore::default())
        .accounts_url(&url);
    let error = list(&client(&url, source)).await.unwrap_err();
    assert!(
        matches!(&error, Error::Auth(message) if message.contains("no refresh token")),
        "{error:?}"
    );
    assert_eq!(fake.token_hits(), 0);
}

/// A store whose disk is full.
#[derive(Debug)]
struct FullDisk;

impl TokenStore for FullDisk {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, Error>> {
        Box::pin(async { Ok(None) })
    }

    fn save(&self, _: &StoredToken) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async {
            Err(Error::Io {
                path: None,
                source: std::io::Error::other("no space left on device"),
            })
        })
    }
}

#[tokio::test]
async fn a_store_that_cannot_save_does_not_stop_requests() {
    let (url, fake) = Fake::start().await;
    let client = client(&url, refresh_token(&url).store(FullDisk));
    list(&client).await.unwrap();
    list(&client).await.unwrap();
    assert_eq!(fake.token_hits(), 1);
}

#[tokio::test]
async fn a_reader_upload_rejected_for_its_token_is_not_sent_again() {
    let (url, fake) = Fake::start().await;
    let client = client(&url, refresh_token(&url));
    list(&client).await.unwrap();
    fake.revoke("1000.issued-1");

    let form = Multipart::new().file("file", FilePart::reader("a.txt", &b"abc"[..], Some(3)));
    let err = client
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
        .expect_err("the reader cannot be sent twice");

    assert!(err.service().is_some_and(|s| s.code() == "INVALID_TOKEN"));
    assert_eq!(fake.api_tokens().len(), 2);
    // The rejection was still noted: the next request refreshes.
    list(&client).await.unwrap();
    assert_eq!(fake.token_hits(), 2);
}

/// Leaks `text`: servers and regions hold `&'static str`s.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn operation(origin: &str, follows_api_domain: bool) -> &'static OperationInfo {
    let origins: &'static [(&'static str, &'static str)] =
        Box::leak(Box::new([("us", leak(origin.to_owned()))]));
    let server: &'static Server = Box::leak(Box::new(Server {
        prefix: "/crm/v8",
        origins,
        follows_api_domain,
        environments: &[],
    }));
    Box::leak(Box::new(OperationInfo {
        product: "crm",
        version: "v8",
        name: "list_attachments",
        method: Method::GET,
        server,
        kind: OperationKind::Call,
        item_status: None,
    }))
}

#[tokio::test]
async fn api_domain_from_the_token_answer_is_the_origin_of_servers_that_follow_it() {
    let (accounts, fake) = Fake::start().await;
    let (data_centre_host, data_centre) = Fake::start().await;
    let (api_domain_host, api_domain) = Fake::start().await;
    *fake.api_domain.lock().unwrap() = Some(api_domain_host.clone());
    // The hosts accept the token the accounts server issues.
    data_centre.accept("1000.issued-1");
    api_domain.accept("1000.issued-1");
    let region = Region {
        id: "us",
        name: "United States",
        accounts_url: leak(accounts.clone()),
    };
    // The shorthand: the accounts server is the data centre's.
    let client = Client::builder()
        .data_center(region)
        .refresh_token(CLIENT_ID, CLIENT_SECRET, REFRESH)
        .build()
        .unwrap();

    let follows = operation(&data_centre_host, true);
    let fixed = operation(&data_centre_host, false);
    client
        .send(follows, Request::new("/files".into()))
        .await
        .unwrap();
    client
        .send(fixed, Request::new("/files".into()))
        .await
        .unwrap();

    assert_eq!(fake.token_hits(), 1);
    assert_eq!(api_domain.api_tokens(), ["1000.issued-1"]);
    assert_eq!(data_centre.api_tokens(), ["1000.issued-1"]);
}

#[tokio::test]
async fn a_base_url_wins_over_the_api_domain() {
    let (url, fake) = Fake::start().await;
    let (elsewhere, other) = Fake::start().await;
    *fake.api_domain.lock().unwrap() = Some(elsewhere);
    let client = client(&url, refresh_token(&url));
    let follows = operation("https://www.zohoapis.com", true);
    client
        .send(follows, Request::new("/files".into()))
        .await
        .unwrap();

    assert_eq!(fake.api_tokens(), ["1000.issued-1"]);
    assert!(other.api_tokens().is_empty());
}

#[tokio::test]
async fn debug_of_a_used_refresh_token_shows_no_secret() {
    let (url, _fake) = Fake::start().await;
    let source = Arc::new(refresh_token(&url));
    let client = Client::builder()
        .base_url(&url)
        .token_source(source.clone())
        .build()
        .unwrap();
    list(&client).await.unwrap();

    for text in [format!("{source:?}"), format!("{client:?}")] {
        assert!(text.contains(CLIENT_ID), "{text}");
        for secret in [CLIENT_SECRET, REFRESH, "1000.issued-1", "issued"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
