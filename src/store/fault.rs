//! A full disk on demand, for the nemesis run (tests/nemesis.rs) that
//! drives real `hubsync serve` processes: the disk of one node fills and
//! empties while it runs, and nothing else on the machine notices.
//!
//! Off unless `HUBSYNC_FAULT_DISK_FULL` names a switch file. While that
//! file exists, the store's writer fails as a full disk makes it fail
//! (`ErrorKind::StorageFull`, as ENOSPC): with the file empty or holding
//! `log`, at the change log, which is written first; holding `sled`, at the
//! sled batch after the log took the record (the log is cut back and sled
//! reopened, the path a file-size limit cannot reach: sled preallocates its
//! file). Deleting the file is the disk getting room. The store's ordinary
//! refusal code runs either way; only the error is made up.

use std::io::{Error, ErrorKind};
use std::path::PathBuf;

pub const SWITCH_VAR: &str = "HUBSYNC_FAULT_DISK_FULL";

/// Which write a full disk fails.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum At {
    Log,
    Sled,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct DiskFull {
    switch: Option<PathBuf>,
}

impl DiskFull {
    pub fn from_env() -> DiskFull {
        DiskFull { switch: std::env::var_os(SWITCH_VAR).filter(|v| !v.is_empty()).map(PathBuf::from) }
    }

    /// Fails like a full disk when the switch is on for `at`.
    pub fn check(&self, at: At) -> std::io::Result<()> {
        let Some(switch) = &self.switch else { return Ok(()) };
        let Ok(content) = std::fs::read_to_string(switch) else { return Ok(()) };
        let on = if content.trim() == "sled" { At::Sled } else { At::Log };
        if on == at {
            return Err(Error::new(ErrorKind::StorageFull, format!("injected by {SWITCH_VAR}")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_file_fills_the_disk_where_it_says_and_only_while_it_exists() {
        let dir = tempfile::TempDir::new().unwrap();
        let switch = dir.path().join("full");
        let full = DiskFull { switch: Some(switch.clone()) };
        assert!(full.check(At::Log).is_ok() && full.check(At::Sled).is_ok(), "no file: room");
        std::fs::write(&switch, "").unwrap();
        assert_eq!(full.check(At::Log).unwrap_err().kind(), ErrorKind::StorageFull);
        assert!(full.check(At::Sled).is_ok());
        std::fs::write(&switch, "sled\n").unwrap();
        assert!(full.check(At::Log).is_ok());
        assert_eq!(full.check(At::Sled).unwrap_err().kind(), ErrorKind::StorageFull);
        std::fs::remove_file(&switch).unwrap();
        assert!(full.check(At::Sled).is_ok());
        assert!(DiskFull::default().check(At::Log).is_ok(), "unset: never full");
    }
}
