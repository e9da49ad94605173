//! The event store against both backends: the same tests run on SQLite (always) and on
//! PostgreSQL (127.0.0.1:5432, database `test`, a fresh schema per test; skipped with a printed
//! reason when no server answers — set `LVZHI_TEST_PG` to another URL, or to `off`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{TimeZone, Utc};
use lvzhi_store::{ChainProblem, EvidenceStore, NewEvent, Store, StoreError};

static SCHEMA_SEQ: AtomicU32 = AtomicU32::new(0);

/// Drops test schemas (`t_<pid>_<n>_<micros>`) created more than an hour ago.
/// Drops schemas earlier runs left (older than an hour), a few at a time and by one test at a
/// time: every test sweeps as it starts, and dropping a backlog of a hundred schemas at once,
/// from ten tests in parallel, ran PostgreSQL out of lock slots ("out of shared memory"). At
/// most four go in one transaction; a test that finds the sweep taken skips it.
const SWEEP: &str = r"DO $$
DECLARE r record;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7001) THEN
    RETURN;
  END IF;
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname ~ '^t_[0-9]+_[0-9]+_[0-9]+$'
             AND split_part(nspname, '_', 4)::numeric < extract(epoch FROM now()) * 1000000 - 3600000000
           LIMIT 4
  LOOP
    EXECUTE 'DROP SCHEMA IF EXISTS ' || quote_ident(r.nspname) || ' CASCADE';
  END LOOP;
END $$;";

fn pg_base() -> Option<String> {
    match std::env::var("LVZHI_TEST_PG") {
        Ok(v) if v == "off" => None,
        Ok(v) => Some(v),
        Err(_) => Some("postgres://postgres@127.0.0.1:5432/test".to_string()),
    }
}

/// Every backend available here, each with a fresh database.
async fn stores(dir: &tempfile::TempDir) -> Vec<Store> {
    let mut out = vec![
        Store::open(&format!("sqlite://{}", dir.path().join("t.db").display()))
            .await
            .expect("sqlite opens"),
    ];
    if let Some(base) = pg_base() {
        let schema = format!(
            "t_{}_{}_{}",
            std::process::id(),
            SCHEMA_SEQ.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_micros()
        );
        match Store::open(&format!("{base}?schema={schema}")).await {
            Ok(s) => {
                // Each test gets a fresh schema; sweep those that earlier runs left behind.
                s.execute_raw(SWEEP).await.expect("sweep old test schemas");
                out.push(s)
            }
            Err(e) => eprintln!("PostgreSQL tests skipped: {e} (start it, or set LVZHI_TEST_PG)"),
        }
    }
    out
}

fn ev(kind: &str, n: i64) -> NewEvent {
    NewEvent {
        kind: kind.to_string(),
        actor: "p-office-1".to_string(),
        role: "office".to_string(),
        at: Utc.with_ymd_and_hms(2024, 9, 27, 9, 0, 0).unwrap() + chrono::Duration::seconds(n),
        reason: (n % 2 == 0).then(|| format!("理由{n}")),
        payload: serde_json::json!({ "n": n, "text": "受理通知书" }),
    }
}

#[tokio::test]
async fn append_read_back_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        assert_eq!(
            store
                .append("A-1", 0, &[ev("filed", 1), ev("registered", 2)])
                .await
                .unwrap(),
            2
        );
        assert_eq!(store.append("A-2", 0, &[ev("filed", 3)]).await.unwrap(), 1);
        assert_eq!(
            store.append("A-1", 2, &[ev("accepted", 4)]).await.unwrap(),
            3
        );
        let events = store.events("A-1").await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
            ["filed", "registered", "accepted"]
        );
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 4]);
        assert_eq!(events[1].reason.as_deref(), Some("理由2"));
        assert_eq!(store.case_version("A-1").await.unwrap(), 3);
        assert_eq!(store.case_version("none").await.unwrap(), 0);
        let report = store.verify().await.unwrap();
        assert_eq!(report.problem, None, "{:?}", store.backend());
        assert_eq!(report.events, 4);
        assert_eq!(report.head, store.head().await.unwrap());
        assert_eq!(report.head.hash, events[2].hash);
    }
}

