//! The editor schema (`spec/schema/*.schema.json`): every spec file validates against it, it
//! catches the mistakes a maintainer makes while typing, and `check` notices when it is stale.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use zoho_codegen::tools::{cli, schema};
use zoho_tests::codegen_cli::{real_spec, workspace};

/// The validator for the schema a spec file's modeline names.
fn validator_for(spec_dir: &Path, file_name: &str) -> jsonschema::Validator {
    let modeline = schema::modeline(file_name);
    let relative = modeline
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("a yaml-language-server modeline");
    let text = fs::read_to_string(spec_dir.join(relative)).expect("read the checked-in schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid draft-07 schema")
}

/// A YAML file as the JSON value an editor's language server validates.
fn as_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).expect("read spec file");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    serde_json::to_value(yaml).expect("YAML with string keys is JSON")
}

/// Every schema violation of `path`, as `instance path: message` lines.
fn violations(spec_dir: &Path, path: &Path) -> Vec<String> {
    let name = path.file_name().expect("file name").to_string_lossy();
    let validator = validator_for(spec_dir, &name);
    let instance = as_json(path);
    validator
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read spec folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_spec_file_validates_against_its_schema() {
    let spec = real_spec();
    let files = yaml_files(&spec);
    assert!(files.len() >= 7, "{files:?}");
    for path in files {
        let problems = violations(&spec, &path);
        assert!(
            problems.is_empty(),
            "{}:\n{}",
            path.display(),
            problems.join("\n")
        );
    }
}

#[test]
fn every_spec_file_names_its_schema_for_editors() {
    for path in yaml_files(&real_spec()) {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = fs::read_to_string(&path).expect("read");
        assert_eq!(
            text.lines().next(),
            Some(schema::modeline(&name).as_str()),
            "{name} must start with its yaml-language-server modeline"
        );
    }
}

#[test]
fn the_fixture_specs_validate_too() {
    // The golden fixture and the broken-spec base use constructs the real spec does not.
    for dir in ["tests/fixtures/golden/spec", "tests/broken/base"] {
        for path in yaml_files(&workspace().join(dir)) {
            let problems = violations(&real_spec(), &path);
            assert!(
                problems.is_empty(),
                "{}:\n{}",
                path.display(),
                problems.join("\n")
            );
        }
    }
}

/// Validates `yaml` as a product file or as `shared.yaml`.
fn product_violations(yaml: &str) -> Vec<String> {
    let validator = validator_for(&real_spec(), "crm-v8.yaml");
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).expect("YAML");
    let instance = serde_json::to_value(value).expect("JSON");
    validator
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

/// The real CRM v8 file with one edit applied to its JSON form.
fn edited_crm_v8(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut value = as_json(&real_spec().join("crm-v8.yaml"));
    edit(&mut value);
    let yaml = serde_yaml::to_string(&value).expect("re-encode");
    product_violations(&yaml)
}

#[test]
fn the_schema_flags_what_a_maintainer_mistypes() {
    let first_operation = |value: &mut Value| -> serde_json::Map<String, Value> {
        value["operations"]
            .as_object()
            .and_then(|ops| ops.values().next())
            .and_then(Value::as_object)
            .cloned()
            .expect("an operation")
    };

    // A misspelt key (`sumary`), anywhere in the tree.
    let problems = edited_crm_v8(|value| {
        let mut op = first_operation(value);
        let summary = op.remove("summary").expect("summary");
        op.insert("sumary".to_owned(), summary);
        value["operations"]["misspelt"] = Value::Object(op);
    });
    assert!(
        problems
            .iter()
            .any(|p| p.contains("/operations/misspelt") && p.contains("sumary")),
        "{problems:?}"
    );

    // A method Zoho does not use, an operation name that is not snake_case, a bad version,
    // a source that is not https, a path without its leading slash.
    let problems = edited_crm_v8(|value| {
        let mut op = first_operation(value);
        op.insert("method".to_owned(), "FETCH".into());
        op.insert("path".to_owned(), "Leads/Attachments".into());
        value["operations"]["ListAll"] = Value::Object(op);
        value["version"] = "8".into();
        value["source"] = "http://www.zoho.com/crm".into();
    });
    for expected in [
        "/operations/ListAll/method",
        "/operations/ListAll/path",
        "/version",
        "/source",
    ] {
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("{expected}:"))),
            "no problem at {expected}: {problems:?}"
        );
    }
    assert!(
        problems
            .iter()
            .any(|p| p.contains("ListAll") && p.starts_with("/operations:")),
        "the operation name must be flagged: {problems:?}"
    );

    // A value of the wrong kind and a missing required key.
    let problems = edited_crm_v8(|value| {
        value["server"]["data_centers"] = "us".into();
        value.as_object_mut().expect("a mapping").remove("title");
    });
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("/server/data_centers:")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("\"title\" is a required property")),
        "{problems:?}"
    );
}

#[test]
fn check_fails_when_the_schema_is_stale_and_schema_repairs_it() {
    let temp = tempfile::tempdir().expect("temp dir");
    let spec = temp.path().join("spec");
    fs::create_dir_all(spec.join(schema::DIR)).expect("mkdir");
    for path in yaml_files(&real_spec()) {
        fs::copy(&path, spec.join(path.file_name().expect("name"))).expect("copy");
    }
    for name in [schema::PRODUCT, schema::SHARED] {
        fs::copy(
            real_spec().join(schema::DIR).join(name),
            spec.join(schema::DIR).join(name),
        )
        .expect("copy schema");
    }
    let stale = spec.join(schema::DIR).join(schema::PRODUCT);
    let text = fs::read_to_string(&stale).expect("read");
    fs::write(&stale, text.replace("\"method\"", "\"verb\"")).expect("edit schema");

    let generated = workspace().join("generated");
    let run = |args: &[&str]| {
        let mut out = Vec::new();
        let mut err = anstream::StripStream::new(Vec::new());
        let args = std::iter::once("zoho-codegen").chain(args.iter().copied());
        let code = cli::run(args, &mut out, &mut err);
        (code, String::from_utf8(err.into_inner()).expect("utf-8"))
    };
    let spec_text = spec.to_str().expect("utf-8 path");
    let out_text = generated.to_str().expect("utf-8 path");

    let (code, stderr) = run(&["check", "--spec", spec_text, "--out", out_text]);
    assert_eq!(code, cli::FAILURE, "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "stale: {spec_text}/schema/product.schema.json: differs from what the spec generates\n\
             error: the spec format's JSON Schema in {spec_text}/schema is out of date; run \
             `cargo run -p zoho-codegen -- schema --spec {spec_text}` and commit the result\n"
        )
    );

    let (code, stderr) = run(&["schema", "--spec", spec_text]);
    assert_eq!(code, cli::SUCCESS, "{stderr}");
    assert_eq!(
        fs::read(&stale).expect("read"),
        fs::read(real_spec().join(schema::DIR).join(schema::PRODUCT)).expect("read")
    );
    let (code, stderr) = run(&["check", "--spec", spec_text, "--out", out_text]);
    assert_eq!(code, cli::SUCCESS, "{stderr}");
}
