//! What each person is offered at each step (`available_actions`), along the end-to-end paths
//! of tests/procedure.rs on the same 2024 dates; recusal (000 §19(六)); and the accessors that
//! say whom a case involves.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test: a failed unwrap fails it.

mod common;

use chrono::NaiveDate;
use common::*;
use lvzhi_workflow::*;

/// `ids` in the order of `ACTIONS`, as `available_actions` lists them.
fn ordered(ids: &[&'static str]) -> Vec<&'static str> {
    let mut v = ids.to_vec();
    v.sort_by_key(|id| {
        ACTIONS
            .iter()
            .position(|(a, _)| a == id)
            .unwrap_or(usize::MAX)
    });
    v
}

/// Asserts exactly what `who` sees on `today` (in any order here).
#[track_caller]
fn sees(c: &Case, who: &Actor, today: NaiveDate, want: &[&'static str]) {
    assert_eq!(
        c.sees(who, today),
        ordered(want),
        "{} on {today}, stage {:?}",
        who.person_id,
        c.state.stage
    );
}

/// What the office may always do once a case is filed (with an accountability decision
/// linked): evidence, recusal, the linked decision's changes, oversight (000 §14–15, §19, §22,
/// §29), referrals for accountability (000 §37), an accountability investigation the review runs
/// alongside (000 §6).
const OFFICE_ALWAYS: [&str; 6] = [
    "add_evidence",
    "record_recusal",
    "record_sanction_change",
    "record_oversight",
    "refer_for_accountability",
    "link_accountability_inquiry",
];

fn with(base: &[&'static str], more: &[&'static str]) -> Vec<&'static str> {
    base.iter().chain(more).copied().collect()
}

#[test]
fn art_13_14_16_23_26_27_each_party_sees_its_next_steps_along_the_main_path() {
    let mut c = Case::new();
    let day = d(2024, 9, 27);
    for who in [office(), director(), officer(), unit(), department()] {
        sees(&c, &who, day, &[]);
    }
    c.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        day,
    );
    // Received: the office registers it (000 §13); nobody may accept yet.
    let early = ["update_facts", "record_recommendation"];
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &with(&early, &["register"])),
    );
    sees(&c, &director(), day, &[]);
    sees(&c, &deputy(), day, &[]);
    sees(&c, &officer(), day, &["add_evidence"]);
    sees(&c, &unit(), day, &["add_evidence"]);
    sees(&c, &department(), day, &["record_sanction_change"]);
    sees(&c, &panel_member(), day, &[]);
    sees(&c, &foreign_office(), day, &[]);
    sees(&c, &admin(), day, &[]);
    sees(&c, &other_officer(), day, &[]);

    c.ok(&office(), Command::Register, day);
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &with(&early, &["accept", "reject"])),
    );
    sees(&c, &director(), day, &[]);
    // The last day of the acceptance period (10-12) still belongs to the office; the next day
    // it may no longer decide (the scheduler deems the case accepted).
    assert!(c.sees(&office(), d(2024, 10, 12)).contains(&"accept"));
    assert!(!c.sees(&office(), d(2024, 10, 13)).contains(&"accept"));

    let day = d(2024, 10, 8);
    c.ok(&office(), Command::Accept, day);
    // Review (000 §11, §14–15, §18): no opinion without a panel, no interim line for an ordinary
    // case within its period (000 §17).
    let review = [
        "update_facts",
        "record_recommendation",
        "form_panel",
        "record_hearing",
        "record_site_visit",
        "record_on_scene_report",
    ];
    sees(&c, &office(), day, &with(&OFFICE_ALWAYS, &review));
    let leaders = ["approve_external_participant", "extend_review"];
    sees(&c, &director(), day, &leaders);
    sees(&c, &deputy(), day, &leaders);
    sees(&c, &officer(), day, &["add_evidence"]);
    sees(&c, &panel_member(), day, &[]);

    let day = d(2024, 10, 9);
    c.ok(&office(), Command::FormPanel { members: panel() }, day);
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &with(&review, &["draft_opinion"])),
    );
    let reviewer = [
        "update_facts",
        "add_evidence",
        "record_hearing",
        "record_site_visit",
        "record_on_scene_report",
        "draft_opinion",
    ];
    sees(&c, &panel_member(), day, &reviewer);
    // An unassigned panel member sees nothing of this case.
    let stranger = Actor::new("pm-other", &[Role::PanelMember], QI);
    sees(&c, &stranger, day, &[]);

    let day = d(2024, 11, 12);
    c.ok(
        &panel_member(),
        Command::DraftOpinion {
            determination: exemption(),
        },
        day,
    );
    let approve = with(&leaders, &["approve_opinion", "return_opinion"]);
    sees(&c, &director(), day, &approve);
    sees(&c, &deputy(), day, &approve);
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &with(&review, &["draft_opinion"])),
    );

    let day = d(2024, 11, 14);
    c.ok(&deputy(), Command::ApproveOpinion { comment: None }, day);
    sees(
        &c,
        &office(),
        day,
        &with(
            &OFFICE_ALWAYS,
            &[
                "form_panel",
                "record_hearing",
                "record_site_visit",
                "record_on_scene_report",
                "issue_opinion",
            ],
        ),
    );
    sees(&c, &director(), day, &leaders);
    sees(&c, &officer(), day, &["add_evidence"]);

    let day = d(2024, 11, 15);
    c.ok(&office(), Command::IssueOpinion, day);
    // Issued: the applicant may appeal or declare no objection (000 §21, §23); nothing that
    // waits for finality is offered yet.
    let appeal = [
        "add_evidence",
        "declare_no_objection",
        "apply_reconsideration",
    ];
    sees(&c, &officer(), day, &appeal);
    sees(&c, &unit(), day, &appeal);
    sees(&c, &other_officer(), day, &[]);
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &["record_receipt"]),
    );
    sees(&c, &director(), day, &[]);
    sees(&c, &deputy(), day, &[]);
    sees(&c, &department(), day, &["record_sanction_change"]);
    sees(&c, &panel_member(), day, &["add_evidence"]);
    // The last day of the 复议 window is still the applicant's.
    sees(&c, &officer(), d(2024, 11, 29), &appeal);

    // Final the next working day: publicity, the recommendation, compensation, result use.
    let day = d(2024, 12, 2);
    let result_use = ["apply_protections", "record_counselling"];
    let office_final = with(
        &OFFICE_ALWAYS,
        &with(
            &result_use,
            &["record_receipt", "start_publicity", "make_public_statement"],
        ),
    );
    sees(&c, &office(), day, &office_final);
    sees(&c, &director(), day, &["send_recommendation"]);
    sees(&c, &deputy(), day, &["send_recommendation"]);
    sees(&c, &officer(), day, &["add_evidence"]);
    let unit_final = with(&result_use, &["add_evidence", "decide_compensation"]);
    sees(&c, &unit(), day, &unit_final);
    sees(&c, &department(), day, &["record_sanction_change"]);

    c.ok(
        &office(),
        Command::StartPublicity {
            place: "巴彦浩特派出所公示栏".into(),
            days: None,
        },
        day,
    );
    // During publicity objections are recorded by the office or the department (000 §23);
    // it cannot close before its last day (12-09).
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &with(&result_use, &["record_objection"])),
    );
    sees(
        &c,
        &department(),
        day,
        &["record_objection", "record_sanction_change"],
    );
    sees(
        &c,
        &office(),
        d(2024, 12, 9),
        &with(&OFFICE_ALWAYS, &with(&result_use, &["record_objection"])),
    );
    let day = d(2024, 12, 10);
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &with(&result_use, &["close_publicity"])),
    );
    sees(&c, &department(), day, &["record_sanction_change"]);
    c.ok(&office(), Command::ClosePublicity, day);
    // Once the 公示 is over the 公安机关 may make the case known (000 §28).
    let office_after = with(&result_use, &["make_public_statement"]);
    sees(&c, &office(), day, &with(&OFFICE_ALWAYS, &office_after));
    sees(&c, &director(), day, &["send_recommendation"]);

    c.ok(
        &director(),
        Command::SendRecommendation {
            proposal: Proposal::Revoke,
            reasons: "民警依法履职，所受记过处分缺乏事实依据".into(),
        },
        day,
    );
    sees(&c, &director(), day, &[]);
    sees(&c, &deputy(), day, &[]);
    sees(
        &c,
        &department(),
        day,
        &["answer_recommendation", "record_sanction_change"],
    );

    let day = d(2024, 12, 12);
    c.ok(
        &department(),
        Command::AnswerRecommendation {
            adopted: true,
            justification: None,
        },
        day,
    );
    sees(&c, &department(), day, &["record_sanction_change"]);

    let day = d(2024, 12, 13);
    c.ok(
        &unit(),
        Command::ApplyProtections {
            officer_id: "p-zhang".into(),
        },
        day,
    );
    // Applied once, for the only applicant: no longer offered (000 §30).
    sees(
        &c,
        &unit(),
        day,
        &["add_evidence", "decide_compensation", "record_counselling"],
    );
    sees(
        &c,
        &office(),
        day,
        &with(
            &OFFICE_ALWAYS,
            &["make_public_statement", "record_counselling"],
        ),
    );
}

