//! Compares the generated client's uploads and downloads with curl doing the same
//! transfers to the same loopback server: wall time and peak RSS of each as a child
//! process, as ratios measured in the same run.
//!
//! `cargo run --release -p zoho-bench -- [--size 256MiB] [--runs 3] [--keep-going] [--strict]`
//!
//! `cargo run --release -p zoho-bench -- bulk [--files 1000] [--concurrency 8] [--runs 3]`
//! does the same for many small-to-medium downloads at once (see [`bulk`]).

mod audit;
mod bulk;
mod client;
mod codegen;
mod generator;
mod measure;
mod pattern;
mod report;
mod run;
mod server;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status when `--strict` is given and a target is missed (1 is an error, 2 a
/// usage mistake).
const TARGET_MISSED: u8 = 3;

/// Benchmarks the generated Zoho client against curl on a loopback server.
///
/// Exits 0 when every transfer was verified (targets are reported, not enforced, unless
/// --strict), 1 on a failed or wrong transfer, 3 when --strict and a target is missed.
#[derive(Parser)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Test file size: bytes, or with a KiB, MiB or GiB suffix. Uploads are capped at
    /// the operation's documented limit.
    #[arg(long, default_value = "256MiB", value_parser = parse_size)]
    size: u64,
    /// Measured transfers per tool and operation.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Report a failed or wrong transfer and go on, instead of stopping (still exits 1).
    #[arg(long)]
    keep_going: bool,
    /// Exit 3 when a target is missed.
    #[arg(long)]
    strict: bool,
}

/// The bulk benchmark, and the benchmark's own (hidden) child processes.
#[derive(Subcommand)]
enum Command {
    /// Downloads many attachments of mixed sizes (1 KiB to 1 MiB) from the fake Zoho
    /// server, several at a time, through the client and through `curl --parallel`.
    Bulk(bulk::Args),
    /// Times a whole regeneration of the client from the spec, stage by stage, in this
    /// process.
    Codegen(codegen::Args),
    /// Times `zoho-codegen audit` of saved documentation pages against the spec.
    Audit(audit::Args),
    /// Uploads FILE through the generated client.
    #[command(hide = true)]
    ClientUpload {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        file: PathBuf,
    },
    /// Downloads to TO through the generated client.
    #[command(hide = true)]
    ClientDownload {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        to: PathBuf,
    },
    /// Downloads every attachment of MANIFEST into DIR through the generated client.
    #[command(hide = true)]
    ClientBulk {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        manifest: PathBuf,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        concurrency: u32,
    },
    /// Runs a command and prints its wall time and peak RSS.
    #[command(hide = true)]
    Measure {
        #[arg(last = true, required = true)]
        command: Vec<OsString>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Bulk(ref args)) => bulk_bench(args),
        Some(Command::Codegen(ref args)) => match codegen::run(args) {
            Ok(met) => finish(Ok(met), true, args.strict),
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        },
        Some(Command::Audit(ref args)) => match audit::run(args) {
            Ok(met) => finish(Ok(met), true, args.strict),
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        },
        Some(Command::ClientUpload { base_url, file }) => {
            child_exit(client::upload(&base_url, &file), "upload")
        }
        Some(Command::ClientDownload { base_url, to }) => {
            child_exit(client::download(&base_url, &to), "download")
        }
        Some(Command::ClientBulk {
            base_url,
            token,
            manifest,
            dir,
            concurrency,
        }) => child_exit(
            bulk::client::download_all(&base_url, &token, &manifest, &dir, concurrency as usize),
            "bulk download",
        ),
        Some(Command::Measure { command }) => measure::wrapper_main(&command),
        None => bench(&cli),
    }
}

fn child_exit(result: Result<(), Box<dyn std::error::Error>>, what: &str) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("client {what} failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn bench(cli: &Cli) -> ExitCode {
    let options = run::Options {
        size: cli.size,
        runs: cli.runs,
        keep_going: cli.keep_going,
    };
    let outcome = match run::run(&options) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!();
    let printed = report::print(&outcome, &mut std::io::stdout().lock());
    finish(printed, outcome.failures.is_empty(), cli.strict)
}

fn bulk_bench(args: &bulk::Args) -> ExitCode {
    let outcome = match bulk::run(args) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!();
    let printed = bulk::report::print(&outcome, &mut std::io::stdout().lock());
    finish(printed, outcome.failures.is_empty(), args.strict)
}

/// The exit status once the report is printed (`printed` says whether every target was
/// met): 1 after a failed transfer, 3 for a missed target under `--strict`.
fn finish(printed: std::io::Result<bool>, all_verified: bool, strict: bool) -> ExitCode {
    let all_met = match printed {
        Ok(all_met) => all_met,
        Err(err) => {
            eprintln!("error: cannot print the report: {err}");
            return ExitCode::FAILURE;
        }
    };
    if !all_verified {
        ExitCode::FAILURE
    } else if strict && !all_met {
        ExitCode::from(TARGET_MISSED)
    } else {
        ExitCode::SUCCESS
    }
}

/// `4096`, `512KiB`, `16MiB`, `1GiB`.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let multiplier: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        other => return Err(format!("unknown unit {other:?}; use KiB, MiB or GiB")),
    };
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} does not start with a whole number"))?;
    match number.checked_mul(multiplier) {
        Some(0) => Err("the size must be at least one byte".to_owned()),
        Some(size) => Ok(size),
        None => Err(format!("{text:?} is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("4 MiB"), Ok(4 << 20));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("256MB").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("MiB").is_err());
    }

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
