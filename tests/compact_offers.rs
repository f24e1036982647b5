//! Offers in the compact binary form (src/sync/compact.rs): used only when
//! both sides read it, so a node built before (JSON only) syncs as it did;
//! a damaged compact frame from a peer is refused with an error naming it.

mod support;

use hubsync::sync::transport::write_frame;
use hubsync::sync::{sync_once, Grant, Limits, Node, Summary};
use serde_json::{json, Value};
use support::*;

/// First byte of a compact offers frame (`compact::TAG`).
const COMPACT: u8 = 0xC1;

fn pair() -> (Side, Side) {
    let a = start(Some(federation("锦江区联合会", "510104")), &["甲组织", "乙组织", "丙组织"], Limits::default());
    let b = start(None, &[], Limits::default());
    trust(&a, b.node.identity.node_id, "B", Some(Grant::Write));
    knows(&b.node.dir, &a);
    (a, b)
}

async fn round(b: &Side) -> Summary {
    let s = sync_once(&b.node, &[]).await.unwrap().remove(0).unwrap();
    assert!(s.errors.is_empty(), "{s:?}");
    s
}

/// `b`'s node as after a restart that lost what it remembered of `a`'s
/// offers (a damaged hint reads as none): its next session with `a` sends
/// and receives the whole offers.
async fn restarted_forgetting(b: &Side, a: &Side) -> Node {
    let key = format!("offers:{}", hex::encode(a.node.identity.node_id.0));
    b.store.call(move |s| s.put_hint(&key, b"lost")).await.unwrap();
    Node::start(b.dir.path().to_path_buf(), b.store.clone(), "127.0.0.1:0".parse().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_that_read_either_form_sync_both_ways_with_each_other() {
    for (a_compact, b_compact) in [(true, true), (true, false), (false, true), (false, false)] {
        let (a, b) = pair();
        a.node.compact_offers(a_compact);
        b.node.compact_offers(b_compact);
        let case = format!("server compact {a_compact}, client compact {b_compact}");
        round(&b).await;
        assert_eq!(orgs(&b).await.len(), 3, "{case}");
        set_members(&a, "甲组织", 30).await;
        set_members(&b, "乙组织", 12).await;
        round(&b).await;
        assert_eq!(members(&b, "甲组织").await, Some(30), "{case}: the edit came in");
        assert_eq!(members(&a, "乙组织").await, Some(12), "{case}: and went up");
        // The laptop restarted with its memory of the offers lost: the whole
        // offers travel both ways, and an edit still comes in.
        let b2 = restarted_forgetting(&b, &a).await;
        b2.compact_offers(b_compact);
        set_members(&a, "丙组织", 7).await;
        let s = sync_once(&b2, &[]).await.unwrap().remove(0).unwrap();
        assert!(s.errors.is_empty() && s.synced == 1, "{case}: {s:?}");
        assert_eq!(members(&b, "丙组织").await, Some(7), "{case}");
    }
}

/// The whole offers, both ways, when the two sides already hold the same
/// documents (a second session after the memories were lost): smaller in
/// the compact form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_offers_are_smaller_in_the_compact_form() {
    let mut bytes = Vec::new();
    for compact in [false, true] {
        let (a, b) = pair();
        b.node.compact_offers(compact);
        round(&b).await;
        let b2 = restarted_forgetting(&b, &a).await;
        b2.compact_offers(compact);
        let s = sync_once(&b2, &[]).await.unwrap().remove(0).unwrap();
        assert!(s.errors.is_empty() && s.synced == 0, "nothing differs: {s:?}");
        bytes.push(s.bytes_in + s.bytes_out);
    }
    // Three organizations make few documents, and the authors lists (JSON in
    // either form) are most of it: the bench measures a province's offers.
    assert!(bytes[1] < bytes[0], "compact {} bytes against JSON {}", bytes[1], bytes[0]);
}

/// A raw client: what the server answers to an Intro that does or does not
/// announce the compact form, and what it does with a damaged one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_compact_only_to_a_peer_that_reads_it_and_refuses_a_damaged_frame() {
    let a = pair().0;
    let r = raw(&a);
    trust(&a, r.id, "R", Some(Grant::Read));
    for (intro, compact) in [(json!({"home": null}), false), (json!({"home": null, "compact": 1}), true)] {
        let conn = r.connect(&a).await.unwrap();
        let (mut send, mut recv) = conn.open_bi().await.unwrap();
        write_frame(&mut send, &serde_json::to_vec(&intro).unwrap()).await.unwrap();
        let offers = read(&mut recv).await.unwrap();
        assert_eq!(offers[0] == COMPACT, compact, "{intro}");
        if !compact {
            let v: Value = serde_json::from_slice(&offers).unwrap();
            assert!(v["docs"]["set"].as_object().is_some_and(|s| !s.is_empty()), "{v}");
            conn.close(0u32.into(), b"done");
            continue;
        }
        // Our offers: the tag and bytes that end before the first field does.
        write_frame(&mut send, &[COMPACT, 1]).await.unwrap();
        let _ = send.finish();
        closed_by_server(&conn).await;
        let error = recorded_error(&a.node.dir, "R").await;
        assert!(error.contains("malformed compact offers"), "{error}");
    }
    honest_sync(&a).await;
}
