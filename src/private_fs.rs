//! Files only the owner may read. A data directory holds rosters with
//! phones, Party membership, invitation secrets and the node's key: on Unix
//! it is 0700 and its files 0600, whatever the umask. Elsewhere (Windows)
//! the user profile's ACL is what protects it and these calls change no
//! permissions. Full-disk encryption is still needed (docs/PRIVACY.md).

use std::io::Write;
use std::path::Path;

/// Creates `dir` (and missing parents) and makes `dir` itself owner-only.
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, true)
}

/// Owner-only permissions for one file (`is_dir` false) or directory.
pub fn restrict(path: &Path, is_dir: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if is_dir { 0o700 } else { 0o600 };
        let current = std::fs::symlink_metadata(path)?.permissions().mode() & 0o777;
        if current != mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, is_dir);
    Ok(())
}

/// Makes everything under `dir` owner-only: sled creates its files with the
/// process umask (and new snapshot files as it runs), so the store tightens
/// the whole tree each time it opens. Symbolic links are left alone.
pub fn restrict_tree(dir: &Path) -> std::io::Result<()> {
    restrict(dir, true)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            restrict_tree(&entry.path())?;
        } else if kind.is_file() {
            restrict(&entry.path(), false)?;
        }
    }
    Ok(())
}

/// Options that create a file owner-only from the start (no window in which
/// it is readable by others).
pub fn options() -> std::fs::OpenOptions {
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Replaces `path` atomically with `bytes`, owner-only: a temporary file
/// beside it (a unique name, as two processes may write at once), then a
/// rename. `durable`: the file is synced before the rename and the
/// directory after it, so a crash leaves the old or the new content, and an
/// acknowledged save stays.
pub fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> std::io::Result<()> {
    let (dir, tmp) = temporary_beside(path);
    let written = (|| {
        let mut f = options().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    if durable {
        sync_dir(dir)?;
    }
    Ok(())
}

/// What `replace_open_file` did.
#[derive(Debug)]
pub enum Replaced {
    /// The new content is at the path; the handle is the new file.
    Done(std::fs::File),
    /// The new content is at the path and the handle is the new file, but
    /// the directory could not be synced: a crash may bring the old file back.
    NotDurable(std::fs::File, std::io::Error),
    /// Nothing changed at the path. The old file's handle, unless it was
    /// closed (Windows) and could not be opened again.
    Failed(Option<std::fs::File>, std::io::Error),
}

/// The directory of `path` and a fresh temporary name in it (unique, as two
/// processes may write at once).
fn temporary_beside(path: &Path) -> (&Path, std::path::PathBuf) {
    // A bare file name's parent is "", which cannot be opened to sync.
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    (dir, dir.join(format!("{name}.{:016x}.tmp", rand::random::<u64>())))
}

/// `write_atomic` for a file this process keeps open (`open`), durably.
/// Windows refuses to rename over a file that is held open unless the file
/// system offers POSIX rename semantics (FAT and exFAT sticks, some network
/// shares and Wine do not), so there `open` is closed before the rename and
/// opened again if the rename fails. Elsewhere it stays open throughout.
pub fn replace_open_file(path: &Path, bytes: &[u8], open: std::fs::File) -> Replaced {
    let (dir, tmp) = temporary_beside(path);
    let written = (|| {
        let mut f = options().read(true).write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        Ok(f)
    })();
    let new = match written {
        Ok(f) => f,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Replaced::Failed(Some(open), e);
        }
    };
    let old = if cfg!(windows) || fail::hit(fail::Step::RenameAndReopen) {
        drop(open);
        None
    } else {
        Some(open)
    };
    let renamed = match fail::rename_error() {
        Some(e) => Err(e),
        None => std::fs::rename(&tmp, path),
    };
    if let Err(e) = renamed {
        // The temporary file closed first: Windows removes an open file's
        // name only when its last handle closes.
        drop(new);
        let _ = std::fs::remove_file(&tmp);
        let old = old.or_else(|| {
            if fail::hit(fail::Step::RenameAndReopen) {
                return None;
            }
            std::fs::OpenOptions::new().read(true).write(true).open(path).ok()
        });
        return Replaced::Failed(old, e);
    }
    drop(old);
    let synced = match fail::hit(fail::Step::SyncDir) {
        true => Err(std::io::Error::other("injected: directory sync")),
        false => sync_dir(dir),
    };
    match synced {
        Ok(()) => Replaced::Done(new),
        Err(e) => Replaced::NotDurable(new, e),
    }
}

/// Failures made up for tests of the callers' error paths (only in this
/// crate's unit tests; the calls compile to nothing elsewhere).
pub(crate) mod fail {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Step {
        /// The rename fails.
        Rename,
        /// The rename fails and the old file cannot be opened again (as on
        /// Windows, where it was closed for the rename).
        RenameAndReopen,
        /// The rename succeeds, the directory sync fails.
        SyncDir,
    }

    #[cfg(test)]
    thread_local!(static AT: std::cell::Cell<Option<Step>> = const { std::cell::Cell::new(None) });

    /// Runs `f` with `step` failing on this thread.
    #[cfg(test)]
    pub fn during<T>(step: Step, f: impl FnOnce() -> T) -> T {
        AT.with(|at| at.set(Some(step)));
        let out = f();
        AT.with(|at| at.set(None));
        out
    }

    pub(super) fn hit(step: Step) -> bool {
        #[cfg(test)]
        return AT.with(|at| at.get()) == Some(step);
        #[cfg(not(test))]
        {
            let _ = step;
            false
        }
    }

    pub(super) fn rename_error() -> Option<std::io::Error> {
        (hit(Step::Rename) || hit(Step::RenameAndReopen))
            .then(|| std::io::Error::new(std::io::ErrorKind::PermissionDenied, "injected: rename"))
    }
}

/// Syncs a directory's entries (a rename into it) to disk. Windows cannot
/// open a directory as a file; there NTFS journals the rename itself.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn atomic_writes_are_owner_only_and_replace_the_old_content() {
        let dir = tempfile::TempDir::new().unwrap();
        let p = dir.path().join("invites.json");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_atomic(&p, b"[]", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"[]");
        assert_eq!(mode(&p), 0o600);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }

    #[test]
    fn a_tree_made_by_a_loose_umask_is_tightened() {
        let dir = tempfile::TempDir::new().unwrap();
        let sub = dir.path().join("db").join("blobs");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("1"), b"x").unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(sub.join("1"), std::fs::Permissions::from_mode(0o664)).unwrap();
        restrict_tree(dir.path()).unwrap();
        assert_eq!(mode(dir.path()), 0o700);
        assert_eq!(mode(&sub), 0o700);
        assert_eq!(mode(&sub.join("1")), 0o600);
    }
}

