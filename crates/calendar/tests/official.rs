//! The shipped schedules against the State Council's yearly notices, and the period rules of
//! DESIGN §3 against a slow day-by-day reference.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use lvzhi_calendar::{parse_date, Calendar, Datelike, NaiveDate, Period, SpecialKind, Weekday};

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn workday(cal: &Calendar, s: &str) -> bool {
    cal.is_workday(d(s)).unwrap()
}

#[test]
fn notices_2019_to_2026_spot_checks() {
    let cal = Calendar::embedded();
    // (date, is a working day) straight from each year's notice.
    let expected = [
        ("2019-02-02", true),
        ("2019-02-03", true),
        ("2019-02-04", false),
        ("2019-04-28", true),
        ("2019-05-02", false),
        ("2019-05-05", true),
        ("2019-09-29", true),
        ("2019-10-12", true),
        ("2020-01-19", true),
        ("2020-01-31", false),
        ("2020-02-01", false),
        ("2020-02-03", true),
        ("2020-04-26", true),
        ("2020-05-09", true),
        ("2020-06-28", true),
        ("2020-10-08", false),
        ("2020-10-10", true),
        ("2021-02-07", true),
        ("2021-02-20", true),
        ("2021-09-18", true),
        ("2021-10-09", true),
        ("2022-01-29", true),
        ("2022-01-30", true),
        ("2022-04-02", true),
        ("2022-04-24", true),
        ("2022-05-07", true),
        ("2022-10-08", true),
        ("2022-10-09", true),
        ("2023-01-02", false),
        ("2023-01-28", true),
        ("2023-01-29", true),
        ("2023-04-05", false),
        ("2023-04-23", true),
        ("2023-05-06", true),
        ("2023-06-25", true),
        ("2023-10-06", false),
        ("2023-10-07", true),
        ("2023-10-08", true),
        ("2024-02-04", true),
        ("2024-02-18", true),
        ("2024-04-07", true),
        ("2024-04-28", true),
        ("2024-05-11", true),
        ("2024-06-10", false),
        ("2024-09-14", true),
        ("2024-09-29", true),
        ("2024-10-07", false),
        ("2024-10-12", true),
        ("2025-01-26", true),
        ("2025-02-04", false),
        ("2025-02-08", true),
        ("2025-04-27", true),
        ("2025-05-05", false),
        ("2025-06-02", false),
        ("2025-09-28", true),
        ("2025-10-08", false),
        ("2025-10-11", true),
        ("2026-01-02", false),
        ("2026-01-04", true),
        ("2026-02-14", true),
        ("2026-02-23", false),
        ("2026-02-28", true),
        ("2026-05-09", true),
        ("2026-09-20", true),
        ("2026-10-07", false),
        ("2026-10-10", true),
        // Ordinary days stay ordinary.
        ("2024-03-05", true),
        ("2024-03-09", false),
        ("2026-11-24", true),
    ];
    for (date, work) in expected {
        assert_eq!(workday(&cal, date), work, "{date}");
    }
}

