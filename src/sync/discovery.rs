//! LAN discovery at workshops (mDNS through `mdns-sd`; docs/SYNC.md, "LAN
//! discovery"). A running node announces `_hubsync._udp.local.` with a TXT
//! record of its node id and protocol version, nothing else: no federation
//! name, no peer list (docs/PRIVACY.md). Nodes seen on the LAN are matched
//! with the peer list: a known peer's address is filled in or follows a new
//! LAN address; a node nobody added is only listed, never trusted (trust
//! stays by invitation or a pinned node id, and the certificate check at
//! connect still decides who answers).
//!
//! The announce and browse side is behind [`Lan`], so the matching logic is
//! tested without multicast; [`Mdns`] is the real one.

use super::identity::NodeId;
use super::trust::Peers;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

/// The service type every hubsync node announces.
pub const SERVICE_TYPE: &str = "_hubsync._udp.local.";
/// The sync protocol's version (ALPN `hubsync/1`), so a node can tell an
/// announcement it cannot talk to.
pub const PROTOCOL_VERSION: &str = "1";

/// A node seen on the LAN: what its announcement said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sighting {
    pub node_id: NodeId,
    pub addrs: Vec<SocketAddr>,
    pub protocol: String,
}

/// Announcing this node and hearing others: mDNS, or a fake in tests.
pub trait Lan: Send {
    /// Announces this node (its id and QUIC port) until dropped.
    fn announce(&mut self, node: &NodeId, port: u16) -> Result<()>;
    /// The nodes heard since the last call; never blocks.
    fn heard(&mut self) -> Vec<Sighting>;
}

/// The address to call from a sighting: IPv4 first (a link-local IPv6
/// address needs its interface), then global IPv6, never loopback unless
/// that is all there is (two nodes on one machine).
pub fn best_addr(addrs: &[SocketAddr]) -> Option<SocketAddr> {
    let rank = |a: &SocketAddr| match a.ip() {
        IpAddr::V4(v4) if v4.is_loopback() => 3,
        IpAddr::V4(v4) if v4.is_link_local() => 2,
        IpAddr::V4(_) => 0,
        IpAddr::V6(v6) if v6.is_loopback() => 4,
        IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80 => 5,
        IpAddr::V6(_) => 1,
    };
    addrs.iter().min_by_key(|a| (rank(a), **a)).copied()
}

/// Whether an address a peer has is one the LAN may replace: none, or an IP
/// literal on a private, link-local or loopback network (a workshop's, found
/// or typed there). A public address or a host name the secretary typed (an
/// always-on hub's) is kept: a laptop that leaves the workshop must still
/// reach its hub.
fn replaceable(addr: Option<&str>) -> bool {
    let Some(addr) = addr else { return true };
    match addr.parse::<SocketAddr>().map(|a| a.ip()) {
        Ok(IpAddr::V4(v4)) => v4.is_private() || v4.is_link_local() || v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
        Err(_) => false,
    }
}

/// What matching the sightings with the peer list found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// Known peers whose address was set: (name, old address, new address).
    pub updated: Vec<(String, Option<String>, String)>,
    /// Known peers seen (name, sighting), updated or not.
    pub known: Vec<(String, Sighting)>,
    /// Nodes nobody added: listed, never trusted.
    pub unknown: Vec<Sighting>,
}

/// Matches sightings with the peer list, setting the address of a known
/// peer that has none, or whose LAN address changed. Our own announcement
/// is ignored; a node speaking another protocol version is listed but its
/// address is not taken.
pub fn reconcile(peers: &mut Peers, heard: &[Sighting], own: &NodeId) -> Found {
    let mut found = Found::default();
    for s in heard.iter().filter(|s| s.node_id != *own) {
        let Some(peer) = peers.peers.iter_mut().find(|p| p.node_id == s.node_id) else {
            if !found.unknown.iter().any(|u| u.node_id == s.node_id) {
                found.unknown.push(s.clone());
            }
            continue;
        };
        found.known.push((peer.name.clone(), s.clone()));
        if s.protocol != PROTOCOL_VERSION {
            continue;
        }
        let Some(best) = best_addr(&s.addrs) else { continue };
        let current = peer.addr.as_deref();
        let already = current.and_then(|a| a.parse::<SocketAddr>().ok()).is_some_and(|a| s.addrs.contains(&a));
        if !already && replaceable(current) {
            let old = peer.addr.replace(best.to_string());
            tracing::info!("LAN discovery: {} at {best} (was {:?})", peer.name, old);
            found.updated.push((peer.name.clone(), old, best.to_string()));
        }
    }
    found
}

