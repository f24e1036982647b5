//! Trainings, their sessions and attendance (培训、课次、签到).

use super::{refs, warnings, Check, Env, FieldError, OpResult, Ref};
use crate::domain::{validate, Attendance, AttendanceStatus, Person, RecordId, Session};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AddSession {
    pub training: Ref,
    pub date: NaiveDate,
    /// HH:MM, as typed (normalized here).
    pub start: String,
    pub end: String,
    /// Where the session is held (id or name); none: the training's venue.
    #[serde(default)]
    pub venue: Option<Ref>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SessionAdded {
    pub training: RecordId,
    pub title: String,
    pub session_id: RecordId,
    pub session: Session,
    pub warnings: Vec<FieldError>,
}

pub fn add_session(env: &mut Env, cmd: AddSession) -> OpResult<SessionAdded> {
    let mut training = refs::training(env.store, &cmd.training)?;
    let mut check = Check::default();
    let start = check.take("start", validate::parse_time(&cmd.start));
    let end = check.take("end", validate::parse_time(&cmd.end));
    check.done()?;
    let venue = cmd.venue.as_ref().map(|v| refs::venue(env.store, v)).transpose()?.map(|v| v.id);
    let session = Session { date: cmd.date, start: start.unwrap_or_default(), end: end.unwrap_or_default(), venue };
    let session_id = RecordId::random();
    training.sessions.insert(session_id.clone(), session.clone());
    let problems = env.store.update(&training)?;
    Ok(SessionAdded { training: training.id, title: training.title, session_id, session, warnings: warnings(problems) })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SignIn {
    pub training: Ref,
    pub session: RecordId,
    pub person: Ref,
    /// Hours credited; the session's length when not given, and at most that.
    pub hours: Option<f64>,
    /// The organization credited; the person's own when not given.
    pub org: Option<Ref>,
    /// Change the hours or organization of someone already signed in. Without
    /// it a second sign-in is refused, saying when the first one was: a
    /// repeat at the door must never pass for a new arrival.
    #[serde(default)]
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SignedIn {
    pub attendance: Attendance,
    pub person_name: String,
    pub title: String,
    /// The person had a record for this session already (registered, or
    /// signed in and corrected with `correct`); that record was updated.
    pub again: bool,
    pub warnings: Vec<FieldError>,
}

/// Signs a person in to a session at the clock's time. A registered person
/// is marked attended; someone already signed in is refused (the record
/// keeps the first time) unless the command corrects it.
pub fn sign_in(env: &mut Env, cmd: SignIn) -> OpResult<SignedIn> {
    let training = refs::training(env.store, &cmd.training)?;
    let Some(session) = training.sessions.get(&cmd.session) else {
        return Err(super::OpError::invalid(
            "session",
            format!("培训「{}」没有课次 {} (no such session)", training.title, cmd.session),
        ));
    };
    let person = refs::person(env.store, &cmd.person)?;
    let max = session.hours();
    let hours = cmd.hours.unwrap_or(max);
    let mut check = Check::default();
    if hours > max + 1e-9 {
        check.fail("hours", format!("认定学时 {hours} 超过课次时长 {max:.1} (hours exceed the session's length)"));
    }
    if hours < 0.0 {
        check.fail("hours", format!("认定学时 {hours} 不能为负 (hours cannot be negative)"));
    }
    check.done()?;
    let organization = match &cmd.org {
        Some(r) => Some(refs::org(env.store, r)?.id),
        None => person.organization.clone(),
    };
    let mut attendance = Attendance {
        id: RecordId::attendance(&cmd.session, &person.id),
        training: training.id.clone(),
        session: cmd.session,
        person: person.id.clone(),
        organization,
        status: AttendanceStatus::Attended,
        signed_in: Some(env.clock.now()),
        hours,
    };
    let existing = env.store.get::<Attendance>(&attendance.id)?;
    if let Some(first) = existing.as_ref().filter(|a| a.status == AttendanceStatus::Attended && !cmd.correct) {
        let at = first.signed_in.map_or(String::new(), |t| format!("于 {} ", t.format("%Y-%m-%d %H:%M")));
        let at_en = first.signed_in.map_or(String::new(), |t| format!(" at {}", t.format("%Y-%m-%d %H:%M")));
        return Err(super::OpError::invalid(
            "person",
            format!(
                "「{}」已{at}签到培训「{}」的课次 {},未重复签到 (already signed in{at_en}; not signed in twice; to change the hours or organization, correct it)",
                person.name, training.title, attendance.session
            ),
        ));
    }
    if let Some(first) = existing.as_ref().filter(|a| a.status == AttendanceStatus::Attended) {
        // A correction keeps the time of the first sign-in.
        attendance.signed_in = first.signed_in.or(attendance.signed_in);
    }
    let again = existing.is_some();
    let problems = if again { env.store.update(&attendance)? } else { env.store.insert(&attendance)? };
    Ok(SignedIn { attendance, person_name: person.name, title: training.title, again, warnings: warnings(problems) })
}

/// Someone not on the roster who came to a session (a walk-in): the person
/// as entered at the door (name; organization and phone optional).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WalkIn {
    pub training: Ref,
    pub session: RecordId,
    pub person: Person,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WalkedIn {
    pub person: Person,
    pub attendance: Attendance,
    pub title: String,
    pub warnings: Vec<FieldError>,
}

/// Adds a walk-in and signs them in, in one write: a person without an
/// attendance (or the reverse) is never left behind.
pub fn walk_in(env: &mut Env, cmd: WalkIn) -> OpResult<WalkedIn> {
    let training = refs::training(env.store, &cmd.training)?;
    let Some(session) = training.sessions.get(&cmd.session) else {
        return Err(super::OpError::invalid(
            "session",
            format!("培训「{}」没有课次 {} (no such session)", training.title, cmd.session),
        ));
    };
    let mut person = cmd.person;
    person.name = validate::normalize_name(&person.name);
    let mut check = Check::default();
    if person.name.is_empty() {
        check.fail("name", "姓名不能为空 (name is required)");
    }
    if !person.phone.is_empty() {
        person.phone = check.take("phone", validate::normalize_phone(&person.phone)).unwrap_or_default();
    }
    check.done()?;
    let attendance = Attendance {
        id: RecordId::attendance(&cmd.session, &person.id),
        training: training.id.clone(),
        session: cmd.session,
        person: person.id.clone(),
        organization: person.organization.clone(),
        status: AttendanceStatus::Attended,
        signed_in: Some(env.clock.now()),
        hours: session.hours(),
    };
    let problems = env.store.atomically(|s| -> crate::store::Result<_> {
        let mut problems = s.insert(&person)?;
        problems.extend(s.insert(&attendance)?);
        Ok(problems)
    })?;
    Ok(WalkedIn { person, attendance, title: training.title, warnings: warnings(problems) })
}
