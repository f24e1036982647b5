//! The figures broken down per county and per township, for the bureau's
//! workbook: each area carries its own base and every count the totals have.

use super::activity::{attended_in, confirmed_between, session_dates, TrainingTotals, VenueTotals};
use super::base::{Base, Standing};
use super::coverage::Coverage;
use super::density::{CommunityDensity, Density};
use super::{Counts, Inputs};
use crate::domain::divisions::{county_name, township_of};
use crate::domain::enums::*;
use crate::domain::ids::RecordId;
use crate::domain::validate::county_of;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

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
    by_code: HashMap<&'a str, Vec<T>>,
}

impl<'a, T: Copy> Buckets<'a, T> {
    fn new(items: impl Iterator<Item = (&'a str, T)>) -> Self {
        let mut by_code: HashMap<&'a str, Vec<T>> = HashMap::new();
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

pub(super) fn compute(
    i: &Inputs,
    standings: &[Standing],
    assigned: &HashSet<RecordId>,
    communities: &[CommunityDensity],
    year_start: NaiveDate,
) -> (Area, Vec<Area>, Vec<Area>) {
    let as_of = i.as_of;
    // Whether each organization holds an assignment is looked up once, not
    // once for each of the three areas it is counted in.
    let orgs = Buckets::new(
        i.orgs.iter().zip(standings).map(|(o, s)| (o.division.as_str(), (o, *s, assigned.contains(&o.id)))),
    );
    let org_division: HashMap<&RecordId, &str> = i.orgs.iter().map(|o| (&o.id, o.division.as_str())).collect();
    let surviving: HashSet<&RecordId> =
        i.orgs.iter().zip(standings).filter(|(_, s)| s.is_surviving()).map(|(o, _)| &o.id).collect();
    let assignments = Buckets::new(
        i.liaisons
            .iter()
            .filter(|a| a.is_active_on(as_of) && surviving.contains(&a.organization))
            .filter_map(|a| Some((*org_division.get(&a.organization)?, a))),
    );
    let dates = session_dates(i.trainings);
    let attended = attended_in(i.attendance, &dates, year_start, as_of);
    let training_of: HashMap<&RecordId, &RecordId> =
        i.trainings.iter().flat_map(|t| t.sessions.keys().map(move |s| (s, &t.id))).collect();
    let attendance =
        Buckets::new(attended.into_iter().filter_map(|a| Some((*org_division.get(a.organization.as_ref()?)?, a))));
    let venues = Buckets::new(i.venues.iter().map(|v| (v.division.as_str(), v)));
    let venue_division: HashMap<&RecordId, &str> = i.venues.iter().map(|v| (&v.id, v.division.as_str())).collect();
    let bookings = Buckets::new(
        confirmed_between(i.bookings, year_start, as_of).filter_map(|b| Some((*venue_division.get(&b.venue)?, b))),
    );
    let places = Buckets::new(communities.iter().map(|c| (c.code.as_str(), c)));

    let area = |level: Level, code: &str, name: String| -> Area {
        let here = orgs.of(code);
        let mut by_category = Counts::zero();
        let mut by_legal_status = Counts::zero();
        let mut coverage = Coverage::default();
        for (o, _, has_assignment) in here.iter().filter(|(_, s, _)| s.is_surviving()) {
            by_category.add(o.category);
            by_legal_status.add(o.legal_status);
            coverage.add(o, *has_assignment);
        }
        let held = assignments.of(code);
        let signed = attendance.of(code);
        let booked = bookings.of(code);
        Area {
            level,
            code: code.to_string(),
            name,
            county: if level == Level::Township { county_of(code).to_string() } else { code.to_string() },
            base: Base::of(here.iter().map(|(o, s, _)| (*o, *s)), as_of),
            by_category,
            by_legal_status,
            coverage,
            assignments: held.len(),
            liaisons: held.iter().map(|a| &a.person).collect::<HashSet<_>>().len(),
            training: TrainingTotals {
                trainings: signed.iter().filter_map(|a| training_of.get(&a.session)).collect::<HashSet<_>>().len(),
                sessions: signed.iter().map(|a| &a.session).collect::<HashSet<_>>().len(),
                attendances: signed.len(),
                people: signed.iter().map(|a| &a.person).collect::<HashSet<_>>().len(),
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

    let mut county_codes: BTreeMap<&str, ()> = BTreeMap::new();
    let mut township_names: BTreeMap<&str, HashMap<&str, usize>> = BTreeMap::new();
    for o in i.orgs {
        county_codes.insert(county_of(&o.division), ());
        if let Some(t) = township_of(&o.division) {
            let names = township_names.entry(t).or_default();
            if !o.township.trim().is_empty() {
                *names.entry(o.township.trim()).or_default() += 1;
            }
        }
    }
    let counties = county_codes
        .keys()
        .map(|code| {
            let name = county_name(code)
                .map(str::to_string)
                .or_else(|| i.federation.filter(|f| f.division == *code).map(|f| f.name.clone()))
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
    let total_level = i.federation.map_or(Level::Province, |f| f.level);
    let total = area(total_level, "", i.federation.map(|f| f.name.clone()).unwrap_or_default());
    (total, counties, townships)
}
