//! 我的待办: the open steps of the cases I may see that wait for someone in one of my roles,
//! each with its due date and the working days left, overdue first.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use maud::html;
use serde::{Deserialize, Serialize};

use super::{days_left, flash, page, PageResult, PageUser};
use crate::access;
use crate::app::App;
use crate::auth::User;
use crate::error::AppError;

pub fn routes() -> Router<App> {
    Router::new().route("/", get(inbox))
}

/// Who acts on each kind of open step (DESIGN §3): the roles whose holders see it in their
/// inbox. The workflow's guards still decide who may actually act.
pub fn step_roles(step: &str) -> &'static [&'static str] {
    match step {
        "acceptance" | "publicity" => &["office"],
        "opinion" => &[
            "office",
            "director",
            "deputy_director",
            "panel_member",
            "external_expert",
        ],
        "reconsideration_apply" | "re_review_apply" => &["officer", "unit"],
        "reconsideration_reply" => &["office", "director", "deputy_director"],
        "re_review_reply" => &["higher_committee", "office", "director", "deputy_director"],
        _ => &["office"],
    }
}

/// The Chinese name of a step id.
pub fn step_zh(step: &str) -> String {
    serde_json::from_value::<lvzhi_workflow::Step>(serde_json::Value::String(step.to_string()))
        .map(|s| s.zh().to_string())
        .unwrap_or_else(|_| step.to_string())
}

/// The Chinese name of a stage id.
pub fn stage_zh(stage: &str) -> String {
    serde_json::from_value::<lvzhi_workflow::Stage>(serde_json::Value::String(stage.to_string()))
        .map(|s| s.zh().to_string())
        .unwrap_or_else(|_| stage.to_string())
}

/// One inbox row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InboxItem {
    pub case_id: String,
    pub title: String,
    pub state: String,
    pub state_zh: String,
    pub step: String,
    pub step_zh: String,
    #[schema(value_type = String, format = Date)]
    pub due: chrono::NaiveDate,
    pub provisional: bool,
    pub article: String,
    pub overdue: bool,
    pub working_days_left: i64,
}

/// The inbox of `user` (shared by the page and the API).
pub async fn items(app: &App, user: &User, limit: i64) -> Result<Vec<InboxItem>, AppError> {
    let scope = access::scope(app, user);
    let today = app.clock().today();
    let cal = app.calendar();
    let rows = app
        .store()
        .query_deadlines(&scope, None, limit.clamp(1, 500))
        .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
    let links = app.store().case_links_many(&ids).await?;
    let mut out = Vec::new();
    for r in rows {
        let process = r.kind != lvzhi_service::APPLICATION && !r.role.is_empty();
        let shown = if process {
            crate::processes::step_is_for(user, &r.step, &r.role)
        } else {
            step_roles(&r.step).iter().any(|role| user.has_role(role))
        };
        if !shown {
            continue;
        }
        let none = Vec::new();
        let case_links = links.get(&r.case_id).unwrap_or(&none);
        let parties = access::parties_from_links(&r.case_id, &r.kind, &r.org_id, case_links);
        if !access::may(app, user, "view", &parties) {
            continue;
        }
        let left = cal
            .working_days_between(today, r.due)
            .map(|e| e.working_days)
            .unwrap_or_default();
        out.push(InboxItem {
            state_zh: match crate::processes::stage_zh(&r.kind, &r.state) {
                Some(zh) => zh,
                None => stage_zh(&r.state),
            },
            step_zh: if process {
                r.label.clone()
            } else {
                step_zh(&r.step)
            },
            overdue: today > r.due,
            working_days_left: left,
            case_id: r.case_id,
            title: r.title,
            state: r.state,
            step: r.step,
            due: r.due,
            provisional: r.provisional,
            article: r.article,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct Msg {
    msg: Option<String>,
}

async fn inbox(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(q): Query<Msg>,
) -> PageResult {
    let list = items(&app, &user, 200).await?;
    let overdue = list.iter().filter(|i| i.overdue).count();
    let lawyers = super::lawyers::of_office(&app, &user).await?;
    Ok(page(
        &app,
        &user,
        "我的待办",
        "inbox",
        html! {
            (flash(q.msg.as_deref()))
            h1 { "我的待办" }
            (super::lawyers::warning(&lawyers))
            p.summary {
                "共 " strong { (list.len()) } " 项待办"
                @if overdue > 0 { "，其中 " strong.overdue { (overdue) } " 项已逾期" }
                "。期限按国务院公布的节假日安排以工作日计算。"
            }
            @if list.is_empty() {
                p.empty { "目前没有等待您办理的事项。" }
            } @else {
                table.list {
                    thead { tr { th { "案件" } th { "事项" } th { "届满日" } th { "剩余" } th { "依据" } } }
                    tbody {
                        @for i in &list {
                            tr class=@if i.overdue { "overdue" } {
                                td { a href={ "/cases/" (i.case_id) } { (i.case_id) } br; small { (i.title) } }
                                td { (i.step_zh) br; small { (i.state_zh) } }
                                td { (date_zh(i.due)) @if i.provisional { " " span.badge.provisional title="该年度节假日安排尚未导入，按周末推算" { "暂定" } } }
                                td { (days_left(i.overdue, i.working_days_left)) }
                                td { (i.article) }
                            }
                        }
                    }
                }
            }
        },
    ))
}
