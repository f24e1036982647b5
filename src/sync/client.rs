//! The connecting side of a session: connect, Intro and offers on the
//! control stream, then one stream per document that differs, meta
//! documents first; and `sync_once`, a round with several peers.

use super::authorship::Gate;
use super::failure::{mark, FailureKind, SessionError};
use super::forward::Access;
use super::identity::NodeId;
use super::limits::{Budget, Limits, SessionBudget};
use super::offers as remembered;
use super::pin;
use super::policy::{list_bodies, lists_in, offers, receive_lists, view, LIST_KEY};
use super::session::{enqueue, open_doc, record_status, step, Exchange, Node, Step, Summary, MAX_DOCS, MAX_ROUNDS};
use super::transport::{self, write_frame};
use super::trust::{Grant, Peer, Peers};
use super::wire::{offers_taken_in, recv_msg, recv_offers, send_json, send_msg, send_offers, Intro, Offers};
use crate::domain::RecordId;
use crate::store::{DocId, StoreHandle};
use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Documents synced at once over one connection.
const PARALLEL_DOCS: usize = 16;

/// A connection whose Intro has gone out, as the rest of a session takes it.
pub(super) struct Opened {
    pub(super) conn: quinn::Connection,
    pub(super) send: quinn::SendStream,
    pub(super) recv: quinn::RecvStream,
    pub(super) budget: Arc<SessionBudget>,
    pub(super) summary: Summary,
    pub(super) memory: remembered::Memory,
    pub(super) home: Option<RecordId>,
    pub(super) started: Instant,
    /// We asked to keep the connection for the next session (`Intro::keep`).
    pub(super) keep: bool,
    /// The connection was kept from a session that ended clean: our sync
    /// states of it may be kept too, if the peer kept its own (`Offers::resumes`).
    pub(super) resumable: bool,
}

/// The first address a HOST:PORT resolves to.
pub(super) async fn resolve(addr: &str) -> Result<std::net::SocketAddr> {
    let cannot = || mark(FailureKind::Unresolvable, format!("无法解析地址 {addr} (cannot resolve)"));
    tokio::net::lookup_host(addr).await.with_context(cannot)?.next().with_context(cannot)
}

