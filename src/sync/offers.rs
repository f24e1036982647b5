//! Offers as deltas. Each side remembers, per peer, the offers it last sent
//! and last received. A session sends only what changed since the copy the
//! other side proves (by hash) that it holds; otherwise the whole list. A
//! lost or stale memory only costs one full exchange, never a missed sync.
//!
//! The memory is kept in the store (a hint: `Store::put_hint`, in a compact
//! form of its own) and, for a running node, in memory too (`Memories`),
//! each map with its hash: a session no longer parses ~80 KB of JSON and
//! hashes two maps of every document to learn what it wrote itself the
//! session before. The maps share their strings (`Arc<str>`): a map of 804
//! documents is copied whenever one entry of it changes, and copying or
//! dropping 1,600 strings cost ~0.4 ms a time on the benchmark's machine.

use super::identity::NodeId;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// Document id (or `~authors/<fed>`) -> digest of its heads (of the list).
pub type OfferMap = BTreeMap<Arc<str>, Arc<str>>;

/// The same as it travels (`Delta`) and as the memory was stored before.
pub type WireMap = BTreeMap<String, String>;

/// The memory as stored in JSON before (still read).
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Remembered {
    pub sent: WireMap,
    pub received: WireMap,
}

fn from_wire(map: WireMap) -> OfferMap {
    map.into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

/// An offer map with its hash (`map_hash`), computed once, when first asked
/// for: a session makes the next memory, the next session needs its hash.
#[derive(Debug, Clone)]
pub struct Hashed {
    map: Arc<OfferMap>,
    hash: OnceLock<String>,
}

impl PartialEq for Hashed {
    fn eq(&self, other: &Hashed) -> bool {
        self.map == other.map
    }
}

impl Hashed {
    pub fn new(map: Arc<OfferMap>) -> Hashed {
        Hashed { map, hash: OnceLock::new() }
    }

    pub fn map(&self) -> &Arc<OfferMap> {
        &self.map
    }

    pub fn hash(&self) -> &str {
        self.hash.get_or_init(|| map_hash(&self.map))
    }

    /// Whether this is `map`: the same allocation, or equal entries.
    pub fn is(&self, map: &Arc<OfferMap>) -> bool {
        Arc::ptr_eq(&self.map, map) || *self.map == **map
    }
}

impl Default for Hashed {
    fn default() -> Hashed {
        Hashed::new(Arc::default())
    }
}

/// What we remember of a peer, in memory: what we last sent it and what it
/// last sent us.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    pub sent: Hashed,
    pub received: Hashed,
}

impl Memory {
    /// The stored form: a tag byte, then each map as a count and its
    /// entries, each string as its length and bytes (little-endian u32s).
    fn encode(&self) -> Vec<u8> {
        let mut out = vec![STORED];
        for map in [self.sent.map(), self.received.map()] {
            out.extend_from_slice(&(map.len() as u32).to_le_bytes());
            for (k, v) in map.iter() {
                for text in [k, v] {
                    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
                    out.extend_from_slice(text.as_bytes());
                }
            }
        }
        out
    }

    /// That form, or the JSON of `Remembered` written before; None if unreadable.
    fn decode(bytes: &[u8]) -> Option<Memory> {
        let Some((&STORED, mut rest)) = bytes.split_first() else {
            let r: Remembered = serde_json::from_slice(bytes).ok()?;
            let map = |m: WireMap| Hashed::new(Arc::new(from_wire(m)));
            return Some(Memory { sent: map(r.sent), received: map(r.received) });
        };
        let mut maps = Vec::new();
        for _ in 0..2 {
            let count = take_u32(&mut rest)?;
            let mut map = OfferMap::new();
            for _ in 0..count {
                let k = take_str(&mut rest)?;
                map.insert(k, take_str(&mut rest)?);
            }
            maps.push(Hashed::new(Arc::new(map)));
        }
        if !rest.is_empty() {
            return None;
        }
        let received = maps.pop()?;
        Some(Memory { sent: maps.pop()?, received })
    }
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, tail) = (rest.get(..n)?, rest.get(n..)?);
    *rest = tail;
    Some(head)
}

fn take_u32(rest: &mut &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(take(rest, 4)?.try_into().ok()?))
}

