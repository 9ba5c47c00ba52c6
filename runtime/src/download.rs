//! File downloads: answers whose body is file content, read in constant memory and
//! saved atomically.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::stream::BoxStream;
use futures::{StreamExt, stream};
use http::HeaderMap;
use http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use tempfile::TempPath;

use crate::Error;
use crate::concurrency::Slot;
use crate::disposition::{content_disposition_file_name, header_text};
use crate::file_name::{MAX_NAME_BYTES, numbered, sanitize_file_name};
use crate::leftovers;
use crate::timeout::next_chunk;

/// The name [`Download::save_in`] uses when the server gave none that is usable.
const FALLBACK_NAME: &str = "download";

/// How many numbered names [`Download::save_in`] tries after the plain one.
const MAX_NUMBERED: u32 = 1000;

/// The most that [`Download::bytes`] reserves up front, whatever `Content-Length` says.
const MAX_PREALLOCATION: u64 = 16 * 1024 * 1024;

/// The most [`Download::bytes`] reads into memory: above Zoho's 100 MB upload limit, so
/// any attachment fits, and far below what would hurt a process.
pub const DEFAULT_MAX_IN_MEMORY: u64 = 128 * 1024 * 1024;

/// A file in Zoho's answer, not yet read. Dropping it without reading closes the
/// connection.
///
/// Every way of reading checks the byte count against `Content-Length` when the
/// server sent one.
///
/// ```no_run
/// # async fn demo(response: zoho_runtime::Response) -> Result<(), zoho_runtime::Error> {
/// let download = response.into_download();
/// let path = download.save_in("downloads").await?;
/// println!("saved {}", path.display());
/// # Ok(())
/// # }
/// ```
pub struct Download {
    response: reqwest::Response,
    file_name: Option<String>,
    read_timeout: Duration,
    /// The call's place under the client's concurrency limit, held until the body is
    /// read or dropped: a download in progress is a call in flight on Zoho's side.
    slot: Option<Slot>,
}

/// File name, content type, length and status; never the body or other headers
/// (they may carry cookies).
impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status())
            .field("file_name", &self.file_name())
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

impl Download {
    /// `read_timeout` limits each wait for the next chunk.
    pub(crate) fn new(
        response: reqwest::Response,
        read_timeout: Duration,
        slot: Option<Slot>,
    ) -> Self {
        let file_name = response
            .headers()
            .get(CONTENT_DISPOSITION)
            .and_then(|value| content_disposition_file_name(&header_text(value.as_bytes())));
        Self {
            response,
            file_name,
            read_timeout,
            slot,
        }
    }

    /// The file name the server gave in `Content-Disposition`, decoded: RFC 6266 with
    /// the RFC 8187 `filename*=charset'lang'percent-encoded` form (UTF-8 and
    /// ISO-8859-1) preferred over `filename=` (token or quoted string with backslash
    /// escapes). See [`content_disposition_file_name`].
    ///
    /// Exactly as sent: it may contain `../`, `/`, `\`, NUL or control characters; use
    /// [`safe_file_name`](Self::safe_file_name) to create a file. `None` when absent
    /// or unparseable.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// [`file_name`](Self::file_name) made safe to create inside any folder
    /// (see [`sanitize_file_name`]).
    pub fn safe_file_name(&self) -> Option<String> {
        self.file_name.as_deref().and_then(sanitize_file_name)
    }

    /// The `Content-Type` header, when sent and readable as text.
    pub fn content_type(&self) -> Option<&str> {
        self.response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
    }

