//! Events (what happened, appended and never changed) and commands (what someone asks for).
//! Both are plain serde data: storage keeps events as JSON, the CLI reads commands from JSON.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::*;

/// One recorded step of a case: when, by whom (in which role), and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The day the step was taken (the `today` of the command, or of the scheduler).
    pub on: NaiveDate,
    pub by: By,
    pub kind: EventKind,
}

/// Every step of the application procedure (DESIGN §3), tagged by `type` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// An application received (000 §12 ¶1); `received_on` starts the acceptance period.
    Filed {
        form: ApplicationForm,
        filer: Filer,
        received_on: NaiveDate,
    },
    /// Opened by the office on its own initiative (000 §12 ¶2); review starts at once.
    OpenedExOfficio {
        form: ApplicationForm,
        grounds: String,
        document: Document,
    },
    /// Registered and under initial check (000 §13).
    Registered,
    /// Accepted in writing (000 §13).
    Accepted {
        document: Document,
    },
    /// Not accepted, with the reasons in writing (000 §13).
    Rejected {
        reasons: String,
        document: Document,
    },
    /// No decision by the last day of the acceptance period: deemed accepted as of that day
    /// (000 §13). A system event.
    DeemedAccepted {
        effective_on: NaiveDate,
        document: Document,
    },
    FactsUpdated {
        facts: BTreeMap<String, serde_json::Value>,
    },
    RecommendationRecorded {
        recommendation: Recommendation,
    },
    /// 审查论证组 (000 §14).
    PanelFormed {
        members: Vec<PanelMember>,
    },
    /// An invited participant approved by 主任 or 副主任 (000 §18–19).
    ExternalParticipantApproved {
        participant: ExternalParticipant,
        grounds: String,
    },
    EvidenceAdded {
        evidence: Evidence,
    },
    /// 当面听取申请人陈述、举证、申辩 (000 §15).
    HearingHeld {
        summary: String,
    },
    /// 实地走访调查 (000 §15).
    SiteVisited {
        place: String,
        summary: String,
    },
    /// 阶段性对外宣传口径 and measures for an overdue major case (000 §17).
    InterimLineRecorded {
        public_line: String,
        measures: String,
    },
    OpinionDrafted {
        determination: Determination,
    },
    /// Approved by 主任 or 副主任 (000 §14); `by` is the approver.
    OpinionApproved,
    /// Issued in writing (000 §16); `received_on` starts the 复议 period.
    OpinionIssued {
        received_on: NaiveDate,
        document: Document,
    },
    /// Extension `round` 1 (000 §18) or 2 (000 §20); `new_due` is the opinion's new last day.
    ReviewExtended {
        round: u8,
        grounds: String,
        new_due: NaiveDate,
        document: Document,
    },
    /// The day the applicant received the opinion or reply now in force, when later than its
    /// issue (the 复议 / 复核 period counts from receipt, 000 §21).
    ReceiptRecorded {
        received_on: NaiveDate,
    },
    /// The applicant states no objection to the opinion or reply now in force (000 §23).
    NoObjectionDeclared,
    /// 复议 or 复核 filed (000 §21). `to` hears it; a 复核 is copied to the 复议 body.
    AppealFiled {
        appeal: AppealKind,
        grounds: String,
        #[serde(default)]
        new_evidence: Option<String>,
        to: Org,
        #[serde(default)]
        copy_to: Option<Org>,
    },
    /// The written reply; `revised` replaces the determination when the appeal succeeds.
    AppealReplied {
        appeal: AppealKind,
        upheld: bool,
        reasoning: String,
        #[serde(default)]
        revised: Option<Determination>,
        received_on: NaiveDate,
        document: Document,
    },
    /// 公示 in the applicant's unit (000 §23); not to close before the end of `ends_on`.
    PublicityStarted {
        place: String,
        ends_on: NaiveDate,
        document: Document,
    },
    ObjectionRecorded {
        summary: String,
    },
    ObjectionResolved {
        index: usize,
        substantiated: bool,
        finding: String,
    },
    PublicityClosed,
    /// A determination revised after a substantiated objection (000 §23 ¶2).
    DeterminationRevised {
        determination: Determination,
    },
    /// Recommendation to revoke or change the original decision (000 §22, §26).
    RecommendationSent {
        proposal: Proposal,
        reasons: String,
        document: Document,
    },
    /// The department's answer: adopted, or declined with its 正当理由 (000 §27).
    RecommendationAnswered {
        adopted: bool,
        #[serde(default)]
        justification: Option<String>,
    },
    /// A change of the linked accountability decision (`None`: revoked). Never heavier after
    /// an appeal (000 §21 ¶3).
    SanctionChanged {
        #[serde(default)]
        sanction: Option<Sanction>,
        reason: String,
    },
    /// 纪检监察机关 / 检察机关 involvement (000 §29).
    OversightRecorded {
        body: OversightBody,
        body_name: String,
        description: String,
    },
    OpinionProvidedToOversight {
        index: usize,
        summary: String,
        includes_opinion: bool,
    },
    OversightAnswered {
        index: usize,
        adopted: bool,
        note: String,
    },
    /// Reported to the parent organisation because the opinion was not adopted (000 §29 ¶2).
    ReportedUpward {
        index: usize,
        to: Org,
        summary: String,
    },
    /// Compensation decision of the officer's unit (000 §24).
    CompensationDecided {
        granted: bool,
        #[serde(default)]
        amount_yuan: Option<u64>,
        basis: String,
    },
    /// The four protections of an exempted officer (000 §30).
    ProtectionsApplied {
        officer_id: String,
        items: Vec<Protection>,
    },
    /// 谈心谈话、心理疏导 (000 §31 ¶1).
    CounsellingRecorded {
        officer_id: String,
        summary: String,
    },
    /// 纠错和整改措施, 回访教育、跟踪管理 (000 §31 ¶2).
    RectificationSet {
        officer_id: String,
        measures: String,
        follow_up: String,
    },
    /// 整改效果不明显或同类错误再次发生 → 依规依纪依法问责 (000 §31 ¶2).
    RecurrenceRecorded {
        officer_id: String,
        description: String,
    },
}

