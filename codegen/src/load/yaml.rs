//! Everything that knows about YAML, in one small module.
//!
//! serde_yaml decodes values but forgets where they came from, so one pass over the parser's
//! events (yaml-rust2, which reports a marker per event) records the line and column of every
//! key and value by its path, builds the value tree as serde_yaml would, and refuses what the
//! spec format leaves out of YAML (see [`parse`]). Decoding into the spec model (serde_yaml's
//! `Value` deserializer, through serde_path_to_error) reports a path, and the path finds the
//! location. Nothing outside this module sees either YAML library.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, ScanError, Scanner, TScalarStyle, Token, TokenType};

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Key(key) => f.write_str(key),
            Segment::Index(index) => write!(f, "[{index}]"),
        }
    }
}

/// A path into a document, from the root.
pub type Path = Vec<Segment>;

/// Builds a path from keys and indexes: `path!["operations", name, "errors", 2usize]`.
#[macro_export]
macro_rules! path {
    ($($segment:expr),* $(,)?) => {
        ::std::vec::Vec::<$crate::load::yaml::Segment>::from([$($crate::load::yaml::Segment::from($segment)),*])
    };
}

impl From<&str> for Segment {
    fn from(key: &str) -> Self {
        Segment::Key(key.to_owned())
    }
}

impl From<&String> for Segment {
    fn from(key: &String) -> Self {
        Segment::Key(key.clone())
    }
}

impl From<String> for Segment {
    fn from(key: String) -> Self {
        Segment::Key(key)
    }
}

impl From<usize> for Segment {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// `value` as YAML, as the spec files write it (`import`'s drafts): the one place that writes
/// YAML, beside the one that reads it.
pub fn to_yaml<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|error| error.to_string())
}

/// The deepest a document may nest collections (mappings and sequences), as serde_yaml decodes
/// at most: far deeper than any spec. Past it the event pass stops, so nesting costs time
/// linear in the document whatever its depth.
pub const MAX_DEPTH: usize = 128;

/// After a syntax error found by the event pass, serde_yaml re-reads the document up to the end
/// of the error's line, but at most this many bytes past the error, for its message (which names
/// what it was parsing). The bound keeps that re-read linear: the event pass vouched for what
/// comes before the error, not for what comes after.
const REREAD_PAST_ERROR: usize = 1024;

/// Where a key and its value start.
#[derive(Debug, Clone, Copy)]
struct Span {
    key: Option<Location>,
    value: Location,
}

/// Byte offsets of the starts of the lines of a document (`\n` ends a line, as for
/// [`str::lines`]).
#[derive(Debug, Default)]
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Self {
        let breaks = text.match_indices('\n').map(|(at, _)| at + 1);
        Lines {
            starts: std::iter::once(0).chain(breaks).collect(),
        }
    }

    /// The text of line `line` (from 1) without its line break, as `text.lines().nth(line - 1)`.
    fn line<'a>(&self, text: &'a str, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start >= text.len() {
            return None;
        }
        let end = self.starts.get(line).map_or(text.len(), |next| next - 1);
        let line = text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// The location of a byte of a document that may not be valid UTF-8, for problems found before it
/// is text (too large, not UTF-8): its line (lines end at LF, CRLF or CR, as in YAML), and its
/// column in characters of the valid text before it on that line.
pub fn locate_byte(bytes: &[u8], offset: usize) -> Location {
    let before = &bytes[..offset.min(bytes.len())];
    let mut line = 1;
    let mut line_start = 0;
    for (at, byte) in before.iter().enumerate() {
        let ends_line = *byte == b'\n' || (*byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = at + 1;
        }
    }
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Location { line, column }
}

/// The recorded nodes of a document as a tree: each node is a child of its parent under one
/// segment, so recording costs the same at any depth and a path is looked up segment by segment.
#[derive(Debug, Default)]
struct Table {
    /// Index 0 is the root, when the document has one.
    spans: Vec<Span>,
    /// `(parent, segment)` → child.
    children: HashMap<(usize, Segment), usize>,
    /// The document, to find positions inside block scalars.
    text: String,
    lines: Lines,
}

/// Locations of every node of a document, by path.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    table: Arc<Table>,
}

impl SourceMap {
    /// Where the value at `path` starts, or the nearest enclosing node's start.
    pub fn value(&self, path: &[Segment]) -> Option<Location> {
        self.nearest(path).map(|(span, _)| span.value)
    }

    /// Where the key of the entry at `path` starts (its value's start for sequence items), or
    /// the nearest enclosing node's.
    pub fn key(&self, path: &[Segment]) -> Option<Location> {
        self.nearest(path)
            .map(|(span, _)| span.key.unwrap_or(span.value))
    }

    /// The file position of `line`/`column` (from 1) inside the block scalar (`|` or `>`) at
    /// `path`, e.g. to place an error found in an embedded JSON sample. `None` when the value is
    /// not a block scalar.
    pub fn inside_block(&self, path: &[Segment], line: usize, column: usize) -> Option<Location> {
        let span = self.exact(path)?;
        let table = &self.table;
        // The parser marks a block scalar where its content starts, on a line after its key
        // whose remainder is the `|` or `>` indicator.
        let key = span.key?;
        let header = table.lines.line(&table.text, key.line)?;
        let indicator = header
            .get(key.column.checked_sub(1)?..)?
            .split_once(':')?
            .1
            .trim();
        if span.value.line <= key.line || !indicator.starts_with(['|', '>']) {
            return None;
        }
        let line = span.value.line + line.max(1) - 1;
        // A blank line of a block scalar has no indentation to add the column to.
        let width = table
            .lines
            .line(&table.text, line)
            .map_or(0, |text| text.chars().count());
        Some(Location {
            line,
            column: (span.value.column + column.max(1) - 1).min(width + 1),
        })
    }