#[test]
fn art_13_a_rejected_case_offers_nothing_of_the_review() {
    let mut c = Case::new();
    let day = d(2024, 9, 27);
    c.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        day,
    );
    c.ok(&office(), Command::Register, day);
    c.ok(
        &office(),
        Command::Reject {
            reasons: "不符合第十二条规定的申请条件".into(),
        },
        d(2024, 10, 12),
    );
    let day = d(2024, 10, 14);
    sees(
        &c,
        &office(),
        day,
        &[
            "record_recusal",
            "record_sanction_change",
            "record_oversight",
            "refer_for_accountability",
        ],
    );
    sees(&c, &officer(), day, &[]);
    sees(&c, &director(), day, &[]);
}

#[test]
fn art_18_20_a_deputy_director_never_sees_the_second_extension() {
    let mut c = Case::new();
    c.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        d(2024, 9, 27),
    );
    c.ok(&office(), Command::Register, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    let day = d(2024, 11, 1);
    assert!(c.sees(&deputy(), day).contains(&"extend_review"));
    assert!(c.sees(&director(), day).contains(&"extend_review"));
    assert!(!c.sees(&office(), day).contains(&"extend_review"));
    assert!(!c.sees(&office(), day).contains(&"record_interim_line"));
    c.ok(
        &deputy(),
        Command::ExtendReview {
            grounds: "涉及多名证人，社会关注度高".into(),
        },
        day,
    );
    // Second extension: 主任 only (000 §20); the case is now major, so the office may set an
    // interim public line (000 §17).
    let day = d(2024, 12, 2);
    sees(&c, &deputy(), day, &["approve_external_participant"]);
    sees(
        &c,
        &director(),
        day,
        &["approve_external_participant", "extend_review"],
    );
    assert!(c.sees(&office(), day).contains(&"record_interim_line"));
    c.ok(
        &director(),
        Command::ExtendReview {
            grounds: "需等待司法鉴定结论".into(),
        },
        day,
    );
    // No third extension for anyone (000 §18, §20).
    for who in [director(), deputy(), office()] {
        assert!(!c.sees(&who, d(2024, 12, 3)).contains(&"extend_review"));
    }

    // Once the period has run out nobody is offered an extension.
    let mut late = Case::new();
    late.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        d(2024, 9, 27),
    );
    late.ok(&office(), Command::Register, d(2024, 9, 27));
    late.ok(&office(), Command::Accept, d(2024, 10, 8));
    assert!(late
        .sees(&director(), d(2024, 11, 18))
        .contains(&"extend_review"));
    sees(
        &late,
        &director(),
        d(2024, 11, 19),
        &["approve_external_participant"],
    );
    // Overdue: the office may record the interim line (000 §17).
    assert!(late
        .sees(&office(), d(2024, 11, 19))
        .contains(&"record_interim_line"));
}

