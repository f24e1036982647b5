//! Bounds on what a peer can make this node spend: time, memory, bytes and
//! connections. One `Limits` per node, so tests can shorten the timeouts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Limits {
    /// How long one read (or one 64 KiB piece of a frame) may wait; also
    /// how long a connection may sit with no document in flight.
    pub read_timeout: Duration,
    /// How long a connection may take to prove who it is: the QUIC + TLS
    /// handshake and then its Intro (a stranger's carries the invitation).
    pub handshake_timeout: Duration,
    /// Largest sync-message frame accepted: a full province document fits
    /// well inside.
    pub max_frame: usize,
    /// Largest Intro (home, invitation secret and name, a hash): a few
    /// hundred bytes; it is read before the peer is authenticated.
    pub max_intro: usize,
    /// Largest Offers (a digest per document shared, authors lists).
    pub max_offers: usize,
    /// Bytes one session may receive in all.
    pub session_bytes_in: u64,
    /// Bytes one document stream may receive.
    pub doc_bytes_in: u64,
    /// QUIC + TLS handshakes in progress at once; extra connections are
    /// refused before any cryptography, and once half are in use a source
    /// must first prove its address (a stateless QUIC Retry).
    pub max_handshakes: usize,
    /// Strangers (admitted to TLS only by an open invitation) waiting to
    /// present its secret, at once: fresh node ids cost nothing, so they
    /// share these few places instead of each getting a node's.
    pub max_strangers: usize,
    /// Authenticated sessions served at once.
    pub max_sessions: usize,
    /// Sessions served at once for one node; also the connections of one
    /// node kept open between sessions.
    pub max_sessions_per_node: usize,
    /// How long a connection kept between sessions may wait for the next
    /// one before the serving side closes it: longer than the daemon's 30 s
    /// between rounds, so a timer round finds it open.
    pub kept_idle: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            read_timeout: Duration::from_secs(30),
            handshake_timeout: Duration::from_secs(5),
            max_frame: super::transport::MAX_FRAME,
            max_intro: 16 << 10,
            // 20,000 documents at ~100 bytes each, and the authors lists.
            max_offers: 16 << 20,
            session_bytes_in: 512 << 20,
            // Twice the largest frame: one whole document plus the rounds
            // that follow it.
            doc_bytes_in: 128 << 20,
            max_handshakes: 16,
            max_strangers: 4,
            max_sessions: 32,
            max_sessions_per_node: 4,
            kept_idle: Duration::from_secs(75),
        }
    }
}

/// A peer went over a byte budget: the session ends, nothing more is read.
#[derive(Debug)]
pub struct BudgetExceeded(pub String);

impl std::fmt::Display for BudgetExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BudgetExceeded {}

/// Bytes received in one session, shared by its document streams.
#[derive(Debug)]
pub struct SessionBudget {
    peer: String,
    used: AtomicU64,
    limit: u64,
    doc_limit: u64,
}

impl SessionBudget {
    pub fn new(peer: &str, limits: &Limits) -> Arc<SessionBudget> {
        Arc::new(SessionBudget {
            peer: peer.to_string(),
            used: AtomicU64::new(0),
            limit: limits.session_bytes_in,
            doc_limit: limits.doc_bytes_in,
        })
    }

    /// Whether the session already went over its budget.
    pub fn exceeded(&self) -> bool {
        self.used.load(Ordering::SeqCst) > self.limit
    }

    pub fn used(&self) -> u64 {
        self.used.load(Ordering::SeqCst)
    }

    /// A budget for one stream (the control stream or one document).
    pub fn stream(self: &Arc<Self>) -> Budget {
        Budget { session: self.clone(), used: 0 }
    }
}

/// The budget one stream reads against: its own and its session's.
#[derive(Debug)]
pub struct Budget {
    session: Arc<SessionBudget>,
    used: u64,
}

impl Budget {
    /// The session this stream's budget is part of.
    pub fn session(&self) -> Arc<SessionBudget> {
        self.session.clone()
    }

    /// Counts `n` bytes about to be read; refuses them, before they are
    /// read, when they would exceed either budget. Once the session's budget
    /// is exceeded every later charge fails too, so nothing more is applied.
    pub fn charge(&mut self, n: u64) -> Result<(), BudgetExceeded> {
        let s = &self.session;
        let total = s.used.fetch_add(n, Ordering::SeqCst).saturating_add(n);
        if total > s.limit {
            return Err(BudgetExceeded(format!(
                "peer {} sent more than the session budget of {} bytes",
                s.peer, s.limit
            )));
        }
        self.used = self.used.saturating_add(n);
        if self.used > s.doc_limit {
            // A stream over its budget ends the session as well.
            s.used.store(s.limit.saturating_add(1), Ordering::SeqCst);
            return Err(BudgetExceeded(format!(
                "peer {} sent more than the document budget of {} bytes",
                s.peer, s.doc_limit
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_refuse_before_reading_and_stay_refused() {
        let limits = Limits { session_bytes_in: 100, doc_bytes_in: 60, ..Limits::default() };
        let session = SessionBudget::new("B", &limits);
        let mut a = session.stream();
        let mut b = session.stream();
        a.charge(50).unwrap();
        assert!(a.charge(20).unwrap_err().to_string().contains("peer B"), "stream over 60");
        assert!(session.exceeded(), "a stream over budget ends the session");
        assert!(b.charge(1).is_err(), "nothing more after that");

        let session = SessionBudget::new("C", &limits);
        let (mut a, mut b) = (session.stream(), session.stream());
        a.charge(50).unwrap();
        b.charge(50).unwrap();
        assert!(b.charge(1).unwrap_err().to_string().contains("session budget"));
        assert!(session.exceeded());
    }
}