impl Node {
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
        let addr = peer.addr.as_deref().with_context(|| {
            mark(
                FailureKind::NoAddress,
                format!("对等方「{}」没有地址 (peer has no address; peer add --addr)", peer.name),
            )
        })?;
        let sock = resolve(addr).await?;
        let node_id = peer.node_id;
        let joining = join.is_some();
        // Our home and what we remember of this peer's offers, in one store trip.
        let memories = self.memories.clone();
        let ours_now =
            move |s: &mut crate::store::Store| (s.home_id().cloned(), remembered::load(s, &node_id, &memories));
        // The connection kept from the last session first: when it turns out
        // closed (the peer's idle timer, a restart), one fresh connection.
        let mut loaded = None;
        if let Some((conn, clean)) = self.kept.take(&node_id, sock) {
            let (home, memory) = self.store.call(ours_now.clone()).await;
            let mut control = SessionBudget::new(&peer.name, &limits).stream();
            let opening = self.open(peer, conn.clone(), (memory, started), &home, join.clone(), &mut control);
            match opening.await.map(|(opened, answer)| (Opened { resumable: clean, ..opened }, answer)) {
                Ok((opened, answer)) => return self.converse(peer, opened, answer, joining).await,
                Err((memory, e)) => {
                    if refused_node(&conn) {
                        return Err(refused(e, peer));
                    }
                    tracing::debug!(peer = %peer.name, "kept connection unusable, connecting again: {e:#}");
                    conn.close(0u32.into(), b"stale");
                    loaded = Some((home, memory));
                }
            }
        }
        // An error here is our side's (an address our endpoint cannot
        // reach, IPv6 from an IPv4 socket): told as it is, not as the peer's.
        let connecting =
            self.endpoint.connect(sock, "hubsync").with_context(|| format!("无法连接 {} ({addr})", peer.name))?;
        // Read while the handshake runs: the store thread is idle then.
        let memory = async {
            match loaded {
                Some(m) => m,
                None => self.store.call(ours_now).await,
            }
        };
        let (handshake, (home, memory)) =
            tokio::join!(tokio::time::timeout(limits.handshake_timeout, connecting), memory);
        let conn = match handshake.map_err(|_| {
            mark(FailureKind::Unreachable, format!("与 {} ({addr}) 握手超时 (handshake timed out)", peer.name))
        })? {
            Ok(conn) => conn,
            Err(e) if refused_close(&e) => return Err(refused(anyhow::Error::new(e), peer)),
            Err(e) => {
                let kind = handshake_failure(&e);
                return Err(e).with_context(|| mark(kind, format!("无法连接 {} ({addr})", peer.name)));
            }
        };
        self.kept.made.fetch_add(1, Ordering::Relaxed);
        if transport::peer_node(&conn)? != peer.node_id {
            let message =
                format!("{addr} 的节点编号与「{}」不符 (the node at this address is not that peer)", peer.name);
            return Err(mark(FailureKind::WrongNode, message).into());
        }
        let mut control = SessionBudget::new(&peer.name, &limits).stream();
        match self.open(peer, conn.clone(), (memory, started), &home, join, &mut control).await {
            Ok((opened, answer)) => self.converse(peer, opened, answer, joining).await,
            // The serving side's check of its peer list at the handshake ends
            // the connection once our side has finished its part: seen here.
            Err((_, e)) if refused_node(&conn) => Err(refused(e, peer)),
            Err((_, e)) => Err(e),
        }
    }

    /// Opens a session on `conn`: the control stream, our Intro, the peer's
    /// offers. On failure, the offer memory back with the error (for a
    /// second try on a fresh connection).
    async fn open(
        &self,
        peer: &Peer,
        conn: quinn::Connection,
        (memory, started): (remembered::Memory, Instant),
        home: &Option<RecordId>,
        join: Option<(String, String)>,
        control: &mut Budget,
    ) -> std::result::Result<(Opened, (Offers, u64)), (remembered::Memory, anyhow::Error)> {
        let keep = self.kept.on() && join.is_none();
        let holds = Some(memory.received.hash().to_string());
        let (compact, quiet_ends) = (self.compact_form(), keep && self.kept.quiet_ends_on());
        let claim = home.as_ref().map(|h| h.to_string());
        let intro = Intro { home: claim, join, holds, short: None, keep, compact, quiet_ends };
        let opening = async {
            let (mut send, mut recv) = conn.open_bi().await?;
            let n = send_json(&mut send, &intro).await?;
            let answer = recv_offers(&mut recv, &self.limits, control).await?;
            Ok::<_, anyhow::Error>((send, recv, n, answer))
        };
        match opening.await {
            Ok((send, recv, n, answer)) => {
                let budget = control.session();
                let summary = Summary { peer: peer.name.clone(), bytes_out: n, ..Default::default() };
                let home = home.clone();
                let resumable = false;
                Ok((Opened { conn, send, recv, budget, summary, memory, home, started, keep, resumable }, answer))
            }
            Err(e) => Err((memory, e)),
        }
    }

    /// The rest of a session once our Intro is sent (and, for a short code,
    /// the exchange done) and the peer's offers `answer` are in: our offers,
    /// then the documents. `joining`: the peer is the inviter we just joined.
    pub(super) async fn converse(
        &self,
        peer: &Peer,
        opened: Opened,
        (answer, n): (Offers, u64),
        joining: bool,
    ) -> Result<Summary> {
        let Opened { conn, mut send, mut recv, budget, mut summary, mut memory, home, started, keep, resumable } =
            opened;
        let limits = self.limits.clone();
        let node_id = peer.node_id;
        summary.bytes_in += n;
        let answer_confirms = answer.confirms;
        // The peer reads the compact form if it wrote in it.
        let compact = answer.came_compact;
        // Kept only when both sides agreed to (a node built before never answers).
        let keep = keep && answer.keeps;
        // Our sync states of the last session on this connection are kept
        // when the peer kept its own and that session ended clean here too.
        let resume = keep && answer.resumes && resumable && self.kept.states_on();
        let quiet_ends = keep && answer.quiet_ends && self.kept.quiet_ends_on();
        if resume {
            self.kept.resumed.fetch_add(1, Ordering::Relaxed);
        }
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
        let (peer_home, peers) = pin::resolve_listed(&self.dir, &node_id, answer.home.as_deref(), home_now.as_ref())?;
        let view = Arc::new(view(&peers, peer, peer_home, transport::peer_cert(&conn)?));
        // Meta documents first, the two sides' own before the rest: a
        // federation new to a side is admitted by what its meta document
        // says about it and about the relay's own (forward::Held::access).
        let homes: Vec<String> =
            [home_now.as_ref(), view.home.as_ref()].into_iter().flatten().map(|h| h.to_string()).collect();
        let (v, lists, offered) = (view.clone(), answer.lists, theirs_docs.clone());
        let (sent, peer_holds) = (memory.sent.clone(), answer.holds.clone());
        let (cache, memories) = (self.offered.clone(), self.memories.clone());
        // One store trip: the peer's lists taken in, our offers as a delta
        // against the copy it holds, the lists that delta carries, and the
        // order the differing documents go in.
        let (ours, delta, lists, phases) = self
            .store
            .call(move |s| {
                receive_lists(s, &v, lists, &offered);
                memories.keep_listed(&peers);
                let ours = offers(s, &v, &peers, &cache);
                let delta = remembered::encode(&ours, &sent, peer_holds.as_deref());
                let lists = list_bodies(s, &v, lists_in(&delta));
                let phases = phases(s, &ours, &offered, &homes);
                (ours, delta, lists, phases)
            })
            .await;
        summary.bytes_out += send_offers(
            &mut send,
            &Offers {
                home: home.map(|h| h.to_string()),
                docs: delta,
                holds: None,
                lists,
                confirms: false,
                keeps: false,
                resumes: false,
                quiet_ends: false,
                came_compact: false,
            },
            compact,
        )
        .await?;
        // On a kept connection our end of the control stream ends the session
        // instead, once our documents are done.
        if !keep {
            let _ = send.finish();
        }

        summary.documents = ours.len().max(theirs_docs.len());
        // Not written again when it is the one stored (serve.rs says why).
        let unchanged = memory.sent.is(&ours) && memory.received.is(&theirs_docs);
        if !memory.sent.is(&ours) {
            memory.sent = remembered::Hashed::new(ours);
        }
        if !memory.received.is(&theirs_docs) {
            memory.received = remembered::Hashed::new(theirs_docs);
        }
        let total = phases.iter().map(Vec::len).sum::<usize>();
        if total > MAX_DOCS {
            bail!("too many documents ({total})");
        }
        let mut done = 0;
        self.tell(&peer.name, done, total);
        let limit = Arc::new(tokio::sync::Semaphore::new(PARALLEL_DOCS));
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
                    // Dropped part-way (the session cut off), it makes the next
                    // session on this document begin from disk.
                    let exchange = Exchange::new(&store, &peer, &doc_id);
                    let result = match open_doc(&store, &peer, view, &doc_id, resume).await {
                        Ok(Some(opened)) => {
                            let rules = (&limits, quiet_ends);
                            client_doc(&conn, &store, &peer, &doc_id, opened, rules, &mut doc_budget).await
                        }
                        Ok(None) => {
                            exchange.not_opened();
                            return (doc_id, Ok(DocTally::default()));
                        }
                        Err(e) => Err(e),
                    };
                    // After an error the next session on this document starts from scratch.
                    exchange.end(result.is_ok());
                    (doc_id, result)
                });
            }
            while let Some(t) = tasks.join_next().await {
                done += 1;
                self.tell(&peer.name, done, total);
                match t {
                    Ok((_, Ok(tally))) => {
                        summary.synced += 1;
                        summary.changes_in += tally.changes_in;
                        summary.changes_out += tally.changes_out;
                        summary.bytes_in += tally.bytes_in;
                        summary.bytes_out += tally.bytes_out;
                        if tally.ended_quietly {
                            self.kept.ended_quietly.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Ok((doc, Err(e))) => summary.errors.push(format!("{doc}: {e:#}")),
                    Err(e) => summary.errors.push(e.to_string()),
                }
            }
        }
        if keep {
            let _ = send.finish();
        }
        // On a kept connection the peer's end of the control stream also says
        // it has recorded the session: the next one may begin.
        let confirmed = if answer_confirms { offers_taken_in(&mut recv, &limits).await } else { Ok(()) };
        let reusable = keep && confirmed.is_ok() && !budget.exceeded();
        // Saved after the documents, off their path: a memory lost in a
        // crash costs one full exchange of offers, nothing more. Not saved
        // when the peer never confirmed our offers: the next session then
        // sends them whole.
        if let Err(e) = confirmed {
            summary.errors.push(format!("{e:#}"));
        } else if !unchanged {
            let name = peer.name.clone();
            let memories = self.memories.clone();
            let saved = enqueue(&self.store, move |s| {
                let saved = remembered::save(s, &node_id, &memory, &memories);
                if let Err(e) = &saved {
                    tracing::warn!(peer = %name, "could not save the memory of the offers: {e:#}");
                }
                saved
            })
            .await;
            // A running node's next session with this peer is queued behind
            // it: no need to wait. A one-shot node waits, it may exit next.
            if !reusable {
                saved.await?;
            }
        }
        if budget.exceeded() {
            conn.close(5u32.into(), b"over budget");
            bail!(
                "对等方「{}」超出了本次同步的数据上限 (peer {} went over the session's byte budget)",
                peer.name,
                peer.name
            );
        }
        if reusable {
            self.kept.put(node_id, conn, summary.errors.is_empty());
        } else {
            conn.close(0u32.into(), b"done");
        }
        summary.millis = started.elapsed().as_millis();
        Ok(summary)
    }
}

