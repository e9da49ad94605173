//! 执法过错 cases (004, the 公安部's 执法过错责任追究规定 in the 1999 text of the seed).
//!
//! The 法制部门 opens the case on an error of one of the types of 004 §6 (§25–26), records the
//! people involved by their role in the case (审批人, 审核人, 办案人, 鉴定人, 上级公安机关有关责任人员,
//! 其他直接责任人员, §7) with what each did, and the circumstances of §14 (不追究), §23 (从轻或者免予追究),
//! §24 (从重), §20 (领导责任) and §21 (先进集体). The policy engine computes the allocation of
//! responsibility (§7–13) and the outcome; the 法制部门 confirms it — a confirmation that departs
//! from the computed allocation or outcome needs reasons — and proposes how to deal with each
//! person (§26). The 督察 or 人事 department decides each liable person's measures from §16
//! (and any 处分, §17), approved by the head of the agency (§26¶2); the decision is recorded in
//! the person's file (§22). The person may appeal to the same or the next higher agency, whose
//! reply is due in 30 日 (§27).
//!
//! # Where the engine runs
//!
//! `decide` stays pure and knows no policy pack: [`assess`] (pure, over a loaded
//! `lvzhi_rules::PackSet`) evaluates the recorded facts under pack [`PACK_ID`] and allocates
//! responsibility, and the service or server puts its result into
//! [`Command::Assess`]. The assessment names the version of the case's inputs it
//! was computed on, so one computed before the people or circumstances changed is refused as
//! stale, and nothing can be confirmed until the current inputs are assessed. The recorded
//! assessment is the engine's word of record; the confirmation beside it is the people's, and
//! their differences are listed in the 认定书 with the reasons given.
//!
//! The assessment also carries the periods of the pack (`appeal_reply`, 004 §27's 30 日) so
//! that no period length is written in Rust; the window to appeal is not set by 004 (the seed
//! says only that the reply is due in 30 日): a pack may set it as `appeal_filing`, else it is
//! the locally set [`DEFAULT_APPEAL_FILING`] (30 日, as the issue asks). Either way it is marked
//! `本地设置`, and the decision notice gives it as the organ's own rule in a sentence apart from
//! §27's citation, which carries only the appeal and the reply period (issue 20).
//!
//! # Interpretations (where the seed leaves a choice)
//!
//! - **Pack version.** The process applies pack `004`, the seed. The 2016 revision's pack is a
//!   paraphrase of a few articles (no §6 error types, no §7–13 allocation), so 从旧兼从轻 between
//!   them cannot be computed for these cases; the assessment says which pack it used.
//! - **Who is not liable.** A person to whom no allocation assigns a share (not at fault, or
//!   relieved by §9) bears none (`not_liable`), and may not be sanctioned.
//! - **§14 exemption** is a case-level outcome in the pack: confirmed, it closes the case with
//!   the 认定书 and nobody is dealt with.
//! - **§23** allows 从轻 or 免予追究: a waived person gets no measure; otherwise §16 requires at
//!   least one measure for each liable person.
//! - **§21 "本年度"** is the year the error is determined (认定); an award already conferred
//!   for an earlier year is not revoked. "多次发生" is detected across cases: each case whose
//!   determination establishes an error carries the key `unit:ORG|year:Y`, and a second such
//!   case of the unit in the year bars the unit by a system follow-up.
//! - **No heavier on appeal.** The reply may keep, lighten or revoke the decision, never make
//!   it heavier (a changed decision keeps only measures it had, and a 处分 no heavier): the
//!   principle of 001 §27 and 000 §21 ¶3, which 004 does not restate.
//! - **Filing after a change.** Each decision or change of it must be recorded in the file
//!   (§22); a change on appeal asks for a new record.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use lvzhi_calendar::{date_zh, Period};
use lvzhi_case::{numeral, Regulation, Sanction};
use serde::{Deserialize, Serialize};

use crate::guards::{need, not_blank, refuse};
use crate::ProcedureStep;
use crate::{
    ActionSpec, Actor, By, Ctx, Document, DocumentKind, Event, Fact, Field, FieldKind,
    OpenDeadline, Org, Process, ProcessError, Role, Rules, Summary,
};

/// The policy pack the process evaluates: the seed's 1999 text.
pub const PACK_ID: &str = "004";

/// The pack's procedure of §18: transfer to the organs that prosecute crimes.
pub const TRANSFER: &str = "transfer";
/// The pack's procedure of §19: recovery of state compensation from those responsible.
pub const RECOVERY: &str = "recovery";

/// The period of §27's reply to an appeal.
pub const APPEAL_REPLY: &str = "appeal_reply";
/// The period to appeal, when the pack sets one (else [`DEFAULT_APPEAL_FILING`]).
pub const APPEAL_FILING: &str = "appeal_filing";

/// The window to appeal a decision when the pack sets none (`appeal_filing`): 30 日 from the
/// decision, a local setting (the seed's §27 sets only the reply's 30 日).
pub const DEFAULT_APPEAL_FILING: Period = Period::Days(30);

/// What a period set by the body itself cites in place of an article (the window to appeal).
const LOCAL_SETTING: &str = "本地设置";

/// The error types of 004 §6, by the pack's fact id.
pub const ERROR_TYPES: [(&str, &str, &str); 16] = [
    (
        "wrongful_filing_or_dismissal",
        "§6(一)",
        "违法立案、撤销案件或者对应当立案、撤销的案件不予立案、撤销",
    ),
    (
        "falsified_or_coerced_evidence",
        "§6(二)",
        "弄虚作假、逼供、骗供、诱供、逼取证言，或者勘验、检查、鉴定重大失误造成案件错误处理",
    ),
    (
        "criminal_main_fact_error",
        "§6(三)",
        "主观过错导致主要犯罪事实错误，检察院不予批捕、不起诉或者法院判决无罪",
    ),
    (
        "failed_to_request_arrest",
        "§6(四)",
        "应当报捕而未报捕，导致检察院增捕重大犯罪嫌疑人",
    ),
    (
        "reeducation_fact_error",
        "§6(五)",
        "呈报劳动教养、少年收容教养、收容教育主要事实错误，未获批准",
    ),
    (
        "admin_act_revoked",
        "§6(六)",
        "主要事实错误或者严重违反法定程序，具体行政行为被撤销",
    ),
    (
        "wrongful_criminal_measure",
        "§6(七)",
        "错误采取刑事强制措施，或者超过法定期限办案情节严重",
    ),
    (
        "unlawful_admin_penalty",
        "§6(八)",
        "违法作出行政处罚或者采取限制人身自由措施",
    ),
    (
        "unlawful_medical_parole",
        "§6(九)",
        "违法办理保外就医、所外执行",
    ),
    (
        "unlawful_property_measure",
        "§6(十)",
        "违法查封、扣押、冻结财产，或者违规征收财物、收取费用",
    ),
    (
        "unlawful_weapon_use",
        "§6(十一)",
        "违法使用警械、武器，情节恶劣或者造成严重后果",
    ),
    (
        "obstructed_rights",
        "§6(十二)",
        "违法阻碍当事人行使申诉、控告、听证、复议、诉讼等合法权利",
    ),
    (
        "failed_case_cooperation",
        "§6(十三)",
        "不履行办案协作职责或者阻碍异地公安机关依法办案",
    ),
    (
        "wrong_execution_of_decisions",
        "§6(十四)",
        "错误执行或者拒不执行生效裁判、复议决定等，造成严重后果",
    ),
    (
        "refused_duty",
        "§6(十五)",
        "拒绝或者拖延履行法定职责造成严重后果",
    ),
    (
        "other_enforcement_fault",
        "§6(十六)",
        "其他故意或者过失违反法律、法规、规章规定的执法过错",
    ),
];

/// The circumstances of 004 §14 under which nobody is held responsible.
pub const EXEMPTIONS: [(&str, &str, &str); 4] = [
    (
        "law_unclear",
        "§14(一)",
        "法律规定不明确或者有关司法解释不一致",
    ),
    (
        "unforeseeable_or_irresistible",
        "§14(二)",
        "因不能预见或者无法抗拒的原因致使错误发生",
    ),
    ("executing_superior_order", "§14(三)", "执行上级命令"),
    (
        "assisting_case_cooperation",
        "§14(四)",
        "按照办案协作规定协助办案",
    ),
];

/// The circumstances of 004 §23 (从轻或者免予追究).
pub const MITIGATIONS: [(&str, &str, &str); 4] = [
    ("minor_negligence", "§23(一)", "由于轻微过失造成执法过错"),
    (
        "admitted_and_corrected",
        "§23(二)",
        "主动承认错误，并及时纠正",
    ),
    (
        "cooperated_reduced_loss",
        "§23(三)",
        "配合有关部门工作，减少损失、挽回影响",
    ),
    (
        "minor_no_serious_consequence",
        "§23(四)",
        "情节轻微、尚未造成严重后果",
    ),
];

/// The circumstances of 004 §24 (从重).
pub const AGGRAVATIONS: [(&str, &str, &str); 5] = [
    (
        "corrupt_intentional",
        "§24(一)",
        "因贪赃枉法、徇私舞弊、刑讯逼供、蓄意报复、陷害等故意造成执法过错",
    ),
    (
        "obstructed_investigation",
        "§24(二)",
        "阻碍对执法过错责任进行追究",
    ),
    (
        "retaliated_against_complainant",
        "§24(三)",
        "对检举、控告、申诉人打击报复",
    ),
    ("repeated_errors", "§24(四)", "连续多次发生执法过错"),
    (
        "egregious_serious_consequence",
        "§24(五)",
        "情节恶劣、后果比较严重",
    ),
];

/// The roles of people in an enforcement case (004 §7–13), as the pack's `[[role]]` ids.
pub const PERSON_ROLES: [(&str, &str); 6] = [
    ("approver", "审批人"),
    ("reviewer", "审核人"),
    ("handler", "办案人"),
    ("appraiser", "鉴定人"),
    ("superior", "上级公安机关有关责任人员"),
    ("other", "其他直接责任人员"),
];

/// The per-person facts (the pack's `per_person` facts): id, article, the roles it can
/// describe (empty: any), and its label.
pub const PERSON_FACTS: [(&str, &str, &[&str], &str); 6] = [
    ("at_fault", "§7", &[], "对执法过错有故意或者过失"),
    (
        "overrode_correct_opinion",
        "§9",
        &["approver"],
        "审批时改变或者不采纳办案人、审核人的正确意见",
    ),
    (
        "unauthorised_act",
        "§10",
        &[],
        "违反规定的程序，擅自行使职权",
    ),
    (
        "falsified_or_concealed",
        "§11",
        &["handler", "reviewer"],
        "弄虚作假、隐瞒真相，导致审批人错误审批",
    ),
    (
        "false_appraisal",
        "§12",
        &["appraiser"],
        "提供虚假、错误鉴定结论",
    ),
    (
        "wrong_reply",
        "§13",
        &["superior"],
        "上级公安机关批复、决定错误",
    ),
];

/// The measures of 004 §16.
pub const MEASURES: [(&str, &str, &str); 9] = [
    ("dismissal", "§16(一)", "辞退"),
    ("transfer_out", "§16(二)", "限期调离公安机关"),
    ("suspension", "§16(三)", "停止执行职务"),
    ("deferred_promotion", "§16(四)", "延期晋级、晋职"),
    ("circulated_criticism", "§16(五)", "通报批评"),
    ("award_ineligibility", "§16(六)", "取消评选先进的资格"),
    ("off_post_training", "§16(七)", "离岗培训"),
    ("written_self_examination", "§16(八)", "责令做出书面检查"),
    ("allowance_cut", "§16(九)", "减发或者停发岗位津贴、奖金"),
];

/// The shares of responsibility the pack's allocations assign.
pub const SHARES: [(&str, &str); 6] = [
    ("all", "全部责任"),
    ("main", "主要责任"),
    ("separate", "分别承担责任"),
    ("liable", "承担责任"),
    ("secondary", "次要责任"),
    ("not_liable", "不承担责任"),
];

/// The case-level outcomes the confirmation may record.
pub const OUTCOMES: [(&str, &str); 4] = [
    ("none", "应当追究执法过错责任"),
    ("aggravation", "应当从重追究"),
    ("tolerance", "可以从轻或者免予追究"),
    ("exemption", "不追究（第十四条）"),
];

const DISCIPLINES: [Sanction; 6] = [
    Sanction::Warning,
    Sanction::Demerit,
    Sanction::MajorDemerit,
    Sanction::Demotion,
    Sanction::RemovalFromPost,
    Sanction::Expulsion,
];

fn label_of<'a>(table: &'a [(&str, &str, &str)], id: &str) -> Option<(&'a str, &'a str)> {
    table
        .iter()
        .find(|(i, _, _)| *i == id)
        .map(|(_, art, zh)| (*art, *zh))
}

fn pair_zh<'a>(table: &'a [(&str, &str)], id: &str) -> &'a str {
    table
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, zh)| *zh)
        .unwrap_or("")
}

/// The Chinese name of a share id (`main` → 主要责任).
pub fn share_zh(id: &str) -> &str {
    pair_zh(&SHARES, id)
}

/// A share as what the person bears, a verb phrase to follow a name: "承担主要责任",
/// "与其他责任人分别承担责任", "不承担责任" (never the bare noun: "李某全部责任", issue 20).
pub fn share_predicate(id: &str) -> String {
    match id {
        "not_liable" => "不承担责任".to_string(),
        "separate" => "与其他责任人分别承担责任".to_string(),
        "liable" => "承担责任".to_string(),
        other => match share_zh(other) {
            "" => "承担相应责任".to_string(),
            zh => format!("承担{zh}"),
        },
    }
}

/// What a share says of the person in a decision: "应当承担主要责任", "不承担责任".
pub fn share_sentence(id: &str) -> String {
    match id {
        "not_liable" => share_predicate(id),
        other => format!("应当{}", share_predicate(other)),
    }
}

/// The Chinese name of a person's role id (`approver` → 审批人).
pub fn person_role_zh(id: &str) -> &str {
    pair_zh(&PERSON_ROLES, id)
}

fn outcome_zh(id: &str) -> &str {
    pair_zh(&OUTCOMES, id)
}

fn measure_zh(id: &str) -> &str {
    label_of(&MEASURES, id).map(|(_, zh)| zh).unwrap_or(id)
}

