//! The server: start-up, the request pipeline (faults, route, token, module, scope,
//! parameters, body, handler), the request log, and the public [`FakeZoho`] handle.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use zoho_attachments::model::{Body as BodySpec, ParamKind};

use crate::auth::{RefreshCredentials, Scopes, Tokens};
use crate::call::{self, check_params, read_json, read_multipart};
use crate::errors::ZohoError;
use crate::fault::Fault;
use crate::fault_response;
use crate::handlers::{self, Call, Payload};
use crate::modules;
use crate::paging::PageTokens;
use crate::render::{contract_ids, crm_id, now};
use crate::route::{self, Matched, Route, TOKEN_OPERATION};
use crate::store::{Kind, Meta, Parent, Store};

/// The header that asks for a fault on one request.
pub const FAULT_HEADER: &str = "x-fake-fault";

/// One request the server answered, for assertions.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// `GET`, `POST`...
    pub method: String,
    /// The path, as sent (`/crm/v8/Leads/1/Attachments`).
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The status answered.
    pub status: u16,
    /// The operation's name (`upload_attachment`; `oauth_token` for the token endpoint),
    /// when the path and method named one.
    pub operation: Option<String>,
    /// `crm/v8`, `bigin/v2`, `contracts/v1`... when the path named a product version.
    pub api: Option<String>,
}

/// An attachment as the server stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredAttachment {
    /// The ID the API uses for it (CRM/Bigin `id`; Contracts `contractAttachmentId`).
    pub id: String,
    /// CRM/Bigin `$file_id`; Contracts `attachmentId` (also accepted in paths).
    pub file_id: String,
    /// The file's name, for a file.
    pub file_name: Option<String>,
    /// The file's content type, for a file.
    pub content_type: Option<String>,
    /// The file's size in bytes (0 for a link).
    pub size: u64,
    /// The URL, for a link.
    pub link_url: Option<String>,
    /// The link's title, when one was given.
    pub title: Option<String>,
}

impl From<&Meta> for StoredAttachment {
    fn from(meta: &Meta) -> Self {
        let mut stored = StoredAttachment {
            id: meta.id.clone(),
            file_id: meta.file_id.clone(),
            file_name: None,
            content_type: None,
            size: 0,
            link_url: None,
            title: None,
        };
        match &meta.kind {
            Kind::File {
                name,
                content_type,
                size,
            } => {
                stored.file_name = Some(name.clone());
                stored.content_type = Some(content_type.clone());
                stored.size = *size;
            }
            Kind::Link { url, title } => {
                stored.link_url = Some(url.clone());
                stored.title = title.clone();
            }
        }
        stored
    }
}

#[derive(Debug)]
struct Injected {
    fault: Fault,
    remaining: usize,
    operation: Option<String>,
}

/// State shared by every request.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) base_url: String,
    inner: Mutex<Inner>,
    /// More API requests than this in flight at once are refused with 429.
    concurrency_limit: Option<usize>,
    in_flight: AtomicUsize,
}

/// Counts one API request in flight until dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) tokens: Tokens,
    pub(crate) store: Store,
    pub(crate) pages: PageTokens,
    log: Vec<RecordedRequest>,
    injected: Vec<Injected>,
    server_faults: Vec<Fault>,
    custom_modules: Vec<String>,
}

impl Shared {
    /// The state; a panic in another request does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The faults for this request: the header's, else the first matching injected one,
    /// else the server's.
    fn faults(&self, header: Option<Vec<Fault>>, operation: Option<&str>) -> Vec<Fault> {
        if let Some(faults) = header {
            return faults;
        }
        let is_token = operation == Some(TOKEN_OPERATION);
        let mut inner = self.lock();
        let applies = |wanted: &Option<String>| match wanted {
            Some(wanted) => operation == Some(wanted.as_str()),
            None => !is_token,
        };
        if let Some(at) = inner
            .injected
            .iter()
            .position(|injected| injected.remaining > 0 && applies(&injected.operation))
        {
            let injected = &mut inner.injected[at];
            injected.remaining -= 1;
            let fault = injected.fault.clone();
            if injected.remaining == 0 {
                inner.injected.remove(at);
            }
            return vec![fault];
        }
        if is_token {
            Vec::new()
        } else {
            inner.server_faults.clone()
        }
    }
}

