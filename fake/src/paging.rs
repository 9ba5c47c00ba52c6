//! Zoho CRM's paging: `page`/`per_page` reach the first 2000 records; beyond them, the
//! answer's `next_page_token` is sent back as `page_token`.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::auth::random_hex;
use crate::render::iso;
use crate::store::Parent;

/// Records reachable with `page` (Zoho's limit for discrete paging).
pub(crate) const PAGE_LIMIT: usize = 2000;
/// Records per page when `per_page` is not given.
pub(crate) const DEFAULT_PER_PAGE: usize = 200;
/// How long a page token is valid.
const TOKEN_LIFETIME_SECS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone)]
struct PageToken {
    parent: Parent,
    offset: usize,
    per_page: usize,
    expires: i64,
}

#[derive(Debug, Default)]
pub(crate) struct PageTokens {
    tokens: HashMap<String, PageToken>,
}

/// Where a page starts, from the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    Page(usize),
    Token { offset: usize, per_page: usize },
}

/// Why a page cannot be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PageError {
    /// `page` reaches beyond the first 2000 records, and there are more.
    BeyondLimit,
    /// `page_token` is unknown, expired, or issued for another record.
    BadToken,
}

/// One page: the slice to send and its `info`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) info: Value,
}

impl PageTokens {
    pub(crate) fn start(&self, parent: &Parent, token: &str, now: i64) -> Result<Start, PageError> {
        match self.tokens.get(token) {
            Some(found) if &found.parent == parent && found.expires > now => Ok(Start::Token {
                offset: found.offset,
                per_page: found.per_page,
            }),
            _ => Err(PageError::BadToken),
        }
    }

    /// The page of `total` records starting at `start`, with `per_page` records when given.
    /// `with_tokens`: whether the product's `info` carries page tokens (CRM) or not (Bigin).
    pub(crate) fn page(
        &mut self,
        parent: &Parent,
        total: usize,
        start: Start,
        per_page: Option<usize>,
        with_tokens: bool,
        now: i64,
    ) -> Result<Page, PageError> {
        let (offset, per_page, by_token) = match start {
            Start::Page(page) => {
                let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
                let offset = page.saturating_sub(1).saturating_mul(per_page);
                // Past the end of a shorter list, a page is just empty.
                if offset >= PAGE_LIMIT && total > PAGE_LIMIT {
                    return Err(PageError::BeyondLimit);
                }
                (offset, per_page, false)
            }
            Start::Token {
                offset,
                per_page: token_per_page,
            } => (offset, per_page.unwrap_or(token_per_page), true),
        };
        let end = offset.saturating_add(per_page).min(total);
        let range = offset.min(end)..end;
        let more = end < total;
        let mut info = json!({
            "per_page": per_page,
            "count": range.len(),
            "page": offset / per_page + 1,
            "more_records": more,
        });
        if with_tokens {
            let next = (more && offset + per_page >= PAGE_LIMIT)
                .then(|| self.issue(parent, offset + per_page, per_page, now));
            let previous = (by_token && offset >= per_page)
                .then(|| self.issue(parent, offset - per_page, per_page, now));
            let expiry =
                (next.is_some() || previous.is_some()).then(|| iso(now + TOKEN_LIFETIME_SECS));
            info["next_page_token"] = json!(next);
            info["previous_page_token"] = json!(previous);
            info["page_token_expiry"] = json!(expiry);
        }
        Ok(Page { range, info })
    }

    fn issue(&mut self, parent: &Parent, offset: usize, per_page: usize, now: i64) -> String {
        self.tokens.retain(|_, token| token.expires > now);
        let token = format!("{}{}", random_hex(40), offset);
        self.tokens.insert(
            token.clone(),
            PageToken {
                parent: parent.clone(),
                offset,
                per_page,
                expires: now + TOKEN_LIFETIME_SECS,
            },
        );
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent() -> Parent {
        Parent::crm("Leads", "1")
    }

    #[test]
    fn discrete_pages_stop_at_2000_records() {
        let mut tokens = PageTokens::default();
        let page = tokens
            .page(&parent(), 2500, Start::Page(10), Some(200), true, 0)
            .unwrap();
        assert_eq!(page.range, 1800..2000);
        let next = page.info["next_page_token"]
            .as_str()
            .expect("a token at the limit");
        assert_eq!(
            tokens.page(&parent(), 2500, Start::Page(11), Some(200), true, 0),
            Err(PageError::BeyondLimit)
        );
        let start = tokens.start(&parent(), next, 0).unwrap();
        let page = tokens.page(&parent(), 2500, start, None, true, 0).unwrap();
        assert_eq!(page.range, 2000..2200);
        assert_eq!(page.info["page"], 11);
        assert!(page.info["previous_page_token"].is_string());
    }

    #[test]
    fn early_pages_have_no_tokens_and_bigin_has_no_token_keys() {
        let mut tokens = PageTokens::default();
        let page = tokens
            .page(&parent(), 500, Start::Page(1), None, true, 0)
            .unwrap();
        assert_eq!(page.range, 0..200);
        assert_eq!(page.info["next_page_token"], Value::Null);
        assert_eq!(page.info["more_records"], true);
        let page = tokens
            .page(&parent(), 500, Start::Page(3), None, false, 0)
            .unwrap();
        assert_eq!(page.range, 400..500);
        assert_eq!(page.info["more_records"], false);
        assert!(page.info.get("next_page_token").is_none());
    }

    #[test]
    fn tokens_belong_to_one_record_and_expire() {
        let mut tokens = PageTokens::default();
        let page = tokens
            .page(&parent(), 3000, Start::Page(10), None, true, 0)
            .unwrap();
        let next = page.info["next_page_token"].as_str().unwrap().to_owned();
        assert_eq!(
            tokens.start(&Parent::crm("Leads", "2"), &next, 0),
            Err(PageError::BadToken)
        );
        assert_eq!(
            tokens.start(&parent(), &next, TOKEN_LIFETIME_SECS + 1),
            Err(PageError::BadToken)
        );
    }
}