// ---------------------------------------------------------------------------------------------
// Data

/// One person involved, by role, with what they did (the pack's per-person facts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePerson {
    /// The name, unique within the case: the allocation and the decisions name people by it.
    pub name: String,
    /// The person in the directory, when they are in it (a 鉴定人 from outside may not be).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub person_id: Option<String>,
    /// A [`PERSON_ROLES`] id.
    pub role: String,
    /// What the person proposed or concluded (a correct opinion the approver overrode, §9).
    #[serde(default)]
    pub opinion: String,
    #[serde(default)]
    pub at_fault: bool,
    #[serde(default)]
    pub overrode_correct_opinion: bool,
    #[serde(default)]
    pub unauthorised_act: bool,
    #[serde(default)]
    pub falsified_or_concealed: bool,
    #[serde(default)]
    pub false_appraisal: bool,
    #[serde(default)]
    pub wrong_reply: bool,
}

impl CasePerson {
    /// The per-person facts as (pack fact id, value), every one known.
    pub fn facts(&self) -> [(&'static str, bool); 6] {
        [
            ("at_fault", self.at_fault),
            ("overrode_correct_opinion", self.overrode_correct_opinion),
            ("unauthorised_act", self.unauthorised_act),
            ("falsified_or_concealed", self.falsified_or_concealed),
            ("false_appraisal", self.false_appraisal),
            ("wrong_reply", self.wrong_reply),
        ]
    }
}

fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

/// The circumstances of §14, §23, §24, §20 and §21, by the pack's fact ids. Whatever is not
/// listed is recorded as absent (false), so the engine's answer is determined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Circumstances {
    #[serde(default)]
    pub exemptions: Vec<String>,
    #[serde(default)]
    pub mitigations: Vec<String>,
    #[serde(default)]
    pub aggravations: Vec<String>,
    /// 影响恶劣、后果严重 (§20).
    #[serde(default)]
    pub severe_impact: bool,
    /// 本单位发生严重的执法过错 (§21).
    #[serde(default)]
    pub serious_error: bool,
}

/// One person's share as the engine computed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputedShare {
    pub name: String,
    pub role: String,
    /// A [`SHARES`] id.
    pub share: String,
    /// The allocation that assigned it (`a9`) and its articles (`004 §9`).
    pub allocation: String,
    pub citations: Vec<String>,
    pub explain: String,
}

/// A consequence rule the engine found applicable (§16, §20, §21, §22).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consequence {
    pub rule: String,
    /// The articles of the pack the rule rests on (`§20`).
    pub articles: Vec<String>,
    pub explain: String,
}

/// What the policy engine computed for the case's recorded facts: the outcome and the
/// allocation of responsibility, with their reasons. Built by [`assess`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The pack evaluated and its version.
    pub pack: String,
    #[serde(default)]
    pub pack_version: String,
    /// [`FaultState::inputs`] when computed: a later change of people or circumstances makes
    /// the assessment stale.
    pub inputs: u32,
    /// `none|aggravation|tolerance|exemption`.
    pub outcome: String,
    #[serde(default)]
    pub modality: Option<String>,
    #[serde(default)]
    pub leniency: Vec<String>,
    #[serde(default)]
    pub citations: Vec<String>,
    #[serde(default)]
    pub explanations: Vec<String>,
    pub shares: Vec<ComputedShare>,
    #[serde(default)]
    pub consequences: Vec<Consequence>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// The pack's periods the case counts (`appeal_reply`, and `appeal_filing` if set).
    #[serde(default)]
    pub periods: BTreeMap<String, Period>,
}

impl Assessment {
    fn share_of(&self, name: &str) -> Option<&ComputedShare> {
        // A person may be named by several effective allocations (§10 beside §7): the
        // heaviest share stands (the order of `SHARES`).
        self.shares
            .iter()
            .filter(|s| s.name == name)
            .min_by_key(|s| SHARES.iter().position(|(id, _)| *id == s.share))
    }

    fn has_consequence(&self, article: &str) -> bool {
        self.consequences
            .iter()
            .any(|c| c.articles.iter().any(|a| a == article))
    }

    /// The reply period of §27 from the pack.
    pub fn appeal_reply(&self) -> Option<Period> {
        self.periods.get(APPEAL_REPLY).copied()
    }

    /// The window to appeal: the pack's `appeal_filing`, else the local default — either way
    /// a local setting, never 004 §27's: §27 sets only the reply's 30 日 (issue 20).
    pub fn appeal_filing(&self) -> (Period, &'static str) {
        match self.periods.get(APPEAL_FILING) {
            Some(p) => (*p, LOCAL_SETTING),
            None => (DEFAULT_APPEAL_FILING, LOCAL_SETTING),
        }
    }
}

/// A share as the people confirmed it (§26 认定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedShare {
    pub name: String,
    pub role: String,
    pub share: String,
    /// What the engine computed (`not_liable` when no allocation named the person).
    pub computed: String,
    #[serde(default)]
    pub citations: Vec<String>,
}

/// A share given in the confirmation where it departs from the computed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareInput {
    pub name: String,
    pub share: String,
}

/// To whom an appeal goes (§27): the agency that decided, or the one above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealTo {
    SameLevel,
    Higher,
}

impl AppealTo {
    fn zh(self) -> &'static str {
        match self {
            AppealTo::SameLevel => "本级公安机关",
            AppealTo::Higher => "上级公安机关",
        }
    }
}

/// The reply to an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    /// 维持.
    Upheld,
    /// 变更 (lighter).
    Changed,
    /// 撤销.
    Revoked,
}

impl AppealResult {
    fn zh(self) -> &'static str {
        match self {
            AppealResult::Upheld => "维持原决定",
            AppealResult::Changed => "变更原决定",
            AppealResult::Revoked => "撤销原决定",
        }
    }
}

/// The head of the agency's answer to a reported decision (§26¶2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalResult {
    /// 同意: the decision takes effect and its notice issues.
    Approved,
    /// 退回: the department decides again.
    Returned,
}

/// A decision the 督察 or 人事 department reported and the head has not yet answered (§26¶2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub name: String,
    pub measures: Vec<String>,
    #[serde(default)]
    pub discipline: Option<Sanction>,
    pub waived: bool,
    pub reasons: String,
    /// The deciding department: [`Role::Inspectorate`] or [`Role::Personnel`].
    pub department: Role,
    /// Set when the event is applied.
    #[serde(default)]
    pub on: Option<NaiveDate>,
}

/// What a person may ask of the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    /// 立案 by the 法制部门 (§25–26).
    #[serde(rename = "enforcement_fault_open")]
    Open {
        /// An [`ERROR_TYPES`] id.
        error_type: String,
        error_on: NaiveDate,
        /// The enforcement case in which the error occurred (案件名称或者编号).
        case_name: String,
        description: String,
        /// The 公安局, 派出所 or 办案单位 where it occurred (§21): the handling agency itself or
        /// one below it. The organisation the opening is authorised for.
        unit: String,
    },
    /// The people involved and what each did (§7–13). Replaces the list.
    #[serde(rename = "enforcement_fault_record_people")]
    RecordPeople { people: Vec<CasePerson> },
    /// The circumstances (§14, §20, §21, §23, §24). Replaces them.
    #[serde(rename = "enforcement_fault_record_circumstances")]
    RecordCircumstances {
        #[serde(flatten)]
        circumstances: Circumstances,
    },
    /// The engine's assessment of the current inputs, recorded as computed ([`assess`]).
    #[serde(rename = "enforcement_fault_assess")]
    Assess { assessment: Assessment },
    /// 认定 (§26): the allocation and outcome as the 法制部门 confirms them, with the proposal
    /// to the 督察 or 人事 department.
    #[serde(rename = "enforcement_fault_confirm")]
    Confirm {
        /// Shares that depart from the computed ones (others stand as computed).
        #[serde(default)]
        shares: Vec<ShareInput>,
        /// The outcome, where it departs from the computed one.
        #[serde(default, deserialize_with = "empty_as_none")]
        outcome: Option<String>,
        /// Why the confirmation departs from the computed allocation or outcome.
        #[serde(default)]
        reasons: String,
        /// 处理意见 (§26¶2).
        proposal: String,
    },
    /// The decision on one liable person (§16, §17) by the 督察 or 人事 department, reported to
    /// the head of the agency for approval (§26¶2): it takes effect only by [`Command::Approve`].
    #[serde(rename = "enforcement_fault_decide")]
    Decide {
        name: String,
        #[serde(default)]
        measures: Vec<String>,
        #[serde(default)]
        discipline: Option<Sanction>,
        /// 免予追究 (§23).
        #[serde(default)]
        waived: bool,
        /// Refused when given: the approval is the head's own act ([`Command::Approve`]), never
        /// a name typed by the department (issue 20). Kept so that a client still sending it
        /// learns why, instead of having it silently dropped.
        #[serde(default)]
        approved_by: String,
        reasons: String,
    },
    /// The head of the agency approves, or returns with reasons, a decision reported by the 督察
    /// or 人事 department (§26¶2 "报公安机关行政首长审批").
    #[serde(rename = "enforcement_fault_approve")]
    Approve {
        name: String,
        result: ApprovalResult,
        /// Required when the decision is returned.
        #[serde(default)]
        reasons: String,
    },
    /// 记入档案 (§22).
    #[serde(rename = "enforcement_fault_record_in_file")]
    RecordInFile {
        name: String,
        #[serde(default)]
        note: String,
    },
    /// 申诉 by the person dealt with (§27).
    #[serde(rename = "enforcement_fault_appeal")]
    Appeal { to: AppealTo, reasons: String },
    /// The reply to an appeal (§27).
    #[serde(rename = "enforcement_fault_answer_appeal")]
    AnswerAppeal {
        name: String,
        result: AppealResult,
        #[serde(default)]
        measures: Vec<String>,
        #[serde(default)]
        discipline: Option<Sanction>,
        reasons: String,
    },
    /// §18: a liable person's act constitutes a crime; the case is transferred to the organ
    /// that handles it, by a written 移交函.
    #[serde(rename = "enforcement_fault_transfer")]
    Transfer {
        name: String,
        /// The receiving organ (人民检察院, 监察委员会, the agency's criminal investigators …).
        to: String,
        /// The facts of the suspected crime.
        facts: String,
    },
    /// §19: the agency paid state compensation for the case (国家赔偿法).
    #[serde(rename = "enforcement_fault_record_compensation")]
    RecordCompensation {
        /// 元.
        amount: u64,
        paid_on: NaiveDate,
        /// The compensation decision or judgment it paid under.
        basis: String,
    },
    /// §19: part or all of the compensation recovered from one responsible person (国家赔偿法
    /// 第十六条: 故意或者重大过失). Several recoveries may be recorded; together never more
    /// than was paid.
    #[serde(rename = "enforcement_fault_recover")]
    Recover {
        name: String,
        /// 元.
        amount: u64,
        reasons: String,
    },
    /// The system's: a second error established in the unit this year (§21 多次发生).
    #[serde(rename = "enforcement_fault_bar_unit_award")]
    BarUnitAward { year: i32, others: Vec<String> },
}

/// A decision on one person as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDecision {
    pub name: String,
    #[serde(default)]
    pub person_id: Option<String>,
    pub share: String,
    pub measures: Vec<String>,
    #[serde(default)]
    pub discipline: Option<Sanction>,
    pub waived: bool,
    /// Who approved: a name typed by the 督察 in cases decided before the approval became the
    /// head's own act; since then "<agency>行政首长", the person recorded as the event's actor.
    pub approved_by: String,
    /// The department that decided and reported it (§26¶2); absent in older records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Role>,
    pub reasons: String,
    /// The last day to appeal, counted from the decision.
    pub appeal_due: NaiveDate,
    #[serde(default)]
    pub appeal_due_provisional: bool,
    pub appeal_article: String,
    pub document: Document,
}

/// What the case records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    FaultOpened {
        error_type: String,
        error_on: NaiveDate,
        case_name: String,
        description: String,
        org: Org,
        unit: Org,
        /// How the case cites the regulation governing it after the first mention (its short title),
        /// from its pack; empty in cases opened before it was recorded (they cite bare articles).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        cited_as: String,
    },
    PeopleRecorded {
        people: Vec<CasePerson>,
    },
    CircumstancesRecorded {
        circumstances: Circumstances,
    },
    ResponsibilityAssessed {
        assessment: Assessment,
    },
    ResponsibilityConfirmed {
        shares: Vec<ConfirmedShare>,
        outcome: String,
        computed_outcome: String,
        departs: bool,
        #[serde(default)]
        reasons: String,
        proposal: String,
        /// §20: leadership responsibility is to be pursued.
        leadership: bool,
        document: Document,
    },
    /// §26¶2: the 督察's or 人事's decision on one person, reported to the head of the agency.
    DecisionSubmitted {
        submission: Submission,
    },
    /// §26¶2: the head of the agency returned it; the department decides again.
    DecisionReturned {
        name: String,
        reasons: String,
    },
    /// The decision in force: approved by the head of the agency (since issue 20), or recorded
    /// with the approver's name typed in by the 督察 (older records).
    PersonDecided {
        decision: PersonDecision,
    },
    RecordedInFile {
        name: String,
        /// Which version of the person's decision (1 = the decision, +1 per change).
        version: u32,
        #[serde(default)]
        note: String,
    },
    FaultAppealed {
        name: String,
        to: AppealTo,
        receiving: Org,
        reasons: String,
        reply_due: NaiveDate,
        #[serde(default)]
        provisional: bool,
    },
    FaultAppealAnswered {
        name: String,
        result: AppealResult,
        measures: Vec<String>,
        #[serde(default)]
        discipline: Option<Sanction>,
        reasons: String,
        late: bool,
        document: Document,
    },
    /// §18.
    FaultTransferred {
        name: String,
        to: String,
        facts: String,
        document: Document,
    },
    /// §19.
    CompensationRecorded {
        amount: u64,
        paid_on: NaiveDate,
        basis: String,
    },
    /// §19.
    CostRecovered {
        name: String,
        amount: u64,
        reasons: String,
    },
    UnitAwardBarred {
        unit: Org,
        year: i32,
        /// Why: `serious` (严重的执法过错) or `repeated` (多次发生, with the other cases).
        reason: String,
        #[serde(default)]
        others: Vec<String>,
    },
}

