//! The intermediate representation: the one place that decides what the spec becomes in Rust.
//!
//! As progenitor's IR is "the operation that will become a method", this module holds the
//! crate that will be written: every item, field, variant, method, module and file name
//! chosen (by the rules of [`ident`](crate::ident), applied here and nowhere else), every
//! Rust type chosen ([`RustType`], [`ParamInput`]), every reference resolved. [`lower`]
//! builds it from a validated spec; the emitters print it, and `diff` reads it to say what a
//! change does in Rust terms. None of them looks back at the spec for a Rust decision.
//!
//! Items are kept in `BTreeMap`s keyed by name so the output order never depends on file or
//! hash order; object fields keep page order, because that is the order reviewers compare
//! with the page.

mod check;
mod data;
mod lower;
pub mod names;
mod rust_type;

pub use check::check;
pub use data::*;
pub use lower::lower;
pub use names::MODULE_ENUM;
pub use rust_type::{ParamInput, PartInput, RustType, Scalar};
