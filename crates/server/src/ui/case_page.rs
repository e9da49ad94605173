//! The case page: parties, the original decision, open deadlines, the facts interview with the
//! live recommended determination and its cited articles, the actions my roles may take now,
//! documents and the timeline. Also the helpers every case route shares (loading with the
//! access check, the workflow actors of a user, running a command).

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lvzhi_access::CaseParties;
use lvzhi_calendar::date_zh;
use lvzhi_service::Loaded;
use lvzhi_workflow::{available_actions, Actor, Command, Event, Role, State as CaseState};
use maud::{html, Markup};
use serde::Deserialize;

use super::{csrf_field, days_left, flash, multiline, page, PageResult, PageUser};
use crate::access;
use crate::app::App;
use crate::auth::{CsrfForm, User};
use crate::error::AppError;
use crate::interview::{self, EvaluationView};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/interview", post(interview_submit))
        .route("/cases/{id}/interview/live", post(interview_live))
}

/// A case loaded for a user who may see it.
pub struct CaseCtx {
    pub loaded: Loaded,
    pub parties: CaseParties,
    pub version: i64,
}

/// Loads a case; 404 when it does not exist, 403 when the user may not see it. The refusal is
/// the same whether or not the user could have guessed the id.
pub async fn load_case(app: &App, user: &User, case_id: &str) -> Result<CaseCtx, AppError> {
    match load_any(app, user, case_id).await? {
        AnyCaseCtx::Application(ctx) => Ok(*ctx),
        // A case of another process has its own pages and API (`crate::processes`): the scope
        // was checked first, so the answer says nothing to whoever may not see the case.
        AnyCaseCtx::Process(p) => Err(AppError::NotFound(format!(
            "案件 {case_id} 是{}，没有免责容错申请的这项内容",
            p.loaded.process.name_zh()
        ))),
    }
}

/// A case of any process, loaded for a user who may view it.
pub enum AnyCaseCtx {
    // Boxed: both are large, and of quite different sizes.
    Application(Box<CaseCtx>),
    Process(Box<crate::processes::ProcessCtx>),
}

/// Loads a case of whichever process (its kind read once); 404 when it does not exist or the
/// user may not see it (the same answer).
pub async fn load_any(app: &App, user: &User, case_id: &str) -> Result<AnyCaseCtx, AppError> {
    if crate::processes::process_kind(app, case_id)
        .await?
        .is_some()
    {
        let p = crate::processes::load(app, user, case_id).await?;
        return Ok(AnyCaseCtx::Process(Box::new(p)));
    }
    let loaded = app.service().load(case_id).await?;
    let parties = access::parties(case_id, &loaded.state);
    access::require_view(app, user, case_id, &parties)?;
    let version = loaded.stored.len() as i64;
    Ok(AnyCaseCtx::Application(Box::new(CaseCtx {
        loaded,
        parties,
        version,
    })))
}

/// The user as workflow actors: one per organisation where they hold roles (the workflow
/// checks the organisation of each step against the case).
pub fn actors(user: &User) -> Vec<Actor> {
    let mut by_org: BTreeMap<String, Vec<Role>> = BTreeMap::new();
    for g in &user.subject.grants {
        if let Ok(r) = serde_json::from_value::<Role>(serde_json::Value::String(g.role.clone())) {
            by_org.entry(g.org_id.clone()).or_default().push(r);
        }
    }
    by_org
        .into_iter()
        .map(|(org, roles)| Actor {
            person_id: user.person.id.clone(),
            roles,
            org_id: org,
        })
        .collect()
}

/// The actions this user may take on the case today: allowed by the access policies and
/// accepted by the workflow in the case's present stage.
pub fn available(app: &App, user: &User, ctx: &CaseCtx) -> Vec<&'static str> {
    let service = app.service();
    let today = app.clock().today();
    let periods = match crate::packs::procedure_periods(&app.packs()) {
        Ok(p) => p,
        Err(_) => return Vec::new(),
    };
    let mut out: Vec<&'static str> = Vec::new();
    for actor in actors(user) {
        for a in available_actions(
            &ctx.loaded.state,
            &actor,
            today,
            service.calendar(),
            &periods,
        ) {
            if !out.contains(&a) && access::may(app, user, a, &ctx.parties) {
                out.push(a);
            }
        }
    }
    // In procedure order.
    out.sort_by_key(|a| {
        lvzhi_workflow::ACTIONS
            .iter()
            .position(|(id, _)| id == a)
            .unwrap_or(usize::MAX)
    });
    out
}

