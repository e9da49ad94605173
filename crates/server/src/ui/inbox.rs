//! 我的待办: the open steps of the cases I may see that wait for someone in one of my roles,
//! each with its due date and the working days left, overdue first.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use maud::html;
use serde::Deserialize;

use super::{days_left, flash, page, PageResult, PageUser};
use crate::app::App;
use crate::cases::lists::inbox as items;

pub(crate) fn routes() -> Router<App> {
    Router::new().route("/", get(inbox))
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
    let lawyers = crate::lawyers::of_office(&app, &user).await?;
    let packs = app.packs();
    Ok(page(
        &app,
        &user,
        "我的待办",
        "inbox",
        html! {
            (flash(q.msg.as_deref()))
            h1 { "我的待办" }
            (super::lawyers::warning(&packs, &lawyers))
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
                                // The article in words, the regulation in full on hover (issue 22 item 5).
                                td title=(packs.cite_in_text(&i.article)) { (lvzhi_rules::citation_words(&i.article)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}
