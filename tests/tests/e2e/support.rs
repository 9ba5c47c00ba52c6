//! What the end-to-end tests share: a client aimed at a [`Recorder`], the spec's sample
//! responses, multipart parsing as a server does it, and upload content.

use std::convert::Infallible;
use std::path::Path;

use bytes::Bytes;
use zoho_attachments::Client;
use zoho_tests::recorder::{RecordedRequest, Recorder, Reply};

/// The access token every test client sends.
pub const TOKEN: &str = "1000.e2e4c0ffee.7a1b2c3d4e5f";

/// The `Authorization` header Zoho expects for [`TOKEN`].
pub fn expected_authorization() -> String {
    format!("Zoho-oauthtoken {TOKEN}")
}

/// A generated client that sends everything to `recorder` with [`TOKEN`].
pub fn client(recorder: &Recorder) -> Client {
    Client::builder()
        .base_url(recorder.base_url())
        .access_token(TOKEN)
        .build()
        .expect("a loopback base URL and a token make a client")
}

/// A generated client aimed at `zoho`, with the access token it issued.
pub fn fake_client(zoho: &zoho_fake::FakeZoho) -> Client {
    Client::builder()
        .base_url(zoho.base_url())
        .access_token(zoho.token())
        .build()
        .expect("a loopback base URL and a token make a client")
}

/// The sample response the spec transcribes for one operation, e.g.
/// `sample_response("crm", "v7", "list_attachments")`. Read from `spec/` on every call
/// so the tests answer with exactly what the documentation shows.
pub fn sample_response(product: &str, version: &str, operation: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let spec = zoho_codegen::check(&dir)
        .map(|checked| checked.spec)
        .unwrap_or_else(|problems| panic!("the spec does not load: {problems:?}"));
    let api = spec
        .apis
        .iter()
        .find(|file| file.spec.product == product && file.spec.version == version)
        .unwrap_or_else(|| panic!("no spec file for {product} {version}"));
    api.spec
        .operations
        .get(operation)
        .unwrap_or_else(|| panic!("{product} {version} has no operation {operation}"))
        .sample_response
        .clone()
        .unwrap_or_else(|| panic!("{product} {version} {operation} has no sample response"))
}

/// A recorder answering every request with the operation's sample response (HTTP 200).
pub async fn recorder_with_sample(product: &str, version: &str, operation: &str) -> Recorder {
    Recorder::start(Reply::json(
        200,
        sample_response(product, version, operation),
    ))
    .await
}

/// Asserts the method, the exact raw path and the absence of a query string.
#[track_caller]
pub fn assert_request_line(sent: &RecordedRequest, method: &str, path: &str) {
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        (method, path),
        "request line"
    );
}

/// Asserts the token went out exactly once, in Zoho's scheme.
#[track_caller]
pub fn assert_authorized(sent: &RecordedRequest) {
    assert_eq!(
        sent.header_all("authorization"),
        [expected_authorization()],
        "Authorization header"
    );
}

/// Asserts a request without a body: nothing sent, no content type.
#[track_caller]
pub fn assert_no_body(sent: &RecordedRequest) {
    assert!(
        sent.body.is_empty(),
        "unexpected body of {} bytes",
        sent.body.len()
    );
    assert_eq!(sent.header("content-type"), None, "content type of a GET");
}

/// One part of a multipart/form-data body, as a server reads it.
#[derive(Debug)]
pub struct Part {
    pub name: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

impl Part {
    /// The part's data as text (the data must be UTF-8).
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.data).expect("a text part is UTF-8")
    }
}

/// Parses the body of `sent` with `multer`, using the boundary of its content type, after
/// checking that the content type is `multipart/form-data; boundary=...` and that a
/// `Content-Length` matching the body was sent.
pub async fn multipart_parts(sent: &RecordedRequest) -> Vec<Part> {
    let content_type = sent
        .header("content-type")
        .expect("an upload has a content type");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "content type {content_type:?}"
    );
    let length: usize = sent
        .header("content-length")
        .expect("an upload of known size has a Content-Length")
        .parse()
        .expect("Content-Length is a number");
    assert_eq!(length, sent.body.len(), "Content-Length vs body received");

    let boundary = multer::parse_boundary(content_type).expect("a boundary in the content type");
    let body = sent.body.clone();
    let stream = futures::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .expect("a well-formed multipart body")
    {
        let name = field.name().map(str::to_owned);
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let data = field.bytes().await.expect("a complete part");
        parts.push(Part {
            name,
            file_name,
            content_type,
            data,
        });
    }
    parts
}

/// The names of the parts, in order.
pub fn part_names(parts: &[Part]) -> Vec<&str> {
    parts
        .iter()
        .map(|part| part.name.as_deref().unwrap_or("<unnamed>"))
        .collect()
}

/// `len` deterministic pseudo-random bytes (xorshift64*): every byte value occurs and no
/// block repeats, so a lost, doubled or reordered chunk changes the content.
pub fn pseudo_random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Compares two byte strings without printing megabytes: on a difference it reports the
/// lengths and the first differing offset.
#[track_caller]
pub fn assert_same_bytes(actual: &[u8], expected: &[u8], what: &str) {
    if actual == expected {
        return;
    }
    let first_difference = actual
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(actual.len().min(expected.len()));
    panic!(
        "{what}: {} bytes received, {} expected; first difference at offset {first_difference}",
        actual.len(),
        expected.len()
    );
}
