//! Demo data: one copy for both front ends (the UI's setup screen and
//! `hubsync demo`), with the compaction and vacuum a bulk load needs.

use super::{Env, OpError, OpResult};
use crate::domain::demo::DemoData;
use crate::store::Durability;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoadDemo {
    pub seed: u64,
    pub orgs: usize,
    /// The day the demo's dates sit around; the clock's today when absent.
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DemoLoaded {
    pub federation: String,
    pub orgs: usize,
    pub people: usize,
    pub venues: usize,
    pub trainings: usize,
    pub attendance: usize,
    pub activities: usize,
    pub work_reports: usize,
    /// Bytes of the database before and after the vacuum.
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// Fills an empty data directory with realistic demo data, compacts every
/// document and vacuums the database (a bulk load leaves sled several
/// times the data's size).
pub fn load(env: &mut Env, cmd: LoadDemo) -> OpResult<DemoLoaded> {
    if let Some(existing) = env.store.federation() {
        return Err(OpError::Store(crate::store::StoreError::AlreadyInitialized(existing.name)));
    }
    let mut d = DemoData::generate_on(cmd.seed, cmd.orgs, cmd.today.unwrap_or_else(|| env.today()));
    // Founded on this device like any other (ops::records::create_federation).
    if let Some(id) = super::records::founding_id(env.store) {
        d.federation.id = id;
    }
    env.store.set_durability(Durability::Deferred);
    let written = (|| {
        env.store.init_federation(&d.federation)?;
        // Chunks keep a province's load from holding every change at once.
        for chunk in d.orgs.chunks(5000) {
            env.store.insert_many(chunk)?;
        }
        env.store.insert_many(&d.people)?;
        env.store.insert_many(&d.liaisons)?;
        env.store.insert_many(&d.venues)?;
        env.store.insert_many(&d.bookings)?;
        env.store.insert_many(&d.trainings)?;
        env.store.insert_many(&d.attendance)?;
        env.store.insert_many(&d.activities)?;
        env.store.insert_many(&d.work_reports)?;
        env.store.insert_many(&d.projects)?;
        env.store.insert_many(&d.honours)?;
        env.store.insert_many(&d.incubations)?;
        env.store.compact_and_vacuum()
    })();
    env.store.set_durability(Durability::Flush);
    let (bytes_before, bytes_after) = written?;
    Ok(DemoLoaded {
        federation: d.federation.name,
        orgs: d.orgs.len(),
        people: d.people.len(),
        venues: d.venues.len(),
        trainings: d.trainings.len(),
        attendance: d.attendance.len(),
        activities: d.activities.len(),
        work_reports: d.work_reports.len(),
        bytes_before,
        bytes_after,
    })
}
