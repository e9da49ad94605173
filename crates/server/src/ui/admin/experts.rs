//! 专家库: the people a committee may invite to a major or complex review (000 §18), each with
//! their category (the six of 000 §18), affiliation, and which of the seven conditions of
//! 000 §19 are recorded as met. The workflow checks the conditions again when a participant is
//! approved for a case; the pool is where the office finds eligible people.
//!
//! The pool is shared by every committee of the tree, so it is kept by the administrators of a
//! top-level organisation; every administrator may consult it.
//!
//! A lawyer of the pool may also be recorded as retained by an organisation (聘请律师, 001 §26
//! "各级公安机关聘请律师不少于2人"): an active member of the 法学专家、知名律师 category with a
//! 聘请单位 counts towards that organisation's two (see `ui::lawyers`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lvzhi_store::{ExpertRecord, LAWYER_CATEGORY};
use lvzhi_workflow::Eligibility;
use maud::{html, Markup};

use super::people::person_options;
use super::{
    admin_page, check_name, check_text, error_box, notice, org_options, refused, require_admin,
    require_org, require_top, Msg, Refusal, Scope,
};
use crate::app::App;
use crate::auth::PageForm;
use crate::auth::{self, User};
use crate::cases::form::FormValues;
use crate::error::AppError;
use crate::ui::{csrf_field, PageResult, PageUser};

/// The six categories of 000 §18, by the ids of `lvzhi_workflow::ExternalCategory`.
pub(super) const CATEGORIES: &[(&str, &str)] = &[
    ("deputy", "党代会代表、人大代表、政协委员"),
    (
        "political_legal_staff",
        "党委政法委、检察机关、审判机关工作人员",
    ),
    ("legal_expert", "法学专家、知名律师、相关领域专业人员"),
    ("frontline_officer", "公安机关基层民警代表"),
    ("public_representative", "人民群众代表"),
    ("other", "其他相关人员"),
];

/// The seven conditions of 000 §19, by the field ids of `lvzhi_workflow::Eligibility`.
pub(super) const CONDITIONS: &[(&str, &str)] = &[
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
        "（六）与申请人、申请单位或者审查论证事项无利害关系，无应当回避的情形",
    ),
    (
        "confidentiality",
        "（七）能够保守国家秘密、警务秘密和个人隐私",
    ),
];

pub(super) fn category_zh(id: &str) -> &str {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == id)
        .map(|(_, zh)| *zh)
        .unwrap_or(id)
}

/// The conditions recorded as met in a stored `eligibility` value (absent = not met).
fn met(eligibility: &serde_json::Value) -> Vec<&'static str> {
    CONDITIONS
        .iter()
        .filter(|(id, _)| {
            eligibility
                .get(id)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        })
        .map(|(id, _)| *id)
        .collect()
}

/// The stored form of the ticked conditions: the workflow's `Eligibility`, so a case can take
/// it over as is.
fn eligibility_json(ticked: &[&str]) -> Result<serde_json::Value, AppError> {
    let mut e = serde_json::to_value(Eligibility::default()).map_err(AppError::internal)?;
    if let Some(obj) = e.as_object_mut() {
        for (id, _) in CONDITIONS {
            obj.insert(
                (*id).to_string(),
                serde_json::Value::Bool(ticked.contains(id)),
            );
        }
    }
    Ok(e)
}

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/experts", get(list_page).post(add))
        .route("/admin/experts/{id}", get(edit_page).post(edit))
}

struct ExpertForm {
    name: String,
    category: String,
    affiliation: String,
    conditions: Vec<String>,
    person: String,
    note: String,
    active: bool,
    /// The organisation retaining the lawyer (001 §26), empty for none.
    retained_by: String,
}

impl Default for ExpertForm {
    fn default() -> Self {
        ExpertForm {
            name: String::new(),
            category: String::new(),
            affiliation: String::new(),
            conditions: Vec::new(),
            person: String::new(),
            note: String::new(),
            active: true,
            retained_by: String::new(),
        }
    }
}

impl ExpertForm {
    fn from(f: &FormValues) -> Self {
        ExpertForm {
            name: f.text("name"),
            category: f.text("category"),
            affiliation: f.text("affiliation"),
            conditions: f.all("condition").into_iter().map(str::to_string).collect(),
            person: f.text("person"),
            note: f.text("note"),
            active: f.get("active").is_some(),
            retained_by: f.text("retained_by"),
        }
    }

