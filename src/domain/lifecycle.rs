//! The registration lifecycle (issue 12.4): 备案 → 登记 kept as history,
//! the organization form read from the credit code, and exits by kind.

use super::enums::{LegalStatus, Lifecycle};
use super::ledger_vocab::{ExitKind, OrgForm};
use super::records::{Organization, Problem};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// One change of legal status: filed, registered, or back to incubating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub date: NaiveDate,
    /// The status before; absent for the first entry (a new filing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<LegalStatus>,
    pub to: LegalStatus,
    /// The township (filing) or civil affairs bureau (registration).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub authority: String,
    /// Filing number or credit code issued with this change.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub number: String,
}

impl StatusChange {
    /// Same date and target status give the same key: recording one change
    /// twice (two laptops, a re-import) merges instead of doubling it.
    pub fn key(&self) -> String {
        format!("{}.{}", self.date, super::enums::Vocabulary::code(self.to))
    }
}

/// A legal-status change asked for, before it is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChangeRequest {
    pub date: NaiveDate,
    pub to: LegalStatus,
    pub authority: String,
    /// The credit code (to 登记) or filing number (to 备案).
    pub number: String,
}

impl Organization {
    /// The form the credit code says, else the one recorded.
    pub fn form(&self) -> Option<OrgForm> {
        OrgForm::from_credit_code(&self.credit_code).or(self.org_form)
    }

    /// Changes the legal status and keeps the change in the history; the
    /// number goes to the credit code or the filing number.
    pub fn change_status(&mut self, req: StatusChangeRequest) -> Result<StatusChange, Problem> {
        if req.to == self.legal_status {
            return Err(Problem::error(
                "legal_status",
                format!(
                    "组织已是「{}」状态 (already {})",
                    super::enums::Vocabulary::zh(req.to),
                    super::enums::Vocabulary::en(req.to)
                ),
            ));
        }
        if let Some(last) = self.status_history.values().map(|c| c.date).max() {
            if req.date < last {
                return Err(Problem::error(
                    "status_history",
                    format!("变更日期 {} 早于上次变更 {last} (change dated before the last one)", req.date),
                ));
            }
        }
        let number = super::validate::fold_width(req.number.trim());
        match req.to {
            LegalStatus::Registered if !number.is_empty() => self.credit_code = number.to_uppercase(),
            LegalStatus::Filed if !number.is_empty() => self.filing_number = number.clone(),
            _ => {}
        }
        let change = StatusChange {
            date: req.date,
            from: Some(self.legal_status),
            to: req.to,
            authority: req.authority.trim().to_string(),
            number,
        };
        self.legal_status = req.to;
        self.status_history.insert(change.key(), change.clone());
        Ok(change)
    }

    /// Marks the organization exited with kind, date and reason; the record stays.
    pub fn exit_as(&mut self, kind: ExitKind, date: NaiveDate, reason: &str) {
        self.lifecycle = Lifecycle::Exited;
        self.exit_kind = Some(kind);
        self.exit_date = Some(date);
        self.exit_reason = reason.trim().to_string();
    }

    /// The year it came onto the roster: founded, else its first filing or registration.
    pub fn entry_year(&self) -> Option<i32> {
        self.founded.or_else(|| self.status_history.values().map(|c| c.date).min()).map(|d| d.year())
    }

    /// Changes in date order.
    pub fn history(&self) -> Vec<&StatusChange> {
        let mut v: Vec<&StatusChange> = self.status_history.values().collect();
        v.sort_by_key(|c| c.date);
        v
    }
}

