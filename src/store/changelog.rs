//! The change log: an append-only, checksummed, fsynced copy of every
//! acknowledged change, beside sled and independent of it. sled 0.34 is no
//! longer maintained and has open reports of corruption after unclean stops;
//! when its files do not open or lack changes, the store rebuilds itself from
//! this file (and says so).
//!
//! One file, `changes.log`, for the whole store: a write that touches several
//! documents (an import, an assignment and its coverage) is one record, so it
//! is replayed all or nothing, like sled's batch. After an 8-byte header,
//! records are `[len u32 LE][crc32 u32 LE][payload]`; a payload is a list of
//! entries: a document's incremental piece (with its sled sequence number), a
//! document's compacted base (which supersedes what came before it for that
//! document), a change signature, or a metadata value (the home federation).
//! A record is appended and fdatasynced before the write is acknowledged. A
//! torn tail (a crash mid-append) fails its length or checksum and is cut
//! off at open. The file is rewritten (to a temporary file, fsynced, renamed)
//! when superseded bytes outweigh live ones.

use super::persist::StoredDoc;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub(crate) const FILE: &str = "changes.log";
const MAGIC: &[u8; 8] = b"HSLOG1\n\0";
/// Rewrite once superseded bytes pass this and half the file: a rewrite
/// reads every live value from sled, so not after every compaction.
const REWRITE_AFTER_DEAD: u64 = 256 << 10;

/// One entry of a record.
pub(crate) enum Entry<'a> {
    Piece {
        doc: &'a str,
        seq: u64,
        bytes: &'a [u8],
    },
    Base {
        doc: &'a str,
        bytes: &'a [u8],
    },
    Sig {
        hash: [u8; 32],
        record: &'a [u8],
    },
    Meta {
        key: &'a str,
        value: &'a [u8],
    },
    /// The document was dropped (`doc repair`): forget what came before.
    Drop {
        doc: &'a str,
    },
}

/// What the log holds, replayed.
#[derive(Default)]
pub(crate) struct Replayed {
    pub docs: BTreeMap<String, StoredDoc>,
    pub sigs: BTreeMap<[u8; 32], Vec<u8>>,
    pub meta: BTreeMap<String, Vec<u8>>,
    /// Why replay stopped before the end of the file (torn or damaged record).
    pub damage: Option<String>,
    /// The damage is a torn last record (a crash mid-append): nothing
    /// follows it, so it is cut off. Damage followed by more records is
    /// left for the store to rewrite the whole log.
    pub torn: bool,
    /// Bytes of whole, checked records (with the header).
    pub valid_len: u64,
    /// Bytes per document since its last base, to know what is superseded.
    doc_bytes: HashMap<String, u64>,
}

pub(crate) struct ChangeLog {
    path: PathBuf,
    /// None only after a failed rewrite could not open the log again
    /// (Windows closes it for the rename); the next use opens it.
    file: Option<File>,
    len: u64,
    doc_bytes: HashMap<String, u64>,
    dead: u64,
    /// A full disk on demand (fault.rs; off unless asked for).
    full: super::fault::DiskFull,
}

fn io_err(path: &Path, what: &str, e: std::io::Error) -> super::StoreError {
    super::StoreError::Io { what: format!("{what} {}", path.display()), detail: super::describe_io(&e) }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u16).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
}

/// The framed record of these entries, and each entry's share of it (its
/// own bytes; the 8-byte frame goes to the first), for the bookkeeping of
/// what a later base supersedes.
fn encode(entries: &[Entry]) -> (Vec<u8>, Vec<u64>) {
    let mut payload = Vec::new();
    let mut sizes = Vec::with_capacity(entries.len());
    for e in entries {
        let start = payload.len();
        match e {
            Entry::Piece { doc, seq, bytes } => {
                payload.push(b'P');
                put_str(&mut payload, doc);
                payload.extend_from_slice(&seq.to_le_bytes());
                put_bytes(&mut payload, bytes);
            }
            Entry::Base { doc, bytes } => {
                payload.push(b'B');
                put_str(&mut payload, doc);
                put_bytes(&mut payload, bytes);
            }
            Entry::Sig { hash, record } => {
                payload.push(b'S');
                payload.extend_from_slice(hash);
                put_bytes(&mut payload, record);
            }
            Entry::Meta { key, value } => {
                payload.push(b'M');
                put_str(&mut payload, key);
                put_bytes(&mut payload, value);
            }
            Entry::Drop { doc } => {
                payload.push(b'D');
                put_str(&mut payload, doc);
            }
        }
        sizes.push((payload.len() - start) as u64);
    }
    if let Some(first) = sizes.first_mut() {
        *first += 8;
    }
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    (out, sizes)
}

