//! The case list: filters (state, unit, type, due within N working days) and paging. Only the
//! cases the access policies let the user see are listed; each row is checked again.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use lvzhi_calendar::Period;
use lvzhi_store::{CaseQuery, ListedCase};
use maud::html;
use serde::{Deserialize, Serialize};

use super::inbox::stage_zh;
use super::{page, PageResult, PageUser};
use crate::access;
use crate::app::App;
use crate::auth::User;
use crate::error::AppError;

pub fn routes() -> Router<App> {
    Router::new().route("/cases", get(list_page))
}

/// The stages of the application procedure, in order, for the filter.
pub const STAGES: &[&str] = &[
    "filed",
    "registered",
    "rejected",
    "under_review",
    "opinion_drafted",
    "opinion_approved",
    "opinion_issued",
    "reconsideration_pending",
    "reconsideration_replied",
    "re_review_pending",
    "re_review_replied",
];

/// Case kinds: the application procedure, then every registered process
/// (`lvzhi_processes::PROCESSES`).
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("application", "免责容错申请")];
    out.extend(crate::processes::others().map(|p| (p.kind(), p.name_zh())));
    out
}

/// Whether `s` is a stage of the application or of a registered process.
fn known_stage(s: &str) -> bool {
    STAGES.contains(&s)
        || s == "new"
        || crate::processes::others().any(|p| p.stages().iter().any(|(id, _)| *id == s))
}

pub const PAGE_SIZE: i64 = 20;

/// List filters, from the query string of the page and of the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Stage id (`under_review`, …).
    pub state: Option<String>,
    /// The handling organisation's id.
    pub org: Option<String>,
    /// Case kind (`application`).
    pub kind: Option<String>,
    /// Only cases with an open step due within this many working days (or overdue).
    pub due_within: Option<u32>,
    /// Page number, from 1.
    pub page: Option<u32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseListPage {
    pub total: i64,
    pub page: u32,
    pub page_size: i64,
    pub cases: Vec<CaseListItem>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseListItem {
    pub case_id: String,
    pub kind: String,
    pub state: String,
    pub state_zh: String,
    pub org_id: String,
    pub org_name: String,
    pub title: String,
    pub version: i64,
    pub updated_at: String,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
}

/// One page of the cases `user` may see.
pub async fn list(app: &App, user: &User, f: &ListFilter) -> Result<CaseListPage, AppError> {
    let page = f.page.unwrap_or(1).clamp(1, 100_000);
    let state = nonempty(&f.state);
    if let Some(s) = &state {
        if !known_stage(s) {
            return Err(AppError::BadRequest(format!("案件状态“{s}”无效")));
        }
    }
    let due_until: Option<NaiveDate> = match f.due_within {
        None => None,
        Some(n) if n > 366 => {
            return Err(AppError::BadRequest(
                "“N 个工作日内届满”的 N 不能超过 366".to_string(),
            ))
        }
        Some(n) => Some(
            app.calendar()
                .add(app.clock().today(), Period::WorkingDays(n))
                .map_err(|e| AppError::BadRequest(e.to_string()))?
                .due,
        ),
    };
    let q = CaseQuery {
        scope: access::scope(app, user),
        state,
        kind: nonempty(&f.kind),
        org_id: nonempty(&f.org),
        due_until,
        limit: PAGE_SIZE,
        offset: (i64::from(page) - 1) * PAGE_SIZE,
    };
    let (rows, total) = app.store().query_cases(&q).await?;
    let dir = app.directory();
    let ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
    let links = app.store().case_links_many(&ids).await?;
    let none = Vec::new();
    let mut cases = Vec::with_capacity(rows.len());
    for r in rows {
        let case_links = links.get(&r.case_id).unwrap_or(&none);
        let parties =
            access::parties_from_links(&r.case_id, &r.case.kind, &r.case.org_id, case_links);
        if !access::may(app, user, "view", &parties) {
            continue;
        }
        cases.push(item(&dir, r));
    }
    Ok(CaseListPage {
        total,
        page,
        page_size: PAGE_SIZE,
        cases,
    })
}

fn item(dir: &crate::app::Directory, r: ListedCase) -> CaseListItem {
    CaseListItem {
        state_zh: crate::processes::stage_zh(&r.case.kind, &r.case.state)
            .unwrap_or_else(|| stage_zh(&r.case.state)),
        org_name: dir.org_name(&r.case.org_id),
        case_id: r.case_id,
        kind: r.case.kind,
        state: r.case.state,
        org_id: r.case.org_id,
        title: r.case.title,
        version: r.version,
        updated_at: r.updated_at,
    }
}

fn query_string(f: &ListFilter, page: u32) -> String {
    let mut parts = Vec::new();
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
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
                        @for s in STAGES {
                            option value=(s) selected[f.state.as_deref() == Some(*s)] { (stage_zh(s)) }
                        }
                        @for p in crate::processes::others() {
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
            p.summary { "共 " (result.total) " 件，第 " (result.page) " / " (pages) " 页" }
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
                                td { (c.updated_at.get(..10).unwrap_or(&c.updated_at)) }
                            }
                        }
                    }
                }
            }
            nav.pager {
                @if result.page > 1 { a href=(query_string(&f, result.page - 1)) { "上一页" } }
                @if i64::from(result.page) < pages { a href=(query_string(&f, result.page + 1)) { "下一页" } }
            }
        },
    ))
}
