//! Records on the command line are named by id or by exact name: the
//! lookup is `ops::refs`, shared with every front end.

use crate::domain::{Organization, Person, Training, Venue};
use crate::ops::{refs, Ref};
use crate::store::Store;
use anyhow::Result;

pub fn org(store: &Store, text: &str) -> Result<Organization> {
    Ok(refs::org(store, &Ref::from(text))?)
}

pub fn person(store: &Store, text: &str) -> Result<Person> {
    Ok(refs::person(store, &Ref::from(text))?)
}

pub fn venue(store: &Store, text: &str) -> Result<Venue> {
    Ok(refs::venue(store, &Ref::from(text))?)
}

pub fn training(store: &Store, text: &str) -> Result<Training> {
    Ok(refs::training(store, &Ref::from(text))?)
}
