//! Where refreshed access tokens are kept between runs.

use std::fmt;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::{AccessToken, Error, Secret};

/// Facts about a token, as a store keeps them. `Debug` redacts the token.
#[derive(Clone)]
pub struct StoredToken {
    /// The access token.
    pub access_token: AccessToken,
    /// When Zoho stops accepting it.
    pub expires_at: SystemTime,
    /// The API origin the token answer named (`api_domain`, e.g.
    /// `https://www.zohoapis.eu`), if any.
    pub api_domain: Option<String>,
    /// The refresh token, when the store keeps it: after a grant-code exchange
    /// ([`OAuthApp::exchange_grant_code`](crate::OAuthApp::exchange_grant_code)), and from then
    /// on for a [`RefreshToken::from_store`](crate::RefreshToken::from_store). A refresh token
    /// given to [`RefreshToken::new`](crate::RefreshToken::new) is never written to a store.
    pub refresh_token: Option<Secret>,
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("access_token", &"***")
            .field("expires_at", &self.expires_at)
            .field("api_domain", &self.api_domain)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Where tokens are kept between runs, so that a restart does not spend one of the refresh
/// token's few refreshes per ten minutes, and where a grant-code exchange keeps the refresh
/// token it got.
///
/// Like a [`TokenSource`](crate::TokenSource), an implementation's `Debug` must not
/// show a token.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token saved last, or `None` when there is none yet.
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, Error>>;

    /// Keeps `token`, replacing what was saved before.
    fn save(&self, token: &StoredToken) -> BoxFuture<'_, Result<(), Error>>;
}

/// Lets one store be shared, and inspected by its owner.
impl<T: TokenStore + ?Sized> TokenStore for Arc<T> {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, Error>> {
        (**self).load()
    }

    fn save(&self, token: &StoredToken) -> BoxFuture<'_, Result<(), Error>> {
        (**self).save(token)
    }
}

/// Keeps the token in memory only: for tests, and to share a token between
/// [`RefreshToken`](crate::RefreshToken)s of one process.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    token: Mutex<Option<StoredToken>>,
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, Error>> {
        let token = self
            .token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Box::pin(std::future::ready(Ok(token)))
    }

    fn save(&self, token: &StoredToken) -> BoxFuture<'_, Result<(), Error>> {
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = Some(token.clone());
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Keeps the token in a JSON file that only its owner can read.
///
/// Saving writes a temporary file in the same folder (created with mode `0600` on Unix,
/// so it is never readable by others, not even briefly), syncs it, renames it over the
/// target, and syncs the folder. A crash at any point leaves either the previous file
/// or the new one, never a mix: a stray `.<name>.*.tmp` file may remain and is ignored.
///
/// Loading a missing file gives `None`; a file that is not a token file gives
/// [`Error::Auth`] (without repeating its contents).
#[derive(Debug)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store in the file at `path`. Nothing is read or created until used.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }
}

/// The file's contents. `expires_at` is in seconds since the Unix epoch.
#[derive(Serialize, Deserialize)]
struct FileFormat {
    access_token: String,
    expires_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, Error>> {
        let path = self.path.clone();
        Box::pin(blocking(self.path.clone(), move || load_file(&path)))
    }

    fn save(&self, token: &StoredToken) -> BoxFuture<'_, Result<(), Error>> {
        let path = self.path.clone();
        let contents = FileFormat {
            access_token: token.access_token.expose().to_owned(),
            expires_at: token
                .expires_at
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| since.as_secs()),
            api_domain: token.api_domain.clone(),
            refresh_token: token
                .refresh_token
                .as_ref()
                .map(|secret| secret.expose().to_owned()),
        };
        Box::pin(blocking(self.path.clone(), move || {
            save_file(&path, &contents)
        }))
    }
}

fn load_file(path: &Path) -> Result<Option<StoredToken>, Error> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io_error(path, source)),
    };
    let corrupt = || {
        Error::Auth(format!(
            "the token file `{}` is not a token file written by FileTokenStore; delete it to start afresh",
            path.display()
        ))
    };
    // The parse error is dropped on purpose: it can quote the file, which holds a token.
    let contents: FileFormat = serde_json::from_slice(&bytes).map_err(|_| corrupt())?;
    let expires_at = UNIX_EPOCH
        .checked_add(Duration::from_secs(contents.expires_at))
        .ok_or_else(corrupt)?;
    Ok(Some(StoredToken {
        access_token: AccessToken::new(contents.access_token),
        expires_at,
        api_domain: contents.api_domain,
        refresh_token: contents.refresh_token.map(Secret::new),
    }))
}

fn save_file(path: &Path, contents: &FileFormat) -> Result<(), Error> {
    let on_io = |source| io_error(path, source);
    let name = path
        .file_name()
        .ok_or_else(|| {
            on_io(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path has no file name",
            ))
        })?
        .to_string_lossy()
        .into_owned();
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let json = serde_json::to_vec_pretty(contents).map_err(|err| on_io(io::Error::other(err)))?;

    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Given to open(2), so the file never exists with wider permissions.
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut temp = builder.tempfile_in(&folder).map_err(on_io)?;
    temp.write_all(&json).map_err(on_io)?;
    temp.as_file().sync_all().map_err(on_io)?;
    // On failure the temporary file is removed and the old file stays.
    temp.persist(path).map_err(|err| on_io(err.error))?;
    sync_folder(&folder).map_err(on_io)
}

/// Makes the rename durable: it lives in the folder's entry list.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    std::fs::File::open(folder)?.sync_all()
}

/// Windows cannot open a folder as a file; its rename is made durable by the
/// file system journal.
#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

fn io_error(path: &Path, source: io::Error) -> Error {
    Error::Io {
        path: Some(path.to_owned()),
        source,
    }
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    path: PathBuf,
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|err| io_error(&path, io::Error::other(err)))?
}
