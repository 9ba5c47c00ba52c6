//! The public [`FakeZoho`] handle of a running server: where it is, tokens, the request
//! log, faults to inject, seeding and inspecting the store, stopping. Starting one
//! ([`FakeZoho::start`], [`FakeZoho::builder`]) is in `builder`.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::oneshot;

use crate::auth::{RefreshCredentials, SELF_CLIENT_CODE_LIFETIME, Scopes};
use crate::fault::Fault;
use crate::render::{contract_attachment_ids, crm_ids};
use crate::route;
use crate::state::{RecordedRequest, Shared};
use crate::store::{Kind, Meta, Parent, ParentKind};

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
    /// The handle of a server serving in `task` until `stop` is sent (or dropped).
    pub(crate) fn new(
        shared: Arc<Shared>,
        addr: SocketAddr,
        token: String,
        stop: oneshot::Sender<()>,
        task: tokio::task::JoinHandle<()>,
    ) -> Self {
        Self {
            shared,
            addr,
            token,
            stop: Some(stop),
            task: Some(task),
        }
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

    /// The accounts server's origin, the same as [`base_url`](Self::base_url): where the
    /// token, consent (`/oauth/v2/auth`) and revocation endpoints are.
    pub fn accounts_url(&self) -> &str {
        &self.shared.base_url
    }

    /// A self client's grant code for exactly these scopes, as Zoho's API console gives one:
    /// it can be exchanged once, within 10 minutes, for an access and a refresh token.
    pub fn grant_code<S: AsRef<str>>(&self, scopes: &[S]) -> String {
        let scopes = scopes
            .iter()
            .map(|scope| scope.as_ref().to_owned())
            .collect();
        self.shared
            .lock()
            .tokens
            .grant_code(Scopes::Only(scopes), SELF_CLIENT_CODE_LIFETIME)
    }

    /// A self client's grant code for every scope (printed by the command line).
    pub(crate) fn grant_code_for_every_scope(&self) -> String {
        self.shared
            .lock()
            .tokens
            .grant_code(Scopes::All, SELF_CLIENT_CODE_LIFETIME)
    }

    /// Whether the consent page declines (redirecting with `error=access_denied`), as a user
    /// who says no. By default it consents at once.
    pub fn decline_consent(&self, decline: bool) {
        self.shared.lock().tokens.decline_consent = decline;
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
        self.shared.lock().requests().to_vec()
    }

    /// Applies `fault` to the next `times` requests of `operation` (by name, e.g.
    /// `"upload_attachment"`, or `"oauth_token"` for the token endpoint), or of any API
    /// operation when `None`.
    pub fn inject(&self, fault: Fault, times: usize, operation: Option<&str>) {
        if times == 0 {
            return;
        }
        self.shared.lock().inject(fault, times, operation);
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
        let ids = match parent.kind {
            ParentKind::Contract => contract_attachment_ids,
            ParentKind::Record => crm_ids,
        };
        let added = self
            .shared
            .lock()
            .add_attachment(parent.clone(), ids, kind, None, content);
        match added {
            Ok(meta) => meta.id,
            Err(err) => panic!("the fake Zoho server could not store the attachment: {err}"),
        }
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
