//! The demo data (`lvzhi serve --demo`) on a temporary SQLite database: idempotent, every stage of
//! the procedure represented, the chain intact, every account able to sign in, scope enforced,
//! and the scheduler's pass finding nothing left to fire but deadlines to remind of.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use common::day;
use lvzhi_server::auth::{self, Login, User, Via};
use lvzhi_server::cases::lists::{self as cases, ListFilter};
use lvzhi_server::{access, demo, scheduler, App};
use lvzhi_workflow::AcceptanceKind;

/// The application in demo mode on the database in `dir`, not yet seeded.
async fn open(dir: &std::path::Path, today: NaiveDate) -> App {
    common::open(dir, today, true, Arc::new(common::NoFiles)).await
}

/// Every case: (id, stage, version).
async fn cases(app: &App) -> Vec<(String, String, i64)> {
    app.store()
        .list_cases(None, None, 1000, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.case_id, c.case.state, c.version))
        .collect()
}

/// The 000 applications among them (the other processes have their own stages).
async fn applications(app: &App) -> Vec<(String, String, i64)> {
    app.store()
        .list_cases(None, None, 1000, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.case.kind == lvzhi_service::APPLICATION)
        .map(|c| (c.case_id, c.case.state, c.version))
        .collect()
}

fn user(app: &App, person_id: &str) -> User {
    let dir = app.directory();
    User {
        person: dir.people.get(person_id).cloned().unwrap(),
        subject: dir.subject(person_id),
        via: Via::Bearer,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeding_twice_gives_the_same_cases_in_every_stage_with_an_intact_chain() {
    let dir = tempfile::tempdir().unwrap();
    let today = day("2026-03-18");
    let app = open(dir.path(), today).await;
    let accounts = demo::seed(&app).await.unwrap();
    assert!(accounts.len() >= 15);
    let first = applications(&app).await;
    let all_cases = cases(&app).await;
    assert!(
        (15..=25).contains(&first.len()),
        "{} cases: {first:?}",
        first.len()
    );
    let events = app.store().head().await.unwrap().seq;

    // Again, on the same database by a new process: nothing is added.
    drop(app);
    let app = open(dir.path(), today).await;
    let again = demo::seed(&app).await.unwrap();
    assert_eq!(again.len(), accounts.len());
    assert_eq!(cases(&app).await, all_cases);
    assert_eq!(app.store().head().await.unwrap().seq, events);

    // Every stage of the procedure is shown (at most one missing).
    let stages: BTreeSet<&str> = first.iter().map(|(_, s, _)| s.as_str()).collect();
    let missing: Vec<&str> = lvzhi_workflow::process::STAGES
        .iter()
        .map(|s| s.id())
        .filter(|s| !stages.contains(*s))
        .collect();
    assert!(missing.len() <= 1, "stages missing: {missing:?}");

    // The deemed acceptance was fired by the scheduler's tick, not written by hand.
    let mut deemed = 0;
    for (id, _, _) in &first {
        let loaded = app.service().load(id).await.unwrap();
        if loaded.state.acceptance == Some(AcceptanceKind::Deemed) {
            deemed += 1;
            assert!(loaded.stored.iter().any(|e| e.actor == "system"));
        }
    }
    assert_eq!(deemed, 1);

    // The record's chain verifies (as `lvzhi audit verify` does).
    let report = app.store().verify().await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
    assert!(report.events > 200, "{} events", report.events);

    // The scheduler finds nothing left to fire, and deadlines to remind of, overdue among them.
    let pass = scheduler::pass(&app, "test-owner").await;
    assert!(pass.tick_error.is_none(), "{:?}", pass.tick_error);
    assert!(pass.reminder_error.is_none(), "{:?}", pass.reminder_error);
    assert!(pass.fired.is_empty(), "{:?}", pass.fired);
    assert!(pass
        .reminders
        .iter()
        .any(|r| r.overdue && r.step == "opinion"));
    assert!(pass.reminders.iter().any(|r| !r.overdue));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_account_signs_in_and_scope_keeps_other_units_out() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), day("2026-03-18")).await;
    let accounts = demo::seed(&app).await.unwrap();
    for a in &accounts {
        match auth::login(&app, &a.login, &a.password, "127.0.0.1")
            .await
            .unwrap()
        {
            Login::Ok { .. } => {}
            _ => panic!("{} cannot sign in with {}", a.login, a.password),
        }
    }
    assert!(matches!(
        auth::login(&app, "office", "wrong-password-1", "127.0.0.1")
            .await
            .unwrap(),
        Login::Refused
    ));

    // A case of 巴特尔 (巴彦浩特派出所): he and his unit see it; 阿拉善右旗公安局's officer does not.
    let mut own = None;
    for (id, _, _) in cases(&app).await {
        let loaded = app.service().load_process(&id).await.unwrap();
        let parties = lvzhi_server::cases::parties(&loaded);
        if parties.kind == "application" && parties.applicants.iter().any(|a| a == "p-bateer") {
            own = Some(parties);
            break;
        }
    }
    let parties = own.expect("巴特尔 has cases");
    assert!(access::may(&app, &user(&app, "p-bateer"), "view", &parties));
    assert!(access::may(
        &app,
        &user(&app, "p-liujianguo"),
        "view",
        &parties
    ));
    assert!(access::may(
        &app,
        &user(&app, "p-zhaomin"),
        "view",
        &parties
    ));
    assert!(!access::may(
        &app,
        &user(&app, "p-chenhao"),
        "view",
        &parties
    ));
    // Nor does his colleague, who is no party to it.
    assert!(!access::may(
        &app,
        &user(&app, "p-wangzhiqiang"),
        "view",
        &parties
    ));

    // The lists follow the same scope: the office sees every case of its committee, the
    // applicant his own, the parent committee's office the one escalated to it by 复核, and
    // the officer of another banner none.
    let listed = |person: &'static str| {
        let app = app.clone();
        async move {
            let f = ListFilter::default();
            cases::list(&app, &user(&app, person), &f)
                .await
                .unwrap()
                .total
        }
    };
    // Every case of the 阿拉善 police (the 国动办's and the prisons' cases are theirs).
    let all = app
        .store()
        .list_cases(None, None, 1000, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| !["xam-gfdb", "fj-jyglj", "fj-fzjy"].contains(&c.case.org_id.as_str()))
        .count() as i64;
    assert_eq!(listed("p-zhaomin").await, all);
    // The 国动办's office sees its three 容错免责认定 and its 正名 (002 §18), the 省局's office
    // the prison's three below it and its 维权 incident (003 §15).
    assert_eq!(listed("p-xam-zhangli").await, 4);
    assert_eq!(listed("p-fj-zhenghua").await, 4);
    assert_eq!(listed("p-bateer").await, 2);
    assert_eq!(listed("p-chenhao").await, 0);
    assert!(listed("p-yangfan").await >= 1);
}

