//! The accepting side: connection caps, the control exchange, and the
//! document streams a peer opens. Every wait is bounded by `Limits`.

use super::forward::PeerView;
use super::identity::NodeId;
use super::limits::{Budget, Limits, SessionBudget};
use super::offers as remembered;
use super::pin;
use super::policy::{gate, list_bodies, lists_in, may_share, offers, receive_lists, view};
use super::session::{enqueue, record_status, reset, step, Exchange, Node, MAX_DOCS, MAX_ROUNDS};
use super::short;
use super::transport::{self, read_frame_of, write_frame, Frame};
use super::trust::{Peer, Peers};
use super::wire::{recv_json, recv_msg, recv_offers, send_json, send_msg, send_offers, Intro, Offers, ERR};
use crate::domain::RecordId;
use crate::store::{DocId, StoreHandle};
use anyhow::{anyhow, bail, Context, Result};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// Sessions in progress per node; a slot is given back when dropped.
#[derive(Default)]
struct NodeSlots(Mutex<HashMap<NodeId, usize>>);

struct Slot(Arc<NodeSlots>, NodeId);

impl NodeSlots {
    fn take(self: &Arc<Self>, node: NodeId, max: usize) -> Option<Slot> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.entry(node).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot(self.clone(), node))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.1);
            }
        }
    }
}

/// A connection that proved who it is: a peer in our list, or a stranger
/// whose Intro presented an open invitation's secret (now a peer).
struct Admitted {
    conn: quinn::Connection,
    node: NodeId,
    peer: Peer,
    peer_home: Option<RecordId>,
    /// The peer list as admission left it (the session's view and offers read it).
    peers: Peers,
    intro: Intro,
    send: quinn::SendStream,
    recv: quinn::RecvStream,
    budget: Arc<SessionBudget>,
    control: Budget,
    _slot: Slot,
}

/// The places a connection takes on its way in.
#[derive(Clone)]
struct Gates {
    handshakes: Arc<Semaphore>,
    strangers: Arc<Semaphore>,
    sessions: Arc<Semaphore>,
    slots: Arc<NodeSlots>,
    /// Connections of each node kept open between sessions, waiting.
    kept: Arc<NodeSlots>,
}

impl Node {
    /// Accepts connections until the endpoint closes. Before a connection
    /// is authenticated it holds one of `max_handshakes` places during the
    /// QUIC + TLS handshake (extra connections are refused before any
    /// cryptography; once half are taken, a source must first prove its
    /// address with a stateless Retry), then a per-node place (a known
    /// peer) or one of `max_strangers` (a stranger let through TLS by an
    /// open invitation) until its Intro admits it, all within the
    /// handshake timeout. Only then does it take one of `max_sessions`.
    pub async fn serve(self: Arc<Self>) -> Result<()> {
        let gates = Gates {
            handshakes: Arc::new(Semaphore::new(self.limits.max_handshakes)),
            strangers: Arc::new(Semaphore::new(self.limits.max_strangers)),
            sessions: Arc::new(Semaphore::new(self.limits.max_sessions)),
            slots: Arc::new(NodeSlots::default()),
            kept: Arc::new(NodeSlots::default()),
        };
        while let Some(mut incoming) = self.endpoint.accept().await {
            let remote = incoming.remote_address();
            let loaded = gates.handshakes.available_permits() * 2 <= self.limits.max_handshakes;
            if loaded && !incoming.remote_address_validated() {
                // A spoofed source never answers the Retry; a real one
                // comes back validated, at the cost of one round trip.
                match incoming.retry() {
                    Ok(()) => continue,
                    Err(e) => incoming = e.into_incoming(),
                }
            }
            let Ok(permit) = gates.handshakes.clone().try_acquire_owned() else {
                tracing::warn!(%remote, "refused a connection: {} handshakes already", self.limits.max_handshakes);
                incoming.refuse();
                continue;
            };
            let (node, gates) = (self.clone(), gates.clone());
            tokio::spawn(async move {
                let Some(admitted) = node.authenticate(incoming, permit, &gates).await else { return };
                node.connection(admitted, &gates).await;
            });
        }
        Ok(())
    }

