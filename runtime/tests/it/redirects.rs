//! Redirects: followed only within the request's origin, at most ten in a row, never for a
//! token request, and never with a credential to another origin.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use zoho_runtime::{Client, Error, FilePart, Multipart, RedirectKind, RefreshToken, Request};

use crate::support::{LIST, Reply, TOKEN, TestServer, UPLOAD, client_for, fast_retries, serve};

const OK: &str = r#"{"data":[]}"#;

async fn list(client: &Client) -> Result<zoho_runtime::Response, Error> {
    client.send(&LIST, Request::new("/files".into())).await
}

fn redirect(error: Error) -> zoho_runtime::RedirectError {
    match error {
        Error::Redirect(redirect) => redirect,
        other => panic!("expected a refused redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused_and_nothing_goes_there() {
    let elsewhere = TestServer::start(Reply::json(200, OK)).await;
    let zoho = TestServer::start(
        Reply::json(307, "").header("location", format!("{}/steal?x=1", elsewhere.url)),
    )
    .await;

    let refused = redirect(list(&zoho.client()).await.expect_err("refused"));

    assert_eq!(refused.kind(), RedirectKind::OffOrigin);
    assert_eq!(refused.status(), Some(307));
    assert_eq!(refused.target_origin(), Some(elsewhere.url.as_str()));
    assert!(
        elsewhere.requests().is_empty(),
        "the other origin was called"
    );
    // Not retried: the server would redirect again.
    assert_eq!(zoho.requests().len(), 1);
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_credential() {
    let hops = Arc::new(AtomicUsize::new(0));
    let counter = hops.clone();
    let app = Router::new()
        .route(
            "/crm/v7/files",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/crm/v7/moved")]) }),
        )
        .route(
            "/crm/v7/moved",
            get(move |headers: HeaderMap| {
                counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    let authorised = headers
                        .get(header::AUTHORIZATION)
                        .and_then(|value| value.to_str().ok())
                        == Some(&format!("Zoho-oauthtoken {TOKEN}"));
                    if authorised {
                        (StatusCode::OK, OK).into_response()
                    } else {
                        StatusCode::UNAUTHORIZED.into_response()
                    }
                }
            }),
        );
    let url = serve(app).await;

    let response = list(&client_for(&url)).await.expect("followed");
    assert_eq!(response.status(), 200);
    assert_eq!(hops.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_redirect_loop_costs_eleven_requests_and_is_not_retried() {
    let zoho = TestServer::start(Reply::json(302, "").header("location", "/crm/v7/files")).await;

    let refused = redirect(list(&zoho.client()).await.expect_err("a loop"));

    assert_eq!(refused.kind(), RedirectKind::TooMany);
    assert_eq!(
        zoho.requests().len(),
        11,
        "one request and ten redirects, once"
    );
}

#[tokio::test]
async fn a_streamed_upload_redirected_within_the_origin_is_not_sent_twice() {
    let zoho = TestServer::start(Reply::json(307, "").header("location", "/crm/v7/again")).await;
    let form = Multipart::new().file(
        "file",
        FilePart::reader("a.txt", std::io::Cursor::new(b"hello".to_vec()), Some(5)),
    );

    let refused = redirect(
        zoho.client()
            .send(&UPLOAD, Request::new("/files".into()).multipart(form))
            .await
            .expect_err("not followed"),
    );

    assert_eq!(refused.kind(), RedirectKind::NotFollowed);
    assert_eq!(zoho.requests().len(), 1);
}

#[tokio::test]
async fn an_answer_from_another_origin_is_refused_even_if_a_custom_client_follows() {
    let elsewhere = TestServer::start(Reply::json(200, OK)).await;
    let zoho = TestServer::start(
        Reply::json(302, "").header("location", format!("{}/fake-zoho", elsewhere.url)),
    )
    .await;
    // reqwest's default policy follows ten redirects anywhere.
    let client = Client::builder()
        .base_url(&zoho.url)
        .access_token(TOKEN)
        .http_client({
            zoho_runtime::ensure_crypto_provider().expect("a TLS crypto provider");
            zoho_runtime::reqwest::Client::new()
        })
        .retry_policy(fast_retries())
        .build()
        .expect("a client");

    let refused = redirect(list(&client).await.expect_err("refused"));

    assert_eq!(refused.kind(), RedirectKind::OffOrigin);
    assert_eq!(refused.target_origin(), Some(elsewhere.url.as_str()));
    let reached = elsewhere.only_request();
    assert_eq!(
        reached.header("authorization"),
        None,
        "the token left its origin"
    );
}

#[tokio::test]
async fn a_redirected_token_request_sends_no_secret_there_and_names_the_target() {
    let stolen = Arc::new(AtomicUsize::new(0));
    let counter = stolen.clone();
    let evil = serve(Router::new().fallback(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { r#"{"access_token":"1000.evil","expires_in":3600}"# }
    }))
    .await;
    let target = evil.clone();
    let accounts = serve(Router::new().route(
        "/oauth/v2/token",
        post(move || {
            let target = target.clone();
            async move {
                (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, format!("{target}/oauth/v2/token"))],
                )
            }
        }),
    ))
    .await;
    let api = TestServer::start(Reply::json(200, OK)).await;
    let client = Client::builder()
        .base_url(&api.url)
        .token_source(
            RefreshToken::new("1000.CLIENT", "client-secret", "1000.refresh")
                .accounts_url(accounts),
        )
        .retry_policy(fast_retries())
        .build()
        .expect("a client");

    let refused = redirect(list(&client).await.expect_err("no token"));

    assert_eq!(refused.kind(), RedirectKind::TokenRequest);
    assert_eq!(refused.status(), Some(307));
    assert_eq!(refused.target_origin(), Some(evil.as_str()));
    assert_eq!(
        stolen.load(Ordering::SeqCst),
        0,
        "the secret followed the redirect"
    );
    assert!(
        api.requests().is_empty(),
        "an API call went out without a token"
    );
}
