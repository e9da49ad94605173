//! lvzhi-server: the web application — Chinese server-rendered pages and the JSON API under
//! `/api/v1` — over the workflow (what may happen), the rules engine (what the regulations
//! support) and the store (what happened). One binary, every asset embedded: the pages make no
//! request outside the server (DESIGN §5, intranet-first).
//!
//! Layers inside the crate:
//! - `app`: the shared state (store, service, packs, access policies, directory cache, clock)
//!   and the router;
//! - [`auth`]: accounts (argon2id), sessions (HttpOnly, SameSite=Strict cookies), CSRF tokens,
//!   login limiting, bearer tokens for API clients;
//! - [`access`]: the bridge to `lvzhi-access` (Cedar): subjects from the directory, case parties
//!   from the workflow state, list scopes;
//! - `ui`: the pages; `api`: the JSON API and its OpenAPI 3.1 document;
//! - [`demo`]: the demo organisation tree, accounts, expert pool and cases in every state;
//! - [`scheduler`]: the in-server scheduler (due system events, reminders);
//! - `typeset`: notices typeset with `lvzhi-documents` — sealed when issued, downloaded as PDF
//!   and DOCX.

#![warn(missing_docs)]

pub mod access;
pub mod api;
mod app;
mod application_form;
pub mod auth;
mod bindings;
pub mod cases;
mod clock;
pub mod demo;
mod error;
mod evidence;
mod grants;
mod interview;
mod lawyers;
mod notices;
mod once;
/// The packs' periods and fact check: the service's (`lvzhi_service::packs`).
use lvzhi_service::packs;
mod rejections;
pub mod scheduler;
mod security;
mod typeset;
mod ui;

pub use app::{App, DataFiles, ServeConfig};
pub use clock::Clock;
pub use error::AppError;

/// Every route of the server: the pages, the API, and the layers every request passes — the
/// one-use tokens of forms and API keys (`once`), the Chinese answer of every framework
/// rejection (`rejections`), the security headers, the body limit.
pub fn router(app: App) -> axum::Router {
    axum::Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .merge(ui::routes())
        .merge(api::routes())
        .fallback(ui::not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            once::pages,
        ))
        .layer(axum::middleware::from_fn_with_state(app.clone(), once::api))
        .layer(axum::middleware::from_fn(rejections::chinese))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security::headers,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(8 * 1024 * 1024))
        // One span per request (method, path, status, latency) for the logs.
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(app)
}

/// Starts the server and runs until Ctrl-C.
pub async fn serve(config: ServeConfig) -> Result<(), AppError> {
    let addr = config.addr.clone();
    let demo = config.demo;
    let app = App::open(config).await?;
    if demo {
        let accounts = demo::seed(&app).await?;
        println!("演示数据已就绪。演示账户（用户名 / 密码 / 角色）：");
        let w = accounts.iter().map(|a| a.login.len()).max().unwrap_or(0);
        let pw = accounts.iter().map(|a| a.password.len()).max().unwrap_or(0);
        for a in &accounts {
            println!("  {:<w$}  {:<pw$}  {}", a.login, a.password, a.description);
        }
    }
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| AppError::Startup(bind_error(&addr, &e)))?;
    let local = listener
        .local_addr()
        .map_err(|e| AppError::Startup(format!("无法读取监听地址：{e}")))?;
    scheduler::spawn(app.clone());
    println!("履职系统已启动：http://{local}/");
    let router = router(app);
    // The peer address reaches the login limit (per client, issue 19).
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| AppError::Startup(format!("服务器运行失败：{e}")))
}

/// A bind failure in one Chinese sentence (the OS's own text is English).
fn bind_error(addr: &str, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::AddrInUse => "该端口已被其他程序占用",
        ErrorKind::PermissionDenied => "没有使用该端口的权限",
        ErrorKind::AddrNotAvailable => "本机没有该地址",
        _ => "操作系统拒绝了监听请求",
    };
    format!("无法监听地址 {addr}：{why}")
}
