//! GitHub Actions workflow commands, which annotate the pull request's files:
//! `::error file=spec/crm-v8.yaml,line=12,col=5,title=param-became-required::message`.
//!
//! Breaking changes are errors, possibly-breaking ones warnings, the rest notices. A removal
//! points at the nearest place that still exists in HEAD's file (or at no file when the file is
//! gone). A final notice carries the counts and the semver verdict, and a warning follows when
//! HEAD's `crate.version` is too low.

use crate::tools::diff::{Change, Level, Report};

/// The report as workflow commands, one per line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for change in &report.changes {
        out.push_str(&command(change));
        out.push('\n');
    }
    out.push_str(&format!(
        "::notice title={}::{}\n",
        property("zoho-codegen diff"),
        data(&format!(
            "{}; semver: {}",
            report.counts(),
            report.verdict.summary()
        ))
    ));
    if let Some(warning) = report.verdict.warning() {
        out.push_str(&format!(
            "::warning title={}::{}\n",
            property("semver"),
            data(&warning)
        ));
    }
    out
}

fn command(change: &Change) -> String {
    let kind = match change.level() {
        Level::Breaking => "error",
        Level::PossiblyBreaking => "warning",
        Level::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(position) = change.head_position() {
        properties.push(format!("file={}", property(&position.file)));
        if let Some(at) = position.location {
            properties.push(format!("line={}", at.line));
            properties.push(format!("col={}", at.column));
        }
    }
    properties.push(format!("title={}", property(change.rule.id())));
    let text = format!(
        "{} ({})\n\nAPI: {}",
        change.message,
        change.level(),
        change.api
    );
    format!("::{kind} {}::{}", properties.join(","), data(&text))
}

/// Escapes a message: `%`, carriage returns and line feeds.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], plus `:` and `,`.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_escape_percent_and_line_breaks_only() {
        assert_eq!(
            data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(
            property("origin/main:spec/x.yaml"),
            "origin/main%3Aspec/x.yaml"
        );
    }

    #[test]
    fn percent_is_escaped_first_so_escapes_are_not_escaped_twice() {
        assert_eq!(data("\n"), "%0A");
        assert_eq!(data("%0A"), "%250A");
    }
}
