//! The form of each step of a case (`/cases/{id}/act/{action}`), drawn from the declarative
//! specifications of [`crate::actions`], with the case's context where it helps the person
//! acting: the live recommendation beside a draft opinion (000 §14), the candidates and their
//! conflicts when a panel is formed (000 §14, §19(六)), the expert pool with the seven
//! conditions of 000 §19, the objections of a publicity (000 §23), and the recommendation a
//! department answers (000 §27).
//!
//! Only the steps [`available`] lists are served: any other answers 403 when the policies or the
//! person's role refuse it and 422 when the case is not at that stage, with the workflow's own
//! Chinese reason. A refused submission shows the form again with the reason at the top and
//! everything entered kept.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use lvzhi_store::ExpertRecord;
use lvzhi_workflow::{
    action_label, decide, sample_commands, AppealKind, Command, EventKind, Leniency, Modality,
    Outcome, Recommendation, State as CaseState, WorkflowError,
};
use maud::{html, Markup};
use serde::Deserialize;

use super::case_page::{actors, available, load_case, recommendation_panel, run_command, CaseCtx};
use super::{csrf_field, multiline, page, PageResult, PageUser};
use crate::access;
use crate::actions::{self, ActionSpec, Field, Kind};
use crate::app::App;
use crate::auth::{CsrfForm, User};
use crate::error::AppError;
use crate::interview;

pub fn routes() -> Router<App> {
    Router::new().route("/cases/{id}/act/{action}", get(act_page).post(act_submit))
}

#[derive(Deserialize)]
struct ActQuery {
    /// The expert of the pool chosen on the participant form.
    expert: Option<String>,
}

type Values = Vec<(String, String)>;

fn find_spec(action: &str) -> Result<&'static ActionSpec, AppError> {
    actions::spec(action).ok_or_else(|| match action {
        "file" | "open_ex_officio" => {
            AppError::NotFound("提出申请或者主动启动请使用“免责容错申请”页面".to_string())
        }
        _ => AppError::NotFound(format!("没有“{action}”这一办理事项")),
    })
}

/// Why an action the user asked for is not open to them now: 403 when the access policies or
/// the workflow's role check refuse it, 422 when the case is not at that step (the workflow's
/// reason, found by probing it with the same sample commands that decide what is offered).
fn unavailable(app: &App, user: &User, ctx: &CaseCtx, action: &str) -> AppError {
    let label = action_label(action).unwrap_or("办理该事项");
    if !access::may(app, user, action, &ctx.parties) {
        return AppError::Forbidden(format!("您无权在本案中办理“{label}”"));
    }
    let s = &ctx.loaded.state;
    let today = app.clock().today();
    let periods = match crate::packs::procedure_periods(&app.packs()) {
        Ok(p) => p,
        Err(e) => return AppError::Internal(e),
    };
    let service = app.service();
    let (mut refused, mut forbidden) = (None, None);
    for actor in actors(user) {
        for cmd in sample_commands(s, action, today) {
            match decide(s, &cmd, &actor, today, service.calendar(), &periods) {
                Ok(_) => {}
                Err(e @ WorkflowError::Forbidden { .. }) => {
                    forbidden.get_or_insert(e.to_string());
                }
                Err(e) => {
                    refused.get_or_insert(e.to_string());
                }
            }
        }
    }
    match (refused, forbidden) {
        (Some(m), _) => AppError::Unprocessable(m),
        (None, Some(m)) => AppError::Forbidden(m),
        (None, None) => {
            AppError::Unprocessable(format!("案件当前处于“{}”阶段，不能{label}", s.stage.zh()))
        }
    }
}

fn ensure_available(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    spec: &ActionSpec,
) -> Result<(), AppError> {
    if available(app, user, ctx).contains(&spec.id) {
        Ok(())
    } else {
        Err(unavailable(app, user, ctx, spec.id))
    }
}

async fn act_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, action)): Path<(String, String)>,
    Query(q): Query<ActQuery>,
) -> PageResult {
    if crate::processes::process_kind(&app, &id).await?.is_some() {
        return super::process::act_page(&app, &user, &id, &action).await;
    }
    let ctx = load_case(&app, &user, &id).await?;
    let spec = find_spec(&action)?;
    ensure_available(&app, &user, &ctx, spec)?;
    if spec.id == "add_evidence" {
        return Ok(super::evidence::upload_page(&app, &user, &ctx));
    }
    if spec.id == "update_facts" {
        // Facts are answered question by question in the case page's interview.
        return Ok(
            Redirect::to(&format!("/cases/{}#interview", ctx.loaded.case_id)).into_response(),
        );
    }
    let experts = experts_for(&app, spec).await?;
    let expert = q
        .expert
        .as_deref()
        .and_then(|e| experts.iter().find(|x| x.id == e));
    let values = prefill(&app, &ctx, spec, expert);
    Ok(render(
        &app, &user, &ctx, spec, &values, &experts, expert, None,
    ))
}

