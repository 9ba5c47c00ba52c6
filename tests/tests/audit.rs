//! `zoho-codegen audit`: the saved pages of the five operations transcribed from whole pages
//! agree with the spec; one edit to a page is reported once, at the right line of the page and
//! the right place of the spec; HTML renderings read as the Markdown and text they render;
//! garbage is refused with its reason, never a panic.
//!
//! The seed pages live beside the repository (`../shared/seeds/`), as CI has them.

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;
use zoho_codegen::Checked;
use zoho_codegen::tools::audit::command::audit_page;
use zoho_codegen::tools::audit::{Finding, PageAudit};
use zoho_codegen::tools::page::{self, Block, BlockKind, Format};
use zoho_tests::codegen_cli::{arg, real_spec, run, workspace};

/// The seed page whose name starts with `prefix` (`000`).
fn seed(prefix: &str) -> PathBuf {
    let dir = workspace().join("../shared/seeds");
    let mut found: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(prefix))
        })
        .collect();
    assert_eq!(found.len(), 1, "one seed page starting with {prefix}");
    found.remove(0)
}

fn seeds() -> Vec<PathBuf> {
    ["000", "001", "002", "003", "004"]
        .iter()
        .map(|p| seed(p))
        .collect()
}

fn checked() -> &'static Checked {
    static SPEC: OnceLock<Checked> = OnceLock::new();
    SPEC.get_or_init(|| zoho_codegen::check(&real_spec()).expect("the real spec is valid"))
}

#[test]
fn every_seed_page_agrees_with_the_spec() {
    let pages: Vec<PathBuf> = seeds();
    let spec = real_spec();
    let mut args = vec!["audit", "--spec", arg(&spec)];
    args.extend(pages.iter().map(|path| arg(path)));
    let result = run(&args);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("5 pages agree with the spec"),
        "{}",
        result.stdout
    );
    for (page, operation) in [
        ("000", "crm v7 list_attachments"),
        ("001", "bigin v1 list_attachments"),
        ("002", "crm v8 upload_attachment"),
        ("003", "contracts v1 list_attachments"),
        ("004", "crm v2.1 upload_attachment"),
    ] {
        let line = result
            .stdout
            .lines()
            .find(|line| line.contains(&format!("/{page}_")))
            .unwrap_or_else(|| panic!("no line for page {page} in {}", result.stdout));
        assert!(
            line.contains(operation),
            "{page} should be {operation}: {line}"
        );
    }
}

#[test]
fn acknowledged_departures_show_with_all_and_do_not_fail() {
    let result = run(&[
        "audit",
        "--spec",
        arg(&real_spec()),
        "--all",
        arg(&seed("004")),
    ]);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    // The copy lost every error code: each row's recovered code is acknowledged.
    assert!(
        result.stdout.contains("acknowledged differs error.code")
            && result.stdout.contains("the spec has OAUTH_SCOPE_MISMATCH"),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("acknowledged in-spec-only scope.absent")
    );
    let quiet = run(&["audit", "--spec", arg(&real_spec()), arg(&seed("004"))]);
    assert!(
        !quiet.stdout.contains("acknowledged differs"),
        "{}",
        quiet.stdout
    );
}

/// Where a finding is expected in the spec: the first line holding `snippet` after the first
/// line holding `anchor`, in `file`.
struct SpecAt {
    file: &'static str,
    anchor: &'static str,
    snippet: &'static str,
}

/// One edit of a seed page and the one finding it must give.
struct Case {
    seed: &'static str,
    find: &'static str,
    replace: &'static str,
    /// `kind fact.aspect`, as the text report prints it.
    rule: &'static str,
    subject: &'static str,
    /// The edited page's line holding this (the first one).
    page_at: &'static str,
    spec_at: SpecAt,
}

const fn at(file: &'static str, anchor: &'static str, snippet: &'static str) -> SpecAt {
    SpecAt {
        file,
        anchor,
        snippet,
    }
}

const V7_LIST: &str = "  list_attachments:";
const BIGIN_LIST: &str = "  list_attachments:";
const V8_UPLOAD: &str = "  upload_attachment:";

