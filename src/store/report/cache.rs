//! Records the report read, kept per document with the version they were
//! read at, so that after an edit or a peer's change only the documents that
//! moved are read again (one county's ~170 organizations, not 31,000).
//!
//! Freshness: a document's entry is used only while the document's version
//! (drawn from the store's one counter on every change, ours or a peer's, a
//! rollback or a reload, so never reused) and its saved heads (a second
//! check) are those it was read at; for a collection with private
//! fields, the federation's private document must be unchanged too. A
//! document with a record that cannot be decoded is never kept, so its
//! problems are named by every report.
//!
//! On top of that, each collection's records are kept laid end to end
//! (`Flat`), so that a report borrows them as one slice instead of copying
//! 31,000 organizations into its inputs: a changed document's span is
//! replaced, the other spans' records are moved over, never cloned. The
//! organizations and the activity rows, which the report reads per document
//! only (its parts), are shared from their entries instead: not even moved.

use super::super::{DocId, Store, StoreError};
use crate::domain::activity_query::ActivityRow;
use crate::domain::{Collection, Record};
use automerge::ChangeHash;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

/// What a document's entry was read from: its (version, saved heads), then
/// those of the private document its records take fields from.
pub(super) type DocKey = Vec<(u64, Vec<ChangeHash>)>;

#[derive(Default)]
pub(crate) struct ReadCache {
    /// `Arc<Vec<R>>` of the document's collection, or `Arc<Vec<ActivityRow>>`.
    per_doc: HashMap<DocId, (DocKey, Arc<dyn Any + Send + Sync>)>,
    /// `Flat<R>` per record type.
    flat: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    /// The activity rows of each admitted document, in document order.
    activities: Vec<(DocId, DocKey, Arc<Vec<ActivityRow>>)>,
    /// `Vec<(DocId, Option<DocKey>, Arc<Vec<R>>)>` per record type read per
    /// document only (`Store::refresh_per_doc`).
    by_doc: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

type DocRecords<R> = Vec<(DocId, Option<DocKey>, Arc<Vec<R>>)>;

/// The records of the admitted documents of one collection, in document
/// order, with each document's span and the key it was read at (None: not
/// to be reused, its records had problems).
struct Flat<T> {
    spans: Vec<(DocId, Option<DocKey>, usize)>,
    items: Vec<T>,
}

/// One document's records in a `Flat`, with the key they were read at
/// (None: not to be reused).
pub(super) struct Span<'a, T> {
    pub doc: &'a DocId,
    pub key: Option<&'a DocKey>,
    pub items: &'a [T],
}

