//! A short invitation code to read aloud over the phone: ten digits,
//! `NNNNN-NNNNN`, one use, valid `MINUTES` by the inviter's clock.
//!
//! Ten digits (33 bits) cannot key TLS: a transcript would let anyone try
//! all 10^10 codes offline. So the joiner connects without knowing the
//! inviter's certificate, and both sides run SPAKE2 (the RustCrypto
//! `spake2` crate, Ed25519 group) on the control stream with the digits as
//! the password and the two certificates' hashes (the node ids) as the
//! identities, then each proves the key with an HMAC over both
//! certificates. Each attempt tests one guess, online; the inviter voids
//! the code after `MAX_FAILURES` attempts that did not finish. A man in the
//! middle terminates TLS with certificates of its own, so the identities
//! differ on the two sides and the proofs fail even if it relays every
//! message. Only after the proofs is anything written to `peers.json`:
//! the session then goes on as a joined invitation (`invite`).
//!
//! 1. joiner -> inviter: `Intro { short: ShortJoin { name, pake } }`
//! 2. inviter -> joiner: `ShortReply::Pake { pake, confirm, left }` or
//!    `ShortReply::Refused(reason)` (no code open, expired, voided)
//! 3. joiner -> inviter: `ShortConfirm { confirm }`; then `Offers` as in
//!    every session.

use super::invite::ShortRefusal;
use anyhow::{bail, Context, Result};
use ring::hmac;
use serde::{Deserialize, Serialize};
use spake2::{Ed25519Group, Identity as PakeIdentity, Password, Spake2};

/// Digits of a short code.
pub const DIGITS: usize = 10;
/// Minutes a short code stays open.
pub const MINUTES: i64 = 30;
/// Attempts that did not finish before the code is void: a guesser's
/// chance is 3 in 10^10.
pub const MAX_FAILURES: u8 = 3;

/// Seconds of a clock's local time, the frame a short code's expiry is kept
/// in: made and judged by the same node's clock, so only differences count.
pub fn clock_seconds(clock: &dyn crate::clock::Clock) -> i64 {
    clock.now().and_utc().timestamp()
}

/// Digits shown and read aloud: `NNNNN-NNNNN`.
pub fn display(digits: &str) -> String {
    if digits.len() == DIGITS {
        format!("{}-{}", &digits[..5], &digits[5..])
    } else {
        digits.to_string()
    }
}

/// Full-width forms (what a Chinese input method types: `１２３`, `：`,
/// `－`) as ASCII, and the ideographic full stop as a dot.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '。' => '.',
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The ten digits of a short code as people type it: with or without the
/// dash, with spaces, full-width digits from an input method.
pub fn normalize(text: &str) -> Result<String> {
    let digits: String = text
        .chars()
        .map(half_width)
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '—' | '–' | '_' | '.')))
        .collect();
    if digits.len() != DIGITS || !digits.chars().all(|c| c.is_ascii_digit()) {
        bail!("短码应为 10 位数字,如 12345-67890 (a short code is 10 digits, like 12345-67890): {}", text.trim());
    }
    Ok(digits)
}

/// An address typed with an input method (`192。168。1。10：4433`).
pub fn normalize_addr(text: &str) -> String {
    text.chars().map(half_width).filter(|c| !c.is_whitespace()).collect()
}

