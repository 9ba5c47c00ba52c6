//! The benchmark itself: the server, the test files, and every measured transfer,
//! each verified before its numbers count.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use zoho_attachments::model;

use crate::measure::{self, Sample};
use crate::pattern::Pattern;
use crate::report::human_size;
use crate::server::{AUTHORIZATION, ReceivedPart, Server};

/// The file size of the smaller client run that shows whether RSS follows file size.
const SMALL_SIZE: u64 = 16 * 1024 * 1024;

pub struct Options {
    pub size: u64,
    pub runs: u32,
    pub keep_going: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Upload,
    Download,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Client,
    Curl,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Upload => "upload",
            Op::Download => "download",
        })
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tool::Client => "client",
            Tool::Curl => "curl",
        })
    }
}

/// Every verified measurement of one operation.
pub struct OpResult {
    pub op: Op,
    /// The file size of the compared runs.
    pub size: u64,
    /// Why `size` is not the requested size, if it is not.
    pub note: Option<String>,
    pub client: Vec<Sample>,
    pub curl: Vec<Sample>,
    /// Single client runs at a small file size and at `size`, for RSS against size.
    pub scale: Vec<(u64, Sample)>,
}

pub struct Outcome {
    pub ops: Vec<OpResult>,
    /// Failed or wrong transfers (only with `keep_going`; otherwise the first one ends
    /// the run as an error).
    pub failures: Vec<String>,
}

/// Runs the whole benchmark on a server of its own, in a temporary folder.
pub fn run(options: &Options) -> Result<Outcome, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|err| format!("no runtime: {err}"))?;
    let pattern = Pattern::new();
    let server = runtime
        .block_on(Server::start(pattern.clone()))
        .map_err(|err| format!("cannot start the server: {err}"))?;
    let dir = tempfile::tempdir().map_err(|err| format!("no temporary folder: {err}"))?;
    let mut bench = Bench {
        exe: std::env::current_exe().map_err(|err| format!("cannot find this binary: {err}"))?,
        server,
        pattern,
        dir,
        failures: Failures::new(options.keep_going),
    };

    // The client refuses, before sending, a file over the operation's documented limit;
    // so uploads compare at most that much.
    let limit = upload_limit().ok_or("the spec gives crm v8 upload_attachment no size limit")?;
    let upload_size = options.size.min(limit);
    let note = (upload_size < options.size).then(|| {
        format!(
            "capped at upload_attachment's {} limit, which the client enforces before \
             sending; --size {} is used for downloads",
            human_size(limit),
            human_size(options.size)
        )
    });
    let upload = bench.measure_op(Op::Upload, upload_size, note, options.runs)?;
    let download = bench.measure_op(Op::Download, options.size, None, options.runs)?;
    drop(runtime);
    Ok(Outcome {
        ops: vec![upload, download],
        failures: bench.failures.take(),
    })
}

/// The largest file `upload_attachment` accepts, as the generated crate knows it.
fn upload_limit() -> Option<u64> {
    let operation = model::api("crm", "v8")?
        .operations
        .iter()
        .find(|operation| operation.name == "upload_attachment")?;
    match operation.body {
        model::Body::Multipart { max_bytes, .. } => max_bytes,
        _ => None,
    }
}

struct Bench {
    exe: PathBuf,
    server: Server,
    pattern: Pattern,
    dir: TempDir,
    failures: Failures,
}

/// Failed or wrong runs: the first one ends the benchmark, unless `keep_going`, which
/// records it and goes on.
pub struct Failures {
    keep_going: bool,
    list: Vec<String>,
}

impl Failures {
    pub fn new(keep_going: bool) -> Self {
        Self {
            keep_going,
            list: Vec::new(),
        }
    }

    /// Logs `result`, one verified run called `label`: its sample, or its failure, which
    /// ends the benchmark or is recorded (then `None`).
    pub fn record(
        &mut self,
        label: &str,
        result: Result<(Sample, String), String>,
    ) -> Result<Option<Sample>, String> {
        match result {
            Ok((sample, verified)) => {
                eprintln!(
                    "{label}: {:.3} s, CPU {:.3} s, peak RSS {:.1} MiB, verified: {verified}",
                    sample.wall.as_secs_f64(),
                    sample.cpu.as_secs_f64(),
                    sample.max_rss_mib()
                );
                Ok(Some(sample))
            }
            Err(err) => {
                let failure = format!("{label}: FAILED: {err}");
                if !self.keep_going {
                    return Err(failure);
                }
                eprintln!("{failure}");
                self.list.push(failure);
                Ok(None)
            }
        }
    }

    /// The failures recorded so far, taken out.
    pub fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.list)
    }
}

