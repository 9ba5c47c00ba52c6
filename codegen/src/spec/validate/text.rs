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
//! The crate's own `doc` is Markdown written by the maintainers, with a doctest on purpose; it
//! is exempt from the code-block rule only.

use crate::diag::{Code, Diagnostic};
use crate::spec::load::SpecFile;
use crate::yaml::{Segment, Text};

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
];

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

/// The crate's documentation: Markdown with a deliberate doctest.
fn is_crate_doc(text: &Text) -> bool {
    text.path == [Segment::from("crate"), Segment::from("doc")]
}

/// Checks every text of `file`.
pub fn check<T>(file: &SpecFile<T>, out: &mut Vec<Diagnostic>) {
    for text in file.texts.iter() {
        check_characters(file, text, out);
        if is_prose(text) {
            check_prose(file, text, out);
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
    if is_crate_doc(text) {
        return;
    }
    let mut after_blank = false;
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
        after_blank = blank;
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
}
