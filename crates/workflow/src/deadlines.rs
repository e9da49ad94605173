//! Due dates of the open steps, and the events the scheduler fires when a period has passed.
//!
//! Convention: a period's last day (`due`) belongs to the period. An act on or before `due` is in
//! time; the period has passed from the first day after `due`. The deemed acceptance of 000 §13
//! therefore fires on the first `today > due`, and takes effect as of `due` itself, whatever day
//! the scheduler actually runs, so a late scheduler never shifts the opinion period.

use chrono::NaiveDate;
use lvzhi_calendar::{Calendar, Deadline, Period};
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

use crate::documents;
use crate::error::WorkflowError;
use crate::event::{Event, EventKind};
use crate::model::{AppealKind, By, Role};
use crate::periods::ProcedurePeriods;
use crate::state::{Stage, State};

/// The steps that run against a period.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Step {
    Acceptance,
    Opinion,
    ReconsiderationApply,
    ReconsiderationReply,
    ReReviewApply,
    ReReviewReply,
    Publicity,
}

impl Step {
    /// The step's id, as serialised (`acceptance`, `re_review_reply`, …).
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// Whether the passing of this step's last day produces a system event (see
    /// [`due_events`]). Only acceptance does (视为受理, 000 §13); the others are flagged as
    /// overdue or simply lapse (an unused appeal window), but record nothing by themselves.
    pub fn fires_event(self) -> bool {
        matches!(self, Step::Acceptance)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Step::Acceptance => "决定是否受理并书面告知",
            Step::Opinion => "作出并书面出具审查论证意见",
            Step::ReconsiderationApply => "申请复议",
            Step::ReconsiderationReply => "书面回复复议意见",
            Step::ReReviewApply => "申请复核",
            Step::ReReviewReply => "书面回复复核意见",
            Step::Publicity => "公示期（届满后方可结束公示）",
        }
    }
}

/// One open step with its last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDeadline {
    pub step: Step,
    pub label: String,
    /// Who must act by `due` (for the apply steps, who may act).
    pub responsible: Role,
    /// The day the period counts from (not itself counted).
    pub start: NaiveDate,
    pub period: Period,
    /// The last day of the period (inclusive).
    pub due: NaiveDate,
    /// Depends on a year whose holiday schedule is not loaded.
    pub provisional: bool,
    pub missing_years: Vec<i32>,
    pub article: String,
}

impl OpenDeadline {
    fn new(step: Step, responsible: Role, d: Deadline, article: &str) -> Self {
        Self {
            step,
            label: step.zh().to_string(),
            responsible,
            start: d.start,
            period: d.period,
            due: d.due,
            provisional: d.provisional,
            missing_years: d.missing_years,
            article: article.to_string(),
        }
    }

    /// The period has passed: `today` is after the last day.
    pub fn passed(&self, today: NaiveDate) -> bool {
        today > self.due
    }
}

/// Acceptance period from receipt (000 §13), while acceptance is undecided.
pub fn acceptance_deadline(
    s: &State,
    cal: &Calendar,
    p: &ProcedurePeriods,
) -> Result<Option<Deadline>, WorkflowError> {
    match s.received_on {
        Some(r) => Ok(Some(cal.add(r, p.acceptance)?)),
        None => Ok(None),
    }
}

/// The opinion's last day (000 §16), with the extensions granted (000 §18, §20) chained on it.
pub fn opinion_deadline(
    s: &State,
    cal: &Calendar,
    p: &ProcedurePeriods,
) -> Result<Option<Deadline>, WorkflowError> {
    let Some(acc) = s.accepted_on else {
        return Ok(None);
    };
    let mut d = cal.add(acc, p.opinion)?;
    let ext = [p.extension_1, p.extension_2];
    for period in ext.iter().take(usize::from(s.extensions.min(2))) {
        d = chain(cal.add(d.due, *period)?, &d);
    }
    Ok(Some(d))
}

/// `next` counted from `prev.due`: provisional if either is.
pub(crate) fn chain(mut next: Deadline, prev: &Deadline) -> Deadline {
    for y in &prev.missing_years {
        if !next.missing_years.contains(y) {
            next.missing_years.push(*y);
        }
    }
    next.missing_years.sort_unstable();
    next.provisional = !next.missing_years.is_empty();
    next
}

/// The window to apply for 复议 (from receipt of the opinion) or 复核 (from receipt of the
/// 复议 reply), or a repeat with new evidence after a reply (000 §21).
pub fn appeal_window(
    s: &State,
    cal: &Calendar,
    p: &ProcedurePeriods,
) -> Result<Option<(AppealKind, Deadline)>, WorkflowError> {
    let reply_received = |k: AppealKind| {
        s.last_appeal(k)
            .and_then(|a| a.reply.as_ref())
            .map(|r| r.received_on)
    };
    Ok(match s.stage {
        Stage::OpinionIssued => match s.opinion_received_on {
            Some(r) => Some((
                AppealKind::Reconsideration,
                cal.add(r, p.reconsideration_apply)?,
            )),
            None => None,
        },
        Stage::ReconsiderationReplied => match reply_received(AppealKind::Reconsideration) {
            Some(r) => Some((AppealKind::ReReview, cal.add(r, p.re_review_apply)?)),
            None => None,
        },
        Stage::ReReviewReplied => match reply_received(AppealKind::ReReview) {
            Some(r) => Some((AppealKind::ReReview, cal.add(r, p.re_review_apply)?)),
            None => None,
        },
        _ => None,
    })
}

