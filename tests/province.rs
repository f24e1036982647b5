//! A province's network in miniature (1 province, 2 cities, 4 counties,
//! each its own node with a running daemon, the harness of
//! `examples/province`): every county's roster rolls up to the province
//! through its city, no node holds a document it was not given, and an
//! edit in any county reaches the province by events alone (the daemons'
//! timers are set to an hour).

#[path = "../examples/province/net.rs"]
mod net;

use hubsync::domain::demo::DemoData;
use hubsync::domain::Collection;
use hubsync::ops::network::Arrives;
use net::{counties, Tier};
use std::collections::BTreeSet;
use std::time::Duration;

const SAFETY: Duration = Duration::from_secs(60);

/// Four Chengdu counties of the demo, 15 organizations each; the last two
/// moved to Zigong (5103) so that there are two cities.
fn plan() -> Vec<net::County> {
    let mut orgs = DemoData::generate(7, 680).orgs;
    for o in &mut orgs {
        if o.division.as_str() >= "510106" {
            for field in [&mut o.division, &mut o.township, &mut o.community] {
                if field.starts_with("5101") {
                    field.replace_range(..4, "5103");
                }
            }
        }
    }
    let mut list = counties(orgs);
    for c in &mut list {
        c.orgs.truncate(15);
    }
    assert_eq!(list.len(), 4);
    list
}

async fn federations_held(n: &net::SimNode) -> BTreeSet<String> {
    n.store.call(|s| s.doc_ids(None).into_iter().map(|d| d.federation().0).collect()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_province_network_rolls_up_holds_only_what_was_given_and_relays_edits_by_events() {
    let network = net::build(plan(), net::Timing::default()).await;
    assert_eq!(network.indices(Tier::City).len(), 2);
    let (sessions, _, _) = network.roll_up(SAFETY).await;
    assert_eq!(sessions.len(), 4, "one session per county");
    assert_eq!(net::org_count(&network.nodes[0].store).await, 60);

    // Nobody holds more than it was given: a county only its own, a city
    // its own and its counties', the province everything (orgs and meta).
    let fed = |i: usize| network.nodes[i].fed.id.0.clone();
    for i in 0..network.nodes.len() {
        let node = &network.nodes[i];
        let below: BTreeSet<String> = (0..network.nodes.len())
            .filter(|j| {
                let mut up = network.nodes[*j].above;
                while let Some(u) = up {
                    if u == i {
                        return true;
                    }
                    up = network.nodes[u].above;
                }
                false
            })
            .map(fed)
            .collect();
        let mut allowed = below.clone();
        allowed.insert(fed(i));
        assert_eq!(federations_held(node).await, allowed, "{}", node.fed.name);
        let collections: BTreeSet<Collection> =
            node.store.call(|s| s.doc_ids(None).iter().map(|d| d.collection()).collect()).await;
        assert!(collections.iter().all(|c| [Collection::Meta, Collection::Orgs].contains(c)), "{collections:?}");
    }

    // An edit in each county arrives at the province with only events
    // driving the daemons.
    for (n, i) in network.indices(Tier::County).into_iter().enumerate() {
        network.propagate(i, &format!("负责人{n}"), SAFETY).await;
    }

    // The province sees each county through its city.
    let view = network.nodes[0]
        .store
        .call(|s| {
            hubsync::ops::network::build(s, &hubsync::sync::Peers::load(s.dir()).unwrap().peers, s.clock().now(), 30)
        })
        .await;
    let counties: Vec<_> = view.federations.iter().filter(|r| r.depth == 2).collect();
    assert_eq!(counties.len(), 4, "{view:#?}");
    for r in counties {
        let city = network.nodes.iter().find(|n| Some(&n.fed.id.0) == r.parent.as_ref()).expect("its city");
        assert_eq!(r.arrives, Arrives::Via { peer: city.fed.name.clone() }, "{r:?}");
        assert_eq!(r.orgs, 15);
    }
}