/// Connections kept between sessions by the peer they reach, and whether
/// to keep them at all.
pub(crate) struct Kept {
    /// With whether the session that left it ended clean.
    conns: Mutex<HashMap<NodeId, (quinn::Connection, bool)>>,
    off: AtomicBool,
    /// Sync states are not kept between sessions of a kept connection.
    states_off: AtomicBool,
    /// Documents end with the round of both sides quiet (`Offers::quiet_ends`).
    quiet_ends_off: AtomicBool,
    /// Connections this node made as the connecting side.
    made: AtomicUsize,
    /// Documents this node ended quietly as the connecting side.
    ended_quietly: AtomicUsize,
    /// Sessions that kept the sync states of the session before.
    resumed: AtomicUsize,
}

impl Default for Kept {
    fn default() -> Kept {
        Kept {
            conns: Mutex::default(),
            off: AtomicBool::new(false),
            states_off: AtomicBool::new(false),
            quiet_ends_off: AtomicBool::new(false),
            ended_quietly: AtomicUsize::new(0),
            made: AtomicUsize::new(0),
            resumed: AtomicUsize::new(0),
        }
    }
}

impl Kept {
    pub(super) fn on(&self) -> bool {
        !self.off.load(Ordering::Relaxed)
    }

    pub(super) fn states_on(&self) -> bool {
        !self.states_off.load(Ordering::Relaxed)
    }

