//! Time limits: which one a request passed, the read (idle) timeout, and the
//! whole-operation deadline.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::time::Instant;

use crate::Error;

/// Which time limit a request passed; see [`TimedOut::kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection took longer than the connect timeout
    /// ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)).
    Connect,
    /// Nothing moved (no upload chunk taken, no answer byte read) for longer than the
    /// read timeout ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout)):
    /// a stalled connection or a server that does not answer.
    Read,
    /// The whole operation (all attempts, the waits between them, and reading a JSON
    /// answer) took longer than its timeout
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout),
    /// [`CallOptions::timeout`](crate::CallOptions::timeout)).
    Operation,
}

/// What an [`Error::Timeout`] ran into: the kind of limit and, when known, its length.
#[derive(Debug)]
pub struct TimedOut {
    kind: TimeoutKind,
    limit: Option<Duration>,
    source: Option<reqwest::Error>,
}

impl TimedOut {
    /// Which limit was passed.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured length of that limit, when the runtime knows it (a connect
    /// timeout of a client given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) is not known).
    pub fn limit(&self) -> Option<Duration> {
        self.limit
    }

    pub(crate) fn read(limit: Duration) -> Self {
        Self {
            kind: TimeoutKind::Read,
            limit: Some(limit),
            source: None,
        }
    }

    pub(crate) fn operation(limit: Duration) -> Self {
        Self {
            kind: TimeoutKind::Operation,
            limit: Some(limit),
            source: None,
        }
    }

    /// A timeout reported by the HTTP client: connecting, or a limit of a custom client.
    pub(crate) fn from_reqwest(source: reqwest::Error, connect_limit: Option<Duration>) -> Self {
        let connect = source.is_connect();
        Self {
            kind: if connect {
                TimeoutKind::Connect
            } else {
                TimeoutKind::Read
            },
            limit: if connect { connect_limit } else { None },
            source: Some(source),
        }
    }
}

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connecting took longer than the connect timeout",
            TimeoutKind::Read => "no data moved for longer than the read timeout",
            TimeoutKind::Operation => "the operation took longer than its timeout",
        };
        f.write_str(what)?;
        if let Some(limit) = self.limit {
            write!(f, " ({})", seconds(limit))?;
        }
        Ok(())
    }
}

impl std::error::Error for TimedOut {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// `1.5 s`, `60 s`, `0.2 s`: short and exact enough for a message.
fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{} s", duration.as_secs_f64())
    }
}

/// When data last moved for one attempt. Streamed upload chunks touch it as the HTTP
/// client takes them, so a large upload that progresses never looks idle.
#[derive(Clone, Debug)]
pub(crate) struct Activity(Arc<Mutex<Instant>>);

impl Default for Activity {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(Instant::now())))
    }
}

impl Activity {
    pub(crate) fn touch(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
    }

    fn last(&self) -> Instant {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Passes `stream` through, touching the activity for every item taken.
    pub(crate) fn track<S: Stream>(&self, stream: S) -> impl Stream<Item = S::Item> + use<S> {
        let activity = self.clone();
        stream.inspect(move |_| activity.touch())
    }

    /// Runs `work` until it finishes or nothing has moved for `limit`.
    ///
    /// # Errors
    ///
    /// [`Error::Timeout`] of kind [`TimeoutKind::Read`] when idle for `limit`.
    pub(crate) async fn watch<F: Future>(
        &self,
        limit: Duration,
        work: F,
    ) -> Result<F::Output, Error> {
        tokio::pin!(work);
        loop {
            // A limit too large to add means no limit.
            let Some(due) = self.last().checked_add(limit) else {
                return Ok(work.await);
            };
            tokio::select! {
                output = &mut work => return Ok(output),
                () = tokio::time::sleep_until(due) => {
                    if self.last().checked_add(limit).is_some_and(|due| due <= Instant::now()) {
                        return Err(Error::Timeout(TimedOut::read(limit)));
                    }
                }
            }
        }
    }
}

/// The next chunk of an answer's body, waiting at most `idle` for it.
///
/// # Errors
///
/// [`Error::Timeout`] of kind [`TimeoutKind::Read`] after `idle` without data;
/// [`Error::Transport`] when the connection fails.
pub(crate) async fn next_chunk(
    response: &mut reqwest::Response,
    idle: Duration,
) -> Result<Option<Bytes>, Error> {
    match tokio::time::timeout(idle, response.chunk()).await {
        Ok(chunk) => chunk.map_err(Error::from_reqwest),
        Err(_) => Err(Error::Timeout(TimedOut::read(idle))),
    }
}

/// The end of the whole operation and its length, for the error that reports it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) limit: Duration,
}

impl Deadline {
    /// `limit` from now; `None` when it is too large to represent (no deadline).
    pub(crate) fn after(limit: Duration) -> Option<Self> {
        Instant::now()
            .checked_add(limit)
            .map(|at| Self { at, limit })
    }

    /// Runs `work`, failing with [`TimeoutKind::Operation`] if it is not done in time.
    pub(crate) async fn run<T>(
        deadline: Option<Self>,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline.at, work)
                .await
                .unwrap_or_else(|_| Err(Error::Timeout(TimedOut::operation(deadline.limit)))),
            None => work.await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limit() {
        assert_eq!(
            TimedOut::read(Duration::from_secs(60)).to_string(),
            "no data moved for longer than the read timeout (60 s)"
        );
        assert_eq!(
            TimedOut::operation(Duration::from_millis(1500)).to_string(),
            "the operation took longer than its timeout (1.5 s)"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn watch_times_out_only_when_idle() {
        let activity = Activity::default();
        let limit = Duration::from_secs(10);
        // Touched every 5 s for 30 s: never idle for 10 s.
        let busy = {
            let activity = activity.clone();
            async move {
                for _ in 0..6 {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    activity.touch();
                }
                "done"
            }
        };
        assert_eq!(activity.watch(limit, busy).await.ok(), Some("done"));

        let stalled = std::future::pending::<()>();
        match activity.watch(limit, stalled).await {
            Err(Error::Timeout(timed_out)) => assert_eq!(timed_out.kind(), TimeoutKind::Read),
            other => panic!("expected a read timeout, got {other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn deadline_bounds_the_whole_work() {
        let deadline = Deadline::after(Duration::from_secs(1));
        let slow = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(())
        };
        match Deadline::run(deadline, slow).await {
            Err(Error::Timeout(timed_out)) => {
                assert_eq!(timed_out.kind(), TimeoutKind::Operation);
                assert_eq!(timed_out.limit(), Some(Duration::from_secs(1)));
            }
            other => panic!("expected an operation timeout, got {other:?}"),
        }
        assert!(Deadline::run(None, async { Ok(()) }).await.is_ok());
    }
}
