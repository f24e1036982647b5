//! Typed records in, typed records out. Writes validate first, go to the
//! home federation's document, and persist before returning.

use super::codec;
use super::{DocId, Result, Store, StoreError};
use crate::domain::validate::name_key;
use crate::domain::{has_errors, Collection, Federation, Organization, Problem, Record, RecordId, Severity};
use automerge::{transaction::Transactable, AutoCommit, ObjId, ObjType, ReadDoc, Value, ROOT};
use serde_json::Value as Json;
use std::collections::HashMap;

/// Records per commit during bulk inserts: small enough that sync does not
/// resend a giant change, large enough to amortize commit overhead.
const RECORDS_PER_COMMIT: usize = 100;

/// A field with concurrent values after a merge.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldConflict {
    /// Dotted path inside the record ("name", "evaluations.2024.basic");
    /// empty when the record itself was created twice concurrently.
    pub field: String,
    pub values: Vec<Json>,
    /// Who wrote each value and when, in the order of `values`; empty until
    /// traced (`Store::trace_conflicts`, named by `ops::conflicts`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<super::ValueOrigin>,
}

/// Selected scalar fields of one record, read without hydrating it.
#[derive(Debug, Clone)]
pub struct ScanRow {
    pub id: RecordId,
    pub doc: DocId,
    pub values: Vec<Option<String>>,
}

fn am(doc: &DocId) -> impl Fn(automerge::AutomergeError) -> StoreError + '_ {
    move |e| StoreError::Automerge { doc: doc.to_string(), detail: e.to_string() }
}

fn kind_label(c: Collection) -> &'static str {
    c.label(crate::domain::Lang::Zh)
}

/// The record as stored: its JSON without the id, which is the key.
fn record_json<R: Record>(rec: &R) -> Result<serde_json::Map<String, Json>> {
    match serde_json::to_value(rec) {
        Ok(Json::Object(mut map)) => {
            map.remove("id");
            Ok(map)
        }
        Ok(_) | Err(_) => Err(StoreError::Invalid(vec![Problem::error("record", "无法序列化 (cannot serialize)")])),
    }
}

/// Moves the record's private fields out of its shared JSON.
fn split_private<R: Record>(map: &mut serde_json::Map<String, Json>) -> serde_json::Map<String, Json> {
    let mut private = serde_json::Map::new();
    for field in R::private_fields() {
        if let Some(v) = map.remove(*field) {
            private.insert(field.to_string(), v);
        }
    }
    private
}

pub(super) fn private_key<R: Record>(id: &str) -> String {
    format!("{}.{}", R::COLLECTION.code(), id)
}

pub(super) fn record_obj(doc: &AutoCommit, id: &str) -> Option<ObjId> {
    match doc.get(ROOT, id) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
        _ => None,
    }
}

fn decode<R: Record>(doc_id: &DocId, id: &str, mut json: Json) -> Result<R> {
    if let Json::Object(map) = &mut json {
        map.insert("id".into(), Json::String(id.to_string()));
    }
    serde_json::from_value(json).map_err(|e| StoreError::Decode {
        doc: doc_id.clone(),
        id: id.to_string(),
        // serde quotes the offending value: a phone a peer wrote as a number.
        detail: crate::domain::validate::mask_phones_in(&e.to_string()),
    })
}

fn is_record_key(key: &str) -> bool {
    !key.starts_with('_')
}

impl Store {
    pub fn home(&self) -> Result<&RecordId> {
        self.home_id().ok_or(StoreError::NoFederation)
    }

    /// The home federation's record.
    pub fn federation(&self) -> Option<Federation> {
        let home = self.home_id()?;
        self.get::<Federation>(home).ok().flatten()
    }

    /// Every federation whose documents this node holds (its own and peers').
    pub fn federations(&self) -> Vec<Federation> {
        self.all::<Federation>().unwrap_or_default()
    }

