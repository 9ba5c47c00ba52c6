//! The `audit` subcommand: its arguments and what it prints. `cli` parses and dispatches.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::matching::{self, Target};
use super::{Matched, PageAudit, Report, compare};
use crate::load::LoadedSpec;
use crate::tools::exit::{CHANGES, FAILURE, SUCCESS, USAGE};
use crate::tools::page::{self, MAX_PAGE_BYTES, PageError, PageFacts};

/// Exit statuses of `audit`, shown by `--help` and documented in `spec/README.md`.
const EXIT_STATUS: &str = "\
Exit status:
  0  every page agrees with the spec (differences it acknowledges aside)
  3  differences were found
  1  a page could not be read or matches no operation, or the spec is broken
  2  usage error";

/// Report formats: those of `diff`, for the same readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A heading per page and operation, one line per difference, then a summary.
    Text,
    /// GitHub-flavoured Markdown: a table per page and operation.
    Markdown,
    /// A stable JSON object (`zoho-codegen-audit/1`).
    Json,
    /// GitHub Actions workflow commands that annotate the spec's files.
    Github,
}

/// Arguments of `zoho-codegen audit`.
#[derive(Args, Debug)]
#[command(after_help = EXIT_STATUS)]
pub struct AuditArgs {
    /// Saved Zoho documentation pages: HTML (as a browser or curl saves it), or a Markdown or
    /// plain-text rendering.
    #[arg(value_name = "PAGE", required = true)]
    pages: Vec<PathBuf>,
    /// The spec folder.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec: PathBuf,
    /// The operation the pages describe (`crm.v2.1.upload_attachment`), instead of finding it
    /// by the page's links, method, path and version.
    #[arg(long, value_name = "PRODUCT.VERSION.NAME")]
    operation: Option<String>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also report the differences the spec acknowledges (`acknowledged:`).
    #[arg(long)]
    all: bool,
    /// Print the facts read from each page, as JSON, instead of comparing them with the spec.
    #[arg(long, conflicts_with_all = ["all", "operation", "format"])]
    facts: bool,
}

// Writes to the terminal: a closed pipe is not worth failing an audit for.
macro_rules! say {
    ($stream:expr, $($arg:tt)*) => {{
        let _ = write!($stream, $($arg)*);
    }};
}

/// Runs `audit` with `args`, printing the report to `out` and problems to `err`; returns the
/// exit status.
pub fn run(args: &AuditArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.facts {
        return print_facts(args, out, err);
    }
    let checked = match crate::check(&args.spec) {
        Ok(checked) => checked,
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                say!(err, "{}\n", diagnostic.styled());
            }
            say!(
                err,
                "error: the spec in {} has {} problem{}; cannot audit against it\n",
                args.spec.display(),
                diagnostics.len(),
                if diagnostics.len() == 1 { "" } else { "s" }
            );
            return FAILURE;
        }
    };
    let spec = &checked.spec;
    let forced = match &args.operation {
        Some(id) => match matching::named(spec, id) {
            Ok(target) => Some(target),
            Err(why) => {
                say!(err, "error: --operation: {why}\n");
                return USAGE;
            }
        },
        None => None,
    };
    let pages = args
        .pages
        .iter()
        .map(|path| audit_page(spec, path, forced))
        .collect();
    let report = Report {
        pages,
        all: args.all,
    };
    for page in &report.pages {
        if let Some(problem) = &page.problem {
            say!(err, "error: {}: {problem}\n", page.page);
        }
    }
    say!(out, "{}", super::render::render(&report, args.format));
    if report.problems() > 0 {
        FAILURE
    } else if report.unacknowledged() > 0 {
        CHANGES
    } else {
        SUCCESS
    }
}

/// Reads, matches and compares one page.
pub fn audit_page(spec: &LoadedSpec, path: &Path, forced: Option<Target<'_>>) -> PageAudit {
    let mut audit = PageAudit {
        page: path.display().to_string(),
        format: None,
        operations: Vec::new(),
        problem: None,
    };
    let facts = match read_page(path) {
        Ok(facts) => facts,
        Err(problem) => {
            audit.problem = Some(problem);
            return audit;
        }
    };
    audit.format = Some(facts.format);
    for operation in &facts.operations {
        let found = match forced {
            Some(target) => Ok((target, "--operation".to_owned())),
            None => matching::find(spec, &facts, operation),
        };
        match found {
            Ok((target, by)) => audit.operations.push(Matched {
                product: target.file.spec.product.clone(),
                version: target.file.spec.version.clone(),
                operation: target.name.to_owned(),
                by,
                page_line: operation.line,
                findings: compare::compare(spec, operation, &target),
            }),
            Err(why) => {
                let title = operation
                    .title
                    .as_ref()
                    .map(|title| format!(" \"{}\"", title.value))
                    .unwrap_or_default();
                audit.problem = Some(format!(
                    "the operation{title} at line {} {why}",
                    operation.line
                ));
                audit.operations.clear();
                return audit;
            }
        }
    }
    audit
}

/// Reads a page file and its facts, or says why it cannot be read.
pub fn read_page(path: &Path) -> Result<PageFacts, String> {
    // Refused before reading, so that a huge file costs nothing.
    let metadata = std::fs::metadata(path).map_err(|error| format!("cannot read it: {error}"))?;
    if !metadata.is_file() {
        return Err("not a file".to_owned());
    }
    if metadata.len() > MAX_PAGE_BYTES as u64 {
        return Err(PageError::TooLarge {
            size: usize::try_from(metadata.len()).unwrap_or(usize::MAX),
        }
        .to_string());
    }
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read it: {error}"))?;
    page::read(&bytes).map_err(|error| error.to_string())
}

fn print_facts(args: &AuditArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut status = SUCCESS;
    let mut all = Vec::new();
    for path in &args.pages {
        match read_page(path) {
            Ok(facts) => all.push(serde_json::json!({
                "page": path.display().to_string(),
                "facts": facts,
            })),
            Err(problem) => {
                say!(err, "error: {}: {problem}\n", path.display());
                status = FAILURE;
            }
        }
    }
    let text = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".to_owned());
    say!(out, "{text}\n");
    status
}