#[test]
fn art_21_appeals_are_offered_to_the_applicant_and_replies_to_the_right_committee() {
    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    let day = d(2024, 11, 20);
    c.ok(
        &officer(),
        Command::ApplyReconsideration {
            grounds: "审查论证未听取现场证人意见".into(),
            new_evidence: None,
        },
        day,
    );
    sees(&c, &director(), day, &["reply_reconsideration"]);
    sees(&c, &deputy(), day, &["reply_reconsideration"]);
    sees(&c, &parent_committee(), day, &[]);
    sees(&c, &officer(), day, &["add_evidence"]);
    sees(&c, &office(), day, &OFFICE_ALWAYS);

    let day = d(2024, 12, 5);
    c.ok(
        &director(),
        Command::ReplyReconsideration {
            upheld: true,
            reasoning: "经复查，原意见认定事实清楚".into(),
            revised: None,
        },
        day,
    );
    // The 复核 window runs; a 复议 on a *different* reason is still possible (000 §21).
    let after_reply = [
        "add_evidence",
        "declare_no_objection",
        "apply_reconsideration",
        "apply_re_review",
    ];
    sees(&c, &officer(), day, &after_reply);
    sees(&c, &unit(), day, &after_reply);
    sees(&c, &director(), day, &[]);
    sees(
        &c,
        &office(),
        day,
        &with(&OFFICE_ALWAYS, &["record_receipt"]),
    );

    let day = d(2024, 12, 10);
    c.ok(
        &unit(),
        Command::ApplyReReview {
            grounds: "复议意见未回应证人证言问题".into(),
            new_evidence: None,
        },
        day,
    );
    // The 复核 belongs to the parent committee, not to this level's leaders.
    sees(&c, &parent_committee(), day, &["reply_re_review"]);
    sees(&c, &director(), day, &[]);
    sees(&c, &deputy(), day, &[]);

    let day = d(2024, 12, 20);
    c.ok(
        &parent_committee(),
        Command::ReplyReReview {
            upheld: true,
            reasoning: "维持".into(),
            revised: None,
        },
        day,
    );
    // Final at once (000 §23): a second 复核 only with new evidence, no objection to declare.
    sees(&c, &officer(), day, &["add_evidence", "apply_re_review"]);
    sees(&c, &parent_committee(), day, &[]);
    sees(&c, &director(), day, &["send_recommendation"]);
    assert!(c.sees(&office(), day).contains(&"start_publicity"));
    // Replies have no "apply" for the office, and no recommendation for the parent.
    assert!(!c.sees(&office(), day).contains(&"apply_re_review"));
}