    pub(super) fn quiet_ends_on(&self) -> bool {
        !self.quiet_ends_off.load(Ordering::Relaxed)
    }

    /// The open connection kept for `node`, if it still reaches `addr`;
    /// taken out, so a second session at once connects on its own.
    fn take(&self, node: &NodeId, addr: std::net::SocketAddr) -> Option<(quinn::Connection, bool)> {
        let (conn, clean) = self.conns.lock().unwrap_or_else(|e| e.into_inner()).remove(node)?;
        // An endpoint on [::] sees IPv4 peers as mapped addresses.
        let same = |a: std::net::SocketAddr| (a.ip().to_canonical(), a.port());
        if conn.close_reason().is_none() && same(conn.remote_address()) == same(addr) {
            Some((conn, clean))
        } else {
            conn.close(0u32.into(), b"done");
            None
        }
    }

    fn put(&self, node: NodeId, conn: quinn::Connection, clean: bool) {
        if let Some((old, _)) = self.conns.lock().unwrap_or_else(|e| e.into_inner()).insert(node, (conn, clean)) {
            old.close(0u32.into(), b"done");
        }
    }
}

impl Node {
    /// Whether this node keeps a connection per peer between sessions and
    /// serves several sessions on one (on by default). Off, it speaks as a
    /// node built before: one connection per session (the benchmark's
    /// baseline; tests of an older peer).
    pub fn keep_connections(&self, on: bool) {
        self.kept.off.store(!on, Ordering::Relaxed);
        if !on {
            for (_, (conn, _)) in self.kept.conns.lock().unwrap_or_else(|e| e.into_inner()).drain() {
                conn.close(0u32.into(), b"done");
            }
        }
    }

    /// Whether sessions on a kept connection keep the Automerge sync states
    /// of the session before (both sides must): the first message of a
    /// document then already carries what changed since. On by default. A
    /// document's state is resumed only when its last exchange ended clean,
    /// withheld no changes and ran alone (`Store::continue_sync`): Automerge counts a
    /// change as sent when it builds the message, so any other state may
    /// believe the peer has a change it never got (docs/SYNC.md, step 5).
    /// Off: every session starts from the states on disk.
    pub fn keep_sync_states(&self, on: bool) {
        self.kept.states_off.store(!on, Ordering::Relaxed);
    }

