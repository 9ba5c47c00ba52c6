//! Saved Zoho documentation pages: what `audit` (and `import`) read.
//!
//! A page arrives as HTML (a browser's "save page", or curl), as Markdown (a scraped copy, with
//! `\_` escapes, `Copied` labels and fenced code) or as plain text (a rendering with `  • `
//! bullets). [`read`] detects which ([`detect`]), turns it into one common sequence of located
//! [`Block`]s (headings, list items, paragraphs, code, table rows) with one reader per format
//! ([`html`], [`markdown`], [`text`]), then reads the facts the spec transcribes out of those
//! blocks ([`facts`]): purpose, endpoints, request URL, modules, scopes, operation types,
//! parameters, response keys, errors and samples, each with the page line it was read on.
//!
//! Nothing here knows the spec: comparing is `audit`'s job, drafting `import`'s.

pub mod block;
pub mod clean;
pub mod detect;
pub mod facts;
pub mod html;
pub mod markdown;
pub mod text;

pub use block::{Block, BlockKind};
pub use detect::{Format, MAX_PAGE_BYTES, PageError};
pub use facts::{
    Endpoint, ErrorRow, Field, Listed, Located, OperationFacts, OperationType, PageFacts,
    SampleResponse, ScopeExpr, ValueRow,
};

/// Reads a saved page: detects its format, splits it into blocks and reads its facts.
///
/// Fails, never panics, on input that is not a readable Zoho documentation page: empty,
/// binary, larger than [`MAX_PAGE_BYTES`], or a page in which no section of Zoho's
/// documentation pages (Purpose, Request URL, Possible Errors...) can be found.
pub fn read(bytes: &[u8]) -> Result<PageFacts, PageError> {
    let (format, text) = detect::detect(bytes)?;
    let blocks = blocks(format, text);
    let facts = facts::read(format, &blocks);
    if facts.operations.is_empty() {
        return Err(PageError::NotAZohoPage { format });
    }
    Ok(facts)
}

/// The blocks of a text already known to be in `format`.
pub fn blocks(format: Format, text: &str) -> Vec<Block> {
    match format {
        Format::Html => html::blocks(text),
        Format::Markdown => markdown::blocks(text),
        Format::Text => text::blocks(text),
    }
}
