//! The write path: pending operations committed and persisted (the change
//! log, then sled), a group of writes made all or nothing, and compaction.

use super::*;

impl Store {
    /// Commits pending operations of these documents and writes each one's
    /// incremental save: first as one record of the change log (fdatasynced),
    /// then under its own key in one atomic sled batch. A write that fails
    /// (a full disk, an I/O error) is refused whole: the log is cut back, the
    /// documents are reloaded from disk without it, and the error says so.
    pub(crate) fn persist(&mut self, docs: &[DocId]) -> Result<()> {
        // Every write and every change a peer sends ends here. Refused, its
        // operations are rolled back: reads must not show what was not saved.
        if let Err(e) = self.refuse_if_partial("persist") {
            for id in docs {
                if let Some(state) = self.docs.get_mut(id) {
                    state.doc.rollback();
                }
            }
            return Err(e);
        }
        if let Some(pending) = &mut self.deferred {
            pending.extend(docs.iter().cloned());
            // Not saved yet, but reads inside the block must see it.
            for id in docs {
                self.moved_on(id);
            }
            return Ok(());
        }
        let mut staged: Vec<(DocId, u64, Vec<u8>)> = Vec::new();
        let time = self.commit_time();
        for id in docs {
            let Some(state) = self.docs.get_mut(id) else {
                continue;
            };
            state.doc.commit_with(automerge::transaction::CommitOptions::default().with_time(time));
            let bytes = sync_hooks::save_since(&mut state.doc, &state.saved_heads, &self.received);
            if bytes.is_empty() {
                continue;
            }
            if let Some(signer) = &self.signer {
                let heads = state.doc.get_heads();
                // Hashes and actors only, from the change graph: the changes
                // themselves would be rebuilt from the ops (a whole-document walk).
                let ours: Vec<ChangeHash> = state
                    .doc
                    .get_changes_meta(&state.signed_heads)
                    .into_iter()
                    .filter(|c| *c.actor == self.actor)
                    .map(|c| c.hash)
                    .collect();
                for hash in ours {
                    let record = signer.sign_change(&hash.0);
                    self.disk.sigs.insert(hash.0, record.as_slice())?;
                    self.unlogged_sigs.push((hash.0, record));
                }
                state.signed_heads = heads;
            }
            staged.push((id.clone(), state.next_seq, bytes));
        }
        if staged.is_empty() {
            return Ok(());
        }
        if let Err(e) = self.write_staged(&staged) {
            for (id, _, _) in &staged {
                if let Err(reload) = self.reload_doc(id) {
                    tracing::error!("reloading {id} after a refused write: {reload}");
                }
            }
            return Err(StoreError::WriteRefused(e.to_string()));
        }
        self.unlogged_sigs.clear();
        let mut to_compact = Vec::new();
        for (id, _, _) in &staged {
            let version = self.next_version();
            let state = self.docs.get_mut(id).expect("staged above");
            state.saved_heads = state.doc.get_heads();
            state.next_seq += 1;
            state.pieces += 1;
            state.version = version;
            self.changed.insert(id.clone());
            if state.pieces >= COMPACT_AFTER_PIECES {
                to_compact.push(id.clone());
            }
        }
        // The write is durable: a compaction that fails now only waits for the next one.
        for id in to_compact {
            if let Err(e) = self.compact(&id) {
                tracing::warn!("compacting {id}: {e}");
            }
        }
        Ok(())
    }

    /// The log record, then the sled batch; on a sled failure the log is
    /// cut back, so neither copy keeps a refused write.
    fn write_staged(&mut self, staged: &[(DocId, u64, Vec<u8>)]) -> Result<()> {
        if self.disk_failed {
            // sled fails every call after an I/O error until reopened.
            drop(std::mem::replace(&mut self.disk, Disk::temporary()?));
            self.disk = Disk::open(&self.dir)?;
            self.disk_failed = false;
        }
        let durable = self.durability == Durability::Flush;
        let mut entries: Vec<changelog::Entry> = staged
            .iter()
            .map(|(id, seq, bytes)| changelog::Entry::Piece { doc: id.as_str(), seq: *seq, bytes })
            .collect();
        entries.extend(self.unlogged_sigs.iter().map(|(hash, record)| changelog::Entry::Sig { hash: *hash, record }));
        let before = self.log.len();
        self.log.append(&entries, durable)?;
        let mut batch = sled::Batch::default();
        for (id, seq, bytes) in staged {
            Disk::stage_piece(&mut batch, id, *seq, bytes);
        }
        let written = (self.disk_full.check(fault::At::Sled).map_err(sled::Error::Io))
            .and_then(|_| self.disk.docs.apply_batch(batch))
            .and_then(|_| if durable { self.disk.db.flush().map(|_| ()) } else { Ok(()) });
        if let Err(e) = written {
            self.log.undo_to(before);
            self.disk_failed = true;
            // The reason in words (磁盘已满…), as the log's failure gives it.
            return Err(match e {
                sled::Error::Io(io) => StoreError::Io {
                    what: format!("write {}", self.dir.join("db").display()),
                    detail: describe_io(&io),
                },
                other => other.into(),
            });
        }
        Ok(())
    }

