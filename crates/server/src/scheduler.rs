//! The in-server scheduler: every minute (the first pass at start) it
//!
//! 1. fires the system events whose period has passed — 视为受理 when the office did not decide
//!    on acceptance within 7 working days (000 §13) — through `Service::tick`. Each process
//!    claims due deadlines under its own owner id; the store's leases and the case version make
//!    each event fire exactly once however many server processes run;
//! 2. computes reminders: open deadlines of every case due within `--remind-within` working days,
//!    or already passed. Each (case, step, day) is logged once to stderr; the pages show the
//!    same deadlines in each person's inbox (`ui::inbox`), which reads the read model directly.
//!
//! A failing pass is logged and the next one runs: errors never stop the loop, and a pass runs
//! in its own task so that even a panic inside one is only logged.

use std::collections::HashSet;
use std::time::Duration;

use chrono::NaiveDate;
use lvzhi_calendar::Period;
use tokio::time::MissedTickBehavior;

use crate::app::App;
use crate::error::AppError;

/// Time between passes.
pub(crate) const INTERVAL: Duration = Duration::from_secs(60);

/// An owner id for this process's leases: process id plus a random part, so two processes on
/// two hosts never share one.
pub(crate) fn owner_id() -> String {
    let token = crate::auth::random_token();
    format!(
        "lvzhi-server-{}-{}",
        std::process::id(),
        token.get(..12).unwrap_or(&token)
    )
}

/// Starts the scheduler on the current tokio runtime.
pub fn spawn(app: App) {
    let owner = owner_id();
    tokio::spawn(run(app, owner));
}

async fn run(app: App, owner: String) {
    let mut interval = tokio::time::interval(INTERVAL);
    // After a stall (a suspended host), run once and keep the rhythm; no burst of passes.
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut log = ReminderLog::default();
    loop {
        interval.tick().await;
        let task = {
            let app = app.clone();
            let owner = owner.clone();
            tokio::spawn(async move { pass(&app, &owner).await })
        };
        match task.await {
            Ok(report) => {
                for case_id in &report.fired {
                    tracing::info!("scheduler: fired due system events of case {case_id}");
                }
                if let Some(e) = &report.tick_error {
                    tracing::error!("scheduler: tick failed: {e}");
                }
                if let Some(e) = &report.reminder_error {
                    tracing::error!("scheduler: reminders failed: {e}");
                }
                for line in log.new_lines(report.today, &report.reminders) {
                    tracing::info!("{line}");
                }
            }
            Err(e) => tracing::error!("scheduler: pass aborted: {e}"),
        }
    }
}

/// An open deadline due soon or passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The case's id.
    pub case_id: String,
    /// The id of the step that is due.
    pub step: String,
    /// Its due day.
    pub due: NaiveDate,
    /// Whether the due day has passed.
    pub overdue: bool,
    /// Working days from today to the due day (negative when overdue).
    pub working_days_left: i64,
    /// The article that sets the period.
    pub article: String,
}

impl Reminder {
    /// The log line (English, like every log).
    pub fn line(&self) -> String {
        let days = |n: u64| match n {
            1 => "1 working day".to_string(),
            n => format!("{n} working days"),
        };
        let when = if self.overdue {
            format!(
                "overdue since {} ({})",
                self.due,
                days(self.working_days_left.unsigned_abs())
            )
        } else {
            format!(
                "due {} ({} left)",
                self.due,
                days(self.working_days_left.unsigned_abs())
            )
        };
        format!(
            "reminder: case {} step {} {when} [{}]",
            self.case_id, self.step, self.article
        )
    }
}

/// What one pass did.
#[derive(Debug, Default)]
pub struct PassReport {
    /// The statutory day the pass ran for.
    pub today: NaiveDate,
    /// Cases whose system events were fired.
    pub fired: Vec<String>,
    /// Deadlines due soon or passed.
    pub reminders: Vec<Reminder>,
    /// Failures, for the log (their detail, not the user's sentence).
    pub tick_error: Option<String>,
    /// Why the reminders could not be listed, if they could not.
    pub reminder_error: Option<String>,
}

