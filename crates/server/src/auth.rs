//! Accounts and sessions.
//!
//! - Passwords: argon2id (PHC string with its own salt and parameters).
//! - Sessions: a random 256-bit token in an `HttpOnly; SameSite=Strict` cookie (`Secure` behind
//!   TLS); the database keeps only its SM3 digest, so a copy of the database opens no session.
//! - CSRF: each session has its own random token, embedded in every form and checked on every
//!   state-changing page request ([`CsrfForm`]). SameSite=Strict already stops cross-site posts
//!   in current browsers; the token keeps older ones and same-site attackers out too.
//! - Login limiting (issue 19): failures within [`FAILURE_WINDOW_MIN`] minutes are counted for
//!   the login from this client, the login from anywhere, and the client on any login; past
//!   each one's free allowance the next attempt waits a delay that doubles with every further
//!   failure (from [`BASE_DELAY_SECS`] up to the window). Guesses from elsewhere do not lock
//!   the officer out at his own desk, distributed guessing and password spraying are slowed,
//!   and hammering does not lengthen the wait (refused attempts are not failures). Each
//!   attempt is reserved in the database before its password is checked and counts as a
//!   failure until it is resolved, so concurrent guesses — on one server or several on one
//!   PostgreSQL — cannot all check a password before any is counted.
//! - API clients: `Authorization: Bearer <token>` issued and revoked by an administrator; the
//!   database keeps the token's SM3 digest only. Bearer requests need no CSRF token (no
//!   ambient credential is involved).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use chrono::{DateTime, Duration, Utc};
use lvzhi_access::Subject;
use lvzhi_store::{AttemptStatus, Failures, PersonRecord};

use crate::app::App;
use crate::cases::form::FormValues;
use crate::error::AppError;

pub(crate) const SESSION_COOKIE: &str = "lvzhi_session";
/// Failures of one login from one client before its attempts are delayed.
pub const PAIR_FREE_FAILURES: i64 = 5;
/// Failures of one login from any client before its attempts are delayed (distributed
/// guessing); higher than the pair's, so another's guessing alone delays the officer late.
pub const LOGIN_FREE_FAILURES: i64 = 20;
/// Failures of one client on any login before its attempts are delayed (password spraying).
pub const CLIENT_FREE_FAILURES: i64 = 30;
/// Failures older than this no longer count.
pub(crate) const FAILURE_WINDOW_MIN: i64 = 15;
/// The first delay past an allowance; it doubles with each further failure, up to the window.
pub(crate) const BASE_DELAY_SECS: i64 = 30;
/// The longest login accepted (a longer one is refused with its own message, unchecked).
pub(crate) const MAX_LOGIN_CHARS: usize = 64;
/// The longest password checked (argon2 would hash anything; a megabyte is not a password).
pub(crate) const MAX_PASSWORD_CHARS: usize = 128;
/// Sessions last a working day; an idle office PC does not stay signed in overnight.
pub(crate) const SESSION_HOURS: i64 = 10;

/// 32 random bytes as lower-case hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The digest stored for a session or API token.
pub fn token_digest(token: &str) -> String {
    lvzhi_store::sm3_hex(token.as_bytes())
}

/// The argon2id hash (PHC string) stored for a password.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("argon2: {e}")))
}

/// How many passwords this process has checked (the login limit's tests count them).
static PASSWORD_CHECKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many passwords this process has checked so far.
pub fn password_checks() -> u64 {
    PASSWORD_CHECKS.load(std::sync::atomic::Ordering::Relaxed)
}

pub(crate) fn verify_password(password: &str, phc: &str) -> bool {
    PASSWORD_CHECKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

/// Password rules for new passwords: long enough to resist guessing, with letters and digits.
pub(crate) fn check_new_password(password: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    if n < 10 {
        return Err(AppError::BadRequest("新密码至少应为 10 个字符".to_string()));
    }
    if n > 128 {
        return Err(AppError::BadRequest(
            "新密码不能超过 128 个字符".to_string(),
        ));
    }
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(letters && digits) {
        return Err(AppError::BadRequest(
            "新密码应同时包含字母和数字".to_string(),
        ));
    }
    Ok(())
}

/// How the request was authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A session cookie.
    Session {
        /// The digest of the session token, as stored.
        token_digest: String,
        /// The session's CSRF token, which its forms must send back.
        csrf: String,
    },
    /// An API token in the `Authorization: Bearer` header.
    Bearer,
}

/// The signed-in person.
#[derive(Debug, Clone)]
pub struct User {
    /// The person's directory record.
    pub person: PersonRecord,
    /// The person and their grants, as the access policies read them.
    pub subject: Subject,
    /// How the request was authenticated.
    pub via: Via,
}

