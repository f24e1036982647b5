//! Adding and editing any record, and resolving a field two people edited
//! at once. The front ends build the record from their input (a form, flags);
//! the rules every write obeys (validation, unique names, only changed
//! fields written) are the store's.

use super::{refs, warnings, Env, FieldError, OpError, OpResult, Ref};
use crate::domain::{Collection, Federation, Organization, Record};
use serde_json::Value as Json;

/// A new record (`new`) or an edited one (only fields that changed are written).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Save<R> {
    pub record: R,
    pub new: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Saved<R> {
    pub record: R,
    pub warnings: Vec<FieldError>,
}

pub fn save<R: Record>(env: &mut Env, cmd: Save<R>) -> OpResult<Saved<R>> {
    if let Some(org) = (&cmd.record as &dyn std::any::Any).downcast_ref::<Organization>() {
        super::orgs::check_numbers_free(env.store, org)?;
    }
    let problems = if cmd.new { env.store.insert(&cmd.record)? } else { env.store.update(&cmd.record)? };
    Ok(Saved { record: cmd.record, warnings: warnings(problems) })
}

pub fn add<R: Record>(env: &mut Env, record: R) -> OpResult<Saved<R>> {
    save(env, Save { record, new: true })
}

pub fn edit<R: Record>(env: &mut Env, record: R) -> OpResult<Saved<R>> {
    save(env, Save { record, new: false })
}

/// Creates this node's federation (once per data directory). Its id is
/// the self-certifying one derived from this device's node id, whatever id
/// the caller made up, so no peer can claim to have founded it
/// (docs/SYNC.md, authors list).
pub fn create_federation(env: &mut Env, mut fed: Federation) -> OpResult<Saved<Federation>> {
    fed.id = founding_id(env.store).unwrap_or(fed.id);
    let problems = env.store.init_federation(&fed)?;
    Ok(Saved { record: fed, warnings: warnings(problems) })
}

/// The id a federation founded on this device gets (none when the node has
/// no signing identity: then the caller's id stands).
pub(super) fn founding_id(store: &crate::store::Store) -> Option<crate::domain::RecordId> {
    store.signer().map(|s| crate::domain::RecordId(crate::sync::authorship::founded_id(&s.node)))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resolve {
    pub kind: Collection,
    pub record: Ref,
    /// Dotted path of the field ("name", "evaluations.2024.basic").
    pub field: String,
    /// The value kept: one of the conflicting values, or its text as typed.
    pub value: Json,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Resolved {
    pub record: crate::domain::RecordId,
    pub field: String,
    pub value: Json,
}

/// Keeps one of the values two peers wrote to a field at once.
pub fn resolve(env: &mut Env, cmd: Resolve) -> OpResult<Resolved> {
    let id = refs::resolve(env.store, cmd.kind, &cmd.record)?;
    let conflicts = super::conflicts::per_kind!(cmd.kind, |R| env.store.conflicts::<R>(&id)?);
    let Some(conflict) = conflicts.iter().find(|c| c.field == cmd.field) else {
        return Err(OpError::invalid(&cmd.field, "此字段没有冲突 (no conflict on that field)"));
    };
    // A typed value matches a conflicting one by its text.
    let typed = cmd.value.as_str();
    let Some(value) = conflict
        .values
        .iter()
        .find(|v| **v == cmd.value || typed.is_some_and(|t| v.as_str().unwrap_or(&v.to_string()) == t))
    else {
        return Err(OpError::invalid(
            &cmd.field,
            format!("{} 不是冲突值之一 (not one of the conflicting values)", cmd.value),
        ));
    };
    let value = value.clone();
    super::conflicts::per_kind!(cmd.kind, |R| env.store.resolve_conflict::<R>(&id, &cmd.field, value.clone())?);
    Ok(Resolved { record: id, field: cmd.field, value })
}