/// Configures a [`FakeZoho`] before it starts.
#[derive(Debug, Clone)]
#[must_use = "call `.start().await` to run the server"]
pub struct FakeZohoBuilder {
    addr: SocketAddr,
    storage_dir: Option<PathBuf>,
    token_lifetime: Duration,
    custom_modules: Vec<String>,
    faults: Vec<Fault>,
    credentials: RefreshCredentials,
    concurrency_limit: Option<usize>,
}

impl Default for FakeZohoBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            storage_dir: None,
            token_lifetime: Duration::from_secs(3600),
            custom_modules: Vec::new(),
            faults: Vec::new(),
            credentials: RefreshCredentials::default(),
            concurrency_limit: None,
        }
    }
}

impl FakeZohoBuilder {
    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Keep attachments and photos in this directory (created if needed; what an earlier
    /// server left there is served again). By default they live in memory.
    pub fn storage_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.storage_dir = Some(dir.into());
        self
    }

    /// How long issued access tokens live (default one hour, as Zoho's).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Accepts this custom module API name (`Shipments__c`) wherever the spec allows custom
    /// modules; its scope name is the spec's custom scope (`custom`).
    pub fn custom_module(mut self, api_name: impl Into<String>) -> Self {
        self.custom_modules.push(api_name.into());
        self
    }

    /// Applies `fault` to every API request (not to the token endpoint).
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Refuses an API request with `429 TOO_MANY_REQUESTS` while `limit` others are in
    /// flight, as Zoho does beyond an organisation's concurrency limit (CRM: 5 to 25 by
    /// edition). Default: no limit.
    pub fn concurrency_limit(mut self, limit: usize) -> Self {
        self.concurrency_limit = Some(limit);
        self
    }

