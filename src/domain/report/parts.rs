//! The report in parts: what one document's organizations add to it
//! (`OrgFigures`), kept by the store per document and merged, so that after
//! an edit only the changed document's part is computed again
//! (docs/PERFORMANCE.md, the report after a change). `Report::compute` is
//! the same merge over a single part holding every organization.
//!
//! A part depends on its organizations and on `OrgContext` alone; what
//! joins another collection to the organizations (an assignment's
//! organization's division, a lead organization's name) is looked up in an
//! `OrgIndex` when the parts are merged.

use super::areas::AreaOrgs;
use super::base::{standing, Base, Standing};
use super::coverage::{dispatched_orgs, Coverage};
use super::density::{self, CommunityDensity};
use super::FastMap;
use super::{Counts, OrgRef};
use crate::domain::divisions::township_of;
use crate::domain::enums::*;
use crate::domain::ids::RecordId;
use crate::domain::ledger_report::survives_on;
use crate::domain::records::*;
use crate::domain::validate::county_of;
use crate::domain::EvaluationSettings;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Everything but the organizations, borrowed, for one report at one date.
pub struct Shared<'a> {
    /// Names the federation's own division when the program knows no other name.
    pub federation: Option<&'a Federation>,
    pub people: &'a [Person],
    pub liaisons: &'a [LiaisonAssignment],
    pub venues: &'a [Venue],
    pub bookings: &'a [Booking],
    pub trainings: &'a [Training],
    pub attendance: &'a [Attendance],
    pub as_of: NaiveDate,
}

/// What an organization's part of the report depends on besides the
/// organization itself: a part is reused only while this is equal.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgContext {
    pub as_of: NaiveDate,
    pub evaluation: EvaluationSettings,
    /// Organizations with an assignment in force at the as-of date.
    pub assigned: HashSet<RecordId>,
}

impl OrgContext {
    pub fn of(liaisons: &[LiaisonAssignment], as_of: NaiveDate, evaluation: &EvaluationSettings) -> OrgContext {
        OrgContext { as_of, evaluation: evaluation.clone(), assigned: dispatched_orgs(liaisons, as_of) }
    }
}

/// What the joins across collections read of an organization (its name in
/// a liaison's list, its division for an area, its standing for a load):
/// `OrgIndex` hands out this and nothing else. Kept per document by the
/// store and compared by value, so that an edit to any other field leaves
/// every join as it was.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgJoin {
    pub id: RecordId,
    pub name: String,
    pub division: String,
    pub township: String,
    pub community: String,
    /// Off the roster at the as-of date (`ledger_report::survives_on`).
    pub exited: bool,
    /// Active or dormant at the as-of date (`Standing::is_surviving`).
    pub surviving: bool,
}

impl OrgJoin {
    /// What the joins read of these organizations at `as_of`, in their order.
    pub fn of(orgs: &[Organization], as_of: NaiveDate) -> Vec<OrgJoin> {
        orgs.iter()
            .map(|o| OrgJoin {
                id: o.id.clone(),
                name: o.name.clone(),
                division: o.division.clone(),
                township: o.township.clone(),
                community: o.community.clone(),
                exited: !survives_on(o, as_of),
                surviving: standing(o, as_of).is_surviving(),
            })
            .collect()
    }
}

/// Organizations by id, for the joins made when parts are merged. With two
/// records of one id (a move met an edit), lookups give the later one in
/// document order, and `exited` / `surviving` hold if either is.
pub struct OrgIndex<'a> {
    by_id: FastMap<&'a str, Indexed<'a>>,
}

#[derive(Clone, Copy)]
struct Indexed<'a> {
    org: &'a OrgJoin,
    exited: bool,
    surviving: bool,
}

impl<'a> OrgIndex<'a> {
    /// The index of these organizations' joins (`OrgJoin::of`), in document order.
    pub fn of(orgs: impl IntoIterator<Item = &'a OrgJoin>) -> OrgIndex<'a> {
        let orgs = orgs.into_iter();
        let mut by_id: FastMap<&'a str, Indexed<'a>> =
            FastMap::with_capacity_and_hasher(orgs.size_hint().0, Default::default());
        for o in orgs {
            let (exited, surviving) = (o.exited, o.surviving);
            let e = by_id.entry(o.id.as_str()).or_insert(Indexed { org: o, exited, surviving });
            e.org = o;
            e.exited |= exited;
            e.surviving |= surviving;
        }
        OrgIndex { by_id }
    }

    pub fn get(&self, id: &str) -> Option<&'a OrgJoin> {
        self.by_id.get(id).map(|e| e.org)
    }

