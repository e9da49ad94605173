//! The pages of the other processes (`lvzhi_processes`): one generic case page for every
//! registered process — facts, deadlines, the actions the user may take now, documents and the
//! timeline with each event's SM3 link — the action forms drawn from the process's `Field`s, the
//! "新建" pages from its opening actions, its notices, and the 维权 台账 (001 §29(六)) with its
//! CSV download.
//!
//! The case routes shared with applications (`/cases/{id}`, `/cases/{id}/act/{action}`) hand a
//! process case to this module after looking at the read model's kind.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use lvzhi_processes::incident::{self, IncidentState, LedgerRow};
use lvzhi_processes::registry::CaseType;
use lvzhi_processes::{ActionSpec, Field, FieldKind};
use lvzhi_store::CaseQuery;
use maud::{html, Markup};
use serde::Deserialize;

use super::{csrf_field, days_left, flash, multiline, page, PageResult, PageUser};
use crate::access;
use crate::app::App;
use crate::auth::{CsrfForm, User};
use crate::error::AppError;
use crate::processes::{self, ProcessCtx};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/new", get(new_index))
        .route("/new/{kind}/{action}", get(new_form).post(new_submit))
        .route("/cases/{id}/notices/{n}", get(notice_page))
        .route("/incidents/ledger", get(ledger_page))
        .route("/incidents/ledger.csv", get(ledger_csv))
}

/// Blank rows offered below the filled ones of a table field.
const BLANK_ROWS: usize = 3;

fn value<'a>(values: &'a [(String, String)], name: &str) -> &'a str {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

fn checked(values: &[(String, String)], name: &str, v: &str) -> bool {
    values.iter().any(|(k, x)| k == name && x == v)
}

/// The people and organisations a form may choose from.
pub struct Choices {
    orgs: Vec<(String, String)>,
    people: Vec<(String, String)>,
}

impl Choices {
    pub fn for_user(app: &App, user: &User) -> Self {
        let (orgs, people) = processes::choices(app, user);
        Choices { orgs, people }
    }
}

fn options(list: &[(String, String)], current: &str, placeholder: &str) -> Markup {
    html! {
        option value="" selected[current.is_empty()] { (placeholder) }
        @for (id, label) in list {
            option value=(id) selected[current == id] { (label) }
        }
    }
}

fn mark(f: &Field) -> Markup {
    html! { @if f.required { " " span.req title="必填" { "*" } } }
}

fn help(f: &Field) -> Markup {
    html! { @if !f.help.is_empty() { small.help { (f.help) } } }
}

/// One input of a field named `name` (a table cell when `cell`).
fn input(f: &Field, name: &str, values: &[(String, String)], c: &Choices, cell: bool) -> Markup {
    let id = format!("f-{}", name.replace('.', "-"));
    let v = value(values, name);
    let req = f.required && !cell;
    let label = if cell { f.label.as_str() } else { "" };
    match &f.kind {
        FieldKind::Text => {
            html! { input id=(id) type="text" name=(name) value=(v) required[req] maxlength="2000" aria-label=(label); }
        }
        FieldKind::LongText | FieldKind::Lines => {
            html! { textarea id=(id) name=(name) rows="4" required[req] aria-label=(label) { (v) } }
        }
        FieldKind::Date => {
            html! { input id=(id) type="date" name=(name) value=(v) required[req] aria-label=(label); }
        }
        FieldKind::Integer => {
            html! { input id=(id) type="number" step="1" name=(name) value=(v) required[req] aria-label=(label); }
        }
        FieldKind::Bool => {
            html! { input id=(id) type="checkbox" name=(name) value="true" checked[v == "true"] aria-label=(label); }
        }
        FieldKind::Choice { options: list } => html! {
            select id=(id) name=(name) required[req] aria-label=(label) {
                (options(list, v, if f.required { "请选择" } else { "（不适用）" }))
            }
        },
        FieldKind::MultiChoice { options: list } => html! {
            @for (oid, l) in list {
                label.check { input type="checkbox" name=(name) value=(oid) checked[checked(values, name, oid)]; span { (l) } }
            }
        },
        FieldKind::Person => {
            html! { select id=(id) name=(name) required[req] aria-label=(label) { (options(&c.people, v, "请选择人员")) } }
        }
        FieldKind::Org => {
            html! { select id=(id) name=(name) required[req] aria-label=(label) { (options(&c.orgs, v, "请选择单位")) } }
        }
        FieldKind::Rows { .. } => html! {},
    }
}