    /// `Content-Length`, when sent.
    pub fn content_length(&self) -> Option<u64> {
        content_length(self.response.headers())
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The whole body in memory, up to [`DEFAULT_MAX_IN_MEMORY`] (128 MiB, more than any
    /// Zoho attachment); [`bytes_limited`](Self::bytes_limited) takes another limit.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] or [`Error::Timeout`] when the body cannot be read;
    /// [`Error::IncompleteBody`] when it is shorter than its `Content-Length`;
    /// [`Error::ResponseTooLarge`] when it is longer than the limit.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        self.bytes_limited(DEFAULT_MAX_IN_MEMORY).await
    }

    /// The whole body in memory, refusing one longer than `limit` bytes: before reading
    /// when `Content-Length` announces it, else as soon as it passes the limit.
    ///
    /// # Errors
    ///
    /// As [`bytes`](Self::bytes).
    pub async fn bytes_limited(self, limit: u64) -> Result<Bytes, Error> {
        let mut body = Body::new(self.response, self.read_timeout, self.slot);
        let announced = body.expected;
        let too_large = || Error::ResponseTooLarge { limit, announced };
        if announced.is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let capacity = announced.unwrap_or(0).min(MAX_PREALLOCATION).min(limit);
        let mut bytes = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = body.next_chunk().await? {
            if bytes.len() as u64 + chunk.len() as u64 > limit {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes.freeze())
    }

    /// The body as a stream of chunks, in constant memory.
    ///
    /// The stream ends after its first error: [`Error::Transport`] or
    /// [`Error::Timeout`] when the body cannot be read, [`Error::IncompleteBody`]
    /// when it is shorter than its `Content-Length`.
    pub fn into_stream(self) -> BoxStream<'static, Result<Bytes, Error>> {
        stream::unfold(
            Some(Body::new(self.response, self.read_timeout, self.slot)),
            |body| async move {
                let mut body = body?;
                match body.next_chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(body))),
                    Ok(None) => None,
                    Err(err) => Some((Err(err), None)),
                }
            },
        )
        .boxed()
    }

    /// Streams the body to `path`: into a temporary file in the same folder
    /// (`.name.XXXXXX.zoho-part`), flushed and synced, then renamed over `path` only once
    /// complete. Returns the number of bytes written.
    ///
    /// On any failure (connection dropped mid-body, body shorter than
    /// `Content-Length`, disk error), and if the future is dropped, the temporary file
    /// is removed and `path` is left as it was. An existing file at `path` is replaced.
    ///
    /// Only a process killed mid-download leaves its temporary file behind. The first
    /// download into a folder in each process removes such leftovers: files of that
    /// exact pattern, not written to for an hour (or twice the read timeout, if longer).
    /// Nothing else in the folder is touched.
    ///
    /// On Unix the file gets the usual permissions of a new file (`0o666` less the
    /// umask), like a file saved by a browser or `curl -o`.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming `path` when the file cannot be created, written or
    /// renamed (or `path` has no file name); the errors of [`bytes`](Self::bytes)
    /// when the body cannot be read.
    pub async fn save_to(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref().to_owned();
        let Some(name) = path.file_name() else {
            return Err(io_error(
                &path,
                io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"),
            ));
        };
        let name = name.to_string_lossy().into_owned();
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let (_, written) = self
            .save(&folder, &name, &path, Destination::Replace(path.clone()))
            .await?;
        Ok(written)
    }

    /// Streams the body into `dir` under [`safe_file_name`](Self::safe_file_name)
    /// (or `download` when there is none), never outside `dir` and never overwriting:
    /// if the name is taken, `name (1).ext`, `name (2).ext`, ... up to `name (1000).ext`.
    /// Returns the path written.
    ///
    /// The same temporary-file guarantee as [`save_to`](Self::save_to): nothing with
    /// the final name exists until the whole body has been written and synced, and the
    /// name is claimed atomically, so two concurrent downloads never share a file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be created or written, with kind
    /// [`AlreadyExists`](io::ErrorKind::AlreadyExists) when all 1001 names are taken;
    /// the errors of [`bytes`](Self::bytes) when the body cannot be read.
    pub async fn save_in(self, dir: impl AsRef<Path>) -> Result<PathBuf, Error> {
        let dir = dir.as_ref().to_owned();
        let name = self
            .safe_file_name()
            .unwrap_or_else(|| FALLBACK_NAME.to_owned());
        let destination = Destination::NewIn {
            dir: dir.clone(),
            name: name.clone(),
        };
        let (path, _) = self.save(&dir, &name, &dir, destination).await?;
        Ok(path)
    }

    /// Writes the whole body to a new temporary file in `folder` and moves it to
    /// `destination` once complete and synced; returns the final path and the length.
    /// Errors name `error_path`.
    ///
    /// File-system work happens on the blocking pool, one handoff per [`GATHER`] bytes:
    /// chunks are kept as they arrived until then (no copy), so a small file costs a single
    /// handoff that creates, writes, syncs and renames it. A batch is written while the next
    /// one arrives, so the disk and the network work at the same time.
    async fn save(
        self,
        folder: &Path,
        name: &str,
        error_path: &Path,
        destination: Destination,
    ) -> Result<(PathBuf, u64), Error> {
        let temp = TempSpec::new(folder, name, error_path, self.read_timeout);
        let mut body = Body::new(self.response, self.read_timeout, self.slot);
        let mut writer = Writer::Idle(None);
        let mut batch = Vec::new();
        let mut batched = 0;
        loop {
            let chunk = match body.next_chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(error) => {
                    // Let a write in flight finish, so its file is removed before returning.
                    let _ = writer.file(error_path).await;
                    return Err(error);
                }
            };
            batched += chunk.len();
            batch.push(chunk);
            if batched >= GATHER {
                let file = writer.file(error_path).await?;
                let spec = temp.clone();
                let chunks = std::mem::take(&mut batch);
                writer = Writer::Busy(tokio::task::spawn_blocking(move || {
                    spec.append(file, &chunks)
                }));
                batched = 0;
            }
        }
        let file = writer.file(error_path).await?;
        let path = blocking(error_path, move || {
            let file = temp.append(file, &batch)?;
            temp.finish(file, destination)
        })
        .await?;
        // The place under the concurrency limit is given back only now, so that downloads
        // finishing on a slow disk do not pile up in memory behind the network.
        Ok((path, body.received))
    }
}

