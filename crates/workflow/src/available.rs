//! Which actions a person could take on a case today, for a user interface that offers each
//! user only the steps open to them.
//!
//! # Approach: probe `decide`, never restate its guards
//!
//! The guards of the procedure (role, organisation, stage, time window, required content,
//! recusal) live in one place, [`decide`]. Restating them here would drift the first time one
//! changed. Instead, for every action id in [`ACTIONS`] (except `file` and `open_ex_officio`,
//! which create cases) [`sample_commands`] builds one or a few *sample* commands from the
//! state, with valid filler content — non-empty texts, an unresolved objection's index, the
//! first applicant whose result-use step is still open, a person not yet recused, grounds not
//! yet used for an appeal, a determination matching the recommendation or else carrying
//! departure reasons, a sanction change that is not heavier — and [`available_actions`] keeps
//! the action iff [`decide`] accepts one of its samples for this actor on this day.
//!
//! So an action is listed exactly when the actor could take it with *some* honest content:
//! whatever the real command then carries is checked again by `decide` when it arrives. Where
//! several contents are legitimate and a guard depends on which one is given, several samples
//! are tried (an appeal with and without new evidence; a determination that matches the
//! recommendation and one that states why it departs from it). The property test in
//! `tests/properties.rs` checks both directions over random command sequences: every listed
//! action's sample is accepted, and every command `decide` accepted was listed just before.
//!
//! Probing is pure and cheap (one `decide` per sample, about forty per call, no I/O).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use lvzhi_calendar::Calendar;

use crate::decide::decide;
use crate::event::{Command, ACTIONS};
use crate::model::*;
use crate::periods::ProcedurePeriods;
use crate::state::State;

/// The action ids that open a case; never offered on an existing one.
const OPENING: [&str; 2] = ["file", "open_ex_officio"];

/// The action ids (from [`ACTIONS`], in procedure order, `file` and `open_ex_officio` excluded)
/// that `actor` could successfully take on the case today: those for which [`decide`] accepts
/// one of the [`sample_commands`].
pub fn available_actions(
    state: &State,
    actor: &Actor,
    today: NaiveDate,
    cal: &Calendar,
    p: &ProcedurePeriods,
    reg: &crate::documents::Regulation,
) -> Vec<&'static str> {
    ACTIONS
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !OPENING.contains(id))
        .filter(|id| {
            sample_commands(state, id, today)
                .iter()
                .any(|cmd| decide(state, cmd, actor, today, cal, p, reg).is_ok())
        })
        .collect()
}

