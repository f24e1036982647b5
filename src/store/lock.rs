//! The data directory's lock, held by an open store for its lifetime. sled
//! locks only its own `db` directory, and only once it is open: what runs
//! before that (finishing an interrupted vacuum deletes `db.vacuum` and
//! `db.old`) and what runs while `db` is closed for a vacuum would otherwise
//! be unprotected from a second process.

use super::{Result, StoreError};
use std::fs::{File, TryLockError};
use std::path::Path;

const FILE: &str = "hubsync.lock";

pub(crate) struct DirLock {
    /// Dropping the file releases the lock (also when a process dies).
    _file: File,
}

impl DirLock {
    /// Takes the lock or reports the directory in use. A store just dropped
    /// on another thread (the store service) may hold it for a moment, so a
    /// held lock is retried for up to a second.
    pub fn take(dir: &Path) -> Result<DirLock> {
        let path = dir.join(FILE);
        let open_error =
            |e: std::io::Error| StoreError::Open { dir: dir.to_path_buf(), detail: format!("{}: {e}", path.display()) };
        let file = crate::private_fs::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(open_error)?;
        for _ in 0..50 {
            match file.try_lock() {
                Ok(()) => return Ok(DirLock { _file: file }),
                Err(TryLockError::WouldBlock) => std::thread::sleep(std::time::Duration::from_millis(20)),
                Err(TryLockError::Error(e)) => return Err(open_error(e)),
            }
        }
        Err(StoreError::InUse(dir.to_path_buf()))
    }
}