    fn of(e: &ExpertRecord) -> Self {
        ExpertForm {
            name: e.name.clone(),
            category: e.category.clone(),
            affiliation: e.affiliation.clone(),
            conditions: met(&e.eligibility)
                .into_iter()
                .map(str::to_string)
                .collect(),
            person: e.person_id.clone().unwrap_or_default(),
            note: e.note.clone(),
            active: e.active,
            retained_by: e.retained_by.clone().unwrap_or_default(),
        }
    }
}

fn form_fields(app: &App, scope: &Scope, f: &ExpertForm, current_person: Option<&str>) -> Markup {
    let dir = app.directory();
    html! {
        label { "姓名" input name="name" value=(f.name) maxlength="50" required; }
        label { "类别（000 §18）"
            select name="category" required {
                option value="" selected[f.category.is_empty()] { "请选择" }
                @for (id, zh) in CATEGORIES { option value=(id) selected[*id == f.category] { (zh) } }
            }
        }
        label { "工作单位及职务" input name="affiliation" value=(f.affiliation) maxlength="200"; }
        fieldset {
            legend { "参与审查论证人员应当符合的条件（000 §19），逐项核实后勾选" }
            @for (id, zh) in CONDITIONS {
                label.check {
                    input type="checkbox" name="condition" value=(id) checked[f.conditions.iter().any(|c| c == id)];
                    (zh)
                }
            }
        }
        label { "关联系统人员（可不选；被批准参与案件时以该人员身份查看案件）"
            select name="person" {
                option value="" selected[f.person.is_empty()] { "不关联" }
                @if let Some(p) = current_person {
                    @if !scope.contains(dir.people.get(p).map(|x| x.org_id.as_str()).unwrap_or_default()) {
                        option value=(p) selected[f.person == p] { (dir.person_name(p)) "（当前关联）" }
                    }
                }
                (person_options(&dir, scope, &f.person))
            }
        }
        label { "聘请单位（001 §26：作为该单位聘请的律师，类别须为法学专家、知名律师）"
            select name="retained_by" {
                option value="" selected[f.retained_by.is_empty()] { "不是聘请律师" }
                @if !f.retained_by.is_empty() && !scope.contains(&f.retained_by) {
                    option value=(f.retained_by) selected { (dir.org_name(&f.retained_by)) }
                }
                (org_options(&dir, scope, &f.retained_by))
            }
        }
        label { "备注" textarea name="note" maxlength="1000" { (f.note) } }
        label.check { input type="checkbox" name="active" value="1" checked[f.active]; "在库（可被邀请）" }
    }
}

fn render_list(
    app: &App,
    user: &User,
    scope: &Scope,
    msg: Option<&str>,
    error: Option<&str>,
    experts: &[ExpertRecord],
    f: &ExpertForm,
) -> Response {
    let dir = app.directory();
    admin_page(
        app,
        user,
        "专家库",
        "experts",
        html! {
            (notice(msg))
            h1 { "专家库" }
            p.hint { "对于案情重大、情况复杂、有较大影响的申请事项，经本级维权委主任或者副主任批准，审查论证工作可以邀请下列人员参与（000 §18）；参与人员应当符合 000 §19 规定的七项条件。" }
            div.columns {
                div.main-col {
                    @if experts.is_empty() { p.empty { "专家库中尚无人员。" } }
                    @else {
                        table.list {
                            thead { tr { th { "姓名" } th { "类别" } th { "工作单位" } th { "七项条件" } th { "关联人员" } th { "聘请单位" } th { "状态" } } }
                            tbody {
                                @for e in experts {
                                    @let unmet = CONDITIONS.len() - met(&e.eligibility).len();
                                    tr {
                                        td { a href={ "/admin/experts/" (e.id) } { (e.name) } }
                                        td { (category_zh(&e.category)) }
                                        td { (e.affiliation) }
                                        td { @if unmet == 0 { span.ok-text { "均已核实" } } @else { span.bad-text { (unmet) " 项未核实" } } }
                                        td { @if let Some(p) = &e.person_id { (dir.person_name(p)) } @else { "—" } }
                                        td { @if let Some(o) = &e.retained_by { (dir.org_name(o)) } @else { "—" } }
                                        td { @if e.active { "在库" } @else { span.empty { "停用" } } }
                                    }
                                }
                            }
                        }
                    }
                }
                aside.side-col {
                    section.card {
                        h2 { "新增人员" }
                        @if scope.top {
                            (error_box(error))
                            form method="post" action="/admin/experts" {
                                (csrf_field(user))
                                (form_fields(app, scope, f, None))
                                div.buttons { button.primary type="submit" { "新增" } }
                            }
                        } @else {
                            p.hint { "专家库由全系统共用，只有顶层机构的系统管理员可以修改。" }
                        }
                    }
                }
            }
        },
    )
}

