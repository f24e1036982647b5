//! A province's hub network on one machine: one node per federation, each
//! its own data directory, store and daemon (QUIC on loopback), linked the
//! way federations report upwards: every county shares `tree:orgs` read-only
//! with its city, every city with the province. Only the daemons' events
//! move changes on (the timers are set to an hour), so what arrives shows
//! the event-driven relay. Used by `examples/province` (205 nodes, 31,000
//! organizations) and `tests/province.rs` (1 + 2 + 4).
#![allow(dead_code)] // the test and the example use different parts

use hubsync::domain::*;
use hubsync::store::{Durability, Store, StoreEvent, StoreHandle};
use hubsync::sync::authorship::founded_id;
use hubsync::sync::{Daemon, DaemonConfig, Grant, Peers, Summary};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// One county's organizations.
pub struct County {
    pub code: String,
    pub name: String,
    pub orgs: Vec<Organization>,
}

/// The demo's organizations grouped by county (the first six digits of
/// their division), in code order.
pub fn counties(orgs: Vec<Organization>) -> Vec<County> {
    let mut by: BTreeMap<String, Vec<Organization>> = BTreeMap::new();
    for o in orgs {
        by.entry(o.division[..6].to_string()).or_default().push(o);
    }
    by.into_iter()
        .map(|(code, orgs)| {
            let name = divisions::county_name(&code).map_or_else(|| format!("{code}县"), str::to_string);
            County { code, name: format!("{name}社区社会组织联合会"), orgs }
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Province,
    City,
    County,
}

pub struct SimNode {
    pub dir: TempDir,
    pub daemon: Daemon,
    pub store: StoreHandle,
    pub fed: Federation,
    pub tier: Tier,
    /// Index of the node it reports to.
    pub above: Option<usize>,
    /// Bytes this node sent and received in rounds it started by itself
    /// (relays, local edits), and how many sessions.
    pub bytes_out: Arc<AtomicU64>,
    pub bytes_in: Arc<AtomicU64>,
    pub sessions: Arc<AtomicU64>,
}

pub struct Network {
    /// The province first, then the cities, then the counties.
    pub nodes: Vec<SimNode>,
    pub orgs: usize,
}

#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Wait after a local edit (DaemonConfig::settle).
    pub settle: Duration,
    /// Wait before passing received changes on (DaemonConfig::relay_settle).
    pub relay_settle: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        let d = DaemonConfig::new("127.0.0.1:0".parse().expect("addr"));
        Timing { settle: d.settle, relay_settle: d.relay_settle }
    }
}

/// A node for `fed` holding `orgs`, its daemon running.
fn start(fed_name: &str, level: Level, division: &str, orgs: &[Organization], timing: Timing) -> (SimNode, usize) {
    let dir = TempDir::new().expect("temp dir");
    let mut store = Store::open(dir.path()).expect("open store");
    let id = RecordId(founded_id(&store.signer().expect("identity").node));
    let fed = Federation {
        id,
        name: fed_name.into(),
        level,
        division: division.into(),
        parent: String::new(),
        contact_name: String::new(),
        contact_phone: String::new(),
    };
    store.init_federation(&fed).expect("init");
    store.set_durability(Durability::Deferred);
    for chunk in orgs.chunks(5000) {
        store.insert_many(chunk).expect("insert orgs");
    }
    store.set_durability(Durability::Flush);
    store.flush().expect("flush");
    let store = StoreHandle::spawn(store);
    let mut config = DaemonConfig::new("127.0.0.1:0".parse().expect("addr"));
    // Only events move changes: a timer round would hide a missing relay.
    config.interval = Duration::from_secs(3600);
    config.settle = timing.settle;
    config.relay_settle = timing.relay_settle;
    let daemon = Daemon::start(dir.path().to_path_buf(), store.clone(), config).expect("daemon");
    let (bytes_out, bytes_in, sessions) = Default::default();
    let node = SimNode { dir, daemon, store, fed, tier: Tier::County, above: None, bytes_out, bytes_in, sessions };
    count_rounds(&node);
    (node, orgs.len())
}

/// Adds up the bytes of the rounds a node starts by itself.
fn count_rounds(node: &SimNode) {
    let mut rounds = node.daemon.rounds();
    let (out, inn, n) = (node.bytes_out.clone(), node.bytes_in.clone(), node.sessions.clone());
    tokio::spawn(async move {
        while let Ok(round) = rounds.recv().await {
            for s in round.iter().flatten() {
                add(s, &out, &inn, &n);
            }
        }
    });
}

fn add(s: &Summary, out: &AtomicU64, inn: &AtomicU64, n: &AtomicU64) {
    out.fetch_add(s.bytes_out, Ordering::Relaxed);
    inn.fetch_add(s.bytes_in, Ordering::Relaxed);
    n.fetch_add(1, Ordering::Relaxed);
}

