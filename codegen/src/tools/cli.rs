//! The `zoho-codegen` command line: regenerate, check or inspect.
//!
//! [`run`] takes its arguments and output streams as parameters, so tests drive exactly what a
//! user runs; `main.rs` only connects it to the process.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use super::{inspect, openapi, schema};
use crate::diag::Diagnostic;
use crate::{Generated, generate, write};

pub use super::exit::{CHANGES, FAILURE, SUCCESS, USAGE};

/// Generates the typed Zoho attachments client (`generated/`) from its YAML spec (`spec/`).
///
/// With no command, regenerates: the same as `generate`.
#[derive(Parser)]
#[command(name = "zoho-codegen", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    paths: Paths,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crate from the spec; unchanged files are left untouched.
    Generate(Paths),
    /// Fail, naming the files, if the crate is not exactly what the spec generates.
    Check(Paths),
    /// Print the validated model (operations, parameters, modules, scopes, keys, errors).
    Inspect(InspectArgs),
    /// Write the JSON Schemas of the spec format into `<spec>/schema/`, for editors.
    Schema(SchemaArgs),
    /// Report what changed between two specs (folders or git revisions) and what it does to
    /// the generated crate: breaking, possibly breaking or info, with the semver bump it needs.
    Diff(crate::tools::diff::command::DiffArgs),
    /// Compare saved Zoho documentation pages with the spec: every fact on which they differ,
    /// with the page's line and the spec's file:line:col.
    Audit(crate::tools::audit::command::AuditArgs),
    /// Draft the spec of a saved Zoho documentation page (a product file to review), writing
    /// a `note:` wherever the page does not give a fact; never overwrites a file.
    Import(crate::tools::import::ImportArgs),
    /// Write the spec as OpenAPI 3.1 documents, one per product version (`crm-v8.json`), for
    /// validators, API explorers and test tools; `generate` also writes them to
    /// `<out>/openapi/`.
    Openapi(OpenapiArgs),
}

#[derive(Args, Clone)]
struct OpenapiArgs {
    /// The spec folder.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec: PathBuf,
    /// Where the documents go; generated documents there that the spec no longer produces
    /// are removed.
    #[arg(long, value_name = "DIR", default_value = "generated/openapi")]
    out: PathBuf,
}

#[derive(Args, Clone)]
struct Paths {
    /// The spec folder.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec: PathBuf,
    /// The generated crate's folder.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,
}

#[derive(Args)]
struct SchemaArgs {
    /// The spec folder; the schemas go to its `schema/` subfolder.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec: PathBuf,
}

#[derive(Args)]
struct InspectArgs {
    /// The spec folder.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec: PathBuf,
    /// Print the whole model as JSON instead of a summary.
    #[arg(long)]
    json: bool,
}

/// Runs the command line `args` (the first being the program name), writing results to `out`
/// and problems to `err` (with ANSI styles; wrap it in `anstream` to strip them). Returns the
/// exit status.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let to_stdout = !error.use_stderr();
            let text = error.render().ansi().to_string();
            let stream: &mut dyn Write = if to_stdout { out } else { err };
            let _ = write!(stream, "{text}");
            return if to_stdout { SUCCESS } else { USAGE };
        }
    };
    let mut io = Io { out, err };
    let paths = match &cli.command {
        None => Some(cli.paths.clone()),
        Some(Command::Generate(paths) | Command::Check(paths)) => Some(paths.clone()),
        Some(Command::Openapi(args)) => Some(Paths {
            spec: args.spec.clone(),
            out: args.out.clone(),
        }),
        Some(
            Command::Inspect(_)
            | Command::Schema(_)
            | Command::Diff(_)
            | Command::Audit(_)
            | Command::Import(_),
        ) => None,
    };
    if let Some(paths) = &paths
        && let Err(problem) = separate_folders(paths)
    {
        let _ = writeln!(io.err, "error: {problem}");
        return USAGE;
    }
    match cli.command {
        None => run_generate(&cli.paths, &mut io),
        Some(Command::Generate(paths)) => run_generate(&paths, &mut io),
        Some(Command::Check(paths)) => run_check(&paths, &mut io),
        Some(Command::Inspect(args)) => run_inspect(&args, &mut io),
        Some(Command::Schema(args)) => run_schema(&args, &mut io),
        Some(Command::Diff(args)) => crate::tools::diff::command::run(&args, io.out, io.err),
        Some(Command::Openapi(args)) => run_openapi(&args, &mut io),
        Some(Command::Audit(args)) => crate::tools::audit::command::run(&args, io.out, io.err),
        Some(Command::Import(args)) => crate::tools::import::run(&args, io.out, io.err),
    }
}

