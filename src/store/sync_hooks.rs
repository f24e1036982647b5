//! The store's side of the Automerge sync protocol. Sync state is kept per
//! peer per document and persisted, so a reconnect resumes from the heads
//! both sides already share instead of resending documents.
//!
//! A state is written whenever a message changes it, but not fsynced: it is
//! a hint. Received changes are fsynced when applied, before any state that
//! claims them is written, so a state lost in a crash costs one fuller
//! exchange, never a change. (An fsync at the end of every session cost
//! ~0.5 ms of each incremental sync; docs/PERFORMANCE.md.)

use super::{DocId, Result, Store, StoreError};
use automerge::sync::{Message, State, SyncDoc};
use automerge::AutoCommit;
use automerge::{ActorId, ChangeHash};
use std::collections::HashMap;

/// Decides whether one received change may enter a document, given its
/// hash, its actor and the signature record that came with it (or was
/// already stored): `Err(reason)` refuses the whole message
/// (sync::authorship builds the real one).
pub type Gate<'a> = &'a dyn Fn(&ChangeHash, &ActorId, Option<&[u8]>) -> std::result::Result<(), String>;

/// A message for a peer with the signature records of the changes it carries.
pub struct Outgoing {
    pub bytes: Vec<u8>,
    pub changes: usize,
    pub signatures: Vec<(ChangeHash, Vec<u8>)>,
}

/// What one received message did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReceipt {
    /// Changes carried by the message.
    pub changes: usize,
    /// Whether the document's heads moved.
    pub changed: bool,
}

fn state_key(peer: &str, doc: &DocId) -> Vec<u8> {
    let mut k = peer.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(doc.as_str().as_bytes());
    k
}

impl Store {
    fn sync_state(&mut self, peer: &str, doc: &DocId) -> &mut State {
        let key = (peer.to_string(), doc.clone());
        if !self.sync_states.contains_key(&key) {
            let state = self
                .disk
                .sync
                .get(state_key(peer, doc))
                .ok()
                .flatten()
                .and_then(|bytes| State::decode(&bytes).ok())
                .unwrap_or_default();
            self.sync_states.insert(key.clone(), state);
        }
        self.sync_states.get_mut(&key).expect("inserted above")
    }

    fn save_sync_state(&mut self, peer: &str, doc: &DocId) -> Result<()> {
        if let Some(state) = self.sync_states.get(&(peer.to_string(), doc.clone())) {
            self.disk.sync.insert(state_key(peer, doc), state.encode())?;
        }
        Ok(())
    }

    /// The next message for `peer` about `doc`, or None when it has all we have.
    pub fn sync_generate(&mut self, peer: &str, doc: &DocId) -> Result<Option<Vec<u8>>> {
        Ok(self.sync_generate_counted(peer, doc, false)?.map(|(bytes, _)| bytes))
    }

    /// The same, with the number of changes the message carries (a sync
    /// summary's "changes out"), counted before encoding. `withhold`: the
    /// message carries heads and requests but no changes (a document the
    /// peer relays to us and we do not share with it).
    pub fn sync_generate_counted(
        &mut self,
        peer: &str,
        doc: &DocId,
        withhold: bool,
    ) -> Result<Option<(Vec<u8>, usize)>> {
        Ok(self.sync_generate_signed(peer, doc, withhold)?.map(|o| (o.bytes, o.changes)))
    }

