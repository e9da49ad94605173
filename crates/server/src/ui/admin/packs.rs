//! 政策包: the regulations in force as data (docs/policy-packs.md). Per pack: the checks of
//! `lvzhi policy check` (cross-reference mismatches, conflicting rules, rules that never fire,
//! undecided combinations), the pack's own examples (`policy test`) and per-article coverage
//! with its gaps; and the loading of a new or revised pack.
//!
//! A pack is validated together with every pack in force by the data store
//! (`DataFiles::import_pack`); any error anywhere and nothing changes, the errors named by
//! file:line:column as the engine reports them. Packs are shared by the whole system, so only
//! an administrator of a top-level organisation loads one.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use lvzhi_rules::{CoverageRow, ExampleResult, Finding, Level, PackSet};
use maud::html;

use super::{
    admin_page, notice, refused, require_admin, require_top, ImportForm, ImportState, Msg, Scope,
};
use crate::app::App;
use crate::auth::PageForm;
use crate::auth::User;
use crate::error::AppError;
use crate::ui::{PageResult, PageUser};

/// Largest pack accepted (the largest shipped pack is a few tens of KB).
const MAX_TEXT: usize = 1024 * 1024;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/packs", get(list_page).post(upload))
        .route("/admin/packs/{id}", get(pack_page))
}

const FORM: ImportForm = ImportForm {
    action: "/admin/packs",
    name_label: "文件名称（用于提示错误位置，如 005.toml）",
    text_label: "政策包内容（TOML，将文件全文粘贴于此；标识与现行政策包相同则替换之）",
    rows: 16,
    hint: "系统将其与全部现行政策包一并解析、链接和编译；任何一处错误都不作修改，并按“文件:行:列”列出全部错误。格式见 docs/policy-packs.md。",
    button: "校验并载入",
    top_only: "政策包由全系统共用，只有顶层机构的系统管理员可以载入。",
    empty: "请粘贴政策包内容",
    max: MAX_TEXT,
    too_large: "政策包过大：不应超过 1 MB",
};

fn render_list(app: &App, user: &User, scope: &Scope, o: ImportState<'_>) -> Response {
    let set = app.packs();
    admin_page(
        app,
        user,
        "政策包",
        "packs",
        html! {
            (notice(o.msg))
            @if let Some(s) = o.success { div.notice.ok role="status" { (s) } }
            h1 { "政策包" }
            p.hint { "每一部规定编为一个政策包（条文、事实与提问、规则、优先关系、期间、示例）。系统建议结论和法定期间均取自现行政策包。" }
            table.list {
                thead { tr { th { "标识" } th { "名称" } th { "文号" } th { "版本" } th { "施行日期" } th { "失效日期" } th { "条文 / 规则 / 示例" } } }
                tbody {
                    @for p in set.packs() {
                        tr {
                            td { a href={ "/admin/packs/" (p.meta.id) } { code { (p.meta.id) } } }
                            td {
                                (p.meta.title)
                                @if !p.meta.verbatim { " " span.badge.provisional { "条文为转述" } }
                            }
                            td { (p.meta.document_number) }
                            td { (p.meta.version) }
                            td { (date_zh(p.meta.effective)) }
                            td { @if let Some(u) = p.meta.until { (date_zh(u)) } @else { "—" } }
                            td { (p.articles.len()) " / " (p.rules.len()) " / " (p.examples.len()) }
                        }
                    }
                }
            }
            section.card {
                h2 { "载入政策包" }
                (FORM.render(user, scope, &o))
            }
        },
    )
}

async fn list_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(q): Query<Msg>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    Ok(render_list(
        &app,
        &user,
        &scope,
        ImportState::shown(q.msg.as_deref()),
    ))
}

async fn upload(State(app): State<App>, PageForm { user, values: form }: PageForm) -> PageResult {
    let scope = require_admin(&app, &user)?;
    require_top(&scope, "政策包")?;
    let name = form.text("name");
    let text = form.get("text").unwrap_or_default();
    let files = app.files().clone();
    let imported = FORM
        .import(&name, text, "pack import", move |label, text| {
            files.import_pack(label, text)
        })
        .await?;
    let set = match imported {
        Ok(set) => set,
        Err(r) => {
            let state = ImportState::refused(&r.message, &name, text);
            return Ok(refused(r.status, render_list(&app, &user, &scope, state)));
        }
    };
    let count = set.packs().count();
    if let Err(e) = app.set_packs(set) {
        // The store validated the set with the procedure's periods; this is not expected.
        return Err(AppError::internal(format!("packs not applied: {e}")).into());
    }
    let success = format!("已载入并立即生效；现行政策包共 {count} 个。");
    Ok(render_list(
        &app,
        &user,
        &scope,
        ImportState::done(&success),
    ))
}

/// What the pack page shows, computed off the request thread (the checks enumerate).
struct Report {
    findings: Vec<Finding>,
    examples: Vec<ExampleResult>,
    coverage: Vec<CoverageRow>,
}

fn report(set: &PackSet, id: &str) -> Result<Report, AppError> {
    let coverage = set
        .coverage(id, &lvzhi_processes::in_use())
        .map_err(|e| AppError::NotFound(e.to_string()))?;
    Ok(Report {
        findings: set.check(Some(id)),
        examples: set.run_examples(Some(id)),
        coverage,
    })
}

