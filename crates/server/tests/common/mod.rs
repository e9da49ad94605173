//! What the server's integration tests share: the real application on a temporary SQLite
//! database with a fixed clock, the embedded calendar and the repository's policy packs (with
//! the demo seed when asked for); a small directory written through the store; sessions and
//! API tokens; and HTTP requests sent straight into the router or over TCP to the app served on
//! a loopback port, their replies collected whole.

// Each test binary uses part of this module.
#![allow(dead_code)]

/// The browser tests' harness: headless Chromium on the demo server through WebDriver.
pub(crate) mod browser;
/// The process tests' world: a directory with tokens and sessions, and the API calls on cases.
pub(crate) mod world;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, request, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use chrono::{Duration, NaiveDate};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_server::auth::{self, token_digest};
use lvzhi_server::{demo, router, App, Clock, DataFiles, ServeConfig};
use lvzhi_store::{GrantRecord, OrgRecord, PersonRecord};
use serde_json::Value;
use tower::ServiceExt;

// ---- the application ----

/// The day the demo and the tests run on: a Tuesday, so every step falls on a working day.
pub(crate) const TODAY: (i32, u32, u32) = (2026, 11, 24);

pub(crate) fn today() -> NaiveDate {
    let (y, m, d) = TODAY;
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A day written `YYYY-MM-DD`.
pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a valid date")
}

/// The server stores no files in these tests: imports are refused.
pub(crate) struct NoFiles;

impl DataFiles for NoFiles {
    fn import_calendar(&self, _: &str, _: &str) -> Result<(Calendar, String), String> {
        Err("测试环境不保存日历文件".to_string())
    }
    fn import_pack(&self, _: &str, _: &str) -> Result<PackSet, String> {
        Err("测试环境不保存政策包".to_string())
    }
}

/// Validates imports as the binary's data store does, without writing anything anywhere.
pub(crate) struct CheckedFiles {
    packs: Vec<(String, String)>,
}

impl CheckedFiles {
    pub(crate) fn new() -> Self {
        CheckedFiles {
            packs: pack_files(),
        }
    }
}

impl DataFiles for CheckedFiles {
    fn import_calendar(&self, label: &str, text: &str) -> Result<(Calendar, String), String> {
        Calendar::embedded()
            .with_schedule_text(label, text)
            .map(|c| (c, format!("{label} 已导入")))
            .map_err(|e| e.to_string())
    }

    fn import_pack(&self, label: &str, text: &str) -> Result<PackSet, String> {
        let mut all: Vec<(&str, &str)> = self
            .packs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        all.push((label, text));
        PackSet::load(all).map_err(|e| e.to_string())
    }
}

/// The shipped packs, read from the repository's `packs/` directory, as (file name, text).
pub(crate) fn pack_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("packs directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("pack text");
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, text)
        })
        .collect();
    files.sort();
    files
}

/// The shipped packs, loaded.
pub(crate) fn packs() -> PackSet {
    let files = pack_files();
    PackSet::load(files.iter().map(|(f, t)| (f.as_str(), t.as_str()))).expect("packs load")
}

/// The application on the database in `dir` (created when new), its clock fixed on `today`.
/// Notices are not sealed (see [`open_sealing`]).
pub(crate) async fn open(
    dir: &Path,
    today: NaiveDate,
    demo: bool,
    files: Arc<dyn DataFiles>,
) -> App {
    open_with(dir, today, demo, files, false).await
}

/// [`open`], sealing every notice issued (typeset with the system's fonts, archived in
/// `DATA_DIR/evidence/documents`, SM3 recorded), as `lvzhi serve` does.
pub(crate) async fn open_sealing(dir: &Path, today: NaiveDate) -> App {
    open_with(dir, today, false, Arc::new(NoFiles), true).await
}

pub(crate) async fn open_with(
    dir: &Path,
    today: NaiveDate,
    demo: bool,
    files: Arc<dyn DataFiles>,
    seal_documents: bool,
) -> App {
    App::open(ServeConfig {
        addr: "127.0.0.1:0".to_string(),
        db_url: format!("sqlite://{}", dir.join("lvzhi.db").display()),
        data_dir: dir.to_path_buf(),
        demo,
        clock: Clock::fixed(today),
        calendar: Calendar::embedded(),
        packs: packs(),
        files,
        secure_cookies: false,
        remind_within_wd: 3,
        // The default: DATA_DIR/evidence.
        evidence_url: None,
        fonts_dir: None,
        seal_documents,
    })
    .await
    .expect("the server opens its database")
}

/// An application of its own on a fresh temporary directory, kept as long as the value.
pub(crate) struct TestApp {
    pub app: App,
    pub dir: tempfile::TempDir,
}

/// A fresh application on `today` (not in demo mode, no file imports) with an empty directory.
pub(crate) async fn fresh(today: NaiveDate) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open(dir.path(), today, false, Arc::new(NoFiles)).await;
    TestApp { app, dir }
}

