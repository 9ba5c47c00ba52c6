//! Where a side of a comparison comes from: a spec folder, or the spec folder of a git revision
//! (read with the `git` command line into a temporary folder), loaded and validated exactly as
//! `generate` does.
//!
//! Paths in reports and diagnostics name the files as the user knows them: the folder as given
//! (`tests/diff/base/crm-v7.yaml`), or `origin/main:spec/crm-v8.yaml` for a revision.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::SideLabel;
use crate::diag::{Code, Diagnostic};
use crate::load::{LoadedSpec, SpecFile};

/// A loaded side.
#[derive(Debug)]
pub struct LoadedSide {
    /// How reports name it.
    pub label: SideLabel,
    /// The validated spec; its files' `display_path` are the paths reports print.
    pub spec: LoadedSpec,
    /// Problems the side was compared despite (see [`load`]).
    pub tolerated: Vec<Diagnostic>,
}

/// Why a side could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The spec is broken: every problem, located, with the paths users know.
    Spec(Vec<Diagnostic>),
    /// The side could not be read at all (unknown revision, no git, no folder).
    Unreadable(String),
}

/// Loads `argument`: a folder if one exists at that path (relative to `repo`), else a revision
/// of the git repository containing `repo`, whose `spec_dir` is read.
///
/// With `tolerate_text`, text-rule problems ([`Code::BadText`]) do not stop the load: a base
/// written before a text rule existed can still be compared, since what `diff` compares does
/// not depend on them. They come back in [`LoadedSide::tolerated`].
pub fn load(
    argument: &str,
    repo: &Path,
    spec_dir: &Path,
    tolerate_text: bool,
) -> Result<LoadedSide, LoadError> {
    let folder = repo.join(argument);
    if folder.is_dir() {
        let (spec, tolerated) = load_folder(&folder, Path::new(argument), None, tolerate_text)?;
        return Ok(LoadedSide {
            label: SideLabel::folder(argument),
            spec,
            tolerated,
        });
    }
    let commit = resolve(argument, repo)?;
    let temp = tempfile::tempdir().map_err(|error| {
        LoadError::Unreadable(format!("cannot make a temporary folder: {error}"))
    })?;
    extract(argument, &commit, repo, spec_dir, temp.path())?;
    let (spec, tolerated) = load_folder(temp.path(), spec_dir, Some(argument), tolerate_text)?;
    Ok(LoadedSide {
        label: SideLabel::revision(argument),
        spec,
        tolerated,
    })
}

/// Runs `git -C repo args...`; its standard output, or what went wrong.
fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run `git`: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}

/// The commit `revision` names, or why it names none.
fn resolve(revision: &str, repo: &Path) -> Result<String, LoadError> {
    let spec = format!("{revision}^{{commit}}");
    match git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    ) {
        Ok(sha) => Ok(String::from_utf8_lossy(&sha).trim().to_owned()),
        Err(why) if why.starts_with("cannot run") => Err(LoadError::Unreadable(why)),
        Err(why) => {
            let detail = if why.is_empty() {
                String::new()
            } else {
                format!(" ({why})")
            };
            Err(LoadError::Unreadable(format!(
                "`{revision}` is neither a folder nor a revision of the git repository at `{}`{detail}",
                repo.display()
            )))
        }
    }
}

/// Writes the `*.yaml` files of `<commit>:<spec_dir>` into `into`.
fn extract(
    revision: &str,
    commit: &str,
    repo: &Path,
    spec_dir: &Path,
    into: &Path,
) -> Result<(), LoadError> {
    // `./` makes the folder relative to `repo`, as for a folder argument.
    let tree = format!("{commit}:./{}", spec_dir.display());
    let listing = git(repo, &["ls-tree", "-z", &tree]).map_err(|why| {
        LoadError::Unreadable(format!(
            "revision `{revision}` has no folder `{}`: {why}",
            spec_dir.display()
        ))
    })?;
    for entry in listing
        .split(|byte| *byte == 0)
        .filter(|entry| !entry.is_empty())
    {
        // `<mode> <type> <object>\t<name>`
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, name)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (kind, object) = (meta.nth(1), meta.next());
        let (Some("blob"), Some(object)) = (kind, object) else {
            continue;
        };
        if !name.ends_with(".yaml") || name.contains('/') {
            continue;
        }
        let content = git(repo, &["cat-file", "blob", object]).map_err(|why| {
            LoadError::Unreadable(format!(
                "cannot read `{revision}:{}/{name}`: {why}",
                spec_dir.display()
            ))
        })?;
        std::fs::write(into.join(name), content).map_err(|error| {
            LoadError::Unreadable(format!("cannot write a temporary file: {error}"))
        })?;
    }
    Ok(())
}

/// Loads and validates `dir`, then names its files `shown/<file>` (prefixed with `revision:` in
/// diagnostics).
fn load_folder(
    dir: &Path,
    shown: &Path,
    revision: Option<&str>,
    tolerate_text: bool,
) -> Result<(LoadedSpec, Vec<Diagnostic>), LoadError> {
    let actual = dir.display().to_string();
    let rename = |path: &str, in_diagnostics: bool| -> String {
        let rest = path.strip_prefix(&actual).unwrap_or(path);
        let mut renamed: PathBuf = shown.to_path_buf();
        let rest = rest.trim_start_matches(std::path::MAIN_SEPARATOR);
        if !rest.is_empty() {
            renamed.push(rest);
        }
        let renamed = renamed.display().to_string();
        match revision {
            Some(revision) if in_diagnostics => format!("{revision}:{renamed}"),
            _ => renamed,
        }
    };
    let tolerated = |code: Code| tolerate_text && code == Code::BadText;
    match crate::check_tolerating(dir, tolerated) {
        Ok((checked, mut tolerated)) => {
            let mut loaded = checked.spec;
            rename_file(&mut loaded.shared, |path| rename(path, false));
            for file in &mut loaded.apis {
                rename_file(file, |path| rename(path, false));
            }
            for diagnostic in &mut tolerated {
                diagnostic.file = rename(&diagnostic.file, true);
            }
            Ok((loaded, tolerated))
        }
        Err(mut diagnostics) => {
            for diagnostic in &mut diagnostics {
                diagnostic.file = rename(&diagnostic.file, true);
            }
            Err(LoadError::Spec(diagnostics))
        }
    }
}

fn rename_file<T>(file: &mut SpecFile<T>, rename: impl Fn(&str) -> String) {
    file.display_path = rename(&file.display_path);
}
