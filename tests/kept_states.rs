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
    let mut quiet = false;
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
            quiet = true;
            break;
        }
    }
    assert!(quiet, "the exchange went quiet");
    hub.end_sync("peer", doc);
    peer.end_sync("hub", doc);
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

    // The hub builds the message with the change, and the round timeout aborts
    // the document's task before the peer reads it: no reset, no clean end.
    hub.continue_sync("peer", &doc);
    peer.continue_sync("hub", &doc);
    let lost = hub.sync_generate("peer", &doc).unwrap();
    assert!(lost.is_some(), "the change was on its way");

    session(&mut hub, &mut peer, &doc, true, false);
    assert_eq!(peer.get::<Organization>(&o.id).unwrap().unwrap().members, Some(43), "the lost change came again");
    assert_eq!(hub.doc_heads(&doc), peer.doc_heads(&doc));
}