/// Matches what was heard with `peers.json` (under its lock) and records
/// the nodes seen in `lan.json` for `peer list` and the UI.
pub fn apply(dir: &Path, heard: &[Sighting], own: &NodeId) -> Result<Found> {
    let found =
        if heard.is_empty() { Found::default() } else { Peers::update(dir, |peers| Ok(reconcile(peers, heard, own)))? };
    let before = load_seen(dir);
    let mut seen = before.clone();
    for s in heard.iter().filter(|s| s.node_id != *own) {
        seen.retain(|x| x.node_id != s.node_id);
        seen.push(s.clone());
    }
    if seen != before {
        // A hint for `peer discover` and the UI: atomic, owner-only, not fsynced.
        let path = dir.join(SEEN_FILE);
        crate::private_fs::write_atomic(&path, &serde_json::to_vec_pretty(&seen)?, false)
            .with_context(|| format!("写入 (writing) {}", path.display()))?;
    }
    Ok(found)
}

const SEEN_FILE: &str = "lan.json";

/// Nodes a running node heard on the LAN (its last sighting of each).
pub fn load_seen(dir: &Path) -> Vec<Sighting> {
    std::fs::read(dir.join(SEEN_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

/// One pass: what the LAN said since the last one, matched and recorded.
pub fn poll(lan: &mut dyn Lan, dir: &Path, own: &NodeId) -> Result<Found> {
    let heard = lan.heard();
    apply(dir, &heard, own)
}

/// A running node's discovery: announce, then match what is heard every
/// `every` (the daemon's task; it ends when the runtime does). Failures are
/// logged, never fatal: a node without multicast still syncs by address.
pub async fn run(mut lan: Box<dyn Lan>, dir: std::path::PathBuf, own: NodeId, port: u16, every: std::time::Duration) {
    if let Err(e) = lan.announce(&own, port) {
        tracing::warn!("LAN discovery: {e:#}");
    }
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let heard = lan.heard();
        if heard.is_empty() {
            continue;
        }
        let dir = dir.clone();
        match tokio::task::spawn_blocking(move || apply(&dir, &heard, &own)).await {
            Ok(Ok(found)) if !found.unknown.is_empty() => {
                tracing::info!(
                    "LAN discovery: {} node(s) not in the peer list (listed, not trusted)",
                    found.unknown.len()
                )
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!("LAN discovery: {e:#}"),
            Err(e) => tracing::warn!("LAN discovery: {e}"),
        }
    }
}

/// mDNS on every interface (IPv4 and IPv6), through `mdns-sd`'s own thread.
pub struct Mdns {
    daemon: mdns_sd::ServiceDaemon,
    browse: mdns_sd::Receiver<mdns_sd::ServiceEvent>,
    announced: Option<String>,
}

impl Mdns {
    /// Starts browsing for other nodes.
    pub fn start() -> Result<Mdns> {
        Self::start_on(mdns_sd::ServiceDaemon::new().context("mDNS 启动失败 (mDNS could not start)")?)
    }

    /// On another UDP port than 5353 (tests, and nodes that must keep off
    /// the system's responder).
    pub fn start_on_port(port: u16) -> Result<Mdns> {
        Self::start_on(mdns_sd::ServiceDaemon::new_with_port(port).context("mDNS 启动失败 (mDNS could not start)")?)
    }

    fn start_on(daemon: mdns_sd::ServiceDaemon) -> Result<Mdns> {
        let browse = daemon.browse(SERVICE_TYPE).context("mDNS 浏览失败 (mDNS browse failed)")?;
        Ok(Mdns { daemon, browse, announced: None })
    }
}

/// The instance name: a prefix of the node id, enough to tell nodes apart
/// on a LAN (the TXT record carries the whole id).
fn instance(node: &NodeId) -> String {
    format!("hubsync-{}", node.to_string().replace('-', "")[..16].to_lowercase())
}

impl Lan for Mdns {
    fn announce(&mut self, node: &NodeId, port: u16) -> Result<()> {
        let name = instance(node);
        let host = format!("{name}.local.");
        let props = [("id", node.to_string()), ("v", PROTOCOL_VERSION.to_string())];
        let info = mdns_sd::ServiceInfo::new(SERVICE_TYPE, &name, &host, "", port, &props[..])
            .context("mDNS 公告无效 (bad mDNS announcement)")?
            .enable_addr_auto();
        self.announced = Some(info.get_fullname().to_string());
        self.daemon.register(info).context("mDNS 公告失败 (mDNS announce failed)")
    }

    fn heard(&mut self) -> Vec<Sighting> {
        let mut out = Vec::new();
        while let Ok(event) = self.browse.try_recv() {
            let mdns_sd::ServiceEvent::ServiceResolved(service) = event else { continue };
            // A stranger's announcement: only a well-formed node id counts.
            let Some(node_id) = service.get_property_val_str("id").and_then(|t| NodeId::parse(t).ok()) else {
                continue;
            };
            let protocol = service.get_property_val_str("v").unwrap_or_default().chars().take(8).collect();
            let mut addrs: Vec<SocketAddr> =
                service.get_addresses().iter().map(|ip| SocketAddr::new(ip.to_ip_addr(), service.get_port())).collect();
            addrs.sort();
            out.push(Sighting { node_id, addrs, protocol });
        }
        out
    }
}

impl Drop for Mdns {
    fn drop(&mut self) {
        if let Some(name) = self.announced.take() {
            let _ = self.daemon.unregister(&name);
        }
        let _ = self.daemon.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::trust::Peer;

    fn node(n: u8) -> NodeId {
        NodeId([n; 32])
    }

    fn peer(n: u8, name: &str, addr: Option<&str>) -> Peer {
        Peer {
            node_id: node(n),
            name: name.into(),
            addr: addr.map(Into::into),
            grants: Default::default(),
            last_sync: None,
            last_error: None,
            last_failure: None,
            home: None,
        }
    }

    fn seen(n: u8, addrs: &[&str]) -> Sighting {
        Sighting {
            node_id: node(n),
            addrs: addrs.iter().map(|a| a.parse().unwrap()).collect(),
            protocol: PROTOCOL_VERSION.into(),
        }
    }

    #[test]
    fn a_known_peer_gets_its_lan_address_and_a_stranger_is_only_listed() {
        let mut peers = Peers {
            peers: vec![
                peer(1, "县联合会笔记本", None),
                peer(2, "培训笔记本", Some("192.168.1.20:4433")),
                peer(3, "成都市联合会", Some("hub.example.cn:4433")),
                peer(4, "青羊区联合会", Some("192.168.1.30:4433")),
            ],
            ..Default::default()
        };
        let heard = vec![
            seen(1, &["[fe80::1]:4433", "192.168.1.11:4433"]),
            seen(2, &["192.168.8.7:4433"]),
            seen(3, &["192.168.8.2:4433"]),
            seen(4, &["192.168.1.30:4433", "[fe80::4]:4433"]),
            seen(9, &["192.168.8.99:4433"]),
            seen(0, &["192.168.8.1:4433"]),
        ];
        let found = reconcile(&mut peers, &heard, &node(0));
        let addr = |n: u8| peers.peers.iter().find(|p| p.node_id == node(n)).unwrap().addr.clone();
        assert_eq!(addr(1).as_deref(), Some("192.168.1.11:4433"), "no address: the LAN's, IPv4 first");
        assert_eq!(addr(2).as_deref(), Some("192.168.8.7:4433"), "a LAN address that changed follows");
        assert_eq!(addr(3).as_deref(), Some("hub.example.cn:4433"), "a typed host name is kept");
        assert_eq!(addr(4).as_deref(), Some("192.168.1.30:4433"), "unchanged");
        assert_eq!(found.updated.len(), 2, "{found:?}");
        assert_eq!(
            found.updated[1],
            ("培训笔记本".into(), Some("192.168.1.20:4433".into()), "192.168.8.7:4433".into())
        );
        assert_eq!(found.known.len(), 4);
        assert_eq!(found.unknown, vec![seen(9, &["192.168.8.99:4433"])], "a stranger is listed, ourselves not");
        assert_eq!(peers.peers.len(), 4, "nobody is added: trust stays by invitation");
    }

    #[test]
    fn a_public_address_stays_and_another_protocol_is_not_taken() {
        let mut peers = Peers {
            peers: vec![peer(1, "四川省联合会", Some("203.0.113.5:4433")), peer(2, "新版本节点", None)],
            ..Default::default()
        };
        let mut other = seen(2, &["10.0.0.7:4433"]);
        other.protocol = "2".into();
        let found = reconcile(&mut peers, &[seen(1, &["10.0.0.5:4433"]), other], &node(0));
        assert!(found.updated.is_empty(), "{found:?}");
        assert_eq!(peers.peers[0].addr.as_deref(), Some("203.0.113.5:4433"));
        assert_eq!(peers.peers[1].addr, None);
    }

    /// The announce/resolve side in memory: every fake on one bus hears
    /// the others' announcements (mDNS needs multicast, which CI may lack).
    #[derive(Clone, Default)]
    struct Bus(std::sync::Arc<std::sync::Mutex<Vec<Sighting>>>);

    struct FakeLan {
        bus: Bus,
        addr: std::net::IpAddr,
        read: usize,
    }

    impl Lan for FakeLan {
        fn announce(&mut self, node: &NodeId, port: u16) -> Result<()> {
            let s = Sighting {
                node_id: *node,
                addrs: vec![SocketAddr::new(self.addr, port)],
                protocol: PROTOCOL_VERSION.into(),
            };
            self.bus.0.lock().unwrap().push(s);
            Ok(())
        }
        fn heard(&mut self) -> Vec<Sighting> {
            let all = self.bus.0.lock().unwrap();
            let new = all[self.read..].to_vec();
            self.read = all.len();
            new
        }
    }

    #[test]
    fn a_laptop_finds_its_county_node_at_the_workshop_without_typing_an_address() {
        let bus = Bus::default();
        let (county_dir, laptop_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (county, laptop, stranger) = (node(1), node(2), node(3));
        // The laptop knows the county node by id (an invitation), without an address.
        Peers::update(laptop_dir.path(), |p| {
            p.peers.push(peer(1, "县联合会", None));
            Ok(())
        })
        .unwrap();
        let fake = |ip: &str| FakeLan { bus: bus.clone(), addr: ip.parse().unwrap(), read: 0 };
        let (mut at_county, mut at_laptop, mut at_stranger) =
            (fake("192.168.8.2"), fake("192.168.8.7"), fake("192.168.8.9"));
        at_county.announce(&county, 4433).unwrap();
        at_laptop.announce(&laptop, 4433).unwrap();
        at_stranger.announce(&stranger, 5000).unwrap();

        let found = poll(&mut at_laptop, laptop_dir.path(), &laptop).unwrap();
        assert_eq!(found.updated, vec![("县联合会".into(), None, "192.168.8.2:4433".into())]);
        let peers = Peers::load(laptop_dir.path()).unwrap();
        assert_eq!(peers.peers[0].addr.as_deref(), Some("192.168.8.2:4433"), "written to peers.json");
        assert_eq!(peers.peers.len(), 1, "the stranger is not added");
        let seen = load_seen(laptop_dir.path());
        assert!(seen.iter().any(|s| s.node_id == stranger) && !seen.iter().any(|s| s.node_id == laptop), "{seen:?}");
        // The county node knows nobody: it lists the laptop and the stranger, trusts neither.
        let found = poll(&mut at_county, county_dir.path(), &county).unwrap();
        assert_eq!(found.unknown.len(), 2);
        assert!(Peers::load(county_dir.path()).unwrap().peers.is_empty());
        // Nothing new heard: nothing changes.
        assert_eq!(poll(&mut at_laptop, laptop_dir.path(), &laptop).unwrap(), Found::default());
    }

    #[test]
    fn the_best_address_prefers_ipv4_then_global_ipv6() {
        let a = |t: &str| t.parse::<SocketAddr>().unwrap();
        assert_eq!(best_addr(&[a("[fe80::1]:1"), a("[2001:db8::1]:1")]), Some(a("[2001:db8::1]:1")));
        assert_eq!(best_addr(&[a("127.0.0.1:1"), a("192.168.1.2:1")]), Some(a("192.168.1.2:1")));
        assert_eq!(best_addr(&[a("127.0.0.1:1")]), Some(a("127.0.0.1:1")), "two nodes on one machine");
        assert_eq!(best_addr(&[]), None);
    }
}
