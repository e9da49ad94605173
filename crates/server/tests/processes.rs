//! The other processes of the seeds through the server (issue 7): 维权 incidents (001 §8–17,
//! §29(六), §31–33) and 正名 (001 §29(五), 002 §18), over the API and the pages, on a directory
//! of three levels: 内蒙古自治区公安厅 → 阿拉善盟公安局 → 阿拉善左旗公安局 → 巴彦浩特派出所.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::world::{post_form, three_levels, Account, World, BH, GAT, MENG, YQ, ZQ};
use serde_json::{json, Value};

const OFFICER: &str = "p-bateer";
const OFFICE_ZQ: &str = "p-zhaomin";
const OFFICE_MENG: &str = "p-yangfan";
const OFFICE_GAT: &str = "p-gat-office";
const UNIT: &str = "p-liujianguo";
const OTHER: &str = "p-chenhao";

const PEOPLE: [Account; 6] = [
    (OFFICER, "巴特尔", BH, &[("officer", BH)]),
    (OFFICE_ZQ, "赵敏", ZQ, &[("office", ZQ)]),
    (OFFICE_MENG, "杨帆", MENG, &[("office", MENG)]),
    (OFFICE_GAT, "乌兰", GAT, &[("office", GAT)]),
    (UNIT, "刘建国", BH, &[("unit", BH)]),
    (OTHER, "陈浩", YQ, &[("officer", YQ)]),
];

async fn world() -> World {
    World::new(
        common::day("2026-03-02"),
        &three_levels(),
        &PEOPLE,
        OFFICE_ZQ,
    )
    .await
}

fn incident_report(extra: Value) -> Value {
    let mut command = json!({
        "action": "incident_report",
        "source": "officer",
        "officer": OFFICER,
        "unit": BH,
        "org": ZQ,
        "incident_type": "violent_attack",
        "occurred_on": "2026-03-01",
        "place": "巴彦浩特镇团结路",
        "description": "处置纠纷时被当事人持械袭击，头部受伤",
        "victims": [{ "name": "巴特尔", "kind": "officer", "harm": "头部轻伤" }],
        "casualties": true,
    });
    if let (Value::Object(c), Value::Object(more)) = (&mut command, extra) {
        c.extend(more);
    }
    json!({ "kind": "incident", "command": command })
}

