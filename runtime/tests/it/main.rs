//! End-to-end tests against a loopback server.

mod auth;
mod download;
mod errors;
mod file_names;
mod limits;
mod multipart;
mod paging;
mod requests;
mod retries;
mod secrets;
mod support;
mod timeouts;
mod token_store;
