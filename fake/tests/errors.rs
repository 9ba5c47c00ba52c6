//! Every documented error, provoked over plain HTTP: status, code, and the page's message
//! where the spec has one.

mod common;

use common::{assert_error, auth, file_form, request, send};
use reqwest::Method;
use reqwest::header::AUTHORIZATION;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zoho_attachments::Client;
use zoho_attachments::crm::v8;
use zoho_fake::{FakeZoho, Parent};

const LIST: &str = "/crm/v8/Leads/1/Attachments?fields=id";
const UPLOAD: &str = "/crm/v8/Leads/1/Attachments";

fn unauthorised(zoho: &FakeZoho, method: Method, path: &str) -> reqwest::RequestBuilder {
    common::http().request(method, format!("{}{path}", zoho.base_url()))
}

#[tokio::test]
async fn missing_or_malformed_authorization_is_authentication_failure() {
    let zoho = FakeZoho::start().await;
    let no_header = send(unauthorised(&zoho, Method::GET, LIST)).await;
    assert_error(&no_header, 401, "AUTHENTICATION_FAILURE");
    let bearer = send(
        unauthorised(&zoho, Method::GET, LIST)
            .header(AUTHORIZATION, format!("Bearer {}", zoho.token())),
    )
    .await;
    assert_error(&bearer, 401, "AUTHENTICATION_FAILURE");
    // The upload page documents this code with its own message.
    let upload =
        send(unauthorised(&zoho, Method::POST, UPLOAD).multipart(file_form("file", "a.txt", b"a")))
            .await;
    let body = assert_error(&upload, 401, "AUTHENTICATION_FAILURE");
    assert_eq!(
        body["message"],
        "You have not authorized the API call with valid access token."
    );
}

#[tokio::test]
async fn unknown_and_expired_tokens_are_invalid_token() {
    let zoho = FakeZoho::start().await;
    for token in ["1000.unknown.token".to_owned(), zoho.expired_token()] {
        let answer =
            send(unauthorised(&zoho, Method::GET, LIST).header(AUTHORIZATION, auth(&token))).await;
        let body = assert_error(&answer, 401, "INVALID_TOKEN");
        assert_eq!(body["message"], "invalid oauth token");
    }
}

#[tokio::test]
async fn tokens_expire_after_the_configured_lifetime() {
    let zoho = FakeZoho::builder()
        .token_lifetime(std::time::Duration::ZERO)
        .start()
        .await;
    let answer = send(request(&zoho, Method::GET, LIST)).await;
    assert_error(&answer, 401, "INVALID_TOKEN");
}

#[tokio::test]
async fn scopes_follow_each_operations_rule_and_module() {
    let zoho = FakeZoho::start().await;
    // Exactly the narrowest scopes the generated crate computes from the same spec.
    let scopes = v8::ListAttachments::minimal_scopes(&v8::Module::Leads);
    assert_eq!(
        scopes,
        [
            "ZohoCRM.modules.leads.READ",
            "ZohoCRM.modules.attachments.READ"
        ]
    );
    let token = zoho.token_with_scopes(&scopes);
    let as_reader = |path: &str, method: Method| {
        unauthorised(&zoho, method, path).header(AUTHORIZATION, auth(&token))
    };
    assert_eq!(send(as_reader(LIST, Method::GET)).await.0, 204);

    // Another module, and another operation type, are not covered.
    let contacts = send(as_reader(
        "/crm/v8/Contacts/1/Attachments?fields=id",
        Method::GET,
    ))
    .await;
    let body = assert_error(&contacts, 401, "OAUTH_SCOPE_MISMATCH");
    assert_eq!(body["message"], "Unauthorized");
    let upload =
        send(as_reader(UPLOAD, Method::POST).multipart(file_form("file", "a.txt", b"a"))).await;
    assert_error(&upload, 401, "OAUTH_SCOPE_MISMATCH");

    // Both groups of the rule are needed: the module scope alone is not enough.
    let half = zoho.token_with_scopes(&["ZohoCRM.modules.ALL"]);
    let answer =
        send(unauthorised(&zoho, Method::GET, LIST).header(AUTHORIZATION, auth(&half))).await;
    assert_error(&answer, 401, "OAUTH_SCOPE_MISMATCH");

    // Photos need no attachments scope; the delete page has its own message.
    let photo = zoho.token_with_scopes(&["ZohoCRM.modules.leads.READ"]);
    let get = unauthorised(&zoho, Method::GET, "/crm/v8/Leads/1/photo")
        .header(AUTHORIZATION, auth(&photo));
    assert_eq!(get.send().await.unwrap().status(), 204);
    let delete = send(
        unauthorised(&zoho, Method::DELETE, "/crm/v8/Leads/1/photo")
            .header(AUTHORIZATION, auth(&photo)),
    )
    .await;
    let body = assert_error(&delete, 401, "OAUTH_SCOPE_MISMATCH");
    assert_eq!(
        body["message"],
        "The access token you have used to make this API call does not have the required scope."
    );

    // Contracts scopes have no module.
    let reader = zoho.token_with_scopes(&["contracts.contracts.READ"]);
    let list = unauthorised(&zoho, Method::GET, "/api/v1/contracts/c/attachments")
        .header(AUTHORIZATION, auth(&reader));
    assert_eq!(list.send().await.unwrap().status(), 200);
    let delete = send(
        unauthorised(&zoho, Method::DELETE, "/api/v1/contracts/c/attachments/1")
            .header(AUTHORIZATION, auth(&reader)),
    )
    .await;
    assert_error(&delete, 401, "OAUTH_SCOPE_MISMATCH");
}

