use crate::testing::any_ctx;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;
use serde_json::{json, Value};

use super::*;
use crate::registry::{AnyCase, CaseType, Registered};

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

const ZQ: &str = "alszq-gaj";
const BH: &str = "alszq-bhht";
const OFFICER: &str = "p-wangzhiqiang";

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn ctx(today: &str) -> Ctx<'static> {
    let mut c = Ctx::new(
        day(today),
        &CAL,
        crate::testing::periods(NameClearing::PACK),
    )
    .under(crate::testing::regulation(NameClearing::PACK));
    c.names = BTreeMap::from([
        (OFFICER.to_string(), "王志强".to_string()),
        (BH.to_string(), "巴彦浩特派出所".to_string()),
        (ZQ.to_string(), "阿拉善左旗公安局".to_string()),
    ]);
    c
}

/// A context under 002, whose §18 answers an untrue or unfounded complaint.
fn ctx002(today: &str) -> Ctx<'static> {
    let mut c = ctx(today);
    c.regulation = Some(crate::testing::regulation("002"));
    c
}

fn office() -> Actor {
    Actor::new("p-zhaomin", &[Role::Office], ZQ)
}

fn receive(finding: &str, complainant: &str) -> Value {
    json!({
        "action": "name_clearing_receive",
        "officer": OFFICER,
        "unit": BH,
        "org": ZQ,
        "complaint": "办理纠纷案件时收受当事人财物",
        "complaint_received_on": "2026-02-10",
        "complainant": complainant,
        "complainant_name": if complainant == "real_name" { "赵某" } else { "" },
        "handed_over_by": "阿拉善左旗公安局纪检监察室",
        "finding": finding,
        "investigation": "经调取银行流水、询问当事人，举报内容系捏造",
    })
}

fn new_case() -> Box<dyn AnyCase> {
    Registered::<NameClearing>(std::marker::PhantomData).new_case()
}

fn run(
    case: &mut Box<dyn AnyCase>,
    cmd: Value,
    actor: &Actor,
    c: &Ctx<'_>,
) -> Result<(), ProcessError> {
    case.execute(&cmd, actor, c).map(|_| ())
}

fn state(case: &dyn AnyCase) -> NameClearingState {
    serde_json::from_value(case.state_json()).unwrap()
}

fn reviewed(finding: &str, complainant: &str) -> Box<dyn AnyCase> {
    let mut case = new_case();
    // Only 002 answers an untrue or unfounded complaint (§18); 001 clears a false one.
    let cx = |today: &str| {
        if matches!(finding, "untrue" | "unfounded") {
            ctx002(today)
        } else {
            ctx(today)
        }
    };
    run(
        &mut case,
        receive(finding, complainant),
        &office(),
        &cx("2026-03-02"),
    )
    .unwrap();
    run(
        &mut case,
        json!({ "action": "name_clearing_review", "confirmed": true, "opinion": "材料齐全，核查结论属实" }),
        &office(),
        &cx("2026-03-03"),
    )
    .unwrap();
    case
}

#[test]
fn s29_5_a_false_accusation_closes_with_a_notice_and_a_referral_001() {
    let mut case = new_case();
    run(
        &mut case,
        receive("false_accusation", "real_name"),
        &office(),
        &ctx("2026-03-02"),
    )
    .unwrap();
    // One deadline, set locally (15 working days), for the review and the notice.
    let d = case.deadlines(&any_ctx().rules());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].article, "001 §29(五)");
    assert_eq!(d[0].due, day("2026-03-23"));
    let c = ctx("2026-03-03");
    let close = json!({ "action": "name_clearing_close" });
    let err = case.execute(&close, &office(), &c).unwrap_err();
    assert!(err.message.contains("审查"), "{}", err.message);
    run(
        &mut case,
        json!({ "action": "name_clearing_review", "confirmed": true, "opinion": "核查结论属实" }),
        &office(),
        &c,
    )
    .unwrap();
    let err = case.execute(&close, &office(), &c).unwrap_err();
    assert!(
        err.message.contains("正名通知书") && err.message.contains("追究"),
        "{}",
        err.message
    );
    run(
        &mut case,
        json!({ "action": "name_clearing_issue_notice", "scope": "阿拉善左旗公安局全体民警", "means": "circular", "clarification": "王志强同志不存在收受当事人财物的问题" }),
        &office(),
        &c,
    )
    .unwrap();
    assert!(
        case.deadlines(&any_ctx().rules()).is_empty(),
        "the notice ends the period"
    );
    run(
        &mut case,
        json!({ "action": "name_clearing_refer", "department": "阿拉善左旗公安局法制大队", "liability": "涉嫌诬告陷害，依法追究法律责任" }),
        &office(),
        &c,
    )
    .unwrap();
    run(&mut case, close, &office(), &c).unwrap();
    let docs = case.documents();
    assert_eq!(docs.len(), 1);
    let n = &docs[0];
    assert_eq!(n.kind, DocumentKind::NameClearingNotice);
    assert_eq!(n.title, "正名通知书");
    assert_eq!(n.addressee, "阿拉善左旗公安局全体民警");
    assert!(n.text.contains("系诬告"), "{}", n.text);
    assert!(n
        .text
        .contains("在阿拉善左旗公安局全体民警范围内以通报方式公开"));
    assert!(
        n.text.contains("依照《内蒙古公安机关维护公安民警执法权威工作实施办法》第十三条、第二十九条第（五）项的规定，对王志强同志予以正名。"),
        "{}",
        n.text
    );
    let s = state(&*case);
    assert_eq!(s.stage, Stage::Closed);
    assert!(s.referral.is_some());
    assert!(case.actions(&office(), &any_ctx()).is_empty());
}

