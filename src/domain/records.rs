//! The records a federation keeps (DOMAIN.md). Field names are the keys
//! stored in the Automerge documents (docs/DATA_MODEL.md).

use super::enums::*;
use super::evaluation::{Checklist, Evaluation};
use super::ids::RecordId;
use super::ledger_vocab::{ExitKind, MembershipStatus, OrgForm, OrgType};
use super::lifecycle::StatusChange;
use super::validate::{self, FieldError};
use chrono::{NaiveDate, NaiveDateTime};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A collection is one kind of record; each gets its own Automerge document
/// per federation (organizations: one per county).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    Meta,
    Orgs,
    People,
    Liaisons,
    Venues,
    Bookings,
    Trainings,
    Attendance,
    /// Sensitive fields of records in other collections (party membership,
    /// PIPL art. 28), kept apart so sharing a roster never shares them
    /// unless this document is shared too.
    Private,
    /// Activities, one document per county per year (`<county>-<year>`).
    Activities,
    /// Work reports to the "两委", partitioned like activities.
    WorkReports,
    /// The federation's settings (the major-activity rule), keyed by setting name.
    Settings,
    /// Projects and funding, one document per year.
    Projects,
    Honours,
    Incubations,
}

impl Collection {
    pub const ALL: [Collection; 15] = [
        Collection::Meta,
        Collection::Orgs,
        Collection::People,
        Collection::Liaisons,
        Collection::Venues,
        Collection::Bookings,
        Collection::Trainings,
        Collection::Attendance,
        Collection::Private,
        Collection::Activities,
        Collection::WorkReports,
        Collection::Settings,
        Collection::Projects,
        Collection::Honours,
        Collection::Incubations,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Collection::Meta => "meta",
            Collection::Orgs => "orgs",
            Collection::People => "people",
            Collection::Liaisons => "liaisons",
            Collection::Venues => "venues",
            Collection::Bookings => "bookings",
            Collection::Trainings => "trainings",
            Collection::Attendance => "attendance",
            Collection::Private => "private",
            Collection::Activities => "activities",
            Collection::WorkReports => "work_reports",
            Collection::Settings => "settings",
            Collection::Projects => "projects",
            Collection::Honours => "honours",
            Collection::Incubations => "incubations",
        }
    }

    pub fn from_code(code: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Collection::Meta, Lang::Zh) => "联合会",
            (Collection::Orgs, Lang::Zh) => "组织",
            (Collection::People, Lang::Zh) => "人员",
            (Collection::Liaisons, Lang::Zh) => "指导员/联络员",
            (Collection::Venues, Lang::Zh) => "场地",
            (Collection::Bookings, Lang::Zh) => "场地预约",
            (Collection::Trainings, Lang::Zh) => "培训",
            (Collection::Attendance, Lang::Zh) => "签到",
            (Collection::Private, Lang::Zh) => "敏感信息",
            (Collection::Activities, Lang::Zh) => "活动",
            (Collection::WorkReports, Lang::Zh) => "工作报告",
            (Collection::Settings, Lang::Zh) => "设置",
            (Collection::Projects, Lang::Zh) => "项目",
            (Collection::Honours, Lang::Zh) => "荣誉",
            (Collection::Incubations, Lang::Zh) => "孵化",
            (Collection::Meta, Lang::En) => "federation",
            (Collection::Orgs, Lang::En) => "organizations",
            (Collection::People, Lang::En) => "people",
            (Collection::Liaisons, Lang::En) => "liaison assignments",
            (Collection::Venues, Lang::En) => "venues",
            (Collection::Bookings, Lang::En) => "bookings",
            (Collection::Trainings, Lang::En) => "trainings",
            (Collection::Attendance, Lang::En) => "attendance",
            (Collection::Private, Lang::En) => "sensitive fields",
            (Collection::Activities, Lang::En) => "activities",
            (Collection::WorkReports, Lang::En) => "work reports",
            (Collection::Settings, Lang::En) => "settings",
            (Collection::Projects, Lang::En) => "projects",
            (Collection::Honours, Lang::En) => "honours",
            (Collection::Incubations, Lang::En) => "incubations",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One validation finding on one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn error(field: &'static str, message: impl Into<String>) -> Self {
        Problem { field, severity: Severity::Error, message: message.into() }
    }
    pub fn warning(field: &'static str, message: impl Into<String>) -> Self {
        Problem { field, severity: Severity::Warning, message: message.into() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// True when any problem is an error (warnings do not block a save).
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}

/// What the store needs of every record type.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    const COLLECTION: Collection;
    fn id(&self) -> &RecordId;
    /// Name shown in messages and lists.
    fn title(&self) -> String;
    /// Organizations are split into one document per county, activities
    /// and work reports per county and year.
    fn partition(&self) -> Option<String> {
        None
    }
    /// Rules on the record alone; rules across records live in the store.
    fn validate(&self) -> Vec<Problem>;
    /// Fields stored in the federation's private document, not the shared one.
    fn private_fields() -> &'static [&'static str] {
        &[]
    }
}

