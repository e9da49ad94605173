//! Typesetting under load (issue 19 item 3): 8 parallel downloads of the largest notice the
//! limits allow — a 不予受理通知书 whose reasons are the 10,000 characters a text may have,
//! typeset on every download (sealing off, the worst case) — and the p99 of `/healthz` and of
//! a case page meanwhile, against the same server idle. Before the limits a 1,000,000-character
//! case held both cores for 36 s and other users' requests went from 5 ms to 0.8 s.
//!
//! Run: `cargo bench -p lvzhi-server --bench typeset_load` (`LVZHI_LOAD_SECONDS=20`). Under
//! `cargo test` it does nothing. Needs a CJK font (Debian's fonts-noto-cjk).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap stops it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use chrono::NaiveDate;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use lvzhi_calendar::Calendar;
use lvzhi_rules::PackSet;
use lvzhi_server::{App, Clock, DataFiles, ServeConfig};
use lvzhi_service::limits;
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

type Http = Client<hyper_util::client::legacy::connect::HttpConnector, Body>;

/// One GET; its status and how long it took.
async fn get(http: &Http, url: &str, cookie: &str) -> (u16, Duration) {
    let req = axum::http::Request::get(url)
        .header("cookie", cookie)
        .body(Body::empty())
        .expect("request");
    let t = Instant::now();
    let res = http.request(req).await.expect("answer");
    let status = res.status().as_u16();
    let _ = axum::body::to_bytes(Body::new(res.into_body()), usize::MAX).await;
    (status, t.elapsed())
}

fn p(mut v: Vec<Duration>, q: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len().max(1)) - 1;
    v.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

