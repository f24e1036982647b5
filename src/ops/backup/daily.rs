//! Daily backups by a running node: at most one per day (by the node's
//! clock, the store's injected one), in `backups/` inside the data
//! directory, owner-only, the newest `keep` kept.
//!
//! Which ones are kept goes by the date in the file name, newest first,
//! and today's is always kept: a laptop whose clock jumped back a year
//! still writes and keeps today's file, and keeps its newest others
//! rather than deleting them as "in the future". A node that was off for
//! a fortnight keeps its last `keep` backups, not none.

use super::{encode_node, BackedUp};
use crate::ops::{Env, FixedClock, OpResult};
use crate::store::{Origin, StoreHandle};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The folder in the data directory.
pub const DAILY_DIR: &str = "backups";
/// Days kept unless the node is told otherwise (`--keep-backups`).
pub const DEFAULT_KEEP_DAYS: usize = 7;
const PREFIX: &str = "hubsync-";
const EXTENSION: &str = ".backup";
/// How often a running node looks whether today's backup is there.
const CHECK_EVERY: Duration = Duration::from_secs(10 * 60);

/// What one look did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Daily {
    /// Today's backup was written; older ones past `keep` were deleted.
    Written { backup: BackedUp, pruned: Vec<PathBuf> },
    /// Today's backup is there already.
    AlreadyDone { file: PathBuf, pruned: Vec<PathBuf> },
    /// `keep` is 0: no automatic backups.
    Off,
}

/// The file name of the backup of `day`.
pub fn daily_file_name(day: NaiveDate) -> String {
    format!("{PREFIX}{}{EXTENSION}", day.format("%Y-%m-%d"))
}

fn date_of(name: &str) -> Option<NaiveDate> {
    let day = name.strip_prefix(PREFIX)?.strip_suffix(EXTENSION)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Writes today's backup if there is none yet, and deletes the dated
/// backups past the newest `keep` (today's always kept). Files in the
/// folder that are not daily backups are left alone, except temporary
/// files of a write that was interrupted.
pub fn daily(env: &mut Env, keep: usize) -> OpResult<Daily> {
    if keep == 0 {
        return Ok(Daily::Off);
    }
    let folder = env.dir().join(DAILY_DIR);
    crate::private_fs::create_dir(&folder).map_err(|e| super::BackupError::io(&folder, e))?;
    let today = env.today();
    let file = folder.join(daily_file_name(today));
    let written = if file.exists() {
        None
    } else {
        let (bytes, done) = encode_node(env)?;
        crate::private_fs::write_atomic(&file, &bytes, true).map_err(|e| super::BackupError::io(&file, e))?;
        Some(BackedUp { file: file.clone(), ..done })
    };
    let pruned = prune(&folder, today, keep)?;
    Ok(match written {
        Some(backup) => Daily::Written { backup, pruned },
        None => Daily::AlreadyDone { file, pruned },
    })
}

fn prune(folder: &Path, today: NaiveDate, keep: usize) -> OpResult<Vec<PathBuf>> {
    let entries = std::fs::read_dir(folder).map_err(|e| super::BackupError::io(folder, e))?;
    let mut dated: Vec<(NaiveDate, PathBuf)> = Vec::new();
    let mut pruned = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let path = entry.path();
        if name.starts_with(PREFIX) && name.ends_with(".tmp") {
            // Left by a write that was cut off: only this node writes here,
            // on its store thread, so none is being written now.
            if std::fs::remove_file(&path).is_ok() {
                pruned.push(path);
            }
        } else if let Some(day) = date_of(&name) {
            if day != today {
                dated.push((day, path));
            }
        }
    }
    dated.sort_by_key(|d| std::cmp::Reverse(d.0));
    for (_, path) in dated.into_iter().skip(keep.saturating_sub(1)) {
        std::fs::remove_file(&path).map_err(|e| super::BackupError::io(&path, e))?;
        pruned.push(path);
    }
    Ok(pruned)
}

/// Runs `daily` now and every few minutes on the node's store, for as
/// long as the store runs. A failure (a full disk) is logged and tried
/// again at the next look; it never stops the node.
pub fn spawn_daily(store: StoreHandle, keep: usize) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if keep == 0 {
            return;
        }
        let mut tick = tokio::time::interval(CHECK_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let done = store
                .try_call_from(Origin::Local, move |s| {
                    // The store's clock, read once: the Env borrows the store.
                    let now = FixedClock(s.clock().now());
                    daily(&mut Env::new(s, &now), keep)
                })
                .await;
            match done {
                Ok(Ok(Daily::Written { backup, pruned })) => tracing::info!(
                    "daily backup written: {} ({} bytes, {} documents); {} old ones deleted",
                    backup.file.display(),
                    backup.bytes,
                    backup.documents,
                    pruned.len()
                ),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!("daily backup failed: {e:#}"),
                Err(e) => {
                    tracing::error!("daily backup failed: {e:#}");
                    if matches!(&e, crate::store::StoreError::JobFailed(t) if t.contains("stopped")) {
                        return;
                    }
                }
            }
        }
    })
}
