//! The 000 application as a [`Process`] (issue 14): one case type among the six, decided,
//! replayed, counted and listed by the same machinery as the others. An adapter only: every
//! decision is [`decide`]'s, every fold [`apply`]'s, every deadline [`open_deadlines`]'s; this
//! module translates between their signatures and the trait's, and says who a case involves.
//!
//! The events are the workflow's own, so a recorded payload reads exactly as before; seals are
//! the workflow's `document_sealed` events ([`Process::seal_kind`]), kept in its state.

use std::collections::BTreeMap;

use lvzhi_case::{
    ActionSpec, Actor, Ctx, Document, DocumentSeal, Event as CaseEvent, Fact, Field, FieldKind,
    OpenDeadline as CaseDeadline, ProcedureStep, Process, ProcessError, Role, Rules, Summary,
};
use serde::Serialize;

use crate::{
    action_label, apply, available_actions, decide, due_events, open_deadlines, sample_commands,
    sanction_zh, Command, Event, EventKind, ExternalCategory, Leniency, MemberCategory, Misconduct,
    Modality, Outcome, OversightBody, ProcedurePeriods, Sanction, Stage, State, StatementAudience,
    Step, WorkflowError, PERIOD_NAMES,
};

/// A procedure of pack 000 carried out by the application's `actions`.
const fn step000(procedure: &'static str, actions: &'static [&'static str]) -> ProcedureStep {
    ProcedureStep {
        pack: "000",
        procedure,
        actions,
    }
}

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
    ProcedurePeriods::from_periods(p).map_err(process_error)
}