async fn experts(app: &App) -> Result<Vec<ExpertRecord>, AppError> {
    let mut v = app.store().experts().await?;
    v.sort_by(|a, b| (!a.active, &a.name, &a.id).cmp(&(!b.active, &b.name, &b.id)));
    Ok(v)
}

async fn list_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(q): Query<Msg>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let all = experts(&app).await?;
    Ok(render_list(
        &app,
        &user,
        &scope,
        q.msg.as_deref(),
        None,
        &all,
        &ExpertForm::default(),
    ))
}

/// Checks the form; a newly linked person must be in the administrator's scope.
async fn check(
    app: &App,
    user: &User,
    f: &ExpertForm,
    current_person: Option<&str>,
) -> Result<Result<(), Refusal>, AppError> {
    if !f.person.is_empty() && Some(f.person.as_str()) != current_person {
        let Some(p) = app.store().person(&f.person).await? else {
            return Ok(Err(Refusal::bad(format!("关联人员“{}”不存在", f.person))));
        };
        require_org(app, user, &p.org_id)?;
    }
    let r = check_name("姓名", &f.name, 50)
        .and_then(|()| {
            if CATEGORIES.iter().any(|(c, _)| *c == f.category) {
                Ok(())
            } else {
                Err(Refusal::bad("请选择类别（000 §18 所列六类人员之一）"))
            }
        })
        .and_then(|()| check_text("工作单位及职务", &f.affiliation, 200, false))
        .and_then(|()| check_text("备注", &f.note, 1000, true))
        .and_then(|()| {
            if f.retained_by.is_empty() || f.category == LAWYER_CATEGORY {
                Ok(())
            } else {
                Err(Refusal::bad(
                    "聘请律师应当归入“法学专家、知名律师、相关领域专业人员”类别（001 §26）",
                ))
            }
        })
        .and_then(|()| {
            if f.retained_by.is_empty() || app.directory().orgs.contains_key(&f.retained_by) {
                Ok(())
            } else {
                Err(Refusal::bad(format!("聘请单位“{}”不存在", f.retained_by)))
            }
        })
        .and_then(|()| {
            match f
                .conditions
                .iter()
                .find(|c| !CONDITIONS.iter().any(|(id, _)| id == c))
            {
                Some(c) => Err(Refusal::bad(format!("条件“{c}”无效"))),
                None => Ok(()),
            }
        });
    Ok(r)
}

fn record(id: &str, f: &ExpertForm) -> Result<ExpertRecord, AppError> {
    let ticked: Vec<&str> = f.conditions.iter().map(String::as_str).collect();
    Ok(ExpertRecord {
        id: id.to_string(),
        name: f.name.clone(),
        category: f.category.clone(),
        affiliation: f.affiliation.clone(),
        eligibility: eligibility_json(&ticked)?,
        person_id: (!f.person.is_empty()).then(|| f.person.clone()),
        note: f.note.clone(),
        active: f.active,
        retained_by: (!f.retained_by.is_empty()).then(|| f.retained_by.clone()),
    })
}

async fn add(State(app): State<App>, PageForm { user, values: form }: PageForm) -> PageResult {
    let scope = require_admin(&app, &user)?;
    require_top(&scope, "专家库")?;
    let f = ExpertForm::from(&form);
    let refusal = match check(&app, &user, &f, None).await? {
        Err(r) => Some(r),
        Ok(()) => {
            // Pool entries are named by the system: nobody has to invent an id for a guest.
            let id = format!("expert-{}", &auth::random_token()[..12]);
            match app
                .store()
                .put_expert(&user.person.id, &record(&id, &f)?)
                .await
            {
                Ok(_) => None,
                Err(e) => Some(Refusal::from_app(e.into())?),
            }
        }
    };
    if let Some(r) = refusal {
        let all = experts(&app).await?;
        let page = render_list(&app, &user, &scope, None, Some(&r.message), &all, &f);
        return Ok(refused(r.status, page));
    }
    Ok(Redirect::to("/admin/experts?msg=added").into_response())
}

