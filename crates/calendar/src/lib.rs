//! Official Chinese working-day calendars as data, and the statutory periods counted over them.
//!
//! Pure logic: no I/O. Schedules arrive as text (embedded in the binary, or read by the caller
//! from a file) and are turned into an immutable [`Calendar`] whose tables answer every period
//! computation in constant time.
//!
//! Counting rules (DESIGN §3 "Periods"): the start day is not counted; `N` 工作日 is the N-th
//! working day after the start; `N` 日 ends N calendar days after the start, moved to the next
//! working day when it falls on a rest day; a year without a loaded schedule is counted with
//! weekends only and every result depending on it is marked provisional.

#![warn(missing_docs)]

mod calendar;
mod period;
mod schedule;

pub use calendar::{Calendar, CalendarError, DayInfo, DayKind, Elapsed, FIRST_YEAR, LAST_YEAR};
pub use chrono::{Datelike, NaiveDate, Weekday};

/// Re-exported for callers that add calendar days to a date.
pub mod chrono_days {
    pub use chrono::Days;
}
pub use period::{Deadline, Period, PeriodError, MAX_PERIOD};
pub use schedule::{
    parse_date, parse_schedule, weekday_zh, ScheduleError, ScheduleErrorKind, ScheduleMode,
    SpecialDay, SpecialKind, YearSchedule,
};

/// Formats a date the way Chinese official documents write it: `2022年12月8日`.
pub fn date_zh(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}
