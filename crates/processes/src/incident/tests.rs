use crate::testing::any_ctx;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::registry::{AnyCase, CaseType, Registered};

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

const ZQ: &str = "alszq-gaj";
const MENG: &str = "als-gaj";
const GAT: &str = "nmg-gat";
const BH: &str = "alszq-bhht";
const OFFICER: &str = "p-bateer";

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn org(id: &str, name: &str) -> Org {
    Org {
        id: id.into(),
        name: name.into(),
    }
}

/// The chain of 阿拉善左旗公安局 up to the 厅, and the directory's names.
fn ctx(today: NaiveDate) -> Ctx<'static> {
    let mut c = Ctx::new(today, &CAL, crate::testing::periods(Incident::PACK))
        .under(crate::testing::regulation(Incident::PACK));
    c.org_chain = vec![
        org(ZQ, "阿拉善左旗公安局"),
        org(MENG, "阿拉善盟公安局"),
        org(GAT, "内蒙古自治区公安厅"),
    ];
    c.names = BTreeMap::from([
        (OFFICER.to_string(), "巴特尔".to_string()),
        (BH.to_string(), "巴彦浩特派出所".to_string()),
        (ZQ.to_string(), "阿拉善左旗公安局".to_string()),
    ]);
    c
}

fn officer() -> Actor {
    Actor::new(OFFICER, &[Role::Officer], BH)
}

fn office(org: &str) -> Actor {
    Actor::new(&format!("p-office-{org}"), &[Role::Office], org)
}

fn unit() -> Actor {
    Actor::new("p-liujianguo", &[Role::Unit], BH)
}

fn intake(extra: Value) -> Value {
    let mut v = json!({
        "officer": OFFICER,
        "unit": BH,
        "org": ZQ,
        "incident_type": "violent_attack",
        "occurred_on": "2026-03-02",
        "place": "巴彦浩特镇团结路",
        "description": "民警巴特尔处置纠纷时被当事人持械袭击，头部受伤",
        "victims": [{ "name": "巴特尔", "kind": "officer", "harm": "头部轻伤" }],
    });
    if let (Value::Object(base), Value::Object(more)) = (&mut v, extra) {
        base.extend(more);
    }
    v
}

fn report(extra: Value) -> Value {
    let mut v = intake(extra);
    v["action"] = json!("incident_report");
    if v.get("source").is_none() {
        v["source"] = json!("officer");
    }
    v
}

/// Runs a command as the service does: the command, then the follow-ups as the system.
fn run(
    case: &mut Box<dyn AnyCase>,
    command: Value,
    actor: &Actor,
    c: &Ctx<'_>,
) -> Result<Vec<crate::DecidedEvent>, ProcessError> {
    let mut work = case.clone();
    let mut events = work.execute(&command, actor, c)?;
    while let Some(mut more) = work.follow_up(c)? {
        events.append(&mut more);
    }
    *case = work;
    Ok(events)
}

fn new_case() -> Box<dyn AnyCase> {
    Registered::<Incident>(std::marker::PhantomData).new_case()
}

fn state(case: &dyn AnyCase) -> IncidentState {
    serde_json::from_value(case.state_json()).unwrap()
}

fn opened(extra: Value) -> Box<dyn AnyCase> {
    let mut case = new_case();
    run(
        &mut case,
        report(extra),
        &officer(),
        &ctx(day("2026-03-02")),
    )
    .unwrap();
    case
}

fn forward(view: &str) -> Value {
    json!({ "action": "incident_forward", "view": view })
}

#[test]
fn s17_a_casualty_is_reported_to_the_level_directly_above_only_001() {
    let mut case = new_case();
    let c = ctx(day("2026-03-02"));
    let events = run(
        &mut case,
        report(json!({ "casualties": true })),
        &officer(),
        &c,
    )
    .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind_id).collect();
    assert_eq!(kinds, ["reported", "reported_up"]);
    // One report, to the 盟 (the level above 阿拉善左旗公安局), which must forward it.
    let d = case.deadlines(&any_ctx().rules());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].step, format!("escalation_forward@{MENG}"));
    assert_eq!(d[0].article, "001 §17");
    assert_eq!(d[0].role, Role::Office);
    assert_eq!(
        d[0].label,
        "阿拉善盟公安局维权办签署意见并转报内蒙古自治区公安厅维权办"
    );
    // 2026-03-02 is a Monday: pack 001's local period is one working day.
    assert_eq!(d[0].due, day("2026-03-03"));
    let docs = case.documents();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].kind, DocumentKind::IncidentReport);
    // Addressed to the office as 001 §6 names it (the pack's [bodies]).
    assert_eq!(
        docs[0].addressee,
        "阿拉善盟公安局维护公安民警执法权威工作委员会办公室"
    );
    assert!(
        docs[0].text.contains("本案（事）件属于造成民警伤亡的情形"),
        "{}",
        docs[0].text
    );
    assert!(
        docs[0].text.contains("本机关维权办已于"),
        "{}",
        docs[0].text
    );
    assert!(docs[0]
        .text
        .ends_with("阿拉善左旗公安局维护公安民警执法权威工作委员会办公室\n2026年3月2日"));
    let links = case.links();
    assert!(links.contains(&("escalated_to".into(), MENG.into())));
    assert!(!links.contains(&("escalated_to".into(), GAT.into())));
    // Nothing more to report until the 盟 forwards: the follow-up is settled.
    assert!(case.follow_up(&c).unwrap().is_none());
}