    /// Runs several writes as one: their changes are committed and saved in
    /// one atomic sled batch when `f` succeeds, and rolled back when it
    /// fails, so a rule that touches two records (an assignment and its
    /// organization's coverage) is never half done.
    pub fn atomically<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.deferred.is_some() {
            return f(self);
        }
        self.deferred = Some(BTreeSet::new());
        let result = f(self);
        let docs: Vec<DocId> = self.deferred.take().unwrap_or_default().into_iter().collect();
        match result {
            Ok(value) => {
                self.persist(&docs)?;
                Ok(value)
            }
            Err(e) => {
                // Every document, not only those persisted so far: the write
                // that failed may have left operations in another one.
                let mut undone: Vec<DocId> = docs.clone();
                for (id, state) in self.docs.iter_mut() {
                    if state.doc.rollback() > 0 {
                        undone.push(id.clone());
                    }
                }
                // What was read inside the block (rows, a report) is not kept.
                for id in &undone {
                    self.moved_on(id);
                }
                // The name index may hold a name whose write was rolled back.
                self.read_names_again(&docs);
                Err(e)
            }
        }
    }

    pub(super) fn next_version(&mut self) -> u64 {
        self.last_version += 1;
        self.last_version
    }

    /// A document's state in memory changed other than by `persist`.
    pub(super) fn moved_on(&mut self, doc: &DocId) {
        let version = self.next_version();
        if let Some(state) = self.docs.get_mut(doc) {
            state.version = version;
        }
    }

    /// Rewrites a document as one compacted base.
    pub fn compact(&mut self, doc: &DocId) -> Result<()> {
        self.refuse_if_partial("compact")?;
        let Some(state) = self.docs.get_mut(doc) else {
            return Ok(());
        };
        let base = state.doc.save();
        state.saved_heads = state.doc.get_heads();
        let durable = self.durability == Durability::Flush;
        self.log.append(&[changelog::Entry::Base { doc: doc.as_str(), bytes: &base }], durable)?;
        self.disk.compact(doc, &base)?;
        state.pieces = 0;
        state.disk_clean = true;
        if durable {
            self.disk.db.flush()?;
        }
        self.maybe_rewrite_log()
    }

    pub fn compact_all(&mut self) -> Result<()> {
        let ids: Vec<DocId> = self.docs.keys().cloned().collect();
        for id in ids {
            self.compact(&id)?;
        }
        // Every document has a new base: the log keeps only those.
        self.rewrite_log()?;
        self.disk.flush_durably()?;
        Ok(())
    }

    /// Compacts every document and rewrites the database with only its live
    /// keys, while the store stays open (the UI, a running node): its own
    /// database is closed for the copy and opened again. Returns (bytes
    /// before, bytes after).
    pub fn compact_and_vacuum(&mut self) -> Result<(u64, u64)> {
        self.compact_all()?;
        drop(std::mem::replace(&mut self.disk, Disk::temporary()?));
        // Under this store's own lock (taking it again would fail).
        let result = vacuum::vacuum_locked(&self.dir);
        // Opened again even when the copy failed: vacuum leaves the live database as it was.
        self.disk = Disk::open(&self.dir)?;
        // Reopening writes a snapshot with the process umask.
        crate::private_fs::restrict_tree(&self.dir)
            .map_err(|e| StoreError::Open { dir: self.dir.clone(), detail: e.to_string() })?;
        result
    }

    /// Flushes everything to disk (the end of a bulk job).
    pub fn flush(&self) -> Result<()> {
        self.log.sync()?;
        self.disk.flush_durably()?;
        Ok(())
    }
}