fn field_html(f: &Field, values: &[(String, String)], c: &Choices) -> Markup {
    let id = format!("f-{}", f.name);
    match &f.kind {
        FieldKind::Bool => html! {
            div.field {
                label.check {
                    (input(f, &f.name, values, c, false))
                    span { (f.label) }
                }
                (help(f))
            }
        },
        FieldKind::MultiChoice { .. } => html! {
            fieldset.choice {
                legend { (f.label) (mark(f)) }
                (input(f, &f.name, values, c, false))
                (help(f))
            }
        },
        FieldKind::Rows { fields, max } => {
            let filled = processes_row_count(values, &f.name);
            let n = (filled + BLANK_ROWS).min(*max).max(1);
            html! {
                fieldset.rows {
                    legend { (f.label) (mark(f)) }
                    (help(f))
                    table.list.rows {
                        thead { tr { th { "#" } @for sub in fields { th { (sub.label) (mark(sub)) } } } }
                        tbody {
                            @for i in 0..n {
                                tr {
                                    td { (i + 1) }
                                    @for sub in fields {
                                        td { (input(sub, &format!("{}.{i}.{}", f.name, sub.name), values, c, true)) }
                                    }
                                }
                            }
                        }
                    }
                    @for sub in fields { @if !sub.help.is_empty() { small.help { (sub.label) "：" (sub.help) } } }
                }
            }
        }
        _ => html! {
            div.field {
                label for=(id) { (f.label) (mark(f)) }
                (input(f, &f.name, values, c, false))
                (help(f))
            }
        },
    }
}

/// Rows already filled in a posted table (so a refused form keeps them).
fn processes_row_count(values: &[(String, String)], name: &str) -> usize {
    let prefix = format!("{name}.");
    values
        .iter()
        .filter(|(k, v)| k.starts_with(&prefix) && !v.trim().is_empty())
        .filter_map(|(k, _)| k[prefix.len()..].split('.').next()?.parse::<usize>().ok())
        .max()
        .map(|m| m + 1)
        .unwrap_or(0)
}

/// An action's form.
fn form(
    spec: &ActionSpec,
    action: &str,
    values: &[(String, String)],
    user: &User,
    c: &Choices,
    version: Option<i64>,
    cancel: &str,
) -> Markup {
    html! {
        form.process-form method="post" action=(action) {
            (csrf_field(user))
            @if let Some(v) = version { input type="hidden" name="expected_version" value=(v); }
            @for f in &spec.fields { (field_html(f, values, c)) }
            @if spec.fields.is_empty() { p { "确认后将记录本步骤。" } }
            div.buttons {
                button.primary type="submit" { "确认" (spec.label) }
                a.button href=(cancel) { "取消" }
            }
        }
    }
}

fn error_box(error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error {
            div.notice.error role="alert" { p { strong { "未能办理：" } (e) } }
        }
    }
}