/// A cursor over a payload; None when it runs short (never past the end).
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u16(&mut self) -> Option<usize> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?) as usize)
    }
    fn u32(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }
    fn str(&mut self) -> Option<String> {
        let n = self.u16()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()?;
        self.take(n)
    }
}

impl Replayed {
    /// Applies one checked payload; None if it does not parse (then nothing
    /// of it is applied).
    fn apply(&mut self, payload: &[u8], framed: u64) -> Option<()> {
        enum Op {
            Piece(String, u64, Vec<u8>),
            Base(String, Vec<u8>),
            Sig([u8; 32], Vec<u8>),
            Meta(String, Vec<u8>),
            Drop(String),
        }
        let mut ops = Vec::new();
        let mut c = Cursor(payload);
        let mut sizes = Vec::new();
        while let Some(tag) = c.take(1) {
            let left = c.0.len() + 1;
            ops.push(match tag[0] {
                b'P' => {
                    let doc = c.str()?;
                    let seq = u64::from_le_bytes(c.take(8)?.try_into().ok()?);
                    Op::Piece(doc, seq, c.bytes()?.to_vec())
                }
                b'B' => Op::Base(c.str()?, c.bytes()?.to_vec()),
                b'S' => Op::Sig(c.take(32)?.try_into().ok()?, c.bytes()?.to_vec()),
                b'M' => Op::Meta(c.str()?, c.bytes()?.to_vec()),
                b'D' => Op::Drop(c.str()?),
                _ => return None,
            });
            sizes.push((left - c.0.len()) as u64);
        }
        if let Some(first) = sizes.first_mut() {
            *first += framed - payload.len() as u64;
        }
        for (op, share) in ops.into_iter().zip(sizes) {
            match op {
                Op::Piece(doc, seq, bytes) => {
                    *self.doc_bytes.entry(doc.clone()).or_default() += share;
                    let entry = self.docs.entry(doc).or_default();
                    entry.pieces.retain(|(s, _)| *s != seq);
                    entry.pieces.push((seq, bytes));
                }
                Op::Base(doc, bytes) => {
                    self.doc_bytes.insert(doc.clone(), share);
                    self.docs.insert(doc, StoredDoc { base: Some(bytes), pieces: Vec::new() });
                }
                Op::Sig(hash, record) => {
                    self.sigs.insert(hash, record);
                }
                Op::Meta(key, value) => {
                    self.meta.insert(key, value);
                }
                Op::Drop(doc) => {
                    self.doc_bytes.remove(&doc);
                    self.docs.remove(&doc);
                }
            }
        }
        Some(())
    }
}

/// Reads a log: every whole record up to the first torn or damaged one.
pub(crate) fn replay(path: &Path) -> Result<Replayed, super::StoreError> {
    let mut out = Replayed::default();
    let mut data = Vec::new();
    match File::open(path) {
        Ok(mut f) => {
            f.read_to_end(&mut data).map_err(|e| io_err(path, "read", e))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io_err(path, "open", e)),
    }
    if data.len() < MAGIC.len() || &data[..MAGIC.len()] != MAGIC {
        if !data.is_empty() {
            out.damage = Some("文件头无效 (bad header)".into());
        }
        return Ok(out);
    }
    let mut at = MAGIC.len();
    out.valid_len = at as u64;
    while at < data.len() {
        let rest = &data[at..];
        let whole = rest.len() >= 8 && {
            let len = u32::from_le_bytes(rest[..4].try_into().unwrap_or_default()) as usize;
            rest.len() - 8 >= len
        };
        if !whole {
            out.damage = Some(format!("偏移 {at} 处的记录不完整 (torn record at offset {at})"));
            out.torn = true;
            break;
        }
        let len = u32::from_le_bytes(rest[..4].try_into().unwrap_or_default()) as usize;
        let crc = u32::from_le_bytes(rest[4..8].try_into().unwrap_or_default());
        let payload = &rest[8..8 + len];
        if crc32fast::hash(payload) != crc || out.apply(payload, 8 + len as u64).is_none() {
            out.damage = Some(format!("偏移 {at} 处的记录校验失败 (record at offset {at} fails its checksum)"));
            out.torn = at + 8 + len == data.len();
            break;
        }
        at += 8 + len;
        out.valid_len = at as u64;
    }
    for stored in out.docs.values_mut() {
        stored.pieces.sort_by_key(|(s, _)| *s);
    }
    Ok(out)
}

