//! Opening a store from two copies: sled (fast, indexed) and the change log
//! (changelog.rs: append-only, checksummed, fsynced first). Normally they
//! hold the same bytes for every document and the store loads sled's. When
//! sled does not open, its directory is moved aside and the store is rebuilt
//! from the log; when a document's copies differ (sled lost or damaged
//! pieces, the log lost a torn tail, a crash between the two writes), both
//! are loaded and merged, so nothing either copy holds is lost, and the
//! document is written again as one base to both. Every such repair is
//! named in the store's warnings.

use super::changelog::{self, Entry, Replayed};
use super::persist::{Disk, StoredDoc};
use super::{DocId, DocState, Result, Store, StoreError};
use automerge::AutoCommit;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Opens sled; when it does not open (or panics opening), moves sled's
/// directory aside (kept, never deleted) and opens a fresh one, rebuilt
/// from the log. Returns the warning that says so. Also when the log holds
/// nothing: every acknowledged write is in the log before it is
/// acknowledged, so an empty log means none ever was, as after a first
/// start killed while sled made its files (found by tests/crash.rs), which
/// otherwise left a directory that never opened again.
pub(crate) fn open_disk(dir: &Path) -> Result<(Disk, Option<String>)> {
    let detail = match catch_unwind(AssertUnwindSafe(|| Disk::open(dir))) {
        Ok(Ok(disk)) => return Ok((disk, None)),
        Ok(Err(e @ StoreError::InUse(_))) => return Err(e),
        Ok(Err(e)) => e.to_string(),
        Err(panic) => super::service::panic_text(panic.as_ref()),
    };
    let mut n = 1;
    while dir.join(format!("db.damaged.{n}")).exists() {
        n += 1;
    }
    let aside = dir.join(format!("db.damaged.{n}"));
    std::fs::rename(dir.join("db"), &aside)
        .map_err(|e| StoreError::Open { dir: dir.to_path_buf(), detail: format!("{detail}; move aside: {e}") })?;
    changelog::sync_dir(dir);
    let disk = Disk::open(dir)?;
    Ok((
        disk,
        Some(format!(
            "sled 数据库无法打开 ({detail}),已移至 {},并从修改日志 {} 重建 (the sled database did not open; it was moved aside and the store rebuilt from the change log)",
            aside.display(),
            changelog::FILE
        )),
    ))
}

impl Store {
    /// Loads every document from sled and the log (see the module comment),
    /// restores signatures and the home federation the log holds and sled
    /// lacks, and rewrites the log when it differs from sled.
    pub(crate) fn load_all(&mut self, replayed: Replayed) -> Result<()> {
        let mut rewrite = replayed.damage.is_some();
        if let Some(d) = &replayed.damage {
            self.warnings.push(format!(
                "修改日志 {} 有损坏: {d};已按现有数据重写 (change log damaged; rewritten from the store)",
                changelog::FILE
            ));
        }
        let mut restored_sigs = 0;
        for (hash, record) in &replayed.sigs {
            if !self.disk.sigs.contains_key(hash)? {
                self.disk.sigs.insert(hash, record.as_slice())?;
                restored_sigs += 1;
            }
        }
        if restored_sigs > 0 {
            rewrite = true;
        }
        match (self.disk.meta.get("home")?, replayed.meta.get("home")) {
            (None, Some(home)) => {
                self.disk.meta.insert("home", home.as_slice())?;
                self.home = Some(crate::domain::RecordId(String::from_utf8_lossy(home).to_string()));
                rewrite = true;
            }
            (Some(s), Some(l)) if s.as_ref() == l.as_slice() => {}
            (Some(_), _) => rewrite = true,
            (None, None) => {}
        }
        let mut sled_docs = self.disk.read_all()?;
        let mut log_docs = replayed.docs;
        if self.partial.is_some() {
            // Opened in part only when there is nothing to recover: the
            // repairs below need every document, and rewrite the log from them.
            if !rewrite && sled_docs == log_docs {
                return self.defer_loading(sled_docs);
            }
            self.partial = None;
        }
        let names: BTreeSet<String> = sled_docs.keys().chain(log_docs.keys()).cloned().collect();
        for name in names {
            let sled = sled_docs.remove(&name);
            let logged = log_docs.remove(&name);
            let Ok(doc_id) = DocId::parse(&name) else {
                self.warnings.push(format!("忽略无法识别的存储键 '{name}' (unrecognized key ignored)"));
                continue;
            };
            match (sled, logged) {
                (Some(s), Some(l)) if s == l => self.load_stored(doc_id, s, 0)?,
                (Some(s), None) => {
                    // A store from before the log, or a document the log
                    // lost with a damaged record: the log gets it back.
                    rewrite = true;
                    self.load_stored(doc_id, s, 0)?;
                }
                (s, Some(l)) => {
                    rewrite = true;
                    self.load_from_both(doc_id, s.unwrap_or_default(), l)?;
                }
                (None, None) => {}
            }
        }
        if rewrite {
            self.rewrite_log()?;
            self.disk.flush_durably()?;
        }
        Ok(())
    }