impl<T> Flat<T> {
    fn spans(&self) -> Vec<Span<'_, T>> {
        let mut at = 0;
        self.spans
            .iter()
            .map(|(doc, key, n)| {
                let items = &self.items[at..at + n];
                at += n;
                Span { doc, key: key.as_ref(), items }
            })
            .collect()
    }

    /// Brings the spans to `want` (documents in order, with their keys):
    /// spans whose document and key match are moved over, the others are
    /// dropped and `read` gives the document's records (and whether they may
    /// be reused). Linear in the records, with no clone of a reused one.
    fn refresh(&mut self, want: Vec<(DocId, DocKey)>, mut read: impl FnMut(&DocId, &DocKey) -> (Vec<T>, bool)) {
        let mut old_items = std::mem::take(&mut self.items).into_iter();
        let mut old_spans = std::mem::take(&mut self.spans).into_iter().peekable();
        let mut items = Vec::with_capacity(old_items.len());
        let mut spans = Vec::with_capacity(want.len());
        let skip = |it: &mut std::vec::IntoIter<T>, n: usize| it.by_ref().take(n).for_each(drop);
        for (doc, key) in want {
            // Documents gone, or no longer admitted, come before it in order.
            while let Some((_, _, n)) = old_spans.next_if(|s| s.0 < doc) {
                skip(&mut old_items, n);
            }
            if let Some((_, kept, n)) = old_spans.next_if(|s| s.0 == doc) {
                if kept.as_ref() == Some(&key) {
                    items.extend(old_items.by_ref().take(n));
                    spans.push((doc, kept, n));
                    continue;
                }
                skip(&mut old_items, n);
            }
            let (fresh, reuse) = read(&doc, &key);
            spans.push((doc, reuse.then_some(key), fresh.len()));
            items.extend(fresh);
        }
        self.items = items;
        self.spans = spans;
    }
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

    /// The activity rows `Store::refresh_activity_rows` last kept, document by document.
    pub(super) fn activity_spans(&self) -> Vec<Span<'_, ActivityRow>> {
        self.activities.iter().map(|(doc, key, rows)| Span { doc, key: Some(key), items: rows.as_slice() }).collect()
    }

    /// The records `Store::refresh_per_doc` last kept, document by document.
    pub(super) fn doc_spans<R: Any + Send + Sync>(&self) -> Vec<Span<'_, R>> {
        self.by_doc.get(&TypeId::of::<R>()).and_then(|d| d.downcast_ref::<DocRecords<R>>()).map_or_else(Vec::new, |d| {
            d.iter().map(|(doc, key, items)| Span { doc, key: key.as_ref(), items: items.as_slice() }).collect()
        })
    }

    /// The records `Store::refresh_cached` last laid out.
    pub(super) fn records<T: Any + Send + Sync>(&self) -> &[T] {
        self.flat.get(&TypeId::of::<T>()).and_then(|f| f.downcast_ref::<Flat<T>>()).map_or(&[], |f| &f.items)
    }

    /// The records `records` gives, document by document.
    pub(super) fn spans<T: Any + Send + Sync>(&self) -> Vec<Span<'_, T>> {
        self.flat.get(&TypeId::of::<T>()).and_then(|f| f.downcast_ref::<Flat<T>>()).map_or_else(Vec::new, Flat::spans)
    }

    /// The documents `records` gives and the keys they were read at; None
    /// if one is not to be reused.
    pub(super) fn keys<T: Any + Send + Sync>(&self) -> Option<Vec<(DocId, DocKey)>> {
        self.spans::<T>().into_iter().map(|s| Some((s.doc.clone(), s.key?.clone()))).collect()
    }

    fn take_flat<T: Any + Send + Sync>(&mut self) -> Flat<T> {
        self.flat
            .remove(&TypeId::of::<T>())
            .and_then(|f| f.downcast::<Flat<T>>().ok())
            .map_or_else(|| Flat { spans: Vec::new(), items: Vec::new() }, |f| *f)
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

    /// Lays out every readable record of `R` in the documents `keep` admits
    /// (`ReadCache::records`), in the order `all_readable_in` gives them,
    /// read again only where a document changed; records that cannot be
    /// decoded go to `problems`.
    pub(super) fn refresh_cached<R: Record>(
        &self,
        cache: &mut ReadCache,
        keep: &dyn Fn(&DocId) -> bool,
        problems: &mut Vec<StoreError>,
    ) {
        let private = !R::private_fields().is_empty();
        let want: Vec<(DocId, DocKey)> = self
            .docs
            .keys()
            .filter(|d| d.collection() == R::COLLECTION && keep(d))
            .map(|d| (d.clone(), self.read_key(d, private)))
            .collect();
        let mut flat = cache.take_flat::<R>();
        flat.refresh(want, |doc, key| {
            if let Some(kept) = cache.get::<Vec<R>>(doc, key) {
                return (kept.as_ref().clone(), true);
            }
            let mut read = Vec::new();
            self.decode_doc_into::<R>(doc, &mut read);
            let before = problems.len();
            let records: Vec<R> = read.into_iter().filter_map(|r| r.map_err(|e| problems.push(e)).ok()).collect();
            let clean = problems.len() == before;
            if clean {
                cache.per_doc.insert(doc.clone(), (key.clone(), Arc::new(records.clone())));
            } else {
                cache.per_doc.remove(doc);
            }
            (records, clean)
        });
        cache.flat.insert(TypeId::of::<R>(), Box::new(flat));
    }

    /// Keeps the records of `R` in the documents `keep` admits document by
    /// document (`ReadCache::doc_spans`), read again only where a document
    /// changed: a kept document's records are shared, neither moved nor
    /// copied (31,000 organizations are not laid end to end at every report).
    pub(super) fn refresh_per_doc<R: Record>(
        &self,
        cache: &mut ReadCache,
        keep: &dyn Fn(&DocId) -> bool,
        problems: &mut Vec<StoreError>,
    ) {
        let private = !R::private_fields().is_empty();
        let mut docs: DocRecords<R> = Vec::new();
        for doc in self.docs.keys().filter(|d| d.collection() == R::COLLECTION && keep(d)) {
            let key = self.read_key(doc, private);
            if let Some(kept) = cache.get::<Vec<R>>(doc, &key) {
                docs.push((doc.clone(), Some(key), kept));
                continue;
            }
            let mut read = Vec::new();
            self.decode_doc_into::<R>(doc, &mut read);
            let before = problems.len();
            let records: Vec<R> = read.into_iter().filter_map(|r| r.map_err(|e| problems.push(e)).ok()).collect();
            let records = Arc::new(records);
            if problems.len() == before {
                cache.per_doc.insert(doc.clone(), (key.clone(), records.clone()));
                docs.push((doc.clone(), Some(key), records));
            } else {
                cache.per_doc.remove(doc);
                docs.push((doc.clone(), None, records));
            }
        }
        cache.by_doc.insert(TypeId::of::<R>(), Box::new(docs));
    }

    /// Keeps the activity rows of the documents `keep` admits, document by
    /// document (`ReadCache::activity_spans`), scanned again only where a
    /// document changed. Not laid end to end: the report reads them per
    /// document (its parts), so they are shared, not moved.
    pub(super) fn refresh_activity_rows(&self, cache: &mut ReadCache, keep: &dyn Fn(&DocId) -> bool) {
        let mut docs = Vec::new();
        for doc in self.docs.keys().filter(|d| d.collection() == Collection::Activities && keep(d)) {
            let key = self.read_key(doc, false);
            let rows = match cache.get::<Vec<ActivityRow>>(doc, &key) {
                Some(kept) => kept,
                None => {
                    let Some(state) = self.docs.get(doc) else { continue };
                    let rows = Arc::new(super::super::activities::scan_activities(&state.doc));
                    cache.per_doc.insert(doc.clone(), (key.clone(), rows.clone()));
                    rows
                }
            };
            docs.push((doc.clone(), key, rows));
        }
        cache.activities = docs;
    }
}
