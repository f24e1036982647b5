//! Which organizations a figure counts at the as-of date.

use crate::domain::enums::Lifecycle;
use crate::domain::records::Organization;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// An organization's standing at the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Active,
    Dormant,
    /// Exited on or before the as-of date.
    Exited,
    /// Founded after the as-of date: in no figure.
    Later,
}

impl Standing {
    /// Surviving = active + dormant, the default base of every figure.
    pub fn is_surviving(self) -> bool {
        matches!(self, Standing::Active | Standing::Dormant)
    }
}

/// Lifecycle has no history (yet), so an organization that exited after
/// the as-of date counts as active then, and dormancy is as recorded now.
pub fn standing(o: &Organization, as_of: NaiveDate) -> Standing {
    if o.founded.is_some_and(|f| f > as_of) {
        return Standing::Later;
    }
    match o.lifecycle {
        Lifecycle::Exited if o.exit_date.is_none_or(|d| d <= as_of) => Standing::Exited,
        Lifecycle::Exited | Lifecycle::Active => Standing::Active,
        Lifecycle::Dormant => Standing::Dormant,
    }
}

/// The base of the figures: how many organizations there were and which.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Base {
    /// Active + dormant at the as-of date: the denominator of every rate.
    pub surviving: usize,
    pub active: usize,
    pub dormant: usize,
    /// Exited on or before the as-of date (kept, never in `surviving`).
    pub exited: usize,
    /// Founded after the as-of date (in no figure).
    pub founded_later: usize,
    /// Founded in the reporting year, on or before the as-of date.
    pub new_in_year: usize,
    /// Exited in the reporting year, on or before the as-of date.
    pub exited_in_year: usize,
}

impl Base {
    pub fn of<'a>(orgs: impl Iterator<Item = (&'a Organization, Standing)>, as_of: NaiveDate) -> Base {
        let mut b = Base::default();
        for (o, s) in orgs {
            b.count(o, s, as_of);
        }
        b
    }

    /// Counts one more organization of standing `s`.
    pub fn count(&mut self, o: &Organization, s: Standing, as_of: NaiveDate) {
        let in_year = |d: Option<NaiveDate>| d.is_some_and(|d| d.year() == as_of.year() && d <= as_of);
        match s {
            Standing::Active => self.active += 1,
            Standing::Dormant => self.dormant += 1,
            Standing::Exited => self.exited += 1,
            Standing::Later => self.founded_later += 1,
        }
        if s != Standing::Later && in_year(o.founded) {
            self.new_in_year += 1;
        }
        if s == Standing::Exited && in_year(o.exit_date) {
            self.exited_in_year += 1;
        }
        self.surviving = self.active + self.dormant;
    }

    /// Adds another base's counts (of other organizations).
    pub fn merge(&mut self, other: &Base) {
        self.surviving += other.surviving;
        self.active += other.active;
        self.dormant += other.dormant;
        self.exited += other.exited;
        self.founded_later += other.founded_later;
        self.new_in_year += other.new_in_year;
        self.exited_in_year += other.exited_in_year;
    }
}