/// The regulation an offered action is probed under when the view has none loaded: the one
/// the case recorded, else one without a name (the probe's notices are never kept).
fn probe_regulation(state: &State) -> crate::documents::Regulation {
    let pack = match &state.governance {
        Some(g) => g.procedure.clone(),
        None => lvzhi_case::PackRef {
            pack: String::new(),
            version: String::new(),
            title: String::new(),
            short_title: String::new(),
            bodies: lvzhi_case::Bodies::default(),
        },
    };
    crate::documents::Regulation::of_pack(pack)
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
    const REGULATIONS: &'static [&'static str] = &["000"];
    const PROCEDURE_BOUND: bool = true;
    const PERIODS: &'static [&'static str] = &PERIOD_NAMES;
    /// 000's procedures, each by the actions that carry it out (the article each action cites
    /// in `decide`).
    const PROCEDURES: &'static [ProcedureStep] = &[
        step000("application", &["file", "open_ex_officio"]),
        step000(
            "review",
            &["form_panel", "record_hearing", "record_site_visit"],
        ),
        step000("concurrent_review", &["link_accountability_inquiry"]),
        step000("on_scene_report", &["record_on_scene_report"]),
        step000("overdue_major_case", &["record_interim_line"]),
        step000(
            "external_participants",
            &["approve_external_participant", "record_recusal"],
        ),
        step000(
            "independent_of_accountability",
            &["record_sanction_change", "send_recommendation"],
        ),
        step000(
            "publicity_objection",
            &["record_objection", "resolve_objection"],
        ),
        step000("compensation", &["decide_compensation"]),
        step000("public_statement", &["make_public_statement"]),
        step000(
            "accountability",
            &["review_heavier_sanction", "refer_for_accountability"],
        ),
        step000(
            "recommendation",
            &["send_recommendation", "answer_recommendation"],
        ),
        step000(
            "disciplinary_inquiry",
            &[
                "record_oversight",
                "provide_opinion_to_oversight",
                "record_oversight_answer",
                "report_upward",
            ],
        ),
    ];

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
        let reg = ctx.regulation()?;
        decide(state, command, actor, ctx.today, ctx.calendar, &p, reg)
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
        let (Ok(p), Ok(reg)) = (periods(ctx.periods), ctx.regulation()) else {
            return Vec::new();
        };
        due_events(state, ctx.today, ctx.calendar, &p, reg)
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
        if state.stage == Stage::New {
            // Opening (000 §12): the officer, the unit and the office file (the office on the
            // applicant's behalf), the office also opens ex officio; the access policies decide
            // for which organisations.
            let mut out = Vec::new();
            let filer = [Role::Office, Role::Unit, Role::Officer]
                .into_iter()
                .find(|r| actor.has(*r));
            if let Some(role) = filer {
                out.extend(form("file", state, role));
            }
            if actor.has(Role::Office) {
                out.extend(form("open_ex_officio", state, Role::Office));
            }
            return out;
        }
        let Ok(p) = periods(ctx.periods) else {
            return Vec::new();
        };
        // What is offered does not depend on the notices' wording: a view without the
        // regulation loaded probes under the recorded one (or none).
        let reg = ctx
            .regulation
            .clone()
            .unwrap_or_else(|| probe_regulation(state));
        available_actions(state, actor, ctx.today, ctx.calendar, &p, &reg)
            .into_iter()
            .filter_map(|id| {
                // The role the step is taken in: the one the workflow records for this actor.
                let role = sample_commands(state, id, ctx.today)
                    .iter()
                    .find_map(|c| {
                        decide(state, c, actor, ctx.today, ctx.calendar, &p, &reg)
                            .ok()
                            .and_then(|events| events.first().map(|e| e.by.role))
                    })
                    .or_else(|| actor.roles.first().copied())
                    .unwrap_or(Role::System);
                form(id, state, role)
            })
            .collect()
    }

    fn intro(action: &str) -> &'static str {
        intro(action)
    }

    fn form(action: &str) -> Option<Vec<Field>> {
        fields(action, &State::default())
    }

    fn inbox_roles(step: &str) -> &'static [Role] {
        match step {
            "opinion" => &[
                Role::Office,
                Role::Director,
                Role::DeputyDirector,
                Role::PanelMember,
                Role::ExternalExpert,
            ],
            "reconsideration_apply" | "re_review_apply" => &[Role::Officer, Role::Unit],
            "reconsideration_reply" => &[Role::Office, Role::Director, Role::DeputyDirector],
            "re_review_reply" => &[
                Role::HigherCommittee,
                Role::Office,
                Role::Director,
                Role::DeputyDirector,
            ],
            _ => &[Role::Office],
        }
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
        let list = |names: Vec<String>, sep: &str| names.join(sep);
        if let Some(form) = &state.form {
            let names: Vec<&str> = form.applicants.iter().map(|a| a.name.as_str()).collect();
            out.push(Fact::new("申请民警", names.join("、")));
            out.push(Fact::new("申请单位", form.applying_unit.name.clone()));
            out.push(Fact::new(
                "受理的维权委",
                format!("{}维权委", form.committee.name),
            ));
            if let Some(p) = &form.parent_committee {
                out.push(Fact::new("上一级维权委", format!("{}维权委", p.name)));
            }
            out.push(Fact::new("申请事项", form.matter.clone()));
            if let Some(st) = &form.statement {
                out.push(Fact::new("事实与理由", st.clone()));
            }
            if let Some(d) = &form.accountability_decision {
                let number = d
                    .document_number
                    .as_deref()
                    .map(|n| format!("，{n}"))
                    .unwrap_or_default();
                out.push(Fact::new(
                    "原问责处理决定",
                    format!(
                        "{}{}作出的{}{number}（关联记录；依照第二十二条，不因本申请停止执行）",
                        d.department.name,
                        lvzhi_calendar::date_zh(d.decided_on),
                        sanction_zh(Some(d.sanction))
                    ),
                ));
                if state.current_sanction != Some(d.sanction) {
                    out.push(Fact::new(
                        "现行处理",
                        sanction_zh(state.current_sanction).to_string(),
                    ));
                }
            }
        }
        // 000 §21 ¶3: a heavier sanction after a 复议 or 复核 is recorded as decided and shown
        // here for the committee to review whether the appeal was its cause (§37(六)).
        if let Some(flag) = heavier_after_appeal_fact(state) {
            out.push(flag);
        }
        out.extend(state.inquiries.iter().map(|(on, i)| {
            Fact::new(
                "同步审查的问责调查（第六条）",
                format!(
                    "{}自{}开展问责调查：{}（{}关联）",
                    i.body,
                    lvzhi_calendar::date_zh(i.started_on),
                    i.matter,
                    lvzhi_calendar::date_zh(*on)
                ),
            )
        }));
        out.extend(on_scene_facts(state));
        out.extend(referral_facts(state));
        if !state.panel.is_empty() {
            let names = state
                .panel
                .iter()
                .map(|m| {
                    let recused = if state.is_recused(&m.person_id) {
                        "，已回避"
                    } else {
                        ""
                    };
                    format!("{}（{}{recused}）", m.name, member_category_zh(m.category))
                })
                .collect();
            out.push(Fact::new("审查论证组", list(names, "、")));
        }
        if !state.externals.is_empty() {
            let names = state.externals.iter().map(|x| x.name.clone()).collect();
            out.push(Fact::new("特邀人员", list(names, "、")));
        }
        if !state.recused.is_empty() {
            let names = state
                .recused
                .iter()
                .map(|(_, name, reason)| format!("{name}（{reason}）"))
                .collect();
            out.push(Fact::new("已回避人员", list(names, "；")));
        }
        // 000 §14: drafts the leaders sent back, and the opinion they gave on approval.
        if !state.returns.is_empty() {
            let lines: Vec<String> = state
                .returns
                .iter()
                .map(|(on, by, rejected, reasons)| {
                    format!(
                        "{}{}{}：{reasons}",
                        lvzhi_calendar::date_zh(*on),
                        by.role.zh(),
                        if *rejected {
                            "不予批准"
                        } else {
                            "退回修改"
                        }
                    )
                })
                .collect();
            out.push(Fact::new("审查论证意见的退回", lines.join("\n")));
        }
        if let Some((on, by, text)) = &state.leader_opinion {
            out.push(Fact::new(
                "本级维权委领导意见",
                format!(
                    "{text}（{}，{}）",
                    by.role.zh(),
                    lvzhi_calendar::date_zh(*on)
                ),
            ));
        }
        if let Some(d) = &state.determination {
            out.push(Fact::new("认定意见", d.summary_zh()));
            out.push(Fact::new("认定依据和理由", d.basis.clone()));
            if !d.articles.is_empty() {
                out.push(Fact::new("依据条款", d.articles.join("、")));
            }
            if let Some(r) = &d.departure_reasons {
                out.push(Fact::new("未采纳系统建议的理由", r.clone()));
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

    fn check_periods(p: &lvzhi_case::Periods) -> Result<(), ProcessError> {
        periods(p).map(|_| ())
    }

    fn govern_kind(governance: &lvzhi_case::Governance) -> Option<EventKind> {
        Some(EventKind::CaseGoverned {
            governance: governance.clone(),
        })
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

// ---- The forms of the application's steps -------------------------------------------------
//
// What each step carries, as the pages draw it and the API documents it: the workflow's own
// command types stay the single truth of what a step records, and these fields name their JSON
// keys (`determination.outcome` is the field `outcome` of the object `determination`).

/// A select option: the serde id and its Chinese label.
pub type Opt = (String, String);

/// The serde id of a unit enum value (`major_demerit`).
fn id_of<T: Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn opts<T: Serialize + Copy>(items: &[T], zh: fn(T) -> String) -> Vec<Opt> {
    items.iter().map(|v| (id_of(*v), zh(*v))).collect()
}

/// The sanctions of an accountability decision, lightest first.
pub const SANCTIONS: [Sanction; 9] = [
    Sanction::Admonition,
    Sanction::WrittenSelfExamination,
    Sanction::CirculatedCriticism,
    Sanction::Warning,
    Sanction::Demerit,
    Sanction::MajorDemerit,
    Sanction::Demotion,
    Sanction::RemovalFromPost,
    Sanction::Expulsion,
];

/// 处理种类 of an accountability decision, lightest first.
pub fn sanction_options() -> Vec<Opt> {
    opts(&SANCTIONS, |s| s.zh().to_string())
}

fn outcome_options() -> Vec<Opt> {
    opts(
        &[
            Outcome::Exemption,
            Outcome::Tolerance,
            Outcome::Exclusion,
            Outcome::Aggravation,
            Outcome::None,
        ],
        |o| o.zh().to_string(),
    )
}

fn modality_options() -> Vec<Opt> {
    opts(&[Modality::Shall, Modality::May], |m| m.zh().to_string())
}

fn leniency_options() -> Vec<Opt> {
    opts(
        &[Leniency::Lighter, Leniency::Reduced, Leniency::Waived],
        |l| l.zh().to_string(),
    )
}

/// 审查论证组 member categories (000 §14).
pub fn member_category_zh(c: MemberCategory) -> &'static str {
    match c {
        MemberCategory::Legal => "法制",
        MemberCategory::Discipline => "纪检",
        MemberCategory::OriginalDepartment => "原问责处理决定作出部门",
    }
}

/// The panel's member categories as options.
pub fn member_category_options() -> Vec<Opt> {
    opts(
        &[
            MemberCategory::Legal,
            MemberCategory::Discipline,
            MemberCategory::OriginalDepartment,
        ],
        |c| member_category_zh(c).to_string(),
    )
}

/// The six categories of invited participants (000 §18), in order.
pub const EXTERNAL_CATEGORIES: [ExternalCategory; 6] = [
    ExternalCategory::Deputy,
    ExternalCategory::PoliticalLegalStaff,
    ExternalCategory::LegalExpert,
    ExternalCategory::FrontlineOfficer,
    ExternalCategory::PublicRepresentative,
    ExternalCategory::Other,
];

/// The six categories of invited participants, as 000 §18 lists them.
pub fn external_category_zh(c: ExternalCategory) -> &'static str {
    match c {
        ExternalCategory::Deputy => "（一）党代会代表、人大代表、政协委员",
        ExternalCategory::PoliticalLegalStaff => "（二）党委政法委、检察机关、审判机关工作人员",
        ExternalCategory::LegalExpert => "（三）法学专家、知名律师，相关领域专业人员",
        ExternalCategory::FrontlineOfficer => "（四）公安机关基层民警代表",
        ExternalCategory::PublicRepresentative => "（五）人民群众代表",
        ExternalCategory::Other => "（六）其他相关人员",
    }
}

/// The categories of invited participants as options.
pub fn external_category_options() -> Vec<Opt> {
    opts(&EXTERNAL_CATEGORIES, |c| {
        external_category_zh(c).to_string()
    })
}

/// The Chinese name of a category id as the expert pool stores it (the id itself if unknown).
pub fn external_category_label(id: &str) -> String {
    external_category_options()
        .into_iter()
        .find(|(c, _)| c == id)
        .map(|(_, zh)| zh)
        .unwrap_or_else(|| id.to_string())
}

/// The seven eligibility conditions of 000 §19, by field of `Eligibility`.
pub const ELIGIBILITY: [(&str, &str); 7] = [
    ("political_stance", "（一）政治立场坚定"),
    ("integrity", "（二）具有良好的职业素养和品德"),
    ("no_criminal_record", "（三）未因犯罪受过刑事处罚"),
    ("no_disciplinary_record", "（四）未受过党纪、政务处分"),
    (
        "experience_authority",
        "（五）具有丰富的工作经历，在特定领域具有较强权威性或者较大影响力",
    ),
    (
        "no_conflict",
        "（六）与申请人、申请单位或者审查论证事项无利害关系，无应当回避的情形或者其他可能影响公平公正审查论证的情形",
    ),
    ("confidentiality", "（七）能够保守国家秘密、警务秘密和个人隐私"),
];

fn field(name: &str, label: &str, kind: FieldKind, required: bool) -> Field {
    Field::new(name, label, kind, required)
}

fn choice(name: &str, label: &str, options: Vec<Opt>, required: bool) -> Field {
    field(name, label, FieldKind::Choice { options }, required)
}

fn yes_no(name: &str, label: &str, yes: &str, no: &str) -> Field {
    field(
        name,
        label,
        FieldKind::YesNo {
            yes: yes.to_string(),
            no: no.to_string(),
        },
        true,
    )
}

fn text(name: &str, label: &str, required: bool) -> Field {
    field(name, label, FieldKind::Text, required)
}

fn long(name: &str, label: &str, required: bool) -> Field {
    field(name, label, FieldKind::LongText, required)
}

fn object(name: &str, label: &str, fields: Vec<Field>, required: bool) -> Field {
    field(name, label, FieldKind::Object { fields }, required)
}

/// The name of record of the person or organisation chosen in the field `of` (filled from the
/// directory by the server, never taken from the client).
fn name_of(of: &str, label: &str) -> Field {
    field(
        "name",
        label,
        FieldKind::NameOf { of: of.to_string() },
        true,
    )
}

/// An organisation of the directory named by id, its name of record beside it.
fn org(name: &str, label: &str, required: bool) -> Field {
    object(
        name,
        label,
        vec![
            field("id", label, FieldKind::Org, true),
            name_of("id", "名称"),
        ],
        required,
    )
}

const ARTICLES_HELP: &str = "多项以顿号分隔，如：000 §7(一)、000 §8。";

/// A determination (000 §14): the conclusion, its modality and leniency, basis and articles.
fn determination(name: &str, label: &str, required: bool) -> Field {
    object(
        name,
        label,
        vec![
            choice("outcome", "认定结论", outcome_options(), true),
            choice("modality", "应当 / 可以", modality_options(), true)
                .help("依据的条款规定“应当”还是“可以”。"),
            choice("leniency", "从宽幅度", leniency_options(), false)
                .help("认定容错的，应当明确从轻、减轻或者免于追究（000 §8）；其他结论不填。"),
            long("basis", "认定依据和理由", true).help("写明认定的事实、理由和依据。"),
            field("articles", "依据条款", FieldKind::List, false).help(ARTICLES_HELP),
            field(
                "original_decision_improper",
                "原问责处理决定不当，应当建议撤销或者变更",
                FieldKind::Bool,
                false,
            )
            .help("勾选后，认定生效时由维权委向原决定作出部门提出建议（000 §22、§26）。"),
            long("departure_reasons", "不采纳系统建议的理由", false).help(
                "认定结论（结论、应当/可以、从宽幅度）与系统记录的建议结论不一致的，必须写明不采纳建议的理由（000 §14）；一致的可不填。",
            ),
        ],
        required,
    )
}

fn reply_fields() -> Vec<Field> {
    vec![
        yes_no("upheld", "复查结论", "维持原意见", "变更原意见"),
        long("reasoning", "理由", true).help("回复意见应当说明理由（000 §21）。"),
        determination("revised", "变更后的认定", false).help(
            "维持原意见的，本栏不填；变更原意见的，填写变更后的认定，带 * 的各项必填（000 §21）。",
        ),
    ]
}

fn appeal_fields() -> Vec<Field> {
    vec![
        long("grounds", "事由", true).help("写明对意见有异议的事项和理由。"),
        long("new_evidence", "新的证据", false)
            .help("以同一事由再次申请的，应当提出可能推翻原意见结论的新证据（000 §21）。"),
    ]
}

/// The applicant officers of the case, to choose one.
fn officer(s: &State) -> Field {
    let options = s
        .form
        .iter()
        .flat_map(|f| f.applicants.iter())
        .map(|o| (o.person_id.clone(), o.name.clone()))
        .collect();
    choice("officer_id", "民警", options, true)
}

/// A record of 纪检监察 / 检察 involvement, to choose one (000 §29).
fn oversight(s: &State) -> Field {
    let options = s
        .oversight
        .iter()
        .enumerate()
        .map(|(i, o)| {
            (
                i as u64,
                format!(
                    "第{}项：{}（{}，{}）",
                    i + 1,
                    o.body_name,
                    o.body.zh(),
                    lvzhi_calendar::date_zh(o.recorded_on)
                ),
            )
        })
        .collect();
    field("index", "介入记录", FieldKind::Index { options }, true)
}

fn truncate(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// The application form of 000's annex (000 §12), as the command carries it.
fn application_form() -> Field {
    object(
        "form",
        "公安民警免责容错申请表",
        vec![
            field(
                "applicants",
                "申请民警",
                FieldKind::Rows {
                    fields: vec![
                        field("person_id", "民警", FieldKind::Person, true),
                        name_of("person_id", "姓名"),
                    ],
                    max: 50,
                },
                true,
            ),
            org("applying_unit", "申请单位（所在单位）", true),
            org("committee", "受理的维权委所在机构", true)
                .help("申请单位或者其最近的设有维权办的上级单位（000 §12）。"),
            org("parent_committee", "上一级维权委所在机构", false)
                .help("受理复核的上一级维权委（000 §21）。"),
            long("matter", "申请事项", true).help("载入受理通知等书面文书。"),
            long("statement", "事实与理由", false).help("载入申请表。"),
            object(
                "accountability_decision",
                "原问责处理决定",
                vec![
                    object(
                        "department",
                        "作出部门",
                        vec![
                            field("id", "作出部门", FieldKind::Text, true),
                            name_of("id", "名称")
                            .help("名录中的部门以名录的名称为准；名录之外的机关按所填名称。"),
                        ],
                        true,
                    ),
                    choice("sanction", "处理种类", sanction_options(), true),
                    field("decided_on", "决定日期", FieldKind::Date, true),
                    text("document_number", "文号", false),
                ],
                false,
            )
            .help("申请免责容错应当针对已作出的问责处理决定（000 §12）；本申请不影响原决定的执行（000 §22）。"),
            field("facts", "案件事实", FieldKind::Facts, false),
        ],
        true,
    )
}

/// The article a step implements.
fn article(action: &str) -> &'static str {
    match action {
        "file" | "open_ex_officio" => "000 §12",
        "register" | "accept" | "reject" => "000 §13",
        "update_facts"
        | "record_recommendation"
        | "form_panel"
        | "draft_opinion"
        | "approve_opinion"
        | "return_opinion" => "000 §14",
        "add_evidence" => "000 §14–15",
        "record_hearing" | "record_site_visit" => "000 §15",
        "record_on_scene_report" => "000 §11",
        "link_accountability_inquiry" => "000 §6",
        "approve_external_participant" => "000 §18–19",
        "record_recusal" => "000 §19(六)",
        "extend_review" => "000 §18、§20",
        "record_interim_line" => "000 §17",
        "issue_opinion" => "000 §16",
        "record_receipt"
        | "declare_no_objection"
        | "apply_reconsideration"
        | "reply_reconsideration"
        | "apply_re_review"
        | "reply_re_review" => "000 §21",
        "start_publicity"
        | "record_objection"
        | "resolve_objection"
        | "close_publicity"
        | "revise_determination" => "000 §23",
        "send_recommendation" => "000 §22、§26",
        "answer_recommendation" => "000 §27",
        "record_sanction_change" => "000 §21–22",
        "record_oversight"
        | "provide_opinion_to_oversight"
        | "record_oversight_answer"
        | "report_upward" => "000 §29",
        "decide_compensation" => "000 §24",
        "make_public_statement" => "000 §28",
        "review_heavier_sanction" => "000 §21¶3、§37(六)",
        "refer_for_accountability" => "000 §37",
        "apply_protections" => "000 §30",
        _ => "000 §31",
    }
}

/// One sentence on what a step records, above its form.
fn intro(action: &str) -> &'static str {
    match action {
        "file" => "民警认为有符合免责的情形而受到问责处理，或者认为有符合容错的情形而受到过重问责处理的，民警本人或者所在单位可以向本级维权办提出申请。",
        "open_ex_officio" => "维权办在工作中发现有应当适用免责容错情形、线索的，应当主动启动相关工作；审查论证期限自启动之日起计算。",
        "register" => "收到免责容错申请后及时登记，并进行初查。",
        "accept" => "经初查决定受理，系统生成书面受理通知；审查论证期限自受理之日起计算（000 §16）。",
        "reject" => "不予受理的，应当书面告知不予受理的理由。",
        "update_facts" => "案件事实在案件页面的“事实问询”中逐项填写。",
        "record_recommendation" => "记录规则引擎依据已查明事实给出的建议结论，作为审查论证的参考。",
        "form_panel" => "组织法制、纪检等有关成员单位专业人员，视情邀请原问责处理决定作出部门相关人员组成审查论证组。",
        "add_evidence" => "上传证据文件并登记到本案：文件按 SM3 摘要存证，每次下载时重新校验。",
        "record_hearing" => "当面听取申请人陈述、举证、申辩，听取申请单位的意见。",
        "record_site_visit" => "开展实地走访调查的地点和情况。",
        "link_accountability_inquiry" => "在评价民警履职行为、认定民警履职责任、开展问责调查过程中，应当同步审查是否具有免责容错的情形和条件：记录正在进行的问责调查，审查论证与之同步进行（000 §6）。",
        "record_on_scene_report" => "民警在依法履职过程中出现损害后果或者不良影响的，应当立即向所在单位报告，并保护现场、固定证据；所在单位应当立即派员赶到现场，指导和协助民警保护现场、固定证据。记录审查查明的情况，供认定是否因违反执法全流程记录等规定造成证据流失（000 §11）。",
        "approve_external_participant" => "案情重大、情况复杂、有较大影响的申请事项，经维权委主任或者副主任批准，可以邀请专家库人员参与审查论证；参与人员应当符合 000 §19 规定的七项条件。",
        "record_recusal" => "与申请人、申请单位或者审查论证事项有利害关系的人员应当回避；决定回避后，该人员不再参与本案任何办理事项，也不能查看本案。",
        "extend_review" => "第一次延长经维权委主任或者副主任批准（000 §18），再次延长经维权委主任批准（000 §20），每次延长15个工作日，应当在期限届满前办理。",
        "record_interim_line" => "对确定不能按期办结的重大、疑难、复杂申请事项，议定阶段性对外宣传口径，防止舆情恶化，并确定推进工作进展的措施。",
        "draft_opinion" => "审查论证组对民警履职行为的合法合规性、采取措施的适度合理性、主客观情况、因果关系以及是否适用免责容错进行全面审查论证后，起草审查论证意见，报维权委主任或者副主任批准。",
        "approve_opinion" => "维权委主任或者副主任批准审查论证意见后，由维权办书面出具。可以写明领导意见，载入免责容错申请表“本级维权委领导意见”栏。",
        "return_opinion" => "维权委主任或者副主任对审查论证意见草稿不予批准的，写明理由：退回修改的，审查论证组据此修改草稿后再报批准；不予批准的，草稿作废，审查论证组重新起草。",
        "issue_opinion" => "向申请人或者申请单位书面出具审查论证意见，系统生成意见书全文；复议期限自收到意见之日起计算（000 §21）。",
        "record_receipt" => "申请人晚于出具日收到意见或者回复的，记录实际收到的日期；申请复议、复核的期限自收到之日起计算。",
        "declare_no_objection" => "申请人对现行意见无异议的，意见即行生效，可以公示并运用结果；表示无异议后不能再申请复议、复核。",
        "apply_reconsideration" => "对审查论证意见有异议的，可以自收到意见之日起10个工作日内向所属单位维权委申请复议。",
        "reply_reconsideration" => "维权委应当在收到复议申请之日起15个工作日内书面回复复议意见；变更原意见的，填写变更后的认定。",
        "apply_re_review" => "对复议意见仍有异议的，可以自收到复议意见之日起10个工作日内向上一级公安机关维权委申请复核。",
        "reply_re_review" => "上一级维权委应当自收到复核申请之日起30个工作日内书面回复复核意见，并抄告原复议机构；变更原意见的，填写变更后的认定。",
        "start_publicity" => "对申请人无意见或者经复议复核的免责容错认定意见，在申请人所在单位公示，接受监督；公示期不少于五日。",
        "record_objection" => "公示期间，本级维权办或者问责机关、部门收到反映申请人有不符合免责或者减轻责任的证据或者线索的，应当记录并认真甄别核实。",
        "resolve_objection" => "对公示期间收到的反映逐件甄别核实；核实属实的，认定意见须经维权委主任或者副主任修正后才能继续。",
        "close_publicity" => "公示期届满且收到的反映均已甄别核实的，结束公示。",
        "revise_determination" => "公示期间的反映经核实属实的，由维权委主任或者副主任修正认定意见。",
        "send_recommendation" => "经审查论证认为原问责处理决定不当、应当适用免责容错的，按照干部管理权限，将审查论证意见通报原决定作出部门，提出撤销或者变更原决定的建议；系统生成建议书全文。",
        "answer_recommendation" => "问责处理决定部门对维权委提出的撤销或者变更原决定的建议，无正当理由的，应当采纳。",
        "record_sanction_change" => "原问责处理决定的执行不因本申请而停止（000 §22）；记录其撤销或者变更。申请人申请复议复核后，不得因此加重处理（000 §21）。",
        "record_oversight" => "纪检监察机关、检察机关对有关案事件介入调查的，记录介入情况；公安机关认为民警具有免责容错情形的，应当提供相关依据证据，提出意见建议。",
        "provide_opinion_to_oversight" => "向介入机关提供相关依据证据和意见建议；已作出审查论证意见的，应当及时一并提供。",
        "record_oversight_answer" => "记录介入机关是否采纳所提意见建议；不被采纳的，应当及时报告上一级公安机关。",
        "report_upward" => "意见建议不被介入机关采纳的，及时报告上一级公安机关。",
        "decide_compensation" => "民警依法履职免责容错对公民、法人或者其他组织合法权益造成的损害，由其所属单位参照有关规定作出是否给予补偿的决定。",
        "review_heavier_sanction" => "申请人申请复议复核后原问责处理被加重的，由维权委主任或者副主任审查是否因申请而加重；属实的，一并移送追究相关领导和责任人的责任。",
        "refer_for_accountability" => "不严格落实免责容错办法错误处理民警、不及时报告或者转递申请申诉、阻碍干扰调查、推诿拖延致证据流失、不及时纠正错误追责、因申请申诉加重处理或者打击报复的，依照有关规定追究相关领导和责任人的责任。",
        "make_public_statement" => "必要时，可以向社会公布或者向执法相对人通报免责容错调查审查情况和问责处理决定，以澄清事实，消除不良影响；向执法相对人通报的，系统生成书面通报。",
        "apply_protections" => "对依法履职免责的民警，不影响其各类考核，干部提拔任用、职务职级和警衔晋升，评先评优、表彰奖励，以及党代会代表、人大代表、政协委员资格。",
        "record_counselling" => "对适用依法履职免责的民警，及时开展谈心谈话、心理疏导，消除后顾之忧。",
        "set_rectification" => "对适用容错的民警，制定并落实有针对性的纠错和整改措施，加强回访教育、跟踪管理。",
        "record_recurrence" => "整改效果不明显，或者同一类型错误再次发生的，应当依规依纪依法问责处理。",
        _ => "",
    }
}

