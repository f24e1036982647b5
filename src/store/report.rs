//! The report over everything this node holds.

use super::{Store, StoreError};
use crate::domain::report::work::{WorkFigures, WorkInputs};
use crate::domain::report::{Inputs, Report};

/// Months without an activity after which the report lists an organization
/// as quiet (a suggestion to mark it dormant; `activity quiet --months N` asks
/// for another window).
pub const QUIET_MONTHS: u32 = 6;
use crate::domain::*;

impl Store {
    /// Computes the report as of `as_of` from every record; records a peer
    /// broke are left out and returned alongside, so the report still appears.
    pub fn report(&self, as_of: chrono::NaiveDate) -> (Report, Vec<StoreError>) {
        fn read<R: Record>(s: &Store, problems: &mut Vec<StoreError>) -> Vec<R> {
            let (records, errors) = s.all_readable::<R>();
            problems.extend(errors);
            records
        }
        let mut problems = Vec::new();
        let federation = self.federation();
        let orgs: Vec<Organization> = read(self, &mut problems);
        let people: Vec<Person> = read(self, &mut problems);
        let liaisons: Vec<LiaisonAssignment> = read(self, &mut problems);
        let venues: Vec<Venue> = read(self, &mut problems);
        let bookings: Vec<Booking> = read(self, &mut problems);
        let trainings: Vec<Training> = read(self, &mut problems);
        let attendance: Vec<Attendance> = read(self, &mut problems);
        let settings = self.evaluation_settings();
        let inputs = Inputs {
            federation: federation.as_ref(),
            orgs: &orgs,
            people: &people,
            liaisons: &liaisons,
            venues: &venues,
            bookings: &bookings,
            trainings: &trainings,
            attendance: &attendance,
            as_of,
            evaluation: &settings,
        };
        let mut report = Report::compute(&inputs);
        let projects: Vec<Project> = read(self, &mut problems);
        let honours: Vec<Honour> = read(self, &mut problems);
        let activities = self.activity_rows_uncached();
        report.work = WorkFigures::compute(&WorkInputs {
            orgs: &orgs,
            people: &people,
            activities: &activities,
            trained: &self.trained_pairs(),
            projects: &projects,
            honours: &honours,
            rule: &self.major_rule(),
            evaluation: &settings,
            as_of,
            quiet_months: QUIET_MONTHS,
        });
        (report, problems)
    }
}
