//! First-time OAuth against `zoho-fake`'s accounts server: a self client's grant code and the
//! authorization-code flow to a refresh token in a token file, the first calls with it,
//! refusals (a used code, a forged state, another data centre, a declined consent, a wrong
//! secret), revocation, and the `authorize` example a new user runs.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use zoho_attachments::crm::v8;
use zoho_attachments::runtime::{
    AuthorizationCallback, AuthorizationRequest, Error, FileTokenStore, OAuthApp, TokenStore,
    reqwest,
};
use zoho_attachments::{Client, DataCenter};
use zoho_fake::{FakeZoho, Parent};

const RECORD: &str = "4876876000000376008";

fn app(zoho: &FakeZoho) -> OAuthApp {
    let credentials = zoho.refresh_credentials();
    OAuthApp::new(
        credentials.client_id,
        credentials.client_secret,
        DataCenter::Eu,
    )
    .accounts_url(zoho.accounts_url())
}

/// A client of the fake whose tokens `app` refreshes from `store`.
fn refreshing_client(zoho: &FakeZoho, app: &OAuthApp, store: impl TokenStore + 'static) -> Client {
    Client::builder()
        .base_url(zoho.base_url())
        .token_source(app.token_source(store))
        .build()
        .unwrap()
}

fn list_scopes() -> Vec<String> {
    v8::ListAttachments::minimal_scopes(&v8::Module::Leads)
}

/// How many requests the accounts server's token endpoint answered.
fn token_requests(zoho: &FakeZoho) -> usize {
    zoho.requests()
        .iter()
        .filter(|request| request.operation.as_deref() == Some("oauth_token"))
        .count()
}

fn auth_message(error: Error) -> String {
    match error {
        Error::Auth(message) => message,
        other => panic!("expected an auth error, got {other:?}"),
    }
}

/// Follows the consent page's redirect as a browser would, up to the app's redirect URI.
async fn consent(url: &str) -> String {
    zoho_attachments::runtime::ensure_crypto_provider().expect("a crypto provider");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let answer = http
        .get(url)
        .send()
        .await
        .expect("the consent page answers");
    assert_eq!(answer.status(), 302, "the consent page redirects");
    answer
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .expect("a Location header")
        .to_owned()
}

#[tokio::test]
async fn a_self_clients_grant_code_becomes_a_refresh_token_in_the_token_file_and_lists() {
    let zoho = FakeZoho::start().await;
    zoho.add_file(&Parent::crm("Leads", RECORD), "report.pdf", "%PDF-1.7");
    let app = app(&zoho);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zoho-token.json");
    let store = Arc::new(FileTokenStore::new(&path));

    let code = zoho.grant_code(&list_scopes());
    let granted = app.exchange_grant_code(&code, None).await.unwrap();
    assert!(granted.refresh_token().is_some());
    granted.save(store.as_ref()).await.unwrap();

    let client = refreshing_client(&zoho, &app, store.clone());
    let page = client
        .crm_v8()
        .list_attachments(v8::Module::Leads, RECORD, ["id", "File_Name"])
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].file_name.as_deref(), Some("report.pdf"));
    // The stored access token was used: no refresh yet.
    assert_eq!(token_requests(&zoho), 1);

    // The token's scopes are the code's: reading, not writing.
    let refused = client
        .crm_v8()
        .upload_attachment(v8::Module::Leads, RECORD, v8::Upload::bytes("a.txt", "a"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("OAUTH_SCOPE_MISMATCH"));

    // A code works once.
    let again = app.exchange_grant_code(&code, None).await.unwrap_err();
    assert!(auth_message(again).ends_with("invalid_code"));

    // The next run refreshes from the file, with the refresh token the exchange saved.
    let stored = store.load().await.unwrap().expect("a stored token");
    let refresh_token = stored.refresh_token.expect("the refresh token is kept");
    store
        .save(&zoho_attachments::runtime::StoredToken {
            expires_at: std::time::UNIX_EPOCH,
            refresh_token: Some(refresh_token.clone()),
            ..stored
        })
        .await
        .unwrap();
    let next_run = refreshing_client(&zoho, &app, FileTokenStore::new(&path));
    next_run
        .crm_v8()
        .list_attachments(v8::Module::Leads, RECORD, ["id"])
        .send()
        .await
        .unwrap();
    assert_eq!(token_requests(&zoho), 3, "exchange, refused reuse, refresh");
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(
        file.contains(refresh_token.expose()),
        "the refresh token stays in the file"
    );
}

