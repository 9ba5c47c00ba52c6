//! The access token never shows up in Debug output, errors or traces.

use zoho_runtime::{AccessToken, Client, Request, StaticToken};

use crate::support::{LIST, Reply, TOKEN, TestServer, US};

#[test]
fn debug_output_never_contains_the_token() {
    let builder = Client::builder().data_center(US).access_token(TOKEN);
    let builder_text = format!("{builder:?}");
    let client = builder.build().unwrap();
    let client_text = format!("{client:?}");
    let texts = [
        builder_text,
        client_text,
        format!("{:?}", AccessToken::new(TOKEN)),
        format!("{}", AccessToken::new(TOKEN)),
        format!("{:?}", StaticToken::new(TOKEN)),
    ];
    for text in &texts {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("test-token"), "{text}");
    }
    // Still useful: says where requests go.
    assert!(texts[1].contains("us"), "{}", texts[1]);
}

#[tokio::test]
async fn errors_from_a_rejected_token_do_not_contain_it() {
    let server = TestServer::start(Reply::json(
        401,
        r#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#,
    ))
    .await;
    let err = server
        .client()
        .send(&LIST, Request::new("/files".into()))
        .await
        .expect_err("an error");
    assert!(!format!("{err:?}").contains(TOKEN));
    assert!(!err.to_string().contains(TOKEN));
}
