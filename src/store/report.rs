//! The report over everything this node holds.

use super::{Store, StoreError};
use crate::domain::report::{Inputs, Report};
use crate::domain::*;

impl Store {
    /// Computes the report from every record; records a peer broke are left
    /// out and returned alongside, so the report still appears.
    pub fn report(&self, today: chrono::NaiveDate, lang: Lang) -> (Report, Vec<StoreError>) {
        fn read<R: Record>(s: &Store, problems: &mut Vec<StoreError>) -> Vec<R> {
            let (records, errors) = s.all_readable::<R>();
            problems.extend(errors);
            records
        }
        let mut problems = Vec::new();
        let orgs: Vec<Organization> = read(self, &mut problems);
        let people: Vec<Person> = read(self, &mut problems);
        let liaisons: Vec<LiaisonAssignment> = read(self, &mut problems);
        let venues: Vec<Venue> = read(self, &mut problems);
        let bookings: Vec<Booking> = read(self, &mut problems);
        let trainings: Vec<Training> = read(self, &mut problems);
        let attendance: Vec<Attendance> = read(self, &mut problems);
        let inputs = Inputs {
            orgs: &orgs,
            people: &people,
            liaisons: &liaisons,
            venues: &venues,
            bookings: &bookings,
            trainings: &trainings,
            attendance: &attendance,
            today,
        };
        (Report::compute(&inputs, lang), problems)
    }
}