/// Refuses an output folder that is the spec folder, is inside it or contains it: generating
/// there would overwrite or delete spec files (`--out spec` replaced `spec/README.md`). Compared
/// as canonical paths, so `.`, `..` and symbolic links do not hide an overlap; a folder that does
/// not exist yet is its nearest existing ancestor's canonical path plus the rest.
fn separate_folders(paths: &Paths) -> Result<(), String> {
    let resolve = |path: &Path| {
        resolved(path).map_err(|error| format!("cannot resolve {}: {error}", path.display()))
    };
    let spec = resolve(&paths.spec)?;
    let out = resolve(&paths.out)?;
    let relation = if out == spec {
        "is the spec folder"
    } else if out.starts_with(&spec) {
        "is inside the spec folder"
    } else if spec.starts_with(&out) {
        "contains the spec folder"
    } else {
        return Ok(());
    };
    Err(format!(
        "the output folder `--out {}` ({}) {relation} `--spec {}` ({}); generating there would \
         overwrite or remove spec files. Choose an output folder outside the spec folder",
        paths.out.display(),
        out.display(),
        paths.spec.display(),
        spec.display()
    ))
}

/// `path` made absolute with every symbolic link resolved, as far as it exists; the components
/// that do not exist yet are appended as they will be created (`..` removing the one before).
fn resolved(path: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;

    let absolute = std::env::current_dir()?.join(path);
    let components: Vec<Component<'_>> = absolute.components().collect();
    for existing in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..existing].iter().collect();
        let Ok(mut base) = std::fs::canonicalize(&prefix) else {
            continue;
        };
        for component in &components[existing..] {
            match component {
                Component::Normal(name) => base.push(name),
                Component::ParentDir => {
                    base.pop();
                }
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        return Ok(base);
    }
    Ok(absolute)
}

/// Where a command writes.
struct Io<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
}

// Writes to the terminal: a closed pipe is not worth failing a generation for.
macro_rules! say {
    ($stream:expr, $($arg:tt)*) => {{
        let _ = writeln!($stream, $($arg)*);
    }};
}

fn load(spec: &Path, io: &mut Io<'_>) -> Result<Generated, u8> {
    generate(spec).map_err(|diagnostics| report(&diagnostics, io))
}

/// Prints every problem, then a summary; nothing has been written.
fn report(diagnostics: &[Diagnostic], io: &mut Io<'_>) -> u8 {
    for diagnostic in diagnostics {
        say!(io.err, "{}", diagnostic.styled());
    }
    let count = diagnostics.len();
    say!(
        io.err,
        "error: {count} problem{} in the spec; nothing was written",
        if count == 1 { "" } else { "s" }
    );
    FAILURE
}

fn run_generate(paths: &Paths, io: &mut Io<'_>) -> u8 {
    let started = Instant::now();
    let generated = match load(&paths.spec, io) {
        Ok(generated) => generated,
        Err(code) => return code,
    };
    match write::write_all(&paths.out, &generated.files) {
        Ok(report) => {
            say!(
                io.out,
                "zoho-codegen: {} operations from {} spec files into {}: {} written, {} unchanged, {} removed ({} ms)",
                generated.operation_count(),
                generated.spec.apis.len() + 1,
                paths.out.display(),
                report.written.len(),
                report.unchanged.len(),
                report.removed.len(),
                started.elapsed().as_millis()
            );
            SUCCESS
        }
        Err(error) => {
            say!(
                io.err,
                "error: cannot write {}: {error}",
                paths.out.display()
            );
            FAILURE
        }
    }
}

