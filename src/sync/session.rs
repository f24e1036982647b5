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

use super::authorship::{self, Gate};
use super::forward::{Access, Held, PeerView};
use super::identity::{Identity, NodeId};
use super::limits::{Budget, Limits, SessionBudget};
use super::offers::{self as remembered, Delta};
use super::pin;
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
pub(super) const MAX_ROUNDS: usize = 200;
/// Documents synced at once over one connection.
const PARALLEL_DOCS: usize = 16;

#[derive(Serialize, Deserialize)]
pub(super) struct Intro {
    pub(super) home: Option<String>,
    /// A joining node's invitation secret and the name it gives itself.
    #[serde(default)]
    pub(super) join: Option<(String, String)>,
    /// Hash of the copy we hold of the accepting side's last offers.
    #[serde(default)]
    pub(super) holds: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct Offers {
    pub(super) home: Option<String>,
    /// Document id -> digest of its heads (64 bits of SHA-256 over the sorted
    /// heads), as a delta from what the other side last received.
    pub(super) docs: Delta,
    /// Hash of the copy we hold of the other side's last offers.
    pub(super) holds: Option<String>,
    /// Authors lists of federations offered whose digest changed since the
    /// copy the other side holds (`~authors/<fed>` entries of `docs`).
    #[serde(default)]
    pub(super) lists: Vec<authorship::AuthorList>,
}

/// What one session did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub peer: String,
    pub documents: usize,
    pub synced: usize,
    pub changes_in: usize,
    pub changes_out: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub millis: u128,
    pub errors: Vec<String>,
}

/// What a peer may do with a document, seen from this node (sync::forward).
pub(super) fn may_share(store: &Store, view: &PeerView, doc: &DocId) -> Option<Access> {
    Held::new(store).access(view, doc)
}

/// The peer as this session sees it: its record, the home it owns, and
/// the federations other direct peers own.
pub(super) fn view(dir: &std::path::Path, peer: &Peer, home: Option<RecordId>, cert: Vec<u8>) -> Result<PeerView> {
    let owned_elsewhere = Peers::load(dir)?.homes_except(&peer.node_id);
    Ok(PeerView { peer: peer.clone(), home, owned_elsewhere, cert, new_federations: Default::default() })
}

/// Offer keys of authors lists: `~authors/<fed>` -> digest of the list.
pub(super) const LIST_KEY: &str = "~authors/";

/// Our offers to a peer: documents we send it, with their heads, and the
/// digests of the authors lists of their federations.
pub(super) fn offers(store: &mut Store, view: &PeerView, dir: &std::path::Path) -> BTreeMap<String, String> {
    authorship::remember_cert(store, &view.cert);
    if let Ok(peers) = Peers::load(dir) {
        authorship::own_list(store, &peers);
    }
    let docs: Vec<DocId> = {
        let mut held = Held::new(store);
        store.doc_ids(None).into_iter().filter(|d| held.access(view, d).is_some_and(|a| a.send)).collect()
    };
    let feds: BTreeSet<String> = docs.iter().map(|d| d.federation().0).collect();
    let mut out: BTreeMap<String, String> =
        docs.into_iter().map(|d| (d.to_string(), store.heads_digest(&d).unwrap_or_default())).collect();
    for fed in feds {
        if let Some(list) = authorship::load(store, &fed) {
            out.insert(format!("{LIST_KEY}{fed}"), list.digest());
        }
    }
    out
}

/// The federations whose lists a delta carries.
pub(super) fn lists_in(delta: &Delta) -> Vec<String> {
    delta.set.keys().filter_map(|k| k.strip_prefix(LIST_KEY)).map(str::to_string).collect()
}

/// The lists themselves.
pub(super) fn list_bodies(store: &mut Store, _view: &PeerView, feds: Vec<String>) -> Vec<authorship::AuthorList> {
    feds.iter().filter_map(|f| authorship::load(store, f)).collect()
}

