//! The request span, seen by a subscriber. A binary of its own: the subscriber is
//! installed globally, since tracing's per-thread subscribers race with other tests
//! over callsite interest.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use zoho_runtime::{
    Client, MemoryTokenStore, Method, OperationInfo, OperationKind, RefreshToken, Request,
    RetryPolicy, Server,
};

const TOKEN: &str = "1000.trace-token-8d2b";
const CLIENT_SECRET: &str = "trace-client-secret-41d0";
const REFRESH: &str = "1000.trace-refresh-token-e6a2";
/// The accounts server issues this with a number appended.
const ISSUED: &str = "1000.trace-issued-";

static CRM: Server = Server {
    prefix: "/crm/v7",
    origins: &[],
    follows_api_domain: false,
    environments: &[],
};

static LIST: OperationInfo = OperationInfo {
    product: "crm",
    version: "v7",
    name: "list_attachments",
    method: Method::GET,
    server: &CRM,
    kind: OperationKind::Call,
    item_status: None,
};

/// Writes every span and event field it sees into one string.
#[derive(Clone, Default)]
struct Recorder {
    text: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "\nspan {}", span.metadata().name());
        span.record(&mut Fields(&mut text));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.text.lock().unwrap()));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("\nevent");
        event.record(&mut Fields(&mut text));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// The one global recorder, installed before any callsite is first hit.
fn recorder() -> &'static Recorder {
    static RECORDER: OnceLock<Recorder> = OnceLock::new();
    RECORDER.get_or_init(|| {
        let recorder = Recorder::default();
        tracing::subscriber::set_global_default(recorder.clone()).unwrap();
        recorder
    })
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test]
async fn request_span_records_operation_and_status_but_never_the_token() {
    let recorder = recorder();

    let app = axum::Router::new().fallback(|| async { (StatusCode::CREATED, "{}") });
    let url = serve(app).await;

    let client = Client::builder()
        .base_url(url)
        .access_token(TOKEN)
        .build()
        .unwrap();
    client
        .send(&LIST, Request::new("/files".into()))
        .await
        .unwrap();

    let text = recorder.text.lock().unwrap().clone();
    assert!(text.contains("span zoho.request"), "{text}");
    assert!(text.contains("product=\"crm\""), "{text}");
    assert!(text.contains("version=\"v7\""), "{text}");
    assert!(text.contains("operation=\"list_attachments\""), "{text}");
    assert!(text.contains("status=201"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains("trace-token"), "{text}");
}

#[tokio::test]
async fn refreshes_and_retries_are_traced_without_secrets() {
    let recorder = recorder();
    let issued = Arc::new(AtomicUsize::new(0));
    let api_calls = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new()
        .route(
            "/oauth/v2/token",
            post({
                let issued = issued.clone();
                move || async move {
                    let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                    axum::Json(serde_json::json!({
                        "access_token": format!("{ISSUED}{n}"),
                        "expires_in": 3600,
                        "token_type": "Bearer",
                    }))
                }
            }),
        )
        .fallback({
            let api_calls = api_calls.clone();
            // A rejected token, then an outage, then success.
            move || async move {
                match api_calls.fetch_add(1, Ordering::SeqCst) {
                    0 => (
                        StatusCode::UNAUTHORIZED,
                        r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#,
                    )
                        .into_response(),
                    1 => (StatusCode::SERVICE_UNAVAILABLE, "").into_response(),
                    _ => (StatusCode::OK, "{}").into_response(),
                }
            }
        });
    let url = serve(app).await;
    let source = RefreshToken::new("1000.TRACE-CLIENT", CLIENT_SECRET, REFRESH)
        .accounts_url(&url)
        .store(MemoryTokenStore::default());
    let client = Client::builder()
        .base_url(&url)
        .token_source(source)
        .retry_policy(RetryPolicy::new().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    client
        .send(&LIST, Request::new("/files".into()))
        .await
        .unwrap();

    // A failing refresh is logged too.
    let failing = axum::Router::new().route(
        "/oauth/v2/token",
        post(|| async { axum::Json(serde_json::json!({"error": "invalid_client"})) }),
    );
    let failing_url = serve(failing).await;
    let source =
        RefreshToken::new("1000.TRACE-CLIENT", CLIENT_SECRET, REFRESH).accounts_url(&failing_url);
    let client = Client::builder()
        .base_url(&failing_url)
        .token_source(source)
        .build()
        .unwrap();
    assert!(
        client
            .send(&LIST, Request::new("/files".into()))
            .await
            .is_err()
    );

    let text = recorder.text.lock().unwrap().clone();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    for expected in [
        "refreshed the access token",
        "retrying with a new access token",
        "retrying",
        "reason=HTTP 503",
        "attempt=3",
        "status=200",
        "invalid_client",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
    for secret in [
        CLIENT_SECRET,
        REFRESH,
        ISSUED,
        "trace-issued",
        "trace-refresh",
        "Zoho-oauthtoken",
    ] {
        assert!(!text.contains(secret), "{secret:?} in {text}");
    }
}
