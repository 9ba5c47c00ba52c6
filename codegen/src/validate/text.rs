//! Rules every text of a spec file obeys, whatever field it is in.
//!
//! Spec text ends up in rustdoc, in `generated/README.md` and in terminals, so it is read by
//! tools that treat some characters and some lines specially. These rules run on every string
//! of a file (keys and values, as the loader collected them), so a field added to the format
//! later is covered without anyone remembering to call a check:
//! - no string holds a control character, a bidirectional control (the "Trojan Source"
//!   characters, which make text display differently from what it is) or a line separator;
//! - prose (docs, summaries, notes, messages, names...) is not empty or made only of spaces and
//!   invisible characters, and has no line that rustdoc would read as a code block, which it
//!   compiles as a doctest: a fence (```` ``` ```` or `~~~`) or a line indented four spaces after
//!   a blank line. Brackets, angle brackets and bare URLs are escaped by the emitter instead.
//!
//! The crate's own doc is no exception: its example is written by the generator from what the
//! spec holds (`emit/example.rs`), so it compiles whatever the spec is.

use crate::diag::{Code, Diagnostic};
use crate::load::SpecFile;
use crate::load::yaml::{Segment, Text};

/// Keys whose values (or, for lists, whose items) are prose printed into documentation.
const PROSE_KEYS: &[&str] = &[
    "description",
    "doc",
    "message",
    "name",
    "note",
    "notes",
    "provenance",
    "recovered_from",
    "resolution",
    "summary",
    "title",
    "unconfirmed",
];

/// Prose keys whose text the docs print inside a sentence, a list item or a table row (and
/// Cargo's one-line `description`): a line break there would end the sentence or the row and
/// start Markdown of its own.
const INLINE_KEYS: &[&str] = &[
    "description",
    "message",
    "name",
    "recovered_from",
    "resolution",
    "summary",
    "title",
];

/// Whether `text` is printed inline: under an inline key, the `doc` of a scope's operation
/// type (`READ` (Get attachment data)), or the note of an error row.
fn is_inline(text: &Text) -> bool {
    match text.path.as_slice() {
        [.., Segment::Key(key)] if INLINE_KEYS.contains(&key.as_str()) => true,
        [
            ..,
            Segment::Key(scopes),
            Segment::Key(operations),
            Segment::Index(_),
            Segment::Key(doc),
        ] if scopes == "scopes" && operations == "operations" && doc == "doc" => true,
        // An error row's note follows its message in the row.
        [
            ..,
            Segment::Key(errors),
            Segment::Index(_),
            Segment::Key(note),
        ] => errors == "errors" && note == "note",
        _ => false,
    }
}

/// Characters that are never part of a spec's text, with a name for messages.
fn forbidden(c: char) -> Option<&'static str> {
    match c {
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => {
            Some("a bidirectional control, which makes text display in another order than it is")
        }
        '\u{2028}' | '\u{2029}' => {
            Some("a Unicode line separator, which Rust and editors break on")
        }
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some("a control character"),
        _ => None,
    }
}

/// Characters that show nothing: a text made of these and spaces says nothing.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '\u{180E}'
        )
}

/// Whether the value at `path` is prose: under a prose key, directly or as a list item.
fn is_prose(text: &Text) -> bool {
    if text.is_key {
        return false;
    }
    let key = match text.path.as_slice() {
        [.., Segment::Key(key)] => key,
        [.., Segment::Key(key), Segment::Index(_)] => key,
        _ => return false,
    };
    PROSE_KEYS.contains(&key.as_str())
}

/// Paths that exist only where the spec was written: a reader of a clone cannot follow them.
const LOCAL_REFERENCES: &[&str] = &["../shared", "zoho-facts", "seeds/", "/work/"];

/// Checks every text of `file`.
pub fn check<T>(file: &SpecFile<T>, out: &mut Vec<Diagnostic>) {
    for text in file.texts.iter() {
        check_characters(file, text, out);
        if is_prose(text) {
            check_prose(file, text, out);
        }
        check_references(file, text, out);
    }
}

