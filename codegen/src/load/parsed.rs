//! Values the spec writes as text but means as structure (`list<Attachment>`, a path template,
//! a scope template), parsed once, when the file is loaded.
//!
//! Loading never fails on them: a [`Parsed`] keeps the text as written and either what it
//! means or why it means nothing, so that `validate` reports every bad value in one run, with
//! its location, and every later stage reads the meaning without parsing again.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::type_expr::TypeExpr;
use crate::ident;

/// A kind of value written as text in the spec.
pub trait SpecText: Sized {
    /// What the JSON Schema says about the text.
    const DESCRIPTION: &'static str;

    /// The meaning of `text`, or a message saying what was expected.
    fn parse(text: &str) -> Result<Self, String>;
}

/// Text of the spec and its meaning, parsed on load.
#[derive(Clone)]
pub struct Parsed<T> {
    text: String,
    value: Result<T, String>,
}

impl<T: SpecText> Parsed<T> {
    /// Parses `text`.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let value = T::parse(&text);
        Self { text, value }
    }
}

impl<T> Parsed<T> {
    /// The text as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The meaning; `None` when the text is malformed (`validate` reports it).
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().ok()
    }

    /// The meaning, for stages after validation, which has reported every malformed value:
    /// one left means a bug in the generator, said so in the error.
    pub fn valid(&self) -> Result<&T, String> {
        self.value
            .as_ref()
            .map_err(|why| format!("`{}` reached lowering unvalidated: {why}", self.text))
    }

    /// Why the text means nothing, when it does not.
    pub fn error(&self) -> Option<&str> {
        self.value.as_ref().err().map(String::as_str)
    }
}

/// The text as written, for messages.
impl<T> fmt::Display for Parsed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T: fmt::Debug> fmt::Debug for Parsed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Ok(value) => value.fmt(f),
            Err(_) => write!(f, "Malformed({:?})", self.text),
        }
    }
}

/// Equal when they mean the same (`list< string >` is `list<string>`), or, when either is
/// malformed, when they are spelt the same.
impl<T: PartialEq> PartialEq for Parsed<T> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.value, &other.value) {
            (Ok(a), Ok(b)) => a == b,
            _ => self.text.trim() == other.text.trim(),
        }
    }
}

impl<T: PartialEq> Eq for Parsed<T> {}

impl<'de, T: SpecText> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Parsed::new)
    }
}

impl<T> Serialize for Parsed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<T: SpecText> JsonSchema for Parsed<T> {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("string")
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "description": T::DESCRIPTION })
    }
}

impl SpecText for TypeExpr {
    const DESCRIPTION: &'static str =
        "string, integer, number, boolean, datetime, object, list<T>, a type name, module or file";

    fn parse(text: &str) -> Result<Self, String> {
        TypeExpr::parse(text)
    }
}

/// What a successful answer holds: file content, or JSON of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseType {
    /// File content (`binary`).
    Binary,
    /// JSON of this type (an object type name, or `list<Name>`).
    Json(TypeExpr),
}

impl ResponseType {
    /// The JSON type, unless the answer is a file.
    pub fn json(&self) -> Option<&TypeExpr> {
        match self {
            ResponseType::Binary => None,
            ResponseType::Json(expr) => Some(expr),
        }
    }
}

impl SpecText for ResponseType {
    const DESCRIPTION: &'static str = "an object type name, list<Name>, or binary for file content";

    fn parse(text: &str) -> Result<Self, String> {
        if text.trim() == "binary" {
            Ok(ResponseType::Binary)
        } else {
            TypeExpr::parse(text).map(ResponseType::Json)
        }
    }
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Sent as written.
    Literal(String),
    /// `{name}`: a path parameter.
    Param(String),
}

/// A path template after the server prefix, `/{module_api_name}/{record_id}/Attachments`,
/// checked segment by segment: each segment is a parameter or literal text of URL-safe
/// characters, never `.` or `..`, never a query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    segments: Vec<PathSegment>,
}

impl PathTemplate {
    /// The segments, in order.
    pub fn segments(&self) -> &[PathSegment] {
        &self.segments
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }

    /// The route shape, parameters blanked: `/{}/{}/Attachments` for two templates that
    /// differ only in parameter names.
    pub fn route(&self) -> String {
        self.segments
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) => format!("/{text}"),
                PathSegment::Param(_) => "/{}".to_owned(),
            })
            .collect()
    }
}

impl SpecText for PathTemplate {
    const DESCRIPTION: &'static str =
        "a path after the server prefix: /-separated segments, each {param} or literal text";

