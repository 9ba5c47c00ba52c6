//! The bulk benchmark's attachments: seeded into the fake, listed for the client child in a
//! manifest, and every saved copy checked byte for byte afterwards.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use zoho_fake::{FakeZoho, Parent};

use crate::pattern::Pattern;

/// The CRM module every attachment belongs to (what the client child asks for too).
pub const MODULE: &str = "Leads";

/// Attachments are spread over this many records, as a backup of a module would be.
const RECORDS: usize = 10;

/// A prime step between the pattern offsets of consecutive files, so no two of them hold
/// the same bytes (65,521, the pattern's period, is prime too, so the offsets never repeat
/// before then) and one file saved under another's name fails verification.
const OFFSET_STEP: u64 = 7919;

/// One attachment stored in the fake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub record: String,
    pub id: String,
    /// The name the fake sends in `Content-Disposition`, and the saved file's name.
    pub name: String,
    /// Where in the pattern its content starts.
    pub offset: u64,
    pub size: u64,
}

/// Stores one attachment per size in `zoho`, its content cut from `pattern` (zero-copy:
/// the fake holds views of the pattern's buffer, not 250 MiB of copies).
pub fn seed(zoho: &FakeZoho, pattern: &Pattern, sizes: &[u64]) -> Vec<Attachment> {
    sizes
        .iter()
        .enumerate()
        .map(|(index, &size)| {
            let record = format!("48768760000003760{:02}", index % RECORDS);
            let name = format!("attachment-{index:04}.bin");
            let offset = index as u64 * OFFSET_STEP;
            let len = usize::try_from(size).unwrap_or(usize::MAX);
            let content = pattern.slice(offset, len);
            let id = zoho.add_file(&Parent::crm(MODULE, &record), &name, content);
            Attachment {
                record,
                id,
                name,
                offset,
                size,
            }
        })
        .collect()
}

/// What the client child downloads: one `record attachment` line per attachment.
pub fn manifest(attachments: &[Attachment]) -> String {
    attachments.iter().fold(String::new(), |mut text, a| {
        let _ = writeln!(text, "{} {}", a.record, a.id);
        text
    })
}

/// The `(record, attachment)` pairs of a [`manifest`].
pub fn parse_manifest(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(at, line)| {
            let mut fields = line.split_whitespace();
            match (fields.next(), fields.next(), fields.next()) {
                (Some(record), Some(id), None) => Ok((record.to_owned(), id.to_owned())),
                _ => Err(format!(
                    "manifest line {}: expected `record attachment`, got {line:?}",
                    at + 1
                )),
            }
        })
        .collect()
}

/// How many problems an error lists before it only counts them.
const SHOWN_PROBLEMS: usize = 5;

/// Checks that `dir` holds exactly one file per attachment, under its name, with its exact
/// bytes; nothing missing, nothing extra (a left-over `.part` file is an error too).
pub fn verify_dir(dir: &Path, attachments: &[Attachment], pattern: &Pattern) -> Result<(), String> {
    let describe = |err: std::io::Error| format!("cannot list {}: {err}", dir.display());
    let mut expected: HashMap<&str, &Attachment> =
        attachments.iter().map(|a| (a.name.as_str(), a)).collect();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(describe)? {
        let entry = entry.map_err(describe)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match expected.remove(name.as_str()) {
            Some(a) => {
                if let Err(err) = pattern.verify_file_at(&entry.path(), a.offset, a.size) {
                    problems.push(format!("attachment {} ({}): {err}", a.id, a.name));
                }
            }
            None => problems.push(format!("unexpected file {name:?}")),
        }
    }
    let mut missing: Vec<&str> = expected.into_keys().collect();
    missing.sort_unstable();
    problems.extend(missing.iter().map(|name| format!("missing {name}")));
    if problems.is_empty() {
        return Ok(());
    }
    let shown = problems[..problems.len().min(SHOWN_PROBLEMS)].join("; ");
    let more = problems.len().saturating_sub(SHOWN_PROBLEMS);
    let more = if more > 0 {
        format!("; and {more} more")
    } else {
        String::new()
    };
    Err(format!(
        "{} problem(s) among {} expected files in {}: {shown}{more}",
        problems.len(),
        attachments.len(),
        dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(index: u64, size: u64) -> Attachment {
        Attachment {
            record: "1".to_owned(),
            id: format!("id{index}"),
            name: format!("a{index}.bin"),
            offset: index * OFFSET_STEP,
            size,
        }
    }

    #[test]
    fn the_manifest_reads_back() {
        let attachments = [attachment(0, 1), attachment(1, 2)];
        let text = manifest(&attachments);
        assert_eq!(text, "1 id0\n1 id1\n");
        assert_eq!(
            parse_manifest(&text),
            Ok(vec![
                ("1".to_owned(), "id0".to_owned()),
                ("1".to_owned(), "id1".to_owned())
            ])
        );
        let bad = parse_manifest("1 id0\n1\n").expect_err("a short line");
        assert!(bad.starts_with("manifest line 2:"), "{bad}");
    }

    #[test]
    fn verification_finds_wrong_missing_and_extra_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pattern = Pattern::new();
        let attachments: Vec<Attachment> = (0..4).map(|index| attachment(index, 3000)).collect();
        let write = |a: &Attachment| {
            std::fs::write(dir.path().join(&a.name), pattern.slice(a.offset, 3000)).expect("write");
        };
        attachments.iter().for_each(write);
        assert_eq!(verify_dir(dir.path(), &attachments, &pattern), Ok(()));

        // The same size, another file's bytes.
        std::fs::copy(
            dir.path().join(&attachments[0].name),
            dir.path().join(&attachments[1].name),
        )
        .expect("copy");
        std::fs::remove_file(dir.path().join(&attachments[2].name)).expect("remove");
        std::fs::write(dir.path().join(".a3.bin.x1y2z3.part"), b"").expect("write");
        let err = verify_dir(dir.path(), &attachments, &pattern).expect_err("three problems");
        assert!(
            err.starts_with("3 problem(s) among 4 expected files"),
            "{err}"
        );
        assert!(err.contains("attachment id1 (a1.bin)"), "{err}");
        assert!(err.contains("missing a2.bin"), "{err}");
        assert!(
            err.contains("unexpected file \".a3.bin.x1y2z3.part\""),
            "{err}"
        );
    }
}