/// Runs a command on the case as this user: the access policies first, then the workflow with
/// whichever of the user's organisations the step belongs to. `expected_version` is the version
/// the user saw (a case changed meanwhile is refused, not silently acted on).
pub async fn run_command(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    command: &Command,
    expected_version: Option<i64>,
) -> Result<(i64, Vec<Event>), AppError> {
    let action = command.action_id();
    access::require(app, user, action, &ctx.parties)?;
    let service = app.service();
    let now = app.clock().now();
    let today = app.clock().today();
    let mut last: Option<AppError> = None;
    for actor in actors(user) {
        match service
            .act(
                &ctx.loaded.case_id,
                expected_version,
                &actor,
                command,
                today,
                now,
            )
            .await
        {
            Ok(r) => return Ok(r),
            Err(e) => {
                let e: AppError = e.into();
                let forbidden = matches!(e, AppError::Forbidden(_));
                last = Some(e);
                if !forbidden {
                    break;
                }
            }
        }
    }
    Err(last.unwrap_or_else(AppError::forbidden_case))
}

#[derive(Deserialize)]
struct Msg {
    msg: Option<String>,
}

fn label(action: &str) -> &'static str {
    lvzhi_workflow::ACTIONS
        .iter()
        .find(|(id, _)| *id == action)
        .map(|(_, zh)| *zh)
        .unwrap_or("办理")
}

fn parties_section(s: &CaseState) -> Markup {
    let Some(form) = &s.form else {
        return html! {};
    };
    html! {
        section.card {
            h2 { "当事人与受理机关" }
            dl.grid {
                dt { "申请民警" }
                dd { @for (i, o) in form.applicants.iter().enumerate() { @if i > 0 { "、" } (o.name) } }
                dt { "申请单位" } dd { (form.applying_unit.name) }
                dt { "受理的维权委" } dd { (form.committee.name) }
                @if let Some(p) = &form.parent_committee { dt { "上一级维权委" } dd { (p.name) } }
                dt { "申请事项" } dd { (multiline(&form.matter)) }
                @if let Some(st) = &form.statement { dt { "事实与理由" } dd { (multiline(st)) } }
                @if !s.panel.is_empty() {
                    dt { "审查论证组" }
                    dd { @for (i, m) in s.panel.iter().enumerate() { @if i > 0 { "、" } (m.name) } }
                }
                @if !s.externals.is_empty() {
                    dt { "特邀人员" }
                    dd { @for (i, m) in s.externals.iter().enumerate() { @if i > 0 { "、" } (m.name) } }
                }
                @if !s.recused.is_empty() {
                    dt { "已回避人员" }
                    dd { @for (i, (_, name, reason)) in s.recused.iter().enumerate() { @if i > 0 { "；" } (name) "（" (reason) "）" } }
                }
            }
        }
        @if let Some(d) = &form.accountability_decision {
            section.card {
                h2 { "原问责处理决定（关联记录，不因本申请停止执行，000 §22）" }
                dl.grid {
                    dt { "作出部门" } dd { (d.department.name) }
                    dt { "处理" } dd { (d.sanction.zh()) }
                    dt { "决定日期" } dd { (date_zh(d.decided_on)) }
                    @if let Some(n) = &d.document_number { dt { "文号" } dd { (n) } }
                    dt { "现行处理" } dd { (lvzhi_workflow::sanction_zh(s.current_sanction)) }
                }
            }
        }
    }
}