/// `child` reports to `parent`: it knows the parent's address and shares
/// its federation and everything below it (`tree:orgs`) read-only.
fn link(child: &SimNode, parent: &SimNode) {
    let (c, p) = (child.daemon.node.identity.node_id, parent.daemon.node.identity.node_id);
    let addr = parent.daemon.node.local_addr().expect("addr").to_string();
    Peers::update(&child.daemon.node.dir, |peers| {
        peers.add(p, &parent.fed.name, Some(addr))?;
        peers.find_mut(&p.to_string())?.grants.insert("tree:orgs".into(), Grant::Read);
        Ok(())
    })
    .expect("link child");
    Peers::update(&parent.daemon.node.dir, |peers| peers.add(c, &child.fed.name, None)).expect("link parent");
}

/// The province, one city per city code of the counties, and the counties.
pub async fn build(counties: Vec<County>, timing: Timing) -> Network {
    let mut nodes = Vec::new();
    let (province, _) = start("四川省社区社会组织联合会", Level::Province, "510000", &[], timing);
    nodes.push(SimNode { tier: Tier::Province, ..province });
    let mut cities: BTreeMap<String, usize> = BTreeMap::new();
    for c in &counties {
        let code = format!("{}00", &c.code[..4]);
        if cities.contains_key(&code) {
            continue;
        }
        let city_name = divisions::prefecture_name(&code).map_or_else(|| format!("{code}市"), str::to_string);
        let (city, _) = start(&format!("{city_name}社区社会组织联合会"), Level::City, &code, &[], timing);
        link(&city, &nodes[0]);
        cities.insert(code, nodes.len());
        nodes.push(SimNode { tier: Tier::City, above: Some(0), ..city });
    }
    let mut orgs = 0;
    for c in counties {
        let city = cities[&format!("{}00", &c.code[..4])];
        let (county, n) = start(&c.name, Level::County, &c.code, &c.orgs, timing);
        orgs += n;
        link(&county, &nodes[city]);
        nodes.push(SimNode { above: Some(city), ..county });
    }
    Network { nodes, orgs }
}

impl Network {
    pub fn indices(&self, tier: Tier) -> Vec<usize> {
        (0..self.nodes.len()).filter(|i| self.nodes[*i].tier == tier).collect()
    }

    /// Every county sends its roster up at once (one `sync now` each);
    /// the cities pass them on by themselves. A hub serves at most
    /// `Limits::max_sessions` (32) sessions at once and refuses more: a
    /// refused county tries again after a moment, as its timer would.
    /// Returns the counties' sessions (county → city hop), how many were
    /// refused and retried, and the time until the province holds every
    /// organization.
    pub async fn roll_up(&self, safety: Duration) -> (Vec<Summary>, usize, Duration) {
        let started = Instant::now();
        let sends = self.indices(Tier::County).into_iter().map(|i| {
            let node = &self.nodes[i];
            async move {
                let mut refused = 0;
                loop {
                    match node.daemon.sync_now().await.expect("round").remove(0) {
                        Ok(s) => return (s, refused),
                        Err(e) if refused < 50 && started.elapsed() < safety => {
                            refused += 1;
                            tracing::debug!("{}: {e:#}; again", node.fed.name);
                            tokio::time::sleep(Duration::from_millis(200 + 37 * (refused as u64 % 7))).await;
                        }
                        Err(e) => panic!("{}: {e:#}", node.fed.name),
                    }
                }
            }
        });
        let results = futures::future::join_all(sends).await;
        let refused = results.iter().map(|(_, r)| r).sum();
        let sessions: Vec<Summary> = results.into_iter().map(|(s, _)| s).collect();
        for s in &sessions {
            assert!(s.errors.is_empty(), "{s:?}");
        }
        let province = &self.nodes[0];
        while org_count(&province.store).await < self.orgs {
            assert!(started.elapsed() < safety, "the province did not receive every organization in time");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        (sessions, refused, started.elapsed())
    }

    /// Edits one organization of county `i` and waits until the province
    /// holds the edit; the time it took.
    pub async fn propagate(&self, i: usize, mark: &str, safety: Duration) -> Duration {
        let county = &self.nodes[i];
        let province = &self.nodes[0];
        let mut events = province.store.subscribe();
        let mut org = county.store.call(|s| s.all::<Organization>().expect("orgs")).await.remove(0);
        org.head_name = mark.to_string();
        let (id, doc_of) = (org.id.clone(), org.clone());
        let started = Instant::now();
        county.store.call(move |s| s.update(&doc_of).map(|_| ())).await.expect("edit");
        loop {
            let arrived = {
                let id = id.clone();
                province.store.call(move |s| s.get::<Organization>(&id).ok().flatten().map(|o| o.head_name)).await
            };
            if arrived.as_deref() == Some(mark) {
                return started.elapsed();
            }
            match tokio::time::timeout_at((started + safety).into(), events.recv()).await {
                Ok(Ok(StoreEvent::Changed { .. })) | Ok(Err(_)) => {}
                Err(_) => panic!("the edit in {} did not reach the province", county.fed.name),
            }
        }
    }
}

/// Organizations a node holds (of every federation).
pub async fn org_count(store: &StoreHandle) -> usize {
    store.call(|s| s.doc_ids(Some(Collection::Orgs)).iter().map(|d| s.record_count(d)).sum::<usize>()).await
}
