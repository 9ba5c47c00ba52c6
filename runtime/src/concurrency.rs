//! An adaptive limit on the calls a client has in flight at once.
//!
//! Zoho caps the calls an organisation may have in flight (CRM: 5 on the Free edition to 25
//! on Ultimate, 10 for some heavy APIs) and answers `429 TOO_MANY_REQUESTS` beyond it. A
//! client given [`ClientBuilder::max_concurrency`](crate::ClientBuilder::max_concurrency)
//! keeps at most that many calls in flight, halves the number when Zoho says it is too many,
//! and raises it back by one per window of successful calls (additive increase,
//! multiplicative decrease, as TCP does with its congestion window).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The limit shared by every clone of one client.
#[derive(Debug)]
pub(crate) struct Limiter {
    max: usize,
    semaphore: Arc<Semaphore>,
    state: Mutex<Window>,
}

#[derive(Debug)]
struct Window {
    /// Grows by `1 / size` per success, so by about one per window of successes.
    size: f64,
    /// Permits that exist: handed out or waiting in the semaphore.
    granted: usize,
    /// Permits to retire as they come back, after a cut larger than the free ones.
    debt: usize,
    /// Counts the cuts. A 429 to a call sent before the last cut says nothing new: the
    /// window was cut for that burst already (as TCP cuts once per round trip).
    epoch: u64,
}

/// A place among the calls in flight, given back when dropped.
#[derive(Debug)]
pub(crate) struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    limiter: Arc<Limiter>,
    /// The window's epoch when the place was taken.
    epoch: u64,
}

impl Limiter {
    /// At most `max` calls at once (at least one).
    pub(crate) fn new(max: usize) -> Arc<Self> {
        let max = max.max(1);
        Arc::new(Self {
            max,
            semaphore: Arc::new(Semaphore::new(max)),
            state: Mutex::new(Window {
                size: max as f64,
                granted: max,
                debt: 0,
                epoch: 0,
            }),
        })
    }

    fn state(&self) -> MutexGuard<'_, Window> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The most calls allowed at once.
    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// How many calls are allowed at once now.
    pub(crate) fn current(&self) -> usize {
        self.state().granted
    }

    /// Waits for a place (in arrival order). `None` only if the semaphore was closed, which
    /// never happens: the call then goes ahead unlimited rather than failing.
    pub(crate) async fn acquire(self: &Arc<Self>) -> Option<Slot> {
        let permit = self.semaphore.clone().acquire_owned().await.ok()?;
        Some(Slot {
            permit: Some(permit),
            limiter: Arc::clone(self),
            epoch: self.state().epoch,
        })
    }

    /// Zoho said there are too many calls to one sent in `epoch`: halve the window (not
    /// below one), unless it was cut since that call was sent.
    fn throttled(&self, epoch: u64) {
        let mut state = self.state();
        if epoch != state.epoch {
            return;
        }
        state.epoch += 1;
        let keep = (state.granted / 2).max(1);
        let mut cut = state.granted - keep;
        state.granted = keep;
        state.size = keep as f64;
        // Free permits go at once; the rest as the calls holding them finish.
        while cut > 0 {
            match self.semaphore.try_acquire() {
                Ok(permit) => permit.forget(),
                Err(_) => break,
            }
            cut -= 1;
        }
        state.debt += cut;
        tracing::debug!(
            allowed = keep,
            "Zoho answered too many requests; lowering the client's concurrency"
        );
    }

    /// A call succeeded: grow the window towards the maximum.
    fn succeeded(&self) {
        let mut state = self.state();
        if state.granted >= self.max {
            return;
        }
        state.size += 1.0 / state.size;
        if state.size.floor() as usize > state.granted {
            state.granted += 1;
            if state.debt > 0 {
                state.debt -= 1;
            } else {
                self.semaphore.add_permits(1);
            }
        }
    }
}

impl Slot {
    /// Zoho answered this call `429 TOO_MANY_REQUESTS`.
    pub(crate) fn throttled(&self) {
        self.limiter.throttled(self.epoch);
    }

    /// Zoho answered this call with success.
    pub(crate) fn succeeded(&self) {
        self.limiter.succeeded();
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let mut state = self.limiter.state();
        if state.debt > 0 {
            state.debt -= 1;
            permit.forget();
        }
        // Otherwise the permit goes back to the semaphore as it drops here.
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn at_most_max_slots_are_handed_out() {
        let limiter = Limiter::new(3);
        let held: Vec<_> = futures::future::join_all((0..3).map(|_| limiter.acquire())).await;
        assert!(held.iter().all(Option::is_some));
        let fourth = tokio::time::timeout(Duration::from_secs(1), limiter.acquire()).await;
        assert!(fourth.is_err(), "a fourth slot was handed out");
        drop(held);
        assert!(limiter.acquire().await.is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn a_cut_halves_the_window_and_retires_returned_slots() {
        let limiter = Limiter::new(8);
        let mut held = Vec::new();
        for _ in 0..6 {
            held.push(limiter.acquire().await.expect("a slot"));
        }
        held[0].throttled();
        assert_eq!(limiter.current(), 4);
        // Two free permits were retired at once, two more are owed by the calls in flight.
        assert_eq!(limiter.semaphore.available_permits(), 0);
        // Another 429 to a call sent before the cut does not cut again.
        held[1].throttled();
        assert_eq!(limiter.current(), 4);
        held.truncate(2);
        assert_eq!(limiter.semaphore.available_permits(), 2);
        // One sent after it does.
        let late = limiter.acquire().await.expect("a slot");
        late.throttled();
        assert_eq!(limiter.current(), 2);
        drop(late);
        drop(held);
        assert_eq!(limiter.semaphore.available_permits(), 2);
    }

    /// Cuts the window of `limiter` once, with a call sent under the current one.
    async fn cut(limiter: &Arc<Limiter>) {
        limiter.acquire().await.expect("a slot").throttled();
    }

    #[tokio::test(start_paused = true)]
    async fn successes_grow_the_window_back_by_about_one_per_window() {
        let limiter = Limiter::new(8);
        cut(&limiter).await;
        cut(&limiter).await;
        assert_eq!(limiter.current(), 2);
        // 2 + 1/2 + 1/2.5 + 1/2.9: the third success takes a window of 2 to 3.
        limiter.succeeded();
        limiter.succeeded();
        assert_eq!(limiter.current(), 2);
        limiter.succeeded();
        assert_eq!(limiter.current(), 3);
        for _ in 0..100 {
            limiter.succeeded();
        }
        assert_eq!(limiter.current(), 8);
        assert_eq!(limiter.semaphore.available_permits(), 8);
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_never_drops_below_one() {
        let limiter = Limiter::new(2);
        for _ in 0..5 {
            cut(&limiter).await;
        }
        assert_eq!(limiter.current(), 1);
        assert!(limiter.acquire().await.is_some());
    }
}
