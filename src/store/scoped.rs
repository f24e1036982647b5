//! A store opened for one read command, loading only the documents it reads.
//!
//! `Store::open` loads every document (191 at 31,000 organizations), which is
//! most of what a command costs when no node runs. `open_partial` does the
//! same checks (the lock, the change log against sled) but loads nothing;
//! the operation then asks for what it reads (`need_docs`,
//! `need_collections`; decided in src/ops), and `org_rows` serves the rows
//! of unloaded organization documents from disk while their stamp is valid
//! (store::rows). A store opened in part refuses every write and every
//! change a peer sends: rules such as name uniqueness need every document.

use super::persist::StoredDoc;
use super::{DocId, Result, Store, StoreError};
use crate::domain::Collection;
use std::collections::BTreeMap;
use std::path::Path;

/// The documents on disk not yet loaded, with their stored bytes (read once
/// at open, where they were checked against the change log).
#[derive(Default)]
pub(crate) struct Partial {
    pub unloaded: BTreeMap<DocId, StoredDoc>,
}

impl Store {
    /// Opens the data directory without loading any document. When the
    /// store needs recovering (sled and the change log differ, the log is
    /// damaged) it is opened in full instead, as `open` would.
    pub fn open_partial(dir: &Path) -> Result<Store> {
        Store::open_with(dir, true)
    }

    /// Whether documents were left unloaded at open (writes are refused).
    pub fn is_partial(&self) -> bool {
        self.partial.is_some()
    }

    /// The typed refusal of a write in a store opened in part.
    pub(crate) fn refuse_if_partial(&self, what: &str) -> Result<()> {
        match self.partial {
            Some(_) => Err(StoreError::Partial(what.to_string())),
            None => Ok(()),
        }
    }

    /// load_all's end for a partial open: every document stays on disk.
    pub(crate) fn defer_loading(&mut self, stored: BTreeMap<String, StoredDoc>) -> Result<()> {
        let mut unloaded = BTreeMap::new();
        for (name, doc) in stored {
            match DocId::parse(&name) {
                Ok(id) => {
                    unloaded.insert(id, doc);
                }
                Err(_) => self.warnings.push(format!("忽略无法识别的存储键 '{name}' (unrecognized key ignored)")),
            }
        }
        if let Some(p) = &mut self.partial {
            p.unloaded = unloaded;
        }
        Ok(())
    }

    /// Loads these documents if they are on disk and not loaded yet.
    pub fn need_docs<'a>(&mut self, docs: impl IntoIterator<Item = &'a DocId>) -> Result<()> {
        for doc in docs {
            self.load_unloaded(doc)?;
        }
        Ok(())
    }

    /// Loads every document of these collections.
    pub fn need_collections(&mut self, collections: &[Collection]) -> Result<()> {
        let wanted: Vec<DocId> = match &self.partial {
            Some(p) => p.unloaded.keys().filter(|d| collections.contains(&d.collection())).cloned().collect(),
            None => return Ok(()),
        };
        self.need_docs(&wanted)
    }

    /// Every document held, loaded or not, optionally of one collection.
    pub fn stored_doc_ids(&self, collection: Option<Collection>) -> Vec<DocId> {
        let mut ids = self.doc_ids(collection);
        if let Some(p) = &self.partial {
            ids.extend(p.unloaded.keys().filter(|d| collection.is_none_or(|c| d.collection() == c)).cloned());
            ids.sort();
        }
        ids
    }

    /// An unloaded document's stored bytes.
    pub(crate) fn unloaded(&self, doc: &DocId) -> Option<&StoredDoc> {
        self.partial.as_ref().and_then(|p| p.unloaded.get(doc))
    }

    /// The unloaded documents of a collection.
    pub(crate) fn unloaded_ids(&self, collection: Collection) -> Vec<DocId> {
        self.partial
            .as_ref()
            .map(|p| p.unloaded.keys().filter(|d| d.collection() == collection).cloned().collect())
            .unwrap_or_default()
    }

    fn load_unloaded(&mut self, doc: &DocId) -> Result<()> {
        let Some(stored) = self.partial.as_mut().and_then(|p| p.unloaded.remove(doc)) else {
            return Ok(());
        };
        // Version 0, as `open` loads it: rows served from disk for it at
        // version 0 are its rows.
        self.load_stored(doc.clone(), stored, 0)
    }
}
