//! `zoho-codegen diff BASE HEAD`: what a spec change does to users of the generated crate, for
//! review, in the spirit of oasdiff and `buf breaking`.
//!
//! [`compare`] walks two validated specs and reports every change as a [`Change`] with a stable
//! [`Rule`] id, a [`Level`] (breaking, possibly breaking, info), where it is, and its effect on
//! the crate's public API in Rust terms. [`Report`] adds the semver verdict; [`render`] prints it
//! as text, Markdown, JSON or GitHub workflow commands; [`source`] loads a side from a folder or a
//! git revision; [`command`] is the command line. The rules are listed in `spec/README.md`
//! ("Reviewing a change") and by `zoho-codegen diff --rules`.

mod change;
pub mod command;
mod compare;
pub mod render;
pub mod rules;
pub mod semver;
pub mod source;

pub use change::{Change, Position, Side};
pub use rules::{Level, Rule};

use crate::load::LoadedSpec;

/// Every difference between two specs, sorted by product, version, operation and position.
///
/// Never panics, whatever the specs: the comparison reads the model, and takes what only lowering
/// knows (derives, request types, body shapes) from `ir::lower` when a side lowers.
pub fn compare(base: &LoadedSpec, head: &LoadedSpec) -> Vec<Change> {
    compare::compare(base, head)
}

/// How a report names one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideLabel {
    /// What the user gave: a folder or a revision.
    pub label: String,
    /// The revision, when the side was read from git: positions then read `rev:path`.
    pub revision: Option<String>,
}

impl SideLabel {
    /// A side read from a folder.
    pub fn folder(label: impl Into<String>) -> SideLabel {
        SideLabel {
            label: label.into(),
            revision: None,
        }
    }

    /// A side read from a git revision.
    pub fn revision(revision: impl Into<String>) -> SideLabel {
        let revision = revision.into();
        SideLabel {
            label: revision.clone(),
            revision: Some(revision),
        }
    }
}

/// The changes between two sides and the release they need.
#[derive(Debug, Clone)]
pub struct Report {
    /// The spec before the change.
    pub base: SideLabel,
    /// The spec after the change.
    pub head: SideLabel,
    /// Every change, sorted.
    pub changes: Vec<Change>,
    /// The version bump the changes need, and whether HEAD's `crate.version` has it.
    pub verdict: semver::Verdict,
}

impl Report {
    /// Compares `base` with `head`.
    pub fn new(base: (&LoadedSpec, SideLabel), head: (&LoadedSpec, SideLabel)) -> Report {
        let changes = compare(base.0, head.0);
        let bump = changes
            .iter()
            .map(|change| change.rule.bump())
            .max()
            .unwrap_or(semver::Bump::None);
        let verdict = semver::verdict(
            bump,
            &base.0.shared.spec.crate_info.version,
            &head.0.shared.spec.crate_info.version,
        );
        Report {
            base: base.1,
            head: head.1,
            changes,
            verdict,
        }
    }

    /// How many changes have `level`.
    pub fn count(&self, level: Level) -> usize {
        self.changes
            .iter()
            .filter(|change| change.level() == level)
            .count()
    }

    /// Whether some change is at `level` or above.
    pub fn any_at_least(&self, level: Level) -> bool {
        self.changes.iter().any(|change| change.level() >= level)
    }

    /// A position as users read it: `origin/main:spec/crm-v8.yaml:12:5` for a revision,
    /// `spec/crm-v8.yaml:12:5` for a folder.
    pub fn display(&self, position: &Position) -> String {
        let side = match position.side {
            Side::Base => &self.base,
            Side::Head => &self.head,
        };
        let file = match &side.revision {
            Some(revision) => format!("{revision}:{}", position.file),
            None => position.file.clone(),
        };
        match position.location {
            Some(at) => format!("{file}:{}:{}", at.line, at.column),
            None => file,
        }
    }

    /// "3 changes: 2 breaking, 0 possibly breaking, 1 info", or "no changes".
    pub fn counts(&self) -> String {
        if self.changes.is_empty() {
            return "no changes".to_owned();
        }
        let total = self.changes.len();
        format!(
            "{total} change{}: {} breaking, {} possibly breaking, {} info",
            if total == 1 { "" } else { "s" },
            self.count(Level::Breaking),
            self.count(Level::PossiblyBreaking),
            self.count(Level::Info)
        )
    }
}
