//! Projects and funding (项目与资金), honours (荣誉): issue 12.1 and 12.3.

use super::{refs, warnings, Check, Env, FieldError, OpError, OpResult, Ref};
use crate::domain::activity::Activity;
use crate::domain::*;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AddProject {
    pub name: String,
    pub kind: ProjectKind,
    pub funder: String,
    pub year: i32,
    /// Integer fen (分); front ends read 元 with `projects::parse_yuan`.
    pub amount_fen: i64,
    pub domains: Vec<ProjectDomain>,
    /// An organization on the roster, by id or exact name.
    pub lead: Option<Ref>,
    /// A lead that is not on the roster (a social-work agency), as written.
    pub lead_name: String,
    pub partners: Vec<Ref>,
    pub beneficiaries: Option<u32>,
    pub beneficiary_groups: String,
    /// The status it is entered at (a ledger of past projects starts at
    /// 结项); 申报 when not given. Steps passed are dated `date`.
    pub status: Option<ProjectStatus>,
    /// Date of the status reached; today when not given.
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProjectAdded {
    pub project: Project,
    pub lead_name: String,
    pub warnings: Vec<FieldError>,
}

/// Adds a project; the lead and partners must be on the roster (or the lead
/// given by name only, when it is not a community social organization).
pub fn add(env: &mut Env, cmd: AddProject) -> OpResult<ProjectAdded> {
    let mut check = Check::default();
    let lead = match &cmd.lead {
        Some(r) => check.take("lead", refs::org(env.store, r)),
        None => None,
    };
    let mut partners = Vec::new();
    for r in &cmd.partners {
        if let Some(o) = check.take("partners", refs::org(env.store, r)) {
            partners.push(o.id);
        }
    }
    check.done()?;
    let mut p = Project::new(&cmd.name, cmd.kind, cmd.year, cmd.amount_fen);
    p.funder = cmd.funder.trim().to_string();
    p.domains = cmd.domains;
    p.lead_name = lead.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| cmd.lead_name.trim().to_string());
    p.lead = lead.map(|o| o.id);
    p.partners = partners;
    p.beneficiaries = cmd.beneficiaries;
    p.beneficiary_groups = cmd.beneficiary_groups.trim().to_string();
    let date = cmd.date.unwrap_or_else(|| env.today());
    p.milestones.insert(ProjectStatus::Applied.code().to_string(), date);
    let target = cmd.status.unwrap_or(ProjectStatus::Applied);
    while p.status != target {
        let next = p.status.next().expect("the target lies ahead");
        p.advance(next, date).map_err(|e| OpError::invalid(e.field, e.message))?;
    }
    let problems = env.store.insert(&p)?;
    Ok(ProjectAdded { lead_name: p.lead_name.clone(), project: p, warnings: warnings(problems) })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Advance {
    pub project: Ref,
    /// The step to move to; the next one when not given.
    pub to: Option<ProjectStatus>,
    /// Today when not given.
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Advanced {
    pub project: Project,
    pub from: ProjectStatus,
}

/// Moves a project one step along 申报 → 立项 → 实施 → 结项 → 评估.
pub fn advance(env: &mut Env, cmd: Advance) -> OpResult<Advanced> {
    let mut p = project(env, &cmd.project)?;
    let from = p.status;
    let to = match cmd.to.or(p.status.next()) {
        Some(t) => t,
        None => return Err(OpError::invalid("status", "项目已到最后一步「评估」 (the project is already evaluated)")),
    };
    p.advance(to, cmd.date.unwrap_or_else(|| env.today())).map_err(|e| OpError::invalid(e.field, e.message))?;
    env.store.update(&p)?;
    Ok(Advanced { project: p, from })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LinkActivities {
    pub project: Ref,
    /// Activity ids.
    pub activities: Vec<Ref>,
}

/// Links activities carried out under a project; each must exist.
pub fn link_activities(env: &mut Env, cmd: LinkActivities) -> OpResult<Project> {
    let mut p = project(env, &cmd.project)?;
    let mut check = Check::default();
    for r in &cmd.activities {
        if let Some(a) = check.take("activities", refs::by_id::<Activity>(env.store, r)) {
            if !p.activities.contains(&a.id) {
                p.activities.push(a.id);
            }
        }
    }
    check.done()?;
    env.store.update(&p)?;
    Ok(p)
}

pub fn project(env: &Env, r: &Ref) -> OpResult<Project> {
    refs::load(env.store, &refs::resolve(env.store, Collection::Projects, r)?)
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AddHonour {
    pub kind: HonourKind,
    pub level: AwardLevel,
    pub year: i32,
    pub awarded_by: String,
    pub title: String,
    pub organization: Option<Ref>,
    pub project: Option<Ref>,
    pub person: Option<Ref>,
    /// The recipient as published, when not on record.
    pub recipient_name: String,
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HonourAdded {
    pub honour: Honour,
    pub recipient: String,
    /// A brand/demonstration honour also set the organization's brand year and flag.
    pub brand_marked: bool,
    pub warnings: Vec<FieldError>,
}

/// Records an honour. A 品牌组织 or 示范型 title also marks the organization
/// brand (its `brand_year`, and the 品牌型 flag), in the same write.
pub fn add_honour(env: &mut Env, cmd: AddHonour) -> OpResult<HonourAdded> {
    let mut check = Check::default();
    let org = cmd.organization.as_ref().and_then(|r| check.take("organization", refs::org(env.store, r)));
    let project = cmd.project.as_ref().and_then(|r| check.take("project", project(env, r)));
    let person = cmd.person.as_ref().and_then(|r| check.take("person", refs::person(env.store, r)));
    check.done()?;
    let recipient = match cmd.kind.recipient() {
        RecipientKind::Organization => org.as_ref().map(|o| o.name.clone()),
        RecipientKind::Project => project.as_ref().map(|p| p.name.clone()),
        RecipientKind::Person => person.as_ref().map(|p| p.name.clone()),
    }
    .unwrap_or_else(|| cmd.recipient_name.trim().to_string());
    let honour = Honour {
        id: RecordId::random(),
        kind: cmd.kind,
        level: cmd.level,
        year: cmd.year,
        awarded_by: cmd.awarded_by.trim().to_string(),
        title: cmd.title.trim().to_string(),
        organization: org.as_ref().map(|o| o.id.clone()),
        project: project.map(|p| p.id),
        person: person.map(|p| p.id),
        recipient_name: recipient.clone(),
        date: cmd.date,
    };
    let mut brand_marked = false;
    let problems = env.store.atomically(|s| {
        let problems = s.insert(&honour)?;
        brand_marked = mark_brand(s, &honour, org.clone())?;
        Ok::<_, crate::store::StoreError>(problems)
    })?;
    Ok(HonourAdded { honour, recipient, brand_marked, warnings: warnings(problems) })
}

/// A 品牌组织 or 示范型 title marks its organization brand (its
/// `brand_year`, the 品牌型 flag) unless it already is for that year.
fn mark_brand(s: &mut crate::store::Store, h: &Honour, org: Option<Organization>) -> crate::store::Result<bool> {
    let brand = matches!(h.kind, HonourKind::BrandOrg | HonourKind::DemonstrationOrg);
    let Some(mut o) = org.filter(|_| brand) else { return Ok(false) };
    if o.brand_year.is_some_and(|y| y >= h.year) && o.org_types.contains(&OrgType::Brand) {
        return Ok(false);
    }
    o.brand_year = Some(o.brand_year.map_or(h.year, |y| y.max(h.year)));
    if !o.org_types.contains(&OrgType::Brand) {
        o.org_types.push(OrgType::Brand);
    }
    s.update(&o)?;
    Ok(true)
}

/// What an honour edit changes; a field left `None` stays as stored (a
/// peer's edit of it is kept). A link given as an empty `Ref` is removed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HonourFields {
    pub kind: Option<HonourKind>,
    pub level: Option<AwardLevel>,
    pub year: Option<i32>,
    pub awarded_by: Option<String>,
    pub title: Option<String>,
    pub organization: Option<Ref>,
    pub project: Option<Ref>,
    pub person: Option<Ref>,
    pub recipient_name: Option<String>,
    /// `Some(None)` clears the date.
    pub date: Option<Option<NaiveDate>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EditHonour {
    pub honour: Ref,
    pub fields: HonourFields,
}

pub fn honour(env: &Env, r: &Ref) -> OpResult<Honour> {
    refs::load(env.store, &refs::resolve(env.store, Collection::Honours, r)?)
}

/// Changes an honour: the fields given, the recipient's name following a
/// changed link; a title turned 品牌组织/示范型 marks the organization brand.
pub fn edit_honour(env: &mut Env, cmd: EditHonour) -> OpResult<HonourAdded> {
    let mut h = honour(env, &cmd.honour)?;
    let f = cmd.fields;
    let mut check = Check::default();
    let org = relink(env, &mut check, "organization", &f.organization);
    let proj = relink(env, &mut check, "project", &f.project);
    let person = relink(env, &mut check, "person", &f.person);
    check.done()?;
    let set = |target: &mut Option<RecordId>, linked: &Link| {
        if let Some(l) = linked {
            *target = l.clone();
        }
    };
    let relinked = f.organization.is_some() || f.project.is_some() || f.person.is_some();
    set(&mut h.organization, &org);
    set(&mut h.project, &proj);
    set(&mut h.person, &person);
    if let Some(k) = f.kind {
        h.kind = k;
    }
    if let Some(l) = f.level {
        h.level = l;
    }
    if let Some(y) = f.year {
        h.year = y;
    }
    if let Some(t) = f.awarded_by {
        h.awarded_by = t.trim().to_string();
    }
    if let Some(t) = f.title {
        h.title = t.trim().to_string();
    }
    if let Some(d) = f.date {
        h.date = d;
    }
    if let Some(n) = f.recipient_name {
        h.recipient_name = n.trim().to_string();
    }
    // The published name follows the record the kind links, when that changed.
    if relinked || f.kind.is_some() {
        let linked = match h.kind.recipient() {
            RecipientKind::Organization => get::<Organization>(env, &h.organization).map(|o| o.name),
            RecipientKind::Project => get::<Project>(env, &h.project).map(|p| p.name),
            RecipientKind::Person => get::<Person>(env, &h.person).map(|p| p.name),
        };
        if let Some(n) = linked {
            h.recipient_name = n;
        }
    }
    let org = get::<Organization>(env, &h.organization);
    let mut brand_marked = false;
    let problems = env.store.atomically(|s| {
        let problems = s.update(&h)?;
        brand_marked = mark_brand(s, &h, org)?;
        Ok::<_, crate::store::StoreError>(problems)
    })?;
    Ok(HonourAdded { recipient: h.recipient_name.clone(), honour: h, brand_marked, warnings: warnings(problems) })
}

/// A link as edited: None as stored, Some(None) removed, else the record linked.
type Link = Option<Option<RecordId>>;

fn relink(env: &Env, check: &mut Check, field: &'static str, r: &Option<Ref>) -> Link {
    let r = r.as_ref()?;
    if r.0.trim().is_empty() {
        return Some(None);
    }
    let collection = match field {
        "organization" => Collection::Orgs,
        "project" => Collection::Projects,
        _ => Collection::People,
    };
    check.take(field, refs::resolve(env.store, collection, r)).map(Some)
}

fn get<R: crate::domain::Record>(env: &Env, id: &Option<RecordId>) -> Option<R> {
    id.as_ref().and_then(|id| env.store.get::<R>(id).ok().flatten())
}
