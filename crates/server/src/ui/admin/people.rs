//! 人员与角色: people by organisation; add and edit a person; set an initial password; disable
//! and enable an account; grant and revoke roles (role × organisation).
//!
//! An administrator acts on people of their own subtree only, and grants roles only at
//! organisations of their subtree. Initial passwords are marked must-change: outside demo mode
//! the person sets their own at first sign-in, so the administrator never knows a password in
//! use. Their own administrator role and account cannot be taken away by themselves (another
//! administrator does it), so no administrator locks the directory out by a slip.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lvzhi_access::{role_zh, ROLES};
use lvzhi_store::{GrantRecord, PersonRecord};
use maud::{html, Markup};
use serde::Deserialize;

use super::{
    admin_page, check_id, check_name, check_text, error_box, indent, notice, org_options, refused,
    require_admin, require_org, tree_order, Refusal, Scope,
};
use crate::app::App;
use crate::auth::PageForm;
use crate::auth::{self, User};
use crate::cases::form::FormValues;
use crate::error::AppError;
use crate::grants;
use crate::ui::{csrf_field, PageResult, PageUser};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/people", get(list_page).post(add))
        .route("/admin/people/{id}", get(person_page).post(edit))
        .route("/admin/people/{id}/password", post(set_password))
        .route("/admin/people/{id}/status", post(set_status))
        .route("/admin/people/{id}/grants", post(add_grant))
        .route("/admin/people/{id}/grants/revoke", post(revoke_grant))
}

#[derive(Default)]
struct PersonForm {
    id: String,
    name: String,
    title: String,
    org: String,
    login: String,
    password: String,
}

impl PersonForm {
    fn from(f: &FormValues) -> Self {
        PersonForm {
            id: f.text("id"),
            name: f.text("name"),
            title: f.text("title"),
            org: f.text("org"),
            login: f.text("login"),
            // Passwords are taken as typed: spaces may be part of them.
            password: f.get("password").unwrap_or_default().to_string(),
        }
    }

    fn of(p: &PersonRecord) -> Self {
        PersonForm {
            id: p.id.clone(),
            name: p.name.clone(),
            title: p.title.clone(),
            org: p.org_id.clone(),
            login: p.login.clone().unwrap_or_default(),
            password: String::new(),
        }
    }
}

/// A login name: what people type at the sign-in page, so plain ASCII without spaces.
fn check_login(login: &str) -> Result<(), Refusal> {
    if login.chars().count() > 64 {
        return Err(Refusal::bad("登录名不能超过 64 个字符"));
    }
    if let Some(c) = login
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@')))
    {
        let shown = if c.is_whitespace() {
            "空格".to_string()
        } else {
            format!("“{c}”")
        };
        return Err(Refusal::bad(format!(
            "登录名“{login}”无效：不能含有{shown}，只能由英文字母、数字和 _ - . @ 组成"
        )));
    }
    Ok(())
}

fn roles_of(grants: &[GrantRecord], dir: &crate::app::Directory) -> String {
    grants
        .iter()
        .map(|g| format!("{}（{}）", role_zh(&g.role), dir.org_name(&g.org_id)))
        .collect::<Vec<_>>()
        .join("；")
}

#[derive(Deserialize)]
struct ListQuery {
    org: Option<String>,
    msg: Option<String>,
}

