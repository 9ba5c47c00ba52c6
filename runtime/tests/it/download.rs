//! File answers: names, streaming, and atomic saves.

use std::collections::BTreeSet;
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::Response;
use futures::{StreamExt, stream};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zoho_runtime::{Bytes, Download, Error, Request};

use crate::support::{LIST, client_for, serve};

const MIB: usize = 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// Deterministic pseudo-random bytes (xorshift64), so misplaced or repeated chunks show.
fn content(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// How the test server answers every request.
#[derive(Clone)]
struct FileReply {
    data: Bytes,
    disposition: Option<&'static str>,
    /// Send `Content-Length`; otherwise the body is chunked.
    with_length: bool,
}

impl FileReply {
    fn new(data: impl Into<Bytes>, disposition: Option<&'static str>) -> Self {
        Self {
            data: data.into(),
            disposition,
            with_length: true,
        }
    }

    fn chunked(mut self) -> Self {
        self.with_length = false;
        self
    }

    /// Serves the file in 64 KiB chunks, as a stream rather than one buffer.
    fn respond(&self) -> Response {
        let chunks: Vec<Result<Bytes, std::io::Error>> = self
            .data
            .chunks(CHUNK)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        let mut response = Response::builder()
            .status(200)
            .header(CONTENT_TYPE, "application/octet-stream");
        if let Some(disposition) = self.disposition {
            response = response.header(CONTENT_DISPOSITION, disposition);
        }
        if self.with_length {
            response = response.header(CONTENT_LENGTH, self.data.len());
        }
        response
            .body(Body::from_stream(stream::iter(chunks)))
            .unwrap()
    }
}

async fn download(reply: FileReply) -> Download {
    let app = Router::new().fallback(move || {
        let reply = reply.clone();
        async move { reply.respond() }
    });
    let url = serve(app).await;
    client_for(&url)
        .send(&LIST, Request::new("/files/1".into()))
        .await
        .expect("a 200 answer")
        .into_download()
}

/// The names in a folder.
fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// Never called: compiling it proves a download and its futures can move to another
/// thread (e.g. `tokio::spawn`).
#[allow(dead_code)]
fn downloads_and_their_futures_are_send(a: Download, b: Download, c: Download, d: Download) {
    fn send<T: Send>(_: T) {}
    send(a.save_to("file"));
    send(b.save_in("dir"));
    send(c.bytes());
    send(d.into_stream());
}

#[tokio::test]
async fn download_exposes_its_name_type_and_length_but_debug_hides_the_body() {
    let file = download(FileReply::new(
        &b"confidential-body"[..],
        Some(r#"attachment; filename="EUR rates.pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf"#),
    ))
    .await;

    assert_eq!(file.status(), 200);
    assert_eq!(file.file_name(), Some("€ rates.pdf"));
    assert_eq!(file.safe_file_name().as_deref(), Some("€ rates.pdf"));
    assert_eq!(file.content_type(), Some("application/octet-stream"));
    assert_eq!(file.content_length(), Some(17));
    assert!(file.headers().contains_key(CONTENT_DISPOSITION));
    let debug = format!("{file:?}");
    assert!(debug.contains("€ rates.pdf"), "{debug}");
    assert!(!debug.contains("confidential"), "{debug}");

    assert_eq!(file.bytes().await.unwrap(), "confidential-body");
}

#[tokio::test]
async fn save_in_keeps_a_hostile_name_inside_the_folder() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("downloads");
    std::fs::create_dir(&dir).unwrap();
    let file = download(FileReply::new(
        &b"not really passwd"[..],
        Some(r#"attachment; filename="../../etc/passwd""#),
    ))
    .await;
    assert_eq!(file.file_name(), Some("../../etc/passwd"));
    assert_eq!(file.safe_file_name().as_deref(), Some("passwd"));

    let saved = file.save_in(&dir).await.unwrap();

    assert_eq!(saved, dir.join("passwd"));
    assert_eq!(std::fs::read(&saved).unwrap(), b"not really passwd");
    assert_eq!(listing(&dir), names(&["passwd"]));
    assert_eq!(listing(root.path()), names(&["downloads"]));
}

#[tokio::test]
async fn save_in_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.pdf"), b"mine").unwrap();
    let reply = FileReply::new(&b"theirs"[..], Some("attachment; filename=report.pdf"));

    let first = download(reply.clone()).await.save_in(dir.path()).await;
    let second = download(reply).await.save_in(dir.path()).await;

    assert_eq!(first.unwrap(), dir.path().join("report (1).pdf"));
    assert_eq!(second.unwrap(), dir.path().join("report (2).pdf"));
    assert_eq!(
        std::fs::read(dir.path().join("report.pdf")).unwrap(),
        b"mine"
    );
    assert_eq!(
        std::fs::read(dir.path().join("report (2).pdf")).unwrap(),
        b"theirs"
    );
    assert_eq!(
        listing(dir.path()),
        names(&["report.pdf", "report (1).pdf", "report (2).pdf"])
    );
}

#[tokio::test]
async fn save_in_without_a_usable_name_saves_as_download() {
    let dir = tempfile::tempdir().unwrap();
    for disposition in [None, Some(r#"attachment; filename="..""#)] {
        let file = download(FileReply::new(&b"x"[..], disposition)).await;
        assert_eq!(file.safe_file_name(), None);
        file.save_in(dir.path()).await.unwrap();
    }
    assert_eq!(listing(dir.path()), names(&["download", "download (1)"]));
}

#[tokio::test]
async fn save_in_gives_up_when_a_thousand_numbered_names_are_taken() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), b"").unwrap();
    for n in 1..=1000 {
        std::fs::write(dir.path().join(format!("a ({n}).txt")), b"").unwrap();
    }
    let file = download(FileReply::new(
        &b"new"[..],
        Some("attachment; filename=a.txt"),
    ))
    .await;

    match file.save_in(dir.path()).await {
        Err(Error::Io { source, .. }) => {
            assert_eq!(source.kind(), std::io::ErrorKind::AlreadyExists);
        }
        other => panic!("expected Io AlreadyExists, got {other:?}"),
    }
    // Nothing was added or changed, not even a temporary file.
    let left = listing(dir.path());
    assert_eq!(left.len(), 1001);
    assert!(left.iter().all(|name| !name.ends_with(".part")));
    assert!(
        std::fs::read(dir.path().join("a (1000).txt"))
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn large_download_saved_with_save_to_is_byte_exact() {
    let data = content(6 * MIB + 123);
    let file = download(FileReply::new(data.clone(), None)).await;
    assert_eq!(file.content_length(), Some(data.len() as u64));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");

    let written = file.save_to(&path).await.unwrap();

    assert_eq!(written, data.len() as u64);
    let saved = std::fs::read(&path).unwrap();
    assert!(saved == data, "saved bytes differ from the source");
    assert_eq!(listing(dir.path()), names(&["big.bin"]));
}

#[tokio::test]
async fn large_chunked_download_streams_byte_exact() {
    let data = content(6 * MIB + 123);
    let file = download(FileReply::new(data.clone(), None).chunked()).await;
    assert_eq!(file.content_length(), None);

    let mut chunks = 0;
    let mut received = Vec::with_capacity(data.len());
    let mut body = file.into_stream();
    while let Some(chunk) = body.next().await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }

    assert!(received == data, "streamed bytes differ from the source");
    assert!(chunks > 1, "the body arrived as a single chunk");
}

