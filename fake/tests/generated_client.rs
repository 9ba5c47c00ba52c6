//! The generated client (`zoho_attachments`) against the fake: every operation of every
//! product version, answers decoded with the generated types.

use zoho_attachments::bigin::{v1 as bigin_v1, v2 as bigin_v2};
use zoho_attachments::contracts::v1 as contracts;
use zoho_attachments::crm::{v2_1, v7, v8};
use zoho_attachments::{Client, Tolerant, model};
use zoho_fake::{FakeZoho, Parent};

fn client(zoho: &FakeZoho) -> Client {
    Client::builder()
        .base_url(zoho.base_url())
        .access_token(zoho.token())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn crm_v8_every_operation() {
    let zoho = FakeZoho::start().await;
    let crm = client(&zoho).crm_v8();
    let record = "4876876000000376008";

    let file = crm
        .upload_attachment(
            v8::Module::Leads,
            record,
            v8::Upload::bytes("notes.txt", "meeting notes"),
        )
        .send()
        .await
        .unwrap();
    let file_id = file.data[0].details.as_ref().unwrap().id.clone().unwrap();
    assert_eq!(file.data[0].code.as_deref(), Some("SUCCESS"));
    assert!(
        file.data[0]
            .details
            .as_ref()
            .unwrap()
            .created_time
            .is_some()
    );

    let link = crm
        .upload_attachment(
            v8::Module::Leads,
            record,
            v8::Upload::link("https://www.zohocorp.com").title("Zoho"),
        )
        .send()
        .await
        .unwrap();
    let link_id = link.data[0].details.as_ref().unwrap().id.clone().unwrap();

    let page = crm
        .list_attachments(
            v8::Module::Leads,
            record,
            ["id", "File_Name", "Size", "$link_url", "Created_Time"],
        )
        .send()
        .await
        .unwrap();
    // Newest first.
    let listed: Vec<(Option<&str>, Option<&str>, Option<i64>)> = page
        .data
        .iter()
        .map(|a| {
            let size = a.size.as_ref().and_then(Tolerant::value).copied();
            (a.id.as_deref(), a.file_name.as_deref(), size)
        })
        .collect();
    assert_eq!(
        listed,
        [
            (Some(link_id.as_str()), Some("Zoho"), Some(0)),
            (Some(file_id.as_str()), Some("notes.txt"), Some(13)),
        ]
    );
    assert_eq!(
        page.data[0].link_url.as_deref(),
        Some("https://www.zohocorp.com")
    );
    assert!(page.data[1].created_time.is_some());
    assert!(
        page.data[0].owner.is_none(),
        "only the fields asked for are sent"
    );
    assert_eq!(page.info.count, Some(2));
    assert_eq!(page.info.more_records, Some(false));

    let download = crm
        .download_attachment(v8::Module::Leads, record, &file_id)
        .send()
        .await
        .unwrap()
        .expect("a file");
    assert_eq!(download.file_name(), Some("notes.txt"));
    assert_eq!(download.content_type(), Some("text/plain"));
    assert_eq!(download.content_length(), Some(13));
    assert_eq!(download.bytes().await.unwrap(), "meeting notes");
    let missing = crm
        .download_attachment(v8::Module::Leads, record, "5725767000999999999")
        .send()
        .await
        .unwrap();
    assert!(missing.is_none(), "204 for an unknown ID");
    match crm
        .download_attachment(v8::Module::Leads, record, &link_id)
        .send()
        .await
    {
        Err(v8::DownloadAttachmentError::DownloadNotAllowed(err)) => {
            assert_eq!(err.http_status(), 400)
        }
        other => panic!("expected DownloadNotAllowed, got {other:?}"),
    }

    let deleted = crm
        .delete_attachment(v8::Module::Leads, record, &file_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        deleted.data[0].details.as_ref().unwrap().id.as_deref(),
        Some(file_id.as_str())
    );
    let deleted = crm
        .delete_attachments(
            v8::Module::Leads,
            record,
            [link_id.as_str(), "5725767000999999999"],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.len(), 2);
    assert_eq!(
        deleted.succeeded().map(|(id, _)| id).collect::<Vec<_>>(),
        [link_id.as_str()]
    );
    match deleted.failed().collect::<Vec<_>>().as_slice() {
        [(id, v8::DeleteAttachmentsError::InvalidData(err))] => {
            assert_eq!(*id, "5725767000999999999");
            assert_eq!(err.http_status(), 200);
        }
        other => panic!("expected the unknown ID to fail with INVALID_DATA, got {other:?}"),
    }
    let empty = crm
        .list_attachments(v8::Module::Leads, record, ["id"])
        .send()
        .await
        .unwrap();
    assert!(empty.data.is_empty(), "204 decodes as an empty list");

    assert!(
        crm.get_photo(v8::PhotoModule::Leads, record)
            .send()
            .await
            .unwrap()
            .is_none()
    );
    let uploaded = crm
        .upload_photo(
            v8::PhotoUploadModule::Leads,
            record,
            v8::PhotoUpload::bytes("me.png", &b"\x89PNG fake"[..]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status.as_deref(), Some("success"));
    let photo = crm
        .get_photo(v8::PhotoModule::Leads, record)
        .send()
        .await
        .unwrap()
        .expect("a photo");
    assert_eq!(photo.content_type(), Some("image/png"));
    assert_eq!(photo.bytes().await.unwrap(), &b"\x89PNG fake"[..]);
    let deleted = crm
        .delete_photo(v8::PhotoModule::Leads, record)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.code.as_deref(), Some("SUCCESS"));
    assert!(
        crm.get_photo(v8::PhotoModule::Leads, record)
            .send()
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn crm_v2_1_uploads_and_v7_lists_from_the_shared_store() {
    let zoho = FakeZoho::start().await;
    let client = client(&zoho);
    let uploaded = client
        .crm_v2_1()
        .upload_attachment(
            v2_1::Module::Accounts,
            "77",
            v2_1::Upload::bytes("old api.csv", "a,b\n1,2\n"),
        )
        .send()
        .await
        .unwrap();
    let id = uploaded.data[0].details.as_ref().unwrap().id.clone();
    let page = client
        .crm_v7()
        .list_attachments(
            v7::Module::Accounts,
            "77",
            [
                "id",
                "File_Name",
                "Size",
                "Owner",
                "Parent_Id",
                "$se_module",
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    let entry = &page.data[0];
    assert_eq!(entry.id, id);
    assert_eq!(entry.file_name.as_deref(), Some("old api.csv"));
    assert_eq!(entry.size, Some(Tolerant::Value(8)));
    assert_eq!(entry.se_module.as_deref(), Some("Accounts"));
    assert_eq!(
        entry.parent_id.as_ref().and_then(|p| p.id.as_deref()),
        Some("77")
    );
    assert!(
        entry
            .owner
            .as_ref()
            .and_then(|o| o.email.as_ref())
            .is_some()
    );
    assert_eq!(page.info.next_page_token, None);
}

#[tokio::test]
async fn custom_modules_work_once_registered() {
    let zoho = FakeZoho::builder()
        .custom_module("Shipments__c")
        .start()
        .await;
    let crm = client(&zoho).crm_v8();
    crm.upload_attachment(
        v8::Module::custom("Shipments__c"),
        "1",
        v8::Upload::bytes("label.pdf", "%PDF"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(zoho.attachments(&Parent::crm("Shipments__c", "1")).len(), 1);
    match crm
        .upload_attachment(
            v8::Module::custom("Invoices__c"),
            "1",
            v8::Upload::bytes("x.txt", "x"),
        )
        .send()
        .await
    {
        Err(v8::UploadAttachmentError::InvalidModule(err)) => assert_eq!(err.http_status(), 400),
        other => panic!("expected InvalidModule, got {other:?}"),
    }
}

#[tokio::test]
async fn bigin_v2_every_operation_and_v1_lists_the_same_store() {
    let zoho = FakeZoho::start().await;
    let client = client(&zoho);
    let bigin = client.bigin_v2();
    let file = bigin
        .upload_attachment(
            bigin_v2::Module::Companies,
            "42",
            bigin_v2::Upload::bytes("deck.pdf", "%PDF-1.7"),
        )
        .send()
        .await
        .unwrap();
    let details = file.data[0].details.clone().unwrap();
    let id = details["id"].as_str().unwrap().to_owned();
    bigin
        .upload_attachment(
            bigin_v2::Module::Companies,
            "42",
            bigin_v2::Upload::link("https://bigin.com"),
        )
        .send()
        .await
        .unwrap();

    let page = bigin
        .list_attachments(bigin_v2::Module::Companies, "42")
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.info.as_ref().and_then(|info| info.count), Some(2));
    assert_eq!(page.data[1].file_name.as_deref(), Some("deck.pdf"));
    assert_eq!(page.data[0].link_url.as_deref(), Some("https://bigin.com"));

    // Companies is `Accounts` on the wire in both versions.
    let v1 = client
        .bigin_v1()
        .list_attachments(bigin_v1::Module::Companies, "42")
        .send()
        .await
        .unwrap();
    assert_eq!(v1.data.len(), 2);
    assert_eq!(v1.data[1].id.as_deref(), Some(id.as_str()));
    assert_eq!(v1.info.per_page, Some(200));

    let download = bigin
        .download_attachment(bigin_v2::Module::Companies, "42", &id)
        .send()
        .await
        .unwrap()
        .expect("a file");
    assert_eq!(download.file_name(), Some("deck.pdf"));
    assert_eq!(download.bytes().await.unwrap(), "%PDF-1.7");
    let deleted = bigin
        .delete_attachment(bigin_v2::Module::Companies, "42", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.data[0].code.as_deref(), Some("SUCCESS"));
    assert_eq!(zoho.attachments(&Parent::bigin("Accounts", "42")).len(), 1);
}

#[tokio::test]
async fn contracts_every_operation() {
    let zoho = FakeZoho::start().await;
    let contracts = client(&zoho).contracts_v1();
    let contract = "msa-with-zenith-dynamics";

    // The composite: upload_file, then add_attachments with the references.
    let added = contracts
        .attach_file(
            contract,
            contracts::FileUpload::bytes("scope.docx", "PK\x03\x04 docx"),
        )
        .send()
        .await
        .unwrap();
    let file = &added.contractattachments[0];
    assert_eq!(file.attachment_type, Some(contracts::AttachmentType::File));
    assert_eq!(file.status, Some(contracts::AttachmentStatus::Active));
    let details = file.file.as_ref().unwrap();
    assert_eq!(
        (details.name.as_deref(), details.extension.as_deref()),
        (Some("scope"), Some("docx"))
    );
    assert_eq!(details.size, Some(Tolerant::Value(9)));
    assert!(file.added_by.as_ref().and_then(|user| user.id).is_some());

    // The two calls by hand, and a link in the same request.
    let uploaded = contracts
        .upload_file(
            contract,
            contracts::FileUpload::bytes("annex.pdf", "%PDF annex"),
        )
        .send()
        .await
        .unwrap();
    let reference = &uploaded[0];
    assert_eq!(reference.file_name.as_deref(), Some("annex.pdf"));
    assert_eq!(reference.size, Some(10));
    let body = contracts::AddAttachmentsRequest::new(vec![
        contracts::NewContractAttachment::new()
            .path(reference.path.clone().unwrap())
            .uploads(reference.uploads.clone().unwrap())
            .attachment_type(contracts::AttachmentType::File),
        contracts::NewContractAttachment::new()
            .sequence_number(3)
            .link_name("google")
            .link_url("google.com")
            .attachment_type(contracts::AttachmentType::Link),
    ]);
    let added = contracts
        .add_attachments(contract, body)
        .send()
        .await
        .unwrap();
    assert_eq!(added.contractattachments.len(), 2);
    assert_eq!(
        added.contractattachments[1].link_url.as_deref(),
        Some("google.com")
    );
    assert_eq!(added.contractattachments[1].sequence_number, Some(3));

    let all = contracts.list_attachments(contract).send().await.unwrap();
    let kinds: Vec<_> = all
        .contractattachments
        .iter()
        .map(|a| a.attachment_type)
        .collect();
    assert_eq!(
        kinds,
        [
            Some(contracts::AttachmentType::File),
            Some(contracts::AttachmentType::File),
            Some(contracts::AttachmentType::Link)
        ]
    );

    let annex = &all.contractattachments[1];
    let download = contracts
        .download_attachment(contract, annex.contract_attachment_id.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(download.file_name(), Some("annex.pdf"));
    assert_eq!(download.bytes().await.unwrap(), "%PDF annex");

    let deleted = contracts
        .delete_attachment(contract, annex.contract_attachment_id.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.result.as_deref(), Some("Success"));
    assert_eq!(deleted.attachment_id, annex.attachment_id);
    assert_eq!(
        contracts
            .list_attachments(contract)
            .send()
            .await
            .unwrap()
            .contractattachments
            .len(),
        2
    );
}

#[tokio::test]
async fn every_operation_of_the_model_is_served_by_a_handler() {
    // A walk over the model, so a new operation in the spec without a handler shows up
    // here (it would answer its sample or 501).
    let zoho = FakeZoho::start().await;
    zoho_runtime::ensure_crypto_provider().expect("a TLS crypto provider");
    let http = reqwest::Client::new();
    for api in model::APIS {
        for op in api.operations {
            // A module the operation accepts: in its module set, when it has one.
            let set = op.params.iter().find_map(|param| match param.kind {
                model::ParamKind::Module(set) => Some(set),
                _ => None,
            });
            let module = api
                .modules
                .iter()
                .filter(|module| match set.flatten() {
                    Some(set) => api
                        .module_sets
                        .iter()
                        .any(|s| s.name == set && s.modules.contains(&module.display)),
                    None => true,
                })
                .find_map(|module| module.api_name)
                .unwrap_or("none");
            let path: String = op
                .path
                .split('/')
                .map(|segment| match segment {
                    "{module_api_name}" => module.to_owned(),
                    s if s.starts_with('{') => "1".to_owned(),
                    s => s.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            let url = format!("{}{}{path}", zoho.base_url(), api.prefix);
            let response = http
                .request(op.method.parse().unwrap(), &url)
                .header("Authorization", format!("Zoho-oauthtoken {}", zoho.token()))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            let label = format!(
                "{} {} {} {url}: {status} {body}",
                api.product, api.version, op.name
            );
            assert!(!matches!(status, 404 | 405 | 501), "{label}");
            assert!(
                !body.contains("INVALID_URL_PATTERN") && !body.contains("INVALID_REQUEST_METHOD"),
                "{label}"
            );
            let served = zoho.requests().pop().expect("a logged request");
            assert_eq!(served.operation.as_deref(), Some(op.name), "{label}");
        }
    }
}
