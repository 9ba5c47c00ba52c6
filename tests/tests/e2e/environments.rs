//! Sandbox and developer environments: requests go to the environment's documented host, and
//! a product version or data centre without one is refused instead of reaching production.

use zoho_attachments::crm::v8;
use zoho_attachments::{Client, DataCenter, Environment, bigin::v2 as bigin};
use zoho_runtime::Error;
use zoho_tests::recorder::{Method, Recorder, Reply};

use crate::support::TOKEN;

/// A client for `environment` in `center` whose HTTPS traffic goes through `proxy`: the proxy
/// sees a `CONNECT host:443` naming the host the client chose, without any real network.
fn client_through(proxy: &Recorder, center: DataCenter, environment: Environment) -> Client {
    zoho_runtime::ensure_crypto_provider().expect("a TLS crypto provider");
    let http = zoho_runtime::reqwest::Client::builder()
        .proxy(zoho_runtime::reqwest::Proxy::all(proxy.base_url()).expect("a loopback proxy URL"))
        .build()
        .expect("an HTTP client");
    Client::builder()
        .data_center(center)
        .environment(environment)
        .access_token(TOKEN)
        .http_client(http)
        .build()
        .expect("a data centre and a token make a client")
}

/// The proxy refuses every tunnel, so the client never gets further than naming its host.
async fn refusing_proxy() -> Recorder {
    Recorder::start(Reply::json(403, "{}")).await
}

#[tokio::test]
async fn a_sandbox_client_connects_to_the_sandbox_host() {
    let proxy = refusing_proxy().await;
    let client = client_through(&proxy, DataCenter::Us, Environment::Sandbox);

    client
        .crm_v8()
        .list_attachments(v8::Module::Leads, "4150868000001234567", ["id"])
        .send()
        .await
        .expect_err("the proxy refuses the tunnel");

    let requests = proxy.requests();
    assert!(!requests.is_empty(), "the client must reach the proxy");
    for sent in &requests {
        assert_eq!(sent.method, Method::CONNECT);
        assert_eq!(sent.header("host"), Some("sandbox.zohoapis.com:443"));
    }
}

#[tokio::test]
async fn production_is_the_data_centres_usual_host() {
    let proxy = refusing_proxy().await;
    let client = client_through(&proxy, DataCenter::Eu, Environment::Production);

    client
        .crm_v8()
        .list_attachments(v8::Module::Leads, "4150868000001234567", ["id"])
        .send()
        .await
        .expect_err("the proxy refuses the tunnel");

    let sent = proxy.requests();
    assert_eq!(sent[0].header("host"), Some("www.zohoapis.eu:443"));
}

#[tokio::test]
async fn an_environment_without_a_documented_host_is_refused_before_connecting() {
    let proxy = refusing_proxy().await;

    // CRM documents a sandbox host for the US only.
    let error = client_through(&proxy, DataCenter::Eu, Environment::Sandbox)
        .crm_v8()
        .list_attachments(v8::Module::Leads, "4150868000001234567", ["id"])
        .send()
        .await
        .expect_err("refused");
    let v8::ListAttachmentsError::Request(Error::InvalidInput { parameter, reason }) = error else {
        panic!("expected InvalidInput, got {error:?}");
    };
    assert_eq!(parameter, "environment");
    assert_eq!(reason, "crm v8 has no documented Sandbox host for Europe");

    // Bigin documents no developer environment at all.
    let error = client_through(&proxy, DataCenter::Us, Environment::Developer)
        .bigin_v2()
        .list_attachments(bigin::Module::Contacts, "4150868000001234567")
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            bigin::ListAttachmentsError::Request(Error::InvalidInput {
                parameter: "environment",
                ..
            })
        ),
        "{error:?}"
    );

    assert!(proxy.requests().is_empty(), "nothing may leave the client");
}
