//! One request, as data.

use std::fmt;

use bytes::Bytes;
use http::HeaderValue;
use http::header::CONTENT_TYPE;

use crate::timeout::Activity;
use crate::{Error, Multipart};

/// One request, kept as data until it is sent, so that it can be built again
/// (for example for a retry).
#[derive(Debug)]
pub struct Request {
    path: String,
    query: Vec<(&'static str, String)>,
    body: Body,
}

enum Body {
    Empty,
    Json(Bytes),
    Multipart(Multipart),
}

/// Lengths only: bodies can be large.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json(json) => f.debug_struct("Json").field("len", &json.len()).finish(),
            Body::Multipart(form) => f.debug_tuple("Multipart").field(form).finish(),
        }
    }
}

impl Request {
    /// A request for `path`, which is relative to the server prefix, starts with `/`,
    /// and is already percent-encoded (see [`encode_path_segment`](crate::encode_path_segment)).
    pub fn new(path: String) -> Self {
        Self {
            path,
            query: Vec::new(),
            body: Body::Empty,
        }
    }

    /// Appends a query parameter; parameters are sent in call order, form-urlencoded.
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Sends `form` as a multipart/form-data body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Body::Multipart(form);
        self
    }

    /// Sends `body` with `Content-Type: application/json`.
    pub fn json(mut self, body: Bytes) -> Self {
        self.body = Body::Json(body);
        self
    }

    /// Sends `body` serialised as JSON, with `Content-Type: application/json`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for the parameter `body` when it cannot be serialised
    /// (for example a map whose keys are not strings).
    pub fn json_body<T: serde::Serialize + ?Sized>(self, body: &T) -> Result<Request, Error> {
        let json = serde_json::to_vec(body).map_err(|err| Error::InvalidInput {
            parameter: "body",
            reason: format!("cannot be serialised as JSON: {err}"),
        })?;
        Ok(self.json(Bytes::from(json)))
    }

    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn query_pairs(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// Whether the body can be produced again for another attempt: no body, JSON, or
    /// multipart without reader parts (paths are reopened, bytes are shared).
    pub(crate) fn is_replayable(&self) -> bool {
        match &self.body {
            Body::Empty | Body::Json(_) => true,
            Body::Multipart(form) => form.is_replayable(),
        }
    }

    /// The size limit that a streamed body passed while it was being sent, if any:
    /// the reason the send failed.
    pub(crate) fn passed_limit(&self) -> Option<Error> {
        match &self.body {
            Body::Multipart(form) => form.passed_limit(),
            Body::Empty | Body::Json(_) => None,
        }
    }

    /// Adds the body to `builder`. Borrows mutably rather than consuming so the request
    /// stays available to be sent again. Streamed parts touch `activity` as they are
    /// taken, which keeps a progressing upload from counting as idle.
    pub(crate) async fn apply_body(
        &mut self,
        builder: reqwest::RequestBuilder,
        activity: &Activity,
    ) -> Result<reqwest::RequestBuilder, Error> {
        Ok(match &mut self.body {
            Body::Empty => builder,
            Body::Json(json) => builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(json.clone()),
            Body::Multipart(form) => builder.multipart(form.build_form(activity).await?),
        })
    }
}
