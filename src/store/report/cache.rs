//! Records the report read, kept per document with the version they were
//! read at, so that after an edit or a peer's change only the documents that
//! moved are read again (one county's ~170 organizations, not 31,000).
//!
//! Freshness: a document's entry is used only while the document's version
//! (bumped on every change, ours or a peer's, and moved on by a reload) and
//! its saved heads (which tell apart a document made anew, whose version
//! starts again) are those it was read at; for a collection with private
//! fields, the federation's private document must be unchanged too. A
//! document with a record that cannot be decoded is never kept, so its
//! problems are named by every report.

use super::super::{DocId, Store, StoreError};
use crate::domain::activity_query::ActivityRow;
use crate::domain::{Collection, Record};
use automerge::ChangeHash;
use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

/// What a document's entry was read from: its (version, saved heads), then
/// those of the private document its records take fields from.
type DocKey = Vec<(u64, Vec<ChangeHash>)>;

#[derive(Default)]
pub(crate) struct ReadCache {
    /// `Arc<Vec<R>>` of the document's collection, or `Arc<Vec<ActivityRow>>`.
    per_doc: HashMap<DocId, (DocKey, Arc<dyn Any + Send + Sync>)>,
}

impl ReadCache {
    /// Forgets documents the store no longer holds.
    pub(super) fn prune(&mut self, store: &Store) {
        self.per_doc.retain(|d, _| store.docs.contains_key(d));
    }

    fn get<T: Any + Send + Sync>(&self, doc: &DocId, key: &DocKey) -> Option<Arc<T>> {
        let (k, v) = self.per_doc.get(doc)?;
        (k == key).then(|| v.clone().downcast::<T>().ok()).flatten()
    }
}

impl Store {
    fn read_key(&self, doc: &DocId, private: bool) -> DocKey {
        let of = |d: &DocId| self.docs.get(d).map_or((u64::MAX, Vec::new()), |s| (s.version, s.saved_heads.clone()));
        let mut key = vec![of(doc)];
        if private {
            key.push(of(&DocId::new(&doc.federation(), Collection::Private, None)));
        }
        key
    }

    /// Every readable record of `R` in the documents `keep` admits, in the
    /// order `all_readable_in` gives them, read again only where a document
    /// changed; records that cannot be decoded go to `problems`.
    pub(super) fn read_cached<R: Record>(
        &self,
        cache: &mut ReadCache,
        keep: &dyn Fn(&DocId) -> bool,
        problems: &mut Vec<StoreError>,
    ) -> Vec<R> {
        let private = !R::private_fields().is_empty();
        let mut out = Vec::new();
        for doc in self.docs.keys().filter(|d| d.collection() == R::COLLECTION && keep(d)) {
            let key = self.read_key(doc, private);
            if let Some(kept) = cache.get::<Vec<R>>(doc, &key) {
                out.extend(kept.iter().cloned());
                continue;
            }
            let mut read = Vec::new();
            self.decode_doc_into::<R>(doc, &mut read);
            let before = problems.len();
            let records: Vec<R> = read.into_iter().filter_map(|r| r.map_err(|e| problems.push(e)).ok()).collect();
            if problems.len() == before {
                out.extend(records.iter().cloned());
                cache.per_doc.insert(doc.clone(), (key, Arc::new(records)));
            } else {
                out.extend(records);
                cache.per_doc.remove(doc);
            }
        }
        out
    }

    /// Activity rows of the documents `keep` admits, unordered, scanned
    /// again only where a document changed.
    pub(super) fn activity_rows_cached(
        &self,
        cache: &mut ReadCache,
        keep: &dyn Fn(&DocId) -> bool,
    ) -> Vec<ActivityRow> {
        let mut out = Vec::new();
        for (doc, state) in self.docs.iter().filter(|(d, _)| d.collection() == Collection::Activities && keep(d)) {
            let key = self.read_key(doc, false);
            if let Some(kept) = cache.get::<Vec<ActivityRow>>(doc, &key) {
                out.extend(kept.iter().cloned());
                continue;
            }
            let rows = super::super::activities::scan_activities(&state.doc);
            out.extend(rows.iter().cloned());
            cache.per_doc.insert(doc.clone(), (key, Arc::new(rows)));
        }
        out
    }
}