    /// The sessions of one authenticated connection: one, or, while both
    /// sides keep the connection, each next one the peer opens. Every
    /// session is admitted again from its Intro (the peer list, grants and
    /// pins as they are now) and takes a session place and its node's; a
    /// connection waiting for its next session holds neither, only one of
    /// its node's kept places, and is closed after `kept_idle`.
    async fn connection(&self, mut admitted: Admitted, gates: &Gates) {
        let (conn, node) = (admitted.conn.clone(), admitted.node);
        let remote = conn.remote_address();
        // The sync states of the last session on this connection, kept when
        // it ended clean (`Offers::resumes`).
        let mut resume = false;
        loop {
            let Ok(session) = gates.sessions.clone().try_acquire_owned() else {
                tracing::warn!(%remote, peer = %admitted.peer.name, "refused a session: {} already", self.limits.max_sessions);
                return conn.close(4u32.into(), b"busy");
            };
            let keep = admitted.intro.keep && self.kept.on();
            let confirm = match self.serve_session(admitted, keep, resume).await {
                Ok(Some((confirm, clean))) => {
                    resume = clean;
                    confirm
                }
                Ok(None) => return,
                Err(e) => return tracing::warn!(%remote, "sync session ended with an error: {e:#}"),
            };
            drop(session);
            let Some(waiting) = gates.kept.take(node, self.limits.max_sessions_per_node) else {
                return self.close_confirmed(&conn, confirm, b"too many kept connections").await;
            };
            let streams = match tokio::time::timeout(self.limits.kept_idle, conn.accept_bi()).await {
                Ok(Ok(streams)) => streams,
                // The peer closed it, or it was lost.
                Ok(Err(_)) => return,
                Err(_) => return self.close_confirmed(&conn, confirm, b"idle").await,
            };
            drop((waiting, confirm));
            let deadline = tokio::time::Instant::now() + self.limits.handshake_timeout;
            admitted = match self.admission(conn.clone(), node, gates, deadline, Some(streams)).await {
                Some(admitted) => admitted,
                None => return,
            };
        }
    }

    /// Closes a kept connection (code 7) once the client has our finished
    /// control stream `confirm`, its confirmation (`wire::offers_taken_in`):
    /// QUIC drops stream data not yet delivered when the connection closes,
    /// and the client would count a finished session as failed.
    async fn close_confirmed(&self, conn: &quinn::Connection, confirm: quinn::SendStream, reason: &[u8]) {
        let _ = tokio::time::timeout(self.limits.read_timeout, confirm.stopped()).await;
        conn.close(7u32.into(), reason);
    }

    /// Everything before a connection is authenticated, bounded as a whole
    /// by the handshake timeout. None when it was refused (logged, and for
    /// a known peer recorded as its last error).
    async fn authenticate(
        &self,
        incoming: quinn::Incoming,
        handshake: OwnedSemaphorePermit,
        gates: &Gates,
    ) -> Option<Admitted> {
        let remote = incoming.remote_address();
        let deadline = tokio::time::Instant::now() + self.limits.handshake_timeout;
        let conn = match tokio::time::timeout_at(deadline, incoming).await {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => {
                tracing::warn!(%remote, "refused a connection: {e}");
                return None;
            }
            Err(_) => {
                tracing::warn!(%remote, "refused a connection: handshake timed out");
                return None;
            }
        };
        // The cryptography is done: the handshake place is free again.
        drop(handshake);
        let Ok(node) = transport::peer_node(&conn) else {
            conn.close(2u32.into(), b"no certificate");
            return None;
        };
        self.admission(conn, node, gates, deadline, None).await
    }