/// The application on a fresh database in `dir`, seeded with the demo data, on `TODAY`.
pub(crate) async fn demo_app(dir: &Path) -> App {
    let app = open(dir, today(), true, Arc::new(NoFiles)).await;
    demo::seed(&app).await.expect("the demo seeds");
    app
}

/// Serves the application on a free loopback port until the test's runtime ends.
pub(crate) async fn serve(app: App) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    tokio::spawn(async move {
        let service = router(app).into_make_service_with_connect_info::<std::net::SocketAddr>();
        let _ = axum::serve(listener, service).await;
    });
    addr
}

// ---- the directory ----

/// The actor the tests' own directory changes are recorded against in the chain.
pub(crate) const SETUP: &str = "test-setup";

pub(crate) fn org(id: &str, parent: Option<&str>, name: &str, kind: &str) -> OrgRecord {
    OrgRecord {
        id: id.to_string(),
        parent_id: parent.map(str::to_string),
        name: name.to_string(),
        kind: kind.to_string(),
    }
}

pub(crate) fn person(
    id: &str,
    name: &str,
    org_id: &str,
    title: &str,
    login: Option<&str>,
) -> PersonRecord {
    PersonRecord {
        id: id.to_string(),
        name: name.to_string(),
        org_id: org_id.to_string(),
        title: title.to_string(),
        login: login.map(str::to_string),
        must_change_password: false,
        disabled: false,
    }
}

/// Stores organisations, parents first.
pub(crate) async fn add_orgs(app: &App, orgs: &[OrgRecord]) {
    for o in orgs {
        app.store().put_org(SETUP, o).await.expect("org stored");
    }
}

/// Stores a person with their role grants, each (role, organisation).
pub(crate) async fn add_person(app: &App, p: &PersonRecord, grants: &[(&str, &str)]) {
    let store = app.store();
    store.put_person(SETUP, p).await.expect("person stored");
    for (role, org_id) in grants {
        let g = GrantRecord {
            person_id: p.id.clone(),
            role: role.to_string(),
            org_id: org_id.to_string(),
        };
        store.grant(SETUP, &g).await.expect("grant stored");
    }
}

/// Sets a password the person need not change.
pub(crate) async fn set_password(app: &App, person_id: &str, password: &str) {
    let hash = auth::hash_password(password).expect("hash");
    app.store()
        .set_password(SETUP, person_id, &hash, false)
        .await
        .expect("password stored");
}

/// Issues the API token `token` (stored as its digest) to the person.
pub(crate) async fn add_token(app: &App, id: &str, token: &str, person_id: &str) {
    app.store()
        .create_api_token(
            SETUP,
            id,
            &token_digest(token),
            person_id,
            "测试",
            app.clock().now(),
        )
        .await
        .expect("token stored");
}

/// Opens a two-hour session for the person, as signing in would; see `Who::session_of`.
pub(crate) async fn add_session(app: &App, person_id: &str) -> Who {
    let now = app.clock().now();
    let who = Who::session_of(person_id);
    let Who::Session { token, csrf } = &who else {
        unreachable!("a session")
    };
    app.store()
        .create_session(
            &token_digest(token),
            person_id,
            csrf,
            now,
            now + Duration::hours(2),
        )
        .await
        .expect("session stored");
    who
}

// ---- HTTP ----

/// A whole reply.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    /// The body as text (lossily, for bodies that are not UTF-8).
    pub body: String,
}