async fn load(app: &App, id: &str) -> Result<ExpertRecord, AppError> {
    app.store()
        .experts()
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| AppError::NotFound(format!("专家库中没有“{id}”")))
}

fn render_edit(
    app: &App,
    user: &User,
    scope: &Scope,
    e: &ExpertRecord,
    error: Option<&str>,
    f: &ExpertForm,
) -> Response {
    let unmet: Vec<&str> = CONDITIONS
        .iter()
        .filter(|(id, _)| !met(&e.eligibility).contains(id))
        .map(|(_, zh)| *zh)
        .collect();
    admin_page(
        app,
        user,
        &format!("专家库 {}", e.name),
        "experts",
        html! {
            p.noprint { a href="/admin/experts" { "← 返回专家库" } }
            h1 { (e.name) }
            @if !unmet.is_empty() {
                div.notice role="status" { "尚未核实的条件：" (unmet.join("；")) "。未全部符合 000 §19 条件的人员不能被批准参与审查论证。" }
            }
            section.card {
                @if scope.top {
                    (error_box(error))
                    form method="post" action={ "/admin/experts/" (e.id) } {
                        (csrf_field(user))
                        (form_fields(app, scope, f, e.person_id.as_deref()))
                        div.buttons { button.primary type="submit" { "保存" } }
                    }
                } @else {
                    dl.grid {
                        dt { "类别" } dd { (category_zh(&e.category)) }
                        dt { "工作单位" } dd { (e.affiliation) }
                        dt { "已核实的条件" } dd {
                            @for (id, zh) in CONDITIONS { @if met(&e.eligibility).contains(id) { (zh) br; } }
                        }
                        dt { "备注" } dd { (crate::ui::multiline(&e.note)) }
                        dt { "聘请单位" } dd { @if let Some(o) = &e.retained_by { (app.directory().org_name(o)) } @else { "—" } }
                        dt { "状态" } dd { @if e.active { "在库" } @else { "停用" } }
                    }
                    p.hint { "专家库由全系统共用，只有顶层机构的系统管理员可以修改。" }
                }
            }
        },
    )
}

async fn edit_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let e = load(&app, &id).await?;
    Ok(render_edit(
        &app,
        &user,
        &scope,
        &e,
        None,
        &ExpertForm::of(&e),
    ))
}

async fn edit(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, values: form }: PageForm,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    require_top(&scope, "专家库")?;
    let e = load(&app, &id).await?;
    let f = ExpertForm::from(&form);
    let refusal = match check(&app, &user, &f, e.person_id.as_deref()).await? {
        Err(r) => Some(r),
        Ok(()) => match app
            .store()
            .put_expert(&user.person.id, &record(&e.id, &f)?)
            .await
        {
            Ok(_) => None,
            Err(err) => Some(Refusal::from_app(err.into())?),
        },
    };
    if let Some(r) = refusal {
        let page = render_edit(&app, &user, &scope, &e, Some(&r.message), &f);
        return Ok(refused(r.status, page));
    }
    Ok(Redirect::to("/admin/experts?msg=saved").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_the_workflows_six() {
        for (id, _) in CATEGORIES {
            let c: Result<lvzhi_workflow::ExternalCategory, _> =
                serde_json::from_value(serde_json::Value::String((*id).to_string()));
            assert!(c.is_ok(), "{id}");
        }
        assert_eq!(CATEGORIES.len(), 6);
    }

    #[test]
    fn conditions_are_the_workflows_seven_and_round_trip() {
        let all: Vec<&str> = CONDITIONS.iter().map(|(id, _)| *id).collect();
        let v = eligibility_json(&all).unwrap_or_default();
        let e: Eligibility = serde_json::from_value(v.clone()).unwrap_or_default();
        assert!(e.unmet().is_empty());
        assert_eq!(met(&v).len(), 7);
        let v = eligibility_json(&["integrity"]).unwrap_or_default();
        let e: Eligibility = serde_json::from_value(v.clone()).unwrap_or_default();
        assert_eq!(e.unmet().len(), 6);
        assert_eq!(met(&v), vec!["integrity"]);
        let keys: Vec<String> = serde_json::to_value(Eligibility::default())
            .ok()
            .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
            .unwrap_or_default();
        assert_eq!(keys.len(), CONDITIONS.len());
        for k in keys {
            assert!(all.contains(&k.as_str()), "{k}");
        }
    }
}