#[test]
fn s18_an_untrue_real_name_complaint_gets_feedback_and_no_notice_002() {
    let mut case = reviewed("untrue", "real_name");
    let c = ctx002("2026-03-04");
    let ids: Vec<String> = case
        .actions(&office(), &any_ctx())
        .iter()
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(ids, ["name_clearing_feedback"]);
    let err = case
        .execute(
            &json!({ "action": "name_clearing_issue_notice", "scope": "全局", "means": "circular", "clarification": "x" }),
            &office(),
            &c,
        )
        .unwrap_err();
    assert_eq!(err.article.as_deref(), Some("002 §18"));
    let err = case
        .execute(
            &json!({ "action": "name_clearing_explain", "scope": "全局", "content": "x" }),
            &office(),
            &c,
        )
        .unwrap_err();
    assert_eq!(
        err.article.as_deref(),
        Some("002 §18"),
        "explanations are for anonymous reports"
    );
    run(
        &mut case,
        json!({ "action": "name_clearing_feedback", "content": "举报内容经查不属实。" }),
        &office(),
        &c,
    )
    .unwrap();
    let docs = case.documents();
    assert_eq!(docs[0].kind, DocumentKind::ComplaintOutcome);
    assert_eq!(docs[0].addressee, "赵某");
    run(
        &mut case,
        json!({ "action": "name_clearing_close" }),
        &office(),
        &c,
    )
    .unwrap();
}

#[test]
fn s18_an_unfounded_anonymous_complaint_is_explained_within_a_scope_002() {
    let mut case = reviewed("unfounded", "anonymous");
    let c = ctx002("2026-03-04");
    assert!(case
        .execute(&json!({ "action": "name_clearing_close" }), &office(), &c)
        .unwrap_err()
        .message
        .contains("说明情况"));
    run(
        &mut case,
        json!({ "action": "name_clearing_explain", "scope": "巴彦浩特派出所", "content": "匿名反映的问题查无实据。" }),
        &office(),
        &c,
    )
    .unwrap();
    assert!(case.documents()[0]
        .text
        .contains("现在巴彦浩特派出所范围内予以说明"));
    run(
        &mut case,
        json!({ "action": "name_clearing_close" }),
        &office(),
        &c,
    )
    .unwrap();
}

#[test]
fn s18_a_real_name_report_must_name_the_reporter_002() {
    let mut cmd = receive("untrue", "real_name");
    cmd["complainant_name"] = json!("");
    let err = new_case()
        .execute(&cmd, &office(), &ctx002("2026-03-02"))
        .unwrap_err();
    assert_eq!(err.article.as_deref(), Some("002 §18"));
}