fn steps(d: &Value) -> Vec<String> {
    d["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .map(|x| x["step"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn s17_a_casualty_incident_climbs_level_by_level_each_office_forwarding_with_its_view_001() {
    let w = world().await;
    let id = w.open(OFFICER, &incident_report(json!({}))).await;
    assert_eq!(id, "W2026-000001");

    // Reported to the 盟 only, which must forward it to the 厅 (001 §17 逐级).
    let d = w.detail(OFFICE_ZQ, &id).await;
    assert_eq!(d["kind"], "incident");
    assert_eq!(d["stage"], "registered");
    assert_eq!(steps(&d), [format!("escalation_forward@{MENG}")]);
    assert_eq!(d["deadlines"][0]["article"], "001 §17");
    assert_eq!(d["deadlines"][0]["due"], "2026-03-03");
    let docs = d["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["kind"], "incident_report");
    // Addressed to the office as 001 §6 names it (pack 001's [bodies]).
    assert_eq!(
        docs[0]["addressee"],
        "阿拉善盟公安局维护公安民警执法权威工作委员会办公室"
    );
    let timeline = d["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 2);
    assert!(timeline
        .iter()
        .all(|t| t["hash"].as_str().is_some_and(|h| h.len() == 64)));

    // Each level finds its own step in its inbox, and only its own.
    let inbox = |who: &'static str| {
        let w = &w;
        async move {
            let r = w.api(who).get("/api/v1/inbox").await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["step"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        inbox(OFFICE_MENG).await,
        [format!("escalation_forward@{MENG}")]
    );
    assert!(inbox(OFFICE_GAT).await.is_empty());
    assert!(inbox(OFFICE_ZQ).await.is_empty());

    // The 旗 office cannot forward for the 盟, nor the 厅 acknowledge what it has not received;
    // the 盟 forwards with its view, then the 厅 acknowledges.
    let forward = json!({ "action": "incident_forward", "view": "建议厅维权办督办" });
    let r = w.act(OFFICE_ZQ, &id, forward.clone()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = w
        .act(OFFICE_GAT, &id, json!({ "action": "incident_acknowledge" }))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = w.act(OFFICE_MENG, &id, forward).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["events"][0]["kind"], "forwarded");
    let d = w.detail(OFFICE_ZQ, &id).await;
    assert_eq!(steps(&d), [format!("escalation_ack@{GAT}")]);
    assert_eq!(
        d["documents"][1]["addressee"],
        "内蒙古自治区公安厅维护公安民警执法权威工作委员会办公室"
    );
    assert!(d["documents"][1]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("本机关维权办意见：建议厅维权办督办"));
    assert_eq!(inbox(OFFICE_GAT).await, [format!("escalation_ack@{GAT}")]);
    let r = w
        .act(
            OFFICE_GAT,
            &id,
            json!({ "action": "incident_acknowledge", "note": "请做好民警救治" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["events"][0]["kind"], "acknowledged");
    assert!(steps(&w.detail(OFFICE_ZQ, &id).await).is_empty());

    // The office investigates, records the handling and closes; the 台账 shows it to the end.
    for command in [
        json!({ "action": "incident_investigate", "findings": "调取执法记录仪视频，固定证据", "handling_unit": "刑侦大队" }),
        json!({ "action": "incident_protect", "protected": "巴特尔及其家属", "measures": "住所周边巡逻" }),
        json!({ "action": "incident_record_handling", "result": "行为人因妨害公务罪被刑事拘留" }),
        json!({ "action": "incident_close", "summary": "已依法处理" }),
    ] {
        let r = w.act(OFFICE_ZQ, &id, command).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let d = w.detail(OFFICE_ZQ, &id).await;
    assert_eq!(d["stage"], "closed");
    assert_eq!(d["stage_zh"], "已办结");
    let r = w.api(OFFICE_ZQ).get("/api/v1/incidents/ledger").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let item = &r.json()["items"][0];
    assert_eq!(item["case_id"], id.as_str());
    assert_eq!(item["registered_on"], "2026-03-02");
    assert!(item["escalation"]
        .as_str()
        .unwrap_or_default()
        .contains("内蒙古自治区公安厅（2026年3月2日确认收到，意见：请做好民警救治）"));
    assert!(item["handling"]
        .as_str()
        .unwrap_or_default()
        .contains("刑事拘留"));

    // The record verifies.
    let report = w.app.store().verify().await.expect("chain verifies");
    assert!(report.problem.is_none(), "{:?}", report.problem);
}

#[tokio::test]
async fn s32_a_near_relative_outside_the_definition_is_refused_as_victim_001() {
    let w = world().await;
    let head = w.app.store().head().await.expect("head");
    for relation in ["表兄弟", "岳父"] {
        let r = w.create(OFFICER, &incident_report(json!({ "victims": [{ "name": "王强", "kind": "near_relative", "relation": relation }] }))).await;
        assert_eq!(r.status, 422, "{}", r.body);
        let message = r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains(relation), "{message}");
        assert!(
            message.contains("《内蒙古公安机关维护公安民警执法权威工作实施办法》第三十二条"),
            "{message}"
        );
        assert!(
            message.contains("夫、妻、父、母、子、女、同胞兄弟姊妹"),
            "{message}"
        );
    }
    // Nothing was written.
    assert_eq!(w.app.store().head().await.expect("head"), head);
    // A mother is a near relative (001 §32), and added later by the officer themself.
    let id = w
        .open(OFFICER, &incident_report(json!({ "casualties": false })))
        .await;
    let r = w.act(OFFICER, &id, json!({ "action": "incident_add_victim", "name": "李四", "kind": "near_relative", "relation": "岳父" })).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("《内蒙古公安机关维护公安民警执法权威工作实施办法》第三十二条"));
    let r = w.act(OFFICER, &id, json!({ "action": "incident_add_victim", "name": "其木格", "kind": "near_relative", "relation": "母亲" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The officer does not handle the case.
    let r = w
        .act(OFFICER, &id, json!({ "action": "incident_close" }))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.code(), "access_denied");
}

#[tokio::test]
async fn incidents_are_scoped_by_the_policies_and_commands_are_checked() {
    let w = world().await;
    let id = w
        .open(OFFICER, &incident_report(json!({ "casualties": false })))
        .await;
    // The officer and their unit see it; an officer of another banner does not.
    for who in [OFFICER, UNIT, OFFICE_ZQ, OFFICE_MENG, OFFICE_GAT] {
        assert_eq!(
            w.api(who).get(&format!("/api/v1/cases/{id}")).await.status,
            200,
            "{who}"
        );
    }
    let r = w.api(OTHER).get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
    let r = w.api(OTHER).get("/api/v1/cases?kind=incident").await;
    assert_eq!(r.json()["total"], 0);
    let r = w.api(OFFICER).get("/api/v1/cases?kind=incident").await;
    assert_eq!(r.json()["cases"][0]["state_zh"], "已立案");
    // Another banner's officer cannot report for this 派出所 (001 §15).
    let r = w.create(OTHER, &incident_report(json!({}))).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Malformed requests get a Chinese 400 naming the field, and write nothing.
    let r = w
        .create(
            OFFICER,
            &incident_report(json!({ "incident_type": "rumour" })),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("rumour") && r.body.contains("violent_attack"),
        "{}",
        r.body
    );
    let r = w
        .create(OFFICER, &incident_report(json!({ "surprise": 1 })))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("surprise"), "{}", r.body);
    let r = w
        .create(OFFICER, &json!({ "kind": "nonsense", "command": {} }))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    // A stale version is refused (409); an application route is told where to go.
    let r = w
        .api(OFFICE_ZQ)
        .post_json(&format!("/api/v1/cases/{id}/act"), &json!({ "expected_version": 99, "command": { "action": "incident_investigate", "findings": "x" } }))
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = w
        .api(OFFICE_ZQ)
        .post_json(
            &format!("/api/v1/cases/{id}/act"),
            &json!({ "command": { "action": "accept" } }),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = w
        .api(OFFICE_ZQ)
        .get(&format!("/api/v1/cases/{id}/evaluation"))
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
}

#[tokio::test]
async fn s29_5_a_false_accusation_is_cleared_with_a_notice_001() {
    let w = world().await;
    let receive = json!({
        "kind": "name_clearing",
        "command": {
            "action": "name_clearing_receive",
            "officer": OFFICER,
            "unit": BH,
            "org": ZQ,
            "complaint": "办理纠纷案件时收受当事人财物",
            "complaint_received_on": "2026-02-10",
            "complainant": "real_name",
            "complainant_name": "赵某",
            "handed_over_by": "阿拉善左旗公安局纪检监察室",
            "finding": "false_accusation",
            "investigation": "经调取银行流水、询问当事人，举报内容系捏造",
        }
    });
    // Only the office receives the materials.
    let r = w.create(UNIT, &receive).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let id = w.open(OFFICE_ZQ, &receive).await;
    assert_eq!(id, "Z2026-000001");
    let d = w.detail(OFFICE_ZQ, &id).await;
    assert_eq!(steps(&d), ["name_clearing"]);
    for command in [
        json!({ "action": "name_clearing_review", "confirmed": true, "opinion": "核查结论属实" }),
        json!({ "action": "name_clearing_issue_notice", "scope": "阿拉善左旗公安局全体民警", "means": "circular", "clarification": "巴特尔同志不存在收受当事人财物的问题" }),
        json!({ "action": "name_clearing_refer", "department": "阿拉善左旗公安局法制大队", "liability": "涉嫌诬告陷害，依法追究责任" }),
        json!({ "action": "name_clearing_close" }),
    ] {
        let r = w.act(OFFICE_ZQ, &id, command).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let d = w.detail(OFFICER, &id).await;
    assert_eq!(d["stage"], "closed");
    let notice = &d["documents"][0];
    assert_eq!(notice["kind"], "name_clearing_notice");
    assert_eq!(notice["title"], "正名通知书");
    assert_eq!(notice["addressee"], "阿拉善左旗公安局全体民警");
    let text = notice["text"].as_str().unwrap_or_default();
    assert!(text.contains("系诬告"), "{text}");
    assert!(
        text.contains("在阿拉善左旗公安局全体民警范围内以通报方式公开"),
        "{text}"
    );
    // The notice as a page, for the officer it clears.
    let page = w
        .pages(OFFICER)
        .get(&format!("/cases/{id}/notices/1"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("正名通知书") && page.body.contains("系诬告"));
}

#[tokio::test]
async fn the_pages_open_show_and_act_on_a_process_case_from_its_field_specs() {
    let w = world().await;
    let officer = w.pages(OFFICER);
    let office = w.pages(OFFICE_ZQ);
    // "新建" lists what the officer may open; the form is drawn from the fields.
    let r = officer.get("/new").await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("/new/incident/incident_report"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("name_clearing_receive"));
    let r = officer.get("/new/incident/incident_report").await;
    assert_eq!(r.status, 200);
    for name in [
        "incident_type",
        "victims.0.name",
        "victims.2.relation",
        "casualties",
        "occurred_on",
    ] {
        assert!(r.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    let base = [
        ("source", "officer"),
        ("officer", OFFICER),
        ("unit", BH),
        ("org", ZQ),
        ("incident_type", "threats"),
        ("occurred_on", "2026-02-27"),
        ("place", "巴彦浩特镇"),
        ("description", "民警家属接到威胁电话"),
        ("victims.0.name", "巴特尔"),
        ("victims.0.kind", "officer"),
        ("victims.1.name", "王强"),
        ("victims.1.kind", "near_relative"),
    ];
    // A cousin is refused; the form comes back with the reason and what was entered.
    let mut fields = base.to_vec();
    fields.push(("victims.1.relation", "表兄弟"));
    let r = officer.post("/new/incident/incident_report", &fields).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("《内蒙古公安机关维护公安民警执法权威工作实施办法》第三十二条"));
    assert!(r.body.contains("value=\"表兄弟\""));
    let mut fields = base.to_vec();
    fields.push(("victims.1.relation", "弟弟"));
    let r = officer.post("/new/incident/incident_report", &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.location();
    assert!(location.starts_with("/cases/W2026-"), "{location}");
    let id = common::case_of(&location);
    // The case page: facts, actions, timeline.
    let page = office.get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("王强（民警近亲属·弟弟）"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(&format!("/cases/{id}/act/incident_escalate")));
    assert!(page.body.contains("SM3"));
    // The office decides to report up (001 §17(四)) through the form.
    let r = post_form(
        &office,
        &id,
        "incident_escalate",
        &[
            ("grounds", "office_decision"),
            ("reason", "威胁持续，影响较大"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = office.get(&format!("/cases/{id}")).await;
    assert!(page
        .body
        .contains("阿拉善盟公安局维权办签署意见并转报内蒙古自治区公安厅维权办"));
    assert!(!page.body.contains("内蒙古自治区公安厅维权办确认收到报告"));
    // An action the officer may not take is refused with the policies' answer.
    let r = officer
        .get(&format!("/cases/{id}/act/incident_close"))
        .await;
    assert_eq!(r.status, 403);
    // The 台账 as CSV, with its Chinese headers.
    let csv = office.get("/incidents/ledger.csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        csv.body
            .starts_with("\u{feff}案件编号,当事民警,所在单位,受理维权办,侵害情形"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains(&id));
    // Issue 22 item 8: the 台账 is in the office's menu, shows days in 年月日 and filters by
    // year, kind, state and unit — the page and the CSV alike; a year that is not one is
    // refused in Chinese.
    let ledger = office.get("/incidents/ledger").await;
    assert_eq!(ledger.status, 200);
    assert!(ledger
        .body
        .contains("href=\"/incidents/ledger\" class=\"active\">维权台账"));
    assert!(
        ledger.body.contains(&id) && ledger.body.contains("年") && !ledger.body.contains(">2026-")
    );
    let closed = office.get("/incidents/ledger?state=closed").await;
    assert!(!closed.body.contains(&format!(">{id}<")), "{}", closed.body);
    let open = office
        .get("/incidents/ledger?state=open&kind=threats&year=")
        .await;
    assert!(open.body.contains(&format!(">{id}<")), "{}", open.body);
    assert!(open
        .body
        .contains("/incidents/ledger.csv?kind=threats&amp;state=open"));
    let other_kind = office.get("/incidents/ledger.csv?kind=vehicle").await;
    assert!(!other_kind.body.contains(&id), "{}", other_kind.body);
    let bad = office.get("/incidents/ledger?year=abc").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("“abc”不是有效的年度"), "{}", bad.body);
    // The inbox of the 盟 office shows its step, forwarding to the 厅, in Chinese.
    let meng = w.pages(OFFICE_MENG);
    let inbox = meng.get("/").await;
    assert!(
        inbox
            .body
            .contains("阿拉善盟公安局维权办签署意见并转报内蒙古自治区公安厅维权办"),
        "{}",
        inbox.body
    );
}

/// A command that does not read reaches the user as one exact Chinese sentence, on opening a
/// case (`POST /api/v1/cases`) and on acting on one (`POST /api/v1/cases/{id}/act`): serde's
/// and chrono's English translated, never shown. An upgrade that rewords them fails here.
/// (Inside a command the path stops at `command`: serde reads an internally tagged enum
/// through a buffer that serde_path_to_error cannot follow.)
#[tokio::test]
async fn malformed_commands_are_refused_in_exact_chinese() {
    let w = world().await;
    let without = |key: &str| {
        let mut b = incident_report(json!({}));
        b["command"].as_object_mut().unwrap().remove(key);
        b
    };
    let kinds = "officer、near_relative、auxiliary、cadet、other_staff";
    let at = |m: &str| format!("字段“command”有误：{m}");
    let mut wrong = Vec::new();
    for (body, expected) in [
        // Bad dates: a day that does not exist, a format that is not the one.
        (
            incident_report(json!({ "occurred_on": "2026-02-30" })),
            at("日期不存在，应为有效的 YYYY-MM-DD 日期"),
        ),
        (
            incident_report(json!({ "occurred_on": "2026/03/01" })),
            at("日期格式不正确，应为 YYYY-MM-DD"),
        ),
        (
            incident_report(json!({ "occurred_on": 20260301 })),
            at("类型不正确：应为日期（YYYY-MM-DD），收到的是数字"),
        ),
        // Wrong types.
        (
            incident_report(json!({ "casualties": "yes" })),
            at("类型不正确：应为true 或 false，收到的是字符串"),
        ),
        (
            incident_report(json!({ "victims": "巴特尔" })),
            at("类型不正确：应为数组，收到的是字符串"),
        ),
        (
            incident_report(json!({ "place": null })),
            at("类型不正确：应为字符串，收到的是null"),
        ),
        (
            json!({ "kind": "incident", "command": "incident_report" }),
            at("类型不正确：应为JSON 对象，收到的是字符串"),
        ),
        (
            json!({ "kind": 5, "command": {} }),
            "字段“kind”有误：类型不正确：应为字符串，收到的是数字".to_string(),
        ),
        // Missing fields, at the top and in a row.
        (without("place"), at("缺少必填字段“place”")),
        (
            json!({ "kind": "incident", "command": { "place": "x" } }),
            at("缺少必填字段“action”"),
        ),
        (
            incident_report(json!({ "victims": [{ "name": "巴特尔" }] })),
            at("缺少必填字段“kind”"),
        ),
        // Unknown variants, with the ones there are.
        (
            incident_report(json!({ "victims": [{ "name": "x", "kind": "neighbour" }] })),
            at(&format!("取值“neighbour”无效，可选的取值为：{kinds}")),
        ),
        // Unknown fields.
        (
            incident_report(json!({ "plcae": "x" })),
            "请求中含有系统不接受的字段“command.plcae”，请检查字段名称是否拼写正确".to_string(),
        ),
        (
            json!({ "kind": "incident", "command": {}, "urgent": true }),
            "字段“urgent”有误：不接受字段“urgent”，可用的字段为：kind、command".to_string(),
        ),
    ] {
        let r = w.create(OFFICER, &body).await;
        let got = format!("{} {}", r.status, r.json()["error"]["message"]);
        let expected = format!("400 Bad Request {}", json!(expected));
        if got != expected {
            wrong.push(format!("{body}\n  got:      {got}\n  expected: {expected}"));
        }
    }
    let r = w
        .create(
            OFFICER,
            &incident_report(json!({ "incident_type": "fight" })),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["message"],
        at(
            "取值“fight”无效，可选的取值为：violent_attack、vehicle、obstruction、\
            physical_interference、malicious_complaint、threats、false_accusation、privacy、\
            wrongful_accountability、other"
        )
    );

    // Acting: the same words, without the path (the command is the whole request's).
    let id = w.open(OFFICER, &incident_report(json!({}))).await;
    for (command, expected) in [
        (
            json!({ "action": "incident_investigate", "findings": 5 }),
            "请求内容有误：类型不正确：应为字符串，收到的是数字",
        ),
        (
            json!({ "action": "incident_investigate" }),
            "请求内容有误：缺少必填字段“findings”",
        ),
        (
            json!({ "action": "incident_add_victim", "name": "x", "kind": "neighbour" }),
            "请求内容有误：取值“neighbour”无效，可选的取值为：officer、near_relative、auxiliary、\
             cadet、other_staff",
        ),
        (
            json!({ "action": "incident_investigate", "findings": "f", "findigns": "x" }),
            "请求中含有系统不接受的字段“command.findigns”，请检查字段名称是否拼写正确",
        ),
        (
            json!({ "action": "incident_fly" }),
            "“incident_fly”不是维权案（事）件的办理事项",
        ),
    ] {
        let r = w.act(OFFICE_ZQ, &id, command.clone()).await;
        let got = format!("{} {}", r.status, r.json()["error"]["message"]);
        let expected = format!("400 Bad Request {}", json!(expected));
        if got != expected {
            wrong.push(format!(
                "{command}\n  got:      {got}\n  expected: {expected}"
            ));
        }
    }
    let r = w
        .api(OFFICE_ZQ)
        .post_json(
            &format!("/api/v1/cases/{id}/actions"),
            &json!({ "expected_version": "2", "command": { "action": "incident_close" } }),
        )
        .await;
    assert_eq!(
        r.json()["error"]["message"],
        "字段“expected_version”有误：类型不正确：应为整数，收到的是字符串"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
