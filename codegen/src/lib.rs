//! `zoho-codegen`: turns the YAML spec of Zoho's attachment APIs into the `zoho-attachments` crate.
//!
//! The stages run one way, each in its own module:
//! [`spec`] (load with locations, then validate) → [`ir`] (what will become Rust) →
//! [`emit`] (tokens with `quote!`, formatted by prettyplease; Markdown with askama) →
//! [`write`] (atomic, unchanged files untouched). [`ident`] owns every naming rule and
//! [`yaml`] is the only module that knows about YAML.

pub mod cli;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod ident;
pub mod inspect;
pub mod ir;
pub mod schema;
pub mod spec;
pub mod write;
pub mod yaml;

use std::path::Path;

use diag::{Code, Diagnostic};
use emit::OutputFile;
use spec::LoadedSpec;

/// Everything a spec folder generates, in memory.
#[derive(Debug)]
pub struct Generated {
    /// The validated spec.
    pub spec: LoadedSpec,
    /// The intermediate representation.
    pub krate: ir::Crate,
    /// The files of the generated crate, sorted by path.
    pub files: Vec<OutputFile>,
}

impl Generated {
    /// The number of operations across all products and versions, composites included.
    pub fn operation_count(&self) -> usize {
        self.krate
            .products
            .values()
            .flat_map(|product| product.apis.values())
            .map(|api| api.operations.len() + api.composites.len())
            .sum()
    }
}

/// Loads, checks, lowers and renders a spec folder; writes nothing. On failure, every problem
/// found, sorted by file and position.
pub fn generate(spec_dir: &Path) -> Result<Generated, Vec<Diagnostic>> {
    let spec = spec::load_and_validate(spec_dir)?;
    let internal = |message: String| {
        vec![
            Diagnostic::new(
                spec_dir.display().to_string(),
                None,
                Code::Internal,
                message,
            )
            .with_hint("this is a bug in zoho-codegen, not in the spec; please report it"),
        ]
    };
    let krate = ir::lower(&spec).map_err(internal)?;
    let files = emit::render(&krate).map_err(internal)?;
    Ok(Generated { spec, krate, files })
}