fn cases() -> Vec<Case> {
    let case = |seed, find, replace, rule, subject, page_at, spec_at| Case {
        seed,
        find,
        replace,
        rule,
        subject,
        page_at,
        spec_at,
    };
    vec![
        // Seed 000: Markdown, CRM v7 "Get list of Attachments".
        case(
            "000",
            "- INVALID\\_URL\\_PATTERNHTTP 404",
            "- INVALID\\_URL\\_PATTERNHTTP 400",
            "differs error.status",
            "INVALID_URL_PATTERN",
            "INVALID\\_URL\\_PATTERNHTTP 400",
            at("crm-v7.yaml", V7_LIST, "status: 404"),
        ),
        case(
            "000",
            "- NO\\_PERMISSIONHTTP 403\n\n\n\nPermission denied to read attachment details\n\n**Resolution:** The user does not have permission to read attachment details. Contact your system administrator.\n\n",
            "",
            "in-spec-only error.absent",
            "NO_PERMISSION",
            "#### Possible Errors",
            at("crm-v7.yaml", V7_LIST, "code: NO_PERMISSION"),
        ),
        case(
            "000",
            "- INTERNAL\\_ERRORHTTP 500",
            "- TOO\\_MANY\\_REQUESTSHTTP 429\n\nToo many requests\n\n**Resolution:** Wait a minute.\n\n- INTERNAL\\_ERRORHTTP 500",
            "on-page-only error.absent",
            "TOO_MANY_REQUESTS",
            "TOO\\_MANY\\_REQUESTSHTTP 429",
            at("crm-v7.yaml", V7_LIST, "- code: INVALID_MODULE"),
        ),
        case(
            "000",
            "Calls, Solutions, Products",
            "Calls, Products",
            "in-spec-only module.absent",
            "Solutions",
            "#### Supported modules",
            at("crm-v7.yaml", "modules:", "Solutions:"),
        ),
        case(
            "000",
            "services and notes",
            "services, notes and documents",
            "on-page-only module-name.absent",
            "documents",
            "services, notes and documents",
            at("crm-v7.yaml", "modules:", "Leads:"),
        ),
        case(
            "000",
            "- fieldsstring, mandatory",
            "- fieldsstring, optional",
            "differs parameter.required",
            "fields",
            "fieldsstring, optional",
            at("crm-v7.yaml", V7_LIST, "in: query"),
        ),
        case(
            "000",
            "scope=ZohoCRM.modules.attachments.{operation\\_type}",
            "scope=ZohoCRM.modules.notes.{operation\\_type}",
            "differs scope.text",
            "",
            "scope=ZohoCRM.modules.ALL",
            at("crm-v7.yaml", V7_LIST, "- any_of: [ZohoCRM.modules.ALL"),
        ),
        case(
            "000",
            "READ - Get attachment data\n",
            "",
            "in-spec-only operation-type.absent",
            "READ",
            "#### Possible operation types",
            at("crm-v7.yaml", V7_LIST, "name: READ"),
        ),
        case(
            "000",
            "ALL - Full access to attachments",
            "ALL - Full access to every attachment",
            "differs operation-type.text",
            "ALL",
            "ALL - Full access to every attachment",
            at("crm-v7.yaml", V7_LIST, "doc: Full access to attachments"),
        ),
        case(
            "000",
            "Internal Server Error\n",
            "Internal server failure\n",
            "differs error.text",
            "INTERNAL_ERROR",
            "- INTERNAL\\_ERRORHTTP 500",
            at("crm-v7.yaml", V7_LIST, "message: Internal Server Error"),
        ),
        case(
            "000",
            "- Sizeinteger",
            "- Sizestring",
            "differs key.type",
            "Size",
            "- Sizestring",
            at("crm-v7.yaml", "      Size:", "type: integer"),
        ),
        case(
            "000",
            "- $file\\_idstring\n\n\n\nRepresents the unique file ID of the file in the ZFS.\n\n",
            "",
            "in-spec-only key.absent",
            "$file_id",
            "#### Response JSON Keys",
            at("crm-v7.yaml", "  Attachment:", "$file_id:"),
        ),
        case(
            "000",
            "Represents the size of the attachment.",
            "Represents the size of the attachment in bytes.",
            "differs key.text",
            "Size",
            "- Sizeinteger",
            at("crm-v7.yaml", "      Size:", "doc: Represents the size"),
        ),
        case(
            "000",
            "\"File_Name\": \"Image.jpg\"",
            "\"File_Name\": \"photo.jpg\"",
            "differs sample-response.text",
            "",
            "Copied{",
            at("crm-v7.yaml", "    sample_response: |", "{"),
        ),
        case(
            "000",
            "Copiedcurl \"https://www.zohoapis.com/crm/v7/Leads/4876876000000376008/Attachments?fields=id,Owner",
            "Copiedcurl \"https://www.zohoapis.com/crm/v7/Leads/4876876000000376008/Attachments?fields=id,Size",
            "differs sample-request.text",
            "",
            "Copiedcurl",
            at("crm-v7.yaml", "    sample_request: |", "curl"),
        ),
        case(
            "000",
            "To get the list of attachments.",
            "To get the list of notes.",
            "differs purpose.text",
            "",
            "To get the list of notes.",
            at("crm-v7.yaml", V7_LIST, "summary:"),
        ),
        case(
            "000",
            "[GET /{module\\_api\\_name}/{record\\_id}/Attachments]",
            "[GET /{module\\_api\\_name}/{record\\_id}/Files]",
            "differs endpoint.path",
            "",
            "[GET /",
            at("crm-v7.yaml", V7_LIST, "path: /{module_api_name}"),
        ),
        // Seed 001: plain text, Bigin v1 "Get list of Attachments".
        case(
            "001",
            "NO_PERMISSIONHTTP 403",
            "NO_PERMISSIONHTTP 401",
            "differs error.status",
            "NO_PERMISSION",
            "NO_PERMISSIONHTTP 401",
            at("bigin-v1.yaml", BIGIN_LIST, "status: 403"),
        ),
        case(
            "001",
            "Unexpected and unhandled exception in Server. Contact support team.",
            "Unexpected and unhandled exception in Server. Contact the support team.",
            "differs error.text",
            "INTERNAL_ERROR",
            "INTERNAL_ERRORHTTP 500",
            at("bigin-v1.yaml", BIGIN_LIST, "resolution: Unexpected"),
        ),
        case(
            "001",
            "Companies, Contacts,",
            "Companies, Leads, Contacts,",
            "on-page-only module.absent",
            "Leads",
            "Companies, Leads",
            at("bigin-v1.yaml", "modules:", "Companies:"),
        ),
        case(
            "001",
            "\"Size\": \"362207\"",
            "\"Size\": 362207",
            "differs sample-response.text",
            "",
            "Copied{",
            at("bigin-v1.yaml", "    sample_response: |", "{"),
        ),
        case(
            "001",
            "  • idstring",
            "  • Tagstring\n\n    Represents the tags of the attachment.\n\n  • idstring",
            "on-page-only key.absent",
            "Tag",
            "Tagstring",
            at(
                "bigin-v1.yaml",
                "  AttachmentList:",
                "doc: One page of a record's attachments",
            ),
        ),
        // Seed 002: plain text, CRM v8 "Upload an Attachment".
        case(
            "002",
            "filefile, mandatory",
            "filefile, optional",
            "differs parameter.required",
            "file",
            "filefile, optional",
            at("crm-v8.yaml", V8_UPLOAD, "type: file"),
        ),
        case(
            "002",
            "titlestring, optional",
            "titleinteger, optional",
            "differs parameter.type",
            "title",
            "titleinteger",
            at("crm-v8.yaml", "              title:", "type: string"),
        ),
        case(
            "002",
            "  • INVALID_DATAHTTP 400\n\n    Both attachment content and attachment link provided. Only one should be given at a time.\n    Resolution: Add either the file or the link as the input.\n\n",
            "",
            "in-spec-only error.absent",
            "INVALID_DATA",
            "Possible Errors",
            at("crm-v8.yaml", V8_UPLOAD, "code: INVALID_DATA"),
        ),
        case(
            "002",
            "You have added more than one file or link in the input.",
            "You have added two files.",
            "differs error.text",
            "INVALID_REQUEST",
            "You have added two files.",
            at(
                "crm-v8.yaml",
                V8_UPLOAD,
                "message: You have added more than one",
            ),
        ),
        case(
            "002",
            "CREATE - Create attachment data",
            "CREATE - Create attachment data\nDELETE - Delete attachment data",
            "on-page-only operation-type.absent",
            "DELETE",
            "DELETE - Delete",
            at("crm-v8.yaml", V8_UPLOAD, "- { name: ALL"),
        ),
        // Seed 003: plain text, Contracts v1 "Get All Attachments".
        case(
            "003",
            "    1Active",
            "    1Enabled",
            "differs value.text",
            "status 1",
            "1Enabled",
            at("contracts-v1.yaml", "  AttachmentStatus:", "doc: Active"),
        ),
        case(
            "003",
            "contracts.contracts.READ, contracts.contracts.ALL",
            "contracts.contracts.READ",
            "differs scope.text",
            "",
            "contracts.contracts.READ",
            at(
                "contracts-v1.yaml",
                "  list_attachments:",
                "- any_of: [contracts.contracts.READ",
            ),
        ),
        case(
            "003",
            "INTERNAL_ERRORHTTP 500",
            "INTERNAL_ERRORHTTP 503",
            "differs error.status",
            "INTERNAL_ERROR",
            "INTERNAL_ERRORHTTP 503",
            at("contracts-v1.yaml", "  list_attachments:", "status: 500"),
        ),
        case(
            "003",
            "sequenceNumberinteger",
            "sequenceNumberstring",
            "differs key.type",
            "sequenceNumber",
            "sequenceNumberstring",
            at(
                "contracts-v1.yaml",
                "  ContractAttachment:",
                "sequenceNumber: { type: integer",
            ),
        ),
        // Seed 004: the damaged plain-text copy of CRM v2.1 "Upload an Attachment".
        case(
            "004",
            "titlestring, optional",
            "titlestring, mandatory",
            "differs parameter.required",
            "title",
            "titlestring, mandatory",
            at("crm-v2.1.yaml", "              title:", "type: string"),
        ),
        case(
            "004",
            "Invoices, Custom, and Notes",
            "Invoices, and Notes",
            "in-spec-only module.absent",
            "Custom",
            "Supported modules",
            at("crm-v2.1.yaml", "modules:", "Custom:"),
        ),
        // A page that disagrees with itself still finds its operation, by its sample request.
        case(
            "002",
            "  • POST /{module_api_name}",
            "  • PUT /{module_api_name}",
            "differs endpoint.path",
            "",
            "PUT /{module_api_name}",
            at("crm-v8.yaml", V8_UPLOAD, "method: POST"),
        ),
        case(
            "001",
            "https://www.zohoapis.com/bigin/v1/{module_api_name}",
            "https://www.zohoapis.com/bigin/v2/{module_api_name}",
            "differs request-url.path",
            "",
            "bigin/v2/{module_api_name}",
            at("bigin-v1.yaml", "server:", "prefix: /bigin/v1"),
        ),
        // Once the page no longer shows an acknowledged departure, the mark is stale.
        case(
            "001",
            "products and\u{a0}notes",
            "products",
            "in-spec-only acknowledged.absent",
            "module-name notes",
            "Get list of Attachments",
            at(
                "bigin-v1.yaml",
                BIGIN_LIST,
                "acknowledged: [module-name notes]",
            ),
        ),
        // An acknowledged code and status do not hide a changed message.
        case(
            "004",
            "    Permission denied to upload attachment",
            "    Permission denied",
            "differs error.text",
            "NO_PERMISSION",
            "    Permission denied",
            at(
                "crm-v2.1.yaml",
                "  upload_attachment:",
                "message: Permission denied to upload attachment",
            ),
        ),
    ]
}