#[tokio::test]
async fn save_to_replaces_an_existing_file_once_complete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, b"old").unwrap();
    let file = download(FileReply::new(&b"new content"[..], None)).await;

    assert_eq!(file.save_to(&path).await.unwrap(), 11);

    assert_eq!(std::fs::read(&path).unwrap(), b"new content");
    assert_eq!(listing(dir.path()), names(&["notes.txt"]));
}

#[tokio::test]
async fn save_to_a_missing_folder_is_an_io_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("a.bin");
    let file = download(FileReply::new(&b"x"[..], None)).await;
    match file.save_to(&path).await {
        Err(Error::Io {
            path: named,
            source,
        }) => {
            assert_eq!(named.as_deref(), Some(path.as_path()));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
}

/// A server that announces `length` bytes, sends half of them, and hangs up.
async fn truncating_server(length: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let data = content(length);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            // Read the whole request first: closing with unread input would reset the
            // connection and could discard what was sent.
            let mut request = Vec::new();
            let mut buf = [0; 1024];
            while !request.ends_with(b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {length}\r\n\
                 Content-Disposition: attachment; filename=\"cut.pdf\"\r\n\r\n"
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&data[..length / 2]).await;
            let _ = socket.shutdown().await;
        }
    });
    url
}

async fn truncated_download(url: &str) -> Download {
    client_for(url)
        .send(&LIST, Request::new("/files/1".into()))
        .await
        .expect("the headers arrive")
        .into_download()
}

fn assert_cut_short(result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Err(Error::Transport(_) | Error::IncompleteBody { .. }) => {}
        other => panic!("expected Transport or IncompleteBody, got {other:?}"),
    }
}

