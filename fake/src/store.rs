//! Stored attachments, photos and staged Contracts uploads, in memory or in a directory.
//!
//! Directory layout (one JSON and one content file per item, so a change never rewrites
//! an index): `attachments/<seq>.json` + `attachments/<seq>.bin`, `photos/<key>.json` +
//! `photos/<key>.bin`. Staged Contracts uploads stay in memory.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// Where attachments live: a record of a CRM or Bigin module, or a contract.
///
/// CRM versions share one store, Bigin versions another; each contract has its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Parent {
    pub(crate) store: String,
    pub(crate) module: String,
    pub(crate) record: String,
    #[serde(default)]
    pub(crate) kind: ParentKind,
}

/// What attachments hang off, which decides their IDs and how answers describe them.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ParentKind {
    /// A record of a module: the path names a module, then the record (CRM, Bigin).
    #[default]
    Record,
    /// A thing the path names without a module (a Zoho Contracts contract).
    Contract,
}

impl Parent {
    /// A Zoho CRM record (any version). The module is matched against the spec's API
    /// names ignoring case, as the server does (`leads` is `Leads`).
    pub fn crm(module: impl Into<String>, record: impl Into<String>) -> Self {
        Self::new("crm", module.into(), record.into())
    }

    /// A Bigin record (any version).
    pub fn bigin(module: impl Into<String>, record: impl Into<String>) -> Self {
        Self::new("bigin", module.into(), record.into())
    }

    /// A Zoho Contracts contract, by its API name.
    pub fn contract(api_name: impl Into<String>) -> Self {
        Self::without_module("contracts", api_name.into())
    }

    pub(crate) fn new(store: &str, module: String, record: String) -> Self {
        let module = crate::modules::canonical_name(store, &module).unwrap_or(module);
        Self {
            store: store.to_owned(),
            module,
            record,
            kind: ParentKind::Record,
        }
    }

    /// The parent a path names without a module: its module is the store's name.
    pub(crate) fn without_module(store: &str, record: String) -> Self {
        Self {
            store: store.to_owned(),
            module: store.to_owned(),
            record,
            kind: ParentKind::Contract,
        }
    }

    /// The module API name (`Leads`), or `contracts`.
    pub fn module(&self) -> &str {
        &self.module
    }

    /// The record ID, or the contract's API name.
    pub fn record(&self) -> &str {
        &self.record
    }
}

/// What an attachment is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Kind {
    File {
        name: String,
        content_type: String,
        size: u64,
    },
    Link {
        url: String,
        title: Option<String>,
    },
}

/// Everything about a stored attachment but its bytes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Meta {
    /// Allocation order; every ID is derived from it.
    pub(crate) seq: u64,
    /// CRM/Bigin: the attachment ID. Contracts: `contractAttachmentId`.
    pub(crate) id: String,
    /// CRM/Bigin: `$file_id`. Contracts: `attachmentId`.
    pub(crate) file_id: String,
    pub(crate) parent: Parent,
    /// Unix seconds.
    pub(crate) created: i64,
    /// Contracts' `sequenceNumber` when the request gave one.
    pub(crate) sequence_number: Option<i64>,
    pub(crate) kind: Kind,
}

impl Meta {
    pub(crate) fn answers_to(&self, id: &str) -> bool {
        self.id == id || self.file_id == id
    }
}

/// Where content lives.
#[derive(Clone, Debug)]
pub(crate) enum Data {
    Memory(Bytes),
    Disk(PathBuf),
}

impl Data {
    pub(crate) async fn read(&self) -> io::Result<Bytes> {
        match self {
            Data::Memory(bytes) => Ok(bytes.clone()),
            Data::Disk(path) => tokio::fs::read(path).await.map(Bytes::from),
        }
    }
}

#[derive(Debug)]
struct Entry {
    meta: Meta,
    data: Option<Data>,
}

/// A record photo.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PhotoMeta {
    pub(crate) parent: Parent,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
}

/// A file uploaded to Contracts and not yet added to the contract.
#[derive(Clone, Debug)]
pub(crate) struct Staged {
    pub(crate) contract: String,
    pub(crate) path: String,
    pub(crate) uploads: String,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) bytes: Bytes,
}

/// Holds the next sequence number of a directory store.
const NEXT_SEQ_FILE: &str = "next_seq";

#[derive(Debug, Default)]
pub(crate) struct Store {
    records: BTreeMap<Parent, Vec<Entry>>,
    photos: HashMap<Parent, (PhotoMeta, Data)>,
    staged: Vec<Staged>,
    next_seq: u64,
    dir: Option<PathBuf>,
}

