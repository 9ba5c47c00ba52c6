//! The little language of `type:` values: `string`, `list<Attachment>`, `module`, ...

use std::fmt;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// A JSON string.
    String,
    /// A JSON integer (also accepted as a string of digits, a Zoho habit).
    Integer,
    /// A JSON number.
    Number,
    /// A JSON boolean.
    Boolean,
    /// An ISO 8601 date and time with offset.
    DateTime,
    /// Any JSON object, kept as is.
    Object,
    /// A JSON array.
    List(Box<TypeExpr>),
    /// A type defined under `types:`.
    Named(String),
    /// The version's module enumeration (parameters only).
    Module,
    /// File content (multipart parts only).
    File,
}

/// Where a type expression is used; each place allows a different subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeContext {
    /// A key of a JSON object.
    Key,
    /// A path parameter.
    PathParam,
    /// A query parameter.
    QueryParam,
    /// A multipart part.
    Part,
}

impl TypeExpr {
    /// Parses `text`; the error says what was expected.
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix("list<") {
            let inner = inner
                .strip_suffix('>')
                .ok_or_else(|| format!("`{text}` is missing its closing `>`"))?;
            return Ok(TypeExpr::List(Box::new(TypeExpr::parse(inner)?)));
        }
        Ok(match text {
            "string" => TypeExpr::String,
            "integer" => TypeExpr::Integer,
            "number" => TypeExpr::Number,
            "boolean" => TypeExpr::Boolean,
            "datetime" => TypeExpr::DateTime,
            "object" => TypeExpr::Object,
            "module" => TypeExpr::Module,
            "file" => TypeExpr::File,
            "" => return Err("the type is empty".to_owned()),
            name if is_type_name(name) => TypeExpr::Named(name.to_owned()),
            other => {
                return Err(format!(
                    "`{other}` is not a type: use string, integer, number, boolean, datetime, \
                     object, list<T> or a type name in CamelCase"
                ));
            }
        })
    }

    /// Whether a key of this type may be `tolerant`: a scalar whose raw JSON value the field
    /// can keep when it cannot be read.
    pub fn is_tolerable(&self) -> bool {
        matches!(
            self,
            TypeExpr::String
                | TypeExpr::Integer
                | TypeExpr::Number
                | TypeExpr::Boolean
                | TypeExpr::DateTime
        )
    }

    /// Whether the expression may be used in `context`; the error says why not.
    pub fn check_context(&self, context: TypeContext) -> Result<(), String> {
        let allowed = match (context, self) {
            (TypeContext::Key, TypeExpr::Module | TypeExpr::File) => false,
            (TypeContext::Key, TypeExpr::List(inner)) => inner.check_context(context).is_ok(),
            (TypeContext::Key, _) => true,
            (TypeContext::PathParam, TypeExpr::String | TypeExpr::Integer | TypeExpr::Module) => {
                true
            }
            (TypeContext::QueryParam, TypeExpr::String | TypeExpr::Integer | TypeExpr::Boolean) => {
                true
            }
            (TypeContext::QueryParam, TypeExpr::List(inner)) => {
                matches!(**inner, TypeExpr::String | TypeExpr::Integer)
            }
            (TypeContext::Part, TypeExpr::File | TypeExpr::String) => true,
            _ => false,
        };
        if allowed {
            return Ok(());
        }
        Err(match context {
            TypeContext::Key => format!("`{self}` cannot be the type of a JSON key"),
            TypeContext::PathParam => {
                format!("a path parameter must be string, integer or module, not `{self}`")
            }
            TypeContext::QueryParam => format!(
                "a query parameter must be string, integer, boolean, list<string> or \
                 list<integer>, not `{self}`"
            ),
            TypeContext::Part => format!("a multipart part must be file or string, not `{self}`"),
        })
    }

    /// The named types this expression refers to.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeExpr::Named(name) => Some(name),
            TypeExpr::List(inner) => inner.named(),
            _ => None,
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Integer => f.write_str("integer"),
            TypeExpr::Number => f.write_str("number"),
            TypeExpr::Boolean => f.write_str("boolean"),
            TypeExpr::DateTime => f.write_str("datetime"),
            TypeExpr::Object => f.write_str("object"),
            TypeExpr::List(inner) => write!(f, "list<{inner}>"),
            TypeExpr::Named(name) => f.write_str(name),
            TypeExpr::Module => f.write_str("module"),
            TypeExpr::File => f.write_str("file"),
        }
    }
}

/// CamelCase: an ASCII capital, then ASCII letters and digits.
pub fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_primitives_lists_and_names() {
        assert_eq!(TypeExpr::parse("string"), Ok(TypeExpr::String));
        assert_eq!(
            TypeExpr::parse("list<Attachment>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Named(
                "Attachment".into()
            ))))
        );
        assert_eq!(
            TypeExpr::parse("list<list<integer>>").map(|t| t.to_string()),
            Ok("list<list<integer>>".to_owned())
        );
    }

    #[test]
    fn rejects_malformed_expressions() {
        assert!(TypeExpr::parse("list<string").is_err());
        assert!(TypeExpr::parse("attachment").is_err());
        assert!(TypeExpr::parse("").is_err());
        assert!(TypeExpr::parse("Map<String>").is_err());
    }

    #[test]
    fn contexts_allow_their_subsets() {
        let module = TypeExpr::Module;
        assert!(module.check_context(TypeContext::PathParam).is_ok());
        assert!(module.check_context(TypeContext::Key).is_err());
        let strings = TypeExpr::parse("list<string>").expect("valid");
        assert!(strings.check_context(TypeContext::QueryParam).is_ok());
        assert!(strings.check_context(TypeContext::PathParam).is_err());
        assert!(TypeExpr::File.check_context(TypeContext::Part).is_ok());
        assert!(TypeExpr::Integer.check_context(TypeContext::Part).is_err());
    }
}