/// The recommendation panel (also returned alone to the live interview script).
pub fn recommendation_panel(v: &EvaluationView) -> Markup {
    let class = match v.outcome.as_str() {
        "exemption" | "tolerance" => "rec good",
        "exclusion" | "aggravation" => "rec bad",
        "undetermined" => "rec open",
        _ => "rec",
    };
    html! {
        div id="recommendation" class=(class) aria-live="polite" {
            h3 { "系统建议结论" }
            p.conclusion { (v.summary_zh) }
            @if !v.questions.is_empty() {
                p { "仍需查明（按对结论的影响排序）：" }
                ol.questions { @for q in &v.questions { li { (q.question) " " small { "(" (q.fact) ")" } } } }
            }
            @if !v.notes.is_empty() {
                ul.notes { @for n in &v.notes { li { (n) } } }
            }
            @if !v.articles.is_empty() {
                h4 { "引用条款" }
                dl.articles {
                    @for a in &v.articles {
                        dt { (a.citation) }
                        dd { (a.text) }
                    }
                }
            }
            @if !v.defeated.is_empty() {
                h4 { "被排除适用的规则" }
                ul { @for d in &v.defeated { li { (d.rule) "：" (d.reason) } } }
            }
            p.hint { "系统建议仅供参考，认定意见由维权委依法作出并载明理由。" }
        }
    }
}

fn fact_control(
    f: &interview::FactView,
    value: Option<&serde_json::Value>,
    editable: bool,
) -> Markup {
    let name = format!("fact.{}", f.id);
    let current: String = match value {
        Some(serde_json::Value::Bool(true)) => "true".into(),
        Some(serde_json::Value::Bool(false)) => "false".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    html! {
        div.fact {
            label for=(name) { (f.question) " " small { (f.articles.join("、")) } }
            @match f.ty.as_str() {
                "bool" => {
                    select id=(name) name=(name) disabled[!editable] {
                        option value="" selected[current.is_empty()] { "尚不清楚" }
                        option value="true" selected[current == "true"] { "是" }
                        option value="false" selected[current == "false"] { "否" }
                    }
                }
                "choice" => {
                    select id=(name) name=(name) disabled[!editable] {
                        option value="" selected[current.is_empty()] { "尚不清楚" }
                        @for c in &f.choices { option value=(c.id) selected[current == c.id] { (c.label) } }
                    }
                }
                "date" => { input id=(name) type="date" name=(name) value=(current) disabled[!editable]; }
                _ => { input id=(name) type="number" step="any" name=(name) value=(current) disabled[!editable]; }
            }
        }
    }
}

fn conduct_decision(s: &CaseState) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
    let decision = s
        .form
        .as_ref()
        .and_then(|f| f.accountability_decision.as_ref())
        .map(|d| d.decided_on);
    (None, decision)
}

