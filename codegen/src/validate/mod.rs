//! Semantic checks on a decoded spec: every problem, each located, none fatal to the search.
//!
//! Decoding (in `load`) already guarantees the shape; this pass checks meaning: references
//! resolve, templates agree with their parameters, names survive the trip to Rust, and what the
//! pages say about one error code agrees with itself and with `shared.yaml`.
//!
//! One module per part of the format: `text` (every string, whatever field it is in),
//! `shared` (`shared.yaml`), then for each product/version file `header` (version, server,
//! modules and module sets), `types`, `operations` (route, parameters, body, samples, with
//! `sample` checking a sample answer against its type), `scopes`, `responses` (status,
//! empty answers, outcomes, paging), `errors` and `composites`. Name collisions in Rust are
//! checked later, on the IR's final names (`ir::check`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::load::model::{ApiSpec, KeyDef, OperationDef, ParamLocation, ScalarValue, SharedSpec};
use crate::load::parsed::{Parsed, ResponseType};
use crate::load::{LoadedSpec, SpecFile};

use crate::diag::{Code, Diagnostic, suggestion};
use crate::ident;
use crate::load::type_expr::{TypeContext, TypeExpr, is_type_name};
use crate::load::yaml::Segment;
use crate::path;

mod composites;
mod errors;
mod header;
mod operations;
mod responses;
mod sample;
mod scopes;
mod shared;
mod text;
mod types;

/// HTTP methods Zoho's APIs use.
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Checks the whole spec; an empty result means the generator may proceed.
pub fn validate(spec: &LoadedSpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    text::check(&spec.shared, &mut out);
    shared::check_shared(&spec.shared, &mut out);
    let mut seen: HashMap<(String, String), &str> = HashMap::new();
    for file in &spec.apis {
        let key = (file.spec.product.clone(), file.spec.version.clone());
        if let Some(first) = seen.insert(key, &file.display_path) {
            out.push(
                file.at(
                    &path!["version"],
                    Code::DuplicateApi,
                    format!(
                        "{} {} is already described by {first}",
                        file.spec.product, file.spec.version
                    ),
                )
                .with_hint("keep one file per product and version"),
            );
        }
        text::check(file, &mut out);
        ApiChecker {
            shared: &spec.shared.spec,
            file,
            out: &mut out,
        }
        .check();
    }
    out
}

/// Checks one product/version file against itself and `shared.yaml`.
struct ApiChecker<'a> {
    shared: &'a SharedSpec,
    file: &'a SpecFile<ApiSpec>,
    out: &'a mut Vec<Diagnostic>,
}

impl ApiChecker<'_> {
    fn api(&self) -> &ApiSpec {
        &self.file.spec
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    fn check(mut self) {
        self.check_header();
        self.check_modules();
        self.check_types();
        self.check_module_sets();
        self.check_composites();
        let mut routes: HashMap<(String, String), String> = HashMap::new();
        let operations: Vec<_> = self.api().operations.keys().cloned().collect();
        for name in operations {
            let operation = &self.file.spec.operations[&name];
            // A malformed path is reported on its own; it has no route to compare.
            let route = operation
                .path
                .get()
                .map(|path| (operation.method.clone(), path.route()));
            if let Some(route) = route
                && let Some(first) = routes.insert(route, name.clone())
            {
                let diagnostic = self.file.at(
                    &path!["operations", &name, "path"],
                    Code::DuplicateRoute,
                    format!(
                        "`{} {}` is already operation `{first}`",
                        operation.method, operation.path
                    ),
                );
                self.push(diagnostic);
            }
            self.check_operation(&name, operation);
        }
    }

    /// Reports a malformed or unresolved type expression; returns it when usable.
    fn check_type<'t>(
        &mut self,
        at: &[Segment],
        ty: &'t Parsed<TypeExpr>,
        context: TypeContext,
    ) -> Option<&'t TypeExpr> {
        match (ty.get(), ty.error()) {
            (Some(expr), _) => self.check_expr(at, expr, context),
            (None, message) => {
                let file = self.file;
                self.push(file.at(at, Code::BadType, message.unwrap_or("malformed type")));
                None
            }
        }
    }

    /// Reports a type expression not allowed in `context`, or naming an undefined type;
    /// returns it when usable.
    fn check_expr<'t>(
        &mut self,
        at: &[Segment],
        expr: &'t TypeExpr,
        context: TypeContext,
    ) -> Option<&'t TypeExpr> {
        let file = self.file;
        if let Err(message) = expr.check_context(context) {
            self.push(file.at(at, Code::BadType, message));
            return None;
        }
        if let Some(name) = expr.named()
            && !file.spec.types.contains_key(name)
        {
            let diagnostic = unknown(
                file.at(
                    at,
                    Code::UnknownReference,
                    format!("type `{name}` is not defined under `types`"),
                ),
                name,
                file.spec.types.keys(),
            );
            self.push(diagnostic);
            return None;
        }
        Some(expr)
    }
}