/// A spec is read from a clone: every reference in it must be one a reader can follow.
fn check_references<T>(file: &SpecFile<T>, text: &Text, out: &mut Vec<Diagnostic>) {
    for (line_number, line) in text.text.split('\n').enumerate() {
        if let Some(word) = LOCAL_REFERENCES.iter().find(|word| line.contains(**word)) {
            out.push(
                at_line(
                    file,
                    text,
                    line_number,
                    format!("this text names `{word}`, a file outside the repository"),
                )
                .with_hint(
                    "cite the Zoho page it is a copy of, or Zoho's OpenAPI file at \
                     https://github.com/zoho/crm-oas/blob/45dff2c/v8.0/<file>.json",
                ),
            );
            return;
        }
    }
}

/// A diagnostic about line `line` (from 0) of `text`: on that line when the text is a block
/// scalar, else where the text starts.
fn at_line<T>(file: &SpecFile<T>, text: &Text, line: usize, message: String) -> Diagnostic {
    let location = if text.is_key {
        file.map.key(&text.path)
    } else {
        file.map
            .inside_block(&text.path, line + 1, 1)
            .or_else(|| file.map.value(&text.path))
    };
    Diagnostic::new(file.display_path.clone(), location, Code::BadText, message)
}

fn check_characters<T>(file: &SpecFile<T>, text: &Text, out: &mut Vec<Diagnostic>) {
    for (line_number, line) in text.text.split('\n').enumerate() {
        if let Some((column, c, what)) = line
            .chars()
            .enumerate()
            .find_map(|(column, c)| forbidden(c).map(|what| (column, c, what)))
        {
            let subject = if text.is_key { "this key" } else { "this text" };
            out.push(
                at_line(
                    file,
                    text,
                    line_number,
                    format!(
                        "{subject} holds U+{:04X}, {what} (character {} of its line)",
                        c as u32,
                        column + 1
                    ),
                )
                .with_hint("delete the character; spec text is plain characters"),
            );
            // One report per text: the maintainer retypes it anyway.
            return;
        }
    }
}

fn check_prose<T>(file: &SpecFile<T>, text: &Text, out: &mut Vec<Diagnostic>) {
    if text.text.chars().all(invisible) {
        out.push(Diagnostic::new(
            file.display_path.clone(),
            file.map.value(&text.path),
            Code::EmptyDoc,
            if text.text.is_empty() {
                "this text is empty; every public item of the generated crate is documented from it"
            } else {
                "this text is only spaces or invisible characters; every public item of the \
                 generated crate is documented from it"
            },
        ));
        return;
    }
    if is_inline(text) {
        if let Some(line) = text.text.trim_end().find(['\n', '\r']) {
            let line_number = text.text[..line].matches('\n').count();
            out.push(
                at_line(
                    file,
                    text,
                    line_number,
                    "this text is printed inside a sentence or a table row of the docs, so it \
                     must be one line"
                        .to_owned(),
                )
                .with_hint("join the lines (a `>-` scalar folds them)"),
            );
        }
        return;
    }
    let mut after_blank = false;
    // Inside a list item: the column its text starts at.
    let mut list_item: Option<usize> = None;
    for (line_number, line) in text.text.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if indent < 4 && (rest.starts_with("```") || rest.starts_with("~~~")) {
            out.push(
                at_line(
                    file,
                    text,
                    line_number,
                    format!(
                        "this line starts with three {}, which open a code block in rustdoc, \
                         and rustdoc compiles a code block as a doctest",
                        if rest.starts_with('`') {
                            "backticks"
                        } else {
                            "tildes"
                        }
                    ),
                )
                .with_hint("quote code inline, between single backticks"),
            );
            return;
        }
        let blank = line.chars().all(invisible);
        let code_indent = indent >= 4 || line.starts_with('\t');
        if after_blank && !blank && code_indent {
            out.push(
                at_line(
                    file,
                    text,
                    line_number,
                    "this line is indented four spaces after a blank line, which makes it a code \
                     block in rustdoc, and rustdoc compiles a code block as a doctest"
                        .to_owned(),
                )
                .with_hint("indent it by at most three spaces, or join it to the line above"),
            );
            return;
        }
        // Clippy's `doc_lazy_continuation`: a list item's next line must be indented to the
        // item's text, or be an item of its own, or follow a blank line.
        let item = list_marker(rest).map(|width| indent + width);
        if let (Some(content), false, None) = (list_item, blank, item)
            && indent < content
        {
            out.push(
                at_line(
                    file,
                    text,
                    line_number,
                    "this line continues a list item without its indentation, which rustdoc \
                     joins to the item and clippy's `doc_lazy_continuation` lint refuses"
                        .to_owned(),
                )
                .with_hint(format!(
                    "indent it {content} spaces, or leave a blank line before it"
                )),
            );
            return;
        }
        list_item = match (blank, item) {
            (true, _) => None,
            (false, Some(content)) => Some(content),
            (false, None) => list_item,
        };
        after_blank = blank;
    }
}

