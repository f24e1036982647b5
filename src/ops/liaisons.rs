//! Instructor and liaison assignments (党建工作指导员/联络员选派).

use super::{refs, warnings, Check, Env, FieldError, OpResult, Ref};
use crate::domain::report::CoverageStatus;
use crate::domain::{AssignmentRole, LiaisonAssignment, RecordId};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assign {
    pub person: Ref,
    pub org: Ref,
    pub role: AssignmentRole,
    /// Start date; today when not given.
    pub from: Option<NaiveDate>,
    /// The Party organization that dispatched them.
    pub dispatched_by: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assigned {
    pub assignment: LiaisonAssignment,
    pub person_name: String,
    pub org_name: String,
    /// The organization has no own or joint Party organization: this
    /// assignment is what covers its Party work (while it is in force).
    pub now_dispatched: bool,
    pub warnings: Vec<FieldError>,
}

/// Assigns a person to an organization. The organization's recorded Party
/// status is left alone: coverage by dispatch (选派) is read off the
/// assignments in force (domain::report::coverage), so ending this one
/// lowers work coverage again.
pub fn assign(env: &mut Env, cmd: Assign) -> OpResult<Assigned> {
    let person = refs::person(env.store, &cmd.person)?;
    let org = refs::org(env.store, &cmd.org)?;
    let assignment = LiaisonAssignment {
        id: RecordId::random(),
        person: person.id.clone(),
        organization: org.id.clone(),
        role: cmd.role,
        dispatched_by: cmd.dispatched_by.trim().to_string(),
        from: cmd.from.unwrap_or_else(|| env.today()),
        to: None,
        end_reason: String::new(),
    };
    let now_dispatched = !CoverageStatus::of(&org, false).organization;
    let problems = env.store.insert(&assignment)?;
    Ok(Assigned {
        assignment,
        person_name: person.name,
        org_name: org.name,
        now_dispatched,
        warnings: warnings(problems),
    })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct End {
    /// The assignment's id.
    pub assignment: Ref,
    pub to: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ended {
    pub assignment: LiaisonAssignment,
    pub org_name: String,
    pub warnings: Vec<FieldError>,
}

/// Ends an assignment. The organization's coverage is left as it is:
/// whether another instructor is coming is the secretary's call, made on
/// the organization's form.
pub fn end(env: &mut Env, cmd: End) -> OpResult<Ended> {
    let mut assignment: LiaisonAssignment = refs::by_id(env.store, &cmd.assignment)?;
    let mut check = Check::default();
    if cmd.to < assignment.from {
        check.fail("to", format!("结束日期早于开始日期 {} (ends before it starts)", assignment.from));
    }
    check.done()?;
    assignment.to = Some(cmd.to);
    assignment.end_reason = cmd.reason.trim().to_string();
    let problems = env.store.update(&assignment)?;
    let org_name =
        env.store.get::<crate::domain::Organization>(&assignment.organization)?.map(|o| o.name).unwrap_or_default();
    Ok(Ended { assignment, org_name, warnings: warnings(problems) })
}

/// Parses a role as the user typed it (code, Chinese or English label).
pub fn parse_role(text: &str) -> OpResult<AssignmentRole> {
    use crate::domain::Vocabulary;
    AssignmentRole::parse(text).map_err(|e| super::OpError::invalid("role", e))
}