/// The 1-based line and column (in characters) of a byte offset of `text`.
/// The byte offset in `sample` of a serde_json error. serde_json counts columns in bytes, puts
/// an error at a line break at column 0 of the next line, and places "end of input" past the
/// last line: the first is taken back to the break itself, and every offset is clamped to the
/// last character that is not blank, so a sample cut short is reported on its own last line,
/// not on the YAML key after it.
fn json_error_offset(sample: &str, error: &serde_json::Error) -> usize {
    let last = sample
        .trim_end()
        .char_indices()
        .next_back()
        .map_or(0, |(at, _)| at);
    let line_start: usize = sample
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = match error.column() {
        0 => line_start.saturating_sub(1),
        column => line_start + column - 1,
    };
    let mut offset = offset.min(last);
    while !sample.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// A required text that is not prose (prose is checked by [`text`], wherever it is).
fn non_empty<T>(file: &SpecFile<T>, at: &[Segment], text: &str, out: &mut Vec<Diagnostic>) {
    if text.trim().is_empty() {
        out.push(file.at(
            at,
            Code::EmptyDoc,
            "this text is empty; every public item of the generated crate is documented from it",
        ));
    }
}

/// A `source:` link: an absolute https URL of plain characters. It is printed as the target
/// of a Markdown link, so a parenthesis, bracket, angle bracket, quote, space or non-ASCII
/// character could end the link early and smuggle Markdown of its own into rustdoc: those must
/// be percent-encoded, as a browser's address bar copies them.
fn url<T>(file: &SpecFile<T>, at: &[Segment], text: &str, out: &mut Vec<Diagnostic>) {
    if let Err(problem) = url_problem(text) {
        let diagnostic = file.at(
            at,
            Code::BadUrl,
            format!("`{text}` is not a plain https URL: {problem}"),
        );
        out.push(if problem.contains("URL character") {
            diagnostic.with_hint("percent-encode it, as a browser copies an address (`(` is `%28`)")
        } else {
            diagnostic
        });
    }
}

fn url_problem(text: &str) -> Result<(), String> {
    let Some(rest) = text.strip_prefix("https://") else {
        return Err("it does not start with `https://`".to_owned());
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(host_end);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if host.is_empty() || !host.split('.').all(label_ok) {
        return Err(format!("`{authority}` is not a host name"));
    }
    if port.is_some_and(|port| port.is_empty() || !port.chars().all(|c| c.is_ascii_digit())) {
        return Err(format!("`{authority}` has no valid port"));
    }
    let bytes = tail.as_bytes();
    for (index, c) in tail.char_indices() {
        let plain = c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | '~'
                    | ':'
                    | '/'
                    | '?'
                    | '#'
                    | '@'
                    | '!'
                    | '$'
                    | '&'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
            );
        let escape = c == '%'
            && bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit);
        if !plain && !escape {
            let shown = if c.is_whitespace() || c.is_control() {
                format!("U+{:04X}", c as u32)
            } else {
                format!("`{c}`")
            };
            return Err(format!(
                "{shown} at character {} is not a plain URL character",
                "https://".len() + authority.chars().count() + tail[..index].chars().count() + 1
            ));
        }
    }
    Ok(())
}

/// An origin is scheme and host only.
fn origin<T>(file: &SpecFile<T>, at: &[Segment], text: &str, out: &mut Vec<Diagnostic>) {
    let ok = text.strip_prefix("https://").is_some_and(|host| {
        !host.is_empty() && !host.contains(['/', '?', '#']) && !host.contains(char::is_whitespace)
    });
    if !ok {
        out.push(file.at(
            at,
            Code::BadUrl,
            format!(
                "`{text}` is not an origin like `https://www.zohoapis.com` (no path, no slash)"
            ),
        ));
    }
}

fn unknown<'a, I, S>(diagnostic: Diagnostic, word: &str, candidates: I) -> Diagnostic
where
    I: IntoIterator<Item = S>,
    S: AsRef<str> + 'a,
{
    let candidates: Vec<S> = candidates.into_iter().collect();
    match suggestion(word, candidates.iter().map(AsRef::as_ref)) {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

fn is_version(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.split('.');
    let major = parts.next().is_some_and(is_number);
    let minor = parts.next().is_none_or(is_number);
    major && minor && parts.next().is_none()
}

fn is_semver(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3 && parts.iter().all(|part| is_number(part))
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("v2.1"));
        assert!(is_version("v8"));
        assert!(!is_version("8"));
        assert!(!is_version("v2.1.3"));
        assert!(!is_version("v"));
    }

    #[test]
    fn urls_are_plain_https_addresses() {
        for good in [
            "https://www.zoho.com/crm/developer/docs/api/v8/get-attachments.html",
            "https://www.bigin.com/developer/docs/apis/v2/?a=1&b=%28x%29#frag",
            "https://localhost:8443/x",
        ] {
            assert_eq!(url_problem(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("http://www.zoho.com/", "does not start"),
            ("https://", "not a host name"),
            (
                "https://www.zoho.com/a) [click](https://evil.example",
                "`)` at character 23",
            ),
            ("https://www.zoho.com/a b", "U+0020"),
            ("https://www.zoho.com/<x>", "`<`"),
            ("https://www.zoho.com/é", "`é`"),
            ("https://www.zoho.com/%zz", "`%`"),
            ("https://evil.example@www.zoho.com/", "not a host name"),
            ("https://www.zoho.com:/", "no valid port"),
        ] {
            let problem = url_problem(bad).expect_err(bad);
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }
}
