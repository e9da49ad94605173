//! The golden record (issue 14): today's behaviour, fixed before the one-engine refactor and
//! held after it.
//!
//! The demo is seeded under a frozen clock (every record stamped at the same instant, no seals),
//! which drives a fixed script through every one of the six processes — applications in every
//! stage, 维权 incidents, 正名, 执法过错, appeals against heavy sanctions, rectifications. Two
//! things are then compared with `tests/golden/`:
//!
//! - the chain's head hash: every byte of every recorded event, so the refactor records
//!   exactly what was recorded before;
//! - every case as the service shows it: kind, stage, title, organisation, version, open
//!   deadlines, notices, the timeline and the replayed state.
//!
//! And `tests/golden/demo.db` — the database the same seeding wrote *before* the refactor — is
//! opened by today's code: its chain verifies and every case shows exactly as in the snapshot,
//! so recorded events of databases in use replay as they did.
//!
//! `LVZHI_GOLDEN_UPDATE=1 cargo test -p lvzhi-server --test golden` writes the snapshot (and the
//! database) anew: only for a change of behaviour made on purpose, said so in its commit.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use lvzhi_calendar::Calendar;
use lvzhi_server::{demo, App, Clock, ServeConfig};
use serde_json::{json, Value};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The packs the golden record was made with (`tests/golden/packs/`, a copy of `packs/` at the
/// time): the 执法过错 assessment and the periods recorded in it come from them, so a later
/// change of a pack — a change of the law as encoded, not of the engine — leaves the golden
/// record as it was.
fn golden_packs() -> lvzhi_rules::PackSet {
    let dir = golden_dir().join("packs");
    let mut files = Vec::new();
    for e in std::fs::read_dir(&dir).expect("tests/golden/packs") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "toml") {
            let name = format!("packs/{}", p.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read_to_string(&p).expect("pack")));
        }
    }
    files.sort();
    lvzhi_rules::PackSet::load(files.iter().map(|(a, b)| (a.as_str(), b.as_str())))
        .expect("the golden packs load")
}

fn updating() -> bool {
    std::env::var("LVZHI_GOLDEN_UPDATE").is_ok_and(|v| v == "1")
}

/// The frozen instant of the golden record: 2026-11-24 10:00 in Beijing.
fn frozen() -> Clock {
    Clock::frozen(Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap())
}

async fn open(db: &Path, dir: &Path) -> App {
    App::open(ServeConfig {
        addr: "127.0.0.1:0".to_string(),
        db_url: format!("sqlite://{}", db.display()),
        data_dir: dir.to_path_buf(),
        demo: true,
        clock: frozen(),
        calendar: Calendar::embedded(),
        packs: golden_packs(),
        files: Arc::new(common::NoFiles),
        secure_cookies: false,
        remind_within_wd: 3,
        evidence_url: None,
        fonts_dir: None,
        // Seals name the PDF's digest, which depends on the fonts of the machine.
        seal_documents: false,
    })
    .await
    .expect("the application opens")
}

fn digest(s: &str) -> String {
    lvzhi_store::sm3_hex(s.as_bytes())
}

/// Every case as the service shows it, in a form that does not depend on how the service
/// represents it: what a person (or the record) sees.
async fn cases(app: &App) -> Value {
    let today = app.clock().today();
    let rows = app
        .store()
        .list_cases(None, None, 100_000, 0)
        .await
        .expect("cases");
    let mut ids: Vec<(String, String)> =
        rows.into_iter().map(|r| (r.case_id, r.case.kind)).collect();
    ids.sort();
    let service = app.service();
    let mut out = serde_json::Map::new();
    for (id, kind) in ids {
        let stored = app.store().events(&id).await.expect("events");
        let timeline: Vec<Value> = stored
            .iter()
            .map(|e| json!([e.case_version, e.kind, e.actor, e.role]))
            .collect();
        let case = if kind == "application" {
            let v = service.view(&id, today).await.expect("view");
            let state = service.load(&id).await.expect("load").state;
            // The one engine replays the application exactly as the workflow does (issue 14).
            let engine = service.load_process(&id).await.expect("engine load");
            let e = service.view_process(&engine, today);
            assert_eq!(e.state, json!(state), "{id}: the engine's state");
            assert_eq!(
                (e.version, &e.stage, &e.title),
                (v.version, &v.stage, &v.title),
                "{id}"
            );
            assert_eq!(
                e.deadlines
                    .iter()
                    .map(|d| json!([
                        d.deadline.step,
                        d.deadline.due,
                        d.deadline.role.id(),
                        d.deadline.article
                    ]))
                    .collect::<Vec<_>>(),
                v.deadlines
                    .iter()
                    .map(|d| json!([
                        d.deadline.step.id(),
                        d.deadline.due,
                        d.deadline.responsible.id(),
                        d.deadline.article
                    ]))
                    .collect::<Vec<_>>(),
                "{id}: the engine's deadlines"
            );
            assert_eq!(e.documents, v.documents, "{id}: the engine's notices");
            json!({
                "kind": kind,
                "version": v.version,
                "stage": v.stage,
                "stage_zh": v.stage_zh,
                "title": v.title,
                "org_id": v.org_id.unwrap_or_default(),
                "deadlines": v.deadlines.iter().map(|d| json!([
                    d.deadline.step.id(), d.deadline.due, d.deadline.responsible.id(),
                    d.deadline.article,
                ])).collect::<Vec<_>>(),
                "documents": v.documents.iter().map(|d| json!([d.title, digest(&d.text)]))
                    .collect::<Vec<_>>(),
                "descriptions": v.timeline.iter().map(|t| t.description.clone())
                    .collect::<Vec<_>>(),
                "timeline": timeline,
                "state": state,
            })
        } else {
            let loaded = service.load_process(&id).await.expect("load");
            let v = service.view_process(&loaded, today);
            json!({
                "kind": kind,
                "version": v.version,
                "stage": v.stage,
                "stage_zh": v.stage_zh,
                "title": v.title,
                "org_id": v.org_id,
                "deadlines": v.deadlines.iter().map(|d| json!([
                    d.deadline.step, d.deadline.due, d.deadline.role.id(), d.deadline.article,
                ])).collect::<Vec<_>>(),
                "documents": v.documents.iter().map(|d| json!([d.title, digest(&d.text)]))
                    .collect::<Vec<_>>(),
                "descriptions": v.timeline.iter().map(|t| t.description.clone())
                    .collect::<Vec<_>>(),
                "timeline": timeline,
                "state": v.state,
                "facts": v.facts,
                "links": v.links,
            })
        };
        out.insert(id, case);
    }
    Value::Object(out)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(golden_dir().join(name))
        .unwrap_or_else(|e| panic!("tests/golden/{name}: {e} (LVZHI_GOLDEN_UPDATE=1 writes it)"))
}