/// The seed counts back in working days over the official calendar: it must work whatever day
/// it runs — right after a long holiday, on a weekend, at the turn of a year.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_seeds_on_any_day() {
    for today in ["2025-10-09", "2026-02-24", "2026-01-04", "2025-11-22"] {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path(), day(today)).await;
        demo::seed(&app)
            .await
            .unwrap_or_else(|e| panic!("{today}: {e}"));
        assert!(cases(&app).await.len() >= 15, "{today}");
        let report = app.store().verify().await.unwrap();
        assert!(report.problem.is_none(), "{today}: {:?}", report.problem);
    }
}

/// The demo's 维权 incidents and 正名 cases (issue 7): a casualty incident reported to the 盟 and
/// forwarded by it to the 厅 (001 §17 逐级), the 厅's acknowledgement overdue and in its office's
/// inbox; a closed
/// incident in the 台账; a 正名 closed with its notice (001 §29(五)).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_incidents_and_name_clearing() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), day("2026-03-18")).await;
    demo::seed(&app).await.unwrap();
    let today = app.clock().today();
    let w1 = app.service().load_process("W2026-000001").await.unwrap();
    let view = app.service().view_process(&w1, today);
    let acks: Vec<(&str, bool)> = view
        .deadlines
        .iter()
        .map(|d| (d.deadline.step.as_str(), d.overdue))
        .collect();
    assert_eq!(acks, [("escalation_ack@nmg-gat", true)]);
    let gat = user(&app, "p-wulan");
    let inbox = lvzhi_server::cases::lists::inbox(&app, &gat, 50)
        .await
        .unwrap();
    assert!(inbox.iter().any(|i| i.case_id == "W2026-000001"
        && i.overdue
        && i.step_zh.contains("内蒙古自治区公安厅")));
    let ledger = lvzhi_server::cases::lists::ledger(&app, &user(&app, "p-zhaomin"))
        .await
        .unwrap();
    assert_eq!(ledger.len(), 3);
    assert!(ledger.iter().any(|(_, r)| r.closed_on.is_some()));
    let z1 = app.service().load_process("Z2026-000001").await.unwrap();
    let docs = z1.case.documents();
    assert_eq!(docs[0].title, "正名通知书");
    assert_eq!(z1.case.summary().stage, "closed");
}