#[tokio::test]
async fn unknown_and_unsupported_modules_are_invalid_module() {
    let zoho = FakeZoho::builder()
        .custom_module("Shipments__c")
        .start()
        .await;
    let unknown = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Widgets/1/Attachments?fields=id",
    ))
    .await;
    let body = assert_error(&unknown, 400, "INVALID_MODULE");
    assert_eq!(body["message"], "The module name given seems to be invalid");
    assert_eq!(
        body["details"],
        json!({"related_status": "invalid", "resource_path_index": 0})
    );
    // A CRM module, but not one whose records have a photo (the PhotoModule set).
    let unsupported = send(request(&zoho, Method::GET, "/crm/v8/Deals/1/photo")).await;
    let body = assert_error(&unsupported, 400, "INVALID_MODULE");
    assert_eq!(body["message"], "The given module is not supported in API");
    // A custom module nobody registered.
    let custom = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Other__c/1/Attachments?fields=id",
    ))
    .await;
    assert_error(&custom, 400, "INVALID_MODULE");
    // A registered one, in a version whose spec has custom modules.
    let registered = request(&zoho, Method::GET, "/crm/v8/Shipments__c/1/photo")
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 204);
}

#[tokio::test]
async fn missing_required_parameters_are_named() {
    let zoho = FakeZoho::start().await;
    let list = send(request(&zoho, Method::GET, "/crm/v8/Leads/1/Attachments")).await;
    let body = assert_error(&list, 400, "REQUIRED_PARAM_MISSING");
    assert_eq!(body["message"], "One of the expected parameter is missing");
    assert_eq!(body["details"], json!({"param_name": "fields"}));
    let empty = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=",
    ))
    .await;
    assert_error(&empty, 400, "REQUIRED_PARAM_MISSING");
    let delete = send(request(
        &zoho,
        Method::DELETE,
        "/crm/v8/Leads/1/Attachments",
    ))
    .await;
    // "Delete Attachments" lists REQUIRED_PARAM_MISSING (Zoho's OpenAPI files name it for a
    // missing mandatory parameter), so the fake answers it.
    let body = assert_error(&delete, 400, "REQUIRED_PARAM_MISSING");
    assert_eq!(body["message"], "One of the expected parameter is missing");
    assert_eq!(body["details"]["param_name"], "ids");
    // A multipart part required by the alternative that was chosen.
    let title_only = reqwest::multipart::Form::new().text("title", "no link");
    let upload = send(request(&zoho, Method::POST, UPLOAD).multipart(title_only)).await;
    let body = assert_error(&upload, 400, "INVALID_REQUEST");
    assert_eq!(body["details"]["param_name"], "attachmentUrl");
    let no_module = file_form("content", "a.pdf", b"%PDF");
    let contracts =
        send(request(&zoho, Method::POST, "/api/v1/contracts/c/upload").multipart(no_module)).await;
    let body = assert_error(&contracts, 400, "REQUIRED_PARAM_MISSING");
    assert_eq!(body["details"]["param_name"], "module");
}

