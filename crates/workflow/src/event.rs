//! Events (what happened, appended and never changed) and commands (what someone asks for).
//! Both are plain serde data: storage keeps events as JSON, the CLI reads commands from JSON.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, IntoStaticStr)]
#[serde(tag = "type", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
    /// A person recused from the case (000 §19(六), and the general duty of 回避): from this
    /// event on they may not sit on the panel, take part as an invited participant, or take any
    /// step in the case.
    Recused {
        person_id: String,
        name: String,
        reason: String,
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
    /// What the review found of 000 §11: the officer's immediate report to the unit, the scene
    /// protected and the evidence fixed, and the unit's dispatch and help.
    OnSceneReportRecorded {
        report: OnSceneReport,
    },
    /// An accountability investigation in progress that the review runs alongside (000 §6).
    AccountabilityInquiryLinked {
        inquiry: AccountabilityInquiry,
    },
    /// 阶段性对外宣传口径 and measures for an overdue major case (000 §17).
    InterimLineRecorded {
        public_line: String,
        measures: String,
    },
    OpinionDrafted {
        determination: Determination,
    },
    /// Approved by 主任 or 副主任 (000 §14); `by` is the approver. `comment` is the
    /// leader's written opinion (本级维权委领导意见, printed on the 申请表); absent in events
    /// recorded before it could be given, which read as they did.
    OpinionApproved {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Sent back by 主任 or 副主任 (000 §14) with their reasons: 退回修改 keeps the draft for
    /// the panel to revise; 不予批准 (`rejected`) sets it aside, to be drafted anew.
    OpinionReturned {
        rejected: bool,
        reasons: String,
    },
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
        /// The length in 日 the office set when longer than the pack's minimum (000 §23).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        days: Option<u32>,
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
    /// A change of the linked accountability decision (`None`: revoked). Recorded as decided,
    /// even heavier after an appeal: the record must say what was decided. A heavier one after a
    /// 复议 or 复核 is flagged (000 §21 ¶3 forbids it *because of* the appeal, §37(六) makes
    /// retaliation an accountability matter) for the committee to review.
    SanctionChanged {
        #[serde(default)]
        sanction: Option<Sanction>,
        reason: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        heavier_after_appeal: bool,
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
    /// The case made known, to clear the facts and undo the harm (000 §28): to the public
    /// through `channel`, or to the 执法相对人 `recipient` by the written 情况通报.
    PublicStatementMade {
        audience: StatementAudience,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        recipient: String,
        channel: String,
        content: String,
        document: Document,
    },
    /// Conduct of 相关领导和责任人 found and referred for accountability (000 §37): `article`
    /// is the item as the governing pack numbers it (`§37(六)`).
    AccountabilityReferred {
        conduct: Misconduct,
        article: String,
        persons: String,
        facts: String,
        referred_to: String,
    },
    /// The committee's review of the heavier sanctions flagged so far (000 §21 ¶3): whether the
    /// appeal was their cause. A retaliation is referred at once (§37(六)).
    HeavierSanctionReviewed {
        retaliation: bool,
        finding: String,
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
    /// The PDF of an issued notice, archived and its SM3 digest recorded (issue 6: a printed
    /// notice can be matched to the record). Recorded by the service right after the event
    /// that issued the notice, by the same person; it changes nothing in the procedure.
    DocumentSealed {
        #[serde(flatten)]
        seal: DocumentSeal,
    },
    /// The regulations that govern the case (issue 20): the procedure pack and the rule packs
    /// bound to the handling organisation when the case was opened, with their versions.
    /// Recorded by the service right after the opening; a later change of binding never
    /// rewrites it. Cases recorded before bindings have none (their process's own pack).
    CaseGoverned {
        #[serde(flatten)]
        governance: lvzhi_case::Governance,
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
    /// By the office of the handling committee, at any stage after filing (000 §19(六)).
    RecordRecusal {
        person_id: String,
        name: String,
        reason: String,
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
    /// `comment`: the leader's written opinion, optional.
    ApproveOpinion {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// 退回修改 (`rejected` false) or 不予批准 (`rejected` true), with the reasons.
    ReturnOpinion {
        #[serde(default)]
        rejected: bool,
        reasons: String,
    },
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
        /// The publicity's length in 日, when longer than the pack's minimum (000 §23:
        /// 不少于五日); absent, the minimum.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        days: Option<u32>,
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
    ReferForAccountability {
        conduct: Misconduct,
        persons: String,
        facts: String,
        referred_to: String,
    },
    ReviewHeavierSanction {
        retaliation: bool,
        finding: String,
        /// Who answers for it and to whom it is referred, when it was retaliation (000 §37(六)).
        #[serde(default)]
        persons: String,
        #[serde(default)]
        referred_to: String,
    },
    MakePublicStatement {
        audience: StatementAudience,
        #[serde(default)]
        recipient: String,
        channel: String,
        content: String,
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
    RecordOnSceneReport {
        #[serde(flatten)]
        report: OnSceneReport,
    },
    LinkAccountabilityInquiry {
        #[serde(flatten)]
        inquiry: AccountabilityInquiry,
    },
}

/// Every action id (the `action` tag of a [`Command`] in JSON) with its formal Chinese label,
/// in the order of the procedure (000 Chapters 3–4). Each [`Command`] variant appears exactly
/// once; [`Command::action_id`] gives a command's id.
pub const ACTIONS: &[(&str, &str)] = &[
    ("file", "提出免责容错申请"),
    ("open_ex_officio", "主动启动免责容错工作"),
    ("register", "登记申请"),
    ("accept", "决定受理"),
    ("reject", "决定不予受理"),
    ("update_facts", "更新案件事实"),
    ("record_recommendation", "记录系统建议结论"),
    ("form_panel", "组成审查论证组"),
    ("add_evidence", "添加证据材料"),
    ("record_hearing", "记录听取陈述、举证、申辩"),
    ("record_site_visit", "记录实地走访调查"),
    ("record_on_scene_report", "记录民警报告和现场处置情况"),
    ("link_accountability_inquiry", "关联同步审查的问责调查"),
    ("approve_external_participant", "批准邀请人员参与审查论证"),
    ("record_recusal", "决定回避"),
    ("extend_review", "延长审查论证期限"),
    ("record_interim_line", "议定阶段性对外宣传口径"),
    ("draft_opinion", "起草审查论证意见"),
    ("approve_opinion", "批准审查论证意见"),
    ("return_opinion", "退回修改或者不予批准审查论证意见"),
    ("issue_opinion", "出具审查论证意见"),
    ("record_receipt", "记录送达日期"),
    ("declare_no_objection", "表示无异议"),
    ("apply_reconsideration", "申请复议"),
    ("reply_reconsideration", "回复复议意见"),
    ("apply_re_review", "申请复核"),
    ("reply_re_review", "回复复核意见"),
    ("start_publicity", "开始公示"),
    ("record_objection", "记录公示期间收到的反映"),
    ("resolve_objection", "核实公示期间收到的反映"),
    ("close_publicity", "结束公示"),
    ("revise_determination", "修正认定意见"),
    ("send_recommendation", "提出撤销或者变更原决定的建议"),
    ("answer_recommendation", "答复撤销或者变更原决定的建议"),
    ("record_sanction_change", "记录原问责处理决定的变更"),
    ("record_oversight", "记录纪检监察机关、检察机关介入"),
    ("provide_opinion_to_oversight", "向介入机关提供意见建议"),
    ("record_oversight_answer", "记录介入机关采纳情况"),
    ("report_upward", "报告上一级公安机关"),
    ("decide_compensation", "作出补偿决定"),
    ("review_heavier_sanction", "审查申请复议复核后的加重处理"),
    ("refer_for_accountability", "移送追究相关领导和责任人的责任"),
    ("make_public_statement", "向社会公布或者向执法相对人通报"),
    ("apply_protections", "落实免责民警权益保障"),
    ("record_counselling", "记录谈心谈话、心理疏导"),
    ("set_rectification", "制定纠错整改措施"),
    (
        "record_recurrence",
        "记录整改效果不明显或者同类错误再次发生",
    ),
];

/// The formal Chinese label of an action id (see [`ACTIONS`]).
pub fn action_label(action_id: &str) -> Option<&'static str> {
    ACTIONS
        .iter()
        .find(|(id, _)| *id == action_id)
        .map(|(_, label)| *label)
}

impl Command {
    /// The command's action id, as in its JSON `action` tag (`accept`, `record_recusal`, …).
    pub fn action_id(&self) -> &'static str {
        match self {
            Command::File { .. } => "file",
            Command::OpenExOfficio { .. } => "open_ex_officio",
            Command::Register => "register",
            Command::Accept => "accept",
            Command::Reject { .. } => "reject",
            Command::UpdateFacts { .. } => "update_facts",
            Command::RecordRecommendation { .. } => "record_recommendation",
            Command::FormPanel { .. } => "form_panel",
            Command::ApproveExternalParticipant { .. } => "approve_external_participant",
            Command::AddEvidence { .. } => "add_evidence",
            Command::RecordRecusal { .. } => "record_recusal",
            Command::RecordHearing { .. } => "record_hearing",
            Command::RecordSiteVisit { .. } => "record_site_visit",
            Command::RecordOnSceneReport { .. } => "record_on_scene_report",
            Command::LinkAccountabilityInquiry { .. } => "link_accountability_inquiry",
            Command::RecordInterimLine { .. } => "record_interim_line",
            Command::DraftOpinion { .. } => "draft_opinion",
            Command::ApproveOpinion { .. } => "approve_opinion",
            Command::ReturnOpinion { .. } => "return_opinion",
            Command::IssueOpinion => "issue_opinion",
            Command::RecordReceipt { .. } => "record_receipt",
            Command::ExtendReview { .. } => "extend_review",
            Command::DeclareNoObjection => "declare_no_objection",
            Command::ApplyReconsideration { .. } => "apply_reconsideration",
            Command::ReplyReconsideration { .. } => "reply_reconsideration",
            Command::ApplyReReview { .. } => "apply_re_review",
            Command::ReplyReReview { .. } => "reply_re_review",
            Command::StartPublicity { .. } => "start_publicity",
            Command::RecordObjection { .. } => "record_objection",
            Command::ResolveObjection { .. } => "resolve_objection",
            Command::ClosePublicity => "close_publicity",
            Command::ReviseDetermination { .. } => "revise_determination",
            Command::SendRecommendation { .. } => "send_recommendation",
            Command::AnswerRecommendation { .. } => "answer_recommendation",
            Command::RecordSanctionChange { .. } => "record_sanction_change",
            Command::RecordOversight { .. } => "record_oversight",
            Command::ProvideOpinionToOversight { .. } => "provide_opinion_to_oversight",
            Command::RecordOversightAnswer { .. } => "record_oversight_answer",
            Command::ReportUpward { .. } => "report_upward",
            Command::DecideCompensation { .. } => "decide_compensation",
            Command::ReviewHeavierSanction { .. } => "review_heavier_sanction",
            Command::ReferForAccountability { .. } => "refer_for_accountability",
            Command::MakePublicStatement { .. } => "make_public_statement",
            Command::ApplyProtections { .. } => "apply_protections",
            Command::RecordCounselling { .. } => "record_counselling",
            Command::SetRectification { .. } => "set_rectification",
            Command::RecordRecurrence { .. } => "record_recurrence",
        }
    }

    /// The command's formal Chinese label (see [`ACTIONS`]).
    pub fn label_zh(&self) -> &'static str {
        action_label(self.action_id()).unwrap_or("")
    }
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
        // Who the step concerns, where the step alone does not say (000 §19(六)).
        if let EventKind::Recused {
            person_id, name, ..
        } = &self.kind
        {
            line.push_str(&format!("（{name}，{person_id}）"));
        }
        if let EventKind::DocumentSealed { seal } = &self.kind {
            // The digest is for the 技术信息, not the timeline (issue 22 item 5).
            line.push_str(&format!("（{}）", seal.title));
        }
        if let EventKind::CaseGoverned { governance } = &self.kind {
            line.push_str(&format!("（{}）", governance.describe()));
        }
        if let EventKind::SanctionChanged {
            heavier_after_appeal: true,
            ..
        } = &self.kind
        {
            line.push_str("（申请复议复核后加重处理，须审查是否因申请而加重：000 §21¶3、§37(六)）");
        }
        if let Some(r) = self.reason() {
            line.push_str(&format!("。理由：{r}"));
        }
        line
    }

    /// The stated "why" of the step, for the trail's reason column: rejection reasons,
    /// grounds, findings, justifications.
    pub fn reason(&self) -> Option<&str> {
        self.kind.reason()
    }
}

impl EventKind {
    /// The stated "why" of the step, for the trail's reason column: rejection reasons,
    /// grounds, findings, justifications.
    pub fn reason(&self) -> Option<&str> {
        let r = match self {
            EventKind::OpenedExOfficio { grounds, .. }
            | EventKind::ExternalParticipantApproved { grounds, .. }
            | EventKind::ReviewExtended { grounds, .. }
            | EventKind::AppealFiled { grounds, .. } => grounds.as_str(),
            EventKind::Rejected { reasons, .. }
            | EventKind::RecommendationSent { reasons, .. }
            | EventKind::OpinionReturned { reasons, .. } => reasons.as_str(),
            EventKind::AppealReplied { reasoning, .. } => reasoning.as_str(),
            EventKind::ObjectionResolved { finding, .. } => finding.as_str(),
            EventKind::RecommendationAnswered { justification, .. } => {
                justification.as_deref().unwrap_or("")
            }
            EventKind::SanctionChanged { reason, .. } => reason.as_str(),
            EventKind::OpinionDrafted { determination }
            | EventKind::DeterminationRevised { determination } => determination.basis.as_str(),
            EventKind::CompensationDecided { basis, .. } => basis.as_str(),
            EventKind::AccountabilityReferred { facts, .. } => facts.as_str(),
            EventKind::HeavierSanctionReviewed { finding, .. } => finding.as_str(),
            EventKind::Recused { reason, .. } => reason.as_str(),
            _ => "",
        };
        Some(r).filter(|r| !r.is_empty())
    }

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
            | EventKind::RecommendationSent { document, .. }
            | EventKind::PublicStatementMade { document, .. } => Some(document),
            _ => None,
        }
    }

    /// The event's type id, as in its JSON `type` tag (`deemed_accepted`, …).
    pub fn id(&self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Org {
        Org {
            id: "org".into(),
            name: "单位".into(),
        }
    }

    fn form() -> ApplicationForm {
        ApplicationForm {
            applicants: vec![Officer {
                person_id: "p".into(),
                name: "张伟".into(),
            }],
            applying_unit: org(),
            committee: org(),
            parent_committee: None,
            matter: "事项".into(),
            statement: None,
            accountability_decision: None,
            facts: BTreeMap::new(),
        }
    }

    fn determination() -> Determination {
        Determination {
            outcome: Outcome::Exemption,
            modality: Modality::Shall,
            leniency: None,
            basis: "依据".into(),
            articles: vec![],
            original_decision_improper: false,
            departure_reasons: None,
        }
    }

    /// One command of every variant. A new variant breaks the exhaustive match of
    /// `Command::action_id`; add it there, to `ACTIONS`, here and to `sample_commands`.
    fn one_of_each() -> Vec<Command> {
        let t = || "文字".to_string();
        let day = NaiveDate::from_ymd_opt(2024, 10, 8).unwrap_or_default();
        vec![
            Command::File {
                form: form(),
                received_on: None,
            },
            Command::OpenExOfficio {
                form: form(),
                grounds: t(),
            },
            Command::Register,
            Command::Accept,
            Command::Reject { reasons: t() },
            Command::UpdateFacts {
                facts: BTreeMap::new(),
            },
            Command::RecordRecommendation {
                recommendation: Recommendation::default(),
            },
            Command::FormPanel { members: vec![] },
            Command::ApproveExternalParticipant {
                participant: ExternalParticipant {
                    person_id: t(),
                    name: t(),
                    category: ExternalCategory::Other,
                    eligibility: Eligibility::default(),
                    no_conflict_declaration: t(),
                },
                grounds: t(),
            },
            Command::AddEvidence {
                evidence: Evidence {
                    sm3: t(),
                    file_name: t(),
                    description: t(),
                },
            },
            Command::RecordRecusal {
                person_id: t(),
                name: t(),
                reason: t(),
            },
            Command::RecordHearing { summary: t() },
            Command::RecordSiteVisit {
                place: t(),
                summary: t(),
            },
            Command::RecordInterimLine {
                public_line: t(),
                measures: t(),
            },
            Command::DraftOpinion {
                determination: determination(),
            },
            Command::ApproveOpinion { comment: Some(t()) },
            Command::ReturnOpinion {
                rejected: true,
                reasons: t(),
            },
            Command::IssueOpinion,
            Command::RecordReceipt { received_on: day },
            Command::ExtendReview { grounds: t() },
            Command::DeclareNoObjection,
            Command::ApplyReconsideration {
                grounds: t(),
                new_evidence: None,
            },
            Command::ReplyReconsideration {
                upheld: true,
                reasoning: t(),
                revised: None,
            },
            Command::ApplyReReview {
                grounds: t(),
                new_evidence: None,
            },
            Command::ReplyReReview {
                upheld: true,
                reasoning: t(),
                revised: None,
            },
            Command::StartPublicity {
                place: t(),
                days: None,
            },
            Command::RecordObjection { summary: t() },
            Command::ResolveObjection {
                index: 0,
                substantiated: false,
                finding: t(),
            },
            Command::ClosePublicity,
            Command::ReviseDetermination {
                determination: determination(),
            },
            Command::SendRecommendation {
                proposal: Proposal::Revoke,
                reasons: t(),
            },
            Command::AnswerRecommendation {
                adopted: true,
                justification: None,
            },
            Command::RecordSanctionChange {
                sanction: None,
                reason: t(),
            },
            Command::RecordOversight {
                body: OversightBody::Procuratorate,
                body_name: t(),
                description: t(),
            },
            Command::ProvideOpinionToOversight {
                index: 0,
                summary: t(),
            },
            Command::RecordOversightAnswer {
                index: 0,
                adopted: true,
                note: t(),
            },
            Command::ReportUpward {
                index: 0,
                summary: t(),
            },
            Command::DecideCompensation {
                granted: false,
                amount_yuan: None,
                basis: t(),
            },
            Command::ReviewHeavierSanction {
                retaliation: true,
                finding: t(),
                persons: t(),
                referred_to: t(),
            },
            Command::ReferForAccountability {
                conduct: Misconduct::Obstruction,
                persons: t(),
                facts: t(),
                referred_to: t(),
            },
            Command::LinkAccountabilityInquiry {
                inquiry: AccountabilityInquiry {
                    body: t(),
                    matter: t(),
                    started_on: NaiveDate::from_ymd_opt(2024, 6, 3).unwrap_or_default(),
                },
            },
            Command::RecordOnSceneReport {
                report: OnSceneReport {
                    reported_on: NaiveDate::from_ymd_opt(2024, 6, 3).unwrap_or_default(),
                    scene_protected: true,
                    evidence: t(),
                    dispatched: true,
                    unit_actions: t(),
                },
            },
            Command::MakePublicStatement {
                audience: StatementAudience::Counterparty,
                recipient: t(),
                channel: t(),
                content: t(),
            },
            Command::ApplyProtections { officer_id: t() },
            Command::RecordCounselling {
                officer_id: t(),
                summary: t(),
            },
            Command::SetRectification {
                officer_id: t(),
                measures: t(),
                follow_up: t(),
            },
            Command::RecordRecurrence {
                officer_id: t(),
                description: t(),
            },
        ]
    }

    #[test]
    fn actions_list_every_command_variant_exactly_once_by_its_serde_tag() {
        let samples = one_of_each();
        let mut tags: Vec<String> = Vec::new();
        for c in &samples {
            let json = serde_json::to_value(c).unwrap_or_default();
            let tag = json["action"].as_str().unwrap_or_default().to_string();
            assert_eq!(tag, c.action_id(), "{c:?}");
            assert!(!tags.contains(&tag), "{tag} sampled twice");
            tags.push(tag);
        }
        let ids: Vec<&str> = ACTIONS.iter().map(|(id, _)| *id).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "an action id is listed twice");
        assert_eq!(ids.len(), samples.len());
        for tag in &tags {
            assert!(ids.contains(&tag.as_str()), "{tag} is not in ACTIONS");
        }
        // Procedure order: opening first, result use last; labels are formal Chinese.
        assert_eq!(
            &ids[..4],
            &["file", "open_ex_officio", "register", "accept"]
        );
        assert_eq!(ids.last(), Some(&"record_recurrence"));
        for (id, label) in ACTIONS {
            assert!(
                label.chars().all(|c| !c.is_ascii()),
                "{id}: label “{label}”"
            );
        }
        assert_eq!(action_label("accept"), Some("决定受理"));
        assert_eq!(action_label("extend_review"), Some("延长审查论证期限"));
        assert_eq!(action_label("record_recusal"), Some("决定回避"));
        assert_eq!(Command::Accept.label_zh(), "决定受理");
        assert_eq!(action_label("launch"), None);
    }

    #[test]
    fn art_19_a_recusal_names_the_person_and_its_reason_in_the_timeline() {
        let e = Event {
            on: NaiveDate::from_ymd_opt(2024, 10, 9).unwrap_or_default(),
            by: By {
                person_id: "o-wang".into(),
                role: Role::Office,
            },
            kind: EventKind::Recused {
                person_id: "pm-hu".into(),
                name: "胡明".into(),
                reason: "与申请人系近亲属".into(),
            },
        };
        assert_eq!(e.kind.id(), "recused");
        assert_eq!(e.reason(), Some("与申请人系近亲属"));
        assert_eq!(
            e.describe_zh(),
            "2024年10月9日\u{3000}维权办（o-wang）：决定回避（胡明，pm-hu）。理由：与申请人系近亲属"
        );
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert!(json.contains(r#""type":"recused""#), "{json}");
    }
}
