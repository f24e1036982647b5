//! The figures a federation is asked for (DOMAIN.md, "Reports").

use super::enums::*;
use super::ids::RecordId;
use super::records::*;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// All record kinds, borrowed, for one report.
pub struct Inputs<'a> {
    pub orgs: &'a [Organization],
    pub people: &'a [Person],
    pub liaisons: &'a [LiaisonAssignment],
    pub venues: &'a [Venue],
    pub bookings: &'a [Booking],
    pub trainings: &'a [Training],
    pub attendance: &'a [Attendance],
    pub today: NaiveDate,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Count {
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Coverage {
    pub active: usize,
    pub own: usize,
    pub joint: usize,
    /// Dispatched instructor/liaison, by status or by an active assignment.
    pub dispatched: usize,
    pub covered: usize,
    /// covered / active, 0–1.
    pub rate: f64,
    /// Active organizations with no coverage at all: (id, name, community).
    pub uncovered: Vec<(RecordId, String, String)>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LiaisonLoad {
    pub person: String,
    pub role: String,
    pub organizations: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hours {
    pub name: String,
    pub hours: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrainingRate {
    pub title: String,
    pub registered: usize,
    pub attended: usize,
    /// attended / (registered + attended + no-show), 0–1.
    pub rate: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CeProgress {
    pub person: String,
    pub grade: String,
    pub hours: f64,
    pub required: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VenueUse {
    pub venue: String,
    pub confirmed_bookings: usize,
    pub booked_hours: f64,
    /// booked hours / (8 h × days in the last 30), 0–1: a day's opening is taken as 8 hours.
    pub utilization: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Density {
    pub community: String,
    pub urban: bool,
    pub organizations: usize,
    pub target: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub total: usize,
    pub by_category: Vec<Count>,
    pub by_legal_status: Vec<Count>,
    pub by_lifecycle: Vec<Count>,
    pub by_county: Vec<Count>,
    pub by_township: Vec<Count>,
    pub coverage: Coverage,
    pub liaison_load: Vec<LiaisonLoad>,
    pub hours_per_person: Vec<Hours>,
    pub hours_per_org: Vec<Hours>,
    pub attendance_rates: Vec<TrainingRate>,
    pub continuing_education: Vec<CeProgress>,
    pub venue_use: Vec<VenueUse>,
    pub booking_conflicts: Vec<(RecordId, RecordId)>,
    pub evaluations: BTreeMap<String, Vec<Count>>,
    pub below_density: Vec<Density>,
}

fn count_by<K: Ord + Clone>(items: impl Iterator<Item = K>, label: impl Fn(&K) -> String) -> Vec<Count> {
    let mut map: BTreeMap<K, usize> = BTreeMap::new();
    for k in items {
        *map.entry(k).or_default() += 1;
    }
    map.iter().map(|(k, n)| Count { label: label(k), count: *n }).collect()
}

/// Confirmed bookings of one venue that overlap in time, as id pairs
/// (sorted per venue and day, so each booking is compared only with its day).
pub fn booking_conflicts(bookings: &[Booking]) -> Vec<(RecordId, RecordId)> {
    let mut confirmed: Vec<&Booking> = bookings.iter().filter(|b| b.status == BookingStatus::Confirmed).collect();
    confirmed.sort_by(|a, b| {
        (&a.venue, a.date, super::validate::minutes_of(&a.start)).cmp(&(
            &b.venue,
            b.date,
            super::validate::minutes_of(&b.start),
        ))
    });
    let mut out = Vec::new();
    for (i, a) in confirmed.iter().enumerate() {
        for b in &confirmed[i + 1..] {
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

impl Report {
    pub fn compute(i: &Inputs, lang: Lang) -> Report {
        let orgs = i.orgs;
        let active: Vec<&Organization> = orgs.iter().filter(|o| o.lifecycle == Lifecycle::Active).collect();
        let assigned_now: HashSet<&RecordId> =
            i.liaisons.iter().filter(|a| a.is_active_on(i.today)).map(|a| &a.organization).collect();
        let (mut own, mut joint, mut dispatched) = (0, 0, 0);
        let mut uncovered = Vec::new();
        for o in &active {
            match o.party_status {
                PartyStatus::Own => own += 1,
                PartyStatus::Joint => joint += 1,
                PartyStatus::Dispatched => dispatched += 1,
                PartyStatus::Uncovered if assigned_now.contains(&o.id) => dispatched += 1,
                PartyStatus::Uncovered => uncovered.push((o.id.clone(), o.name.clone(), o.community.clone())),
            }
        }
        uncovered.sort_by(|a, b| (&a.2, &a.1).cmp(&(&b.2, &b.1)));
        let covered = own + joint + dispatched;
        let coverage = Coverage {
            active: active.len(),
            own,
            joint,
            dispatched,
            covered,
            rate: if active.is_empty() { 0.0 } else { covered as f64 / active.len() as f64 },
            uncovered,
        };

        let person_name: HashMap<&RecordId, &str> = i.people.iter().map(|p| (&p.id, p.name.as_str())).collect();
        let org_name: HashMap<&RecordId, &str> = orgs.iter().map(|o| (&o.id, o.name.as_str())).collect();
        let mut load: HashMap<(&RecordId, AssignmentRole), HashSet<&RecordId>> = HashMap::new();
        for a in i.liaisons.iter().filter(|a| a.is_active_on(i.today)) {
            load.entry((&a.person, a.role)).or_default().insert(&a.organization);
        }
        let mut liaison_load: Vec<LiaisonLoad> = load
            .into_iter()
            .map(|((p, role), set)| LiaisonLoad {
                person: person_name.get(p).map_or_else(|| p.to_string(), |n| n.to_string()),
                role: role.label(lang).into(),
                organizations: set.len(),
            })
            .collect();
        liaison_load.sort_by(|a, b| b.organizations.cmp(&a.organizations).then(a.person.cmp(&b.person)));

        let attended: Vec<&Attendance> =
            i.attendance.iter().filter(|a| a.status == AttendanceStatus::Attended).collect();
        let mut per_person: HashMap<&RecordId, f64> = HashMap::new();
        let mut per_org: HashMap<&RecordId, f64> = HashMap::new();
        for a in &attended {
            *per_person.entry(&a.person).or_default() += a.hours;
            if let Some(o) = &a.organization {
                *per_org.entry(o).or_default() += a.hours;
            }
        }
        let hours = |m: &HashMap<&RecordId, f64>, names: &HashMap<&RecordId, &str>| {
            let mut v: Vec<Hours> = m
                .iter()
                .map(|(id, h)| Hours {
                    name: names.get(id).map_or_else(|| id.to_string(), |n| n.to_string()),
                    hours: *h,
                })
                .collect();
            v.sort_by(|a, b| b.hours.total_cmp(&a.hours).then(a.name.cmp(&b.name)));
            v
        };
        let hours_per_person = hours(&per_person, &person_name);
        let hours_per_org = hours(&per_org, &org_name);

        let mut attendance_rates: Vec<TrainingRate> = i
            .trainings
            .iter()
            .map(|t| {
                let mine: Vec<&Attendance> = i.attendance.iter().filter(|a| a.training == t.id).collect();
                let count = |s: AttendanceStatus| mine.iter().filter(|a| a.status == s).count();
                let (reg, att, no) = (
                    count(AttendanceStatus::Registered),
                    count(AttendanceStatus::Attended),
                    count(AttendanceStatus::NoShow),
                );
                let denominator = reg + att + no;
                TrainingRate {
                    title: t.title.clone(),
                    registered: denominator,
                    attended: att,
                    rate: if denominator == 0 { 0.0 } else { att as f64 / denominator as f64 },
                }
            })
            .collect();
        attendance_rates.sort_by(|a, b| a.title.cmp(&b.title));

        // Continuing education over the current three-year period.
        let period_start = NaiveDate::from_ymd_opt(i.today.year_ce().1 as i32 - 2, 1, 1).unwrap_or(i.today);
        let mut continuing_education: Vec<CeProgress> = i
            .people
            .iter()
            .filter_map(|p| {
                let grade = p.social_worker_grade?;
                let hours: f64 = attended
                    .iter()
                    .filter(|a| a.person == p.id && a.signed_in.is_none_or(|t| t.date() >= period_start))
                    .map(|a| a.hours)
                    .sum();
                Some(CeProgress {
                    person: p.name.clone(),
                    grade: grade.label(lang).into(),
                    hours,
                    required: grade.required_hours(),
                })
            })
            .collect();
        continuing_education.sort_by(|a, b| (a.hours / a.required).total_cmp(&(b.hours / b.required)));

        let window_start = i.today - chrono::Duration::days(30);
        let mut venue_use: Vec<VenueUse> = i
            .venues
            .iter()
            .map(|v| {
                let booked: Vec<&Booking> = i
                    .bookings
                    .iter()
                    .filter(|b| {
                        b.venue == v.id
                            && b.status == BookingStatus::Confirmed
                            && b.date > window_start
                            && b.date <= i.today
                    })
                    .collect();
                let hours: f64 = booked.iter().map(|b| b.hours()).sum();
                VenueUse {
                    venue: v.name.clone(),
                    confirmed_bookings: booked.len(),
                    booked_hours: hours,
                    utilization: hours / (30.0 * 8.0),
                }
            })
            .collect();
        venue_use.sort_by(|a, b| b.utilization.total_cmp(&a.utilization));

        let mut evaluations: BTreeMap<String, Vec<Count>> = BTreeMap::new();
        let years: HashSet<&String> = orgs.iter().flat_map(|o| o.evaluations.keys()).collect();
        for y in years {
            let results = orgs.iter().filter_map(|o| o.evaluations.get(y)).map(|e| e.effective_result());
            evaluations.insert(y.clone(), count_by(results, |r| r.label(lang).to_string()));
        }

        let mut per_community: BTreeMap<&str, (usize, String)> = BTreeMap::new();
        for o in active.iter().filter(|o| o.division.len() == 12) {
            let e = per_community.entry(&o.division).or_insert((0, o.community.clone()));
            e.0 += 1;
        }
        let below_density = per_community
            .into_iter()
            .filter_map(|(code, (n, name))| {
                // Village part 001–199 is an urban community (社区), 200–399 a village (村).
                let urban = code[9..12].parse::<u32>().map_or(true, |v| v < 200);
                let target = if urban { 10 } else { 5 };
                (n < target).then(|| Density {
                    community: if name.is_empty() { code.to_string() } else { name },
                    urban,
                    organizations: n,
                    target,
                })
            })
            .collect();

        Report {
            total: orgs.len(),
            by_category: count_by(orgs.iter().map(|o| o.category), |c| c.label(lang).into()),
            by_legal_status: count_by(orgs.iter().map(|o| o.legal_status), |c| c.label(lang).into()),
            by_lifecycle: count_by(orgs.iter().map(|o| o.lifecycle), |c| c.label(lang).into()),
            by_county: count_by(orgs.iter().map(|o| super::validate::county_of(&o.division).to_string()), |c| {
                c.clone()
            }),
            by_township: count_by(
                orgs.iter().map(|o| {
                    if o.township.is_empty() {
                        o.division.get(..9).unwrap_or(&o.division).to_string()
                    } else {
                        o.township.clone()
                    }
                }),
                |c| c.clone(),
            ),
            coverage,
            liaison_load,
            hours_per_person,
            hours_per_org,
            attendance_rates,
            continuing_education,
            venue_use,
            booking_conflicts: booking_conflicts(i.bookings),
            evaluations,
            below_density,
        }
    }
}

use chrono::Datelike;
