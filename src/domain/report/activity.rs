//! Liaison load, trainings and venues at the as-of date.

use super::parts::{OrgIndex, Shared};
use super::ratio;
use super::{FastMap, FastSet};
use crate::domain::enums::*;
use crate::domain::ids::RecordId;
use crate::domain::records::*;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LiaisonLoad {
    pub person: RecordId,
    pub name: String,
    pub role: AssignmentRole,
    /// Organizations this person is assigned to at the as-of date (0: a
    /// person holding the role with no assignment in force).
    pub organizations: usize,
    /// Those organizations, by division then name.
    pub assigned: Vec<super::OrgRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hours {
    pub id: RecordId,
    pub name: String,
    pub hours: f64,
}

/// Attendance over the reporting year (sessions dated 1 January to the as-of date).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TrainingTotals {
    /// Trainings with a session in the period.
    pub trainings: usize,
    pub sessions: usize,
    /// Sign-ins with status attended.
    pub attendances: usize,
    /// Distinct people who attended.
    pub people: usize,
    /// Credited hours.
    pub hours: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrainingRate {
    pub id: RecordId,
    pub title: String,
    /// Registered + attended + no-show (cancelled ones are not expected).
    pub expected: usize,
    pub attended: usize,
    /// attended / expected.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CeProgress {
    pub person: RecordId,
    pub name: String,
    pub grade: SocialWorkerGrade,
    /// Hours credited from 1 January two years before the as-of year to the as-of date.
    pub hours: f64,
    pub required: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VenueUse {
    pub id: RecordId,
    pub venue: String,
    /// Confirmed bookings in the 30 days ending on the as-of date.
    pub confirmed_bookings: usize,
    pub booked_hours: f64,
    /// booked hours / (30 days × 8 h).
    pub utilization: f64,
}

/// Venues and their confirmed bookings over the reporting year.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct VenueTotals {
    pub venues: usize,
    pub bookings: usize,
    pub hours: f64,
}

pub(super) struct Activity {
    pub liaison_load: Vec<LiaisonLoad>,
    pub training: TrainingTotals,
    pub hours_per_person: Vec<Hours>,
    pub hours_per_org: Vec<Hours>,
    pub attendance_rates: Vec<TrainingRate>,
    pub continuing_education: Vec<CeProgress>,
    pub venue_use: Vec<VenueUse>,
    pub venues: VenueTotals,
}

/// The day an attendance counts on: its session's date, else its sign-in.
pub(super) fn session_dates(trainings: &[Training]) -> FastMap<&RecordId, NaiveDate> {
    trainings.iter().flat_map(|t| t.sessions.iter().map(|(id, s)| (id, s.date))).collect()
}

/// Attended sign-ins whose day falls in `from..=to`.
pub(super) fn attended_in<'a>(
    attendance: &'a [Attendance],
    dates: &FastMap<&RecordId, NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<&'a Attendance> {
    attendance
        .iter()
        .filter(|a| {
            let day = dates.get(&a.session).copied().or(a.signed_in.map(|t| t.date()));
            a.status == AttendanceStatus::Attended && day.is_some_and(|d| d >= from && d <= to)
        })
        .collect()
}

