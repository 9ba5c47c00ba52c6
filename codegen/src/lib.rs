//! `zoho-codegen`: turns the YAML spec of Zoho's attachment APIs into the `zoho-attachments` crate.
//!
//! The pipeline runs one way, a module per stage, in this order:
//!
//! 1. [`load`]: reads `spec/*.yaml` into the spec model ([`load::model`]), remembering where
//!    every value came from ([`load::yaml`] is the only module that knows YAML); type
//!    expressions, path and scope templates are parsed here, once ([`load::parsed`]).
//! 2. [`validate`]: the spec's own rules, each problem located at file:line:col.
//! 3. [`ir`]: where a spec fact becomes Rust. [`ir::lower`] decides every name and type
//!    (with the rules of [`ident`]), [`ir::check`] refuses names that would collide in the
//!    generated code, including the generator's own ([`ir::names`]).
//! 4. [`emit`]: prints the IR as tokens with `quote!` (formatted by prettyplease) and
//!    Markdown and TOML with askama; decides nothing.
//! 5. [`write`](mod@write): writes atomically, leaving unchanged files untouched.
//!
//! [`check`] runs stages 1 to 3 and [`generate`] adds 4, plus the OpenAPI documents
//! ([`tools::openapi`], read from the IR like the emitters); [`tools`] holds the command line
//! and the commands beside generation (`inspect`, `schema`, `diff`, `openapi`).

// The pipeline, in the order it runs.
pub mod load;

pub mod validate;

pub mod ir;

pub mod emit;

pub mod write;

// The tools around it.
pub mod tools;

// What every stage uses.
pub mod diag;
pub mod ident;
mod parallel;

use std::path::Path;

use diag::{Code, Diagnostic};
use emit::OutputFile;
use load::LoadedSpec;

/// A spec folder that passed every check: the spec's own rules and the IR's name checks.
#[derive(Debug)]
pub struct Checked {
    /// The validated spec.
    pub spec: LoadedSpec,
    /// The intermediate representation.
    pub krate: ir::Crate,
}

/// Everything a spec folder generates, in memory: the crate and its OpenAPI documents.
#[derive(Debug)]
pub struct Generated {
    /// The validated spec.
    pub spec: LoadedSpec,
    /// The intermediate representation.
    pub krate: ir::Crate,
    /// The files of the generated crate, sorted by path, with the OpenAPI documents under
    /// `openapi/` ([`tools::openapi`]).
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
    check_tolerating(spec_dir, |_| false).map(|(checked, _)| checked)
}

/// [`check`], but problems of the codes `tolerated` accepts do not fail it: they come back
/// beside the result. `diff` reads an older spec this way, written before a text rule
/// existed, since the rule does not change what it compares.
pub fn check_tolerating(
    spec_dir: &Path,
    tolerated: impl Fn(Code) -> bool,
) -> Result<(Checked, Vec<Diagnostic>), Vec<Diagnostic>> {
    let spec = load::load(spec_dir).map_err(sorted)?;
    let mut problems = validate::validate(&spec);
    match ir::lower(&spec) {
        Ok(krate) => {
            problems.extend(ir::check(&krate, &spec));
            if problems.iter().all(|problem| tolerated(problem.code)) {
                return Ok((Checked { spec, krate }, sorted(problems)));
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
    let mut files = emit::render(&krate).map_err(|message| vec![internal(spec_dir, message)])?;
    // Written, checked and removed with the crate, so they can never be staler than it.
    files.extend(
        tools::openapi::crate_files(&spec, &krate)
            .map_err(|message| vec![internal(spec_dir, message)])?,
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
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
