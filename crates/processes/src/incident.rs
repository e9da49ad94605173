//! 维权案（事）件: an officer's authority infringed while, or because of, doing their duty
//! lawfully (001 §8), from intake to the end of its handling, with the report a serious incident
//! must make level by level up to the 公安厅 (001 §17) and the 台账 that tracks 立案、调查、处理
//! (001 §29(六)).
//!
//! - Intake (001 §15): the officer themself, a near relative (entered by the office or the unit on
//!   their behalf), or the unit reports to the office of the agency the officer belongs to; the
//!   office also opens a case on a clue it finds. Every intake names its type (the ten of 001 §8),
//!   the victims — the officer, near relatives as 001 §32 defines them (夫、妻、父、母、子、女、同胞
//!   兄弟姊妹, nobody else), auxiliary police and cadets (001 §33) — and, for an off-duty officer,
//!   that they met an emergency within their duties and identified themself (001 §31).
//! - Mandatory escalation (001 §17): casualties, an attack on a police agency or a mass incident,
//!   a cross-region incident, or the office's own decision. The report climbs 逐级: the handling
//!   agency reports to the level directly above it (a follow-up of the command that gave the
//!   ground); that level's office receives it, may add its view (意见) and forwards it to the next
//!   level ([`Command::IncidentForward`]), and so on up to the top of the chain — the first
//!   公安厅 above the handling agency, else the root of the directory — whose office acknowledges
//!   receipt. Each report carries its own deadline for the receiving office's step: forwarding in
//!   the pack's [`FORWARD_PERIOD`], acknowledging at the top in [`ACK_PERIOD`], both local settings
//!   (001 §17 and §29(一) say "逐级报告", "第一时间" without a period). Cases recorded before
//!   (a report to every level at once, each acknowledged) replay as they were.
//! - Measures along the way: protective measures (001 §11), help with a civil or incidental civil
//!   suit (§9), clarification against malicious or false media reports (§12), payments from the
//!   comfort fund (§7(六)), and the referral of the officer's own violations found meanwhile (§16).
//! - Closing needs the handling recorded and every report acknowledged: the 台账 follows the case
//!   to its end ([`ledger`]).

use chrono::NaiveDate;
use lvzhi_calendar::date_zh;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

use crate::notices;
use crate::ProcedureStep;
use crate::{
    ActionSpec, Actor, By, Ctx, Document, DocumentKind, Event, Fact, Field, FieldKind,
    OpenDeadline, Org, Process, ProcessError, Regulation, Role, Rules, Summary,
};

/// The pack's period for a level above to acknowledge an escalation report (a local setting:
/// 001 §17 and §29(一) require the report "第一时间" without a period).
pub const ACK_PERIOD: &str = "incident_ack";

/// A procedure of pack 001 carried out by the incident's `actions`.
const fn step001(procedure: &'static str, actions: &'static [&'static str]) -> ProcedureStep {
    ProcedureStep {
        pack: "001",
        procedure,
        actions,
    }
}

/// A procedure of pack 003 carried out by the incident's `actions` (003 §15, the prisons).
const fn step003(procedure: &'static str, actions: &'static [&'static str]) -> ProcedureStep {
    ProcedureStep {
        pack: "003",
        procedure,
        actions,
    }
}

/// The `[[procedure]]` ids of the governing pack that the incident's steps carry out (issue 20):
/// a step is offered and accepted only where the governing pack provides it, so a prison under
/// 003 §15 gets its own measures and none of 001's (逐级上报, 抚慰金, 回避 …).
mod step {
    /// Intake, investigation, handling and closing (001 §8, 003 §15).
    pub(super) const RIGHTS: &str = "rights_protection";
    /// The 台账 that follows an incident to its end (001 §29(六)).
    pub(super) const LEDGER: &str = "ledger";
    /// Who may apply (001 §15).
    pub(super) const APPLICATION: &str = "application";
    /// Off duty only in an emergency, after identifying oneself (001 §31).
    pub(super) const OFF_DUTY: &str = "off_duty_protection";
    /// Near relatives as the regulation defines them (001 §32).
    pub(super) const NEAR_RELATIVES: &str = "near_relatives";
    pub(super) const ESCALATION: &str = "escalation";
    pub(super) const CIVIL_SUIT: &str = "civil_litigation_support";
    pub(super) const PROTECTION: &str = "protection_measures";
    pub(super) const MEDIA: &str = "media_response";
    pub(super) const COMFORT: &str = "comfort_fund";
    pub(super) const MISCONDUCT: &str = "misconduct_referral";
    pub(super) const RECUSAL: &str = "recusal";
    pub(super) const ON_SCENE: &str = "on_scene_response";
    pub(super) const NAME_CLEARING: &str = "name_clearing";
    pub(super) const LEGAL_SUPPORT: &str = "legal_support";
    pub(super) const LEADERS: &str = "leader_accountability";
    /// 与公检法机关沟通协调 (003 §15).
    pub(super) const COORDINATION: &str = "judicial_coordination";
    /// 必要时聘请专业律师团队 (003 §15).
    pub(super) const LAWYERS: &str = "lawyer_engagement";
    /// 提请公安机关依法惩处 (003 §15).
    pub(super) const POLICE_REFERRAL: &str = "police_referral";
    /// 视情提请司法救济 (003 §15).
    pub(super) const JUDICIAL_RELIEF: &str = "judicial_relief";
}

/// Whether the governing pack provides `step` (every step when the case's regulation is not
/// loaded: the pure tests of 001's steps).
fn provides(ctx: &Ctx<'_>, step: &str) -> bool {
    ctx.regulation.as_ref().is_none_or(|r| r.has_step(step))
}

/// The governing pack's `step`, or why it cannot be done here; its first article by the pack's
/// id ("001 §11"), `fallback` when the regulation is not loaded.
fn need(ctx: &Ctx<'_>, step: &str, what: &str, fallback: &str) -> Result<String, ProcessError> {
    match &ctx.regulation {
        None => Ok(fallback.to_string()),
        Some(r) => {
            r.step(step, what)?;
            Ok(r.nth_article_of(step, 0)
                .unwrap_or_else(|| fallback.to_string()))
        }
    }
}

/// The first article of the first of `steps` the governing pack provides ("001 §15", "003 §15"),
/// else `fallback`: what a form or a refusal cites.
fn article(ctx: &Ctx<'_>, steps: &[&str], fallback: &str) -> String {
    ctx.regulation
        .as_ref()
        .and_then(|r| steps.iter().find_map(|s| r.nth_article_of(s, 0)))
        .unwrap_or_else(|| fallback.to_string())
}

/// The handling office's short name as the governing pack gives it (维权办, 履职保护办公室).
fn office_word(ctx: &Ctx<'_>) -> String {
    ctx.regulation
        .as_ref()
        .map(|r| r.bodies().office_short.clone())
        .filter(|o| !o.is_empty())
        .unwrap_or_else(|| OFFICE.to_string())
}

/// How 001 names the office, and every incident recorded before the office was recorded.
const OFFICE: &str = "维权办";

/// The pack's period for a level above to forward the report, with its view, to the next level
/// (a local setting: 001 §17 says "逐级" without a period).
pub const FORWARD_PERIOD: &str = "incident_forward";

/// How the name of the top of a 001 §17 report's climb ends: the report goes "逐级向公安厅维权办",
/// so it stops at the first 公安厅 above the handling agency (the root of the directory if none).
const TOP_LEVEL: &str = "公安厅";

/// The process.
pub struct Incident;

/// The ten situations of 001 §8.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum IncidentType {
    /// (一) 受到暴力袭击.
    ViolentAttack,
    /// (二) 被车辆冲撞、碾轧、拖拽、剐蹭.
    Vehicle,
    /// (三) 被聚众哄闹、围堵拦截、冲击、阻碍.
    Obstruction,
    /// (四) 受到扣押、撕咬、拉扯、推搡等侵犯.
    PhysicalInterference,
    /// (五) 被恶意投诉、炒作.
    MaliciousComplaint,
    /// (六) 本人及其近亲属受到威胁、恐吓、侮辱、谩骂、诽谤、骚扰.
    Threats,
    /// (七) 本人及其近亲属受到诬告陷害、打击报复.
    FalseAccusation,
    /// (八) 本人及其近亲属个人隐私被侵犯.
    Privacy,
    /// (九) 被错误追究责任或者受到不公正处分、处理.
    WrongfulAccountability,
    /// (十) 执法权威受到侵犯的其他情形.
    Other,
}

impl IncidentType {
    pub const ALL: &'static [IncidentType] = <IncidentType as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            IncidentType::ViolentAttack => "受到暴力袭击",
            IncidentType::Vehicle => "被车辆冲撞、碾轧、拖拽、剐蹭",
            IncidentType::Obstruction => "被聚众哄闹、围堵拦截、冲击、阻碍",
            IncidentType::PhysicalInterference => "受到扣押、撕咬、拉扯、推搡等侵犯",
            IncidentType::MaliciousComplaint => "被恶意投诉、炒作",
            IncidentType::Threats => "本人及其近亲属受到威胁、恐吓、侮辱、谩骂、诽谤、骚扰",
            IncidentType::FalseAccusation => "本人及其近亲属受到诬告陷害、打击报复",
            IncidentType::Privacy => "本人及其近亲属个人隐私被侵犯",
            IncidentType::WrongfulAccountability => "被错误追究责任或者受到不公正处分、处理",
            IncidentType::Other => "执法权威受到侵犯的其他情形",
        }
    }

    /// The numeral of its item of 001 §8 (`一`).
    pub fn numeral(self) -> &'static str {
        const ITEMS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        let i = Self::ALL.iter().position(|t| *t == self).unwrap_or(9);
        ITEMS[i]
    }

    /// Its item of 001 §8 as pack 001 numbers it (`§8(一)`).
    pub fn item(self) -> String {
        format!("§8({})", self.numeral())
    }

    /// The item of 001 §8 (`001 §8(一)`).
    pub fn article(self) -> String {
        format!("001 {}", self.item())
    }
}

/// The six failures for which 001 §30 holds 相关领导和责任人 to account, by its items.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LeaderFailure {
    /// (一) 因制度不落实、保障不到位、指挥错误导致民警执法权威受到侵犯.
    Command,
    /// (二) 不按要求向上级公安机关报告有关情况.
    Unreported,
    /// (三) 不及时采取善后救助措施.
    NoAftercare,
    /// (四) 阻碍、干扰案件办理.
    Obstruction,
    /// (五) 工作不力、推诿拖延，造成严重影响.
    Delay,
    /// (六) 对侵犯行为不处理或者降格处理.
    Leniency,
}

impl LeaderFailure {
    pub const ALL: &'static [LeaderFailure] = <LeaderFailure as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            LeaderFailure::Command => {
                "因制度不落实、保障不到位、指挥错误导致公安民警执法权威受到侵犯"
            }
            LeaderFailure::Unreported => "不按要求向上级公安机关报告有关情况",
            LeaderFailure::NoAftercare => "不及时采取善后救助措施",
            LeaderFailure::Obstruction => "阻碍、干扰侵犯公安民警执法权威案件办理",
            LeaderFailure::Delay => {
                "因工作不力、推诿拖延对侵犯公安民警执法权威案件办理造成严重影响"
            }
            LeaderFailure::Leniency => "对侵犯公安民警执法权威行为不处理或者降格处理",
        }
    }

    /// The item of 001 §30 (`001 §30(三)`).
    pub fn article(self) -> String {
        let i = Self::ALL.iter().position(|t| *t == self).unwrap_or(0);
        format!("001 §30({})", lvzhi_case::numeral(i as u32 + 1))
    }
}

