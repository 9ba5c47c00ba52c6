//! The `zoho-codegen` command: regenerate, check or inspect.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use zoho_codegen::diag::Diagnostic;
use zoho_codegen::{Generated, generate, inspect, write};

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
struct InspectArgs {
    /// The spec folder.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec: PathBuf,
    /// Print the whole model as JSON instead of a summary.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => run_generate(&cli.paths),
        Some(Command::Generate(paths)) => run_generate(&paths),
        Some(Command::Check(paths)) => run_check(&paths),
        Some(Command::Inspect(args)) => run_inspect(&args),
    }
}

fn load(spec: &Path) -> Result<Generated, ExitCode> {
    generate(spec).map_err(|diagnostics| report(&diagnostics))
}

/// Prints every problem, then a summary; nothing has been written.
fn report(diagnostics: &[Diagnostic]) -> ExitCode {
    for diagnostic in diagnostics {
        anstream::eprintln!("{}", diagnostic.styled());
    }
    let count = diagnostics.len();
    anstream::eprintln!(
        "error: {count} problem{} in the spec; nothing was written",
        if count == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}

fn run_generate(paths: &Paths) -> ExitCode {
    let started = Instant::now();
    let generated = match load(&paths.spec) {
        Ok(generated) => generated,
        Err(code) => return code,
    };
    match write::write_all(&paths.out, &generated.files) {
        Ok(report) => {
            println!(
                "zoho-codegen: {} operations from {} spec files into {}: {} written, {} unchanged, {} removed ({} ms)",
                generated.operation_count(),
                generated.spec.apis.len() + 1,
                paths.out.display(),
                report.written.len(),
                report.unchanged.len(),
                report.removed.len(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            anstream::eprintln!("error: cannot write {}: {error}", paths.out.display());
            ExitCode::FAILURE
        }
    }
}

fn run_check(paths: &Paths) -> ExitCode {
    let generated = match load(&paths.spec) {
        Ok(generated) => generated,
        Err(code) => return code,
    };
    match write::check(&paths.out, &generated.files) {
        Ok(stale) if stale.is_empty() => {
            println!(
                "zoho-codegen: {} is up to date with {} ({} files)",
                paths.out.display(),
                paths.spec.display(),
                generated.files.len()
            );
            ExitCode::SUCCESS
        }
        Ok(stale) => {
            for item in &stale {
                anstream::eprintln!("stale: {}/{item}", paths.out.display());
            }
            anstream::eprintln!(
                "error: {} is not what {} generates ({} file{}); run `{}` and commit the result",
                paths.out.display(),
                paths.spec.display(),
                stale.len(),
                if stale.len() == 1 { "" } else { "s" },
                regenerate_command(paths)
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            anstream::eprintln!("error: cannot read {}: {error}", paths.out.display());
            ExitCode::FAILURE
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

fn run_inspect(args: &InspectArgs) -> ExitCode {
    let generated = match load(&args.spec) {
        Ok(generated) => generated,
        Err(code) => return code,
    };
    if !args.json {
        print!("{}", inspect::summary(&generated));
        return ExitCode::SUCCESS;
    }
    match serde_json::to_string_pretty(&inspect::model(&generated)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            anstream::eprintln!("error: cannot encode the model: {error}");
            ExitCode::FAILURE
        }
    }
}
