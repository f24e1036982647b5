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
//!
//! By role: `wire` (the format), `policy` (what is shared and admitted),
//! `client` (the connecting side), `serve` (the accepting side); here the
//! node and what both sides share: one round of a document, sync states,
//! the peer list's status.

use super::authorship::Gate;
use super::forward::Access;
use super::identity::{Identity, NodeId};
use super::limits::Limits;
use super::transport;
use super::trust::{Peer, Peers};
use super::wire::Signed;
use crate::domain::RecordId;
use crate::store::{DocId, StoreHandle};
use anyhow::Result;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Most documents one session will sync.
pub const MAX_DOCS: usize = 20_000;
/// Most lockstep rounds for one document before the session gives up.
pub(super) const MAX_ROUNDS: usize = 200;

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

/// Told as a session goes: (peer's name, documents done, documents to
/// sync with it). A terminal draws a bar from it (`hubsync sync`).
pub type Progress = Arc<dyn Fn(&str, usize, usize) + Send + Sync>;

pub struct Node {
    pub dir: PathBuf,
    pub identity: Identity,
    pub store: StoreHandle,
    pub endpoint: quinn::Endpoint,
    pub limits: Limits,
    /// Stamps the peer list's "last synced" and the daemon's status.
    pub clock: Arc<dyn crate::clock::Clock>,
    /// `clock` as the handshake reads it (whether an invitation is open).
    handshake_clock: transport::HandshakeClock,
    /// Told how far each session has got; None for a node no one watches.
    pub progress: Option<Progress>,
    /// Told too, while they watch: clients of a running node asking for a
    /// bar (`Node::watch`).
    watchers: Arc<Mutex<Vec<(u64, Progress)>>>,
    /// Connections kept after a session, by the peer they reach (`client`).
    pub(super) kept: super::client::Kept,
    /// Our offers to each peer, kept between sessions (`offered`).
    pub(super) offered: Arc<super::offered::OfferCache>,
    /// What we remember of each peer's offers and of ours to it (`offers`).
    pub(super) memories: Arc<super::offers::Memories>,
    /// Offers travel as JSON only, as a node built before the compact form
    /// (benchmarks compare the two).
    json_offers: std::sync::atomic::AtomicBool,
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
        let clock = crate::clock::machine();
        let handshake_clock = transport::handshake_clock(clock.clone());
        let endpoint = transport::endpoint(&identity, dir.clone(), listen, handshake_clock.clone())?;
        Ok(Node {
            dir,
            identity,
            store,
            endpoint,
            limits,
            clock,
            handshake_clock,
            progress: None,
            watchers: Default::default(),
            kept: Default::default(),
            offered: Default::default(),
            memories: Default::default(),
            json_offers: Default::default(),
        })
    }

    /// The same node reading another clock (tests; a laptop whose clock is wrong).
    pub fn with_clock(mut self, clock: Arc<dyn crate::clock::Clock>) -> Node {
        if let Ok(mut held) = self.handshake_clock.write() {
            *held = clock.clone();
        }
        self.clock = clock;
        self
    }

    /// The same node telling `progress` how its sessions go.
    pub fn with_progress(mut self, progress: Progress) -> Node {
        self.progress = Some(progress);
        self
    }

    /// Whether this node announces, and answers in, the compact form of the
    /// offers (`compact`); on unless turned off here.
    pub fn compact_offers(&self, on: bool) {
        self.json_offers.store(!on, std::sync::atomic::Ordering::Relaxed);
    }

    /// The compact form this node announces in its Intro (0: JSON only).
    pub(super) fn compact_form(&self) -> u8 {
        if self.json_offers.load(std::sync::atomic::Ordering::Relaxed) {
            0
        } else {
            super::compact::VERSION
        }
    }

    pub(super) fn tell(&self, peer: &str, done: usize, total: usize) {
        if let Some(p) = &self.progress {
            p(peer, done, total);
        }
        let watchers = self.watchers.lock().unwrap_or_else(|e| e.into_inner());
        for (_, p) in watchers.iter() {
            p(peer, done, total);
        }
    }

    /// Tells `progress` how this running node's sessions go until the
    /// returned guard is dropped: a client's bar for a round it asked for
    /// (the round the node was already running shows too).
    pub fn watch(&self, progress: Progress) -> Watching {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.watchers.lock().unwrap_or_else(|e| e.into_inner()).push((id, progress));
        Watching { id, watchers: self.watchers.clone() }
    }

    pub fn local_addr(&self) -> Result<std::net::SocketAddr> {
        Ok(self.endpoint.local_addr()?)
    }

    pub(super) async fn home(&self) -> Option<RecordId> {
        self.store.call(|s| s.home_id().cloned()).await
    }
}

/// Puts `job` on the store thread's queue now and returns the wait for its
/// result: jobs run in order, so whatever is asked of the store after this
/// sees it done, whether or not the caller waits.
pub(super) async fn enqueue<T: Send + 'static>(
    store: &StoreHandle,
    job: impl FnOnce(&mut crate::store::Store) -> T + Send + 'static,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>> {
    let store = store.clone();
    let mut call = Box::pin(async move { store.call(job).await });
    match futures::poll!(call.as_mut()) {
        std::task::Poll::Ready(t) => Box::pin(std::future::ready(t)),
        std::task::Poll::Pending => call,
    }
}

