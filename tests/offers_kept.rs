//! A node keeps its offers to each peer between sessions (sync::offered):
//! every change that decides what a peer is offered takes effect at the
//! next session. A raw client reads the whole offers the node sends (it
//! proves holding no earlier copy), so a stale offer would show.

mod support;

use hubsync::domain::*;
use hubsync::store::DocId;
use hubsync::sync::transport::write_frame;
use hubsync::sync::{sync_once, Grant, Limits, Peers};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use support::*;

fn server() -> Side {
    start(Some(federation("锦江区联合会", "510104")), &["甲组织", "乙组织"], Limits::default())
}

/// One session's control exchange: the server's whole offers (document id
/// or authors list -> digest). The connection is closed after.
async fn offers_to(raw: &Raw, server: &Side) -> BTreeMap<String, String> {
    let conn = raw.connect(server).await.expect("admitted");
    let (mut send, mut recv) = conn.open_bi().await.unwrap();
    let intro = json!({"home": null, "join": null, "holds": null});
    write_frame(&mut send, &serde_json::to_vec(&intro).unwrap()).await.unwrap();
    let offers: Value = serde_json::from_slice(&read(&mut recv).await.unwrap()).unwrap();
    let ours = json!({"home": null, "docs": {"base": null, "set": {}, "removed": []}, "holds": null});
    write_frame(&mut send, &serde_json::to_vec(&ours).unwrap()).await.unwrap();
    send.finish().unwrap();
    // The server finishes its control stream once it has taken ours in.
    let _ = tokio::time::timeout(SAFETY, recv.read_to_end(64)).await;
    conn.close(0u32.into(), b"done");
    assert_eq!(offers["docs"]["base"], Value::Null, "whole offers");
    serde_json::from_value(offers["docs"]["set"].clone()).unwrap()
}

fn has(offers: &BTreeMap<String, String>, collection: Collection) -> bool {
    offers.keys().any(|k| DocId::parse(k).is_ok_and(|d| d.collection() == collection))
}

async fn roster(server: &Side) -> String {
    server.store.call(|s| s.doc_ids(Some(Collection::Orgs))[0].to_string()).await
}

async fn digest(server: &Side, doc: &str) -> String {
    let doc = DocId::parse(doc).unwrap();
    server.store.call(move |s| s.heads_digest(&doc).unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_revoked_between_sessions_is_no_longer_offered() {
    let a = server();
    let r = raw(&a);
    trust(&a, r.id, "R", Some(Grant::Read));
    let before = offers_to(&r, &a).await;
    assert!(has(&before, Collection::Orgs) && has(&before, Collection::People), "{before:?}");
    // `unshare`: the roster no longer, the people still.
    Peers::update(&a.node.dir, |p| {
        let r = p.find_mut("R")?;
        r.grants.clear();
        r.grants.insert("people".into(), Grant::Read);
        Ok(())
    })
    .unwrap();
    let after = offers_to(&r, &a).await;
    assert!(!has(&after, Collection::Orgs), "revoked at the next session: {after:?}");
    assert!(has(&after, Collection::People));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_removed_and_added_again_is_offered_only_its_new_grant() {
    let a = server();
    let r = raw(&a);
    trust(&a, r.id, "R", Some(Grant::Read));
    assert!(has(&offers_to(&r, &a).await, Collection::Orgs));
    Peers::update(&a.node.dir, |p| p.remove("R").map(|_| ())).unwrap();
    let refused = match r.connect(&a).await {
        Err(_) => true,
        Ok(conn) => support::control(&conn, None).await.is_err(),
    };
    assert!(refused, "a removed peer is refused");
    // Added again with people only: nothing kept from before its removal.
    Peers::update(&a.node.dir, |p| {
        p.add(r.id, "R", None)?;
        p.find_mut("R")?.grants.insert("people".into(), Grant::Read);
        Ok(())
    })
    .unwrap();
    let again = offers_to(&r, &a).await;
    assert!(!has(&again, Collection::Orgs) && has(&again, Collection::People), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_changed_by_a_third_peer_is_offered_with_its_new_heads() {
    let a = server();
    let r = raw(&a);
    trust(&a, r.id, "R", Some(Grant::Read));
    // A field laptop with write access, synced once: the peer list and the
    // certificates stay as they are from here on.
    let c = start(None, &[], Limits::default());
    trust(&a, c.node.identity.node_id, "C", Some(Grant::Write));
    knows(&c.node.dir, &a);
    Peers::update(&c.node.dir, |p| Ok(p.find_mut("S")?.grants.insert("*".into(), Grant::Write)).map(|_| ())).unwrap();
    let home = a.store.call(|s| s.home_id().cloned().unwrap()).await;
    c.store.call(move |s| s.set_home(&home)).await.unwrap();
    assert!(sync_once(&c.node, &[]).await.unwrap().remove(0).unwrap().errors.is_empty());
    let doc = roster(&a).await;
    let before = offers_to(&r, &a).await;
    assert_eq!(before[&doc], digest(&a, &doc).await);
    // It changes the roster through a session of its own.
    let mut o = orgs(&c).await.remove(0);
    o.members = Some(77);
    c.store.call(move |s| s.update(&o).map(|_| ())).await.unwrap();
    let s = sync_once(&c.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(s.errors.is_empty() && s.changes_out > 0, "{s:?}");
    let after = offers_to(&r, &a).await;
    assert_ne!(after[&doc], before[&doc], "the roster moved");
    assert_eq!(after[&doc], digest(&a, &doc).await, "offered with its heads now");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_home_changes_what_is_offered() {
    let a = server();
    let r = raw(&a);
    trust(&a, r.id, "R", Some(Grant::Read));
    let doc = roster(&a).await;
    assert!(offers_to(&r, &a).await.contains_key(&doc));
    // The node's home moves to another federation (a laptop that joins
    // another): "*" covers our own federation's documents only.
    a.store.call(|s| s.set_home(&RecordId::from("fed00000000000f2"))).await.unwrap();
    let after = offers_to(&r, &a).await;
    assert!(!after.contains_key(&doc), "{after:?}");
}

/// End to end, on the connection kept between sessions: after the roster is
/// unshared, an edit of it no longer reaches the peer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unshared_roster_stops_at_the_next_session_on_a_kept_connection() {
    let a = server();
    let b = start(None, &[], Limits::default());
    trust(&a, b.node.identity.node_id, "B", Some(Grant::Read));
    knows(&b.node.dir, &a);
    assert!(sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap().errors.is_empty());
    assert_eq!(orgs(&b).await.len(), 2);
    assert_eq!(b.node.connections_kept(), 1);
    Peers::update(&a.node.dir, |p| {
        let b = p.find_mut("B")?;
        b.grants.clear();
        b.grants.insert("people".into(), Grant::Read);
        Ok(())
    })
    .unwrap();
    let mut o = orgs(&a).await.remove(0);
    o.members = Some(91);
    a.store.call(move |s| s.update(&o).map(|_| ())).await.unwrap();
    let _ = sync_once(&b.node, &[]).await.unwrap();
    assert_eq!(b.node.connections_made(), 1, "the kept connection carried the session");
    assert!(orgs(&b).await.iter().all(|o| o.members != Some(91)), "the edit stayed home");
}
