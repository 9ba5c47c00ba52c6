//! multipart/form-data bodies, with file parts streamed from disk or a reader.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http::HeaderValue;
use reqwest::multipart::{Form, Part};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::io::ReaderStream;

use crate::Error;
use crate::limits::{Limit, SharedLimit, StreamLimits, Tripwire};
use crate::timeout::Activity;

/// Read size for streamed uploads: large enough for throughput, small enough that
/// memory stays constant whatever the file size.
const CHUNK_SIZE: usize = 64 * 1024;

/// Read size for files opened from a path. Each read of a `tokio::fs::File` is a round trip
/// to the blocking thread pool, so 64 KiB reads cost a context switch every 64 KiB: the upload
/// benchmark measured 0.64x curl's throughput at 64 KiB and 0.96-1.05x at 1 MiB, for about
/// 1.5 MiB more (still constant) memory. tokio caps one file read at 2 MiB.
const FILE_READ_SIZE: usize = 1024 * 1024;

/// A multipart/form-data body. Parts are sent in insertion order.
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<(&'static str, PartValue)>,
    max_bytes: Option<u64>,
    /// Set by a streamed part that passes a limit during the last send.
    tripwire: Tripwire,
}

#[derive(Debug)]
enum PartValue {
    Text(String),
    File {
        file: FilePart,
        max_bytes: Option<u64>,
    },
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.parts.push((name, PartValue::Text(value.into())));
        self
    }

    /// Adds a file field.
    pub fn file(mut self, name: &'static str, file: FilePart) -> Self {
        self.parts.push((
            name,
            PartValue::File {
                file,
                max_bytes: None,
            },
        ));
        self
    }

    /// Like [`file`](Self::file), with a size limit checked when the size is known:
    /// bytes and readers with a length at once, paths from their metadata when sent;
    /// a reader of unknown length is cut off (the request fails with
    /// [`Error::TooLarge`]) as soon as it passes the limit.
    ///
    /// A size known to be over the limit fails the send before anything is sent.
    pub fn file_with_limit(mut self, name: &'static str, file: FilePart, max_bytes: u64) -> Self {
        self.parts.push((
            name,
            PartValue::File {
                file,
                max_bytes: Some(max_bytes),
            },
        ));
        self
    }

    /// A limit on the sum of all parts' sizes (text values and file contents; the
    /// multipart framing is not counted), checked when they are known, as for
    /// [`file_with_limit`](Self::file_with_limit). Over it, the send fails with
    /// [`Error::TooLarge`] for the `request body`.
    pub fn max_bytes(mut self, limit: u64) -> Self {
        self.max_bytes = Some(limit);
        self
    }

    /// Builds the reqwest form. Takes `&mut self` rather than `self` so the same
    /// `Multipart` can be sent again: paths are reopened and bytes cloned; only a
    /// reader is used up.
    ///
    /// Every size known now is checked against the limits here, before anything is
    /// sent; streams of unknown size are checked as they are read.
    pub(crate) async fn build_form(&mut self, activity: &Activity) -> Result<Form, Error> {
        self.tripwire = Tripwire::default();
        let body_limit = self.max_bytes.map(|bytes| {
            Arc::new(SharedLimit::new(Limit {
                what: "request body".to_owned(),
                bytes,
            }))
        });
        if let Some(body_limit) = &body_limit {
            // Sizes known without I/O first, so that no file is opened and no reader
            // used up for a body already known to be too large.
            let known = self
                .parts
                .iter()
                .filter_map(|(_, value)| match value {
                    PartValue::Text(text) => Some(text.len() as u64),
                    PartValue::File { file, .. } => file.known_length(),
                })
                .fold(0, u64::saturating_add);
            body_limit.set_known(known)?;
        }
        let mut form = Form::new();
        let mut known: u64 = 0;
        for (name, value) in &mut self.parts {
            let (next, length) = match value {
                PartValue::Text(text) => (form.text(*name, text.clone()), Some(text.len() as u64)),
                PartValue::File { file, max_bytes } => {
                    let limits = StreamLimits {
                        part: max_bytes.map(|bytes| Limit {
                            what: format!("file part `{name}` ({})", file.file_name),
                            bytes,
                        }),
                        body: body_limit.clone(),
                        tripwire: self.tripwire.clone(),
                        activity: activity.clone(),
                    };
                    let (part, length) = file.build_part(name, limits).await?;
                    (form.part(*name, part), length)
                }
            };
            form = next;
            known = known.saturating_add(length.unwrap_or(0));
        }
        if let Some(body_limit) = &body_limit {
            body_limit.set_known(known)?;
        }
        Ok(form)
    }

    /// Whether every part can be sent again: text, paths and bytes can, a reader cannot.
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, value)| match value {
            PartValue::Text(_) => true,
            PartValue::File { file, .. } => !matches!(file.source, Source::Reader { .. }),
        })
    }

    /// The limit a streamed part passed during the last send, which is why it failed.
    pub(crate) fn passed_limit(&self) -> Option<Error> {
        self.tripwire.take()
    }
}

