//! Temporary files of downloads: their names, and the removal of those a killed process
//! left behind.
//!
//! A download is written to `.NAME.XXXXXX.zoho-part` beside its destination and renamed when
//! complete; a failed or dropped download removes its file itself. Only a process killed
//! mid-download leaves one, so the first download into a folder in each process removes the
//! files of ours there that nothing has written to for a long time.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// The suffix that marks a temporary file as ours.
pub(crate) const SUFFIX: &str = ".zoho-part";

/// How many random characters `tempfile` puts between prefix and suffix.
pub(crate) const RANDOM_CHARS: usize = 6;

/// A temporary file untouched for this long belongs to no live download: each one writes
/// at least every read timeout (60 s by default), or fails and removes its file.
const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// Folders swept by this process.
static SWEPT: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Whether `name` is one of our temporary files: `.` + name + `.` + 6 random letters or
/// digits + [`SUFFIX`].
fn is_ours(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(SUFFIX) else {
        return false;
    };
    let Some((prefix, random)) = stem.rsplit_once('.') else {
        return false;
    };
    prefix.len() > 1
        && prefix.starts_with('.')
        && random.len() == RANDOM_CHARS
        && random.bytes().all(|byte| byte.is_ascii_alphanumeric())
}

/// Removes our stale temporary files from `dir`, once per process per folder, and
/// returns how many it removed. `read_timeout` lengthens the age bound when it is longer
/// than an hour, so a live download of this configuration is never taken for a stale one.
/// Failures are logged and ignored: a leftover is untidy, not wrong.
pub(crate) fn sweep_once(dir: &Path, read_timeout: Duration) -> usize {
    {
        let mut swept = SWEPT.lock().unwrap_or_else(PoisonError::into_inner);
        let swept = swept.get_or_insert_with(HashSet::new);
        // The folder as given is checked first: resolving it costs a system call per
        // component, too much for every download of a bulk transfer into one folder.
        if swept.contains(dir) {
            return 0;
        }
        swept.insert(dir.to_owned());
        // Another spelling of a folder already swept (`./x`, a symlink).
        if let Ok(resolved) = dir.canonicalize()
            && resolved != dir
            && !swept.insert(resolved)
        {
            return 0;
        }
    }
    let bound = STALE_AFTER.max(read_timeout.saturating_mul(2));
    match sweep(dir, bound, SystemTime::now()) {
        Ok(removed) => {
            if removed > 0 {
                tracing::debug!(removed, "removed temporary files of interrupted downloads");
            }
            removed
        }
        Err(error) => {
            tracing::debug!(%error, "could not look for temporary files of interrupted downloads");
            0
        }
    }
}

/// Removes the regular files of ours in `dir` last modified more than `bound` before `now`.
fn sweep(dir: &Path, bound: Duration, now: SystemTime) -> io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_ours) {
            continue;
        }
        // Not followed: a symlink or folder with our name is not ours to remove.
        let Ok(metadata) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let stale = metadata.is_file()
            && metadata
                .modified()
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .is_some_and(|age| age > bound);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use std::fs::File;

    use super::*;

    #[test]
    fn only_our_pattern_is_ours() {
        for ours in [
            ".report.pdf.aB3xY9.zoho-part",
            ".a.000000.zoho-part",
            ".x.y.z.QWERTY.zoho-part",
        ] {
            assert!(is_ours(ours), "{ours}");
        }
        for theirs in [
            "report.pdf.aB3xY9.zoho-part",
            "..aB3xY9.zoho-part",
            ".report.pdf.aB3xY.zoho-part",
            ".report.pdf.aB3xY9.part",
            ".report.pdf.aB3-Y9.zoho-part",
            ".report.pdf.zoho-part",
            "report.pdf.part",
            ".zoho-part",
        ] {
            assert!(!is_ours(theirs), "{theirs}");
        }
    }

    #[test]
    fn stale_files_of_ours_go_and_everything_else_stays() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let day_ago = SystemTime::now() - Duration::from_secs(24 * 60 * 60);
        let make = |name: &str, modified: SystemTime| {
            let file = File::create(dir.path().join(name)).expect("created");
            file.set_modified(modified).expect("mtime set");
        };
        make(".old.pdf.aB3xY9.zoho-part", day_ago);
        make(".fresh.pdf.aB3xY9.zoho-part", SystemTime::now());
        make("old.pdf.part", day_ago);
        make("notes.txt", day_ago);
        std::fs::create_dir(dir.path().join(".dir.aB3xY9.zoho-part")).expect("a folder");

        let removed = sweep(dir.path(), STALE_AFTER, SystemTime::now()).expect("swept");
        assert_eq!(removed, 1);
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("listed")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .into_string()
                    .expect("UTF-8")
            })
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".dir.aB3xY9.zoho-part",
                ".fresh.pdf.aB3xY9.zoho-part",
                "notes.txt",
                "old.pdf.part"
            ]
        );
    }

    #[test]
    fn a_folder_is_swept_once_per_process() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let day_ago = SystemTime::now() - Duration::from_secs(24 * 60 * 60);
        let stale = |name: &str| {
            let file = File::create(dir.path().join(name)).expect("created");
            file.set_modified(day_ago).expect("mtime set");
        };
        stale(".a.aaaaaa.zoho-part");
        assert_eq!(sweep_once(dir.path(), Duration::from_secs(60)), 1);
        stale(".b.bbbbbb.zoho-part");
        assert_eq!(sweep_once(dir.path(), Duration::from_secs(60)), 0);
        assert!(dir.path().join(".b.bbbbbb.zoho-part").exists());
    }
}
