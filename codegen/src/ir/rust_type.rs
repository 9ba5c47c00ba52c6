//! Rust types of values, and the one mapping from spec types to them.
//!
//! Every place that needs the Rust type of a spec value reads it here: the emitters print it as
//! tokens, `diff` prints it as text for reviewers, and neither maps a spec type itself.

use std::fmt;

use super::names::MODULE_ENUM;
use crate::load::type_expr::TypeExpr;

/// The Rust type of a JSON value, a field, or a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RustType {
    /// `String`.
    String,
    /// `i64` (Zoho's integers, also read from a string of digits).
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Bool,
    /// `zoho_runtime::DateTime` (ISO 8601 with its offset kept).
    DateTime,
    /// `serde_json::Map<String, serde_json::Value>`: any JSON object, kept as it is.
    JsonObject,
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// A type of the version's module (`Attachment`, `AttachmentType`).
    Named(String),
    /// `Box<T>`: a field whose type contains the type it is in, which would otherwise have
    /// an infinite size.
    Boxed(Box<RustType>),
    /// `Option<T>`.
    Option(Box<RustType>),
    /// `zoho_runtime::Tolerant<T>`: a scalar read as `T` when it can be, kept as the JSON value
    /// that came when it cannot.
    Tolerant(Box<RustType>),
}

impl RustType {
    /// The type of a JSON value of spec type `expr`. `None` for the spec types that are no
    /// JSON value (`module`, `file`), which parameters and parts map on their own.
    pub fn of_value(expr: &TypeExpr) -> Option<RustType> {
        Some(match expr {
            TypeExpr::String => RustType::String,
            TypeExpr::Integer => RustType::Integer,
            TypeExpr::Number => RustType::Number,
            TypeExpr::Boolean => RustType::Bool,
            TypeExpr::DateTime => RustType::DateTime,
            TypeExpr::Object => RustType::JsonObject,
            TypeExpr::List(inner) => RustType::Vec(Box::new(RustType::of_value(inner)?)),
            TypeExpr::Named(name) => RustType::Named(name.clone()),
            TypeExpr::Module | TypeExpr::File => return None,
        })
    }

    /// `Option<self>`.
    pub fn optional(self) -> RustType {
        RustType::Option(Box::new(self))
    }

    /// `Tolerant<self>`.
    pub fn tolerant(self) -> RustType {
        RustType::Tolerant(Box::new(self))
    }

    /// The named type this one is or holds, through `Vec`, `Box` and `Option`.
    pub fn named(&self) -> Option<&str> {
        match self {
            RustType::Named(name) => Some(name),
            RustType::Vec(inner)
            | RustType::Boxed(inner)
            | RustType::Option(inner)
            | RustType::Tolerant(inner) => inner.named(),
            _ => None,
        }
    }

    /// The named type this one holds inline (not through a `Vec`, which has a size of its
    /// own): what makes a struct contain another.
    pub fn inline_named(&self) -> Option<&str> {
        match self {
            RustType::Named(name) => Some(name),
            RustType::Option(inner) => inner.inline_named(),
            _ => None,
        }
    }
}

/// As the generated code spells it, without paths: `Vec<Option<i64>>`.
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::String => f.write_str("String"),
            RustType::Integer => f.write_str("i64"),
            RustType::Number => f.write_str("f64"),
            RustType::Bool => f.write_str("bool"),
            RustType::DateTime => f.write_str("DateTime"),
            RustType::JsonObject => f.write_str("Map<String, Value>"),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::Named(name) => f.write_str(name),
            RustType::Boxed(inner) => write!(f, "Box<{inner}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Tolerant(inner) => write!(f, "Tolerant<{inner}>"),
        }
    }
}

/// What a path or query parameter takes, decided from its spec type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamInput {
    /// Text, taken as `impl Into<String>`.
    Text,
    /// An `i64`.
    Integer,
    /// A `bool`.
    Boolean,
    /// The version's module enumeration, or the module set of this name.
    Module(String),
    /// Text values sent comma-separated, taken as any iterable of `impl Into<String>`.
    TextList,
    /// Integers sent comma-separated, taken as any iterable of `i64`.
    IntegerList,
}

impl ParamInput {
    /// The input of a parameter of spec type `expr`, restricted to `set` when it is a module
    /// parameter. `None` for a type no parameter takes (validation refuses those).
    pub fn of(expr: &TypeExpr, set: Option<&str>) -> Option<ParamInput> {
        Some(match expr {
            TypeExpr::String => ParamInput::Text,
            TypeExpr::Integer => ParamInput::Integer,
            TypeExpr::Boolean => ParamInput::Boolean,
            TypeExpr::Module => ParamInput::Module(set.unwrap_or(MODULE_ENUM).to_owned()),
            TypeExpr::List(inner) => match **inner {
                TypeExpr::String => ParamInput::TextList,
                TypeExpr::Integer => ParamInput::IntegerList,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Whether the builder can copy the stored value out (`i64`, `bool`) rather than borrow.
    pub fn is_copy(&self) -> bool {
        matches!(self, ParamInput::Integer | ParamInput::Boolean)
    }

    /// The type of the method argument, as reviewers read it: `impl Into<String>`.
    pub fn argument(&self) -> String {
        match self {
            ParamInput::Text => "impl Into<String>".to_owned(),
            ParamInput::Integer => "i64".to_owned(),
            ParamInput::Boolean => "bool".to_owned(),
            ParamInput::Module(name) => name.clone(),
            ParamInput::TextList => "impl IntoIterator<Item = impl Into<String>>".to_owned(),
            ParamInput::IntegerList => "impl IntoIterator<Item = i64>".to_owned(),
        }
    }
}

/// What a multipart part takes, decided from its spec type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartInput {
    /// File content: a path, bytes or a reader (`impl Into<FilePart>`).
    File,
    /// Text (`impl Into<String>`).
    Text,
}

impl PartInput {
    /// The input of a part of spec type `expr`; `None` for a type no part takes.
    pub fn of(expr: &TypeExpr) -> Option<PartInput> {
        match expr {
            TypeExpr::File => Some(PartInput::File),
            TypeExpr::String => Some(PartInput::Text),
            _ => None,
        }
    }

    /// The type of its argument, as reviewers read it.
    pub fn argument(self) -> &'static str {
        match self {
            PartInput::File => "impl Into<FilePart>",
            PartInput::Text => "impl Into<String>",
        }
    }
}

/// A fixed value the spec gives (a key's default, a value a composite sets).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// An integer.
    Integer(i64),
    /// Text.
    String(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Integer(number) => write!(f, "{number}"),
            Scalar::String(text) => write!(f, "{text:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_types_map_once() {
        let list = TypeExpr::List(Box::new(TypeExpr::Named("User".into())));
        let value = RustType::of_value(&list).expect("a value type");
        assert_eq!(value.to_string(), "Vec<User>");
        assert_eq!(value.named(), Some("User"));
        assert_eq!(value.inline_named(), None);
        assert_eq!(
            RustType::Named("User".into()).optional().inline_named(),
            Some("User")
        );
        assert_eq!(RustType::of_value(&TypeExpr::File), None);
        assert_eq!(
            ParamInput::of(&TypeExpr::Module, Some("PhotoModule")).map(|input| input.argument()),
            Some("PhotoModule".to_owned())
        );
        assert_eq!(
            ParamInput::of(&TypeExpr::List(Box::new(TypeExpr::Integer)), None),
            Some(ParamInput::IntegerList)
        );
    }
}
