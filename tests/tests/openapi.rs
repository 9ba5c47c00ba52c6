//! The OpenAPI documents (`generated/openapi/*.json`, `zoho-codegen openapi`): they hold every
//! operation, parameter and documented error of the spec as `inspect --json` lists it, they are
//! the same bytes on every run, `generate` keeps them in step and `check` notices when they are
//! not. The golden fixture's documents are compared byte for byte by `codegen.rs`
//! (`golden_fixture_renders_to_the_checked_in_files`, `BLESS=1` to accept a change).
//!
//! CI also validates every document with openapi-spec-validator and runs schemathesis with the
//! CRM v8 document against zoho-fake (`.ci/run`); those need Python and stay out of `cargo test`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use zoho_tests::codegen_cli::{arg, real_spec, run, workspace};

fn golden_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden/spec")
}

/// The spec as `inspect --json` prints it.
fn inspect(spec: &Path) -> Value {
    let run = run(&["inspect", "--spec", arg(spec), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("inspect --json prints JSON")
}

/// Every file `openapi --out` writes for `spec`, by name.
fn documents_of(spec: &Path) -> BTreeMap<String, String> {
    let out = tempfile::tempdir().expect("temp dir");
    let run = run(&["openapi", "--spec", arg(spec), "--out", arg(out.path())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    fs::read_dir(out.path())
        .expect("read the output")
        .map(|entry| {
            let entry = entry.expect("entry");
            (
                entry.file_name().to_string_lossy().into_owned(),
                fs::read_to_string(entry.path()).expect("read a document"),
            )
        })
        .collect()
}

/// The documents committed in `generated/openapi/`, parsed, by file name.
fn committed() -> BTreeMap<String, Value> {
    let dir = workspace().join("generated/openapi");
    let mut documents = BTreeMap::new();
    for entry in fs::read_dir(&dir).expect("generated/openapi exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let text = fs::read_to_string(&path).expect("read");
            let name = path
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            documents.insert(name, serde_json::from_str(&text).expect("valid JSON"));
        }
    }
    documents
}

/// The operation of `document` whose `operationId` is `name`: (path, method, operation).
fn find_operation<'a>(document: &'a Value, name: &str) -> Option<(&'a str, &'a str, &'a Value)> {
    let paths = document["paths"].as_object()?;
    paths.iter().find_map(|(path, item)| {
        item.as_object()?.iter().find_map(|(method, operation)| {
            (operation["operationId"] == name).then_some((
                path.as_str(),
                method.as_str(),
                operation,
            ))
        })
    })
}

/// The codes a documented error response allows, from its schema's `code` enum.
fn codes_of(response: &Value) -> Vec<String> {
    response["content"]["application/json"]["schema"]["anyOf"][0]["properties"]["code"]["enum"]
        .as_array()
        .map(|codes| {
            codes
                .iter()
                .filter_map(|code| code.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What is missing from (or wrong in) `documents` for the model `inspect --json` printed.
fn disagreements(model: &Value, documents: &BTreeMap<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let apis = model["apis"].as_array().expect("apis");
    let operations_in_model: usize = apis
        .iter()
        .map(|api| api["operations"].as_object().map_or(0, |ops| ops.len()))
        .sum();
    let operations_in_documents: usize = documents
        .values()
        .flat_map(|document| document["paths"].as_object().into_iter().flatten())
        .map(|(_, item)| item.as_object().map_or(0, |methods| methods.len()))
        .sum();
    if operations_in_model != operations_in_documents {
        problems.push(format!(
            "{operations_in_model} operations in the model, {operations_in_documents} in the documents"
        ));
    }
    for api in apis {
        let file = format!(
            "{}-{}.json",
            api["product"].as_str().expect("product"),
            api["version"].as_str().expect("version")
        );
        let Some(document) = documents.get(&file) else {
            problems.push(format!("{file}: no document"));
            continue;
        };
        if document["info"]["version"] != api["version"] {
            problems.push(format!("{file}: info.version is not {}", api["version"]));
        }
        let servers: Vec<&str> = document["servers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|server| server["url"].as_str())
            .collect();
        for origin in api["rust"]["origins"].as_array().into_iter().flatten() {
            let url = format!(
                "{}{}",
                origin["origin"].as_str().expect("origin"),
                api["server"]["prefix"].as_str().expect("prefix")
            );
            if !servers.contains(&url.as_str()) {
                problems.push(format!("{file}: no server {url}"));
            }
        }
        for (name, operation) in api["operations"].as_object().expect("operations") {
            let Some((path, method, found)) = find_operation(document, name) else {
                problems.push(format!("{file}: no operation {name}"));
                continue;
            };
            if path != operation["path"] {
                problems.push(format!(
                    "{file} {name}: path {path}, spec {}",
                    operation["path"]
                ));
            }
            let spec_method = operation["method"].as_str().expect("method");
            if !method.eq_ignore_ascii_case(spec_method) {
                problems.push(format!(
                    "{file} {name}: method {method}, spec {spec_method}"
                ));
            }
            if found["externalDocs"]["url"] != operation["source"] {
                problems.push(format!("{file} {name}: externalDocs is not its source"));
            }
            for (wire, param) in operation["params"].as_object().into_iter().flatten() {
                let declared = found["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|p| p["name"] == wire.as_str() && p["in"] == param["in"]);
                match declared {
                    None => problems.push(format!("{file} {name}: no parameter {wire}")),
                    Some(declared) => {
                        let required =
                            param["in"] == "path" || param["required"].as_bool() == Some(true);
                        if declared["required"].as_bool() != Some(required) {
                            problems
                                .push(format!("{file} {name}: {wire} required is not {required}"));
                        }
                    }
                }
            }
            if operation.get("body").is_some() && found.get("requestBody").is_none() {
                problems.push(format!("{file} {name}: no request body"));
            }
            let success = operation["response"]["status"].to_string();
            if found["responses"].get(&success).is_none() {
                problems.push(format!("{file} {name}: no success response {success}"));
            }
            if let Some(empty) = operation["response"]["empty"]["status"].as_u64()
                && found["responses"].get(empty.to_string()).is_none()
            {
                problems.push(format!("{file} {name}: no empty response {empty}"));
            }
            for row in operation["errors"].as_array().into_iter().flatten() {
                let code = row["code"].as_str().expect("code");
                let status = row["status"].to_string();
                let listed = codes_of(&found["responses"][&status]);
                if !listed.iter().any(|listed| listed == code) {
                    problems.push(format!(
                        "{file} {name}: {code} is not among the codes of {status}"
                    ));
                }
            }
            if found["security"].as_array().is_none_or(Vec::is_empty) {
                problems.push(format!("{file} {name}: no security requirement"));
            }
        }
    }
    problems
}

#[test]
fn every_operation_parameter_and_error_of_the_spec_is_in_the_committed_documents() {
    let problems = disagreements(&inspect(&real_spec()), &committed());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_comparison_notices_a_missing_operation_and_a_missing_code() {
    // The test above can fail: a document without an operation, or without an error code, is
    // reported.
    let model = inspect(&real_spec());
    let mut documents = committed();
    let crm = documents.get_mut("crm-v8.json").expect("crm v8");
    let paths = crm["paths"].as_object_mut().expect("paths");
    let attachments = paths
        .get_mut("/{module_api_name}/{record_ID}/Attachments")
        .and_then(Value::as_object_mut)
        .expect("the attachments path");
    attachments.remove("delete");
    let enumeration =
        attachments["get"]["responses"]["404"]["content"]["application/json"]["schema"]["anyOf"][0]
            ["properties"]["code"]["enum"]
            .as_array_mut()
            .expect("the 404 codes");
    enumeration.retain(|code| code != "INVALID_URL_PATTERN");
    let problems = disagreements(&model, &documents);
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("no operation delete_attachments")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|problem| problem.contains("list_attachments: INVALID_URL_PATTERN")),
        "{problems:?}"
    );
}

#[test]
fn the_golden_fixture_documents_hold_its_operations_and_errors() {
    let golden = golden_spec();
    let documents: BTreeMap<String, Value> = documents_of(&golden)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".json"))
        .map(|(name, text)| (name, serde_json::from_str(&text).expect("JSON")))
        .collect();
    let problems = disagreements(&inspect(&golden), &documents);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn documents_are_the_same_bytes_every_time_and_match_the_committed_ones() {
    let first = documents_of(&real_spec());
    let second = documents_of(&real_spec());
    assert_eq!(first, second, "two runs, two outputs");
    let names: Vec<&str> = first.keys().map(String::as_str).collect();
    assert!(
        names.contains(&"crm-v8.json") && names.contains(&"README.md"),
        "{names:?}"
    );
    for (name, contents) in &first {
        let committed = fs::read_to_string(workspace().join("generated/openapi").join(name))
            .unwrap_or_else(|error| panic!("generated/openapi/{name}: {error}"));
        assert!(
            &committed == contents,
            "generated/openapi/{name} is stale: run `cargo run -p zoho-codegen`"
        );
    }
    // The generator writes the same documents into the crate.
    let generated = zoho_codegen::generate(&real_spec()).expect("the spec is valid");
    for (name, contents) in &first {
        let path = format!("openapi/{name}");
        let file = generated
            .files
            .iter()
            .find(|file| file.path == path)
            .unwrap_or_else(|| panic!("generate does not write {path}"));
        assert_eq!(&file.contents, contents, "{path}");
    }
}

#[test]
fn documents_carry_the_generated_marker_and_the_oauth_servers_of_each_data_centre() {
    let model = inspect(&real_spec());
    let data_centers = model["shared"]["data_centers"]
        .as_object()
        .expect("data centres");
    for (name, document) in committed() {
        assert_eq!(document["openapi"], "3.1.0", "{name}");
        let marker = document["x-generated"].as_str().unwrap_or_default();
        assert!(marker.starts_with("@generated by zoho-codegen"), "{name}");
        let schemes = document["components"]["securitySchemes"]
            .as_object()
            .expect("security schemes");
        assert!(!schemes.is_empty(), "{name}");
        for (scheme_name, scheme) in schemes {
            let dc = scheme_name.strip_prefix("zoho_").expect("zoho_<dc>");
            let accounts = data_centers[dc]["accounts"].as_str().expect("accounts");
            let flow = &scheme["flows"]["authorizationCode"];
            assert_eq!(
                flow["authorizationUrl"],
                format!("{accounts}/oauth/v2/auth")
            );
            assert_eq!(flow["tokenUrl"], format!("{accounts}/oauth/v2/token"));
            // Every scope an operation requires is listed in the flow, with what it grants.
            for path in document["paths"].as_object().expect("paths").values() {
                for operation in path.as_object().expect("methods").values() {
                    for requirement in operation["security"].as_array().expect("security") {
                        for scope in requirement[scheme_name].as_array().into_iter().flatten() {
                            let scope = scope.as_str().expect("a scope");
                            assert!(
                                flow["scopes"][scope].is_string(),
                                "{name}: {scope} is not in {scheme_name}'s scopes"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn check_fails_on_an_edited_document_and_generate_removes_one_no_longer_produced() {
    let out = tempfile::tempdir().expect("temp dir");
    let spec = real_spec();
    let generate = run(&["generate", "--spec", arg(&spec), "--out", arg(out.path())]);
    assert_eq!(generate.code, 0, "{}", generate.stderr);
    let check = run(&["check", "--spec", arg(&spec), "--out", arg(out.path())]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let document = out.path().join("openapi/crm-v8.json");
    let edited = fs::read_to_string(&document)
        .expect("written")
        .replace("\"3.1.0\"", "\"3.0.3\"");
    fs::write(&document, edited).expect("edit");
    // A document of a product version the spec no longer has: it carries the marker, so it is
    // the generator's to remove.
    let stray = out.path().join("openapi/crm-v1.json");
    fs::write(
        &stray,
        "{\n  \"openapi\": \"3.1.0\",\n  \"x-generated\": \"@generated by zoho-codegen from spec/crm-v1.yaml\"\n}\n",
    )
    .expect("write a stray document");
    let check = run(&["check", "--spec", arg(&spec), "--out", arg(out.path())]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("openapi/crm-v8.json: differs"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("openapi/crm-v1.json: generated earlier"),
        "{}",
        check.stderr
    );

    let again = run(&["generate", "--spec", arg(&spec), "--out", arg(out.path())]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains(": 1 written,"), "{}", again.stdout);
    assert!(again.stdout.contains(", 1 removed"), "{}", again.stdout);
    assert!(!stray.exists());
    let check = run(&["check", "--spec", arg(&spec), "--out", arg(out.path())]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn the_openapi_command_refuses_the_spec_folder_and_reports_a_broken_spec() {
    let spec = real_spec();
    let inside = spec.join("openapi");
    let refused = run(&["openapi", "--spec", arg(&spec), "--out", arg(&inside)]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("inside the spec folder"),
        "{}",
        refused.stderr
    );
    assert!(!inside.exists());

    let broken = tempfile::tempdir().expect("temp dir");
    let out = tempfile::tempdir().expect("temp dir");
    let failed = run(&[
        "openapi",
        "--spec",
        arg(broken.path()),
        "--out",
        arg(out.path()),
    ]);
    assert_eq!(failed.code, 1);
    assert!(
        failed.stderr.contains("nothing was written"),
        "{}",
        failed.stderr
    );
    assert_eq!(fs::read_dir(out.path()).expect("read").count(), 0);
}
