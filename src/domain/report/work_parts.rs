//! The work figures in parts (parts.rs says why): what one document's
//! organizations add (`OrgWork`) and what one document's activities add
//! (`ActivityWork`), each depending on its records and its context alone.
//! Names across the two (a lead organization's, a place's) are joined when
//! the parts are merged (`WorkFigures::from_parts`). Hours are added up per
//! document, then across documents: the same sums in another order (equal
//! to the last bit for whole and half hours).

use super::work::{ActivityTotals, HoursBy, QuietLine};
use super::FastMap;
use crate::domain::activity::{ActivityKind, MajorActivityRule};
use crate::domain::activity_query::{countable_hours, reports_due, ActivityRow, DueReport, TrainedPairs};
use crate::domain::enums::Lifecycle;
use crate::domain::ids::RecordId;
use crate::domain::ledger_report::{self, Ranked, TownshipGaps, YearFlow};
use crate::domain::records::Organization;
use crate::domain::EvaluationSettings;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeMap;

/// What an organization's part of the work figures depends on besides the organization.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkContext {
    pub as_of: NaiveDate,
    pub evaluation: EvaluationSettings,
    pub quiet_months: u32,
}

impl WorkContext {
    fn since(&self) -> NaiveDate {
        self.as_of.checked_sub_months(Months::new(self.quiet_months)).unwrap_or(self.as_of)
    }
}

/// What some organizations (one document's) add to the work figures.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgWork {
    /// Community (by division) and township (by code) names, the first the organizations give.
    pub(super) places: FastMap<String, String>,
    /// Active organizations founded before the quiet window: quiet unless an activity says otherwise.
    pub(super) quiet: Vec<QuietLine>,
    /// The latest years with an evaluation and with a checklist, up to the reporting year.
    pub(super) ranking_year: Option<i32>,
    pub(super) gaps_year: Option<i32>,
    pub(super) flows: Vec<YearFlow>,
    /// Computed for the years of all parts (`settle`).
    pub(super) ranking: Option<(i32, BTreeMap<String, Vec<Ranked>>)>,
    pub(super) gaps: Option<(i32, Vec<TownshipGaps>)>,
}

fn on_roster(o: &Organization, as_of: NaiveDate) -> bool {
    ledger_report::founded_by(o, as_of)
}

/// The latest of these years up to `year`.
fn latest<'a>(years: impl Iterator<Item = &'a String>, year: i32) -> Option<i32> {
    years.filter_map(|y| y.parse::<i32>().ok()).filter(|y| *y <= year).max()
}

impl OrgWork {
    pub fn of(orgs: &[Organization], ctx: &WorkContext) -> OrgWork {
        let (as_of, year) = (ctx.as_of, ctx.as_of.year());
        let since = ctx.since();
        let mut places: FastMap<String, String> = FastMap::default();
        let mut first = |key: &str, name: &str| {
            if !name.is_empty() && !places.contains_key(key) {
                places.insert(key.to_string(), name.to_string());
            }
        };
        for o in orgs {
            first(&o.division, &o.community);
            first(ledger_report::township_of(&o.division), &o.township);
        }
        let quiet = orgs
            .iter()
            .filter(|o| o.lifecycle == Lifecycle::Active && o.founded.is_none_or(|f| f <= since))
            .map(|o| QuietLine {
                id: o.id.clone(),
                name: o.name.clone(),
                division: o.division.clone(),
                township: o.township.clone(),
                last: None,
            })
            .collect();
        let roster = || orgs.iter().filter(move |o| on_roster(o, as_of));
        OrgWork {
            places,
            quiet,
            ranking_year: latest(roster().flat_map(|o| o.evaluations.keys()), year),
            gaps_year: latest(roster().flat_map(|o| o.standardization.keys()), year),
            flows: ledger_report::flows(orgs, year - 4, year),
            ranking: None,
            gaps: None,
        }
    }

    /// Brings the ranking and the gaps to the years of all parts
    /// (`WorkFigures::years`); `orgs` are those the part was computed from.
    /// Returns whether anything was settled again (the part may now differ).
    pub fn settle(
        &mut self,
        orgs: &[Organization],
        ctx: &WorkContext,
        ranking_year: Option<i32>,
        gaps_year: i32,
    ) -> bool {
        let mut again = false;
        if self.ranking.as_ref().map(|r| r.0) != ranking_year {
            let roster = orgs.iter().filter(|o| on_roster(o, ctx.as_of));
            self.ranking = ranking_year.map(|y| (y, ledger_report::ranking_by_township(roster, &ctx.evaluation, y)));
            again = true;
        }
        if self.gaps.as_ref().map(|g| g.0) != Some(gaps_year) {
            self.gaps = Some((gaps_year, ledger_report::standardization_gaps(orgs, gaps_year, ctx.as_of)));
            again = true;
        }
        again
    }
}

