//! Everything that knows about YAML, in one small module.
//!
//! serde_yaml decodes values but forgets where they came from, so a second pass over the
//! parser's events (yaml-rust2, which reports a marker per event) records the line and column of
//! every key and value by its path. Decoding errors carry a path (via serde_path_to_error), and
//! the path finds the location. Nothing outside this module sees either YAML library.

use std::collections::HashMap;
use std::fmt;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

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
        ::std::vec::Vec::<$crate::yaml::Segment>::from([$($crate::yaml::Segment::from($segment)),*])
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

/// Where a key and its value start.
#[derive(Debug, Clone, Copy)]
struct Span {
    key: Option<Location>,
    value: Location,
}

/// Locations of every node of a document, by path.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    spans: HashMap<Path, Span>,
    /// The document, to find positions inside block scalars.
    text: std::sync::Arc<str>,
}

impl SourceMap {
    /// Where the value at `path` starts, or the nearest enclosing node's start.
    pub fn value(&self, path: &[Segment]) -> Option<Location> {
        self.nearest(path).map(|span| span.value)
    }

    /// Where the key of the entry at `path` starts (its value's start for sequence items), or
    /// the nearest enclosing node's.
    pub fn key(&self, path: &[Segment]) -> Option<Location> {
        self.nearest(path)
            .map(|span| span.key.unwrap_or(span.value))
    }

    /// The file position of `line`/`column` (from 1) inside the block scalar (`|` or `>`) at
    /// `path`, e.g. to place an error found in an embedded JSON sample. `None` when the value is
    /// not a block scalar.
    pub fn inside_block(&self, path: &[Segment], line: usize, column: usize) -> Option<Location> {
        let span = self.spans.get(path)?;
        // The parser marks a block scalar where its content starts, on a line after its key
        // whose remainder is the `|` or `>` indicator.
        let key = span.key?;
        let header = self.text.lines().nth(key.line.checked_sub(1)?)?;
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
        let width = self
            .text
            .lines()
            .nth(line - 1)
            .map_or(0, |text| text.chars().count());
        Some(Location {
            line,
            column: (span.value.column + column.max(1) - 1).min(width + 1),
        })
    }

    fn nearest(&self, path: &[Segment]) -> Option<&Span> {
        (0..=path.len())
            .rev()
            .find_map(|len| self.spans.get(&path[..len]))
    }
}

/// A parsed YAML node. Opaque: decode it into a serde type, or split a mapping into entries.
#[derive(Debug, Clone)]
pub struct Node(serde_yaml::Value);

/// A document that is not valid YAML.
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
pub fn parse(text: &str) -> Result<(Node, SourceMap), SyntaxError> {
    // Should the event parser disagree with serde_yaml, locations degrade to "unknown" rather
    // than failing the load: serde_yaml decides what the document is.
    let recorder = record_locations(text);
    let recorded = recorder.is_some();
    let recorder = recorder.unwrap_or_default();
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let message = strip_location_suffix(&error.to_string());
        let mut location = error.location().map(|at| Location {
            line: at.line(),
            column: at.column(),
        });
        // serde_yaml places a repeated key at the start of its mapping; point at the repeat.
        if message.contains("duplicate entry") && recorder.duplicate.is_some() {
            location = recorder.duplicate;
        }
        let hint = location
            .and_then(|at| text.lines().nth(at.line.saturating_sub(1)))
            .filter(|line| line.contains('\t'))
            .map(|_| "YAML indents with spaces; this line has a tab".to_owned());
        SyntaxError {
            location,
            message,
            hint,
        }
    })?;
    let map = SourceMap {
        spans: if recorded {
            recorder.spans
        } else {
            HashMap::new()
        },
        text: text.into(),
    };
    Ok((Node(value), map))
}

impl Node {
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

/// Deeper than any spec and deeper than serde_yaml decodes (its limit is 128), so a document
/// that reaches it is rejected by serde_yaml with its own message.
const MAX_DEPTH: usize = 256;

/// Runs the event parser over the first document, one event at a time. yaml-rust2's own
/// `Parser::load` recurses once per nesting level, so a deeply nested file would overflow the
/// stack and abort the process; here depth is a counter, and past [`MAX_DEPTH`] (or on a
/// syntax error) locations are given up on: `None`.
fn record_locations(text: &str) -> Option<Recorder> {
    let mut parser = Parser::new_from_str(text);
    let mut recorder = Recorder::default();
    while !recorder.done {
        let (event, mark) = parser.next_token().ok()?;
        if event == Event::StreamEnd {
            break;
        }
        recorder.on_event(event, mark);
        if recorder.stack.len() > MAX_DEPTH {
            return None;
        }
    }
    Some(recorder)
}

/// What the event recorder is inside of.
enum Frame {
    Mapping {
        path: Path,
        expecting_key: bool,
        key: Option<(String, Location)>,
        seen: std::collections::HashSet<String>,
    },
    Sequence {
        path: Path,
        next: usize,
    },
}

/// Turns parser events into a path → location table.
#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    spans: HashMap<Path, Span>,
    /// The first key repeated within one mapping.
    duplicate: Option<Location>,
    done: bool,
}

impl Recorder {
    /// Claims the position of the node that starts now: its path and its key's location.
    /// Returns `None` for a mapping key (which is remembered instead of recorded).
    fn place_node(
        &mut self,
        scalar_key: Option<&str>,
        at: Location,
    ) -> Option<(Path, Option<Location>)> {
        match self.stack.last_mut() {
            None => Some((Vec::new(), None)),
            Some(Frame::Sequence { path, next }) => {
                let mut child = path.clone();
                child.push(Segment::Index(*next));
                *next += 1;
                Some((child, None))
            }
            Some(Frame::Mapping {
                path,
                expecting_key,
                key,
                seen,
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
                    let mut child = path.clone();
                    child.push(Segment::Key(name));
                    Some((child, Some(key_at)))
                }
            }
        }
    }

    fn record(&mut self, path: &Path, key: Option<Location>, value: Location) {
        self.spans
            .entry(path.clone())
            .or_insert(Span { key, value });
    }

    fn on_event(&mut self, event: Event, mark: Marker) {
        let at = Location {
            line: mark.line(),
            // yaml-rust2 counts lines from 1 but columns from 0.
            column: mark.col() + 1,
        };
        match event {
            Event::Scalar(ref text, ..) => {
                if let Some((path, key)) = self.place_node(Some(text), at) {
                    self.record(&path, key, at);
                }
            }
            Event::Alias(_) => {
                if let Some((path, key)) = self.place_node(None, at) {
                    self.record(&path, key, at);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_mapping = matches!(event, Event::MappingStart(..));
                // A collection used as a mapping key is not addressable by path: track it under
                // a placeholder so the rest of the document still lines up.
                let (path, key) = self
                    .place_node(None, at)
                    .unwrap_or_else(|| (vec![Segment::Key("?".to_owned())], None));
                self.record(&path, key, at);
                self.stack.push(if is_mapping {
                    Frame::Mapping {
                        path,
                        expecting_key: true,
                        key: None,
                        seen: std::collections::HashSet::new(),
                    }
                } else {
                    Frame::Sequence { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::DocumentEnd => self.done = true,
            _ => {}
        }
    }
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
