//! Two stores syncing one document in memory, as two peers' sessions do,
//! until neither has anything more to say.
#![allow(dead_code)]

use hubsync::store::{DocId, Store, StoreError};

/// Each store knows the other by its name (its sync state is kept per
/// peer). `a_takes_b`: false when `a` holds `b` as a read-only peer, whose
/// changes it refuses. A store that lacks the document answers from an
/// empty one and creates it only when changes arrive.
pub fn exchange(
    a: &mut Store,
    a_name: &str,
    b: &mut Store,
    b_name: &str,
    doc: &DocId,
    a_takes_b: bool,
) -> Result<(), StoreError> {
    for _ in 0..20 {
        let mut quiet = true;
        if let Some(m) = a.sync_generate(b_name, doc)? {
            b.sync_receive(a_name, doc, &m, true)?;
            quiet = false;
        }
        if let Some(m) = b.sync_generate(a_name, doc)? {
            a.sync_receive(b_name, doc, &m, a_takes_b)?;
            quiet = false;
        }
        if quiet {
            return Ok(());
        }
    }
    panic!("sync did not settle");
}

/// Both ways, both writable; panics on an error.
pub fn sync_pair(a: &mut Store, a_name: &str, b: &mut Store, b_name: &str, doc: &DocId) {
    exchange(a, a_name, b, b_name, doc, true).unwrap()
}