#[tokio::test]
async fn a_file_and_a_link_together_are_invalid_data() {
    let zoho = FakeZoho::start().await;
    let both = file_form("file", "a.txt", b"a").text("attachmentUrl", "https://www.zohocorp.com");
    let answer = send(request(&zoho, Method::POST, UPLOAD).multipart(both)).await;
    let body = assert_error(&answer, 400, "INVALID_DATA");
    assert_eq!(
        body["message"],
        "Both attachment content and attachment link provided. Only one should be given at a time."
    );
    assert!(zoho.attachments(&Parent::crm("Leads", "1")).is_empty());
}

#[tokio::test]
async fn neither_a_file_nor_a_link_is_invalid_request() {
    let zoho = FakeZoho::start().await;
    let expected = "You have not added the Multipart Form Data in the request.";
    let no_body = send(request(&zoho, Method::POST, UPLOAD)).await;
    assert_eq!(
        assert_error(&no_body, 400, "INVALID_REQUEST")["message"],
        expected
    );
    let other_part = reqwest::multipart::Form::new().text("note", "hello");
    let answer = send(request(&zoho, Method::POST, UPLOAD).multipart(other_part)).await;
    assert_eq!(
        assert_error(&answer, 400, "INVALID_REQUEST")["message"],
        expected
    );
    let two_files = file_form("file", "a.txt", b"a").part(
        "file",
        reqwest::multipart::Part::bytes(b"b".to_vec()).file_name("b.txt"),
    );
    let answer = send(request(&zoho, Method::POST, UPLOAD).multipart(two_files)).await;
    assert_eq!(
        assert_error(&answer, 400, "INVALID_REQUEST")["message"],
        "You have added more than one file or link in the input."
    );
}

#[tokio::test]
async fn wrong_method_and_unknown_paths() {
    let zoho = FakeZoho::start().await;
    let put = send(request(&zoho, Method::PUT, UPLOAD)).await;
    let body = assert_error(&put, 400, "INVALID_REQUEST_METHOD");
    assert_eq!(
        body["message"],
        "The http request method type is not a valid one"
    );
    let patch = send(request(
        &zoho,
        Method::PATCH,
        "/api/v1/contracts/c/attachments",
    ))
    .await;
    let body = assert_error(&patch, 400, "INVALID_REQUEST_METHOD");
    assert_eq!(
        body["message"],
        "The HTTP request method is not a valid one."
    );

    let unknown = send(request(&zoho, Method::GET, "/crm/v8/Leads/1/Notes")).await;
    let body = assert_error(&unknown, 404, "INVALID_URL_PATTERN");
    assert_eq!(
        body["message"],
        "Please check if the URL trying to access is a correct one"
    );
    let contracts = send(request(&zoho, Method::GET, "/api/v1/contracts/c/files")).await;
    assert_eq!(
        assert_error(&contracts, 404, "INVALID_URL_PATTERN")["message"],
        "Request URL is incorrect"
    );
    let no_product = send(request(&zoho, Method::GET, "/crm/v9/Leads/1/Attachments")).await;
    assert_error(&no_product, 404, "INVALID_URL_PATTERN");
}

#[tokio::test]
async fn a_photo_over_10_mb_is_file_size_exceeds() {
    let zoho = FakeZoho::start().await;
    let limit = 10 * 1024 * 1024;
    let answer = send(
        request(&zoho, Method::POST, "/crm/v8/Leads/1/photo").multipart(file_form(
            "file",
            "big.png",
            &vec![7; limit + 1],
        )),
    )
    .await;
    let body = assert_error(&answer, 413, "FILE_SIZE_EXCEEDS");
    assert_eq!(body["details"]["maximum_size"], limit);
    // Exactly at the limit is fine.
    let answer = send(
        request(&zoho, Method::POST, "/crm/v8/Leads/1/photo").multipart(file_form(
            "file",
            "ok.png",
            &vec![7; limit],
        )),
    )
    .await;
    assert_eq!(answer.0, 200, "{}", answer.1);
}

