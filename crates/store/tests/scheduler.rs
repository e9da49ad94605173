//! Read models and the scheduler's claim: several processes on one database fire each due
//! event exactly once (issue 4 "Deadlines"). Same backends and PostgreSQL rules as store.rs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_store::{CaseRow, DeadlineRow, NewEvent, Projection, Store, StoreError};

static SEQ: AtomicU32 = AtomicU32::new(0);

/// URLs of a fresh database on every backend available here.
async fn urls(dir: &tempfile::TempDir) -> Vec<String> {
    let mut out = vec![format!("sqlite://{}", dir.path().join("s.db").display())];
    let base = match std::env::var("LVZHI_TEST_PG") {
        Ok(v) if v == "off" => return out,
        Ok(v) => v,
        Err(_) => "postgres://postgres@127.0.0.1:5432/test".to_string(),
    };
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros();
    let url = format!(
        "{base}?schema=t_{}_{}_{micros}",
        std::process::id(),
        100 + SEQ.fetch_add(1, Ordering::SeqCst)
    );
    match Store::open(&url).await {
        Ok(_) => out.push(url),
        Err(e) => eprintln!("PostgreSQL tests skipped: {e} (start it, or set LVZHI_TEST_PG)"),
    }
    out
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn ev(kind: &str) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        actor: "system".into(),
        role: "system".into(),
        at: Utc.with_ymd_and_hms(2024, 10, 14, 0, 0, 0).unwrap(),
        reason: None,
        payload: serde_json::json!({}),
    }
}

fn projection(state: &str, deadlines: Vec<DeadlineRow>) -> Projection {
    Projection {
        case: CaseRow {
            kind: "application".into(),
            state: state.into(),
            org_id: "alashan".into(),
            title: "免责容错申请".into(),
        },
        deadlines,
        links: Vec::new(),
    }
}

fn acceptance(due: &str) -> DeadlineRow {
    DeadlineRow {
        step: "acceptance".into(),
        due: d(due),
        provisional: false,
        article: "000 §13".into(),
        fires_event: true,
        role: String::new(),
        label: String::new(),
    }
}

#[tokio::test]
async fn projection_replaces_open_deadlines_and_lists_by_due_date() {
    let dir = tempfile::tempdir().unwrap();
    for url in urls(&dir).await {
        let store = Store::open(&url).await.unwrap();
        let p1 = projection("registered", vec![acceptance("2024-10-12")]);
        store
            .append_projected("A-1", 0, &[ev("filed")], Some(&p1))
            .await
            .unwrap();
        let p2 = projection("registered", vec![acceptance("2024-10-08")]);
        store
            .append_projected("A-2", 0, &[ev("filed")], Some(&p2))
            .await
            .unwrap();
        let due = store.due_until(d("2024-10-31"), 100).await.unwrap();
        assert_eq!(
            due.iter().map(|x| x.case_id.as_str()).collect::<Vec<_>>(),
            ["A-2", "A-1"]
        );
        assert_eq!(
            store.due_until(d("2024-10-10"), 100).await.unwrap().len(),
            1
        );
        // Accepting closes the acceptance deadline and opens the opinion deadline (000 §16).
        let opinion = DeadlineRow {
            step: "opinion".into(),
            due: d("2024-11-25"),
            provisional: false,
            article: "000 §16".into(),
            fires_event: false,
            role: String::new(),
            label: String::new(),
        };
        store
            .append_projected(
                "A-1",
                1,
                &[ev("accepted")],
                Some(&projection("accepted", vec![opinion])),
            )
            .await
            .unwrap();
        let due = store.due_until(d("2024-12-31"), 100).await.unwrap();
        assert_eq!(
            due.iter()
                .map(|x| (x.case_id.as_str(), x.step.as_str()))
                .collect::<Vec<_>>(),
            [("A-2", "acceptance"), ("A-1", "opinion")]
        );
        let (row, version) = store.case_row("A-1").await.unwrap().unwrap();
        assert_eq!((row.state.as_str(), version), ("accepted", 2));
        assert!(store.case_row("nope").await.unwrap().is_none());
        // A conflicting append leaves the read model untouched.
        assert!(store
            .append_projected("A-1", 1, &[ev("x")], Some(&projection("bogus", vec![])))
            .await
            .is_err());
        assert_eq!(
            store.case_row("A-1").await.unwrap().unwrap().0.state,
            "accepted"
        );
    }
}