fn check_phone(field: &'static str, phone: &str, out: &mut Vec<Problem>) {
    if !phone.is_empty() {
        if let Err(FieldError(m)) = validate::normalize_phone(phone) {
            out.push(Problem::error(field, m));
        }
    }
}

fn check_required(field: &'static str, value: &str, label: &str, out: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        out.push(Problem::error(field, format!("{label}不能为空 ({field} is required)")));
    }
}

// ---------------------------------------------------------------- federation

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Federation {
    pub id: RecordId,
    pub name: String,
    pub level: Level,
    pub division: String,
    /// Name or node id of the parent federation, when known.
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
}

impl Record for Federation {
    const COLLECTION: Collection = Collection::Meta;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        self.name.clone()
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        check_required("name", &self.name, "联合会名称", &mut out);
        match validate::check_division(&self.division) {
            Err(e) => out.push(Problem::error("division", e.0)),
            Ok(_) => match validate::level_of_division(&self.division) {
                Some(level) if level != self.level => out.push(Problem::error(
                    "level",
                    format!(
                        "层级「{}」与行政区划代码 {} 不符,该代码是{}级 (level {} does not match division {}, which is a {} code)",
                        self.level.zh(),
                        self.division,
                        level.zh(),
                        self.level.code(),
                        self.division,
                        level.code()
                    ),
                )),
                _ => {}
            },
        }
        check_phone("contact_phone", &self.contact_phone, &mut out);
        out
    }
}

// -------------------------------------------------------------- organization

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: RecordId,
    pub name: String,
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
    pub legal_status: LegalStatus,
    /// 统一社会信用代码, for registered organizations.
    #[serde(default)]
    pub credit_code: String,
    /// 备案编号, assigned by the township; free text, unique per township.
    #[serde(default)]
    pub filing_number: String,
    /// GB/T 2260 code, 6 to 12 digits.
    pub division: String,
    #[serde(default)]
    pub township: String,
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub founded: Option<NaiveDate>,
    /// 备案日期: when the township filed it (not the founding date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filing_date: Option<NaiveDate>,
    /// 登记日期: when civil affairs registered it (not the founding date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_date: Option<NaiveDate>,
    /// 备案机关: the sub-district office or township government that filed it.
    #[serde(default)]
    pub filing_authority: String,
    #[serde(default)]
    pub head_name: String,
    #[serde(default)]
    pub head_phone: String,
    /// 联系人: the ledger's contact, often not the head.
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<u32>,
    #[serde(default)]
    pub scope: String,
    pub party_status: PartyStatus,
    /// Formal Party members among the members (a branch needs three).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_members: Option<u32>,
    /// 党建入章.
    #[serde(default)]
    pub party_in_charter: bool,
    #[serde(default, with = "code_list")]
    pub mass_orgs: Vec<MassOrg>,
    /// Year the organization was named a brand / demonstration organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incubation_level: Option<Level>,
    #[serde(default, with = "code_list")]
    pub incubation_services: Vec<IncubationService>,
    /// Keyed by year ("2024").
    #[serde(default)]
    pub evaluations: BTreeMap<String, Evaluation>,
    pub lifecycle: Lifecycle,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_date: Option<NaiveDate>,
    #[serde(default)]
    pub exit_reason: String,
    /// 注销, 撤销登记, 取消备案, 自行解散 or 合并: they differ in law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_kind: Option<ExitKind>,
    /// 社会团体 / 社会服务机构…; the credit code decides where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_form: Option<OrgForm>,
    /// Legal-status changes (备案 → 登记), keyed by `<date>.<new status>`
    /// so the same change recorded on two laptops merges into one. Maps are
    /// written even when empty: two peers creating the map concurrently
    /// would otherwise conflict and one side's entries would be hidden.
    #[serde(default)]
    pub status_history: BTreeMap<String, StatusChange>,
    /// Standardization checklist (规范化建设), keyed by year.
    #[serde(default)]
    pub standardization: BTreeMap<String, Checklist>,
    /// Member of the federation (会员) since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_since: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipStatus>,
    /// 枢纽型、平台型、品牌型 flags (the seed's 2025 targets).
    #[serde(default, with = "code_list", skip_serializing_if = "Vec::is_empty")]
    pub org_types: Vec<OrgType>,
}