/// What a person asks the workflow to do; `decide` turns it into events or refuses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    /// By the officer, the unit, or the office entering a paper form (`received_on`, default today).
    File {
        form: ApplicationForm,
        #[serde(default)]
        received_on: Option<NaiveDate>,
    },
    OpenExOfficio {
        form: ApplicationForm,
        grounds: String,
    },
    Register,
    Accept,
    Reject {
        reasons: String,
    },
    UpdateFacts {
        facts: BTreeMap<String, serde_json::Value>,
    },
    RecordRecommendation {
        recommendation: Recommendation,
    },
    FormPanel {
        members: Vec<PanelMember>,
    },
    ApproveExternalParticipant {
        participant: ExternalParticipant,
        /// Why the matter is major, complex or of wide influence (000 §18).
        grounds: String,
    },
    AddEvidence {
        evidence: Evidence,
    },
    RecordHearing {
        summary: String,
    },
    RecordSiteVisit {
        place: String,
        summary: String,
    },
    RecordInterimLine {
        public_line: String,
        measures: String,
    },
    DraftOpinion {
        determination: Determination,
    },
    ApproveOpinion,
    /// Issued and delivered today; a later receipt is recorded with `RecordReceipt`.
    IssueOpinion,
    /// The applicant received the opinion or reply in force on `received_on` (000 §21).
    RecordReceipt {
        received_on: NaiveDate,
    },
    ExtendReview {
        grounds: String,
    },
    DeclareNoObjection,
    ApplyReconsideration {
        grounds: String,
        #[serde(default)]
        new_evidence: Option<String>,
    },
    ReplyReconsideration {
        upheld: bool,
        reasoning: String,
        #[serde(default)]
        revised: Option<Determination>,
    },
    ApplyReReview {
        grounds: String,
        #[serde(default)]
        new_evidence: Option<String>,
    },
    ReplyReReview {
        upheld: bool,
        reasoning: String,
        #[serde(default)]
        revised: Option<Determination>,
    },
    StartPublicity {
        place: String,
    },
    RecordObjection {
        summary: String,
    },
    ResolveObjection {
        index: usize,
        substantiated: bool,
        finding: String,
    },
    ClosePublicity,
    ReviseDetermination {
        determination: Determination,
    },
    SendRecommendation {
        proposal: Proposal,
        reasons: String,
    },
    AnswerRecommendation {
        adopted: bool,
        #[serde(default)]
        justification: Option<String>,
    },
    RecordSanctionChange {
        #[serde(default)]
        sanction: Option<Sanction>,
        reason: String,
    },
    RecordOversight {
        body: OversightBody,
        body_name: String,
        description: String,
    },
    ProvideOpinionToOversight {
        index: usize,
        summary: String,
    },
    RecordOversightAnswer {
        index: usize,
        adopted: bool,
        note: String,
    },
    ReportUpward {
        index: usize,
        summary: String,
    },
    DecideCompensation {
        granted: bool,
        #[serde(default)]
        amount_yuan: Option<u64>,
        basis: String,
    },
    ApplyProtections {
        officer_id: String,
    },
    RecordCounselling {
        officer_id: String,
        summary: String,
    },
    SetRectification {
        officer_id: String,
        measures: String,
        follow_up: String,
    },
    RecordRecurrence {
        officer_id: String,
        description: String,
    },
}

impl Event {
    /// One timeline line in Chinese: "2024年10月8日　维权办（o-wang）：受理".
    pub fn describe_zh(&self) -> String {
        let mut line = format!(
            "{}\u{3000}{}（{}）：{}",
            lvzhi_calendar::date_zh(self.on),
            self.by.role.zh(),
            self.by.person_id,
            crate::state::event_zh(&self.kind)
        );
        if let Some(r) = self.reason() {
            line.push_str(&format!("。理由：{r}"));
        }
        line
    }