fn take_str(rest: &mut &[u8]) -> Option<Arc<str>> {
    let len = take_u32(rest)? as usize;
    Some(std::str::from_utf8(take(rest, len)?).ok()?.into())
}

/// First byte of the stored memory (JSON, written before, begins with `{`).
const STORED: u8 = 1;

/// Each peer's memory as last loaded or saved by this node's sessions. Read
/// and written only inside store jobs, so it follows the order of the
/// store's queue, as the stored copy does.
#[derive(Default)]
pub struct Memories(Mutex<HashMap<NodeId, Memory>>);

impl Memories {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<NodeId, Memory>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets peers no longer in the list (a hub's laptops come and go;
    /// each memory holds two ~800-entry maps). Their copies on disk stay.
    pub fn keep_listed(&self, peers: &super::trust::Peers) {
        self.lock().retain(|n, _| peers.get(n).is_some());
    }
}

/// Delta against `base`: the hash of the base and what changed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Delta {
    pub base: Option<String>,
    pub set: WireMap,
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
/// From `memories` when a session of this node loaded or saved it before.
pub fn load(store: &crate::store::Store, node: &NodeId, memories: &Memories) -> Memory {
    if let Some(m) = memories.lock().get(node) {
        return m.clone();
    }
    let memory = store.get_meta(&key(node)).and_then(|b| Memory::decode(&b)).unwrap_or_default();
    memories.lock().insert(*node, memory.clone());
    memory
}

/// Kept in the store (one sled write, durable at sled's next flush; lost, it
/// costs one full exchange) and in `memories`.
pub fn save(store: &mut crate::store::Store, node: &NodeId, memory: &Memory, memories: &Memories) -> Result<()> {
    // The hashes are computed here, after the session, not in the next one.
    let _ = (memory.sent.hash(), memory.received.hash());
    store.put_hint(&key(node), &memory.encode())?;
    memories.lock().insert(*node, memory.clone());
    Ok(())
}

/// The delta from `base` to `current` when the receiver holds `base`
/// (`receiver_holds` is the hash it reported), else the whole list.
pub fn encode(current: &Arc<OfferMap>, base: &Hashed, receiver_holds: Option<&str>) -> Delta {
    if receiver_holds != Some(base.hash()) {
        let set = current.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        return Delta { base: None, set, removed: Vec::new() };
    }
    let (mut set, mut removed) = (WireMap::new(), Vec::new());
    if !Arc::ptr_eq(current, base.map()) {
        diff(current, base.map(), |k, ours, _| match ours {
            Some(v) => {
                set.insert(k.to_string(), v.to_string());
            }
            None => removed.push(k.to_string()),
        });
    }
    Delta { base: Some(base.hash().to_string()), set, removed }
}

/// Calls `f(key, in a, in b)` for every key whose value differs between two
/// maps (missing from one counts), in key order: one walk of both.
pub fn diff(a: &OfferMap, b: &OfferMap, mut f: impl FnMut(&Arc<str>, Option<&Arc<str>>, Option<&Arc<str>>)) {
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => return,
            (Some((k, v)), None) => {
                f(k, Some(v), None);
                a.next();
            }
            (None, Some((k, v))) => {
                f(k, None, Some(v));
                b.next();
            }
            (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
                std::cmp::Ordering::Less => {
                    f(ka, Some(va), None);
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    f(kb, None, Some(vb));
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    if va != vb {
                        f(ka, Some(va), Some(vb));
                    }
                    a.next();
                    b.next();
                }
            },
        }
    }
}

