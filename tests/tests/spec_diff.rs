//! The diff corpus: `zoho-codegen diff BASE HEAD` on small spec changes, in the style of buf's
//! and oasdiff's breaking-change tests.
//!
//! Layout of `tests/diff/`:
//! - `base/`: a small valid spec that uses every construct of the format.
//! - `<case>/`: files that replace (or add to) the base's to make HEAD, an optional `remove.txt`
//!   naming base files to delete (one per line; `#` starts a comment), and the exact reports:
//!   `expected.txt` (text, always), and for some cases `expected.md`, `expected.json` and
//!   `expected.github`. A case holding `base/` and `head/` folders compares those two instead.
//!
//! BASE and HEAD are copied to `<temp>/base` and `<temp>/head` and compared with
//! `--repo <temp>`, so reports read `base/crm-v1.yaml:LINE:COL` and `head/...` wherever the
//! temporary folder is. `BLESS=1` rewrites the expected files from the actual output: review
//! every change, a blessed report must describe the case's change and nothing else.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use zoho_codegen::tools::cli;
use zoho_codegen::tools::diff::rules::{self, Rule};

const REMOVE: &str = "remove.txt";
/// Each expected report and the `--format` it is the output of.
const FORMATS: &[(&str, &str)] = &[
    ("expected.txt", "text"),
    ("expected.md", "markdown"),
    ("expected.json", "json"),
    ("expected.github", "github"),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diff")
}

/// Every case folder, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("read tests/diff")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir() && path.file_name().is_some_and(|name| name != "base"))
        .collect();
    cases.sort();
    cases
}

/// What a `zoho-codegen` command printed, with ANSI styles stripped from stderr.
struct Outcome {
    code: u8,
    stdout: String,
    stderr: String,
}

fn run<I, S>(args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let mut stdout = Vec::new();
    let mut stderr = anstream::StripStream::new(Vec::new());
    let args: Vec<OsString> = std::iter::once("zoho-codegen".into())
        .chain(args.into_iter().map(Into::into))
        .collect();
    let code = cli::run(args, &mut stdout, &mut stderr);
    Outcome {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.into_inner()).into_owned(),
    }
}

fn copy_files(from: &Path, to: &Path, skip: &[&str]) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if skip.iter().any(|skipped| name == *skipped)
            || !entry.file_type().expect("type").is_file()
        {
            continue;
        }
        fs::copy(entry.path(), to.join(&name)).expect("copy spec file");
    }
}

/// Builds `<temp>/base` and `<temp>/head` for a case.
fn assemble(case: &Path, temp: &Path) {
    let (base, head) = (temp.join("base"), temp.join("head"));
    if case.join("base").is_dir() {
        copy_files(&case.join("base"), &base, &[]);
        copy_files(&case.join("head"), &head, &[]);
        return;
    }
    copy_files(&corpus().join("base"), &base, &[]);
    copy_files(&corpus().join("base"), &head, &[]);
    if let Ok(list) = fs::read_to_string(case.join(REMOVE)) {
        let names = list.lines().map(str::trim);
        for name in names.filter(|line| !line.is_empty() && !line.starts_with('#')) {
            fs::remove_file(head.join(name)).unwrap_or_else(|e| {
                panic!("{}: cannot remove base file {name}: {e}", case.display())
            });
        }
    }
    let mut skip: Vec<&str> = FORMATS.iter().map(|(file, _)| *file).collect();
    skip.push(REMOVE);
    copy_files(case, &head, &skip);
}

/// `diff base head` in `temp`, with extra arguments.
fn diff(temp: &Path, extra: &[&str]) -> Outcome {
    let mut args: Vec<OsString> = vec![
        "diff".into(),
        "base".into(),
        "head".into(),
        "--repo".into(),
        temp.into(),
    ];
    args.extend(extra.iter().map(OsString::from));
    run(args)
}