    /// The same, with the signature records of the changes the message
    /// carries (the hashes the sync state newly counts as sent).
    pub fn sync_generate_signed(&mut self, peer: &str, doc: &DocId, withhold: bool) -> Result<Option<Outgoing>> {
        if let Some(detail) = self.damaged.get(doc) {
            return Err(StoreError::Damaged { doc: doc.clone(), detail: detail.clone() });
        }
        let mut state = std::mem::take(self.sync_state(peer, doc));
        let before = (!state.sent_hashes.is_empty()).then(|| state.sent_hashes.clone());
        // A document we do not hold is answered from an empty one, which is
        // not kept: a peer's asking never creates a document (it would be
        // held, and offered to every peer).
        let mut absent = AutoCommit::new();
        let target = self.docs.get_mut(doc).map_or(&mut absent, |d| &mut d.doc);
        let mut msg = target.sync().generate_sync_message(&mut state);
        let mut signatures = Vec::new();
        match msg.as_mut() {
            Some(m) if withhold => {
                // Automerge counted the withheld changes as sent: a state
                // that believes so must not be resumed (`end_sync`).
                if !m.changes.is_empty() {
                    self.sync_open.entry((peer.to_string(), doc.clone())).or_default().resumable = false;
                }
                m.changes = automerge::sync::ChunkList::empty()
            }
            Some(m) if !m.changes.is_empty() => {
                for hash in &state.sent_hashes {
                    if before.as_ref().is_some_and(|b| b.contains(hash)) {
                        continue;
                    }
                    if let Some(record) = self.signature(hash) {
                        signatures.push((*hash, record));
                    }
                }
            }
            _ => {}
        }
        *self.sync_state(peer, doc) = state;
        let out = msg.map(|m| {
            let changes = m.changes.len();
            Outgoing { bytes: m.encode(), changes, signatures }
        });
        if !withhold {
            return Ok(out);
        }
        // Automerge answers every message while the heads differ, and they
        // always will when we hold changes we may not send: a withheld
        // message the same as the last one tells the peer nothing new, and
        // repeating it would keep the exchange from ever going quiet.
        let key = (peer.to_string(), doc.clone());
        Ok(match out {
            Some(o) if self.last_withheld.get(&key) == Some(&o.bytes) => None,
            Some(o) => {
                self.last_withheld.insert(key, o.bytes.clone());
                Some(o)
            }
            None => None,
        })
    }

    /// The signature record stored with a change, if any.
    pub fn signature(&self, hash: &ChangeHash) -> Option<Vec<u8>> {
        self.disk.sigs.get(hash.0).ok().flatten().map(|v| v.to_vec())
    }

    /// Applies a message from `peer`. A peer without write access may only
    /// send heads and requests: a message carrying changes is refused whole.
    /// (No authorship check: sessions use `sync_receive_checked`.)
    pub fn sync_receive(&mut self, peer: &str, doc: &DocId, bytes: &[u8], may_write: bool) -> Result<SyncReceipt> {
        if !may_write {
            let msg = Message::decode(bytes).map_err(|e| StoreError::BadSyncMessage {
                peer: peer.to_string(),
                doc: doc.clone(),
                detail: e.to_string(),
            })?;
            if !msg.changes.is_empty() {
                return Err(StoreError::ReadOnlyPeer { peer: peer.to_string(), doc: doc.clone() });
            }
        }
        self.sync_receive_checked(peer, doc, bytes, &HashMap::new(), &|_, _, _| Ok(()))
    }

    /// Applies a message from `peer` whose every new change `gate` admits,
    /// with the signature records that came with it; otherwise nothing of
    /// it stays (the document is reloaded from disk) and the error names
    /// the peer, the document, the change and the reason.
    pub fn sync_receive_checked(
        &mut self,
        peer: &str,
        doc: &DocId,
        bytes: &[u8],
        signatures: &HashMap<ChangeHash, Vec<u8>>,
        gate: Gate,
    ) -> Result<SyncReceipt> {
        self.sync_receive_admitted(peer, doc, bytes, signatures, gate, &|_| Ok(()))
    }

