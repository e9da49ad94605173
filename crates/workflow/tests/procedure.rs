//! End-to-end paths of the application procedure (000 Chapters 3–4), on real 2024 dates.
//! Working days around the 2024 holidays: 国庆 10-01..10-07 off, 09-29 (Sun) and 10-12 (Sat)
//! worked; the expected dates below were counted by hand from the State Council notice.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use common::*;
use lvzhi_workflow::*;

fn file_and_register(c: &mut Case, on: chrono::NaiveDate) {
    c.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        on,
    );
    c.ok(&office(), Command::Register, on);
}

#[test]
fn art_13_16_23_26_27_accepted_opinion_no_appeal_publicity_recommendation_adopted() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    // 7 working days from 2024-09-27 run across 国庆: 9-29, 9-30, 10-8 … 10-12.
    let dl = c.deadlines();
    assert_eq!(dl.len(), 1);
    assert_eq!(
        (dl[0].step, dl[0].due, dl[0].provisional),
        (Step::Acceptance, d(2024, 10, 12), false)
    );
    assert_eq!(dl[0].article, "000 §13");

    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    assert_eq!(c.state.acceptance, Some(AcceptanceKind::Written));
    let notice = c.last_document();
    assert_eq!(notice.kind, DocumentKind::AcceptanceNotice);
    assert!(
        notice
            .text
            .contains("2024年9月27日收到你提交的免责容错申请"),
        "{}",
        notice.text
    );
    assert!(notice.text.contains("30个工作日内"), "{}", notice.text);
    assert!(
        notice.text.contains("即最迟于2024年11月18日作出"),
        "{}",
        notice.text
    );
    assert!(notice.text.contains("第十三条"));
    assert_eq!(
        notice.copy_to,
        vec!["阿拉善左旗公安局巴彦浩特派出所".to_string()]
    );
    assert_eq!(c.deadlines()[0].due, d(2024, 11, 18));

    c.ok(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 10, 9),
    );
    c.ok(
        &office(),
        Command::RecordRecommendation {
            recommendation: Recommendation {
                outcome: "exemption".into(),
                modality: "shall".into(),
                leniency: vec![],
                citations: vec!["000 §7(一)".into()],
                explanation: "依法制止违法犯罪行为，未超出必要限度".into(),
            },
        },
        d(2024, 10, 9),
    );
    c.ok(
        &officer(),
        Command::AddEvidence {
            evidence: Evidence {
                sm3: "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0".into(),
                file_name: "执法记录仪视频.mp4".into(),
                description: "现场执法记录".into(),
            },
        },
        d(2024, 10, 10),
    );
    c.ok(
        &panel_member(),
        Command::RecordHearing {
            summary: "当面听取张伟陈述和申辩".into(),
        },
        d(2024, 10, 21),
    );
    c.ok(
        &panel_member(),
        Command::RecordSiteVisit {
            place: "巴彦浩特镇某小区".into(),
            summary: "走访现场目击群众三人".into(),
        },
        d(2024, 10, 22),
    );
    c.ok(
        &panel_member(),
        Command::DraftOpinion {
            determination: exemption(),
        },
        d(2024, 11, 12),
    );
    c.ok(
        &deputy(),
        Command::ApproveOpinion { comment: None },
        d(2024, 11, 14),
    );
    c.ok(&office(), Command::IssueOpinion, d(2024, 11, 15));
    let opinion = c.last_document();
    assert_eq!(opinion.kind, DocumentKind::ReviewOpinion);
    assert!(
        opinion.text.contains("应当依法履职免责"),
        "{}",
        opinion.text
    );
    assert!(
        opinion.text.contains("10个工作日内向本委申请复议"),
        "{}",
        opinion.text
    );
    assert!(
        opinion.text.contains("最迟应于2024年11月29日提出"),
        "{}",
        opinion.text
    );
    assert_eq!(c.deadlines()[0].step, Step::ReconsiderationApply);
    assert_eq!(c.deadlines()[0].due, d(2024, 11, 29));

    // No appeal: not final on the last day of the window, final the next working day.
    let msg = c.refused(
        &office(),
        Command::StartPublicity {
            place: "巴彦浩特派出所".into(),
            days: None,
        },
        d(2024, 11, 29),
    );
    assert!(
        msg.contains("认定意见尚未生效") && msg.contains("2024年11月29日"),
        "{msg}"
    );
    c.ok(
        &office(),
        Command::StartPublicity {
            place: "巴彦浩特派出所公示栏".into(),
            days: None,
        },
        d(2024, 12, 2),
    );
    // 5 日 from 12-02 end on Saturday 12-07, moved to Monday 12-09.
    assert_eq!(c.state.publicity.as_ref().unwrap().ends_on, d(2024, 12, 9));
    let notice = c.last_document();
    assert_eq!(notice.kind, DocumentKind::PublicityNotice);
    assert!(
        notice.text.contains("不少于5日") && notice.text.contains("2024年12月9日"),
        "{}",
        notice.text
    );
    let msg = c.refused(&office(), Command::ClosePublicity, d(2024, 12, 9));
    assert!(
        msg.contains("届满前不能结束公示") && msg.contains("000 §23"),
        "{msg}"
    );
    c.ok(&office(), Command::ClosePublicity, d(2024, 12, 10));

    c.ok(
        &director(),
        Command::SendRecommendation {
            proposal: Proposal::Revoke,
            reasons: "民警依法履职，所受记过处分缺乏事实依据".into(),
        },
        d(2024, 12, 10),
    );
    let rec = c.last_document();
    assert_eq!(rec.kind, DocumentKind::Recommendation);
    assert_eq!(rec.addressee, "阿拉善左旗公安局督察大队");
    assert!(
        rec.text.contains("建议撤销原问责处理决定") && rec.text.contains("第二十七条"),
        "{}",
        rec.text
    );
    c.ok(
        &department(),
        Command::AnswerRecommendation {
            adopted: true,
            justification: None,
        },
        d(2024, 12, 12),
    );
    assert_eq!(c.state.current_sanction, None);
    assert_eq!(c.state.original_sanction, Some(Sanction::Demerit));

    // Result use (000 §30–31).
    c.ok(
        &unit(),
        Command::ApplyProtections {
            officer_id: "p-zhang".into(),
        },
        d(2024, 12, 13),
    );
    assert_eq!(c.state.result_use["p-zhang"].protections.len(), 4);
    c.ok(
        &unit(),
        Command::RecordCounselling {
            officer_id: "p-zhang".into(),
            summary: "所长与张伟谈心谈话".into(),
        },
        d(2024, 12, 13),
    );
    let msg = c.refused(
        &unit(),
        Command::SetRectification {
            officer_id: "p-zhang".into(),
            measures: "x".into(),
            follow_up: "y".into(),
        },
        d(2024, 12, 13),
    );
    assert!(msg.contains("容错的民警"), "{msg}");
    assert!(c.deadlines().is_empty());
    // Every required notice exists: acceptance, opinion, publicity, recommendation.
    let kinds: Vec<DocumentKind> = c.state.documents.iter().map(|x| x.kind).collect();
    assert_eq!(
        kinds,
        vec![
            DocumentKind::AcceptanceNotice,
            DocumentKind::ReviewOpinion,
            DocumentKind::PublicityNotice,
            DocumentKind::Recommendation
        ]
    );
}

#[test]
fn art_13_rejection_states_its_reasons_and_is_refused_without_them() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    for empty in ["", "  \n "] {
        let msg = c.refused(
            &office(),
            Command::Reject {
                reasons: empty.into(),
            },
            d(2024, 10, 8),
        );
        assert_eq!(msg, "不予受理的，应当书面告知不予受理的理由（000 §13）");
    }
    assert_eq!(c.state.stage, Stage::Registered);
    c.ok(
        &office(),
        Command::Reject {
            reasons: "申请事项不属于问责处理决定，不符合第十二条规定的申请条件。".into(),
        },
        d(2024, 10, 12),
    );
    assert_eq!(c.state.stage, Stage::Rejected);
    let doc = c.last_document();
    assert_eq!(doc.kind, DocumentKind::RejectionNotice);
    assert!(
        doc.text.contains("决定不予受理") && doc.text.contains("不符合第十二条规定的申请条件"),
        "{}",
        doc.text
    );
    // Nothing of the review is open after a rejection, and nothing is due.
    assert!(c.deadlines().is_empty());
    assert_eq!(c.tick(d(2024, 10, 14)), 0);
    c.refused(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 10, 14),
    );
}