/// The sample commands probed for an action id on this state (see the module documentation):
/// at least one for every action of [`ACTIONS`] except `file` and `open_ex_officio`, none for
/// those two or an unknown id. Samples are filler, built to pass every content check that a
/// real command could pass; whether the action is open is for [`decide`] to say.
pub fn sample_commands(state: &State, action_id: &str, today: NaiveDate) -> Vec<Command> {
    let s = state;
    let text = |t: &str| t.to_string();
    let first_applicant = || s.applicant_ids().first().map(|id| id.to_string());
    let applicant_where = |open: &dyn Fn(&str) -> bool| {
        s.applicant_ids()
            .into_iter()
            .find(|id| open(id))
            .map(str::to_string)
            .or_else(first_applicant)
            .unwrap_or_default()
    };
    match action_id {
        "register" => vec![Command::Register],
        "accept" => vec![Command::Accept],
        "reject" => vec![Command::Reject {
            reasons: text("不符合申请条件"),
        }],
        "update_facts" => {
            let key = s
                .form
                .as_ref()
                .and_then(|f| f.facts.keys().next().cloned())
                .unwrap_or_else(|| text("fact"));
            vec![Command::UpdateFacts {
                facts: BTreeMap::from([(key, serde_json::Value::Bool(true))]),
            }]
        }
        "record_recommendation" => vec![Command::RecordRecommendation {
            recommendation: Recommendation {
                outcome: text("none"),
                modality: text("shall"),
                ..Default::default()
            },
        }],
        "form_panel" => vec![Command::FormPanel {
            members: vec![
                PanelMember {
                    person_id: fresh_person(s, "sample-legal"),
                    name: text("法制成员"),
                    category: MemberCategory::Legal,
                },
                PanelMember {
                    person_id: fresh_person(s, "sample-discipline"),
                    name: text("纪检成员"),
                    category: MemberCategory::Discipline,
                },
            ],
        }],
        "approve_external_participant" => vec![Command::ApproveExternalParticipant {
            participant: ExternalParticipant {
                person_id: fresh_person(s, "sample-external"),
                name: text("特邀人员"),
                category: ExternalCategory::LegalExpert,
                eligibility: Eligibility {
                    political_stance: true,
                    integrity: true,
                    no_criminal_record: true,
                    no_disciplinary_record: true,
                    experience_authority: true,
                    no_conflict: true,
                    confidentiality: true,
                },
                no_conflict_declaration: text("与申请人、申请单位及审查论证事项无利害关系"),
            },
            grounds: text("案情重大、情况复杂"),
        }],
        "add_evidence" => vec![Command::AddEvidence {
            evidence: Evidence {
                sm3: fresh_digest(s),
                file_name: text("证据材料.pdf"),
                description: String::new(),
            },
        }],
        "record_recusal" => vec![Command::RecordRecusal {
            person_id: fresh_person(s, "sample-recusal"),
            name: text("回避人员"),
            reason: text("与审查论证事项有利害关系"),
        }],
        "record_hearing" => vec![Command::RecordHearing {
            summary: text("听取申请人陈述、举证、申辩"),
        }],
        "link_accountability_inquiry" => vec![Command::LinkAccountabilityInquiry {
            inquiry: AccountabilityInquiry {
                body: text("纪检监察室"),
                matter: text(&format!("问责调查{}", s.inquiries.len() + 1)),
                started_on: today,
            },
        }],
        "record_on_scene_report" => vec![Command::RecordOnSceneReport {
            report: OnSceneReport {
                reported_on: today,
                scene_protected: true,
                evidence: text("执法记录仪视频"),
                dispatched: true,
                unit_actions: text("派员到场协助固定证据"),
            },
        }],
        "record_site_visit" => vec![Command::RecordSiteVisit {
            place: text("现场"),
            summary: text("走访调查情况"),
        }],
        "record_interim_line" => vec![Command::RecordInterimLine {
            public_line: text("案件正在依法审查"),
            measures: text("定期会商"),
        }],
        "draft_opinion" => determinations(s)
            .into_iter()
            .map(|determination| Command::DraftOpinion { determination })
            .collect(),
        "approve_opinion" => vec![Command::ApproveOpinion { comment: None }],
        "return_opinion" => vec![Command::ReturnOpinion {
            rejected: false,
            reasons: text("请补充说明因果关系的认定依据"),
        }],
        "issue_opinion" => vec![Command::IssueOpinion],
        // Delivered today: always between the issue day and today when any day is.
        "record_receipt" => vec![Command::RecordReceipt { received_on: today }],
        "extend_review" => vec![Command::ExtendReview {
            grounds: text("案情重大、情况复杂，未能按期审查论证完毕"),
        }],
        "declare_no_objection" => vec![Command::DeclareNoObjection],
        "apply_reconsideration" | "apply_re_review" => {
            let kind = if action_id == "apply_reconsideration" {
                AppealKind::Reconsideration
            } else {
                AppealKind::ReReview
            };
            let grounds = fresh_grounds(s, kind);
            // Without new evidence, and with it (a repeat after a reply needs it, 000 §21 ¶3).
            [None, Some(text("可能推翻原意见结论的新证据"))]
                .into_iter()
                .map(|new_evidence| match kind {
                    AppealKind::Reconsideration => Command::ApplyReconsideration {
                        grounds: grounds.clone(),
                        new_evidence,
                    },
                    AppealKind::ReReview => Command::ApplyReReview {
                        grounds: grounds.clone(),
                        new_evidence,
                    },
                })
                .collect()
        }
        "reply_reconsideration" | "reply_re_review" => {
            let reconsideration = action_id == "reply_reconsideration";
            let reply = |upheld: bool, revised: Option<Determination>| {
                let reasoning = text("经复查");
                if reconsideration {
                    Command::ReplyReconsideration {
                        upheld,
                        reasoning,
                        revised,
                    }
                } else {
                    Command::ReplyReReview {
                        upheld,
                        reasoning,
                        revised,
                    }
                }
            };
            let mut v = vec![reply(true, None)];
            v.extend(determinations(s).into_iter().map(|d| reply(false, Some(d))));
            v
        }
        "start_publicity" => vec![Command::StartPublicity {
            place: text("申请人所在单位"),
            days: None,
        }],
        "record_objection" => vec![Command::RecordObjection {
            summary: text("公示期间收到的反映"),
        }],
        "resolve_objection" => {
            let index = s
                .publicity
                .as_ref()
                .and_then(|p| p.objections.iter().position(|o| o.resolution.is_none()))
                .unwrap_or(0);
            vec![Command::ResolveObjection {
                index,
                substantiated: false,
                finding: text("经甄别核实"),
            }]
        }
        "close_publicity" => vec![Command::ClosePublicity],
        "revise_determination" => determinations(s)
            .into_iter()
            .map(|determination| Command::ReviseDetermination { determination })
            .collect(),
        // Revocation is lighter than any sanction in force (000 §26).
        "send_recommendation" => vec![Command::SendRecommendation {
            proposal: Proposal::Revoke,
            reasons: text("原问责处理决定不当"),
        }],
        "answer_recommendation" => vec![Command::AnswerRecommendation {
            adopted: true,
            justification: None,
        }],
        "record_sanction_change" => vec![Command::RecordSanctionChange {
            sanction: lighter_or_other(s.current_sanction),
            reason: text("原问责处理决定变更"),
        }],
        "record_oversight" => vec![Command::RecordOversight {
            body: OversightBody::DisciplineInspection,
            body_name: text("纪检监察机关"),
            description: text("介入调查"),
        }],
        "provide_opinion_to_oversight" => vec![Command::ProvideOpinionToOversight {
            index: s.oversight.len().saturating_sub(1),
            summary: text("依据证据和意见建议"),
        }],
        "record_oversight_answer" => vec![Command::RecordOversightAnswer {
            index: s
                .oversight
                .iter()
                .position(|o| !o.provided.is_empty() && o.answer.is_none())
                .unwrap_or(0),
            adopted: true,
            note: text("采纳情况"),
        }],
        "report_upward" => vec![Command::ReportUpward {
            index: s
                .oversight
                .iter()
                .position(|o| o.needs_upward_report())
                .unwrap_or(0),
            summary: text("意见建议未被采纳的情况"),
        }],
        "decide_compensation" => vec![Command::DecideCompensation {
            granted: false,
            amount_yuan: None,
            basis: text("参照有关规定"),
        }],
        "review_heavier_sanction" => vec![Command::ReviewHeavierSanction {
            retaliation: false,
            finding: text("审查认定"),
            persons: String::new(),
            referred_to: String::new(),
        }],
        "refer_for_accountability" => vec![Command::ReferForAccountability {
            conduct: Misconduct::Obstruction,
            persons: text("责任人"),
            facts: text("事实"),
            referred_to: text("纪检监察机关"),
        }],
        "make_public_statement" => vec![Command::MakePublicStatement {
            audience: StatementAudience::Society,
            recipient: String::new(),
            channel: text("公布途径"),
            content: text("调查审查情况"),
        }],
        "apply_protections" => vec![Command::ApplyProtections {
            officer_id: applicant_where(&|id| {
                s.result_use
                    .get(id)
                    .is_none_or(|r| r.protections.len() < Protection::ALL.len())
            }),
        }],
        "record_counselling" => vec![Command::RecordCounselling {
            officer_id: first_applicant().unwrap_or_default(),
            summary: text("谈心谈话、心理疏导情况"),
        }],
        "set_rectification" => vec![Command::SetRectification {
            officer_id: first_applicant().unwrap_or_default(),
            measures: text("纠错和整改措施"),
            follow_up: text("回访教育、跟踪管理"),
        }],
        "record_recurrence" => vec![Command::RecordRecurrence {
            officer_id: applicant_where(&|id| {
                s.result_use
                    .get(id)
                    .is_some_and(|r| r.rectification.is_some())
            }),
            description: text("整改效果不明显"),
        }],
        _ => Vec::new(),
    }
}

