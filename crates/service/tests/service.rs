//! The record service end to end on SQLite and PostgreSQL: a case filed from the CLI's JSON
//! shape, registered, deemed accepted by the scheduler exactly once (000 §13), refused commands
//! writing nothing, and stale versions refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_calendar::{Calendar, Period};
use lvzhi_service::{Service, ServiceError};
use lvzhi_store::{Store, StoreError};
use lvzhi_workflow::{Actor, Command, Role, PERIOD_IDS};

/// 000's periods as its pack states them (000 §13, §16, §18, §20, §21, §23).
fn periods() -> lvzhi_service::PackPeriods {
    let values = [
        ("acceptance", "7wd"),
        ("opinion", "30wd"),
        ("extension_1", "15wd"),
        ("extension_2", "15wd"),
        ("reconsideration_apply", "10wd"),
        ("reconsideration_reply", "15wd"),
        ("re_review_apply", "10wd"),
        ("re_review_reply", "30wd"),
        ("publicity", "5d"),
    ];
    let map: BTreeMap<String, Period> = values
        .iter()
        .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
        .collect();
    assert_eq!(map.len(), PERIOD_IDS.len());
    Service::periods_from(&map).unwrap()
}

async fn services(dir: &tempfile::TempDir, copies: usize) -> Vec<Vec<Service>> {
    let urls = common::database_urls(dir, "svc.db", 200).await;
    let mut out = Vec::new();
    for url in urls {
        let mut group = Vec::new();
        for _ in 0..copies {
            group.push(
                Service::new(
                    Store::open(&url).await.unwrap(),
                    Calendar::embedded(),
                    periods(),
                )
                .with_regulations(common::regulations()),
            );
        }
        out.push(group);
    }
    out
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct Request {
    actor: Actor,
    today: NaiveDate,
    command: Command,
}

fn file_request() -> Request {
    let v: serde_json::Value = serde_json::from_str(include_str!("fixtures/file.json")).unwrap();
    Request {
        actor: serde_json::from_value(v["actor"].clone()).unwrap(),
        today: serde_json::from_value(v["today"].clone()).unwrap(),
        command: serde_json::from_value(v["command"].clone()).unwrap(),
    }
}

fn office() -> Actor {
    Actor::new("o-wang", &[Role::Office], "org-zuoqi")
}

#[tokio::test]
async fn art_000_s13_filed_then_deemed_accepted_once_by_two_schedulers() {
    let dir = tempfile::tempdir().unwrap();
    for group in services(&dir, 2).await {
        let (a, b) = (&group[0], &group[1]);
        let req = file_request();
        let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
        let (id, v) = a
            .create(None, &req.actor, &req.command, req.today, now)
            .await
            .unwrap();
        assert_eq!((id.as_str(), v), ("A2024-000001", 1));
        let (v, _) = a
            .act(
                &id,
                Some(1),
                &office(),
                &Command::Register,
                d("2024-09-27"),
                now,
            )
            .await
            .unwrap();
        assert_eq!(v, 2);

        let view = a.view(&id, d("2024-09-30")).await.unwrap();
        assert_eq!(view.stage, "registered");
        assert_eq!(view.deadlines.len(), 1);
        assert_eq!(view.deadlines[0].deadline.due, d("2024-10-12"));
        // 10-08 … 10-12 (the make-up Saturday): five working days after Monday 09-30.
        assert_eq!(view.deadlines[0].working_days_left, 5);
        assert_eq!(view.timeline.len(), 2);
        assert!(
            view.timeline[0].description.starts_with("2024年9月27日"),
            "{}",
            view.timeline[0].description
        );
        assert_eq!(
            (
                view.timeline[0].role.as_str(),
                view.timeline[1].role.as_str()
            ),
            ("officer", "office")
        );

        // On the last day (a make-up Saturday) nothing is due yet.
        let t = Utc.with_ymd_and_hms(2024, 10, 12, 20, 0, 0).unwrap();
        assert!(a.tick(d("2024-10-12"), t, "a").await.unwrap().is_empty());
        // The next day, two schedulers race: the event fires once.
        let t = Utc.with_ymd_and_hms(2024, 10, 13, 0, 5, 0).unwrap();
        let (fa, fb) = tokio::join!(
            a.tick(d("2024-10-13"), t, "a"),
            b.tick(d("2024-10-13"), t, "b")
        );
        let fired: Vec<String> = fa.unwrap().into_iter().chain(fb.unwrap()).collect();
        assert_eq!(fired, vec![id.clone()]);
        let view = b.view(&id, d("2024-10-14")).await.unwrap();
        assert_eq!(view.stage, "under_review");
        assert_eq!(view.version, 3);
        assert_eq!(view.timeline[2].kind, "deemed_accepted");
        assert!(
            view.documents
                .iter()
                .any(|doc| doc.text.contains("视为受理")),
            "{:?}",
            view.documents
        );
        // The opinion deadline (000 §16) now counts from the deemed acceptance day.
        assert_eq!(view.deadlines[0].deadline.article, "000 §16");
        assert!(a.tick(d("2024-10-20"), t, "a").await.unwrap().is_empty());
        assert_eq!(a.store().verify().await.unwrap().problem, None);
    }
}

#[tokio::test]
async fn a_refused_command_writes_nothing_and_a_stale_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for group in services(&dir, 1).await {
        let s = &group[0];
        let req = file_request();
        let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
        let (id, _) = s
            .create(Some("A-TEST-1"), &req.actor, &req.command, req.today, now)
            .await
            .unwrap();
        let head = s.store().head().await.unwrap();
        // An officer may not accept their own application (000 §13: the office decides).
        let err = s
            .act(
                &id,
                None,
                &req.actor,
                &Command::Accept,
                d("2024-09-30"),
                now,
            )
            .await
            .unwrap_err();
        // The workflow's refusal, through the one engine, kept as another role's step.
        assert!(
            matches!(&err, ServiceError::Process(p) if p.refusal == lvzhi_processes::Refusal::Forbidden),
            "{err}"
        );
        // Rejection without reasons is refused (000 §13: 书面告知不予受理的理由).
        let reject = Command::Reject {
            reasons: "  ".into(),
        };
        assert!(s
            .act(&id, None, &office(), &reject, d("2024-09-30"), now)
            .await
            .is_err());
        assert_eq!(s.store().head().await.unwrap(), head);
        // The user saw version 1 but the case is at 2 by now.
        s.act(
            &id,
            Some(1),
            &office(),
            &Command::Register,
            d("2024-09-30"),
            now,
        )
        .await
        .unwrap();
        let err = s
            .act(
                &id,
                Some(1),
                &office(),
                &Command::Accept,
                d("2024-09-30"),
                now,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, ServiceError::Store(StoreError::Conflict { .. })),
            "{err}"
        );
        // The same id cannot be filed twice; an unknown case is a clear error.
        let again = s
            .create(Some("A-TEST-1"), &req.actor, &req.command, req.today, now)
            .await
            .unwrap_err();
        assert!(again.to_string().contains("已存在"), "{again}");
        let missing = s.view("A-NONE", d("2024-09-30")).await.unwrap_err();
        assert_eq!(missing.to_string(), "案件 A-NONE 不存在");
        assert!(s
            .create(Some("bad id!"), &req.actor, &req.command, req.today, now)
            .await
            .is_err());
        // Lists: within 3 working days of 2024-10-09 the acceptance deadline (10-12) is due.
        let due = s
            .due(d("2024-10-09"), Some(Period::WorkingDays(3)), false)
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
        assert!(s.due(d("2024-10-14"), None, true).await.unwrap().len() == 1);
        let listed = s
            .store()
            .list_cases(Some("registered"), Some("org-zuoqi"), 10, 0)
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert!(s
            .store()
            .list_cases(Some("rejected"), None, 10, 0)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn import_batch_is_all_or_nothing_and_writes_links_for_access_scopes() {
    let dir = tempfile::tempdir().unwrap();
    for group in services(&dir, 1).await {
        let s = &group[0];
        let req = file_request();
        let now = Utc.with_ymd_and_hms(2024, 9, 27, 2, 0, 0).unwrap();
        let day = req.today;
        let case = |id: &str, accept: bool| {
            let mut cmds = vec![
                (req.actor.clone(), req.command.clone(), day),
                (office(), Command::Register, day),
            ];
            if accept {
                cmds.push((office(), Command::Accept, day));
            }
            (id.to_string(), cmds)
        };
        s.import_batch(&[case("B-1", true), case("B-2", false)], now)
            .await
            .unwrap();
        assert_eq!(s.view("B-1", day).await.unwrap().stage, "under_review");
        assert_eq!(s.view("B-2", day).await.unwrap().stage, "registered");
        let links = s.store().case_links("B-1").await.unwrap();
        assert!(links.iter().any(|l| l.relation == "applicant"), "{links:?}");
        assert!(links.iter().any(|l| l.relation == "applying_unit"));
        // One refused command (an officer accepting, 000 §13) and nothing of the batch lands.
        let head = s.store().head().await.unwrap();
        let bad = (
            "B-4".to_string(),
            vec![
                (req.actor.clone(), req.command.clone(), day),
                (req.actor.clone(), Command::Accept, day),
            ],
        );
        assert!(s
            .import_batch(&[case("B-3", true), bad], now)
            .await
            .is_err());
        assert_eq!(s.store().head().await.unwrap(), head);
        assert!(s.view("B-3", day).await.is_err());
        // A batch must open each case with a filing, and ids starting with '_' are reserved.
        let not_opening = ("B-5".to_string(), vec![(office(), Command::Register, day)]);
        assert!(s.import_batch(&[not_opening], now).await.is_err());
        assert!(s
            .import_batch(&[case("_directory", false)], now)
            .await
            .is_err());
        assert_eq!(s.store().verify().await.unwrap().problem, None);
    }
}
