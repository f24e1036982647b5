//! A peer's change chunks with a corrupted checksum. A received change is
//! stored as the bytes the peer sent (when the message brought every new
//! change, docs/SYNC.md), keyed by its hash; the hash does not cover the
//! chunk's 4-byte checksum, which Automerge's loader checks. A message with a
//! good copy of a change and a copy with its checksum flipped is applied from
//! the good one; storing the bad one lost the change (and every later edit of
//! the document) at the next open. Found by review, 2026-12-03.

mod support;

use automerge::sync::Message;
use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use tempfile::TempDir;

fn org(name: &str) -> Organization {
    Organization::new(name, Category::CultureSports, LegalStatus::Filed, "510104001002")
}

/// Each change chunk followed by a copy whose checksum field is flipped.
fn tamper(bytes: &[u8]) -> Vec<u8> {
    let msg = Message::decode(bytes).unwrap();
    if msg.changes.is_empty() {
        return bytes.to_vec();
    }
    let mut chunks = Vec::new();
    for c in msg.changes.iter() {
        chunks.push(c.to_vec());
        let mut bad = c.to_vec();
        bad[4] ^= 0xff;
        chunks.push(bad);
    }
    Message { changes: chunks.into(), ..msg }.encode()
}

fn run(b: &mut Store, a: &mut Store, doc: &DocId, hostile: bool) {
    for _ in 0..8 {
        if let Some(m) = a.sync_generate("B", doc).unwrap() {
            let m = if hostile { tamper(&m) } else { m };
            b.sync_receive("A", doc, &m, true).unwrap();
        }
        if let Some(m) = b.sync_generate("A", doc).unwrap() {
            a.sync_receive("B", doc, &m, true).unwrap();
        }
    }
}

/// A node A with an organization edited twelve times (enough history that
/// one more change is sent as a change, not as the whole document: Automerge
/// sends the document past a third), and an empty node B.
struct Pair {
    _a_dir: TempDir,
    a: Store,
    b_dir: TempDir,
    b: Store,
    doc: DocId,
    o: Organization,
}

fn pair() -> Pair {
    let a_dir = TempDir::new().unwrap();
    let mut a = Store::open(a_dir.path()).unwrap();
    a.init_federation(&support::federation("锦江区社区社会组织联合会", "510104")).unwrap();
    let mut o = org("玉林社区夕阳红舞蹈队");
    a.insert(&o).unwrap();
    let doc = a.locate(Collection::Orgs, &o.id).unwrap();
    for i in 0..12 {
        o.members = Some(i);
        a.update(&o).unwrap();
    }
    let b_dir = TempDir::new().unwrap();
    let b = Store::open(b_dir.path()).unwrap();
    Pair { _a_dir: a_dir, a, b_dir, b, doc, o }
}

fn case(
    hostile_first: bool,
    hostile_second: bool,
) -> (Vec<automerge::ChangeHash>, Vec<automerge::ChangeHash>, Vec<String>) {
    let Pair { _a_dir, mut a, b_dir: db, mut b, doc, .. } = pair();
    run(&mut b, &mut a, &doc, hostile_first);
    a.insert(&org("锦江区书法协会")).unwrap();
    run(&mut b, &mut a, &doc, hostile_second);
    let in_memory = b.doc_heads(&doc).unwrap();
    assert_eq!(in_memory, a.doc_heads(&doc).unwrap(), "b caught up in memory");
    drop(b);
    let mut b = Store::open(db.path()).unwrap();
    let after = b.doc_heads(&doc).unwrap_or_default();
    (in_memory, after, b.warnings().to_vec())
}

#[test]
fn honest_peer_round_trips() {
    let (mem, disk, warnings) = case(false, false);
    assert_eq!(mem, disk);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn duplicate_with_bad_checksum_in_second_message_survives_restart() {
    let (mem, disk, warnings) = case(false, true);
    assert_eq!(mem, disk, "warnings at reopen: {warnings:?}");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn duplicate_with_bad_checksum_in_first_message_survives_restart() {
    let (mem, disk, warnings) = case(true, false);
    assert_eq!(mem, disk, "warnings at reopen: {warnings:?}");
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// The node's own edit made after the tampered change: does it survive?
#[test]
fn own_edit_after_the_tampered_change_survives_restart() {
    let Pair { _a_dir, mut a, b_dir: db, mut b, doc, mut o } = pair();
    run(&mut b, &mut a, &doc, false);
    o.members = Some(100);
    a.update(&o).unwrap();
    run(&mut b, &mut a, &doc, true);
    // b's own edit, on top of the tampered change.
    o.members = Some(777);
    b.update(&o).unwrap();
    let in_memory = b.doc_heads(&doc).unwrap();
    drop(b);
    let mut b = Store::open(db.path()).unwrap();
    let warnings = b.warnings().to_vec();
    let got = b.get::<Organization>(&o.id).unwrap().map(|r| r.members);
    assert_eq!(b.doc_heads(&doc).unwrap_or_default(), in_memory, "{warnings:?}");
    assert_eq!(got, Some(Some(777)), "{warnings:?}");
}