    /// A place for the node, its Intro (on `streams`, or on the first
    /// stream it opens) and admission, all by `deadline`. None when refused
    /// (logged, and for a known peer recorded as its last error).
    async fn admission(
        &self,
        conn: quinn::Connection,
        node: NodeId,
        gates: &Gates,
        deadline: tokio::time::Instant,
        streams: Option<(quinn::SendStream, quinn::RecvStream)>,
    ) -> Option<Admitted> {
        let remote = conn.remote_address();
        let known = Peers::load(&self.dir).ok().and_then(|p| p.get(&node).map(|p| p.name.clone()));
        // A known peer waits in its own node's places; a stranger in the
        // few shared by all strangers (a fresh node id costs nothing).
        let (slot, _stranger) = match &known {
            Some(_) => match gates.slots.take(node, self.limits.max_sessions_per_node) {
                Some(slot) => (Some(slot), None),
                None => {
                    tracing::warn!(%remote, node = %node, "refused a connection: too many sessions from this node");
                    conn.close(4u32.into(), b"busy");
                    return None;
                }
            },
            None => match gates.strangers.clone().try_acquire_owned() {
                Ok(permit) => (None, Some(permit)),
                Err(_) => {
                    tracing::warn!(%remote, node = %node, "refused a stranger: {} already waiting", self.limits.max_strangers);
                    conn.close(4u32.into(), b"busy");
                    return None;
                }
            },
        };
        let budget = SessionBudget::new(&known.clone().unwrap_or_else(|| node.short()), &self.limits);
        let result = tokio::time::timeout_at(deadline, self.introduce(&conn, node, &budget, streams)).await;
        let refused = match result {
            Ok(Ok(Some((peer, peer_home, peers, intro, send, recv, control)))) => {
                let slot = match slot {
                    Some(slot) => Some(slot),
                    // A stranger just admitted: now a peer with its node's places.
                    None => gates.slots.take(node, self.limits.max_sessions_per_node),
                };
                if let Some(slot) = slot {
                    return Some(Admitted {
                        conn,
                        node,
                        peer,
                        peer_home,
                        peers,
                        intro,
                        send,
                        recv,
                        budget,
                        control,
                        _slot: slot,
                    });
                }
                conn.close(4u32.into(), b"busy");
                anyhow!("too many sessions from node {}", node.short())
            }
            Ok(Ok(None)) => {
                conn.close(2u32.into(), b"unknown peer");
                anyhow!("refused node {} at {remote}: not a peer and no valid invitation", node.short())
            }
            Ok(Err(e)) => {
                conn.close(1u32.into(), b"bad control message");
                e
            }
            Err(_) => {
                conn.close(3u32.into(), b"no Intro in time");
                anyhow!("node {} sent no Intro within the handshake timeout", node.short())
            }
        };
        tracing::warn!(%remote, "refused before authentication: {refused:#}");
        if known.is_some() {
            let _ = record_status(&self.dir, &node, Some(format!("{refused:#}")), None, self.clock.now());
        }
        None
    }

    /// The control stream and the Intro, read with the Intro's small frame
    /// limit, and admission.
    #[allow(clippy::type_complexity)]
    async fn introduce(
        &self,
        conn: &quinn::Connection,
        node: NodeId,
        budget: &Arc<SessionBudget>,
        streams: Option<(quinn::SendStream, quinn::RecvStream)>,
    ) -> Result<Option<(Peer, Option<RecordId>, Peers, Intro, quinn::SendStream, quinn::RecvStream, Budget)>> {
        let mut control = budget.stream();
        let (mut send, mut recv) = match streams {
            Some(streams) => streams,
            None => conn.accept_bi().await?,
        };
        let (intro, _): (Intro, u64) = recv_json(&mut recv, &self.limits, &mut control, Frame::Intro)
            .await
            .with_context(|| format!("Intro from node {}", node.short()))?;
        let proven = match &intro.short {
            Some(join) => match self.short_exchange(conn, node, join, &mut send, &mut recv, &mut control).await? {
                Some(secret) => Some(secret),
                None => return Ok(None),
            },
            None => None,
        };
        let home = self.home().await;
        Ok(self
            .admit(node, &intro, home.as_ref(), proven.as_deref())?
            .map(|(peer, peer_home, peers)| (peer, peer_home, peers, intro, send, recv, control)))
    }

