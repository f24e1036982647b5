//! Verified authorship. Every change a node makes is signed with its
//! identity key (the hash of an Automerge change covers its content and,
//! through its dependencies, its history, so signing the hash signs both).
//! A change enters federation F's documents only when signed by a node F's
//! **authors list** admits, whoever relayed it; a change signed by node N
//! must carry N's actor id (derived from its node id).
//!
//! The list is self-authenticating: it names F's founder (whose node id, for
//! a federation made by this version, is F's id: `fed = hex(node id[..8])`),
//! and every other entry carries the signature of an owner that chains back
//! to the founder. Revocations are signed the same way and are permanent: a
//! merge keeps every valid entry and every valid revocation, so a list only
//! grows and a revoked device stays revoked wherever the list has reached.

use super::identity::{Identity, NodeId};
use anyhow::{Context, Result};
use automerge::ActorId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The actor id prefix of a node: the first 16 bytes of its node id.
pub fn actor_of(node: &NodeId) -> ActorId {
    ActorId::from(&node.0[..16])
}

/// A node's actor for one opening of its store: its prefix and 8 random
/// bytes (a copied data directory must not reuse (actor, seq) pairs).
pub fn fresh_actor(node: &NodeId) -> ActorId {
    let mut bytes = node.0[..16].to_vec();
    bytes.extend_from_slice(&rand::random::<[u8; 8]>());
    ActorId::from(bytes.as_slice())
}

/// Whether `actor` is one of `node`'s.
pub fn actor_is(actor: &ActorId, node: &NodeId) -> bool {
    actor.to_bytes().starts_with(&node.0[..16])
}

/// The federation id a founding device gives its federation.
pub fn founded_id(node: &NodeId) -> String {
    hex::encode(&node.0[..8])
}

fn change_message(hash: &[u8]) -> Vec<u8> {
    [&b"hubsync-change\0"[..], hash].concat()
}

/// This node's signing key.
pub struct Signer {
    pub node: NodeId,
    pub cert: Vec<u8>,
    key: ring::signature::EcdsaKeyPair,
    rng: ring::rand::SystemRandom,
}

impl Signer {
    pub fn load(dir: &Path) -> Result<Signer> {
        let identity = Identity::load_or_create(dir)?;
        let rng = ring::rand::SystemRandom::new();
        let key = ring::signature::EcdsaKeyPair::from_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            &identity.key_der,
            &rng,
        )
        .map_err(|e| anyhow::anyhow!("身份密钥无法读取 (identity key unreadable): {e}"))?;
        Ok(Signer { node: identity.node_id, cert: identity.cert_der, key, rng })
    }

    fn sign(&self, msg: &[u8]) -> Vec<u8> {
        self.key.sign(&self.rng, msg).map(|s| s.as_ref().to_vec()).unwrap_or_default()
    }

    /// The signature record stored with a change: node id ++ signature.
    pub fn sign_change(&self, hash: &[u8]) -> Vec<u8> {
        [&self.node.0[..], &self.sign(&change_message(hash))].concat()
    }
}

/// Whether `sig` over `msg` was made by the key of certificate `cert`.
pub fn verify(cert: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    let der = rustls::pki_types::CertificateDer::from(cert);
    let Ok(ee) = webpki::EndEntityCert::try_from(&der) else { return false };
    ee.verify_signature(webpki::ring::ECDSA_P256_SHA256, msg, sig).is_ok()
}