/// Who brought the incident to the office (001 §15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 民警本人.
    Officer,
    /// 民警的近亲属 (entered by the office or the unit).
    Relative,
    /// 民警所在单位.
    Unit,
    /// 维权办发现线索主动启动.
    Office,
}

impl Source {
    pub fn zh(self) -> &'static str {
        match self {
            Source::Officer => "民警本人提出",
            Source::Relative => "民警近亲属提出",
            Source::Unit => "民警所在单位提出",
            Source::Office => "维权办发现线索主动启动",
        }
    }
}

/// Who was harmed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VictimKind {
    /// 民警本人.
    Officer,
    /// 民警的近亲属 (001 §3, §8(六)–(八), §11; defined by 001 §32).
    NearRelative,
    /// 警务辅助人员 (001 §33).
    Auxiliary,
    /// 公安院校派遣配合执行警务活动的学员 (001 §33).
    Cadet,
    /// 协助执法的其他公安机关工作人员 (001 §33: 参照执行).
    OtherStaff,
}

impl VictimKind {
    pub const ALL: &'static [VictimKind] = <VictimKind as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            VictimKind::Officer => "民警本人",
            VictimKind::NearRelative => "民警近亲属",
            VictimKind::Auxiliary => "警务辅助人员",
            VictimKind::Cadet => "公安院校派遣学员",
            VictimKind::OtherStaff => "协助执法的其他公安机关工作人员",
        }
    }
}

/// A person harmed by the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Victim {
    pub name: String,
    pub kind: VictimKind,
    /// For a near relative: their relation to the officer (丈夫、母亲、弟弟 …; 001 §32).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relation: String,
    /// The harm suffered (受伤情况、财产损失), if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub harm: String,
}

/// The grounds of 001 §17 on which an incident must be reported up to the 公安厅维权办.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Ground {
    /// (一) 造成民警伤亡.
    Casualties,
    /// (二) 公安机关被打砸冲击.
    AgencyAttacked,
    /// (二) 因执法办案形成群体性事件等影响较大.
    MassIncident,
    /// (三) 跨区域.
    CrossRegion,
    /// (四) 维权办认为需要上报.
    OfficeDecision,
}

impl Ground {
    pub const ALL: &'static [Ground] = <Ground as VariantArray>::VARIANTS;

    pub fn id(self) -> &'static str {
        self.into()
    }

    /// The ground as a person reads it (its item of 001 §17 is the notice's to cite).
    pub fn zh(self) -> &'static str {
        match self {
            Ground::Casualties => "造成民警伤亡",
            Ground::AgencyAttacked => "公安机关被打砸冲击",
            Ground::MassIncident => "因执法办案形成群体性事件等影响较大",
            Ground::CrossRegion => "跨区域的案（事）件",
            Ground::OfficeDecision => "维权办认为需要上报处理",
        }
    }
}

/// The facts given at intake, common to the officer's, the relative's and the unit's report
/// and to the office's own opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    /// The officer whose authority was infringed (a person id of the directory).
    pub officer: String,
    /// The officer's unit (an organisation id).
    pub unit: String,
    /// The agency whose 维权办 handles the case: the agency the officer belongs to (001 §15).
    pub org: String,
    pub incident_type: IncidentType,
    pub occurred_on: NaiveDate,
    pub place: String,
    pub description: String,
    #[serde(default)]
    pub victims: Vec<Victim>,
    /// Off duty at the time (001 §31).
    #[serde(default)]
    pub off_duty: bool,
    /// Off duty: met an emergency within their duties (001 §31).
    #[serde(default)]
    pub emergency: bool,
    /// Off duty: identified themself as a police officer before acting (001 §31).
    #[serde(default)]
    pub identified_self: bool,
    /// 001 §17(一).
    #[serde(default)]
    pub casualties: bool,
    /// 001 §17(二), first half.
    #[serde(default)]
    pub agency_attacked: bool,
    /// 001 §17(二), second half.
    #[serde(default)]
    pub mass_incident: bool,
    /// 001 §17(三).
    #[serde(default)]
    pub cross_region: bool,
}

/// A civil claim the office helps with (001 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuitKind {
    /// 刑事附带民事诉讼.
    IncidentalCivil,
    /// 民事诉讼.
    Civil,
}

impl SuitKind {
    pub fn zh(self) -> &'static str {
        match self {
            SuitKind::IncidentalCivil => "刑事附带民事诉讼",
            SuitKind::Civil => "民事诉讼",
        }
    }
}

/// A command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    /// 提出维护执法权威申请 (001 §15): by the officer, a near relative or the unit.
    IncidentReport {
        #[serde(flatten)]
        intake: Intake,
        source: Source,
        /// For a near relative's application: their name and relation (001 §32).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reporter_name: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reporter_relation: String,
    },
    /// 主动启动 on a clue the office found (001 §15).
    IncidentOpen {
        #[serde(flatten)]
        intake: Intake,
        clue: String,
    },
    IncidentAddVictim {
        #[serde(flatten)]
        victim: Victim,
    },
    /// The office's decision to report up (001 §17(四)), or a ground found after intake.
    IncidentEscalate {
        grounds: Vec<Ground>,
        reason: String,
    },
    /// The report to the level directly above (the system's follow-up, 001 §17).
    IncidentReportUp,
    /// A level above forwards the report it received to the next level, with its view (001 §17
    /// "逐级").
    IncidentForward {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        view: String,
    },
    /// The top level (or, in a case recorded before 逐级 reporting, any level reported to)
    /// acknowledges the report it received.
    IncidentAcknowledge {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// 调查: progress of the investigation by the 办案部门 (001 §7(七), §29(六)).
    IncidentInvestigate {
        findings: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        handling_unit: String,
    },
    /// 保护措施 (001 §11).
    IncidentProtect {
        protected: String,
        measures: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        taken_by: String,
    },
    /// Help with a civil or incidental civil suit (001 §9).
    IncidentCivilSuit {
        suit: SuitKind,
        loss: String,
        assistance: String,
    },
    /// Clarifying facts against malicious or false media reports (001 §12).
    IncidentMedia {
        outlet: String,
        clarification: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        coordinated_with: String,
    },
    /// A payment from the comfort fund (001 §7(六)).
    IncidentComfortPayment {
        recipient: String,
        amount_yuan: i64,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        basis: String,
    },
    /// The officer's own violation found along the way, referred to the department (001 §16).
    IncidentReferViolation { department: String, problem: String },
    /// 回避 in the criminal or public-order case against the offender (001 §10).
    IncidentRecusal { person: String, reason: String },
    /// How the officer responded on the scene (001 §14): controlled the offender and handed
    /// them over, or reported to the command centre for help; the evidence collected and fixed.
    IncidentOnScene {
        account: String,
        #[serde(default)]
        controlled: bool,
        #[serde(default)]
        requested_help: bool,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        evidence: String,
    },
    /// 消除影响、恢复名誉 after 诬陷、诽谤或者侮辱 (001 §13), whether or not anybody applied
    /// for 正名.
    IncidentRestoreReputation { means: String },
    /// Legal review or support (001 §26): a legal professional's review of whether the officer
    /// acted lawfully, an opinion to an inquiring 纪检监察 or 检察 organ, or the 法制部门's and
    /// counsel's help when the 检察机关 investigates the officer (§26¶2).
    IncidentLegalSupport {
        provider: String,
        support: String,
        /// The organ whose inquiry it answers, if any.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        inquiry_by: String,
    },
    /// 相关领导和责任人 referred for accountability under an item of 001 §30.
    IncidentReferAccountability {
        failure: LeaderFailure,
        responsible: String,
        facts: String,
        referred_to: String,
    },
    /// 与公检法机关沟通协调 to stop and punish the obstruction of an officer's duty (003 §15).
    IncidentCoordinate { organ: String, content: String },
    /// 提请公安机关依法惩处 threats, harm or retaliation against an officer or their family
    /// (003 §15).
    IncidentReferPolice { police: String, conduct: String },
    /// 视情提请司法救济 (003 §15).
    IncidentJudicialRelief {
        relief: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        organ: String,
    },
    /// 处理: how the infringement was dealt with (the offender's liability, 001 §7(七), §13).
    IncidentRecordHandling { result: String },
    /// 办结.
    IncidentClose {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        summary: String,
    },
}

/// The officer as recorded (id and name of record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub person_id: String,
    pub name: String,
}

/// The intake as recorded, with the names of record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeRecord {
    pub officer: Officer,
    pub unit: Org,
    pub org: Org,
    pub incident_type: IncidentType,
    pub occurred_on: NaiveDate,
    pub place: String,
    pub description: String,
    pub victims: Vec<Victim>,
    pub off_duty: bool,
    pub grounds: Vec<Ground>,
    /// The handling office's short name under the governing pack (维权办, 履职保护办公室);
    /// empty in incidents recorded before it was recorded (001's 维权办).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub office: String,
    /// The article the intake rests on ("001 §15", "003 §15"); empty before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub basis: String,
    /// The article the type falls under ("001 §8(一)", "003 §15"); empty before it was
    /// recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub type_article: String,
}

impl IntakeRecord {
    /// The handling office's short name.
    pub fn office(&self) -> &str {
        if self.office.is_empty() {
            OFFICE
        } else {
            &self.office
        }
    }

    /// The article the intake rests on.
    pub fn basis(&self) -> &str {
        if self.basis.is_empty() {
            "001 §15"
        } else {
            &self.basis
        }
    }

    /// The article the type falls under.
    pub fn type_article(&self) -> String {
        if self.type_article.is_empty() {
            self.incident_type.article()
        } else {
            self.type_article.clone()
        }
    }
}

/// A report to a level above (001 §17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub level: Org,
    pub reported_on: NaiveDate,
    pub due: NaiveDate,
    pub provisional: bool,
    pub acknowledged_on: Option<NaiveDate>,
    #[serde(default)]
    pub acknowledged_by: String,
    /// The level this one forwards the report to (001 §17 "逐级"); `None` at the top, where the
    /// report is acknowledged, and in reports recorded before 逐级 reporting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_to: Option<Org>,
    /// The day this level forwarded the report (it received it then, if not before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_on: Option<NaiveDate>,
    /// This level's view (意见) given when it forwarded or acknowledged the report.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub view: String,
}

impl Report {
    /// What the receiving level must do by when: forward the report, or at the top acknowledge it.
    fn step_due(&self) -> String {
        match &self.forward_to {
            Some(next) => format!("限{}前签署意见转报{}维权办", date_zh(self.due), next.name),
            None => format!("限{}前确认收到", date_zh(self.due)),
        }
    }
}

/// A measure taken for the officer (001 §7(六), §9, §11, §12, §16).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub on: NaiveDate,
    /// `protection`, `civil_suit`, `media`, `comfort_payment`, `referral`.
    pub kind: String,
    pub article: String,
    pub text: String,
}

