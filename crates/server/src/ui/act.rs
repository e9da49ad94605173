//! The form of every step of every case (`/cases/{id}/act/{action}`) and of every opening step
//! (`/new/{kind}/{action}`), drawn by one renderer from the step's form as its process describes
//! it (`lvzhi_case::Field`s) and turned back into the process's command by one builder
//! (`cases::form::build`). A step the user may not take now is refused with the case layer's
//! reason (404, 403 or 422); a refused submission shows the form again with the reason at the
//! top and everything entered kept.
//!
//! Where a step needs more than its fields, the help comes from hooks keyed by the field's kind
//! or the step, never by the case's kind: an evidence field makes the page the upload form, a
//! facts field sends the person to the interview, and an application's steps get their context
//! (`ui::application`: the panel's candidates, the expert pool, the publicity, the draft).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lvzhi_processes::registry::CaseType;
use lvzhi_processes::{ActionSpec, Field, FieldKind};
use lvzhi_rules::citation_words;
use lvzhi_store::ExpertRecord;
use maud::{html, Markup};
use serde::Deserialize;

use super::{application, csrf_field, multiline, page, PageResult, PageUser};
use crate::app::App;
use crate::auth::{PageForm, User};
use crate::cases::form::{self, FormOptions, FormValues, Options};
use crate::cases::{self, CaseCtx};
use crate::error::AppError;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/cases/{id}/act/{action}", get(act_page).post(act_submit))
        .route("/new", get(new_index))
        .route("/new/{kind}/{action}", get(new_form).post(new_submit))
}

#[derive(Deserialize)]
struct ActQuery {
    /// The expert of the pool chosen on the participant form.
    expert: Option<String>,
}

/// Blank rows offered below the filled ones of a table field.
const BLANK_ROWS: usize = 3;

/// Whether a form has a field of a kind anywhere in it.
fn has_kind(fields: &[Field], is: &dyn Fn(&FieldKind) -> bool) -> bool {
    fields.iter().any(|f| {
        is(&f.kind)
            || match &f.kind {
                FieldKind::Object { fields } | FieldKind::Rows { fields, .. } => {
                    has_kind(fields, is)
                }
                _ => false,
            }
    })
}

/// The options of a form's directory fields: the organisations in tree order, the people of
/// the organisations within the user's grants (and the user), the expert pool — or, for the
/// application's steps that need their own people (the panel's candidates, who may be
/// recused), those.
async fn options(
    app: &App,
    user: &User,
    ctx: Option<&CaseCtx>,
    spec: &ActionSpec,
) -> Result<(FormOptions, Vec<ExpertRecord>), AppError> {
    let experts = if has_kind(&spec.fields, &|k| matches!(k, FieldKind::Expert)) {
        app.store().experts().await?
    } else {
        Vec::new()
    };
    let mut out = FormOptions::default();
    let (orgs, people) = choices(app, user);
    fn walk(
        fields: &[Field],
        prefix: &str,
        out: &mut FormOptions,
        orgs: &Options,
        people: &Options,
        experts: &Options,
    ) {
        for f in fields {
            let name = if prefix.is_empty() {
                f.name.clone()
            } else {
                format!("{prefix}.{}", f.name)
            };
            match &f.kind {
                FieldKind::Org => {
                    out.0.insert(name, orgs.clone());
                }
                FieldKind::Person => {
                    out.0.insert(name, people.clone());
                }
                FieldKind::Expert => {
                    out.0.insert(name, experts.clone());
                }
                FieldKind::Object { fields } | FieldKind::Rows { fields, .. } => {
                    walk(fields, &name, out, orgs, people, experts)
                }
                _ => {}
            }
        }
    }
    let pool = application::expert_options(&experts);
    walk(&spec.fields, "", &mut out, &orgs, &people, &pool);
    if let Some(s) = ctx.and_then(application::state) {
        if let Some(own) = application::person_options(app, s, spec) {
            out.0.extend(own.0);
        }
    }
    Ok((out, experts))
}