#[test]
fn s17_each_level_forwards_the_report_with_its_view_up_to_the_ting_001() {
    let mut case = opened(json!({ "casualties": true }));
    let c = ctx(day("2026-03-03"));
    let view = "经核实，民警系依法履职时受到暴力袭击，建议厅维权办督办";
    let events = run(&mut case, forward(view), &office(MENG), &c).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind_id).collect();
    assert_eq!(kinds, ["forwarded"]);
    // The 盟's step is done; the 厅, the top, now acknowledges.
    let d = case.deadlines(&any_ctx().rules());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].step, format!("escalation_ack@{GAT}"));
    assert_eq!(d[0].label, "内蒙古自治区公安厅维权办确认收到报告");
    assert_eq!(d[0].due, day("2026-03-04"));
    assert!(case.links().contains(&("escalated_to".into(), GAT.into())));
    // The 盟's 报告 to the 厅 carries the handling agency's report and the 盟's view.
    let docs = case.documents();
    assert_eq!(docs.len(), 2);
    let doc = &docs[1];
    assert_eq!(
        doc.addressee,
        "内蒙古自治区公安厅维护公安民警执法权威工作委员会办公室"
    );
    assert!(
        doc.text
            .contains("阿拉善左旗公安局维权办已于2026年3月2日立案"),
        "{}",
        doc.text
    );
    assert!(
        doc.text.contains(&format!("本机关维权办意见：{view}")),
        "{}",
        doc.text
    );
    assert!(
        doc.text
            .contains("阿拉善左旗公安局维权办于2026年3月2日向本机关维权办报告，现予转报。"),
        "{}",
        doc.text
    );
    assert!(
        doc.text
            .ends_with("阿拉善盟公安局维护公安民警执法权威工作委员会办公室\n2026年3月3日"),
        "{}",
        doc.text
    );
    // Issue 20 item 2 (and issue 22 item 4): the report is the pack's text; it cites the type
    // of 001 §8 as an article of the regulation, never as a code, and §17 by its short name.
    for d in &docs {
        assert!(!d.text.contains("001 §"), "{}", d.text);
        assert!(
            d.text.contains("（《内蒙古公安机关维护公安民警执法权威工作实施办法》（以下简称《实施办法》）第八条第（一）项）"),
            "{}",
            d.text
        );
        assert!(
            d.text
                .contains("依照《实施办法》第十七条的规定，逐级报告。"),
            "{}",
            d.text
        );
    }
    assert_eq!(
        doc.title,
        "关于巴彦浩特派出所民警巴特尔执法权威受到侵害案（事）件的报告"
    );
    assert_eq!(lvzhi_case::doubled_phrase(&doc.text), None);
    // The view is kept and shown.
    let s = state(&*case);
    assert_eq!(s.reports[0].view, view);
    assert_eq!(s.reports[0].forwarded_on, Some(day("2026-03-03")));
    let shown = Incident::facts(&s)
        .into_iter()
        .find(|f| f.label == "上报情况")
        .unwrap();
    assert!(
        shown.value.contains(&format!(
            "阿拉善盟公安局（2026年3月3日收到并转报内蒙古自治区公安厅，意见：{view}）"
        )),
        "{}",
        shown.value
    );
    assert!(case
        .timeline()
        .iter()
        .any(|(_, t)| t.contains("阿拉善盟公安局维权办收到报告，转报内蒙古自治区公安厅维权办")));
    // The 厅 acknowledges receipt; every step of the climb is done.
    let c2 = ctx(day("2026-03-04"));
    let ack = json!({ "action": "incident_acknowledge", "note": "请持续跟踪" });
    assert_eq!(
        run(&mut case, forward("转报"), &office(GAT), &c2)
            .unwrap_err()
            .article
            .as_deref(),
        Some("001 §17"),
        "the top acknowledges, it does not forward"
    );
    run(&mut case, ack.clone(), &office(GAT), &c2).unwrap();
    assert!(case.deadlines(&any_ctx().rules()).is_empty());
    assert!(run(&mut case, ack, &office(GAT), &c2).is_err());
    let s = state(&*case);
    assert!(s.reports.iter().all(|r| r.acknowledged_on.is_some()));
    assert_eq!(s.reports[1].view, "请持续跟踪");
    assert!(case.follow_up(&c2).unwrap().is_none());
}

#[test]
fn s17_nobody_but_the_office_of_the_level_forwards_or_acknowledges_001() {
    let mut case = opened(json!({ "casualties": true }));
    let c = ctx(day("2026-03-03"));
    let meng_unit = Actor::new("p-meng-unit", &[Role::Unit], MENG);
    let meng_officer = Actor::new("p-meng-officer", &[Role::Officer], MENG);
    for who in [
        officer(),
        unit(),
        office(ZQ),
        office(GAT),
        meng_unit,
        meng_officer,
    ] {
        let err = run(&mut case, forward("同意上报"), &who, &c).unwrap_err();
        assert_eq!(err.article.as_deref(), Some("001 §17"), "{who:?}");
        assert!(!Incident::actions(&state(&*case), &who, &any_ctx())
            .iter()
            .any(|a| a.id == "incident_forward"));
    }
    // The 厅 has received nothing yet; the 盟 must forward, not only acknowledge.
    let ack = json!({ "action": "incident_acknowledge" });
    assert!(run(&mut case, ack.clone(), &office(GAT), &c).is_err());
    let err = run(&mut case, ack, &office(MENG), &c).unwrap_err();
    assert!(
        err.message.contains("转报内蒙古自治区公安厅维权办"),
        "{}",
        err.message
    );
    assert_eq!(state(&*case).reports.len(), 1);
    // Forwarding is the 盟's once.
    run(&mut case, forward(""), &office(MENG), &c).unwrap();
    assert!(run(&mut case, forward(""), &office(MENG), &c).is_err());
    assert_eq!(state(&*case).reports.len(), 2);
}

