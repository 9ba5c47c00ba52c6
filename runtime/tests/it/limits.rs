//! Size limits on uploads, length and range checks, and JSON bodies.

use std::collections::HashMap;

use zoho_runtime::{Bytes, Error, FilePart, Multipart, Request, check_length, check_range};

use crate::support::{Reply, TestServer, UPLOAD, parts};

/// Content that is not all one byte, so misplaced chunks would show.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

async fn send(server: &TestServer, form: Multipart) -> Result<zoho_runtime::Response, Error> {
    server
        .client()
        .send(&UPLOAD, Request::new("/files".into()).multipart(form))
        .await
}

/// The `TooLarge` fields, or a panic naming what came instead.
fn too_large(result: Result<zoho_runtime::Response, Error>) -> (String, u64, u64) {
    match result {
        Err(Error::TooLarge { what, size, limit }) => (what, size, limit),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn too_large_says_what_how_big_and_the_limit() {
    let err = Error::TooLarge {
        what: "file part `file` (report.pdf)".into(),
        size: 104_857_601,
        limit: 104_857_600,
    };
    assert_eq!(
        err.to_string(),
        "file part `file` (report.pdf) is 104857601 bytes, over the limit of 104857600"
    );
    assert!(!err.is_retryable());
    assert_eq!(err.http_status(), None);
}

#[tokio::test]
async fn bytes_over_the_part_limit_are_refused_before_sending() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let form = Multipart::new().text("note", "hi").file_with_limit(
        "file",
        FilePart::bytes("big.bin", content(11)),
        10,
    );

    let (what, size, limit) = too_large(send(&server, form).await);

    assert_eq!(
        (what.as_str(), size, limit),
        ("file part `file` (big.bin)", 11, 10)
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn reader_with_a_length_over_the_part_limit_is_refused_before_sending() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let data = content(5000);
    let form = Multipart::new().file_with_limit(
        "file",
        FilePart::reader("export.csv", std::io::Cursor::new(data), Some(5000)),
        4096,
    );

    let (what, size, limit) = too_large(send(&server, form).await);

    assert_eq!(
        (what.as_str(), size, limit),
        ("file part `file` (export.csv)", 5000, 4096)
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn path_over_the_part_limit_is_refused_before_sending() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, content(1025)).unwrap();
    let form = Multipart::new().file_with_limit("file", FilePart::path(&path), 1024);

    let (what, size, limit) = too_large(send(&server, form).await);

    assert_eq!(
        (what.as_str(), size, limit),
        ("file part `file` (report.pdf)", 1025, 1024)
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn parts_exactly_at_their_limits_are_sent_whole() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.bin");
    let data = content(100 * 1024);
    std::fs::write(&path, &data).unwrap();
    let limit = data.len() as u64;
    let form = Multipart::new()
        .file_with_limit("bytes", FilePart::bytes("b.bin", data.clone()), limit)
        .file_with_limit(
            "sized",
            FilePart::reader("s.bin", std::io::Cursor::new(data.clone()), Some(limit)),
            limit,
        )
        .file_with_limit("path", FilePart::path(&path), limit)
        .file_with_limit(
            "unsized",
            FilePart::reader("u.bin", std::io::Cursor::new(data.clone()), None),
            limit,
        )
        .max_bytes(4 * limit);

    send(&server, form).await.unwrap();

    let parts = parts(&server.only_request()).await;
    let names: Vec<&str> = parts.iter().map(|part| part.name.as_str()).collect();
    assert_eq!(names, ["bytes", "sized", "path", "unsized"]);
    for part in &parts {
        assert!(part.data == data, "part {} differs", part.name);
    }
}

#[tokio::test]
async fn reader_of_unknown_length_is_cut_off_once_past_its_limit() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let form = Multipart::new().file_with_limit(
        "file",
        FilePart::reader(
            "stream.bin",
            std::io::Cursor::new(content(1024 * 1024)),
            None,
        ),
        100 * 1024,
    );

    let (what, size, limit) = too_large(send(&server, form).await);

    assert_eq!(what, "file part `file` (stream.bin)");
    assert_eq!(limit, 100 * 1024);
    // Stopped within one 64 KiB read of the limit, not after reading the whole 1 MiB.
    assert!(size > limit && size <= limit + 64 * 1024, "{size}");
    // The body never completed, so the server never accepted a request.
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn max_bytes_limits_the_sum_of_known_parts() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let form = |limit| {
        Multipart::new()
            .text("note", "abc")
            .file("a", FilePart::bytes("a.bin", content(5)))
            .file("b", FilePart::bytes("b.bin", content(5)))
            .max_bytes(limit)
    };

    let (what, size, limit) = too_large(send(&server, form(12)).await);
    assert_eq!((what.as_str(), size, limit), ("request body", 13, 12));
    assert!(server.requests().is_empty());

    send(&server, form(13)).await.unwrap();
    assert_eq!(parts(&server.only_request()).await.len(), 3);
}

#[tokio::test]
async fn max_bytes_counts_files_from_paths() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, content(600)).unwrap();
    let form = Multipart::new()
        .file("first", FilePart::path(&path))
        .file("second", FilePart::path(&path))
        .max_bytes(1000);

    let (what, size, limit) = too_large(send(&server, form).await);

    assert_eq!((what.as_str(), size, limit), ("request body", 1200, 1000));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn max_bytes_cuts_off_a_reader_of_unknown_length() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let form = Multipart::new()
        .file("small", FilePart::bytes("a.bin", content(10)))
        .file(
            "stream",
            FilePart::reader("s.bin", std::io::Cursor::new(content(512 * 1024)), None),
        )
        .max_bytes(50 * 1024);

    let (what, size, limit) = too_large(send(&server, form).await);

    assert_eq!(what, "request body");
    assert_eq!(limit, 50 * 1024);
    assert!(size > limit && size <= limit + 64 * 1024, "{size}");
    assert!(server.requests().is_empty());
}