impl Bench {
    fn measure_op(
        &mut self,
        op: Op,
        size: u64,
        note: Option<String>,
        runs: u32,
    ) -> Result<OpResult, String> {
        let mut result = OpResult {
            op,
            size,
            note,
            client: Vec::new(),
            curl: Vec::new(),
            scale: Vec::new(),
        };
        for run in 1..=runs {
            // Alternate which goes first, so drift on a shared machine hits both alike.
            let order = if run % 2 == 1 {
                [Tool::Client, Tool::Curl]
            } else {
                [Tool::Curl, Tool::Client]
            };
            for tool in order {
                let label = format!("{op} {tool} run {run}/{runs}");
                if let Some(sample) = self.attempt(&label, tool, op, size)? {
                    match tool {
                        Tool::Client => result.client.push(sample),
                        Tool::Curl => result.curl.push(sample),
                    }
                }
            }
        }
        let small = SMALL_SIZE.min(size / 4).max(1);
        for scale_size in [small, size] {
            let label = format!("{op} client at {}", human_size(scale_size));
            if let Some(sample) = self.attempt(&label, Tool::Client, op, scale_size)? {
                result.scale.push((scale_size, sample));
            }
        }
        Ok(result)
    }

    /// One verified transfer. A failure ends the benchmark, or with `keep_going` is
    /// recorded and gives `None`.
    fn attempt(
        &mut self,
        label: &str,
        tool: Tool,
        op: Op,
        size: u64,
    ) -> Result<Option<Sample>, String> {
        let result = self.transfer(tool, op, size);
        self.failures.record(label, result)
    }

    /// Runs `tool` for `op` on a file of `size` bytes and checks the result; returns the
    /// measurement and what was checked.
    fn transfer(&self, tool: Tool, op: Op, size: u64) -> Result<(Sample, String), String> {
        let base = self.server.base_url();
        match op {
            Op::Upload => {
                let file = self.upload_file(size)?;
                let url = format!("{base}/crm/v8/Leads/1/Attachments");
                let command = match tool {
                    Tool::Client => args(&[
                        &self.exe,
                        &"client-upload",
                        &"--base-url",
                        &base,
                        &"--file",
                        &file,
                    ]),
                    Tool::Curl => {
                        let mut form = OsString::from("file=@");
                        form.push(&file);
                        args(&[
                            &"curl",
                            &"-sS",
                            &"--fail",
                            &"-F",
                            &form,
                            &url,
                            &"-H",
                            &format!("Authorization: {AUTHORIZATION}"),
                            &"-o",
                            &"/dev/null",
                        ])
                    }
                };
                self.server.take_upload();
                let sample = measure::run(&command)?;
                let expected = vec![ReceivedPart {
                    name: "file".to_owned(),
                    file_name: file_name(&file),
                    bytes: size,
                }];
                match self.server.take_upload() {
                    Some(parts) if parts == expected => {
                        Ok((sample, format!("server received {size} bytes as `file`")))
                    }
                    Some(parts) => Err(format!("server received {parts:?}, expected {expected:?}")),
                    None => Err("the server received no complete upload".to_owned()),
                }
            }
            Op::Download => {
                let to = self.dir.path().join("download.bin");
                let url = format!("{base}/crm/v8/Leads/1/Attachments/2");
                let command = match tool {
                    Tool::Client => args(&[
                        &self.exe,
                        &"client-download",
                        &"--base-url",
                        &base,
                        &"--to",
                        &to,
                    ]),
                    Tool::Curl => args(&[
                        &"curl",
                        &"-sS",
                        &"--fail",
                        &"-o",
                        &to,
                        &url,
                        &"-H",
                        &format!("Authorization: {AUTHORIZATION}"),
                    ]),
                };
                remove_if_present(&to)?;
                self.server.set_download_size(size);
                let sample = measure::run(&command)?;
                self.pattern.verify_file(&to, size)?;
                remove_if_present(&to)?;
                Ok((sample, format!("{size} bytes saved, content checked")))
            }
        }
    }

    /// The test file of `size` bytes, written the first time it is asked for.
    fn upload_file(&self, size: u64) -> Result<PathBuf, String> {
        let path = self.dir.path().join(format!("upload-{size}.bin"));
        if !path.exists() {
            self.pattern
                .write_file(&path, size)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        }
        Ok(path)
    }
}

/// A command line from parts of mixed types (paths, strings).
pub fn args(parts: &[&dyn AsRef<OsStr>]) -> Vec<OsString> {
    parts.iter().map(|part| part.as_ref().to_owned()).collect()
}

fn file_name(path: &Path) -> Option<String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
}

fn remove_if_present(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(format!("cannot remove {}: {err}", path.display())),
    }
}