/// The full offers a delta describes, given the copy we hold: that copy
/// itself when the delta changes nothing in it.
pub fn apply(delta: Delta, held: &Hashed) -> Result<Arc<OfferMap>> {
    let mut out = match &delta.base {
        Some(h) if h == held.hash() => {
            if delta.set.is_empty() && delta.removed.is_empty() {
                return Ok(held.map().clone());
            }
            (**held.map()).clone()
        }
        Some(_) => bail!("offers delta against a base we do not hold"),
        None => OfferMap::new(),
    };
    for k in delta.removed {
        out.remove(k.as_str());
    }
    out.extend(from_wire(delta.set));
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> Arc<OfferMap> {
        Arc::new(pairs.iter().map(|(k, v)| (Arc::from(*k), Arc::from(*v))).collect())
    }

    fn wire(map: &OfferMap) -> WireMap {
        map.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn deltas_carry_only_changes_and_fall_back_to_full() {
        let base = Hashed::new(m(&[("a", "1"), ("b", "2"), ("c", "3")]));
        let now = m(&[("a", "1"), ("b", "9"), ("d", "4")]);
        let d = encode(&now, &base, Some(base.hash()));
        assert_eq!(d.set, wire(&m(&[("b", "9"), ("d", "4")])));
        assert_eq!(d.removed, vec!["c".to_string()]);
        assert_eq!(apply(d.clone(), &base).unwrap(), now);
        assert!(apply(d, &Hashed::default()).is_err(), "a delta needs its base");
        let full = encode(&now, &base, Some("stale"));
        assert_eq!(full.base, None);
        assert_eq!(apply(full, &Hashed::new(m(&[("x", "y")]))).unwrap(), now);
        let held = Hashed::new(now.clone());
        let unchanged = encode(&now, &held, Some(held.hash()));
        assert!(unchanged.set.is_empty() && unchanged.removed.is_empty());
        let equal = Hashed::new(m(&[("a", "1"), ("b", "9"), ("d", "4")]));
        let unchanged = encode(&now, &equal, Some(equal.hash()));
        assert!(unchanged.set.is_empty() && unchanged.removed.is_empty(), "equal maps, not the same one");
        assert!(Arc::ptr_eq(&apply(unchanged, &held).unwrap(), held.map()), "nothing changed: the copy held");
    }

    #[test]
    fn memory_persists_per_peer() {
        let dir = tempfile::TempDir::new().unwrap();
        let node = NodeId([9; 32]);
        let mut store = crate::store::Store::open(dir.path()).unwrap();
        let kept = Memories::default();
        assert_eq!(load(&store, &node, &kept), Memory::default());
        let r = Memory { sent: Hashed::new(m(&[("a", "1")])), received: Hashed::new(m(&[("b", "2")])) };
        save(&mut store, &node, &r, &kept).unwrap();
        assert_eq!(load(&store, &node, &kept), r, "kept in memory");
        store.flush().unwrap();
        drop(store);
        let reopened = crate::store::Store::open(dir.path()).unwrap();
        assert_eq!(load(&reopened, &node, &Memories::default()), r, "and on disk");
    }

    #[test]
    fn memories_of_peers_no_longer_listed_are_forgotten() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut store = crate::store::Store::open(dir.path()).unwrap();
        let (kept, listed, gone) = (Memories::default(), NodeId([1; 32]), NodeId([2; 32]));
        let r = Memory { sent: Hashed::new(m(&[("a", "1")])), received: Hashed::default() };
        save(&mut store, &listed, &r, &kept).unwrap();
        save(&mut store, &gone, &r, &kept).unwrap();
        let peer = |node_id| super::super::trust::Peer {
            node_id,
            name: "R".into(),
            addr: None,
            grants: Default::default(),
            last_sync: None,
            last_error: None,
            last_failure: None,
            home: None,
        };
        kept.keep_listed(&super::super::trust::Peers { peers: vec![peer(listed)], retired: Vec::new() });
        assert_eq!(kept.lock().keys().collect::<Vec<_>>(), vec![&listed]);
        assert_eq!(load(&store, &gone, &kept), r, "still on disk");
    }

    #[test]
    fn the_stored_memory_reads_back_in_either_form_and_a_damaged_one_as_none() {
        let r = Memory { sent: Hashed::new(m(&[("a/b", "1"), ("c", "")])), received: Hashed::new(m(&[("甲", "2")])) };
        let bytes = r.encode();
        assert_eq!(Memory::decode(&bytes), Some(r.clone()));
        let json = serde_json::to_vec(&Remembered { sent: wire(r.sent.map()), received: wire(r.received.map()) });
        assert_eq!(Memory::decode(&json.unwrap()), Some(r), "written before");
        assert_eq!(Memory::decode(&bytes[..bytes.len() - 1]), None, "cut short");
        assert_eq!(Memory::decode(&[bytes.clone(), vec![0]].concat()), None, "trailing bytes");
        assert_eq!(Memory::decode(b""), None);
    }
}
