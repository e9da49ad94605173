//! The two kinds of statutory period (工作日 / 日) and the deadline they produce.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A statutory period. The start day is never counted (DESIGN §3 "Periods").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// `N` 工作日, written `Nwd`: e.g. 000 §13's 7 working days to accept.
    WorkingDays(u32),
    /// `N` 日, written `Nd`: e.g. 000 §23's publicity of at least 5 days.
    Days(u32),
}

/// The longest period accepted: no regulation sets one near this, and it keeps the arithmetic
/// far from overflow.
pub const MAX_PERIOD: u32 = 3650;

/// Why a period's text does not read, in formal Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not a number followed by a unit.
    #[error("期间“{0}”无效：应写作“数字+单位”，如 7wd（7个工作日）或 5d（5日）")]
    Malformed(String),
    /// Longer than [`MAX_PERIOD`].
    #[error("期间“{0}”过长：不能超过 {MAX_PERIOD} 日或工作日")]
    TooLong(String),
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Accepts `7wd`, `5d`, and the Chinese forms `7个工作日`, `7工作日`, `5日`, `5天`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let digits_end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(digits_end);
        if num.is_empty() {
            return Err(PeriodError::Malformed(s.to_string()));
        }
        let n: u64 = num
            .parse()
            .map_err(|_| PeriodError::TooLong(s.to_string()))?;
        if n > u64::from(MAX_PERIOD) {
            return Err(PeriodError::TooLong(s.to_string()));
        }
        let n = n as u32;
        match unit.trim() {
            "wd" | "WD" | "个工作日" | "工作日" => Ok(Period::WorkingDays(n)),
            "d" | "D" | "日" | "天" => Ok(Period::Days(n)),
            _ => Err(PeriodError::Malformed(s.to_string())),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::WorkingDays(n) => write!(f, "{n}wd"),
            Period::Days(n) => write!(f, "{n}d"),
        }
    }
}

impl Period {
    /// The period as a Chinese document writes it: “7个工作日”, “5日”.
    pub fn to_chinese(&self) -> String {
        match self {
            Period::WorkingDays(n) => format!("{n}个工作日"),
            Period::Days(n) => format!("{n}日"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A computed due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The day the period is counted from.
    pub start: NaiveDate,
    /// The period.
    pub period: Period,
    /// The last day of the period.
    pub due: NaiveDate,
    /// Some day the result depends on lies in a year whose official schedule is not loaded:
    /// holidays there are unknown, so the date may move once that year's notice is imported.
    pub provisional: bool,
    /// Those years, if any.
    pub missing_years: Vec<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_notations() {
        assert_eq!("7wd".parse(), Ok(Period::WorkingDays(7)));
        assert_eq!("30个工作日".parse(), Ok(Period::WorkingDays(30)));
        assert_eq!("5d".parse(), Ok(Period::Days(5)));
        assert_eq!("5日".parse(), Ok(Period::Days(5)));
        assert_eq!(Period::WorkingDays(15).to_string(), "15wd");
        assert_eq!(Period::Days(5).to_chinese(), "5日");
    }

    #[test]
    fn rejects_malformed_periods() {
        for bad in [
            "7x",
            "wd",
            "",
            "-3d",
            "7 w d",
            "7.5wd",
            "99999999999999999999wd",
            "3651d",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?} accepted");
        }
    }
}
