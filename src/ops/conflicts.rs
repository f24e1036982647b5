//! Conflicts to show a secretary: every conflicted record, and for one
//! record each value with the node or federation that wrote it and when
//! the writer's clock said. Resolving one goes through `records::resolve`.

use super::{Env, OpResult};
use crate::domain::{Collection, RecordId};
use crate::store::{FedName, FieldConflict, Store, Writer};
use crate::sync::authorship;
use crate::sync::NodeId;

/// Runs `$body` with `$t` the record type of collection `$kind`: every
/// collection a secretary can see conflicts in (registry, activities, work
/// reports, projects, honours, incubations). Organizations also hold each
/// year's evaluation, so an evaluation's conflict is an organization's field.
macro_rules! per_kind {
    ($kind:expr, |$t:ident| $body:expr) => {{
        use crate::domain::*;
        match $kind {
            Collection::People => {
                type $t = Person;
                $body
            }
            Collection::Venues => {
                type $t = Venue;
                $body
            }
            Collection::Trainings => {
                type $t = Training;
                $body
            }
            Collection::Bookings => {
                type $t = Booking;
                $body
            }
            Collection::Liaisons => {
                type $t = LiaisonAssignment;
                $body
            }
            Collection::Attendance => {
                type $t = Attendance;
                $body
            }
            Collection::Activities => {
                type $t = Activity;
                $body
            }
            Collection::WorkReports => {
                type $t = WorkReport;
                $body
            }
            Collection::Projects => {
                type $t = Project;
                $body
            }
            Collection::Honours => {
                type $t = Honour;
                $body
            }
            Collection::Incubations => {
                type $t = Incubation;
                $body
            }
            _ => {
                type $t = Organization;
                $body
            }
        }
    }};
}
pub(crate) use per_kind;

/// A record holding values two devices wrote at once.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordConflicts {
    pub kind: Collection,
    pub id: RecordId,
    /// The record's name as lists show it (empty if it cannot be read).
    pub title: String,
    /// Each field in conflict, each value named by its writer.
    pub conflicts: Vec<FieldConflict>,
}

/// Every record of every kind holding conflicting values, in document then
/// record order, each value named by its writer and its clock's time.
pub fn all(env: &mut Env) -> OpResult<Vec<RecordConflicts>> {
    let found = env.store.conflicted();
    // Who the writers are is read once (peers.json, every authors list), not per record.
    let mut names = None;
    let mut out = Vec::with_capacity(found.len());
    for c in found {
        let title = per_kind!(c.kind, |R| env.store.get::<R>(&c.id)?.map(|r| r.title())).unwrap_or_default();
        let conflicts = traced(env.store, &mut names, c.kind, &c.id)?;
        out.push(RecordConflicts { kind: c.kind, id: c.id, title, conflicts });
    }
    Ok(out)
}

/// One record's conflicts, each value named by its writer (`origins[i].by`).
pub fn of_record(env: &mut Env, kind: Collection, id: &RecordId) -> OpResult<Vec<FieldConflict>> {
    traced(env.store, &mut None, kind, id)
}

/// `names` is filled the first time a record has conflicts to name.
fn traced(
    store: &mut Store,
    names: &mut Option<Writers>,
    kind: Collection,
    id: &RecordId,
) -> OpResult<Vec<FieldConflict>> {
    let mut conflicts = per_kind!(kind, |R| store.conflicts::<R>(id)?);
    if conflicts.is_empty() {
        return Ok(conflicts);
    }
    store.trace_conflicts(kind, id, &mut conflicts)?;
    let names = names.get_or_insert_with(|| Writers::known_to(store));
    for o in conflicts.iter_mut().flat_map(|c| c.origins.iter_mut()) {
        o.by = names.name(&o.actor);
    }
    Ok(conflicts)
}

/// The nodes this node can name: itself, its peers, and the devices and
/// writers of every federation whose authors list it holds.
struct Writers {
    me: Option<NodeId>,
    /// (node, name as the peers list has it).
    peers: Vec<(NodeId, String, Option<String>)>,
    /// (node, federation id) from the authors lists.
    authors: Vec<(NodeId, String)>,
    /// Our federation's id and name.
    home: Option<(String, String)>,
}

impl Writers {
    fn known_to(store: &Store) -> Writers {
        let peers = crate::sync::trust::Peers::load(store.dir())
            .map(|p| p.peers.into_iter().map(|p| (p.node_id, p.name, p.home)).collect())
            .unwrap_or_default();
        let mut feds: Vec<String> = store.doc_ids(None).iter().map(|d| d.federation().to_string()).collect();
        feds.sort();
        feds.dedup();
        let authors = feds
            .iter()
            .filter_map(|fed| authorship::load(store, fed))
            .flat_map(|list| {
                let fed = list.fed.clone();
                list.members().into_iter().map(move |(node, _, _)| (node, fed.clone()))
            })
            .collect();
        let home = store.federation().map(|f| (f.id.to_string(), f.name));
        Writers { me: store.node_id(), peers, authors, home }
    }

    /// This device, a peer, a device of a federation, or an unknown node.
    fn name(&self, actor_hex: &str) -> Writer {
        let is = |node: &NodeId| actor_hex.starts_with(&hex::encode(&node.0[..16]));
        if self.me.as_ref().is_some_and(is) {
            return Writer::ThisDevice;
        }
        if let Some((_, name, _)) = self.peers.iter().find(|(n, _, _)| is(n)) {
            return Writer::Peer { name: name.clone() };
        }
        if let Some((node, fed)) = self.authors.iter().find(|(n, _)| is(n)) {
            let federation = match &self.home {
                Some((id, name)) if id == fed => FedName::Named(name.clone()),
                _ => self
                    .peers
                    .iter()
                    .find(|(_, _, home)| home.as_deref() == Some(fed))
                    .map_or_else(|| FedName::Id(fed.clone()), |(_, name, _)| FedName::Named(name.clone())),
            };
            return Writer::Device { federation, node: node.short() };
        }
        Writer::Unknown { actor: actor_hex.chars().take(7).collect() }
    }
}
