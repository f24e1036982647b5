//! A sync session between two nodes over one QUIC connection.
//!
//! 1. The connecting side sends `Intro` (its home federation) on a control
//!    stream; the accepting side answers with its `Offers` (documents it
//!    shares with this peer, with heads) and the connecting side with its own.
//! 2. For every offered document whose heads differ, the connecting side
//!    opens a stream and both run the Automerge sync protocol in lockstep
//!    until neither has anything to send. Documents run concurrently.
//! 3. A peer's changes are applied only to documents it may write: ours it
//!    was granted write on, or its own federation's. Others are refused.

use super::identity::{Identity, NodeId};
use super::offers::{self as remembered, Delta};
use super::transport::{self, read_frame, write_frame};
use super::trust::{Grant, Peer, Peers};
use crate::domain::RecordId;
use crate::store::{DocId, Store, StoreHandle};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most documents one session will sync.
pub const MAX_DOCS: usize = 20_000;
/// Most lockstep rounds for one document before the session gives up.
const MAX_ROUNDS: usize = 200;
/// Documents synced at once over one connection.
const PARALLEL_DOCS: usize = 16;

#[derive(Serialize, Deserialize)]
struct Intro {
    home: Option<String>,
    /// A joining node's invitation secret and the name it gives itself.
    #[serde(default)]
    join: Option<(String, String)>,
    /// Hash of the copy we hold of the accepting side's last offers.
    #[serde(default)]
    holds: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Offers {
    home: Option<String>,
    /// Document id -> digest of its heads (64 bits of SHA-256 over the sorted
    /// heads), as a delta from what the other side last received.
    docs: Delta,
    /// Hash of the copy we hold of the other side's last offers.
    holds: Option<String>,
}

fn heads_digest(heads: &[automerge::ChangeHash]) -> String {
    use sha2::{Digest, Sha256};
    let mut sorted: Vec<&automerge::ChangeHash> = heads.iter().collect();
    sorted.sort();
    let mut h = Sha256::new();
    for head in sorted {
        h.update(head.0);
    }
    hex::encode(&h.finalize()[..8])
}

/// What one session did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub peer: String,
    pub documents: usize,
    pub synced: usize,
    pub changes_in: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub millis: u128,
    pub errors: Vec<String>,
}

/// What a peer may do with a document, seen from this node.
fn may_share(store: &Store, peer: &Peer, peer_home: Option<&RecordId>, doc: &DocId) -> Option<bool> {
    let fed = doc.federation();
    if Some(&fed) == store.home_id() {
        peer.grant_for(doc).map(|g| g == Grant::Write)
    } else if Some(&fed) == peer_home {
        // The peer's own federation: it is the owner.
        Some(true)
    } else {
        None
    }
}

/// Our offers to a peer: documents it may see, with their heads.
fn offers(store: &mut Store, peer: &Peer, peer_home: Option<&RecordId>) -> BTreeMap<String, String> {
    let docs: Vec<DocId> =
        store.doc_ids(None).into_iter().filter(|d| may_share(store, peer, peer_home, d).is_some()).collect();
    docs.into_iter().map(|d| (d.to_string(), heads_digest(&store.doc_heads(&d).unwrap_or_default()))).collect()
}

async fn send_json<T: Serialize>(send: &mut quinn::SendStream, value: &T) -> Result<u64> {
    let bytes = serde_json::to_vec(value)?;
    write_frame(send, &bytes).await?;
    Ok(bytes.len() as u64 + 4)
}

async fn recv_json<T: for<'de> Deserialize<'de>>(recv: &mut quinn::RecvStream) -> Result<(T, u64)> {
    let bytes = read_frame(recv).await?;
    let value = serde_json::from_slice(&bytes).context("malformed control message")?;
    Ok((value, bytes.len() as u64 + 4))
}

/// Frame tags inside a document stream.
const NONE: u8 = 0;
const MSG: u8 = 1;
const ERR: u8 = 2;

pub struct Node {
    pub dir: PathBuf,
    pub identity: Identity,
    pub store: StoreHandle,
    pub endpoint: quinn::Endpoint,
}