    pub fn name(&self, id: &str) -> Option<&'a str> {
        self.get(id).map(|o| o.name.as_str())
    }

    /// Off the roster at the as-of date (`ledger_report::survives_on`).
    pub fn exited(&self, id: &RecordId) -> bool {
        self.by_id.get(id.as_str()).is_some_and(|e| e.exited)
    }

    /// Active or dormant at the as-of date (`Standing::is_surviving`).
    pub fn surviving(&self, id: &RecordId) -> bool {
        self.by_id.get(id.as_str()).is_some_and(|e| e.surviving)
    }
}

/// What some organizations (one document's) add to the report: counts to
/// sum, lists to merge in document order.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgFigures {
    pub(super) base: Base,
    pub(super) by_category: Counts<Category>,
    pub(super) by_legal_status: Counts<LegalStatus>,
    pub(super) coverage: Coverage,
    /// By division then name, as the report lists them.
    pub(super) uncovered: Vec<OrgRef>,
    pub(super) dispatched_unrecorded: Vec<OrgRef>,
    pub(super) evaluations: BTreeMap<String, Counts<EvalResult>>,
    pub(super) communities: BTreeMap<String, CommunityDensity>,
    /// The total (""), county and township codes the organizations count in.
    pub(super) areas: HashMap<String, AreaOrgs>,
    pub(super) counties: BTreeSet<String>,
    /// Township code → the township names the organizations give, counted.
    pub(super) townships: BTreeMap<String, BTreeMap<String, usize>>,
}

/// The report's order of listed organizations.
pub(super) fn by_place(a: &OrgRef, b: &OrgRef) -> std::cmp::Ordering {
    (&a.division, &a.name).cmp(&(&b.division, &b.name))
}

impl OrgFigures {
    pub fn of(orgs: &[Organization], ctx: &OrgContext) -> OrgFigures {
        let as_of = ctx.as_of;
        let standings: Vec<Standing> = orgs.iter().map(|o| standing(o, as_of)).collect();
        let mut f = OrgFigures {
            base: Base::of(orgs.iter().zip(standings.iter().copied()), as_of),
            by_category: Counts::zero(),
            by_legal_status: Counts::zero(),
            coverage: Coverage::default(),
            uncovered: Vec::new(),
            dispatched_unrecorded: Vec::new(),
            evaluations: BTreeMap::new(),
            communities: density::community_counts(orgs, &standings),
            areas: HashMap::new(),
            counties: BTreeSet::new(),
            townships: BTreeMap::new(),
        };
        for (o, &s) in orgs.iter().zip(&standings) {
            let has_assignment = ctx.assigned.contains(&o.id);
            if s.is_surviving() {
                f.by_category.add(o.category);
                f.by_legal_status.add(o.legal_status);
                let status = f.coverage.add(o, has_assignment);
                if !status.work {
                    f.uncovered.push(OrgRef::of(o));
                }
                if o.party_status == PartyStatus::Dispatched && !status.dispatched {
                    f.dispatched_unrecorded.push(OrgRef::of(o));
                }
            }
            if s != Standing::Later {
                for (y, e) in &o.evaluations {
                    if !f.evaluations.contains_key(y) {
                        f.evaluations.insert(y.clone(), Counts::zero());
                    }
                    if let Some(counts) = f.evaluations.get_mut(y) {
                        counts.add(e.effective_result(&ctx.evaluation));
                    }
                }
            }
            // The buckets areas::compute reads: the total, the county, the township.
            let county = county_of(&o.division);
            for code in ["", county].into_iter().chain(township_of(&o.division)) {
                match f.areas.get_mut(code) {
                    Some(a) => a.add(o, s, has_assignment, as_of),
                    None => {
                        let mut a = AreaOrgs::new();
                        a.add(o, s, has_assignment, as_of);
                        f.areas.insert(code.to_string(), a);
                    }
                }
            }
            if !f.counties.contains(county) {
                f.counties.insert(county.to_string());
            }
            if let Some(t) = township_of(&o.division) {
                let names = f.townships.entry(t.to_string()).or_default();
                if !o.township.trim().is_empty() {
                    *names.entry(o.township.trim().to_string()).or_default() += 1;
                }
            }
        }
        f.uncovered.sort_by(by_place);
        f.dispatched_unrecorded.sort_by(by_place);
        f
    }
}