#[test]
fn art_13_deemed_accepted_by_the_scheduler_across_national_day_2024() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    // The last day (Saturday 10-12, a make-up working day) still belongs to the office.
    assert_eq!(c.tick(d(2024, 10, 12)), 0);
    assert_eq!(c.state.stage, Stage::Registered);
    // Before the scheduler runs, a late decision is refused, never silently accepted.
    let msg = c.refused(
        &office(),
        Command::Reject {
            reasons: "不符合条件".into(),
        },
        d(2024, 10, 13),
    );
    assert!(
        msg.contains("已于2024年10月12日届满") && msg.contains("视为受理"),
        "{msg}"
    );

    // Fires on the first day after the last day, effective as of the last day.
    assert_eq!(c.tick(d(2024, 10, 14)), 1);
    let e = c.events.last().unwrap().clone();
    assert_eq!(e.by.role, Role::System);
    assert_eq!(e.on, d(2024, 10, 14));
    assert!(
        matches!(e.kind, EventKind::DeemedAccepted { effective_on, .. } if effective_on == d(2024, 10, 12))
    );
    assert_eq!(c.state.stage, Stage::UnderReview);
    assert_eq!(c.state.acceptance, Some(AcceptanceKind::Deemed));
    assert_eq!(c.state.accepted_on, Some(d(2024, 10, 12)));
    // Opinion: 30 working days from 10-12 is 11-22, whichever day the scheduler ran.
    assert_eq!(c.deadlines()[0].due, d(2024, 11, 22));
    let doc = c.last_document();
    assert_eq!(doc.kind, DocumentKind::DeemedAcceptanceNotice);
    assert!(
        doc.text.contains("视为受理") && doc.text.contains("2024年11月22日"),
        "{}",
        doc.text
    );

    // Exactly once: nothing more is due, and a replayed copy of the event is refused.
    assert_eq!(c.tick(d(2024, 10, 15)), 0);
    let err = try_apply(c.state.clone(), &e).unwrap_err().to_string();
    assert!(err.contains("不能记录“视为受理”"), "{err}");
    let msg = c.refused(&office(), Command::Accept, d(2024, 10, 15));
    assert!(msg.contains("不能决定受理"), "{msg}");
}

#[test]
fn art_18_20_two_extensions_deputy_may_grant_the_first_only_the_director_the_second() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    assert_eq!(c.deadlines()[0].due, d(2024, 11, 18));

    let msg = c.refused(
        &office(),
        Command::ExtendReview {
            grounds: "案情复杂".into(),
        },
        d(2024, 11, 1),
    );
    assert!(
        msg.contains("本级维权委主任或者副主任") && msg.contains("000 §18"),
        "{msg}"
    );
    let msg = c.refused(
        &deputy(),
        Command::ExtendReview {
            grounds: " ".into(),
        },
        d(2024, 11, 1),
    );
    assert!(msg.contains("案情重大、情况复杂"), "{msg}");
    c.ok(
        &deputy(),
        Command::ExtendReview {
            grounds: "涉及多名证人，社会关注度高".into(),
        },
        d(2024, 11, 1),
    );
    // +15 working days from 11-18.
    assert_eq!(c.deadlines()[0].due, d(2024, 12, 9));
    // 000 §20 (未能在规定期限内审查论证完毕, the period as §18 extended it): the second extension
    // is not granted with the first — not the same day, not before the original last day (11-18)
    // has passed and the first extension's added period begun.
    for day in [d(2024, 11, 1), d(2024, 11, 18)] {
        let msg = c.refused(
            &director(),
            Command::ExtendReview {
                grounds: "仍需补充鉴定".into(),
            },
            day,
        );
        assert!(
            msg.contains("第一次延长的期间开始后方可再次延长")
                && msg.contains("原定审查论证期限至2024年11月18日届满")
                && msg.contains("000 §20"),
            "{msg}"
        );
    }
    let doc = c.last_document();
    assert_eq!(doc.kind, DocumentKind::ExtensionApproval);
    assert!(
        doc.text.contains("经本委副主任批准") && doc.text.contains("2024年12月9日"),
        "{}",
        doc.text
    );

    let msg = c.refused(
        &deputy(),
        Command::ExtendReview {
            grounds: "仍需补充鉴定".into(),
        },
        d(2024, 12, 2),
    );
    assert_eq!(
        msg,
        "无权再次延长审查论证期限：应由本级维权委主任办理（000 §20）"
    );
    c.ok(
        &director(),
        Command::ExtendReview {
            grounds: "需等待司法鉴定结论".into(),
        },
        d(2024, 12, 2),
    );
    assert_eq!(c.deadlines()[0].due, d(2024, 12, 30));
    assert_eq!(c.deadlines()[0].article, "000 §16、§18、§20");
    assert!(
        c.last_document().text.contains("再延长15个工作日"),
        "{}",
        c.last_document().text
    );
    let msg = c.refused(
        &director(),
        Command::ExtendReview {
            grounds: "再等".into(),
        },
        d(2024, 12, 3),
    );
    assert!(msg.contains("已经两次延长"), "{msg}");

    // An extension after the period has run out is refused.
    let mut late = Case::new();
    file_and_register(&mut late, d(2024, 9, 27));
    late.ok(&office(), Command::Accept, d(2024, 10, 8));
    let msg = late.refused(
        &director(),
        Command::ExtendReview {
            grounds: "案情复杂".into(),
        },
        d(2024, 11, 19),
    );
    assert!(msg.contains("已于2024年11月18日届满"), "{msg}");
}

#[test]
fn art_17_interim_line_only_for_major_or_overdue_cases() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    let line = Command::RecordInterimLine {
        public_line: "案件正在依法审查".into(),
        measures: "每周会商一次".into(),
    };
    let msg = c.refused(&office(), line.clone(), d(2024, 11, 1));
    assert!(msg.contains("000 §17"), "{msg}");
    c.ok(&office(), line, d(2024, 11, 19));
    assert_eq!(c.state.interim_lines.len(), 1);
}

#[test]
fn art_21_reconsideration_then_re_review_at_the_parent_committee() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    c.ok(
        &officer(),
        Command::ApplyReconsideration {
            grounds: "审查论证未听取现场证人意见".into(),
            new_evidence: None,
        },
        d(2024, 11, 20),
    );
    let dl = c.deadlines();
    assert_eq!(
        (dl[0].step, dl[0].due),
        (Step::ReconsiderationReply, d(2024, 12, 11))
    );
    let msg = c.refused(
        &office(),
        Command::ReplyReconsideration {
            upheld: true,
            reasoning: "x".into(),
            revised: None,
        },
        d(2024, 12, 5),
    );
    assert!(msg.contains("无权回复复议意见"), "{msg}");
    c.ok(
        &director(),
        Command::ReplyReconsideration {
            upheld: true,
            reasoning: "经复查，原意见认定事实清楚".into(),
            revised: None,
        },
        d(2024, 12, 5),
    );
    let reply = c.last_document();
    assert_eq!(reply.kind, DocumentKind::ReconsiderationReply);
    assert!(
        reply.text.contains("维持原审查论证意见") && reply.text.contains("2024年12月19日"),
        "{}",
        reply.text
    );
    assert_eq!(
        (c.deadlines()[0].step, c.deadlines()[0].due),
        (Step::ReReviewApply, d(2024, 12, 19))
    );

    c.ok(
        &unit(),
        Command::ApplyReReview {
            grounds: "复议意见未回应证人证言问题".into(),
            new_evidence: None,
        },
        d(2024, 12, 10),
    );
    let appeal = c.state.appeals.last().unwrap();
    assert_eq!(appeal.to.id, MENG);
    assert_eq!(appeal.copy_to.as_ref().map(|o| o.id.as_str()), Some(QI));
    assert_eq!(c.deadlines()[0].responsible, Role::HigherCommittee);
    // The 复核 belongs to the parent committee, not to this level's director.
    let msg = c.refused(
        &director(),
        Command::ReplyReReview {
            upheld: true,
            reasoning: "维持".into(),
            revised: None,
        },
        d(2024, 12, 20),
    );
    assert!(msg.contains("上一级公安机关维权委"), "{msg}");
    let mut tolerance = exemption();
    tolerance.outcome = Outcome::Tolerance;
    tolerance.leniency = Some(Leniency::Waived);
    c.ok(
        &parent_committee(),
        Command::ReplyReReview {
            upheld: false,
            reasoning: "民警处置中存在判断失误，但系情况紧急所致".into(),
            revised: Some(tolerance.clone()),
        },
        d(2024, 12, 20),
    );
    let doc = c.last_document();
    assert_eq!(doc.kind, DocumentKind::ReReviewReply);
    assert!(
        doc.text
            .contains("阿拉善盟公安局维护民警执法权威工作委员会"),
        "{}",
        doc.text
    );
    assert!(
        doc.copy_to
            .contains(&"阿拉善左旗公安局维护民警执法权威工作委员会".to_string()),
        "{:?}",
        doc.copy_to
    );
    assert_eq!(c.state.determination.as_ref(), Some(&tolerance));
    // Final at once after the 复核: publicity may start the same day.
    c.ok(
        &office(),
        Command::StartPublicity {
            place: "巴彦浩特派出所".into(),
            days: None,
        },
        d(2024, 12, 20),
    );
    assert!(
        c.last_document().text.contains("应当容错（免于追究）"),
        "{}",
        c.last_document().text
    );
}