/// The demo's 执法过错 cases (004) and heavy-sanction appeals (001 §27–28): the §9 case decided
/// on the approver alone and appealed, its reply due in the 督察's inbox; a §14 exemption closed
/// with its 认定书; a 记大过 ordered corrected by a deadline in the deciding department's inbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_enforcement_faults_and_sanction_appeals() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), day("2026-03-18")).await;
    demo::seed(&app).await.unwrap();
    let today = app.clock().today();
    let f1 = app.service().load_process("F2026-000001").await.unwrap();
    assert_eq!(f1.case.summary().stage, "appealed");
    let facts = f1.case.facts();
    let allocation = facts
        .iter()
        .find(|f| f.label == "认定的责任划分")
        .map(|f| f.value.clone())
        .unwrap_or_default();
    assert!(allocation.contains("吴刚承担全部责任"), "{allocation}");
    assert!(allocation.contains("孟凡不承担责任"), "{allocation}");
    let view = app.service().view_process(&f1, today);
    assert_eq!(view.deadlines.len(), 1);
    assert_eq!(view.deadlines[0].deadline.article, "004 §27");
    let inspectorate = user(&app, "p-zhouqiang");
    let inbox = lvzhi_server::cases::lists::inbox(&app, &inspectorate, 50)
        .await
        .unwrap();
    assert!(
        inbox.iter().any(|i| i.case_id == "F2026-000001"),
        "{inbox:?}"
    );
    let f2 = app.service().load_process("F2026-000002").await.unwrap();
    assert_eq!(f2.case.summary().stage, "closed");
    assert_eq!(f2.case.documents()[0].title, "执法过错责任认定书");
    let s1 = app.service().load_process("S2026-000001").await.unwrap();
    assert_eq!(s1.case.summary().stage, "ordered");
    let titles: Vec<String> = s1.case.documents().into_iter().map(|d| d.title).collect();
    assert_eq!(titles, ["处分申诉复核意见书", "限期纠正通知书"]);
    let department = user(&app, "p-hanbing");
    let inbox = lvzhi_server::cases::lists::inbox(&app, &department, 50)
        .await
        .unwrap();
    assert!(
        inbox.iter().any(|i| i.case_id == "S2026-000001"),
        "{inbox:?}"
    );
    let s2 = app.service().load_process("S2026-000002").await.unwrap();
    assert_eq!(s2.case.summary().stage, "rechecking");
    let report = app.store().verify().await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
}