fn render_list(
    app: &App,
    user: &User,
    scope: &Scope,
    filter: Option<&str>,
    msg: Option<&str>,
    error: Option<&str>,
    f: &PersonForm,
) -> Response {
    let dir = app.directory();
    let order: BTreeMap<&str, (usize, usize)> = tree_order(&dir, &|id| scope.contains(id))
        .into_iter()
        .enumerate()
        .map(|(i, (depth, o))| (o.id.as_str(), (i, depth)))
        .collect();
    let mut people: Vec<&PersonRecord> = dir
        .people
        .values()
        .filter(|p| scope.contains(&p.org_id))
        .filter(|p| filter.is_none_or(|o| p.org_id == o))
        .collect();
    people.sort_by_key(|p| (order.get(p.org_id.as_str()).map(|x| x.0), &p.name, &p.id));
    let selected_org = filter.unwrap_or_default();
    let default_org = if f.org.is_empty() {
        selected_org
    } else {
        f.org.as_str()
    };
    admin_page(
        app,
        user,
        "人员与角色",
        "people",
        html! {
            (notice(msg))
            h1 { "人员与角色" }
            form.filters method="get" action="/admin/people" {
                label { "所在机构"
                    select name="org" {
                        option value="" { "管理范围内全部机构" }
                        (org_options(&dir, scope, selected_org))
                    }
                }
                button type="submit" { "筛选" }
            }
            div.columns {
                div.main-col {
                    p.summary { "共 " (people.len()) " 人" }
                    @if people.is_empty() { p.empty { "没有人员。" } }
                    @else {
                        table.list {
                            thead { tr { th { "姓名" } th { "职务" } th { "所在机构" } th { "登录名" } th { "角色" } th { "状态" } } }
                            tbody {
                                @for p in &people {
                                    tr {
                                        td { a href={ "/admin/people/" (p.id) } { (p.name) } }
                                        td { (p.title) }
                                        td { (indent(order.get(p.org_id.as_str()).map(|x| x.1).unwrap_or(0))) (dir.org_name(&p.org_id)) }
                                        td { @if let Some(l) = &p.login { code { (l) } } @else { span.empty { "—" } } }
                                        td { (roles_of(dir.grants.get(&p.id).map(Vec::as_slice).unwrap_or(&[]), &dir)) }
                                        td { @if p.disabled { span.bad-text { "已停用" } } @else { "正常" } }
                                    }
                                }
                            }
                        }
                    }
                }
                aside.side-col {
                    section.card {
                        h2 { "新增人员" }
                        (error_box(error))
                        form method="post" action="/admin/people" {
                            (csrf_field(user))
                            label { "所在机构" select name="org" required { (org_options(&dir, scope, default_org)) } }
                            label { "姓名" input name="name" value=(f.name) maxlength="50" required; }
                            label { "职务" input name="title" value=(f.title) maxlength="100"; }
                            label { "人员标识（英文字母、数字、_ 或 -，创建后不可修改）"
                                input name="id" value=(f.id) maxlength="64" pattern="[A-Za-z0-9_\\-]+" required; }
                            label { "登录名（可不填；不填则不能登录）" input name="login" value=(f.login) maxlength="64" autocomplete="off"; }
                            label { "初始密码（可不填；至少 10 个字符，含字母和数字）"
                                input name="password" type="password" autocomplete="new-password"; }
                            p.hint { "初始密码须由本人在首次登录后修改。角色在新增后于人员页面授予。" }
                            div.buttons { button.primary type="submit" { "新增" } }
                        }
                    }
                }
            }
        },
    )
}

async fn list_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let filter = q.org.as_deref().filter(|o| !o.is_empty());
    if let Some(o) = filter {
        require_org(&app, &user, o)?;
    }
    Ok(render_list(
        &app,
        &user,
        &scope,
        filter,
        q.msg.as_deref(),
        None,
        &PersonForm::default(),
    ))
}

