//! The organization-name index: which organization holds a name (after
//! `name_key` folding), for the namesake check on organization writes
//! (records.rs).
//!
//! Kept per document, each with the state it was read at (version and saved
//! heads): a change from a peer, a reload or a document made anew has the
//! next check read that document's ~170 names again, not all 31,000 (which
//! cost ~350 ms when every received change threw the whole index away).
//! It answers as one built now from the list rows would: among namesakes,
//! the holder whose (division, name) sorts last, then the later document,
//! then the later id (the rows' order: sorted by division and name, each
//! document's in key order, the last one taken).

use super::{DocId, Store};
use crate::domain::validate::name_key;
use crate::domain::{Collection, Organization, RecordId};
use automerge::ChangeHash;
use std::collections::HashMap;

#[derive(Default)]
pub(crate) struct NameIndex {
    per_doc: HashMap<DocId, DocNames>,
    /// name_key -> every organization holding it (namesakes arrive by sync).
    by_key: HashMap<String, Vec<Holder>>,
}

struct DocNames {
    seen: Seen,
    /// id -> name_key of the document's organizations.
    keys: HashMap<RecordId, String>,
}

/// The state a document's names were read at.
#[derive(Clone, PartialEq)]
enum Seen {
    /// Not loaded (a store opened in part): read from its rows on disk; it
    /// cannot change while unloaded.
    Unloaded,
    At(u64, Vec<ChangeHash>),
    /// Read again at the next check (`read_names_again`, or made by a write).
    Again,
}

/// Field order is the answer's order among namesakes: the greatest wins.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Holder {
    division: String,
    name: String,
    doc: DocId,
    id: RecordId,
}

impl NameIndex {
    fn holder(&self, name: &str) -> Option<RecordId> {
        self.by_key.get(&name_key(name))?.iter().max().map(|h| h.id.clone())
    }

    fn remove(&mut self, doc: &DocId, id: &RecordId) -> Option<(String, Holder)> {
        let key = self.per_doc.get_mut(doc)?.keys.remove(id)?;
        let holders = self.by_key.get_mut(&key)?;
        let at = holders.iter().position(|h| &h.doc == doc && &h.id == id)?;
        let holder = holders.swap_remove(at);
        if holders.is_empty() {
            self.by_key.remove(&key);
        }
        Some((key, holder))
    }

    fn add(&mut self, doc: &DocId, id: &RecordId, name: &str, division: &str, key: String) {
        let names =
            self.per_doc.entry(doc.clone()).or_insert_with(|| DocNames { seen: Seen::Again, keys: HashMap::new() });
        names.keys.insert(id.clone(), key.clone());
        let holder =
            Holder { division: division.to_string(), name: name.to_string(), doc: doc.clone(), id: id.clone() };
        self.by_key.entry(key).or_default().push(holder);
    }

    fn drop_doc(&mut self, doc: &DocId) -> HashMap<RecordId, (String, Holder)> {
        let ids: Vec<RecordId> = self.per_doc.get(doc).map(|d| d.keys.keys().cloned().collect()).unwrap_or_default();
        let old = ids.into_iter().filter_map(|id| Some((id.clone(), self.remove(doc, &id)?))).collect();
        self.per_doc.remove(doc);
        old
    }

    /// Puts a document's names in place of what it held; a name read before
    /// keeps its key (folding is most of the cost).
    fn replace(&mut self, doc: &DocId, rows: Vec<(RecordId, String, String)>, seen: Seen) {
        let mut old = self.drop_doc(doc);
        for (id, name, division) in rows {
            let key = match old.remove(&id) {
                Some((key, was)) if was.name == name => key,
                _ => name_key(&name),
            };
            self.add(doc, &id, &name, &division, key);
        }
        self.per_doc.entry(doc.clone()).or_insert_with(|| DocNames { seen: Seen::Again, keys: HashMap::new() }).seen =
            seen;
    }
}

impl Store {
    /// The organization already using this name (after folding), if any.
    pub fn org_name_exists(&mut self, name: &str) -> Option<RecordId> {
        self.refresh_names();
        self.name_holder(name)
    }

    /// The index's answer as it stands (after `refresh_names`).
    pub(super) fn name_holder(&self, name: &str) -> Option<RecordId> {
        self.name_index.as_ref().and_then(|i| i.holder(name))
    }

    fn seen(&self, doc: &DocId) -> Seen {
        match self.docs.get(doc) {
            Some(state) => Seen::At(state.version, state.saved_heads.clone()),
            None => Seen::Unloaded,
        }
    }

    fn is_seen(&self, doc: &DocId, seen: &Seen) -> bool {
        match (self.docs.get(doc), seen) {
            (Some(state), Seen::At(version, heads)) => state.version == *version && state.saved_heads == *heads,
            (None, Seen::Unloaded) => true,
            _ => false,
        }
    }

    /// Brings the index up to every organization document held: those whose
    /// state moved since they were read are read again, those gone dropped.
    /// Built whole on first use, from the list rows the UI has usually read.
    pub(super) fn refresh_names(&mut self) {
        let mut index = self.name_index.take().unwrap_or_default();
        // Sorted: loaded and unloaded ones (a damaged document is neither).
        let held = self.stored_doc_ids(Some(Collection::Orgs));
        let gone: Vec<DocId> = index.per_doc.keys().filter(|d| held.binary_search(d).is_err()).cloned().collect();
        for doc in gone {
            index.drop_doc(&doc);
        }
        for doc in held {
            if index.per_doc.get(&doc).is_some_and(|d| self.is_seen(&doc, &d.seen)) {
                continue;
            }
            let rows = self.names_in(&doc);
            index.replace(&doc, rows, self.seen(&doc));
        }
        self.name_index = Some(index);
    }

