//! 纠错 and what surrounds it, through the server (issue 7): rectifications with an extension,
//! follow-up and verified completion (000 §31 ¶2, 002 §15–17); the recurrence flag for the same
//! officer and category (000 §31 ¶2); a unit's risk point with its warning (002 §17, 003); the
//! officer's result-use page (000 §30, 003); the retained-lawyer warning (001 §26).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use axum::http::StatusCode;
use chrono::Duration;
use common::org;
use common::world::{post_form, Account, World};
use lvzhi_store::ExpertRecord;
use serde_json::{json, Value};

const PEOPLE: [Account; 9] = [
    ("admin", "管理员", "meng", &[("administrator", "meng")]),
    ("meng-office", "杨帆", "meng", &[("office", "meng")]),
    ("zq-office", "赵敏", "zq", &[("office", "zq")]),
    ("zq-director", "李振华", "zq", &[("director", "zq")]),
    ("zq-hr", "周静", "zq", &[("unit", "zq")]),
    ("bh-unit", "刘建国", "bh", &[("unit", "bh")]),
    ("zhang", "张伟", "bh", &[("officer", "bh")]),
    ("wang", "王强", "bh", &[("officer", "bh")]),
    ("li", "李明", "bh", &[("officer", "bh")]),
];

/// 阿拉善盟公安局 (meng) › 阿拉善左旗公安局 (zq) › 巴彦浩特派出所 (bh); each bureau with a 维权办.
async fn world() -> World {
    World::new(
        common::today(),
        &[
            org("meng", None, "阿拉善盟公安局", "police"),
            org("zq", Some("meng"), "阿拉善左旗公安局", "police"),
            org("bh", Some("zq"), "巴彦浩特派出所", "police"),
        ],
        &PEOPLE,
        "zq-office",
    )
    .await
}

fn day(offset: i64) -> String {
    (common::today() + Duration::days(offset)).to_string()
}

/// The opening command of a rectification of `officer` (of 巴彦浩特派出所).
fn opening(officer: &str, category: &str, occurred: i64) -> Value {
    json!({
        "action": "rectification_open", "officer": officer, "unit": "bh",
        "category": category, "occurred_on": day(occurred),
        "cause": "现场处置中未全程开启执法记录仪，经认定予以容错",
        "items": ["补齐执法记录", "参加执法规范化培训"],
        "requirements": "严格落实执法全流程记录制度", "methods": ["reminder_talk"],
        "due": day(30),
    })
}