    /// Loads sled's copy of a document, merges the log's copy into it, and
    /// writes the result as one base (the log gets it in the rewrite).
    fn load_from_both(&mut self, doc_id: DocId, sled: StoredDoc, logged: StoredDoc) -> Result<()> {
        let from_log = load_strict(&logged);
        let sled_empty = sled.base.is_none() && sled.pieces.is_empty();
        if !sled_empty {
            self.load_stored(doc_id.clone(), sled, 0)?;
        }
        let mut from_log = match from_log {
            Ok(doc) => doc,
            Err(e) => {
                self.warnings
                    .push(format!("修改日志中的文档 {doc_id} 无法读取: {e} (the change log's copy is unreadable)"));
                return Ok(());
            }
        };
        let restored = match self.docs.get_mut(&doc_id) {
            Some(state) => {
                let before = state.doc.get_heads();
                state
                    .doc
                    .merge(&mut from_log)
                    .map_err(|e| StoreError::Automerge { doc: doc_id.to_string(), detail: e.to_string() })?;
                state.doc.get_changes(&before).len()
            }
            None => {
                // Missing from sled, or its sled copy is damaged beyond loading.
                let n = from_log.get_changes(&[]).len();
                self.damaged.remove(&doc_id);
                let mut doc = from_log.with_actor(self.actor.clone());
                let signed_heads = doc.get_heads();
                let saved_heads = signed_heads.clone();
                self.docs.insert(
                    doc_id.clone(),
                    DocState { doc, next_seq: 0, pieces: 0, version: 0, signed_heads, saved_heads, disk_clean: false },
                );
                n
            }
        };
        if restored > 0 {
            self.warnings.push(format!(
                "文档 {doc_id}: sled 中缺少 {restored} 个修改,已从修改日志恢复 (restored {restored} changes sled lacked from the change log)"
            ));
        }
        let state = self.docs.get_mut(&doc_id).expect("loaded above");
        // Merged in memory: not what sled held when it was loaded.
        state.disk_clean = false;
        state.signed_heads = state.doc.get_heads();
        state.saved_heads = state.signed_heads.clone();
        let base = state.doc.save();
        state.pieces = 0;
        self.disk.compact(&doc_id, &base)?;
        Ok(())
    }

    /// Replaces the log by what sled holds now: every document's base and
    /// pieces as stored, every signature, the home federation.
    pub(crate) fn rewrite_log(&mut self) -> Result<()> {
        let stored = self.disk.read_all()?;
        let mut sigs = Vec::new();
        for item in self.disk.sigs.iter() {
            let (k, v) = item?;
            if let Ok(hash) = <[u8; 32]>::try_from(k.as_ref()) {
                sigs.push((hash, v.to_vec()));
            }
        }
        let home = self.disk.meta.get("home")?.map(|v| v.to_vec());
        let mut entries = Vec::new();
        for (name, s) in &stored {
            if let Some(b) = &s.base {
                entries.push(Entry::Base { doc: name, bytes: b });
            }
            for (seq, p) in &s.pieces {
                entries.push(Entry::Piece { doc: name, seq: *seq, bytes: p });
            }
        }
        for (hash, record) in &sigs {
            entries.push(Entry::Sig { hash: *hash, record });
        }
        if let Some(h) = &home {
            entries.push(Entry::Meta { key: "home", value: h });
        }
        self.log.rewrite(&entries)
    }

    /// Rewrites the log when superseded records outweigh live ones (after
    /// compactions appended new bases).
    pub(crate) fn maybe_rewrite_log(&mut self) -> Result<()> {
        if self.log.wants_rewrite() {
            self.rewrite_log()?;
        }
        Ok(())
    }
}

/// A document from its stored bytes, every piece or nothing.
fn load_strict(stored: &StoredDoc) -> std::result::Result<AutoCommit, automerge::AutomergeError> {
    let mut all = stored.base.clone().unwrap_or_default();
    for (_, p) in &stored.pieces {
        all.extend_from_slice(p);
    }
    AutoCommit::load(&all)
}
