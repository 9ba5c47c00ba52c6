//! The broken-spec corpus: every case is a small, wrong spec; `generate` must report exactly the
//! located problems in its `expected.txt` and write nothing.
//!
//! Layout of `tests/broken/`:
//! - `base/`: a minimal valid spec (`shared.yaml` and one product file).
//! - `<case>/`: files that replace (or add to) the base's, an optional `remove.txt` naming base
//!   files to delete (one per line; `#` starts a comment), and `expected.txt`, the exact stderr of
//!   `zoho-codegen generate` with styles stripped. The spec folder is called `spec`, so messages
//!   read `spec/<file>:LINE:COL: ...` whatever the temporary folder is.
//!
//! `BLESS=1` rewrites each `expected.txt` from the actual output. Review every change: a
//! blessed file must show the case's problem at the right place, not a side effect.
//!
//! A case with a `known-bug.txt` documents a generator bug: its `expected.txt` holds the
//! *correct* output, which the generator does not produce yet. Such a case passes while the
//! output still differs (it must still fail, write nothing and report the expected kinds of
//! problem), fails once the output matches (delete `known-bug.txt` then), and is never blessed.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use zoho_codegen::tools::cli;

const EXPECTED: &str = "expected.txt";
const REMOVE: &str = "remove.txt";
const KNOWN_BUG: &str = "known-bug.txt";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("broken")
}

fn generated_crate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .join("generated")
}

/// The `error[code]` tags of a report, in order.
fn problem_codes(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter_map(|line| {
            let start = line.find("error[")?;
            let end = start + line[start..].find(']')?;
            Some(&line[start..=end])
        })
        .collect()
}

/// Every case folder, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("read tests/broken")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir() && path.file_name().is_some_and(|name| name != "base"))
        .collect();
    cases.sort();
    cases
}

/// What `generate` printed, with ANSI styles stripped from stderr.
struct Outcome {
    code: u8,
    stdout: String,
    stderr: String,
}

/// Runs `zoho-codegen generate --spec <spec> --out <out>`; a panic becomes an error.
fn generate(spec: &Path, out: &Path) -> Result<Outcome, String> {
    let mut stdout = Vec::new();
    let mut stderr = anstream::StripStream::new(Vec::new());
    let args = ["zoho-codegen", "generate", "--spec"]
        .map(std::ffi::OsString::from)
        .into_iter()
        .chain([spec.into(), "--out".into(), out.into()]);
    let code = catch_unwind(AssertUnwindSafe(|| {
        cli::run(args, &mut stdout, &mut stderr)
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        format!("the generator panicked: {message}")
    })?;
    Ok(Outcome {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.into_inner()).into_owned(),
    })
}

fn copy_files(from: &Path, to: &Path, skip: &[&str]) {
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if skip.iter().any(|skipped| name == *skipped) {
            continue;
        }
        assert!(
            entry.file_type().expect("file type").is_file(),
            "{}: spec folders hold files only",
            entry.path().display()
        );
        fs::copy(entry.path(), to.join(&name)).expect("copy spec file");
    }
}

/// Builds `<temp>/spec` from the base and the case's overlay.
fn assemble(case: &Path, temp: &Path) -> PathBuf {
    let spec = temp.join("spec");
    fs::create_dir_all(&spec).expect("mkdir spec");
    copy_files(&corpus().join("base"), &spec, &[]);
    if let Ok(list) = fs::read_to_string(case.join(REMOVE)) {
        let names = list.lines().map(str::trim);
        for name in names.filter(|line| !line.is_empty() && !line.starts_with('#')) {
            fs::remove_file(spec.join(name)).unwrap_or_else(|e| {
                panic!("{}: cannot remove base file {name}: {e}", case.display())
            });
        }
    }
    copy_files(case, &spec, &[EXPECTED, REMOVE, KNOWN_BUG]);
    spec
}

