//! Backup and restore of a whole node (issue 14, point 16).
//!
//! A backup holds every document the node holds (its own federation's and
//! every other one it keeps or relays), the signatures that let peers
//! verify their changes, the authors lists and certificates, the home
//! federation, the peer list, open invitations and the node's identity
//! (its private key). It is taken on the store thread in one job, so it is
//! one consistent moment; with a node running, `hubsync backup` runs in
//! the node (crate::control) and the same holds.
//!
//! A restore goes into a new data directory and keeps the node's identity:
//! a replacement laptop is the same node to its peers, which keep trusting
//! it, and its own federation's authors list keeps admitting its changes.
//! Its store writes under a fresh Automerge actor (every store open takes
//! one, `Store::open`), so its new changes never reuse the (actor,
//! sequence) pairs of the machine the backup came from. The old machine
//! must then stop syncing: two running nodes with one identity are one
//! node to the peers (docs/PRIVACY.md, docs/RELIABILITY.md).

mod daily;
pub mod format;

pub use daily::{daily, daily_file_name, spawn_daily, Daily, DAILY_DIR, DEFAULT_KEEP_DAYS};

use super::{Env, OpResult};
use crate::domain::RecordId;
use crate::store::{DocId, RestoredDoc, Store};
use crate::sync::NodeId;
use automerge::{AutoCommit, ChangeHash};
use format::{Contents, Manifest, FORMAT_VERSION};
use std::path::{Path, PathBuf};

/// The files of the data directory a backup carries, beside the store.
/// Restore writes no other path (a crafted file cannot write elsewhere).
const KEY: &str = "identity/key.der";
const CERT: &str = "identity/cert.der";
const NODE_FILES: &[&str] = &[KEY, CERT, "peers.json", INVITES];
/// Read from a backup file, never written back: an invitation open at backup
/// time may have been used since, and restored its secret would admit a
/// second laptop with the same code. (Backups no longer carry it.)
const INVITES: &str = "invites.json";

/// What is wrong with a backup file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    #[error("不是 hubsync 备份文件 (not a hubsync backup: the header is missing)")]
    NotABackup,
    #[error("文件不完整: 应有 {expected} 字节,只有 {actual} 字节 (truncated: {actual} of {expected} bytes)")]
    Truncated { expected: u64, actual: u64 },
    #[error("文件长度不符: 应有 {expected} 字节,却有 {actual} 字节 (extra bytes: {actual} instead of {expected})")]
    TrailingBytes { expected: u64, actual: u64 },
    #[error("校验和不符,文件已损坏 (checksum mismatch: the file is damaged)")]
    Checksum,
    #[error(
        "备份格式版本 {0} 不受支持 (本版本读格式 {FORMAT_VERSION}),请升级 hubsync (unsupported backup format {0})"
    )]
    UnknownFormat(u32),
    #[error("内容无效: {0} (malformed content)")]
    Malformed(String),
    #[error("文档 {doc} 无法读取: {detail} (a document does not load)")]
    Document { doc: String, detail: String },
    #[error("缺少 {0} (missing from the backup)")]
    Missing(String),
}

/// Why a backup or restore did nothing.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("备份文件 {} 无法使用,未写入任何内容: {damage} (backup file unusable; nothing was written)", .file.display())]
    Unusable { file: PathBuf, damage: Damage },
    #[error("目标目录 {} 不是空的,恢复只写入新的数据目录;请指定一个不存在或空的目录 (the target directory is not empty: restore only writes a new data directory)", .0.display())]
    TargetNotEmpty(PathBuf),
    #[error("无法读写 {}: {detail} (cannot read or write)", .path.display())]
    Io { path: PathBuf, detail: String },
}

impl BackupError {
    fn io(path: &Path, e: impl std::fmt::Display) -> BackupError {
        BackupError::Io { path: path.to_path_buf(), detail: e.to_string() }
    }
}

