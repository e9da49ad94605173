//! The lists over cases of every process: the case list (filters, paging), 我的待办 (the open
//! steps waiting for one of my roles) and the 维权 台账 (001 §29(六)). Each lists only what the
//! access policies let the user see: scoped in SQL, every row checked again.

use chrono::NaiveDate;
use lvzhi_access::{Decider, Resource};
use lvzhi_calendar::Period;
use lvzhi_processes::incident::{self, IncidentState, LedgerRow};
use lvzhi_processes::registry::{by_kind, PROCESSES};
use lvzhi_store::{CaseQuery, ListedCase};
use serde::{Deserialize, Serialize};

use crate::access;
use crate::app::{App, Directory};
use crate::auth::User;
use crate::error::AppError;

/// The Chinese name of a stage of a case of `kind` (the id itself when unknown).
pub fn stage_zh(kind: &str, stage: &str) -> String {
    by_kind(kind)
        .and_then(|p| p.stages().iter().find(|(id, _)| *id == stage))
        .map(|(_, zh)| zh.to_string())
        .unwrap_or_else(|| stage.to_string())
}

/// Case kinds with their Chinese names, in the registry's order.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    PROCESSES.iter().map(|p| (p.kind(), p.name_zh())).collect()
}

/// Whether `s` is a stage of a registered process.
fn known_stage(s: &str) -> bool {
    s == "new"
        || PROCESSES
            .iter()
            .any(|p| p.stages().iter().any(|(id, _)| *id == s))
}

pub(crate) const PAGE_SIZE: i64 = 20;

/// List filters, from the query string of the page and of the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// Stage id (`under_review`, …).
    pub state: Option<String>,
    /// The handling organisation's id.
    pub org: Option<String>,
    /// Case kind (`application`, `incident`, …).
    pub kind: Option<String>,
    /// Only cases with an open step due within this many working days (or overdue).
    pub due_within: Option<u32>,
    /// Page number, from 1.
    pub page: Option<u32>,
}

/// How far a list counts the cases it may show (issue 21): a province's scope holds hundreds of
/// thousands, and an exact total on every page would read them all each time.
pub const COUNT_UP_TO: i64 = 1000;

/// One page of a case list, with how many cases match.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseListPage {
    /// The number of matching cases, counted up to 1000: with `total_exact` false there are
    /// more than `total`.
    pub total: i64,
    /// Whether `total` is the exact number (else more than 1000 cases match).
    pub(crate) total_exact: bool,
    /// Whether a next page exists.
    pub more: bool,
    /// The page number, from 1.
    pub page: u32,
    pub(crate) page_size: i64,
    /// The cases of this page.
    pub cases: Vec<CaseListItem>,
}

/// One row of a case list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseListItem {
    /// The case's id.
    pub case_id: String,
    /// The case's process (`application`, `incident`, ...).
    pub kind: String,
    /// Its current stage's id.
    pub state: String,
    /// Its current stage in Chinese.
    pub state_zh: String,
    /// The handling organisation's id.
    pub org_id: String,
    /// The handling organisation's name.
    pub org_name: String,
    /// The case's title.
    pub title: String,
    /// Events recorded on the case.
    pub version: i64,
    /// When the last event was recorded.
    pub updated_at: String,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
}