#[test]
fn every_year_names_each_statutory_festival() {
    let cal = Calendar::embedded();
    for year in 2019..=2026 {
        let schedule = &cal.years()[&year];
        let names: String = schedule.days.values().map(|d| d.name.as_str()).collect();
        for festival in [
            "元旦",
            "春节",
            "清明节",
            "劳动节",
            "端午节",
            "中秋节",
            "国庆节",
        ] {
            assert!(names.contains(festival), "{year} lacks {festival}");
        }
        for day in schedule.days.values() {
            if day.kind == SpecialKind::Workday {
                assert!(
                    matches!(day.date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{}",
                    day.date
                );
            }
        }
    }
}

#[test]
fn must_show_examples() {
    let cal = Calendar::embedded();
    // Counts the make-up Sunday 2024-09-29 and the make-up Saturday 2024-10-12.
    assert_eq!(
        cal.add(d("2024-09-27"), Period::WorkingDays(7))
            .unwrap()
            .due,
        d("2024-10-12")
    );
    // 5 days end on 2025-05-05, inside the May holiday: rolls to the first working day.
    let dl = cal.add(d("2025-04-30"), Period::Days(5)).unwrap();
    assert_eq!(dl.due, d("2025-05-06"));
    assert!(!dl.provisional);
}

#[test]
fn period_into_an_unloaded_year_is_provisional_and_names_it() {
    let cal = Calendar::embedded();
    let dl = cal.add(d("2026-12-25"), Period::WorkingDays(10)).unwrap();
    assert!(dl.provisional);
    assert_eq!(dl.missing_years, vec![2027]);
    assert_eq!(dl.due, d("2027-01-08"));
    // Wholly inside a loaded year: not provisional, even if started on a year's last day.
    let dl = cal.add(d("2025-12-31"), Period::WorkingDays(5)).unwrap();
    assert!(!dl.provisional, "{dl:?}");
    // A day period ending in a loaded year does not depend on the unloaded start year.
    let dl = cal.add(d("2018-12-31"), Period::Days(10)).unwrap();
    assert!(!dl.provisional, "{dl:?}");
    let dl = cal.add(d("2018-12-20"), Period::WorkingDays(10)).unwrap();
    assert_eq!(dl.missing_years, vec![2018]);
}

#[test]
fn importing_the_next_years_notice_settles_provisional_deadlines() {
    let cal = Calendar::embedded();
    let next = "year 2027\nsource 测试用通知\nholiday 2027-01-01..2027-01-03 元旦\nholiday 2027-01-05 测试\n";
    let cal2 = cal.with_schedule_text("2027.txt", next).unwrap();
    let dl = cal2.add(d("2026-12-25"), Period::WorkingDays(10)).unwrap();
    assert!(!dl.provisional);
    // 2027-01-01 (Fri) and 2027-01-05 (Tue) are now days off: two working days later than weekends-only.
    assert_eq!(dl.due, d("2027-01-12"));
}

/// Working day per the schedules, looked up directly: the reference for the fast tables.
fn slow_is_workday(cal: &Calendar, date: NaiveDate) -> bool {
    match cal
        .years()
        .get(&date.year())
        .and_then(|y| y.days.get(&date))
    {
        Some(day) => day.kind == SpecialKind::Workday,
        None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
    }
}

fn slow_add(cal: &Calendar, start: NaiveDate, period: Period) -> NaiveDate {
    match period {
        Period::WorkingDays(n) => {
            let mut day = start;
            let mut left = n;
            while left > 0 {
                day = day.succ_opt().unwrap();
                if slow_is_workday(cal, day) {
                    left -= 1;
                }
            }
            day
        }
        Period::Days(n) => {
            let mut day = start + chrono_days(n);
            while !slow_is_workday(cal, day) {
                day = day.succ_opt().unwrap();
            }
            day
        }
    }
}

fn chrono_days(n: u32) -> lvzhi_calendar::chrono_days::Days {
    lvzhi_calendar::chrono_days::Days::new(u64::from(n))
}

#[test]
fn fast_path_agrees_with_day_by_day_reference_2019_to_2026() {
    let cal = Calendar::embedded();
    let mut checked = 0;
    for start in d("2019-01-01")
        .iter_days()
        .take_while(|x| *x <= d("2026-12-31"))
    {
        for n in [0, 1, 2, 3, 5, 7, 10, 15, 30, 45, 60] {
            for period in [Period::WorkingDays(n), Period::Days(n)] {
                let fast = cal.add(start, period).unwrap().due;
                assert_eq!(fast, slow_add(&cal, start, period), "{start} + {period}");
                checked += 1;
            }
        }
        assert_eq!(
            cal.is_workday(start).unwrap(),
            slow_is_workday(&cal, start),
            "{start}"
        );
    }
    assert!(checked > 60_000);
}