#[tokio::test]
async fn the_authorization_code_flow_checks_the_state_and_the_data_centre_before_sending() {
    let zoho = FakeZoho::start().await;
    let app = app(&zoho);
    let request =
        AuthorizationRequest::new("http://127.0.0.1:8765/callback", list_scopes()).unwrap();
    let location = consent(app.authorization_url(&request).unwrap().as_str()).await;
    assert!(
        location.starts_with("http://127.0.0.1:8765/callback?"),
        "{location}"
    );
    let callback = AuthorizationCallback::parse(&location).unwrap();
    assert_eq!(callback.state(), Some(request.state_value()));
    assert_eq!(callback.accounts_server(), Some(zoho.accounts_url()));

    // Another request's state: refused before the code or the secret is sent.
    let other = AuthorizationRequest::new("http://127.0.0.1:8765/callback", list_scopes()).unwrap();
    let forged = app.exchange_callback(&other, &callback).await.unwrap_err();
    assert!(auth_message(forged).contains("state"));
    // A user of another data centre: the secret goes only to the app's accounts server.
    let elsewhere = AuthorizationCallback::parse(&format!(
        "/callback?code=1000.x&state={}&accounts-server=https%3A%2F%2Faccounts.zoho.com",
        request.state_value()
    ))
    .unwrap();
    let refused = app
        .exchange_callback(&request, &elsewhere)
        .await
        .unwrap_err();
    assert!(auth_message(refused).contains("https://accounts.zoho.com"));
    assert_eq!(token_requests(&zoho), 0);

    let granted = app.exchange_callback(&request, &callback).await.unwrap();
    assert!(granted.refresh_token().is_some());
    assert_eq!(granted.api_domain(), Some(zoho.base_url()));
    // The code was bound to its redirect URI.
    let location = consent(app.authorization_url(&request).unwrap().as_str()).await;
    let callback = AuthorizationCallback::parse(&location).unwrap();
    let wrong_uri = app
        .exchange_grant_code(
            callback.code().expose(),
            Some("http://127.0.0.1:9/elsewhere"),
        )
        .await
        .unwrap_err();
    assert!(auth_message(wrong_uri).ends_with("invalid_code"));
}

#[tokio::test]
async fn an_online_request_gets_no_refresh_token_and_nothing_to_save() {
    let zoho = FakeZoho::start().await;
    let app = app(&zoho);
    let request = AuthorizationRequest::new("http://127.0.0.1:8765/callback", list_scopes())
        .unwrap()
        .online();
    let location = consent(app.authorization_url(&request).unwrap().as_str()).await;
    let callback = AuthorizationCallback::parse(&location).unwrap();
    let granted = app.exchange_callback(&request, &callback).await.unwrap();
    assert!(granted.refresh_token().is_none());
    let store = zoho_attachments::runtime::MemoryTokenStore::default();
    let error = granted.save(&store).await.unwrap_err();
    assert!(auth_message(error).contains("access_type=offline"));
    assert!(store.load().await.unwrap().is_none());
}

#[tokio::test]
async fn a_declined_consent_and_a_wrong_secret_are_auth_errors() {
    let zoho = FakeZoho::start().await;
    zoho.decline_consent(true);
    let request =
        AuthorizationRequest::new("http://127.0.0.1:8765/callback", list_scopes()).unwrap();
    let location = consent(app(&zoho).authorization_url(&request).unwrap().as_str()).await;
    let declined = AuthorizationCallback::parse(&location).unwrap_err();
    assert!(auth_message(declined).ends_with("access_denied"));

    let wrong = OAuthApp::new(
        zoho.refresh_credentials().client_id,
        "not-the-secret",
        DataCenter::Eu,
    )
    .accounts_url(zoho.accounts_url());
    let code = zoho.grant_code(&list_scopes());
    let error = wrong.exchange_grant_code(&code, None).await.unwrap_err();
    let message = auth_message(error);
    assert!(message.ends_with("invalid_client"), "{message}");
    assert!(!message.contains("not-the-secret"));
}