    /// The inviter's side of a join by short code (`sync::short`): the
    /// invitation's secret when the joiner proved it holds the digits, None
    /// (logged) when refused or failed. Every attempt begun counts against
    /// the code until it is confirmed.
    async fn short_exchange(
        &self,
        conn: &quinn::Connection,
        node: NodeId,
        join: &short::ShortJoin,
        send: &mut quinn::SendStream,
        recv: &mut quinn::RecvStream,
        control: &mut Budget,
    ) -> Result<Option<String>> {
        let now = short::clock_seconds(&*self.clock);
        let attempt = match super::invite::short_attempt(&self.dir, now)? {
            Ok(attempt) => attempt,
            Err(reason) => {
                tracing::warn!(node = %node, ?reason, "refused a short code attempt");
                send_json(send, &short::ShortReply::Refused(reason)).await?;
                // Closing now would drop the reply unsent: the joiner closes once it has read it.
                let _ = tokio::time::timeout(std::time::Duration::from_secs(5), conn.closed()).await;
                return Ok(None);
            }
        };
        let certs = short::Certs { joiner: transport::peer_cert(conn)?, inviter: self.identity.cert_der.clone() };
        let pake = short::Pake::start(short::Role::Inviter, &attempt.digits, certs);
        let ours = hex::encode(&pake.message);
        let keys = match short::unhex(&join.pake).and_then(|theirs| pake.finish(&theirs)) {
            Ok(keys) => keys,
            Err(e) => {
                tracing::warn!(node = %node, "short code attempt failed: {e:#}");
                return Ok(None);
            }
        };
        let confirm = hex::encode(keys.proof(short::Role::Inviter));
        send_json(send, &short::ShortReply::Pake { pake: ours, confirm, left: attempt.left }).await?;
        let answer: Result<(short::ShortConfirm, u64)> = recv_json(recv, &self.limits, control, Frame::Intro).await;
        let proven = answer
            .ok()
            .and_then(|(c, _)| short::unhex(&c.confirm).ok())
            .is_some_and(|p| keys.check(short::Role::Joiner, &p));
        if proven {
            Ok(Some(attempt.secret))
        } else {
            tracing::warn!(node = %node, left = attempt.left, "a short code attempt failed: wrong code, or a man in the middle");
            Ok(None)
        }
    }

