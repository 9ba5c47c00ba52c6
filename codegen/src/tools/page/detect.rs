//! Which format a saved page is in, and the input refused before reading it.
//!
//! Detection looks at the page's shape, never at its name: HTML starts with a doctype or an
//! `<html>`/`<head>`/`<body>` element; Markdown has an ATX heading naming a section
//! (`#### Purpose`) or fenced code; anything else that is text is plain text. Nothing is guessed silently: `audit` prints
//! the format it read each page as.

use std::fmt;

use serde::Serialize;

use super::facts::section_of;

/// The largest page read, in bytes. Zoho's pages are tens of kilobytes saved as text and a few
/// hundred as HTML; anything this large is not one of them.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// A page format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// HTML, as a browser or curl saves it.
    Html,
    /// A Markdown rendering.
    Markdown,
    /// A plain-text rendering.
    Text,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Html => "HTML",
            Format::Markdown => "Markdown",
            Format::Text => "plain text",
        })
    }
}

/// Why a page cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// Nothing but white space.
    #[error("the page is empty")]
    Empty,
    /// Larger than [`MAX_PAGE_BYTES`].
    #[error(
        "the page is {size} bytes, more than the {} MiB a saved documentation page can be",
        MAX_PAGE_BYTES / 1024 / 1024
    )]
    TooLarge {
        /// Its size in bytes.
        size: usize,
    },
    /// Not text: a NUL byte, or bytes that are not UTF-8.
    #[error("the page is not text (UTF-8): {why} at byte {offset}")]
    Binary {
        /// What was found.
        why: &'static str,
        /// Where.
        offset: usize,
    },
    /// Text, but none of the sections of Zoho's documentation pages.
    #[error(
        "no section of a Zoho API documentation page (Purpose, Endpoints, Request URL, Scope, \
         Parameters, Possible Errors, Sample Response...) was found in this {format} page; \
         save the operation's page from Zoho's developer documentation"
    )]
    NotAZohoPage {
        /// The format it was read as.
        format: Format,
    },
}

/// Checks that `bytes` can be a page and says which format it is in.
pub fn detect(bytes: &[u8]) -> Result<(Format, &str), PageError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(PageError::TooLarge { size: bytes.len() });
    }
    if let Some(offset) = bytes.iter().position(|&byte| byte == 0) {
        return Err(PageError::Binary {
            why: "a NUL byte",
            offset,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|error| PageError::Binary {
        why: "a byte sequence that is not UTF-8",
        offset: error.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(PageError::Empty);
    }
    Ok((format_of(text), text))
}

fn format_of(text: &str) -> Format {
    let start = text.trim_start();
    let head: String = start.chars().take(512).collect::<String>().to_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
        || (head.starts_with("<!--") && head.contains("<html"))
        || (head.starts_with("<?xml") && head.contains("<html"))
    {
        return Format::Html;
    }
    // Code samples hold `# comments`, so only a heading naming a known section counts.
    let markdown = text.lines().any(|line| {
        let hashes = line.len() - line.trim_start_matches('#').len();
        let heading = (1..=6).contains(&hashes)
            && line[hashes..].starts_with(' ')
            && section_of(&line[hashes..]).is_some();
        heading || line.starts_with("```")
    });
    if markdown {
        Format::Markdown
    } else {
        Format::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_shape() {
        assert_eq!(
            detect(b"<!DOCTYPE html><html></html>").unwrap().0,
            Format::Html
        );
        assert_eq!(detect(b"  <html lang=en><body>x").unwrap().0, Format::Html);
        assert_eq!(
            detect(b"# Title\n\n#### Purpose\n").unwrap().0,
            Format::Markdown
        );
        assert_eq!(detect(b"Purpose\n\nTo get.\n").unwrap().0, Format::Text);
        assert_eq!(
            detect(b"#hashtag is not a heading\n").unwrap().0,
            Format::Text
        );
        assert_eq!(
            detect(b"Sample Request\n\nCopied# a Python comment\n# another\n")
                .unwrap()
                .0,
            Format::Text
        );
    }

    #[test]
    fn garbage_is_refused_with_its_reason() {
        assert_eq!(detect(b" \n\t "), Err(PageError::Empty));
        assert!(matches!(
            detect(b"abc\0def"),
            Err(PageError::Binary { offset: 3, .. })
        ));
        assert!(matches!(
            detect(b"ab\xff"),
            Err(PageError::Binary { offset: 2, .. })
        ));
        let large = vec![b'a'; MAX_PAGE_BYTES + 1];
        assert!(matches!(detect(&large), Err(PageError::TooLarge { .. })));
    }
}