#[tokio::test]
async fn stale_version_is_a_conflict_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store.append("A-1", 0, &[ev("filed", 1)]).await.unwrap();
        let head = store.head().await.unwrap();
        let err = store.append("A-1", 0, &[ev("filed", 2)]).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    actual: 1,
                    expected: 0,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("已被他人更新"), "{err}");
        assert_eq!(store.head().await.unwrap(), head);
        assert!(matches!(
            store.append("A-1", 1, &[]).await,
            Err(StoreError::Empty)
        ));
    }
}

#[tokio::test]
async fn two_people_acting_at_once_cannot_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store.append("A-1", 0, &[ev("filed", 1)]).await.unwrap();
        for round in 0..10 {
            let v = store.case_version("A-1").await.unwrap();
            let (first, second) = ([ev("accepted", round)], [ev("rejected", round)]);
            let (a, b) = tokio::join!(
                store.append("A-1", v, &first),
                store.append("A-1", v, &second)
            );
            assert!(a.is_ok() != b.is_ok(), "exactly one wins: {a:?} {b:?}");
        }
        assert_eq!(store.case_version("A-1").await.unwrap(), 11);
        assert_eq!(store.verify().await.unwrap().problem, None);
    }
}

#[tokio::test]
async fn concurrent_writers_on_many_cases_keep_one_gapless_chain() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        let mut tasks = Vec::new();
        for w in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..10 {
                    store
                        .append(&format!("C-{w}"), i, &[ev("note", i)])
                        .await
                        .unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let report = store.verify().await.unwrap();
        assert_eq!(report.problem, None);
        assert_eq!(report.events, 80);
        assert_eq!(report.head.seq, 80);
    }
}

#[tokio::test]
async fn tampering_is_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        for i in 0..5 {
            store.append("A-1", i, &[ev("note", i)]).await.unwrap();
        }
        // Altered content.
        store
            .execute_raw("UPDATE events SET payload = '{\"n\":99}' WHERE seq = 3")
            .await
            .unwrap();
        let p = store.verify().await.unwrap().problem.unwrap();
        assert_eq!(
            p,
            ChainProblem::Altered {
                seq: 3,
                case_id: "A-1".into(),
                case_version: 3
            }
        );
        assert!(p.to_string().contains("第 3 号事件"), "{p}");
    }
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        for i in 0..5 {
            store.append("A-1", i, &[ev("note", i)]).await.unwrap();
        }
        // A removed event in the middle breaks the link of the one after it.
        store
            .execute_raw("DELETE FROM events WHERE seq = 2")
            .await
            .unwrap();
        let p = store.verify().await.unwrap().problem.unwrap();
        assert!(
            matches!(
                p,
                ChainProblem::Broken {
                    seq: 3,
                    expected_seq: 2,
                    ..
                }
            ),
            "{p:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        for i in 0..5 {
            store.append("A-1", i, &[ev("note", i)]).await.unwrap();
        }
        // Removing the newest event is caught by the head.
        store
            .execute_raw("DELETE FROM events WHERE seq = 5")
            .await
            .unwrap();
        let p = store.verify().await.unwrap().problem.unwrap();
        assert!(
            matches!(
                p,
                ChainProblem::HeadMismatch {
                    head_seq: 5,
                    last_seq: 4
                }
            ),
            "{p:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        for i in 0..5 {
            store.append("A-1", i, &[ev("note", i)]).await.unwrap();
        }
        // Reordering two events (swapping their seq) breaks the chain where they meet.
        store
            .execute_raw("UPDATE events SET seq = 100 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 100;")
            .await
            .unwrap();
        let p = store.verify().await.unwrap().problem.unwrap();
        assert!(matches!(p, ChainProblem::Altered { seq: 2, .. }), "{p:?}");
    }
}

