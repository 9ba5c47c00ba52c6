//! Runnable examples of the Zoho attachments client; see `authorize.rs`
//! (`cargo run --example authorize -- --help`). This library is empty on purpose: Cargo needs a
//! target to hang the examples on.
