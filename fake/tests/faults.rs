//! Every fault kind, as a plain HTTP client observes it. No assertion depends on timing:
//! slow answers are faults far longer than the time the test waits.

mod common;

use std::time::Duration;

use common::{assert_error, request, send};
use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use zoho_attachments::crm::v8;
use zoho_fake::{FAULT_HEADER, FakeZoho, Fault, Parent};
use zoho_runtime::{RefreshToken, RetryPolicy};

const LIST: &str = "/crm/v8/Leads/1/Attachments?fields=id";

/// Long enough that no test ever waits for it to end.
const FOREVER: Duration = Duration::from_secs(600);
/// How long a test waits to see that nothing arrives.
const A_MOMENT: Duration = Duration::from_millis(300);

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let zoho = FakeZoho::start().await;
    let response = request(&zoho, Method::GET, LIST)
        .header(FAULT_HEADER, "429=3s")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[RETRY_AFTER], "3");
    let answer = common::status_json(response).await;
    assert_error(&answer, 429, "TOO_MANY_REQUESTS");
    // The header affects that request only.
    assert_eq!(send(request(&zoho, Method::GET, LIST)).await.0, 204);
}

#[tokio::test]
async fn a_burst_of_server_errors_then_recovery() {
    let zoho = FakeZoho::start().await;
    zoho.inject(Fault::ServerError(503), 2, None);
    zoho.inject(Fault::ServerError(500), 1, None);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let answer = send(request(&zoho, Method::GET, LIST)).await;
        if answer.0 >= 500 {
            assert_error(&answer, answer.0, "INTERNAL_ERROR");
        }
        statuses.push(answer.0);
    }
    assert_eq!(statuses, [503, 503, 500, 204]);
    let logged: Vec<u16> = zoho.requests().iter().map(|r| r.status).collect();
    assert_eq!(logged, statuses);
}

#[tokio::test]
async fn injected_faults_can_target_one_operation() {
    let zoho = FakeZoho::start().await;
    zoho.inject(Fault::rate_limit(), 1, Some("download_attachment"));
    assert_eq!(
        send(request(&zoho, Method::GET, LIST)).await.0,
        204,
        "not a download"
    );
    let id = zoho.add_file(&Parent::crm("Leads", "1"), "a.txt", "a");
    let path = format!("/crm/v8/Leads/1/Attachments/{id}");
    assert_eq!(
        request(&zoho, Method::GET, &path)
            .send()
            .await
            .unwrap()
            .status(),
        429
    );
    assert_eq!(
        request(&zoho, Method::GET, &path)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn server_wide_faults_apply_to_every_api_request_but_not_to_the_token_endpoint() {
    let zoho = FakeZoho::builder()
        .fault(Fault::HtmlErrorPage)
        .start()
        .await;
    for _ in 0..2 {
        let response = request(&zoho, Method::GET, LIST).send().await.unwrap();
        assert_eq!(response.status(), 502);
        assert_eq!(response.headers()[CONTENT_TYPE], "text/html");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<h1>502 Bad Gateway</h1>")
        );
    }
    let credentials = zoho.refresh_credentials();
    let refresh = common::http().post(format!(
        "{}?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
        zoho.token_url(),
        credentials.client_id,
        credentials.client_secret,
        credentials.refresh_token
    ));
    assert!(send(refresh).await.1["access_token"].is_string());
}

#[tokio::test]
async fn the_token_endpoint_can_fail_on_purpose() {
    let zoho = FakeZoho::start().await;
    zoho.inject(Fault::ServerError(500), 1, Some("oauth_token"));
    let post = || {
        common::http()
            .post(zoho.token_url())
            .body("grant_type=refresh_token")
    };
    assert_eq!(post().send().await.unwrap().status(), 500);
    assert_eq!(post().send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn an_expired_token_fault_answers_invalid_token_once() {
    let zoho = FakeZoho::start().await;
    zoho.inject(Fault::ExpiredToken, 1, None);
    let answer = send(request(&zoho, Method::GET, LIST)).await;
    assert_error(&answer, 401, "INVALID_TOKEN");
    assert_eq!(
        send(request(&zoho, Method::GET, LIST)).await.0,
        204,
        "same token works again"
    );
}

#[tokio::test]
async fn a_delay_holds_back_the_status_line() {
    let zoho = FakeZoho::start().await;
    let slow = request(&zoho, Method::GET, LIST)
        .header(FAULT_HEADER, format!("delay={}s", FOREVER.as_secs()))
        .send();
    assert!(
        tokio::time::timeout(A_MOMENT, slow).await.is_err(),
        "no answer yet"
    );
    // A short delay still answers normally.
    let answer = request(&zoho, Method::GET, LIST)
        .header(FAULT_HEADER, "delay=10ms")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 204);
}

#[tokio::test]
async fn a_stalled_body_sends_headers_and_some_bytes_then_nothing() {
    let zoho = FakeZoho::start().await;
    let content = common::sample_bytes(1000);
    let id = zoho.add_file(&Parent::crm("Leads", "1"), "data.bin", content.clone());
    let mut response = request(
        &zoho,
        Method::GET,
        &format!("/crm/v8/Leads/1/Attachments/{id}"),
    )
    .header(FAULT_HEADER, format!("stall={}s@100", FOREVER.as_secs()))
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_LENGTH], "1000");
    let mut received = Vec::new();
    while received.len() < 100 {
        received.extend_from_slice(&response.chunk().await.unwrap().expect("the first bytes"));
    }
    assert_eq!(received, content[..100]);
    assert!(
        tokio::time::timeout(A_MOMENT, response.chunk())
            .await
            .is_err(),
        "the rest of the body stalls"
    );
}