/// An output folder that already holds a crate: generated files (with the marker) copied from
/// the committed crate, and files written by hand. A broken spec must leave all of it alone.
fn existing_output(temp: &Path) -> PathBuf {
    let out = temp.join("out");
    let committed = generated_crate();
    for path in ["Cargo.toml", "src/lib.rs", "src/crm/v7/types.rs"] {
        let target = out.join(path);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::copy(committed.join(path), &target).expect("copy generated file");
    }
    fs::write(out.join("src/handwritten.rs"), "// mine, not generated\n").expect("write");
    fs::write(out.join("NOTES.md"), "Kept by hand.\n").expect("write");
    out
}

/// Every file under `root`: its bytes and modification time.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
        for entry in fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                let modified = fs::metadata(&path)
                    .and_then(|meta| meta.modified())
                    .expect("mtime");
                out.insert(path.clone(), (fs::read(&path).expect("read"), modified));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, &mut out);
    out
}

/// Runs one case; `Err` describes how it failed.
fn check_case(case: &Path, bless: bool) -> Result<(), String> {
    let temp = tempfile::tempdir().expect("temp dir");
    let spec = assemble(case, temp.path());
    let out = existing_output(temp.path());
    let before = snapshot(&out);

    let outcome = generate(&spec, &out)?;
    // Paths are printed as given; keep only the stable `spec/...` part.
    let prefix = format!("{}/", temp.path().display());
    let stderr = outcome.stderr.replace(&prefix, "");

    let mut problems = Vec::new();
    if outcome.code != 1 {
        problems.push(format!("exit status {} instead of 1", outcome.code));
    }
    if !outcome.stdout.is_empty() {
        problems.push(format!("unexpected stdout: {}", outcome.stdout));
    }
    if snapshot(&out) != before {
        problems.push("the output folder changed".to_owned());
    }
    let expected_path = case.join(EXPECTED);
    let known_bug = case.join(KNOWN_BUG).exists();
    if bless && !known_bug && problems.is_empty() {
        fs::write(&expected_path, &stderr).expect("write expected.txt");
    } else {
        let expected = fs::read_to_string(&expected_path)
            .map_err(|e| format!("cannot read {EXPECTED} ({e}); actual stderr:\n{stderr}"))?;
        if known_bug {
            if stderr == expected {
                problems.push(format!(
                    "the bug in {KNOWN_BUG} is fixed: delete that file so the case is checked fully"
                ));
            }
            for code in problem_codes(&expected) {
                if !stderr.contains(code) {
                    problems.push(format!("`{code}` is no longer reported:\n{stderr}"));
                }
            }
        } else if stderr != expected {
            problems.push(format!(
                "stderr differs from {EXPECTED}:\n{}",
                similar::TextDiff::from_lines(&expected, &stderr)
                    .unified_diff()
                    .header("expected", "actual")
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn every_broken_spec_reports_its_located_problems_and_writes_nothing() {
    let bless = std::env::var_os("BLESS").is_some();
    let cases = cases();
    assert!(
        cases.len() >= 25,
        "the corpus has only {} cases",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let name = case.file_name().expect("name").to_string_lossy();
            check_case(case, bless)
                .err()
                .map(|why| format!("case `{name}`: {why}"))
        })
        .collect();
    let known_bugs: Vec<_> = cases
        .iter()
        .filter(|case| case.join(KNOWN_BUG).exists())
        .filter_map(|case| case.file_name())
        .collect();
    if !known_bugs.is_empty() {
        eprintln!("cases documenting known generator bugs: {known_bugs:?}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} broken-spec cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Each case differs from a valid spec only by its overlay, so its messages come from that.
#[test]
fn the_base_of_the_corpus_is_a_valid_spec() {
    let temp = tempfile::tempdir().expect("temp dir");
    let spec = temp.path().join("spec");
    fs::create_dir_all(&spec).expect("mkdir");
    copy_files(&corpus().join("base"), &spec, &[]);
    let out = temp.path().join("out");
    let outcome = generate(&spec, &out).expect("no panic");
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert_eq!(outcome.stderr, "");
    assert!(out.join("src/crm/v7/operations.rs").is_file());
    assert!(out.join("src/crm/v7/bodies.rs").is_file());
}