#[cfg(test)]
mod replace_tests {
    use super::*;
    use std::io::{Read, Seek, SeekFrom};

    fn content(f: &mut std::fs::File) -> String {
        let mut read = String::new();
        f.seek(SeekFrom::Start(0)).unwrap();
        f.read_to_string(&mut read).unwrap();
        read
    }

    #[test]
    fn a_file_held_open_is_replaced_and_the_handle_follows_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("changes.log");
        std::fs::write(&path, b"old old old").unwrap();
        let open = std::fs::OpenOptions::new().read(true).write(true).open(&path).unwrap();
        let Replaced::Done(mut open) = replace_open_file(&path, b"new", open) else { panic!("not replaced") };
        // Appending through the handle lands in the file now at `path`.
        open.seek(SeekFrom::End(0)).unwrap();
        open.write_all(b"+1").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new+1");
        assert_eq!(content(&mut open), "new+1");
        // No temporary file is left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_rename_leaves_the_old_file_and_its_handle_and_no_temporary_file() {
        for step in [fail::Step::Rename, fail::Step::RenameAndReopen] {
            let dir = tempfile::TempDir::new().unwrap();
            let path = dir.path().join("changes.log");
            std::fs::write(&path, b"kept").unwrap();
            let open = std::fs::OpenOptions::new().read(true).write(true).open(&path).unwrap();
            match fail::during(step, || replace_open_file(&path, b"new", open)) {
                Replaced::Failed(Some(mut old), _) if step == fail::Step::Rename => {
                    assert_eq!(content(&mut old), "kept")
                }
                Replaced::Failed(None, _) if step == fail::Step::RenameAndReopen => {}
                other => panic!("{step:?}: {other:?}"),
            }
            assert_eq!(std::fs::read(&path).unwrap(), b"kept");
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "{step:?}: no temporary file left");
        }
    }
}