#[test]
fn art_21_late_reconsideration_is_refused_with_its_last_day() {
    let base = Case::issued(d(2024, 8, 1), d(2024, 8, 5), d(2024, 9, 20));
    let apply = Command::ApplyReconsideration {
        grounds: "认定事实错误".into(),
        new_evidence: None,
    };
    // 10 working days from 09-20 across 国庆: …, 09-29, 09-30, 10-08, 10-09, 10-10.
    let mut late = Case {
        state: base.state.clone(),
        events: base.events.clone(),
    };
    let msg = late.refused(&officer(), apply.clone(), d(2024, 10, 11));
    assert_eq!(
        msg,
        "复议申请已超过期限：应于2024年10月10日前提出（000 §21）"
    );
    let mut in_time = Case {
        state: base.state.clone(),
        events: base.events.clone(),
    };
    in_time.ok(&officer(), apply.clone(), d(2024, 10, 10));

    // Delivered four days after issue: the period counts from receipt.
    let mut delivered = Case {
        state: base.state.clone(),
        events: base.events.clone(),
    };
    let msg = delivered.refused(
        &office(),
        Command::RecordReceipt {
            received_on: d(2024, 9, 19),
        },
        d(2024, 9, 25),
    );
    assert!(msg.contains("送达日期应当在"), "{msg}");
    delivered.ok(
        &office(),
        Command::RecordReceipt {
            received_on: d(2024, 9, 24),
        },
        d(2024, 9, 25),
    );
    assert_eq!(delivered.deadlines()[0].due, d(2024, 10, 12));
    delivered.ok(&officer(), apply.clone(), d(2024, 10, 11));
    let mut too_late = Case {
        state: base.state,
        events: base.events,
    };
    too_late.ok(
        &office(),
        Command::RecordReceipt {
            received_on: d(2024, 9, 24),
        },
        d(2024, 9, 25),
    );
    let msg = too_late.refused(&officer(), apply, d(2024, 10, 13));
    assert_eq!(
        msg,
        "复议申请已超过期限：应于2024年10月12日前提出（000 §21）"
    );
}

#[test]
fn art_21_no_second_reconsideration_on_the_same_reason_unless_new_evidence() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    c.ok(
        &officer(),
        Command::ApplyReconsideration {
            grounds: "审查论证未听取现场证人意见。".into(),
            new_evidence: None,
        },
        d(2024, 11, 20),
    );
    c.ok(
        &director(),
        Command::ReplyReconsideration {
            upheld: true,
            reasoning: "已听取".into(),
            revised: None,
        },
        d(2024, 12, 5),
    );
    // Same reason, differently punctuated: refused.
    let msg = c.refused(
        &officer(),
        Command::ApplyReconsideration {
            grounds: " 审查论证未听取现场证人意见 ".into(),
            new_evidence: None,
        },
        d(2024, 12, 9),
    );
    assert!(
        msg.starts_with("不得因同一事项、以同一事由重复申请复议") && msg.ends_with("（000 §21）"),
        "{msg}"
    );
    // Marking blank "new evidence" does not count.
    c.refused(
        &officer(),
        Command::ApplyReconsideration {
            grounds: "审查论证未听取现场证人意见".into(),
            new_evidence: Some("  ".into()),
        },
        d(2024, 12, 9),
    );
    c.ok(
        &officer(),
        Command::ApplyReconsideration {
            grounds: "审查论证未听取现场证人意见".into(),
            new_evidence: Some("新发现的目击证人李某证言，可能推翻原结论".into()),
        },
        d(2024, 12, 9),
    );
    assert_eq!(c.state.stage, Stage::ReconsiderationPending);
    assert_eq!(c.state.appeals.len(), 2);
}

/// The applicant applies for 复议 on 2024-11-20 and the department then makes the linked
/// sanction heavier (降级) on 2024-11-25: what 000 §21 ¶3 flags for review.
fn appeal_then_demote(c: &mut Case) {
    c.ok(
        &officer(),
        Command::ApplyReconsideration {
            grounds: "原意见认定错误".into(),
            new_evidence: None,
        },
        d(2024, 11, 20),
    );
    c.ok(
        &department(),
        Command::RecordSanctionChange {
            sanction: Some(Sanction::Demotion),
            reason: "从严处理".into(),
        },
        d(2024, 11, 25),
    );
}

#[test]
fn art_21_a_heavier_sanction_after_an_appeal_is_recorded_and_flagged_for_review() {
    // 000 §21 ¶3 forbids a heavier sanction *because of* an appeal; the record must say what was
    // decided, so a heavier one is recorded — and flagged for the committee to review whether
    // the appeal was the cause (000 §37(六): retaliation is an accountability matter).
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    // Before any appeal the accountability process runs on its own (000 §22): not flagged.
    c.ok(
        &department(),
        Command::RecordSanctionChange {
            sanction: Some(Sanction::MajorDemerit),
            reason: "查明新的违纪事实".into(),
        },
        d(2024, 11, 18),
    );
    assert!(c.state.heavier_after_appeal.is_empty());
    appeal_then_demote(&mut c);
    assert_eq!(c.state.current_sanction, Some(Sanction::Demotion));
    assert_eq!(c.state.heavier_after_appeal, vec![d(2024, 11, 25)]);
    let last = c.events.last().unwrap();
    assert!(
        matches!(
            &last.kind,
            EventKind::SanctionChanged {
                heavier_after_appeal: true,
                ..
            }
        ),
        "{last:?}"
    );
    assert!(
        last.describe_zh().contains("复议复核后加重处理"),
        "{}",
        last.describe_zh()
    );
    // The case page shows the flag among the case's facts, with the articles to review it by.
    let facts = <Application as lvzhi_case::Process>::facts(&c.state);
    let flag = facts
        .iter()
        .find(|f| f.label.contains("申请复议复核后加重处理"))
        .unwrap_or_else(|| panic!("no flag among {facts:?}"));
    assert!(
        flag.value.contains("2024年11月25日加重为“降级”")
            && flag.value.contains("000 §21¶3")
            && flag.value.contains("000 §37(六)"),
        "{}",
        flag.value
    );
    // A lighter change after the appeal is recorded and not flagged.
    c.ok(
        &department(),
        Command::RecordSanctionChange {
            sanction: Some(Sanction::Warning),
            reason: "复查后减轻".into(),
        },
        d(2024, 11, 26),
    );
    assert_eq!(c.state.current_sanction, Some(Sanction::Warning));
    assert_eq!(c.state.heavier_after_appeal.len(), 1);
}

