//! A running node (the daemon `serve` and the terminal UI run): an edit on
//! one node reaches the other with nobody pressing "sync", arriving as a
//! store event from the peer, and the status says what happened.

use hubsync::domain::*;
use hubsync::store::{Origin, Store, StoreEvent, StoreHandle};
use hubsync::sync::{Daemon, DaemonConfig, Grant, NodeStatus, Peers};
use std::time::Duration;
use tempfile::TempDir;

mod support;
use support::federation;

struct Running {
    _dir: TempDir,
    daemon: Daemon,
    store: StoreHandle,
}

fn start(fed: Federation) -> Running {
    start_with(fed, Duration::from_millis(300), Duration::from_millis(50))
}

fn start_with(fed: Federation, interval: Duration, settle: Duration) -> Running {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.init_federation(&fed).unwrap();
    let store = StoreHandle::spawn(store);
    let mut config = DaemonConfig::new("127.0.0.1:0".parse().unwrap());
    config.interval = interval;
    config.settle = settle;
    let daemon = Daemon::start(dir.path().to_path_buf(), store.clone(), config).unwrap();
    Running { _dir: dir, daemon, store }
}

/// Each knows the other's address; `a` lets `b` read everything of `a`'s.
fn pair(a: &Running, b: &Running) {
    let (na, nb) = (&a.daemon.node, &b.daemon.node);
    let mut pa = Peers::load(&na.dir).unwrap();
    pa.add(nb.identity.node_id, "市联合会", Some(nb.local_addr().unwrap().to_string())).unwrap();
    pa.find_mut("市联合会").unwrap().grants.insert("*".into(), Grant::Read);
    pa.save(&na.dir).unwrap();
    let mut pb = Peers::load(&nb.dir).unwrap();
    pb.add(na.identity.node_id, "区联合会", Some(na.local_addr().unwrap().to_string())).unwrap();
    pb.save(&nb.dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_reaches_a_running_peer_live_and_the_status_says_so() {
    let county = start(federation("锦江区社区社会组织联合会", "510104"));
    let city = start(federation("成都市社区社会组织联合会", "510100"));
    pair(&county, &city);
    let mut arrivals = city.store.subscribe();
    let mut status = city.daemon.status();

    let mut o = Organization::new("玉林社区夕阳红舞蹈队", Category::CultureSports, LegalStatus::Filed, "510104001002");
    o.filing_number = "JJ-1".into();
    let id = o.id.clone();
    county.store.call(move |s| s.insert(&o).map(|_| ())).await.unwrap();

    // Nobody calls sync: the county's daemon sends the edit after it
    // settles, or the city's timer fetches it; either way it arrives as a
    // change from the peer, which is what the UI redraws on.
    // A first sync brings several documents, each its own event: wait for
    // the one that carries the organization (the meta document may come first).
    let (arrived, found) = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match arrivals.recv().await {
                Ok(StoreEvent::Changed { origin: Origin::Peer(from), .. }) => {
                    let id = id.clone();
                    if let Some(o) = city.store.call(move |s| s.get::<Organization>(&id).unwrap()).await {
                        break (from, o);
                    }
                }
                Ok(_) => continue,
                Err(e) => panic!("store events closed: {e}"),
            }
        }
    })
    .await
    .expect("the edit arrives within the safety limit");
    assert_eq!(arrived, "区联合会");
    assert_eq!(found.name, "玉林社区夕阳红舞蹈队");

    let synced = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let NodeStatus::Synced { peers_ok, .. } = &*status.borrow_and_update() {
                if *peers_ok > 0 {
                    break;
                }
            }
            status.changed().await.unwrap();
        }
    })
    .await;
    assert!(synced.is_ok(), "the status reports a finished round: {:?}", *status.borrow());

    // "Sync now" runs a round and reports each peer.
    let round = city.daemon.sync_now().await.unwrap();
    assert_eq!(round.len(), 1);
    let summary = round.into_iter().next().unwrap().unwrap();
    assert_eq!(summary.peer, "区联合会");
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_port_falls_back_to_a_free_one_when_allowed() {
    let first = start(federation("锦江区社区社会组织联合会", "510104"));
    let taken = first.daemon.node.local_addr().unwrap();
    let dir = TempDir::new().unwrap();
    let store = StoreHandle::spawn(Store::open(dir.path()).unwrap());
    let strict = DaemonConfig::new(taken);
    assert!(Daemon::start(dir.path().to_path_buf(), store.clone(), strict).is_err(), "serve asked for that port");
    let mut lenient = DaemonConfig::new(taken);
    lenient.fallback_port = true;
    let daemon = Daemon::start(dir.path().to_path_buf(), store, lenient).unwrap();
    let addr = daemon.node.local_addr().unwrap();
    assert_ne!(addr.port(), taken.port());
    assert_eq!(daemon.status().borrow().addr(), addr);
    // With no peers, "sync now" says so rather than pretending.
    assert!(daemon.sync_now().await.unwrap().is_empty());
    assert!(matches!(*daemon.status().borrow(), NodeStatus::NoPeers { .. }));
}

/// An edit after a quiet spell goes out at once, not after `settle`; the
/// next one, right behind it, waits `settle` out (a burst goes in one round).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lone_edit_goes_out_at_once_and_a_burst_waits_for_the_settle() {
    let (hour, minute) = (Duration::from_secs(3600), Duration::from_secs(60));
    let county = start_with(federation("锦江区社区社会组织联合会", "510104"), hour, minute);
    let city = start_with(federation("成都市社区社会组织联合会", "510100"), hour, minute);
    // Each timer's first round runs at start: let it pass, peerless.
    for node in [&county, &city] {
        let mut status = node.daemon.status();
        tokio::time::timeout(Duration::from_secs(20), status.wait_for(|s| matches!(s, NodeStatus::NoPeers { .. })))
            .await
            .expect("the first round ends")
            .unwrap();
    }
    pair(&county, &city);
    // The city's own rounds must not fetch the edits: it has no address for
    // the county (a round of its own, after the local writes of its start,
    // could otherwise pull the second edit while the county settles).
    Peers::update(&city.daemon.node.dir, |p| {
        p.find_mut("区联合会")?.addr = None;
        Ok(())
    })
    .unwrap();
    let insert = |name: &str| {
        let mut o = Organization::new(name, Category::CultureSports, LegalStatus::Filed, "510104001002");
        o.filing_number = format!("JJ-{name}");
        let id = o.id.clone();
        let store = county.store.clone();
        async move {
            store.call(move |s| s.insert(&o).map(|_| ())).await.unwrap();
            id
        }
    };
    let at_city = |id: RecordId| {
        let store = city.store.clone();
        async move { store.call(move |s| s.get::<Organization>(&id).unwrap()).await.is_some() }
    };
    // Timers an hour apart, a settle of a minute: only the edit itself can
    // bring it to the city within seconds.
    let first = insert("玉林社区夕阳红舞蹈队").await;
    let arrived = tokio::time::timeout(Duration::from_secs(20), async {
        while !at_city(first.clone()).await {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(arrived.is_ok(), "a lone edit goes out at once, not after the minute of settle");
    // The round that carried it has ended: an edit made while its document
    // was still being exchanged would ride along (Automerge sends what the
    // document holds when each message is made), not wait for the settle.
    let mut status = county.daemon.status();
    tokio::time::timeout(Duration::from_secs(20), status.wait_for(|s| matches!(s, NodeStatus::Synced { .. })))
        .await
        .expect("the county's round ends")
        .unwrap();
    let second = insert("玉林社区书画社").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!at_city(second).await, "the edit right behind it waits for the settle");
}
