//! Independent work on every core, results in input order.
//!
//! Generation reads a handful of files and renders a few dozen, each on its own; on a
//! two-core machine doing them side by side halves most of the run. The order of the results
//! never depends on scheduling, so the output stays deterministic.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `items.iter().map(f).collect()`, with the calls spread over the machine's cores.
///
/// A panic in `f` is resumed in the caller as it was raised.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(item)));
        }
    };
    let mut finished = thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            all.extend(
                helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        all
    });
    finished.sort_by_key(|(index, _)| *index);
    finished.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..200).collect();
        let squares = map(&items, |n| {
            // Uneven work, so workers finish out of order.
            if n % 7 == 0 {
                thread::sleep(std::time::Duration::from_millis(1));
            }
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_no_threads() {
        assert!(map(&[] as &[u8], |_| unreachable!()).is_empty());
    }

    #[test]
    fn a_panic_reaches_the_caller_with_its_message() {
        let items: Vec<u8> = (0..8).collect();
        let panic = std::panic::catch_unwind(|| {
            map(&items, |n| {
                assert!(*n != 5, "item five");
                *n
            })
        })
        .expect_err("the panic propagates");
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied());
        assert_eq!(message, Some("item five"));
    }
}