impl Reply {
    /// A header's value; empty when absent.
    pub(crate) fn header(&self, name: impl header::AsHeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// Where a redirect points; empty when it is none.
    pub(crate) fn location(&self) -> String {
        self.header(header::LOCATION)
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    /// The body as JSON, `null` when it is not JSON.
    pub(crate) fn json_or_null(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The API error code; empty when the body has none.
    pub(crate) fn code(&self) -> String {
        self.json_or_null()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Asserts the API error shape with a Chinese message, and returns the message.
    pub(crate) fn error(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        let content_type = self.header(header::CONTENT_TYPE);
        assert!(
            content_type.starts_with("application/json"),
            "{content_type} {}",
            self.body
        );
        let v = self.json();
        let code = v["error"]["code"].as_str().unwrap_or_default();
        let message = v["error"]["message"].as_str().unwrap_or_default();
        assert!(!code.is_empty(), "{v}");
        assert!(
            message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "message not Chinese: {message}"
        );
        message.to_string()
    }
}

/// Where requests go: straight into the router, or over TCP to the app served on `base`.
#[derive(Clone)]
pub(crate) enum Target {
    InProcess(Router),
    Tcp {
        base: String,
        http: Box<hyper_util::client::legacy::Client<HttpConnector, Body>>,
    },
}

impl Target {
    pub(crate) fn in_process(app: &App) -> Self {
        Target::InProcess(router(app.clone()))
    }

    pub(crate) fn tcp(addr: SocketAddr) -> Self {
        Target::Tcp {
            base: format!("http://{addr}"),
            http: Box::new(
                hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http(),
            ),
        }
    }

    /// Sends a request whose URI is a path, and collects the whole reply.
    pub(crate) async fn send(&self, mut req: Request<Body>) -> Reply {
        let res = match self {
            Target::InProcess(router) => router.clone().oneshot(req).await.expect("infallible"),
            Target::Tcp { base, http } => {
                let uri = format!("{base}{}", req.uri());
                *req.uri_mut() = uri.parse().expect("a well-formed URI");
                http.request(req)
                    .await
                    .expect("the server answers")
                    .map(Body::new)
            }
        };
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("the whole body")
            .to_vec();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }
}

/// Who a request is sent as.
#[derive(Clone, Debug)]
pub(crate) enum Who {
    Nobody,
    /// An API token (`Authorization: Bearer`).
    Bearer(String),
    /// A browser session: its cookie's token, and the CSRF token its forms carry.
    Session {
        token: String,
        csrf: String,
    },
}

impl Who {
    /// The session `add_session` opens for `person_id`.
    pub(crate) fn session_of(person_id: &str) -> Who {
        Who::Session {
            token: format!("tok-{person_id}"),
            csrf: format!("csrf-{person_id}"),
        }
    }

    pub(crate) fn bearer(token: &str) -> Who {
        Who::Bearer(token.to_string())
    }

    /// The CSRF token of a session; empty otherwise.
    pub(crate) fn csrf(&self) -> &str {
        match self {
            Who::Session { csrf, .. } => csrf,
            _ => "",
        }
    }
}

/// Percent-encodes every byte but the unreserved ones (`application/x-www-form-urlencoded`).
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Requests to one target as one user.
#[derive(Clone)]
pub(crate) struct Client {
    pub target: Target,
    pub who: Who,
}

impl Client {
    pub(crate) fn new(target: &Target, who: Who) -> Self {
        Client {
            target: target.clone(),
            who,
        }
    }

    /// Sends `req` with the user's credentials.
    pub(crate) async fn send(&self, req: request::Builder, body: impl Into<Body>) -> Reply {
        let req = match &self.who {
            Who::Nobody => req,
            Who::Bearer(t) => req.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Who::Session { token, .. } => {
                req.header(header::COOKIE, format!("lvzhi_session={token}"))
            }
        };
        let req = req.body(body.into()).expect("a well-formed request");
        self.target.send(req).await
    }

    /// A request with an optional (content type, body).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<(&str, String)>,
    ) -> Reply {
        let req = Request::builder().method(method).uri(path);
        match body {
            Some((ct, b)) => self.send(req.header(header::CONTENT_TYPE, ct), b).await,
            None => self.send(req, Body::empty()).await,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    pub(crate) async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.call(
            Method::POST,
            path,
            Some(("application/json", body.to_string())),
        )
        .await
    }

    /// Posts a form with the session's CSRF token first.
    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("_csrf", self.who.csrf())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token unless among them).
    pub(crate) async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.call(
            Method::POST,
            path,
            Some(("application/x-www-form-urlencoded", form_body(fields))),
        )
        .await
    }
}

/// Signs in through the login page as a browser does: the session cookie it sets, and the
/// CSRF token every page in the layout carries.
pub(crate) async fn sign_in(target: &Target, login: &str, password: &str) -> Client {
    let anonymous = Client::new(target, Who::Nobody);
    let r = anonymous
        .post_raw("/login", &[("login", login), ("password", password)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {login}: {}", r.body);
    let cookie = r.header(header::SET_COOKIE);
    let token = cookie
        .split(';')
        .next()
        .and_then(|c| c.strip_prefix("lvzhi_session="))
        .expect("session cookie")
        .to_string();
    let mut client = Client::new(
        target,
        Who::Session {
            token,
            csrf: String::new(),
        },
    );
    let home = client.get("/password").await;
    let csrf = attr(&home.body, "data-csrf=\"").expect("csrf token in the layout");
    if let Who::Session { csrf: c, .. } = &mut client.who {
        *c = csrf;
    }
    client
}

/// The value of the attribute `prefix` opens (`name="…" value="`), up to its closing quote.
pub(crate) fn attr(html: &str, prefix: &str) -> Option<String> {
    between(html, prefix, "\"")
}

pub(crate) fn between(html: &str, prefix: &str, end: &str) -> Option<String> {
    let start = html.find(prefix)? + prefix.len();
    let len = html[start..].find(end)?;
    Some(html[start..start + len].to_string())
}

/// The case id in a case page's path or a redirect's location (`/cases/W2026-000006?msg=recorded`).
pub(crate) fn case_of(at: &str) -> String {
    at.trim_start_matches("/cases/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string()
}