/// The reply period of the pending appeal (000 §21).
pub fn reply_deadline(
    s: &State,
    cal: &Calendar,
    p: &ProcedurePeriods,
) -> Result<Option<(AppealKind, Deadline)>, WorkflowError> {
    let kind = match s.stage {
        Stage::ReconsiderationPending => AppealKind::Reconsideration,
        Stage::ReReviewPending => AppealKind::ReReview,
        _ => return Ok(None),
    };
    let Some(a) = s.last_appeal(kind) else {
        return Ok(None);
    };
    let period = match kind {
        AppealKind::Reconsideration => p.reconsideration_reply,
        AppealKind::ReReview => p.re_review_reply,
    };
    Ok(Some((kind, cal.add(a.filed_on, period)?)))
}

/// Whether the determination in force is final as of `today`: the applicant has no objection
/// (declared, or the appeal window has passed), or the 复核 has been answered (000 §23).
pub fn is_final(
    s: &State,
    today: NaiveDate,
    cal: &Calendar,
    p: &ProcedurePeriods,
) -> Result<bool, WorkflowError> {
    Ok(match s.stage {
        Stage::ReReviewReplied => true,
        Stage::OpinionIssued | Stage::ReconsiderationReplied => {
            s.no_objection
                || match appeal_window(s, cal, p)? {
                    Some((_, d)) => today > d.due,
                    None => false,
                }
        }
        _ => false,
    })
}

/// Every open step with its due date, earliest first.
pub fn open_deadlines(
    s: &State,
    cal: &Calendar,
    p: &ProcedurePeriods,
) -> Result<Vec<OpenDeadline>, WorkflowError> {
    let mut out = Vec::new();
    match s.stage {
        Stage::Filed | Stage::Registered => {
            if let Some(d) = acceptance_deadline(s, cal, p)? {
                out.push(OpenDeadline::new(
                    Step::Acceptance,
                    Role::Office,
                    d,
                    "000 §13",
                ));
            }
        }
        st if st.in_review() => {
            if let Some(d) = opinion_deadline(s, cal, p)? {
                let article = match s.extensions {
                    0 => "000 §16",
                    1 => "000 §16、§18",
                    _ => "000 §16、§18、§20",
                };
                out.push(OpenDeadline::new(Step::Opinion, Role::Office, d, article));
            }
        }
        // Nothing to wait for once the applicant declared no objection or publicity began.
        Stage::OpinionIssued | Stage::ReconsiderationReplied
            if !s.no_objection && s.publicity.is_none() =>
        {
            if let Some((kind, d)) = appeal_window(s, cal, p)? {
                let step = match kind {
                    AppealKind::Reconsideration => Step::ReconsiderationApply,
                    AppealKind::ReReview => Step::ReReviewApply,
                };
                out.push(OpenDeadline::new(step, Role::Officer, d, "000 §21"));
            }
        }
        Stage::ReconsiderationPending | Stage::ReReviewPending => {
            if let Some((kind, d)) = reply_deadline(s, cal, p)? {
                let (step, who) = match kind {
                    AppealKind::Reconsideration => (Step::ReconsiderationReply, Role::Director),
                    AppealKind::ReReview => (Step::ReReviewReply, Role::HigherCommittee),
                };
                out.push(OpenDeadline::new(step, who, d, "000 §21"));
            }
        }
        _ => {}
    }
    if let Some(pb) = s.publicity.as_ref().filter(|pb| pb.closed_on.is_none()) {
        let period = pb.days.map(Period::Days).unwrap_or(p.publicity);
        let d = cal.add(pb.started_on, period)?;
        out.push(OpenDeadline::new(
            Step::Publicity,
            Role::Office,
            d,
            "000 §23",
        ));
    }
    out.sort_by_key(|d| d.due);
    Ok(out)
}

/// The system events due on `today`: at present the deemed acceptance of 000 §13, fired on
/// the first day after the acceptance period's last day. Empty when nothing is due; once the
/// event is applied the case has left the acceptance stage, so it is never produced again,
/// and [`crate::try_apply`] refuses a stale copy.
pub fn due_events(
    s: &State,
    today: NaiveDate,
    cal: &Calendar,
    p: &ProcedurePeriods,
    reg: &documents::Regulation,
) -> Result<Vec<Event>, WorkflowError> {
    let mut out = Vec::new();
    if matches!(s.stage, Stage::Filed | Stage::Registered) {
        if let (Some(acc), Some(form), Some(received)) = (
            acceptance_deadline(s, cal, p)?,
            s.form.as_ref(),
            s.received_on,
        ) {
            if today > acc.due {
                let opinion = cal.add(acc.due, p.opinion)?;
                let document = documents::deemed_acceptance_notice(
                    reg, form, s.filer, received, &acc, today, &opinion,
                )?;
                out.push(Event {
                    on: today,
                    by: By::system(),
                    kind: EventKind::DeemedAccepted {
                        effective_on: acc.due,
                        document,
                    },
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_ids_match_their_serialisation_and_only_acceptance_fires() {
        for st in [
            Step::Acceptance,
            Step::Opinion,
            Step::ReconsiderationApply,
            Step::ReconsiderationReply,
            Step::ReReviewApply,
            Step::ReReviewReply,
            Step::Publicity,
        ] {
            let json = serde_json::to_value(st).unwrap();
            assert_eq!(json, serde_json::Value::String(st.id().to_string()));
            assert_eq!(st.fires_event(), st == Step::Acceptance);
        }
    }

    #[test]
    fn a_chained_deadline_keeps_the_missing_years_of_both_links() {
        let cal = Calendar::embedded();
        let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let first = cal.add(start, Period::WorkingDays(30)).unwrap();
        assert!(first.provisional);
        let next = cal.add(first.due, Period::WorkingDays(15)).unwrap();
        let chained = chain(next, &first);
        assert!(chained.provisional);
        assert_eq!(chained.missing_years, vec![2027]);
    }
}