/// Confirmed bookings in `from..=to`.
pub(super) fn confirmed_between(
    bookings: &[Booking],
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = &Booking> {
    bookings.iter().filter(move |b| b.status == BookingStatus::Confirmed && b.date >= from && b.date <= to)
}

pub(super) fn compute(i: &Shared, index: &OrgIndex, year_start: NaiveDate) -> Activity {
    let as_of = i.as_of;
    let person_name: FastMap<&RecordId, &str> = i.people.iter().map(|p| (&p.id, p.name.as_str())).collect();
    let person_name = |id: &RecordId| person_name.get(id).copied();
    let org_name = |id: &RecordId| index.name(id.as_str());
    let name_of = |name: Option<&str>, id: &RecordId| name.map_or_else(|| id.to_string(), str::to_string);

    // An exit does not end an organization's assignments by itself; an
    // exited organization is no work for its liaison.
    let mut load: FastMap<(&RecordId, AssignmentRole), FastSet<&RecordId>> = FastMap::default();
    for a in i.liaisons.iter().filter(|a| a.is_active_on(as_of) && !index.exited(&a.organization)) {
        load.entry((&a.person, a.role)).or_default().insert(&a.organization);
    }
    // Someone holding the role with nothing assigned is the first to ask.
    for p in i.people {
        for (role, held) in [(AssignmentRole::Instructor, Role::Instructor), (AssignmentRole::Liaison, Role::Liaison)] {
            if p.roles.contains(&held) {
                load.entry((&p.id, role)).or_default();
            }
        }
    }
    let mut liaison_load: Vec<LiaisonLoad> = load
        .into_iter()
        .map(|((p, role), set)| {
            let mut assigned: Vec<super::OrgRef> = set
                .iter()
                .map(|id| match index.get(id.as_str()) {
                    Some(o) => super::OrgRef::joined(o),
                    // An organization this federation does not hold: named by its id.
                    None => super::OrgRef {
                        id: (*id).clone(),
                        name: id.to_string(),
                        division: String::new(),
                        township: String::new(),
                        community: String::new(),
                    },
                })
                .collect();
            assigned.sort_by(|a, b| (&a.division, &a.name).cmp(&(&b.division, &b.name)));
            LiaisonLoad {
                person: p.clone(),
                name: name_of(person_name(p), p),
                role,
                organizations: set.len(),
                assigned,
            }
        })
        .collect();
    // Ties end on the role and id, not on the hash map's order: two
    // computations over the same records must print the same report.
    liaison_load.sort_by(|a, b| {
        b.organizations
            .cmp(&a.organizations)
            .then(a.name.cmp(&b.name))
            .then(a.role.cmp(&b.role))
            .then(a.person.cmp(&b.person))
    });

    let dates = session_dates(i.trainings);
    let in_year = attended_in(i.attendance, &dates, year_start, as_of);
    let mut per_person: FastMap<&RecordId, f64> = FastMap::default();
    let mut per_org: FastMap<&RecordId, f64> = FastMap::default();
    for a in &in_year {
        *per_person.entry(&a.person).or_default() += a.hours;
        if let Some(o) = &a.organization {
            *per_org.entry(o).or_default() += a.hours;
        }
    }
    fn hours<'n>(m: &FastMap<&RecordId, f64>, names: impl Fn(&RecordId) -> Option<&'n str>) -> Vec<Hours> {
        let mut v: Vec<Hours> = m
            .iter()
            .map(|(id, h)| Hours {
                id: (*id).clone(),
                name: names(id).map_or_else(|| id.to_string(), str::to_string),
                hours: *h,
            })
            .collect();
        v.sort_by(|a, b| b.hours.total_cmp(&a.hours).then(a.name.cmp(&b.name)).then(a.id.cmp(&b.id)));
        v
    }
    let in_period = |d: NaiveDate| d >= year_start && d <= as_of;
    let trainings_in_year: Vec<&Training> =
        i.trainings.iter().filter(|t| t.sessions.values().any(|s| in_period(s.date))).collect();
    let training = TrainingTotals {
        trainings: trainings_in_year.len(),
        sessions: i.trainings.iter().flat_map(|t| t.sessions.values()).filter(|s| in_period(s.date)).count(),
        attendances: in_year.len(),
        people: in_year.iter().map(|a| &a.person).collect::<FastSet<_>>().len(),
        // Summed from +0.0: an empty f64 sum is -0.0, which prints as "-0.0".
        hours: in_year.iter().fold(0.0, |s, a| s + a.hours),
    };

    let mut attendance_rates: Vec<TrainingRate> = trainings_in_year
        .iter()
        .map(|t| {
            let mine: Vec<&Attendance> = i
                .attendance
                .iter()
                .filter(|a| a.training == t.id && dates.get(&a.session).is_some_and(|d| in_period(*d)))
                .collect();
            let count = |s: AttendanceStatus| mine.iter().filter(|a| a.status == s).count();
            let attended = count(AttendanceStatus::Attended);
            let expected = attended + count(AttendanceStatus::Registered) + count(AttendanceStatus::NoShow);
            TrainingRate {
                id: t.id.clone(),
                title: t.title.clone(),
                expected,
                attended,
                rate: ratio(attended as f64, expected as f64),
            }
        })
        .collect();
    attendance_rates.sort_by(|a, b| a.title.cmp(&b.title));

    // Continuing education: the three calendar years ending with the as-of year.
    let period_start = NaiveDate::from_ymd_opt(as_of.year() - 2, 1, 1).unwrap_or(year_start);
    let over_period = attended_in(i.attendance, &dates, period_start, as_of);
    let mut continuing_education: Vec<CeProgress> = i
        .people
        .iter()
        .filter_map(|p| {
            let grade = p.social_worker_grade?;
            let hours = over_period.iter().filter(|a| a.person == p.id).fold(0.0, |s, a| s + a.hours);
            Some(CeProgress {
                person: p.id.clone(),
                name: p.name.clone(),
                grade,
                hours,
                required: grade.required_hours(),
            })
        })
        .collect();
    continuing_education.sort_by(|a, b| (a.hours / a.required).total_cmp(&(b.hours / b.required)));

    let window_start = as_of - chrono::Duration::days(29);
    let mut venue_use: Vec<VenueUse> = i
        .venues
        .iter()
        .map(|v| {
            let booked: Vec<&Booking> =
                confirmed_between(i.bookings, window_start, as_of).filter(|b| b.venue == v.id).collect();
            let hours = booked.iter().fold(0.0, |s, b| s + b.hours());
            VenueUse {
                id: v.id.clone(),
                venue: v.name.clone(),
                confirmed_bookings: booked.len(),
                booked_hours: hours,
                utilization: hours / (30.0 * 8.0),
            }
        })
        .collect();
    venue_use.sort_by(|a, b| b.utilization.total_cmp(&a.utilization).then(a.venue.cmp(&b.venue)));
    let year_bookings: Vec<&Booking> = confirmed_between(i.bookings, year_start, as_of).collect();
    let venues = VenueTotals {
        venues: i.venues.len(),
        bookings: year_bookings.len(),
        hours: year_bookings.iter().fold(0.0, |s, b| s + b.hours()),
    };

    Activity {
        liaison_load,
        training,
        hours_per_person: hours(&per_person, person_name),
        hours_per_org: hours(&per_org, org_name),
        attendance_rates,
        continuing_education,
        venue_use,
        venues,
    }
}

/// Confirmed bookings of one venue that overlap in time, as id pairs
/// (sorted per venue and day, so each booking is compared only with its day).
pub fn booking_conflicts(bookings: &[Booking]) -> Vec<(RecordId, RecordId)> {
    use crate::domain::validate::minutes_of;
    let mut confirmed: Vec<&Booking> = bookings.iter().filter(|b| b.status == BookingStatus::Confirmed).collect();
    confirmed.sort_by(|a, b| (&a.venue, a.date, minutes_of(&a.start)).cmp(&(&b.venue, b.date, minutes_of(&b.start))));
    let mut out = Vec::new();
    for (k, a) in confirmed.iter().enumerate() {
        for b in &confirmed[k + 1..] {
            if b.venue != a.venue || b.date != a.date {
                break;
            }
            if a.overlaps(b) {
                out.push((a.id.clone(), b.id.clone()));
            }
        }
    }
    out
}