/// The case page of a process case.
pub async fn case_page(app: &App, user: &User, id: &str, msg: Option<&str>) -> PageResult {
    let ctx = processes::load(app, user, id).await?;
    let view = app.service().view_process(&ctx.loaded, app.clock().today());
    let actions = processes::available(app, user, &ctx);
    let body = html! {
        (flash(msg))
        div.case-head {
            h1 { (view.title) }
            p { span.case-id { (id) } " · " (view.kind_zh) " · " span.stage { (view.stage_zh) } " · 版本 " (view.version) }
        }
        div.columns {
            div.main-col {
                section.card.actions {
                    h2 { "可办理事项" }
                    @if actions.is_empty() {
                        p.empty { "当前没有您可以办理的事项。" }
                    } @else {
                        ul.action-list {
                            @for (a, _) in &actions {
                                li { a.button href={ "/cases/" (id) "/act/" (a.id) } { (a.label) } " " small { "（" (a.article) "）" } }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "案件事实" }
                    dl.grid.facts {
                        @for f in &view.facts { dt { (f.label) } dd { (multiline(&f.value)) } }
                    }
                }
                section.card {
                    h2 { "期限" }
                    @if view.deadlines.is_empty() { p.empty { "没有未届满的期限。" } }
                    @else {
                        table.list.deadlines {
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
                section.card {
                    h2 { "文书" }
                    (super::documents::CaseDocuments::of_process_parts(id, view.documents.clone(), &view.seals).list(true))
                }
                section.card {
                    h2 { "时间线（审计链）" }
                    ol.timeline {
                        @for t in &view.timeline {
                            li {
                                span.desc { (date_zh(t.on)) " " (t.description) }
                                br;
                                small.hash title="本事件的 SM3 链哈希" { "#" (t.seq) " · " (t.hash.get(..16).unwrap_or(&t.hash)) "…" }
                            }
                        }
                    }
                }
            }
            aside.side-col {
                section.card {
                    h2 { (view.kind_zh) }
                    p { "本案由" (app.directory().org_name(&view.org_id)) "办理。所有操作均记入 SM3 审计链。" }
                    @if view.kind == "incident" {
                        p { a href="/incidents/ledger" { "维权工作台账（001 §29(六)）" } }
                    }
                }
            }
        }
    };
    Ok(page(app, user, &format!("案件 {id}"), "cases", body))
}

fn act_body(
    user: &User,
    ctx: &ProcessCtx,
    spec: &ActionSpec,
    values: &[(String, String)],
    c: &Choices,
    error: Option<&str>,
) -> Markup {
    let id = &ctx.loaded.case_id;
    let summary = ctx.loaded.case.summary();
    html! {
        p.noprint { a href={ "/cases/" (id) } { "← 返回案件 " (id) } }
        div.case-head {
            h1 { (spec.label) }
            p { span.case-id { (id) } " · " (summary.title) " · " (summary.stage_zh) " · 依据 " (spec.article) }
        }
        (error_box(error))
        section.card.act-form {
            h2 { (spec.label) " " small { "（" (spec.article) "）" } }
            (form(spec, &format!("/cases/{id}/act/{}", spec.id), values, user, c, Some(ctx.version()), &format!("/cases/{id}")))
        }
        section.card {
            h2 { "案件事实" }
            dl.grid.facts { @for f in ctx.loaded.case.facts() { dt { (f.label) } dd { (multiline(&f.value)) } } }
        }
    }
}

/// The form of an action on a process case.
pub async fn act_page(app: &App, user: &User, id: &str, action: &str) -> PageResult {
    let ctx = processes::load(app, user, id).await?;
    let Some((spec, _)) = processes::available(app, user, &ctx)
        .into_iter()
        .find(|(s, _)| s.id == action)
    else {
        return Err(processes::unavailable(app, user, &ctx, action).into());
    };
    let c = Choices::for_user(app, user);
    let body = act_body(user, &ctx, &spec, &[], &c, None);
    Ok(page(
        app,
        user,
        &format!("{} — 案件 {id}", spec.label),
        "cases",
        body,
    ))
}

/// A submitted action form on a process case: converted to the command, run, and the case
/// shown; a refusal shows the form again with the reason and everything entered.
pub async fn act_submit(
    app: &App,
    user: &User,
    id: &str,
    action: &str,
    form: &CsrfForm,
) -> PageResult {
    let ctx = processes::load(app, user, id).await?;
    let Some((spec, _)) = processes::available(app, user, &ctx)
        .into_iter()
        .find(|(s, _)| s.id == action)
    else {
        return Err(processes::unavailable(app, user, &ctx, action).into());
    };
    let values: Vec<(String, String)> = form
        .0
        .iter()
        .filter(|(k, _)| k != "_csrf")
        .cloned()
        .collect();
    let expected = form
        .get("expected_version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let result = match processes::command_from_form(&spec, &values) {
        Ok(command) => processes::run(app, user, &ctx, &command, expected)
            .await
            .map(|_| ()),
        Err(m) => Err(AppError::BadRequest(m)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}?msg=recorded")).into_response()),
        Err(e @ (AppError::Unauthenticated | AppError::Internal(_) | AppError::Startup(_))) => {
            Err(e.into())
        }
        Err(e) => {
            let ctx = if matches!(e, AppError::Conflict(_)) {
                processes::load(app, user, id).await?
            } else {
                ctx
            };
            let c = Choices::for_user(app, user);
            let body = act_body(user, &ctx, &spec, &values, &c, Some(&e.to_string()));
            Ok((
                e.status(),
                page(
                    app,
                    user,
                    &format!("{} — 案件 {id}", spec.label),
                    "cases",
                    body,
                ),
            )
                .into_response())
        }
    }
}

/// "新建": the processes the user can open a case of, with their opening actions.
async fn new_index(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let list = processes::openable(&app, &user);
    let body = html! {
        h1 { "新建案件" }
        section.card {
            h2 { "免责容错申请" }
            p { a.button href="/cases/new" { "填写免责容错申请表" } " " small { "（000 §12）" } }
        }
        @for (p, specs) in &list {
            section.card {
                h2 { (p.name_zh()) }
                ul.action-list {
                    @for s in specs {
                        li { a.button href={ "/new/" (p.kind()) "/" (s.id) } { (s.label) } " " small { "（" (s.article) "）" } }
                    }
                }
            }
        }
        @if list.is_empty() { p.empty { "您的角色不能新建其他类型的案件。" } }
    };
    Ok(page(&app, &user, "新建案件", "new", body))
}

fn find_process(kind: &str) -> Result<&'static dyn CaseType, AppError> {
    processes::others()
        .find(|p| p.kind() == kind)
        .ok_or_else(|| AppError::NotFound(format!("案件类型“{kind}”不存在")))
}

fn opening(
    app: &App,
    user: &User,
    kind: &str,
    action: &str,
) -> Result<(&'static dyn CaseType, ActionSpec), AppError> {
    let p = find_process(kind)?;
    let spec = processes::opening_spec(app, user, p, action).ok_or_else(|| {
        AppError::Forbidden(format!("您的角色不能办理“{}”的这一立案事项", p.name_zh()))
    })?;
    Ok((p, spec))
}

fn new_body(
    user: &User,
    p: &dyn CaseType,
    spec: &ActionSpec,
    values: &[(String, String)],
    c: &Choices,
    error: Option<&str>,
) -> Markup {
    html! {
        p.noprint { a href="/new" { "← 新建案件" } }
        div.case-head { h1 { (spec.label) } p { (p.name_zh()) " · 依据 " (spec.article) } }
        (error_box(error))
        section.card.act-form {
            (form(spec, &format!("/new/{}/{}", p.kind(), spec.id), values, user, c, None, "/new"))
        }
    }
}

async fn new_form(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((kind, action)): Path<(String, String)>,
) -> PageResult {
    let (p, spec) = opening(&app, &user, &kind, &action)?;
    let c = Choices::for_user(&app, &user);
    // The officer's own form starts with themself and their unit.
    let mut values = Vec::new();
    if user.has_role("officer") {
        values.push(("officer".to_string(), user.person.id.clone()));
        values.push(("unit".to_string(), user.person.org_id.clone()));
        values.push(("source".to_string(), "officer".to_string()));
    }
    let body = new_body(&user, p, &spec, &values, &c, None);
    Ok(page(&app, &user, &spec.label, "new", body))
}

async fn new_submit(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((kind, action)): Path<(String, String)>,
    form: CsrfForm,
) -> PageResult {
    let (p, spec) = opening(&app, &user, &kind, &action)?;
    let values: Vec<(String, String)> = form
        .0
        .iter()
        .filter(|(k, _)| k != "_csrf")
        .cloned()
        .collect();
    let result = match processes::command_from_form(&spec, &values) {
        Ok(command) => processes::create(&app, &user, p, &command).await,
        Err(m) => Err(AppError::BadRequest(m)),
    };
    match result {
        Ok((id, _, _)) => Ok(Redirect::to(&format!("/cases/{id}?msg=recorded")).into_response()),
        Err(e @ (AppError::Unauthenticated | AppError::Internal(_) | AppError::Startup(_))) => {
            Err(e.into())
        }
        Err(e) => {
            let c = Choices::for_user(&app, &user);
            let body = new_body(&user, p, &spec, &values, &c, Some(&e.to_string()));
            Ok((e.status(), page(&app, &user, &spec.label, "new", body)).into_response())
        }
    }
}

#[derive(Deserialize)]
struct NoticePath {
    id: String,
    n: usize,
}

/// The notice page under its older address: the same page as `/cases/{id}/documents/{n}`, for
/// any process (links printed or bookmarked before the notices were sealed keep working).
async fn notice_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(NoticePath { id, n }): Path<NoticePath>,
) -> PageResult {
    super::documents::notice_page(&app, &user, &id, n).await
}

// ---- 台账 (001 §29(六)) ----

/// The ledger rows of the incidents the user may see, newest change first: (case id, row).
pub async fn ledger_rows(app: &App, user: &User) -> Result<Vec<(String, LedgerRow)>, AppError> {
    const PAGE: i64 = 500;
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let q = CaseQuery {
            scope: access::scope(app, user),
            kind: Some(<incident::Incident as lvzhi_processes::Process>::KIND.to_string()),
            limit: PAGE,
            offset,
            ..Default::default()
        };
        let (rows, total) = app.store().query_cases(&q).await?;
        for r in &rows {
            let Ok(ctx) = processes::load(app, user, &r.case_id).await else {
                continue;
            };
            let state: IncidentState =
                serde_json::from_value(ctx.loaded.case.state_json()).map_err(AppError::internal)?;
            out.push((r.case_id.clone(), incident::ledger(&state)));
        }
        offset += PAGE;
        if rows.is_empty() || offset >= total || offset >= 20 * PAGE {
            break;
        }
    }
    Ok(out)
}

/// The ledger's columns, in Chinese.
pub const LEDGER_HEADERS: [&str; 14] = [
    "案件编号",
    "当事民警",
    "所在单位",
    "受理维权办",
    "侵害情形",
    "发生日期",
    "立案日期",
    "立案方式",
    "调查",
    "处理",
    "维权措施",
    "逐级上报",
    "状态",
    "办结日期",
];

fn ledger_cells(id: &str, r: &LedgerRow) -> [String; 14] {
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    [
        id.to_string(),
        r.officer.clone(),
        r.unit.clone(),
        r.org.clone(),
        r.incident_type.clone(),
        d(r.occurred_on),
        d(r.registered_on),
        r.source.clone(),
        r.investigation.clone(),
        r.handling.clone(),
        r.measures.clone(),
        r.escalation.clone(),
        r.stage.clone(),
        d(r.closed_on),
    ]
}

async fn ledger_page(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let rows = ledger_rows(&app, &user).await?;
    let body = html! {
        h1 { "维权工作台账" }
        p.summary {
            "依《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十九条第（六）项，对受理的侵害民警执法权威案（事）件的立案、调查、处理情况全程跟踪、督办。共 " (rows.len()) " 件。 "
            a.button href="/incidents/ledger.csv" download="维权工作台账.csv" { "导出 CSV" }
        }
        @if rows.is_empty() { p.empty { "没有您可以查看的维权案（事）件。" } }
        @else {
            table.list.ledger {
                thead { tr { @for h in LEDGER_HEADERS { th { (h) } } } }
                tbody {
                    @for (id, r) in &rows {
                        tr {
                            @for (i, cell) in ledger_cells(id, r).iter().enumerate() {
                                @if i == 0 { td { a href={ "/cases/" (id) } { (id) } } } @else { td { (cell) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&app, &user, "维权工作台账", "cases", body))
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet never reads a cell as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The ledger as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese).
pub fn ledger_csv_text(rows: &[(String, LedgerRow)]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        &LEDGER_HEADERS
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for (id, r) in rows {
        out.push_str(
            &ledger_cells(id, r)
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

async fn ledger_csv(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let rows = ledger_rows(&app, &user).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ledger.csv\"; filename*=UTF-8''%E7%BB%B4%E6%9D%83%E5%B7%A5%E4%BD%9C%E5%8F%B0%E8%B4%A6.csv",
            ),
        ],
        ledger_csv_text(&rows),
    )
        .into_response())
}
