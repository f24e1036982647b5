//! Automerge documents in sled: open, change, persist, compact.
//!
//! One document per collection per federation (organizations: one per
//! county). Records are maps at the document root keyed by record id; keys
//! starting with `_` hold document metadata (schema version, collection).
//! Every change is committed, saved incrementally, appended to the change
//! log (changelog.rs) and fdatasynced, then written under its own sled key,
//! before the call returns: an acknowledged write survives a crash, and the
//! store rebuilds itself from the log when sled's files are damaged.

mod activities;
mod changelog;
mod codec;
mod conflicts;
mod contain;
mod docid;
mod fault;
#[cfg(test)]
mod fixture;
mod forget;
mod hub;
mod ledger;
mod lock;
mod names;
mod persist;
mod provenance;
mod records;
mod recover;
mod report;
mod rows;
mod scoped;
pub mod service;
mod snapshot;
mod sync_hooks;
mod vacuum;
mod write;

pub use activities::partition_doc;
pub use conflicts::{Conflicted, FedName, ValueOrigin, Writer};
pub use docid::DocId;
pub use fault::SWITCH_VAR as DISK_FULL_SWITCH_VAR;
pub use forget::{ClearedRecord, ForgetPlan};
pub use provenance::Arrival;
pub use records::{FieldConflict, ScanRow};
pub use service::{Origin, StoreEvent, StoreHandle};
pub use snapshot::{RestoredDoc, StoreSnapshot};
pub use sync_hooks::SyncReceipt;
pub use vacuum::{dir_size, vacuum};

use crate::domain::{Collection, Problem, RecordId};
use automerge::{transaction::Transactable, ActorId, AutoCommit, ChangeHash, ReadDoc, ROOT};
use persist::{Disk, Loaded};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Version of the document layout, stored as `_schema` in every document.
pub const SCHEMA_VERSION: i64 = 1;

/// Compact a document once this many incremental pieces have piled up.
const COMPACT_AFTER_PIECES: u64 = 256;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("无法打开数据目录 {dir}: {detail} (cannot open data directory)")]
    Open { dir: PathBuf, detail: String },
    #[error("数据目录 {0} 正被另一个 hubsync 进程使用 (data directory is in use by another hubsync process)")]
    InUse(PathBuf),
    #[error("尚未创建联合会,请先运行 hubsync init 或 hubsync demo (no federation yet: run `hubsync init` or `hubsync demo`)")]
    NoFederation,
    #[error("此数据目录已有联合会「{0}」 (a federation already exists here)")]
    AlreadyInitialized(String),
    #[error(
        "文档 {doc} 已损坏: {detail} (document damaged; run `hubsync doc repair {doc}` and sync it again from a peer)"
    )]
    Damaged { doc: DocId, detail: String },
    #[error("{}", format_problems(.0))]
    Invalid(Vec<Problem>),
    #[error("组织名称「{name}」已存在 (编号 {existing}) (an organization with this name exists)")]
    DuplicateName { name: String, existing: RecordId },
    #[error("找不到{kind} {id} (no such record)")]
    NotFound { kind: &'static str, id: String },
    #[error("{kind} {id} 已存在 (record exists)")]
    AlreadyExists { kind: &'static str, id: RecordId },
    #[error("文档 {doc} 中的记录 {id} 无法读取: {detail} (record unreadable)")]
    Decode { doc: DocId, id: String, detail: String },
    #[error("存储错误: {0} (storage error)")]
    Disk(#[from] sled::Error),
    #[error("文档 {doc} 出错: {detail} (automerge error)")]
    Automerge { doc: String, detail: String },
    #[error("对等方 {peer} 对文档 {doc} 只有读权限,已拒绝其修改 (read-only peer sent changes; refused)")]
    ReadOnlyPeer { peer: String, doc: DocId },
    #[error("经 {peer} 传来的文档 {doc} 的修改 {change} 被拒绝: {reason} (change refused: not by an author the federation admits, or altered)")]
    Unauthorized { peer: String, doc: DocId, change: String, reason: String },
    #[error("经 {peer} 传来的文档 {doc} 未被接收: {reason} (document refused)")]
    NotAdmitted { peer: String, doc: DocId, reason: String },
    #[error("来自 {peer} 的文档 {doc} 同步消息无效: {detail} (malformed sync message)")]
    BadSyncMessage { peer: String, doc: DocId, detail: String },
    #[error("不是有效的 hubsync Automerge 文档: {0} (not a hubsync document)")]
    BadDocument(String),
    #[error("找不到文档 {0} (no such document)")]
    NoSuchDoc(String),
    #[error("对等方 {peer} 发来以本节点身份 (actor) 写的修改,已拒绝 (a peer sent changes under our own actor id; refused): {doc}")]
    ForgedActor { peer: String, doc: DocId },
    #[error("对等方 {peer} 发来的文档 {doc} 由更新版本的 hubsync 写入 (格式 {version} > {SCHEMA_VERSION}),已拒绝,未作任何修改;请升级 hubsync 后再同步 (document from a newer hubsync refused, nothing changed; upgrade to sync it)")]
    NewerSchema { peer: String, doc: DocId, version: i64 },
    #[error("读写数据文件失败 ({what}): {detail} (storage I/O error)")]
    Io { what: String, detail: String },
    #[error("写入失败,此次修改未保存,之前保存的数据不受影响: {0} (the write was refused and not saved; what was saved before is intact. Free disk space or fix the disk, then try again)")]
    WriteRefused(String),
    #[error("此命令只打开了部分文档,不能修改或同步 ({0}) (the store was opened in part for a read command: it cannot write or sync)")]
    Partial(String),
    #[error("存储操作中途失败,已从磁盘重新载入受影响的文档 (a store operation failed part-way; the documents it touched were reloaded from disk): {0}")]
    JobFailed(String),
}

/// An I/O error in words a secretary can act on, Chinese with English.
pub(crate) fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull => format!("磁盘已满 (disk full: {e})"),
        ErrorKind::FileTooLarge => format!("文件超过允许的大小 (file too large: {e})"),
        ErrorKind::QuotaExceeded => format!("超出磁盘配额 (disk quota exceeded: {e})"),
        ErrorKind::PermissionDenied => format!("没有写入权限 (permission denied: {e})"),
        ErrorKind::ReadOnlyFilesystem => format!("文件系统只读 (read-only file system: {e})"),
        _ => format!("读写错误 (I/O error: {e})"),
    }
}