/// An event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Reported {
        intake: IntakeRecord,
        source: Source,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reporter: Option<(String, String)>,
    },
    Opened {
        intake: IntakeRecord,
        clue: String,
    },
    VictimAdded {
        victim: Victim,
    },
    EscalationDecided {
        grounds: Vec<Ground>,
        reason: String,
    },
    ReportedUp {
        report: Report,
        document: Document,
    },
    Acknowledged {
        level: Org,
        note: String,
    },
    /// `level` received the report and forwarded it, with its view, as `report` (001 §17 逐级).
    Forwarded {
        level: Org,
        view: String,
        report: Report,
        document: Document,
    },
    Investigated {
        findings: String,
        handling_unit: String,
    },
    MeasureTaken {
        measure: Measure,
    },
    HandlingRecorded {
        result: String,
    },
    Closed {
        summary: String,
    },
}

/// Where the case stands (001 §29(六): 立案、调查、处理 to the end).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Stage {
    #[default]
    New,
    /// 已立案.
    Registered,
    /// 调查中.
    Investigating,
    /// 已处理.
    Handled,
    /// 已办结.
    Closed,
}

impl Stage {
    pub fn id(self) -> &'static str {
        self.into()
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::New => "尚未立案",
            Stage::Registered => "已立案",
            Stage::Investigating => "调查中",
            Stage::Handled => "已处理",
            Stage::Closed => "已办结",
        }
    }
}

/// The replayed case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentState {
    pub stage: Stage,
    pub intake: Option<IntakeRecord>,
    pub source: Option<Source>,
    /// A near relative who applied: (name, relation).
    pub reporter: Option<(String, String)>,
    pub clue: Option<String>,
    pub opened_on: Option<NaiveDate>,
    pub victims: Vec<Victim>,
    pub grounds: Vec<Ground>,
    pub escalation_reasons: Vec<String>,
    pub reports: Vec<Report>,
    /// (day, findings, 办案部门).
    pub investigations: Vec<(NaiveDate, String, String)>,
    pub measures: Vec<Measure>,
    pub handling: Option<(NaiveDate, String)>,
    pub closed: Option<(NaiveDate, String)>,
}

impl IncidentState {
    pub fn org(&self) -> Option<&Org> {
        self.intake.as_ref().map(|i| &i.org)
    }

    /// Reports not yet acknowledged.
    pub fn pending_reports(&self) -> impl Iterator<Item = &Report> {
        self.reports.iter().filter(|r| r.acknowledged_on.is_none())
    }

    /// The level directly above the handling agency when a ground requires the report and none
    /// has been made: the report climbs from there level by level (001 §17).
    fn first_report<'c>(&self, chain: &'c [Org]) -> Option<&'c Org> {
        if self.grounds.is_empty() || !self.reports.is_empty() {
            return None;
        }
        route(chain).get(1)
    }
}

/// The levels a 001 §17 report climbs: the handling agency first, then each level above it up to
/// the first 公安厅 (the 公安厅维权办 the article names), else to the root of the chain.
fn route(chain: &[Org]) -> &[Org] {
    match chain.iter().position(|o| o.name.ends_with(TOP_LEVEL)) {
        Some(top) => &chain[..=top],
        None => chain,
    }
}

/// The level after `level` on the report's route, if `level` is not its top.
fn next_level(chain: &[Org], level: &Org) -> Option<Org> {
    let r = route(chain);
    let at = r.iter().position(|o| o.id == level.id)?;
    r.get(at + 1).cloned()
}

/// The relations that make a near relative under 001 §32 (夫、妻、父、母、子、女、同胞兄弟姊妹),
/// in the words people write them, each with the canonical relation.
const NEAR_RELATIVES: &[(&str, &str)] = &[
    ("spouse", "配偶"),
    ("配偶", "配偶"),
    ("夫", "丈夫"),
    ("丈夫", "丈夫"),
    ("妻", "妻子"),
    ("妻子", "妻子"),
    ("爱人", "配偶"),
    ("father", "父亲"),
    ("父", "父亲"),
    ("父亲", "父亲"),
    ("mother", "母亲"),
    ("母", "母亲"),
    ("母亲", "母亲"),
    ("son", "儿子"),
    ("子", "儿子"),
    ("儿子", "儿子"),
    ("daughter", "女儿"),
    ("女", "女儿"),
    ("女儿", "女儿"),
    ("sibling", "同胞兄弟姊妹"),
    ("同胞兄弟姊妹", "同胞兄弟姊妹"),
    ("同胞兄弟", "同胞兄弟"),
    ("同胞姐妹", "同胞姐妹"),
    ("兄弟", "同胞兄弟"),
    ("姐妹", "同胞姐妹"),
    ("哥哥", "哥哥"),
    ("弟弟", "弟弟"),
    ("姐姐", "姐姐"),
    ("妹妹", "妹妹"),
    ("兄", "哥哥"),
    ("弟", "弟弟"),
    ("姐", "姐姐"),
    ("妹", "妹妹"),
    ("胞兄", "哥哥"),
    ("胞弟", "弟弟"),
    ("胞姐", "姐姐"),
    ("胞妹", "妹妹"),
];

/// The relation in its canonical words if it makes a near relative under 001 §32, or why not.
pub fn near_relative(name: &str, relation: &str) -> Result<&'static str, ProcessError> {
    let r = relation.trim();
    if r.is_empty() {
        return Err(ProcessError::citing(
            format!("请填写“{name}”与民警的关系：近亲属受害人须写明关系（001 §32）"),
            "001 §32",
        ));
    }
    NEAR_RELATIVES
        .iter()
        .find(|(w, _)| *w == r)
        .map(|(_, c)| *c)
        .ok_or_else(|| {
            ProcessError::citing(
                format!(
                    "“{name}”是民警的“{r}”，不属于近亲属，不能作为民警近亲属受害人：001 §32 所称近亲属仅指夫、妻、父、母、子、女、同胞兄弟姊妹"
                ),
                "001 §32",
            )
        })
}

/// A relative's relation to the officer: one of 001 §32's near relatives where the governing
/// pack defines them, else as written (003 §15 says 家属 without a definition).
fn relation_of(name: &str, relation: &str, ctx: &Ctx<'_>) -> Result<String, ProcessError> {
    if provides(ctx, step::NEAR_RELATIVES) {
        return near_relative(name, relation).map(str::to_string);
    }
    nonempty(&format!("“{name}”与民警的关系"), relation)
}

fn nonempty(what: &str, s: &str) -> Result<String, ProcessError> {
    let t = s.trim();
    if t.is_empty() {
        Err(ProcessError::new(format!("{what}不能为空")))
    } else {
        Ok(t.to_string())
    }
}

fn check_victim(v: &Victim, ctx: &Ctx<'_>) -> Result<Victim, ProcessError> {
    let name = nonempty("受害人姓名", &v.name)?;
    let relation = match v.kind {
        VictimKind::NearRelative => relation_of(&name, &v.relation, ctx)?,
        _ => String::new(),
    };
    Ok(Victim {
        name,
        kind: v.kind,
        relation,
        harm: v.harm.trim().to_string(),
    })
}

fn org_of(ctx: &Ctx<'_>, id: &str, what: &str) -> Result<Org, ProcessError> {
    let name = ctx
        .name(id)
        .ok_or_else(|| ProcessError::new(format!("{what}“{id}”不在组织机构名录中")))?;
    Ok(Org {
        id: id.to_string(),
        name: name.to_string(),
    })
}

fn grounds_of(i: &Intake) -> Vec<Ground> {
    let mut g = Vec::new();
    if i.casualties {
        g.push(Ground::Casualties);
    }
    if i.agency_attacked {
        g.push(Ground::AgencyAttacked);
    }
    if i.mass_incident {
        g.push(Ground::MassIncident);
    }
    if i.cross_region {
        g.push(Ground::CrossRegion);
    }
    g
}

/// Checks an intake and records it with the names of record.
fn check_intake(i: &Intake, ctx: &Ctx<'_>) -> Result<IntakeRecord, ProcessError> {
    let officer_name = ctx
        .name(&i.officer)
        .ok_or_else(|| ProcessError::new(format!("民警“{}”不在人员名录中", i.officer)))?;
    let unit = org_of(ctx, &i.unit, "民警所在单位")?;
    let org = org_of(ctx, &i.org, "受理机关")?;
    if i.occurred_on > ctx.today {
        return Err(ProcessError::new("事件发生日期不能晚于今日"));
    }
    let place = nonempty("事发地点", &i.place)?;
    let description = nonempty("事件经过", &i.description)?;
    // 001 §31: off duty, the regulation protects an officer who met an emergency within their
    // duties and identified themself before acting (where the governing pack says so).
    if i.off_duty && !(i.emergency && i.identified_self) && provides(ctx, step::OFF_DUTY) {
        return Err(ProcessError::citing(
            "民警在非工作时间受到侵害的，须是遇到职责范围内的紧急情形、表明身份后进行先期处置时受到不法侵害，方依本办法维护其执法权威（001 §31）",
            "001 §31",
        ));
    }
    let victims = i
        .victims
        .iter()
        .map(|v| check_victim(v, ctx))
        .collect::<Result<Vec<_>, _>>()?;
    // The type under the governing pack: 001 §8's item, or the article a pack without those
    // items rests its 维权 on (003 §15).
    let type_article = match &ctx.regulation {
        None => i.incident_type.article(),
        Some(r) => {
            let item = i.incident_type.item();
            match r.steps.get(step::RIGHTS) {
                Some(a) if a.contains(&item) => format!("{} {item}", r.pack.pack),
                _ => r.nth_article_of(step::RIGHTS, 0).unwrap_or_default(),
            }
        }
    };
    Ok(IntakeRecord {
        officer: Officer {
            person_id: i.officer.clone(),
            name: officer_name.to_string(),
        },
        unit,
        org,
        incident_type: i.incident_type,
        occurred_on: i.occurred_on,
        place,
        description,
        victims,
        // Off duty as 001 §31 asks it; a pack without that step does not ask.
        off_duty: i.off_duty && provides(ctx, step::OFF_DUTY),
        // 001 §17's grounds only where the governing pack reports up.
        grounds: if provides(ctx, step::ESCALATION) {
            grounds_of(i)
        } else {
            Vec::new()
        },
        office: office_word(ctx),
        basis: article(ctx, &[step::APPLICATION, step::RIGHTS], "001 §15"),
        type_article,
    })
}

fn by(actor: &Actor, role: Role) -> By {
    By {
        person_id: actor.person_id.clone(),
        role,
    }
}

fn forbidden(what: &str) -> ProcessError {
    ProcessError::new(format!("您无权{what}"))
}

/// The office of the handling agency.
fn handling_office(s: &IncidentState, actor: &Actor, what: &str) -> Result<By, ProcessError> {
    match s.org() {
        Some(org) if actor.has(Role::Office) && actor.org_id == org.id => {
            Ok(by(actor, Role::Office))
        }
        Some(org) => Err(ProcessError::new(format!(
            "{what}应由{}{}办理",
            org.name,
            s.intake.as_ref().map_or(OFFICE, |i| i.office())
        ))),
        None => Err(forbidden(what)),
    }
}

