//! Activities and their reports (活动、重大活动报告、向"两委"报告工作、志愿服务时长):
//! log an activity, edit it, log its participants, report a major activity
//! and record that it was taken note of, work reports and their review,
//! the major-activity rule, one person's service certificate.

use super::{refs, warnings, Check, Env, FieldError, OpError, OpResult, Ref};
use crate::domain::activity_query::{service_history, ServiceEntry};
use crate::domain::{
    validate, Activity, ActivityError, ActivityKind, Collection, Committee, MajorActivityRule, MajorReason, Period,
    Person, RecordId, ReportChannel, ReviewResult, Role, TargetGroup, WorkReport,
};
use chrono::NaiveDate;
use std::collections::BTreeMap;

impl From<ActivityError> for OpError {
    fn from(e: ActivityError) -> OpError {
        let field = match &e {
            ActivityError::NotMajor(_) => "major",
            ActivityError::NotReported(_) | ActivityError::AlreadyAcknowledged(_) => "report_status",
            ActivityError::Missing("评议人", _) => "reviewed_by",
            ActivityError::Missing(..) => "reported_to",
            ActivityError::TooManyHours(..) | ActivityError::NegativeHours => "participants",
            ActivityError::BadPeriod(_) => "period",
        };
        OpError::invalid(field, e)
    }
}

/// What an activity says about itself; the same for adding and editing.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ActivityFields {
    /// The organizing organizations, the lead first.
    pub organizations: Vec<Ref>,
    pub date: Option<NaiveDate>,
    /// HH:MM as typed (09:00, 9点, 0900).
    pub start: Option<String>,
    pub end: Option<String>,
    pub title: Option<String>,
    pub kind: Option<ActivityKind>,
    pub targets: Option<Vec<TargetGroup>>,
    pub venue: Option<Ref>,
    pub place: Option<String>,
    pub headcount: Option<u32>,
    pub beneficiaries: Option<u32>,
    pub outside_community: Option<bool>,
    pub fundraising: Option<bool>,
    pub outside_speakers: Option<bool>,
    /// The user's decision; none: follow the rule's suggestion (when adding).
    pub major: Option<bool>,
    pub training: Option<Ref>,
    pub notes: Option<String>,
    /// Files to reference: path and the SHA-256 of their bytes.
    pub attachments: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActivitySaved {
    pub activity: Activity,
    /// Why the federation's rule thinks it is major (empty: it does not).
    pub suggested: Vec<MajorReason>,
    pub warnings: Vec<FieldError>,
}

fn apply(env: &Env, a: &mut Activity, f: ActivityFields, check: &mut Check) -> OpResult<()> {
    if !f.organizations.is_empty() {
        let mut ids = Vec::new();
        for (i, r) in f.organizations.iter().enumerate() {
            let org = refs::org(env.store, r)?;
            if i == 0 {
                a.division = org.division.clone();
            }
            if !ids.contains(&org.id) {
                ids.push(org.id);
            }
        }
        a.organizations = ids;
    }
    if let Some(d) = f.date {
        a.date = d;
    }
    if let Some(t) = f.start {
        a.start = if t.trim().is_empty() { None } else { check.take("start", validate::parse_time(&t)) };
    }
    if let Some(t) = f.end {
        a.end = if t.trim().is_empty() { None } else { check.take("end", validate::parse_time(&t)) };
    }
    if let Some(t) = f.title {
        a.title = t.trim().to_string();
    }
    if let Some(k) = f.kind {
        a.kind = k;
    }
    if let Some(t) = f.targets {
        a.targets = t;
    }
    if let Some(v) = f.venue {
        a.venue = if v.0.trim().is_empty() { None } else { Some(refs::venue(env.store, &v)?.id) };
    }
    if let Some(p) = f.place {
        a.place = p.trim().to_string();
    }
    if f.headcount.is_some() {
        a.headcount = f.headcount;
    }
    if f.beneficiaries.is_some() {
        a.beneficiaries = f.beneficiaries;
    }
    a.outside_community = f.outside_community.unwrap_or(a.outside_community);
    a.fundraising = f.fundraising.unwrap_or(a.fundraising);
    a.outside_speakers = f.outside_speakers.unwrap_or(a.outside_speakers);
    if let Some(t) = f.training {
        a.training = if t.0.trim().is_empty() { None } else { Some(refs::training(env.store, &t)?.id) };
    }
    if let Some(n) = f.notes {
        a.notes = n.trim().to_string();
    }
    for (path, sum) in f.attachments {
        let sum = sum.trim().to_lowercase();
        a.attachments.insert(sum, path.trim().to_string());
    }
    if let Some(m) = f.major {
        a.set_major(m);
    }
    Ok(())
}

