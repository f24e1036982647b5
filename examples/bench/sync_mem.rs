//! Sync through the store's hooks without a network: the lower bound the
//! QUIC figures are compared against, and the bytes each case costs.

use crate::measure::{timed, Table};
use crate::sections::Fixture;
use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use std::time::Duration;
use tempfile::TempDir;

/// Messages both ways until neither side has anything to send.
/// Returns (messages, bytes).
pub fn sync_docs(a: &mut Store, b: &mut Store, docs: &[DocId]) -> (usize, usize) {
    let (mut messages, mut bytes) = (0, 0);
    for doc in docs {
        loop {
            let mut quiet = true;
            if let Some(m) = a.sync_generate("B", doc).expect("generate") {
                bytes += m.len();
                messages += 1;
                b.sync_receive("A", doc, &m, true).expect("receive");
                quiet = false;
            }
            if b.has_doc(doc) {
                if let Some(m) = b.sync_generate("A", doc).expect("generate") {
                    bytes += m.len();
                    messages += 1;
                    a.sync_receive("B", doc, &m, true).expect("receive");
                    quiet = false;
                }
            }
            if quiet {
                break;
            }
        }
    }
    (messages, bytes)
}

/// Bare Automerge: each document's bytes loaded twice in memory, one side
/// empty, the sync protocol run between them. No store, no disk.
fn bare_automerge_sync(raw: &[(String, Vec<u8>)]) -> Duration {
    use automerge::sync::{State, SyncDoc};
    let (_, took) = timed(|| {
        for (_, bytes) in raw {
            let mut full = automerge::AutoCommit::load(bytes).expect("load");
            let mut empty = automerge::AutoCommit::new();
            let (mut sa, mut sb) = (State::new(), State::new());
            loop {
                let mut quiet = true;
                if let Some(m) = full.sync().generate_sync_message(&mut sa) {
                    empty.sync().receive_sync_message(&mut sb, m).expect("receive");
                    quiet = false;
                }
                if let Some(m) = empty.sync().generate_sync_message(&mut sb) {
                    full.sync().receive_sync_message(&mut sa, m).expect("receive");
                    quiet = false;
                }
                if quiet {
                    break;
                }
            }
        }
    });
    took
}

pub fn sync_in_memory(f: &Fixture, runs: usize, table: &mut Table) {
    let raw = Store::read_raw(f.dir.path()).expect("raw");
    let bare: Vec<Duration> = (0..runs).map(|_| bare_automerge_sync(&raw)).collect();
    table.time(f.orgs, "full sync, bare Automerge in memory (lower bound)", &bare, String::new());

    let mut full = Vec::new();
    let mut bytes_full = 0;
    for _ in 0..runs {
        let mut a = Store::open(f.dir.path()).expect("open");
        let empty = TempDir::new().expect("temp");
        let mut b = Store::open(empty.path()).expect("open");
        let docs = a.doc_ids(None);
        let ((_, bytes), t) = timed(|| sync_docs(&mut a, &mut b, &docs));
        bytes_full = bytes;
        full.push(t);
    }
    table.time(f.orgs, "full sync store-to-store, no network", &full, format!("{} KiB exchanged", bytes_full / 1024));

    // Incremental and reconnect, on one pair that has synced once.
    let a_dir = TempDir::new().expect("temp");
    crate::sections::copy_dir(f.dir.path(), a_dir.path());
    let b_dir = TempDir::new().expect("temp");
    let mut a = Store::open(a_dir.path()).expect("open");
    let mut b = Store::open(b_dir.path()).expect("open");
    let docs = a.doc_ids(None);
    sync_docs(&mut a, &mut b, &docs);
    let mut org: Organization = a.get(&f.records[7].id).expect("get").expect("exists");
    let doc = a.locate(Collection::Orgs, &org.id).expect("doc");
    let mut inc = Vec::new();
    let mut inc_bytes = 0;
    for i in 0..runs.max(5) {
        org.members = Some(200 + i as u32);
        a.update(&org).expect("update");
        let ((_, bytes), t) = timed(|| sync_docs(&mut a, &mut b, std::slice::from_ref(&doc)));
        inc_bytes = bytes;
        inc.push(t);
    }
    table.time(
        f.orgs,
        "one-field incremental sync, no network",
        &inc,
        format!("{inc_bytes} bytes; target < 5 ms, < 2 KB"),
    );

    drop((a, b));
    let mut recon = Vec::new();
    let mut recon_bytes = 0;
    let mut recon_msgs = 0;
    for _ in 0..runs {
        let mut a = Store::open(a_dir.path()).expect("open");
        let mut b = Store::open(b_dir.path()).expect("open");
        let ((messages, bytes), t) = timed(|| sync_docs(&mut a, &mut b, &docs));
        recon_bytes = bytes;
        recon_msgs = messages;
        recon.push(t);
    }
    table.time(
        f.orgs,
        "reconnect with nothing changed (sync state from disk), no network",
        &recon,
        format!("{recon_msgs} messages, {} KiB for {} documents; target < 20 KB", recon_bytes / 1024, docs.len()),
    );
}
