//! Token stores: the file survives crashes, stays private, and never leaks its token.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zoho_runtime::{
    AccessToken, Error, FileTokenStore, MemoryTokenStore, Secret, StoredToken, TokenStore,
};

const SECRET: &str = "1000.stored-secret-31c7";

fn token(value: &str) -> StoredToken {
    StoredToken {
        access_token: AccessToken::new(value),
        // Whole seconds: the file keeps seconds.
        expires_at: UNIX_EPOCH + Duration::from_secs(1_900_000_000),
        api_domain: Some("https://www.zohoapis.eu".into()),
        refresh_token: None,
    }
}

fn assert_same(loaded: Option<StoredToken>, expected: &StoredToken) {
    let loaded = loaded.expect("a stored token");
    assert_eq!(loaded.access_token.expose(), expected.access_token.expose());
    assert_eq!(loaded.expires_at, expected.expires_at);
    assert_eq!(loaded.api_domain, expected.api_domain);
    assert_eq!(
        loaded.refresh_token.as_ref().map(Secret::expose),
        expected.refresh_token.as_ref().map(Secret::expose)
    );
}

#[tokio::test]
async fn file_store_round_trips_and_a_missing_file_is_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path().join("token.json"));
    assert!(store.load().await.unwrap().is_none());

    let saved = token(SECRET);
    store.save(&saved).await.unwrap();
    assert_same(store.load().await.unwrap(), &saved);

    let replaced = StoredToken {
        api_domain: None,
        ..token("1000.newer")
    };
    store.save(&replaced).await.unwrap();
    assert_same(store.load().await.unwrap(), &replaced);

    let with_refresh = StoredToken {
        refresh_token: Some(Secret::new("1000.refresh-kept")),
        ..token("1000.granted")
    };
    store.save(&with_refresh).await.unwrap();
    assert_same(store.load().await.unwrap(), &with_refresh);
}

#[cfg(unix)]
#[tokio::test]
async fn the_token_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    // A file that was world-readable before is replaced by a private one.
    std::fs::write(&path, "{}").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();

    FileTokenStore::new(&path)
        .save(&token(SECRET))
        .await
        .unwrap();

    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
}

#[tokio::test]
async fn a_crash_before_the_rename_leaves_the_previous_token_loadable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    let store = FileTokenStore::new(&path);
    let saved = token(SECRET);
    store.save(&saved).await.unwrap();

    // What a crash between writing and renaming leaves: a half-written temporary file
    // beside the real one.
    std::fs::write(
        dir.path().join(".token.json.a1b2c3.tmp"),
        r#"{"access_token":"1000.half-wri"#,
    )
    .unwrap();

    assert_same(store.load().await.unwrap(), &saved);
    // And the next save still works.
    let next = token("1000.after-crash");
    store.save(&next).await.unwrap();
    assert_same(store.load().await.unwrap(), &next);
}

#[tokio::test]
async fn a_corrupt_file_is_an_auth_error_that_does_not_quote_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    let store = FileTokenStore::new(&path);
    for corrupt in [
        format!(r#"{{"access_token":"{SECRET}""#),
        format!(r#"{{"access_token":"{SECRET}","expires_at":"soon"}}"#),
        format!(r#"{{"access_token":"{SECRET}","expires_at":18446744073709551615}}"#),
        "not json at all".to_owned(),
    ] {
        std::fs::write(&path, &corrupt).unwrap();
        match store.load().await {
            Err(err @ Error::Auth(_)) => {
                let text = format!("{err} {err:?}");
                assert!(!text.contains(SECRET), "{text}");
                assert!(text.contains("token.json"), "{text}");
            }
            other => panic!("{corrupt}: expected Auth, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn saving_into_a_missing_folder_is_an_io_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("token.json");
    match FileTokenStore::new(&path).save(&token(SECRET)).await {
        Err(Error::Io {
            path: Some(named), ..
        }) => assert_eq!(named, path),
        other => panic!("expected Io, got {other:?}"),
    }
}

#[tokio::test]
async fn memory_store_round_trips() {
    let store = MemoryTokenStore::default();
    assert!(store.load().await.unwrap().is_none());
    let saved = token(SECRET);
    store.save(&saved).await.unwrap();
    assert_same(store.load().await.unwrap(), &saved);
}

#[tokio::test]
async fn debug_of_tokens_and_stores_shows_no_token() {
    let memory = MemoryTokenStore::default();
    memory.save(&token(SECRET)).await.unwrap();
    let file = FileTokenStore::new("/tmp/token.json");
    let stored = StoredToken {
        expires_at: SystemTime::now(),
        refresh_token: Some(Secret::new(SECRET)),
        ..token(SECRET)
    };
    for text in [
        format!("{stored:?}"),
        format!("{memory:?}"),
        format!("{file:?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("stored-secret"), "{text}");
    }
    assert!(format!("{stored:?}").contains("zohoapis.eu"));
}
