//! Reading a paged listing page after page, without ever looping.
//!
//! Zoho's listings end each page with an `info` object: `more_records`, the `page`
//! number, and on newer APIs a `next_page_token`. Generated code reads it into a
//! [`PageInfo`] and hands a fetch function to [`pages`], which asks for each next page
//! with the right [`Cursor`].

use std::collections::HashSet;
use std::future::Future;

use futures::Stream;

use crate::Error;

/// Which page to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// The first page: send neither a page number nor a token.
    First,
    /// This page number (1-based, as Zoho counts).
    Page(i64),
    /// The token the previous page gave (`next_page_token`).
    Token(String),
}

/// What one page says about the next, read from its `info` by generated code.
#[derive(Clone, Debug, Default)]
pub struct PageInfo {
    /// Whether there are records after this page.
    pub more_records: bool,
    /// This page's number, when the answer gives it.
    pub page: Option<i64>,
    /// The token for the next page, when the answer gives one.
    pub next_page_token: Option<String>,
}

/// Pages one after another until `more_records` is false. The next cursor is the page
/// token when the page gives one, else page + 1. A token seen before is an error
/// ([`Error::Paging`]), never a loop; so is a page number that does not advance, and a
/// page that says there is more but gives neither a token nor a page number to go on
/// from. Lazily: nothing is fetched until polled; the stream ends after the first
/// error.
///
/// The stream is not `Unpin`; pin it (`Box::pin`, `std::pin::pin!`) to call `next`.
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
/// use zoho_runtime::Error;
/// use zoho_runtime::paging::{Cursor, PageInfo, pages};
///
/// // Three pages of two numbers each, addressed by page number.
/// let fetch = |cursor: Cursor| async move {
///     let page = match cursor {
///         Cursor::First => 1,
///         Cursor::Page(page) => page,
///         Cursor::Token(_) => unreachable!("this listing gives no tokens"),
///     };
///     let info = PageInfo { more_records: page < 3, page: Some(page), next_page_token: None };
///     Ok::<_, Error>((vec![page * 10, page * 10 + 1], info))
/// };
/// let all: Vec<Vec<i64>> = pages(fetch).map(Result::unwrap).collect().await;
/// assert_eq!(all, [vec![10, 11], vec![20, 21], vec![30, 31]]);
/// # });
/// ```
pub fn pages<T, E, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, E>> + Send
where
    F: FnMut(Cursor) -> Fut + Send,
    Fut: Future<Output = Result<(T, PageInfo), E>> + Send,
    T: Send,
    E: From<Error> + Send,
{
    let state = State {
        fetch,
        next: Next::Fetch(Cursor::First),
        tokens: HashSet::new(),
        highest_page: None,
    };
    futures::stream::unfold(state, |mut state| async move {
        let cursor = match std::mem::replace(&mut state.next, Next::Done) {
            Next::Fetch(cursor) => cursor,
            Next::Fail(error) => return Some((Err(E::from(error)), state)),
            Next::Done => return None,
        };
        match (state.fetch)(cursor.clone()).await {
            Ok((items, info)) => {
                state.next = match state.after(&cursor, info) {
                    Ok(Some(next)) => Next::Fetch(next),
                    Ok(None) => Next::Done,
                    Err(error) => Next::Fail(error),
                };
                Some((Ok(items), state))
            }
            Err(error) => Some((Err(error), state)),
        }
    })
}

/// The items of every page of `pages`, one by one: `items` takes a page's items out of it.
/// A failed page is one `Err` item, and ends nothing by itself: [`pages`] ends after it.
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
/// use zoho_runtime::paging::items;
///
/// let pages = futures::stream::iter([Ok(vec![1, 2]), Err("page 2 failed"), Ok(vec![3])]);
/// let all: Vec<Result<i64, &str>> = items(pages, |page| page).collect().await;
/// assert_eq!(all, [Ok(1), Ok(2), Err("page 2 failed"), Ok(3)]);
/// # });
/// ```
pub fn items<P, T, E, S>(
    pages: S,
    items: fn(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, E>> + Send
where
    S: Stream<Item = Result<P, E>> + Send,
    T: Send,
    E: Send,
{
    use futures::StreamExt;
    pages.flat_map(move |page| {
        let page: Vec<Result<T, E>> = match page {
            Ok(page) => items(page).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        futures::stream::iter(page)
    })
}

struct State<F> {
    fetch: F,
    next: Next,
    /// Every token asked with so far.
    tokens: HashSet<String>,
    /// The highest page number asked for or reported so far.
    highest_page: Option<i64>,
}

enum Next {
    Fetch(Cursor),
    /// Yield this error, then end.
    Fail(Error),
    Done,
}

impl<F> State<F> {
    /// The cursor after the page fetched with `cursor`, `None` at the end.
    fn after(&mut self, cursor: &Cursor, info: PageInfo) -> Result<Option<Cursor>, Error> {
        let asked_page = match cursor {
            Cursor::First => Some(1),
            Cursor::Page(page) => Some(*page),
            Cursor::Token(token) => {
                self.tokens.insert(token.clone());
                None
            }
        };
        let highest = self.highest_page.max(asked_page);
        let this_page = info.page.or(asked_page);
        self.highest_page = highest.max(this_page);
        if !info.more_records {
            return Ok(None);
        }
        if let Some(token) = info.next_page_token.filter(|token| !token.is_empty()) {
            if self.tokens.contains(&token) {
                return Err(paging_error(
                    "a page gave a next_page_token that was already used; going on would loop"
                        .to_owned(),
                ));
            }
            return Ok(Some(Cursor::Token(token)));
        }
        let Some(page) = this_page else {
            return Err(paging_error(
                "a page says there are more records but gives neither a next_page_token nor a page number"
                    .to_owned(),
            ));
        };
        let next = page
            .checked_add(1)
            .ok_or_else(|| paging_error("the page number cannot go higher".to_owned()))?;
        if let Some(highest) = highest
            && next <= highest
        {
            return Err(paging_error(format!(
                "the answer says page {page} after page {highest} was asked for; the page number does not advance"
            )));
        }
        Ok(Some(Cursor::Page(next)))
    }
}

fn paging_error(reason: String) -> Error {
    Error::Paging { reason }
}
