//! One-time invitations: `hubsync invite` prints a code (node id, address,
//! secret, expiry); `hubsync join CODE` on another laptop connects with it.
//! While an invitation is pending the handshake admits unknown nodes, but a
//! session shares nothing until the node presents a valid secret; the secret
//! is then consumed and the node becomes a peer with the invitation's grants.

use super::identity::NodeId;
use super::trust::Grant;
use anyhow::{bail, Context, Result};
use data_encoding::BASE32_NOPAD;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Invitation {
    pub secret: String,
    /// Unix seconds.
    pub expires: i64,
    pub grants: BTreeMap<String, Grant>,
}

/// What the code carries to the joining laptop.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Code {
    pub node: NodeId,
    pub addr: String,
    pub secret: String,
    pub expires: i64,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
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

/// Creates an invitation and returns the code to give the other laptop.
pub fn create(dir: &Path, node: NodeId, addr: &str, grants: BTreeMap<String, Grant>, hours: i64) -> Result<String> {
    let secret = hex::encode(rand::random::<[u8; 16]>());
    let expires = now() + hours.max(1) * 3600;
    // Under the peer-list lock: a join consuming an invitation at the same
    // moment must not be undone by this rewrite.
    super::trust::with_lock(dir, || {
        let mut list: Vec<Invitation> = load(dir)?.into_iter().filter(|i| i.expires > now()).collect();
        list.push(Invitation { secret: secret.clone(), expires, grants });
        save(dir, &list)
    })?;
    let code = Code { node, addr: addr.to_string(), secret, expires };
    Ok(BASE32_NOPAD.encode(&serde_json::to_vec(&code)?))
}

pub fn decode(text: &str) -> Result<Code> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let bytes = BASE32_NOPAD.decode(clean.as_bytes()).context("邀请码无效 (not an invitation code)")?;
    let code: Code = serde_json::from_slice(&bytes).context("邀请码无效 (not an invitation code)")?;
    if code.expires < now() {
        bail!("邀请码已过期 (the invitation has expired; ask for a new one)");
    }
    Ok(code)
}

/// Whether any invitation is still open (the handshake then admits strangers).
pub fn pending(dir: &Path) -> bool {
    load(dir).map(|l| l.iter().any(|i| i.expires > now())).unwrap_or(false)
}

/// Takes an open invitation by its secret, returning its grants. Call it
/// inside `Peers::update` (which holds the lock), so that a secret is used
/// once even by two joins at the same instant, together with adding the peer.
pub fn consume(dir: &Path, secret: &str) -> Result<Option<BTreeMap<String, Grant>>> {
    let mut list = load(dir)?;
    let Some(at) = list.iter().position(|i| i.secret == secret && i.expires > now()) else { return Ok(None) };
    let taken = list.remove(at);
    save(dir, &list)?;
    Ok(Some(taken.grants))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_secrets_are_single_use() {
        let dir = tempfile::TempDir::new().unwrap();
        let grants: BTreeMap<String, Grant> = [("*".to_string(), Grant::Write)].into();
        let code = create(dir.path(), NodeId([3; 32]), "10.0.0.2:4433", grants.clone(), 24).unwrap();
        let parsed = decode(&code.to_lowercase()).unwrap();
        assert_eq!(parsed.addr, "10.0.0.2:4433");
        assert!(pending(dir.path()));
        assert_eq!(consume(dir.path(), &parsed.secret).unwrap(), Some(grants));
        assert_eq!(consume(dir.path(), &parsed.secret).unwrap(), None, "single use");
        assert!(!pending(dir.path()));
        assert!(decode("not a code").is_err());
    }
}
