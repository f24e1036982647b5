//! The store as a backup holds it (ops::backup): every document, every
//! change signature, and the metadata that reading and verifying them
//! needs. Taken in one call on the store thread, so it is one consistent
//! moment: no write runs between two documents, and every signature of a
//! change in a document is there.

use super::{DocId, DocState, Result, Store, StoreError};
use crate::domain::RecordId;
use automerge::{AutoCommit, ChangeHash};

/// Meta keys a backup leaves out: per-peer memories of the last exchange
/// (sync::offers). After a restore the first session with each peer is a
/// full one, which costs a little time and can never skip a document.
const SESSION_MEMORY: &[&str] = &["x:offers:"];

/// Everything of the store a backup holds.
pub struct StoreSnapshot {
    pub home: Option<RecordId>,
    /// Each document's whole history (`AutoCommit::save`) and its heads.
    pub docs: Vec<(DocId, Vec<u8>, Vec<ChangeHash>)>,
    /// Documents that could not be read at open, left out (with why).
    pub damaged: Vec<(DocId, String)>,
    /// Change hash -> signature record (sync::authorship).
    pub sigs: Vec<([u8; 32], Vec<u8>)>,
    /// Other metadata: authors lists, certificates of authors, arrivals
    /// (where each federation's documents came from).
    pub meta: Vec<(String, Vec<u8>)>,
}

/// A document read back from a backup, checked, ready to install.
pub struct RestoredDoc {
    pub id: DocId,
    pub doc: AutoCommit,
}

impl Store {
    /// Everything a backup holds, as it stands now.
    pub fn snapshot(&mut self) -> Result<StoreSnapshot> {
        // Opened in part, it holds only what one command read.
        self.refuse_if_partial("snapshot")?;
        let mut docs = Vec::with_capacity(self.docs.len());
        for (id, state) in self.docs.iter_mut() {
            // Jobs end with their changes committed; save() would commit
            // anything pending, so nothing unsaved can hide in a backup.
            let bytes = state.doc.save();
            docs.push((id.clone(), bytes, state.doc.get_heads()));
        }
        let mut sigs = Vec::new();
        for item in self.disk.sigs.iter() {
            let (k, v) = item?;
            if let Ok(hash) = <[u8; 32]>::try_from(k.as_ref()) {
                sigs.push((hash, v.to_vec()));
            }
        }
        let mut meta = Vec::new();
        for item in self.disk.meta.iter() {
            let (k, v) = item?;
            let key = String::from_utf8_lossy(&k).to_string();
            if key == "home" || SESSION_MEMORY.iter().any(|p| key.starts_with(p)) {
                continue;
            }
            meta.push((key, v.to_vec()));
        }
        Ok(StoreSnapshot {
            home: self.home.clone(),
            docs,
            damaged: self.damaged.iter().map(|(d, why)| (d.clone(), why.clone())).collect(),
            sigs,
            meta,
        })
    }

    /// Fills a store that holds nothing yet with a backup's content: each
    /// document as one compacted base written by this store's (fresh)
    /// actor, the signatures, the metadata and the home federation; then
    /// the change log is rewritten from it and everything is fsynced.
    pub fn install_snapshot(
        &mut self,
        home: Option<&RecordId>,
        docs: Vec<RestoredDoc>,
        sigs: &[([u8; 32], Vec<u8>)],
        meta: &[(String, Vec<u8>)],
    ) -> Result<()> {
        // Opened in part, `docs` is empty whatever the directory holds.
        self.refuse_if_partial("install_snapshot")?;
        if !self.docs.is_empty() || self.home.is_some() {
            return Err(StoreError::Open {
                dir: self.dir.clone(),
                detail: "目标数据目录已有数据 (the target store is not empty)".into(),
            });
        }
        for RestoredDoc { id, doc } in docs {
            let version = self.next_version();
            let mut doc = doc.with_actor(self.actor.clone());
            let heads = doc.get_heads();
            let base = doc.save();
            self.disk.compact(&id, &base)?;
            let state = DocState {
                doc,
                next_seq: 0,
                pieces: 0,
                version,
                signed_heads: heads.clone(),
                saved_heads: heads,
                disk_clean: false,
            };
            self.docs.insert(id, state);
        }
        for (hash, record) in sigs {
            self.disk.sigs.insert(hash, record.as_slice())?;
        }
        for (key, value) in meta {
            self.disk.meta.insert(key.as_bytes(), value.as_slice())?;
        }
        self.meta_version += 1;
        if let Some(home) = home {
            self.disk.meta.insert("home", home.as_str().as_bytes())?;
            self.home = Some(home.clone());
        }
        self.rewrite_log()?;
        self.disk.flush_durably()?;
        Ok(())
    }
}