async fn act_submit(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, action)): Path<(String, String)>,
    form: CsrfForm,
) -> PageResult {
    if crate::processes::process_kind(&app, &id).await?.is_some() {
        return super::process::act_submit(&app, &user, &id, &action, &form).await;
    }
    let ctx = load_case(&app, &user, &id).await?;
    let spec = find_spec(&action)?;
    ensure_available(&app, &user, &ctx, spec)?;
    let experts = experts_for(&app, spec).await?;
    let mut values: Values = form
        .0
        .iter()
        .filter(|(k, _)| k != "_csrf")
        .cloned()
        .collect();
    let expected = form
        .get("expected_version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let result = async {
        complete(&app, &ctx, spec, &experts, &mut values)?;
        let command = if spec.id == "update_facts" {
            Command::UpdateFacts {
                facts: interview::facts_from_form(&app.packs(), &values)?,
            }
        } else {
            actions::build(spec.id, &values, &ctx.loaded.state)?
        };
        run_command(&app, &user, &ctx, &command, expected).await
    }
    .await;
    match result {
        Ok((_, events)) => {
            // A notice issued without its seal is said so at once (issue 6): recorded, 未定稿.
            let first = ctx.loaded.state.documents.len() + 1;
            let unsealed = app.service().seals_documents()
                && !lvzhi_service::unsealed_documents(&events, first).is_empty();
            let msg = if unsealed { "unsealed" } else { "recorded" };
            Ok(Redirect::to(&format!("/cases/{}?msg={msg}", ctx.loaded.case_id)).into_response())
        }
        Err(e @ (AppError::Unauthenticated | AppError::Internal(_) | AppError::Startup(_))) => {
            Err(e.into())
        }
        Err(e) => {
            // A case changed meanwhile is shown as it is now, so the person re-checks and
            // resubmits against the version they have seen.
            let ctx = if matches!(e, AppError::Conflict(_)) {
                load_case(&app, &user, &id).await?
            } else {
                ctx
            };
            let expert_id = values
                .iter()
                .find(|(k, _)| k == "expert")
                .map(|(_, v)| v.clone());
            let expert = expert_id
                .as_deref()
                .and_then(|e| experts.iter().find(|x| x.id == e));
            let status = e.status();
            let body = render(&app, &user, &ctx, spec, &values, &experts, expert, Some(&e));
            Ok((status, body).into_response())
        }
    }
}

async fn experts_for(app: &App, spec: &ActionSpec) -> Result<Vec<ExpertRecord>, AppError> {
    if spec.id == "approve_external_participant" {
        Ok(app.store().experts().await?)
    } else {
        Ok(Vec::new())
    }
}

fn first<'a>(values: &'a [(String, String)], name: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn val<'a>(values: &'a [(String, String)], name: &str) -> &'a str {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

fn has(values: &[(String, String)], name: &str, v: &str) -> bool {
    values.iter().any(|(k, x)| k == name && x == v)
}

/// The `name` beside a person id field (`participant.person_id` → `participant.name`).
fn name_field(field: &str) -> String {
    match field.rsplit_once('.') {
        Some((prefix, _)) => format!("{prefix}.name"),
        None => "name".to_string(),
    }
}

/// The person id an expert takes part under: their account's, or the pool record's id.
fn expert_person_id(e: &ExpertRecord) -> String {
    e.person_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(&e.id)
        .to_string()
}