/// Takes in the lists a peer sent; a list that does not check is logged
/// and dropped (the documents of its federation then take only what the
/// list we hold admits). A list travels with the documents it vouches for:
/// one for a federation we hold nothing of and `offered` (the peer's full
/// offers) names no document of is dropped, so that a peer cannot make this
/// node store lists of made-up federations.
pub(super) fn receive_lists(
    store: &mut Store,
    view: &PeerView,
    lists: Vec<authorship::AuthorList>,
    offered: &BTreeMap<String, String>,
) {
    let home = store.home_id().map(|h| h.0.clone());
    let mut wanted: BTreeSet<String> = store.doc_ids(None).iter().map(|d| d.federation().0).collect();
    wanted.extend(offered.keys().filter_map(|d| DocId::parse(d).ok()).map(|d| d.federation().0));
    for list in lists {
        let fed = list.fed.clone();
        if !wanted.contains(&fed) {
            tracing::warn!(peer = %view.peer.name, federation = %fed, "authors list of a federation neither held nor offered: dropped");
            continue;
        }
        // Its founder is believed, the first time, from the peer pinned as
        // that federation's owner, or from a relay when no direct peer owns it.
        // A device that joined our federation takes its list from the node
        // it joined through (the one it lets write everything).
        let ours = home.as_deref() == Some(fed.as_str());
        let inviter = ours && view.peer.grants.get("*") == Some(&Grant::Write);
        let trusted = view.peer.home.as_deref() == Some(fed.as_str())
            || inviter
            || (!ours && !view.owned_elsewhere.contains(&fed));
        if let Err(e) = authorship::receive(store, &list, trusted) {
            tracing::warn!(peer = %view.peer.name, federation = %fed, "authors list refused: {e}");
        }
    }
}

pub(super) async fn send_json<T: Serialize>(send: &mut quinn::SendStream, value: &T) -> Result<u64> {
    let bytes = serde_json::to_vec(value)?;
    write_frame(send, &bytes).await?;
    Ok(bytes.len() as u64 + 4)
}

pub(super) async fn recv_json<T: for<'de> Deserialize<'de>>(
    recv: &mut quinn::RecvStream,
    limits: &Limits,
    budget: &mut Budget,
    kind: transport::Frame,
) -> Result<(T, u64)> {
    let bytes = transport::read_frame_of(recv, limits, budget, kind).await?;
    let value = serde_json::from_slice(&bytes).context("malformed control message")?;
    Ok((value, bytes.len() as u64 + 4))
}

/// Frame tags inside a document stream.
const NONE: u8 = 0;
const MSG: u8 = 1;
pub(super) const ERR: u8 = 2;
/// A message followed by the signature records of its changes.
const SIGNED: u8 = 3;

pub struct Node {
    pub dir: PathBuf,
    pub identity: Identity,
    pub store: StoreHandle,
    pub endpoint: quinn::Endpoint,
    pub limits: Limits,
    /// Stamps the peer list's "last synced" and the daemon's status.
    pub clock: Arc<dyn crate::clock::Clock>,
}

impl Node {
    pub fn start(dir: PathBuf, store: StoreHandle, listen: std::net::SocketAddr) -> Result<Node> {
        Self::start_with_limits(dir, store, listen, Limits::default())
    }

    /// A node with other bounds (tests use short timeouts).
    pub fn start_with_limits(
        dir: PathBuf,
        store: StoreHandle,
        listen: std::net::SocketAddr,
        limits: Limits,
    ) -> Result<Node> {
        let identity = Identity::load_or_create(&dir)?;
        let endpoint = transport::endpoint(&identity, dir.clone(), listen)?;
        Ok(Node { dir, identity, store, endpoint, limits, clock: Arc::new(crate::clock::SystemClock) })
    }

    /// The same node reading another clock (tests; a laptop whose clock is wrong).
    pub fn with_clock(mut self, clock: Arc<dyn crate::clock::Clock>) -> Node {
        self.clock = clock;
        self
    }

