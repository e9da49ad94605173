//! The server's notion of "now". Statutory days are Beijing days whatever the server's time
//! zone (UTC+8 has no daylight saving). A fixed day is for demonstrations and tests only
//! (`lvzhi serve --today`): the record then shows the day the operator chose.

use chrono::{DateTime, NaiveDate, Utc};

/// Where "now" and today come from: the system clock, a fixed day, or a frozen instant.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<NaiveDate>,
    /// A frozen instant: `now` never moves (the golden record's reproducible runs).
    frozen: Option<DateTime<Utc>>,
}

/// The Beijing calendar day of an instant.
pub(crate) fn beijing_day(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(8)).date_naive()
}

/// An instant as the office reads it: the Beijing day in 年月日 and the time of day, e.g.
/// 2026年12月7日 09:05.
pub(crate) fn beijing_time_zh(at: DateTime<Utc>) -> String {
    let local = at + chrono::Duration::hours(8);
    format!(
        "{} {}",
        lvzhi_calendar::date_zh(local.date_naive()),
        local.format("%H:%M")
    )
}

/// A stored RFC 3339 instant's Beijing day in 年月日 (as every page shows days); a value that is
/// not such an instant is shown as stored.
pub(crate) fn beijing_date_zh(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| lvzhi_calendar::date_zh(beijing_day(t.with_timezone(&Utc))))
        .unwrap_or_else(|_| at.to_string())
}

impl Clock {
    /// The system clock, today being the Beijing day.
    pub fn real() -> Self {
        Clock::default()
    }

    /// Today is always `day`; the time of day still moves (`lvzhi serve --today`).
    pub fn fixed(day: NaiveDate) -> Self {
        Clock {
            fixed: Some(day),
            frozen: None,
        }
    }

    /// Time stands still at `at` (today is its Beijing day): every record made under this clock
    /// comes out the same on every run. For tests of the record itself, never for serving.
    pub fn frozen(at: DateTime<Utc>) -> Self {
        Clock {
            fixed: Some(beijing_day(at)),
            frozen: Some(at),
        }
    }

    /// The frozen instant, if time stands still.
    pub(crate) fn frozen_at(&self) -> Option<DateTime<Utc>> {
        self.frozen
    }

    /// The current instant (the frozen one, if time stands still).
    pub fn now(&self) -> DateTime<Utc> {
        self.frozen
            .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()))
    }

    /// Today's statutory day.
    pub fn today(&self) -> NaiveDate {
        self.fixed.unwrap_or_else(|| beijing_day(self.now()))
    }

    pub(crate) fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_instant_is_shown_at_beijing_time_in_nian_yue_ri() {
        let at = DateTime::parse_from_rfc3339("2026-12-06T16:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(beijing_time_zh(at), "2026年12月7日 00:05");
        // Issue 22 item 8: the case list's 最近更新 is the Beijing day, not the UTC one.
        assert_eq!(beijing_date_zh("2026-12-06T16:05:00Z"), "2026年12月7日");
        assert_eq!(
            beijing_date_zh("2026-12-06T15:59:00+00:00"),
            "2026年12月6日"
        );
        assert_eq!(beijing_date_zh("garbage"), "garbage");
    }

    #[test]
    fn beijing_day_turns_at_sixteen_utc() {
        let late = Utc.with_ymd_and_hms(2024, 9, 30, 15, 59, 0).unwrap();
        let next = Utc.with_ymd_and_hms(2024, 9, 30, 16, 0, 0).unwrap();
        assert_eq!(beijing_day(late).to_string(), "2024-09-30");
        assert_eq!(beijing_day(next).to_string(), "2024-10-01");
    }
}
