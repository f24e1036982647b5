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
}
