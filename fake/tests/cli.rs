//! The command line: `zoho_fake::cli::run` (what `main` calls) and the built binary print a
//! base URL and a token that work.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{auth, file_form, send};
use reqwest::header::AUTHORIZATION;
use tokio::io::{AsyncBufReadExt, BufReader as AsyncBufReader};
use tokio::sync::oneshot;
use zoho_fake::cli::{self, CliError};

/// The `ZOHO_...=value` lines of the output.
fn settings(lines: &[String]) -> HashMap<String, String> {
    lines
        .iter()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

async fn upload_and_list(settings: &HashMap<String, String>) {
    let base = &settings["ZOHO_BASE_URL"];
    let token = &settings["ZOHO_ACCESS_TOKEN"];
    let http = common::http();
    let upload = http
        .post(format!("{base}/crm/v8/Shipments__c/1/Attachments"))
        .header(AUTHORIZATION, auth(token))
        .multipart(file_form("file", "label.pdf", b"%PDF"));
    let (status, body) = send(upload).await;
    assert_eq!(status, 200, "{body}");
    let list = http
        .get(format!(
            "{base}/crm/v8/Shipments__c/1/Attachments?fields=File_Name"
        ))
        .header(AUTHORIZATION, auth(token));
    let (status, body) = send(list).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"][0]["File_Name"], "label.pdf");
}

#[tokio::test]
async fn run_prints_a_working_base_url_and_token_then_stops_on_shutdown() {
    let storage = tempfile::tempdir().unwrap();
    let (out, output) = tokio::io::duplex(64 * 1024);
    let (stop, stopped) = oneshot::channel::<()>();
    let args = [
        "zoho-fake".into(),
        "--port".into(),
        "0".into(),
        "--custom-module".into(),
        "Shipments__c".into(),
        "--storage".into(),
        storage.path().as_os_str().to_owned(),
        "--scoped-token".into(),
        "ZohoCRM.modules.leads.READ, ZohoCRM.modules.attachments.READ".into(),
    ];
    let server = tokio::spawn(cli::run(args, out, async {
        let _ = stopped.await;
    }));

    let mut lines = Vec::new();
    let mut reader = AsyncBufReader::new(output).lines();
    while let Some(line) = reader.next_line().await.unwrap() {
        let done = line.starts_with("# crm v8");
        lines.push(line);
        if done {
            break;
        }
    }
    let settings = settings(&lines);
    assert!(
        settings["ZOHO_BASE_URL"].starts_with("http://127.0.0.1:"),
        "{lines:?}"
    );
    assert_eq!(
        settings["ZOHO_TOKEN_URL"],
        format!("{}/oauth/v2/token", settings["ZOHO_BASE_URL"])
    );
    assert!(
        lines.iter().any(|line| line.contains("/api/v1/...")),
        "{lines:?}"
    );
    upload_and_list(&settings).await;
    let http = common::http();
    let base = &settings["ZOHO_BASE_URL"];
    let leads = format!("{base}/crm/v8/Leads/1/Attachments?fields=id");
    let contacts = format!("{base}/crm/v8/Contacts/1/Attachments?fields=id");
    let scoped = auth(&settings["ZOHO_SCOPED_TOKEN"]);
    let status = |url: String, token: String| {
        let request = http.get(url).header(AUTHORIZATION, token);
        async move { send(request).await }
    };
    assert_eq!(status(leads.clone(), scoped.clone()).await.0, 204);
    assert_eq!(
        status(contacts, scoped).await.1["code"],
        "OAUTH_SCOPE_MISMATCH"
    );
    let expired = status(leads, auth(&settings["ZOHO_EXPIRED_TOKEN"])).await;
    assert_eq!(expired.1["code"], "INVALID_TOKEN");
    // Stored in the directory given.
    assert!(
        std::fs::read_dir(storage.path().join("attachments"))
            .unwrap()
            .count()
            > 0
    );

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn bad_arguments_are_usage_errors() {
    for args in [
        vec!["zoho-fake", "--port", "http"],
        vec!["zoho-fake", "--fault", "teapot"],
    ] {
        let result = cli::run(args, tokio::io::sink(), async {}).await;
        assert!(matches!(result, Err(CliError::Usage(_))), "{result:?}");
    }
}

#[tokio::test]
async fn the_binary_serves_until_killed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zoho-fake"))
        .args(["--custom-module", "Shipments__c"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    // Reading blocks until the server printed its settings (it binds before printing).
    let lines = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map(Result::unwrap)
            .take_while(|line| !line.starts_with("# zoho-fake"))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let settings = settings(&lines);
    let result = std::panic::AssertUnwindSafe(upload_and_list(&settings));
    let outcome = futures::FutureExt::catch_unwind(result).await;
    child.kill().unwrap();
    child.wait().unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
