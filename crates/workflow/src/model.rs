//! The case's domain data: who acts, the application, the accountability decision it is linked
//! to, the engine's recommendation and the committee's determination.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

pub use lvzhi_case::{
    doubled_phrase, sanction_zh, Actor, Bodies, By, Document, DocumentKind, DocumentSeal, Org,
    PackRef, Role, Sanction,
};

/// An applicant officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub person_id: String,
    pub name: String,
}

/// The accountability decision being challenged. A linked record, never a lock: the case
/// never blocks or suspends it (000 §22).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountabilityDecision {
    pub department: Org,
    pub sanction: Sanction,
    pub decided_on: NaiveDate,
    #[serde(default)]
    pub document_number: Option<String>,
}

/// What an application asks, as the 免责容错申请表 records it (000 §12 and annex).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub applicants: Vec<Officer>,
    /// 所在单位 / 申请单位.
    pub applying_unit: Org,
    /// The organisation whose 维权委 handles the case (本级).
    pub committee: Org,
    /// The parent organisation whose 维权委 hears a 复核 (000 §21: 盟公安局维权委).
    #[serde(default)]
    pub parent_committee: Option<Org>,
    /// 申请事项: what is asked, quoted by the written notices (000 §13, §16, §23).
    pub matter: String,
    /// 事实与理由: the statement of facts and reasons, in its own row of the 申请表 (000 annex)
    /// and not quoted by the notices. Forms recorded before this field existed carry it joined
    /// to `matter` after "事实与理由：" (`lvzhi_documents`' 申请表 splits it back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    #[serde(default)]
    pub accountability_decision: Option<AccountabilityDecision>,
    /// Facts in the policy pack's vocabulary; opaque to the workflow.
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
}

/// How the case was started (000 §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filer {
    Officer,
    Unit,
    /// A paper form received and entered by the office on the applicant's behalf.
    OfficeOnBehalf,
    /// Opened by the office on its own initiative (000 §12 ¶2).
    ExOfficio,
}

/// Outcome ids, as in the policy packs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Exemption,
    Tolerance,
    Exclusion,
    Aggravation,
    None,
}

impl Outcome {
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            Outcome::Exemption => "依法履职免责",
            Outcome::Tolerance => "容错",
            Outcome::Exclusion => "不予免责容错",
            Outcome::Aggravation => "从重处理",
            Outcome::None => "不适用免责容错",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Modality {
    Shall,
    May,
}

impl Modality {
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            Modality::Shall => "应当",
            Modality::May => "可以",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Leniency {
    Lighter,
    Reduced,
    Waived,
}

impl Leniency {
    pub fn id(self) -> &'static str {
        self.into()
    }
    pub fn zh(self) -> &'static str {
        match self {
            Leniency::Lighter => "从轻",
            Leniency::Reduced => "减轻",
            Leniency::Waived => "免于追究",
        }
    }
}

/// The rules engine's recommendation, as plain data (no dependency on the engine).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Recommendation {
    pub outcome: String,
    pub modality: String,
    #[serde(default)]
    pub leniency: Vec<String>,
    #[serde(default)]
    pub citations: Vec<String>,
    #[serde(default)]
    pub explanation: String,
}

/// The committee's determination: a human decision with its stated basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Determination {
    pub outcome: Outcome,
    pub modality: Modality,
    /// Required for tolerance, absent otherwise.
    #[serde(default)]
    pub leniency: Option<Leniency>,
    /// The stated basis (reasoning) in Chinese.
    pub basis: String,
    /// Articles relied on, e.g. "000 §7(一)".
    #[serde(default)]
    pub articles: Vec<String>,
    /// The original accountability decision is judged improper: a recommendation to revoke or
    /// change it must follow (000 §22, §26).
    #[serde(default)]
    pub original_decision_improper: bool,
    /// Why the determination departs from the recommendation; required when it does.
    #[serde(default)]
    pub departure_reasons: Option<String>,
}

