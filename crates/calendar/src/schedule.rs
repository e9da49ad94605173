//! The text format of one year's schedule: the State Council's yearly notice, or a unit's local
//! additions to it.
//!
//! ```text
//! # 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）
//! year 2024
//! source 国办发明电〔2023〕7号
//! holiday 2024-02-10..2024-02-17 春节
//! workday 2024-02-04 春节调休上班
//! ```
//!
//! A line-oriented format was chosen over TOML because it reads like the notice itself, diffs
//! line by line, and lets every error name the exact line and column an office clerk must fix.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// Whether a file is a whole year's official schedule or additions on top of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleMode {
    /// The State Council's notice for the year: replaces any schedule loaded for that year.
    Replace,
    /// Local extra days (e.g. a regional holiday) added to the year's official schedule.
    Extend,
}

/// How a listed day departs from the ordinary Monday–Friday week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialKind {
    /// 法定节假日 or a day off by 调休: not a working day even if it is a weekday.
    Holiday,
    /// 调休上班: a Saturday or Sunday that is a working day.
    Workday,
}

/// One listed day, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecialDay {
    /// The day.
    pub date: NaiveDate,
    /// Day off or make-up workday.
    pub kind: SpecialKind,
    /// Its name as the file gives it (国庆节 …).
    pub name: String,
    /// The file's line that lists it.
    pub line: usize,
}

/// A parsed and validated schedule file for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSchedule {
    /// The year the file covers.
    pub year: i32,
    /// The notice it is taken from (its `source` line).
    pub source: String,
    /// Whether it is the State Council schedule or a local supplement.
    pub mode: ScheduleMode,
    /// Listed days in date order, at most one entry a date.
    pub days: BTreeMap<NaiveDate, SpecialDay>,
}

/// What is wrong with a schedule file; always tied to a line (and column where one applies).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第{line}行第{column}列：{kind}")]
pub struct ScheduleError {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1 (in characters).
    pub column: usize,
    /// What is wrong.
    pub kind: ScheduleErrorKind,
}

/// What is wrong with a line of a schedule file (its `Display` is the Chinese message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleErrorKind {
    /// A line starts with a word other than the five directives.
    UnknownDirective(String),
    /// A date line comes before the `year` line.
    MissingYear,
    /// A second `year` line.
    YearTwice {
        /// The line of the first.
        first_line: usize,
    },
    /// The year is not a four-digit number.
    BadYear(String),
    /// A date that does not exist or is not written `YYYY-MM-DD`.
    BadDate(String),
    /// A range whose start is after its end.
    ReversedRange {
        /// The range's start.
        from: NaiveDate,
        /// The range's end.
        to: NaiveDate,
    },
    /// A date outside the file's year.
    OutsideYear {
        /// The date.
        date: NaiveDate,
        /// The file's year.
        year: i32,
    },
    /// A `holiday` or `workday` line without a name.
    MissingName,
    /// A directive without its value (the directive is named).
    MissingValue(&'static str),
    /// A `mode` other than `replace` or `extend`.
    BadMode(String),
    /// A date listed twice.
    Duplicate {
        /// The date.
        date: NaiveDate,
        /// The line that listed it first.
        first_line: usize,
    },
    /// A date listed both as a day off and as a make-up workday.
    HolidayOnWorkday {
        /// The date.
        date: NaiveDate,
        /// The other line that lists it.
        first_line: usize,
    },
    /// A make-up workday that is not a Saturday or Sunday.
    WorkdayNotWeekend {
        /// The date.
        date: NaiveDate,
    },
    /// A file that lists no day.
    Empty,
}

impl fmt::Display for ScheduleErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ScheduleErrorKind::*;
        match self {
            UnknownDirective(word) => write!(
                f,
                "无法识别的指令“{word}”，应为 year、source、mode、holiday 或 workday"
            ),
            MissingYear => write!(f, "缺少“year 年份”行，日期行之前必须先写明年份"),
            YearTwice { first_line } => {
                write!(f, "年份重复声明，第{first_line}行已声明过年份")
            }
            BadYear(s) => write!(f, "年份“{s}”无效，应为四位数字，如 2027"),
            BadDate(s) => write!(
                f,
                "日期“{s}”无效，应为存在的公历日期，格式为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD"
            ),
            ReversedRange { from, to } => {
                write!(f, "日期区间“{from}..{to}”的起始日期晚于结束日期")
            }
            OutsideYear { date, year } => {
                write!(f, "日期 {date} 不在本文件声明的 {year} 年度内")
            }
            MissingName => write!(f, "缺少名称，例如“holiday 2027-10-01..2027-10-07 国庆节”"),
            MissingValue(what) => write!(f, "“{what}”后缺少内容"),
            BadMode(s) => write!(
                f,
                "模式“{s}”无效，应为 replace（国务院安排）或 extend（地方补充）"
            ),
            Duplicate { date, first_line } => {
                write!(f, "日期 {date} 重复列出，第{first_line}行已列出该日期")
            }
            HolidayOnWorkday { date, first_line } => write!(
                f,
                "日期 {date} 既列为放假日又列为调休上班日（另见第{first_line}行）"
            ),
            WorkdayNotWeekend { date } => write!(
                f,
                "调休上班日 {date} 是{}，调休上班日只能是周六或周日",
                weekday_zh(date.weekday())
            ),
            Empty => write!(f, "文件中没有任何放假日或调休上班日"),
        }
    }
}