impl Organization {
    /// A new active organization with the required fields and nothing else.
    pub fn new(name: &str, category: Category, legal_status: LegalStatus, division: &str) -> Self {
        Organization {
            id: RecordId::random(),
            name: validate::normalize_name(name),
            category,
            service_type: None,
            legal_status,
            credit_code: String::new(),
            filing_number: String::new(),
            division: division.to_string(),
            township: String::new(),
            community: String::new(),
            address: String::new(),
            founded: None,
            filing_date: None,
            registration_date: None,
            filing_authority: String::new(),
            head_name: String::new(),
            head_phone: String::new(),
            contact_name: String::new(),
            contact_phone: String::new(),
            members: None,
            scope: String::new(),
            party_status: PartyStatus::Uncovered,
            party_members: None,
            party_in_charter: false,
            mass_orgs: Vec::new(),
            brand_year: None,
            incubation_level: None,
            incubation_services: Vec::new(),
            evaluations: BTreeMap::new(),
            lifecycle: Lifecycle::Active,
            exit_date: None,
            exit_reason: String::new(),
            exit_kind: None,
            org_form: None,
            status_history: BTreeMap::new(),
            standardization: BTreeMap::new(),
            member_since: None,
            membership: None,
            org_types: Vec::new(),
        }
    }
}