impl Store {
    pub(crate) fn in_memory() -> Self {
        Self::default()
    }

    /// Opens (creating if needed) a directory store, loading what an earlier run left.
    pub(crate) fn open(dir: &Path) -> io::Result<Self> {
        let mut store = Self {
            dir: Some(dir.to_owned()),
            ..Self::default()
        };
        fs::create_dir_all(dir.join("attachments"))?;
        fs::create_dir_all(dir.join("photos"))?;
        let mut metas = Vec::new();
        for path in json_files(&dir.join("attachments"))? {
            let meta: Meta = serde_json::from_slice(&fs::read(&path)?).map_err(invalid)?;
            metas.push(meta);
        }
        metas.sort_by_key(|meta| meta.seq);
        // Deleted attachments' IDs are never handed out again.
        if let Ok(text) = fs::read_to_string(dir.join(NEXT_SEQ_FILE)) {
            store.next_seq = text.trim().parse().unwrap_or(0);
        }
        for meta in metas {
            store.next_seq = store.next_seq.max(meta.seq + 1);
            let data = matches!(meta.kind, Kind::File { .. })
                .then(|| Data::Disk(store.blob_path("attachments", &meta.seq.to_string())));
            store
                .records
                .entry(meta.parent.clone())
                .or_default()
                .push(Entry { meta, data });
        }
        for path in json_files(&dir.join("photos"))? {
            let meta: PhotoMeta = serde_json::from_slice(&fs::read(&path)?).map_err(invalid)?;
            let key = photo_key(&meta.parent);
            let data = Data::Disk(store.blob_path("photos", &key));
            store.photos.insert(meta.parent.clone(), (meta, data));
        }
        Ok(store)
    }

    /// The next sequence number, for IDs.
    pub(crate) fn allocate(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    pub(crate) fn insert(&mut self, meta: Meta, content: Option<Bytes>) -> io::Result<()> {
        let data = match (&self.dir, content) {
            (_, None) => None,
            (None, Some(bytes)) => Some(Data::Memory(bytes)),
            (Some(_), Some(bytes)) => {
                let path = self.blob_path("attachments", &meta.seq.to_string());
                fs::write(&path, &bytes)?;
                Some(Data::Disk(path))
            }
        };
        if let Some(dir) = &self.dir {
            fs::write(dir.join(NEXT_SEQ_FILE), self.next_seq.to_string())?;
            let path = self.blob_path("attachments", &format!("{}.json", meta.seq));
            fs::write(path, serde_json::to_vec_pretty(&meta)?)?;
        }
        self.records
            .entry(meta.parent.clone())
            .or_default()
            .push(Entry { meta, data });
        Ok(())
    }

    /// The attachments of `parent`, oldest first.
    pub(crate) fn list(&self, parent: &Parent) -> Vec<Meta> {
        self.records
            .get(parent)
            .map(|entries| entries.iter().map(|entry| entry.meta.clone()).collect())
            .unwrap_or_default()
    }

    /// How many attachments `parent` has.
    pub(crate) fn count(&self, parent: &Parent) -> usize {
        self.records.get(parent).map_or(0, Vec::len)
    }

    /// The attachment of `parent` whose ID (either ID, for Contracts) is `id`.
    pub(crate) fn find(&self, parent: &Parent, id: &str) -> Option<(Meta, Option<Data>)> {
        self.records
            .get(parent)?
            .iter()
            .find(|entry| entry.meta.answers_to(id))
            .map(|entry| (entry.meta.clone(), entry.data.clone()))
    }

    pub(crate) fn remove(&mut self, parent: &Parent, id: &str) -> io::Result<Option<Meta>> {
        let Some(entries) = self.records.get_mut(parent) else {
            return Ok(None);
        };
        let Some(at) = entries.iter().position(|entry| entry.meta.answers_to(id)) else {
            return Ok(None);
        };
        let entry = entries.remove(at);
        if entries.is_empty() {
            self.records.remove(parent);
        }
        if self.dir.is_some() {
            let stem = entry.meta.seq.to_string();
            remove_if_present(&self.blob_path("attachments", &format!("{stem}.json")))?;
            remove_if_present(&self.blob_path("attachments", &stem))?;
        }
        Ok(Some(entry.meta))
    }

    pub(crate) fn set_photo(&mut self, meta: PhotoMeta, bytes: Bytes) -> io::Result<()> {
        let data = match &self.dir {
            None => Data::Memory(bytes),
            Some(_) => {
                let key = photo_key(&meta.parent);
                let path = self.blob_path("photos", &key);
                fs::write(&path, &bytes)?;
                fs::write(
                    self.blob_path("photos", &format!("{key}.json")),
                    serde_json::to_vec_pretty(&meta)?,
                )?;
                Data::Disk(path)
            }
        };
        self.photos.insert(meta.parent.clone(), (meta, data));
        Ok(())
    }

    pub(crate) fn photo(&self, parent: &Parent) -> Option<(PhotoMeta, Data)> {
        self.photos.get(parent).cloned()
    }

    /// Removes the photo; whether there was one.
    pub(crate) fn remove_photo(&mut self, parent: &Parent) -> io::Result<bool> {
        let removed = self.photos.remove(parent).is_some();
        if removed && self.dir.is_some() {
            let key = photo_key(parent);
            remove_if_present(&self.blob_path("photos", &key))?;
            remove_if_present(&self.blob_path("photos", &format!("{key}.json")))?;
        }
        Ok(removed)
    }

    pub(crate) fn stage(&mut self, staged: Staged) {
        self.staged.push(staged);
    }

    /// Whether `contract` has a staged upload with this `path` or `uploads` reference.
    pub(crate) fn is_staged(&self, contract: &str, reference: &str) -> bool {
        self.staged_position(contract, reference).is_some()
    }

    pub(crate) fn take_staged(&mut self, contract: &str, reference: &str) -> Option<Staged> {
        let at = self.staged_position(contract, reference)?;
        Some(self.staged.remove(at))
    }

    fn staged_position(&self, contract: &str, reference: &str) -> Option<usize> {
        self.staged.iter().position(|staged| {
            staged.contract == contract && (staged.path == reference || staged.uploads == reference)
        })
    }

    fn blob_path(&self, folder: &str, name: &str) -> PathBuf {
        self.dir
            .as_deref()
            .unwrap_or(Path::new("."))
            .join(folder)
            .join(name)
    }
}

fn json_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    Ok(files)
}

