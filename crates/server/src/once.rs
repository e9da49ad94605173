//! One submission, one write (issue 19 item 6): ten simultaneous double clicks on 提交申请
//! filed twenty applications. Every page form carries a one-use token (`_once`, drawn with the
//! CSRF field) and API clients may send an `Idempotency-Key` header; the first request with a
//! key claims it in the database (so several servers agree), and a repeat gets the first
//! request's answer and writes nothing — a double click, a browser's retry, or a client's retry
//! after a timeout files once.
//!
//! Keys live in the scope of the credential that sent them (the SM3 of the session or bearer
//! token), so one person's key never answers another's request. A page form's claim is kept
//! only when the request wrote and redirected (post, redirect, get); a refused form releases
//! it, so the corrected form goes through, and so does a form answered with a page (the live
//! re-evaluation of the interview posts the same form again and again). An API key keeps every answer but a server failure, and is
//! bound to the request it was first used for: the same key on another request is refused.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use lvzhi_store::{Answer, Claim, Submission};

use crate::api::extract::api_error;
use crate::app::App;
use crate::auth::{self, User, Via};
use crate::error::AppError;

/// The header API clients send.
pub(crate) const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Sent with an answer that repeats an earlier one.
pub(crate) const REPLAYED: &str = "idempotent-replayed";
/// How long a repeat waits for the first request's answer before it is told to look later.
const WAIT: Duration = Duration::from_secs(10);
/// The largest answer kept for a repeat (a page or a JSON result; files are not writes).
const MAX_KEPT_BYTES: usize = 2 * 1024 * 1024;
/// The largest API body fingerprinted (an evidence upload with its framing).
const MAX_FINGERPRINT_BYTES: usize = crate::evidence::MAX_BODY_BYTES;

/// The claim a page form's extractor made, for the layer to complete or release once the
/// handler has answered.
#[derive(Clone, Default)]
pub(crate) struct Slot(Arc<Mutex<Option<(String, String)>>>);

impl Slot {
    fn set(&self, scope: &str, key: &str) {
        if let Ok(mut g) = self.0.lock() {
            *g = Some((scope.to_string(), key.to_string()));
        }
    }

    fn take(&self) -> Option<(String, String)> {
        self.0.lock().ok().and_then(|mut g| g.take())
    }
}

/// A fresh one-use token for a form.
pub(crate) fn token() -> String {
    auth::random_token()
}

/// The layer for pages: gives every request a [`Slot`]; after the handler, keeps the answer of
/// a claimed form that succeeded, or releases the claim of one that did not.
pub(crate) async fn pages(State(app): State<App>, mut req: Request, next: Next) -> Response {
    let slot = Slot::default();
    req.extensions_mut().insert(slot.clone());
    let res = next.run(req).await;
    let Some((scope, key)) = slot.take() else {
        return res;
    };
    // Only a redirect is kept: a form that wrote something answers with one (post, redirect,
    // get). A page answered directly is no write to repeat — a live re-evaluation posts the same
    // form again and again and must get a fresh answer each time — so its claim is released,
    // as a refused form's is.
    if res.status().is_redirection() {
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("/")
            .to_string();
        keep(&app, &scope, &key, res.status(), "", &location, &[]).await;
        return res;
    }
    release(&app, &scope, &key).await;
    res
}

/// Claims a page form's `_once` token (called by the form extractors once the CSRF token has
/// matched). `Ok(())` to go ahead; `Err` with the answer to give instead: the first request's,
/// or a page saying it is still being handled.
pub(crate) async fn claim_form(
    app: &App,
    user: &User,
    extensions: &axum::http::Extensions,
    path: &str,
    once: Option<&str>,
) -> Result<(), Response> {
    let Some(once) = once.map(str::trim).filter(|o| valid_key(o)) else {
        return Ok(());
    };
    let Via::Session { token_digest, .. } = &user.via else {
        return Ok(());
    };
    let Some(slot) = extensions.get::<Slot>() else {
        return Ok(());
    };
    let key = format!("form:{once}");
    let fingerprint = lvzhi_store::sm3_hex(path.as_bytes());
    match claim(app, token_digest, &key, &fingerprint).await {
        Ok(None) => {
            slot.set(token_digest, &key);
            Ok(())
        }
        Ok(Some(done)) => Err(replay_page(done)),
        Err(e) => Err(crate::ui::PageError(e).into_response()),
    }
}

