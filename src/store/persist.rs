//! The sled layout. Tree `docs` holds, per document, a compacted base
//! (`<doc>\0b`) and one key per incremental save (`<doc>\0c<seq u64 BE>`), so a
//! change costs one small write and a crash loses at most the change being
//! written. A document loads with a single `AutoCommit::load(base ++ pieces)`.

use super::docid::DocId;
use super::StoreError;
use automerge::AutoCommit;
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) struct Disk {
    pub db: sled::Db,
    pub docs: sled::Tree,
    pub meta: sled::Tree,
    pub sync: sled::Tree,
    /// Pieces that failed to load, kept for inspection instead of deleted.
    pub quarantine: sled::Tree,
    /// Change hash -> signer node id ++ signature (sync::authorship).
    pub sigs: sled::Tree,
    /// Org document id -> its list rows with the digest of the stored
    /// bytes they were read from (store::rows): a cache, never a source.
    pub rows: sled::Tree,
    /// sled's data file, to fsync: sled's own flush ends in
    /// `sync_file_range` on Linux, which neither flushes the drive's cache
    /// nor the file's growing size, so it does not survive power loss.
    file: Option<std::fs::File>,
}

/// A document as read from disk, before it is loaded.
#[derive(Default, Clone, PartialEq, Eq, Debug)]
pub(crate) struct StoredDoc {
    pub base: Option<Vec<u8>>,
    pub pieces: Vec<(u64, Vec<u8>)>,
}

/// What loading one stored document produced.
pub(crate) enum Loaded {
    /// `exhausted`: the last piece's sequence number cannot count on (only a
    /// damaged key gets there); compact before writing, or the next piece
    /// would wrap around and overwrite piece 0.
    Ok {
        doc: Box<AutoCommit>,
        next_seq: u64,
        pieces: u64,
        quarantined: Vec<String>,
        exhausted: bool,
    },
    Damaged(String),
}

fn base_key(doc: &DocId) -> Vec<u8> {
    let mut k = doc.as_str().as_bytes().to_vec();
    k.extend_from_slice(b"\0b");
    k
}

