//! What every request shares: the tokens, the store, the page tokens, the request log, the
//! faults to apply and the custom modules (behind one lock), and the count of API requests
//! in flight. Handlers, the pipeline and the public handle reach the server through it; it
//! depends on none of them.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;

use crate::auth::Tokens;
use crate::fault::Fault;
use crate::paging::PageTokens;
use crate::render::now;
use crate::route::{AUTHORIZE_OPERATION, REVOKE_OPERATION, TOKEN_OPERATION};
use crate::store::{Kind, Meta, Parent, Store};
use crate::wire::WireLog;

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
    /// Where each request's wire description goes, when asked for.
    pub(crate) wire: Option<WireLog>,
}

/// Counts one API request in flight until dropped.
pub(crate) struct InFlight<'a>(&'a Shared);

impl InFlight<'_> {
    /// Whether more API requests than the concurrency limit are in flight, this one included.
    pub(crate) fn over_limit(&self) -> bool {
        let shared = self.0;
        shared
            .concurrency_limit
            .is_some_and(|limit| shared.in_flight.load(Ordering::SeqCst) > limit)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
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
    /// The state of a server that has answered nothing yet.
    pub(crate) fn new(
        base_url: String,
        tokens: Tokens,
        store: Store,
        server_faults: Vec<Fault>,
        custom_modules: Vec<String>,
        concurrency_limit: Option<usize>,
        wire: Option<WireLog>,
    ) -> Self {
        Self {
            base_url,
            inner: Mutex::new(Inner {
                tokens,
                store,
                pages: PageTokens::default(),
                log: Vec::new(),
                injected: Vec::new(),
                server_faults,
                custom_modules,
            }),
            concurrency_limit,
            in_flight: AtomicUsize::new(0),
            wire,
        }
    }

    /// The state; a panic in another request does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts an API request as in flight until the guard is dropped.
    pub(crate) fn enter(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(self)
    }
}

impl Inner {
    /// The custom module API names the server was told to accept.
    pub(crate) fn custom_modules(&self) -> &[String] {
        &self.custom_modules
    }

    /// Every request answered so far, oldest first.
    pub(crate) fn requests(&self) -> &[RecordedRequest] {
        &self.log
    }

    pub(crate) fn record(&mut self, request: RecordedRequest) {
        self.log.push(request);
    }

    /// Applies `fault` to the next `times` requests of `operation`, or of any API operation
    /// when `None`.
    pub(crate) fn inject(&mut self, fault: Fault, times: usize, operation: Option<&str>) {
        self.injected.push(Injected {
            fault,
            remaining: times,
            operation: operation.map(str::to_owned),
        });
    }

    /// The faults for a request without the fault header: the first matching injected one
    /// (used up), else the server's.
    pub(crate) fn next_faults(&mut self, operation: Option<&str>) -> Vec<Fault> {
        // Accounts requests get only faults aimed at them by name.
        let is_token = matches!(
            operation,
            Some(TOKEN_OPERATION | AUTHORIZE_OPERATION | REVOKE_OPERATION)
        );
        let applies = |wanted: &Option<String>| match wanted {
            Some(wanted) => operation == Some(wanted.as_str()),
            None => !is_token,
        };
        if let Some(at) = self
            .injected
            .iter()
            .position(|injected| injected.remaining > 0 && applies(&injected.operation))
        {
            let injected = &mut self.injected[at];
            injected.remaining -= 1;
            let fault = injected.fault.clone();
            if injected.remaining == 0 {
                self.injected.remove(at);
            }
            return vec![fault];
        }
        if is_token {
            Vec::new()
        } else {
            self.server_faults.clone()
        }
    }

    /// Stores a new attachment of `parent`, created now, with the next sequence number and
    /// the `(id, file_id)` that `ids` derives from it (the product's ID scheme, see
    /// `render`); what was stored.
    pub(crate) fn add_attachment(
        &mut self,
        parent: Parent,
        ids: fn(u64) -> (String, String),
        kind: Kind,
        sequence_number: Option<i64>,
        content: Option<Bytes>,
    ) -> io::Result<Meta> {
        let seq = self.store.allocate();
        let (id, file_id) = ids(seq);
        let meta = Meta {
            seq,
            id,
            file_id,
            parent,
            created: now(),
            sequence_number,
            kind,
        };
        self.store.insert(meta.clone(), content)?;
        Ok(meta)
    }
}
