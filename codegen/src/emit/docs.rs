//! Rustdoc from spec text: paragraphs, links to Zoho's pages, notes.

use proc_macro2::TokenStream;
use quote::quote;

/// A doc comment built paragraph by paragraph.
#[derive(Debug, Default, Clone)]
pub struct Doc {
    paragraphs: Vec<String>,
}

impl Doc {
    /// Starts with a first paragraph of page text.
    pub fn new(text: &str) -> Self {
        Doc::default().text(text)
    }

    /// Adds page text, escaped so rustdoc reads it as prose.
    pub fn text(mut self, text: &str) -> Self {
        let text = text.trim();
        if !text.is_empty() {
            self.paragraphs.push(prose(text));
        }
        self
    }

    /// Adds Markdown written by the generator (trusted, not escaped).
    pub fn markdown(mut self, markdown: impl Into<String>) -> Self {
        let markdown = markdown.into();
        if !markdown.trim().is_empty() {
            self.paragraphs.push(markdown.trim_end().to_owned());
        }
        self
    }

    /// Adds a remark from the spec, when there is one.
    pub fn note(self, note: Option<&str>) -> Self {
        match note {
            Some(note) => self.markdown(format!("**Note:** {}", prose(note.trim()))),
            None => self,
        }
    }

    /// Adds a list of remarks.
    pub fn notes(self, notes: &[String]) -> Self {
        notes.iter().fold(self, |doc, note| doc.note(Some(note)))
    }

    /// Marks a call no source confirms: a warning under its summary and an `# Unconfirmed`
    /// section, last, that says why. Call it after everything else.
    pub fn unconfirmed(mut self, why: Option<&str>) -> Self {
        let Some(why) = why else { return self };
        let warning = "**Unconfirmed:** no Zoho page read confirms all of this call; see \
                       *Unconfirmed* below before relying on it."
            .to_owned();
        let at = self.paragraphs.len().min(1);
        self.paragraphs.insert(at, warning);
        self.markdown(format!("# Unconfirmed\n\n{}", prose(why.trim())))
    }

    /// Adds the link to the page the item is documented on.
    pub fn source(self, url: &str) -> Self {
        self.markdown(format!("[Zoho documentation]({url})"))
    }

    /// The `#[doc = "..."]` attributes, one per line, for the item that follows.
    pub fn tokens(&self) -> TokenStream {
        let lines = self.lines().into_iter().map(|line| quote!(#[doc = #line]));
        quote!(#(#lines)*)
    }

    /// The `#![doc = "..."]` attributes, one per line, for the enclosing module.
    pub fn inner_tokens(&self) -> TokenStream {
        let lines = self.lines().into_iter().map(|line| quote!(#![doc = #line]));
        quote!(#(#lines)*)
    }

    fn lines(&self) -> Vec<String> {
        // Any line break ends a line: a bare CR inside a `///` comment is not valid Rust.
        let text = self.paragraphs.join("\n\n").replace("\r\n", "\n");
        if text.is_empty() {
            return Vec::new();
        }
        text.split(['\n', '\r'])
            // rustdoc strips one leading space from each doc line.
            .map(|line| {
                if line.is_empty() {
                    String::new()
                } else {
                    format!(" {line}")
                }
            })
            .collect()
    }
}

/// Escapes page text for rustdoc: `[`, `]`, `<` and `>` outside backtick code spans would be
/// read as links or HTML, and a bare URL becomes an autolink (`<https://…>`).
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
                .unwrap_or(rest.len());
            // Sentence punctuation right after a URL is not part of it.
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '[' | ']' | '<' | '>' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// "Attach a file" → "attach a file", for a summary used inside a sentence.
pub fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Inline code for a wire name, safe even if it contains a backtick.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_brackets_and_angles_outside_code() {
        assert_eq!(prose("a [b] <c> `[d] <e>`"), "a \\[b\\] \\<c\\> `[d] <e>`");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            prose("see (https://example.com/a.html). and `https://x.y`"),
            "see (<https://example.com/a.html>). and `https://x.y`"
        );
    }

    #[test]
    fn every_line_break_ends_a_doc_line() {
        let tokens = Doc::new("One\rtwo\r\nthree").tokens().to_string();
        assert!(!tokens.contains("\\r"), "{tokens}");
        for line in ["\" One\"", "\" two\"", "\" three\""] {
            assert!(tokens.contains(line), "{tokens}");
        }
    }

    #[test]
    fn paragraphs_become_doc_lines() {
        let tokens = Doc::new("First.").note(Some("Odd.")).tokens().to_string();
        assert!(tokens.contains("\" First.\""), "{tokens}");
        assert!(tokens.contains("\" **Note:** Odd.\""), "{tokens}");
        assert!(tokens.contains("doc = \"\""), "{tokens}");
    }
}
