//! Paging: cursors from page numbers and tokens, and every way a listing could loop.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use zoho_runtime::Error;
use zoho_runtime::paging::{Cursor, PageInfo, pages};

/// A listing that answers with `answers` in order and records the cursors asked for.
#[derive(Clone, Default)]
struct Listing {
    answers: Arc<Mutex<VecDeque<Result<PageInfo, Error>>>>,
    asked: Arc<Mutex<Vec<Cursor>>>,
}

impl Listing {
    fn new(answers: Vec<Result<PageInfo, Error>>) -> Self {
        Self {
            answers: Arc::new(Mutex::new(answers.into())),
            ..Self::default()
        }
    }

    fn asked(&self) -> Vec<Cursor> {
        self.asked.lock().unwrap().clone()
    }

    /// All items the stream yields: the page's position for a page, the error for an error.
    async fn collect(&self) -> Vec<Result<usize, Error>> {
        let listing = self.clone();
        pages(move |cursor| {
            let listing = listing.clone();
            async move {
                let mut asked = listing.asked.lock().unwrap();
                asked.push(cursor);
                let position = asked.len();
                drop(asked);
                let answer = listing
                    .answers
                    .lock()
                    .unwrap()
                    .pop_front()
                    .expect("asked for a page after the last");
                answer.map(|info| (position, info))
            }
        })
        .collect()
        .await
    }
}

fn page(number: i64, more: bool) -> Result<PageInfo, Error> {
    Ok(PageInfo {
        more_records: more,
        page: Some(number),
        next_page_token: None,
    })
}

fn token_page(token: Option<&str>, more: bool) -> Result<PageInfo, Error> {
    Ok(PageInfo {
        more_records: more,
        page: None,
        next_page_token: token.map(str::to_owned),
    })
}

fn paging_reason(item: &Result<usize, Error>) -> &str {
    match item {
        Err(Error::Paging { reason }) => reason,
        other => panic!("expected a paging error, got {other:?}"),
    }
}

#[tokio::test]
async fn page_numbers_advance_until_there_are_no_more_records() {
    let listing = Listing::new(vec![page(1, true), page(2, true), page(3, false)]);
    let items = listing.collect().await;

    assert_eq!(items.iter().filter(|item| item.is_ok()).count(), 3);
    assert_eq!(
        listing.asked(),
        [Cursor::First, Cursor::Page(2), Cursor::Page(3)]
    );
}

#[tokio::test]
async fn a_page_without_a_number_continues_from_the_one_asked_for() {
    let unnumbered = || token_page(None, true);
    let listing = Listing::new(vec![unnumbered(), unnumbered(), token_page(None, false)]);
    listing.collect().await;
    assert_eq!(
        listing.asked(),
        [Cursor::First, Cursor::Page(2), Cursor::Page(3)]
    );
}

#[tokio::test]
async fn a_next_page_token_is_preferred_to_the_page_number() {
    let mut with_number = token_page(Some("t2"), true).unwrap();
    with_number.page = Some(1);
    let listing = Listing::new(vec![
        Ok(with_number),
        token_page(Some("t3"), true),
        token_page(None, false),
    ]);
    let items = listing.collect().await;

    assert!(items.iter().all(Result::is_ok));
    assert_eq!(
        listing.asked(),
        [
            Cursor::First,
            Cursor::Token("t2".into()),
            Cursor::Token("t3".into())
        ]
    );
}

#[tokio::test]
async fn a_repeated_token_is_a_paging_error_not_a_loop() {
    let listing = Listing::new(vec![
        token_page(Some("t2"), true),
        token_page(Some("t3"), true),
        token_page(Some("t2"), true),
    ]);
    let items = listing.collect().await;

    assert_eq!(items.len(), 4, "three pages, then the error, then the end");
    assert!(items[..3].iter().all(Result::is_ok));
    assert!(paging_reason(&items[3]).contains("next_page_token"));
    assert!(
        !Error::Paging {
            reason: String::new()
        }
        .is_retryable()
    );
    assert_eq!(listing.asked().len(), 3);
}

#[tokio::test]
async fn a_page_number_that_does_not_advance_is_a_paging_error() {
    // The server ignores the page asked for and answers page 1 again.
    let listing = Listing::new(vec![page(1, true), page(1, true)]);
    let items = listing.collect().await;

    assert_eq!(items.len(), 3);
    assert!(paging_reason(&items[2]).contains("does not advance"));
    assert_eq!(listing.asked(), [Cursor::First, Cursor::Page(2)]);
}

#[tokio::test]
async fn more_records_without_a_way_to_continue_is_a_paging_error() {
    let listing = Listing::new(vec![token_page(Some("t2"), true), token_page(None, true)]);
    let items = listing.collect().await;

    assert_eq!(items.len(), 3);
    assert!(paging_reason(&items[2]).contains("neither"));
}

#[tokio::test]
async fn the_stream_ends_after_a_fetch_error() {
    let listing = Listing::new(vec![
        page(1, true),
        Err(Error::Auth("revoked".into())),
        page(3, false),
    ]);
    let items = listing.collect().await;

    assert_eq!(items.len(), 2);
    assert!(matches!(items[1], Err(Error::Auth(_))));
    assert_eq!(listing.asked().len(), 2);
}

#[tokio::test]
async fn nothing_is_fetched_until_polled_and_only_as_far_as_polled() {
    let listing = Listing::new(vec![page(1, true), page(2, true), page(3, false)]);
    let fetcher = listing.clone();
    let stream = pages(move |cursor| {
        fetcher.asked.lock().unwrap().push(cursor);
        let answer = fetcher.answers.lock().unwrap().pop_front().unwrap();
        async move { answer.map(|info| ((), info)) }
    });
    let mut stream = Box::pin(stream);
    assert!(listing.asked().is_empty());

    stream.next().await.unwrap().unwrap();
    assert_eq!(listing.asked(), [Cursor::First]);
}