    /// The same, and the document as the message leaves it must pass
    /// `admit` (what it says, not only who wrote it) before it is stored.
    pub fn sync_receive_admitted(
        &mut self,
        peer: &str,
        doc: &DocId,
        bytes: &[u8],
        signatures: &HashMap<ChangeHash, Vec<u8>>,
        gate: Gate,
        admit: &dyn Fn(&Store) -> std::result::Result<(), String>,
    ) -> Result<SyncReceipt> {
        let bad = |detail: String| StoreError::BadSyncMessage { peer: peer.to_string(), doc: doc.clone(), detail };
        let msg = Message::decode(bytes).map_err(|e| bad(e.to_string()))?;
        for have in &msg.have {
            check_bloom(&have.bloom.to_bytes()).map_err(bad)?;
        }
        let changes = msg.changes.len();
        let received = raw_changes(&msg);
        for (hash, record) in signatures {
            // Kept until the change arrives (it may wait for its dependencies).
            if self.pending_sigs.len() < 100_000 {
                self.pending_sigs.insert(*hash, record.clone());
            }
        }
        // Only changes we accept create a document; a message without any
        // is received by an empty one that is not kept.
        let mut absent = AutoCommit::new();
        if changes > 0 {
            self.ensure_doc(doc)?;
        } else if let Some(detail) = self.damaged.get(doc) {
            return Err(StoreError::Damaged { doc: doc.clone(), detail: detail.clone() });
        }
        self.applying = Some((peer.to_string(), doc.clone()));
        let mut state = std::mem::take(self.sync_state(peer, doc));
        let target = self.docs.get_mut(doc).map_or(&mut absent, |d| &mut d.doc);
        let before = target.get_heads();
        let result = target.sync().receive_sync_message(&mut state, msg);
        let after = target.get_heads();
        if self.panic_on_receive.as_ref() == Some(doc) {
            self.panic_on_receive = None;
            panic!("injected fault: panic while applying a message to {doc}");
        }
        *self.sync_state(peer, doc) = state;
        self.applying = None;
        if let Err(e) = result {
            // Nothing of a rejected message is persisted; the sync state is
            // reset so the next session starts clean.
            self.reset_sync_state(peer, doc);
            return Err(bad(e.to_string()));
        }
        let changed = before != after;
        // Changes under our own actor: only this process writes under it
        // (a fresh actor per open), so they are forged, and our next change
        // of the same sequence number would stop the document syncing.
        if changed && self.has_changes_of_ours_since(doc, &before) {
            self.reset_sync_state(peer, doc);
            self.reload_doc(doc)?;
            return Err(StoreError::ForgedActor { peer: peer.to_string(), doc: doc.clone() });
        }
        // A newer hubsync's layout would be misread (the check open and
        // `doc import` make): refused before anything is persisted.
        if let Some(version) = self.docs.get(doc).filter(|_| changed).and_then(|d| super::newer_schema(&d.doc)) {
            self.reset_sync_state(peer, doc);
            self.reload_doc(doc)?;
            return Err(StoreError::NewerSchema { peer: peer.to_string(), doc: doc.clone(), version });
        }
        if changed {
            let entry = self.docs.get_mut(doc).expect("ensured above");
            // The gate needs only each new change's hash and actor, which the
            // change graph gives; `get_changes` would rebuild every change
            // from the ops, a walk of the whole document (docs/PERFORMANCE.md).
            let new: Vec<(ChangeHash, ActorId)> =
                entry.doc.get_changes_meta(&before).into_iter().map(|c| (c.hash, c.actor.into_owned())).collect();
            let mut admitted = Vec::new();
            for (hash, actor) in new {
                let record = self.pending_sigs.get(&hash).cloned().or_else(|| self.signature(&hash));
                if let Err(reason) = gate(&hash, &actor, record.as_deref()) {
                    self.reload_doc(doc)?;
                    self.reset_sync_state(peer, doc);
                    return Err(StoreError::Unauthorized {
                        peer: peer.to_string(),
                        doc: doc.clone(),
                        change: hash.to_string(),
                        reason,
                    });
                }
                if let Some(r) = record {
                    admitted.push((hash, r));
                }
            }
            if let Err(reason) = admit(self) {
                self.reload_doc(doc)?;
                self.reset_sync_state(peer, doc);
                return Err(StoreError::NotAdmitted { peer: peer.to_string(), doc: doc.clone(), reason });
            }
            for (hash, record) in admitted {
                self.pending_sigs.remove(&hash);
                self.disk.sigs.insert(hash.0, record.as_slice())?;
                self.unlogged_sigs.push((hash.0, record));
            }
            self.received = received;
            let persisted = self.persist(std::slice::from_ref(doc));
            self.received.clear();
            persisted?;
            // The name index reads this document again at the next check
            // (its version moved): names.rs.
            self.note_arrival(peer, doc, changes)?;
        }
        self.save_sync_state(peer, doc)?;
        Ok(SyncReceipt { changes, changed })
    }

