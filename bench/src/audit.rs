//! How long `zoho-codegen audit` takes over saved pages, release build: the binary run as a
//! maintainer or CI runs it, beside the cost of starting it at all (`--version`) in the same
//! run; then where the time goes, with the generator's library in this process.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use zoho_codegen::tools::audit::{command, compare, matching};

use crate::generator;

/// The target of one audit of the five seed pages, the whole process, release build.
const TARGET: Duration = Duration::from_millis(100);

/// Options of the audit benchmark.
#[derive(clap::Args)]
pub struct Args {
    /// The saved pages to audit (they must agree with the spec).
    #[arg(value_name = "PAGE", required = true)]
    pages: Vec<PathBuf>,
    /// The spec folder.
    #[arg(long, default_value = "spec")]
    spec: PathBuf,
    /// Measured audits (one unmeasured run comes first).
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

/// Runs the benchmark and prints its tables; `Ok(true)` when the median meets the target.
pub fn run(args: &Args) -> Result<bool, String> {
    let binary = generator::binary(args.codegen.as_deref())?;
    println!(
        "auditing {} pages against {} with {} ({} runs)",
        args.pages.len(),
        args.spec.display(),
        binary.display(),
        args.runs
    );
    let (whole, start) =
        generator::against_start(&binary, "zoho-codegen audit", args.runs, || {
            let mut command = Command::new(&binary);
            command
                .arg("audit")
                .arg("--spec")
                .arg(&args.spec)
                .args(&args.pages);
            command
        })?;
    println!(
        "{:<28} {:>10}",
        "audit (the difference)",
        generator::millis(whole.saturating_sub(start))
    );

    let mut stages: Vec<[Duration; 3]> = Vec::new();
    for run in 0..=args.runs {
        let started = Instant::now();
        let checked = zoho_codegen::check(&args.spec)
            .map_err(|problems| format!("the spec does not check ({} problems)", problems.len()))?;
        let loaded = Instant::now();
        let mut facts = Vec::new();
        for path in &args.pages {
            facts.push(
                command::read_page(path).map_err(|why| format!("{}: {why}", path.display()))?,
            );
        }
        let read = Instant::now();
        for page in &facts {
            for operation in &page.operations {
                let (target, _) = matching::find(&checked.spec, page, operation)
                    .map_err(|why| format!("a page {why}"))?;
                let _ = compare::compare(&checked.spec, operation, &target);
            }
        }
        let compared = Instant::now();
        if run > 0 {
            stages.push([loaded - started, read - loaded, compared - read]);
        }
    }
    generator::print_stages(
        ["load + check the spec", "read the pages", "match + compare"],
        &stages,
    );

    let met = whole <= TARGET;
    println!();
    println!(
        "target: a median whole audit of at most {} ms: {}",
        TARGET.as_millis(),
        if met { "met" } else { "missed" }
    );
    Ok(met)
}