    /// The deepest recorded node on `path` and how many of its segments it covers.
    fn nearest(&self, path: &[Segment]) -> Option<(&Span, usize)> {
        let table = &self.table;
        let mut node = 0;
        let root = table.spans.first()?;
        let mut span = root;
        for (depth, segment) in path.iter().enumerate() {
            match table.children.get(&(node, segment.clone())) {
                Some(&child) => {
                    node = child;
                    span = &table.spans[child];
                }
                None => return Some((span, depth)),
            }
        }
        Some((span, path.len()))
    }

    fn exact(&self, path: &[Segment]) -> Option<&Span> {
        self.nearest(path)
            .filter(|(_, covered)| *covered == path.len())
            .map(|(span, _)| span)
    }
}

/// A parsed YAML node. Opaque: decode it into a serde type, or split a mapping into entries.
#[derive(Debug, Clone)]
pub struct Node(serde_yaml::Value);

/// A document that is not valid YAML, or not the YAML the spec format is written in.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Where the parser stopped, when it says.
    pub location: Option<Location>,
    /// The parser's message.
    pub message: String,
    /// What probably fixes it, when that is recognisable.
    pub hint: Option<String>,
}

/// A node that does not match the type it was decoded into.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// Path of the offending node, relative to the decoded node.
    pub path: Path,
    /// What was wrong.
    pub message: String,
}

/// Parses a whole file: its value tree and the location of every node.
///
/// One pass over the parser's events (yaml-rust2, which reports a position per event) records
/// locations, builds the value tree, and refuses what the spec format leaves out of YAML:
/// nesting deeper than [`MAX_DEPTH`], tags, anchors and aliases, and more than one document.
/// Plain scalars are resolved by serde_yaml's rules (`resolve_plain`), so the tree is the one
/// serde_yaml would decode. serde_yaml decodes the few documents the pass cannot build exactly
/// (a repeated key, a collection as a key, an integer wider than 64 bits, an empty stream), and
/// re-reads broken ones for its messages; libyaml, under
/// serde_yaml, takes time proportional to the text times its nesting depth, which the event
/// pass has bounded first.
pub fn parse(text: &str) -> Result<(Node, SourceMap), SyntaxError> {
    let lines = Lines::new(text);
    let mut recorder = Recorder::default();
    match recorder.run(text) {
        Ok(()) => {}
        Err(Stop::Refused(error)) => return Err(error),
        Err(Stop::Syntax(error)) => {
            let at = location_of(*error.marker());
            let end = reread_end(text, error.marker().index());
            return Err(
                match serde_yaml::from_str::<serde_yaml::Value>(&text[..end]) {
                    Err(error) => syntax_error(&error, text, &lines, recorder.duplicate),
                    // The event parser is stricter here; its own message, then.
                    Ok(_) => SyntaxError {
                        location: Some(at),
                        message: error.info().to_owned(),
                        hint: tab_hint(text, &lines, Some(at)),
                    },
                },
            );
        }
    }
    // The event pass built the value too, resolving plain scalars as serde_yaml does; what it
    // cannot build exactly (a repeated key, a key that is a collection, an integer beyond 64
    // bits, an empty stream) serde_yaml decodes, with its own messages.
    let value = match recorder.built.take() {
        Some(value) if !recorder.unbuildable => value,
        _ => serde_yaml::from_str(text)
            .map_err(|error| syntax_error(&error, text, &lines, recorder.duplicate))?,
    };
    let map = SourceMap {
        table: Arc::new(Table {
            spans: recorder.spans,
            children: recorder.children,
            text: text.to_owned(),
            lines,
        }),
    };
    Ok((Node(value), map))
}

/// Where serde_yaml re-reads to after the event parser stopped at the character `index`: the end
/// of that line, at most [`REREAD_PAST_ERROR`] bytes past it, on a character boundary.
fn reread_end(text: &str, index: usize) -> usize {
    let offset = text
        .char_indices()
        .nth(index)
        .map_or(text.len(), |(offset, _)| offset);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |end| offset + end + 1);
    let mut end = line_end.min(offset + REREAD_PAST_ERROR).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// serde_yaml's error as a located syntax error.
fn syntax_error(
    error: &serde_yaml::Error,
    text: &str,
    lines: &Lines,
    duplicate: Option<Location>,
) -> SyntaxError {
    let mut message = strip_location_suffix(&error.to_string());
    let mut location = error.location().map(|at| Location {
        line: at.line(),
        column: at.column(),
    });
    // serde_yaml places a repeated key at the start of its mapping; point at the repeat.
    if message.contains("duplicate entry") && duplicate.is_some() {
        location = duplicate;
    }
    let mut hint = tab_hint(text, lines, location);
    if message == "recursion limit exceeded" {
        message = too_deep();
        hint = Some(DEPTH_HINT.to_owned());
    }
    SyntaxError {
        location,
        message,
        hint,
    }
}

