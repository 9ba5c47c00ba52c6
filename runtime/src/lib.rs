//! Hand-written runtime for the generated Zoho API clients.
//!
//! The generated crate describes each operation as static data ([`OperationInfo`],
//! [`ScopeRule`]) and builds a [`Request`]; this crate turns that into an HTTP call:
//! it picks the data centre's host, authorises with a [`TokenSource`] (such as a
//! [`RefreshToken`] that refreshes ahead of expiry, once for all concurrent callers,
//! and keeps its token in a [`TokenStore`]), streams uploads (within size limits),
//! retries what is safe to retry ([`RetryPolicy`], by [`TransportKind`] for connection
//! failures), enforces connect, read and whole-operation timeouts, and classifies every
//! answer into a [`Response`] or an [`Error`]. Redirects are followed only within the
//! request's origin ([`RedirectError`] otherwise), answers read into memory are capped, a
//! failed item in a successful answer is an error ([`ItemStatus`], [`Outcomes`]), and
//! [`ClientBuilder::max_concurrency`] paces many calls under Zoho's concurrency limit. A
//! file answer becomes a [`Download`], read in constant memory and saved atomically under
//! a safe name. [`paging`] walks paged listings without looping.
//!
//! Nothing here names a Zoho product or operation; all of that lives in the
//! generated code.
//!
//! # Features
//!
//! - `ring` (default): TLS cryptography by ring, a light build.
//! - `aws-lc-rs`: TLS cryptography by AWS-LC instead (use it with `default-features = false`).
//! - `http2`: HTTP/2 where the server offers it; HTTP/1.1 otherwise and by default.
//!
//! A rustls crypto provider the application installed is always the one used; otherwise,
//! with `ring`, ring's is installed as the process-wide default when the first client is
//! built. With neither feature and no provider installed, [`ClientBuilder::build`] fails with
//! [`BuildError::NoCryptoProvider`]. Call [`ensure_crypto_provider`] before building a
//! `reqwest::Client` of your own.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use zoho_runtime::{Client, Region};
//!
//! let client = Client::builder()
//!     .data_center(Region { id: "us", name: "United States", accounts_url: "https://accounts.zoho.com" })
//!     .access_token("1000.abc...")
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod accounts;
mod auth;
mod builder;
mod client;
mod concurrency;
pub mod de;
mod disposition;
mod download;
mod endpoint;
mod envelope;
mod error;
mod failure;
mod file_name;
mod leftovers;
mod limits;
pub mod metadata;
pub mod model;
mod multipart;
mod oauth;
mod outcome;
pub mod paging;
mod path;
mod query;
mod redirect;
mod refresh;
mod request;
mod response;
mod retry;
mod scope;
mod timeout;
mod tls;
mod token_store;
mod tolerant;
mod transport;

pub use auth::{AccessToken, Secret, StaticToken, TokenSource};
pub use builder::ClientBuilder;
pub use client::Client;
pub use disposition::content_disposition_file_name;
pub use download::{DEFAULT_MAX_IN_MEMORY, Download};
pub use endpoint::{Environment, OperationInfo, OperationKind, Region, Server};
pub use envelope::ServiceError;
pub use error::{BuildError, Error};
pub use file_name::sanitize_file_name;
pub use limits::{check_length, check_range};
pub use metadata::{ErrorSource, ProvideErrorMetadata, Unhandled};
pub use multipart::{FilePart, Multipart};
pub use oauth::{AuthorizationCallback, AuthorizationRequest, GrantedTokens, OAuthApp};
pub use outcome::{ItemStatus, Outcome, Outcomes};
pub use path::encode_path_segment;
pub use query::join_list;
pub use redirect::{RedirectError, RedirectKind};
pub use refresh::RefreshToken;
pub use request::Request;
pub use response::Response;
pub use retry::{CallOptions, RetryPolicy};
pub use scope::ScopeRule;
pub use timeout::{TimedOut, TimeoutKind};
pub use tls::ensure_crypto_provider;
pub use token_store::{FileTokenStore, MemoryTokenStore, StoredToken, TokenStore};
pub use tolerant::{ReadTolerantly, Tolerant, UnreadableValue};
pub use transport::{TransportError, TransportKind};

/// Raw body bytes, as taken by [`Request::json`] and returned by [`Response::bytes`].
pub use bytes::Bytes;
/// The futures library whose `Stream` paging returns, re-exported so generated code and its
/// users name the same version.
pub use futures;
/// The boxed future type that [`TokenSource`] and [`TokenStore`] methods return.
pub use futures::future::BoxFuture;
/// HTTP method of an operation ([`OperationInfo::method`]).
pub use http::Method;
/// The HTTP client library this runtime uses, re-exported so that a client passed to
/// [`ClientBuilder::http_client`] is built with the same version.
pub use reqwest;

/// A timestamp as Zoho sends it: ISO 8601 with the account's UTC offset kept.
pub type DateTime = chrono::DateTime<chrono::FixedOffset>;
