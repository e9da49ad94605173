//! Which regulations govern whom (issue 20), through the record service on SQLite and
//! PostgreSQL: an organisation's bindings to policy packs are inherited down the tree, a new case
//! records the packs and versions that governed it when it was opened and counts by them, a later
//! change of binding never rewrites an old case, a unit's own copy of 000 changes a new case's
//! deadlines without a rebuild, and a process the governing regulations do not provide cannot be
//! opened (nothing is written).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use lvzhi_rules::PackSet;
use lvzhi_service::{packs, Service, ServiceError};
use lvzhi_store::{OrgPacks, OrgRecord, PersonRecord, Store};
use lvzhi_workflow::{Actor, Role};
use serde_json::json;

include!("fixtures/own_pack.rs");

/// The shipped packs, and a unit's own copy of 000 (`000-alszq`: another title, a 5-working-day
/// acceptance period instead of 7).
fn pack_set() -> PackSet {
    let mut files = common::shipped_pack_files();
    let own = own_copy_of_000(
        &files
            .iter()
            .find(|(n, _)| n.ends_with("/000.toml"))
            .unwrap()
            .1,
    );
    assert!(own.contains("period = \"5wd\"") && own.contains("000-alszq"));
    assert!(own.contains("受理决定书") && own.contains("申辩（{cite:§14}）"));
    assert!(own.contains("{org}民警依法履职保护委员会办公室"));
    files.push(("packs/000-alszq.toml".to_string(), own));
    PackSet::load(files.iter().map(|(a, b)| (a.as_str(), b.as_str()))).unwrap()
}