/// The content of a file part.
///
/// Content from a path or a reader is streamed in 64 KiB chunks at send time and is
/// never read whole into memory.
pub struct FilePart {
    source: Source,
    file_name: String,
    content_type: Option<String>,
}

enum Source {
    /// Opened at send time, so every send (and a later retry) reads it afresh.
    Path(PathBuf),
    Bytes(Bytes),
    /// `None` once sent: a reader can be read only once.
    Reader {
        reader: Option<Pin<Box<dyn AsyncRead + Send + Sync>>>,
        length: Option<u64>,
    },
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("FilePart");
        match &self.source {
            Source::Path(path) => debug.field("path", path),
            Source::Bytes(bytes) => debug.field("bytes", &bytes.len()),
            Source::Reader { reader, length } => debug
                .field("reader_length", length)
                .field("reader_used", &reader.is_none()),
        };
        debug
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl FilePart {
    /// Streams the file at `path`, opened when the request is sent (not now); the
    /// part's length comes from the file's metadata then.
    ///
    /// The file name defaults to the path's final component and the content type is
    /// guessed from its extension, falling back to `application/octet-stream`.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Self {
            source: Source::Path(path),
            file_name,
            content_type: None,
        }
    }

    /// In-memory content.
    pub fn bytes(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Self {
            source: Source::Bytes(data.into()),
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// Any [`AsyncRead`], streamed. With `length`, the request carries a
    /// `Content-Length` and at most `length` bytes are sent; without, it is sent chunked.
    ///
    /// A reader can be sent only once, so a request with one is never retried
    /// (see [`RetryPolicy`](crate::RetryPolicy)); prefer [`path`](Self::path) or
    /// [`bytes`](Self::bytes) when the content can be read again.
    pub fn reader(
        file_name: impl Into<String>,
        reader: impl AsyncRead + Send + Sync + 'static,
        length: Option<u64>,
    ) -> Self {
        Self {
            source: Source::Reader {
                reader: Some(Box::pin(reader)),
                length,
            },
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// Sets the file name sent to Zoho.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Sets the content type instead of guessing it from the file name.
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.content_type = Some(mime.into());
        self
    }

    /// The content length if known without reading: `Some` for bytes, as given for a
    /// reader, and `None` for a path (its size is read when the request is sent).
    pub fn known_length(&self) -> Option<u64> {
        match &self.source {
            Source::Path(_) => None,
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::Reader { length, .. } => *length,
        }
    }

    /// The part and its length when known. Checks `limits` against every known length
    /// and makes streams of unknown length check them as they are read.
    async fn build_part(
        &mut self,
        name: &'static str,
        limits: StreamLimits,
    ) -> Result<(Part, Option<u64>), Error> {
        let check_known = |length: u64| match &limits.part {
            Some(limit) => limit.check(length),
            None => Ok(()),
        };
        let (part, length) = match &mut self.source {
            Source::Path(path) => {
                let (part, length) = path_part(path, limits.clone()).await?;
                if let Some(length) = length {
                    check_known(length)?;
                }
                (part, length)
            }
            Source::Bytes(bytes) => {
                let length = bytes.len() as u64;
                check_known(length)?;
                (
                    Part::stream_with_length(bytes_body(bytes.clone(), &limits.activity), length),
                    Some(length),
                )
            }
            Source::Reader { reader, length } => {
                // Before taking the reader, so a part over its limit stays unsent.
                if let Some(length) = *length {
                    check_known(length)?;
                }
                let reader = reader.take().ok_or_else(|| Error::InvalidInput {
                    parameter: name,
                    reason: "the reader was already sent; a reader can be sent only once".into(),
                })?;
                match *length {
                    Some(length) => (
                        Part::stream_with_length(
                            stream_body(reader.take(length), CHUNK_SIZE, &limits.activity),
                            length,
                        ),
                        Some(length),
                    ),
                    None => (
                        Part::stream(limited_body(reader, CHUNK_SIZE, limits.clone())),
                        None,
                    ),
                }
            }
        };
        let content_type = self.mime_type(name)?;
        let part = part
            .file_name(escape_file_name(&self.file_name))
            .mime_str(&content_type)
            .map_err(|_| invalid_content_type(name, &content_type))?;
        Ok((part, length))
    }

    fn mime_type(&self, name: &'static str) -> Result<String, Error> {
        match &self.content_type {
            Some(explicit) => {
                // reqwest writes the type into the part header verbatim, so a CR/LF here
                // would break the body; a header value cannot contain one.
                HeaderValue::from_str(explicit)
                    .map_err(|_| invalid_content_type(name, explicit))?;
                Ok(explicit.clone())
            }
            None => Ok(mime_guess::from_path(&self.file_name)
                .first_or_octet_stream()
                .to_string()),
        }
    }
}

/// The part and, for a regular file, its length (from its metadata, now).
async fn path_part(path: &Path, limits: StreamLimits) -> Result<(Part, Option<u64>), Error> {
    let io_error = |source: io::Error| Error::Io {
        path: Some(path.to_owned()),
        source,
    };
    let file = tokio::fs::File::open(path).await.map_err(io_error)?;
    let metadata = file.metadata().await.map_err(io_error)?;
    if metadata.is_dir() {
        return Err(io_error(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory, not a file",
        )));
    }
    if metadata.is_file() {
        // Capped so a file that grows while uploading cannot overrun its Content-Length.
        let length = metadata.len();
        let body = stream_body(file.take(length), FILE_READ_SIZE, &limits.activity);
        Ok((Part::stream_with_length(body, length), Some(length)))
    } else {
        // A pipe or device has no size known in advance.
        Ok((
            Part::stream(limited_body(file, FILE_READ_SIZE, limits)),
            None,
        ))
    }
}

/// `reader` in chunks of up to `read_size`, touching `activity` as each is taken.
fn stream_body(
    reader: impl AsyncRead + Send + 'static,
    read_size: usize,
    activity: &Activity,
) -> reqwest::Body {
    reqwest::Body::wrap_stream(activity.track(ReaderStream::with_capacity(reader, read_size)))
}

/// In-memory content in chunks (zero-copy slices), so that a large one shows progress
/// to the read timeout as it goes out.
fn bytes_body(bytes: Bytes, activity: &Activity) -> reqwest::Body {
    let chunks: Vec<io::Result<Bytes>> = (0..bytes.len())
        .step_by(CHUNK_SIZE)
        .map(|start| Ok(bytes.slice(start..bytes.len().min(start + CHUNK_SIZE))))
        .collect();
    reqwest::Body::wrap_stream(activity.track(futures::stream::iter(chunks)))
}

/// A body of unknown length that fails as soon as it passes `limits`.
fn limited_body(
    reader: impl AsyncRead + Send + 'static,
    read_size: usize,
    limits: StreamLimits,
) -> reqwest::Body {
    if limits.is_empty() {
        return stream_body(reader, read_size, &limits.activity);
    }
    let activity = limits.activity.clone();
    reqwest::Body::wrap_stream(
        activity.track(limits.apply(ReaderStream::with_capacity(reader, read_size))),
    )
}

fn invalid_content_type(name: &'static str, content_type: &str) -> Error {
    Error::InvalidInput {
        parameter: name,
        reason: format!("{content_type:?} is not a valid content type"),
    }
}

/// Escapes a file name the way browsers do (WHATWG HTML, multipart/form-data encoding):
/// `"` as `%22`, CR as `%0D`, LF as `%0A`. reqwest only backslash-escapes these and so
/// would let CR/LF end the part header early.
fn escape_file_name(name: &str) -> String {
    let mut escaped = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' => escaped.push_str("%22"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            other => escaped.push(other),
        }
    }
    escaped
}

