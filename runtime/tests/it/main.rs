//! End-to-end tests against a loopback server.

mod errors;
mod multipart;
mod requests;
mod secrets;
mod support;
