//! What organizations do (issue 11): activities with their participants and
//! volunteer hours, the major-activity reporting flow (重大活动报告制度:
//! 应报告 → 已报告 → 已知悉), work reports to the township and community
//! "两委" with their review (评议), and the federation's rule for what counts
//! as a major activity. Pure data and rules; the queries are in
//! `activity_query`.

use super::enums::{code_list, vocabulary, Lang, UnknownValue, Vocabulary};
use super::ids::RecordId;
use super::records::{Collection, Problem, Record};
use super::validate;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

vocabulary! {
    /// 活动类型.
    ActivityKind ("活动类型", "activity type") {
        VolunteerService => "volunteer_service", "志愿服务", "Volunteer service", ["志愿活动", "邻里守望"];
        CultureSports => "culture_sports", "文体活动", "Culture & sports", ["文体娱乐", "文化活动", "体育活动"];
        Consultation => "consultation", "社区协商/议事", "Community consultation", ["社区协商", "议事", "协商议事", "有事好商量"];
        Mediation => "mediation", "矛盾纠纷调解", "Dispute mediation", ["调解", "纠纷调解"];
        Patrol => "patrol", "治安巡逻", "Safety patrol", ["巡逻", "平安巡逻"];
        WasteSorting => "waste_sorting", "垃圾分类", "Waste sorting";
        EmergencyDrill => "emergency_drill", "应急演练", "Emergency drill", ["演练", "消防演练"];
        Care => "care", "关爱帮扶", "Care and assistance", ["关爱", "帮扶", "慰问"];
        Lecture => "lecture", "培训讲座", "Training or lecture", ["讲座", "培训"];
        Other => "other", "其他", "Other", ["其它"];
    }
}

vocabulary! {
    /// 服务对象.
    TargetGroup ("服务对象", "target group") {
        Elderly => "elderly", "老年人", "Older people", ["老人", "长者"];
        Children => "children", "儿童", "Children", ["少儿", "未成年人"];
        Youth => "youth", "青少年", "Young people", ["青年"];
        Women => "women", "妇女", "Women";
        Disabled => "disabled", "残疾人", "People with disabilities", ["残障人士"];
        InNeed => "in_need", "困难群众", "People in hardship", ["困难家庭", "低保户"];
        AllResidents => "all_residents", "全体居民", "All residents", ["居民", "全体", "社区居民"];
    }
}

vocabulary! {
    /// Why an activity counts as major under the federation's rule.
    MajorReason ("重大活动情形", "major-activity reason") {
        ManyParticipants => "many_participants", "参与人数较多", "Many participants";
        OutsideCommunity => "outside_community", "在本社区以外举办", "Held outside the community", ["跨社区"];
        Fundraising => "fundraising", "涉及募捐筹款", "Fundraising", ["募捐", "筹款"];
        Minors => "minors", "涉及未成年人", "Involves minors", ["未成年人"];
        OutsideSpeakers => "outside_speakers", "邀请外部讲者/嘉宾", "Outside speakers", ["外部嘉宾", "外请讲者"];
    }
}

vocabulary! {
    /// Stage of a major activity's report.
    ReportStatus ("报告状态", "report status") {
        Due => "due", "应报告", "Due", ["待报告", "未报告"];
        Reported => "reported", "已报告", "Reported", ["报告"];
        Acknowledged => "acknowledged", "已知悉", "Acknowledged", ["知悉", "已阅"];
    }
}

vocabulary! {
    /// How a report reached its recipient.
    ReportChannel ("报告方式", "report channel") {
        Written => "written", "书面", "In writing", ["书面报告", "纸质"];
        Phone => "phone", "电话", "By phone";
        Message => "message", "微信/短信", "By message", ["微信", "短信", "wechat"];
        InPerson => "in_person", "当面", "In person", ["当面报告", "口头"];
        Online => "online", "系统/网上", "Online system", ["网上", "系统"];
    }
}

