//! A province's network on one machine: 1 province, its cities and 183
//! counties (205 nodes for 31,000 organizations), each node its own store
//! and daemon in this process, QUIC on loopback. Measures the initial
//! roll-up of every roster to the province (against one direct full sync
//! of the same data), the time from an edit in a county to its arrival at
//! the province with the daemons driven by events alone, bytes per hop and
//! memory per node. Figures: docs/PERFORMANCE.md.
//!
//!     cargo run --release --example province -- [ORGS] [EDITS]
//!
//! (ORGS defaults to 31000, EDITS to 40.)

mod net;

use hubsync::domain::demo::DemoData;
use hubsync::store::{dir_size, Store, StoreHandle};
use hubsync::sync::{sync_once, Grant, Node, Peers};
use net::Tier;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

const SAFETY: Duration = Duration::from_secs(1800);

/// Resident memory of this process in KiB (Linux; elsewhere unknown).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// One direct full sync of the same organizations: a node holding all of
/// them (one federation) to an empty peer.
async fn direct_full_sync(orgs: &[hubsync::domain::Organization]) -> (Duration, u64) {
    let (a, b) = (tempfile::TempDir::new().expect("temp"), tempfile::TempDir::new().expect("temp"));
    let mut store = Store::open(a.path()).expect("open");
    let fed = hubsync::domain::Federation {
        id: hubsync::domain::RecordId(hubsync::sync::authorship::founded_id(&store.signer().expect("id").node)),
        name: "四川省社区社会组织联合会".into(),
        level: hubsync::domain::Level::Province,
        division: "510000".into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    };
    store.init_federation(&fed).expect("init");
    store.set_durability(hubsync::store::Durability::Deferred);
    for chunk in orgs.chunks(5000) {
        store.insert_many(chunk).expect("insert");
    }
    store.set_durability(hubsync::store::Durability::Flush);
    let server = Arc::new(
        Node::start(a.path().to_path_buf(), StoreHandle::spawn(store), "127.0.0.1:0".parse().expect("addr"))
            .expect("node"),
    );
    let client = Node::start(
        b.path().to_path_buf(),
        StoreHandle::spawn(Store::open(b.path()).expect("open")),
        "127.0.0.1:0".parse().expect("addr"),
    )
    .expect("node");
    Peers::update(a.path(), |p| {
        p.add(client.identity.node_id, "省", None)?;
        p.find_mut("省")?.grants.insert("orgs".into(), Grant::Read);
        Ok(())
    })
    .expect("peers");
    Peers::update(b.path(), |p| p.add(server.identity.node_id, "源", Some(server.local_addr()?.to_string())))
        .expect("peers");
    let s = server.clone();
    tokio::spawn(async move { s.serve().await });
    let started = Instant::now();
    let summary = sync_once(&client, &[]).await.expect("sync").remove(0).expect("session");
    assert!(summary.errors.is_empty(), "{summary:?}");
    let took = started.elapsed();
    assert_eq!(net::org_count(&client.store).await, orgs.len());
    (took, summary.bytes_in + summary.bytes_out)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let orgs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(31_000);
    let edits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(40);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async move {
        let data = DemoData::generate(2021, orgs).orgs;
        let all = data.clone();
        let rss0 = rss_kib();
        let started = Instant::now();
        let network = net::build(net::counties(data), net::Timing::default()).await;
        let built = started.elapsed();
        let rss1 = rss_kib();
        let (cities, counties) = (network.indices(Tier::City), network.indices(Tier::County));
        println!(
            "network: 1 province, {} cities, {} counties = {} nodes, {} organizations; built and loaded in {:.1} s",
            cities.len(),
            counties.len(),
            network.nodes.len(),
            network.orgs,
            built.as_secs_f64()
        );

        let (sessions, refused, rolled) = network.roll_up(SAFETY).await;
        let up1: u64 = sessions.iter().map(|s| s.bytes_out + s.bytes_in).sum();
        let up2: u64 = cities.iter().map(|i| {
            let n = &network.nodes[*i];
            n.bytes_out.load(Ordering::Relaxed) + n.bytes_in.load(Ordering::Relaxed)
        }).sum();
        let relay_sessions: u64 = cities.iter().map(|i| network.nodes[*i].sessions.load(Ordering::Relaxed)).sum();
        let rss2 = rss_kib();
        // Every node holds only its own federation and those below it.
        for (i, n) in network.nodes.iter().enumerate() {
            let held: std::collections::BTreeSet<String> =
                n.store.call(|s| s.doc_ids(None).into_iter().map(|d| d.federation().0).collect()).await;
            let allowed = network.nodes.iter().enumerate().filter(|(j, m)| {
                let mut up = Some(*j);
                while let Some(u) = up {
                    if u == i {
                        return true;
                    }
                    up = network.nodes[u].above;
                }
                let _ = m;
                false
            }).map(|(_, m)| m.fed.id.0.clone()).collect();
            assert_eq!(held, allowed, "{} holds a document it was not given", n.fed.name);
        }
        let (direct, direct_bytes) = direct_full_sync(&all).await;
        println!(
            "initial roll-up to the province: {:.2} s ({} county→city sessions, {} refused by a busy hub and retried, {} city→province relay sessions); one direct full sync of the same data: {:.2} s; ratio {:.2}",
            rolled.as_secs_f64(),
            sessions.len(),
            refused,
            relay_sessions,
            direct.as_secs_f64(),
            rolled.as_secs_f64() / direct.as_secs_f64()
        );
        println!(
            "bytes in the roll-up: county→city {:.1} MiB, city→province {:.1} MiB; direct full sync {:.1} MiB",
            up1 as f64 / 1048576.0,
            up2 as f64 / 1048576.0,
            direct_bytes as f64 / 1048576.0
        );

        // Edits spread over the counties, one at a time.
        let before: Vec<(u64, u64)> = network.nodes.iter().map(|n| {
            (n.bytes_out.load(Ordering::Relaxed) + n.bytes_in.load(Ordering::Relaxed), n.sessions.load(Ordering::Relaxed))
        }).collect();
        let mut times = Vec::new();
        for e in 0..edits {
            let i = counties[(e * 37) % counties.len()];
            times.push(network.propagate(i, &format!("负责人{e}"), Duration::from_secs(60)).await);
        }
        times.sort();
        let hop = |tier: Tier| -> (f64, u64) {
            let idx = network.indices(tier);
            let bytes: u64 = idx.iter().map(|i| {
                let n = &network.nodes[*i];
                n.bytes_out.load(Ordering::Relaxed) + n.bytes_in.load(Ordering::Relaxed) - before[*i].0
            }).sum();
            let sessions: u64 = idx.iter().map(|i| network.nodes[*i].sessions.load(Ordering::Relaxed) - before[*i].1).sum();
            (bytes as f64 / edits as f64, sessions)
        };
        let (county_bytes, county_sessions) = hop(Tier::County);
        let (city_bytes, city_sessions) = hop(Tier::City);
        println!(
            "county edit → province ({edits} edits, event-driven): median {:.0} ms, p90 {:.0} ms, max {:.0} ms",
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            percentile(&times, 0.9).as_secs_f64() * 1000.0,
            times.last().expect("edits").as_secs_f64() * 1000.0
        );
        println!(
            "bytes per edit: county→city hop {county_bytes:.0} ({county_sessions} sessions), city→province hop {city_bytes:.0} ({city_sessions} sessions)"
        );
        let disk = |tier: Tier| -> f64 {
            let idx = network.indices(tier);
            idx.iter().map(|i| dir_size(network.nodes[*i].dir.path())).sum::<u64>() as f64 / idx.len() as f64 / 1048576.0
        };
        if let (Some(r0), Some(r1), Some(r2)) = (rss0, rss1, rss2) {
            println!(
                "memory: {:.0} MiB for {} running nodes after loading ({:.2} MiB per node), {:.0} MiB after the roll-up ({:.2} MiB per node)",
                mib(r1 - r0),
                network.nodes.len(),
                mib(r1 - r0) / network.nodes.len() as f64,
                mib(r2 - r0),
                mib(r2 - r0) / network.nodes.len() as f64
            );
        }
        println!(
            "disk per node: province {:.1} MiB, city {:.2} MiB, county {:.2} MiB",
            disk(Tier::Province),
            disk(Tier::City),
            disk(Tier::County)
        );
    });
}
