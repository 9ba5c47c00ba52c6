//! `zoho-codegen import`: each seed page drafts an operation whose facts equal the hand-written
//! spec's, apart from what the spec adds from other sources (listed per seed, with why); drafts
//! load as specs; nothing is ever overwritten.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use zoho_tests::codegen_cli::{Run, arg, real_spec, run, workspace};

/// A seed page, the operation it documents, and the address `--source` gives (the pages that
/// carry their own address get none).
struct Seed {
    file: &'static str,
    product: &'static str,
    version: &'static str,
    operation: &'static str,
    source: Option<&'static str>,
    /// What the draft cannot give, because the spec has it from elsewhere (with the reason).
    spec_adds: &'static [&'static str],
}

const SEEDS: &[Seed] = &[
    Seed {
        file: "000_e152b80616e14521.txt",
        product: "crm",
        version: "v7",
        operation: "list_attachments",
        source: None,
        spec_adds: &[],
    },
    Seed {
        file: "001_c868b016b51380fa.txt",
        product: "bigin",
        version: "v1",
        operation: "list_attachments",
        source: Some("https://www.bigin.com/developer/docs/apis/get-attachments.html"),
        spec_adds: &[
            // The page pairs Companies with the scope name `accounts` in a parenthesis
            // ("accounts(companies in Bigin)") that the page reader drops; the draft notes that
            // no module name matched Companies.
            "modules",
        ],
    },
    Seed {
        file: "002_15a0ff739be1dcdc.txt",
        product: "crm",
        version: "v8",
        operation: "upload_attachment",
        source: Some("https://www.zoho.com/crm/developer/docs/api/v8/upload-attachment.html"),
        spec_adds: &[
            // The spec words its one-line summary itself; the page's Purpose is its doc.
            "summary",
            // The page lists `title` under Parameters; its sample and the link alternative send
            // it as form-data beside `attachmentUrl`, as the spec does.
            "param title",
        ],
    },
    Seed {
        file: "003_643aeb77d590f357.txt",
        product: "contracts",
        version: "v1",
        operation: "list_attachments",
        source: Some("https://www.zoho.com/contracts/api/attachments/get-all-attachments.html"),
        spec_adds: &[],
    },
    Seed {
        file: "004_2f6c7f06fde7d3a2.txt",
        product: "crm",
        version: "v2.1",
        operation: "upload_attachment",
        source: Some("https://www.zoho.com/crm/developer/docs/api/v2.1/upload-attachment.html"),
        spec_adds: &[
            // The copy lost the Scope section; the spec has the v2.1 scopes from sibling pages.
            "scopes",
            // The copy lost every error code; the spec recovered them from sibling pages.
            "errors",
            // The copy's sample lost its braces; the spec keeps it verbatim and a repaired copy.
            "sample_response",
        ],
    },
];

fn seeds_dir() -> PathBuf {
    workspace().join("../shared/seeds")
}

/// `zoho-codegen import PAGE --product P --version V --spec spec/ EXTRA...`.
fn import(page: &Path, product: &str, version: &str, extra: &[&str]) -> Run {
    let spec = real_spec();
    let mut args = vec![
        "import",
        arg(page),
        "--product",
        product,
        "--version",
        version,
        "--spec",
        arg(&spec),
    ];
    args.extend(extra);
    run(&args)
}

/// The draft of `seed`, as the JSON value of its YAML, and what import warned about.
fn draft(seed: &Seed) -> (Value, String) {
    let page = seeds_dir().join(seed.file);
    let mut extra = vec!["--name", seed.operation];
    if let Some(source) = seed.source {
        extra.extend(["--source", source]);
    }
    let run = import(&page, seed.product, seed.version, &extra);
    assert_eq!(run.code, 0, "import {}: {}", seed.file, run.stderr);
    let yaml: serde_yaml::Value = serde_yaml::from_str(&run.stdout).expect("the draft is YAML");
    (
        serde_json::to_value(yaml).expect("the draft is JSON-like"),
        run.stderr,
    )
}

/// The real spec as `inspect --json` prints it.
fn inspected() -> Value {
    let spec = real_spec();
    let run = run(&["inspect", "--json", "--spec", arg(&spec)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("inspect prints JSON")
}

fn api<'a>(inspected: &'a Value, seed: &Seed) -> &'a Value {
    inspected["apis"]
        .as_array()
        .expect("apis")
        .iter()
        .find(|api| api["product"] == seed.product && api["version"] == seed.version)
        .expect("the seed's product version is in the spec")
}