fn detail(e: AppError) -> String {
    match e {
        AppError::Internal(d) | AppError::Startup(d) => d,
        other => other.to_string(),
    }
}

/// One pass: fire due events, then compute reminders (even when firing failed).
pub async fn pass(app: &App, owner: &str) -> PassReport {
    let today = app.clock().today();
    let now = app.clock().now();
    let service = app.service();
    let mut report = PassReport {
        today,
        ..Default::default()
    };
    match service.tick(today, now, owner).await {
        Ok(fired) => report.fired = fired,
        Err(e) => report.tick_error = Some(detail(e.into())),
    }
    match reminders(app, today).await {
        Ok(r) => report.reminders = r,
        Err(e) => report.reminder_error = Some(detail(e)),
    }
    // Kept answers of one-use submissions and sign-in attempts are needed for a day at most
    // (the longest sign-in delay is the 15-minute window; a retried submission comes within
    // minutes). Housekeeping: a failure is only logged.
    if let Err(e) = app
        .store()
        .prune_guards(now - chrono::Duration::hours(24))
        .await
    {
        tracing::warn!("scheduler: pruning sign-in attempts and submissions failed: {e}");
    }
    report
}

/// Open deadlines of all cases due within `remind_within_wd` working days of `today`, or passed.
pub(crate) async fn reminders(app: &App, today: NaiveDate) -> Result<Vec<Reminder>, AppError> {
    let service = app.service();
    let cal = service.calendar();
    let within = Period::WorkingDays(app.remind_within_wd());
    let rows = service.due(today, Some(within), true).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let left = cal
            .working_days_between(today, r.due)
            .map(|e| e.working_days)
            .unwrap_or_default();
        out.push(Reminder {
            overdue: today > r.due,
            working_days_left: left,
            case_id: r.case_id,
            step: r.step,
            due: r.due,
            article: r.article,
        });
    }
    Ok(out)
}

/// Which reminders were already logged today: each (case, step) once per day.
#[derive(Debug, Default)]
pub(crate) struct ReminderLog {
    day: Option<NaiveDate>,
    seen: HashSet<(String, String)>,
}

impl ReminderLog {
    /// The lines not yet logged for `today`; a new day starts afresh.
    pub(crate) fn new_lines(&mut self, today: NaiveDate, reminders: &[Reminder]) -> Vec<String> {
        if self.day != Some(today) {
            self.day = Some(today);
            self.seen.clear();
        }
        reminders
            .iter()
            .filter(|r| self.seen.insert((r.case_id.clone(), r.step.clone())))
            .map(Reminder::line)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(case: &str, step: &str, left: i64) -> Reminder {
        Reminder {
            case_id: case.to_string(),
            step: step.to_string(),
            due: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
            overdue: left < 0,
            working_days_left: left,
            article: "000 §16".to_string(),
        }
    }

    #[test]
    fn each_case_and_step_is_logged_once_a_day() {
        let mut log = ReminderLog::default();
        let d1 = NaiveDate::from_ymd_opt(2026, 5, 11).unwrap();
        let d2 = d1.succ_opt().unwrap();
        let rs = [r("A1", "opinion", 1), r("A2", "acceptance", -2)];
        assert_eq!(log.new_lines(d1, &rs).len(), 2);
        assert!(log.new_lines(d1, &rs).is_empty());
        assert_eq!(log.new_lines(d1, &[r("A1", "publicity", 0)]).len(), 1);
        assert_eq!(log.new_lines(d2, &rs).len(), 2);
    }

    #[test]
    fn lines_say_due_or_overdue_in_english() {
        assert!(r("A1", "opinion", 2)
            .line()
            .contains("due 2026-05-12 (2 working days left)"));
        assert!(r("A1", "opinion", -3)
            .line()
            .contains("overdue since 2026-05-12 (3 working days)"));
        assert!(r("A1", "opinion", 1)
            .line()
            .contains("due 2026-05-12 (1 working day left)"));
    }

    #[test]
    fn owner_ids_differ_between_calls() {
        assert_ne!(owner_id(), owner_id());
        assert!(owner_id().starts_with("lvzhi-server-"));
    }
}