#[tokio::test]
async fn an_upload_body_over_100_mb_is_refused_from_its_length() {
    // Sending 100 MB to prove it would be slow; the declared length is enough, and the
    // answer comes before the body.
    let zoho = FakeZoho::start().await;
    let mut socket = tokio::net::TcpStream::connect(zoho.local_addr())
        .await
        .unwrap();
    let head = format!(
        "POST {UPLOAD} HTTP/1.1\r\nHost: {}\r\nAuthorization: Zoho-oauthtoken {}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: {}\r\n\r\n--XyZ\r\n",
        zoho.local_addr(),
        zoho.token(),
        200 * 1024 * 1024
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    // Read until the JSON body is complete (the server may keep the connection open).
    while !answer.ends_with(b"\"status\":\"error\"}") {
        let read = socket.read(&mut buffer).await.unwrap();
        assert!(
            read > 0,
            "closed early: {}",
            String::from_utf8_lossy(&answer)
        );
        answer.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8(answer).unwrap();
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(
        text.contains("\"code\":\"FILE_SIZE_MORE_THAN_ALLOWED_SIZE\""),
        "{text}"
    );
}

#[tokio::test]
async fn links_cannot_be_downloaded_and_unknown_ids_follow_the_spec() {
    let zoho = FakeZoho::start().await;
    let parent = Parent::crm("Leads", "1");
    let link = zoho.add_link(&parent, "https://www.zohocorp.com", None);
    let answer = send(request(&zoho, Method::GET, &format!("{UPLOAD}/{link}"))).await;
    assert_error(&answer, 400, "DOWNLOAD_NOT_ALLOWED");
    // The download's empty status (204) for an ID the record does not have...
    let unknown = request(&zoho, Method::GET, &format!("{UPLOAD}/5725767000000999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 204);
    assert!(unknown.bytes().await.unwrap().is_empty());
    // ...including an ID of another record.
    let elsewhere = request(
        &zoho,
        Method::GET,
        &format!("/crm/v8/Leads/2/Attachments/{link}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(elsewhere.status(), 204);
    // Deletes name the ID; Bigin v2's download has the 204 of its status-code page too, while
    // Contracts declares no empty status.
    let delete = send(request(&zoho, Method::DELETE, &format!("{UPLOAD}/404"))).await;
    let body = assert_error(&delete, 400, "INVALID_DATA");
    assert_eq!(
        body["details"],
        json!({"id": "404", "related_status": "invalid", "resource_path_index": 3})
    );
    let bigin = request(&zoho, Method::GET, "/bigin/v2/Contacts/1/Attachments/404")
        .send()
        .await
        .unwrap();
    assert_eq!(bigin.status(), 204);
    let contracts_download = send(request(
        &zoho,
        Method::GET,
        "/api/v1/contracts/c/attachments/404",
    ))
    .await;
    assert_error(&contracts_download, 400, "INVALID_DATA");
    let contracts = send(request(
        &zoho,
        Method::DELETE,
        "/api/v1/contracts/c/attachments/404",
    ))
    .await;
    assert_error(&contracts, 400, "INVALID_DATA");
}

#[tokio::test]
async fn character_limits_and_fixed_values_are_invalid_data() {
    let zoho = FakeZoho::start().await;
    let link = |url: String, title: &str| {
        reqwest::multipart::Form::new()
            .text("attachmentUrl", url)
            .text("title", title.to_owned())
    };
    let cases = [
        (
            link("https://a.example".into(), &"t".repeat(256)),
            json!({"param_name": "title", "maximum_length": 255}),
        ),
        (
            link("https://a.example".into(), ""),
            json!({"param_name": "title", "minimum_length": 1}),
        ),
        (
            link(format!("https://a.example/{}", "p".repeat(3000)), "t"),
            json!({"param_name": "attachmentUrl", "maximum_length": 3000}),
        ),
    ];
    for (form, details) in cases {
        let answer = send(request(&zoho, Method::POST, UPLOAD).multipart(form)).await;
        let body = assert_error(&answer, 400, "INVALID_DATA");
        assert_eq!(body["details"], details);
        // Not the page's message about a file and a link together.
        assert!(
            !body["message"].as_str().unwrap().starts_with("Both"),
            "{body}"
        );
    }
    // 255 characters, not bytes: a multi-byte title at the limit is accepted.
    let answer = send(
        request(&zoho, Method::POST, UPLOAD)
            .multipart(link("https://a.example".into(), &"é".repeat(255))),
    )
    .await;
    assert_eq!(answer.0, 200, "{}", answer.1);

    let wrong_module = file_form("content", "a.pdf", b"%PDF").text("module", "contract");
    let answer =
        send(request(&zoho, Method::POST, "/api/v1/contracts/c/upload").multipart(wrong_module))
            .await;
    let body = assert_error(&answer, 400, "INVALID_DATA");
    assert_eq!(
        body["details"],
        json!({"param_name": "module", "expected_value": "attachment"})
    );
}

#[tokio::test]
async fn integers_out_of_range_are_invalid_data() {
    let zoho = FakeZoho::start().await;
    let answer = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id&per_page=201",
    ))
    .await;
    let body = assert_error(&answer, 400, "INVALID_DATA");
    assert_eq!(
        body["details"],
        json!({"param_name": "per_page", "maximum": 200})
    );
    let answer = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id&page=two",
    ))
    .await;
    let body = assert_error(&answer, 400, "INVALID_DATA");
    assert_eq!(body["details"]["expected_data_type"], "integer");
    let at_limit = request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id&per_page=200",
    );
    assert_eq!(at_limit.send().await.unwrap().status(), 204);
}

#[tokio::test]
async fn the_generated_client_sees_documented_errors_as_variants() {
    let zoho = FakeZoho::start().await;
    let reader = zoho.token_with_scopes(&[
        "ZohoCRM.modules.leads.READ",
        "ZohoCRM.modules.attachments.READ",
    ]);
    let client = Client::builder()
        .base_url(zoho.base_url())
        .access_token(reader)
        .build()
        .unwrap();
    match client
        .crm_v8()
        .list_attachments(v8::Module::Contacts, "1", ["id"])
        .send()
        .await
    {
        Err(v8::ListAttachmentsError::OauthScopeMismatch(err)) => {
            assert_eq!((err.http_status(), err.message()), (401, "Unauthorized"));
        }
        other => panic!("expected OauthScopeMismatch, got {other:?}"),
    }
    match client
        .crm_v8()
        .list_attachments(v8::Module::Leads, "1", ["id"])
        .per_page(500)
        .send()
        .await
    {
        // The client checks the spec's maximum before sending.
        Err(v8::ListAttachmentsError::Request(_)) => {}
        other => panic!("expected a refused request, got {other:?}"),
    }
    let expired = Client::builder()
        .base_url(zoho.base_url())
        .access_token(zoho.expired_token())
        .build()
        .unwrap();
    let err = expired
        .crm_v8()
        .list_attachments(v8::Module::Leads, "1", ["id"])
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.http_status()),
        (Some("INVALID_TOKEN"), Some(401))
    );
}