/// Opens a rectification as the 左旗 office; its id and the events recorded.
async fn open(w: &World, command: Value) -> (String, Vec<Value>) {
    let id = w
        .open(
            "zq-office",
            &json!({ "kind": "rectification", "command": command }),
        )
        .await;
    let timeline = w.detail("zq-office", &id).await["timeline"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (id, timeline)
}

fn timeline_kinds(timeline: &[Value]) -> Vec<String> {
    timeline
        .iter()
        .map(|t| t["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn lawyer(id: &str, retained_by: &str, active: bool) -> ExpertRecord {
    ExpertRecord {
        id: id.into(),
        name: format!("{id} 律师"),
        category: "legal_expert".into(),
        affiliation: "某律师事务所".into(),
        eligibility: serde_json::json!({}),
        person_id: None,
        note: String::new(),
        active,
        retained_by: Some(retained_by.into()),
    }
}

/// 001 §26: an agency (a 公安机关 with a 维权办) retaining fewer than two lawyers is warned on
/// the organisation page and in its office's inbox; a station without a 维权办 is not an agency;
/// inactive lawyers do not count; registering a second lawyer clears the warning.
#[tokio::test]
async fn s26_001_an_agency_with_fewer_than_two_retained_lawyers_is_warned() {
    let w = world().await;
    for e in [
        lawyer("l1", "meng", true),
        lawyer("l2", "meng", true),
        lawyer("l3", "zq", true),
        lawyer("l4", "zq", false),
    ] {
        w.app
            .store()
            .put_expert(common::SETUP, &e)
            .await
            .expect("expert");
    }
    let warning = "聘请律师不足";
    let admin = w.pages("admin");
    let orgs = admin.get("/admin/orgs").await;
    assert_eq!(orgs.status, StatusCode::OK);
    assert!(orgs.body.contains(warning), "{}", orgs.body);
    assert!(orgs
        .body
        .contains("各级公安机关聘请律师不少于2人（《内蒙古公安机关维护公安民警执法权威工作实施办法》第二十六条）"));
    assert!(orgs.body.contains("阿拉善左旗公安局目前聘请 1 人"));
    assert!(!orgs.body.contains("阿拉善盟公安局目前聘请"));
    assert!(!orgs.body.contains("巴彦浩特派出所目前聘请"));

    // The same through the API, for the administrator and for each office.
    let v = w.api("admin").get("/api/v1/compliance/lawyers").await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert_eq!(
        v.json()["shortfalls"],
        json!([{ "org_id": "zq", "org_name": "阿拉善左旗公安局", "retained": 1, "required": 2 }])
    );
    let v = w.api("meng-office").get("/api/v1/compliance/lawyers").await;
    assert_eq!(v.json()["shortfalls"], json!([]));
    let v = w.api("zhang").get("/api/v1/compliance/lawyers").await;
    assert_eq!(v.json()["shortfalls"], json!([]));

    let zq = w.pages("zq-office").get("/").await;
    assert_eq!(zq.status, StatusCode::OK);
    assert!(
        zq.body.contains("阿拉善左旗公安局目前聘请 1 人"),
        "{}",
        zq.body
    );
    let meng = w.pages("meng-office").get("/").await;
    assert!(!meng.body.contains(warning));
    // Not the office: no compliance warning in an officer's inbox.
    assert!(!w.pages("zhang").get("/").await.body.contains(warning));

    // A lawyer must be of the lawyers' category: refused, nothing written.
    let refused = admin
        .post(
            "/admin/experts",
            &[
                ("name", "钱律师"),
                ("category", "other"),
                ("affiliation", "某律师事务所"),
                ("retained_by", "zq"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused
        .body
        .contains("聘请律师应当归入“法学专家、知名律师、相关领域专业人员”类别（001 §26）"));
    assert_eq!(w.app.store().experts().await.expect("experts").len(), 4);
    let added = admin
        .post(
            "/admin/experts",
            &[
                ("name", "钱律师"),
                ("category", "legal_expert"),
                ("affiliation", "某律师事务所"),
                ("retained_by", "zq"),
                ("active", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let list = admin.get("/admin/experts").await;
    assert!(list.body.contains("钱律师"));
    assert!(!admin.get("/admin/orgs").await.body.contains(warning));
    assert!(!w.pages("zq-office").get("/").await.body.contains(warning));
    let v = w.api("zq-office").get("/api/v1/compliance/lawyers").await;
    assert_eq!(v.json()["shortfalls"], json!([]));
}

/// 000 §31 ¶2, 002 §15–17: the office opens a rectification with its notice; the officer asks
/// for more time (refused, then granted by the 主任 with a new last day); the unit records a
/// follow-up visit; the officer reports completion, the office sends it back once and then
/// verifies it. Each step by someone else is refused and writes nothing.
#[tokio::test]
async fn s16_002_a_rectification_with_an_extension_follow_up_and_verified_completion() {
    let w = world().await;
    let (id, timeline) = open(&w, opening("zhang", "recording", -10)).await;
    assert!(id.starts_with("J2026-"), "{id}");
    assert_eq!(
        timeline_kinds(&timeline),
        ["opened", "recurrence_checked"],
        "the system's recurrence check is recorded with the opening"
    );
    let detail = w.api("zhang").get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(
        detail.status,
        StatusCode::OK,
        "the officer sees their own rectification"
    );
    let d = detail.json();
    assert_eq!(d["kind_zh"], "纠错整改");
    assert_eq!(d["stage_zh"], "整改中");
    let notice = &d["documents"][0];
    assert_eq!(notice["title"], "整改通知书", "{notice}");
    let text = notice.to_string();
    for part in ["张伟同志", "纠错事由", "补齐执法记录"] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let facts = d["facts"].to_string();
    assert!(facts.contains("巴彦浩特派出所"), "{facts}");
    let offered: Vec<String> = d["available_actions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        offered.contains(&"rectification_request_extension".to_string()),
        "{offered:?}"
    );
    assert!(
        !offered.contains(&"rectification_verify".to_string()),
        "{offered:?}"
    );

    // Another officer of the same station may not ask on this one's behalf.
    let ask = json!({
        "action": "rectification_request_extension", "requested_due": day(60),
        "reasons": "执法规范化培训班次年一月才开班",
    });
    let r = w.act("wang", &id, ask.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = w.act("zhang", &id, ask.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let refuse = json!({
        "action": "rectification_decide_extension", "granted": false,
        "reasons": "培训可参加线上班次，不属于特殊情况",
    });
    let r = w.act("zq-office", &id, refuse).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w.act("zhang", &id, ask).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The officer cannot decide their own request.
    let grant = json!({
        "action": "rectification_decide_extension", "granted": true,
        "new_due": day(45), "reasons": "线上班次已满，确属特殊情况",
    });
    let r = w.act("zhang", &id, grant.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = w.act("zq-director", &id, grant).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let visit = json!({
        "action": "rectification_record_follow_up", "method": "visit",
        "findings": "已补齐执法记录，已报名培训",
    });
    let r = w.act("bh-unit", &id, visit).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = json!({ "action": "rectification_report_completion", "summary": "两项均已完成" });
    let r = w.act("zhang", &id, report.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Verification is the office's; the unit is refused by the policies or the process.
    let verify = json!({ "action": "rectification_verify", "findings": "经核验，整改到位" });
    let r = w.act("bh-unit", &id, verify.clone()).await;
    assert!(r.status == StatusCode::FORBIDDEN, "{}", r.body);
    let back = json!({
        "action": "rectification_return", "reasons": "培训结业证明未附", "new_due": day(50),
    });
    let r = w.act("zq-office", &id, back).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w.act("zhang", &id, report).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w.act("zq-office", &id, verify).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let d = w.detail("zq-office", &id).await;
    assert_eq!(d["stage"], "verified");
    let facts = d["facts"].to_string();
    for part in [
        "不同意（培训可参加线上班次，不属于特殊情况）",
        "同意延长至",
        "原定",
        "实地回访",
        "退回继续整改：培训结业证明未附",
        "核验通过：经核验，整改到位",
    ] {
        assert!(facts.contains(part), "{part}: {facts}");
    }
    assert_eq!(
        timeline_kinds(
            d["timeline"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
        ),
        [
            "opened",
            "recurrence_checked",
            "extension_requested",
            "extension_decided",
            "extension_requested",
            "extension_decided",
            "follow_up_recorded",
            "completion_reported",
            "returned",
            "completion_reported",
            "completion_verified"
        ]
    );
    // The case page shows the same record.
    let page = w.pages("zq-office").get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("整改完成，已核验"), "{}", page.body);
    assert!(page.body.contains("整改通知书"));
    assert!(w.app.store().verify().await.expect("chain").events > 0);
}

/// 000 §31 ¶2: the same officer's second rectification of the same category is flagged for
/// accountability by the system, naming the earlier case; another category, or another
/// officer, is not.
#[tokio::test]
async fn s31_000_the_same_officer_repeating_a_category_is_flagged_for_accountability() {
    let w = world().await;
    // The first a year earlier: the officer's recurrence knows no window (000 §31 ¶2), the
    // unit's risk point counts one year (002 §17), so only the officer is flagged here.
    let (first, _) = open(&w, opening("zhang", "recording", -400)).await;
    let (other_category, t) = open(&w, opening("zhang", "evidence", -100)).await;
    assert_eq!(timeline_kinds(&t), ["opened", "recurrence_checked"]);
    let (other_officer, t) = open(&w, opening("wang", "recording", -90)).await;
    assert_eq!(timeline_kinds(&t), ["opened", "recurrence_checked"]);
    let (second, t) = open(&w, opening("zhang", "recording", -5)).await;
    assert_eq!(
        timeline_kinds(&t),
        ["opened", "recurrence_checked", "accountability_referred"]
    );
    let flag = &t[2];
    assert_eq!(flag["actor"], "system");
    let d = w.detail("zq-office", &second).await;
    let referral = &d["state"]["referrals"][0];
    assert_eq!(referral["ground"], "recurrence");
    assert_eq!(referral["earlier"], json!([first]));
    let facts = d["facts"].to_string();
    assert!(facts.contains("同一类型错误再次发生"), "{facts}");
    assert!(facts.contains(&first), "{facts}");
    // The earlier cases stay as they were.
    for id in [&first, &other_category, &other_officer] {
        let d = w.detail("zq-office", id).await;
        assert_eq!(d["state"]["referrals"], json!([]), "{id}");
    }
    // The office refers an ineffective rectification itself (000 §31 ¶2); the system's ground
    // is not the office's to claim.
    let r = w.act("zq-office",
        &first,
        json!({ "action": "rectification_refer_accountability", "ground": "recurrence", "description": "x" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = w.act("zq-office",
        &first,
        json!({ "action": "rectification_refer_accountability", "ground": "ineffective", "description": "回访发现仍未全程记录" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// 002 §17, 003 易错风险点: the third rectification of one category in one unit within the year
/// (two earlier, the local threshold) raises a risk point and a warning letter to the unit;
/// the unit reads it on the case.
#[tokio::test]
async fn s17_002_a_category_recurring_in_a_unit_raises_a_risk_point_with_a_warning() {
    let w = world().await;
    let (a, _) = open(&w, opening("zhang", "custody", -60)).await;
    let (b, t) = open(&w, opening("wang", "custody", -30)).await;
    assert_eq!(
        timeline_kinds(&t),
        ["opened", "recurrence_checked"],
        "one earlier: below the threshold"
    );
    let (c, t) = open(&w, opening("li", "custody", -3)).await;
    assert_eq!(
        timeline_kinds(&t),
        ["opened", "recurrence_checked", "risk_point_raised"]
    );
    let d = w.api("bh-unit").get(&format!("/api/v1/cases/{c}")).await;
    assert_eq!(
        d.status,
        StatusCode::OK,
        "the unit sees its officers' cases"
    );
    let d = d.json();
    let warning = d["documents"]
        .as_array()
        .and_then(|docs| docs.iter().find(|x| x["title"] == "易错风险警示提醒函"))
        .cloned()
        .unwrap_or_default();
    let text = warning.to_string();
    assert!(text.contains("巴彦浩特派出所"), "{text}");
    assert!(
        text.contains("已有3起“看管、羁押安全管理疏漏”类工作失误"),
        "{text}"
    );
    assert!(text.contains(&a) && text.contains(&b), "{text}");
    assert!(text.contains("第三十二条"), "{text}");
    let facts = d["facts"].to_string();
    assert!(facts.contains("易错风险点"), "{facts}");
    // Different officers: nobody is flagged for accountability.
    assert_eq!(d["state"]["referrals"], json!([]));
}

/// 000 §30: an officer's result-use page lists their protected determinations and what each
/// must not affect, for the unit and the office that decide, citing only the regulations that
/// govern the officer (issue 20 item 3: 阿拉善 police are not protected by 003's or 002's
/// rules); an officer is refused; the API gives the same.
#[tokio::test]
async fn s30_000_the_officers_result_use_page_for_personnel_staff() {
    let w = World::demo(&["p-liujianguo", "p-zhaomin", "p-bateer"], "p-zhaomin").await;
    // 李娜 (巴彦浩特派出所): exempted, protections applied by the unit (demo).
    let unit = w.pages("p-liujianguo");
    let r = unit.get("/people/p-lina").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for part in [
        "依法履职免责",
        "工作考核、任期考核、任职试用期满考核等各类考核",
        "干部提拔任用、职务职级和警衔晋升",
        "评先评优、表彰奖励",
        "党代会代表、人大代表、政协委员资格",
        "000 §30(四)",
        "已落实",
        "000 §25",
    ] {
        assert!(r.body.contains(part), "{part}");
    }
    for absent in ["职称评聘", "（参照）"] {
        assert!(!r.body.contains(absent), "{absent}");
    }
    let list = unit.get("/people").await;
    assert!(list.body.contains("/people/p-lina"), "{}", list.body);
    assert!(list.body.contains("结果运用"));
    // The officer of another station is outside the unit's organisation.
    assert_eq!(
        unit.get("/people/p-gaozhigang").await.status,
        StatusCode::FORBIDDEN
    );
    // An officer is not personnel staff.
    let officer = w.pages("p-bateer");
    assert_eq!(
        officer.get("/people/p-lina").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!officer.get("/").await.body.contains("href=\"/people\""));
    let r = w
        .api("p-bateer")
        .get("/api/v1/people/p-lina/result-use")
        .await;
    assert_eq!(r.code(), "access_denied", "{}", r.body);
    assert_eq!(
        w.api("p-liujianguo")
            .get("/api/v1/people/nobody/result-use")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let v = w
        .api("p-liujianguo")
        .get("/api/v1/people/p-lina/result-use")
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let v = v.json();
    let d = &v["determinations"][0];
    assert_eq!(d["outcome"], "依法履职免责");
    assert_eq!(d["safeguards"][0]["article"], "000 §30(一)");
    assert_eq!(d["safeguards"][3]["area"], "deputy_status");
    assert_eq!(d["safeguards"].as_array().map(Vec::len), Some(4));
    assert_eq!(d["safeguards"][3]["by_reference"], false);
    assert_eq!(
        d["applied"],
        json!(["assessments", "promotion", "awards", "deputy_status"])
    );

    // 高志刚 (温都尔勒图派出所): tolerated; the 左旗 office opens his rectification from that
    // application, and the office's page shows both; no regulation governing him (000, 001,
    // 004, 004-2016) states what a tolerance must not affect, and the page says so.
    let source = w
        .app
        .store()
        .cases_linked("applicant", "p-gaozhigang", 10)
        .await
        .expect("links")
        .into_iter()
        .next()
        .expect("his application");
    let mut command = json!({
        "action": "rectification_open", "officer": "p-gaozhigang", "unit": "alszq-wdelt",
        "source_case": source, "category": "emergency_judgement", "occurred_on": day(-150),
        "cause": "紧急情况下判断失误，经认定予以容错", "items": ["参加现场处置培训"],
        "requirements": "总结教训，提高现场判断能力", "due": day(30),
    });
    let rect = w
        .open(
            "p-zhaomin",
            &json!({ "kind": "rectification", "command": command.take() }),
        )
        .await;
    let office = w.pages("p-zhaomin");
    let r = office.get("/people/p-gaozhigang").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for part in [
        "容错",
        source.as_str(),
        rect.as_str(),
        "整改中",
        "未就容错认定的结果运用作出规定",
        "适用于本案的规定未列明不得影响的事项",
    ] {
        assert!(r.body.contains(part), "{part}");
    }
    for absent in ["002 §14", "平时（绩效）考核、年度考评"] {
        assert!(!r.body.contains(absent), "{absent}");
    }
    assert!(
        !r.body.contains("000 §30(四)"),
        "deputy status is 000 §30's, for exemption only"
    );
}

/// The same steps through the pages, from the forms the process's field specs draw: the office
/// opens a rectification on the 新建 page (person and unit chosen from the directory, items one
/// a line, ways of correction ticked), the officer finds the last day in their inbox and asks
/// for more time, and the 主任 grants it with the checkbox (000 §31 ¶2, 002 §16).
#[tokio::test]
async fn s16_002_the_rectification_pages_open_and_extend_a_rectification() {
    let w = world().await;
    let office = w.pages("zq-office");
    let form = office.get("/new/rectification/rectification_open").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    for part in [
        "当事民警",
        "所在单位",
        "错误类型",
        "纠错事项",
        "整改期限",
        "约谈提醒",
    ] {
        assert!(form.body.contains(part), "{part}");
    }
    let (occurred, due) = (day(-7), day(20));
    let fields = [
        ("officer", "zhang"),
        ("unit", "bh"),
        ("category", "evidence"),
        ("occurred_on", occurred.as_str()),
        ("cause", "询问笔录未经被询问人核对签名，经认定予以容错"),
        (
            "items",
            "补正询问笔录\n学习《公安机关办理行政案件程序规定》",
        ),
        ("requirements", "按规定补正，并书面说明"),
        ("methods", "reminder_talk"),
        ("methods", "supervision_letter"),
        ("due", due.as_str()),
    ];
    // A missing required field is named and nothing is opened.
    let r = office
        .post("/new/rectification/rectification_open", &fields[..3])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("请填写“错误发生日期”"), "{}", r.body);
    let r = office
        .post("/new/rectification/rectification_open", &fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = common::case_of(&r.location());
    let page = office.get(&format!("/cases/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for part in [
        "1. 补正询问笔录",
        "约谈提醒、发函提醒督办",
        "整改通知书",
        "张伟",
    ] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    // The officer's inbox names the last day.
    let officer = w.pages("zhang");
    let inbox = officer.get("/").await;
    assert!(
        inbox.body.contains("完成整改并报告整改情况"),
        "{}",
        inbox.body
    );
    assert!(inbox.body.contains(&id));
    let later = day(40);
    let r = post_form(
        &officer,
        &id,
        "rectification_request_extension",
        &[
            ("requested_due", later.as_str()),
            ("reasons", "需待原案当事人到案后补正笔录"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The office's inbox: the extension to decide.
    let inbox = office.get("/").await;
    assert!(
        inbox.body.contains("对延长整改期限的申请作出决定"),
        "{}",
        inbox.body
    );
    let director = w.pages("zq-director");
    let r = post_form(
        &director,
        &id,
        "rectification_decide_extension",
        &[
            ("granted", "1"),
            ("reasons", "当事人外出务工，确属特殊情况"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = w.detail("zhang", &id).await;
    assert_eq!(d["state"]["due"], json!(later));
    assert_eq!(d["state"]["original_due"], json!(due));
    // The officer is not offered the office's steps.
    let r = officer
        .get(&format!("/cases/{id}/act/rectification_verify"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
