//! The seeds' processes other than the 000 application, each a first-class case type on the
//! same machinery as `lvzhi-workflow`: commands decided by pure guards into events, a state
//! replayed from the events, open deadlines counted on the official calendar, written notices
//! carried inside the events that issue them, and the actions a person could take now.
//!
//! Every process implements [`Process`]. The service stores its events in the one event log
//! (with `cases.kind = P::KIND`), the server renders its pages and API from [`ActionSpec`]s
//! and [`Process::facts`], and the access policies scope it by [`Process::links`]. So a new
//! process is a new module here plus one line in [`registry::PROCESSES`] and its actions in the
//! access schema (ARCHITECTURE.md, "Adding a process").
//!
//! Notes for the authors of processes (changes to this trait since it was first committed):
//! - Action ids start with the process's `KIND` and `_` (`incident_acknowledge`): they are also
//!   the Cedar action ids, unique across the schema, and the server finds the process of an
//!   action by that prefix ([`registry::by_action`]).
//! - [`Ctx`] gained `names` (the directory's names of the ids a command mentions); build one in
//!   tests with [`Ctx::new`] and set the fields you need.
//! - [`Process::fires_event`] (default: no) marks the open steps whose passing fires one of
//!   [`Process::due_events`], so the scheduler claims them.
//! - An open step whose id ends in `@<organisation id>` is for the holders of its role at that
//!   organisation only (the inbox shows it to them): `escalation_ack@als-gaj`.
//! - [`Process::stages`] (default: none) lists the stage ids and Chinese names for the lists.
//! - An opening action is authorised (Cedar, on an `Org`) for the organisation its command
//!   names in the field `unit`, or else `org`: name one of them so.
//! - The service decides [`Process::follow_up`] commands with an actor whose only role is
//!   `Role::System` at the case's organisation; `decide` should accept them from it.
//!
//! Conventions shared by every process (as in the workflow):
//! - Commands and events are serde data tagged by `action` / `type`, snake_case ids.
//! - `decide` is pure and total: a refused command returns a [`ProcessError`] with one formal
//!   Chinese sentence and produces no event.
//! - A period's last day belongs to the period (`due`); an act on or before `due` is in time.
//! - Dates come from `Ctx::today`; nothing here reads a clock.

pub mod determination;
pub mod enforcement_fault;
mod guards;
#[cfg(test)]
mod ids;
pub mod incident;
pub mod name_clearing;
pub mod notices;
pub mod rectification;
pub mod registry;
pub mod result_use;
pub mod sanction_appeal;
#[cfg(test)]
mod testing;

pub use lvzhi_case::process::{
    ActionSpec, Ctx, Event, Fact, Field, FieldKind, OpenDeadline, Periods, ProcedureStep, Process,
    ProcessError, Refusal, Rules, Summary,
};
pub use lvzhi_case::{
    Actor, Bodies, By, Document, DocumentKind, DocumentSeal, Governance, Ground, Org, PackRef,
    Regulation, Role, Sanction,
};
pub use registry::{
    by_action, by_kind, in_use, AnyCase, CaseType, DecidedEvent, Registered, SealEntry, PROCESSES,
};

/// A loaded pack as a procedure a case may follow (issue 20): its version, title and bodies
/// (`[bodies]`; without them the 维权委 of 000 §10), its `[[procedure]]`s' articles and its
/// notice texts (`[[notice]]`).
pub fn regulation_of(pack: &lvzhi_rules::Pack) -> Regulation {
    let bodies = match &pack.bodies {
        Some(b) => Bodies {
            committee: b.committee.clone(),
            committee_short: b.committee_short.clone(),
            office: b.office.clone(),
            office_short: b.office_short.clone(),
            head: b.head.clone(),
        },
        None => Bodies::default(),
    };
    Regulation {
        pack: PackRef {
            pack: pack.meta.id.clone(),
            version: pack.meta.version.clone(),
            title: pack.meta.title.clone(),
            short_title: pack.meta.short_title.clone(),
            bodies,
        },
        steps: pack
            .procedures
            .iter()
            .map(|s| (s.id.clone(), s.articles.clone()))
            .collect(),
        grounds: pack
            .rules
            .iter()
            .filter(|r| r.kind == lvzhi_rules::RuleKind::Decision)
            .filter(|r| {
                use lvzhi_rules::Outcome as O;
                matches!(
                    r.outcome,
                    O::Exemption | O::Tolerance | O::Exclusion | O::Aggravation
                )
            })
            .map(|r| Ground {
                id: r.id.clone(),
                article: ground_article(&r.articles),
                outcome: r.outcome.id().to_string(),
                modality: r.modality.id().to_string(),
                leniency: r.leniency.iter().map(|l| l.id().to_string()).collect(),
                explain: r.explain.clone(),
            })
            .collect(),
        notices: pack
            .notices
            .iter()
            .map(|n| (n.kind.clone(), n.clone()))
            .collect(),
    }
}

/// The article a rule rests on, as a determination cites it: the one item of an article that
/// a rule lists with the article (`["§9", "§9(一)"]` → `§9(一)`), else its first article
/// (`["§10¶2", "§10¶2(一)", …]` → `§10¶2`).
fn ground_article(articles: &[String]) -> String {
    match articles {
        [a, b] if b.starts_with(a.as_str()) => b.clone(),
        [a, ..] => a.clone(),
        [] => String::new(),
    }
}
