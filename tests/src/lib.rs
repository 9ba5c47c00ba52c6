//! Support for the workspace's tests: a loopback HTTP server that records every request it
//! receives and answers with canned responses, so client tests can assert exactly what was sent,
//! and the generator's command line run in process.

pub mod codegen_cli;
pub mod recorder;

/// The README's example, compiled as a doctest so it cannot drift from the API.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExample;
