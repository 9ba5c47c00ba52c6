//! A fake Zoho attachments server whose behaviour comes from the same spec as the client.
//!
//! Every operation of every product version in [`zoho_attachments::model::APIS`] is served
//! at Zoho's paths on one origin (`/crm/v8/...`, `/bigin/v2/...`, `/api/v1/contracts/...`),
//! plus the accounts token endpoint `POST /oauth/v2/token`. Routes, modules and module
//! sets, scopes, required parameters, limits, statuses and error messages are read from
//! the model; how a stored attachment is rendered, IDs and paging are written here by hand,
//! per response family.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use zoho_attachments::{Client, crm::v8};
//!
//! let zoho = zoho_fake::FakeZoho::start().await;
//! let client = Client::builder()
//!     .base_url(zoho.base_url())
//!     .access_token(zoho.token())
//!     .build()?;
//! client
//!     .crm_v8()
//!     .upload_attachment(v8::Module::Leads, "1", v8::Upload::bytes("a.txt", "hello"))
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```

mod auth;
mod builder;
mod call;
pub mod cli;
mod errors;
mod fault;
mod fault_response;
mod handle;
mod handlers;
mod modules;
mod paging;
mod pipeline;
mod render;
mod route;
mod state;
mod store;
mod wire;

pub use auth::RefreshCredentials;
pub use builder::FakeZohoBuilder;
pub use fault::Fault;
pub use handle::{FakeZoho, StoredAttachment};
pub use pipeline::FAULT_HEADER;
pub use state::RecordedRequest;
pub use store::Parent;

/// The README's Rust examples, compiled by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
