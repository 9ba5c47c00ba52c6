//! End-to-end tests against a loopback server.

mod download;
mod errors;
mod file_names;
mod limits;
mod multipart;
mod requests;
mod secrets;
mod support;
