//! Length, range and size limits, checked before (or while) a request is sent.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use futures::{Stream, StreamExt};

use crate::Error;
use crate::timeout::Activity;

/// [`Error::InvalidInput`] naming `parameter` and the bounds when `value` has fewer
/// than `min` or more than `max` characters (Unicode scalar values, not bytes).
///
/// ```
/// use zoho_runtime::check_length;
///
/// assert!(check_length("title", "€ rates", Some(1), Some(7)).is_ok());
/// let err = check_length("title", "", Some(1), Some(255)).unwrap_err();
/// assert_eq!(err.to_string(), "invalid `title`: must have between 1 and 255 characters; it has 0");
/// ```
///
/// # Errors
///
/// [`Error::InvalidInput`] when the length is out of bounds. The value itself is not
/// repeated: it may be long, or private.
pub fn check_length(
    parameter: &'static str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Error> {
    let length = value.chars().count();
    if min.is_none_or(|min| length >= min) && max.is_none_or(|max| length <= max) {
        return Ok(());
    }
    let characters = |n: usize| {
        if n == 1 {
            "1 character".to_owned()
        } else {
            format!("{n} characters")
        }
    };
    let bounds = match (min, max) {
        (Some(min), Some(max)) if min == max => format!("exactly {}", characters(min)),
        (Some(min), Some(max)) => format!("between {min} and {}", characters(max)),
        (Some(min), None) => format!("at least {}", characters(min)),
        (None, Some(max)) => format!("at most {}", characters(max)),
        (None, None) => unreachable!("a value without bounds is always accepted"),
    };
    Err(Error::InvalidInput {
        parameter,
        reason: format!("must have {bounds}; it has {length}"),
    })
}

/// [`Error::InvalidInput`] naming `parameter` and the bounds when `value` is outside
/// `[min, max]` (both inclusive).
///
/// ```
/// use zoho_runtime::check_range;
///
/// assert!(check_range("per_page", 200, Some(1), Some(200)).is_ok());
/// let err = check_range("per_page", 500, Some(1), Some(200)).unwrap_err();
/// assert_eq!(err.to_string(), "invalid `per_page`: must be between 1 and 200; it is 500");
/// ```
///
/// # Errors
///
/// [`Error::InvalidInput`] when the value is out of range.
pub fn check_range(
    parameter: &'static str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Error> {
    if min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max) {
        return Ok(());
    }
    let bounds = match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => unreachable!("a value without bounds is always accepted"),
    };
    Err(Error::InvalidInput {
        parameter,
        reason: format!("must be {bounds}; it is {value}"),
    })
}

/// A size limit on something being sent.
#[derive(Debug, Clone)]
pub(crate) struct Limit {
    /// What is limited, as [`Error::TooLarge`] names it.
    pub(crate) what: String,
    pub(crate) bytes: u64,
}

impl Limit {
    /// [`Error::TooLarge`] when `size` is over the limit.
    pub(crate) fn check(&self, size: u64) -> Result<(), Error> {
        if size > self.bytes {
            Err(self.error(size))
        } else {
            Ok(())
        }
    }

    fn error(&self, size: u64) -> Error {
        Error::TooLarge {
            what: self.what.clone(),
            size,
            limit: self.bytes,
        }
    }
}

/// A limit on a whole body whose parts' sizes become known at different times:
/// parts of known size are counted before sending, streamed ones as they are read.
#[derive(Debug)]
pub(crate) struct SharedLimit {
    limit: Limit,
    known: AtomicU64,
    streamed: AtomicU64,
}

impl SharedLimit {
    pub(crate) fn new(limit: Limit) -> Self {
        Self {
            limit,
            known: AtomicU64::new(0),
            streamed: AtomicU64::new(0),
        }
    }

    /// Records the sum of the parts of known size and checks it.
    pub(crate) fn set_known(&self, known: u64) -> Result<(), Error> {
        self.known.store(known, Ordering::Relaxed);
        self.limit.check(known)
    }

