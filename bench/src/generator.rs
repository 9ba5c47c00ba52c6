//! What the generator's benchmarks (`codegen`, `audit`) share: finding the release
//! `zoho-codegen` binary, timing a command of it against the cost of starting it at all
//! (`--version`) in the same run, and printing medians.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The generator binary: `given`, else `zoho-codegen` beside this benchmark.
pub fn binary(given: Option<&Path>) -> Result<PathBuf, String> {
    let binary = match given {
        Some(path) => path.to_path_buf(),
        None => std::env::current_exe()
            .map_err(|err| format!("where this benchmark is: {err}"))?
            .with_file_name(format!("zoho-codegen{}", std::env::consts::EXE_SUFFIX)),
    };
    if !binary.is_file() {
        return Err(format!(
            "no generator at {}: build it with `cargo build --release -p zoho-codegen`, or name it with --codegen",
            binary.display()
        ));
    }
    Ok(binary)
}

/// Runs `command()` once unmeasured, then `runs` times interleaved with `binary --version` (so
/// both see the same moments of a shared machine), prints both rows under `label`, and returns
/// the two medians: the whole command's, and the process start's.
pub fn against_start(
    binary: &Path,
    label: &str,
    runs: u32,
    command: impl Fn() -> Command,
) -> Result<(Duration, Duration), String> {
    let start = || {
        let mut start = Command::new(binary);
        start.arg("--version");
        start
    };
    timed(command())?;
    let mut wholes = Vec::new();
    let mut starts = Vec::new();
    for _ in 0..runs {
        wholes.push(timed(command())?);
        starts.push(timed(start())?);
    }
    println!("{:<28} {:>10} {:>10}", "process", "median", "min");
    let whole = print_row(label, &wholes);
    let start = print_row("zoho-codegen --version", &starts);
    Ok((whole, start))
}

/// Prints, per stage, the median and minimum of its times over `runs`.
pub fn print_stages<const N: usize>(names: [&str; N], runs: &[[Duration; N]]) {
    println!();
    println!(
        "{:<28} {:>10} {:>10}",
        "stages, in this process", "median", "min"
    );
    for (index, stage) in names.iter().enumerate() {
        let times: Vec<Duration> = runs.iter().map(|run| run[index]).collect();
        print_row(stage, &times);
    }
}

/// The wall time of one run of `command`, which must succeed.
fn timed(mut command: Command) -> Result<Duration, String> {
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|err| format!("cannot run {:?}: {err}", command.get_program()))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "{:?} failed ({}):\n{}",
            command.get_program(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(elapsed)
}

/// Prints a row's median and minimum; returns the median.
pub fn print_row(name: &str, times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    println!(
        "{name:<28} {:>10} {:>10}",
        millis(median),
        millis(sorted[0])
    );
    median
}

/// `12.34 ms`.
pub fn millis(time: Duration) -> String {
    format!("{:.2} ms", time.as_secs_f64() * 1000.0)
}
