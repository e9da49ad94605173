//! The pages: Chinese, server-rendered (maud escapes every value), usable on a 1366×768 screen
//! and printable. Script is progressive: every page works without it; `assets/app.js` only
//! re-evaluates the interview as answers change. No inline script or style (the CSP forbids it).

pub(crate) mod act;
pub(crate) mod admin;
pub(crate) mod application;
pub(crate) mod application_form;
pub(crate) mod apply;
pub(crate) mod case_page;
pub(crate) mod cases;
pub(crate) mod documents;
pub(crate) mod evidence;
pub(crate) mod inbox;
pub(crate) mod lawyers;
pub(crate) mod ledger;
pub(crate) mod login;
pub(crate) mod people;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use lvzhi_calendar::date_zh;
use maud::{html, Markup, DOCTYPE};

use crate::app::App;
use crate::auth::{authenticate, User};
use crate::error::AppError;

pub(crate) const STYLE: &str = include_str!("../../assets/style.css");
pub(crate) const SCRIPT: &str = include_str!("../../assets/app.js");

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/assets/style.css", get(style))
        .route("/assets/app.js", get(script))
        .merge(login::routes())
        .merge(inbox::routes())
        .merge(cases::routes())
        .merge(case_page::routes())
        .merge(documents::routes())
        .merge(evidence::routes())
        .merge(act::routes())
        .merge(ledger::routes())
        .merge(apply::routes())
        .merge(application_form::routes())
        .merge(people::routes())
        .merge(admin::routes())
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// An error shown as a page (the API shows the same errors as JSON).
#[derive(Debug)]
pub(crate) struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl From<lvzhi_service::ServiceError> for PageError {
    fn from(e: lvzhi_service::ServiceError) -> Self {
        PageError(e.into())
    }
}

impl From<lvzhi_store::StoreError> for PageError {
    fn from(e: lvzhi_store::StoreError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        if matches!(e, AppError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        if let AppError::Internal(detail) | AppError::Startup(detail) = &e {
            tracing::error!("internal error: {detail}");
        }
        error_page(e.status(), &e.to_string())
    }
}

/// An error as a page: its title by the status, the sentence, and the ways back.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::NOT_FOUND => "未找到",
        StatusCode::CONFLICT => "记录已变化",
        StatusCode::TOO_MANY_REQUESTS => "请稍后再试",
        StatusCode::PAYLOAD_TOO_LARGE => "提交内容过大",
        StatusCode::URI_TOO_LONG | StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "请求过大",
        StatusCode::METHOD_NOT_ALLOWED => "请求方法不受支持",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "提交内容无法识别",
        StatusCode::SERVICE_UNAVAILABLE => "暂时无法提供",
        StatusCode::INTERNAL_SERVER_ERROR => "系统错误",
        _ => "无法办理",
    };
    let body = html! {
        div.notice.error role="alert" {
            h1 { (title) }
            p { (message) }
            p { a href="/" { "回到我的待办" } " · " a href="/cases" { "案件列表" } }
        }
    };
    (status, bare_page(title, body)).into_response()
}

pub(crate) type PageResult = Result<Response, PageError>;

/// Extractor for pages: the signed-in user, or a redirect to the login page. A user who must
/// change their password (non-demo initial accounts) is sent to do so first.
pub(crate) struct PageUser(pub User);

impl FromRequestParts<App> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        match authenticate(app, &parts.headers).await {
            Ok(Some(u)) => {
                if let Some(to) = password_first(app, &u, parts.uri.path()) {
                    return Err(to);
                }
                Ok(PageUser(u))
            }
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(PageError(e).into_response()),
        }
    }
}

/// Where a user who must change their password (non-demo initial accounts) is sent first,
/// unless already there or signing out.
pub(crate) fn password_first(app: &App, user: &User, path: &str) -> Option<Response> {
    (user.person.must_change_password && !app.is_demo() && path != "/password" && path != "/logout")
        .then(|| Redirect::to("/password").into_response())
}

