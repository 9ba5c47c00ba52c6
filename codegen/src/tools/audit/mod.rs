//! `zoho-codegen audit PAGE...`: reads saved Zoho documentation pages ([`super::page`]), finds
//! the operations they describe in the spec ([`matching`]), and reports every fact on which
//! page and spec differ ([`compare`]): on the page but not in the spec, in the spec but not on
//! the page, or different (status, type, required, text...), each with the page's line and the
//! spec's `file:line:col`. Where the spec knowingly departs from its page, it says so with
//! `acknowledged:` (see `spec/README.md`), and those differences are reported only with `--all`.
//! [`render`] prints the report as text, Markdown, JSON or GitHub annotations; [`command`] is
//! the command line.

pub mod command;
pub mod compare;
pub mod matching;
pub mod render;

use std::fmt;

use serde::Serialize;

use super::page::Format;
use crate::load::model::Departure;
use crate::load::yaml::Location;

/// Which side has the fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The page states it; the spec does not have it.
    OnPageOnly,
    /// The spec has it; the page does not state it.
    InSpecOnly,
    /// Both have it, differently.
    Differs,
}

impl Kind {
    /// `on-page-only`, `in-spec-only` or `differs`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OnPageOnly => "on-page-only",
            Kind::InSpecOnly => "in-spec-only",
            Kind::Differs => "differs",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of facts compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fact {
    /// The Purpose.
    Purpose,
    /// An endpoint's method and path.
    Endpoint,
    /// The request URL's host and path.
    RequestUrl,
    /// A supported module (display name).
    Module,
    /// A possible module name (scope name).
    ModuleName,
    /// The scope rule.
    Scope,
    /// A possible operation type.
    OperationType,
    /// A parameter or form-data field.
    Parameter,
    /// A response key.
    Key,
    /// A row of a key's value table.
    Value,
    /// A row of Possible Errors.
    Error,
    /// The sample request.
    SampleRequest,
    /// The sample response.
    SampleResponse,
    /// An operation's `acknowledged:` entry that no difference needs any more.
    Acknowledged,
}

impl Fact {
    /// The id used in reports and in an operation's `acknowledged:` (`module-name`).
    pub fn id(self) -> &'static str {
        match self {
            Fact::Purpose => "purpose",
            Fact::Endpoint => "endpoint",
            Fact::RequestUrl => "request-url",
            Fact::Module => "module",
            Fact::ModuleName => "module-name",
            Fact::Scope => "scope",
            Fact::OperationType => "operation-type",
            Fact::Parameter => "parameter",
            Fact::Key => "key",
            Fact::Value => "value",
            Fact::Error => "error",
            Fact::SampleRequest => "sample-request",
            Fact::SampleResponse => "sample-response",
            Fact::Acknowledged => "acknowledged",
        }
    }
}

/// The aspect of a fact that differs, as `acknowledged:` names it.
pub fn aspect_id(aspect: Departure) -> &'static str {
    match aspect {
        Departure::Absent => "absent",
        Departure::Type => "type",
        Departure::Required => "required",
        Departure::Status => "status",
        Departure::Code => "code",
        Departure::Text => "text",
        Departure::Values => "values",
        Departure::Path => "path",
    }
}

/// A place in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecPlace {
    /// The file as the user named the folder (`spec/crm-v7.yaml`).
    pub file: String,
    /// Line and column, when known.
    pub location: Option<Location>,
}

impl fmt::Display for SpecPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some(at) => write!(f, "{}:{}:{}", self.file, at.line, at.column),
            None => f.write_str(&self.file),
        }
    }
}

/// One difference between a page and the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which side has the fact.
    pub kind: Kind,
    /// What kind of fact.
    pub fact: Fact,
    /// Which one: a parameter's or key's name, an error code, a module; empty for facts an
    /// operation has once (purpose, scope, samples).
    pub subject: String,
    /// What differs.
    pub aspect: Departure,
    /// The page line, when the page has the fact (or the line of the section that lacks it).
    pub page_line: Option<usize>,
    /// Where the spec has it (or where it would go).
    pub spec: SpecPlace,
    /// One line for humans.
    pub message: String,
    /// Whether the spec marks this departure as known (`acknowledged:`).
    pub acknowledged: bool,
}

impl Finding {
    /// `module-name notes`, `error INVALID_MODULE`, `purpose`: how an operation's
    /// `acknowledged:` names it.
    pub fn id(&self) -> String {
        if self.subject.is_empty() {
            self.fact.id().to_owned()
        } else {
            format!("{} {}", self.fact.id(), self.subject)
        }
    }
}

/// An operation a page describes, as found in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// The product (`crm`).
    pub product: String,
    /// The version (`v8`).
    pub version: String,
    /// The operation (`upload_attachment`).
    pub operation: String,
    /// How it was found.
    pub by: String,
    /// The page line its description starts on.
    pub page_line: usize,
    /// What differs, sorted by page line.
    pub findings: Vec<Finding>,
}

impl Matched {
    /// `crm.v8.upload_attachment`, as `--operation` takes it.
    pub fn name(&self) -> String {
        format!("{}.{}.{}", self.product, self.version, self.operation)
    }
}

/// The audit of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageAudit {
    /// The page's path as given.
    pub page: String,
    /// The format it was read as, when it could be read.
    pub format: Option<Format>,
    /// Its operations, each with its differences.
    pub operations: Vec<Matched>,
    /// Why the page could not be audited (unreadable, or matching no operation).
    pub problem: Option<String>,
}

/// The audit of every page given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// One per page, in the order given.
    pub pages: Vec<PageAudit>,
    /// Whether acknowledged differences are reported (`--all`).
    pub all: bool,
}

impl Report {
    /// The findings to show: all with `--all`, else those not acknowledged.
    pub fn shown<'a>(&self, matched: &'a Matched) -> impl Iterator<Item = &'a Finding> {
        let all = self.all;
        matched
            .findings
            .iter()
            .filter(move |finding| all || !finding.acknowledged)
    }

    /// Differences the spec does not acknowledge, over every page.
    pub fn unacknowledged(&self) -> usize {
        self.findings()
            .filter(|finding| !finding.acknowledged)
            .count()
    }

    /// Differences the spec acknowledges, over every page.
    pub fn acknowledged(&self) -> usize {
        self.findings()
            .filter(|finding| finding.acknowledged)
            .count()
    }

    /// Pages that could not be audited.
    pub fn problems(&self) -> usize {
        self.pages
            .iter()
            .filter(|page| page.problem.is_some())
            .count()
    }

    fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.pages
            .iter()
            .flat_map(|page| &page.operations)
            .flat_map(|matched| &matched.findings)
    }

    /// "2 pages agree with the spec; 1 difference (3 acknowledged, shown with --all)".
    pub fn summary(&self) -> String {
        let pages = self.pages.len();
        let unacknowledged = self.unacknowledged();
        let acknowledged = self.acknowledged();
        let mut text = if unacknowledged == 0 && self.problems() == 0 {
            format!(
                "{pages} page{} agree{} with the spec",
                plural(pages),
                if pages == 1 { "s" } else { "" }
            )
        } else {
            format!(
                "{unacknowledged} difference{} on {pages} page{}",
                plural(unacknowledged),
                plural(pages)
            )
        };
        if acknowledged > 0 {
            text.push_str(&format!(
                "; {acknowledged} acknowledged by the spec{}",
                if self.all { "" } else { " (shown with --all)" }
            ));
        }
        let problems = self.problems();
        if problems > 0 {
            text.push_str(&format!(
                "; {problems} page{} could not be audited",
                plural(problems)
            ));
        }
        text
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
