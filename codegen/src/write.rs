//! Writing the generated crate: atomically, and only what changed.
//!
//! Each file goes to a temporary file in its own folder and is renamed over the old one, so a
//! crash never leaves a half-written file. A file whose bytes are already right is not touched
//! (its modification time stays, so cargo does not rebuild for nothing). Files that carry the
//! generator's marker but are no longer produced (a product removed from the spec) are deleted;
//! files without the marker are never touched.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
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
///
/// Every changed file is first written to a temporary file beside its target; only when all of
/// them are written are they renamed into place, so a failure (a full disk, a folder where a file
/// goes) leaves the crate as it was rather than half old and half new.
pub fn write_all(out: &Path, files: &[OutputFile]) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    let mut staged = Vec::new();
    for file in files {
        let target = out.join(&file.path);
        if holds(&target, file.contents.as_bytes())? == Holds::Same {
            report.unchanged.push(file.path.clone());
            continue;
        }
        staged.push((
            stage(&target, file.contents.as_bytes())?,
            target,
            &file.path,
        ));
    }
    for (temp, target, path) in staged {
        temp.persist(&target).map_err(|error| error.error)?;
        report.written.push(path.clone());
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
        match holds(&out.join(&file.path), file.contents.as_bytes()) {
            Ok(Holds::Same) => {}
            Ok(Holds::Differs) | Err(_) => stale.push(Staleness::Modified(file.path.clone())),
            Ok(Holds::Missing) => stale.push(Staleness::Missing(file.path.clone())),
        }
    }
    stale.extend(
        extra_generated_files(out, files)?
            .into_iter()
            .map(Staleness::Extra),
    );
    Ok(stale)
}

/// What is at a file's place.
#[derive(Debug, PartialEq, Eq)]
enum Holds {
    /// A regular file with exactly the expected bytes.
    Same,
    /// Something else: other bytes, a symbolic link, a FIFO, a device... (replaced on writing).
    Differs,
    /// Nothing.
    Missing,
}

/// Whether `target` is a regular file holding exactly `contents`. Reads at most one byte more
/// than `contents`, and opens nothing but a regular file (a FIFO would wait for a writer, a link
/// to `/dev/zero` would never end); a folder in the file's place is an error.
fn holds(target: &Path, contents: &[u8]) -> io::Result<Holds> {
    let metadata = match fs::symlink_metadata(target) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Holds::Missing),
        // A file below something that is not a folder: writing it will say why.
        Err(_) => return Ok(Holds::Differs),
    };
    if metadata.is_dir() {
        return Err(io::Error::other(format!(
            "{} is a folder, where a generated file goes",
            target.display()
        )));
    }
    if !metadata.is_file() || metadata.len() != contents.len() as u64 {
        return Ok(Holds::Differs);
    }
    let Ok(existing) = read_at_most(target, contents.len() + 1) else {
        return Ok(Holds::Differs);
    };
    Ok(if existing == contents {
        Holds::Same
    } else {
        Holds::Differs
    })
}

/// The first `limit` bytes of the file at `path` (fewer if it is shorter).
fn read_at_most(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(limit as u64)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `contents` in a synced temporary file in `target`'s folder, to be renamed over `target`.
fn stage(target: &Path, contents: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".zoho-codegen-")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    Ok(temp)
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

/// Whether the file's first lines (its first 512 bytes, all that is read) carry the generator's
/// marker.
fn carries_marker(path: &Path) -> bool {
    let Ok(head) = read_at_most(path, 512) else {
        return false;
    };
    String::from_utf8_lossy(&head).contains(MARKER)
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

    #[test]
    fn a_folder_where_a_file_goes_fails_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("src/lib.rs")).expect("mkdir");
        fs::write(dir.path().join("a.md"), "old").expect("write");
        let files = vec![file("a.md", "new"), file("src/lib.rs", "X")];
        let error = write_all(dir.path(), &files).expect_err("a folder is in the way");
        assert!(error.to_string().contains("is a folder"), "{error}");
        assert_eq!(
            fs::read_to_string(dir.path().join("a.md")).expect("read"),
            "old"
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("read dir")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    /// A FIFO would block a reader until a writer comes, and `/dev/zero` never ends: neither is
    /// opened, both are replaced by the generated file.
    #[cfg(unix)]
    #[test]
    fn special_files_in_the_output_are_replaced_without_being_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("src")).expect("mkdir");
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("src/lib.rs")).expect("symlink");
        let fifo = dir.path().join("README.md");
        let made_fifo = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|status| status.success());
        if !made_fifo {
            eprintln!("mkfifo is unavailable: the FIFO half of this test is skipped");
        }
        // Not produced any more and not a regular file: not opened to look for the marker.
        let stray = dir.path().join("src/stray.rs");
        std::os::unix::fs::symlink("/dev/zero", &stray).expect("symlink");
        let files = vec![
            file("src/lib.rs", "// @generated by zoho-codegen\n"),
            file("README.md", "R"),
        ];
        let stale = check(dir.path(), &files).expect("check");
        assert!(stale.contains(&Staleness::Modified("src/lib.rs".into())));
        if made_fifo {
            assert!(stale.contains(&Staleness::Modified("README.md".into())));
        }
        let report = write_all(dir.path(), &files).expect("write");
        assert_eq!(report.written.len(), 2);
        for path in ["src/lib.rs", "README.md"] {
            let metadata = fs::symlink_metadata(dir.path().join(path)).expect("written");
            assert!(metadata.is_file(), "{path} is a regular file now");
        }
        assert!(
            fs::symlink_metadata(&stray).is_ok(),
            "a file without the marker is kept"
        );
        assert!(check(dir.path(), &files).expect("check").is_empty());
    }
}