async fn services(dir: &tempfile::TempDir) -> Vec<Service> {
    let set = pack_set();
    let urls = common::database_urls(dir, "g.db", 900).await;
    let mut out = Vec::new();
    for url in urls {
        let store = Store::open(&url).await.unwrap();
        for (id, parent, name, kind) in [
            ("nmg-gat", None, "内蒙古自治区公安厅", "police"),
            ("als-gaj", Some("nmg-gat"), "阿拉善盟公安局", "police"),
            ("alszq-gaj", Some("als-gaj"), "阿拉善左旗公安局", "police"),
            ("alszq-bhht", Some("alszq-gaj"), "巴彦浩特派出所", "police"),
            ("alyq-gaj", Some("als-gaj"), "阿拉善右旗公安局", "police"),
            ("xam-gfdb", None, "兴安盟国防动员办公室", "enforcement"),
            ("other", None, "未设定适用规定的机构", "police"),
        ] {
            let org = OrgRecord {
                id: id.into(),
                parent_id: parent.map(str::to_string),
                name: name.into(),
                kind: kind.into(),
            };
            store.put_org("test", &org).await.unwrap();
        }
        let person = PersonRecord {
            id: "p-bateer".into(),
            name: "巴特尔".into(),
            org_id: "alszq-bhht".into(),
            title: "民警".into(),
            login: None,
            must_change_password: false,
            disabled: false,
        };
        store.put_person("test", &person).await.unwrap();
        let bind = |org: &str, procedure: Option<&str>, rules: &[&str]| OrgPacks {
            org_id: org.into(),
            procedure: procedure.map(str::to_string),
            rules: rules.iter().map(|r| r.to_string()).collect(),
        };
        for b in [
            bind("nmg-gat", None, &["001", "004", "004-2016"]),
            bind("als-gaj", Some("000"), &["000", "001", "004", "004-2016"]),
            bind("xam-gfdb", Some("002"), &["002"]),
        ] {
            store.set_org_packs("test", &b).await.unwrap();
        }
        let service = Service::new(store, lvzhi_calendar::Calendar::embedded(), {
            packs::all_periods(&set).unwrap()
        })
        .with_regulations(packs::regulations(&set));
        out.push(service);
    }
    out
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// An application filed by the officer of 巴彦浩特派出所 to the committee of `committee`.
fn file(committee: (&str, &str)) -> serde_json::Value {
    json!({
        "action": "file",
        "form": {
            "applicants": [{ "person_id": "p-bateer", "name": "巴特尔" }],
            "applying_unit": { "id": "alszq-bhht", "name": "巴彦浩特派出所" },
            "committee": { "id": committee.0, "name": committee.1 },
            "parent_committee": { "id": "als-gaj", "name": "阿拉善盟公安局" },
            "matter": "依法制止持刀伤人行为时致违法行为人受伤，被给予记过处分",
            "accountability_decision": {
                "department": { "id": "alszq-gaj", "name": "阿拉善左旗公安局" },
                "sanction": "demerit",
                "decided_on": "2026-02-10",
                "document_number": "左公督〔2026〕3号"
            },
            "facts": {}
        }
    })
}

fn officer() -> Actor {
    Actor::new("p-bateer", &[Role::Officer], "alszq-bhht")
}

fn acceptance_due(view: &lvzhi_service::ProcessView) -> NaiveDate {
    view.deadlines
        .iter()
        .find(|d| d.deadline.article.contains("§13"))
        .map(|d| d.deadline.due)
        .expect("the acceptance deadline (000 §13)")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue20_a_case_records_the_regulations_that_governed_it_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let (today, now) = (
        day("2026-03-02"),
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(),
    );
    for s in services(&dir).await {
        // Inherited: 阿拉善左旗 sets nothing, 阿拉善盟 the procedure and the rules.
        let (id, _, events) = s
            .create_process(
                "application",
                None,
                &officer(),
                &file(("alszq-gaj", "阿拉善左旗公安局")),
                today,
                now,
            )
            .await
            .unwrap();
        assert_eq!(events[0].kind_id, "case_governed", "recorded first");
        let old = s.load_process(&id).await.unwrap();
        let g = old.case.governance().expect("governed").clone();
        assert_eq!(g.procedure.pack, "000");
        assert_eq!(g.procedure.version, "2022-12-08");
        assert_eq!(g.bound_at, "als-gaj");
        let rules: Vec<&str> = g.rules.iter().map(|r| r.pack.as_str()).collect();
        assert_eq!(rules, ["000", "001", "004", "004-2016"]);
        // 000 §13: seven working days (2026-03-02 → 2026-03-11).
        let view = s.view_process(&old, today);
        assert_eq!(acceptance_due(&view), day("2026-03-11"));
        assert!(view.timeline[0]
            .description
            .contains("阿拉善盟公安机关民警依法履职"));

        // The left banner's own copy of 000, bound on its own organisation: a new case counts
        // five working days; the old case keeps what governed it.
        s.store()
            .set_org_packs(
                "test",
                &OrgPacks {
                    org_id: "alszq-gaj".into(),
                    procedure: Some("000-alszq".into()),
                    rules: Vec::new(),
                },
            )
            .await
            .unwrap();
        let (new_id, _, _) = s
            .create_process(
                "application",
                None,
                &officer(),
                &file(("alszq-gaj", "阿拉善左旗公安局")),
                today,
                now,
            )
            .await
            .unwrap();
        let new = s.load_process(&new_id).await.unwrap();
        let g2 = new.case.governance().unwrap();
        assert_eq!(g2.procedure.pack, "000-alszq");
        assert_eq!(
            g2.procedure.title,
            "阿拉善左旗公安局民警依法履职免责和容错纠错工作规程"
        );
        // The rules are still inherited from 阿拉善盟.
        assert_eq!(g2.rules.len(), 4);
        assert_eq!(
            acceptance_due(&s.view_process(&new, today)),
            day("2026-03-09")
        );
        let old = s.load_process(&id).await.unwrap();
        assert_eq!(old.case.governance(), Some(&g));
        assert_eq!(
            acceptance_due(&s.view_process(&old, today)),
            day("2026-03-11")
        );
        // The application's own view (the workflow's replay) counts the same.
        let legacy = s.view(&new_id, today).await.unwrap();
        assert!(legacy
            .deadlines
            .iter()
            .any(|d| d.deadline.due == day("2026-03-09")));
        // Its notices cite the unit's own regulation by its own names (issue 20 item 2).
        let office = Actor::new("p-office", &[Role::Office], "alszq-gaj");
        for action in ["register", "accept"] {
            s.act_process(
                &new_id,
                None,
                &office,
                &json!({ "action": action }),
                today,
                now,
            )
            .await
            .unwrap();
        }
        let accepted = s.load_process(&new_id).await.unwrap();
        let notice = &accepted.case.documents()[0].text;
        assert!(
            notice.contains(
                "根据《阿拉善左旗公安局民警依法履职免责和容错纠错工作规程》（以下简称《规程》）第十三条"
            ),
            "{notice}"
        );
        assert!(notice.contains("《规程》第十六条"), "{notice}");
        assert!(!notice.contains("实施细则"), "{notice}");
        // Signed by the office the unit's own pack names, not the 维权办 of 000 §10.
        assert!(
            notice.ends_with("阿拉善左旗公安局民警依法履职保护委员会办公室\n2026年3月2日"),
            "{notice}"
        );
        assert!(!notice.contains("维护民警执法权威"), "{notice}");
        // Worded as the unit's own pack words it (issue 20 item 2): its title, its numbering.
        assert_eq!(accepted.case.documents()[0].title, "免责容错申请受理决定书");
        assert!(notice.contains("申辩（《规程》第十四条）"), "{notice}");
        // The case opened under 000 issues 000's text, as before.
        for action in ["register", "accept"] {
            s.act_process(&id, None, &office, &json!({ "action": action }), today, now)
                .await
                .unwrap();
        }
        let old = s.load_process(&id).await.unwrap();
        let first = &old.case.documents()[0];
        assert_eq!(first.title, "免责容错申请受理通知书");
        assert!(
            first.text.contains("申辩（《实施细则》第十五条）"),
            "{}",
            first.text
        );

        // Nothing bound up the chain: nothing recorded, 000 governs as before bindings.
        let (free, _, events) = s
            .create_process(
                "application",
                None,
                &officer(),
                &file(("other", "未设定适用规定的机构")),
                today,
                now,
            )
            .await
            .unwrap();
        assert!(events.iter().all(|e| e.kind_id != "case_governed"));
        let free = s.load_process(&free).await.unwrap();
        assert!(free.case.governance().is_none());
        assert_eq!(
            acceptance_due(&s.view_process(&free, today)),
            day("2026-03-11")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue20_a_process_the_governing_regulations_do_not_provide_is_refused_and_writes_nothing()
{
    let dir = tempfile::tempdir().unwrap();
    let (today, now) = (
        day("2026-03-02"),
        Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(),
    );
    for s in services(&dir).await {
        // 兴安盟国动办 runs 002's procedure (002 §13: the 党组 decides), not 000's application.
        let before = s.store().head().await.unwrap().seq;
        let e = s
            .create_process(
                "application",
                None,
                &Actor::new("p-x", &[Role::Office], "xam-gfdb"),
                &file(("xam-gfdb", "兴安盟国防动员办公室")),
                today,
                now,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotGoverned(_)), "{e}");
        let m = e.to_string();
        assert!(m.contains("兴安盟国防动员办公室"), "{m}");
        assert!(
            m.contains("兴安盟国防动员办公室行政执法"),
            "the 002 title: {m}"
        );
        // 维权 incidents are 001's (全区公安机关): not at the 国动办 ...
        let incident = |unit: &str, org: &str| {
            json!({
                "action": "incident_report", "source": "officer", "officer": "p-bateer",
                "unit": unit, "org": org, "incident_type": "violent_attack",
                "occurred_on": "2026-03-01", "place": "某地", "description": "执法时被袭击",
                "casualties": false,
            })
        };
        let e = s
            .create_process(
                "incident",
                None,
                &Actor::new("p-bateer", &[Role::Officer], "xam-gfdb"),
                &incident("xam-gfdb", "xam-gfdb"),
                today,
                now,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotGoverned(_)), "{e}");
        assert_eq!(
            s.store().head().await.unwrap().seq,
            before,
            "nothing written"
        );
        // ... but at a police organ of the region, 001 governs it (recorded as its procedure).
        let (id, _, _) = s
            .create_process(
                "incident",
                None,
                &officer(),
                &incident("alszq-bhht", "alszq-gaj"),
                today,
                now,
            )
            .await
            .unwrap();
        let case = s.load_process(&id).await.unwrap();
        assert_eq!(case.case.governance().unwrap().procedure.pack, "001");
    }
}

/// A bulk import of paper-era cases is governed as cases opened by hand are (issue 20): each
/// records what is bound to its organisation, and one the regulations do not provide refuses the
/// whole import.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue20_imported_cases_are_governed_as_cases_opened_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    for s in services(&dir).await {
        let today = day("2026-03-02");
        let case = |id: &str, committee: (&str, &str)| {
            (
                "application".to_string(),
                id.to_string(),
                vec![(officer(), file(committee), today)],
            )
        };
        s.import_cases(
            &[
                case("A-IMP-1", ("alszq-gaj", "阿拉善左旗公安局")),
                case("A-IMP-2", ("alyq-gaj", "阿拉善右旗公安局")),
            ],
            now,
        )
        .await
        .unwrap();
        for id in ["A-IMP-1", "A-IMP-2"] {
            let c = s.load_process(id).await.unwrap();
            assert_eq!(c.case.governance().unwrap().procedure.pack, "000", "{id}");
        }
        let before = s.store().head().await.unwrap().seq;
        let e = s
            .import_cases(
                &[
                    case("A-IMP-3", ("alszq-gaj", "阿拉善左旗公安局")),
                    case("A-IMP-4", ("xam-gfdb", "兴安盟国防动员办公室")),
                ],
                now,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotGoverned(_)), "{e}");
        assert_eq!(
            s.store().head().await.unwrap().seq,
            before,
            "nothing written"
        );
    }
}