/// The temporary file of a download, idle or being written on the blocking pool. Dropped
/// at any point, its file is removed (by the write task, when one is running).
enum Writer {
    /// Not created yet, or written up to now.
    Idle(Option<TempFile>),
    /// A batch is being written.
    Busy(tokio::task::JoinHandle<Result<TempFile, Error>>),
}

impl Writer {
    /// The file once no write is in flight; `error_path` names a failed write.
    async fn file(&mut self, error_path: &Path) -> Result<Option<TempFile>, Error> {
        match std::mem::replace(self, Writer::Idle(None)) {
            Writer::Idle(file) => Ok(file),
            Writer::Busy(write) => write
                .await
                .map_err(|err| io_error(error_path, io::Error::other(err)))?
                .map(Some),
        }
    }
}

/// How many bytes of a download are gathered before one handoff to the blocking pool.
const GATHER: usize = 512 * 1024;

/// Where a finished download goes.
enum Destination {
    /// This path, replacing any file there.
    Replace(PathBuf),
    /// The first free name among `name`, `name (1)`, ... in `dir`.
    NewIn { dir: PathBuf, name: String },
}

/// How to make the temporary file of one download: `.NAME.XXXXXX.zoho-part` in the
/// destination's folder, so the final rename stays within one filesystem and is atomic.
#[derive(Clone)]
struct TempSpec {
    folder: PathBuf,
    prefix: String,
    read_timeout: Duration,
    error_path: PathBuf,
}

/// A temporary file being written; removed if dropped before [`TempSpec::finish`].
struct TempFile {
    file: std::fs::File,
    path: TempPath,
}

impl TempSpec {
    fn new(folder: &Path, name: &str, error_path: &Path, read_timeout: Duration) -> Self {
        // Room for the dots, the random part and the suffix within the name length limit.
        let mut end = name.len().min(MAX_NAME_BYTES - 32);
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        Self {
            folder: folder.to_owned(),
            prefix: format!(".{}.", &name[..end]),
            read_timeout,
            error_path: error_path.to_owned(),
        }
    }

    fn io_error(&self, source: io::Error) -> Error {
        io_error(&self.error_path, source)
    }

    /// Writes `chunks` to `file`, creating it first (after removing stale leftovers in
    /// the folder, once per process) when there is none yet. Blocking.
    fn append(&self, file: Option<TempFile>, chunks: &[Bytes]) -> Result<TempFile, Error> {
        let mut file = match file {
            Some(file) => file,
            None => self.create()?,
        };
        for chunk in chunks {
            file.file
                .write_all(chunk)
                .map_err(|err| self.io_error(err))?;
        }
        Ok(file)
    }

    fn create(&self) -> Result<TempFile, Error> {
        leftovers::sweep_once(&self.folder, self.read_timeout);
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(&self.prefix)
            .rand_bytes(leftovers::RANDOM_CHARS)
            .suffix(leftovers::SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // tempfile's default is 0o600; a saved download should get the mode any
            // new file gets (the umask still applies).
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let (file, path) = builder
            .tempfile_in(&self.folder)
            .map_err(|err| self.io_error(err))?
            .into_parts();
        Ok(TempFile { file, path })
    }

    /// Syncs and closes `file` (Windows renames only closed files), then moves it to
    /// `destination`. Blocking.
    fn finish(&self, file: TempFile, destination: Destination) -> Result<PathBuf, Error> {
        let TempFile { file, path } = file;
        file.sync_all().map_err(|err| self.io_error(err))?;
        drop(file);
        match destination {
            Destination::Replace(target) => {
                path.persist(&target)
                    .map_err(|err| io_error(&target, err.error))?;
                Ok(target)
            }
            Destination::NewIn { dir, name } => claim_new_name(path, &dir, &name),
        }
    }
}

/// The body being read, with the count checked against `Content-Length`.
struct Body {
    response: reqwest::Response,
    expected: Option<u64>,
    received: u64,
    read_timeout: Duration,
    /// Given back when the body is dropped, read or not.
    _slot: Option<Slot>,
}

impl Body {
    fn new(response: reqwest::Response, read_timeout: Duration, slot: Option<Slot>) -> Self {
        let expected = content_length(response.headers());
        Self {
            response,
            expected,
            received: 0,
            read_timeout,
            _slot: slot,
        }
    }