/// The demo's 纠错整改 cases (000 §31 ¶2, 002 §15–17): an extension granted and the 盟's office's
/// follow-up; one verified from 高志刚's tolerance; one overdue; the same officer's repeat
/// flagged for accountability; the unit's third mistake of the year raised as a risk point with
/// its warning letter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_rectifications() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), day("2026-03-18")).await;
    demo::seed(&app).await.unwrap();
    let load = |id: &'static str| {
        let app = app.clone();
        async move { app.service().load_process(id).await.unwrap() }
    };
    let state = |c: &lvzhi_service::ProcessCase| c.case.state_json();

    // 002 §16: asked, granted by the 主任, the last day moved past today; 000 §31 ¶2: the 盟.
    let j1 = load("J2026-000001").await;
    assert_eq!(j1.case.summary().stage, "open");
    let s1 = state(&j1);
    assert_eq!(s1["extensions"][0]["decision"]["granted"], true);
    assert_eq!(s1["extensions"][0]["decision"]["by"]["role"], "director");
    let due = s1["due"].as_str().unwrap();
    assert!(due > "2026-03-18", "{due}");
    assert_ne!(s1["due"], s1["original_due"]);
    assert_eq!(s1["follow_ups"][1]["superior"]["id"], "als-gaj");
    assert!(j1
        .case
        .facts()
        .iter()
        .any(|f| f.label == "回访" && f.value.contains("阿拉善盟公安局维权办")));

    // What the pages offer the 盟's office on it — the policies and the process together: to
    // follow up and refer (000 §31 ¶2), nothing the issuing office decides (002 §16–17).
    let offered = |person: &'static str| {
        let app = app.clone();
        async move {
            let u = user(&app, person);
            let ctx = lvzhi_server::cases::load(&app, &u, "J2026-000001")
                .await
                .unwrap();
            lvzhi_server::cases::available(&app, &u, &ctx)
                .into_iter()
                .map(|(spec, _)| spec.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        offered("p-yangfan").await,
        [
            "rectification_record_follow_up",
            "rectification_refer_accountability"
        ]
    );
    assert!(offered("p-zhaomin")
        .await
        .contains(&"rectification_record_follow_up".to_string()));

    // Verified, from the application it was tolerated in.
    let j2 = load("J2026-000002").await;
    assert_eq!(j2.case.summary().stage, "verified");
    let source = state(&j2)["source_case"].as_str().unwrap().to_string();
    let origin = app.service().load(&source).await.unwrap();
    assert!(origin.state.applicant_ids().contains(&"p-gaozhigang"));

    // Overdue: recorded by the system when the office followed up, in the officer's deadlines.
    let j3 = load("J2026-000003").await;
    assert!(j3.case.summary().stage_zh.contains("已逾期"));
    assert!(j3
        .stored
        .iter()
        .any(|e| e.kind == "overdue" && e.actor == "system"));
    let view = app.service().view_process(&j3, app.clock().today());
    assert!(view.deadlines.iter().any(|d| d.overdue));

    // 000 §31 ¶2: the same officer, the same category — flagged on opening.
    let j4 = load("J2026-000004").await;
    let s4 = state(&j4);
    assert_eq!(s4["referrals"][0]["ground"], "recurrence");
    assert_eq!(
        s4["referrals"][0]["earlier"],
        serde_json::json!(["J2026-000001"])
    );
    assert!(s4["risk_point"].is_null());

    // 002 §17: the unit's third evidence mistake of the year — a risk point and its letter.
    let j5 = load("J2026-000005").await;
    let s5 = state(&j5);
    assert_eq!(
        s5["risk_point"]["earlier"],
        serde_json::json!(["J2026-000001", "J2026-000004"])
    );
    assert!(s5["referrals"].as_array().unwrap().is_empty());
    let titles: Vec<String> = j5.case.documents().into_iter().map(|d| d.title).collect();
    assert_eq!(titles, ["整改通知书", "易错风险警示提醒函"]);
    assert_eq!(j5.case.documents()[1].addressee, "巴彦浩特派出所");

    // The office lists all five; so does the 盟's office above it (it sees and follows up);
    // the 右旗's office none.
    let f = ListFilter {
        kind: Some("rectification".into()),
        ..ListFilter::default()
    };
    for (person, n) in [("p-zhaomin", 5), ("p-yangfan", 5), ("p-chenhao", 0)] {
        let listed = cases::list(&app, &user(&app, person), &f).await.unwrap();
        assert_eq!(
            (listed.total, listed.cases.len()),
            (n, n as usize),
            "{person}"
        );
    }
    let report = app.store().verify().await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
}

/// The part of a body's name that follows its organisation (`{org}维护民警执法权威工作委员会` →
/// `维护民警执法权威工作委员会`): what a notice of another body would show.
fn body_suffix(template: &str) -> String {
    template.replace("{org}", "")
}

