//! The figures broken down per county and per township, for the bureau's
//! workbook: each area carries its own base and every count the totals have.

use super::activity::{attended_in, confirmed_between, session_dates, TrainingTotals, VenueTotals};
use super::base::{Base, Standing};
use super::coverage::Coverage;
use super::density::{CommunityDensity, Density};
use super::parts::{OrgFigures, OrgIndex, Shared};
use super::Counts;
use super::{FastMap, FastSet};
use crate::domain::divisions::county_name;
use crate::domain::divisions::township_of;
use crate::domain::enums::*;
use crate::domain::ids::RecordId;
use crate::domain::records::Organization;
use crate::domain::validate::county_of;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Area {
    /// `county` or `township`; the total has the federation's level.
    pub level: Level,
    /// 6-digit county or 9-digit township code; empty for the total.
    pub code: String,
    /// The name the records give it; the code when no record names it.
    pub name: String,
    /// The county's code (a county's own code for a county, empty for the total).
    pub county: String,
    pub base: Base,
    pub by_category: Counts<Category>,
    pub by_legal_status: Counts<LegalStatus>,
    pub coverage: Coverage,
    /// Assignments in force at the as-of date to surviving organizations here.
    pub assignments: usize,
    /// Distinct people holding them.
    pub liaisons: usize,
    /// Reporting-year attendance of people signed in for organizations here.
    pub training: TrainingTotals,
    /// Venues whose division is here, and their confirmed bookings in the reporting year.
    pub venues: VenueTotals,
    pub density: Density,
}

/// Items grouped under their county and their township code.
struct Buckets<'a, T> {
    by_code: FastMap<&'a str, Vec<T>>,
}

impl<'a, T: Copy> Buckets<'a, T> {
    fn new(items: impl Iterator<Item = (&'a str, T)>) -> Self {
        let mut by_code: FastMap<&'a str, Vec<T>> = FastMap::default();
        for (division, item) in items {
            // "" holds everything: the federation's total row.
            by_code.entry("").or_default().push(item);
            by_code.entry(county_of(division)).or_default().push(item);
            if let Some(t) = township_of(division) {
                by_code.entry(t).or_default().push(item);
            }
        }
        Buckets { by_code }
    }
    fn of(&self, code: &str) -> &[T] {
        self.by_code.get(code).map_or(&[], Vec::as_slice)
    }
}

/// What an area's organizations give it: summed over documents.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct AreaOrgs {
    base: Base,
    by_category: Counts<Category>,
    by_legal_status: Counts<LegalStatus>,
    coverage: Coverage,
}

impl AreaOrgs {
    pub(super) fn new() -> AreaOrgs {
        AreaOrgs {
            base: Base::default(),
            by_category: Counts::zero(),
            by_legal_status: Counts::zero(),
            coverage: Coverage::default(),
        }
    }

    pub(super) fn add(&mut self, o: &Organization, s: Standing, has_assignment: bool, as_of: NaiveDate) {
        self.base.count(o, s, as_of);
        if s.is_surviving() {
            self.by_category.add(o.category);
            self.by_legal_status.add(o.legal_status);
            self.coverage.add(o, has_assignment);
        }
    }

    fn merge(&mut self, other: &AreaOrgs) {
        self.base.merge(&other.base);
        self.by_category.merge(&other.by_category);
        self.by_legal_status.merge(&other.by_legal_status);
        self.coverage.merge(&other.coverage);
    }
}

