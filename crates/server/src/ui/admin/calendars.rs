//! 工作日历: the yearly holiday schedules in force, and the import of a new one.
//!
//! Statutory periods are counted in 工作日 over the State Council's yearly notice (DESIGN §3);
//! a year without one is counted with weekends only and every deadline in it is marked
//! provisional. The schedule is shared by the whole system, so only an administrator of a
//! top-level organisation imports one. The file is validated as a whole calendar by the data
//! store (`DataFiles::import_calendar`) before anything is kept; a rejected file changes nothing
//! and its error names the line and column.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::Datelike;
use lvzhi_calendar::{date_zh, parse_schedule, Calendar, SpecialKind, YearSchedule};
use maud::html;

use super::{
    admin_page, notice, refused, require_admin, require_top, ImportForm, ImportState, Msg, Scope,
};
use crate::app::App;
use crate::auth::PageForm;
use crate::auth::User;
use crate::ui::{PageResult, PageUser};

/// Largest schedule file accepted (a year's notice is well under 2 KB).
const MAX_TEXT: usize = 64 * 1024;

const EXAMPLE: &str = "# 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕…号）
year 2027
source 国办发明电〔2026〕…号
holiday 2027-02-06..2027-02-13 春节
workday 2027-02-14 春节调休上班";

pub(super) fn routes() -> Router<App> {
    Router::new().route("/admin/calendars", get(page).post(import))
}

/// Whether the year's schedule in force is exactly the one shipped inside the program.
fn is_embedded(s: &YearSchedule) -> bool {
    Calendar::embedded_sources()
        .iter()
        .filter_map(|(_, text)| parse_schedule(text).ok())
        .any(|e| e == *s)
}

const FORM: ImportForm = ImportForm {
    action: "/admin/calendars",
    name_label: "文件名称（用于提示错误位置，如 2027.txt）",
    text_label: "文件内容（将文件全文粘贴于此）",
    rows: 14,
    hint: "系统先校验整个文件（日期重复、放假与调休冲突、日期格式、调休日非周末等），有任何错误即不作任何修改。",
    button: "校验并导入",
    top_only: "工作日历由全系统共用，只有顶层机构的系统管理员可以导入。",
    empty: "请粘贴文件内容",
    max: MAX_TEXT,
    too_large: "文件过大：一个年度的安排不应超过 64 KB",
};

fn render(app: &App, user: &User, scope: &Scope, o: ImportState<'_>) -> Response {
    let cal = app.calendar();
    let this_year = app.clock().today().year();
    // Periods running now reach into next year (a 30 工作日 opinion period in December).
    let missing = cal.missing_years(this_year - 1, this_year + 1);
    admin_page(
        app,
        user,
        "工作日历",
        "calendars",
        html! {
            (notice(o.msg))
            @if let Some(s) = o.success { div.notice.ok role="status" { "已导入并立即生效：" (s) } }
            h1 { "工作日历" }
            @if !missing.is_empty() {
                div.notice.error role="alert" {
                    "尚未载入 "
                    @for (i, y) in missing.iter().enumerate() { @if i > 0 { "、" } (y) "年" }
                    " 的国务院节假日安排：涉及该年度的期限只按周末计算，并标注为“暂定”。国务院通知发布后请及时导入。"
                }
            }
            div.columns {
                div.main-col {
                    section.card {
                        h2 { "已载入的年度" }
                        table.list {
                            thead { tr { th { "年度" } th { "依据" } th { "放假日" } th { "调休上班日" } th { "来源" } } }
                            tbody {
                                @for (year, s) in cal.years().iter().rev() {
                                    @let holidays = s.days.values().filter(|d| d.kind == SpecialKind::Holiday).count();
                                    @let workdays = s.days.values().filter(|d| d.kind == SpecialKind::Workday).count();
                                    tr {
                                        td { (year) "年" }
                                        td {
                                            (s.source)
                                            details {
                                                summary { "查看日期" }
                                                ul {
                                                    @for d in s.days.values() {
                                                        li {
                                                            (date_zh(d.date)) " "
                                                            @if d.kind == SpecialKind::Holiday { "放假" } @else { "调休上班" }
                                                            " · " (d.name)
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                        td { (holidays) " 天" }
                                        td { (workdays) " 天" }
                                        td { @if is_embedded(s) { "系统内置" } @else { "导入" } }
                                    }
                                }
                            }
                        }
                    }
                    section.card {
                        h2 { "文件格式" }
                        p { "每行一项，与国务院通知对应：" }
                        ul {
                            li { code { "year 年份" } "：四位年份，必须写在日期行之前；" }
                            li { code { "source 依据" } "：通知文号；" }
                            li { code { "mode replace" } "（缺省，国务院安排，替换该年度）或 " code { "mode extend" } "（地方补充，须该年度国务院安排已载入）；" }
                            li { code { "holiday 日期[..日期] 名称" } "：放假日，可写区间；" }
                            li { code { "workday 日期 名称" } "：调休上班日，只能是周六或周日；" }
                            li { code { "#" } " 开头的行为注释。日期格式为 YYYY-MM-DD。" }
                        }
                        p { "示例：" }
                        pre { (EXAMPLE) }
                    }
                }
                aside.side-col {
                    section.card {
                        h2 { "导入年度安排" }
                        (FORM.render(user, scope, &o))
                    }
                }
            }
        },
    )
}

async fn page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(q): Query<Msg>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    Ok(render(
        &app,
        &user,
        &scope,
        ImportState::shown(q.msg.as_deref()),
    ))
}

async fn import(State(app): State<App>, PageForm { user, values: form }: PageForm) -> PageResult {
    let scope = require_admin(&app, &user)?;
    require_top(&scope, "工作日历")?;
    let name = form.text("name");
    let text = form.get("text").unwrap_or_default();
    let files = app.files().clone();
    let imported = FORM
        .import(&name, text, "calendar import", move |label, text| {
            files.import_calendar(label, text)
        })
        .await?;
    let (cal, summary) = match imported {
        Ok(x) => x,
        Err(r) => {
            let state = ImportState::refused(&r.message, &name, text);
            return Ok(refused(r.status, render(&app, &user, &scope, state)));
        }
    };
    app.set_calendar(cal)?;
    Ok(render(&app, &user, &scope, ImportState::done(&summary)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_calendar::ScheduleMode;

    #[test]
    fn the_shown_example_is_a_valid_schedule() {
        let s = parse_schedule(EXAMPLE);
        assert!(s.is_ok(), "{s:?}");
        assert!(s.is_ok_and(|s| s.mode == ScheduleMode::Replace && s.year == 2027));
    }

    #[test]
    fn shipped_years_are_recognised_as_embedded() {
        let cal = Calendar::embedded();
        assert!(cal.years().values().all(is_embedded));
    }
}
