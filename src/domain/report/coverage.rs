//! Party-building coverage as the organization department counts it: two
//! figures (党的组织覆盖 and 党的工作覆盖), with "dispatched" read off the
//! assignments in force, never off a status that stays behind when an
//! assignment ends.

use crate::domain::enums::PartyStatus;
use crate::domain::ids::RecordId;
use crate::domain::records::{LiaisonAssignment, Organization};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashSet;

/// Organizations with an instructor or liaison assignment in force on `day`.
pub fn dispatched_orgs(liaisons: &[LiaisonAssignment], day: NaiveDate) -> HashSet<RecordId> {
    liaisons.iter().filter(|a| a.is_active_on(day)).map(|a| a.organization.clone()).collect()
}

/// One organization's coverage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoverageStatus {
    /// 党组织覆盖: its own (单独建立) or a joint (联合组建) Party organization.
    pub organization: bool,
    /// An instructor or liaison assignment in force.
    pub dispatched: bool,
    /// 党的工作覆盖: organization coverage, or an assignment in force.
    pub work: bool,
}

impl CoverageStatus {
    pub fn of(o: &Organization, has_active_assignment: bool) -> CoverageStatus {
        CoverageStatus::of_status(o.party_status, has_active_assignment)
    }

    /// The same rule from the recorded Party status alone (a list row).
    pub fn of_status(party_status: PartyStatus, has_active_assignment: bool) -> CoverageStatus {
        let organization = matches!(party_status, PartyStatus::Own | PartyStatus::Joint);
        CoverageStatus { organization, dispatched: has_active_assignment, work: organization || has_active_assignment }
    }
}

/// Both coverage figures over a base of surviving organizations.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Coverage {
    /// Surviving organizations (active + dormant) at the as-of date.
    pub base: usize,
    pub own: usize,
    pub joint: usize,
    /// own + joint.
    pub organization_covered: usize,
    /// organization_covered / base; None when the base is empty.
    pub organization_rate: Option<f64>,
    /// With an assignment in force, whatever their own status (a joint
    /// branch and a liaison at once count here and in `joint`).
    pub dispatched: usize,
    /// Covered by an assignment alone (no own or joint organization).
    pub dispatched_only: usize,
    /// organization_covered + dispatched_only.
    pub work_covered: usize,
    /// work_covered / base; None when the base is empty.
    pub work_rate: Option<f64>,
}

impl Coverage {
    /// Counts one surviving organization and says how it is covered.
    pub fn add(&mut self, o: &Organization, has_active_assignment: bool) -> CoverageStatus {
        let s = CoverageStatus::of(o, has_active_assignment);
        self.base += 1;
        match o.party_status {
            PartyStatus::Own => self.own += 1,
            PartyStatus::Joint => self.joint += 1,
            PartyStatus::Dispatched | PartyStatus::Uncovered => {}
        }
        self.organization_covered += s.organization as usize;
        self.dispatched += s.dispatched as usize;
        self.dispatched_only += (s.dispatched && !s.organization) as usize;
        self.work_covered += s.work as usize;
        self.organization_rate = super::ratio(self.organization_covered as f64, self.base as f64);
        self.work_rate = super::ratio(self.work_covered as f64, self.base as f64);
        s
    }

    /// Adds another coverage's counts (of other organizations).
    pub fn merge(&mut self, other: &Coverage) {
        self.base += other.base;
        self.own += other.own;
        self.joint += other.joint;
        self.organization_covered += other.organization_covered;
        self.dispatched += other.dispatched;
        self.dispatched_only += other.dispatched_only;
        self.work_covered += other.work_covered;
        self.organization_rate = super::ratio(self.organization_covered as f64, self.base as f64);
        self.work_rate = super::ratio(self.work_covered as f64, self.base as f64);
    }
}
