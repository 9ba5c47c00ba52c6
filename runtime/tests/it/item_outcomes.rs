//! A `200` answer whose item failed is an error; a call on several items gets one outcome
//! per item.

use serde::Deserialize;
use zoho_runtime::{
    Client, Error, ItemStatus, Method, OperationInfo, OperationKind, Request, Server,
};

use crate::support::{Reply, TestServer};

static CRM: Server = Server {
    prefix: "/crm/v8",
    origins: &[("us", "https://www.zohoapis.com")],
    follows_api_domain: false,
    environments: &[],
};

const IN_DATA: ItemStatus = ItemStatus {
    list: Some("data"),
    key: "status",
    success: "success",
};

static UPLOAD: OperationInfo = OperationInfo {
    product: "crm",
    version: "v8",
    name: "upload_attachment",
    method: Method::POST,
    server: &CRM,
    kind: OperationKind::UploadsFile,
    item_status: Some(IN_DATA),
};

static DELETE_SEVERAL: OperationInfo = OperationInfo {
    product: "crm",
    version: "v8",
    name: "delete_attachments",
    method: Method::DELETE,
    server: &CRM,
    kind: OperationKind::Call,
    item_status: Some(IN_DATA),
};

static DELETE_CONTRACT_ATTACHMENT: OperationInfo = OperationInfo {
    product: "contracts",
    version: "v1",
    name: "delete_attachment",
    method: Method::DELETE,
    server: &CRM,
    kind: OperationKind::Call,
    item_status: Some(ItemStatus {
        list: None,
        key: "Type",
        success: "Success",
    }),
};

#[derive(Debug, Deserialize)]
struct Answer {
    data: Vec<Outcome>,
}

#[derive(Debug, Deserialize)]
struct Outcome {
    code: String,
}

async fn call(server: &TestServer, op: &'static OperationInfo) -> Result<Answer, Error> {
    server
        .client()
        .send(op, Request::new("/Leads/1/Attachments".into()))
        .await?
        .json()
        .await
}

#[tokio::test]
async fn an_upload_answered_200_with_a_failed_item_is_that_items_error() {
    let server = TestServer::start(Reply::json(
        200,
        r#"{"data":[{"code":"INVALID_DATA","details":{"api_name":"file"},"message":"the file is invalid","status":"error"}]}"#,
    ))
    .await;

    let error = call(&server, &UPLOAD).await.expect_err("the item failed");

    let service = error.service().expect("a service error");
    assert_eq!(service.code(), "INVALID_DATA");
    assert_eq!(service.message(), "the file is invalid");
    assert_eq!(service.http_status(), 200);
    assert_eq!(service.details()["api_name"], "file");
    assert!(!error.is_retryable(), "a failed item is not sent again");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_successful_item_decodes_as_usual() {
    let server = TestServer::start(Reply::json(
        200,
        r#"{"data":[{"code":"SUCCESS","details":{"id":"9"},"message":"attachment uploaded successfully","status":"success"}]}"#,
    ))
    .await;
    let answer = call(&server, &UPLOAD).await.expect("succeeded");
    assert_eq!(answer.data[0].code, "SUCCESS");
}

#[tokio::test]
async fn a_top_level_outcome_other_than_success_is_an_error() {
    let server = TestServer::start(Reply::json(200, r#"{"Type":"Error","message":"no"}"#)).await;
    let error = server
        .client()
        .send(&DELETE_CONTRACT_ATTACHMENT, Request::new("/x".into()))
        .await
        .expect("a 200")
        .json::<serde_json::Value>()
        .await
        .expect_err("the item failed");
    assert_eq!(error.service().map(|service| service.code()), Some("Error"));
}

#[tokio::test]
async fn a_bulk_call_reports_each_id_some_deleted_some_not() {
    let server = TestServer::start(Reply::json(
        200,
        r#"{"data":[
            {"code":"SUCCESS","details":{"id":"11"},"message":"record deleted","status":"success"},
            {"code":"INVALID_DATA","details":{"id":"22"},"message":"the id given seems to be invalid","status":"error"}
        ]}"#,
    ))
    .await;
    let ids = ["11".to_owned(), "22".to_owned()];

    let outcomes = server
        .client()
        .send(&DELETE_SEVERAL, Request::new("/Leads/1/Attachments".into()))
        .await
        .expect("a 200")
        .outcomes::<Outcome>(&ids)
        .await
        .expect("outcomes");

    assert_eq!(outcomes.len(), 2);
    assert!(!outcomes.all_succeeded());
    let deleted: Vec<_> = outcomes.succeeded().map(|(id, _)| id).collect();
    assert_eq!(deleted, ["11"]);
    let (id, error) = outcomes.failed().next().expect("one failed");
    assert_eq!(id, "22");
    assert_eq!(
        error.service().map(|service| service.code()),
        Some("INVALID_DATA")
    );
}

#[tokio::test]
async fn outcomes_of_an_operation_without_item_status_are_refused() {
    let server = TestServer::start(Reply::json(200, r#"{"data":[]}"#)).await;
    let client: Client = server.client();
    let error = client
        .send(&crate::support::LIST, Request::new("/x".into()))
        .await
        .expect("a 200")
        .outcomes::<Outcome>(&["1".to_owned()])
        .await
        .expect_err("no item status");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
}