impl Node {
    pub fn start(dir: PathBuf, store: StoreHandle, listen: std::net::SocketAddr) -> Result<Node> {
        let identity = Identity::load_or_create(&dir)?;
        let endpoint = transport::endpoint(&identity, dir.clone(), listen)?;
        Ok(Node { dir, identity, store, endpoint })
    }

    pub fn local_addr(&self) -> Result<std::net::SocketAddr> {
        Ok(self.endpoint.local_addr()?)
    }

    async fn home(&self) -> Option<RecordId> {
        self.store.call(|s| s.home_id().cloned()).await
    }

    /// Connects to a peer and syncs everything shared both ways, once.
    pub async fn sync_with(&self, peer: &Peer) -> Result<Summary> {
        self.session(peer, None).await
    }

    /// Joins with an invitation code: trusts the inviter, presents the
    /// secret, and syncs what the invitation grants. A node without a
    /// federation of its own takes the inviter's as its home.
    pub async fn join(&self, code: &str, name: &str) -> Result<Summary> {
        let code = super::invite::decode(code)?;
        let mut peers = Peers::load(&self.dir)?;
        let inviter = "邀请方";
        peers.add(code.node, inviter, Some(code.addr.clone()))?;
        let has_home = self.home().await.is_some();
        if !has_home {
            peers.find_mut(inviter)?.grants.insert("*".into(), Grant::Write);
        }
        peers.save(&self.dir)?;
        let peer = peers.find(inviter)?.clone();
        self.session(&peer, Some((code.secret, name.to_string()))).await
    }

    async fn session(&self, peer: &Peer, join: Option<(String, String)>) -> Result<Summary> {
        let started = Instant::now();
        let addr = peer
            .addr
            .as_deref()
            .with_context(|| format!("对等方「{}」没有地址 (peer has no address; peer add --addr)", peer.name))?;
        let sock = tokio::net::lookup_host(addr)
            .await?
            .next()
            .with_context(|| format!("无法解析地址 {addr} (cannot resolve)"))?;
        let conn = self
            .endpoint
            .connect(sock, "hubsync")?
            .await
            .with_context(|| format!("无法连接 {} ({addr})", peer.name))?;
        if transport::peer_node(&conn)? != peer.node_id {
            bail!("{addr} 的节点编号与「{}」不符 (the node at this address is not that peer)", peer.name);
        }
        let mut summary = Summary { peer: peer.name.clone(), ..Default::default() };
        let (mut send, mut recv) = conn.open_bi().await?;
        let home = self.home().await;
        let joining = join.is_some();
        let node_id = peer.node_id;
        let mut memory = self.store.call(move |s| remembered::load(s, &node_id)).await;
        let holds = Some(remembered::map_hash(&memory.received));
        summary.bytes_out +=
            send_json(&mut send, &Intro { home: home.as_ref().map(|h| h.to_string()), join, holds }).await?;
        let (answer, n): (Offers, u64) = recv_json(&mut recv).await?;
        summary.bytes_in += n;
        let theirs_docs = remembered::apply(answer.docs, &memory.received)?;
        let peer_home = answer.home.clone().map(RecordId);
        if joining && home.is_none() {
            if let Some(h) = peer_home.clone() {
                self.store.call(move |s| s.set_home(&h)).await?;
            }
        }
        let p = peer.clone();
        let ph = peer_home.clone();
        let ours = self.store.call(move |s| offers(s, &p, ph.as_ref())).await;
        let delta = remembered::encode(&ours, &memory.sent, answer.holds.as_deref());
        summary.bytes_out +=
            send_json(&mut send, &Offers { home: home.map(|h| h.to_string()), docs: delta, holds: None }).await?;
        let _ = send.finish();
        memory.sent = ours.clone();
        memory.received = theirs_docs.clone();
        self.store.call(move |s| remembered::save(s, &node_id, &memory)).await?;
        let theirs = Offers {
            home: answer.home,
            docs: Delta { base: None, set: theirs_docs, removed: Vec::new() },
            holds: None,
        };

        // Documents to sync: offered by either side, unless both offered the same heads.
        let mut todo = BTreeSet::new();
        for doc in ours.keys().chain(theirs.docs.set.keys()) {
            if ours.get(doc) != theirs.docs.set.get(doc) {
                todo.insert(doc.clone());
            }
        }
        summary.documents = ours.len().max(theirs.docs.set.len());
        if todo.len() > MAX_DOCS {
            bail!("too many documents ({})", todo.len());
        }
        let limit = Arc::new(tokio::sync::Semaphore::new(PARALLEL_DOCS));
        let mut tasks = Vec::new();
        for doc in todo {
            let Ok(doc_id) = DocId::parse(&doc) else {
                summary.errors.push(format!("ignored malformed document id from peer: {doc}"));
                continue;
            };
            let conn = conn.clone();
            let store = self.store.clone();
            let peer = peer.clone();
            let peer_home = peer_home.clone();
            let permit = limit.clone().acquire_owned().await?;
            tasks.push(tokio::spawn(async move {
                let _permit = permit;
                let may_write = {
                    let p = peer.clone();
                    let d = doc_id.clone();
                    store.call(move |s| may_share(s, &p, peer_home.as_ref(), &d)).await
                };
                let Some(may_write) = may_write else { return (doc_id, Ok((0, 0, 0))) };
                let result = client_doc(&conn, &store, &peer, &doc_id, may_write).await;
                if result.is_err() {
                    // Start the next session on this document from scratch.
                    reset(&store, &peer, &doc_id).await;
                }
                (doc_id, result)
            }));
        }
        for t in tasks {
            match t.await {
                Ok((_, Ok((changes, bytes_in, bytes_out)))) => {
                    summary.synced += 1;
                    summary.changes_in += changes;
                    summary.bytes_in += bytes_in;
                    summary.bytes_out += bytes_out;
                }
                Ok((doc, Err(e))) => summary.errors.push(format!("{doc}: {e:#}")),
                Err(e) => summary.errors.push(e.to_string()),
            }
        }
        let name = peer.node_id.to_string();
        self.store.call(move |s| s.save_sync_states(&name)).await?;
        conn.close(0u32.into(), b"done");
        summary.millis = started.elapsed().as_millis();
        Ok(summary)
    }