#[test]
fn art_21_3_and_37_6_the_committee_reviews_the_flag_and_refers_a_retaliation() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    let review = |retaliation: bool, persons: &str, to: &str| Command::ReviewHeavierSanction {
        retaliation,
        finding: "原决定部门在申请人申请复议后五日内无新的事实加重处理".into(),
        persons: persons.into(),
        referred_to: to.into(),
    };
    // Nothing flagged, nothing to review.
    let msg = c.refused(&deputy(), review(false, "", ""), d(2024, 11, 18));
    assert!(msg.contains("没有待审查"), "{msg}");
    appeal_then_demote(&mut c);
    assert_eq!(c.state.heavier_unreviewed(), 1);
    assert!(c
        .sees(&deputy(), d(2024, 11, 26))
        .contains(&"review_heavier_sanction"));
    // The 维权委's 主任 or 副主任 reviews it, not the office.
    let msg = c.refused(&office(), review(false, "", ""), d(2024, 11, 26));
    assert!(msg.contains("本级维权委主任或者副主任"), "{msg}");
    // A retaliation names who answers for it and where it goes (000 §37(六)).
    let msg = c.refused(&deputy(), review(true, "", ""), d(2024, 11, 26));
    assert!(msg.contains("相关领导和责任人"), "{msg}");
    let msg = c.refused(&deputy(), review(false, "李某", ""), d(2024, 11, 26));
    assert!(msg.contains("不填写责任人"), "{msg}");
    let evs = c.ok(
        &deputy(),
        review(true, "巴彦浩特派出所所长李某", "阿拉善盟公安局纪检监察室"),
        d(2024, 11, 26),
    );
    assert_eq!(evs.len(), 2);
    assert_eq!(c.state.heavier_unreviewed(), 0);
    let r = &c.state.referrals[0];
    assert_eq!(r.conduct, Misconduct::Retaliation);
    assert_eq!(r.article, "§37(六)");
    assert!(!c
        .sees(&deputy(), d(2024, 11, 26))
        .contains(&"review_heavier_sanction"));
    let facts = <Application as lvzhi_case::Process>::facts(&c.state);
    let flag = facts
        .iter()
        .find(|f| f.label.contains("申请复议复核后加重处理"))
        .unwrap_or_else(|| panic!("no flag among {facts:?}"));
    assert!(flag.label.contains("已审查"), "{}", flag.label);
    assert!(flag.value.contains("已移送追究"), "{}", flag.value);
    let referral = facts
        .iter()
        .find(|f| f.label == "移送追究责任")
        .unwrap_or_else(|| panic!("no referral among {facts:?}"));
    assert!(
        referral.value.contains("第三十七条第（六）项")
            && referral.value.contains("阿拉善盟公安局纪检监察室"),
        "{}",
        referral.value
    );
    // A second heavier change after the review is flagged again.
    c.ok(
        &department(),
        Command::RecordSanctionChange {
            sanction: Some(Sanction::RemovalFromPost),
            reason: "再次加重".into(),
        },
        d(2024, 11, 27),
    );
    assert_eq!(c.state.heavier_unreviewed(), 1);
}

#[test]
fn art_37_the_office_refers_the_conduct_of_officials_for_accountability() {
    let mut c = Case::new();
    let refer = |persons: &str| Command::ReferForAccountability {
        conduct: Misconduct::LostEvidence,
        persons: persons.into(),
        facts: "执法记录仪视频未按规定上传，致现场证据灭失".into(),
        referred_to: "阿拉善左旗公安局督察大队".into(),
    };
    c.refused(&office(), refer("王某"), d(2024, 9, 26));
    file_and_register(&mut c, d(2024, 9, 27));
    let msg = c.refused(&unit(), refer("王某"), d(2024, 9, 30));
    assert!(msg.contains("000 §37"), "{msg}");
    let msg = c.refused(&office(), refer(" "), d(2024, 9, 30));
    assert!(msg.contains("相关领导和责任人"), "{msg}");
    assert!(c
        .sees(&office(), d(2024, 9, 30))
        .contains(&"refer_for_accountability"));
    c.ok(&office(), refer("法制大队民警王某"), d(2024, 9, 30));
    assert_eq!(c.state.referrals[0].article, "§37(四)");
    assert!(c.events.last().unwrap().describe_zh().contains("移送追究"));
    // A unit's regulation without the article has no such step.
    let mut own = reg();
    own.steps.remove("accountability");
    let err = decide(
        &c.state,
        &refer("王某"),
        &office(),
        d(2024, 9, 30),
        &CAL,
        &periods(),
        &own,
    )
    .expect_err("no accountability procedure in the unit's pack");
    assert!(
        err.to_string().contains("移送追究相关领导和责任人的责任"),
        "{err}"
    );
}

/// 000 §6: 开展问责调查过程中，应当同步审查是否具有免责容错的情形和条件. The office links an
/// accountability investigation in progress to the case, once the case is filed; it shows among
/// the facts; a unit's pack without the step has no such link.
#[test]
fn art_6_the_review_runs_alongside_an_accountability_investigation() {
    let mut c = Case::new();
    let link = |matter: &str| Command::LinkAccountabilityInquiry {
        inquiry: AccountabilityInquiry {
            body: "阿拉善左旗公安局纪检监察室".into(),
            matter: matter.into(),
            started_on: d(2024, 9, 20),
        },
    };
    c.refused(
        &office(),
        link("张某处置警情中致人受伤问题"),
        d(2024, 9, 26),
    );
    file_and_register(&mut c, d(2024, 9, 27));
    let msg = c.refused(&unit(), link("张某处置警情中致人受伤问题"), d(2024, 9, 30));
    assert!(msg.contains("000 §6"), "{msg}");
    let msg = c.refused(&office(), link(" "), d(2024, 9, 30));
    assert!(msg.contains("问责调查的事项"), "{msg}");
    c.ok(
        &office(),
        link("张某处置警情中致人受伤问题"),
        d(2024, 9, 30),
    );
    let msg = c.refused(
        &office(),
        link("张某处置警情中致人受伤问题"),
        d(2024, 10, 8),
    );
    assert!(msg.contains("已经关联"), "{msg}");
    let facts = <Application as lvzhi_case::Process>::facts(&c.state);
    assert!(
        facts.iter().any(|f| f.label == "同步审查的问责调查（第六条）"
            && f.value
                == "阿拉善左旗公安局纪检监察室自2024年9月20日开展问责调查：张某处置警情中致人受伤问题（2024年9月30日关联）"),
        "{facts:?}"
    );
    let mut own = reg();
    own.steps.remove("concurrent_review");
    let err = decide(
        &c.state,
        &link("另一事项"),
        &office(),
        d(2024, 10, 8),
        &CAL,
        &periods(),
        &own,
    )
    .expect_err("no concurrent review in the unit's pack");
    assert!(
        err.to_string().contains("[[procedure]] concurrent_review"),
        "{err}"
    );
}

/// 000 §11: the officer 应立即向所在单位报告，并保护现场、固定证据; the unit 应立即派员赶到现场.
/// The review records what it found (the office or a panel member, while the case is under
/// review), shown among the facts for rule r11 (证据流失 by the officer's own breach); a unit's
/// pack without the step has no such record.
#[test]
fn art_11_the_review_records_the_officers_report_and_the_units_dispatch() {
    let mut c = Case::new();
    let record = |on: chrono::NaiveDate| Command::RecordOnSceneReport {
        report: OnSceneReport {
            reported_on: on,
            scene_protected: true,
            evidence: " 执法记录仪视频、现场照片 ".into(),
            dispatched: true,
            unit_actions: "所长带队到场，协助固定证据并控制现场".into(),
        },
    };
    file_and_register(&mut c, d(2024, 9, 27));
    c.refused(&office(), record(d(2024, 6, 3)), d(2024, 9, 30));
    c.ok(&office(), Command::Accept, d(2024, 9, 30));
    let msg = c.refused(&officer(), record(d(2024, 6, 3)), d(2024, 10, 8));
    assert!(msg.contains("记录民警报告和现场处置情况"), "{msg}");
    let msg = c.refused(&office(), record(d(2024, 10, 9)), d(2024, 10, 8));
    assert!(msg.contains("000 §11"), "{msg}");
    assert!(c
        .sees(&office(), d(2024, 10, 8))
        .contains(&"record_on_scene_report"));
    c.ok(&office(), record(d(2024, 6, 3)), d(2024, 10, 8));
    let facts = <Application as lvzhi_case::Process>::facts(&c.state);
    let fact = facts
        .iter()
        .find(|f| f.label == "民警报告和现场处置（第十一条）")
        .unwrap_or_else(|| panic!("no §11 fact among {facts:?}"));
    assert_eq!(
        fact.value,
        "2024年6月3日向所在单位报告；民警保护现场、固定证据（执法记录仪视频、现场照片）；所在单位立即派员赶到现场：所长带队到场，协助固定证据并控制现场（2024年10月8日记录）"
    );
    let mut own = reg();
    own.steps.remove("on_scene_report");
    let err = decide(
        &c.state,
        &record(d(2024, 6, 3)),
        &office(),
        d(2024, 10, 8),
        &CAL,
        &periods(),
        &own,
    )
    .expect_err("no on-scene procedure in the unit's pack");
    assert!(
        err.to_string().contains("[[procedure]] on_scene_report"),
        "{err}"
    );
}