/// The first difference between two snapshots, by case, for a readable failure.
fn first_difference(want: &Value, got: &Value) -> String {
    let (Some(w), Some(g)) = (want.as_object(), got.as_object()) else {
        return "not objects".to_string();
    };
    for (id, case) in w {
        match g.get(id) {
            None => return format!("case {id} is missing"),
            Some(c) if c != case => {
                for (field, value) in case.as_object().into_iter().flatten() {
                    if c.get(field) != Some(value) {
                        return format!(
                            "case {id}, {field}:\n  want {value}\n  got  {}",
                            c.get(field).unwrap_or(&Value::Null)
                        );
                    }
                }
                return format!("case {id} has fields the snapshot lacks");
            }
            Some(_) => {}
        }
    }
    let extra: Vec<&String> = g.keys().filter(|k| !w.contains_key(*k)).collect();
    format!("cases not in the snapshot: {extra:?}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_records_and_shows_exactly_what_it_did_before_the_refactor() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    let app = open(&db, dir.path()).await;
    demo::seed(&app).await.expect("the demo seeds");
    let head = app.store().head().await.expect("head");
    let report = app.store().verify().await.expect("verify");
    assert!(report.problem.is_none(), "{:?}", report.problem);
    let got = cases(&app).await;
    let head_line = format!("{} {}\n", head.seq, head.hash);
    if updating() {
        std::fs::create_dir_all(golden_dir()).expect("golden dir");
        std::fs::write(golden_dir().join("head.txt"), &head_line).expect("head");
        let pretty = serde_json::to_string_pretty(&got).expect("json") + "\n";
        std::fs::write(golden_dir().join("cases.json"), pretty).expect("cases");
        app.store().close().await;
        std::fs::copy(&db, golden_dir().join("demo.db")).expect("database");
        return;
    }
    if let Ok(path) = std::env::var("LVZHI_GOLDEN_DUMP") {
        let pretty = serde_json::to_string_pretty(&got).expect("json") + "\n";
        std::fs::write(&path, pretty).expect("dump");
        std::fs::write(format!("{path}.head"), &head_line).expect("dump");
    }
    let want: Value = serde_json::from_str(&read("cases.json")).expect("snapshot JSON");
    assert!(
        want == got,
        "the cases differ from the golden snapshot: {}",
        first_difference(&want, &got)
    );
    assert_eq!(
        head_line,
        read("head.txt"),
        "the chain head differs from the golden record: the events recorded are not byte for byte the same"
    );
}

/// Opens a database recorded earlier (`tests/golden/<under>demo.db`) with today's code: its
/// chain verifies, seeding again records nothing, and every case shows as its snapshot says.
/// `LVZHI_GOLDEN_UPDATE=1` rewrites a frozen database's snapshot (never the database itself).
async fn an_old_database_shows_the_same(under: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    std::fs::copy(golden_dir().join(format!("{under}demo.db")), &db).expect("the old database");
    let app = open(&db, dir.path()).await;
    let report = app.store().verify().await.expect("verify");
    assert!(report.problem.is_none(), "{:?}", report.problem);
    let head = app.store().head().await.expect("head");
    assert_eq!(
        format!("{} {}\n", head.seq, head.hash),
        read(&format!("{under}head.txt"))
    );
    // Seeding again finds the demo there and records nothing.
    demo::seed(&app).await.expect("the demo is there");
    assert_eq!(app.store().head().await.expect("head").seq, head.seq);
    let got = cases(&app).await;
    if updating() && !under.is_empty() {
        // A frozen database keeps its records; only how today's code shows them is written
        // anew, so the diff of its snapshot is exactly the change of presentation made.
        let pretty = serde_json::to_string_pretty(&got).expect("json") + "\n";
        std::fs::write(golden_dir().join(format!("{under}cases.json")), pretty).expect("cases");
        return;
    }
    let want: Value =
        serde_json::from_str(&read(&format!("{under}cases.json"))).expect("snapshot JSON");
    assert!(
        want == got,
        "the old database shows differently: {}",
        first_difference(&want, &got)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_recorded_before_the_refactor_verifies_and_shows_the_same() {
    if updating() {
        return;
    }
    an_old_database_shows_the_same("").await;
}

/// Issue 20: a database recorded before organisations were bound to packs (its cases record no
/// `case_governed`, kept frozen in `tests/golden/before-bindings/`) opens, migrates, verifies
/// and shows every case exactly as it did: governed, as then, by each process's own pack.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_recorded_before_bindings_shows_every_case_as_it_did() {
    an_old_database_shows_the_same("before-bindings/").await;
}
