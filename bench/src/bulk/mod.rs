//! The bulk-download benchmark: many attachments of mixed sizes from the fake Zoho server,
//! through the generated client and through `curl --parallel`, each a measured child
//! process downloading every file `concurrency` at a time, every file verified.
//!
//! `cargo run --release -p zoho-bench -- bulk [--files 1000] [--concurrency 8] [--runs 3]`

pub mod client;
mod curl;
mod files;
pub mod report;
mod spread;

use std::path::{Path, PathBuf};

use tempfile::TempDir;
use zoho_fake::FakeZoho;

use crate::measure::{self, Sample};
use crate::pattern::Pattern;
use crate::run::{Failures, Tool, args};
use files::Attachment;

/// The operation whose requests the fake's log is checked for.
const DOWNLOAD_OPERATION: &str = "download_attachment";

/// `bulk`'s options.
#[derive(clap::Args)]
pub struct Args {
    /// Attachments per run, sized from 1 KiB to 1 MiB (about 250 MiB for 1000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub files: u32,
    /// Downloads in flight at once, for the client and for curl alike.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// Measured runs per tool.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    /// Where the downloaded files go (in a new temporary folder; default: the system's).
    /// A tmpfs such as /dev/shm takes the disk out of the comparison.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Report a failed or wrong run and go on, instead of stopping (still exits 1).
    #[arg(long)]
    pub keep_going: bool,
    /// Exit 3 when a target is missed.
    #[arg(long)]
    pub strict: bool,
}

/// Every verified measurement.
pub struct Outcome {
    /// The size of each attachment, in download order.
    pub sizes: Vec<u64>,
    pub concurrency: usize,
    pub client: Vec<Sample>,
    pub curl: Vec<Sample>,
    /// Failed or wrong runs (only with `keep_going`; otherwise the first one ends the
    /// benchmark as an error).
    pub failures: Vec<String>,
}

/// Seeds a fake of its own with the attachments, then measures each tool `runs` times.
pub fn run(args: &Args) -> Result<Outcome, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|err| format!("no runtime: {err}"))?;
    let zoho = runtime
        .block_on(FakeZoho::builder().try_start())
        .map_err(|err| format!("cannot start the fake Zoho server: {err}"))?;
    let pattern = Pattern::new();
    let sizes = spread::sizes(args.files as usize);
    let attachments = files::seed(&zoho, &pattern, &sizes);
    let dir = match &args.dir {
        Some(parent) => tempfile::tempdir_in(parent),
        None => tempfile::tempdir(),
    }
    .map_err(|err| format!("no temporary folder: {err}"))?;
    let manifest = dir.path().join("manifest.txt");
    write(&manifest, &files::manifest(&attachments))?;
    let mut bench = Bench {
        exe: std::env::current_exe().map_err(|err| format!("cannot find this binary: {err}"))?,
        zoho,
        pattern,
        attachments,
        dir,
        manifest,
        concurrency: args.concurrency as usize,
        failures: Failures::new(args.keep_going),
    };
    let (mut client, mut curl) = (Vec::new(), Vec::new());
    for run in 1..=args.runs {
        // Alternate which goes first, so drift on a shared machine hits both alike.
        let order = if run % 2 == 1 {
            [Tool::Client, Tool::Curl]
        } else {
            [Tool::Curl, Tool::Client]
        };
        for tool in order {
            let label = format!("bulk {tool} run {run}/{}", args.runs);
            if let Some(sample) = bench.attempt(&label, tool, run)? {
                match tool {
                    Tool::Client => client.push(sample),
                    Tool::Curl => curl.push(sample),
                }
            }
        }
    }
    let failures = bench.failures.take();
    drop(bench);
    drop(runtime);
    Ok(Outcome {
        sizes,
        concurrency: args.concurrency as usize,
        client,
        curl,
        failures,
    })
}

struct Bench {
    exe: PathBuf,
    zoho: FakeZoho,
    pattern: Pattern,
    attachments: Vec<Attachment>,
    dir: TempDir,
    /// The client child's list of downloads.
    manifest: PathBuf,
    concurrency: usize,
    failures: Failures,
}

impl Bench {
    /// One verified run of `tool`. A failure ends the benchmark, or with `keep_going` is
    /// recorded and gives `None`.
    fn attempt(&mut self, label: &str, tool: Tool, run: u32) -> Result<Option<Sample>, String> {
        let result = self.transfer(tool, run);
        self.failures.record(label, result)
    }

    /// Every attachment into a new folder through `tool`, then checked: the folder holds
    /// exactly the attachments, byte for byte, and the fake answered exactly one download
    /// request per attachment, each 200.
    fn transfer(&self, tool: Tool, run: u32) -> Result<(Sample, String), String> {
        let out = self.dir.path().join(format!("{tool}-{run}"));
        std::fs::create_dir(&out)
            .map_err(|err| format!("cannot create {}: {err}", out.display()))?;
        let base = self.zoho.base_url();
        let token = self.zoho.token();
        let concurrency = self.concurrency.to_string();
        let command = match tool {
            Tool::Client => args(&[
                &self.exe,
                &"client-bulk",
                &"--base-url",
                &base,
                &"--token",
                &token,
                &"--manifest",
                &self.manifest,
                &"--dir",
                &out,
                &"--concurrency",
                &concurrency,
            ]),
            Tool::Curl => {
                let config = self.dir.path().join(format!("curl-{run}.cfg"));
                write(&config, &curl::config(base, &self.attachments, &out)?)?;
                curl::command(&config, token, self.concurrency)
            }
        };
        let logged = self.download_statuses().len();
        let sample = measure::run(&command)?;
        files::verify_dir(&out, &self.attachments, &self.pattern)?;
        let statuses = &self.download_statuses()[logged..];
        let not_ok = statuses.iter().filter(|&&status| status != 200).count();
        if statuses.len() != self.attachments.len() || not_ok > 0 {
            return Err(format!(
                "the fake answered {} download requests ({not_ok} not 200) for {} attachments",
                statuses.len(),
                self.attachments.len()
            ));
        }
        std::fs::remove_dir_all(&out)
            .map_err(|err| format!("cannot remove {}: {err}", out.display()))?;
        let bytes: u64 = self.attachments.iter().map(|a| a.size).sum();
        Ok((
            sample,
            format!(
                "{} files, {bytes} bytes, content checked; {} requests, all 200",
                self.attachments.len(),
                statuses.len()
            ),
        ))
    }

    /// The status of every download the fake answered so far, oldest first.
    fn download_statuses(&self) -> Vec<u16> {
        self.zoho
            .requests()
            .iter()
            .filter(|request| request.operation.as_deref() == Some(DOWNLOAD_OPERATION))
            .map(|request| request.status)
            .collect()
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))
}