#[test]
fn art_22_the_case_never_blocks_the_accountability_decision() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    c.ok(
        &department(),
        Command::RecordSanctionChange {
            sanction: Some(Sanction::Warning),
            reason: "申诉程序中变更".into(),
        },
        d(2024, 10, 9),
    );
    c.ok(&office(), Command::Accept, d(2024, 10, 10));
    assert_eq!(c.state.stage, Stage::UnderReview);
    assert_eq!(c.state.current_sanction, Some(Sanction::Warning));
}

#[test]
fn art_27_department_declining_needs_a_proper_reason() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    c.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 18));
    c.ok(
        &director(),
        Command::SendRecommendation {
            proposal: Proposal::Change {
                to: Sanction::Admonition,
            },
            reasons: "过责不相当".into(),
        },
        d(2024, 11, 18),
    );
    for j in [None, Some(String::new()), Some("  ".to_string())] {
        let msg = c.refused(
            &department(),
            Command::AnswerRecommendation {
                adopted: false,
                justification: j,
            },
            d(2024, 11, 25),
        );
        assert!(
            msg.contains("必须书面说明正当理由") && msg.ends_with("（000 §27）"),
            "{msg}"
        );
    }
    c.refused(
        &office(),
        Command::AnswerRecommendation {
            adopted: true,
            justification: None,
        },
        d(2024, 11, 25),
    );
    c.ok(
        &department(),
        Command::AnswerRecommendation {
            adopted: false,
            justification: Some("已有生效判决认定民警存在过错".into()),
        },
        d(2024, 11, 25),
    );
    assert_eq!(c.state.current_sanction, Some(Sanction::Demerit));
    c.refused(
        &department(),
        Command::AnswerRecommendation {
            adopted: true,
            justification: None,
        },
        d(2024, 11, 26),
    );
}

#[test]
fn art_26_a_change_must_be_lighter_and_follow_an_improper_decision_finding() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    c.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 18));
    let msg = c.refused(
        &director(),
        Command::SendRecommendation {
            proposal: Proposal::Change {
                to: Sanction::MajorDemerit,
            },
            reasons: "x".into(),
        },
        d(2024, 11, 18),
    );
    assert!(msg.contains("应当轻于现行处理"), "{msg}");
    c.refused(
        &office(),
        Command::SendRecommendation {
            proposal: Proposal::Revoke,
            reasons: "x".into(),
        },
        d(2024, 11, 18),
    );
}

#[test]
fn art_19_external_participants_meet_all_seven_conditions_and_declare_no_conflict() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    let all = Eligibility {
        political_stance: true,
        integrity: true,
        no_criminal_record: true,
        no_disciplinary_record: true,
        experience_authority: true,
        no_conflict: true,
        confidentiality: true,
    };
    let expert = |e: Eligibility, decl: &str| ExternalParticipant {
        person_id: "x-lawyer".into(),
        name: "王律师".into(),
        category: ExternalCategory::LegalExpert,
        eligibility: e,
        no_conflict_declaration: decl.into(),
    };
    let cmd = |p, g: &str| Command::ApproveExternalParticipant {
        participant: p,
        grounds: g.into(),
    };
    let msg = c.refused(
        &office(),
        cmd(expert(all, "无利害关系"), "案情重大"),
        d(2024, 10, 9),
    );
    assert!(msg.contains("主任或者副主任"), "{msg}");
    let msg = c.refused(
        &deputy(),
        cmd(expert(all, "无利害关系"), ""),
        d(2024, 10, 9),
    );
    assert!(msg.contains("000 §18"), "{msg}");
    let mut lacking = all;
    lacking.no_disciplinary_record = false;
    lacking.confidentiality = false;
    let msg = c.refused(
        &deputy(),
        cmd(expert(lacking, "无利害关系"), "案情重大"),
        d(2024, 10, 9),
    );
    assert!(
        msg.contains("（四）未受过党纪、政务处分")
            && msg.contains("（七）")
            && msg.contains("000 §19"),
        "{msg}"
    );
    let msg = c.refused(&deputy(), cmd(expert(all, ""), "案情重大"), d(2024, 10, 9));
    assert!(msg.contains("000 §19(六)"), "{msg}");
    c.ok(
        &deputy(),
        cmd(
            expert(all, "本人与申请人、申请单位及审查事项无利害关系"),
            "社会影响较大",
        ),
        d(2024, 10, 9),
    );
    assert_eq!(c.state.externals.len(), 1);
    assert!(c.state.major_grounds.is_some());
    c.refused(&deputy(), cmd(expert(all, "无"), "x"), d(2024, 10, 9));
}

#[test]
fn art_14_opinion_needs_a_panel_a_basis_reasons_for_departing_and_leader_approval() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    let msg = c.refused(
        &office(),
        Command::DraftOpinion {
            determination: exemption(),
        },
        d(2024, 10, 9),
    );
    assert!(msg.contains("尚未组成审查论证组"), "{msg}");
    let msg = c.refused(
        &office(),
        Command::FormPanel {
            members: panel()[..1].to_vec(),
        },
        d(2024, 10, 9),
    );
    assert!(msg.contains("法制、纪检"), "{msg}");
    c.ok(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 10, 9),
    );
    c.ok(
        &office(),
        Command::RecordRecommendation {
            recommendation: Recommendation {
                outcome: "tolerance".into(),
                modality: "may".into(),
                leniency: vec!["lighter".into(), "reduced".into()],
                ..Default::default()
            },
        },
        d(2024, 10, 9),
    );
    let msg = c.refused(
        &panel_member(),
        Command::DraftOpinion {
            determination: exemption(),
        },
        d(2024, 10, 20),
    );
    assert!(
        msg.contains("与系统建议结论（tolerance/may/lighter、reduced）不一致"),
        "{msg}"
    );
    let mut departs = exemption();
    departs.departure_reasons = Some("执法记录仪显示民警未超出必要限度，应认定免责".into());
    let mut no_basis = departs.clone();
    no_basis.basis = " ".into();
    c.refused(
        &panel_member(),
        Command::DraftOpinion {
            determination: no_basis,
        },
        d(2024, 10, 20),
    );
    let mut bad_tol = departs.clone();
    bad_tol.outcome = Outcome::Tolerance;
    let msg = c.refused(
        &panel_member(),
        Command::DraftOpinion {
            determination: bad_tol,
        },
        d(2024, 10, 20),
    );
    assert!(msg.contains("从轻、减轻或者免于追究"), "{msg}");
    // An unassigned panel member sees nothing to do here.
    let stranger = lvzhi_workflow::Actor::new("pm-other", &[Role::PanelMember], QI);
    c.refused(
        &stranger,
        Command::DraftOpinion {
            determination: departs.clone(),
        },
        d(2024, 10, 20),
    );
    c.ok(
        &panel_member(),
        Command::DraftOpinion {
            determination: departs,
        },
        d(2024, 10, 20),
    );
    c.refused(
        &office(),
        Command::ApproveOpinion { comment: None },
        d(2024, 10, 21),
    );
    c.refused(&office(), Command::IssueOpinion, d(2024, 10, 21));
    c.ok(
        &director(),
        Command::ApproveOpinion { comment: None },
        d(2024, 10, 21),
    );
    assert_eq!(
        c.state.approved_by.as_ref().map(|b| b.role),
        Some(Role::Director)
    );
    c.ok(&office(), Command::IssueOpinion, d(2024, 10, 22));
    assert!(
        c.last_document().text.contains("执法记录仪")
            || c.state
                .determination
                .as_ref()
                .unwrap()
                .departure_reasons
                .is_some()
    );
}

