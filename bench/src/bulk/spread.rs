//! The sizes of the bulk benchmark's attachments: a fixed spread from 1 KiB to 1 MiB with
//! many small files and most bytes in large ones, in a mixed order.

/// The smallest attachment.
pub const MIN_SIZE: u64 = 1 << 10;
/// The largest attachment.
pub const MAX_SIZE: u64 = 1 << 20;

/// Seeds the shuffle: fixed, so every run and every machine downloads the same sequence.
const SEED: u64 = 0x5EED_0FA7_7AC4_ED00;

/// `count` sizes from [`MIN_SIZE`] to [`MAX_SIZE`] (both included when `count > 1`).
///
/// At evenly spaced quantiles `q` of `0..=1` the size is `2^(10 + 10·√q)` bytes: spread over
/// every power of two like a log-uniform spread, but leaning toward large files. A plain
/// log-uniform spread puts 1000 files at 144 MiB, mostly in a few big ones, so per-download
/// overhead would swamp the transfer; this one gives 247 MiB, 11% of files under 10 KiB,
/// 19% over 512 KiB and a median of 135 KiB. Quantiles rather than random draws keep the
/// total the same whatever the seed; the seeded shuffle then mixes big and small, so
/// concurrent downloads do not all finish together.
pub fn sizes(count: usize) -> Vec<u64> {
    let last = count.saturating_sub(1).max(1) as f64;
    let mut sizes: Vec<u64> = (0..count)
        .map(|i| {
            let q = i as f64 / last;
            let exponent = 10.0 + 10.0 * q.sqrt();
            (exponent.exp2().round() as u64).clamp(MIN_SIZE, MAX_SIZE)
        })
        .collect();
    shuffle(&mut sizes, SEED);
    sizes
}

/// Fisher–Yates with splitmix64: tiny, fixed, and independent of any crate's version.
fn shuffle(values: &mut [u64], seed: u64) {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..values.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        values.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn the_spread_is_fixed_and_within_bounds() {
        let sizes = sizes(1000);
        assert_eq!(sizes, super::sizes(1000), "the same spread every time");
        assert_eq!(sizes.len(), 1000);
        assert!(
            sizes
                .iter()
                .all(|size| (MIN_SIZE..=MAX_SIZE).contains(size))
        );
        assert_eq!(sizes.iter().min(), Some(&MIN_SIZE));
        assert_eq!(sizes.iter().max(), Some(&MAX_SIZE));
        let total: u64 = sizes.iter().sum();
        assert!((200 * MIB..=400 * MIB).contains(&total), "{total} bytes");
    }

    #[test]
    fn the_spread_is_mixed_not_sorted() {
        let sizes = sizes(1000);
        let small = sizes.iter().filter(|&&size| size < 10 * 1024).count();
        let large = sizes.iter().filter(|&&size| size > 512 * 1024).count();
        assert!((80..=140).contains(&small), "{small} files under 10 KiB");
        assert!((150..=230).contains(&large), "{large} files over 512 KiB");
        // Shuffled: each tenth of the download order holds small and large files alike.
        for tenth in sizes.chunks(100) {
            assert!(tenth.iter().any(|&size| size < 64 * 1024), "{tenth:?}");
            assert!(tenth.iter().any(|&size| size > 256 * 1024), "{tenth:?}");
        }
    }

    #[test]
    fn few_files_still_work() {
        assert_eq!(sizes(0), Vec::<u64>::new());
        assert_eq!(sizes(1), vec![MIN_SIZE]);
        let mut two = sizes(2);
        two.sort_unstable();
        assert_eq!(two, vec![MIN_SIZE, MAX_SIZE]);
    }
}