/// The 报告 `from` makes to `level` (001 §17): the handling agency's own report, or a level above
/// forwarding it (then with the views of the levels below and its own `view`).
fn report_document(
    reg: &Regulation,
    intake: &IntakeRecord,
    s: &IncidentState,
    from: &Org,
    level: &Org,
    view: &str,
    on: NaiveDate,
) -> Result<Document, ProcessError> {
    // The offices as the governing pack names them (001 §6); the wording is the pack's
    // (`[[notice]] incident_report`).
    let office = &reg.bodies().office_short;
    let grounds: Vec<&str> = s.grounds.iter().map(|g| g.zh()).collect();
    let victims: Vec<String> = s
        .victims
        .iter()
        .map(|v| {
            let mut t = format!("{}（{}", v.name, v.kind.zh());
            if !v.relation.is_empty() {
                t.push_str(&format!("，系民警的{}", v.relation));
            }
            if !v.harm.is_empty() {
                t.push_str(&format!("，{}", v.harm));
            }
            t.push('）');
            t
        })
        .collect();
    // The item of the article on the types (001 §8) the incident falls under: "一".
    let type_item = intake.incident_type.numeral().to_string();
    let forwarding = from.id != intake.org.id;
    let handler = if forwarding {
        intake.org.name.clone()
    } else {
        "本机关".to_string()
    };
    // Forwarded: the report as it reached this level, and the views of the levels it passed.
    let (mut views, mut below, mut received) = (Vec::new(), String::new(), String::new());
    if forwarding {
        below = intake.org.name.clone();
        received = date_zh(on);
        for r in &s.reports {
            if r.level.id == from.id {
                received = date_zh(r.reported_on);
                break;
            }
            if !r.view.is_empty() {
                views.push(format!(
                    "\u{3000}\u{3000}{}{office}意见：{}",
                    r.level.name, r.view
                ));
            }
            below = r.level.name.clone();
        }
    }
    let (title, text) = notices::fill(
        reg,
        "incident_report",
        &reg.office_of(from),
        on,
        vec![
            ("to", reg.office_of(level)),
            ("occurred_on", date_zh(intake.occurred_on)),
            ("unit", intake.unit.name.clone()),
            ("officer", intake.officer.name.clone()),
            ("place", intake.place.clone()),
            ("incident_type", intake.incident_type.zh().to_string()),
            ("type_item", type_item),
            ("description", intake.description.clone()),
            ("victims", victims.join("；")),
            ("grounds", grounds.join("、")),
            ("handler", handler),
            ("office", office.clone()),
            (
                "opened_on",
                s.opened_on.map(date_zh).unwrap_or_else(|| date_zh(on)),
            ),
            ("views", views.join("\n")),
            (
                "view",
                if forwarding {
                    view.to_string()
                } else {
                    String::new()
                },
            ),
            ("below", below),
            ("received_on", received),
        ],
    )?;
    Ok(Document {
        kind: DocumentKind::IncidentReport,
        title,
        addressee: reg.office_of(level),
        copy_to: Vec::new(),
        text,
        issued_on: on,
    })
}

/// A report to `level` received today: it forwards to `next`, or at the top acknowledges, each
/// by the pack's period for that step.
fn new_report(ctx: &Ctx<'_>, level: &Org, next: Option<Org>) -> Result<Report, ProcessError> {
    let period = match next {
        Some(_) => ctx
            .periods
            .need(FORWARD_PERIOD, "上级维权办签署意见逐级转报")?,
        None => ctx.periods.need(ACK_PERIOD, "上级维权办确认收到报告")?,
    };
    let d = ctx
        .calendar
        .add(ctx.today, period)
        .map_err(|e| ProcessError::new(format!("无法计算报告的办理期限：{e}")))?;
    Ok(Report {
        level: level.clone(),
        reported_on: ctx.today,
        due: d.due,
        provisional: d.provisional,
        acknowledged_on: None,
        acknowledged_by: String::new(),
        forward_to: next,
        forwarded_on: None,
        view: String::new(),
    })
}

fn event(on: NaiveDate, by: By, kind: Kind) -> Event<Kind> {
    Event { on, by, kind }
}

fn open_events(
    s: &IncidentState,
    intake: IntakeRecord,
    on: NaiveDate,
    by: By,
    kind: impl FnOnce(IntakeRecord) -> Kind,
) -> Result<Vec<Event<Kind>>, ProcessError> {
    if s.stage != Stage::New {
        return Err(ProcessError::new("该维权案（事）件已经立案"));
    }
    Ok(vec![event(on, by, kind(intake))])
}

impl Incident {
    fn decide_open(
        s: &IncidentState,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<Kind>>, ProcessError> {
        match command {
            Command::IncidentReport {
                intake,
                source,
                reporter_name,
                reporter_relation,
            } => {
                let record = check_intake(intake, ctx)?;
                let basis = record.basis().to_string();
                let office = record.office().to_string();
                // 001 §15: the officer, a near relative or the unit applies; a relative's
                // application is entered by the office or the unit that received it. A pack
                // without 001's application step (003 §15) takes reports the same way.
                let (role, reporter) = match source {
                    Source::Officer => {
                        if !(actor.has(Role::Officer) && actor.person_id == intake.officer) {
                            return Err(ProcessError::citing(
                                "以“民警本人提出”申请的，应由该民警本人提交",
                                &basis,
                            ));
                        }
                        (Role::Officer, None)
                    }
                    Source::Relative => {
                        let role = if actor.has(Role::Office) {
                            Role::Office
                        } else if actor.has(Role::Unit) {
                            Role::Unit
                        } else {
                            return Err(ProcessError::citing(
                                format!("近亲属提出的申请由受理的{office}或者民警所在单位登记"),
                                &basis,
                            ));
                        };
                        let name = nonempty("提出申请的近亲属姓名", reporter_name)?;
                        let relation = relation_of(&name, reporter_relation, ctx)?;
                        (role, Some((name, relation)))
                    }
                    Source::Unit => {
                        if !actor.has(Role::Unit) {
                            return Err(ProcessError::citing(
                                "以“民警所在单位提出”申请的，应由该单位提交",
                                &basis,
                            ));
                        }
                        (Role::Unit, None)
                    }
                    Source::Office => {
                        return Err(ProcessError::citing(
                            format!("{office}发现线索的，请使用“主动启动”"),
                            &basis,
                        ))
                    }
                };
                let source = *source;
                open_events(s, record, ctx.today, by(actor, role), |intake| {
                    Kind::Reported {
                        intake,
                        source,
                        reporter,
                    }
                })
            }
            Command::IncidentOpen { intake, clue } => {
                let record = check_intake(intake, ctx)?;
                if !(actor.has(Role::Office) && actor.org_id == intake.org) {
                    return Err(ProcessError::citing(
                        format!("主动启动应由受理的{}办理", record.office()),
                        record.basis(),
                    ));
                }
                let clue = nonempty("发现的线索", clue)?;
                open_events(s, record, ctx.today, by(actor, Role::Office), |intake| {
                    Kind::Opened { intake, clue }
                })
            }
            _ => Err(ProcessError::new(
                "尚未立案的维权案（事）件只能提出申请或者主动启动",
            )),
        }
    }
}

fn text_field(name: &str, label: &str, required: bool) -> Field {
    Field::new(name, label, FieldKind::Text, required)
}

fn long_field(name: &str, label: &str, required: bool) -> Field {
    Field::new(name, label, FieldKind::LongText, required)
}

fn options<T: Copy>(
    all: &[T],
    id: impl Fn(T) -> &'static str,
    zh: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|t| (id(*t).to_string(), zh(*t).to_string()))
        .collect()
}

fn victim_fields(ctx: &Ctx<'_>) -> Vec<Field> {
    let relation = text_field("relation", "与民警的关系（近亲属填写）", false);
    vec![
        text_field("name", "姓名", true),
        Field::new(
            "kind",
            "身份",
            FieldKind::Choice {
                options: options(VictimKind::ALL, VictimKind::id, VictimKind::zh),
            },
            true,
        ),
        if provides(ctx, step::NEAR_RELATIVES) {
            relation.help("仅限夫、妻、父、母、子、女、同胞兄弟姊妹（001 §32）")
        } else {
            relation
        },
        text_field("harm", "受侵害情况", false),
    ]
}

/// The intake's fields under the governing pack: 001's off-duty (§31) and escalation (§17)
/// questions only where the pack has those steps.
fn intake_fields(ctx: &Ctx<'_>) -> Vec<Field> {
    let police = provides(ctx, step::APPLICATION);
    let victims = Field::new(
        "victims",
        "受害人",
        FieldKind::Rows {
            fields: victim_fields(ctx),
            max: 20,
        },
        false,
    );
    let mut out = vec![
        Field::new("officer", "当事民警", FieldKind::Person, true),
        Field::new("unit", "民警所在单位", FieldKind::Org, true),
        if police {
            Field::new("org", "受理的维权办所在公安机关", FieldKind::Org, true)
                .help("民警所属公安机关（001 §15）")
        } else {
            Field::new("org", "受理机关", FieldKind::Org, true)
                .help(&format!("其{}受理本案（事）件的机关", office_word(ctx)))
        },
        Field::new(
            "incident_type",
            "侵害情形",
            FieldKind::Choice {
                options: options(IncidentType::ALL, IncidentType::id, IncidentType::zh),
            },
            true,
        )
        .help(if police {
            "001 §8 所列十种情形"
        } else {
            "暴力袭警抗法等妨害民警执法履职的行为，威胁伤害、打击报复民警及其家属的行为，以及其他侵害"
        }),
        Field::new("occurred_on", "发生日期", FieldKind::Date, true),
        text_field("place", "事发地点", true),
        long_field("description", "事件经过", true),
        if police {
            victims.help("民警本人、近亲属（001 §32）、警务辅助人员和学员（001 §33）")
        } else {
            victims.help("民警本人及其家属")
        },
    ];
    if provides(ctx, step::OFF_DUTY) {
        out.extend([
            Field::new("off_duty", "事发时为非工作时间", FieldKind::Bool, false)
                .help("非工作时间的，须遇到职责范围内的紧急情形并表明身份（001 §31）"),
            Field::new(
                "emergency",
                "遇到职责范围内的紧急情形",
                FieldKind::Bool,
                false,
            ),
            Field::new(
                "identified_self",
                "已表明人民警察身份",
                FieldKind::Bool,
                false,
            ),
        ]);
    }
    if provides(ctx, step::ESCALATION) {
        out.extend([
            Field::new("casualties", "造成民警伤亡", FieldKind::Bool, false)
                .help("001 §17(一)：须逐级上报"),
            Field::new(
                "agency_attacked",
                "公安机关被打砸冲击",
                FieldKind::Bool,
                false,
            )
            .help("001 §17(二)：须逐级上报"),
            Field::new(
                "mass_incident",
                "形成群体性事件等影响较大",
                FieldKind::Bool,
                false,
            )
            .help("001 §17(二)：须逐级上报"),
            Field::new("cross_region", "跨区域", FieldKind::Bool, false)
                .help("001 §17(三)：须逐级上报"),
        ]);
    }
    out
}

