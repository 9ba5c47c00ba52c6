//! Diagnostics: every problem found in a spec, located, coded and rendered like a compiler's.

use std::fmt;

use anstyle::{AnsiColor, Style};

use crate::load::yaml::Location;

/// Stable identifiers of the kinds of problem, documented in `spec/README.md`.
///
/// The string form (`unknown-key`) is what users see and what tests pin; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A file or folder could not be read.
    Io,
    /// The file is not valid YAML (including duplicate keys).
    YamlSyntax,
    /// A key the format does not know.
    UnknownKey,
    /// A key the format requires is absent.
    MissingKey,
    /// A value of the wrong kind (a list where a string belongs, a word where a number does).
    InvalidValue,
    /// `shared.yaml` is absent.
    MissingShared,
    /// Two files describe the same product and version.
    DuplicateApi,
    /// Two operations share a method and path.
    DuplicateRoute,
    /// A reference to something not defined (product, host set, data centre, type, error code).
    UnknownReference,
    /// A path template that is malformed or disagrees with its path parameters.
    PathTemplate,
    /// A type expression that is malformed or not allowed where it is used.
    BadType,
    /// A module reference where the version has no modules, or a module entry that is wrong.
    Module,
    /// A scope template that is malformed or refers to what the operation does not have.
    ScopeTemplate,
    /// An error code whose HTTP status disagrees with `shared.yaml` or with itself.
    ErrorStatus,
    /// A name that does not follow the naming rules (snake_case operations, CamelCase types,
    /// package and spec file names).
    BadName,
    /// Two names that become the same Rust identifier.
    NameCollision,
    /// A sample response that is not valid JSON.
    SampleJson,
    /// A sample response that does not fit the operation's declared response type.
    SampleShape,
    /// A required documentation text is empty.
    EmptyDoc,
    /// A `source` (or origin) that is not an absolute https URL.
    BadUrl,
    /// Text that tools would misread: control or bidirectional characters, a code block.
    BadText,
    /// An HTTP method Zoho does not use.
    BadMethod,
    /// A version that is not `v<major>` or `v<major>.<minor>`.
    BadVersion,
    /// Enumeration values that are empty, duplicated or of mixed kinds.
    EnumValues,
    /// A multipart body whose alternatives or parts are malformed.
    Multipart,
    /// An `effect` that the operation's method, body or answer contradicts.
    Effect,
    /// The generator produced code it could not format: a bug in the generator.
    Internal,
}

impl Code {
    /// Every code, for documentation and tests.
    pub const ALL: &'static [Code] = &[
        Code::Io,
        Code::YamlSyntax,
        Code::UnknownKey,
        Code::MissingKey,
        Code::InvalidValue,
        Code::MissingShared,
        Code::DuplicateApi,
        Code::DuplicateRoute,
        Code::UnknownReference,
        Code::PathTemplate,
        Code::BadType,
        Code::Module,
        Code::ScopeTemplate,
        Code::ErrorStatus,
        Code::BadName,
        Code::NameCollision,
        Code::SampleJson,
        Code::SampleShape,
        Code::EmptyDoc,
        Code::BadUrl,
        Code::BadText,
        Code::BadMethod,
        Code::BadVersion,
        Code::EnumValues,
        Code::Multipart,
        Code::Effect,
        Code::Internal,
    ];

    /// The stable kebab-case identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::YamlSyntax => "yaml-syntax",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::InvalidValue => "invalid-value",
            Code::MissingShared => "missing-shared",
            Code::DuplicateApi => "duplicate-api",
            Code::DuplicateRoute => "duplicate-route",
            Code::UnknownReference => "unknown-reference",
            Code::PathTemplate => "path-template",
            Code::BadType => "bad-type",
            Code::Module => "module",
            Code::ScopeTemplate => "scope-template",
            Code::ErrorStatus => "error-status",
            Code::BadName => "bad-name",
            Code::NameCollision => "name-collision",
            Code::SampleJson => "sample-json",
            Code::SampleShape => "sample-shape",
            Code::EmptyDoc => "empty-doc",
            Code::BadUrl => "bad-url",
            Code::BadText => "bad-text",
            Code::BadMethod => "bad-method",
            Code::BadVersion => "bad-version",
            Code::EnumValues => "enum-values",
            Code::Multipart => "multipart",
            Code::Effect => "effect",
            Code::Internal => "internal",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, where it is and what might fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it (`spec/crm-v7.yaml`).
    pub file: String,
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// What kind of problem.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// What might fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a hint.
    pub fn new(
        file: impl Into<String>,
        location: Option<Location>,
        code: Code,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            location,
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Renders with ANSI styles; write it through `anstream` to strip them off a non-terminal.
    pub fn styled(&self) -> String {
        let bold = Style::new().bold();
        let error = AnsiColor::Red.on_default().bold();
        let hint = AnsiColor::Cyan.on_default().bold();
        let mut out = format!(
            "{bold}{}{bold:#}: {error}error[{}]{error:#}: {bold}{}{bold:#}",
            self.position(),
            self.code,
            self.message
        );
        if let Some(text) = &self.hint {
            out.push_str(&format!("\n  {hint}= hint:{hint:#} {text}"));
        }
        out
    }

    fn position(&self) -> String {
        match self.location {
            Some(at) => format!("{}:{}:{}", self.file, at.line, at.column),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: error[{}]: {}",
            self.position(),
            self.code,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, then position, then code, so reports are stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.location, a.code, &a.message).cmp(&(&b.file, b.location, b.code, &b.message))
    });
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::levenshtein(&word.to_lowercase(), &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, candidate)| *distance <= (candidate.len().max(word.len()) / 3).max(1))
        .min()
        .map(|(_, candidate)| candidate)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn suggestion<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates).map(|candidate| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_code_and_hint() {
        let diagnostic = Diagnostic::new(
            "spec/crm-v7.yaml",
            Some(Location { line: 3, column: 7 }),
            Code::UnknownReference,
            "module `Sales_Order` is not defined",
        )
        .with_hint("did you mean `Sales_Orders`?");
        assert_eq!(
            diagnostic.to_string(),
            "spec/crm-v7.yaml:3:7: error[unknown-reference]: module `Sales_Order` is not defined\n  \
             = hint: did you mean `Sales_Orders`?"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["Sales_Orders", "Purchase_Orders", "Leads"];
        assert_eq!(did_you_mean("Sales_Order", names), Some("Sales_Orders"));
        assert_eq!(did_you_mean("leads", names), Some("Leads"));
        assert_eq!(did_you_mean("Appointments", names), None);
    }

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "duplicate code {text}");
            assert!(
                text.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{text}"
            );
        }
    }
}
