//! The working-day calendar: loaded yearly schedules plus precomputed tables that make every
//! period computation O(1).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use crate::period::{Deadline, Period};
use crate::schedule::{parse_schedule, ScheduleError, ScheduleMode, SpecialKind, YearSchedule};

/// First and last year the tables cover. Statutory periods of live cases fall well inside.
pub const FIRST_YEAR: i32 = 1990;
/// The last year the tables cover (see [`FIRST_YEAR`]).
pub const LAST_YEAR: i32 = 2099;

/// The schedules that ship inside the binary: one State Council notice a year.
const EMBEDDED: &[(&str, &str)] = &[
    ("2019.txt", include_str!("../data/2019.txt")),
    ("2020.txt", include_str!("../data/2020.txt")),
    ("2021.txt", include_str!("../data/2021.txt")),
    ("2022.txt", include_str!("../data/2022.txt")),
    ("2023.txt", include_str!("../data/2023.txt")),
    ("2024.txt", include_str!("../data/2024.txt")),
    ("2025.txt", include_str!("../data/2025.txt")),
    ("2026.txt", include_str!("../data/2026.txt")),
];

/// Why a date cannot be counted or a schedule cannot be loaded, in formal Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A date outside the years the tables cover.
    #[error("日期 {0} 超出日历支持的范围（{FIRST_YEAR}年至{LAST_YEAR}年）")]
    OutOfRange(NaiveDate),
    /// A period whose due date would fall outside the years the tables cover.
    #[error("期间终点超出日历支持的范围（{FIRST_YEAR}年至{LAST_YEAR}年）")]
    DueOutOfRange,
    /// A schedule file does not parse or validate.
    #[error("{file}：{source}")]
    Schedule {
        /// The file's name, as the message cites it.
        file: String,
        /// What is wrong, and on which line.
        #[source]
        source: ScheduleError,
    },
    /// A local supplement (`mode extend`) for a year with no State Council schedule loaded.
    #[error("{file}：{year}年尚未载入国务院节假日安排，不能追加地方补充日期；请先导入该年度的国务院通知")]
    ExtendWithoutBase {
        /// The supplement's file name.
        file: String,
        /// The year it supplements.
        year: i32,
    },
    /// A local supplement lists a day the State Council schedule already lists.
    #[error("{file}：第{line}行：日期 {date} 在{year}年国务院安排中已列为“{existing}”，地方补充不能重复或改变该日")]
    ExtendConflict {
        /// The supplement's file name.
        file: String,
        /// The supplement's line listing the day.
        line: usize,
        /// The day listed twice.
        date: NaiveDate,
        /// The year of the schedules.
        year: i32,
        /// The day's name in the State Council schedule.
        existing: String,
    },
}

/// What a single day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Weekday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A listed day off (法定节假日 or 调休放假).
    Holiday,
    /// A listed Saturday or Sunday worked (调休上班).
    MakeUpWorkday,
}

/// One day of the calendar, as `calendar list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayInfo {
    /// The day.
    pub date: NaiveDate,
    /// Whether it is a working day.
    pub workday: bool,
    /// The holiday or make-up workday's name, for a listed day.
    pub name: Option<String>,
    /// What the day is.
    #[serde(skip)]
    pub kind: DayKind,
    /// The year of this day has no loaded schedule: weekends only, holidays unknown.
    #[serde(skip)]
    pub provisional: bool,
}

/// A working-day calendar. Immutable: loading another schedule builds a new one, so readers
/// never see a half-updated table.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Effective schedule per year: the official notice with any local extension merged in.
    years: BTreeMap<i32, YearSchedule>,
    /// Day number (days from CE) of 1 January of `FIRST_YEAR`.
    base: i32,
    /// `is_work[i]`: day `base + i` is a working day.
    is_work: Vec<bool>,
    /// `cum[i]`: number of working days in days `0..=i`.
    cum: Vec<u32>,
    /// `nth[k]`: index of the working day with `cum == k + 1`.
    nth: Vec<u32>,
    /// `unloaded_before[y - FIRST_YEAR]`: years in `FIRST_YEAR..y` with no loaded schedule.
    unloaded_before: Vec<u16>,
}

impl Calendar {
    /// The calendar of the schedules shipped inside the binary (2019 onwards).
    pub fn embedded() -> Self {
        let mut years = BTreeMap::new();
        for (file, text) in EMBEDDED {
            match parse_schedule(text) {
                Ok(s) => {
                    years.insert(s.year, s);
                }
                // The shipped files are checked by this crate's tests; a broken one must not
                // take the whole system down, so it is left out (its year becomes provisional).
                Err(e) => debug_assert!(false, "embedded schedule {file} is invalid: {e}"),
            }
        }
        Self::from_years(years)
    }

    /// A calendar that knows weekends only (every year provisional).
    pub fn weekends_only() -> Self {
        Self::from_years(BTreeMap::new())
    }