impl ChangeLog {
    /// Opens the log for appending after `replayed` (what `replay` read of
    /// it): a torn or damaged tail is cut off here.
    pub fn open(dir: &Path, replayed: &Replayed) -> Result<ChangeLog, super::StoreError> {
        let path = dir.join(FILE);
        let mut file = crate::private_fs::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io_err(&path, "open", e))?;
        let mut len = replayed.valid_len;
        if len < MAGIC.len() as u64 {
            file.set_len(0).map_err(|e| io_err(&path, "truncate", e))?;
            file.write_all(MAGIC).map_err(|e| io_err(&path, "write", e))?;
            len = MAGIC.len() as u64;
        } else if replayed.damage.is_none() || replayed.torn {
            file.set_len(len).map_err(|e| io_err(&path, "truncate", e))?;
        }
        file.sync_all().map_err(|e| io_err(&path, "fsync", e))?;
        sync_dir(dir);
        let live: u64 = replayed.doc_bytes.values().sum();
        let dead = len.saturating_sub(live + MAGIC.len() as u64);
        let full = super::fault::DiskFull::from_env();
        let mut log = ChangeLog { path, file: Some(file), len, doc_bytes: replayed.doc_bytes.clone(), dead, full };
        log.seek_end()?;
        Ok(log)
    }

    fn seek_end(&mut self) -> Result<(), super::StoreError> {
        use std::io::Seek;
        let len = self.len;
        self.file()?.seek(std::io::SeekFrom::Start(len)).map_err(|e| io_err(&self.path, "seek", e))?;
        Ok(())
    }

    /// The open log, opened again (at its end) if a failed rewrite lost it.
    fn file(&mut self) -> Result<&mut File, super::StoreError> {
        use std::io::Seek;
        if self.file.is_none() {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&self.path)
                .map_err(|e| io_err(&self.path, "open", e))?;
            file.seek(std::io::SeekFrom::Start(self.len)).map_err(|e| io_err(&self.path, "seek", e))?;
            self.file = Some(file);
        }
        Ok(self.file.as_mut().expect("opened above"))
    }

    /// Appends one record; with `durable`, fdatasynced before it returns.
    /// On failure (a full disk, an I/O error) the file is cut back to where
    /// it was, so a refused write leaves nothing behind.
    pub fn append(&mut self, entries: &[Entry], durable: bool) -> Result<(), super::StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let (record, sizes) = encode(entries);
        self.full.check(super::fault::At::Log).map_err(|e| io_err(&self.path, "append", e))?;
        let file = self.file()?;
        let written = file.write_all(&record).and_then(|_| if durable { file.sync_data() } else { Ok(()) });
        if let Err(e) = written {
            self.undo_to(self.len);
            return Err(io_err(&self.path, "append", e));
        }
        for (e, share) in entries.iter().zip(sizes) {
            match e {
                Entry::Piece { doc, .. } => *self.doc_bytes.entry(doc.to_string()).or_default() += share,
                Entry::Base { doc, .. } => {
                    self.dead += self.doc_bytes.insert(doc.to_string(), share).unwrap_or(0);
                }
                Entry::Drop { doc } => self.dead += self.doc_bytes.remove(*doc).unwrap_or(0),
                Entry::Sig { .. } | Entry::Meta { .. } => {}
            }
        }
        self.len += record.len() as u64;
        Ok(())
    }

    /// Cuts the file back to `len` (a record appended for a write that then
    /// failed in sled): best effort, the next open cuts a torn tail anyway.
    pub fn undo_to(&mut self, len: u64) {
        if let Ok(file) = self.file() {
            if file.set_len(len).is_ok() {
                let _ = file.sync_data();
            }
        }
        self.len = len;
        let _ = self.seek_end();
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn sync(&self) -> Result<(), super::StoreError> {
        match &self.file {
            Some(file) => file.sync_data().map_err(|e| io_err(&self.path, "fsync", e)),
            // Lost by a failed rewrite: nothing was written since it was last synced.
            None => Ok(()),
        }
    }

    /// Whether superseded records outweigh live ones enough to rewrite.
    pub fn wants_rewrite(&self) -> bool {
        self.dead > REWRITE_AFTER_DEAD && self.dead * 2 > self.len
    }

    /// Replaces the whole log by these entries (the store's current state),
    /// crash-safely: a temporary file, fsynced, renamed over the log.
    pub fn rewrite(&mut self, entries: &[Entry]) -> Result<(), super::StoreError> {
        let mut bytes = MAGIC.to_vec();
        let mut doc_bytes = HashMap::new();
        // One record per document, so no record grows past what u32 frames.
        let mut sigs_and_meta = Vec::new();
        for e in entries {
            match e {
                Entry::Piece { doc, .. } | Entry::Base { doc, .. } => {
                    let (record, _) = encode(std::slice::from_ref(e));
                    *doc_bytes.entry(doc.to_string()).or_insert(0) += record.len() as u64;
                    bytes.extend_from_slice(&record);
                }
                Entry::Sig { hash, record } => sigs_and_meta.push(Entry::Sig { hash: *hash, record }),
                Entry::Meta { key, value } => sigs_and_meta.push(Entry::Meta { key, value }),
                Entry::Drop { .. } => {}
            }
        }
        for chunk in sigs_and_meta.chunks(4096) {
            bytes.extend_from_slice(&encode(chunk).0);
        }
        self.full.check(super::fault::At::Log).map_err(|e| io_err(&self.path, "rewrite", e))?;
        self.file()?;
        let open = self.file.take().expect("opened above");
        use crate::private_fs::Replaced;
        let failed = match crate::private_fs::replace_open_file(&self.path, &bytes, open) {
            Replaced::Done(new) => {
                self.file = Some(new);
                None
            }
            // The new content is in place: what follows is written to it.
            Replaced::NotDurable(new, e) => {
                self.file = Some(new);
                Some(e)
            }
            // The old log, as it was: appends go on after its end.
            Replaced::Failed(old, e) => {
                self.file = old;
                self.seek_end()?;
                return Err(io_err(&self.path, "rewrite", e));
            }
        };
        self.len = bytes.len() as u64;
        self.doc_bytes = doc_bytes;
        self.dead = 0;
        self.seek_end()?;
        match failed {
            Some(e) => Err(io_err(&self.path, "rewrite (directory sync)", e)),
            None => Ok(()),
        }
    }
}

