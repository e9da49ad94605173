//! The processes of `lvzhi_processes` through the record service, on SQLite and PostgreSQL: case
//! ids per kind, the organisation chain read from the directory (001 §17: a report to every level
//! above, made as the system's follow-up in the same append), names of record from the
//! directory, refused commands writing nothing, stale versions refused, and the read model
//! (kind, stage, deadlines with their role and label, links).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_calendar::{Calendar, Period};
use lvzhi_service::{Service, ServiceError};
use lvzhi_store::{CaseQuery, CaseScope, OrgRecord, PersonRecord, Store, StoreError};
use lvzhi_workflow::{Actor, Role, PERIOD_IDS};
use serde_json::json;

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
    let mut packs = Service::periods_from(&map).unwrap();
    // The local settings of packs 000 and 001 (incident acknowledgement and forwarding,
    // complaint review, verification of a rectification), as the shipped packs set them.
    let local = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.parse::<Period>().unwrap()))
            .collect::<BTreeMap<_, _>>()
    };
    packs
        .get_mut("000")
        .unwrap()
        .0
        .extend(local(&[("rectification_verify", "10wd")]));
    packs.insert(
        "001".to_string(),
        lvzhi_service::Periods::new(local(&[
            ("incident_ack", "1wd"),
            ("incident_forward", "1wd"),
            ("complaint_review", "15wd"),
        ])),
    );
    packs
}