fn format_problems(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    format!("记录无效 (invalid record): {}", lines.join("; "))
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The document's `_schema` when a later hubsync wrote it: its layout may
/// hold fields this version would misread or drop on edit.
fn newer_schema(doc: &AutoCommit) -> Option<i64> {
    match doc.get(ROOT, "_schema") {
        Ok(Some((automerge::Value::Scalar(s), _))) => match s.as_ref() {
            automerge::ScalarValue::Int(v) if *v > SCHEMA_VERSION => Some(*v),
            automerge::ScalarValue::Uint(v) if *v > SCHEMA_VERSION as u64 => Some(*v as i64),
            _ => None,
        },
        _ => None,
    }
}

/// One document in memory with its bookkeeping.
pub(crate) struct DocState {
    pub doc: AutoCommit,
    /// Sequence number of the next incremental piece on disk.
    pub next_seq: u64,
    /// Pieces on disk since the last compaction.
    pub pieces: u64,
    /// Moved on whenever what memory holds of the document changes (a
    /// write, a peer's change, a rollback, a reload), so caches know when to
    /// read it again; drawn from the store's one counter (`next_version`).
    pub version: u64,
    /// Heads when this node last signed its changes of the document: what
    /// came after is signed at the next persist.
    pub signed_heads: Vec<ChangeHash>,
    /// Heads of what is on disk: the next piece holds the changes after
    /// them. Kept here because Automerge's own cursor starts empty after
    /// `load`, which made the first piece of every process the whole history.
    pub saved_heads: Vec<ChangeHash>,
    /// Loading what sled holds of it gives exactly this document while its
    /// heads are `saved_heads` (false after a merge from the change log or a
    /// restore): only then may what is read from it be cached on disk
    /// under the digest of those bytes (store::rows).
    pub disk_clean: bool,
}

/// What `hubsync doc list` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocInfo {
    pub id: DocId,
    pub collection: &'static str,
    pub records: usize,
    pub bytes_on_disk: u64,
    pub pieces: u64,
    pub heads: Vec<String>,
}

/// Whether each change is fsynced before a call returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// fsync after every change: an acknowledged write survives power loss.
    Flush,
    /// Leave it to sled's background flush (bulk demo generation, benchmarks of the CRDT alone).
    Deferred,
}

