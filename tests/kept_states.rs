//! Sync states kept in memory between sessions on a kept connection
//! (docs/SYNC.md, Protocol step 5): a state is resumed only after its
//! document's exchange ended clean and withheld nothing, because Automerge
//! counts a change as sent when it builds the message.

use hubsync::domain::*;
use hubsync::store::{DocId, Store};
use tempfile::TempDir;

mod support;

/// A hub holding one organization and an empty peer, each with its store.
fn hub_and_peer() -> (TempDir, Store, TempDir, Store, Organization, DocId) {
    let dh = TempDir::new().unwrap();
    let mut hub = Store::open(dh.path()).unwrap();
    hub.init_federation(&support::federation("锦江区社区社会组织联合会", "510104")).unwrap();
    let dp = TempDir::new().unwrap();
    let peer = Store::open(dp.path()).unwrap();
    let o = Organization::new("双流区邻里守望队", Category::CultureSports, LegalStatus::Filed, "510104001001");
    hub.insert(&o).unwrap();
    let doc = hub.locate(Collection::Orgs, &o.id).unwrap();
    (dh, hub, dp, peer, o, doc)
}

/// One session on `doc` as the nodes run it: each side opens (resuming its
/// kept state or not), rounds until both are quiet, and marks a clean end.
fn session(hub: &mut Store, peer: &mut Store, doc: &DocId, resume: bool, withhold: bool) {
    for (s, name) in [(&mut *hub, "peer"), (&mut *peer, "hub")] {
        if resume {
            s.continue_sync(name, doc);
        } else {
            s.begin_sync(name, doc);
        }
    }
    to_quiet(hub, peer, doc, withhold);
    hub.end_sync("peer", doc);
    peer.end_sync("hub", doc);
}

/// Rounds of an open exchange until both sides are quiet.
fn to_quiet(hub: &mut Store, peer: &mut Store, doc: &DocId, withhold: bool) {
    for _ in 0..20 {
        let from_hub = hub.sync_generate_counted("peer", doc, withhold).unwrap();
        if let Some((m, _)) = &from_hub {
            peer.sync_receive("hub", doc, m, true).unwrap();
        }
        let from_peer = peer.sync_generate("hub", doc).unwrap();
        if let Some(m) = &from_peer {
            hub.sync_receive("peer", doc, m, true).unwrap();
        }
        if from_hub.is_none() && from_peer.is_none() {
            return;
        }
    }
    panic!("the exchange did not go quiet");
}

#[test]
fn a_change_withheld_in_one_session_is_sent_in_the_next_on_the_kept_connection() {
    let (_dh, mut hub, _dp, mut peer, o, doc) = hub_and_peer();
    session(&mut hub, &mut peer, &doc, false, false);
    assert_eq!(hub.doc_heads(&doc), peer.doc_heads(&doc));
    let mut newer = o.clone();
    newer.members = Some(42);
    hub.update(&newer).unwrap();

    // The peer may not receive the document this session: the change is withheld.
    session(&mut hub, &mut peer, &doc, true, true);
    assert_ne!(hub.doc_heads(&doc), peer.doc_heads(&doc), "nothing withheld leaked");

    // Allowed again, on the same connection.
    session(&mut hub, &mut peer, &doc, true, false);
    assert_eq!(peer.get::<Organization>(&o.id).unwrap().unwrap().members, Some(42), "the withheld change came");
    assert_eq!(hub.doc_heads(&doc), peer.doc_heads(&doc));
}

#[test]
fn a_session_cut_off_part_way_leaves_no_state_the_next_one_resumes() {
    let (_dh, mut hub, _dp, mut peer, o, doc) = hub_and_peer();
    session(&mut hub, &mut peer, &doc, false, false);
    let mut newer = o.clone();
    newer.members = Some(43);
    hub.update(&newer).unwrap();

    // The hub builds the message with the change, and the session is cut off
    // (`sync_once`'s 600 s net, or its caller gone) before the peer reads it:
    // at store level, no end of the exchange at all.
    hub.continue_sync("peer", &doc);
    peer.continue_sync("hub", &doc);
    let lost = hub.sync_generate("peer", &doc).unwrap();
    assert!(lost.is_some(), "the change was on its way");

    session(&mut hub, &mut peer, &doc, true, false);
    assert_eq!(peer.get::<Organization>(&o.id).unwrap().unwrap().members, Some(43), "the lost change came again");
    assert_eq!(hub.doc_heads(&doc), peer.doc_heads(&doc));
}

/// Two exchanges of one document with one peer open at once (the peer's
/// session served while this node's own session to it runs; found by
/// review): the clean end of one does not vouch for the state the other
/// left when it was cut off after building a change into a message.
#[test]
fn a_clean_end_of_one_exchange_does_not_vouch_for_another_open_on_the_same_document() {
    let (_dh, mut hub, _dp, mut peer, o, doc) = hub_and_peer();
    session(&mut hub, &mut peer, &doc, false, false);
    let mut newer = o.clone();
    newer.members = Some(44);
    hub.update(&newer).unwrap();

    // Y: the peer's session on the kept connection, served by the hub.
    hub.continue_sync("peer", &doc);
    peer.continue_sync("hub", &doc);
    // X: the hub's own session opens the document too, does a round, builds
    // the change into its next message and is cut off before sending it.
    hub.continue_sync("peer", &doc);
    let first = hub.sync_generate("peer", &doc).unwrap().expect("the hub's heads");
    peer.sync_receive("hub", &doc, &first, true).unwrap();
    let reply = peer.sync_generate("hub", &doc).unwrap().expect("the peer's heads");
    hub.sync_receive("peer", &doc, &reply, true).unwrap();
    let lost = hub.sync_generate("peer", &doc).unwrap();
    assert!(lost.is_some(), "the change was on its way");

    // Y goes quiet and ends clean on both sides.
    to_quiet(&mut hub, &mut peer, &doc, false);
    hub.end_sync("peer", &doc);
    peer.end_sync("hub", &doc);

    session(&mut hub, &mut peer, &doc, true, false);
    session(&mut hub, &mut peer, &doc, true, false);
    assert_eq!(peer.get::<Organization>(&o.id).unwrap().unwrap().members, Some(44), "the change cut off came");
    assert_eq!(hub.doc_heads(&doc), peer.doc_heads(&doc));
}

/// A cut-off exchange ended by its task's guard (`abandon_sync`, as a node
/// does when a session is dropped): the change it built still comes, and a
/// later clean session resumes as before.
#[test]
fn an_exchange_its_guard_abandoned_leaves_no_state_the_next_one_resumes() {
    let (_dh, mut hub, _dp, mut peer, o, doc) = hub_and_peer();
    session(&mut hub, &mut peer, &doc, false, false);
    let mut newer = o.clone();
    newer.members = Some(45);
    hub.update(&newer).unwrap();

    hub.continue_sync("peer", &doc);
    peer.continue_sync("hub", &doc);
    assert!(hub.sync_generate("peer", &doc).unwrap().is_some(), "the change was on its way");
    hub.abandon_sync("peer", &doc);
    peer.abandon_sync("hub", &doc);

    session(&mut hub, &mut peer, &doc, true, false);
    assert_eq!(peer.get::<Organization>(&o.id).unwrap().unwrap().members, Some(45), "the change cut off came");
    newer.members = Some(46);
    hub.update(&newer).unwrap();
    session(&mut hub, &mut peer, &doc, true, false);
    assert_eq!(peer.get::<Organization>(&o.id).unwrap().unwrap().members, Some(46));
    assert_eq!(hub.doc_heads(&doc), peer.doc_heads(&doc));
}
