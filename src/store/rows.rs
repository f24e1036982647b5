//! Organization list rows, cached per document: an edit or a peer's change
//! rescans one county's ~170 records, not all 31,000.
//!
//! They are also kept on disk (sled tree `rows`, one key per document), so
//! a command run without a node filters them without loading the
//! documents. Each entry is stamped with a digest of the document's stored
//! bytes (base ++ pieces, what `load` reads) and is written only from a
//! document equal to what those bytes load to. Any change to the bytes (a
//! write, a peer's change, a compaction, a quarantined piece, damage) makes
//! the stamp differ, and the rows are read again from the document: a stale
//! row cannot be served.

use super::persist::{Disk, StoredDoc};
use super::{DocId, Store};
use crate::domain::query::{OrgRow, ORG_ROW_FIELDS};
use crate::domain::{Collection, RecordId};
use automerge::transaction::Transactable;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Default)]
pub(crate) struct RowCache {
    per_doc: BTreeMap<DocId, (u64, Arc<Vec<OrgRow>>)>,
    /// All rows, valid while every document's version is unchanged.
    all: Option<Arc<Vec<OrgRow>>>,
}

/// Scanned fields of one record, in `ORG_ROW_FIELDS` order: what is kept on
/// disk (the rows are rebuilt from them, so a change to how a row is made
/// from its fields needs no new stamp; a change to the fields does).
type Fields = (RecordId, Vec<Option<String>>);

/// What an entry on disk must carry to be served for these stored bytes.
fn stamp(doc: &DocId, stored: &StoredDoc) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"hubsync org rows v1\0");
    for f in ORG_ROW_FIELDS {
        h.update(f.as_bytes());
        h.update([0]);
    }
    h.update(doc.as_str().as_bytes());
    h.update([0]);
    h.update(Disk::digest(stored));
    h.finalize().into()
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn encode(stamp: &[u8; 32], rows: &[Fields]) -> Vec<u8> {
    let mut out = stamp.to_vec();
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    for (id, values) in rows {
        put_str(&mut out, id.as_str());
        out.push(values.len() as u8);
        for v in values {
            match v {
                None => out.push(0),
                Some(s) => {
                    out.push(1);
                    put_str(&mut out, s);
                }
            }
        }
    }
    out
}

/// The rows of an entry whose stamp is `want`; None for another stamp or
/// bytes that do not decode (then the document is read instead).
fn decode(bytes: &[u8], want: &[u8; 32]) -> Option<Vec<Fields>> {
    let (head, mut rest) = bytes.split_at_checked(32)?;
    if head != want {
        return None;
    }
    fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (a, b) = rest.split_at_checked(n)?;
        *rest = b;
        Some(a)
    }
    fn u32_of(rest: &mut &[u8]) -> Option<usize> {
        Some(u32::from_le_bytes(take(rest, 4)?.try_into().ok()?) as usize)
    }
    fn str_of(rest: &mut &[u8]) -> Option<String> {
        let n = u32_of(rest)?;
        String::from_utf8(take(rest, n)?.to_vec()).ok()
    }
    let count = u32_of(&mut rest)?;
    let mut rows = Vec::with_capacity(count.min(100_000));
    for _ in 0..count {
        let id = RecordId(str_of(&mut rest)?);
        let n = *take(&mut rest, 1)?.first()? as usize;
        if n != ORG_ROW_FIELDS.len() {
            return None;
        }
        let mut values = Vec::with_capacity(n);
        for _ in 0..n {
            values.push(match take(&mut rest, 1)?[0] {
                0 => None,
                1 => Some(str_of(&mut rest)?),
                _ => return None,
            });
        }
        rows.push((id, values));
    }
    rest.is_empty().then_some(rows)
}

fn to_rows(doc: &DocId, fields: Vec<Fields>) -> Vec<OrgRow> {
    let federation = doc.federation();
    fields
        .into_iter()
        .map(|(id, values)| OrgRow { federation: federation.clone(), ..OrgRow::from_fields(id, &values) })
        .collect()
}