    pub fn local_addr(&self) -> Result<std::net::SocketAddr> {
        Ok(self.endpoint.local_addr()?)
    }

    pub(super) async fn home(&self) -> Option<RecordId> {
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
        let inviter = "邀请方";
        let has_home = self.home().await.is_some();
        let peer = Peers::update(&self.dir, |peers| {
            peers.add(code.node, inviter, Some(code.addr.clone()))?;
            if !has_home {
                peers.find_mut(inviter)?.grants.insert("*".into(), Grant::Write);
            }
            Ok(peers.find(inviter)?.clone())
        })?;
        self.session(&peer, Some((code.secret, name.to_string()))).await
    }

    async fn session(&self, peer: &Peer, join: Option<(String, String)>) -> Result<Summary> {
        let started = Instant::now();
        let limits = self.limits.clone();
        let addr = peer
            .addr
            .as_deref()
            .with_context(|| format!("对等方「{}」没有地址 (peer has no address; peer add --addr)", peer.name))?;
        let sock = tokio::net::lookup_host(addr)
            .await?
            .next()
            .with_context(|| format!("无法解析地址 {addr} (cannot resolve)"))?;
        let connecting = self.endpoint.connect(sock, "hubsync")?;
        // What we remember of this peer's offers is read while the handshake
        // runs: the store thread is idle then.
        let node_id = peer.node_id;
        let memory = self.store.call(move |s| remembered::load(s, &node_id));
        let (handshake, mut memory) = tokio::join!(tokio::time::timeout(limits.handshake_timeout, connecting), memory);
        let conn = handshake
            .map_err(|_| anyhow::anyhow!("与 {} ({addr}) 握手超时 (handshake timed out)", peer.name))?
            .with_context(|| format!("无法连接 {} ({addr})", peer.name))?;
        if transport::peer_node(&conn)? != peer.node_id {
            bail!("{addr} 的节点编号与「{}」不符 (the node at this address is not that peer)", peer.name);
        }
        let budget = SessionBudget::new(&peer.name, &limits);
        let mut control = budget.stream();
        let mut summary = Summary { peer: peer.name.clone(), ..Default::default() };
        let (mut send, mut recv) = conn.open_bi().await?;
        let home = self.home().await;
        let joining = join.is_some();
        let holds = Some(remembered::map_hash(&memory.received));
        summary.bytes_out +=
            send_json(&mut send, &Intro { home: home.as_ref().map(|h| h.to_string()), join, holds }).await?;
        let (answer, n): (Offers, u64) = recv_json(&mut recv, &limits, &mut control, transport::Frame::Offers).await?;
        summary.bytes_in += n;
        let theirs_docs = remembered::apply(answer.docs, &memory.received)?;
        // Our home after this exchange: a laptop with none that joins takes
        // the inviter's.
        let mut home_now = home.clone();
        if joining {
            // The inviter is who we chose to trust: its claim is its home.
            pin::pin(&self.dir, &node_id, answer.home.as_deref())?;
            if let (None, Some(h)) = (&home, answer.home.clone()) {
                let h = RecordId(h);
                home_now = Some(h.clone());
                self.store.call(move |s| s.set_home(&h)).await?;
            }
        }
        let peer_home = pin::resolve(&self.dir, &node_id, answer.home.as_deref(), home_now.as_ref())?;
        let view = Arc::new(view(&self.dir, peer, peer_home, transport::peer_cert(&conn)?)?);
        let v = view.clone();
        let (lists, offered) = (answer.lists, theirs_docs.clone());
        let dir = self.dir.clone();
        let ours = self
            .store
            .call(move |s| {
                receive_lists(s, &v, lists, &offered);
                offers(s, &v, &dir)
            })
            .await;
        let delta = remembered::encode(&ours, &memory.sent, answer.holds.as_deref());
        let v = view.clone();
        let bodies = lists_in(&delta);
        let lists = self.store.call(move |s| list_bodies(s, &v, bodies)).await;
        summary.bytes_out +=
            send_json(&mut send, &Offers { home: home.map(|h| h.to_string()), docs: delta, holds: None, lists })
                .await?;
        let _ = send.finish();

        // Documents to sync: offered by either side, unless both offered the same heads.
        let mut todo = BTreeSet::new();
        for doc in ours.keys().chain(theirs_docs.keys()).filter(|d| !d.starts_with(LIST_KEY)) {
            if ours.get(doc) != theirs_docs.get(doc) {
                todo.insert(doc.clone());
            }
        }
        summary.documents = ours.len().max(theirs_docs.len());
        memory.sent = ours;
        memory.received = theirs_docs;
        if todo.len() > MAX_DOCS {
            bail!("too many documents ({})", todo.len());
        }
        let limit = Arc::new(tokio::sync::Semaphore::new(PARALLEL_DOCS));
        // Meta documents first, the two sides' own before the rest: a
        // federation new to a side is admitted by what its meta document
        // says about it and about the relay's own (forward::Held::access).
        let is_meta = |d: &String| DocId::parse(d).is_ok_and(|d| d.collection() == crate::domain::Collection::Meta);
        let homes: Vec<String> =
            [home_now.as_ref(), view.home.as_ref()].into_iter().flatten().map(|h| h.to_string()).collect();
        let is_home = |d: &String| homes.iter().any(|h| d.starts_with(&format!("{h}/")));
        let (metas, rest): (Vec<String>, Vec<String>) = todo.into_iter().partition(is_meta);
        let (home_metas, other_metas): (Vec<String>, Vec<String>) = metas.into_iter().partition(is_home);
        // The others by depth, parents first (what we do not hold, last).
        let by_depth: BTreeMap<usize, Vec<String>> = self
            .store
            .call(move |s| {
                let mut by_depth: BTreeMap<usize, Vec<String>> = BTreeMap::new();
                for d in other_metas {
                    let depth = DocId::parse(&d).ok().and_then(|id| super::forward::depth(s, &id.federation()));
                    by_depth.entry(depth.unwrap_or(usize::MAX)).or_default().push(d);
                }
                by_depth
            })
            .await;
        let phases = std::iter::once(home_metas).chain(by_depth.into_values()).chain(std::iter::once(rest));
        for phase in phases {
            // A JoinSet: if this session is dropped, its document tasks end too.
            let mut tasks = tokio::task::JoinSet::new();
            for doc in phase {
                let Ok(doc_id) = DocId::parse(&doc) else {
                    summary.errors.push(format!("ignored malformed document id from peer: {doc}"));
                    continue;
                };
                if budget.exceeded() {
                    break;
                }
                let conn = conn.clone();
                let store = self.store.clone();
                let peer = peer.clone();
                let view = view.clone();
                let limits = limits.clone();
                let mut doc_budget = budget.stream();
                let permit = limit.clone().acquire_owned().await?;
                tasks.spawn(async move {
                    let _permit = permit;
                    let decided = {
                        let d = doc_id.clone();
                        store.call(move |s| may_share(s, &view, &d).map(|a| (a, Arc::new(gate(s, &view, &d, a))))).await
                    };
                    let Some((access, gate)) = decided else {
                        return (doc_id, Ok(DocTally::default()));
                    };
                    let result =
                        client_doc(&conn, &store, &peer, &doc_id, (access, gate), &limits, &mut doc_budget).await;
                    if result.is_err() {
                        // Start the next session on this document from scratch.
                        reset(&store, &peer, &doc_id).await;
                    }
                    (doc_id, result)
                });
            }
            while let Some(t) = tasks.join_next().await {
                match t {
                    Ok((_, Ok(tally))) => {
                        summary.synced += 1;
                        summary.changes_in += tally.changes_in;
                        summary.changes_out += tally.changes_out;
                        summary.bytes_in += tally.bytes_in;
                        summary.bytes_out += tally.bytes_out;
                    }
                    Ok((doc, Err(e))) => summary.errors.push(format!("{doc}: {e:#}")),
                    Err(e) => summary.errors.push(e.to_string()),
                }
            }
        }
        // Saved after the documents, off their path: a memory lost in a
        // crash costs one full exchange of offers, nothing more.
        self.store.call(move |s| remembered::save(s, &node_id, &memory)).await?;
        if budget.exceeded() {
            conn.close(5u32.into(), b"over budget");
            bail!(
                "对等方「{}」超出了本次同步的数据上限 (peer {} went over the session's byte budget)",
                peer.name,
                peer.name
            );
        }
        conn.close(0u32.into(), b"done");
        summary.millis = started.elapsed().as_millis();
        Ok(summary)
    }
}

