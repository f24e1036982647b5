//! What the store does after a job panicked part-way (a bug in Automerge met
//! by a peer's bytes, or ours): memory may hold a half-made change that was
//! never persisted. The documents it may have touched are put back as they
//! are on disk, so the store thread can go on serving everyone else.

use super::{DocId, Result, Store};

impl Store {
    /// Reloads from disk what the panicked job may have left half-changed:
    /// the document a peer's message was being applied to (and that peer's
    /// sync state for it is forgotten), or, when the job was something else,
    /// every document.
    pub(crate) fn recover_after_panic(&mut self) -> Result<Vec<DocId>> {
        self.changed.clear();
        // A panic inside `atomically` leaves its writes unpersisted: they are reloaded away below.
        self.deferred = None;
        // The name index reads the documents reloaded below again (their
        // versions move on); the others' names stand.
        self.row_cache = Default::default();
        self.report_memo = Default::default();
        let docs = match self.applying.take() {
            Some((peer, doc)) => {
                self.reset_sync_state(&peer, &doc);
                vec![doc]
            }
            None => {
                self.sync_states.clear();
                self.last_withheld.clear();
                let mut all: Vec<DocId> = self.docs.keys().cloned().collect();
                all.extend(self.damaged.keys().cloned());
                all
            }
        };
        for doc in &docs {
            self.reload_doc(doc)?;
        }
        Ok(docs)
    }

    /// Replaces a document in memory by what is stored of it. Its version
    /// moves on (never back), so no cache keyed by version outlives it.
    pub(crate) fn reload_doc(&mut self, doc: &DocId) -> Result<()> {
        self.docs.remove(doc);
        let version = self.next_version();
        self.damaged.remove(doc);
        self.digests.remove(doc);
        let stored = self.disk.read_one(doc)?;
        if stored.base.is_none() && stored.pieces.is_empty() {
            // Never persisted: it existed only in memory.
            return Ok(());
        }
        self.load_stored(doc.clone(), stored, version)
    }
}
