//! Scale of the system of record (issue 4): 10k, 100k and 1M cases on SQLite and PostgreSQL.
//!
//! Run: `cargo bench -p lvzhi-store --bench scale` (set `LVZHI_SCALE_MAX=100000` for a shorter
//! run, `LVZHI_TEST_PG` for another PostgreSQL or `off`). Under `cargo test` it does nothing.
//!
//! Measures, at each size: the median time of the first page of "cases due within 3 working
//! days" and of one case's timeline (both should stay flat: indexed, no scans); then appends per
//! second with the SM3 chain and full durability, as a ratio to plain inserts of the same rows
//! with the same durability settings.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap stops it.

use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_calendar::{Calendar, Period};
use lvzhi_store::{
    BatchItem, CaseLink, CaseQuery, CaseRow, CaseScope, DeadlineRow, NewEvent, Projection, Store,
};

fn event(kind: &str, i: u64) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        actor: format!("p{}", i % 977),
        role: "office".into(),
        at: Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).unwrap()
            + chrono::Duration::seconds(i as i64),
        reason: None,
        payload: serde_json::json!({ "i": i, "text": "受理通知书：经初查，决定予以受理。" }),
    }
}

/// A deterministic spread of due dates over 2024–2026, like a busy office's open steps.
fn due_of(i: u64) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    first + chrono::Days::new(i.wrapping_mul(2_654_435_761) % 1096)
}

/// Who a generated case involves, as a server's projection would say: its officer, their unit,
/// and for one case in ten the committee above (a 复核).
fn links_of(k: u64) -> Vec<CaseLink> {
    let mut links = vec![
        CaseLink {
            relation: "applicant".into(),
            target: format!("p{}", k % 977),
        },
        CaseLink {
            relation: "applying_unit".into(),
            target: format!("unit-{}", k % 200),
        },
    ];
    if k % 10 == 0 {
        links.push(CaseLink {
            relation: "parent_committee".into(),
            target: "root".into(),
        });
    }
    links
}

/// The scopes the pages list by, as the server derives them: the office at the top (every
/// organisation, and what is escalated to any of them), the office of one organisation, a unit,
/// and an officer.
fn scopes() -> Vec<(&'static str, CaseScope)> {
    let mut all: Vec<String> = (0..40).map(|o| format!("org-{o}")).collect();
    all.push("root".into());
    all.sort();
    vec![
        (
            "office at the top",
            CaseScope {
                orgs: all.clone(),
                escalated_orgs: all,
                ..Default::default()
            },
        ),
        (
            "office of one org",
            CaseScope {
                orgs: vec!["org-3".into()],
                escalated_orgs: vec!["org-3".into()],
                ..Default::default()
            },
        ),
        (
            "unit",
            CaseScope {
                unit_orgs: vec!["unit-7".into()],
                ..Default::default()
            },
        ),
        (
            "officer",
            CaseScope {
                person: Some("p5".into()),
                ..Default::default()
            },
        ),
    ]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median of `runs` timings of `f`.
async fn time<F, Fut, T>(runs: usize, mut f: F) -> (Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f().await);
        times.push(t.elapsed());
    }
    (median(times), last.expect("at least one run"))
}