/// `hubsync backup FILE`.
#[derive(Debug, Clone)]
pub struct Backup {
    pub file: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackedUp {
    pub file: PathBuf,
    pub bytes: u64,
    pub documents: usize,
    /// Federations with documents in the backup (own and held for others).
    pub federations: usize,
    pub signatures: usize,
    pub node_id: String,
    /// Documents that could not be read at open and are not in the backup.
    pub left_out: Vec<(DocId, String)>,
}

/// Writes a backup of the whole node to `cmd.file`: to a temporary file
/// beside it, fsynced, then renamed; owner-only (mode 0600).
pub fn backup(env: &mut Env, cmd: Backup) -> OpResult<BackedUp> {
    let (bytes, mut done) = encode_node(env)?;
    crate::private_fs::write_atomic(&cmd.file, &bytes, true).map_err(|e| BackupError::io(&cmd.file, e))?;
    done.file = cmd.file;
    Ok(done)
}

/// The backup's bytes and what they hold (file not yet set).
fn encode_node(env: &mut Env) -> OpResult<(Vec<u8>, BackedUp)> {
    let dir = env.dir().to_path_buf();
    let snapshot = env.store.snapshot()?;
    let mut files = Vec::new();
    // Under the peer list's lock: no read-modify-write of peers.json is
    // half done (each write is a whole-file rename anyway).
    crate::sync::trust::with_lock(&dir, || {
        for name in NODE_FILES.iter().filter(|n| **n != INVITES) {
            match std::fs::read(dir.join(name)) {
                Ok(bytes) => files.push((name.to_string(), bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !name.starts_with("identity/") => {}
                Err(e) => return Err(anyhow::Error::from(BackupError::io(&dir.join(name), e))),
            }
        }
        Ok(())
    })?;
    let cert = files.iter().find(|(n, _)| n == CERT).map(|(_, b)| b.as_slice()).unwrap_or_default();
    let node_id = NodeId::of_certificate(cert).to_string();
    let federations: std::collections::BTreeSet<RecordId> =
        snapshot.docs.iter().map(|(id, _, _)| id.federation()).collect();
    let manifest = Manifest {
        format: FORMAT_VERSION,
        hubsync: env!("CARGO_PKG_VERSION").into(),
        created: env.clock.now(),
        node_id: node_id.clone(),
        home: snapshot.home.as_ref().map(|h| h.to_string()),
        documents: snapshot
            .docs
            .iter()
            .map(|(id, _, heads)| (id.to_string(), heads.iter().map(|h| h.to_string()).collect()))
            .collect(),
        signatures: snapshot.sigs.len(),
    };
    let done = BackedUp {
        file: PathBuf::new(),
        bytes: 0,
        documents: snapshot.docs.len(),
        federations: federations.len(),
        signatures: snapshot.sigs.len(),
        node_id,
        left_out: snapshot.damaged,
    };
    let contents = Contents {
        docs: snapshot.docs.into_iter().map(|(id, bytes, _)| (id.to_string(), bytes)).collect(),
        sigs: snapshot.sigs,
        meta: snapshot.meta,
        files,
    };
    let bytes = format::encode(&manifest, &contents);
    Ok((bytes.clone(), BackedUp { bytes: bytes.len() as u64, ..done }))
}

/// `hubsync restore FILE DIR`.
#[derive(Debug, Clone)]
pub struct Restore {
    pub file: PathBuf,
    /// A data directory that does not exist yet, or is empty.
    pub dir: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub dir: PathBuf,
    pub node_id: String,
    pub home: Option<RecordId>,
    /// When the backup was made, by its node's clock.
    pub created: chrono::NaiveDateTime,
    pub documents: usize,
    pub signatures: usize,
}

/// A backup read and checked, ready to write.
struct Checked {
    manifest: Manifest,
    docs: Vec<RestoredDoc>,
    contents: Contents,
}

/// Restores a backup into a new data directory. Everything is read and
/// checked first (header, length, checksum, every document against its
/// heads, the identity); then the directory is built beside the target
/// and renamed into place, so a failure at any point leaves no directory
/// behind (and an empty target as it was).
pub fn restore(cmd: Restore) -> OpResult<Restored> {
    let unusable = |damage| BackupError::Unusable { file: cmd.file.clone(), damage };
    let bytes = std::fs::read(&cmd.file).map_err(|e| BackupError::io(&cmd.file, e))?;
    let checked = check(&bytes).map_err(unusable)?;
    check_target(&cmd.dir)?;
    let parent = match cmd.dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| BackupError::io(&parent, e))?;
    let name = cmd.dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "hubsync".into());
    let staging = parent.join(format!(".{name}.restoring-{:08x}", rand::random::<u32>()));
    let built = build(&staging, checked).and_then(|done| {
        if cmd.dir.exists() {
            // Checked empty above; Windows cannot rename onto a directory.
            std::fs::remove_dir(&cmd.dir).map_err(|e| BackupError::io(&cmd.dir, e))?;
        }
        std::fs::rename(&staging, &cmd.dir).map_err(|e| BackupError::io(&cmd.dir, e))?;
        crate::private_fs::sync_dir(&parent).map_err(|e| BackupError::io(&parent, e))?;
        Ok(done)
    });
    match built {
        Ok((manifest, documents, signatures)) => Ok(Restored {
            dir: cmd.dir,
            node_id: manifest.node_id,
            home: manifest.home.map(RecordId),
            created: manifest.created,
            documents,
            signatures,
        }),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(e.into())
        }
    }
}