/// Issue 20: every notice of every demo case — 阿拉善 police, 兴安盟国动办, 福州监狱 and the rest —
/// names only the regulation its governing pack gives (in full or by its short title, besides the
/// national laws and rules a notice cites as such) and no body that only another pack has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_notice_names_only_its_governing_regulation_and_its_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), day("2026-03-18")).await;
    demo::seed(&app).await.unwrap();
    let service = app.service();
    let all = lvzhi_service::packs::regulations(&app.packs());
    let rows = app.store().list_cases(None, None, 1000, 0).await.unwrap();
    let mut checked = BTreeSet::new();
    let mut notices = 0;
    for row in rows {
        let loaded = service.load_process(&row.case_id).await.unwrap();
        let reg = service
            .regulation_of_case(&*loaded.case)
            .unwrap_or_else(|| panic!("{}: no governing regulation", row.case_id));
        let own = reg.bodies();
        let own_suffixes = [body_suffix(&own.committee), body_suffix(&own.office)];
        let view = service.view_process(&loaded, day("2026-03-18"));
        for doc in &view.documents {
            notices += 1;
            let text = format!("{}\n{}", doc.title, doc.text);
            // Every 《…》 is the governing regulation or a law cited as such.
            for (start, _) in text.match_indices('《') {
                let rest = &text[start + '《'.len_utf8()..];
                let Some(end) = rest.find('》') else {
                    continue;
                };
                let named = &rest[..end];
                let national = named.starts_with("中华人民共和国")
                    || named.starts_with("公安机关")
                    || named.ends_with("申请表")
                    || named.ends_with("条例");
                let governing = named == reg.pack.title || named == reg.pack.short_title;
                // A fault case cites the 公安部's rules (004) by their own title.
                assert!(
                    governing || national,
                    "{} ({}): 《{named}》 is not its governing regulation 《{}》:\n{text}",
                    row.case_id,
                    doc.title,
                    reg.pack.title
                );
            }
            // The short name is used only after the full title introduced it.
            if !reg.pack.short_title.is_empty() {
                let short = format!("《{}》", reg.pack.short_title);
                let intro = format!("（以下简称{short}）");
                if let Some(first) = text.find(&short) {
                    let introduced = text.find(&intro).map(|i| i + "（以下简称".len());
                    assert!(
                        introduced.is_some_and(|i| i <= first),
                        "{} ({}): {short} is used before the full title introduces it:\n{text}",
                        row.case_id,
                        doc.title
                    );
                }
            }
            // No body that only another pack has.
            for (pack, other) in &all {
                for suffix in [
                    body_suffix(&other.bodies().committee),
                    body_suffix(&other.bodies().office),
                ] {
                    let shared = own_suffixes.iter().any(|o| o.contains(suffix.as_str()));
                    if suffix.chars().count() >= 4 && !shared {
                        assert!(
                            !text.contains(suffix.as_str()),
                            "{} ({}): names {suffix} of pack {pack}, not a body of {}:\n{text}",
                            row.case_id,
                            doc.title,
                            reg.pack.pack
                        );
                    }
                }
            }
            checked.insert(reg.pack.pack.clone());
        }
    }
    // Notices of every body's regulation were read.
    for pack in ["000", "001", "002", "003"] {
        assert!(
            checked.contains(pack),
            "no notice under {pack}: {checked:?}"
        );
    }
    assert!(notices > 20, "{notices} notices");
}

/// 003 §15 and the bodies of 003 §13 on the page (issue 20): 福州监狱's office opens its 维权
/// incident and sees its own steps, its own office's name in the header and the timeline, and
/// nothing of 001 (no 逐级上报, no 抚慰金, no 维权办); a 阿拉善 police office's page still
/// says 维权办.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prisons_incident_page_speaks_its_own_regulation_003_s15() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path(), day("2026-03-18")).await;
    demo::seed(&app).await.unwrap();
    let target = common::Target::in_process(&app);
    let fz = common::sign_in(&target, "fz-office", "demo-fz-office-2026").await;
    let page = fz.get("/cases/W2026-000004").await;
    assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.body);
    let text = page.body;
    for want in [
        "履职保护办公室工作人员（福州监狱）",
        "履职保护办公室（林芳）",
        "与公检法机关沟通协调",
        "提请公安机关依法惩处",
        "提请司法救济",
        "聘请专业律师团队",
    ] {
        assert!(text.contains(want), "{want} missing");
    }
    for not in ["维权办", "决定逐级上报", "发放抚慰金", "记录回避"] {
        assert!(!text.contains(not), "{not} shown on a prison's case");
    }
    let zq = common::sign_in(&target, "office", "demo-office-2026").await;
    let page = zq.get("/cases/W2026-000002").await;
    assert!(page.body.contains("维权办工作人员（阿拉善左旗公安局）"));
    assert!(page.body.contains("维权办（"));
}
