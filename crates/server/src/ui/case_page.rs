//! The case page, one for every process: where the case stands, the actions the user may take
//! now, open deadlines, its facts, its notices and the timeline of the SM3 chain — the case
//! layer's [`CaseDetail`] rendered. An application's page adds what only an application has
//! (`ui::application`): the facts interview with the live recommended determination and its
//! cited articles (re-evaluated by `assets/app.js` on every change — progressive, the page works
//! without it), the evidence, the 申请表 download. Identifiers and digests are shown only in the
//! collapsed 技术信息.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lvzhi_calendar::date_zh;
use lvzhi_processes::incident::IncidentState;
use lvzhi_processes::{ActionSpec, Actor, FieldKind};
use lvzhi_rules::citation_words;
use maud::{html, Markup};
use serde::Deserialize;

use super::{application, days_left, flash, multiline, page, PageResult, PageUser};
use crate::app::App;
use crate::auth::{PageForm, User};
use crate::cases::view::{self, CaseDetail};
use crate::cases::{self, CaseCtx};
use crate::error::AppError;
use crate::interview;
use crate::notices::CaseDocuments;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/cases/{id}", get(case_page))
        .route(
            "/cases/{id}/interview",
            post(interview_submit).get(interview_get),
        )
        .route("/cases/{id}/interview/live", post(interview_live))
}

#[derive(Deserialize)]
struct Msg {
    msg: Option<String>,
}

/// The form name of the 事实问询's drafts (issue 22 item 2).
const INTERVIEW_DRAFT: &str = "interview";

/// Answers being worked on that are not the case's record: those just posted (`Entered`), or
/// the user's draft kept from an earlier visit (`Draft`, with when it was last changed).
enum Unrecorded {
    Entered(BTreeMap<String, serde_json::Value>),
    Draft(
        BTreeMap<String, serde_json::Value>,
        chrono::DateTime<chrono::Utc>,
    ),
}

impl Unrecorded {
    fn facts(&self) -> &BTreeMap<String, serde_json::Value> {
        match self {
            Unrecorded::Entered(f) | Unrecorded::Draft(f, _) => f,
        }
    }
}

/// Whether `user` may now take the step that records the interview's facts: only then are
/// their answers kept as a draft.
fn records_facts(app: &App, user: &User, ctx: &CaseCtx) -> bool {
    offers(&cases::available(app, user, ctx), |k| {
        matches!(k, FieldKind::Facts)
    })
}

/// Whether any of the steps offered holds a field of `kind` at its top level.
fn offers(offered: &[(ActionSpec, Actor)], is: fn(&FieldKind) -> bool) -> bool {
    offered.iter().any(|(s, _)| takes(&s.fields, is))
}

/// The user's draft of the interview, if any (an unreadable one is ignored: it is only a copy
/// of what they typed, and the record is untouched).
async fn interview_draft(app: &App, user: &User, ctx: &CaseCtx) -> Option<Unrecorded> {
    let draft = app
        .store()
        .draft(ctx.id(), &user.person.id, INTERVIEW_DRAFT)
        .await
        .map_err(|e| tracing::warn!("draft of case {} not read: {e}", ctx.id()))
        .ok()??;
    let facts = serde_json::from_str(&draft.body).ok()?;
    Some(Unrecorded::Draft(facts, draft.updated_at))
}

/// Keeps `facts` as the user's draft of the interview.
async fn keep_draft(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    facts: &BTreeMap<String, serde_json::Value>,
) -> Result<(), AppError> {
    let body = serde_json::to_string(facts).map_err(|e| AppError::Internal(e.to_string()))?;
    app.store()
        .put_draft(
            ctx.id(),
            &user.person.id,
            INTERVIEW_DRAFT,
            &body,
            app.clock().now(),
        )
        .await?;
    Ok(())
}

/// Whether an action's form holds a field of `kind` at its top level.
fn takes(fields: &[lvzhi_processes::Field], is: fn(&FieldKind) -> bool) -> bool {
    fields.iter().any(|f| is(&f.kind))
}

/// The collapsed 技术信息: the case's identifiers, its version and every event's place and link
/// in the SM3 chain, for auditors.
fn technical(d: &CaseDetail) -> Markup {
    html! {
        details.tech.noprint {
            summary { "技术信息" }
            dl.grid {
                dt { "案件编号" } dd { code { (d.case_id) } }
                dt { "案件类型代码" } dd { code { (d.kind) } }
                dt { "阶段代码" } dd { code { (d.stage) } }
                dt { "版本" } dd { (d.version) }
            }
            @if !d.documents.is_empty() {
                table.list {
                    thead { tr { th { "文书" } th { "定稿 PDF 的 SM3 摘要" } } }
                    tbody {
                        @for doc in &d.documents {
                            tr { td { (doc.title) } td { @match &doc.seal { Some(s) => code.sm3 { (s.sm3) }, None => "未定稿" } } }
                        }
                    }
                }
            }
            table.list.chain {
                thead { tr { th { "序号" } th { "版本" } th { "事件" } th { "办理人" } th { "SM3 链哈希" } } }
                tbody {
                    @for t in &d.timeline {
                        tr {
                            td { (t.seq) }
                            td { (t.version) }
                            td { code { (t.kind) } }
                            td { code { (t.actor) } " · " code { (t.role) } }
                            td { small.hash title="本事件的 SM3 链哈希" { "SM3 " (t.hash) } }
                        }
                    }
                }
            }
        }
    }
}