/// The target must not exist, or be an empty directory.
fn check_target(dir: &Path) -> Result<(), BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(BackupError::TargetNotEmpty(dir.to_path_buf())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        // A file of that name, or no permission to look.
        Err(_) if dir.exists() => Err(BackupError::TargetNotEmpty(dir.to_path_buf())),
        Err(e) => Err(BackupError::io(dir, e)),
    }
}

/// Decodes and checks a backup's bytes without writing anything.
fn check(bytes: &[u8]) -> Result<Checked, Damage> {
    let (manifest, contents) = format::decode(bytes)?;
    for (name, _) in &contents.files {
        if !NODE_FILES.contains(&name.as_str()) {
            return Err(Damage::Malformed(format!("未知的文件 {name} (unexpected file)")));
        }
    }
    let file = |name: &str| contents.files.iter().find(|(n, _)| n == name).map(|(_, b)| b);
    let cert = file(CERT).ok_or_else(|| Damage::Missing(CERT.into()))?;
    file(KEY).ok_or_else(|| Damage::Missing(KEY.into()))?;
    if NodeId::of_certificate(cert).to_string() != manifest.node_id {
        return Err(Damage::Malformed("身份证书与清单不符 (the identity does not match the manifest)".into()));
    }
    if contents.docs.len() != manifest.documents.len() {
        return Err(Damage::Malformed(format!(
            "清单列出 {} 个文档,文件中有 {} 个 (the manifest lists {} documents, the file holds {})",
            manifest.documents.len(),
            contents.docs.len(),
            manifest.documents.len(),
            contents.docs.len()
        )));
    }
    let mut docs = Vec::with_capacity(contents.docs.len());
    for (name, bytes) in &contents.docs {
        let bad = |detail: String| Damage::Document { doc: name.clone(), detail };
        let id = DocId::parse(name).map_err(bad)?;
        let expected = manifest.documents.get(name).ok_or_else(|| bad("清单中没有 (not in the manifest)".into()))?;
        let mut doc = AutoCommit::load(bytes).map_err(|e| bad(e.to_string()))?;
        let mut heads: Vec<String> = doc.get_heads().iter().map(ChangeHash::to_string).collect();
        let mut want = expected.clone();
        heads.sort();
        want.sort();
        if heads != want {
            return Err(bad("内容与清单中的版本不符 (its heads differ from the manifest)".into()));
        }
        docs.push(RestoredDoc { id, doc });
    }
    Ok(Checked { manifest, docs, contents })
}

/// Writes the node's files, then opens a store there (a fresh actor) and
/// installs the documents. Returns the manifest and the counts.
fn build(staging: &Path, checked: Checked) -> Result<(Manifest, usize, usize), BackupError> {
    let Checked { manifest, docs, contents } = checked;
    crate::private_fs::create_dir(staging).map_err(|e| BackupError::io(staging, e))?;
    crate::private_fs::create_dir(&staging.join("identity")).map_err(|e| BackupError::io(staging, e))?;
    // The identity first: the store signs with it and takes its actor prefix from it.
    for (name, bytes) in contents.files.iter().filter(|(n, _)| n != INVITES) {
        let path = staging.join(name);
        crate::private_fs::write_atomic(&path, bytes, true).map_err(|e| BackupError::io(&path, e))?;
    }
    let documents = docs.len();
    let signatures = contents.sigs.len();
    let home = manifest.home.clone().map(RecordId);
    let mut store = Store::open(staging).map_err(|e| BackupError::io(staging, e))?;
    store
        .install_snapshot(home.as_ref(), docs, &contents.sigs, &contents.meta)
        .map_err(|e| BackupError::io(staging, e))?;
    drop(store);
    Ok((manifest, documents, signatures))
}