/// A file-name-safe key for a record: the hex of its three parts.
fn photo_key(parent: &Parent) -> String {
    let joined = format!("{}\n{}\n{}", parent.store, parent.module, parent.record);
    joined.bytes().map(|byte| format!("{byte:02x}")).collect()
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

fn invalid(err: serde_json::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_meta(store: &mut Store, parent: &Parent, name: &str) -> Meta {
        let seq = store.allocate();
        Meta {
            seq,
            id: format!("id{seq}"),
            file_id: format!("file{seq}"),
            parent: parent.clone(),
            created: 0,
            sequence_number: None,
            kind: Kind::File {
                name: name.to_owned(),
                content_type: "text/plain".to_owned(),
                size: 5,
            },
        }
    }

    #[test]
    fn modules_are_matched_ignoring_case() {
        assert_eq!(Parent::crm("leads", "1"), Parent::crm("Leads", "1"));
        assert_eq!(Parent::crm("price_books", "1").module(), "Price_Books");
        assert_ne!(Parent::crm("Leads", "1"), Parent::bigin("Leads", "1"));
    }

    #[test]
    fn a_directory_store_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let parent = Parent::crm("Leads", "1");
        let kept_id;
        {
            let mut store = Store::open(dir.path()).unwrap();
            let kept = file_meta(&mut store, &parent, "kept.txt");
            kept_id = kept.id.clone();
            store
                .insert(kept, Some(Bytes::from_static(b"hello")))
                .unwrap();
            let gone = file_meta(&mut store, &parent, "gone.txt");
            let gone_id = gone.id.clone();
            store
                .insert(gone, Some(Bytes::from_static(b"bye")))
                .unwrap();
            assert!(store.remove(&parent, &gone_id).unwrap().is_some());
            store
                .set_photo(
                    PhotoMeta {
                        parent: parent.clone(),
                        file_name: "p.png".into(),
                        content_type: "image/png".into(),
                    },
                    Bytes::from_static(b"png"),
                )
                .unwrap();
        }
        let mut store = Store::open(dir.path()).unwrap();
        let listed = store.list(&parent);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, kept_id);
        let (_, data) = store.find(&parent, &kept_id).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(data.unwrap().read()).unwrap(), "hello");
        assert!(store.photo(&parent).is_some());
        // New IDs continue after every ID handed out, deleted ones included.
        assert_eq!(store.allocate(), 2);
    }
}
