//! 组织机构: the organisation tree; add, rename, re-classify and move an organisation.
//!
//! The tree is what every access decision walks (a committee sees its subtree, an
//! administrator keeps theirs), so a move that would put an organisation under itself or one
//! of its descendants is refused before anything is written.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lvzhi_store::OrgRecord;
use maud::html;

use super::{
    admin_page, check_id, check_name, error_box, indent, notice, org_options, refused,
    require_admin, require_org, require_top, tree_order, Msg, Refusal, Scope,
};
use crate::app::App;
use crate::auth::PageForm;
use crate::auth::User;
use crate::cases::form::FormValues;
use crate::error::AppError;
use crate::ui::lawyers::{self, Shortfall};
use crate::ui::{csrf_field, PageResult, PageUser};

/// Kinds of organisation (the bodies the seed regulations cover, and their departments).
pub(super) const ORG_KINDS: &[(&str, &str)] = &[
    ("police", "公安机关"),
    ("prison", "监狱"),
    ("enforcement", "行政执法机关"),
    ("department", "内设部门"),
    ("other", "其他"),
];

/// The Chinese name of an organisation kind (the id itself when unknown).
pub(super) fn kind_zh(id: &str) -> &str {
    ORG_KINDS
        .iter()
        .find(|(k, _)| *k == id)
        .map(|(_, zh)| *zh)
        .unwrap_or(id)
}

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/orgs", get(list_page).post(add))
        .route("/admin/orgs/{id}", get(edit_page).post(edit))
        .route("/admin/orgs/{id}/packs", axum::routing::post(set_packs))
}

/// The fields of the add / edit form, as typed (re-shown when refused).
#[derive(Default)]
struct OrgForm {
    id: String,
    name: String,
    kind: String,
    parent: String,
}

impl OrgForm {
    fn from(f: &FormValues) -> Self {
        OrgForm {
            id: f.text("id"),
            name: f.text("name"),
            kind: f.text("kind"),
            parent: f.text("parent"),
        }
    }
}

fn kind_select(current: &str) -> maud::Markup {
    let known = ORG_KINDS.iter().any(|(k, _)| *k == current);
    html! {
        select name="kind" required {
            @if current.is_empty() { option value="" selected { "请选择" } }
            @for (id, zh) in ORG_KINDS { option value=(id) selected[*id == current] { (zh) } }
            @if !known && !current.is_empty() { option value=(current) selected { (current) } }
        }
    }
}