/// What the joiner adds to its Intro.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShortJoin {
    /// The name the joiner gives itself on the inviter's side.
    pub name: String,
    /// Its SPAKE2 message, hex.
    pub pake: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ShortReply {
    Pake {
        pake: String,
        /// The inviter's proof of the key, hex.
        confirm: String,
        /// Attempts left if this one fails.
        left: u8,
    },
    Refused(ShortRefusal),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShortConfirm {
    pub confirm: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Joiner,
    Inviter,
}

/// One side's exchange, begun: send `message`, then `finish` with the
/// other side's.
pub struct Pake {
    state: Spake2<Ed25519Group>,
    certs: Certs,
    pub message: Vec<u8>,
}

/// The two certificates the TLS handshake showed this side.
#[derive(Clone)]
pub struct Certs {
    pub joiner: Vec<u8>,
    pub inviter: Vec<u8>,
}

impl Pake {
    pub fn start(role: Role, digits: &str, certs: Certs) -> Pake {
        let password = Password::new(digits.as_bytes());
        let joiner = PakeIdentity::new(&super::NodeId::of_certificate(&certs.joiner).0);
        let inviter = PakeIdentity::new(&super::NodeId::of_certificate(&certs.inviter).0);
        let (state, message) = match role {
            Role::Joiner => Spake2::<Ed25519Group>::start_a(&password, &joiner, &inviter),
            Role::Inviter => Spake2::<Ed25519Group>::start_b(&password, &joiner, &inviter),
        };
        Pake { state, certs, message }
    }

    /// The shared key, if the other side's message is well formed (a wrong
    /// code still gives a key: a different one, which the proofs reveal).
    pub fn finish(self, theirs: &[u8]) -> Result<Keys> {
        let key = self
            .state
            .finish(theirs)
            .map_err(|e| anyhow::anyhow!("短码交换消息无效 (malformed exchange message: {e:?})"))?;
        Ok(Keys { key: hmac::Key::new(hmac::HMAC_SHA256, &key), certs: self.certs })
    }
}

pub struct Keys {
    key: hmac::Key,
    certs: Certs,
}

impl Keys {
    fn transcript(&self, role: Role) -> Vec<u8> {
        let mut t = b"hubsync short code v1".to_vec();
        t.push(match role {
            Role::Joiner => b'J',
            Role::Inviter => b'I',
        });
        for cert in [&self.certs.joiner, &self.certs.inviter] {
            t.extend_from_slice(&(cert.len() as u32).to_be_bytes());
            t.extend_from_slice(cert);
        }
        t
    }

    /// `role`'s proof that it holds the key, over both certificates.
    pub fn proof(&self, role: Role) -> Vec<u8> {
        hmac::sign(&self.key, &self.transcript(role)).as_ref().to_vec()
    }

    /// Checks the other side's proof (in constant time).
    pub fn check(&self, role: Role, proof: &[u8]) -> bool {
        hmac::verify(&self.key, &self.transcript(role), proof).is_ok()
    }
}

/// The name the joiner gives the inviter in its peer list (as `Node::join`).
pub const INVITER: &str = "邀请方";

impl super::Node {
    /// Joins with a short code read aloud: connects to `addr` without
    /// knowing the inviter, runs the exchange, and only when both proofs
    /// check trusts the inviter (pinned, as `Node::join`) and syncs what the
    /// invitation grants. A wrong code, an expired or voided one, or a man in
    /// the middle leaves `peers.json` as it was.
    pub async fn join_short(&self, addr: &str, code: &str, name: &str) -> Result<super::Summary> {
        use super::client::{resolve, Opened};
        use super::session::Summary;
        use super::transport::{self, Frame};
        use super::wire::{recv_json, send_json, Intro};
        let digits = normalize(code)?;
        let addr = normalize_addr(addr);
        if !addr.contains(':') {
            bail!("地址 '{addr}' 应为 HOST:PORT (address must be HOST:PORT)");
        }
        let started = std::time::Instant::now();
        let limits = self.limits.clone();
        let sock = resolve(&addr).await?;
        let connecting = self.endpoint.connect_with(transport::unpinned_client(&self.identity)?, sock, "hubsync")?;
        let conn = tokio::time::timeout(limits.handshake_timeout, connecting)
            .await
            .map_err(|_| anyhow::anyhow!("与 {addr} 握手超时 (handshake timed out)"))?
            .with_context(|| format!("无法连接 {addr} (cannot connect)"))?;
        let inviter_cert = transport::peer_cert(&conn)?;
        let inviter = super::NodeId::of_certificate(&inviter_cert);
        let pake =
            Pake::start(Role::Joiner, &digits, Certs { joiner: self.identity.cert_der.clone(), inviter: inviter_cert });
        let budget = super::limits::SessionBudget::new(INVITER, &limits);
        let mut control = budget.stream();
        let mut summary = Summary { peer: INVITER.to_string(), ..Default::default() };
        // A node with no invitation open at all refuses our certificate
        // once the handshake is done: the connection is then lost here.
        let refused = || {
            format!(
                "{addr} 拒绝了连接:对方节点没有待用的短码,请对方重新生成 \
                 (the node refused the connection: no short code is open on it; ask for a new one)"
            )
        };
        let (mut send, mut recv) = conn.open_bi().await.with_context(refused)?;
        let home = self.home().await;
        let short = ShortJoin { name: name.to_string(), pake: hex::encode(&pake.message) };
        let intro = Intro {
            home: home.as_ref().map(|h| h.to_string()),
            join: None,
            holds: None,
            short: Some(short),
            keep: false,
            compact: self.compact_form(),
            quiet_ends: false,
        };
        summary.bytes_out += send_json(&mut send, &intro).await.with_context(refused)?;
        let (reply, n): (ShortReply, u64) =
            recv_json(&mut recv, &limits, &mut control, Frame::Intro).await.with_context(refused)?;
        summary.bytes_in += n;
        let (theirs, confirm, left) = match reply {
            ShortReply::Pake { pake, confirm, left } => (pake, confirm, left),
            ShortReply::Refused(reason) => {
                conn.close(2u32.into(), b"short code refused");
                bail!("{}", refusal_text(reason));
            }
        };
        let keys = pake.finish(&unhex(&theirs)?)?;
        if !keys.check(Role::Inviter, &unhex(&confirm)?) {
            conn.close(6u32.into(), b"short code mismatch");
            bail!("{}", mismatch_text(left));
        }
        summary.bytes_out +=
            send_json(&mut send, &ShortConfirm { confirm: hex::encode(keys.proof(Role::Joiner)) }).await?;
        // The inviter is proven: trusted as with a long code.
        let has_home = home.is_some();
        let peer = super::Peers::update(&self.dir, |peers| {
            let name = peers.get(&inviter).map(|p| p.name.clone()).unwrap_or_else(|| INVITER.to_string());
            let name = if peers.peers.iter().any(|p| p.name == name && p.node_id != inviter) {
                format!("{name}-{}", inviter.short())
            } else {
                name
            };
            peers.add(inviter, &name, Some(addr.clone()))?;
            if !has_home {
                peers.find_mut(&name)?.grants.insert("*".into(), super::Grant::Write);
            }
            Ok(peers.find(&name)?.clone())
        })?;
        summary.peer = peer.name.clone();
        let memories = self.memories.clone();
        let memory = self.store.call(move |s| super::offers::load(s, &inviter, &memories)).await;
        // Not kept: this connection's server certificate was not checked
        // against the peer list (`transport::unpinned_client`).
        let mut opened =
            Opened { conn, send, recv, budget, summary, memory, home, started, keep: false, resumable: false };
        let answer = super::wire::recv_offers(&mut opened.recv, &limits, &mut control).await?;
        self.converse(&peer, opened, answer, true).await
    }
}

pub fn unhex(text: &str) -> Result<Vec<u8>> {
    hex::decode(text).context("短码交换消息无效 (malformed exchange message)")
}

/// A refusal as the joiner reads it.
pub fn refusal_text(reason: ShortRefusal) -> &'static str {
    match reason {
        ShortRefusal::NoCode => "对方节点没有待用的短码,请对方重新生成 (no short code is open on that node; ask for a new one)",
        ShortRefusal::Expired => "短码已过期,请对方重新生成 (the short code has expired: ask for a new one)",
        ShortRefusal::Voided => {
            "短码错误次数过多,已作废,请对方重新生成 (the short code was voided after 3 failed attempts: ask for a new one)"
        }
    }
}