#[test]
fn s17_the_climb_stops_at_the_ting_or_at_the_root_001() {
    // A directory above the 厅 (a national deployment): the report stops at the 厅.
    let mut c = ctx(day("2026-03-02"));
    c.org_chain.push(org("mps", "公安部"));
    let mut case = new_case();
    run(
        &mut case,
        report(json!({ "casualties": true })),
        &officer(),
        &c,
    )
    .unwrap();
    run(&mut case, forward(""), &office(MENG), &c).unwrap();
    assert_eq!(state(&*case).reports[1].forward_to, None);
    assert!(run(&mut case, forward(""), &office(GAT), &c).is_err());
    run(
        &mut case,
        json!({ "action": "incident_acknowledge" }),
        &office(GAT),
        &c,
    )
    .unwrap();
    assert!(!case
        .links()
        .contains(&("escalated_to".into(), "mps".into())));
    // A directory without a 公安厅: the root is the top, acknowledged by the 盟 directly.
    let mut c = ctx(day("2026-03-02"));
    c.org_chain.truncate(2);
    let mut case = new_case();
    run(
        &mut case,
        report(json!({ "casualties": true })),
        &officer(),
        &c,
    )
    .unwrap();
    let d = case.deadlines(&any_ctx().rules());
    assert_eq!(d[0].step, format!("escalation_ack@{MENG}"));
    run(
        &mut case,
        json!({ "action": "incident_acknowledge" }),
        &office(MENG),
        &c,
    )
    .unwrap();
    assert!(case.deadlines(&any_ctx().rules()).is_empty());
}

#[test]
fn s17_a_case_recorded_with_reports_to_every_level_at_once_still_replays_001() {
    // Events as recorded before 逐级 reporting: a report to each level above in one append.
    let intake =
        serde_json::to_value(state(&*opened(json!({ "casualties": true }))).intake).unwrap();
    let report = |level: &str, name: &str| {
        json!({ "on": "2026-03-02", "by": { "person_id": "system", "role": "system" },
            "kind": { "type": "reported_up",
                "report": { "level": { "id": level, "name": name }, "reported_on": "2026-03-02",
                    "due": "2026-03-03", "provisional": false, "acknowledged_on": null,
                    "acknowledged_by": "" },
                "document": { "kind": "incident_report", "title": "报告", "addressee": format!("{name}维权办"),
                    "copy_to": [], "text": "旧报告", "issued_on": "2026-03-02" } } })
    };
    let payloads = [
        json!({ "on": "2026-03-02", "by": { "person_id": OFFICER, "role": "officer" },
            "kind": { "type": "reported", "intake": intake, "source": "officer" } }),
        report(MENG, "阿拉善盟公安局"),
        report(GAT, "内蒙古自治区公安厅"),
        json!({ "on": "2026-03-03", "by": { "person_id": "p-office-als-gaj", "role": "office" },
            "kind": { "type": "acknowledged", "level": { "id": MENG, "name": "阿拉善盟公安局" }, "note": "" } }),
    ]
    .map(|p| p.to_string());
    let refs: Vec<&str> = payloads.iter().map(String::as_str).collect();
    let mut case = Registered::<Incident>(std::marker::PhantomData)
        .replay(&refs)
        .unwrap();
    assert_eq!(case.documents().len(), 2);
    // The 厅's old report is still acknowledged, not forwarded; nothing new is reported.
    let d = case.deadlines(&any_ctx().rules());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].step, format!("escalation_ack@{GAT}"));
    let c = ctx(day("2026-03-04"));
    assert!(case.follow_up(&c).unwrap().is_none());
    assert!(run(&mut case, forward(""), &office(GAT), &c).is_err());
    run(
        &mut case,
        json!({ "action": "incident_acknowledge" }),
        &office(GAT),
        &c,
    )
    .unwrap();
    assert!(case.deadlines(&any_ctx().rules()).is_empty());
}

#[test]
fn s17_an_incident_without_a_ground_is_not_reported_until_the_office_decides_001() {
    let mut case = opened(json!({}));
    assert!(case.deadlines(&any_ctx().rules()).is_empty());
    let c = ctx(day("2026-03-04"));
    // Only the handling office decides (§17(四)); the officer cannot.
    let cmd = json!({ "action": "incident_escalate", "grounds": ["office_decision"], "reason": "社会影响较大" });
    assert!(run(&mut case, cmd.clone(), &officer(), &c).is_err());
    assert!(run(&mut case, cmd.clone(), &office(MENG), &c).is_err());
    let events = run(&mut case, cmd, &office(ZQ), &c).unwrap();
    assert_eq!(
        events.len(),
        2,
        "the decision and the report to the level above"
    );
    assert_eq!(case.deadlines(&any_ctx().rules()).len(), 1);
    // Escalating again makes no second report.
    let events = run(
        &mut case,
        json!({ "action": "incident_escalate", "grounds": ["cross_region"], "reason": "涉及邻省" }),
        &office(ZQ),
        &c,
    )
    .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(state(&*case).reports.len(), 1);
}

#[test]
fn s17_the_system_alone_makes_the_reports_001() {
    let mut case = opened(json!({}));
    let err = run(
        &mut case,
        json!({ "action": "incident_report_up" }),
        &office(ZQ),
        &ctx(day("2026-03-02")),
    )
    .unwrap_err();
    assert_eq!(err.article.as_deref(), Some("001 §17"));
}

#[test]
fn s32_near_relative_outside_the_definition_is_refused_as_victim_001() {
    for relation in ["表兄弟", "岳父", "祖父", "堂妹", ""] {
        let err = match run(
            &mut new_case(),
            report(
                json!({ "victims": [{ "name": "王强", "kind": "near_relative", "relation": relation }] }),
            ),
            &officer(),
            &ctx(day("2026-03-02")),
        ) {
            Err(e) => e,
            Ok(_) => panic!("{relation} accepted"),
        };
        assert_eq!(err.article.as_deref(), Some("001 §32"), "{relation}");
        if !relation.is_empty() {
            assert!(err.message.contains(relation), "{}", err.message);
            assert!(err.message.contains("夫、妻、父、母、子、女、同胞兄弟姊妹"));
        }
    }
    // Added later, the same rule applies; nothing is recorded.
    let mut case = opened(json!({}));
    let before = case.len();
    let err = run(
        &mut case,
        json!({ "action": "incident_add_victim", "name": "李四", "kind": "near_relative", "relation": "岳父" }),
        &office(ZQ),
        &ctx(day("2026-03-03")),
    )
    .unwrap_err();
    assert_eq!(err.article.as_deref(), Some("001 §32"));
    assert_eq!(case.len(), before);
}