/// 002 §13 at 兴安盟国防动员办公室: a 容错免责认定 opened there runs under 002 (recorded as its
/// procedure), counts its 7-日 notification from the 办党组's conclusion, shows it overdue once
/// passed, and its 告知书 cites 002 and is signed by the bodies 002 names; where only 000 and
/// 001 govern (a police organ), the process cannot be opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_002_13_a_determination_opened_at_the_defence_mobilisation_office_runs_under_002() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
    let apply = |unit: &str| {
        json!({
            "action": "determination_apply", "officer": "p-liming", "unit": unit, "org": unit,
            "matter": "行政检查中因企业隐瞒情况，未能及时发现疏散通道堵塞",
            "occurred_on": "2026-02-26", "reasons": "已按检查方案逐项检查，企业故意隐瞒",
        })
    };
    for s in services(&dir).await {
        let person = PersonRecord {
            id: "p-liming".into(),
            name: "李明".into(),
            org_id: "xam-gfdb".into(),
            title: "行政执法人员".into(),
            login: None,
            must_change_password: false,
            disabled: false,
        };
        s.store().put_person("test", &person).await.unwrap();
        let officer = Actor::new("p-liming", &[Role::Officer], "xam-gfdb");
        let office = Actor::new("p-xam-office", &[Role::Office], "xam-gfdb");
        let head = Actor::new("p-xam-head", &[Role::Director], "xam-gfdb");
        let (id, _, _) = s
            .create_process(
                "determination",
                None,
                &officer,
                &apply("xam-gfdb"),
                day("2026-03-02"),
                now,
            )
            .await
            .unwrap();
        assert!(id.starts_with('R'), "{id}");
        let case = s.load_process(&id).await.unwrap();
        assert_eq!(case.case.governance().unwrap().procedure.pack, "002");
        let act = |actor: Actor, cmd: serde_json::Value, on: &'static str| {
            let (s, id) = (&s, id.clone());
            async move {
                s.act_process(&id, None, &actor, &cmd, day(on), now)
                    .await
                    .unwrap_or_else(|e| panic!("{cmd}: {e}"))
            }
        };
        act(
            office.clone(),
            json!({ "action": "determination_investigate", "findings": "调取检查记录，事实清楚" }),
            "2026-03-03",
        )
        .await;
        act(
            head,
            json!({
                "action": "determination_conclude", "verdict": "tolerated", "treatment": "waived",
                "grounds": ["r10_5"], "analysis": "执法对象故意隐瞒，执法人员无过错",
            }),
            "2026-03-05",
        )
        .await;
        let view = s.view_process(&s.load_process(&id).await.unwrap(), day("2026-03-13"));
        let d = view
            .deadlines
            .iter()
            .find(|d| d.deadline.step == "determination_notification")
            .expect("the 7-日 notification is due");
        assert_eq!(d.deadline.due, day("2026-03-12"));
        assert_eq!(d.deadline.article, "002 §13");
        assert!(d.overdue, "passed on 2026-03-13");
        act(
            office,
            json!({ "action": "determination_notify", "units": [] }),
            "2026-03-13",
        )
        .await;
        let view = s.view_process(&s.load_process(&id).await.unwrap(), day("2026-03-13"));
        let n = &view.documents[0];
        assert!(
            n.text.contains("中共兴安盟国防动员办公室党组依照《兴安盟国防动员办公室行政执法尽职免责和容错纠错制度》（以下简称《制度》）第十三条的规定"),
            "{}",
            n.text
        );
        assert!(n.text.contains("《制度》第十四条"), "{}", n.text);
        assert!(
            n.text.ends_with("兴安盟国防动员办公室\n2026年3月13日"),
            "{}",
            n.text
        );
        assert!(
            !n.text.contains("维权") && !n.text.contains("实施细则"),
            "{}",
            n.text
        );
        // A police organ (000, 001, 004 govern it) cannot open one.
        let mut police = apply("alszq-bhht");
        police["officer"] = json!("p-bateer");
        police["org"] = json!("alszq-gaj");
        let e = s
            .create_process(
                "determination",
                None,
                &Actor::new("p-bateer", &[Role::Officer], "alszq-bhht"),
                &police,
                day("2026-03-02"),
                now,
            )
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotGoverned(_)), "{e}");
    }
}
