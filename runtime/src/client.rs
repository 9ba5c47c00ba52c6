//! The client: authorises, sends, retries and classifies one operation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use http::header::{AUTHORIZATION, RETRY_AFTER, USER_AGENT};
use tokio::time::Instant;
use tracing::Instrument;

use crate::concurrency::Limiter;
use crate::endpoint::{Origin, check_path};
use crate::redirect::same_origin;
use crate::response::ReadLimits;
use crate::retry::retry_after;
use crate::timeout::{Activity, Deadline};
use crate::{
    AccessToken, CallOptions, ClientBuilder, Error, OperationInfo, RedirectError, Request,
    Response, RetryPolicy, TokenSource, auth, failure,
};

/// A Zoho API client. Cheap to clone: clones share one connection pool and token source.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Config>,
}

/// Everything a client needs, fixed at build time.
pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) origin: Origin,
    pub(crate) tokens: Arc<dyn TokenSource>,
    pub(crate) user_agent: HeaderValue,
    /// `None` when the HTTP client was given, so its connect timeout is unknown.
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) read_timeout: Duration,
    /// The whole-operation limit of calls that move no file.
    pub(crate) timeout: Option<Duration>,
    /// The whole-operation limit of uploads and downloads.
    pub(crate) transfer_timeout: Option<Duration>,
    pub(crate) max_response_bytes: u64,
    /// Shared by every clone; `None` without a concurrency limit.
    pub(crate) limiter: Option<Arc<Limiter>>,
    pub(crate) retry_policy: RetryPolicy,
}

/// Shows where requests go and the token source's own (redacted) `Debug`, never a token.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("origin", &self.inner.origin)
            .field("token_source", &self.inner.tokens)
            .field("user_agent", &self.inner.user_agent)
            .field("read_timeout", &self.inner.read_timeout)
            .field("timeout", &self.inner.timeout)
            .field("transfer_timeout", &self.inner.transfer_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field(
                "max_concurrency",
                &self.inner.limiter.as_ref().map(|limiter| limiter.max()),
            )
            .field("retry_policy", &self.inner.retry_policy)
            .finish_non_exhaustive()
    }
}

/// Why one attempt failed, with what the retry loop needs to know about it.
struct Failure {
    error: Error,
    /// The wait a 429 or 503 answer asked for in `Retry-After`.
    retry_after: Option<Duration>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            error,
            retry_after: None,
        }
    }
}

impl Failure {
    /// Zoho rejected the access token itself (as opposed to, say, a missing scope).
    fn is_invalid_token(&self) -> bool {
        self.error.service().is_some_and(|service| {
            service.http_status() == 401 && service.code() == "INVALID_TOKEN"
        })
    }
}