    fn has_changes_of_ours_since(&mut self, doc: &DocId, before: &[automerge::ChangeHash]) -> bool {
        let actor = self.actor.clone();
        self.docs.get_mut(doc).is_some_and(|d| d.doc.get_changes_meta(before).iter().any(|c| *c.actor == actor))
    }

    /// Fault injection for tests: the next message received for `doc`
    /// panics after it changed the document in memory, as a bug in
    /// Automerge met by a hostile message would.
    #[doc(hidden)]
    pub fn inject_panic_on_receive(&mut self, doc: &DocId) {
        self.panic_on_receive = Some(doc.clone());
    }

    /// Starts a new session with `peer` on `doc` from the persisted state: a
    /// new connection must not trust what the last one believed it sent.
    pub fn begin_sync(&mut self, peer: &str, doc: &DocId) {
        let key = (peer.to_string(), doc.clone());
        self.sync_states.remove(&key);
        self.last_withheld.remove(&key);
        let open = self.sync_open.entry(key).or_default();
        open.running += 1;
        // Another exchange of this document still open shares the state: the
        // clean end of either vouches for neither.
        open.resumable = open.running == 1;
    }

    /// Starts the next session with `peer` on `doc` on the connection of the
    /// last one, which ended with both sides quiet and no error on either:
    /// the sync state in memory is kept (both sides kept theirs), so the
    /// first message can already carry what changed since. Only the memory
    /// of withheld messages is per session. A document whose last exchange
    /// did not end clean (an error, or a task cut off part-way), withheld
    /// changes (Automerge counts them as sent), or ran beside another
    /// exchange of the same document begins from the persisted state
    /// instead, as `begin_sync`.
    pub fn continue_sync(&mut self, peer: &str, doc: &DocId) {
        let key = (peer.to_string(), doc.clone());
        if self.sync_open.contains_key(&key) {
            return self.begin_sync(peer, doc);
        }
        self.last_withheld.remove(&key);
        self.sync_open.insert(key, Open { running: 1, resumable: true });
    }

    /// This document's exchange with `peer` ended clean (both sides quiet,
    /// no error): its state may be resumed, unless it withheld changes or
    /// another exchange of the document was open beside it.
    pub fn end_sync(&mut self, peer: &str, doc: &DocId) {
        let key = (peer.to_string(), doc.clone());
        let Some(open) = self.sync_open.get_mut(&key) else { return };
        open.running = open.running.saturating_sub(1);
        if open.running == 0 && open.resumable {
            self.sync_open.remove(&key);
        }
    }

    /// This document's exchange with `peer` ended in an error: what we
    /// believed the peer has is forgotten, and the next session begins from
    /// disk.
    pub fn fail_sync(&mut self, peer: &str, doc: &DocId) {
        self.abandon_sync(peer, doc);
        let _ = self.disk.sync.remove(state_key(peer, doc));
    }

    /// This document's exchange with `peer` was cut off part-way (its task
    /// dropped: a session cut off, or the node stopping): what it believed
    /// in memory is dropped, and the next session begins from the state on
    /// disk, which a cut-off leaves as it was (no error was seen).
    pub fn abandon_sync(&mut self, peer: &str, doc: &DocId) {
        let key = (peer.to_string(), doc.clone());
        self.sync_states.remove(&key);
        self.last_withheld.remove(&key);
        let open = self.sync_open.entry(key).or_default();
        open.running = open.running.saturating_sub(1);
        open.resumable = false;
    }