/// The checks shared by add and edit; `self_id` is the person being edited (None when new).
async fn check_person(
    app: &App,
    user: &User,
    f: &PersonForm,
    self_id: Option<&str>,
) -> Result<Result<(), Refusal>, AppError> {
    if app.store().org(&f.org).await?.is_none() {
        return Ok(Err(Refusal::bad(if f.org.is_empty() {
            "请选择所在机构".to_string()
        } else {
            format!("所在机构“{}”不存在", f.org)
        })));
    }
    require_org(app, user, &f.org)?;
    let fields = check_name("姓名", &f.name, 50)
        .and_then(|()| check_text("职务", &f.title, 100, false))
        .and_then(|()| match self_id {
            None => check_id("人员标识", &f.id),
            Some(_) => Ok(()),
        })
        .and_then(|()| {
            if f.login.is_empty() {
                Ok(())
            } else {
                check_login(&f.login)
            }
        });
    if let Err(r) = fields {
        return Ok(Err(r));
    }
    if self_id.is_none() {
        if let Some(p) = app.store().person(&f.id).await? {
            return Ok(Err(Refusal::conflict(format!(
                "人员标识“{}”已被“{}”使用，请换一个标识",
                f.id, p.name
            ))));
        }
    }
    if !f.login.is_empty() {
        let taken = app.store().people(None).await?.into_iter().find(|p| {
            p.login.as_deref() == Some(f.login.as_str()) && Some(p.id.as_str()) != self_id
        });
        if let Some(p) = taken {
            return Ok(Err(Refusal::conflict(format!(
                "登录名“{}”已被“{}”（{}）使用，请换一个登录名",
                f.login,
                p.name,
                app.directory().org_name(&p.org_id)
            ))));
        }
    }
    Ok(Ok(()))
}

fn check_password(login: &str, password: &str, repeat: Option<&str>) -> Result<(), Refusal> {
    if login.is_empty() {
        return Err(Refusal::bad(
            "该人员没有登录名，不能设置密码；请先填写登录名",
        ));
    }
    if let Some(r) = repeat {
        if r != password {
            return Err(Refusal::bad("两次输入的密码不一致"));
        }
    }
    auth::check_new_password(password).map_err(|e| Refusal::bad(e.to_string()))
}

async fn add(State(app): State<App>, PageForm { user, values: form }: PageForm) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let f = PersonForm::from(&form);
    let mut check = check_person(&app, &user, &f, None).await?;
    if check.is_ok() && !f.password.is_empty() {
        check = check_password(&f.login, &f.password, None);
    }
    let hash = match check {
        Err(r) => {
            let page = render_list(&app, &user, &scope, None, None, Some(&r.message), &f);
            return Ok(refused(r.status, page));
        }
        // Hashed before anything is written, so a failure here stores nothing.
        Ok(()) if !f.password.is_empty() => Some(auth::hash_password(&f.password)?),
        Ok(()) => None,
    };
    let record = PersonRecord {
        id: f.id.clone(),
        name: f.name.clone(),
        org_id: f.org.clone(),
        title: f.title.clone(),
        login: (!f.login.is_empty()).then(|| f.login.clone()),
        must_change_password: hash.is_some(),
        disabled: false,
    };
    if let Err(e) = app.store().put_person(&user.person.id, &record).await {
        let r = Refusal::from_app(e.into())?;
        let page = render_list(&app, &user, &scope, None, None, Some(&r.message), &f);
        return Ok(refused(r.status, page));
    }
    if let Some(h) = hash {
        app.store()
            .set_password(&user.person.id, &record.id, &h, true)
            .await?;
    }
    app.reload_directory().await?;
    Ok(Redirect::to(&format!("/admin/people/{}?msg=added", record.id)).into_response())
}

/// Messages for the sections of the person page (only the one refused is set).
#[derive(Default)]
struct Errors<'a> {
    edit: Option<&'a str>,
    password: Option<&'a str>,
    status: Option<&'a str>,
    grants: Option<&'a str>,
}

async fn load(app: &App, user: &User, id: &str) -> Result<PersonRecord, AppError> {
    let p = app
        .store()
        .person(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("人员“{id}”不存在")))?;
    require_org(app, user, &p.org_id)?;
    Ok(p)
}