fn tab_hint(text: &str, lines: &Lines, location: Option<Location>) -> Option<String> {
    location
        .and_then(|at| lines.line(text, at.line))
        .filter(|line| line.contains('\t'))
        .map(|_| "YAML indents with spaces; this line has a tab".to_owned())
}

const DEPTH_HINT: &str =
    "a spec nests a few levels deep; this is probably a broken or generated file";

fn too_deep() -> String {
    format!("nested deeper than {MAX_DEPTH} levels (recursion limit exceeded)")
}

fn location_of(mark: Marker) -> Location {
    Location {
        line: mark.line(),
        // yaml-rust2 counts lines from 1 but columns from 0.
        column: mark.col() + 1,
    }
}

/// A string of a document, key or value, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The path of the value, or of the entry whose key this is.
    pub path: Path,
    /// Whether the text is the entry's key rather than a value.
    pub is_key: bool,
    /// The text, as decoded.
    pub text: String,
}

impl Node {
    /// Every string of the document, keys and values, in document order: what the text rules
    /// of validation read, whatever field a text is in.
    pub fn texts(&self) -> Vec<Text> {
        fn walk(value: &serde_yaml::Value, path: &mut Path, out: &mut Vec<Text>) {
            match value {
                serde_yaml::Value::String(text) => out.push(Text {
                    path: path.clone(),
                    is_key: false,
                    text: text.clone(),
                }),
                serde_yaml::Value::Sequence(items) => {
                    for (index, item) in items.iter().enumerate() {
                        path.push(Segment::Index(index));
                        walk(item, path, out);
                        path.pop();
                    }
                }
                serde_yaml::Value::Mapping(mapping) => {
                    for (key, item) in mapping {
                        // Keys that are not strings are refused when the file is decoded.
                        let serde_yaml::Value::String(key) = key else {
                            continue;
                        };
                        path.push(Segment::Key(key.clone()));
                        out.push(Text {
                            path: path.clone(),
                            is_key: true,
                            text: key.clone(),
                        });
                        walk(item, path, out);
                        path.pop();
                    }
                }
                serde_yaml::Value::Tagged(tagged) => walk(&tagged.value, path, out),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.0, &mut Vec::new(), &mut out);
        out
    }

    /// Whether this node is a mapping.
    pub fn is_mapping(&self) -> bool {
        self.0.is_mapping()
    }

    /// Removes and returns the value under `key`, when this node is a mapping that has it.
    pub fn take(&mut self, key: &str) -> Option<Node> {
        self.0.as_mapping_mut()?.remove(key).map(Node)
    }

    /// The entries of a mapping whose keys are all strings, in document order.
    pub fn entries(self) -> Option<Vec<(String, Node)>> {
        match self.0 {
            serde_yaml::Value::Mapping(mapping) => mapping
                .into_iter()
                .map(|(key, value)| match key {
                    serde_yaml::Value::String(key) => Some((key, Node(value))),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// Decodes this node into `T`, reporting where inside it a mismatch is.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T, DecodeError> {
        serde_path_to_error::deserialize(self.0).map_err(|error| {
            let path = error
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => Some(Segment::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => Some(Segment::Key(key.clone())),
                    serde_path_to_error::Segment::Enum { variant } => {
                        Some(Segment::Key(variant.clone()))
                    }
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect();
            DecodeError {
                path,
                message: strip_location_suffix(&error.into_inner().to_string()),
            }
        })
    }
}

/// serde_yaml and serde_json write " at line L column C" into messages; locations are reported
/// separately.
pub fn strip_location_suffix(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = &message[start + " at line ".len()..];
    let after_line = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(after_column) = after_line.strip_prefix(" column ") else {
        return message.to_owned();
    };
    let tail = after_column.trim_start_matches(|c: char| c.is_ascii_digit());
    format!("{}{tail}", &message[..start])
}

/// Why the event pass stopped early.
enum Stop {
    /// The event parser found a syntax error.
    Syntax(ScanError),
    /// Valid YAML that the spec format does not allow.
    Refused(SyntaxError),
}

/// Where a node goes in the tree of locations.
enum Place {
    Root,
    /// Under `parent`; `key` is where its key starts (for a sequence item, the item itself).
    Child {
        parent: usize,
        segment: Segment,
        key: Location,
    },
}

/// What the event recorder is inside of.
#[expect(
    clippy::large_enum_variant,
    reason = "at most MAX_DEPTH frames live at once, on a stack that is reused"
)]
enum Frame {
    Mapping {
        node: usize,
        expecting_key: bool,
        key: Option<(String, Location)>,
        seen: HashSet<String>,
        /// The entries so far, and the key of the entry whose value comes next.
        entries: serde_yaml::Mapping,
        pending: Option<serde_yaml::Value>,
    },
    Sequence {
        node: usize,
        next: usize,
        items: Vec<serde_yaml::Value>,
    },
}

/// Turns parser events into a tree of locations, one event at a time. yaml-rust2's own
/// `Parser::load` recurses once per nesting level, so a deeply nested file would overflow the
/// stack and abort the process; here depth is the length of a stack, bounded by [`MAX_DEPTH`].
#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    spans: Vec<Span>,
    children: HashMap<(usize, Segment), usize>,
    /// The first key repeated within one mapping.
    duplicate: Option<Location>,
    documents: usize,
    /// Where a collection opened past [`MAX_DEPTH`]: reported at the next event, which tells
    /// where a block mapping really starts (yaml-rust2 marks it at its first `:`).
    too_deep: Option<Location>,
    /// The document's value, once its root is complete.
    built: Option<serde_yaml::Value>,
    /// The document has what the built tree cannot stand for as serde_yaml would: a repeated
    /// key (serde_yaml refuses it), a collection as a key, an integer beyond 64 bits.
    unbuildable: bool,
}

impl Recorder {
    /// Runs the event parser over the whole stream.
    fn run(&mut self, text: &str) -> Result<(), Stop> {
        let mut parser = Parser::new_from_str(text);
        loop {
            let next = parser.next_token();
            if let Some(opened) = self.too_deep {
                let start = match &next {
                    Ok((event, mark)) if *event != Event::StreamEnd => {
                        opened.min(location_of(*mark))
                    }
                    _ => opened,
                };
                return Err(Stop::Refused(SyntaxError {
                    location: Some(start),
                    message: too_deep(),
                    hint: Some(DEPTH_HINT.to_owned()),
                }));
            }
            let (event, mark) = next.map_err(Stop::Syntax)?;
            if event == Event::StreamEnd {
                return Ok(());
            }
            self.on_event(event, location_of(mark), text)?;
        }
    }

    /// Claims the position of the node that starts now. Returns `None` for a mapping key (which
    /// is remembered instead of recorded).
    fn place_node(&mut self, scalar_key: Option<&str>, at: Location) -> Option<Place> {
        match self.stack.last_mut() {
            None => Some(Place::Root),
            Some(Frame::Sequence { node, next, .. }) => {
                let index = *next;
                *next += 1;
                Some(Place::Child {
                    parent: *node,
                    segment: Segment::Index(index),
                    key: at,
                })
            }
            Some(Frame::Mapping {
                node,
                expecting_key,
                key,
                seen,
                ..
            }) => {
                if *expecting_key {
                    *expecting_key = false;
                    // Non-string keys get a placeholder; serde rejects them with its own message.
                    let name = scalar_key.unwrap_or("?").to_owned();
                    if scalar_key.is_some()
                        && !seen.insert(name.clone())
                        && self.duplicate.is_none()
                    {
                        self.duplicate = Some(at);
                    }
                    *key = Some((name, at));
                    None
                } else {
                    *expecting_key = true;
                    let (name, key_at) = key.take().unwrap_or_else(|| ("?".to_owned(), at));
                    Some(Place::Child {
                        parent: *node,
                        segment: Segment::Key(name),
                        key: key_at,
                    })
                }
            }
        }
    }

    /// Records a node (the first time its path is seen: a repeated key keeps the first's
    /// location) and returns its index.
    fn record(&mut self, place: Place, value: Location) -> usize {
        let spans = &mut self.spans;
        match place {
            Place::Root => {
                if spans.is_empty() {
                    spans.push(Span { key: None, value });
                }
                0
            }
            Place::Child {
                parent,
                segment,
                key,
            } => {
                let key = match segment {
                    Segment::Key(_) => Some(key),
                    Segment::Index(_) => None,
                };
                *self.children.entry((parent, segment)).or_insert_with(|| {
                    spans.push(Span { key, value });
                    spans.len() - 1
                })
            }
        }
    }

    /// Hands a complete value to what encloses it: a sequence, a mapping (as the next key, or
    /// as the value of the pending one), or the document.
    fn deliver(&mut self, value: serde_yaml::Value) {
        match self.stack.last_mut() {
            None => self.built = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping {
                entries, pending, ..
            }) => match pending.take() {
                None if value.is_mapping() || value.is_sequence() => {
                    self.unbuildable = true;
                    *pending = Some(value);
                }
                None => *pending = Some(value),
                Some(key) => {
                    if entries.insert(key, value).is_some() {
                        self.unbuildable = true;
                    }
                }
            },
        }
    }

    fn on_event(&mut self, event: Event, at: Location, text: &str) -> Result<(), Stop> {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(refused(
                        at,
                        "a second YAML document starts here; a spec file holds one document",
                        "remove the `---` line, or move what follows it to a file of its own",
                    ));
                }
            }
            Event::Alias(_) => return Err(alias_or_property(text, at)),
            Event::Scalar(ref value, style, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() {
                    return Err(alias_or_property(text, at));
                }
                if let Some(place) = self.place_node(Some(value), at) {
                    self.record(place, at);
                }
                let built = match style {
                    TScalarStyle::Plain => resolve_plain(value),
                    _ => Some(serde_yaml::Value::String(value.clone())),
                };
                match built {
                    Some(built) => self.deliver(built),
                    None => self.unbuildable = true,
                }
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                if anchor != 0 || tag.is_some() {
                    return Err(alias_or_property(text, at));
                }
                let is_mapping = matches!(event, Event::MappingStart(..));
                // A collection used as a mapping key is not addressable by path: track it under
                // a placeholder so the rest of the document still lines up.
                let place = self.place_node(None, at).unwrap_or(Place::Child {
                    parent: 0,
                    segment: Segment::Key("?".to_owned()),
                    key: at,
                });
                let node = self.record(place, at);
                self.stack.push(if is_mapping {
                    Frame::Mapping {
                        node,
                        expecting_key: true,
                        key: None,
                        seen: HashSet::new(),
                        entries: serde_yaml::Mapping::new(),
                        pending: None,
                    }
                } else {
                    Frame::Sequence {
                        node,
                        next: 0,
                        items: Vec::new(),
                    }
                });
                if self.stack.len() > MAX_DEPTH {
                    self.too_deep = Some(at);
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let built = match self.stack.pop() {
                    Some(Frame::Mapping { entries, .. }) => serde_yaml::Value::Mapping(entries),
                    Some(Frame::Sequence { items, .. }) => serde_yaml::Value::Sequence(items),
                    None => return Ok(()),
                };
                self.deliver(built);
            }
            _ => {}
        }
        Ok(())
    }
}