#[tokio::test]
async fn interrupted_download_leaves_no_file_behind() {
    let url = truncating_server(2 * MIB).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.pdf");

    let file = truncated_download(&url).await;
    assert_eq!(file.content_length(), Some(2 * MIB as u64));
    assert_cut_short(file.save_to(&path).await);
    assert!(!path.exists());
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));

    assert_cut_short(truncated_download(&url).await.save_in(dir.path()).await);
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn interrupted_download_leaves_an_existing_file_unchanged() {
    let url = truncating_server(2 * MIB).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.pdf");
    std::fs::write(&path, b"previous version").unwrap();

    assert_cut_short(truncated_download(&url).await.save_to(&path).await);

    assert_eq!(std::fs::read(&path).unwrap(), b"previous version");
    assert_eq!(listing(dir.path()), names(&["cut.pdf"]));
}

#[tokio::test]
async fn interrupted_download_fails_bytes_and_the_stream() {
    let url = truncating_server(256 * 1024).await;

    assert_cut_short(truncated_download(&url).await.bytes().await);

    let items: Vec<_> = truncated_download(&url).await.into_stream().collect().await;
    let received: usize = items
        .iter()
        .filter_map(|item| item.as_ref().ok())
        .map(Bytes::len)
        .sum();
    assert!(received <= 128 * 1024);
    match items.last() {
        Some(Err(Error::Transport(_) | Error::IncompleteBody { .. })) => {}
        other => panic!("expected the stream to end with an error, got {other:?}"),
    }
}

/// What a process killed mid-download leaves: a temporary file of ours, untouched since.
fn leave_killed_download(dir: &Path, name: &str, age: std::time::Duration) {
    let file = std::fs::File::create(dir.join(name)).unwrap();
    file.set_modified(std::time::SystemTime::now() - age)
        .unwrap();
}

#[tokio::test]
async fn a_download_in_progress_is_written_under_the_pattern_that_is_swept() {
    // A file is created once enough of the body arrived to be worth a write: send 1 MiB of
    // the 2 announced, then stall.
    let app = Router::new().fallback(|| async {
        let start = stream::iter(
            (0..MIB / CHUNK).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![7u8; CHUNK]))),
        );
        Response::builder()
            .header(CONTENT_LENGTH, (2 * MIB).to_string())
            .body(Body::from_stream(start.chain(stream::pending())))
            .unwrap()
    });
    let url = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let download = client_for(&url)
        .send(&LIST, Request::new("/files/1".into()))
        .await
        .unwrap()
        .into_download();
    let path = dir.path().join("report.pdf");
    let saving = tokio::spawn(async move { download.save_to(path).await });

    let mut temporary = BTreeSet::new();
    for _ in 0..100 {
        temporary = listing(dir.path());
        if !temporary.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let name = temporary.iter().next().expect("a temporary file").clone();
    let random = name
        .strip_prefix(".report.pdf.")
        .and_then(|rest| rest.strip_suffix(".zoho-part"))
        .unwrap_or_else(|| panic!("unexpected temporary name {name}"));
    assert_eq!(random.len(), 6, "{name}");
    assert!(
        random.bytes().all(|byte| byte.is_ascii_alphanumeric()),
        "{name}"
    );

    saving.abort();
    let _ = saving.await;
}

#[tokio::test]
async fn leftovers_of_killed_downloads_are_removed_when_the_folder_is_next_used() {
    let dir = tempfile::tempdir().unwrap();
    let hour = std::time::Duration::from_secs(60 * 60);
    leave_killed_download(dir.path(), ".old.pdf.Zx81Qw.zoho-part", 3 * hour);
    // Young enough to belong to a download still running in another process.
    leave_killed_download(dir.path(), ".busy.pdf.Ab12Cd.zoho-part", hour / 60);
    // Not ours, however old.
    leave_killed_download(dir.path(), "report.pdf.part", 3 * hour);
    leave_killed_download(dir.path(), ".notes.txt", 3 * hour);

    let saved = download(FileReply::new(
        content(1000),
        Some("attachment; filename=\"a.txt\""),
    ))
    .await
    .save_in(dir.path())
    .await
    .unwrap();

    assert_eq!(saved, dir.path().join("a.txt"));
    assert_eq!(
        listing(dir.path()),
        names(&[
            ".busy.pdf.Ab12Cd.zoho-part",
            ".notes.txt",
            "a.txt",
            "report.pdf.part"
        ])
    );
}