vocabulary! {
    /// Who a work report goes to: the township (街道/乡镇) or the village/community "两委".
    Committee ("报告对象", "recipient") {
        Township => "township", "街道(乡镇)", "Township", ["街道", "乡镇", "街道办"];
        Community => "community", "村(社区)两委", "Village/community committees", ["两委", "社区两委", "村两委", "社区", "村"];
    }
}

vocabulary! {
    /// Result of the committees' and residents' review (评议).
    ReviewResult ("评议结果", "review result") {
        Satisfied => "satisfied", "满意", "Satisfied", ["好", "优秀"];
        Basically => "basically_satisfied", "基本满意", "Basically satisfied", ["较好", "一般"];
        Unsatisfied => "unsatisfied", "不满意", "Unsatisfied", ["差", "不合格"];
    }
}

/// Problems with an activity action, in Chinese with English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ActivityError {
    #[error("活动「{0}」不是重大活动,无需报告 (not a major activity; nothing to report)")]
    NotMajor(String),
    #[error("活动「{0}」尚未报告,不能标记为已知悉 (not reported yet; cannot acknowledge)")]
    NotReported(String),
    #[error("活动「{0}」的报告已知悉,不能再修改 (report already acknowledged)")]
    AlreadyAcknowledged(String),
    #[error("请填写{0} ({1} is required)")]
    Missing(&'static str, &'static str),
    #[error("{0} 的服务时长 {1} 小时超过活动时长 {2} 小时 (hours exceed the activity's length)")]
    TooManyHours(RecordId, f64, f64),
    #[error("服务时长不能为负 (hours cannot be negative)")]
    NegativeHours,
    #[error("报告期间 '{0}' 无法识别,请用 2025、2025-H1、2025-Q3 或 2025-07 (unrecognized period)")]
    BadPeriod(String),
}

pub use super::ids::id_list;

// ---------------------------------------------------------------- activity

/// One activity. `division` is the lead (first) organization's, copied when
/// the activity is logged: it places the activity in its county's document
/// and counts it per township and community without reading organizations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: RecordId,
    /// The organizing organizations; the first leads. Several for a joint activity.
    #[serde(with = "id_list")]
    pub organizations: Vec<RecordId>,
    pub division: String,
    pub date: NaiveDate,
    /// HH:MM, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub title: String,
    pub kind: ActivityKind,
    #[serde(default, with = "code_list")]
    pub targets: Vec<TargetGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<RecordId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<RecordId>,
    /// Where, when not a venue on record ("小区广场").
    #[serde(default)]
    pub place: String,
    /// Everyone who took part, named or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiaries: Option<u32>,
    /// Named participants: person id → volunteer hours credited (0 when
    /// they took part without serving). A map keyed by person, so two
    /// laptops logging the same person merge into one entry.
    #[serde(default)]
    pub participants: BTreeMap<RecordId, f64>,
    /// File references: SHA-256 (hex) → path. Never the bytes.
    #[serde(default)]
    pub attachments: BTreeMap<String, String>,
    // Facts the major-activity rule looks at.
    #[serde(default)]
    pub outside_community: bool,
    #[serde(default)]
    pub fundraising: bool,
    #[serde(default)]
    pub outside_speakers: bool,
    /// Major activity (重大活动): set from the rule's suggestion, the user decides.
    #[serde(default)]
    pub major: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_status: Option<ReportStatus>,
    #[serde(default)]
    pub reported_to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_via: Option<ReportChannel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_on: Option<NaiveDate>,
    #[serde(default)]
    pub acknowledged_by: String,
    /// The training this activity also is, if any: its participants' hours
    /// are then counted once, as training hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<RecordId>,
    #[serde(default)]
    pub notes: String,
}

impl Activity {
    pub fn new(organization: RecordId, division: &str, date: NaiveDate, title: &str, kind: ActivityKind) -> Self {
        Activity {
            id: RecordId::random(),
            organizations: vec![organization],
            division: division.to_string(),
            date,
            start: None,
            end: None,
            title: title.trim().to_string(),
            kind,
            targets: Vec::new(),
            venue: None,
            booking: None,
            place: String::new(),
            headcount: None,
            beneficiaries: None,
            participants: BTreeMap::new(),
            attachments: BTreeMap::new(),
            outside_community: false,
            fundraising: false,
            outside_speakers: false,
            major: false,
            report_status: None,
            reported_to: String::new(),
            reported_on: None,
            reported_via: None,
            acknowledged_on: None,
            acknowledged_by: String::new(),
            training: None,
            notes: String::new(),
        }
    }

