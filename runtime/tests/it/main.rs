//! End-to-end tests against a loopback server.

mod answer_limits;
mod auth;
mod concurrency;
mod download;
mod errors;
mod file_names;
mod item_outcomes;
mod limits;
mod multipart;
mod paging;
mod redirects;
mod requests;
mod retries;
mod retry_classes;
mod secrets;
mod support;
mod timeouts;
mod token_store;