#[test]
fn check_length_counts_characters_and_names_the_bounds() {
    assert!(check_length("title", "abc", Some(1), Some(3)).is_ok());
    // Five characters, ten bytes.
    assert!(check_length("title", "ééééé", None, Some(5)).is_ok());
    assert!(check_length("title", "", None, None).is_ok());

    for (value, min, max, message) in [
        (
            "",
            Some(1),
            Some(255),
            "invalid `title`: must have between 1 and 255 characters; it has 0",
        ),
        (
            "éééééé",
            None,
            Some(5),
            "invalid `title`: must have at most 5 characters; it has 6",
        ),
        (
            "",
            Some(1),
            None,
            "invalid `title`: must have at least 1 character; it has 0",
        ),
        (
            "12345",
            Some(18),
            Some(18),
            "invalid `title`: must have exactly 18 characters; it has 5",
        ),
    ] {
        match check_length("title", value, min, max) {
            Err(
                err @ Error::InvalidInput {
                    parameter: "title", ..
                },
            ) => {
                assert_eq!(err.to_string(), message);
                assert!(!err.is_retryable());
            }
            other => panic!("{value:?} {min:?} {max:?}: expected InvalidInput, got {other:?}"),
        }
    }
}

#[test]
fn check_range_is_inclusive_and_names_the_bounds() {
    for value in [1, 100, 200] {
        assert!(check_range("per_page", value, Some(1), Some(200)).is_ok());
    }
    assert!(check_range("per_page", i64::MIN, None, None).is_ok());

    for (value, min, max, message) in [
        (
            0,
            Some(1),
            Some(200),
            "invalid `per_page`: must be between 1 and 200; it is 0",
        ),
        (
            201,
            Some(1),
            Some(200),
            "invalid `per_page`: must be between 1 and 200; it is 201",
        ),
        (
            -1,
            Some(0),
            None,
            "invalid `per_page`: must be at least 0; it is -1",
        ),
        (
            11,
            None,
            Some(10),
            "invalid `per_page`: must be at most 10; it is 11",
        ),
    ] {
        match check_range("per_page", value, min, max) {
            Err(
                err @ Error::InvalidInput {
                    parameter: "per_page",
                    ..
                },
            ) => {
                assert_eq!(err.to_string(), message);
            }
            other => panic!("{value} {min:?} {max:?}: expected InvalidInput, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn json_body_sends_the_serialised_value_as_json() {
    let server = TestServer::start(Reply::json(200, "{}")).await;
    let body = serde_json::json!({"data": [{"File_Name": "a \"quoted\" €.pdf", "Size": 3}]});

    let request = Request::new("/files".into()).json_body(&body).unwrap();
    server.client().send(&UPLOAD, request).await.unwrap();

    let sent = server.only_request();
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.body, Bytes::from(serde_json::to_vec(&body).unwrap()));
    let echoed: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(echoed, body);
}

#[test]
fn json_body_that_cannot_be_serialised_is_invalid_input() {
    // JSON object keys must be strings.
    let body: HashMap<(u8, u8), u8> = HashMap::from([((1, 2), 3)]);
    match Request::new("/files".into()).json_body(&body) {
        Err(Error::InvalidInput { parameter, reason }) => {
            assert_eq!(parameter, "body");
            assert!(reason.contains("key must be a string"), "{reason}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}
