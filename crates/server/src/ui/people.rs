//! 结果运用 pages (000 §30, 003): `/people`, the officers whose result use the user may read
//! (those of the organisations where they decide), and `/people/{id}`, an officer's protected
//! determinations with what each must not affect — where personnel staff look before an
//! assessment, a promotion, an award, a title or an exchange. Shared with the API
//! (`api::people`); scope is the Cedar action `view_result_use`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use maud::html;

use super::{page, PageResult, PageUser};
use crate::api::people::{may_view, result_use};
use crate::app::App;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/people", get(list_page))
        .route("/people/{id}", get(person_page))
}

/// Whether the user holds a role that reads result use somewhere (the menu shows the entry).
pub(crate) fn reads_result_use(user: &crate::auth::User) -> bool {
    ["unit", "office", "director", "deputy_director"]
        .iter()
        .any(|r| user.has_role(r))
}

async fn list_page(State(app): State<App>, PageUser(user): PageUser) -> PageResult {
    let dir = app.directory();
    let mut allowed: BTreeMap<&str, bool> = BTreeMap::new();
    let mut people: Vec<_> = dir
        .people
        .values()
        .filter(|p| {
            *allowed
                .entry(p.org_id.as_str())
                .or_insert_with(|| may_view(&app, &user, &p.org_id))
        })
        .collect();
    people.sort_by(|a, b| (&a.org_id, &a.name, &a.id).cmp(&(&b.org_id, &b.name, &b.id)));
    Ok(page(
        &app,
        &user,
        "结果运用",
        "people",
        html! {
            h1 { "结果运用" }
            p.hint {
                "对给予依法履职免责的民警，工作考核等各类考核、干部提拔任用和职务职级、警衔晋升、评先评优和表彰奖励、党代会代表、人大代表、政协委员资格不受影响（000 §30）。作出上述决定前，请查阅民警的免责容错认定。"
            }
            @if people.is_empty() {
                p.empty { "您所在单位没有可查阅结果运用情况的民警。" }
            } @else {
                table.list {
                    thead { tr { th { "姓名" } th { "单位" } th { "职务" } } }
                    tbody {
                        @for p in &people {
                            tr {
                                td { a href={ "/people/" (p.id) } { (p.name) } }
                                td { (dir.org_name(&p.org_id)) }
                                td { (p.title) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

async fn person_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let v = result_use(&app, &user, &id).await?;
    Ok(page(
        &app,
        &user,
        &format!("{} 结果运用", v.name),
        "people",
        html! {
            p.noprint { a href="/people" { "← 返回结果运用" } }
            h1 { (v.name) " · 结果运用" }
            p.summary { (v.org_name) }
            @if v.determinations.is_empty() {
                p.empty { "该民警没有已出具的免责、容错认定，也没有纠错整改记录。" }
            }
            @for d in &v.determinations {
                section.card {
                    h2 {
                        a href={ "/cases/" (d.case_id) } { (d.case_id) } " · " (d.summary)
                    }
                    dl.grid {
                        dt { "认定" } dd { (d.outcome) }
                        dt { @if d.source == "application" { "申请事项" } @else { "错误类型" } } dd { (d.matter) }
                        @if let Some(on) = d.issued_on {
                            dt { @if d.source == "application" { "出具日期" } @else { "启动纠错日期" } } dd { (date_zh(on)) }
                        }
                        dt { "状态" } dd { (d.status_zh) }
                        @if !d.rectifications.is_empty() {
                            dt { "纠错整改" }
                            dd {
                                @for (i, r) in d.rectifications.iter().enumerate() {
                                    @if i > 0 { "；" }
                                    a href={ "/cases/" (r.case_id) } { (r.case_id) } "（" (r.stage_zh) "）"
                                }
                            }
                        }
                    }
                    h3 { "不得影响的事项" }
                    @if d.safeguards.is_empty() {
                        p.empty { "适用于本案的规定未列明不得影响的事项。" }
                    } @else {
                        table.list {
                            thead { tr { th { "事项" } th { "范围" } th { "要求" } th { "依据" } } }
                            tbody {
                                @for s in &d.safeguards {
                                    tr {
                                        td { (s.area_zh) }
                                        td { (s.scope) }
                                        td { (s.rule) }
                                        td {
                                            (s.article)
                                            @if s.by_reference { "（参照）" }
                                            @if d.applied.contains(&s.area) { " " span.ok-text { "已落实" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !d.caveats.is_empty() {
                        h3 { "需要注意" }
                        ul {
                            @for c in &d.caveats {
                                li { (c.text) @if !c.article.is_empty() { "（" (c.article) "）" } }
                            }
                        }
                    }
                }
            }
        },
    ))
}