impl Determination {
    /// Whether this departs from the recommendation (outcome, modality or leniency differ).
    pub fn departs_from(&self, r: &Recommendation) -> bool {
        if r.outcome.trim() != self.outcome.id() || r.modality.trim() != self.modality.id() {
            return true;
        }
        match self.leniency {
            Some(l) => !r.leniency.iter().any(|x| x.trim() == l.id()),
            None => !r.leniency.is_empty(),
        }
    }

    /// One line in Chinese: "应当依法履职免责", "可以容错（减轻）".
    pub fn summary_zh(&self) -> String {
        let mut s = format!("{}{}", self.modality.zh(), self.outcome.zh());
        if let Some(l) = self.leniency {
            s.push_str(&format!("（{}）", l.zh()));
        }
        s
    }

    /// Exemption or tolerance: the officer is excused in whole or part.
    pub fn excuses(&self) -> bool {
        matches!(self.outcome, Outcome::Exemption | Outcome::Tolerance)
    }
}

/// 审查论证组 member categories (000 §14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberCategory {
    /// 法制.
    Legal,
    /// 纪检.
    Discipline,
    /// 原问责处理决定作出部门 (视情邀请).
    OriginalDepartment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelMember {
    pub person_id: String,
    pub name: String,
    pub category: MemberCategory,
}

/// The six categories of invited participants (000 §18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalCategory {
    /// (一) 党代会代表、人大代表、政协委员.
    Deputy,
    /// (二) 党委政法委、检察机关、审判机关工作人员.
    PoliticalLegalStaff,
    /// (三) 法学专家、知名律师，相关领域专业人员.
    LegalExpert,
    /// (四) 公安机关基层民警代表.
    FrontlineOfficer,
    /// (五) 人民群众代表.
    PublicRepresentative,
    /// (六) 其他相关人员.
    Other,
}

/// The seven eligibility conditions of 000 §19, each to be recorded as met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Eligibility {
    /// (一) 政治立场坚定.
    pub political_stance: bool,
    /// (二) 具有良好的职业素养和品德.
    pub integrity: bool,
    /// (三) 未因犯罪受过刑事处罚.
    pub no_criminal_record: bool,
    /// (四) 未受过党纪、政务处分.
    pub no_disciplinary_record: bool,
    /// (五) 具有丰富的工作经历，在特定领域具有较强权威性或者较大影响力.
    pub experience_authority: bool,
    /// (六) 与申请人、申请单位或者审查论证事项无利害关系，无应当回避的情形.
    pub no_conflict: bool,
    /// (七) 能够保守国家秘密、警务秘密和个人隐私.
    pub confidentiality: bool,
}

impl Eligibility {
    /// The conditions not recorded as met, by their item in 000 §19.
    pub fn unmet(&self) -> Vec<&'static str> {
        let items = [
            (self.political_stance, "（一）政治立场坚定"),
            (self.integrity, "（二）具有良好的职业素养和品德"),
            (self.no_criminal_record, "（三）未因犯罪受过刑事处罚"),
            (self.no_disciplinary_record, "（四）未受过党纪、政务处分"),
            (
                self.experience_authority,
                "（五）具有丰富的工作经历，在特定领域具有较强权威性或者较大影响力",
            ),
            (
                self.no_conflict,
                "（六）与申请人、申请单位或者审查论证事项无利害关系",
            ),
            (
                self.confidentiality,
                "（七）能够保守国家秘密、警务秘密和个人隐私",
            ),
        ];
        items
            .iter()
            .filter(|(ok, _)| !ok)
            .map(|(_, s)| *s)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalParticipant {
    pub person_id: String,
    pub name: String,
    pub category: ExternalCategory,
    pub eligibility: Eligibility,
    /// The participant's signed declaration of no conflict of interest (000 §19(六)).
    pub no_conflict_declaration: String,
}

/// An evidence item: the file itself is stored content-addressed by the storage layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// SM3 digest, 64 lower-case hexadecimal digits.
    pub sm3: String,
    pub file_name: String,
    #[serde(default)]
    pub description: String,
}

