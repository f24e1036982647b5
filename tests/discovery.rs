//! LAN discovery over real mDNS (`sync::discovery::Mdns`, issue 10 point 4):
//! two nodes on one machine announce themselves and hear each other.
//!
//! Ignored by default: mDNS multicasts on every interface, and a test run
//! must keep its traffic on this machine. Run it in a network namespace of
//! its own, where only loopback exists:
//!
//!     unshare -n sh -c 'ip link set lo up; ip route add 224.0.0.0/4 dev lo;
//!       cargo test --test discovery -- --ignored'
//!
//! The matching of what is heard with the peer list is tested without
//! multicast in `sync::discovery`'s unit tests (an in-memory LAN).

use hubsync::sync::discovery::{self, Lan, Mdns, PROTOCOL_VERSION};
use hubsync::sync::NodeId;
use std::time::{Duration, Instant};

#[test]
#[ignore = "multicasts: run alone in a network namespace (see the file's comment)"]
fn two_nodes_on_one_machine_hear_each_other_by_mdns() {
    // A port of their own, off the system responder's 5353.
    let port = 45353;
    let (county, laptop) = (NodeId([1; 32]), NodeId([2; 32]));
    let mut at_county = Mdns::start_on_port(port).unwrap();
    let mut at_laptop = Mdns::start_on_port(port).unwrap();
    at_county.announce(&county, 4433).unwrap();
    at_laptop.announce(&laptop, 4434).unwrap();

    let dir = tempfile::tempdir().unwrap();
    hubsync::sync::Peers::update(dir.path(), |p| {
        p.peers.push(hubsync::sync::Peer {
            node_id: county,
            name: "县联合会".into(),
            addr: None,
            grants: Default::default(),
            last_sync: None,
            last_error: None,
            last_failure: None,
            home: None,
        });
        Ok(())
    })
    .unwrap();
    // Until the laptop has heard the county node (bounded: a lost packet is
    // repeated by the responder within seconds).
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut heard = Vec::new();
    while Instant::now() < deadline && !heard.iter().any(|s: &discovery::Sighting| s.node_id == county) {
        heard.extend(at_laptop.heard());
        std::thread::sleep(Duration::from_millis(100));
    }
    let seen = heard.iter().find(|s| s.node_id == county).expect("the county node is heard");
    assert_eq!(seen.protocol, PROTOCOL_VERSION);
    assert!(seen.addrs.iter().all(|a| a.port() == 4433), "{seen:?}");
    let found = discovery::apply(dir.path(), &heard, &laptop).unwrap();
    assert_eq!(found.updated.len(), 1, "{found:?}");
    let addr = hubsync::sync::Peers::load(dir.path()).unwrap().peers[0].addr.clone().unwrap();
    assert!(addr.ends_with(":4433"), "{addr}");
}