    fn parse(template: &str) -> Result<Self, String> {
        let Some(rest) = template.strip_prefix('/') else {
            return Err(format!("the path `{template}` must start with `/`"));
        };
        let mut segments = Vec::new();
        for segment in rest.split('/') {
            if segment.is_empty() {
                return Err(format!("the path `{template}` has an empty segment"));
            }
            let found = placeholders(segment)?;
            segments.push(match found.as_slice() {
                [] => {
                    if segment == "." || segment == ".." {
                        return Err(format!(
                            "the path `{template}` has a `{segment}` segment, which would \
                             leave the operation's path"
                        ));
                    }
                    if let Some(bad) = segment.chars().find(|c| !is_path_char(*c)) {
                        return Err(format!(
                            "`{}` is not allowed in the path segment `{segment}`: literal \
                             segments hold letters, digits and `-._~` (no query or fragment)",
                            bad.escape_default()
                        ));
                    }
                    PathSegment::Literal(segment.to_owned())
                }
                [name] if segment == format!("{{{name}}}") => {
                    if !ident::is_identifier(name) {
                        return Err(format!("`{{{name}}}` is not a parameter name"));
                    }
                    PathSegment::Param(name.clone())
                }
                _ => {
                    return Err(format!(
                        "`{segment}`: a placeholder must be a whole path segment"
                    ));
                }
            });
        }
        Ok(Self { segments })
    }
}

/// RFC 3986's unreserved characters: safe in a path segment as they are.
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// One piece of a scope template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopePiece {
    /// Text as written.
    Literal(String),
    /// `{module}` or `{operation}` (any name parses; `validate` checks it is one of those).
    Placeholder(String),
}

/// A scope template, `ZohoCRM.modules.{module}.{operation}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeTemplate {
    pieces: Vec<ScopePiece>,
}

impl ScopeTemplate {
    /// The placeholder names, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            ScopePiece::Placeholder(name) => Some(name.as_str()),
            ScopePiece::Literal(_) => None,
        })
    }
}

impl SpecText for ScopeTemplate {
    const DESCRIPTION: &'static str = "an OAuth scope, with {module} and {operation} standing for the module's scope name and \
         each operation type";

    fn parse(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Err("the scope is empty".to_owned());
        }
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(format!("`{text}` has a `}}` without a `{{`"));
            }
            if open > 0 {
                pieces.push(ScopePiece::Literal(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("`{text}` has a `{{` without a `}}`"))?;
            let name = &after[..close];
            if name.contains('{') || name.is_empty() {
                return Err(format!("`{text}` has a malformed placeholder"));
            }
            pieces.push(ScopePiece::Placeholder(name.to_owned()));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(ScopePiece::Literal(rest.to_owned()));
        }
        Ok(Self { pieces })
    }
}

/// The `{name}` placeholders of a template string, checking braces are balanced.
fn placeholders(text: &str) -> Result<Vec<String>, String> {
    ScopeTemplate::parse(text).map(|template| {
        template
            .placeholders()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_literals_and_params() {
        let path = PathTemplate::parse("/{module_api_name}/{record_id}/Attachments").expect("ok");
        assert_eq!(
            path.params().collect::<Vec<_>>(),
            ["module_api_name", "record_id"]
        );
        assert_eq!(path.route(), "/{}/{}/Attachments");
        // Routes ignore parameter names.
        let renamed = PathTemplate::parse("/{m}/{r}/Attachments").expect("ok");
        assert_eq!(path.route(), renamed.route());
    }

    #[test]
    fn paths_are_checked_segment_by_segment() {
        for bad in [
            "no/slash",
            "/{a}.json",
            "/{a/b",
            "/a}/b",
            "/a//b",
            "/a/../b",
            "/a/./b",
            "/a/b?x=1",
            "/a/b#top",
            "/a/%2e%2e",
            "/a b",
            "/{1a}",
        ] {
            assert!(PathTemplate::parse(bad).is_err(), "{bad}");
        }
        assert!(PathTemplate::parse("/contracts/{contractApiName}/attachments").is_ok());
    }

    #[test]
    fn scopes_keep_literals_and_placeholders() {
        let scope = ScopeTemplate::parse("ZohoCRM.modules.{module}.{operation}").expect("ok");
        assert_eq!(
            scope.placeholders().collect::<Vec<_>>(),
            ["module", "operation"]
        );
        for bad in ["", "a{b", "a}b", "a{}b", "{a{b}}"] {
            assert!(ScopeTemplate::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_malformed_value_loads_and_says_why() {
        let parsed: Parsed<TypeExpr> = Parsed::new("list<string");
        assert_eq!(parsed.text(), "list<string");
        assert!(parsed.get().is_none());
        assert!(parsed.error().is_some_and(|why| why.contains("closing")));
        assert_eq!(
            Parsed::<TypeExpr>::new("list< string >"),
            Parsed::new("list<string>")
        );
    }
}