#[tokio::test]
async fn a_revoked_refresh_token_and_its_access_tokens_stop_working() {
    let zoho = FakeZoho::start().await;
    let app = app(&zoho);
    let granted = app
        .exchange_grant_code(&zoho.grant_code(&list_scopes()), None)
        .await
        .unwrap();
    let store = Arc::new(zoho_attachments::runtime::MemoryTokenStore::default());
    granted.save(store.as_ref()).await.unwrap();
    let client = refreshing_client(&zoho, &app, store.clone());
    let list = || {
        client
            .crm_v8()
            .list_attachments(v8::Module::Leads, RECORD, ["id"])
            .send()
    };
    list().await.unwrap();

    let refresh_token = granted.refresh_token().unwrap();
    app.revoke(refresh_token).await.unwrap();
    // The access token died with it, and refreshing is refused.
    let error = list().await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("invalid_code"), "{message}");
    // Revoking an unknown token is Zoho's 400.
    let again = app.revoke(refresh_token).await.unwrap_err();
    assert_eq!(
        auth_message(again),
        "the accounts server refused to revoke the refresh token: invalid_token"
    );
}

/// The `authorize` example. `cargo test --workspace` builds it beside the test binaries, in the
/// same run and with the same features; a narrower run (`--test e2e`) builds it here when it is
/// missing, and may find one left by an earlier run.
fn example() -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test binary's path");
    let profile_dir = test_binary
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let built = profile_dir
        .join("examples")
        .join(format!("authorize{}", std::env::consts::EXE_SUFFIX));
    if !built.exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "zoho-examples",
                "--example",
                "authorize",
            ])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the authorize example builds");
    }
    assert!(
        built.exists(),
        "no authorize example at {}",
        built.display()
    );
    built
}

fn run(example: &Path, args: &[String]) -> String {
    let output = Command::new(example)
        .args(args)
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "authorize {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test]
async fn the_authorize_example_takes_a_new_user_to_a_first_list_call() {
    let example = tokio::task::spawn_blocking(example).await.unwrap();
    let zoho = FakeZoho::start().await;
    zoho.add_file(&Parent::crm("Leads", RECORD), "report.pdf", "%PDF-1.7");
    let credentials = zoho.refresh_credentials();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("zoho-token.json");
    let store = store.to_str().unwrap().to_owned();
    let list = format!("Leads/{RECORD}");
    let common = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "--client-id",
            &credentials.client_id,
            "--client-secret",
            &credentials.client_secret,
            "--data-center",
            "eu",
            "--accounts-url",
            zoho.accounts_url(),
            "--api-url",
            zoho.base_url(),
            "--store",
            &store,
        ]
        .iter()
        .map(|arg| (*arg).to_owned())
        .collect();
        args.extend(extra.iter().map(|arg| (*arg).to_owned()));
        args
    };

    // A self client's code.
    let code = zoho.grant_code(&list_scopes());
    let first = common(&["--grant-code", &code, "--list", &list]);
    let example_path = example.clone();
    let out = tokio::task::spawn_blocking(move || run(&example_path, &first))
        .await
        .unwrap();
    assert!(out.contains("saved a refresh token"), "{out}");
    assert!(out.contains("1 attachment(s) on Leads"), "{out}");
    assert!(out.contains("report.pdf"), "{out}");

    // The next run starts from the token file.
    let second = common(&["--list", &list]);
    let example_path = example.clone();
    let out = tokio::task::spawn_blocking(move || run(&example_path, &second))
        .await
        .unwrap();
    assert!(out.contains("using the refresh token"), "{out}");

    // Revoking deletes the file, and the authorization-code flow starts afresh.
    let third = common(&["--revoke"]);
    let example_path = example.clone();
    let out = tokio::task::spawn_blocking(move || run(&example_path, &third))
        .await
        .unwrap();
    assert!(out.contains("revoked"), "{out}");
    assert!(!Path::new(&store).exists());

    let mut child = Command::new(&example)
        .args(common(&["--port", "0", "--list", &list]))
        .stdout(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = tokio::task::spawn_blocking(move || {
        let url = lines
            .by_ref()
            .map(|line| line.expect("a line"))
            .find(|line| line.starts_with("http"))
            .expect("the consent page's address");
        (url, lines)
    })
    .await
    .unwrap();
    let (url, lines) = url;
    let callback = consent(&url).await;
    // The browser lands on the example's loopback listener.
    let page = reqwest::get(&callback).await.unwrap().text().await.unwrap();
    assert_eq!(page, "Done: you can close this tab.");
    let rest: Vec<String> =
        tokio::task::spawn_blocking(move || lines.map_while(Result::ok).collect())
            .await
            .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{rest:?}");
    assert!(
        rest.iter().any(|line| line.contains("1 attachment(s)")),
        "{rest:?}"
    );
    assert!(
        std::fs::read_to_string(&store)
            .unwrap()
            .contains("refresh_token")
    );
}