impl Store {
    /// Every organization as a list row, sorted by division then name.
    pub fn org_rows(&mut self) -> Arc<Vec<OrgRow>> {
        let mut cache = std::mem::take(&mut self.row_cache);
        let mut stale = false;
        // Opened in part: an unloaded document serves its rows from disk
        // while they are valid, and is loaded to be read otherwise.
        for doc_id in self.unloaded_ids(Collection::Orgs) {
            if cache.per_doc.contains_key(&doc_id) {
                continue;
            }
            let stored = self.unloaded(&doc_id).expect("listed above");
            let want = stamp(&doc_id, stored);
            match self.disk_rows(&doc_id, &want) {
                Some(fields) => {
                    cache.per_doc.insert(doc_id.clone(), (0, Arc::new(to_rows(&doc_id, fields))));
                    stale = true;
                }
                None => {
                    if let Err(e) = self.need_docs([&doc_id]) {
                        tracing::warn!("loading {doc_id} for its list rows: {e}");
                    }
                }
            }
        }
        let mut org_docs: Vec<(DocId, u64)> = self
            .docs
            .iter()
            .filter(|(d, _)| d.collection() == Collection::Orgs)
            .map(|(d, s)| (d.clone(), s.version))
            .collect();
        org_docs.extend(self.unloaded_ids(Collection::Orgs).into_iter().map(|d| (d, 0)));
        cache.per_doc.retain(|d, _| org_docs.iter().any(|(id, _)| id == d));
        for (doc_id, version) in &org_docs {
            if cache.per_doc.get(doc_id).is_some_and(|(v, _)| v == version) {
                continue;
            }
            let rows = self.read_org_rows(doc_id);
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

    /// One document's rows as `org_rows` keeps them, without joining every
    /// document's into the sorted list (the name index reads only the
    /// documents that changed).
    pub(super) fn org_rows_of(&mut self, doc_id: &DocId) -> Arc<Vec<OrgRow>> {
        let Some(version) = self.docs.get(doc_id).map(|s| s.version) else {
            // Unloaded (opened in part): served from disk, or loaded, there.
            self.org_rows();
            return self.row_cache.per_doc.get(doc_id).map(|(_, rows)| rows.clone()).unwrap_or_default();
        };
        if let Some((v, rows)) = self.row_cache.per_doc.get(doc_id) {
            if *v == version {
                return rows.clone();
            }
        }
        let rows = Arc::new(self.read_org_rows(doc_id));
        self.row_cache.per_doc.insert(doc_id.clone(), (version, rows.clone()));
        // The joined list no longer matches its documents' rows.
        self.row_cache.all = None;
        rows
    }

    /// The documents holding the rows `keep` admits (after `org_rows`).
    pub fn org_row_docs(&mut self, keep: impl Fn(&OrgRow) -> bool) -> BTreeSet<DocId> {
        self.org_rows();
        self.row_cache.per_doc.iter().filter(|(_, (_, rows))| rows.iter().any(&keep)).map(|(d, _)| d.clone()).collect()
    }

    /// How many organization documents have rows on disk valid for what
    /// they hold now (for tests and `doc list`-style inspection).
    pub fn valid_disk_rows(&self) -> usize {
        let mut n = 0;
        for doc_id in self.stored_doc_ids(Some(Collection::Orgs)) {
            let stored = match self.unloaded(&doc_id) {
                Some(s) => s.clone(),
                None => match self.disk.read_one(&doc_id) {
                    Ok(s) => s,
                    Err(_) => continue,
                },
            };
            if self.disk_rows(&doc_id, &stamp(&doc_id, &stored)).is_some() {
                n += 1;
            }
        }
        n
    }

    /// A loaded document's rows: from disk when valid, else scanned (and
    /// then written to disk when the document is as stored).
    fn read_org_rows(&mut self, doc_id: &DocId) -> Vec<OrgRow> {
        let want = if self.is_as_stored(doc_id) {
            self.disk.read_one(doc_id).ok().map(|stored| stamp(doc_id, &stored))
        } else {
            None
        };
        if let Some(fields) = want.as_ref().and_then(|w| self.disk_rows(doc_id, w)) {
            return to_rows(doc_id, fields);
        }
        let mut scanned = Vec::new();
        self.scan_doc(doc_id, &self.docs[doc_id].doc, &ORG_ROW_FIELDS, &mut scanned);
        let fields: Vec<Fields> = scanned.into_iter().map(|r| (r.id, r.values)).collect();
        if let Some(w) = want {
            // A cache: not flushed here, and a failure only costs a later read.
            if let Err(e) = self.disk.rows.insert(doc_id.as_str(), encode(&w, &fields)) {
                tracing::warn!("keeping list rows of {doc_id}: {e}");
            }
        }
        to_rows(doc_id, fields)
    }

    fn disk_rows(&self, doc_id: &DocId, want: &[u8; 32]) -> Option<Vec<Fields>> {
        let bytes = self.disk.rows.get(doc_id.as_str()).ok().flatten()?;
        decode(&bytes, want)
    }

    /// The document in memory is what loading its stored bytes gives: no
    /// pending operation, nothing unsaved, not merged from elsewhere.
    fn is_as_stored(&mut self, doc_id: &DocId) -> bool {
        if self.deferred.is_some() {
            return false;
        }
        let Some(state) = self.docs.get_mut(doc_id) else { return false };
        state.disk_clean && state.doc.pending_ops() == 0 && state.doc.get_heads() == state.saved_heads
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{org, store};
    use super::super::StoreError;
    use super::*;

    /// Reads inside a block that then fails see writes that never happen:
    /// what they kept must not be served after the rollback.
    #[test]
    fn rows_and_report_read_inside_a_rolled_back_atomically_are_not_kept() {
        let (_dir, mut store) = store();
        let kept = org("和平社区志愿队", "510104001001");
        store.insert(&kept).unwrap();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let names = |rows: &[OrgRow]| rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&store.org_rows()), ["和平社区志愿队"]);
        let (before, problems) = store.report(as_of);
        assert!(problems.is_empty());
        let failed: Result<(), StoreError> = store.atomically(|s| {
            let mut renamed = kept.clone();
            renamed.name = "和平社区志愿服务队".into();
            s.update(&renamed)?;
            assert_eq!(names(&s.org_rows()), ["和平社区志愿服务队"]);
            assert_eq!(s.report(as_of).0.uncovered[0].name, "和平社区志愿服务队");
            Err(StoreError::NotFound { kind: "测试", id: "rollback".into() })
        });
        assert!(failed.is_err());
        assert_eq!(names(&store.org_rows()), ["和平社区志愿队"], "the rename was rolled back");
        assert_eq!(store.report(as_of).0, before, "and the report is as before it");
    }

    #[test]
    fn an_entry_serves_only_its_own_stamp_and_whole_bytes() {
        let doc = DocId::parse("00aa/orgs/510104").unwrap();
        let stored = StoredDoc { base: Some(b"base".to_vec()), pieces: vec![(0, b"p0".to_vec())] };
        let rows: Vec<Fields> = vec![
            (RecordId::from("a1"), vec![Some("和平社区志愿队".into()); ORG_ROW_FIELDS.len()]),
            (RecordId::from("a2"), vec![None; ORG_ROW_FIELDS.len()]),
        ];
        let s = stamp(&doc, &stored);
        let bytes = encode(&s, &rows);
        assert_eq!(decode(&bytes, &s), Some(rows.clone()));
        // One more piece, another document: other stamps.
        let grown = StoredDoc { pieces: vec![(0, b"p0".to_vec()), (1, b"p1".to_vec())], ..stored.clone() };
        assert_eq!(decode(&bytes, &stamp(&doc, &grown)), None);
        let other = DocId::parse("00aa/orgs/510105").unwrap();
        assert_eq!(decode(&bytes, &stamp(&other, &stored)), None);
        // A torn entry is not served.
        assert_eq!(decode(&bytes[..bytes.len() - 1], &s), None);
    }
}