#[test]
fn art_19_recusal_is_recorded_by_the_office_with_its_reason_after_filing() {
    let mut c = Case::new();
    let recuse = |id: &str, name: &str, reason: &str| Command::RecordRecusal {
        person_id: id.into(),
        name: name.into(),
        reason: reason.into(),
    };
    let msg = c.refused(&office(), recuse("pm-hu", "胡明", "近亲属"), d(2024, 9, 27));
    assert!(msg.contains("尚未立案"), "{msg}");
    c.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        d(2024, 9, 27),
    );
    c.ok(&office(), Command::Register, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    c.ok(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 10, 8),
    );
    let day = d(2024, 10, 9);
    let msg = c.refused(&office(), recuse("pm-hu", "胡明", "  "), day);
    assert_eq!(msg, "决定回避应当载明回避的理由（000 §19(六)）");
    let msg = c.refused(&director(), recuse("pm-hu", "胡明", "近亲属"), day);
    assert_eq!(msg, "无权决定回避：应由本级维权办办理（000 §19(六)）");
    c.refused(&foreign_office(), recuse("pm-hu", "胡明", "近亲属"), day);
    let msg = c.refused(&office(), recuse("p-zhang", "张伟", "本人"), day);
    assert!(msg.contains("是本案申请人，不适用回避"), "{msg}");
    c.refused(&office(), recuse("", "胡明", "近亲属"), day);

    assert!(c.sees(&panel_member(), day).contains(&"draft_opinion"));
    c.ok(
        &office(),
        recuse("pm-hu", "胡明", "与申请人张伟系近亲属"),
        day,
    );
    assert_eq!(c.state.recused_ids(), vec!["pm-hu"]);
    assert_eq!(
        c.events.last().map(|e| e.describe_zh()).unwrap_or_default(),
        "2024年10月9日\u{3000}维权办（o-wang）：决定回避（胡明，pm-hu）。理由：与申请人张伟系近亲属"
    );
    let msg = c.refused(&office(), recuse("pm-hu", "胡明", "再次"), day);
    assert!(msg.contains("无需重复记录"), "{msg}");

    // The recused member loses every right in the case, reviewer's included.
    sees(&c, &panel_member(), day, &[]);
    let msg = c.refused(
        &panel_member(),
        Command::RecordHearing {
            summary: "听取申辩".into(),
        },
        day,
    );
    assert_eq!(msg, "胡明已决定回避，不能参与本案的办理（000 §19(六)）");
    // The panel lost its 法制 member: no opinion until it is re-formed (000 §14).
    assert!(!c.sees(&office(), day).contains(&"draft_opinion"));
    let msg = c.refused(
        &office(),
        Command::DraftOpinion {
            determination: exemption(),
        },
        day,
    );
    assert!(msg.contains("应当重新组成审查论证组"), "{msg}");
    // …and never with the recused person on it.
    let msg = c.refused(&office(), Command::FormPanel { members: panel() }, day);
    assert_eq!(msg, "胡明已决定回避，不能参加审查论证组（000 §19(六)）");
    let mut members = panel();
    members[0] = PanelMember {
        person_id: "pm-gao".into(),
        name: "高峰".into(),
        category: MemberCategory::Legal,
    };
    c.ok(&office(), Command::FormPanel { members }, day);
    assert!(c.sees(&office(), day).contains(&"draft_opinion"));
    assert_eq!(c.state.panel_ids(), vec!["pm-gao", "pm-ma"]);
    let gao = Actor::new("pm-gao", &[Role::PanelMember], QI);
    assert!(c.sees(&gao, day).contains(&"draft_opinion"));
}