#[test]
fn art_12_ex_officio_opening_starts_the_review_at_once() {
    let mut c = Case::new();
    let mut f = form();
    f.accountability_decision = None;
    c.refused(
        &officer(),
        Command::OpenExOfficio {
            form: f.clone(),
            grounds: "x".into(),
        },
        d(2024, 5, 6),
    );
    c.refused(
        &office(),
        Command::OpenExOfficio {
            form: f.clone(),
            grounds: "".into(),
        },
        d(2024, 5, 6),
    );
    c.ok(
        &office(),
        Command::OpenExOfficio {
            form: f,
            grounds: "问责调查中发现民警系依法使用警械".into(),
        },
        d(2024, 5, 6),
    );
    assert_eq!(c.state.stage, Stage::UnderReview);
    assert_eq!(c.state.acceptance, Some(AcceptanceKind::ExOfficio));
    // 30 working days from 2024-05-06: Saturday 05-11 is worked (劳动节), 06-10 is off (端午).
    assert_eq!(c.deadlines()[0].due, d(2024, 6, 17));
    assert!(
        c.last_document().text.contains("第十二条第二款"),
        "{}",
        c.last_document().text
    );
    assert_eq!(c.tick(d(2024, 7, 1)), 0);
}

#[test]
fn art_12_who_may_file() {
    let mut c = Case::new();
    let msg = c.refused(
        &other_officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        d(2024, 9, 27),
    );
    assert!(msg.contains("000 §12"), "{msg}");
    c.refused(
        &foreign_office(),
        Command::File {
            form: form(),
            received_on: Some(d(2024, 9, 20)),
        },
        d(2024, 9, 27),
    );
    c.refused(
        &officer(),
        Command::File {
            form: form(),
            received_on: Some(d(2024, 9, 20)),
        },
        d(2024, 9, 27),
    );
    let mut no_decision = form();
    no_decision.accountability_decision = None;
    let msg = c.refused(
        &officer(),
        Command::File {
            form: no_decision,
            received_on: None,
        },
        d(2024, 9, 27),
    );
    assert!(msg.contains("问责处理决定"), "{msg}");
    // A paper form received earlier is entered by the office with its real receipt date.
    c.ok(
        &office(),
        Command::File {
            form: form(),
            received_on: Some(d(2024, 9, 20)),
        },
        d(2024, 9, 27),
    );
    assert_eq!(c.state.filer, Some(Filer::OfficeOnBehalf));
    // 7 working days from Friday 09-20: 09-23 … 09-27, Sunday 09-29 (worked), 09-30.
    assert_eq!(c.deadlines()[0].due, d(2024, 9, 30));
    c.refused(
        &unit(),
        Command::File {
            form: form(),
            received_on: None,
        },
        d(2024, 9, 27),
    );
}

#[test]
fn art_23_publicity_lasts_at_least_five_days_and_the_office_may_set_longer() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    c.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 18));
    let publicity = |days| Command::StartPublicity {
        place: "派出所".into(),
        days,
    };
    // 不少于五日: fewer is refused.
    let msg = c.refused(&office(), publicity(Some(3)), d(2024, 11, 18));
    assert!(
        msg.contains("公示期不少于5日") && msg.contains("000 §23"),
        "{msg}"
    );
    c.ok(&office(), publicity(Some(10)), d(2024, 11, 18));
    assert_eq!(c.deadlines()[0].step, Step::Publicity);
    assert_eq!(c.deadlines()[0].due, d(2024, 11, 28));
    let doc = c.last_document();
    assert!(doc.text.contains("共10日（不少于5日）"), "{}", doc.text);
    // Closing before its last day is refused, on it too; after it, allowed.
    c.refused(&office(), Command::ClosePublicity, d(2024, 11, 26));
    c.ok(&office(), Command::ClosePublicity, d(2024, 11, 29));
}

#[test]
fn art_23_objections_must_be_resolved_before_publicity_closes() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    c.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 18));
    assert!(c.deadlines().is_empty());
    c.ok(
        &office(),
        Command::StartPublicity {
            place: "派出所".into(),
            days: None,
        },
        d(2024, 11, 18),
    );
    assert_eq!(c.deadlines()[0].step, Step::Publicity);
    assert_eq!(c.deadlines()[0].due, d(2024, 11, 25)); // 11-23 is a Saturday.
    c.ok(
        &department(),
        Command::RecordObjection {
            summary: "群众反映民警事后未及时施救".into(),
        },
        d(2024, 11, 20),
    );
    let msg = c.refused(&office(), Command::ClosePublicity, d(2024, 11, 26));
    assert!(msg.contains("尚有1件未甄别核实"), "{msg}");
    c.refused(
        &office(),
        Command::RecordObjection {
            summary: "逾期反映".into(),
        },
        d(2024, 11, 26),
    );
    c.ok(
        &office(),
        Command::ResolveObjection {
            index: 0,
            substantiated: true,
            finding: "经核实，施救延误约十分钟".into(),
        },
        d(2024, 11, 26),
    );
    c.refused(
        &office(),
        Command::ResolveObjection {
            index: 0,
            substantiated: false,
            finding: "再核".into(),
        },
        d(2024, 11, 26),
    );
    c.ok(&office(), Command::ClosePublicity, d(2024, 11, 26));
    // The substantiated objection holds the recommendation until the determination is revised.
    let msg = c.refused(
        &director(),
        Command::SendRecommendation {
            proposal: Proposal::Revoke,
            reasons: "x".into(),
        },
        d(2024, 11, 27),
    );
    assert!(msg.contains("正在复查"), "{msg}");
    let mut revised = exemption();
    revised.outcome = Outcome::Tolerance;
    revised.leniency = Some(Leniency::Reduced);
    c.ok(
        &director(),
        Command::ReviseDetermination {
            determination: revised,
        },
        d(2024, 11, 28),
    );
    c.ok(
        &director(),
        Command::SendRecommendation {
            proposal: Proposal::Change {
                to: Sanction::Warning,
            },
            reasons: "应减轻处理".into(),
        },
        d(2024, 11, 28),
    );
}

#[test]
fn art_29_oversight_opinion_provided_and_reported_upward_when_not_adopted() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    c.ok(
        &office(),
        Command::RecordOversight {
            body: OversightBody::Procuratorate,
            body_name: "阿拉善左旗人民检察院".into(),
            description: "对伤情事件立案调查".into(),
        },
        d(2024, 11, 18),
    );
    c.refused(
        &office(),
        Command::RecordOversightAnswer {
            index: 0,
            adopted: false,
            note: "x".into(),
        },
        d(2024, 11, 19),
    );
    c.refused(
        &office(),
        Command::ReportUpward {
            index: 0,
            summary: "x".into(),
        },
        d(2024, 11, 19),
    );
    c.ok(
        &office(),
        Command::ProvideOpinionToOversight {
            index: 0,
            summary: "提供审查论证意见及执法记录".into(),
        },
        d(2024, 11, 19),
    );
    assert!(
        c.state.oversight[0].provided[0].2,
        "the issued opinion is part of what was provided"
    );
    c.ok(
        &office(),
        Command::RecordOversightAnswer {
            index: 0,
            adopted: false,
            note: "检察院未采纳".into(),
        },
        d(2024, 12, 2),
    );
    assert!(c.state.oversight[0].needs_upward_report());
    c.ok(
        &office(),
        Command::ReportUpward {
            index: 0,
            summary: "意见未被采纳，报请盟局协调".into(),
        },
        d(2024, 12, 3),
    );
    assert!(!c.state.oversight[0].needs_upward_report());
}

