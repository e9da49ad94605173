//! 执法过错 cases (004) through the server (issue 7): opened by the 法制部门, the allocation of
//! responsibility computed by the policy engine on the server (004 §7–13) and confirmed, decided
//! by the 警务督察部门, appealed to the higher agency (§27), recorded in the file (§22). On a
//! directory of 内蒙古自治区公安厅 → 阿拉善盟公安局 → 阿拉善左旗公安局 → 巴彦浩特派出所.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::world::{post_form, three_levels, Account, World, BH, MENG, YQ, ZQ};
use serde_json::{json, Value};

const LEGAL: &str = "p-fazhi";
const LEGAL_YQ: &str = "p-fazhi-yq";
const INSP: &str = "p-ducha";
const INSP_MENG: &str = "p-ducha-meng";
/// The approver who overrode the correct opinion (004 §9).
const LI: &str = "p-lijun";
/// The handler and the reviewer whose opinion was correct.
const ZHANG: &str = "p-zhangwei";
const ZHAO: &str = "p-zhaolei";
const OTHER: &str = "p-chenhao";
/// The 局长 who approves decisions, and the 人事部门 (004 §26¶2).
const HEAD: &str = "p-juzhang";
const HR: &str = "p-renshi";

const PEOPLE: [Account; 10] = [
    (LEGAL, "孙法", ZQ, &[("legal_affairs", ZQ)]),
    (LEGAL_YQ, "钱法", YQ, &[("legal_affairs", YQ)]),
    (INSP, "周督", ZQ, &[("inspectorate", ZQ)]),
    (INSP_MENG, "吴督", MENG, &[("inspectorate", MENG)]),
    (LI, "李军", ZQ, &[("officer", ZQ)]),
    (ZHANG, "张伟", BH, &[("officer", BH)]),
    (ZHAO, "赵磊", BH, &[("officer", BH)]),
    (OTHER, "陈浩", YQ, &[("officer", YQ)]),
    (HEAD, "何局", ZQ, &[("agency_head", ZQ)]),
    (HR, "王人", ZQ, &[("personnel", ZQ)]),
];

async fn world() -> World {
    World::new(common::day("2026-03-02"), &three_levels(), &PEOPLE, LEGAL).await
}

fn open_command() -> Value {
    json!({
        "kind": "enforcement_fault",
        "command": {
            "action": "enforcement_fault_open",
            "error_type": "wrongful_criminal_measure",
            "error_on": "2026-01-12",
            "case_name": "王某涉嫌盗窃案",
            "description": "对没有犯罪事实的王某错误采取刑事拘留",
            "unit": BH,
        }
    })
}

/// 004 §9: the handler and the reviewer proposed not to detain; the approver decided otherwise.
fn people() -> Value {
    json!({
        "action": "enforcement_fault_record_people",
        "people": [
            { "name": "张伟", "person_id": ZHANG, "role": "handler", "opinion": "证据不足，建议不予刑事拘留" },
            { "name": "赵磊", "person_id": ZHAO, "role": "reviewer", "opinion": "同意办案人意见" },
            { "name": "李军", "person_id": LI, "role": "approver", "opinion": "决定刑事拘留",
              "at_fault": true, "overrode_correct_opinion": true },
        ]
    })
}