    /// Whether this node ends documents quietly on kept connections
    /// (`Offers::quiet_ends`), as connecting and as serving side; on unless
    /// turned off here (benchmarks compare, tests try a node built before).
    pub fn quiet_ends(&self, on: bool) {
        self.kept.quiet_ends_off.store(!on, Ordering::Relaxed);
    }

    /// Documents this node, as the connecting side, ended quietly
    /// (`Offers::quiet_ends`).
    pub fn documents_ended_quietly(&self) -> usize {
        self.kept.ended_quietly.load(Ordering::Relaxed)
    }

    /// Connections this node has made to peers (a kept one is made once).
    pub fn connections_made(&self) -> usize {
        self.kept.made.load(Ordering::Relaxed)
    }

    /// Sessions this node began from the sync states of the session before
    /// on the same connection (`keep_sync_states`).
    pub fn sessions_resumed(&self) -> usize {
        self.kept.resumed.load(Ordering::Relaxed)
    }

    /// Connections held open for a next session, one per peer at most; one
    /// the peer has closed since is not counted (the next session makes a
    /// new one).
    pub fn connections_kept(&self) -> usize {
        let conns = self.kept.conns.lock().unwrap_or_else(|e| e.into_inner());
        conns.values().filter(|(conn, _)| conn.close_reason().is_none()).count()
    }
}

/// The TLS alert access_denied as QUIC carries it: a CRYPTO_ERROR, 0x100 +
/// the alert (49). Both sides' certificate checks send it for a node not in
/// their peer list.
const ACCESS_DENIED: u64 = 0x100 + 49;

/// The error of a session the serving side refused (`refused_node`).
fn refused(e: anyhow::Error, peer: &Peer) -> anyhow::Error {
    e.context(mark(
        FailureKind::Refused,
        format!("「{}」拒绝了本节点:不在其对等方列表中 (the peer refused this node: not in its peer list)", peer.name),
    ))
}

/// What a failed handshake says of the peer: no answer is an unreachable
/// peer; our own check refusing its certificate (access_denied, sent by
/// our side) means another node answers at its address; anything else is
/// told as it is.
fn handshake_failure(e: &quinn::ConnectionError) -> FailureKind {
    match e {
        quinn::ConnectionError::TimedOut => FailureKind::Unreachable,
        quinn::ConnectionError::TransportError(t) if u64::from(t.code) == ACCESS_DENIED => FailureKind::WrongNode,
        _ => FailureKind::Other,
    }
}

/// The serving side closed the connection because it no longer knows us
/// (`serve`'s code 2): connecting again would only be refused again.
fn refused_node(conn: &quinn::Connection) -> bool {
    conn.close_reason().is_some_and(|reason| refused_close(&reason))
}

/// Code 2 after an Intro, or the TLS alert access_denied from the serving
/// side at the handshake: its certificate check sends it only for a node not
/// in its peer list (it resumes no TLS sessions, so a removed peer ends
/// there). Other alerts (another protocol version, a broken handshake) are
/// not a refusal and are told as they are.
fn refused_close(reason: &quinn::ConnectionError) -> bool {
    match reason {
        quinn::ConnectionError::ApplicationClosed(c) => c.error_code == quinn::VarInt::from_u32(2),
        quinn::ConnectionError::ConnectionClosed(c) => u64::from(c.error_code) == ACCESS_DENIED,
        _ => false,
    }
}

/// What syncing one document moved, each way.
#[derive(Default)]
struct DocTally {
    changes_in: usize,
    changes_out: usize,
    bytes_in: u64,
    bytes_out: u64,
    /// Ended by a quiet end (`Offers::quiet_ends`), not a round of both quiet.
    ended_quietly: bool,
}