impl Record for Organization {
    const COLLECTION: Collection = Collection::Orgs;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        self.name.clone()
    }
    fn partition(&self) -> Option<String> {
        Some(validate::county_of(&self.division).to_string())
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        check_required("name", &self.name, "组织名称", &mut out);
        if let Err(e) = validate::check_division(&self.division) {
            out.push(Problem::error("division", e.0));
        }
        match self.legal_status {
            LegalStatus::Registered if self.credit_code.trim().is_empty() => out.push(Problem::warning(
                "credit_code",
                "登记的组织应填写统一社会信用代码 (registered organizations should have a credit code)",
            )),
            _ => {}
        }
        if !self.credit_code.trim().is_empty() {
            match validate::check_credit_code(&self.credit_code) {
                Ok(c) => {
                    if let Some(w) = c.warning {
                        out.push(Problem::warning("credit_code", w));
                    }
                    if let Some(w) = validate::credit_code_advice(&c.code) {
                        out.push(Problem::warning("credit_code", w));
                    }
                }
                Err(e) => out.push(Problem::error("credit_code", e.0)),
            }
        }
        if self.legal_status == LegalStatus::Filed && self.filing_number.trim().is_empty() {
            out.push(Problem::warning(
                "filing_number",
                "备案的组织应填写备案编号 (filed organizations should have a filing number)",
            ));
        }
        check_phone("head_phone", &self.head_phone, &mut out);
        check_phone("contact_phone", &self.contact_phone, &mut out);
        if self.party_status == PartyStatus::Own && self.party_members.is_some_and(|n| n < 3) {
            out.push(Problem::warning(
                "party_members",
                "单独建立党组织需至少3名正式党员 (a standalone branch needs at least 3 formal Party members)",
            ));
        }
        if let (Some(p), Some(m)) = (self.party_members, self.members) {
            if p > m {
                out.push(Problem::error(
                    "party_members",
                    format!("党员人数 {p} 多于成员人数 {m} (more Party members than members)"),
                ));
            }
        }
        for (year, e) in &self.evaluations {
            e.validate(year, &mut out);
        }
        super::lifecycle::validate(self, &mut out);
        if self.lifecycle == Lifecycle::Exited {
            if self.exit_date.is_none() {
                out.push(Problem::error(
                    "exit_date",
                    "退出的组织需填写退出日期 (an exited organization needs an exit date)",
                ));
            }
            if self.exit_reason.trim().is_empty() {
                out.push(Problem::error(
                    "exit_reason",
                    "退出的组织需填写退出原因 (an exited organization needs a reason)",
                ));
            }
        }
        if let (Some(f), Some(x)) = (self.founded, self.exit_date) {
            if x < f {
                out.push(Problem::error("exit_date", "退出日期早于成立日期 (exit date before founding date)"));
            }
        }
        out
    }
}

// -------------------------------------------------------------------- person

/// Debug masks the phone (domain/personal.rs).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: RecordId,
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// Sensitive (PIPL art. 28): left out of shared rosters unless chosen.
    #[serde(default)]
    pub party_member: bool,
    #[serde(default, with = "code_list")]
    pub roles: Vec<Role>,
    /// The organization the person belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<RecordId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_worker_grade: Option<SocialWorkerGrade>,
    #[serde(default)]
    pub notes: String,
}

impl Person {
    pub fn new(name: &str) -> Self {
        Person {
            id: RecordId::random(),
            name: validate::normalize_name(name),
            phone: String::new(),
            party_member: false,
            roles: Vec::new(),
            organization: None,
            social_worker_grade: None,
            notes: String::new(),
        }
    }

    /// The last four digits of the phone, which tell namesakes apart in a
    /// picker without showing the whole number; digits only, so "138-0013
    /// 8000" and "13800138000" give the same tail.
    pub fn phone_tail(&self) -> String {
        let digits: Vec<char> = self.phone.chars().filter(char::is_ascii_digit).collect();
        digits[digits.len().saturating_sub(4)..].iter().collect()
    }
}

impl Record for Person {
    const COLLECTION: Collection = Collection::People;
    fn private_fields() -> &'static [&'static str] {
        &["party_member"]
    }
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        self.name.clone()
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        check_required("name", &self.name, "姓名", &mut out);
        check_phone("phone", &self.phone, &mut out);
        if self.social_worker_grade.is_some() && !self.roles.contains(&Role::SocialWorker) {
            out.push(Problem::warning(
                "social_worker_grade",
                "有社工资格但角色中没有社会工作者 (grade set but role missing)",
            ));
        }
        out
    }
}

// ---------------------------------------------------------------- assignment

/// A Party-building instructor or liaison dispatched to an organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiaisonAssignment {
    pub id: RecordId,
    pub person: RecordId,
    pub organization: RecordId,
    pub role: AssignmentRole,
    /// The street or community Party organization that dispatched them.
    #[serde(default)]
    pub dispatched_by: String,
    pub from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub end_reason: String,
}

impl LiaisonAssignment {
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| to >= day)
    }
}

impl Record for LiaisonAssignment {
    const COLLECTION: Collection = Collection::Liaisons;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        format!("{} → {}", self.person, self.organization)
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if let Some(to) = self.to {
            if to < self.from {
                out.push(Problem::error("to", "结束日期早于开始日期 (end before start)"));
            }
        }
        out
    }
}

