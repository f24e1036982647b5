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
    load_with_progress(env, cmd, &mut |_, _| {})
}

/// `load`, telling `progress` (records written, records in all) as it goes;
/// the compaction at the end is the last step.
pub fn load_with_progress(env: &mut Env, cmd: LoadDemo, progress: super::Progress) -> OpResult<DemoLoaded> {
    if let Some(existing) = env.store.federation() {
        return Err(OpError::Store(crate::store::StoreError::AlreadyInitialized(existing.name)));
    }
    let mut d = DemoData::generate_on(cmd.seed, cmd.orgs, cmd.today.unwrap_or_else(|| env.today()));
    // Founded on this device like any other (ops::records::create_federation).
    if let Some(id) = super::records::founding_id(env.store) {
        d.federation.id = id;
    }
    env.store.set_durability(Durability::Deferred);
    let rest = d.people.len()
        + d.liaisons.len()
        + d.venues.len()
        + d.bookings.len()
        + d.trainings.len()
        + d.attendance.len()
        + d.activities.len()
        + d.work_reports.len()
        + d.projects.len()
        + d.honours.len()
        + d.incubations.len();
    // The compaction counts as one more step.
    let total = d.orgs.len() + rest + 1;
    let mut done = 0;
    let mut step = |n: usize| {
        done += n;
        progress(done, total);
    };
    let written = (|| -> crate::store::Result<(u64, u64)> {
        env.store.init_federation(&d.federation)?;
        // Chunks keep a province's load from holding every change at once,
        // and let the bar move.
        for chunk in d.orgs.chunks(1000) {
            env.store.insert_many(chunk)?;
            step(chunk.len());
        }
        env.store.insert_many(&d.people)?;
        step(d.people.len());
        env.store.insert_many(&d.liaisons)?;
        step(d.liaisons.len());
        env.store.insert_many(&d.venues)?;
        step(d.venues.len());
        env.store.insert_many(&d.bookings)?;
        step(d.bookings.len());
        env.store.insert_many(&d.trainings)?;
        step(d.trainings.len());
        env.store.insert_many(&d.attendance)?;
        step(d.attendance.len());
        env.store.insert_many(&d.activities)?;
        step(d.activities.len());
        env.store.insert_many(&d.work_reports)?;
        step(d.work_reports.len());
        env.store.insert_many(&d.projects)?;
        step(d.projects.len());
        env.store.insert_many(&d.honours)?;
        step(d.honours.len());
        env.store.insert_many(&d.incubations)?;
        step(d.incubations.len());
        let sizes = env.store.compact_and_vacuum()?;
        step(1);
        Ok(sizes)
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