/// Offers the office's step `id` where the governing pack provides `step`, citing its article
/// (`fallback` when the case's regulation is not loaded).
fn offer(
    out: &mut Vec<ActionSpec>,
    ctx: &Ctx<'_>,
    step: &str,
    fallback: &str,
    id: &str,
    label: &str,
    fields: Vec<Field>,
) {
    if provides(ctx, step) {
        out.push(spec(
            id,
            label,
            &article(ctx, &[step], fallback),
            Role::Office,
            fields,
        ));
    }
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

/// The situations of 001 §8 that are 诬陷、诽谤或者侮辱 (001 §13): malicious complaints,
/// insults and slander, false accusations, and the other cases the office judges to be so.
const DEFAMATION: [IncidentType; 4] = [
    IncidentType::MaliciousComplaint,
    IncidentType::Threats,
    IncidentType::FalseAccusation,
    IncidentType::Other,
];

fn measure(on: NaiveDate, kind: &str, article: &str, text: String) -> Kind {
    Kind::MeasureTaken {
        measure: Measure {
            on,
            kind: kind.to_string(),
            article: article.to_string(),
            text,
        },
    }
}

/// One row of the 台账 (001 §29(六)): every incident's 立案、调查、处理 to the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    pub officer: String,
    pub unit: String,
    pub org: String,
    pub incident_type: String,
    pub occurred_on: Option<NaiveDate>,
    /// 立案 (the day of intake) and how.
    pub registered_on: Option<NaiveDate>,
    pub source: String,
    /// 调查: the last recorded progress.
    pub investigation: String,
    /// 处理.
    pub handling: String,
    /// Measures taken, one line each.
    pub measures: String,
    /// 001 §17: each level reported to and whether it acknowledged.
    pub escalation: String,
    pub stage: String,
    pub closed_on: Option<NaiveDate>,
}

/// The case's 台账 row.
pub fn ledger(s: &IncidentState) -> LedgerRow {
    let i = s.intake.as_ref();
    LedgerRow {
        officer: i.map(|i| i.officer.name.clone()).unwrap_or_default(),
        unit: i.map(|i| i.unit.name.clone()).unwrap_or_default(),
        org: i.map(|i| i.org.name.clone()).unwrap_or_default(),
        incident_type: i
            .map(|i| i.incident_type.zh().to_string())
            .unwrap_or_default(),
        occurred_on: i.map(|i| i.occurred_on),
        registered_on: s.opened_on,
        source: s.source.map(|x| x.zh().to_string()).unwrap_or_default(),
        investigation: s
            .investigations
            .last()
            .map(|(d, f, u)| {
                if u.is_empty() {
                    format!("{}：{f}", date_zh(*d))
                } else {
                    format!("{}：{f}（{u}）", date_zh(*d))
                }
            })
            .unwrap_or_default(),
        handling: s
            .handling
            .as_ref()
            .map(|(d, r)| format!("{}：{r}", date_zh(*d)))
            .unwrap_or_default(),
        measures: s
            .measures
            .iter()
            .map(|m| format!("{} {}（{}）", date_zh(m.on), m.text, m.article))
            .collect::<Vec<_>>()
            .join("；"),
        escalation: s
            .reports
            .iter()
            .map(|r| {
                let mut t = match (r.forwarded_on, r.acknowledged_on, &r.forward_to) {
                    (Some(d), _, Some(next)) => {
                        format!("{}（{}收到并转报{}", r.level.name, date_zh(d), next.name)
                    }
                    (_, Some(d), _) => format!("{}（{}确认收到", r.level.name, date_zh(d)),
                    (_, None, Some(next)) => format!(
                        "{}（待转报{}，限{}",
                        r.level.name,
                        next.name,
                        date_zh(r.due)
                    ),
                    (_, None, None) => {
                        format!("{}（待确认，限{}", r.level.name, date_zh(r.due))
                    }
                };
                if !r.view.is_empty() {
                    t.push_str(&format!("，意见：{}", r.view));
                }
                t.push('）');
                t
            })
            .collect::<Vec<_>>()
            .join("；"),
        stage: s.stage.zh().to_string(),
        closed_on: s.closed.as_ref().map(|(d, _)| *d),
    }
}

