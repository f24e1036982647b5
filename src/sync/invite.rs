//! One-time invitations: `hubsync invite` prints a code (node id, address,
//! secret, expiry) and, with `--qr`, the same code as a QR code drawn in the
//! terminal (the UI shows it too); `hubsync join CODE` on another laptop
//! connects with it.
//!
//! The code is base32 (upper-case letters and digits 2-7, which a QR code
//! holds in its compact alphanumeric mode) of: a version byte (2), the
//! inviter's 32-byte node id, the 16-byte secret, the expiry (u32 seconds
//! of the inviter's clock, `short::clock_seconds`, big-endian) and the address as UTF-8: 117 characters for an
//! IPv4 address, a version 5 QR code (37 modules, 41 with its margin), which
//! fits an 80x24 terminal. Codes of the first format (base32 of JSON, about
//! 280 characters) are still read.
//! While an invitation is pending the handshake admits unknown nodes, but a
//! session shares nothing until the node presents a valid secret; the secret
//! is then consumed and the node becomes a peer with the invitation's grants.
//! Every expiry is made and judged in seconds of the inviter's injected
//! clock (`now` below), never the machine's.

use super::identity::NodeId;
use super::trust::Grant;
use anyhow::{Context, Result};
use data_encoding::BASE32_NOPAD;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Invitation {
    pub secret: String,
    /// Seconds of the inviter's clock (`short::clock_seconds`).
    pub expires: i64,
    pub grants: BTreeMap<String, Grant>,
    /// The same invitation as ten digits read aloud (`sync::short`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<ShortCode>,
}

/// A short code: ten digits, tried online only (SPAKE2), voided after
/// `short::MAX_FAILURES` attempts that did not finish.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ShortCode {
    pub digits: String,
    /// Seconds of the node's clock (`short::clock_seconds`): the inviter's
    /// clock, injected, judges it.
    pub expires: i64,
    /// Attempts begun and not (yet) confirmed.
    pub attempts: u8,
}

/// What the code carries to the joining laptop.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Code {
    pub node: NodeId,
    pub addr: String,
    pub secret: String,
    pub expires: i64,
}

fn file(dir: &Path) -> std::path::PathBuf {
    dir.join("invites.json")
}

fn load(dir: &Path) -> Result<Vec<Invitation>> {
    match std::fs::read(file(dir)) {
        Ok(b) => serde_json::from_slice(&b).with_context(|| format!("{} 已损坏 (unreadable)", file(dir).display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e.into()),
    }
}

/// Durable like the peer list: an invitation handed out, or one consumed by
/// a join, must not come back after a crash.
fn save(dir: &Path, list: &[Invitation]) -> Result<()> {
    let path = file(dir);
    crate::private_fs::write_atomic(&path, &serde_json::to_vec_pretty(list)?, true)
        .with_context(|| format!("无法写入 {} (cannot write)", path.display()))
}

/// Creates an invitation valid `hours` from `now` (clock seconds) and
/// returns the code to give the other laptop.
pub fn create(
    dir: &Path,
    node: NodeId,
    addr: &str,
    grants: BTreeMap<String, Grant>,
    hours: i64,
    now: i64,
) -> Result<String> {
    let secret = hex::encode(rand::random::<[u8; 16]>());
    let expires = now + hours.max(1) * 3600;
    // Under the peer-list lock: a join consuming an invitation at the same
    // moment must not be undone by this rewrite.
    super::trust::with_lock(dir, || {
        let mut list: Vec<Invitation> = load(dir)?.into_iter().filter(|i| i.expires > now).collect();
        list.push(Invitation { secret: secret.clone(), expires, grants, short: None });
        save(dir, &list)
    })?;
    Ok(encode(&Code { node, addr: addr.to_string(), secret, expires }))
}

/// An invitation with a short code beside its long one, valid
/// `short::MINUTES` by the node's clock (`now`, clock seconds). Only one
/// short code is open at a time (the inviter cannot tell which of several a
/// joiner's digits are, the exchange hiding them): a new one voids the
/// earlier. With `long_hours` None the long code is not shown and expires
/// with the short one.
pub fn create_short(
    dir: &Path,
    node: NodeId,
    addr: &str,
    grants: BTreeMap<String, Grant>,
    now: i64,
    long_hours: Option<i64>,
) -> Result<(String, String)> {
    use rand::Rng;
    let secret = hex::encode(rand::random::<[u8; 16]>());
    let digits = format!("{:010}", rand::rng().random_range(0..10_000_000_000u64));
    let short = ShortCode { digits: digits.clone(), expires: now + super::short::MINUTES * 60, attempts: 0 };
    let expires = match long_hours {
        Some(hours) => now + hours.max(1) * 3600,
        None => now + super::short::MINUTES * 60,
    };
    super::trust::with_lock(dir, || {
        let mut list: Vec<Invitation> = load(dir)?.into_iter().filter(|i| i.expires > now).collect();
        for i in &mut list {
            i.short = None;
        }
        list.push(Invitation { secret: secret.clone(), expires, grants, short: Some(short) });
        save(dir, &list)
    })?;
    Ok((encode(&Code { node, addr: addr.to_string(), secret, expires }), digits))
}

/// Why an attempt with a short code was refused before any exchange.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum ShortRefusal {
    /// No short code is open on the inviting node.
    NoCode,
    Expired,
    /// Voided after too many attempts that failed.
    Voided,
}

