//! Helpers shared by the integration tests: a plain HTTP client speaking to the fake.
#![allow(dead_code)] // Each test target uses a different subset.

use reqwest::header::AUTHORIZATION;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use zoho_fake::FakeZoho;

/// `Authorization: Zoho-oauthtoken <token>`.
pub fn auth(token: &str) -> String {
    format!("Zoho-oauthtoken {token}")
}

/// A plain HTTP client, after making sure rustls has a crypto provider (the workspace's
/// reqwest brings none of its own).
pub fn http() -> reqwest::Client {
    zoho_runtime::ensure_crypto_provider().expect("a TLS crypto provider");
    reqwest::Client::new()
}

/// A request to `path` (after the base URL) authorised with the all-scopes token.
pub fn request(zoho: &FakeZoho, method: Method, path: &str) -> RequestBuilder {
    request_on(&http(), zoho, method, path)
}

/// The same on an existing client (a new client per request costs milliseconds).
pub fn request_on(
    http: &reqwest::Client,
    zoho: &FakeZoho,
    method: Method,
    path: &str,
) -> RequestBuilder {
    http.request(method, format!("{}{path}", zoho.base_url()))
        .header(AUTHORIZATION, auth(zoho.token()))
}

/// The status and JSON body of an answer (the workspace's reqwest has no `json` feature).
pub async fn status_json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", String::from_utf8_lossy(&bytes)))
    };
    (status, value)
}

/// Sends and returns the status and JSON body.
pub async fn send(builder: RequestBuilder) -> (u16, Value) {
    status_json(builder.send().await.expect("the fake answers")).await
}

/// A multipart form with one file part, as `curl -F name=@file_name` sends it.
pub fn file_form(part: &str, file_name: &str, content: &[u8]) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        part.to_owned(),
        reqwest::multipart::Part::bytes(content.to_vec()).file_name(file_name.to_owned()),
    )
}

/// Asserts a Zoho error envelope with this status and code, and returns it.
#[track_caller]
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str) -> Value {
    let (got_status, body) = answer;
    assert_eq!(
        (*got_status, body["code"].as_str()),
        (status, Some(code)),
        "{body}"
    );
    assert_eq!(body["status"], "error", "{body}");
    assert!(body["message"].is_string(), "{body}");
    assert!(body["details"].is_object(), "{body}");
    body.clone()
}

/// Bytes that are not text and differ at every position mod 251 (a prime), so a shifted
/// or truncated copy cannot compare equal.
pub fn sample_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}