    /// Accepts connections until the endpoint closes.
    pub async fn serve(self: Arc<Self>) -> Result<()> {
        while let Some(incoming) = self.endpoint.accept().await {
            let node = self.clone();
            tokio::spawn(async move {
                let remote = incoming.remote_address();
                match incoming.await {
                    Ok(conn) => {
                        if let Err(e) = node.handle(conn).await {
                            tracing::warn!(%remote, "sync session ended with an error: {e:#}");
                        }
                    }
                    Err(e) => tracing::warn!(%remote, "refused a connection: {e}"),
                }
            });
        }
        Ok(())
    }

    async fn handle(&self, conn: quinn::Connection) -> Result<()> {
        let node = transport::peer_node(&conn)?;
        let (mut send, mut recv) = conn.accept_bi().await?;
        let (intro, _): (Intro, u64) = recv_json(&mut recv).await?;
        let mut peers = Peers::load(&self.dir)?;
        if peers.get(&node).is_none() {
            // Only an invitation's secret turns a stranger into a peer.
            let grants = match &intro.join {
                Some((secret, _)) => super::invite::consume(&self.dir, secret)?,
                None => None,
            };
            let Some(grants) = grants else {
                conn.close(2u32.into(), b"unknown peer");
                bail!("refused node {} at {}: not a peer and no valid invitation", node.short(), conn.remote_address());
            };
            let name = intro
                .join
                .as_ref()
                .map(|(_, n)| n.clone())
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| node.short());
            let name =
                if peers.peers.iter().any(|p| p.name == name) { format!("{name}-{}", node.short()) } else { name };
            peers.add(node, &name, None)?;
            peers.find_mut(&name)?.grants = grants;
            peers.save(&self.dir)?;
            tracing::info!(peer = %name, node = %node, "joined with an invitation");
        }
        let peer = peers.get(&node).cloned().with_context(|| format!("peer {} was removed", node.short()))?;
        let peer_home = intro.home.map(RecordId);
        let p = peer.clone();
        let ph = peer_home.clone();
        let ours = self.store.call(move |s| offers(s, &p, ph.as_ref())).await;
        let home = self.home().await;
        let mut memory = self.store.call(move |s| remembered::load(s, &node)).await;
        let delta = remembered::encode(&ours, &memory.sent, intro.holds.as_deref());
        let holds = Some(remembered::map_hash(&memory.received));
        send_json(&mut send, &Offers { home: home.map(|h| h.to_string()), docs: delta, holds }).await?;
        let (theirs, _): (Offers, u64) = recv_json(&mut recv).await?;
        memory.received = remembered::apply(theirs.docs, &memory.received)?;
        memory.sent = ours;
        self.store.call(move |s| remembered::save(s, &node, &memory)).await?;
        let mut served = 0usize;
        loop {
            let (send, recv) = match conn.accept_bi().await {
                Ok(s) => s,
                Err(quinn::ConnectionError::ApplicationClosed(_)) | Err(quinn::ConnectionError::LocallyClosed) => break,
                Err(e) => return Err(e.into()),
            };
            served += 1;
            if served > MAX_DOCS {
                conn.close(1u32.into(), b"too many documents");
                bail!("peer {} opened too many document streams", peer.name);
            }
            let store = self.store.clone();
            let peer = peer.clone();
            let peer_home = peer_home.clone();
            tokio::spawn(async move {
                if let Err(e) = server_doc(send, recv, &store, &peer, peer_home).await {
                    tracing::warn!(peer = %peer.name, "document sync failed: {e:#}");
                }
            });
        }
        let name = node.to_string();
        self.store.call(move |s| s.save_sync_states(&name)).await?;
        let mut peers = Peers::load(&self.dir)?;
        if let Ok(p) = peers.find_mut(&node.to_string()) {
            p.last_sync = Some(chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string());
            p.last_error = None;
            peers.save_status(&self.dir)?;
        }
        Ok(())
    }
}