/// People and organisations a form may name: the organisations of the directory in tree order,
/// and the people of the organisations within the user's grants (and the user).
fn choices(app: &App, user: &User) -> (Options, Options) {
    let dir = app.directory();
    let orgs: Options = crate::api::cases::org_items(&dir)
        .into_iter()
        .map(|o| (o.id, format!("{}{}", "\u{3000}".repeat(o.depth), o.name)))
        .collect();
    let mut within: Vec<String> = user
        .subject
        .grants
        .iter()
        .flat_map(|g| dir.tree.subtree(&g.org_id))
        .collect();
    within.sort();
    within.dedup();
    let mut people: std::collections::BTreeMap<String, String> = Default::default();
    for p in dir.people.values() {
        if p.id == user.person.id || within.binary_search(&p.org_id).is_ok() {
            people.insert(
                p.id.clone(),
                format!("{}（{}）", p.name, dir.org_name(&p.org_id)),
            );
        }
    }
    (orgs, people.into_iter().collect())
}

// ---- the renderer ----

/// What the field renderer needs: the values shown, the options offered, and the hooks of the
/// case (an application's panel table and chosen expert).
struct Draw<'a> {
    app: &'a App,
    spec: &'a ActionSpec,
    values: &'a FormValues,
    options: &'a FormOptions,
    ctx: Option<&'a CaseCtx>,
    expert: Option<&'a ExpertRecord>,
}

fn mark(required: bool) -> Markup {
    html! { @if required { " " span.req title="必填" { "*" } } }
}

fn help(f: &Field) -> Markup {
    html! { @if !f.help.is_empty() { small.help { (f.help) } } }
}

fn select_options(options: &[(String, String)], current: &str, placeholder: &str) -> Markup {
    html! {
        option value="" selected[current.is_empty()] { (placeholder) }
        @for (id, label) in options.iter().filter(|(id, _)| !id.is_empty()) {
            option value=(id) selected[current == id] { (label) }
        }
    }
}