    /// Forgets what we believed `peer` has of `doc` (after an error).
    pub fn reset_sync_state(&mut self, peer: &str, doc: &DocId) {
        self.sync_states.remove(&(peer.to_string(), doc.clone()));
        self.last_withheld.remove(&(peer.to_string(), doc.clone()));
        let _ = self.disk.sync.remove(state_key(peer, doc));
    }
}

/// The changes of `doc` since `saved`, as `save_after` gives them. When a
/// peer's message brought every one of them (`received`, by hash), its bytes
/// are taken: a change's raw bytes are what its hash is of, so they are the
/// bytes `save_after` would rebuild from the ops, a walk of the whole
/// document in Automerge 0.12 (docs/PERFORMANCE.md). Otherwise `save_after`.
pub(super) fn save_since(
    doc: &mut AutoCommit,
    saved: &[ChangeHash],
    received: &HashMap<ChangeHash, Vec<u8>>,
) -> Vec<u8> {
    if !received.is_empty() {
        // In the change graph's order: dependencies first.
        let new: Vec<ChangeHash> = doc.get_changes_meta(saved).into_iter().map(|c| c.hash).collect();
        if !new.is_empty() && new.iter().all(|h| received.contains_key(h)) {
            return new.iter().flat_map(|h| received[h].iter().copied()).collect();
        }
    }
    doc.save_after(saved)
}

/// The changes a message carries, by hash, with their raw bytes; a chunk
/// that is not one change (a bundle, a whole document) is left out, and
/// `save_since` then falls back to `save_after`.
///
/// A chunk's hash covers its type, length and data but not the 4-byte
/// checksum field in its header, which Automerge's loader checks (and
/// `Change::try_from` does not). A peer can send a good copy of a change and
/// one with a wrong checksum: the good one is applied, and storing the other
/// would lose the change, and every later edit of the document, at the next
/// open (tests/tampered_chunks.rs). So only a chunk whose checksum is its
/// hash's first four bytes is taken, and the first such copy of a hash.
fn raw_changes(msg: &Message) -> HashMap<ChangeHash, Vec<u8>> {
    let mut raw = HashMap::new();
    for chunk in msg.changes.iter() {
        let Ok(change) = automerge::Change::try_from(chunk) else { continue };
        let bytes = change.raw_bytes();
        let hash = change.hash();
        if bytes.len() >= 8 && bytes[4..8] == hash.0[..4] {
            raw.entry(hash).or_insert_with(|| bytes.to_vec());
        }
    }
    raw
}

/// Probes of a bloom filter Automerge itself makes (it uses 7); more only
/// cost time, one allocation and loop per probe for every hash we hold.
const MAX_BLOOM_PROBES: u64 = 64;