    /// Creates this node's federation; refuses if one exists.
    pub fn init_federation(&mut self, fed: &Federation) -> Result<Vec<Problem>> {
        if let Some(existing) = self.federation() {
            return Err(StoreError::AlreadyInitialized(existing.name));
        }
        let problems = fed.validate();
        if has_errors(&problems) {
            return Err(StoreError::Invalid(problems));
        }
        self.set_home(&fed.id)?;
        self.insert(fed)?;
        Ok(problems)
    }

    fn doc_for<R: Record>(&self, partition: Option<String>) -> Result<DocId> {
        let home = self.home()?.clone();
        Ok(DocId::new(&home, R::COLLECTION, partition.as_deref()))
    }

    /// The document holding a record, searching all documents of its collection.
    pub fn locate(&self, collection: Collection, id: &RecordId) -> Option<DocId> {
        self.docs
            .iter()
            .filter(|(d, _)| d.collection() == collection)
            .find(|(_, s)| record_obj(&s.doc, id.as_str()).is_some())
            .map(|(d, _)| d.clone())
    }

    /// Refuses a name another organization holds, by the index as it
    /// stands (`refresh_names` first).
    fn check_unique_name(&self, org: &Organization) -> Result<()> {
        if let Some(existing) = self.name_holder(&org.name) {
            // A namesake that arrived by sync (another township's roster)
            // leaves both editable; only taking a name already held is refused.
            let keeps_its_name = || {
                self.get::<Organization>(&org.id)
                    .ok()
                    .flatten()
                    .is_some_and(|stored| name_key(&stored.name) == name_key(&org.name))
            };
            if existing != org.id && !keeps_its_name() {
                return Err(StoreError::DuplicateName { name: org.name.clone(), existing });
            }
        }
        Ok(())
    }

    /// Rules across records, applied before a write.
    fn check_record<R: Record>(&mut self, rec: &R) -> Result<Vec<Problem>> {
        if R::COLLECTION == Collection::Orgs {
            self.refresh_names();
        }
        self.check_refreshed(rec)
    }

    /// `check_record` with the name index already brought up to date.
    fn check_refreshed<R: Record>(&self, rec: &R) -> Result<Vec<Problem>> {
        let problems = rec.validate();
        if has_errors(&problems) {
            return Err(StoreError::Invalid(problems));
        }
        if let Some(org) = (rec as &dyn std::any::Any).downcast_ref::<Organization>() {
            self.check_unique_name(org)?;
        }
        Ok(problems.into_iter().filter(|p| p.severity == Severity::Warning).collect())
    }

    /// Adds a new record. Ok carries the warnings.
    pub fn insert<R: Record>(&mut self, rec: &R) -> Result<Vec<Problem>> {
        let warnings = self.check_record(rec)?;
        if self.locate(R::COLLECTION, rec.id()).is_some() {
            return Err(StoreError::AlreadyExists { kind: kind_label(R::COLLECTION), id: rec.id().clone() });
        }
        let doc_id = self.doc_for::<R>(rec.partition())?;
        let mut map = record_json(rec)?;
        let private = split_private::<R>(&mut map);
        let json = Json::Object(map);
        self.create_doc(&doc_id)?;
        let state = self.docs.get_mut(&doc_id).expect("created above");
        state
            .doc
            .batch_create_object(ROOT, rec.id().as_str(), &codec::to_hydrate(&json), false)
            .map_err(am(&doc_id))?;
        let mut touched = vec![doc_id.clone()];
        touched.extend(self.write_private::<R>(&doc_id, rec.id().as_str(), private)?);
        self.persist(&touched)?;
        if let Some(org) = (rec as &dyn std::any::Any).downcast_ref::<Organization>() {
            self.index_org_write(org, None, &doc_id);
        }
        Ok(warnings)
    }