#[test]
fn art_19_a_recused_participant_is_refused_and_an_approved_one_loses_reviewer_rights() {
    let mut c = Case::new();
    c.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        d(2024, 9, 27),
    );
    c.ok(&office(), Command::Register, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    let day = d(2024, 10, 9);
    let all = Eligibility {
        political_stance: true,
        integrity: true,
        no_criminal_record: true,
        no_disciplinary_record: true,
        experience_authority: true,
        no_conflict: true,
        confidentiality: true,
    };
    let approve = |id: &str, name: &str| Command::ApproveExternalParticipant {
        participant: ExternalParticipant {
            person_id: id.into(),
            name: name.into(),
            category: ExternalCategory::LegalExpert,
            eligibility: all,
            no_conflict_declaration: "本人与申请人、申请单位及审查事项无利害关系".into(),
        },
        grounds: "社会影响较大".into(),
    };
    c.ok(
        &office(),
        Command::RecordRecusal {
            person_id: "x-li".into(),
            name: "李律师".into(),
            reason: "曾担任申请人代理人".into(),
        },
        day,
    );
    let msg = c.refused(&deputy(), approve("x-li", "李律师"), day);
    assert_eq!(msg, "李律师已决定回避，不能参与本案审查论证（000 §19(六)）");

    c.ok(&deputy(), approve("x-wang", "王律师"), day);
    let expert = Actor::new("x-wang", &[Role::ExternalExpert], "org-lawfirm");
    let hearing = Command::RecordHearing {
        summary: "听取申辩".into(),
    };
    assert!(c.sees(&expert, day).contains(&"record_hearing"));
    c.ok(&expert, hearing.clone(), day);
    c.ok(
        &office(),
        Command::RecordRecusal {
            person_id: "x-wang".into(),
            name: "王律师".into(),
            reason: "发现与申请单位存在利害关系".into(),
        },
        d(2024, 10, 10),
    );
    sees(&c, &expert, d(2024, 10, 10), &[]);
    let msg = c.refused(&expert, hearing, d(2024, 10, 10));
    assert!(msg.contains("王律师已决定回避"), "{msg}");
    // Still listed as approved, for the record; the access layer reads both lists.
    assert_eq!(c.state.external_ids(), vec!["x-wang"]);
    assert_eq!(c.state.recused_ids(), vec!["x-li", "x-wang"]);
}