/// One frame of a document stream: nothing to send, a message, or an error.
async fn send_msg(send: &mut quinn::SendStream, msg: Option<&[u8]>) -> Result<u64> {
    let mut frame = Vec::with_capacity(1 + msg.map_or(0, <[u8]>::len));
    match msg {
        Some(m) => {
            frame.push(MSG);
            frame.extend_from_slice(m);
        }
        None => frame.push(NONE),
    }
    write_frame(send, &frame).await?;
    Ok(frame.len() as u64 + 4)
}

async fn recv_msg(recv: &mut quinn::RecvStream) -> Result<(Option<Vec<u8>>, u64)> {
    let frame = read_frame(recv).await?;
    let n = frame.len() as u64 + 4;
    match frame.split_first() {
        Some((&NONE, _)) => Ok((None, n)),
        Some((&MSG, rest)) => Ok((Some(rest.to_vec()), n)),
        Some((&ERR, rest)) => bail!("peer refused: {}", String::from_utf8_lossy(rest)),
        _ => bail!("malformed frame from peer"),
    }
}

async fn begin(store: &StoreHandle, peer: &Peer, doc: &DocId) {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    store.call(move |s| s.begin_sync(&name, &d)).await;
}

async fn reset(store: &StoreHandle, peer: &Peer, doc: &DocId) {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    store.call(move |s| s.reset_sync_state(&name, &d)).await;
}

/// Applies a peer's message through the store thread.
async fn receive(store: &StoreHandle, peer: &Peer, doc: &DocId, msg: Vec<u8>, may_write: bool) -> Result<usize> {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    let origin = Some(peer.name.clone());
    let receipt = store.call_as(origin, move |s| s.sync_receive(&name, &d, &msg, may_write)).await?;
    Ok(receipt.changes)
}

async fn generate(store: &StoreHandle, peer: &Peer, doc: &DocId) -> Result<Option<Vec<u8>>> {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    Ok(store
        .call(move |s| {
            s.ensure_doc(&d)?;
            s.sync_generate(&name, &d)
        })
        .await?)
}

