//! multipart/form-data uploads as a server receives them.

use std::path::PathBuf;

use zoho_runtime::{Bytes, Error, FilePart, Multipart, Request};

use crate::support::{Reply, TestServer, UPLOAD, parts};

/// Content that is not all one byte, so misplaced chunks would show.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn file_from_a_path_is_sent_with_name_type_exact_bytes_and_length() {
    let server = TestServer::start(Reply::json(200, r#"{"data":[]}"#)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    // Several 64 KiB read chunks, and not a multiple of one.
    let data = content(300 * 1024 + 7);
    std::fs::write(&path, &data).unwrap();

    let form = Multipart::new()
        .text("parent_id", "4150868000000225013")
        .file("file", FilePart::path(&path))
        .text("note", "quarterly");
    server
        .client()
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
        .unwrap();

    let sent = server.only_request();
    assert!(
        sent.header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    let length: usize = sent.header("content-length").unwrap().parse().unwrap();
    assert_eq!(length, sent.body.len());

    let parts = parts(&sent).await;
    let names: Vec<&str> = parts.iter().map(|part| part.name.as_str()).collect();
    assert_eq!(names, ["parent_id", "file", "note"]);
    assert_eq!(parts[0].data, "4150868000000225013");
    assert_eq!(parts[0].file_name, None);
    assert_eq!(parts[1].file_name.as_deref(), Some("report.pdf"));
    assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
    assert!(parts[1].data == data, "uploaded bytes differ from the file");
    assert_eq!(parts[2].data, "quarterly");
}

#[tokio::test]
async fn reader_of_unknown_length_is_sent_chunked() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let data = content(150 * 1024);
    let reader = std::io::Cursor::new(data.clone());

    let form = Multipart::new().file(
        "file",
        FilePart::reader("export", reader, None)
            .file_name("export.csv")
            .content_type("text/csv"),
    );
    server
        .client()
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
        .unwrap();

    let sent = server.only_request();
    assert_eq!(sent.header("content-length"), None);
    assert_eq!(sent.header("transfer-encoding"), Some("chunked"));
    let parts = parts(&sent).await;
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].file_name.as_deref(), Some("export.csv"));
    assert_eq!(parts[0].content_type.as_deref(), Some("text/csv"));
    assert!(
        parts[0].data == data,
        "uploaded bytes differ from the reader's"
    );
}

#[tokio::test]
async fn reader_of_known_length_and_bytes_send_a_content_length() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let form = Multipart::new()
        .file(
            "first",
            FilePart::reader("a.txt", &b"hello reader"[..], Some(12)),
        )
        .file(
            "second",
            FilePart::bytes("b.json", Bytes::from_static(b"{}")),
        );
    server
        .client()
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
        .unwrap();

    let sent = server.only_request();
    let length: usize = sent.header("content-length").unwrap().parse().unwrap();
    assert_eq!(length, sent.body.len());
    let parts = parts(&sent).await;
    assert_eq!(parts[0].data, "hello reader");
    assert_eq!(parts[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(parts[1].data, "{}");
    assert_eq!(parts[1].content_type.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn file_name_with_quotes_and_line_breaks_cannot_break_the_part_header() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let evil = "a\"b\r\nContent-Type: text/html\r\n\r\nx.txt";
    let form = Multipart::new().file(
        "file",
        FilePart::bytes(evil, Bytes::from_static(b"payload")),
    );
    server
        .client()
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
        .unwrap();

    let sent = server.only_request();
    let raw = String::from_utf8_lossy(&sent.body);
    assert!(
        raw.contains(r#"filename="a%22b%0D%0AContent-Type: text/html%0D%0A%0D%0Ax.txt""#),
        "{raw}"
    );
    assert!(
        !raw.lines()
            .any(|line| line.starts_with("Content-Type: text/html")),
        "{raw}"
    );

    let parts = parts(&sent).await;
    assert_eq!(parts.len(), 1);
    assert_eq!(
        parts[0].file_name.as_deref(),
        Some("a%22b%0D%0AContent-Type: text/html%0D%0A%0D%0Ax.txt")
    );
    assert_eq!(parts[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(parts[0].data, "payload");
}

#[tokio::test]
async fn missing_upload_file_is_an_io_error_naming_it_and_nothing_is_sent() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let dir = tempfile::tempdir().unwrap();
    let missing: PathBuf = dir.path().join("gone.pdf");

    let form = Multipart::new().file("file", FilePart::from(missing.as_path()));
    match server
        .client()
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
    {
        Err(Error::Io { path, source }) => {
            assert_eq!(path, Some(missing));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}