    /// The schedule files shipped inside the binary, by file name.
    pub fn embedded_sources() -> &'static [(&'static str, &'static str)] {
        EMBEDDED
    }

    /// Returns a new calendar with one more schedule file applied. `file` names it in errors.
    /// A replace file supersedes the year's official schedule but keeps none of its local
    /// additions; an extend file adds local days on top of an already loaded official year.
    pub fn with_schedule_text(&self, file: &str, text: &str) -> Result<Self, CalendarError> {
        let schedule = parse_schedule(text).map_err(|source| CalendarError::Schedule {
            file: file.to_string(),
            source,
        })?;
        self.with_schedule(file, schedule)
    }

    /// As [`Self::with_schedule_text`], for an already parsed schedule.
    pub fn with_schedule(&self, file: &str, schedule: YearSchedule) -> Result<Self, CalendarError> {
        let mut years = self.years.clone();
        match schedule.mode {
            ScheduleMode::Replace => {
                years.insert(schedule.year, schedule);
            }
            ScheduleMode::Extend => {
                let Some(base) = years.get_mut(&schedule.year) else {
                    return Err(CalendarError::ExtendWithoutBase {
                        file: file.to_string(),
                        year: schedule.year,
                    });
                };
                for (date, day) in schedule.days {
                    if let Some(existing) = base.days.get(&date) {
                        return Err(CalendarError::ExtendConflict {
                            file: file.to_string(),
                            line: day.line,
                            date,
                            year: schedule.year,
                            existing: existing.name.clone(),
                        });
                    }
                    base.days.insert(date, day);
                }
                if !schedule.source.is_empty() {
                    base.source = format!("{}；{}", base.source, schedule.source);
                }
            }
        }
        Ok(Self::from_years(years))
    }

    fn from_years(years: BTreeMap<i32, YearSchedule>) -> Self {
        let base = day_number(first_day());
        let days = (day_number(last_day()) - base + 1) as usize;
        let mut is_work = Vec::with_capacity(days);
        let mut cum = Vec::with_capacity(days);
        let mut nth = Vec::with_capacity(days * 5 / 7 + 1);
        let mut count = 0u32;
        for (i, date) in first_day().iter_days().take(days).enumerate() {
            let work = match years.get(&date.year()).and_then(|y| y.days.get(&date)) {
                Some(d) => d.kind == SpecialKind::Workday,
                None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
            };
            if work {
                count += 1;
                nth.push(i as u32);
            }
            is_work.push(work);
            cum.push(count);
        }
        let mut unloaded_before = Vec::with_capacity((LAST_YEAR - FIRST_YEAR + 2) as usize);
        let mut missing = 0u16;
        for y in FIRST_YEAR..=LAST_YEAR + 1 {
            unloaded_before.push(missing);
            if !years.contains_key(&y) {
                missing += 1;
            }
        }
        Calendar {
            years,
            base,
            is_work,
            cum,
            nth,
            unloaded_before,
        }
    }

    /// The loaded years and their schedules.
    pub fn years(&self) -> &BTreeMap<i32, YearSchedule> {
        &self.years
    }

    /// Whether `year` has an official schedule loaded.
    pub fn is_loaded(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        let i = day_number(date) - self.base;
        if i < 0 || i as usize >= self.is_work.len() {
            return Err(CalendarError::OutOfRange(date));
        }
        Ok(i as usize)
    }

    fn date_at(&self, index: usize) -> NaiveDate {
        // `index` always comes from the tables, so it is inside the covered range.
        first_day() + chrono::Days::new(index as u64)
    }

    /// Whether `date` is a working day (provisional for a year without a schedule).
    pub fn is_workday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.is_work[self.index(date)?])
    }

    /// Everything known about one day.
    pub fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        let workday = self.is_workday(date)?;
        let listed = self.years.get(&date.year()).and_then(|y| y.days.get(&date));
        let kind = match (listed.map(|d| d.kind), workday) {
            (Some(SpecialKind::Holiday), _) => DayKind::Holiday,
            (Some(SpecialKind::Workday), _) => DayKind::MakeUpWorkday,
            (None, true) => DayKind::Weekday,
            (None, false) => DayKind::Weekend,
        };
        Ok(DayInfo {
            date,
            workday,
            name: listed.map(|d| d.name.clone()),
            kind,
            provisional: !self.is_loaded(date.year()),
        })
    }

    /// Years in `from..=to` with no loaded schedule, in order.
    pub fn missing_years(&self, from: i32, to: i32) -> Vec<i32> {
        if to < from || self.missing_count(from, to) == 0 {
            return Vec::new();
        }
        (from..=to).filter(|y| !self.is_loaded(*y)).collect()
    }

    fn missing_count(&self, from: i32, to: i32) -> u16 {
        let lo = (from.clamp(FIRST_YEAR, LAST_YEAR + 1) - FIRST_YEAR) as usize;
        let hi = (to.clamp(FIRST_YEAR - 1, LAST_YEAR) + 1 - FIRST_YEAR) as usize;
        if hi <= lo {
            return 0;
        }
        self.unloaded_before[hi] - self.unloaded_before[lo]
    }

    /// The due date of `period` started on `start` (the start day itself is not counted).
    ///
    /// - `N` 工作日: the N-th working day after `start`.
    /// - `N` 日: `start + N` days; if that day is not a working day, the period ends on the next
    ///   working day (the rule every seed's day-periods follow, e.g. 000 §23, 002 §13, 004 §27).
    ///
    /// The result is provisional when a day it depends on lies in a year with no schedule.
    pub fn add(&self, start: NaiveDate, period: Period) -> Result<Deadline, CalendarError> {
        let s = self.index(start)?;
        let (due_index, depends_from) = match period {
            Period::WorkingDays(n) => {
                let due = if n == 0 {
                    s
                } else {
                    let target = self.cum[s] as usize + n as usize;
                    *self
                        .nth
                        .get(target - 1)
                        .ok_or(CalendarError::DueOutOfRange)? as usize
                };
                (due, s + 1)
            }
            Period::Days(n) => {
                let end = s + n as usize;
                if end >= self.is_work.len() {
                    return Err(CalendarError::DueOutOfRange);
                }
                let due = if self.is_work[end] {
                    end
                } else {
                    let k = self.cum[end] as usize; // next working day is the (k+1)-th
                    *self.nth.get(k).ok_or(CalendarError::DueOutOfRange)? as usize
                };
                (due, end)
            }
        };
        let due = self.date_at(due_index);
        let from_year = self.date_at(depends_from.min(due_index)).year();
        let missing_years = self.missing_years(from_year, due.year());
        Ok(Deadline {
            start,
            period,
            due,
            provisional: !missing_years.is_empty(),
            missing_years,
        })
    }

    /// Working days elapsed from `from` to `to`: those in `(from, to]`, negative when `to`
    /// is before `from`. Counting back the result of [`Self::add`] gives the period again.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Elapsed, CalendarError> {
        let a = self.index(from)?;
        let b = self.index(to)?;
        let days = i64::from(self.cum[b]) - i64::from(self.cum[a]);
        let (lo, hi) = if a <= b { (from, to) } else { (to, from) };
        let lo_next = lo.succ_opt().unwrap_or(lo);
        let missing_years = if lo == hi {
            Vec::new()
        } else {
            self.missing_years(lo_next.year(), hi.year())
        };
        Ok(Elapsed {
            from,
            to,
            working_days: days,
            provisional: !missing_years.is_empty(),
            missing_years,
        })
    }
}