/// The layer for the API: a write with an `Idempotency-Key` is answered once.
pub(crate) async fn api(State(app): State<App>, req: Request, next: Next) -> Response {
    if req.method().is_safe() || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get(IDEMPOTENCY_KEY) else {
        return next.run(req).await;
    };
    let Some(key) = raw.to_str().ok().map(str::trim).filter(|k| valid_key(k)) else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "Idempotency-Key 应为 1 至 255 个可见 ASCII 字符",
        );
    };
    let key = format!("api:{key}");
    // No credential: the request is refused anyway (401); nothing to keep.
    let Some(scope) = credential_scope(req.headers()) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FINGERPRINT_BYTES).await {
        Ok(b) => b,
        Err(_) => {
            return api_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "提交的内容过大，超出了允许的大小",
            )
        }
    };
    let mut fp = Vec::with_capacity(bytes.len() + 64);
    fp.extend_from_slice(parts.method.as_str().as_bytes());
    fp.push(b' ');
    fp.extend_from_slice(parts.uri.path().as_bytes());
    fp.push(b'\n');
    fp.extend_from_slice(&bytes);
    let fingerprint = lvzhi_store::sm3_hex(&fp);
    match claim(&app, &scope, &key, &fingerprint).await {
        Ok(None) => {}
        Ok(Some(done)) if done.fingerprint != fingerprint => {
            return api_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "该 Idempotency-Key 已用于另一请求；每个新的请求应使用新的 Idempotency-Key",
            )
        }
        Ok(Some(done)) => return replay_api(done),
        Err(e) => return e.into_response(),
    }
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = res.status();
    if status.is_server_error() {
        release(&app, &scope, &key).await;
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_KEPT_BYTES).await else {
        release(&app, &scope, &key).await;
        return api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            &AppError::internal("").to_string(),
        );
    };
    let location = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    keep(
        &app,
        &scope,
        &key,
        status,
        &content_type(&parts.headers),
        &location,
        &bytes,
    )
    .await;
    Response::from_parts(parts, Body::from(bytes))
}

fn valid_key(k: &str) -> bool {
    (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
}

/// The scope a key lives in: the SM3 of the bearer token or session cookie.
fn credential_scope(headers: &HeaderMap) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty());
    if let Some(b) = bearer {
        return Some(auth::token_digest(b.trim()));
    }
    auth::cookie_value(headers, auth::SESSION_COOKIE).map(|t| auth::token_digest(&t))
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Claims `key`; `Ok(None)` when this request holds it, else the first request's answer once
/// it has one (waiting up to [`WAIT`] for it), or a refusal while it is still being handled.
async fn claim(
    app: &App,
    scope: &str,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Submission>, AppError> {
    let now = app.clock().now();
    let mut found = match app
        .store()
        .claim_submission(scope, key, fingerprint, now)
        .await?
    {
        Claim::Claimed => return Ok(None),
        Claim::Existing(s) => s,
    };
    let started = tokio::time::Instant::now();
    while !found.completed && found.fingerprint == fingerprint {
        if started.elapsed() >= WAIT {
            return Err(AppError::Conflict(
                "同一提交正在办理中，请勿重复提交；请稍后刷新页面查看结果".to_string(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        found = match app.store().submission(scope, key).await? {
            Some(s) => s,
            // Released: the first request wrote nothing; this one may try.
            None => return Box::pin(claim(app, scope, key, fingerprint)).await,
        };
    }
    Ok(Some(found))
}

async fn keep(
    app: &App,
    scope: &str,
    key: &str,
    status: StatusCode,
    content_type: &str,
    location: &str,
    body: &[u8],
) {
    let answer = Answer {
        status: status.as_u16(),
        content_type,
        location,
        body,
    };
    if let Err(e) = app.store().complete_submission(scope, key, answer).await {
        tracing::warn!("submission {key}: answer not kept: {e}");
    }
}

async fn release(app: &App, scope: &str, key: &str) {
    if let Err(e) = app.store().release_submission(scope, key).await {
        tracing::warn!("submission {key}: claim not released: {e}");
    }
}

/// The first request's answer to a page form submitted again.
fn replay_page(done: Submission) -> Response {
    if !done.location.is_empty() {
        return Redirect::to(&done.location).into_response();
    }
    let status = StatusCode::from_u16(done.status).unwrap_or(StatusCode::OK);
    let mut res = (status, done.body).into_response();
    if let Ok(v) = HeaderValue::from_str(&done.content_type) {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    res
}

/// The first request's answer to an API request repeated with its key.
fn replay_api(done: Submission) -> Response {
    let status = StatusCode::from_u16(done.status).unwrap_or(StatusCode::OK);
    let mut res = (status, done.body).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&done.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if !done.location.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&done.location) {
            h.insert(header::LOCATION, v);
        }
    }
    h.insert(REPLAYED, HeaderValue::from_static("true"));
    res
}
