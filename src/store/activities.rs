//! Activities, work reports and the major-activity rule in the store:
//! activity list rows cached per document (an edit or a peer's change
//! rescans one county-year document, not a province's year), the rule read
//! from the home federation's settings, and the few writes that need more
//! than `insert`/`update` (logging participants writes only their entries).

use super::codec;
use super::records::record_obj;
use super::{DocId, Result, Store, StoreError};
use crate::domain::activity_query::{ActivityRow, TrainedPairs, ACTIVITY_ROW_FIELDS};
use crate::domain::{Activity, Collection, MajorActivityRule, Record, RecordId, WorkReport};
use automerge::{ObjType, ReadDoc, ScalarValueRef, ValueRef, ROOT};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Default)]
pub(crate) struct ActivityRowCache {
    per_doc: BTreeMap<DocId, (u64, Arc<Vec<ActivityRow>>)>,
    all: Option<Arc<Vec<ActivityRow>>>,
}

fn number(v: &ScalarValueRef) -> Option<f64> {
    match v {
        ScalarValueRef::F64(f) => Some(*f),
        ScalarValueRef::Int(i) => Some(*i as f64),
        ScalarValueRef::Uint(u) => Some(*u as f64),
        _ => None,
    }
}

/// Rows of one activities document, read by walking its maps.
pub(super) fn scan_activities(doc: &automerge::AutoCommit) -> Vec<ActivityRow> {
    let mut out = Vec::new();
    for item in doc.map_range(ROOT, ..) {
        if item.key.starts_with('_') {
            continue;
        }
        let ValueRef::Object(ObjType::Map) = item.value else { continue };
        let mut values = vec![None; ACTIVITY_ROW_FIELDS.len()];
        let mut participants = Vec::new();
        for field in doc.map_range(item.id(), ..) {
            match field.value {
                ValueRef::Scalar(s) => {
                    if let Some(i) = ACTIVITY_ROW_FIELDS.iter().position(|f| *f == field.key) {
                        values[i] = match s {
                            ScalarValueRef::Str(t) => Some(t.to_string()),
                            ScalarValueRef::Null => None,
                            other => Some(other.to_string()),
                        };
                    }
                }
                ValueRef::Object(ObjType::Map) if field.key == "participants" => {
                    for p in doc.map_range(field.id(), ..) {
                        if let ValueRef::Scalar(s) = p.value {
                            if let Some(h) = number(&s) {
                                participants.push((RecordId(p.key.to_string()), h));
                            }
                        }
                    }
                }
                ValueRef::Object(_) => {}
            }
        }
        if let Some(row) = ActivityRow::from_fields(RecordId(item.key.to_string()), &values, participants) {
            out.push(row);
        }
    }
    out
}

impl Store {
    /// Every activity held (ours and peers') as a list row, newest first.
    pub fn activity_rows(&mut self) -> Arc<Vec<ActivityRow>> {
        let docs: Vec<(DocId, u64)> = self
            .docs
            .iter()
            .filter(|(d, _)| d.collection() == Collection::Activities)
            .map(|(d, s)| (d.clone(), s.version))
            .collect();
        let mut cache = std::mem::take(&mut self.activity_rows);
        let before = cache.per_doc.len();
        cache.per_doc.retain(|d, _| docs.iter().any(|(id, _)| id == d));
        let mut stale = before != cache.per_doc.len();
        for (doc_id, version) in &docs {
            if cache.per_doc.get(doc_id).is_some_and(|(v, _)| v == version) {
                continue;
            }
            let rows = scan_activities(&self.docs[doc_id].doc);
            cache.per_doc.insert(doc_id.clone(), (*version, Arc::new(rows)));
            stale = true;
        }
        if stale || cache.all.is_none() {
            let mut all: Vec<ActivityRow> = cache.per_doc.values().flat_map(|(_, r)| r.iter().cloned()).collect();
            all.sort_by(|a, b| (b.date, &b.start, &b.title).cmp(&(a.date, &a.start, &a.title)));
            cache.all = Some(Arc::new(all));
        }
        let out = cache.all.clone().unwrap_or_default();
        self.activity_rows = cache;
        out
    }