/// The connecting side of one document: send, then read, until both are quiet.
async fn client_doc(
    conn: &quinn::Connection,
    store: &StoreHandle,
    peer: &Peer,
    doc: &DocId,
    may_write: bool,
) -> Result<(usize, u64, u64)> {
    let (mut send, mut recv) = conn.open_bi().await?;
    let (mut changes, mut bytes_in, mut bytes_out) = (0, 0, 0);
    write_frame(&mut send, doc.as_str().as_bytes()).await?;
    for _ in 0..MAX_ROUNDS {
        let ours = generate(store, peer, doc).await?;
        let sent_none = ours.is_none();
        bytes_out += send_msg(&mut send, ours.as_deref()).await?;
        let (theirs, n) = recv_msg(&mut recv).await?;
        bytes_in += n;
        let got_none = theirs.is_none();
        if let Some(m) = theirs {
            changes += receive(store, peer, doc, m, may_write).await?;
        }
        if sent_none && got_none {
            let _ = send.finish();
            return Ok((changes, bytes_in, bytes_out));
        }
    }
    bail!("document did not settle after {MAX_ROUNDS} rounds")
}

/// The accepting side of one document stream.
async fn server_doc(
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
    store: &StoreHandle,
    peer: &Peer,
    peer_home: Option<RecordId>,
) -> Result<()> {
    let name = read_frame(&mut recv).await?;
    let doc = DocId::parse(&String::from_utf8_lossy(&name)).map_err(anyhow::Error::msg)?;
    let (p, d) = (peer.clone(), doc.clone());
    begin(store, peer, &doc).await;
    let Some(may_write) = store.call(move |s| may_share(s, &p, peer_home.as_ref(), &d)).await else {
        write_frame(&mut send, &[&[ERR][..], b"document not shared with you"].concat()).await?;
        bail!("peer asked for {doc}, which is not shared with it");
    };
    for _ in 0..MAX_ROUNDS {
        let (theirs, _) = recv_msg(&mut recv).await?;
        let got_none = theirs.is_none();
        if let Some(m) = theirs {
            if let Err(e) = receive(store, peer, &doc, m, may_write).await {
                tracing::warn!(peer = %peer.name, %doc, "refused: {e}");
                reset(store, peer, &doc).await;
                let text = e.to_string();
                write_frame(&mut send, &[&[ERR][..], text.as_bytes()].concat()).await?;
                return Err(e);
            }
        }
        let ours = generate(store, peer, &doc).await?;
        let sent_none = ours.is_none();
        send_msg(&mut send, ours.as_deref()).await?;
        if sent_none && got_none {
            let _ = send.finish();
            return Ok(());
        }
    }
    bail!("document {doc} did not settle")
}

/// Peers' status for the UI and `peer list`.
#[derive(Debug, Clone, Serialize)]
pub struct PeerStatus {
    pub name: String,
    pub node_id: NodeId,
    pub addr: Option<String>,
    pub grants: BTreeMap<String, Grant>,
    pub last_sync: Option<String>,
    pub last_error: Option<String>,
}

pub fn status(dir: &std::path::Path) -> Result<Vec<PeerStatus>> {
    Ok(Peers::load(dir)?
        .peers
        .into_iter()
        .map(|p| PeerStatus {
            name: p.name,
            node_id: p.node_id,
            addr: p.addr,
            grants: p.grants,
            last_sync: p.last_sync,
            last_error: p.last_error,
        })
        .collect())
}

/// Syncs once with each of these peers (all known ones when empty),
/// recording the outcome in the peer list.
pub async fn sync_once(node: &Node, names: &[String]) -> Result<Vec<Result<Summary>>> {
    let peers = Peers::load(&node.dir)?;
    let chosen: Vec<Peer> = if names.is_empty() {
        peers.peers.iter().filter(|p| p.addr.is_some()).cloned().collect()
    } else {
        names.iter().map(|n| peers.find(n).cloned()).collect::<Result<_>>()?
    };
    let mut out = Vec::new();
    for peer in chosen {
        let result = tokio::time::timeout(Duration::from_secs(600), node.sync_with(&peer))
            .await
            .unwrap_or_else(|_| Err(anyhow::anyhow!("timed out")));
        let mut peers = Peers::load(&node.dir)?;
        if let Ok(p) = peers.find_mut(&peer.node_id.to_string()) {
            match &result {
                Ok(s) if s.errors.is_empty() => {
                    p.last_sync = Some(chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string());
                    p.last_error = None;
                }
                Ok(s) => p.last_error = s.errors.first().cloned(),
                Err(e) => p.last_error = Some(format!("{e:#}")),
            }
            peers.save_status(&node.dir)?;
        }
        out.push(result);
    }
    Ok(out)
}
