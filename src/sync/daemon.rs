//! A running node: accepts peers, and syncs with every known peer on a timer,
//! shortly after local edits, and when asked ("sync now"); changes a peer
//! brings are passed on at once to the other peers that would receive them
//! (a hub relays a county's edit up without waiting for its timer). `hubsync serve`
//! and the terminal UI both run one, so changes from peers arrive while the
//! UI is open (as store events from the peer) and the status line can say
//! what the node is doing.
//!
//! One loop owns the sync rounds: a "sync now" and a timer tick never run
//! two rounds at once, and no lock is needed for that.

use super::client::sync_once;
use super::session::{Node, Summary};
use super::trust::Peers;
use crate::store::{DocId, Origin, StoreEvent, StoreHandle};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

#[derive(Clone, Debug)]
pub struct DaemonConfig {
    pub listen: SocketAddr,
    /// Take any free port when `listen` is taken (the UI: a second window
    /// on another data directory must still open).
    pub fallback_port: bool,
    /// Time between rounds with every known peer.
    pub interval: Duration,
    /// Rounds for local edits are at least this far apart: an edit after a
    /// quiet spell goes out at once, the rest of a burst waits and goes in
    /// one round.
    pub settle: Duration,
    /// Wait after changes arrive from a peer before passing them on, so the
    /// documents of one session go on in one round.
    pub relay_settle: Duration,
    /// Announce this node on the LAN and find peers there (mDNS). Off by
    /// default here (tests and simulations); `serve` and the UI turn it on
    /// unless `--no-discovery`.
    pub discovery: bool,
}

impl DaemonConfig {
    pub fn new(listen: SocketAddr) -> Self {
        DaemonConfig {
            listen,
            fallback_port: false,
            interval: Duration::from_secs(30),
            settle: Duration::from_millis(500),
            relay_settle: Duration::from_millis(100),
            discovery: false,
        }
    }
}

/// What the node is doing, for the status line and `peer list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeStatus {
    /// Listening; no round yet.
    Listening {
        addr: SocketAddr,
    },
    Syncing {
        addr: SocketAddr,
    },
    /// The last round: when, and how many peers answered or failed.
    Synced {
        addr: SocketAddr,
        at: String,
        peers_ok: usize,
        peers_failed: usize,
        changes_in: usize,
    },
    /// No peer with an address to sync with.
    NoPeers {
        addr: SocketAddr,
    },
}

impl NodeStatus {
    pub fn addr(&self) -> SocketAddr {
        match self {
            NodeStatus::Listening { addr }
            | NodeStatus::Syncing { addr }
            | NodeStatus::Synced { addr, .. }
            | NodeStatus::NoPeers { addr } => *addr,
        }
    }
}

/// Changes peers brought since the last round: which documents, from whom.
#[derive(Default)]
struct Arrived {
    from: BTreeMap<DocId, BTreeSet<String>>,
}

impl Arrived {
    fn add(&mut self, peer: String, docs: BTreeSet<DocId>) {
        for doc in docs {
            self.from.entry(doc).or_default().insert(peer.clone());
        }
    }

    /// The peers with an address that would receive one of these documents
    /// and did not send it: the changes go on to them now. A peer is named
    /// by its node id (names are the user's and may change).
    fn onward(&self, store: &mut crate::store::Store, dir: &std::path::Path) -> Vec<String> {
        let Ok(peers) = Peers::load(dir) else { return Vec::new() };
        peers
            .peers
            .iter()
            .filter(|p| p.addr.is_some())
            .filter(|p| {
                self.from
                    .iter()
                    .any(|(doc, senders)| !senders.contains(&p.name) && super::forward::would_send(store, p, doc))
            })
            .map(|p| p.node_id.to_string())
            .collect()
    }
}

/// One round's outcome, per peer.
pub type Round = Vec<Result<Summary, super::SessionError>>;

pub struct Daemon {
    pub node: Arc<Node>,
    status: watch::Receiver<NodeStatus>,
    requests: mpsc::Sender<oneshot::Sender<Result<Round>>>,
    rounds: tokio::sync::broadcast::Sender<Arc<Round>>,
}

