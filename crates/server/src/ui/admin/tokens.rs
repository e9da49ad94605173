//! API 令牌: bearer tokens for programs that call `/api/v1` on behalf of a person (a ledger
//! export, a unit's own system). The token acts with exactly that person's roles, so it is
//! issued only for people in the administrator's scope; it is shown once, and the database
//! keeps only its SM3 digest, so a lost token is revoked and a new one issued.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Duration};
use lvzhi_store::ApiTokenRecord;
use maud::html;
use serde::Deserialize;

use super::people::person_options;
use super::{
    admin_page, check_name, error_box, notice, refused, require_admin, require_org, Refusal, Scope,
};
use crate::app::App;
use crate::auth::PageForm;
use crate::auth::{self, User};
use crate::error::AppError;
use crate::ui::{csrf_field, PageResult, PageUser};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/admin/tokens", get(list_page).post(issue))
        .route("/admin/tokens/{id}/revoke", post(revoke))
}

/// An RFC 3339 instant as a Beijing time of day, as the office reads it.
fn beijing(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            (t.with_timezone(&chrono::Utc) + Duration::hours(8))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

#[derive(Deserialize)]
struct ListQuery {
    person: Option<String>,
    msg: Option<String>,
}

struct View<'a> {
    msg: Option<&'a str>,
    error: Option<&'a str>,
    /// A token just issued: (holder's name, label, the secret).
    issued: Option<(&'a str, &'a str, &'a str)>,
    person: &'a str,
    label: &'a str,
    filter: Option<&'a str>,
}

async fn render(app: &App, user: &User, scope: &Scope, v: View<'_>) -> Result<Response, AppError> {
    let dir = app.directory();
    let tokens: Vec<ApiTokenRecord> = app
        .store()
        .api_tokens()
        .await?
        .into_iter()
        .filter(|t| {
            dir.people
                .get(&t.person_id)
                .is_some_and(|p| scope.contains(&p.org_id))
        })
        .filter(|t| v.filter.is_none_or(|p| t.person_id == p))
        .rev()
        .collect();
    Ok(admin_page(
        app,
        user,
        "API 令牌",
        "tokens",
        html! {
            (notice(v.msg))
            @if let Some((name, label, secret)) = v.issued {
                div.notice.error role="alert" {
                    h2 { "已为" (name) "签发令牌“" (label) "”" }
                    p { strong { "请立即复制并妥善保存：令牌只显示这一次，系统不保存令牌原文，离开本页后无法再次查看。" } }
                    p { code.hash { (secret) } }
                    p { "调用接口时在请求头中附带：" code { "Authorization: Bearer " (secret) } }
                }
            }
            h1 { "API 令牌" }
            p.hint { "令牌代表持有人调用 /api/v1 接口，具有该人员的全部角色和可见范围。令牌泄露或不再使用时请立即撤销；人员账户停用后其令牌随即失效。" }
            div.columns {
                div.main-col {
                    @if let Some(p) = v.filter {
                        p { "仅显示" (dir.person_name(p)) "的令牌 · " a href="/admin/tokens" { "显示全部" } }
                    }
                    @if tokens.is_empty() { p.empty { "没有令牌。" } }
                    @else {
                        table.list {
                            thead { tr { th { "用途" } th { "持有人" } th { "签发时间" } th { "状态" } th { "操作" } } }
                            tbody {
                                @for t in &tokens {
                                    tr {
                                        td { (t.label) " " small.hash { (t.id) } }
                                        td { a href={ "/admin/people/" (t.person_id) } { (dir.person_name(&t.person_id)) } }
                                        td { (beijing(&t.created_at)) }
                                        td {
                                            @if let Some(r) = &t.revoked_at { span.empty { "已于 " (beijing(r)) " 撤销" } }
                                            @else { "有效" }
                                        }
                                        td {
                                            @if t.revoked_at.is_none() {
                                                form.inline method="post" action={ "/admin/tokens/" (t.id) "/revoke" } {
                                                    (csrf_field(user))
                                                    button.danger type="submit" { "撤销" }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                aside.side-col {
                    section.card {
                        h2 { "签发令牌" }
                        (error_box(v.error))
                        form method="post" action="/admin/tokens" {
                            (csrf_field(user))
                            label { "持有人"
                                select name="person" required {
                                    option value="" selected[v.person.is_empty()] { "请选择" }
                                    (person_options(&dir, scope, v.person))
                                }
                            }
                            label { "用途（如“台账导出”）" input name="label" value=(v.label) maxlength="100" required; }
                            div.buttons { button.primary type="submit" { "签发" } }
                        }
                    }
                }
            }
        },
    ))
}

async fn list_page(
    State(app): State<App>,
    PageUser(user): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let filter = q.person.as_deref().filter(|p| !p.is_empty());
    if let Some(p) = filter {
        let person = app
            .store()
            .person(p)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("人员“{p}”不存在")))?;
        require_org(&app, &user, &person.org_id)?;
    }
    let view = View {
        msg: q.msg.as_deref(),
        error: None,
        issued: None,
        person: filter.unwrap_or_default(),
        label: "",
        filter,
    };
    Ok(render(&app, &user, &scope, view).await?)
}

async fn issue(State(app): State<App>, PageForm { user, values: form }: PageForm) -> PageResult {
    let scope = require_admin(&app, &user)?;
    let person_id = form.text("person");
    let label = form.text("label");
    let person = app.store().person(&person_id).await?;
    let refusal = match &person {
        None if person_id.is_empty() => Some(Refusal::bad("请选择令牌持有人")),
        None => Some(Refusal::bad(format!("人员“{person_id}”不存在"))),
        Some(p) => {
            require_org(&app, &user, &p.org_id)?;
            if p.disabled {
                Some(Refusal::conflict(format!(
                    "{}的账户已停用，不能为其签发令牌",
                    p.name
                )))
            } else {
                check_name("用途", &label, 100).err()
            }
        }
    };
    let p = match (person, refusal) {
        (Some(p), None) => p,
        (_, r) => {
            let r = r.unwrap_or_else(|| Refusal::bad("请选择令牌持有人"));
            let view = View {
                msg: None,
                error: Some(&r.message),
                issued: None,
                person: &person_id,
                label: &label,
                filter: None,
            };
            let page = render(&app, &user, &scope, view).await?;
            return Ok(refused(r.status, page));
        }
    };
    let secret = auth::random_token();
    let id = format!("tok-{}", &auth::random_token()[..12]);
    app.store()
        .create_api_token(
            &user.person.id,
            &id,
            &auth::token_digest(&secret),
            &p.id,
            &label,
            app.clock().now(),
        )
        .await?;
    // Shown in this response only (never stored, never in a URL; the page is not cached).
    let view = View {
        msg: None,
        error: None,
        issued: Some((&p.name, &label, &secret)),
        person: "",
        label: "",
        filter: None,
    };
    Ok(render(&app, &user, &scope, view).await?)
}

async fn revoke(
    State(app): State<App>,
    Path(id): Path<String>,
    PageForm { user, .. }: PageForm,
) -> PageResult {
    require_admin(&app, &user)?;
    let token = app
        .store()
        .api_tokens()
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::NotFound(format!("令牌“{id}”不存在")))?;
    let holder = app
        .store()
        .person(&token.person_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("令牌“{id}”的持有人不存在")))?;
    require_org(&app, &user, &holder.org_id)?;
    app.store()
        .revoke_api_token(&user.person.id, &token.id, app.clock().now())
        .await?;
    Ok(Redirect::to("/admin/tokens?msg=revoked").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_beijing() {
        assert_eq!(beijing("2024-09-30T16:05:00Z"), "2024-10-01 00:05");
        assert_eq!(beijing("garbage"), "garbage");
    }
}
