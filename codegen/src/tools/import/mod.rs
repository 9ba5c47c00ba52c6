//! `zoho-codegen import PAGE --product P --version V`: drafts the spec of a saved Zoho
//! documentation page, so that a maintainer transcribing a new page starts from its facts
//! rather than from a blank file.
//!
//! The page is read as `audit` reads it ([`super::page`]); [`draft`] turns each of its
//! operations into the spec format's own types (so the draft is what the loader accepts), with a
//! `note:` wherever the page does not give a fact the format needs (a type, whether a parameter
//! is mandatory, an error row's lost code) instead of a guess. The draft is then checked as
//! `generate` would check it, and what still needs the maintainer is listed. It is printed, or
//! written to a new file with `--out`; import never overwrites a file.

pub mod draft;
pub mod server;
pub mod types;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::load::model::ApiSpec;
use crate::load::{self, SHARED_FILE};
use crate::tools::audit::command::read_page;
use crate::tools::exit::{FAILURE, SUCCESS, USAGE};

/// Arguments of `zoho-codegen import`.
#[derive(Args, Debug)]
#[command(
    after_help = "Exit status:\n  0  the draft was printed or written\n  1  the page \
                        could not be read or drafted, or the spec's shared.yaml is broken\n  2  \
                        usage error (including an --out file that exists)"
)]
pub struct ImportArgs {
    /// A saved Zoho documentation page: HTML, or a Markdown or plain-text rendering.
    #[arg(value_name = "PAGE")]
    page: PathBuf,
    /// The product (a key of `products` in shared.yaml): `crm`, `bigin`, `contracts`.
    #[arg(long)]
    product: String,
    /// The version as Zoho writes it in its URLs: `v8`, `v2.1`.
    #[arg(long)]
    version: String,
    /// The operation's snake_case name (a page with one operation); derived from the page's
    /// title otherwise.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The page's address, when the saved page does not carry it.
    #[arg(long, value_name = "URL")]
    source: Option<String>,
    /// The spec folder, for its shared.yaml (host sets, products).
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec: PathBuf,
    /// Write the draft to this new file instead of printing it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

// Writes to the terminal: a closed pipe is not worth failing an import for.
macro_rules! say {
    ($stream:expr, $($arg:tt)*) => {{
        let _ = write!($stream, $($arg)*);
    }};
}

/// Runs `import` with `args`; returns the exit status.
pub fn run(args: &ImportArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(path) = &args.out
        && (path.exists() || path.is_symlink())
    {
        say!(
            err,
            "error: {} exists; import never overwrites a file: choose a new --out\n",
            path.display()
        );
        return USAGE;
    }
    let shared = match load::load(&args.spec) {
        Ok(spec) => spec.shared.spec,
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                say!(err, "{}\n", diagnostic.styled());
            }
            say!(
                err,
                "error: cannot read {}/{SHARED_FILE}\n",
                args.spec.display()
            );
            return FAILURE;
        }
    };
    let page = match read_page(&args.page) {
        Ok(page) => page,
        Err(problem) => {
            say!(err, "error: {}: {problem}\n", args.page.display());
            return FAILURE;
        }
    };
    if args.name.is_some() && page.operations.len() > 1 {
        say!(
            err,
            "error: --name: the page describes {} operations; each is named after its title\n",
            page.operations.len()
        );
        return USAGE;
    }
    let request = draft::Request {
        product: &args.product,
        version: &args.version,
        name: args.name.as_deref(),
        source: args.source.as_deref(),
    };
    let mut spec: Option<ApiSpec> = None;
    for operation in &page.operations {
        let drafted = match draft::draft(&shared, &page, operation, &request) {
            Ok(drafted) => drafted,
            Err(problem) => {
                say!(err, "error: {}: {problem}\n", args.page.display());
                return FAILURE;
            }
        };
        match &mut spec {
            None => spec = Some(drafted),
            Some(spec) => merge(spec, drafted),
        }
    }
    let Some(spec) = spec else {
        say!(
            err,
            "error: {}: no operation was found\n",
            args.page.display()
        );
        return FAILURE;
    };
    let page_name = args.page.file_name().map_or_else(
        || args.page.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let text = match render(&spec, &page_name) {
        Ok(text) => text,
        Err(problem) => {
            say!(err, "error: cannot write the draft as YAML: {problem}\n");
            return FAILURE;
        }
    };
    for problem in problems(&args.spec, &spec, &text) {
        say!(err, "warning: the draft needs: {problem}\n");
    }
    match &args.out {
        None => say!(out, "{text}"),
        Some(path) => {
            if let Err(error) = write_new(path, &text) {
                say!(err, "error: cannot write {}: {error}\n", path.display());
                return FAILURE;
            }
            say!(
                err,
                "zoho-codegen: drafted {} into {}\n",
                page_name,
                path.display()
            );
        }
    }
    SUCCESS
}

/// The draft as a product file, with a header saying what it is.
pub fn render(spec: &ApiSpec, page_name: &str) -> Result<String, String> {
    let yaml = load::yaml::to_yaml(spec)?;
    Ok(format!(
        "# yaml-language-server: $schema=schema/product.schema.json\n\
         # Drafted by `zoho-codegen import` from {page_name}. Each `note:` marks a fact the page \
         does not give:\n\
         # check it, then keep it for users, move it to `provenance:`, or delete it.\n{yaml}"
    ))
}

/// Adds the modules, types and operations of `other` (a later operation of the same page).
fn merge(spec: &mut ApiSpec, other: ApiSpec) {
    for (name, module) in other.modules {
        spec.modules.entry(name).or_insert(module);
    }
    for (name, ty) in other.types {
        spec.types.entry(name).or_insert(ty);
    }
    spec.operations.extend(other.operations);
}

/// What `generate` would refuse in the draft, checked in a temporary spec folder holding the
/// draft beside the spec's shared.yaml; each problem as `file:line:col: message`.
fn problems(spec_dir: &Path, spec: &ApiSpec, text: &str) -> Vec<String> {
    let check = || -> Result<Vec<String>, String> {
        let temp = tempfile::tempdir().map_err(|error| error.to_string())?;
        std::fs::copy(spec_dir.join(SHARED_FILE), temp.path().join(SHARED_FILE))
            .map_err(|error| error.to_string())?;
        let file = format!("{}-{}.yaml", spec.product, spec.version);
        std::fs::write(temp.path().join(&file), text).map_err(|error| error.to_string())?;
        Ok(match crate::check(temp.path()) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics
                .iter()
                .map(|diagnostic| {
                    let plain = diagnostic.to_string();
                    plain
                        .replace(&temp.path().display().to_string(), "draft")
                        .trim_end()
                        .to_owned()
                })
                .collect(),
        })
    };
    check().unwrap_or_else(|problem| vec![format!("the draft could not be checked: {problem}")])
}

/// Writes `text` to `path`, which must not exist.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}