// --------------------------------------------------------------------- venue

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Venue {
    pub id: RecordId,
    pub name: String,
    pub kind: VenueKind,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub division: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    #[serde(default)]
    pub facilities: String,
    #[serde(default)]
    pub opening_hours: String,
    #[serde(default)]
    pub owner: String,
}

impl Venue {
    /// A venue with a name and nothing else (kind: other).
    pub fn new(name: &str) -> Self {
        Venue {
            id: RecordId::random(),
            name: validate::normalize_name(name),
            kind: VenueKind::Other,
            address: String::new(),
            division: String::new(),
            capacity: None,
            facilities: String::new(),
            opening_hours: String::new(),
            owner: String::new(),
        }
    }
}

impl Record for Venue {
    const COLLECTION: Collection = Collection::Venues;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        self.name.clone()
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        check_required("name", &self.name, "场地名称", &mut out);
        if !self.division.is_empty() {
            if let Err(e) = validate::check_division(&self.division) {
                out.push(Problem::error("division", e.0));
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Booking {
    pub id: RecordId,
    pub venue: RecordId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<RecordId>,
    pub date: NaiveDate,
    /// HH:MM
    pub start: String,
    /// HH:MM
    pub end: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u32>,
    pub status: BookingStatus,
}

impl Booking {
    /// Same venue, same day, overlapping half-open time ranges.
    pub fn overlaps(&self, other: &Booking) -> bool {
        self.venue == other.venue
            && self.date == other.date
            && validate::minutes_of(&self.start) < validate::minutes_of(&other.end)
            && validate::minutes_of(&other.start) < validate::minutes_of(&self.end)
    }

    pub fn hours(&self) -> f64 {
        (validate::minutes_of(&self.end) as f64 - validate::minutes_of(&self.start) as f64).max(0.0) / 60.0
    }
}

impl Record for Booking {
    const COLLECTION: Collection = Collection::Bookings;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        format!("{} {}–{}", self.date, self.start, self.end)
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        for (field, t) in [("start", &self.start), ("end", &self.end)] {
            if let Err(e) = validate::parse_time(t) {
                out.push(Problem::error(field, e.0));
            }
        }
        if validate::minutes_of(&self.end) <= validate::minutes_of(&self.start) {
            out.push(Problem::error("end", "结束时间应晚于开始时间 (end must be after start)"));
        }
        out
    }
}

// ------------------------------------------------------------------ training

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    /// Where this session is held, when not at the training's venue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<RecordId>,
}

impl Session {
    pub fn hours(&self) -> f64 {
        (validate::minutes_of(&self.end) as f64 - validate::minutes_of(&self.start) as f64).max(0.0) / 60.0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Training {
    pub id: RecordId,
    pub title: String,
    pub format: TrainingFormat,
    #[serde(default, with = "code_list")]
    pub topics: Vec<Topic>,
    #[serde(default, with = "code_list")]
    pub audience: Vec<Role>,
    #[serde(default)]
    pub trainer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<RecordId>,
    /// Keyed by session id, so two laptops adding sessions do not collide.
    #[serde(default)]
    pub sessions: BTreeMap<RecordId, Session>,
}

impl Training {
    pub fn total_hours(&self) -> f64 {
        self.sessions.values().map(Session::hours).sum()
    }

    /// Sessions in date order.
    pub fn sessions_in_order(&self) -> Vec<(&RecordId, &Session)> {
        let mut v: Vec<_> = self.sessions.iter().collect();
        v.sort_by(|a, b| (a.1.date, &a.1.start).cmp(&(b.1.date, &b.1.start)));
        v
    }
}

impl Record for Training {
    const COLLECTION: Collection = Collection::Trainings;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        check_required("title", &self.title, "培训名称", &mut out);
        for (id, s) in &self.sessions {
            for t in [&s.start, &s.end] {
                if let Err(e) = validate::parse_time(t) {
                    out.push(Problem::error("sessions", format!("{id}: {}", e.0)));
                }
            }
            if s.hours() <= 0.0 {
                out.push(Problem::error(
                    "sessions",
                    format!("课次 {id} 结束时间应晚于开始时间 (session ends before it starts)"),
                ));
            }
        }
        out
    }
}

/// Sign-in of one person at one session; its id is derived from both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: RecordId,
    pub training: RecordId,
    pub session: RecordId,
    pub person: RecordId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<RecordId>,
    pub status: AttendanceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in: Option<NaiveDateTime>,
    #[serde(default)]
    pub hours: f64,
}

impl Record for Attendance {
    const COLLECTION: Collection = Collection::Attendance;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        format!("{} @ {}", self.person, self.session)
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.id != RecordId::attendance(&self.session, &self.person) {
            out.push(Problem::error("id", "签到记录编号应由课次和人员组成 (attendance id must be session.person)"));
        }
        if self.hours < 0.0 {
            out.push(Problem::error("hours", "学时不能为负 (hours cannot be negative)"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Organization {
        Organization::new("阳光志愿服务队", Category::Charity, LegalStatus::Filed, "510104001002")
    }

    #[test]
    fn a_phone_tail_is_its_last_four_digits_however_the_number_is_written() {
        let mut p = Person::new("张伟");
        for (written, tail) in
            [("13800138000", "8000"), ("138-0013 8000", "8000"), ("028-8612345转12", "4512"), ("", "")]
        {
            p.phone = written.into();
            assert_eq!(p.phone_tail(), tail, "{written}");
        }
        p.phone = "12".into();
        assert_eq!(p.phone_tail(), "12");
    }

    #[test]
    fn organization_round_trips_through_json() {
        let mut o = org();
        o.mass_orgs = vec![MassOrg::TradeUnion];
        o.evaluations.insert(
            "2024".into(),
            Evaluation { basic: 20, activities: 22, contribution: 20, influence: 20, ..Default::default() },
        );
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["mass_orgs"], "trade_union");
        assert_eq!(json["category"], "charity");
        let back: Organization = serde_json::from_value(json).unwrap();
        assert_eq!(back, o);
        assert_eq!(
            back.evaluations["2024"].effective_result(&crate::domain::EvaluationSettings::default()),
            EvalResult::Good
        );
    }

    #[test]
    fn organization_rules() {
        let mut o = org();
        assert!(!has_errors(&o.validate()));
        assert!(o.validate().iter().any(|p| p.field == "filing_number"), "filed without number warns");
        o.lifecycle = Lifecycle::Exited;
        assert!(has_errors(&o.validate()), "exit needs a date and reason");
        o.exit_date = NaiveDate::from_ymd_opt(2024, 5, 1);
        o.exit_reason = "长期不活动".into();
        assert!(!has_errors(&o.validate()));
        o.party_status = PartyStatus::Own;
        o.party_members = Some(2);
        assert!(o.validate().iter().any(|p| p.field == "party_members" && p.severity == Severity::Warning));
        o.credit_code = "51420000MJH2003664".into();
        assert!(o.validate().iter().any(|p| p.field == "credit_code" && p.severity == Severity::Error));
        assert_eq!(o.partition().as_deref(), Some("510104"));
    }

    #[test]
    fn bookings_overlap_half_open() {
        let b = |s: &str, e: &str| Booking {
            id: RecordId::random(),
            venue: "v".into(),
            organization: None,
            date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            start: s.into(),
            end: e.into(),
            purpose: String::new(),
            expected: None,
            status: BookingStatus::Confirmed,
        };
        assert!(b("09:00", "11:00").overlaps(&b("10:00", "12:00")));
        assert!(!b("09:00", "10:00").overlaps(&b("10:00", "12:00")));
        assert_eq!(b("09:00", "10:30").hours(), 1.5);
        assert!(has_errors(&b("11:00", "10:00").validate()));
    }
}