#[tokio::test]
async fn a_dropped_connection_cuts_the_body_short_of_its_length() {
    let zoho = FakeZoho::start().await;
    let id = zoho.add_file(
        &Parent::crm("Leads", "1"),
        "data.bin",
        common::sample_bytes(1000),
    );
    let mut response = request(
        &zoho,
        Method::GET,
        &format!("/crm/v8/Leads/1/Attachments/{id}"),
    )
    .header(FAULT_HEADER, "drop=300")
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_LENGTH], "1000");
    let mut received = 0;
    let failure = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("the body ended normally after {received} bytes"),
            Err(err) => break err,
        }
    };
    assert_eq!(received, 300);
    assert!(!failure.is_timeout(), "{failure:?}");
}

fn client(zoho: &FakeZoho, retries: RetryPolicy) -> zoho_attachments::Client {
    zoho_attachments::Client::builder()
        .base_url(zoho.base_url())
        .access_token(zoho.token())
        .retry_policy(retries)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_generated_client_sees_faults_as_errors() {
    let zoho = FakeZoho::start().await;
    let crm = client(&zoho, RetryPolicy::none()).crm_v8();
    let list = || crm.list_attachments(v8::Module::Leads, "1", ["id"]);

    zoho.inject(Fault::rate_limit(), 1, None);
    let err = list().send().await.unwrap_err();
    assert_eq!(
        (err.code(), err.is_retryable()),
        (Some("TOO_MANY_REQUESTS"), true)
    );

    zoho.inject(Fault::HtmlErrorPage, 1, None);
    let err = list().send().await.unwrap_err();
    assert_eq!(
        (err.code(), err.http_status(), err.is_retryable()),
        (None, Some(502), true)
    );

    zoho.add_file(&Parent::crm("Leads", "1"), "a.txt", "a");
    zoho.inject(Fault::drop_connection(), 1, None);
    assert!(
        list().send().await.is_err(),
        "a cut JSON body is an error, not a page"
    );
    assert_eq!(list().send().await.unwrap().data.len(), 1);
}

#[tokio::test]
async fn the_generated_client_retries_through_a_burst() {
    let zoho = FakeZoho::start().await;
    let retries = RetryPolicy::new()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(1))
        .jitter(false);
    let crm = client(&zoho, retries).crm_v8();
    zoho.inject(Fault::ServerError(503), 2, Some("list_attachments"));
    zoho.inject(
        Fault::RateLimit {
            retry_after: Duration::ZERO,
        },
        1,
        Some("list_attachments"),
    );
    crm.list_attachments(v8::Module::Leads, "1", ["id"])
        .send()
        .await
        .unwrap();
    let statuses: Vec<u16> = zoho.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 503, 429, 204]);
}

#[tokio::test]
async fn the_generated_client_refreshes_after_an_expired_token() {
    let zoho = FakeZoho::start().await;
    let credentials = zoho.refresh_credentials();
    let tokens = RefreshToken::new(
        credentials.client_id,
        credentials.client_secret,
        credentials.refresh_token,
    )
    .accounts_url(zoho.base_url());
    let client = zoho_attachments::Client::builder()
        .base_url(zoho.base_url())
        .token_source(tokens)
        .build()
        .unwrap();
    let crm = client.crm_v8();
    crm.list_attachments(v8::Module::Leads, "1", ["id"])
        .send()
        .await
        .unwrap();
    assert_eq!(zoho.refresh_count(), 1, "the first call fetched a token");

    zoho.inject(Fault::ExpiredToken, 1, Some("list_attachments"));
    crm.list_attachments(v8::Module::Leads, "1", ["id"])
        .send()
        .await
        .unwrap();
    assert_eq!(
        zoho.refresh_count(),
        2,
        "the rejected token was refreshed once"
    );
    let operations: Vec<(Option<String>, u16)> = zoho
        .requests()
        .into_iter()
        .map(|r| (r.operation, r.status))
        .collect();
    let op = |name: &str| Some(name.to_owned());
    assert_eq!(
        operations,
        [
            (op("oauth_token"), 200),
            (op("list_attachments"), 204),
            (op("list_attachments"), 401),
            (op("oauth_token"), 200),
            (op("list_attachments"), 204),
        ]
    );
}

#[tokio::test]
async fn an_unknown_fault_header_is_refused_loudly() {
    let zoho = FakeZoho::start().await;
    let answer = send(request(&zoho, Method::GET, LIST).header(FAULT_HEADER, "teapot")).await;
    let body = assert_error(&answer, 400, "INVALID_REQUEST");
    assert!(body["message"].as_str().unwrap().contains("teapot"));
}