#[test]
fn art_24_31_compensation_by_the_unit_and_rectification_for_tolerance() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    c.ok(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 10, 8),
    );
    let mut tol = exemption();
    tol.outcome = Outcome::Tolerance;
    tol.modality = Modality::May;
    tol.leniency = Some(Leniency::Lighter);
    tol.original_decision_improper = false;
    c.ok(
        &panel_member(),
        Command::DraftOpinion { determination: tol },
        d(2024, 11, 1),
    );
    c.ok(
        &deputy(),
        Command::ApproveOpinion { comment: None },
        d(2024, 11, 1),
    );
    c.ok(&office(), Command::IssueOpinion, d(2024, 11, 1));
    let comp = Command::DecideCompensation {
        granted: true,
        amount_yuan: Some(3000),
        basis: "参照有关规定".into(),
    };
    let msg = c.refused(&unit(), comp.clone(), d(2024, 11, 4));
    assert!(msg.contains("尚未生效"), "{msg}");
    c.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 4));
    c.refused(&office(), comp.clone(), d(2024, 11, 4));
    c.refused(
        &unit(),
        Command::DecideCompensation {
            granted: true,
            amount_yuan: None,
            basis: "x".into(),
        },
        d(2024, 11, 4),
    );
    c.ok(&unit(), comp, d(2024, 11, 4));
    c.refused(
        &unit(),
        Command::ApplyProtections {
            officer_id: "p-zhang".into(),
        },
        d(2024, 11, 4),
    );
    c.refused(
        &director(),
        Command::SendRecommendation {
            proposal: Proposal::Revoke,
            reasons: "x".into(),
        },
        d(2024, 11, 4),
    );
    c.refused(
        &unit(),
        Command::RecordRecurrence {
            officer_id: "p-zhang".into(),
            description: "x".into(),
        },
        d(2024, 11, 4),
    );
    c.ok(
        &unit(),
        Command::SetRectification {
            officer_id: "p-zhang".into(),
            measures: "参加执法规范化培训".into(),
            follow_up: "三个月后回访".into(),
        },
        d(2024, 11, 5),
    );
    c.ok(
        &office(),
        Command::RecordRecurrence {
            officer_id: "p-zhang".into(),
            description: "同类错误再次发生".into(),
        },
        d(2025, 3, 5),
    );
    c.refused(
        &unit(),
        Command::SetRectification {
            officer_id: "p-nobody".into(),
            measures: "x".into(),
            follow_up: "y".into(),
        },
        d(2024, 11, 5),
    );
}

#[test]
fn art_28_the_case_is_made_known_to_the_counterparty_in_writing_and_to_the_public() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 1));
    let tell = |recipient: &str| Command::MakePublicStatement {
        audience: StatementAudience::Counterparty,
        recipient: recipient.into(),
        channel: "书面送达".into(),
        content: "经调查审查，民警张某依法履职，依法予以免责".into(),
    };
    // Not before the opinion is in force: the applicant may still appeal.
    let msg = c.refused(&office(), tell("王某某"), d(2024, 11, 4));
    assert!(msg.contains("尚未生效"), "{msg}");
    c.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 4));
    // The 公安机关 acts through its office, not the officer's unit.
    let msg = c.refused(&unit(), tell("王某某"), d(2024, 11, 5));
    assert!(msg.contains("000 §28"), "{msg}");
    let msg = c.refused(&office(), tell("  "), d(2024, 11, 5));
    assert!(msg.contains("应当写明执法相对人"), "{msg}");
    let evs = c.ok(&office(), tell("王某某"), d(2024, 11, 5));
    let doc = evs[0].kind.document().expect("a written 通报");
    assert_eq!(doc.kind, DocumentKind::PublicStatement);
    assert_eq!(doc.addressee, "王某某");
    assert!(doc.text.starts_with("王某某：\n"), "{}", doc.text);
    // The article comes from the pack's `public_statement` procedure.
    assert!(
        doc.text.contains(
            "根据《阿拉善盟公安机关民警依法履职免责和容错纠错工作实施细则》第二十八条的规定"
        ),
        "{}",
        doc.text
    );
    assert!(doc
        .text
        .contains("经调查审查，民警张某依法履职，依法予以免责。"));
    assert!(
        lvzhi_case::doubled_phrase(&doc.text).is_none(),
        "{}",
        doc.text
    );
    // To the public: no addressee, and a publication names nobody to tell.
    let publish = |recipient: &str| Command::MakePublicStatement {
        audience: StatementAudience::Society,
        recipient: recipient.into(),
        channel: "阿拉善左旗公安局官方微博".into(),
        content: "经调查审查，民警依法履职".into(),
    };
    let msg = c.refused(&office(), publish("王某某"), d(2024, 11, 6));
    assert!(msg.contains("不填写执法相对人"), "{msg}");
    let evs = c.ok(&office(), publish(""), d(2024, 11, 6));
    let doc = evs[0].kind.document().expect("the text published");
    assert!(doc.addressee.is_empty());
    assert_eq!(c.state.public_statements.len(), 2);
    assert_eq!(c.state.documents.last(), Some(doc));
}

#[test]
fn art_28_a_regulation_without_the_step_has_no_public_statement() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 1));
    c.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 4));
    let mut own = reg();
    own.steps.remove("public_statement");
    let cmd = Command::MakePublicStatement {
        audience: StatementAudience::Society,
        recipient: String::new(),
        channel: "官方微博".into(),
        content: "情况".into(),
    };
    let err = decide(
        &c.state,
        &cmd,
        &office(),
        d(2024, 11, 5),
        &CAL,
        &periods(),
        &own,
    )
    .expect_err("the unit's regulation has no such step");
    assert!(
        err.to_string().contains("向社会公布或者向执法相对人通报"),
        "{err}"
    );
    assert!(
        !available_actions(&c.state, &office(), d(2024, 11, 5), &CAL, &periods(), &own)
            .contains(&"make_public_statement")
    );
    assert!(c
        .sees(&office(), d(2024, 11, 5))
        .contains(&"make_public_statement"));
}

#[test]
fn bad_input_gets_a_chinese_message_and_changes_nothing() {
    let mut c = Case::new();
    // Nothing may happen before the case exists.
    let msg = c.refused(&office(), Command::Register, d(2024, 9, 27));
    assert!(msg.contains("尚未立案"), "{msg}");
    file_and_register(&mut c, d(2024, 9, 27));
    // Wrong stage, wrong role, wrong organisation, an administrator.
    let msg = c.refused(&office(), Command::IssueOpinion, d(2024, 9, 28));
    assert_eq!(
        msg,
        "案件当前处于“已登记、初查中”阶段，不能出具审查论证意见"
    );
    let msg = c.refused(&officer(), Command::Accept, d(2024, 9, 28));
    assert_eq!(msg, "无权决定受理：应由本级维权办办理（000 §13）");
    c.refused(&foreign_office(), Command::Accept, d(2024, 9, 28));
    c.refused(&admin(), Command::Accept, d(2024, 9, 28));
    // A date before the case's latest record.
    let msg = c.refused(&office(), Command::Accept, d(2024, 9, 26));
    assert_eq!(
        msg,
        "办理日期2024年9月26日早于本案最近一次记录的日期2024年9月27日，请核对日期"
    );
    // Malformed evidence digest.
    let msg = c.refused(
        &officer(),
        Command::AddEvidence {
            evidence: Evidence {
                sm3: "abc".into(),
                file_name: "a.pdf".into(),
                description: String::new(),
            },
        },
        d(2024, 9, 28),
    );
    assert!(msg.contains("SM3"), "{msg}");
    // Malformed recommendation.
    c.refused(
        &office(),
        Command::RecordRecommendation {
            recommendation: Recommendation {
                outcome: "pardon".into(),
                modality: "shall".into(),
                ..Default::default()
            },
        },
        d(2024, 9, 28),
    );
    // A malformed command never reaches `decide`: serde refuses it.
    assert!(serde_json::from_str::<Command>(
        r#"{"action":"file","form":{},"received_on":"2024-13-01"}"#
    )
    .is_err());
    assert!(serde_json::from_str::<Command>(r#"{"action":"launch"}"#).is_err());
}

#[test]
fn deadlines_into_a_year_without_a_schedule_are_provisional() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2026, 12, 28));
    let dl = c.deadlines();
    assert_eq!(dl[0].step, Step::Acceptance);
    assert!(dl[0].provisional);
    assert_eq!(dl[0].missing_years, vec![2027]);
    c.ok(&office(), Command::Accept, d(2026, 12, 29));
    assert!(
        c.last_document().text.contains("2027年节假日安排尚未公布"),
        "{}",
        c.last_document().text
    );
}

