//! The 免责容错 application workflow of 000 Chapters 3–4 (DESIGN §3) as pure, event-sourced
//! logic: no I/O, no clock, no storage, no dependency on the rules engine.
//!
//! # Use
//!
//! - [`decide`] checks a [`Command`] from an [`Actor`] against the case [`State`] on a given day
//!   (role, stage, time window, required content) and returns the [`Event`]s to append, or a
//!   [`WorkflowError`] in formal Chinese. It never changes anything itself; [`execute`] also
//!   returns the state the events lead to.
//! - [`apply`] folds one event into the state (total, for replaying history); [`try_apply`]
//!   first checks the event still fits, so a stale or duplicated event is refused.
//!   `State::version` counts the events applied: the case version for optimistic concurrency.
//! - [`open_deadlines`] lists each open step's last day with the calendar's `provisional` flag;
//!   [`due_events`] returns the system events due on a day (the deemed acceptance of 000 §13).
//! - Every written notice is a [`Document`] with its full Chinese text, carried inside the event
//!   that requires it, so the text of record never changes afterwards. Its PDF, rendered and
//!   archived outside, is sealed by a [`EventKind::DocumentSealed`] event naming the notice's
//!   number and SM3 digest ([`DocumentSeal`], `State::seals`); a seal changes no stage.
//! - Periods come from the policy pack through [`ProcedurePeriods::from_map`]; the
//!   recommendation arrives as plain strings ([`Recommendation`]).
//! - [`available_actions`] lists the action ids ([`ACTIONS`], with their Chinese labels) an
//!   actor could take on a case today, by probing `decide` with sample commands rather than
//!   restating its guards (see `src/available.rs`). [`State`]'s accessors (`applicant_ids`,
//!   `panel_ids`, `external_ids`, `recused_ids`, `committee_org`, `applying_unit`,
//!   `department_org`, `escalated_to`) say whom a case involves, for access control.
//!
//! # Interpretations (where the seed leaves a choice)
//!
//! - **Last days.** A period's last day belongs to it: acting on the due day is in time; the
//!   period has passed from the next day. Deemed acceptance fires on the first day after the
//!   acceptance period and takes effect *as of* its last day, whatever day the scheduler runs,
//!   so the 30 working days of 000 §16 never depend on scheduler latency. A late accept or
//!   reject is refused once the period has passed, even before the scheduler has run.
//! - **Ex officio** (000 §12 ¶2): opening is the decision to act, so review starts at once and
//!   the opinion period counts from the opening day; there is no acceptance step.
//! - **Receipt.** Opinions and replies are taken as delivered on their issue day; a later
//!   delivery is recorded with `RecordReceipt`, and the 10 working days of 000 §21 count from it.
//! - **Finality** (000 §23 "申请人无意见或经复议复核"): the determination in force is final when the
//!   applicant declares no objection, when the window for the next appeal has passed, or at once
//!   after the 复核 reply. No objection can be declared once the determination is final: it would
//!   change nothing. Publicity, the recommendation to the department, compensation and
//!   result use wait for finality.
//! - **Repeat appeals** (000 §21 ¶3): a second 复议 on the same reason (spacing and punctuation
//!   ignored) is refused unless new evidence is described; a 复议 on a *different* reason may
//!   follow a 复议 reply within the 复核 window. A second 复核 needs new evidence and must come
//!   within 10 working days of the 复核 reply, before publicity or the recommendation starts.
//! - **No heavier punishment** (000 §21 ¶3 不得因民警申请复议复核而对其加重处理): the article
//!   forbids a heavier sanction *because of* an appeal, which the record cannot tell. Every
//!   change of the linked accountability decision is recorded as decided (the record must say
//!   what was decided; the case never blocks the accountability process, 000 §22); one heavier
//!   after any 复议 or 复核 was filed is flagged — on the event, in `State::heavier_after_appeal`
//!   and among the case's facts — for the committee to review as possible retaliation (§37(六)).
//! - **Publicity** (000 §23 公示期不少于五日): the pack's period (5 日, rolled to a working day)
//!   is the minimum; the office may set a longer one in 日 when it starts publicity, and fewer
//!   days are refused. It closes only after its last day and with every objection verified. A
//!   substantiated objection holds the recommendation until 主任 or 副主任 revises the
//!   determination.
//! - **Recusal** (回避, 000 §19(六)): the office of the handling committee records it, with its
//!   reason, at any stage after filing; an applicant is a party, not a reviewer, and is not
//!   recused. From then on the person is refused as a panel member or invited participant
//!   and takes no step in the case in any role (the general duty of 回避, not only the
//!   reviewer's part); the panel list keeps them as formed, but an opinion is drafted only
//!   once a 法制 and a 纪检 member who are not recused sit on it (000 §14), so the office
//!   re-forms a panel that lost one.
//! - **Extensions** (000 §18, §20): only before the current last day runs out; the first needs
//!   grounds and 主任 or 副主任, the second 主任; each adds its period to the previous last day.
//!   §20's second is for a matter 未能在规定期限内审查论证完毕 — the period as §18 extended it —
//!   so it is granted only within the first's added period (after the original last day), never
//!   with the first.
//!
//! # Invariants
//!
//! - `decide` is pure and total: any input gives events or an error, never a panic.
//! - Every event `decide` or `due_events` returns is accepted by `try_apply` on the same state.
//! - `State::version` equals the number of events applied; events are dated in order.
//! - Nothing article-specific about *periods* is in Rust: their lengths come from the pack.

mod available;
mod deadlines;
mod decide;
pub mod documents;
mod error;
mod event;
mod model;
mod periods;
pub mod process;
mod state;

pub use available::{available_actions, sample_commands};
pub use deadlines::{
    acceptance_deadline, appeal_window, due_events, is_final, open_deadlines, opinion_deadline,
    reply_deadline, OpenDeadline, Step,
};
pub use decide::{decide, execute};
pub use error::WorkflowError;
pub use event::{action_label, Command, Event, EventKind, ACTIONS};
pub use model::*;
pub use periods::{ProcedurePeriods, PERIOD_IDS, PERIOD_NAMES};
pub use process::Application;
pub use state::{
    apply, event_zh, try_apply, AcceptanceKind, AppealRecord, AppealReply, Compensation,
    DepartmentRecommendation, Objection, Oversight, Publicity, ResultUse, Stage, State,
};
