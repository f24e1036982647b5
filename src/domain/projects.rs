//! Projects and funding, honours and incubation records (issue 12.1, 12.3,
//! 12.5): the seed's funding and cultivation ledger. Amounts are integer
//! fen (分) so that sums are exact; they are shown in 元.

use super::enums::*;
use super::ids::RecordId;
use super::ledger_vocab::*;
use super::records::{Collection, Problem, Record};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use super::ids::id_list;

/// 1234567 fen → "12,345.67".
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

/// Reads an amount as ledgers write it: "50000", "5万", "5.5万元",
/// "12,345.60元", "￥3000", full-width digits. Exact (no floating point).
pub fn parse_yuan(input: &str) -> Result<i64, Problem> {
    let text = super::validate::fold_width(input.trim());
    let bad = || {
        Problem::error(
            "amount_fen",
            format!("金额 '{}' 无法识别,请写作 50000、5万 或 5.5万元 (unrecognized amount)", input.trim()),
        )
    };
    let mut t: String = text.chars().filter(|c| !matches!(c, ',' | ' ' | '¥' | '￥')).collect();
    for suffix in ["人民币", "元整", "元"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.to_string();
        }
    }
    let (t, scale) = match t.strip_suffix('万') {
        Some(rest) => (rest.to_string(), 10_000i64),
        None => (t, 1),
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    // Fen per unit of the written number: 100 for 元, 1,000,000 for 万.
    let per_unit = 100 * scale;
    let digits = per_unit.to_string().len() - 1;
    if frac.len() > digits {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac_fen: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<digits$}").parse().map_err(|_| bad())? };
    whole.checked_mul(per_unit).and_then(|w| w.checked_add(frac_fen)).ok_or_else(bad)
}

// ------------------------------------------------------------------ projects

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: RecordId,
    pub name: String,
    pub kind: ProjectKind,
    /// 资助方: the bureau, foundation or fund that pays.
    #[serde(default)]
    pub funder: String,
    pub year: i32,
    /// Integer fen (分); shown in 元.
    pub amount_fen: i64,
    #[serde(default, with = "code_list")]
    pub domains: Vec<ProjectDomain>,
    /// The lead organization on this federation's roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<RecordId>,
    /// The lead's name as written; the only record of a lead that is not a
    /// community social organization on the roster (a social-work agency).
    #[serde(default)]
    pub lead_name: String,
    #[serde(default, with = "id_list", skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<RecordId>,
    pub status: ProjectStatus,
    /// Date each status was reached, keyed by status code.
    #[serde(default)]
    pub milestones: BTreeMap<String, NaiveDate>,
    /// People served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiaries: Option<u32>,
    /// Who they are (受益对象), as written.
    #[serde(default)]
    pub beneficiary_groups: String,
    /// Activities carried out under the project (ids in `activities`).
    #[serde(default, with = "id_list", skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<RecordId>,
    #[serde(default)]
    pub notes: String,
}

impl Project {
    pub fn new(name: &str, kind: ProjectKind, year: i32, amount_fen: i64) -> Project {
        Project {
            id: RecordId::random(),
            name: super::validate::normalize_name(name),
            kind,
            funder: String::new(),
            year,
            amount_fen,
            domains: Vec::new(),
            lead: None,
            lead_name: String::new(),
            partners: Vec::new(),
            status: ProjectStatus::Applied,
            milestones: BTreeMap::new(),
            beneficiaries: None,
            beneficiary_groups: String::new(),
            activities: Vec::new(),
            notes: String::new(),
        }
    }

    /// Moves the status one step forward (申报 → 立项 → 实施 → 结项 → 评估),
    /// recording the date. Skipping or going back is refused: a project
    /// approved by mistake is corrected by editing, not by the flow.
    pub fn advance(&mut self, to: ProjectStatus, date: NaiveDate) -> Result<(), Problem> {
        if self.status.next() != Some(to) {
            let expected = match self.status.next() {
                Some(n) => format!("「{}」({})", n.zh(), n.en()),
                None => "无 (none: the flow has ended)".into(),
            };
            return Err(Problem::error(
                "status",
                format!(
                    "项目状态只能从「{}」进到下一步 {expected},不能到「{}」 (status moves one step forward only)",
                    self.status.zh(),
                    to.zh()
                ),
            ));
        }
        if let Some(last) = self.milestones.values().max() {
            if date < *last {
                return Err(Problem::error(
                    "milestones",
                    format!("日期 {date} 早于上一步的 {last} (date before the previous step)"),
                ));
            }
        }
        self.status = to;
        self.milestones.insert(to.code().to_string(), date);
        Ok(())
    }