fn render_list(
    app: &App,
    user: &User,
    scope: &Scope,
    msg: Option<&str>,
    error: Option<&str>,
    f: &OrgForm,
    lawyers: &[Shortfall],
) -> Response {
    let dir = app.directory();
    let mut people: BTreeMap<&str, usize> = BTreeMap::new();
    for p in dir.people.values() {
        *people.entry(p.org_id.as_str()).or_default() += 1;
    }
    let rows = tree_order(&dir, &|id| scope.contains(id));
    admin_page(
        app,
        user,
        "组织机构",
        "orgs",
        html! {
            (notice(msg))
            h1 { "组织机构" }
            (lawyers::warning(&app.packs(), lawyers))
            div.columns {
                div.main-col {
                    section.card {
                        h2 { "机构树" }
                        @if rows.is_empty() { p.empty { "您的管理范围内尚无机构。" } }
                        @else {
                            table.list {
                                thead { tr { th { "名称" } th { "标识" } th { "类别" } th { "人员" } th { "操作" } } }
                                tbody {
                                    @for (depth, o) in &rows {
                                        tr {
                                            td { (indent(*depth)) (o.name) }
                                            td { code { (o.id) } }
                                            td { (kind_zh(&o.kind)) }
                                            td { (people.get(o.id.as_str()).copied().unwrap_or(0)) }
                                            td {
                                                a href={ "/admin/orgs/" (o.id) } { "修改" }
                                                " · "
                                                a href={ "/admin/people?org=" (o.id) } { "人员" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                aside.side-col {
                    section.card {
                        h2 { "新增机构" }
                        (error_box(error))
                        form method="post" action="/admin/orgs" {
                            (csrf_field(user))
                            label { "上级机构"
                                select name="parent" {
                                    @if scope.top { option value="" selected[f.parent.is_empty()] { "（无，作为顶层机构）" } }
                                    (org_options(&dir, scope, &f.parent))
                                }
                            }
                            label { "机构名称" input name="name" value=(f.name) maxlength="100" required; }
                            label { "机构类别" (kind_select(&f.kind)) }
                            label { "机构标识（英文字母、数字、_ 或 -，创建后不可修改）"
                                input name="id" value=(f.id) maxlength="64" pattern="[A-Za-z0-9_\\-]+" required; }
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
    Query(q): Query<Msg>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let lawyers = lawyers::shortfalls(&app, |id| scope.contains(id)).await?;
    Ok(render_list(
        &app,
        &user,
        &scope,
        q.msg.as_deref(),
        None,
        &OrgForm::default(),
        &lawyers,
    ))
}

/// Name and kind; an existing organisation may keep a kind this list does not know.
fn check_fields(f: &OrgForm, current_kind: Option<&str>) -> Result<(), Refusal> {
    check_name("机构名称", &f.name, 100)?;
    if ORG_KINDS.iter().any(|(k, _)| *k == f.kind) || current_kind == Some(f.kind.as_str()) {
        Ok(())
    } else {
        Err(Refusal::bad("请选择机构类别"))
    }
}

/// Checks a new organisation; `Err(Ok(_))` is a refused form, `Err(Err(_))` a refused user.
async fn check_new(
    app: &App,
    user: &User,
    scope: &Scope,
    f: &OrgForm,
) -> Result<Result<(), Refusal>, AppError> {
    if !f.parent.is_empty() {
        if app.store().org(&f.parent).await?.is_none() {
            return Ok(Err(Refusal::bad(format!("上级机构“{}”不存在", f.parent))));
        }
        require_org(app, user, &f.parent)?;
    } else {
        require_top(scope, "顶层机构")?;
    }
    if let Err(r) = check_fields(f, None).and_then(|()| check_id("机构标识", &f.id)) {
        return Ok(Err(r));
    }
    if let Some(existing) = app.store().org(&f.id).await? {
        return Ok(Err(Refusal::conflict(format!(
            "机构标识“{}”已被“{}”使用，请换一个标识",
            f.id, existing.name
        ))));
    }
    Ok(Ok(()))
}

async fn add(State(app): State<App>, PageForm { user, values: form }: PageForm) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let f = OrgForm::from(&form);
    if let Err(r) = check_new(&app, &user, &scope, &f).await? {
        let lawyers = lawyers::shortfalls(&app, |id| scope.contains(id)).await?;
        let page = render_list(&app, &user, &scope, None, Some(&r.message), &f, &lawyers);
        return Ok(refused(r.status, page));
    }
    let record = OrgRecord {
        id: f.id.clone(),
        parent_id: (!f.parent.is_empty()).then(|| f.parent.clone()),
        name: f.name.clone(),
        kind: f.kind.clone(),
    };
    if let Err(e) = app.store().put_org(&user.person.id, &record).await {
        let r = Refusal::from_app(e.into())?;
        let lawyers = lawyers::shortfalls(&app, |id| scope.contains(id)).await?;
        let page = render_list(&app, &user, &scope, None, Some(&r.message), &f, &lawyers);
        return Ok(refused(r.status, page));
    }
    app.reload_directory().await?;
    Ok(Redirect::to("/admin/orgs?msg=added").into_response())
}

async fn load(app: &App, id: &str) -> Result<OrgRecord, AppError> {
    app.store()
        .org(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("组织机构“{id}”不存在")))
}

/// 适用规定: what governs the organisation, where it comes from, and the form that sets its own
/// (issue 20). The page shows the resolution the service uses for a new case.
fn packs_card(app: &App, user: &User, org: &OrgRecord, error: Option<&str>) -> maud::Markup {
    let v = crate::bindings::view(app, &org.id);
    let packs = app.packs();
    let all: Vec<(String, String)> = packs
        .packs()
        .map(|p| (p.meta.id.clone(), p.meta.title.clone()))
        .collect();
    let shown = |b: &Option<crate::bindings::BoundView>| {
        html! {
            @match b {
                None => { span.muted { "未设定" } }
                Some(b) => {
                    @for (i, p) in b.packs.iter().enumerate() {
                        @if i > 0 { "、" }
                        "《" (p.title) "》"
                        @if !p.version.is_empty() { small.muted { "（" (p.version) "版）" } }
                    }
                    @if b.inherited { " " small.muted { "继承自" (b.from_org_name) } }
                    @else { " " small.muted { "本机构设定" } }
                }
            }
        }
    };
    html! {
        section.card id="packs" {
            h2 { "适用规定" }
            (error_box(error))
            dl.grid {
                dt { "程序规定" } dd { (shown(&v.procedure)) }
                dt { "认定规定" } dd { (shown(&v.rules)) }
            }
            @if v.procedure.is_none() && v.rules.is_none() {
                p.hint { "本机构及其上级机构均未设定适用的规定：新立案件依各程序自身的规定办理。请为本机构或其上级机构设定。" }
            }
            form method="post" action={ "/admin/orgs/" (org.id) "/packs" } {
                (csrf_field(user))
                label { "程序规定（本机构办理免责容错等案件所依照的程序）"
                    select name="procedure" {
                        option value="" selected[v.own_procedure.is_none()] { "（继承上级机构）" }
                        @for (id, title) in &all {
                            option value=(id) selected[v.own_procedure.as_deref() == Some(id.as_str())] { "《" (title) "》" }
                        }
                    }
                }
                fieldset {
                    legend { "认定规定（评价本机构人员所依据的规定；均不选则继承上级机构）" }
                    @for (id, title) in &all {
                        label.check {
                            input type="checkbox" name="rules" value=(id) checked[v.own_rules.contains(id)];
                            " 《" (title) "》"
                        }
                    }
                }
                p.hint { "下级机构未自行设定的，随本机构适用。已立案件仍依其立案时记录的规定办理，不受此处调整影响。" }
                div.buttons { button.primary type="submit" { "保存适用规定" } }
            }
        }
    }
}

async fn set_packs(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let org = load(&app, &id).await?;
    require_org(&app, &user, &org.id)?;
    let procedure = form.text("procedure");
    let rules: Vec<String> = form.all("rules").iter().map(|r| r.to_string()).collect();
    let procedure = (!procedure.is_empty()).then_some(procedure.as_str());
    if let Err(e) = crate::bindings::set(&app, &user, &org.id, procedure, &rules).await {
        let r = Refusal::from_app(e)?;
        let f = OrgForm {
            id: org.id.clone(),
            name: org.name.clone(),
            kind: org.kind.clone(),
            parent: org.parent_id.clone().unwrap_or_default(),
        };
        let page = render_edit_with(&app, &user, &scope, &org, None, None, Some(&r.message), &f);
        return Ok(refused(r.status, page));
    }
    Ok(Redirect::to(&format!("/admin/orgs/{}?msg=saved#packs", org.id)).into_response())
}

fn render_edit(
    app: &App,
    user: &User,
    scope: &Scope,
    org: &OrgRecord,
    error: Option<&str>,
    f: &OrgForm,
) -> Response {
    render_edit_with(app, user, scope, org, None, error, None, f)
}

#[allow(clippy::too_many_arguments)]
fn render_edit_with(
    app: &App,
    user: &User,
    scope: &Scope,
    org: &OrgRecord,
    msg: Option<&str>,
    error: Option<&str>,
    packs_error: Option<&str>,
    f: &OrgForm,
) -> Response {
    let dir = app.directory();
    let mut path = Vec::new();
    let mut at = org.parent_id.clone();
    while let Some(p) = at {
        if path.len() > dir.orgs.len() {
            break;
        }
        path.push(dir.org_name(&p));
        at = dir.orgs.get(&p).and_then(|o| o.parent_id.clone());
    }
    path.reverse();
    let children: Vec<&OrgRecord> = dir
        .orgs
        .values()
        .filter(|o| o.parent_id.as_deref() == Some(org.id.as_str()))
        .collect();
    // Only organisations outside this one's subtree can be its parent (000: one tree).
    let below = dir.tree.subtree(&org.id);
    let parent_scope = Scope {
        orgs: scope
            .orgs
            .iter()
            .filter(|o| !below.contains(o))
            .cloned()
            .collect(),
        top: scope.top,
    };
    // A refused parent (say, a descendant) is not among the choices: show the current one
    // again rather than letting the browser fall back to the first option.
    let current_parent = org.parent_id.clone().unwrap_or_default();
    let offered = (f.parent.is_empty() && (scope.top || org.parent_id.is_none()))
        || parent_scope.contains(&f.parent)
        || f.parent == current_parent;
    let selected = if offered { &f.parent } else { &current_parent };
    admin_page(
        app,
        user,
        &format!("修改机构 {}", org.name),
        "orgs",
        html! {
            p.noprint { a href="/admin/orgs" { "← 返回机构树" } }
            (notice(msg))
            h1 { (org.name) " " small { code { (org.id) } } }
            section.card {
                dl.grid {
                    dt { "上级机构" } dd { @if path.is_empty() { "（顶层机构）" } @else { (path.join(" › ")) } }
                    dt { "下级机构" } dd {
                        @if children.is_empty() { "无" }
                        @for (i, c) in children.iter().enumerate() { @if i > 0 { "、" } (c.name) }
                    }
                    dt { "人员" } dd { a href={ "/admin/people?org=" (org.id) } { "查看本机构人员" } }
                }
            }
            section.card {
                h2 { "更名、调整类别或上级机构" }
                (error_box(error))
                form method="post" action={ "/admin/orgs/" (org.id) } {
                    (csrf_field(user))
                    label { "机构名称" input name="name" value=(f.name) maxlength="100" required; }
                    label { "机构类别" (kind_select(&f.kind)) }
                    label { "上级机构"
                        select name="parent" {
                            @if scope.top || org.parent_id.is_none() {
                                option value="" selected[selected.is_empty()] { "（无，作为顶层机构）" }
                            }
                            @if let Some(p) = &org.parent_id {
                                @if !scope.contains(p) {
                                    option value=(p) selected[selected == p] { (dir.org_name(p)) "（当前，不在您的管理范围内）" }
                                }
                            }
                            (org_options(&dir, &parent_scope, selected))
                        }
                    }
                    p.hint { "调整上级机构会改变该机构及其全部下级机构的案件可见范围和管理范围。" }
                    div.buttons { button.primary type="submit" { "保存" } }
                }
            }
            (packs_card(app, user, org, packs_error))
        },
    )
}

async fn edit_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Query(q): Query<Msg>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let org = load(&app, &id).await?;
    require_org(&app, &user, &org.id)?;
    let f = OrgForm {
        id: org.id.clone(),
        name: org.name.clone(),
        kind: org.kind.clone(),
        parent: org.parent_id.clone().unwrap_or_default(),
    };
    Ok(render_edit_with(
        &app,
        &user,
        &scope,
        &org,
        q.msg.as_deref(),
        None,
        None,
        &f,
    ))
}

/// Whether `candidate` is `org` itself or below it, over the stored parents (not the cache).
fn is_within(parents: &BTreeMap<String, Option<String>>, candidate: &str, org: &str) -> bool {
    let mut at = Some(candidate.to_string());
    let mut steps = 0;
    while let Some(cur) = at {
        if cur == org {
            return true;
        }
        steps += 1;
        if steps > parents.len() {
            // Already a cycle in storage: treat as within, so nothing is made worse.
            return true;
        }
        at = parents.get(&cur).cloned().flatten();
    }
    false
}

async fn check_edit(
    app: &App,
    user: &User,
    scope: &Scope,
    org: &OrgRecord,
    f: &OrgForm,
) -> Result<Result<(), Refusal>, AppError> {
    let new_parent = (!f.parent.is_empty()).then_some(f.parent.as_str());
    if new_parent != org.parent_id.as_deref() {
        match new_parent {
            None => require_top(scope, "顶层机构")?,
            Some(p) => {
                let all = app.store().orgs().await?;
                let parents: BTreeMap<String, Option<String>> = all
                    .iter()
                    .map(|o| (o.id.clone(), o.parent_id.clone()))
                    .collect();
                let Some(parent) = all.iter().find(|o| o.id == p) else {
                    return Ok(Err(Refusal::bad(format!("上级机构“{p}”不存在"))));
                };
                require_org(app, user, p)?;
                if is_within(&parents, p, &org.id) {
                    return Ok(Err(Refusal::conflict(format!(
                        "不能将“{}”调整到“{}”之下：“{}”是该机构本身或其下级机构，上下级关系将构成循环",
                        org.name, parent.name, parent.name
                    ))));
                }
            }
        }
    }
    Ok(check_fields(f, Some(&org.kind)))
}

async fn edit(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let org = load(&app, &id).await?;
    require_org(&app, &user, &org.id)?;
    let f = OrgForm {
        id: org.id.clone(),
        ..OrgForm::from(&form)
    };
    if let Err(r) = check_edit(&app, &user, &scope, &org, &f).await? {
        let page = render_edit(&app, &user, &scope, &org, Some(&r.message), &f);
        return Ok(refused(r.status, page));
    }
    let record = OrgRecord {
        id: org.id.clone(),
        parent_id: (!f.parent.is_empty()).then(|| f.parent.clone()),
        name: f.name.clone(),
        kind: f.kind.clone(),
    };
    if record.parent_id == org.parent_id && record.name == org.name && record.kind == org.kind {
        return Ok(Redirect::to("/admin/orgs?msg=saved").into_response());
    }
    if let Err(e) = app.store().put_org(&user.person.id, &record).await {
        let r = Refusal::from_app(e.into())?;
        let page = render_edit(&app, &user, &scope, &org, Some(&r.message), &f);
        return Ok(refused(r.status, page));
    }
    app.reload_directory().await?;
    Ok(Redirect::to("/admin/orgs?msg=saved").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_under_oneself_or_a_descendant_is_within() {
        let parents: BTreeMap<String, Option<String>> = [
            ("root", None),
            ("a", Some("root")),
            ("b", Some("a")),
            ("c", Some("root")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
        .collect();
        assert!(is_within(&parents, "a", "a"));
        assert!(is_within(&parents, "b", "a"));
        assert!(!is_within(&parents, "c", "a"));
        assert!(!is_within(&parents, "root", "a"));
        assert_eq!(kind_zh("prison"), "监狱");
        assert_eq!(kind_zh("x"), "x");
    }
}
