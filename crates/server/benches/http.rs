//! Load on loopback (issues 5 and 21): requests per second, p50 and p99 latency of the inbox,
//! the case list (unfiltered and by each filter), a case page, the list API and the 维权台账, as
//! ratios to a trivial endpoint (`/healthz`) of the same server in the same run, at each of
//! several numbers of cases in one database grown between runs. Uses `wrk` (Debian `wrk`).
//!
//! Run: `cargo bench -p lvzhi-server --bench http`. Settings:
//! - `LVZHI_HTTP_CASES=10000,100000` (default): the numbers of cases to measure at, ascending;
//! - `LVZHI_HTTP_DB=postgres://127.0.0.1/test` for PostgreSQL (a fresh `t_http_…` schema, swept
//!   by the store's tests) instead of a temporary SQLite file;
//! - `LVZHI_HTTP_SECONDS=10` per endpoint.
//!
//! Under `cargo test` it does nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap stops it.

use std::process::Command as Process;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_server::{App, Clock, DataFiles, ServeConfig};
use lvzhi_workflow::{
    AccountabilityDecision, Actor, ApplicationForm, Command, Officer, Org, Role, Sanction,
};

struct NoFiles;

impl DataFiles for NoFiles {
    fn import_calendar(&self, _: &str, _: &str) -> Result<(Calendar, String), String> {
        Err("基准测试不导入日历".into())
    }
    fn import_pack(&self, _: &str, _: &str) -> Result<PackSet, String> {
        Err("基准测试不导入政策包".into())
    }
}

fn packs() -> PackSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs");
    let mut files = Vec::new();
    for e in std::fs::read_dir(&dir).expect("packs directory") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "toml") {
            let name = format!("packs/{}", p.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read_to_string(&p).expect("pack")));
        }
    }
    PackSet::load(files.iter().map(|(a, b)| (a.as_str(), b.as_str()))).expect("packs load")
}

/// What wrk measured of one endpoint: requests per second, p50 and p99 latency (ms).
#[derive(Debug, Clone, Copy)]
struct Load {
    rps: f64,
    p50: f64,
    p99: f64,
}