    pub fn lead(&self) -> Option<&RecordId> {
        self.organizations.first()
    }

    /// Length in hours when both times are known.
    pub fn hours(&self) -> Option<f64> {
        let (s, e) = (self.start.as_deref()?, self.end.as_deref()?);
        Some((validate::minutes_of(e) as f64 - validate::minutes_of(s) as f64).max(0.0) / 60.0)
    }

    /// The most hours one person can be credited with.
    pub fn max_hours(&self) -> f64 {
        self.hours().unwrap_or(24.0)
    }

    pub fn volunteer_hours(&self) -> f64 {
        // fold from +0.0: an empty f64 sum is -0.0, shown as "-0.0".
        self.participants.values().fold(0.0, |a, h| a + h)
    }

    /// Volunteers: participants credited with hours.
    pub fn volunteers(&self) -> usize {
        self.participants.values().filter(|h| **h > 0.0).count()
    }

    /// Headcount as recorded, never fewer than the people named.
    pub fn participant_count(&self) -> u32 {
        self.headcount.unwrap_or(0).max(self.participants.len() as u32)
    }

    pub fn involves_minors(&self) -> bool {
        self.targets.iter().any(|t| matches!(t, TargetGroup::Children | TargetGroup::Youth))
    }

    /// Adds or updates named participants with their hours; each hour count
    /// must fit in the activity.
    pub fn log_participants(&mut self, entries: &[(RecordId, f64)]) -> Result<(), ActivityError> {
        for (person, hours) in entries {
            if *hours < 0.0 {
                return Err(ActivityError::NegativeHours);
            }
            if *hours > self.max_hours() + 1e-9 {
                return Err(ActivityError::TooManyHours(person.clone(), *hours, self.max_hours()));
            }
        }
        for (person, hours) in entries {
            self.participants.insert(person.clone(), *hours);
        }
        Ok(())
    }

    /// Marks the activity major or not; a major one starts with its report due.
    pub fn set_major(&mut self, major: bool) {
        self.major = major;
        if major && self.report_status.is_none() {
            self.report_status = Some(ReportStatus::Due);
        }
        if !major && self.report_status == Some(ReportStatus::Due) {
            self.report_status = None;
        }
    }

    /// 应报告 → 已报告: to whom, when, how. A report may be corrected until acknowledged.
    pub fn record_report(&mut self, to: &str, on: NaiveDate, via: ReportChannel) -> Result<(), ActivityError> {
        if !self.major {
            return Err(ActivityError::NotMajor(self.title.clone()));
        }
        if self.report_status == Some(ReportStatus::Acknowledged) {
            return Err(ActivityError::AlreadyAcknowledged(self.title.clone()));
        }
        if to.trim().is_empty() {
            return Err(ActivityError::Missing("报告对象", "recipient"));
        }
        self.report_status = Some(ReportStatus::Reported);
        self.reported_to = to.trim().to_string();
        self.reported_on = Some(on);
        self.reported_via = Some(via);
        Ok(())
    }

    /// 已报告 → 已知悉: the recipient has taken note.
    pub fn acknowledge(&mut self, by: &str, on: NaiveDate) -> Result<(), ActivityError> {
        if self.report_status != Some(ReportStatus::Reported) {
            return match self.report_status {
                Some(ReportStatus::Acknowledged) => Err(ActivityError::AlreadyAcknowledged(self.title.clone())),
                _ if !self.major => Err(ActivityError::NotMajor(self.title.clone())),
                _ => Err(ActivityError::NotReported(self.title.clone())),
            };
        }
        self.report_status = Some(ReportStatus::Acknowledged);
        self.acknowledged_on = Some(on);
        self.acknowledged_by = by.trim().to_string();
        Ok(())
    }