/// An attempt allowed: the digits to run the exchange with, the invitation
/// it opens, and how many attempts are left if this one fails.
pub struct ShortTry {
    pub digits: String,
    pub secret: String,
    pub left: u8,
}

/// Begins an attempt with the open short code at `now` (clock seconds). It
/// counts as failed until `consume_short` takes the invitation, so an
/// attempt that is abandoned half way (a guesser who learnt that its guess
/// was wrong) costs one of the `MAX_FAILURES` too.
pub fn short_attempt(dir: &Path, now: i64) -> Result<std::result::Result<ShortTry, ShortRefusal>> {
    super::trust::with_lock(dir, || {
        let mut list = load(dir)?;
        let Some(inv) = list.iter_mut().find(|i| i.short.is_some()) else { return Ok(Err(ShortRefusal::NoCode)) };
        let secret = inv.secret.clone();
        let short = inv.short.as_mut().expect("found with a short code");
        if short.expires <= now {
            return Ok(Err(ShortRefusal::Expired));
        }
        if short.attempts >= super::short::MAX_FAILURES {
            return Ok(Err(ShortRefusal::Voided));
        }
        short.attempts += 1;
        let attempt =
            ShortTry { digits: short.digits.clone(), secret, left: super::short::MAX_FAILURES - short.attempts };
        save(dir, &list)?;
        Ok(Ok(attempt))
    })
}

/// Takes the invitation whose short code an exchange just confirmed; None
/// if it is gone (expired, replaced) meanwhile. Call it inside
/// `Peers::update`, like `consume`.
pub fn consume_short(dir: &Path, secret: &str, now: i64) -> Result<Option<BTreeMap<String, Grant>>> {
    let mut list = load(dir)?;
    let open = |i: &Invitation| i.secret == secret && i.short.as_ref().is_some_and(|s| s.expires > now);
    let Some(at) = list.iter().position(open) else { return Ok(None) };
    let taken = list.remove(at);
    save(dir, &list)?;
    Ok(Some(taken.grants))
}

/// Version byte of the compact binary code.
const COMPACT: u8 = 2;

fn encode(code: &Code) -> String {
    let mut bytes = vec![COMPACT];
    bytes.extend_from_slice(&code.node.0);
    bytes.extend_from_slice(&hex::decode(&code.secret).unwrap_or_default());
    bytes.extend_from_slice(&(code.expires.clamp(0, u32::MAX as i64) as u32).to_be_bytes());
    bytes.extend_from_slice(code.addr.as_bytes());
    BASE32_NOPAD.encode(&bytes)
}