    /// Adds many records at once: all validated first, then written in
    /// commits of ~100 records and persisted in one atomic batch, so an
    /// import is either wholly there or not at all.
    pub fn insert_many<R: Record>(&mut self, recs: &[R]) -> Result<usize> {
        self.insert_many_reporting(recs, &mut |_| {})
    }

    /// `insert_many`, telling `written` how many records are in after each
    /// commit (a progress bar for a province's import).
    pub fn insert_many_reporting<R: Record>(&mut self, recs: &[R], written: &mut dyn FnMut(usize)) -> Result<usize> {
        let mut seen = HashMap::new();
        // Once: nothing changes while the records are checked.
        if R::COLLECTION == Collection::Orgs {
            self.refresh_names();
        }
        for rec in recs {
            self.check_refreshed(rec)?;
            if let Some(org) = (rec as &dyn std::any::Any).downcast_ref::<Organization>() {
                if let Some(first) = seen.insert(name_key(&org.name), org.id.clone()) {
                    return Err(StoreError::DuplicateName { name: org.name.clone(), existing: first });
                }
            }
        }
        let mut by_doc: std::collections::BTreeMap<DocId, Vec<&R>> = std::collections::BTreeMap::new();
        for rec in recs {
            let doc_id = self.doc_for::<R>(rec.partition())?;
            // Only the target document is probed: probing every county
            // document per record made a province import quadratic.
            if self.docs.get(&doc_id).is_some_and(|s| record_obj(&s.doc, rec.id().as_str()).is_some()) {
                return Err(StoreError::AlreadyExists { kind: kind_label(R::COLLECTION), id: rec.id().clone() });
            }
            by_doc.entry(doc_id).or_default().push(rec);
        }
        let mut pieces = Vec::new();
        let time = self.commit_time();
        let mut done = 0;
        for (doc_id, group) in &by_doc {
            self.create_doc(doc_id)?;
            for chunk in group.chunks(RECORDS_PER_COMMIT) {
                let state = self.docs.get_mut(doc_id).expect("created above");
                let mut privates = Vec::new();
                for rec in chunk {
                    let mut map = record_json(*rec)?;
                    let private = split_private::<R>(&mut map);
                    let json = Json::Object(map);
                    state
                        .doc
                        .batch_create_object(ROOT, rec.id().as_str(), &codec::to_hydrate(&json), false)
                        .map_err(am(doc_id))?;
                    privates.push((rec.id().as_str(), private));
                }
                state.doc.commit_with(automerge::transaction::CommitOptions::default().with_time(time));
                for (id, private) in privates {
                    pieces.extend(self.write_private::<R>(doc_id, id, private)?);
                }
                done += chunk.len();
                written(done);
            }
            pieces.push(doc_id.clone());
        }
        pieces.sort();
        pieces.dedup();
        self.persist(&pieces)?;
        for rec in recs {
            if let Some(org) = (rec as &dyn std::any::Any).downcast_ref::<Organization>() {
                let doc_id = self.doc_for::<R>(rec.partition())?;
                self.index_org_write(org, None, &doc_id);
            }
        }
        Ok(recs.len())
    }

