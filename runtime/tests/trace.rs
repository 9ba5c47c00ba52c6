//! The request span, seen by a subscriber. A binary of its own: the subscriber is
//! installed globally, since tracing's per-thread subscribers race with other tests
//! over callsite interest.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use zoho_runtime::{Client, Method, OperationInfo, Request, Server};

const TOKEN: &str = "1000.trace-token-8d2b";

static CRM: Server = Server {
    prefix: "/crm/v7",
    origins: &[],
    follows_api_domain: false,
};

static LIST: OperationInfo = OperationInfo {
    product: "crm",
    version: "v7",
    name: "list_attachments",
    method: Method::GET,
    server: &CRM,
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

#[tokio::test]
async fn request_span_records_operation_and_status_but_never_the_token() {
    let recorder = Recorder::default();
    tracing::subscriber::set_global_default(recorder.clone()).unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(|| async { (axum::http::StatusCode::CREATED, "{}") });
    tokio::spawn(async move { axum::serve(listener, app).await });

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
