//! The `zoho-codegen` binary: the command line of [`zoho_codegen::tools::cli`], on this process.

use std::process::ExitCode;

// Generation builds and drops token trees by the million; mimalloc makes that a sixth cheaper
// than the system allocator (`cargo run --release -p zoho-bench -- codegen` measures it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