#[test]
fn s32_spouse_parents_children_and_full_siblings_are_near_relatives_001() {
    for (relation, canonical) in [
        ("妻子", "妻子"),
        ("丈夫", "丈夫"),
        ("父亲", "父亲"),
        ("母", "母亲"),
        ("儿子", "儿子"),
        ("女儿", "女儿"),
        ("弟弟", "弟弟"),
        ("同胞兄弟姊妹", "同胞兄弟姊妹"),
    ] {
        assert_eq!(near_relative("某", relation).unwrap(), canonical);
    }
    let mut case = opened(json!({}));
    // The officer adds their own mother, threatened too (001 §8(六), §11).
    run(
        &mut case,
        json!({ "action": "incident_add_victim", "name": "其木格", "kind": "near_relative", "relation": "母亲", "harm": "受到电话威胁" }),
        &officer(),
        &ctx(day("2026-03-03")),
    )
    .unwrap();
    let s = state(&*case);
    assert_eq!(s.victims.len(), 2);
    assert_eq!(s.victims[1].relation, "母亲");
}

#[test]
fn s33_auxiliary_police_and_cadets_are_victims_001() {
    let case = opened(json!({ "victims": [
        { "name": "张辅警", "kind": "auxiliary", "harm": "手臂擦伤" },
        { "name": "李学员", "kind": "cadet" },
    ] }));
    let s = state(&*case);
    assert_eq!(s.victims[0].kind, VictimKind::Auxiliary);
    assert_eq!(s.victims[1].kind, VictimKind::Cadet);
    assert!(case
        .facts()
        .iter()
        .any(|f| f.value.contains("警务辅助人员")));
}

#[test]
fn s31_an_off_duty_officer_is_protected_only_after_identifying_themself_in_an_emergency_001() {
    let c = ctx(day("2026-03-02"));
    let err = run(
        &mut new_case(),
        report(json!({ "off_duty": true, "emergency": true })),
        &officer(),
        &c,
    )
    .unwrap_err();
    assert_eq!(err.article.as_deref(), Some("001 §31"));
    let mut case = new_case();
    run(
        &mut case,
        report(json!({ "off_duty": true, "emergency": true, "identified_self": true })),
        &officer(),
        &c,
    )
    .unwrap();
    assert!(case.facts().iter().any(|f| f.label == "非工作时间"));
}

#[test]
fn s15_who_may_apply_and_how_001() {
    let c = ctx(day("2026-03-02"));
    // Another officer cannot apply "as the officer".
    let other = Actor::new("p-wang", &[Role::Officer], BH);
    assert_eq!(
        run(&mut new_case(), report(json!({})), &other, &c)
            .unwrap_err()
            .article
            .as_deref(),
        Some("001 §15")
    );
    // The unit applies for its officer.
    let mut case = new_case();
    run(&mut case, report(json!({ "source": "unit" })), &unit(), &c).unwrap();
    assert_eq!(state(&*case).source, Some(Source::Unit));
    // A near relative's application, entered by the office, names the relative (001 §32).
    let err = run(
        &mut new_case(),
        report(
            json!({ "source": "relative", "reporter_name": "王强", "reporter_relation": "表兄弟" }),
        ),
        &office(ZQ),
        &c,
    )
    .unwrap_err();
    assert_eq!(err.article.as_deref(), Some("001 §32"));
    let mut case = new_case();
    run(
        &mut case,
        report(
            json!({ "source": "relative", "reporter_name": "其木格", "reporter_relation": "妻子" }),
        ),
        &office(ZQ),
        &c,
    )
    .unwrap();
    assert_eq!(
        state(&*case).reporter,
        Some(("其木格".into(), "妻子".into()))
    );
    // The office opens on a clue it found.
    let mut open = intake(json!({ "clue": "网络巡查发现辱骂民警的视频" }));
    open["action"] = json!("incident_open");
    let mut case = new_case();
    run(&mut case, open.clone(), &office(ZQ), &c).unwrap();
    assert_eq!(state(&*case).source, Some(Source::Office));
    assert_eq!(
        run(&mut new_case(), open, &unit(), &c)
            .unwrap_err()
            .article
            .as_deref(),
        Some("001 §15")
    );
}

#[test]
fn s8_an_unknown_person_or_organisation_or_a_future_day_is_refused() {
    let c = ctx(day("2026-03-02"));
    let err = run(
        &mut new_case(),
        report(json!({ "officer": "p-nobody" })),
        &officer(),
        &c,
    )
    .unwrap_err();
    assert!(err.message.contains("p-nobody"), "{}", err.message);
    let err = run(
        &mut new_case(),
        report(json!({ "occurred_on": "2026-03-09" })),
        &officer(),
        &c,
    )
    .unwrap_err();
    assert!(err.message.contains("不能晚于今日"));
    // An unknown type is not a command of the process.
    let err = run(
        &mut new_case(),
        report(json!({ "incident_type": "rumour" })),
        &officer(),
        &c,
    )
    .unwrap_err();
    assert!(err.message.contains("格式"), "{}", err.message);
}

