//! Records on the command line are named by id or by exact name.

use crate::domain::{validate::name_key, Collection, Organization, Person, Record, RecordId, Training, Venue};
use crate::store::Store;
use anyhow::{anyhow, bail, Result};

/// Finds a record by id, else by name (after folding white space and
/// full-width forms); several with one name is an error listing them.
fn by_id_or_name(store: &Store, collection: Collection, text: &str, what: &str) -> Result<RecordId> {
    let id = RecordId::from(text.trim());
    if store.locate(collection, &id).is_some() {
        return Ok(id);
    }
    let field = if collection == Collection::Trainings { "title" } else { "name" };
    let key = name_key(text);
    let matches: Vec<_> = store
        .scan(collection, &[field])
        .into_iter()
        .filter(|r| r.values[0].as_deref().is_some_and(|n| name_key(n) == key))
        .collect();
    match matches.len() {
        0 => bail!("找不到{what}「{}」 (no such record; give its id or exact name)", text.trim()),
        1 => Ok(matches[0].id.clone()),
        _ => bail!(
            "有{}个{what}名为「{}」,请用编号指定: {} (ambiguous name; use an id)",
            matches.len(),
            text.trim(),
            matches.iter().map(|m| m.id.to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn load<R: Record>(store: &Store, id: &RecordId) -> Result<R> {
    store.get::<R>(id)?.ok_or_else(|| anyhow!("找不到记录 {id} (no such record)"))
}

pub fn org(store: &Store, text: &str) -> Result<Organization> {
    load(store, &by_id_or_name(store, Collection::Orgs, text, "组织")?)
}

pub fn person(store: &Store, text: &str) -> Result<Person> {
    load(store, &by_id_or_name(store, Collection::People, text, "人员")?)
}

pub fn venue(store: &Store, text: &str) -> Result<Venue> {
    load(store, &by_id_or_name(store, Collection::Venues, text, "场地")?)
}

pub fn training(store: &Store, text: &str) -> Result<Training> {
    load(store, &by_id_or_name(store, Collection::Trainings, text, "培训")?)
}

/// A record that must exist, by id only (bookings, assignments).
pub fn by_id<R: Record>(store: &Store, text: &str) -> Result<R> {
    load(store, &RecordId::from(text.trim()))
}
