//! The common shape every page format is read into: a flat sequence of located blocks.

use serde::Serialize;

/// What a block is. Formats differ in what they can tell apart: plain text has no heading
/// markup, so its reader calls a line a heading only when it is a known section title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading, or a line standing alone that names a known section.
    Heading,
    /// Running text; its lines are joined with `\n`.
    Paragraph,
    /// A list item: its first line is its label (`fieldsstring, mandatory`), further lines
    /// (joined with `\n`) the text written directly under it.
    Item,
    /// A code sample, verbatim (without the copy button's `Copied` label).
    Code,
    /// A table row; its cells are joined with `\t`.
    Row,
}

/// One block of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// The page line (from 1) it starts on; line `k` of `text` (from 0) is on `line + k` in
    /// the line-based formats.
    pub line: usize,
    /// For list items, how deep the list is nested (0 for a top-level list).
    pub depth: usize,
    /// Its text.
    pub text: String,
    /// Addresses of the links in it.
    pub links: Vec<String>,
}

impl Block {
    /// A block without links.
    pub fn new(kind: BlockKind, line: usize, depth: usize, text: impl Into<String>) -> Block {
        Block {
            kind,
            line,
            depth,
            text: text.into(),
            links: Vec::new(),
        }
    }

    /// Its lines, each with its page line.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text
            .split('\n')
            .enumerate()
            .map(move |(index, line)| (self.line + index, line))
    }
}
