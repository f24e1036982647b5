//! Network faults: a sync cut at random points, by closing the endpoint of
//! either side (which ends every stream of its connections at once), then
//! synced again. Both sides must converge with nothing lost.
//!
//! `HUBSYNC_CUT_ITERATIONS` (default 20) sets the number of cuts per test,
//! `HUBSYNC_CUT_SEED` the seed, `HUBSYNC_CUT_ORGS` the size of the data.

mod support;

use hubsync::domain::*;
use hubsync::store::{Store, StoreHandle};
use hubsync::sync::{sync_once, Grant, Limits, Node, Peers};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;
use tempfile::TempDir;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A served node holding the demo federation's organizations and people.
fn county(orgs: usize) -> Side {
    let d = demo::DemoData::generate(5, orgs);
    let dir = TempDir::new().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.set_durability(hubsync::store::Durability::Deferred);
    s.init_federation(&d.federation).unwrap();
    s.insert_many(&d.orgs).unwrap();
    s.insert_many(&d.people).unwrap();
    s.flush().unwrap();
    serve_store(dir, StoreHandle::spawn(s), Limits::default())
}

/// Replaces a node's endpoint with a new one on the same store and data.
fn restart(side: &mut Side) {
    let node = Node::start_with_limits(
        side.node.dir.clone(),
        side.store.clone(),
        "127.0.0.1:0".parse().unwrap(),
        Limits::default(),
    )
    .unwrap();
    side.node = Arc::new(node);
    let serving = side.node.clone();
    tokio::spawn(async move { serving.serve().await });
}

/// Starts a sync from `b` to `a`, cuts it after `delay` by closing the
/// endpoint of `b` (client) or `a` (server), and restarts that side.
/// Returns whether the cut interrupted the session.
async fn cut_sync(a: &mut Side, b: &mut Side, delay: Duration, cut_server: bool) -> bool {
    let node = b.node.clone();
    let task = tokio::spawn(async move { sync_once(&node, &[]).await });
    tokio::time::sleep(delay).await;
    let victim = if cut_server { &a.node } else { &b.node };
    victim.endpoint.close(0u32.into(), b"cut");
    let result = tokio::time::timeout(SAFETY, task).await.expect("a cut session ends").unwrap();
    let interrupted = match result {
        Ok(mut r) => r.remove(0).map(|s| !s.errors.is_empty()).unwrap_or(true),
        Err(_) => true,
    };
    if cut_server {
        restart(a);
        knows(&b.node.dir, a);
    } else {
        restart(b);
    }
    interrupted
}

/// Syncs until a session completes cleanly (bounded).
async fn complete(b: &Side) {
    for _ in 0..5 {
        if let Ok(s) = sync_once(&b.node, &[]).await.unwrap().remove(0) {
            if s.errors.is_empty() {
                return;
            }
        }
    }
    panic!("no clean sync after a cut");
}

/// Identical heads and records (party membership stays in the private
/// document, which is not shared with "*").
async fn assert_converged(a: &Side, b: &Side) {
    assert!(heads(a, false).await == heads(b, false).await, "identical heads");
    assert!(orgs(a).await == orgs(b).await, "identical organizations");
    let public = |v: Vec<Person>| v.into_iter().map(|p| Person { party_member: false, ..p }).collect::<Vec<_>>();
    assert!(public(people(a).await) == public(people(b).await), "identical people");
}

/// A new, empty node that `a` trusts with everything and that knows `a`.
fn laptop(a: &Side) -> Side {
    let b = start(None, &[], Limits::default());
    trust(a, b.node.identity.node_id, &format!("B{}", b.node.identity.node_id.short()), Some(Grant::Write));
    knows(&b.node.dir, a);
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sync_cut_at_random_points_completes_on_the_next_sync() {
    let (iterations, seed) = (env("HUBSYNC_CUT_ITERATIONS", 20), env("HUBSYNC_CUT_SEED", 1));
    let mut a = county(env("HUBSYNC_CUT_ORGS", 2000) as usize);
    let before = heads(&a, true).await;
    // How long an uncut full sync takes, to spread the cut points over it.
    let probe = laptop(&a);
    let started = Instant::now();
    complete(&probe).await;
    let full = started.elapsed();
    assert_converged(&a, &probe).await;
    drop(probe);

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut interrupted = 0;
    for i in 0..iterations {
        let mut b = laptop(&a);
        let delay = full.mul_f64(rng.random_range(0.0..1.0));
        interrupted += usize::from(cut_sync(&mut a, &mut b, delay, i % 2 == 1).await);
        complete(&b).await;
        assert_converged(&a, &b).await;
    }
    assert_eq!(heads(&a, true).await, before, "a pull changes nothing on the server");
    eprintln!("full sync: {iterations} cuts, {interrupted} interrupted a session; uncut sync {full:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_sync_cut_at_random_points_loses_nothing() {
    let (iterations, seed) = (env("HUBSYNC_CUT_ITERATIONS", 20), env("HUBSYNC_CUT_SEED", 1));
    let mut a = county(env("HUBSYNC_CUT_ORGS", 2000) as usize);
    let mut b = laptop(&a);
    complete(&b).await;
    // The laptop now works on the county's federation and may send back.
    let fed = a.store.call(|s| s.home_id().cloned().unwrap()).await;
    b.store.call(move |s| s.set_home(&fed)).await.unwrap();
    let a_id = a.node.identity.node_id;
    Peers::update(&b.node.dir, |p| {
        p.peers.iter_mut().find(|p| p.node_id == a_id).unwrap().grants.insert("*".into(), Grant::Write);
        Ok(())
    })
    .unwrap();

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut interrupted, mut longest) = (0, Duration::from_millis(50));
    for i in 0..iterations {
        // Edits on both sides, different organizations, and a new one on the laptop.
        let all = orgs(&a).await;
        let mut expected = Vec::new();
        for (side, field) in [(&a, "address"), (&b, "head_name")] {
            for _ in 0..20 {
                let mut o = all[rng.random_range(0..all.len())].clone();
                let value = format!("{field}-{i}-{}", rng.random::<u32>());
                match field {
                    "address" => o.address = value.clone(),
                    _ => o.head_name = value.clone(),
                }
                expected.push((o.id.clone(), field, value));
                side.store.call(move |s| s.update(&o).map(|_| ())).await.unwrap();
            }
        }
        let division = all[0].division.clone();
        let mut new = Organization::new(&format!("新组织{i}"), Category::Charity, LegalStatus::Filed, &division);
        new.filing_number = format!("N{i}");
        let new_id = new.id.clone();
        b.store.call(move |s| s.insert(&new).map(|_| ())).await.unwrap();

        let delay = longest.mul_f64(rng.random_range(0.0..1.0));
        interrupted += usize::from(cut_sync(&mut a, &mut b, delay, i % 2 == 1).await);
        let started = Instant::now();
        complete(&b).await;
        longest = longest.max(started.elapsed());
        assert_converged(&a, &b).await;
        let merged = orgs(&a).await;
        // Later edits of the same field may win over earlier ones; the last
        // edit of each field must be there.
        let mut last = std::collections::BTreeMap::new();
        for (id, field, value) in expected {
            last.insert((id, field), value);
        }
        for ((id, field), value) in last {
            let o = merged.iter().find(|o| o.id == id).unwrap();
            let got = if field == "address" { &o.address } else { &o.head_name };
            assert_eq!(got, &value, "edit of {field} kept");
        }
        assert!(merged.iter().any(|o| o.id == new_id), "the laptop's new organization arrived");
    }
    eprintln!("incremental sync: {iterations} cuts, {interrupted} interrupted a session");
}
