//! Rewrites the sled database with only its live keys. sled reclaims the
//! space of removed values (compacted pieces, old blobs) lazily, so after a
//! bulk import or a compaction the directory can be several times the data;
//! like SQLite's VACUUM, this copies what is live into a fresh database and
//! swaps it in by renaming, which a crash at any point leaves recoverable.

use super::{Result, StoreError};
use std::path::Path;

const LIVE: &str = "db";
const NEW: &str = "db.vacuum";
const OLD: &str = "db.old";

/// Finishes or rolls back a vacuum that a crash interrupted. Called on open,
/// holding the data directory's lock.
pub(crate) fn recover(dir: &Path) -> Result<()> {
    let io = |e: std::io::Error| StoreError::Open { dir: dir.to_path_buf(), detail: e.to_string() };
    let (live, new, old) = (dir.join(LIVE), dir.join(NEW), dir.join(OLD));
    if !live.exists() && old.exists() {
        // Crashed between the two renames: the new copy is complete only if
        // it was renamed into place; otherwise put the old one back.
        if new.exists() {
            std::fs::remove_dir_all(&new).map_err(io)?;
        }
        std::fs::rename(&old, &live).map_err(io)?;
    }
    if new.exists() {
        std::fs::remove_dir_all(&new).map_err(io)?;
    }
    if old.exists() && live.exists() {
        std::fs::remove_dir_all(&old).map_err(io)?;
    }
    Ok(())
}

/// Copies every tree's live keys into a fresh database and swaps it in.
/// The store must not be open (the data directory's lock says so: a store
/// open elsewhere makes this `StoreError::InUse`). Returns (bytes before,
/// bytes after).
pub fn vacuum(dir: &Path) -> Result<(u64, u64)> {
    let _lock = super::lock::DirLock::take(dir)?;
    vacuum_locked(dir)
}

/// `vacuum` for a caller holding the data directory's lock.
pub(crate) fn vacuum_locked(dir: &Path) -> Result<(u64, u64)> {
    recover(dir)?;
    let io = |e: std::io::Error| StoreError::Open { dir: dir.to_path_buf(), detail: e.to_string() };
    let before = dir_size(&dir.join(LIVE));
    {
        let old = super::persist::Disk::open(dir)?.db;
        let new = sled::Config::new().path(dir.join(NEW)).open()?;
        for name in old.tree_names() {
            let from = old.open_tree(&name)?;
            let to = new.open_tree(&name)?;
            let mut batch = sled::Batch::default();
            for item in from.iter() {
                let (k, v) = item?;
                batch.insert(k, v);
            }
            to.apply_batch(batch)?;
        }
        new.flush()?;
    }
    std::fs::rename(dir.join(LIVE), dir.join(OLD)).map_err(io)?;
    std::fs::rename(dir.join(NEW), dir.join(LIVE)).map_err(io)?;
    std::fs::remove_dir_all(dir.join(OLD)).map_err(io)?;
    // sled made the new files with the process umask.
    crate::private_fs::restrict_tree(dir).map_err(io)?;
    Ok((before, dir_size(&dir.join(LIVE))))
}

/// Bytes in a directory tree.
pub fn dir_size(path: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            let p = e.path();
            total += if p.is_dir() { dir_size(&p) } else { e.metadata().map_or(0, |m| m.len()) };
        }
    }
    total
}
