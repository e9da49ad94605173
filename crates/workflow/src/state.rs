//! A case's state, derived by folding its events in order. `apply` is total (replaying stored
//! events never fails); `try_apply` first checks that the event fits the state, so a duplicate
//! or stale event (e.g. a second deemed acceptance) is refused.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

use crate::error::WorkflowError;
use crate::event::{Event, EventKind};
use crate::model::*;

/// Where the main line of the procedure stands. Publicity, the recommendation, oversight and
/// result use run beside it once the determination is final.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Stage {
    /// No event yet.
    #[default]
    New,
    /// Received, not yet registered.
    Filed,
    /// Registered, under initial check (000 §13).
    Registered,
    Rejected,
    /// Accepted (in writing, deemed or ex officio): review under way (000 §14–15).
    UnderReview,
    OpinionDrafted,
    OpinionApproved,
    /// Opinion issued: the 复议 window runs (000 §21).
    OpinionIssued,
    ReconsiderationPending,
    /// 复议 replied: the 复核 window runs.
    ReconsiderationReplied,
    ReReviewPending,
    /// 复核 replied: final.
    ReReviewReplied,
}

impl Stage {
    /// The stage's id, as serialised (`under_review`, …).
    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::New => "尚未立案",
            Stage::Filed => "已收到申请",
            Stage::Registered => "已登记、初查中",
            Stage::Rejected => "不予受理",
            Stage::UnderReview => "已受理、审查论证中",
            Stage::OpinionDrafted => "审查论证意见待批准",
            Stage::OpinionApproved => "审查论证意见已批准、待出具",
            Stage::OpinionIssued => "审查论证意见已出具",
            Stage::ReconsiderationPending => "复议办理中",
            Stage::ReconsiderationReplied => "复议意见已回复",
            Stage::ReReviewPending => "复核办理中",
            Stage::ReReviewReplied => "复核意见已回复",
        }
    }

    /// Review is under way and the opinion period runs (000 §16, §18, §20).
    pub fn in_review(self) -> bool {
        matches!(
            self,
            Stage::UnderReview | Stage::OpinionDrafted | Stage::OpinionApproved
        )
    }

    /// An opinion or reply is in force.
    pub fn has_opinion(self) -> bool {
        matches!(
            self,
            Stage::OpinionIssued
                | Stage::ReconsiderationPending
                | Stage::ReconsiderationReplied
                | Stage::ReReviewPending
                | Stage::ReReviewReplied
        )
    }
}