async fn render(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    facts: &BTreeMap<String, serde_json::Value>,
    msg: Option<&str>,
) -> Result<Response, AppError> {
    let s = &ctx.loaded.state;
    let service = app.service();
    let view = service
        .view(&ctx.loaded.case_id, app.clock().today())
        .await?;
    let packs = app.packs();
    let questions = interview::facts(&packs)?;
    let (conduct, decision) = conduct_decision(s);
    let evaluation = interview::evaluate(&packs, facts, conduct, decision)?;
    let actions = available(app, user, ctx);
    let can_edit_facts = actions.contains(&"update_facts");
    let id = &ctx.loaded.case_id;
    let body = html! {
        (flash(msg))
        div.case-head {
            h1 { (view.title) }
            p { span.case-id { (id) } " · " span.stage { (view.stage_zh) } " · 版本 " (view.version) }
            p.noprint { a.pdf href={ "/cases/" (id) "/application-form.pdf" } { "下载免责容错申请表（PDF，供签字盖章）" } }
        }
        div.columns {
            div.main-col {
                section.card.actions {
                    h2 { "可办理事项" }
                    @if actions.is_empty() {
                        p.empty { "当前没有您可以办理的事项。" }
                    } @else {
                        ul.action-list {
                            @for a in &actions {
                                @if *a != "update_facts" {
                                    li { a.button href={ "/cases/" (id) "/act/" (a) } { (label(a)) } }
                                }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "期限" }
                    @if view.deadlines.is_empty() { p.empty { "没有未届满的期限。" } }
                    @else {
                        table.list {
                            thead { tr { th { "事项" } th { "届满日" } th { "剩余" } th { "依据" } } }
                            tbody {
                                @for d in &view.deadlines {
                                    tr class=@if d.overdue { "overdue" } {
                                        td { (d.deadline.label) }
                                        td { (date_zh(d.deadline.due)) @if d.deadline.provisional { " " span.badge.provisional { "暂定" } } }
                                        td { (days_left(d.overdue, d.working_days_left)) }
                                        td { (d.deadline.article) }
                                    }
                                }
                            }
                        }
                    }
                }
                (parties_section(s))
                @if let Some(d) = &s.determination {
                    section.card {
                        h2 { "认定意见" }
                        p.conclusion { (d.summary_zh()) }
                        p { (multiline(&d.basis)) }
                        @if !d.articles.is_empty() { p { "依据：" (d.articles.join("、")) } }
                        @if let Some(r) = &d.departure_reasons { p { "未采纳系统建议的理由：" (r) } }
                    }
                }
                section.card {
                    h2 { "事实问询" }
                    form id="interview" method="post" action={ "/cases/" (id) "/interview" } data-live={ "/cases/" (id) "/interview/live" } {
                        (csrf_field(user))
                        input type="hidden" name="expected_version" value=(ctx.version);
                        div.facts {
                            @for f in &questions { (fact_control(f, facts.get(&f.id), can_edit_facts)) }
                        }
                        div.buttons {
                            button type="submit" name="op" value="evaluate" { "重新评估" }
                            @if can_edit_facts {
                                button.primary type="submit" name="op" value="save" { "保存事实并记录建议" }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "文书" }
                    (super::documents::CaseDocuments::of_application(ctx).list(false))
                    (super::evidence::section(user, ctx, actions.contains(&"add_evidence")))
                }
                section.card {
                    h2 { "时间线（审计链）" }
                    ol.timeline {
                        @for t in &view.timeline {
                            li {
                                span.desc { (t.description) }
                                br;
                                small.hash title="本事件的 SM3 链哈希" { "#" (t.seq) " · " (t.hash.get(..16).unwrap_or(&t.hash)) "…" }
                            }
                        }
                    }
                }
            }
            aside.side-col {
                (recommendation_panel(&evaluation))
            }
        }
    };
    Ok(page(app, user, &format!("案件 {id}"), "cases", body))
}

async fn case_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Query(q): Query<Msg>,
) -> PageResult {
    if crate::processes::process_kind(&app, &id).await?.is_some() {
        return super::process::case_page(&app, &user, &id, q.msg.as_deref()).await;
    }
    let ctx = load_case(&app, &user, &id).await?;
    let facts = ctx
        .loaded
        .state
        .form
        .as_ref()
        .map(|f| f.facts.clone())
        .unwrap_or_default();
    Ok(render(&app, &user, &ctx, &facts, q.msg.as_deref()).await?)
}

async fn interview_submit(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: CsrfForm,
) -> PageResult {
    let ctx = load_case(&app, &user, &id).await?;
    let packs = app.packs();
    let facts = interview::facts_from_form(&packs, &form.0)?;
    if form.get("op") != Some("save") {
        return Ok(render(&app, &user, &ctx, &facts, None).await?);
    }
    let expected = form
        .get("expected_version")
        .and_then(|v| v.parse::<i64>().ok());
    let (version, _) = run_command(
        &app,
        &user,
        &ctx,
        &Command::UpdateFacts {
            facts: facts.clone(),
        },
        expected,
    )
    .await?;
    // The office records the engine's recommendation with the facts it rests on (000 §14).
    let (conduct, decision) = conduct_decision(&ctx.loaded.state);
    let evaluation = interview::evaluate(&packs, &facts, conduct, decision)?;
    if let Some(r) = interview::recommendation(&evaluation) {
        let ctx = load_case(&app, &user, &id).await?;
        let cmd = Command::RecordRecommendation { recommendation: r };
        if available(&app, &user, &ctx).contains(&"record_recommendation") {
            run_command(&app, &user, &ctx, &cmd, Some(version)).await?;
        }
    }
    Ok(Redirect::to(&format!("/cases/{id}?msg=recorded")).into_response())
}

async fn interview_live(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    form: CsrfForm,
) -> PageResult {
    let ctx = load_case(&app, &user, &id).await?;
    let packs = app.packs();
    let facts = interview::facts_from_form(&packs, &form.0)?;
    let (conduct, decision) = conduct_decision(&ctx.loaded.state);
    let evaluation = interview::evaluate(&packs, &facts, conduct, decision)?;
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        recommendation_panel(&evaluation),
    )
        .into_response())
}