/// An appeal and its reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultAppeal {
    pub on: NaiveDate,
    pub to: AppealTo,
    pub receiving: Org,
    pub reasons: String,
    pub reply_due: NaiveDate,
    pub provisional: bool,
    pub answer: Option<(NaiveDate, AppealResult, String, bool)>,
}

/// One person's standing in the case after decisions and appeals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub decided_on: NaiveDate,
    pub decision: PersonDecision,
    /// The measures and 处分 in force (changed on appeal).
    pub measures: Vec<String>,
    pub discipline: Option<Sanction>,
    pub revoked: bool,
    /// 1 for the decision, +1 per change on appeal.
    pub version: u32,
    pub filed_version: Option<u32>,
    pub appeal: Option<FaultAppeal>,
}

/// The confirmation of record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub on: NaiveDate,
    pub shares: Vec<ConfirmedShare>,
    pub outcome: String,
    pub computed_outcome: String,
    pub departs: bool,
    pub reasons: String,
    pub proposal: String,
    pub leadership: bool,
}

/// §19: state compensation paid by the agency and the recoveries from those responsible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compensation {
    /// 元.
    pub amount: u64,
    pub paid_on: NaiveDate,
    pub basis: String,
    /// (date, name, 元, reasons), in order.
    pub recoveries: Vec<(NaiveDate, String, u64, String)>,
}

impl Compensation {
    /// 元 recovered so far, from everyone.
    pub fn recovered(&self) -> u64 {
        self.recoveries.iter().map(|(_, _, a, _)| *a).sum()
    }

    /// 元 that may still be recovered: never more than was paid.
    pub fn left(&self) -> u64 {
        self.amount.saturating_sub(self.recovered())
    }
}

/// The case as its events left it. It reads back from its JSON (`AnyCase::state_json`), so a
/// caller holding only that can still run [`assess`] on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultState {
    /// Events applied.
    pub version: u64,
    /// How the governing regulation is cited after the first mention (see `Kind::FaultOpened`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cited_as: String,
    pub opened_on: Option<NaiveDate>,
    pub org: Option<Org>,
    pub unit: Option<Org>,
    pub error_type: String,
    pub error_on: Option<NaiveDate>,
    pub case_name: String,
    pub description: String,
    pub people: Vec<CasePerson>,
    pub circumstances: Option<Circumstances>,
    /// Bumped by every change of people or circumstances.
    pub inputs: u32,
    pub assessment: Option<Assessment>,
    pub confirmation: Option<Confirmation>,
    pub standings: BTreeMap<String, Standing>,
    /// §26¶2: decisions reported to the head of the agency and not yet answered, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub submitted: BTreeMap<String, Submission>,
    /// §18: transfers, by name: (date, receiving organ).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub transfers: BTreeMap<String, (NaiveDate, String)>,
    /// §19: the state compensation paid, and what was recovered from whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensation: Option<Compensation>,
    /// §21: (year, reason) once the unit is barred.
    pub award_barred: Option<(i32, String)>,
}

impl FaultState {
    /// Whether the recorded assessment was computed on the current inputs.
    pub fn assessment_current(&self) -> bool {
        self.assessment
            .as_ref()
            .is_some_and(|a| a.inputs == self.inputs)
    }

    fn person(&self, name: &str) -> Option<&CasePerson> {
        self.people.iter().find(|p| p.name == name)
    }