pub(super) async fn reset(store: &StoreHandle, peer: &Peer, doc: &DocId) {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    store.call(move |s| s.reset_sync_state(&name, &d)).await;
}

/// One document's exchange with a peer, from before its opening to its
/// end. A clean end (`end(true)`: both sides quiet, no error) lets the next
/// session on a kept connection resume its sync state (`Store::end_sync`);
/// an error forgets it, on disk too (`Store::fail_sync`); the task dropped
/// part-way (a session cut off, the node stopping) makes the next session
/// begin from the state on disk (`Store::abandon_sync`). Queued, not waited
/// for: a normal end comes before the next session's open on the store
/// thread (tasks are joined first); a drop may come after it, and then only
/// costs that session its kept state.
pub(super) struct Exchange {
    store: StoreHandle,
    peer: String,
    doc: DocId,
    armed: bool,
}

impl Exchange {
    pub(super) fn new(store: &StoreHandle, peer: &Peer, doc: &DocId) -> Exchange {
        Exchange { store: store.clone(), peer: peer.node_id.to_string(), doc: doc.clone(), armed: true }
    }

    pub(super) fn end(mut self, clean: bool) {
        self.armed = false;
        let (name, d) = (std::mem::take(&mut self.peer), self.doc.clone());
        self.store.submit(move |s| if clean { s.end_sync(&name, &d) } else { s.fail_sync(&name, &d) });
    }

    /// The document was not opened (not shared with the peer): nothing to end.
    pub(super) fn not_opened(mut self) {
        self.armed = false;
    }
}

impl Drop for Exchange {
    fn drop(&mut self) {
        if self.armed {
            let (name, d) = (std::mem::take(&mut self.peer), self.doc.clone());
            self.store.submit(move |s| s.abandon_sync(&name, &d));
        }
    }
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

/// The connecting side's first trip for a document: the session's sync
/// state (from disk, or with `resume` the one in memory), what the peer may do with the document (None: nothing,
/// it is not synced), the gate its changes pass, and our first message.
pub(super) async fn open_doc(
    store: &StoreHandle,
    peer: &Peer,
    view: Arc<super::forward::PeerView>,
    doc: &DocId,
    resume: bool,
) -> Result<Option<(Access, Arc<Gate>, Step)>> {
    let (name, d) = (peer.node_id.to_string(), doc.clone());
    Ok(store
        .try_call_as(Some(peer.name.clone()), move |s| {
            // A new connection must not trust what an aborted one believed it
            // had sent; the next session on a kept one after a clean one may.
            // A document not shared is not opened (`Exchange::not_opened`).
            let Some(access) = super::policy::may_share(s, &view, &d) else { return Ok(None) };
            if resume {
                s.continue_sync(&name, &d);
            } else {
                s.begin_sync(&name, &d);
            }
            let gate = Arc::new(super::policy::gate(s, &view, &d, access));
            let (ours, sent) = match s.sync_generate_signed(&name, &d, !access.send)? {
                Some(o) => (Some(Signed { msg: o.bytes, sigs: o.signatures }), o.changes),
                None => (None, 0),
            };
            Ok::<_, crate::store::StoreError>(Some((access, gate, Step { applied: 0, ours, sent })))
        })
        .await??)
}

/// The peer list as a screen shows it (`peer list`, the UI's sync tab):
/// each peer's record, its name, address, error and home cleaned again
/// for a terminal (a peers.json written before they were cleaned on the
/// way in may still hold escapes).
pub fn status(dir: &std::path::Path) -> Result<Vec<Peer>> {
    use super::text::{clean, ERROR_CHARS, NAME_CHARS};
    Ok(Peers::load(dir)?
        .peers
        .into_iter()
        .map(|p| Peer {
            name: clean(&p.name, NAME_CHARS),
            addr: p.addr.map(|a| clean(&a, NAME_CHARS)),
            last_error: p.last_error.map(|e| clean(&e, ERROR_CHARS)),
            home: p.home.map(|h| clean(&h, NAME_CHARS)),
            ..p
        })
        .collect())
}

/// Records a session's outcome in the peer list (under its lock).
pub(super) fn record_status(
    dir: &std::path::Path,
    node: &NodeId,
    error: Option<String>,
    kind: Option<super::FailureKind>,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    Peers::update_status(dir, |peers| {
        if let Some(p) = peers.peers.iter_mut().find(|p| p.node_id == *node) {
            match error {
                None => {
                    p.last_sync = Some(now.format("%Y-%m-%d %H:%M:%S").to_string());
                    p.last_error = None;
                    p.last_failure = None;
                }
                Some(e) => {
                    p.last_error = Some(super::text::clean(&e, super::text::ERROR_CHARS));
                    p.last_failure = kind;
                }
            }
        }
        Ok(())
    })
}

/// A watch on a node's sessions (`Node::watch`); dropped, it ends.
pub struct Watching {
    id: u64,
    watchers: Arc<Mutex<Vec<(u64, Progress)>>>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.watchers.lock().unwrap_or_else(|e| e.into_inner()).retain(|(id, _)| *id != self.id);
    }
}
