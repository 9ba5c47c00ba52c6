//! When and how long to wait before trying a failed request again, and per-call
//! settings.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderValue;

/// How a failed request is tried again.
///
/// A request is retried only when its failure is transient
/// ([`Error::is_retryable`](crate::Error::is_retryable): HTTP 429, 5xx, a connection that
/// failed before a complete answer, a connect or read timeout) **and** it can be sent
/// again unchanged: it has no body, a JSON body, or a multipart body whose files are
/// paths or bytes. A request streaming from a reader
/// ([`FilePart::reader`](crate::FilePart::reader)) is never retried, as the reader is
/// used up.
///
/// Between attempts the client waits an exponential backoff (doubling from
/// [`initial_backoff`](Self::initial_backoff) up to [`max_backoff`](Self::max_backoff)),
/// by default with "full jitter" (a random wait between zero and that backoff), so
/// that many clients do not retry in step. A `Retry-After` header on a 429 or 503
/// answer (seconds or an HTTP date) replaces the backoff.
///
/// Retrying stops after [`max_attempts`](Self::max_attempts) attempts in all, or when
/// the next wait would end more than [`max_elapsed`](Self::max_elapsed) after the first
/// attempt started (or past the operation's timeout): the last error is then returned
/// without waiting.
///
/// ```
/// use std::time::Duration;
/// use zoho_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::new()
///     .max_attempts(6)
///     .max_elapsed(Duration::from_secs(120));
/// assert_ne!(patient, RetryPolicy::default());
/// assert_eq!(RetryPolicy::none(), RetryPolicy::new().max_attempts(1));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    jitter: bool,
}

impl RetryPolicy {
    /// The default: 4 attempts in all, backoff from 200 ms doubling to at most 20 s,
    /// full jitter, and no retry started past 60 s.
    pub fn new() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(60),
            jitter: true,
        }
    }

    /// One attempt, never retried.
    pub fn none() -> Self {
        Self::new().max_attempts(1)
    }

    /// Attempts in all, the first included; `0` is taken as `1`.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles for each further one.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts (before jitter).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry whose wait would end later than this after the first attempt started.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Whether each backoff is a random wait between zero and its nominal length
    /// (default `true`). `false` waits exactly the nominal length.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn elapsed_limit(&self) -> Duration {
        self.max_elapsed
    }

    /// The wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let nominal = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        if self.jitter {
            nominal.mul_f64(random_fraction())
        } else {
            nominal
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// A uniformly distributed number in `[0, 1)`. Every `RandomState` is freshly keyed,
/// which is randomness enough for spreading retries (not for anything secret).
fn random_fraction() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u8(0);
    // The top 53 bits fill an f64's mantissa exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Settings for one call, overriding the client's. The generated request builders keep
/// one and pass it to [`Client::send_with`](crate::Client::send_with).
///
/// ```
/// use std::time::Duration;
/// use zoho_runtime::{CallOptions, RetryPolicy};
///
/// let mut options = CallOptions::default();
/// options.retry_policy(RetryPolicy::none());
/// options.timeout(Duration::from_secs(10));
/// ```
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) timeout: Option<Duration>,
}

impl CallOptions {
    /// Retries this call with `policy` instead of the client's
    /// ([`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)).
    pub fn retry_policy(&mut self, policy: RetryPolicy) {
        self.retry_policy = Some(policy);
    }

    /// Limits this whole call (all attempts, the waits between them, and reading a JSON
    /// answer) to `timeout`, instead of the client's
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    pub fn timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date
/// (RFC 9110 §10.2.3; a date in the past means no wait). `None` when unreadable.
pub(crate) fn retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        // More digits than a u64 holds is as good as forever.
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    let at = http_date(text)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let at = u64::try_from(at).unwrap_or(0);
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch of an HTTP date in any of its three forms.
fn http_date(text: &str) -> Option<i64> {
    use chrono::{DateTime, NaiveDateTime};
    // IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, is an RFC 2822 date.
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return Some(date.timestamp());
    }
    // The obsolete forms: RFC 850 and asctime.
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|date| date.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum_without_jitter() {
        let policy = RetryPolicy::new()
            .initial_backoff(Duration::from_millis(200))
            .max_backoff(Duration::from_secs(1))
            .jitter(false);
        let waits: Vec<u128> = (1..=5).map(|n| policy.backoff(n).as_millis()).collect();
        assert_eq!(waits, [200, 400, 800, 1000, 1000]);
        // Far retries neither overflow nor pass the maximum.
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn full_jitter_stays_within_the_nominal_backoff_and_varies() {
        let policy = RetryPolicy::new().initial_backoff(Duration::from_secs(1));
        let waits: Vec<Duration> = (0..50).map(|_| policy.backoff(1)).collect();
        assert!(waits.iter().all(|wait| *wait <= Duration::from_secs(1)));
        assert!(waits.iter().any(|wait| *wait != waits[0]), "{waits:?}");
    }

    #[test]
    fn defaults_and_none() {
        let policy = RetryPolicy::default();
        assert_eq!(policy, RetryPolicy::new());
        assert_eq!(policy.attempts(), 4);
        assert_eq!(policy.elapsed_limit(), Duration::from_secs(60));
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        // 1994-11-06T08:49:37Z
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let header = |text: &'static str| HeaderValue::from_static(text);
        assert_eq!(
            retry_after(&header("120"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(retry_after(&header(" 0 "), now), Some(Duration::ZERO));
        for date in [
            "Sun, 06 Nov 1994 08:50:07 GMT",
            "Sunday, 06-Nov-94 08:50:07 GMT",
            "Sun Nov  6 08:50:07 1994",
        ] {
            assert_eq!(
                retry_after(&header(date), now),
                Some(Duration::from_secs(30)),
                "{date}"
            );
        }
        assert_eq!(
            retry_after(&header("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&header("99999999999999999999999"), now),
            Some(Duration::from_secs(u64::MAX))
        );
        for bad in ["", "-5", "1.5", "soon", "Sun, 99 Nov 1994 08:00:00 GMT"] {
            assert_eq!(retry_after(&header(bad), now), None, "{bad:?}");
        }
    }
}
