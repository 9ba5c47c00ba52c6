//! How long a whole regeneration takes: the release `zoho-codegen` binary run as a maintainer
//! runs it, on the real spec, beside the cost of starting it at all (`--version`) in the same
//! run, whose difference is judged against the target; then where the time goes, stage by
//! stage, with the generator's library in this process.
//!
//! Every run writes into one temporary output folder: the first fills it, later ones find
//! every file unchanged, as a regeneration after an edit mostly does. The figure that counts
//! is the median; the minimum shows what the machine allows when it is quiet.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use zoho_codegen::{emit, ir, load, validate, write};

use crate::generator;

/// The target of a whole regeneration, release build.
const TARGET: Duration = Duration::from_millis(25);

/// Options of the generation benchmark.
#[derive(clap::Args)]
pub struct Args {
    /// The spec folder.
    #[arg(long, default_value = "spec")]
    spec: PathBuf,
    /// Measured regenerations (one unmeasured run comes first, filling the output folder).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// The generator binary; by default `zoho-codegen` beside this one (build it with
    /// `cargo build --release -p zoho-codegen`).
    #[arg(long)]
    codegen: Option<PathBuf>,
    /// Exit 3 when the median misses the target.
    #[arg(long)]
    pub strict: bool,
}

/// The stages of one run, in order.
const STAGES: [&str; 5] = ["load", "validate", "lower + check", "emit", "write"];

/// Runs the benchmark and prints its tables; `Ok(true)` when the median meets the target,
/// `Err` when the generator is missing or the spec does not generate.
pub fn run(args: &Args) -> Result<bool, String> {
    let binary = generator::binary(args.codegen.as_deref())?;
    let out = tempfile::tempdir().map_err(|err| format!("a temporary folder: {err}"))?;
    println!(
        "regenerating {} with {} ({} runs)",
        args.spec.display(),
        binary.display(),
        args.runs
    );
    let (whole, start) =
        generator::against_start(&binary, "zoho-codegen generate", args.runs, || {
            let mut command = Command::new(&binary);
            command
                .arg("generate")
                .arg("--spec")
                .arg(&args.spec)
                .arg("--out")
                .arg(out.path());
            command
        })?;
    // What the target is about: the regeneration, not the kernel starting a process.
    let median = whole.saturating_sub(start);
    println!(
        "{:<28} {:>10}",
        "regeneration (the difference)",
        generator::millis(median)
    );

    let out = tempfile::tempdir().map_err(|err| format!("a temporary folder: {err}"))?;
    let mut runs: Vec<[Duration; 5]> = Vec::new();
    for run in 0..=args.runs {
        let stages = regenerate(&args.spec, out.path())?;
        if run > 0 {
            runs.push(stages);
        }
    }
    generator::print_stages(STAGES, &runs);
    let totals: Vec<Duration> = runs.iter().map(|run| run.iter().sum()).collect();
    generator::print_row("all stages", &totals);
    println!(
        "(this process uses the system allocator, the generator mimalloc: its stages take longer)"
    );

    let met = median <= TARGET;
    println!();
    println!(
        "target: a median regeneration of at most {} ms: {}",
        TARGET.as_millis(),
        if met { "met" } else { "missed" }
    );
    Ok(met)
}

/// One regeneration, timed per stage.
fn regenerate(spec_dir: &Path, out: &Path) -> Result<[Duration; 5], String> {
    let report = |problems: Vec<zoho_codegen::diag::Diagnostic>| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        format!("the spec does not generate:\n{}", lines.join("\n"))
    };
    let started = Instant::now();
    let spec = load::load(spec_dir).map_err(report)?;
    let loaded = Instant::now();
    let problems = validate::validate(&spec);
    if !problems.is_empty() {
        return Err(report(problems));
    }
    let validated = Instant::now();
    let krate = ir::lower(&spec)?;
    let problems = ir::check(&krate, &spec);
    if !problems.is_empty() {
        return Err(report(problems));
    }
    let lowered = Instant::now();
    let files = emit::render(&krate)?;
    let rendered = Instant::now();
    write::write_all(out, &files).map_err(|err| format!("writing: {err}"))?;
    let written = Instant::now();
    Ok([
        loaded - started,
        validated - loaded,
        lowered - validated,
        rendered - lowered,
        written - rendered,
    ])
}
