//! Load on loopback (issue 5): requests per second and p99 latency of the inbox, a case page and
//! a case-list API page with 100k cases in SQLite, each as a ratio to a trivial endpoint
//! (`/healthz`) of the same server in the same run. Uses `wrk` (Debian package `wrk`).
//!
//! Run: `cargo bench -p lvzhi-server --bench http` (`LVZHI_HTTP_CASES=10000` for a shorter run,
//! `LVZHI_HTTP_SECONDS=10` per endpoint). Under `cargo test` it does nothing.

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

/// Parses wrk's "Requests/sec" and the 99% latency (in ms).
fn wrk(url: &str, header: &str, seconds: u32) -> (f64, f64) {
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
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| {
            let v = v.trim();
            let (num, unit) = v.split_at(v.find(|c: char| c.is_alphabetic()).unwrap_or(v.len()));
            let n: f64 = num.trim().parse().unwrap_or(0.0);
            match unit {
                "us" => n / 1000.0,
                "s" => n * 1000.0,
                _ => n,
            }
        })
        .unwrap_or(0.0);
    let non2xx = text.lines().any(|l| l.contains("Non-2xx"));
    assert!(!non2xx, "{url} answered non-2xx:\n{text}");
    (rps, p99)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("http: skipped under cargo test; run `cargo bench -p lvzhi-server --bench http`");
        return;
    }
    let n: usize = std::env::var("LVZHI_HTTP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
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
            db_url: format!("sqlite://{}", dir.path().join("load.db").display()),
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
        let started = Instant::now();
        let mut batch = Vec::new();
        let mut first = String::new();
        for i in 0..n {
            let day = today - chrono::Days::new((i % 700) as u64);
            let id = format!("L{:07}", i);
            if first.is_empty() {
                first = id.clone();
            }
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
            if batch.len() == 1000 || i + 1 == n {
                app.service()
                    .import_batch(&batch, app.clock().now())
                    .await
                    .expect("import");
                batch.clear();
            }
        }
        println!(
            "http: generated {n} cases in {:.1} s",
            started.elapsed().as_secs_f64()
        );
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
                "http: query_cases (20 of {total}) {:.1} ms",
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
        // A bearer token for the office person (API) and a session (pages).
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
        tokio::spawn(async move {
            let _ = axum::serve(listener, lvzhi_server::router(app)).await;
        });
        let base = format!("http://{addr}");
        let cookie = format!("Cookie: lvzhi_session={session}");
        let bearer = format!("Authorization: Bearer {token}");
        let targets = [
            ("trivial /healthz", format!("{base}/healthz"), String::new()),
            ("inbox /", format!("{base}/"), cookie.clone()),
            ("case page", format!("{base}/cases/{first}"), cookie.clone()),
            (
                "list API page",
                format!("{base}/api/v1/cases?page=1"),
                bearer.clone(),
            ),
        ];
        let results = tokio::task::spawn_blocking(move || {
            targets
                .iter()
                .map(|(name, url, h)| (name.to_string(), wrk(url, h, seconds)))
                .collect::<Vec<_>>()
        })
        .await
        .expect("wrk");
        let (base_rps, base_p99) = results[0].1;
        println!("http: {n} cases in SQLite, wrk -t2 -c16 -d{seconds}s on loopback");
        println!(
            "{:<18} {:>10} {:>10} {:>12} {:>12}",
            "endpoint", "req/s", "p99 ms", "rps ratio", "p99 ratio"
        );
        for (name, (rps, p99)) in &results {
            println!(
                "{:<18} {:>10.0} {:>10.2} {:>12.3} {:>12.1}",
                name,
                rps,
                p99,
                rps / base_rps.max(1.0),
                p99 / base_p99.max(0.001)
            );
        }
    });
}