impl Daemon {
    /// Binds the endpoint and starts serving and syncing in the current runtime.
    pub fn start(dir: PathBuf, store: StoreHandle, config: DaemonConfig) -> Result<Daemon> {
        let node = match Node::start(dir.clone(), store.clone(), config.listen) {
            Ok(node) => node,
            Err(e) if config.fallback_port => {
                let any = SocketAddr::new(config.listen.ip(), 0);
                tracing::warn!("{e:#}; listening on a free port instead");
                Node::start(dir, store.clone(), any)?
            }
            Err(e) => return Err(e),
        };
        let node = Arc::new(node);
        let addr = node.local_addr()?;
        let (status_tx, status) = watch::channel(NodeStatus::Listening { addr });
        let (requests, mut request_rx) = mpsc::channel::<oneshot::Sender<Result<Round>>>(8);
        let (rounds, _) = tokio::sync::broadcast::channel(16);
        tokio::spawn(node.clone().serve());
        // A node listening on loopback only cannot be reached from the LAN: nothing to announce.
        if config.discovery && !addr.ip().is_loopback() {
            match super::discovery::Mdns::start() {
                Ok(lan) => {
                    let (dir, own) = (node.dir.clone(), node.identity.node_id);
                    let every = Duration::from_secs(2);
                    tokio::spawn(super::discovery::run(Box::new(lan), dir, own, addr.port(), every));
                }
                Err(e) => tracing::warn!("LAN discovery off: {e:#}"),
            }
        }
        let looping = node.clone();
        let announce = rounds.clone();
        let mut changes = store.subscribe();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(config.interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // When the last round for local edits ended, and whether this one is for them.
            let (mut last_round, mut for_edits) = (None, false);
            loop {
                // Which peers this round goes to: all (empty), or those a relay reaches.
                let mut peers: Vec<String> = Vec::new();
                let reply = tokio::select! {
                    _ = tick.tick() => None,
                    change = changes.recv() => match change {
                        Ok(StoreEvent::Changed { origin: Origin::Local | Origin::Client, .. }) => {
                            // An edit after a quiet spell goes out at once; in a
                            // burst (a round ended less than `settle` ago) the
                            // rest wait that out and go together.
                            let since = last_round.map(|t: tokio::time::Instant| t.elapsed());
                            if let Some(wait) = since.and_then(|s| config.settle.checked_sub(s)) {
                                tokio::time::sleep(wait).await;
                            }
                            // Everything edited while settling goes in this round.
                            while changes.try_recv().is_ok() {}
                            for_edits = true;
                            None
                        }
                        Ok(StoreEvent::Changed { origin: Origin::Peer(from), docs }) => {
                            tokio::time::sleep(config.relay_settle).await;
                            let mut arrived = Arrived::default();
                            arrived.add(from, docs);
                            let mut local = false;
                            while let Ok(StoreEvent::Changed { origin, docs }) = changes.try_recv() {
                                match origin {
                                    Origin::Local | Origin::Client => local = true,
                                    Origin::Peer(from) => arrived.add(from, docs),
                                }
                            }
                            if !local {
                                let dir = looping.dir.clone();
                                peers = store.call(move |s| arrived.onward(s, &dir)).await;
                                if peers.is_empty() {
                                    continue;
                                }
                            }
                            None
                        }
                        // Events were lost: a full round finds whatever they announced.
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => None,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                    },
                    request = request_rx.recv() => match request {
                        Some(reply) => Some(reply),
                        None => break,
                    },
                };
                let _ = status_tx.send(NodeStatus::Syncing { addr });
                let round = sync_once(&looping, &peers).await;
                if std::mem::take(&mut for_edits) {
                    last_round = Some(tokio::time::Instant::now());
                }
                let next = match &round {
                    Ok(results) if results.is_empty() => NodeStatus::NoPeers { addr },
                    Ok(results) => NodeStatus::Synced {
                        addr,
                        at: looping.clock.now().format("%H:%M").to_string(),
                        peers_ok: results.iter().filter(|r| r.as_ref().is_ok_and(|s| s.errors.is_empty())).count(),
                        peers_failed: results.iter().filter(|r| !r.as_ref().is_ok_and(|s| s.errors.is_empty())).count(),
                        changes_in: results.iter().filter_map(|r| r.as_ref().ok()).map(|s| s.changes_in).sum(),
                    },
                    Err(e) => {
                        tracing::warn!("sync round failed: {e:#}");
                        NodeStatus::Synced {
                            addr,
                            at: looping.clock.now().format("%H:%M").to_string(),
                            peers_ok: 0,
                            peers_failed: 1,
                            changes_in: 0,
                        }
                    }
                };
                let _ = status_tx.send(next);
                match (reply, round) {
                    (Some(reply), round) => {
                        let _ = reply.send(round);
                    }
                    (None, Ok(results)) => {
                        let _ = announce.send(Arc::new(results));
                    }
                    (None, Err(_)) => {}
                }
            }
        });
        Ok(Daemon { node, status, requests, rounds })
    }

    /// Runs a round now (after the one in progress, if any).
    pub async fn sync_now(&self) -> Result<Round> {
        let (tx, rx) = oneshot::channel();
        self.requests.send(tx).await.map_err(|_| anyhow::anyhow!("the sync loop has stopped"))?;
        rx.await.map_err(|_| anyhow::anyhow!("the sync loop has stopped"))?
    }

    pub fn status(&self) -> watch::Receiver<NodeStatus> {
        self.status.clone()
    }

    /// Rounds the node ran by itself (timer, local edits), for `serve`'s log.
    pub fn rounds(&self) -> tokio::sync::broadcast::Receiver<Arc<Round>> {
        self.rounds.subscribe()
    }
}