/// Logs a new activity. Unless the user decided, the federation's rule
/// decides whether it is major (and its report due).
pub fn add(env: &mut Env, f: ActivityFields) -> OpResult<ActivitySaved> {
    let (a, suggested) = build(env, f)?;
    let problems = env.store.insert(&a)?;
    Ok(ActivitySaved { activity: a, suggested, warnings: warnings(problems) })
}

/// A new activity as `add` would write it, not written yet.
fn build(env: &mut Env, f: ActivityFields) -> OpResult<(Activity, Vec<MajorReason>)> {
    let mut check = Check::default();
    if f.organizations.is_empty() {
        check.fail("organizations", "请填写组织 (an activity needs an organization)");
    }
    if f.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        check.fail("title", "请填写活动名称 (title is required)");
    }
    if f.kind.is_none() {
        check.fail("kind", "请选择活动类型 (choose a type)");
    }
    check.done()?;
    let decided = f.major;
    let date = f.date.unwrap_or_else(|| env.today());
    let mut a = Activity::new(RecordId::default(), "", date, "", ActivityKind::Other);
    a.id = RecordId::random();
    a.organizations.clear();
    let mut check = Check::default();
    apply(env, &mut a, f, &mut check)?;
    check.done()?;
    let rule = env.store.major_rule();
    let suggested = rule.reasons(&a);
    if decided.is_none() {
        a.set_major(!suggested.is_empty());
    }
    a.booking = booking_for(env, &a);
    Ok((a, suggested))
}

/// The booking an activity at a venue was held under: the one live booking
/// of that venue on its date by one of its organizations (none when there
/// is none, or several to choose from).
fn booking_for(env: &Env, a: &Activity) -> Option<RecordId> {
    let venue = a.venue.as_ref()?;
    let bookings: Vec<crate::domain::Booking> = env.store.all_readable().0;
    let mut matching = bookings.into_iter().filter(|b| {
        &b.venue == venue
            && b.date == a.date
            && b.status != crate::domain::BookingStatus::Cancelled
            && b.organization.as_ref().is_some_and(|o| a.organizations.contains(o))
    });
    match (matching.next(), matching.next()) {
        (Some(one), None) => Some(one.id),
        _ => None,
    }
}

/// The quick entry of a trainer in the field: a new activity and its named
/// participants (unknown names become volunteers of the lead organization)
/// in one atomic write, so a refused participant leaves no activity behind
/// to be entered twice.
pub fn add_with_participants(
    env: &mut Env,
    f: ActivityFields,
    participants: Vec<Participant>,
) -> OpResult<(ActivitySaved, ParticipantsLogged)> {
    let (mut a, suggested) = build(env, f)?;
    let (created, entries) = participants_of(env, &a, &participants, true)?;
    let pairs: Vec<(RecordId, f64)> = entries.iter().map(|(id, _, h)| (id.clone(), *h)).collect();
    a.log_participants(&pairs)?;
    let problems = env.store.atomically(|s| -> crate::store::Result<Vec<crate::domain::Problem>> {
        for c in &created {
            s.insert(c)?;
        }
        s.insert(&a)
    })?;
    let logged =
        ParticipantsLogged { activity: a.clone(), added: entries, updated: Vec::new(), created_people: created };
    Ok((ActivitySaved { activity: a, suggested, warnings: warnings(problems) }, logged))
}

