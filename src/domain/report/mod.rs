//! The figures a federation is asked for (DOMAIN.md, "Reports"; each one is
//! defined in docs/REPORTS.md). Pure: the records and the as-of date come in
//! as data, a typed report comes out, and the front ends word it. Nothing
//! here reads a clock or picks a language.
//!
//! Every figure has a base: by default the organizations surviving at the
//! as-of date (active + dormant); exited ones are counted apart.

mod activity;
mod areas;
mod base;
mod coverage;
mod density;
mod parts;
pub mod work;
mod work_parts;

pub use activity::{
    booking_conflicts, CeProgress, Hours, LiaisonLoad, TrainingRate, TrainingTotals, VenueTotals, VenueUse,
};
pub use areas::Area;
pub use base::{standing, Base, Standing};
pub use coverage::{dispatched_orgs, Coverage, CoverageStatus};
pub use density::{CommunityDensity, Density};
pub use parts::{OrgContext, OrgFigures, OrgIndex, OrgJoin, Shared};
pub use work_parts::{ActivityContext, ActivityWork, OrgWork, WorkContext};

use super::enums::*;
use super::ids::RecordId;
use super::records::*;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Maps and sets keyed by record ids and division codes, which peers write:
/// foldhash, seeded at random for each map (no collisions can be aimed at
/// it), several times faster than the standard SipHash on these keys.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// All record kinds, borrowed, for one report at one date.
pub struct Inputs<'a> {
    /// Names the federation's own division when the program knows no other name.
    pub federation: Option<&'a Federation>,
    pub orgs: &'a [Organization],
    pub people: &'a [Person],
    pub liaisons: &'a [LiaisonAssignment],
    pub venues: &'a [Venue],
    pub bookings: &'a [Booking],
    pub trainings: &'a [Training],
    pub attendance: &'a [Attendance],
    /// The reporting date: every figure is as things stood at the end of it.
    pub as_of: NaiveDate,
    /// The federation's weights and cut-offs for evaluation results.
    pub evaluation: &'a crate::domain::EvaluationSettings,
}

/// A count for every value of a vocabulary, zeros included, so a figure
/// always has the same rows. Serialized as `{code: count}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Counts<K: Ord + Serialize>(pub BTreeMap<K, usize>);

impl<K: Vocabulary + Ord + Serialize> Counts<K> {
    pub fn zero() -> Self {
        Counts(K::all().iter().map(|k| (*k, 0)).collect())
    }
    pub fn add(&mut self, k: K) {
        *self.0.entry(k).or_default() += 1;
    }
    pub fn get(&self, k: K) -> usize {
        self.0.get(&k).copied().unwrap_or(0)
    }
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
    /// Adds another count's (of other records).
    pub fn merge(&mut self, other: &Counts<K>) {
        for (k, n) in &other.0 {
            *self.0.entry(*k).or_default() += n;
        }
    }
}

/// An organization named in a list (uncovered, to check).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrgRef {
    pub id: RecordId,
    pub name: String,
    pub division: String,
    pub township: String,
    pub community: String,
}

impl OrgRef {
    fn joined(o: &OrgJoin) -> OrgRef {
        OrgRef {
            id: o.id.clone(),
            name: o.name.clone(),
            division: o.division.clone(),
            township: o.township.clone(),
            community: o.community.clone(),
        }
    }

    fn of(o: &Organization) -> OrgRef {
        OrgRef {
            id: o.id.clone(),
            name: o.name.clone(),
            division: o.division.clone(),
            township: o.township.clone(),
            community: o.community.clone(),
        }
    }
}

/// `part / whole`, or None when there is nothing to divide by (shown as `—`).
pub fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}

/// A rate as a percentage, `—` when it has no base (never "NaN" or "-0.0%").
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{:.1}%", r * 100.0 + 0.0))
}