fn fact(d: &Value, label: &str) -> String {
    d["facts"]
        .as_array()
        .expect("facts")
        .iter()
        .find(|f| f["label"] == label)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// Opened, people and circumstances recorded, assessed on the server, confirmed.
async fn confirmed(w: &World) -> String {
    let id = w.open(LEGAL, &open_command()).await;
    for command in [
        people(),
        json!({ "action": "enforcement_fault_record_circumstances" }),
        json!({ "action": "enforcement_fault_assess" }),
        json!({ "action": "enforcement_fault_confirm", "proposal": "建议对李军予以通报批评、延期晋级" }),
    ] {
        let r = w.act(LEGAL, &id, command).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    id
}

#[tokio::test]
async fn s9_approver_who_overrode_a_correct_opinion_bears_all_responsibility_004() {
    let w = world().await;
    let id = confirmed(&w).await;
    assert_eq!(id, "F2026-000001");
    let d = w.detail(LEGAL, &id).await;
    assert_eq!(d["kind"], "enforcement_fault");
    assert_eq!(d["stage"], "confirmed");
    // The engine's allocation, computed on the server from pack 004, and the confirmation.
    let computed = fact(&d, "规则计算的责任划分");
    assert!(
        computed.contains("李军承担全部责任（第九条）"),
        "{computed}"
    );
    assert!(computed.contains("张伟不承担责任"), "{computed}");
    assert!(computed.contains("政策包 004"), "{computed}");
    let assessment = &d["state"]["assessment"];
    assert_eq!(assessment["shares"][0]["allocation"], "a9");
    assert_eq!(assessment["periods"]["appeal_reply"], "30d");
    let determination = &d["documents"][0];
    assert_eq!(determination["kind"], "fault_determination");
    assert!(determination["text"]
        .as_str()
        .unwrap_or_default()
        .contains("李军（审批人）承担全部责任（《规定》第九条）"));

    // The 督察 may not deal with the handler whose correct opinion was overridden.
    let decide = |name: &str| {
        json!({
            "action": "enforcement_fault_decide",
            "name": name,
            "measures": ["circulated_criticism", "deferred_promotion"],
            "reasons": "审批时不采纳办案人、审核人的正确意见，造成错误拘留",
        })
    };
    let head = w.app.store().head().await.expect("head");
    let r = w.act(INSP, &id, decide("张伟")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let message = r.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("不承担执法过错责任")
            && message.contains("《公安机关人民警察执法过错责任追究规定》第九条"),
        "{message}"
    );
    assert_eq!(
        w.app.store().head().await.expect("head"),
        head,
        "a refusal writes nothing"
    );
    // The 法制部门 does not decide (§26¶2).
    let r = w.act(LEGAL, &id, decide("李军")).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // A name typed for the head's approval is refused, with the reason (§26¶2).
    let mut typed = decide("李军");
    typed["approved_by"] = json!("局长王建华");
    let r = w.act(INSP, &id, typed).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("行政首长本人"), "{}", r.body);
    let r = w.act(HR, &id, decide("李军")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(HEAD, &id).await;
    assert_eq!(d["stage"], "approving");
    // Only the head approves; the 督察 who may decide may not approve.
    let approve =
        json!({ "action": "enforcement_fault_approve", "name": "李军", "result": "approved" });
    let r = w.act(INSP, &id, approve.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = w.act(HEAD, &id, approve).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(LI, &id).await;
    assert_eq!(d["stage"], "decided");
    let decision = &d["documents"][1];
    assert_eq!(decision["kind"], "fault_decision");
    assert_eq!(decision["addressee"], "李军同志");
    let text = decision["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("李军同志："), "{text}");
    assert!(
        text.contains("你应当承担全部责任（《规定》第九条）"),
        "{text}"
    );
    assert!(
        text.contains("经人事部门研究决定，报阿拉善左旗公安局行政首长审批同意"),
        "{text}"
    );
    // 2026-03-02 + 30 日 = 2026-04-01, a Wednesday.
    assert!(text.contains("至2026年4月1日"), "{text}");

    // The approver appeals to the 盟 (§27); only the 盟's 督察 answers, within 30 日.
    let r = w.act(LI, &id, json!({ "action": "enforcement_fault_appeal", "to": "higher", "reasons": "办案人意见亦有不当" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(INSP_MENG, &id).await;
    assert_eq!(d["stage"], "appealed");
    assert_eq!(d["deadlines"][0]["step"], "appeal_reply:李军");
    assert_eq!(d["deadlines"][0]["due"], "2026-04-01");
    assert_eq!(d["deadlines"][0]["article"], "004 §27");
    let answer = json!({
        "action": "enforcement_fault_answer_appeal",
        "name": "李军",
        "result": "changed",
        "measures": ["circulated_criticism"],
        "reasons": "综合考虑其认错态度，酌情变更",
    });
    let r = w.act(INSP, &id, answer.clone()).await;
    assert!(
        r.status == 403 || r.status == 422,
        "{}: {}",
        r.status,
        r.body
    );
    let heavier = json!({
        "action": "enforcement_fault_answer_appeal",
        "name": "李军",
        "result": "changed",
        "measures": ["circulated_criticism", "suspension"],
        "reasons": "加重",
    });
    let r = w.act(INSP_MENG, &id, heavier).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十七条"),
        "{}",
        r.body
    );
    let r = w.act(INSP_MENG, &id, answer).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(LI, &id).await;
    let reply = d["documents"]
        .as_array()
        .expect("documents")
        .last()
        .cloned()
        .unwrap_or_default();
    assert_eq!(reply["kind"], "fault_appeal_reply");
    assert!(reply["text"]
        .as_str()
        .unwrap_or_default()
        .contains("阿拉善盟公安局"));

    // §22: the changed decision goes into the file; the case is done.
    let r = w
        .act(
            INSP,
            &id,
            json!({ "action": "enforcement_fault_record_in_file", "name": "李军", "note": "已归档" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(LEGAL, &id).await;
    assert_eq!(d["stage"], "closed");
    assert!(fact(&d, "处理：李军").contains("已记入档案"));

    let report = w.app.store().verify().await.expect("chain verifies");
    assert!(report.problem.is_none(), "{:?}", report.problem);
}

#[tokio::test]
async fn the_server_records_the_engines_assessment_not_one_sent_by_the_client_004() {
    let w = world().await;
    let id = w.open(LEGAL, &open_command()).await;
    // Nothing to compute before the people and the circumstances are recorded.
    let r = w
        .act(LEGAL, &id, json!({ "action": "enforcement_fault_assess" }))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    for command in [
        people(),
        json!({ "action": "enforcement_fault_record_circumstances", "severe_impact": true }),
    ] {
        let r = w.act(LEGAL, &id, command).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // A forged result putting everything on the handler is replaced by the engine's.
    let forged = json!({
        "action": "enforcement_fault_assess",
        "assessment": {
            "pack": "004", "inputs": 2, "outcome": "none",
            "shares": [{ "name": "张伟", "role": "handler", "share": "all", "allocation": "x",
                         "citations": [], "explain": "" }],
            "periods": { "appeal_reply": "30d" }
        }
    });
    let r = w.act(LEGAL, &id, forged).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(LEGAL, &id).await;
    let computed = fact(&d, "规则计算的责任划分");
    assert!(computed.contains("李军承担全部责任"), "{computed}");
    assert!(computed.contains("张伟不承担责任"), "{computed}");
    // A departing confirmation needs its reasons (004 §26); §20 follows the engine.
    let r = w
        .act(
            LEGAL,
            &id,
            json!({
                "action": "enforcement_fault_confirm",
                "shares": [{ "name": "赵磊", "share": "secondary" }],
                "proposal": "建议通报批评",
            }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("应当写明理由"), "{}", r.body);
    let r = w
        .act(
            LEGAL,
            &id,
            json!({
                "action": "enforcement_fault_confirm",
                "shares": [{ "name": "赵磊", "share": "secondary" }],
                "reasons": "审核人未认真审核证据",
                "proposal": "建议通报批评",
            }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(LEGAL, &id).await;
    assert_eq!(fact(&d, "领导责任（第二十条）"), "应当追究");
    assert!(fact(&d, "与计算结果不同的理由").contains("审核人未认真审核证据"));
}

#[tokio::test]
async fn enforcement_fault_cases_are_scoped_by_the_policies() {
    let w = world().await;
    // The 法制部门 of another banner cannot open a case on this 派出所.
    let r = w.create(LEGAL_YQ, &open_command()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Nor can an officer.
    let r = w.create(ZHANG, &open_command()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let id = confirmed(&w).await;
    // The people involved, the 法制 and 督察 of the handling agency and above see it; another
    // banner's do not.
    for who in [LEGAL, INSP, INSP_MENG, LI, ZHANG, ZHAO] {
        assert_eq!(
            w.api(who).get(&format!("/api/v1/cases/{id}")).await.status,
            200,
            "{who}"
        );
    }
    for who in [OTHER, LEGAL_YQ] {
        let r = w.api(who).get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(r.status, 404, "{who}");
    }
    let r = w
        .api(OTHER)
        .get("/api/v1/cases?kind=enforcement_fault")
        .await;
    assert_eq!(r.json()["total"], 0);
    let r = w
        .api(INSP)
        .get("/api/v1/cases?kind=enforcement_fault")
        .await;
    assert_eq!(r.json()["total"], 1);
    // The case page shows the facts and offers the 督察 its decision.
    let insp = w.pages(INSP);
    let page = insp.get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("认定的责任划分"), "{}", page.body);
    assert!(page
        .body
        .contains(&format!("/cases/{id}/act/enforcement_fault_decide")));
    let form = insp
        .get(&format!("/cases/{id}/act/enforcement_fault_decide"))
        .await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("取消评选先进的资格"), "{}", form.body);
}

#[tokio::test]
async fn the_pages_take_a_fault_case_from_its_people_to_the_decision_004() {
    let w = world().await;
    let legal = w.pages(LEGAL);
    let insp = w.pages(INSP);
    // 新建 offers the 法制部门 the opening form, drawn from its fields.
    let r = legal.get("/new").await;
    assert!(
        r.body
            .contains("/new/enforcement_fault/enforcement_fault_open"),
        "{}",
        r.body
    );
    let r = legal
        .post(
            "/new/enforcement_fault/enforcement_fault_open",
            &[
                ("error_type", "wrongful_criminal_measure"),
                ("error_on", "2026-01-12"),
                ("case_name", "王某涉嫌盗窃案"),
                ("description", "对没有犯罪事实的王某错误采取刑事拘留"),
                ("unit", BH),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = common::case_of(&r.location());
    assert!(id.starts_with("F2026-"), "{id}");
    // The people as a table: a row per person, the §9 override a checkbox.
    let r = post_form(
        &legal,
        &id,
        "enforcement_fault_record_people",
        &[
            ("people.0.name", "张伟"),
            ("people.0.person_id", ZHANG),
            ("people.0.role", "handler"),
            ("people.0.opinion", "证据不足，建议不予刑事拘留"),
            ("people.1.name", "赵磊"),
            ("people.1.person_id", ZHAO),
            ("people.1.role", "reviewer"),
            ("people.2.name", "李军"),
            ("people.2.person_id", LI),
            ("people.2.role", "approver"),
            ("people.2.at_fault", "true"),
            ("people.2.overrode_correct_opinion", "true"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post_form(
        &legal,
        &id,
        "enforcement_fault_record_circumstances",
        &[("severe_impact", "true")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post_form(&legal, &id, "enforcement_fault_assess", &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = legal.get(&format!("/cases/{id}")).await;
    assert!(
        page.body.contains("李军承担全部责任（第九条）"),
        "{}",
        page.body
    );
    // A departing confirmation without reasons comes back with the reason and what was entered.
    let departing = [
        ("shares.0.name", "赵磊"),
        ("shares.0.share", "secondary"),
        ("proposal", "建议对李军予以通报批评"),
    ];
    let r = post_form(&legal, &id, "enforcement_fault_confirm", &departing).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("应当写明理由"), "{}", r.body);
    let mut with_reasons = departing.to_vec();
    with_reasons.push(("reasons", "审核人未认真审核证据"));
    let r = post_form(&legal, &id, "enforcement_fault_confirm", &with_reasons).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The 督察 decides with several §16 measures ticked.
    let r = post_form(
        &insp,
        &id,
        "enforcement_fault_decide",
        &[
            ("name", "李军"),
            ("measures", "circulated_criticism"),
            ("measures", "deferred_promotion"),
            ("reasons", "审批时不采纳正确意见"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The 局长 sees the decision waiting for approval and approves it on the page (§26¶2).
    let head = w.pages(HEAD);
    let page = head.get(&format!("/cases/{id}")).await;
    assert!(page.body.contains("待审批：李军"), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("/cases/{id}/act/enforcement_fault_approve")),
        "{}",
        page.body
    );
    let r = post_form(
        &head,
        &id,
        "enforcement_fault_approve",
        &[("name", "李军"), ("result", "approved")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d = w.detail(LEGAL, &id).await;
    assert_eq!(
        d["state"]["standings"]["李军"]["measures"],
        json!(["circulated_criticism", "deferred_promotion"])
    );
    assert_eq!(fact(&d, "领导责任（第二十条）"), "应当追究");
    let page = insp.get(&format!("/cases/{id}")).await;
    assert!(
        page.body.contains("执法过错责任追究决定书"),
        "{}",
        page.body
    );
}
