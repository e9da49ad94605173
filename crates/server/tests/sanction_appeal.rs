//! Appeals against heavy sanctions (001 §27–28) through the server (issue 7): the officer's
//! appeal (lighter sanctions refused), the hearing and the four re-checks by the 维权办, the
//! committee's opinion to the deciding department, and the 督察's order to correct by a deadline,
//! reported and verified. On a directory of 阿拉善盟公安局 → 阿拉善左旗公安局 → 巴彦浩特派出所
//! and the 左旗's 政治处, which decided the sanction.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::org;
use common::world::{Account, World, BH, MENG, YQ, ZQ};
use serde_json::{json, Value};

/// The 左旗's 政治处, which decided the sanction.
const ZZC: &str = "alszq-zzc";

const OFFICER: &str = "p-wangqiang";
const OFFICE: &str = "p-zhaomin";
const DIRECTOR: &str = "p-director";
const DEPT: &str = "p-zhengzhi";
const INSP: &str = "p-ducha";
const OTHER: &str = "p-chenhao";

const PEOPLE: [Account; 6] = [
    (OFFICER, "王强", BH, &[("officer", BH)]),
    (OFFICE, "赵敏", ZQ, &[("office", ZQ)]),
    (DIRECTOR, "高志刚", ZQ, &[("director", ZQ)]),
    (DEPT, "刘政", ZZC, &[("original_department", ZZC)]),
    (INSP, "周督", ZQ, &[("inspectorate", ZQ)]),
    (OTHER, "陈浩", YQ, &[("officer", YQ)]),
];

async fn world() -> World {
    World::new(
        common::day("2026-03-02"),
        &[
            org(MENG, None, "阿拉善盟公安局", "police"),
            org(ZQ, Some(MENG), "阿拉善左旗公安局", "police"),
            org(BH, Some(ZQ), "巴彦浩特派出所", "police"),
            org(ZZC, Some(ZQ), "阿拉善左旗公安局政治处", "department"),
            org(YQ, Some(MENG), "阿拉善右旗公安局", "police"),
        ],
        &PEOPLE,
        OFFICE,
    )
    .await
}

fn file(measure: &str) -> Value {
    json!({
        "kind": "sanction_appeal",
        "command": {
            "action": "sanction_appeal_file",
            "officer_id": OFFICER,
            "unit": BH,
            "committee_id": ZQ,
            "measure": measure,
            "department_id": ZZC,
            "decided_on": "2026-02-10",
            "document_number": "左公政〔2026〕5号",
            "conduct": "依法对拒不配合检查并冲撞民警的驾驶人采取强制措施",
            "reasons": "强制措施符合法律规定，处分认定事实错误",
        }
    })
}

#[tokio::test]
async fn s27_a_sanction_lighter_than_a_major_demerit_is_refused_citing_the_article_001() {
    let w = world().await;
    let head = w.app.store().head().await.expect("head");
    for (measure, zh) in [("demerit", "记过"), ("warning", "警告")] {
        let r = w.create(OFFICER, &file(measure)).await;
        assert_eq!(r.status, 422, "{}", r.body);
        let message = r.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            message.contains("《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十七条"),
            "{message}"
        );
        assert!(message.contains("记大过以上处分或者辞退"), "{message}");
        assert!(message.contains(zh), "{message}");
    }
    assert_eq!(
        w.app.store().head().await.expect("head"),
        head,
        "nothing written"
    );
    // 辞退 is covered beside the heavy sanctions.
    let r = w.create(OFFICER, &file("dismissal")).await;
    assert_eq!(r.status, 201, "{}", r.body);
    // An officer of another banner may not appeal for this 派出所's officer.
    let r = w.create(OTHER, &file("demotion")).await;
    assert_eq!(r.status, 403, "{}", r.body);
}

