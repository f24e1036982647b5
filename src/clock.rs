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

/// The machine's clock moved by a fixed number of hours: a laptop whose
/// clock is wrong, as the nemesis run (tests/nemesis.rs) makes one node's.
#[derive(Clone, Copy, Debug)]
pub struct SkewedClock {
    pub hours: i64,
}

impl Clock for SkewedClock {
    fn now(&self) -> NaiveDateTime {
        SystemClock.now() + chrono::Duration::hours(self.hours)
    }
}

/// Set to a whole number of hours (`-26`, `+30`), every clock of the
/// process is that far off: what the store stamps changes and arrivals
/// with, and what commands take as today. Unset or unreadable: the
/// machine's clock as it is. A fault for tests of real processes; the
/// wall-clock reads outside the `Clock` (TLS, the log's timestamps) are
/// not moved by it (libfaketime moves those too).
pub const SKEW_VAR: &str = "HUBSYNC_FAULT_CLOCK_SKEW_HOURS";

/// The clock a process runs on: the machine's, skewed if `SKEW_VAR` says so.
pub fn machine() -> std::sync::Arc<dyn Clock> {
    match std::env::var(SKEW_VAR).ok().and_then(|h| h.trim().trim_start_matches('+').parse::<i64>().ok()) {
        Some(hours) if hours != 0 => std::sync::Arc::new(SkewedClock { hours }),
        _ => std::sync::Arc::new(SystemClock),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skewed_clock_is_that_many_hours_off_the_machines() {
        let skew = chrono::Duration::hours(-26);
        let before = SystemClock.now();
        let skewed = SkewedClock { hours: -26 }.now();
        let after = SystemClock.now();
        assert!(before + skew <= skewed && skewed <= after + skew, "{before} {skewed} {after}");
    }
}