/// A service on SQLite, and on PostgreSQL unless `LVZHI_TEST_PG=off` (a fresh schema each).
async fn services(dir: &tempfile::TempDir) -> Vec<Service> {
    let urls = common::database_urls(dir, "p.db", 700).await;
    let mut out = Vec::new();
    for url in urls {
        let store = Store::open(&url).await.unwrap();
        for (id, parent, name) in [
            ("nmg-gat", None, "内蒙古自治区公安厅"),
            ("als-gaj", Some("nmg-gat"), "阿拉善盟公安局"),
            ("alszq-gaj", Some("als-gaj"), "阿拉善左旗公安局"),
            ("alszq-bhht", Some("alszq-gaj"), "巴彦浩特派出所"),
        ] {
            store
                .put_org(
                    "test",
                    &OrgRecord {
                        id: id.into(),
                        parent_id: parent.map(str::to_string),
                        name: name.into(),
                        kind: "police".into(),
                    },
                )
                .await
                .unwrap();
        }
        store
            .put_person(
                "test",
                &PersonRecord {
                    id: "p-bateer".into(),
                    name: "巴特尔".into(),
                    org_id: "alszq-bhht".into(),
                    title: "民警".into(),
                    login: None,
                    must_change_password: false,
                    disabled: false,
                },
            )
            .await
            .unwrap();
        out.push(
            Service::new(store, Calendar::embedded(), periods())
                .with_regulations(common::regulations()),
        );
    }
    out
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn report(casualties: bool) -> serde_json::Value {
    json!({
        "action": "incident_report", "source": "officer", "officer": "p-bateer",
        "unit": "alszq-bhht", "org": "alszq-gaj", "incident_type": "violent_attack",
        "occurred_on": "2026-03-01", "place": "巴彦浩特镇", "description": "执法时被袭击",
        "casualties": casualties,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s17_the_report_goes_to_the_level_above_in_the_same_append_and_climbs_level_by_level_001() {
    let dir = tempfile::tempdir().unwrap();
    let officer = Actor::new("p-bateer", &[Role::Officer], "alszq-bhht");
    let office = |org: &str| Actor::new("p-office", &[Role::Office], org);
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let today = day("2026-03-02");
    for svc in services(&dir).await {
        // The officer names his unit; the chain is the handling agency's (阿拉善左旗), not his.
        let (id, version, events) = svc
            .create_process("incident", None, &officer, &report(true), today, now)
            .await
            .unwrap();
        assert_eq!(id, "W2026-000001");
        assert_eq!(
            version, 2,
            "the intake and the report to the 盟, in one append"
        );
        let kinds: Vec<&str> = events.iter().map(|e| e.kind_id).collect();
        assert_eq!(kinds, ["reported", "reported_up"]);
        assert_eq!(events[1].by.role, Role::System);
        let store = svc.store();
        let (row, v) = store.case_row(&id).await.unwrap().unwrap();
        assert_eq!(
            (row.kind.as_str(), row.state.as_str(), v),
            ("incident", "registered", 2)
        );
        assert_eq!(row.title, "巴彦浩特派出所民警巴特尔受到暴力袭击");
        // Deadlines carry their role and Chinese label; links the officer, unit and levels.
        let scope = CaseScope {
            all: true,
            ..Default::default()
        };
        let due = store.query_deadlines(&scope, None, 10).await.unwrap();
        let mut got: Vec<(String, String, String)> = due
            .iter()
            .map(|d| (d.step.clone(), d.role.clone(), d.label.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [(
                "escalation_forward@als-gaj".to_string(),
                "office".to_string(),
                "阿拉善盟公安局维权办签署意见并转报内蒙古自治区公安厅维权办".to_string()
            )]
        );
        let links: Vec<(String, String)> = store
            .case_links(&id)
            .await
            .unwrap()
            .into_iter()
            .map(|l| (l.relation, l.target))
            .collect();
        for l in [
            ("subject", "p-bateer"),
            ("unit", "alszq-bhht"),
            ("escalated_to", "als-gaj"),
        ] {
            assert!(links.contains(&(l.0.to_string(), l.1.to_string())), "{l:?}");
        }
        assert!(
            !links.contains(&("escalated_to".to_string(), "nmg-gat".to_string())),
            "the 厅 receives the report only when the 盟 forwards it"
        );
        // The scope by person finds the officer's own case through the subject link.
        let (mine, n) = store
            .query_cases(&CaseQuery {
                scope: CaseScope {
                    person: Some("p-bateer".into()),
                    ..Default::default()
                },
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!((n, mine[0].case_id.as_str()), (1, id.as_str()));

        // A refused command writes nothing; a stale version is refused.
        let head = store.head().await.unwrap();
        let err = svc
            .act_process(
                &id,
                None,
                &office("alszq-gaj"),
                &json!({ "action": "incident_acknowledge" }),
                today,
                now,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Process(_)), "{err}");
        let err = svc
            .act_process(
                &id,
                Some(1),
                &office("als-gaj"),
                &json!({ "action": "incident_forward" }),
                today,
                now,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, ServiceError::Store(StoreError::Conflict { .. })),
            "{err}"
        );
        let err = svc
            .act_process(
                &id,
                None,
                &office("als-gaj"),
                &json!({ "action": "nope" }),
                today,
                now,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Command { .. }), "{err}");
        assert_eq!(store.head().await.unwrap(), head);

        // The 盟 forwards with its view to the next level of the directory, the 厅, whose step
        // opens; the 厅 acknowledges and its deadline closes.
        let (_, events) = svc
            .act_process(
                &id,
                None,
                &office("als-gaj"),
                &json!({ "action": "incident_forward", "view": "建议督办" }),
                today,
                now,
            )
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind_id).collect();
        assert_eq!(kinds, ["forwarded"]);
        let due = store.query_deadlines(&scope, None, 10).await.unwrap();
        let steps: Vec<&str> = due.iter().map(|d| d.step.as_str()).collect();
        assert_eq!(steps, ["escalation_ack@nmg-gat"]);
        svc.act_process(
            &id,
            None,
            &office("nmg-gat"),
            &json!({ "action": "incident_acknowledge" }),
            today,
            now,
        )
        .await
        .unwrap();
        assert!(store
            .query_deadlines(&scope, None, 10)
            .await
            .unwrap()
            .is_empty());
        let loaded = svc.load_process(&id).await.unwrap();
        let view = svc.view_process(&loaded, today);
        assert_eq!(view.timeline.len(), 4);
        assert!(view.deadlines.is_empty());
        assert_eq!(view.documents.len(), 2);

        // Numbering per kind; an opening command on an existing case and an unknown kind.
        let (id2, _, events) = svc
            .create_process("incident", None, &officer, &report(false), today, now)
            .await
            .unwrap();
        assert_eq!(id2, "W2026-000002");
        assert_eq!(events.len(), 1, "no ground, no report");
        let err = svc
            .act_process(&id2, None, &officer, &report(false), today, now)
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Exists(_)), "{err}");
        let err = svc
            .create_process("nonsense", None, &officer, &report(false), today, now)
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::UnknownKind(_)), "{err}");
        // The audit chain verifies.
        assert!(store.verify().await.unwrap().problem.is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_come_from_the_directory_and_unknown_ids_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let officer = Actor::new("p-bateer", &[Role::Officer], "alszq-bhht");
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    for svc in services(&dir).await {
        let mut cmd = report(false);
        cmd["unit"] = json!("no-such-unit");
        let err = svc
            .create_process("incident", None, &officer, &cmd, day("2026-03-02"), now)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no-such-unit"), "{err}");
        assert_eq!(svc.store().count_cases("incident").await.unwrap(), 0);
    }
}

/// A stand-in typesetter (the server's uses typst): the title and text as bytes; `fail` makes it
/// refuse, as the real one does without a CJK font.
fn stand_in_renderer(
    fail: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::sync::Arc<lvzhi_service::RenderPdf> {
    std::sync::Arc::new(move |d: &lvzhi_workflow::Document| {
        if fail.load(Ordering::SeqCst) {
            return Err("未找到可用的中文字体".to_string());
        }
        Ok(lvzhi_service::RenderedPdf {
            pdf: format!("%PDF {}\n{}", d.title, d.text).into_bytes(),
            pages: 1,
            fonts: vec!["Noto Serif CJK SC".to_string()],
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn process_notices_are_sealed_in_the_append_that_issues_them() {
    let dir = tempfile::tempdir().unwrap();
    let officer = Actor::new("p-bateer", &[Role::Officer], "alszq-bhht");
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let today = day("2026-03-02");
    for (i, svc) in services(&dir).await.into_iter().enumerate() {
        let archive = lvzhi_store::EvidenceStore::new(dir.path().join(format!("archive-{i}")));
        let fail = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let svc = svc.with_sealing(stand_in_renderer(fail.clone()), archive.clone());

        // 001 §17: the report up and the 盟's forwarding are notices; each is sealed right after
        // the event that issued it, in the same append (as the application's notices are: one
        // engine).
        let (id, version, events) = svc
            .create_process("incident", None, &officer, &report(true), today, now)
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind_id).collect();
        assert_eq!(kinds, ["reported", "reported_up", "document_sealed"]);
        assert_eq!(version, 3);
        assert_eq!(
            (&events[2].by, events[2].on),
            (&events[1].by, events[1].on),
            "sealed by whoever issued it (the system's report up), on its day"
        );
        let (version, events) = svc
            .act_process(
                &id,
                Some(3),
                &Actor::new("p-office", &[Role::Office], "als-gaj"),
                &json!({ "action": "incident_forward", "view": "建议督办" }),
                today,
                now,
            )
            .await
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind_id).collect();
        assert_eq!(kinds, ["forwarded", "document_sealed"]);
        assert_eq!(version, 5);
        let loaded = svc.load_process(&id).await.unwrap();
        let docs = loaded.case.documents();
        let seals = loaded.case.seals();
        assert_eq!(docs.len(), 2);
        assert_eq!(seals.len(), 2);
        for (n, doc) in docs.iter().enumerate() {
            let n = n + 1;
            let seal = &seals.iter().find(|s| s.seal.document == n).unwrap().seal;
            assert_eq!(seal.title, doc.title);
            // The digest is of the bytes archived, and the archive gives them back.
            let bytes = archive.get_document(&id, n, &seal.sm3).await.unwrap();
            assert_eq!(lvzhi_store::sm3_hex(&bytes), seal.sm3);
            assert!(String::from_utf8_lossy(&bytes).contains(&doc.title));
        }
        let view = svc.view_process(&loaded, today);
        assert_eq!(view.timeline.len(), 5);
        assert!(
            // Named by its title; the digest is the seal's, not the timeline's (issue 22 item 5).
            view.timeline[2].description == format!("文书定稿（{}）", seals[0].seal.title),
            "{:?}",
            view.timeline[2]
        );
        assert_eq!(view.timeline[2].kind, "document_sealed");
        assert_eq!(view.timeline[4].kind, "document_sealed");

        // A command that issues no notice seals nothing.
        let (v, events) = svc
            .act_process(
                &id,
                Some(5),
                &Actor::new("p-office", &[Role::Office], "nmg-gat"),
                &json!({ "action": "incident_acknowledge" }),
                today,
                now,
            )
            .await
            .unwrap();
        assert_eq!(v, 6);
        assert!(events.iter().all(|e| e.kind_id != "document_sealed"));

        // A notice that cannot be typeset is still issued, unsealed: a missing seal never costs
        // the case.
        fail.store(true, Ordering::SeqCst);
        let (id2, v2, events) = svc
            .create_process("incident", None, &officer, &report(true), today, now)
            .await
            .unwrap();
        assert_eq!(v2, 2);
        assert!(events.iter().all(|e| e.kind_id != "document_sealed"));
        let loaded = svc.load_process(&id2).await.unwrap();
        assert_eq!(loaded.case.documents().len(), 1);
        assert!(loaded.case.seals().is_empty());
    }
}