    /// Every organization taking part: the lead, then partners.
    pub fn organizations(&self) -> impl Iterator<Item = &RecordId> {
        self.lead.iter().chain(self.partners.iter())
    }
}

impl Record for Project {
    const COLLECTION: Collection = Collection::Projects;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        self.name.clone()
    }
    /// One document per year: a province holds thousands of projects a year.
    fn partition(&self) -> Option<String> {
        Some(self.year.to_string())
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push(Problem::error("name", "项目名称不能为空 (name is required)"));
        }
        if !(2000..=2100).contains(&self.year) {
            out.push(Problem::error("year", format!("项目年度 {} 无效 (year must be 2000–2100)", self.year)));
        }
        if self.amount_fen < 0 {
            out.push(Problem::error("amount_fen", "金额不能为负 (amount cannot be negative)"));
        }
        if self.lead.is_none() && self.lead_name.trim().is_empty() {
            out.push(Problem::warning("lead", "项目没有承接组织 (no lead organization)"));
        }
        if let Some(lead) = &self.lead {
            if self.partners.contains(lead) {
                out.push(Problem::error("partners", "承接组织不应同时列为合作组织 (lead listed as partner)"));
            }
        }
        for code in self.milestones.keys() {
            if ProjectStatus::parse(code).map(|s| s.code() != code).unwrap_or(true) {
                out.push(Problem::error("milestones", format!("未知的项目状态 '{code}' (unknown status)")));
            }
        }
        if let Some(d) = self.milestones.get(ProjectStatus::Approved.code()) {
            if (d.year() - self.year).abs() > 1 {
                out.push(Problem::warning(
                    "milestones",
                    format!("立项日期 {d} 与项目年度 {} 相差一年以上 (approval far from the project year)", self.year),
                ));
            }
        }
        out
    }
}

// ------------------------------------------------------------------ honours

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Honour {
    pub id: RecordId,
    pub kind: HonourKind,
    pub level: AwardLevel,
    pub year: i32,
    /// 授予单位
    #[serde(default)]
    pub awarded_by: String,
    /// The title as awarded ("2024年度成都市品牌社会组织").
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<RecordId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<RecordId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<RecordId>,
    /// The recipient's name as published; required when no record is linked.
    #[serde(default)]
    pub recipient_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

impl Record for Honour {
    const COLLECTION: Collection = Collection::Honours;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        if self.title.is_empty() {
            format!("{} {}", self.year, self.kind.zh())
        } else {
            self.title.clone()
        }
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if !(2000..=2100).contains(&self.year) {
            out.push(Problem::error("year", format!("荣誉年度 {} 无效 (year must be 2000–2100)", self.year)));
        }
        let (field, linked) = match self.kind.recipient() {
            RecipientKind::Organization => ("organization", self.organization.is_some()),
            RecipientKind::Project => ("project", self.project.is_some()),
            RecipientKind::Person => ("person", self.person.is_some()),
        };
        if !linked && self.recipient_name.trim().is_empty() {
            out.push(Problem::error(
                field,
                format!(
                    "「{}」需指明获得者 (an honour of this kind needs its {field} or a recipient name)",
                    self.kind.zh()
                ),
            ));
        }
        if let Some(d) = self.date {
            if d.year() != self.year && d.year() != self.year + 1 {
                out.push(Problem::warning(
                    "date",
                    format!("授予日期 {d} 与年度 {} 不符 (date outside the year)", self.year),
                ));
            }
        }
        out
    }
}

// --------------------------------------------------------------- incubation

/// One service an incubated organization received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceGiven {
    pub service: IncubationService,
    pub date: NaiveDate,
    #[serde(default)]
    pub provider: String,
}

/// A stay at an incubation platform (孵化): 入壳 to 出壳.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incubation {
    pub id: RecordId,
    pub organization: RecordId,
    /// The platform or base (孵化平台/基地), as named.
    pub platform: String,
    /// Its level in the five-level network.
    pub level: Level,
    /// 入壳
    pub entered: NaiveDate,
    /// 出壳
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<NaiveDate>,
    /// Keyed by a random id so two laptops adding services do not collide.
    #[serde(default)]
    pub services: BTreeMap<RecordId, ServiceGiven>,
}

impl Incubation {
    pub fn is_in_on(&self, day: NaiveDate) -> bool {
        self.entered <= day && self.left.is_none_or(|l| l >= day)
    }

    pub fn services_in_order(&self) -> Vec<&ServiceGiven> {
        let mut v: Vec<&ServiceGiven> = self.services.values().collect();
        v.sort_by_key(|s| s.date);
        v
    }
}

