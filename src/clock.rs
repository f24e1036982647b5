//! The one place that reads the wall clock. Everything that needs "now"
//! (a default start date, a sign-in time, the report's as-of day) is given
//! a `Clock`, so tests run at fixed dates and a laptop with a wrong clock
//! is a test case rather than a surprise.

use chrono::{NaiveDate, NaiveDateTime};

pub trait Clock: Send + Sync {
    /// Local date and time, as the secretary's wall clock shows it.
    fn now(&self) -> NaiveDateTime;

    fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// The machine's clock, in its local time zone.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }
}

/// A clock that always shows one moment (tests, replays).
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub NaiveDateTime);

impl FixedClock {
    /// 09:00 on the given day.
    pub fn on(year: i32, month: u32, day: u32) -> FixedClock {
        let date = NaiveDate::from_ymd_opt(year, month, day).expect("a valid date");
        FixedClock(date.and_hms_opt(9, 0, 0).expect("a valid time"))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        self.0
    }
}