/// The result of counting working days between two dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Elapsed {
    /// The first date.
    pub from: NaiveDate,
    /// The second date.
    pub to: NaiveDate,
    /// Working days between them.
    pub working_days: i64,
    /// Whether the count crosses a year with no schedule loaded (holidays there unknown).
    pub provisional: bool,
    /// Those years, if any.
    pub missing_years: Vec<i32>,
}

fn day_number(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::parse_date(s).unwrap()
    }

    #[test]
    fn embedded_files_all_parse() {
        for (file, text) in EMBEDDED {
            parse_schedule(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        assert_eq!(Calendar::embedded().years().len(), EMBEDDED.len());
    }

    #[test]
    fn extend_adds_local_days_and_refuses_conflicts() {
        let cal = Calendar::embedded();
        let local = "year 2024\nmode extend\nsource 某盟地方节日\nholiday 2024-07-11 那达慕\n";
        let cal2 = cal.with_schedule_text("local.txt", local).unwrap();
        assert!(cal.is_workday(d("2024-07-11")).unwrap());
        assert!(!cal2.is_workday(d("2024-07-11")).unwrap());
        let clash = "year 2024\nmode extend\nholiday 2024-02-04 x\n";
        let e = cal.with_schedule_text("local.txt", clash).unwrap_err();
        assert!(e.to_string().contains("春节调休上班"), "{e}");
        let no_base = "year 2031\nmode extend\nholiday 2031-07-11 x\n";
        assert!(matches!(
            cal.with_schedule_text("l.txt", no_base),
            Err(CalendarError::ExtendWithoutBase { year: 2031, .. })
        ));
    }

    #[test]
    fn out_of_range_is_an_error_not_a_panic() {
        let cal = Calendar::embedded();
        assert!(cal.add(d("1989-12-31"), Period::WorkingDays(1)).is_err());
        assert!(cal.add(d("2099-12-30"), Period::WorkingDays(400)).is_err());
        assert!(cal.add(d("2099-12-30"), Period::Days(400)).is_err());
        assert!(cal.add(d("2099-12-31"), Period::Days(0)).is_ok());
    }
}
