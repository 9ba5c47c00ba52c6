//! Saving downloads safely through the client: a server-chosen name cannot leave the
//! folder or replace a file, and a download cut short leaves nothing behind.

use std::path::{Path, PathBuf};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use zoho_attachments::crm::v8;
use zoho_attachments::{Client, Download, Error};
use zoho_tests::recorder::{Recorder, Reply};

use crate::support::{TOKEN, client, pseudo_random_bytes};

const RECORD_ID: &str = "2883756000000261075";
const ATTACHMENT_ID: &str = "2883756000000261017";

/// Every path under `root`, relative and sorted, folders included.
fn tree(root: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the folder is listed") {
            let path = entry.expect("an entry").path();
            out.push(path.strip_prefix(root).expect("under root").to_owned());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// A recorder answering every request with `content`, named by `disposition`.
async fn file_server(disposition: &str, content: &'static str) -> Recorder {
    Recorder::start(
        Reply::new(200, Some("application/octet-stream"), content)
            .header("Content-Disposition", disposition),
    )
    .await
}

async fn fetch(client: &Client) -> Download {
    client
        .crm_v8()
        .download_attachment(v8::Module::Leads, RECORD_ID, ATTACHMENT_ID)
        .send()
        .await
        .expect("the answer arrives")
        .expect("a 200 carries a file")
}

#[tokio::test]
async fn save_in_keeps_a_traversing_name_inside_the_folder() {
    let root = tempfile::tempdir().expect("a temp dir");
    // `../../etc/passwd` from here would be `root/etc/passwd`, still under watch.
    let dir = root.path().join("home").join("downloads");
    std::fs::create_dir_all(&dir).expect("the folders are made");
    let before = tree(root.path());
    let recorder = file_server(
        "attachment; filename=\"../../etc/passwd\"",
        "not a password file\n",
    )
    .await;

    let download = fetch(&client(&recorder)).await;
    assert_eq!(download.file_name(), Some("../../etc/passwd"), "as sent");
    assert_eq!(download.safe_file_name().as_deref(), Some("passwd"));
    let saved = download.save_in(&dir).await.expect("the file is saved");

    assert_eq!(saved, dir.join("passwd"));
    assert_eq!(
        std::fs::read_to_string(&saved).expect("read back"),
        "not a password file\n"
    );
    let mut expected = before;
    expected.push(PathBuf::from("home/downloads/passwd"));
    expected.sort();
    assert_eq!(tree(root.path()), expected, "only dir/passwd was added");
    assert!(!root.path().join("etc").exists());
}

#[tokio::test]
async fn save_in_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("passwd"), "keep me\n").expect("written");
    let recorder = file_server("attachment; filename=\"../../etc/passwd\"", "downloaded\n").await;
    let client = client(&recorder);

    let first = fetch(&client).await.save_in(dir.path()).await;
    let second = fetch(&client).await.save_in(dir.path()).await;

    assert_eq!(
        first.expect("saved under a new name"),
        dir.path().join("passwd (1)")
    );
    assert_eq!(
        second.expect("saved under a new name"),
        dir.path().join("passwd (2)")
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect("read back");
    assert_eq!(
        read("passwd"),
        "keep me\n",
        "the existing file is untouched"
    );
    assert_eq!(read("passwd (1)"), "downloaded\n");
    assert_eq!(read("passwd (2)"), "downloaded\n");
    assert_eq!(
        tree(dir.path()),
        ["passwd", "passwd (1)", "passwd (2)"].map(PathBuf::from)
    );
}

/// A server for one request that announces `length` bytes, sends half of them, and
/// closes the connection. Bound before it is spawned; yields the request head it read.
async fn half_body_server(length: usize) -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("an address"));
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let mut head = Vec::new();
        let mut byte = [0_u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream
                .read_exact(&mut byte)
                .await
                .expect("the request head");
            head.push(byte[0]);
        }
        let answer_head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {length}\r\n\
             Content-Disposition: attachment; filename=\"report.pdf\"\r\n\r\n"
        );
        stream
            .write_all(answer_head.as_bytes())
            .await
            .expect("head");
        let body = pseudo_random_bytes(length / 2, 7);
        stream.write_all(&body).await.expect("half the body");
        stream.flush().await.expect("flushed");
        // Dropping the stream closes the connection mid-body.
        String::from_utf8_lossy(&head).into_owned()
    });
    (base_url, task)
}

fn client_for(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .access_token(TOKEN)
        .build()
        .expect("a client")
}

#[tokio::test]
async fn an_interrupted_download_leaves_no_file_and_no_temporary_file() {
    const LENGTH: usize = 1024 * 1024;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("report.pdf");

    let (base_url, server) = half_body_server(LENGTH).await;
    let download = fetch(&client_for(&base_url)).await;
    assert_eq!(download.content_length(), Some(LENGTH as u64));
    let error = download
        .save_to(&path)
        .await
        .expect_err("half a body is not a file");
    let head = server.await.expect("the server ran");

    assert!(
        head.starts_with(
            "GET /crm/v8/Leads/2883756000000261075/Attachments/2883756000000261017 HTTP/1.1\r\n"
        ),
        "{head}"
    );
    // A connection that drops mid-body is a transport failure, worth retrying.
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(!path.exists(), "nothing under the final name");
    assert_eq!(tree(dir.path()), Vec::<PathBuf>::new(), "no temporary file");

    // The same through `save_in`, which picks the name itself.
    let (base_url, server) = half_body_server(LENGTH).await;
    let error = fetch(&client_for(&base_url))
        .await
        .save_in(dir.path())
        .await
        .expect_err("half a body is not a file");
    server.await.expect("the server ran");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(tree(dir.path()), Vec::<PathBuf>::new(), "nothing at all");
}