pub(super) fn compute(
    s: &Shared,
    parts: &[&OrgFigures],
    index: &OrgIndex,
    communities: &[CommunityDensity],
    year_start: NaiveDate,
) -> (Area, Vec<Area>, Vec<Area>) {
    let as_of = s.as_of;
    let mut orgs: FastMap<&str, AreaOrgs> = FastMap::default();
    let mut county_codes: BTreeSet<&str> = BTreeSet::new();
    let mut township_names: BTreeMap<&str, FastMap<&str, usize>> = BTreeMap::new();
    for p in parts {
        for (code, a) in &p.areas {
            orgs.entry(code.as_str()).or_insert_with(AreaOrgs::new).merge(a);
        }
        county_codes.extend(p.counties.iter().map(String::as_str));
        for (code, names) in &p.townships {
            let into = township_names.entry(code.as_str()).or_default();
            for (name, n) in names {
                *into.entry(name.as_str()).or_default() += n;
            }
        }
    }
    let division_of = |id: &RecordId| index.get(id.as_str()).map(|o| o.division.as_str());
    let assignments = Buckets::new(
        s.liaisons
            .iter()
            .filter(|a| a.is_active_on(as_of) && index.surviving(&a.organization))
            .filter_map(|a| Some((division_of(&a.organization)?, a))),
    );
    let dates = session_dates(s.trainings);
    let attended = attended_in(s.attendance, &dates, year_start, as_of);
    let training_of: FastMap<&RecordId, &RecordId> =
        s.trainings.iter().flat_map(|t| t.sessions.keys().map(move |s| (s, &t.id))).collect();
    let attendance =
        Buckets::new(attended.into_iter().filter_map(|a| Some((division_of(a.organization.as_ref()?)?, a))));
    let venues = Buckets::new(s.venues.iter().map(|v| (v.division.as_str(), v)));
    let venue_division: FastMap<&RecordId, &str> = s.venues.iter().map(|v| (&v.id, v.division.as_str())).collect();
    let bookings = Buckets::new(
        confirmed_between(s.bookings, year_start, as_of).filter_map(|b| Some((*venue_division.get(&b.venue)?, b))),
    );
    let places = Buckets::new(communities.iter().map(|c| (c.code.as_str(), c)));
    let none = AreaOrgs::new();

    let area = |level: Level, code: &str, name: String| -> Area {
        let here = orgs.get(code).unwrap_or(&none);
        let held = assignments.of(code);
        let signed = attendance.of(code);
        let booked = bookings.of(code);
        Area {
            level,
            code: code.to_string(),
            name,
            county: if level == Level::Township { county_of(code).to_string() } else { code.to_string() },
            base: here.base.clone(),
            by_category: here.by_category.clone(),
            by_legal_status: here.by_legal_status.clone(),
            coverage: here.coverage.clone(),
            assignments: held.len(),
            liaisons: held.iter().map(|a| &a.person).collect::<FastSet<_>>().len(),
            training: TrainingTotals {
                trainings: signed.iter().filter_map(|a| training_of.get(&a.session)).collect::<FastSet<_>>().len(),
                sessions: signed.iter().map(|a| &a.session).collect::<FastSet<_>>().len(),
                attendances: signed.len(),
                people: signed.iter().map(|a| &a.person).collect::<FastSet<_>>().len(),
                hours: signed.iter().fold(0.0, |s, a| s + a.hours),
            },
            venues: VenueTotals {
                venues: venues.of(code).len(),
                bookings: booked.len(),
                hours: booked.iter().fold(0.0, |s, b| s + b.hours()),
            },
            density: Density::of(places.of(code).iter().copied()),
        }
    };

    let counties = county_codes
        .iter()
        .map(|code| {
            let name = county_name(code)
                .map(str::to_string)
                .or_else(|| s.federation.filter(|f| f.division == *code).map(|f| f.name.clone()))
                .unwrap_or_else(|| code.to_string());
            area(Level::County, code, name)
        })
        .collect();
    let townships = township_names
        .iter()
        .map(|(code, names)| {
            // The name most records give it; ties go to the first in order.
            let name = names
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map_or_else(|| code.to_string(), |(n, _)| n.to_string());
            area(Level::Township, code, name)
        })
        .collect();
    let total_level = s.federation.map_or(Level::Province, |f| f.level);
    let total = area(total_level, "", s.federation.map(|f| f.name.clone()).unwrap_or_default());
    (total, counties, townships)
}
