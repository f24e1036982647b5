//! `person forget`: removes a person's personal data from the current state
//! of every document this node holds (PIPL: deletion on request).
//!
//! Automerge keeps every change, so the old values stay in the history of
//! these documents here and on every peer that received them; compaction
//! (`save()`) keeps that history too. What changes is the current state,
//! which every peer adopts at its next sync. docs/RELIABILITY.md says this
//! to the user, and so does the command.

use super::records::{private_key, record_obj};
use super::{DocId, Result, Store, StoreError};
use crate::domain::{Collection, Federation, Person, Record, RecordId};
use automerge::{transaction::Transactable, ROOT};

/// What forgetting one person clears, field by field, per record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ForgetPlan {
    pub person: RecordId,
    /// The name the record keeps: a placeholder, so attendance and
    /// assignment statistics still add up without naming anyone.
    pub placeholder: String,
    pub cleared: Vec<ClearedRecord>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClearedRecord {
    pub doc: DocId,
    pub record: String,
    pub fields: Vec<&'static str>,
}

impl ForgetPlan {
    fn docs(&self) -> Vec<DocId> {
        let mut docs: Vec<DocId> = self.cleared.iter().map(|c| c.doc.clone()).collect();
        docs.sort();
        docs.dedup();
        docs
    }
}

impl Store {
    /// What `forget_person` would clear, without changing anything.
    pub fn forget_plan(&self, id: &RecordId) -> Result<ForgetPlan> {
        let person: Person =
            self.get(id)?.ok_or_else(|| StoreError::NotFound { kind: "人员", id: id.to_string() })?;
        let people_doc = self.locate(Collection::People, id).expect("found by get above");
        let placeholder = format!("已删除人员-{}", id.as_str().chars().take(6).collect::<String>());
        let mut cleared = vec![ClearedRecord { doc: people_doc.clone(), record: id.to_string(), fields: Vec::new() }];
        let person_fields = &mut cleared[0].fields;
        if person.name != placeholder {
            person_fields.push("name");
        }
        if !person.phone.is_empty() {
            person_fields.push("phone");
        }
        if !person.notes.is_empty() {
            person_fields.push("notes");
        }
        if person.social_worker_grade.is_some() {
            person_fields.push("social_worker_grade");
        }
        let private_doc = DocId::new(&people_doc.federation(), Collection::Private, None);
        if self
            .docs
            .get(&private_doc)
            .is_some_and(|s| record_obj(&s.doc, &private_key::<Person>(id.as_str())).is_some())
        {
            cleared.push(ClearedRecord {
                doc: private_doc,
                record: private_key::<Person>(id.as_str()),
                fields: vec!["party_member"],
            });
        }
        // An organization head or federation contact is the same person when
        // the phone matches, or the name matches within their organization:
        // a name alone may belong to someone else.
        let is_them = |name: &str, phone: &str, org: Option<&RecordId>| {
            (!person.phone.is_empty() && phone == person.phone)
                || (name == person.name && org.is_some() && org == person.organization.as_ref())
        };
        for row in self.scan(Collection::Orgs, &["head_name", "head_phone"]) {
            let name = row.values[0].clone().unwrap_or_default();
            let phone = row.values[1].clone().unwrap_or_default();
            if (!name.is_empty() || !phone.is_empty()) && is_them(&name, &phone, Some(&row.id)) {
                cleared.push(ClearedRecord {
                    doc: row.doc,
                    record: row.id.to_string(),
                    fields: vec!["head_name", "head_phone"],
                });
            }
        }
        for fed in self.all_readable::<Federation>().0 {
            if !fed.contact_phone.is_empty() && is_them(&fed.contact_name, &fed.contact_phone, None) {
                let doc = self.locate(Federation::COLLECTION, &fed.id).expect("listed above");
                cleared.push(ClearedRecord {
                    doc,
                    record: fed.id.to_string(),
                    fields: vec!["contact_name", "contact_phone"],
                });
            }
        }
        Ok(ForgetPlan { person: id.clone(), placeholder, cleared })
    }

    /// Clears the person's personal fields everywhere this node holds them,
    /// in one atomic write. The record stays (as a placeholder) so that
    /// attendance, hours and assignments keep adding up.
    pub fn forget_person(&mut self, id: &RecordId) -> Result<ForgetPlan> {
        let plan = self.forget_plan(id)?;
        for item in &plan.cleared {
            let am = |e: automerge::AutomergeError| StoreError::Automerge {
                doc: item.doc.to_string(),
                detail: e.to_string(),
            };
            let state = self.docs.get_mut(&item.doc).expect("planned from held documents");
            if item.doc.collection() == Collection::Private {
                state.doc.delete(ROOT, item.record.as_str()).map_err(am)?;
                continue;
            }
            let Some(obj) = record_obj(&state.doc, &item.record) else { continue };
            // The plan lists only fields that hold something.
            for field in &item.fields {
                match *field {
                    "name" => state.doc.put(&obj, "name", plan.placeholder.as_str()),
                    // An absent grade is how the record says "none".
                    "social_worker_grade" => state.doc.delete(&obj, "social_worker_grade"),
                    other => state.doc.put(&obj, other, ""),
                }
                .map_err(am)?;
            }
        }
        // No organization is renamed, so the name index stays valid.
        self.persist(&plan.docs())?;
        Ok(plan)
    }
}