    /// The day by which a major activity must be reported.
    pub fn report_due(&self, rule: &MajorActivityRule) -> NaiveDate {
        self.date - Duration::days(rule.report_days_before as i64)
    }
}

/// SHA-256 of an attachment's bytes as the hex key attachments are stored under.
pub fn attachment_checksum(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn is_checksum(key: &str) -> bool {
    key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

impl Record for Activity {
    const COLLECTION: Collection = Collection::Activities;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        format!("{} {}", self.date, self.title)
    }
    /// One document per county per year: last year's activities go quiet
    /// and stop costing every sync.
    fn partition(&self) -> Option<String> {
        Some(partition_of(&self.division, self.date.year()))
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push(Problem::error("title", "活动名称不能为空 (title is required)"));
        }
        if self.organizations.is_empty() {
            out.push(Problem::error("organizations", "活动至少要有一个组织 (an activity needs an organization)"));
        }
        if let Err(e) = validate::check_division(&self.division) {
            out.push(Problem::error("division", e.0));
        }
        if !(2000..=2100).contains(&self.date.year()) {
            out.push(Problem::error("date", format!("活动日期 {} 超出范围 (date out of range)", self.date)));
        }
        for (field, t) in [("start", &self.start), ("end", &self.end)] {
            if let Some(t) = t {
                if let Err(e) = validate::parse_time(t) {
                    out.push(Problem::error(field, e.0));
                }
            }
        }
        if let (Some(s), Some(e)) = (&self.start, &self.end) {
            if validate::minutes_of(e) <= validate::minutes_of(s) {
                out.push(Problem::error("end", "结束时间应晚于开始时间 (end must be after start)"));
            }
        }
        for (person, hours) in &self.participants {
            if !hours.is_finite() || *hours < 0.0 {
                out.push(Problem::error(
                    "participants",
                    format!("{person}: 服务时长不能为负 (hours cannot be negative)"),
                ));
            } else if *hours > self.max_hours() + 1e-9 {
                out.push(Problem::error(
                    "participants",
                    format!(
                        "{person}: 服务时长 {hours} 小时超过活动时长 {} 小时 (hours exceed the activity's length)",
                        self.max_hours()
                    ),
                ));
            }
        }
        if let Some(n) = self.headcount {
            if (n as usize) < self.participants.len() {
                out.push(Problem::warning(
                    "headcount",
                    format!(
                        "参与人数 {n} 少于登记的 {} 人 (headcount below the people named)",
                        self.participants.len()
                    ),
                ));
            }
        }
        for (sum, path) in &self.attachments {
            if !is_checksum(sum) {
                out.push(Problem::error(
                    "attachments",
                    format!("附件 {path} 的校验和 '{sum}' 应为64位十六进制 SHA-256 (checksum must be SHA-256 hex)"),
                ));
            }
            if path.trim().is_empty() {
                out.push(Problem::error("attachments", "附件路径不能为空 (attachment path is required)"));
            }
        }
        match self.report_status {
            None => {}
            Some(_) if !self.major => out.push(Problem::warning(
                "report_status",
                "非重大活动有报告状态 (report status on an activity not marked major)",
            )),
            Some(ReportStatus::Due) => {}
            Some(status) => {
                if self.reported_to.trim().is_empty() || self.reported_on.is_none() || self.reported_via.is_none() {
                    out.push(Problem::error(
                        "reported_to",
                        "已报告的活动需填写报告对象、日期和方式 (a reported activity needs recipient, date and channel)",
                    ));
                }
                if status == ReportStatus::Acknowledged && self.acknowledged_on.is_none() {
                    out.push(Problem::error(
                        "acknowledged_on",
                        "已知悉的报告需填写知悉日期 (an acknowledged report needs its date)",
                    ));
                }
                if let (Some(r), Some(a)) = (self.reported_on, self.acknowledged_on) {
                    if a < r {
                        out.push(Problem::error(
                            "acknowledged_on",
                            "知悉日期早于报告日期 (acknowledged before reported)",
                        ));
                    }
                }
            }
        }
        out
    }
}

