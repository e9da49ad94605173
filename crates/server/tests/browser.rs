//! The whole procedure in a real browser: headless Chromium driven through WebDriver
//! (chromedriver) against the real server on a loopback port, with the demo data.
//!
//! Through the pages only — typing into inputs, choosing options, ticking boxes, clicking
//! buttons — the demo officer files on the annex form (000 §12), the office registers and
//! accepts it (000 §13) and forms the panel (000 §14), a panel member answers the facts
//! interview (the recommendation panel follows each answer without a page load) and drafts
//! the opinion, the 主任 approves it, the office issues it (000 §16), the officer applies for
//! 复议 and the 主任 replies (000 §21), the officer declares no objection and the office starts
//! the publicity (000 §23). Finally the officer of another banner opens the case and is refused.
//!
//! After each step the page's stage or notice is checked, and a screenshot is saved under
//! `target/browser-artifacts/NN-step.png`. Without `chromedriver` or `/usr/bin/chromium` the test
//! says it is skipped and passes (CI installs both, see `.ci/run`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use std::time::{Duration, Instant};

use common::browser::{
    Browser, DIRECTOR, OFFICE, OFFICER, OTHER_BANNER_OFFICER, PANEL_LEGAL, PATIENCE, POLL,
};
use common::case_of;

/// The facts a panel establishes for a lawful use of a weapon, reported and followed by rescue
/// (000 §7(二)): a serving officer on duty, none of the exclusions of 000 §9, §11 and §31 ¶2.
const WEAPON_FACTS: &[(&str, &str)] = &[
    ("person_category", "serving_officer"),
    ("off_duty", "false"),
    ("intentional_violation", "false"),
    ("improper_gain", "false"),
    ("prohibited_act", "false"),
    ("other_exclusion", "false"),
    ("evidence_lost_recording_violation", "false"),
    ("concealed_or_refused_rectification", "false"),
    ("reported_promptly", "true"),
    ("timely_rescue", "true"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_procedure_in_a_browser() {
    let started = Instant::now();
    let Some(mut b) = Browser::start("").await else {
        return;
    };

    // 1. The officer files on the annex form (000 §12).
    b.sign_in(OFFICER).await;
    b.goto("/cases/new").await;
    b.wait_text(&["公安民警免责容错申请表", "巴彦浩特派出所", "巴特尔"])
        .await;
    let me = b.find("input[name='applicant'][value='p-bateer']").await;
    assert!(
        me.is_selected().await.expect("checkbox state"),
        "the officer is the applicant"
    );
    b.type_into("#f-matter", "申请对警告处分适用依法履职免责")
        .await;
    b.type_into(
        "#f-reasons",
        "2026年10月9日处置持刀行凶警情时，经口头警告无效，依法开枪制止暴力犯罪，事后立即报告并组织救治。",
    )
    .await;
    b.choose("select[name='decision.department']", "als-gaj-dczd")
        .await;
    b.choose("#f-sanction", "warning").await;
    b.type_date("input[name='decision.decided_on']", 2026, 11, 10)
        .await;
    b.type_into(
        "input[name='decision.document_number']",
        "阿盟公督〔2026〕12号",
    )
    .await;
    b.shot("application-form").await;
    b.press("提交申请").await;
    let at = b
        .wait_url("the new case", |at| {
            at.starts_with("/cases/A") && at.ends_with("?msg=recorded")
        })
        .await;
    let case = case_of(&at);
    b.wait_text(&[
        "已记录，案件审计链已更新。",
        "申请对警告处分适用依法履职免责",
    ])
    .await;
    assert_eq!(b.stage().await, "已收到申请");
    b.shot("filed").await;
    b.sign_out().await;

    // 2. The office registers and accepts it (000 §13), then forms the panel (000 §14).
    b.sign_in(OFFICE).await;
    b.open_step(&case, "登记申请").await;
    b.confirm(&case, "登记申请", &[]).await;
    assert_eq!(b.stage().await, "已登记、初查中");
    b.shot("registered").await;
    b.open_step(&case, "决定受理").await;
    b.confirm(&case, "决定受理", &["免责容错申请受理通知书"])
        .await;
    assert_eq!(b.stage().await, "已受理、审查论证中");
    b.shot("accepted").await;
    // Issue 6: the notice's PDF and editable DOCX are linked from the case page.
    b.find(&format!("a.pdf[href='/cases/{case}/documents/1.pdf']"))
        .await;
    b.find(&format!("a.docx[href='/cases/{case}/documents/1.docx']"))
        .await;

    b.open_step(&case, "组成审查论证组").await;
    b.wait_text(&["马俊", "高岩", "回避审查"]).await;
    b.click("#m-p-majun").await;
    b.choose("select[name='members.p-majun.category']", "legal")
        .await;
    b.click("#m-p-gaoyan").await;
    b.choose("select[name='members.p-gaoyan.category']", "discipline")
        .await;
    b.shot("panel-form").await;
    let text = b.confirm(&case, "组成审查论证组", &["审查论证组"]).await;
    assert!(
        text.contains("马俊（法制）、高岩（纪检）") || text.contains("高岩（纪检）、马俊（法制）"),
        "{text}"
    );
    b.shot("panel-formed").await;
    b.sign_out().await;

    // 3. A panel member answers the interview; the recommendation follows each answer live.
    b.sign_in(PANEL_LEGAL).await;
    b.goto(&format!("/cases/{case}")).await;
    b.find("#interview").await;
    let before = b.recommendation().await;
    assert!(before.contains("系统建议结论"), "{before}");
    let loads = b
        .c
        .execute("return performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin;", vec![])
        .await
        .expect("the page's navigation record");
    b.choose("select[name='fact.weapon_use_lawful']", "true")
        .await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = b.recommendation().await;
        if !now.is_empty() && now != before {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the recommendation did not change after an answer:\n{now}"
        );
        tokio::time::sleep(POLL).await;
    }
    let same_page = b
        .c
        .execute("return performance.getEntriesByType('navigation').length + ':' + performance.timeOrigin;", vec![])
        .await
        .expect("the page's navigation record");
    assert_eq!(
        loads, same_page,
        "the recommendation changed without a page load"
    );
    for (fact, value) in WEAPON_FACTS {
        b.choose(&format!("select[name='fact.{fact}']"), value)
            .await;
    }
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = b.recommendation().await;
        if now.contains("应当免责") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the recommendation never reached 应当免责:\n{now}"
        );
        tokio::time::sleep(POLL).await;
    }
    b.shot("interview-live").await;
    // Issue 20 item 3: the case is judged under 001 and 004-2016 too (the demo binds them);
    // their own decisive questions (001's 从重 and 正名 grounds, 004-2016 §19's 从重 grounds)
    // are asked once the answers are re-evaluated, and answered here: none of them holds.
    // Evaluating 001 with most of its facts unknown is the engine's slowest case (about 0.6 s
    // per new set of answers, optimised), behind the live refreshes of each answer above: more
    // patience than a page load.
    b.press("重新评估").await;
    b.wait_text_within(
        &["其他适用规定尚需查明的事实", "各适用规定下的评估"],
        Duration::from_secs(30),
    )
    .await;
    b.c.execute(
        "document.querySelectorAll(\"select[name^='fact.'][name*=':']\").forEach(function (s) { s.value = 'false'; });",
        vec![],
    )
    .await
    .expect("the other regulations' questions answered");
    b.shot("interview-other-regulations").await;
    b.press("保存事实并记录建议").await;
    let want = format!("/cases/{case}?msg=recorded");
    b.wait_url(&want, |at| at == want).await;
    b.wait_text(&["已记录，案件审计链已更新。"]).await;
    b.shot("facts-recorded").await;

    b.open_step(&case, "起草审查论证意见").await;
    let outcome = b.find("#f-determination-outcome").await;
    assert_eq!(
        outcome.prop("value").await.expect("value").as_deref(),
        Some("exemption"),
        "the draft starts from the recommendation"
    );
    b.type_into(
        "#f-determination-basis",
        "经审查论证，民警在处置持刀行凶警情时依法使用武器，及时报告并组织救治，符合依法履职免责情形。",
    )
    .await;
    b.confirm(&case, "起草审查论证意见", &[]).await;
    assert_eq!(b.stage().await, "审查论证意见待批准");
    b.shot("opinion-drafted").await;
    b.sign_out().await;

    // 4. The 主任 approves the opinion; the office issues it (000 §14, §16).
    b.sign_in(DIRECTOR).await;
    b.open_step(&case, "批准审查论证意见").await;
    b.confirm(&case, "批准审查论证意见", &[]).await;
    assert_eq!(b.stage().await, "审查论证意见已批准、待出具");
    b.shot("opinion-approved").await;
    b.sign_out().await;

    b.sign_in(OFFICE).await;
    b.open_step(&case, "出具审查论证意见").await;
    b.confirm(&case, "出具审查论证意见", &["免责容错审查论证意见书"])
        .await;
    assert_eq!(b.stage().await, "审查论证意见已出具");
    b.shot("opinion-issued").await;
    b.sign_out().await;

    // 5. The officer applies for 复议; the 主任 replies, upholding the opinion (000 §21).
    b.sign_in(OFFICER).await;
    b.open_step(&case, "申请复议").await;
    b.type_into("#f-grounds", "意见书对现场救治经过的认定不完整，申请复议。")
        .await;
    b.confirm(&case, "申请复议", &[]).await;
    assert_eq!(b.stage().await, "复议办理中");
    b.shot("reconsideration-applied").await;
    b.sign_out().await;

    b.sign_in(DIRECTOR).await;
    b.open_step(&case, "回复复议意见").await;
    b.click("input[name='upheld'][value='true']").await;
    b.type_into(
        "#f-reasoning",
        "经复查，救治经过已有现场记录证实，原意见认定事实清楚，维持原意见。",
    )
    .await;
    b.confirm(&case, "回复复议意见", &["免责容错复议意见书"])
        .await;
    assert_eq!(b.stage().await, "复议意见已回复");
    b.shot("reconsideration-replied").await;
    b.sign_out().await;

    // 6. The officer declares no objection; the office starts the publicity (000 §23).
    b.sign_in(OFFICER).await;
    b.open_step(&case, "表示无异议").await;
    b.confirm(&case, "表示无异议", &["无异议"]).await;
    b.shot("no-objection").await;
    b.sign_out().await;

    b.sign_in(OFFICE).await;
    b.open_step(&case, "开始公示").await;
    let place = b.find("#f-place").await;
    assert_eq!(
        place.prop("value").await.expect("value").as_deref(),
        Some("巴彦浩特派出所"),
        "published at the applicant's unit"
    );
    b.confirm(&case, "开始公示", &["免责容错认定意见公示", "公示期"])
        .await;
    b.shot("publicity-started").await;
    b.sign_out().await;

    // 7. The officer of another banner may not open the case.
    b.sign_in(OTHER_BANNER_OFFICER).await;
    b.goto(&format!("/cases/{case}")).await;
    // Answered as a case that does not exist (issue 19: ids cannot be probed).
    b.wait_text(&["未找到", &format!("案件 {case} 不存在")])
        .await;
    assert!(!b.text().await.contains("申请对警告处分适用依法履职免责"));
    b.shot("other-unit-refused").await;

    // The record: every step in the chain, intact.
    let loaded = b.app.service().load(&case).await.expect("the case loads");
    assert!(loaded.state.publicity.is_some());
    let report = b.app.store().verify().await.expect("the chain verifies");
    assert!(report.problem.is_none(), "{:?}", report.problem);

    println!(
        "browser test: {} screenshots in {} after {:.1?}",
        b.n,
        b.shots.display(),
        started.elapsed()
    );
    b.close().await;
}