impl Client {
    /// A builder for a client.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    pub(crate) fn from_config(config: Config) -> Self {
        Self {
            inner: Arc::new(config),
        }
    }

    /// How many calls may be in flight at once now, when the client has a concurrency
    /// limit ([`ClientBuilder::max_concurrency`]): lower than the maximum for a while after
    /// Zoho answered `429 TOO_MANY_REQUESTS`.
    pub fn concurrency(&self) -> Option<usize> {
        self.inner.limiter.as_ref().map(|limiter| limiter.current())
    }

    /// [`send_with`](Self::send_with) with default options: the client's retry policy
    /// and timeout.
    ///
    /// # Errors
    ///
    /// As [`send_with`](Self::send_with).
    pub async fn send(
        &self,
        op: &'static OperationInfo,
        request: Request,
    ) -> Result<Response, Error> {
        self.send_with(op, request, &CallOptions::default()).await
    }

    /// Builds the URL, authorises, sends, retries what is safe to retry, and classifies
    /// the answer.
    ///
    /// - A transient failure ([`Error::is_retryable`]) is retried as the
    ///   [`RetryPolicy`] says, if the request can be sent again (see there).
    /// - A 401 `INVALID_TOKEN` answer tells the token source
    ///   ([`TokenSource::rejected`]) and, if the source then gives a different token and
    ///   the request can be sent again, is retried once with it, whatever the policy.
    ///   If the source cannot give a token then, its [`Error::Auth`] is returned.
    /// - The whole operation is limited by the timeout of `options` or else the client's
    ///   for its kind ([`ClientBuilder::timeout`] for calls that move no file,
    ///   [`ClientBuilder::transfer_timeout`] for uploads and downloads).
    /// - With a concurrency limit ([`ClientBuilder::max_concurrency`]), each attempt
    ///   waits for a place among the calls in flight.
    /// - Redirects are followed only within the request's origin, ten at most; a 2xx
    ///   answer whose [`OperationInfo::item_status`] reports a failed item is that item's
    ///   [`Error::Service`] when its body is decoded ([`Response::json`]).
    ///
    /// Runs inside a `zoho.request` tracing span carrying the product, version,
    /// operation, the number of the current `attempt` and, once known, the HTTP
    /// `status`. Each retry logs a debug event with its reason and wait.
    ///
    /// # Errors
    ///
    /// The last attempt's error:
    /// - non-2xx with a Zoho error envelope: [`Error::Service`];
    /// - non-2xx without one: [`Error::UnexpectedStatus`];
    /// - connection problems: [`Error::Transport`]; a time limit: [`Error::Timeout`];
    /// - a redirect to another origin, or a loop: [`Error::Redirect`];
    /// - a bad path, or no host for the data centre: [`Error::InvalidInput`];
    /// - an upload file that cannot be opened: [`Error::Io`];
    /// - a multipart body over a size limit: [`Error::TooLarge`];
    /// - the token source failing: [`Error::Auth`].
    pub async fn send_with(
        &self,
        op: &'static OperationInfo,
        mut request: Request,
        options: &CallOptions,
    ) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "zoho.request",
            product = op.product,
            version = op.version,
            operation = op.name,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let default_timeout = if op.kind.is_transfer() {
            self.inner.transfer_timeout
        } else {
            self.inner.timeout
        };
        let deadline = options
            .timeout
            .or(default_timeout)
            .and_then(Deadline::after);
        let policy = options
            .retry_policy
            .as_ref()
            .unwrap_or(&self.inner.retry_policy);
        let run = self.run(op, &mut request, policy, deadline, &span);
        Deadline::run(deadline, run)
            .instrument(span.clone())
            .await
            .map(|response| response.with_deadline(deadline))
    }

    /// The attempts of one operation.
    async fn run(
        &self,
        op: &OperationInfo,
        request: &mut Request,
        policy: &RetryPolicy,
        deadline: Option<Deadline>,
        span: &tracing::Span,
    ) -> Result<Response, Error> {
        check_path(request.path())?;
        let tokens = &self.inner.tokens;
        let replayable = request.is_replayable();
        let started = Instant::now();
        // No wait may end after this: the policy's limit or the operation's deadline.
        let retry_until = started
            .checked_add(policy.elapsed_limit())
            .map(|end| deadline.map_or(end, |deadline| end.min(deadline.at)));
        let mut attempt: u32 = 0;
        let mut counted_failures: u32 = 0;
        let mut token_retried = false;
        let mut next_token: Option<AccessToken> = None;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let token = match next_token.take() {
                Some(token) => token,
                None => tokens.token().await?,
            };
            let failure = match self.attempt(op, request, &token, span).await {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };

            if failure.is_invalid_token() {
                tokens.rejected(&token).await;
                if token_retried || !replayable {
                    return Err(failure.error);
                }
                let fresh = tokens.token().await?;
                if fresh.same_as(&token) {
                    // The source has nothing better: sending again would fail the same way.
                    return Err(failure.error);
                }
                tracing::debug!(attempt, "retrying with a new access token");
                token_retried = true;
                next_token = Some(fresh);
                continue;
            }

            counted_failures += 1;
            let error = failure.error;
            if !error.is_retryable() || counted_failures >= policy.attempts() {
                return Err(error);
            }
            if !replayable {
                tracing::debug!(
                    reason = %reason(&error),
                    "not retrying: the body is streamed from a reader and cannot be sent again"
                );
                return Err(error);
            }
            let wait = failure
                .retry_after
                .unwrap_or_else(|| policy.backoff(counted_failures));
            let fits = match retry_until {
                Some(until) => Instant::now()
                    .checked_add(wait)
                    .is_some_and(|end| end <= until),
                None => true,
            };
            if !fits {
                tracing::debug!(
                    reason = %reason(&error),
                    wait_ms = millis(wait),
                    "not retrying: the wait would pass the time left for retries"
                );
                return Err(error);
            }
            tracing::debug!(
                attempt,
                reason = %reason(&error),
                wait_ms = millis(wait),
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt with `token`. Borrows the request so that it can be sent again.
    async fn attempt(
        &self,
        op: &OperationInfo,
        request: &mut Request,
        token: &AccessToken,
        span: &tracing::Span,
    ) -> Result<Response, Failure> {
        let config = &*self.inner;
        // A call waiting for its place holds nothing built yet, so thousands can wait.
        let slot = match &config.limiter {
            Some(limiter) => limiter.acquire().await,
            None => None,
        };
        // Asked after the token, which may have just brought a new api_domain.
        let api_domain = if op.server.follows_api_domain {
            config.tokens.api_domain()
        } else {
            None
        };
        let url = config.origin.url(
            op,
            request.path(),
            request.query_pairs(),
            api_domain.as_deref(),
        )?;
        let activity = Activity::default();
        let builder = config
            .http
            .request(op.method.clone(), url)
            .header(AUTHORIZATION, auth::authorization_header(token)?)
            .header(USER_AGENT, config.user_agent.clone());
        let http_request = request
            .apply_body(builder, &activity)
            .await?
            .build()
            .map_err(Error::from_reqwest)?;
        let requested = http_request.url().clone();
        tracing::debug!(method = %op.method, path = requested.path(), "sending");

        let sent = activity
            .watch(config.read_timeout, config.http.execute(http_request))
            .await?;
        let response = match sent {
            Ok(response) => response,
            // A body stream that passed its size limit shows up as a broken request.
            Err(err) => {
                return Err(request
                    .passed_limit()
                    .unwrap_or_else(|| Error::from_reqwest_with(err, config.connect_timeout))
                    .into());
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        if !same_origin(&requested, response.url()) {
            // Only an HTTP client given to the builder follows a redirect off the origin.
            return Err(Error::Redirect(RedirectError::answered_from(response.url())).into());
        }
        if status.is_redirection() {
            return Err(Error::Redirect(RedirectError::api_answer(
                status.as_u16(),
                &requested,
                response.headers(),
            ))
            .into());
        }
        if status.is_success() {
            if let Some(slot) = &slot {
                slot.succeeded();
            }
            let limits = ReadLimits {
                read_timeout: config.read_timeout,
                max_bytes: config.max_response_bytes,
            };
            return Ok(Response::new(response, limits, op.item_status, slot));
        }
        if status.as_u16() == 429
            && let Some(slot) = &slot
        {
            slot.throttled();
        }

        let retry_after = match status.as_u16() {
            429 | 503 => response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| retry_after(value, SystemTime::now())),
            _ => None,
        };
        let error = failure::into_error(response, config.read_timeout).await;
        if let Some(service) = error.service() {
            tracing::debug!(code = service.code(), "Zoho returned an error");
        }
        Err(Failure { error, retry_after })
    }
}

/// A short, secret-free reason for a retry log: the status and Zoho code, or the kind
/// of failure (never a body).
fn reason(error: &Error) -> String {
    match error {
        Error::Service(service) => format!("HTTP {} {}", service.http_status(), service.code()),
        Error::UnexpectedStatus { status, .. } => format!("HTTP {status}"),
        Error::Timeout(timed_out) => timed_out.to_string(),
        Error::Transport(transport) => transport.to_string(),
        other => other.to_string(),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