/// How the case came to be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceKind {
    Written,
    Deemed,
    ExOfficio,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealReply {
    pub on: NaiveDate,
    pub upheld: bool,
    pub reasoning: String,
    pub received_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealRecord {
    pub kind: AppealKind,
    pub grounds: String,
    pub new_evidence: Option<String>,
    pub filed_on: NaiveDate,
    pub to: Org,
    pub copy_to: Option<Org>,
    pub reply: Option<AppealReply>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub summary: String,
    pub recorded_on: NaiveDate,
    /// `(substantiated, finding)` once verified.
    pub resolution: Option<(bool, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publicity {
    pub place: String,
    pub started_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Its length in 日 when the office set it longer than the pack's minimum (000 §23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    pub objections: Vec<Objection>,
    pub closed_on: Option<NaiveDate>,
}

impl Publicity {
    pub fn unresolved(&self) -> usize {
        self.objections
            .iter()
            .filter(|o| o.resolution.is_none())
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRecommendation {
    pub proposal: Proposal,
    pub reasons: String,
    pub sent_on: NaiveDate,
    /// `(adopted, justification, on)`.
    pub answer: Option<(bool, Option<String>, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oversight {
    pub body: OversightBody,
    pub body_name: String,
    pub description: String,
    pub recorded_on: NaiveDate,
    /// What was provided, with whether the written opinion was among it.
    pub provided: Vec<(NaiveDate, String, bool)>,
    pub answer: Option<(bool, String)>,
    pub reported_upward: Option<NaiveDate>,
}

impl Oversight {
    /// Not adopted and not yet reported upward (000 §29 ¶2).
    pub fn needs_upward_report(&self) -> bool {
        matches!(self.answer, Some((false, _))) && self.reported_upward.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResultUse {
    pub protections: Vec<Protection>,
    pub counselling: Vec<(NaiveDate, String)>,
    pub rectification: Option<(String, String)>,
    pub recurrences: Vec<(NaiveDate, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compensation {
    pub granted: bool,
    pub amount_yuan: Option<u64>,
    pub basis: String,
    pub on: NaiveDate,
}

/// Conduct of 相关领导和责任人 referred for accountability (000 §37).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub conduct: Misconduct,
    /// The item as the governing pack numbers it (`§37(六)`).
    pub article: String,
    pub persons: String,
    pub facts: String,
    pub referred_to: String,
    pub on: NaiveDate,
}

/// The committee's review of the heavier sanctions flagged after an appeal (000 §21 ¶3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeavierReview {
    /// How many of [`State::heavier_after_appeal`] it answered.
    pub covers: usize,
    pub retaliation: bool,
    pub finding: String,
    pub on: NaiveDate,
}

/// The case made known to the public or to the 执法相对人 (000 §28).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicStatement {
    pub audience: StatementAudience,
    /// The 执法相对人 told (empty for a publication).
    #[serde(default)]
    pub recipient: String,
    pub channel: String,
    pub on: NaiveDate,
}

/// Everything known about a case, derived from its events.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct State {
    /// Number of events applied: the case version for optimistic concurrency.
    pub version: u64,
    pub stage: Stage,
    /// The date of the latest event: commands dated earlier are refused.
    pub last_on: Option<NaiveDate>,
    pub form: Option<ApplicationForm>,
    pub filer: Option<Filer>,
    pub received_on: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    /// Effective acceptance day: the opinion period counts from it (000 §16).
    pub accepted_on: Option<NaiveDate>,
    pub acceptance: Option<AcceptanceKind>,
    pub rejection_reasons: Option<String>,
    pub panel: Vec<PanelMember>,
    pub externals: Vec<ExternalParticipant>,
    /// People recused from the case, in order: `(person_id, name, reason)` (000 §19(六)).
    /// They stay listed on the panel or among the participants as they were, but take no
    /// further part in the case.
    #[serde(default)]
    pub recused: Vec<(String, String, String)>,
    /// Why the case is major / complex (000 §17–18, §20).
    pub major_grounds: Option<String>,
    /// Extensions granted so far (0–2).
    pub extensions: u8,
    /// The opinion's last day as extended (`None`: unextended, computed from the period).
    pub extended_due: Option<NaiveDate>,
    pub evidence: Vec<Evidence>,
    pub hearings: Vec<(NaiveDate, String)>,
    pub site_visits: Vec<(NaiveDate, String, String)>,
    pub interim_lines: Vec<(NaiveDate, String, String)>,
    pub recommendation: Option<Recommendation>,
    pub draft: Option<Determination>,
    pub approved_by: Option<By>,
    /// The leader's written opinion given with the approval (本级维权委领导意见 on the 申请表):
    /// the day, who, and the text. (Left out of the JSON when none, so that cases recorded
    /// before it show exactly as they did.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_opinion: Option<(NaiveDate, By, String)>,
    /// Drafts sent back by 主任 or 副主任, in order (000 §14): the day, who, whether it was
    /// 不予批准 (else 退回修改), and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub returns: Vec<(NaiveDate, By, bool, String)>,
    /// The determination in force (opinion, or as revised on appeal or after an objection).
    pub determination: Option<Determination>,
    pub opinion_issued_on: Option<NaiveDate>,
    pub opinion_received_on: Option<NaiveDate>,
    pub appeals: Vec<AppealRecord>,
    /// The applicant declared no objection to what is now in force.
    pub no_objection: bool,
    pub publicity: Option<Publicity>,
    /// A substantiated objection puts the determination in question until it is revised.
    pub determination_in_question: bool,
    pub original_sanction: Option<Sanction>,
    /// The accountability decision's present sanction (`None`: revoked or no decision linked).
    pub current_sanction: Option<Sanction>,
    pub sanction_history: Vec<(NaiveDate, Option<Sanction>, String)>,
    /// Days on which the linked decision was made heavier after a 复议 or 复核 had been filed:
    /// each is for the committee to review (000 §21 ¶3, §37(六); 001 §30).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heavier_after_appeal: Vec<NaiveDate>,
    /// The committee's reviews of those flags, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heavier_reviews: Vec<HeavierReview>,
    /// Accountability investigations the review runs alongside (000 §6), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inquiries: Vec<(NaiveDate, AccountabilityInquiry)>,
    /// The officer's report and the scene as the review found them (000 §11); the latest record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_scene: Option<(NaiveDate, OnSceneReport)>,
    /// Conduct referred for accountability (000 §37), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<Referral>,
    pub department_recommendation: Option<DepartmentRecommendation>,
    pub oversight: Vec<Oversight>,
    pub compensation: Option<Compensation>,
    /// Publications and 通报 of the case (000 §28), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_statements: Vec<PublicStatement>,
    pub result_use: BTreeMap<String, ResultUse>,
    pub documents: Vec<Document>,
    /// Seals of issued notices (their archived PDF's SM3), by document number (from 1).
    #[serde(default)]
    pub seals: BTreeMap<usize, DocumentSeal>,
    /// The regulations that govern the case, as recorded when it was opened (issue 20); none
    /// for a case recorded before bindings (pack 000 governs it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governance: Option<lvzhi_case::Governance>,
}

impl State {
    /// Folds a case's events from the beginning.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> State {
        events.into_iter().fold(State::default(), apply)
    }

    /// Opened by the office on its own initiative (000 §12 ¶2).
    pub fn is_ex_officio(&self) -> bool {
        self.filer == Some(Filer::ExOfficio)
    }

    /// The organisation whose committee handles the case (for access scope and listings).
    pub fn org_id(&self) -> Option<&str> {
        self.form.as_ref().map(|f| f.committee.id.as_str())
    }

    /// A one-line title for listings: applicants and matter.
    pub fn title(&self) -> String {
        match &self.form {
            Some(f) => {
                let names: Vec<&str> = f.applicants.iter().map(|o| o.name.as_str()).collect();
                format!("{}：{}", names.join("、"), f.matter.trim())
            }
            None => String::new(),
        }
    }

    /// The latest appeal of a kind.
    pub fn last_appeal(&self, kind: AppealKind) -> Option<&AppealRecord> {
        self.appeals.iter().rev().find(|a| a.kind == kind)
    }

    /// How many heavier sanctions flagged after an appeal the committee has yet to review
    /// (000 §21 ¶3).
    pub fn heavier_unreviewed(&self) -> usize {
        let covered = self.heavier_reviews.last().map_or(0, |r| r.covers);
        self.heavier_after_appeal.len().saturating_sub(covered)
    }

    /// Whether any 复议 or 复核 has been filed (000 §21 ¶3 applies from then on).
    pub fn appealed(&self) -> bool {
        !self.appeals.is_empty()
    }

    // Who the case involves: plain accessors for access control and read models.

    /// The applicant officers' person ids (000 §12).
    pub fn applicant_ids(&self) -> Vec<&str> {
        self.form
            .iter()
            .flat_map(|f| f.applicants.iter().map(|o| o.person_id.as_str()))
            .collect()
    }

    /// The panel members' person ids as the panel was last formed (000 §14), including any
    /// since recused (see [`State::recused_ids`]).
    pub fn panel_ids(&self) -> Vec<&str> {
        self.panel.iter().map(|m| m.person_id.as_str()).collect()
    }

    /// The approved invited participants' person ids (000 §18), including any since recused.
    pub fn external_ids(&self) -> Vec<&str> {
        self.externals
            .iter()
            .map(|x| x.person_id.as_str())
            .collect()
    }

    /// The person ids of everyone recused from the case (000 §19(六)).
    pub fn recused_ids(&self) -> Vec<&str> {
        self.recused.iter().map(|(id, _, _)| id.as_str()).collect()
    }

    /// Whether `person_id` has been recused from the case (000 §19(六)).
    pub fn is_recused(&self, person_id: &str) -> bool {
        self.recused.iter().any(|(id, _, _)| id == person_id)
    }

    /// The organisation whose committee (本级维权委) handles the case.
    pub fn committee_org(&self) -> Option<&Org> {
        self.form.as_ref().map(|f| &f.committee)
    }

    /// The applicants' unit (所在单位 / 申请单位, 000 §12).
    pub fn applying_unit(&self) -> Option<&Org> {
        self.form.as_ref().map(|f| &f.applying_unit)
    }

    /// The department that made the linked accountability decision (000 §22, §26–27).
    pub fn department_org(&self) -> Option<&Org> {
        self.form
            .as_ref()
            .and_then(|f| f.accountability_decision.as_ref())
            .map(|d| &d.department)
    }

    /// The parent committee hearing the case, once a 复核 has been filed (000 §21 ¶2).
    pub fn escalated_to(&self) -> Option<&Org> {
        self.last_appeal(AppealKind::ReReview).map(|a| &a.to)
    }
}

/// Applies one event. Total: unknown combinations change only what the event says, so
/// replaying a stored history never fails. Use [`try_apply`] before appending.
pub fn apply(mut s: State, e: &Event) -> State {
    s.version += 1;
    let on = e.on;
    s.last_on = Some(s.last_on.map_or(on, |l| l.max(on)));
    match &e.kind {
        EventKind::Filed {
            form,
            filer,
            received_on,
        } => {
            s.stage = Stage::Filed;
            s.original_sanction = form.accountability_decision.as_ref().map(|d| d.sanction);
            s.current_sanction = s.original_sanction;
            s.form = Some(form.clone());
            s.filer = Some(*filer);
            s.received_on = Some(*received_on);
        }
        EventKind::OpenedExOfficio { form, document, .. } => {
            s.stage = Stage::UnderReview;
            s.original_sanction = form.accountability_decision.as_ref().map(|d| d.sanction);
            s.current_sanction = s.original_sanction;
            s.form = Some(form.clone());
            s.filer = Some(Filer::ExOfficio);
            s.received_on = Some(on);
            s.registered_on = Some(on);
            s.accepted_on = Some(on);
            s.acceptance = Some(AcceptanceKind::ExOfficio);
            s.documents.push(document.clone());
        }
        EventKind::Registered => {
            s.stage = Stage::Registered;
            s.registered_on = Some(on);
        }
        EventKind::Accepted { document } => {
            s.stage = Stage::UnderReview;
            s.accepted_on = Some(on);
            s.acceptance = Some(AcceptanceKind::Written);
            s.documents.push(document.clone());
        }
        EventKind::Rejected { reasons, document } => {
            s.stage = Stage::Rejected;
            s.rejection_reasons = Some(reasons.clone());
            s.documents.push(document.clone());
        }
        EventKind::DeemedAccepted {
            effective_on,
            document,
        } => {
            s.stage = Stage::UnderReview;
            s.accepted_on = Some(*effective_on);
            s.acceptance = Some(AcceptanceKind::Deemed);
            s.documents.push(document.clone());
        }
        EventKind::FactsUpdated { facts } => {
            if let Some(f) = s.form.as_mut() {
                for (k, v) in facts {
                    f.facts.insert(k.clone(), v.clone());
                }
            }
        }
        EventKind::RecommendationRecorded { recommendation } => {
            s.recommendation = Some(recommendation.clone());
        }
        EventKind::PanelFormed { members } => s.panel = members.clone(),
        EventKind::ExternalParticipantApproved {
            participant,
            grounds,
        } => {
            s.externals.push(participant.clone());
            if s.major_grounds.is_none() {
                s.major_grounds = Some(grounds.clone());
            }
        }
        EventKind::EvidenceAdded { evidence } => s.evidence.push(evidence.clone()),
        EventKind::Recused {
            person_id,
            name,
            reason,
        } => {
            if !s.is_recused(person_id) {
                s.recused
                    .push((person_id.clone(), name.clone(), reason.clone()));
            }
        }
        EventKind::HearingHeld { summary } => s.hearings.push((on, summary.clone())),
        EventKind::SiteVisited { place, summary } => {
            s.site_visits.push((on, place.clone(), summary.clone()))
        }
        EventKind::OnSceneReportRecorded { report } => s.on_scene = Some((on, report.clone())),
        EventKind::AccountabilityInquiryLinked { inquiry } => {
            s.inquiries.push((on, inquiry.clone()))
        }
        EventKind::InterimLineRecorded {
            public_line,
            measures,
        } => s
            .interim_lines
            .push((on, public_line.clone(), measures.clone())),
        EventKind::OpinionDrafted { determination } => {
            s.stage = Stage::OpinionDrafted;
            s.draft = Some(determination.clone());
            s.approved_by = None;
        }
        EventKind::OpinionApproved { comment } => {
            s.stage = Stage::OpinionApproved;
            s.approved_by = Some(e.by.clone());
            s.leader_opinion = comment.as_ref().map(|c| (on, e.by.clone(), c.clone()));
        }
        EventKind::OpinionReturned { rejected, reasons } => {
            s.stage = Stage::UnderReview;
            s.approved_by = None;
            // 不予批准: the draft is set aside and drafted anew; 退回修改 keeps it to revise.
            if *rejected {
                s.draft = None;
            }
            s.returns
                .push((on, e.by.clone(), *rejected, reasons.clone()));
        }
        EventKind::OpinionIssued {
            received_on,
            document,
        } => {
            s.stage = Stage::OpinionIssued;
            s.determination = s.draft.clone();
            s.opinion_issued_on = Some(on);
            s.opinion_received_on = Some(*received_on);
            s.no_objection = false;
            s.documents.push(document.clone());
        }
        EventKind::ReviewExtended {
            round,
            grounds,
            new_due,
            document,
        } => {
            s.extensions = (*round).max(s.extensions);
            s.extended_due = Some(*new_due);
            if s.major_grounds.is_none() {
                s.major_grounds = Some(grounds.clone());
            }
            s.documents.push(document.clone());
        }
        EventKind::ReceiptRecorded { received_on } => {
            if s.stage == Stage::OpinionIssued {
                s.opinion_received_on = Some(*received_on);
            } else if let Some(r) = s.appeals.last_mut().and_then(|a| a.reply.as_mut()) {
                r.received_on = *received_on;
            }
        }
        EventKind::NoObjectionDeclared => s.no_objection = true,
        EventKind::AppealFiled {
            appeal,
            grounds,
            new_evidence,
            to,
            copy_to,
        } => {
            s.stage = match appeal {
                AppealKind::Reconsideration => Stage::ReconsiderationPending,
                AppealKind::ReReview => Stage::ReReviewPending,
            };
            s.appeals.push(AppealRecord {
                kind: *appeal,
                grounds: grounds.clone(),
                new_evidence: new_evidence.clone(),
                filed_on: on,
                to: to.clone(),
                copy_to: copy_to.clone(),
                reply: None,
            });
        }
        EventKind::AppealReplied {
            appeal,
            upheld,
            reasoning,
            revised,
            received_on,
            document,
        } => {
            s.stage = match appeal {
                AppealKind::Reconsideration => Stage::ReconsiderationReplied,
                AppealKind::ReReview => Stage::ReReviewReplied,
            };
            if let Some(a) = s
                .appeals
                .iter_mut()
                .rev()
                .find(|a| a.kind == *appeal && a.reply.is_none())
            {
                a.reply = Some(AppealReply {
                    on,
                    upheld: *upheld,
                    reasoning: reasoning.clone(),
                    received_on: *received_on,
                });
            }
            if let Some(d) = revised {
                s.determination = Some(d.clone());
            }
            s.no_objection = false;
            s.documents.push(document.clone());
        }
        EventKind::PublicityStarted {
            place,
            ends_on,
            document,
            days,
        } => {
            s.publicity = Some(Publicity {
                place: place.clone(),
                started_on: on,
                ends_on: *ends_on,
                days: *days,
                objections: Vec::new(),
                closed_on: None,
            });
            s.documents.push(document.clone());
        }
        EventKind::ObjectionRecorded { summary } => {
            if let Some(p) = s.publicity.as_mut() {
                p.objections.push(Objection {
                    summary: summary.clone(),
                    recorded_on: on,
                    resolution: None,
                });
            }
        }
        EventKind::ObjectionResolved {
            index,
            substantiated,
            finding,
        } => {
            if let Some(o) = s
                .publicity
                .as_mut()
                .and_then(|p| p.objections.get_mut(*index))
            {
                o.resolution = Some((*substantiated, finding.clone()));
            }
            if *substantiated {
                s.determination_in_question = true;
            }
        }
        EventKind::PublicityClosed => {
            if let Some(p) = s.publicity.as_mut() {
                p.closed_on = Some(on);
            }
        }
        EventKind::DeterminationRevised { determination } => {
            s.determination = Some(determination.clone());
            s.determination_in_question = false;
        }
        EventKind::RecommendationSent {
            proposal,
            reasons,
            document,
        } => {
            s.department_recommendation = Some(DepartmentRecommendation {
                proposal: *proposal,
                reasons: reasons.clone(),
                sent_on: on,
                answer: None,
            });
            s.documents.push(document.clone());
        }
        EventKind::RecommendationAnswered {
            adopted,
            justification,
        } => {
            let mut change = None;
            if let Some(r) = s.department_recommendation.as_mut() {
                r.answer = Some((*adopted, justification.clone(), on));
                if *adopted {
                    change = Some(r.proposal.resulting());
                }
            }
            if let Some(new) = change {
                s.current_sanction = new;
                s.sanction_history
                    .push((on, new, "采纳维权委撤销或变更原决定的建议".to_string()));
            }
        }
        EventKind::SanctionChanged {
            sanction,
            reason,
            heavier_after_appeal,
        } => {
            s.current_sanction = *sanction;
            s.sanction_history.push((on, *sanction, reason.clone()));
            if *heavier_after_appeal {
                s.heavier_after_appeal.push(on);
            }
        }
        EventKind::OversightRecorded {
            body,
            body_name,
            description,
        } => s.oversight.push(Oversight {
            body: *body,
            body_name: body_name.clone(),
            description: description.clone(),
            recorded_on: on,
            provided: Vec::new(),
            answer: None,
            reported_upward: None,
        }),
        EventKind::OpinionProvidedToOversight {
            index,
            summary,
            includes_opinion,
        } => {
            if let Some(o) = s.oversight.get_mut(*index) {
                o.provided.push((on, summary.clone(), *includes_opinion));
            }
        }
        EventKind::OversightAnswered {
            index,
            adopted,
            note,
        } => {
            if let Some(o) = s.oversight.get_mut(*index) {
                o.answer = Some((*adopted, note.clone()));
            }
        }
        EventKind::ReportedUpward { index, .. } => {
            if let Some(o) = s.oversight.get_mut(*index) {
                o.reported_upward = Some(on);
            }
        }
        EventKind::CompensationDecided {
            granted,
            amount_yuan,
            basis,
        } => {
            s.compensation = Some(Compensation {
                granted: *granted,
                amount_yuan: *amount_yuan,
                basis: basis.clone(),
                on,
            })
        }
        EventKind::AccountabilityReferred {
            conduct,
            article,
            persons,
            facts,
            referred_to,
        } => s.referrals.push(Referral {
            conduct: *conduct,
            article: article.clone(),
            persons: persons.clone(),
            facts: facts.clone(),
            referred_to: referred_to.clone(),
            on,
        }),
        EventKind::HeavierSanctionReviewed {
            retaliation,
            finding,
        } => s.heavier_reviews.push(HeavierReview {
            covers: s.heavier_after_appeal.len(),
            retaliation: *retaliation,
            finding: finding.clone(),
            on,
        }),
        EventKind::PublicStatementMade {
            audience,
            recipient,
            channel,
            document,
            ..
        } => {
            s.public_statements.push(PublicStatement {
                audience: *audience,
                recipient: recipient.clone(),
                channel: channel.clone(),
                on,
            });
            s.documents.push(document.clone());
        }
        EventKind::ProtectionsApplied { officer_id, items } => {
            let r = s.result_use.entry(officer_id.clone()).or_default();
            for i in items {
                if !r.protections.contains(i) {
                    r.protections.push(*i);
                }
            }
        }
        EventKind::CounsellingRecorded {
            officer_id,
            summary,
        } => s
            .result_use
            .entry(officer_id.clone())
            .or_default()
            .counselling
            .push((on, summary.clone())),
        EventKind::RectificationSet {
            officer_id,
            measures,
            follow_up,
        } => {
            s.result_use
                .entry(officer_id.clone())
                .or_default()
                .rectification = Some((measures.clone(), follow_up.clone()))
        }
        EventKind::RecurrenceRecorded {
            officer_id,
            description,
        } => s
            .result_use
            .entry(officer_id.clone())
            .or_default()
            .recurrences
            .push((on, description.clone())),
        // The first seal of a notice stands (try_apply refuses a second).
        EventKind::DocumentSealed { seal } => {
            s.seals.entry(seal.document).or_insert_with(|| seal.clone());
        }
        // Recorded once, at opening; the first stands.
        EventKind::CaseGoverned { governance } => {
            s.governance.get_or_insert_with(|| governance.clone());
        }
    }
    s
}

/// Checks that `e` fits `s` as the next event, then applies it. Refuses an event whose
/// precondition no longer holds: a second deemed acceptance, a reply to no pending appeal, an
/// event before the case exists. Storage calls this before appending an event computed
/// earlier (e.g. by the scheduler), so a due event fires at most once.
pub fn try_apply(s: State, e: &Event) -> Result<State, WorkflowError> {
    let ok = match &e.kind {
        EventKind::Filed { .. } | EventKind::OpenedExOfficio { .. } => s.stage == Stage::New,
        EventKind::Registered => s.stage == Stage::Filed,
        EventKind::Accepted { .. } | EventKind::Rejected { .. } => s.stage == Stage::Registered,
        EventKind::DeemedAccepted { .. } => matches!(s.stage, Stage::Filed | Stage::Registered),
        EventKind::OpinionDrafted { .. }
        | EventKind::ReviewExtended { .. }
        | EventKind::PanelFormed { .. }
        | EventKind::ExternalParticipantApproved { .. }
        | EventKind::HearingHeld { .. }
        | EventKind::SiteVisited { .. }
        | EventKind::OnSceneReportRecorded { .. }
        | EventKind::InterimLineRecorded { .. } => s.stage.in_review(),
        EventKind::OpinionApproved { .. } | EventKind::OpinionReturned { .. } => {
            s.stage == Stage::OpinionDrafted
        }
        EventKind::OpinionIssued { .. } => s.stage == Stage::OpinionApproved,
        EventKind::AppealFiled { appeal, .. } => match appeal {
            AppealKind::Reconsideration => matches!(
                s.stage,
                Stage::OpinionIssued | Stage::ReconsiderationReplied
            ),
            AppealKind::ReReview => matches!(
                s.stage,
                Stage::ReconsiderationReplied | Stage::ReReviewReplied
            ),
        },
        EventKind::AppealReplied { appeal, .. } => match appeal {
            AppealKind::Reconsideration => s.stage == Stage::ReconsiderationPending,
            AppealKind::ReReview => s.stage == Stage::ReReviewPending,
        },
        EventKind::NoObjectionDeclared | EventKind::ReceiptRecorded { .. } => matches!(
            s.stage,
            Stage::OpinionIssued | Stage::ReconsiderationReplied | Stage::ReReviewReplied
        ),
        EventKind::PublicityStarted { .. } => s.stage.has_opinion() && s.publicity.is_none(),
        EventKind::ObjectionRecorded { .. } | EventKind::PublicityClosed => {
            s.publicity.as_ref().is_some_and(|p| p.closed_on.is_none())
        }
        EventKind::ObjectionResolved { index, .. } => s.publicity.as_ref().is_some_and(|p| {
            p.objections
                .get(*index)
                .is_some_and(|o| o.resolution.is_none())
        }),
        EventKind::RecommendationSent { .. } => {
            s.stage.has_opinion() && s.department_recommendation.is_none()
        }
        EventKind::RecommendationAnswered { .. } => s
            .department_recommendation
            .as_ref()
            .is_some_and(|r| r.answer.is_none()),
        EventKind::OpinionProvidedToOversight { index, .. }
        | EventKind::OversightAnswered { index, .. }
        | EventKind::ReportedUpward { index, .. } => *index < s.oversight.len(),
        EventKind::Recused { person_id, .. } => s.stage != Stage::New && !s.is_recused(person_id),
        // A seal names an issued notice by number and title, once, with a well-formed digest.
        EventKind::CaseGoverned { .. } => s.governance.is_none(),
        EventKind::DocumentSealed { seal } => {
            seal.well_formed()
                && !s.seals.contains_key(&seal.document)
                && seal
                    .document
                    .checked_sub(1)
                    .and_then(|i| s.documents.get(i))
                    .is_some_and(|d| d.title == seal.title)
        }
        _ => s.stage != Stage::New,
    };
    if ok {
        Ok(apply(s, e))
    } else {
        Err(WorkflowError::WrongStage {
            action: format!("记录“{}”", event_zh(&e.kind)),
            stage: s.stage.zh().to_string(),
        })
    }
}

/// The Chinese name of an event kind, for the timeline and messages.
pub fn event_zh(k: &EventKind) -> &'static str {
    match k {
        EventKind::Filed { .. } => "收到免责容错申请",
        EventKind::OpenedExOfficio { .. } => "主动启动审查论证",
        EventKind::Registered => "登记",
        EventKind::Accepted { .. } => "受理",
        EventKind::Rejected { .. } => "不予受理",
        EventKind::DeemedAccepted { .. } => "视为受理",
        EventKind::FactsUpdated { .. } => "更新案件事实",
        EventKind::RecommendationRecorded { .. } => "记录系统建议结论",
        EventKind::PanelFormed { .. } => "组成审查论证组",
        EventKind::ExternalParticipantApproved { .. } => "批准邀请人员参与审查论证",
        EventKind::EvidenceAdded { .. } => "添加证据材料",
        EventKind::Recused { .. } => "决定回避",
        EventKind::HearingHeld { .. } => "听取陈述、举证、申辩",
        EventKind::SiteVisited { .. } => "实地走访调查",
        EventKind::OnSceneReportRecorded { .. } => "民警报告和现场处置情况",
        EventKind::AccountabilityInquiryLinked { .. } => "关联同步审查的问责调查",
        EventKind::InterimLineRecorded { .. } => "议定阶段性对外宣传口径",
        EventKind::OpinionDrafted { .. } => "起草审查论证意见",
        EventKind::OpinionApproved { .. } => "批准审查论证意见",
        EventKind::OpinionReturned {
            rejected: false, ..
        } => "退回修改审查论证意见",
        EventKind::OpinionReturned { rejected: true, .. } => "不予批准审查论证意见",
        EventKind::OpinionIssued { .. } => "出具审查论证意见",
        EventKind::ReviewExtended { .. } => "延长审查论证期限",
        EventKind::ReceiptRecorded { .. } => "记录送达日期",
        EventKind::NoObjectionDeclared => "申请人表示无异议",
        EventKind::AppealFiled { .. } => "申请复议或复核",
        EventKind::AppealReplied { .. } => "回复复议或复核意见",
        EventKind::PublicityStarted { .. } => "开始公示",
        EventKind::ObjectionRecorded { .. } => "记录公示期间反映",
        EventKind::ObjectionResolved { .. } => "核实公示期间反映",
        EventKind::PublicityClosed => "结束公示",
        EventKind::DeterminationRevised { .. } => "修正认定意见",
        EventKind::RecommendationSent { .. } => "提出撤销或变更原决定的建议",
        EventKind::RecommendationAnswered { .. } => "原决定部门答复建议",
        EventKind::SanctionChanged { .. } => "原问责决定变更",
        EventKind::OversightRecorded { .. } => "纪检监察、检察机关介入",
        EventKind::OpinionProvidedToOversight { .. } => "向介入机关提供意见",
        EventKind::OversightAnswered { .. } => "介入机关采纳情况",
        EventKind::ReportedUpward { .. } => "报告上一级公安机关",
        EventKind::CompensationDecided { .. } => "作出补偿决定",
        EventKind::PublicStatementMade { audience, .. } => audience.zh(),
        EventKind::AccountabilityReferred { .. } => "移送追究相关领导和责任人的责任",
        EventKind::HeavierSanctionReviewed { .. } => "审查复议复核后的加重处理",
        EventKind::ProtectionsApplied { .. } => "落实免责民警权益保障",
        EventKind::CounsellingRecorded { .. } => "谈心谈话、心理疏导",
        EventKind::RectificationSet { .. } => "制定纠错整改措施",
        EventKind::RecurrenceRecorded { .. } => "记录整改不力或同类错误再次发生",
        EventKind::DocumentSealed { .. } => "文书定稿",
        EventKind::CaseGoverned { .. } => "确定适用规定",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind) -> Event {
        Event {
            on: NaiveDate::from_ymd_opt(2024, 10, 8).unwrap(),
            by: By::system(),
            kind,
        }
    }

    #[test]
    fn stage_ids_match_their_serialisation() {
        for st in [
            Stage::New,
            Stage::UnderReview,
            Stage::ReconsiderationPending,
            Stage::ReReviewReplied,
        ] {
            let json = serde_json::to_value(st).unwrap();
            assert_eq!(json, serde_json::Value::String(st.id().to_string()));
        }
    }

    #[test]
    fn apply_counts_versions_and_try_apply_refuses_events_out_of_place() {
        let s = apply(State::default(), &ev(EventKind::Registered));
        assert_eq!(s.version, 1);
        assert!(try_apply(State::default(), &ev(EventKind::Registered)).is_err());
        assert!(try_apply(
            State::default(),
            &ev(EventKind::OpinionApproved { comment: None })
        )
        .is_err());
        assert!(try_apply(State::default(), &ev(EventKind::PublicityClosed)).is_err());
        let err = try_apply(State::default(), &ev(EventKind::NoObjectionDeclared))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "案件当前处于“尚未立案”阶段，不能记录“申请人表示无异议”"
        );
    }

    fn notice(title: &str) -> Document {
        Document {
            kind: DocumentKind::AcceptanceNotice,
            title: title.into(),
            addressee: "张伟同志".into(),
            copy_to: vec![],
            text: "正文".into(),
            issued_on: NaiveDate::from_ymd_opt(2024, 10, 8).unwrap(),
        }
    }

    fn seal(document: usize, title: &str, sm3: &str) -> Event {
        ev(EventKind::DocumentSealed {
            seal: DocumentSeal {
                document,
                title: title.into(),
                sm3: sm3.into(),
                bytes: 1234,
                pages: 1,
                fonts: vec!["Noto Serif CJK SC".into()],
            },
        })
    }

    /// Issue 6: the PDF of an issued notice is sealed once, by number and title; the seal
    /// changes nothing in the procedure (000 §13's notice stays what it was).
    #[test]
    fn issue6_a_seal_names_one_issued_notice_once_and_changes_no_stage() {
        let title = "免责容错申请受理通知书";
        let digest = "0a".repeat(32);
        let s = State {
            stage: Stage::UnderReview,
            documents: vec![notice(title)],
            ..State::default()
        };
        let sealed = try_apply(s.clone(), &seal(1, title, &digest)).unwrap();
        assert_eq!(sealed.stage, Stage::UnderReview);
        assert_eq!(sealed.version, s.version + 1);
        assert_eq!(sealed.seals[&1].sm3, digest);
        // Once only; an existing number; the notice's own title; a real digest.
        assert!(try_apply(sealed.clone(), &seal(1, title, &"0b".repeat(32))).is_err());
        assert!(try_apply(s.clone(), &seal(2, title, &digest)).is_err());
        assert!(try_apply(s.clone(), &seal(0, title, &digest)).is_err());
        assert!(try_apply(s.clone(), &seal(1, "另一份文书", &digest)).is_err());
        assert!(try_apply(s.clone(), &seal(1, title, "abc")).is_err());
        assert!(try_apply(s.clone(), &seal(1, title, &"0A".repeat(32))).is_err());
        // In the timeline by its title; the digest is for the 技术信息 (issue 22 item 5).
        let line = seal(1, title, &digest).describe_zh();
        assert!(line.ends_with(&format!("文书定稿（{title}）")), "{line}");
        assert!(!line.contains(&digest), "{line}");
        // Stored flat, tagged like every event.
        let json = serde_json::to_value(seal(1, title, &digest)).unwrap();
        assert_eq!(json["kind"]["type"], "document_sealed");
        assert_eq!(json["kind"]["sm3"], digest.as_str());
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, seal(1, title, &digest));
    }
}