    /// The people the confirmation holds responsible, unless the outcome is §14's exemption.
    pub fn liable(&self) -> Vec<&ConfirmedShare> {
        match &self.confirmation {
            Some(c) if c.outcome != "exemption" => c
                .shares
                .iter()
                .filter(|s| s.share != "not_liable")
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The liable people with neither a decision in force nor one awaiting approval.
    fn undecided(&self) -> Vec<&ConfirmedShare> {
        self.liable()
            .into_iter()
            .filter(|s| {
                !self.standings.contains_key(&s.name) && !self.submitted.contains_key(&s.name)
            })
            .collect()
    }

    fn unfiled(&self) -> Vec<&Standing> {
        self.standings
            .values()
            .filter(|s| s.filed_version != Some(s.version))
            .collect()
    }

    fn pending_appeals(&self) -> Vec<(&String, &FaultAppeal)> {
        self.standings
            .iter()
            .filter_map(|(n, s)| s.appeal.as_ref().map(|a| (n, a)))
            .filter(|(_, a)| a.answer.is_none())
            .collect()
    }

    /// The stage id and its Chinese name.
    pub fn stage(&self) -> (&'static str, &'static str) {
        if self.org.is_none() {
            return ("new", "尚未立案");
        }
        let Some(c) = &self.confirmation else {
            return if self.assessment_current() {
                ("assessed", "待认定责任")
            } else {
                ("investigating", "调查核实")
            };
        };
        if c.outcome == "exemption" || self.liable().is_empty() {
            return ("closed", "已办结（不追究）");
        }
        if !self.undecided().is_empty() {
            return ("confirmed", "待作出处理决定");
        }
        if !self.submitted.is_empty() {
            return ("approving", "待行政首长审批");
        }
        if !self.pending_appeals().is_empty() {
            return ("appealed", "申诉审查中");
        }
        if !self.unfiled().is_empty() {
            return ("decided", "待记入档案");
        }
        ("closed", "已办结")
    }

    fn org_name(&self) -> String {
        self.org
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }

    fn error_label(&self) -> String {
        match label_of(&ERROR_TYPES, &self.error_type) {
            Some((art, zh)) => format!("{zh}（{}{}）", self.cited_as, cite(art)),
            None => self.error_type.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The engine, outside `decide`

/// Evaluates the case's recorded facts under pack [`PACK_ID`] of `packs` and allocates
/// responsibility among its people: what [`Command::Assess`] records. Pure: the caller
/// (service or server) holds the loaded packs.
pub fn assess(
    packs: &lvzhi_rules::PackSet,
    state: &FaultState,
) -> Result<Assessment, ProcessError> {
    use lvzhi_rules::{Input, Person, RuleKind};
    let Some(circ) = &state.circumstances else {
        return Err(ProcessError::new("尚未记录案件情节，不能计算责任划分"));
    };
    if state.people.is_empty() {
        return Err(ProcessError::new("尚未记录涉案人员，不能计算责任划分"));
    }
    let engine = |e: lvzhi_rules::InputError| ProcessError::new(format!("规则引擎无法计算：{e}"));
    let pack = packs.pack(PACK_ID).map_err(engine)?;
    let mut given: Vec<(String, Input)> = Vec::new();
    for (id, _, _) in ERROR_TYPES {
        given.push((id.to_string(), Input::Bool(id == state.error_type)));
    }
    for (table, chosen) in [
        (&EXEMPTIONS[..], &circ.exemptions),
        (&MITIGATIONS[..], &circ.mitigations),
        (&AGGRAVATIONS[..], &circ.aggravations),
    ] {
        for (id, _, _) in table {
            given.push((id.to_string(), Input::Bool(chosen.iter().any(|c| c == id))));
        }
    }
    given.push(("severe_impact".into(), Input::Bool(circ.severe_impact)));
    given.push((
        "serious_enforcement_fault".into(),
        Input::Bool(circ.serious_error),
    ));
    let facts = packs.typed_facts(PACK_ID, &given).map_err(engine)?;
    let decision = packs.run(PACK_ID, &facts).map_err(engine)?;
    let ev = decision.evaluation;
    if !ev.is_determined() {
        return Err(ProcessError::new(
            "规则引擎尚不能确定处理结论：请补全案件情节后重新计算",
        ));
    }
    let people: Vec<Person> = state
        .people
        .iter()
        .map(|p| Person {
            name: p.name.clone(),
            role: p.role.clone(),
            facts: p
                .facts()
                .iter()
                .map(|(k, v)| (k.to_string(), Input::Bool(*v)))
                .collect(),
        })
        .collect();
    let alloc = packs.allocate(PACK_ID, &people, &facts).map_err(engine)?;
    let consequences = ev
        .fired
        .iter()
        .filter_map(|id| pack.rule(id))
        .filter(|r| r.kind == RuleKind::Consequence)
        .map(|r| Consequence {
            rule: r.id.clone(),
            articles: r.articles.clone(),
            explain: r.explain.clone(),
        })
        .collect();
    let mut notes = ev.notes.clone();
    notes.extend(alloc.notes.iter().cloned());
    Ok(Assessment {
        pack: PACK_ID.to_string(),
        pack_version: pack.meta.version.clone(),
        inputs: state.inputs,
        outcome: ev.outcome.clone(),
        modality: ev.modality.map(|m| m.id().to_string()),
        leniency: ev.leniency.iter().map(|l| l.id().to_string()).collect(),
        citations: ev.citations.clone(),
        explanations: ev.explanations.clone(),
        shares: alloc
            .shares
            .iter()
            .map(|s| ComputedShare {
                name: s.person.clone(),
                role: s.role.clone(),
                share: s.share.clone(),
                allocation: s.allocation.clone(),
                citations: s.citations.clone(),
                explain: s.explain.clone(),
            })
            .collect(),
        consequences,
        notes,
        // Only the periods the process reads (`Process::PERIODS`), so the record holds no
        // period that no step uses.
        periods: pack
            .period_map()
            .into_iter()
            .filter(|(id, _)| <EnforcementFault as Process>::PERIODS.contains(&id.as_str()))
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Deciding

/// The departments that decide enforcement-fault discipline and keep the file (§26¶2, §22).
const DECIDING: [Role; 2] = [Role::Inspectorate, Role::Personnel];

fn stage_refusal(state: &FaultState, what: &str) -> ProcessError {
    ProcessError::new(format!("案件当前处于“{}”阶段，不能{what}", state.stage().1))
}

fn validate_measures(measures: &[String]) -> Result<(), ProcessError> {
    let mut seen = BTreeSet::new();
    for m in measures {
        if label_of(&MEASURES, m).is_none() {
            return Err(refuse(
                format!("处理种类“{m}”不在第十六条所列范围内"),
                "004 §16",
            ));
        }
        if !seen.insert(m) {
            return Err(ProcessError::new(format!(
                "处理种类“{}”重复",
                measure_zh(m)
            )));
        }
    }
    Ok(())
}

fn validate_discipline(d: Option<Sanction>) -> Result<(), ProcessError> {
    match d {
        Some(s) if !DISCIPLINES.contains(&s) => Err(refuse(
            format!(
                "“{}”不是处分：处分为警告、记过、记大过、降级、撤职、开除",
                s.zh()
            ),
            "004 §17",
        )),
        _ => Ok(()),
    }
}

fn validate_people(people: &[CasePerson]) -> Result<(), ProcessError> {
    if people.is_empty() {
        return Err(refuse("至少应当列明一名涉案人员", "004 §7"));
    }
    let mut names = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for p in people {
        let name = p.name.trim();
        if name.is_empty() {
            return Err(ProcessError::new("涉案人员的姓名不能为空"));
        }
        if name.chars().count() > 50 {
            return Err(ProcessError::new(format!("涉案人员姓名“{name}”过长")));
        }
        if !names.insert(name.to_string()) {
            return Err(ProcessError::new(format!(
                "涉案人员“{name}”重复列出：同名人员请以姓名加单位或者职务区分"
            )));
        }
        if let Some(id) = &p.person_id {
            if !ids.insert(id.clone()) {
                return Err(ProcessError::new(format!("人员编号“{id}”重复列出")));
            }
        }
        if !PERSON_ROLES.iter().any(|(r, _)| *r == p.role) {
            let known: Vec<&str> = PERSON_ROLES.iter().map(|(_, zh)| *zh).collect();
            return Err(refuse(
                format!(
                    "“{name}”的办案角色“{}”无效：应为{}之一",
                    p.role,
                    known.join("、")
                ),
                "004 §7",
            ));
        }
        for (fact, value) in p.facts() {
            let Some((_, art, roles, zh)) = PERSON_FACTS.iter().find(|f| f.0 == fact) else {
                continue;
            };
            if value && !roles.is_empty() && !roles.contains(&p.role.as_str()) {
                let who: Vec<&str> = roles.iter().map(|r| person_role_zh(r)).collect();
                return Err(refuse(
                    format!(
                        "“{name}”是{}，不能记为“{zh}”：该情形只适用于{}",
                        person_role_zh(&p.role),
                        who.join("、")
                    ),
                    &format!("004 {art}"),
                ));
            }
        }
    }
    Ok(())
}

fn validate_circumstances(c: &Circumstances) -> Result<(), ProcessError> {
    for (table, chosen, art) in [
        (&EXEMPTIONS[..], &c.exemptions, "004 §14"),
        (&MITIGATIONS[..], &c.mitigations, "004 §23"),
        (&AGGRAVATIONS[..], &c.aggravations, "004 §24"),
    ] {
        let mut seen = BTreeSet::new();
        for id in chosen {
            if label_of(table, id).is_none() {
                return Err(refuse(format!("情节“{id}”不在该条所列范围内"), art));
            }
            if !seen.insert(id) {
                return Err(ProcessError::new(format!("情节“{id}”重复")));
            }
        }
    }
    Ok(())
}

fn validate_assessment(state: &FaultState, a: &Assessment) -> Result<(), ProcessError> {
    if a.inputs != state.inputs {
        return Err(ProcessError::new(
            "该责任划分是按已经变更的人员或者情节计算的，请按当前记录重新计算",
        ));
    }
    if !OUTCOMES.iter().any(|(o, _)| *o == a.outcome) {
        return Err(ProcessError::new(format!(
            "规则引擎的结论“{}”无法认定：请补全案件情节后重新计算",
            a.outcome
        )));
    }
    for s in &a.shares {
        if state.person(&s.name).is_none() {
            return Err(ProcessError::new(format!(
                "计算结果中的“{}”不是本案记录的涉案人员",
                s.name
            )));
        }
        if !SHARES.iter().any(|(id, _)| *id == s.share) {
            return Err(ProcessError::new(format!(
                "计算结果中的责任“{}”无效",
                s.share
            )));
        }
    }
    if a.appeal_reply().is_none() {
        return Err(refuse(
            "政策包缺少申诉答复期间“appeal_reply”，请在政策包中以 [[period]] 补充",
            "004 §27",
        ));
    }
    Ok(())
}

fn org_named(ctx: &Ctx<'_>, id: &str) -> Result<Org, ProcessError> {
    match ctx.name(id) {
        Some(name) => Ok(Org {
            id: id.to_string(),
            name: name.to_string(),
        }),
        None => Err(ProcessError::new(format!("组织机构“{id}”不存在"))),
    }
}

fn ev(on: NaiveDate, by: By, kind: Kind) -> Event<Kind> {
    Event { on, by, kind }
}

/// The computed share of each person (`not_liable` when no allocation named them).
fn computed_shares(state: &FaultState, a: &Assessment) -> Vec<ConfirmedShare> {
    state
        .people
        .iter()
        .map(|p| {
            let c = a.share_of(&p.name);
            let share = c
                .map(|c| c.share.clone())
                .unwrap_or_else(|| "not_liable".into());
            ConfirmedShare {
                name: p.name.clone(),
                role: p.role.clone(),
                share: share.clone(),
                computed: share,
                citations: c.map(|c| c.citations.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

fn decide_inner(
    state: &FaultState,
    command: &Command,
    actor: &Actor,
    ctx: &Ctx<'_>,
) -> Result<Vec<Event<Kind>>, ProcessError> {
    let today = ctx.today;
    let opened = state.org.is_some();
    match command {
        Command::Open {
            error_type,
            error_on,
            case_name,
            description,
            unit,
        } => {
            let by = need(actor, &[Role::LegalAffairs], "执法过错案件立案", "004 §26")?;
            if opened {
                return Err(ProcessError::new("本案已经立案"));
            }
            if label_of(&ERROR_TYPES, error_type).is_none() {
                return Err(refuse(
                    format!("执法过错情形“{error_type}”不在第六条所列范围内"),
                    "004 §6",
                ));
            }
            if *error_on > today {
                return Err(ProcessError::new("执法过错发生日期不能晚于今天"));
            }
            not_blank(case_name, "发生执法过错的案件", "004 §6")?;
            not_blank(description, "执法过错的经过", "004 §6")?;
            // The agency where the error occurred investigates it, or one above it (§25).
            let org = match ctx.org_chain.first() {
                Some(o) => o.clone(),
                None => org_named(ctx, &actor.org_id)?,
            };
            let unit = org_named(ctx, unit)?;
            Ok(vec![ev(
                today,
                by,
                Kind::FaultOpened {
                    error_type: error_type.clone(),
                    error_on: *error_on,
                    case_name: case_name.trim().to_string(),
                    description: description.trim().to_string(),
                    org,
                    unit,
                    cited_as: ctx.regulation()?.short(),
                },
            )])
        }
        Command::RecordPeople { people } => {
            let by = need(actor, &[Role::LegalAffairs], "记录涉案人员", "004 §26")?;
            if !opened || state.confirmation.is_some() {
                return Err(stage_refusal(state, "记录涉案人员"));
            }
            validate_people(people)?;
            let people = people
                .iter()
                .map(|p| CasePerson {
                    name: p.name.trim().to_string(),
                    opinion: p.opinion.trim().to_string(),
                    ..p.clone()
                })
                .collect();
            Ok(vec![ev(today, by, Kind::PeopleRecorded { people })])
        }
        Command::RecordCircumstances { circumstances } => {
            let by = need(actor, &[Role::LegalAffairs], "记录案件情节", "004 §26")?;
            if !opened || state.confirmation.is_some() {
                return Err(stage_refusal(state, "记录案件情节"));
            }
            validate_circumstances(circumstances)?;
            Ok(vec![ev(
                today,
                by,
                Kind::CircumstancesRecorded {
                    circumstances: circumstances.clone(),
                },
            )])
        }
        Command::Assess { assessment } => {
            let by = need(actor, &[Role::LegalAffairs], "计算责任划分", "004 §26")?;
            if !opened || state.confirmation.is_some() {
                return Err(stage_refusal(state, "计算责任划分"));
            }
            if state.people.is_empty() || state.circumstances.is_none() {
                return Err(ProcessError::new(
                    "应当先记录涉案人员和案件情节，再计算责任划分",
                ));
            }
            validate_assessment(state, assessment)?;
            Ok(vec![ev(
                today,
                by,
                Kind::ResponsibilityAssessed {
                    assessment: assessment.clone(),
                },
            )])
        }
        Command::Confirm {
            shares,
            outcome,
            reasons,
            proposal,
        } => {
            let by = need(actor, &[Role::LegalAffairs], "认定执法过错责任", "004 §26")?;
            if !opened || state.confirmation.is_some() {
                return Err(stage_refusal(state, "认定执法过错责任"));
            }
            let Some(a) = state
                .assessment
                .as_ref()
                .filter(|_| state.assessment_current())
            else {
                return Err(refuse(
                    "应当先按当前记录的人员和情节计算责任划分，再作认定",
                    "004 §7",
                ));
            };
            let mut confirmed = computed_shares(state, a);
            let mut seen = BTreeSet::new();
            for s in shares {
                if s.name.trim().is_empty() && s.share.trim().is_empty() {
                    continue;
                }
                let Some(c) = confirmed.iter_mut().find(|c| c.name == s.name.trim()) else {
                    return Err(ProcessError::new(format!(
                        "“{}”不是本案记录的涉案人员",
                        s.name
                    )));
                };
                if !seen.insert(c.name.clone()) {
                    return Err(ProcessError::new(format!("“{}”的责任认定重复", c.name)));
                }
                if !SHARES.iter().any(|(id, _)| *id == s.share) {
                    return Err(refuse(
                        format!("“{}”的责任“{}”无效", c.name, s.share),
                        "004 §7",
                    ));
                }
                c.share = s.share.clone();
            }
            let outcome = outcome.clone().unwrap_or_else(|| a.outcome.clone());
            if !OUTCOMES.iter().any(|(o, _)| *o == outcome) {
                return Err(ProcessError::new(format!("处理结论“{outcome}”无效")));
            }
            let departs = outcome != a.outcome || confirmed.iter().any(|c| c.share != c.computed);
            if departs && reasons.trim().is_empty() {
                return Err(refuse(
                    "认定与规则引擎计算的责任划分或者结论不同，应当写明理由",
                    "004 §26",
                ));
            }
            not_blank(proposal, "处理意见", "004 §26¶2")?;
            // §20 and §21 follow the engine's consequences, unless §14 relieves everyone.
            let exempt = outcome == "exemption";
            let leadership = !exempt && a.has_consequence("§20");
            let confirmation = Confirmation {
                on: today,
                shares: confirmed.clone(),
                outcome: outcome.clone(),
                computed_outcome: a.outcome.clone(),
                departs,
                reasons: reasons.trim().to_string(),
                proposal: proposal.trim().to_string(),
                leadership,
            };
            let barred = !exempt && a.has_consequence("§21") && state.award_barred.is_none();
            let document =
                determination_document(ctx.regulation()?, state, &confirmation, barred, today)?;
            let mut events = vec![ev(
                today,
                by.clone(),
                Kind::ResponsibilityConfirmed {
                    shares: confirmed,
                    outcome,
                    computed_outcome: a.outcome.clone(),
                    departs,
                    reasons: confirmation.reasons.clone(),
                    proposal: confirmation.proposal.clone(),
                    leadership,
                    document,
                },
            )];
            if barred {
                if let Some(unit) = &state.unit {
                    events.push(ev(
                        today,
                        by,
                        Kind::UnitAwardBarred {
                            unit: unit.clone(),
                            year: today.year(),
                            reason: "serious".into(),
                            others: Vec::new(),
                        },
                    ));
                }
            }
            Ok(events)
        }
        Command::Decide {
            name,
            measures,
            discipline,
            waived,
            approved_by,
            reasons,
        } => {
            let by = need(actor, &DECIDING, "作出执法过错责任追究决定", "004 §26¶2")?;
            if !approved_by.trim().is_empty() {
                return Err(refuse(
                    "处理决定由督察或者人事部门研究决定后报公安机关行政首长审批，审批由行政首长本人在系统中作出，不能代为填写审批人",
                    "004 §26¶2",
                ));
            }
            let Some(c) = &state.confirmation else {
                return Err(stage_refusal(state, "作出处理决定"));
            };
            if state.stage().0 != "confirmed" {
                return Err(stage_refusal(state, "作出处理决定"));
            }
            let name = name.trim();
            let Some(share) = c.shares.iter().find(|s| s.name == name) else {
                return Err(ProcessError::new(format!("“{name}”不是本案记录的涉案人员")));
            };
            if share.share == "not_liable" {
                let art = share
                    .citations
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "004 §7".to_string());
                return Err(refuse(
                    format!("经认定“{name}”不承担执法过错责任，不得对其作出处理"),
                    &art,
                ));
            }
            if state.standings.contains_key(name) {
                return Err(ProcessError::new(format!("已对“{name}”作出处理决定")));
            }
            if state.submitted.contains_key(name) {
                return Err(refuse(
                    format!("对“{name}”的处理决定已报行政首长审批，尚未答复"),
                    "004 §26¶2",
                ));
            }
            validate_measures(measures)?;
            validate_discipline(*discipline)?;
            if *waived {
                if c.outcome != "tolerance" {
                    return Err(refuse(
                        "只有具有第二十三条情形、认定可以从轻或者免予追究的，才能免予追究",
                        "004 §23",
                    ));
                }
                if !measures.is_empty() || discipline.is_some() {
                    return Err(refuse(
                        "免予追究的，不能同时作出处理或者给予处分",
                        "004 §23",
                    ));
                }
            } else if measures.is_empty() {
                return Err(refuse(
                    format!(
                        "对“{name}”应当至少作出第十六条所列的一种处理，或者依第二十三条免予追究"
                    ),
                    "004 §16",
                ));
            }
            not_blank(reasons, "处理理由", "004 §15")?;
            let submission = Submission {
                name: name.to_string(),
                measures: measures.clone(),
                discipline: *discipline,
                waived: *waived,
                reasons: reasons.trim().to_string(),
                department: by.role,
                on: Some(today),
            };
            Ok(vec![ev(today, by, Kind::DecisionSubmitted { submission })])
        }
        Command::Approve {
            name,
            result,
            reasons,
        } => {
            let by = need(actor, &[Role::AgencyHead], "审批处理决定", "004 §26¶2")?;
            let name = name.trim();
            let Some(sub) = state.submitted.get(name) else {
                return Err(refuse(
                    format!("没有待审批的对“{name}”的处理决定"),
                    "004 §26¶2",
                ));
            };
            if *result == ApprovalResult::Returned {
                not_blank(reasons, "退回理由", "004 §26¶2")?;
                return Ok(vec![ev(
                    today,
                    by,
                    Kind::DecisionReturned {
                        name: name.to_string(),
                        reasons: reasons.trim().to_string(),
                    },
                )]);
            }
            let (Some(c), Some(a)) = (&state.confirmation, &state.assessment) else {
                return Err(stage_refusal(state, "审批处理决定"));
            };
            let Some(share) = c.shares.iter().find(|s| s.name == name) else {
                return Err(ProcessError::new(format!("“{name}”不是本案记录的涉案人员")));
            };
            let (filing, article) = a.appeal_filing();
            let due = ctx
                .calendar
                .add(today, filing)
                .map_err(|e| ProcessError::new(format!("申诉期限计算失败：{e}")))?;
            let person = state.person(name);
            let mut decision = PersonDecision {
                name: name.to_string(),
                person_id: person.and_then(|p| p.person_id.clone()),
                share: share.share.clone(),
                measures: sub.measures.clone(),
                discipline: sub.discipline,
                waived: sub.waived,
                approved_by: format!("{}行政首长", state.org_name()),
                department: Some(sub.department),
                reasons: sub.reasons.clone(),
                appeal_due: due.due,
                appeal_due_provisional: due.provisional,
                appeal_article: article.to_string(),
                document: placeholder_document(today),
            };
            decision.document =
                decision_document(ctx.regulation()?, state, &decision, share, filing, today)?;
            Ok(vec![ev(today, by, Kind::PersonDecided { decision })])
        }
        Command::RecordInFile { name, note } => {
            let by = need(actor, &DECIDING, "记入档案", "004 §22")?;
            let Some(s) = state.standings.get(name.trim()) else {
                return Err(refuse(
                    format!("尚未对“{}”作出处理决定，不能记入档案", name.trim()),
                    "004 §22",
                ));
            };
            if s.filed_version == Some(s.version) {
                return Err(ProcessError::new(format!(
                    "对“{}”的处理情况已经记入档案",
                    s.decision.name
                )));
            }
            Ok(vec![ev(
                today,
                by,
                Kind::RecordedInFile {
                    name: s.decision.name.clone(),
                    version: s.version,
                    note: note.trim().to_string(),
                },
            )])
        }
        Command::Appeal { to, reasons } => {
            let by = need(actor, &[Role::Officer], "提出申诉", "004 §27")?;
            let Some((name, s)) = state
                .standings
                .iter()
                .find(|(_, s)| s.decision.person_id.as_deref() == Some(actor.person_id.as_str()))
            else {
                return Err(refuse(
                    "只有被追究执法过错责任的民警本人才能对处理决定提出申诉",
                    "004 §27",
                ));
            };
            if s.appeal.is_some() {
                return Err(refuse("已经对本决定提出过申诉", "004 §27"));
            }
            if s.decision.waived {
                return Err(refuse(
                    "对你的决定为免予追究，没有可以申诉的处理",
                    "004 §27",
                ));
            }
            if today > s.decision.appeal_due {
                return Err(refuse(
                    format!(
                        "提出申诉已超过期限：应于{}前提出",
                        date_zh(s.decision.appeal_due)
                    ),
                    &s.decision.appeal_article,
                ));
            }
            not_blank(reasons, "申诉理由", "004 §27")?;
            let receiving = match to {
                AppealTo::SameLevel => state.org.clone(),
                AppealTo::Higher => {
                    // The chain starts at the handling agency; the one above receives.
                    let own = state.org.as_ref().map(|o| o.id.as_str());
                    let at = ctx
                        .org_chain
                        .iter()
                        .position(|o| Some(o.id.as_str()) == own);
                    at.and_then(|i| ctx.org_chain.get(i + 1)).cloned()
                }
            };
            let Some(receiving) = receiving else {
                return Err(refuse(
                    "作出决定的公安机关没有上级公安机关，请向本级公安机关申诉",
                    "004 §27",
                ));
            };
            let Some(period) = state.assessment.as_ref().and_then(Assessment::appeal_reply) else {
                return Err(refuse("政策包缺少申诉答复期间“appeal_reply”", "004 §27"));
            };
            let due = ctx
                .calendar
                .add(today, period)
                .map_err(|e| ProcessError::new(format!("答复期限计算失败：{e}")))?;
            Ok(vec![ev(
                today,
                by,
                Kind::FaultAppealed {
                    name: name.clone(),
                    to: *to,
                    receiving,
                    reasons: reasons.trim().to_string(),
                    reply_due: due.due,
                    provisional: due.provisional,
                },
            )])
        }
        Command::AnswerAppeal {
            name,
            result,
            measures,
            discipline,
            reasons,
        } => {
            let by = need(actor, &[Role::Inspectorate], "答复申诉", "004 §27")?;
            let Some(s) = state.standings.get(name.trim()) else {
                return Err(ProcessError::new(format!("“{}”没有提出申诉", name.trim())));
            };
            let Some(appeal) = s.appeal.as_ref().filter(|a| a.answer.is_none()) else {
                return Err(ProcessError::new(format!(
                    "“{}”没有待答复的申诉",
                    s.decision.name
                )));
            };
            if actor.org_id != appeal.receiving.id {
                return Err(refuse(
                    format!("该申诉应由接受申诉的{}答复", appeal.receiving.name),
                    "004 §27",
                ));
            }
            not_blank(reasons, "答复理由", "004 §27")?;
            let (measures, discipline) = match result {
                AppealResult::Upheld => (s.measures.clone(), s.discipline),
                AppealResult::Revoked => (Vec::new(), None),
                AppealResult::Changed => {
                    validate_measures(measures)?;
                    validate_discipline(*discipline)?;
                    // Never heavier because of an appeal: no measure it did not have, a
                    // 处分 no heavier (001 §27, 000 §21 ¶3).
                    if let Some(m) = measures.iter().find(|m| !s.measures.contains(m)) {
                        return Err(refuse(
                            format!("不得因申诉加重处理：原决定没有“{}”", measure_zh(m)),
                            "001 §27",
                        ));
                    }
                    let heavier = match (discipline, s.discipline) {
                        (Some(new), Some(old)) => *new > old,
                        (Some(_), None) => true,
                        (None, _) => false,
                    };
                    if heavier {
                        return Err(refuse("不得因申诉加重处分", "001 §27"));
                    }
                    if *measures == s.measures && *discipline == s.discipline {
                        return Err(ProcessError::new(
                            "变更后的处理与原决定相同：请选择“维持原决定”",
                        ));
                    }
                    if measures.is_empty() && discipline.is_none() {
                        return Err(ProcessError::new(
                            "变更后不再有任何处理：请选择“撤销原决定”",
                        ));
                    }
                    (measures.clone(), *discipline)
                }
            };
            let late = today > appeal.reply_due;
            let document = appeal_reply_document(
                ctx.regulation()?,
                state,
                s,
                appeal,
                *result,
                &measures,
                discipline,
                reasons.trim(),
                today,
            )?;
            Ok(vec![ev(
                today,
                by,
                Kind::FaultAppealAnswered {
                    name: s.decision.name.clone(),
                    result: *result,
                    measures,
                    discipline,
                    reasons: reasons.trim().to_string(),
                    late,
                    document,
                },
            )])
        }
        Command::Transfer { name, to, facts } => {
            let by = need(actor, &[Role::LegalAffairs], "移交有关部门", "004 §18")?;
            let name = liable_person(state, name, "移交", "004 §18")?;
            if state.transfers.contains_key(&name) {
                return Err(ProcessError::new(format!("“{name}”已经移交有关部门办理")));
            }
            not_blank(to, "接收移交的机关", "004 §18")?;
            not_blank(facts, "涉嫌犯罪的事实", "004 §18")?;
            let document = transfer_document(
                ctx.regulation()?,
                state,
                &name,
                to.trim(),
                facts.trim(),
                today,
            )?;
            Ok(vec![ev(
                today,
                by,
                Kind::FaultTransferred {
                    name,
                    to: to.trim().to_string(),
                    facts: facts.trim().to_string(),
                    document,
                },
            )])
        }
        Command::RecordCompensation {
            amount,
            paid_on,
            basis,
        } => {
            let by = need(actor, &[Role::LegalAffairs], "记录国家赔偿", "004 §19")?;
            ctx.regulation()?.step(RECOVERY, "国家赔偿的追偿")?;
            if state.liable().is_empty() {
                return Err(refuse(
                    "本案未认定执法过错责任人员，无从追偿；国家赔偿在认定责任后记录",
                    "004 §19",
                ));
            }
            if state.compensation.is_some() {
                return Err(ProcessError::new("本案已经记录国家赔偿"));
            }
            if *amount == 0 {
                return Err(refuse("赔偿费用应当大于零", "004 §19"));
            }
            if *paid_on > today {
                return Err(ProcessError::new("支付日期不能晚于今天"));
            }
            not_blank(basis, "赔偿决定或者判决", "004 §19")?;
            Ok(vec![ev(
                today,
                by,
                Kind::CompensationRecorded {
                    amount: *amount,
                    paid_on: *paid_on,
                    basis: basis.trim().to_string(),
                },
            )])
        }
        Command::Recover {
            name,
            amount,
            reasons,
        } => {
            let by = need(actor, &[Role::LegalAffairs], "追偿赔偿费用", "004 §19")?;
            let Some(c) = &state.compensation else {
                return Err(refuse("尚未记录国家赔偿，不能追偿", "004 §19"));
            };
            let name = liable_person(state, name, "追偿", "004 §19")?;
            if *amount == 0 {
                return Err(refuse("追偿金额应当大于零", "004 §19"));
            }
            let left = c.left();
            if *amount > left {
                return Err(refuse(
                    format!(
                        "追偿总额不能超过赔偿费用：已支付{}元，已追偿{}元，尚可追偿{left}元",
                        c.amount,
                        c.recovered()
                    ),
                    "004 §19",
                ));
            }
            not_blank(reasons, "追偿理由", "004 §19")?;
            Ok(vec![ev(
                today,
                by,
                Kind::CostRecovered {
                    name,
                    amount: *amount,
                    reasons: reasons.trim().to_string(),
                },
            )])
        }
        Command::BarUnitAward { year, others } => {
            if !actor.has(Role::System) {
                return Err(ProcessError::new(
                    "本单位多次发生执法过错的认定由系统根据案件记录作出",
                ));
            }
            if state.award_barred.is_some() {
                return Err(ProcessError::new("本单位本年度已记录不得评选先进集体"));
            }
            let Some(unit) = &state.unit else {
                return Err(stage_refusal(state, "记录不得评选先进集体"));
            };
            if others.is_empty() {
                return Err(refuse("没有本年度其他执法过错案件", "004 §21"));
            }
            Ok(vec![ev(
                today,
                By::system(),
                Kind::UnitAwardBarred {
                    unit: unit.clone(),
                    year: *year,
                    reason: "repeated".into(),
                    others: others.clone(),
                },
            )])
        }
    }
}

/// `name` as one of the people the confirmation holds liable (§18 and §19 reach only those:
/// 执法过错责任人员, 有关责任人员), or why not.
fn liable_person(
    state: &FaultState,
    name: &str,
    what: &str,
    article: &str,
) -> Result<String, ProcessError> {
    let name = name.trim();
    if state.confirmation.is_none() {
        return Err(stage_refusal(state, what));
    }
    if state.liable().iter().any(|s| s.name == name) {
        Ok(name.to_string())
    } else {
        Err(refuse(
            format!("“{name}”不是本案认定的执法过错责任人员，不能{what}"),
            article,
        ))
    }
}

/// The key of the unit's established errors in the year of the determination (§21 多次发生).
fn unit_year_key(state: &FaultState) -> Option<String> {
    let c = state.confirmation.as_ref()?;
    if c.outcome == "exemption" || state.liable().is_empty() {
        return None;
    }
    let unit = state.unit.as_ref()?;
    Some(format!("unit:{}|year:{}", unit.id, c.on.year()))
}

// ---------------------------------------------------------------------------------------------
// Applying

fn apply_event(mut s: FaultState, e: &Event<Kind>) -> FaultState {
    s.version += 1;
    match &e.kind {
        Kind::FaultOpened {
            error_type,
            error_on,
            case_name,
            description,
            org,
            unit,
            cited_as,
        } => {
            s.opened_on = Some(e.on);
            s.cited_as = cited_as.clone();
            s.error_type = error_type.clone();
            s.error_on = Some(*error_on);
            s.case_name = case_name.clone();
            s.description = description.clone();
            s.org = Some(org.clone());
            s.unit = Some(unit.clone());
        }
        Kind::PeopleRecorded { people } => {
            s.people = people.clone();
            s.inputs += 1;
        }
        Kind::CircumstancesRecorded { circumstances } => {
            s.circumstances = Some(circumstances.clone());
            s.inputs += 1;
        }
        Kind::ResponsibilityAssessed { assessment } => s.assessment = Some(assessment.clone()),
        Kind::ResponsibilityConfirmed {
            shares,
            outcome,
            computed_outcome,
            departs,
            reasons,
            proposal,
            leadership,
            ..
        } => {
            s.confirmation = Some(Confirmation {
                on: e.on,
                shares: shares.clone(),
                outcome: outcome.clone(),
                computed_outcome: computed_outcome.clone(),
                departs: *departs,
                reasons: reasons.clone(),
                proposal: proposal.clone(),
                leadership: *leadership,
            })
        }
        Kind::DecisionSubmitted { submission } => {
            let mut sub = submission.clone();
            sub.on = Some(e.on);
            s.submitted.insert(sub.name.clone(), sub);
        }
        Kind::DecisionReturned { name, .. } => {
            s.submitted.remove(name);
        }
        Kind::PersonDecided { decision } => {
            s.submitted.remove(&decision.name);
            s.standings
                .entry(decision.name.clone())
                .or_insert_with(|| Standing {
                    decided_on: e.on,
                    decision: decision.clone(),
                    measures: decision.measures.clone(),
                    discipline: decision.discipline,
                    revoked: false,
                    version: 1,
                    filed_version: None,
                    appeal: None,
                });
        }
        Kind::FaultTransferred { name, to, .. } => {
            s.transfers.insert(name.clone(), (e.on, to.clone()));
        }
        Kind::CompensationRecorded {
            amount,
            paid_on,
            basis,
        } => {
            s.compensation = Some(Compensation {
                amount: *amount,
                paid_on: *paid_on,
                basis: basis.clone(),
                recoveries: Vec::new(),
            });
        }
        Kind::CostRecovered {
            name,
            amount,
            reasons,
        } => {
            if let Some(c) = &mut s.compensation {
                c.recoveries
                    .push((e.on, name.clone(), *amount, reasons.clone()));
            }
        }
        Kind::RecordedInFile { name, version, .. } => {
            if let Some(st) = s.standings.get_mut(name) {
                st.filed_version = Some(*version);
            }
        }
        Kind::FaultAppealed {
            name,
            to,
            receiving,
            reasons,
            reply_due,
            provisional,
        } => {
            if let Some(st) = s.standings.get_mut(name) {
                st.appeal = Some(FaultAppeal {
                    on: e.on,
                    to: *to,
                    receiving: receiving.clone(),
                    reasons: reasons.clone(),
                    reply_due: *reply_due,
                    provisional: *provisional,
                    answer: None,
                });
            }
        }
        Kind::FaultAppealAnswered {
            name,
            result,
            measures,
            discipline,
            reasons,
            late,
            ..
        } => {
            if let Some(st) = s.standings.get_mut(name) {
                if let Some(a) = st.appeal.as_mut() {
                    a.answer = Some((e.on, *result, reasons.clone(), *late));
                }
                if *result != AppealResult::Upheld {
                    st.measures = measures.clone();
                    st.discipline = *discipline;
                    st.revoked = *result == AppealResult::Revoked;
                    st.version += 1;
                }
            }
        }
        Kind::UnitAwardBarred { year, reason, .. } => {
            if s.award_barred.is_none() {
                s.award_barred = Some((*year, reason.clone()));
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Documents

/// "§6(七)" → "第六条第（七）项", "§26¶2" → "第二十六条第二款", "004 §9" → "第九条".
pub fn cite(article: &str) -> String {
    let a = article.trim();
    // A citation of the process's own pack ("004 §9") reads as the article alone; another
    // pack's is kept as written.
    let a = match a.split_once(' ') {
        Some((pack, rest)) if pack == EnforcementFault::PACK => rest,
        _ => a,
    };
    lvzhi_case::article_zh(a).unwrap_or_else(|| article.to_string())
}

fn cite_all(citations: &[String]) -> String {
    let v: Vec<String> = citations.iter().map(|c| cite(c)).collect();
    v.join("、")
}

/// 执法过错案件移交函 (§18): to the receiving organ, in the words of the governing pack's
/// `fault_transfer` notice, signed by the agency. Only a pack with the `transfer` procedure
/// transfers.
fn transfer_document(
    reg: &Regulation,
    state: &FaultState,
    name: &str,
    to: &str,
    facts: &str,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    reg.step(TRANSFER, "移交有关部门办理")?;
    let org = state.org_name();
    let role = state
        .person(name)
        .map(|p| person_role_zh(&p.role).to_string())
        .unwrap_or_default();
    let values = vec![
        ("addressee", to.to_string()),
        ("agency", org.clone()),
        ("case", state.case_name.trim().to_string()),
        ("person", name.to_string()),
        ("role", role),
        ("facts", end_without_stop(facts).to_string()),
    ];
    let (title, text) = crate::notices::fill(reg, "fault_transfer", &org, on, values)?;
    Ok(Document {
        kind: DocumentKind::FaultTransfer,
        title,
        addressee: to.to_string(),
        copy_to: Vec::new(),
        text,
        issued_on: on,
    })
}

/// A clause as typed, without its final stop, so that it reads on inside a sentence.
fn end_without_stop(s: &str) -> &str {
    s.trim().trim_end_matches(['。', '；', '，', '.', ';', ','])
}

fn placeholder_document(on: NaiveDate) -> Document {
    Document {
        kind: DocumentKind::FaultDecision,
        title: String::new(),
        addressee: String::new(),
        copy_to: Vec::new(),
        text: String::new(),
        issued_on: on,
    }
}

fn circumstance_lines(c: &Circumstances) -> Vec<String> {
    ["不追究情形", "从轻或者免予追究情节", "从重情节"]
        .into_iter()
        .zip(circumstance_items(Some(c)))
        .filter(|(_, items)| !items.is_empty())
        .map(|(head, items)| format!("{head}：{items}"))
        .collect()
}

/// 执法过错责任认定书 (§26): the 法制部门's determination, in the words of the governing pack's
/// `fault_determination` notice; the shares and the error carry their own citations.
fn determination_document(
    reg: &Regulation,
    state: &FaultState,
    c: &Confirmation,
    award_barred: bool,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let rs = reg.short();
    let org = state.org_name();
    let shares: Vec<String> = c
        .shares
        .iter()
        .map(|s| {
            let basis = if s.citations.is_empty() {
                String::new()
            } else {
                format!("（{rs}{}）", cite_all(&s.citations))
            };
            format!(
                "{}（{}）{}{basis}",
                s.name,
                person_role_zh(&s.role),
                share_predicate(&s.share)
            )
        })
        .collect();
    let mut deviations: Vec<String> = Vec::new();
    if c.departs {
        deviations = c
            .shares
            .iter()
            .filter(|s| s.share != s.computed)
            .map(|s| {
                format!(
                    "{}按规则计算{}，认定{}",
                    s.name,
                    share_predicate(&s.computed),
                    share_predicate(&s.share)
                )
            })
            .collect();
        if c.outcome != c.computed_outcome {
            deviations.push(format!(
                "处理结论按规则计算为“{}”，认定为“{}”",
                outcome_zh(&c.computed_outcome),
                outcome_zh(&c.outcome)
            ));
        }
    }
    let circ = state
        .circumstances
        .as_ref()
        .map(circumstance_lines)
        .unwrap_or_default();
    // The items after the third are numbered as they come.
    let mut item = 4;
    let mut next = |on: bool| {
        if on {
            item += 1;
            numeral(item - 1)
        } else {
            String::new()
        }
    };
    let item_leadership = next(c.leadership);
    let award = state.unit.as_ref().filter(|_| award_barred);
    let item_award = next(award.is_some());
    let item_proposal = next(true);
    let yes = |b: bool| if b { "是".to_string() } else { String::new() };
    let values = vec![
        ("addressee", format!("{org}警务督察部门、人事部门")),
        ("agency", org.clone()),
        ("case", state.case_name.trim().to_string()),
        ("error_on", state.error_on.map(date_zh).unwrap_or_default()),
        ("error", state.error_label()),
        ("shares", shares.join("；")),
        ("departs", yes(c.departs)),
        ("deviations", deviations.join("；")),
        (
            "reasons",
            if c.departs {
                c.reasons.clone()
            } else {
                String::new()
            },
        ),
        ("outcome", outcome_zh(&c.outcome).to_string()),
        ("circumstances", circ.join("；")),
        ("item_leadership", item_leadership),
        ("item_award", item_award),
        ("unit", award.map(|u| u.name.clone()).unwrap_or_default()),
        (
            "year",
            award.map(|_| on.year().to_string()).unwrap_or_default(),
        ),
        ("item_proposal", item_proposal),
        ("exempt", yes(c.outcome == "exemption")),
        ("proposal", end_without_stop(&c.proposal).to_string()),
    ];
    let signer = format!("{org}法制部门");
    let (title, text) = crate::notices::fill(reg, "fault_determination", &signer, on, values)?;
    Ok(Document {
        kind: DocumentKind::FaultDetermination,
        title,
        addressee: format!("{org}警务督察部门、人事部门"),
        copy_to: state.unit.iter().map(|u| u.name.clone()).collect(),
        text,
        issued_on: on,
    })
}

fn quoted(s: &str) -> String {
    format!("“{}”", s.trim())
}

fn measures_zh(measures: &[String], discipline: Option<Sanction>) -> String {
    let mut v: Vec<String> = measures.iter().map(|m| measure_zh(m).to_string()).collect();
    if let Some(d) = discipline {
        v.push(format!("给予{}处分", d.zh()));
    }
    v.join("、")
}

/// The circumstances of the case by kind (不追究, 从轻或者免予追究, 从重), each item with its
/// article: what the decision lists.
fn circumstance_items(c: Option<&Circumstances>) -> [String; 3] {
    let Some(c) = c else {
        return Default::default();
    };
    [
        (&EXEMPTIONS[..], &c.exemptions),
        (&MITIGATIONS[..], &c.mitigations),
        (&AGGRAVATIONS[..], &c.aggravations),
    ]
    .map(|(table, chosen)| {
        chosen
            .iter()
            .filter_map(|id| label_of(table, id))
            .map(|(art, zh)| format!("{zh}（{}）", cite(art)))
            .collect::<Vec<_>>()
            .join("；")
    })
}

/// 执法过错责任追究决定书 (§16, §26¶2), in the words of the governing pack's `fault_decision`
/// notice. How the decision was made: by the department that decided and the head who approved
/// (a decision recorded before the approval was an act of its own names only the approver).
/// 004 §27 under its citation says only what §27 says: the appeal to this or the higher organ,
/// and the reply within the pack's `appeal_reply` (30 日). The window to file is the body's own
/// setting (the pack's `appeal_filing` or the local default), said to be so and kept apart from
/// the citation; it runs from the decision, as `appeal_due` is counted. Nothing says an appeal
/// does not suspend the decision: no seed article says it of §27.
fn decision_document(
    reg: &Regulation,
    state: &FaultState,
    d: &PersonDecision,
    share: &ConfirmedShare,
    filing: Period,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let rs = reg.short();
    let org = state.org_name();
    let aggravated = state
        .confirmation
        .as_ref()
        .is_some_and(|c| c.outcome == "aggravation");
    let reply = state
        .assessment
        .as_ref()
        .and_then(Assessment::appeal_reply)
        .map(|p| p.to_chinese())
        .unwrap_or_default();
    let [exemptions, mitigations, aggravations] = circumstance_items(state.circumstances.as_ref());
    let yes = |b: bool| if b { "是".to_string() } else { String::new() };
    let values = vec![
        ("addressee", format!("{}同志", d.name)),
        ("case", state.case_name.trim().to_string()),
        ("role", person_role_zh(&share.role).to_string()),
        ("error_on", state.error_on.map(date_zh).unwrap_or_default()),
        ("error", state.error_label()),
        ("share", share_sentence(&share.share)),
        (
            "basis",
            if share.citations.is_empty() {
                String::new()
            } else {
                format!("{rs}{}", cite_all(&share.citations))
            },
        ),
        ("exemptions", exemptions),
        ("mitigations", mitigations),
        ("aggravations", aggravations),
        ("waived", yes(d.waived)),
        ("aggravated", yes(aggravated)),
        (
            "department",
            d.department.map(|x| x.zh().to_string()).unwrap_or_default(),
        ),
        ("approver", d.approved_by.clone()),
        ("measures", measures_zh(&d.measures, d.discipline)),
        ("reasons", d.reasons.clone()),
        ("reply_period", reply),
        ("filing_period", filing.to_chinese()),
        ("appeal_due", date_zh(d.appeal_due)),
        ("provisional", yes(d.appeal_due_provisional)),
    ];
    let (title, text) = crate::notices::fill(reg, "fault_decision", &org, on, values)?;
    Ok(Document {
        kind: DocumentKind::FaultDecision,
        title,
        addressee: format!("{}同志", d.name),
        copy_to: state.unit.iter().map(|u| u.name.clone()).collect(),
        text,
        issued_on: on,
    })
}

/// 执法过错申诉答复书 (§27), in the words of the governing pack's `fault_appeal_reply` notice,
/// signed by the organ that received the appeal.
#[allow(clippy::too_many_arguments)]
fn appeal_reply_document(
    reg: &Regulation,
    state: &FaultState,
    s: &Standing,
    appeal: &FaultAppeal,
    result: AppealResult,
    measures: &[String],
    discipline: Option<Sanction>,
    reasons: &str,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    let yes = |b: bool| if b { "是".to_string() } else { String::new() };
    let values = vec![
        ("addressee", format!("{}同志", s.decision.name)),
        ("filed_on", date_zh(appeal.on)),
        ("agency", state.org_name()),
        ("decided_on", date_zh(s.decided_on)),
        ("waived", yes(s.decision.waived)),
        (
            "original",
            if s.decision.waived {
                String::new()
            } else {
                measures_zh(&s.measures, s.discipline)
            },
        ),
        ("upheld", yes(result == AppealResult::Upheld)),
        ("revoked", yes(result == AppealResult::Revoked)),
        (
            "measures",
            if result == AppealResult::Changed {
                measures_zh(measures, discipline)
            } else {
                String::new()
            },
        ),
        ("reasons", reasons.to_string()),
    ];
    let (title, text) = crate::notices::fill(
        reg,
        "fault_appeal_reply",
        &appeal.receiving.name,
        on,
        values,
    )?;
    Ok(Document {
        kind: DocumentKind::FaultAppealReply,
        title,
        addressee: format!("{}同志", s.decision.name),
        copy_to: if appeal.receiving.id
            == state.org.as_ref().map(|o| o.id.clone()).unwrap_or_default()
        {
            Vec::new()
        } else {
            vec![state.org_name()]
        },
        text,
        issued_on: on,
    })
}

// ---------------------------------------------------------------------------------------------
// Forms

fn opts(table: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(id, art, zh)| (id.to_string(), format!("{zh}（{}）", cite(art))))
        .collect()
}

fn pair_opts(table: &[(&str, &str)]) -> Vec<(String, String)> {
    table
        .iter()
        .map(|(id, zh)| (id.to_string(), zh.to_string()))
        .collect()
}

fn names_opts(names: &[&str]) -> Vec<(String, String)> {
    names
        .iter()
        .map(|n| (n.to_string(), n.to_string()))
        .collect()
}

fn discipline_opts() -> Vec<(String, String)> {
    DISCIPLINES
        .iter()
        .map(|d| {
            let id = serde_json::to_value(d)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            (id, d.zh().to_string())
        })
        .collect()
}

fn spec(id: &str, label: &str, article: &str, role: Role, fields: Vec<Field>) -> ActionSpec {
    ActionSpec {
        id: id.to_string(),
        label: label.to_string(),
        article: article.to_string(),
        role,
        fields,
    }
}

/// Every action id of the process with its Chinese label.
pub const ACTIONS: [(&str, &str); 14] = [
    ("enforcement_fault_open", "执法过错案件立案"),
    ("enforcement_fault_record_people", "记录涉案人员"),
    ("enforcement_fault_record_circumstances", "记录案件情节"),
    ("enforcement_fault_assess", "计算责任划分"),
    ("enforcement_fault_confirm", "认定执法过错责任"),
    ("enforcement_fault_decide", "作出处理决定"),
    ("enforcement_fault_approve", "审批处理决定"),
    ("enforcement_fault_record_in_file", "记入档案"),
    ("enforcement_fault_appeal", "提出申诉"),
    ("enforcement_fault_answer_appeal", "答复申诉"),
    ("enforcement_fault_transfer", "移交有关部门"),
    ("enforcement_fault_record_compensation", "记录国家赔偿"),
    ("enforcement_fault_recover", "追偿赔偿费用"),
    ("enforcement_fault_bar_unit_award", "记录不得评选先进集体"),
];

fn action_label(id: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(a, _)| *a == id)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn people_field(rs: &str) -> Field {
    let mut fields = vec![
        Field::new("name", "姓名", FieldKind::Text, true),
        Field::new("person_id", "人员（系统内）", FieldKind::Person, false)
            .help("系统外人员（如外单位鉴定人）可不选"),
        Field::new(
            "role",
            "办案角色",
            FieldKind::Choice {
                options: pair_opts(&PERSON_ROLES),
            },
            true,
        ),
        Field::new("opinion", "所提意见或者结论", FieldKind::Text, false),
    ];
    for (id, art, _, zh) in PERSON_FACTS {
        fields.push(Field::new(id, zh, FieldKind::Bool, false).help(&format!("{rs}{}", cite(art))));
    }
    Field::new(
        "people",
        "涉案人员",
        FieldKind::Rows { fields, max: 30 },
        true,
    )
    .help(&format!(
        "按各自承担的职责列明审批人、审核人、办案人、鉴定人及其他直接责任人员（{rs}第七条）"
    ))
}

fn open_spec(rs: &str) -> ActionSpec {
    spec(
        "enforcement_fault_open",
        action_label("enforcement_fault_open"),
        "004 §26",
        Role::LegalAffairs,
        vec![
            Field::new(
                "error_type",
                "执法过错情形",
                FieldKind::Choice {
                    options: opts(&ERROR_TYPES),
                },
                true,
            )
            .help(&format!("{rs}第六条")),
            Field::new("error_on", "发生日期", FieldKind::Date, true),
            Field::new("case_name", "发生执法过错的案件", FieldKind::Text, true),
            Field::new("description", "执法过错的经过", FieldKind::LongText, true),
            Field::new("unit", "发生执法过错的单位", FieldKind::Org, true)
                .help(&format!("公安局、派出所或者办案单位（{rs}第二十一条）")),
        ],
    )
}

fn actions_for(
    state: &FaultState,
    actor: &Actor,
    rs: &str,
    reg: Option<&Regulation>,
) -> Vec<ActionSpec> {
    let mut out = Vec::new();
    if state.org.is_none() {
        if actor.has(Role::LegalAffairs) {
            out.push(open_spec(rs));
        }
        return out;
    }
    let before_confirm = state.confirmation.is_none();
    if actor.has(Role::LegalAffairs) && before_confirm {
        out.push(spec(
            "enforcement_fault_record_people",
            action_label("enforcement_fault_record_people"),
            "004 §7",
            Role::LegalAffairs,
            vec![people_field(rs)],
        ));
        out.push(spec(
            "enforcement_fault_record_circumstances",
            action_label("enforcement_fault_record_circumstances"),
            "004 §14",
            Role::LegalAffairs,
            vec![
                Field::new(
                    "exemptions",
                    "不追究情形（第十四条）",
                    FieldKind::MultiChoice {
                        options: opts(&EXEMPTIONS),
                    },
                    false,
                ),
                Field::new(
                    "mitigations",
                    "从轻或者免予追究情节（第二十三条）",
                    FieldKind::MultiChoice {
                        options: opts(&MITIGATIONS),
                    },
                    false,
                ),
                Field::new(
                    "aggravations",
                    "从重情节（第二十四条）",
                    FieldKind::MultiChoice {
                        options: opts(&AGGRAVATIONS),
                    },
                    false,
                ),
                Field::new(
                    "severe_impact",
                    "执法过错案件影响恶劣、后果严重",
                    FieldKind::Bool,
                    false,
                )
                .help(&format!("应当追究领导责任（{rs}第二十条）")),
                Field::new(
                    "serious_error",
                    "发生严重的执法过错",
                    FieldKind::Bool,
                    false,
                )
                .help(&format!("本单位本年度不得评选为先进集体（{rs}第二十一条）")),
            ],
        ));
        if !state.people.is_empty() && state.circumstances.is_some() {
            // The engine's result is filled in by the service; the form has no field.
            out.push(spec(
                "enforcement_fault_assess",
                action_label("enforcement_fault_assess"),
                "004 §7",
                Role::LegalAffairs,
                Vec::new(),
            ));
        }
        if state.assessment_current() {
            let names: Vec<&str> = state.people.iter().map(|p| p.name.as_str()).collect();
            out.push(spec(
                "enforcement_fault_confirm",
                action_label("enforcement_fault_confirm"),
                "004 §26",
                Role::LegalAffairs,
                vec![
                    Field::new(
                        "shares",
                        "与计算结果不同的责任认定",
                        FieldKind::Rows {
                            fields: vec![
                                // Text, not a choice: a table row counts as filled
                                // by its text cells.
                                Field::new("name", "涉案人员姓名", FieldKind::Text, true)
                                    .help(&format!("本案涉案人员：{}", names.join("、"))),
                                Field::new(
                                    "share",
                                    "认定的责任",
                                    FieldKind::Choice {
                                        options: pair_opts(&SHARES),
                                    },
                                    true,
                                ),
                            ],
                            max: 30,
                        },
                        false,
                    )
                    .help("不填则按规则计算的责任划分认定"),
                    Field::new(
                        "outcome",
                        "与计算结果不同的处理结论",
                        FieldKind::Choice {
                            options: pair_opts(&OUTCOMES),
                        },
                        false,
                    ),
                    Field::new(
                        "reasons",
                        "与计算结果不同的理由",
                        FieldKind::LongText,
                        false,
                    )
                    .help("认定与计算结果不同的，应当写明理由"),
                    Field::new("proposal", "处理意见", FieldKind::LongText, true).help(&format!(
                        "报督察或者人事部门研究决定（{rs}第二十六条第二款）"
                    )),
                ],
            ));
        }
    }
    let provides = |step: &str| reg.is_some_and(|r| r.has_step(step));
    let liable: Vec<&str> = state.liable().iter().map(|s| s.name.as_str()).collect();
    if actor.has(Role::LegalAffairs) && !liable.is_empty() {
        let untransferred: Vec<&str> = liable
            .iter()
            .copied()
            .filter(|n| !state.transfers.contains_key(*n))
            .collect();
        if provides(TRANSFER) && !untransferred.is_empty() {
            out.push(spec(
                "enforcement_fault_transfer",
                action_label("enforcement_fault_transfer"),
                "004 §18",
                Role::LegalAffairs,
                vec![
                    Field::new(
                        "name",
                        "执法过错责任人员",
                        FieldKind::Choice {
                            options: names_opts(&untransferred),
                        },
                        true,
                    ),
                    Field::new("to", "接收移交的机关", FieldKind::Text, true)
                        .help("如人民检察院、监察委员会"),
                    Field::new("facts", "涉嫌犯罪的事实", FieldKind::LongText, true).help(
                        &format!("行为已经构成犯罪、应当追究刑事责任的，依法移交有关部门办理（{rs}第十八条）"),
                    ),
                ],
            ));
        }
        if provides(RECOVERY) {
            match &state.compensation {
                None => out.push(spec(
                    "enforcement_fault_record_compensation",
                    action_label("enforcement_fault_record_compensation"),
                    "004 §19",
                    Role::LegalAffairs,
                    vec![
                        Field::new("amount", "支付的赔偿费用（元）", FieldKind::Amount, true),
                        Field::new("paid_on", "支付日期", FieldKind::Date, true),
                        Field::new("basis", "赔偿决定或者判决", FieldKind::Text, true)
                            .help("依照《中华人民共和国国家赔偿法》作出的赔偿决定书或者判决书"),
                    ],
                )),
                Some(c) if c.left() > 0 => out.push(spec(
                    "enforcement_fault_recover",
                    action_label("enforcement_fault_recover"),
                    "004 §19",
                    Role::LegalAffairs,
                    vec![
                        Field::new(
                            "name",
                            "责任人员",
                            FieldKind::Choice {
                                options: names_opts(&liable),
                            },
                            true,
                        ),
                        Field::new("amount", "追偿金额（元）", FieldKind::Amount, true).help(
                            &format!(
                                "尚可追偿{}元；追偿总额不超过赔偿费用（{rs}第十九条）",
                                c.left()
                            ),
                        ),
                        Field::new("reasons", "追偿理由", FieldKind::LongText, true)
                            .help("责任人员的故意或者重大过失"),
                    ],
                )),
                Some(_) => {}
            }
        }
    }
    let department = DECIDING.iter().copied().find(|r| actor.has(*r));
    if let Some(department) = department {
        let undecided: Vec<&str> = state.undecided().iter().map(|s| s.name.as_str()).collect();
        if state.stage().0 == "confirmed" && !undecided.is_empty() {
            let mut fields = vec![
                Field::new(
                    "name",
                    "责任人员",
                    FieldKind::Choice {
                        options: names_opts(&undecided),
                    },
                    true,
                ),
                Field::new(
                    "measures",
                    "处理（第十六条）",
                    FieldKind::MultiChoice {
                        options: opts(&MEASURES),
                    },
                    false,
                ),
                Field::new(
                    "discipline",
                    "处分（第十七条）",
                    FieldKind::Choice {
                        options: discipline_opts(),
                    },
                    false,
                ),
            ];
            if state
                .confirmation
                .as_ref()
                .is_some_and(|c| c.outcome == "tolerance")
            {
                fields.push(
                    Field::new("waived", "免予追究", FieldKind::Bool, false)
                        .help(&format!("{rs}第二十三条")),
                );
            }
            fields.push(
                Field::new("reasons", "处理理由", FieldKind::LongText, true).help(&format!(
                    "研究决定后报公安机关行政首长审批，经审批同意后生效（{rs}第二十六条第二款）"
                )),
            );
            out.push(spec(
                "enforcement_fault_decide",
                action_label("enforcement_fault_decide"),
                "004 §16",
                department,
                fields,
            ));
        }
        let unfiled: Vec<&str> = state
            .unfiled()
            .iter()
            .map(|s| s.decision.name.as_str())
            .collect();
        if !unfiled.is_empty() {
            out.push(spec(
                "enforcement_fault_record_in_file",
                action_label("enforcement_fault_record_in_file"),
                "004 §22",
                department,
                vec![
                    Field::new(
                        "name",
                        "责任人员",
                        FieldKind::Choice {
                            options: names_opts(&unfiled),
                        },
                        true,
                    ),
                    Field::new("note", "备注", FieldKind::Text, false),
                ],
            ));
        }
    }
    if actor.has(Role::AgencyHead) && !state.submitted.is_empty() {
        let pending: Vec<&str> = state.submitted.keys().map(String::as_str).collect();
        out.push(spec(
            "enforcement_fault_approve",
            action_label("enforcement_fault_approve"),
            "004 §26¶2",
            Role::AgencyHead,
            vec![
                Field::new(
                    "name",
                    "责任人员",
                    FieldKind::Choice {
                        options: names_opts(&pending),
                    },
                    true,
                ),
                Field::new(
                    "result",
                    "审批意见",
                    FieldKind::Choice {
                        options: vec![
                            ("approved".to_string(), "同意".to_string()),
                            ("returned".to_string(), "退回重新研究".to_string()),
                        ],
                    },
                    true,
                ),
                Field::new("reasons", "退回理由", FieldKind::LongText, false)
                    .help(&format!("退回的，应当写明理由（{rs}第二十六条第二款）")),
            ],
        ));
    }
    if actor.has(Role::Inspectorate) {
        let answerable: Vec<&str> = state
            .pending_appeals()
            .iter()
            .filter(|(_, a)| a.receiving.id == actor.org_id)
            .map(|(n, _)| n.as_str())
            .collect();
        if !answerable.is_empty() {
            out.push(spec(
                "enforcement_fault_answer_appeal",
                action_label("enforcement_fault_answer_appeal"),
                "004 §27",
                Role::Inspectorate,
                vec![
                    Field::new(
                        "name",
                        "申诉人",
                        FieldKind::Choice {
                            options: names_opts(&answerable),
                        },
                        true,
                    ),
                    Field::new(
                        "result",
                        "复查结论",
                        FieldKind::Choice {
                            options: [
                                AppealResult::Upheld,
                                AppealResult::Changed,
                                AppealResult::Revoked,
                            ]
                            .iter()
                            .map(|r| {
                                let id = match r {
                                    AppealResult::Upheld => "upheld",
                                    AppealResult::Changed => "changed",
                                    AppealResult::Revoked => "revoked",
                                };
                                (id.to_string(), r.zh().to_string())
                            })
                            .collect(),
                        },
                        true,
                    ),
                    Field::new(
                        "measures",
                        "变更后的处理",
                        FieldKind::MultiChoice {
                            options: opts(&MEASURES),
                        },
                        false,
                    )
                    .help("仅在变更原决定时填写；不得加重"),
                    Field::new(
                        "discipline",
                        "变更后的处分",
                        FieldKind::Choice {
                            options: discipline_opts(),
                        },
                        false,
                    ),
                    Field::new("reasons", "答复理由", FieldKind::LongText, true),
                ],
            ));
        }
    }
    if actor.has(Role::Officer) {
        let mine = state.standings.values().find(|s| {
            s.decision.person_id.as_deref() == Some(actor.person_id.as_str())
                && s.appeal.is_none()
                && !s.decision.waived
        });
        if mine.is_some() {
            out.push(spec(
                "enforcement_fault_appeal",
                action_label("enforcement_fault_appeal"),
                "004 §27",
                Role::Officer,
                vec![
                    Field::new(
                        "to",
                        "申诉机关",
                        FieldKind::Choice {
                            options: vec![
                                ("same_level".into(), AppealTo::SameLevel.zh().into()),
                                ("higher".into(), AppealTo::Higher.zh().into()),
                            ],
                        },
                        true,
                    ),
                    Field::new("reasons", "申诉理由", FieldKind::LongText, true),
                ],
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The process

/// The 执法过错 case type.
pub struct EnforcementFault;

impl Process for EnforcementFault {
    const KIND: &'static str = "enforcement_fault";
    const NAME_ZH: &'static str = "执法过错案件";
    const ID_PREFIX: &'static str = "F";
    const PACK: &'static str = "004";
    /// The 1999 text of the seed and its 2016 revision.
    const REGULATIONS: &'static [&'static str] = &["004", "004-2016"];
    /// Read from the assessment, which copies exactly these from the pack ([`assess`]).
    const PERIODS: &'static [&'static str] = &[APPEAL_REPLY, APPEAL_FILING];
    const PROCEDURES: &'static [ProcedureStep] = &[
        ProcedureStep {
            pack: "004",
            procedure: TRANSFER,
            actions: &["enforcement_fault_transfer"],
        },
        ProcedureStep {
            pack: "004",
            procedure: RECOVERY,
            actions: &[
                "enforcement_fault_record_compensation",
                "enforcement_fault_recover",
            ],
        },
        ProcedureStep {
            pack: "004",
            procedure: "investigation",
            actions: &["enforcement_fault_open"],
        },
        // The 2016 text says the same as 1999's §25 (由发生执法过错的公安机关负责调查处理, §22).
        ProcedureStep {
            pack: "004-2016",
            procedure: "investigation",
            actions: &["enforcement_fault_open"],
        },
        ProcedureStep {
            pack: "004",
            procedure: "determination",
            actions: &[
                "enforcement_fault_confirm",
                "enforcement_fault_decide",
                "enforcement_fault_approve",
            ],
        },
        ProcedureStep {
            pack: "004",
            procedure: "appeal",
            actions: &[
                "enforcement_fault_appeal",
                "enforcement_fault_answer_appeal",
            ],
        },
    ];

    type State = FaultState;
    type Command = Command;
    type Kind = Kind;

    fn opens(command: &Command) -> bool {
        matches!(command, Command::Open { .. })
    }

    fn stages() -> &'static [(&'static str, &'static str)] {
        &[
            ("investigating", "调查核实"),
            ("assessed", "待认定责任"),
            ("confirmed", "待作出处理决定"),
            ("approving", "待行政首长审批"),
            ("appealed", "申诉审查中"),
            ("decided", "待记入档案"),
            ("closed", "已办结"),
        ]
    }

    fn action_id(command: &Command) -> &'static str {
        match command {
            Command::Open { .. } => "enforcement_fault_open",
            Command::RecordPeople { .. } => "enforcement_fault_record_people",
            Command::RecordCircumstances { .. } => "enforcement_fault_record_circumstances",
            Command::Assess { .. } => "enforcement_fault_assess",
            Command::Confirm { .. } => "enforcement_fault_confirm",
            Command::Decide { .. } => "enforcement_fault_decide",
            Command::Approve { .. } => "enforcement_fault_approve",
            Command::RecordInFile { .. } => "enforcement_fault_record_in_file",
            Command::Appeal { .. } => "enforcement_fault_appeal",
            Command::AnswerAppeal { .. } => "enforcement_fault_answer_appeal",
            Command::Transfer { .. } => "enforcement_fault_transfer",
            Command::RecordCompensation { .. } => "enforcement_fault_record_compensation",
            Command::Recover { .. } => "enforcement_fault_recover",
            Command::BarUnitAward { .. } => "enforcement_fault_bar_unit_award",
        }
    }

    fn decide(
        state: &FaultState,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<Kind>>, ProcessError> {
        if state.org.is_none() && !Self::opens(command) {
            return Err(ProcessError::new("案件尚未立案"));
        }
        decide_inner(state, command, actor, ctx)
    }

    fn apply(state: FaultState, event: &Event<Kind>) -> FaultState {
        apply_event(state, event)
    }

    fn deadlines(state: &FaultState, _rules: &Rules<'_>) -> Vec<OpenDeadline> {
        state
            .pending_appeals()
            .into_iter()
            .map(|(name, a)| OpenDeadline {
                step: format!("appeal_reply:{name}"),
                label: format!("{}答复{name}的申诉", a.receiving.name),
                due: a.reply_due,
                provisional: a.provisional,
                article: "004 §27".into(),
                role: Role::Inspectorate,
            })
            .collect()
    }

    fn intro(action: &str) -> &'static str {
        match action {
            "enforcement_fault_bar_unit_award" => {
                "本年度多次发生执法过错的单位，系统在确认责任后即记录其本年度不得评选为先进集体，用户和客户端不能提交。"
            }
            _ => "",
        }
    }

    fn form(action: &str) -> Option<Vec<crate::Field>> {
        // The system's step has no form (see `intro`).
        (action == "enforcement_fault_bar_unit_award").then(Vec::new)
    }

    fn follow_up(state: &FaultState, ctx: &Ctx<'_>) -> Option<Command> {
        if state.award_barred.is_some() {
            return None;
        }
        let key = unit_year_key(state)?;
        let others = ctx.recurrence.get(&key).filter(|o| !o.is_empty())?;
        let year = state.confirmation.as_ref()?.on.year();
        Some(Command::BarUnitAward {
            year,
            others: others.clone(),
        })
    }

    fn recurrence_keys(state: &FaultState) -> Vec<String> {
        unit_year_key(state).into_iter().collect()
    }

    fn actions(state: &FaultState, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        // The hints cite the regulation as the case recorded it, else as the context loads it.
        let rs = if state.cited_as.is_empty() {
            ctx.regulation
                .as_ref()
                .map(|r| r.short())
                .unwrap_or_default()
        } else {
            state.cited_as.clone()
        };
        actions_for(state, actor, &rs, ctx.regulation.as_ref())
    }

    fn summary(state: &FaultState) -> Summary {
        let (stage, stage_zh) = state.stage();
        Summary {
            stage: stage.to_string(),
            stage_zh: stage_zh.to_string(),
            org_id: state.org.as_ref().map(|o| o.id.clone()).unwrap_or_default(),
            title: format!(
                "{}执法过错（{}）",
                quoted(&state.case_name),
                label_of(&ERROR_TYPES, &state.error_type)
                    .map(|(art, _)| format!("{}{}", state.cited_as, cite(art)))
                    .unwrap_or_default()
            ),
        }
    }

    fn facts(state: &FaultState) -> Vec<Fact> {
        let mut f = Vec::new();
        if state.org.is_none() {
            return f;
        }
        f.push(Fact::new("查处机关", state.org_name()));
        if let Some(u) = &state.unit {
            f.push(Fact::new("发生单位", u.name.clone()));
        }
        f.push(Fact::new("发生执法过错的案件", state.case_name.clone()));
        f.push(Fact::new("执法过错情形", state.error_label()));
        if let Some(d) = state.error_on {
            f.push(Fact::new("发生日期", date_zh(d)));
        }
        f.push(Fact::new("经过", state.description.clone()));
        for p in &state.people {
            let did: Vec<&str> = PERSON_FACTS
                .iter()
                .zip(p.facts())
                .filter(|(_, (_, v))| *v)
                .map(|((_, _, _, zh), _)| *zh)
                .collect();
            let mut v = person_role_zh(&p.role).to_string();
            if !p.opinion.is_empty() {
                v.push_str(&format!("；意见：{}", p.opinion));
            }
            v.push_str(&format!(
                "；{}",
                if did.is_empty() {
                    "无过错情形".to_string()
                } else {
                    did.join("、")
                }
            ));
            f.push(Fact::new(&format!("涉案人员：{}", p.name), v));
        }
        if let Some(c) = &state.circumstances {
            let lines = circumstance_lines(c);
            f.push(Fact::new(
                "情节",
                if lines.is_empty() {
                    "无".to_string()
                } else {
                    lines.join("；")
                },
            ));
        }
        if let Some(a) = &state.assessment {
            let shares: Vec<String> = state
                .people
                .iter()
                .map(|p| {
                    let s = a.share_of(&p.name);
                    format!(
                        "{}{}{}",
                        p.name,
                        share_predicate(s.map(|s| s.share.as_str()).unwrap_or("not_liable")),
                        s.map(|s| format!("（{}）", cite_all(&s.citations)))
                            .unwrap_or_default()
                    )
                })
                .collect();
            f.push(Fact::new(
                if state.assessment_current() {
                    "规则计算的责任划分"
                } else {
                    "规则计算的责任划分（人员或者情节已变更，须重新计算）"
                },
                format!(
                    "{}；结论：{}（政策包 {}）",
                    shares.join("；"),
                    outcome_zh(&a.outcome),
                    a.pack
                ),
            ));
        }
        if let Some(c) = &state.confirmation {
            let shares: Vec<String> = c
                .shares
                .iter()
                .map(|s| format!("{}{}", s.name, share_predicate(&s.share)))
                .collect();
            f.push(Fact::new(
                "认定的责任划分",
                format!("{}；结论：{}", shares.join("；"), outcome_zh(&c.outcome)),
            ));
            if c.departs {
                f.push(Fact::new("与计算结果不同的理由", c.reasons.clone()));
            }
            f.push(Fact::new("处理意见", c.proposal.clone()));
            f.push(Fact::new(
                "领导责任（第二十条）",
                if c.leadership {
                    "应当追究"
                } else {
                    "不涉及"
                },
            ));
        }
        if let Some((year, reason)) = &state.award_barred {
            f.push(Fact::new(
                "先进集体评选（第二十一条）",
                format!(
                    "{}{year}年度不得评选为先进集体（{}）",
                    state.unit.as_ref().map(|u| u.name.as_str()).unwrap_or(""),
                    if reason == "repeated" {
                        "多次发生执法过错"
                    } else {
                        "发生严重的执法过错"
                    }
                ),
            ));
        }
        for (name, s) in &state.standings {
            let what = if s.revoked {
                "经申诉撤销".to_string()
            } else if s.decision.waived {
                "免予追究".to_string()
            } else {
                measures_zh(&s.measures, s.discipline)
            };
            let mut v = format!("{what}（{}决定）", date_zh(s.decided_on));
            v.push_str(if s.filed_version == Some(s.version) {
                "；已记入档案"
            } else {
                "；尚未记入档案"
            });
            match &s.appeal {
                None if !s.decision.waived => {
                    v.push_str(&format!("；申诉期限至{}", date_zh(s.decision.appeal_due)))
                }
                None => {}
                Some(a) => match &a.answer {
                    None => v.push_str(&format!(
                        "；已向{}申诉，答复期限至{}",
                        a.receiving.name,
                        date_zh(a.reply_due)
                    )),
                    Some((on, r, _, late)) => v.push_str(&format!(
                        "；申诉已于{}答复：{}{}",
                        date_zh(*on),
                        r.zh(),
                        if *late { "（逾期答复）" } else { "" }
                    )),
                },
            }
            f.push(Fact::new(&format!("处理：{name}"), v));
        }
        for (name, (on, to)) in &state.transfers {
            f.push(Fact::new(
                &format!("移交（第十八条）：{name}"),
                format!("{}移交{to}依法办理", date_zh(*on)),
            ));
        }
        if let Some(c) = &state.compensation {
            let mut v = format!(
                "{}支付赔偿费用{}元（{}）",
                date_zh(c.paid_on),
                c.amount,
                c.basis
            );
            for (on, name, amount, _) in &c.recoveries {
                v.push_str(&format!("；{}向{name}追偿{amount}元", date_zh(*on)));
            }
            v.push_str(&format!(
                "；已追偿{}元，尚可追偿{}元",
                c.recovered(),
                c.left()
            ));
            f.push(Fact::new("国家赔偿与追偿（第十九条）", v));
        }
        for (name, sub) in &state.submitted {
            f.push(Fact::new(
                &format!("待审批：{name}"),
                format!(
                    "{}{}报请行政首长审批：{}；理由：{}",
                    sub.department.zh(),
                    sub.on
                        .map(|d| format!("于{}", date_zh(d)))
                        .unwrap_or_default(),
                    if sub.waived {
                        "免予追究".to_string()
                    } else {
                        measures_zh(&sub.measures, sub.discipline)
                    },
                    sub.reasons
                ),
            ));
        }
        f
    }

    fn links(state: &FaultState) -> Vec<(String, String)> {
        let mut l = Vec::new();
        for p in &state.people {
            if let Some(id) = &p.person_id {
                l.push(("subject".to_string(), id.clone()));
            }
        }
        if let Some(u) = &state.unit {
            l.push(("unit".to_string(), u.id.clone()));
        }
        for s in state.standings.values() {
            if let Some(a) = &s.appeal {
                if Some(&a.receiving.id) != state.org.as_ref().map(|o| &o.id) {
                    l.push(("escalated_to".to_string(), a.receiving.id.clone()));
                }
            }
        }
        l.sort();
        l.dedup();
        l
    }

    fn describe(kind: &Kind) -> String {
        match kind {
            Kind::FaultOpened {
                error_type,
                case_name,
                cited_as,
                ..
            } => format!(
                "执法过错案件立案：{}，{}",
                quoted(case_name),
                label_of(&ERROR_TYPES, error_type)
                    .map(|(a, zh)| format!("{zh}（{cited_as}{}）", cite(a)))
                    .unwrap_or_default()
            ),
            Kind::PeopleRecorded { people } => {
                let v: Vec<String> = people
                    .iter()
                    .map(|p| format!("{}（{}）", p.name, person_role_zh(&p.role)))
                    .collect();
                format!("记录涉案人员：{}", v.join("、"))
            }
            Kind::CircumstancesRecorded { circumstances } => {
                let lines = circumstance_lines(circumstances);
                format!(
                    "记录案件情节：{}",
                    if lines.is_empty() {
                        "无不追究、从轻、从重情节".to_string()
                    } else {
                        lines.join("；")
                    }
                )
            }
            Kind::ResponsibilityAssessed { assessment } => format!(
                "规则引擎计算责任划分（政策包 {}）：{}",
                assessment.pack,
                {
                    let v: Vec<String> = assessment
                        .shares
                        .iter()
                        .map(|s| format!("{}{}", s.name, share_predicate(&s.share)))
                        .collect();
                    if v.is_empty() {
                        "无人承担责任".to_string()
                    } else {
                        v.join("；")
                    }
                }
            ),
            Kind::ResponsibilityConfirmed {
                outcome, departs, ..
            } => format!(
                "认定执法过错责任：{}{}，出具执法过错责任认定书",
                outcome_zh(outcome),
                if *departs {
                    "（与计算结果不同，已写明理由）"
                } else {
                    ""
                }
            ),
            Kind::DecisionSubmitted { submission } => format!(
                "{}对{}作出处理决定，报行政首长审批：{}",
                submission.department.zh(),
                submission.name,
                if submission.waived {
                    "免予追究".to_string()
                } else {
                    measures_zh(&submission.measures, submission.discipline)
                }
            ),
            Kind::DecisionReturned { name, reasons } => {
                format!("行政首长退回对{name}的处理决定：{reasons}")
            }
            Kind::PersonDecided { decision } => format!(
                "对{}作出处理决定：{}",
                decision.name,
                if decision.waived {
                    "免予追究".to_string()
                } else {
                    measures_zh(&decision.measures, decision.discipline)
                }
            ),
            Kind::RecordedInFile { name, .. } => format!("{name}的处理情况记入档案"),
            Kind::FaultAppealed {
                name, receiving, ..
            } => format!("{name}向{}提出申诉", receiving.name),
            Kind::FaultAppealAnswered {
                name, result, late, ..
            } => format!(
                "答复{name}的申诉：{}{}",
                result.zh(),
                if *late { "（逾期）" } else { "" }
            ),
            Kind::FaultTransferred { name, to, .. } => {
                format!("将{name}涉嫌犯罪的案件移交{to}，出具执法过错案件移交函")
            }
            Kind::CompensationRecorded {
                amount, paid_on, ..
            } => format!("记录国家赔偿：{}支付赔偿费用{amount}元", date_zh(*paid_on)),
            Kind::CostRecovered { name, amount, .. } => {
                format!("向{name}追偿赔偿费用{amount}元")
            }
            Kind::UnitAwardBarred {
                unit, year, reason, ..
            } => format!(
                "{}{year}年度不得评选为先进集体（{}）",
                unit.name,
                if reason == "repeated" {
                    "多次发生执法过错"
                } else {
                    "发生严重的执法过错"
                }
            ),
        }
    }

    fn kind_id(kind: &Kind) -> &'static str {
        match kind {
            Kind::FaultOpened { .. } => "fault_opened",
            Kind::PeopleRecorded { .. } => "people_recorded",
            Kind::CircumstancesRecorded { .. } => "circumstances_recorded",
            Kind::ResponsibilityAssessed { .. } => "responsibility_assessed",
            Kind::ResponsibilityConfirmed { .. } => "responsibility_confirmed",
            Kind::DecisionSubmitted { .. } => "decision_submitted",
            Kind::DecisionReturned { .. } => "decision_returned",
            Kind::PersonDecided { .. } => "person_decided",
            Kind::RecordedInFile { .. } => "recorded_in_file",
            Kind::FaultAppealed { .. } => "fault_appealed",
            Kind::FaultAppealAnswered { .. } => "fault_appeal_answered",
            Kind::FaultTransferred { .. } => "fault_transferred",
            Kind::CompensationRecorded { .. } => "compensation_recorded",
            Kind::CostRecovered { .. } => "cost_recovered",
            Kind::UnitAwardBarred { .. } => "unit_award_barred",
        }
    }

    fn documents(events: &[Event<Kind>]) -> Vec<Document> {
        events
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::ResponsibilityConfirmed { document, .. }
                | Kind::FaultAppealAnswered { document, .. }
                | Kind::FaultTransferred { document, .. } => Some(document.clone()),
                Kind::PersonDecided { decision } => Some(decision.document.clone()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