    /// One authenticated session: offers both ways, then the documents.
    /// With `keep` (the peer asked) the session ends in-band; when it did and
    /// the connection may carry the next one, our finished control stream
    /// (the client's confirmation) and whether the session was clean (no
    /// error: its sync states may be kept for the next). With `resume` the
    /// sync states of the last session on this connection are kept. The
    /// documents' errors are recorded and logged here.
    async fn serve_session(
        &self,
        admitted: Admitted,
        keep: bool,
        resume: bool,
    ) -> Result<Option<(quinn::SendStream, bool)>> {
        let Admitted { conn, node, peer, peer_home, peers, intro, mut send, mut recv, budget, mut control, _slot } =
            admitted;
        let limits = self.limits.clone();
        let resume = resume && keep && self.kept.states_on();
        let quiet_ends = keep && intro.quiet_ends && self.kept.quiet_ends_on();
        let view = Arc::new(view(&peers, &peer, peer_home, transport::peer_cert(&conn)?));
        let (v, peer_holds) = (view.clone(), intro.holds.clone());
        let (cache, memories) = (self.offered.clone(), self.memories.clone());
        // One store trip for our side of the offers: what we remember of this
        // peer, our home, our offers as a delta against the copy it holds,
        // and the authors lists that delta carries.
        let (mut memory, home, ours, delta, lists) = self
            .store
            .call(move |s| {
                memories.keep_listed(&peers);
                let memory = remembered::load(s, &node, &memories);
                let home = s.home_id().cloned();
                let ours = offers(s, &v, &peers, &cache);
                let delta = remembered::encode(&ours, &memory.sent, peer_holds.as_deref());
                let lists = list_bodies(s, &v, lists_in(&delta));
                (memory, home, ours, delta, lists)
            })
            .await;
        let holds = Some(memory.received.hash().to_string());
        let offers = Offers {
            home: home.map(|h| h.to_string()),
            docs: delta,
            holds,
            lists,
            confirms: true,
            keeps: keep,
            resumes: resume,
            quiet_ends,
            came_compact: false,
        };
        // Compact if both sides read it (a node reading a form reads those before it).
        let compact = intro.compact >= super::compact::VERSION && self.compact_form() >= super::compact::VERSION;
        send_offers(&mut send, &offers, compact).await?;
        let theirs = async {
            let (theirs, _) = recv_offers(&mut recv, &limits, &mut control).await?;
            Ok::<_, anyhow::Error>((remembered::apply(theirs.docs, &memory.received)?, theirs.lists))
        };
        // Recorded as the peer's last error, as a document's would be: its
        // offers were damaged, or it went away before sending them.
        let (received, lists) = match theirs.await {
            Ok(theirs) => theirs,
            Err(e) => {
                let _ = record_status(&self.dir, &node, Some(format!("{e:#}")), None, self.clock.now());
                return Err(e);
            }
        };
        // A memory the same as the one stored is not written again: with
        // nothing changed, that write (the whole list, ~80 KB at 800
        // documents) was most of a session's store work.
        let unchanged = memory.received.is(&received) && memory.sent.is(&ours);
        if !memory.received.is(&received) {
            memory.received = remembered::Hashed::new(received);
        }
        let (v, offered) = (view.clone(), memory.received.map().clone());
        // Most sessions bring no authors list: no store trip for nothing.
        if !lists.is_empty() {
            self.store.call(move |s| receive_lists(s, &v, lists, &offered)).await;
        }
        // Our end of the control stream closes once the client's offers are
        // taken in: the client waits for it before it closes the connection,
        // which would drop offers still unread here (wire::offers_taken_in).
        // On a kept connection it closes at the end of the session instead.
        if !keep {
            let _ = send.finish();
        }
        if !memory.sent.is(&ours) {
            memory.sent = remembered::Hashed::new(ours);
        }

        let end = if keep { Some(&mut recv) } else { None };
        let rules = DocRules { resume, quiet_ends };
        let (result, in_band) = self.documents(&conn, &peer, view, &budget, end, rules).await;
        // Saved after the documents, off their path (lost, it costs one full
        // exchange); queued before the session ends, so the next session on
        // this connection reads it, but not waited for before the end.
        let memories = self.memories.clone();
        let saved =
            enqueue(
                &self.store,
                move |s| {
                    if unchanged {
                        Ok(())
                    } else {
                        remembered::save(s, &node, &memory, &memories)
                    }
                },
            )
            .await;
        let kept = keep && in_band && conn.close_reason().is_none();
        if kept {
            let _ = send.finish();
        }
        saved.await?;
        // Only now, with every document task finished, is the outcome known.
        let clean = result.is_ok();
        record_status(&self.dir, &node, result.as_ref().err().map(|e| format!("{e:#}")), None, self.clock.now())?;
        if let Err(e) = result {
            tracing::warn!(peer = %peer.name, "sync session ended with an error: {e:#}");
        }
        Ok(kept.then_some((send, clean)))
    }

