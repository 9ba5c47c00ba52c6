//! Runs the whole benchmark binary on small files: every transfer must be verified, and a
//! transfer that cannot happen must be an error, not a number. No timing is asserted.

use std::process::{Command, Output};

fn bench(args: &[&str], path: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zoho-bench"));
    command.args(args);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.output().expect("the benchmark starts")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_small_run_verifies_every_transfer_and_reports_both_operations() {
    let output = bench(&["--size", "4MiB", "--runs", "1"], None);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");

    // Per operation: one client and one curl run, then the client at 1 MiB and 4 MiB.
    let verified: Vec<&str> = stderr.lines().filter(|l| l.contains("verified:")).collect();
    assert_eq!(verified.len(), 8, "{stderr}");
    for expected in [
        "upload curl run 1/1: ",
        "download client run 1/1: ",
        "download client at 1 MiB: ",
    ] {
        assert!(
            verified.iter().any(|l| l.starts_with(expected)),
            "no verified `{expected}` in:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("server received 4194304 bytes as `file`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4194304 bytes saved, content checked"),
        "{stderr}"
    );

    for table in ["upload: 4 MiB file", "download: 4 MiB file"] {
        assert!(stdout.contains(table), "no `{table}` table in:\n{stdout}");
    }
    // Two targets per operation, each judged.
    let judged = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("[PASS]") || l.trim_start().starts_with("[FAIL]"))
        .count();
    assert_eq!(judged, 4, "{stdout}");
    assert!(stdout.contains("client/curl"), "{stdout}");
    assert!(
        stdout
            .contains("ratios from one run on loopback; absolute numbers vary on shared machines"),
        "{stdout}"
    );
}

#[test]
fn a_transfer_that_fails_is_an_error_not_a_number() {
    // No curl on an empty PATH; the client is started by absolute path and still runs.
    let empty = tempfile::tempdir().expect("temp dir");
    let path = empty.path().to_str().expect("UTF-8 temp path");
    let args = ["--size", "1MiB", "--runs", "1"];

    let stopped = bench(&args, Some(path));
    assert_eq!(stopped.status.code(), Some(1), "{}", text(&stopped.stderr));
    assert!(text(&stopped.stderr).contains("curl run 1/1: FAILED"));
    assert!(stopped.stdout.is_empty(), "no table after a failure");

    let kept_going = bench(&[&args[..], &["--keep-going"]].concat(), Some(path));
    let (stdout, stderr) = (text(&kept_going.stdout), text(&kept_going.stderr));
    assert_eq!(kept_going.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.contains("failed transfers (not counted above):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("medians of 1 client and 0 curl runs"),
        "{stdout}"
    );
    assert!(
        stderr.contains("upload client run 1/1: ") && stderr.contains("verified:"),
        "{stderr}"
    );
}

#[test]
fn a_small_bulk_run_verifies_every_file_of_both_tools() {
    let args = ["bulk", "--files", "20", "--concurrency", "4", "--runs", "1"];
    let output = bench(&args, None);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stdout}\n{stderr}");

    for tool in ["client", "curl"] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("bulk {tool} run 1/1: ")))
            .unwrap_or_else(|| panic!("no {tool} run in:\n{stderr}"));
        assert!(
            line.contains("verified: 20 files,") && line.contains("20 requests, all 200"),
            "{line}"
        );
    }
    assert!(stdout.contains("bulk download: 20 attachments"), "{stdout}");
    let judged = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("[PASS]") || l.trim_start().starts_with("[FAIL]"))
        .count();
    assert_eq!(judged, 2, "{stdout}");
}

#[test]
fn a_bulk_run_that_fails_is_an_error_not_a_number() {
    let empty = tempfile::tempdir().expect("temp dir");
    let path = empty.path().to_str().expect("UTF-8 temp path");
    let output = bench(&["bulk", "--files", "3", "--runs", "1"], Some(path));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bulk curl run 1/1: FAILED"), "{stderr}");
    assert!(output.stdout.is_empty(), "no table after a failure");
}