/// Changes the given fields; the others stay as stored (so a peer's edit of
/// another field is kept).
pub fn edit(env: &mut Env, id: &RecordId, f: ActivityFields) -> OpResult<ActivitySaved> {
    let mut a: Activity = refs::load(env.store, id)?;
    let mut check = Check::default();
    apply(env, &mut a, f, &mut check)?;
    check.done()?;
    let suggested = env.store.major_rule().reasons(&a);
    let problems = env.store.update(&a)?;
    Ok(ActivitySaved { activity: a, suggested, warnings: warnings(problems) })
}

/// One named participant as typed: a person (id or exact name) and the
/// volunteer hours to credit (none: the activity's length, or 0 when its
/// times are unknown).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Participant {
    pub person: Ref,
    pub hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogParticipants {
    pub activity: RecordId,
    pub participants: Vec<Participant>,
    /// Add people not on record yet as volunteers of the lead organization
    /// (a trainer logging on a laptop in the field).
    pub create_missing: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParticipantsLogged {
    pub activity: Activity,
    /// (person, name, hours) newly logged.
    pub added: Vec<(RecordId, String, f64)>,
    /// Already logged: their hours updated.
    pub updated: Vec<(RecordId, String, f64)>,
    pub created_people: Vec<Person>,
}

/// Logs named participants with their hours. The activity's participants
/// are a map keyed by person, so logging someone twice (here or on another
/// laptop) updates one entry. All or nothing: new people and the activity
/// are written in one atomic write.
pub fn log_participants(env: &mut Env, cmd: LogParticipants) -> OpResult<ParticipantsLogged> {
    let mut a: Activity = refs::load(env.store, &cmd.activity)?;
    let (created, entries) = participants_of(env, &a, &cmd.participants, cmd.create_missing)?;
    let pairs: Vec<(RecordId, f64)> = entries.iter().map(|(id, _, h)| (id.clone(), *h)).collect();
    let before = a.participants.clone();
    a.log_participants(&pairs)?;
    let activity = a.clone();
    env.store.atomically(|s| -> crate::store::Result<()> {
        for c in &created {
            s.insert(c)?;
        }
        s.update(&activity)?;
        Ok(())
    })?;
    let (updated, added): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(id, _, _)| before.contains_key(id));
    Ok(ParticipantsLogged { activity: a, added, updated, created_people: created })
}

/// People not on record yet (to create) and (person, name, hours) of each
/// participant of `a`, nothing written.
type NewAndLogged = (Vec<Person>, Vec<(RecordId, String, f64)>);

fn participants_of(
    env: &Env,
    a: &Activity,
    participants: &[Participant],
    create_missing: bool,
) -> OpResult<NewAndLogged> {
    let default_hours = a.hours().unwrap_or(0.0);
    let mut created: Vec<Person> = Vec::new();
    let mut entries: Vec<(RecordId, String, f64)> = Vec::new();
    for p in participants {
        let hours = p.hours.unwrap_or(default_hours);
        let person = match refs::person(env.store, &p.person) {
            Ok(person) => person,
            Err(OpError::NotFound { .. }) if create_missing && !p.person.0.trim().is_empty() => {
                match created.iter().find(|c| validate::name_key(&c.name) == validate::name_key(&p.person.0)) {
                    Some(c) => c.clone(),
                    None => {
                        let mut c = Person::new(&p.person.0);
                        c.id = RecordId::walk_in(&a.id, &validate::name_key(&p.person.0));
                        c.roles = vec![Role::Volunteer];
                        c.organization = a.lead().cloned();
                        created.push(c.clone());
                        c
                    }
                }
            }
            Err(e) => return Err(e),
        };
        entries.push((person.id, person.name, hours));
    }
    Ok((created, entries))
}

