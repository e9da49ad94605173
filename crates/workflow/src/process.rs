//! The 000 application as a [`Process`] (issue 14): one case type among the six, decided,
//! replayed, counted and listed by the same machinery as the others. An adapter only: every
//! decision is [`decide`]'s, every fold [`apply`]'s, every deadline [`open_deadlines`]'s; this
//! module translates between their signatures and the trait's, and says who a case involves.
//!
//! The events are the workflow's own, so a recorded payload reads exactly as before; seals are
//! the workflow's `document_sealed` events ([`Process::seal_kind`]), kept in its state.

use std::collections::BTreeMap;

use lvzhi_case::{
    ActionSpec, Actor, Ctx, Document, DocumentSeal, Event as CaseEvent, Fact,
    OpenDeadline as CaseDeadline, Process, ProcessError, Role, Rules, Summary,
};

use crate::{
    action_label, apply, available_actions, decide, due_events, open_deadlines, sanction_zh,
    Command, Event, EventKind, ProcedurePeriods, Stage, State, Step, WorkflowError,
};

/// The 免责容错 application (000 Chapters 3–4).
pub struct Application;

/// The stages in order, for the lists.
pub const STAGES: &[Stage] = &[
    Stage::Filed,
    Stage::Registered,
    Stage::Rejected,
    Stage::UnderReview,
    Stage::OpinionDrafted,
    Stage::OpinionApproved,
    Stage::OpinionIssued,
    Stage::ReconsiderationPending,
    Stage::ReconsiderationReplied,
    Stage::ReReviewPending,
    Stage::ReReviewReplied,
];

fn stage_pairs() -> &'static [(&'static str, &'static str)] {
    static PAIRS: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    PAIRS.get_or_init(|| STAGES.iter().map(|s| (s.id(), s.zh())).collect())
}

/// A workflow refusal as a process refusal, keeping its kind (403 for another role's step,
/// 400 for malformed input, 422 for the rest).
pub fn process_error(e: WorkflowError) -> ProcessError {
    let article = match &e {
        WorkflowError::Forbidden { article, .. }
        | WorkflowError::Late { article, .. }
        | WorkflowError::Refused { article, .. } => Some(article.clone()),
        _ => None,
    };
    let message = e.to_string();
    let mut out = match e {
        WorkflowError::Forbidden { .. } => ProcessError::forbidden(message),
        WorkflowError::Invalid(_) => ProcessError::invalid(message),
        _ => ProcessError::new(message),
    };
    out.article = article;
    out
}

fn periods(p: &lvzhi_case::Periods) -> Result<ProcedurePeriods, ProcessError> {
    ProcedurePeriods::from_map(&p.0).map_err(process_error)
}

fn to_case(e: Event) -> CaseEvent<EventKind> {
    CaseEvent {
        on: e.on,
        by: e.by,
        kind: e.kind,
    }
}

/// The workflow's step of an open deadline's id.
pub fn step(id: &str) -> Option<Step> {
    [
        Step::Acceptance,
        Step::Opinion,
        Step::ReconsiderationApply,
        Step::ReconsiderationReply,
        Step::ReReviewApply,
        Step::ReReviewReply,
        Step::Publicity,
    ]
    .into_iter()
    .find(|s| s.id() == id)
}

/// Who and which organisations an application involves, as (relation, id): the read model's
/// links, which the access policies scope lists by.
pub fn links(state: &State) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |relation: &str, target: &str| {
        if !target.is_empty() {
            out.push((relation.to_string(), target.to_string()));
        }
    };
    if let Some(o) = state.applying_unit() {
        push("applying_unit", &o.id);
    }
    for p in state.applicant_ids() {
        push("applicant", p);
    }
    for p in state.panel_ids() {
        push("panel", p);
    }
    for p in state.external_ids() {
        push("external", p);
    }
    for p in state.recused_ids() {
        push("recused", p);
    }
    if let Some(o) = state.escalated_to() {
        push("parent_committee", &o.id);
    }
    if let Some(o) = state.department_org() {
        push("department", &o.id);
    }
    out.sort();
    out.dedup();
    out
}

impl Process for Application {
    const KIND: &'static str = "application";
    const NAME_ZH: &'static str = "免责容错申请";
    const ID_PREFIX: &'static str = "A";
    const PACK: &'static str = "000";

    type State = State;
    type Command = Command;
    type Kind = EventKind;

    fn opens(command: &Command) -> bool {
        matches!(
            command,
            Command::File { .. } | Command::OpenExOfficio { .. }
        )
    }