#[tokio::test]
async fn s27_s28_unfair_sanction_reviewed_and_ordered_corrected_by_a_deadline_to_verification_001()
{
    let w = world().await;
    let id = w.open(OFFICER, &file("major_demerit")).await;
    assert_eq!(id, "S2026-000001");
    let d = w.detail(OFFICE, &id).await;
    assert_eq!(
        (d["kind"].as_str(), d["stage"].as_str()),
        (Some("sanction_appeal"), Some("hearing"))
    );
    assert_eq!(d["org_id"], ZQ);

    // The opinion waits for the hearing and all four re-checks.
    let opinion = json!({
        "action": "sanction_appeal_opinion",
        "improper": true,
        "proposal": "revoke",
        "opinion": "民警系依法履职，建议撤销记大过处分",
    });
    let r = w.act(DIRECTOR, &id, opinion.clone()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = w.act(OFFICE, &id, json!({ "action": "sanction_appeal_hear", "statement": "驾驶人冲撞民警，不得已采取强制措施" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for (aspect, proper, finding) in [
        (
            "facts",
            false,
            "执法记录仪显示驾驶人先行冲撞，原决定认定民警滥用强制措施与事实不符",
        ),
        ("reasons", false, "处分理由建立在错误事实之上"),
        ("basis", true, "所引依据本身无误"),
        ("procedure", false, "未听取民警陈述申辩"),
    ] {
        let r = w.act(OFFICE, &id, json!({ "action": "sanction_appeal_recheck", "aspect": aspect, "proper": proper, "finding": finding })).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // The office does not give the committee's opinion; the director does.
    let r = w.act(OFFICE, &id, opinion.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = w.act(DIRECTOR, &id, opinion).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(DEPT, &id).await;
    assert_eq!(d["stage"], "awaiting_department");
    let doc = &d["documents"][0];
    assert_eq!(doc["kind"], "sanction_review_opinion");
    assert_eq!(doc["addressee"], "阿拉善左旗公安局政治处");
    let text = doc["text"].as_str().unwrap_or_default();
    assert!(text.contains("程序：存在不当"), "{text}");
    assert!(text.contains("建议撤销原决定"), "{text}");

    // The department declines; the 督察 orders the correction by a deadline (001 §28).
    let r = w.act(DEPT, &id, json!({ "action": "sanction_appeal_department_answer", "corrected": false, "reasons": "认为处分并无不当" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let order = json!({
        "action": "sanction_appeal_order_correction",
        "findings": "经核查，王强同志系依法履职，记大过处分认定事实错误",
        "requirements": "撤销记大过处分，恢复其相应待遇",
        "deadline": "2026-03-31",
    });
    let r = w.act(OFFICE, &id, order.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = w.act(INSP, &id, order).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(DEPT, &id).await;
    assert_eq!(d["stage"], "ordered");
    let deadline = &d["deadlines"][0];
    assert_eq!(deadline["step"], "correction:1");
    assert_eq!(deadline["due"], "2026-03-31");
    assert_eq!(deadline["role"], "original_department");
    assert_eq!(deadline["article"], "001 §28");
    let notice = d["documents"]
        .as_array()
        .expect("documents")
        .last()
        .cloned()
        .unwrap_or_default();
    assert_eq!(notice["kind"], "correction_order");
    assert!(notice["text"]
        .as_str()
        .unwrap_or_default()
        .contains("请你部门于2026年3月31日前予以纠正"));
    // The department's inbox shows the step.
    let inbox = w.api(DEPT).get("/api/v1/inbox").await;
    assert_eq!(inbox.status, 200, "{}", inbox.body);
    assert!(inbox.body.contains("correction:1"), "{}", inbox.body);

    // The department reports; the 督察 verifies; the case closes.
    let r = w
        .act(
            DEPT,
            &id,
            json!({ "action": "sanction_appeal_report_correction", "description": "已撤销记大过处分" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(w.detail(OFFICE, &id).await["deadlines"]
        .as_array()
        .expect("deadlines")
        .is_empty());
    let r = w.act(INSP, &id, json!({ "action": "sanction_appeal_verify_correction", "verified": true, "note": "处分已撤销，待遇已恢复" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = w.detail(OFFICER, &id).await;
    assert_eq!(d["stage"], "closed");
    assert_eq!(d["stage_zh"], "已办结（已纠正）");

    // Scope: the officer, the committee, the department and the 督察 see it; others do not.
    for who in [OFFICER, OFFICE, DIRECTOR, DEPT, INSP] {
        assert_eq!(
            w.api(who).get(&format!("/api/v1/cases/{id}")).await.status,
            200,
            "{who}"
        );
    }
    assert_eq!(
        w.api(OTHER)
            .get(&format!("/api/v1/cases/{id}"))
            .await
            .status,
        404
    );
    let report = w.app.store().verify().await.expect("chain verifies");
    assert!(report.problem.is_none(), "{:?}", report.problem);
}
