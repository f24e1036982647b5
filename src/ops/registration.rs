//! The registration lifecycle, membership and incubation (issue 12.4, 12.5).

use super::{refs, warnings, Check, Env, FieldError, OpError, OpResult, Ref};
use crate::domain::*;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChangeStatus {
    pub org: Ref,
    pub to: LegalStatus,
    /// Today when not given.
    pub date: Option<NaiveDate>,
    pub authority: String,
    /// The credit code (to 登记) or filing number (to 备案) issued.
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StatusChanged {
    pub org: Organization,
    pub change: StatusChange,
    pub warnings: Vec<FieldError>,
}

/// Changes an organization's legal status (备案 → 登记 above all) and keeps
/// the change in its history. Registration needs the credit code.
pub fn change_status(env: &mut Env, cmd: ChangeStatus) -> OpResult<StatusChanged> {
    let mut org = refs::org(env.store, &cmd.org)?;
    let mut check = Check::default();
    if cmd.to == LegalStatus::Registered {
        if cmd.number.trim().is_empty() && org.credit_code.is_empty() {
            check.fail("credit_code", "登记需填写统一社会信用代码 (registration needs the credit code)");
        } else if !cmd.number.trim().is_empty() {
            check.take("credit_code", validate::check_credit_code(&cmd.number).map_err(|e| e.0));
        }
    }
    check.done()?;
    let change = org
        .change_status(StatusChangeRequest {
            date: cmd.date.unwrap_or_else(|| env.today()),
            to: cmd.to,
            authority: cmd.authority,
            number: cmd.number,
        })
        .map_err(|p| OpError::invalid(p.field, p.message))?;
    super::orgs::check_numbers_free(env.store, &org)?;
    let problems = env.store.update(&org)?;
    Ok(StatusChanged { org, change, warnings: warnings(problems) })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SetMembership {
    pub org: Ref,
    pub status: Option<MembershipStatus>,
    /// Joined; kept when not given.
    pub since: Option<NaiveDate>,
    /// 枢纽型、平台型、品牌型 flags; kept when None.
    pub types: Option<Vec<OrgType>>,
}

pub fn set_membership(env: &mut Env, cmd: SetMembership) -> OpResult<Organization> {
    let mut org = refs::org(env.store, &cmd.org)?;
    if cmd.status.is_some() {
        org.membership = cmd.status;
        if cmd.status == Some(MembershipStatus::Enrolled) && org.member_since.is_none() && cmd.since.is_none() {
            org.member_since = Some(env.today());
        }
    }
    if cmd.since.is_some() {
        org.member_since = cmd.since;
    }
    if let Some(t) = cmd.types {
        org.org_types = t;
    }
    env.store.update(&org)?;
    Ok(org)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Incubate {
    pub org: Ref,
    pub platform: String,
    pub level: Level,
    /// 入壳; today when not given.
    pub entered: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Incubated {
    pub incubation: Incubation,
    pub org_name: String,
    pub warnings: Vec<FieldError>,
}

/// An organization enters an incubation platform (入壳).
pub fn incubate(env: &mut Env, cmd: Incubate) -> OpResult<Incubated> {
    let org = refs::org(env.store, &cmd.org)?;
    let entered = cmd.entered.unwrap_or_else(|| env.today());
    let (held, _) = env.store.all_readable::<Incubation>();
    if let Some(open) =
        held.iter().find(|i| i.organization == org.id && i.platform == cmd.platform.trim() && i.left.is_none())
    {
        return Err(OpError::invalid(
            "platform",
            format!(
                "该组织已在「{}」孵化中,自 {} (already incubating there; record its 出壳 first)",
                open.platform, open.entered
            ),
        ));
    }
    let incubation = Incubation {
        id: RecordId::random(),
        organization: org.id.clone(),
        platform: cmd.platform.trim().to_string(),
        level: cmd.level,
        entered,
        left: None,
        services: Default::default(),
    };
    let problems = env.store.insert(&incubation)?;
    Ok(Incubated { incubation, org_name: org.name, warnings: warnings(problems) })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AddService {
    /// The incubation record's id, or an organization with one open stay.
    pub incubation: Ref,
    pub service: IncubationService,
    pub date: Option<NaiveDate>,
    pub provider: String,
}

pub fn add_service(env: &mut Env, cmd: AddService) -> OpResult<Incubation> {
    let mut inc = incubation(env, &cmd.incubation)?;
    let date = cmd.date.unwrap_or_else(|| env.today());
    inc.services.insert(
        RecordId::random(),
        ServiceGiven { service: cmd.service, date, provider: cmd.provider.trim().to_string() },
    );
    env.store.update(&inc)?;
    Ok(inc)
}

/// 出壳: the organization leaves the platform.
pub fn leave(env: &mut Env, incubation: &Ref, left: Option<NaiveDate>) -> OpResult<Incubation> {
    let mut inc = self::incubation(env, incubation)?;
    let left = left.unwrap_or_else(|| env.today());
    if left < inc.entered {
        return Err(OpError::invalid("left", format!("出壳日期早于入壳日期 {} (leaves before entering)", inc.entered)));
    }
    inc.left = Some(left);
    env.store.update(&inc)?;
    Ok(inc)
}

/// The incubation record named: its id, else an organization (id or exact
/// name) with exactly one stay still open. A secretary knows the
/// organization, rarely the record's id.
pub fn incubation(env: &Env, r: &Ref) -> OpResult<Incubation> {
    if let Ok(found) = refs::by_id::<Incubation>(env.store, r) {
        return Ok(found);
    }
    let org = refs::org(env.store, r).map_err(|e| match e {
        OpError::NotFound { .. } => OpError::NotFound { kind: Collection::Incubations, query: r.0.trim().to_string() },
        other => other,
    })?;
    let (held, _) = env.store.all_readable::<Incubation>();
    let mut open: Vec<Incubation> = held.into_iter().filter(|i| i.organization == org.id && i.left.is_none()).collect();
    match open.len() {
        1 => Ok(open.remove(0)),
        0 => Err(OpError::invalid(
            "incubation",
            format!("「{}」没有在孵记录 (no open incubation stay for this organization)", org.name),
        )),
        _ => Err(OpError::Ambiguous {
            kind: Collection::Incubations,
            query: org.name,
            ids: open.into_iter().map(|i| i.id).collect(),
        }),
    }
}