fn render(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    unrecorded: Option<&Unrecorded>,
    msg: Option<&str>,
) -> Result<Response, AppError> {
    let d = view::detail(app, user, ctx);
    let id = ctx.id();
    let offered = cases::available(app, user, ctx);
    let facts_step = offers(&offered, |k| matches!(k, FieldKind::Facts));
    let evidence_step = offers(&offered, |k| matches!(k, FieldKind::Evidence));
    let app_state = application::state(ctx);
    // An application's interview and its live recommendation (000 §14).
    let interview = match app_state {
        Some(s) => {
            let packs = app.packs();
            let recorded = application::recorded_facts(s);
            let facts = unrecorded.map_or(recorded, |u| u.facts().clone());
            let mut questions = interview::facts(&packs, ctx.process().pack())?;
            let evaluation = application::judge(app, s, &facts)?;
            // Other governing packs' questions the judgement needs (issue 20 item 3).
            questions.extend(interview::other_questions(
                &packs,
                &application::governing(app, s),
                &evaluation.questions,
                &facts,
            ));
            Some((questions, facts, evaluation))
        }
        None => None,
    };
    let docs = CaseDocuments::of(ctx);
    let dir = app.directory();
    let body = html! {
        (flash(msg))
        div.case-head {
            h1 { (d.title) }
            p { span.case-id { (id) } " · " (d.kind_zh) " · " span.stage { (d.stage_zh) } }
            p.noprint {
                @if app_state.is_some_and(|s| s.form.is_some()) {
                    a.pdf href={ "/cases/" (id) "/application-form.pdf" } { "下载免责容错申请表（PDF，供签字盖章）" } " "
                }
                button.print type="button" data-print { "打印本页" }
            }
        }
        div.columns {
            div.main-col {
                section.card.actions {
                    h2 { "可办理事项" }
                    @if d.available_actions.is_empty() {
                        p.empty { "当前没有您可以办理的事项。" }
                    } @else {
                        ul.action-list {
                            @for (a, _) in offered.iter().filter(|(s, _)| !takes(&s.fields, |k| matches!(k, FieldKind::Facts))) {
                                li { a.button href={ "/cases/" (id) "/act/" (a.id) } { (a.label) } " " small { "（" (citation_words(&a.article)) "）" } }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "期限" }
                    @if d.deadlines.is_empty() { p.empty { "没有未届满的期限。" } }
                    @else {
                        table.list.deadlines {
                            thead { tr { th { "事项" } th { "届满日" } th { "剩余" } th { "依据" } } }
                            tbody {
                                @for dl in &d.deadlines {
                                    tr class=@if dl.overdue { "overdue" } {
                                        td { (dl.label) }
                                        td { (date_zh(dl.due)) @if dl.provisional { " " span.badge.provisional { "暂定" } } }
                                        td { (days_left(dl.overdue, dl.working_days_left)) }
                                        td { (citation_words(&dl.article)) }
                                    }
                                }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "案件事实" }
                    dl.grid.facts {
                        @if let Some(g) = &d.governance {
                            dt { "适用规定" }
                            dd {
                                "程序：《" (g.procedure.title) "》"
                                @if !g.procedure.version.is_empty() { "（" (g.procedure.version) "版）" }
                                @if !g.rules.is_empty() {
                                    br;
                                    "认定："
                                    @for (i, r) in g.rules.iter().enumerate() {
                                        @if i > 0 { "、" }
                                        "《" (r.title) "》"
                                        @if !r.version.is_empty() { "（" (r.version) "版）" }
                                    }
                                }
                            }
                        }
                        @for f in &d.facts { dt { (f.label) } dd { (multiline(&f.value)) } }
                    }
                }
                @if let Some((questions, facts, _)) = &interview {
                    @if let Some(_) = app_state {
                        (application::interview_section(user, ctx, questions, facts, facts_step, unrecorded.and_then(|u| match u {
                            Unrecorded::Draft(_, at) => Some(*at),
                            Unrecorded::Entered(_) => None,
                        })))
                    }
                }
                section.card {
                    h2 { "文书" }
                    (super::documents::list(&docs, app_state.is_none()))
                    @if let Some(s) = app_state {
                        (application::evidence_list(ctx, s))
                    }
                    @if evidence_step { (super::evidence::upload_form(user, ctx)) }
                }
                section.card {
                    h2 { "时间线（审计链）" }
                    ol.timeline {
                        @for t in &d.timeline {
                            li {
                                span.desc {
                                    (date_zh(t.on)) "　" (t.role_zh)
                                    @if !t.actor_name.is_empty() && t.actor != "system" { "（" (t.actor_name) "）" }
                                    "：" (t.description)
                                    @if let Some(r) = &t.reason { "。理由：" (r) }
                                }
                            }
                        }
                    }
                }
                (technical(&d))
            }
            aside.side-col {
                @if let Some((_, _, evaluation)) = &interview {
                    (application::recommendation_panel(evaluation))
                } @else {
                    section.card {
                        h2 { (d.kind_zh) }
                        p { "本案由" (dir.org_name(&d.org_id)) "办理。所有操作均记入 SM3 审计链。" }
                        @if ctx.state::<IncidentState>().is_some() {
                            p { a href="/incidents/ledger" { "维权工作台账" } }
                        }
                    }
                }
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
    let ctx = cases::load(&app, &user, &id).await?;
    let draft = match application::state(&ctx) {
        Some(_) => interview_draft(&app, &user, &ctx).await,
        None => None,
    };
    Ok(render(&app, &user, &ctx, draft.as_ref(), q.msg.as_deref())?)
}

/// The interview is a part of the case page: a GET of its address (a bookmark, a reload after
/// posting) goes there instead of a bare 405.
async fn interview_get(Path(id): Path<String>) -> Response {
    Redirect::to(&format!("/cases/{id}#interview")).into_response()
}

/// The interview's answers, typed by the case's pack.
fn answers(
    app: &App,
    ctx: &CaseCtx,
    values: &crate::cases::form::FormValues,
) -> Result<BTreeMap<String, serde_json::Value>, AppError> {
    interview::facts_from_form(&app.packs(), ctx.process().pack(), values)
}

async fn interview_submit(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values }: PageForm,
) -> PageResult {
    let ctx = cases::load(&app, &user, &id).await?;
    let Some(s) = application::state(&ctx) else {
        return Err(AppError::NotFound(format!("{}没有事实问询", ctx.process().name_zh())).into());
    };
    if values.get("op") == Some("discard") {
        app.store()
            .delete_draft(&id, &user.person.id, INTERVIEW_DRAFT)
            .await?;
        return Ok(
            Redirect::to(&format!("/cases/{id}?msg=draft_discarded#interview")).into_response(),
        );
    }
    let facts = answers(&app, &ctx, &values)?;
    if values.get("op") != Some("save") {
        // 重新评估 keeps the answers as a draft, so that reopening the case shows them again.
        if records_facts(&app, &user, &ctx) {
            keep_draft(&app, &user, &ctx, &facts).await?;
            let draft = Unrecorded::Draft(facts, app.clock().now());
            return Ok(render(&app, &user, &ctx, Some(&draft), None)?);
        }
        return Ok(render(
            &app,
            &user,
            &ctx,
            Some(&Unrecorded::Entered(facts)),
            None,
        )?);
    }
    let expected = values
        .get("expected_version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let command = serde_json::json!({ "action": "update_facts", "facts": facts });
    let outcome = cases::run(&app, &user, &ctx, &command, expected).await?;
    // Recorded: the draft has served its purpose.
    app.store()
        .delete_draft(&id, &user.person.id, INTERVIEW_DRAFT)
        .await?;
    // The office records the engine's recommendation with the facts it rests on (000 §14).
    let evaluation = application::judge(&app, s, &facts)?;
    if let Some(r) = interview::recommendation(&evaluation) {
        let ctx = cases::load(&app, &user, &id).await?;
        let offered = cases::available(&app, &user, &ctx)
            .iter()
            .any(|(s, _)| s.id == "record_recommendation");
        if offered {
            let command =
                serde_json::json!({ "action": "record_recommendation", "recommendation": r });
            cases::run(&app, &user, &ctx, &command, Some(outcome.version)).await?;
        }
    }
    Ok(Redirect::to(&format!("/cases/{id}?msg=recorded")).into_response())
}

async fn interview_live(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values }: PageForm,
) -> PageResult {
    let ctx = cases::load(&app, &user, &id).await?;
    let Some(s) = application::state(&ctx) else {
        return Err(AppError::NotFound(format!("{}没有事实问询", ctx.process().name_zh())).into());
    };
    let facts = answers(&app, &ctx, &values)?;
    let evaluation = application::judge(&app, s, &facts)?;
    // Every change is kept as the user's draft (issue 22 item 2); the page says so.
    let kept = if records_facts(&app, &user, &ctx) {
        keep_draft(&app, &user, &ctx, &facts).await?;
        "saved"
    } else {
        "none"
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::HeaderName::from_static("x-lvzhi-draft"), kept),
        ],
        application::recommendation_panel(&evaluation),
    )
        .into_response())
}
