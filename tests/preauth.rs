//! Before authentication: what a connection that has not proved who it is
//! can make a node spend. Handshakes that never finish, strangers admitted
//! to TLS by an open invitation who then say nothing (each with a fresh
//! node id), and oversized control frames, all while an honest peer syncs.

mod support;

use hubsync::domain::*;
use hubsync::sync::{Grant, Limits};
use std::net::SocketAddr;
use std::time::Duration;
use support::*;

/// A UDP relay that passes a client's packets on to the server and drops
/// every answer: the server's side of each handshake through it never
/// finishes, and no Retry it sends is ever answered.
async fn blackhole(server: SocketAddr) -> SocketAddr {
    let front = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let back = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    back.connect(server).await.unwrap();
    let addr = front.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65536];
        while let Ok((n, _)) = front.recv_from(&mut buf).await {
            let _ = back.send(&buf[..n]).await;
        }
    });
    addr
}

fn tight(read_ms: u64) -> Limits {
    Limits {
        max_handshakes: 8,
        max_strangers: 4,
        max_sessions: 8,
        max_sessions_per_node: 4,
        handshake_timeout: Duration::from_millis(1500),
        ..limits(read_ms)
    }
}

fn open_invitation(v: &Side) -> String {
    let addr = v.node.local_addr().unwrap().to_string();
    let grants = [("orgs".to_string(), Grant::Read)].into();
    let code =
        hubsync::sync::invite::create(&v.node.dir, v.node.identity.node_id, &addr, grants, 24, now(&v.node)).unwrap();
    hubsync::sync::invite::decode(&code).unwrap().secret
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_finishing_handshakes_and_silent_strangers_do_not_keep_an_honest_peer_out() {
    let v = start(Some(federation("锦江区联合会", "510104")), &["甲组织", "乙组织"], tight(30_000));
    let before = snapshot(&v).await;
    let secret = open_invitation(&v);

    // 40 handshakes whose answers go nowhere (a spoofed or vanished source).
    let relay = blackhole(v.node.local_addr().unwrap()).await;
    let flood = raw(&v);
    let pending: Vec<quinn::Connecting> = (0..40).map(|_| flood.endpoint.connect(relay, "hubsync").unwrap()).collect();
    // 20 strangers, each a fresh node id, admitted to TLS by the open
    // invitation, who never send their Intro.
    let strangers: Vec<Raw> = (0..20).map(|_| raw(&v)).collect();
    let mut silent = Vec::new();
    for s in &strangers {
        if let Ok(conn) = s.connect(&v).await {
            silent.push(conn);
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let open = silent.iter().filter(|c| c.close_reason().is_none()).count();
    assert!(open <= 4, "{open} silent strangers held at once; the cap is 4");

    honest_sync(&v).await;

    // The silent ones are cut off at the handshake timeout, and then a real
    // joiner with the secret gets in.
    for conn in &silent {
        closed_by_server(conn).await;
    }
    let joiner = raw(&v);
    let conn = joiner.connect(&v).await.unwrap();
    control_joining(&conn, None, Some((&secret, "培训笔记本"))).await.expect("the real joiner is admitted");
    conn.close(0u32.into(), b"done");
    drop(pending);
    assert_eq!(snapshot(&v).await.1, before.1);
    honest_sync(&v).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_control_frames_are_refused_on_their_header() {
    let v = start(Some(federation("锦江区联合会", "510104")), &["甲组织"], tight(1000));
    let known = raw(&v);
    trust(&v, known.id, "K", Some(Grant::Write));
    let doc = v.store.call(|s| s.doc_ids(Some(Collection::Orgs))[0].to_string()).await;
    let before = snapshot(&v).await;
    // An Intro of 1 MiB (a sync message may be 64 MiB; an Intro is a few
    // hundred bytes): refused on the header, not waited for.
    let conn = known.connect(&v).await.unwrap();
    let (mut send, _recv) = conn.open_bi().await.unwrap();
    send.write_all(&(1u32 << 20).to_be_bytes()).await.unwrap();
    closed_by_server(&conn).await;
    let error = recorded_error(&v.node.dir, "K").await;
    assert!(error.contains("limit") && error.contains("Intro"), "{error}");

    // The same from a stranger during an open invitation.
    open_invitation(&v);
    let stranger = raw(&v);
    let conn = stranger.connect(&v).await.unwrap();
    let (mut send, _recv) = conn.open_bi().await.unwrap();
    send.write_all(&(1u32 << 20).to_be_bytes()).await.unwrap();
    closed_by_server(&conn).await;

    // A document stream's first frame names a document: 64 KiB is no name.
    let conn = known.connect(&v).await.unwrap();
    control(&conn, None).await.unwrap();
    let (mut send, mut recv) = conn.open_bi().await.unwrap();
    send.write_all(&(64u32 << 10).to_be_bytes()).await.unwrap();
    assert!(read(&mut recv).await.is_err(), "the stream ends without a reply");
    closed_by_server(&conn).await;

    // Sync messages keep their limit: a writer's real push still works.
    let conn = known.connect(&v).await.unwrap();
    control(&conn, None).await.unwrap();
    let mut copy = automerge::AutoCommit::new();
    push(&conn, &doc, &mut copy).await.unwrap();
    conn.close(0u32.into(), b"done");
    assert_eq!(snapshot(&v).await, before);
    honest_sync(&v).await;
}