/// The rule ids a text report names, in order.
fn rule_ids(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| {
            let mut words = line.split(' ');
            let level = words.next()?;
            ["breaking", "possibly-breaking", "info"]
                .contains(&level)
                .then(|| words.next())
                .flatten()
        })
        .collect()
}

/// Runs one case in every format it has a report for; `Err` says how it failed.
fn check_case(case: &Path, bless: bool) -> Result<(), String> {
    let temp = tempfile::tempdir().expect("temp dir");
    assemble(case, temp.path());
    let mut problems = Vec::new();
    for (file, format) in FORMATS {
        let expected_path = case.join(file);
        if *file != "expected.txt" && !expected_path.exists() {
            continue;
        }
        let outcome = diff(temp.path(), &["--format", format]);
        if !outcome.stderr.is_empty() {
            problems.push(format!(
                "--format {format}: unexpected stderr:\n{}",
                outcome.stderr
            ));
            continue;
        }
        // The default `--fail-on breaking`: 3 exactly when something is breaking.
        let text = diff(temp.path(), &[]).stdout;
        let breaking = text.lines().any(|line| line.starts_with("breaking "));
        let wanted = if breaking { cli::CHANGES } else { cli::SUCCESS };
        if outcome.code != wanted {
            problems.push(format!(
                "--format {format}: exit status {} instead of {wanted}",
                outcome.code
            ));
        }
        if bless {
            fs::write(&expected_path, &outcome.stdout).expect("write expected report");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).map_err(|e| {
            format!(
                "cannot read {file} ({e}); actual output:\n{}",
                outcome.stdout
            )
        })?;
        if outcome.stdout != expected {
            problems.push(format!(
                "--format {format} differs from {file}:\n{}",
                similar::TextDiff::from_lines(&expected, &outcome.stdout)
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
fn every_case_reports_exactly_its_changes() {
    let bless = std::env::var_os("BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= Rule::ALL.len(), "only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let name = case.file_name().expect("name").to_string_lossy();
            check_case(case, bless)
                .err()
                .map(|why| format!("case `{name}`: {why}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} diff cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// A rule without a case is a rule nobody has seen fire.
#[test]
fn every_rule_has_a_case() {
    let mut seen = BTreeSet::new();
    for case in cases() {
        let report = fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        seen.extend(rule_ids(&report).into_iter().map(str::to_owned));
    }
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|rule| rule.id())
        .filter(|id| !seen.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a case in tests/diff: {missing:?}"
    );
    let unknown: Vec<&String> = seen
        .iter()
        .filter(|id| Rule::from_id(id).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "expected reports name unknown rules: {unknown:?}"
    );
}

/// The base of the corpus compares equal to itself, and generates.
#[test]
fn the_base_is_valid_and_has_no_changes_with_itself() {
    let base = corpus().join("base");
    let outcome = run([OsString::from("diff"), base.clone().into(), base.into()]);
    assert_eq!(outcome.code, cli::SUCCESS, "{}", outcome.stderr);
    assert_eq!(
        outcome.stdout,
        "no changes\nsemver: no release needed (HEAD has 0.1.0)\n"
    );
}

/// The acceptance scenario: a response key removed, a parameter made required and an error
/// code added are exactly three changes, breaking, breaking and info; `--fail-on` decides the
/// exit status.
#[test]
fn acceptance_three_changes_and_fail_on() {
    let temp = tempfile::tempdir().expect("temp dir");
    assemble(&corpus().join("acceptance-three-changes"), temp.path());
    let outcome = diff(temp.path(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON report");
    let changes: Vec<(&str, &str)> = report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|change| {
            (
                change["rule"].as_str().unwrap_or_default(),
                change["level"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("key-removed", "breaking"),
            ("param-became-required", "breaking"),
            ("error-code-added", "info"),
        ]
    );
    for (fail_on, code) in [
        ("breaking", 3),
        ("possibly-breaking", 3),
        ("info", 3),
        ("none", 0),
    ] {
        let outcome = diff(temp.path(), &["--fail-on", fail_on]);
        assert_eq!(outcome.code, code, "--fail-on {fail_on}");
    }
    let info_only = tempfile::tempdir().expect("temp dir");
    assemble(&corpus().join("error-code-added"), info_only.path());
    assert_eq!(diff(info_only.path(), &["--fail-on", "breaking"]).code, 0);
    assert_eq!(diff(info_only.path(), &["--fail-on", "info"]).code, 3);
}

/// A broken side stops the comparison: located diagnostics on stderr, nothing on stdout.
#[test]
fn a_broken_side_exits_1_with_located_diagnostics() {
    let temp = tempfile::tempdir().expect("temp dir");
    assemble(&corpus().join("acceptance-three-changes"), temp.path());
    let broken = fs::read_to_string(temp.path().join("head/crm-v1.yaml"))
        .expect("read")
        .replacen("method: GET", "method: FETCH", 1);
    fs::write(temp.path().join("head/crm-v1.yaml"), broken).expect("write");
    let outcome = diff(temp.path(), &[]);
    assert_eq!(outcome.code, cli::FAILURE);
    assert_eq!(outcome.stdout, "");
    assert!(
        outcome.stderr.contains("head/crm-v1.yaml:")
            && outcome.stderr.contains(": error[bad-method]: `FETCH`"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome
            .stderr
            .ends_with("error: HEAD (`head`) has 1 problem in the spec; cannot compare\n"),
        "{}",
        outcome.stderr
    );

    // The same on the other side, with the arguments swapped.
    let swapped = run([
        OsString::from("diff"),
        "head".into(),
        "base".into(),
        "--repo".into(),
        temp.path().into(),
    ]);
    assert_eq!(swapped.code, cli::FAILURE);
    assert_eq!(swapped.stdout, "");
    assert!(
        swapped.stderr.contains("error: BASE (`head`) has"),
        "{}",
        swapped.stderr
    );
}

/// A base written before a text rule existed is still compared (the rule changes nothing
/// diff compares), with a warning; the same text in the head, under review, stops the diff.
#[test]
fn a_base_that_breaks_a_newer_text_rule_is_compared_with_a_warning() {
    let temp = tempfile::tempdir().expect("temp dir");
    assemble(&corpus().join("acceptance-three-changes"), temp.path());
    let with_local_reference = |side: &str| {
        let path = temp.path().join(side).join("crm-v1.yaml");
        let text = fs::read_to_string(&path).expect("read");
        let edited = text.replacen(
            "\nsource: https://",
            "\nprovenance: [\"Read in ../shared/seeds/000.txt.\"]\nsource: https://",
            1,
        );
        assert_ne!(text, edited, "the case's file has a top-level source");
        fs::write(&path, edited).expect("write");
    };
    with_local_reference("base");
    let outcome = diff(temp.path(), &[]);
    // The case's own breaking changes are reported, with their exit status.
    assert_eq!(outcome.code, cli::CHANGES, "{}", outcome.stderr);
    assert!(
        outcome
            .stderr
            .starts_with("warning: BASE (`base`) has 1 text problem")
            && outcome
                .stderr
                .contains("error[bad-text]: this text names `../shared`"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stdout.contains("provenance-changed"),
        "{}",
        outcome.stdout
    );

    with_local_reference("head");
    let outcome = diff(temp.path(), &[]);
    assert_eq!(outcome.code, cli::FAILURE);
    assert!(
        outcome
            .stderr
            .ends_with("error: HEAD (`head`) has 1 problem in the spec; cannot compare\n"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_missing_folder_that_is_no_revision_exits_1() {
    let temp = tempfile::tempdir().expect("temp dir");
    let outcome = run([
        OsString::from("diff"),
        "nowhere".into(),
        "nowhere".into(),
        "--repo".into(),
        temp.path().into(),
    ]);
    assert_eq!(outcome.code, cli::FAILURE);
    assert_eq!(outcome.stdout, "");
    assert!(
        outcome
            .stderr
            .starts_with("error: cannot read BASE: `nowhere` is neither a folder nor a revision"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_statuses() {
    let outcome = run(["diff", "only-one"]);
    assert_eq!(outcome.code, cli::USAGE);
    let outcome = run(["diff", "a", "b", "--format", "yaml"]);
    assert_eq!(outcome.code, cli::USAGE);
    let help = run(["diff", "--help"]);
    assert_eq!(help.code, cli::SUCCESS);
    for line in [
        "0  no change at or above --fail-on",
        "3  changes at or above --fail-on",
        "1  a side could not be loaded",
        "2  usage error",
    ] {
        assert!(
            help.stdout.contains(line),
            "--help lacks `{line}`:\n{}",
            help.stdout
        );
    }
}

/// `--rules` prints the table that `spec/README.md` documents, row for row.
#[test]
fn the_readme_documents_every_rule() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/README.md"))
            .expect("read spec/README.md");
    let section = readme
        .split("## Reviewing a change")
        .nth(1)
        .expect("spec/README.md has a section \"Reviewing a change\"");
    let listing = run(["diff", "--rules"]);
    assert_eq!(listing.code, cli::SUCCESS);
    assert_eq!(listing.stdout, rules::markdown_table());
    let missing: Vec<&str> = listing
        .stdout
        .lines()
        .filter(|row| !section.contains(row))
        .collect();
    assert!(
        missing.is_empty(),
        "rows of `zoho-codegen diff --rules` missing from spec/README.md:\n{}",
        missing.join("\n")
    );
    for rule in Rule::ALL {
        assert!(
            section.contains(&format!("| `{}` |", rule.id())),
            "{} is not in the README table",
            rule.id()
        );
    }
}

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "-c",
            "user.name=Diff Test",
            "-c",
            "user.email=diff@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

/// Revisions are read from git: `diff HEAD~1 HEAD` in a repository with two commits.
#[test]
fn revisions_of_a_git_repository() {
    let repo = tempfile::tempdir().expect("temp dir");
    let spec = repo.path().join("spec");
    git(repo.path(), &["init", "--quiet"]);
    copy_files(&corpus().join("base"), &spec, &[]);
    git(repo.path(), &["add", "spec"]);
    git(repo.path(), &["commit", "--quiet", "-m", "base"]);
    let reports: Vec<&str> = FORMATS.iter().map(|(file, _)| *file).collect();
    copy_files(&corpus().join("acceptance-three-changes"), &spec, &reports);
    git(repo.path(), &["add", "spec"]);
    git(repo.path(), &["commit", "--quiet", "-m", "head"]);
    // The working tree differs from both commits: only the revisions may be read.
    fs::write(spec.join("crm-v1.yaml"), "not: [valid").expect("write");

    let outcome = run([
        OsString::from("diff"),
        "HEAD~1".into(),
        "HEAD".into(),
        "--repo".into(),
        repo.path().into(),
        "--fail-on".into(),
        "none".into(),
    ]);
    assert_eq!(outcome.code, cli::SUCCESS, "{}", outcome.stderr);
    let expected = fs::read_to_string(corpus().join("acceptance-three-changes/expected.txt"))
        .expect("read")
        .replace("base/", "HEAD~1:spec/")
        .replace("head/", "HEAD:spec/");
    assert_eq!(outcome.stdout, expected);

    // GitHub annotations name the files by their path in the repository.
    let github = run([
        OsString::from("diff"),
        "HEAD~1".into(),
        "HEAD".into(),
        "--repo".into(),
        repo.path().into(),
        "--format".into(),
        "github".into(),
    ]);
    assert!(
        github
            .stdout
            .contains("::error file=spec/crm-v1.yaml,line="),
        "{}",
        github.stdout
    );

    // `--spec-dir` names the folder inside the repository.
    let elsewhere = run([
        OsString::from("diff"),
        "HEAD~1".into(),
        "HEAD".into(),
        "--repo".into(),
        repo.path().into(),
        "--spec-dir".into(),
        "docs".into(),
    ]);
    assert_eq!(elsewhere.code, cli::FAILURE);
    assert!(
        elsewhere
            .stderr
            .contains("revision `HEAD~1` has no folder `docs`"),
        "{}",
        elsewhere.stderr
    );

    let unknown = run([
        OsString::from("diff"),
        "no-such-branch".into(),
        "HEAD".into(),
        "--repo".into(),
        repo.path().into(),
    ]);
    assert_eq!(unknown.code, cli::FAILURE);
    assert_eq!(unknown.stdout, "");
    assert!(
        unknown.stderr.starts_with("error: cannot read BASE: `no-such-branch` is neither a folder nor a revision of the git repository at"),
        "{}",
        unknown.stderr
    );

    // A broken revision is reported at its files, named `rev:path`.
    git(repo.path(), &["add", "spec"]);
    git(repo.path(), &["commit", "--quiet", "-m", "broken"]);
    let broken = run([
        OsString::from("diff"),
        "HEAD~1".into(),
        "HEAD".into(),
        "--repo".into(),
        repo.path().into(),
    ]);
    assert_eq!(broken.code, cli::FAILURE);
    assert_eq!(broken.stdout, "");
    assert!(
        broken.stderr.starts_with("HEAD:spec/crm-v1.yaml:")
            && broken.stderr.contains(": error[yaml-syntax]: "),
        "{}",
        broken.stderr
    );
}

/// Every field of the model is compared: changing any one value of the base (each leaf of its
/// YAML, in turn) is reported.
#[test]
fn changing_any_value_of_the_model_is_reported() {
    use zoho_codegen::load::model::{ApiSpec, SharedSpec};

    let base = zoho_codegen::check(&corpus().join("base"))
        .expect("the base is valid")
        .spec;
    let mut unreported = Vec::new();
    let mut tried = 0;
    let shared = serde_json::to_value(&base.shared.spec).expect("encode");
    for (path, mutated) in mutations(&shared) {
        let Ok(spec) = serde_json::from_value::<SharedSpec>(mutated) else {
            unreported.push(format!("shared.yaml {path}: no valid mutation"));
            continue;
        };
        let mut head = base.clone();
        head.shared.spec = spec;
        tried += 1;
        if zoho_codegen::tools::diff::compare(&base, &head).is_empty() {
            unreported.push(format!("shared.yaml {path}"));
        }
    }
    for (index, file) in base.apis.iter().enumerate() {
        let value = serde_json::to_value(&file.spec).expect("encode");
        for (path, mutated) in mutations(&value) {
            let Ok(spec) = serde_json::from_value::<ApiSpec>(mutated) else {
                unreported.push(format!("{} {path}: no valid mutation", file.file_name));
                continue;
            };
            let mut head = base.clone();
            head.apis[index].spec = spec;
            tried += 1;
            if zoho_codegen::tools::diff::compare(&base, &head).is_empty() {
                unreported.push(format!("{} {path}", file.file_name));
            }
        }
    }
    assert!(tried > 300, "only {tried} values were changed");
    assert!(
        unreported.is_empty(),
        "changes that were not reported:\n{}",
        unreported.join("\n")
    );
}

/// An enum without fields can be cast with `as`, so moving one of its variants, or giving it a
/// variant with a field, is breaking. The corpus covers `DataCenter`; `Module` and module sets,
/// which the base gives a `Custom(CustomModule)` variant, are checked here on the base without
/// its custom module.
#[test]
fn module_enums_without_fields_report_moved_discriminants() {
    let mut base = zoho_codegen::check(&corpus().join("base"))
        .expect("the base is valid")
        .spec;
    let crm = base
        .apis
        .iter()
        .position(|file| file.file_name == "crm-v1.yaml")
        .expect("the base has crm v1");
    let api = &mut base.apis[crm].spec;
    let custom = api
        .modules
        .shift_remove("Custom")
        .expect("the base has a custom module");
    for set in api.module_sets.values_mut() {
        set.modules.retain(|member| member != "Custom");
    }

    // HEAD: a module before the others, and a member before the others in `PhotoModule`.
    let mut head = base.clone();
    let api = &mut head.apis[crm].spec;
    let mut contacts = api.modules["Leads"].clone();
    contacts.api_name = Some("Contacts".to_owned());
    contacts.scope = "contacts".to_owned();
    api.modules.shift_insert(0, "Contacts".to_owned(), contacts);
    api.module_sets["PhotoModule"]
        .modules
        .insert(0, "Contacts".to_owned());
    let moved: Vec<(String, String)> = zoho_codegen::tools::diff::compare(&base, &head)
        .into_iter()
        .filter(|change| change.rule == Rule::DiscriminantChanged)
        .map(|change| (change.message, change.api))
        .collect();
    assert_eq!(
        moved,
        [
            (
                "the implicit discriminants of `crm::v1::Module` changed: `Leads` 0 → 1, `PriceBooks` 1 → 2, `Deals` 2 → 3".to_owned(),
                "`crm::v1::Module::Leads as isize` is 1 instead of 0: the enum has no fields, so callers may cast it".to_owned(),
            ),
            (
                "the implicit discriminants of `crm::v1::PhotoModule` changed: `Leads` 0 → 1, `Deals` 1 → 2".to_owned(),
                "`crm::v1::PhotoModule::Leads as isize` is 1 instead of 0: the enum has no fields, so callers may cast it".to_owned(),
            ),
        ]
    );

    // HEAD: the custom module back, last: nothing moves, but casts stop compiling.
    let mut head = base.clone();
    let api = &mut head.apis[crm].spec;
    api.modules.insert("Custom".to_owned(), custom);
    api.module_sets["PhotoModule"]
        .modules
        .push("Custom".to_owned());
    let gained: Vec<String> = zoho_codegen::tools::diff::compare(&base, &head)
        .into_iter()
        .filter(|change| change.rule == Rule::DiscriminantChanged)
        .map(|change| change.message)
        .collect();
    assert_eq!(
        gained,
        [
            "`crm::v1::Module` gained a variant with a field",
            "`crm::v1::PhotoModule` gained a variant with a field",
        ]
    );
}

/// Each leaf of `value` changed in turn: a string gets a suffix (or, for the few enumerated
/// strings, another valid value), a boolean flips, a number grows.
fn mutations(value: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    fn walk(value: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    path.push(key.clone());
                    walk(child, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(index.to_string());
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }
    let mut leaves = Vec::new();
    walk(value, &mut Vec::new(), &mut leaves);
    leaves
        .into_iter()
        .map(|leaf| {
            let mut mutated = value.clone();
            let mut node = &mut mutated;
            for key in &leaf {
                node = match node {
                    serde_json::Value::Array(items) => {
                        &mut items[key.parse::<usize>().expect("index")]
                    }
                    other => &mut other[key.as_str()],
                };
            }
            *node = match node.take() {
                serde_json::Value::String(text) => serde_json::Value::String(match text.as_str() {
                    "path" => "query".to_owned(),
                    "query" => "path".to_owned(),
                    "none" => "default".to_owned(),
                    "default" => "none".to_owned(),
                    _ => format!("{text}x"),
                }),
                serde_json::Value::Bool(flag) => serde_json::Value::Bool(!flag),
                serde_json::Value::Number(number) => {
                    serde_json::json!(number.as_i64().unwrap_or_default() + 1)
                }
                other => other,
            };
            (leaf.join("."), mutated)
        })
        .collect()
}