/// The fields of step `action` on `s` (`None` for an id that is not one of the workflow's).
pub fn fields(action: &str, s: &State) -> Option<Vec<Field>> {
    Some(match action {
        "file" => vec![
            application_form(),
            field("received_on", "收到申请的日期", FieldKind::Date, false).help(
                "维权办代为录入纸质申请表的，填写实际收到的日期，受理期限自该日起计算（000 §13）；缺省为今日。",
            ),
        ],
        "open_ex_officio" => vec![
            application_form(),
            long("grounds", "主动启动的依据", true).help("写明发现的情形或者线索。"),
        ],
        "register" | "accept" | "issue_opinion" | "declare_no_objection" | "close_publicity" => {
            Vec::new()
        }
        "approve_opinion" => vec![long("comment", "领导意见", false)
            .help("可不填；填写的，载入免责容错申请表“本级维权委领导意见”栏。")],
        "return_opinion" => vec![
            yes_no("rejected", "处理方式", "不予批准（草稿作废，重新起草）", "退回修改"),
            long("reasons", "理由", true).help("写明需要修改或者不予批准的理由，记入审计链。"),
        ],
        "reject" => {
            vec![long("reasons", "不予受理的理由", true).help("将载入书面不予受理通知。")]
        }
        "update_facts" => vec![field("facts", "案件事实", FieldKind::Facts, true)],
        "record_recommendation" => vec![object(
            "recommendation",
            "系统建议结论",
            vec![
                choice("outcome", "建议结论", outcome_options(), true),
                choice("modality", "应当 / 可以", modality_options(), true),
                field(
                    "leniency",
                    "从宽幅度",
                    FieldKind::MultiChoice {
                        options: leniency_options(),
                    },
                    false,
                ),
                field("citations", "引用条款", FieldKind::List, false).help(ARTICLES_HELP),
                long("explanation", "说明", false),
            ],
            true,
        )],
        "form_panel" => vec![field(
            "members",
            "审查论证组成员",
            FieldKind::Rows {
                fields: vec![
                    field("person_id", "成员", FieldKind::Person, true),
                    name_of("person_id", "姓名"),
                    choice("category", "成员类别", member_category_options(), true),
                ],
                max: 30,
            },
            true,
        )
        .help("应当至少包括一名法制成员和一名纪检成员；申请人和已决定回避的人员不能参加（000 §19(六)）。")],
        "add_evidence" => vec![field("evidence", "证据文件", FieldKind::Evidence, true)],
        "record_hearing" => vec![long("summary", "听取情况", true)],
        "record_site_visit" => vec![
            text("place", "走访地点", true),
            long("summary", "走访调查情况", true),
        ],
        "link_accountability_inquiry" => vec![
            text("body", "开展问责调查的部门", true),
            long("matter", "问责调查的事项", true),
            field("started_on", "问责调查开始日期", FieldKind::Date, true),
        ],
        "record_on_scene_report" => vec![
            field("reported_on", "民警向所在单位报告的日期", FieldKind::Date, true),
            field("scene_protected", "民警保护现场、固定证据", FieldKind::Bool, false),
            long("evidence", "固定的证据", false),
            field("dispatched", "所在单位立即派员赶到现场", FieldKind::Bool, false),
            long("unit_actions", "所在单位的指导、协助和现场控制", false),
        ],
        "approve_external_participant" => {
            let eligibility: Vec<Field> = ELIGIBILITY
                .iter()
                .map(|(k, label)| field(k, label, FieldKind::Bool, false))
                .collect();
            let grounds = long("grounds", "案情重大、情况复杂或者有较大影响的理由", false)
                .always_sent();
            vec![
                object(
                    "participant",
                    "参与人员",
                    vec![
                        field("person_id", "参与人员", FieldKind::Expert, true),
                        name_of("person_id", "姓名"),
                        choice("category", "人员类别", external_category_options(), true),
                        object(
                            "eligibility",
                            "参与条件（000 §19）",
                            eligibility,
                            true,
                        ),
                        long("no_conflict_declaration", "无利害关系声明", true).help(
                            "参与人员书面声明与申请人、申请单位或者审查论证事项无利害关系（000 §19(六)）。",
                        ),
                    ],
                    true,
                ),
                if s.major_grounds.is_some() {
                    grounds.help("本案已认定为重大复杂事项，可不填。")
                } else {
                    Field {
                        required: true,
                        ..grounds
                    }
                    .help("本案尚未认定为重大复杂事项，必须填写（000 §18）。")
                },
            ]
        }
        "record_recusal" => vec![
            field("person_id", "回避人员", FieldKind::Person, true),
            name_of("person_id", "姓名"),
            long("reason", "回避理由", true),
        ],
        "extend_review" => vec![long("grounds", "延长理由", true)
            .help("写明案情重大、情况复杂、有较大影响或者未能按期审查论证完毕的理由。")],
        "record_interim_line" => vec![
            long("public_line", "阶段性对外宣传口径", true),
            long("measures", "推进工作进展的措施", true),
        ],
        "draft_opinion" | "revise_determination" => {
            vec![determination("determination", "认定意见", true)]
        }
        "record_receipt" => vec![field("received_on", "收到日期", FieldKind::Date, true)],
        "apply_reconsideration" | "apply_re_review" => appeal_fields(),
        "reply_reconsideration" | "reply_re_review" => reply_fields(),
        "start_publicity" => vec![
            text("place", "公示地点", true),
            field("days", "公示天数（日）", FieldKind::Amount, false)
                .help("公示期不少于政策包规定的天数（000 §23：不少于五日）；不填即为该最少天数。"),
        ],
        "record_objection" => vec![long("summary", "反映的内容", true)
            .help("写明反映人（可匿名）、反映的证据或者线索。")],
        "resolve_objection" => {
            let options = s
                .publicity
                .iter()
                .flat_map(|p| p.objections.iter().enumerate())
                .filter(|(_, o)| o.resolution.is_none())
                .map(|(i, o)| (i as u64, format!("第{}件：{}", i + 1, truncate(&o.summary, 40))))
                .collect();
            vec![
                field("index", "反映", FieldKind::Index { options }, true),
                yes_no("substantiated", "核实结论", "反映属实", "反映不属实"),
                long("finding", "甄别核实情况", true),
            ]
        }
        "send_recommendation" => vec![
            object(
                "proposal",
                "建议",
                vec![
                    choice(
                        "kind",
                        "建议",
                        vec![
                            ("revoke".to_string(), "撤销原问责处理决定".to_string()),
                            ("change".to_string(), "变更为较轻的处理".to_string()),
                        ],
                        true,
                    ),
                    choice("to", "变更后的处理", sanction_options(), false)
                        .help("建议变更的必须选择，且应当轻于现行处理。"),
                ],
                true,
            ),
            long("reasons", "原决定不当的理由", true),
        ],
        "answer_recommendation" => vec![
            yes_no("adopted", "是否采纳", "采纳", "不予采纳"),
            long("justification", "不予采纳的正当理由", false)
                .help("不予采纳的，必须书面说明正当理由（000 §27）。"),
        ],
        "record_sanction_change" => {
            let mut options = vec![(String::new(), "撤销原决定（不予处理）".to_string())];
            options.extend(sanction_options());
            vec![
                choice("sanction", "变更后的处理", options, false),
                long("reason", "变更理由", true),
            ]
        }
        "record_oversight" => vec![
            choice(
                "body",
                "介入机关类别",
                opts(
                    &[
                        OversightBody::DisciplineInspection,
                        OversightBody::Procuratorate,
                    ],
                    |b| b.zh().to_string(),
                ),
                true,
            ),
            text("body_name", "介入机关名称", true),
            long("description", "介入调查情况", true),
        ],
        "provide_opinion_to_oversight" => vec![
            oversight(s),
            long("summary", "提供的依据证据和意见建议", true),
        ],
        "record_oversight_answer" => vec![
            oversight(s),
            yes_no("adopted", "采纳情况", "已采纳", "未采纳"),
            long("note", "情况说明", true),
        ],
        "report_upward" => vec![oversight(s), long("summary", "报告内容", true)],
        "decide_compensation" => vec![
            yes_no("granted", "是否给予补偿", "给予补偿", "不予补偿"),
            field("amount_yuan", "补偿金额（元）", FieldKind::Amount, false)
                .help("给予补偿的必须填写；不予补偿的不填。"),
            long("basis", "参照的规定和理由", true),
        ],
        "review_heavier_sanction" => vec![
            yes_no(
                "retaliation",
                "审查结论",
                "系因申请而加重处理",
                "并非因申请而加重处理",
            ),
            long("finding", "审查认定的事实和理由", true),
            text("persons", "相关领导和责任人", false)
                .help("认定系因申请而加重处理的必须填写；否则不填。"),
            text("referred_to", "移送或者报告的机关", false)
                .help("认定系因申请而加重处理的必须填写；否则不填。"),
        ],
        "refer_for_accountability" => vec![
            choice(
                "conduct",
                "情形",
                opts(Misconduct::ALL, |m| m.zh().to_string()),
                true,
            ),
            text("persons", "相关领导和责任人", true),
            long("facts", "有关行为的事实", true),
            text("referred_to", "移送或者报告的机关", true),
        ],
        "make_public_statement" => vec![
            choice(
                "audience",
                "方式",
                opts(
                    &[StatementAudience::Society, StatementAudience::Counterparty],
                    |a| a.zh().to_string(),
                ),
                true,
            ),
            text("recipient", "执法相对人", false)
                .help("向执法相对人通报的必须填写；向社会公布的不填。"),
            text("channel", "公布途径或者通报方式", true),
            long("content", "公布或者通报的内容", true),
        ],
        "apply_protections" => vec![officer(s)],
        "record_counselling" => vec![officer(s), long("summary", "谈话疏导情况", true)],
        "set_rectification" => vec![
            officer(s),
            long("measures", "纠错和整改措施", true),
            long("follow_up", "回访教育、跟踪管理安排", true),
        ],
        "record_recurrence" => vec![officer(s), long("description", "情况说明", true)],
        _ => return None,
    })
}