/// Refuses a peer's bloom filter that Automerge 0.12 decodes but cannot use:
/// entries with no bits divide by zero when our next message is made (a
/// panic, found by the sync_message fuzz target), and a probe count in the
/// billions allocates and loops that many times. `bytes`:
/// `BloomFilter::to_bytes`, three LEB128 numbers (entries, bits per entry,
/// probes) and the bits; empty for an empty filter.
fn check_bloom(bytes: &[u8]) -> std::result::Result<(), String> {
    fn leb128(bytes: &mut &[u8]) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = bytes.split_first()?;
            *bytes = rest;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    let mut rest = bytes;
    if rest.is_empty() {
        return Ok(());
    }
    let (Some(entries), Some(bits_per_entry), Some(probes)) = (leb128(&mut rest), leb128(&mut rest), leb128(&mut rest))
    else {
        return Err("布隆过滤器无法解析 (unreadable bloom filter)".into());
    };
    if entries > 0 && (bits_per_entry == 0 || rest.is_empty()) {
        return Err(format!("布隆过滤器有 {entries} 项却没有位 (bloom filter with entries and no bits)"));
    }
    if probes > MAX_BLOOM_PROBES {
        return Err(format!("布隆过滤器探测次数 {probes} 过多 (bloom filter with too many probes)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::sync::BloomFilter;

    /// The bytes a peer sent are the bytes `save_after` would write, in the
    /// order it writes them; with one change missing, `save_after` is used.
    #[test]
    fn received_changes_are_saved_as_save_after_would_save_them() {
        use automerge::transaction::Transactable;
        let mut ours = AutoCommit::new();
        ours.put(automerge::ROOT, "名称", "玉林社区夕阳红舞蹈队").unwrap();
        ours.commit();
        let saved = ours.get_heads();
        let mut theirs = ours.fork();
        for (i, v) in ["30", "31", "32"].iter().enumerate() {
            theirs.put(automerge::ROOT, format!("k{i}"), *v).unwrap();
            theirs.commit();
        }
        let sent: Vec<automerge::Change> = theirs.get_changes(&saved);
        assert_eq!(sent.len(), 3);
        let mut msg_changes: Vec<Vec<u8>> = sent.iter().rev().map(|c| c.raw_bytes().to_vec()).collect();
        // A chunk that is not one change (garbage here) is left out.
        msg_changes.push(b"not a change".to_vec());
        // Copies with their checksum flipped, before and after the good one:
        // each has the same hash, but Automerge's loader refuses it, so
        // neither is taken.
        let mut bad = sent[0].raw_bytes().to_vec();
        bad[4] ^= 0xff;
        msg_changes.insert(0, bad.clone());
        msg_changes.push(bad);
        let msg = Message {
            heads: theirs.get_heads(),
            need: Vec::new(),
            have: Vec::new(),
            changes: msg_changes.into(),
            flags: None,
            version: automerge::sync::MessageVersion::V1,
        };
        let received = raw_changes(&msg);
        assert_eq!(received.len(), 3);
        for change in &sent {
            assert_eq!(received[&change.hash()], change.raw_bytes(), "the good copy of each change");
        }
        let base = ours.save();
        ours.apply_changes(sent).unwrap();
        let expected = ours.save_after(&saved);
        assert_eq!(save_since(&mut ours, &saved, &received), expected);
        // What the store keeps, a base and this piece, loads to the document.
        let mut loaded = AutoCommit::load(&[base, expected.clone()].concat()).unwrap();
        assert_eq!(loaded.get_heads(), ours.get_heads());
        let mut partial = received.clone();
        partial.remove(&theirs.get_heads()[0]);
        assert_eq!(save_since(&mut ours, &saved, &partial), expected);
    }

    #[test]
    fn a_bloom_filter_automerge_makes_passes_and_one_it_cannot_use_is_refused() {
        let hashes = [ChangeHash([7; 32]), ChangeHash([9; 32])];
        assert_eq!(check_bloom(&BloomFilter::from_hashes(hashes.iter()).to_bytes()), Ok(()));
        assert_eq!(check_bloom(&BloomFilter::default().to_bytes()), Ok(()));
        // Two entries, no bits per entry, 7 probes: Automerge divides by zero.
        let no_bits = [2, 0, 7];
        assert!(BloomFilter::try_from(&no_bits[..]).is_ok(), "Automerge decodes it");
        assert!(check_bloom(&no_bits).unwrap_err().contains("no bits"));
        // Two entries of 10 bits, 2^32-1 probes.
        let probes = [2, 10, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0];
        assert!(BloomFilter::try_from(&probes[..]).is_ok(), "Automerge decodes it");
        assert!(check_bloom(&probes).unwrap_err().contains("too many probes"));
        assert!(check_bloom(&[0x80]).is_err());
    }
}

/// The exchanges of one document with one peer open now (`Store::sync_open`).
#[derive(Debug, Default)]
pub(super) struct Open {
    /// Opened and not ended (`end_sync`, `fail_sync`, `abandon_sync`).
    pub running: u32,
    /// Whether the state may be resumed once none is running: false after
    /// withheld changes, an error, an exchange cut off, or two open at once.
    pub resumable: bool,
}