/// Makes a rename or a new file in `dir` durable (best effort: the data
/// itself is already synced).
pub(crate) fn sync_dir(dir: &Path) {
    let _ = crate::private_fs::sync_dir(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece<'a>(doc: &'a str, seq: u64, bytes: &'a [u8]) -> Entry<'a> {
        Entry::Piece { doc, seq, bytes }
    }

    fn pieces_of(dir: &Path, doc: &str) -> Vec<(u64, Vec<u8>)> {
        let r = replay(&dir.join(FILE)).unwrap();
        assert!(r.damage.is_none(), "{:?}", r.damage);
        r.docs.get(doc).map(|d| d.pieces.clone()).unwrap_or_default()
    }

    /// A rewrite whose rename fails (Windows: another program holds the log
    /// open without delete sharing) leaves the log as it was, and the next
    /// append goes on after it, on every platform's path of the failure.
    #[test]
    fn a_failed_rewrite_leaves_the_log_appendable_where_it_was() {
        use crate::private_fs::fail::{self, Step};
        for step in [Step::Rename, Step::RenameAndReopen, Step::SyncDir] {
            let dir = tempfile::TempDir::new().unwrap();
            let mut log = ChangeLog::open(dir.path(), &Replayed::default()).unwrap();
            log.append(&[piece("a", 0, b"one")], true).unwrap();
            log.append(&[piece("a", 1, b"two")], true).unwrap();
            let replaced = fail::during(step, || log.rewrite(&[piece("a", 0, b"one"), piece("a", 1, b"two")]));
            assert!(replaced.is_err(), "{step:?}");
            log.append(&[piece("a", 2, b"three")], true).unwrap();
            assert_eq!(
                pieces_of(dir.path(), "a"),
                vec![(0, b"one".to_vec()), (1, b"two".to_vec()), (2, b"three".to_vec())],
                "{step:?}"
            );
            assert_eq!(log.len(), std::fs::metadata(dir.path().join(FILE)).unwrap().len(), "{step:?}");
            // A write sled then refuses is cut back to where the log really ends.
            let before = log.len();
            log.append(&[piece("a", 3, b"refused by sled")], true).unwrap();
            log.undo_to(before);
            log.append(&[piece("a", 3, b"four")], true).unwrap();
            assert_eq!(pieces_of(dir.path(), "a").last(), Some(&(3, b"four".to_vec())), "{step:?}");
            let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            assert_eq!(names.len(), 1, "{step:?}: no temporary file left: {names:?}");
        }
    }

    #[test]
    fn records_replay_and_a_torn_tail_is_cut_off() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut log = ChangeLog::open(dir.path(), &Replayed::default()).unwrap();
        log.append(&[piece("a", 0, b"one"), piece("b", 0, b"uno")], true).unwrap();
        log.append(&[piece("a", 1, b"two"), Entry::Meta { key: "home", value: b"fed1" }], true).unwrap();
        let whole = log.len();
        log.append(&[piece("a", 2, b"three")], true).unwrap();
        drop(log);
        // A crash mid-append: the last record loses its final bytes.
        let path = dir.path().join(FILE);
        let full = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(full - 2).unwrap();
        let r = replay(&path).unwrap();
        assert!(r.damage.as_deref().unwrap().contains("torn"), "{:?}", r.damage);
        assert_eq!(r.valid_len, whole);
        let a = &r.docs["a"];
        assert_eq!(a.pieces, vec![(0, b"one".to_vec()), (1, b"two".to_vec())]);
        assert_eq!(r.docs["b"].pieces.len(), 1);
        assert_eq!(r.meta["home"], b"fed1");
        // Opening cuts the torn tail, and appends go on after it.
        let mut log = ChangeLog::open(dir.path(), &r).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), whole);
        log.append(&[piece("a", 2, b"three")], true).unwrap();
        let r = replay(&path).unwrap();
        assert!(r.damage.is_none());
        assert_eq!(r.docs["a"].pieces.len(), 3);
    }

    #[test]
    fn a_flipped_byte_stops_replay_at_that_record_and_a_base_supersedes() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut log = ChangeLog::open(dir.path(), &Replayed::default()).unwrap();
        log.append(&[piece("a", 0, b"one")], true).unwrap();
        log.append(&[piece("a", 1, b"two")], true).unwrap();
        log.append(&[Entry::Base { doc: "a", bytes: b"both" }], true).unwrap();
        let good = log.len();
        log.append(&[piece("a", 0, b"three")], true).unwrap();
        drop(log);
        let path = dir.path().join(FILE);
        let r = replay(&path).unwrap();
        assert_eq!(r.docs["a"].base.as_deref(), Some(&b"both"[..]));
        assert_eq!(r.docs["a"].pieces, vec![(0, b"three".to_vec())]);
        let mut bytes = std::fs::read(&path).unwrap();
        let at = good as usize + 10;
        bytes[at] ^= 0x40;
        std::fs::write(&path, &bytes).unwrap();
        let r = replay(&path).unwrap();
        assert!(r.damage.as_deref().unwrap().contains("checksum"), "{:?}", r.damage);
        assert_eq!(r.docs["a"].pieces, Vec::<(u64, Vec<u8>)>::new());
    }

    #[test]
    fn a_rewrite_keeps_the_current_state_only() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut log = ChangeLog::open(dir.path(), &Replayed::default()).unwrap();
        let big = vec![7u8; 1 << 18];
        for seq in 0..6 {
            log.append(&[piece("a", seq, &big)], false).unwrap();
        }
        log.append(&[Entry::Base { doc: "a", bytes: b"small" }], true).unwrap();
        assert!(log.wants_rewrite());
        log.rewrite(&[Entry::Base { doc: "a", bytes: b"small" }, Entry::Sig { hash: [1; 32], record: b"sig" }])
            .unwrap();
        assert!(!log.wants_rewrite());
        assert!(log.len() < 100);
        log.append(&[piece("a", 0, b"next")], true).unwrap();
        let r = replay(&dir.path().join(FILE)).unwrap();
        assert!(r.damage.is_none());
        assert_eq!(r.docs["a"].base.as_deref(), Some(&b"small"[..]));
        assert_eq!(r.docs["a"].pieces.len(), 1);
        assert_eq!(r.sigs[&[1; 32]], b"sig");
    }
}