impl Draw<'_> {
    /// The input of field `f` named `name` (`column`: its name in the options); `cell` in a
    /// table (labelled for assistive technology), `required` as the page may demand it.
    fn input(&self, f: &Field, name: &str, column: &str, cell: bool, required: bool) -> Markup {
        let id = format!("f-{}", name.replace('.', "-"));
        let v = self.values.get(name).unwrap_or_default();
        let label = if cell { f.label.as_str() } else { "" };
        let placeholder = |f: &Field, options: &[(String, String)]| -> String {
            match options.iter().find(|(id, _)| id.is_empty()) {
                Some((_, l)) => l.clone(),
                None if f.required => "请选择".to_string(),
                None => "（不适用）".to_string(),
            }
        };
        match &f.kind {
            FieldKind::Text => {
                html! { input id=(id) type="text" name=(name) value=(v) required[required] maxlength="2000" aria-label=(label); }
            }
            FieldKind::List => {
                html! { input id=(id) type="text" name=(name) value=(v) required[required] maxlength="2000" aria-label=(label); }
            }
            FieldKind::LongText | FieldKind::Lines => {
                html! { textarea id=(id) name=(name) rows="4" required[required] aria-label=(label) { (v) } }
            }
            FieldKind::Date => {
                html! { input id=(id) type="date" name=(name) value=(v) required[required] aria-label=(label); }
            }
            FieldKind::Integer => {
                html! { input id=(id) type="number" step="1" name=(name) value=(v) required[required] aria-label=(label); }
            }
            FieldKind::Amount => {
                html! { input id=(id) type="number" min="0" step="1" name=(name) value=(v) required[required] aria-label=(label); }
            }
            FieldKind::Bool => {
                html! { input id=(id) type="checkbox" name=(name) value="on" checked[!v.trim().is_empty()] aria-label=(label); }
            }
            FieldKind::Choice { options } => html! {
                select id=(id) name=(name) required[required] aria-label=(label) {
                    (select_options(options, v.trim(), &placeholder(f, options)))
                }
            },
            FieldKind::Index { options } => {
                let options: Options = options
                    .iter()
                    .map(|(i, l)| (i.to_string(), l.clone()))
                    .collect();
                html! {
                    select id=(id) name=(name) required[required] aria-label=(label) {
                        (select_options(&options, v.trim(), "请选择"))
                    }
                }
            }
            FieldKind::MultiChoice { options } => html! {
                @for (oid, l) in options {
                    label.check { input type="checkbox" name=(name) value=(oid) checked[self.values.has(name, oid)]; span { (l) } }
                }
            },
            FieldKind::YesNo { yes, no } => html! {
                label.check { input type="radio" name=(name) value="true" checked[v == "true"] required[required]; span { (yes) } }
                label.check { input type="radio" name=(name) value="false" checked[v == "false"]; span { (no) } }
            },
            FieldKind::Person | FieldKind::Org | FieldKind::Expert => {
                let none = Vec::new();
                let options = self.options.get(column).unwrap_or(&none);
                let placeholder = match f.kind {
                    FieldKind::Org => "请选择单位",
                    _ => "请选择人员",
                };
                html! {
                    select id=(id) name=(name) required[required] aria-label=(label) {
                        (select_options(options, v.trim(), placeholder))
                    }
                }
            }
            FieldKind::NameOf { .. }
            | FieldKind::Facts
            | FieldKind::Evidence
            | FieldKind::Object { .. }
            | FieldKind::Rows { .. } => html! {},
        }
    }

    /// A field with its label and help; objects and tables with theirs. `optional` inside an
    /// object that may be left empty (its fields are then not demanded by the page).
    fn field(&self, f: &Field, prefix: &str, column_prefix: &str, optional: bool) -> Markup {
        let name = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        let column = if column_prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{column_prefix}.{}", f.name)
        };
        let required = f.required && !optional;
        let id = format!("f-{}", name.replace('.', "-"));
        // The hooks of an application's steps.
        if let Some(s) = self.ctx.and_then(application::state) {
            if self.spec.id == "form_panel" && f.name == "members" {
                return application::panel_table(self.app, s, f, self.values);
            }
            if matches!(f.kind, FieldKind::Expert) {
                return application::chosen_expert(f, &name, self.expert);
            }
        }
        match &f.kind {
            FieldKind::NameOf { .. } | FieldKind::Facts | FieldKind::Evidence => html! {},
            FieldKind::Bool => html! {
                div.field {
                    label.check {
                        (self.input(f, &name, &column, false, required))
                        span { (f.label) }
                    }
                    (help(f))
                }
            },
            FieldKind::MultiChoice { .. } | FieldKind::YesNo { .. } => html! {
                fieldset.choice {
                    legend { (f.label) (mark(f.required)) }
                    (self.input(f, &name, &column, false, required))
                    (help(f))
                }
            },
            FieldKind::Object { fields } => {
                let inner_optional = optional || !f.required;
                html! {
                    fieldset.group {
                        legend { (f.label) (mark(required)) }
                        (help(f))
                        @for sub in fields { (self.field(sub, &name, &column, inner_optional)) }
                    }
                }
            }
            FieldKind::Rows { fields, max } => {
                // The rows posted (a refused form keeps them), then blank ones to fill in.
                let mut keys = self.values.row_keys(&name);
                let want = (keys.len() + BLANK_ROWS).min(*max).max(1);
                let mut n = 0usize;
                while keys.len() < want {
                    let k = n.to_string();
                    n += 1;
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                html! {
                    fieldset.rows {
                        legend { (f.label) (mark(required)) }
                        (help(f))
                        table.list.rows {
                            thead { tr { th { "#" } @for sub in fields.iter().filter(|s| !matches!(s.kind, FieldKind::NameOf { .. })) { th { (sub.label) (mark(sub.required)) } } } }
                            tbody {
                                @for (i, key) in keys.iter().enumerate() {
                                    tr {
                                        td { (i + 1) }
                                        @for sub in fields.iter().filter(|s| !matches!(s.kind, FieldKind::NameOf { .. })) {
                                            td { (self.input(sub, &format!("{name}.{key}.{}", sub.name), &format!("{column}.{}", sub.name), true, false)) }
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
                    label for=(id) { (f.label) (mark(required)) }
                    (self.input(f, &name, &column, false, required))
                    (help(f))
                }
            },
        }
    }

    /// The whole form, posting to `action`.
    fn form(&self, user: &User, action: &str, version: Option<i64>, cancel: &str) -> Markup {
        let spec = self.spec;
        let needs_expert = has_kind(&spec.fields, &|k| matches!(k, FieldKind::Expert))
            && self.ctx.and_then(application::state).is_some()
            && self.expert.is_none();
        html! {
            @if needs_expert {
                p.empty { "请先在上方专家库中选择拟邀请的人员，再确认其参与条件。" }
            } @else {
                form.process-form method="post" action=(action) {
                    (csrf_field(user))
                    @if let Some(v) = version { input type="hidden" name="expected_version" value=(v); }
                    @for f in &spec.fields { (self.field(f, "", "", false)) }
                    @if spec.fields.is_empty() { p { "确认后将记录本步骤。" } }
                    div.buttons {
                        button.primary type="submit" { "确认" (spec.label) }
                        a.button href=(cancel) { "取消" }
                    }
                }
            }
        }
    }
}

fn error_box(error: Option<&AppError>) -> Markup {
    html! {
        @if let Some(e) = error {
            div.notice.error role="alert" { p { strong { "未能办理：" } (e.to_string()) } }
        }
    }
}

/// The case's facts in brief, beside every form.
fn facts_card(ctx: &CaseCtx) -> Markup {
    html! {
        section.card {
            h2 { "案件概况" }
            dl.grid.facts {
                dt { "案件编号" } dd { span.case-id { (ctx.id()) } }
                dt { "当前阶段" } dd { (ctx.summary().stage_zh) }
                @for f in ctx.case.case.facts() { dt { (f.label) } dd { (multiline(&truncate(&f.value, 300))) } }
            }
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

/// The page of a step's form on a case.
#[allow(clippy::too_many_arguments)]
fn render(
    app: &App,
    user: &User,
    ctx: &CaseCtx,
    spec: &ActionSpec,
    values: &FormValues,
    options: &FormOptions,
    experts: &[ExpertRecord],
    expert: Option<&ExpertRecord>,
    error: Option<&AppError>,
) -> Response {
    let id = ctx.id();
    let intro = ctx.process().intro(&spec.id);
    let s = application::state(ctx);
    let draw = Draw {
        app,
        spec,
        values,
        options,
        ctx: Some(ctx),
        expert,
    };
    let body = html! {
        p.noprint { a href={ "/cases/" (id) } { "← 返回案件 " (id) } }
        div.case-head {
            h1 { (spec.label) }
            p { span.case-id { (id) } " · " (truncate(&ctx.summary().title, 60)) " · " (ctx.summary().stage_zh) " · 依据" (citation_words(&spec.article)) }
        }
        (error_box(error))
        div.columns {
            div.main-col {
                @if let Some(s) = s { (application::context(ctx, s, spec, experts, expert)) }
                section.card.act-form {
                    h2 { (spec.label) " " small { "（" (citation_words(&spec.article)) "）" } }
                    @if !intro.is_empty() { p.intro { (intro) } }
                    (draw.form(user, &format!("/cases/{id}/act/{}", spec.id), Some(ctx.version()), &format!("/cases/{id}")))
                }
            }
            aside.side-col {
                @if let Some(s) = s { (application::side(app, s, spec)) }
                (facts_card(ctx))
            }
        }
    };
    page(
        app,
        user,
        &format!("{} — 案件 {id}", spec.label),
        "cases",
        body,
    )
}

/// The facts the interview's answers carry, typed by the case's pack.
fn interview_facts(
    app: &App,
    ctx: &CaseCtx,
) -> impl Fn(&FormValues) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    let packs = app.packs();
    let pack = ctx.process().pack();
    move |values: &FormValues| {
        Ok(crate::interview::facts_from_form(&packs, pack, values)?
            .into_iter()
            .collect())
    }
}

async fn act_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((id, action)): Path<(String, String)>,
    Query(q): Query<ActQuery>,
) -> PageResult {
    let ctx = cases::load(&app, &user, &id).await?;
    let spec = cases::offered(&app, &user, &ctx, &action)?;
    if has_kind(&spec.fields, &|k| matches!(k, FieldKind::Evidence)) {
        return Ok(super::evidence::upload_page(&app, &user, &ctx));
    }
    if has_kind(&spec.fields, &|k| matches!(k, FieldKind::Facts)) {
        // Facts are answered question by question in the case page's interview.
        return Ok(Redirect::to(&format!("/cases/{id}#interview")).into_response());
    }
    let (options, experts) = options(&app, &user, Some(&ctx), &spec).await?;
    let expert = q
        .expert
        .as_deref()
        .and_then(|e| experts.iter().find(|x| x.id == e));
    let mut values = FormValues::default();
    if let Some(s) = application::state(&ctx) {
        application::prefill(&app, s, &spec, expert, &mut values);
    }
    prefill_single_choices(&spec.fields, "", &mut values);
    Ok(render(
        &app, &user, &ctx, &spec, &values, &options, &experts, expert, None,
    ))
}

/// A choice with a single option is the obvious one (the one applicant, the one objection).
fn prefill_single_choices(fields: &[Field], prefix: &str, values: &mut FormValues) {
    for f in fields {
        let name = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        let only = match &f.kind {
            FieldKind::Choice { options } if f.required && options.len() == 1 => {
                Some(options[0].0.clone())
            }
            FieldKind::Index { options } if options.len() == 1 => Some(options[0].0.to_string()),
            FieldKind::Object { fields } => {
                prefill_single_choices(fields, &name, values);
                None
            }
            _ => None,
        };
        if let Some(v) = only {
            if values.get(&name).is_none() {
                values.push(name, v);
            }
        }
    }
}

async fn act_submit(
    State(app): State<App>,
    Path((id, action)): Path<(String, String)>,
    PageForm { user, values }: PageForm,
) -> PageResult {
    let ctx = cases::load(&app, &user, &id).await?;
    let spec = cases::offered(&app, &user, &ctx, &action)?;
    let (options, experts) = options(&app, &user, Some(&ctx), &spec).await?;
    let expected = values
        .get("expected_version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    // The names of record and the engine's results are the case layer's to fill in (a page's
    // form carries neither); a shape error comes back in the form's words.
    let result = match form::build(&spec, &values, &options, &interview_facts(&app, &ctx)) {
        Ok(command) => cases::run_form(&app, &user, &ctx, &command, expected).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(outcome) => {
            // A notice issued without its seal is said so at once (issue 6): recorded, 未定稿.
            let msg = if outcome.unsealed.is_empty() {
                "recorded"
            } else {
                "unsealed"
            };
            Ok(Redirect::to(&format!("/cases/{id}?msg={msg}")).into_response())
        }
        Err(e @ (AppError::Unauthenticated | AppError::Internal(_) | AppError::Startup(_))) => {
            Err(e.into())
        }
        Err(e) => {
            // A case changed meanwhile is shown as it is now, so the person re-checks and
            // resubmits against the version they have seen.
            let ctx = if matches!(e, AppError::Conflict(_)) {
                cases::load(&app, &user, &id).await?
            } else {
                ctx
            };
            let expert = values
                .get("expert")
                .and_then(|e| experts.iter().find(|x| x.id == e.trim()));
            let status = e.status();
            let body = render(
                &app,
                &user,
                &ctx,
                &spec,
                &values,
                &options,
                &experts,
                expert,
                Some(&e),
            );
            Ok((status, body).into_response())
        }
    }
}

// ---- 新建 ----

/// "新建": the processes the user can open a case of, with their opening actions. The
/// application's form has its own page, laid out as the annex of 000 (`ui::apply`).
async fn new_index(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let list = cases::openable(&app, &user);
    let body = html! {
        h1 { "新建案件" }
        @for (p, specs) in &list {
            section.card {
                h2 { (p.name_zh()) }
                ul.action-list {
                    @for s in specs {
                        li { a.button href=(opening_href(*p, &s.id)) { (s.label) } " " small { "（" (citation_words(&s.article)) "）" } }
                    }
                }
            }
        }
        @if list.is_empty() { p.empty { "您的角色不能新建案件。" } }
    };
    Ok(page(&app, &user, "新建案件", "new", body))
}

/// Where an opening action's form is: the annex form for an application, else its own form.
fn opening_href(p: &dyn CaseType, action: &str) -> String {
    if has_own_page(p, action) {
        "/cases/new".to_string()
    } else {
        format!("/new/{}/{action}", p.kind())
    }
}

/// Whether an opening action has a page of its own: a form that carries facts answered from
/// its pack (the application's, filed on the annex form of 000 with its interview).
fn has_own_page(p: &dyn CaseType, action: &str) -> bool {
    let everyone = lvzhi_processes::Actor::new("", &[lvzhi_processes::Role::Office], "");
    let calendar = lvzhi_calendar::Calendar::embedded();
    let ctx = lvzhi_processes::Ctx::new(
        chrono::NaiveDate::MIN,
        &calendar,
        lvzhi_processes::Periods::none(),
    );
    p.opening_actions(&everyone, &ctx)
        .iter()
        .any(|s| s.id == action && has_kind(&s.fields, &|k| matches!(k, FieldKind::Facts)))
}

fn opening(
    app: &App,
    user: &User,
    kind: &str,
    action: &str,
) -> Result<(&'static dyn CaseType, ActionSpec), AppError> {
    let p = lvzhi_processes::registry::by_kind(kind)
        .ok_or_else(|| AppError::NotFound(format!("案件类型“{kind}”不存在")))?;
    let spec = cases::opening(app, user, p, action).ok_or_else(|| {
        AppError::Forbidden(format!("您的角色不能办理“{}”的这一立案事项", p.name_zh()))
    })?;
    Ok((p, spec))
}

#[allow(clippy::too_many_arguments)]
fn new_body(
    app: &App,
    user: &User,
    p: &dyn CaseType,
    spec: &ActionSpec,
    values: &FormValues,
    options: &FormOptions,
    error: Option<&AppError>,
) -> Markup {
    let intro = p.intro(&spec.id);
    let draw = Draw {
        app,
        spec,
        values,
        options,
        ctx: None,
        expert: None,
    };
    html! {
        p.noprint { a href="/new" { "← 新建案件" } }
        div.case-head { h1 { (spec.label) } p { (p.name_zh()) " · 依据" (citation_words(&spec.article)) } }
        (error_box(error))
        section.card.act-form {
            @if !intro.is_empty() { p.intro { (intro) } }
            (draw.form(user, &format!("/new/{}/{}", p.kind(), spec.id), None, "/new"))
        }
    }
}

async fn new_form(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path((kind, action)): Path<(String, String)>,
) -> PageResult {
    let (p, spec) = opening(&app, &user, &kind, &action)?;
    if has_own_page(p, &action) {
        return Ok(Redirect::to("/cases/new").into_response());
    }
    let (options, _) = options(&app, &user, None, &spec).await?;
    // The officer's own form starts with themself and their unit.
    let mut values = FormValues::default();
    if user.has_role("officer") {
        values.push("officer", user.person.id.clone());
        values.push("unit", user.person.org_id.clone());
        values.push("source", "officer");
    }
    let body = new_body(&app, &user, p, &spec, &values, &options, None);
    Ok(page(&app, &user, &spec.label, "new", body))
}

async fn new_submit(
    State(app): State<App>,
    Path((kind, action)): Path<(String, String)>,
    PageForm { user, values }: PageForm,
) -> PageResult {
    let (p, spec) = opening(&app, &user, &kind, &action)?;
    let (options, _) = options(&app, &user, None, &spec).await?;
    let no_facts = |_: &FormValues| Ok(serde_json::Map::new());
    let result = match form::build(&spec, &values, &options, &no_facts) {
        Ok(command) => match p.parse_command(&command) {
            Ok(_) => cases::create(&app, &user, p, &command).await,
            Err(e) => Err(form::explain(&spec, &e)),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => {
            Ok(Redirect::to(&format!("/cases/{}?msg=recorded", created.case_id)).into_response())
        }
        Err(e @ (AppError::Unauthenticated | AppError::Internal(_) | AppError::Startup(_))) => {
            Err(e.into())
        }
        Err(e) => {
            let body = new_body(&app, &user, p, &spec, &values, &options, Some(&e));
            Ok((e.status(), page(&app, &user, &spec.label, "new", body)).into_response())
        }
    }
}
