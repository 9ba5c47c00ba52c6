//! Which version the generated crate needs after a change, by Cargo's semver rules.
//!
//! Cargo treats the left-most non-zero component as the major one: for `1.2.3` a breaking change
//! needs `2.0.0` and an addition `1.3.0`; for `0.2.3` a breaking change needs `0.3.0` and an
//! addition only `0.2.4` (Cargo considers `0.2.3` and `0.2.4` compatible); for `0.0.3` every
//! release is incompatible, so anything needs `0.0.4`. Possibly-breaking changes are treated as
//! additions: they change behaviour without breaking compilation.

use std::fmt;

/// The kind of release a change needs, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Nothing to release (the version itself changed, or only maintainers' provenance).
    None,
    /// Docs and fixes.
    Patch,
    /// Additions and behaviour changes that keep code compiling.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `major.minor.patch` version; pre-release and build suffixes are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3` (a `-pre` or `+build` suffix is ignored); `None` when it is not one.
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|part| part.parse::<u64>().ok());
        let version = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(version)
    }

    /// The smallest version after `self` that a release with changes of kind `bump` may have.
    pub fn after(self, bump: Bump) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        // What Cargo calls the major component is the left-most non-zero one.
        match (bump, major, minor) {
            (Bump::None, ..) => self,
            (_, 0, 0) | (Bump::Patch, ..) | (Bump::Minor, 0, _) => Version {
                patch: patch + 1,
                ..self
            },
            (Bump::Major, 0, _) | (Bump::Minor, ..) => Version {
                minor: minor + 1,
                patch: 0,
                ..self
            },
            (Bump::Major, ..) => Version {
                major: major + 1,
                minor: 0,
                patch: 0,
            },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What the changes need and whether HEAD's `crate.version` provides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The largest bump any change needs.
    pub bump: Bump,
    /// `crate.version` in BASE.
    pub base_version: String,
    /// `crate.version` in HEAD.
    pub head_version: String,
    /// The smallest acceptable HEAD version, when BASE's version could be read.
    pub required: Option<Version>,
    /// Whether HEAD's version is at least `required`; `None` when a version could not be read.
    pub satisfied: Option<bool>,
    /// Why `required` is what it is, in Cargo's terms.
    pub reason: String,
}

impl Verdict {
    /// The warning to print when HEAD's version does not fit the changes.
    pub fn warning(&self) -> Option<String> {
        match (self.satisfied, self.required) {
            (Some(false), Some(required)) => Some(format!(
                "crate.version is {} in HEAD, but these changes need at least {required}: bump it in shared.yaml",
                self.head_version
            )),
            (None, _) => Some(format!(
                "cannot compare crate versions `{}` (BASE) and `{}` (HEAD): expected major.minor.patch",
                self.base_version, self.head_version
            )),
            _ => None,
        }
    }

    /// One line: the bump, the version it needs, and whether HEAD has it.
    pub fn summary(&self) -> String {
        if self.bump == Bump::None {
            return format!("no release needed (HEAD has {})", self.head_version);
        }
        let Some(required) = self.required else {
            return self.reason.clone();
        };
        let state = match self.satisfied {
            Some(true) => "ok",
            Some(false) => "too low",
            None => "unreadable",
        };
        format!(
            "{}: at least {required}; HEAD has {} ({state})",
            self.reason, self.head_version
        )
    }
}

/// The verdict for changes needing `bump`, from BASE's and HEAD's `crate.version`.
pub fn verdict(bump: Bump, base_version: &str, head_version: &str) -> Verdict {
    let base = Version::parse(base_version);
    let head = Version::parse(head_version);
    let required = base.map(|base| base.after(bump));
    let satisfied = match (required, head) {
        (Some(required), Some(head)) => Some(head >= required),
        _ => None,
    };
    Verdict {
        bump,
        base_version: base_version.to_owned(),
        head_version: head_version.to_owned(),
        required,
        satisfied,
        reason: reason(bump, base),
    }
}

/// What the changes need, in Cargo's terms: "breaking changes need a new minor version while
/// the crate is 0.x (...)".
fn reason(bump: Bump, base: Option<Version>) -> String {
    let what = match bump {
        Bump::None => return "no change needs a release".to_owned(),
        Bump::Major => "breaking changes need",
        Bump::Minor => "additions and behaviour changes need",
        Bump::Patch => "docs and fixes need",
    };
    let Some(base) = base else {
        return format!("{what} a new version, but BASE's crate.version is not major.minor.patch");
    };
    let how = match (bump, base.major, base.minor) {
        (_, 0, 0) => "a new patch version (Cargo treats every 0.0.x release as incompatible)",
        (Bump::Major, 0, _) => {
            "a new minor version while the crate is 0.x (Cargo treats 0.y → 0.(y+1) as the incompatible step)"
        }
        (_, 0, _) => {
            "a new patch version while the crate is 0.x (Cargo treats 0.y.z → 0.y.(z+1) as compatible)"
        }
        (Bump::Major, ..) => "a new major version",
        (Bump::Minor, ..) => "a new minor version",
        _ => "a new patch version",
    };
    format!("{what} {how}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("a version")
    }

    #[test]
    fn parses_versions_and_refuses_others() {
        assert_eq!(
            v("1.2.3"),
            Version {
                major: 1,
                minor: 2,
                patch: 3
            }
        );
        assert_eq!(v("0.1.0-alpha.1"), v("0.1.0"));
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3.4"), None);
        assert_eq!(Version::parse("one.2.3"), None);
    }

    #[test]
    fn follows_cargo_for_1x() {
        assert_eq!(v("1.2.3").after(Bump::Major), v("2.0.0"));
        assert_eq!(v("1.2.3").after(Bump::Minor), v("1.3.0"));
        assert_eq!(v("1.2.3").after(Bump::Patch), v("1.2.4"));
        assert_eq!(v("1.2.3").after(Bump::None), v("1.2.3"));
    }

    #[test]
    fn follows_cargo_for_0x_and_0_0_x() {
        assert_eq!(v("0.2.3").after(Bump::Major), v("0.3.0"));
        assert_eq!(v("0.2.3").after(Bump::Minor), v("0.2.4"));
        assert_eq!(v("0.2.3").after(Bump::Patch), v("0.2.4"));
        assert_eq!(v("0.0.3").after(Bump::Major), v("0.0.4"));
        assert_eq!(v("0.0.3").after(Bump::Minor), v("0.0.4"));
    }

    #[test]
    fn verdicts_say_whether_head_is_enough() {
        let low = verdict(Bump::Major, "0.1.0", "0.1.1");
        assert_eq!(low.required, Some(v("0.2.0")));
        assert_eq!(low.satisfied, Some(false));
        assert!(low.warning().is_some_and(|w| w.contains("at least 0.2.0")));
        let enough = verdict(Bump::Major, "0.1.0", "0.2.0");
        assert_eq!(enough.satisfied, Some(true));
        assert_eq!(enough.warning(), None);
        let more_than_enough = verdict(Bump::Minor, "1.4.2", "2.0.0");
        assert_eq!(more_than_enough.satisfied, Some(true));
        let nothing = verdict(Bump::None, "0.1.0", "0.1.0");
        assert_eq!(nothing.satisfied, Some(true));
        let unreadable = verdict(Bump::Patch, "0.1", "0.1.1");
        assert_eq!(unreadable.satisfied, None);
        assert!(unreadable.warning().is_some());
    }
}
