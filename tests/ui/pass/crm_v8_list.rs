//! CRM v8 "Get list of Attachments" with every optional parameter (`ids`, `page`,
//! `per_page`, `page_token`), paging by token as a user would, the scopes, the errors v8
//! documents beyond v7's, and the typed page information.

use zoho_attachments::crm::v8::{self, AttachmentList, ListAttachments, Module};
use zoho_attachments::{Client, Error, ServiceError, Tolerant};

fn client() -> Client {
    Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("1000.test")
        .build()
        .expect("a loopback base URL and a token are enough to build a client")
}

/// Every file name of a record, following `next_page_token` from page to page;
/// type-checked by `main`, never run (nothing listens on port 9).
async fn all_file_names(
    client: Client,
    module: Module,
    record_id: String,
) -> Result<Vec<String>, v8::ListAttachmentsError> {
    let crm = client.crm_v8();
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = crm
            .list_attachments(module.clone(), record_id.as_str(), ["id", "File_Name"])
            .per_page(200);
        if let Some(token) = token.take() {
            request = request.page_token(token);
        }
        // A record without attachments answers 204, which gives an empty list.
        let page: AttachmentList = request.send().await?;
        names.extend(page.data.into_iter().filter_map(|file| file.file_name));
        match page.info.next_page_token {
            Some(next) if page.info.more_records == Some(true) => token = Some(next),
            _ => return Ok(names),
        }
    }
}

/// Compiles only if `future` meets `tokio::spawn`'s bounds; it is dropped, never polled.
fn assert_spawnable<F>(future: F)
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    drop(future);
}

fn service(status: u16, code: &str) -> Error {
    Error::Service(ServiceError::new(
        status,
        code,
        "from the test",
        serde_json::Value::Null,
    ))
}

fn main() {
    let client = client();
    let crm = client.crm_v8();

    // Every optional parameter, chained on the builder, each from the types a user has.
    let everything: ListAttachments = crm
        .list_attachments(
            Module::Deals,
            "4876876000000376008",
            ["id", "File_Name", "Size"],
        )
        .ids(["4876876000001021001", "4876876000001021002"])
        .page(2)
        .per_page(50)
        .page_token("c8582e7cd1e8f4b2d5bdf6c7a8c2f0b1");
    assert_spawnable(everything.send());
    let wanted: Vec<String> = vec!["1".to_owned(), "2".to_owned()];
    let by_ids = crm
        .list_attachments(Module::custom("Foo__c"), String::from("7"), vec!["id"])
        .ids(wanted);
    assert_spawnable(by_ids.send());
    // Parameters may be set in any order, and each is optional.
    let only_page = crm
        .list_attachments(Module::Appointments, "8", ["id"])
        .page(3);
    assert_spawnable(only_page.send());

    // Reading attachments needs the module's scope and the attachments scope.
    assert_eq!(
        ListAttachments::minimal_scopes(&Module::Deals),
        [
            "ZohoCRM.modules.deals.READ",
            "ZohoCRM.modules.attachments.READ"
        ],
    );
    assert!(
        !ListAttachments::REQUIRED_SCOPES
            .is_satisfied_by(Some("deals"), &["ZohoCRM.modules.deals.READ"])
    );
    assert!(ListAttachments::REQUIRED_SCOPES.is_satisfied_by(
        Some("deals"),
        &["ZohoCRM.modules.ALL", "ZohoCRM.modules.attachments.READ"],
    ));

    // v8 documents TOO_MANY_REQUESTS (v7 keeps it in `Unhandled`), and it is retryable.
    let throttled = v8::ListAttachmentsError::from(service(429, "TOO_MANY_REQUESTS"));
    assert!(matches!(
        throttled,
        v8::ListAttachmentsError::TooManyRequests(_)
    ));
    assert!(throttled.is_retryable());
    let missing = v8::ListAttachmentsError::from(service(400, "REQUIRED_PARAM_MISSING"));
    assert!(matches!(
        missing,
        v8::ListAttachmentsError::RequiredParamMissing(_)
    ));

    // A page with its paging information and typed times.
    let page: AttachmentList = serde_json::from_str(
        r#"{
            "data": [{
                "id": "4876876000001021001",
                "File_Name": "report.pdf",
                "Size": "1024",
                "Created_Time": "2025-01-15T10:00:00+05:30",
                "$link_url": null
            }],
            "info": {
                "per_page": 1, "count": 1, "page": 1, "more_records": true,
                "next_page_token": "c8582e7cd1e8f4b2d5bdf6c7a8c2f0b1",
                "page_token_expiry": "2025-01-16T10:00:00+05:30"
            }
        }"#,
    )
    .expect("a v8 page decodes");
    let file = &page.data[0];
    assert_eq!(file.file_name.as_deref(), Some("report.pdf"));
    assert_eq!(file.size, Some(Tolerant::Value(1024)));
    assert_eq!(
        file.created_time.as_ref().and_then(Tolerant::value).map(|time| time.to_rfc3339()),
        Some("2025-01-15T10:00:00+05:30".to_owned()),
    );
    assert_eq!(file.link_url, None);
    assert_eq!(page.info.more_records, Some(true));
    assert_eq!(
        page.info.next_page_token.as_deref(),
        Some("c8582e7cd1e8f4b2d5bdf6c7a8c2f0b1")
    );

    assert_spawnable(all_file_names(
        client,
        Module::Leads,
        "4876876000000376008".to_owned(),
    ));
}