/// wrk's latency figure in ms (`3.50ms`, `812.00us`, `1.20s`).
fn millis(v: &str) -> f64 {
    let v = v.trim();
    let (num, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
    let n: f64 = num.trim().parse().unwrap_or(0.0);
    match unit {
        "us" => n / 1000.0,
        "s" => n * 1000.0,
        _ => n,
    }
}

/// Parses wrk's "Requests/sec" and the 50% and 99% latencies.
fn wrk(url: &str, header: &str, seconds: u32) -> Load {
    let mut cmd = Process::new("wrk");
    cmd.args(["-t2", "-c16", &format!("-d{seconds}s"), "--latency"]);
    if !header.is_empty() {
        cmd.args(["-H", header]);
    }
    let out = cmd
        .arg(url)
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    let latency = |q: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(q))
            .map(millis)
            .unwrap_or(0.0)
    };
    let (p50, p99) = (latency("50%"), latency("99%"));
    let non2xx = text.lines().any(|l| l.contains("Non-2xx"));
    assert!(!non2xx, "{url} answered non-2xx:\n{text}");
    Load { rps, p50, p99 }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("http: skipped under cargo test; run `cargo bench -p lvzhi-server --bench http`");
        return;
    }
    let sizes: Vec<usize> = std::env::var("LVZHI_HTTP_CASES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .map(|v| {
            v.trim()
                .parse()
                .expect("LVZHI_HTTP_CASES: numbers, comma-separated")
        })
        .collect();
    let db = std::env::var("LVZHI_HTTP_DB").ok();
    let seconds: u32 = std::env::var("LVZHI_HTTP_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let dir = tempfile::tempdir().expect("tempdir");
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let app = App::open(ServeConfig {
            addr: "127.0.0.1:0".into(),
            db_url: match &db {
                // A fresh schema per run, named so the store tests' sweep drops it later.
                Some(url) => format!(
                    "{url}?schema=t_http_{}",
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .expect("clock")
                        .as_millis()
                ),
                None => format!("sqlite://{}", dir.path().join("load.db").display()),
            },
            data_dir: dir.path().to_path_buf(),
            demo: true,
            clock: Clock::fixed(today),
            calendar: Calendar::embedded(),
            packs: packs(),
            files: Arc::new(NoFiles),
            secure_cookies: false,
            remind_within_wd: 3,
            evidence_url: None,
            // The load is the record's, not the typesetter's (100k imported cases seal nothing).
            fonts_dir: None,
            seal_documents: false,
        })
        .await
        .expect("app");
        lvzhi_server::demo::seed(&app).await.expect("demo seed");
        let dirx = app.directory();
        // An officer, their unit, and the office of the committee above it, from the demo tree.
        let (officer, unit) = dirx
            .grants
            .values()
            .flatten()
            .find(|g| g.role == "officer")
            .map(|g| (g.person_id.clone(), g.org_id.clone()))
            .expect("a demo officer");
        let mut committee = Some(unit.clone());
        let office = loop {
            let Some(org) = committee.clone() else {
                panic!("no office above the officer's unit");
            };
            if let Some(g) = dirx
                .grants
                .values()
                .flatten()
                .find(|g| g.role == "office" && g.org_id == org)
            {
                break g.clone();
            }
            committee = dirx.tree.parent(&org).map(str::to_string);
        };
        let department = dirx
            .grants
            .values()
            .flatten()
            .find(|g| g.role == "original_department")
            .map(|g| g.org_id.clone())
            .expect("a demo original-decision department");
        let org = |id: &str| Org {
            id: id.to_string(),
            name: dirx.org_name(id),
        };
        let officer_actor = Actor::new(&officer, &[Role::Officer], &unit);
        let office_actor = Actor::new(&office.person_id, &[Role::Office], &office.org_id);
        let form = ApplicationForm {
            applicants: vec![Officer {
                person_id: officer.clone(),
                name: dirx.person_name(&officer),
            }],
            applying_unit: org(&unit),
            committee: org(&office.org_id),
            parent_committee: dirx.tree.parent(&office.org_id).map(org),
            matter: "现场处置中依法使用警械致嫌疑人受伤，申请免责".into(),
            statement: None,
            accountability_decision: None,
            facts: Default::default(),
        };
        // 000 §12: an application challenges a decision already made.
        let decision = |day: NaiveDate| AccountabilityDecision {
            department: org(&department),
            sanction: Sanction::Admonition,
            decided_on: day - chrono::Days::new(10),
            document_number: None,
        };
        let backend = if db.is_some() { "PostgreSQL" } else { "SQLite" };
        let first = format!("L{:07}", 0);
        let mut made = 0usize;
        let mut table: Vec<(usize, Vec<(String, Load)>)> = Vec::new();
        let mut credentials: Option<(String, String, String)> = None;
        for n in sizes {
            let started = Instant::now();
            let mut batch = Vec::new();
            for i in made..n.max(made) {
                let day = today - chrono::Days::new((i % 700) as u64);
                let id = format!("L{:07}", i);
                let mut cmds = vec![
                    (
                        officer_actor.clone(),
                        Command::File {
                            form: ApplicationForm {
                                accountability_decision: Some(decision(day)),
                                ..form.clone()
                            },
                            received_on: None,
                        },
                        day,
                    ),
                    (office_actor.clone(), Command::Register, day),
                ];
                if i % 3 != 0 {
                    cmds.push((office_actor.clone(), Command::Accept, day));
                }
                batch.push((id, cmds));
                if batch.len() == 1000 || i + 1 == n.max(made) {
                    app.service()
                        .import_batch(&batch, app.clock().now())
                        .await
                        .expect("import");
                    batch.clear();
                }
            }
            println!(
                "http: generated {} cases (to {n}) in {:.1} s",
                n.saturating_sub(made),
                started.elapsed().as_secs_f64()
            );
            made = made.max(n);
            // Where the time goes, in process, before the load runs.
            {
                let user = lvzhi_server::auth::User {
                    person: dirx.people[&office.person_id].clone(),
                    subject: dirx.subject(&office.person_id),
                    via: lvzhi_server::auth::Via::Bearer,
                };
                let scope = lvzhi_server::access::scope(&app, &user);
                let t = Instant::now();
                let rows = app
                    .store()
                    .query_deadlines(&scope, None, 200)
                    .await
                    .expect("deadlines");
                println!(
                    "http: query_deadlines (200 rows) {:.1} ms",
                    t.elapsed().as_secs_f64() * 1e3
                );
                let t = Instant::now();
                for r in &rows {
                    app.store().case_links(&r.case_id).await.expect("links");
                }
                println!(
                    "http: 200 × case_links {:.1} ms",
                    t.elapsed().as_secs_f64() * 1e3
                );
                let t = Instant::now();
                let items = lvzhi_server::cases::lists::inbox(&app, &user, 200)
                    .await
                    .expect("inbox");
                println!(
                    "http: inbox items ({}) {:.1} ms",
                    items.len(),
                    t.elapsed().as_secs_f64() * 1e3
                );
                let q = lvzhi_store::CaseQuery {
                    scope: scope.clone(),
                    limit: 20,
                    ..Default::default()
                };
                let t = Instant::now();
                let (_, total) = app.store().query_cases(&q).await.expect("cases");
                println!(
                    "http: query_cases, counting all (20 of {total}) {:.1} ms",
                    t.elapsed().as_secs_f64() * 1e3
                );
                let capped = lvzhi_store::CaseQuery {
                    count_up_to: Some(lvzhi_server::cases::lists::COUNT_UP_TO),
                    ..q.clone()
                };
                let t = Instant::now();
                let (_, total) = app.store().query_cases(&capped).await.expect("cases");
                println!(
                    "http: query_cases, counting to {} (20 of {total}) {:.1} ms",
                    lvzhi_server::cases::lists::COUNT_UP_TO,
                    t.elapsed().as_secs_f64() * 1e3
                );
                let t = Instant::now();
                let page = lvzhi_server::cases::lists::list(&app, &user, &Default::default())
                    .await
                    .expect("list");
                println!(
                    "http: case list page ({}) {:.1} ms",
                    page.cases.len(),
                    t.elapsed().as_secs_f64() * 1e3
                );
            }
            // A bearer token for the office person (API) and a session (pages), made once.
            if table.is_empty() {
                let token = lvzhi_server::auth::random_token();
                app.store()
                    .create_api_token(
                        "bench",
                        "bench-token",
                        &lvzhi_server::auth::token_digest(&token),
                        &office.person_id,
                        "load benchmark",
                        app.clock().now(),
                    )
                    .await
                    .expect("token");
                let session = lvzhi_server::auth::random_token();
                let now = app.clock().now();
                app.store()
                    .create_session(
                        &lvzhi_server::auth::token_digest(&session),
                        &office.person_id,
                        "csrf",
                        now,
                        now + chrono::Duration::hours(2),
                    )
                    .await
                    .expect("session");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let addr = listener.local_addr().expect("addr");
                let served = app.clone();
                tokio::spawn(async move {
                    let _ = axum::serve(listener, lvzhi_server::router(served)).await;
                });
                credentials = Some((format!("http://{addr}"), session, token));
            }
            let Some((base, session, token)) = credentials.clone() else {
                unreachable!("set on the first size")
            };
            let cookie = format!("Cookie: lvzhi_session={session}");
            let bearer = format!("Authorization: Bearer {token}");
            let page = |path: &str| (format!("{base}{path}"), cookie.clone());
            let targets = [
                ("/healthz", (format!("{base}/healthz"), String::new())),
                ("inbox /", page("/")),
                ("case list", page("/cases")),
                ("list, state", page("/cases?state=under_review")),
                ("list, kind", page("/cases?kind=application")),
                ("list, org", page(&format!("/cases?org={}", office.org_id))),
                ("list, due ≤3wd", page("/cases?due_within=3")),
                ("case list p.40", page("/cases?page=40")),
                ("case page", page(&format!("/cases/{first}"))),
                ("维权台账", page("/incidents/ledger")),
                (
                    "list API",
                    (format!("{base}/api/v1/cases?page=1"), bearer.clone()),
                ),
            ];
            let results = tokio::task::spawn_blocking(move || {
                targets
                    .iter()
                    .map(|(name, (url, h))| (name.to_string(), wrk(url, h, seconds)))
                    .collect::<Vec<_>>()
            })
            .await
            .expect("wrk");
            let base_rps = results[0].1.rps.max(1.0);
            println!("http: {n} cases in {backend}, wrk -t2 -c16 -d{seconds}s on loopback");
            println!(
                "{:<16} {:>10} {:>9} {:>9} {:>10}",
                "endpoint", "req/s", "p50 ms", "p99 ms", "rps ratio"
            );
            for (name, l) in &results {
                println!(
                    "{:<16} {:>10.0} {:>9.2} {:>9.2} {:>10.3}",
                    name,
                    l.rps,
                    l.p50,
                    l.p99,
                    l.rps / base_rps
                );
            }
            table.push((n, results));
        }
        // Issue 21's goal, per page: p50 at the largest size against the smallest (≤ 1.5×).
        if let (Some((small, a)), Some((large, b))) = (table.first(), table.last()) {
            if large > small {
                println!("http: p50 at {large} cases ÷ p50 at {small} ({backend})");
                for ((name, x), (_, y)) in a.iter().zip(b) {
                    println!("{name:<16} {:>6.2}", y.p50 / x.p50.max(0.001));
                }
            }
        }
    });
}