/// What an activity's part of the work figures depends on besides the activity.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityContext {
    pub as_of: NaiveDate,
    /// (training, person) sign-ins that credited hours.
    pub trained: TrainedPairs,
    pub rule: MajorActivityRule,
}

/// What some activities (one document's) add to the work figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActivityWork {
    pub(super) per_township: BTreeMap<String, ActivityTotals>,
    /// Activities and countable hours per group, in `HoursBy` order.
    pub(super) hours: [FastMap<String, (usize, f64)>; 4],
    pub(super) as_training: f64,
    /// Overdue first, then by due date (`reports_due`).
    pub(super) due: Vec<DueReport>,
    /// The latest activity up to the as-of date of each organization named.
    pub(super) last: FastMap<RecordId, NaiveDate>,
}

pub(super) const HOURS_BY: [HoursBy; 4] = [HoursBy::Township, HoursBy::Community, HoursBy::Kind, HoursBy::Organization];

impl ActivityWork {
    pub fn of(rows: &[ActivityRow], ctx: &ActivityContext) -> ActivityWork {
        let as_of = ctx.as_of;
        let year_start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of);
        let mut w = ActivityWork::default();
        for r in rows.iter().filter(|r| r.date <= as_of) {
            for o in &r.organizations {
                match w.last.get_mut(o) {
                    Some(d) => *d = (*d).max(r.date),
                    None => {
                        w.last.insert(o.clone(), r.date);
                    }
                }
            }
            if r.date < year_start {
                continue;
            }
            let counted = countable_hours(r, &ctx.trained);
            w.as_training += r.volunteer_hours() - counted;
            match w.per_township.get_mut(r.township()) {
                Some(t) => t.add(r, counted),
                None => {
                    let mut t = ActivityTotals::new(r.township());
                    t.add(r, counted);
                    w.per_township.insert(r.township().to_string(), t);
                }
            }
            let kind = crate::domain::Vocabulary::code(r.kind.unwrap_or(ActivityKind::Other));
            let lead = r.lead().map_or("", |o| o.as_str());
            for (map, key) in w.hours.iter_mut().zip([r.township(), r.community(), kind, lead]) {
                if !map.contains_key(key) {
                    map.insert(key.to_string(), (0, 0.0));
                }
                if let Some(e) = map.get_mut(key) {
                    e.0 += 1;
                    e.1 += counted;
                }
            }
        }
        w.due = reports_due(rows, &ctx.rule, as_of);
        w
    }

    /// The activities of several documents as one part: what
    /// `WorkFigures::from_parts` reads. Kept by the store while no activity
    /// part changes, so an organization edit does not merge them again.
    /// Sums are made part by part in document order, as a fresh merge makes
    /// them (never a kept total with a part taken out).
    pub fn merge(parts: &[&ActivityWork]) -> ActivityWork {
        let mut w = ActivityWork::default();
        let mut due: Vec<&DueReport> = Vec::with_capacity(parts.iter().map(|a| a.due.len()).sum());
        w.last.reserve(parts.iter().map(|a| a.last.len()).max().unwrap_or(0));
        for a in parts {
            for (code, t) in &a.per_township {
                match w.per_township.get_mut(code) {
                    Some(into) => into.merge(t),
                    None => {
                        let mut into = ActivityTotals::new(code);
                        into.merge(t);
                        w.per_township.insert(code.clone(), into);
                    }
                }
            }
            for (into, part) in w.hours.iter_mut().zip(&a.hours) {
                for (key, (n, h)) in part {
                    match into.get_mut(key) {
                        Some(e) => {
                            e.0 += n;
                            e.1 += h;
                        }
                        None => {
                            into.insert(key.clone(), (*n, 0.0 + h));
                        }
                    }
                }
            }
            w.as_training += a.as_training;
            due.extend(&a.due);
            for (o, d) in &a.last {
                match w.last.get_mut(o) {
                    Some(e) => *e = (*e).max(*d),
                    None => {
                        w.last.insert(o.clone(), *d);
                    }
                }
            }
        }
        // Each part is in order (`reports_due`): a stable sort of the runs
        // in document order is the order of one sort over all activities.
        due.sort_by(|a, b| (!a.overdue, a.due, &a.title).cmp(&(!b.overdue, b.due, &b.title)));
        w.due = due.into_iter().cloned().collect();
        w
    }
}
