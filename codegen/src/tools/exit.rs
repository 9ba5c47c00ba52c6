//! The exit statuses of `zoho-codegen`, shared by every command.

/// Exit status: success.
pub const SUCCESS: u8 = 0;
/// Exit status: the spec is broken, the crate is stale, or a file could not be written.
pub const FAILURE: u8 = 1;
/// Exit status: the command line itself is wrong.
pub const USAGE: u8 = 2;
/// Exit status of `diff`: changes at or above `--fail-on` were found.
pub const CHANGES: u8 = 3;
