//! Sync over QUIC on loopback between two nodes, against the in-memory bound.

use crate::measure::Table;
use crate::sections::{copy_dir, Fixture};
use hubsync::store::{Store, StoreHandle};
use hubsync::sync::{Grant, Node, Peers};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

struct Pair {
    _dirs: (TempDir, TempDir),
    server: Arc<Node>,
    client: Node,
}

/// A serves a copy of the fixture with write access for B; B starts empty.
async fn pair(f: &Fixture) -> Pair {
    let (a_dir, b_dir) = (TempDir::new().expect("temp"), TempDir::new().expect("temp"));
    copy_dir(f.dir.path(), a_dir.path());
    let a = StoreHandle::spawn(Store::open(a_dir.path()).expect("open"));
    let b = StoreHandle::spawn(Store::open(b_dir.path()).expect("open"));
    let server =
        Arc::new(Node::start(a_dir.path().to_path_buf(), a, "127.0.0.1:0".parse().expect("addr")).expect("node"));
    let client = Node::start(b_dir.path().to_path_buf(), b, "127.0.0.1:0".parse().expect("addr")).expect("node");
    let mut pa = Peers::load(a_dir.path()).expect("peers");
    pa.add(client.identity.node_id, "B", None).expect("add");
    pa.find_mut("B").expect("B").grants.insert("*".into(), Grant::Write);
    pa.save(a_dir.path()).expect("save");
    let mut pb = Peers::load(b_dir.path()).expect("peers");
    pb.add(server.identity.node_id, "A", Some(server.local_addr().expect("addr").to_string())).expect("add");
    pb.save(b_dir.path()).expect("save");
    let s = server.clone();
    tokio::spawn(async move { s.serve().await });
    Pair { _dirs: (a_dir, b_dir), server, client }
}

pub fn sync_over_quic(f: &Fixture, runs: usize, table: &mut Table) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        let mut full = Vec::new();
        let mut last = None;
        for _ in 0..runs.min(3) {
            let p = pair(f).await;
            let (s, t) = timed_async(|| async {
                hubsync::sync::sync_once(&p.client, &[]).await.expect("sync").remove(0).expect("summary")
            })
            .await;
            assert!(s.errors.is_empty(), "{s:?}");
            full.push(t);
            last = Some(p);
        }
        table.time(
            f.orgs,
            "full initial sync to an empty peer over QUIC (loopback)",
            &full,
            "compare: full sync, bare Automerge in memory".into(),
        );
        let p = last.expect("a pair");
        // One field edited, then synced: on a fresh connection per session
        // (the protocol before kept connections), on the connection kept from
        // the session before with the sync states of that session dropped
        // (as before), kept with them (`Node::keep_sync_states`), and with
        // documents ending quietly too (`Node::quiet_ends`), interleaved.
        // Edited on the serving side (the change comes in) and on the
        // connecting side (it goes out, as a county's edit to its hub).
        let mut org = f.records[11].clone();
        let mut edits = 0u32;
        for pull in [true, false] {
            let mut times: [Vec<Duration>; 4] = Default::default();
            let mut bytes = [0u64; 4];
            for _ in 0..runs.max(5) * 4 {
                for (mode, times) in times.iter_mut().enumerate() {
                    p.client.keep_connections(mode > 0);
                    p.client.keep_sync_states(mode >= 2);
                    p.server.keep_sync_states(mode >= 2);
                    p.client.quiet_ends(mode == 3);
                    p.server.quiet_ends(mode == 3);
                    if mode > 0 {
                        // Not timed: this session makes the connection (and, with
                        // states kept, the states) that the next one keeps.
                        once(&p.client).await;
                    }
                    edits += 1;
                    org.members = Some(300 + edits);
                    let (o, side) = (org.clone(), if pull { &p.server.store } else { &p.client.store });
                    side.call(move |s| s.update(&o).map(|_| ())).await.expect("update");
                    let (s, t) = timed_async(|| once(&p.client)).await;
                    assert_eq!(s.synced, 1, "{s:?}");
                    bytes[mode] = s.bytes_in + s.bytes_out;
                    times.push(t);
                }
            }
            let way = if pull { "" } else { ", edit on the connecting side" };
            let ratio = |i: usize| median(&times[i]) / median(&times[0]);
            table.time(
                f.orgs,
                &format!("one-field incremental sync over QUIC{way} (connect, offers, one document)"),
                &times[0],
                format!("{} bytes both ways incl. offers; target < 5 ms, < 2 KB", bytes[0]),
            );
            table.time(
                f.orgs,
                &format!("one-field incremental sync over QUIC{way}, connection kept, sync states from disk (before)"),
                &times[1],
                format!("{:.2}x the fresh row, same run, interleaved; {} bytes", ratio(1), bytes[1]),
            );
            table.time(
                f.orgs,
                &format!("one-field incremental sync over QUIC{way}, connection and sync states kept (before)"),
                &times[2],
                format!(
                    "{:.2}x the fresh row, {:.2}x the row above; {} bytes",
                    ratio(2),
                    median(&times[2]) / median(&times[1]),
                    bytes[2]
                ),
            );
            table.time(
                f.orgs,
                &format!("one-field incremental sync over QUIC{way}, connection and states kept, quiet ends"),
                &times[3],
                format!(
                    "{:.2}x the fresh row, {:.2}x the row above; {} bytes; target < 2 ms",
                    ratio(3),
                    median(&times[3]) / median(&times[2]),
                    bytes[3]
                ),
            );
        }
        p.client.keep_sync_states(true);
        p.server.keep_sync_states(true);
        p.client.quiet_ends(true);
        p.server.quiet_ends(true);
        let (mut fresh, mut kept) = (Vec::new(), Vec::new());
        let mut recon_bytes = 0;
        // As many as the one-field rows: five samples' medians moved by a
        // third between runs.
        for _ in 0..runs.max(5) * 4 {
            for keep in [false, true] {
                p.client.keep_connections(keep);
                if keep {
                    once(&p.client).await;
                }
                let (s, t) = timed_async(|| once(&p.client)).await;
                recon_bytes = s.bytes_in + s.bytes_out;
                assert_eq!(s.synced, 0);
                if keep {
                    kept.push(t)
                } else {
                    fresh.push(t)
                }
            }
        }
        let ratio = median(&kept) / median(&fresh);
        table.time(
            f.orgs,
            "reconnect with nothing changed over QUIC (one round of offers)",
            &fresh,
            format!("{recon_bytes} bytes both ways; target < 20 KB"),
        );
        table.time(
            f.orgs,
            "nothing changed over QUIC, connection kept from the last session",
            &kept,
            format!("{ratio:.2}x the row above, same run, interleaved"),
        );
        whole_offers(&p, f.orgs, runs, table).await;
    });
}