#[test]
fn s8_the_ten_types_cite_their_items_001() {
    let articles: Vec<String> = IncidentType::ALL.iter().map(|t| t.article()).collect();
    assert_eq!(articles[0], "001 §8(一)");
    assert_eq!(articles[9], "001 §8(十)");
    let mut ids: Vec<&str> = IncidentType::ALL.iter().map(|t| t.id()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 10);
    for t in IncidentType::ALL {
        assert_eq!(serde_json::to_value(t).unwrap(), json!(t.id()));
    }
}

#[test]
fn s9_s11_s12_s16_s7_measures_are_recorded_with_their_articles_001() {
    let mut case = opened(json!({}));
    let c = ctx(day("2026-03-04"));
    let cmds = [
        json!({ "action": "incident_protect", "protected": "巴特尔及其家属", "measures": "安排住所周边巡逻", "taken_by": "巴彦浩特派出所" }),
        json!({ "action": "incident_civil_suit", "suit": "incidental_civil", "loss": "医疗费 3200 元", "assistance": "法制大队协助起草附带民事诉状" }),
        json!({ "action": "incident_media", "outlet": "某短视频平台", "clarification": "发布警情通报，澄清事实" }),
        json!({ "action": "incident_comfort_payment", "recipient": "巴特尔", "amount_yuan": 2000 }),
        json!({ "action": "incident_refer_violation", "department": "阿拉善左旗公安局纪检监察室", "problem": "执法记录仪未全程开启" }),
    ];
    for cmd in cmds {
        run(&mut case, cmd, &office(ZQ), &c).unwrap();
    }
    let articles: Vec<String> = state(&*case)
        .measures
        .iter()
        .map(|m| m.article.clone())
        .collect();
    assert_eq!(
        articles,
        ["001 §11", "001 §9", "001 §12", "001 §7(六)", "001 §16"]
    );
    let err = run(
        &mut case,
        json!({ "action": "incident_comfort_payment", "recipient": "巴特尔", "amount_yuan": 0 }),
        &office(ZQ),
        &c,
    )
    .unwrap_err();
    assert!(err.message.contains("正整数"));
    // Only the handling office records them.
    assert!(run(
        &mut case,
        json!({ "action": "incident_protect", "protected": "巴特尔", "measures": "巡逻" }),
        &office(MENG),
        &c
    )
    .is_err());
}

/// 001 §10 (回避), §14 (the officer's own response on the scene), §26 and §26¶2 (legal review
/// and support) and §30 (相关领导和责任人, by item) as measures of the incident, each citing its
/// article; §14 needs the officer either to have handled it or to have asked for help.
#[test]
fn s10_s14_s26_s30_are_recorded_with_their_articles_001() {
    let mut case = opened(json!({}));
    let c = ctx(day("2026-03-04"));
    let err = run(
        &mut case,
        json!({ "action": "incident_on_scene", "account": "民警被围堵" }),
        &office(ZQ),
        &c,
    )
    .unwrap_err();
    assert_eq!(err.article.as_deref(), Some("001 §14"));
    let cmds = [
        json!({ "action": "incident_on_scene", "account": "民警表明身份后遭持械袭击",
                "requested_help": true, "evidence": "执法记录仪视频、现场照片" }),
        json!({ "action": "incident_recusal", "person": "办案民警王某", "reason": "系被侵害民警的近亲属" }),
        json!({ "action": "incident_legal_support", "provider": "法律顾问某律师事务所", "support": "审查民警处置行为，认为依法履职" }),
        json!({ "action": "incident_legal_support", "provider": "阿拉善左旗公安局法制大队",
                "support": "向检察机关提供论证意见", "inquiry_by": "阿拉善左旗人民检察院" }),
        json!({ "action": "incident_refer_accountability", "failure": "no_aftercare",
                "responsible": "巴彦浩特派出所所长", "facts": "民警受伤后三日未安排救治",
                "referred_to": "阿拉善左旗公安局纪检监察室" }),
    ];
    for cmd in cmds {
        run(&mut case, cmd, &office(ZQ), &c).unwrap();
    }
    let st = state(&*case);
    let articles: Vec<&str> = st.measures.iter().map(|m| m.article.as_str()).collect();
    assert_eq!(
        articles,
        ["001 §14", "001 §10", "001 §26", "001 §26¶2", "001 §30(三)"]
    );
    assert!(st.measures[0].text.contains("立即向指挥中心报告、请求援助"));
    assert!(st.measures[4].text.starts_with(
        "巴彦浩特派出所所长不及时采取善后救助措施，移送阿拉善左旗公安局纪检监察室追究责任"
    ));
    // The six items of §30, in order.
    let items: Vec<String> = LeaderFailure::ALL.iter().map(|f| f.article()).collect();
    assert_eq!(items[0], "001 §30(一)");
    assert_eq!(items[5], "001 §30(六)");
    for f in LeaderFailure::ALL {
        assert_eq!(serde_json::to_value(f).unwrap(), json!(f.id()));
    }
    // Only the handling office records them.
    assert!(run(
        &mut case,
        json!({ "action": "incident_recusal", "person": "王某", "reason": "近亲属" }),
        &office(MENG),
        &c
    )
    .is_err());
}

/// 001 §13: 诬陷、诽谤或者侮辱公安民警…维权办应及时予以消除影响、恢复名誉 — within the incident,
/// with no 正名 application needed; offered and accepted only for those situations.
#[test]
fn s13_the_office_restores_a_slandered_officers_name_without_a_complaint_001() {
    let c = ctx(day("2026-03-04"));
    let restore =
        json!({ "action": "incident_restore_reputation", "means": "在全局通报澄清，恢复名誉" });
    let mut attack = opened(json!({}));
    let err = run(&mut attack, restore.clone(), &office(ZQ), &c).unwrap_err();
    assert_eq!(err.article.as_deref(), Some("001 §13"));
    let mut slander = opened(json!({ "incident_type": "false_accusation",
        "description": "有人捏造民警索贿的事实向纪检部门诬告" }));
    run(&mut slander, restore, &office(ZQ), &c).unwrap();
    let st = state(&*slander);
    assert_eq!(st.measures[0].article, "001 §13");
    assert_eq!(
        st.measures[0].text,
        "消除影响、恢复名誉：在全局通报澄清，恢复名誉"
    );
}