    /// Writes the fields of `rec` that differ from the stored record.
    pub fn update<R: Record>(&mut self, rec: &R) -> Result<Vec<Problem>> {
        let warnings = self.check_record(rec)?;
        let old_doc = self
            .locate(R::COLLECTION, rec.id())
            .ok_or_else(|| StoreError::NotFound { kind: kind_label(R::COLLECTION), id: rec.id().to_string() })?;
        // Keep records in the document they live in, except when a
        // partitioned record moves (an organization to another county, an
        // activity to another county or year).
        let new_doc = match rec.partition() {
            Some(part) => DocId::new(&old_doc.federation(), R::COLLECTION, Some(&part)),
            None => old_doc.clone(),
        };
        let mut new_json = record_json(rec)?;
        let private = split_private::<R>(&mut new_json);
        let id = rec.id().as_str();
        let state = self.docs.get_mut(&old_doc).expect("located above");
        let obj = record_obj(&state.doc, id).expect("located above");
        let old_json = match codec::read_object(&state.doc, &obj, 0) {
            Json::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        if new_doc == old_doc {
            codec::update_map(&mut state.doc, &obj, &old_json, &new_json).map_err(am(&old_doc))?;
            let mut touched = vec![old_doc.clone()];
            touched.extend(self.write_private::<R>(&old_doc, id, private)?);
            self.persist(&touched)?;
        } else {
            state.doc.delete(ROOT, id).map_err(am(&old_doc))?;
            self.create_doc(&new_doc)?;
            let target = self.docs.get_mut(&new_doc).expect("created above");
            target
                .doc
                .batch_create_object(ROOT, id, &codec::to_hydrate(&Json::Object(new_json)), false)
                .map_err(am(&new_doc))?;
            self.persist(&[old_doc.clone(), new_doc.clone()])?;
        }
        if let Some(org) = (rec as &dyn std::any::Any).downcast_ref::<Organization>() {
            self.index_org_write(org, Some(&old_doc), &new_doc);
        }
        Ok(warnings)
    }

    /// One record by id, from whichever document of its collection holds it.
    pub fn get<R: Record>(&self, id: &RecordId) -> Result<Option<R>> {
        for (doc_id, state) in self.docs.iter().filter(|(d, _)| d.collection() == R::COLLECTION) {
            if let Some(obj) = record_obj(&state.doc, id.as_str()) {
                let mut json = codec::read_object(&state.doc, &obj, 0);
                self.merge_private::<R>(doc_id, id.as_str(), &mut json);
                return decode(doc_id, id.as_str(), json).map(Some);
            }
        }
        Ok(None)
    }

    /// Every record of a type across all documents held, each decoded or
    /// the error naming it.
    fn decode_all<R: Record>(&self) -> Vec<Result<R>> {
        self.decode_in(&|_| true)
    }

    fn decode_in<R: Record>(&self, keep: &dyn Fn(&DocId) -> bool) -> Vec<Result<R>> {
        let mut out = Vec::new();
        for doc_id in self.docs.keys().filter(|d| d.collection() == R::COLLECTION && keep(d)) {
            self.decode_doc_into(doc_id, &mut out);
        }
        out
    }

    /// Every record of one document, in key order (the report's cache
    /// hydrates a document at a time).
    pub(super) fn decode_doc_into<R: Record>(&self, doc_id: &DocId, out: &mut Vec<Result<R>>) {
        let Some(state) = self.docs.get(doc_id) else { return };
        for item in state.doc.map_range(ROOT, ..) {
            if !is_record_key(&item.key) {
                continue;
            }
            if let automerge::ValueRef::Object(ObjType::Map) = item.value {
                let mut json = codec::read_object(&state.doc, &item.id(), 0);
                self.merge_private::<R>(doc_id, &item.key, &mut json);
                out.push(decode(doc_id, &item.key, json));
            }
        }
    }

    /// Every record of a type. A record that cannot be decoded is an error
    /// naming it, not a silent gap (exports must not drop rows).
    pub fn all<R: Record>(&self) -> Result<Vec<R>> {
        self.decode_all().into_iter().collect()
    }

    /// Like `all`, from the documents `keep` admits (an export restricted
    /// to some federations).
    pub fn all_in<R: Record>(&self, keep: &dyn Fn(&DocId) -> bool) -> Result<Vec<R>> {
        self.decode_in(keep).into_iter().collect()
    }

    /// Like `all`, but a record that cannot be decoded (a peer wrote a
    /// value of the wrong type) is left out and reported instead of failing
    /// the whole list: for views and reports, which must keep working.
    pub fn all_readable<R: Record>(&self) -> (Vec<R>, Vec<StoreError>) {
        self.all_readable_in(&|_| true)
    }

    /// Like `all_readable`, from the documents `keep` admits (a report
    /// restricted to some federations).
    pub fn all_readable_in<R: Record>(&self, keep: &dyn Fn(&DocId) -> bool) -> (Vec<R>, Vec<StoreError>) {
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for r in self.decode_in(keep) {
            match r {
                Ok(x) => records.push(x),
                Err(e) => errors.push(e),
            }
        }
        (records, errors)
    }

    /// Reads selected scalar fields of every record of a collection by
    /// walking the maps directly: the cheap path for list views.
    pub fn scan(&self, collection: Collection, fields: &[&str]) -> Vec<ScanRow> {
        let mut out = Vec::new();
        for (doc_id, state) in self.docs.iter().filter(|(d, _)| d.collection() == collection) {
            self.scan_doc(doc_id, &state.doc, fields, &mut out);
        }
        out
    }

    pub(crate) fn scan_doc(&self, doc_id: &DocId, doc: &AutoCommit, fields: &[&str], out: &mut Vec<ScanRow>) {
        for item in doc.map_range(ROOT, ..) {
            if !is_record_key(&item.key) {
                continue;
            }
            let automerge::ValueRef::Object(ObjType::Map) = item.value else {
                continue;
            };
            let mut values = vec![None; fields.len()];
            for field in doc.map_range(item.id(), ..) {
                if let Some(i) = fields.iter().position(|f| *f == field.key) {
                    values[i] = match field.value {
                        automerge::ValueRef::Scalar(s) => match s {
                            automerge::ScalarValueRef::Str(t) => Some(t.to_string()),
                            automerge::ScalarValueRef::Null => None,
                            other => Some(other.to_string()),
                        },
                        automerge::ValueRef::Object(_) => None,
                    };
                }
            }
            out.push(ScanRow { id: RecordId(item.key.to_string()), doc: doc_id.clone(), values });
        }
    }

    /// Fields of a record holding concurrent values after a merge.
    pub fn conflicts<R: Record>(&self, id: &RecordId) -> Result<Vec<FieldConflict>> {
        let Some(doc_id) = self.locate(R::COLLECTION, id) else {
            return Err(StoreError::NotFound { kind: kind_label(R::COLLECTION), id: id.to_string() });
        };
        let doc = &self.docs[&doc_id].doc;
        let mut out = Vec::new();
        let creations = doc.get_all(ROOT, id.as_str()).unwrap_or_default();
        if creations.len() > 1 {
            // Two peers creating one derived id alike (a walk-in logged on two
            // laptops) agree, as equal field values do: nothing to choose.
            let values = codec::read_all(doc, &ROOT, id.as_str());
            if values.windows(2).any(|w| w[0] != w[1]) {
                out.push(FieldConflict { field: String::new(), values, origins: Vec::new() });
            }
        }
        let obj = record_obj(doc, id.as_str()).expect("located above");
        let mut found = Vec::new();
        codec::conflicts_in(doc, &obj, "", &mut found);
        out.extend(found.into_iter().map(|(field, values)| FieldConflict { field, values, origins: Vec::new() }));
        Ok(out)
    }

    /// Settles a conflicted field by writing the chosen value over all of them.
    pub fn resolve_conflict<R: Record>(&mut self, id: &RecordId, field: &str, value: Json) -> Result<()> {
        let doc_id = self
            .locate(R::COLLECTION, id)
            .ok_or_else(|| StoreError::NotFound { kind: kind_label(R::COLLECTION), id: id.to_string() })?;
        let state = self.docs.get_mut(&doc_id).expect("located above");
        let mut obj = record_obj(&state.doc, id.as_str()).expect("located above");
        let path: Vec<&str> = field.split('.').collect();
        let (last, parents) =
            path.split_last().ok_or_else(|| StoreError::NotFound { kind: "字段", id: field.into() })?;
        for key in parents {
            obj = match state.doc.get(&obj, *key).map_err(am(&doc_id))? {
                Some((Value::Object(_), child)) => child,
                _ => return Err(StoreError::NotFound { kind: "字段", id: field.into() }),
            };
        }
        match &value {
            Json::Object(_) | Json::Array(_) => {
                state.doc.batch_create_object(&obj, *last, &codec::to_hydrate(&value), false).map_err(am(&doc_id))?;
            }
            scalar => {
                state.doc.put(&obj, *last, codec::to_scalar(scalar)).map_err(am(&doc_id))?;
            }
        }
        // The result must still decode as a valid record.
        let rec: R = self
            .get(id)?
            .ok_or_else(|| StoreError::NotFound { kind: kind_label(R::COLLECTION), id: id.to_string() })?;
        let problems = rec.validate();
        if has_errors(&problems) {
            self.docs.get_mut(&doc_id).expect("located above").doc.rollback();
            return Err(StoreError::Invalid(problems));
        }
        self.persist(std::slice::from_ref(&doc_id))?;
        // Written without the check: a name may have changed.
        self.read_names_again(&[doc_id]);
        Ok(())
    }

    /// Writes a record's private fields into its federation's private
    /// document; returns that document when something was written.
    fn write_private<R: Record>(
        &mut self,
        record_doc: &DocId,
        id: &str,
        private: serde_json::Map<String, Json>,
    ) -> Result<Option<DocId>> {
        if R::private_fields().is_empty() {
            return Ok(None);
        }
        let doc_id = DocId::new(&record_doc.federation(), Collection::Private, None);
        self.create_doc(&doc_id)?;
        let key = private_key::<R>(id);
        let state = self.docs.get_mut(&doc_id).expect("created above");
        match record_obj(&state.doc, &key) {
            Some(obj) => {
                let old = match codec::read_object(&state.doc, &obj, 0) {
                    Json::Object(m) => m,
                    _ => serde_json::Map::new(),
                };
                codec::update_map(&mut state.doc, &obj, &old, &private).map_err(am(&doc_id))?;
            }
            None => {
                state
                    .doc
                    .batch_create_object(ROOT, key.as_str(), &codec::to_hydrate(&Json::Object(private)), false)
                    .map_err(am(&doc_id))?;
            }
        }
        Ok(Some(doc_id))
    }

    /// Adds the private fields held for a record, when this node has them.
    fn merge_private<R: Record>(&self, record_doc: &DocId, id: &str, json: &mut Json) {
        if R::private_fields().is_empty() {
            return;
        }
        let doc_id = DocId::new(&record_doc.federation(), Collection::Private, None);
        let Some(state) = self.docs.get(&doc_id) else { return };
        if let (Some(obj), Json::Object(target)) = (record_obj(&state.doc, &private_key::<R>(id)), json) {
            if let Json::Object(fields) = codec::read_object(&state.doc, &obj, 0) {
                target.extend(fields);
            }
        }
    }

    /// Marks an organization exited, keeping the record (退出机制).
    pub fn exit_org(&mut self, id: &RecordId, date: chrono::NaiveDate, reason: &str) -> Result<Organization> {
        let mut org: Organization = self
            .get(id)?
            .ok_or_else(|| StoreError::NotFound { kind: kind_label(Collection::Orgs), id: id.to_string() })?;
        org.lifecycle = crate::domain::Lifecycle::Exited;
        org.exit_date = Some(date);
        org.exit_reason = reason.trim().to_string();
        self.update(&org)?;
        Ok(org)
    }

    /// Number of records in each collection (cheap: counts map keys).
    pub fn counts(&self) -> Vec<(Collection, usize)> {
        Collection::ALL
            .iter()
            .map(|c| {
                let n = self
                    .docs
                    .iter()
                    .filter(|(d, _)| d.collection() == *c)
                    .map(|(_, s)| s.doc.keys(ROOT).filter(|k| is_record_key(k)).count())
                    .sum();
                (*c, n)
            })
            .collect()
    }
}
