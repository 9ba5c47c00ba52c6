//! Writing the generated crate: atomically, and only what changed.
//!
//! Each file goes to a temporary file in its own folder and is renamed over the old one, so a
//! crash never leaves a half-written file. A file whose bytes are already right is not touched
//! (its modification time stays, so cargo does not rebuild for nothing). Files that carry the
//! generator's marker but are no longer produced (a product removed from the spec) are deleted;
//! files without the marker are never touched.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::emit::{MARKER, OutputFile};

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: Vec<String>,
    /// Files already right.
    pub unchanged: Vec<String>,
    /// Generated files no longer produced, deleted.
    pub removed: Vec<String>,
}

/// How a file on disk differs from what the spec produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    /// Its contents differ.
    Modified(String),
    /// It does not exist.
    Missing(String),
    /// It is a generated file the spec no longer produces.
    Extra(String),
}

impl std::fmt::Display for Staleness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Staleness::Modified(path) => write!(f, "{path}: differs from what the spec generates"),
            Staleness::Missing(path) => write!(f, "{path}: missing"),
            Staleness::Extra(path) => write!(f, "{path}: generated earlier, no longer produced"),
        }
    }
}

/// Writes `files` under `out`, returning what changed.
pub fn write_all(out: &Path, files: &[OutputFile]) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for file in files {
        let target = out.join(&file.path);
        if fs::read(&target).is_ok_and(|existing| existing == file.contents.as_bytes()) {
            report.unchanged.push(file.path.clone());
            continue;
        }
        write_atomically(&target, file.contents.as_bytes())?;
        report.written.push(file.path.clone());
    }
    for path in extra_generated_files(out, files)? {
        fs::remove_file(out.join(&path))?;
        report.removed.push(path);
    }
    Ok(report)
}

/// Compares `files` with what is under `out`, without changing anything.
pub fn check(out: &Path, files: &[OutputFile]) -> io::Result<Vec<Staleness>> {
    let mut stale = Vec::new();
    for file in files {
        match fs::read(out.join(&file.path)) {
            Ok(existing) if existing == file.contents.as_bytes() => {}
            Ok(_) => stale.push(Staleness::Modified(file.path.clone())),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                stale.push(Staleness::Missing(file.path.clone()));
            }
            Err(error) => return Err(error),
        }
    }
    stale.extend(
        extra_generated_files(out, files)?
            .into_iter()
            .map(Staleness::Extra),
    );
    Ok(stale)
}

fn write_atomically(target: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".zoho-codegen-")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|error| error.error)?;
    Ok(())
}

/// Generated files under `out` (by their marker) that `files` does not include.
fn extra_generated_files(out: &Path, files: &[OutputFile]) -> io::Result<Vec<String>> {
    let produced: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut found = Vec::new();
    walk(out, out, &mut found)?;
    found.retain(|path| !produced.contains(path.as_str()));
    found.retain(|path| carries_marker(&out.join(path)));
    found.sort();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let path: PathBuf = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            // Build output and VCS folders never hold generated sources.
            if entry.file_name() != "target" && entry.file_name() != ".git" {
                walk(root, &path, found)?;
            }
        } else if kind.is_file()
            && let Ok(relative) = path.strip_prefix(root)
        {
            let relative = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            found.push(relative);
        }
    }
    Ok(())
}

/// Whether the file's first lines carry the generator's marker.
fn carries_marker(path: &Path) -> bool {
    let Ok(contents) = fs::read(path) else {
        return false;
    };
    let head = &contents[..contents.len().min(512)];
    String::from_utf8_lossy(head).contains(MARKER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn writes_then_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = vec![
            file("src/a.rs", "// @generated by zoho-codegen\nA"),
            file("b.md", "B"),
        ];
        let first = write_all(dir.path(), &files).expect("write");
        assert_eq!(first.written, vec!["src/a.rs", "b.md"]);
        let modified = fs::metadata(dir.path().join("src/a.rs"))
            .and_then(|m| m.modified())
            .expect("mtime");
        let second = write_all(dir.path(), &files).expect("write again");
        assert_eq!(second.unchanged, vec!["src/a.rs", "b.md"]);
        assert!(second.written.is_empty());
        let again = fs::metadata(dir.path().join("src/a.rs"))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(
            modified, again,
            "an unchanged file keeps its modification time"
        );
    }

    #[test]
    fn removes_only_stale_generated_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("src/old")).expect("mkdir");
        fs::write(
            dir.path().join("src/old/mod.rs"),
            "// @generated by zoho-codegen\n",
        )
        .expect("write");
        fs::write(dir.path().join("src/handwritten.rs"), "// mine\n").expect("write");
        let files = vec![file("src/lib.rs", "// @generated by zoho-codegen\n")];
        assert_eq!(
            check(dir.path(), &files).expect("check"),
            vec![
                Staleness::Missing("src/lib.rs".into()),
                Staleness::Extra("src/old/mod.rs".into())
            ]
        );
        let report = write_all(dir.path(), &files).expect("write");
        assert_eq!(report.removed, vec!["src/old/mod.rs"]);
        assert!(dir.path().join("src/handwritten.rs").exists());
        assert!(check(dir.path(), &files).expect("check").is_empty());
    }

    #[test]
    fn check_reports_an_edited_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = vec![file("src/lib.rs", "X")];
        write_all(dir.path(), &files).expect("write");
        fs::write(dir.path().join("src/lib.rs"), "Y").expect("edit");
        assert_eq!(
            check(dir.path(), &files).expect("check"),
            vec![Staleness::Modified("src/lib.rs".into())]
        );
    }
}
