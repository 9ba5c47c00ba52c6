//! Start-up: [`FakeZohoBuilder`] (and [`FakeZoho::start`], [`FakeZoho::builder`]) bind,
//! build the shared state and serve every request through the pipeline in the background.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::auth::{RefreshCredentials, Scopes, Tokens};
use crate::fault::Fault;
use crate::handle::FakeZoho;
use crate::pipeline;
use crate::state::Shared;
use crate::store::Store;
use crate::wire::WireLog;

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
    wire_log: Option<PathBuf>,
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
            wire_log: None,
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

    /// Writes what each request carried to `path` (created or truncated), one JSON line per
    /// request: method, path, decoded query pairs, the authorization scheme (never the token),
    /// the content type, other headers but the user agent, the body (each multipart part's
    /// name, file name, content type, size and short text content; a JSON body's value), the
    /// operation and the status answered. For comparing what two clients send; bodies up to
    /// 16 MiB are read into memory to be described.
    pub fn record_wire(mut self, path: impl Into<PathBuf>) -> Self {
        self.wire_log = Some(path.into());
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
    /// The address cannot be bound, the storage directory cannot be read, or the wire log
    /// cannot be created.
    pub async fn try_start(self) -> io::Result<FakeZoho> {
        let store = match &self.storage_dir {
            Some(dir) => Store::open(dir)?,
            None => Store::in_memory(),
        };
        let wire = self.wire_log.as_deref().map(WireLog::create).transpose()?;
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let mut tokens = Tokens::new(self.token_lifetime, self.credentials);
        let token = tokens.issue(Scopes::All, false);
        let shared = Arc::new(Shared::new(
            base_url,
            tokens,
            store,
            self.faults,
            self.custom_modules,
            self.concurrency_limit,
            wire,
        ));
        let app = Router::new()
            .fallback(pipeline::handle)
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
        Ok(FakeZoho::new(shared, addr, token, stop, task))
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

    /// A builder for a server with storage, token lifetime, custom modules or faults.
    pub fn builder() -> FakeZohoBuilder {
        FakeZohoBuilder::default()
    }
}