/// The width of a list marker at the start of `line` with its space (`- `, `* `, `+ `,
/// `12. `, `3) `), if it starts with one.
fn list_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    match bytes {
        [b'-' | b'*' | b'+', b' ', ..] => Some(2),
        _ => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            (1..=9)
                .contains(&digits)
                .then_some(())
                .filter(|()| matches!(bytes.get(digits..digits + 2), Some([b'.' | b')', b' '])))
                .map(|()| digits + 2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_is_forbidden() {
        assert!(forbidden('\u{202E}').is_some());
        assert!(forbidden('\u{2067}').is_some());
        assert!(forbidden('\u{0007}').is_some());
        assert!(forbidden('\u{0085}').is_some());
        assert!(forbidden('\u{2028}').is_some());
        for c in ['\t', '\n', '\r', 'é', '→', '\u{200B}'] {
            assert!(forbidden(c).is_none(), "{c:?}");
        }
    }

    #[test]
    fn list_markers_and_their_width() {
        assert_eq!(list_marker("- a"), Some(2));
        assert_eq!(list_marker("* a"), Some(2));
        assert_eq!(list_marker("12. a"), Some(4));
        assert_eq!(list_marker("3) a"), Some(3));
        assert_eq!(list_marker("-a"), None);
        assert_eq!(list_marker("2024 was"), None);
        assert_eq!(list_marker("a - b"), None);
    }

    #[test]
    fn invisible_text_is_blank() {
        assert!("\u{200B} \u{FEFF}\u{00AD}".chars().all(invisible));
        assert!(!"a\u{200B}".chars().all(invisible));
    }

    #[test]
    fn prose_is_found_by_its_key() {
        let text = |path: Vec<Segment>| Text {
            path,
            is_key: false,
            text: "x".into(),
        };
        assert!(is_prose(&text(crate::path!["operations", "a", "doc"])));
        assert!(is_prose(&text(crate::path!["notes", 0usize])));
        assert!(!is_prose(&text(crate::path!["operations", "a", "method"])));
        assert!(!is_prose(&text(crate::path!["types", "T", "keys", 0usize])));
    }

    #[test]
    fn inline_texts_are_summaries_messages_and_scope_operation_docs() {
        let text = |path: Vec<Segment>| Text {
            path,
            is_key: false,
            text: "x".into(),
        };
        assert!(is_inline(&text(crate::path!["operations", "a", "summary"])));
        assert!(is_inline(&text(crate::path![
            "operations",
            "a",
            "errors",
            0usize,
            "message"
        ])));
        assert!(is_inline(&text(crate::path![
            "operations",
            "a",
            "scopes",
            "operations",
            1usize,
            "doc"
        ])));
        assert!(is_inline(&text(crate::path![
            "operations",
            "a",
            "errors",
            2usize,
            "note"
        ])));
        assert!(!is_inline(&text(crate::path!["operations", "a", "doc"])));
        assert!(!is_inline(&text(crate::path!["notes", 0usize])));
    }
}