fn piece_key(doc: &DocId, seq: u64) -> Vec<u8> {
    let mut k = doc.as_str().as_bytes().to_vec();
    k.extend_from_slice(b"\0c");
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

fn doc_prefix(doc: &DocId) -> Vec<u8> {
    let mut k = doc.as_str().as_bytes().to_vec();
    k.push(0);
    k
}

impl Disk {
    /// Opens the database. sled's flusher thread can hold the lock for a
    /// moment after the last handle of a closing store is dropped, so a
    /// lock error is retried for up to a second before it is reported.
    pub fn open(dir: &Path) -> Result<Disk, StoreError> {
        let mut tries = 0;
        loop {
            match Disk::open_once(dir) {
                Err(StoreError::InUse(_)) if tries < 50 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    /// A database in memory that is dropped with it: what a store holds for
    /// the moment its own database is closed to be vacuumed.
    pub fn temporary() -> Result<Disk, StoreError> {
        let db = sled::Config::new().temporary(true).open()?;
        Ok(Disk {
            docs: db.open_tree("docs")?,
            meta: db.open_tree("meta")?,
            sync: db.open_tree("sync")?,
            quarantine: db.open_tree("quarantine")?,
            sigs: db.open_tree("sigs")?,
            rows: db.open_tree("rows")?,
            db,
            file: None,
        })
    }

    fn open_once(dir: &Path) -> Result<Disk, StoreError> {
        let db = sled::Config::new().path(dir.join("db")).flush_every_ms(Some(500)).open().map_err(|e| {
            let text = e.to_string();
            if text.contains("lock") || text.contains("WouldBlock") || text.contains("Resource temporarily unavailable")
            {
                StoreError::InUse(dir.to_path_buf())
            } else {
                StoreError::Open { dir: dir.to_path_buf(), detail: text }
            }
        })?;
        Ok(Disk {
            docs: db.open_tree("docs")?,
            meta: db.open_tree("meta")?,
            sync: db.open_tree("sync")?,
            quarantine: db.open_tree("quarantine")?,
            sigs: db.open_tree("sigs")?,
            rows: db.open_tree("rows")?,
            db,
            file: Some(
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(dir.join("db").join("db"))
                    .map_err(|e| StoreError::Open { dir: dir.to_path_buf(), detail: e.to_string() })?,
            ),
        })
    }

    /// Writes sled's buffers to its file and fsyncs it: after this returns
    /// the data survives a crash of the process and a loss of power.
    pub fn flush_durably(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        if let Some(f) = &self.file {
            f.sync_data().map_err(|e| StoreError::Io { what: "fsync db".into(), detail: e.to_string() })?;
        }
        Ok(())
    }

    /// Every stored document, grouped from one ordered scan.
    pub fn read_all(&self) -> Result<BTreeMap<String, StoredDoc>, StoreError> {
        let mut out: BTreeMap<String, StoredDoc> = BTreeMap::new();
        for item in self.docs.iter() {
            let (key, value) = item?;
            let Some(split) = key.iter().position(|b| *b == 0) else {
                continue;
            };
            let name = String::from_utf8_lossy(&key[..split]).to_string();
            let entry = out.entry(name).or_default();
            match key.get(split + 1) {
                Some(b'b') => entry.base = Some(value.to_vec()),
                Some(b'c') if key.len() == split + 10 => {
                    let seq = u64::from_be_bytes(key[split + 2..].try_into().unwrap_or([0; 8]));
                    entry.pieces.push((seq, value.to_vec()));
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// One stored document (`read_all` for a single one).
    pub fn read_one(&self, doc: &DocId) -> Result<StoredDoc, StoreError> {
        let mut out = StoredDoc::default();
        for item in self.docs.scan_prefix(doc_prefix(doc)) {
            let (key, value) = item?;
            let split = doc.as_str().len();
            match key.get(split + 1) {
                Some(b'b') => out.base = Some(value.to_vec()),
                Some(b'c') if key.len() == split + 10 => {
                    let seq = u64::from_be_bytes(key[split + 2..].try_into().unwrap_or([0; 8]));
                    out.pieces.push((seq, value.to_vec()));
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Loads a document: the fast single load, else piece by piece, moving
    /// unreadable pieces to quarantine so the rest of the history survives.
    pub fn load(&self, doc_id: &DocId, stored: StoredDoc) -> Result<Loaded, StoreError> {
        let (next_seq, exhausted) = match stored.pieces.last().map(|(s, _)| s.checked_add(1)) {
            None => (0, false),
            Some(Some(next)) => (next, false),
            Some(None) => (0, true),
        };
        let pieces = stored.pieces.len() as u64;
        let total: usize =
            stored.base.as_ref().map_or(0, Vec::len) + stored.pieces.iter().map(|(_, p)| p.len()).sum::<usize>();
        let mut all = Vec::with_capacity(total);
        if let Some(b) = &stored.base {
            all.extend_from_slice(b);
        }
        for (_, p) in &stored.pieces {
            all.extend_from_slice(p);
        }
        if let Ok(doc) = AutoCommit::load(&all) {
            return Ok(Loaded::Ok { doc: Box::new(doc), next_seq, pieces, quarantined: Vec::new(), exhausted });
        }
        // Slow path, rare: rebuild from the base, keeping each piece only if
        // the strict load accepts it (`load_incremental` would silently skip a
        // truncated piece, and we want to name it).
        let mut good: Vec<u8> = Vec::new();
        if let Some(base) = &stored.base {
            if let Err(e) = AutoCommit::load(base) {
                return Ok(Loaded::Damaged(format!("compacted state unreadable: {e}")));
            }
            good.extend_from_slice(base);
        }
        let mut quarantined = Vec::new();
        for (seq, piece) in &stored.pieces {
            let mut candidate = good.clone();
            candidate.extend_from_slice(piece);
            match AutoCommit::load(&candidate) {
                Ok(_) => good = candidate,
                Err(e) => {
                    let key = piece_key(doc_id, *seq);
                    self.quarantine.insert(&key, piece.as_slice())?;
                    self.docs.remove(&key)?;
                    quarantined.push(format!("change #{seq} ({} bytes): {e}", piece.len()));
                }
            }
        }
        let doc = if good.is_empty() {
            AutoCommit::new()
        } else {
            AutoCommit::load(&good)
                .map_err(|e| StoreError::Automerge { doc: doc_id.to_string(), detail: e.to_string() })?
        };
        Ok(Loaded::Ok { doc: Box::new(doc), next_seq, pieces, quarantined, exhausted })
    }

    /// Adds one incremental save to a batch.
    pub fn stage_piece(batch: &mut sled::Batch, doc: &DocId, seq: u64, bytes: &[u8]) {
        batch.insert(piece_key(doc, seq), bytes);
    }

    /// Replaces a document's pieces with one compacted base, atomically.
    pub fn compact(&self, doc: &DocId, base: &[u8]) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for key in self.docs.scan_prefix(doc_prefix(doc)).keys() {
            batch.remove(key?);
        }
        batch.insert(base_key(doc), base);
        self.docs.apply_batch(batch)?;
        Ok(())
    }

    /// Moves all of a document's keys to quarantine (repair: it will be
    /// received again from a peer).
    pub fn quarantine_doc(&self, doc: &DocId) -> Result<usize, StoreError> {
        let mut n = 0;
        for item in self.docs.scan_prefix(doc_prefix(doc)) {
            let (k, v) = item?;
            self.quarantine.insert(&k, v)?;
            self.docs.remove(&k)?;
            n += 1;
        }
        Ok(n)
    }

    /// SHA-256 over a stored document's bytes as `load` concatenates them
    /// (base ++ pieces in order): the same digest means `load` gives the
    /// same document, so what was read from it may be served again.
    pub fn digest(stored: &StoredDoc) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        if let Some(b) = &stored.base {
            h.update(b);
        }
        for (_, p) in &stored.pieces {
            h.update(p);
        }
        h.finalize().into()
    }

    pub fn stored_size(&self, doc: &DocId) -> u64 {
        self.docs.scan_prefix(doc_prefix(doc)).values().filter_map(Result::ok).map(|v| v.len() as u64).sum()
    }
}
