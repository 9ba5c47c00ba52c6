//! The generated client against a hostile or overloaded Zoho (the fake with its faults): no
//! credential leaves the origin, a redirect loop is refused once, a huge answer is a typed
//! error, a failed item in a `200` is an error, and an overloaded organisation slows the
//! client down instead of failing it.

use futures::StreamExt;
use zoho_attachments::runtime::{Error, RedirectKind, RefreshToken, RetryPolicy, TransportKind};
use zoho_attachments::{Client, contracts::v1 as contracts, crm::v8};
use zoho_fake::{FakeZoho, Fault, Parent};

use crate::support::fake_client as client;

const RECORD: &str = "4876876000000376008";

fn redirect_of(error: &Error) -> &zoho_attachments::runtime::RedirectError {
    match error {
        Error::Redirect(redirect) => redirect,
        other => panic!("expected a refused redirect, got {other:?}"),
    }
}

fn list(client: &Client) -> v8::ListAttachments {
    client
        .crm_v8()
        .list_attachments(v8::Module::Leads, RECORD, ["id", "File_Name"])
}

fn request_error(error: v8::ListAttachmentsError) -> Error {
    match error {
        v8::ListAttachmentsError::Request(error) => error,
        other => panic!("expected a request error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_sends_nothing_there() {
    let elsewhere = FakeZoho::start().await;
    let zoho = FakeZoho::start().await;
    let target = format!(
        "{}/crm/v8/Leads/{RECORD}/Attachments?fields=id",
        elsewhere.base_url()
    );
    zoho.inject(Fault::redirect(target), 1, Some("list_attachments"));

    let error = request_error(list(&client(&zoho)).send().await.expect_err("refused"));

    let redirect = redirect_of(&error);
    assert_eq!(redirect.kind(), RedirectKind::OffOrigin);
    assert_eq!(redirect.target_origin(), Some(elsewhere.base_url()));
    assert!(
        elsewhere.requests().is_empty(),
        "the other origin was called"
    );
    assert_eq!(
        zoho.requests().len(),
        1,
        "a refused redirect is not retried"
    );
}

#[tokio::test]
async fn a_redirect_loop_costs_at_most_eleven_requests() {
    let zoho = FakeZoho::builder().fault(Fault::RedirectLoop).start().await;

    let error = request_error(list(&client(&zoho)).send().await.expect_err("a loop"));

    assert_eq!(redirect_of(&error).kind(), RedirectKind::TooMany);
    assert_eq!(zoho.requests().len(), 11);
}

#[tokio::test]
async fn a_redirected_token_request_leaks_no_secret() {
    let evil = FakeZoho::start().await;
    let zoho = FakeZoho::start().await;
    zoho.inject(
        Fault::redirect(format!("{}/oauth/v2/token", evil.base_url())),
        1,
        Some("oauth_token"),
    );
    let credentials = zoho.refresh_credentials();
    let client = Client::builder()
        .base_url(zoho.base_url())
        .token_source(
            RefreshToken::new(
                credentials.client_id,
                credentials.client_secret,
                credentials.refresh_token,
            )
            .accounts_url(zoho.base_url()),
        )
        .build()
        .expect("a client");

    let error = request_error(list(&client).send().await.expect_err("no token"));

    let redirect = redirect_of(&error);
    assert_eq!(redirect.kind(), RedirectKind::TokenRequest);
    assert_eq!(redirect.target_origin(), Some(evil.base_url()));
    assert!(
        evil.requests().is_empty(),
        "the secret followed the redirect"
    );
    let api_calls = zoho
        .requests()
        .into_iter()
        .filter(|request| request.operation.as_deref() != Some("oauth_token"))
        .count();
    assert_eq!(api_calls, 0, "an API call went out without a token");
}

#[tokio::test]
async fn a_200_mb_list_answer_is_a_typed_error() {
    let zoho = FakeZoho::builder()
        .fault(Fault::HugeBody {
            bytes: 200 * 1024 * 1024,
        })
        .start()
        .await;

    let error = request_error(list(&client(&zoho)).send().await.expect_err("too large"));

    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 8 * 1024 * 1024),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failed_upload_item_is_the_documented_error_and_nothing_is_stored() {
    let zoho = FakeZoho::builder().fault(Fault::item_error()).start().await;

    let error = client(&zoho)
        .crm_v8()
        .upload_attachment(
            v8::Module::Leads,
            RECORD,
            v8::Upload::bytes("a.txt", "hello"),
        )
        .send()
        .await
        .expect_err("the item failed");

    match &error {
        v8::UploadAttachmentError::InvalidData(service) => assert_eq!(service.http_status(), 200),
        other => panic!("expected InvalidData, got {other:?}"),
    }
    assert!(zoho.attachments(&Parent::crm("Leads", RECORD)).is_empty());
}

#[tokio::test]
async fn a_failed_photo_outcome_at_the_top_level_is_an_error() {
    let zoho = FakeZoho::start().await;
    zoho.inject(Fault::item_error(), 1, Some("delete_photo"));

    let error = client(&zoho)
        .crm_v8()
        .delete_photo(v8::PhotoModule::Leads, RECORD)
        .send()
        .await
        .expect_err("the item failed");

    assert_eq!(error.code(), Some("INVALID_DATA"));
}

#[tokio::test]
async fn a_contract_deletion_not_answered_success_is_an_error() {
    let zoho = FakeZoho::start().await;
    let parent = Parent::contract("msa-with-zenith-dynamics");
    let id = zoho.add_file(&parent, "a.pdf", "%PDF-1.7");
    zoho.inject(
        Fault::ItemError {
            code: "NO_PERMISSION".to_owned(),
        },
        1,
        Some("delete_attachment"),
    );

    let error = client(&zoho)
        .contracts_v1()
        .delete_attachment("msa-with-zenith-dynamics", &id)
        .send()
        .await
        .expect_err("the deletion failed");

    assert!(
        matches!(error, contracts::DeleteAttachmentError::NoPermission(_)),
        "{error:?}"
    );
    assert_eq!(zoho.attachments(&parent).len(), 1, "nothing was deleted");
}

#[tokio::test]
async fn a_bulk_deletion_answered_all_failed_reports_every_id() {
    let zoho = FakeZoho::start().await;
    zoho.inject(Fault::item_error(), 1, Some("delete_attachments"));

    let outcomes = client(&zoho)
        .crm_v8()
        .delete_attachments(v8::Module::Leads, RECORD, ["1", "2"])
        .send()
        .await
        .expect("the call itself succeeds");

    let failed: Vec<&str> = outcomes.failed().map(|(id, _)| id).collect();
    assert_eq!(failed, ["1", "2"]);
}

#[tokio::test]
async fn an_organisation_over_its_concurrency_limit_slows_the_client_down() {
    // Each call takes a while, so calls overlap as they do against the real Zoho.
    let zoho = FakeZoho::builder()
        .concurrency_limit(2)
        .fault(Fault::Delay(std::time::Duration::from_millis(30)))
        .start()
        .await;
    let parent = Parent::crm("Leads", RECORD);
    let ids: Vec<String> = (0..24)
        .map(|n| zoho.add_file(&parent, &format!("{n}.txt"), vec![b'x'; 64 * 1024]))
        .collect();
    let client = Client::builder()
        .base_url(zoho.base_url())
        .access_token(zoho.token())
        .max_concurrency(8)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(10)
                .initial_backoff(std::time::Duration::from_millis(10))
                .max_backoff(std::time::Duration::from_millis(200)),
        )
        .build()
        .expect("a client");

    let results: Vec<_> = futures::stream::iter(ids.iter())
        .map(|id| {
            let client = client.clone();
            async move {
                let download = client
                    .crm_v8()
                    .download_attachment(v8::Module::Leads, RECORD, id)
                    .send()
                    .await?
                    .expect("stored");
                Ok::<_, v8::DownloadAttachmentError>(download.bytes().await?.len())
            }
        })
        .buffer_unordered(24)
        .collect()
        .await;

    assert!(
        results.iter().all(|result| matches!(result, Ok(65536))),
        "{results:?}"
    );
    let refused = zoho
        .requests()
        .iter()
        .filter(|request| request.status == 429)
        .count();
    assert!(
        refused > 0,
        "the fake never refused: the test proves nothing"
    );
    assert!(
        refused < 24,
        "{refused} refusals for 24 downloads: the client did not back off"
    );
    assert!(
        client
            .concurrency()
            .is_some_and(|now| (1..=8).contains(&now))
    );
}

#[tokio::test]
async fn unknown_hosts_and_tls_failures_are_not_retried() {
    let client = Client::builder()
        .base_url("http://zoho-e2e-test.invalid")
        .access_token("1000.token")
        .build()
        .expect("a client");
    match request_error(list(&client).send().await.expect_err("no such host")) {
        Error::Transport(transport) => {
            assert_eq!(transport.kind(), TransportKind::UnknownHost);
            assert!(!transport.is_transient());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }

    // TLS to the plain-HTTP fake: the handshake fails.
    let zoho = FakeZoho::start().await;
    let https = zoho.base_url().replacen("http://", "https://", 1);
    let client = Client::builder()
        .base_url(https)
        .access_token(zoho.token())
        .build()
        .expect("a client");
    match request_error(list(&client).send().await.expect_err("not TLS")) {
        Error::Transport(transport) => assert_eq!(transport.kind(), TransportKind::Tls),
        other => panic!("expected a transport error, got {other:?}"),
    }
}