/// A sync message with the signature records of the changes it carries.
#[derive(Debug, Default)]
pub struct Signed {
    pub msg: Vec<u8>,
    pub sigs: Vec<(automerge::ChangeHash, Vec<u8>)>,
}

impl Signed {
    /// `u32` length of the message, the message, then per record: 32 bytes
    /// of change hash, `u16` length, the record.
    fn encode(&self, frame: &mut Vec<u8>) {
        frame.extend_from_slice(&(self.msg.len() as u32).to_be_bytes());
        frame.extend_from_slice(&self.msg);
        for (hash, record) in &self.sigs {
            frame.extend_from_slice(&hash.0);
            frame.extend_from_slice(&(record.len().min(u16::MAX as usize) as u16).to_be_bytes());
            frame.extend_from_slice(&record[..record.len().min(u16::MAX as usize)]);
        }
    }

    fn decode(bytes: &[u8]) -> Result<Signed> {
        let bad = || anyhow::anyhow!("malformed signed frame from peer");
        let len = u32::from_be_bytes(bytes.get(..4).ok_or_else(bad)?.try_into()?) as usize;
        let msg = bytes.get(4..4 + len).ok_or_else(bad)?.to_vec();
        let mut rest = &bytes[4 + len..];
        let mut sigs = Vec::new();
        while !rest.is_empty() {
            let hash: [u8; 32] = rest.get(..32).ok_or_else(bad)?.try_into()?;
            let n = u16::from_be_bytes(rest.get(32..34).ok_or_else(bad)?.try_into()?) as usize;
            let record = rest.get(34..34 + n).ok_or_else(bad)?.to_vec();
            sigs.push((automerge::ChangeHash(hash), record));
            rest = &rest[34 + n..];
        }
        Ok(Signed { msg, sigs })
    }
}