/// The Chinese name of a weekday, as offices write it (周一 … 周日).
pub fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// Parses a strict `YYYY-MM-DD` date (four-digit year, two-digit month and day).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = digits(0..4)? as i32;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

fn err(line: usize, column: usize, kind: ScheduleErrorKind) -> ScheduleError {
    ScheduleError { line, column, kind }
}

/// Splits off the first whitespace-separated word; returns (word, its 1-based char column, rest).
fn split_word(s: &str, offset_chars: usize) -> Option<(&str, usize, &str)> {
    let trimmed = s.trim_start();
    if trimmed.is_empty() {
        return None;
    }
    let lead = s[..s.len() - trimmed.len()].chars().count();
    let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
    Some((&trimmed[..end], offset_chars + lead + 1, &trimmed[end..]))
}

/// Parses and validates one schedule file. Nothing is returned unless the whole file is valid.
pub fn parse_schedule(text: &str) -> Result<YearSchedule, ScheduleError> {
    let mut year: Option<(i32, usize)> = None;
    let mut source = String::new();
    let mut mode = ScheduleMode::Replace;
    let mut days: BTreeMap<NaiveDate, SpecialDay> = BTreeMap::new();
    // Strip a UTF-8 byte-order mark, which Windows editors like to add.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or("");
        let Some((word, col, rest)) = split_word(content, 0) else {
            continue;
        };
        let rest_col = col + word.chars().count();
        match word {
            "year" => {
                if let Some((_, first_line)) = year {
                    return Err(err(line, col, ScheduleErrorKind::YearTwice { first_line }));
                }
                let (value, vcol, _) = split_word(rest, rest_col - 1)
                    .ok_or_else(|| err(line, col, ScheduleErrorKind::MissingValue("year")))?;
                let y = match value.parse::<i32>() {
                    Ok(y) if value.len() == 4 && (1900..=2199).contains(&y) => y,
                    _ => {
                        return Err(err(line, vcol, ScheduleErrorKind::BadYear(value.into())));
                    }
                };
                year = Some((y, line));
            }
            "source" => {
                let value = rest.trim();
                if value.is_empty() {
                    return Err(err(line, col, ScheduleErrorKind::MissingValue("source")));
                }
                source = value.to_string();
            }
            "mode" => {
                let (value, vcol, _) = split_word(rest, rest_col - 1)
                    .ok_or_else(|| err(line, col, ScheduleErrorKind::MissingValue("mode")))?;
                mode = match value {
                    "replace" => ScheduleMode::Replace,
                    "extend" => ScheduleMode::Extend,
                    other => return Err(err(line, vcol, ScheduleErrorKind::BadMode(other.into()))),
                };
            }
            "holiday" | "workday" => {
                let kind = if word == "holiday" {
                    SpecialKind::Holiday
                } else {
                    SpecialKind::Workday
                };
                let Some((y, _)) = year else {
                    return Err(err(line, col, ScheduleErrorKind::MissingYear));
                };
                let (range, dcol, name_rest) = split_word(rest, rest_col - 1).ok_or_else(|| {
                    err(
                        line,
                        col,
                        ScheduleErrorKind::MissingValue(word_static(word)),
                    )
                })?;
                let name = name_rest.trim();
                if name.is_empty() {
                    return Err(err(line, dcol, ScheduleErrorKind::MissingName));
                }
                let (from, to) = match range.split_once("..") {
                    Some((a, b)) => (a, b),
                    None => (range, range),
                };
                let bad = || err(line, dcol, ScheduleErrorKind::BadDate(range.into()));
                let from = parse_date(from).ok_or_else(bad)?;
                let to = parse_date(to).ok_or_else(bad)?;
                if to < from {
                    return Err(err(
                        line,
                        dcol,
                        ScheduleErrorKind::ReversedRange { from, to },
                    ));
                }
                for date in from.iter_days().take_while(|d| *d <= to) {
                    if date.year() != y {
                        return Err(err(
                            line,
                            dcol,
                            ScheduleErrorKind::OutsideYear { date, year: y },
                        ));
                    }
                    if kind == SpecialKind::Workday
                        && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
                    {
                        return Err(err(
                            line,
                            dcol,
                            ScheduleErrorKind::WorkdayNotWeekend { date },
                        ));
                    }
                    if let Some(prev) = days.get(&date) {
                        let first_line = prev.line;
                        let kind_err = if prev.kind == kind {
                            ScheduleErrorKind::Duplicate { date, first_line }
                        } else {
                            ScheduleErrorKind::HolidayOnWorkday { date, first_line }
                        };
                        return Err(err(line, dcol, kind_err));
                    }
                    days.insert(
                        date,
                        SpecialDay {
                            date,
                            kind,
                            name: name.to_string(),
                            line,
                        },
                    );
                }
            }
            other => {
                return Err(err(
                    line,
                    col,
                    ScheduleErrorKind::UnknownDirective(other.into()),
                ));
            }
        }
    }
    let last_line = text.lines().count().max(1);
    let Some((year, _)) = year else {
        return Err(err(last_line, 1, ScheduleErrorKind::MissingYear));
    };
    if days.is_empty() {
        return Err(err(last_line, 1, ScheduleErrorKind::Empty));
    }
    Ok(YearSchedule {
        year,
        source,
        mode,
        days,
    })
}

