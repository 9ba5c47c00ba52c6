//! The `diff` subcommand: its arguments and what it prints. `cli` parses and dispatches.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::source::{self, LoadError, LoadedSide};
use super::{Level, Report, render, rules};
use crate::tools::exit::{CHANGES, FAILURE, SUCCESS};

/// Exit statuses of `diff`, shown by `--help` and documented in `spec/README.md`.
const EXIT_STATUS: &str = "\
Exit status:
  0  no change at or above --fail-on (or --fail-on none)
  3  changes at or above --fail-on were found
  1  a side could not be loaded (broken spec, unknown revision, git missing)
  2  usage error";

/// Arguments of `zoho-codegen diff`.
#[derive(Args, Debug)]
#[command(after_help = EXIT_STATUS)]
pub struct DiffArgs {
    /// The spec before the change: a folder, or a git revision (`origin/main`, `HEAD~1`, a sha).
    #[arg(value_name = "BASE", required_unless_present = "rules")]
    base: Option<String>,
    /// The spec after the change: a folder, or a git revision (`HEAD`).
    #[arg(value_name = "HEAD", required_unless_present = "rules")]
    head: Option<String>,
    /// The spec folder inside the repository, for a side given as a revision.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec_dir: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with status 3 when a change is at this level or above.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Breaking)]
    fail_on: FailOn,
    /// Run as if started in DIR (like `git -C`): folders are relative to it and revisions are
    /// of the repository containing it.
    #[arg(long, value_name = "DIR", default_value = ".")]
    repo: PathBuf,
    /// Print the rules (id, level, bump, meaning) instead of comparing.
    #[arg(long, conflicts_with_all = ["base", "head"])]
    rules: bool,
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per change, its API effect below, then a summary.
    Text,
    /// GitHub-flavoured Markdown for a pull-request comment.
    Markdown,
    /// A stable JSON object (`zoho-codegen-diff/1`).
    Json,
    /// GitHub Actions workflow commands that annotate the files.
    Github,
}

/// The level that fails the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Breaking changes only.
    Breaking,
    /// Breaking and possibly-breaking changes.
    PossiblyBreaking,
    /// Any change.
    Info,
    /// Never.
    None,
}

impl FailOn {
    fn level(self) -> Option<Level> {
        match self {
            FailOn::Breaking => Some(Level::Breaking),
            FailOn::PossiblyBreaking => Some(Level::PossiblyBreaking),
            FailOn::Info => Some(Level::Info),
            FailOn::None => None,
        }
    }
}

// Writes to the terminal: a closed pipe is not worth failing a review for.
macro_rules! say {
    ($stream:expr, $($arg:tt)*) => {{
        let _ = write!($stream, $($arg)*);
    }};
}

/// Runs `diff` with `args`, printing the report to `out` and problems to `err`; returns the exit
/// status.
pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.rules {
        say!(out, "{}", rules_listing(args.format));
        return SUCCESS;
    }
    let (Some(base), Some(head)) = (&args.base, &args.head) else {
        // clap requires both without `--rules`; this only guards a misuse of the library.
        say!(err, "error: BASE and HEAD are required\n");
        return crate::tools::exit::USAGE;
    };
    let base = match load(base, "BASE", args, err) {
        Ok(side) => side,
        Err(code) => return code,
    };
    let head = match load(head, "HEAD", args, err) {
        Ok(side) => side,
        Err(code) => return code,
    };
    let report = Report::new((&base.spec, base.label), (&head.spec, head.label));
    let text = match args.format {
        Format::Text => render::text::render(&report),
        Format::Markdown => render::markdown::render(&report),
        Format::Json => render::json::render(&report),
        Format::Github => render::github::render(&report),
    };
    say!(out, "{text}");
    match args.fail_on.level() {
        Some(level) if report.any_at_least(level) => CHANGES,
        _ => SUCCESS,
    }
}

/// Loads one side, or prints why it cannot be and gives the exit status.
fn load(
    argument: &str,
    role: &str,
    args: &DiffArgs,
    err: &mut dyn Write,
) -> Result<LoadedSide, u8> {
    // The base may predate a text rule; the head is what is being reviewed.
    let tolerate_text = role == "BASE";
    let side = source::load(argument, &args.repo, &args.spec_dir, tolerate_text).map_err(|error| {
        match error {
            LoadError::Spec(diagnostics) => {
                for diagnostic in &diagnostics {
                    say!(err, "{}\n", diagnostic.styled());
                }
                let count = diagnostics.len();
                say!(
                    err,
                    "error: {role} (`{argument}`) has {count} problem{} in the spec; cannot compare\n",
                    if count == 1 { "" } else { "s" }
                );
            }
            LoadError::Unreadable(why) => say!(err, "error: cannot read {role}: {why}\n"),
        }
        FAILURE
    })?;
    if !side.tolerated.is_empty() {
        let count = side.tolerated.len();
        say!(
            err,
            "warning: {role} (`{argument}`) has {count} text problem{} that today's rules refuse \
             (the first: {}); compared anyway, since they change nothing diff compares\n",
            if count == 1 { "" } else { "s" },
            side.tolerated[0]
                .styled()
                .lines()
                .next()
                .unwrap_or_default()
        );
    }
    Ok(side)
}

/// `--rules`: the rules table (Markdown, as in `spec/README.md`), or JSON.
fn rules_listing(format: Format) -> String {
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = rules::Rule::ALL
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "rule": rule.id(),
                        "level": rule.level().as_str(),
                        "bump": rule.bump().as_str(),
                        "doc": rule.doc(),
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
            text.push('\n');
            text
        }
        _ => rules::markdown_table(),
    }
}