/// A number with one decimal, `—` when there is none.
pub fn decimal(value: Option<f64>) -> String {
    value.map_or_else(|| "—".into(), |v| format!("{:.1}", v + 0.0))
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub as_of: NaiveDate,
    /// The reporting year: the calendar year of `as_of`, up to `as_of`.
    pub year: i32,
    pub base: Base,
    /// Surviving organizations by category, legal status and lifecycle
    /// (`exited` in `by_lifecycle`: exited on or before the as-of date).
    pub by_category: Counts<Category>,
    pub by_legal_status: Counts<LegalStatus>,
    pub by_lifecycle: Counts<Lifecycle>,
    pub coverage: Coverage,
    /// Surviving organizations with neither Party-organization nor Party-work coverage.
    pub uncovered: Vec<OrgRef>,
    /// Surviving organizations recorded as `dispatched` with no active
    /// assignment at the as-of date: not counted as covered; record the
    /// assignment (`liaison assign`) or correct the status.
    pub dispatched_unrecorded: Vec<OrgRef>,
    /// Every area figure over all the records: the workbook's total row.
    pub total: Area,
    pub counties: Vec<Area>,
    pub townships: Vec<Area>,
    pub liaison_load: Vec<LiaisonLoad>,
    pub training: TrainingTotals,
    pub hours_per_person: Vec<Hours>,
    pub hours_per_org: Vec<Hours>,
    pub attendance_rates: Vec<TrainingRate>,
    pub continuing_education: Vec<CeProgress>,
    pub venue_use: Vec<VenueUse>,
    pub venues: VenueTotals,
    pub booking_conflicts: Vec<(RecordId, RecordId)>,
    /// Evaluation results per year, over organizations founded by the as-of date.
    pub evaluations: BTreeMap<String, Counts<EvalResult>>,
    pub density: Density,
    /// Communities below their own target (advisory: the target is an average).
    pub below_density: Vec<CommunityDensity>,
    /// Activities, volunteer hours, funds, evaluation ranking, honours, flows
    /// and standardization gaps: filled by `Store::report` from the activity
    /// rows and the ledger (empty, with `computed` false, from `Inputs` alone).
    /// Shared: a store keeps it while what it is merged from is equal, and
    /// hands it to the next report without a copy.
    pub work: std::sync::Arc<work::WorkFigures>,
}

impl<'a> Inputs<'a> {
    /// Everything but the organizations.
    pub fn shared(&self) -> Shared<'a> {
        Shared {
            federation: self.federation,
            people: self.people,
            liaisons: self.liaisons,
            venues: self.venues,
            bookings: self.bookings,
            trainings: self.trainings,
            attendance: self.attendance,
            as_of: self.as_of,
        }
    }
}

impl Report {
    /// The report over every organization at once: one part, merged.
    pub fn compute(i: &Inputs) -> Report {
        let part = OrgFigures::of(i.orgs, &OrgContext::of(i.liaisons, i.as_of, i.evaluation));
        let joins = OrgJoin::of(i.orgs, i.as_of);
        Report::from_parts(&i.shared(), &[&part], &OrgIndex::of(&joins))
    }

    /// The report from the organizations' parts (each computed with the
    /// `OrgContext` of these liaisons at this date), in document order, and
    /// an index of the same organizations.
    pub fn from_parts(s: &Shared, parts: &[&OrgFigures], index: &OrgIndex) -> Report {
        let as_of = s.as_of;
        let year_start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of);
        let mut base = Base::default();
        let mut by_category = Counts::zero();
        let mut by_legal_status = Counts::zero();
        let mut coverage = Coverage::default();
        let mut uncovered = Vec::new();
        let mut dispatched_unrecorded = Vec::new();
        let mut evaluations: BTreeMap<String, Counts<EvalResult>> = BTreeMap::new();
        let mut communities = BTreeMap::new();
        for p in parts {
            base.merge(&p.base);
            by_category.merge(&p.by_category);
            by_legal_status.merge(&p.by_legal_status);
            coverage.merge(&p.coverage);
            uncovered.extend(p.uncovered.iter().cloned());
            dispatched_unrecorded.extend(p.dispatched_unrecorded.iter().cloned());
            for (y, counts) in &p.evaluations {
                match evaluations.get_mut(y) {
                    Some(c) => c.merge(counts),
                    None => {
                        evaluations.insert(y.clone(), counts.clone());
                    }
                }
            }
            density::merge_communities(&mut communities, &p.communities);
        }
        // Each part is in order; a stable sort of the runs in document order
        // gives the order one sort of every organization gives.
        uncovered.sort_by(parts::by_place);
        dispatched_unrecorded.sort_by(parts::by_place);
        let mut by_lifecycle = Counts::zero();
        by_lifecycle.0.insert(Lifecycle::Active, base.active);
        by_lifecycle.0.insert(Lifecycle::Dormant, base.dormant);
        by_lifecycle.0.insert(Lifecycle::Exited, base.exited);

        let communities = density::finish_communities(communities, s.venues);
        let density = Density::of(communities.iter());
        let activity = activity::compute(s, index, year_start);
        let (total, counties, townships) = areas::compute(s, parts, index, &communities, year_start);
        let below_density = communities.into_iter().filter(|c| c.organizations < c.target).collect();

        Report {
            as_of,
            year: as_of.year(),
            base,
            by_category,
            by_legal_status,
            by_lifecycle,
            coverage,
            uncovered,
            dispatched_unrecorded,
            total,
            counties,
            townships,
            liaison_load: activity.liaison_load,
            training: activity.training,
            hours_per_person: activity.hours_per_person,
            hours_per_org: activity.hours_per_org,
            attendance_rates: activity.attendance_rates,
            continuing_education: activity.continuing_education,
            venue_use: activity.venue_use,
            venues: activity.venues,
            booking_conflicts: booking_conflicts(s.bookings),
            evaluations,
            density,
            below_density,
            work: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests;