/// 复议 (same level) or 复核 (parent level), 000 §21.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    Reconsideration,
    ReReview,
}

impl AppealKind {
    pub fn zh(self) -> &'static str {
        match self {
            AppealKind::Reconsideration => "复议",
            AppealKind::ReReview => "复核",
        }
    }
}

/// What the committee recommends to the original department (000 §22, §26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Proposal {
    /// 撤销原决定.
    Revoke,
    /// 变更原决定为较轻的处理.
    Change { to: Sanction },
}

impl Proposal {
    pub fn zh(self) -> String {
        match self {
            Proposal::Revoke => "撤销原问责处理决定".to_string(),
            Proposal::Change { to } => format!("将原问责处理决定变更为“{}”", to.zh()),
        }
    }
    /// The sanction that results when the proposal is adopted (`None`: revoked).
    pub fn resulting(self) -> Option<Sanction> {
        match self {
            Proposal::Revoke => None,
            Proposal::Change { to } => Some(to),
        }
    }
}

/// 纪检监察机关 or 检察机关 (000 §29).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OversightBody {
    DisciplineInspection,
    Procuratorate,
}

impl OversightBody {
    pub fn zh(self) -> &'static str {
        match self {
            OversightBody::DisciplineInspection => "纪检监察机关",
            OversightBody::Procuratorate => "检察机关",
        }
    }
}

/// The six conducts for which 000 §37 holds 相关领导和责任人 to account, by its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum Misconduct {
    /// (一) 不严格落实民警免责容错办法，对民警错误处理.
    WrongHandling,
    /// (二) 不及时向上级报告情况、不及时转递民警申请申诉.
    LateReport,
    /// (三) 阻碍、干扰调查及后续处理工作.
    Obstruction,
    /// (四) 因工作不力、推诿拖延导致证据流失.
    LostEvidence,
    /// (五) 不及时纠正错误追责.
    Uncorrected,
    /// (六) 因民警申请申诉加重处理或变相打击报复.
    Retaliation,
}

impl Misconduct {
    pub const ALL: &'static [Misconduct] = <Misconduct as VariantArray>::VARIANTS;

    /// Its item of the article, from 1.
    pub fn item(self) -> usize {
        Misconduct::ALL
            .iter()
            .position(|m| *m == self)
            .map_or(0, |i| i + 1)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Misconduct::WrongHandling => "不严格落实民警免责容错办法，对民警错误处理",
            Misconduct::LateReport => {
                "不及时向上级报告情况、不及时转递民警申请申诉，导致调查处理错误或者延误，造成影响和后果"
            }
            Misconduct::Obstruction => "阻碍、干扰民警免责容错事项调查及后续处理工作",
            Misconduct::LostEvidence => "因工作不力、推诿拖延导致民警免责容错有关证据流失",
            Misconduct::Uncorrected => "不及时纠正错误追责，造成影响和后果",
            Misconduct::Retaliation => "因民警申请申诉加重处理或者变相打击报复",
        }
    }
}

/// 000 §11 as the review found it: 应立即向所在单位报告，并保护现场、固定证据 (the officer), and
/// 应立即派员赶到现场，指导和协助民警保护现场、固定证据 (the unit, ¶2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSceneReport {
    /// When the officer reported the harm or bad effect to the unit.
    pub reported_on: NaiveDate,
    /// Whether the officer protected the scene and fixed the evidence.
    #[serde(default)]
    pub scene_protected: bool,
    /// The evidence fixed (执法记录仪视频, 现场照片 …).
    #[serde(default)]
    pub evidence: String,
    /// Whether the unit sent people to the scene at once (¶2).
    #[serde(default)]
    pub dispatched: bool,
    /// What the unit did there (guidance, help, controlling the scene, limiting the loss).
    #[serde(default)]
    pub unit_actions: String,
}