/// A person id for a filler person: not an applicant, not on the panel, not a participant and
/// not recused.
fn fresh_person(s: &State, base: &str) -> String {
    let taken = |id: &str| {
        s.applicant_ids().contains(&id)
            || s.panel_ids().contains(&id)
            || s.external_ids().contains(&id)
            || s.is_recused(id)
    };
    let mut id = base.to_string();
    let mut n = 0u32;
    while taken(&id) {
        n = n.saturating_add(1);
        id = format!("{base}-{n}");
    }
    id
}

/// An SM3 digest not yet in the case.
fn fresh_digest(s: &State) -> String {
    let mut n = 0u64;
    loop {
        let digest = format!("{n:064x}");
        if !s.evidence.iter().any(|e| e.sm3 == digest) {
            return digest;
        }
        n = n.saturating_add(1);
    }
}

/// Appeal grounds not the same reason as any earlier appeal of the kind (000 §21 ¶3). Digits
/// are kept when reasons are compared, so a numbered variant is always new.
fn fresh_grounds(s: &State, kind: AppealKind) -> String {
    let used: Vec<String> = s
        .appeals
        .iter()
        .filter(|a| a.kind == kind)
        .map(|a| normalise(&a.grounds))
        .collect();
    let base = "对认定意见有异议";
    let mut grounds = base.to_string();
    let mut n = 0u32;
    while used.contains(&normalise(&grounds)) {
        n = n.saturating_add(1);
        grounds = format!("{base}{n}");
    }
    grounds
}

