//! The 维权 台账 (001 §29(六)): the incidents the user may see, their registration,
//! investigation, handling, measures and reports up, as a page and as a CSV download (UTF-8 with
//! a byte-order mark, so spreadsheet programs read the Chinese).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use lvzhi_processes::incident::{Incident, IncidentType, LedgerRow};
use lvzhi_processes::Process;
use maud::html;
use serde::Deserialize;

use super::{page, PageResult, PageUser};
use crate::app::App;
use crate::cases::lists::ledger;
use crate::error::AppError;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/incidents/ledger", get(ledger_page))
        .route("/incidents/ledger.csv", get(ledger_csv))
}

/// The ledger's columns, in Chinese.
pub(crate) const LEDGER_HEADERS: [&str; 14] = [
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

/// The ledger's filters (issue 22 item 8): the year of 立案, the kind of infringement (001 §8),
/// whether the case is still being handled, and the officer's unit. An empty value is no filter.
#[derive(Debug, Default, Deserialize)]
struct LedgerFilter {
    year: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    unit: Option<String>,
}

/// A filter's value, `None` when empty.
fn set(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl LedgerFilter {
    /// The year asked for; a value that is not a year is refused in Chinese.
    fn year(&self) -> Result<Option<i32>, AppError> {
        set(&self.year)
            .map(|y| {
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1990..=2200).contains(y))
                    .ok_or_else(|| AppError::BadRequest(format!("“{y}”不是有效的年度")))
            })
            .transpose()
    }

    fn keeps(&self, year: Option<i32>, r: &LedgerRow) -> bool {
        use chrono::Datelike;
        let on = r.registered_on.or(r.occurred_on);
        year.is_none_or(|y| on.is_some_and(|d| d.year() == y))
            && set(&self.kind).is_none_or(|k| {
                IncidentType::ALL
                    .iter()
                    .any(|t| t.id() == k && t.zh() == r.incident_type)
            })
            && set(&self.state).is_none_or(|s| match s {
                "open" => r.closed_on.is_none(),
                "closed" => r.closed_on.is_some(),
                _ => true,
            })
            && set(&self.unit).is_none_or(|u| r.unit == u)
    }

    /// The same filters as a query string (for the CSV link), `?…` or empty.
    fn query(&self) -> String {
        let pairs: Vec<String> = [
            ("year", &self.year),
            ("kind", &self.kind),
            ("state", &self.state),
            ("unit", &self.unit),
        ]
        .into_iter()
        .filter_map(|(k, v)| set(v).map(|v| format!("{k}={}", super::query_value(v))))
        .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// The rows the filters keep.
async fn filtered(
    app: &App,
    user: &crate::auth::User,
    f: &LedgerFilter,
) -> Result<(Vec<(String, LedgerRow)>, Vec<(String, LedgerRow)>), AppError> {
    let year = f.year()?;
    let packs = app.packs();
    // Citations by code in the recorded measures read as articles (issue 22 item 5).
    let all: Vec<(String, LedgerRow)> = ledger(app, user)
        .await?
        .into_iter()
        .map(|(id, mut r)| {
            for cell in [
                &mut r.investigation,
                &mut r.handling,
                &mut r.measures,
                &mut r.escalation,
            ] {
                *cell = packs.cite_in_text(cell);
            }
            (id, r)
        })
        .collect();
    let kept = all
        .iter()
        .filter(|(_, r)| f.keeps(year, r))
        .cloned()
        .collect();
    Ok((all, kept))
}

async fn ledger_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(f): Query<LedgerFilter>,
) -> PageResult {
    let (all, rows) = filtered(&app, &user, &f).await?;
    // 001 §29(六), cited by the incidents' pack as loaded (the ledger is its register).
    let basis = app
        .packs()
        .pack(Incident::PACK)
        .map(|p| {
            format!(
                "依{}，",
                lvzhi_processes::regulation_of(p).cite_full("§29(六)")
            )
        })
        .unwrap_or_default();
    // The choices the rows offer: years of 立案 (newest first) and the units.
    let mut years: Vec<i32> = all
        .iter()
        .filter_map(|(_, r)| r.registered_on.or(r.occurred_on))
        .map(|d| chrono::Datelike::year(&d))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut units: Vec<&str> = all
        .iter()
        .map(|(_, r)| r.unit.as_str())
        .filter(|u| !u.is_empty())
        .collect();
    units.sort_unstable();
    units.dedup();
    let chosen = |v: &Option<String>, x: &str| set(v) == Some(x);
    let body = html! {
        h1 { "维权工作台账" }
        p.summary {
            (basis) "对受理的侵害民警执法权威案（事）件的立案、调查、处理情况全程跟踪、督办。"
            @if rows.len() == all.len() { "共 " (rows.len()) " 件。 " }
            @else { "符合条件的 " (rows.len()) " 件（共 " (all.len()) " 件）。 " }
            a.button href={ "/incidents/ledger.csv" (f.query()) } download="维权工作台账.csv" { "导出 CSV" }
        }
        form.filters method="get" action="/incidents/ledger" {
            label { "立案年度"
                select name="year" {
                    option value="" { "全部" }
                    @for y in &years { option value=(y) selected[chosen(&f.year, &y.to_string())] { (y) "年" } }
                }
            }
            label { "侵害情形"
                select name="kind" {
                    option value="" { "全部" }
                    @for t in IncidentType::ALL { option value=(t.id()) selected[chosen(&f.kind, t.id())] { (t.zh()) } }
                }
            }
            label { "办理状态"
                select name="state" {
                    option value="" { "全部" }
                    option value="open" selected[chosen(&f.state, "open")] { "在办" }
                    option value="closed" selected[chosen(&f.state, "closed")] { "已办结" }
                }
            }
            label { "当事民警单位"
                select name="unit" {
                    option value="" { "全部" }
                    @for u in &units { option value=(u) selected[chosen(&f.unit, u)] { (u) } }
                }
            }
            button type="submit" { "筛选" }
            a href="/incidents/ledger" { "清除" }
        }
        @if rows.is_empty() { p.empty { "没有符合条件的维权案（事）件。" } }
        @else {
            div.ledger-wrap {
                table.list.ledger {
                    thead { tr { @for h in LEDGER_HEADERS { th { (h) } } } }
                    tbody {
                        @for (id, r) in &rows {
                            tr {
                                td.nowrap { a href={ "/cases/" (id) } { (id) } }
                                td.nowrap { (r.officer) }
                                td { (r.unit) }
                                td { (r.org) }
                                td { (r.incident_type) }
                                td.nowrap { (day_zh(r.occurred_on)) }
                                td.nowrap { (day_zh(r.registered_on)) }
                                td { (r.source) }
                                td.long { (super::multiline(&r.investigation)) }
                                td.long { (super::multiline(&r.handling)) }
                                td.long { (super::multiline(&r.measures)) }
                                td.long { (super::multiline(&r.escalation)) }
                                td { (r.stage) }
                                td.nowrap { (day_zh(r.closed_on)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&app, &user, "维权工作台账", "ledger", body))
}

/// A day as the page shows days (年月日); nothing when there is none.
fn day_zh(d: Option<chrono::NaiveDate>) -> String {
    d.map(date_zh).unwrap_or_default()
}

/// A cell as the CSV holds it: a leading `=`, `+`, `-` or `@` is prefixed with `'` so a
/// spreadsheet never reads a cell as a formula (quoting is the `csv` writer's, RFC 4180).
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The ledger as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese;
/// CRLF line ends).
pub(crate) fn ledger_csv_text(rows: &[(String, LedgerRow)]) -> Result<String, AppError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let failed = |e: &dyn std::fmt::Display| AppError::Internal(format!("ledger CSV: {e}"));
    w.write_record(LEDGER_HEADERS.iter().map(|h| csv_cell(h)))
        .map_err(|e| failed(&e))?;
    for (id, r) in rows {
        w.write_record(ledger_cells(id, r).iter().map(|c| csv_cell(c)))
            .map_err(|e| failed(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

async fn ledger_csv(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(f): Query<LedgerFilter>,
) -> PageResult {
    let (_, rows) = filtered(&app, &user, &f).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ledger.csv\"; filename*=UTF-8''%E7%BB%B4%E6%9D%83%E5%B7%A5%E4%BD%9C%E5%8F%B0%E8%B4%A6.csv",
            ),
        ],
        ledger_csv_text(&rows)?,
    )
        .into_response())
}