    fn action_id(command: &Command) -> &'static str {
        command.action_id()
    }

    fn decide(
        state: &State,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<CaseEvent<EventKind>>, ProcessError> {
        let p = periods(ctx.periods)?;
        decide(state, command, actor, ctx.today, ctx.calendar, &p)
            .map(|events| events.into_iter().map(to_case).collect())
            .map_err(process_error)
    }

    fn apply(state: State, e: &CaseEvent<EventKind>) -> State {
        apply(
            state,
            &Event {
                on: e.on,
                by: e.by.clone(),
                kind: e.kind.clone(),
            },
        )
    }

    fn deadlines(state: &State, rules: &Rules<'_>) -> Vec<CaseDeadline> {
        let Ok(p) = periods(rules.periods) else {
            return Vec::new();
        };
        open_deadlines(state, rules.calendar, &p)
            .unwrap_or_default()
            .into_iter()
            .map(|d| CaseDeadline {
                step: d.step.id().to_string(),
                label: d.label,
                due: d.due,
                provisional: d.provisional,
                article: d.article,
                role: d.responsible,
            })
            .collect()
    }

    fn due_events(state: &State, ctx: &Ctx<'_>) -> Vec<CaseEvent<EventKind>> {
        let Ok(p) = periods(ctx.periods) else {
            return Vec::new();
        };
        due_events(state, ctx.today, ctx.calendar, &p)
            .unwrap_or_default()
            .into_iter()
            .map(to_case)
            .collect()
    }

    fn stages() -> &'static [(&'static str, &'static str)] {
        stage_pairs()
    }

    fn fires_event(deadline: &CaseDeadline) -> bool {
        step(&deadline.step).is_some_and(Step::fires_event)
    }

    fn actions(state: &State, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        let ids: Vec<&'static str> = if state.stage == Stage::New {
            // Opening (000 §12): the officer, the unit and the office file (the office on the
            // applicant's behalf), the office also opens ex officio; the access policies decide
            // for which organisations.
            let mut ids = Vec::new();
            if [Role::Officer, Role::Unit, Role::Office]
                .iter()
                .any(|r| actor.has(*r))
            {
                ids.push("file");
            }
            if actor.has(Role::Office) {
                ids.push("open_ex_officio");
            }
            ids
        } else {
            let Ok(p) = periods(ctx.periods) else {
                return Vec::new();
            };
            available_actions(state, actor, ctx.today, ctx.calendar, &p)
        };
        ids.into_iter()
            .map(|id| ActionSpec {
                id: id.to_string(),
                label: action_label(id).unwrap_or(id).to_string(),
                article: String::new(),
                role: actor.roles.first().copied().unwrap_or(Role::System),
                fields: Vec::new(),
            })
            .collect()
    }

    fn summary(state: &State) -> Summary {
        Summary {
            stage: state.stage.id().to_string(),
            stage_zh: state.stage.zh().to_string(),
            org_id: state.org_id().unwrap_or_default().to_string(),
            title: state.title(),
        }
    }

    fn facts(state: &State) -> Vec<Fact> {
        let mut out = Vec::new();
        if let Some(form) = &state.form {
            let names: Vec<&str> = form.applicants.iter().map(|a| a.name.as_str()).collect();
            out.push(Fact::new("申请民警", names.join("、")));
            out.push(Fact::new("申请单位", form.applying_unit.name.clone()));
            out.push(Fact::new("申请事项", form.matter.clone()));
            if let Some(d) = &form.accountability_decision {
                out.push(Fact::new(
                    "原问责处理决定",
                    format!(
                        "{}作出的{}",
                        d.department.name,
                        sanction_zh(Some(d.sanction))
                    ),
                ));
            }
        }
        out
    }

    fn links(state: &State) -> Vec<(String, String)> {
        links(state)
    }

    fn describe(kind: &EventKind) -> String {
        crate::event_zh(kind).to_string()
    }

    fn kind_id(kind: &EventKind) -> &'static str {
        kind.id()
    }

    fn documents(events: &[CaseEvent<EventKind>]) -> Vec<Document> {
        events
            .iter()
            .filter_map(|e| e.kind.document().cloned())
            .collect()
    }

    fn reason(kind: &EventKind) -> Option<String> {
        kind.reason().map(str::to_string)
    }

    fn seal_kind(seal: &DocumentSeal) -> Option<EventKind> {
        Some(EventKind::DocumentSealed { seal: seal.clone() })
    }

    fn command_facts(command: &Command) -> Option<&BTreeMap<String, serde_json::Value>> {
        match command {
            Command::File { form, .. } | Command::OpenExOfficio { form, .. } => Some(&form.facts),
            Command::UpdateFacts { facts } => Some(facts),
            _ => None,
        }
    }

    fn command_evidence(command: &Command) -> Option<&str> {
        match command {
            Command::AddEvidence { evidence } => Some(&evidence.sm3),
            _ => None,
        }
    }
}