impl User {
    /// The session's CSRF token for the forms of a page (empty for an API token).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Bearer => "",
        }
    }

    pub(crate) fn has_role(&self, role: &str) -> bool {
        self.subject.grants.iter().any(|g| g.role == role)
    }

    /// Organisations where the person holds `role`.
    pub(crate) fn orgs_with(&self, role: &str) -> Vec<String> {
        self.subject
            .grants
            .iter()
            .filter(|g| g.role == role)
            .map(|g| g.org_id.clone())
            .collect()
    }
}

pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
        Some(token.trim().to_string())
    } else {
        None
    }
}

/// Resolves the request's session cookie or bearer token to a person.
pub(crate) async fn authenticate(app: &App, headers: &HeaderMap) -> Result<Option<User>, AppError> {
    let now = app.clock().now();
    let (person_id, via) = if let Some(token) = bearer(headers) {
        match app.store().api_token_person(&token_digest(&token)).await? {
            Some(p) => (p, Via::Bearer),
            None => return Ok(None),
        }
    } else if let Some(token) = cookie_value(headers, SESSION_COOKIE) {
        let digest = token_digest(&token);
        match app.store().session(&digest, now).await? {
            Some(s) => (
                s.person_id,
                Via::Session {
                    token_digest: digest,
                    csrf: s.csrf,
                },
            ),
            None => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    let dir = app.directory();
    let Some(person) = dir.people.get(&person_id).cloned() else {
        return Ok(None);
    };
    if person.disabled {
        return Ok(None);
    }
    Ok(Some(User {
        subject: dir.subject(&person_id),
        person,
        via,
    }))
}

/// Outcome of a login attempt.
pub enum Login {
    /// Signed in.
    Ok {
        /// The new session's token (the cookie's value).
        token: String,
        /// The password must be changed before anything else.
        must_change: bool,
    },
    /// Unknown login or wrong password (the two are not told apart).
    Refused,
    /// Too many recent failures: try again after this many seconds (no password was checked).
    Throttled {
        /// Seconds until the next attempt is checked.
        wait_secs: i64,
    },
}

/// How long an attempt must still wait past `free` failures, if at all: the delay doubles
/// with each failure beyond the allowance, from [`BASE_DELAY_SECS`] to the whole window.
fn wait(f: Failures, free: i64, now: DateTime<Utc>) -> Option<i64> {
    if f.count < free {
        return None;
    }
    let over = u32::try_from(f.count - free).unwrap_or(u32::MAX).min(16);
    let delay = (BASE_DELAY_SECS << over).min(FAILURE_WINDOW_MIN * 60);
    let until = f.last? + Duration::seconds(delay);
    (until > now).then(|| (until - now).num_seconds().max(1))
}

/// Checks a login from `client` (its address; empty when unknown) and opens a session.
pub async fn login(
    app: &App,
    login: &str,
    password: &str,
    client: &str,
) -> Result<Login, AppError> {
    let now = app.clock().now();
    let login = login.trim();
    let store = app.store();
    // Reserved first, counted as a failure until resolved (see the module docs).
    let attempt = random_token();
    store
        .reserve_login_attempt(&attempt, login, client, now)
        .await?;
    let since = now - Duration::minutes(FAILURE_WINDOW_MIN);
    let f = store.login_failures(login, client, since, &attempt).await?;
    let waits = [
        wait(f.pair, PAIR_FREE_FAILURES, now),
        wait(f.login, LOGIN_FREE_FAILURES, now),
        wait(f.client, CLIENT_FREE_FAILURES, now),
    ];
    if let Some(wait_secs) = waits.into_iter().flatten().max() {
        store
            .resolve_login_attempt(&attempt, AttemptStatus::Throttled)
            .await?;
        return Ok(Login::Throttled { wait_secs });
    }
    let creds = store.credentials_by_login(login).await?;
    let ok = match &creds {
        Some(c) if !c.disabled => verify_password(password, &c.password_hash),
        // Spend the same time on unknown logins so timing does not reveal which exist.
        _ => {
            let _ = verify_password(password, DUMMY_HASH);
            false
        }
    };
    let status = if ok {
        AttemptStatus::Ok
    } else {
        AttemptStatus::Failed
    };
    store.resolve_login_attempt(&attempt, status).await?;
    let Some(c) = creds.filter(|_| ok) else {
        return Ok(Login::Refused);
    };
    let token = random_token();
    let csrf = random_token();
    let expires: DateTime<Utc> = now + Duration::hours(SESSION_HOURS);
    store
        .create_session(&token_digest(&token), &c.person_id, &csrf, now, expires)
        .await?;
    Ok(Login::Ok {
        token,
        must_change: c.must_change_password,
    })
}

/// A wait in words: 秒 under two minutes, else whole 分钟 (rounded up).
pub(crate) fn wait_zh(secs: i64) -> String {
    if secs < 120 {
        format!("{secs} 秒")
    } else {
        format!("{} 分钟", (secs + 59) / 60)
    }
}

/// An argon2id hash of a random password nobody knows, for constant-time refusals.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$R0dVgVQTq2Jq8Z4pUmxkqqZkKpo4XyYp0Zq6Qq4Zx1s";

pub(crate) fn session_cookie(app: &App, token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        SESSION_HOURS * 3600,
        if app.secure_cookies() { "; Secure" } else { "" }
    )
}

pub(crate) fn clear_cookie(app: &App) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if app.secure_cookies() { "; Secure" } else { "" }
    )
}