/// A plain scalar as serde_yaml 0.9 reads it untagged (YAML 1.2's core schema): empty, `~` or
/// `null` is null; `true` or `false` (also capitalised or upper case) a boolean; an integer in
/// decimal, `0x`, `0o` or `0b` (a decimal with leading zeros stays text); a finite float or
/// `.inf`/`.nan`; anything else text. `None` for an integer wider than 64 bits, which serde_yaml
/// refuses with its own message.
fn resolve_plain(text: &str) -> Option<serde_yaml::Value> {
    use serde_yaml::Value;
    if let "" | "~" | "null" | "Null" | "NULL" = text {
        return Some(Value::Null);
    }
    if let "true" | "True" | "TRUE" = text {
        return Some(Value::Bool(true));
    }
    if let "false" | "False" | "FALSE" = text {
        return Some(Value::Bool(false));
    }
    // Digits after a leading zero are text, in any radix spelling, signed or not.
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let leading_zero_digits = unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned[1..].bytes().all(|byte| byte.is_ascii_digit());
    match integer(text, leading_zero_digits) {
        Integer::Fits(value) => return Some(value),
        Integer::Wide => return None,
        Integer::Not => {}
    }
    // `+` may not be followed by another sign; `-` stays part of the number.
    let unpositive = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => None,
        Some(rest) => Some(rest),
        None => Some(text),
    };
    if let (false, Some(unpositive)) = (leading_zero_digits, unpositive) {
        let float = match (unpositive, text) {
            (".inf" | ".Inf" | ".INF", _) => Some(f64::INFINITY),
            (_, "-.inf" | "-.Inf" | "-.INF") => Some(f64::NEG_INFINITY),
            (_, ".nan" | ".NaN" | ".NAN") => Some(f64::NAN.copysign(1.0)),
            _ => unpositive
                .parse::<f64>()
                .ok()
                .filter(|float| float.is_finite()),
        };
        if let Some(float) = float {
            return Some(Value::Number(float.into()));
        }
    }
    Some(Value::String(text.to_owned()))
}