    /// The peer in our list, or a stranger presenting an open invitation's
    /// secret (consumed, together with adding the peer, under the lock), and
    /// the federation it may own (pinned in the same locked update).
    /// `short`: the secret of the invitation whose short code the node just
    /// proved (`short_exchange`).
    fn admit(
        &self,
        node: NodeId,
        intro: &Intro,
        home: Option<&RecordId>,
        short: Option<&str>,
    ) -> Result<Option<(Peer, Option<RecordId>, Peers)>> {
        let now = short::clock_seconds(&*self.clock);
        Peers::update(&self.dir, |peers| {
            if peers.get(&node).is_none() {
                let grants = match (short, &intro.join) {
                    (Some(secret), _) => super::invite::consume_short(&self.dir, secret, now)?,
                    (None, Some((secret, _))) => super::invite::consume(&self.dir, secret, now)?,
                    (None, None) => None,
                };
                let Some(grants) = grants else { return Ok(None) };
                let name = intro
                    .join
                    .as_ref()
                    .map(|(_, n)| n)
                    .or(intro.short.as_ref().map(|s| &s.name))
                    // Room for the "-" and short node id added on a clash.
                    .map(|n| super::text::clean(n, super::text::NAME_CHARS - 8))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| node.short());
                let name =
                    if peers.peers.iter().any(|p| p.name == name) { format!("{name}-{}", node.short()) } else { name };
                peers.add(node, &name, None)?;
                let p = peers.find_mut(&name)?;
                p.grants = grants;
                // A laptop without a federation, or of ours, takes ours
                // (Node::join). Any other claim is left to the pinning rule
                // below, like every peer's: stored here, it would pass as
                // already pinned even when another peer owns it.
                let ours = home.map(|h| h.to_string());
                p.home = match &intro.home {
                    None => ours,
                    Some(claim) if ours.as_ref() == Some(claim) => ours,
                    Some(_) => None,
                };
                tracing::info!(peer = %name, node = %node, "joined with an invitation");
            }
            let Some(peer) = peers.get(&node).cloned() else { return Ok(None) };
            let owns = pin::decide(peers, &node, intro.home.as_deref(), home);
            Ok(Some((peer, owns, peers.clone())))
        })
    }

    /// Serves the document streams the peer opens until it closes the
    /// connection or, on a kept one, finishes its control stream `end`
    /// (then true), goes idle (no stream in flight for the read timeout) or
    /// goes over its byte budget. Errors of every document are collected.
    async fn documents(
        &self,
        conn: &quinn::Connection,
        peer: &Peer,
        view: Arc<PeerView>,
        budget: &Arc<SessionBudget>,
        mut end: Option<&mut quinn::RecvStream>,
        rules: DocRules,
    ) -> (Result<()>, bool) {
        let mut in_band = false;
        let result = self.serve_documents(conn, peer, view, budget, &mut end, &mut in_band, rules).await;
        (result, in_band)
    }

    #[allow(clippy::too_many_arguments)]
    async fn serve_documents(
        &self,
        conn: &quinn::Connection,
        peer: &Peer,
        view: Arc<PeerView>,
        budget: &Arc<SessionBudget>,
        end: &mut Option<&mut quinn::RecvStream>,
        in_band: &mut bool,
        rules: DocRules,
    ) -> Result<()> {
        let limits = &self.limits;
        let mut tasks: JoinSet<Result<()>> = JoinSet::new();
        let mut errors: Vec<String> = Vec::new();
        let mut served = 0usize;
        let mut collect = |done: Result<Result<()>, tokio::task::JoinError>| match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(peer = %peer.name, "document sync failed: {e:#}");
                errors.push(format!("{e:#}"));
            }
            Err(e) => errors.push(e.to_string()),
        };
        let ended: Result<()> = loop {
            if budget.exceeded() {
                conn.close(5u32.into(), b"over budget");
                break Err(anyhow!("peer {} went over the session's byte budget; session ended", peer.name));
            }
            // With no document in flight, the peer has `read_timeout` to
            // open the next stream or end the session.
            let idle = tasks.is_empty();
            let next = tokio::select! {
                r = conn.accept_bi() => Next::Stream(r),
                e = ended(end) => Next::End(e),
                Some(done) = tasks.join_next() => {
                    collect(done);
                    continue;
                }
                _ = tokio::time::sleep(limits.read_timeout), if idle => {
                    conn.close(3u32.into(), b"idle");
                    break Err(anyhow!("peer {} went idle; connection closed", peer.name));
                }
            };
            let accepted = match next {
                Next::Stream(accepted) => accepted,
                // The peer's documents are done: the session ends here.
                Next::End(Ok(())) => {
                    *in_band = true;
                    break Ok(());
                }
                Next::End(Err(e)) => {
                    conn.close(1u32.into(), b"bad control message");
                    break Err(e);
                }
            };
            let (send, recv) = match accepted {
                Ok(s) => s,
                Err(quinn::ConnectionError::ApplicationClosed(_)) | Err(quinn::ConnectionError::LocallyClosed) => {
                    break Ok(())
                }
                Err(e) => break Err(e.into()),
            };
            served += 1;
            if served > MAX_DOCS {
                conn.close(1u32.into(), b"too many documents");
                break Err(anyhow!("peer {} opened too many document streams", peer.name));
            }
            let (store, peer, view) = (self.store.clone(), peer.clone(), view.clone());
            let (limits, mut doc_budget) = (limits.clone(), budget.stream());
            tasks.spawn(
                async move { server_doc(send, recv, &store, &peer, view, &limits, &mut doc_budget, rules).await },
            );
        };
        while let Some(done) = tasks.join_next().await {
            collect(done);
        }
        if budget.exceeded() {
            conn.close(5u32.into(), b"over budget");
            bail!("peer {} went over the session's byte budget; session ended", peer.name);
        }
        // Document errors first: an idle close after a failed document is
        // a consequence, not the cause.
        if let Err(e) = ended {
            errors.push(format!("{e:#}"));
        }
        match errors.len() {
            0 => Ok(()),
            1 => bail!("{}", errors[0]),
            n => bail!("{n} errors; first: {}", errors[0]),
        }
    }
}