fn run_check(paths: &Paths, io: &mut Io<'_>) -> u8 {
    let generated = match load(&paths.spec, io) {
        Ok(generated) => generated,
        Err(code) => return code,
    };
    let schema_fine = check_schemas(&paths.spec, io);
    match write::check(&paths.out, &generated.files) {
        Ok(stale) if stale.is_empty() => {
            if !schema_fine {
                return FAILURE;
            }
            say!(
                io.out,
                "zoho-codegen: {} is up to date with {} ({} files)",
                paths.out.display(),
                paths.spec.display(),
                generated.files.len()
            );
            SUCCESS
        }
        Ok(stale) => {
            for item in &stale {
                say!(io.err, "stale: {}/{item}", paths.out.display());
            }
            say!(
                io.err,
                "error: {} is not what {} generates ({} file{}); run `{}` and commit the result",
                paths.out.display(),
                paths.spec.display(),
                stale.len(),
                if stale.len() == 1 { "" } else { "s" },
                regenerate_command(paths)
            );
            FAILURE
        }
        Err(error) => {
            say!(
                io.err,
                "error: cannot read {}: {error}",
                paths.out.display()
            );
            FAILURE
        }
    }
}

/// Whether `<spec>/schema/` holds exactly the schemas of this generator's spec format; if not,
/// says which files are stale and how to refresh them.
fn check_schemas(spec: &Path, io: &mut Io<'_>) -> bool {
    let dir = spec.join(schema::DIR);
    let stale = schema::files().and_then(|files| {
        write::check(&dir, &files)
            .map_err(|error| format!("cannot read {}: {error}", dir.display()))
    });
    match stale {
        Ok(stale) if stale.is_empty() => true,
        Ok(stale) => {
            for item in &stale {
                say!(io.err, "stale: {}/{item}", dir.display());
            }
            let command = if spec == Path::new("spec") {
                "cargo run -p zoho-codegen -- schema".to_owned()
            } else {
                format!(
                    "cargo run -p zoho-codegen -- schema --spec {}",
                    spec.display()
                )
            };
            say!(
                io.err,
                "error: the spec format's JSON Schema in {} is out of date; run `{command}` and commit the result",
                dir.display()
            );
            false
        }
        Err(error) => {
            say!(io.err, "error: {error}");
            false
        }
    }
}

/// The command that fixes a failed check, with the folders the check was given.
fn regenerate_command(paths: &Paths) -> String {
    let mut command = String::from("cargo run -p zoho-codegen");
    let defaults = (Path::new("spec"), Path::new("generated"));
    if (paths.spec.as_path(), paths.out.as_path()) != defaults {
        command.push_str(&format!(
            " -- generate --spec {} --out {}",
            paths.spec.display(),
            paths.out.display()
        ));
    }
    command
}

fn run_schema(args: &SchemaArgs, io: &mut Io<'_>) -> u8 {
    let dir = args.spec.join(schema::DIR);
    let written = schema::files().and_then(|files| {
        write::write_all(&dir, &files)
            .map_err(|error| format!("cannot write {}: {error}", dir.display()))
    });
    match written {
        Ok(report) => {
            say!(
                io.out,
                "zoho-codegen: schemas in {}: {} written, {} unchanged",
                dir.display(),
                report.written.len(),
                report.unchanged.len()
            );
            SUCCESS
        }
        Err(error) => {
            say!(io.err, "error: {error}");
            FAILURE
        }
    }
}

fn run_openapi(args: &OpenapiArgs, io: &mut Io<'_>) -> u8 {
    let checked = match crate::check(&args.spec) {
        Ok(checked) => checked,
        Err(diagnostics) => return report(&diagnostics, io),
    };
    let written = openapi::files(&checked.spec, &checked.krate).and_then(|files| {
        write::write_all(&args.out, &files)
            .map_err(|error| format!("cannot write {}: {error}", args.out.display()))
    });
    match written {
        Ok(report) => {
            say!(
                io.out,
                "zoho-codegen: OpenAPI documents in {}: {} written, {} unchanged, {} removed",
                args.out.display(),
                report.written.len(),
                report.unchanged.len(),
                report.removed.len()
            );
            SUCCESS
        }
        Err(error) => {
            say!(io.err, "error: {error}");
            FAILURE
        }
    }
}

fn run_inspect(args: &InspectArgs, io: &mut Io<'_>) -> u8 {
    let generated = match load(&args.spec, io) {
        Ok(generated) => generated,
        Err(code) => return code,
    };
    if !args.json {
        let _ = write!(io.out, "{}", inspect::summary(&generated));
        return SUCCESS;
    }
    match serde_json::to_string_pretty(&inspect::model(&generated)) {
        Ok(json) => {
            say!(io.out, "{json}");
            SUCCESS
        }
        Err(error) => {
            say!(io.err, "error: cannot encode the model: {error}");
            FAILURE
        }
    }
}