#[test]
fn s29_the_ledger_tracks_registration_investigation_and_handling_to_the_end_001() {
    let mut case = opened(json!({ "casualties": true }));
    let c = ctx(day("2026-03-05"));
    let close = json!({ "action": "incident_close", "summary": "行为人已被依法处理" });
    let handle =
        json!({ "action": "incident_record_handling", "result": "行为人因妨害公务罪被刑事拘留" });
    // Handling needs an investigation first; closing needs handling and every acknowledgement.
    assert_eq!(
        run(&mut case, handle.clone(), &office(ZQ), &c)
            .unwrap_err()
            .article
            .as_deref(),
        Some("001 §29(六)")
    );
    run(
        &mut case,
        json!({ "action": "incident_investigate", "findings": "已调取执法记录仪视频，固定证据", "handling_unit": "刑侦大队" }),
        &office(ZQ),
        &c,
    )
    .unwrap();
    run(&mut case, handle, &office(ZQ), &c).unwrap();
    let err = run(&mut case, close.clone(), &office(ZQ), &c).unwrap_err();
    assert_eq!(err.article.as_deref(), Some("001 §17"));
    assert!(err.message.contains("阿拉善盟公安局"), "{}", err.message);
    run(&mut case, forward(""), &office(MENG), &c).unwrap();
    run(
        &mut case,
        json!({ "action": "incident_acknowledge" }),
        &office(GAT),
        &c,
    )
    .unwrap();
    assert!(Incident::actions(&state(&*case), &office(ZQ), &any_ctx())
        .iter()
        .any(|a| a.id == "incident_close"));
    run(&mut case, close, &office(ZQ), &c).unwrap();
    let s = state(&*case);
    assert_eq!(s.stage, Stage::Closed);
    let row = ledger(&s);
    assert_eq!(row.registered_on, Some(day("2026-03-02")));
    assert!(row.investigation.contains("刑侦大队"));
    assert!(row.handling.contains("刑事拘留"));
    assert!(row
        .escalation
        .contains("内蒙古自治区公安厅（2026年3月5日确认收到）"));
    assert_eq!(row.closed_on, Some(day("2026-03-05")));
    assert!(
        case.actions(&office(ZQ), &any_ctx()).is_empty(),
        "nothing more once closed"
    );
    assert!(run(
        &mut case,
        json!({ "action": "incident_investigate", "findings": "补充" }),
        &office(ZQ),
        &c
    )
    .is_err());
}

#[test]
fn actions_offer_what_the_guards_accept() {
    let empty = IncidentState::default();
    let ids = |a: &[ActionSpec]| a.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(&Incident::actions(&empty, &officer(), &any_ctx())),
        ["incident_report"]
    );
    assert_eq!(
        ids(&Incident::actions(&empty, &office(ZQ), &any_ctx())),
        ["incident_report", "incident_open"]
    );
    let case = opened(json!({ "casualties": true }));
    let s = state(&*case);
    assert_eq!(
        ids(&Incident::actions(&s, &office(MENG), &any_ctx())),
        ["incident_forward"]
    );
    assert!(Incident::actions(&s, &office(GAT), &any_ctx()).is_empty());
    assert_eq!(
        ids(&Incident::actions(&s, &officer(), &any_ctx())),
        ["incident_add_victim"]
    );
    let mine = ids(&Incident::actions(&s, &office(ZQ), &any_ctx()));
    assert!(mine.contains(&"incident_investigate".to_string()));
    assert!(!mine.contains(&"incident_close".to_string()));
    // Every action id starts with the kind (they are Cedar ids too).
    for a in Incident::actions(&s, &office(ZQ), &any_ctx()) {
        assert!(a.id.starts_with("incident_"));
    }
}

#[test]
fn replaying_the_recorded_payloads_gives_the_same_case() {
    let mut case = new_case();
    let c = ctx(day("2026-03-02"));
    let mut payloads = Vec::new();
    for e in run(
        &mut case,
        report(json!({ "casualties": true })),
        &officer(),
        &c,
    )
    .unwrap()
    {
        payloads.push(e.payload.to_string());
    }
    for e in run(&mut case, forward("建议督办"), &office(MENG), &c).unwrap() {
        payloads.push(e.payload.to_string());
    }
    let refs: Vec<&str> = payloads.iter().map(String::as_str).collect();
    let replayed = Registered::<Incident>(std::marker::PhantomData)
        .replay(&refs)
        .unwrap();
    assert_eq!(replayed.state_json(), case.state_json());
    assert_eq!(replayed.summary(), case.summary());
    assert_eq!(replayed.timeline().len(), 3);
}