/// The partition key of an activity or work report: "<county>-<year>".
pub fn partition_of(division: &str, year: i32) -> String {
    format!("{}-{year}", validate::county_of(division))
}

// ------------------------------------------------------------------ the rule

/// The federation's rule for what is a major activity (a setting, kept in the
/// `settings` document). Each criterion can be switched off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MajorActivityRule {
    pub id: RecordId,
    /// More than this many participants; none: not a criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants_over: Option<u32>,
    #[serde(default)]
    pub outside_community: bool,
    #[serde(default)]
    pub fundraising: bool,
    #[serde(default)]
    pub minors: bool,
    #[serde(default)]
    pub outside_speakers: bool,
    /// Days before the activity by which the report is due (事前报告).
    #[serde(default)]
    pub report_days_before: u32,
}

impl MajorActivityRule {
    pub const ID: &'static str = "major_activity_rule";

    /// Every criterion on, over 100 participants, reported 3 days ahead.
    pub fn standard() -> Self {
        MajorActivityRule {
            id: RecordId::from(Self::ID),
            participants_over: Some(100),
            outside_community: true,
            fundraising: true,
            minors: true,
            outside_speakers: true,
            report_days_before: 3,
        }
    }

    /// The reasons the rule finds in the activity's fields: the suggestion.
    pub fn reasons(&self, a: &Activity) -> Vec<MajorReason> {
        let mut out = Vec::new();
        if self.participants_over.is_some_and(|n| a.participant_count() > n) {
            out.push(MajorReason::ManyParticipants);
        }
        if self.outside_community && a.outside_community {
            out.push(MajorReason::OutsideCommunity);
        }
        if self.fundraising && a.fundraising {
            out.push(MajorReason::Fundraising);
        }
        if self.minors && a.involves_minors() {
            out.push(MajorReason::Minors);
        }
        if self.outside_speakers && a.outside_speakers {
            out.push(MajorReason::OutsideSpeakers);
        }
        out
    }

    pub fn suggests_major(&self, a: &Activity) -> bool {
        !self.reasons(a).is_empty()
    }
}

impl Default for MajorActivityRule {
    fn default() -> Self {
        Self::standard()
    }
}

impl Record for MajorActivityRule {
    const COLLECTION: Collection = Collection::Settings;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        "重大活动认定规则 (major-activity rule)".into()
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.id.as_str() != Self::ID {
            out.push(Problem::error("id", format!("规则编号应为 {} (rule id)", Self::ID)));
        }
        if self.report_days_before > 60 {
            out.push(Problem::error("report_days_before", "提前报告天数应在0–60之间 (days before must be 0–60)"));
        }
        out
    }
}

// ------------------------------------------------------------------ periods