pub struct Store {
    dir: PathBuf,
    disk: Disk,
    actor: ActorId,
    pub(crate) docs: BTreeMap<DocId, DocState>,
    home: Option<RecordId>,
    damaged: BTreeMap<DocId, String>,
    warnings: Vec<String>,
    sync_states: HashMap<(String, DocId), automerge::sync::State>,
    /// The last withheld message sent to a peer about a document in this
    /// session (sync_hooks: repeating it would tell the peer nothing new).
    last_withheld: HashMap<(String, DocId), Vec<u8>>,
    /// Exchanges opened and not (yet) known to have ended clean
    /// (sync_hooks `end_sync`): their states are not resumed, whatever the
    /// connection.
    sync_open: HashMap<(String, DocId), sync_hooks::Open>,
    changed: BTreeSet<DocId>,
    /// name_key -> organization, per document; built on first use (names.rs).
    name_index: Option<names::NameIndex>,
    durability: Durability,
    row_cache: rows::RowCache,
    /// The last whole report (store::report), valid while no document changed.
    report_memo: std::sync::Mutex<Option<report::ReportMemo>>,
    activity_rows: activities::ActivityRowCache,
    /// Each document's heads digest with the version it was computed at:
    /// every sync session offers all shared documents' digests.
    digests: HashMap<DocId, (u64, String)>,
    /// A fault to inject (tests of containment): panic once while applying
    /// a peer's message to this document, after it changed in memory.
    panic_on_receive: Option<DocId>,
    /// The peer and document a message is being applied to, while it is:
    /// what a panic part-way may have left half-changed.
    applying: Option<(String, DocId)>,
    /// Inside `atomically`: the documents written so far, persisted together at its end.
    deferred: Option<BTreeSet<DocId>>,
    /// The last version given to a document. One counter for all, so no
    /// state of a document ever meets a version an earlier state of it had
    /// (one made anew, after a rollback or a reload); 0 is "as opened".
    last_version: u64,
    /// Moves whenever the home or a value kept beside the documents
    /// (`put_meta`: authors lists, certificates) changes: with the documents'
    /// versions, what a cache of the sync layer's offers is checked against.
    meta_version: u64,
    /// Signs every change this node makes (sync::authorship); None only if
    /// the identity cannot be read, and then changes go unsigned.
    signer: Option<crate::sync::authorship::Signer>,
    /// Signature records received for changes not yet applied.
    pending_sigs: HashMap<ChangeHash, Vec<u8>>,
    /// The changes of the message being received, by hash, as the peer sent
    /// them: `persist` saves these bytes instead of rebuilding the changes
    /// from the ops (`save_after`, a walk of the whole document). Empty
    /// outside `sync_receive_admitted`.
    received: HashMap<ChangeHash, Vec<u8>>,
    /// Conflicted records per document, kept with the heads they were found at.
    conflict_cache: conflicts::ConflictCache,
    /// Stamps arrivals from peers (store::provenance) and the time each
    /// committed change carries (the conflict view's "when").
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    /// The independent copy of every change (changelog.rs).
    log: changelog::ChangeLog,
    /// Signatures stored in sled since the last write, to go into the log
    /// with the next record.
    unlogged_sigs: Vec<([u8; 32], Vec<u8>)>,
    /// A write failed in sled: its database is reopened before the next
    /// one (sled keeps failing after an I/O error until reopened).
    disk_failed: bool,
    /// A full disk on demand (fault.rs; off unless asked for).
    disk_full: fault::DiskFull,
    /// Opened for one read command: the documents not loaded (store::scoped).
    partial: Option<scoped::Partial>,
    /// The data directory's lock; declared last so it is released after
    /// the database is closed.
    _lock: lock::DirLock,
}