#[test]
fn events_and_commands_are_plain_json() {
    let c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    let json = serde_json::to_string(&c.events).unwrap();
    assert!(json.contains(r#""type":"opinion_issued""#));
    let back: Vec<Event> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c.events);
    assert_eq!(State::replay(&back), c.state);
    let cmd: Command =
        serde_json::from_str(r#"{"action":"apply_reconsideration","grounds":"认定错误"}"#).unwrap();
    assert_eq!(
        cmd,
        Command::ApplyReconsideration {
            grounds: "认定错误".into(),
            new_evidence: None
        }
    );
    let state_json = serde_json::to_value(&c.state).unwrap();
    assert_eq!(state_json["version"], 7);
    assert_eq!(c.state.title(), format!("张伟：{}", form().matter));
    assert_eq!(c.state.org_id(), Some(QI));
    // `execute` = decide + apply; a refusal returns the error and no state.
    let (next, evs) = execute(
        &c.state,
        &Command::DeclareNoObjection,
        &officer(),
        d(2024, 11, 18),
        &CAL,
        &periods(),
        &reg(),
    )
    .unwrap();
    assert_eq!((next.version, evs.len()), (8, 1));
    assert!(execute(
        &c.state,
        &Command::DeclareNoObjection,
        &office(),
        d(2024, 11, 18),
        &CAL,
        &periods(),
        &reg()
    )
    .is_err());
}

#[test]
fn art_13_deemed_acceptance_also_runs_for_an_unregistered_application_across_spring_festival() {
    let mut c = Case::new();
    let mut f = form();
    if let Some(dec) = f.accountability_decision.as_mut() {
        dec.decided_on = d(2024, 1, 10);
    }
    c.ok(
        &unit(),
        Command::File {
            form: f,
            received_on: None,
        },
        d(2024, 2, 6),
    );
    // 春节 2024: 02-10..02-17 off, Sunday 02-18 worked: 02-07, 02-08, 02-09, 02-18, 02-19,
    // 02-20, 02-21.
    assert_eq!(c.deadlines()[0].due, d(2024, 2, 21));
    assert_eq!(c.tick(d(2024, 2, 21)), 0);
    assert_eq!(c.tick(d(2024, 2, 22)), 1);
    assert_eq!(c.state.accepted_on, Some(d(2024, 2, 21)));
    // Filed by the unit: the notice goes to the unit.
    assert_eq!(
        c.last_document().addressee,
        "阿拉善左旗公安局巴彦浩特派出所"
    );
    assert!(
        c.last_document().text.contains("你单位提交"),
        "{}",
        c.last_document().text
    );
}

#[test]
fn art_15_hearings_and_site_visits_belong_to_the_review() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 9, 27));
    let hearing = Command::RecordHearing {
        summary: "听取申辩".into(),
    };
    let msg = c.refused(&office(), hearing.clone(), d(2024, 9, 30));
    assert!(msg.contains("不能记录听取陈述、举证、申辩"), "{msg}");
    c.ok(&office(), Command::Accept, d(2024, 9, 30));
    c.refused(&panel_member(), hearing.clone(), d(2024, 9, 30));
    c.ok(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 9, 30),
    );
    c.ok(&panel_member(), hearing, d(2024, 10, 8));
    c.refused(
        &office(),
        Command::RecordSiteVisit {
            place: "".into(),
            summary: "走访".into(),
        },
        d(2024, 10, 8),
    );
    c.ok(
        &office(),
        Command::RecordSiteVisit {
            place: "案发现场".into(),
            summary: "走访".into(),
        },
        d(2024, 10, 8),
    );
    assert_eq!((c.state.hearings.len(), c.state.site_visits.len()), (1, 1));
}

#[test]
fn art_23_no_objection_is_not_declared_once_the_determination_is_final() {
    // Window of 10 working days from 2024-11-15 ends 11-29; final from 12-02.
    let base = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    let mut in_time = Case {
        state: base.state.clone(),
        events: base.events.clone(),
    };
    in_time.ok(&officer(), Command::DeclareNoObjection, d(2024, 11, 29));
    let mut lapsed = Case {
        state: base.state,
        events: base.events,
    };
    let msg = lapsed.refused(&officer(), Command::DeclareNoObjection, d(2024, 12, 2));
    assert_eq!(msg, "认定意见已经生效，无需再表示无异议（000 §23）");
}

/// 000 §14 (issue 22 item 6): the 主任 or 副主任 who is to approve the draft may instead send it
/// back — 退回修改, the draft kept for the panel to revise, or 不予批准, the draft set aside —
/// always with reasons, recorded in the trail; after a revision the draft is approved with the
/// leader's written opinion (本级维权委领导意见), kept on the case for the 申请表. Nobody else
/// may do either, and neither is open before a draft exists.
#[test]
fn s14_000_a_draft_is_sent_back_or_not_approved_with_reasons_then_approved_with_an_opinion() {
    let mut c = Case::new();
    file_and_register(&mut c, d(2024, 10, 8));
    c.ok(&office(), Command::Accept, d(2024, 10, 9));
    c.ok(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 10, 9),
    );
    let back = |rejected: bool, reasons: &str| Command::ReturnOpinion {
        rejected,
        reasons: reasons.into(),
    };
    // Nothing to send back before a draft.
    let e = c.refused(&director(), back(false, "理由"), d(2024, 10, 10));
    assert!(e.contains("退回修改或者不予批准审查论证意见"), "{e}");
    let draft = || Command::DraftOpinion {
        determination: exemption(),
    };
    c.ok(&panel_member(), draft(), d(2024, 10, 21));
    // Only the leaders, and only with reasons.
    let e = c.refused(&office(), back(false, "理由"), d(2024, 10, 22));
    assert!(e.contains("本级维权委主任或者副主任"), "{e}");
    let e = c.refused(&panel_member(), back(true, "理由"), d(2024, 10, 22));
    assert!(e.contains("本级维权委主任或者副主任"), "{e}");
    let e = c.refused(&director(), back(false, "  "), d(2024, 10, 22));
    assert!(e.contains("应当写明理由"), "{e}");
    // 退回修改: back under review with the draft kept; the trail gives the reason.
    let evs = c.ok(
        &deputy(),
        back(false, "因果关系的认定依据不足，请补充"),
        d(2024, 10, 22),
    );
    assert!(
        evs[0]
            .describe_zh()
            .ends_with("：退回修改审查论证意见。理由：因果关系的认定依据不足，请补充"),
        "{}",
        evs[0].describe_zh()
    );
    assert_eq!(c.state.stage, Stage::UnderReview);
    assert!(
        c.state.draft.is_some(),
        "the panel revises the draft it had"
    );
    assert_eq!(c.state.returns.len(), 1);
    assert!(!c
        .sees(&director(), d(2024, 10, 22))
        .contains(&"approve_opinion"));
    // 不予批准: the next draft is set aside.
    c.ok(&panel_member(), draft(), d(2024, 10, 24));
    c.ok(
        &director(),
        back(true, "不符合免责条件的认定理由不充分"),
        d(2024, 10, 25),
    );
    assert_eq!(c.state.stage, Stage::UnderReview);
    assert!(
        c.state.draft.is_none(),
        "a draft not approved is drafted anew"
    );
    assert!(c.state.returns[1].2);
    // Drafted again and approved with the leader's opinion.
    c.ok(&panel_member(), draft(), d(2024, 10, 28));
    c.ok(
        &director(),
        Command::ApproveOpinion {
            comment: Some("  同意审查论证组意见。 ".into()),
        },
        d(2024, 10, 29),
    );
    assert_eq!(c.state.stage, Stage::OpinionApproved);
    let (on, by, text) = c
        .state
        .leader_opinion
        .clone()
        .expect("the leader's opinion");
    assert_eq!(
        (on, by.role, text.as_str()),
        (d(2024, 10, 29), Role::Director, "同意审查论证组意见。")
    );
    c.ok(&office(), Command::IssueOpinion, d(2024, 10, 30));
}
