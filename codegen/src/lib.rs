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
mod parallel;
pub mod schema;
pub mod spec;
pub mod write;
pub mod yaml;

use std::path::Path;

use diag::{Code, Diagnostic};
use emit::OutputFile;
use spec::LoadedSpec;

/// A spec folder that passed every check: the spec's own rules and the IR's name checks.
#[derive(Debug)]
pub struct Checked {
    /// The validated spec.
    pub spec: LoadedSpec,
    /// The intermediate representation.
    pub krate: ir::Crate,
}

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

/// Loads, validates and lowers a spec folder, then checks the names of the result; writes
/// nothing. On failure, every problem found, sorted by file and position.
///
/// The IR is built even when validation found problems, if it can be, so that a name clash is
/// reported in the same run as a missing reference.
pub fn check(spec_dir: &Path) -> Result<Checked, Vec<Diagnostic>> {
    let spec = spec::load::load(spec_dir).map_err(sorted)?;
    let mut problems = spec::validate::validate(&spec);
    match ir::lower(&spec) {
        Ok(krate) => {
            problems.extend(ir::check(&krate, &spec));
            if problems.is_empty() {
                return Ok(Checked { spec, krate });
            }
        }
        // Lowering needs what validation checks; its failure adds nothing to their report.
        Err(_) if !problems.is_empty() => {}
        Err(message) => return Err(vec![internal(spec_dir, message)]),
    }
    Err(sorted(problems))
}

/// Checks, lowers and renders a spec folder; writes nothing. On failure, every problem
/// found, sorted by file and position.
pub fn generate(spec_dir: &Path) -> Result<Generated, Vec<Diagnostic>> {
    let Checked { spec, krate } = check(spec_dir)?;
    let files = emit::render(&krate).map_err(|message| vec![internal(spec_dir, message)])?;
    Ok(Generated { spec, krate, files })
}

/// A problem that is the generator's fault, not the spec's.
fn internal(spec_dir: &Path, message: String) -> Diagnostic {
    Diagnostic::new(
        spec_dir.display().to_string(),
        None,
        Code::Internal,
        message,
    )
    .with_hint("this is a bug in zoho-codegen, not in the spec; please report it")
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diag::sort(&mut diagnostics);
    diagnostics
}
