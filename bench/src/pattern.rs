//! The deterministic content of the test files and of every download: byte `i` is
//! `period[i % PERIOD]`, so any slice can be produced or checked in constant memory.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use bytes::Bytes;

/// A prime, so the pattern never lines up with power-of-two chunk sizes: a chunk
/// dropped, repeated or swapped anywhere changes the bytes that follow it.
const PERIOD: usize = 65_521;

/// The longest slice [`Pattern::slice`] hands out.
pub const MAX_SLICE: usize = 1024 * 1024;

/// The pattern, repeated far enough that every slice of up to [`MAX_SLICE`] bytes is
/// one zero-copy view of it.
#[derive(Clone)]
pub struct Pattern {
    repeated: Bytes,
}

impl Pattern {
    pub fn new() -> Self {
        // xorshift64: cheap, fixed and not compressible, unlike a counter.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let period: Vec<u8> = (0..PERIOD)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 56) as u8
            })
            .collect();
        let repeated = period.iter().copied().cycle().take(PERIOD + MAX_SLICE);
        Self {
            repeated: Bytes::from_iter(repeated),
        }
    }

    /// The `len` bytes at `offset` of the endless pattern.
    pub fn slice(&self, offset: u64, len: usize) -> Bytes {
        assert!(len <= MAX_SLICE, "slice of {len} bytes is over {MAX_SLICE}");
        let start = (offset % PERIOD as u64) as usize;
        self.repeated.slice(start..start + len)
    }

    /// Writes the first `size` bytes of the pattern to a new file at `path`.
    pub fn write_file(&self, path: &Path, size: u64) -> io::Result<()> {
        let mut out = BufWriter::new(File::create(path)?);
        let mut offset = 0;
        while offset < size {
            let len = chunk_len(size - offset);
            out.write_all(&self.slice(offset, len))?;
            offset += len as u64;
        }
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()
    }

    /// Checks that the file at `path` is exactly the first `size` bytes of the pattern,
    /// byte for byte (stronger than a checksum, and as cheap).
    pub fn verify_file(&self, path: &Path, size: u64) -> Result<(), String> {
        self.verify_file_at(path, 0, size)
    }

    /// Checks that the file at `path` is exactly the `size` bytes of the pattern from
    /// `start`: files cut from different places differ even when their sizes are equal, so
    /// one saved under another's name is caught. Byte positions in errors are the file's.
    pub fn verify_file_at(&self, path: &Path, start: u64, size: u64) -> Result<(), String> {
        let describe = |err: io::Error| format!("cannot read {}: {err}", path.display());
        let mut file = File::open(path).map_err(describe)?;
        let actual = file.metadata().map_err(describe)?.len();
        if actual != size {
            return Err(format!(
                "{} has {actual} bytes, expected {size}",
                path.display()
            ));
        }
        let mut buffer = vec![0; chunk_len(size)];
        let mut offset = 0;
        while offset < size {
            let len = chunk_len(size - offset);
            file.read_exact(&mut buffer[..len]).map_err(describe)?;
            let expected = self.slice(start + offset, len);
            if let Some(at) = buffer[..len]
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
            {
                return Err(format!(
                    "{} differs from the pattern at byte {}",
                    path.display(),
                    offset + at as u64
                ));
            }
            offset += len as u64;
        }
        Ok(())
    }
}

fn chunk_len(remaining: u64) -> usize {
    remaining.min(MAX_SLICE as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_continue_each_other_across_the_period() {
        let pattern = Pattern::new();
        let whole = pattern.slice(PERIOD as u64 - 10, 30);
        let joined = [
            pattern.slice(PERIOD as u64 - 10, 10),
            pattern.slice(PERIOD as u64, 20),
        ]
        .concat();
        assert_eq!(whole[..], joined[..]);
        assert_eq!(pattern.slice(3, 5), pattern.slice(3 + 7 * PERIOD as u64, 5));
        assert_ne!(pattern.slice(0, 64), pattern.slice(1, 64));
    }

    #[test]
    fn a_written_file_verifies_and_a_damaged_one_does_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.bin");
        let pattern = Pattern::new();
        let size = 2 * MAX_SLICE as u64 + 12_345;
        pattern.write_file(&path, size).expect("write");
        assert_eq!(pattern.verify_file(&path, size), Ok(()));

        let wrong_size = pattern.verify_file(&path, size + 1).expect_err("size");
        assert!(wrong_size.contains("expected"), "{wrong_size}");

        let mut bytes = std::fs::read(&path).expect("read");
        bytes[1_500_000] ^= 1;
        std::fs::write(&path, bytes).expect("rewrite");
        let damaged = pattern.verify_file(&path, size).expect_err("damaged");
        assert!(damaged.ends_with("at byte 1500000"), "{damaged}");
    }

    #[test]
    fn a_file_cut_from_elsewhere_in_the_pattern_does_not_verify() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.bin");
        let pattern = Pattern::new();
        std::fs::write(&path, pattern.slice(7919, 5000)).expect("write");
        assert_eq!(pattern.verify_file_at(&path, 7919, 5000), Ok(()));
        assert!(pattern.verify_file_at(&path, 0, 5000).is_err());
        assert!(pattern.verify_file_at(&path, 2 * 7919, 5000).is_err());
    }
}