/// Names come from the directory or the expert pool, never from the browser: each chosen
/// person must be one the form offered.
fn complete(
    app: &App,
    ctx: &CaseCtx,
    spec: &ActionSpec,
    experts: &[ExpertRecord],
    values: &mut Values,
) -> Result<(), AppError> {
    for field in spec.fields {
        match field.kind {
            Kind::Person => {
                let id = first(values, field.name).map(str::to_string);
                let sibling = name_field(field.name);
                values.retain(|(k, _)| *k != sibling);
                if let Some(id) = id {
                    let people = person_options(app, &ctx.loaded.state);
                    let Some((_, name, _)) = people.iter().find(|(p, _, _)| *p == id) else {
                        return Err(AppError::BadRequest(format!("人员“{id}”不在可选人员之列")));
                    };
                    values.push((sibling, name.clone()));
                }
            }
            Kind::Expert => {
                let id = first(values, field.name).map(str::to_string);
                let sibling = name_field(field.name);
                values.retain(|(k, _)| *k != sibling);
                if let Some(id) = id {
                    let Some(e) = experts
                        .iter()
                        .find(|e| e.active && expert_person_id(e) == id)
                    else {
                        return Err(AppError::BadRequest(format!(
                            "“{id}”不是专家库中在册的人员"
                        )));
                    };
                    values.push((sibling, e.name.clone()));
                }
            }
            Kind::PanelMembers => {
                let prefix = format!("{}.", field.name);
                values.retain(|(k, _)| !(k.starts_with(&prefix) && k.ends_with(".name")));
                let candidates = panel_candidates(app, &ctx.loaded.state);
                let ticked: Vec<String> = values
                    .iter()
                    .filter(|(k, v)| k == field.name && !v.trim().is_empty())
                    .map(|(_, v)| v.trim().to_string())
                    .collect();
                for id in ticked {
                    let Some(c) = candidates.iter().find(|c| c.id == id) else {
                        return Err(AppError::BadRequest(format!(
                            "人员“{id}”不是本级可选的审查论证组成员"
                        )));
                    };
                    values.push((format!("{}.{id}.name", field.name), c.name.clone()));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// People who may be recused: the panel, approved participants, and the committee staff of
/// the handling organisation's subtree — less the applicants and those already recused.
/// `(id, name, description)`.
fn person_options(app: &App, s: &CaseState) -> Vec<(String, String, String)> {
    let dir = app.directory();
    let applicants = s.applicant_ids();
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut push = |id: &str, name: &str, what: String| {
        if !applicants.contains(&id) && !s.is_recused(id) && !out.iter().any(|(p, _, _)| p == id) {
            out.push((id.to_string(), name.to_string(), what));
        }
    };
    for m in &s.panel {
        push(
            &m.person_id,
            &m.name,
            format!(
                "审查论证组成员（{}）",
                actions::member_category_zh(m.category)
            ),
        );
    }
    for x in &s.externals {
        push(&x.person_id, &x.name, "特邀审查论证人员".to_string());
    }
    if let Some(committee) = s.committee_org() {
        const ROLES: [&str; 5] = [
            "office",
            "director",
            "deputy_director",
            "committee_member",
            "panel_member",
        ];
        for p in dir.people.values().filter(|p| !p.disabled) {
            let roles: Vec<&str> = dir
                .grants
                .get(&p.id)
                .map(|gs| {
                    gs.iter()
                        .filter(|g| {
                            ROLES.contains(&g.role.as_str())
                                && dir.tree.is_within(&g.org_id, &committee.id)
                        })
                        .map(|g| lvzhi_access::role_zh(&g.role))
                        .collect()
                })
                .unwrap_or_default();
            if !roles.is_empty() {
                push(
                    &p.id,
                    &p.name,
                    format!("{} · {}", dir.org_name(&p.org_id), roles.join("、")),
                );
            }
        }
    }
    out
}

/// A person who could sit on the panel, with what the conflict checks found.
struct Candidate {
    id: String,
    name: String,
    place: String,
    /// The category suggested (the present panel's, or the department's for its staff).
    category: String,
    warnings: Vec<String>,
    /// Why the person cannot sit at all (applicant, recused).
    refused: Option<String>,
}

/// Holders of `panel_member` in the handling organisation's subtree (and in the original
/// decision department's, whose staff 000 §14 lets the office invite), plus the present panel.
fn panel_candidates(app: &App, s: &CaseState) -> Vec<Candidate> {
    let dir = app.directory();
    let Some(committee) = s.committee_org() else {
        return Vec::new();
    };
    let department = s.department_org();
    let unit = s.applying_unit();
    let within = |org: &str, root: &str| dir.tree.is_within(org, root);
    let mut out: Vec<Candidate> = Vec::new();
    let mut ids: Vec<String> = dir
        .people
        .values()
        .filter(|p| !p.disabled)
        .filter(|p| {
            dir.grants.get(&p.id).is_some_and(|gs| {
                gs.iter().any(|g| {
                    g.role == "panel_member"
                        && (within(&g.org_id, &committee.id)
                            || department.is_some_and(|d| within(&g.org_id, &d.id)))
                })
            })
        })
        .map(|p| p.id.clone())
        .collect();
    for m in &s.panel {
        if !ids.contains(&m.person_id) {
            ids.push(m.person_id.clone());
        }
    }
    for id in ids {
        let person = dir.people.get(&id);
        let on_panel = s.panel.iter().find(|m| m.person_id == id);
        let name = person
            .map(|p| p.name.clone())
            .or_else(|| on_panel.map(|m| m.name.clone()))
            .unwrap_or_else(|| id.clone());
        let org = person.map(|p| p.org_id.as_str()).unwrap_or_default();
        let place = match person {
            Some(p) if !p.title.trim().is_empty() => format!("{} · {}", dir.org_name(org), p.title),
            Some(_) => dir.org_name(org),
            None => String::new(),
        };
        let mut warnings = Vec::new();
        let mut category = on_panel
            .map(|m| serde_json::to_value(m.category).ok())
            .and_then(|v| v.and_then(|v| v.as_str().map(str::to_string)))
            .unwrap_or_default();
        if let Some(u) = unit {
            if !org.is_empty() && within(org, &u.id) {
                warnings.push(format!(
                    "属于申请单位（{}），与申请事项可能有利害关系，请核实是否应当回避（000 §19(六)）",
                    u.name
                ));
            }
        }
        if let Some(d) = department {
            if !org.is_empty() && within(org, &d.id) {
                warnings.push(format!(
                    "属于原问责处理决定作出部门（{}），只能作为该部门相关人员视情参加（000 §14）",
                    d.name
                ));
                if category.is_empty() {
                    category = "original_department".to_string();
                }
            }
        }
        let refused = if s.applicant_ids().contains(&id.as_str()) {
            Some("本案申请人，不能参加审查论证组（000 §19(六)）".to_string())
        } else if let Some((_, _, reason)) = s.recused.iter().find(|(p, _, _)| *p == id) {
            Some(format!("已决定回避（{reason}）"))
        } else {
            None
        };
        out.push(Candidate {
            id,
            name,
            place,
            category,
            warnings,
            refused,
        });
    }
    out.sort_by(|a, b| (&a.place, &a.name).cmp(&(&b.place, &b.name)));
    out
}

fn recommendation_zh(r: &Recommendation) -> String {
    let parse = |s: &str| serde_json::Value::String(s.trim().to_string());
    let outcome = serde_json::from_value::<Outcome>(parse(&r.outcome))
        .map(|o| o.zh().to_string())
        .unwrap_or_else(|_| r.outcome.clone());
    let modality = serde_json::from_value::<Modality>(parse(&r.modality))
        .map(|m| m.zh().to_string())
        .unwrap_or_else(|_| r.modality.clone());
    let leniency: Vec<String> = r
        .leniency
        .iter()
        .map(|l| {
            serde_json::from_value::<Leniency>(parse(l))
                .map(|x| x.zh().to_string())
                .unwrap_or_else(|_| l.clone())
        })
        .collect();
    if leniency.is_empty() {
        format!("{modality}{outcome}")
    } else {
        format!("{modality}{outcome}（{}）", leniency.join("、"))
    }
}

/// The live evaluation of the case's facts (000 §14: the recommendation the opinion weighs).
fn live_evaluation(app: &App, s: &CaseState) -> Option<interview::EvaluationView> {
    let facts = s.form.as_ref().map(|f| f.facts.clone()).unwrap_or_default();
    let decision = s
        .form
        .as_ref()
        .and_then(|f| f.accountability_decision.as_ref())
        .map(|d| d.decided_on);
    interview::evaluate(&app.packs(), &facts, None, decision).ok()
}

fn determination_values(prefix: &str, d: &lvzhi_workflow::Determination, out: &mut Values) {
    let mut push = |k: &str, v: String| out.push((format!("{prefix}.{k}"), v));
    push("outcome", d.outcome.id().to_string());
    push("modality", d.modality.id().to_string());
    if let Some(l) = d.leniency {
        push("leniency", l.id().to_string());
    }
    push("basis", d.basis.clone());
    push("articles", d.articles.join("、"));
    if d.original_decision_improper {
        push("original_decision_improper", "on".to_string());
    }
    if let Some(r) = &d.departure_reasons {
        push("departure_reasons", r.clone());
    }
}

/// What the form starts with: the case's own data where the step continues it.
fn prefill(app: &App, ctx: &CaseCtx, spec: &ActionSpec, expert: Option<&ExpertRecord>) -> Values {
    let s = &ctx.loaded.state;
    let mut out: Values = Vec::new();
    match spec.id {
        "draft_opinion" => {
            if let Some(d) = &s.draft {
                determination_values("determination", d, &mut out);
            } else {
                // The recorded recommendation is what a departure is measured against
                // (000 §14); without one, the live evaluation of the facts.
                let rec = s.recommendation.clone().or_else(|| {
                    live_evaluation(app, s).and_then(|v| interview::recommendation(&v))
                });
                if let Some(r) = rec {
                    out.push(("determination.outcome".into(), r.outcome.trim().to_string()));
                    out.push((
                        "determination.modality".into(),
                        r.modality.trim().to_string(),
                    ));
                    if r.outcome.trim() == "tolerance" {
                        if let Some(l) = r.leniency.first() {
                            out.push(("determination.leniency".into(), l.trim().to_string()));
                        }
                    }
                    out.push(("determination.articles".into(), r.citations.join("、")));
                }
            }
        }
        "record_recommendation" => {
            if let Some(r) = live_evaluation(app, s).and_then(|v| interview::recommendation(&v)) {
                out.push(("recommendation.outcome".into(), r.outcome));
                out.push(("recommendation.modality".into(), r.modality));
                for l in r.leniency {
                    out.push(("recommendation.leniency".into(), l));
                }
                out.push(("recommendation.citations".into(), r.citations.join("、")));
                out.push(("recommendation.explanation".into(), r.explanation));
            }
        }
        "revise_determination" => {
            if let Some(d) = &s.determination {
                determination_values("determination", d, &mut out);
            }
        }
        "start_publicity" => {
            if let Some(u) = s.applying_unit() {
                out.push(("place".into(), u.name.clone()));
            }
        }
        "record_receipt" => {
            out.push(("received_on".into(), app.clock().today().to_string()));
        }
        "form_panel" => {
            for m in &s.panel {
                if s.is_recused(&m.person_id) {
                    continue;
                }
                out.push(("members".into(), m.person_id.clone()));
                if let Ok(serde_json::Value::String(c)) = serde_json::to_value(m.category) {
                    out.push((format!("members.{}.category", m.person_id), c));
                }
            }
        }
        "approve_external_participant" => {
            if let Some(e) = expert {
                out.push(("expert".into(), e.id.clone()));
                out.push(("participant.person_id".into(), expert_person_id(e)));
                if actions::external_category_options()
                    .iter()
                    .any(|(id, _)| *id == e.category)
                {
                    out.push(("participant.category".into(), e.category.clone()));
                }
                for (key, _) in actions::ELIGIBILITY {
                    if e.eligibility.get(key).and_then(|v| v.as_bool()) == Some(true) {
                        out.push((format!("participant.eligibility.{key}"), "on".into()));
                    }
                }
            }
        }
        _ => {}
    }
    // A single applicant, or a single open objection, is the obvious choice.
    for field in spec.fields {
        match field.kind {
            Kind::Officer => {
                if let [only] = s.applicant_ids().as_slice() {
                    out.push((field.name.to_string(), only.to_string()));
                }
            }
            Kind::Objection => {
                let open: Vec<usize> = s
                    .publicity
                    .iter()
                    .flat_map(|p| p.objections.iter().enumerate())
                    .filter(|(_, o)| o.resolution.is_none())
                    .map(|(i, _)| i)
                    .collect();
                if let [only] = open.as_slice() {
                    out.push((field.name.to_string(), only.to_string()));
                }
            }
            Kind::Oversight if s.oversight.len() == 1 => {
                out.push((field.name.to_string(), "0".to_string()));
            }
            _ => {}
        }
    }
    out
}

/// What the field renderers need from the case.
struct FieldCtx<'a> {
    app: &'a App,
    state: &'a CaseState,
    expert: Option<&'a ExpertRecord>,
    /// Fields inside an optional group carry no `required` attribute (the group may be empty).
    optional_groups: &'a [&'static str],
}

fn required_mark(field: &Field) -> Markup {
    html! { @if field.required { " " span.req title="必填" { "*" } } }
}

fn help(field: &Field) -> Markup {
    html! { @if !field.help.is_empty() { small.help { (field.help) } } }
}

fn select_options(options: &[(String, String)], current: &str, placeholder: &str) -> Markup {
    html! {
        option value="" selected[current.is_empty()] { (placeholder) }
        @for (id, label) in options {
            option value=(id) selected[current == id] { (label) }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn field_html(field: &Field, values: &[(String, String)], fc: &FieldCtx) -> Markup {
    let id = format!("f-{}", field.name.replace('.', "-"));
    let name = field.name;
    let v = val(values, name);
    let in_group = fc
        .optional_groups
        .iter()
        .any(|g| name.starts_with(&format!("{g}.")));
    let req = field.required && !in_group;
    let s = fc.state;
    match field.kind {
        Kind::Derived | Kind::Facts => html! {},
        Kind::Text | Kind::List => html! {
            div.field {
                label for=(id) { (field.label) (required_mark(field)) }
                input id=(id) type="text" name=(name) value=(v) required[req] maxlength="2000";
                (help(field))
            }
        },
        Kind::Textarea => html! {
            div.field {
                label for=(id) { (field.label) (required_mark(field)) }
                textarea id=(id) name=(name) required[req] rows="4" { (v) }
                (help(field))
            }
        },
        Kind::Date => html! {
            div.field {
                label for=(id) { (field.label) (required_mark(field)) }
                input id=(id) type="date" name=(name) value=(v) required[req];
                (help(field))
            }
        },
        Kind::Number => html! {
            div.field {
                label for=(id) { (field.label) (required_mark(field)) }
                input id=(id) type="number" min="0" step="1" name=(name) value=(v) required[req];
                (help(field))
            }
        },
        Kind::Check => html! {
            div.field {
                label.check {
                    input type="checkbox" name=(name) value="on" checked[!v.trim().is_empty()];
                    span { (field.label) }
                }
                (help(field))
            }
        },
        Kind::YesNo(yes, no) => html! {
            fieldset.choice {
                legend { (field.label) (required_mark(field)) }
                label.check { input type="radio" name=(name) value="true" checked[v == "true"] required[req]; span { (yes) } }
                label.check { input type="radio" name=(name) value="false" checked[v == "false"]; span { (no) } }
                (help(field))
            }
        },
        Kind::Select(options) => html! {
            div.field {
                label for=(id) { (field.label) (required_mark(field)) }
                select id=(id) name=(name) required[req] {
                    (select_options(&options(), v, if field.required { "请选择" } else { "（不适用）" }))
                }
                (help(field))
            }
        },
        Kind::Multi(options) => html! {
            fieldset.choice {
                legend { (field.label) (required_mark(field)) }
                @for (oid, label) in options() {
                    label.check {
                        input type="checkbox" name=(name) value=(oid) checked[has(values, name, &oid)];
                        span { (label) }
                    }
                }
                (help(field))
            }
        },
        Kind::Officer => {
            let options: Vec<(String, String)> = s
                .form
                .iter()
                .flat_map(|f| f.applicants.iter())
                .map(|o| (o.person_id.clone(), o.name.clone()))
                .collect();
            html! {
                div.field {
                    label for=(id) { (field.label) (required_mark(field)) }
                    select id=(id) name=(name) required[req] { (select_options(&options, v, "请选择民警")) }
                    (help(field))
                }
            }
        }
        Kind::Objection => {
            let options: Vec<(String, String)> = s
                .publicity
                .iter()
                .flat_map(|p| p.objections.iter().enumerate())
                .filter(|(_, o)| o.resolution.is_none())
                .map(|(i, o)| {
                    (
                        i.to_string(),
                        format!("第{}件：{}", i + 1, truncate(&o.summary, 40)),
                    )
                })
                .collect();
            html! {
                div.field {
                    label for=(id) { (field.label) (required_mark(field)) }
                    select id=(id) name=(name) required[req] { (select_options(&options, v, "请选择待核实的反映")) }
                    (help(field))
                }
            }
        }
        Kind::Oversight => {
            let options: Vec<(String, String)> = s
                .oversight
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    (
                        i.to_string(),
                        format!(
                            "第{}项：{}（{}，{}）",
                            i + 1,
                            o.body_name,
                            o.body.zh(),
                            date_zh(o.recorded_on)
                        ),
                    )
                })
                .collect();
            html! {
                div.field {
                    label for=(id) { (field.label) (required_mark(field)) }
                    select id=(id) name=(name) required[req] { (select_options(&options, v, "请选择介入记录")) }
                    (help(field))
                }
            }
        }
        Kind::Person => {
            let options: Vec<(String, String)> = person_options(fc.app, s)
                .into_iter()
                .map(|(pid, n, what)| (pid, format!("{n}（{what}）")))
                .collect();
            html! {
                div.field {
                    label for=(id) { (field.label) (required_mark(field)) }
                    select id=(id) name=(name) required[req] { (select_options(&options, v, "请选择人员")) }
                    (help(field))
                }
            }
        }
        Kind::Expert => match fc.expert {
            Some(e) => html! {
                input type="hidden" name="expert" value=(e.id);
                input type="hidden" name=(name) value=(expert_person_id(e));
                div.field {
                    span.label { (field.label) }
                    p.chosen { strong { (e.name) } " · " (e.affiliation) }
                }
            },
            None => html! { p.empty { "请先在上方专家库中选择拟邀请的人员。" } },
        },
        Kind::PanelMembers => panel_table(field, values, fc),
    }
}

fn panel_table(field: &Field, values: &[(String, String)], fc: &FieldCtx) -> Markup {
    let candidates = panel_candidates(fc.app, fc.state);
    let categories = actions::member_category_options();
    html! {
        fieldset.panel {
            legend { (field.label) (required_mark(field)) }
            (help(field))
            @if candidates.is_empty() {
                p.empty { "本级及下级单位尚无具有“审查论证组成员”角色的人员，请先由系统管理员在人员名册中授予。" }
            } @else {
                table.list.candidates {
                    thead { tr { th { "选择" } th { "姓名" } th { "单位 · 职务" } th { "成员类别" } th { "回避审查（000 §19(六)）" } } }
                    tbody {
                        @for c in &candidates {
                            @let cid = format!("m-{}", c.id);
                            @let cat_name = format!("{}.{}.category", field.name, c.id);
                            @let chosen = val(values, &cat_name);
                            @let current = if chosen.is_empty() { c.category.as_str() } else { chosen };
                            tr class=[c.refused.as_ref().map(|_| "refused")] {
                                td { input id=(cid) type="checkbox" name=(field.name) value=(c.id) checked[has(values, field.name, &c.id)] disabled[c.refused.is_some()]; }
                                td { label for=(cid) { (c.name) } }
                                td { (c.place) }
                                td {
                                    select name=(cat_name) disabled[c.refused.is_some()] aria-label={ (c.name) "的成员类别" } {
                                        (select_options(&categories, current, "请选择"))
                                    }
                                }
                                td {
                                    @if let Some(r) = &c.refused { span.bad-text { "不能参加：" (r) } }
                                    @for w in &c.warnings { div.warn-text { "注意：" (w) } }
                                    @if c.refused.is_none() && c.warnings.is_empty() { span.ok-text { "未发现应当回避的情形" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The case in brief, beside every form.
fn case_summary(app: &App, ctx: &CaseCtx) -> Markup {
    let s = &ctx.loaded.state;
    let dir = app.directory();
    html! {
        section.card {
            h2 { "案件概况" }
            dl.grid {
                dt { "案件编号" } dd { span.case-id { (ctx.loaded.case_id) } }
                dt { "当前阶段" } dd { (s.stage.zh()) }
                @if let Some(f) = &s.form {
                    dt { "申请民警" }
                    dd { @for (i, o) in f.applicants.iter().enumerate() { @if i > 0 { "、" } (o.name) } }
                    dt { "申请单位" } dd { (f.applying_unit.name) }
                    dt { "受理的维权委" } dd { (f.committee.name) }
                    dt { "申请事项" } dd { (multiline(&truncate(&f.matter, 300))) }
                    @if let Some(d) = &f.accountability_decision {
                        dt { "原问责处理" }
                        dd { (d.department.name) "：" (d.sanction.zh()) "（现行：" (lvzhi_workflow::sanction_zh(s.current_sanction)) "）" }
                    }
                }
                @if let Some(d) = &s.determination {
                    dt { "现行认定" } dd { (d.summary_zh()) }
                }
                @if !s.panel.is_empty() {
                    dt { "审查论证组" }
                    dd {
                        @for (i, m) in s.panel.iter().enumerate() {
                            @if i > 0 { "、" }
                            (m.name) "（" (actions::member_category_zh(m.category)) "）"
                            @if s.is_recused(&m.person_id) { "〔已回避〕" }
                        }
                    }
                }
                @if !s.recused.is_empty() {
                    dt { "已回避人员" }
                    dd { @for (i, (p, name, _)) in s.recused.iter().enumerate() { @if i > 0 { "、" } (name) " (" (dir.person_name(p)) ")" } }
                }
            }
        }
    }
}

fn determination_block(d: &lvzhi_workflow::Determination) -> Markup {
    html! {
        p.conclusion { (d.summary_zh()) }
        p { (multiline(&d.basis)) }
        @if !d.articles.is_empty() { p { "依据：" (d.articles.join("、")) } }
    }
}

/// Context shown above the fields of particular steps.
fn context_before(
    ctx: &CaseCtx,
    spec: &ActionSpec,
    experts: &[ExpertRecord],
    expert: Option<&ExpertRecord>,
) -> Markup {
    let s = &ctx.loaded.state;
    let id = &ctx.loaded.case_id;
    match spec.id {
        "approve_external_participant" => {
            let applicants = s.applicant_ids();
            html! {
                section.card {
                    h2 { "审查论证专家库" }
                    @if let Some(g) = &s.major_grounds { p { "本案已认定为重大复杂事项：" (g) } }
                    @if experts.iter().all(|e| !e.active) {
                        p.empty { "专家库中尚无在册人员，请先由系统管理员录入。" }
                    } @else {
                        table.list {
                            thead { tr { th { "姓名" } th { "类别（000 §18）" } th { "工作单位" } th { "已确认的条件（000 §19）" } th { "情况" } th {} } }
                            tbody {
                                @for e in experts.iter().filter(|e| e.active) {
                                    @let pid = expert_person_id(e);
                                    @let met = actions::ELIGIBILITY.iter().filter(|(k, _)| e.eligibility.get(*k).and_then(|v| v.as_bool()) == Some(true)).count();
                                    @let category = actions::external_category_label(&e.category);
                                    @let approved = s.externals.iter().any(|x| x.person_id == pid);
                                    @let conflict = if applicants.contains(&pid.as_str()) { Some("本案申请人，应当回避") } else if s.is_recused(&pid) { Some("已决定回避") } else { None };
                                    tr class=[expert.filter(|x| x.id == e.id).map(|_| "chosen")] {
                                        td { (e.name) }
                                        td { (category) }
                                        td { (e.affiliation) }
                                        td { (met) " / 7" }
                                        td {
                                            @if approved { span.ok-text { "已获批准参与本案" } }
                                            @else if let Some(c) = conflict { span.bad-text { (c) } }
                                            @else if !e.note.trim().is_empty() { (e.note) }
                                        }
                                        td {
                                            @if !approved && conflict.is_none() {
                                                a href={ "/cases/" (id) "/act/approve_external_participant?expert=" (e.id) } { "选择" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        "record_objection" | "resolve_objection" => match &s.publicity {
            Some(p) => html! {
                section.card {
                    h2 { "公示情况（000 §23）" }
                    dl.grid {
                        dt { "公示地点" } dd { (p.place) }
                        dt { "公示期间" } dd { (date_zh(p.started_on)) " 至 " (date_zh(p.ends_on)) }
                    }
                    @if p.objections.is_empty() {
                        p.empty { "公示期间尚未收到反映。" }
                    } @else {
                        table.list {
                            thead { tr { th { "序号" } th { "记录日期" } th { "反映的内容" } th { "甄别核实" } } }
                            tbody {
                                @for (i, o) in p.objections.iter().enumerate() {
                                    tr {
                                        td { "第" (i + 1) "件" }
                                        td { (date_zh(o.recorded_on)) }
                                        td { (multiline(&o.summary)) }
                                        td {
                                            @match &o.resolution {
                                                None => { span.warn-text { "待核实" } }
                                                Some((true, f)) => { span.bad-text { "属实" } "：" (f) }
                                                Some((false, f)) => { span.ok-text { "不属实" } "：" (f) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
            None => html! {},
        },
        "answer_recommendation" => {
            let sent = ctx.loaded.events.iter().rev().find_map(|e| match &e.kind {
                EventKind::RecommendationSent {
                    proposal, document, ..
                } => Some((proposal, document)),
                _ => None,
            });
            match sent {
                Some((proposal, doc)) => html! {
                    section.card {
                        h2 { "维权委的建议：" (proposal.zh()) }
                        article.document {
                            h1 { (doc.title) }
                            // The text of record already opens with the addressee and is
                            // indented as issued.
                            @if !doc.text.trim_start().starts_with(doc.addressee.as_str()) {
                                p.addressee { (doc.addressee) "：" }
                            }
                            div.doc-text { (multiline(&doc.text)) }
                            @if !doc.copy_to.is_empty() { p.copy { "抄送：" (doc.copy_to.join("、")) } }
                        }
                        p.hint { "审查论证意见应当作为公安机关内部责任认定的重要依据；对撤销或者变更原决定的建议，无正当理由的，应当采纳（000 §27）。" }
                    }
                },
                None => html! {},
            }
        }
        "reply_reconsideration" | "reply_re_review" => {
            let kind = if spec.id == "reply_reconsideration" {
                AppealKind::Reconsideration
            } else {
                AppealKind::ReReview
            };
            html! {
                @if let Some(a) = s.last_appeal(kind) {
                    section.card {
                        h2 { (kind.zh()) "申请" }
                        dl.grid {
                            dt { "申请日期" } dd { (date_zh(a.filed_on)) }
                            dt { "事由" } dd { (multiline(&a.grounds)) }
                            @if let Some(n) = &a.new_evidence { dt { "新的证据" } dd { (multiline(n)) } }
                        }
                    }
                }
                @if let Some(d) = &s.determination {
                    section.card { h2 { "现行认定意见" } (determination_block(d)) }
                }
            }
        }
        "revise_determination"
        | "send_recommendation"
        | "start_publicity"
        | "decide_compensation"
        | "apply_protections"
        | "record_counselling"
        | "set_rectification" => html! {
            @if let Some(d) = &s.determination {
                section.card { h2 { "现行认定意见" } (determination_block(d)) }
            }
        },
        "approve_opinion" | "issue_opinion" => html! {
            @if let Some(d) = &s.draft {
                section.card { h2 { "审查论证意见草稿" } (determination_block(d))
                    @if let Some(r) = &d.departure_reasons { p { "未采纳系统建议的理由：" (r) } }
                }
            }
        },
        _ => html! {},
    }
}

/// The side column: the live recommendation where a determination is written, else the case.
fn side(app: &App, ctx: &CaseCtx, spec: &ActionSpec) -> Markup {
    let s = &ctx.loaded.state;
    let writes_determination = spec
        .fields
        .iter()
        .any(|f| f.name.ends_with(".outcome") && !f.name.starts_with("recommendation."));
    html! {
        @if writes_determination || spec.id == "record_recommendation" {
            @if let Some(r) = &s.recommendation {
                section.card {
                    h2 { "已记录的系统建议结论" }
                    p.conclusion { (recommendation_zh(r)) }
                    @if !r.citations.is_empty() { p { "引用：" (r.citations.join("、")) } }
                    p.hint { "认定结论与此不一致的，应当说明不采纳建议的理由（000 §14）。" }
                }
            }
            @if let Some(v) = live_evaluation(app, s) {
                (recommendation_panel(&v))
            }
        }
        (case_summary(app, ctx))
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    spec: &ActionSpec,
    values: &[(String, String)],
    experts: &[ExpertRecord],
    expert: Option<&ExpertRecord>,
    error: Option<&AppError>,
) -> Response {
    let s = &ctx.loaded.state;
    let id = &ctx.loaded.case_id;
    let fc = FieldCtx {
        app,
        state: s,
        expert,
        optional_groups: spec.optional_groups,
    };
    let needs_expert = spec.id == "approve_external_participant" && expert.is_none();
    let group_fields: Vec<&Field> = spec
        .fields
        .iter()
        .filter(|f| {
            spec.optional_groups
                .iter()
                .any(|g| f.name.starts_with(&format!("{g}.")))
        })
        .collect();
    let body = html! {
        p.noprint { a href={ "/cases/" (id) } { "← 返回案件 " (id) } }
        div.case-head {
            h1 { (spec.title) }
            p { span.case-id { (id) } " · " (truncate(&s.title(), 60)) " · " (s.stage.zh()) " · 依据 " (spec.article) }
        }
        @if let Some(e) = error {
            div.notice.error role="alert" { p { strong { "未能办理：" } (e.to_string()) } }
        }
        div.columns {
            div.main-col {
                (context_before(ctx, spec, experts, expert))
                section.card.act-form {
                    h2 { (spec.title) " " small { "（" (spec.article) "）" } }
                    p.intro { (spec.intro) }
                    @if needs_expert {
                        p.empty { "请先在上方专家库中选择拟邀请的人员，再确认其参与条件。" }
                    } @else {
                        form method="post" action={ "/cases/" (id) "/act/" (spec.id) } {
                            (csrf_field(user))
                            input type="hidden" name="expected_version" value=(ctx.version);
                            @for field in spec.fields.iter().filter(|f| !group_fields.iter().any(|g| g.name == f.name)) {
                                (field_html(field, values, &fc))
                            }
                            @if !group_fields.is_empty() {
                                fieldset.group {
                                    legend { "变更后的认定" }
                                    p.hint { "维持原意见的，本栏不填；变更原意见的，填写变更后的认定，带 * 的各项必填（000 §21）。" }
                                    @for field in &group_fields { (field_html(field, values, &fc)) }
                                }
                            }
                            @if spec.fields.is_empty() {
                                p { "确认后将记录本步骤" @if matches!(spec.id, "accept" | "issue_opinion") { "，并生成相应的书面文书" } "。" }
                            }
                            div.buttons {
                                button.primary type="submit" { "确认" (spec.title) }
                                a.button href={ "/cases/" (id) } { "取消" }
                            }
                        }
                    }
                }
            }
            aside.side-col { (side(app, ctx, spec)) }
        }
    };
    page(
        app,
        user,
        &format!("{} — 案件 {id}", spec.title),
        "cases",
        body,
    )
}
