//! The tools around the pipeline: the command line, and what it offers beside generation.
//!
//! [`cli`] parses the command line and runs the pipeline (`generate`, `check`); [`inspect`]
//! prints the validated model, [`schema`] writes the JSON Schemas of the spec format for
//! editors, [`diff`] says what a spec change does to the generated crate, [`openapi`]
//! exports the spec as OpenAPI 3.1 documents for other tools, [`audit`] compares saved
//! Zoho documentation pages ([`page`]) with the spec, and [`import`] drafts the spec of one.

pub mod audit;
pub mod cli;
pub mod diff;
pub mod exit;
pub mod import;
pub mod inspect;
pub mod openapi;
pub mod page;
pub mod schema;