#[allow(clippy::too_many_arguments)]
async fn render_person(
    app: &App,
    user: &User,
    scope: &Scope,
    p: &PersonRecord,
    msg: Option<&str>,
    errors: Errors<'_>,
    f: &PersonForm,
    grant: (&str, &str),
) -> Result<Response, AppError> {
    let dir = app.directory();
    let grants = app.store().grants_of(&p.id).await?;
    let tokens = app
        .store()
        .api_tokens()
        .await?
        .into_iter()
        .filter(|t| t.person_id == p.id && t.revoked_at.is_none())
        .count();
    let is_self = p.id == user.person.id;
    let body = html! {
        p.noprint { a href={ "/admin/people?org=" (p.org_id) } { "← 返回" (dir.org_name(&p.org_id)) "人员" } }
        (notice(msg))
        h1 { (p.name) " " small { code { (p.id) } } }
        div.columns {
            div.main-col {
                section.card {
                    h2 { "角色" }
                    (error_box(errors.grants))
                    @if grants.is_empty() { p.empty { "尚未授予任何角色：该人员登录后看不到任何案件。" } }
                    @else {
                        table.list {
                            thead { tr { th { "角色" } th { "机构" } th { "操作" } } }
                            tbody {
                                @for g in &grants {
                                    tr {
                                        td { (role_zh(&g.role)) }
                                        td { (dir.org_name(&g.org_id)) }
                                        td {
                                            @if scope.contains(&g.org_id) && !(is_self && g.role == "administrator") {
                                                form.inline method="post" action={ "/admin/people/" (p.id) "/grants/revoke" } {
                                                    (csrf_field(user))
                                                    input type="hidden" name="role" value=(g.role);
                                                    input type="hidden" name="org" value=(g.org_id);
                                                    button.danger type="submit" { "撤销" }
                                                }
                                            } @else if is_self && g.role == "administrator" {
                                                span.hint { "本人的管理员角色须由其他管理员撤销" }
                                            } @else {
                                                span.hint { "不在您的管理范围内" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    h3 { "授予角色" }
                    form method="post" action={ "/admin/people/" (p.id) "/grants" } {
                        (csrf_field(user))
                        label { "角色"
                            select name="role" required {
                                option value="" selected[grant.0.is_empty()] { "请选择" }
                                @for (id, zh) in ROLES { option value=(id) selected[*id == grant.0] { (zh) } }
                            }
                        }
                        label { "在哪个机构担任" select name="org" required { (org_options(&dir, scope, if grant.1.is_empty() { &p.org_id } else { grant.1 })) } }
                        p.hint { "角色决定可见和可办理的案件范围：如维权办工作人员可见本机构及下级机构的案件，审查论证组成员只见被指派的案件。" }
                        div.buttons { button.primary type="submit" { "授予" } }
                    }
                }
                section.card {
                    h2 { "基本信息" }
                    (error_box(errors.edit))
                    form method="post" action={ "/admin/people/" (p.id) } {
                        (csrf_field(user))
                        label { "姓名" input name="name" value=(f.name) maxlength="50" required; }
                        label { "职务" input name="title" value=(f.title) maxlength="100"; }
                        label { "所在机构" select name="org" required { (org_options(&dir, scope, &f.org)) } }
                        label { "登录名（不填则不能登录）" input name="login" value=(f.login) maxlength="64" autocomplete="off"; }
                        div.buttons { button.primary type="submit" { "保存" } }
                    }
                }
            }
            aside.side-col {
                section.card {
                    h2 { "账户" }
                    (error_box(errors.status))
                    dl.grid {
                        dt { "状态" } dd { @if p.disabled { span.bad-text { "已停用" } } @else { "正常" } }
                        dt { "初始密码" } dd { @if p.must_change_password { "尚未由本人修改" } @else { "—" } }
                        dt { "API 令牌" } dd { a href={ "/admin/tokens?person=" (p.id) } { "有效令牌 " (tokens) " 个" } }
                    }
                    @if !is_self {
                        form method="post" action={ "/admin/people/" (p.id) "/status" } {
                            (csrf_field(user))
                            @if p.disabled {
                                input type="hidden" name="op" value="enable";
                                div.buttons { button type="submit" { "启用账户" } }
                            } @else {
                                input type="hidden" name="op" value="disable";
                                div.buttons { button.danger type="submit" { "停用账户" } }
                                p.hint { "停用后该人员不能登录，其登录会话和 API 令牌立即失效；已有的案件记录不受影响。" }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "设置初始密码" }
                    (error_box(errors.password))
                    @if is_self {
                        p { "本人密码请在 " a href="/password" { "修改密码" } " 页面修改。" }
                    } @else {
                        form method="post" action={ "/admin/people/" (p.id) "/password" } {
                            (csrf_field(user))
                            label { "初始密码（至少 10 个字符，含字母和数字）" input name="password" type="password" autocomplete="new-password" required; }
                            label { "再次输入" input name="repeat" type="password" autocomplete="new-password" required; }
                            p.hint { "设置后，该人员原有的登录会话全部结束，首次登录须修改为本人密码。" }
                            div.buttons { button.primary type="submit" { "设置" } }
                        }
                    }
                }
            }
        }
    };
    Ok(admin_page(
        app,
        user,
        &format!("人员 {}", p.name),
        "people",
        body,
    ))
}

#[derive(Deserialize)]
struct PersonQuery {
    msg: Option<String>,
}

async fn person_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Query(q): Query<PersonQuery>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let p = load(&app, &user, &id).await?;
    Ok(render_person(
        &app,
        &user,
        &scope,
        &p,
        q.msg.as_deref(),
        Errors::default(),
        &PersonForm::of(&p),
        ("", ""),
    )
    .await?)
}

async fn edit(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let p = load(&app, &user, &id).await?;
    let f = PersonForm {
        id: p.id.clone(),
        ..PersonForm::from(&form)
    };
    let refusal = match check_person(&app, &user, &f, Some(&p.id)).await? {
        Err(r) => Some(r),
        Ok(()) => {
            let record = PersonRecord {
                id: p.id.clone(),
                name: f.name.clone(),
                org_id: f.org.clone(),
                title: f.title.clone(),
                login: (!f.login.is_empty()).then(|| f.login.clone()),
                must_change_password: p.must_change_password,
                disabled: p.disabled,
            };
            match app.store().put_person(&user.person.id, &record).await {
                Ok(_) => None,
                Err(e) => Some(Refusal::from_app(e.into())?),
            }
        }
    };
    if let Some(r) = refusal {
        let errors = Errors {
            edit: Some(&r.message),
            ..Errors::default()
        };
        let page = render_person(&app, &user, &scope, &p, None, errors, &f, ("", "")).await?;
        return Ok(refused(r.status, page));
    }
    app.reload_directory().await?;
    Ok(Redirect::to(&format!("/admin/people/{}?msg=saved", p.id)).into_response())
}

async fn set_password(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let p = load(&app, &user, &id).await?;
    let password = form.get("password").unwrap_or_default();
    let check = if p.id == user.person.id {
        Err(Refusal::bad("本人密码请在“修改密码”页面修改，不能在此设置"))
    } else {
        check_password(
            p.login.as_deref().unwrap_or_default(),
            password,
            Some(form.get("repeat").unwrap_or_default()),
        )
    };
    if let Err(r) = check {
        return refused_in(&app, &user, &scope, &p, Section::Password, r, ("", "")).await;
    }
    let hash = auth::hash_password(password)?;
    app.store()
        .set_password(&user.person.id, &p.id, &hash, true)
        .await?;
    // Whoever was signed in with the old password is signed out.
    app.store().delete_sessions_of(&p.id).await?;
    app.reload_directory().await?;
    Ok(Redirect::to(&format!("/admin/people/{}?msg=password_set", p.id)).into_response())
}

async fn set_status(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let p = load(&app, &user, &id).await?;
    let disable = match form.get("op") {
        Some("disable") => true,
        Some("enable") => false,
        _ => return Err(AppError::BadRequest("请选择停用或启用".to_string()).into()),
    };
    if disable && p.id == user.person.id {
        let r = Refusal::conflict("不能停用本人的账户，请由其他系统管理员办理");
        return refused_in(&app, &user, &scope, &p, Section::Status, r, ("", "")).await;
    }
    if p.disabled != disable {
        let record = PersonRecord {
            disabled: disable,
            ..p.clone()
        };
        app.store().put_person(&user.person.id, &record).await?;
        if disable {
            app.store().delete_sessions_of(&p.id).await?;
        }
        app.reload_directory().await?;
    }
    let msg = if disable { "disabled" } else { "enabled" };
    Ok(Redirect::to(&format!("/admin/people/{}?msg={msg}", p.id)).into_response())
}

/// The sections of the person page whose forms act on the person as stored.
#[derive(Clone, Copy)]
enum Section {
    Password,
    Status,
    Grants,
}

/// The person page again with the refusal in `section` (the edit form as stored, the grant
/// form refilled with `grant`).
async fn refused_in(
    app: &App,
    user: &User,
    scope: &Scope,
    p: &PersonRecord,
    section: Section,
    r: Refusal,
    grant: (&str, &str),
) -> PageResult {
    let message = Some(r.message.as_str());
    let mut errors = Errors::default();
    match section {
        Section::Password => errors.password = message,
        Section::Status => errors.status = message,
        Section::Grants => errors.grants = message,
    }
    let f = PersonForm::of(p);
    let page = render_person(app, user, scope, p, None, errors, &f, grant).await?;
    Ok(refused(r.status, page))
}

async fn add_grant(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let p = load(&app, &user, &id).await?;
    let (role, org) = (form.text("role"), form.text("org"));
    // The API's rules (crate::grants), refused on the page beside the form.
    let granted = match grants::to_grant(&app, &user, &p.id, &role, &org) {
        Ok(g) => app
            .store()
            .grant(&user.person.id, &g)
            .await
            .map_err(Into::into),
        Err(e) => Err(e),
    };
    if let Err(e) = granted {
        let r = Refusal::from_app(e)?;
        return refused_in(&app, &user, &scope, &p, Section::Grants, r, (&role, &org)).await;
    }
    app.reload_directory().await?;
    Ok(Redirect::to(&format!("/admin/people/{}?msg=granted", p.id)).into_response())
}

async fn revoke_grant(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let p = load(&app, &user, &id).await?;
    let (role, org) = (form.text("role"), form.text("org"));
    let g = match grants::to_revoke(&app, &user, &p.id, &role, &org) {
        Ok(g) => g,
        Err(e) => {
            let r = Refusal::from_app(e)?;
            return refused_in(&app, &user, &scope, &p, Section::Grants, r, ("", "")).await;
        }
    };
    app.store().revoke_grant(&user.person.id, &g).await?;
    app.reload_directory().await?;
    Ok(Redirect::to(&format!("/admin/people/{}?msg=revoked", p.id)).into_response())
}

/// The people an administrator may pick (linked expert, token holder): their scope, by name.
pub(super) fn people_in_scope<'a>(
    dir: &'a crate::app::Directory,
    scope: &Scope,
) -> Vec<&'a PersonRecord> {
    let mut v: Vec<&PersonRecord> = dir
        .people
        .values()
        .filter(|p| scope.contains(&p.org_id))
        .collect();
    v.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    v
}

/// `<option>`s of people in scope: "name（organisation）".
pub(super) fn person_options(dir: &crate::app::Directory, scope: &Scope, selected: &str) -> Markup {
    html! {
        @for p in people_in_scope(dir, scope) {
            option value=(p.id) selected[p.id == selected] { (p.name) "（" (dir.org_name(&p.org_id)) "）" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_plain_ascii_without_spaces() {
        assert!(check_login("zhang.san@als").is_ok());
        assert!(check_login("zhang san")
            .err()
            .is_some_and(|r| r.message.contains("空格")));
        assert!(check_login("张三").is_err());
    }

    #[test]
    fn passwords_need_a_login_and_the_rules() {
        assert!(check_password("", "letters and 123", None).is_err());
        assert!(check_password("zs", "short1", None).is_err());
        assert!(check_password("zs", "letters and 123", Some("other")).is_err());
        assert!(check_password("zs", "letters and 123", Some("letters and 123")).is_ok());
    }
}