impl From<PathBuf> for FilePart {
    fn from(path: PathBuf) -> Self {
        Self::path(path)
    }
}

impl From<&Path> for FilePart {
    fn from(path: &Path) -> Self {
        Self::path(path)
    }
}

/// The string is a path, not content.
impl From<&str> for FilePart {
    fn from(path: &str) -> Self {
        Self::path(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_escaping_matches_browsers() {
        assert_eq!(
            escape_file_name("a\"b\r\nc.txt"),
            "a%22b%0D%0Ac.txt".to_owned()
        );
        assert_eq!(escape_file_name("résumé 1.pdf"), "résumé 1.pdf");
    }

    #[test]
    fn path_defaults_name_and_guesses_type() {
        let part = FilePart::path("/tmp/report.pdf");
        assert_eq!(part.file_name, "report.pdf");
        assert_eq!(
            part.mime_type("file").ok().as_deref(),
            Some("application/pdf")
        );
        assert_eq!(part.known_length(), None);

        let unknown = FilePart::from("/tmp/blob");
        assert_eq!(
            unknown.mime_type("file").ok().as_deref(),
            Some("application/octet-stream")
        );
    }

    #[test]
    fn explicit_content_type_wins_but_must_be_a_header_value() {
        let part = FilePart::bytes("a.pdf", Bytes::from_static(b"x")).content_type("text/plain");
        assert_eq!(part.mime_type("file").ok().as_deref(), Some("text/plain"));
        assert_eq!(part.known_length(), Some(1));

        let bad = FilePart::bytes("a", Bytes::new()).content_type("text/plain\r\nX-Evil: 1");
        assert!(matches!(
            bad.mime_type("file"),
            Err(Error::InvalidInput {
                parameter: "file",
                ..
            })
        ));
    }

    #[tokio::test]
    async fn a_reader_is_sent_once_and_bytes_and_paths_can_be_rebuilt() {
        let mut reader = FilePart::reader("r.bin", &b"abc"[..], Some(3));
        assert_eq!(reader.known_length(), Some(3));
        assert!(
            reader
                .build_part("file", StreamLimits::default())
                .await
                .is_ok()
        );
        assert!(matches!(
            reader.build_part("file", StreamLimits::default()).await,
            Err(Error::InvalidInput {
                parameter: "file",
                ..
            })
        ));

        let mut bytes = FilePart::bytes("b.bin", Bytes::from_static(b"abc"));
        assert!(
            bytes
                .build_part("file", StreamLimits::default())
                .await
                .is_ok()
        );
        assert!(
            bytes
                .build_part("file", StreamLimits::default())
                .await
                .is_ok()
        );

        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("p.txt");
        std::fs::write(&path, b"abc").expect("written");
        let mut file = FilePart::path(&path);
        assert!(
            file.build_part("file", StreamLimits::default())
                .await
                .is_ok()
        );
        assert!(
            file.build_part("file", StreamLimits::default())
                .await
                .is_ok()
        );
    }

    #[test]
    fn only_forms_without_readers_can_be_sent_again() {
        let rebuildable = Multipart::new()
            .text("note", "x")
            .file("a", FilePart::path("/tmp/a.pdf"))
            .file("b", FilePart::bytes("b.bin", Bytes::from_static(b"b")));
        assert!(rebuildable.is_replayable());
        let streamed = rebuildable.file("c", FilePart::reader("c.bin", &b"c"[..], None));
        assert!(!streamed.is_replayable());
    }

    #[tokio::test]
    async fn a_body_known_to_be_too_large_leaves_its_reader_unused() {
        let mut form = Multipart::new()
            .text("note", "abc")
            .file("r", FilePart::reader("r.bin", &b"12345678"[..], Some(8)))
            .max_bytes(10);
        assert!(matches!(
            form.build_form(&Activity::default()).await,
            Err(Error::TooLarge {
                size: 11,
                limit: 10,
                ..
            })
        ));
        match &form.parts[1].1 {
            PartValue::File { file, .. } => assert!(matches!(
                file.source,
                Source::Reader {
                    reader: Some(_),
                    ..
                }
            )),
            PartValue::Text(_) => panic!("the second part is the file"),
        }
    }

    #[tokio::test]
    async fn a_directory_is_an_io_error_naming_it() {
        let dir = tempfile::tempdir().expect("a temp dir");
        match FilePart::path(dir.path())
            .build_part("file", StreamLimits::default())
            .await
        {
            Err(Error::Io { path, .. }) => assert_eq!(path.as_deref(), Some(dir.path())),
            other => panic!("expected Io, got {other:?}"),
        }
    }
}
