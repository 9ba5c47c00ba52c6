//! End-to-end tests of the generated client `zoho-attachments` against a recording
//! loopback server ([`zoho_tests::recorder`]): what goes over the wire, and what the
//! user gets back, for every operation in the spec.
//!
//! One test binary (`cargo test -p zoho-tests --test e2e`), split by concern.

mod bigin_v2;
mod contracts;
mod crm_v8;
mod downloads;
mod empty_answers;
mod environments;
mod errors;
mod hostile;
mod input_safety;
mod limits;
mod oauth;
mod operations;
mod support;
mod uploads;