/// One frame of a document stream: nothing to send, a message (with the
/// signatures of its changes when it has any), or an error.
pub(super) async fn send_msg(send: &mut quinn::SendStream, msg: Option<&Signed>) -> Result<u64> {
    let mut frame = Vec::with_capacity(1 + msg.map_or(0, |m| m.msg.len()));
    match msg {
        Some(m) if m.sigs.is_empty() => {
            frame.push(MSG);
            frame.extend_from_slice(&m.msg);
        }
        Some(m) => {
            frame.push(SIGNED);
            m.encode(&mut frame);
        }
        None => frame.push(NONE),
    }
    write_frame(send, &frame).await?;
    Ok(frame.len() as u64 + 4)
}

pub(super) async fn recv_msg(
    recv: &mut quinn::RecvStream,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<(Option<Signed>, u64)> {
    let frame = read_frame(recv, limits, budget).await?;
    let n = frame.len() as u64 + 4;
    match frame.split_first() {
        Some((&NONE, _)) => Ok((None, n)),
        Some((&MSG, rest)) => Ok((Some(Signed { msg: rest.to_vec(), sigs: Vec::new() }), n)),
        Some((&SIGNED, rest)) => Ok((Some(Signed::decode(rest)?), n)),
        Some((&ERR, rest)) => {
            bail!("peer refused: {}", super::text::clean(&String::from_utf8_lossy(rest), super::text::ERROR_CHARS))
        }
        _ => bail!("malformed frame from peer"),
    }
}

/// What received changes of `doc` from this peer are checked against.
pub(super) fn gate(store: &mut Store, view: &PeerView, doc: &DocId, access: Access) -> Gate {
    let fed = doc.federation();
    let home = store.home_id().cloned();
    let ours = home.as_ref() == Some(&fed);
    let mut held = Held::new(store);
    let granted = if ours && held.grant(&view.peer, doc) == Some(Grant::Write) {
        [view.peer.node_id].into()
    } else {
        Default::default()
    };
    let direct_writer = access.write && (ours || view.home.as_ref() == Some(&fed));
    Gate {
        vouched_by: view.home.clone().filter(|_| access.new_federation),
        doc: doc.clone(),
        list: authorship::load(store, fed.as_str()),
        peer: view.peer.node_id,
        peer_cert: view.cert.clone(),
        direct_writer,
        granted,
        our_actor: store.actor().clone(),
    }
}

pub(super) async fn begin(store: &StoreHandle, peer: &Peer, doc: &DocId) {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    store.call(move |s| s.begin_sync(&name, &d)).await;
}

pub(super) async fn reset(store: &StoreHandle, peer: &Peer, doc: &DocId) {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    store.call(move |s| s.reset_sync_state(&name, &d)).await;
}

/// What syncing one document moved, each way.
#[derive(Default)]
struct DocTally {
    changes_in: usize,
    changes_out: usize,
    bytes_in: u64,
    bytes_out: u64,
}

/// What one round did: changes applied from the peer, our next message,
/// and the changes it carries.
pub(super) struct Step {
    pub applied: usize,
    pub ours: Option<Signed>,
    pub sent: usize,
}

/// One trip to the store thread per round: applies the peer's message, if
/// any, and makes our next one. (Two trips, receive then generate, cost a
/// thread hand-off each on every round of every document.)
pub(super) async fn step(
    store: &StoreHandle,
    peer: &Peer,
    doc: &DocId,
    incoming: Option<Signed>,
    access: Access,
    gate: Arc<Gate>,
) -> Result<Step> {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    let origin = Some(peer.name.clone());
    // A panic in Automerge on the peer's bytes fails this document's
    // session only (the store reloads the document and forgets the state).
    Ok(store
        .try_call_as(origin, move |s| {
            let changes = match incoming {
                Some(Signed { msg, sigs }) => {
                    let sigs = sigs.into_iter().collect();
                    let check =
                        |h: &automerge::ChangeHash, a: &automerge::ActorId, r: Option<&[u8]>| gate.check(h, a, r);
                    let admit = |s: &crate::store::Store| gate.admit(s);
                    s.sync_receive_admitted(&name, &d, &msg, &sigs, &check, &admit)?.changes
                }
                None => 0,
            };
            // A document the peer relays to us but we do not share with it:
            // our messages carry heads and requests, never changes.
            let (ours, sent) = match s.sync_generate_signed(&name, &d, !access.send)? {
                Some(o) => (Some(Signed { msg: o.bytes, sigs: o.signatures }), o.changes),
                None => (None, 0),
            };
            Ok::<_, crate::store::StoreError>(Step { applied: changes, ours, sent })
        })
        .await??)
}

/// The connecting side of one document: send, then read, until both are quiet.
async fn client_doc(
    conn: &quinn::Connection,
    store: &StoreHandle,
    peer: &Peer,
    doc: &DocId,
    (access, gate): (Access, Arc<Gate>),
    limits: &Limits,
    budget: &mut Budget,
) -> Result<DocTally> {
    // Like the accepting side: a new connection must not trust what an
    // aborted one believed it had sent.
    begin(store, peer, doc).await;
    let (mut send, mut recv) = conn.open_bi().await?;
    let mut tally = DocTally::default();
    write_frame(&mut send, doc.as_str().as_bytes()).await?;
    // The peer's message of one round is applied in the same store trip
    // that makes our message of the next.
    let mut pending = None;
    for _ in 0..MAX_ROUNDS {
        let Step { applied, ours, sent } = step(store, peer, doc, pending.take(), access, gate.clone()).await?;
        tally.changes_in += applied;
        tally.changes_out += sent;
        let sent_none = ours.is_none();
        tally.bytes_out += send_msg(&mut send, ours.as_ref()).await?;
        let (theirs, n) = recv_msg(&mut recv, limits, budget).await?;
        tally.bytes_in += n;
        if sent_none && theirs.is_none() {
            let _ = send.finish();
            return Ok(tally);
        }
        pending = theirs;
    }
    bail!("document did not settle after {MAX_ROUNDS} rounds")
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
    /// The federation pinned as this peer's own (docs/SYNC.md).
    pub home: Option<String>,
}

pub fn status(dir: &std::path::Path) -> Result<Vec<PeerStatus>> {
    use super::text::{clean, ERROR_CHARS, NAME_CHARS};
    Ok(Peers::load(dir)?
        .peers
        .into_iter()
        // Cleaned again for display: a peers.json written before names and
        // errors were cleaned on the way in may still hold escapes.
        .map(|p| PeerStatus {
            name: clean(&p.name, NAME_CHARS),
            node_id: p.node_id,
            addr: p.addr.map(|a| clean(&a, NAME_CHARS)),
            grants: p.grants,
            last_sync: p.last_sync,
            last_error: p.last_error.map(|e| clean(&e, ERROR_CHARS)),
            home: p.home.map(|h| clean(&h, NAME_CHARS)),
        })
        .collect())
}

/// Records a session's outcome in the peer list (under its lock).
pub(super) fn record_status(
    dir: &std::path::Path,
    node: &NodeId,
    error: Option<String>,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    Peers::update_status(dir, |peers| {
        if let Some(p) = peers.peers.iter_mut().find(|p| p.node_id == *node) {
            match error {
                None => {
                    p.last_sync = Some(now.format("%Y-%m-%d %H:%M:%S").to_string());
                    p.last_error = None;
                }
                Some(e) => p.last_error = Some(super::text::clean(&e, super::text::ERROR_CHARS)),
            }
        }
        Ok(())
    })
}

/// Peers synced at once by `sync_once`.
const PARALLEL_PEERS: usize = 4;

/// Syncs once with each of these peers (all known ones when empty), a few
/// at a time, recording the outcome in the peer list. Results come in the
/// order of the peers.
pub async fn sync_once(node: &Node, names: &[String]) -> Result<Vec<Result<Summary>>> {
    use futures::StreamExt;
    let peers = Peers::load(&node.dir)?;
    let chosen: Vec<Peer> = if names.is_empty() {
        peers.peers.iter().filter(|p| p.addr.is_some()).cloned().collect()
    } else {
        names.iter().map(|n| peers.find(n).cloned()).collect::<Result<_>>()?
    };
    let results = futures::stream::iter(chosen)
        .map(|peer| async move {
            // A safety net: every read inside already has its own timeout.
            let result = tokio::time::timeout(Duration::from_secs(600), node.sync_with(&peer))
                .await
                .unwrap_or_else(|_| Err(anyhow::anyhow!("timed out")));
            let error = match &result {
                Ok(s) => s.errors.first().cloned(),
                Err(e) => Some(format!("{e:#}")),
            };
            if let Err(e) = record_status(&node.dir, &peer.node_id, error, node.clock.now()) {
                tracing::warn!(peer = %peer.name, "could not record the sync status: {e:#}");
            }
            result
        })
        .buffered(PARALLEL_PEERS)
        .collect()
        .await;
    Ok(results)
}
