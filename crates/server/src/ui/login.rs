//! Sign in, sign out, change password.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::html;
use serde::Deserialize;

use super::{bare_page, csrf_field, page, PageResult, PageUser};
use crate::app::App;
use crate::auth::PageForm;
use crate::auth::{self, Login};
use crate::error::AppError;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/password", get(password_page).post(password_submit))
}

fn login_form(message: Option<&str>, login: &str) -> Response {
    bare_page(
        "登录",
        html! {
            section.login {
                h1 { "登录" }
                @if let Some(m) = message { div.notice.error role="alert" { (m) } }
                form method="post" action="/login" {
                    label { "用户名" input name="login" value=(login) autocomplete="username" required autofocus; }
                    label { "密码" input name="password" type="password" autocomplete="current-password" required; }
                    button.primary type="submit" { "登录" }
                }
                p.hint { "密码连续输错 " (auth::PAIR_FREE_FAILURES) " 次后，须稍候才能再次尝试，每再错一次等待时间加倍（最长 " (auth::FAILURE_WINDOW_MIN) " 分钟）。" }
            }
        },
    )
}

async fn login_page() -> Response {
    login_form(None, "")
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// The client's address as the listener saw it (empty in tests that call the router directly).
/// Behind a reverse proxy this is the proxy's: the per-client limit then applies to it as one.
pub(crate) fn client_address(req_ext: &axum::http::Extensions) -> String {
    req_ext
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

fn refused(status: StatusCode, message: &str, login: &str) -> PageResult {
    Ok((status, login_form(Some(message), login)).into_response())
}

async fn login_submit(
    State(app): State<App>,
    ext: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let login = f.login.trim();
    if login.is_empty() || f.password.is_empty() {
        return refused(StatusCode::BAD_REQUEST, "请输入用户名和密码", login);
    }
    if login.chars().count() > auth::MAX_LOGIN_CHARS {
        return refused(
            StatusCode::BAD_REQUEST,
            &format!("用户名不能超过 {} 个字符", auth::MAX_LOGIN_CHARS),
            "",
        );
    }
    if f.password.chars().count() > auth::MAX_PASSWORD_CHARS {
        return refused(
            StatusCode::BAD_REQUEST,
            &format!("密码不能超过 {} 个字符", auth::MAX_PASSWORD_CHARS),
            login,
        );
    }
    match auth::login(&app, login, &f.password, &client_address(&ext)).await? {
        Login::Ok { token, must_change } => {
            let to = if must_change && !app.is_demo() {
                "/password"
            } else {
                "/"
            };
            Ok((
                [(header::SET_COOKIE, auth::session_cookie(&app, &token))],
                Redirect::to(to),
            )
                .into_response())
        }
        Login::Refused => refused(StatusCode::UNAUTHORIZED, "用户名或密码不正确", login),
        Login::Throttled { wait_secs } => {
            let mut res = refused(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("登录失败次数过多，请 {} 后再试", auth::wait_zh(wait_secs)),
                login,
            )?;
            if let Ok(v) = wait_secs.to_string().parse() {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(res)
        }
    }
}

async fn logout(State(app): State<App>, PageForm { user, .. }: PageForm) -> PageResult {
    if let auth::Via::Session { token_digest, .. } = &user.via {
        app.store().delete_session(token_digest).await?;
    }
    Ok((
        [(header::SET_COOKIE, auth::clear_cookie(&app))],
        Redirect::to("/login"),
    )
        .into_response())
}

fn password_form(app: &App, user: &crate::auth::User, message: Option<&str>) -> Response {
    page(
        app,
        user,
        "修改密码",
        "",
        html! {
            section.narrow {
                h1 { "修改密码" }
                @if user.person.must_change_password && !app.is_demo() {
                    div.notice role="status" { "这是初始密码，请先设置您自己的密码后再使用系统。" }
                }
                @if let Some(m) = message { div.notice.error role="alert" { (m) } }
                form method="post" action="/password" {
                    (csrf_field(user))
                    label { "当前密码" input name="current" type="password" autocomplete="current-password" required; }
                    label { "新密码（至少 10 个字符，含字母和数字）" input name="new" type="password" autocomplete="new-password" required; }
                    label { "再次输入新密码" input name="repeat" type="password" autocomplete="new-password" required; }
                    button.primary type="submit" { "保存新密码" }
                }
            }
        },
    )
}

async fn password_page(State(app): State<App>, PageUser(user): PageUser) -> Response {
    password_form(&app, &user, None)
}

async fn password_submit(
    State(app): State<App>,
    PageForm { user, values: f }: PageForm,
) -> PageResult {
    let current = f.get("current").unwrap_or_default();
    let new = f.get("new").unwrap_or_default();
    let repeat = f.get("repeat").unwrap_or_default();
    let Some(login) = user.person.login.clone() else {
        return Err(AppError::BadRequest("该账户不能以密码登录".to_string()).into());
    };
    let creds = app.store().credentials_by_login(&login).await?;
    let ok = creds
        .as_ref()
        .is_some_and(|c| auth::verify_password(current, &c.password_hash));
    if !ok {
        return Ok(password_form(&app, &user, Some("当前密码不正确")));
    }
    if new != repeat {
        return Ok(password_form(&app, &user, Some("两次输入的新密码不一致")));
    }
    if new == current {
        return Ok(password_form(&app, &user, Some("新密码不能与当前密码相同")));
    }
    if let Err(e) = auth::check_new_password(new) {
        return Ok(password_form(&app, &user, Some(&e.to_string())));
    }
    let hash = auth::hash_password(new)?;
    app.store()
        .set_password(&user.person.id, &user.person.id, &hash, false)
        .await?;
    // Every other session of this person ends: a changed password locks out old devices.
    app.store().delete_sessions_of(&user.person.id).await?;
    app.reload_directory().await?;
    // The person just proved the current password; the new one opens the fresh session.
    let fresh = match auth::login(&app, &login, new, "").await? {
        Login::Ok { token, .. } => Some(token),
        _ => None,
    };
    let mut res = Redirect::to("/?msg=password").into_response();
    if let Some(token) = fresh {
        if let Ok(v) = auth::session_cookie(&app, &token).parse() {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}
