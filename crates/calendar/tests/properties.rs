//! Invariants of period counting, checked over random starts and lengths in 2019–2026.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use lvzhi_calendar::{Calendar, Datelike, NaiveDate, Period};
use proptest::prelude::*;
use std::sync::LazyLock;

/// Built once: building the tables is the slow part, and every case reads the same calendar.
static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

fn date_2019_2026() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    (0u64..2922).prop_map(move |k| first + lvzhi_calendar::chrono_days::Days::new(k))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Adding N working days and counting back gives N again.
    #[test]
    fn add_then_count_back_round_trips(start in date_2019_2026(), n in 0u32..400) {
        let cal = &*CAL;
        let dl = cal.add(start, Period::WorkingDays(n)).unwrap();
        let back = cal.working_days_between(start, dl.due).unwrap();
        prop_assert_eq!(back.working_days, i64::from(n));
        prop_assert_eq!(cal.working_days_between(dl.due, start).unwrap().working_days, -i64::from(n));
        if n > 0 {
            prop_assert!(cal.is_workday(dl.due).unwrap());
        }
    }

    /// A later start never gives an earlier due date; a longer period never an earlier one.
    #[test]
    fn deadlines_are_monotone(a in date_2019_2026(), b in date_2019_2026(), n in 0u32..100, m in 0u32..100) {
        let cal = &*CAL;
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let (n, m) = if n <= m { (n, m) } else { (m, n) };
        for p in [Period::WorkingDays(n), Period::Days(n)] {
            prop_assert!(cal.add(a, p).unwrap().due <= cal.add(b, p).unwrap().due);
        }
        let wd = |k| cal.add(a, Period::WorkingDays(k)).unwrap().due;
        prop_assert!(wd(n) <= wd(m));
        if n < m {
            prop_assert!(wd(n) < wd(m));
        }
        let cd = |k| cal.add(a, Period::Days(k)).unwrap().due;
        prop_assert!(cd(n) <= cd(m));
    }

    /// A day period ends on a working day, no earlier than N days after the start, and only
    /// passes over rest days.
    #[test]
    fn day_periods_end_on_the_first_working_day_from_the_nth_day(start in date_2019_2026(), n in 0u32..60) {
        let cal = &*CAL;
        let due = cal.add(start, Period::Days(n)).unwrap().due;
        let nth = start + lvzhi_calendar::chrono_days::Days::new(u64::from(n));
        prop_assert!(due >= nth);
        prop_assert!(cal.is_workday(due).unwrap());
        for day in nth.iter_days().take_while(|x| *x < due) {
            prop_assert!(!cal.is_workday(day).unwrap());
        }
    }

    /// Working days elapsed are additive over consecutive spans.
    #[test]
    fn counting_is_additive(a in date_2019_2026(), b in date_2019_2026(), c in date_2019_2026()) {
        let cal = &*CAL;
        let ab = cal.working_days_between(a, b).unwrap().working_days;
        let bc = cal.working_days_between(b, c).unwrap().working_days;
        let ac = cal.working_days_between(a, c).unwrap().working_days;
        prop_assert_eq!(ab + bc, ac);
    }

    /// Provisional exactly when the span touches a year outside 2019–2026.
    #[test]
    fn provisional_iff_a_year_is_missing(start in date_2019_2026(), n in 0u32..800) {
        let cal = &*CAL;
        let dl = cal.add(start, Period::WorkingDays(n)).unwrap();
        prop_assert_eq!(dl.provisional, dl.due.year() > 2026);
        prop_assert_eq!(dl.provisional, !dl.missing_years.is_empty());
    }
}