/// Sequential GETs of `url` for `seconds`: p50 and p99 in ms, and how many.
async fn probe(http: &Http, url: &str, cookie: &str, seconds: u64) -> (f64, f64, usize) {
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut times = Vec::new();
    while Instant::now() < end {
        let (status, t) = get(http, url, cookie).await;
        assert_eq!(status, 200, "{url}");
        times.push(t);
    }
    let n = times.len();
    (p(times.clone(), 0.5), p(times, 0.99), n)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("typeset_load: skipped under cargo test; run `cargo bench -p lvzhi-server --bench typeset_load`");
        return;
    }
    let seconds: u64 = std::env::var("LVZHI_LOAD_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
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
            demo: false,
            clock: Clock::fixed(today),
            calendar: Calendar::embedded(),
            packs: packs(),
            files: Arc::new(NoFiles),
            secure_cookies: false,
            remind_within_wd: 3,
            evidence_url: None,
            fonts_dir: None,
            // Every download typesets: the heaviest the server can be asked to do.
            seal_documents: false,
        })
        .await
        .expect("app");
        let s = app.store();
        for (id, parent, name) in [
            ("zq", None, "阿拉善左旗公安局"),
            ("bh", Some("zq"), "巴彦浩特派出所"),
        ] {
            s.put_org(
                "bench",
                &lvzhi_store::OrgRecord {
                    id: id.into(),
                    parent_id: parent.map(str::to_string),
                    name: name.into(),
                    kind: "police".into(),
                },
            )
            .await
            .expect("org");
        }
        let org = |id: &str, name: &str| Org {
            id: id.into(),
            name: name.into(),
        };
        let officer = Actor::new("p-off", &[Role::Officer], "bh");
        let office = Actor::new("p-office", &[Role::Office], "zq");
        let form = ApplicationForm {
            applicants: vec![Officer {
                person_id: "p-off".into(),
                name: "巴特尔".into(),
            }],
            applying_unit: org("bh", "巴彦浩特派出所"),
            committee: org("zq", "阿拉善左旗公安局"),
            parent_committee: None,
            matter: "申".repeat(limits::MATTER_CHARS),
            statement: Some("事".repeat(limits::STATEMENT_CHARS)),
            accountability_decision: Some(AccountabilityDecision {
                department: org("zq", "阿拉善左旗公安局"),
                sanction: Sanction::Warning,
                decided_on: today - chrono::Days::new(20),
                document_number: Some("左公督〔2026〕3号".into()),
            }),
            facts: Default::default(),
        };
        let reasons = "经审查，所述情形不属于本级维权委受理范围。".repeat(
            limits::TEXT_CHARS / "经审查，所述情形不属于本级维权委受理范围。".chars().count(),
        );
        let service = app.service();
        let now = app.clock().now();
        let cases = [
            (officer.clone(), Command::File { form, received_on: None }, today),
            (office.clone(), Command::Register, today),
            (office.clone(), Command::Reject { reasons }, today),
        ];
        service
            .import_batch(&[("A2026-000001".into(), cases.to_vec())], now)
            .await
            .expect("the case");
        s.put_person(
            "bench",
            &lvzhi_store::PersonRecord {
                id: "p-office".into(),
                name: "王办".into(),
                org_id: "zq".into(),
                title: String::new(),
                login: None,
                must_change_password: false,
                disabled: false,
            },
        )
        .await
        .expect("person");
        s.grant(
            "bench",
            &lvzhi_store::GrantRecord {
                person_id: "p-office".into(),
                role: "office".into(),
                org_id: "zq".into(),
            },
        )
        .await
        .expect("grant");
        let session = lvzhi_server::auth::random_token();
        s.create_session(
            &lvzhi_server::auth::token_digest(&session),
            "p-office",
            "csrf",
            now,
            now + chrono::Duration::hours(2),
        )
        .await
        .expect("session");
        app.reload_directory().await.expect("directory");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, lvzhi_server::router(app)).await;
        });
        let base = format!("http://{addr}");
        let cookie = format!("lvzhi_session={session}");
        let http: Http = Client::builder(TokioExecutor::new()).build_http();
        let notice = format!("{base}/cases/A2026-000001/documents/1.pdf");
        let (status, one) = get(&http, &notice, &cookie).await;
        assert_eq!(status, 200, "the notice typesets (is a CJK font installed?)");
        let healthz = format!("{base}/healthz");
        let page = format!("{base}/cases/A2026-000001");
        let idle_h = probe(&http, &healthz, "", 5).await;
        let idle_p = probe(&http, &page, &cookie, 5).await;

        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (done, busy) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut downloads = Vec::new();
        for _ in 0..8 {
            let (http, url, cookie) = (http.clone(), notice.clone(), cookie.clone());
            let (stop, done, busy) = (stop.clone(), done.clone(), busy.clone());
            downloads.push(tokio::spawn(async move {
                let mut times = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let (status, t) = get(&http, &url, &cookie).await;
                    match status {
                        200 => {
                            done.fetch_add(1, Ordering::Relaxed);
                            times.push(t);
                        }
                        503 => {
                            busy.fetch_add(1, Ordering::Relaxed);
                        }
                        other => panic!("download answered {other}"),
                    }
                }
                times
            }));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (load_h, load_p) = tokio::join!(
            probe(&http, &healthz, "", seconds),
            probe(&http, &page, &cookie, seconds)
        );
        stop.store(true, Ordering::Relaxed);
        let mut times = Vec::new();
        for d in downloads {
            times.extend(d.await.expect("downloads"));
        }
        println!(
            "typeset_load: the largest notice ({} characters of reasons) typesets in {:.0} ms alone",
            limits::TEXT_CHARS,
            one.as_secs_f64() * 1e3
        );
        println!(
            "typeset_load: 8 parallel downloads for {seconds} s: {} served (p50 {:.0} ms, p99 {:.0} ms), {} answered 503 (pool busy)",
            done.load(Ordering::Relaxed),
            p(times.clone(), 0.5),
            p(times, 0.99),
            busy.load(Ordering::Relaxed)
        );
        println!("{:<12} {:>10} {:>10} {:>10} {:>10}", "endpoint", "idle p50", "idle p99", "load p50", "load p99");
        for (name, idle, load) in [("/healthz", idle_h, load_h), ("case page", idle_p, load_p)] {
            println!(
                "{:<12} {:>8.2}ms {:>8.2}ms {:>8.2}ms {:>8.2}ms",
                name, idle.0, idle.1, load.0, load.1
            );
        }
    });
}