#[tokio::test]
async fn the_token_endpoint_refreshes_only_with_the_right_credentials() {
    let zoho = FakeZoho::start().await;
    let credentials = zoho.refresh_credentials();
    let http = common::http();
    let form = |secret: &str| {
        format!(
            "grant_type=refresh_token&client_id={}&client_secret={secret}&refresh_token={}",
            credentials.client_id, credentials.refresh_token
        )
    };
    let post = |body: String| {
        http.post(zoho.token_url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    };
    let (status, wrong) = send(post(form("wrong"))).await;
    assert_eq!((status, wrong), (200, json!({"error": "invalid_code"})));
    assert_eq!(zoho.refresh_count(), 0);

    let (status, answer) = send(post(form(&credentials.client_secret))).await;
    assert_eq!(status, 200);
    assert_eq!(answer["api_domain"], zoho.base_url());
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3600);
    assert_eq!(zoho.refresh_count(), 1);
    // Zoho's pages send the fields in the query string; that works too.
    let query = http.post(format!(
        "{}?{}",
        zoho.token_url(),
        form(&credentials.client_secret)
    ));
    assert!(send(query).await.1["access_token"].is_string());
    assert_eq!(zoho.refresh_count(), 2);

    let token = answer["access_token"].as_str().unwrap();
    let list = unauthorised(&zoho, Method::GET, LIST).header(AUTHORIZATION, auth(token));
    assert_eq!(list.send().await.unwrap().status(), 204);
}
