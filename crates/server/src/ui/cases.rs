//! The case list: filters (state, unit, type, due within N working days) and paging. Only the
//! cases the access policies let the user see are listed; each row is checked again.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use lvzhi_processes::registry::PROCESSES;
use maud::html;

use super::{page, PageResult, PageUser};
use crate::access;
use crate::app::App;
use crate::cases::lists::{kinds, list, ListFilter, PAGE_SIZE};

pub(crate) fn routes() -> Router<App> {
    Router::new().route("/cases", get(list_page))
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
}

fn query_string(f: &ListFilter, page: u32) -> String {
    let mut parts = Vec::new();
    let enc = super::query_value;
    if let Some(s) = nonempty(&f.state) {
        parts.push(format!("state={}", enc(&s)));
    }
    if let Some(s) = nonempty(&f.org) {
        parts.push(format!("org={}", enc(&s)));
    }
    if let Some(s) = nonempty(&f.kind) {
        parts.push(format!("kind={}", enc(&s)));
    }
    if let Some(n) = f.due_within {
        parts.push(format!("due_within={n}"));
    }
    parts.push(format!("page={page}"));
    format!("/cases?{}", parts.join("&"))
}

async fn list_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(f): Query<ListFilter>,
) -> PageResult {
    let result = list(&app, &user, &f).await?;
    let dir = app.directory();
    let pages = ((result.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let visible_orgs: Vec<(String, String)> = {
        let scope = access::scope(&app, &user);
        // The organisations whose cases the user sees, whatever the kind (法制、督察 see some).
        let mut v: Vec<(String, String)> = scope
            .orgs
            .iter()
            .chain(scope.by_kind.iter().flat_map(|k| k.orgs.iter()))
            .map(|o| (o.clone(), dir.org_name(o)))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    Ok(page(
        &app,
        &user,
        "案件",
        "cases",
        html! {
            h1 { "案件" }
            form.filters method="get" action="/cases" {
                label { "状态"
                    select name="state" {
                        option value="" { "全部" }
                        @for p in PROCESSES {
                            @for (s, zh) in p.stages() {
                                option value=(s) selected[f.state.as_deref() == Some(*s)] { (p.name_zh()) "：" (zh) }
                            }
                        }
                    }
                }
                @if !visible_orgs.is_empty() {
                    label { "办理单位"
                        select name="org" {
                            option value="" { "全部" }
                            @for (id, name) in &visible_orgs {
                                option value=(id) selected[f.org.as_deref() == Some(id.as_str())] { (name) }
                            }
                        }
                    }
                }
                label { "类型"
                    select name="kind" {
                        option value="" { "全部" }
                        @for (id, zh) in kinds() {
                            option value=(id) selected[f.kind.as_deref() == Some(id)] { (zh) }
                        }
                    }
                }
                label { "期限在" input type="number" name="due_within" min="0" max="366" value=[f.due_within] placeholder="N"; "个工作日内届满" }
                button type="submit" { "筛选" }
                a href="/cases" { "清除" }
            }
            @if result.total_exact {
                p.summary { "共 " (result.total) " 件，第 " (result.page) " / " (pages) " 页" }
            } @else {
                p.summary { "共 " (result.total) " 余件，第 " (result.page) " 页" }
            }
            @if result.cases.is_empty() {
                p.empty { "没有符合条件的案件。" }
            } @else {
                table.list {
                    thead { tr { th { "案件编号" } th { "事项" } th { "办理单位" } th { "状态" } th { "最近更新" } } }
                    tbody {
                        @for c in &result.cases {
                            tr {
                                td { a href={ "/cases/" (c.case_id) } { (c.case_id) } }
                                td { (c.title) }
                                td { (c.org_name) }
                                td { (c.state_zh) }
                                td { (crate::clock::beijing_date_zh(&c.updated_at)) }
                            }
                        }
                    }
                }
            }
            nav.pager {
                @if result.page > 1 { a href=(query_string(&f, result.page - 1)) { "上一页" } }
                @if result.more { a href=(query_string(&f, result.page + 1)) { "下一页" } }
            }
        },
    ))
}
