//! Accounts and sessions.
//!
//! - Passwords: argon2id (PHC string with its own salt and parameters).
//! - Sessions: a random 256-bit token in an `HttpOnly; SameSite=Strict` cookie (`Secure` behind
//!   TLS); the database keeps only its SM3 digest, so a copy of the database opens no session.
//! - CSRF: each session has its own random token, embedded in every form and checked on every
//!   state-changing page request ([`CsrfForm`]). SameSite=Strict already stops cross-site posts
//!   in current browsers; the token keeps older ones and same-site attackers out too.
//! - Login limiting: after [`MAX_FAILURES`] failed attempts on one login within
//!   [`FAILURE_WINDOW_MIN`] minutes, further attempts are refused until the window passes
//!   (checked in the database, so several server processes share the count).
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
use axum::Form;
use chrono::{DateTime, Duration, Utc};
use lvzhi_access::Subject;
use lvzhi_store::PersonRecord;

use crate::app::App;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "lvzhi_session";
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW_MIN: i64 = 15;
/// Sessions last a working day; an idle office PC does not stay signed in overnight.
pub const SESSION_HOURS: i64 = 10;

/// 32 random bytes as lower-case hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// The digest stored for a session or API token.
pub fn token_digest(token: &str) -> String {
    lvzhi_store::sm3_hex(token.as_bytes())
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("argon2: {e}")))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

/// Password rules for new passwords: long enough to resist guessing, with letters and digits.
pub fn check_new_password(password: &str) -> Result<(), AppError> {
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
    Session { token_digest: String, csrf: String },
    Bearer,
}

/// The signed-in person.
#[derive(Debug, Clone)]
pub struct User {
    pub person: PersonRecord,
    pub subject: Subject,
    pub via: Via,
}

impl User {
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Bearer => "",
        }
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.subject.grants.iter().any(|g| g.role == role)
    }

    /// Organisations where the person holds `role`.
    pub fn orgs_with(&self, role: &str) -> Vec<String> {
        self.subject
            .grants
            .iter()
            .filter(|g| g.role == role)
            .map(|g| g.org_id.clone())
            .collect()
    }
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
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
pub async fn authenticate(app: &App, headers: &HeaderMap) -> Result<Option<User>, AppError> {
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
    Ok { token: String, must_change: bool },
    Refused,
    Locked,
}

/// Checks a login and opens a session. Every attempt is recorded for limiting.
pub async fn login(app: &App, login: &str, password: &str) -> Result<Login, AppError> {
    let now = app.clock().now();
    let login = login.trim();
    let since = now - Duration::minutes(FAILURE_WINDOW_MIN);
    if app.store().failed_logins_since(login, since).await? >= MAX_FAILURES {
        app.store().record_login_attempt(login, now, false).await?;
        return Ok(Login::Locked);
    }
    let creds = app.store().credentials_by_login(login).await?;
    let ok = match &creds {
        Some(c) if !c.disabled => verify_password(password, &c.password_hash),
        // Spend the same time on unknown logins so timing does not reveal which exist.
        _ => {
            let _ = verify_password(password, DUMMY_HASH);
            false
        }
    };
    app.store().record_login_attempt(login, now, ok).await?;
    let Some(c) = creds.filter(|_| ok) else {
        return Ok(Login::Refused);
    };
    let token = random_token();
    let csrf = random_token();
    let expires: DateTime<Utc> = now + Duration::hours(SESSION_HOURS);
    app.store()
        .create_session(&token_digest(&token), &c.person_id, &csrf, now, expires)
        .await?;
    Ok(Login::Ok {
        token,
        must_change: c.must_change_password,
    })
}

/// An argon2id hash of a random password nobody knows, for constant-time refusals.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$R0dVgVQTq2Jq8Z4pUmxkqqZkKpo4XyYp0Zq6Qq4Zx1s";

pub fn session_cookie(app: &App, token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        SESSION_HOURS * 3600,
        if app.secure_cookies() { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(app: &App) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if app.secure_cookies() { "; Secure" } else { "" }
    )
}

/// Extractor for API handlers: a signed-in user or 401 JSON.
pub struct ApiUser(pub User);

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

pub fn constant_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A page form whose `_csrf` field matched the session's token. Fields in order, repeated
/// names kept (checkbox lists).
pub struct CsrfForm(pub Vec<(String, String)>);

impl CsrfForm {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().trim().to_string()
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl FromRequest<App> for CsrfForm {
    type Rejection = crate::ui::PageError;

    async fn from_request(req: Request, app: &App) -> Result<Self, Self::Rejection> {
        let user = authenticate(app, req.headers()).await?;
        let Form(fields): Form<Vec<(String, String)>> = Form::from_request(req, app)
            .await
            .map_err(|_| AppError::BadRequest("表单内容无法识别".to_string()))?;
        let sent = fields
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        match user {
            Some(u) if constant_eq(sent, u.csrf()) && !sent.is_empty() => Ok(CsrfForm(fields)),
            Some(_) => Err(AppError::Csrf.into()),
            None => Err(AppError::Unauthenticated.into()),
        }
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