/// Whether the request's person may view a listed case (its row's kind, organisation and
/// links). The decider answers rows alike in what the policies read once (issue 21).
fn viewable(
    decide: &Decider<'_>,
    case_id: &str,
    kind: &str,
    org_id: &str,
    links: Option<&Vec<lvzhi_store::CaseLink>>,
) -> bool {
    let links = links.map(Vec::as_slice).unwrap_or_default();
    let parties = access::parties(
        case_id,
        kind,
        org_id,
        links
            .iter()
            .map(|l| (l.relation.as_str(), l.target.as_str())),
    );
    decide.allows("view", Resource::Case(&parties))
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
        count_up_to: Some(COUNT_UP_TO),
    };
    let (rows, total) = app.store().query_cases(&q).await?;
    let dir = app.directory();
    let decide = app.access().decider(&dir.tree, &user.subject);
    let ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
    let links = app.store().case_links_many(&ids).await?;
    let total_exact = total <= COUNT_UP_TO;
    let more = if total_exact {
        q.offset + PAGE_SIZE < total
    } else {
        rows.len() as i64 == PAGE_SIZE
    };
    let mut cases = Vec::with_capacity(rows.len());
    for r in rows {
        if !viewable(
            &decide,
            &r.case_id,
            &r.case.kind,
            &r.case.org_id,
            links.get(&r.case_id),
        ) {
            continue;
        }
        cases.push(item(&dir, r));
    }
    Ok(CaseListPage {
        total: total.min(COUNT_UP_TO),
        total_exact,
        more,
        page,
        page_size: PAGE_SIZE,
        cases,
    })
}

fn item(dir: &Directory, r: ListedCase) -> CaseListItem {
    CaseListItem {
        state_zh: stage_zh(&r.case.kind, &r.case.state),
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

/// One inbox row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InboxItem {
    /// The case's id.
    pub case_id: String,
    /// The case's title.
    pub title: String,
    /// The case's current stage's id.
    pub state: String,
    /// The case's current stage in Chinese.
    pub state_zh: String,
    /// The id of the step that is due.
    pub step: String,
    /// The step in Chinese.
    pub step_zh: String,
    /// Its due day.
    #[schema(value_type = String, format = Date)]
    pub due: chrono::NaiveDate,
    /// Whether the due day counts over a year with no holiday schedule loaded.
    pub provisional: bool,
    /// The article that sets the period.
    pub article: String,
    /// Whether the due day has passed.
    pub overdue: bool,
    /// Working days from today to the due day (negative when overdue).
    pub working_days_left: i64,
}

/// The inbox of `user`: the open steps of the cases they may see that wait for one of their
/// roles (as the case's process names them), overdue first.
pub async fn inbox(app: &App, user: &User, limit: i64) -> Result<Vec<InboxItem>, AppError> {
    let scope = access::scope(app, user);
    let today = app.clock().today();
    let cal = app.calendar();
    let rows = app
        .store()
        .query_deadlines(&scope, None, limit.clamp(1, 500))
        .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
    let links = app.store().case_links_many(&ids).await?;
    let dir = app.directory();
    let decide = app.access().decider(&dir.tree, &user.subject);
    let approves =
        (user.has_role("director") || user.has_role("deputy_director")) && !user.has_role("office");
    let mut out = Vec::new();
    for r in rows {
        if !super::step_is_for(user, by_kind(&r.kind), &r.step, &r.role) {
            continue;
        }
        if !viewable(
            &decide,
            &r.case_id,
            &r.kind,
            &r.org_id,
            links.get(&r.case_id),
        ) {
            continue;
        }
        let left = cal
            .working_days_between(today, r.due)
            .map(|e| e.working_days)
            .unwrap_or_default();
        // A draft opinion waits for the 主任 or 副主任 (000 §14): the item says what they are to
        // do, within the opinion's period (issue 22 item 6).
        let step_zh = if r.state == "opinion_drafted" && approves {
            format!("审批审查论证意见草稿（{}）", r.label)
        } else {
            r.label.clone()
        };
        out.push(InboxItem {
            state_zh: stage_zh(&r.kind, &r.state),
            step_zh,
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

/// The 台账 rows of the 维权 incidents the user may see, newest change first: (case id, row).
pub async fn ledger(app: &App, user: &User) -> Result<Vec<(String, LedgerRow)>, AppError> {
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
            let Ok(ctx) = super::load(app, user, &r.case_id).await else {
                continue;
            };
            if let Some(state) = ctx.state::<IncidentState>() {
                out.push((r.case_id.clone(), incident::ledger(state)));
            }
        }
        offset += PAGE;
        if rows.is_empty() || offset >= total || offset >= 20 * PAGE {
            break;
        }
    }
    Ok(out)
}
