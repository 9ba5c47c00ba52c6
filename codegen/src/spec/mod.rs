//! The spec: its model, how it is read, and how it is checked.

pub mod load;
pub mod model;
pub mod parsed;
mod sample;
pub mod type_expr;
pub mod validate;

pub use load::{LoadedSpec, SpecFile};