/// Removes named participants (logged by mistake).
pub fn remove_participants(env: &mut Env, activity: &RecordId, people: &[Ref]) -> OpResult<Activity> {
    let mut a: Activity = refs::load(env.store, activity)?;
    for p in people {
        let id = refs::resolve(env.store, Collection::People, p)?;
        if a.participants.remove(&id).is_none() {
            return Err(OpError::invalid(
                "participants",
                format!("{} 不在活动「{}」的参与者中 (not a participant)", p.0, a.title),
            ));
        }
    }
    env.store.update(&a)?;
    Ok(a)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReportMajor {
    pub activity: RecordId,
    pub to: String,
    /// None: today.
    pub on: Option<NaiveDate>,
    pub via: ReportChannel,
}

/// 应报告 → 已报告.
pub fn report_major(env: &mut Env, cmd: ReportMajor) -> OpResult<Activity> {
    let mut a: Activity = refs::load(env.store, &cmd.activity)?;
    let on = cmd.on.unwrap_or_else(|| env.today());
    a.record_report(&cmd.to, on, cmd.via)?;
    env.store.update(&a)?;
    Ok(a)
}

/// 已报告 → 已知悉.
pub fn acknowledge(env: &mut Env, activity: &RecordId, by: &str, on: Option<NaiveDate>) -> OpResult<Activity> {
    let mut a: Activity = refs::load(env.store, activity)?;
    let on = on.unwrap_or_else(|| env.today());
    a.acknowledge(by, on)?;
    env.store.update(&a)?;
    Ok(a)
}

/// Saves the federation's major-activity rule (a setting shared with the
/// federation's documents).
pub fn set_rule(env: &mut Env, rule: MajorActivityRule) -> OpResult<MajorActivityRule> {
    let rule = MajorActivityRule { id: RecordId::from(MajorActivityRule::ID), ..rule };
    env.store.set_major_rule(&rule)?;
    Ok(rule)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AddWorkReport {
    pub org: Ref,
    /// As typed: 2025, 2025-H1, 2025年上半年, 2025-Q3 …
    pub period: String,
    /// None: today.
    pub reported_on: Option<NaiveDate>,
    /// Empty: both the township and the community committees.
    pub committees: Vec<Committee>,
    pub reported_to: String,
    pub summary: String,
}

pub fn add_work_report(env: &mut Env, cmd: AddWorkReport) -> OpResult<WorkReport> {
    let org = refs::org(env.store, &cmd.org)?;
    let period = Period::parse(&cmd.period)?;
    let mut r = WorkReport::new(org.id, &org.division, period, cmd.reported_on.unwrap_or_else(|| env.today()));
    if !cmd.committees.is_empty() {
        r.committees = cmd.committees;
    }
    r.reported_to = cmd.reported_to.trim().to_string();
    r.summary = cmd.summary.trim().to_string();
    env.store.insert(&r)?;
    Ok(r)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Review {
    pub report: RecordId,
    pub result: ReviewResult,
    pub on: Option<NaiveDate>,
    pub by: String,
    pub notes: String,
}

/// The committees' and residents' review (评议) of a work report.
pub fn review(env: &mut Env, cmd: Review) -> OpResult<WorkReport> {
    let mut r: WorkReport = refs::load(env.store, &cmd.report)?;
    r.record_review(cmd.result, cmd.on.unwrap_or_else(|| env.today()), &cmd.by, &cmd.notes)?;
    env.store.update(&r)?;
    Ok(r)
}

/// A volunteer-service certificate (志愿服务证明): one person's service, by
/// activity, with the organizations' names.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Certificate {
    pub person: RecordId,
    pub name: String,
    pub federation: String,
    pub period: Option<String>,
    pub issued_on: NaiveDate,
    pub entries: Vec<CertificateLine>,
    pub total_hours: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CertificateLine {
    pub date: NaiveDate,
    pub title: String,
    pub kind: Option<ActivityKind>,
    pub organization: String,
    pub hours: f64,
}

pub fn certificate(env: &mut Env, person: &Ref, period: Option<&str>) -> OpResult<Certificate> {
    let p = refs::person(env.store, person)?;
    let period = period.map(Period::parse).transpose()?;
    let rows = env.store.activity_rows();
    let history: Vec<ServiceEntry> = service_history(&rows, &p.id, period);
    let mut names: BTreeMap<RecordId, String> = BTreeMap::new();
    let mut entries = Vec::new();
    for e in history {
        let organization = match &e.organization {
            Some(id) => names
                .entry(id.clone())
                .or_insert_with(|| {
                    env.store.get::<crate::domain::Organization>(id).ok().flatten().map(|o| o.name).unwrap_or_default()
                })
                .clone(),
            None => String::new(),
        };
        entries.push(CertificateLine { date: e.date, title: e.title, kind: e.kind, organization, hours: e.hours });
    }
    let total_hours = entries.iter().fold(0.0, |a, e| a + e.hours);
    Ok(Certificate {
        person: p.id,
        name: p.name,
        federation: env.store.federation().map(|f| f.name).unwrap_or_default(),
        period: period.map(|p| p.to_string()),
        issued_on: env.today(),
        entries,
        total_hours,
    })
}

/// Which activities or work reports to take out: one organization (as lead
/// or partner), a division prefix, a period; all when nothing is given.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Selection {
    pub org: Option<Ref>,
    /// A county, township or community code prefix.
    pub division: Option<String>,
    /// As typed: 2025, 2025-H1, 2025年上半年, 2025-Q3, 2025-07.
    pub period: Option<String>,
}

struct Resolved {
    org: Option<RecordId>,
    division: Option<String>,
    period: Option<Period>,
}

fn resolve_selection(env: &Env, s: &Selection) -> OpResult<Resolved> {
    let org = s.org.as_ref().map(|r| refs::resolve(env.store, Collection::Orgs, r)).transpose()?;
    let division = s.division.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_string);
    if let Some(d) = &division {
        if !d.chars().all(|c| c.is_ascii_digit()) {
            return Err(OpError::invalid(
                "division",
                format!("区划代码 '{d}' 应为数字 (division code must be digits)"),
            ));
        }
    }
    let period = s.period.as_deref().map(Period::parse).transpose()?;
    Ok(Resolved { org, division, period })
}

/// The selected activities, whole, oldest first. Rows are filtered first so
/// only the activities taken out are read in full.
pub fn select_activities(env: &mut Env, s: &Selection) -> OpResult<Vec<Activity>> {
    let r = resolve_selection(env, s)?;
    let rows = env.store.activity_rows();
    let mut ids: Vec<(NaiveDate, RecordId)> = rows
        .iter()
        .filter(|a| r.org.as_ref().is_none_or(|o| a.organizations.contains(o)))
        .filter(|a| r.division.as_deref().is_none_or(|d| a.division.starts_with(d)))
        .filter(|a| r.period.is_none_or(|p| p.contains(a.date)))
        .map(|a| (a.date, a.id.clone()))
        .collect();
    ids.sort();
    let mut out = Vec::with_capacity(ids.len());
    for (_, id) in ids {
        if let Some(a) = env.store.get::<Activity>(&id)? {
            out.push(a);
        }
    }
    Ok(out)
}

/// The selected work reports: those whose period overlaps the one asked for.
pub fn select_work_reports(env: &mut Env, s: &Selection) -> OpResult<Vec<WorkReport>> {
    let r = resolve_selection(env, s)?;
    let (all, _) = env.store.all_readable::<WorkReport>();
    let mut out: Vec<WorkReport> = all
        .into_iter()
        .filter(|w| r.org.as_ref().is_none_or(|o| &w.organization == o))
        .filter(|w| r.division.as_deref().is_none_or(|d| w.division.starts_with(d)))
        .filter(|w| {
            r.period.is_none_or(|p| w.period.first_day() <= p.last_day() && p.first_day() <= w.period.last_day())
        })
        .collect();
    out.sort_by_key(|a| (a.period, a.reported_on));
    Ok(out)
}
