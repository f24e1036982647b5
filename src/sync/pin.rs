//! Which federation a peer owns. A peer says what its home federation is
//! (`Intro.home`, `Offers.home`), and the owner of a federation may write
//! its documents, so a claim is believed only once: the first claim is
//! pinned in the peer's record (trust on first use) and later claims must
//! match it. See docs/SYNC.md ("Home federations").

use super::identity::NodeId;
use super::trust::Peers;
use crate::domain::RecordId;
use crate::store::DocId;
use anyhow::Result;
use std::path::Path;

/// The federation `node` may own here, given what it claims now and our own
/// home. No owner rights for: no claim, a claim of our own federation (ours
/// are governed by grants), a claim other than the pinned one, or a claim of
/// a federation pinned to another peer. An unpinned peer's first acceptable
/// claim is pinned.
pub fn resolve(dir: &Path, node: &NodeId, claimed: Option<&str>, ours: Option<&RecordId>) -> Result<Option<RecordId>> {
    if claimed.is_none() {
        return Ok(None);
    }
    Peers::update(dir, |peers| Ok(decide(peers, node, claimed, ours)))
}

/// The same, with the peer list as it stands after (read once for the
/// session's view and offers).
pub fn resolve_listed(
    dir: &Path,
    node: &NodeId,
    claimed: Option<&str>,
    ours: Option<&RecordId>,
) -> Result<(Option<RecordId>, Peers)> {
    if claimed.is_none() {
        return Ok((None, Peers::load(dir)?));
    }
    Peers::update(dir, |peers| Ok((decide(peers, node, claimed, ours), peers.clone())))
}

/// The same rule on a peer list the caller already holds under its lock
/// (the accepting side admits and pins in one update).
pub fn decide(peers: &mut Peers, node: &NodeId, claimed: Option<&str>, ours: Option<&RecordId>) -> Option<RecordId> {
    let claim = claimed?;
    let peer = peers.get(node)?;
    let name = peer.name.clone();
    if DocId::parse(&format!("{claim}/people")).is_err() {
        tracing::warn!(peer = %name, claimed = %claim, "peer claims a malformed home federation; no owner rights");
        return None;
    }
    if ours.is_some_and(|h| h.0 == claim) {
        // A device of our own federation (a field laptop) is pinned to
        // it when it joins; anyone else claiming it is worth a warning.
        if peer.home.as_deref() != Some(claim) {
            tracing::warn!(peer = %name, claimed = %claim, "peer claims our own federation as its home; no owner rights");
        }
        return None;
    }
    match peer.home.as_deref() {
        Some(pinned) if pinned == claim => Some(RecordId(claim.to_string())),
        Some(pinned) => {
            tracing::warn!(peer = %name, claimed = %claim, %pinned, "peer claims a home other than its pinned one; no owner rights");
            None
        }
        None => {
            if let Some(owner) = peers.holder_of(claim, node) {
                tracing::warn!(peer = %name, claimed = %claim, %owner, "peer claims a home pinned to another peer; no owner rights");
                return None;
            }
            if let Some(p) = peers.peers.iter_mut().find(|p| p.node_id == *node) {
                p.home = Some(claim.to_string());
            }
            tracing::info!(peer = %name, home = %claim, "pinned the peer's home federation");
            Some(RecordId(claim.to_string()))
        }
    }
}

/// Pins `home` for `node` outright (a joining laptop pins its inviter's).
pub fn pin(dir: &Path, node: &NodeId, home: Option<&str>) -> Result<()> {
    Peers::update(dir, |peers| {
        if let Some(p) = peers.peers.iter_mut().find(|p| p.node_id == *node) {
            if p.home.is_none() {
                p.home = home.map(str::to_string);
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_claim_is_pinned_and_others_earn_nothing() {
        let dir = tempfile::TempDir::new().unwrap();
        let (a, b) = (NodeId([1; 32]), NodeId([2; 32]));
        Peers::update(dir.path(), |p| {
            p.add(a, "A", None)?;
            p.add(b, "B", None)
        })
        .unwrap();
        let ours = RecordId("ours".into());
        let home = |n: &NodeId, c: &str| resolve(dir.path(), n, Some(c), Some(&ours)).unwrap();
        assert_eq!(home(&a, "fedA"), Some(RecordId("fedA".into())), "first claim pinned");
        assert_eq!(home(&a, "fedA"), Some(RecordId("fedA".into())), "same claim again");
        assert_eq!(home(&a, "fedC"), None, "a different claim");
        assert_eq!(home(&b, "fedA"), None, "pinned to another peer");
        assert_eq!(home(&b, "ours"), None, "our own federation");
        assert_eq!(home(&b, "../x"), None, "malformed");
        assert_eq!(resolve(dir.path(), &b, None, Some(&ours)).unwrap(), None);
        let peers = Peers::load(dir.path()).unwrap();
        assert_eq!(peers.get(&a).unwrap().home.as_deref(), Some("fedA"));
        assert_eq!(peers.get(&b).unwrap().home, None, "refused claims pin nothing");
        assert_eq!(home(&b, "fedB"), Some(RecordId("fedB".into())));
    }

    #[test]
    fn a_removed_peers_home_stays_reserved_unless_released() {
        let dir = tempfile::TempDir::new().unwrap();
        let (a, b, c) = (NodeId([1; 32]), NodeId([2; 32]), NodeId([3; 32]));
        Peers::update(dir.path(), |p| {
            p.add(a, "A", None)?;
            p.add(b, "B", None)?;
            p.add(c, "C", None)
        })
        .unwrap();
        let home = |n: &NodeId, claim: &str| resolve(dir.path(), n, Some(claim), None).unwrap();
        assert!(home(&a, "fedA").is_some());
        assert!(home(&c, "fedC").is_some());
        Peers::update(dir.path(), |p| p.remove("A").map(|_| ())).unwrap();
        assert_eq!(home(&b, "fedA"), None, "reserved after removal");
        Peers::update(dir.path(), |p| p.add(a, "A", None)).unwrap();
        assert_eq!(Peers::load(dir.path()).unwrap().find("A").unwrap().home.as_deref(), Some("fedA"), "pin restored");
        Peers::update(dir.path(), |p| p.remove_releasing_home("C").map(|_| ())).unwrap();
        assert_eq!(home(&b, "fedC"), Some(RecordId("fedC".into())), "released on purpose");
    }
}