    /// The next chunk; `None` at the end of a complete body.
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match next_chunk(&mut self.response, self.read_timeout).await? {
            Some(chunk) => {
                self.received += chunk.len() as u64;
                Ok(Some(chunk))
            }
            None => match self.expected {
                Some(expected) if self.received < expected => Err(Error::IncompleteBody {
                    expected,
                    received: self.received,
                }),
                _ => Ok(None),
            },
        }
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn io_error(path: &Path, source: io::Error) -> Error {
    Error::Io {
        path: Some(path.to_owned()),
        source,
    }
}

/// Renames `temp` to the first free name among `name`, `name (1)`, ... in `dir`,
/// atomically refusing to replace anything (including a dangling symlink).
fn claim_new_name(mut temp: TempPath, dir: &Path, name: &str) -> Result<PathBuf, Error> {
    for n in 0..=MAX_NUMBERED {
        let target = dir.join(numbered(name, n));
        match temp.persist_noclobber(&target) {
            Ok(()) => return Ok(target),
            Err(err) if err.error.kind() == io::ErrorKind::AlreadyExists => temp = err.path,
            Err(err) => return Err(io_error(&target, err.error)),
        }
    }
    Err(io_error(
        &dir.join(name),
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("this name and the {MAX_NUMBERED} numbered names after it are all taken"),
        ),
    ))
}

/// Runs blocking file-system work off the async threads. Dropping the future does not
/// stop the work; a temporary file it holds is still removed when dropped.
async fn blocking<T: Send + 'static>(
    path: &Path,
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|err| io_error(path, io::Error::other(err)))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn download(headers: &[(&str, &str)], body: &'static [u8]) -> Download {
        let mut builder = http::Response::builder().status(200);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = builder.body(body).expect("a response");
        Download::new(
            reqwest::Response::from(response),
            Duration::from_secs(60),
            None,
        )
    }

    #[tokio::test]
    async fn a_body_shorter_than_its_content_length_is_incomplete() {
        let short = download(&[("content-length", "10")], b"12345");
        assert!(matches!(
            short.bytes().await,
            Err(Error::IncompleteBody {
                expected: 10,
                received: 5
            })
        ));

        let stream: Vec<_> = download(&[("content-length", "10")], b"12345")
            .into_stream()
            .collect()
            .await;
        assert!(matches!(
            stream.last(),
            Some(Err(Error::IncompleteBody { .. }))
        ));
    }

    #[tokio::test]
    async fn an_incomplete_body_saves_nothing() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("out.bin");
        let short = download(&[("content-length", "10")], b"12345");
        assert!(matches!(
            short.save_to(&path).await,
            Err(Error::IncompleteBody { .. })
        ));
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[tokio::test]
    async fn a_complete_body_is_returned_whole() {
        let complete = download(&[("content-length", "5")], b"12345");
        assert_eq!(complete.content_length(), Some(5));
        assert_eq!(complete.bytes().await.ok().as_deref(), Some(&b"12345"[..]));

        let unsized_body = download(&[], b"abc");
        assert_eq!(unsized_body.content_length(), None);
        assert_eq!(
            unsized_body.bytes().await.ok().as_deref(),
            Some(&b"abc"[..])
        );
    }

    #[test]
    fn a_latin1_header_is_decoded() {
        let response = http::Response::builder()
            .header(
                CONTENT_DISPOSITION,
                http::HeaderValue::from_bytes(b"attachment; filename=\"\xa3 rates.pdf\"")
                    .expect("a header value"),
            )
            .body(Vec::new())
            .expect("a response");
        let download = Download::new(
            reqwest::Response::from(response),
            Duration::from_secs(60),
            None,
        );
        assert_eq!(download.file_name(), Some("£ rates.pdf"));
    }
}
