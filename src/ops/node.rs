//! The actions that need the network: sync now, join with an invitation,
//! and serve (run this node for peers). They run in a `NodeEnv`, the
//! store's thread and the node already running on it, if any: without one
//! a node is started for the action and closed after it.

use super::{OpError, OpResult};
use crate::store::StoreHandle;
use crate::sync::{self, Daemon, DaemonConfig, Node, NodeId, Summary};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// What a network action runs in.
#[derive(Clone)]
pub struct NodeEnv {
    pub store: StoreHandle,
    /// The node running on this data directory (the UI's, `serve`'s), if any.
    pub daemon: Option<Arc<Daemon>>,
    /// The data directory (identity, peers.json).
    pub dir: PathBuf,
    /// Told how the action's sessions go: a node started for the action
    /// from its start, a running node's while the action runs (`Node::watch`).
    pub progress: Option<sync::Progress>,
}

impl NodeEnv {
    pub fn new(store: StoreHandle, daemon: Option<Arc<Daemon>>, dir: PathBuf) -> NodeEnv {
        NodeEnv { store, daemon, dir, progress: None }
    }

    pub fn with_progress(self, progress: Option<sync::Progress>) -> NodeEnv {
        NodeEnv { progress, ..self }
    }

    /// A running node tells this action's watcher how its sessions go
    /// while the returned guard lives (a node started for the action is
    /// told from the start, `node`).
    fn watching(&self) -> Option<sync::session::Watching> {
        match (&self.daemon, &self.progress) {
            (Some(daemon), Some(progress)) => Some(daemon.node.watch(progress.clone())),
            _ => None,
        }
    }

    /// The running node, or one started for this action (`true`: close it after).
    fn node(&self) -> OpResult<(Arc<Node>, bool)> {
        match &self.daemon {
            Some(d) => Ok((d.node.clone(), false)),
            None => {
                let any: SocketAddr = "0.0.0.0:0".parse().expect("a valid address");
                let node = Node::start(self.dir.clone(), self.store.clone(), any)?;
                // Gone after this action: a kept connection would only hold
                // up `wait_idle` until the peer closed it.
                node.keep_connections(false);
                let node = match &self.progress {
                    Some(p) => node.with_progress(p.clone()),
                    None => node,
                };
                Ok((Arc::new(node), true))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncNow {
    /// Peers by name or node id; empty: every peer with an address.
    pub peers: Vec<String>,
}

/// One peer's part of a round: what it exchanged, or why it failed.
pub type PeerResult = Result<Summary, sync::SessionError>;

#[derive(Debug, Clone, Default)]
pub struct Synced {
    pub peers: Vec<PeerResult>,
}

impl Synced {
    /// Peers that did not sync cleanly (failed, or a document refused).
    pub fn failed(&self) -> usize {
        self.peers.iter().filter(|r| !r.as_ref().is_ok_and(|s| s.errors.is_empty())).count()
    }
}

/// One sync round now. A running node's round of all peers goes through
/// its loop, so it never overlaps the rounds the node runs by itself.
pub async fn sync(env: &NodeEnv, cmd: SyncNow) -> OpResult<Synced> {
    let _watching = env.watching();
    let round = match (&env.daemon, cmd.peers.is_empty()) {
        (Some(daemon), true) => daemon.sync_now().await?,
        _ => {
            let (node, own) = env.node()?;
            let round = sync::sync_once(&node, &cmd.peers).await;
            if own {
                node.endpoint.wait_idle().await;
            }
            round?
        }
    };
    if round.is_empty() {
        return Err(OpError::NoPeers);
    }
    Ok(Synced { peers: round })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// The invitation code, as `invite` made it; with `short`, the inviting
    /// node's address HOST:PORT.
    pub code: String,
    /// The short code read aloud over the phone (`invite --short`), as typed.
    pub short: Option<String>,
    /// This node's name, as the inviting node will list it.
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Joined {
    /// The first sync with the inviting node.
    pub summary: Summary,
}

impl Joined {
    /// Joined, and the first sync brought and sent everything.
    pub fn complete(&self) -> bool {
        self.summary.errors.is_empty()
    }
}

/// Joins the node that made an invitation code: trusts it, is trusted by
/// it, and syncs with it once.
pub async fn join(env: &NodeEnv, cmd: Join) -> OpResult<Joined> {
    let name = cmd.name.trim();
    if name.is_empty() {
        return Err(OpError::invalid("name", "名称不能为空 (a name is required)"));
    }
    let short = cmd.short.filter(|s| !s.trim().is_empty());
    if short.is_none() && sync::short::normalize_addr(&cmd.code).contains(':') {
        return Err(OpError::invalid(
            "short",
            "请在地址后输入 10 位短码:hubsync join 地址 12345-67890 (give the 10-digit short code after the address)",
        ));
    }
    let _watching = env.watching();
    let (node, own) = env.node()?;
    let summary = match &short {
        Some(digits) => node.join_short(&cmd.code, digits, name).await,
        None => node.join(cmd.code.trim(), name).await,
    };
    if own {
        node.endpoint.wait_idle().await;
    }
    Ok(Joined { summary: summary? })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Serve {
    /// HOST:PORT to accept peers on.
    pub listen: String,
    /// Between rounds with every peer; None: the daemon's default.
    pub interval: Option<Duration>,
    /// Announce the node on the LAN and find peers there.
    pub discovery: bool,
    /// A taken port falls back to a free one (the UI: it must open anyway).
    pub fallback_port: bool,
}

/// A node running in the current runtime: serving peers and syncing.
pub struct Serving {
    pub daemon: Arc<Daemon>,
    pub node_id: NodeId,
    pub addr: SocketAddr,
}

/// The shortest interval between full rounds: shorter would only load peers.
pub const MIN_INTERVAL: Duration = Duration::from_secs(5);

/// Starts this node: accepts peers, and syncs with known peers
/// periodically and shortly after local changes (`sync::Daemon`).
pub fn serve(env: &NodeEnv, cmd: Serve) -> OpResult<Serving> {
    let listen: SocketAddr = cmd.listen.trim().parse().map_err(|_| {
        OpError::invalid("listen", format!("地址 '{}' 应为 IP:PORT (address must be IP:PORT)", cmd.listen))
    })?;
    let mut config = DaemonConfig::new(listen);
    if let Some(every) = cmd.interval {
        config.interval = every.max(MIN_INTERVAL);
    }
    config.discovery = cmd.discovery;
    config.fallback_port = cmd.fallback_port;
    let daemon = Arc::new(Daemon::start(env.dir.clone(), env.store.clone(), config)?);
    let node_id = daemon.node.identity.node_id;
    let addr = daemon.node.local_addr()?;
    Ok(Serving { daemon, node_id, addr })
}
