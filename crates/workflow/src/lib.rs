//! The 免责容错 application workflow of 000 Chapters 3–4 (DESIGN §3) as pure, event-sourced
//! logic: no I/O, no clock, no storage.
//!
//! - [`decide`] checks a [`Command`] from an [`Actor`] against the case [`State`] on a given day
//!   (role, stage, time window, required content) and returns the [`Event`]s to append, or a
//!   [`WorkflowError`] in formal Chinese. It never changes anything itself.
//! - [`apply`] folds one event into the state (total, for replay); [`try_apply`] first checks
//!   the event still fits (so a due event fires at most once). `State::version` counts the
//!   events applied: the case version for optimistic concurrency.
//! - [`open_deadlines`] lists each open step's last day (with the calendar's `provisional`
//!   flag); [`due_events`] returns the system events due on a day (deemed acceptance, 000 §13).
//! - Every written notice is a [`Document`] with its full text, carried by the event that
//!   requires it.
//!
//! Periods come from the policy pack via [`ProcedurePeriods`]; time is "the last day counts":
//! an act on the due day is in time, and a period has passed from the day after.

mod deadlines;
mod decide;
pub mod documents;
mod error;
mod event;
mod model;
mod periods;
mod state;

pub use deadlines::{
    acceptance_deadline, appeal_window, due_events, is_final, open_deadlines, opinion_deadline,
    reply_deadline, OpenDeadline, Step,
};
pub use decide::{decide, execute};
pub use error::WorkflowError;
pub use event::{Command, Event, EventKind};
pub use model::*;
pub use periods::{ProcedurePeriods, PERIOD_IDS};
pub use state::{
    apply, event_zh, try_apply, AcceptanceKind, AppealRecord, AppealReply, Compensation,
    DepartmentRecommendation, Objection, Oversight, Publicity, ResultUse, Stage, State,
};