/// The 1-based line of the first line holding `snippet` (after the first holding `anchor`).
fn line_of(text: &str, anchor: Option<&str>, snippet: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let start = anchor.map_or(0, |anchor| {
        lines
            .iter()
            .position(|line| line.contains(anchor))
            .unwrap_or_else(|| panic!("no line holds {anchor:?}"))
    });
    start
        + 1
        + lines[start..]
            .iter()
            .position(|line| line.contains(snippet))
            .unwrap_or_else(|| panic!("no line after {anchor:?} holds {snippet:?}"))
}

fn label(finding: &Finding) -> String {
    format!(
        "{} {}.{}",
        finding.kind,
        finding.fact.id(),
        zoho_codegen::tools::audit::aspect_id(finding.aspect)
    )
}

fn audit_text(text: &str, name: &str) -> PageAudit {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(name);
    fs::write(&path, text).expect("the page is written");
    audit_page(&checked().spec, &path, None)
}

#[test]
fn each_changed_page_is_reported_once_at_both_places() {
    let cases = cases();
    assert!(cases.len() >= 25);
    let mut failures = Vec::new();
    for (number, case) in cases.iter().enumerate() {
        let original = fs::read_to_string(seed(case.seed)).expect("the seed is text");
        assert!(
            original.contains(case.find),
            "case {number}: seed {} does not hold {:?}",
            case.seed,
            case.find
        );
        let edited = original.replacen(case.find, case.replace, 1);
        let audit = audit_text(&edited, &format!("{}.txt", case.seed));
        let shown: Vec<&Finding> = audit
            .operations
            .iter()
            .flat_map(|matched| &matched.findings)
            .filter(|finding| !finding.acknowledged)
            .collect();
        let summary: Vec<String> = shown
            .iter()
            .map(|f| {
                format!(
                    "{} {} @{:?} {} {}",
                    label(f),
                    f.subject,
                    f.page_line,
                    f.spec,
                    f.message
                )
            })
            .collect();
        let [finding] = shown.as_slice() else {
            failures.push(format!(
                "case {number} ({} {:?}): expected one finding {}, got {:?} {:?}",
                case.seed, case.find, case.rule, summary, audit.problem
            ));
            continue;
        };
        let spec_text =
            fs::read_to_string(real_spec().join(case.spec_at.file)).expect("the spec file");
        let spec_line = line_of(&spec_text, Some(case.spec_at.anchor), case.spec_at.snippet);
        let page_line = line_of(&edited, None, case.page_at);
        let right = label(finding) == case.rule
            && finding.subject == case.subject
            && finding.page_line == Some(page_line)
            && finding.spec.file.ends_with(case.spec_at.file)
            && finding.spec.location.map(|at| at.line) == Some(spec_line);
        if !right {
            failures.push(format!(
                "case {number} ({} {:?}): expected {} {:?} at page line {page_line} and {}:{spec_line}, got {}",
                case.seed, case.find, case.rule, case.subject, case.spec_at.file, summary[0]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_changed_page_exits_3_and_names_the_fact_in_every_format() {
    let original = fs::read_to_string(seed("001")).expect("the seed");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bigin.txt");
    fs::write(
        &path,
        original.replacen("NO_PERMISSIONHTTP 403", "NO_PERMISSIONHTTP 401", 1),
    )
    .expect("written");
    let spec = real_spec();
    let text = run(&["audit", "--spec", arg(&spec), arg(&path)]);
    assert_eq!(text.code, 3, "{}{}", text.stdout, text.stderr);
    assert!(
        text.stdout.contains("differs error.status"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("HTTP 401 on the page, 403 in the spec")
    );
    let json = run(&[
        "audit",
        "--spec",
        arg(&spec),
        "--format",
        "json",
        arg(&path),
    ]);
    assert_eq!(json.code, 3);
    let value: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(value["format"], "zoho-codegen-audit/1");
    let finding = &value["pages"][0]["operations"][0]["findings"][0];
    assert_eq!(finding["fact"], "error");
    assert_eq!(finding["aspect"], "status");
    assert!(
        finding["spec_file"]
            .as_str()
            .is_some_and(|f| f.ends_with("bigin-v1.yaml"))
    );
    let github = run(&[
        "audit",
        "--spec",
        arg(&spec),
        "--format",
        "github",
        arg(&path),
    ]);
    assert!(
        github
            .stdout
            .lines()
            .any(|line| line.starts_with("::error file=")
                && line.contains("bigin-v1.yaml,line=")
                && line.contains("title=audit differs error.status")),
        "{}",
        github.stdout
    );
    let markdown = run(&[
        "audit",
        "--spec",
        arg(&spec),
        "--format",
        "markdown",
        arg(&path),
    ]);
    assert!(
        markdown.stdout.contains("| differs | `error.status` |"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn operation_names_the_target_and_a_wrong_one_is_a_usage_error() {
    let spec = real_spec();
    // The v8 page against the v2.1 operation: the v2.1 transcription differs from it.
    let forced = run(&[
        "audit",
        "--spec",
        arg(&spec),
        "--operation",
        "crm.v2.1.upload_attachment",
        arg(&seed("002")),
    ]);
    assert_eq!(forced.code, 3, "{}{}", forced.stdout, forced.stderr);
    assert!(
        forced
            .stdout
            .contains("crm v2.1 upload_attachment, found by --operation")
    );
    let wrong = run(&[
        "audit",
        "--spec",
        arg(&spec),
        "--operation",
        "crm.v8.upload",
        arg(&seed("002")),
    ]);
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("crm.v8.upload_attachment"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn a_page_of_no_known_operation_exits_1_naming_the_nearest() {
    let original = fs::read_to_string(seed("003")).expect("the seed");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("other.txt");
    fs::write(&path, original.replace("/attachments", "/notes")).expect("written");
    let result = run(&["audit", "--spec", arg(&real_spec()), arg(&path)]);
    assert_eq!(result.code, 1, "{}{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("matches no operation"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("the nearest: contracts.v1."),
        "{}",
        result.stderr
    );
}

#[test]
fn garbage_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = real_spec();
    let mut huge = String::with_capacity(50 * 1024 * 1024);
    while huge.len() < 50 * 1024 * 1024 {
        huge.push_str("Purpose\n\nTo get the list of attachments.\n\n");
    }
    let pages: [(&str, Vec<u8>, &str); 5] = [
        ("binary.bin", vec![0x89, b'P', b'N', b'G', 0, 1, 2, 0xff], "not text"),
        ("empty.txt", b"  \n\n".to_vec(), "the page is empty"),
        ("latin1.txt", b"Purpose\n\nCaf\xe9\n".to_vec(), "not UTF-8"),
        ("huge.txt", huge.into_bytes(), "more than the 8 MiB"),
        (
            "blog.html",
            b"<!DOCTYPE html><html><head><title>Blog</title></head><body><nav><a href=\"/\">Home</a></nav><h1>My trip</h1><p>Parameters of a good holiday.</p><ul><li>sun</li></ul></body></html>".to_vec(),
            "no section of a Zoho API documentation page",
        ),
    ];
    for (name, bytes, reason) in pages {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("written");
        let result = run(&["audit", "--spec", arg(&spec), arg(&path)]);
        assert_eq!(result.code, 1, "{name}: {}{}", result.stdout, result.stderr);
        assert!(result.stderr.contains(reason), "{name}: {}", result.stderr);
    }
    let missing = run(&["audit", "--spec", arg(&spec), "no/such/page.html"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("cannot read it"),
        "{}",
        missing.stderr
    );
}

/// A page's facts as JSON, without page lines and format (and links, unless `links`): what
/// renderings of one page must agree on.
fn facts_of(bytes: &[u8], links: bool) -> Value {
    fn strip(value: &mut Value, links: bool) {
        match value {
            Value::Object(map) => {
                map.remove("line");
                map.remove("format");
                if !links {
                    map.remove("link");
                    map.remove("links");
                }
                map.values_mut().for_each(|value| strip(value, links));
            }
            Value::Array(items) => items.iter_mut().for_each(|value| strip(value, links)),
            _ => {}
        }
    }
    let facts = page::read(bytes).expect("the page reads");
    let mut value = serde_json::to_value(&facts).expect("facts are JSON");
    strip(&mut value, links);
    value
}

fn facts_without_lines(bytes: &[u8]) -> Value {
    facts_of(bytes, true)
}

fn html_of_markdown(markdown: &str) -> String {
    let mut html = String::from("<!DOCTYPE html>\n<html><head><title>Zoho</title></head><body>\n");
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES),
    );
    html.push_str("</body></html>\n");
    html
}

/// A Markdown rendering of a plain-text page, from its blocks.
fn markdown_of(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block.kind {
            BlockKind::Heading => out.push_str(&format!("#### {}\n\n", block.text)),
            BlockKind::Paragraph => {
                out.push_str(&format!("{}\n\n", block.text.replace('\n', "  \n")))
            }
            BlockKind::Item => {
                let indent = "  ".repeat(block.depth);
                // Lines under the label stay lines: hard breaks (two trailing spaces).
                let lines: Vec<&str> = block.text.lines().collect();
                for (at, line) in lines.iter().enumerate() {
                    let lead = if at == 0 { "- " } else { "  " };
                    out.push_str(&format!("{indent}{lead}{line}  \n"));
                }
                out.push('\n');
            }
            BlockKind::Code => out.push_str(&format!("```\n{}\n```\n\n", block.text)),
            BlockKind::Row => out.push_str(&format!("{}\n\n", block.text.replace('\t', " "))),
        }
    }
    out
}

#[test]
fn html_renderings_give_the_same_facts() {
    let markdown = fs::read_to_string(seed("000")).expect("the seed");
    let html = html_of_markdown(&markdown);
    assert_eq!(
        page::read(html.as_bytes()).expect("reads").format,
        Format::Html
    );
    assert_eq!(
        facts_without_lines(markdown.as_bytes()),
        facts_without_lines(html.as_bytes())
    );
    let audit = audit_text(&html, "page.html");
    assert!(audit.problem.is_none(), "{:?}", audit.problem);
    assert_eq!(audit.operations[0].operation, "list_attachments");
    assert!(audit.operations[0].findings.iter().all(|f| f.acknowledged));
    for prefix in ["001", "002", "003"] {
        let text = fs::read_to_string(seed(prefix)).expect("the seed");
        let blocks = page::text::blocks(&text);
        let converted = markdown_of(&blocks);
        let html = html_of_markdown(&converted);
        assert_eq!(
            facts_without_lines(text.as_bytes()),
            facts_without_lines(html.as_bytes()),
            "seed {prefix} and its HTML rendering"
        );
    }
}

#[test]
fn a_page_in_zohos_html_structure_reads_and_agrees() {
    let fixture = workspace().join("tests/audit/upload-attachment-v8.html");
    let bytes = fs::read(&fixture).expect("the fixture");
    let facts = page::read(&bytes).expect("the fixture reads");
    assert_eq!(facts.format, Format::Html);
    let text = fs::read(seed("002")).expect("the seed");
    // The same facts as the plain-text copy, which lost the Endpoints link.
    assert_eq!(facts_of(&bytes, false), facts_of(&text, false));
    let result = run(&["audit", "--spec", arg(&real_spec()), arg(&fixture)]);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(
        result
            .stdout
            .contains("crm v8 upload_attachment, found by its source address")
    );
    // Lines point into the HTML file.
    let errors = facts.operations[0].errors.as_ref().expect("errors");
    let source = String::from_utf8(bytes).expect("UTF-8");
    let line = source
        .lines()
        .nth(errors.items[0].line - 1)
        .expect("the line");
    assert!(line.contains("INVALID_MODULE"), "{line}");
}

#[test]
fn facts_prints_what_was_read() {
    let result = run(&["audit", "--facts", arg(&seed("003"))]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let value: Value = serde_json::from_str(&result.stdout).expect("JSON");
    let keys = &value[0]["facts"]["operations"][0]["response_keys"]["items"];
    let attachment_type = keys
        .as_array()
        .and_then(|keys| keys.iter().find(|key| key["name"] == "attachmentType"))
        .expect("attachmentType is read");
    assert_eq!(attachment_type["values"][1]["value"], "2");
    assert_eq!(attachment_type["values"][1]["doc"], "Link");
}
