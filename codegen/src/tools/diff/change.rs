//! One reported change: its rule, where it is, what it says and what it does to the crate.

use std::cmp::Ordering;

use super::rules::{Level, Rule};
use crate::load::yaml::Location;

/// Which spec a position points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The spec before the change.
    Base,
    /// The spec after the change.
    Head,
}

impl Side {
    /// `base` or `head`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Base => "base",
            Side::Head => "head",
        }
    }
}

/// A place in one side's spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The side.
    pub side: Side,
    /// The file as that side names it: `spec/crm-v8.yaml` (a path in the repository for a git
    /// revision, the path as given for a folder).
    pub file: String,
    /// Line and column, when known.
    pub location: Option<Location>,
}

/// One difference between BASE and HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The kind of change.
    pub rule: Rule,
    /// The product (`crm`), unless the change is to the crate or shared facts.
    pub product: Option<String>,
    /// The version as Zoho writes it (`v8`).
    pub version: Option<String>,
    /// The operation, when the change is inside one.
    pub operation: Option<String>,
    /// Where it is: in HEAD, or in BASE for something removed.
    pub at: Position,
    /// Where in HEAD to point at for a removal (the nearest place that still exists), for
    /// annotations on the new files.
    pub anchor: Option<Position>,
    /// One line for humans.
    pub message: String,
    /// What it does to the generated crate's public API, in Rust terms.
    pub api: String,
}

impl Change {
    /// The change's level (its rule's).
    pub fn level(&self) -> Level {
        self.rule.level()
    }

    /// Where in HEAD the change shows: its own position, or the anchor of a removal.
    pub fn head_position(&self) -> Option<&Position> {
        match self.at.side {
            Side::Head => Some(&self.at),
            Side::Base => self.anchor.as_ref(),
        }
    }

    /// `crm v8`, `crm v8 upload_attachment`, or `shared` for the crate-wide facts.
    pub fn scope(&self) -> String {
        let mut scope = match (&self.product, &self.version) {
            (Some(product), Some(version)) => format!("{product} {version}"),
            (Some(product), None) => product.clone(),
            _ => "shared".to_owned(),
        };
        if let Some(operation) = &self.operation {
            scope.push(' ');
            scope.push_str(operation);
        }
        scope
    }
}

/// Orders changes for reports: shared facts first, then by product, version (numerically),
/// operation (version-wide changes first), file, position, rule and message.
pub fn sort(changes: &mut [Change]) {
    changes.sort_by(compare);
}

fn compare(a: &Change, b: &Change) -> Ordering {
    let version = |change: &Change| change.version.as_deref().map(version_key);
    (&a.product, version(a), &a.version, &a.operation)
        .cmp(&(&b.product, version(b), &b.version, &b.operation))
        .then_with(|| (&a.at.file, a.at.location).cmp(&(&b.at.file, b.at.location)))
        .then_with(|| (a.at.side, a.rule, &a.message).cmp(&(b.at.side, b.rule, &b.message)))
}

/// `v2.1` → `[2, 1]`, so `v10` sorts after `v8`.
fn version_key(version: &str) -> Vec<u64> {
    version
        .trim_start_matches('v')
        .split('.')
        .map(|part| part.parse().unwrap_or(u64::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(product: Option<&str>, version: Option<&str>, operation: Option<&str>) -> Change {
        Change {
            rule: Rule::DocChanged,
            product: product.map(str::to_owned),
            version: version.map(str::to_owned),
            operation: operation.map(str::to_owned),
            at: Position {
                side: Side::Head,
                file: "f.yaml".into(),
                location: None,
            },
            anchor: None,
            message: String::new(),
            api: String::new(),
        }
    }

    #[test]
    fn shared_first_then_versions_numerically_then_operations() {
        let mut changes = vec![
            change(Some("crm"), Some("v10"), None),
            change(Some("crm"), Some("v8"), Some("b")),
            change(Some("crm"), Some("v8"), None),
            change(None, None, None),
            change(Some("crm"), Some("v8"), Some("a")),
        ];
        sort(&mut changes);
        let scopes: Vec<String> = changes.iter().map(Change::scope).collect();
        assert_eq!(
            scopes,
            ["shared", "crm v8", "crm v8 a", "crm v8 b", "crm v10"]
        );
    }
}