/// What [`integer`] found.
enum Integer {
    Fits(serde_yaml::Value),
    /// An integer wider than 64 bits.
    Wide,
    Not,
}

/// A plain scalar as an integer, by serde_yaml's rules: an optional sign, then decimal digits
/// (not after a leading zero) or `0x`, `0o`, `0b` and digits of that radix.
fn integer(text: &str, leading_zero_digits: bool) -> Integer {
    let (negative, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if magnitude.starts_with(['+', '-']) {
        return Integer::Not;
    }
    let radix = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find_map(|(prefix, radix)| Some((magnitude.strip_prefix(prefix)?, radix)));
    let (digits, radix) = match radix {
        Some((digits, _)) if digits.starts_with(['+', '-']) => return Integer::Not,
        Some(found) => found,
        None if leading_zero_digits => return Integer::Not,
        None => (magnitude, 10),
    };
    let sign = if negative { "-" } else { "" };
    let signed = format!("{sign}{digits}");
    let fits = if negative {
        i64::from_str_radix(&signed, radix)
            .ok()
            .map(serde_yaml::Number::from)
    } else {
        u64::from_str_radix(&signed, radix)
            .ok()
            .map(serde_yaml::Number::from)
    };
    match fits {
        Some(number) => Integer::Fits(serde_yaml::Value::Number(number)),
        None if i128::from_str_radix(&signed, radix).is_ok()
            || u128::from_str_radix(&signed, radix).is_ok() =>
        {
            Integer::Wide
        }
        None => Integer::Not,
    }
}

fn refused(at: Location, message: &str, hint: &str) -> Stop {
    Stop::Refused(SyntaxError {
        location: Some(at),
        message: message.to_owned(),
        hint: Some(hint.to_owned()),
    })
}

/// The refusal of the first tag, anchor or alias of the document. The event parser marks a node
/// after its properties (`&a !t value` at `value`), so a token pass finds where the first one
/// starts; the event's position is the fallback.
fn alias_or_property(text: &str, at: Location) -> Stop {
    let found = Scanner::new(text.chars())
        // Block mappings are marked at their first `:`, after the first key's properties: stop
        // past the event's line rather than its column.
        .take_while(|Token(mark, _)| mark.line() <= at.line)
        .find_map(|Token(mark, kind)| match kind {
            TokenType::Tag(handle, suffix) => Some((mark, Property::Tag(handle, suffix))),
            TokenType::Anchor(name) => Some((mark, Property::Anchor(name))),
            TokenType::Alias(name) => Some((mark, Property::Alias(name))),
            _ => None,
        });
    let (at, property) = match found {
        Some((mark, property)) => (location_of(mark), property),
        None => (at, Property::Unknown),
    };
    let (message, hint) = match property {
        Property::Tag(handle, suffix) => {
            let tag = if handle.is_empty() {
                format!("!<{suffix}>")
            } else {
                format!("{handle}{suffix}")
            };
            (
                format!("the tag `{tag}`: tags are not part of the spec format"),
                "remove it; quote a value to make it a string, as `\"12\"`",
            )
        }
        Property::Anchor(name) => (
            format!("the anchor `&{name}`: anchors and aliases are not part of the spec format"),
            "remove it, and write out in full each value that an alias `*` repeats",
        ),
        Property::Alias(name) => (
            format!("the alias `*{name}`: anchors and aliases are not part of the spec format"),
            "write the value out in full",
        ),
        Property::Unknown => (
            "tags, anchors and aliases are not part of the spec format".to_owned(),
            "remove the `!tag`, `&anchor` or `*alias`",
        ),
    };
    refused(at, &message, hint)
}

/// A node property (or an alias) the spec format refuses.
enum Property {
    Tag(String, String),
    Anchor(String),
    Alias(String),
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
product: crm
operations:
  list:
    path: /{a}/x
    errors:
      - code: A
      - { code: B, status: 400 }
";

    /// What serde_yaml alone makes of `text`.
    fn serde_value(text: &str) -> Result<serde_yaml::Value, String> {
        serde_yaml::from_str(text).map_err(|error| error.to_string())
    }

    #[test]
    fn plain_scalars_resolve_as_serde_yaml_resolves_them() {
        let scalars = [
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "False",
            "FALSE",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "0",
            "00",
            "0123",
            "-0123",
            "+0123",
            "7",
            "+7",
            "-7",
            "++7",
            "+-7",
            "-+7",
            "--7",
            "1_000",
            "0x1F",
            "0X1F",
            "+0x1F",
            "-0x1F",
            "0x-1",
            "0x+1",
            "-0x-1",
            "0xZZ",
            "0x",
            "0o17",
            "-0o17",
            "0o8",
            "0b101",
            "-0b101",
            "0b2",
            "18446744073709551615",
            "-9223372036854775808",
            "9223372036854775807",
            "1.5",
            "-1.5",
            "+1.5",
            "+-1.5",
            ".5",
            "5.",
            "-.5",
            "1e5",
            "1E5",
            "1.5e+3",
            "-1.5e-3",
            "1e",
            "1e999",
            "-1e999",
            ".inf",
            ".Inf",
            ".INF",
            "+.inf",
            "-.inf",
            "-.Inf",
            "+-.inf",
            ".nan",
            ".NaN",
            ".NAN",
            "-.nan",
            "nan",
            "NaN",
            "inf",
            "infinity",
            "Infinity",
            "-inf",
            "0.",
            "00.5",
            "+",
            ".",
            "1.2.3",
            "12:30",
            "2024-01-01",
            "ZohoCRM.modules.ALL",
        ];
        for scalar in scalars {
            let expected = serde_value(&format!("v: {scalar}")).expect(scalar);
            let expected = &expected["v"];
            let resolved = resolve_plain(scalar).unwrap_or_else(|| panic!("{scalar}: unbuilt"));
            // Debug, so that NaN equals NaN.
            assert_eq!(
                format!("{resolved:?}"),
                format!("{expected:?}"),
                "plain scalar {scalar:?}"
            );
        }
        assert_eq!(resolve_plain(""), Some(serde_yaml::Value::Null));
        // Wider than 64 bits: serde_yaml refuses them, and so the pass leaves them to it.
        for wide in [
            "18446744073709551616",
            "-9223372036854775809",
            "0x1FFFFFFFFFFFFFFFFF",
        ] {
            assert_eq!(resolve_plain(wide), None, "{wide}");
            assert!(serde_value(&format!("v: {wide}")).is_err(), "{wide}");
        }
    }

    #[test]
    fn every_yaml_file_of_the_repository_parses_to_what_serde_yaml_decodes() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|ext| ext == "yaml") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        walk(&root.join("spec"), &mut files);
        walk(&root.join("tests"), &mut files);
        assert!(files.len() > 100, "found only {} YAML files", files.len());
        let mut built = 0;
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            let ours = parse(&text).map(|(node, _)| node.0);
            match (ours, serde_value(&text)) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(ours, theirs, "{}", file.display());
                    built += 1;
                }
                // A document the format refuses, or YAML that is broken: both say so.
                (Err(_), _) => {}
                (Ok(_), Err(error)) => {
                    panic!(
                        "{} is accepted, but serde_yaml says: {error}",
                        file.display()
                    )
                }
            }
        }
        assert!(built > 100, "only {built} files were compared");
    }

    #[test]
    fn documents_the_pass_cannot_build_are_decoded_by_serde_yaml() {
        // A repeated key is serde_yaml's error, at the repeat.
        let error = parse("a: 1\nb: 2\na: 3\n").map(|_| ()).unwrap_err();
        assert!(
            error.message.contains("duplicate entry"),
            "{}",
            error.message
        );
        assert_eq!(error.location, Some(Location { line: 3, column: 1 }));
        // An integer wider than 64 bits.
        assert!(parse("a: 18446744073709551616\n").is_err());
        // A collection as a key.
        let (node, _) = parse("? [a, b]\n: c\n").expect("valid yaml");
        assert_eq!(node.0, serde_value("? [a, b]\n: c\n").unwrap());
        // Nothing at all.
        let (node, _) = parse("").expect("an empty document");
        assert_eq!(node.0, serde_yaml::Value::Null);
    }

    #[test]
    fn records_key_and_value_locations_by_path() {
        let (_, map) = parse(DOC).expect("valid yaml");
        let path = path!["operations", "list", "path"];
        assert_eq!(map.key(&path), Some(Location { line: 4, column: 5 }));
        assert_eq!(
            map.value(&path),
            Some(Location {
                line: 4,
                column: 11
            })
        );
        let second_code = path!["operations", "list", "errors", 1usize, "status"];
        assert_eq!(
            map.key(&second_code),
            Some(Location {
                line: 7,
                column: 20
            })
        );
        assert_eq!(
            map.value(&path!["product"]),
            Some(Location {
                line: 1,
                column: 10
            })
        );
    }

    #[test]
    fn unknown_paths_fall_back_to_the_nearest_ancestor() {
        let (_, map) = parse(DOC).expect("valid yaml");
        let missing = path!["operations", "list", "nope", "deeper"];
        assert_eq!(map.value(&missing), map.value(&path!["operations", "list"]));
    }

    #[test]
    fn syntax_errors_carry_a_location_and_no_duplicate_suffix() {
        let error = parse("a: [1, 2\nb: 3\n").expect_err("unclosed sequence");
        assert_eq!(error.location, Some(Location { line: 2, column: 2 }));
        // The position of the error is reported separately; the context's position stays.
        assert_eq!(
            error.message,
            "did not find expected ',' or ']', while parsing a flow sequence at line 1 column 4"
        );
    }

    #[test]
    fn duplicate_keys_are_located_at_the_repeat() {
        let error = parse("top:\n  a: 1\n  b: 2\n  b: 3\n").expect_err("duplicate key");
        assert!(error.message.contains("duplicate"), "{}", error.message);
        assert_eq!(error.location, Some(Location { line: 4, column: 3 }));
    }

    #[test]
    fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
        // Far deeper than the 2 MiB stack of a test thread allowed a recursive parser to go.
        let text = format!("{}x\n", "- ".repeat(100_000));
        let error = parse(&text).expect_err("deeper than serde_yaml decodes");
        assert!(
            error.message.contains("recursion limit"),
            "{}",
            error.message
        );
    }

    /// Runs `check` on a 2 MiB stack, as a tokio worker or a debug build's main thread has.
    fn on_small_stack(check: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(check)
            .expect("spawn a thread")
            .join()
            .expect("the check passed without overflowing the stack");
    }

    fn refused_at(text: &str) -> (Location, String) {
        let error = parse(text).expect_err("refused");
        (error.location.expect("located"), error.message)
    }

    #[test]
    fn a_megabyte_of_nesting_is_refused_at_the_level_past_the_limit() {
        on_small_stack(|| {
            let megabyte = 1 << 20;
            let flow_sequences =
                format!("{}{}", "[".repeat(megabyte / 2), "]".repeat(megabyte / 2));
            let flow_mappings = format!(
                "{}1{}",
                "{a: ".repeat(megabyte / 5),
                "}".repeat(megabyte / 5)
            );
            let block_sequences = format!("{}x\n", "- ".repeat(megabyte / 2));
            // About 1 MB: each line is indented one space more than the one before.
            let block_mappings: String = (0..1_400)
                .map(|level| format!("{}a:\n", " ".repeat(level)))
                .collect();
            let cases = [
                (
                    flow_sequences,
                    Location {
                        line: 1,
                        column: 129,
                    },
                ),
                (
                    flow_mappings,
                    Location {
                        line: 1,
                        column: 4 * 128 + 1,
                    },
                ),
                (
                    block_sequences,
                    Location {
                        line: 1,
                        column: 2 * 128 + 1,
                    },
                ),
                (
                    block_mappings,
                    Location {
                        line: 129,
                        column: 129,
                    },
                ),
            ];
            for (text, at) in cases {
                assert!(text.len() >= 980_000, "{}", text.len());
                let (location, message) = refused_at(&text);
                assert_eq!(location, at, "{}...", &text[..20]);
                assert!(message.contains("deeper than 128 levels"), "{message}");
            }
        });
    }

    #[test]
    fn nesting_up_to_the_limit_is_accepted_and_located() {
        on_small_stack(|| {
            for depth in [MAX_DEPTH, MAX_DEPTH + 1] {
                let flow = format!("{}x{}", "[".repeat(depth), "]".repeat(depth));
                let mut block: String = (0..depth - 1)
                    .map(|level| format!("{}a:\n", " ".repeat(level)))
                    .collect();
                block.push_str(&format!("{}b: x\n", " ".repeat(depth - 1)));
                for text in [flow, block] {
                    match parse(&text) {
                        Ok((_, map)) => {
                            assert_eq!(depth, MAX_DEPTH);
                            let innermost = if text.starts_with('[') {
                                vec![Segment::Index(0); depth]
                            } else {
                                let mut path = vec![Segment::from("a"); depth - 1];
                                path.push(Segment::from("b"));
                                path
                            };
                            let at = map.value(&innermost).expect("located");
                            assert!(at.line == depth || at.column == depth + 1, "{at}");
                        }
                        Err(error) => {
                            assert_eq!(depth, MAX_DEPTH + 1, "{}", error.message);
                        }
                    }
                }
            }
        });
    }

    /// A wide document just under the limit: every node's path is 128 segments long, which
    /// recording must not copy per node (that took seconds and gigabytes).
    #[test]
    fn wide_documents_at_the_depth_limit_are_located() {
        let mut text: String = (0..126)
            .map(|level| format!("{}k:\n", " ".repeat(level)))
            .collect();
        text.push_str(&" ".repeat(126));
        text.push('[');
        text.push_str(&vec!["a"; 50_000].join(", "));
        text.push_str("]\n");
        let (_, map) = parse(&text).expect("valid YAML");
        let mut last = vec![Segment::from("k"); 126];
        last.push(Segment::Index(49_999));
        assert_eq!(
            map.value(&last),
            Some(Location {
                line: 127,
                column: 127 + 1 + 3 * 49_999
            })
        );
    }

    #[test]
    fn tags_are_refused_where_they_are_written() {
        for (text, at, tag) in [
            ("a: !!str 12\n", Location { line: 1, column: 4 }, "`!!str`"),
            (
                "a: 1\n!key b: 2\n",
                Location { line: 2, column: 1 },
                "`!key`",
            ),
            (
                "a:\n  b: !Custom\n    c: 1\n",
                Location { line: 2, column: 6 },
                "`!Custom`",
            ),
            ("a: [x, !t y]\n", Location { line: 1, column: 8 }, "`!t`"),
            (
                "a: !<tag:x> y\n",
                Location { line: 1, column: 4 },
                "`!<tag:x>`",
            ),
        ] {
            let (location, message) = refused_at(text);
            assert_eq!(location, at, "{text:?}");
            assert!(
                message.contains(tag) && message.contains("tags are not part"),
                "{message}"
            );
        }
    }

    #[test]
    fn anchors_and_aliases_are_refused_quickly() {
        // "Billion laughs": each level repeats the one before nine times.
        let mut laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n".to_owned();
        for level in 1..40 {
            let items = vec![format!("*a{}", level - 1); 9].join(", ");
            laughs.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let (location, message) = refused_at(&laughs);
        assert_eq!(location, Location { line: 1, column: 5 });
        assert!(
            message.contains("`&a0`") && message.contains("anchors and aliases"),
            "{message}"
        );

        let (location, message) = refused_at("a: 1\nb:\n  - &x {c: 1}\n");
        assert_eq!(location, Location { line: 3, column: 5 });
        assert!(message.contains("`&x`"), "{message}");
        // An alias without its anchor is an error too, at the alias.
        let error = parse("a: 1\nb: *nowhere\n").expect_err("unknown alias");
        assert_eq!(error.location.map(|at| at.line), Some(2));
    }

    #[test]
    fn a_second_document_is_refused_at_its_start() {
        let (location, message) = refused_at("a: 1\n---\nb: [[[[\n");
        assert_eq!(location.line, 2);
        assert!(message.contains("second YAML document"), "{message}");
        assert!(parse("---\na: 1\n...\n").is_ok());
    }

    #[test]
    fn bytes_are_located_by_line_and_character() {
        assert_eq!(locate_byte(b"ab\ncd", 4), Location { line: 2, column: 2 });
        assert_eq!(
            locate_byte("é\n\u{e9}x".as_bytes(), 6),
            Location { line: 2, column: 3 }
        );
        assert_eq!(locate_byte(b"\xff\xfe", 2), Location { line: 1, column: 3 });
        assert_eq!(
            locate_byte(b"a\rb\r\nc", 5),
            Location { line: 3, column: 1 }
        );
    }

    #[test]
    fn positions_inside_block_scalars_map_to_the_file() {
        let text = "op:\n  sample: |\n    {\n      \"a\": oops\n    }\n";
        let (_, map) = parse(text).expect("valid yaml");
        // Line 2, column 12 of the sample is `oops`: file line 4, column 12 + 4 of indentation.
        assert_eq!(
            map.inside_block(&path!["op", "sample"], 2, 12),
            Some(Location {
                line: 4,
                column: 16
            })
        );
        assert_eq!(map.inside_block(&path!["op"], 1, 1), None);
    }

    #[test]
    fn tabs_get_a_hint() {
        let error = parse("a:\n\tb: 1\n").expect_err("tab indentation");
        assert!(error.hint.is_some_and(|hint| hint.contains("tab")));
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            status: u16,
        }
        let (node, _) = parse("items:\n  - status: 200\n  - status: oops\n").expect("valid yaml");
        let error = node
            .decode::<std::collections::BTreeMap<String, Vec<Item>>>()
            .expect_err("oops is not a number");
        assert_eq!(error.path, path!["items", 1usize, "status"]);
    }
}