/// The connecting side of one document: send, then read, until both are quiet.
async fn client_doc(
    conn: &quinn::Connection,
    store: &StoreHandle,
    peer: &Peer,
    doc: &DocId,
    (access, gate, first): (Access, Arc<Gate>, Step),
    (limits, quiet_ends): (&Limits, bool),
    budget: &mut Budget,
) -> Result<DocTally> {
    let (mut send, mut recv) = conn.open_bi().await?;
    let mut tally = DocTally::default();
    write_frame(&mut send, doc.as_str().as_bytes()).await?;
    // The peer's message of one round is applied in the same store trip
    // that makes our message of the next; the first was made with the
    // document's opening (`open_doc`).
    let mut pending = None;
    let mut first = Some(first);
    for _ in 0..MAX_ROUNDS {
        let answering = pending.is_some();
        let Step { applied, ours, sent } = match first.take() {
            Some(first) => first,
            None => step(store, peer, doc, pending.take(), access, gate.clone()).await?,
        };
        tally.changes_in += applied;
        tally.changes_out += sent;
        let sent_none = ours.is_none();
        tally.bytes_out += send_msg(&mut send, ours.as_ref()).await?;
        // Quiet ends: we answered the peer's message with nothing, so we are
        // in sync with it; the serving side takes our empty frame as the end.
        if quiet_ends && sent_none && answering {
            let _ = send.finish();
            tally.ended_quietly = true;
            return Ok(tally);
        }
        let (theirs, n) = recv_msg(&mut recv, limits, budget).await?;
        tally.bytes_in += n;
        if sent_none && theirs.is_none() {
            let _ = send.finish();
            return Ok(tally);
        }
        // The peer answered our message with nothing: it is in sync with
        // it. One last empty frame ends the document there, no store trip.
        if quiet_ends && theirs.is_none() {
            tally.bytes_out += send_msg(&mut send, None).await?;
            let _ = send.finish();
            tally.ended_quietly = true;
            return Ok(tally);
        }
        pending = theirs;
    }
    bail!("document did not settle after {MAX_ROUNDS} rounds")
}

/// The documents to sync, in the order they go: those offered by either
/// side unless both offered the same heads; meta documents first, the two
/// sides' own (`homes`) before the others, those by depth in the parent
/// chain (parents first, what we do not hold last), then all the rest.
fn phases(
    s: &crate::store::Store,
    ours: &remembered::OfferMap,
    theirs: &remembered::OfferMap,
    homes: &[String],
) -> Vec<Vec<String>> {
    let mut todo = Vec::new();
    remembered::diff(ours, theirs, |doc, _, _| {
        if !doc.starts_with(LIST_KEY) {
            todo.push(doc.to_string());
        }
    });
    let is_meta = |d: &String| DocId::parse(d).is_ok_and(|d| d.collection() == crate::domain::Collection::Meta);
    let is_home = |d: &String| homes.iter().any(|h| d.starts_with(&format!("{h}/")));
    let (metas, rest): (Vec<String>, Vec<String>) = todo.into_iter().partition(is_meta);
    let (home_metas, other_metas): (Vec<String>, Vec<String>) = metas.into_iter().partition(is_home);
    let mut by_depth: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for d in other_metas {
        let depth = DocId::parse(&d).ok().and_then(|id| super::forward::depth(s, &id.federation()));
        by_depth.entry(depth.unwrap_or(usize::MAX)).or_default().push(d);
    }
    std::iter::once(home_metas).chain(by_depth.into_values()).chain(std::iter::once(rest)).collect()
}

/// Peers synced at once by `sync_once`.
const PARALLEL_PEERS: usize = 4;

/// Syncs once with each of these peers (all known ones when empty), a few
/// at a time, recording the outcome in the peer list. Results come in the
/// order of the peers.
pub async fn sync_once(node: &Node, names: &[String]) -> Result<Vec<Result<Summary, SessionError>>> {
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
                .unwrap_or_else(|_| Err(anyhow::anyhow!("同步超过 10 分钟,已中止 (the session ran over 10 minutes)")))
                .map_err(|e| SessionError::classify(&peer.name, peer.addr.as_deref(), &e));
            let (error, kind) = match &result {
                Ok(s) => (s.errors.first().cloned(), None),
                Err(e) => (Some(e.detail.clone()), Some(e.kind)),
            };
            if let Err(e) = record_status(&node.dir, &peer.node_id, error, kind, node.clock.now()) {
                tracing::warn!(peer = %peer.name, "could not record the sync status: {e:#}");
            }
            result
        })
        .buffered(PARALLEL_PEERS)
        .collect()
        .await;
    Ok(results)
}

#[cfg(test)]
mod refusal_tests {
    use super::refused_close;

    fn tls_alert(alert: u8) -> quinn::ConnectionError {
        quinn::ConnectionError::ConnectionClosed(quinn::ConnectionClose {
            error_code: quinn::TransportErrorCode::crypto(alert),
            frame_type: None,
            reason: Default::default(),
        })
    }

    #[test]
    fn only_access_denied_at_the_handshake_is_read_as_a_refusal() {
        assert!(refused_close(&tls_alert(49)), "access_denied: our peer-list check");
        // no_application_protocol (a later protocol version), handshake_failure, bad_certificate.
        for other in [120, 40, 42] {
            assert!(!refused_close(&tls_alert(other)), "alert {other} is not a refusal");
        }
    }
}