    /// The client ID, secret and refresh token the token endpoint accepts.
    pub fn refresh_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        self.credentials = RefreshCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
        };
        self
    }

    /// Binds, then serves in the background.
    ///
    /// # Panics
    ///
    /// When the address cannot be bound or the storage directory cannot be read; use
    /// [`try_start`](Self::try_start) to handle that.
    pub async fn start(self) -> FakeZoho {
        match self.try_start().await {
            Ok(zoho) => zoho,
            Err(err) => panic!("the fake Zoho server could not start: {err}"),
        }
    }

    /// Binds, then serves in the background.
    ///
    /// # Errors
    ///
    /// The address cannot be bound, or the storage directory cannot be read.
    pub async fn try_start(self) -> io::Result<FakeZoho> {
        let store = match &self.storage_dir {
            Some(dir) => Store::open(dir)?,
            None => Store::in_memory(),
        };
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let mut tokens = Tokens::new(self.token_lifetime, self.credentials);
        let token = tokens.issue(Scopes::All, false);
        let shared = Arc::new(Shared {
            base_url,
            inner: Mutex::new(Inner {
                tokens,
                store,
                pages: PageTokens::default(),
                log: Vec::new(),
                injected: Vec::new(),
                server_faults: self.faults,
                custom_modules: self.custom_modules,
            }),
            concurrency_limit: self.concurrency_limit,
            in_flight: AtomicUsize::new(0),
        });
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(err) = serve.await {
                tracing::warn!(%err, "the fake Zoho server stopped");
            }
        });
        Ok(FakeZoho {
            shared,
            addr,
            token,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running fake Zoho server; it stops when dropped.
///
/// ```no_run
/// # async fn demo() {
/// let zoho = zoho_fake::FakeZoho::start().await;
/// let client = zoho_attachments::Client::builder()
///     .base_url(zoho.base_url())
///     .access_token(zoho.token())
///     .build()
///     .unwrap();
/// # let _ = client;
/// # }
/// ```
#[derive(Debug)]
pub struct FakeZoho {
    shared: Arc<Shared>,
    addr: SocketAddr,
    token: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Stops accepting connections; requests in flight finish on their own.
impl Drop for FakeZoho {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl FakeZoho {
    /// Starts a server on `127.0.0.1` with a free port, attachments in memory.
    ///
    /// # Panics
    ///
    /// When no port can be bound.
    pub async fn start() -> FakeZoho {
        Self::builder().start().await
    }

    /// Stops the server and waits until it stopped: the port is closed when this returns.
    /// Requests in flight are finished first (a stalled body keeps it waiting); dropping
    /// the handle stops the server too, without waiting.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// A builder for a server with storage, token lifetime, custom modules or faults.
    pub fn builder() -> FakeZohoBuilder {
        FakeZohoBuilder::default()
    }

    /// `http://127.0.0.1:PORT`: every product version is served under it at Zoho's paths.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The accounts token endpoint (`{base_url}/oauth/v2/token`).
    pub fn token_url(&self) -> String {
        format!("{}{}", self.shared.base_url, route::TOKEN_PATH)
    }

    /// An access token with every scope, issued at start-up.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// A new access token with exactly these scopes (`ZohoCRM.modules.leads.READ`...).
    pub fn token_with_scopes<S: AsRef<str>>(&self, scopes: &[S]) -> String {
        let scopes = scopes
            .iter()
            .map(|scope| scope.as_ref().to_owned())
            .collect();
        self.shared.lock().tokens.issue(Scopes::Only(scopes), false)
    }

    /// A token the server knows but that has expired (answers `401 INVALID_TOKEN`).
    pub fn expired_token(&self) -> String {
        self.shared.lock().tokens.issue(Scopes::All, true)
    }

    /// The client ID, secret and refresh token the token endpoint accepts.
    pub fn refresh_credentials(&self) -> RefreshCredentials {
        self.shared.lock().tokens.credentials.clone()
    }

    /// How many tokens the token endpoint issued.
    pub fn refresh_count(&self) -> u64 {
        self.shared.lock().tokens.refreshes
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().log.clone()
    }

    /// Applies `fault` to the next `times` requests of `operation` (by name, e.g.
    /// `"upload_attachment"`, or `"oauth_token"` for the token endpoint), or of any API
    /// operation when `None`.
    pub fn inject(&self, fault: Fault, times: usize, operation: Option<&str>) {
        if times == 0 {
            return;
        }
        self.shared.lock().injected.push(Injected {
            fault,
            remaining: times,
            operation: operation.map(str::to_owned),
        });
    }

    /// Stores a file on `parent` as an upload would, returning its ID.
    ///
    /// # Panics
    ///
    /// When the storage directory cannot be written.
    pub fn add_file(&self, parent: &Parent, file_name: &str, content: impl Into<Bytes>) -> String {
        let content = content.into();
        let kind = Kind::File {
            name: file_name.to_owned(),
            content_type: mime_guess::from_path(file_name)
                .first_or_octet_stream()
                .to_string(),
            size: content.len() as u64,
        };
        self.add(parent, kind, Some(content))
    }

    /// Stores a link on `parent`, returning its ID.
    ///
    /// # Panics
    ///
    /// When the storage directory cannot be written.
    pub fn add_link(&self, parent: &Parent, url: &str, title: Option<&str>) -> String {
        let kind = Kind::Link {
            url: url.to_owned(),
            title: title.map(str::to_owned),
        };
        self.add(parent, kind, None)
    }

    fn add(&self, parent: &Parent, kind: Kind, content: Option<Bytes>) -> String {
        let mut inner = self.shared.lock();
        let seq = inner.store.allocate();
        let (id, file_id) = if parent.store == "contracts" {
            let (_, _, attachment, contract_attachment) = contract_ids(seq);
            (contract_attachment.to_string(), attachment.to_string())
        } else {
            (crm_id(seq), format!("fz{}", crate::auth::random_hex(35)))
        };
        let meta = Meta {
            seq,
            id: id.clone(),
            file_id,
            parent: parent.clone(),
            created: now(),
            sequence_number: None,
            kind,
        };
        if let Err(err) = inner.store.insert(meta, content) {
            panic!("the fake Zoho server could not store the attachment: {err}");
        }
        id
    }

    /// The attachments of `parent`, oldest first.
    pub fn attachments(&self, parent: &Parent) -> Vec<StoredAttachment> {
        self.shared
            .lock()
            .store
            .list(parent)
            .iter()
            .map(StoredAttachment::from)
            .collect()
    }

    /// The content of a stored file (`None` for a link or an unknown ID).
    pub async fn attachment_content(&self, parent: &Parent, id: &str) -> Option<Bytes> {
        let data = self.shared.lock().store.find(parent, id)?.1?;
        data.read().await.ok()
    }
}

/// Every request goes through here: faults, then the route, then the operation.
async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let route = route::route(&method, &path);
    let (operation, api) = match &route {
        Route::Operation(matched) => (
            Some(matched.op.name),
            Some(format!("{}/{}", matched.api.product, matched.api.version)),
        ),
        Route::Token => (Some(TOKEN_OPERATION), None),
        Route::WrongMethod { api, .. } | Route::NotFound { api: Some(api) } => {
            (None, Some(format!("{}/{}", api.product, api.version)))
        }
        Route::NotFound { api: None } => (None, None),
    };

    let header = request
        .headers()
        .get(FAULT_HEADER)
        .map(|value| Fault::parse_list(value.to_str().unwrap_or("?")))
        // An empty header asks for nothing: injected and server faults still apply.
        .filter(|faults| faults.as_ref().map_or(true, |faults| !faults.is_empty()));
    let api_request = matches!(route, Route::Operation(_));
    let _in_flight = api_request.then(|| {
        shared.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(&shared.in_flight)
    });
    let over_limit = api_request
        && shared
            .concurrency_limit
            .is_some_and(|limit| shared.in_flight.load(Ordering::SeqCst) > limit);
    let response = match header {
        _ if over_limit => {
            call::drain(request.into_body()).await;
            too_many_requests(&route)
        }
        Some(Err(why)) => ZohoError::generic("INVALID_REQUEST", json!({"header": FAULT_HEADER}))
            .or_message(why)
            .into_response(),
        Some(Ok(faults)) => with_faults(&shared, faults, &route, request).await,
        None => {
            let faults = shared.faults(None, operation);
            with_faults(&shared, faults, &route, request).await
        }
    };

    shared.lock().log.push(RecordedRequest {
        method,
        path,
        query,
        status: response.status().as_u16(),
        operation: operation.map(str::to_owned),
        api,
    });
    response
}

/// Zoho's answer beyond the concurrency limit.
fn too_many_requests(route: &Route) -> Response {
    let error = match route {
        Route::Operation(matched) => {
            ZohoError::for_op(matched.op, "TOO_MANY_REQUESTS", None, json!({}))
        }
        _ => ZohoError::generic("TOO_MANY_REQUESTS", json!({})),
    };
    error
        .or_message("the concurrency limit of the organisation was reached")
        .with_status(429)
        .into_response()
}

async fn with_faults(
    shared: &Arc<Shared>,
    faults: Vec<Fault>,
    route: &Route,
    request: Request,
) -> Response {
    for fault in &faults {
        if let Fault::Delay(delay) = fault {
            tokio::time::sleep(*delay).await;
        }
    }
    let op = match route {
        Route::Operation(matched) => Some(matched.op),
        _ => None,
    };
    let has_item_status = op.is_some_and(|op| op.response.item_status.is_some());
    let answering = faults.iter().find(|fault| fault.is_answer(has_item_status));
    let response = match answering {
        Some(fault) => {
            let path = request.uri().path().to_owned();
            let query = request.uri().query().map(str::to_owned);
            // The request is answered without being read; read it so the client can finish.
            call::drain(request.into_body()).await;
            fault_response::answer(fault, op, &path, query.as_deref())
        }
        None => serve(shared, route, request).await,
    };
    match faults.iter().find(|fault| fault.is_body()) {
        Some(fault) => fault_response::break_body(response, fault).await,
        None => response,
    }
}

async fn serve(shared: &Arc<Shared>, route: &Route, request: Request) -> Response {
    match route {
        Route::Token => token_endpoint(shared, request).await,
        Route::NotFound { api } => {
            let details = json!({"path": request.uri().path()});
            match api {
                Some(api) => ZohoError::for_api(api, "INVALID_URL_PATTERN", details),
                None => ZohoError::generic("INVALID_URL_PATTERN", details),
            }
            .into_response()
        }
        Route::WrongMethod { api, ops } => {
            let documented = ops.iter().find(|op| {
                op.errors
                    .iter()
                    .any(|row| row.code == "INVALID_REQUEST_METHOD")
            });
            let allowed: Vec<&str> = ops.iter().map(|op| op.method).collect();
            let details = json!({"allowed_methods": allowed});
            match documented {
                Some(op) => ZohoError::for_op(op, "INVALID_REQUEST_METHOD", None, details),
                None => ZohoError::for_api(api, "INVALID_REQUEST_METHOD", details),
            }
            .into_response()
        }
        Route::Operation(matched) => match operation(shared, matched.clone(), request).await {
            Ok(response) => response,
            Err(err) => err.into_response(),
        },
    }
}

/// Checks a request against its operation in the model, then runs its handler.
async fn operation(
    shared: &Arc<Shared>,
    matched: Matched,
    request: Request,
) -> Result<Response, ZohoError> {
    let op = matched.op;
    let (parts, body) = request.into_parts();
    let checked = check(shared, &matched, &parts);
    let (module, params) = match checked {
        Ok(checked) => checked,
        Err(err) => {
            call::drain(body).await;
            return Err(err);
        }
    };
    let payload = match op.body {
        BodySpec::Multipart {
            alternatives,
            max_bytes,
        } => Payload::Form(
            read_multipart(
                matched.api,
                op,
                alternatives,
                max_bytes,
                &parts.headers,
                body,
            )
            .await?,
        ),
        BodySpec::Json => Payload::Json(read_json(op, body).await?),
        _ => Payload::None,
    };
    let call = Call {
        matched,
        module,
        params,
        payload,
    };
    handlers::dispatch(shared, call).await
}

/// Token, module, scope and query parameters, in the order Zoho checks them.
fn check(
    shared: &Shared,
    matched: &Matched,
    parts: &http::request::Parts,
) -> Result<(Option<modules::Resolved>, call::Params), ZohoError> {
    let op = matched.op;
    let inner = shared.lock();
    let scopes = inner
        .tokens
        .authorize(&parts.headers)
        .map_err(|failure| failure.into_error(op))?;
    let mut module = None;
    for param in op.params.iter().filter(|param| param.in_path) {
        if let ParamKind::Module(_) = param.kind {
            let (_, value, index) = matched
                .params
                .iter()
                .find(|(name, _, _)| *name == param.name)
                .expect("a path parameter of the template");
            let resolved = modules::resolve(matched.api, param.kind, value, &inner.custom_modules)
                .map_err(|refusal| {
                    ZohoError::for_op(
                        op,
                        "INVALID_MODULE",
                        Some(refusal.hint()),
                        json!({"resource_path_index": index, "module": value}),
                    )
                })?;
            module = Some(resolved);
        }
    }
    drop(inner);
    let module_scope = module.as_ref().map(|module| module.scope);
    if !scopes.allow(&op.scopes, module_scope) {
        return Err(ZohoError::for_op(
            op,
            "OAUTH_SCOPE_MISMATCH",
            None,
            json!({"required_scopes": op.scopes.to_string()}),
        ));
    }
    let params = check_params(op, parts.uri.query())?;
    Ok((module, params))
}

/// `POST /oauth/v2/token`: form fields in the query or in an urlencoded body.
async fn token_endpoint(shared: &Shared, request: Request) -> Response {
    if request.method() != http::Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(http::header::ALLOW, "POST")],
            axum::Json(json!({"error": "invalid_request_method"})),
        )
            .into_response();
    }
    let mut form: HashMap<String, String> =
        url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let body = axum::body::to_bytes(request.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    form.extend(url::form_urlencoded::parse(&body).into_owned());
    let answer = shared.lock().tokens.token_request(&form, &shared.base_url);
    // Zoho's accounts server answers 200 even for `{"error": ...}`.
    axum::Json(answer).into_response()
}