impl Process for Incident {
    const KIND: &'static str = "incident";
    const NAME_ZH: &'static str = "维权案（事）件";
    const ID_PREFIX: &'static str = "W";
    const PACK: &'static str = "001";
    /// 001 for police; 003 §15 for the prisons' police (issue 20: coverage counted 003 §15 while a
    /// prison could not open a case).
    const REGULATIONS: &'static [&'static str] = &["001", "003"];
    const PERIODS: &'static [&'static str] = &[ACK_PERIOD, FORWARD_PERIOD];
    /// 001's 维权 steps.
    const PROCEDURES: &'static [ProcedureStep] = &[
        step001(
            "rights_protection",
            &[
                "incident_report",
                "incident_open",
                "incident_add_victim",
                "incident_investigate",
                "incident_record_handling",
                "incident_close",
            ],
        ),
        step001("application", &["incident_report", "incident_open"]),
        step001(step::OFF_DUTY, &["incident_report", "incident_open"]),
        step001(
            step::NEAR_RELATIVES,
            &["incident_report", "incident_add_victim"],
        ),
        step001(step::COMFORT, &["incident_comfort_payment"]),
        step001(
            step::LEDGER,
            &[
                "incident_investigate",
                "incident_record_handling",
                "incident_close",
            ],
        ),
        step001("civil_litigation_support", &["incident_civil_suit"]),
        step001("protection_measures", &["incident_protect"]),
        step001("media_response", &["incident_media"]),
        step001("misconduct_referral", &["incident_refer_violation"]),
        step001("recusal", &["incident_recusal"]),
        step001("on_scene_response", &["incident_on_scene"]),
        step001("name_clearing", &["incident_restore_reputation"]),
        step001("legal_support", &["incident_legal_support"]),
        step001("leader_accountability", &["incident_refer_accountability"]),
        step001(
            "escalation",
            &[
                "incident_escalate",
                "incident_report_up",
                "incident_forward",
                "incident_acknowledge",
            ],
        ),
        step003(
            step::RIGHTS,
            &[
                "incident_report",
                "incident_open",
                "incident_add_victim",
                "incident_investigate",
                "incident_record_handling",
                "incident_close",
            ],
        ),
        step003(step::NAME_CLEARING, &["incident_restore_reputation"]),
        step003(step::COORDINATION, &["incident_coordinate"]),
        step003(step::LAWYERS, &["incident_legal_support"]),
        step003(step::POLICE_REFERRAL, &["incident_refer_police"]),
        step003(step::JUDICIAL_RELIEF, &["incident_judicial_relief"]),
    ];

    type State = IncidentState;
    type Command = Command;
    type Kind = Kind;

    fn stages() -> &'static [(&'static str, &'static str)] {
        &[
            ("registered", "已立案"),
            ("investigating", "调查中"),
            ("handled", "已处理"),
            ("closed", "已办结"),
        ]
    }

    fn opens(command: &Command) -> bool {
        matches!(
            command,
            Command::IncidentReport { .. } | Command::IncidentOpen { .. }
        )
    }

    fn action_id(command: &Command) -> &'static str {
        match command {
            Command::IncidentReport { .. } => "incident_report",
            Command::IncidentOpen { .. } => "incident_open",
            Command::IncidentAddVictim { .. } => "incident_add_victim",
            Command::IncidentEscalate { .. } => "incident_escalate",
            Command::IncidentReportUp => "incident_report_up",
            Command::IncidentForward { .. } => "incident_forward",
            Command::IncidentAcknowledge { .. } => "incident_acknowledge",
            Command::IncidentInvestigate { .. } => "incident_investigate",
            Command::IncidentProtect { .. } => "incident_protect",
            Command::IncidentCivilSuit { .. } => "incident_civil_suit",
            Command::IncidentMedia { .. } => "incident_media",
            Command::IncidentComfortPayment { .. } => "incident_comfort_payment",
            Command::IncidentReferViolation { .. } => "incident_refer_violation",
            Command::IncidentRecusal { .. } => "incident_recusal",
            Command::IncidentOnScene { .. } => "incident_on_scene",
            Command::IncidentRestoreReputation { .. } => "incident_restore_reputation",
            Command::IncidentLegalSupport { .. } => "incident_legal_support",
            Command::IncidentReferAccountability { .. } => "incident_refer_accountability",
            Command::IncidentCoordinate { .. } => "incident_coordinate",
            Command::IncidentReferPolice { .. } => "incident_refer_police",
            Command::IncidentJudicialRelief { .. } => "incident_judicial_relief",
            Command::IncidentRecordHandling { .. } => "incident_record_handling",
            Command::IncidentClose { .. } => "incident_close",
        }
    }

    fn decide(
        s: &IncidentState,
        command: &Command,
        actor: &Actor,
        ctx: &Ctx<'_>,
    ) -> Result<Vec<Event<Kind>>, ProcessError> {
        if Self::opens(command) || s.stage == Stage::New {
            return Self::decide_open(s, command, actor, ctx);
        }
        if s.stage == Stage::Closed {
            return Err(ProcessError::new("该维权案（事）件已经办结"));
        }
        let Some(intake) = s.intake.as_ref() else {
            return Err(ProcessError::new("该维权案（事）件尚未立案"));
        };
        let today = ctx.today;
        let one = |by: By, kind: Kind| -> Result<Vec<Event<Kind>>, ProcessError> {
            Ok(vec![event(today, by, kind)])
        };
        match command {
            Command::IncidentReport { .. } | Command::IncidentOpen { .. } => {
                Err(ProcessError::new("该维权案（事）件已经立案"))
            }
            Command::IncidentAddVictim { victim } => {
                // The office, or the officer themself (their own relative harmed too, 001 §11).
                let by = if actor.has(Role::Officer) && actor.person_id == intake.officer.person_id
                {
                    by(actor, Role::Officer)
                } else {
                    handling_office(s, actor, "登记受害人")?
                };
                let victim = check_victim(victim, ctx)?;
                if s.victims.contains(&victim) {
                    return Err(ProcessError::new(format!(
                        "受害人“{}”已经登记",
                        victim.name
                    )));
                }
                one(by, Kind::VictimAdded { victim })
            }
            Command::IncidentEscalate { grounds, reason } => {
                let by = handling_office(s, actor, "决定上报")?;
                need(ctx, step::ESCALATION, "逐级上报", "001 §17")?;
                let reason = nonempty("上报理由", reason)?;
                if grounds.is_empty() {
                    return Err(ProcessError::citing(
                        "请选择上报的情形（001 §17 所列四项之一）",
                        "001 §17",
                    ));
                }
                if route(&ctx.org_chain).len() < 2 {
                    return Err(ProcessError::citing(
                        format!(
                            "{}没有上级公安机关，无需逐级上报（001 §17）",
                            intake.org.name
                        ),
                        "001 §17",
                    ));
                }
                let mut grounds = grounds.clone();
                grounds.sort();
                grounds.dedup();
                one(by, Kind::EscalationDecided { grounds, reason })
            }
            Command::IncidentReportUp => {
                if !actor.has(Role::System) {
                    return Err(ProcessError::citing(
                        "逐级上报的报告由系统依 001 §17 自动生成，请使用“决定上报”",
                        "001 §17",
                    ));
                }
                let Some(level) = s.first_report(&ctx.org_chain) else {
                    return Ok(Vec::new());
                };
                let report = new_report(ctx, level, next_level(&ctx.org_chain, level))?;
                one(
                    By::system(),
                    Kind::ReportedUp {
                        document: report_document(
                            ctx.regulation()?,
                            intake,
                            s,
                            &intake.org,
                            level,
                            "",
                            today,
                        )?,
                        report,
                    },
                )
            }
            Command::IncidentForward { view } => {
                let Some(report) = s
                    .pending_reports()
                    .find(|r| actor.has(Role::Office) && r.level.id == actor.org_id)
                else {
                    return Err(ProcessError::citing(
                        "只有收到本案（事）件报告、尚未转报的上级维权办可以逐级转报（001 §17）",
                        "001 §17",
                    ));
                };
                let Some(next) = &report.forward_to else {
                    return Err(ProcessError::citing(
                        format!(
                            "{}维权办是逐级报告的最高一级，应确认收到报告，无需转报（001 §17）",
                            report.level.name
                        ),
                        "001 §17",
                    ));
                };
                let view = view.trim().to_string();
                let onward = new_report(ctx, next, next_level(&ctx.org_chain, next))?;
                one(
                    by(actor, Role::Office),
                    Kind::Forwarded {
                        level: report.level.clone(),
                        document: report_document(
                            ctx.regulation()?,
                            intake,
                            s,
                            &report.level,
                            next,
                            &view,
                            today,
                        )?,
                        view,
                        report: onward,
                    },
                )
            }
            Command::IncidentAcknowledge { note } => {
                let Some(report) = s
                    .pending_reports()
                    .find(|r| actor.has(Role::Office) && r.level.id == actor.org_id)
                else {
                    return Err(ProcessError::citing(
                        "只有收到本案（事）件报告、尚未确认的上级维权办可以确认收到（001 §17）",
                        "001 §17",
                    ));
                };
                if let Some(next) = &report.forward_to {
                    return Err(ProcessError::citing(
                        format!(
                            "报告应逐级上报：{}维权办收到后应签署意见转报{}维权办（001 §17）",
                            report.level.name, next.name
                        ),
                        "001 §17",
                    ));
                }
                one(
                    by(actor, Role::Office),
                    Kind::Acknowledged {
                        level: report.level.clone(),
                        note: note.trim().to_string(),
                    },
                )
            }
            Command::IncidentInvestigate {
                findings,
                handling_unit,
            } => {
                let by = handling_office(s, actor, "记录调查情况")?;
                if s.stage == Stage::Handled {
                    return Err(ProcessError::new("已经记录处理结果，不能再记录调查情况"));
                }
                one(
                    by,
                    Kind::Investigated {
                        findings: nonempty("调查情况", findings)?,
                        handling_unit: handling_unit.trim().to_string(),
                    },
                )
            }
            Command::IncidentProtect {
                protected,
                measures,
                taken_by,
            } => {
                let by = handling_office(s, actor, "记录保护措施")?;
                let article = need(ctx, step::PROTECTION, "保护措施", "001 §11")?;
                let protected = nonempty("受保护的人员", protected)?;
                let measures = nonempty("保护措施", measures)?;
                let mut text = format!("对{protected}采取保护措施：{measures}");
                if !taken_by.trim().is_empty() {
                    text.push_str(&format!("（{}）", taken_by.trim()));
                }
                one(by, measure(today, "protection", &article, text))
            }
            Command::IncidentCivilSuit {
                suit,
                loss,
                assistance,
            } => {
                let by = handling_office(s, actor, "记录诉讼帮助")?;
                let article = need(ctx, step::CIVIL_SUIT, "帮助民警提起诉讼", "001 §9")?;
                let text = format!(
                    "帮助民警提起{}：损失{}；帮助内容：{}",
                    suit.zh(),
                    nonempty("人身或者财产损失", loss)?,
                    nonempty("帮助内容", assistance)?
                );
                one(by, measure(today, "civil_suit", &article, text))
            }
            Command::IncidentMedia {
                outlet,
                clarification,
                coordinated_with,
            } => {
                let by = handling_office(s, actor, "记录澄清事实")?;
                let article = need(ctx, step::MEDIA, "针对媒体报道澄清事实", "001 §12")?;
                let mut text = format!(
                    "针对{}的恶意炒作或者失实报道澄清事实：{}",
                    nonempty("媒体", outlet)?,
                    nonempty("澄清内容", clarification)?
                );
                if !coordinated_with.trim().is_empty() {
                    text.push_str(&format!("（协调{}）", coordinated_with.trim()));
                }
                one(by, measure(today, "media", &article, text))
            }
            Command::IncidentComfortPayment {
                recipient,
                amount_yuan,
                basis,
            } => {
                let by = handling_office(s, actor, "记录抚慰金发放")?;
                let article = need(ctx, step::COMFORT, "发放抚慰金", "001 §7(六)")?;
                if *amount_yuan <= 0 {
                    return Err(ProcessError::new("抚慰金金额应为正整数（元）"));
                }
                let mut text = format!(
                    "向{}发放抚慰专项资金 {amount_yuan} 元",
                    nonempty("领取人", recipient)?
                );
                if !basis.trim().is_empty() {
                    text.push_str(&format!("（{}）", basis.trim()));
                }
                one(by, measure(today, "comfort_payment", &article, text))
            }
            Command::IncidentReferViolation {
                department,
                problem,
            } => {
                let by = handling_office(s, actor, "移送民警违法违纪问题")?;
                let article = need(ctx, step::MISCONDUCT, "移送民警违法违纪问题", "001 §16")?;
                let text = format!(
                    "发现民警存在违法违纪问题，移送{}：{}",
                    nonempty("移送部门", department)?,
                    nonempty("问题", problem)?
                );
                one(by, measure(today, "referral", &article, text))
            }
            Command::IncidentRecusal { person, reason } => {
                let by = handling_office(s, actor, "记录回避")?;
                let article = need(ctx, step::RECUSAL, "回避", "001 §10")?;
                let text = format!(
                    "{}依照刑事诉讼法、治安管理处罚法、人民警察法关于回避的规定回避：{}",
                    nonempty("回避人员", person)?,
                    nonempty("回避理由", reason)?
                );
                one(by, measure(today, "recusal", &article, text))
            }
            Command::IncidentOnScene {
                account,
                controlled,
                requested_help,
                evidence,
            } => {
                let by = handling_office(s, actor, "记录民警现场处置情况")?;
                let article = need(ctx, step::ON_SCENE, "民警现场处置", "001 §14")?;
                if !controlled && !requested_help {
                    return Err(ProcessError::citing(
                        "民警能够自行处置的，应当控制违法行为人并移送处理；自行处置有困难的，应当立即向指挥中心报告、请求援助：请至少选择一项（001 §14）",
                        "001 §14",
                    ));
                }
                let mut text = format!("民警现场处置：{}", nonempty("处置经过", account)?);
                if *controlled {
                    text.push_str("；控制违法行为人并移送有关部门处理");
                }
                if *requested_help {
                    text.push_str("；立即向指挥中心报告、请求援助");
                }
                if !evidence.trim().is_empty() {
                    text.push_str(&format!("；收集、固定证据：{}", evidence.trim()));
                }
                one(by, measure(today, "on_scene", &article, text))
            }
            Command::IncidentRestoreReputation { means } => {
                let by = handling_office(s, actor, "消除影响、恢复名誉")?;
                let article = need(ctx, step::NAME_CLEARING, "消除影响、恢复名誉", "001 §13")?;
                let kind = s.intake.as_ref().map(|i| i.incident_type);
                if !matches!(kind, Some(t) if DEFAMATION.contains(&t)) {
                    return Err(ProcessError::citing(
                        format!(
                            "诬陷、诽谤或者侮辱民警的，{}才依本条消除影响、恢复名誉；本案（事）件不属于这类情形",
                            intake.office()
                        ),
                        &article,
                    ));
                }
                let text = format!("消除影响、恢复名誉：{}", nonempty("方式和范围", means)?);
                one(by, measure(today, "reputation", &article, text))
            }
            Command::IncidentLegalSupport {
                provider,
                support,
                inquiry_by,
            } => {
                let by = handling_office(s, actor, "记录法律专业支持")?;
                // 001 §26's review and support, or 003 §15's lawyers retained when needed.
                let lawyers = !provides(ctx, step::LEGAL_SUPPORT);
                let article = if lawyers {
                    need(ctx, step::LAWYERS, "聘请律师", "003 §15")?
                } else {
                    need(ctx, step::LEGAL_SUPPORT, "法律专业支持", "001 §26")?
                };
                let mut text = if lawyers {
                    format!(
                        "聘请{}帮助解决执法纠纷：{}",
                        nonempty("律师或者律师团队", provider)?,
                        nonempty("帮助内容", support)?
                    )
                } else {
                    format!(
                        "{}提供法律专业支持：{}",
                        nonempty("提供者", provider)?,
                        nonempty("内容", support)?
                    )
                };
                let article = if inquiry_by.trim().is_empty() {
                    article
                } else {
                    text.push_str(&format!("（{}介入调查）", inquiry_by.trim()));
                    // §26¶2: the support when a 纪检监察 or 检察 organ inquires.
                    ctx.regulation
                        .as_ref()
                        .and_then(|r| r.nth_article_of(step::LEGAL_SUPPORT, 1))
                        .unwrap_or_else(|| {
                            if lawyers {
                                article
                            } else {
                                "001 §26¶2".to_string()
                            }
                        })
                };
                one(by, measure(today, "legal_support", &article, text))
            }
            Command::IncidentCoordinate { organ, content } => {
                let by = handling_office(s, actor, "记录与公检法机关的沟通协调")?;
                let article = need(ctx, step::COORDINATION, "与公检法机关沟通协调", "003 §15")?;
                let text = format!(
                    "与{}沟通协调：{}",
                    nonempty("公检法机关", organ)?,
                    nonempty("沟通协调的事项和结果", content)?
                );
                one(by, measure(today, "coordination", &article, text))
            }
            Command::IncidentReferPolice { police, conduct } => {
                let by = handling_office(s, actor, "提请公安机关依法惩处")?;
                let article = need(
                    ctx,
                    step::POLICE_REFERRAL,
                    "提请公安机关依法惩处",
                    "003 §15",
                )?;
                let text = format!(
                    "提请{}依法惩处：{}",
                    nonempty("公安机关", police)?,
                    nonempty("威胁伤害、打击报复民警及其家属的行为", conduct)?
                );
                one(by, measure(today, "police_referral", &article, text))
            }
            Command::IncidentJudicialRelief { relief, organ } => {
                let by = handling_office(s, actor, "提请司法救济")?;
                let article = need(ctx, step::JUDICIAL_RELIEF, "提请司法救济", "003 §15")?;
                let mut text = format!("提请司法救济：{}", nonempty("司法救济的内容", relief)?);
                if !organ.trim().is_empty() {
                    text.push_str(&format!("（{}）", organ.trim()));
                }
                one(by, measure(today, "judicial_relief", &article, text))
            }
            Command::IncidentReferAccountability {
                failure,
                responsible,
                facts,
                referred_to,
            } => {
                let by = handling_office(s, actor, "移送追究相关领导和责任人的责任")?;
                need(ctx, step::LEADERS, "追究相关领导和责任人的责任", "001 §30")?;
                let text = format!(
                    "{}{}，移送{}追究责任：{}",
                    nonempty("相关领导和责任人", responsible)?,
                    failure.zh(),
                    nonempty("移送机关", referred_to)?,
                    nonempty("事实", facts)?
                );
                one(
                    by,
                    measure(today, "accountability", &failure.article(), text),
                )
            }
            Command::IncidentRecordHandling { result } => {
                let by = handling_office(s, actor, "记录处理结果")?;
                if s.investigations.is_empty() {
                    return Err(ProcessError::citing(
                        "请先记录调查情况，再记录处理结果",
                        &article(ctx, &[step::LEDGER, step::RIGHTS], "001 §29(六)"),
                    ));
                }
                one(
                    by,
                    Kind::HandlingRecorded {
                        result: nonempty("处理结果", result)?,
                    },
                )
            }
            Command::IncidentClose { summary } => {
                let by = handling_office(s, actor, "办结")?;
                if s.handling.is_none() {
                    return Err(ProcessError::citing(
                        "尚未记录处理结果，不能办结：立案、调查、处理须全程记录",
                        &article(ctx, &[step::LEDGER, step::RIGHTS], "001 §29(六)"),
                    ));
                }
                let pending: Vec<&str> =
                    s.pending_reports().map(|r| r.level.name.as_str()).collect();
                if !pending.is_empty() {
                    return Err(ProcessError::citing(
                        format!(
                            "{}尚未确认收到本案（事）件的报告，不能办结（001 §17）",
                            pending.join("、")
                        ),
                        "001 §17",
                    ));
                }
                one(
                    by,
                    Kind::Closed {
                        summary: summary.trim().to_string(),
                    },
                )
            }
        }
    }

    fn apply(mut s: IncidentState, e: &Event<Kind>) -> IncidentState {
        match &e.kind {
            Kind::Reported {
                intake,
                source,
                reporter,
            } => {
                s.stage = Stage::Registered;
                s.victims = intake.victims.clone();
                s.grounds = intake.grounds.clone();
                s.intake = Some(intake.clone());
                s.source = Some(*source);
                s.reporter = reporter.clone();
                s.opened_on = Some(e.on);
            }
            Kind::Opened { intake, clue } => {
                s.stage = Stage::Registered;
                s.victims = intake.victims.clone();
                s.grounds = intake.grounds.clone();
                s.intake = Some(intake.clone());
                s.source = Some(Source::Office);
                s.clue = Some(clue.clone());
                s.opened_on = Some(e.on);
            }
            Kind::VictimAdded { victim } => s.victims.push(victim.clone()),
            Kind::EscalationDecided { grounds, reason } => {
                for g in grounds {
                    if !s.grounds.contains(g) {
                        s.grounds.push(*g);
                    }
                }
                s.escalation_reasons.push(reason.clone());
            }
            Kind::ReportedUp { report, .. } => {
                if !s.reports.iter().any(|r| r.level.id == report.level.id) {
                    s.reports.push(report.clone());
                }
            }
            Kind::Acknowledged { level, note } => {
                if let Some(r) = s
                    .reports
                    .iter_mut()
                    .find(|r| r.level.id == level.id && r.acknowledged_on.is_none())
                {
                    r.acknowledged_on = Some(e.on);
                    r.acknowledged_by = e.by.person_id.clone();
                    r.view = note.clone();
                }
            }
            Kind::Forwarded {
                level,
                view,
                report,
                ..
            } => {
                if let Some(r) = s
                    .reports
                    .iter_mut()
                    .find(|r| r.level.id == level.id && r.acknowledged_on.is_none())
                {
                    r.acknowledged_on = Some(e.on);
                    r.acknowledged_by = e.by.person_id.clone();
                    r.forwarded_on = Some(e.on);
                    r.view = view.clone();
                }
                if !s.reports.iter().any(|r| r.level.id == report.level.id) {
                    s.reports.push(report.clone());
                }
            }
            Kind::Investigated {
                findings,
                handling_unit,
            } => {
                s.stage = Stage::Investigating;
                s.investigations
                    .push((e.on, findings.clone(), handling_unit.clone()));
            }
            Kind::MeasureTaken { measure } => s.measures.push(measure.clone()),
            Kind::HandlingRecorded { result } => {
                s.stage = Stage::Handled;
                s.handling = Some((e.on, result.clone()));
            }
            Kind::Closed { summary } => {
                s.stage = Stage::Closed;
                s.closed = Some((e.on, summary.clone()));
            }
        }
        s
    }

    fn deadlines(s: &IncidentState, _rules: &Rules<'_>) -> Vec<OpenDeadline> {
        if s.stage == Stage::Closed {
            return Vec::new();
        }
        s.pending_reports()
            .map(|r| OpenDeadline {
                step: match r.forward_to {
                    Some(_) => format!("escalation_forward@{}", r.level.id),
                    None => format!("escalation_ack@{}", r.level.id),
                },
                label: match &r.forward_to {
                    Some(next) => {
                        format!("{}维权办签署意见并转报{}维权办", r.level.name, next.name)
                    }
                    None => format!("{}维权办确认收到报告", r.level.name),
                },
                due: r.due,
                provisional: r.provisional,
                article: "001 §17".to_string(),
                role: Role::Office,
            })
            .collect()
    }

    fn intro(action: &str) -> &'static str {
        match action {
            "incident_report_up" => {
                "逐级上报的报告由系统在决定上报后依 001 §17 自动生成并送达上一级维权办，由其签署意见逐级转报；用户和客户端不能提交。"
            }
            _ => "",
        }
    }

    fn form(action: &str) -> Option<Vec<crate::Field>> {
        // The system's step has no form (see `intro`).
        (action == "incident_report_up").then(Vec::new)
    }

    fn follow_up(s: &IncidentState, ctx: &Ctx<'_>) -> Option<Command> {
        // 001 §17: a ground once known sends the report to the level directly above, once; the
        // levels above forward it in turn.
        let handling = s.org()?;
        if s.stage == Stage::Closed || ctx.org_chain.first().map(|o| &o.id) != Some(&handling.id) {
            return None;
        }
        s.first_report(&ctx.org_chain)
            .map(|_| Command::IncidentReportUp)
    }

    fn actions(s: &IncidentState, actor: &Actor, ctx: &Ctx<'_>) -> Vec<ActionSpec> {
        // Every step under the governing pack's own articles, and only the steps it provides
        // (issue 20: a prison's 维权 under 003 §15 has no 逐级上报, 抚慰金 or 回避 of 001).
        let at = |step: &str, fallback: &str| article(ctx, &[step], fallback);
        let has = |step: &str| provides(ctx, step);
        let intake_article = article(ctx, &[step::APPLICATION, step::RIGHTS], "001 §15");
        let ledger_article = article(ctx, &[step::LEDGER, step::RIGHTS], "001 §29(六)");
        let mut out = Vec::new();
        if s.stage == Stage::New {
            if actor.has(Role::Officer) || actor.has(Role::Unit) || actor.has(Role::Office) {
                let police = has(step::APPLICATION);
                let mut fields = vec![Field::new(
                    "source",
                    "申请人",
                    FieldKind::Choice {
                        options: [Source::Officer, Source::Relative, Source::Unit]
                            .iter()
                            .map(|x| {
                                let id = match x {
                                    Source::Officer => "officer",
                                    Source::Relative => "relative",
                                    _ => "unit",
                                };
                                (id.to_string(), x.zh().to_string())
                            })
                            .collect(),
                    },
                    true,
                )
                .help(if police {
                    "民警本人、近亲属或者所在单位（001 §15）"
                } else {
                    "民警本人、家属或者所在单位"
                })];
                fields.push(text_field("reporter_name", "提出申请的近亲属姓名", false));
                let relation = text_field("reporter_relation", "近亲属与民警的关系", false);
                fields.push(if has(step::NEAR_RELATIVES) {
                    relation.help("仅限夫、妻、父、母、子、女、同胞兄弟姊妹（001 §32）")
                } else {
                    relation
                });
                fields.extend(intake_fields(ctx));
                let role = if actor.has(Role::Office) {
                    Role::Office
                } else if actor.has(Role::Unit) {
                    Role::Unit
                } else {
                    Role::Officer
                };
                out.push(spec(
                    "incident_report",
                    if police {
                        "提出维护执法权威申请"
                    } else {
                        "报告侵害民警执法履职的案（事）件"
                    },
                    &intake_article,
                    role,
                    fields,
                ));
            }
            if actor.has(Role::Office) {
                let mut fields = vec![long_field("clue", "发现的线索", true)];
                fields.extend(intake_fields(ctx));
                out.push(spec(
                    "incident_open",
                    "主动启动（发现线索）",
                    &intake_article,
                    Role::Office,
                    fields,
                ));
            }
            return out;
        }
        if s.stage == Stage::Closed {
            return out;
        }
        let Some(intake) = &s.intake else {
            return out;
        };
        let handling = actor.has(Role::Office) && actor.org_id == intake.org.id;
        let received = s
            .pending_reports()
            .find(|r| actor.has(Role::Office) && r.level.id == actor.org_id);
        match received.map(|r| &r.forward_to) {
            Some(Some(next)) => out.push(spec(
                "incident_forward",
                &format!("签署意见并转报{}维权办", next.name),
                "001 §17",
                Role::Office,
                vec![long_field("view", "本级维权办意见", false)],
            )),
            Some(None) => out.push(spec(
                "incident_acknowledge",
                "确认收到上报",
                "001 §17",
                Role::Office,
                vec![text_field("note", "批示或者备注", false)],
            )),
            None => {}
        }
        let own = actor.has(Role::Officer) && actor.person_id == intake.officer.person_id;
        if handling || own {
            out.push(spec(
                "incident_add_victim",
                "登记受害人",
                &if has(step::NEAR_RELATIVES) {
                    "001 §32、§33".to_string()
                } else {
                    at(step::RIGHTS, "001 §32、§33")
                },
                if handling {
                    Role::Office
                } else {
                    Role::Officer
                },
                victim_fields(ctx),
            ));
        }
        if !handling {
            return out;
        }
        offer(
            &mut out,
            ctx,
            step::ESCALATION,
            "001 §17",
            "incident_escalate",
            "决定逐级上报",
            vec![
                Field::new(
                    "grounds",
                    "上报情形",
                    FieldKind::MultiChoice {
                        options: options(Ground::ALL, Ground::id, Ground::zh),
                    },
                    true,
                ),
                long_field("reason", "上报理由", true),
            ],
        );
        if s.stage != Stage::Handled {
            out.push(spec(
                "incident_investigate",
                "记录调查情况",
                &ledger_article,
                Role::Office,
                vec![
                    long_field("findings", "调查情况", true),
                    text_field("handling_unit", "办案部门", false),
                ],
            ));
        }
        offer(
            &mut out,
            ctx,
            step::COORDINATION,
            "003 §15",
            "incident_coordinate",
            "与公检法机关沟通协调",
            vec![
                text_field("organ", "公检法机关", true),
                long_field("content", "沟通协调的事项和结果", true),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::POLICE_REFERRAL,
            "003 §15",
            "incident_refer_police",
            "提请公安机关依法惩处",
            vec![
                text_field("police", "公安机关", true),
                long_field("conduct", "威胁伤害、打击报复民警及其家属的行为", true),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::JUDICIAL_RELIEF,
            "003 §15",
            "incident_judicial_relief",
            "提请司法救济",
            vec![
                long_field("relief", "司法救济的内容", true),
                text_field("organ", "受理的司法机关", false),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::PROTECTION,
            "001 §11",
            "incident_protect",
            "采取保护措施",
            vec![
                text_field("protected", "受保护的人员", true),
                long_field("measures", "保护措施", true),
                text_field("taken_by", "采取措施的机关", false),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::CIVIL_SUIT,
            "001 §9",
            "incident_civil_suit",
            "帮助提起诉讼",
            vec![
                Field::new(
                    "suit",
                    "诉讼类型",
                    FieldKind::Choice {
                        options: vec![
                            (
                                "incidental_civil".to_string(),
                                SuitKind::IncidentalCivil.zh().to_string(),
                            ),
                            ("civil".to_string(), SuitKind::Civil.zh().to_string()),
                        ],
                    },
                    true,
                ),
                long_field("loss", "人身或者财产损失", true),
                long_field("assistance", "帮助内容", true),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::MEDIA,
            "001 §12",
            "incident_media",
            "澄清事实、消除影响",
            vec![
                text_field("outlet", "媒体", true),
                long_field("clarification", "澄清内容", true),
                text_field("coordinated_with", "协调的新闻宣传主管部门", false),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::COMFORT,
            "001 §7(六)",
            "incident_comfort_payment",
            "发放抚慰金",
            vec![
                text_field("recipient", "领取人", true),
                Field::new("amount_yuan", "金额（元）", FieldKind::Integer, true),
                text_field("basis", "依据（使用规范条目）", false),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::MISCONDUCT,
            "001 §16",
            "incident_refer_violation",
            "移送民警违法违纪问题",
            vec![
                text_field("department", "移送部门", true),
                long_field("problem", "发现的问题", true),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::ON_SCENE,
            "001 §14",
            "incident_on_scene",
            "记录民警现场处置情况",
            vec![
                long_field("account", "处置经过", true),
                Field::new(
                    "controlled",
                    "控制违法行为人并移送处理",
                    FieldKind::Bool,
                    false,
                ),
                Field::new(
                    "requested_help",
                    "立即向指挥中心报告、请求援助",
                    FieldKind::Bool,
                    false,
                ),
                long_field("evidence", "收集、固定的证据", false),
            ],
        );
        offer(
            &mut out,
            ctx,
            step::RECUSAL,
            "001 §10",
            "incident_recusal",
            "记录回避",
            vec![
                text_field("person", "回避人员", true),
                long_field("reason", "回避理由", true),
            ],
        );
        if has(step::NAME_CLEARING) && DEFAMATION.contains(&intake.incident_type) {
            out.push(spec(
                "incident_restore_reputation",
                "消除影响、恢复名誉",
                &at(step::NAME_CLEARING, "001 §13"),
                Role::Office,
                vec![long_field("means", "方式和范围", true)],
            ));
        }
        if has(step::LEGAL_SUPPORT) {
            out.push(spec(
                "incident_legal_support",
                "记录法律专业支持",
                &at(step::LEGAL_SUPPORT, "001 §26"),
                Role::Office,
                vec![
                    text_field(
                        "provider",
                        "提供者（法律专业人士、法制部门、法律顾问或者律师）",
                        true,
                    ),
                    long_field("support", "审查或者配合内容", true),
                    text_field(
                        "inquiry_by",
                        "介入调查的机关（纪检监察机关、检察机关）",
                        false,
                    ),
                ],
            ));
        } else if has(step::LAWYERS) {
            out.push(spec(
                "incident_legal_support",
                "聘请专业律师团队",
                &at(step::LAWYERS, "003 §15"),
                Role::Office,
                vec![
                    text_field("provider", "律师或者律师团队", true),
                    long_field("support", "帮助解决的执法纠纷", true),
                ],
            ));
        }
        offer(
            &mut out,
            ctx,
            step::LEADERS,
            "001 §30",
            "incident_refer_accountability",
            "移送追究相关领导和责任人的责任",
            vec![
                Field::new(
                    "failure",
                    "情形",
                    FieldKind::Choice {
                        options: LeaderFailure::ALL
                            .iter()
                            .map(|f| (f.id().to_string(), f.zh().to_string()))
                            .collect(),
                    },
                    true,
                ),
                text_field("responsible", "相关领导和责任人", true),
                long_field("facts", "事实", true),
                text_field("referred_to", "移送机关", true),
            ],
        );
        if !s.investigations.is_empty() {
            out.push(spec(
                "incident_record_handling",
                "记录处理结果",
                &ledger_article,
                Role::Office,
                vec![long_field("result", "处理结果", true)],
            ));
        }
        if s.handling.is_some() && s.pending_reports().next().is_none() {
            out.push(spec(
                "incident_close",
                "办结",
                &ledger_article,
                Role::Office,
                vec![long_field("summary", "办结情况", false)],
            ));
        }
        out
    }

    fn summary(s: &IncidentState) -> Summary {
        let (org_id, title) = match &s.intake {
            Some(i) => (
                i.org.id.clone(),
                format!(
                    "{}民警{}{}",
                    i.unit.name,
                    i.officer.name,
                    i.incident_type.zh()
                ),
            ),
            None => (String::new(), String::new()),
        };
        Summary {
            stage: s.stage.id().to_string(),
            stage_zh: s.stage.zh().to_string(),
            org_id,
            title,
        }
    }

    fn facts(s: &IncidentState) -> Vec<Fact> {
        let mut out = Vec::new();
        let Some(i) = &s.intake else {
            return out;
        };
        out.push(Fact::new(
            "当事民警",
            format!("{}（{}）", i.officer.name, i.unit.name),
        ));
        out.push(Fact::new(
            &format!("受理的{}", i.office()),
            format!("{}{}", i.org.name, i.office()),
        ));
        out.push(Fact::new(
            "侵害情形",
            format!("{}（{}）", i.incident_type.zh(), i.type_article()),
        ));
        out.push(Fact::new("发生日期", date_zh(i.occurred_on)));
        out.push(Fact::new("事发地点", i.place.clone()));
        out.push(Fact::new("事件经过", i.description.clone()));
        if i.off_duty {
            out.push(Fact::new(
                "非工作时间",
                "遇到职责范围内的紧急情形，已表明身份后先期处置（001 §31）",
            ));
        }
        let mut source = s.source.map(|x| x.zh().to_string()).unwrap_or_default();
        if let Some((name, relation)) = &s.reporter {
            source.push_str(&format!("：{name}（民警的{relation}）"));
        }
        if let Some(c) = &s.clue {
            source.push_str(&format!("：{c}"));
        }
        out.push(Fact::new(
            "立案",
            format!(
                "{}，{source}（{}）",
                s.opened_on.map(date_zh).unwrap_or_default(),
                i.basis()
            ),
        ));
        if !s.victims.is_empty() {
            let v: Vec<String> = s
                .victims
                .iter()
                .map(|v| {
                    let mut t = format!("{}（{}", v.name, v.kind.zh());
                    if !v.relation.is_empty() {
                        t.push_str(&format!("·{}", v.relation));
                    }
                    t.push('）');
                    if !v.harm.is_empty() {
                        t.push_str(&format!("：{}", v.harm));
                    }
                    t
                })
                .collect();
            out.push(Fact::new("受害人", v.join("；")));
        }
        if !s.grounds.is_empty() {
            let g: Vec<&str> = s.grounds.iter().map(|g| g.zh()).collect();
            out.push(Fact::new("逐级上报情形", g.join("；")));
        }
        if !s.reports.is_empty() {
            out.push(Fact::new("上报情况", ledger(s).escalation));
        }
        let row = ledger(s);
        if !row.investigation.is_empty() {
            out.push(Fact::new("调查", row.investigation));
        }
        for m in &s.measures {
            out.push(Fact::new(
                "维权措施",
                format!("{} {}（{}）", date_zh(m.on), m.text, m.article),
            ));
        }
        if !row.handling.is_empty() {
            out.push(Fact::new("处理", row.handling));
        }
        if let Some((d, summary)) = &s.closed {
            out.push(Fact::new(
                "办结",
                if summary.is_empty() {
                    date_zh(*d)
                } else {
                    format!("{}：{summary}", date_zh(*d))
                },
            ));
        }
        out
    }

    fn links(s: &IncidentState) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(i) = &s.intake {
            out.push(("subject".to_string(), i.officer.person_id.clone()));
            out.push(("unit".to_string(), i.unit.id.clone()));
        }
        for r in &s.reports {
            out.push(("escalated_to".to_string(), r.level.id.clone()));
        }
        out
    }

    fn describe(kind: &Kind) -> String {
        match kind {
            Kind::Reported {
                intake,
                source,
                reporter,
            } => {
                let who = match reporter {
                    Some((n, r)) => format!("{}（{n}，民警的{r}）", source.zh()),
                    None => source.zh().to_string(),
                };
                format!(
                    "立案：{who}，民警{}{}（{}）",
                    intake.officer.name,
                    intake.incident_type.zh(),
                    intake.type_article()
                )
            }
            Kind::Opened { intake, .. } => format!(
                "立案：{}发现线索主动启动，民警{}{}（{}）",
                intake.office(),
                intake.officer.name,
                intake.incident_type.zh(),
                intake.basis()
            ),
            Kind::VictimAdded { victim } => {
                format!("登记受害人：{}（{}）", victim.name, victim.kind.zh())
            }
            Kind::EscalationDecided { grounds, .. } => {
                let g: Vec<&str> = grounds.iter().map(|g| g.zh()).collect();
                format!("决定逐级上报：{}", g.join("、"))
            }
            Kind::ReportedUp { report, .. } => format!(
                "向{}维权办报告（001 §17），{}",
                report.level.name,
                report.step_due()
            ),
            Kind::Acknowledged { level, .. } => format!("{}维权办确认收到报告", level.name),
            Kind::Forwarded {
                level,
                view,
                report,
                ..
            } => {
                let mut t = format!(
                    "{}维权办收到报告，转报{}维权办（001 §17），{}",
                    level.name,
                    report.level.name,
                    report.step_due()
                );
                if !view.is_empty() {
                    t.push_str(&format!("；意见：{view}"));
                }
                t
            }
            Kind::Investigated { findings, .. } => format!("调查：{findings}"),
            Kind::MeasureTaken { measure } => format!("{}（{}）", measure.text, measure.article),
            Kind::HandlingRecorded { result } => format!("处理：{result}"),
            Kind::Closed { .. } => "办结".to_string(),
        }
    }

    fn kind_id(kind: &Kind) -> &'static str {
        match kind {
            Kind::Reported { .. } => "reported",
            Kind::Opened { .. } => "opened",
            Kind::VictimAdded { .. } => "victim_added",
            Kind::EscalationDecided { .. } => "escalation_decided",
            Kind::ReportedUp { .. } => "reported_up",
            Kind::Acknowledged { .. } => "acknowledged",
            Kind::Forwarded { .. } => "forwarded",
            Kind::Investigated { .. } => "investigated",
            Kind::MeasureTaken { .. } => "measure_taken",
            Kind::HandlingRecorded { .. } => "handling_recorded",
            Kind::Closed { .. } => "closed",
        }
    }

    fn documents(events: &[Event<Kind>]) -> Vec<Document> {
        events
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::ReportedUp { document, .. } | Kind::Forwarded { document, .. } => {
                    Some(document.clone())
                }
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