/// The form of step `action` on `s`, taken in `role`.
fn form(action: &str, s: &State, role: Role) -> Option<ActionSpec> {
    Some(ActionSpec {
        id: action.to_string(),
        label: action_label(action).unwrap_or(action).to_string(),
        article: article(action).to_string(),
        role,
        fields: fields(action, s)?,
    })
}

/// Every step's form on `s`, whoever may take it (what the API documents): the role is the
/// step's usual one.
pub fn every_form(s: &State) -> Vec<ActionSpec> {
    crate::ACTIONS
        .iter()
        .filter_map(|(id, _)| form(id, s, Role::Office))
        .collect()
}

/// The flag of a heavier sanction recorded after a 复议 or 复核 was filed (000 §21 ¶3: 不得因民警
/// 申请复议复核而对其加重处理; §37(六): 因民警申请申诉加重处理或变相打击报复 is an accountability
/// matter). lvzhi cannot know the cause, so it records what was decided and says what to review.
fn heavier_after_appeal_fact(state: &State) -> Option<Fact> {
    if state.heavier_after_appeal.is_empty() {
        return None;
    }
    let changes: Vec<String> = state
        .heavier_after_appeal
        .iter()
        .map(|on| {
            let to = state
                .sanction_history
                .iter()
                .rev()
                .find(|(d, _, _)| d == on)
                .map(|(_, s, _)| sanction_zh(*s))
                .unwrap_or_default();
            format!("{}加重为“{to}”", lvzhi_calendar::date_zh(*on))
        })
        .collect();
    if state.heavier_unreviewed() == 0 {
        let review = state.heavier_reviews.last()?;
        let result = if review.retaliation {
            "认定系因申请而加重处理，已移送追究相关领导和责任人的责任（000 §37(六)）"
        } else {
            "认定并非因申请而加重处理"
        };
        return Some(Fact::new(
            "申请复议复核后加重处理（已审查）",
            format!(
                "申请人申请复议复核后，原问责处理于{}。维权委于{}审查：{result}。{}",
                changes.join("、"),
                lvzhi_calendar::date_zh(review.on),
                review.finding
            ),
        ));
    }
    Some(Fact::new(
        "待审查：申请复议复核后加重处理",
        format!(
            "申请人申请复议复核后，原问责处理于{}。公安机关不得因民警申请复议复核而对其加重处理或者变相打击报复（000 §21¶3），请维权委审查是否因申请而加重；属实的，依照有关规定追究相关领导和责任人的责任（000 §37(六)）",
            changes.join("、")
        ),
    ))
}

