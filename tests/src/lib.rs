//! Test support for the zoho workspace.