#[test]
fn art_19_a_recused_director_leaves_approval_to_the_deputy() {
    let mut c = Case::new();
    c.ok(
        &officer(),
        Command::File {
            form: form(),
            received_on: None,
        },
        d(2024, 9, 27),
    );
    c.ok(&office(), Command::Register, d(2024, 9, 27));
    c.ok(&office(), Command::Accept, d(2024, 10, 8));
    c.ok(
        &office(),
        Command::FormPanel { members: panel() },
        d(2024, 10, 8),
    );
    c.ok(
        &panel_member(),
        Command::DraftOpinion {
            determination: exemption(),
        },
        d(2024, 11, 1),
    );
    c.ok(
        &office(),
        Command::RecordRecusal {
            person_id: "d-liu".into(),
            name: "刘主任".into(),
            reason: "曾参与原问责处理决定".into(),
        },
        d(2024, 11, 1),
    );
    sees(&c, &director(), d(2024, 11, 1), &[]);
    c.refused(
        &director(),
        Command::ApproveOpinion { comment: None },
        d(2024, 11, 1),
    );
    assert!(c
        .sees(&deputy(), d(2024, 11, 1))
        .contains(&"approve_opinion"));
    c.ok(
        &deputy(),
        Command::ApproveOpinion { comment: None },
        d(2024, 11, 1),
    );
}

#[test]
fn art_12_14_21_22_the_parties_of_a_case() {
    let empty = State::default();
    assert!(empty.applicant_ids().is_empty());
    assert_eq!(empty.committee_org(), None);
    assert_eq!(empty.escalated_to(), None);

    let mut c = Case::issued(d(2024, 9, 27), d(2024, 10, 8), d(2024, 11, 15));
    let s = &c.state;
    assert_eq!(s.applicant_ids(), vec!["p-zhang"]);
    assert_eq!(s.panel_ids(), vec!["pm-hu", "pm-ma"]);
    assert!(s.external_ids().is_empty());
    assert!(s.recused_ids().is_empty());
    assert_eq!(s.committee_org().map(|o| o.id.as_str()), Some(QI));
    assert_eq!(s.applying_unit().map(|o| o.id.as_str()), Some(UNIT));
    assert_eq!(s.department_org().map(|o| o.id.as_str()), Some(DEPT));
    assert_eq!(s.escalated_to(), None);

    c.ok(
        &officer(),
        Command::ApplyReconsideration {
            grounds: "认定事实错误".into(),
            new_evidence: None,
        },
        d(2024, 11, 20),
    );
    // A 复议 stays at this level.
    assert_eq!(c.state.escalated_to(), None);
    c.ok(
        &director(),
        Command::ReplyReconsideration {
            upheld: true,
            reasoning: "维持".into(),
            revised: None,
        },
        d(2024, 12, 5),
    );
    c.ok(
        &officer(),
        Command::ApplyReReview {
            grounds: "复议意见有误".into(),
            new_evidence: None,
        },
        d(2024, 12, 6),
    );
    assert_eq!(c.state.escalated_to().map(|o| o.id.as_str()), Some(MENG));

    // An ex officio case with no accountability decision has no department.
    let mut f = form();
    f.accountability_decision = None;
    let mut ex = Case::new();
    ex.ok(
        &office(),
        Command::OpenExOfficio {
            form: f,
            grounds: "问责调查中发现民警系依法使用警械".into(),
        },
        d(2024, 5, 6),
    );
    assert_eq!(ex.state.department_org(), None);
    // …and so nothing about a linked decision is offered.
    assert!(!ex
        .sees(&office(), d(2024, 5, 6))
        .contains(&"record_sanction_change"));
}