/// Issue 20: 002 §2 limits 002 to the 国动办's own staff. Under 001 (police) and 003 (prisons),
/// which have no feedback on an untrue or unfounded complaint, such a complaint is not
/// registered for a 正名 case — refused naming the regulation — and the form offers only the
/// findings that clear a name; nothing a police case shows cites 002.
#[test]
fn issue20_s18_002_feedback_is_not_offered_to_police_or_prisons() {
    for pack in ["001", "003"] {
        let mut c = ctx("2026-03-02");
        c.regulation = Some(crate::testing::regulation(pack));
        for (finding, who) in [("untrue", "real_name"), ("unfounded", "anonymous")] {
            let err = new_case()
                .execute(&receive(finding, who), &office(), &c)
                .unwrap_err();
            assert!(err.message.contains("未规定"), "{pack}: {}", err.message);
            assert!(!err.message.contains("002"), "{pack}: {}", err.message);
        }
        let form = new_case().actions(&office(), &c);
        let finding = form[0].fields.iter().find(|f| f.name == "finding").unwrap();
        let FieldKind::Choice { options } = &finding.kind else {
            panic!("a choice");
        };
        assert!(options
            .iter()
            .all(|(id, _)| id != "untrue" && id != "unfounded"));
        let text = format!("{form:?}");
        assert!(!text.contains("002 §18"), "{pack}: {text}");
    }
}

#[test]
fn s29_5_only_the_handling_office_receives_and_acts_001() {
    let other = Actor::new("p-yangfan", &[Role::Office], "als-gaj");
    let unit = Actor::new("p-liujianguo", &[Role::Unit], BH);
    let c = ctx("2026-03-02");
    assert!(new_case()
        .execute(&receive("defamation", "anonymous"), &unit, &c)
        .is_err());
    assert!(new_case()
        .execute(&receive("defamation", "anonymous"), &other, &c)
        .is_err());
    let mut case = new_case();
    run(&mut case, receive("defamation", "anonymous"), &office(), &c).unwrap();
    assert!(case
        .execute(
            &json!({ "action": "name_clearing_review", "confirmed": true, "opinion": "属实" }),
            &other,
            &c
        )
        .is_err());
    assert!(case.actions(&other, &any_ctx()).is_empty());
    assert!(case.actions(&unit, &any_ctx()).is_empty());
}

#[test]
fn a_review_that_does_not_confirm_the_finding_closes_without_a_notice() {
    let mut case = new_case();
    let c = ctx("2026-03-02");
    run(&mut case, receive("frame_up", "real_name"), &office(), &c).unwrap();
    run(
        &mut case,
        json!({ "action": "name_clearing_review", "confirmed": false, "opinion": "核查材料不足以认定陷害，退回受理部门补充核查" }),
        &office(),
        &c,
    )
    .unwrap();
    assert!(case.deadlines(&any_ctx().rules()).is_empty());
    let ids: Vec<String> = case
        .actions(&office(), &any_ctx())
        .iter()
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(ids, ["name_clearing_close"]);
    run(
        &mut case,
        json!({ "action": "name_clearing_close" }),
        &office(),
        &c,
    )
    .unwrap();
}

#[test]
fn the_findings_map_to_their_articles() {
    for f in Finding::ALL {
        let a = f.article();
        assert!(a == "001 §29(五)" || a == "002 §18");
        assert_eq!(
            f.clears(),
            !matches!(f, Finding::Untrue | Finding::Unfounded)
        );
    }
    assert_eq!(Finding::FalseAccusation.article(), "001 §29(五)");
    assert_eq!(Finding::MaliciousSmear.article(), "002 §18");
}

/// The review period is the one period a 正名 case reads, and the one it declares
/// (`Process::PERIODS`, what `lvzhi policy coverage` counts as a period in use).
#[test]
fn reads_exactly_the_periods_it_declares() {
    let periods = crate::testing::recording(NameClearing::PACK);
    let c = Ctx {
        periods: &periods,
        ..ctx("2026-03-02")
    };
    let mut case = new_case();
    run(
        &mut case,
        receive("false_accusation", "real_name"),
        &office(),
        &c,
    )
    .unwrap();
    let _ = case.deadlines(&c.rules());
    let _ = case.fire_due(&c);
    crate::testing::assert_reads_declared::<NameClearing>(&periods);
}