/// A stored signature record split: the signer and its signature.
pub fn split_record(record: &[u8]) -> Option<(NodeId, &[u8])> {
    if record.len() <= 32 {
        return None;
    }
    let (node, sig) = record.split_at(32);
    Some((NodeId(node.try_into().ok()?), sig))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A device of the federation: may write every document of it.
    Owner,
    /// A writer the federation granted some documents (grant keys).
    Writer,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub role: Role,
    /// For a writer: grant keys (document id, collection code, `*`).
    #[serde(default)]
    pub docs: Vec<String>,
    /// Later entries for the same node replace earlier ones.
    pub seq: u64,
    pub by: NodeId,
    pub sig: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revocation {
    pub by: NodeId,
    pub sig: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthorList {
    pub fed: String,
    pub founder: NodeId,
    #[serde(default)]
    pub entries: BTreeMap<NodeId, Entry>,
    #[serde(default)]
    pub revoked: BTreeMap<NodeId, Revocation>,
    /// Certificates of the nodes named (each checks against its node id).
    #[serde(default)]
    pub certs: BTreeMap<NodeId, String>,
}

fn entry_message(fed: &str, node: &NodeId, role: Role, docs: &[String], seq: u64) -> Vec<u8> {
    format!("hubsync-author\0{fed}\0{node}\0{role:?}\0{}\0{seq}", docs.join(",")).into_bytes()
}

fn revoke_message(fed: &str, node: &NodeId) -> Vec<u8> {
    format!("hubsync-revoke\0{fed}\0{node}").into_bytes()
}

/// Whether a writer's grant keys cover `doc` ("*" never covers private).
fn keys_cover(keys: &[String], doc: &crate::store::DocId) -> bool {
    let c = doc.collection();
    keys.iter().any(|k| k == doc.as_str() || k == c.code() || (k == "*" && c != crate::domain::Collection::Private))
}

impl AuthorList {
    /// A new list with `signer` as its founder.
    pub fn found(fed: &str, signer: &Signer) -> AuthorList {
        let mut certs = BTreeMap::new();
        certs.insert(signer.node, hex::encode(&signer.cert));
        AuthorList {
            fed: fed.to_string(),
            founder: signer.node,
            entries: BTreeMap::new(),
            revoked: BTreeMap::new(),
            certs,
        }
    }

    /// Whether the founder is proven by the federation id itself.
    pub fn self_certified(&self) -> bool {
        founded_id(&self.founder) == self.fed
    }

    pub fn cert(&self, node: &NodeId) -> Option<Vec<u8>> {
        let bytes = hex::decode(self.certs.get(node)?).ok()?;
        (NodeId::of_certificate(&bytes) == *node).then_some(bytes)
    }

    fn signed_by(&self, by: &NodeId, msg: &[u8], sig: &str) -> bool {
        match (self.cert(by), hex::decode(sig)) {
            (Some(cert), Ok(sig)) => verify(&cert, msg, &sig),
            _ => false,
        }
    }

    fn entry_valid(&self, node: &NodeId, e: &Entry) -> bool {
        self.signed_by(&e.by, &entry_message(&self.fed, node, e.role, &e.docs, e.seq), &e.sig)
    }

    /// The founder, or a node whose owner entry chains back to it through
    /// owner entries (revocations aside).
    fn endorsed_owner(&self, node: &NodeId, depth: usize) -> bool {
        if *node == self.founder {
            return true;
        }
        match self.entries.get(node) {
            Some(e) if depth < 8 && e.role == Role::Owner && e.by != *node => {
                self.entry_valid(node, e) && self.endorsed_owner(&e.by, depth + 1)
            }
            _ => false,
        }
    }

    /// An owner now: endorsed through a chain of which no link is revoked
    /// (a revoked device's endorsements, earlier or later, count no more).
    pub fn is_owner(&self, node: &NodeId, depth: usize) -> bool {
        if *node == self.founder {
            return true;
        }
        match self.entries.get(node) {
            Some(e) if depth < 8 && e.role == Role::Owner && e.by != *node => {
                !self.is_revoked(node) && self.entry_valid(node, e) && self.is_owner(&e.by, depth + 1)
            }
            _ => false,
        }
    }

    /// Revoked by an endorsed owner (whether or not that owner is itself
    /// revoked: two devices revoking each other are both revoked). The
    /// founder cannot be revoked.
    pub fn is_revoked(&self, node: &NodeId) -> bool {
        *node != self.founder
            && self.revoked.get(node).is_some_and(|r| {
                self.endorsed_owner(&r.by, 0) && self.signed_by(&r.by, &revoke_message(&self.fed, node), &r.sig)
            })
    }

    /// Whether the list lets `node` write `doc`: why not, if not.
    pub fn authorizes(&self, node: &NodeId, doc: &crate::store::DocId) -> Result<(), String> {
        if self.is_revoked(node) {
            return Err(format!("节点 {} 已被撤销 (device revoked by {})", node.short(), self.fed));
        }
        if self.is_owner(node, 0) {
            return Ok(());
        }
        match self.entries.get(node) {
            Some(e) if e.role == Role::Writer && self.entry_valid(node, e) && self.is_owner(&e.by, 0) => {
                if keys_cover(&e.docs, doc) {
                    Ok(())
                } else {
                    Err(format!("节点 {} 无权写入 {doc} (writer not granted this document)", node.short()))
                }
            }
            _ => Err(format!(
                "节点 {} 不在 {} 的作者名单中 (not on the federation's authors list)",
                node.short(),
                self.fed
            )),
        }
    }

    /// Adds (or replaces) an entry for `node`, signed by `signer`, which must
    /// be an owner. Its certificate is added when known.
    pub fn endorse(
        &mut self,
        signer: &Signer,
        node: NodeId,
        role: Role,
        docs: Vec<String>,
        cert: Option<&[u8]>,
    ) -> Result<()> {
        if !self.is_owner(&signer.node, 0) {
            anyhow::bail!("本节点不是该联合会的所有者设备,不能授权 (this device is not an owner of the federation)");
        }
        let seq = self.entries.get(&node).map_or(1, |e| e.seq + 1);
        let sig = hex::encode(signer.sign(&entry_message(&self.fed, &node, role, &docs, seq)));
        self.entries.insert(node, Entry { role, docs, seq, by: signer.node, sig });
        self.certs.entry(signer.node).or_insert_with(|| hex::encode(&signer.cert));
        if let Some(c) = cert.filter(|c| NodeId::of_certificate(c) == node) {
            self.certs.insert(node, hex::encode(c));
        }
        Ok(())
    }

    pub fn revoke(&mut self, signer: &Signer, node: NodeId) -> Result<()> {
        if !self.is_owner(&signer.node, 0) {
            anyhow::bail!("本节点不是该联合会的所有者设备,不能撤销 (this device is not an owner of the federation)");
        }
        let sig = hex::encode(signer.sign(&revoke_message(&self.fed, &node)));
        self.revoked.insert(node, Revocation { by: signer.node, sig });
        Ok(())
    }

    /// Adds a certificate that checks against its node id.
    pub fn add_cert(&mut self, cert: &[u8]) {
        self.certs.insert(NodeId::of_certificate(cert), hex::encode(cert));
    }

    /// Merges a copy received from a peer: same federation and founder, or
    /// nothing. Valid entries with a higher sequence and valid revocations
    /// are kept; certificates that check against their ids are kept.
    /// Returns whether anything changed.
    pub fn merge(&mut self, other: &AuthorList) -> Result<bool, String> {
        if other.fed != self.fed || other.founder != self.founder {
            return Err(format!(
                "{} 的作者名单创始节点不符 (authors list names another founder: {} instead of {})",
                self.fed,
                other.founder.short(),
                self.founder.short()
            ));
        }
        let before = self.clone();
        for (node, cert) in &other.certs {
            if let Ok(bytes) = hex::decode(cert) {
                if NodeId::of_certificate(&bytes) == *node {
                    self.certs.entry(*node).or_insert_with(|| cert.clone());
                }
            }
        }
        // Entries may endorse each other: repeat until nothing more is valid.
        loop {
            let mut grew = false;
            for (node, e) in &other.entries {
                let newer = self.entries.get(node).is_none_or(|mine| e.seq > mine.seq);
                if newer && self.entry_valid(node, e) && self.endorsed_owner(&e.by, 0) {
                    self.entries.insert(*node, e.clone());
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        for (node, r) in &other.revoked {
            if !self.revoked.contains_key(node) {
                self.revoked.insert(*node, r.clone());
                if !self.is_revoked(node) {
                    self.revoked.remove(node);
                }
            }
        }
        Ok(*self != before)
    }

    /// Canonical digest, for offers.
    pub fn digest(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(&Sha256::digest(bytes)[..8])
    }

    /// The devices and writers, for `device list` and provenance.
    pub fn members(&self) -> Vec<(NodeId, String, bool)> {
        let mut out = vec![(self.founder, "founder".to_string(), self.is_revoked(&self.founder))];
        for (node, e) in &self.entries {
            let role = match e.role {
                Role::Owner => "owner".to_string(),
                Role::Writer => format!("writer {}", e.docs.join(",")),
            };
            out.push((*node, role, self.is_revoked(node)));
        }
        out
    }
}

/// What one document's received changes are checked against.
pub struct Gate {
    pub doc: crate::store::DocId,
    /// The federation's authors list, as held now.
    pub list: Option<AuthorList>,
    /// The peer sending (which may be only a relay) and its certificate.
    pub peer: NodeId,
    pub peer_cert: Vec<u8>,
    /// The rule of before signing: the peer owns the document's federation
    /// or holds a write grant on it from us. Unsigned changes (written
    /// before signing) are taken only from such a peer.
    pub direct_writer: bool,
    /// For our own documents: nodes our grants let write this one.
    pub granted: std::collections::BTreeSet<NodeId>,
    pub our_actor: ActorId,
    /// A federation new to us, brought by a relay whose own federation this
    /// is: what arrives must place it below that one (`admit`).
    pub vouched_by: Option<crate::domain::RecordId>,
}

impl Gate {
    /// Whether the document, with a message applied in memory, may be
    /// kept: a federation new to us must lie below the federation of the
    /// relay that brought it (forward::Held::access).
    pub fn admit(&self, store: &crate::store::Store) -> Result<(), String> {
        let Some(top_id) = &self.vouched_by else { return Ok(()) };
        let fed = self.doc.federation();
        let Some(new) = store.federation_record(&fed) else {
            return Err(format!(
                "中转方带来的新联合会 {fed} 没有联合会记录 (a new federation arrived through a relay without its record)"
            ));
        };
        let Some(top) = store.federation_record(top_id) else {
            return Err(format!(
                "不了解中转方所属的联合会 {top_id},无法接收它带来的新联合会 (the relay's own federation is unknown here)"
            ));
        };
        let lookup = |key: &str| super::forward::federation_by_key(store, key);
        if super::forward::is_below(&new, &top, &lookup) {
            Ok(())
        } else {
            Err(format!(
                "「{}」({}) 不在中转方所属的「{}」({}) 之下,中转方不能为它担保 (a relay brings new federations only from below its own)",
                new.name, new.division, top.name, top.division
            ))
        }
    }

    /// Whether one change may enter the document; why not, if not.
    pub fn check(&self, hash: &automerge::ChangeHash, actor: &ActorId, record: Option<&[u8]>) -> Result<(), String> {
        let Some(record) = record else {
            if *actor == self.our_actor {
                return Err("未签名的修改冒用本节点的作者编号 (unsigned change under our own actor id)".into());
            }
            return if self.direct_writer {
                Ok(())
            } else {
                Err("未签名的修改只能直接来自其作者 (an unsigned change is taken only from its writer directly, not through a relay)".into())
            };
        };
        let Some((signer, sig)) = split_record(record) else {
            return Err("签名记录无效 (malformed signature record)".into());
        };
        let cert = self
            .list
            .as_ref()
            .and_then(|l| l.cert(&signer))
            .or_else(|| (signer == self.peer).then(|| self.peer_cert.clone()))
            .ok_or_else(|| format!("不认识签名节点 {} (signer unknown: not on the authors list)", signer.short()))?;
        if !verify(&cert, &change_message(&hash.0), sig) {
            return Err(format!(
                "签名与修改内容不符,修改在途中被改动 (signature of {} does not match the change: altered on the way)",
                signer.short()
            ));
        }
        if !actor_is(actor, &signer) {
            return Err(format!(
                "修改使用了其他节点的作者编号 (change signed by {} under another node's actor id)",
                signer.short()
            ));
        }
        let listed = match &self.list {
            Some(list) => list.authorizes(&signer, &self.doc),
            None => Err(format!("没有 {} 的作者名单 (no authors list for the federation)", self.doc.federation())),
        };
        match listed {
            Ok(()) => Ok(()),
            // Revocation wins over every other rule.
            Err(why) if self.list.as_ref().is_some_and(|l| l.is_revoked(&signer)) => Err(why),
            Err(_) if self.granted.contains(&signer) => Ok(()),
            Err(_) if signer == self.peer && self.direct_writer && self.list.is_none() => Ok(()),
            Err(why) => Err(why),
        }
    }
}

fn list_key(fed: &str) -> String {
    format!("authors:{fed}")
}

/// The authors list held for `fed`, if any.
pub fn load(store: &crate::store::Store, fed: &str) -> Option<AuthorList> {
    store.get_meta(&list_key(fed)).and_then(|b| serde_json::from_slice(&b).ok())
}

pub fn save(store: &mut crate::store::Store, list: &AuthorList) -> Result<()> {
    store.put_meta(&list_key(&list.fed), &serde_json::to_vec(list)?).context("authors list")?;
    Ok(())
}

/// Takes in a list a peer sent. A founder is believed when the federation id
/// proves it, or when we hold no list for that federation yet and `trusted`
/// (the peer is that federation's pinned owner, or any relay for a
/// federation made before self-certifying ids: trust on first use).
pub fn receive(store: &mut crate::store::Store, list: &AuthorList, trusted: bool) -> Result<bool, String> {
    if crate::store::DocId::parse(&format!("{}/people", list.fed)).is_err() {
        return Err(format!("malformed federation id in an authors list: {}", list.fed));
    }
    match load(store, &list.fed) {
        Some(mut held) => {
            let changed = held.merge(list)?;
            if changed {
                save(store, &held).map_err(|e| format!("{e:#}"))?;
            }
            Ok(changed)
        }
        None => {
            let provable = list.self_certified() || (trusted && founded_id(&list.founder).len() == 16);
            if !provable || list.cert(&list.founder).is_none() {
                return Err(format!("{} 的作者名单无法证明其创始节点 (authors list founder not proven)", list.fed));
            }
            // Start from the founder alone and merge, so that only valid
            // entries are kept.
            let mut fresh = AuthorList {
                fed: list.fed.clone(),
                founder: list.founder,
                entries: BTreeMap::new(),
                revoked: BTreeMap::new(),
                certs: BTreeMap::new(),
            };
            fresh.merge(list)?;
            save(store, &fresh).map_err(|e| format!("{e:#}"))?;
            Ok(true)
        }
    }
}

/// Our federation's list, made if we founded it, with an entry for every
/// peer our grants let write (so that its changes are accepted wherever the
/// list reaches, not only here). None when we did not found our federation
/// and have not received its list yet.
pub fn own_list(store: &mut crate::store::Store, peers: &super::trust::Peers) -> Option<AuthorList> {
    let home = store.home_id()?.to_string();
    let mut list = match load(store, &home) {
        Some(l) => l,
        None => {
            let signer = store.signer()?;
            let founder = founded_id(&signer.node) == home || store.founded_home();
            if !founder {
                return None;
            }
            let signer = store.signer()?;
            AuthorList::found(&home, signer)
        }
    };
    let before = list.clone();
    if let Some(signer) = store.signer() {
        if list.is_owner(&signer.node, 0) {
            for p in &peers.peers {
                let mut docs: Vec<String> = p
                    .grants
                    .iter()
                    .filter(|(_, g)| **g == super::trust::Grant::Write)
                    .map(|(k, _)| k.clone())
                    .collect();
                docs.sort();
                let current = list.entries.get(&p.node_id);
                if docs.is_empty() || current.is_some_and(|e| e.role == Role::Owner || e.docs == docs) {
                    continue;
                }
                let cert = store.get_meta(&cert_key(&p.node_id));
                let _ = list.endorse(signer, p.node_id, Role::Writer, docs, cert.as_deref());
            }
            // Certificates learnt since an entry was made.
            let missing: Vec<NodeId> = list.entries.keys().filter(|n| !list.certs.contains_key(*n)).copied().collect();
            for node in missing {
                if let Some(c) = store.get_meta(&cert_key(&node)) {
                    list.add_cert(&c);
                }
            }
        }
    }
    if list != before || load(store, &home).is_none() {
        let _ = save(store, &list);
    }
    Some(list)
}

fn cert_key(node: &NodeId) -> String {
    format!("cert:{}", hex::encode(node.0))
}

/// Remembers a peer's certificate (seen at the handshake), so that our
/// list can carry it for nodes we authorize.
pub fn remember_cert(store: &mut crate::store::Store, cert: &[u8]) {
    let node = NodeId::of_certificate(cert);
    if store.get_meta(&cert_key(&node)).is_none() {
        let _ = store.put_meta(&cert_key(&node), cert);
    }
}

/// Adds `node` as an owner device of our federation (a county's second
/// laptop), or revokes it, on this owner device.
pub fn set_device(store: &mut crate::store::Store, node: NodeId, revoke: bool) -> Result<AuthorList> {
    let peers = super::trust::Peers::load(store.dir())?;
    let mut list = own_list(store, &peers).context(
        "本节点没有本联合会的作者名单:请在创建联合会的设备上操作 (no authors list here: use the founding device)",
    )?;
    let signer = store.signer().context("no identity")?;
    if revoke {
        list.revoke(signer, node)?;
    } else {
        let cert = store.get_meta(&cert_key(&node));
        list.endorse(signer, node, Role::Owner, Vec::new(), cert.as_deref())?;
    }
    save(store, &list)?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DocId;

    fn signer() -> (tempfile::TempDir, Signer) {
        let dir = tempfile::TempDir::new().unwrap();
        let s = Signer::load(dir.path()).unwrap();
        (dir, s)
    }

    #[test]
    fn signatures_verify_and_alterations_do_not() {
        let (_d, s) = signer();
        let record = s.sign_change(&[7; 32]);
        let (node, sig) = split_record(&record).unwrap();
        assert_eq!(node, s.node);
        assert!(verify(&s.cert, &change_message(&[7; 32]), sig));
        assert!(!verify(&s.cert, &change_message(&[8; 32]), sig), "another hash");
        let (_d2, other) = signer();
        assert!(!verify(&other.cert, &change_message(&[7; 32]), sig), "another key");
    }

    #[test]
    fn lists_chain_to_the_founder_and_revocations_stick() {
        let (_a, founder) = signer();
        let (_b, second) = signer();
        let (_c, writer) = signer();
        let (_d, stranger) = signer();
        let fed = founded_id(&founder.node);
        let mut list = AuthorList::found(&fed, &founder);
        assert!(list.self_certified());
        list.endorse(&founder, second.node, Role::Owner, vec![], Some(&second.cert)).unwrap();
        list.endorse(&second, writer.node, Role::Writer, vec!["attendance".into()], Some(&writer.cert)).unwrap();
        let people = DocId::parse(&format!("{fed}/people")).unwrap();
        let attendance = DocId::parse(&format!("{fed}/attendance")).unwrap();
        assert!(list.authorizes(&second.node, &people).is_ok());
        assert!(list.authorizes(&writer.node, &attendance).is_ok());
        assert!(list.authorizes(&writer.node, &people).is_err());
        assert!(list.authorizes(&stranger.node, &people).is_err());

        // A stranger's forged entry (signed by itself) is not taken.
        let mut forged = list.clone();
        forged.certs.insert(stranger.node, hex::encode(&stranger.cert));
        let sig = hex::encode(stranger.sign(&entry_message(&fed, &stranger.node, Role::Owner, &[], 1)));
        forged.entries.insert(stranger.node, Entry { role: Role::Owner, docs: vec![], seq: 1, by: stranger.node, sig });
        let mut held = AuthorList::found(&fed, &founder);
        held.merge(&forged).unwrap();
        assert!(held.authorizes(&second.node, &people).is_ok(), "valid entries came through");
        assert!(held.authorizes(&stranger.node, &people).is_err(), "the forged one did not");

        // Revoked, and a later copy without the revocation does not undo it.
        let older = held.clone();
        held.revoke(&founder, second.node).unwrap();
        assert!(held.authorizes(&second.node, &people).is_err());
        held.merge(&older).unwrap();
        assert!(held.is_revoked(&second.node), "revocation sticks");
        let mut elsewhere = older.clone();
        elsewhere.merge(&held).unwrap();
        assert!(elsewhere.is_revoked(&second.node), "and travels");
        // Another founder is refused outright.
        assert!(held.merge(&AuthorList::found(&fed, &stranger)).is_err());
    }
}