#[tokio::test]
async fn evidence_is_content_addressed_and_verified_on_read() {
    let dir = tempfile::tempdir().unwrap();
    let ev = EvidenceStore::new(dir.path().join("evidence"));
    let a = ev.put("现场执法记录仪视频摘要".as_bytes()).await.unwrap();
    assert!(a.new);
    assert_eq!(a.digest.len(), 64);
    let again = ev.put("现场执法记录仪视频摘要".as_bytes()).await.unwrap();
    assert!(!again.new);
    assert_eq!(again.digest, a.digest);
    assert_eq!(
        ev.get(&a.digest).await.unwrap(),
        "现场执法记录仪视频摘要".as_bytes()
    );
    // Change the stored file behind the store's back: the read refuses it.
    let path = dir
        .path()
        .join("evidence")
        .join(&a.digest[..2])
        .join(&a.digest);
    std::fs::write(&path, b"forged").unwrap();
    assert!(matches!(
        ev.get(&a.digest).await,
        Err(StoreError::EvidenceCorrupt { .. })
    ));
    assert!(matches!(
        ev.get("../../etc/passwd").await,
        Err(StoreError::BadDigest(_))
    ));
    let missing = "0".repeat(64);
    assert!(matches!(
        ev.get(&missing).await,
        Err(StoreError::EvidenceMissing { .. })
    ));
}

#[tokio::test]
async fn bad_urls_are_refused_with_a_chinese_message() {
    for url in ["mysql://x", "", "postgres://u@h/db?schema=a;drop"] {
        let err = Store::open(url).await.unwrap_err();
        assert!(err.to_string().contains("数据库地址"), "{url}: {err}");
    }
}

/// The writer half of the crash test: runs only when re-executed by `kill_dash_nine_*` below.
#[tokio::test]
async fn crash_child_writer() {
    let Ok(url) = std::env::var("LVZHI_CRASH_CHILD_DB") else {
        return;
    };
    let store = Store::open(&url).await.unwrap();
    for i in 0..i64::MAX {
        let case = format!("K-{}", i % 7);
        let v = store.case_version(&case).await.unwrap();
        store.append(&case, v, &[ev("note", i)]).await.unwrap();
        // Printed only after the commit returned: an acknowledged event.
        println!("ACK {case} {}", v + 1);
    }
}

#[tokio::test]
async fn kill_dash_nine_during_writes_loses_no_acknowledged_event() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    drop(Store::open(&url).await.unwrap());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_child_writer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LVZHI_CRASH_CHILD_DB", &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut acked: Vec<(String, i64)> = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("ACK ") {
            let (case, v) = rest.split_once(' ').unwrap();
            acked.push((case.to_string(), v.parse().unwrap()));
            if acked.len() == 300 {
                // SIGKILL mid-burst: no destructor, no checkpoint, no goodbye.
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    let store = Store::open(&url).await.unwrap();
    for (case, v) in &acked {
        assert!(
            store.case_version(case).await.unwrap() >= *v,
            "{case} v{v} lost"
        );
    }
    let report = store.verify().await.unwrap();
    assert_eq!(report.problem, None);
    assert!(report.events >= 300);
}

#[tokio::test]
async fn a_batch_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(&dir).await {
        store.append("B-1", 0, &[ev("filed", 1)]).await.unwrap();
        let (one, two) = ([ev("filed", 2)], [ev("accepted", 3)]);
        let item = |case_id, expected_version, events| lvzhi_store::BatchItem {
            case_id,
            expected_version,
            events,
            projection: None,
        };
        // The second item is stale: the first must not be written either.
        let err = store
            .append_batch(&[item("B-2", 0, &one[..]), item("B-1", 0, &two[..])])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        assert_eq!(store.case_version("B-2").await.unwrap(), 0);
        assert_eq!(store.head().await.unwrap().seq, 1);
        let v = store
            .append_batch(&[item("B-2", 0, &one[..]), item("B-1", 1, &two[..])])
            .await
            .unwrap();
        assert_eq!(v, [1, 2]);
        assert_eq!(store.verify().await.unwrap().problem, None);
    }
}