/// An accountability investigation of the officer in progress (000 §6: 开展问责调查过程中，应当
/// 同步审查是否具有免责容错的情形和条件): the case's review runs alongside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountabilityInquiry {
    /// The department investigating (纪检监察室, 督察部门 …).
    pub body: String,
    /// What it investigates (its matter or reference).
    pub matter: String,
    pub started_on: NaiveDate,
}

/// To whom the 公安机关 makes the case known (000 §28): the public, or the 执法相对人.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementAudience {
    /// 向社会公布.
    Society,
    /// 向执法相对人通报.
    Counterparty,
}

impl StatementAudience {
    pub fn zh(self) -> &'static str {
        match self {
            StatementAudience::Society => "向社会公布",
            StatementAudience::Counterparty => "向执法相对人通报",
        }
    }
}

/// The four things an exempted officer keeps unaffected (000 §30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// (一) 各类考核.
    Assessments,
    /// (二) 干部提拔任用、职务职级和警衔晋升.
    Promotion,
    /// (三) 评先评优、表彰奖励.
    Awards,
    /// (四) 党代会代表、人大代表、政协委员资格.
    DeputyStatus,
}

impl Protection {
    pub const ALL: &'static [Protection] = <Protection as VariantArray>::VARIANTS;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are stored in events and compared with the packs' (`tolerance`, `may`, …): each is
    /// derived (strum) and must be the variant's serde name. (`EventKind::id` is checked against
    /// the JSON `type` tag of every event the property tests produce.)
    #[test]
    fn every_id_is_the_serde_name() {
        use strum::VariantArray;
        fn serde_name(v: impl Serialize) -> String {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        }
        macro_rules! check {
            ($($t:ty),* $(,)?) => {$(
                for v in <$t as VariantArray>::VARIANTS {
                    assert_eq!(v.id(), serde_name(v), "{}::{v:?}", stringify!($t));
                    assert!(!v.zh().is_empty(), "{}::{v:?}", stringify!($t));
                }
            )*};
        }
        check!(
            Outcome,
            Modality,
            Leniency,
            crate::deadlines::Step,
            crate::state::Stage,
        );
        for m in Misconduct::ALL {
            assert!(!m.zh().is_empty());
        }
        // Their positions are the items of 000 §37 and §30.
        assert_eq!(Misconduct::ALL.len(), 6);
        assert_eq!(Protection::ALL.len(), 4);
    }

    #[test]
    fn departure_compares_outcome_modality_and_leniency() {
        let rec = Recommendation {
            outcome: "tolerance".into(),
            modality: "may".into(),
            leniency: vec!["lighter".into(), "reduced".into()],
            ..Default::default()
        };
        let mut d = Determination {
            outcome: Outcome::Tolerance,
            modality: Modality::May,
            leniency: Some(Leniency::Reduced),
            basis: "b".into(),
            articles: vec![],
            original_decision_improper: false,
            departure_reasons: None,
        };
        assert!(!d.departs_from(&rec));
        d.leniency = Some(Leniency::Waived);
        assert!(d.departs_from(&rec));
        d.leniency = Some(Leniency::Lighter);
        d.modality = Modality::Shall;
        assert!(d.departs_from(&rec));
        assert_eq!(d.summary_zh(), "应当容错（从轻）");
    }

    #[test]
    fn eligibility_lists_every_unmet_condition_by_item() {
        assert_eq!(Eligibility::default().unmet().len(), 7);
        let e = Eligibility {
            political_stance: true,
            integrity: true,
            no_criminal_record: true,
            no_disciplinary_record: true,
            experience_authority: true,
            no_conflict: false,
            confidentiality: true,
        };
        assert_eq!(
            e.unmet(),
            vec!["（六）与申请人、申请单位或者审查论证事项无利害关系"]
        );
    }

    #[test]
    fn role_ids_match_their_serialisation() {
        for r in [
            Role::Officer,
            Role::DeputyDirector,
            Role::OriginalDepartment,
            Role::HigherCommittee,
        ] {
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::Value::String(r.id().into())
            );
        }
    }
}