/// A whole page in the layout: header with navigation, the user's name and roles, and logout.
pub(crate) fn page(app: &App, user: &User, title: &str, active: &str, body: Markup) -> Response {
    let dir = app.directory();
    let roles: Vec<String> = user
        .subject
        .grants
        .iter()
        .map(|g| {
            format!(
                "{}（{}）",
                crate::bindings::grant_zh(app, &dir, &g.role, &g.org_id),
                dir.org_name(&g.org_id)
            )
        })
        .collect();
    let is_admin = user.has_role("administrator");
    // The 维权台账 is the committee's register: in the menu of its office and leaders where the
    // regulations bound to their organisation run 维权 incidents (issue 22 item 8).
    let keeps_ledger = {
        let service = app.service();
        let incident = lvzhi_processes::registry::by_kind("incident");
        user.subject.grants.iter().any(|g| {
            matches!(g.role.as_str(), "office" | "director" | "deputy_director")
                && incident
                    .is_some_and(|p| service.may_open(p, &crate::bindings::bound(&dir, &g.org_id)))
        })
    };
    let nav = [
        ("inbox", "/", "我的待办"),
        ("cases", "/cases", "案件"),
        ("apply", "/cases/new", "免责容错申请"),
        ("new", "/new", "新建"),
    ];
    let markup = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — 履职" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body data-csrf=(user.csrf()) {
                header.top {
                    a.brand href="/" { "履职" span { "依法履职保护工作系统" } }
                    nav {
                        @for (id, href, label) in nav {
                            a href=(href) class=@if id == active { "active" } { (label) }
                        }
                        @if keeps_ledger {
                            a href="/incidents/ledger" class=@if active == "ledger" { "active" } { "维权台账" }
                        }
                        @if people::reads_result_use(user) {
                            a href="/people" class=@if active == "people" { "active" } { "结果运用" }
                        }
                        // The API's documentation is for whoever connects other systems: the
                        // administrators (issue 22 item 5); the address still answers anyone.
                        @if is_admin {
                            a href="/admin" class=@if active == "admin" { "active" } { "系统管理" }
                            a href="/api/docs" { "接口文档" }
                        }
                    }
                    div.who {
                        span.name { (user.person.name) }
                        span.roles title=(roles.join("；")) { (roles.join("；")) }
                        form.inline method="post" action="/logout" {
                            input type="hidden" name="_csrf" value=(user.csrf());
                            button.link type="submit" { "退出" }
                        }
                    }
                }
                @if app.clock().is_fixed() {
                    div.banner { "演示/测试时钟：系统日期固定为 " (date_zh(app.clock().today())) }
                }
                main { (body) }
                footer { "履职 · 所有操作均已留痕（SM3 审计链）· 今日 " (date_zh(app.clock().today())) }
            }
        }
    };
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup).into_response()
}

/// A page without the signed-in layout (login, errors).
pub(crate) fn bare_page(title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — 履职" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body.bare {
                header.top { a.brand href="/" { "履职" span { "依法履职保护工作系统" } } }
                main { (body) }
            }
        }
    };
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup).into_response()
}

/// The hidden CSRF field every form carries.
/// With it, the form's one-use submission token: a double click or a browser's retry of the
/// same form writes once (issue 19, `crate::once`).
pub(crate) fn csrf_field(user: &User) -> Markup {
    html! {
        input type="hidden" name="_csrf" value=(user.csrf());
        input type="hidden" name="_once" value=(crate::once::token());
    }
}

/// A flash message passed through `?msg=` after a redirect (only fixed texts are shown).
pub(crate) fn flash(code: Option<&str>) -> Markup {
    let text = match code {
        Some("saved") => "已保存。",
        Some("recorded") => "已记录，案件审计链已更新。",
        Some("unsealed") => "已记录，案件审计链已更新。但所出具文书的定稿 PDF 未能生成或存档（原因已写入系统日志），该文书标注为“未定稿”，仍可查看和下载。",
        Some("password") => "密码已修改。",
        Some("imported") => "已导入。",
        Some("draft_discarded") => "草稿已放弃，事实问询恢复为案件记录的回答。",
        _ => return html! {},
    };
    html! { div.notice.ok role="status" { (text) } }
}

/// A value for a link's query string, percent-encoded (UTF-8) but for RFC 3986's unreserved
/// characters, so Chinese names survive and ids stay readable.
pub(crate) fn query_value(v: &str) -> String {
    const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(v, QUERY).to_string()
}

/// Days-left text for a deadline.
pub(crate) fn days_left(overdue: bool, working_days_left: i64) -> Markup {
    if overdue {
        html! { span.badge.overdue { "已逾期 " (-working_days_left) " 个工作日" } }
    } else if working_days_left <= 3 {
        html! { span.badge.soon { "尚余 " (working_days_left) " 个工作日" } }
    } else {
        html! { span.badge { "尚余 " (working_days_left) " 个工作日" } }
    }
}

/// Multi-line text with line breaks kept (escaped).
pub(crate) fn multiline(text: &str) -> Markup {
    html! {
        @for (i, line) in text.lines().enumerate() {
            @if i > 0 { br; }
            (line)
        }
    }
}

pub(crate) async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return AppError::NotFound("请求的接口不存在".to_string()).into_response();
    }
    PageError(AppError::NotFound("请求的页面不存在".to_string())).into_response()
}