/// The officer's report and the scene (000 §11), as the review found them.
fn on_scene_facts(state: &State) -> Option<Fact> {
    let (on, r) = state.on_scene.as_ref()?;
    let mut v = format!(
        "{}向所在单位报告；{}",
        lvzhi_calendar::date_zh(r.reported_on),
        if r.scene_protected {
            "民警保护现场、固定证据"
        } else {
            "民警未保护现场、固定证据"
        }
    );
    if !r.evidence.is_empty() {
        v.push_str(&format!("（{}）", r.evidence));
    }
    v.push_str(if r.dispatched {
        "；所在单位立即派员赶到现场"
    } else {
        "；所在单位未立即派员赶到现场"
    });
    if !r.unit_actions.is_empty() {
        v.push_str(&format!("：{}", r.unit_actions));
    }
    v.push_str(&format!("（{}记录）", lvzhi_calendar::date_zh(*on)));
    Some(Fact::new("民警报告和现场处置（第十一条）", v))
}

/// Conduct referred for accountability (000 §37): what, who, and to whom.
fn referral_facts(state: &State) -> Vec<Fact> {
    state
        .referrals
        .iter()
        .map(|r| {
            Fact::new(
                "移送追究责任",
                format!(
                    "{}：{}（{}）；相关领导和责任人：{}；移送{}。{}",
                    lvzhi_calendar::date_zh(r.on),
                    r.conduct.zh(),
                    lvzhi_case::article_zh(&r.article).unwrap_or_else(|| r.article.clone()),
                    r.persons,
                    r.referred_to,
                    r.facts
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_calendar::{Calendar, Period};
    use std::collections::BTreeSet;

    /// The application reads exactly the periods it declares (`Process::PERIODS`, what
    /// `lvzhi policy coverage` counts as periods in use): the nine of 000 §13–23, and none of
    /// the others its pack holds.
    #[test]
    fn reads_exactly_the_periods_it_declares() {
        let mut map: BTreeMap<String, Period> = PERIOD_NAMES
            .iter()
            .map(|id| (id.to_string(), Period::WorkingDays(10)))
            .collect();
        map.insert("rectification_verify".into(), Period::WorkingDays(10));
        let periods = lvzhi_case::Periods::recording(map);
        let cal = Calendar::embedded();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let ctx = Ctx::new(today, &cal, &periods);
        let state = State::default();
        let _ = <Application as Process>::deadlines(&state, &ctx.rules());
        let _ = <Application as Process>::due_events(&state, &ctx);
        let declared: BTreeSet<String> =
            Application::PERIODS.iter().map(|s| s.to_string()).collect();
        assert_eq!(periods.reads(), declared);
    }
}
