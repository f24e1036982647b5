//! Organization list rows, cached per document: an edit or a peer's change
//! rescans one county's ~170 records, not all 31,000.

use super::{DocId, Store};
use crate::domain::query::{OrgRow, ORG_ROW_FIELDS};
use crate::domain::Collection;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Default)]
pub(crate) struct RowCache {
    per_doc: BTreeMap<DocId, (u64, Arc<Vec<OrgRow>>)>,
    /// All rows, valid while every document's version is unchanged.
    all: Option<Arc<Vec<OrgRow>>>,
}

impl Store {
    /// Every organization as a list row, sorted by division then name.
    pub fn org_rows(&mut self) -> Arc<Vec<OrgRow>> {
        let org_docs: Vec<(DocId, u64)> = self
            .docs
            .iter()
            .filter(|(d, _)| d.collection() == Collection::Orgs)
            .map(|(d, s)| (d.clone(), s.version))
            .collect();
        let mut stale = false;
        let mut cache = std::mem::take(&mut self.row_cache);
        cache.per_doc.retain(|d, _| org_docs.iter().any(|(id, _)| id == d));
        for (doc_id, version) in &org_docs {
            if cache.per_doc.get(doc_id).is_some_and(|(v, _)| v == version) {
                continue;
            }
            let mut scanned = Vec::new();
            self.scan_doc(doc_id, &self.docs[doc_id].doc, &ORG_ROW_FIELDS, &mut scanned);
            let federation = doc_id.federation();
            let rows: Vec<OrgRow> = scanned
                .into_iter()
                .map(|r| OrgRow { federation: federation.clone(), ..OrgRow::from_fields(r.id, &r.values) })
                .collect();
            cache.per_doc.insert(doc_id.clone(), (*version, Arc::new(rows)));
            stale = true;
        }
        if stale || cache.all.is_none() || cache.per_doc.len() != org_docs.len() {
            let mut all: Vec<OrgRow> = cache.per_doc.values().flat_map(|(_, rows)| rows.iter().cloned()).collect();
            all.sort_by(|a, b| (&a.division, &a.name).cmp(&(&b.division, &b.name)));
            cache.all = Some(Arc::new(all));
        }
        let out = cache.all.clone().unwrap_or_default();
        self.row_cache = cache;
        out
    }
}