proptest! {
    /// Whatever the office and the levels above do, in any order: at most one report per level,
    /// the open deadlines are exactly the unacknowledged reports, and a closed case has none.
    #[test]
    fn reports_and_deadlines_stay_consistent(steps in prop::collection::vec(0u8..7, 0..20), casualties in any::<bool>()) {
        let mut case = new_case();
        let c = ctx(day("2026-03-02"));
        run(&mut case, report(json!({ "casualties": casualties })), &officer(), &c).unwrap();
        for step in steps {
            let (cmd, actor) = match step {
                0 => (json!({ "action": "incident_escalate", "grounds": ["office_decision"], "reason": "需要上报" }), office(ZQ)),
                1 => (forward("建议督办"), office(MENG)),
                2 => (json!({ "action": "incident_acknowledge" }), office(GAT)),
                3 => (json!({ "action": "incident_investigate", "findings": "调查中" }), office(ZQ)),
                4 => (json!({ "action": "incident_record_handling", "result": "已处理" }), office(ZQ)),
                5 => (json!({ "action": "incident_close" }), office(ZQ)),
                _ => (json!({ "action": "incident_add_victim", "name": "其木格", "kind": "near_relative", "relation": "妻子" }), officer()),
            };
            let before = case.len();
            if run(&mut case, cmd, &actor, &c).is_err() {
                prop_assert_eq!(case.len(), before);
            }
            // 001 §17's steps are offered to exactly those whose command would be accepted.
            let s = state(&*case);
            for who in [office(ZQ), office(MENG), office(GAT), officer(), unit()] {
                let offered = Incident::actions(&s, &who, &any_ctx());
                for cmd in [forward("意见"), json!({ "action": "incident_acknowledge" })] {
                    let id = cmd["action"].as_str().unwrap_or_default().to_string();
                    let accepted = case.clone().execute(&cmd, &who, &c).is_ok();
                    prop_assert_eq!(offered.iter().any(|a| a.id == id), accepted, "{} {:?}", id, who);
                }
            }
        }
        let s = state(&*case);
        let mut levels: Vec<&str> = s.reports.iter().map(|r| r.level.id.as_str()).collect();
        levels.sort();
        let n = levels.len();
        levels.dedup();
        prop_assert_eq!(levels.len(), n);
        let pending = s.reports.iter().filter(|r| r.acknowledged_on.is_none()).count();
        prop_assert_eq!(case.deadlines(&any_ctx().rules()).len(), if s.stage == Stage::Closed { 0 } else { pending });
        // The report climbs one level at a time: at most one level holds it.
        prop_assert!(pending <= 1);
        prop_assert!(s.reports.len() <= 2);
        if s.stage == Stage::Closed {
            prop_assert_eq!(pending, 0);
        }
    }
}

/// 001 §17: forwarding a report to the next level and acknowledging it at the top are the
/// periods an incident reads, and the ones it declares (`Process::PERIODS`, what `lvzhi policy
/// coverage` counts as periods in use).
#[test]
fn s17_reads_exactly_the_periods_it_declares_001() {
    let periods = crate::testing::recording(Incident::PACK);
    let c = Ctx {
        periods: &periods,
        ..ctx(day("2026-03-02"))
    };
    let mut case = new_case();
    run(
        &mut case,
        report(json!({ "casualties": true })),
        &officer(),
        &c,
    )
    .unwrap();
    // 逐级: the level directly above holds the report.
    assert_eq!(case.deadlines(&c.rules()).len(), 1);
    let later = Ctx {
        today: day("2026-03-03"),
        ..c.clone()
    };
    run(
        &mut case,
        json!({ "action": "incident_forward", "view": "情况属实，建议厅维权办关注" }),
        &office(MENG),
        &later,
    )
    .unwrap();
    assert_eq!(case.deadlines(&later.rules()).len(), 1);
    run(
        &mut case,
        json!({ "action": "incident_acknowledge" }),
        &office(GAT),
        &later,
    )
    .unwrap();
    let _ = case.fire_due(&later);
    crate::testing::assert_reads_declared::<Incident>(&periods);
}

fn ids(a: &[ActionSpec]) -> Vec<String> {
    a.iter().map(|x| x.id.clone()).collect()
}

const FZ: &str = "fj-fzjy";
const FJ: &str = "fj-jyj";
const PRISON_OFFICER: &str = "p-fz-chenwei";

/// 福州监狱 under 003 (its 民警依法履职保护委员会办公室), with the 省局 above it.
fn prison_ctx(today: NaiveDate) -> Ctx<'static> {
    let mut c = Ctx::new(today, &CAL, crate::testing::periods(Incident::PACK))
        .under(crate::testing::regulation("003"));
    c.org_chain = vec![org(FZ, "福州监狱"), org(FJ, "福建省监狱管理局")];
    c.names = BTreeMap::from([
        (PRISON_OFFICER.to_string(), "陈伟".to_string()),
        (FZ.to_string(), "福州监狱".to_string()),
    ]);
    c
}

fn prison_report(extra: Value) -> Value {
    let mut v = json!({
        "action": "incident_report",
        "source": "officer",
        "officer": PRISON_OFFICER,
        "unit": FZ,
        "org": FZ,
        "incident_type": "violent_attack",
        "occurred_on": "2026-03-02",
        "place": "福州监狱三监区",
        "description": "罪犯抗拒管教，持械袭击民警陈伟",
        "victims": [{ "name": "陈伟", "kind": "officer", "harm": "左臂挫伤" }],
        "casualties": true,
    });
    if let (Value::Object(base), Value::Object(more)) = (&mut v, extra) {
        base.extend(more);
    }
    v
}

fn prison_officer() -> Actor {
    Actor::new(PRISON_OFFICER, &[Role::Officer], FZ)
}