/// Extractor for API handlers: a signed-in user or 401 JSON.
pub(crate) struct ApiUser(pub User);

impl FromRequestParts<App> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        match authenticate(app, &parts.headers).await? {
            Some(u) => {
                // A cookie session on the API must carry its CSRF token on writes: the API is
                // also what the pages' script calls.
                if let Via::Session { csrf, .. } = &u.via {
                    if !parts.method.is_safe() {
                        let sent = parts
                            .headers
                            .get("x-csrf-token")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        if !constant_eq(sent, csrf) {
                            return Err(AppError::Csrf);
                        }
                    }
                }
                Ok(ApiUser(u))
            }
            None => Err(AppError::Unauthenticated),
        }
    }
}

/// Whether two secrets (CSRF tokens) are equal, in time that does not depend on where they
/// differ (`subtle`); only their lengths, which are fixed, are compared directly.
pub(crate) fn constant_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A page's form submission: the signed-in user — authenticated once, here — and the form's
/// values, read only after its `_csrf` field matched the session's token (and its one-use token
/// was claimed, `crate::once`). Fields in order, repeated names kept (checkbox lists).
pub(crate) struct PageForm {
    pub user: User,
    pub values: FormValues,
}

impl FromRequest<App> for PageForm {
    /// A page: the refusal, or the first answer to a form submitted again.
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let page = |e: AppError| crate::ui::PageError(e).into_response();
        let user = match authenticate(app, req.headers()).await.map_err(page)? {
            Some(u) => u,
            None => return Err(page(AppError::Unauthenticated)),
        };
        if let Some(to) = crate::ui::password_first(app, &user, req.uri().path()) {
            return Err(to);
        }
        let form_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !form_type {
            return Err(page(AppError::BadRequest(
                "提交内容无法识别：请通过页面上的表单提交".to_string(),
            )));
        }
        let extensions = req.extensions().clone();
        let path = req.uri().path().to_string();
        // The body limit of the route (DefaultBodyLimit) applies; past it, say so.
        let bytes = axum::body::Bytes::from_request(req, app)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge(
                        "提交的表单内容过大，超出了允许的大小（8 MiB）".to_string(),
                    )
                } else {
                    AppError::BadRequest("表单内容未能完整接收，请重新提交".to_string())
                }
            })
            .map_err(page)?;
        let fields = crate::rejections::checked_form(&bytes).map_err(page)?;
        let sent = fields
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        if sent.is_empty() || !constant_eq(sent, user.csrf()) {
            return Err(page(AppError::Csrf));
        }
        let once = fields
            .iter()
            .find(|(k, _)| k == "_once")
            .map(|(_, v)| v.as_str());
        crate::once::claim_form(app, &user, &extensions, &path, once).await?;
        Ok(PageForm {
            user,
            values: FormValues::new(fields),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse 42").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse 42", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn dummy_hash_parses_so_unknown_logins_cost_the_same() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn delays_double_past_the_allowance_up_to_the_window() {
        let now = Utc::now();
        let at = |count, secs_ago| Failures {
            count,
            last: Some(now - Duration::seconds(secs_ago)),
        };
        assert_eq!(wait(at(4, 0), 5, now), None);
        assert_eq!(wait(at(5, 0), 5, now), Some(30));
        assert_eq!(wait(at(5, 20), 5, now), Some(10));
        assert_eq!(wait(at(5, 30), 5, now), None);
        assert_eq!(wait(at(6, 0), 5, now), Some(60));
        assert_eq!(wait(at(8, 0), 5, now), Some(240));
        assert_eq!(wait(at(50, 0), 5, now), Some(FAILURE_WINDOW_MIN * 60));
        assert_eq!(wait_zh(30), "30 秒");
        assert_eq!(wait_zh(121), "3 分钟");
    }

    #[test]
    fn new_password_rules_are_explained_in_chinese() {
        assert!(check_new_password("short1").is_err());
        assert!(check_new_password("onlyletters").is_err());
        assert!(check_new_password("letters and 123").is_ok());
    }

    #[test]
    fn tokens_are_random_hex_and_cookies_strict() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert!(constant_eq("abc", "abc"));
        assert!(!constant_eq("abc", "abd"));
        assert!(!constant_eq("abc", "ab"));
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; lvzhi_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie_value(&h, SESSION_COOKIE).as_deref(), Some("xyz"));
    }
}
