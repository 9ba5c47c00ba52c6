//! Paging like Zoho CRM's: `page`/`per_page` (at most 200) for the first 2000 records,
//! then `next_page_token` sent back as `page_token`; a stable order throughout.

mod common;

use std::collections::HashSet;

use common::{assert_error, file_form, request, request_on, send};
use reqwest::Method;
use serde_json::Value;
use zoho_attachments::Client;
use zoho_attachments::crm::v8;
use zoho_fake::{FakeZoho, Parent};

/// Seeds `count` attachments on Leads/1 (through the library: 2000 uploads over HTTP would
/// only make the test slow) and returns their IDs, oldest first.
fn seed(zoho: &FakeZoho, count: usize) -> Vec<String> {
    let parent = Parent::crm("Leads", "1");
    (0..count)
        .map(|n| zoho.add_file(&parent, &format!("file-{n:04}.txt"), format!("content {n}")))
        .collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .expect("a data list")
        .iter()
        .map(|entry| entry["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn more_than_200_uploads_over_http_page_newest_first() {
    let zoho = FakeZoho::start().await;
    let http = common::http();
    let mut uploaded = Vec::new();
    for n in 0..205 {
        let form = file_form("file", &format!("f{n}.txt"), b"x");
        let upload = request_on(&http, &zoho, Method::POST, "/crm/v8/Leads/1/Attachments");
        let (status, body) = send(upload.multipart(form)).await;
        assert_eq!(status, 200);
        uploaded.push(
            body["data"][0]["details"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let (_, first) = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id",
    ))
    .await;
    assert_eq!(first["info"]["per_page"], 200);
    assert_eq!(first["info"]["count"], 200);
    assert_eq!(first["info"]["more_records"], true);
    // No token before the 2000-record limit: `page` is how to go on.
    assert_eq!(first["info"]["next_page_token"], Value::Null);
    let (_, second) = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id&page=2",
    ))
    .await;
    assert_eq!(second["info"]["page"], 2);
    assert_eq!(second["info"]["count"], 5);
    assert_eq!(second["info"]["more_records"], false);

    let mut listed = ids(&first);
    listed.extend(ids(&second));
    uploaded.reverse();
    assert_eq!(listed, uploaded, "every upload once, newest first");
}

#[tokio::test]
async fn page_tokens_continue_beyond_2000_records() {
    let zoho = FakeZoho::start().await;
    let seeded = seed(&zoho, 2345);
    let client = Client::builder()
        .base_url(zoho.base_url())
        .access_token(zoho.token())
        .build()
        .unwrap();
    let crm = client.crm_v8();

    let mut seen = Vec::new();
    let mut page_number = 1;
    let mut token: Option<String> = None;
    loop {
        let mut list = crm
            .list_attachments(v8::Module::Leads, "1", ["id"])
            .per_page(200);
        list = match &token {
            Some(token) => list.page_token(token.clone()),
            None => list.page(page_number),
        };
        let page = list.send().await.unwrap();
        seen.extend(page.data.iter().map(|a| a.id.clone().unwrap()));
        let info = page.info;
        assert_eq!(info.page, Some(seen.len().div_ceil(200) as i64));
        if info.more_records != Some(true) {
            break;
        }
        match info.next_page_token {
            Some(next) => {
                // Tokens appear once `page` would reach past record 2000.
                assert!(seen.len() >= 2000, "token after {} records", seen.len());
                assert!(info.page_token_expiry.is_some());
                token = Some(next);
            }
            None => {
                assert!(token.is_none(), "a token-fetched page names the next token");
                page_number += 1;
            }
        }
    }
    assert_eq!(seen.len(), 2345);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        2345,
        "no record twice"
    );
    let mut expected = seeded;
    expected.reverse();
    assert_eq!(seen, expected, "a stable, newest-first order");
}

#[tokio::test]
async fn page_cannot_reach_past_2000_and_tokens_go_back() {
    let zoho = FakeZoho::start().await;
    seed(&zoho, 2300);
    let beyond = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id&page=11",
    ))
    .await;
    assert_error(&beyond, 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED");

    let (_, tenth) = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id&page=10",
    ))
    .await;
    let next = tenth["info"]["next_page_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, eleventh) = send(request(
        &zoho,
        Method::GET,
        &format!("/crm/v8/Leads/1/Attachments?fields=id&page_token={next}"),
    ))
    .await;
    assert_eq!(eleventh["info"]["count"], 200);
    let previous = eleventh["info"]["previous_page_token"].as_str().unwrap();
    let (_, back) = send(request(
        &zoho,
        Method::GET,
        &format!("/crm/v8/Leads/1/Attachments?fields=id&page_token={previous}"),
    ))
    .await;
    assert_eq!(ids(&back), ids(&tenth));

    // A token is for the record it was issued for.
    let other = send(request(
        &zoho,
        Method::GET,
        &format!("/crm/v8/Leads/2/Attachments?fields=id&page_token={next}"),
    ))
    .await;
    assert_error(&other, 400, "INVALID_DATA");
}

#[tokio::test]
async fn ids_filter_and_small_pages() {
    let zoho = FakeZoho::start().await;
    let seeded = seed(&zoho, 10);
    let path = format!(
        "/crm/v8/Leads/1/Attachments?fields=id,File_Name&ids={},{}&per_page=1",
        seeded[2], seeded[7]
    );
    let (_, page) = send(request(&zoho, Method::GET, &path)).await;
    assert_eq!(ids(&page), [seeded[7].clone()]);
    assert_eq!(page["data"][0]["File_Name"], "file-0007.txt");
    assert_eq!(page["info"]["more_records"], true);
    let (_, page) = send(request(&zoho, Method::GET, &format!("{path}&page=2"))).await;
    assert_eq!(ids(&page), [seeded[2].clone()]);
    assert_eq!(page["info"]["more_records"], false);
    let zero = send(request(
        &zoho,
        Method::GET,
        "/crm/v8/Leads/1/Attachments?fields=id&page=0",
    ))
    .await;
    assert_error(&zero, 400, "INVALID_DATA");
}
