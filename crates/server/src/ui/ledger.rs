//! The 维权 台账 (001 §29(六)): the incidents the user may see, their registration,
//! investigation, handling, measures and reports up, as a page and as a CSV download (UTF-8 with
//! a byte-order mark, so spreadsheet programs read the Chinese).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use lvzhi_processes::incident::{Incident, LedgerRow};
use lvzhi_processes::Process;
use maud::html;

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

async fn ledger_page(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let rows = ledger(&app, &user).await?;
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
    let body = html! {
        h1 { "维权工作台账" }
        p.summary {
            (basis) "对受理的侵害民警执法权威案（事）件的立案、调查、处理情况全程跟踪、督办。共 " (rows.len()) " 件。 "
            a.button href="/incidents/ledger.csv" download="维权工作台账.csv" { "导出 CSV" }
        }
        @if rows.is_empty() { p.empty { "没有您可以查看的维权案（事）件。" } }
        @else {
            table.list.ledger {
                thead { tr { @for h in LEDGER_HEADERS { th { (h) } } } }
                tbody {
                    @for (id, r) in &rows {
                        tr {
                            @for (i, cell) in ledger_cells(id, r).iter().enumerate() {
                                @if i == 0 { td { a href={ "/cases/" (id) } { (id) } } } @else { td { (cell) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&app, &user, "维权工作台账", "cases", body))
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

async fn ledger_csv(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let rows = ledger(&app, &user).await?;
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