/// `/{module_api_name}/{record_ID}/Attachments` → `/{}/{}/Attachments`.
fn route(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every difference between a draft and the hand-written operation, one line each, named by
/// the fact (`param fields`, `scopes`, `errors`...).
fn differences(seed: &Seed, draft: &Value, api: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut differ = |fact: &str, what: String| found.push((fact.to_owned(), what));
    let mine = &draft["operations"][seed.operation];
    let theirs = &api["operations"][seed.operation];
    assert!(
        theirs.is_object(),
        "{} has no {}",
        seed.file,
        seed.operation
    );

    for key in ["summary", "source", "method"] {
        if text(&mine[key]) != text(&theirs[key]) {
            differ(key, format!("{} ≠ {}", mine[key], theirs[key]));
        }
    }
    if route(&text(&mine["path"])) != route(&text(&theirs["path"])) {
        differ("path", format!("{} ≠ {}", mine["path"], theirs["path"]));
    }
    if draft["server"]["prefix"] != api["server"]["prefix"]
        || draft["server"]["hosts"] != api["server"]["hosts"]
    {
        differ("server", format!("{} ≠ {}", draft["server"], api["server"]));
    }

    // Parameters: query parameters by name; path parameters by position (pages name them
    // `record_ID` or `record_id`).
    let empty = serde_json::Map::new();
    let params = |op: &Value| {
        op["params"]
            .as_object()
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (my_params, their_params) = (params(mine), params(theirs));
    let in_path = |params: &serde_json::Map<String, Value>| -> Vec<Value> {
        params
            .values()
            .filter(|p| p["in"] == "path")
            .map(|p| p["type"].clone())
            .collect()
    };
    if in_path(&my_params) != in_path(&their_params) {
        differ(
            "path params",
            format!("{:?} ≠ {:?}", in_path(&my_params), in_path(&their_params)),
        );
    }
    for (name, param) in my_params.iter().filter(|(_, p)| p["in"] == "query") {
        match their_params.get(name) {
            Some(theirs) if theirs["in"] == "query" && theirs["required"] == param["required"] => {}
            other => differ(&format!("param {name}"), format!("{param} ≠ {other:?}")),
        }
    }
    for (name, _) in their_params.iter().filter(|(_, p)| p["in"] == "query") {
        if !my_params.contains_key(name) {
            differ(&format!("param {name}"), "in the spec only".to_owned());
        }
    }

    // Modules: display names and scope names, in page order.
    let modules = |api: &Value| -> Vec<(String, String)> {
        api["modules"]
            .as_object()
            .map(|modules| {
                modules
                    .iter()
                    .map(|(name, module)| (name.clone(), text(&module["scope"])))
                    .collect()
            })
            .unwrap_or_default()
    };
    if modules(draft) != modules(api) {
        differ(
            "modules",
            format!("{:?} ≠ {:?}", modules(draft), modules(api)),
        );
    }

    let scopes = |op: &Value| {
        (
            op["scopes"]["all_of"].clone(),
            op["scopes"]["operations"].clone(),
        )
    };
    if scopes(mine) != scopes(theirs) {
        differ(
            "scopes",
            format!("{:?} ≠ {:?}", scopes(mine), scopes(theirs)),
        );
    }

    // Errors: the page's rows, in order (rows the spec recovered from elsewhere aside).
    let rows = |op: &Value, from_page: bool| -> Vec<(String, Value, String, String)> {
        op["errors"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .filter(|row| !from_page || row.get("recovered_from").is_none())
                    .map(|row| {
                        (
                            text(&row["code"]),
                            row["status"].clone(),
                            text(&row["message"]),
                            text(&row["resolution"]),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    if rows(mine, false) != rows(theirs, true) {
        differ(
            "errors",
            format!("{:#?}\n≠\n{:#?}", rows(mine, false), rows(theirs, true)),
        );
    }

    if text(&mine["sample_request"]) != text(&theirs["sample_request"]) {
        differ(
            "sample_request",
            format!("{} ≠ {}", mine["sample_request"], theirs["sample_request"]),
        );
    }
    let json = |op: &Value| -> Option<Value> {
        serde_json::from_str(op["sample_response"].as_str()?).ok()
    };
    if json(mine) != json(theirs) {
        differ("sample_response", "the samples differ as JSON".to_owned());
    }

    // Response keys: every key the page's table documents is a key of the spec's types, and
    // every key the spec documents from the table is in the draft.
    let documented = |api: &Value| -> BTreeSet<String> {
        api["types"]
            .as_object()
            .into_iter()
            .flat_map(|types| types.values())
            .filter_map(|ty| ty["keys"].as_object())
            .flat_map(|keys| keys.iter())
            .filter(|(_, key)| key.get("undocumented").is_none_or(|u| u == false))
            .map(|(name, _)| name.clone())
            .collect()
    };
    let all_keys = |api: &Value| -> BTreeSet<String> {
        api["types"]
            .as_object()
            .into_iter()
            .flat_map(|types| types.values())
            .filter_map(|ty| ty["keys"].as_object())
            .flat_map(|keys| keys.keys().cloned())
            .collect()
    };
    let missing: Vec<String> = documented(draft)
        .difference(&all_keys(api))
        .cloned()
        .collect();
    if !missing.is_empty() {
        differ(
            "response keys",
            format!("on the page, not in the spec's types: {missing:?}"),
        );
    }
    found
}

#[test]
fn each_seed_drafts_the_hand_written_operation() {
    let inspected = inspected();
    let mut report = Vec::new();
    for seed in SEEDS {
        let (draft, _) = draft(seed);
        for (fact, what) in differences(seed, &draft, api(&inspected, seed)) {
            if !seed.spec_adds.contains(&fact.as_str()) {
                report.push(format!(
                    "{} {}.{}: {fact}: {what}",
                    seed.file, seed.product, seed.operation
                ));
            }
        }
    }
    assert!(
        report.is_empty(),
        "drafts differ from the spec:\n{}",
        report.join("\n")
    );
}

#[test]
fn drafts_load_as_specs_and_name_what_the_page_lacks() {
    for seed in SEEDS {
        let (draft, warnings) = draft(seed);
        let notes = serde_json::to_string(&draft).expect("JSON");
        match seed.file {
            // The copy lost its Scope section: the draft says so, and generate would refuse it.
            "004_2f6c7f06fde7d3a2.txt" => {
                assert!(notes.contains("The page has no Scope section."), "{notes}");
                assert!(
                    warnings.contains("error[scope-template]: `all_of` needs at least one group"),
                    "{warnings}"
                );
                assert!(
                    notes.contains("The page lost the code or status of an error row"),
                    "{notes}"
                );
            }
            // The page types `addedBy.id` a number; its sample sends a string.
            "003_643aeb77d590f357.txt" => {
                assert!(warnings.contains("`contractattachments[0].addedBy.id` is a string, but the spec declares `number`"), "{warnings}");
            }
            _ => assert!(warnings.is_empty(), "{}: {warnings}", seed.file),
        }
    }
}

#[test]
fn import_never_overwrites_and_needs_an_address() {
    let temp = tempfile::tempdir().expect("temp");
    let out = temp.path().join("crm-v7.yaml");
    std::fs::write(&out, "kept").expect("write");
    let page = seeds_dir().join("000_e152b80616e14521.txt");
    let refused = import(&page, "crm", "v7", &["--out", arg(&out)]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("never overwrites"),
        "{}",
        refused.stderr
    );
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "kept");

    let fresh = temp.path().join("draft.yaml");
    let written = import(&page, "crm", "v7", &["--out", arg(&fresh)]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let text = std::fs::read_to_string(&fresh).expect("the draft was written");
    assert!(
        text.contains("get_list_of_attachments:"),
        "named after the page's title:\n{text}"
    );

    let page = seeds_dir().join("001_c868b016b51380fa.txt");
    let anonymous = import(&page, "bigin", "v1", &[]);
    assert_eq!(anonymous.code, 1);
    assert!(
        anonymous.stderr.contains("pass --source URL"),
        "{}",
        anonymous.stderr
    );

    let garbage = temp.path().join("garbage.bin");
    std::fs::write(&garbage, [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    let unreadable = import(&garbage, "crm", "v7", &[]);
    assert_eq!(unreadable.code, 1, "{}", unreadable.stderr);
    assert!(unreadable.stdout.is_empty());
}

/// Damaged copies of the seeds (each with one line cut out, as truncated copies of Zoho's pages
/// are) draft or are refused with a reason, never a panic; what is drafted always carries the
/// page's facts it could read as YAML.
#[test]
fn damaged_pages_draft_or_are_refused_without_panicking() {
    let temp = tempfile::tempdir().expect("temp");
    for seed in SEEDS {
        let text = std::fs::read_to_string(seeds_dir().join(seed.file)).expect("seed");
        let lines: Vec<&str> = text.lines().collect();
        // Every seventh line keeps the run short (each draft is checked as `generate` would);
        // most sections of a seed lose a line in some run.
        for cut in (0..lines.len()).step_by(7) {
            let damaged: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(index, _)| *index != cut)
                .map(|(_, line)| *line)
                .collect();
            let page = temp.path().join(seed.file);
            std::fs::write(&page, damaged.join("\n")).expect("write");
            let source = seed
                .source
                .unwrap_or("https://www.zoho.com/crm/developer/docs/api/v7/get-attachments.html");
            let run = import(&page, seed.product, seed.version, &["--source", source]);
            match run.code {
                0 => {
                    serde_yaml::from_str::<serde_yaml::Value>(&run.stdout).unwrap_or_else(
                        |error| {
                            panic!(
                                "{} without line {}: the draft is no YAML: {error}",
                                seed.file,
                                cut + 1
                            )
                        },
                    );
                }
                1 => assert!(
                    run.stderr.starts_with("error: "),
                    "{} without line {}: {}",
                    seed.file,
                    cut + 1,
                    run.stderr
                ),
                code => panic!(
                    "{} without line {}: exit {code}: {}",
                    seed.file,
                    cut + 1,
                    run.stderr
                ),
            }
        }
    }
}