/// A reporting period: a year, a half, a quarter or a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl Period {
    /// Accepts 2025, 2025-H1, 2025-Q3, 2025-07 and 2025年上半年, 2025年第三季度, 2025年7月.
    pub fn parse(text: &str) -> Result<Period, ActivityError> {
        let t = validate::fold_width(text).trim().to_uppercase().replace(' ', "");
        let bad = || ActivityError::BadPeriod(text.trim().to_string());
        let (year, rest) = t.split_at(t.char_indices().nth(4).map_or(t.len(), |(i, _)| i));
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        let rest = rest.trim_start_matches(['-', '年', '/', '.']).trim_end_matches(['月']);
        let quarter = |q: &str| match q {
            "1" | "一" => Some(1),
            "2" | "二" => Some(2),
            "3" | "三" => Some(3),
            "4" | "四" => Some(4),
            _ => None,
        };
        let p = match rest {
            "" | "度" | "全年" => Period::Year(year),
            "H1" | "上半年" => Period::Half(year, 1),
            "H2" | "下半年" => Period::Half(year, 2),
            r if r.starts_with('Q') => Period::Quarter(year, quarter(&r[1..]).ok_or_else(bad)?),
            r if r.starts_with('第') && r.ends_with("季度") => {
                Period::Quarter(year, quarter(r.trim_start_matches('第').trim_end_matches("季度")).ok_or_else(bad)?)
            }
            r => match r.parse::<u8>() {
                Ok(m) if (1..=12).contains(&m) => Period::Month(year, m),
                _ => return Err(bad()),
            },
        };
        Ok(p)
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// First and last month (1–12) covered.
    fn months(self) -> (u32, u32) {
        match self {
            Period::Year(_) => (1, 12),
            Period::Half(_, h) => (6 * (h as u32 - 1) + 1, 6 * h as u32),
            Period::Quarter(_, q) => (3 * (q as u32 - 1) + 1, 3 * q as u32),
            Period::Month(_, m) => (m as u32, m as u32),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.months().0, 1).expect("valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        let (y, m) = (self.year(), self.months().1);
        let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
        next.expect("valid month") - Duration::days(1)
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }

    /// Does a report for `self` cover `other` (a year report covers its halves)?
    pub fn covers(self, other: Period) -> bool {
        self.first_day() <= other.first_day() && other.last_day() <= self.last_day()
    }

    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Period::Year(y), Lang::Zh) => format!("{y}年"),
            (Period::Half(y, 1), Lang::Zh) => format!("{y}年上半年"),
            (Period::Half(y, _), Lang::Zh) => format!("{y}年下半年"),
            (Period::Quarter(y, q), Lang::Zh) => format!("{y}年第{q}季度"),
            (Period::Month(y, m), Lang::Zh) => format!("{y}年{m}月"),
            (p, Lang::En) => p.to_string(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl std::str::FromStr for Period {
    type Err = ActivityError;
    fn from_str(s: &str) -> Result<Self, ActivityError> {
        Period::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Period::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

// -------------------------------------------------------------- work report

/// A work report to the township and/or the village/community "两委"
/// (定期向街道(乡镇)、村(社区)"两委"报告工作), with its review (评议).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkReport {
    pub id: RecordId,
    pub organization: RecordId,
    /// The organization's division, copied (document placement, counts per township).
    pub division: String,
    pub period: Period,
    pub reported_on: NaiveDate,
    #[serde(default, with = "code_list")]
    pub committees: Vec<Committee>,
    /// Names of the recipients as written ("玉林街道党工委、玉林社区两委").
    #[serde(default)]
    pub reported_to: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<NaiveDate>,
    /// Who reviewed: the committees, residents' representatives.
    #[serde(default)]
    pub reviewed_by: String,
    #[serde(default)]
    pub review_notes: String,
}

impl WorkReport {
    pub fn new(organization: RecordId, division: &str, period: Period, reported_on: NaiveDate) -> Self {
        WorkReport {
            id: RecordId::random(),
            organization,
            division: division.to_string(),
            period,
            reported_on,
            committees: vec![Committee::Township, Committee::Community],
            reported_to: String::new(),
            summary: String::new(),
            review: None,
            reviewed_on: None,
            reviewed_by: String::new(),
            review_notes: String::new(),
        }
    }

    /// Records the committees' and residents' review.
    pub fn record_review(
        &mut self,
        result: ReviewResult,
        on: NaiveDate,
        by: &str,
        notes: &str,
    ) -> Result<(), ActivityError> {
        if by.trim().is_empty() {
            return Err(ActivityError::Missing("评议人", "reviewer"));
        }
        self.review = Some(result);
        self.reviewed_on = Some(on);
        self.reviewed_by = by.trim().to_string();
        self.review_notes = notes.trim().to_string();
        Ok(())
    }
}

impl Record for WorkReport {
    const COLLECTION: Collection = Collection::WorkReports;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        format!("{} {}", self.period.label(Lang::Zh), "工作报告")
    }
    fn partition(&self) -> Option<String> {
        Some(partition_of(&self.division, self.period.year()))
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if let Err(e) = validate::check_division(&self.division) {
            out.push(Problem::error("division", e.0));
        }
        if self.committees.is_empty() {
            out.push(Problem::error("committees", "请选择报告对象:街道(乡镇)或村(社区)两委 (choose a recipient)"));
        }
        if self.reported_on < self.period.first_day() {
            out.push(Problem::warning("reported_on", "报告日期早于报告期间开始 (reported before the period began)"));
        }
        match (self.review, self.reviewed_on) {
            (Some(_), None) => out.push(Problem::error("reviewed_on", "评议需填写日期 (a review needs its date)")),
            (None, Some(_)) => {
                out.push(Problem::error("review", "评议日期已填但无评议结果 (review date without result)"))
            }
            (Some(_), Some(d)) if d < self.reported_on => {
                out.push(Problem::error("reviewed_on", "评议日期早于报告日期 (reviewed before reported)"))
            }
            _ => {}
        }
        out
    }
}

/// Parses a comma list of vocabulary values (CLI flags, spreadsheet cells).
pub fn parse_codes<V: Vocabulary>(text: &str) -> Result<Vec<V>, UnknownValue> {
    code_list::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::has_errors;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn activity() -> Activity {
        let mut a = Activity::new(
            "org1".into(),
            "510104001002",
            day(2025, 5, 10),
            "邻里守望敲门行动",
            ActivityKind::VolunteerService,
        );
        a.start = Some("09:00".into());
        a.end = Some("11:30".into());
        a
    }

    #[test]
    fn stored_as_codes_and_round_trips() {
        let mut a = activity();
        a.organizations.push("org2".into());
        a.targets = vec![TargetGroup::Elderly, TargetGroup::InNeed];
        a.log_participants(&[("p1".into(), 2.5), ("p2".into(), 0.0)]).unwrap();
        a.attachments.insert(attachment_checksum(b"photo"), "照片/敲门行动.jpg".into());
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["organizations"], "org1,org2");
        assert_eq!(json["kind"], "volunteer_service");
        assert_eq!(json["targets"], "elderly,in_need");
        assert_eq!(json["participants"]["p1"], 2.5);
        let back: Activity = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        assert_eq!(a.partition().as_deref(), Some("510104-2025"));
        assert_eq!(a.volunteer_hours(), 2.5);
        assert_eq!(a.volunteers(), 1);
        assert!(!has_errors(&a.validate()), "{:?}", a.validate());
        assert_eq!(ActivityKind::parse("有事好商量").unwrap(), ActivityKind::Consultation);
        assert_eq!(TargetGroup::parse("老人").unwrap(), TargetGroup::Elderly);
    }

    #[test]
    fn hours_must_fit_the_activity() {
        let mut a = activity();
        let err = a.log_participants(&[("p1".into(), 3.0)]).unwrap_err();
        assert!(matches!(err, ActivityError::TooManyHours(_, _, l) if l == 2.5), "{err}");
        assert!(a.participants.is_empty(), "nothing logged when one entry is wrong");
        assert_eq!(a.log_participants(&[("p1".into(), -1.0)]), Err(ActivityError::NegativeHours));
        a.participants.insert("p1".into(), 9.0);
        assert!(has_errors(&a.validate()));
        a.participants.clear();
        a.end = Some("08:00".into());
        assert!(a.validate().iter().any(|p| p.field == "end"));
        a.end = None;
        a.attachments.insert("abc".into(), "x.jpg".into());
        assert!(a.validate().iter().any(|p| p.field == "attachments"));
    }

    #[test]
    fn the_rule_suggests_major_and_says_why() {
        let rule = MajorActivityRule::standard();
        let mut a = activity();
        assert!(!rule.suggests_major(&a));
        a.headcount = Some(120);
        a.targets = vec![TargetGroup::Children];
        a.fundraising = true;
        assert_eq!(
            rule.reasons(&a),
            vec![MajorReason::ManyParticipants, MajorReason::Fundraising, MajorReason::Minors]
        );
        let lenient = MajorActivityRule { participants_over: None, minors: false, ..rule.clone() };
        assert_eq!(lenient.reasons(&a), vec![MajorReason::Fundraising]);
        assert_eq!(a.report_due(&rule), day(2025, 5, 7));
        assert!(!has_errors(&rule.validate()));
    }

    #[test]
    fn the_reporting_flow_goes_due_reported_acknowledged() {
        let mut a = activity();
        assert!(matches!(
            a.record_report("玉林街道", day(2025, 5, 1), ReportChannel::Written),
            Err(ActivityError::NotMajor(_))
        ));
        a.set_major(true);
        assert_eq!(a.report_status, Some(ReportStatus::Due));
        assert!(matches!(a.acknowledge("街道", day(2025, 5, 2)), Err(ActivityError::NotReported(_))));
        assert_eq!(
            a.record_report(" ", day(2025, 5, 1), ReportChannel::Written),
            Err(ActivityError::Missing("报告对象", "recipient"))
        );
        a.record_report("玉林街道党工委", day(2025, 5, 1), ReportChannel::Written).unwrap();
        assert_eq!(a.report_status, Some(ReportStatus::Reported));
        assert!(!has_errors(&a.validate()));
        a.acknowledge("李主任", day(2025, 5, 3)).unwrap();
        assert_eq!(a.report_status, Some(ReportStatus::Acknowledged));
        assert!(!has_errors(&a.validate()));
        assert!(matches!(
            a.record_report("别处", day(2025, 5, 4), ReportChannel::Phone),
            Err(ActivityError::AlreadyAcknowledged(_))
        ));
        // A report typed in by hand must be complete.
        let mut b = activity();
        b.major = true;
        b.report_status = Some(ReportStatus::Reported);
        assert!(b.validate().iter().any(|p| p.field == "reported_to"));
        // Unmarking a major activity withdraws a due report, not a made one.
        let mut c = activity();
        c.set_major(true);
        c.set_major(false);
        assert_eq!(c.report_status, None);
    }

    #[test]
    fn periods_parse_as_ledgers_write_them() {
        assert_eq!(Period::parse("2025").unwrap(), Period::Year(2025));
        assert_eq!(Period::parse("2025-H1").unwrap(), Period::Half(2025, 1));
        assert_eq!(Period::parse("2025年上半年").unwrap(), Period::Half(2025, 1));
        assert_eq!(Period::parse("2025年第三季度").unwrap(), Period::Quarter(2025, 3));
        assert_eq!(Period::parse("２０２５-q4").unwrap(), Period::Quarter(2025, 4));
        assert_eq!(Period::parse("2025年7月").unwrap(), Period::Month(2025, 7));
        assert_eq!(Period::parse("2025-07").unwrap().to_string(), "2025-07");
        for bad in ["", "25", "2025-13", "2025-Q5", "明年"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        let h2 = Period::Half(2025, 2);
        assert_eq!((h2.first_day(), h2.last_day()), (day(2025, 7, 1), day(2025, 12, 31)));
        assert!(Period::Year(2025).covers(h2));
        assert!(!h2.covers(Period::Quarter(2025, 1)));
        assert_eq!(Period::Month(2024, 2).last_day(), day(2024, 2, 29));
        assert_eq!(h2.label(Lang::Zh), "2025年下半年");
    }

    #[test]
    fn work_reports_and_their_review() {
        let mut r = WorkReport::new("org1".into(), "510104001002", Period::Half(2025, 1), day(2025, 7, 5));
        assert_eq!(r.partition().as_deref(), Some("510104-2025"));
        assert!(!has_errors(&r.validate()));
        assert!(r.record_review(ReviewResult::Satisfied, day(2025, 7, 20), "", "").is_err());
        r.record_review(ReviewResult::Satisfied, day(2025, 7, 20), "社区两委、居民代表", "按时开展").unwrap();
        assert!(!has_errors(&r.validate()));
        r.reviewed_on = Some(day(2025, 7, 1));
        assert!(has_errors(&r.validate()), "reviewed before reported");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["period"], "2025-H1");
        assert_eq!(json["committees"], "township,community");
        assert_eq!(serde_json::from_value::<WorkReport>(json).unwrap(), r);
    }
}
