//! What a hub reads about the federations it holds: each one's record in
//! its own meta document, and the collections its owner keeps to the first
//! hop (docs/SYNC.md, "Forwarding").

use super::{codec, DocId, Result, Store, StoreError};
use crate::domain::{Collection, Federation, RecordId};
use automerge::{transaction::Transactable, ReadDoc, ROOT};
use std::collections::BTreeSet;

/// Root key of a meta document: collection codes (or `*`) its owner does
/// not let relays pass on.
const FIRST_HOP_ONLY: &str = "_first_hop_only";

impl Store {
    /// Federation `fed` as its own meta document describes it (a record of
    /// another id inside that document is not taken for it).
    pub fn federation_record(&self, fed: &RecordId) -> Option<Federation> {
        let doc_id = DocId::new(fed, Collection::Meta, None);
        let state = self.docs.get(&doc_id)?;
        let obj = super::records::record_obj(&state.doc, fed.as_str())?;
        let mut json = codec::read_object(&state.doc, &obj, 0);
        if let serde_json::Value::Object(map) = &mut json {
            map.insert("id".into(), serde_json::Value::String(fed.0.clone()));
        }
        serde_json::from_value(json).ok()
    }

    /// This node's signing key.
    pub fn signer(&self) -> Option<&crate::sync::authorship::Signer> {
        self.signer.as_ref()
    }

    /// The actor id this node writes under.
    pub fn actor(&self) -> &automerge::ActorId {
        &self.actor
    }

    /// Whether this node made its home federation: the first change of
    /// its meta document is under this node's actor id (or the random one
    /// it wrote under before signing). A device that joined another's
    /// federation did not.
    pub fn founded_home(&mut self) -> bool {
        let Some(home) = self.home.clone() else { return false };
        let legacy = self.disk.meta.get("actor").ok().flatten().map(|b| automerge::ActorId::from(b.as_ref()));
        let doc_id = DocId::new(&home, Collection::Meta, None);
        let Some(state) = self.docs.get_mut(&doc_id) else { return false };
        let first = state.doc.get_changes(&[]).into_iter().next().map(|c| c.actor_id().clone());
        let prefix = self.signer.as_ref().map(|s| s.node.0[..16].to_vec());
        first.is_some_and(|a| {
            a == self.actor
                || Some(&a) == legacy.as_ref()
                || prefix.as_ref().is_some_and(|p| a.to_bytes().starts_with(p))
        })
    }

    /// The collections `fed`'s owner keeps to the first hop.
    pub fn first_hop_only(&self, fed: &RecordId) -> BTreeSet<String> {
        let doc_id = DocId::new(fed, Collection::Meta, None);
        let Some(state) = self.docs.get(&doc_id) else { return BTreeSet::new() };
        match state.doc.get(ROOT, FIRST_HOP_ONLY) {
            Ok(Some((automerge::Value::Scalar(s), _))) => s
                .as_str()
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            _ => BTreeSet::new(),
        }
    }

    /// Marks collections of our federation as first hop only (or clears
    /// the mark): peers we share them with do not pass them on.
    pub fn set_first_hop_only(&mut self, codes: &BTreeSet<String>) -> Result<()> {
        let home = self.home()?.clone();
        let doc_id = DocId::new(&home, Collection::Meta, None);
        self.create_doc(&doc_id)?;
        let state = self.docs.get_mut(&doc_id).expect("created above");
        let joined = codes.iter().cloned().collect::<Vec<_>>().join(",");
        state
            .doc
            .put(ROOT, FIRST_HOP_ONLY, joined)
            .map_err(|e| StoreError::Automerge { doc: doc_id.to_string(), detail: e.to_string() })?;
        self.persist(std::slice::from_ref(&doc_id))
    }

    /// Test hook (a tampering relay): writes `field` of record `id` in
    /// `doc` as a change under `actor`, persisted unsigned; its hash.
    #[doc(hidden)]
    pub fn forge_under(
        &mut self,
        doc: &DocId,
        actor: automerge::ActorId,
        id: &str,
        field: &str,
        value: &str,
    ) -> Result<automerge::ChangeHash> {
        let am = |e: automerge::AutomergeError| StoreError::Automerge { doc: doc.to_string(), detail: e.to_string() };
        let own = self.actor.clone();
        let state = self.docs.get_mut(doc).ok_or_else(|| StoreError::NoSuchDoc(doc.to_string()))?;
        let obj = super::records::record_obj(&state.doc, id)
            .ok_or_else(|| StoreError::NotFound { kind: "record", id: id.into() })?;
        state.doc.set_actor(actor);
        state.doc.put(&obj, field, value).map_err(am)?;
        state.doc.commit();
        let hash = state.doc.get_last_local_change().map(|c| c.hash());
        state.doc.set_actor(own);
        self.persist(std::slice::from_ref(doc))?;
        hash.ok_or_else(|| StoreError::NoSuchDoc(doc.to_string()))
    }

    /// Test hook: stores a signature record for a change, as a relay could.
    #[doc(hidden)]
    pub fn put_signature(&mut self, hash: &automerge::ChangeHash, record: &[u8]) -> Result<()> {
        self.disk.sigs.insert(hash.0, record)?;
        self.unlogged_sigs.push((hash.0, record.to_vec()));
        Ok(())
    }
}