/// Issue 20 item 2, 001 §29(五): the 正名通知书 is the governing pack's text — a pack that
/// rewords it changes the notice issued.
#[test]
fn issue20_001_s29_5_notice_is_the_packs_template() {
    let text = include_str!("../../../../packs/001.toml").replace(
        "澄清事实，消除影响。{?对侵权违法行为人",
        "澄清事实，消除不良影响。{?对侵权违法行为人",
    );
    let mut reg = crate::testing::regulation("001");
    reg.notices =
        lvzhi_case::notice::notices_of("001.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let mut case = reviewed("false_accusation", "real_name");
    let mut c = ctx("2026-03-04");
    c.regulation = Some(reg);
    run(
        &mut case,
        json!({ "action": "name_clearing_issue_notice", "scope": "全局民警", "means": "circular", "clarification": "王志强同志不存在该问题" }),
        &office(),
        &c,
    )
    .unwrap();
    let n = &case.documents()[0];
    assert!(n.text.contains("澄清事实，消除不良影响。"), "{}", n.text);
}

/// Issue 20 item 2, 002 §18: the notices of a case under 002 are 002's texts: its 执法人员 (002
/// §2 applies to the 国动办's own staff), not 民警, and its §18.
#[test]
fn issue20_002_s18_notices_are_the_packs_templates() {
    for (finding, who, says) in [
        (
            "malicious_smear",
            "anonymous",
            "依照《兴安盟国防动员办公室行政执法尽职免责和容错纠错制度》第十八条的规定",
        ),
        (
            "untrue",
            "real_name",
            "您于2026年2月10日反映巴彦浩特派出所执法人员王志强",
        ),
        (
            "unfounded",
            "anonymous",
            "有人匿名反映巴彦浩特派出所执法人员王志强",
        ),
    ] {
        let cx = |today: &str| {
            let mut c = ctx(today);
            c.regulation = Some(crate::testing::regulation("002"));
            c
        };
        let mut case = new_case();
        run(
            &mut case,
            receive(finding, who),
            &office(),
            &cx("2026-03-02"),
        )
        .unwrap();
        run(
            &mut case,
            json!({ "action": "name_clearing_review", "confirmed": true, "opinion": "属实" }),
            &office(),
            &cx("2026-03-03"),
        )
        .unwrap();
        let cmd = match finding {
            "untrue" => {
                json!({ "action": "name_clearing_feedback", "content": "举报内容经查不属实。" })
            }
            "unfounded" => {
                json!({ "action": "name_clearing_explain", "scope": "本办", "content": "查无实据。" })
            }
            _ => {
                json!({ "action": "name_clearing_issue_notice", "scope": "本办", "means": "meeting", "clarification": "不存在该问题。" })
            }
        };
        run(&mut case, cmd, &office(), &cx("2026-03-04")).unwrap();
        let n = &case.documents()[0];
        assert!(n.text.contains(says), "{}", n.text);
        assert!(!n.text.contains("民警"), "{}", n.text);
    }
}

/// 003 §14: a prison clears its officer's name under its own regulation — the 正名通知书 cites
/// 003 §14 and is signed by the prison's 民警依法履职保护委员会办公室, never 001's 维权办.
#[test]
fn issue20_003_s14_a_prison_clears_a_name_under_its_own_regulation() {
    assert!(NameClearing::REGULATIONS.contains(&"003"));
    let mut case = reviewed("defamation", "real_name");
    let mut c = ctx("2026-03-04");
    c.regulation = Some(crate::testing::regulation("003"));
    run(
        &mut case,
        json!({ "action": "name_clearing_issue_notice", "scope": "全监民警", "means": "meeting", "clarification": "王志强同志不存在该问题" }),
        &office(),
        &c,
    )
    .unwrap();
    let n = &case.documents()[0];
    assert!(
        n.text
            .contains("依照《福建省监狱人民警察依法履职保护实施办法（试行）》第十四条的规定"),
        "{}",
        n.text
    );
    assert!(
        n.text
            .contains("民警依法履职保护委员会办公室\n2026年3月4日"),
        "{}",
        n.text
    );
    assert!(!n.text.contains("维权办"), "{}", n.text);
}

/// 001 §13: the 正名通知书 says the slanderer was referred "同时" only when the referral is
/// recorded — naming the department — and says nothing of it when the notice goes first.
#[test]
fn s13_001_the_notice_states_a_referral_only_once_it_is_recorded() {
    let notice = json!({ "action": "name_clearing_issue_notice", "scope": "全局", "means": "circular", "clarification": "王志强同志不存在该问题" });
    let refer = json!({ "action": "name_clearing_refer", "department": "阿拉善左旗公安局法制大队", "liability": "涉嫌诬告陷害" });
    let c = ctx("2026-03-04");

    let mut first = reviewed("false_accusation", "real_name");
    run(&mut first, notice.clone(), &office(), &c).unwrap();
    let text = &first.documents()[0].text;
    assert!(!text.contains("移交"), "{text}");

    let mut referred = reviewed("false_accusation", "real_name");
    run(&mut referred, refer, &office(), &c).unwrap();
    run(&mut referred, notice, &office(), &c).unwrap();
    let text = &referred.documents()[0].text;
    assert!(
        text.contains("对侵权违法行为人，已同时移交阿拉善左旗公安局法制大队依法追究责任。"),
        "{text}"
    );
}