    /// (id, name, division) of a document's organizations.
    fn names_in(&mut self, doc: &DocId) -> Vec<(RecordId, String, String)> {
        if self.deferred.is_some() {
            if let Some(state) = self.docs.get(doc) {
                // Inside `atomically` the list rows, cached by version, do
                // not show the writes made so far: the document itself does.
                let mut rows = Vec::new();
                self.scan_doc(doc, &state.doc, &["name", "division"], &mut rows);
                let text =
                    |v: &mut Vec<Option<String>>, i: usize| v.get_mut(i).and_then(Option::take).unwrap_or_default();
                return rows
                    .into_iter()
                    .map(|mut r| {
                        let (name, division) = (text(&mut r.values, 0), text(&mut r.values, 1));
                        (r.id, name, division)
                    })
                    .collect();
            }
        }
        self.org_rows_of(doc).iter().map(|r| (r.id.clone(), r.name.clone(), r.division.clone())).collect()
    }

    /// After a local write of `org` (persisted, or deferred inside
    /// `atomically`): its entry moves from `old` to `new`. Their names were
    /// read just before, for the write's own check, so outside `atomically`
    /// they are current at the documents' new state.
    pub(super) fn index_org_write(&mut self, org: &Organization, old: Option<&DocId>, new: &DocId) {
        let Some(mut index) = self.name_index.take() else { return };
        if let Some(old) = old {
            index.remove(old, &org.id);
        }
        index.add(new, &org.id, &org.name, &org.division, name_key(&org.name));
        if self.deferred.is_none() {
            for doc in old.into_iter().chain([new]) {
                let seen = self.seen(doc);
                if let Some(names) = index.per_doc.get_mut(doc) {
                    names.seen = seen;
                }
            }
        }
        self.name_index = Some(index);
    }

    /// These documents' names are read again at the next check: `atomically`
    /// rolled them back, or a write bypassed the check (a resolved conflict).
    pub(super) fn read_names_again(&mut self, docs: &[DocId]) {
        if let Some(index) = &mut self.name_index {
            for doc in docs {
                if let Some(names) = index.per_doc.get_mut(doc) {
                    names.seen = Seen::Again;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{org, store};
    use super::super::StoreError;
    use automerge::{transaction::Transactable, AutoCommit, ReadDoc, ROOT};

    #[test]
    fn names_written_inside_a_rolled_back_atomically_are_free_again() {
        let (_dir, mut store) = store();
        let kept = org("和平社区志愿队", "510104001001");
        store.insert(&kept).unwrap();
        let (first, moved) = (org("望江读书会", "510104002001"), org("青年合唱团", "510105001001"));
        let failed: Result<(), StoreError> = store.atomically(|s| {
            s.insert(&first)?;
            let mut renamed = kept.clone();
            renamed.name = "和平社区志愿服务队".into();
            renamed.division = "510106001001".into();
            s.update(&renamed)?;
            s.insert(&moved)?;
            // Inside the block the names written so far are taken.
            assert!(matches!(s.insert(&org("望江 读书会", "510105001001")), Err(StoreError::DuplicateName { .. })));
            assert_eq!(s.org_name_exists("和平社区志愿队"), None);
            Err(StoreError::NotFound { kind: "测试", id: "rollback".into() })
        });
        assert!(failed.is_err());
        assert_eq!(store.org_name_exists("望江读书会"), None, "the insert was rolled back");
        assert_eq!(store.org_name_exists("青年合唱团"), None, "and the one into a new county");
        assert_eq!(store.org_name_exists("和平社区志愿服务队"), None, "and the rename");
        assert_eq!(store.org_name_exists("和平社区志愿队"), Some(kept.id.clone()));
        store.insert(&org("望江读书会", "510104002001")).unwrap();
    }

    #[test]
    fn after_a_job_panicked_the_reloaded_documents_names_are_read_again() {
        let (_dir, mut store) = store();
        let kept = org("和平社区志愿队", "510104001001");
        store.insert(&kept).unwrap();
        let job = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Result<(), StoreError> = store.atomically(|s| {
                let mut renamed = kept.clone();
                renamed.name = "和平社区志愿服务队".into();
                s.update(&renamed)?;
                assert_eq!(s.org_name_exists("和平社区志愿服务队"), Some(kept.id.clone()));
                panic!("injected fault inside atomically")
            });
        }));
        assert!(job.is_err());
        store.recover_after_panic().unwrap();
        assert_eq!(store.org_name_exists("和平社区志愿服务队"), None, "the rename never reached the disk");
        assert_eq!(store.org_name_exists("和平社区志愿队"), Some(kept.id));
    }

    /// The answer among namesakes in one document falls to the later id,
    /// as the rows (in the document's key order) gave it: that order must
    /// be the ids' own.
    #[test]
    fn a_documents_keys_come_in_the_order_of_their_ids() {
        let mut doc = AutoCommit::new();
        let keys = ["b2", "a10", "a9", "Z", "_doc", "ab", "a", "和平", "9f", "a1b2c3d4e5f6a7b8", "A"];
        for k in keys {
            doc.put(ROOT, k, 1).unwrap();
        }
        let listed: Vec<String> = doc.map_range(ROOT, ..).map(|i| i.key.to_string()).collect();
        let mut sorted: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        sorted.sort();
        assert_eq!(listed, sorted);
    }
}