impl Record for Incubation {
    const COLLECTION: Collection = Collection::Incubations;
    fn id(&self) -> &RecordId {
        &self.id
    }
    fn title(&self) -> String {
        format!("{} @ {}", self.organization, self.platform)
    }
    fn validate(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.platform.trim().is_empty() {
            out.push(Problem::error("platform", "孵化平台不能为空 (platform is required)"));
        }
        if let Some(l) = self.left {
            if l < self.entered {
                out.push(Problem::error("left", "出壳日期早于入壳日期 (left before entering)"));
            }
        }
        for s in self.services.values() {
            if s.date < self.entered || self.left.is_some_and(|l| s.date > l) {
                out.push(Problem::warning(
                    "services",
                    format!("{}服务日期 {} 不在孵化期内 (service outside the stay)", s.service.zh(), s.date),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::has_errors;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn amounts_as_ledgers_write_them() {
        assert_eq!(parse_yuan("50000").unwrap(), 5_000_000);
        assert_eq!(parse_yuan("5万").unwrap(), 5_000_000);
        assert_eq!(parse_yuan("5.5万元").unwrap(), 5_500_000);
        assert_eq!(parse_yuan("12,345.6元").unwrap(), 1_234_560);
        assert_eq!(parse_yuan("￥３０００").unwrap(), 300_000);
        assert_eq!(parse_yuan("0.01").unwrap(), 1);
        assert_eq!(parse_yuan("1.234567万").unwrap(), 1_234_567);
        for bad in ["", "约5万", "5万多", "1.234", "-3", "五万"] {
            assert!(parse_yuan(bad).is_err(), "{bad}");
        }
        assert_eq!(yuan(1_234_560), "12,345.60");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(100_000_000), "1,000,000.00");
    }

    #[test]
    fn status_flows_forward_with_dates() {
        let mut p = Project::new("社区长者助餐", ProjectKind::Venture, 2025, 8_000_000);
        assert!(p.advance(ProjectStatus::Running, d(2025, 3, 1)).is_err(), "no skipping");
        p.advance(ProjectStatus::Approved, d(2025, 3, 1)).unwrap();
        assert!(p.advance(ProjectStatus::Running, d(2025, 2, 1)).is_err(), "no going back in time");
        p.advance(ProjectStatus::Running, d(2025, 4, 1)).unwrap();
        assert!(p.advance(ProjectStatus::Approved, d(2025, 5, 1)).is_err(), "no going back");
        assert_eq!(p.milestones["approved"], d(2025, 3, 1));
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["status"], "running");
        assert_eq!(json["amount_fen"], 8_000_000);
        let back: Project = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
        assert_eq!(p.partition().as_deref(), Some("2025"));
    }

    #[test]
    fn project_rules() {
        let mut p = Project::new("助残", ProjectKind::Purchase, 2025, 100);
        p.lead = Some("a".into());
        p.partners = vec!["b".into(), "a".into()];
        assert!(has_errors(&p.validate()));
        p.partners = id_list::parse("b，c、b");
        assert_eq!(p.partners, vec![RecordId::from("b"), RecordId::from("c")]);
        assert!(!has_errors(&p.validate()));
        p.amount_fen = -1;
        assert!(has_errors(&p.validate()));
    }

    #[test]
    fn honour_needs_its_recipient() {
        let mut h = Honour {
            id: RecordId::random(),
            kind: HonourKind::QualityProject,
            level: AwardLevel::City,
            year: 2024,
            awarded_by: "成都市民政局".into(),
            title: String::new(),
            organization: Some("o".into()),
            project: None,
            person: None,
            recipient_name: String::new(),
            date: None,
        };
        assert!(has_errors(&h.validate()), "a project honour names a project");
        h.project = Some("p".into());
        assert!(!has_errors(&h.validate()));
    }

    #[test]
    fn incubation_stay() {
        let mut i = Incubation {
            id: RecordId::random(),
            organization: "o".into(),
            platform: "锦江区社会组织孵化基地".into(),
            level: Level::County,
            entered: d(2024, 3, 1),
            left: Some(d(2024, 2, 1)),
            services: BTreeMap::new(),
        };
        assert!(has_errors(&i.validate()));
        i.left = Some(d(2025, 3, 1));
        i.services.insert(
            "s1".into(),
            ServiceGiven { service: IncubationService::Training, date: d(2024, 5, 1), provider: "社工站".into() },
        );
        assert!(i.validate().is_empty());
        assert!(i.is_in_on(d(2024, 12, 31)) && !i.is_in_on(d(2025, 3, 2)));
    }
}