    /// The stated "why" of the step, for the trail's reason column: rejection reasons,
    /// grounds, findings, justifications.
    pub fn reason(&self) -> Option<&str> {
        let r = match &self.kind {
            EventKind::OpenedExOfficio { grounds, .. }
            | EventKind::ExternalParticipantApproved { grounds, .. }
            | EventKind::ReviewExtended { grounds, .. }
            | EventKind::AppealFiled { grounds, .. } => grounds.as_str(),
            EventKind::Rejected { reasons, .. } | EventKind::RecommendationSent { reasons, .. } => {
                reasons.as_str()
            }
            EventKind::AppealReplied { reasoning, .. } => reasoning.as_str(),
            EventKind::ObjectionResolved { finding, .. } => finding.as_str(),
            EventKind::RecommendationAnswered { justification, .. } => {
                justification.as_deref().unwrap_or("")
            }
            EventKind::SanctionChanged { reason, .. } => reason.as_str(),
            EventKind::OpinionDrafted { determination }
            | EventKind::DeterminationRevised { determination } => determination.basis.as_str(),
            EventKind::CompensationDecided { basis, .. } => basis.as_str(),
            _ => "",
        };
        Some(r).filter(|r| !r.is_empty())
    }
}

impl EventKind {
    /// The written notice this event issued, if it issued one (000 §13, §16, §18, §20, §21,
    /// §22–23, §26): the text of record, kept inside the event so it never changes.
    pub fn document(&self) -> Option<&Document> {
        match self {
            EventKind::OpenedExOfficio { document, .. }
            | EventKind::Accepted { document }
            | EventKind::Rejected { document, .. }
            | EventKind::DeemedAccepted { document, .. }
            | EventKind::OpinionIssued { document, .. }
            | EventKind::ReviewExtended { document, .. }
            | EventKind::AppealReplied { document, .. }
            | EventKind::PublicityStarted { document, .. }
            | EventKind::RecommendationSent { document, .. } => Some(document),
            _ => None,
        }
    }

    /// The event's type id, as in its JSON `type` tag (`deemed_accepted`, …).
    pub fn id(&self) -> &'static str {
        match self {
            EventKind::Filed { .. } => "filed",
            EventKind::OpenedExOfficio { .. } => "opened_ex_officio",
            EventKind::Registered => "registered",
            EventKind::Accepted { .. } => "accepted",
            EventKind::Rejected { .. } => "rejected",
            EventKind::DeemedAccepted { .. } => "deemed_accepted",
            EventKind::FactsUpdated { .. } => "facts_updated",
            EventKind::RecommendationRecorded { .. } => "recommendation_recorded",
            EventKind::PanelFormed { .. } => "panel_formed",
            EventKind::ExternalParticipantApproved { .. } => "external_participant_approved",
            EventKind::EvidenceAdded { .. } => "evidence_added",
            EventKind::HearingHeld { .. } => "hearing_held",
            EventKind::SiteVisited { .. } => "site_visited",
            EventKind::InterimLineRecorded { .. } => "interim_line_recorded",
            EventKind::OpinionDrafted { .. } => "opinion_drafted",
            EventKind::OpinionApproved => "opinion_approved",
            EventKind::OpinionIssued { .. } => "opinion_issued",
            EventKind::ReviewExtended { .. } => "review_extended",
            EventKind::ReceiptRecorded { .. } => "receipt_recorded",
            EventKind::NoObjectionDeclared => "no_objection_declared",
            EventKind::AppealFiled { .. } => "appeal_filed",
            EventKind::AppealReplied { .. } => "appeal_replied",
            EventKind::PublicityStarted { .. } => "publicity_started",
            EventKind::ObjectionRecorded { .. } => "objection_recorded",
            EventKind::ObjectionResolved { .. } => "objection_resolved",
            EventKind::PublicityClosed => "publicity_closed",
            EventKind::DeterminationRevised { .. } => "determination_revised",
            EventKind::RecommendationSent { .. } => "recommendation_sent",
            EventKind::RecommendationAnswered { .. } => "recommendation_answered",
            EventKind::SanctionChanged { .. } => "sanction_changed",
            EventKind::OversightRecorded { .. } => "oversight_recorded",
            EventKind::OpinionProvidedToOversight { .. } => "opinion_provided_to_oversight",
            EventKind::OversightAnswered { .. } => "oversight_answered",
            EventKind::ReportedUpward { .. } => "reported_upward",
            EventKind::CompensationDecided { .. } => "compensation_decided",
            EventKind::ProtectionsApplied { .. } => "protections_applied",
            EventKind::CounsellingRecorded { .. } => "counselling_recorded",
            EventKind::RectificationSet { .. } => "rectification_set",
            EventKind::RecurrenceRecorded { .. } => "recurrence_recorded",
        }
    }
}
