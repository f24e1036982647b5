//! Every user action, once. The command line and the terminal UI turn
//! their input into a typed command, call one function here, and turn the
//! typed outcome (or `OpError`) into text in the user's language. Nothing
//! here prints, formats a sentence, reads the wall clock or knows which
//! front end called it.
//!
//! The pattern, for a new action:
//!
//! ```text
//! pub struct Assign { ..input, references as `Ref`.. }        // the command
//! pub struct Assigned { ..what happened, records written.. }  // the outcome
//! pub fn assign(env: &mut Env, cmd: Assign) -> OpResult<Assigned>
//! ```
//!
//! - References are `Ref` (an id, or a name as the user typed it), resolved
//!   here with `refs`, so both front ends find records the same way.
//! - Input is checked with `Check`, so every bad field is reported at once
//!   and named (`OpError::Invalid`); a form marks them.
//! - "Now" comes from `env.clock` (tests use `FixedClock`).
//! - A rule that writes more than one record writes them in one
//!   `Store::atomically`: all or nothing.
//! - Warnings that do not block a save come back in the outcome as
//!   `FieldError`s.

pub mod activities;
pub mod backup;
pub mod bookings;
pub mod conflicts;
pub mod demo;
pub mod devices;
pub mod docs;
mod error;
pub mod evaluations;
pub mod export;
pub mod import;
pub mod liaisons;
pub mod network;
pub mod node;
pub mod orgs;
pub mod peers;
pub mod people;
pub mod projects;
pub mod records;
pub mod refs;
pub mod registration;
pub mod trainings;
mod unreadable;

pub use crate::clock::{Clock, FixedClock, SystemClock};
pub use error::{Check, FieldError, OpError, OpResult};
pub use refs::Ref;
pub use unreadable::Unreadable;

use crate::domain::Problem;
use crate::store::Store;
use chrono::NaiveDate;
use std::path::Path;

/// Told as a long action goes: (steps done, steps in all). A front end may
/// draw a bar from it; an action never prints.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// What an action runs in: the node's store (whose directory also holds
/// the node's files: identity, peers.json, invitations) and its clock.
pub struct Env<'a> {
    pub store: &'a mut Store,
    pub clock: &'a dyn Clock,
}

impl<'a> Env<'a> {
    pub fn new(store: &'a mut Store, clock: &'a dyn Clock) -> Env<'a> {
        Env { store, clock }
    }

    /// The node's data directory.
    pub fn dir(&self) -> &Path {
        self.store.dir()
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }
}

/// A save's warnings, as the outcome carries them.
pub(crate) fn warnings(problems: Vec<Problem>) -> Vec<FieldError> {
    problems.iter().map(|p| FieldError::new(p.field, &p.message)).collect()
}
