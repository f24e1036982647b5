//! Offers as deltas. Each side remembers, per peer, the offers it last sent
//! and last received. A session sends only what changed since the copy the
//! other side proves (by hash) that it holds; otherwise the whole list. A
//! lost or stale memory only costs one full exchange, never a missed sync.

use super::identity::NodeId;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Document id -> digest of its heads.
pub type OfferMap = BTreeMap<String, String>;

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Remembered {
    pub sent: OfferMap,
    pub received: OfferMap,
}

/// Offers relative to a base the receiver holds (`base` = its hash), or whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Delta {
    pub base: Option<String>,
    pub set: OfferMap,
    pub removed: Vec<String>,
}

pub fn map_hash(map: &OfferMap) -> String {
    let mut h = Sha256::new();
    for (k, v) in map {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.as_bytes());
        h.update([1]);
    }
    hex::encode(&h.finalize()[..12])
}

fn key(node: &NodeId) -> String {
    format!("offers:{}", hex::encode(node.0))
}

/// What we remember of a peer; nothing (a full exchange) if unreadable.
pub fn load(store: &crate::store::Store, node: &NodeId) -> Remembered {
    store.get_meta(&key(node)).and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

/// Kept in the store (one sled write, durable at sled's next flush; lost, it costs one full exchange).
pub fn save(store: &mut crate::store::Store, node: &NodeId, r: &Remembered) -> Result<()> {
    store.put_meta(&key(node), &serde_json::to_vec(r)?)?;
    Ok(())
}

/// The delta from `base` to `current` when the receiver holds `base`
/// (`receiver_holds` is the hash it reported), else the whole list.
pub fn encode(current: &OfferMap, base: &OfferMap, receiver_holds: Option<&str>) -> Delta {
    let base_hash = map_hash(base);
    if receiver_holds != Some(base_hash.as_str()) {
        return Delta { base: None, set: current.clone(), removed: Vec::new() };
    }
    let set = current.iter().filter(|(k, v)| base.get(*k) != Some(v)).map(|(k, v)| (k.clone(), v.clone())).collect();
    let removed = base.keys().filter(|k| !current.contains_key(*k)).cloned().collect();
    Delta { base: Some(base_hash), set, removed }
}

/// The full offers a delta describes, given the copy we hold.
pub fn apply(delta: Delta, held: &OfferMap) -> Result<OfferMap> {
    let mut out = match &delta.base {
        Some(h) if *h == map_hash(held) => held.clone(),
        Some(_) => bail!("offers delta against a base we do not hold"),
        None => OfferMap::new(),
    };
    for k in delta.removed {
        out.remove(&k);
    }
    out.extend(delta.set);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> OfferMap {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn deltas_carry_only_changes_and_fall_back_to_full() {
        let base = m(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let now = m(&[("a", "1"), ("b", "9"), ("d", "4")]);
        let d = encode(&now, &base, Some(&map_hash(&base)));
        assert_eq!(d.set, m(&[("b", "9"), ("d", "4")]));
        assert_eq!(d.removed, vec!["c".to_string()]);
        assert_eq!(apply(d.clone(), &base).unwrap(), now);
        assert!(apply(d, &m(&[])).is_err(), "a delta needs its base");
        let full = encode(&now, &base, Some("stale"));
        assert_eq!(full.base, None);
        assert_eq!(apply(full, &m(&[("x", "y")])).unwrap(), now);
        let unchanged = encode(&now, &now, Some(&map_hash(&now)));
        assert!(unchanged.set.is_empty() && unchanged.removed.is_empty());
    }

    #[test]
    fn memory_persists_per_peer() {
        let dir = tempfile::TempDir::new().unwrap();
        let node = NodeId([9; 32]);
        let mut store = crate::store::Store::open(dir.path()).unwrap();
        assert_eq!(load(&store, &node), Remembered::default());
        let r = Remembered { sent: m(&[("a", "1")]), received: m(&[("b", "2")]) };
        save(&mut store, &node, &r).unwrap();
        store.flush().unwrap();
        drop(store);
        assert_eq!(load(&crate::store::Store::open(dir.path()).unwrap(), &node), r);
    }
}
