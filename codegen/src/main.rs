//! The `zoho-codegen` binary: the command line of [`zoho_codegen::tools::cli`], on this process.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // anstream drops the diagnostics' colours when stderr is not a terminal.
    let mut stderr = anstream::stderr();
    ExitCode::from(zoho_codegen::tools::cli::run(
        std::env::args_os(),
        &mut stdout,
        &mut stderr,
    ))
}