fn parse(bytes: &[u8]) -> Option<Code> {
    match bytes.split_first() {
        Some((&COMPACT, rest)) if rest.len() > 52 => Some(Code {
            node: NodeId(rest[..32].try_into().ok()?),
            secret: hex::encode(&rest[32..48]),
            expires: u32::from_be_bytes(rest[48..52].try_into().ok()?) as i64,
            addr: String::from_utf8(rest[52..].to_vec()).ok()?,
        }),
        // The first format: JSON.
        Some((b'{', _)) => serde_json::from_slice(bytes).ok(),
        _ => None,
    }
}

/// The code as a QR code in text: two modules per character cell (upper and
/// lower half blocks), light modules drawn, so it reads on the dark
/// background terminals usually have, with a two-module margin.
pub fn qr_text(code: &str) -> Result<String> {
    use qrcode::{Color, EcLevel, QrCode};
    let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::L)
        .context("邀请码过长,无法生成二维码 (the code is too long for a QR code)")?;
    let width = qr.width();
    let colors = qr.to_colors();
    const MARGIN: usize = 2;
    let full = width + 2 * MARGIN;
    // Outside the symbol is the light margin.
    let light = |x: usize, y: usize| {
        if x < MARGIN || y < MARGIN || x >= width + MARGIN || y >= width + MARGIN {
            return true;
        }
        colors[(y - MARGIN) * width + (x - MARGIN)] == Color::Light
    };
    let mut out = String::new();
    for y in (0..full).step_by(2) {
        for x in 0..full {
            let top = light(x, y);
            let bottom = y + 1 >= full || light(x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    Ok(out)
}

pub fn decode(text: &str) -> Result<Code> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let bytes = BASE32_NOPAD.decode(clean.as_bytes()).context("邀请码无效 (not an invitation code)")?;
    // Expiry is the inviter's to judge, by its own clock, when the secret is
    // presented (`consume`): a joining laptop whose clock is wrong must not
    // refuse a code that is still open.
    parse(&bytes).context("邀请码无效 (not an invitation code)")
}

/// Whether any invitation is still open at `now` (clock seconds): the
/// handshake then admits strangers.
pub fn pending(dir: &Path, now: i64) -> bool {
    load(dir).map(|l| l.iter().any(|i| i.expires > now)).unwrap_or(false)
}

/// Takes an invitation open at `now` (clock seconds) by its secret,
/// returning its grants. Call it
/// inside `Peers::update` (which holds the lock), so that a secret is used
/// once even by two joins at the same instant, together with adding the peer.
pub fn consume(dir: &Path, secret: &str, now: i64) -> Result<Option<BTreeMap<String, Grant>>> {
    let mut list = load(dir)?;
    let Some(at) = list.iter().position(|i| i.secret == secret && i.expires > now) else { return Ok(None) };
    let taken = list.remove(at);
    save(dir, &list)?;
    Ok(Some(taken.grants))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 09:00 on 1 March 2031 in clock seconds: years from the machine's date.
    const NOW: i64 = 1_930_122_000;

    #[test]
    fn codes_round_trip_and_secrets_are_single_use() {
        let dir = tempfile::TempDir::new().unwrap();
        let grants: BTreeMap<String, Grant> = [("*".to_string(), Grant::Write)].into();
        let code = create(dir.path(), NodeId([3; 32]), "10.0.0.2:4433", grants.clone(), 24, NOW).unwrap();
        let parsed = decode(&code.to_lowercase()).unwrap();
        assert_eq!(parsed.addr, "10.0.0.2:4433");
        assert!(pending(dir.path(), NOW));
        assert_eq!(consume(dir.path(), &parsed.secret, NOW).unwrap(), Some(grants));
        assert_eq!(consume(dir.path(), &parsed.secret, NOW).unwrap(), None, "single use");
        assert!(!pending(dir.path(), NOW));
        assert!(decode("not a code").is_err());
    }

    /// A field laptop whose clock runs a day ahead reads a code that is
    /// still open as expired; only the inviter's clock decides.
    #[test]
    fn expiry_is_the_inviters_to_judge_not_the_joining_laptops() {
        let dir = tempfile::TempDir::new().unwrap();
        let code = create(dir.path(), NodeId([4; 32]), "10.0.0.2:4433", BTreeMap::new(), 1, NOW).unwrap();
        let mut parsed = decode(&code).unwrap();
        parsed.expires = NOW - 86_400;
        assert_eq!(decode(&encode(&parsed)).unwrap(), parsed, "read despite the joiner's clock");
        // The inviter refuses a secret whose invitation it holds as expired.
        let mut list = load(dir.path()).unwrap();
        list[0].expires = NOW - 1;
        assert_eq!(list[0].short, None);
        save(dir.path(), &list).unwrap();
        assert_eq!(consume(dir.path(), &parsed.secret, NOW).unwrap(), None);
        assert!(!pending(dir.path(), NOW));
    }

    /// Made at NOW for 24 hours: open 23 hours on, gone 25 hours on, by
    /// the `now` given alone (the machine's date is years before).
    #[test]
    fn an_invitation_is_open_and_taken_by_the_clock_given() {
        let dir = tempfile::TempDir::new().unwrap();
        let make = || create(dir.path(), NodeId([5; 32]), "10.0.0.2:4433", BTreeMap::new(), 24, NOW).unwrap();
        let (early, late) = (decode(&make()).unwrap(), decode(&make()).unwrap());
        assert_eq!(late.expires, NOW + 24 * 3600, "carried in the code as the inviter's clock made it");
        assert!(pending(dir.path(), NOW + 23 * 3600) && !pending(dir.path(), NOW + 25 * 3600));
        assert_eq!(consume(dir.path(), &late.secret, NOW + 25 * 3600).unwrap(), None);
        assert_eq!(consume(dir.path(), &early.secret, NOW + 23 * 3600).unwrap(), Some(BTreeMap::new()));
        // A new invitation at NOW + 25 h prunes the one gone by then.
        make_at(dir.path(), NOW + 25 * 3600);
        assert_eq!(load(dir.path()).unwrap().len(), 1);
    }

    fn make_at(dir: &Path, now: i64) {
        create(dir, NodeId([6; 32]), "10.0.0.2:4433", BTreeMap::new(), 24, now).unwrap();
    }

    #[test]
    fn the_code_is_short_reads_the_first_format_and_fits_a_terminal_as_a_qr_code() {
        let dir = tempfile::TempDir::new().unwrap();
        let code = create(dir.path(), NodeId([7; 32]), "192.168.100.200:4433", BTreeMap::new(), 24, NOW).unwrap();
        assert!(code.len() <= 120, "{} characters", code.len());
        assert!(code.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)), "QR alphanumeric: {code}");
        let parsed = decode(&code).unwrap();
        assert_eq!((parsed.node, parsed.addr.as_str()), (NodeId([7; 32]), "192.168.100.200:4433"));
        // A code of the first format, as one handed out before this version.
        let old =
            Code { node: NodeId([9; 32]), addr: "10.0.0.2:4433".into(), secret: "ab".repeat(16), expires: NOW + 60 };
        let old_text = BASE32_NOPAD.encode(&serde_json::to_vec(&old).unwrap());
        assert_eq!(decode(&old_text).unwrap(), old);
        // A code cut short (read aloud wrong, pasted in part) is refused, not misread.
        assert!(decode(&code[..60]).is_err());
        let qr = qr_text(&code).unwrap();
        let rows: Vec<&str> = qr.lines().collect();
        assert!(rows.len() <= 22, "{} rows", rows.len());
        assert!(rows.iter().all(|r| r.chars().count() <= 45 && r.chars().count() == rows[0].chars().count()));
        assert!(rows[0].chars().all(|c| c == '█'), "a light margin on top");
    }
}