/// The lists the pages show: a case-list page (20 rows, with its total, first and 50th page) per
/// scope, the inbox's 200 deadlines and the links of its 200 cases.
async fn measure_lists(store: &Store) {
    for (name, scope) in scopes() {
        let q = CaseQuery {
            scope: scope.clone(),
            limit: 20,
            ..Default::default()
        };
        let (first, (rows, total)) =
            time(30, || async { store.query_cases(&q).await.unwrap() }).await;
        let deep = CaseQuery {
            offset: 20 * 49,
            ..q.clone()
        };
        let (page50, _) = time(30, || async { store.query_cases(&deep).await.unwrap() }).await;
        let accepted = CaseQuery {
            state: Some("accepted".into()),
            ..q.clone()
        };
        let (filtered, _) =
            time(30, || async { store.query_cases(&accepted).await.unwrap() }).await;
        println!(
            "    list, {name:<18}: page 1 ({} rows of {total}) {:>8.3} ms; page 50 {:>8.3} ms; state filter {:>8.3} ms",
            rows.len(),
            ms(first),
            ms(page50),
            ms(filtered)
        );
        let (inbox, rows) = time(30, || async {
            store.query_deadlines(&scope, None, 200).await.unwrap()
        })
        .await;
        let ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
        let (one_by_one, _) = time(5, || async {
            for id in &ids {
                store.case_links(id).await.unwrap();
            }
        })
        .await;
        let (many, _) = time(30, || async { store.case_links_many(&ids).await.unwrap() }).await;
        println!(
            "    inbox, {name:<17}: {} deadlines {:>8.3} ms; their links one by one {:>8.3} ms, in one query {:>8.3} ms",
            rows.len(),
            ms(inbox),
            ms(one_by_one),
            ms(many)
        );
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn generate(store: &Store, from: u64, to: u64) {
    const BATCH: u64 = 500;
    let mut i = from;
    while i < to {
        let end = (i + BATCH).min(to);
        let rows: Vec<(String, Vec<NewEvent>, Projection)> = (i..end)
            .map(|k| {
                let events = vec![
                    event("filed", k),
                    event("registered", k),
                    event("accepted", k),
                ];
                let p = Projection {
                    case: CaseRow {
                        kind: "application".into(),
                        state: "accepted".into(),
                        org_id: format!("org-{}", k % 40),
                        title: "免责容错申请".into(),
                    },
                    deadlines: vec![DeadlineRow {
                        step: "opinion".into(),
                        due: due_of(k),
                        provisional: false,
                        article: "000 §16".into(),
                        fires_event: false,
                        role: String::new(),
                        label: String::new(),
                    }],
                    links: links_of(k),
                };
                (format!("A-{k:07}"), events, p)
            })
            .collect();
        let items: Vec<BatchItem> = rows
            .iter()
            .map(|(id, ev, p)| BatchItem {
                case_id: id,
                expected_version: 0,
                events: ev,
                projection: Some(p),
            })
            .collect();
        store.append_batch(&items).await.expect("batch append");
        i = end;
    }
}

async fn measure_queries(store: &Store, cal: &Calendar, n: u64) {
    let today = NaiveDate::from_ymd_opt(2025, 6, 5).unwrap();
    let until = cal.add(today, Period::WorkingDays(3)).unwrap().due;
    let mut due_times = Vec::new();
    let mut rows = 0;
    for _ in 0..200 {
        let t = Instant::now();
        rows = store.due_between(today, until, 100).await.unwrap().len();
        due_times.push(t.elapsed());
    }
    let mut timeline = Vec::new();
    for k in 0..200u64 {
        let id = format!("A-{:07}", (k * 7919) % n);
        let t = Instant::now();
        let ev = store.events(&id).await.unwrap();
        timeline.push(t.elapsed());
        assert_eq!(ev.len(), 3);
    }
    println!(
        "  {n:>9} cases: due within 3wd (first page, {rows} rows) median {:>8.3} ms; one case's timeline median {:>8.3} ms",
        median(due_times).as_secs_f64() * 1e3,
        median(timeline).as_secs_f64() * 1e3
    );
    measure_lists(store).await;
}

async fn measure_appends(url: &str, plain: PlainPool) {
    const N: u64 = 1000;
    let store = Store::open(url).await.unwrap();
    let t = Instant::now();
    for k in 0..N {
        store
            .append(&format!("W-{k}"), 0, &[event("filed", k)])
            .await
            .unwrap();
    }
    let chained = N as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    plain.insert(N).await;
    let plain_rate = N as f64 / t.elapsed().as_secs_f64();
    println!(
        "  appends, one transaction each, full durability: chained {chained:.0}/s, plain inserts {plain_rate:.0}/s, ratio {:.2}",
        chained / plain_rate
    );
}

/// Plain inserts of the same rows with the same durability: the ratio's anchor.
enum PlainPool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl PlainPool {
    async fn insert(&self, n: u64) {
        const CREATE: &str = "CREATE TABLE plain_events (seq BIGINT PRIMARY KEY, case_id TEXT NOT NULL, case_version BIGINT NOT NULL, \
            at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT, payload TEXT NOT NULL, \
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (case_id, case_version))";
        const INSERT: &str = "INSERT INTO plain_events VALUES ($1, $2, 1, $3, $4, 'office', 'filed', NULL, $5, '', '')";
        macro_rules! go {
            ($p:expr) => {{
                sqlx::query(CREATE).execute($p).await.unwrap();
                for k in 0..n {
                    let e = event("filed", k);
                    sqlx::query(INSERT)
                        .bind(k as i64)
                        .bind(format!("W-{k}"))
                        .bind(e.at.to_rfc3339())
                        .bind(&e.actor)
                        .bind(e.payload.to_string())
                        .execute($p)
                        .await
                        .unwrap();
                }
            }};
        }
        match self {
            PlainPool::Sqlite(p) => go!(p),
            PlainPool::Postgres(p) => go!(p),
        }
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("scale: skipped under cargo test; run `cargo bench -p lvzhi-store --bench scale`");
        return;
    }
    let max: u64 = std::env::var("LVZHI_SCALE_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let cal = Calendar::embedded();
        let dir = tempfile::tempdir().unwrap();
        let mut targets = vec![(
            "SQLite (WAL, synchronous=FULL)".to_string(),
            format!("sqlite://{}", dir.path().join("scale.db").display()),
            format!("sqlite://{}", dir.path().join("append.db").display()),
        )];
        let pg = std::env::var("LVZHI_TEST_PG")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        if pg != "off" {
            let stamp = std::process::id();
            targets.push((
                "PostgreSQL (local, fsync on)".to_string(),
                format!("{pg}?schema=scale_{stamp}"),
                format!("{pg}?schema=append_{stamp}"),
            ));
        }
        for (name, url, append_url) in targets {
            let store = match Store::open(&url).await {
                Ok(s) => s,
                Err(e) => {
                    println!("{name}: skipped ({e})");
                    continue;
                }
            };
            println!("{name}");
            let mut n = 0;
            for checkpoint in [10_000u64, 100_000, 1_000_000] {
                if checkpoint > max {
                    break;
                }
                let t = Instant::now();
                generate(&store, n, checkpoint).await;
                println!(
                    "  generated cases {n}..{checkpoint} (3 events each) in {:.1} s",
                    t.elapsed().as_secs_f64()
                );
                n = checkpoint;
                // Refresh planner statistics after a bulk load, as an operator would after an import.
                store.execute_raw("ANALYZE").await.unwrap();
                measure_queries(&store, &cal, n).await;
            }
            let t = Instant::now();
            let report = store.verify().await.unwrap();
            println!(
                "  audit verify of {} events: {:.1} s, {}",
                report.events,
                t.elapsed().as_secs_f64(),
                if report.problem.is_none() {
                    "chain intact"
                } else {
                    "CHAIN BROKEN"
                }
            );
            let plain = if append_url.starts_with("sqlite:") {
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&append_url)
                    .unwrap()
                    .create_if_missing(true)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Full);
                // A separate file with the store's settings, so both sides pay the same fsyncs.
                let plain_opts = opts.clone().filename(dir.path().join("plain.db"));
                PlainPool::Sqlite(sqlx::SqlitePool::connect_with(plain_opts).await.unwrap())
            } else {
                let store = Store::open(&append_url).await.unwrap();
                store
                    .execute_raw("CREATE SCHEMA IF NOT EXISTS plain_bench")
                    .await
                    .unwrap();
                let base = append_url.split('?').next().unwrap().to_string();
                let opts = sqlx::postgres::PgConnectOptions::from_str(&base)
                    .unwrap()
                    .options([("search_path", "plain_bench")]);
                PlainPool::Postgres(sqlx::PgPool::connect_with(opts).await.unwrap())
            };
            measure_appends(&append_url, plain).await;
            if !url.starts_with("sqlite:") {
                for schema in [
                    url.split("schema=").nth(1).unwrap_or(""),
                    append_url.split("schema=").nth(1).unwrap_or(""),
                    "plain_bench",
                ] {
                    if !schema.is_empty() {
                        let _ = store
                            .execute_raw(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                            .await;
                    }
                }
            }
        }
    });
}