/// What the peer did next within a session.
enum Next {
    Stream(Result<(quinn::SendStream, quinn::RecvStream), quinn::ConnectionError>),
    End(Result<()>),
}

/// The end of the peer's control stream on a kept connection: its session
/// is over. Never, when the connection is not kept.
async fn ended(end: &mut Option<&mut quinn::RecvStream>) -> Result<()> {
    let Some(recv) = end else { return std::future::pending().await };
    let mut rest = [0u8; 1];
    match recv.read(&mut rest).await {
        Ok(None) => Ok(()),
        Ok(Some(_)) => bail!("peer sent more on its control stream than its offers"),
        Err(e) => Err(e).context("control stream"),
    }
}

/// How this session's documents go, as the two sides agreed in its offers.
#[derive(Clone, Copy)]
struct DocRules {
    /// Keep the sync state of the last session on this connection
    /// (`Store::continue_sync`).
    resume: bool,
    /// An empty frame after the first ends the document (`Offers::quiet_ends`).
    quiet_ends: bool,
}

/// The accepting side of one document stream.
#[allow(clippy::too_many_arguments)]
async fn server_doc(
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
    store: &StoreHandle,
    peer: &Peer,
    view: Arc<PeerView>,
    limits: &Limits,
    budget: &mut Budget,
    DocRules { resume, quiet_ends }: DocRules,
) -> Result<()> {
    let name = read_frame_of(&mut recv, limits, budget, Frame::DocName).await?;
    let doc = DocId::parse(&String::from_utf8_lossy(&name)).map_err(anyhow::Error::msg)?;
    let (d, name) = (doc.clone(), peer.node_id.to_string());
    // One store trip: the session's sync state from disk, what the peer may
    // do with the document and the gate its changes pass.
    let exchange = Exchange::new(store, peer, &doc);
    let decided = store
        .call(move |s| {
            let access = may_share(s, &view, &d)?;
            if resume {
                s.continue_sync(&name, &d);
            } else {
                s.begin_sync(&name, &d);
            }
            Some((access, Arc::new(gate(s, &view, &d, access))))
        })
        .await;
    let Some((access, gate)) = decided else {
        exchange.not_opened();
        write_frame(&mut send, &[&[ERR][..], b"document not shared with you"].concat()).await?;
        bail!("peer asked for {doc}, which is not shared with it");
    };
    // Any error resets this document's sync state, so no state of an
    // exchange cut short is kept for the next session (`resume`).
    let exchanged: Result<()> = async {
        for round in 0..MAX_ROUNDS {
            let (theirs, _) = recv_msg(&mut recv, limits, budget).await.with_context(|| format!("{doc}"))?;
            let got_none = theirs.is_none();
            // The peer's first frame may be empty (nothing new since its
            // kept state); a later one answers ours, or follows our empty
            // answer to its message: either way the document is in sync.
            if quiet_ends && got_none && round > 0 {
                let _ = send.finish();
                return Ok(());
            }
            let ours = match step(store, peer, &doc, theirs, access, gate.clone()).await {
                Ok(step) => step.ours,
                Err(e) => {
                    tracing::warn!(peer = %peer.name, %doc, "refused: {e}");
                    reset(store, peer, &doc).await;
                    let text = e.to_string();
                    write_frame(&mut send, &[&[ERR][..], text.as_bytes()].concat()).await?;
                    return Err(e);
                }
            };
            let sent_none = ours.is_none();
            send_msg(&mut send, ours.as_ref()).await?;
            if sent_none && got_none {
                let _ = send.finish();
                return Ok(());
            }
        }
        bail!("document {doc} did not settle")
    }
    .await;
    exchange.end(exchanged.is_ok());
    exchanged
}