/// The whole offers both ways, nothing else differing: the connecting node
/// restarted having lost what it remembered of the server's offers (a
/// damaged hint reads as none), so each side sends every document's digest.
/// As JSON (a node built before) and in the compact form, interleaved.
async fn whole_offers(p: &Pair, orgs: usize, runs: usize, table: &mut Table) {
    let key = format!("offers:{}", hex::encode(p.server.identity.node_id.0));
    let mut times: [Vec<Duration>; 2] = Default::default();
    let mut bytes = [0u64; 2];
    for _ in 0..runs.max(5) * 2 {
        for (compact, times) in times.iter_mut().enumerate() {
            let key = key.clone();
            p.client.store.call(move |s| s.put_hint(&key, b"lost")).await.expect("hint");
            let restarted =
                Node::start(p.client.dir.clone(), p.client.store.clone(), "127.0.0.1:0".parse().expect("addr"))
                    .expect("node");
            restarted.compact_offers(compact == 1);
            let (s, t) = timed_async(|| once(&restarted)).await;
            assert_eq!(s.synced, 0, "{s:?}");
            bytes[compact] = s.bytes_in + s.bytes_out;
            times.push(t);
        }
    }
    table.time(
        orgs,
        "whole offers both ways over QUIC, as JSON (a peer that lost its memory of them)",
        &times[0],
        format!("{} bytes both ways, nothing else differing", bytes[0]),
    );
    table.time(
        orgs,
        "the same, offers in the compact form",
        &times[1],
        format!(
            "{} bytes ({:.2}x); {:.2}x the time, same run, interleaved",
            bytes[1],
            bytes[1] as f64 / bytes[0] as f64,
            median(&times[1]) / median(&times[0])
        ),
    );
}

/// One session with every peer (the server), its summary.
async fn once(client: &Node) -> hubsync::sync::Summary {
    let s = hubsync::sync::sync_once(client, &[]).await.expect("sync").remove(0).expect("summary");
    assert!(s.errors.is_empty(), "{s:?}");
    s
}

fn median(times: &[Duration]) -> f64 {
    let mut v: Vec<f64> = times.iter().map(|t| t.as_secs_f64()).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

async fn timed_async<F, Fut, T>(f: F) -> (T, Duration)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let t = std::time::Instant::now();
    let out = f().await;
    (out, t.elapsed())
}