    /// Counts `len` streamed bytes and returns the body's size so far.
    fn add_streamed(&self, len: u64) -> u64 {
        let streamed = self
            .streamed
            .fetch_add(len, Ordering::Relaxed)
            .saturating_add(len);
        self.known.load(Ordering::Relaxed).saturating_add(streamed)
    }
}

/// Where a streamed part records the limit it passed. The HTTP client only sees a
/// failed body stream and reports a broken request; this lets the client report
/// [`Error::TooLarge`] instead.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tripwire(Arc<Mutex<Option<Error>>>);

impl Tripwire {
    fn trip(&self, error: Error) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(error);
    }

    /// The limit that stopped the body, if one did.
    pub(crate) fn take(&self) -> Option<Error> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// The limits that a stream of unknown length must respect, and where streamed
/// parts report progress.
#[derive(Debug, Clone, Default)]
pub(crate) struct StreamLimits {
    pub(crate) part: Option<Limit>,
    pub(crate) body: Option<Arc<SharedLimit>>,
    pub(crate) tripwire: Tripwire,
    pub(crate) activity: Activity,
}

impl StreamLimits {
    pub(crate) fn is_empty(&self) -> bool {
        self.part.is_none() && self.body.is_none()
    }

    /// Passes `stream` through, failing it as soon as a limit is passed; the chunk
    /// that passes it is not sent.
    pub(crate) fn apply<S>(
        self,
        stream: S,
    ) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static
    where
        S: Stream<Item = io::Result<Bytes>> + Send + 'static,
    {
        let mut read: u64 = 0;
        stream.map(move |chunk| {
            let chunk = chunk?;
            let len = chunk.len() as u64;
            read = read.saturating_add(len);
            let part = self.part.as_ref().map(|limit| limit.check(read));
            let body = self
                .body
                .as_ref()
                .map(|shared| shared.limit.check(shared.add_streamed(len)));
            match part.into_iter().chain(body).find_map(Result::err) {
                None => Ok(chunk),
                Some(error) => {
                    self.tripwire.trip(error);
                    Err(io::Error::other("the content passed its size limit"))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use futures::stream;

    use super::*;

    fn chunks(sizes: &[usize]) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
        let chunks: Vec<io::Result<Bytes>> =
            sizes.iter().map(|&n| Ok(Bytes::from(vec![7; n]))).collect();
        stream::iter(chunks)
    }

    #[tokio::test]
    async fn a_stream_fails_on_the_chunk_that_passes_its_limit() {
        let limits = StreamLimits {
            part: Some(Limit {
                what: "file part `file` (x)".into(),
                bytes: 10,
            }),
            ..StreamLimits::default()
        };
        let tripwire = limits.tripwire.clone();
        let items: Vec<_> = limits.apply(chunks(&[4, 6, 1, 5])).collect().await;
        assert!(items[0].is_ok() && items[1].is_ok());
        assert!(items[2].is_err());
        match tripwire.take() {
            Some(Error::TooLarge { what, size, limit }) => {
                assert_eq!(
                    (what.as_str(), size, limit),
                    ("file part `file` (x)", 11, 10)
                );
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_shared_limit_counts_known_parts_and_every_stream() {
        let shared = Arc::new(SharedLimit::new(Limit {
            what: "request body".into(),
            bytes: 20,
        }));
        assert!(shared.set_known(8).is_ok());
        let limits = StreamLimits {
            body: Some(shared.clone()),
            ..StreamLimits::default()
        };
        let first: Vec<_> = limits.clone().apply(chunks(&[6])).collect().await;
        assert!(first[0].is_ok());
        let second: Vec<_> = limits.clone().apply(chunks(&[6, 1])).collect().await;
        assert!(second[0].is_ok() && second[1].is_err());
        assert!(matches!(
            limits.tripwire.take(),
            Some(Error::TooLarge {
                size: 21,
                limit: 20,
                ..
            })
        ));
    }
}