/// The joiner's error when the inviter's proof does not check.
pub fn mismatch_text(left: u8) -> String {
    format!(
        "短码不对,或连接被人从中截取;未添加任何对等方,还可再试 {left} 次 \
         (the short code is wrong, or someone is in the middle of the connection; no peer was added; {left} attempts left)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certs(j: u8, i: u8) -> Certs {
        Certs { joiner: vec![j; 300], inviter: vec![i; 300] }
    }

    /// Runs both sides: whether the inviter accepts the joiner's proof and
    /// the joiner the inviter's.
    fn exchange(joiner: (&str, Certs), inviter: (&str, Certs)) -> (bool, bool) {
        let j = Pake::start(Role::Joiner, joiner.0, joiner.1);
        let i = Pake::start(Role::Inviter, inviter.0, inviter.1);
        let (jm, im) = (j.message.clone(), i.message.clone());
        let jk = j.finish(&im).unwrap();
        let ik = i.finish(&jm).unwrap();
        (ik.check(Role::Joiner, &jk.proof(Role::Joiner)), jk.check(Role::Inviter, &ik.proof(Role::Inviter)))
    }

    #[test]
    fn the_right_digits_agree_and_wrong_ones_fail_on_both_sides() {
        assert_eq!(exchange(("0123456789", certs(1, 2)), ("0123456789", certs(1, 2))), (true, true));
        assert_eq!(exchange(("0123456788", certs(1, 2)), ("0123456789", certs(1, 2))), (false, false));
    }

    /// A man in the middle holds its own certificates: the joiner sees
    /// (joiner, M1), the inviter (M2, inviter). Relaying every message with
    /// the right digits, it still fails both proofs.
    #[test]
    fn a_man_in_the_middle_with_other_certificates_fails_even_with_the_digits() {
        let code = "5550001234";
        assert_eq!(exchange((code, certs(1, 9)), (code, certs(8, 2))), (false, false));
    }

    #[test]
    fn digits_are_read_as_typed_over_the_phone() {
        for typed in ["12345-67890", "1234567890", " 12345 67890 ", "１２３４５－６７８９０", "12345—67890"]
        {
            assert_eq!(normalize(typed).unwrap(), "1234567890", "{typed}");
        }
        for wrong in ["12345-6789", "12345-678901", "12345-6789O", ""] {
            let e = normalize(wrong).unwrap_err().to_string();
            assert!(e.contains("10 位数字") && e.contains("10 digits"), "{e}");
        }
        assert_eq!(display("1234567890"), "12345-67890");
        assert_eq!(normalize_addr("192。168。1。10：4433 "), "192.168.1.10:4433");
    }
}
