//! `zoho-fake`: a thin wrapper over [`zoho_fake::cli::run`].

use std::process::ExitCode;

use zoho_fake::cli::{self, CliError};

#[tokio::main]
async fn main() -> ExitCode {
    // Serves until the process is interrupted (Ctrl-C ends it).
    match cli::run(
        std::env::args_os(),
        tokio::io::stdout(),
        std::future::pending(),
    )
    .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(err)) => err.exit(),
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
