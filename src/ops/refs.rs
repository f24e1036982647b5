//! Records named by id or by exact name, as a user types them.

use super::{OpError, OpResult};
use crate::domain::{validate::name_key, Collection, Organization, Person, Record, RecordId, Training, Venue};
use crate::store::Store;

/// A record as the user named it: its id, or its exact name (after folding
/// white space and full-width forms). A front end that knows the id passes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ref(pub String);

impl From<&RecordId> for Ref {
    fn from(id: &RecordId) -> Ref {
        Ref(id.to_string())
    }
}

impl From<&str> for Ref {
    fn from(text: &str) -> Ref {
        Ref(text.to_string())
    }
}

impl From<String> for Ref {
    fn from(text: String) -> Ref {
        Ref(text)
    }
}

/// The id of the record named; several with one name is an error listing them.
pub fn resolve(store: &Store, collection: Collection, r: &Ref) -> OpResult<RecordId> {
    let text = r.0.trim();
    let id = RecordId::from(text);
    if store.locate(collection, &id).is_some() {
        return Ok(id);
    }
    let field = if collection == Collection::Trainings { "title" } else { "name" };
    let key = name_key(text);
    let ids: Vec<RecordId> = store
        .scan(collection, &[field])
        .into_iter()
        .filter(|row| row.values[0].as_deref().is_some_and(|n| name_key(n) == key))
        .map(|row| row.id)
        .collect();
    match ids.len() {
        0 => Err(OpError::NotFound { kind: collection, query: text.to_string() }),
        1 => Ok(ids.into_iter().next().expect("one")),
        _ => Err(OpError::Ambiguous { kind: collection, query: text.to_string(), ids }),
    }
}

/// A record that must exist, by id.
pub fn load<R: Record>(store: &Store, id: &RecordId) -> OpResult<R> {
    store.get::<R>(id)?.ok_or_else(|| OpError::NotFound { kind: R::COLLECTION, query: id.to_string() })
}

/// A record by id only (bookings, assignments: they have no names).
pub fn by_id<R: Record>(store: &Store, r: &Ref) -> OpResult<R> {
    load(store, &RecordId::from(r.0.trim()))
}

pub fn org(store: &Store, r: &Ref) -> OpResult<Organization> {
    load(store, &resolve(store, Collection::Orgs, r)?)
}

pub fn person(store: &Store, r: &Ref) -> OpResult<Person> {
    load(store, &resolve(store, Collection::People, r)?)
}

pub fn venue(store: &Store, r: &Ref) -> OpResult<Venue> {
    load(store, &resolve(store, Collection::Venues, r)?)
}

pub fn training(store: &Store, r: &Ref) -> OpResult<Training> {
    load(store, &resolve(store, Collection::Trainings, r)?)
}