fn word_static(word: &str) -> &'static str {
    if word == "holiday" {
        "holiday"
    } else {
        "workday"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(text: &str) -> ScheduleError {
        parse_schedule(text).expect_err("should be rejected")
    }

    #[test]
    fn parses_ranges_and_names() {
        let s = parse_schedule(
            "# c\nyear 2024\nsource 国办发明电〔2023〕7号\nholiday 2024-02-10..2024-02-17 春节\nworkday 2024-02-04 春节调休上班\n",
        )
        .unwrap();
        assert_eq!(s.year, 2024);
        assert_eq!(s.days.len(), 9);
        assert_eq!(s.mode, ScheduleMode::Replace);
        assert_eq!(
            s.days[&NaiveDate::from_ymd_opt(2024, 2, 4).unwrap()].name,
            "春节调休上班"
        );
    }

    #[test]
    fn rejects_date_listed_twice_naming_both_lines() {
        let x = e("year 2024\nholiday 2024-10-01..2024-10-07 国庆节\nholiday 2024-10-07 重复\n");
        assert_eq!((x.line, x.column), (3, 9));
        assert!(matches!(
            x.kind,
            ScheduleErrorKind::Duplicate { first_line: 2, .. }
        ));
        assert!(x.to_string().starts_with("第3行第9列："), "{x}");
    }

    #[test]
    fn rejects_holiday_on_make_up_day() {
        let x = e("year 2024\nworkday 2024-02-04 调休\nholiday 2024-02-04 春节\n");
        assert_eq!(x.line, 3);
        assert!(matches!(
            x.kind,
            ScheduleErrorKind::HolidayOnWorkday { first_line: 2, .. }
        ));
    }

    #[test]
    fn rejects_malformed_and_impossible_dates() {
        assert!(matches!(
            e("year 2024\nholiday 2024-02-30 x\n").kind,
            ScheduleErrorKind::BadDate(_)
        ));
        assert!(matches!(
            e("year 2024\nholiday 2024-2-3 x\n").kind,
            ScheduleErrorKind::BadDate(_)
        ));
        assert!(matches!(
            e("year 2024\nholiday 2024-02-03..2024-02-01 x\n").kind,
            ScheduleErrorKind::ReversedRange { .. }
        ));
        assert!(matches!(
            e("year 2024\nholiday 2025-01-01 x\n").kind,
            ScheduleErrorKind::OutsideYear { .. }
        ));
    }

    #[test]
    fn rejects_make_up_day_on_a_weekday() {
        let x = e("year 2024\nworkday 2024-02-05 调休\n");
        assert!(x.to_string().contains("周一"), "{x}");
    }

    #[test]
    fn rejects_structural_mistakes() {
        assert!(matches!(
            e("holiday 2024-01-01 元旦\n").kind,
            ScheduleErrorKind::MissingYear
        ));
        assert!(matches!(
            e("year 2024\nyear 2024\n").kind,
            ScheduleErrorKind::YearTwice { first_line: 1 }
        ));
        assert!(matches!(e("year 24\n").kind, ScheduleErrorKind::BadYear(_)));
        assert!(matches!(
            e("year 2024\nfeiertag 2024-01-01 x\n").kind,
            ScheduleErrorKind::UnknownDirective(_)
        ));
        assert!(matches!(
            e("year 2024\nholiday 2024-01-01\n").kind,
            ScheduleErrorKind::MissingName
        ));
        assert!(matches!(e("year 2024\n").kind, ScheduleErrorKind::Empty));
        assert!(matches!(
            e("year 2024\nmode merge\n").kind,
            ScheduleErrorKind::BadMode(_)
        ));
    }

    #[test]
    fn column_counts_characters_not_bytes() {
        // Leading full-width text before an error must not shift the column by UTF-8 byte counts.
        let x = e("year 2024\n  holiday 2024-13-01 元旦\n");
        assert_eq!((x.line, x.column), (2, 11));
    }
}