/// Rules of the lifecycle on one organization (called by its validate).
pub(crate) fn validate(o: &Organization, out: &mut Vec<Problem>) {
    if let (Some(stored), Some(coded)) = (o.org_form, OrgForm::from_credit_code(&o.credit_code)) {
        if stored != coded {
            out.push(Problem::warning(
                "org_form",
                format!(
                    "组织形式「{}」与统一社会信用代码第2位所示「{}」不符 (form differs from the credit code's)",
                    super::enums::Vocabulary::zh(stored),
                    super::enums::Vocabulary::zh(coded)
                ),
            ));
        }
    }
    if o.exit_kind.is_some() && o.lifecycle != Lifecycle::Exited {
        out.push(Problem::error(
            "exit_kind",
            "未退出的组织不应有退出方式 (exit kind on an organization that has not exited)",
        ));
    }
    if o.lifecycle == Lifecycle::Exited && o.exit_kind.is_none() {
        out.push(Problem::warning(
            "exit_kind",
            "退出的组织应注明退出方式:注销、撤销登记、取消备案、自行解散或合并 (say how it exited)",
        ));
    }
    match (o.exit_kind, o.legal_status) {
        (Some(ExitKind::Deregistered | ExitKind::Revoked), LegalStatus::Filed | LegalStatus::Incubating) => {
            out.push(Problem::warning(
                "exit_kind",
                "注销或撤销登记只适用于登记的组织,备案的组织应为取消备案 (deregistration applies to registered organizations)",
            ))
        }
        (Some(ExitKind::FilingCancelled), LegalStatus::Registered) => out.push(Problem::warning(
            "exit_kind",
            "取消备案只适用于备案的组织 (filing cancellation applies to filed organizations)",
        )),
        _ => {}
    }
    for (key, c) in &o.status_history {
        if *key != c.key() {
            out.push(Problem::error("status_history", format!("变更记录键 '{key}' 应为 '{}' (history key)", c.key())));
        }
        if c.from == Some(c.to) {
            out.push(Problem::error(
                "status_history",
                format!("{}: 变更前后状态相同 (change to the same status)", c.date),
            ));
        }
    }
    if let Some(last) = o.history().last() {
        if last.to != o.legal_status {
            out.push(Problem::warning(
                "status_history",
                "最近一次状态变更与当前法律状态不符 (the last recorded change differs from the current legal status)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::{has_errors, Record, Severity};
    use crate::domain::Category;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn filing_to_registration_is_kept_as_history() {
        let mut o = Organization::new("邻里守望互助会", Category::MutualAid, LegalStatus::Filed, "510104001002");
        o.filing_number = "锦江备2019-012".into();
        o.change_status(StatusChangeRequest {
            date: d(2024, 6, 3),
            to: LegalStatus::Registered,
            authority: "成都市锦江区民政局".into(),
            number: "51420000MJH200395N".into(),
        })
        .unwrap();
        assert_eq!(o.legal_status, LegalStatus::Registered);
        assert_eq!(o.credit_code, "51420000MJH200395N");
        assert_eq!(o.filing_number, "锦江备2019-012", "the filing number stays on record");
        assert_eq!(o.form(), Some(OrgForm::Association));
        let h = o.history();
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].from, h[0].to), (Some(LegalStatus::Filed), LegalStatus::Registered));
        assert!(!has_errors(&o.validate()));
        // Backdating before the last change is refused; so is a no-op.
        let again = StatusChangeRequest {
            date: d(2023, 1, 1),
            to: LegalStatus::Filed,
            authority: String::new(),
            number: String::new(),
        };
        assert!(o.change_status(again.clone()).is_err());
        assert!(o.change_status(StatusChangeRequest { to: LegalStatus::Registered, ..again }).is_err());
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["status_history"]["2024-06-03.registered"]["from"], "filed");
    }

    #[test]
    fn exits_keep_kind_date_and_reason() {
        let mut o = Organization::new("广场舞队", Category::CultureSports, LegalStatus::Filed, "510104001002");
        o.exit_as(ExitKind::FilingCancelled, d(2025, 3, 1), "连续两年未开展活动");
        assert!(!has_errors(&o.validate()));
        assert!(o.validate().iter().all(|p| p.field != "exit_kind"));
        o.exit_kind = Some(ExitKind::Revoked);
        assert!(o.validate().iter().any(|p| p.field == "exit_kind" && p.severity == Severity::Warning));
        o.exit_kind = None;
        assert!(o.validate().iter().any(|p| p.field == "exit_kind"), "kind missing warns");
        o.lifecycle = Lifecycle::Active;
        o.exit_kind = Some(ExitKind::Merged);
        assert!(has_errors(&o.validate()));
    }

    #[test]
    fn form_follows_the_credit_code() {
        let mut o = Organization::new("养老服务中心", Category::ResidentServices, LegalStatus::Registered, "510104");
        o.org_form = Some(OrgForm::Association);
        assert_eq!(o.form(), Some(OrgForm::Association));
        o.credit_code = "52420000MJH233402K".into();
        assert_eq!(o.form(), Some(OrgForm::ServiceInstitution));
        assert!(o.validate().iter().any(|p| p.field == "org_form" && p.severity == Severity::Warning));
    }
}