impl Store {
    /// Opens (creating if needed) the data directory and loads every document.
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, false)
    }

    /// `open`, or with `partial` loading no document until asked (store::scoped).
    fn open_with(dir: &Path, partial: bool) -> Result<Store> {
        let open_error = |e: std::io::Error| StoreError::Open { dir: dir.to_path_buf(), detail: e.to_string() };
        crate::private_fs::create_dir(dir).map_err(open_error)?;
        // Locked before anything in it is touched: recovering an interrupted
        // vacuum deletes directories a running vacuum is writing.
        let lock = lock::DirLock::take(dir)?;
        vacuum::recover(dir)?;
        let replayed = changelog::replay(&dir.join(changelog::FILE))?;
        let (disk, rebuilt) = recover::open_disk(dir)?;
        let log = changelog::ChangeLog::open(dir, &replayed)?;
        crate::private_fs::restrict_tree(dir).map_err(open_error)?;
        // A fresh actor for every open: a copied data directory or a
        // restored backup would otherwise write (actor, sequence) pairs the
        // original also writes, and the document would stop syncing
        // ("duplicate seq"). It also lets sync refuse any incoming change
        // under the current actor: only this process writes under it.
        // With an identity it starts with the node's prefix, so a signed
        // change's actor can be checked against its signer.
        let signer = match crate::sync::authorship::Signer::load(dir) {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!("changes will go unsigned: {e:#}");
                None
            }
        };
        let actor = match &signer {
            Some(s) => crate::sync::authorship::fresh_actor(&s.node),
            None => ActorId::random(),
        };
        let home = disk.meta.get("home")?.map(|b| RecordId(String::from_utf8_lossy(&b).to_string()));
        let mut store = Store {
            dir: dir.to_path_buf(),
            disk,
            actor,
            docs: BTreeMap::new(),
            home,
            damaged: BTreeMap::new(),
            warnings: Vec::new(),
            sync_states: HashMap::new(),
            last_withheld: HashMap::new(),
            sync_open: HashMap::new(),
            changed: BTreeSet::new(),
            name_index: None,
            durability: Durability::Flush,
            row_cache: rows::RowCache::default(),
            report_memo: Default::default(),
            activity_rows: activities::ActivityRowCache::default(),
            digests: HashMap::new(),
            panic_on_receive: None,
            applying: None,
            deferred: None,
            last_version: 0,
            meta_version: 0,
            signer,
            pending_sigs: HashMap::new(),
            received: HashMap::new(),
            conflict_cache: Default::default(),
            clock: crate::clock::machine(),
            log,
            unlogged_sigs: Vec::new(),
            disk_failed: false,
            disk_full: fault::DiskFull::from_env(),
            partial: partial.then(Default::default),
            _lock: lock,
        };
        store.warnings.extend(rebuilt);
        store.load_all(replayed)?;
        Ok(store)
    }

    /// Puts one stored document in memory at `version` (or marks it damaged).
    fn load_stored(&mut self, doc_id: DocId, stored: persist::StoredDoc, version: u64) -> Result<()> {
        match self.disk.load(&doc_id, stored)? {
            Loaded::Ok { doc, next_seq, pieces, quarantined, exhausted } => {
                for q in quarantined {
                    self.warnings
                        .push(format!("文档 {doc_id}: 已隔离无法读取的修改 {q} (unreadable change quarantined)"));
                }
                let doc = (*doc).with_actor(self.actor.clone());
                if let Some(v) = newer_schema(&doc) {
                    self.warnings.push(format!(
                        "文档 {doc_id} 由更新版本的 hubsync 写入 (格式 {v} > {SCHEMA_VERSION}),请先升级再修改 (written by a newer hubsync; upgrade before editing it)"
                    ));
                }
                let mut doc = doc;
                let signed_heads = doc.get_heads();
                let saved_heads = signed_heads.clone();
                let disk_clean = true;
                let state = DocState { doc, next_seq, pieces, version, signed_heads, saved_heads, disk_clean };
                self.docs.insert(doc_id.clone(), state);
                // A store opened in part writes nothing; it has no next piece to number.
                if exhausted && self.partial.is_none() {
                    self.compact(&doc_id)?;
                    self.warnings.push(format!(
                        "文档 {doc_id}: 修改序号已损坏,已压缩重写 (damaged change sequence key; document compacted)"
                    ));
                }
            }
            Loaded::Damaged(detail) => {
                self.warnings.push(format!("文档 {doc_id} 已损坏: {detail} (document damaged)"));
                self.damaged.insert(doc_id, detail);
            }
        }
        Ok(())
    }

    /// Each stored document's bytes (base ++ pieces) as `open` would load
    /// them; for benchmarks (the bare-load lower bound) and inspection.
    pub fn read_raw(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
        let disk = Disk::open(dir)?;
        Ok(disk
            .read_all()?
            .into_iter()
            .map(|(name, stored)| {
                let mut bytes = stored.base.unwrap_or_default();
                for (_, p) in stored.pieces {
                    bytes.extend_from_slice(&p);
                }
                (name, bytes)
            })
            .collect())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn actor_hex(&self) -> String {
        self.actor.to_hex_string()
    }

    pub fn set_durability(&mut self, durability: Durability) {
        self.durability = durability;
    }

    /// Problems found while opening (quarantined changes, damaged documents).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn damaged(&self) -> &BTreeMap<DocId, String> {
        &self.damaged
    }

    pub fn home_id(&self) -> Option<&RecordId> {
        self.home.as_ref()
    }

    /// Makes a federation this node's own (after `init`, or `join` on a
    /// field laptop that works on another federation's documents).
    pub fn set_home(&mut self, fed: &RecordId) -> Result<()> {
        self.refuse_if_partial("set_home")?;
        self.log.append(&[changelog::Entry::Meta { key: "home", value: fed.as_str().as_bytes() }], true)?;
        self.disk.meta.insert("home", fed.as_str().as_bytes())?;
        self.disk.flush_durably()?;
        self.home = Some(fed.clone());
        self.meta_version += 1;
        Ok(())
    }

    /// Document ids currently held, optionally of one collection.
    pub fn doc_ids(&self, collection: Option<Collection>) -> Vec<DocId> {
        self.docs.keys().filter(|d| collection.is_none_or(|c| d.collection() == c)).cloned().collect()
    }

    pub fn has_doc(&self, doc: &DocId) -> bool {
        self.docs.contains_key(doc)
    }

    /// Small values other layers keep beside the documents (authors lists,
    /// certificates); durable at the next flush. Moves `meta_version`.
    pub fn put_meta(&mut self, key: &str, value: &[u8]) -> Result<()> {
        self.meta_version += 1;
        self.disk.meta.insert(format!("x:{key}"), value)?;
        Ok(())
    }

    /// The same for a hint no cache is computed from (the sync layer's
    /// memory of each peer's offers): `meta_version` stays, so writing it
    /// after every session does not invalidate the offers cached.
    pub fn put_hint(&mut self, key: &str, value: &[u8]) -> Result<()> {
        self.disk.meta.insert(format!("x:{key}"), value)?;
        Ok(())
    }

    /// See the field: the home and the values of `put_meta`, as of now.
    pub fn meta_version(&self) -> u64 {
        self.meta_version
    }

    /// The last version given to any document: a document whose state
    /// changed after a call returned `g` has a version above `g` then.
    pub fn doc_generation(&self) -> u64 {
        self.last_version
    }

    /// The documents whose state changed (or that were made) since
    /// `doc_generation` returned `generation`. A document dropped since is
    /// not among them: compare `doc_count`.
    pub fn docs_moved_since(&self, generation: u64) -> Vec<DocId> {
        self.docs.iter().filter(|(_, d)| d.version > generation).map(|(id, _)| id.clone()).collect()
    }

    /// How many documents are held.
    pub fn doc_count(&self) -> usize {
        self.docs.len()
    }

    pub fn get_meta(&self, key: &str) -> Option<Vec<u8>> {
        self.disk.meta.get(format!("x:{key}")).ok().flatten().map(|v| v.to_vec())
    }

    /// Documents changed since the last call (for change notifications).
    pub fn take_changed(&mut self) -> BTreeSet<DocId> {
        std::mem::take(&mut self.changed)
    }

    /// A counter that moves whenever the document changes.
    pub fn doc_version(&self, doc: &DocId) -> Option<u64> {
        self.docs.get(doc).map(|d| d.version)
    }

    /// 64 bits of SHA-256 over the sorted heads, in hex: what a sync offer
    /// carries per document. Cached until the document changes.
    pub fn heads_digest(&mut self, doc: &DocId) -> Option<String> {
        let version = self.docs.get(doc)?.version;
        if let Some((v, digest)) = self.digests.get(doc) {
            if *v == version {
                return Some(digest.clone());
            }
        }
        use sha2::{Digest, Sha256};
        let mut heads = self.doc_heads(doc)?;
        heads.sort();
        let mut h = Sha256::new();
        for head in &heads {
            h.update(head.0);
        }
        let digest = hex::encode(&h.finalize()[..8]);
        self.digests.insert(doc.clone(), (version, digest.clone()));
        Some(digest)
    }

    pub fn doc_heads(&mut self, doc: &DocId) -> Option<Vec<ChangeHash>> {
        self.docs.get_mut(doc).map(|d| d.doc.get_heads())
    }

    pub fn documents(&mut self) -> Vec<DocInfo> {
        let ids: Vec<DocId> = self.docs.keys().cloned().collect();
        ids.into_iter()
            .map(|id| {
                let bytes_on_disk = self.disk.stored_size(&id);
                let state = self.docs.get_mut(&id).expect("listed above");
                let records = state.doc.keys(ROOT).filter(|k| !k.starts_with('_')).count();
                DocInfo {
                    collection: id.collection().code(),
                    records,
                    bytes_on_disk,
                    pieces: state.pieces,
                    heads: state.doc.get_heads().iter().map(|h| h.to_string()).collect(),
                    id,
                }
            })
            .collect()
    }

    /// The document's standard Automerge bytes, readable by any Automerge library.
    pub fn export_doc(&mut self, doc: &DocId) -> Result<Vec<u8>> {
        let state = self.docs.get_mut(doc).ok_or_else(|| StoreError::NoSuchDoc(doc.to_string()))?;
        Ok(state.doc.save())
    }

    /// Merges Automerge bytes into the document they name (`_doc` at the root).
    pub fn import_doc(&mut self, bytes: &[u8]) -> Result<DocId> {
        let mut incoming = AutoCommit::load(bytes).map_err(|e| StoreError::BadDocument(e.to_string()))?;
        let name = match incoming.get(ROOT, "_doc") {
            Ok(Some((automerge::Value::Scalar(s), _))) => s.as_str().map(str::to_string),
            _ => None,
        }
        .ok_or_else(|| StoreError::BadDocument("根对象缺少 _doc 键 (root has no _doc key)".into()))?;
        let doc_id = DocId::parse(&name).map_err(StoreError::BadDocument)?;
        if let Some(v) = newer_schema(&incoming) {
            return Err(StoreError::BadDocument(format!(
                "{doc_id} 由更新版本的 hubsync 写入 (格式 {v} > {SCHEMA_VERSION}),请先升级 (written by a newer hubsync; upgrade first)"
            )));
        }
        self.ensure_doc(&doc_id)?;
        let state = self.docs.get_mut(&doc_id).expect("ensured above");
        state
            .doc
            .merge(&mut incoming)
            .map_err(|e| StoreError::Automerge { doc: doc_id.to_string(), detail: e.to_string() })?;
        self.persist(std::slice::from_ref(&doc_id))?;
        Ok(doc_id)
    }

    /// Makes sure an (empty) document exists in memory, to receive into.
    pub fn ensure_doc(&mut self, doc: &DocId) -> Result<()> {
        self.refuse_if_partial("ensure_doc")?;
        if let Some(detail) = self.damaged.get(doc) {
            return Err(StoreError::Damaged { doc: doc.clone(), detail: detail.clone() });
        }
        if !self.docs.contains_key(doc) {
            let state = DocState {
                doc: AutoCommit::new().with_actor(self.actor.clone()),
                next_seq: 0,
                pieces: 0,
                version: self.next_version(),
                signed_heads: Vec::new(),
                saved_heads: Vec::new(),
                disk_clean: false,
            };
            // A document made anew: no digest of an earlier one with this
            // id may be taken for it (its version is new too).
            self.digests.remove(doc);
            self.docs.insert(doc.clone(), state);
        }
        Ok(())
    }

    /// Creates a document with its metadata, written by this node.
    pub(crate) fn create_doc(&mut self, doc: &DocId) -> Result<()> {
        self.ensure_doc(doc)?;
        let state = self.docs.get_mut(doc).expect("ensured above");
        if state.doc.get(ROOT, "_doc").ok().flatten().is_none() {
            let am =
                |e: automerge::AutomergeError| StoreError::Automerge { doc: doc.to_string(), detail: e.to_string() };
            state.doc.put(ROOT, "_doc", doc.as_str()).map_err(am)?;
            state.doc.put(ROOT, "_schema", SCHEMA_VERSION).map_err(am)?;
            state.doc.put(ROOT, "_collection", doc.collection().code()).map_err(am)?;
        }
        Ok(())
    }

    /// Drops a damaged document (kept in quarantine) so a peer can resend it.
    pub fn repair_doc(&mut self, doc: &DocId) -> Result<usize> {
        self.refuse_if_partial("repair_doc")?;
        self.log.append(&[changelog::Entry::Drop { doc: doc.as_str() }], true)?;
        let n = self.disk.quarantine_doc(doc)?;
        self.damaged.remove(doc);
        self.docs.remove(doc);
        self.digests.remove(doc);
        for key in self.disk.sync.scan_prefix(b"").keys().filter_map(Result::ok) {
            if key.ends_with(doc.as_str().as_bytes()) {
                self.disk.sync.remove(key)?;
            }
        }
        self.sync_states.retain(|(_, d), _| d != doc);
        self.last_withheld.retain(|(_, d), _| d != doc);
        self.disk.flush_durably()?;
        Ok(n)
    }

    /// Bytes on disk for all documents.
    pub fn disk_size(&self) -> u64 {
        self.disk.db.size_on_disk().unwrap_or(0)
    }
}