async fn pack_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    require_admin(&app, &user)?;
    let set = app.packs();
    if set.pack(&id).is_err() {
        return Err(AppError::NotFound(format!("没有标识为“{id}”的现行政策包")).into());
    }
    let r = {
        let set = set.clone();
        let id = id.clone();
        tokio::task::spawn_blocking(move || report(&set, &id))
            .await
            .map_err(|e| AppError::internal(format!("pack report: {e}")))??
    };
    let p = set
        .pack(&id)
        .map_err(|e| AppError::NotFound(e.to_string()))?;
    let passed = r.examples.iter().filter(|e| e.passed()).count();
    let failed = r.examples.len() - passed;
    let errors = r
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    let warnings = r
        .findings
        .iter()
        .filter(|f| f.level == Level::Warning)
        .count();
    let gaps = r.coverage.iter().filter(|c| c.status == "gap").count();
    let kind_zh = |article: &str| {
        p.articles
            .iter()
            .find(|a| a.id == article)
            .map(|a| a.kind.zh())
            .unwrap_or("")
    };
    Ok(admin_page(
        &app,
        &user,
        &format!("政策包 {}", p.meta.id),
        "packs",
        html! {
            p.noprint { a href="/admin/packs" { "← 返回政策包列表" } }
            h1 { (p.meta.title) " " small { code { (p.meta.id) } } }
            section.card {
                dl.grid {
                    dt { "发布机关" } dd { (p.meta.issuer) }
                    dt { "文号" } dd { (p.meta.document_number) }
                    dt { "版本" } dd { (p.meta.version) }
                    dt { "施行日期" } dd { (date_zh(p.meta.effective)) }
                    dt { "失效日期" } dd { @if let Some(u) = p.meta.until { (date_zh(u)) } @else { "—" } }
                    @if !p.meta.supersedes.is_empty() { dt { "取代" } dd { (p.meta.supersedes.join("、")) } }
                    dt { "文件" } dd { code { (p.file) } }
                    dt { "条文" } dd {
                        (p.articles.len()) " 条；事实 " (p.facts.len()) " 个；规则 " (p.rules.len()) " 条；示例 " (p.examples.len()) " 个"
                        @if !p.meta.verbatim { "（条文为转述，须与官方文本核对）" }
                    }
                    @if !p.meta.note.is_empty() { dt { "说明" } dd { (p.meta.note) } }
                }
            }
            section.card {
                h2 { "检查" }
                p.summary { (errors) " 个错误，" (warnings) " 个警告，" (r.findings.len() - errors - warnings) " 个提示" }
                @if r.findings.is_empty() { p.ok-text { "未发现问题。" } }
                @else {
                    table.list {
                        thead { tr { th { "级别" } th { "类别" } th { "内容" } } }
                        tbody {
                            @for f in &r.findings {
                                tr class=@if f.level == Level::Error { "overdue" } {
                                    td {
                                        @match f.level {
                                            Level::Error => span.badge.overdue { (f.level.zh()) },
                                            Level::Warning => span.badge.soon { (f.level.zh()) },
                                            Level::Info => span.badge { (f.level.zh()) },
                                        }
                                    }
                                    td { code { (f.kind) } }
                                    td { (crate::ui::multiline(&f.message)) }
                                }
                            }
                        }
                    }
                }
            }
            section.card {
                h2 { "示例测试" }
                p.summary.bad-text[failed > 0].ok-text[failed == 0] { (passed) " passed, " (failed) " failed" }
                @if failed > 0 {
                    ul {
                        @for e in r.examples.iter().filter(|e| !e.passed()) {
                            li { "未通过 " code { (e.id) } "：" (e.failures.join("；")) }
                        }
                    }
                }
            }
            section.card {
                h2 { "条文覆盖" }
                p.summary { "共 " (r.coverage.len()) " 条，缺口 " (gaps) " 条" }
                table.list {
                    thead { tr { th { "条文" } th { "性质" } th { "实现" } th { "情况" } } }
                    tbody {
                        @for c in &r.coverage {
                            tr class=@if c.status == "gap" { "overdue" } {
                                td { (c.article) }
                                td { (kind_zh(&c.article)) }
                                td {
                                    @if !c.rules.is_empty() { "规则 " (c.rules.join("、")) br; }
                                    @if !c.examples.is_empty() { "示例 " (c.examples.join("、")) br; }
                                    @for u in &c.procedure_uses {
                                        "程序 " (u.id) "："
                                        @if u.processes.is_empty() { "无流程执行" } @else { "由" (u.processes.join("、")) "执行" }
                                        br;
                                    }
                                    @for u in &c.period_uses {
                                        "期间 " (u.id) "："
                                        @if u.processes.is_empty() { "无流程使用" } @else { "由" (u.processes.join("、")) "使用" }
                                        br;
                                    }
                                }
                                td {
                                    @match c.status {
                                        "gap" => span.badge.overdue { "缺口：" (c.missing) },
                                        "declarative" => "宣示性规定，无须规则",
                                        "organisational" => "组织保障规定，无须规则",
                                        _ => span.ok-text { "已实现" },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