/// 003 §15: a prison's officer attacked in the line of duty is protected under the prisons' own
/// regulation — its office registers the case, coordinates with the 公检法 organs, retains
/// lawyers, asks the police to punish threats against the officer's family and seeks judicial
/// relief, each cited by 003 §15; none of 001's steps (逐级上报 to a 公安厅, 抚慰金, 回避 …) is
/// offered or accepted, and nothing on the case names 001 or a 维权办.
#[test]
fn issue20_003_s15_a_prison_protects_its_officer_under_its_own_regulation() {
    assert!(Incident::REGULATIONS.contains(&"003"));
    let c = prison_ctx(day("2026-03-02"));
    let mut case = new_case();
    // The opening form asks no 001 §17 or §31 question.
    let open = Incident::actions(&IncidentState::default(), &prison_officer(), &c);
    let report_form = open.iter().find(|a| a.id == "incident_report").unwrap();
    assert_eq!(report_form.article, "003 §15");
    for gone in ["casualties", "cross_region", "off_duty", "emergency"] {
        assert!(
            report_form.fields.iter().all(|f| f.name != gone),
            "{gone} asked under 003"
        );
    }
    run(&mut case, prison_report(json!({})), &prison_officer(), &c).unwrap();
    let s = state(&*case);
    // A casualty is no 001 §17 ground here: no report climbs to a 公安厅.
    assert!(s.grounds.is_empty() && s.reports.is_empty());
    assert!(case.deadlines(&c.rules()).is_empty());

    let office = office(FZ);
    let offered = ids(&Incident::actions(&s, &office, &c));
    for own in [
        "incident_coordinate",
        "incident_refer_police",
        "incident_judicial_relief",
        "incident_legal_support",
        "incident_investigate",
    ] {
        assert!(
            offered.contains(&own.to_string()),
            "{own} not offered: {offered:?}"
        );
    }
    for not in [
        "incident_escalate",
        "incident_comfort_payment",
        "incident_recusal",
        "incident_protect",
        "incident_civil_suit",
        "incident_media",
        "incident_on_scene",
        "incident_refer_violation",
        "incident_refer_accountability",
    ] {
        assert!(
            !offered.contains(&not.to_string()),
            "{not} offered under 003"
        );
    }
    let lawyers = Incident::actions(&s, &office, &c)
        .into_iter()
        .find(|a| a.id == "incident_legal_support")
        .unwrap();
    assert_eq!(lawyers.label, "聘请专业律师团队");

    // 001's steps are refused, naming the prisons' regulation.
    let e = case
        .execute(
            &json!({ "action": "incident_escalate", "grounds": ["office_decision"], "reason": "影响较大" }),
            &office,
            &c,
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("《福建省监狱人民警察依法履职保护实施办法（试行）》未规定逐级上报"),
        "{e}"
    );
    assert!(case
        .execute(
            &json!({ "action": "incident_comfort_payment", "recipient": "陈伟", "amount_yuan": 5000 }),
            &office,
            &c,
        )
        .is_err());

    for cmd in [
        json!({ "action": "incident_coordinate", "organ": "福州市晋安区人民检察院", "content": "通报罪犯袭警情况，商请依法从严追究" }),
        json!({ "action": "incident_legal_support", "provider": "福建某律师事务所律师团队", "support": "代理陈伟参与刑事附带民事诉讼" }),
        json!({ "action": "incident_refer_police", "police": "福州市公安局晋安分局", "conduct": "罪犯亲属电话威胁陈伟妻子" }),
        json!({ "action": "incident_judicial_relief", "relief": "申请人身安全保护令", "organ": "福州市晋安区人民法院" }),
        json!({ "action": "incident_investigate", "findings": "监控录像证实罪犯持械袭击" }),
        json!({ "action": "incident_record_handling", "result": "罪犯以袭警罪移送起诉" }),
        json!({ "action": "incident_close" }),
    ] {
        run(&mut case, cmd.clone(), &office, &c).unwrap_or_else(|e| panic!("{cmd}: {e}"));
    }
    let s = state(&*case);
    assert_eq!(s.stage, Stage::Closed);
    assert_eq!(s.measures.len(), 4);
    assert!(
        s.measures.iter().all(|m| m.article == "003 §15"),
        "{:?}",
        s.measures
    );
    // Nothing on the case names 001 or 001's office.
    let mut shown: Vec<String> = Incident::facts(&s)
        .into_iter()
        .map(|f| format!("{}：{}", f.label, f.value))
        .collect();
    shown.extend(case.timeline().into_iter().map(|(_, d)| d));
    for line in &shown {
        assert!(!line.contains("001") && !line.contains("维权办"), "{line}");
    }
    assert!(
        shown
            .iter()
            .any(|l| l == "受理的履职保护办公室：福州监狱履职保护办公室"),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|l| l.starts_with("侵害情形：受到暴力袭击（003 §15）")),
        "{shown:?}"
    );
}

/// 003 §15 protects the officer's 家属 without 001 §32's closed list of near relatives; under
/// 001 a cousin is refused, under 003 recorded as the office writes the relation.
#[test]
fn issue20_003_s15_family_is_not_read_by_001_s32() {
    let relative =
        json!({ "name": "陈明", "kind": "near_relative", "relation": "表哥", "harm": "受到威胁" });
    let mut prison = new_case();
    let c = prison_ctx(day("2026-03-02"));
    run(&mut prison, prison_report(json!({})), &prison_officer(), &c).unwrap();
    let mut add = relative.clone();
    add["action"] = json!("incident_add_victim");
    run(&mut prison, add.clone(), &office(FZ), &c).unwrap();
    assert_eq!(state(&*prison).victims.last().unwrap().relation, "表哥");

    let mut police = opened(json!({}));
    let e = run(&mut police, add, &office(ZQ), &ctx(day("2026-03-02"))).unwrap_err();
    assert!(e.to_string().contains("不属于近亲属"), "{e}");
}

/// 003's steps are the prisons': a police case under 001 is refused them.
#[test]
fn issue20_001_police_have_no_003_s15_steps() {
    let mut case = opened(json!({}));
    let c = ctx(day("2026-03-02"));
    let s = state(&*case);
    let offered = ids(&Incident::actions(&s, &office(ZQ), &c));
    assert!(!offered.contains(&"incident_coordinate".to_string()));
    assert!(!offered.contains(&"incident_refer_police".to_string()));
    let e = run(
        &mut case,
        json!({ "action": "incident_refer_police", "police": "某公安局", "conduct": "威胁" }),
        &office(ZQ),
        &c,
    )
    .unwrap_err();
    assert!(e.to_string().contains("未规定提请公安机关依法惩处"), "{e}");
    // 001's own steps stay, cited as before.
    assert!(offered.contains(&"incident_comfort_payment".to_string()));
    assert!(offered.contains(&"incident_escalate".to_string()));
}