    /// Activity rows of the documents `keep` admits, unordered, for a report
    /// over a store borrowed read-only: a document the list cache holds at
    /// its current version is taken from the cache, only the others are
    /// scanned (the TUI's report tab follows a load that cached them all).
    pub fn activity_rows_within(&self, keep: &dyn Fn(&DocId) -> bool) -> Vec<ActivityRow> {
        let mut out = Vec::new();
        for (doc_id, state) in self.docs.iter().filter(|(d, _)| d.collection() == Collection::Activities && keep(d)) {
            match self.activity_rows.per_doc.get(doc_id) {
                Some((version, rows)) if *version == state.version => out.extend(rows.iter().cloned()),
                _ => out.extend(scan_activities(&state.doc)),
            }
        }
        out
    }

    /// Activity rows read now from every document, without the list cache
    /// (unordered; the benchmark's comparison for `activity_rows_within`).
    pub fn activity_rows_uncached(&self) -> Vec<ActivityRow> {
        self.docs
            .iter()
            .filter(|(d, _)| d.collection() == Collection::Activities)
            .flat_map(|(_, s)| scan_activities(&s.doc))
            .collect()
    }

    fn settings_doc(&self) -> Result<DocId> {
        Ok(DocId::new(self.home()?, Collection::Settings, None))
    }

    /// The home federation's major-activity rule, or the standard one.
    pub fn major_rule(&self) -> MajorActivityRule {
        let Ok(doc_id) = self.settings_doc() else { return MajorActivityRule::standard() };
        let Some(state) = self.docs.get(&doc_id) else { return MajorActivityRule::standard() };
        let Some(obj) = record_obj(&state.doc, MajorActivityRule::ID) else { return MajorActivityRule::standard() };
        let mut json = codec::read_object(&state.doc, &obj, 0);
        if let serde_json::Value::Object(m) = &mut json {
            m.insert("id".into(), MajorActivityRule::ID.into());
        }
        serde_json::from_value(json).unwrap_or_else(|_| MajorActivityRule::standard())
    }

    /// Saves the rule in the home federation's settings document.
    pub fn set_major_rule(&mut self, rule: &MajorActivityRule) -> Result<()> {
        let doc_id = self.settings_doc()?;
        let exists = self.docs.get(&doc_id).is_some_and(|s| record_obj(&s.doc, MajorActivityRule::ID).is_some());
        if exists {
            self.update(rule)?;
        } else {
            self.insert(rule)?;
        }
        Ok(())
    }

    /// An activity of the home federation, or NotFound.
    pub fn activity(&self, id: &RecordId) -> Result<Activity> {
        self.get::<Activity>(id)?.ok_or_else(|| StoreError::NotFound {
            kind: Collection::Activities.label(crate::domain::Lang::Zh),
            id: id.to_string(),
        })
    }

    pub fn work_report(&self, id: &RecordId) -> Result<WorkReport> {
        self.get::<WorkReport>(id)?.ok_or_else(|| StoreError::NotFound {
            kind: Collection::WorkReports.label(crate::domain::Lang::Zh),
            id: id.to_string(),
        })
    }

    /// Work reports held, those that could be read (views keep working when
    /// a peer wrote a bad value; `all` names it).
    pub fn work_reports(&self) -> Vec<WorkReport> {
        self.all_readable::<WorkReport>().0
    }

    /// (training, person) pairs whose sign-in credited hours: the volunteer
    /// hours of an activity linked to that training are not counted again.
    pub fn trained_pairs(&self) -> TrainedPairs {
        let mut out = TrainedPairs::new();
        for r in self.scan(Collection::Attendance, &["training", "person", "hours"]) {
            let hours: f64 = r.values[2].as_deref().and_then(|h| h.parse().ok()).unwrap_or(0.0);
            if let (Some(t), Some(p)) = (&r.values[0], &r.values[1]) {
                if hours > 0.0 {
                    out.insert((RecordId(t.clone()), RecordId(p.clone())));
                }
            }
        }
        out
    }
}

/// Document of an activity or work report: for tests and tools.
pub fn partition_doc<R: Record>(federation: &RecordId, rec: &R) -> DocId {
    DocId::new(federation, R::COLLECTION, rec.partition().as_deref())
}