/// One scheduler process: claims due deadlines and fires the due event for each.
async fn scheduler(url: String, name: String, fired: tokio::sync::mpsc::UnboundedSender<String>) {
    let store = Store::open(&url).await.unwrap();
    let now = Utc.with_ymd_and_hms(2024, 10, 14, 1, 0, 0).unwrap();
    loop {
        let claimed = store
            .claim_due(d("2024-10-14"), &name, now, Duration::from_secs(60), 7)
            .await
            .unwrap();
        if claimed.is_empty() {
            break;
        }
        for c in claimed {
            let version = store.case_version(&c.case_id).await.unwrap();
            match store
                .append_projected(
                    &c.case_id,
                    version,
                    &[ev("deemed_accepted")],
                    Some(&projection("deemed_accepted", vec![])),
                )
                .await
            {
                Ok(_) => fired.send(c.case_id).unwrap(),
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }
}

#[tokio::test]
async fn four_processes_fire_each_due_event_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    for url in urls(&dir).await {
        let store = Store::open(&url).await.unwrap();
        for i in 0..120 {
            // Due 2024-10-12 (the 7th working day after 2024-09-27): passed by 2024-10-14.
            let p = projection("registered", vec![acceptance("2024-10-12")]);
            store
                .append_projected(&format!("A-{i}"), 0, &[ev("filed")], Some(&p))
                .await
                .unwrap();
        }
        // Not yet due: must not fire.
        store
            .append_projected(
                "LATER",
                0,
                &[ev("filed")],
                Some(&projection("registered", vec![acceptance("2024-10-14")])),
            )
            .await
            .unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let tasks: Vec<_> = (0..4)
            .map(|w| tokio::spawn(scheduler(url.clone(), format!("proc-{w}"), tx.clone())))
            .collect();
        drop(tx);
        for t in tasks {
            t.await.unwrap();
        }
        let mut counts: HashMap<String, u32> = HashMap::new();
        while let Some(case) = rx.recv().await {
            *counts.entry(case).or_default() += 1;
        }
        assert_eq!(counts.len(), 120, "every due case fired");
        assert!(counts.values().all(|&n| n == 1), "exactly once: {counts:?}");
        assert!(!counts.contains_key("LATER"));
        for i in 0..120 {
            let kinds: Vec<String> = store
                .events(&format!("A-{i}"))
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.kind)
                .collect();
            assert_eq!(kinds, ["filed", "deemed_accepted"]);
        }
        assert_eq!(store.verify().await.unwrap().problem, None);
    }
}

#[tokio::test]
async fn a_racer_past_an_expired_lease_cannot_fire_twice() {
    let dir = tempfile::tempdir().unwrap();
    for url in urls(&dir).await {
        let a = Store::open(&url).await.unwrap();
        let b = Store::open(&url).await.unwrap();
        a.append_projected(
            "A-1",
            0,
            &[ev("filed")],
            Some(&projection("registered", vec![acceptance("2024-10-12")])),
        )
        .await
        .unwrap();
        let t0 = Utc.with_ymd_and_hms(2024, 10, 14, 1, 0, 0).unwrap();
        let lease = Duration::from_secs(60);
        assert_eq!(
            a.claim_due(d("2024-10-14"), "a", t0, lease, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        // Within the lease, b sees nothing; after it expires, b claims the same deadline.
        assert!(b
            .claim_due(d("2024-10-14"), "b", t0, lease, 10)
            .await
            .unwrap()
            .is_empty());
        let later = t0 + chrono::Duration::seconds(120);
        assert_eq!(
            b.claim_due(d("2024-10-14"), "b", later, lease, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        // Both read version 1 and try to fire: one wins, the other gets a conflict.
        let fire = |s: &Store| {
            let s = s.clone();
            async move {
                s.append_projected(
                    "A-1",
                    1,
                    &[ev("deemed_accepted")],
                    Some(&projection("deemed_accepted", vec![])),
                )
                .await
            }
        };
        let (ra, rb) = tokio::join!(fire(&a), fire(&b));
        assert!(ra.is_ok() != rb.is_ok(), "{ra:?} {rb:?}");
        assert_eq!(a.events("A-1").await.unwrap().len(), 2);
        assert!(a
            .claim_due(d("2024-10-20"), "a", later, lease, 10)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn overdue_reminders_are_listed_but_never_claimed() {
    let dir = tempfile::tempdir().unwrap();
    for url in urls(&dir).await {
        let store = Store::open(&url).await.unwrap();
        let opinion = DeadlineRow {
            step: "opinion".into(),
            due: d("2024-10-01"),
            provisional: false,
            article: "000 §16".into(),
            fires_event: false,
            role: String::new(),
            label: String::new(),
        };
        store
            .append_projected(
                "A-1",
                0,
                &[ev("accepted")],
                Some(&projection("accepted", vec![opinion])),
            )
            .await
            .unwrap();
        let now = Utc.with_ymd_and_hms(2024, 10, 14, 1, 0, 0).unwrap();
        assert!(store
            .claim_due(d("2024-10-14"), "a", now, Duration::from_secs(60), 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(store.due_until(d("2024-10-14"), 10).await.unwrap().len(), 1);
    }
}
