//! The client: authorises, sends and classifies one request.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use http::header::{AUTHORIZATION, USER_AGENT};
use tracing::Instrument;

use crate::endpoint::Origin;
use crate::{ClientBuilder, Error, OperationInfo, Request, Response, TokenSource, auth, failure};

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
    pub(crate) timeout: Duration,
}

/// Shows where requests go and the token source's own (redacted) `Debug`, never a token.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("origin", &self.inner.origin)
            .field("token_source", &self.inner.tokens)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
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

    /// Builds the URL, authorises, sends, and classifies the answer.
    ///
    /// Runs inside a `zoho.request` tracing span carrying the product, version,
    /// operation and, once known, the HTTP status.
    ///
    /// # Errors
    ///
    /// - non-2xx with a Zoho error envelope: [`Error::Service`];
    /// - non-2xx without one: [`Error::UnexpectedStatus`];
    /// - connection or timeout problems: [`Error::Transport`] / [`Error::Timeout`];
    /// - a bad path, or no host for the data centre: [`Error::InvalidInput`];
    /// - an upload file that cannot be opened: [`Error::Io`];
    /// - a multipart body over a size limit: [`Error::TooLarge`];
    /// - the token source failing: [`Error::Auth`].
    pub async fn send(
        &self,
        op: &'static OperationInfo,
        mut request: Request,
    ) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "zoho.request",
            product = op.product,
            version = op.version,
            operation = op.name,
            status = tracing::field::Empty,
        );
        self.send_once(op, &mut request, &span)
            .instrument(span.clone())
            .await
    }

    /// One attempt. Borrows the request so that a retry loop can call it again.
    /// The span is passed in rather than taken from `Span::current()`, which depends on
    /// the subscriber tracking the current span.
    async fn send_once(
        &self,
        op: &OperationInfo,
        request: &mut Request,
        span: &tracing::Span,
    ) -> Result<Response, Error> {
        let config = &*self.inner;
        let url = config
            .origin
            .url(op, request.path(), request.query_pairs())?;
        let token = config.tokens.token().await?;
        let builder = config
            .http
            .request(op.method.clone(), url)
            .header(AUTHORIZATION, auth::authorization_header(&token)?)
            .header(USER_AGENT, config.user_agent.clone())
            .timeout(config.timeout);
        let http_request = request
            .apply_body(builder)
            .await?
            .build()
            .map_err(Error::from_reqwest)?;
        tracing::debug!(method = %op.method, path = http_request.url().path(), "sending");

        let response = match config.http.execute(http_request).await {
            Ok(response) => response,
            // A body stream that passed its size limit shows up as a broken request.
            Err(err) => {
                return Err(request
                    .passed_limit()
                    .unwrap_or_else(|| Error::from_reqwest(err)));
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        if status.is_success() {
            return Ok(Response::new(response));
        }

        let error = failure::into_error(response).await;
        if let Some(service) = error.service() {
            tracing::debug!(code = service.code(), "Zoho returned an error");
            if service.http_status() == 401 && service.code() == "INVALID_TOKEN" {
                config.tokens.rejected(&token).await;
            }
        }
        Err(error)
    }
}
