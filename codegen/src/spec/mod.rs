//! The spec: its model, how it is read, and how it is checked.

pub mod load;
pub mod model;
pub mod parsed;
mod sample;
pub mod type_expr;
pub mod validate;

use std::path::Path;

pub use load::{LoadedSpec, SpecFile};

use crate::diag::{self, Diagnostic};

/// Reads and checks a spec folder; on failure, every problem found, sorted by position.
pub fn load_and_validate(dir: &Path) -> Result<LoadedSpec, Vec<Diagnostic>> {
    let spec = load::load(dir).map_err(sorted)?;
    let problems = validate::validate(&spec);
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(sorted(problems))
    }
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::sort(&mut diagnostics);
    diagnostics
}