/// As `decide` compares reasons: whitespace and punctuation ignored.
fn normalise(t: &str) -> String {
    crate::decide::reason_key(t)
}

/// Determinations that pass every content check a real one could pass (000 §8, §14, §22):
/// one matching the recommendation where that is possible, and one stating why it departs.
fn determinations(s: &State) -> Vec<Determination> {
    let base = Determination {
        outcome: Outcome::Exemption,
        modality: Modality::Shall,
        leniency: None,
        basis: "经审查论证，民警依法履职".to_string(),
        articles: vec!["000 §7".to_string()],
        original_decision_improper: false,
        departure_reasons: None,
    };
    let mut out = Vec::new();
    if let Some(r) = &s.recommendation {
        let outcome = match r.outcome.trim() {
            "exemption" => Some(Outcome::Exemption),
            "tolerance" => Some(Outcome::Tolerance),
            "exclusion" => Some(Outcome::Exclusion),
            "aggravation" => Some(Outcome::Aggravation),
            "none" => Some(Outcome::None),
            _ => None,
        };
        let modality = match r.modality.trim() {
            "may" => Some(Modality::May),
            "shall" => Some(Modality::Shall),
            _ => None,
        };
        let leniency = r.leniency.first().and_then(|l| match l.trim() {
            "lighter" => Some(Leniency::Lighter),
            "reduced" => Some(Leniency::Reduced),
            "waived" => Some(Leniency::Waived),
            _ => None,
        });
        if let (Some(outcome), Some(modality)) = (outcome, modality) {
            let matching = Determination {
                outcome,
                modality,
                leniency,
                ..base.clone()
            };
            if !matching.departs_from(r) {
                out.push(matching);
            }
        }
    }
    out.push(Determination {
        departure_reasons: Some("经审查论证，认定与系统建议结论不同".to_string()),
        ..base
    });
    out
}

/// A change of the sanction in force that is not heavier where it can be lighter: one step
/// lighter, revocation below the lightest; a sanction where none is in force (only possible
/// before any appeal, 000 §21 ¶3).
fn lighter_or_other(current: Option<Sanction>) -> Option<Sanction> {
    const ORDER: [Sanction; 9] = [
        Sanction::Admonition,
        Sanction::WrittenSelfExamination,
        Sanction::CirculatedCriticism,
        Sanction::Warning,
        Sanction::Demerit,
        Sanction::MajorDemerit,
        Sanction::Demotion,
        Sanction::RemovalFromPost,
        Sanction::Expulsion,
    ];
    match current {
        None => Some(Sanction::Admonition),
        Some(c) => ORDER.iter().rev().find(|x| **x < c).copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_but_the_opening_ones_has_samples_of_its_own_kind() {
        let s = State::default();
        let today = NaiveDate::from_ymd_opt(2024, 10, 8).unwrap_or_default();
        for (id, _) in ACTIONS {
            let samples = sample_commands(&s, id, today);
            if OPENING.contains(id) {
                assert!(samples.is_empty(), "{id}");
                continue;
            }
            assert!(!samples.is_empty(), "{id} has no sample");
            for c in samples {
                assert_eq!(c.action_id(), *id);
            }
        }
        assert!(sample_commands(&s, "launch", today).is_empty());
    }

    #[test]
    fn a_sample_sanction_change_is_never_heavier_than_the_one_in_force() {
        assert_eq!(lighter_or_other(Some(Sanction::Admonition)), None);
        assert_eq!(
            lighter_or_other(Some(Sanction::Demerit)),
            Some(Sanction::Warning)
        );
        assert_eq!(lighter_or_other(None), Some(Sanction::Admonition));
    }
}
