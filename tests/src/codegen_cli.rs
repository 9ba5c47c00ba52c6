//! The generator's command line as tests drive it: in this process, with its output captured and
//! ANSI styles stripped, and the workspace's folders it reads.

use std::path::{Path, PathBuf};

use zoho_codegen::tools::cli;

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_path_buf()
}

/// The real spec, `spec/`.
pub fn real_spec() -> PathBuf {
    workspace().join("spec")
}

/// What one `zoho-codegen` command printed, and its exit code.
pub struct Run {
    /// The exit code.
    pub code: u8,
    /// Standard output.
    pub stdout: String,
    /// Standard error, without ANSI styles.
    pub stderr: String,
}

/// Runs `zoho-codegen ARGS...`.
pub fn run(args: &[&str]) -> Run {
    let mut stdout = Vec::new();
    let mut stderr = anstream::StripStream::new(Vec::new());
    let argv = std::iter::once("zoho-codegen").chain(args.iter().copied());
    let code = cli::run(argv, &mut stdout, &mut stderr);
    Run {
        code,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr.into_inner()).expect("stderr is UTF-8"),
    }
}

/// A path as a command-line argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}
