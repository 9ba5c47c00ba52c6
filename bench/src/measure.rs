//! Wall time and peak RSS of one child process.
//!
//! std cannot `wait4` a child and the workspace forbids unsafe code, so every measured
//! command runs under a small wrapper: this same binary's hidden `measure` subcommand,
//! which starts the command, waits for it and reads `getrusage(RUSAGE_CHILDREN)`. That
//! process has exactly one child, so `ru_maxrss` is that child's peak RSS alone.

use std::ffi::OsString;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::{TimeVal, TimeValLike};

/// What one child cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// From just before spawning to the end of `wait`.
    pub wall: Duration,
    /// User plus system CPU time: on a 2-core machine shared with the server, CPU
    /// spent is throughput lost.
    pub cpu: Duration,
    /// Peak resident set size, in KiB (`ru_maxrss` on Linux).
    pub max_rss_kib: u64,
}

impl Sample {
    pub fn max_rss_mib(&self) -> f64 {
        self.max_rss_kib as f64 / 1024.0
    }
}

/// Runs `command` (program and arguments) under the wrapper and returns its cost.
///
/// # Errors
///
/// When it cannot be started or exits unsuccessfully, with what it wrote to stderr.
pub fn run(command: &[OsString]) -> Result<Sample, String> {
    let exe = std::env::current_exe().map_err(|err| format!("cannot find this binary: {err}"))?;
    let output = Command::new(exe)
        .arg("measure")
        .arg("--")
        .args(command)
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot start the measuring wrapper: {err}"))?;
    let shown = command
        .iter()
        .map(|arg| arg.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "`{shown}` failed ({}): {}",
            output.status,
            stderr.trim()
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    parse_report(&stdout).ok_or_else(|| format!("`{shown}`: unreadable measurement {stdout:?}"))
}

/// The wrapper's side: runs `command` with stdout discarded and stderr passed through,
/// prints `wall_ns=N cpu_ns=N max_rss_kib=N`, and exits as the command did.
pub fn wrapper_main(command: &[OsString]) -> ExitCode {
    let Some((program, args)) = command.split_first() else {
        eprintln!("measure: no command given");
        return ExitCode::FAILURE;
    };
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status();
    let wall = start.elapsed();
    let status = match status {
        Ok(status) => status,
        Err(err) => {
            eprintln!("measure: cannot start {}: {err}", program.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    if !status.success() {
        eprintln!(
            "measure: {} exited with {status}",
            program.to_string_lossy()
        );
        return ExitCode::FAILURE;
    }
    match getrusage(UsageWho::RUSAGE_CHILDREN) {
        Ok(usage) => {
            let cpu = micros(usage.user_time()) + micros(usage.system_time());
            println!(
                "wall_ns={} cpu_ns={} max_rss_kib={}",
                wall.as_nanos(),
                cpu.as_nanos(),
                usage.max_rss()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("measure: getrusage failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn micros(time: TimeVal) -> Duration {
    Duration::from_micros(time.num_microseconds().try_into().unwrap_or(0))
}

fn parse_report(line: &str) -> Option<Sample> {
    let (mut wall, mut cpu, mut max_rss_kib) = (None, None, None);
    for field in line.split_whitespace() {
        match field.split_once('=')? {
            ("wall_ns", value) => wall = Some(Duration::from_nanos(value.parse().ok()?)),
            ("cpu_ns", value) => cpu = Some(Duration::from_nanos(value.parse().ok()?)),
            ("max_rss_kib", value) => max_rss_kib = Some(value.parse().ok()?),
            _ => return None,
        }
    }
    Some(Sample {
        wall: wall?,
        cpu: cpu?,
        max_rss_kib: max_rss_kib?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_wrapper_report() {
        assert_eq!(
            parse_report("wall_ns=1500000000 cpu_ns=250000000 max_rss_kib=8192\n"),
            Some(Sample {
                wall: Duration::from_millis(1500),
                cpu: Duration::from_millis(250),
                max_rss_kib: 8192
            })
        );
        assert_eq!(parse_report("wall_ns=1 cpu_ns=1 max_rss_kib=x"), None);
        assert_eq!(parse_report("wall_ns=1 max_rss_kib=1"), None);
    }
}
